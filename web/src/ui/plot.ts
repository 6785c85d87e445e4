import type { RefObject } from 'preact';
import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';

/**
 * usePlot keeps a uPlot in box, as wide as the box and height tall: make
 * builds it for a width; it is rebuilt when deps change (a new theme, new
 * series) and destroyed with the component. The ref holds the plot, or
 * null while there is none, for setData and redraw.
 */
export function usePlot(
  box: RefObject<HTMLDivElement | null>,
  height: number,
  make: (width: number, el: HTMLElement) => uPlot,
  deps: ReadonlyArray<unknown>,
): RefObject<uPlot | null> {
  const plot = useRef<uPlot | null>(null);
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const width = () => Math.max(200, el.clientWidth);
    const u = make(width(), el);
    plot.current = u;
    const ro = new ResizeObserver(() => u.setSize({ width: width(), height }));
    ro.observe(el);
    return () => {
      ro.disconnect();
      u.destroy();
      plot.current = null;
    };
  }, deps);
  return plot;
}

import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import type { Points } from '../lib/series';
import { latencyOptions, type Frame } from './charts';
import { usePlot } from './plot';
import { chartTheme } from './theme';

const HEIGHT = 240;

/** LatencyChart draws latency over the frame's window with status bands behind it, as wide as its box. */
export function LatencyChart({ data, frame, scheme }: { data: Points; frame: Frame; scheme: string }) {
  const box = useRef<HTMLDivElement>(null);
  const current = useRef(frame);
  current.current = frame;
  const plot = usePlot(
    box,
    HEIGHT,
    (width, el) => new uPlot(latencyOptions(chartTheme(), () => current.current, width, HEIGHT), data, el),
    [scheme],
  );

  // New data or a new window: setData rescales x through the frame ref; bands
  // alone only need a redraw.
  useEffect(() => plot.current?.setData(data), [data, frame.start, frame.end]);
  useEffect(() => plot.current?.redraw(false, false), [frame.bands]);

  return <div class="chart" ref={box} />;
}

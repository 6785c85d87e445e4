import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import type { Points } from '../lib/series';
import type { Range } from '../lib/types';
import { sparkOptions, type Frame } from './charts';
import { chartTheme } from './theme';

const WIDTH = 120;
const HEIGHT = 30;

/** Sparkline draws a check's recent latency; the range fixes the time window so gaps show where they are. */
export function Sparkline({ data, range, scheme }: { data: Points | undefined; range: Range; scheme: string }) {
  const el = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const frame = useRef<Frame>({ start: range.start, end: range.end, bands: [] });
  frame.current = { start: range.start, end: range.end, bands: [] };
  const points = data ?? [[], []];

  useEffect(() => {
    if (!el.current) return;
    const u = new uPlot(sparkOptions(chartTheme(), () => frame.current, WIDTH, HEIGHT), points, el.current);
    plot.current = u;
    return () => {
      u.destroy();
      plot.current = null;
    };
  }, [scheme]);

  useEffect(() => plot.current?.setData(points), [data, range]);

  const empty = !points[1].some((v) => v != null);
  return (
    <div class="spark" role="img" aria-label="latency over the last hour">
      <div ref={el} />
      {empty && <span class="spark-none">no data</span>}
    </div>
  );
}

import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import { countPoints, type Aligned, type Unit } from '../lib/hostseries';
import type { Range } from '../lib/types';
import { metricOptions, type Frame } from './charts';
import { usePlot } from './plot';
import { chartTheme } from './theme';

const HEIGHT = 200;

interface Props {
  id: string;
  data: Aligned;
  range: Range;
  unit: Unit;
  yMax?: number;
  scheme: string;
}

/**
 * MetricChart draws a host graph, one line per series, as wide as its box.
 * Its data-points attribute counts the samples drawn (the browser test reads it).
 */
export function MetricChart({ id, data, range, unit, yMax, scheme }: Props) {
  const box = useRef<HTMLDivElement>(null);
  const frame = useRef<Frame>({ start: range.start, end: range.end, bands: [] });
  frame.current = { start: range.start, end: range.end, bands: [] };
  const current = useRef(data);
  current.current = data;
  // The series are part of the options: another set of names needs a new plot.
  const names = data.names.join('\n');

  const plot = usePlot(
    box,
    HEIGHT,
    (width, el) => {
      const shape = { names: current.current.names, unit, yMax };
      return new uPlot(metricOptions(chartTheme(), () => frame.current, shape, width, HEIGHT), current.current.data, el);
    },
    [scheme, names, unit, yMax],
  );

  useEffect(() => plot.current?.setData(data.data), [data, range.start, range.end]);

  const points = countPoints(data);
  return (
    <div class="metric-chart" data-chart={id} data-points={points}>
      <div class="chart chart-sm" ref={box} />
      {points === 0 && <span class="chart-none">no data</span>}
    </div>
  );
}

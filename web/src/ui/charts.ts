// uPlot options for the charts: the overview sparkline, the check's latency
// graph with status bands behind it, and the host page's metric graphs.

import uPlot from 'uplot';
import { axisLatency, byteRate, bytes, decimal, latency, percent, timeTicks, timestamp } from '../lib/format';
import type { Unit } from '../lib/hostseries';
import type { Band } from '../lib/series';
import type { ChartTheme } from './theme';

/** Frame is what a chart reads at draw time, kept in a ref so that options never go stale. */
export interface Frame {
  start: number;
  end: number;
  bands: Band[];
}

const yRange: uPlot.Range.Function = (_u, _min, max) => [0, max > 0 ? max * 1.15 : 1];

/** sparkOptions draws a bare line over a fixed time window: no axes, legend or cursor. */
export function sparkOptions(t: ChartTheme, frame: () => Frame, width: number, height: number): uPlot.Options {
  return {
    width,
    height,
    pxAlign: false,
    legend: { show: false },
    cursor: { show: false },
    select: { show: false, left: 0, top: 0, width: 0, height: 0 },
    padding: [3, 1, 2, 1],
    scales: { x: { time: false, range: () => [frame().start, frame().end] }, y: { range: yRange } },
    axes: [{ show: false }, { show: false }],
    series: [{}, { stroke: t.line, fill: t.fill, width: 1.25, points: { show: false } }],
  };
}

/** timeChart is what the time graphs share: size, cursor, legend, the frame's window on x and the axes' style. */
function timeChart(t: ChartTheme, frame: () => Frame, width: number, height: number) {
  const axis = {
    stroke: t.axis,
    grid: { stroke: t.grid, width: 1 },
    ticks: { stroke: t.grid, width: 1 },
    font: '11px system-ui, sans-serif',
  };
  return {
    base: {
      width,
      height,
      cursor: { drag: { x: false, y: false } },
      legend: { show: true, live: true },
      padding: [8, 18, 0, 0] as uPlot.Padding,
    },
    x: { time: true, range: (): uPlot.Range.MinMax => [frame().start, frame().end] },
    axis,
    timeAxis: { ...axis, values: (_u: uPlot, ticks: number[], _i: number, _space: number, incr: number) => timeTicks(ticks, incr) },
  };
}

/** latencyOptions draws latency in ms over time, with status bands painted behind the line. */
export function latencyOptions(t: ChartTheme, frame: () => Frame, width: number, height: number): uPlot.Options {
  const c = timeChart(t, frame, width, height);
  return {
    ...c.base,
    scales: { x: c.x, y: { range: yRange } },
    axes: [c.timeAxis, { ...c.axis, size: 64, values: (_u, vals) => vals.map(axisLatency) }],
    series: [
      { label: 'Time', value: (_u, v) => (v == null ? '—' : timestamp(v * 1000)) },
      {
        label: 'Latency',
        stroke: t.line,
        fill: t.fill,
        width: 1.5,
        spanGaps: false,
        points: { show: false },
        value: (_u, v) => latency(v),
      },
    ],
    hooks: { drawClear: [(u) => drawBands(u, frame().bands, t)] },
  };
}

const FORMAT: Record<Unit, { value: (v: number) => string; axis: (v: number) => string }> = {
  percent: { value: percent, axis: (v) => `${+v.toPrecision(3)}%` },
  bytes: { value: bytes, axis: bytes },
  byterate: { value: byteRate, axis: byteRate },
  celsius: { value: (v) => `${v.toFixed(1)} °C`, axis: (v) => `${+v.toPrecision(3)} °C` },
  number: { value: decimal, axis: (v) => String(+v.toPrecision(3)) },
};

// Byte axes step in binary units (1, 2, 5, ... KiB, MiB, GiB) so ticks read as round numbers.
const BYTE_INCRS = [0, 1, 2, 3, 4].flatMap((k) => [1, 2, 5, 10, 20, 50, 100, 200, 500].map((m) => m * 1024 ** k));

/** MetricShape describes a host graph: its series names, unit and fixed top, if any. */
export interface MetricShape {
  names: string[];
  unit: Unit;
  yMax?: number;
}

/** metricOptions draws one line per named series over the frame's window, in the theme's palette. */
export function metricOptions(t: ChartTheme, frame: () => Frame, shape: MetricShape, width: number, height: number): uPlot.Options {
  const c = timeChart(t, frame, width, height);
  const f = FORMAT[shape.unit];
  const bytesAxis = shape.unit === 'bytes' || shape.unit === 'byterate';
  const top = shape.yMax;
  return {
    ...c.base,
    scales: { x: c.x, y: { range: top ? () => [0, top] : yRange } },
    axes: [
      c.timeAxis,
      {
        ...c.axis,
        size: 76,
        values: (_u, vals) => vals.map(f.axis),
        ...(bytesAxis ? { incrs: BYTE_INCRS } : {}),
      },
    ],
    // Away from the cursor the legend shows each series' latest value.
    series: [
      { label: 'Time', value: (_u, v, _s, idx) => (idx == null ? 'latest' : v == null ? '—' : timestamp(v * 1000)) },
      ...shape.names.map((name, i) => ({
        label: name,
        stroke: t.palette[i % t.palette.length],
        width: 1.5,
        spanGaps: false,
        points: { show: false },
        value: (u: uPlot, v: number | null, si: number, idx: number | null) => {
          const y = idx == null ? latestValue(u.data[si]) : v;
          return y == null ? '—' : f.value(y);
        },
      })),
    ],
  };
}

function latestValue(ys: ArrayLike<number | null | undefined> | undefined): number | null {
  for (let i = (ys?.length ?? 0) - 1; i >= 0; i--) {
    const y = ys![i];
    if (y != null) return y;
  }
  return null;
}

function drawBands(u: uPlot, bands: Band[], t: ChartTheme) {
  const { ctx, bbox } = u;
  ctx.save();
  for (const b of bands) {
    const x0 = Math.max(bbox.left, u.valToPos(b.from, 'x', true));
    const x1 = Math.min(bbox.left + bbox.width, u.valToPos(b.to, 'x', true));
    if (x1 <= x0) continue;
    ctx.fillStyle = t.band[b.status];
    ctx.fillRect(x0, bbox.top, x1 - x0, bbox.height);
  }
  ctx.restore();
}

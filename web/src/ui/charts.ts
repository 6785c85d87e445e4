// uPlot options for the two charts: the overview sparkline and the check's
// latency graph with status bands behind it.

import uPlot from 'uplot';
import { axisLatency, latency, timeTicks, timestamp } from '../lib/format';
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

/** latencyOptions draws latency in ms over time, with status bands painted behind the line. */
export function latencyOptions(t: ChartTheme, frame: () => Frame, width: number, height: number): uPlot.Options {
  const axis = { stroke: t.axis, grid: { stroke: t.grid, width: 1 }, ticks: { stroke: t.grid, width: 1 } };
  return {
    width,
    height,
    cursor: { drag: { x: false, y: false } },
    legend: { show: true, live: true },
    padding: [8, 18, 0, 0],
    scales: { x: { time: true, range: () => [frame().start, frame().end] }, y: { range: yRange } },
    axes: [
      { ...axis, font: '11px system-ui, sans-serif', values: (_u, ticks, _i, _space, incr) => timeTicks(ticks, incr) },
      { ...axis, font: '11px system-ui, sans-serif', size: 64, values: (_u, vals) => vals.map(axisLatency) },
    ],
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

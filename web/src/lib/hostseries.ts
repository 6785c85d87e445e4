// PromQL for a host's graphs and the shaping of the results into chart data.

import { chooseStep, promString, timeline } from './series';
import type { PromSeries, Range } from './types';

/** Unit says how a chart's values read: percent (0-100), bytes, bytes per second, degrees Celsius, or a plain number. */
export type Unit = 'percent' | 'bytes' | 'byterate' | 'celsius' | 'number';

/** ChartSpec is one graph of the host page: the query, how a series is named, and in what order. */
export interface ChartSpec {
  id: string;
  title: string;
  unit: Unit;
  /** yMax fixes the top of the y axis (disk use is out of 100); else it follows the data. */
  yMax?: number;
  query(host: string, step: number): string;
  /** name labels a result series; series with the same name merge (the later sample wins). */
  name(metric: Record<string, string>): string;
  /** order lists names that come first, in this order; the rest follow sorted. */
  order?: string[];
  /** optional charts are left out while they have no series (temperatures on a machine without sensors). */
  optional?: boolean;
}

const sel = (metric: string, host: string, more = '') => `${metric}{host=${promString(host)}${more}}`;

/**
 * gauge reads a gauge at a given step: the latest sample (at most 10 s old,
 * so a silent host leaves a gap) at a 1 s step, else the mean of each step
 * so that short peaks still move the line.
 */
export function gauge(selector: string, step: number): string {
  return step < 2 ? `last_over_time(${selector}[10s])` : `avg_over_time(${selector}[${step}s])`;
}

/** counterRate is a counter's per-second rate: the latest two samples at a 1 s step, else the rate over each step (at least 10 s). */
export function counterRate(selector: string, step: number): string {
  return step < 2 ? `irate(${selector}[10s])` : `rate(${selector}[${Math.max(step, 10)}s])`;
}

/** tagged sets label to value on every series of expr, so that results of several metrics stay apart. */
export function tagged(expr: string, label: string, value: string): string {
  return `label_replace(${expr}, ${promString(label)}, ${promString(value)}, "", "")`;
}

const MEMORY_NAMES: Record<string, string> = { used: 'used', available: 'available', swap: 'swap used' };

/** HOST_CHARTS are the graphs of the host page, top to bottom. */
export const HOST_CHARTS: readonly ChartSpec[] = [
  {
    id: 'cpu',
    title: 'CPU',
    unit: 'percent',
    query: (h, step) => gauge(sel('picket_host_cpu_percent', h, ',cpu="all",mode=~"user|system|iowait|steal"'), step),
    name: (m) => m.mode ?? '',
    order: ['user', 'system', 'iowait', 'steal'],
  },
  {
    id: 'memory',
    title: 'Memory and swap',
    unit: 'bytes',
    query: (h, step) =>
      `${gauge(sel('picket_host_memory_bytes', h, ',kind=~"used|available"'), step)} or ` +
      tagged(gauge(sel('picket_host_swap_bytes', h, ',kind="used"'), step), 'kind', 'swap'),
    name: (m) => MEMORY_NAMES[m.kind ?? ''] ?? m.kind ?? '',
    order: ['used', 'available', 'swap used'],
  },
  {
    id: 'disk',
    title: 'Disk used',
    unit: 'percent',
    yMax: 100,
    query: (h, step) => {
      const used = gauge(sel('picket_host_filesystem_bytes', h, ',kind="used"'), step);
      const avail = gauge(sel('picket_host_filesystem_bytes', h, ',kind="avail"'), step);
      return `100 * ${used} / ignoring(kind) (${used} + ignoring(kind) ${avail})`;
    },
    name: (m) => m.mountpoint ?? '',
  },
  {
    id: 'diskio',
    title: 'Disk I/O',
    unit: 'byterate',
    query: (h, step) =>
      `${tagged(counterRate(sel('picket_host_disk_read_bytes_total', h), step), 'dir', 'read')} or ` +
      tagged(counterRate(sel('picket_host_disk_written_bytes_total', h), step), 'dir', 'write'),
    name: (m) => `${m.device ?? ''} ${m.dir ?? ''}`,
  },
  {
    id: 'network',
    title: 'Network',
    unit: 'byterate',
    query: (h, step) =>
      `${tagged(counterRate(sel('picket_host_network_receive_bytes_total', h, ',interface!="lo"'), step), 'dir', 'rx')} or ` +
      tagged(counterRate(sel('picket_host_network_transmit_bytes_total', h, ',interface!="lo"'), step), 'dir', 'tx'),
    name: (m) => `${m.interface ?? ''} ${m.dir ?? ''}`,
  },
  {
    id: 'load',
    title: 'Load',
    unit: 'number',
    query: (h, step) =>
      ['1', '5', '15'].map((n) => tagged(gauge(sel(`picket_host_load${n}`, h), step), 'n', `${n}m`)).join(' or '),
    name: (m) => m.n ?? '',
    order: ['1m', '5m', '15m'],
  },
  {
    id: 'temperature',
    title: 'Temperatures',
    unit: 'celsius',
    optional: true,
    query: (h, step) => gauge(sel('picket_host_temperature_celsius', h), step),
    name: (m) => `${m.chip ?? ''} ${m.sensor ?? ''}`,
  },
];

/** Aligned is chart data: names of the series and uPlot's columns, x in Unix seconds then one y column per name. */
export interface Aligned {
  names: string[];
  data: [number[], ...(number | null)[][]];
}

/**
 * alignSeries lays a range-query result onto the range's timeline, one
 * column per series name (steps with no sample are null). Names in `order`
 * come first, the rest sorted naturally; at most `max` series are kept,
 * those with the highest peaks, so a host with dozens of interfaces still
 * gives a readable chart.
 */
export function alignSeries(
  result: PromSeries[],
  r: Range,
  name: (m: Record<string, string>) => string,
  order: readonly string[] = [],
  max = 8,
): Aligned {
  const xs = timeline(r);
  const cols = new Map<string, (number | null)[]>();
  for (const s of result) {
    const key = name(s.metric ?? {});
    let ys = cols.get(key);
    if (!ys) cols.set(key, (ys = xs.map(() => null)));
    for (const [t, v] of s.values) {
      const i = Math.round((t - r.start) / r.step);
      const y = parseFloat(v);
      if (i >= 0 && i < xs.length && Number.isFinite(y)) ys[i] = y;
    }
  }
  const names = keepPeaks(cols, max).sort((a, b) => compareNames(a, b, order));
  return { names, data: [xs, ...names.map((n) => cols.get(n)!)] };
}

function keepPeaks(cols: Map<string, (number | null)[]>, max: number): string[] {
  const names = [...cols.keys()];
  if (names.length <= max) return names;
  const peak = (n: string) => Math.max(-Infinity, ...cols.get(n)!.map((v) => v ?? -Infinity));
  return names.sort((a, b) => peak(b) - peak(a)).slice(0, max);
}

function compareNames(a: string, b: string, order: readonly string[]): number {
  const ia = order.indexOf(a);
  const ib = order.indexOf(b);
  if (ia >= 0 || ib >= 0) return (ia < 0 ? Infinity : ia) - (ib < 0 ? Infinity : ib);
  return a.localeCompare(b, undefined, { numeric: true });
}

/** countPoints counts the samples of the y columns, the gaps left out. */
export function countPoints(a: Aligned): number {
  let n = 0;
  for (const ys of a.data.slice(1)) for (const y of ys as (number | null)[]) if (y != null) n++;
  return n;
}

/** HOST_RANGES are the windows of the host page's range picker, in seconds. */
export const HOST_RANGES = { '15m': 900, '1h': 3600, '6h': 6 * 3600, '24h': 24 * 3600 } as const;
export type HostRangeKey = keyof typeof HOST_RANGES;

/** hostStep is the step of a host graph: about 900 points, 1 s over 15 minutes. */
export function hostStep(seconds: number): number {
  return chooseStep(seconds, 1, 900);
}

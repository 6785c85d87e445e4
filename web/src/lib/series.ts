// Pure helpers that turn Prometheus range-query results and events into chart data.

import type { CheckEvent, PromSeries, Range, Status } from './types';
import { status } from './checks';

/** Points is uPlot's aligned data for one series: x in Unix seconds, y in milliseconds or null for a gap. */
export type Points = [number[], (number | null)[]];

/** timeline lists the x values of a range: start, start+step, ... up to end. */
export function timeline(r: Range): number[] {
  const xs: number[] = [];
  if (!(r.step > 0) || r.end < r.start) return xs;
  const n = Math.floor((r.end - r.start) / r.step);
  for (let i = 0; i <= n && i <= 100000; i++) xs.push(r.start + i * r.step);
  return xs;
}

/**
 * toMillis aligns one or more series (values in seconds) onto the range's
 * timeline, in milliseconds. Several series (e.g. from several vantage points)
 * merge by taking the worst, highest value; steps with no sample are null.
 */
export function toMillis(series: PromSeries[], r: Range): Points {
  const xs = timeline(r);
  const ys: (number | null)[] = xs.map(() => null);
  for (const s of series) {
    for (const [t, v] of s.values) {
      const i = Math.round((t - r.start) / r.step);
      const ms = parseFloat(v) * 1000;
      if (i < 0 || i >= xs.length || !Number.isFinite(ms)) continue;
      const cur = ys[i];
      ys[i] = cur == null ? ms : Math.max(cur, ms);
    }
  }
  return [xs, ys];
}

/** groupBy splits a range-query result by the value of one label; series without it are dropped. */
export function groupBy(result: PromSeries[], label: string): Map<string, PromSeries[]> {
  const out = new Map<string, PromSeries[]>();
  for (const s of result) {
    const key = s.metric?.[label];
    if (key == null) continue;
    const list = out.get(key);
    if (list) list.push(s);
    else out.set(key, [s]);
  }
  return out;
}

/** perCheck turns one range query over all checks into chart data keyed by check id. */
export function perCheck(result: PromSeries[], r: Range): Map<string, Points> {
  const out = new Map<string, Points>();
  for (const [id, series] of groupBy(result, 'check')) out.set(id, toMillis(series, r));
  return out;
}

/**
 * alignedRange builds a range covering the `seconds` before `nowMs`, ending
 * now (whole seconds) and starting on a multiple of step, so that points keep
 * their x positions from one refresh to the next.
 */
export function alignedRange(nowMs: number, seconds: number, step: number): Range {
  const end = Math.floor(nowMs / 1000);
  return { start: Math.floor((end - seconds) / step) * step, end, step };
}

const NICE_STEPS = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1200, 1800, 3600, 7200, 10800, 21600];

/** chooseStep picks a round step giving at most about `points` points, never finer than the check interval. */
export function chooseStep(seconds: number, intervalS: number, points = 600): number {
  const want = Math.max(seconds / points, intervalS > 0 ? intervalS : 1);
  return NICE_STEPS.find((s) => s >= want) ?? Math.ceil(want);
}

/** promString quotes a label value for PromQL. */
export function promString(s: string): string {
  return JSON.stringify(s);
}

/**
 * latencyQuery is the PromQL for one check's latency at a given step: the raw
 * series when every sample fits, else the highest sample of each step so that
 * spikes stay visible on long ranges.
 */
export function latencyQuery(check: string, step: number, intervalS: number): string {
  const sel = `picket_probe_duration_seconds{check=${promString(check)}}`;
  return step > intervalS && intervalS > 0 ? `max_over_time(${sel}[${step}s])` : sel;
}

/** Band is a span of time (Unix seconds) in one status. */
export interface Band {
  from: number;
  to: number;
  status: Status;
}

/**
 * statusBands lays the state changes of one check over [start, end] (Unix
 * seconds) as contiguous bands. Events are one check's, in any order; only
 * "state" events count. Before the first change the status is that change's
 * "from"; with no changes at all it is `current`.
 */
export function statusBands(events: CheckEvent[], current: Status, start: number, end: number): Band[] {
  const changes = events
    .filter((e) => e.kind === 'state')
    .map((e) => ({ t: Date.parse(e.time) / 1000, from: status(e.from), to: status(e.to), seq: e.seq }))
    .filter((e) => Number.isFinite(e.t))
    .sort((a, b) => a.t - b.t || a.seq - b.seq);
  const before = changes.filter((e) => e.t <= start).pop();
  const after = changes.find((e) => e.t > start);
  const inside = changes.filter((e) => e.t > start && e.t < end);
  let st: Status = before ? before.to : after ? after.from : current;
  const bands: Band[] = [];
  let from = start;
  for (const e of inside) {
    push(bands, { from, to: e.t, status: st });
    from = e.t;
    st = e.to;
  }
  push(bands, { from, to: end, status: st });
  return bands;
}

function push(bands: Band[], b: Band) {
  if (b.to <= b.from) return;
  const last = bands[bands.length - 1];
  if (last && last.status === b.status && last.to === b.from) last.to = b.to;
  else bands.push(b);
}

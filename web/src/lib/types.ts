// Shapes of Picket's HTTP API (/api/v1 and the Prometheus-compatible query API).

/** Status is a check's outcome. Anything else the server sends is shown as unknown. */
export type Status = 'up' | 'degraded' | 'down' | 'unknown';

export const STATUSES: readonly Status[] = ['up', 'degraded', 'down', 'unknown'];

/** Check is one configured check with its current state; times are RFC 3339 or null before the first run. */
export interface Check {
  id: string;
  name: string;
  type: string;
  target: string;
  labels: Record<string, string>;
  interval_s: number;
  status: Status;
  reason: string;
  last_check: string | null;
  latency_ms: number | null;
  since: string | null;
}

/** CheckEvent is one entry of the audit log; kind "state" is a status change. */
export interface CheckEvent {
  seq: number;
  time: string;
  check: string;
  kind: string;
  from: string;
  to: string;
  reason: string;
}

/** PromSeries is one series of a Prometheus range query: [unix seconds, "value"] pairs. */
export interface PromSeries {
  metric: Record<string, string>;
  values: [number, string][];
}

/** Range is a time window in Unix seconds with the step between points. */
export interface Range {
  start: number;
  end: number;
  step: number;
}

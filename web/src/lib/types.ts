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

/** HostStatus is a host's state: its agent reports (up), stopped (down), or has not yet (unknown). */
export type HostStatus = 'up' | 'down' | 'unknown';

/** Figures are a host's key figures from its latest metrics; each is null until a batch carried it. */
export interface Figures {
  cpu_percent: number | null;
  memory_used_percent: number | null;
  load1: number | null;
  disk_used_percent: number | null;
  disk_mountpoint?: string;
  time: string | null;
}

/** Host is one host that runs an agent, as GET /api/v1/hosts shows it; hello fields are empty before the first hello. */
export interface Host {
  id: string;
  name: string;
  status: HostStatus;
  connected: boolean;
  since: string | null;
  last_seen: string | null;
  hostname: string;
  os: string;
  kernel: string;
  arch: string;
  cores: number;
  collectors: string[] | null;
  agent_version: string;
  hello_at: string | null;
  figures: Figures;
  last_seq: number;
  processes: number;
  last_error?: { time: string; reason: string };
}

/** Process is one row of a host's process table; open_files is -1 when the agent may not look. */
export interface Process {
  pid: number;
  ppid: number;
  name: string;
  cmdline: string;
  user: string;
  state: string;
  cpu_percent: number;
  rss_bytes: number;
  threads: number;
  open_files: number;
  start: string;
}

/** ProcessTable is a host's process table; time is that of the agent's scan, null before the first. */
export interface ProcessTable {
  host: string;
  time: string | null;
  processes: Process[];
}

/** HostEvent is a process birth or death; seq grows by one per event of the host. */
export interface HostEvent {
  seq: number;
  kind: 'birth' | 'death' | string;
  time: string;
  process: Process;
}

// Calls to Picket's HTTP API. Every call takes an AbortSignal so a page that
// goes away cancels its requests.

import type { Check, CheckEvent, Host, HostEvent, ProcessTable, PromSeries, Range } from './types';

/** ApiError is a failed request, with the server's error text when it sent one. */
export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

interface Reply<T> {
  body: T;
  /** date is the server's Date header, when it sent one. */
  date: string | null;
}

async function call<T>(method: string, url: string, payload?: unknown, signal?: AbortSignal): Promise<Reply<T>> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (payload !== undefined) headers['Content-Type'] = 'application/json';
  const body = payload === undefined ? undefined : JSON.stringify(payload);
  const res = await fetch(url, { method, signal, headers, body });
  if (!res.ok) {
    let msg = `${res.status} ${res.statusText}`;
    try {
      const body = (await res.json()) as { error?: string };
      if (body?.error) msg = body.error;
    } catch {
      // not JSON: keep the status line
    }
    throw new ApiError(`${method} ${url}: ${msg}`, res.status);
  }
  return { body: (await res.json()) as T, date: res.headers.get('Date') };
}

async function getJSON<T>(url: string, signal?: AbortSignal): Promise<T> {
  return (await call<T>('GET', url, undefined, signal)).body;
}

/** fetchChecks lists every check with its current state. */
export async function fetchChecks(signal?: AbortSignal): Promise<Check[]> {
  const body = await getJSON<{ checks: Check[] | null }>('/api/v1/checks', signal);
  return body.checks ?? [];
}

/** fetchEvents returns a check's events from `fromMs` to now, oldest first. */
export async function fetchEvents(check: string, fromMs: number, limit: number, signal?: AbortSignal): Promise<CheckEvent[]> {
  const q = new URLSearchParams({ check, from: new Date(fromMs).toISOString(), limit: String(limit) });
  const body = await getJSON<{ events: CheckEvent[] | null }>(`/api/v1/events?${q}`, signal);
  return body.events ?? [];
}

/** queryRange runs a PromQL range query and returns its matrix. */
export async function queryRange(query: string, r: Range, signal?: AbortSignal): Promise<PromSeries[]> {
  const q = new URLSearchParams({ query, start: String(r.start), end: String(r.end), step: String(r.step) });
  const body = await getJSON<{ status: string; error?: string; data?: { result?: PromSeries[] } }>(
    `/prometheus/api/v1/query_range?${q}`,
    signal,
  );
  if (body.status !== 'success') throw new ApiError(`query_range: ${body.error ?? body.status}`, 200);
  return body.data?.result ?? [];
}

/** fetchHosts lists every host that runs an agent, sorted by id. */
export async function fetchHosts(signal?: AbortSignal): Promise<Host[]> {
  const body = await getJSON<{ hosts: Host[] | null }>('/api/v1/hosts', signal);
  return body.hosts ?? [];
}

const hostURL = (id: string, rest = '') => `/api/v1/hosts/${encodeURIComponent(id)}${rest}`;

/** fetchHost returns one host; an unknown id is an ApiError with status 404. */
export function fetchHost(id: string, signal?: AbortSignal): Promise<Host> {
  return getJSON<Host>(hostURL(id), signal);
}

/** fetchProcesses returns a host's latest process table as the server holds it. */
export function fetchProcesses(id: string, signal?: AbortSignal): Promise<ProcessTable> {
  return getJSON<ProcessTable>(hostURL(id, '/processes'), signal);
}

/** refreshProcesses has the server read the process table from the agent now (503: agent not connected). */
export async function refreshProcesses(id: string, signal?: AbortSignal): Promise<ProcessTable> {
  return (await call<ProcessTable>('POST', hostURL(id, '/processes/refresh'), {}, signal)).body;
}

/** fetchHostEvents returns a host's latest `limit` process births and deaths, oldest first. */
export async function fetchHostEvents(id: string, limit: number, signal?: AbortSignal): Promise<HostEvent[]> {
  const body = await getJSON<{ events: HostEvent[] | null }>(hostURL(id, `/events?limit=${limit}`), signal);
  return body.events ?? [];
}

/** LiveReply is the server's answer to a live-mode request: until when, and the server's clock then. */
export interface LiveReply {
  until: string;
  date: string | null;
}

/**
 * requestLive asks the server to put a host's agent in live mode for `duration`
 * (a Go duration such as "2m"). 404: unknown host; 503: agent not connected;
 * 502: the agent refused.
 */
export async function requestLive(id: string, duration: string, signal?: AbortSignal): Promise<LiveReply> {
  const r = await call<{ until: string }>('POST', hostURL(id, '/live'), { for: duration }, signal);
  return { until: r.body.until, date: r.date };
}

/** isAbort tells whether an error only means the request was cancelled. */
export function isAbort(err: unknown): boolean {
  return err instanceof DOMException && err.name === 'AbortError';
}

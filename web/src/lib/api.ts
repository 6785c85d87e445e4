// Calls to Picket's HTTP API. Every call takes an AbortSignal so a page that
// goes away cancels its requests.

import type { Check, CheckEvent, PromSeries, Range } from './types';

/** ApiError is a failed request, with the server's error text when it sent one. */
export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

async function getJSON<T>(url: string, signal?: AbortSignal): Promise<T> {
  const res = await fetch(url, { signal, headers: { Accept: 'application/json' } });
  if (!res.ok) {
    let msg = `${res.status} ${res.statusText}`;
    try {
      const body = (await res.json()) as { error?: string };
      if (body?.error) msg = body.error;
    } catch {
      // not JSON: keep the status line
    }
    throw new ApiError(`GET ${url}: ${msg}`, res.status);
  }
  return (await res.json()) as T;
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

/** isAbort tells whether an error only means the request was cancelled. */
export function isAbort(err: unknown): boolean {
  return err instanceof DOMException && err.name === 'AbortError';
}

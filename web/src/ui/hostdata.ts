// Data hooks of the host pages: the host list, one host, its graphs, process
// table and events, each polled, and the live mode the open page keeps asking for.

import { useEffect, useState } from 'preact/hooks';
import {
  ApiError,
  fetchHost,
  fetchHostEvents,
  fetchHosts,
  fetchProcesses,
  isAbort,
  queryRange,
  refreshProcesses,
  requestLive,
} from '../lib/api';
import { liveDeadline, newerTable, normalizeHost, renewDelay } from '../lib/hosts';
import { alignSeries, HOST_CHARTS, hostStep, type Aligned } from '../lib/hostseries';
import { alignedRange } from '../lib/series';
import type { Host, HostEvent, ProcessTable, Range } from '../lib/types';
import { usePoll } from './hooks';

/** HOSTS_POLL_MS is how often host lists and headers are refetched; the API has no stream of hosts. */
export const HOSTS_POLL_MS = 5000;

const message = (err: unknown) => String((err as Error)?.message ?? err);

/** useHostList polls every host; hosts is null until the first answer. */
export function useHostList(): { hosts: Host[] | null; error: string | null } {
  const [hosts, setHosts] = useState<Host[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  usePoll(
    async (signal) => {
      try {
        setHosts((await fetchHosts(signal)).map(normalizeHost));
        setError(null);
      } catch (err) {
        if (!isAbort(err)) setError(`Hosts: ${message(err)}`);
      }
    },
    HOSTS_POLL_MS,
    [],
  );
  return { hosts, error };
}

/** useHost polls one host; missing turns true when the server does not know the id. */
export function useHost(id: string): { host: Host | null; error: string | null; missing: boolean } {
  const [host, setHost] = useState<Host | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [missing, setMissing] = useState(false);
  usePoll(
    async (signal) => {
      try {
        setHost(normalizeHost(await fetchHost(id, signal)));
        setError(null);
        setMissing(false);
      } catch (err) {
        if (isAbort(err)) return;
        setMissing(err instanceof ApiError && err.status === 404);
        setError(message(err));
      }
    },
    HOSTS_POLL_MS,
    [id],
  );
  return { host, error, missing };
}

/** LiveMode is the state of the open page's live-mode request; until is local ms. */
export type LiveMode =
  | { state: 'off' }
  | { state: 'asking' }
  | { state: 'on'; until: number }
  | { state: 'failed'; error: string; status: number };

const LIVE_FOR = '2m';
const LIVE_MS = 120_000;
const RENEW_LEAD_MS = 60_000; // ask again when a minute is left
const RETRY_MS = 10_000;

/**
 * useLiveMode asks the server to put the host's agent in live mode while
 * active (the page is open and visible) and asks again before it ends. A
 * refusal (503: agent not connected, 502: agent failed) is retried every 10 s.
 */
export function useLiveMode(id: string, active: boolean): LiveMode {
  const [mode, setMode] = useState<LiveMode>({ state: 'off' });
  useEffect(() => {
    if (!active) {
      setMode({ state: 'off' });
      return;
    }
    const ctl = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const ask = () => {
      requestLive(id, LIVE_FOR, ctl.signal).then(
        (r) => {
          const now = Date.now();
          const until = liveDeadline(r.until, r.date, now, LIVE_MS);
          setMode({ state: 'on', until });
          timer = setTimeout(ask, renewDelay(until, now, RENEW_LEAD_MS, 5000));
        },
        (err) => {
          if (isAbort(err)) return;
          setMode({ state: 'failed', error: message(err), status: err instanceof ApiError ? err.status : 0 });
          timer = setTimeout(ask, RETRY_MS);
        },
      );
    };
    setMode((m) => (m.state === 'on' ? m : { state: 'asking' }));
    ask();
    return () => {
      ctl.abort();
      clearTimeout(timer);
    };
  }, [id, active]);
  return mode;
}

/** ChartData is one graph's latest data, or the error of its latest query (the old data stays). */
export interface ChartData {
  data: Aligned | null;
  error: string | null;
}

export interface HostGraphs {
  range: Range;
  charts: Record<string, ChartData>;
}

/** useHostGraphs queries every host graph over the last `seconds`, again every `everyMs`. */
export function useHostGraphs(id: string, seconds: number, everyMs: number): HostGraphs {
  const step = hostStep(seconds);
  const [g, setG] = useState<HostGraphs>(() => ({ range: alignedRange(Date.now(), seconds, step), charts: {} }));
  usePoll(
    async (signal) => {
      const range = alignedRange(Date.now(), seconds, step);
      const results = await Promise.allSettled(HOST_CHARTS.map((c) => queryRange(c.query(id, step), range, signal)));
      if (signal.aborted) return;
      setG((old) => {
        const charts: Record<string, ChartData> = {};
        HOST_CHARTS.forEach((c, i) => {
          const r = results[i];
          charts[c.id] =
            r.status === 'fulfilled'
              ? { data: alignSeries(r.value, range, c.name, c.order), error: null }
              : { data: old.charts[c.id]?.data ?? null, error: message(r.reason) };
        });
        return { range, charts };
      });
    },
    everyMs,
    [id, seconds, step],
  );
  return g;
}

export interface Processes {
  table: ProcessTable | null;
  error: string | null;
  refreshing: boolean;
  /** refreshed counts the refreshes that succeeded. */
  refreshed: number;
  /** refresh has the server read the table from the agent now. */
  refresh(): void;
}

/** useProcesses polls a host's process table every `everyMs`; refresh reads it from the agent at once. */
export function useProcesses(id: string, everyMs: number): Processes {
  const [table, setTable] = useState<ProcessTable | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [refreshing, setRefreshing] = useState(false);
  const [refreshed, setRefreshed] = useState(0);
  const take = (t: ProcessTable) => {
    setTable((old) => newerTable(old?.host === id ? old : null, { ...t, processes: t.processes ?? [] }));
    setError(null);
  };
  usePoll(
    async (signal) => {
      try {
        take(await fetchProcesses(id, signal));
      } catch (err) {
        if (!isAbort(err)) setError(`Processes: ${message(err)}`);
      }
    },
    everyMs,
    [id],
  );
  const refresh = () => {
    setRefreshing(true);
    refreshProcesses(id)
      .then(
        (t) => {
          take(t);
          setRefreshed((n) => n + 1);
        },
        (err) => setError(`Refresh: ${message(err)}`),
      )
      .finally(() => setRefreshing(false));
  };
  return { table: table?.host === id ? table : null, error, refreshing, refreshed, refresh };
}

/** useHostEvents polls a host's latest process births and deaths. */
export function useHostEvents(id: string, everyMs: number): { events: HostEvent[] | null; error: string | null } {
  const [events, setEvents] = useState<HostEvent[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  usePoll(
    async (signal) => {
      try {
        setEvents(await fetchHostEvents(id, 200, signal));
        setError(null);
      } catch (err) {
        if (!isAbort(err)) setError(`Events: ${message(err)}`);
      }
    },
    everyMs,
    [id],
  );
  return { events, error };
}

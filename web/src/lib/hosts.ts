// Pure helpers over hosts and their process tables: status, order, filters, and live-mode timing.

import type { Host, HostStatus, Process } from './types';

/** hostStatus maps whatever the server sent to a known HostStatus. */
export function hostStatus(s: string | null | undefined): HostStatus {
  return s === 'up' || s === 'down' ? s : 'unknown';
}

const RANK: Record<HostStatus, number> = { down: 0, unknown: 1, up: 2 };

/** sortHosts returns a new array: down first, then unknown, then up, each by name (then id). */
export function sortHosts(hosts: Iterable<Host>): Host[] {
  return [...hosts].sort(
    (a, b) =>
      RANK[hostStatus(a.status)] - RANK[hostStatus(b.status)] ||
      a.name.localeCompare(b.name, undefined, { sensitivity: 'base', numeric: true }) ||
      (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
  );
}

/** countHosts counts hosts per status. */
export function countHosts(hosts: Iterable<Host>): Record<HostStatus, number> {
  const c: Record<HostStatus, number> = { up: 0, down: 0, unknown: 0 };
  for (const h of hosts) c[hostStatus(h.status)]++;
  return c;
}

/** normalizeHost fills fields an older or partial server may omit. */
export function normalizeHost(h: Host): Host {
  const f = h.figures ?? {};
  return {
    ...h,
    name: h.name || h.id,
    status: hostStatus(h.status),
    figures: {
      cpu_percent: f.cpu_percent ?? null,
      memory_used_percent: f.memory_used_percent ?? null,
      load1: f.load1 ?? null,
      disk_used_percent: f.disk_used_percent ?? null,
      disk_mountpoint: f.disk_mountpoint ?? '',
      time: f.time ?? null,
    },
  };
}

/** platform says what a host runs, e.g. "Debian GNU/Linux 13 · 6.12.0 · amd64"; empty before the hello. */
export function platform(h: Pick<Host, 'os' | 'kernel' | 'arch'>): string {
  return [h.os, h.kernel, h.arch].filter(Boolean).join(' · ');
}

/** Level grades a use percentage: ok below 80, warn below 90, crit from 90. */
export type Level = 'ok' | 'warn' | 'crit';

export function level(pct: number): Level {
  return pct >= 90 ? 'crit' : pct >= 80 ? 'warn' : 'ok';
}

/** ProcessKey is a column the process table sorts by. */
export type ProcessKey = 'cpu' | 'rss' | 'name' | 'pid';

export interface ProcessSort {
  key: ProcessKey;
  desc: boolean;
}

const byName = (a: Process, b: Process) => a.name.localeCompare(b.name, undefined, { sensitivity: 'base', numeric: true });

const COMPARE: Record<ProcessKey, (a: Process, b: Process) => number> = {
  cpu: (a, b) => a.cpu_percent - b.cpu_percent || a.rss_bytes - b.rss_bytes,
  rss: (a, b) => a.rss_bytes - b.rss_bytes || a.cpu_percent - b.cpu_percent,
  name: byName,
  pid: () => 0,
};

/** sortProcesses returns a new array ordered by the key; ties go by pid, ascending, in either direction. */
export function sortProcesses(list: readonly Process[], s: ProcessSort): Process[] {
  const sign = s.desc ? -1 : 1;
  const cmp = COMPARE[s.key];
  return [...list].sort((a, b) => sign * cmp(a, b) || (s.key === 'pid' ? sign : 1) * (a.pid - b.pid));
}

/** nextSort is the sort after a click on a column: the same column flips, another starts in its natural direction. */
export function nextSort(cur: ProcessSort, key: ProcessKey): ProcessSort {
  if (cur.key === key) return { key, desc: !cur.desc };
  return { key, desc: key === 'cpu' || key === 'rss' };
}

/**
 * filterProcesses keeps the processes matching every word of the query, case
 * insensitively, in the name, command line or user; a word of digits also
 * matches the pid exactly. An empty query keeps all.
 */
export function filterProcesses(list: readonly Process[], query: string): Process[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return [...list];
  return list.filter((p) => {
    const text = `${p.name}\n${p.cmdline}\n${p.user}`.toLowerCase();
    return words.every((w) => text.includes(w) || (/^\d+$/.test(w) && String(p.pid) === w));
  });
}

/**
 * liveDeadline turns the server's `until` (RFC 3339) into a local time in ms.
 * The time left is measured on the server's clock (its Date header, when it
 * sent one) and counted from localNow, so a skewed browser clock does not
 * matter. It is bounded to [0, maxMs]; an unreadable until gives localNow.
 */
export function liveDeadline(until: string, serverDate: string | null, localNow: number, maxMs: number): number {
  const end = Date.parse(until);
  if (Number.isNaN(end)) return localNow;
  const server = serverDate ? Date.parse(serverDate) : NaN;
  const left = end - (Number.isNaN(server) ? localNow : server);
  return localNow + Math.min(maxMs, Math.max(0, left));
}

/** renewDelay is how long to wait before asking to extend live mode: `lead` ms before it ends, at least minMs. */
export function renewDelay(deadline: number, now: number, lead: number, minMs: number): number {
  return Math.max(minMs, deadline - now - lead);
}

/** newerTable picks the more recent of two process tables by scan time; b wins ties and unknown times. */
export function newerTable<T extends { time: string | null }>(a: T | null, b: T): T {
  if (!a?.time || !b.time) return b;
  return Date.parse(a.time) > Date.parse(b.time) ? a : b;
}

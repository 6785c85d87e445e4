// Pure helpers over the list of checks: status order, sorting, counting and merging updates.

import { STATUSES, type Check, type Status } from './types';

/** status maps whatever the server sent to a known Status. */
export function status(s: string | null | undefined): Status {
  return (STATUSES as readonly string[]).includes(s ?? '') ? (s as Status) : 'unknown';
}

const RANK: Record<Status, number> = { down: 0, degraded: 1, up: 2, unknown: 2 };

/** compareChecks orders down first, then degraded, then everything else by name (then id). */
export function compareChecks(a: Check, b: Check): number {
  const r = RANK[status(a.status)] - RANK[status(b.status)];
  if (r !== 0) return r;
  const n = displayName(a).localeCompare(displayName(b), undefined, { sensitivity: 'base', numeric: true });
  return n !== 0 ? n : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** sortChecks returns a new array in overview order; the input is left alone. */
export function sortChecks(checks: Iterable<Check>): Check[] {
  return [...checks].sort(compareChecks);
}

/** displayName is the check's name, or its id when it has none. */
export function displayName(c: Pick<Check, 'id' | 'name'>): string {
  return c.name || c.id;
}

export type Counts = Record<Status, number>;

/** countStatuses counts checks per status. */
export function countStatuses(checks: Iterable<Check>): Counts {
  const counts: Counts = { up: 0, degraded: 0, down: 0, unknown: 0 };
  for (const c of checks) counts[status(c.status)]++;
  return counts;
}

/** summary is the one-line overview text, e.g. "5 up, 1 degraded, 2 down" (", 1 unknown" when any). */
export function summary(c: Counts): string {
  const parts = [`${c.up} up`, `${c.degraded} degraded`, `${c.down} down`];
  if (c.unknown > 0) parts.push(`${c.unknown} unknown`);
  return parts.join(', ');
}

/** newer picks the more recent of two versions of one check by last_check; b wins ties. */
export function newer(a: Check | undefined, b: Check): Check {
  if (!a) return b;
  const ta = a.last_check ? Date.parse(a.last_check) : -Infinity;
  const tb = b.last_check ? Date.parse(b.last_check) : -Infinity;
  return ta > tb ? a : b;
}

/**
 * mergeList replaces the known checks with a freshly fetched list, keeping
 * any check whose streamed version is newer than the fetched one. Checks no
 * longer in the list are dropped (they were removed from the config).
 */
export function mergeList(known: Map<string, Check>, fetched: Check[]): Map<string, Check> {
  const out = new Map<string, Check>();
  for (const c of fetched) out.set(c.id, newer(known.get(c.id), normalize(c)));
  return out;
}

/** applyUpdates returns a new map with streamed check updates applied in order; older states are ignored. */
export function applyUpdates(known: Map<string, Check>, updates: Check[]): Map<string, Check> {
  const out = new Map(known);
  for (const u of updates) out.set(u.id, newer(out.get(u.id), normalize(u)));
  return out;
}

/** normalize fills fields an older or partial server may omit. */
export function normalize(c: Check): Check {
  return { ...c, status: status(c.status), labels: c.labels ?? {}, reason: c.reason ?? '' };
}

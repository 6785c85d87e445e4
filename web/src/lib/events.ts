// Pure helpers over a check's event history.

import type { CheckEvent } from './types';

/**
 * mergeEvents adds events to a list without duplicates (by seq, the later
 * copy wins), keeping only those of `check`, oldest first.
 */
export function mergeEvents(old: CheckEvent[], more: CheckEvent[], check: string): CheckEvent[] {
  const bySeq = new Map<number, CheckEvent>();
  for (const e of [...old, ...more]) if (e.check === check) bySeq.set(e.seq, e);
  return [...bySeq.values()].sort((a, b) => a.seq - b.seq);
}

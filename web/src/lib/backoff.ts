// Reconnect delays for the live stream.

/** BACKOFF_MAX_MS caps the wait between reconnect attempts. */
export const BACKOFF_MAX_MS = 30_000;

/**
 * backoffDelay is the wait in milliseconds before reconnect attempt n (0 for
 * the first): 1 s doubling to 30 s, with up to 20% random jitter so that many
 * open browsers do not all reconnect at the same moment. rand returns [0, 1).
 */
export function backoffDelay(attempt: number, rand: () => number = Math.random): number {
  const base = Math.min(BACKOFF_MAX_MS, 1000 * 2 ** Math.max(0, Math.min(attempt, 16)));
  return Math.round(base * (1 - 0.2 * rand()));
}

import { parseTime, relativeTime, timestamp } from '../lib/format';
import type { CheckEvent } from '../lib/types';
import { StatusBadge } from './StatusBadge';

/** EventList shows a check's events newest first: when, from → to, and why. */
export function EventList({ events, now }: { events: CheckEvent[]; now: number }) {
  if (events.length === 0) {
    return <p class="empty">No state changes in the last 7 days.</p>;
  }
  const newest = [...events].reverse();
  return (
    <ol class="events">
      {newest.map((e) => {
        const t = parseTime(e.time);
        return (
          <li key={e.seq} class="event" data-seq={e.seq}>
            <span class="event-when">
              <time dateTime={e.time}>{t ? timestamp(t) : e.time}</time>
              {t && <span class="event-ago">{relativeTime(t, now)}</span>}
            </span>
            <span class="event-change">
              {e.kind === 'state' ? (
                <>
                  <StatusBadge status={e.from} small />
                  <span class="arrow" aria-label="to">→</span>
                  <StatusBadge status={e.to} small />
                </>
              ) : (
                <span class="event-kind">{e.kind}</span>
              )}
            </span>
            <span class="event-reason">{e.reason || <span class="muted">—</span>}</span>
          </li>
        );
      })}
    </ol>
  );
}

import { parseTime, relativeTime, timestamp } from '../lib/format';
import { ErrorNote } from './ErrorNote';
import { useHostEvents } from './hostdata';

/** HostEvents lists a host's latest process births and deaths, newest first. */
export function HostEvents({ id, everyMs, now }: { id: string; everyMs: number; now: number }) {
  const { events, error } = useHostEvents(id, everyMs);
  const newest = events ? [...events].reverse() : [];
  return (
    <section class="card" data-testid="host-events">
      <div class="card-head">
        <h2>Process births and deaths</h2>
      </div>
      {error && <ErrorNote text={error} />}
      {!events ? (
        !error && <p class="muted">Loading…</p>
      ) : newest.length === 0 ? (
        <p class="empty">No process started or ended since the server started.</p>
      ) : (
        <ol class="events proc-events">
          {newest.map((e) => {
            const t = parseTime(e.time);
            const p = e.process;
            return (
              <li key={e.seq} class="event" data-seq={e.seq} data-kind={e.kind}>
                <span class="event-when">
                  <time dateTime={e.time}>{t ? timestamp(t) : e.time}</time>
                  {t && <span class="event-ago">{relativeTime(t, now)}</span>}
                </span>
                <span class="event-change">
                  <span class={`kind kind-${e.kind}`}>{e.kind}</span>
                  <span class="p-name">{p.name}</span>
                  <span class="muted">
                    pid {p.pid} · {p.user}
                  </span>
                </span>
                <span class="event-reason p-cmd" title={p.cmdline}>
                  {p.cmdline}
                </span>
              </li>
            );
          })}
        </ol>
      )}
    </section>
  );
}

import { useEffect, useMemo, useState } from 'preact/hooks';
import { fetchEvents, isAbort, queryRange } from '../lib/api';
import { displayName } from '../lib/checks';
import { mergeEvents } from '../lib/events';
import { interval, latency, parseTime, relativeTime, timestamp } from '../lib/format';
import { alignedRange, chooseStep, latencyQuery, statusBands, toMillis, type Points } from '../lib/series';
import type { Check, CheckEvent, Range } from '../lib/types';
import { EventList } from './EventList';
import { Fact } from './Fact';
import { useNow, useScheme } from './hooks';
import { LatencyChart } from './LatencyChart';
import { useLive } from './live';
import { ErrorNote } from './ErrorNote';
import { RangePicker, useRangeParam } from './RangePicker';
import { StatusBadge } from './StatusBadge';

const RANGES = { '1h': 3600, '6h': 6 * 3600, '24h': 24 * 3600, '7d': 7 * 24 * 3600 } as const;
type RangeKey = keyof typeof RANGES;
const RANGE_KEYS = Object.keys(RANGES) as RangeKey[];
const HISTORY_MS = RANGES['7d'] * 1000;

/** CheckPage shows one check: its state, a latency graph with status bands, and its state changes. */
export function CheckPage({ id }: { id: string }) {
  const { checks, error, epoch } = useLive();
  const now = useNow(1000);
  const [rangeKey, setRangeKey] = useRangeParam(RANGE_KEYS, '1h');
  const check = checks?.get(id);
  const events = useEvents(id, epoch);
  const graph = useLatency(check, RANGES[rangeKey], epoch);

  useEffect(() => {
    document.title = check ? `${displayName(check)} · Picket` : 'Picket';
  }, [check?.name]);

  if (!checks) return <main class="page">{error ? <ErrorNote text={error} /> : <p class="muted">Loading…</p>}</main>;
  if (!check) {
    return (
      <main class="page">
        <a class="back" href="/">← All checks</a>
        <ErrorNote text={`No check with id "${id}".`} />
      </main>
    );
  }
  return (
    <main class="page" data-check-id={check.id}>
      <a class="back" href="/">← All checks</a>
      <CheckHeader c={check} now={now} />
      <section class="card">
        <div class="card-head">
          <h2>Latency</h2>
          <RangePicker keys={RANGE_KEYS} value={rangeKey} onChange={setRangeKey} />
        </div>
        {graph.error && <ErrorNote text={graph.error} />}
        <Graph check={check} data={graph.data} range={graph.range} events={events.list} />
      </section>
      <section class="card" data-testid="events">
        <div class="card-head">
          <h2>State changes</h2>
        </div>
        {events.error && <ErrorNote text={events.error} />}
        <EventList events={events.list} now={now} />
      </section>
    </main>
  );
}

function CheckHeader({ c, now }: { c: Check; now: number }) {
  const since = parseTime(c.since);
  const last = parseTime(c.last_check);
  const labels = Object.entries(c.labels ?? {}).sort(([a], [b]) => a.localeCompare(b));
  return (
    <div class="check-head">
      <div class="check-title">
        <StatusBadge status={c.status} />
        <h1>{displayName(c)}</h1>
        {since && (
          <span class="muted" title={timestamp(since)}>
            since {relativeTime(since, now)}
          </span>
        )}
      </div>
      <p class="check-reason">{c.reason || <span class="muted">No result yet</span>}</p>
      <dl class="facts">
        <Fact k="Target" v={<code>{c.target}</code>} />
        <Fact k="Type" v={c.type} />
        <Fact k="Interval" v={interval(c.interval_s)} />
        <Fact k="Latency" v={latency(c.latency_ms)} />
        <Fact k="Last check" v={last ? <span title={timestamp(last)}>{relativeTime(last, now)}</span> : 'never'} />
        <Fact k="ID" v={<code>{c.id}</code>} />
      </dl>
      {labels.length > 0 && (
        <ul class="labels" aria-label="labels">
          {labels.map(([k, v]) => (
            <li key={k} class="label">
              {k}=<b>{v}</b>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

function Graph({ check, data, range, events }: { check: Check; data: Points; range: Range; events: CheckEvent[] }) {
  const scheme = useScheme();
  const bands = useMemo(
    () => statusBands(events, check.status, range.start, range.end),
    [events, check.status, range.start, range.end],
  );
  const frame = useMemo(() => ({ start: range.start, end: range.end, bands }), [range, bands]);
  return (
    <>
      <LatencyChart data={data} frame={frame} scheme={scheme} />
      <p class="band-legend" aria-hidden="true">
        Background: <i class="sw sw-up" /> up <i class="sw sw-degraded" /> degraded <i class="sw sw-down" /> down{' '}
        <i class="sw sw-unknown" /> unknown
      </p>
    </>
  );
}

interface LatencyData {
  data: Points;
  range: Range;
  error: string | null;
}

/** useLatency queries a check's latency over the last `seconds`, again every step (at least every 10 s). */
function useLatency(check: Check | undefined, seconds: number, epoch: number): LatencyData {
  const id = check?.id ?? '';
  const ivl = check?.interval_s ?? 0;
  const step = chooseStep(seconds, ivl);
  const [g, setG] = useState<LatencyData>(() => ({ data: [[], []], range: alignedRange(Date.now(), seconds, step), error: null }));
  useEffect(() => {
    if (!id) return;
    const ctl = new AbortController();
    const load = () => {
      const range = alignedRange(Date.now(), seconds, step);
      queryRange(latencyQuery(id, step, ivl), range, ctl.signal).then(
        (result) => setG({ data: toMillis(result, range), range, error: null }),
        (err) => isAbort(err) || setG((old) => ({ ...old, error: `Latency: ${err?.message ?? err}` })),
      );
    };
    load();
    const t = setInterval(load, Math.max(step, 10) * 1000);
    return () => {
      ctl.abort();
      clearInterval(t);
    };
  }, [id, seconds, step, ivl, epoch]);
  return g;
}

/** useEvents loads a check's last 7 days of events and appends new ones from the stream, oldest first. */
function useEvents(id: string, epoch: number): { list: CheckEvent[]; error: string | null } {
  const { onEvent } = useLive();
  const [list, setList] = useState<CheckEvent[]>([]);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    const ctl = new AbortController();
    const add = (more: CheckEvent[]) => setList((old) => mergeEvents(old, more, id));
    const off = onEvent((e) => e.check === id && add([e]));
    fetchEvents(id, Date.now() - HISTORY_MS, 1000, ctl.signal).then(
      (evs) => {
        add(evs);
        setError(null);
      },
      (err) => isAbort(err) || setError(`Events: ${err?.message ?? err}`),
    );
    return () => {
      ctl.abort();
      off();
    };
  }, [id, epoch]);
  // After a move to another check, the old list shows until the new one loads: hide it.
  const mine = useMemo(() => list.filter((e) => e.check === id), [list, id]);
  return { list: mine, error };
}

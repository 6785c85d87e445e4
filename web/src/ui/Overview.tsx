import { Fragment } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { isAbort, queryRange } from '../lib/api';
import { countStatuses, displayName, sortChecks } from '../lib/checks';
import { latency, parseTime, relativeTime, timestamp } from '../lib/format';
import { checkPath } from '../lib/route';
import { alignedRange, perCheck, type Points } from '../lib/series';
import type { Check, Range, Status } from '../lib/types';
import { useNow, useScheme } from './hooks';
import { useLive } from './live';
import { Sparkline } from './Sparkline';
import { ErrorNote } from './ErrorNote';
import { HostsSection } from './HostsPage';
import { StatusBadge } from './StatusBadge';

const SPARK_SECONDS = 3600;
const SPARK_STEP = 30;

interface Sparks {
  range: Range;
  data: Map<string, Points>;
  error: string | null;
}

/** useSparklines loads the last hour of every check's latency in one query and refreshes it every step. */
function useSparklines(epoch: number): Sparks {
  const [sparks, setSparks] = useState<Sparks>(() => ({
    range: alignedRange(Date.now(), SPARK_SECONDS, SPARK_STEP),
    data: new Map(),
    error: null,
  }));
  useEffect(() => {
    const ctl = new AbortController();
    const load = () => {
      const range = alignedRange(Date.now(), SPARK_SECONDS, SPARK_STEP);
      queryRange('picket_probe_duration_seconds', range, ctl.signal).then(
        (result) => setSparks({ range, data: perCheck(result, range), error: null }),
        (err) => isAbort(err) || setSparks((s) => ({ ...s, error: String(err?.message ?? err) })),
      );
    };
    load();
    const t = setInterval(load, SPARK_STEP * 1000);
    return () => {
      ctl.abort();
      clearInterval(t);
    };
  }, [epoch]);
  return sparks;
}

/** Overview lists every check, worst first, updated live, then the hosts that run an agent. */
export function Overview() {
  const { checks, error, epoch } = useLive();
  const now = useNow(1000);
  const scheme = useScheme();
  const sparks = useSparklines(epoch);

  if (!checks) {
    return <main class="page">{error ? <ErrorNote text={error} /> : <p class="muted">Loading checks…</p>}</main>;
  }
  const list = sortChecks(checks.values());
  return (
    <main class="page">
      <div class="page-head">
        <h1>Checks</h1>
        <Summary counts={countStatuses(list)} total={list.length} />
      </div>
      {error && <ErrorNote text={error} />}
      {list.length === 0 ? (
        <p class="empty">No checks are configured. Add some under <code>checks:</code> in picket.yaml.</p>
      ) : (
        <table class="checks">
          <thead>
            <tr>
              <th>Status</th>
              <th>Name</th>
              <th>Type</th>
              <th>Target</th>
              <th>Reason</th>
              <th class="num">Latency</th>
              <th title={sparks.error ?? 'Latency over the last hour'}>Last hour</th>
              <th>Since</th>
            </tr>
          </thead>
          <tbody>
            {list.map((c) => (
              <Row key={c.id} c={c} now={now} spark={sparks.data.get(c.id)} range={sparks.range} scheme={scheme} />
            ))}
          </tbody>
        </table>
      )}
      <HostsSection />
    </main>
  );
}

interface RowProps {
  c: Check;
  now: number;
  spark: Points | undefined;
  range: Range;
  scheme: string;
}

function Row({ c, now, spark, range, scheme }: RowProps) {
  const since = parseTime(c.since);
  return (
    <tr class={`row row-${c.status}`} data-check-id={c.id}>
      <td class="c-status">
        <StatusBadge status={c.status} />
      </td>
      <td class="c-name">
        <a href={checkPath(c.id)}>{displayName(c)}</a>
      </td>
      <td class="c-type" data-label="Type">
        {c.type}
      </td>
      <td class="c-target" data-label="Target" title={c.target}>
        {c.target}
      </td>
      <td class="c-reason" title={c.reason}>
        {c.reason || <span class="muted">—</span>}
      </td>
      <td class="c-latency num" data-label="Latency">
        {latency(c.latency_ms)}
      </td>
      <td class="c-spark">
        <Sparkline data={spark} range={range} scheme={scheme} />
      </td>
      <td class="c-since" data-label="Since" title={since ? timestamp(since) : 'never run'}>
        {since ? relativeTime(since, now) : '—'}
      </td>
    </tr>
  );
}

const ORDER: Status[] = ['up', 'degraded', 'down', 'unknown'];

/** Summary reads "5 up, 1 degraded, 2 down" (and unknown when any), each count in its colour. */
function Summary({ counts, total }: { counts: Record<Status, number>; total: number }) {
  const shown = ORDER.filter((s) => s !== 'unknown' || counts.unknown > 0);
  return (
    <p class="summary" data-testid="summary">
      {shown.map((s, i) => (
        <Fragment key={s}>
          {i > 0 && ', '}
          <span class={`count count-${s}${counts[s] === 0 ? ' count-zero' : ''}`}>
            <b>{counts[s]}</b> {s}
          </span>
        </Fragment>
      ))}
      <span class="muted"> · {total} checks</span>
    </p>
  );
}

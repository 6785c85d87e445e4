import { useEffect } from 'preact/hooks';
import { decimal, parseTime, relativeTime, timestamp } from '../lib/format';
import { HOST_RANGES, type HostRangeKey } from '../lib/hostseries';
import type { Host } from '../lib/types';
import { ErrorNote } from './ErrorNote';
import { Fact } from './Fact';
import { HostEvents } from './HostEvents';
import { HostGraphs } from './HostGraphs';
import { useNow, useVisible } from './hooks';
import { useHost, useLiveMode, type LiveMode } from './hostdata';
import { UsageBar } from './HostsTable';
import { ProcessTable } from './ProcessTable';
import { useRangeParam } from './RangePicker';
import { StatusBadge } from './StatusBadge';

const RANGE_KEYS = Object.keys(HOST_RANGES) as HostRangeKey[];

/**
 * HostPage shows one host: what its agent said, its graphs, process table and
 * process births and deaths. While the page is visible it keeps the agent in
 * live mode; then the 15-minute graphs refresh every second.
 */
export function HostPage({ id }: { id: string }) {
  const now = useNow(1000);
  const visible = useVisible();
  const { host, error, missing } = useHost(id);
  const mode = useLiveMode(id, visible && !missing);
  const live = mode.state === 'on' && now < mode.until;
  const [rangeKey, setRangeKey] = useRangeParam(RANGE_KEYS, '15m');

  useEffect(() => {
    document.title = `${host?.name ?? id} · Picket`;
  }, [host?.name]);

  const back = (
    <a class="back" href="/hosts">
      ← All hosts
    </a>
  );
  if (missing) {
    return (
      <main class="page">
        {back}
        <ErrorNote text={`No host with id "${id}".`} />
      </main>
    );
  }
  if (!host) return <main class="page">{error ? <ErrorNote text={error} /> : <p class="muted">Loading…</p>}</main>;
  const fast = live && rangeKey === '15m';
  return (
    <main class="page" data-host-id={host.id}>
      {back}
      {error && <ErrorNote text={error} />}
      <HostHeader h={host} now={now} mode={mode} live={live} />
      <HostGraphs id={host.id} keys={RANGE_KEYS} rangeKey={rangeKey} onRange={setRangeKey} everyMs={fast ? 1000 : 10_000} />
      <ProcessTable id={host.id} everyMs={live ? 2000 : 10_000} now={now} />
      <HostEvents id={host.id} everyMs={live ? 5000 : 10_000} now={now} />
    </main>
  );
}

function HostHeader({ h, now, mode, live }: { h: Host; now: number; mode: LiveMode; live: boolean }) {
  const since = parseTime(h.since);
  const seen = parseTime(h.last_seen);
  const f = h.figures;
  return (
    <div class="check-head">
      <div class="check-title">
        <StatusBadge status={h.status} />
        <h1>{h.name}</h1>
        {since && (
          <span class="muted" title={timestamp(since)}>
            since {relativeTime(since, now)}
          </span>
        )}
        <LiveBadge mode={mode} live={live} />
      </div>
      <dl class="facts host-facts">
        <Fact k="OS" v={h.os || '—'} />
        <Fact k="Kernel" v={h.kernel || '—'} />
        <Fact k="Arch" v={h.arch || '—'} />
        <Fact k="Cores" v={h.cores > 0 ? h.cores : '—'} />
        <Fact k="Agent" v={h.agent_version || '—'} />
        <Fact k="Last seen" v={seen ? <span title={timestamp(seen)}>{relativeTime(seen, now)}</span> : 'never'} />
        <Fact k="Processes" v={h.processes} />
        <Fact k="ID" v={<code>{h.id}</code>} />
      </dl>
      <dl class="facts host-figures">
        <Fact k="CPU" v={<UsageBar value={f.cpu_percent} what="CPU busy" />} />
        <Fact k="Memory" v={<UsageBar value={f.memory_used_percent} what="Memory used" />} />
        <Fact k={`Disk${f.disk_mountpoint ? ` ${f.disk_mountpoint}` : ''}`} v={<UsageBar value={f.disk_used_percent} what="Disk used" />} />
        <Fact k="Load" v={decimal(f.load1)} />
      </dl>
      {h.last_error && (
        <p class="muted host-error">
          Last refused message: {h.last_error.reason}, {relativeTime(parseTime(h.last_error.time) ?? now, now)}
        </p>
      )}
    </div>
  );
}

const REFUSAL: Record<number, string> = {
  503: 'agent not connected',
  502: 'agent refused',
  404: 'not available',
};

/** LiveBadge says whether the agent is in live mode, and if not, why. */
function LiveBadge({ mode, live }: { mode: LiveMode; live: boolean }) {
  if (live && mode.state === 'on') {
    return (
      <span class="live-badge live-on" data-testid="live-badge" data-live="on" title={`The agent reports every second until ${timestamp(mode.until)}`}>
        <span class="live-dot" aria-hidden="true" />
        live
      </span>
    );
  }
  const [text, title] =
    mode.state === 'failed'
      ? [`not live · ${REFUSAL[mode.status] ?? 'request failed'}`, mode.error]
      : mode.state === 'asking'
        ? ['going live…', 'Asking the agent for live mode']
        : ['not live', 'Live mode is asked for while this page is visible'];
  return (
    <span class="live-badge" data-testid="live-badge" data-live={mode.state === 'asking' ? 'asking' : 'off'} title={title}>
      <span class="live-dot" aria-hidden="true" />
      {text}
    </span>
  );
}

import { Fragment } from 'preact';
import { countHosts, level, platform, sortHosts } from '../lib/hosts';
import { decimal, parseTime, percent, relativeTime, timestamp } from '../lib/format';
import { hostPath } from '../lib/route';
import type { Host, HostStatus } from '../lib/types';
import { StatusBadge } from './StatusBadge';

/** HostsTable lists hosts worst first: status, name, system, key figures as bars, load and last report. */
export function HostsTable({ hosts, now }: { hosts: Host[]; now: number }) {
  return (
    <table class="checks hosts">
      <thead>
        <tr>
          <th>Status</th>
          <th>Host</th>
          <th>System</th>
          <th>CPU</th>
          <th>Memory</th>
          <th>Disk</th>
          <th class="num">Load</th>
          <th>Last seen</th>
        </tr>
      </thead>
      <tbody>
        {sortHosts(hosts).map((h) => (
          <HostRow key={h.id} h={h} now={now} />
        ))}
      </tbody>
    </table>
  );
}

function HostRow({ h, now }: { h: Host; now: number }) {
  const seen = parseTime(h.last_seen);
  const f = h.figures;
  return (
    <tr class={`row row-${h.status}`} data-host-id={h.id}>
      <td class="c-status">
        <StatusBadge status={h.status} />
      </td>
      <td class="c-name">
        <a href={hostPath(h.id)}>{h.name}</a>
        {h.name !== h.id && <span class="host-id">{h.id}</span>}
      </td>
      <td class="c-system" title={platform(h)}>
        {platform(h) || <span class="muted">—</span>}
        {h.cores > 0 && <span class="muted"> · {h.cores} cores</span>}
      </td>
      <td class="c-bar" data-label="CPU">
        <UsageBar value={f.cpu_percent} what="CPU busy" />
      </td>
      <td class="c-bar" data-label="Mem">
        <UsageBar value={f.memory_used_percent} what="Memory used" />
      </td>
      <td class="c-bar" data-label="Disk">
        <UsageBar value={f.disk_used_percent} what={`Fullest filesystem${f.disk_mountpoint ? ` (${f.disk_mountpoint})` : ''}`} />
      </td>
      <td class="c-latency num" data-label="Load">
        {decimal(f.load1)}
      </td>
      <td class="c-since" data-label="Seen" title={seen ? timestamp(seen) : 'not since the server started'}>
        {seen ? relativeTime(seen, now) : '—'}
      </td>
    </tr>
  );
}

/** UsageBar shows a percentage as a short bar, amber from 80 and red from 90, with the number beside it. */
export function UsageBar({ value, what }: { value: number | null; what: string }) {
  if (value == null) return <span class="muted">—</span>;
  const width = `${Math.min(100, Math.max(0, value))}%`;
  return (
    <span class={`usage usage-${level(value)}`} title={`${what}: ${percent(value)}`}>
      <span class="usage-track" aria-hidden="true">
        <span class="usage-fill" style={{ width }} />
      </span>
      <span class="usage-num">{percent(value)}</span>
    </span>
  );
}

const ORDER: HostStatus[] = ['up', 'down', 'unknown'];

/** HostSummary reads "3 up, 1 down" (and unknown when any), each count in its colour. */
export function HostSummary({ hosts }: { hosts: Host[] }) {
  const counts = countHosts(hosts);
  const shown = ORDER.filter((s) => s !== 'unknown' || counts.unknown > 0);
  return (
    <p class="summary" data-testid="host-summary">
      {shown.map((s, i) => (
        <Fragment key={s}>
          {i > 0 && ', '}
          <span class={`count count-${s}${counts[s] === 0 ? ' count-zero' : ''}`}>
            <b>{counts[s]}</b> {s}
          </span>
        </Fragment>
      ))}
      <span class="muted"> · {hosts.length} hosts</span>
    </p>
  );
}

import { useMemo, useState } from 'preact/hooks';
import { bytes, parseTime, relativeTime, timestamp } from '../lib/format';
import { filterProcesses, nextSort, sortProcesses, type ProcessKey, type ProcessSort } from '../lib/hosts';
import type { Process } from '../lib/types';
import { ErrorNote } from './ErrorNote';
import { useProcesses } from './hostdata';

const SHOWN = 100;

/** ProcessTable shows a host's processes, sortable by CPU, memory, name or pid, with a filter and a refresh from the agent. */
export function ProcessTable({ id, everyMs, now }: { id: string; everyMs: number; now: number }) {
  const { table, error, refreshing, refreshed, refresh } = useProcesses(id, everyMs);
  const [query, setQuery] = useState('');
  const [sort, setSort] = useState<ProcessSort>({ key: 'cpu', desc: true });
  const [all, setAll] = useState(false);
  const list = table?.processes ?? [];
  const rows = useMemo(() => sortProcesses(filterProcesses(list, query), sort), [list, query, sort]);
  const shown = all ? rows : rows.slice(0, SHOWN);
  const scanned = parseTime(table?.time);
  const head = (key: ProcessKey, label: string, num = false) => (
    <SortHeader key={key} label={label} num={num} sort={sort} onSort={(k) => setSort(nextSort(sort, k))} k={key} />
  );
  return (
    <section
      class="card"
      data-testid="processes"
      data-state={!table ? 'loading' : refreshing ? 'refreshing' : 'idle'}
      data-refreshed={refreshed}
    >
      <div class="card-head">
        <h2>
          Processes{' '}
          <span class="muted">
            {table ? list.length : ''}
            {scanned && <span title={timestamp(scanned)}> · read {relativeTime(scanned, now)}</span>}
          </span>
        </h2>
        <div class="proc-tools">
          <input
            type="search"
            class="filter"
            placeholder="Filter: name, command, user, pid"
            aria-label="filter processes"
            value={query}
            onInput={(e) => setQuery((e.target as HTMLInputElement).value)}
          />
          <button type="button" class="btn" onClick={refresh} disabled={refreshing} title="Read the process table from the agent now">
            {refreshing ? 'Refreshing…' : 'Refresh'}
          </button>
        </div>
      </div>
      {error && <ErrorNote text={error} />}
      {!table ? (
        <p class="muted">Loading…</p>
      ) : (
        <div class="table-scroll">
          <table class="procs">
            <thead>
              <tr>
                {head('pid', 'PID', true)}
                {head('name', 'Name')}
                <th>User</th>
                <th>State</th>
                {head('cpu', 'CPU', true)}
                {head('rss', 'Memory', true)}
                <th class="num">Threads</th>
                <th>Started</th>
                <th>Command</th>
              </tr>
            </thead>
            <tbody>
              {shown.map((p) => (
                <ProcessRow key={`${p.pid}-${p.start}`} p={p} now={now} />
              ))}
              {rows.length === 0 && (
                <tr class="proc-none">
                  <td colSpan={9}>{list.length === 0 ? 'No process table yet.' : 'No process matches the filter.'}</td>
                </tr>
              )}
            </tbody>
          </table>
        </div>
      )}
      {rows.length > SHOWN && (
        <p class="muted proc-more">
          {all ? `All ${rows.length} shown. ` : `Showing ${SHOWN} of ${rows.length}. `}
          <button type="button" class="link" onClick={() => setAll(!all)}>
            {all ? `Show ${SHOWN}` : 'Show all'}
          </button>
        </p>
      )}
    </section>
  );
}

interface SortHeaderProps {
  k: ProcessKey;
  label: string;
  num: boolean;
  sort: ProcessSort;
  onSort(k: ProcessKey): void;
}

function SortHeader({ k, label, num, sort, onSort }: SortHeaderProps) {
  const on = sort.key === k;
  return (
    <th class={num ? 'num' : undefined} aria-sort={on ? (sort.desc ? 'descending' : 'ascending') : 'none'}>
      <button type="button" class="sort" data-sort={k} onClick={() => onSort(k)}>
        {label}
        <span class="sort-mark" aria-hidden="true">
          {on ? (sort.desc ? '▼' : '▲') : ''}
        </span>
      </button>
    </th>
  );
}

function ProcessRow({ p, now }: { p: Process; now: number }) {
  const started = parseTime(p.start);
  return (
    <tr data-pid={p.pid}>
      <td class="num">{p.pid}</td>
      <td class="p-name">{p.name}</td>
      <td>{p.user}</td>
      <td class="muted">{p.state}</td>
      <td class="num">{p.cpu_percent.toFixed(1)}%</td>
      <td class="num">{bytes(p.rss_bytes)}</td>
      <td class="num">{p.threads}</td>
      <td class="muted" title={started ? timestamp(started) : ''}>
        {started ? relativeTime(started, now) : '—'}
      </td>
      <td class="p-cmd" title={p.cmdline}>
        {p.cmdline}
      </td>
    </tr>
  );
}

import { HOST_CHARTS, HOST_RANGES, type HostRangeKey } from '../lib/hostseries';
import { ErrorNote } from './ErrorNote';
import { useScheme } from './hooks';
import { useHostGraphs } from './hostdata';
import { MetricChart } from './MetricChart';
import { RangePicker } from './RangePicker';

interface Props {
  id: string;
  keys: readonly HostRangeKey[];
  rangeKey: HostRangeKey;
  onRange(k: HostRangeKey): void;
  everyMs: number;
}

/** HostGraphs draws every host graph over the chosen range, refreshed every `everyMs`. */
export function HostGraphs({ id, keys, rangeKey, onRange, everyMs }: Props) {
  const scheme = useScheme();
  const g = useHostGraphs(id, HOST_RANGES[rangeKey], everyMs);
  return (
    <section class="card" data-testid="graphs">
      <div class="card-head">
        <h2>Metrics</h2>
        <span class="muted refresh-note">{everyMs <= 1000 ? 'refreshing every second' : `refreshing every ${everyMs / 1000} s`}</span>
        <RangePicker keys={keys} value={rangeKey} onChange={onRange} />
      </div>
      <div class="graph-grid">
        {HOST_CHARTS.map((c) => {
          const d = g.charts[c.id];
          if (c.optional && d?.data?.names.length === 0) return null;
          return (
            <div class="graph" key={c.id}>
              <h3>{c.title}</h3>
              {d?.error && <ErrorNote text={`${c.title}: ${d.error}`} />}
              {d?.data ? (
                <MetricChart id={c.id} data={d.data} range={g.range} unit={c.unit} yMax={c.yMax} scheme={scheme} />
              ) : (
                <p class="muted chart-loading">{d ? 'No data' : 'Loading…'}</p>
              )}
            </div>
          );
        })}
      </div>
    </section>
  );
}

import { useEffect } from 'preact/hooks';
import { ErrorNote } from './ErrorNote';
import { useNow } from './hooks';
import { useHostList } from './hostdata';
import { HostsTable, HostSummary } from './HostsTable';

/**
 * HostsSection is the overview's list of hosts, polled every few seconds.
 * With `always` unset it shows nothing until some host exists, so a Picket
 * without agents keeps a plain overview.
 */
export function HostsSection({ always, heading: Heading = 'h2' }: { always?: boolean; heading?: 'h1' | 'h2' }) {
  const { hosts, error } = useHostList();
  const now = useNow(1000);
  if (!always && !hosts?.length) return null;
  return (
    <section class="hosts-section" data-testid="hosts">
      <div class="page-head">
        <Heading>Hosts</Heading>
        {hosts && hosts.length > 0 && <HostSummary hosts={hosts} />}
      </div>
      {error && <ErrorNote text={error} />}
      {!hosts ? (
        !error && <p class="muted">Loading hosts…</p>
      ) : hosts.length === 0 ? (
        <p class="empty">
          No hosts yet. Run <code>picket agent</code> on a server and list it under <code>agents:</code> in picket.yaml.
        </p>
      ) : (
        <HostsTable hosts={hosts} now={now} />
      )}
    </section>
  );
}

/** HostsPage is the Hosts view of the header: the host list alone. */
export function HostsPage() {
  useEffect(() => {
    document.title = 'Hosts · Picket';
  }, []);
  return (
    <main class="page">
      <HostsSection always heading="h1" />
    </main>
  );
}

import { useEffect } from 'preact/hooks';
import { countStatuses } from '../lib/checks';
import type { Route } from '../lib/route';
import type { Check } from '../lib/types';
import { CheckPage } from './CheckPage';
import { Header } from './Header';
import { HostPage } from './HostPage';
import { HostsPage } from './HostsPage';
import { useRoute } from './hooks';
import { LiveContext, useLiveModel } from './live';
import { Overview } from './Overview';

/** App owns the live model and picks the page for the current path. */
export function App() {
  const live = useLiveModel();
  const route = useRoute();
  useTitle(live.checks, route.page === 'overview');
  return (
    <LiveContext.Provider value={live}>
      <Header conn={live.conn} />
      <div class={live.conn.state === 'retrying' ? 'stale' : undefined}>
        <Page route={route} />
      </div>
    </LiveContext.Provider>
  );
}

function Page({ route }: { route: Route }) {
  switch (route.page) {
    case 'overview':
      return <Overview />;
    case 'check':
      return <CheckPage key={route.id} id={route.id} />;
    case 'hosts':
      return <HostsPage />;
    case 'host':
      return <HostPage key={route.id} id={route.id} />;
    case 'notfound':
      return (
        <main class="page">
          <h1>Not found</h1>
          <p>
            Nothing lives at <code>{route.path}</code>. <a href="/">All checks</a>
          </p>
        </main>
      );
  }
}

// On the overview the tab title carries the bad news, so a background tab shows it.
function useTitle(checks: Map<string, Check> | null, overview: boolean) {
  useEffect(() => {
    if (!overview) return;
    const c = countStatuses(checks?.values() ?? []);
    const bad = [c.down && `${c.down} down`, c.degraded && `${c.degraded} degraded`].filter(Boolean);
    document.title = bad.length ? `(${bad.join(', ')}) Picket` : 'Picket';
  }, [checks, overview]);
}

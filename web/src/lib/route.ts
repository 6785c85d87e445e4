// Client-side routes. The server answers every non-asset path with index.html,
// so these are plain paths (history routing).

export type Route =
  | { page: 'overview' }
  | { page: 'check'; id: string }
  | { page: 'hosts' }
  | { page: 'host'; id: string }
  | { page: 'notfound'; path: string };

/** parseRoute maps a location pathname to a route. */
export function parseRoute(pathname: string): Route {
  const path = pathname.replace(/\/+$/, '') || '/';
  if (path === '/' || path === '/index.html') return { page: 'overview' };
  if (path === '/hosts') return { page: 'hosts' };
  const m = /^\/(checks|hosts)\/([^/]+)$/.exec(path);
  if (m) {
    try {
      const id = decodeURIComponent(m[2]);
      return m[1] === 'checks' ? { page: 'check', id } : { page: 'host', id };
    } catch {
      // malformed percent-encoding: fall through to not found
    }
  }
  return { page: 'notfound', path: pathname };
}

/** checkPath is the page of one check. */
export function checkPath(id: string): string {
  return `/checks/${encodeURIComponent(id)}`;
}

/** hostPath is the page of one host. */
export function hostPath(id: string): string {
  return `/hosts/${encodeURIComponent(id)}`;
}

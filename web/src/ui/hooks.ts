// Small hooks shared by the pages.

import { useEffect, useState } from 'preact/hooks';
import { parseRoute, type Route } from '../lib/route';

/** useNow returns the current time in ms, refreshed every `everyMs`. */
export function useNow(everyMs = 1000): number {
  const [now, setNow] = useState(Date.now);
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(t);
  }, [everyMs]);
  return now;
}

const dark = () => window.matchMedia?.('(prefers-color-scheme: dark)');

/** useScheme returns 'dark' or 'light' and re-renders when the system setting changes. */
export function useScheme(): 'dark' | 'light' {
  const [isDark, setDark] = useState(() => dark()?.matches ?? false);
  useEffect(() => {
    const mq = dark();
    if (!mq) return;
    const on = () => setDark(mq.matches);
    mq.addEventListener('change', on);
    return () => mq.removeEventListener('change', on);
  }, []);
  return isDark ? 'dark' : 'light';
}

const NAVIGATE = 'picket:navigate';

/** navigate moves to a client-side path without reloading the page. */
export function navigate(path: string) {
  if (path === location.pathname + location.search) return;
  history.pushState(null, '', path);
  window.dispatchEvent(new Event(NAVIGATE));
  window.scrollTo(0, 0);
}

/** useRoute returns the current route and follows links, back and forward. */
export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(location.pathname));
  useEffect(() => {
    const update = () => setRoute(parseRoute(location.pathname));
    const click = (e: MouseEvent) => {
      const a = (e.target as Element | null)?.closest?.('a');
      if (!a || e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
      if (a.target || a.hasAttribute('download') || a.origin !== location.origin) return;
      e.preventDefault();
      navigate(a.pathname + a.search);
    };
    window.addEventListener('popstate', update);
    window.addEventListener(NAVIGATE, update);
    document.addEventListener('click', click);
    return () => {
      window.removeEventListener('popstate', update);
      window.removeEventListener(NAVIGATE, update);
      document.removeEventListener('click', click);
    };
  }, []);
  return route;
}

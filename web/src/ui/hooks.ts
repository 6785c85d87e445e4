// Small hooks shared by the pages.

import { useEffect, useRef, useState } from 'preact/hooks';
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

/** useVisible tells whether the page is visible (not a background tab or a minimised window). */
export function useVisible(): boolean {
  const [visible, setVisible] = useState(() => !document.hidden);
  useEffect(() => {
    const on = () => setVisible(!document.hidden);
    document.addEventListener('visibilitychange', on);
    return () => document.removeEventListener('visibilitychange', on);
  }, []);
  return visible;
}

/**
 * usePoll runs load now and then every `everyMs` (counted from the start of
 * each run) while the page is visible: a hidden page pauses, and showing it
 * again runs load at once. Runs never overlap. The signal aborts when
 * everyMs or deps change or the component goes away; load handles its own
 * errors.
 */
export function usePoll(load: (signal: AbortSignal) => Promise<unknown>, everyMs: number, deps: unknown[]) {
  const fn = useRef(load);
  fn.current = load;
  useEffect(() => {
    const ctl = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    let running = false;
    const run = async () => {
      clearTimeout(timer);
      timer = undefined;
      if (ctl.signal.aborted || running || document.hidden) return;
      running = true;
      const started = Date.now();
      try {
        await fn.current(ctl.signal);
      } catch (err) {
        console.warn('picket: poll failed', err);
      } finally {
        running = false;
      }
      if (!ctl.signal.aborted) timer = setTimeout(run, Math.max(0, everyMs - (Date.now() - started)));
    };
    const onVisible = () => void (document.hidden || run());
    document.addEventListener('visibilitychange', onVisible);
    void run();
    return () => {
      ctl.abort();
      clearTimeout(timer);
      document.removeEventListener('visibilitychange', onVisible);
    };
  }, [everyMs, ...deps]);
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

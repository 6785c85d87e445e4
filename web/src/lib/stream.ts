// The live stream of check states and events (server-sent events) with
// reconnection under our own back-off, so the page can show what it is doing.

import { backoffDelay } from './backoff';
import type { Check, CheckEvent } from './types';

/** Conn is the stream's state: connecting, live, or waiting until `retryAt` (ms) to reconnect. */
export type Conn = { state: 'connecting' } | { state: 'live' } | { state: 'retrying'; retryAt: number };

export interface StreamHandlers {
  /** onState receives a check after every result. */
  onState(c: Check): void;
  /** onEvent receives each new audit-log event. */
  onEvent(e: CheckEvent): void;
  /** onOpen runs on every (re)connect: updates sent while disconnected were missed, so refetch. */
  onOpen(): void;
  onConn(c: Conn): void;
}

// A connection that stayed up this long resets the back-off.
const STABLE_MS = 10_000;

/** openStream connects to url and keeps reconnecting until the returned function is called. */
export function openStream(url: string, h: StreamHandlers): () => void {
  let es: EventSource | null = null;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let attempt = 0;
  let openedAt = 0;
  let closed = false;

  const parse = <T>(m: MessageEvent, f: (v: T) => void) => {
    try {
      f(JSON.parse(m.data) as T);
    } catch (err) {
      console.warn('picket: bad stream message', err);
    }
  };
  const connect = () => {
    timer = undefined;
    h.onConn({ state: 'connecting' });
    es = new EventSource(url);
    es.onopen = () => {
      openedAt = Date.now();
      h.onConn({ state: 'live' });
      h.onOpen();
    };
    es.addEventListener('state', (m) => parse<Check>(m, h.onState));
    es.addEventListener('event', (m) => parse<CheckEvent>(m, h.onEvent));
    es.onerror = () => retry();
  };
  // The browser would retry on its own at a fixed pace, and not at all after
  // an HTTP error; closing and reopening ourselves gives one behaviour.
  const retry = () => {
    es?.close();
    es = null;
    if (closed || timer) return;
    if (openedAt && Date.now() - openedAt > STABLE_MS) attempt = 0;
    openedAt = 0;
    const delay = backoffDelay(attempt++);
    h.onConn({ state: 'retrying', retryAt: Date.now() + delay });
    timer = setTimeout(connect, delay);
  };
  // Back online: try now instead of waiting out the back-off.
  const online = () => {
    if (timer) {
      clearTimeout(timer);
      connect();
    }
  };
  window.addEventListener('online', online);
  connect();
  return () => {
    closed = true;
    clearTimeout(timer);
    window.removeEventListener('online', online);
    es?.close();
  };
}

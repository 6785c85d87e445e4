import type { Conn } from '../lib/stream';
import { useNow } from './hooks';

/** Header is the top bar: the name, and the live stream's state. */
export function Header({ conn }: { conn: Conn }) {
  return (
    <header class="topbar">
      <a class="brand" href="/">
        <svg viewBox="0 0 16 16" width="18" height="18" aria-hidden="true">
          <path d="M8 1 2 4v4c0 3.3 2.6 6.3 6 7 3.4-.7 6-3.7 6-7V4L8 1Z" fill="currentColor" />
        </svg>
        Picket
      </a>
      <nav class="nav">
        <a href="/">Checks</a>
        <a href="/hosts">Hosts</a>
      </nav>
      <ConnIndicator conn={conn} />
    </header>
  );
}

/** ConnIndicator says whether updates are arriving live. */
export function ConnIndicator({ conn }: { conn: Conn }) {
  useNow(1000); // re-render every second for the countdown
  let text = 'Connecting…';
  let title = 'Opening the live update stream';
  if (conn.state === 'live') {
    text = 'Live';
    title = 'Receiving updates as they happen';
  } else if (conn.state === 'retrying') {
    const secs = Math.max(0, Math.ceil((conn.retryAt - Date.now()) / 1000));
    text = secs > 0 ? `Offline · retry in ${secs}s` : 'Reconnecting…';
    title = 'The live update stream dropped; what you see may be out of date';
  }
  return (
    <div class={`conn conn-${conn.state}`} data-conn={conn.state} title={title} role="status" aria-live="polite">
      <span class="conn-dot" aria-hidden="true" />
      {text}
    </div>
  );
}

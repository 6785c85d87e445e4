// Pure formatting helpers: times, durations and latencies as people read them.

const MINUTE = 60;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/**
 * relativeTime says how long before now `then` was, both in milliseconds:
 * "just now", "42s ago", "3m ago", "5h ago", "2d ago". A time slightly in the
 * future (clock skew) reads "just now"; further ahead it reads "in 3m".
 */
export function relativeTime(then: number, now: number): string {
  const secs = Math.round((now - then) / 1000);
  if (Math.abs(secs) < 5) return 'just now';
  const text = shortDuration(Math.abs(secs));
  return secs > 0 ? `${text} ago` : `in ${text}`;
}

/** shortDuration gives the largest whole unit of a number of seconds: "42s", "3m", "5h", "2d". */
export function shortDuration(secs: number): string {
  if (secs < MINUTE) return `${Math.floor(secs)}s`;
  if (secs < HOUR) return `${Math.floor(secs / MINUTE)}m`;
  if (secs < DAY) return `${Math.floor(secs / HOUR)}h`;
  return `${Math.floor(secs / DAY)}d`;
}

/** interval formats a check interval in seconds the way a config says it: "10s", "1m30s", "2h". */
export function interval(secs: number): string {
  if (!Number.isFinite(secs) || secs <= 0) return '—';
  if (secs < 1) return `${Math.round(secs * 1000)}ms`;
  const h = Math.floor(secs / HOUR);
  const m = Math.floor((secs % HOUR) / MINUTE);
  const s = Math.round(secs % MINUTE);
  return [h && `${h}h`, m && `${m}m`, s && `${s}s`].filter(Boolean).join('') || '0s';
}

/** latency formats milliseconds with about three significant digits; null is an em dash. */
export function latency(ms: number | null | undefined): string {
  if (ms == null || !Number.isFinite(ms)) return '—';
  if (ms >= 1000) return `${(ms / 1000).toFixed(ms >= 10000 ? 1 : 2)} s`;
  if (ms >= 100) return `${Math.round(ms)} ms`;
  if (ms >= 10) return `${ms.toFixed(1)} ms`;
  return `${ms.toFixed(ms >= 1 ? 1 : 2)} ms`;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** timestamp formats milliseconds since the epoch as local "YYYY-MM-DD HH:MM:SS". */
export function timestamp(ms: number): string {
  const d = new Date(ms);
  const date = `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
  return `${date} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

/** parseTime turns an RFC 3339 string into milliseconds, or null when absent or invalid. */
export function parseTime(s: string | null | undefined): number | null {
  if (!s) return null;
  const ms = Date.parse(s);
  return Number.isNaN(ms) ? null : ms;
}

/** axisLatency labels a latency axis tick in ms: "0", "250 ms", "1.5 ms", "2 s". */
export function axisLatency(ms: number): string {
  if (ms === 0) return '0';
  if (Math.abs(ms) >= 1000) return `${+(ms / 1000).toPrecision(3)} s`;
  return `${+ms.toPrecision(3)} ms`;
}

/**
 * timeTicks labels time-axis ticks (Unix seconds) in local 24-hour time:
 * "HH:MM" when ticks are less than a day apart, with the date "MM-DD" on a
 * second line at the first tick and wherever the day changes; "MM-DD" alone
 * for ticks a day or more apart.
 */
export function timeTicks(ticks: number[], incrSecs: number): string[] {
  let lastDay = '';
  return ticks.map((t) => {
    const d = new Date(t * 1000);
    const day = `${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
    if (incrSecs >= 86400) return day;
    const hm = `${pad(d.getHours())}:${pad(d.getMinutes())}`;
    const label = day !== lastDay ? `${hm}\n${day}` : hm;
    lastDay = day;
    return label;
  });
}

const IEC = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB', 'EiB'];

/** bytes formats a byte count in binary units with three significant digits: "512 B", "1.5 KiB", "231 GiB"; null is an em dash. */
export function bytes(n: number | null | undefined): string {
  if (n == null || !Number.isFinite(n)) return '—';
  let v = Math.abs(n);
  let i = 0;
  while (v >= 1024 && i < IEC.length - 1) {
    v /= 1024;
    i++;
  }
  const text = i === 0 ? String(Math.round(v)) : String(+v.toPrecision(3));
  return `${n < 0 ? '-' : ''}${text} ${IEC[i]}`;
}

/** byteRate formats bytes per second: "1.5 MiB/s". */
export function byteRate(n: number | null | undefined): string {
  return n == null || !Number.isFinite(n) ? '—' : `${bytes(n)}/s`;
}

/** percent formats a percentage to 0.1: "12.4%"; null is an em dash. */
export function percent(v: number | null | undefined): string {
  return v == null || !Number.isFinite(v) ? '—' : `${v.toFixed(1)}%`;
}

/** decimal formats a plain number such as a load average to two decimals; null is an em dash. */
export function decimal(v: number | null | undefined): string {
  return v == null || !Number.isFinite(v) ? '—' : v.toFixed(2);
}

import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  countHosts,
  filterProcesses,
  hostStatus,
  level,
  liveDeadline,
  newerTable,
  nextSort,
  normalizeHost,
  platform,
  renewDelay,
  sortHosts,
  sortProcesses,
  type ProcessSort,
} from '../src/lib/hosts';
import type { Host, Process } from '../src/lib/types';

const host = (id: string, status: string, name = id): Host =>
  normalizeHost({ id, name, status } as unknown as Host);

const proc = (pid: number, name: string, cpu: number, rss: number, more: Partial<Process> = {}): Process => ({
  pid,
  ppid: 1,
  name,
  cmdline: name,
  user: 'root',
  state: 'sleeping',
  cpu_percent: cpu,
  rss_bytes: rss,
  threads: 1,
  open_files: -1,
  start: '2026-11-21T20:00:00Z',
  ...more,
});

test('hostStatus', async (t) => {
  const cases: [string | null | undefined, string][] = [
    ['up', 'up'],
    ['down', 'down'],
    ['unknown', 'unknown'],
    ['degraded', 'unknown'],
    ['', 'unknown'],
    [null, 'unknown'],
    [undefined, 'unknown'],
  ];
  for (const [s, want] of cases) await t.test(String(s), () => assert.equal(hostStatus(s), want));
});

test('normalizeHost fills what a partial server leaves out', () => {
  const h = normalizeHost({ id: 'web-1', status: 'weird' } as unknown as Host);
  assert.equal(h.name, 'web-1');
  assert.equal(h.status, 'unknown');
  assert.deepEqual(h.figures, {
    cpu_percent: null,
    memory_used_percent: null,
    load1: null,
    disk_used_percent: null,
    disk_mountpoint: '',
    time: null,
  });
});

test('sortHosts: down, unknown, up, then by name', () => {
  const got = sortHosts([host('c', 'up', 'web10'), host('a', 'up', 'web2'), host('b', 'down', 'zed'), host('d', 'unknown', 'db')]);
  assert.deepEqual(
    got.map((h) => h.id),
    ['b', 'd', 'a', 'c'],
  );
});

test('countHosts', () => {
  assert.deepEqual(countHosts([host('a', 'up'), host('b', 'up'), host('c', 'down'), host('d', 'x')]), {
    up: 2,
    down: 1,
    unknown: 1,
  });
});

test('platform', async (t) => {
  await t.test('all', () =>
    assert.equal(platform({ os: 'Debian GNU/Linux 13', kernel: '6.12.0', arch: 'amd64' }), 'Debian GNU/Linux 13 · 6.12.0 · amd64'),
  );
  await t.test('before the hello', () => assert.equal(platform({ os: '', kernel: '', arch: '' }), ''));
});

test('level', async (t) => {
  const cases: [number, string][] = [
    [0, 'ok'],
    [79.9, 'ok'],
    [80, 'warn'],
    [89.9, 'warn'],
    [90, 'crit'],
    [100, 'crit'],
  ];
  for (const [v, want] of cases) await t.test(String(v), () => assert.equal(level(v), want));
});

test('sortProcesses', async (t) => {
  const list = [proc(30, 'nginx', 1.5, 100), proc(10, 'bash', 0, 300), proc(20, 'Apache', 1.5, 200), proc(5, 'zsh', 0, 300)];
  const cases: [string, ProcessSort, number[]][] = [
    ['cpu desc, ties by rss', { key: 'cpu', desc: true }, [20, 30, 5, 10]],
    ['cpu asc', { key: 'cpu', desc: false }, [5, 10, 30, 20]],
    ['rss desc, ties by cpu then pid', { key: 'rss', desc: true }, [5, 10, 20, 30]],
    ['name asc, case-insensitive', { key: 'name', desc: false }, [20, 10, 30, 5]],
    ['name desc', { key: 'name', desc: true }, [5, 30, 10, 20]],
    ['pid asc', { key: 'pid', desc: false }, [5, 10, 20, 30]],
    ['pid desc', { key: 'pid', desc: true }, [30, 20, 10, 5]],
  ];
  for (const [name, s, want] of cases) {
    await t.test(name, () =>
      assert.deepEqual(
        sortProcesses(list, s).map((p) => p.pid),
        want,
      ),
    );
  }
  await t.test('leaves the input alone', () => assert.deepEqual(list.map((p) => p.pid), [30, 10, 20, 5]));
});

test('nextSort', async (t) => {
  const cases: [string, ProcessSort, 'cpu' | 'rss' | 'name' | 'pid', ProcessSort][] = [
    ['same column flips', { key: 'cpu', desc: true }, 'cpu', { key: 'cpu', desc: false }],
    ['name starts ascending', { key: 'cpu', desc: true }, 'name', { key: 'name', desc: false }],
    ['memory starts descending', { key: 'name', desc: false }, 'rss', { key: 'rss', desc: true }],
    ['pid starts ascending', { key: 'rss', desc: true }, 'pid', { key: 'pid', desc: false }],
  ];
  for (const [name, cur, key, want] of cases) await t.test(name, () => assert.deepEqual(nextSort(cur, key), want));
});

test('filterProcesses', async (t) => {
  const list = [
    proc(1, 'systemd', 0, 1, { cmdline: '/sbin/init', user: 'root' }),
    proc(812, 'nginx', 0, 1, { cmdline: 'nginx: master process /usr/sbin/nginx', user: 'root' }),
    proc(813, 'nginx', 0, 1, { cmdline: 'nginx: worker process', user: 'www-data' }),
    proc(8120, 'sleep', 0, 1, { cmdline: 'sleep 60', user: 'www-data' }),
  ];
  const cases: [string, string, number[]][] = [
    ['empty keeps all', '  ', [1, 812, 813, 8120]],
    ['name, any case', 'NGINX', [812, 813]],
    ['command line', '/sbin/init', [1]],
    ['user', 'www-data', [813, 8120]],
    ['every word must match', 'nginx www', [813]],
    ['pid exactly, not a prefix', '812', [812]],
    ['digits in the command line', '60', [8120]],
    ['nothing', 'postgres', []],
  ];
  for (const [name, q, want] of cases) {
    await t.test(name, () =>
      assert.deepEqual(
        filterProcesses(list, q).map((p) => p.pid),
        want,
      ),
    );
  }
});

test('liveDeadline', async (t) => {
  const local = Date.parse('2026-11-21T20:00:00Z');
  const cases: [string, string, string | null, number][] = [
    ['no Date header: local clock', '2026-11-21T20:02:00Z', null, local + 120_000],
    ['server clock 5 min behind', '2026-11-21T19:57:00Z', 'Sat, 21 Nov 2026 19:55:00 GMT', local + 120_000],
    ['server clock ahead', '2026-11-21T21:02:00Z', 'Sat, 21 Nov 2026 21:00:30 GMT', local + 90_000],
    ['capped at max', '2026-11-21T21:00:00Z', null, local + 120_000],
    ['already over', '2026-11-21T19:00:00Z', null, local],
    ['unreadable until', 'soon', null, local],
    ['unreadable Date header: local clock', '2026-11-21T20:01:00Z', 'garbage', local + 60_000],
  ];
  for (const [name, until, date, want] of cases) {
    await t.test(name, () => assert.equal(liveDeadline(until, date, local, 120_000), want));
  }
});

test('renewDelay', async (t) => {
  const cases: [string, number, number][] = [
    ['a minute before the end', 120_000, 60_000],
    ['never sooner than the minimum', 61_000, 5000],
    ['already over', -1000, 5000],
  ];
  for (const [name, left, want] of cases) await t.test(name, () => assert.equal(renewDelay(1000 + left, 1000, 60_000, 5000), want));
});

test('newerTable', async (t) => {
  const a = { time: '2026-11-21T20:00:05Z', n: 'a' };
  const b = { time: '2026-11-21T20:00:01Z', n: 'b' };
  const cases: [string, { time: string | null; n: string } | null, { time: string | null; n: string }, string][] = [
    ['first table', null, b, 'b'],
    ['older arrives late', a, b, 'a'],
    ['newer replaces', b, a, 'a'],
    ['same time: the later copy', a, { ...a, n: 'c' }, 'c'],
    ['no time yet', { time: null, n: 'x' }, b, 'b'],
  ];
  for (const [name, old, next, want] of cases) await t.test(name, () => assert.equal(newerTable(old, next).n, want));
});

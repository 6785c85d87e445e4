import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BACKOFF_MAX_MS, backoffDelay } from '../src/lib/backoff';
import { mergeEvents } from '../src/lib/events';
import { checkPath, hostPath, parseRoute, type Route } from '../src/lib/route';
import type { CheckEvent } from '../src/lib/types';

test('parseRoute', async (t) => {
  const cases: [string, Route][] = [
    ['/', { page: 'overview' }],
    ['/index.html', { page: 'overview' }],
    ['/checks/web', { page: 'check', id: 'web' }],
    ['/checks/web/', { page: 'check', id: 'web' }],
    ['/checks/db.example.com', { page: 'check', id: 'db.example.com' }],
    ['/checks/a%2Fb%20c', { page: 'check', id: 'a/b c' }],
    ['/checks/%E0%A4%A', { page: 'notfound', path: '/checks/%E0%A4%A' }],
    ['/checks/', { page: 'notfound', path: '/checks/' }],
    ['/hosts', { page: 'hosts' }],
    ['/hosts/', { page: 'hosts' }],
    ['/hosts/web-1', { page: 'host', id: 'web-1' }],
    ['/hosts/a%2Fb', { page: 'host', id: 'a/b' }],
    ['/hosts/%E0%A4%A', { page: 'notfound', path: '/hosts/%E0%A4%A' }],
    ['/hosts/x/processes', { page: 'notfound', path: '/hosts/x/processes' }],
    ['/host/x', { page: 'notfound', path: '/host/x' }],
  ];
  for (const [path, want] of cases) await t.test(path, () => assert.deepEqual(parseRoute(path), want));
});

test('checkPath round-trips through parseRoute', async (t) => {
  for (const id of ['web', 'a/b', 'x y', 'ünï', '100%']) {
    await t.test(id, () => assert.deepEqual(parseRoute(checkPath(id)), { page: 'check', id }));
  }
});

test('hostPath round-trips through parseRoute', async (t) => {
  for (const id of ['web-1', 'a/b', '100%']) {
    await t.test(id, () => assert.deepEqual(parseRoute(hostPath(id)), { page: 'host', id }));
  }
});

test('backoffDelay', async (t) => {
  const cases: [number, number, number][] = [
    [0, 0, 1000],
    [1, 0, 2000],
    [3, 0, 8000],
    [5, 0, BACKOFF_MAX_MS],
    [1000, 0, BACKOFF_MAX_MS],
    [0, 0.999, 800],
    [2, 0.5, 3600],
  ];
  for (const [attempt, r, want] of cases) {
    await t.test(`attempt ${attempt} rand ${r}`, () => assert.equal(backoffDelay(attempt, () => r), want));
  }
});

test('mergeEvents', () => {
  const ev = (seq: number, check = 'web', reason = ''): CheckEvent => ({
    seq,
    time: '2026-11-21T20:00:00Z',
    check,
    kind: 'state',
    from: 'up',
    to: 'down',
    reason,
  });
  const got = mergeEvents([ev(3), ev(1)], [ev(2), ev(3, 'web', 'again'), ev(4, 'db')], 'web');
  assert.deepEqual(
    got.map((e) => [e.seq, e.reason]),
    [
      [1, ''],
      [2, ''],
      [3, 'again'],
    ],
  );
});

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { applyUpdates, countStatuses, mergeList, newer, sortChecks, status, summary } from '../src/lib/checks';
import type { Check, Status } from '../src/lib/types';

function check(id: string, st: string, name = id, last: string | null = null): Check {
  return {
    id,
    name,
    type: 'http',
    target: 'http://127.0.0.1/',
    labels: {},
    interval_s: 10,
    status: st as Status,
    reason: '',
    last_check: last,
    latency_ms: null,
    since: null,
  };
}

test('status', async (t) => {
  const cases: [string | null, Status][] = [
    ['up', 'up'],
    ['degraded', 'degraded'],
    ['down', 'down'],
    ['unknown', 'unknown'],
    ['pending', 'unknown'],
    [null, 'unknown'],
  ];
  for (const [in_, want] of cases) await t.test(String(in_), () => assert.equal(status(in_), want));
});

test('sortChecks', async (t) => {
  const cases: { name: string; in: Check[]; want: string[] }[] = [
    {
      name: 'down, then degraded, then by name',
      in: [check('a', 'up', 'Alpha'), check('b', 'degraded', 'Beta'), check('c', 'down', 'Zed'), check('d', 'down', 'Delta')],
      want: ['d', 'c', 'b', 'a'],
    },
    {
      name: 'up and unknown interleave by name',
      in: [check('x', 'up', 'Web'), check('y', 'unknown', 'Api'), check('z', 'up', 'Cache')],
      want: ['y', 'z', 'x'],
    },
    {
      name: 'names compare case-insensitively and numerically',
      in: [check('n10', 'up', 'node10'), check('n2', 'up', 'Node2'), check('n1', 'up', 'node1')],
      want: ['n1', 'n2', 'n10'],
    },
    {
      name: 'empty name falls back to id; equal names by id',
      in: [check('b', 'up', ''), check('c', 'up', 'a'), check('a', 'up', 'a')],
      want: ['a', 'c', 'b'],
    },
    {
      name: 'unrecognised status sorts like unknown',
      in: [check('a', 'weird', 'A'), check('b', 'down', 'B')],
      want: ['b', 'a'],
    },
  ];
  for (const c of cases) {
    await t.test(c.name, () => {
      const input = [...c.in];
      assert.deepEqual(sortChecks(input).map((x) => x.id), c.want);
      assert.deepEqual(input, c.in, 'input left alone');
    });
  }
});

test('countStatuses and summary', async (t) => {
  const cases: { name: string; in: Check[]; want: string }[] = [
    { name: 'empty', in: [], want: '0 up, 0 degraded, 0 down' },
    {
      name: 'mixed',
      in: [check('a', 'up'), check('b', 'up'), check('c', 'degraded'), check('d', 'down')],
      want: '2 up, 1 degraded, 1 down',
    },
    { name: 'unknown shown only when present', in: [check('a', 'unknown'), check('b', '??')], want: '0 up, 0 degraded, 0 down, 2 unknown' },
  ];
  for (const c of cases) await t.test(c.name, () => assert.equal(summary(countStatuses(c.in)), c.want));
});

test('newer', async (t) => {
  const old = check('a', 'up', 'a', '2026-11-21T20:00:00Z');
  const recent = check('a', 'down', 'a', '2026-11-21T20:00:10Z');
  const never = check('a', 'unknown');
  await t.test('later last_check wins', () => assert.equal(newer(recent, old), recent));
  await t.test('later second argument wins', () => assert.equal(newer(old, recent), recent));
  await t.test('tie goes to the second', () => assert.equal(newer(old, { ...old }).status, 'up'));
  await t.test('anything beats never run', () => assert.equal(newer(old, never), old));
  await t.test('no previous', () => assert.equal(newer(undefined, never), never));
});

test('mergeList keeps newer streamed state and drops removed checks', () => {
  const streamed = check('a', 'down', 'a', '2026-11-21T20:00:10Z');
  const known = new Map([
    ['a', streamed],
    ['gone', check('gone', 'up')],
  ]);
  const fetched = [check('a', 'up', 'a', '2026-11-21T20:00:00Z'), check('b', 'up', 'b', '2026-11-21T20:00:00Z')];
  const got = mergeList(known, fetched);
  assert.deepEqual([...got.keys()], ['a', 'b']);
  assert.equal(got.get('a')?.status, 'down');
  assert.equal(got.get('b')?.status, 'up');
});

test('applyUpdates', async (t) => {
  const known = new Map([['a', check('a', 'up', 'a', '2026-11-21T20:00:00Z')]]);
  await t.test('applies a newer state without touching the input', () => {
    const got = applyUpdates(known, [check('a', 'down', 'a', '2026-11-21T20:00:10Z')]);
    assert.equal(got.get('a')?.status, 'down');
    assert.equal(known.get('a')?.status, 'up');
  });
  await t.test('ignores an older state', () => {
    const got = applyUpdates(known, [check('a', 'down', 'a', '2026-11-21T19:59:00Z')]);
    assert.equal(got.get('a')?.status, 'up');
  });
  await t.test('several updates of one check: the latest wins', () => {
    const got = applyUpdates(known, [
      check('a', 'down', 'a', '2026-11-21T20:00:10Z'),
      check('a', 'degraded', 'a', '2026-11-21T20:00:20Z'),
      check('a', 'up', 'a', '2026-11-21T20:00:15Z'),
    ]);
    assert.equal(got.get('a')?.status, 'degraded');
  });
  await t.test('adds a new check, normalising missing fields', () => {
    const partial = { ...check('n', 'bogus'), labels: undefined } as unknown as Check;
    const got = applyUpdates(known, [partial]).get('n');
    assert.equal(got?.status, 'unknown');
    assert.deepEqual(got?.labels, {});
  });
});

import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  alignedRange,
  chooseStep,
  groupBy,
  latencyQuery,
  perCheck,
  statusBands,
  timeline,
  toMillis,
  type Band,
} from '../src/lib/series';
import type { CheckEvent, PromSeries } from '../src/lib/types';

const series = (labels: Record<string, string>, values: [number, string][]): PromSeries => ({
  metric: { __name__: 'picket_probe_duration_seconds', ...labels },
  values,
});

test('timeline', async (t) => {
  await t.test('inclusive of end', () => assert.deepEqual(timeline({ start: 0, end: 90, step: 30 }), [0, 30, 60, 90]));
  await t.test('end between steps', () => assert.deepEqual(timeline({ start: 0, end: 70, step: 30 }), [0, 30, 60]));
  await t.test('zero step', () => assert.deepEqual(timeline({ start: 0, end: 70, step: 0 }), []));
  await t.test('end before start', () => assert.deepEqual(timeline({ start: 10, end: 0, step: 1 }), []));
});

test('toMillis', async (t) => {
  const r = { start: 100, end: 190, step: 30 };
  const cases: { name: string; in: PromSeries[]; want: (number | null)[] }[] = [
    { name: 'no series', in: [], want: [null, null, null, null] },
    {
      name: 'seconds to ms with gaps',
      in: [series({ check: 'a' }, [[100, '0.0017'], [160, '0.25']])],
      want: [1.7, null, 250, null],
    },
    {
      name: 'several series merge by max',
      in: [series({ node: '1' }, [[130, '0.002']]), series({ node: '2' }, [[130, '0.005'], [190, '0.001']])],
      want: [null, 5, null, 1],
    },
    {
      name: 'out of range, off-grid and bad values',
      in: [series({}, [[40, '1'], [131, '0.003'], [220, '1'], [160, 'NaN'], [190, '+Inf']])],
      want: [null, 3, null, null],
    },
  ];
  for (const c of cases) {
    await t.test(c.name, () => {
      const [xs, ys] = toMillis(c.in, r);
      assert.deepEqual(xs, [100, 130, 160, 190]);
      assert.deepEqual(
        ys.map((v) => (v == null ? v : Math.round(v * 1000) / 1000)),
        c.want,
      );
    });
  }
});

test('groupBy and perCheck', () => {
  const result = [
    series({ check: 'web' }, [[0, '0.001']]),
    series({ check: 'db', node: 'a' }, [[0, '0.002']]),
    series({ check: 'db', node: 'b' }, [[0, '0.004']]),
    series({ job: 'other' }, [[0, '1']]),
  ];
  assert.deepEqual([...groupBy(result, 'check').keys()], ['web', 'db']);
  const got = perCheck(result, { start: 0, end: 0, step: 30 });
  assert.deepEqual(Object.fromEntries(got), { web: [[0], [1]], db: [[0], [4]] });
});

test('alignedRange', async (t) => {
  await t.test('ends now, starts on a step', () => {
    assert.deepEqual(alignedRange(1_700_000_012_345, 3600, 30), { start: 1_699_996_410, end: 1_700_000_012, step: 30 });
  });
  await t.test('start stays put within a step', () => {
    const a = alignedRange(1_700_000_001_000, 3600, 30);
    const b = alignedRange(1_700_000_009_000, 3600, 30);
    assert.equal(a.start, b.start);
  });
});

test('chooseStep', async (t) => {
  const cases: [string, number, number, number][] = [
    ['1h at 10s interval keeps every sample', 3600, 10, 10],
    ['1h at 5s interval', 3600, 5, 10],
    ['6h', 6 * 3600, 10, 60],
    ['24h', 86400, 10, 300],
    ['7d', 7 * 86400, 10, 1200],
    ['never finer than the interval', 3600, 45, 60],
    ['unknown interval', 600, 0, 1],
    ['beyond the table', 400 * 86400, 10, 57600],
  ];
  for (const [name, secs, ivl, want] of cases) await t.test(name, () => assert.equal(chooseStep(secs, ivl), want));
});

test('latencyQuery', async (t) => {
  await t.test('raw when the step keeps every sample', () =>
    assert.equal(latencyQuery('web', 10, 10), 'picket_probe_duration_seconds{check="web"}'));
  await t.test('max per step on long ranges', () =>
    assert.equal(latencyQuery('web', 300, 10), 'max_over_time(picket_probe_duration_seconds{check="web"}[300s])'));
  await t.test('quotes and backslashes escaped', () =>
    assert.equal(latencyQuery('a"b\\c', 10, 10), 'picket_probe_duration_seconds{check="a\\"b\\\\c"}'));
});

test('statusBands', async (t) => {
  const at = (s: number) => new Date(s * 1000).toISOString();
  let seq = 0;
  const ev = (s: number, from: string, to: string, kind = 'state'): CheckEvent => ({
    seq: ++seq,
    time: at(s),
    check: 'web',
    kind,
    from,
    to,
    reason: '',
  });
  const cases: { name: string; events: CheckEvent[]; want: Band[] }[] = [
    { name: 'no events: all current', events: [], want: [{ from: 1000, to: 2000, status: 'up' }] },
    {
      name: 'one change inside',
      events: [ev(1500, 'up', 'down')],
      want: [
        { from: 1000, to: 1500, status: 'up' },
        { from: 1500, to: 2000, status: 'down' },
      ],
    },
    {
      name: 'state before the window comes from the last earlier event',
      events: [ev(100, 'up', 'degraded'), ev(1200, 'degraded', 'up')],
      want: [
        { from: 1000, to: 1200, status: 'degraded' },
        { from: 1200, to: 2000, status: 'up' },
      ],
    },
    {
      name: 'only a change after the window: its from fills the window',
      events: [ev(2500, 'down', 'up')],
      want: [{ from: 1000, to: 2000, status: 'down' }],
    },
    {
      name: 'unordered events, other kinds ignored, equal neighbours merged',
      events: [ev(1800, 'down', 'up'), ev(1300, 'up', 'down'), ev(1400, 'x', 'y', 'ack'), ev(1600, 'down', 'down')],
      want: [
        { from: 1000, to: 1300, status: 'up' },
        { from: 1300, to: 1800, status: 'down' },
        { from: 1800, to: 2000, status: 'up' },
      ],
    },
    {
      name: 'unknown statuses and bad times',
      events: [ev(1500, 'up', 'flapping'), { ...ev(0, 'up', 'down'), time: 'garbage' }],
      want: [
        { from: 1000, to: 1500, status: 'up' },
        { from: 1500, to: 2000, status: 'unknown' },
      ],
    },
  ];
  for (const c of cases) {
    await t.test(c.name, () => assert.deepEqual(statusBands(c.events, 'up', 1000, 2000), c.want));
  }
});

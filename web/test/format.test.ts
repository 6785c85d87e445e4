import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  axisLatency,
  byteRate,
  bytes,
  decimal,
  interval,
  latency,
  parseTime,
  percent,
  relativeTime,
  shortDuration,
  timeTicks,
  timestamp,
} from '../src/lib/format';

const NOW = Date.parse('2026-11-21T20:00:00Z');

test('relativeTime', async (t) => {
  const cases: [string, number, string][] = [
    ['same instant', 0, 'just now'],
    ['4s ago rounds to just now', 4_000, 'just now'],
    ['seconds', 42_000, '42s ago'],
    ['one minute', 60_000, '1m ago'],
    ['minutes floor', 3 * 60_000 + 59_000, '3m ago'],
    ['hours', 5 * 3600_000 + 10_000, '5h ago'],
    ['days', 2 * 86400_000 + 3600_000, '2d ago'],
    ['small clock skew', -3_000, 'just now'],
    ['future', -180_000, 'in 3m'],
  ];
  for (const [name, ago, want] of cases) {
    await t.test(name, () => assert.equal(relativeTime(NOW - ago, NOW), want));
  }
});

test('shortDuration', async (t) => {
  const cases: [number, string][] = [
    [0, '0s'],
    [59, '59s'],
    [60, '1m'],
    [3599, '59m'],
    [3600, '1h'],
    [86399, '23h'],
    [86400 * 9, '9d'],
  ];
  for (const [secs, want] of cases) await t.test(`${secs}s`, () => assert.equal(shortDuration(secs), want));
});

test('interval', async (t) => {
  const cases: [number, string][] = [
    [10, '10s'],
    [60, '1m'],
    [90, '1m30s'],
    [7200, '2h'],
    [3661, '1h1m1s'],
    [0.5, '500ms'],
    [0, '—'],
    [NaN, '—'],
  ];
  for (const [secs, want] of cases) await t.test(`${secs}`, () => assert.equal(interval(secs), want));
});

test('latency', async (t) => {
  const cases: [number | null | undefined, string][] = [
    [null, '—'],
    [undefined, '—'],
    [0.42, '0.42 ms'],
    [1.7, '1.7 ms'],
    [12.345, '12.3 ms'],
    [123.4, '123 ms'],
    [1234, '1.23 s'],
    [12345, '12.3 s'],
    [Infinity, '—'],
  ];
  for (const [ms, want] of cases) await t.test(String(ms), () => assert.equal(latency(ms), want));
});

test('axisLatency', async (t) => {
  const cases: [number, string][] = [
    [0, '0'],
    [0.5, '0.5 ms'],
    [250, '250 ms'],
    [1500, '1.5 s'],
  ];
  for (const [ms, want] of cases) await t.test(String(ms), () => assert.equal(axisLatency(ms), want));
});

test('timestamp is local time', () => {
  const d = new Date(2026, 0, 2, 3, 4, 5);
  assert.equal(timestamp(d.getTime()), '2026-01-02 03:04:05');
});

test('parseTime', async (t) => {
  await t.test('RFC 3339', () => assert.equal(parseTime('2026-11-21T20:00:00Z'), NOW));
  await t.test('null', () => assert.equal(parseTime(null), null));
  await t.test('empty', () => assert.equal(parseTime(''), null));
  await t.test('garbage', () => assert.equal(parseTime('yesterday'), null));
});

test('timeTicks', async (t) => {
  const at = (d: number, h: number, m: number) => new Date(2026, 10, d, h, m).getTime() / 1000;
  await t.test('minutes: date on the first tick and at midnight', () =>
    assert.deepEqual(timeTicks([at(21, 23, 30), at(21, 23, 45), at(22, 0, 0), at(22, 0, 15)], 900), [
      '23:30\n11-21',
      '23:45',
      '00:00\n11-22',
      '00:15',
    ]));
  await t.test('days', () => assert.deepEqual(timeTicks([at(21, 0, 0), at(22, 0, 0)], 86400), ['11-21', '11-22']));
});

test('bytes', async (t) => {
  const cases: [number | null, string][] = [
    [null, '—'],
    [NaN, '—'],
    [0, '0 B'],
    [512, '512 B'],
    [1023, '1023 B'],
    [1024, '1 KiB'],
    [1536, '1.5 KiB'],
    [8421376, '8.03 MiB'],
    [10 * 1024 ** 3, '10 GiB'],
    [123.4 * 1024 ** 4, '123 TiB'],
    [-2048, '-2 KiB'],
  ];
  for (const [n, want] of cases) await t.test(String(n), () => assert.equal(bytes(n), want));
});

test('byteRate, percent and decimal', async (t) => {
  const cases: [string, string, string][] = [
    ['rate', byteRate(1536), '1.5 KiB/s'],
    ['rate null', byteRate(null), '—'],
    ['percent', percent(12.44), '12.4%'],
    ['percent zero', percent(0), '0.0%'],
    ['percent null', percent(null), '—'],
    ['decimal', decimal(0.4249), '0.42'],
    ['decimal null', decimal(undefined), '—'],
  ];
  for (const [name, got, want] of cases) await t.test(name, () => assert.equal(got, want));
});

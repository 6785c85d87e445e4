import assert from 'node:assert/strict';
import { test } from 'node:test';
import { alignSeries, counterRate, countPoints, gauge, HOST_CHARTS, hostStep, tagged } from '../src/lib/hostseries';
import type { PromSeries } from '../src/lib/types';

test('gauge and counterRate pick the function by step', async (t) => {
  const cases: [string, string, string][] = [
    ['gauge at 1 s', gauge('m', 1), 'last_over_time(m[10s])'],
    ['gauge at 30 s', gauge('m', 30), 'avg_over_time(m[30s])'],
    ['rate at 1 s', counterRate('c', 1), 'irate(c[10s])'],
    ['rate at 5 s: at least 10 s', counterRate('c', 5), 'rate(c[10s])'],
    ['rate at 120 s', counterRate('c', 120), 'rate(c[120s])'],
    ['tagged', tagged('x', 'dir', 'rx'), 'label_replace(x, "dir", "rx", "", "")'],
  ];
  for (const [name, got, want] of cases) await t.test(name, () => assert.equal(got, want));
});

test('hostStep', async (t) => {
  const cases: [number, number][] = [
    [900, 1],
    [3600, 5],
    [6 * 3600, 30],
    [24 * 3600, 120],
  ];
  for (const [secs, want] of cases) await t.test(String(secs), () => assert.equal(hostStep(secs), want));
});

test('HOST_CHARTS queries', async (t) => {
  const byId = new Map(HOST_CHARTS.map((c) => [c.id, c]));
  await t.test('ids', () => assert.deepEqual([...byId.keys()], ['cpu', 'memory', 'disk', 'diskio', 'network', 'load', 'temperature']));
  await t.test('cpu', () =>
    assert.equal(
      byId.get('cpu')!.query('web-1', 1),
      'last_over_time(picket_host_cpu_percent{host="web-1",cpu="all",mode=~"user|system|iowait|steal"}[10s])',
    ),
  );
  await t.test('the host is quoted', () => assert.match(byId.get('load')!.query('a"b', 30), /host="a\\"b"/));
  await t.test('disk use as df computes it', () =>
    assert.equal(
      byId.get('disk')!.query('h', 30),
      '100 * avg_over_time(picket_host_filesystem_bytes{host="h",kind="used"}[30s]) / ignoring(kind) ' +
        '(avg_over_time(picket_host_filesystem_bytes{host="h",kind="used"}[30s]) + ignoring(kind) ' +
        'avg_over_time(picket_host_filesystem_bytes{host="h",kind="avail"}[30s]))',
    ),
  );
  await t.test('network leaves loopback out', () => {
    const q = byId.get('network')!.query('h', 1);
    assert.match(q, /irate\(picket_host_network_receive_bytes_total\{host="h",interface!="lo"\}\[10s\]\)/);
    assert.match(q, /"dir", "tx"/);
  });
  await t.test('memory names', () => {
    const name = byId.get('memory')!.name;
    assert.deepEqual(
      ['used', 'available', 'swap'].map((kind) => name({ kind })),
      ['used', 'available', 'swap used'],
    );
  });
  await t.test('network names', () => assert.equal(byId.get('network')!.name({ interface: 'eth0', dir: 'rx' }), 'eth0 rx'));
  await t.test('temperatures, only where there are sensors', () => {
    const c = byId.get('temperature')!;
    assert.equal(c.query('h', 1), 'last_over_time(picket_host_temperature_celsius{host="h"}[10s])');
    assert.equal(c.name({ chip: 'coretemp', sensor: 'Core 0' }), 'coretemp Core 0');
    assert.equal(c.optional, true);
  });
});

const s = (metric: Record<string, string>, values: [number, string][]): PromSeries => ({ metric, values });

test('alignSeries', async (t) => {
  const r = { start: 100, end: 103, step: 1 };
  const mode = (m: Record<string, string>) => m.mode ?? '';
  await t.test('columns in order, gaps null', () => {
    const got = alignSeries(
      [s({ mode: 'steal' }, [[101, '0.5']]), s({ mode: 'user' }, [[100, '10'], [103, '12.5']]), s({ mode: 'system' }, [])],
      r,
      mode,
      ['user', 'system', 'iowait', 'steal'],
    );
    assert.deepEqual(got, {
      names: ['user', 'system', 'steal'],
      data: [
        [100, 101, 102, 103],
        [10, null, null, 12.5],
        [null, null, null, null],
        [null, 0.5, null, null],
      ],
    });
    assert.equal(countPoints(got), 3);
  });
  await t.test('names outside the order sort naturally after it', () => {
    const got = alignSeries([s({ mode: 'eth10' }, []), s({ mode: 'eth2' }, []), s({ mode: 'user' }, [])], r, mode, ['user']);
    assert.deepEqual(got.names, ['user', 'eth2', 'eth10']);
  });
  await t.test('same name merges, points outside the range and NaN dropped', () => {
    const got = alignSeries(
      [s({ mode: 'a', device: '1' }, [[99, '1'], [100, '2']]), s({ mode: 'a', device: '2' }, [[101, 'NaN'], [102, '3'], [104, '4']])],
      r,
      mode,
    );
    assert.deepEqual(got.data, [
      [100, 101, 102, 103],
      [2, null, 3, null],
    ]);
  });
  await t.test('keeps the highest peaks', () => {
    const many = ['a', 'b', 'c', 'd'].map((m, i) => s({ mode: m }, [[100, String([5, 1, 9, 3][i])]]));
    assert.deepEqual(alignSeries(many, r, mode, [], 2).names, ['a', 'c']);
  });
  await t.test('no result', () => assert.deepEqual(alignSeries([], r, mode), { names: [], data: [[100, 101, 102, 103]] }));
});

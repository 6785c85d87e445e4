// Browser test of the host pages against a running Picket with at least one
// agent connected, in Debian's Chromium.
//
//   PICKET_URL, PICKET_SCREENSHOTS, PICKET_CHROMIUM: see browser.mjs
//   PICKET_HOST          id of a host whose agent is running (default: the first host)
//   PICKET_HOST_PROCESS  optional command line of a process started on that host
//                        during the test; its birth must show on the host page

import assert from 'node:assert/strict';
import { test } from 'node:test';

import { BASE, launch, shot, skipUnlessServer } from './browser.mjs';

const PROCESS = process.env.PICKET_HOST_PROCESS ?? '';

async function hostId() {
  if (process.env.PICKET_HOST) return process.env.PICKET_HOST;
  const res = await fetch(`${BASE}/api/v1/hosts`);
  assert.equal(res.status, 200, 'GET /api/v1/hosts');
  const { hosts } = await res.json();
  assert.ok(hosts.length > 0, 'the server has no hosts to show');
  return hosts[0].id;
}

// Helpers that run in the page: a host's overview row by id, and the
// number of samples a host chart drew.
function installHelpers() {
  window.hostRow = (id) => [...document.querySelectorAll('tr[data-host-id]')].find((r) => r.dataset.hostId === id);
  window.chartPoints = (id) => Number(document.querySelector(`[data-chart=${id}]`)?.dataset.points ?? 0);
  window.procRows = () =>
    [...document.querySelectorAll('[data-testid=processes] tbody tr[data-pid]')].map((tr) => ({
      pid: tr.dataset.pid,
      text: tr.textContent.toLowerCase(),
      name: tr.querySelector('.p-name').textContent,
    }));
}

test('host pages', { skip: skipUnlessServer('hosts.test.mjs'), timeout: 240_000 }, async (t) => {
  const id = await hostId();
  const browser = await launch();
  t.after(() => browser.close());
  const page = await browser.newPage({ viewport: { width: 1360, height: 900 } });
  await page.addInitScript(installHelpers);
  const pageErrors = [];
  page.on('pageerror', (err) => pageErrors.push(err));

  await t.test('the overview shows the host up with its figures', async () => {
    await page.goto(`${BASE}/`);
    await page.waitForFunction((id) => hostRow(id)?.querySelector('[data-status=up]'), id, { timeout: 30_000 });
    // Figures arrive with the first batch of metrics: bars for CPU and memory.
    await page.waitForFunction((id) => hostRow(id)?.querySelectorAll('.usage .usage-fill').length >= 2, id, {
      timeout: 30_000,
    });
    await shot(page, 'overview-hosts');
  });

  await t.test('the host page draws the CPU graph', async () => {
    await page.evaluate(() => (window.__picketNoReload = true));
    await page.evaluate((id) => hostRow(id).querySelector('.c-name a').click(), id);
    await page.waitForSelector('[data-testid=graphs]');
    assert.equal(await page.evaluate(() => window.__picketNoReload), true, 'the link did a full page load');
    assert.equal(new URL(page.url()).pathname, `/hosts/${encodeURIComponent(id)}`);
    await page.waitForFunction(() => chartPoints('cpu') > 0, null, { timeout: 30_000 });
    const box = await page.$eval('[data-chart=cpu] canvas', (c) => ({ w: c.clientWidth, h: c.clientHeight }));
    assert.ok(box.w > 100 && box.h > 100, `CPU canvas is ${box.w}x${box.h}`);
    await page.waitForFunction(() => chartPoints('memory') > 0 && chartPoints('load') > 0, null, { timeout: 30_000 });
  });

  await t.test('the page puts the agent in live mode', async () => {
    await page.waitForSelector('[data-testid=live-badge][data-live=on]', { timeout: 30_000 });
    assert.equal((await page.textContent('[data-testid=live-badge]')).trim(), 'live');
    await page.waitForSelector('.refresh-note:has-text("every second")');
  });

  await t.test('the process table lists, filters, sorts and refreshes', async () => {
    await page.waitForFunction(() => procRows().length > 0, null, { timeout: 30_000 });
    const before = await page.evaluate(() => procRows());
    // The agent itself runs on the host, as the picket binary.
    await page.fill('[data-testid=processes] input[type=search]', 'picket');
    await page.waitForFunction((n) => procRows().length > 0 && procRows().length < n, before.length);
    const filtered = await page.evaluate(() => procRows());
    for (const r of filtered) assert.ok(r.text.includes('picket'), `row ${r.pid} does not match the filter`);
    await page.fill('[data-testid=processes] input[type=search]', 'no-such-process-anywhere');
    await page.waitForSelector('[data-testid=processes] .proc-none');
    await page.fill('[data-testid=processes] input[type=search]', '');
    await page.waitForFunction(() => procRows().length > 1);

    await page.click('[data-testid=processes] button.sort[data-sort=name]');
    await page.waitForSelector('[data-testid=processes] th[aria-sort=ascending] [data-sort=name]');
    const names = (await page.evaluate(() => procRows())).map((r) => r.name);
    const sorted = [...names].sort((a, b) => a.localeCompare(b, undefined, { sensitivity: 'base', numeric: true }));
    assert.deepEqual(names, sorted, 'rows sorted by name');

    // Refresh reads the table from the agent: it succeeds (the count goes up) or shows an error.
    const sel = '[data-testid=processes]';
    const done = Number(await page.$eval(sel, (el) => el.dataset.refreshed));
    await page.click(`${sel} .proc-tools button`);
    await page.waitForFunction(
      ([sel, n]) => Number(document.querySelector(sel).dataset.refreshed) > n || document.querySelector(`${sel} .error-note`),
      [sel, done],
      { timeout: 30_000 },
    );
    const err = await page.$(`${sel} .error-note`);
    assert.equal(err ? await err.textContent() : null, null, 'refresh failed');
    await page.waitForFunction(() => procRows().length > 0);
  });

  await t.test('a process started on the host shows as a birth', { skip: PROCESS ? false : 'PICKET_HOST_PROCESS not set' }, async () => {
    await page.waitForFunction(
      (cmd) => [...document.querySelectorAll('[data-testid=host-events] li[data-kind=birth]')].some((li) => li.textContent.includes(cmd)),
      PROCESS,
      { timeout: 30_000 },
    );
    await shot(page, 'host');
  });

  await t.test('the range picker changes the window', async () => {
    await page.click('[data-testid=graphs] .segmented button:has-text("1h")');
    await page.waitForSelector('[data-testid=graphs] .segmented button[aria-pressed=true]:has-text("1h")');
    assert.equal(new URL(page.url()).search, '?range=1h');
    await page.waitForSelector('.refresh-note:has-text("every 10 s")');
    await page.waitForFunction(() => chartPoints('cpu') > 0, null, { timeout: 30_000 });
    if (!PROCESS) await shot(page, 'host');
  });

  await t.test('the Hosts view is in the header', async () => {
    await page.click('.nav a:has-text("Hosts")');
    await page.waitForFunction((id) => hostRow(id)?.querySelector('[data-status=up]'), id, { timeout: 15_000 });
    assert.equal(new URL(page.url()).pathname, '/hosts');
  });

  await t.test('phone and dark layouts render', async () => {
    const ctx = await browser.newContext({ viewport: { width: 390, height: 844 }, colorScheme: 'dark', isMobile: true });
    t.after(() => ctx.close());
    const phone = await ctx.newPage();
    await phone.addInitScript(installHelpers);
    phone.on('pageerror', (err) => pageErrors.push(err));
    await phone.goto(`${BASE}/hosts/${encodeURIComponent(id)}`);
    await phone.waitForFunction(() => chartPoints('cpu') > 0 && procRows().length > 0, null, { timeout: 30_000 });
    await shot(phone, 'host-phone-dark');
  });

  assert.deepEqual(pageErrors.map(String), [], 'uncaught errors in the page');
});

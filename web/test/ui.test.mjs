// Browser test of the web UI against a running Picket, in Debian's Chromium.
//
//   PICKET_URL, PICKET_SCREENSHOTS, PICKET_CHROMIUM: see browser.mjs
//   PICKET_DOWN_CHECK       id of a check that goes down during the test; the
//                           page must show "down" for it without a reload
//   PICKET_DOWN_CMD         optional shell command that makes it go down, run
//                           once the page is live (else the harness does it)
//   PICKET_DOWN_TIMEOUT_MS  how long to wait for it (default 90000)

import assert from 'node:assert/strict';
import { execSync } from 'node:child_process';
import { test } from 'node:test';

import { BASE, launch, shot, skipUnlessServer } from './browser.mjs';

const DOWN = process.env.PICKET_DOWN_CHECK ?? '';
const DOWN_CMD = process.env.PICKET_DOWN_CMD ?? '';
const DOWN_TIMEOUT = Number(process.env.PICKET_DOWN_TIMEOUT_MS ?? 90_000);
const STATUS_TEXT = ['Up', 'Degraded', 'Down', 'Unknown'];

async function apiChecks() {
  const res = await fetch(`${BASE}/api/v1/checks`);
  assert.equal(res.status, 200, 'GET /api/v1/checks');
  return (await res.json()).checks;
}

// rowOf runs in the page: a check's overview row by id, found without building a CSS selector from the id.
function installRowOf() {
  window.rowOf = (id) => [...document.querySelectorAll('tr[data-check-id]')].find((r) => r.dataset.checkId === id);
}

test('web UI', { skip: skipUnlessServer('ui.test.mjs'), timeout: DOWN_TIMEOUT + 180_000 }, async (t) => {
  const browser = await launch();
  t.after(() => browser.close());
  const page = await browser.newPage({ viewport: { width: 1360, height: 860 } });
  await page.addInitScript(installRowOf);
  const pageErrors = [];
  page.on('pageerror', (err) => pageErrors.push(err));

  await t.test('overview lists every check with its status', async () => {
    const checks = await apiChecks();
    assert.ok(checks.length > 0, 'the server has no checks to show');
    await page.goto(`${BASE}/`);
    await page.waitForFunction((n) => document.querySelectorAll('tr[data-check-id]').length === n, checks.length);
    const rows = await page.$$eval('tr[data-check-id]', (trs) =>
      trs.map((tr) => ({ id: tr.dataset.checkId, badge: tr.querySelector('.badge')?.textContent?.trim() })),
    );
    assert.deepEqual(rows.map((r) => r.id).sort(), checks.map((c) => c.id).sort());
    for (const r of rows) assert.ok(STATUS_TEXT.includes(r.badge), `check ${r.id} shows status text, got ${r.badge}`);
    assert.match(await page.textContent('[data-testid=summary]'), /\d+ up, \d+ degraded, \d+ down/);
  });

  await t.test('the live indicator turns live', async () => {
    await page.waitForSelector('[data-conn=live]', { timeout: 15_000 });
    assert.equal((await page.textContent('[data-conn]')).trim(), 'Live');
    await shot(page, 'overview');
  });

  await t.test('a check goes down without a reload', { skip: DOWN ? false : 'PICKET_DOWN_CHECK not set' }, async () => {
    await page.evaluate(() => (window.__picketNoReload = true));
    assert.ok(await page.evaluate((id) => rowOf(id) != null, DOWN), `no row for check ${DOWN}`);
    if (DOWN_CMD) execSync(DOWN_CMD, { stdio: ['ignore', 'ignore', 'inherit'], timeout: 60_000 });
    await page.waitForFunction((id) => rowOf(id)?.querySelector('[data-status=down]'), DOWN, {
      timeout: DOWN_TIMEOUT,
    });
    assert.equal(await page.evaluate(() => window.__picketNoReload), true, 'the page reloaded');
    const badge = await page.evaluate((id) => rowOf(id).querySelector('.badge').textContent.trim(), DOWN);
    assert.equal(badge, 'Down');
    await shot(page, 'overview-down');
  });

  await t.test('the check page shows the graph and the event history', async () => {
    const id = DOWN || (await page.$eval('tr[data-check-id]', (tr) => tr.dataset.checkId));
    await page.evaluate(() => (window.__picketNoReload = true));
    await page.evaluate((id) => rowOf(id).querySelector('.c-name a').click(), id);
    await page.waitForSelector('.chart canvas', { timeout: 15_000 });
    await page.waitForSelector('[data-testid=events]');
    assert.equal(await page.evaluate(() => window.__picketNoReload), true, 'the link did a full page load');
    const path = new URL(page.url()).pathname;
    assert.equal(path, `/checks/${encodeURIComponent(id)}`);
    const box = await page.$eval('.chart canvas', (c) => ({ w: c.clientWidth, h: c.clientHeight }));
    assert.ok(box.w > 100 && box.h > 100, `graph canvas is ${box.w}x${box.h}`);
    if (DOWN) {
      // The change to down is in the history, loaded or streamed.
      await page.waitForSelector('[data-testid=events] .event .event-change [data-status=down]', { timeout: 30_000 });
    } else {
      await page.waitForSelector('[data-testid=events] :is(.events, .empty)');
    }
    await page.click('.segmented button:has-text("6h")');
    await page.waitForSelector('.segmented button[aria-pressed=true]:has-text("6h")');
    await page.waitForSelector('.chart canvas');
    await shot(page, 'check');
  });

  await t.test('phone and dark layouts render', async () => {
    const ctx = await browser.newContext({ viewport: { width: 390, height: 844 }, colorScheme: 'dark', isMobile: true });
    t.after(() => ctx.close());
    const phone = await ctx.newPage();
    await phone.goto(`${BASE}/`);
    await phone.waitForSelector('tr[data-check-id]');
    const head = await phone.$eval('.checks thead', (el) => getComputedStyle(el).display);
    assert.equal(head, 'none', 'the table header is hidden on a phone (rows become cards)');
    await phone.waitForSelector('[data-conn=live]', { timeout: 15_000 });
    await shot(phone, 'overview-phone-dark');
  });

  assert.deepEqual(pageErrors.map(String), [], 'uncaught errors in the page');
});

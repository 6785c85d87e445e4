// What the browser tests (ui.test.mjs, hosts.test.mjs) share: where the
// server and the browser are, and how to start the browser and keep
// screenshots. Debian's Chromium is used as installed; none is downloaded.
//
//   PICKET_URL          base URL of the server (the tests skip without it)
//   PICKET_SCREENSHOTS  directory to save screenshots in
//   PICKET_CHROMIUM     browser binary (default /usr/bin/chromium)

import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';

export const BASE = (process.env.PICKET_URL ?? '').replace(/\/+$/, '');
const SHOTS = process.env.PICKET_SCREENSHOTS ?? '';
const CHROMIUM = process.env.PICKET_CHROMIUM ?? '/usr/bin/chromium';
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** skipUnlessServer is the `skip` option of a browser test: why it skips, or false. */
export function skipUnlessServer(file) {
  if (BASE) return false;
  console.log(`${file}: PICKET_URL is not set, skipping the browser test (set it to a running picket).`);
  return 'PICKET_URL not set';
}

/** launch starts headless Chromium through playwright-core. */
export async function launch() {
  const { chromium } = await import('playwright-core');
  return chromium.launch({ executablePath: CHROMIUM, args: ARGS });
}

/** shot saves a full-page screenshot of page as <name>.png when PICKET_SCREENSHOTS is set. */
export async function shot(page, name) {
  if (!SHOTS) return;
  await mkdir(SHOTS, { recursive: true });
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
}

// Builds the web UI into dist/ (index.html, app.js, app.css and source maps),
// or with --tests the unit tests into node_modules/.cache/picket-test/.
//
//   node build.mjs           production build
//   node build.mjs --watch   rebuild on change
//   node build.mjs --tests   bundle test/*.test.ts for `node --test`

import { createHash } from 'node:crypto';
import { mkdir, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const root = dirname(fileURLToPath(import.meta.url));
const dist = join(root, 'dist');
const args = new Set(process.argv.slice(2));

/** app is the browser bundle: src/main.tsx with its CSS (uPlot's included). */
const app = {
  absWorkingDir: root,
  entryPoints: { app: 'src/main.tsx' },
  outdir: dist,
  bundle: true,
  minify: true,
  sourcemap: 'linked',
  format: 'esm',
  target: ['es2020', 'chrome100', 'firefox100', 'safari15'],
  jsx: 'automatic',
  jsxImportSource: 'preact',
  legalComments: 'none',
  logLevel: 'warning',
};

// The page names its assets with a content hash in the query, so the server
// may let browsers cache them for good while index.html is always revalidated.
async function writeIndex() {
  const hash = async (f) => createHash('sha256').update(await readFile(join(dist, f))).digest('hex').slice(0, 12);
  const html = (await readFile(join(root, 'src/index.html'), 'utf8'))
    .replace('{{js}}', await hash('app.js'))
    .replace('{{css}}', await hash('app.css'));
  await writeFile(join(dist, 'index.html'), html);
}

const indexPlugin = {
  name: 'index-html',
  setup(build) {
    build.onEnd(async (result) => {
      if (result.errors.length === 0) await writeIndex();
    });
  },
};

async function buildTests() {
  const out = join(root, 'node_modules/.cache/picket-test');
  await rm(out, { recursive: true, force: true });
  const tests = (await readdir(join(root, 'test'))).filter((f) => f.endsWith('.test.ts'));
  await esbuild.build({
    absWorkingDir: root,
    entryPoints: tests.map((f) => join('test', f)),
    outdir: out,
    outExtension: { '.js': '.mjs' },
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    sourcemap: 'inline',
    logLevel: 'warning',
  });
}

if (args.has('--tests')) {
  await buildTests();
} else {
  await rm(dist, { recursive: true, force: true });
  await mkdir(dist, { recursive: true });
  if (args.has('--watch')) {
    const ctx = await esbuild.context({ ...app, minify: false, plugins: [indexPlugin] });
    await ctx.watch();
    console.log('watching src/ …');
  } else {
    await esbuild.build({ ...app, plugins: [indexPlugin] });
  }
}

#!/usr/bin/env node
// Times the dashboard (www/dist, as built) loading an NDJSON file in headless Chromium: from choosing the file to
// the table showing every call. Needs Debian's chromium and a built dashboard (bash scripts/dashboard-build.sh).
//
//   node bench/dashboard-load.mjs [--calls N]      # default 100000 generated calls
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { generateCalls } from '../scripts/gen-calls.mjs';

const { values: args } = parseArgs({ options: { calls: { type: 'string' } } });
const N = Number(args.calls ?? 100_000);
const root = fileURLToPath(new URL('../', import.meta.url));
const dist = join(root, 'www', 'dist');
if (!existsSync(join(dist, 'index.html'))) throw new Error('www/dist is missing: run bash scripts/dashboard-build.sh');
const MIME = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.wasm': 'application/wasm' };
const server = createServer((req, res) => {
  const path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
  let file = normalize(join(dist, path === '/' ? 'index.html' : path));
  if (!file.startsWith(dist) || !existsSync(file) || statSync(file).isDirectory()) file = join(dist, 'index.html');
  res.writeHead(200, { 'Content-Type': MIME[extname(file)] || 'application/octet-stream' });
  res.end(readFileSync(file));
});
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const dir = mkdtempSync(join(tmpdir(), 'fn-calls-load-'));
const file = join(dir, `calls-${N}.ndjson`);
writeFileSync(file, generateCalls({ count: N, seed: 1, invalid: 0 }).join('\n') + '\n');
const mb = statSync(file).size / 1e6;
const { chromium } = createRequire(import.meta.url)('playwright-core');
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu'] });
try {
  const page = await browser.newPage();
  await page.goto(`http://127.0.0.1:${server.address().port}/`);
  await page.waitForFunction(() => /^Calls · /.test(document.querySelector('#table-title')?.textContent ?? ''));
  const want = `Calls · ${N.toLocaleString('en-US')}`;
  const t = performance.now();
  await page.setInputFiles('#file-input', file);
  await page.waitForFunction((w) => document.querySelector('#table-title').textContent === w, want, { timeout: 600_000 });
  const s = (performance.now() - t) / 1000;
  console.log(`dashboard: ${N.toLocaleString('en-US')} calls (${mb.toFixed(0)} MB of NDJSON) loaded and shown in ${s.toFixed(1)} s`);
} finally {
  await browser.close();
  server.close();
  rmSync(dir, { recursive: true, force: true });
}

// The dashboard's browser tests share this harness: the built site and stand-in Fn servers on 127.0.0.1, one
// headless Chromium (playwright-core) for every test of a file, and the helpers the tests use.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, readdirSync, writeFileSync, writeSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { execFileSync, spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join, extname, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateCalls, goString } from '../../scripts/gen-calls.mjs';
import { b64url, v2Answer, v2Store } from '../common/v2-store.mjs';

export const root = fileURLToPath(new URL('../../', import.meta.url));

export const require = createRequire(import.meta.url);

export const CHROMIUM = '/usr/bin/chromium';

export const dist = join(root, 'www', 'dist');

export const results = join(root, 'test-results');

export let browser, site, fnServer, fnServerNoCors, fc, sample;

export const servers = [];

// ---- servers ------------------------------------------------------------------------------------------------

export const MIME = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.ndjson': 'application/x-ndjson',
  '.json': 'application/json',
  '.png': 'image/png',
};

export function listen(handler) {
  return new Promise((resolve) => {
    const server = createServer(handler);
    server.listen(0, '127.0.0.1', () => {
      servers.push(server);
      resolve({ server, url: `http://127.0.0.1:${server.address().port}` });
    });
  });
}

/** A static server for www/dist, as any host would serve the built page. */
export function serveDist() {
  return listen((req, res) => {
    const path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    let file = normalize(join(dist, path === '/' ? 'index.html' : path));
    if (!file.startsWith(dist) || !existsSync(file) || statSync(file).isDirectory()) file = join(dist, 'index.html');
    res.writeHead(200, { 'Content-Type': MIME[extname(file)] || 'application/octet-stream', 'Cache-Control': 'no-store' });
    res.end(readFileSync(file));
  });
}

/**
 * A stand-in Fn server: GET /v1/apps/{app}/calls answering the v1 list envelope with the server's own paging
 * (newest id first, cursor exclusive, per_page capped at 100, next_cursor when the page is full), and
 * /v1/apps/{app}/calls/{id}/log for the ids in `logs`. `hook(url)` may answer instead ({status, body}).
 */
export function fakeFnServer({ cors, logs = {}, hook = () => null }) {
  const lines = generateCalls({ count: 250, seed: 7 });
  const calls = lines.map((l) => ({ id: JSON.parse(l).id, app: JSON.parse(l).app_name, line: l }));
  calls.sort((a, b) => (a.id < b.id ? 1 : -1));
  const requests = [];
  const state = listen((req, res) => {
    const url = new URL(req.url, 'http://x');
    requests.push(url.pathname + url.search);
    const headers = { 'Content-Type': 'application/json; charset=utf-8' };
    if (cors) headers['Access-Control-Allow-Origin'] = '*';
    const answer = hook(url);
    if (answer) {
      res.writeHead(answer.status, headers);
      res.end(answer.body);
      return;
    }
    const log = url.pathname.match(/^\/v1\/apps\/([^/]+)\/calls\/([^/]+)\/log$/);
    if (log) {
      const id = decodeURIComponent(log[2]);
      if (!(id in logs)) {
        res.writeHead(404, headers);
        res.end('{"error":{"message":"Call log not found"}}\n');
        return;
      }
      res.writeHead(200, headers);
      res.end(JSON.stringify({ message: 'Successfully loaded log', log: { call_id: id, log: logs[id], app_name: log[1] } }));
      return;
    }
    const m = url.pathname.match(/^\/v1\/apps\/([^/]+)\/calls$/);
    if (!m) {
      res.writeHead(404, headers);
      res.end('{"error":{"message":"Path not found"}}\n');
      return;
    }
    let perPage = parseInt(url.searchParams.get('per_page'), 10);
    if (!(perPage > 0)) perPage = 30;
    perPage = Math.min(perPage, 100);
    const cursor = url.searchParams.get('cursor') || '';
    const page = calls.filter((c) => c.app === m[1] && (!cursor || c.id < cursor)).slice(0, perPage);
    const next = page.length === perPage ? page[page.length - 1].id : '';
    res.writeHead(200, headers);
    res.end(`{"message":"Successfully listed calls","next_cursor":"${next}","calls":[${page.map((c) => c.line).join(',')}]}\n`);
  });
  return state.then((s) => ({ ...s, requests, calls }));
}

export { b64url };

/**
 * A stand-in for a v2 Fn server (0.3.563–0.3.688), the one the command's tests use (`v2Answer`): /v1 routes answer a
 * route-level 404; /v2/apps?name=, /v2/fns?app_id=, /v2/fns/{id}/calls with base64url cursors and the SQL store's
 * columns (app_name "", no path), /v2/fns/{id}/calls/{id}/log. A call's fn is named after its path. CORS for any
 * origin. `gone`: the call routes answer 410 with an empty body, as every server since 0.3.689 does.
 * `hook(url)` may answer instead ({status, body}).
 */
export function fnServerV2(lines, { gone = false, logs = {}, hook = () => null } = {}) {
  const calls = fc.parseCalls(lines.join('\n')).calls;
  const store = v2Store(fc, calls);
  const requests = [];
  return listen((req, res) => {
    const url = new URL(req.url, 'http://x');
    requests.push(url.pathname + url.search);
    const { status, body, type } = hook(url) ?? v2Answer(fc, store, calls, url, { gone, logs });
    res.writeHead(status, { 'Content-Type': type ?? 'application/json; charset=utf-8', 'Access-Control-Allow-Origin': '*' });
    res.end(body);
  }).then((s) => ({ ...s, requests, calls, fns: store.fns, fnOf: store.fnOf }));
}

// ---- browser ------------------------------------------------------------------------------------------------

/** A fresh page that records console errors, page errors, CSP violations, dialogs and progress-bar showings. */
export async function open(path = '/', viewport = { width: 1440, height: 1000 }, options = {}) {
  const context = await browser.newContext({ viewport, acceptDownloads: true, ...options });
  const page = await context.newPage();
  const problems = [];
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('dialog', (d) => {
    problems.push(`dialog: ${d.message()}`);
    d.dismiss().catch(() => {});
  });
  await page.addInitScript(() => {
    window.__csp = [];
    window.__progressShown = 0;
    document.addEventListener('securitypolicyviolation', (e) => window.__csp.push(`${e.violatedDirective} ${e.blockedURI}`));
    document.addEventListener('DOMContentLoaded', () => {
      const bar = document.getElementById('progress');
      new MutationObserver(() => {
        if (!bar.hidden) window.__progressShown++;
      }).observe(bar, { attributes: true, attributeFilter: ['hidden'] });
    });
  });
  await page.goto(site.url + path);
  await page.waitForSelector('body[data-ready="true"]', { timeout: 30000 });
  return { page, context, problems };
}

export async function clean(page, problems) {
  const csp = await page.evaluate(() => window.__csp);
  assert.deepEqual(csp, [], 'no Content-Security-Policy violations');
  assert.deepEqual(problems, [], 'no console errors, page errors or dialogs');
}

export const tableTitle = (page) => page.textContent('#table-title');

export async function waitTitle(page, re) {
  try {
    await page.waitForFunction((src) => new RegExp(src).test(document.querySelector('#table-title').textContent), re.source, { timeout: 30000 });
  } catch (e) {
    const shown = await page.evaluate(() => [document.querySelector('#table-title').textContent, document.querySelector('#banner').hidden ? '' : document.querySelector('#banner-text').textContent]);
    throw new Error(`${e.message}\nwanted ${re}, the title says: ${shown[0]}${shown[1] ? `; the banner: ${shown[1]}` : ''}`);
  }
}

export const fmt = (n) => n.toLocaleString('en-US');

before(async () => {
  assert.ok(existsSync(CHROMIUM), `${CHROMIUM} is missing: install Debian's chromium (apt-get install -y chromium)`);
  assert.ok(existsSync(join(root, 'pkg', 'web', 'index.js')), 'pkg/ is not built: run bash scripts/build.sh first');
  if (!existsSync(join(dist, 'index.html')) || process.env.FN_CALLS_REBUILD_DASHBOARD) {
    execFileSync('bash', [join(root, 'scripts', 'dashboard-build.sh')], { stdio: 'inherit' });
  }
  fc = require(join(root, 'pkg'));
  sample = readFileSync(join(dist, 'sample.ndjson'));
  mkdirSync(results, { recursive: true });
  mkdirSync(join(root, 'docs'), { recursive: true });
  site = await serveDist();
  fnServer = await fakeFnServer({ cors: true });
  fnServerNoCors = await fakeFnServer({ cors: false });
  const { chromium } = require('playwright-core');
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
});

after(async () => {
  await browser?.close();
  for (const s of servers) s.close();
});

/** Fills the server dialog and presses Load calls. */
export async function loadFromDialog(page, { url, app, fn = '', max = 5000 }) {
  await page.click('#btn-server');
  await page.fill('#server-url', url);
  await page.fill('#server-app', app);
  await page.fill('#server-fn', fn);
  await page.fill('#server-max', String(max));
  await page.click('#server-load');
}

export async function waitBanner(page, re) {
  try {
    await page.waitForFunction((src) => !document.querySelector('#banner').hidden && new RegExp(src).test(document.querySelector('#banner-text').textContent), re.source, { timeout: 30000 });
  } catch (e) {
    const shown = await page.evaluate(() => (document.querySelector('#banner').hidden ? '(no banner)' : document.querySelector('#banner-text').textContent));
    throw new Error(`${e.message}\nwanted ${re}, the banner says: ${shown}`);
  }
}

/** The ids of the loaded calls, sorted as the table sorts them (newest first unless `dir` is asc), all of them. */
export const newestIds = (calls, n) => calls.map((c) => c.id).sort().reverse().slice(0, n);

/** A request the page sends for a failed load shows up as a console error (net::ERR_…, 404, 410): expected there. */
export const expectedNetworkNoise = (problems) => problems.filter((p) => !/Failed to load resource|net::ERR_|CORS policy/.test(p));

// ---- the real Fn servers (../shared/fn-servers), when this machine has them -------------------------------------

export const FN_SERVERS = process.env.FN_SERVERS_DIR || join(root, '..', 'shared', 'fn-servers');

export const noRealServers = existsSync(join(FN_SERVERS, 'start')) ? false : `no real Fn servers at ${FN_SERVERS} (set FN_SERVERS_DIR to run this test)`;

/** Starts a real server build with `calls` (NDJSON lines) and CORS for the dashboard's origin: `{ url, pid, ids }`. */
export function startRealServer(version, lines) {
  const dir = mkdtempSync(join(tmpdir(), 'fn-calls-real-'));
  const file = join(dir, 'calls.ndjson');
  writeFileSync(file, lines.join('\n') + '\n');
  const env = { ...process.env, API_CORS: site.url, FN_API_CORS_ORIGINS: site.url };
  const r = spawnSync('bash', [join(FN_SERVERS, 'start'), version, file], { env, encoding: 'utf8', timeout: 180000, stdio: ['ignore', 'pipe', 'pipe'] });
  const out = Object.fromEntries(r.stdout.split('\n').filter((l) => l.includes('=')).map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
  assert.ok(out.url && out.pid, `${version} did not start: ${r.stderr}`);
  return { url: out.url, pid: Number(out.pid), ids: out.ids ? JSON.parse(readFileSync(out.ids, 'utf8')) : null };
}

// ---- what is failing, since when, and why -----------------------------------------------------------------------

/** The sample's calls as the package reads them, and its CallIndex (for error groups). */
export function sampleIndex() {
  const index = new fc.CallIndex(new Uint8Array(sample));
  const calls = fc.parseCalls(sample).calls;
  return { index, calls };
}

/** The number in the table title: "Calls · 1,234 of 4,994" → 1234. */
export async function shownCount(page) {
  const m = /^Calls · ([\d,]+)/.exec(await tableTitle(page));
  return m ? Number(m[1].replace(/,/g, '')) : NaN;
}

export async function waitCount(page, n) {
  await waitTitle(page, new RegExp(`^Calls · ${fmt(n)}( of |$)`));
}

export const countOf = (filter) => fc.filterCalls(sample, { ...filter, all: true }).calls.length;

// ---- narrow screens, accessibility, dark mode, screenshots ---------------------------------------------------------

export const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

/** axe-core's critical and serious violations on the page as it is now: [] when there are none. */
export async function axeBad(page, label) {
  if (!(await page.evaluate(() => typeof window.axe === 'object'))) await page.evaluate(axeSource);
  const violations = await page.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }).then((r) => r.violations));
  return violations
    .filter((v) => v.impact === 'critical' || v.impact === 'serious')
    .map((v) => `${label}: ${v.id} (${v.impact}) ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')}`);
}

export const shotsDir = join(root, 'docs', 'screenshots');

/** Every view and dialog, checked with axe and photographed, in one theme at one width. */
export async function everyView({ scheme, width }) {
  const height = width < 600 ? 844 : 1000;
  const { page, context, problems } = await open('/', { width, height }, { colorScheme: scheme });
  await waitTitle(page, /^Calls · 4,994$/);
  await page.waitForTimeout(500); // the charts' entry animation
  mkdirSync(shotsDir, { recursive: true });
  const name = (view) => join(shotsDir, `${view}-${scheme}-${width}.png`);
  const bad = [];
  bad.push(...(await axeBad(page, `calls ${scheme} ${width}`)));
  await page.screenshot({ path: name('calls') });
  if (width >= 600) await page.screenshot({ path: name('calls-full'), fullPage: true });

  // the charts' tables (their text alternative)
  await page.click('#time-tools button');
  await page.click('#heat-tools button');
  bad.push(...(await axeBad(page, `chart tables ${scheme} ${width}`)));
  await page.click('#time-tools button');
  await page.click('#heat-tools button');

  // a failed call's detail (its error, stats and history), and a refused record
  await page.click('#kpi-failed');
  await waitTitle(page, /^Calls · \d+ of /);
  await page.click('.vt-row:not([hidden]):has(.badge.status-error) >> nth=0');
  await page.waitForSelector('#detail:not([hidden]) #detail-validation');
  await page.waitForTimeout(300);
  bad.push(...(await axeBad(page, `detail ${scheme} ${width}`)));
  await page.screenshot({ path: name('detail') });
  await page.keyboard.press('Escape');
  await page.click('#issues tbody tr.clickable >> nth=0');
  await page.waitForSelector('#detail:not([hidden]) .json-view');
  bad.push(...(await axeBad(page, `refused record ${scheme} ${width}`)));
  await page.keyboard.press('Escape');

  // the dialogs
  await page.click('#btn-paste');
  bad.push(...(await axeBad(page, `paste dialog ${scheme} ${width}`)));
  await page.screenshot({ path: name('paste') });
  await page.click('#paste-cancel');
  await page.click('#btn-server');
  await page.fill('#server-url', 'http://localhost:8080');
  await page.fill('#server-app', 'shop');
  bad.push(...(await axeBad(page, `server dialog ${scheme} ${width}`)));
  await page.screenshot({ path: name('server') });
  await page.click('#server-cancel');

  // the filter panel open (folded on narrow screens), Top errors filtered
  if (width < 1180) await page.click('#f-toggle');
  await page.click('#errors-table tbody tr >> nth=0 >> button.group-link');
  await waitTitle(page, /^Calls · \d+ of /);
  bad.push(...(await axeBad(page, `filtered ${scheme} ${width}`)));
  await page.screenshot({ path: name('filtered') });

  // the validator
  await page.click('#tab-validator');
  await page.click('#validator-example');
  await page.waitForSelector('#validator-verdict.bad');
  bad.push(...(await axeBad(page, `validator ${scheme} ${width}`)));
  await page.screenshot({ path: name('validator') });
  await clean(page, problems);
  await context.close();
  return bad;
}

// The dashboard (www/) in real headless Chromium: the BUILT page (www/dist, as `vite build` made it), served on
// 127.0.0.1, driven as a person would. Needs Debian's chromium at /usr/bin/chromium (CI installs it) and the
// root devDependency playwright-core. Builds www/dist first when it is missing (scripts/dashboard-build.sh).
//
//   node --test tests/browser/
//
// Saves screenshots to test-results/ and the main view to docs/dashboard.png (the README's picture).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join, extname, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateCalls, goString } from '../../scripts/gen-calls.mjs';

const root = fileURLToPath(new URL('../../', import.meta.url));
const require = createRequire(import.meta.url);
const CHROMIUM = '/usr/bin/chromium';
const dist = join(root, 'www', 'dist');
const results = join(root, 'test-results');

let browser, site, fnServer, fnServerNoCors, fc, sample;
const servers = [];

// ---- servers ------------------------------------------------------------------------------------------------

const MIME = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.ndjson': 'application/x-ndjson',
  '.json': 'application/json',
  '.png': 'image/png',
};

function listen(handler) {
  return new Promise((resolve) => {
    const server = createServer(handler);
    server.listen(0, '127.0.0.1', () => {
      servers.push(server);
      resolve({ server, url: `http://127.0.0.1:${server.address().port}` });
    });
  });
}

/** A static server for www/dist, as any host would serve the built page. */
function serveDist() {
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
 * (newest id first, cursor exclusive, per_page capped at 100, next_cursor when the page is full).
 */
function fakeFnServer({ cors }) {
  const lines = generateCalls({ count: 250, seed: 7 });
  const calls = lines.map((l) => ({ id: JSON.parse(l).id, app: JSON.parse(l).app_name, line: l }));
  calls.sort((a, b) => (a.id < b.id ? 1 : -1));
  const requests = [];
  const state = listen((req, res) => {
    const url = new URL(req.url, 'http://x');
    requests.push(url.pathname + url.search);
    const headers = { 'Content-Type': 'application/json; charset=utf-8' };
    if (cors) headers['Access-Control-Allow-Origin'] = '*';
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

// ---- browser ------------------------------------------------------------------------------------------------

/** A fresh page that records console errors, page errors, CSP violations, dialogs and progress-bar showings. */
async function open(path = '/', viewport = { width: 1440, height: 1000 }) {
  const context = await browser.newContext({ viewport });
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

async function clean(page, problems) {
  const csp = await page.evaluate(() => window.__csp);
  assert.deepEqual(csp, [], 'no Content-Security-Policy violations');
  assert.deepEqual(problems, [], 'no console errors, page errors or dialogs');
}

const tableTitle = (page) => page.textContent('#table-title');
const waitTitle = (page, re) => page.waitForFunction((src) => new RegExp(src).test(document.querySelector('#table-title').textContent), re.source, { timeout: 30000 });
const fmt = (n) => n.toLocaleString('en-US');

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

// ---- the built page -----------------------------------------------------------------------------------------

test('the built page has a Content-Security-Policy without unsafe-eval and no inline script', () => {
  const html = readFileSync(join(dist, 'index.html'), 'utf8');
  const csp = html.match(/http-equiv="Content-Security-Policy"\s+content="([^"]+)"/)?.[1];
  assert.ok(csp, 'a CSP meta tag');
  assert.match(csp, /script-src 'self' 'wasm-unsafe-eval'/);
  assert.doesNotMatch(csp, /'unsafe-eval'|'unsafe-inline'/);
  assert.doesNotMatch(html, /<script(?![^>]*\bsrc=)[^>]*>/, 'no inline <script>');
  assert.doesNotMatch(html, /\son[a-z]+=/i, 'no inline event handlers');
});

test('the sample generator is deterministic and writes calls byte for byte as Go does', () => {
  const a = generateCalls({ count: 300, seed: 9, invalid: 6 });
  assert.deepEqual(generateCalls({ count: 300, seed: 9, invalid: 6 }), a, 'same seed, same lines');
  assert.notDeepEqual(generateCalls({ count: 300, seed: 10 }), generateCalls({ count: 300, seed: 9 }));
  const batch = fc.parseCalls(a.join('\n'));
  assert.equal(new Set(batch.issues.filter((i) => i.severity === 'error').map((i) => i.index)).size, 6, 'six invalid records');
  let checked = 0;
  for (const line of a) {
    const r = fc.safeParseCall(line);
    if (!r.success) continue;
    assert.equal(fc.stringifyCall(r.data), line, 'Go-exact bytes');
    // the id's first 10 characters are created_at in Unix ms (docs/model.md, "Call IDs")
    const ms = [...r.data.id.slice(0, 10)].reduce((n, c) => n * 32 + '0123456789ABCDEFGHJKMNPQRSTVWXYZ'.indexOf(c), 0);
    assert.equal(ms, Date.parse(r.data.created_at));
    checked++;
  }
  assert.equal(checked, 294);
});

test('opens on the bundled sample: every status, charts, the invalid records and their issues', async () => {
  const expected = fc.parseCalls(sample);
  const refused = new Set(expected.issues.filter((i) => i.severity === 'error').map((i) => i.index));
  assert.ok(refused.size >= 4, 'the sample carries invalid records');

  const { page, context, problems } = await open('/');
  await waitTitle(page, new RegExp(`^Calls · ${fmt(expected.calls.length)}$`));
  assert.match(await page.textContent('#source'), /sample\.ndjson/);
  assert.equal(await page.textContent('#kpi-invalid .kpi-value'), String(refused.size));

  const counts = {};
  for (const c of expected.calls) counts[c.status] = (counts[c.status] || 0) + 1;
  for (const status of ['success', 'error', 'timeout', 'cancelled', 'running', 'queued', 'delayed']) {
    assert.ok(counts[status] > 0, `the sample has ${status} calls`);
    assert.equal(await page.textContent(`.chip[data-status="${status}"] .count`), fmt(counts[status]));
  }

  // three summary charts drawn by ECharts on canvas
  for (const id of ['chart-time', 'chart-duration', 'chart-paths']) {
    assert.equal(await page.locator(`#${id} canvas`).count() > 0, true, `${id} is drawn`);
  }
  assert.ok((await page.locator('#paths-table tbody tr').count()) >= 8, 'per-path summary rows');

  // the issues panel lists the refused records with their codes
  const errorCodes = await page.$$eval('#issues tbody tr', (rows) =>
    rows.filter((r) => r.querySelector('.sev-error')).map((r) => r.querySelector('.code').textContent),
  );
  assert.equal(errorCodes.length, refused.size);
  for (const code of ['bad_datetime', 'not_integer', 'bad_status', 'json_syntax']) assert.ok(errorCodes.includes(code), `issue ${code} is shown`);

  // the table is virtualised: a few dozen rows in the DOM for thousands of calls
  const domRows = await page.locator('.vt-row').count();
  assert.ok(domRows > 5 && domRows < 80, `only visible rows are rendered (${domRows})`);

  // the README's picture: tall enough to show the first rows of the table under the charts
  await page.setViewportSize({ width: 1440, height: 1300 });
  await page.waitForTimeout(600); // let the charts resize and finish their entry animation
  const shot = await page.screenshot();
  writeFileSync(join(results, 'dashboard-main.png'), shot);
  writeFileSync(join(root, 'docs', 'dashboard.png'), shot);
  await page.screenshot({ path: join(results, 'dashboard-full.png'), fullPage: true });
  await clean(page, problems);
  await context.close();
});

test('filters with the package, keeps the filter in the URL, and a shared URL opens the same view', async () => {
  const expected = fc.filterCalls(sample, { status: ['error', 'timeout'], app_name: 'shop', all: true }).calls;
  assert.ok(expected.length > 0);

  const { page, context, problems } = await open('/');
  await page.click('.chip[data-status="error"]');
  await page.click('.chip[data-status="timeout"]');
  await page.selectOption('#f-app', 'shop');
  await waitTitle(page, new RegExp(`^Calls · ${fmt(expected.length)} of `));
  const url = new URL(page.url());
  assert.equal(url.searchParams.get('app_name'), 'shop');
  assert.equal(url.searchParams.get('status'), 'error,timeout');

  const apps = await page.$$eval('.vt-row:not([hidden]) .app', (els) => els.map((e) => e.textContent));
  assert.ok(apps.length > 0 && apps.every((a) => a === 'shop'));
  const statuses = await page.$$eval('.vt-row:not([hidden]) .status', (els) => els.map((e) => e.textContent));
  assert.ok(statuses.every((s) => s === 'error' || s === 'timeout'));

  // error text (an extension) narrows further; the server's paging: per_page gives pages and a next cursor
  await page.fill('#f-error', 'exit code');
  const withText = fc.filterCalls(sample, { status: ['error', 'timeout'], app_name: 'shop', error_contains: 'exit code', all: true }).calls;
  await waitTitle(page, new RegExp(`^Calls · ${fmt(withText.length)} of `));
  await page.fill('#f-error', '');
  await page.fill('#f-per-page', '10');
  await waitTitle(page, /^Calls · 10 of /);
  await page.click('#next-page');
  await page.waitForFunction(() => new URL(location.href).searchParams.get('cursor'));
  const page2 = fc.filterCalls(sample, { status: ['error', 'timeout'], app_name: 'shop', per_page: 10 });
  assert.equal(new URL(page.url()).searchParams.get('cursor'), page2.next_cursor);

  // a shared link reproduces the view
  const shared = new URL(page.url());
  const other = await open(shared.pathname + shared.search);
  await waitTitle(other.page, /^Calls · 10 of /);
  assert.equal(await other.page.inputValue('#f-app'), 'shop');
  assert.equal(await other.page.getAttribute('.chip[data-status="timeout"]', 'aria-pressed'), 'true');
  await clean(other.page, other.problems);
  await other.context.close();
  await clean(page, problems);
  await context.close();
});

test("opens a call's detail: fields, stats charts, status history, validation", async () => {
  const { page, context, problems } = await open('/?status=timeout');
  await waitTitle(page, /^Calls · \d+ of /);
  const id = await page.textContent('.vt-row:not([hidden]) .id >> nth=0');
  await page.click('.vt-row:not([hidden]) >> nth=0');
  await page.waitForSelector('#detail:not([hidden]) #detail-validation');
  assert.equal(await page.textContent('#detail .drawer-head h2'), id);
  const fields = await page.$$eval('#detail .fields-table th', (ths) => ths.map((t) => t.textContent));
  for (const f of ['id', 'status', 'app_name', 'path', 'created_at', 'started_at', 'completed_at']) assert.ok(fields.includes(f), `field ${f}`);
  assert.equal(new URL(page.url()).searchParams.get('call'), id);
  // a timeout ran for its whole timeout: it has stats samples, charted
  await page.waitForSelector('#chart-mem canvas');
  await page.waitForSelector('#chart-cpu canvas');
  await page.waitForSelector('#chart-transitions canvas');
  assert.match(await page.textContent('#detail .history'), /queued.*running.*timeout/s);
  assert.match(await page.textContent('#detail .history-verdict'), /observed diagram/);
  // the strict diagram (as drawn) has no edge to timeout
  await page.click('#detail .mode-toggle button[data-mode="strict"]');
  assert.match(await page.textContent('#detail .history-verdict'), /timeout/);
  await page.screenshot({ path: join(results, 'dashboard-detail.png') });
  await page.keyboard.press('Escape');
  await page.waitForSelector('#detail', { state: 'hidden' });

  // a refused record: its text as loaded, the offending value highlighted by its JSON Pointer
  await page.click('#issues tbody tr.clickable:has(.code:text-is("not_integer"))');
  await page.waitForSelector('#detail:not([hidden]) .json-view');
  const highlighted = await page.$$eval('#detail .json-view .hl-error', (els) => els.map((e) => e.textContent).join(''));
  assert.match(highlighted, /"memory"/);
  assert.match(highlighted, /1e3/);
  await page.screenshot({ path: join(results, 'dashboard-invalid-record.png') });
  await clean(page, problems);
  await context.close();
});

test('loads a large NDJSON file with progress, a JSON array by drop, and a v1 envelope by paste', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'fn-calls-dashboard-'));
  const file = join(dir, 'calls-20k.ndjson');
  writeFileSync(file, generateCalls({ count: 20000, seed: 3, invalid: 3 }).join('\n') + '\n');
  const expected = fc.parseCalls(readFileSync(file)).calls.length;

  const { page, context, problems } = await open('/');
  await page.setInputFiles('#file-input', file);
  await page.waitForFunction(() => document.querySelector('#source').textContent.includes('calls-20k.ndjson'), null, { timeout: 60000 });
  await waitTitle(page, new RegExp(`^Calls · ${fmt(expected)}$`));
  assert.ok((await page.evaluate(() => window.__progressShown)) > 0, 'a progress bar was shown');
  assert.equal(await page.isHidden('#progress'), true);
  assert.equal(await page.textContent('#kpi-invalid .kpi-value'), '3');
  assert.ok((await page.locator('.vt-row').count()) < 80, 'virtualised');
  // scrolled to the end, the last call is there
  await page.evaluate(() => (document.querySelector('.vt-viewport').scrollTop = 1e9));
  await page.waitForFunction(() => [...document.querySelectorAll('.vt-row:not([hidden])')].some((r) => r.getAttribute('aria-rowindex') === String(document.querySelector('.calls-table').getAttribute('aria-rowcount'))));

  // a JSON array, dropped on the page
  const arrayText = '[' + generateCalls({ count: 40, seed: 11 }).join(',\n') + ']';
  const dataTransfer = await page.evaluateHandle((text) => {
    const dt = new DataTransfer();
    dt.items.add(new File([text], 'dropped.json', { type: 'application/json' }));
    return dt;
  }, arrayText);
  await page.dispatchEvent('body', 'dragenter', { dataTransfer });
  assert.equal(await page.isVisible('#dropzone'), true);
  await page.dispatchEvent('body', 'drop', { dataTransfer });
  await page.waitForFunction(() => document.querySelector('#source').textContent.includes('dropped.json'));
  await waitTitle(page, /^Calls · 40$/);

  // a v1 list envelope, pasted
  const envelope = `{"message":"Successfully listed calls","next_cursor":"","calls":[${generateCalls({ count: 12, seed: 5 }).join(',')}]}`;
  await page.click('#btn-paste');
  await page.fill('#paste-text', envelope);
  await page.click('#paste-load');
  await page.waitForFunction(() => document.querySelector('#source').textContent.includes('pasted text'));
  await waitTitle(page, /^Calls · 12$/);

  // a v2 list envelope (items, base64url cursor), from the fixtures
  const text = readFileSync(new URL('../fixtures/generated-v2-fn-calls-list.json', import.meta.url), 'utf8');
  const count = fc.parseCalls(text).calls.length;
  assert.ok(count > 0);
  await page.click('#btn-paste');
  await page.fill('#paste-text', text);
  await page.click('#paste-load');
  await waitTitle(page, new RegExp(`^Calls · ${count}$`));
  await clean(page, problems);
  await context.close();
});

test('the validator shows the issues of pasted invalid JSON as you type', async () => {
  const { page, context, problems } = await open('/?tab=validator');
  const bad =
    '{"id":"01C01TC09K47WGE00000000000","status":"success","app_name":"myapp","path":"/hello","memory":1e3,' +
    '"completed_at":"2017-11-28T17:21:41.002Z","created_at":"2017-11-28 17:21:39.123Z","started_at":"2017-11-28T17:21:39.125Z"}';
  await page.fill('#validator-input', bad);
  await page.waitForSelector('#validator-verdict.bad');
  const codes = await page.$$eval('#validator-issues .where', (els) => els.map((e) => e.textContent));
  assert.ok(codes.some((c) => c.startsWith('not_integer') && c.includes('/memory')));
  assert.ok(codes.some((c) => c.startsWith('bad_datetime') && c.includes('/created_at')));
  const marked = await page.$$eval('#validator-view .hl-error', (els) => els.map((e) => e.textContent).join(''));
  assert.match(marked, /1e3/);
  assert.match(marked, /2017-11-28 17:21:39\.123Z/);

  // broken JSON: highlighted at its offset
  await page.fill('#validator-input', bad.slice(0, 60));
  await page.waitForFunction(() => document.querySelector('#validator-issues').textContent.includes('json_syntax'));

  // fixed as you type: a clean call
  await page.fill('#validator-input', bad.replace('1e3', '128').replace('28 17:21:39', '28T17:21:39'));
  await page.waitForSelector('#validator-verdict.ok');
  await page.screenshot({ path: join(results, 'dashboard-validator.png') });
  await clean(page, problems);
  await context.close();
});

test('hostile call contents render as text: no script runs, no element is injected', async () => {
  const t = '2018-06-12T10:00:00.000Z';
  const payload = '<img src=x onerror="window.__pwned=1">';
  const hostile = [
    // as Go writes it (\u003c escapes)
    `{"id":"01CFT0000000000000000000A1","status":"error","app_name":"evil","path":${goString('javascript:alert(1)')},` +
      `"image":${goString('<img src=x onerror="window.__pwned=2">')},"env_vars":{"HOOK":${goString('<script>window.__pwned=3</script>')}},` +
      `"completed_at":"2018-06-12T10:00:01.000Z","created_at":"${t}","started_at":"${t}","error":${goString(payload)}}`,
    // raw, unescaped markup in the JSON strings
    `{"id":"01CFT0000000000000000000A2","status":"error","app_name":"<b onmouseover=\\"window.__pwned=4\\">evil</b>","path":"/x\\"><svg onload=window.__pwned=5>",` +
      `"completed_at":"2018-06-12T10:00:02.000Z","created_at":"${t}","started_at":"${t}","error":"<script>window.__pwned=6</script>"}`,
    // refused (bad status) but shown in the issues panel and the raw record view
    `{"id":"01CFT0000000000000000000A3","status":"<img src=x onerror=window.__pwned=7>","app_name":"evil","path":"/y",` +
      `"completed_at":"${t}","created_at":"${t}","started_at":"${t}"}`,
  ].join('\n');

  const { page, context, problems } = await open('/');
  await page.setInputFiles('#file-input', { name: 'hostile.ndjson', mimeType: 'application/x-ndjson', buffer: Buffer.from(hostile) });
  await waitTitle(page, /^Calls · 2$/);
  const errors = await page.$$eval('.vt-row:not([hidden]) .err-col', (els) => els.map((e) => e.textContent));
  assert.ok(errors.includes(payload), 'the error text is shown literally');
  assert.ok(errors.includes('<script>window.__pwned=6</script>'));
  const paths = await page.$$eval('.vt-row:not([hidden]) .path', (els) => els.map((e) => e.textContent));
  assert.ok(paths.includes('javascript:alert(1)'));

  // every view of the hostile records: the detail with its fields and JSON, the refused record, the validator
  await page.click('.vt-row[data-id="01CFT0000000000000000000A1"]');
  await page.waitForSelector('#detail:not([hidden]) #detail-validation');
  assert.match(await page.textContent('#detail .fields-table'), /<script>window\.__pwned=3<\/script>/);
  assert.match(await page.textContent('#detail .detail-error'), /<img src=x onerror=/);
  await page.hover('#detail .fields-table');
  await page.keyboard.press('Escape');
  await page.click('.vt-row[data-id="01CFT0000000000000000000A2"]');
  await page.waitForSelector('#detail:not([hidden]) #detail-validation');
  await page.keyboard.press('Escape');
  await page.click('#issues tbody tr.clickable:has(.code:text-is("bad_status"))');
  await page.waitForSelector('#detail:not([hidden]) .json-view');
  await page.keyboard.press('Escape');
  await page.hover('.vt-row[data-id="01CFT0000000000000000000A2"] .app');
  await page.click('#tab-validator');
  await page.fill('#validator-input', hostile.split('\n')[0]);
  await page.waitForSelector('#validator-verdict.ok, #validator-verdict.warn');
  await page.waitForTimeout(300);

  const injected = await page.evaluate(() => ({
    pwned: window.__pwned,
    imgs: document.querySelectorAll('img').length,
    svgs: document.querySelectorAll('svg').length,
    bolds: document.querySelectorAll('b').length,
    scripts: [...document.scripts].filter((s) => !s.src).length,
    jsLinks: document.querySelectorAll('[href^="javascript:"], [src^="javascript:"]').length,
    handlers: [...document.querySelectorAll('*')].filter((el) => [...el.attributes].some((a) => /^on/i.test(a.name))).length,
  }));
  assert.deepEqual(injected, { pwned: undefined, imgs: 0, svgs: 0, bolds: 0, scripts: 0, jsLinks: 0, handlers: 0 });
  await clean(page, problems);
  await context.close();
});

test('reads a live Fn server: follows next_cursor, and says clearly when CORS or the network refuses', async () => {
  const { page, context, problems } = await open('/');
  const load = async (base, app) => {
    await page.click('#btn-server');
    await page.fill('#server-url', base);
    await page.fill('#server-app', app);
    await page.click('#server-load');
  };

  await load(fnServer.url, 'shop');
  const shop = fnServer.calls.filter((c) => c.app === 'shop').length;
  await page.waitForFunction(() => document.querySelector('#source').textContent.includes('/v1/apps/shop/calls'));
  await waitTitle(page, new RegExp(`^Calls · ${fmt(shop)}$`));
  const pages = fnServer.requests.filter((r) => r.startsWith('/v1/apps/shop/calls'));
  assert.equal(pages.length, Math.floor(shop / 100) + 1, 'one request per page');
  assert.ok(pages.every((r) => r.includes('per_page=100')));
  assert.ok(pages.slice(1).every((r) => r.includes('cursor=')), 'later pages follow next_cursor');
  assert.equal(new URL(page.url()).searchParams.get('fn_app'), 'shop');

  // answered, but without CORS headers
  await load(fnServerNoCors.url, 'shop');
  await page.waitForSelector('#banner:not([hidden])');
  assert.match(await page.textContent('#banner-text'), /CORS/);
  assert.match(await page.textContent('#banner-text'), /FN_API_CORS_ORIGINS/);

  // nothing listening
  const closed = await listen(() => {});
  await new Promise((r) => closed.server.close(r));
  await load(closed.url, 'shop');
  await page.waitForFunction(() => /Could not reach/.test(document.querySelector('#banner-text').textContent));
  // the page logs the refused requests as console errors (net::ERR_…): those are expected here
  await clean(
    page,
    problems.filter((p) => !/Failed to load resource|net::ERR_|CORS policy/.test(p)),
  );
  await context.close();
});

test('a narrow screen stacks the layout', async () => {
  const { page, context, problems } = await open('/', { width: 420, height: 900 });
  await waitTitle(page, /^Calls · /);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert.ok(overflow <= 1, `no horizontal scrolling (${overflow}px)`);
  await page.screenshot({ path: join(results, 'dashboard-narrow.png'), fullPage: false });
  await clean(page, problems);
  await context.close();
});

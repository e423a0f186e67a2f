// The dashboard (www/) in real headless Chromium: the BUILT page (www/dist, as `vite build` made it), served on
// 127.0.0.1, driven as a person would. Needs Debian's chromium at /usr/bin/chromium (CI installs it) and the
// root devDependency playwright-core. Builds www/dist first when it is missing (scripts/dashboard-build.sh).
//
//   node --test tests/browser/
//
// Saves screenshots to test-results/, the main view to docs/dashboard.png (the README's picture), and every view in
// both themes at 1440 and 390 px to docs/screenshots/ (shown in docs/dashboard.md). The second half of the file tests
// the workflow of finding what fails, since when and why (error groups, zoom, time zones, export, accessibility).

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
 * (newest id first, cursor exclusive, per_page capped at 100, next_cursor when the page is full), and
 * /v1/apps/{app}/calls/{id}/log for the ids in `logs`. `hook(url)` may answer instead ({status, body}).
 */
function fakeFnServer({ cors, logs = {}, hook = () => null }) {
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

const b64url = (text) => Buffer.from(text).toString('base64url');

/**
 * A stand-in for a v2 Fn server (0.3.563–0.3.688), after tests/js/cli.test.mjs: /v1 routes answer a route-level
 * 404; /v2/apps?name=, /v2/fns?app_id=, /v2/fns/{id}/calls with base64url cursors and the SQL store's columns
 * (app_name "", no path), /v2/fns/{id}/calls/{id}/log. A call's fn is named after its path. CORS for any origin.
 * `gone`: the call routes answer 410 with an empty body, as every server since 0.3.689 does.
 * `hook(url)` may answer instead ({status, body}).
 */
function fnServerV2(lines, { gone = false, logs = {}, hook = () => null } = {}) {
  const calls = fc.parseCalls(lines.join('\n')).calls;
  const apps = new Map();
  const fns = new Map();
  const fnOf = (c) => `${c.app_name}/${c.path.slice(1).replace(/\//g, '_')}`;
  for (const c of calls) {
    if (!apps.has(c.app_name)) apps.set(c.app_name, `A${String(apps.size).padStart(25, '0')}`);
    if (!fns.has(fnOf(c))) fns.set(fnOf(c), { id: `F${String(fns.size).padStart(25, '0')}`, app: c.app_name, name: fnOf(c).split('/')[1] });
  }
  const item = (c) => {
    const o = {
      id: c.id, status: c.status, completed_at: c.completed_at, created_at: c.created_at, started_at: c.started_at, stats: c.stats,
      error: c.error, app_id: apps.get(c.app_name), app_name: '', trigger_id: '', fn_id: fns.get(fnOf(c)).id,
    };
    for (const k of Object.keys(o)) if (o[k] === undefined) delete o[k];
    return fc.stringifyCall(o);
  };
  const requests = [];
  const send = (res, status, body, type = 'application/json; charset=utf-8') => {
    res.writeHead(status, { 'Content-Type': type, 'Access-Control-Allow-Origin': '*' });
    res.end(body);
  };
  return listen((req, res) => {
    const url = new URL(req.url, 'http://x');
    requests.push(url.pathname + url.search);
    const answer = hook(url);
    if (answer) return send(res, answer.status, answer.body);
    if (url.pathname === '/version') return send(res, 200, `{"version":"${gone ? '0.3.753' : '0.3.688'}"}`);
    if (url.pathname.startsWith('/v1/')) return send(res, 404, `{"message":"Path not found: GET ${url.pathname}"}\n`);
    if (url.pathname === '/v2/apps') {
      const name = url.searchParams.get('name');
      return send(res, 200, JSON.stringify({ items: [...apps].filter(([n]) => !name || n === name).map(([n, id]) => ({ id, name: n })) }));
    }
    if (url.pathname === '/v2/fns') {
      const appId = url.searchParams.get('app_id');
      return send(res, 200, JSON.stringify({ items: [...fns.values()].filter((f) => apps.get(f.app) === appId).map((f) => ({ id: f.id, name: f.name, app_id: appId })) }));
    }
    const m = /^\/v2\/fns\/([^/]+)\/calls(?:\/([^/]+)(\/log)?)?$/.exec(url.pathname);
    if (!m) return send(res, 404, `{"message":"Path not found: GET ${url.pathname}"}\n`);
    if (gone) return send(res, 410, '', 'text/plain');
    const fn = [...fns.entries()].find(([, f]) => f.id === m[1]);
    if (!fn) return send(res, 404, '{"message":"Fn not found"}\n');
    const mine = calls.filter((c) => fnOf(c) === fn[0]);
    if (m[2]) {
      const c = mine.find((x) => x.id === m[2]);
      if (!c) return send(res, 404, '{"message":"Call not found"}\n');
      if (!m[3]) return send(res, 200, item(c));
      if (!(c.id in logs)) return send(res, 404, '{"message":"Call log not found"}\n');
      return send(res, 200, JSON.stringify({ call_id: c.id, log: logs[c.id] }));
    }
    const raw = url.searchParams.get('cursor') ?? '';
    const cursor = Buffer.from(raw, 'base64url').toString();
    if (raw && b64url(cursor) !== raw) return send(res, 500, '{"message":"internal server error"}\nnull');
    const page = fc.filterCalls(mine, { cursor, per_page: Number(url.searchParams.get('per_page') ?? 30) });
    const next = page.next_cursor ? `"next_cursor":"${b64url(page.next_cursor)}",` : '';
    return send(res, 200, `{${next}"items":[${page.calls.map(item).join(',')}]}`);
  }).then((s) => ({ ...s, requests, calls, fns, fnOf }));
}

// ---- browser ------------------------------------------------------------------------------------------------

/** A fresh page that records console errors, page errors, CSP violations, dialogs and progress-bar showings. */
async function open(path = '/', viewport = { width: 1440, height: 1000 }, options = {}) {
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

async function clean(page, problems) {
  const csp = await page.evaluate(() => window.__csp);
  assert.deepEqual(csp, [], 'no Content-Security-Policy violations');
  assert.deepEqual(problems, [], 'no console errors, page errors or dialogs');
}

const tableTitle = (page) => page.textContent('#table-title');
async function waitTitle(page, re) {
  try {
    await page.waitForFunction((src) => new RegExp(src).test(document.querySelector('#table-title').textContent), re.source, { timeout: 30000 });
  } catch (e) {
    const shown = await page.evaluate(() => [document.querySelector('#table-title').textContent, document.querySelector('#banner').hidden ? '' : document.querySelector('#banner-text').textContent]);
    throw new Error(`${e.message}\nwanted ${re}, the title says: ${shown[0]}${shown[1] ? `; the banner: ${shown[1]}` : ''}`);
  }
}
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
  // the keys its generation writes: app_name and path until 2018, app_id and fn_id later (the sample has every one)
  const shown = fc.parseCalls(sample).calls.find((c) => c.id === id);
  for (const f of ['id', 'status', 'app_name', 'path', 'app_id', 'fn_id', 'created_at', 'started_at', 'completed_at']) {
    if (f in shown) assert.ok(fields.includes(f), `field ${f}`);
  }
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

/** Fills the server dialog and presses Load calls. */
async function loadFromDialog(page, { url, app, fn = '', max = 5000 }) {
  await page.click('#btn-server');
  await page.fill('#server-url', url);
  await page.fill('#server-app', app);
  await page.fill('#server-fn', fn);
  await page.fill('#server-max', String(max));
  await page.click('#server-load');
}

async function waitBanner(page, re) {
  try {
    await page.waitForFunction((src) => !document.querySelector('#banner').hidden && new RegExp(src).test(document.querySelector('#banner-text').textContent), re.source, { timeout: 30000 });
  } catch (e) {
    const shown = await page.evaluate(() => (document.querySelector('#banner').hidden ? '(no banner)' : document.querySelector('#banner-text').textContent));
    throw new Error(`${e.message}\nwanted ${re}, the banner says: ${shown}`);
  }
}
/** The ids of the loaded calls, sorted as the table sorts them (newest first unless `dir` is asc), all of them. */
const newestIds = (calls, n) => calls.map((c) => c.id).sort().reverse().slice(0, n);
/** A request the page sends for a failed load shows up as a console error (net::ERR_…, 404, 410): expected there. */
const expectedNetworkNoise = (problems) => problems.filter((p) => !/Failed to load resource|net::ERR_|CORS policy/.test(p));

test('reads a live Fn server: follows next_cursor, and says clearly when CORS or the network refuses', async () => {
  const { page, context, problems } = await open('/');

  await loadFromDialog(page, { url: fnServer.url, app: 'shop' });
  const shop = fnServer.calls.filter((c) => c.app === 'shop').length;
  await page.waitForFunction(() => document.querySelector('#source').textContent.includes('/v1/apps/shop/calls'));
  await waitTitle(page, new RegExp(`^Calls · ${fmt(shop)}$`));
  const pages = fnServer.requests.filter((r) => r.startsWith('/v1/apps/shop/calls'));
  assert.equal(pages.length, Math.floor(shop / 100) + 1, 'one request per page');
  assert.ok(pages.every((r) => r.includes('per_page=100')));
  assert.ok(pages.slice(1).every((r) => r.includes('cursor=')), 'later pages follow next_cursor');
  assert.equal(new URL(page.url()).searchParams.get('fn_app'), 'shop');

  // answered, but without CORS headers: one request, the likely causes named; the no-cors probe only when asked for
  const before = fnServerNoCors.requests.length;
  await loadFromDialog(page, { url: fnServerNoCors.url, app: 'shop' });
  await waitBanner(page, /Could not read an answer/);
  assert.match(await page.textContent('#banner-text'), /CORS/);
  assert.match(await page.textContent('#banner-text'), /FN_API_CORS_ORIGINS/);
  await page.waitForTimeout(300);
  assert.equal(fnServerNoCors.requests.length, before + 1, 'one request, no retry and no diagnostic request unasked');
  await page.click('#banner-action');
  await waitBanner(page, /answered, but refuses to share its answer with this page \(CORS\)/);
  assert.equal(fnServerNoCors.requests.length, before + 2, 'the diagnosis is one more request, when asked for');

  // nothing listening
  const closed = await listen(() => {});
  await new Promise((r) => closed.server.close(r));
  await loadFromDialog(page, { url: closed.url, app: 'shop' });
  await waitBanner(page, /Could not read an answer/);
  await page.click('#banner-action');
  await waitBanner(page, /Could not reach/);
  await clean(page, expectedNetworkNoise(problems));
  await context.close();
});

test('reads a v2 server through the dialog: the app found, its two fns listed and merged newest first', async () => {
  // shop's calls of two paths: two fns on the v2 stand-in; other apps' calls beside them
  const lines = generateCalls({ count: 900, seed: 21 }).filter((l) => {
    const c = JSON.parse(l);
    return c.app_name !== 'shop' || c.path === '/checkout' || c.path === '/cart/add';
  });
  const srv = await fnServerV2(lines);
  const shop = srv.calls.filter((c) => c.app_name === 'shop');
  const byFn = (name) => shop.filter((c) => srv.fnOf(c) === `shop/${name}`);
  assert.ok(byFn('checkout').length > 100 && byFn('cart_add').length > 100, 'each fn has more than one page');

  const { page, context, problems } = await open('/');
  await page.click('#btn-server');
  await page.fill('#server-url', srv.url);
  await page.fill('#server-app', 'shop');
  assert.equal(await page.textContent('#server-first-url'), `GET ${srv.url}/v1/apps/shop/calls?per_page=100`);
  await page.click('#server-load');
  await page.waitForFunction(() => document.querySelector('#source').textContent.includes('/v2 · shop · 2 fns'));
  await waitTitle(page, new RegExp(`^Calls · ${fmt(shop.length)}$`));
  // the discovery, as the command does it: v1 first, then the app and its fns, then each fn's listing
  assert.match(srv.requests[0], /^\/v1\/apps\/shop\/calls\?per_page=100$/);
  assert.match(srv.requests[1], /^\/v2\/apps\?name=shop&per_page=100$/);
  assert.match(srv.requests[2], /^\/v2\/fns\?app_id=A\d+&per_page=100$/);
  const listings = srv.requests.filter((r) => /^\/v2\/fns\/F\d+\/calls/.test(r));
  assert.equal(listings.length, Math.ceil(byFn('checkout').length / 100) + Math.ceil(byFn('cart_add').length / 100) + (byFn('checkout').length % 100 === 0) + (byFn('cart_add').length % 100 === 0));
  for (const r of listings.filter((x) => x.includes('cursor='))) {
    assert.match(Buffer.from(new URL(r, 'http://x').searchParams.get('cursor'), 'base64url').toString(), /^[0-9A-Z]{26}$/, 'cursors are base64url ids');
  }
  // the merge: the first record loaded is the newest of both fns, the last the oldest
  const want = newestIds(shop);
  await page.click(`.vt-row[data-id="${want[0]}"]`);
  await page.waitForSelector('#detail:not([hidden]) #detail-validation');
  assert.match(await page.textContent('#detail .drawer-sub'), /record #1$/);
  assert.match(await page.textContent('#detail .drawer-sub'), /fn (checkout|cart_add)/);
  await page.keyboard.press('Escape');

  // a limit across the merge keeps exactly the newest calls of both fns, and says why it stopped
  srv.requests.length = 0;
  await loadFromDialog(page, { url: srv.url, app: 'shop', max: 150 });
  await waitTitle(page, /^Calls · 150$/);
  await waitBanner(page, /Stopped at the limit of 150 calls; the server has more/);
  assert.equal(await page.textContent('.vt-row:not([hidden]) .id >> nth=0'), want[0]);
  await page.click('.vt-header [data-key="id"]');
  await page.waitForFunction((id) => document.querySelector('.vt-row:not([hidden]) .id')?.textContent === id, want[149]);
  await page.click('.vt-header [data-key="id"]');
  assert.ok(srv.requests.filter((r) => /\/calls\?/.test(r)).length <= 4, 'only the pages the limit needs');

  // one fn by name; a path (which v2 does not keep) is refused with the reason; unknown app and fn
  await loadFromDialog(page, { url: srv.url, app: 'shop', fn: 'checkout' });
  await page.waitForFunction(() => document.querySelector('#source').textContent.includes('/v2 · shop · fn checkout'));
  await waitTitle(page, new RegExp(`^Calls · ${fmt(byFn('checkout').length)}$`));
  assert.equal(new URL(page.url()).searchParams.get('fn_fn'), 'checkout');
  await loadFromDialog(page, { url: srv.url, app: 'shop', fn: 'nosuch' });
  await waitBanner(page, /fn 'nosuch' not found in app 'shop'/);
  await loadFromDialog(page, { url: srv.url, app: 'nosuch' });
  await waitBanner(page, /app 'nosuch' not found on http:\/\/127\.0\.0\.1:\d+ \(v2 API\)/);
  await page.fill('#f-path', '/checkout');
  await page.waitForFunction(() => new URL(location.href).searchParams.get('path') === '/checkout');
  await loadFromDialog(page, { url: srv.url, app: 'shop' });
  await waitBanner(page, /Path \/checkout: this server has the v2 API, which keeps no path for a call/);
  await page.screenshot({ path: join(results, 'dashboard-v2.png') });
  await clean(page, expectedNetworkNoise(problems));
  await context.close();
});

test('a current server (410 Gone) gets the explanation of where calls went, not an HTTP error', async () => {
  const srv = await fnServerV2(generateCalls({ count: 60, seed: 4 }), { gone: true });
  const { page, context, problems } = await open('/');
  await loadFromDialog(page, { url: srv.url, app: 'shop' });
  await waitBanner(page, /keeps no calls/);
  const text = await page.textContent('#banner-text');
  assert.match(text, /\(Fn 0\.3\.753\): this Fn server keeps no calls: the call API was removed in release 0\.3\.689/);
  assert.match(text, /CallListener extension/);
  assert.doesNotMatch(text, /HTTP 410/);
  await clean(page, expectedNetworkNoise(problems));
  await context.close();
});

test("the Log tab reads a call's log from its server as text, truncates a large one, and explains what it cannot read", async () => {
  const lines = generateCalls({ count: 200, seed: 8 });
  const calls = fc.parseCalls(lines.join('\n')).calls.filter((c) => c.app_name === 'shop').sort((a, b) => (a.id < b.id ? 1 : -1));
  const [withLog, bigLog, noLog] = calls;
  const hostile = 'started\n<b>bold</b> <img src=x onerror="window.__pwned=1"> <script>window.__pwned=2</script>\n\u00fc done\n';
  const big = `${'0123456789abcdef'.repeat(16)}\n`.repeat(1000); // 257,000 characters
  const srv = await fnServerV2(lines, { logs: { [withLog.id]: hostile, [bigLog.id]: big } });

  const { page, context, problems } = await open('/');
  // a file's calls: logs come from a server
  await page.click('.vt-row:not([hidden]) >> nth=0');
  await page.click('#detail-tab-log');
  await page.waitForSelector('#detail-log-message');
  assert.match(await page.textContent('#detail-log-message'), /Logs come from an Fn server/);
  await page.keyboard.press('Escape');

  await loadFromDialog(page, { url: srv.url, app: 'shop' });
  await page.waitForFunction(() => document.querySelector('#source').textContent.includes('/v2 · shop'));
  const openLog = async (id) => {
    await page.click(`.vt-row[data-id="${id}"]`);
    await page.waitForSelector('#detail:not([hidden]) #detail-tab-log');
    const before = srv.requests.length;
    await page.waitForTimeout(200);
    assert.equal(srv.requests.length, before, 'opening a call asks for no log');
    await page.click('#detail-tab-log');
    await page.waitForSelector('#detail-log-text, #detail-log-error');
  };
  await openLog(withLog.id);
  assert.equal(await page.textContent('#detail-log-text'), hostile, 'the log exactly, as text');
  assert.ok(srv.requests.includes(`/v2/fns/${srv.fns.get(srv.fnOf(withLog)).id}/calls/${withLog.id}/log`), 'the log of the call’s own fn');
  assert.deepEqual(await page.evaluate(() => ({ pwned: window.__pwned, marks: document.querySelectorAll('#detail-log b, #detail-log img, #detail-log script').length })), { pwned: undefined, marks: 0 });
  await page.screenshot({ path: join(results, 'dashboard-log.png') });
  await page.keyboard.press('Escape');

  await openLog(bigLog.id);
  assert.equal((await page.textContent('#detail-log-text')).length, 100000);
  assert.match(await page.textContent('#detail-log-note'), /first 100,000 of 257,000 characters/);
  await page.click('#detail-log-all');
  assert.equal((await page.textContent('#detail-log-text')).length, big.length);
  await page.keyboard.press('Escape');

  await openLog(noLog.id);
  assert.match(await page.textContent('#detail-log-error'), /^Call log not found: the server keeps no log for call /);
  await page.keyboard.press('Escape');

  // the server is gone by the time the log is asked for: network or CORS, said so
  srv.server.closeAllConnections();
  await new Promise((r) => srv.server.close(r));
  await openLog(withLog.id);
  assert.match(await page.textContent('#detail-log-error'), /Could not read an answer from http:\/\/127\.0\.0\.1:\d+.*CORS/s);
  await clean(page, expectedNetworkNoise(problems));
  await context.close();
});

test('a call with a 10 MB error text: clipped everywhere with a "Show more" control, and the page stays usable', async () => {
  const lines = generateCalls({ count: 20, seed: 12 });
  const calls = lines.map((l) => JSON.parse(l));
  const huge = calls.findIndex((c) => c.status === 'error' || c.status === 'success');
  const line = 'panic: worker 0x7f3a failed at step 42 of job "resize" (retrying)\n';
  const error = line.repeat(Math.ceil(10_000_000 / line.length));
  // the error key written where Go writes it: a string replacement keeps the rest of the line byte for byte
  const c = calls[huge];
  lines[huge] = 'error' in c ? lines[huge].replace(/"error":"(?:[^"\\]|\\.)*"/, `"error":${goString(error)}`) : lines[huge].replace(/}$/, `,"error":${goString(error)}}`);
  assert.equal(fc.parseCall(lines[huge]).error, error);
  const dir = mkdtempSync(join(tmpdir(), 'fn-calls-dashboard-'));
  const file = join(dir, 'huge-error.ndjson');
  writeFileSync(file, lines.join('\n') + '\n');

  const { page, context, problems } = await open('/');
  await page.setInputFiles('#file-input', file);
  await page.waitForFunction(() => document.querySelector('#source').textContent.includes('huge-error.ndjson'), null, { timeout: 60000 });
  await waitTitle(page, /^Calls · 20$/);
  // the table cell holds a one-line preview; the full text is nowhere in the page
  const cell = await page.textContent(`.vt-row[data-id="${c.id}"] .err-col`);
  assert.ok(cell.startsWith(line.slice(0, 40)) && cell.length < 1000, `a preview in the cell (${cell.length} characters)`);
  await page.click(`.vt-row[data-id="${c.id}"]`);
  await page.waitForSelector('#detail:not([hidden]) #detail-validation .json-view');
  const shown = await page.evaluate(() => document.body.textContent.length);
  assert.ok(shown < 1_000_000, `the page lays out a preview, not 10 MB (${shown} characters)`);
  const first = await page.textContent('#detail-error-text .clip-text');
  assert.equal(first, error.slice(0, 2000));
  assert.equal(await page.textContent('#detail-error-text .clip-more'), `Show more (2,000 of ${fmt(error.length)} characters shown)`);
  // the fields table and the record as loaded are clipped too, each with its control
  assert.equal(await page.locator('#detail .fields-table .clip-more').count(), 1);
  assert.equal(await page.locator('#detail .json-view .clip-more').count(), 1);
  // "Show more" reveals the next chunk (read from the data worker), and only it
  await page.click('#detail-error-text .clip-more');
  await page.waitForFunction(() => /^Show more \(102,000 of /.test(document.querySelector('#detail-error-text .clip-more').textContent));
  assert.equal(await page.textContent('#detail-error-text .clip-text'), error.slice(0, 102000));
  await page.click('#detail .json-view .clip-more');
  await page.waitForFunction(() => /^Show more \(102,000 of /.test(document.querySelector('#detail .json-view .clip-more').textContent));
  // the record's string token goes on where its first 2,000 characters stopped: the JSON text of the error
  const escaped = goString(error);
  assert.ok((await page.textContent('#detail .json-view')).includes(escaped.slice(0, 102000)), 'the record shows the first 102,000 characters of the error as written');
  // the page still answers: close, open another call, filter
  await page.keyboard.press('Escape');
  await page.waitForSelector('#detail', { state: 'hidden' });
  const other = calls.find((x, i) => i !== huge).id;
  await page.click(`.vt-row[data-id="${other}"]`);
  await page.waitForFunction((id) => document.querySelector('#detail-title')?.textContent === id, other);
  await page.keyboard.press('Escape');
  await page.fill('#f-error', 'panic: worker');
  await waitTitle(page, /^Calls · 1 of 20$/);
  await clean(page, problems);
  await context.close();
});

test('a call with a 50 MB error: the page receives only what it shows, reads more from the worker, and opening it blocks no frame for long', { timeout: 240000 }, async () => {
  const lines = generateCalls({ count: 20, seed: 12 });
  const calls = lines.map((l) => JSON.parse(l));
  const huge = calls.findIndex((c) => c.status === 'error');
  const c = calls[huge];
  const line = 'panic: worker 0x7f3a failed at step 42 of job resize (retrying)\n';
  const repeats = Math.ceil(50_000_000 / line.length);
  const length = line.length * repeats;
  // the file is written in pieces, so the test never holds the 50 MB text (nor its JSON) in one string
  const [head, tail] = lines[huge].split(/"error":"(?:[^"\\]|\\.)*"/);
  assert.ok(tail !== undefined, 'the generated error call has an error key');
  const dir = mkdtempSync(join(tmpdir(), 'fn-calls-dashboard-'));
  const file = join(dir, 'huge-50mb-error.ndjson');
  const fd = openSync(file, 'w');
  writeSync(fd, lines.slice(0, huge).map((l) => `${l}\n`).join('') + `${head}"error":"`);
  const block = goString(line).slice(1, -1).repeat(10000);
  for (let n = 0; n < repeats; n += 10000) writeSync(fd, n + 10000 <= repeats ? block : goString(line).slice(1, -1).repeat(repeats - n));
  writeSync(fd, `"${tail}\n` + lines.slice(huge + 1).map((l) => `${l}\n`).join(''));
  closeSync(fd);

  const { page, context, problems } = await open('/');
  // every message from the data worker is measured: its longest string and all its strings together
  await context.addInitScript(() => {
    const measure = (v, depth = 0) => {
      if (typeof v === 'string') {
        window.__longest = Math.max(window.__longest, v.length);
        window.__received += v.length;
      } else if (v && typeof v === 'object' && depth < 12 && !ArrayBuffer.isView(v)) for (const x of Object.values(v)) measure(x, depth + 1);
    };
    window.__longest = 0;
    window.__received = 0;
    const Base = window.Worker;
    window.Worker = class extends Base {
      constructor(...args) {
        super(...args);
        this.addEventListener('message', (e) => measure(e.data));
      }
    };
  });
  await page.reload();
  await page.waitForSelector('body[data-ready="true"]', { timeout: 30000 });
  await page.setInputFiles('#file-input', file);
  await page.waitForFunction(() => document.querySelector('#source').textContent.includes('huge-50mb-error.ndjson'), null, { timeout: 120000 });
  await waitTitle(page, /^Calls · 20$/);
  const cell = await page.textContent(`.vt-row[data-id="${c.id}"] .err-col`);
  assert.ok(cell.startsWith(line.slice(0, 40)) && cell.length < 1000, `a preview in the cell (${cell.length} characters)`);

  // opening the call: long tasks on the main thread are recorded from the click until the detail is drawn
  await page.evaluate(() => {
    window.__longest = 0;
    window.__received = 0;
    window.__long = [];
    window.__since = performance.now();
    new PerformanceObserver((list) => window.__long.push(...list.getEntries().map((e) => ({ start: e.startTime, duration: e.duration })))).observe({ type: 'longtask' });
  });
  await page.click(`.vt-row[data-id="${c.id}"]`);
  await page.waitForSelector('#detail:not([hidden]) #detail-validation .json-view');
  await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(resolve, 300)))));
  const longTasks = await page.evaluate(() => window.__long.filter((e) => e.start >= window.__since));
  const worst = Math.max(0, ...longTasks.map((e) => e.duration));
  assert.ok(worst < 200, `opening the call blocks the page for ${Math.round(worst)} ms at most (long tasks: ${JSON.stringify(longTasks)})`);
  // the page holds only what it shows: a preview of the error in the text, the detail and the record
  const shown = await page.evaluate(() => document.body.textContent.length);
  assert.ok(shown < 200_000, `the page lays out a preview, not 50 MB (${shown} characters)`);
  assert.equal(await page.textContent('#detail-error-text .clip-more'), `Show more (2,000 of ${fmt(length)} characters shown)`);
  assert.equal(await page.textContent('#detail-error-text .clip-text'), line.repeat(Math.ceil(2000 / line.length)).slice(0, 2000));
  assert.equal(await page.locator('#detail .fields-table .clip-more').count(), 1);
  assert.match(await page.textContent('#detail .json-view .clip-more'), /^Show more \(2,000 of /);
  // "Show more" asks the worker for the next chunk
  await page.click('#detail-error-text .clip-more');
  await page.waitForFunction(() => /^Show more \(102,000 of /.test(document.querySelector('#detail-error-text .clip-more').textContent));
  assert.equal(await page.textContent('#detail-error-text .clip-text'), line.repeat(Math.ceil(102000 / line.length)).slice(0, 102000));
  // what crossed from the worker since the click: the call as shown (its long texts cut) and one chunk
  const { longest, received } = await page.evaluate(() => ({ longest: window.__longest, received: window.__received }));
  assert.ok(longest <= 100_000, `no message holds a string over one chunk (${longest} characters)`);
  assert.ok(received < 1_000_000, `the page received ${received} characters, not 50 MB`);
  // Calls like this, and the Top errors row of its group: the group is named by its beginning, the worker filters
  // on the whole key; neither the messages nor the address carry 50 MB
  await page.evaluate(() => {
    window.__longest = 0;
    window.__received = 0;
  });
  await page.click('#detail-like');
  await waitTitle(page, /^Calls · 1 of 20$/);
  assert.ok(page.url().length < 20_000, `the address holds the group's name, not its key (${page.url().length} characters)`);
  await page.goto(site.url);
  await page.waitForSelector('body[data-ready="true"]', { timeout: 30000 });
  await page.setInputFiles('#file-input', file);
  await page.waitForFunction(() => document.querySelector('#source').textContent.includes('huge-50mb-error.ndjson'), null, { timeout: 120000 });
  await waitTitle(page, /^Calls · 20$/);
  await page.evaluate(() => {
    window.__longest = 0;
    window.__received = 0;
  });
  await page.locator('#errors-table tbody tr', { hasText: 'panic: worker' }).locator('.group-link').click();
  await waitTitle(page, /^Calls · 1 of 20$/);
  assert.ok(await page.isVisible(`.vt-row[data-id="${c.id}"]`));
  const after = await page.evaluate(() => window.__longest);
  assert.ok(after <= 100_000, `filtering on the group sends no string over one chunk (${after} characters)`);
  await clean(page, problems);
  await context.close();
});

test('a v1 call log through the Log tab', async () => {
  const id = fnServer.calls.find((c) => c.app === 'media').id;
  const srv = await fakeFnServer({ cors: true, logs: { [id]: 'v1 log <b>x</b>' } });
  const { page, context, problems } = await open('/');
  await loadFromDialog(page, { url: srv.url, app: 'media' });
  await page.waitForFunction(() => document.querySelector('#source').textContent.includes('/v1/apps/media/calls'));
  await page.click(`.vt-row[data-id="${id}"]`);
  await page.click('#detail-tab-log');
  await page.waitForSelector('#detail-log-text');
  assert.equal(await page.textContent('#detail-log-text'), 'v1 log <b>x</b>');
  assert.ok(srv.requests.includes(`/v1/apps/media/calls/${id}/log`));
  await clean(page, problems);
  await context.close();
});

test('a link naming a server sends nothing until the person confirms, and only http(s) servers are accepted', async () => {
  const srv = await fakeFnServer({ cors: true });
  const { page, context, problems } = await open(`/?fn_server=${encodeURIComponent(srv.url)}&fn_app=shop&status=error`);
  assert.equal(await page.isVisible('#dlg-server'), true, 'the dialog is open');
  assert.equal(await page.isVisible('#server-link-note'), true);
  assert.equal(await page.inputValue('#server-url'), srv.url);
  assert.equal(await page.inputValue('#server-app'), 'shop');
  assert.equal(await page.textContent('#server-first-url'), `GET ${srv.url}/v1/apps/shop/calls?per_page=100`);
  await page.waitForTimeout(800);
  assert.deepEqual(srv.requests, [], 'no request before the person confirms');
  assert.equal(await page.textContent('#table-title'), 'Calls · 0 of 0');
  assert.equal(new URL(page.url()).searchParams.get('fn_server'), srv.url, 'the link stays in the address bar');
  await page.click('#server-load');
  const shop = srv.calls.filter((c) => c.app === 'shop');
  await page.waitForFunction(() => document.querySelector('#source').textContent.includes('/v1/apps/shop/calls'));
  assert.ok(srv.requests.length > 0);
  assert.ok(srv.requests.every((r) => r.startsWith('/v1/apps/shop/calls?')));
  await waitTitle(page, new RegExp(`^Calls · \\d+ of ${fmt(shop.length)}$`)); // the link's status filter applies
  await clean(page, problems);
  await context.close();

  // Cancel: nothing sent, and the link's server leaves the address bar
  const second = await open(`/?fn_server=${encodeURIComponent(srv.url)}&fn_app=shop`);
  const count = srv.requests.length;
  await second.page.click('#server-cancel');
  await second.page.waitForTimeout(300);
  assert.equal(srv.requests.length, count);
  assert.equal(new URL(second.page.url()).searchParams.get('fn_server'), null);
  await clean(second.page, second.problems);
  await second.context.close();

  // javascript:, data: and file: addresses are refused, in a link and typed
  const evil = await open(`/?fn_server=${encodeURIComponent('javascript:alert(document.domain)')}&fn_app=x`);
  assert.equal(await evil.page.isVisible('#dlg-server'), true);
  assert.match(await evil.page.textContent('#banner-text'), /^This link names a server address that is refused: /);
  assert.match(await evil.page.textContent('#server-problem'), /^Refused: .* is a javascript: URL\. Only http: and https: addresses/);
  assert.equal(await evil.page.isDisabled('#server-load'), true);
  await evil.page.keyboard.press('Enter');
  for (const bad of ['data:text/html,<script>alert(1)</script>', 'file:///etc/passwd', 'ftp://127.0.0.1/']) {
    await evil.page.fill('#server-url', bad);
    assert.match(await evil.page.textContent('#server-problem'), /^Refused: /, bad);
    assert.equal(await evil.page.isDisabled('#server-load'), true, bad);
  }
  await evil.page.fill('#server-url', 'http://user:secret@127.0.0.1:1/');
  assert.match(await evil.page.textContent('#server-problem'), /user name or password/);
  await evil.page.fill('#server-url', 'https://fn.example.com/');
  assert.equal(await evil.page.isDisabled('#server-load'), false);
  assert.equal(await evil.page.textContent('#server-first-url'), 'GET https://fn.example.com/v1/apps/x/calls?per_page=100');
  assert.equal(await evil.page.evaluate(() => window.__pwned), undefined);
  await clean(evil.page, evil.problems);
  await evil.context.close();
});

test('paging stops, and says why, on a repeated cursor, an empty page that names a next one, and the call limit', async () => {
  const full = (srv, app, cursor) => {
    const page = srv.calls.filter((c) => c.app === app && (!cursor || c.id < cursor)).slice(0, 100);
    return page.map((c) => c.line).join(',');
  };
  // v1: next_cursor always the same id
  let repeat;
  repeat = await fakeFnServer({
    cors: true,
    hook: (url) => (url.pathname === '/v1/apps/shop/calls' ? { status: 200, body: `{"next_cursor":"01CFSZZZZZZZZZZZZZZZZZZZZZ","calls":[${full(repeat, 'shop', url.searchParams.get('cursor'))}]}` } : null),
  });
  const { page, context, problems } = await open('/');
  await loadFromDialog(page, { url: repeat.url, app: 'shop' });
  await waitBanner(page, /next_cursor 01CFSZZZZZZZZZZZZZZZZZZZZZ \(page 2\) repeats the cursor asked for: stopped rather than loop/);
  assert.equal(repeat.requests.length, 2);
  await waitTitle(page, /^Calls · \d+$/);

  // v1: an empty page that still names a next one
  const empty = await fakeFnServer({ cors: true, hook: (url) => (url.pathname === '/v1/apps/shop/calls' ? { status: 200, body: '{"next_cursor":"01CFSAAAAAAAAAAAAAAAAAAAAA","calls":[]}' } : null) });
  await loadFromDialog(page, { url: empty.url, app: 'shop' });
  await waitBanner(page, /Page 1 was empty but still named a next page/);
  assert.equal(empty.requests.length, 1);

  // v1: the limit
  await loadFromDialog(page, { url: fnServer.url, app: 'shop', max: 50 });
  await waitTitle(page, /^Calls · 50$/);
  await waitBanner(page, /Loaded the newest 50 calls of shop \(1 page\)\.\nStopped at the limit of 50 calls; the server has more\./);

  // v2: one fn's next_cursor goes back up; the other fn's listing is read to its end
  const lines = generateCalls({ count: 400, seed: 12 }).filter((l) => ['/checkout', '/cart/add'].includes(JSON.parse(l).path));
  let v2;
  v2 = await fnServerV2(lines, {
    hook: (url) => {
      const checkout = v2.fns.get('shop/checkout').id;
      if (url.pathname !== `/v2/fns/${checkout}/calls`) return null;
      return { status: 200, body: `{"next_cursor":"${b64url('01CFT99999999999999999999Z')}","items":[]}` };
    },
  });
  await loadFromDialog(page, { url: v2.url, app: 'shop' });
  await waitBanner(page, /fn checkout: an empty page still named a next page/);
  const cartAdd = v2.calls.filter((c) => v2.fnOf(c) === 'shop/cart_add').length;
  await waitTitle(page, new RegExp(`^Calls · ${fmt(cartAdd)}$`));
  await clean(page, expectedNetworkNoise(problems)); // the v1 route's 404 on a v2 server
  await context.close();
});

// ---- the real Fn servers (../shared/fn-servers), when this machine has them -------------------------------------

const FN_SERVERS = process.env.FN_SERVERS_DIR || join(root, '..', 'shared', 'fn-servers');
const noRealServers = existsSync(join(FN_SERVERS, 'start')) ? false : `no real Fn servers at ${FN_SERVERS} (set FN_SERVERS_DIR to run this test)`;

/** Starts a real server build with `calls` (NDJSON lines) and CORS for the dashboard's origin: `{ url, pid, ids }`. */
function startRealServer(version, lines) {
  const dir = mkdtempSync(join(tmpdir(), 'fn-calls-real-'));
  const file = join(dir, 'calls.ndjson');
  writeFileSync(file, lines.join('\n') + '\n');
  const env = { ...process.env, API_CORS: site.url, FN_API_CORS_ORIGINS: site.url };
  const r = spawnSync('bash', [join(FN_SERVERS, 'start'), version, file], { env, encoding: 'utf8', timeout: 180000, stdio: ['ignore', 'pipe', 'pipe'] });
  const out = Object.fromEntries(r.stdout.split('\n').filter((l) => l.includes('=')).map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
  assert.ok(out.url && out.pid, `${version} did not start: ${r.stderr}`);
  return { url: out.url, pid: Number(out.pid), ids: out.ids ? JSON.parse(readFileSync(out.ids, 'utf8')) : null };
}

test('against the real Fn servers (v1 of 2017, v2 0.3.688): the listing, the merge of fns, the limit, and logs', { skip: noRealServers, timeout: 300000 }, async () => {
  // every 7th call carries a log ("log" is stored as its log by the loader); text with markup in it
  const lines = generateCalls({ count: 240, seed: 7 }).map((l, i) => (i % 7 === 0 ? l.replace(/}$/, `,"log":${JSON.stringify(`log of ${JSON.parse(l).id}\n<b>bold</b> & <i>more</i>\n`)}}`) : l));
  const calls = lines.map((l) => JSON.parse(l));
  const shop = calls.filter((c) => c.app_name === 'shop');
  const withLog = calls.find((c, i) => i % 7 === 0 && c.app_name === 'shop');
  const noLog = calls.find((c, i) => i % 7 !== 0 && c.app_name === 'shop');
  const started = [];
  const { page, context, problems } = await open('/');
  try {
    // both calls are among the newest of shop, so their rows are on screen (the table is virtualised)
    const top = newestIds(shop, 15);
    assert.ok(top.includes(withLog.id) && top.includes(noLog.id));
    const logOf = async (id) => {
      await page.click(`.vt-row[data-id="${id}"]`);
      await page.click('#detail-tab-log');
      await page.waitForSelector('#detail-log-text, #detail-log-error', { timeout: 30000 });
      const text = await page.locator('#detail-log-text, #detail-log-error').first().textContent();
      await page.keyboard.press('Escape');
      return text;
    };

    for (const version of ['v1-2017', 'v2-0.3.688']) {
      const srv = startRealServer(version, lines);
      started.push(srv.pid);
      await loadFromDialog(page, { url: srv.url, app: 'shop' });
      await page.waitForFunction((v) => document.querySelector('#source').textContent.includes(v), version === 'v1-2017' ? '/v1/apps/shop/calls' : '/v2 · shop · ');
      await waitTitle(page, new RegExp(`^Calls · ${fmt(shop.length)}$`));
      assert.equal(await page.textContent('.vt-row:not([hidden]) .id >> nth=0'), newestIds(shop)[0]);

      const log = await logOf(withLog.id);
      assert.equal(log, `log of ${withLog.id}\n<b>bold</b> & <i>more</i>\n`, `${version}: the log, as text`);
      assert.match(await logOf(noLog.id), /^Call log not found/, `${version}: no log`);

      // the limit across v1 pages or the v2 merge: the newest calls exactly
      await loadFromDialog(page, { url: srv.url, app: 'shop', max: 40 });
      await waitTitle(page, /^Calls · 40$/);
      await page.click('.vt-header [data-key="id"]');
      await page.waitForFunction((id) => document.querySelector('.vt-row:not([hidden]) .id')?.textContent === id, newestIds(shop, 40)[39]);
      await page.click('.vt-header [data-key="id"]');

      if (version === 'v2-0.3.688') {
        const checkout = shop.filter((c) => c.path === '/checkout');
        await loadFromDialog(page, { url: srv.url, app: 'shop', fn: 'checkout' });
        await page.waitForFunction(() => document.querySelector('#source').textContent.includes('· fn checkout'));
        await waitTitle(page, new RegExp(`^Calls · ${fmt(checkout.length)}$`));
      } else {
        await loadFromDialog(page, { url: srv.url, app: 'shop', fn: 'checkout' });
        await waitBanner(page, /this server has the v1 API, which lists calls per app/);
      }
      process.kill(srv.pid);
    }
    await clean(page, expectedNetworkNoise(problems));
  } finally {
    for (const pid of started) {
      try {
        process.kill(pid);
      } catch {
        // already stopped
      }
    }
    await context.close();
  }
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

// ---- what is failing, since when, and why -----------------------------------------------------------------------

/** The sample's calls as the package reads them, and its CallIndex (for error groups). */
function sampleIndex() {
  const index = new fc.CallIndex(new Uint8Array(sample));
  const calls = fc.parseCalls(sample).calls;
  return { index, calls };
}

/** The number in the table title: "Calls · 1,234 of 4,994" → 1234. */
async function shownCount(page) {
  const m = /^Calls · ([\d,]+)/.exec(await tableTitle(page));
  return m ? Number(m[1].replace(/,/g, '')) : NaN;
}

async function waitCount(page, n) {
  await waitTitle(page, new RegExp(`^Calls · ${fmt(n)}( of |$)`));
}

const countOf = (filter) => fc.filterCalls(sample, { ...filter, all: true }).calls.length;

test('Top errors: one row per cause from the package, a click filters on it, and error text ignores case unless asked', async () => {
  const { index } = sampleIndex();
  const groups = index.errorGroups();
  index.free();
  assert.ok(groups.length >= 3 && groups.length < 7, `the sample's 7 error texts are fewer causes (${groups.length})`);
  assert.equal(groups[0].key, 'container exit code <num>');

  const { page, context, problems } = await open('/');
  await waitTitle(page, /^Calls · /);
  const rows = await page.$$eval('#errors-table tbody tr', (trs) => trs.map((tr) => [tr.dataset.group, tr.children[1].textContent]));
  assert.deepEqual(rows, groups.map((g) => [g.key, fmt(g.count)]), 'the groups, largest first, with their counts');
  const total = groups.reduce((n, g) => n + g.count, 0);
  assert.equal(await page.textContent('#errors-table tbody tr >> nth=0 >> td.share'), `${((groups[0].count / total) * 100).toFixed(0)}%`);
  assert.match(await page.textContent('#errors-table tbody tr >> nth=0 >> td.paths-cell'), /\//);

  // a click filters on the group: the package's error_group filter, kept in the URL
  await page.click('#errors-table tbody tr >> nth=0 >> button.group-link');
  await waitCount(page, groups[0].count);
  assert.equal(countOf({ error_group: groups[0].key }), groups[0].count);
  assert.equal(new URL(page.url()).searchParams.get('error_group'), groups[0].key);
  assert.equal(await page.textContent('#f-group'), groups[0].key);
  const errs = await page.$$eval('.vt-row:not([hidden]) .err-col', (els) => els.map((e) => e.textContent));
  assert.ok(errs.length && errs.every((e) => /^container exit code \d+$/.test(e)));
  await page.click('#f-group-clear');
  await waitTitle(page, /^Calls · 4,994$/);

  // error text: case ignored by default, exact case when asked for
  const timed = countOf({ error_contains: 'Timed' });
  assert.ok(timed > 0);
  assert.equal(countOf({ error_contains: 'timed', error_ignore_case: true }), timed);
  await page.fill('#f-error', 'timed');
  await waitCount(page, timed);
  await page.check('#f-match-case');
  await waitTitle(page, /^Calls · 0 of /);
  assert.equal(new URL(page.url()).searchParams.get('match_case'), '1');
  await page.uncheck('#f-match-case');
  await waitCount(page, timed);
  await page.screenshot({ path: join(results, 'dashboard-errors.png') });
  await clean(page, problems);
  await context.close();
});

test('the time chart: a failed-rate line, drag to zoom in, Zoom out back; relative ranges from the newest call or now', async () => {
  const { page, context, problems } = await open('/');
  await waitTitle(page, /^Calls · 4,994$/);
  // the time chart draws a failed % line beside the stacked bars (its table says so too)
  await page.click('#time-tools button');
  const head = await page.$$eval('#time-data thead th', (ths) => ths.map((t) => t.textContent));
  assert.deepEqual(head, ['Bucket start (zoom in)', 'Calls', 'Success', 'Error', 'Timeout', 'Other', 'Failed %']);
  assert.ok((await page.locator('#time-data tbody tr').count()) > 10);
  // the keyboard's way to zoom: a bucket's start in the table
  await page.focus('#time-data tbody tr >> nth=3 >> button');
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => new URL(location.href).searchParams.get('created_since'));
  const kb = new URL(page.url()).searchParams;
  await waitCount(page, countOf({ created_since: kb.get('created_since'), created_before: kb.get('created_before') }));
  await page.click('#f-zoom-out');
  await waitTitle(page, /^Calls · 4,994$/);
  await page.click('#time-tools button');

  // drag across the middle of the time chart
  const box = await page.locator('#chart-time').boundingBox();
  const y = box.y + 36 + (box.height - 62) / 2;
  const x0 = box.x + 44 + (box.width - 88) * 0.3;
  const x1 = box.x + 44 + (box.width - 88) * 0.6;
  await page.mouse.move(x0, y);
  await page.mouse.down();
  await page.mouse.move(x1, y, { steps: 12 });
  await page.mouse.up();
  await page.waitForFunction(() => new URL(location.href).searchParams.get('created_since'));
  const url = new URL(page.url());
  const since = url.searchParams.get('created_since');
  const before = url.searchParams.get('created_before');
  const zoomed = countOf({ created_since: since, created_before: before });
  assert.ok(zoomed > 0 && zoomed < 4994, `zoomed to ${zoomed} calls`);
  await waitCount(page, zoomed);
  assert.ok(Date.parse(before) - Date.parse(since) < 24 * 3600000);
  assert.equal(await page.isDisabled('#f-zoom-out'), false);

  // zoom in again, then out twice: back where it started
  await page.mouse.move(x0, y);
  await page.mouse.down();
  await page.mouse.move(x1, y, { steps: 12 });
  await page.mouse.up();
  await page.waitForFunction((s) => new URL(location.href).searchParams.get('created_since') !== s, since);
  await page.click('#f-zoom-out');
  await waitCount(page, zoomed);
  assert.equal(new URL(page.url()).searchParams.get('created_since'), since);
  await page.click('#f-zoom-out');
  await waitTitle(page, /^Calls · 4,994$/);
  assert.equal(new URL(page.url()).searchParams.get('created_since'), null);

  // a click on one bar: that bucket (30 min of the sample's day)
  await page.mouse.click(x0, box.y + box.height - 40);
  await page.waitForFunction(() => new URL(location.href).searchParams.get('created_since'));
  const bucket = new URL(page.url()).searchParams;
  assert.equal(Date.parse(bucket.get('created_before')) - Date.parse(bucket.get('created_since')), 30 * 60000);
  await waitCount(page, countOf({ created_since: bucket.get('created_since'), created_before: bucket.get('created_before') }));
  await page.click('#f-zoom-out');
  await waitTitle(page, /^Calls · 4,994$/);

  // last hour, counted back from the newest call (a file's calls); then from now (2018's calls: none)
  const newest = Math.max(...fc.parseCalls(sample).calls.map((c) => Date.parse(c.created_at)));
  await page.click('.range-chip[data-range="1h"]');
  const lastHour = countOf({ created_since: new Date(newest + 1 - 3600000).toISOString(), created_before: new Date(newest + 1).toISOString() });
  assert.ok(lastHour > 0);
  await waitCount(page, lastHour);
  assert.equal(new URL(page.url()).searchParams.get('range'), '1h');
  await page.selectOption('#f-anchor', 'now');
  await waitTitle(page, /^Calls · 0 of /);
  await page.selectOption('#f-anchor', 'newest');
  await page.click('.range-chip[data-range="24h"]');
  await waitCount(page, countOf({ created_since: new Date(newest + 1 - 86400000).toISOString(), created_before: new Date(newest + 1).toISOString() }));
  // Zoom out from a range: the next range
  await page.click('#f-zoom-out');
  await page.waitForFunction(() => new URL(location.href).searchParams.get('range') === '7d');
  await page.click('.range-chip[data-range="all"]');
  await waitTitle(page, /^Calls · 4,994$/);

  // dragging across the duration histogram sets a duration range
  const dbox = await page.locator('#chart-duration').boundingBox();
  const dy = dbox.y + 30 + (dbox.height - 56) / 2;
  await page.mouse.move(dbox.x + 44 + (dbox.width - 58) * 0.35, dy);
  await page.mouse.down();
  await page.mouse.move(dbox.x + 44 + (dbox.width - 58) * 0.65, dy, { steps: 10 });
  await page.mouse.up();
  await page.waitForFunction(() => new URL(location.href).searchParams.get('max_duration_ms'));
  const q = new URL(page.url()).searchParams;
  const byDuration = countOf({ min_duration_ms: Number(q.get('min_duration_ms')), max_duration_ms: Number(q.get('max_duration_ms')) });
  assert.ok(byDuration > 0 && byDuration < 4994);
  await waitCount(page, byDuration);
  await clean(page, problems);
  await context.close();
});

test('times follow the UTC / local toggle everywhere, and the time fields are 24-hour in that zone', async () => {
  const { page, context, problems } = await open('/?status=error', { width: 1440, height: 1000 }, { timezoneId: 'Asia/Tokyo', locale: 'en-US' });
  await waitTitle(page, /^Calls · \d+ of /);
  const id = await page.textContent('.vt-row:not([hidden]) .id >> nth=0');
  const call = fc.parseCalls(sample).calls.find((c) => c.id === id);
  const ms = Date.parse(call.created_at);
  const utcText = await page.textContent('.vt-row:not([hidden]) .created >> nth=0');
  const d = new Date(ms);
  assert.ok(utcText.endsWith(`${String(d.getUTCHours()).padStart(2, '0')}:${String(d.getUTCMinutes()).padStart(2, '0')}:${String(d.getUTCSeconds()).padStart(2, '0')}`), utcText);
  assert.match(await page.textContent('.vt-header .col-created'), /Created \(UTC\)/);

  await page.click('#tz-local');
  assert.equal(await page.getAttribute('#tz-local', 'aria-pressed'), 'true');
  assert.match(await page.textContent('.vt-header .col-created'), /Created \(UTC\+09:00\)/);
  const tokyo = new Date(ms + 9 * 3600000);
  const localText = await page.textContent('.vt-row:not([hidden]) .created >> nth=0');
  assert.ok(localText.endsWith(`${String(tokyo.getUTCHours()).padStart(2, '0')}:${String(tokyo.getUTCMinutes()).padStart(2, '0')}:${String(tokyo.getUTCSeconds()).padStart(2, '0')}`), localText);
  assert.equal(new URL(page.url()).searchParams.get('tz'), 'local');
  assert.match(await page.textContent('#time-hint'), /UTC\+09:00/);
  assert.match(await page.textContent('#errors-table thead'), /First seen \(UTC\+09:00\)/);

  // a typed time is read in the chosen zone, 24-hour (18:00 in Tokyo is 09:00 UTC)
  assert.equal(await page.getAttribute('#f-since', 'type'), 'text');
  await page.fill('#f-since', '2018-06-12 18:00');
  await page.press('#f-since', 'Enter');
  await page.waitForFunction(() => new URL(location.href).searchParams.get('created_since') === '2018-06-12T09:00:00.000Z');
  await page.click('#tz-utc');
  assert.equal(await page.inputValue('#f-since'), '2018-06-12 09:00:00');
  await waitCount(page, countOf({ status: 'error', created_since: '2018-06-12T09:00:00Z' }));

  // the detail's times too
  await page.click('#tz-local');
  await page.click('.vt-row:not([hidden]) >> nth=0');
  await page.waitForSelector('#detail:not([hidden]) .timeline');
  assert.match(await page.textContent('#detail .timeline .value >> nth=0'), /\d{2}:\d{2}:\d{2}$/);
  await page.screenshot({ path: join(results, 'dashboard-local-time.png') });
  await clean(page, problems);
  await context.close();
});

test('status chips count under the other filters, and per-path failure rates keep their baseline under a status filter', async () => {
  const { page, context, problems } = await open('/');
  await waitTitle(page, /^Calls · 4,994$/);
  await page.selectOption('#f-app', 'shop');
  const shop = fc.filterCalls(sample, { app_name: 'shop', all: true }).calls;
  await waitCount(page, shop.length);
  const counts = {};
  for (const c of shop) counts[c.status] = (counts[c.status] || 0) + 1;
  for (const [status, n] of Object.entries(counts)) assert.equal(await page.textContent(`.chip[data-status="${status}"] .count`), fmt(n), status);
  const rates = async () => page.$$eval('#paths-table tbody tr', (trs) => Object.fromEntries(trs.map((tr) => [tr.dataset.key, tr.children[2].textContent])));
  const before = await rates();

  // status=error: the chips keep the counts of every status; per-path Failed keeps its rate, not 100 %
  await page.click('.chip[data-status="error"]');
  await waitCount(page, counts.error);
  for (const [status, n] of Object.entries(counts)) assert.equal(await page.textContent(`.chip[data-status="${status}"] .count`), fmt(n), `${status} under status=error`);
  const after = await rates();
  for (const [key, rate] of Object.entries(after)) assert.equal(rate, before[key], `${key}: the rate of all its calls`);
  assert.ok(Object.values(after).some((r) => r !== '100%'));
  assert.match(await page.textContent('#paths-table thead'), /Failed \(all statuses\)/);

  // the Failed card: error + timeout, its rate of the finished calls; a click filters on both
  await page.click('.chip[data-status="error"]');
  await waitCount(page, shop.length);
  const failed = (counts.error || 0) + (counts.timeout || 0);
  const finished = failed + (counts.success || 0) + (counts.cancelled || 0);
  assert.equal(await page.textContent('#kpi-failed .kpi-value'), fmt(failed));
  const pct = (failed / finished) * 100;
  assert.match(await page.textContent('#kpi-failed .kpi-sub'), new RegExp(`^${pct.toFixed(pct < 10 ? 1 : 0).replace('.', '\\.')}% of ${fmt(finished)} finished`));
  assert.equal(await page.textContent('#kpi-timeouts .kpi-value'), fmt(counts.timeout || 0));
  await page.click('#kpi-failed');
  await waitCount(page, failed);
  assert.equal(new URL(page.url()).searchParams.get('status'), 'error,timeout');

  // group by: app, image, type, status, error group
  for (const [by, first] of [
    ['app_name', null],
    ['status', 'error'],
    ['error_group', 'container exit code <num>'],
    ['type', null],
    ['image', null],
  ]) {
    await page.selectOption('#group-by', by);
    await page.waitForFunction((b) => new URL(location.href).searchParams.get('group_by') === b, by);
    await page.waitForFunction(() => document.querySelectorAll('#paths-table tbody tr').length > 0);
    if (first) assert.equal(await page.getAttribute('#paths-table tbody tr >> nth=0', 'data-key'), first, by);
  }
  await page.selectOption('#group-by', 'path');
  await clean(page, problems);
  await context.close();
});

test('the call detail: copy id and JSON (Go bytes), j/k and arrows between calls, focus kept in the drawer and given back to the row', async () => {
  const { page, context, problems } = await open('/?status=error');
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: site.url });
  await waitTitle(page, /^Calls · \d+ of /);
  const ids = await page.$$eval('.vt-row:not([hidden])', (rows) => rows.sort((a, b) => Number(a.getAttribute('aria-rowindex')) - Number(b.getAttribute('aria-rowindex'))).map((r) => r.dataset.id));
  await page.focus(`.vt-row[data-id="${ids[0]}"]`);
  await page.keyboard.press('ArrowDown');
  assert.equal(await page.evaluate(() => document.activeElement.dataset.id), ids[1], 'arrows move between rows');
  await page.keyboard.press('Enter');
  await page.waitForFunction((id) => document.querySelector('#detail-title')?.textContent === id, ids[1]);

  // copy: the id, and the call as the Fn server writes it
  await page.click('#detail-copy-id');
  await page.waitForFunction(() => document.querySelector('#detail-copy-note').textContent === 'Id copied');
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), ids[1]);
  await page.click('#detail-copy-json');
  await page.waitForFunction(() => /^JSON copied/.test(document.querySelector('#detail-copy-note').textContent));
  const line = sample.toString('utf8').split('\n').find((l) => l.includes(`"id":"${ids[1]}"`));
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), line, 'Go-exact bytes');

  // j / k and arrows: next and previous call of the table
  await page.focus('#detail-close');
  await page.keyboard.press('j');
  await page.waitForFunction((id) => document.querySelector('#detail-title')?.textContent === id, ids[2]);
  await page.keyboard.press('k');
  await page.waitForFunction((id) => document.querySelector('#detail-title')?.textContent === id, ids[1]);
  await page.keyboard.press('ArrowUp');
  await page.waitForFunction((id) => document.querySelector('#detail-title')?.textContent === id, ids[0]);
  assert.equal(await page.isDisabled('#detail-prev'), true, 'no call before the first');

  // Tab stays in the drawer, however many times it is pressed
  for (let i = 0; i < 40; i++) {
    await page.keyboard.press(i % 7 === 6 ? 'Shift+Tab' : 'Tab');
    assert.equal(await page.evaluate(() => !!document.activeElement.closest('#detail')), true, `tab stop ${i} is in the drawer`);
  }
  // Esc closes it and the focus goes back to the call's row
  await page.keyboard.press('Escape');
  await page.waitForSelector('#detail', { state: 'hidden' });
  assert.equal(await page.evaluate(() => document.activeElement.dataset.id), ids[0]);

  // calls like this: same path and error group
  await page.keyboard.press('Enter');
  await page.waitForSelector('#detail:not([hidden]) #detail-like');
  const call = fc.parseCalls(sample).calls.find((c) => c.id === ids[0]);
  const group = await page.textContent('#detail-group code');
  await page.click('#detail-like');
  await page.waitForSelector('#detail', { state: 'hidden' });
  const like = countOf({ app_name: call.app_name, path: call.path, error_group: group });
  await waitCount(page, like);
  const q = new URL(page.url()).searchParams;
  assert.deepEqual([q.get('path'), q.get('error_group'), q.get('status')], [call.path, group, null]);
  await clean(page, problems);
  await context.close();
});

test('export: NDJSON is the filtered calls exactly as the Fn server writes them; CSV has the columns shown', async () => {
  const { page, context, problems } = await open('/?app_name=media&status=error,timeout');
  const want = fc.filterCalls(sample, { app_name: 'media', status: ['error', 'timeout'], all: true }).calls;
  await waitCount(page, want.length);
  const lines = new Map(sample.toString('utf8').split('\n').filter(Boolean).map((l) => [/"id":"([^"]+)"/.exec(l)?.[1], l]));

  await page.click('#export-menu summary');
  const [ndjson] = await Promise.all([page.waitForEvent('download'), page.click('#export-ndjson')]);
  assert.equal(ndjson.suggestedFilename(), `fn-calls-${want.length}.ndjson`);
  const bytes = readFileSync(await ndjson.path(), 'utf8');
  // the table's order (newest id first), each record byte for byte as loaded
  assert.equal(bytes, want.map((c) => lines.get(c.id)).join('\n') + '\n');

  // a column chooser: hide Peak mem, show Image; the CSV follows
  await page.click('#columns-menu summary');
  await page.uncheck('#columns-list input[data-column="memory"]');
  await page.check('#columns-list input[data-column="image"]');
  assert.equal(await page.locator('.vt-header .col-memory').count(), 0);
  assert.equal(await page.locator('.vt-header .col-image').count(), 1);
  await page.click('#columns-menu summary');
  await page.click('#export-menu summary');
  const [csv] = await Promise.all([page.waitForEvent('download'), page.click('#export-csv')]);
  const rows = readFileSync(await csv.path(), 'utf8').split('\r\n');
  assert.equal(rows[0], 'status,id,app_name,path,image,created_at,duration_ms,error');
  assert.equal(rows.length, want.length + 2);
  assert.ok(rows[1].startsWith(`${want[0].status},${want[0].id},${want[0].app_name ?? ''},${want[0].path ?? ''},${want[0].image},`), rows[1]);
  await clean(page, problems);
  await context.close();
});

test('loading never throws away what was loaded: an all-refused paste says so and keeps it, a good one can be undone', async () => {
  const { page, context, problems } = await open('/');
  await waitTitle(page, /^Calls · 4,994$/);
  await page.click('#btn-paste');
  await page.fill('#paste-text', 'garbage line one\n{"not":"a call"}\n');
  await page.click('#paste-load');
  await waitBanner(page, /^Nothing was loaded from pasted text: none of its 2 records reads as a call, so sample\.ndjson \(4,994 calls\) is kept\./);
  await waitTitle(page, /^Calls · 4,994$/);
  assert.match(await page.textContent('#source'), /sample\.ndjson/);
  // the reason, in the validator
  await page.click('#banner-action');
  await page.waitForSelector('#view-validator:not([hidden]) #validator-verdict.bad');
  assert.equal(await page.inputValue('#validator-input'), 'garbage line one');
  // a refused record of a JSON array goes to the validator whole, as the package found it (not a line of it)
  await page.click('#tab-calls');
  await page.click('#btn-paste');
  await page.fill('#paste-text', '[\n  {"id":"x",\n   "memory":1e3}\n]');
  await page.click('#paste-load');
  await waitBanner(page, /^Nothing was loaded from pasted text: none of its 1 record reads as a call/);
  await page.click('#banner-action');
  await page.waitForSelector('#view-validator:not([hidden]) #validator-verdict.bad');
  assert.equal(await page.inputValue('#validator-input'), '{"id":"x",\n   "memory":1e3}');

  await page.click('#tab-calls');
  await page.click('#btn-paste');
  await page.fill('#paste-text', generateCalls({ count: 12, seed: 5 }).join('\n'));
  await page.click('#paste-load');
  await waitTitle(page, /^Calls · 12$/);
  await waitBanner(page, /^Loaded pasted text \(12 calls\) in place of sample\.ndjson \(4,994 calls\)\./);
  assert.equal(await page.textContent('#banner-action'), 'Undo');
  await page.click('#banner-action');
  await waitTitle(page, /^Calls · 4,994$/);
  assert.match(await page.textContent('#source'), /sample\.ndjson/);
  await waitBanner(page, /^Back to sample\.ndjson \(4,994 calls\)\./);
  await clean(page, problems);
  await context.close();
});

test('a server source: Load newer adds the calls that arrived since, and auto-refresh is visible, bounded and stoppable', async () => {
  const srv = await fakeFnServer({ cors: true });
  const shop = () => srv.calls.filter((c) => c.app === 'shop');
  const { page, context, problems } = await open('/');
  await loadFromDialog(page, { url: srv.url, app: 'shop' });
  await waitCount(page, shop().length);
  assert.equal(await page.isVisible('#live-bar'), true);
  const had = shop().length;
  await page.click('#btn-newer');
  await page.waitForFunction(() => /No newer calls/.test(document.querySelector('#live-status').textContent));

  // three calls arrive (newer ids than any loaded)
  const fresh = generateCalls({ count: 40, seed: 99 })
    .map((l) => JSON.parse(l))
    .filter((c) => c.app_name === 'shop')
    .slice(0, 3)
    .map((c, k) => {
      const id = `01CFZZZZZZZZZZZZZZZZZZZZ${k}${k}`;
      return { id, app: 'shop', line: fc.stringifyCall({ ...c, id, created_at: '2018-06-13T00:00:0' + k + '.000Z' }) };
    });
  srv.calls.push(...fresh);
  srv.calls.sort((a, b) => (a.id < b.id ? 1 : -1));
  const before = srv.requests.length;
  await page.click('#btn-newer');
  await waitCount(page, had + 3);
  await page.waitForFunction(() => /3 newer calls added/.test(document.querySelector('#live-status').textContent));
  assert.equal(srv.requests.length, before + 1, 'one page was enough: it reached the newest call already loaded');
  assert.equal(await page.textContent('.vt-row:not([hidden]) .id >> nth=0'), fresh[2].id);

  // auto-refresh: says when the next round is and which round of how many; unticking stops it
  await page.check('#auto-refresh');
  await page.waitForFunction(() => /Auto-refresh 0 of 30 · next in \d+ s/.test(document.querySelector('#live-status').textContent));
  await page.uncheck('#auto-refresh');
  await page.waitForFunction(() => /Auto-refresh stopped/.test(document.querySelector('#live-status').textContent));
  const after = srv.requests.length;
  await page.waitForTimeout(1200);
  assert.equal(srv.requests.length, after, 'no request once stopped');
  await clean(page, problems);
  await context.close();
});

// ---- narrow screens, accessibility, dark mode, screenshots ---------------------------------------------------------

const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

/** axe-core's critical and serious violations on the page as it is now: [] when there are none. */
async function axeBad(page, label) {
  if (!(await page.evaluate(() => typeof window.axe === 'object'))) await page.evaluate(axeSource);
  const violations = await page.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }).then((r) => r.violations));
  return violations
    .filter((v) => v.impact === 'critical' || v.impact === 'serious')
    .map((v) => `${label}: ${v.id} (${v.impact}) ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')}`);
}

const shotsDir = join(root, 'docs', 'screenshots');

/** Every view and dialog, checked with axe and photographed, in one theme at one width. */
async function everyView({ scheme, width }) {
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

test('axe-core finds no critical or serious violation on any view or dialog, light and dark, wide and narrow; screenshots of each', { timeout: 240000 }, async () => {
  const bad = [];
  for (const scheme of ['light', 'dark']) for (const width of [1440, 390]) bad.push(...(await everyView({ scheme, width })));
  assert.deepEqual(bad, []);
});

test('dark mode follows the system: dark surfaces, text at 4.5:1 or more', async () => {
  const { page, context, problems } = await open('/', { width: 1440, height: 1000 }, { colorScheme: 'dark' });
  await waitTitle(page, /^Calls · 4,994$/);
  const colours = await page.evaluate(() => {
    const rgb = (s) => s.match(/\d+(\.\d+)?/g).slice(0, 3).map(Number);
    const lum = ([r, g, b]) => {
      const c = [r, g, b].map((v) => {
        v /= 255;
        return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
      });
      return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2];
    };
    const ratio = (a, b) => {
      const [x, y] = [lum(rgb(a)), lum(rgb(b))].sort((p, q) => q - p);
      return (x + 0.05) / (y + 0.05);
    };
    const bg = getComputedStyle(document.body).backgroundColor;
    const card = getComputedStyle(document.querySelector('.card')).backgroundColor;
    const out = { body: bg, bodyLum: lum(rgb(getComputedStyle(document.documentElement).backgroundColor)), pairs: {} };
    for (const sel of ['.card-title', '.kpi-label', '.kpi-sub', '.card-hint', '.vt-row .id', '.muted', '.filters h3', '.chip .count']) {
      const el = document.querySelector(sel);
      if (el) out.pairs[sel] = ratio(getComputedStyle(el).color, card);
    }
    return out;
  });
  assert.ok(colours.bodyLum < 0.05, `a dark page (${colours.body})`);
  for (const [sel, r] of Object.entries(colours.pairs)) assert.ok(r >= 4.5, `${sel}: ${r.toFixed(2)}:1`);
  await clean(page, problems);
  await context.close();
});

test('narrow screens (360–390 px): nothing wider than the screen, calls as cards with status, id, path, duration and error', async () => {
  for (const width of [360, 375, 390]) {
    const { page, context, problems } = await open('/?status=error', { width, height: 844 });
    await waitTitle(page, /^Calls · \d+ of /);
    await page.waitForTimeout(300);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok(overflow <= 0, `${width} px: no horizontal scrolling (${overflow} px too wide)`);
    const card = await page.evaluate((w) => {
      const row = document.querySelector('.vt-row:not([hidden])');
      const shown = {};
      for (const cls of ['status', 'id', 'path', 'duration', 'err-col']) {
        const el = row.querySelector(`.${cls}`);
        const r = el.getBoundingClientRect();
        shown[cls] = getComputedStyle(el).display !== 'none' && r.width > 0 && r.left >= 0 && r.right <= w + 0.5 ? el.textContent : null;
      }
      return shown;
    }, width);
    for (const [k, v] of Object.entries(card)) assert.ok(v, `${width} px: ${k} is visible in the card`);
    assert.match(card.duration, /^\d+(\.\d+)? (ms|s)$|^\d+ min \d+ s$/, 'the duration is whole');
    // the detail's status diagram scrolls inside its card rather than overlap
    await page.click('.vt-row:not([hidden]) >> nth=0');
    await page.waitForSelector('#detail:not([hidden]) #chart-transitions canvas');
    const wide = await page.evaluate(() => document.querySelector('#detail').scrollWidth - document.querySelector('#detail').clientWidth);
    assert.ok(wide <= 0, `the drawer does not scroll sideways (${wide})`);
    if (width === 390) await page.screenshot({ path: join(results, 'dashboard-narrow-detail.png') });
    await clean(page, problems);
    await context.close();
  }
});

test('the first load stays small: ECharts comes after the first view, only the parts drawn', () => {
  const html = readFileSync(join(dist, 'index.html'), 'utf8');
  const first = [...html.matchAll(/(?:src|href)="\/?assets\/([^"]+\.js)"/g)].map((m) => m[1]);
  const bytes = first.reduce((n, f) => n + statSync(join(dist, 'assets', f)).size, 0);
  assert.ok(bytes <= 300000, `first-load JavaScript ${bytes} bytes`);
  const entry = first.map((f) => readFileSync(join(dist, 'assets', f), 'utf8')).join('');
  // zrender is ECharts' renderer: its name is in every build of it
  assert.ok(!entry.includes('zrender') && !entry.includes('ECharts'), 'no ECharts in the first load');
  const lazy = readdirSync(join(dist, 'assets')).filter((f) => f.startsWith('charts-') && f.endsWith('.js'));
  assert.equal(lazy.length, 1, 'ECharts in one chunk loaded after the first view');
});

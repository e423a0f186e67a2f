// The dashboard (www/) in real headless Chromium: the BUILT page (www/dist, as `vite build` made it), served on
// 127.0.0.1, driven as a person would. Needs Debian's chromium at /usr/bin/chromium (CI installs it) and the
// root devDependency playwright-core. Builds www/dist first when it is missing (scripts/dashboard-build.sh).
//
//   node --test tests/browser/
//
// Saves screenshots to test-results/, the main view to docs/dashboard.png (the README's picture), and every view in
// both themes at 1440 and 390 px to docs/screenshots/ (shown in docs/dashboard.md). The second half of the file tests
// the workflow of finding what fails, since when and why (error groups, zoom, time zones, export, accessibility).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { closeSync, mkdtempSync, openSync, readFileSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateCalls, goString } from '../../scripts/gen-calls.mjs';
import {
  b64url,
  clean,
  dist,
  expectedNetworkNoise,
  fakeFnServer,
  fc,
  fmt,
  fnServer,
  fnServerNoCors,
  fnServerV2,
  listen,
  loadFromDialog,
  newestIds,
  noRealServers,
  open,
  results,
  root,
  sample,
  servers,
  site,
  startRealServer,
  waitBanner,
  waitTitle,
} from './harness.mjs';

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
  // the verdict is checked again after the click (not at once): wait for it rather than read it straight away
  await page.waitForFunction(() => /timeout/.test(document.querySelector('#detail .history-verdict')?.textContent ?? ''));
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

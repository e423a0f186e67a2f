// The dashboard in headless Chromium, part two: the views (Top errors, the time chart, zones, chips), the call
// detail's keys, export, loading, auto-refresh, accessibility (axe-core), dark mode, narrow screens and the first
// load's size. Part one (dashboard.test.mjs) has loading, filtering, servers and hostile input.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { generateCalls } from '../../scripts/gen-calls.mjs';
import {
  clean,
  countOf,
  dist,
  everyView,
  fakeFnServer,
  fc,
  fmt,
  loadFromDialog,
  open,
  results,
  sample,
  sampleIndex,
  site,
  waitBanner,
  waitCount,
  waitTitle,
} from './harness.mjs';

test('a narrow screen stacks the layout', async () => {
  const { page, context, problems } = await open('/', { width: 420, height: 900 });
  await waitTitle(page, /^Calls · /);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert.ok(overflow <= 1, `no horizontal scrolling (${overflow}px)`);
  await page.screenshot({ path: join(results, 'dashboard-narrow.png'), fullPage: false });
  await clean(page, problems);
  await context.close();
});

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

  // a click on one bar: that bucket (30 min of the sample's day). The chart redraws (animated) after Zoom out, and a
  // click during the redraw can miss on a loaded machine: click again until the bucket is taken, a few times at most.
  for (let i = 0; i < 10 && !new URL(page.url()).searchParams.get('created_since'); i++) {
    await page.mouse.click(x0, box.y + box.height - 40);
    await page.waitForTimeout(500);
  }
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

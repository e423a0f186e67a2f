// `fn-calls fetch` as it goes: the progress line (pages and calls, as pages arrive, and in steps of 100 calls while
// v2 listings are merged) and the closing count of calls left out. Written for mutants of js/cli/fetch.mjs and
// js/cli/fn-calls.mjs that the rest of the CLI suite let through (docs/mutation-testing.md). Runs the built command,
// pkg/bin/fn-calls.mjs, against small local servers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { generateCalls } from '../../scripts/gen-calls.mjs';
import { runCli as run, jsonServer as server } from './support.mjs';

const fc = createRequire(import.meta.url)('../../pkg');

const lines = (text) => text.split('\n').filter((l) => l !== '');
/** The progress lines' numbers, in order: [[pages, calls], …]. */
const progress = (stderr) => [...stderr.matchAll(/\r\x1b\[Kfn-calls fetch: (\d+) pages?, (\d+) calls/g)].map((m) => [Number(m[1]), Number(m[2])]);

/** Clean calls of one app, newest first, as the server writes them. */
const calls = fc.filterCalls(
  fc.parseCalls(generateCalls({ count: 350, seed: 7 }).join('\n')).calls.map((c) => ({ ...c, app_name: 'shop' })),
  { all: true },
).calls;


/** A v1 server listing `calls` of app shop in pages (filterCalls does the paging, as the Fn server does). */
const v1 = () => server((url) => {
  if (url.pathname !== '/v1/apps/shop/calls') return [404, '{"error":{"message":"Not Found"}}'];
  const page = fc.filterCalls(calls, fc.filterFromQuery(url.href).filter);
  return [200, `{"message":"Successfully listed calls","next_cursor":${JSON.stringify(page.next_cursor)},"calls":[${page.calls.map((c) => fc.stringifyCall(c)).join(',')}]}`];
});

/** A v2 server (0.3.688): app shop with one fn, F1, that lists every call, with base64url cursors. */
const v2 = () => server((url) => {
  if (url.pathname === '/version') return [200, '{"version":"0.3.688"}'];
  if (url.pathname.startsWith('/v1/')) return [404, `{"message":"Path not found: GET ${url.pathname}"}`];
  if (url.pathname === '/v2/apps') return [200, '{"items":[{"id":"A1","name":"shop"}]}'];
  if (url.pathname === '/v2/fns') return [200, '{"items":[{"id":"F1","name":"checkout","app_id":"A1"}]}'];
  if (url.pathname !== '/v2/fns/F1/calls') return [404, '{"message":"Not found"}'];
  const cursor = Buffer.from(url.searchParams.get('cursor') ?? '', 'base64url').toString();
  const page = fc.filterCalls(calls, { cursor, per_page: Number(url.searchParams.get('per_page') ?? 30) });
  const items = page.calls.map((c) => fc.stringifyCall({ ...c, app_name: '', app_id: 'A1', fn_id: 'F1', path: undefined }));
  const next = page.next_cursor ? `"next_cursor":"${Buffer.from(page.next_cursor).toString('base64url')}",` : '';
  return [200, `{${next}"items":[${items.join(',')}]}`];
});

test('fetch progress on a v1 server: one line per page, counting pages and calls', async () => {
  const srv = await v1();
  try {
    const r = await run(['fetch', '--url', srv.base, '--app', 'shop', '--per-page', '100', '--limit', '250'], { FN_CALLS_PROGRESS: '1' });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(lines(r.stdout).length, 250);
    // pages 1 and 2 are written whole; the third reaches the limit and ends the run
    assert.deepEqual(progress(r.stderr), [[1, 100], [2, 200]]);
  } finally {
    await srv.close();
  }
});

test('fetch progress on a v2 server: the merged calls are written (and counted) in steps of 100 and at the limit', async () => {
  const srv = await v2();
  try {
    const all = await run(['fetch', '--url', srv.base, '--app', 'shop', '--per-page', '100'], { FN_CALLS_PROGRESS: '1' });
    assert.equal(all.code, 0, all.stderr);
    assert.equal(lines(all.stdout).length, calls.length);
    assert.ok(calls.length > 300 && calls.length < 400, `${calls.length} calls`);
    assert.deepEqual(progress(all.stderr).map(([, n]) => n), [100, 200, 300]);
    const limited = await run(['fetch', '--url', srv.base, '--app', 'shop', '--per-page', '100', '--limit', '150'], { FN_CALLS_PROGRESS: '1' });
    assert.equal(limited.code, 0, limited.stderr);
    assert.equal(lines(limited.stdout).length, 150);
    assert.deepEqual(progress(limited.stderr).map(([, n]) => n), [100, 150]);
  } finally {
    await srv.close();
  }
});

test('fetch: the closing line counts the calls left out, one or several', async () => {
  const good = calls.slice(0, 3).map((c) => fc.stringifyCall(c));
  const bad = (s) => s.replace(/"status":"\w*"/, '"status":"exploded"');
  for (const [page, n] of [[[good[0], bad(good[1]), good[2]], 1], [[bad(good[0]), good[1], bad(good[2])], 2]]) {
    const srv = await server(() => [200, `{"message":"Successfully listed calls","next_cursor":"","calls":[${page.join(',')}]}`]);
    try {
      const r = await run(['fetch', '--url', srv.base, '--app', 'shop']);
      assert.equal(r.code, 1, r.stderr);
      const closing = lines(r.stderr).at(-1);
      assert.equal(closing, `fn-calls fetch: ${n} call${n === 1 ? '' : 's'} with errors left out (listed above)`);
    } finally {
      await srv.close();
    }
  }
});

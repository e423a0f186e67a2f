// js/cli/fetch.mjs, what `fn-calls fetch` and `fn-calls log` do with a server, called directly: the pages asked for,
// the calls written (in order, up to --limit), the progress, the checks on what a server answers (ids that go down,
// cursors), and every message that stops a run. Written so that mutants of fetch.mjs are caught in seconds, not by a
// whole CLI suite run (docs/mutation-testing.md). Small local servers answer; it imports the built copy of the module
// (pkg/bin/, which loads the package next to it), so it needs `bash scripts/build.sh`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { fetchAll, fetchLog, headersFrom } from '../../pkg/bin/fetch.mjs';
import { UsageError } from '../../pkg/bin/lib.mjs';
import { generateCalls } from '../../scripts/gen-calls.mjs';
import { jsonServer as server } from './support.mjs';

const fc = createRequire(import.meta.url)('../../pkg');

/** Clean calls of app shop, newest first, as the server writes them. */
const CALLS = fc.filterCalls(
  fc.parseCalls(generateCalls({ count: 350, seed: 7 }).join('\n')).calls.map((c) => ({ ...c, app_name: 'shop' })),
  { all: true },
).calls;
const json = (c) => fc.stringifyCall(c);
const ids = (records) => records.map((r) => JSON.parse(r).id);


const v1Page = (calls, next = '') => `{"message":"Successfully listed calls","next_cursor":${JSON.stringify(next)},"calls":[${calls.map(json).join(',')}]}`;

/** A v1 server listing `calls` of app shop in pages, as the Fn server does. */
const v1 = (calls = CALLS) => server((url) => {
  if (url.pathname === '/version') return [200, '{"version":"0.3.500"}'];
  if (url.pathname !== '/v1/apps/shop/calls') return [404, '{"error":{"message":"App not found"}}'];
  const page = fc.filterCalls(calls, fc.filterFromQuery(url.href).filter);
  return [200, v1Page(page.calls, page.next_cursor)];
});

/** A v2 server (0.3.688): app shop (A1) with fns, each listing its calls with base64url cursors. */
const v2 = (fns = { F1: ['checkout', CALLS] }) => server((url) => {
  if (url.pathname === '/version') return [200, '{"version":"0.3.688"}'];
  if (url.pathname.startsWith('/v1/')) return [404, `{"message":"Path not found: GET ${url.pathname}"}`];
  if (url.pathname === '/v2/apps') return [200, '{"items":[{"id":"A1","name":"shop"}]}'];
  if (url.pathname === '/v2/fns') {
    const name = url.searchParams.get('name');
    const items = Object.entries(fns).filter(([, [n]]) => !name || n === name).map(([id, [n]]) => ({ id, name: n, app_id: 'A1' }));
    return [200, JSON.stringify({ items })];
  }
  const m = /^\/v2\/fns\/(\w+)\/calls$/.exec(url.pathname);
  if (!m || !fns[m[1]]) return [404, '{"message":"Fn not found"}'];
  const cursor = Buffer.from(url.searchParams.get('cursor') ?? '', 'base64url').toString();
  const page = fc.filterCalls(fns[m[1]][1], { cursor, per_page: Number(url.searchParams.get('per_page') ?? 30) });
  const items = page.calls.map((c) => json({ ...c, app_name: '', app_id: 'A1', fn_id: m[1], path: undefined }));
  const next = page.next_cursor ? `"next_cursor":"${Buffer.from(page.next_cursor).toString('base64url')}",` : '';
  return [200, `{${next}"items":[${items.join(',')}]}`];
});

/** fetchAll with what it writes, reports and shows as progress. */
async function fetchWith(o) {
  const writes = [];
  const reports = [];
  const progress = [];
  const options = { serverFilter: {}, localFilter: {}, scanOptions: { mode: 'observed', validate: 'all' }, ...o };
  try {
    const result = await fetchAll(options, async (records) => { writes.push(records); }, (line) => reports.push(line), (p, c) => progress.push([p, c]));
    return { result, writes, reports, progress };
  } catch (error) {
    return { error, writes, reports, progress };
  }
}

function usageError(r, message) {
  assert.ok(r.error instanceof UsageError, `not a UsageError: ${r.error}`);
  if (message instanceof RegExp) assert.match(r.error.message, message);
  else assert.equal(r.error.message, message);
}

test('v1: every page in turn, the calls written as they arrive, with progress after each page', async () => {
  const srv = await v1();
  try {
    const r = await fetchWith({ base: srv.base, app: 'shop', perPage: 100 });
    assert.deepEqual(r.result, { api: 'v1', pages: 4, calls: 350, badRecords: 0 });
    assert.deepEqual(r.writes.map((w) => w.length), [100, 100, 100, 50]);
    assert.deepEqual(ids(r.writes.flat()), CALLS.map((c) => c.id));
    assert.deepEqual(r.progress, [[1, 100], [2, 200], [3, 300], [4, 350]]);
    assert.deepEqual(r.reports, []);
    assert.deepEqual(srv.requests.map((u) => u.searchParams.get('per_page')), ['100', '100', '100', '100']);
    assert.deepEqual(srv.requests.map((u) => u.searchParams.get('cursor')), [null, CALLS[99].id, CALLS[199].id, CALLS[299].id]);
  } finally {
    await srv.close();
  }
});

test('v1: --limit ends the run inside a page, or exactly at a page boundary without asking for another page', async () => {
  const srv = await v1();
  try {
    const r = await fetchWith({ base: srv.base, app: 'shop', perPage: 100, limit: 250 });
    assert.deepEqual(r.result, { api: 'v1', pages: 3, calls: 250, badRecords: 0 });
    assert.deepEqual(r.writes.map((w) => w.length), [100, 100, 50]);
    assert.deepEqual(ids(r.writes.flat()), CALLS.slice(0, 250).map((c) => c.id));
    assert.deepEqual(r.progress, [[1, 100], [2, 200]]);
    srv.requests.length = 0;
    const at = await fetchWith({ base: srv.base, app: 'shop', perPage: 100, limit: 200 });
    assert.deepEqual(at.result, { api: 'v1', pages: 2, calls: 200, badRecords: 0 });
    assert.equal(srv.requests.length, 2);
    const none = await fetchWith({ base: srv.base, app: 'shop', perPage: 100, limit: 0 });
    assert.deepEqual(none.result, { api: 'v1', pages: 1, calls: 0, badRecords: 0 });
    assert.deepEqual(none.writes, [[]]);
  } finally {
    await srv.close();
  }
});

test('v1: the server filter and the cursor to start from go to the server; the local filter picks among its calls', async () => {
  const srv = await v1();
  try {
    const r = await fetchWith({
      base: srv.base, app: 'shop', perPage: 50, serverFilter: { cursor: CALLS[9].id, from_time: 1 }, localFilter: { status: ['success'] },
    });
    assert.equal(srv.requests[0].searchParams.get('cursor'), CALLS[9].id);
    assert.equal(srv.requests[0].searchParams.get('from_time'), '1');
    const want = CALLS.slice(10).filter((c) => c.status === 'success').map((c) => c.id);
    assert.ok(want.length > 0 && want.length < 340);
    assert.deepEqual(ids(r.writes.flat()), want);
    assert.equal(r.result.calls, want.length);
    assert.equal(r.result.pages, 7);
  } finally {
    await srv.close();
  }
});

test('v1: a bad call is left out and reported with its page, the good ones written', async () => {
  const good = CALLS.slice(0, 3).map(json);
  const bad = good[1].replace(/"status":"\w*"/, '"status":"exploded"');
  const srv = await server(() => [200, `{"next_cursor":"","calls":[${good[0]},${bad},${good[2]},{"id":5}]}`]);
  try {
    const r = await fetchWith({ base: srv.base, app: 'shop' });
    assert.deepEqual(r.result, { api: 'v1', pages: 1, calls: 2, badRecords: 2 });
    assert.deepEqual(ids(r.writes.flat()), [CALLS[0].id, CALLS[2].id]);
    assert.equal(r.reports.length, 2);
    assert.match(r.reports[0], /^page 1: call 1 left out: bad_status at \/status: /);
    assert.match(r.reports[1], /^page 1: call 3 left out: \w+ at \/id: /);
  } finally {
    await srv.close();
  }
});

test('v1: an answer without next_cursor ends the listing; calls: null is an empty page; items are read too', async () => {
  for (const body of ['{"calls":null}', '{"calls":[]}', '{"items":[]}']) {
    const srv = await server(() => [200, body]);
    try {
      const r = await fetchWith({ base: srv.base, app: 'shop' });
      assert.deepEqual(r.result, { api: 'v1', pages: 1, calls: 0, badRecords: 0 }, body);
      assert.equal(srv.requests.length, 1);
    } finally {
      await srv.close();
    }
  }
});

test('v1: an answer that is not a call list, or an error, stops with the reason', async () => {
  const cases = [
    ['{"error":{"message":"boom"}}', 'page 1 failed: the server answered an error: boom; 0 calls from 0 pages were written'],
    ['{"error":{}}', 'page 1 failed: the server answered an error: {"error":{}}; 0 calls from 0 pages were written'],
    ['{"calls":{}}', 'page 1 failed: the answer is not a call list (no "calls" array): is --url the Fn API server?; 0 calls from 0 pages were written'],
    ['[]', 'page 1 failed: the answer is not a call list (no "calls" array): is --url the Fn API server?; 0 calls from 0 pages were written'],
    ['null', 'page 1 failed: the answer is not a call list (no "calls" array): is --url the Fn API server?; 0 calls from 0 pages were written'],
    ['{"error":"x","calls":[]}', null],
  ];
  for (const [body, message] of cases) {
    const srv = await server(() => [200, body]);
    try {
      const r = await fetchWith({ base: srv.base, app: 'shop' });
      if (message === null) assert.equal(r.result.calls, 0, body);
      else usageError(r, message);
    } finally {
      await srv.close();
    }
  }
});

test('v1: a failure after some pages names the page, what was written and the cursor to resume from', async () => {
  let n = 0;
  const srv = await server((url) => {
    n += 1;
    if (n === 1) return [200, v1Page(CALLS.slice(0, 2), CALLS[1].id)];
    if (n === 2) return [200, v1Page(CALLS.slice(2, 3), CALLS[2].id)];
    return [503, '{"error":{"message":"busy"}}'];
  });
  try {
    const r = await fetchWith({ base: srv.base, app: 'shop', perPage: 2 });
    usageError(r, `page 3 (cursor ${CALLS[2].id}) failed: HTTP 503 Service Unavailable: busy; 3 calls from 2 pages were written; resume with --cursor ${CALLS[2].id}`);
    assert.deepEqual(r.progress, [[1, 2], [2, 3]]);
  } finally {
    await srv.close();
  }
  n = 1;
  const one = await server(() => {
    n += 1;
    return n === 2 ? [200, v1Page(CALLS.slice(0, 1), CALLS[0].id)] : [500, 'oops'];
  });
  try {
    const r = await fetchWith({ base: one.base, app: 'shop' });
    usageError(r, `page 2 (cursor ${CALLS[0].id}) failed: HTTP 500 Internal Server Error: oops; 1 calls from 1 page were written; resume with --cursor ${CALLS[0].id}`);
  } finally {
    await one.close();
  }
});

test('v1: transient failures are retried, each retry reported', async () => {
  let n = 0;
  const srv = await server(() => {
    n += 1;
    return n === 1 ? [503, '{"error":{"message":"busy"}}'] : [200, v1Page(CALLS.slice(0, 2))];
  });
  try {
    const r = await fetchWith({ base: srv.base, app: 'shop', retries: 2, retryDelayMs: 1 });
    assert.equal(r.result.calls, 2);
    assert.deepEqual(r.reports, ['page 1: HTTP 503 Service Unavailable: busy; retrying in 0.0 s (attempt 2 of 3)']);
  } finally {
    await srv.close();
  }
});

test('v1: ids that do not go down, within a page or across pages, stop the run', async () => {
  const [a, b, c] = CALLS;
  for (const [pages, message] of [
    [[[b, a]], `page 1: the server's ids do not go down (${a.id} after ${b.id}); stopping rather than writing calls twice; 0 calls from 0 pages were written`],
    [[[a, a]], `page 1: the server's ids do not go down (${a.id} after ${a.id}); stopping rather than writing calls twice; 0 calls from 0 pages were written`],
    [[[a, b], [b, c]], `page 2 (cursor ${b.id}): the server's ids do not go down (${b.id} after ${b.id}); stopping rather than writing calls twice; 2 calls from 1 page were written`],
  ]) {
    let n = 0;
    const srv = await server(() => {
      const page = pages[n];
      n += 1;
      return [200, v1Page(page, n < pages.length ? page.at(-1).id : '')];
    });
    try {
      usageError(await fetchWith({ base: srv.base, app: 'shop' }), message);
    } finally {
      await srv.close();
    }
  }
  // Calls without a string id are left out of the check (the reader reports them).
  const srv = await server(() => [200, `{"calls":[${json(a)},{"id":7},${json(b)}]}`]);
  try {
    const r = await fetchWith({ base: srv.base, app: 'shop' });
    assert.deepEqual(ids(r.writes.flat()), [a.id, b.id]);
    assert.equal(r.result.badRecords, 1);
  } finally {
    await srv.close();
  }
});

test('v1: a next_cursor longer than any call id, or not below the cursor asked for, is not sent back', async () => {
  const [a, b] = CALLS;
  const long = 'Z'.repeat(37);
  const s1 = await server(() => [200, v1Page([a], long)]);
  try {
    usageError(await fetchWith({ base: s1.base, app: 'shop' }),
      "page 1: the server's next_cursor is 37 characters long, longer than any call id; not sent back; 1 calls from 1 page were written");
  } finally {
    await s1.close();
  }
  // 36 characters (an old UUID) is sent back.
  let n = 0;
  const uuid = '0'.repeat(36);
  const s2 = await server(() => {
    n += 1;
    return [200, n === 1 ? v1Page([a], uuid) : v1Page([])];
  });
  try {
    const r = await fetchWith({ base: s2.base, app: 'shop' });
    assert.equal(r.result.pages, 2);
    assert.equal(s2.requests[1].searchParams.get('cursor'), uuid);
  } finally {
    await s2.close();
  }
  for (const next of [b.id, a.id]) {
    const s3 = await server(() => [200, v1Page([], next)]);
    try {
      usageError(await fetchWith({ base: s3.base, app: 'shop', serverFilter: { cursor: b.id } }),
        `page 1 (cursor ${b.id}): the server's next_cursor ${next} is not below the cursor asked for; stopping rather than looping; 0 calls from 1 page were written`);
    } finally {
      await s3.close();
    }
  }
});

test('v1: --fn is refused, before asking when the API is v1, after the first page when found out', async () => {
  const srv = await v1();
  try {
    usageError(await fetchWith({ base: srv.base, app: 'shop', fn: 'f', api: 'v1' }), '--fn: a v1 server lists calls per app (and --path), not per fn');
    assert.equal(srv.requests.length, 0);
    usageError(await fetchWith({ base: srv.base, app: 'shop', fn: 'f' }), '--fn: this server has the v1 API, which lists calls per app (and --path), not per fn');
    assert.equal(srv.requests.length, 1);
  } finally {
    await srv.close();
  }
});

test('a server whose call routes are gone (410) is explained, with its version', async () => {
  const srv = await server((url) => (url.pathname === '/version' ? [200, '{"version":"0.3.700"}'] : [410, '{"message":"gone"}']));
  try {
    const r = await fetchWith({ base: srv.base, app: 'shop' });
    usageError(r, new RegExp(`^page 1 failed: ${srv.base} \\(Fn 0\\.3\\.700\\): this Fn server keeps no calls: .*; 0 calls from 0 pages were written$`));
    const v = await fetchWith({ base: `${srv.base}/v2`, app: 'shop', api: 'v2' });
    assert.ok(v.error instanceof UsageError);
  } finally {
    await srv.close();
  }
});

test('v2: found by the 404 of the v1 route; the fn listing paged and written in steps of 100', async () => {
  const srv = await v2();
  try {
    const r = await fetchWith({ base: srv.base, app: 'shop', perPage: 100, localFilter: { app_name: 'shop' } });
    assert.deepEqual(r.result, { api: 'v2', pages: 4, calls: 350, badRecords: 0, fns: 1 });
    assert.deepEqual(ids(r.writes.flat()), CALLS.map((c) => c.id));
    assert.deepEqual(r.writes.map((w) => w.length), [100, 100, 100, 50]);
    assert.deepEqual(r.progress, [[1, 100], [2, 200], [3, 300]]);
    assert.equal(srv.requests[0].pathname, '/v1/apps/shop/calls');
    const listings = srv.requests.filter((u) => u.pathname === '/v2/fns/F1/calls');
    assert.deepEqual(listings.map((u) => u.searchParams.get('per_page')), ['100', '100', '100', '100']);
    assert.equal(listings[0].searchParams.get('cursor'), null);
    assert.equal(Buffer.from(listings[1].searchParams.get('cursor'), 'base64url').toString(), CALLS[99].id);
  } finally {
    await srv.close();
  }
});

test('v2: a base ending in /v2 asks no v1 route; several fns merged newest first; --limit', async () => {
  const odd = CALLS.filter((_, i) => i % 2 === 1);
  const even = CALLS.filter((_, i) => i % 2 === 0);
  const srv = await v2({ F1: ['a', odd], F2: ['b', even] });
  try {
    const r = await fetchWith({ base: `${srv.base}/v2`, app: 'shop', perPage: 30 });
    assert.ok(srv.requests.every((u) => !u.pathname.startsWith('/v1/')));
    assert.deepEqual(ids(r.writes.flat()), CALLS.map((c) => c.id));
    assert.equal(r.result.fns, 2);
    assert.equal(r.result.calls, 350);
    const limited = await fetchWith({ base: `${srv.base}/v2/`, app: 'shop', perPage: 30, limit: 150 });
    assert.deepEqual(limited.writes.map((w) => w.length), [100, 50, 0]);
    assert.deepEqual(ids(limited.writes.flat()), CALLS.slice(0, 150).map((c) => c.id));
    assert.equal(limited.result.calls, 150);
    assert.deepEqual(limited.progress.map(([, c]) => c), [100, 150]);
    const one = await fetchWith({ base: srv.base, app: 'shop', api: 'v2', fn: 'b', perPage: 100, limit: 100 });
    assert.deepEqual(ids(one.writes.flat()), even.slice(0, 100).map((c) => c.id));
    assert.deepEqual(one.progress.map(([, c]) => c), [100]);
    assert.deepEqual(one.writes.map((w) => w.length), [100, 0]);
  } finally {
    await srv.close();
  }
});

test('v2: the server filter keeps the time bounds; --path is refused; an unknown app or fn is named', async () => {
  const srv = await v2();
  try {
    await fetchWith({ base: srv.base, app: 'shop', api: 'v2', perPage: 10, limit: 5, serverFilter: { from_time: 5, to_time: 9999999999, cursor: CALLS[3].id } });
    const first = srv.requests.find((u) => u.pathname === '/v2/fns/F1/calls');
    assert.equal(first.searchParams.get('from_time'), '5');
    assert.equal(first.searchParams.get('to_time'), '9999999999');
    assert.equal(Buffer.from(first.searchParams.get('cursor'), 'base64url').toString(), CALLS[3].id);
    usageError(await fetchWith({ base: srv.base, app: 'shop', api: 'v2', serverFilter: { path: '/x' } }),
      '--path: this server has the v2 API, which keeps no path for a call; choose a function with --fn NAME');
    usageError(await fetchWith({ base: srv.base, app: 'nope', api: 'v2' }), `app 'nope' not found on ${srv.base} (v2 API)`);
    usageError(await fetchWith({ base: srv.base, app: 'shop', api: 'v2', fn: 'zzz' }), `fn 'zzz' not found in app 'shop' on ${srv.base}`);
  } finally {
    await srv.close();
  }
});

test('v2: bad answers of a fn listing stop the run with the cursor to resume from', async () => {
  const [a, b, c] = CALLS;
  const b64 = (s) => Buffer.from(s).toString('base64url');
  // The calls already taken from the listing are written before the run stops, and counted in the message.
  const cases = [
    [[`{"items":[${json(b)},${json(a)}]}`], `fn checkout page 1: the server's ids do not go down (${a.id} after ${b.id}); stopping rather than writing calls twice; 0 calls from 0 pages were written`],
    [[`{"next_cursor":"${'A'.repeat(49)}","items":[${json(a)}]}`], `fn checkout page 1: the server's next_cursor is 49 characters long, longer than any call id's base64; not sent back; 1 calls from 1 page were written; resume with --cursor ${a.id}`],
    [[`{"next_cursor":"a=b","items":[${json(a)}]}`], `fn checkout page 1: the server's next_cursor 'a=b' is not base64url; 1 calls from 1 page were written; resume with --cursor ${a.id}`],
    [[`{"next_cursor":"${b64(a.id)}","items":[${json(a)}]}`, `{"next_cursor":"${b64(a.id)}","items":[]}`],
      `fn checkout page after ${a.id}: the server's next_cursor ${a.id} is not below the cursor asked for; stopping rather than looping; 1 calls from 2 pages were written`],
    [[`{"items":{}}`], 'fn checkout page 1 failed: the answer is not a call list (no "items" array): is --url the Fn API server?; 0 calls from 0 pages were written'],
    [[`{"next_cursor":"${b64(b.id)}","items":[${json(a)},${json(b)}]}`, '{"error":{"message":"busy"}}'],
      `fn checkout page after ${b.id} failed: the server answered an error: busy; 2 calls from 1 page were written; resume with --cursor ${b.id}`],
    [[`{"calls":[${json(c)}]}`], 'fn checkout page 1 failed: the answer is not a call list (no "items" array): is --url the Fn API server?; 0 calls from 0 pages were written'],
    [[`{"next_cursor":"${b64('x'.repeat(36))}","items":[${json(a)}]}`, `{"items":[${json(b)}]}`], null],
  ];
  for (const [pages, message] of cases) {
    let n = 0;
    const srv = await server((url) => {
      if (url.pathname === '/v2/apps') return [200, '{"items":[{"id":"A1","name":"shop"}]}'];
      if (url.pathname === '/v2/fns') return [200, '{"items":[{"id":"F1","name":"checkout"}]}'];
      n += 1;
      return [200, pages[Math.min(n, pages.length) - 1]];
    });
    try {
      const r = await fetchWith({ base: srv.base, app: 'shop', api: 'v2' });
      if (message === null) {
        // A cursor of 36 characters is 48 in base64url: the longest sent back.
        assert.deepEqual(ids(r.writes.flat()), [a.id, b.id]);
        continue;
      }
      usageError(r, message);
      assert.equal(r.writes.flat().length, Number(/; (\d+) calls from/.exec(message)[1]));
    } finally {
      await srv.close();
    }
  }
  // With a cursor to start from, a failure resumes from there when no call was written.
  const srv = await server((url) => {
    if (url.pathname === '/v2/apps') return [200, '{"items":[{"id":"A1","name":"shop"}]}'];
    if (url.pathname === '/v2/fns') return [200, '{"items":[{"id":"F1","name":"checkout"}]}'];
    return [500, 'down'];
  });
  try {
    usageError(await fetchWith({ base: srv.base, app: 'shop', api: 'v2', serverFilter: { cursor: a.id } }),
      `fn checkout page after ${a.id} failed: HTTP 500 Internal Server Error: down; 0 calls from 0 pages were written; resume with --cursor ${a.id}`);
  } finally {
    await srv.close();
  }
});

test('v2: after calls were written, a failure resumes from the last call written', async () => {
  const [a, b] = CALLS;
  let n = 0;
  const srv = await server((url) => {
    if (url.pathname === '/v2/apps') return [200, '{"items":[{"id":"A1","name":"shop"}]}'];
    if (url.pathname === '/v2/fns') return [200, '{"items":[{"id":"F1","name":"one"},{"id":"F2","name":"two"}]}'];
    if (url.pathname === '/v2/fns/F1/calls') return [200, `{"items":[${json(a)}]}`];
    n += 1;
    return n === 1 ? [200, `{"next_cursor":"${Buffer.from(b.id).toString('base64url')}","items":[${json(b)}]}`] : [500, 'down'];
  });
  try {
    const r = await fetchWith({ base: srv.base, app: 'shop', api: 'v2' });
    usageError(r, `fn two page after ${b.id} failed: HTTP 500 Internal Server Error: down; 2 calls from 2 pages were written; resume with --cursor ${b.id}`);
    // The calls counted as written are written before the failure is reported: resuming after b loses none.
    assert.deepEqual(ids(r.writes.flat()), [b.id, a.id].sort().reverse());
  } finally {
    await srv.close();
  }
});

test('v2: a bad call is left out and reported with its fn', async () => {
  const bad = json(CALLS[1]).replace(/"status":"\w*"/, '"status":"exploded"');
  const srv = await server((url) => {
    if (url.pathname === '/v2/apps') return [200, '{"items":[{"id":"A1","name":"shop"}]}'];
    if (url.pathname === '/v2/fns') return [200, '{"items":[{"id":"F1","name":"checkout"}]}'];
    return [200, `{"items":[${json(CALLS[0])},${bad}]}`];
  });
  try {
    const r = await fetchWith({ base: srv.base, app: 'shop', api: 'v2' });
    assert.deepEqual(r.result, { api: 'v2', pages: 1, calls: 1, badRecords: 1, fns: 1 });
    assert.equal(r.reports.length, 1);
    assert.match(r.reports[0], /^fn checkout page 1: call 1 left out: bad_status at \/status: /);
  } finally {
    await srv.close();
  }
});

test('no call API at all: the message says so', async () => {
  const srv = await server(() => [404, '{"message":"Path not found"}']);
  try {
    usageError(await fetchWith({ base: srv.base, app: 'shop' }), new RegExp(`^${srv.base} has no Fn call API: neither /v1/apps/shop/calls nor /v2/apps answered`));
  } finally {
    await srv.close();
  }
});

/** fetchLog, with what it reports. */
async function logWith(o) {
  const reports = [];
  try {
    return { result: await fetchLog(o, (line) => reports.push(line)), reports };
  } catch (error) {
    return { error, reports };
  }
}

test('log on v1: the text form as it is, the JSON form\'s log text, or what is wrong with the answer', async () => {
  const id = CALLS[0].id;
  const answers = {
    text: [200, 'hello\nworld\n', { 'content-type': 'text/plain' }],
    json: [200, '{"message":"ok","log":{"call_id":"x","log":"from json"}}'],
    flat: [200, '{"log":"flat"}'],
    none: [200, '{"message":"ok"}'],
    notext: [200, '{"log":{"log":5}}'],
  };
  for (const [kind, want] of [['text', 'hello\nworld\n'], ['json', 'from json'], ['flat', 'flat'], ['none', null], ['notext', null]]) {
    const srv = await server((url) => {
      assert.equal(url.pathname, `/v1/apps/shop/calls/${id}/log`);
      return answers[kind];
    });
    try {
      const r = await logWith({ base: srv.base, app: 'shop', id });
      if (want === null) usageError(r, `log of ${id}: the answer is not a call log (no "log" text)`);
      else assert.deepEqual(r.result, { api: 'v1', callId: id, log: want });
    } finally {
      await srv.close();
    }
  }
});

test('log: a call the v1 server does not know is named; --fn on v1 refused; a gone server explained', async () => {
  const id = CALLS[0].id;
  const srv = await server((url) => (url.pathname === '/version' ? [200, '{}'] : url.pathname.includes('gone') ? [410, ''] : [404, '{"error":{"message":"Call not found"}}']));
  try {
    usageError(await logWith({ base: srv.base, app: 'shop', id }), `log of ${id}: HTTP 404 Not Found: Call not found`);
    usageError(await logWith({ base: srv.base, app: 'shop', id, fn: 'f', api: 'v1' }), '--fn: a v1 server keeps calls per app, not per fn');
    usageError(await logWith({ base: srv.base, app: 'gone', id }), new RegExp(`^${srv.base}: this Fn server keeps no calls`));
  } finally {
    await srv.close();
  }
});

test('log on v2: the fn that knows the call is found, or named with --fn; none knows it: said so', async () => {
  const [a, b] = CALLS;
  const srv = await server((url) => {
    if (url.pathname.startsWith('/v1/')) return [404, '{"message":"Path not found"}'];
    if (url.pathname === '/v2/apps') return [200, '{"items":[{"id":"A1","name":"shop"}]}'];
    if (url.pathname === '/v2/fns') {
      const all = [{ id: 'F1', name: 'one' }, { id: 'F2', name: 'two' }];
      const name = url.searchParams.get('name');
      return [200, JSON.stringify({ items: all.filter((f) => !name || f.name === name) })];
    }
    if (url.pathname === `/v2/fns/F2/calls/${a.id}`) return [200, json(a)];
    if (url.pathname === `/v2/fns/F2/calls/${a.id}/log`) return [200, `{"call_id":"${a.id}","log":"two's log"}`];
    if (url.pathname === `/v2/fns/F1/calls/${b.id}/log`) return [500, 'broken'];
    if (url.pathname === `/v2/fns/F1/calls/${b.id}`) return [200, json(b)];
    return [404, '{"message":"Call not found"}'];
  });
  try {
    assert.deepEqual((await logWith({ base: srv.base, app: 'shop', id: a.id })).result, { api: 'v2', callId: a.id, log: "two's log", fn: 'two' });
    const asked = srv.requests.map((u) => u.pathname);
    assert.ok(asked.includes(`/v2/fns/F1/calls/${a.id}`));
    srv.requests.length = 0;
    assert.deepEqual((await logWith({ base: `${srv.base}/v2`, app: 'shop', id: a.id, fn: 'two' })).result, { api: 'v2', callId: a.id, log: "two's log", fn: 'two' });
    assert.ok(srv.requests.every((u) => u.pathname !== `/v2/fns/F2/calls/${a.id}` && !u.pathname.startsWith('/v1/')));
    usageError(await logWith({ base: srv.base, app: 'shop', id: 'nope' }), "log of nope: no fn of app 'shop' has call nope");
    usageError(await logWith({ base: srv.base, app: 'shop', id: b.id }), `log of ${b.id}: HTTP 500 Internal Server Error: broken`);
    usageError(await logWith({ base: srv.base, app: 'shop', id: a.id, fn: 'one', api: 'v2' }), `log of ${a.id}: HTTP 404 Not Found: Call not found`);
    usageError(await logWith({ base: srv.base, app: 'nope', id: a.id }), `app 'nope' not found on ${srv.base} (v2 API)`);
  } finally {
    await srv.close();
  }
});

test('headersFrom: JSON and the command\'s name by default, then each --header, trimmed', () => {
  const h = headersFrom(['Authorization: Bearer  x ', 'X-A:1', 'X-A: 2']);
  assert.equal(h.get('accept'), 'application/json');
  assert.equal(h.get('user-agent'), 'fn-calls');
  assert.equal(h.get('authorization'), 'Bearer  x');
  assert.equal(h.get('x-a'), '1, 2');
  assert.deepEqual([...headersFrom()].map(([k]) => k), ['accept', 'user-agent']);
  assert.throws(() => headersFrom(['nocolon']), (e) => e instanceof UsageError && e.message === "--header: 'nocolon' is not 'Name: value'");
  assert.throws(() => headersFrom([': x']), (e) => e instanceof UsageError && e.message === "--header: ': x' is not 'Name: value'");
  assert.throws(() => headersFrom(['a b: c']), (e) => e instanceof UsageError && e.message.startsWith("--header: 'a b: c': "));
  assert.equal(headersFrom(['a:']).get('a'), '');
});

test('v1: what a page holds besides calls: a null error, a null or a number for a call, a call with only warnings', async () => {
  const [a, b] = CALLS;
  const warned = json({ ...b, error: 'boom' }); // error text on a successful call: a warning, not a reason to leave it out
  assert.equal(b.status, 'success');
  const srv = await server(() => [200, `{"error":null,"next_cursor":"","calls":[null,${json(a)},5,${warned}]}`]);
  try {
    const r = await fetchWith({ base: srv.base, app: 'shop' });
    assert.deepEqual(r.result, { api: 'v1', pages: 1, calls: 2, badRecords: 2 });
    assert.deepEqual(ids(r.writes.flat()), [a.id, b.id]);
    assert.deepEqual(r.reports, [
      'page 1: call 0 left out: not_object at "": a call must be a JSON object, found null',
      'page 1: call 2 left out: not_object at "": a call must be a JSON object, found a number',
    ]);
  } finally {
    await srv.close();
  }
});

test('v1: an error without a message is shown as the first 200 characters of the answer', async () => {
  const body = `{"error":{"code":7},"pad":"${'x'.repeat(300)}"}`;
  const srv = await server(() => [200, body]);
  try {
    usageError(await fetchWith({ base: srv.base, app: 'shop' }),
      `page 1 failed: the server answered an error: ${body.slice(0, 200)}; 0 calls from 0 pages were written`);
  } finally {
    await srv.close();
  }
});

test('v1: an empty next_cursor ends the listing even when the page is full', async () => {
  const srv = await server(() => [200, v1Page(CALLS.slice(0, 30), '')]);
  try {
    const r = await fetchWith({ base: srv.base, app: 'shop' });
    assert.equal(r.result.calls, 30);
    assert.equal(srv.requests.length, 1);
  } finally {
    await srv.close();
  }
});

test('the API: /v2 at the end of the URL means v2 only when not asked for; a missing route means v2 only on page 1 of auto', async () => {
  const srv = await v1();
  try {
    const asked = await fetchWith({ base: `${srv.base}/v2`, app: 'shop', api: 'v1', perPage: 100, limit: 5 });
    assert.equal(asked.result.api, 'v1');
    assert.equal(srv.requests[0].pathname, '/v1/apps/shop/calls');
    srv.requests.length = 0;
    const other = await fetchWith({ base: `${srv.base}/v2x`, app: 'shop', perPage: 100, limit: 5 });
    assert.equal(other.error?.message.includes('page 1 failed'), true, String(other.error));
    assert.equal(srv.requests[0].pathname, '/v2x/v1/apps/shop/calls');
  } finally {
    await srv.close();
  }
  const missing = await server(() => [404, '{"message":"Path not found"}']);
  try {
    usageError(await fetchWith({ base: missing.base, app: 'shop', api: 'v1' }), 'page 1 failed: HTTP 404 Not Found: Path not found; 0 calls from 0 pages were written');
    assert.ok(missing.requests.every((u) => !u.pathname.startsWith('/v2/')));
  } finally {
    await missing.close();
  }
  let n = 0;
  const later = await server(() => {
    n += 1;
    return n === 1 ? [200, v1Page(CALLS.slice(0, 1), CALLS[0].id)] : [404, '{"message":"Path not found"}'];
  });
  try {
    usageError(await fetchWith({ base: later.base, app: 'shop' }),
      `page 2 (cursor ${CALLS[0].id}) failed: HTTP 404 Not Found: Path not found; 1 calls from 1 page were written; resume with --cursor ${CALLS[0].id}`);
    assert.ok(later.requests.every((u) => !u.pathname.startsWith('/v2/')));
  } finally {
    await later.close();
  }
});

test('v2: the local filter still picks among a fn\'s calls; a fn listing that is gone is explained', async () => {
  const srv = await v2();
  try {
    const r = await fetchWith({ base: srv.base, app: 'shop', api: 'v2', perPage: 100, localFilter: { app_name: 'shop', status: ['error'] } });
    const want = CALLS.filter((c) => c.status === 'error').map((c) => c.id);
    assert.ok(want.length > 0 && want.length < CALLS.length);
    assert.deepEqual(ids(r.writes.flat()), want);
  } finally {
    await srv.close();
  }
  const gone = await server((url) => {
    if (url.pathname === '/version') return [200, '{"version":"0.3.688"}'];
    if (url.pathname === '/v2/apps') return [200, '{"items":[{"id":"A1","name":"shop"}]}'];
    if (url.pathname === '/v2/fns') return [200, '{"items":[{"id":"F1","name":"checkout"}]}'];
    return [410, '{"message":"gone"}'];
  });
  try {
    usageError(await fetchWith({ base: gone.base, app: 'shop', api: 'v2', serverFilter: { cursor: CALLS[0].id } }),
      new RegExp(`^fn checkout page after ${CALLS[0].id} failed: ${gone.base} \\(Fn 0\\.3\\.688\\): this Fn server keeps no calls: .*; 0 calls from 0 pages were written$`));
  } finally {
    await gone.close();
  }
});

test('v2: ids that climb on the first page resume from the cursor asked for; a next_cursor that is not a text ends the listing', async () => {
  const [a, b, c] = CALLS;
  const pages = { climb: `{"items":[${json(c)},${json(b)}]}`, number: `{"next_cursor":5,"items":[${json(b)},${json(c)}]}` };
  for (const [kind, body] of Object.entries(pages)) {
    const srv = await server((url) => {
      if (url.pathname === '/v2/apps') return [200, '{"items":[{"id":"A1","name":"shop"}]}'];
      if (url.pathname === '/v2/fns') return [200, '{"items":[{"id":"F1","name":"checkout"}]}'];
      return [200, body];
    });
    try {
      const r = await fetchWith({ base: srv.base, app: 'shop', api: 'v2', serverFilter: { cursor: a.id } });
      if (kind === 'climb') {
        usageError(r, `fn checkout page after ${a.id}: the server's ids do not go down (${b.id} after ${c.id}); stopping rather than writing calls twice; 0 calls from 0 pages were written; resume with --cursor ${a.id}`);
      } else {
        assert.equal(r.error, undefined);
        assert.deepEqual(r.result, { api: 'v2', pages: 1, calls: 2, badRecords: 0, fns: 1 });
        assert.deepEqual(ids(r.writes.flat()), [b.id, c.id]);
        assert.equal(srv.requests.filter((u) => u.pathname === '/v2/fns/F1/calls').length, 1);
      }
    } finally {
      await srv.close();
    }
  }
});

test('log: which API is asked, --fn with a v2 server found out, a failed lookup of the call is not "not here"', async () => {
  const [a] = CALLS;
  let lookup = [404, '{"message":"Call not found"}'];
  const srv = await server((url) => {
    if (url.pathname.startsWith('/v1/')) return [404, '{"message":"Path not found"}'];
    if (url.pathname === '/v2/apps') return [200, '{"items":[{"id":"A1","name":"shop"}]}'];
    if (url.pathname === '/v2/fns') return [200, '{"items":[{"id":"F1","name":"one"},{"id":"F2","name":"two"}]}'];
    if (url.pathname === `/v2/fns/F1/calls/${a.id}`) return lookup;
    if (url.pathname === `/v2/fns/F2/calls/${a.id}`) return [200, json(a)];
    if (url.pathname.endsWith('/log')) return [200, '{"log":"the log"}'];
    return [404, '{"message":"Call not found"}'];
  });
  try {
    assert.deepEqual((await logWith({ base: srv.base, app: 'shop', id: a.id, fn: 'two' })).result, { api: 'v2', callId: a.id, log: 'the log', fn: 'two' });
    usageError(await logWith({ base: srv.base, app: 'shop', id: a.id, api: 'v1' }), `log of ${a.id}: HTTP 404 Not Found: Path not found`);
    srv.requests.length = 0;
    usageError(await logWith({ base: `${srv.base}/v2`, app: 'shop', id: a.id, api: 'v1' }), `log of ${a.id}: HTTP 404 Not Found: Path not found`);
    assert.equal(srv.requests[0].pathname, `/v1/apps/shop/calls/${a.id}/log`);
    lookup = [500, 'broken'];
    usageError(await logWith({ base: srv.base, app: 'shop', id: a.id }), `log of ${a.id}: HTTP 500 Internal Server Error: broken`);
  } finally {
    await srv.close();
  }
  const v1srv = await server(() => [200, '{"log":{"log":"v1 log"}}']);
  try {
    assert.deepEqual((await logWith({ base: v1srv.base, app: 'shop', id: a.id, api: 'v1' })).result, { api: 'v1', callId: a.id, log: 'v1 log' });
  } finally {
    await v1srv.close();
  }
  assert.equal(headersFrom(['X-A : 1']).get('x-a'), '1');
});

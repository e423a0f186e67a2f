// The dashboard's server loading (www/src/data.js), in Node against local stand-in Fn servers: the address check,
// what a load would send, and loadFromServer's paging, limits, stops, "load newer", v1/v2 detection and partial
// loads. The page's engine (the data worker) is replaced by a recorder of the pages and the order it is given; the
// dashboard's browser tests run the same code with the real engine.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { generateCalls } from '../../scripts/gen-calls.mjs';
import { v2Store } from '../common/v2-store.mjs';
import { jsonServer } from './support.mjs';
import { existsSync, mkdirSync, symlinkSync } from 'node:fs';

// The page imports the package as 'fn-calls' (www/package.json: "file:../pkg"). Before the dashboard's packages are
// installed (scripts/dashboard-build.sh), link it as npm would, so these tests run on a fresh clone too.
const link = new URL('../../www/node_modules/fn-calls', import.meta.url);
if (!existsSync(link)) {
  mkdirSync(new URL('../../www/node_modules/', import.meta.url), { recursive: true });
  symlinkSync('../../pkg', link, 'dir');
}
const { checkServerUrl, serverFilter, serverPlan, loadFromServer, readCallLog, ServerUrlError, serverConnection } = await import('../../www/src/data.js');

const fc = createRequire(import.meta.url)('../../pkg');
// 250 calls of one app over two paths, newest (largest id) first, as a listing gives them.
const calls = fc.parseCalls(generateCalls({ count: 250, seed: 3 }).join('\n')).calls
  .map((c, i) => ({ ...c, app_name: 'shop', path: i % 2 ? '/cart' : '/pay' }))
  .sort((a, b) => (a.id < b.id ? 1 : -1));
const ids = calls.map((c) => c.id);

/** The engine's side of a load: pages received, and the order and label it is told to finish with. */
function recorder() {
  const pages = [];
  return {
    pages,
    async addPage(text, first) {
      pages.push({ text, first });
      return { page: pages.length - 1 };
    },
    async finishPages(label, order, onProgress, options) {
      return { label, order, options };
    },
  };
}

/** The ids an engine was told to load, in order. */
function loadedIds(engine, result) {
  const out = [];
  for (let k = 0; k < result.order.length; k += 2) {
    out.push(JSON.parse(engine.pages[result.order[k]].text)[engine.pages[result.order[k]].text.includes('"items"') ? 'items' : 'calls'][result.order[k + 1]].id);
  }
  return out;
}

/** A v1 server listing `list` (newest first) with real cursors: the last id of a page, the next page below it. */
function v1Handler(list = calls, { next = null } = {}) {
  return (url) => {
    if (!url.pathname.startsWith('/v1/apps/shop/calls')) return [404, JSON.stringify({ error: { message: 'App not found' } })];
    const cursor = url.searchParams.get('cursor');
    const perPage = Number(url.searchParams.get('per_page') ?? 30);
    const from = cursor ? list.filter((c) => c.id < cursor) : list;
    const page = from.slice(0, perPage);
    const more = from.length > perPage;
    const nextCursor = next ? next(cursor, page) : more ? page.at(-1).id : '';
    return [200, `{"message":"Successfully listed calls","next_cursor":${JSON.stringify(nextCursor)},"calls":[${page.map((c) => fc.stringifyCall(c)).join(',')}]}`];
  };
}

test('checkServerUrl keeps an http(s) address and refuses anything else with the reason', () => {
  assert.equal(checkServerUrl(' http://localhost:8080/ '), 'http://localhost:8080');
  assert.equal(checkServerUrl('https://fn.example.com/api//'), 'https://fn.example.com/api');
  assert.equal(checkServerUrl('HTTP://Fn.Example.com:80'), 'http://fn.example.com');
  const refused = (text, pattern) => assert.throws(() => checkServerUrl(text), (e) => e instanceof ServerUrlError && pattern.test(e.message), String(text));
  refused('', /Give the Fn server’s address/);
  refused('   ', /Give the Fn server’s address/);
  refused(null, /Give the Fn server’s address/);
  refused('localhost:8080', /is a localhost: URL/);
  refused('not a url', /“not a url” is not a URL/);
  refused('javascript:alert(1)', /is a javascript: URL/);
  refused('file:///etc/passwd', /is a file: URL/);
  refused('data:text/plain,x', /is a data: URL/);
  refused('http://user:pw@fn:8080', /user name or password/);
  refused('http://user@fn:8080', /user name or password/);
  refused('http://fn:8080/?x=1', /query \(\?…\) or fragment/);
  refused('http://fn:8080/?', /query/);
  refused('http://fn:8080/#top', /fragment/);
  refused('http://fn:8080/#', /fragment/);
  refused(`x${'y'.repeat(100)}`, new RegExp(`“x${'y'.repeat(79)}…” is not a URL`));
});

test('serverFilter keeps only what the server filters on, times as numbers', () => {
  assert.deepEqual(serverFilter({ path: '/cart', from_time: '1528800000', to_time: '', cursor: 'X', status: 'error', app_name: 'shop' }), { path: '/cart', from_time: 1528800000, cursor: 'X' });
  assert.deepEqual(serverFilter({ path: '', to_time: '1528900000', from_time: undefined }), { to_time: 1528900000 });
  assert.deepEqual(serverFilter({}), {});
});

test('serverPlan says what a load would send, before anything is sent', () => {
  const v1 = serverPlan({ base: 'http://fn:8080/', app: 'shop', fn: '', filter: { path: '/cart', from_time: '', to_time: '', cursor: '' } });
  assert.equal(v1.base, 'http://fn:8080');
  assert.equal(v1.first, 'http://fn:8080/v1/apps/shop/calls?path=%2Fcart&per_page=100');
  assert.match(v1.then, /^then its next pages; a server without this route/);
  const v2 = serverPlan({ base: 'http://fn:8080/v2', app: 'shop', fn: 'cart', filter: {} });
  assert.equal(v2.first, 'http://fn:8080/v2/apps?name=shop&per_page=100');
  assert.equal(v2.then, 'then /v2/fns?app_id=… and fn cart’s /v2/fns/{fn_id}/calls');
  assert.equal(serverPlan({ base: 'http://fn:8080/v2/', app: 'shop', filter: {} }).then, 'then /v2/fns?app_id=… and each fn’s /v2/fns/{fn_id}/calls');
  assert.throws(() => serverPlan({ base: 'http://fn:8080', app: '', filter: {} }), /Name the app/);
  assert.throws(() => serverPlan({ base: 'ftp://fn', app: 'shop', filter: {} }), ServerUrlError);
});

test('v1: every page is followed to the end, in the listing order, with progress', async () => {
  const srv = await jsonServer(v1Handler());
  try {
    const engine = recorder();
    const progress = [];
    const got = await loadFromServer(engine, { base: srv.base, app: 'shop', filter: {}, onPage: (p) => progress.push(p) });
    assert.equal(got.api, 'v1');
    assert.equal(got.pages, 3);
    assert.deepEqual(got.stops, []);
    assert.equal(got.more, false);
    assert.deepEqual(progress, [{ pages: 1, records: 100 }, { pages: 2, records: 200 }, { pages: 3, records: 250 }]);
    assert.deepEqual(loadedIds(engine, got.result), ids);
    assert.deepEqual(engine.pages.map((p) => p.first), [true, false, false]);
    assert.equal(got.result.label, `${new URL(srv.base).host}/v1/apps/shop/calls`);
    assert.deepEqual(got.result.options, { keepCurrent: false });
    assert.deepEqual(srv.requests.map((u) => u.searchParams.get('cursor')), [null, ids[99], ids[199]]);
    assert.equal(got.server.api, 'v1');
    assert.equal(got.server.app, 'shop');
  } finally {
    await srv.close();
  }
});

test('v1: the limit stops paging, says so when the server has more, and takes part of a page', async () => {
  const srv = await jsonServer(v1Handler());
  try {
    for (const [max, pages, more] of [[150, 2, true], [200, 2, true], [250, 3, false], [100, 1, true], [99, 1, true]]) {
      const engine = recorder();
      const got = await loadFromServer(engine, { base: srv.base, app: 'shop', filter: {}, max });
      assert.equal(got.pages, pages, `max ${max}`);
      assert.equal(got.more, more, `max ${max}`);
      assert.deepEqual(loadedIds(engine, got.result), ids.slice(0, max), `max ${max}`);
      assert.deepEqual(got.stops, more ? [`Stopped at the limit of ${max.toLocaleString('en-US')} calls; the server has more.`] : []);
    }
  } finally {
    await srv.close();
  }
});

test('v1: the exact number of calls as the limit, on a page boundary, asks for nothing more', async () => {
  const srv = await jsonServer(v1Handler(calls.slice(0, 200)));
  try {
    const got = await loadFromServer(recorder(), { base: srv.base, app: 'shop', filter: {}, max: 200 });
    assert.equal(got.pages, 2);
    assert.equal(got.more, false);
    assert.deepEqual(got.stops, []);
  } finally {
    await srv.close();
  }
});

test('v1: "load newer" reads until the newest call already loaded, and keeps the current calls', async () => {
  const srv = await jsonServer(v1Handler());
  try {
    const engine = recorder();
    const got = await loadFromServer(engine, { base: srv.base, app: 'shop', filter: {}, newerThan: ids[130] });
    assert.equal(got.pages, 2);
    assert.deepEqual(loadedIds(engine, got.result), ids.slice(0, 130));
    assert.deepEqual(got.result.options, { keepCurrent: true });
    const none = await loadFromServer(recorder(), { base: srv.base, app: 'shop', filter: {}, newerThan: ids[0] });
    assert.equal(none.result, null, 'nothing newer: nothing to finish');
    assert.equal(none.pages, 1);
    assert.deepEqual([none.stops, none.more], [[], false], 'the newest call already loaded is where the listing stops');
    assert.deepEqual(none.server, { api: 'v1', base: srv.base, app: 'shop', fn: '', fns: [], conn: none.server.conn });
    assert.equal(none.server.conn.base, srv.base);
  } finally {
    await srv.close();
  }
});

test('v1: a next_cursor that repeats, climbs, or follows an empty page stops the load with the reason', async () => {
  const cases = [
    [(cursor, page) => (page.length ? ids[50] : ''), /repeats the cursor asked for|is not below the cursor asked for/],
    [(cursor) => cursor ?? ids[99], /repeats the cursor asked for/],
  ];
  for (const [next, reason] of cases) {
    const srv = await jsonServer(v1Handler(calls, { next }));
    try {
      const got = await loadFromServer(recorder(), { base: srv.base, app: 'shop', filter: {} });
      assert.equal(got.more, true);
      assert.equal(got.stops.length, 1);
      assert.match(got.stops[0], reason);
      assert.ok(srv.requests.length <= 3, 'no loop');
    } finally {
      await srv.close();
    }
  }
  const climbing = await jsonServer(v1Handler(calls, { next: (cursor) => (cursor ? ids[0] : ids[99]) }));
  try {
    const got = await loadFromServer(recorder(), { base: climbing.base, app: 'shop', filter: {} });
    assert.deepEqual(got.stops, [`The server's next_cursor ${ids[0]} (page 2) is not below the cursor asked for: stopped rather than loop.`]);
  } finally {
    await climbing.close();
  }
  const empty = await jsonServer(() => [200, '{"next_cursor":"ZZZ","calls":[]}']);
  try {
    const got = await loadFromServer(recorder(), { base: empty.base, app: 'shop', filter: {} });
    assert.deepEqual(got.stops, ['Page 1 was empty but still named a next page (next_cursor ZZZ): stopped there rather than ask for more empty pages.']);
    assert.equal(got.more, true);
    assert.equal(empty.requests.length, 1);
  } finally {
    await empty.close();
  }
});

test('v1: the filter goes to the server, and a Function cannot be asked of a v1 server', async () => {
  const srv = await jsonServer(v1Handler());
  try {
    await loadFromServer(recorder(), { base: srv.base, app: 'shop', filter: { path: '/cart', from_time: '1528800000', to_time: '1528900000', cursor: ids[10] } });
    const first = srv.requests[0];
    assert.equal(first.searchParams.get('path'), '/cart');
    assert.equal(first.searchParams.get('from_time'), '1528800000');
    assert.equal(first.searchParams.get('to_time'), '1528900000');
    assert.equal(first.searchParams.get('cursor'), ids[10]);
    await assert.rejects(loadFromServer(recorder(), { base: srv.base, app: 'shop', fn: 'cart', filter: {} }), /has the v1 API, which lists calls per app/);
  } finally {
    await srv.close();
  }
});

test('a failure after the first page keeps what arrived (partial) and says which page failed', async () => {
  let n = 0;
  const handler = v1Handler();
  const srv = await jsonServer((url) => (++n === 2 ? [400, '{"error":{"message":"bad cursor"}}'] : handler(url)));
  try {
    const engine = recorder();
    const e = await loadFromServer(engine, { base: srv.base, app: 'shop', filter: {} }).then(() => null, (err) => err);
    assert.ok(e, 'the load fails');
    assert.match(e.message, /page 2/);
    assert.deepEqual(loadedIds(engine, e.partial), ids.slice(0, 100));
    assert.equal(e.server.api, 'v1');
  } finally {
    await srv.close();
  }
});

/**
 * A 0.3.688-like server: no v1 routes; the app 'shop' with a fn per path. `next(cursor, page, more)` may replace the
 * next_cursor a fn's page names (base64url of the last id when there is more); `perPage` caps the pages; `fail(url)`
 * may answer a request instead.
 */
function v2Server({ next = null, perPage = Infinity, fail = () => null } = {}) {
  const store = v2Store(fc, calls);
  const items = new Map(); // fn id → its calls, newest first, as v2 items
  for (const c of calls) {
    const id = store.fns.get(store.fnOf(c)).id;
    if (!items.has(id)) items.set(id, []);
    items.get(id).push({ id: c.id, text: store.item(c) });
  }
  return jsonServer((url) => {
    const failed = fail(url);
    if (failed) return failed;
    if (url.pathname.startsWith('/v1/')) return [404, '{"message":"Not Found"}'];
    if (url.pathname === '/v2/apps') return [200, JSON.stringify({ items: [{ id: store.apps.get('shop'), name: 'shop' }] })];
    if (url.pathname === '/v2/fns') {
      const fns = [...store.fns.values()].filter((f) => !url.searchParams.get('name') || f.name === url.searchParams.get('name'));
      return [200, JSON.stringify({ items: fns.map((f) => ({ id: f.id, name: f.name, app_id: store.apps.get(f.app) })) })];
    }
    const m = /^\/v2\/fns\/([^/]+)\/calls$/.exec(url.pathname);
    if (!m) return [404, '{"message":"Not Found"}'];
    const cursor = url.searchParams.get('cursor');
    const from = (items.get(m[1]) ?? []).filter((c) => !cursor || c.id < Buffer.from(cursor, 'base64url').toString());
    const page = from.slice(0, Math.min(perPage, Number(url.searchParams.get('per_page'))));
    const more = from.length > page.length;
    const nextCursor = next ? next(cursor, page, more) : more ? Buffer.from(page.at(-1).id).toString('base64url') : '';
    return [200, `{"items":[${page.map((c) => c.text).join(',')}],"next_cursor":"${nextCursor}"}`];
  });
}

test('v2: a server without the v1 route is read through its fns, merged newest first', async () => {
  const srv = await v2Server();
  try {
    const engine = recorder();
    const got = await loadFromServer(engine, { base: srv.base, app: 'shop', filter: {} });
    assert.equal(got.api, 'v2');
    assert.deepEqual(got.stops, []);
    assert.equal(got.server.fns.length, 2);
    assert.deepEqual(loadedIds(engine, got.result), ids, 'both fns merged into one newest-first list');
    assert.equal(got.result.label, `${new URL(srv.base).host}/v2 · shop · 2 fns`);

    const one = recorder();
    const cartOnly = await loadFromServer(one, { base: `${srv.base}/v2`, app: 'shop', fn: 'cart', filter: {}, max: 40 });
    assert.deepEqual(loadedIds(one, cartOnly.result), calls.filter((c) => c.path === '/cart').slice(0, 40).map((c) => c.id));
    assert.equal(cartOnly.more, true);
    assert.equal(cartOnly.result.label, `${new URL(srv.base).host}/v2 · shop · fn cart`);
    assert.ok(!srv.requests.slice(5).some((u) => u.pathname.startsWith('/v1/')), 'an address ending in /v2 starts there');

    await assert.rejects(loadFromServer(recorder(), { base: srv.base, app: 'shop', filter: { path: '/cart' } }), /v2 API, which keeps no path/);
    await assert.rejects(loadFromServer(recorder(), { base: srv.base, app: 'shop', fn: 'nope', filter: {} }), /fn 'nope' not found in app 'shop'/);
  } finally {
    await srv.close();
  }
});

test('readCallLog asks the server the call was loaded from, and says when no log is kept', async () => {
  const srv = await jsonServer((url) => {
    if (url.pathname === '/v1/apps/shop/calls/C1/log') return [200, '{"message":"ok","log":{"call_id":"C1","log":"hello\\n"}}'];
    if (url.pathname === '/v2/fns/F1/calls/C2/log') return [200, 'plain text log', { 'content-type': 'text/plain' }];
    if (url.pathname === '/v2/fns/F1/calls/C3/log') return [200, '{"call_id":"C3","log":"v2 log"}'];
    if (url.pathname === '/v2/fns/F1/calls/C4/log') return [200, '{"unexpected":true}'];
    return [404, '{"error":{"message":"Call log not found"}}'];
  });
  try {
    const conn = { ...serverConnection(srv.base), retries: 0 };
    const v1 = { api: 'v1', app: 'shop', conn };
    const v2 = { api: 'v2', app: 'shop', conn };
    assert.deepEqual(await readCallLog(v1, { id: 'C1', app_name: 'shop' }), { text: 'hello\n', url: `${srv.base}/v1/apps/shop/calls/C1/log` });
    assert.equal((await readCallLog(v2, { id: 'C2', fn_id: 'F1' })).text, 'plain text log');
    assert.equal((await readCallLog(v2, { id: 'C3', fn_id: 'F1' })).text, 'v2 log');
    await assert.rejects(readCallLog(v2, { id: 'C4', fn_id: 'F1' }), /not a call log/);
    await assert.rejects(readCallLog(v2, { id: 'C5' }), /has no fn_id/);
    await assert.rejects(readCallLog(v1, { id: 'C9', app_name: 'shop' }), (e) => e.kind === 'not-found' && /keeps no log for call C9/.test(e.message));
  } finally {
    await srv.close();
  }
});

test('v2: progress, the limit across fns, and "load newer" stop where they should', async () => {
  const srv = await v2Server();
  try {
    const progress = [];
    const got = await loadFromServer(recorder(), { base: srv.base, app: 'shop', filter: {}, onPage: (p) => progress.push(p.records) });
    assert.deepEqual(progress, [100, 200, 250], 'every 100 calls, and at the end');

    const engine = recorder();
    const limited = await loadFromServer(engine, { base: srv.base, app: 'shop', filter: {}, max: 120 });
    assert.deepEqual(loadedIds(engine, limited.result), ids.slice(0, 120));
    assert.equal(limited.more, true);
    assert.deepEqual(limited.stops, ['Stopped at the limit of 120 calls; the server has more.']);

    const exact = await loadFromServer(recorder(), { base: srv.base, app: 'shop', filter: {}, max: 250 });
    assert.equal(exact.more, false, 'exactly as many as the server has');
    assert.deepEqual(exact.stops, []);

    const newer = recorder();
    const got2 = await loadFromServer(newer, { base: srv.base, app: 'shop', filter: {}, newerThan: ids[7] });
    assert.deepEqual(loadedIds(newer, got2.result), ids.slice(0, 7));
    assert.deepEqual(got2.result.options, { keepCurrent: true });
    const none = await loadFromServer(recorder(), { base: srv.base, app: 'shop', filter: {}, newerThan: ids[0] });
    assert.equal(none.result, null);
    assert.equal(none.api, 'v2');
    assert.equal(got.server.fns.map((f) => f.name).sort().join(), 'cart,pay');
  } finally {
    await srv.close();
  }
});

test('v2: a cursor that is not base64url, repeats or climbs, or an empty page naming a next one, stops that fn', async () => {
  const b64 = (id) => Buffer.from(id).toString('base64url');
  const cases = [
    [(cursor, page, more) => (more ? 'not base64!' : ''), /^fn (cart|pay): the server's next_cursor 'not base64!' is not base64url: its listing stopped there\.$/],
    [(cursor, page, more) => (more ? cursor ?? b64(page.at(-1).id) : ''), /^fn (cart|pay): the server's next_cursor \w+ repeats the cursor asked for: its listing stopped there rather than loop\.$/],
    [(cursor, page, more) => (more ? (cursor ? b64('ZZZZZZZZZZZZZZZZZZZZZZZZZZ') : b64(page.at(-1).id)) : ''), /^fn (cart|pay): the server's next_cursor Z+ is not below the cursor asked for: its listing stopped there rather than loop\.$/],
  ];
  for (const [next, reason] of cases) {
    const srv = await v2Server({ next, perPage: 40 });
    try {
      const got = await loadFromServer(recorder(), { base: srv.base, app: 'shop', filter: {} });
      assert.equal(got.more, true, `${reason}: ${JSON.stringify(got.stops)}`);
      assert.equal(got.stops.length, 2, 'each fn says so');
      for (const stop of got.stops) assert.match(stop, reason);
      assert.ok(srv.requests.length < 12, 'no loop');
    } finally {
      await srv.close();
    }
  }
  const empty = await jsonServer((url) => {
    if (url.pathname.startsWith('/v1/')) return [404, '{"message":"Not Found"}'];
    if (url.pathname === '/v2/apps') return [200, '{"items":[{"id":"A1","name":"shop"}]}'];
    if (url.pathname === '/v2/fns') return [200, '{"items":[{"id":"F1","name":"cart"}]}'];
    return [200, `{"items":[],"next_cursor":"${b64('X')}"}`];
  });
  try {
    const got = await loadFromServer(recorder(), { base: empty.base, app: 'shop', filter: {} });
    assert.deepEqual(got.stops, ['fn cart: an empty page still named a next page (cursor X): its listing stopped there.']);
    assert.equal(got.more, true);
    assert.equal(got.result.label, `${new URL(empty.base).host}/v2 · shop · 1 fn`);
  } finally {
    await empty.close();
  }
});

test('failures are explained: a 410 server, an unknown app, no call API, an error answer, a page that is not a list', async () => {
  const serve = (handler) => jsonServer(handler);
  const cases = [
    [(url) => (url.pathname === '/version' ? [200, '{"version":"0.3.700"}'] : [410, '{"error":{"message":"gone"}}']), /\(Fn 0\.3\.700\): this Fn server keeps no calls: the call API was removed in release 0\.3\.689/],
    [() => [404, '{"error":{"message":"App not found"}}'], /http:\/\/127\.0\.0\.1:\d+ answered HTTP 404 Not Found: App not found\n\(http:\/\/127\.0\.0\.1:\d+\/v1\/apps\/shop\/calls\?per_page=100\)$/],
    [() => [404, '{"message":"Not Found"}'], /^Error: http:\/\/127\.0\.0\.1:\d+ has no Fn call API: neither \/v1\/apps\/shop\/calls nor \/v2\/apps answered \(HTTP 404 Not Found: Not Found\)\. Is the URL the Fn API server\?$/],
    [() => [200, '{"error":{"message":"the database is down"}}'], /the server answered an error: the database is down/],
    [() => [200, '{"calls":{}}'], /the answer is not a call list \(no "calls" array\): is the URL the Fn API server\?/],
    [() => [200, '[1,2]'], /the answer is not a call list/],
  ];
  for (const [handler, message] of cases) {
    const srv = await serve(handler);
    try {
      await assert.rejects(loadFromServer(recorder(), { base: srv.base, app: 'shop', filter: {} }), message);
    } finally {
      await srv.close();
    }
  }
  const v2list = await serve((url) => {
    if (url.pathname.startsWith('/v1/')) return [404, '{"message":"Not Found"}'];
    if (url.pathname === '/v2/apps') return [200, '{"items":[{"id":"A1","name":"shop"}]}'];
    if (url.pathname === '/v2/fns') return [200, '{"items":[{"id":"F1","name":"cart"}]}'];
    return [200, '{"calls":[]}'];
  });
  try {
    await assert.rejects(loadFromServer(recorder(), { base: v2list.base, app: 'shop', filter: {} }), /no "items" array/);
    await assert.rejects(loadFromServer(recorder(), { base: v2list.base, app: 'other', filter: {} }), /app 'other' not found/);
  } finally {
    await v2list.close();
  }
  const emptyV1 = await serve(() => [200, '{"calls":null,"next_cursor":""}']);
  try {
    const got = await loadFromServer(recorder(), { base: emptyV1.base, app: 'shop', filter: {} });
    assert.equal(got.api, 'v1', 'a v1 server writes null for no calls');
    assert.deepEqual(got.result.order, []);
  } finally {
    await emptyV1.close();
  }
});

// ---- the failures' own words, and what a failure keeps ------------------------------------------------------------

/** The page's origin, which the CORS advice names (a page has one; Node does not). */
globalThis.location ??= { origin: 'http://dashboard.test' };

/** An address where nothing listens any more. */
async function closedBase() {
  const srv = await jsonServer(() => [200, '{}']);
  await srv.close();
  return srv.base;
}

test('a server that cannot be reached: the two likely causes, the CORS advice, no retry of the first request', async () => {
  const base = await closedBase();
  const retries = [];
  const e = await loadFromServer(recorder(), { base, app: 'shop', filter: {}, onRetry: (r) => retries.push(r) }).then(() => null, (err) => err);
  assert.equal(e.message,
    `Could not read an answer from ${base}. Either nothing answers there (is the Fn server running, is the URL right?), ` +
    'or the server answered but does not let this page read its answer (CORS): start Fn with ' +
    'FN_API_CORS_ORIGINS=http://dashboard.test (servers of 2017: API_CORS=http://dashboard.test), or put both behind one origin with a proxy.');
  assert.equal(e.network, true);
  assert.equal(e.kind, 'network');
  assert.equal(e.url, `${base}/v1/apps/shop/calls?per_page=100`);
  assert.equal(e.partial, undefined, 'nothing arrived, nothing is loaded');
  assert.equal(e.server, undefined);
  assert.deepEqual(retries, [], 'the first request is not retried');
  const log = await readCallLog({ api: 'v1', app: 'shop', conn: { ...serverConnection(base), retries: 0 } }, { id: 'C1', app_name: 'shop' })
    .then(() => null, (err) => err);
  assert.match(log.message, new RegExp(`^Could not read an answer from ${base}\\. Either`));
  assert.equal(log.network, true);
});

test('a network failure after the first page is retried, then explained with the page and what arrived kept', async () => {
  let n = 0;
  const handler = v1Handler();
  const srv = await jsonServer((url, req) => {
    n += 1;
    if (n >= 2) req.socket.destroy(); // page 2 and its retries: the connection drops
    return handler(url);
  });
  try {
    const engine = recorder();
    const retries = [];
    const e = await loadFromServer(engine, { base: srv.base, app: 'shop', filter: {}, onRetry: (r) => retries.push(r) }).then(() => null, (err) => err);
    assert.match(e.message, new RegExp(`^Could not read an answer from ${srv.base} \\(page 2\\)\\. Either nothing answers there`));
    assert.equal(retries.length, 2, 'retried twice once the server had answered');
    assert.deepEqual(loadedIds(engine, e.partial), ids.slice(0, 100));
    assert.deepEqual({ api: e.server.api, base: e.server.base, app: e.server.app }, { api: 'v1', base: srv.base, app: 'shop' });
  } finally {
    await srv.close();
  }
});

test('answers that are not what they should be: their words, exactly', async () => {
  const host = (base) => base;
  const cases = [
    // an error object without a message: its text
    [() => [200, '{"error":{}}'], (b) => `${host(b)} answered the server answered an error: {"error":{}}`],
    [() => [200, 'null'], (b) => `${host(b)} answered the answer is not a call list (no "calls" array): is the URL the Fn API server?`],
    [() => [200, '"calls"'], (b) => `${host(b)} answered the answer is not a call list (no "calls" array): is the URL the Fn API server?`],
    [() => [500, '{"error":{"message":"boom"}}'], (b) => `${host(b)} answered HTTP 500 Internal Server Error: boom\n(${b}/v1/apps/shop/calls?per_page=100)`],
  ];
  for (const [handler, message] of cases) {
    const srv = await jsonServer(handler);
    try {
      const e = await loadFromServer(recorder(), { base: srv.base, app: 'shop', filter: {} }).then(() => null, (err) => err);
      assert.equal(e.message, message(srv.base));
      assert.equal(e.partial, undefined);
    } finally {
      await srv.close();
    }
  }
  // v2: a fn's listing with {"calls":null} is not an items list; the fns' own lookups speak for themselves
  const v2 = await jsonServer((url) => {
    if (url.pathname.startsWith('/v1/')) return [404, '{"message":"Not Found"}'];
    if (url.pathname === '/v2/apps') return url.searchParams.get('name') === 'broken' ? [500, '{"message":"db"}'] : [200, '{"items":[{"id":"A1","name":"shop"}]}'];
    if (url.pathname === '/v2/fns') return [200, '{"items":[{"id":"F1","name":"cart"}]}'];
    return [200, '{"calls":null}'];
  });
  try {
    const e = await loadFromServer(recorder(), { base: v2.base, app: 'shop', filter: {} }).then(() => null, (err) => err);
    assert.equal(e.message, `${v2.base} answered the answer is not a call list (no "items" array): is the URL the Fn API server? (fn cart, page 1)`);
    assert.equal(e.kind, 'protocol');
    const other = await loadFromServer(recorder(), { base: v2.base, app: 'other', filter: {} }).then(() => null, (err) => err);
    assert.match(other.message, /^app 'other' not found/);
    const broken = await loadFromServer(recorder(), { base: v2.base, app: 'broken', filter: {} }).then(() => null, (err) => err);
    // the server has answered (the v1 route's 404), so this request is retried before it is explained
    assert.equal(broken.message, `${v2.base} answered HTTP 500 Internal Server Error: db (after 3 attempts)\n(${v2.base}/v2/apps?name=broken&per_page=100)`);
  } finally {
    await v2.close();
  }
});

test('v1: a route-level 404 after the first page is a failure, not a v2 server; a next_cursor that is not text ends the listing', async () => {
  let n = 0;
  const handler = v1Handler();
  const srv = await jsonServer((url) => (++n === 2 ? [404, '{"message":"Not Found"}'] : handler(url)));
  try {
    const engine = recorder();
    const e = await loadFromServer(engine, { base: srv.base, app: 'shop', filter: {} }).then(() => null, (err) => err);
    assert.equal(e.message, `${srv.base} answered HTTP 404 Not Found: Not Found (page 2)\n(${srv.base}/v1/apps/shop/calls?cursor=${ids[99]}&per_page=100)`);
    assert.equal(srv.requests.filter((u) => u.pathname.startsWith('/v2/')).length, 0);
    assert.deepEqual(loadedIds(engine, e.partial), ids.slice(0, 100));
  } finally {
    await srv.close();
  }
  const numeric = await jsonServer(v1Handler(calls, { next: () => 5 }));
  try {
    const got = await loadFromServer(recorder(), { base: numeric.base, app: 'shop', filter: {} });
    assert.deepEqual([got.pages, got.stops, got.more], [1, [], false]);
  } finally {
    await numeric.close();
  }
});

test('v1: a limit inside the last page says the server has more; a failure while loading newer keeps nothing', async () => {
  const srv = await jsonServer(v1Handler());
  try {
    const got = await loadFromServer(recorder(), { base: srv.base, app: 'shop', filter: {}, max: 230 });
    assert.deepEqual([got.pages, got.more, got.stops], [3, true, ['Stopped at the limit of 230 calls; the server has more.']]);
  } finally {
    await srv.close();
  }
  let n = 0;
  const handler = v1Handler();
  const failing = await jsonServer((url) => (++n === 2 ? [400, '{"error":{"message":"bad cursor"}}'] : handler(url)));
  try {
    const e = await loadFromServer(recorder(), { base: failing.base, app: 'shop', filter: {}, newerThan: ids[150] }).then(() => null, (err) => err);
    assert.match(e.message, /bad cursor \(page 2\)/);
    assert.equal(e.partial, undefined, 'a partial "load newer" would leave a gap: nothing is loaded');
  } finally {
    await failing.close();
  }
});

test('readCallLog: the call\'s own app on v1, a 404 that is not about the log, and an answer of null', async () => {
  const srv = await jsonServer((url) => {
    if (url.pathname === '/v1/apps/other/calls/C1/log') return [200, '{"message":"ok","log":{"call_id":"C1","log":"from other"}}'];
    if (url.pathname === '/v1/apps/shop/calls/C2/log') return [200, 'null'];
    return [404, '{"error":{"message":"App not found"}}'];
  });
  try {
    const v1 = { api: 'v1', app: 'shop', conn: { ...serverConnection(srv.base), retries: 0 } };
    assert.equal((await readCallLog(v1, { id: 'C1', app_name: 'other' })).text, 'from other');
    await assert.rejects(readCallLog(v1, { id: 'C2', app_name: '' }), new RegExp(`^Error: The answer is not a call log \\(no "log" text\\)\\.\\n\\(${srv.base}/v1/apps/shop/calls/C2/log\\)$`));
    const e = await readCallLog(v1, { id: 'C3', app_name: 'shop' }).then(() => null, (err) => err);
    assert.equal(e.kind, 'not-found');
    assert.equal(e.message, `HTTP 404 Not Found: App not found\n(${srv.base}/v1/apps/shop/calls/C3/log)`);
  } finally {
    await srv.close();
  }
});

test('an address ends in /v2 to start with the v2 API; a name with /v2 inside does not', () => {
  assert.match(serverPlan({ base: 'http://fn:8080/v2data', app: 'shop', filter: {} }).first, /\/v2data\/v1\/apps\/shop\/calls\?/);
  assert.match(serverPlan({ base: 'http://fn:8080/v2/x', app: 'shop', filter: {} }).first, /\/v1\/apps\/shop\/calls\?/);
  const eighty = `x${'y'.repeat(79)}`;
  assert.throws(() => checkServerUrl(eighty), (e) => e.message.startsWith(`“${eighty}” is not a URL`));
});

test('odd but readable answers load; an error without a message is quoted, cut at 200 characters', async () => {
  const one = fc.stringifyCall(calls[0]);
  for (const body of ['{"error":null,"calls":[]}', `{"calls":[null,${one}]}`]) {
    const srv = await jsonServer(() => [200, body]);
    try {
      const got = await loadFromServer(recorder(), { base: srv.base, app: 'shop', filter: {} });
      assert.deepEqual([got.api, got.pages, got.stops], ['v1', 1, []], body);
    } finally {
      await srv.close();
    }
  }
  const long = JSON.stringify({ error: { code: 'x'.repeat(300) } });
  const srv = await jsonServer(() => [200, long]);
  try {
    const e = await loadFromServer(recorder(), { base: srv.base, app: 'shop', filter: {} }).then(() => null, (err) => err);
    assert.equal(e.message, `${srv.base} answered the server answered an error: ${long.slice(0, 200)}`);
    assert.equal(e.kind, 'protocol');
  } finally {
    await srv.close();
  }
});

test('v2: fns of several pages are followed to their ends and merged; a failure names the fn and the page', async () => {
  const srv = await v2Server({ perPage: 40 });
  try {
    const engine = recorder();
    const got = await loadFromServer(engine, { base: srv.base, app: 'shop', filter: {} });
    assert.deepEqual([got.stops, got.more], [[], false]);
    assert.deepEqual(loadedIds(engine, got.result), ids);
    assert.ok(got.pages >= 6, `${got.pages} pages`);
  } finally {
    await srv.close();
  }
  // the second page of a fn fails: the error names that fn and the cursor of that page
  let listings = 0;
  const failing = await v2Server({ perPage: 40, fail: (url) => (/\/calls$/.test(url.pathname) && url.searchParams.get('cursor') && ++listings === 1 ? [400, '{"message":"bad cursor"}'] : null) });
  try {
    const e = await loadFromServer(recorder(), { base: failing.base, app: 'shop', filter: {} }).then(() => null, (err) => err);
    assert.match(e.message, new RegExp(`^${failing.base} answered HTTP 400 Bad Request: bad cursor \\(fn (cart|pay), page after [0-9A-Z]{26}\\)\\n`));
    assert.ok(e.partial, 'the pages that arrived are kept');
  } finally {
    await failing.close();
  }
});

test('v2: a record without a readable id (none, or a number) stays beside its neighbour in the merge of fns', async () => {
  // fn b lists D then B; fn a lists a record without an id first, then C, a record whose id is a number, then A.
  // (b comes first: a number read as an id would then lose to B, as `'B' > 123` and `123 > 'B'` are both false.)
  const lists = {
    fa: ['{"tag":"no id, first"}', '{"id":"C"}', '{"id":123,"tag":"number"}', '{"id":"A"}'],
    fb: ['{"id":"D"}', '{"id":"B"}'],
  };
  const srv = await jsonServer((url) => {
    if (url.pathname.startsWith('/v1/')) return [404, '{"message":"Not Found"}'];
    if (url.pathname === '/v2/apps') return [200, '{"items":[{"id":"app1","name":"shop"}]}'];
    if (url.pathname === '/v2/fns') return [200, '{"items":[{"id":"fb","name":"b","app_id":"app1"},{"id":"fa","name":"a","app_id":"app1"}]}'];
    const m = /^\/v2\/fns\/(f[ab])\/calls$/.exec(url.pathname);
    return m ? [200, `{"items":[${lists[m[1]].join(',')}],"next_cursor":""}`] : [404, '{"message":"Not Found"}'];
  });
  try {
    const engine = recorder();
    const got = await loadFromServer(engine, { base: srv.base, app: 'shop', filter: {} });
    assert.deepEqual([got.api, got.stops, got.more], ['v2', [], false]);
    const order = [];
    for (let k = 0; k < got.result.order.length; k += 2) {
      const item = JSON.parse(engine.pages[got.result.order[k]].text).items[got.result.order[k + 1]];
      order.push(item.tag ?? item.id);
    }
    // The id-less first record sorts as the top of its fn (nothing above it was asked for); the number as C, the id
    // before it.
    assert.deepEqual(order, ['no id, first', 'D', 'C', 'number', 'B', 'A']);
  } finally {
    await srv.close();
  }
});

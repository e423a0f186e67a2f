// Filtering, listing queries and summaries through the built package (docs/filtering.md): the same table, boundary
// cases, property test and fixtures as the Rust unit tests in src/filter.rs and src/summary.rs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';

const fc = createRequire(import.meta.url)('../../pkg');
const fixture = (name) => readFileSync(new URL(`../fixtures/${name}`, import.meta.url), 'utf8');

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
/** A valid id whose time part is `ms` and whose tail is `n`. */
function makeId(ms, n) {
  let s = '';
  for (let i = 9; i >= 0; i--) s += ALPHABET[Number((BigInt(ms) >> BigInt(5 * i)) & 31n)];
  for (let i = 15; i >= 0; i--) s += ALPHABET[Number((BigInt(n) >> BigInt(5 * i)) & 31n)];
  return s;
}

const ZERO = '0001-01-01T00:00:00.000Z';
function call(n, created, extra = {}) {
  return {
    id: makeId(Date.parse(created), n),
    status: 'success',
    app_name: 'myapp',
    path: '/hello',
    completed_at: ZERO,
    created_at: created,
    started_at: ZERO,
    ...extra,
  };
}

const T0 = 1511889720; // 2017-11-28T17:22:00Z
/** Ten calls, one per second from T0, ids increasing with time. */
const ten = () => Array.from({ length: 10 }, (_, i) => call(i, `2017-11-28T17:22:0${i}.000Z`));
const ids = (page) => page.calls.map((c) => c.id);

// Every row of the semantics table in docs/filtering.md and its boundary cases:
// [name, filter, expected indexes into ten() in answer order, next_cursor as an index or null].
const ALL = [9, 8, 7, 6, 5, 4, 3, 2, 1, 0];
const TABLE = [
  ['order: id descending, not created_at', {}, ALL, null],
  ['no filter at all (undefined)', undefined, ALL, null],
  ['app_name exact', { app_name: 'myap' }, [], null],
  ['app_name empty = no filter', { app_name: '' }, ALL, null],
  ['path exact', { path: '/hello/' }, [], null],
  ['path and app match', { path: '/hello', app_name: 'myapp', per_page: 2 }, [9, 8], 8],
  ['cursor exclusive', (b) => ({ cursor: b[5].id }), [4, 3, 2, 1, 0], null],
  ['per_page 0 -> 30', { per_page: 0 }, ALL, null],
  ['per_page negative -> 30', { per_page: -5 }, ALL, null],
  ['per_page full page', { per_page: 3 }, [9, 8, 7], 7],
  ['per_page exactly all: full page, cursor set', { per_page: 10 }, ALL, 0],
  ['per_page above all: not full', { per_page: 11 }, ALL, null],
  ['from_time exclusive: created exactly at from_time is out', { from_time: T0 + 3 }, [9, 8, 7, 6, 5, 4], null],
  ['to_time exclusive', { to_time: T0 + 3 }, [2, 1, 0], null],
  ['from and to', { from_time: T0 + 2, to_time: T0 + 5 }, [4, 3], null],
  ['to_time=0 is 1970, not no bound', { to_time: 0 }, [], null],
  ['from_time=0 is 1970', { from_time: 0 }, ALL, null],
  ['negative from_time', { from_time: -100 }, ALL, null],
  ['all ignores paging', { all: true, per_page: 2 }, ALL, null],
  ['null fields mean no condition', { app_name: null, status: null, per_page: null }, ALL, null],
];

for (const [name, filter, want, cursor] of TABLE) {
  test(`semantics: ${name}`, () => {
    const base = ten();
    const f = typeof filter === 'function' ? filter(base) : filter;
    const page = fc.filterCalls(base, f);
    assert.deepEqual(ids(page), want.map((i) => base[i].id));
    assert.equal(page.next_cursor, cursor === null ? '' : base[cursor].id);
    assert.deepEqual(page.issues, []);
  });
}

test('per_page is clamped to 100 and defaults to 30', () => {
  const many = Array.from({ length: 150 }, (_, i) => call(i, '2017-11-28T17:22:00.000Z'));
  const n = (f) => fc.filterCalls(many, f).calls.length;
  assert.equal(n(), 30);
  assert.equal(n({ per_page: 101 }), 100);
  assert.equal(n({ per_page: 100 }), 100);
  assert.equal(n({ per_page: 1 }), 1);
  assert.equal(n({ all: true }), 150);
  assert.deepEqual(fc.validateFilter({ per_page: 500 }).map((i) => i.code), ['per_page_clamped']);
  assert.deepEqual(fc.validateFilter({ per_page: 0 }).map((i) => i.code), ['per_page_defaulted']);
});

test('following next_cursor: the full last page leads to an empty page', () => {
  const base = ten();
  const sizes = [];
  let cursor = '';
  do {
    assert.ok(sizes.length < 10, `next_cursor still not empty after 10 pages: ${sizes}`);
    const page = fc.filterCalls(base, { per_page: 5, cursor });
    sizes.push(page.calls.length);
    cursor = page.next_cursor;
  } while (cursor !== '');
  assert.deepEqual(sizes, [5, 5, 0]);
});

test('server time bounds compare the text of created_at, as the server does, not the instant', () => {
  // 20:22:03+03:00 is 17:22:03Z, but the server compares its text with bounds written in UTC
  const c = call(1, '2017-11-28T20:22:03.000+03:00');
  const secs = Date.parse(c.created_at) / 1000;
  const n = (from_time, to_time, x = c) => fc.filterCalls([x], { from_time, to_time }).calls.length;
  assert.equal(n(secs - 1, secs + 1), 0, 'the instant is inside, the text is not');
  const wall = secs + 3 * 3600;
  assert.equal(n(wall - 1, wall + 1), 1);
  assert.equal(n(wall, wall + 1), 0, "'+03:00' sorts before 'Z' at the same wall time");
  const utc = call(3, '2017-11-28T17:22:03.000Z');
  const u = Date.parse(utc.created_at) / 1000;
  assert.equal(n(u - 1, u + 1, utc), 1);
  assert.equal(n(u, u + 1, utc), 0, 'created exactly at from_time');
  assert.equal(n(u - 1, u, utc), 0, 'created exactly at to_time');
  const late = call(2, '2017-11-28T17:22:03.001Z');
  assert.equal(fc.filterCalls([late], { from_time: Math.floor(Date.parse(late.created_at) / 1000) }).calls.length, 1);
});

test('unset created_at: server bounds compare instants (year 1), extensions never match it', () => {
  const c = { ...call(1, '2017-11-28T17:22:03.000Z'), created_at: ZERO };
  const n = (f) => fc.filterCalls([c], f).calls.length;
  assert.equal(n({ to_time: 0 }), 1);
  assert.equal(n({ from_time: 0 }), 0);
  assert.equal(n({ created_before: '2017-01-01T00:00:00Z' }), 0);
  assert.equal(n({ created_since: ZERO }), 0);
});

test('extensions on the generated list page', () => {
  const page = fixture('generated-v1-calls-list-page.json');
  const n = (f) => fc.filterCalls(page, f).calls.length;
  const rows = [
    [{}, 2],
    [{ status: 'error' }, 1],
    [{ status: ['error', 'timeout'] }, 2],
    [{ status: [] }, 2],
    [{ status: '' }, 2],
    [{ status: [''] }, 0],
    [{ status: 'success' }, 0],
    [{ error: 'container exit code 1' }, 1],
    [{ error: 'container exit code' }, 0],
    [{ error_contains: 'exit code' }, 1],
    [{ error_contains: 'Exit' }, 0],
    [{ error_pattern: 'container exit code ?' }, 1],
    [{ error_pattern: '*exit*' }, 1],
    [{ error_pattern: 'exit*' }, 0],
    [{ error_pattern: '*' }, 2],
    [{ status: 'error', error_contains: 'exit code 1' }, 1],
    [{ min_duration_ms: 490 }, 2],
    [{ min_duration_ms: 491 }, 1],
    [{ max_duration_ms: 490 }, 1],
    [{ min_duration_ms: 30001, max_duration_ms: 30001 }, 1],
    [{ created_since: '2017-11-28T17:22:10.007Z' }, 1],
    [{ created_since: new Date('2017-11-28T17:22:10.008Z') }, 0],
    [{ created_since: '2017-11-28T20:22:10.008+03:00' }, 0],
    [{ created_before: '2017-11-28T17:22:10.007Z' }, 1],
    [{ created_since: '2017-11-28T17:00:00Z', created_before: '2017-11-28T18:00:00Z' }, 2],
  ];
  for (const [f, want] of rows) assert.equal(n(f), want, JSON.stringify(f));

  const full = fixture('generated-v1-call-full-mq-async.json');
  const m = (f) => fc.filterCalls(full, f).calls.length;
  assert.equal(m({ status: [''] }), 1, 'the async queue copy has status ""');
  assert.equal(m({ type: 'async', format: 'default', image: 'fnproject/hello', method: 'POST' }), 1);
  assert.equal(m({ type: 'sync' }), 0);
  assert.equal(m({ format: 'json' }), 0);
  assert.equal(m({ method: 'GET' }), 0);
  assert.equal(m({ min_duration_ms: 0 }), 0, 'no duration: never matches a duration bound');
});

test('a bad filter throws a CallFilterError listing the issues; validateFilter returns them', () => {
  const errs = (f) => {
    try {
      fc.filterCalls([], f);
    } catch (e) {
      assert.ok(e instanceof TypeError);
      assert.equal(e.name, 'CallFilterError');
      for (const i of e.issues.filter((i) => i.severity === 'error')) assert.ok(e.message.includes(i.code));
      return e.issues.filter((i) => i.severity === 'error').map((i) => `${i.code} ${i.path}`);
    }
    assert.fail(`${JSON.stringify(f)} was accepted`);
  };
  assert.deepEqual(errs({ status: 'succes' }), ['unknown_status /status']);
  assert.deepEqual(errs({ status: ['error', 'Timeout'] }), ['unknown_status /status/1']);
  assert.deepEqual(errs({ status: [1] }), ['wrong_type /status/0']);
  assert.deepEqual(errs({ type: 'batch' }), ['unknown_type /type']);
  assert.deepEqual(errs({ format: 'xml' }), ['unknown_format /format']);
  assert.deepEqual(errs({ per_page: '10' }), ['wrong_type /per_page']);
  assert.deepEqual(errs({ per_page: 1.5 }), ['not_integer /per_page']);
  assert.deepEqual(errs({ from_time: '1511889720' }), ['wrong_type /from_time']);
  assert.deepEqual(errs({ from_time: 2 ** 53 }), ['unsafe_integer /from_time']);
  assert.deepEqual(errs({ to_time: NaN }), ['wrong_type /to_time']);
  assert.deepEqual(errs({ appName: 'x' }), ['unknown_field /appName']);
  assert.deepEqual(errs({ all: 1 }), ['wrong_type /all']);
  assert.deepEqual(errs({ created_since: '2017-11-28' }), ['bad_datetime /created_since']);
  assert.deepEqual(
    errs({ created_since: '2017-11-28T18:00:00Z', created_before: '2017-11-28T18:00:00Z' }),
    ['empty_range /created_before'],
  );
  assert.deepEqual(errs({ min_duration_ms: 10, max_duration_ms: 9 }), ['empty_range /max_duration_ms']);
  assert.deepEqual(errs({ error_pattern: 'exit \\' }), ['bad_pattern /error_pattern']);
  assert.deepEqual(errs({ error: 'a', error_contains: 'b' }), ['contradiction /error_contains']);
  assert.deepEqual(errs({ error: 'a', error_pattern: 'b*' }), ['contradiction /error_pattern']);
  assert.deepEqual(errs('path=/x'), ['wrong_type ']);
  assert.deepEqual(errs([]), ['wrong_type ']);
  assert.throws(() => fc.filterToQuery({ status: 'nope' }), { name: 'CallFilterError' });
  assert.throws(() => fc.listCallsUrl('', 'a', { per_page: 'x' }), { name: 'CallFilterError' });

  const warns = (f) => fc.validateFilter(f).map((i) => `${i.severity} ${i.code}`);
  assert.deepEqual(warns({ from_time: 10, to_time: 10 }), ['warning empty_range']);
  assert.deepEqual(warns({ path: 'hello' }), ['warning path_without_slash']);
  assert.deepEqual(warns({ cursor: 'MDFDUVY3MlpYRU5HOEcwMEdaSjAwMDAwMFg' }), ['warning cursor_not_id']);
  assert.deepEqual(warns({ method: 'get' }), ['warning method_case']);
  assert.deepEqual(warns({ all: true, per_page: 5 }), ['warning per_page_ignored']);
  assert.deepEqual(warns({ status: 'succes' }), ['error unknown_status']);
  assert.deepEqual(warns({}), []);
});

test('query strings: written like url.Values.Encode, read like the server', () => {
  const f = { app_name: 'myapp', path: '/hello world/ü&x', from_time: -5, to_time: 0, cursor: '01C01TCYEQ47WGJ00000000000', per_page: 50, status: 'error' };
  const q = fc.filterToQuery(f);
  assert.equal(q, 'cursor=01C01TCYEQ47WGJ00000000000&from_time=-5&path=%2Fhello+world%2F%C3%BC%26x&per_page=50&to_time=0');
  const back = fc.filterFromQuery(q);
  assert.deepEqual(back.issues, []);
  const { app_name, status, ...server } = f;
  assert.deepEqual(back.filter, server);
  assert.equal(fc.filterToQuery({}), '');

  for (const [query, want] of [
    ['per_page=10', 10], ['per_page=+10', 30], ['per_page=%2B10', 10], ['per_page=abc', 30], ['per_page=', 30],
    ['per_page=0', 30], ['per_page=-1', 30], ['per_page=101', 100], ['per_page=1.5', 30],
    ['per_page=99999999999999999999', 100], ['per_page=-99999999999999999999', 30],
  ]) {
    const r = fc.filterFromQuery(query);
    assert.equal(r.filter.per_page, want, query);
    assert.deepEqual(r.issues, [], `${query}: a bad per_page is silent, as on the server`);
  }

  const serverError = JSON.parse(fixture('generated-v1-error-from_time.json')).error.message;
  for (const bad of ['abc', '1.5', '1e9', '2017-11-28T17:22:00Z', '99999999999999999999']) {
    const r = fc.filterFromQuery(`?from_time=${encodeURIComponent(bad)}`);
    assert.equal(r.filter.from_time, undefined);
    assert.deepEqual(r.issues.map((i) => [i.severity, i.code, i.path, i.message]), [['error', 'not_epoch_time', '/from_time', serverError]]);
  }
  assert.equal(fc.filterFromQuery('to_time=x').issues[0].message, 'to_time is not an epoch time');
  assert.deepEqual(fc.filterFromQuery('from_time=&to_time=').filter, {}, 'empty means no bound');
  assert.deepEqual(fc.filterFromQuery('from_time=1511889720&to_time=-1').filter, { from_time: 1511889720, to_time: -1 });

  const r = fc.filterFromQuery('path=%2Fa+b;cursor=X&path=/second&per_page=%zz&status=error&app_name=x');
  assert.deepEqual(r.filter, { path: '/a b', cursor: 'X' });
  assert.deepEqual(r.issues.map((i) => i.code), ['repeated_parameter', 'bad_escape', 'ignored_parameter', 'ignored_parameter']);

  const url = fc.filterFromQuery('https://fn.example.com/v1/apps/my%2Dapp/calls?per_page=2#x');
  assert.deepEqual(url, { filter: { app_name: 'my-app', per_page: 2 }, issues: [] });
  assert.deepEqual(fc.filterFromQuery(new URL('http://h/v1/apps/a/calls?path=%2Fx')).filter, { app_name: 'a', path: '/x' });
  assert.deepEqual(fc.filterFromQuery(new URLSearchParams({ path: '/x', per_page: '5' })).filter, { path: '/x', per_page: 5 });
  assert.throws(() => fc.filterFromQuery(5), TypeError);
});

test('listCallsUrl', () => {
  assert.equal(fc.listCallsUrl('http://localhost:8080/', 'myapp', { path: '/x', per_page: 2 }), 'http://localhost:8080/v1/apps/myapp/calls?path=%2Fx&per_page=2');
  assert.equal(fc.listCallsUrl('http://h/v1', '', { app_name: 'my app' }), 'http://h/v1/apps/my%20app/calls');
  assert.equal(fc.listCallsUrl('', 'a'), '/v1/apps/a/calls');
  assert.throws(() => fc.listCallsUrl('', ''), (e) => e.name === 'CallFilterError' && e.issues[0].code === 'missing_app');
  assert.throws(() => fc.listCallsUrl('', 'a', { app_name: 'b' }), (e) => e.issues[0].code === 'app_name_mismatch');
});

test('inputs: text, bytes, envelopes, parsed Calls; unreadable records are reported with a number index', () => {
  const text = fixture('generated-v1-calls-list-page.json');
  const want = ['01C01TCYEQ47WGJ00000000000', '01C01TC2JG47WGG00000000000'];
  assert.deepEqual(ids(fc.filterCalls(text)), want);
  assert.deepEqual(ids(fc.filterCalls(new TextEncoder().encode(text))), want);
  assert.deepEqual(ids(fc.filterCalls(JSON.parse(text))), want);
  assert.deepEqual(ids(fc.filterCalls(fc.parseCalls(text).calls)), want);
  const page = fc.filterCalls(text, { per_page: 2 });
  assert.equal(page.next_cursor, want[1]);
  const next = fc.filterCalls(text, { per_page: 2, cursor: page.next_cursor });
  assert.deepEqual([next.calls, next.next_cursor], [[], '']);
  // v2 list and the empty lists
  assert.equal(fc.filterCalls(fixture('generated-v2-fn-calls-list.json'), { status: 'error' }).calls[0].error, 'container exit code 2');
  for (const name of ['generated-v1-calls-list-empty-sql.json', 'generated-v1-calls-list-empty-mock.json']) {
    assert.deepEqual(fc.filterCalls(fixture(name)), { calls: [], next_cursor: '', issues: [] });
  }
  // The docs' calls: UUID ids and +03:00 offsets. The server compares text: 15:31:22.691+03:00 sorts after the
  // bound 15:31:22.000Z (Unix 1496417482) although its instant is three hours earlier.
  const docs = fixture('docs-definitions-calls-list.json');
  assert.equal(fc.filterCalls(docs, { from_time: 1496417482 }).calls.length, 2);
  assert.equal(fc.filterCalls(docs, { from_time: 1496417483 }).calls.length, 1);
  assert.equal(fc.filterCalls(docs, { to_time: 1496417490 }).calls.length, 1);
  assert.equal(fc.filterCalls(docs, { to_time: 1496417491 }).calls.length, 2);

  const mixed = fc.filterCalls(`[{"id":5},${JSON.stringify(call(1, '2017-11-28T17:22:00.000Z', { memory: 128 }))}]`);
  assert.equal(mixed.calls.length, 1);
  assert.equal(mixed.calls[0].memory, 128n, 'uint64 stays a bigint');
  assert.equal(mixed.issues.length, 1);
  assert.equal(mixed.issues[0].code, 'wrong_type');
  assert.equal(typeof mixed.issues[0].index, 'number');
  assert.equal(typeof mixed.issues[0].offset, 'number');
});

test('summaries: totals, nearest-rank percentiles, exact peaks, groups and buckets', () => {
  const page = fixture('generated-v1-calls-list-page.json');
  const s = fc.summarizeCalls(page, { group_by: 'path' });
  assert.equal(s.total.count, 2);
  assert.equal(s.total.error_rate, 1);
  assert.deepEqual(s.total.by_status, { delayed: 0, queued: 0, running: 0, success: 0, error: 1, cancelled: 0, timeout: 1, '': 0 });
  assert.deepEqual(s.total.duration_ms, { count: 2, min: 490, p50: 490, p90: 30001, p99: 30001, max: 30001, mean: 15245.5 });
  assert.deepEqual(s.total.queue_wait_ms, { count: 2, min: 3, p50: 3, p90: 4, p99: 4, max: 4, mean: 3.5 });
  assert.equal(s.total.mem_usage, null);
  assert.equal(s.total.first_created_at, '2017-11-28T17:21:41.456Z');
  assert.deepEqual(s.groups.map((g) => [g.key, g.stats.count, g.stats.duration_ms.max]), [['/error', 1, 490], ['/slow', 1, 30001]]);
  assert.equal(s.buckets, undefined);
  assert.deepEqual(s.issues, []);

  const sample = (mem, cpu) => ({ timestamp: '2017-11-28T17:22:00.000Z', metrics: { mem_usage: mem, cpu_total: cpu, mem_limit: 9223372036854771712n } });
  const calls = [
    call(1, '2017-11-28T17:00:00.000Z', { started_at: '2017-11-28T17:00:00.005Z', completed_at: '2017-11-28T17:00:00.105Z', stats: [sample(10n, 1n), sample(30n, 3n)] }),
    call(2, '2017-11-28T17:03:30.000Z', { status: 'error', stats: [sample(18446744073709551615n, 50n), { timestamp: ZERO, metrics: null }] }),
    call(3, '2017-11-28T17:03:59.999Z', { status: '' }),
    { ...call(4, '2017-11-28T17:04:00.000Z', { status: 'running' }), created_at: ZERO },
  ];
  const t = fc.summarizeCalls(calls, { bucket_seconds: 60, group_by: 'status' });
  assert.equal(t.total.mem_usage.peak, 18446744073709551615n, 'peaks are exact bigints');
  assert.equal(typeof t.total.mem_usage.mean, 'number');
  assert.equal(t.total.mem_usage.samples, 3);
  assert.deepEqual(t.total.cpu_total, { samples: 3, peak: 50n, mean: 18 });
  assert.equal(t.total.error_rate, 0.5);
  assert.equal(t.total.duration_ms.count, 1, 'only the call with both start and completion');
  assert.equal(t.unbucketed, 1);
  assert.deepEqual(t.buckets.map((b) => [b.start, b.end, b.stats.count]), [
    ['2017-11-28T17:00:00.000Z', '2017-11-28T17:01:00.000Z', 1],
    ['2017-11-28T17:01:00.000Z', '2017-11-28T17:02:00.000Z', 0],
    ['2017-11-28T17:02:00.000Z', '2017-11-28T17:03:00.000Z', 0],
    ['2017-11-28T17:03:00.000Z', '2017-11-28T17:04:00.000Z', 2],
  ]);
  assert.deepEqual(t.groups.map((g) => [g.key, g.stats.count, g.buckets.map((b) => b.stats.count)]), [
    ['', 1, [0, 0, 0, 1]],
    ['error', 1, [0, 0, 0, 1]],
    ['running', 1, [0, 0, 0, 0]],
    ['success', 1, [1, 0, 0, 0]],
  ]);

  const bad = (o) => assert.throws(() => fc.summarizeCalls(calls, o), (e) => e instanceof TypeError && e.name === 'CallSummaryError' && e.issues.length > 0);
  bad({ group_by: 'route' });
  bad({ groupBy: 'path' });
  bad({ bucket_seconds: 0 });
  bad({ bucket_seconds: 1.5 });
  const year = [call(1, '2017-01-01T00:00:00.000Z'), call(2, '2017-12-31T00:00:00.000Z')];
  assert.throws(() => fc.summarizeCalls(year, { bucket_seconds: 60 }), (e) => e.name === 'CallSummaryError' && e.issues[0].code === 'too_many_buckets');
  assert.equal(fc.summarizeCalls(year, { bucket_seconds: 86400 }).buckets.length, 365);
});

test('summaries: nothing measurable gives nulls, not zeros', () => {
  const s = fc.summarizeCalls([]);
  assert.equal(s.total.count, 0);
  for (const k of ['error_rate', 'duration_ms', 'queue_wait_ms', 'mem_usage', 'cpu_total', 'first_created_at', 'last_created_at']) {
    assert.equal(s.total[k], null, k);
  }
  const p = fc.summarizeCalls(Array.from({ length: 100 }, (_, i) => call(i, '2017-11-28T17:00:00.000Z', {
    started_at: '2017-11-28T17:00:00.000Z',
    completed_at: new Date(Date.parse('2017-11-28T17:00:00.000Z') + (100 - i)).toISOString(),
  })));
  assert.deepEqual(p.total.duration_ms, { count: 100, min: 1, p50: 50, p90: 90, p99: 99, max: 100, mean: 50.5 });
});

// ----------------------------------------------------------------------------------------------------------------
// Property test: filterCalls against a deliberately naive reading of docs/filtering.md.

function mulberry32(seed) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = seed;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const BASE_S = 1511889700;
const goTime = (ms, offsetMin = 0) => {
  // Go's format in the given offset: shift the wall clock, then write the offset.
  const wall = new Date(ms + offsetMin * 60000).toISOString().slice(0, 23);
  if (offsetMin === 0) return `${wall}Z`;
  const a = Math.abs(offsetMin);
  return `${wall}${offsetMin < 0 ? '-' : '+'}${String(Math.floor(a / 60)).padStart(2, '0')}:${String(a % 60).padStart(2, '0')}`;
};

function randomCall(rnd, n) {
  const below = (k) => Math.floor(rnd() * k);
  const pick = (xs) => xs[below(xs.length)];
  const secs = BASE_S + below(40);
  const createdMs = secs * 1000 + pick([0, 1, 500, 999]);
  const created = below(15) === 0 ? ZERO : goTime(createdMs, pick([0, 180, -450]));
  const startedMs = below(5) === 0 ? null : (secs + below(2)) * 1000 + below(1000);
  const completedMs = startedMs === null || below(5) === 0 ? null : startedMs + below(3000);
  const idMs = below(6) === 0 ? (BASE_S + below(40)) * 1000 : createdMs;
  const c = {
    id: makeId(idMs, below(10) === 0 ? 7 : n),
    status: pick(['', 'success', 'error', 'timeout', 'running']),
    app_name: pick(['a', 'b', '']),
    path: pick(['/x', '/y', '/x/y']),
    url: `u${n}`, // a tag, so calls with equal ids can be told apart
    completed_at: completedMs === null ? ZERO : goTime(completedMs),
    created_at: created,
    started_at: startedMs === null ? ZERO : goTime(startedMs),
  };
  const image = pick(['', 'img:1', 'img:2']);
  if (image) c.image = image;
  const type = pick(['', 'sync', 'async']);
  if (type) c.type = type;
  const format = pick(['', 'default', 'http']);
  if (format) c.format = format;
  const method = pick(['', 'GET', 'POST']);
  if (method) c.method = method;
  const error = pick(['', '', 'container exit code 1', 'container exit code 137', 'context canceled', 'timed out']);
  if (error) c.error = error;
  return c;
}

function randomFilter(rnd, calls) {
  const below = (k) => Math.floor(rnd() * k);
  const pick = (xs) => xs[below(xs.length)];
  const time = () => BASE_S - 1 + below(42);
  const f = {};
  if (below(3) === 0) f.app_name = pick(['a', 'b', 'c']);
  if (below(3) === 0) f.path = pick(['/x', '/y', '/z']);
  if (below(3) === 0) f.from_time = time();
  if (below(3) === 0) f.to_time = time();
  if (below(3) === 0 && calls.length) f.cursor = pick(calls).id;
  if (below(2) === 0) f.per_page = below(20) - 3;
  if (below(3) === 0) f.status = below(2) ? pick(['success', 'error', 'timeout']) : [pick(['', 'success', 'error']), pick(['timeout', 'error'])];
  const e = below(6);
  if (e === 0) f.error = pick(['container exit code 1', 'timed out']);
  if (e === 1) f.error_contains = pick(['exit', 'code 1', 'c']);
  if (e === 2) f.error_pattern = pick(['*exit code ?', 'c*', '*e*d*', '?']);
  if (below(4) === 0) f.type = pick(['sync', 'async']);
  if (below(4) === 0) f.format = pick(['default', 'json']);
  if (below(4) === 0) f.image = pick(['img:1', 'img:2']);
  if (below(4) === 0) f.method = pick(['GET', 'POST']);
  if (below(4) === 0) f.min_duration_ms = below(2000);
  if (below(4) === 0) f.max_duration_ms = (f.min_duration_ms ?? 0) + below(3000);
  if (below(4) === 0) f.created_since = goTime(time() * 1000, 60);
  if (below(4) === 0) {
    const before = time() * 1000 + 500;
    if (f.created_since === undefined || before > Date.parse(f.created_since)) f.created_before = goTime(before);
  }
  if (below(8) === 0) f.all = true;
  return f;
}

/** The naive reading: one documented sentence per line, a recursive wildcard matcher, a stable sort. */
function naive(calls, f) {
  const ms = (s) => Date.parse(s); // every generated time has millisecond precision
  const isZero = (s) => s === ZERO;
  const wild = (p, t) => {
    if (p.length === 0) return t.length === 0;
    if (p[0] === '*') return [...Array(t.length + 1).keys()].some((i) => wild(p.slice(1), t.slice(i)));
    if (p[0] === '?') return t.length > 0 && wild(p.slice(1), t.slice(1));
    return t[0] === p[0] && wild(p.slice(1), t.slice(1));
  };
  const statuses = f.status === undefined ? [] : Array.isArray(f.status) ? f.status : f.status === '' ? [] : [f.status];
  const out = calls.filter((c) => {
    if (f.app_name && c.app_name !== f.app_name) return false;
    if (f.path && c.path !== f.path) return false;
    if (f.cursor && !(c.id < f.cursor)) return false;
    // the server writes the bound in UTC as Go does and compares it with the created_at text
    if (f.from_time !== undefined && !(c.created_at > goTime(f.from_time * 1000))) return false;
    if (f.to_time !== undefined && !(c.created_at < goTime(f.to_time * 1000))) return false;
    if (statuses.length && !statuses.includes(c.status)) return false;
    const error = c.error ?? '';
    if (f.error && error !== f.error) return false;
    if (f.error_contains && !error.includes(f.error_contains)) return false;
    if (f.error_pattern && !wild([...f.error_pattern], [...error])) return false;
    if (f.type && c.type !== f.type) return false;
    if (f.format && c.format !== f.format) return false;
    if (f.image && c.image !== f.image) return false;
    if (f.method && c.method !== f.method) return false;
    if (f.min_duration_ms !== undefined || f.max_duration_ms !== undefined) {
      if (isZero(c.started_at) || isZero(c.completed_at)) return false;
      const d = ms(c.completed_at) - ms(c.started_at);
      if (f.min_duration_ms !== undefined && d < f.min_duration_ms) return false;
      if (f.max_duration_ms !== undefined && d > f.max_duration_ms) return false;
    }
    if (f.created_since && (isZero(c.created_at) || ms(c.created_at) < ms(f.created_since))) return false;
    if (f.created_before && (isZero(c.created_at) || ms(c.created_at) >= ms(f.created_before))) return false;
    return true;
  });
  out.sort((a, b) => (a.id < b.id ? 1 : a.id > b.id ? -1 : 0)); // Array.prototype.sort is stable
  if (f.all) return { tags: out.map((c) => c.url), next_cursor: '' };
  const perPage = f.per_page === undefined || f.per_page <= 0 ? 30 : Math.min(f.per_page, 100);
  const page = out.slice(0, perPage);
  return { tags: page.map((c) => c.url), next_cursor: page.length === perPage ? page[page.length - 1].id : '' };
}

test('property: filterCalls agrees with a naive reference on random calls and filters', () => {
  const rnd = mulberry32(20171128);
  let nonEmpty = 0;
  for (let round = 0; round < 1500; round++) {
    const calls = Array.from({ length: Math.floor(rnd() * 60) }, (_, n) => randomCall(rnd, n));
    const f = randomFilter(rnd, calls);
    const got = fc.filterCalls(calls, f);
    const want = naive(calls, f);
    const where = `round ${round}: ${JSON.stringify(f)}`;
    assert.deepEqual(got.calls.map((c) => c.url), want.tags, where);
    assert.equal(got.next_cursor, want.next_cursor, where);
    if (want.tags.length) nonEmpty++;
  }
  assert.ok(nonEmpty > 300, `the generator should produce matches often enough (${nonEmpty})`);
});

test('property: following next_cursor with unique ids yields every match once, in order', () => {
  const rnd = mulberry32(42);
  for (let round = 0; round < 200; round++) {
    const calls = Array.from({ length: Math.floor(rnd() * 80) }, (_, n) => ({
      ...randomCall(rnd, n),
      id: makeId(BASE_S * 1000 + Math.floor(rnd() * 1e6), n),
    }));
    const f = { ...randomFilter(rnd, calls), cursor: '', all: true };
    const everything = fc.filterCalls(calls, f).calls.map((c) => c.id);
    f.all = false;
    f.per_page = 1 + Math.floor(rnd() * 12);
    const seen = [];
    // Every page but the last holds a call: more pages than calls (+1 for an empty last page) means the cursor
    // does not move forward. Fail rather than loop forever.
    for (let requests = 1; ; requests++) {
      assert.ok(requests <= calls.length + 1, `round ${round}: next_cursor did not end after ${requests} pages over ${calls.length} calls`);
      const page = fc.filterCalls(calls, f);
      seen.push(...page.calls.map((c) => c.id));
      if (page.next_cursor === '') break;
      f.cursor = page.next_cursor;
    }
    assert.deepEqual(seen, everything, `round ${round}`);
  }
});

test('the v2 listing: fn_id, base64url cursors in and out, next_cursor only on a full page, no path or app_name', () => {
  const b64 = (s) => Buffer.from(s).toString('base64url');
  const v2 = (i, fn) => ({
    id: `01CS9GGF9FHGF4F8PK0M00${String(i).padStart(4, '0')}`, status: 'success', completed_at: ZERO, created_at: '2018-09-20T10:00:00.000Z',
    started_at: ZERO, app_id: 'A1', app_name: '', trigger_id: '', fn_id: fn,
  });
  const calls = [...Array.from({ length: 7 }, (_, i) => v2(i, 'F1')), ...Array.from({ length: 3 }, (_, i) => v2(100 + i, 'F2'))];
  const ids = (page) => page.calls.map((c) => c.id.slice(-4));
  const p1 = fc.filterCalls(calls, { fn_id: 'F1', per_page: 3 }, { api: 'v2' });
  assert.deepEqual(ids(p1), ['0006', '0005', '0004']);
  assert.equal(p1.next_cursor, b64(calls[4].id), 'base64url of the last id');
  const p2 = fc.filterCalls(calls, { fn_id: 'F1', per_page: 3, cursor: p1.next_cursor }, { api: 'v2' });
  assert.deepEqual(ids(p2), ['0003', '0002', '0001']);
  const p3 = fc.filterCalls(calls, { fn_id: 'F1', per_page: 3, cursor: p2.next_cursor }, { api: 'v2' });
  assert.deepEqual([ids(p3), p3.next_cursor], [['0000'], ''], 'no cursor on a page that is not full');
  assert.deepEqual(ids(fc.filterCalls(calls, { fn_id: 'F2' }, { api: 'v2' })), ['0102', '0101', '0100']);
  const errs = (f) => {
    try {
      fc.filterCalls(calls, f, { api: 'v2' });
    } catch (e) {
      return e.issues.filter((i) => i.severity === 'error').map((i) => `${i.code} ${i.path}`);
    }
    return [];
  };
  assert.deepEqual(errs({ path: '/x' }), ['not_in_v2 /path']);
  assert.deepEqual(errs({ app_name: 'a' }), ['not_in_v2 /app_name']);
  assert.deepEqual(errs({ cursor: 'MDE=' }), ['bad_cursor /cursor'], 'padding: the v2 server answers 500');
  assert.deepEqual(errs({ cursor: '***' }), ['bad_cursor /cursor']);
  // the same filter as v1 is the raw id
  assert.deepEqual(ids(fc.filterCalls(calls, { fn_id: 'F1', cursor: calls[4].id, per_page: 2 })), ['0003', '0002']);
  // URLs and queries
  assert.equal(fc.listCallsUrl('http://fn:8080', 'F1', { cursor: p1.next_cursor, per_page: 3 }, { api: 'v2' }),
    `http://fn:8080/v2/fns/F1/calls?cursor=${p1.next_cursor}&per_page=3`);
  assert.equal(fc.listCallsUrl('http://fn:8080/v2/', '', { fn_id: 'F 2' }, { api: 'v2' }), 'http://fn:8080/v2/fns/F%202/calls');
  assert.equal(fc.filterToQuery({ from_time: 5, to_time: 9, status: 'error' }, { api: 'v2' }), 'from_time=5&to_time=9');
  assert.throws(() => fc.filterToQuery({ path: '/x' }, { api: 'v2' }), (e) => e.name === 'CallFilterError');
  assert.throws(() => fc.filterCalls(calls, {}, { api: 'v3' }), TypeError);
});

test('a server in another zone: its bounds are written in its offset and compared with the created_at text', () => {
  // 12:00:00+03:00 written by a server in +03:00; from_time 1528794000 is 09:00:00Z = 12:00:00+03:00
  const c = call(1, '2018-06-12T12:00:00.500+03:00');
  const n = (f, zone) => fc.filterCalls([c], f, zone ? { zone } : undefined).calls.length;
  assert.equal(n({ from_time: 1528794000 }, '+03:00'), 1, 'the bound text 12:00:00.000+03:00 sorts before .500');
  assert.equal(n({ from_time: 1528794001 }, '+03:00'), 0);
  assert.equal(n({ from_time: 1528794001 }), 1, 'in UTC the bound is 09:00:01.000Z, and "12:…" sorts after it');
  assert.throws(() => fc.filterCalls([c], {}, { zone: 'Paris' }), TypeError);
});

test('a getter that throws is never read as "not given": filters and summary options report it, options rethrow it', () => {
  const calls = ten();
  const boom = new Error('no status today');
  const throwing = (key, extra = {}) => Object.defineProperty({ ...extra }, key, { enumerable: true, get() { throw boom; } });
  // a filter: a CallFilterError naming the field, never a filter without that condition
  assert.throws(() => fc.filterCalls(calls, throwing('status')), (e) =>
    e.name === 'CallFilterError' && e.issues.some((i) => i.code === 'js_exception' && i.path === '/status' && i.message.includes('no status today')));
  assert.deepEqual(fc.validateFilter(throwing('error_pattern')).map((i) => `${i.code} ${i.path}`), ['js_exception /error_pattern']);
  assert.throws(() => fc.filterToQuery(throwing('from_time')), (e) => e.name === 'CallFilterError');
  // inside an array, and a proxy whose keys cannot be listed
  const arr = ['error'];
  Object.defineProperty(arr, 0, { get() { throw boom; } });
  assert.deepEqual(fc.validateFilter({ status: arr }).map((i) => `${i.code} ${i.path}`), ['js_exception /status/0']);
  const keyless = new Proxy({}, { ownKeys() { throw boom; } });
  assert.deepEqual(fc.validateFilter(keyless).map((i) => `${i.code} ${i.path}`), ['js_exception ']);
  // summary options
  assert.throws(() => fc.summarizeCalls(calls, throwing('group_by')), (e) =>
    e.name === 'CallSummaryError' && e.issues.some((i) => i.code === 'js_exception' && i.path === '/group_by'));
  // option objects of the functions (listing, mode, generation, bulk options): the exception itself
  assert.throws(() => fc.filterCalls(calls, {}, throwing('zone')), (e) => e === boom);
  assert.throws(() => fc.filterCalls(calls, {}, throwing('api')), (e) => e === boom);
  assert.throws(() => fc.parseCall(JSON.stringify(calls[0]), throwing('mode')), (e) => e === boom);
  assert.throws(() => fc.stringifyCall(calls[0], throwing('generation')), (e) => e === boom);
  assert.throws(() => fc.scanCalls(new Uint8Array(), {}, throwing('validate')), (e) => e === boom);
});

test('serverFilter: only the server fields, date-time bounds widened to whole seconds (rounded down, before 1970 too)', () => {
  assert.deepEqual(fc.serverFilter({ app_name: 'a', status: 'error', created_since: '1970-01-01T00:00:01.999Z' }), { from_time: 0 });
  assert.deepEqual(fc.serverFilter({ created_since: '1969-12-31T23:59:59.5Z' }), { from_time: -2 });
  assert.deepEqual(fc.serverFilter({ created_before: '2018-06-12T10:00:00+02:00', path: '/p', cursor: 'c' }), { path: '/p', cursor: 'c', to_time: 1528790401 });
  // a bound already given stays when it is the tighter one
  assert.deepEqual(fc.serverFilter({ from_time: 100, created_since: '1970-01-01T00:00:50Z' }), { from_time: 100 });
  assert.deepEqual(fc.serverFilter({ to_time: 100, created_before: '1970-01-01T00:00:50Z' }), { to_time: 51 });
  assert.deepEqual(fc.serverFilter({}), {});
  assert.throws(() => fc.serverFilter({ created_since: 'nope' }), { name: 'CallFilterError' });
});

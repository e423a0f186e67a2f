// `Call` objects the package made, filtered and summarised: only the fields the operation reads cross into wasm, and
// the rows read are kept for the next call with the same array (docs/filtering.md#call-objects-in-hand). Every answer
// must be the one the full reading of the objects gives: it is compared with the same calls as copies (`{ ...c }`),
// which the package did not make and reads in full. (Deep equality: a field set on a Call is a key at its end, where
// the full reading writes a new object in the generation's key order.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { generateCalls } from '../../scripts/gen-calls.mjs';

const fc = createRequire(import.meta.url)('../../pkg');

/** The NDJSON text of calls of every generation, some with stats samples (bigint metrics). */
function ndjson(count = 400, seed = 5) {
  const lines = [...generateCalls({ count, seed, generation: 'mixed' }), ...generateCalls({ count: 60, seed, generation: 'fleet' })];
  return lines.join('\n');
}
/** Those calls as the package makes them. */
function made(count = 400, seed = 5) {
  const { calls, issues } = fc.parseCalls(ndjson(count, seed));
  assert.deepEqual(issues.filter((i) => i.severity === 'error'), []);
  return calls;
}
const copies = (calls) => calls.map((c) => ({ ...c }));

function filters(calls) {
  const apps = [...new Set(calls.map((c) => c.app_name).filter(Boolean))];
  const fns = [...new Set(calls.map((c) => c.fn_id).filter(Boolean))];
  const mid = calls[Math.floor(calls.length / 2)];
  const t = Math.floor(Date.parse(mid.created_at) / 1000);
  return [
    undefined,
    { per_page: 100 },
    { app_name: apps[0], from_time: t, per_page: 30 },
    { app_name: apps[1], path: calls.find((c) => c.app_name === apps[1])?.path, all: true },
    { status: ['error', 'timeout'], per_page: 7 },
    { status: ['', 'running'], all: true },
    { error_contains: 'exit', error_ignore_case: true, all: true },
    { error_group: 'container exit code <num>', all: true },
    { error_pattern: '*time*', per_page: 100 },
    { type: 'async', format: 'http', all: true },
    { image: mid.image, method: mid.method, all: true },
    { min_duration_ms: 100, max_duration_ms: 5000, all: true },
    { created_since: mid.created_at, to_time: t + 3600, all: true },
    { created_before: mid.created_at, per_page: 3, cursor: mid.id },
    { fn_id: fns[0], all: true },
  ];
}

test('filterCalls on Calls the package made answers as on the same calls read in full, with the objects given', () => {
  const calls = made();
  const plain = copies(calls);
  const text = ndjson();
  const bytes = new TextEncoder().encode(text);
  let nonEmpty = 0;
  for (const f of filters(calls)) {
    for (const options of [undefined, { zone: '+01:00' }]) {
      const got = fc.filterCalls(calls, f, options);
      const want = fc.filterCalls(plain, f, options);
      assert.deepEqual(got, want, JSON.stringify(f));
      // and the same calls as text and as bytes
      assert.deepEqual(got, fc.filterCalls(text, f, options), `text: ${JSON.stringify(f)}`);
      assert.deepEqual(got, fc.filterCalls(bytes, f, options), `bytes: ${JSON.stringify(f)}`);
      for (const c of got.calls) assert.ok(calls.includes(c), 'the page holds the objects given');
      nonEmpty += got.calls.length > 0;
    }
  }
  // the v2 listing, its cursors and its errors
  const fn = calls.find((c) => c.fn_id)?.fn_id;
  const v2 = fc.filterCalls(calls, { fn_id: fn, per_page: 2 }, { api: 'v2' });
  assert.deepEqual(v2, fc.filterCalls(plain, { fn_id: fn, per_page: 2 }, { api: 'v2' }));
  const next = { fn_id: fn, per_page: 2, cursor: v2.next_cursor };
  assert.deepEqual(fc.filterCalls(calls, next, { api: 'v2' }), fc.filterCalls(plain, next, { api: 'v2' }));
  assert.throws(() => fc.filterCalls(calls, { path: '/x' }, { api: 'v2' }), { name: 'CallFilterError' });
  assert.throws(() => fc.filterCalls(calls, { status: 'done' }), { name: 'CallFilterError' });
  assert.ok(nonEmpty > 20, `the filters should select calls (${nonEmpty})`);
});

test('following next_cursor over Calls the package made yields every call once, newest id first', () => {
  const calls = made(900, 8);
  const everything = fc.filterCalls(copies(calls), { all: true }).calls.map((c) => c.id);
  const seen = [];
  const filter = { per_page: 100 };
  for (let pages = 1; ; pages++) {
    assert.ok(pages <= calls.length / 100 + 2, 'next_cursor must end');
    const page = fc.filterCalls(calls, filter);
    seen.push(...page.calls.map((c) => c.id));
    if (page.next_cursor === '') break;
    filter.cursor = page.next_cursor;
  }
  assert.deepEqual(seen, everything);
});

test('a change to the calls or the array after a first filter is seen by the next one', () => {
  const calls = made(300, 11);
  const f = { app_name: calls[0].app_name, all: true };
  const check = (what) => assert.deepEqual(fc.filterCalls(calls, f), fc.filterCalls(copies(calls), f), what);
  check('first');
  const other = calls.find((c) => c.app_name && c.app_name !== f.app_name);
  other.app_name = f.app_name; // a field the filter reads
  check('a field changed');
  calls.push(calls[0]); // the same object twice
  check('an element added');
  calls[5] = made(1, 99)[0];
  check('an element replaced');
  calls.reverse();
  check('the order changed');
  // a second filter reading other fields, then the first again
  const g = { status: 'error', error_contains: 'e', all: true };
  assert.deepEqual(fc.filterCalls(calls, g), fc.filterCalls(copies(calls), g));
  calls[7].error = 'e';
  calls[7].status = 'error';
  assert.deepEqual(fc.filterCalls(calls, g), fc.filterCalls(copies(calls), g));
  check('back to the first filter');
});

test('a Call changed into something no call holds is read in full: left out with its issue, as a copy would be', () => {
  // [key, value, issues]: null is Go's empty value, which the full reading takes (no issue)
  for (const [key, value, issues] of [['status', 'done', 1], ['created_at', 'yesterday', 1], ['app_name', 5, 1], ['type', 'SYNC', 1], ['id', null, 0]]) {
    const calls = made(50, 3);
    fc.filterCalls(calls, { app_name: calls[0].app_name, status: ['success', 'error'], type: 'sync', from_time: 0 });
    calls[2][key] = value;
    const f = { app_name: calls[0].app_name, status: ['success', 'error', 'timeout', 'running'], type: 'sync', from_time: 0, all: true };
    const got = fc.filterCalls(calls, f);
    assert.deepEqual(got, fc.filterCalls(copies(calls), f), key);
    assert.deepEqual(got.issues.map((i) => i.index), issues ? [2] : [], key);
  }
  // A field the filter does not read is not looked at again (docs/filtering.md#call-objects-in-hand): the call stays.
  const calls = made(50, 3);
  calls[2].memory = 'lots';
  const all = fc.filterCalls(calls, { all: true });
  assert.equal(all.calls.length, calls.length);
  assert.deepEqual(all.issues, []);
  assert.equal(fc.filterCalls(copies(calls), { all: true }).issues[0].index, 2);
  // a lone surrogate in a field read: U+FFFD and a warning in a full read, so it is read in full
  const surrogate = made(50, 4);
  surrogate[1].error = 'exit \ud800';
  const f = { error_contains: 'exit', all: true };
  assert.deepEqual(fc.filterCalls(surrogate, f), fc.filterCalls(copies(surrogate), f));
  // a mix of made Calls and plain objects is read in full
  const mixed = [...made(20, 6), { ...made(1, 7)[0] }];
  assert.deepEqual(fc.filterCalls(mixed, { all: true }), fc.filterCalls(copies(mixed), { all: true }));
});

test('summarizeCalls on Calls the package made: the same summary; stats samples are read afresh each time', () => {
  const lines = generateCalls({ count: 200, seed: 12, generation: 'mixed' });
  const withStats = fc.parseCalls(lines.join('\n')).calls.map((c, i) =>
    fc.parseCall(fc.stringifyCall({ ...c, stats: i % 3 ? [] : [
      { timestamp: c.created_at, metrics: { mem_usage: 18446744073709551615n - BigInt(i), cpu_total: BigInt(i) } },
      { timestamp: c.created_at, metrics: null },
      { timestamp: c.created_at, metrics: { net_rx: 1n } },
    ] })));
  for (const options of [undefined, { group_by: 'path' }, { group_by: 'app_name', bucket_seconds: 7 * 86400 }, { group_by: 'status' }]) {
    const got = fc.summarizeCalls(withStats, options);
    assert.deepEqual(got, fc.summarizeCalls(copies(withStats), options), JSON.stringify(options));
  }
  assert.equal(fc.summarizeCalls(withStats).total.mem_usage.peak, 18446744073709551615n);
  withStats[0].stats[0].metrics.mem_usage = 1n; // a sample changed in place
  withStats[3].status = 'timeout';
  const got = fc.summarizeCalls(withStats);
  assert.deepEqual(got, fc.summarizeCalls(copies(withStats)));
  assert.equal(got.total.mem_usage.peak, 18446744073709551615n - 3n);
  withStats[6].stats[0].metrics.cpu_total = -1n; // not a uint64: read in full, and left out with its issue
  const bad = fc.summarizeCalls(withStats);
  assert.deepEqual(bad, fc.summarizeCalls(copies(withStats)));
  assert.equal(bad.issues.length, 1);
});

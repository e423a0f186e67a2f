// The bulk engine from JavaScript: scanCalls, CallStream and CallIndex agree with filterCalls over parseCalls,
// whatever the form of the input and however it is cut into chunks.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { generateCalls } from '../../scripts/gen-calls.mjs';

const require = createRequire(import.meta.url);
const fc = require('../../pkg');
const fixture = (name) => readFileSync(new URL(`../fixtures/${name}`, import.meta.url));
const enc = new TextEncoder();
const dec = new TextDecoder();

const lines = generateCalls({ count: 600, seed: 7, invalid: 6 });
const ndjson = enc.encode(lines.join('\n') + '\n');

function idsOf(bytes, offsets) {
  const ids = [];
  for (let k = 0; k < offsets.length; k += 2) ids.push(fc.parseCall(bytes.subarray(offsets[k], offsets[k + 1])).id);
  return ids;
}

const filters = [
  {},
  { status: 'error' },
  { app_name: 'shop', status: ['error', 'timeout'] },
  { error_contains: 'exit code' },
  { path: '/hello', type: 'async' },
  { min_duration_ms: 1000, format: 'json' },
];

test('scanCalls finds exactly what filterCalls keeps from parseCalls', () => {
  const { calls } = fc.parseCalls(ndjson);
  for (const filter of filters) {
    const want = fc.filterCalls(calls, { ...filter, all: true }).calls.map((c) => c.id).sort();
    for (const validate of ['all', 'matches']) {
      const r = fc.scanCalls(ndjson, filter, { validate });
      assert.ok(r.indices instanceof Uint32Array && r.offsets instanceof Float64Array);
      assert.equal(r.offsets.length, 2 * r.indices.length);
      assert.equal(r.total, lines.filter((l) => l.trim()).length);
      assert.deepEqual(idsOf(ndjson, r.offsets).sort(), want, `${JSON.stringify(filter)} ${validate}`);
      assert.deepEqual([...r.indices], [...r.indices].sort((a, b) => a - b), 'input order');
    }
  }
});

test('inputs larger than one copy slice: records cut between slices are read whole, in every form', () => {
  // scanCalls copies its input into wasm 256 KiB at a time; these inputs span several slices
  const good = lines.filter((l) => { try { return fc.validateCall(l).every((i) => i.severity !== 'error'); } catch { return false; } });
  const big = [...good, ...good, ...good];
  const asArray = enc.encode(`[${big.join(',\n')}]`);
  const asNdjson = enc.encode(big.join('\n'));
  assert.ok(asArray.length > 3 * 256 * 1024);
  for (const filter of filters) {
    const a = fc.scanCalls(asArray, filter);
    const n = fc.scanCalls(asNdjson, filter);
    assert.equal(a.total, big.length);
    assert.deepEqual([...a.indices], [...n.indices], JSON.stringify(filter));
    assert.deepEqual(idsOf(asArray, a.offsets), idsOf(asNdjson, n.offsets));
    assert.deepEqual(a.issues, []);
  }
});

test('bad records are reported with index, line and offset and do not hide the rest', () => {
  const r = fc.scanCalls(ndjson, null);
  const parsed = fc.parseCalls(ndjson);
  const bad = [...new Set(parsed.issues.filter((i) => i.severity === 'error').map((i) => i.index))];
  assert.ok(bad.length >= 3, 'the sample has invalid records');
  assert.deepEqual([...new Set(r.issues.map((i) => i.index))], bad);
  for (const issue of r.issues) {
    assert.equal(typeof issue.line, 'number');
    assert.equal(issue.line, issue.index + 1);
    assert.ok(issue.offset >= 0 && issue.offset <= ndjson.length);
  }
  assert.equal(r.indices.length, parsed.calls.length);
});

test('every form: array, v1 and v2 envelopes, fixtures', () => {
  const page = fixture('generated-v1-calls-list-page.json');
  const r = fc.scanCalls(page, { status: 'timeout' });
  assert.deepEqual([...r.indices], [0]);
  assert.equal(r.next_cursor, '01C01TCYEQ47WGJ00000000000');
  const v2 = fc.scanCalls(fixture('generated-v2-fn-calls-list.json'), null);
  assert.equal(v2.total, 2);
  assert.equal(v2.next_cursor, '01CQV72ZXENG8G00GZJ000000X');
  const array = enc.encode(`[${lines.slice(0, 50).join(',')}]`);
  const asNdjson = enc.encode(lines.slice(0, 50).join('\n'));
  assert.deepEqual([...fc.scanCalls(array, { status: 'success' }).indices], [...fc.scanCalls(asNdjson, { status: 'success' }).indices]);
  for (const empty of ['generated-v1-calls-list-empty-mock.json', 'generated-v1-calls-list-empty-sql.json']) {
    assert.equal(fc.scanCalls(fixture(empty), null).total, 0);
  }
});

test('CallStream: any chunking, even inside UTF-8 characters, gives the same result', () => {
  const text = lines.slice(0, 120).map((l, i) => (i % 7 === 0 ? l.replace('"path":"', '"path":"/é😀') : l)).join('\n');
  const bytes = enc.encode(`{"message":"Successfully listed calls","next_cursor":"","calls":[${text.split('\n').join(',')}]}`);
  for (const input of [enc.encode(text), bytes]) {
    const whole = fc.scanCalls(input, { status: ['success', 'error'] });
    let seed = 1;
    for (const max of [1, 3, 17, 4096]) {
      const stream = new fc.CallStream({ status: ['success', 'error'] });
      for (let at = 0; at < input.length; ) {
        seed = (seed * 1103515245 + 12345) & 0x7fffffff;
        const n = 1 + (seed % max);
        stream.push(input.subarray(at, at + n));
        at += n;
      }
      assert.equal(stream.bytesSeen, input.length);
      const r = stream.finish();
      assert.deepEqual([...r.indices], [...whole.indices]);
      assert.deepEqual([...r.offsets], [...whole.offsets]);
      assert.equal(r.total, whole.total);
      assert.throws(() => stream.push(input), TypeError, 'a finished stream refuses more input');
      stream.free();
    }
  }
});

test('CallStream.takeMatches hands out each match once, as it is found', () => {
  const whole = fc.scanCalls(ndjson, { status: 'error' });
  const stream = new fc.CallStream({ status: 'error' });
  const indices = [], offsets = [];
  for (let at = 0; at < ndjson.length; at += 4096) {
    stream.push(ndjson.subarray(at, at + 4096));
    const m = stream.takeMatches();
    assert.ok(m.indices instanceof Uint32Array && m.offsets instanceof Float64Array);
    indices.push(...m.indices);
    offsets.push(...m.offsets);
    assert.equal(stream.matchCount, indices.length);
  }
  const rest = stream.finish();
  assert.deepEqual([...indices, ...rest.indices], [...whole.indices]);
  assert.deepEqual([...offsets, ...rest.offsets], [...whole.offsets]);
  assert.equal(rest.total, whole.total);
  assert.throws(() => stream.takeMatches(), TypeError);
});

test('CallStream can hand out matches as Go JSON while streaming', () => {
  const stream = new fc.CallStream({ status: 'timeout' }, { records: true });
  const out = [];
  for (let k = 0; k < ndjson.length; k += 10000) {
    stream.push(ndjson.subarray(k, k + 10000));
    out.push(...stream.takeRecords());
  }
  const r = stream.finish();
  assert.equal(out.length, r.indices.length);
  for (const record of out) {
    assert.equal(fc.stringifyCall(fc.parseCall(record)), record);
    assert.equal(fc.parseCall(record).status, 'timeout');
  }
  // the generator writes Go's bytes, so the emitted records are the input lines themselves
  assert.deepEqual(out, [...r.indices].map((i) => lines[i]));
});

test('CallStream: a last line without a newline is handed out by finish()', () => {
  const timeouts = lines.filter((l) => l.includes('"status":"timeout"')).slice(0, 2);
  const stream = new fc.CallStream({ status: 'timeout' }, { records: true });
  stream.push(enc.encode(timeouts.join('\n')));
  const taken = stream.takeRecords();
  const r = stream.finish();
  assert.deepEqual([...taken, ...r.records], timeouts);
});

test('CallStream summary: summarizeCalls of the matches, over every input, chunked anywhere', () => {
  const { calls } = fc.parseCalls(ndjson);
  const array = enc.encode(`[${generateCalls({ count: 80, seed: 9, invalid: 2 }).join(',\n')}]`);
  const more = fc.parseCalls(array).calls;
  for (const [filter, options] of [[{}, {}], [{ status: ['error', 'timeout'] }, { group_by: 'path' }], [{ app_name: 'shop' }, { group_by: 'status', bucket_seconds: 3600 }]]) {
    const stream = new fc.CallStream(filter, { summary: options });
    for (let at = 0; at < ndjson.length; at += 777) stream.push(ndjson.subarray(at, at + 777));
    const first = stream.finishInput();
    assert.equal(first.summary, undefined, 'the summary comes with finish()');
    assert.equal(first.form, 'ndjson');
    assert.equal(first.total, lines.length);
    stream.push(array);
    const second = stream.finishInput();
    assert.equal(second.form, 'array');
    assert.equal(second.total, fc.scanCalls(array, null).total);
    assert.ok(second.issues.length > 0 && second.issues.every((i) => i.index < second.total), 'issues counted from the input\'s start');
    const { summary } = stream.finish();
    stream.free();
    const want = fc.summarizeCalls(fc.filterCalls([...calls, ...more], { ...filter, all: true }).calls, options);
    assert.deepEqual(summary, { ...want, issues: [] }, JSON.stringify([filter, options]));
    assert.equal(typeof summary.total.mem_usage.peak, 'bigint');
  }
  assert.equal(fc.scanCalls(ndjson, null).summary, undefined, 'no summary unless asked');
  assert.deepEqual(fc.scanCalls(ndjson, null, { summary: {} }).summary.total, fc.summarizeCalls(calls).total);
  assert.throws(() => new fc.CallStream(null, { summary: { group_by: 'image' } }), { name: 'CallSummaryError' });
  assert.throws(() => new fc.CallIndex(ndjson, { summary: {} }), TypeError);
  const tooMany = new fc.CallStream(null, { summary: { bucket_seconds: 1 } });
  tooMany.push(ndjson);
  assert.throws(() => tooMany.finish(), { name: 'CallSummaryError', message: /too_many_buckets|buckets/ });
});

test('CallIndex keeps every record, good or bad: records, recordRange, recordOf, form', () => {
  const index = new fc.CallIndex(ndjson);
  assert.equal(index.form, 'ndjson');
  assert.equal(index.records, lines.length);
  let at = 0;
  for (let k = 0; k < lines.length; k++) {
    assert.deepEqual([...index.recordRange(k)], [at, at + lines[k].length]);
    at += lines[k].length + 1;
  }
  const bad = index.issues.find((i) => i.severity === 'error').index;
  assert.equal(dec.decode(ndjson.subarray(...index.recordRange(bad))), lines[bad]);
  for (let p = 0; p < index.length; p += 37) assert.deepEqual([...index.recordRange(index.recordOf(p))], [...index.range(p)]);
  assert.throws(() => index.recordRange(lines.length), RangeError);
  assert.throws(() => index.recordOf(index.length), RangeError);
  index.free();
  const envelope = new fc.CallIndex(fixture('generated-v2-fn-calls-list.json'));
  assert.equal(envelope.form, 'envelope');
  envelope.free();
  const empty = new fc.CallIndex(new Uint8Array());
  assert.equal(empty.form, null);
  assert.equal(empty.records, 0);
  empty.free();
});

test('CallIndex pages, filters and summarises like filterCalls and summarizeCalls', () => {
  const { calls } = fc.parseCalls(ndjson);
  const index = new fc.CallIndex(ndjson);
  assert.equal(index.length, calls.length);
  assert.ok(index.issues.length > 0);
  for (const filter of filters) {
    let cursor = '';
    // Pages of 25 over calls.length calls: more pages than that means the cursor does not move forward.
    for (let requests = 1; ; requests++) {
      assert.ok(requests <= Math.ceil(calls.length / 25) + 1, `${JSON.stringify(filter)}: next_cursor did not end after ${requests} pages`);
      const f = { ...filter, per_page: 25, ...(cursor ? { cursor } : {}) };
      const want = fc.filterCalls(calls, f);
      const page = index.filter(f);
      assert.ok(page.positions instanceof Uint32Array);
      assert.deepEqual(index.slice(0).length, calls.length);
      assert.deepEqual([...page.positions].map((p) => index.get(p).id), want.calls.map((c) => c.id), JSON.stringify(f));
      assert.equal(page.next_cursor, want.next_cursor);
      if (!page.next_cursor) break;
      cursor = page.next_cursor;
    }
  }
  const opts = { group_by: 'path', bucket_seconds: 3600 };
  const want = fc.summarizeCalls(calls, opts);
  const got = index.summarize(opts);
  assert.deepEqual({ ...got, issues: [] }, { ...want, issues: [] });
  const errors = index.filter({ status: 'error', all: true });
  assert.deepEqual(index.summarize(null, errors.positions).total, fc.summarizeCalls(calls.filter((c) => c.status === 'error')).total);
  assert.deepEqual(index.get(3), calls[3]);
  assert.deepEqual([...index.range(0)], [0, lines[0].length]);
  assert.throws(() => index.get(index.length), RangeError);
  index.free();
});

test('CallIndex.rows gives the table fields of each call, from the columns, exactly', () => {
  const index = new fc.CallIndex(ndjson);
  const calls = index.slice(0);
  const rows = index.rows();
  assert.equal(rows.length, calls.length);
  rows.forEach((r, k) => {
    const c = calls[k];
    assert.equal(r.position, k);
    for (const key of ['id', 'status', 'app_name']) assert.equal(r[key], c[key]);
    for (const key of ['path', 'image', 'method', 'error']) assert.equal(r[key], c[key] ?? '');
    assert.equal(r.created_at, c.created_at);
    assert.equal(r.created_ms, Date.parse(c.created_at));
    const zero = (t) => t.startsWith('0001-01-01T00:00:00');
    assert.equal(r.duration_ms, zero(c.started_at) || zero(c.completed_at) ? null : Date.parse(c.completed_at) - Date.parse(c.started_at));
    const samples = (c.stats ?? []).map((s) => s.metrics?.mem_usage).filter((m) => m !== undefined);
    assert.equal(r.mem_peak, samples.length ? samples.reduce((a, b) => (b > a ? b : a)) : null);
    if (r.mem_peak !== null) assert.equal(typeof r.mem_peak, 'bigint');
  });
  assert.ok(rows.some((r) => r.mem_peak !== null) && rows.some((r) => r.duration_ms !== null), 'the sample exercises both');
  assert.deepEqual(index.rows(5, 8).map((r) => r.position), [5, 6, 7]);
  assert.deepEqual(index.rows(index.length + 5), []);
  assert.deepEqual(index.rows(9, 3), []);
  index.free();
});

test('CallIndex is disposable with using-style Symbol.dispose', () => {
  const index = new fc.CallIndex(ndjson);
  assert.equal(typeof index[Symbol.dispose], 'function');
  index[Symbol.dispose]();
});

test('bad filters and options are refused clearly', () => {
  assert.throws(() => fc.scanCalls(ndjson, { status: 'done' }), { name: 'CallFilterError' });
  assert.throws(() => fc.scanCalls(ndjson, null, { validate: 'some' }), TypeError);
  assert.throws(() => fc.scanCalls(ndjson, null, { records: true }), TypeError);
  assert.throws(() => new fc.CallStream({ appName: 'x' }), { name: 'CallFilterError' });
  assert.equal(fc.scanCalls(new Uint8Array(), null).total, 0);
  for (const notBytes of ['{"id":"x"}', null, undefined, [1, 2], new Uint16Array(4)]) {
    assert.throws(() => fc.scanCalls(notBytes, null), { name: 'TypeError', message: /bytes must be a Uint8Array/ });
  }
  assert.equal(fc.scanCalls(Buffer.from(ndjson), null).total, fc.scanCalls(ndjson, null).total, 'a Node Buffer is a Uint8Array');
  const r = fc.scanCalls(enc.encode('{"id":'), null);
  assert.equal(r.issues[0].code, 'truncated');
});

test('every plain options object is read the same way: unknown keys, non-objects and bad values are TypeErrors', () => {
  const call = fc.parseCalls(ndjson).calls[0];
  const unknown = [
    [() => fc.scanCalls(ndjson, null, { validate: 'all', limit: 1 }), /unknown option 'limit': the options are mode, validate, warnings, ranges, summary, max_record_bytes$/],
    [() => new fc.CallStream(null, { record: true }), /unknown option 'record': the options are mode, validate, warnings, records, ranges, summary, max_record_bytes$/],
    [() => new fc.CallIndex(ndjson, { ranges: true }), /unknown option 'ranges': the options are mode, validate, warnings, max_record_bytes$/],
    [() => fc.parseCall(lines[0], { mode: 'strict', strict: true }), /unknown option 'strict': the only option is mode$/],
    [() => fc.filterCalls([call], {}, { api: 'v1', zones: 'Z' }), /unknown option 'zones': the options are api, zone$/],
    [() => fc.listCallsUrl('http://fn', 'a', {}, { API: 'v2' }), /unknown option 'API'/],
    [() => fc.stringifyCall(call, { generation: '0.3.688', indent: 2 }), /unknown option 'indent': the only option is generation$/],
  ];
  for (const [f, message] of unknown) assert.throws(f, (e) => e instanceof TypeError && message.test(e.message), String(f));
  for (const notOptions of ['strict', 3, [1], true]) {
    assert.throws(() => fc.scanCalls(ndjson, null, notOptions), { name: 'TypeError', message: /options must be an object/ });
    assert.throws(() => fc.parseCall(lines[0], notOptions), { name: 'TypeError', message: /options must be an object/ });
    assert.throws(() => fc.filterToQuery({}, notOptions), { name: 'TypeError', message: /options must be an object/ });
  }
  // undefined values are no values; objects without a prototype are objects
  assert.equal(fc.scanCalls(ndjson, null, { mode: undefined, other: undefined }).total, lines.length);
  assert.equal(fc.scanCalls(ndjson, null, Object.assign(Object.create(null), { validate: 'matches' })).total, lines.length);
  assert.equal(fc.stringifyCall(call, { generation: undefined }), fc.stringifyCall(call));
  assert.throws(() => fc.scanCalls(ndjson, null, { mode: 'lenient' }), { name: 'TypeError', message: /options.mode must be "observed" or "strict"/ });
  assert.throws(() => fc.scanCalls(ndjson, null, { ranges: 1 }), { name: 'TypeError', message: /options.ranges must be true or false/ });
});

test('matched slices decode to the same calls as parseCalls', () => {
  const r = fc.scanCalls(ndjson, { app_name: 'shop' });
  const first = dec.decode(ndjson.subarray(r.offsets[0], r.offsets[1]));
  assert.equal(first, lines[r.indices[0]]);
});

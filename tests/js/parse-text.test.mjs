// Reading text builds each call a Go server wrote by JSON.parse of the call's own text (the core checks that this
// gives exactly its Call object; numbers beyond 2^53 are quoted first). UTF-8 bytes are read the same way, with the
// text decoded from them; bytes in shared memory (a SharedArrayBuffer) are read the other way, through the JSON the
// core writes for the call it read in full. These tests hold the three to the same answers, key order included, on
// every generation, odd spellings, bad records and text beyond ASCII.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { generateCalls } from '../../scripts/gen-calls.mjs';

const require = createRequire(import.meta.url);
const fc = require('../../pkg');
const fixtures = new URL('../fixtures/', import.meta.url);

/** Everything observable of a value: key order, types (bigint apart from number, -0 apart from 0), values. */
function shape(v) {
  if (typeof v === 'bigint') return `${v}n`;
  if (typeof v === 'number') return Object.is(v, -0) ? '-0' : v;
  if (Array.isArray(v)) return v.map(shape);
  if (v !== null && typeof v === 'object') {
    return { proto: Object.getPrototypeOf(v) === Object.prototype, keys: Reflect.ownKeys(v).map(String), values: Object.values(v).map(shape) };
  }
  return v;
}

/** The UTF-8 of `text` in shared memory: read in full, never through a decoded copy of the text. */
function sharedBytes(text) {
  const bytes = new TextEncoder().encode(text);
  const shared = new Uint8Array(new SharedArrayBuffer(bytes.length));
  shared.set(bytes);
  return shared;
}

/** parseCalls of `text` as text, as its UTF-8 bytes and as those bytes in shared memory give the same calls, cursor
 * and issues. */
function same(text, label) {
  const fromText = fc.parseCalls(text);
  const fromShared = fc.parseCalls(sharedBytes(text));
  for (const [other, how] of [[fc.parseCalls(new TextEncoder().encode(text)), 'bytes'], [fromShared, 'shared bytes']]) {
    assert.deepEqual(shape(fromText.calls), shape(other.calls), `${label}: ${how}`);
    assert.equal(fromText.next_cursor, other.next_cursor, `${label}: ${how}`);
    assert.deepEqual(fromText.issues, other.issues, `${label}: ${how}`);
  }
  return fromText;
}

const generations = ['0.3.205', 'mixed', 'fleet'];

test('text and bytes give the same calls for every generation and form', () => {
  for (const generation of generations) {
    const lines = generateCalls({ count: 400, seed: 11, generation, invalid: 20 });
    same(`[${lines.join(',')}]`, `${generation} array`);
    same(`[\n  ${lines.join(',\n  ')}\n]\n`, `${generation} array, one call a line`);
    same(lines.join('\n') + '\n', `${generation} NDJSON`);
    same(lines.join('\r\n'), `${generation} NDJSON, CRLF, no last newline`);
    same(`{"message":"Successfully listed calls","next_cursor":"x","calls":[${lines.join(',')}]}`, `${generation} v1 envelope`);
    same(`{"next_cursor":"MDFDUVY3MlpYRU5HOEcwMEdaSjAwMDAwMFg","items":[${lines.join(',')}]}`, `${generation} v2 envelope`);
  }
});

test('the fixtures read the same as text and as bytes', () => {
  for (const name of readdirSync(fixtures).filter((f) => f.endsWith('.json'))) {
    same(readFileSync(new URL(name, fixtures), 'utf8'), name);
  }
});

test('calls that JSON.parse alone would get wrong are still exact', () => {
  const base = JSON.parse(generateCalls({ count: 1, seed: 3 })[0]);
  const text = JSON.stringify(base);
  const variants = {
    'uint64 beyond 2^53': text.replace(/"memory":\d+/, '"memory":18446744073709551615'),
    '2^53 itself': text.replace(/"memory":\d+/, '"memory":9007199254740992'),
    'metrics beyond 2^53': text.replace(/}$/, ',"stats":[{"timestamp":"2018-06-12T17:59:45.000Z","metrics":{"cpu_total":3,"mem_limit":9223372036854771712}}]}'),
    'metrics unsorted': text.replace(/}$/, ',"stats":[{"timestamp":"2018-06-12T17:59:45.000Z","metrics":{"mem_usage":3,"cpu_total":4}}]}'),
    'metrics before timestamp': text.replace(/}$/, ',"stats":[{"metrics":{"cpu_total":4},"timestamp":"2018-06-12T17:59:45.000Z"}]}'),
    'an offset of +00:00': text.replace(/"created_at":"([^"]+)Z"/, '"created_at":"$1+00:00"'),
    'six fraction digits': text.replace(/"created_at":"([^".]+)\.(\d{3})Z"/, '"created_at":"$1.$2456Z"'),
    'no fraction': text.replace(/"created_at":"([^".]+)\.(\d{3})Z"/, '"created_at":"$1Z"'),
    'an empty value Go omits': text.replace(/"image":"[^"]*"/, '"image":""'),
    'keys out of order': text.replace(/"id":("[^"]*"),"status":("[^"]*")/, '"status":$2,"id":$1'),
    'an env map unsorted': text.replace(/"id":/, '"base_env":{"B":"1","A":"2"},"id":'),
    'escapes and text beyond ASCII': text.replace(/"app_name":"[^"]*"/, '"app_name":"caf\\u00e9 ☕ 𝄞 \\ud834\\udd1e"'),
    'whitespace': text.replace(/,"/g, ', "').replace(/":/g, '" : '),
  };
  for (const [label, variant] of Object.entries(variants)) {
    assert.notEqual(variant, text, label);
    const one = same(`[${variant}]`, label);
    assert.equal(one.calls.length, 1, label);
    same(`[${text},${variant},${text}]`, `${label}, between others`);
    same(`${variant}\n${text}\n`, `${label}, NDJSON`);
  }
  const big = fc.parseCalls(`[${variants['uint64 beyond 2^53']}]`).calls[0];
  assert.equal(big.memory, 18446744073709551615n);
  const metrics = fc.parseCalls(`[${variants['metrics beyond 2^53']}]`).calls[0].stats[0].metrics;
  assert.deepEqual(metrics, { cpu_total: 3n, mem_limit: 9223372036854771712n });
});

test('later generations, annotations and headers read the same as text and as bytes', () => {
  const lines = generateCalls({ count: 300, seed: 5, generation: '0.3.719' });
  const text = `[${lines.join(',')}]`;
  const { calls } = same(text, '0.3.719');
  assert.equal(calls.length, 300);
  const withAnnotations = lines.map((l) => l.replace(/"syslog_url"/, '"annotations":{"fnproject.io/fn/invokeEndpoint":"http://x/invoke/1","n":1.50},"syslog_url"'));
  const { calls: annotated } = same(`[${withAnnotations.join(',')}]`, 'annotations');
  assert.ok(annotated.some((c) => c.annotations?.n === '1.50'), 'an annotation is its JSON text, as written');
});

test('text beyond ASCII before, inside and between calls keeps every call in its place', () => {
  const lines = generateCalls({ count: 50, seed: 9, generation: 'mixed' })
    .map((l, i) => (i % 3 === 0 ? l.replace(/"error":"/, '"error":"é€𝄞 ') : l));
  const spaced = `[\u2028 ${lines.join(' ,\u00a0\n')}]`;
  // U+2028 and U+00A0 are not JSON whitespace: the same answer (errors) both ways
  same(spaced, 'non-JSON whitespace');
  same(`[${lines.join(',')}]`, 'non-ASCII values');
  same(lines.join('\n'), 'non-ASCII NDJSON');
});

test('bytes that are not UTF-8, or begin with a BOM, answer as when read in full; every byte view alike', () => {
  const lines = generateCalls({ count: 30, seed: 5 });
  const good = new TextEncoder().encode(`[${lines.join(',')}]`);
  const at = good.indexOf(0x22, good.indexOf(0x3a, 200)) + 1; // inside a string value of the first call
  const bad = good.slice();
  bad[at] = 0xff;
  const bom = new Uint8Array([0xef, 0xbb, 0xbf, ...good]);
  for (const [bytes, label] of [[bad, 'a 0xFF byte'], [bom, 'a BOM'], [good, 'UTF-8']]) {
    const shared = new Uint8Array(new SharedArrayBuffer(bytes.length));
    shared.set(bytes);
    const full = fc.parseCalls(shared);
    const copy = new ArrayBuffer(bytes.length + 8);
    new Uint8Array(copy, 4, bytes.length).set(bytes);
    for (const view of [bytes, bytes.buffer, new DataView(copy, 4, bytes.length), Buffer.from(bytes)]) {
      const got = fc.parseCalls(view);
      assert.deepEqual(shape(got.calls), shape(full.calls), label);
      assert.deepEqual(got.issues, full.issues, label);
    }
    if (bytes === good) assert.equal(full.calls.length, 30);
    else assert.ok(full.issues.some((i) => i.severity === 'error'), label);
  }
  const one = new TextEncoder().encode(lines[0]);
  const badOne = one.slice();
  badOne[at - 1] = 0xff;
  assert.deepEqual(shape(fc.safeParseCall(badOne)), shape(fc.safeParseCall(sharedBytes(lines[0]).map((b, i) => (i === at - 1 ? 0xff : b)))));
  assert.equal(fc.safeParseCall(badOne).success, false);
});

test('calls read from text are the package’s own Call objects', () => {
  const lines = generateCalls({ count: 200, seed: 2 });
  const { calls } = fc.parseCalls(`[${lines.join(',')}]`);
  const fromBytes = fc.parseCalls(sharedBytes(`[${lines.join(',')}]`)).calls;
  const page = fc.filterCalls(calls, { per_page: 30 });
  const pageOfBytes = fc.filterCalls(fromBytes, { per_page: 30 });
  assert.deepEqual(shape(page), shape(pageOfBytes));
  assert.ok(page.calls.every((c) => calls.includes(c)), 'a page holds the very objects given');
  assert.deepEqual(Object.keys(calls[0]), Object.keys(JSON.parse(lines[0])));
});

test('one call read from text is the same as from its bytes, and as read in full: parseCall and safeParseCall', () => {
  const lines = [
    ...generateCalls({ count: 150, seed: 4, generation: 'mixed', invalid: 10 }),
    ...generateCalls({ count: 50, seed: 6, generation: '0.3.719' }),
  ];
  const base = lines[0];
  lines.push(
    base.replace(/"memory":\d+/, '"memory":18446744073709551615'),
    base.replace(/"created_at":"([^"]+)Z"/, '"created_at":"$1+00:00"'),
    base.replace(/"app_name":"[^"]*"/, '"app_name":"caf\\u00e9 ☕ 𝄞"'),
    `  ${base}\n`,
    `{"message":"Successfully loaded call","call":${base}}`,
    '{}',
    'not json',
  );
  let made = 0;
  for (const line of lines) {
    const a = fc.safeParseCall(line);
    assert.deepEqual(shape(a), shape(fc.safeParseCall(new TextEncoder().encode(line))), line);
    assert.deepEqual(shape(a), shape(fc.safeParseCall(sharedBytes(line))), line);
    if (a.success) {
      made += 1;
      assert.deepEqual(shape(fc.parseCall(line)), shape(a.data), line);
      assert.equal(fc.filterCalls([a.data]).calls[0], a.data, 'a Call of the package');
    } else {
      assert.throws(() => fc.parseCall(line), (e) => e.name === 'CallValidationError' && e.issues.length === a.issues.length);
    }
  }
  assert.ok(made > 150, `${made}`);
  assert.equal(fc.parseCall(lines[200]).memory, 18446744073709551615n);
});

test('filterCalls and summarizeCalls of text and bytes answer as the calls read in full do, errors included', () => {
  const lines = [
    ...generateCalls({ count: 300, seed: 21, generation: 'mixed', invalid: 12 }),
    ...generateCalls({ count: 100, seed: 22, generation: 'fleet', invalid: 4 }),
  ].map((l, i) => (i % 17 === 0 ? l.replace(/"memory":\d+/, '"memory":18446744073709551615') : l));
  // (a record cut off inside a string would swallow the rest of an array, as it should: the array gets only JSON)
  const json = lines.filter((l) => { try { JSON.parse(l); return true; } catch { return false; } });
  for (const text of [lines.join('\n'), `[${json.join(',')}]`]) {
    const parsed = fc.parseCalls(text);
    const errors = parsed.issues.filter((i) => i.severity === 'error');
    assert.ok(errors.length >= 4, `${errors.length}`);
    const copies = parsed.calls.map((c) => ({ ...c }));
    const mid = parsed.calls[200];
    for (const f of [undefined, { all: true }, { per_page: 7 }, { status: ['error', 'timeout'], all: true },
      { created_before: mid.created_at, per_page: 5, cursor: mid.id }, { app_name: mid.app_name, all: true }]) {
      const want = fc.filterCalls(copies, f);
      for (const input of [text, new TextEncoder().encode(text)]) {
        const got = fc.filterCalls(input, f);
        assert.deepEqual(shape(got.calls), shape(want.calls), JSON.stringify(f));
        assert.equal(got.next_cursor, want.next_cursor);
        assert.deepEqual(got.issues, errors);
      }
    }
    for (const options of [undefined, { group_by: 'path', bucket_seconds: 86400 }]) {
      const want = fc.summarizeCalls(copies, options);
      for (const input of [text, new TextEncoder().encode(text)]) {
        const got = fc.summarizeCalls(input, options);
        assert.deepEqual({ ...got, issues: [] }, { ...want, issues: [] });
        assert.deepEqual(got.issues, errors);
      }
    }
  }
});

/**
 * One call as the walker reads it, which the plain-object text route declines: given a `toJSON` that is not
 * enumerable (the walker reads only the enumerable keys; JSON.stringify would call it), or (`how` = 'class') made an
 * instance of a class.
 */
function walkedOne(call, how = 'toJSON') {
  class Other {}
  if (how === 'class') return Object.assign(new Other(), call);
  return Object.defineProperty({ ...call }, 'toJSON', { value: () => null, enumerable: false });
}

test('the oracle: walkedOne and walked send calls to the walker, which reads each value once', () => {
  const base = JSON.parse(generateCalls({ count: 1, seed: 3 })[0]);
  for (const how of ['toJSON', 'class']) {
    let reads = 0;
    const counted = Object.defineProperty({ ...base }, 'path', { enumerable: true, get() { reads += 1; return '/x'; } });
    assert.equal(fc.parseCalls(walked([base, counted], how)).calls[1].path, '/x');
    assert.equal(reads, 1, how);
    reads = 0;
    assert.equal(fc.safeParseCall(walkedOne(counted, how)).data.path, '/x');
    assert.equal(reads, 1, how);
  }
  let reads = 0;
  const counted = Object.defineProperty({ ...base }, 'path', { enumerable: true, get() { reads += 1; return '/x'; } });
  assert.equal(fc.parseCalls([counted]).calls[0].path, '/x');
  assert.ok(reads > 1, 'the text route reads a getter more than once (documented)');
});

/** What `stringifyCall` gives: its text, or the error it throws with its issues. */
function stringified(call, options) {
  try {
    return fc.stringifyCall(call, options);
  } catch (e) {
    return { name: e.name, message: e.message, issues: e.issues };
  }
}

/** The same calls as the walker reads them: the last one as `walkedOne` makes it. */
function walked(calls, how = 'toJSON') {
  return [...calls.slice(0, -1), walkedOne(calls.at(-1), how)];
}

test('plain objects filter and summarise as the walker reads them: JSON.parse output, copies, and odd values', () => {
  const lines = [
    ...generateCalls({ count: 200, seed: 31, generation: 'mixed', invalid: 8 }),
    ...generateCalls({ count: 80, seed: 32, generation: 'fleet' }),
  ].filter((l) => { try { JSON.parse(l); return true; } catch { return false; } });
  // As a user would have them: metrics beyond 2^53 already rounded. An annotation in a call object is its JSON text,
  // so the string ones Go wrote are made numbers and objects here (a string one is the walker's to judge).
  const parsed = lines.map((l) => JSON.parse(l)).map((c) => (c.annotations ? { ...c, annotations: { n: 1.5, o: { a: [1, 'x'] } } } : c));
  const made = fc.parseCalls(lines.join('\n')).calls;
  // bigints, and each annotation as its JSON text (the walker's to judge: see plainJson)
  const copies = made.map((c) => ({ ...c, stats: c.stats?.map((s) => ({ ...s })) }));
  const odd = parsed.slice(0, 60).map((c, i) => {
    const o = { ...c };
    if (i % 6 === 0) o.created_at = new Date(Date.parse(c.created_at)); // a Date: its ISO text
    if (i % 6 === 1) o.image = undefined; // left out
    if (i % 6 === 2) o.memory = BigInt(o.memory ?? 0) + 9007199254740993n; // beyond 2^53
    if (i % 6 === 3) {
      o.timeout = -0;
      // a number beyond 2^53 (Docker's mem_limit after JSON.parse): the walker writes its exact value
      o.stats = [{ timestamp: c.created_at, metrics: { cpu_total: 3, mem_limit: 9223372036854771712 } }];
    }
    if (i % 6 === 4) o.error = 'a \ud800 lone surrogate';
    if (i % 6 === 5) o.app_name = 'caf\u00e9 ☕';
    return o;
  });
  const mid = parsed[100];
  const filters = [undefined, { all: true }, { per_page: 9 }, { status: ['error', 'timeout'], all: true },
    { created_before: mid.created_at, per_page: 5, cursor: mid.id }, { app_name: mid.app_name, all: true }];
  for (const [label, calls] of [['JSON.parse output', parsed], ['copies of Calls', copies], ['odd values', odd],
    ['an envelope', { message: 'm', next_cursor: '', calls: parsed }]]) {
    const other = Array.isArray(calls) ? walked(calls) : { ...calls, calls: walked(calls.calls) };
    for (const f of filters) {
      assert.deepEqual(shape(fc.filterCalls(calls, f)), shape(fc.filterCalls(other, f)), `${label}: ${JSON.stringify(f)}`);
    }
    if (Array.isArray(calls)) assert.deepEqual(shape(fc.filterCalls(calls)), shape(fc.filterCalls(walked(calls, 'class'))), label);
    assert.deepEqual(fc.summarizeCalls(calls, { group_by: 'status' }), fc.summarizeCalls(other, { group_by: 'status' }), label);
    // parseCalls: the same calls, cursor and issues, warnings and their order included
    assert.deepEqual(shape(fc.parseCalls(calls)), shape(fc.parseCalls(other)), `parseCalls: ${label}`);
    if (Array.isArray(calls)) assert.deepEqual(shape(fc.parseCalls(calls)), shape(fc.parseCalls(walked(calls, 'class'))), label);
  }
  // one call: parseCall, safeParseCall, validateCall and stringifyCall (the package's Calls too)
  let built = 0;
  for (const [i, call] of [...parsed.slice(0, 120), ...copies.slice(0, 40), ...odd, ...made.slice(0, 40)].entries()) {
    const other = walkedOne(call);
    const got = fc.safeParseCall(call);
    assert.deepEqual(shape(got), shape(fc.safeParseCall(other)), `call ${i}`);
    assert.deepEqual(fc.validateCall(call), fc.validateCall(other), `call ${i}`);
    for (const options of [undefined, { generation: '0.3.205' }, { generation: '0.3.688' }]) {
      assert.deepEqual(stringified(call, options), stringified(other, options), `stringifyCall of call ${i}`);
    }
    if (got.success) {
      built += 1;
      assert.deepEqual(shape(fc.parseCall(call)), shape(got.data), `call ${i}`);
      assert.equal(fc.filterCalls([got.data]).calls[0], got.data, 'a Call of the package');
    }
  }
  assert.ok(built > 150, `${built}`);
});

test('plain objects with integers past 2^53 − 1 warn as the walker does, in its order, at its paths', () => {
  const base = JSON.parse(generateCalls({ count: 1, seed: 3 })[0]);
  const sample = (metrics) => ({ timestamp: base.created_at, metrics });
  const calls = [
    { ...base, memory: 2 ** 60 },
    { ...base, stats: [sample({ a: 2 ** 53, b: 2 ** 53 - 1, c: 2 ** 53 + 2 }), sample({ 'm/x~y': 9223372036854775807 })] },
    { ...base, memory: 9007199254740993n, timeout: 2 ** 54 },
    base,
    { ...base, stats: [sample({ n: -(2 ** 53) })] },
  ];
  for (const input of [calls, { message: 'm', next_cursor: 'c', calls }, calls[1]]) {
    const got = fc.parseCalls(input);
    const warned = got.issues.filter((i) => i.code === 'unsafe_integer');
    assert.deepEqual(shape(got), shape(fc.parseCalls(Array.isArray(input) ? walked(input) : walkedOne(input))));
    if (input === calls) {
      assert.deepEqual(warned.map((i) => i.path), ['/0/memory', '/1/stats/0/metrics/a', '/1/stats/0/metrics/c', '/1/stats/1/metrics/m~1x~0y', '/2/timeout', '/4/stats/0/metrics/n']);
      assert.deepEqual(got.issues.filter((i) => i.severity === 'error').map((i) => [i.index, i.code]), [[2, 'out_of_range'], [4, 'out_of_range']]);
      assert.equal(warned[3].message, '9223372036854775808 is above 2^53 − 1, so JavaScript may already have rounded it; pass a bigint');
      assert.equal(got.calls[1].stats[1].metrics['m/x~y'], 9223372036854775808n);
    }
  }
  for (const call of calls) {
    const other = walkedOne(call);
    assert.deepEqual(shape(fc.safeParseCall(call)), shape(fc.safeParseCall(other)));
    assert.deepEqual(fc.validateCall(call), fc.validateCall(other));
    assert.deepEqual(stringified(call), stringified(other));
  }
  // a rounded integer is written as the number JavaScript holds, as the walker writes it
  assert.match(fc.stringifyCall({ ...base, stats: [sample({ c: 2 ** 53 + 2 })] }), /"c":9007199254740994\}/);
  assert.deepEqual(fc.safeParseCall(calls[0]).warnings.map((i) => [i.code, i.path]), [['unsafe_integer', '/memory'], ['memory_range', '/memory']]);
});

test('plain objects whose rounded integers are hard to write exactly still read as the walker reads them', () => {
  const base = JSON.parse(generateCalls({ count: 1, seed: 3 })[0]);
  const sample = (metrics) => ({ timestamp: base.created_at, metrics });
  const big = 9223372036854775807; // JavaScript's 9223372036854775808, which JSON.stringify writes 9223372036854776000
  const many = Object.fromEntries(Array.from({ length: 12 }, (_, i) => [`m${i}`, 2 ** 60 + i * 2 ** 10]));
  const cases = {
    'the rounded token also in a string': [{ ...base, error: 'limit:9223372036854776000,x', stats: [sample({ mem_limit: big })] }],
    'the rounded token also in a key': [{ ...base, base_env: { '9223372036854776000': 'x' }, stats: [sample({ m: big })] }],
    'the rounded token in a string and not as a number': [{ ...base, error: '[9223372036854776000]', stats: [sample({ m: 1 })] }],
    'many different rounded integers': [{ ...base, stats: [sample(many)] }],
    'a few different rounded integers, interleaved': [{ ...base, stats: [sample({ a: big, b: 2 ** 60, c: 2 ** 61 }),
      sample({ a: 2 ** 60, b: big, c: 2 ** 60 })] }],
    'negative and in an array': [{ ...base, stats: [sample({ a: -(2 ** 60) })], annotations: { n: [2 ** 60, -(2 ** 61)] } }],
    'bigints with rounded integers': [{ ...base, memory: 2n ** 62n, stats: [sample({ a: big, b: 5n })] }],
    'an integer JSON.stringify writes with an exponent': [{ ...base, stats: [sample({ a: 1e21, b: big })] }],
    'a valid Date': [{ ...base, created_at: new Date(Date.parse(base.created_at)) }],
    'a Date with its own toJSON': [{ ...base, created_at: Object.assign(new Date(Date.parse(base.created_at)), { toJSON: () => 'x' }) }],
    'an annotations array of strings': [{ ...base, annotations: ['a'] }],
    'a null-prototype object': [Object.assign(Object.create(null), base)],
  };
  for (const [label, calls] of Object.entries(cases)) {
    const other = walked(calls);
    assert.deepEqual(shape(fc.parseCalls(calls)), shape(fc.parseCalls(other)), label);
    assert.deepEqual(shape(fc.filterCalls(calls, { all: true })), shape(fc.filterCalls(other, { all: true })), label);
    assert.deepEqual(shape(fc.safeParseCall(calls[0])), shape(fc.safeParseCall(other[0])), label);
  }
  // a BigInt.prototype.toJSON (a common way to make JSON.stringify take bigints) is not what the walker reads
  const copy = { ...fc.parseCalls(generateCalls({ count: 1, seed: 3 }).join('\n')).calls[0], memory: 128n };
  BigInt.prototype.toJSON = function toJSON() { return this.toString(); };
  try {
    assert.deepEqual(shape(fc.parseCalls([copy])), shape(fc.parseCalls(walked([copy]))));
    assert.deepEqual(shape(fc.filterCalls([copy])), shape(fc.filterCalls(walked([copy]))));
    assert.equal(fc.parseCalls([copy]).calls[0].memory, 128n);
  } finally {
    delete BigInt.prototype.toJSON;
  }
  const exact = fc.parseCalls(cases['the rounded token also in a string']).calls[0];
  assert.equal(exact.stats[0].metrics.mem_limit, 9223372036854775808n);
  assert.equal(exact.error, 'limit:9223372036854776000,x');
  assert.deepEqual(fc.parseCalls(cases['a few different rounded integers, interleaved']).calls[0].stats.map((x) => x.metrics),
    [{ a: 9223372036854775808n, b: 2n ** 60n, c: 2n ** 61n }, { a: 2n ** 60n, b: 9223372036854775808n, c: 2n ** 60n }]);
  assert.deepEqual(fc.parseCalls(cases['many different rounded integers']).calls[0].stats[0].metrics,
    Object.fromEntries(Object.entries(many).map(([k, v]) => [k, BigInt(v)])));
});

test('plain objects the text route cannot carry are read by the walker, with the same answers as before', () => {
  const base = JSON.parse(generateCalls({ count: 1, seed: 3 })[0]);
  let deep = {};
  for (let i = 0; i < 200; i++) deep = { x: deep };
  const cases = {
    'NaN': { ...base, timeout: NaN },
    'Infinity': { ...base, timeout: Infinity },
    'a fraction written with an exponent': { ...base, annotations: { n: 1e-7 } },
    'an integer JSON.stringify writes with an exponent': { ...base, memory: 1e38 },
    'an integer written exactly': { ...base, stats: [{ timestamp: base.created_at, metrics: { m: 1e21 } }] },
    'a toJSON': { ...base, image: { toJSON: () => 'x' } },
    'an invalid Date': { ...base, created_at: new Date(NaN) },
    'a boxed string': { ...base, image: new String('x') },
    'the marker': { ...base, error: '\u0000\u00010', memory: 2n ** 60n },
    'the marker in a key': { ...base, base_env: { '\u0000\u00010': 'x' }, memory: 2n ** 60n },
    'a key with U+0001': { ...base, base_env: { '\u0001': 'x' } },
    'nesting deeper than the limit': { ...base, base_env: deep },
    'a getter that throws': Object.defineProperty({ ...base }, 'path', { enumerable: true, get() { throw new Error('no'); } }),
  };
  for (const [label, call] of Object.entries(cases)) {
    const got = fc.filterCalls([call, base], { all: true });
    for (const how of ['toJSON', 'class']) {
      assert.deepEqual(shape(got), shape(fc.filterCalls(walked([call, base], how), { all: true })), `${label} (${how})`);
    }
  }
  let cyclic = { ...base };
  cyclic.base_env = { me: cyclic };
  const cycle = fc.filterCalls([cyclic], { all: true });
  assert.equal(cycle.calls.length, 0);
  assert.equal(cycle.issues[0].code, 'json_depth');
});

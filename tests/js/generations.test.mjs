// Every generation of the call's JSON (docs/generations.md) through the built package: generated calls of each
// generation read without errors and are written back byte for byte; the generation is detected from the keys;
// stringifyCall can write a call as another generation; mixed records warn and lose nothing. The real Go models of
// four releases are compared in tests/conformance/ (when they are available).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { generateCalls, GENERATION_NAMES } from '../../scripts/gen-calls.mjs';

const fc = createRequire(import.meta.url)('../../pkg');

test('generations(): thirteen layouts, oldest first, each with its keys in Go order', () => {
  const gens = fc.generations();
  assert.deepEqual(gens.map((g) => g.name), GENERATION_NAMES);
  assert.equal(gens[0].since, '2017-11-28');
  assert.equal(gens.at(-1).last, null);
  assert.deepEqual(gens.find((g) => g.name === '0.3.563').listing, 'v2');
  for (const g of gens) {
    assert.deepEqual(g.keys.slice(0, 2), ['id', 'status']);
    for (const k of g.always) assert.ok(g.keys.includes(k));
  }
});

for (const generation of GENERATION_NAMES) {
  test(`generation ${generation}: generated calls read cleanly and are written back byte for byte`, () => {
    const lines = generateCalls({ count: 300, seed: 5, generation });
    for (const line of lines) {
      const r = fc.safeParseCall(line);
      assert.ok(r.success, `${line}\n${JSON.stringify(r.issues)}`);
      // the generator keeps a few warnings of its own (a delay on a call no longer delayed, …); none about keys
      const keyWarnings = ['unknown_key', 'mixed_generations', 'missing_key', 'key_case', 'duplicate_key'];
      assert.deepEqual(r.warnings.filter((w) => keyWarnings.includes(w.code)).map((w) => w.code), [], line);
      assert.equal(fc.stringifyCall(r.data), line);
      assert.equal(fc.stringifyCall(line), line);
      // the generation it was made as is one it fits (several write the same bytes when the keys that tell them
      // apart are empty)
      assert.ok(fc.callGenerations(line).includes(generation), `${generation} not in ${fc.callGenerations(line)}`);
    }
    // through parseCalls too (NDJSON), and from the objects it hands out
    const batch = fc.parseCalls(lines.join('\n'));
    assert.equal(batch.calls.length, lines.length);
    assert.deepEqual(batch.calls.map((c) => fc.stringifyCall(c)), lines);
  });
}

test('a call is detected as the generation whose keys it has, and can be written as another', () => {
  const [head] = generateCalls({ count: 1, seed: 9, generation: '0.3.719' }).filter((l) => l.includes('execution_duration'));
  assert.ok(head, 'a completed call of today has execution_duration');
  assert.deepEqual(fc.callGenerations(head), ['0.3.719']);
  const call = fc.parseCall(head);
  assert.equal(typeof call.execution_duration, 'bigint');
  assert.equal(call.path, undefined, 'no path since 0.3.563');
  assert.equal(typeof call.app_id, 'string');
  // written as 0.3.688 (no execution_duration, priority kept if set)
  const old = fc.stringifyCall(call, { generation: '0.3.688' });
  assert.ok(!old.includes('execution_duration'));
  assert.deepEqual(fc.callGenerations(old).includes('0.3.603'), true);
  assert.throws(() => fc.stringifyCall(call, { generation: '0.2.0' }), RangeError);
  assert.throws(() => fc.stringifyCall(call, { generation: 7 }), TypeError);

  const [seed] = generateCalls({ count: 1, seed: 9 });
  assert.equal(fc.callGenerations(seed)[0], '0.3.205');
  assert.equal(fc.parseCall(seed).app_id, undefined);
});

test('new fields keep their exact values: annotations as written, cpus as Go reads it, int64 and uint32 exact', () => {
  const line = '{"id":"01D7KWMZB3NG8G00GZJ0000002","status":"success","cpus":"0.25","tmpfs_size":4294967295,' +
    '"annotations":{"b":  { "x" : [1, 2.50, 1e3, "\\u00e9<\\/"] }, "a":null,"c":12345678901234567890123},' +
    '"headers":{"X":["a","b"],"Y":null,"Z":[]},"config":{"k":"v"},' +
    '"completed_at":"2019-04-05T00:52:43.123Z","created_at":"2019-04-05T00:52:42.001Z","started_at":"2019-04-05T00:52:42.500Z",' +
    '"execution_duration":9223372036854775807,"app_id":"a","app_name":"","trigger_id":"","fn_id":"f"}';
  const call = fc.parseCall(line);
  assert.equal(call.cpus, '250m');
  assert.equal(call.tmpfs_size, 4294967295);
  assert.equal(call.execution_duration, 9223372036854775807n);
  assert.deepEqual(call.annotations, { a: 'null', b: '{"x":[1,2.50,1e3,"\\u00e9<\\/"]}', c: '12345678901234567890123' });
  assert.deepEqual(call.headers, { X: ['a', 'b'], Y: null, Z: [] });
  const out = fc.stringifyCall(call);
  assert.match(out, /"cpus":"250m"/);
  assert.match(out, /"annotations":\{"a":null,"b":\{"x":\[1,2\.50,1e3,"\\u00e9\\u003c\\\/"\]\},"c":12345678901234567890123\}/);
  assert.equal(fc.stringifyCall(out), out, 'stable');
  // cpus and annotations that Go refuses
  const codes = (text) => fc.validateCall(text).filter((i) => i.severity === 'error').map((i) => `${i.code} ${i.path}`);
  assert.deepEqual(codes(line.replace('"0.25"', '250')), ['bad_cpus /cpus']);
  assert.deepEqual(codes(line.replace('"0.25"', '"1025"')), ['bad_cpus /cpus']);
  assert.deepEqual(codes(line.replace('"0.25"', '"x"')), ['bad_cpus /cpus']);
  assert.deepEqual(codes(line.replace('9223372036854775807', '9223372036854775808')), ['out_of_range /execution_duration']);
  // in an object, an annotation is its JSON text
  assert.deepEqual(codes({ ...call, annotations: { a: 'not json' } }), ['bad_annotation /annotations/a']);
  assert.equal(fc.parseCall({ ...call, annotations: { a: { n: 1 } } }).annotations.a, '{"n":1}', 'a value itself is taken too');
});

test('a record mixing generations warns, and nothing it holds is lost when written', () => {
  const line = '{"id":"01C01TC09K47WGE00000000000","status":"success","app_name":"a","path":"/p","base_env":{"A":"1"},' +
    '"config":{"B":"2"},"completed_at":"2017-11-28T17:21:41.002Z","created_at":"2017-11-28T17:21:39.123Z","started_at":"2017-11-28T17:21:39.125Z"}';
  const r = fc.safeParseCall(line);
  assert.ok(r.success);
  const mixed = r.warnings.filter((w) => w.code === 'mixed_generations');
  assert.equal(mixed.length, 1);
  assert.match(mixed[0].message, /base_env with config/);
  assert.deepEqual(fc.callGenerations(line), []);
  const out = fc.stringifyCall(r.data);
  assert.match(out, /"base_env":\{"A":"1"\},"config":\{"B":"2"\}/);
});

test('the old fn command\'s JSON output (fn list calls --output json) is read, with a warning that it is not the server\'s', () => {
  const cli = '[{"id":"01CQV73V87NG8G00GZJ000000Y","appId":"01CQV6ME18NG8G00GZJ0000001","fnId":"01CQV6PHDGNG8G00GZJ0000002",' +
    '"createdAt":"2018-09-20T10:06:26.055Z","startedAt":"2018-09-20T10:06:26.061Z","completedAt":"2018-09-20T10:06:26.540Z",' +
    '"status":"error","errorReason":"container exit code 1"}]';
  const batch = fc.parseCalls(cli);
  assert.equal(batch.calls.length, 1);
  const [c] = batch.calls;
  assert.deepEqual([c.app_id, c.fn_id, c.created_at, c.error], ['01CQV6ME18NG8G00GZJ0000001', '01CQV6PHDGNG8G00GZJ0000002', '2018-09-20T10:06:26.055Z', 'container exit code 1']);
  assert.deepEqual(batch.issues.filter((i) => i.code === 'fn_cli_output').map((i) => [i.severity, i.index]), [['warning', 0]]);
  assert.ok(!batch.issues.some((i) => i.code === 'unknown_key'), 'its keys are understood');
  // the server's own JSON is not mistaken for it
  assert.ok(!fc.validateCall('{"id":"x","status":"","appId":"a","created_at":"2018-09-20T10:06:26.055Z"}').some((i) => i.code === 'fn_cli_output'));
});

test('a mixed archive (2017 to 2019): every line read and written back, most generations present', () => {
  const lines = generateCalls({ count: 1500, seed: 12, generation: 'mixed' });
  const seen = new Set();
  for (const line of lines) {
    assert.equal(fc.stringifyCall(line), line);
    seen.add(fc.callGenerations(line)[0]);
  }
  assert.ok(seen.size >= 8, `generations seen: ${[...seen].join(', ')}`);
  // the bulk engine reads them all, on its fast lane or not, as parseCalls does
  const bytes = Buffer.from(lines.join('\n') + '\n');
  const scan = fc.scanCalls(bytes, { status: 'error' }, { validate: 'all' });
  assert.deepEqual([...scan.indices], fc.parseCalls(bytes).calls.flatMap((c, i) => (c.status === 'error' ? [i] : [])));
  assert.equal(scan.issues.filter((i) => i.severity === 'error').length, 0);
});

test('v1 and v2 list pages of generated calls read back as the calls, the cursor decoded', async () => {
  const { listPage } = await import('../../scripts/gen-calls.mjs');
  for (const [api, generation] of [['v1', '0.3.205'], ['v1', '0.3.529'], ['v2', '0.3.563'], ['v2', '0.3.603']]) {
    const lines = generateCalls({ count: 40, seed: 2, generation });
    const page = listPage(lines, api);
    const batch = fc.parseCalls(page);
    assert.deepEqual(batch.calls.map((c) => fc.stringifyCall(c)), lines, `${api} ${generation}`);
    assert.equal(batch.next_cursor, JSON.parse(lines.at(-1)).id, 'the cursor as the raw id');
    const last = fc.parseCalls(listPage(lines, api, { last: true }));
    assert.equal(last.next_cursor, '');
  }
});

// The JSON Schema (2020-12) of the call, written by the Rust core and shipped as fn-calls/call.schema.json: checked
// with ajv on the fixtures' calls and on generated calls of every generation, each against the root schema and
// against its own generation's strict schema; and it refuses what Go refuses by type.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { readFileSync, readdirSync } from 'node:fs';
import Ajv2020 from 'ajv/dist/2020.js';
import { generateCalls, GENERATION_NAMES } from '../../scripts/gen-calls.mjs';

const require = createRequire(import.meta.url);
const fc = require('../../pkg');
const text = readFileSync(new URL('../../pkg/call.schema.json', import.meta.url), 'utf8');
const schema = JSON.parse(text);
const ajv = new Ajv2020({ allErrors: true, strict: false });
ajv.addSchema(schema, 'call');
const validate = ajv.getSchema('call');
const ofGeneration = (g) => ajv.getSchema(`call#/$defs/call-${g}`);

test('the shipped file is the core\'s schema, and is exported by the package', () => {
  assert.equal(text, fc.callJsonSchema() + '\n');
  const manifest = JSON.parse(readFileSync(new URL('../../pkg/package.json', import.meta.url), 'utf8'));
  assert.equal(manifest.exports['./call.schema.json'], './call.schema.json');
  assert.ok(manifest.files.includes('call.schema.json'));
  assert.match(text, /"maximum":18446744073709551615/, 'bounds written exactly, not rounded');
  assert.deepEqual(Object.keys(schema.$defs), GENERATION_NAMES.map((g) => `call-${g}`));
});

test('the fixtures\' calls are valid (every one the package reads without errors)', () => {
  const dir = new URL('../fixtures/', import.meta.url);
  let checked = 0;
  for (const name of readdirSync(dir).filter((f) => f.endsWith('.json'))) {
    const body = readFileSync(new URL(name, dir), 'utf8');
    const batch = fc.parseCalls(body);
    if (!batch.calls.length || batch.issues.some((i) => i.severity === 'error')) continue;
    const doc = JSON.parse(body);
    const calls = doc.calls ?? doc.items ?? (doc.call ? [doc.call] : Array.isArray(doc) ? doc : [doc]);
    for (const c of calls) {
      assert.ok(validate(c), `${name}: ${ajv.errorsText(validate.errors)}`);
      checked++;
    }
  }
  assert.ok(checked >= 8, `${checked} fixture calls`);
});

for (const g of GENERATION_NAMES) {
  test(`generation ${g}: generated calls are valid against the root and against call-${g}`, () => {
    const strict = ofGeneration(g);
    for (const line of generateCalls({ count: 150, seed: 4, generation: g })) {
      const call = JSON.parse(line);
      assert.ok(validate(call), `${line}\n${ajv.errorsText(validate.errors)}`);
      assert.ok(strict(call), `${line}\n${ajv.errorsText(strict.errors)}`);
    }
  });
}

test('what Go refuses by type is refused; a later generation\'s key is refused by an earlier one\'s strict schema', () => {
  const [line] = generateCalls({ count: 1, seed: 4, generation: '0.3.719' });
  const call = JSON.parse(line);
  assert.ok(validate(call));
  for (const bad of [{ status: 'exploded' }, { cpus: 250 }, { tmpfs_size: -1 }, { memory: 1.5 }, { created_at: '2019-07-29 17:58:51Z' }, { id: 5 }]) {
    assert.ok(!validate({ ...call, ...bad }), JSON.stringify(bad));
  }
  const { status, ...noStatus } = call;
  assert.ok(!validate(noStatus), 'status is always written');
  void status;
  assert.ok(!ofGeneration('0.3.205')(call), 'execution_duration and app_id are not of 2017');
});

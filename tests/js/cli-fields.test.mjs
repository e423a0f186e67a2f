// The command's filter flags against the package's filter fields (filterFields()): every field a flag sets is one
// of the package's, and a field the package adds without a flag here makes this test fail, so the two lists cannot
// drift apart unnoticed. Imports the built command's module (pkg/bin), which loads the package next to it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const fc = require('../../pkg');
const { FILTER_OPTIONS, filterFromFlags } = await import('../../pkg/bin/args.mjs');

/** Fields the command deliberately has no flag for (the page size and "every match" are the command's own). */
const WITHOUT_FLAG = ['fn_id', 'per_page', 'error_ignore_case', 'error_group', 'all'];

test('every filter flag sets a field of filterFields(), and every field has a flag or is known to have none', () => {
  const fields = fc.filterFields();
  const values = {};
  for (const [name, { type, multiple }] of Object.entries(FILTER_OPTIONS)) {
    const v = name.endsWith('duration') ? '5' : name === 'status' ? 'error' : 'x';
    values[name] = type === 'string' && multiple ? [v] : v;
  }
  const set = new Set();
  for (const [from, to] of [['100', '200'], ['2018-06-12T00:00:00Z', '2018-06-13T00:00:00Z']]) {
    for (const k of Object.keys(filterFromFlags({ ...values, from, to }))) set.add(k);
  }
  for (const k of set) assert.ok(fields.includes(k), `the flags set '${k}', which filterFields() does not list`);
  const missing = fields.filter((f) => !set.has(f) && !WITHOUT_FLAG.includes(f));
  assert.deepEqual(missing, [], 'filter fields with no flag: add a flag, or list them in WITHOUT_FLAG');
});

// js/cli/lib.mjs, how the command finds the package next to it: the package's entry and version, the UsageError, and
// the one-line message and exit status 2 when the package is not there. Written so that mutants of lib.mjs are caught
// in seconds (docs/mutation-testing.md). It imports the built copy (pkg/bin/), so it needs `bash scripts/build.sh`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, copyFileSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { fc, VERSION, UsageError } from '../../pkg/bin/lib.mjs';

const pkg = fileURLToPath(new URL('../../pkg/', import.meta.url));

test('fc is the package, VERSION its version', () => {
  assert.equal(typeof fc.CallStream, 'function');
  assert.equal(typeof fc.validateFilter, 'function');
  assert.equal(VERSION, JSON.parse(readFileSync(join(pkg, 'package.json'), 'utf8')).version);
});

test('UsageError: an Error with its message and its own name', () => {
  const e = new UsageError('bad flag');
  assert.ok(e instanceof Error);
  assert.equal(e.name, 'UsageError');
  assert.equal(e.message, 'bad flag');
  assert.equal(String(e), 'UsageError: bad flag');
});

test('without the package next to it, the command says which file is missing on one line and exits 2', () => {
  const dir = mkdtempSync(join(tmpdir(), 'fn-calls-lib-'));
  try {
    mkdirSync(join(dir, 'bin'));
    copyFileSync(join(pkg, 'bin', 'lib.mjs'), join(dir, 'bin', 'lib.mjs'));
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', `await import(${JSON.stringify(pathToFileURL(join(dir, 'bin', 'lib.mjs')).href)})`]);
    assert.equal(r.status, 2);
    assert.equal(String(r.stdout), '');
    const err = String(r.stderr);
    assert.match(err, /^fn-calls: cannot load the package's node\/index\.js next to this command: Cannot find module '[^\n]*node\/index\.js'\n$/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

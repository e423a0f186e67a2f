// The command on garbage: a record past --max-record-mb is reported and skipped, memory stays bounded, the run
// ends with the real outcome; and an error inside a run is not hidden by freeing the stream afterwards. Inputs stay
// a few MB: a small --max-record-mb exercises the limit.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCli as run } from './support.mjs';

const root = fileURLToPath(new URL('../../', import.meta.url));
const A = '{"id":"01C01TC09K47WGE00000000000","status":"success","app_name":"myapp","path":"/hello","completed_at":"2017-11-28T17:21:41.002Z","created_at":"2017-11-28T17:21:39.123Z","started_at":"2017-11-28T17:21:39.125Z"}';


let dir;
let crashed; // 15 calls, then 3 MiB of NUL bytes and no newline: what a crashed log file leaves
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'fn-calls-limits-'));
  crashed = join(dir, 'crashed.ndjson.gz');
  const bytes = Buffer.concat([Buffer.from(`${A}\n`.repeat(15)), Buffer.alloc(3 << 20)]);
  writeFileSync(crashed, gzipSync(bytes));
});
after(() => rmSync(dir, { recursive: true, force: true }));

test('validate: a record past --max-record-mb is one issue with its place, and the run ends with exit 1', async () => {
  const r = await run(['validate', crashed, '--max-record-mb', '1', '--errors-only']);
  assert.equal(r.code, 1, r.stderr);
  const lines = r.stdout.trim().split('\n');
  assert.equal(lines.length, 1, r.stdout);
  assert.match(lines[0], /^\S+crashed\.ndjson\.gz:16 record 15 "": error record_too_large .*limit of 1048576 bytes/);
  assert.match(r.stderr, /16 records in 1 input: 1 with errors/);
});

test('filter and stats take --max-record-mb too; the good records are kept', async () => {
  const f = await run(['filter', crashed, '--max-record-mb', '1', '--quiet']);
  assert.equal(f.code, 1);
  assert.equal(f.stdout.trim().split('\n').length, 15);
  const s = await run(['stats', crashed, '--max-record-mb', '2', '--json']);
  assert.equal(s.code, 1);
  assert.deepEqual([JSON.parse(s.stdout).records, JSON.parse(s.stdout).skipped], [16, 1]);
});

test('--max-record-mb is checked', async () => {
  for (const bad of ['0', '-1', '1.5', 'x', '65']) {
    const r = await run(['validate', crashed, '--max-record-mb', bad]);
    assert.equal(r.code, 2, bad);
    assert.match(r.stderr, /--max-record-mb/, bad);
  }
});

test('freeing a broken stream in a finally does not hide the error that broke it', async () => {
  const { freeAfter } = await import(join(root, 'pkg', 'bin', 'lib.mjs'));
  const broken = { free() { throw new Error('attempted to take ownership of Rust value while it was borrowed'); } };
  assert.throws(() => {
    try {
      throw new Error('the real error');
    } finally {
      freeAfter(broken);
    }
  }, { message: 'the real error' });
  let freed = false;
  freeAfter({ free() { freed = true; } });
  assert.ok(freed);
});

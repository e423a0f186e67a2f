// js/cli/input.mjs, how the command reads its inputs: which files it accepts before reading any, plain or gzip by the
// magic bytes, the last NDJSON line without a newline, stopping early, and the progress line. Written so that mutants
// of input.mjs are caught in seconds, not by a whole CLI suite run (docs/mutation-testing.md). It imports the built
// copy of the module (pkg/bin/, which loads the package next to it), so it needs `bash scripts/build.sh`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, mkdirSync, symlinkSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { checkInputs, scanInput, Progress } from '../../pkg/bin/input.mjs';
import { fc, UsageError } from '../../pkg/bin/lib.mjs';
import { generateCalls } from '../../scripts/gen-calls.mjs';

const dir = mkdtempSync(join(tmpdir(), 'fn-calls-input-'));
test.after(() => rmSync(dir, { recursive: true, force: true }));
const file = (name, data) => {
  const path = join(dir, name);
  writeFileSync(path, data);
  return path;
};
const LINES = generateCalls({ count: 3, seed: 1 });
const TEXT = LINES.join('\n') + '\n';
const OPTIONS = { mode: 'observed', validate: 'all', records: true };
const quiet = () => new Progress([], 'test');

/** Scans `input`, taking the records and issues after every chunk: `{ result, records, issues }`. */
async function scan(input, { filter = {}, progress = quiet(), stopAfter } = {}) {
  const records = [];
  const issues = [];
  const stream = new fc.CallStream(filter, OPTIONS);
  try {
    const result = await scanInput(input, stream, progress, (s) => {
      records.push(...s.takeRecords());
      issues.push(...s.takeIssues());
      if (stopAfter !== undefined && records.length >= stopAfter) return false;
      return undefined;
    });
    // every issue is handed to each(), the last ones after finishInput(): none is left in the result
    return { result: { ...result, issues: [] }, records, issues };
  } finally {
    stream.free();
  }
}

function usage(fn, message) {
  assert.throws(fn, (e) => e instanceof UsageError && e.message === message);
}

test('checkInputs: each file with its size, in order; none or "-" is stdin, which is read once', () => {
  const a = file('a.ndjson', TEXT);
  const b = file('b.ndjson', '');
  assert.deepEqual(checkInputs([a, b]), [{ name: a, path: a, size: TEXT.length }, { name: b, path: b, size: 0 }]);
  const isTTY = process.stdin.isTTY;
  try {
    process.stdin.isTTY = false;
    assert.deepEqual(checkInputs([]), [{ name: '<stdin>', path: null, size: null }]);
    assert.deepEqual(checkInputs([a, '-']), [{ name: a, path: a, size: TEXT.length }, { name: '<stdin>', path: null, size: null }]);
    usage(() => checkInputs(['-', a, '-']), "stdin ('-') can be read only once");
    // stdin on a terminal is someone who forgot the input.
    process.stdin.isTTY = true;
    usage(() => checkInputs([]), 'no input: give files, or pipe calls into stdin (see --help)');
    usage(() => checkInputs(['-']), 'no input: give files, or pipe calls into stdin (see --help)');
    assert.equal(checkInputs([a]).length, 1);
  } finally {
    process.stdin.isTTY = isTTY;
  }
  // Not a regular file: read, with no size known.
  assert.deepEqual(checkInputs(['/dev/null']), [{ name: '/dev/null', path: '/dev/null', size: null }]);
});

test('checkInputs: every input checked before any is read, with the reason in words', () => {
  const a = file('c.ndjson', TEXT);
  const sub = join(dir, 'sub');
  mkdirSync(sub, { recursive: true });
  usage(() => checkInputs([a, join(dir, 'missing.ndjson')]), `cannot read ${join(dir, 'missing.ndjson')}: no such file`);
  usage(() => checkInputs([sub, a]), `cannot read ${sub}: is a directory`);
  usage(() => checkInputs([join(a, 'x')]), `cannot read ${join(a, 'x')}: not a directory`);
  const loop = join(dir, 'loop');
  symlinkSync(loop, loop);
  usage(() => checkInputs([loop]), `cannot read ${loop}: too many symbolic links`);
});

test('scanInput: plain and gzip inputs give the same calls; progress counts the bytes of the file as it is', async () => {
  const plain = checkInputs([file('p.ndjson', TEXT)])[0];
  const gz = checkInputs([file('p.ndjson.gz', gzipSync(TEXT))])[0];
  const progress = new Progress([plain, gz], 'test');
  const one = await scan(plain, { progress });
  assert.equal(progress.bytes, TEXT.length);
  assert.equal(progress.records, 3);
  const two = await scan(gz, { progress });
  assert.equal(progress.bytes, TEXT.length + gz.size);
  assert.equal(progress.records, 6);
  assert.deepEqual(one.records, LINES);
  assert.deepEqual(two.records, LINES);
  assert.equal(one.result.total, 3);
  assert.equal(one.result.stopped, false);
  assert.deepEqual(one.issues, []);
  assert.deepEqual(one.result.issues, []);
  assert.equal(progress.total, TEXT.length + gz.size);
});

test('scanInput: a file that only starts like gzip, an empty file and a one-byte file are read as they are', async () => {
  const notGzip = await scan(checkInputs([file('n.ndjson', '\x1f{"id":1}\n')])[0]);
  assert.equal(notGzip.result.total, 1);
  assert.equal(notGzip.issues.concat(notGzip.result.issues)[0].index, 0);
  const empty = await scan(checkInputs([file('e.ndjson', '')])[0]);
  assert.equal(empty.result.total, 0);
  assert.deepEqual(empty.result.issues, []);
  const one = await scan(checkInputs([file('o.ndjson', '{')])[0]);
  assert.equal(one.result.total, 1);
  assert.equal(one.issues[0].code, 'truncated');
  const gzOne = await scan(checkInputs([file('one.gz', gzipSync(LINES[0]))])[0]);
  assert.deepEqual(gzOne.records, [LINES[0]]);
});

test('scanInput: a file that is not valid gzip is a UsageError naming it', async () => {
  const bad = checkInputs([file('bad.gz', Buffer.from([0x1f, 0x8b, 1, 2, 3, 4, 5]))])[0];
  await assert.rejects(scan(bad), (e) => e instanceof UsageError && e.message === `cannot read ${bad.name}: not valid gzip data (unknown compression method)`);
  const cut = checkInputs([file('cut.gz', gzipSync(TEXT).subarray(0, 30))])[0];
  await assert.rejects(scan(cut), (e) => e instanceof UsageError && e.message.startsWith(`cannot read ${cut.name}: not valid gzip data (`));
});

test('scanInput: the last line without a newline is read when it is complete, reported as cut off when it is not', async () => {
  const complete = await scan(checkInputs([file('l1.ndjson', LINES.join('\n'))])[0]);
  assert.deepEqual(complete.records, LINES);
  assert.deepEqual(complete.issues, []);
  const cut = LINES.join('\n').slice(0, -5);
  const partial = await scan(checkInputs([file('l2.ndjson', cut)])[0]);
  assert.deepEqual(partial.records, LINES.slice(0, 2));
  assert.equal(partial.result.total, 3);
  assert.deepEqual(partial.issues.map((i) => [i.code, i.index]), [['truncated', 2]]);
});

test('scanInput: a last line without a newline is read when it is complete, however long; cut short, it is reported cut off', async () => {
  const call = JSON.parse(LINES[1]);
  const sized = (n) => {
    const base = JSON.stringify({ ...call, error: '' }).length;
    return JSON.stringify({ ...call, error: 'x'.repeat(n - base) });
  };
  for (const n of [8 << 20, (8 << 20) + 1]) {
    const r = await scan(checkInputs([file(`big${n}.ndjson`, `${LINES[0]}\n${sized(n)}`)])[0]);
    assert.equal(r.records.length, 2, `${n} bytes`);
    assert.equal(r.result.records, undefined);
    assert.equal(r.result.total, 2);
    assert.deepEqual(r.issues, []);
  }
  // Longer than 8 MiB and cut short: the package reads the last line (finishInput), so it is reported as cut off.
  const cut = await scan(checkInputs([file('bigcut.ndjson', `${LINES[0]}\n${sized((8 << 20) + 10).slice(0, -1)}`)])[0]);
  assert.equal(cut.records.length, 1);
  const issues = [...cut.issues, ...cut.result.issues];
  assert.equal(issues.length, 1);
  assert.equal(issues[0].index, 1);
  assert.equal(issues[0].severity, 'error');
  assert.equal(issues[0].code, 'truncated');
});

test('scanInput: each() returning false stops the scan, with nothing reported about the rest', async () => {
  const many = generateCalls({ count: 400, seed: 2 });
  const text = many.join('\n');
  const input = checkInputs([file('many.ndjson', text)])[0];
  const stopped = await scan(input, { stopAfter: 1 });
  assert.deepEqual(stopped.result, { stopped: true, total: stopped.result.total, issues: [] });
  assert.ok(stopped.result.total < 400);
  assert.ok(stopped.records.length >= 1 && stopped.records.length < 400);
  // Stopping at the pushed newline of an unterminated last line.
  const short = checkInputs([file('short.ndjson', LINES.join('\n'))])[0];
  const last = await scan(short, { stopAfter: 3 });
  assert.equal(last.result.stopped, true);
  assert.deepEqual(last.result.issues, []);
  const all = await scan(input);
  assert.equal(all.records.length, 400);
  assert.equal(all.result.stopped, false);
});

test('scanInput: stdin, in small pieces, gzip too', () => {
  const script = `
    import { checkInputs, scanInput, Progress } from ${JSON.stringify(new URL('../../pkg/bin/input.mjs', import.meta.url).href)};
    import { fc } from ${JSON.stringify(new URL('../../pkg/bin/lib.mjs', import.meta.url).href)};
    const [input] = checkInputs([]);
    const records = [];
    let issues = 0;
    const r = await scanInput(input, new fc.CallStream({}, { records: true }), new Progress([input], 't'), (s) => { records.push(...s.takeRecords()); issues += s.takeIssues().length; });
    process.stdout.write(JSON.stringify({ n: records.length, total: r.total, issues }));`;
  const gz = gzipSync(TEXT);
  for (const input of [Buffer.from(TEXT), gz]) {
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { input, cwd: fileURLToPath(new URL('.', import.meta.url)) });
    assert.equal(r.status, 0, String(r.stderr));
    assert.deepEqual(JSON.parse(String(r.stdout)), { n: 3, total: 3, issues: 0 });
  }
});

/** What `fn()` writes to stderr. */
function stderrOf(fn) {
  const writes = [];
  const write = process.stderr.write;
  process.stderr.write = (text) => {
    writes.push(text);
    return true;
  };
  try {
    fn();
  } finally {
    process.stderr.write = write;
  }
  return writes;
}

/** Runs `fn` with the clock at `ms` (the progress line is shown at most every 250 ms). */
function at(ms, fn) {
  const now = Date.now;
  Date.now = () => ms;
  try {
    return fn();
  } finally {
    Date.now = now;
  }
}

function withProgressEnv(value, fn) {
  const before = process.env.FN_CALLS_PROGRESS;
  if (value === undefined) delete process.env.FN_CALLS_PROGRESS;
  else process.env.FN_CALLS_PROGRESS = value;
  try {
    return fn();
  } finally {
    if (before === undefined) delete process.env.FN_CALLS_PROGRESS;
    else process.env.FN_CALLS_PROGRESS = before;
  }
}

test('Progress: shown only when asked for (or on a terminal) and the input is over 20 MB', () => {
  const big = [{ size: 15e6 }, { size: 15e6 }];
  const p = withProgressEnv('1', () => new Progress(big, 'fn-calls filter'));
  assert.equal(p.total, 30e6);
  assert.equal(p.enabled, true);
  p.raw(12_345_678);
  p.raw(1);
  const writes = stderrOf(() => {
    at(1_000_000, () => p.tick(1234567));
    at(1_000_249, () => p.tick(1234568)); // within 250 ms of the last line: not shown
  });
  assert.deepEqual(writes, ['\r\x1b[Kfn-calls filter: 12.3 / 30.0 MB (41%), 1,234,567 records']);
  assert.equal(p.records, 1234568);
  p.raw(3e6);
  assert.deepEqual(stderrOf(() => at(1_000_250, () => p.tick(1234569))), ['\r\x1b[Kfn-calls filter: 15.3 / 30.0 MB (51%), 1,234,569 records']);
  assert.deepEqual(stderrOf(() => p.done()), ['\r\x1b[K']);
  assert.deepEqual(stderrOf(() => p.done()), []);

  // Size unknown (stdin): shown once more than 20 MB were read.
  const s = withProgressEnv('1', () => new Progress([{ size: 10 }, { size: null }], 'fn-calls stats'));
  assert.equal(s.total, null);
  s.raw(20e6);
  assert.deepEqual(stderrOf(() => s.tick(5)), []);
  s.raw(1);
  assert.deepEqual(stderrOf(() => s.tick(6)), ['\r\x1b[Kfn-calls stats: 20.0 MB, 6 records']);

  // Exactly 20 MB in all: no line.
  const edge = withProgressEnv('1', () => new Progress([{ size: 20e6 }], 'x'));
  edge.raw(20e6);
  assert.deepEqual(stderrOf(() => edge.tick(1)), []);
  assert.deepEqual(stderrOf(() => edge.done()), []);
});

test('Progress: FN_CALLS_PROGRESS=0 hides it, and without it a terminal decides', () => {
  const big = [{ size: 30e6 }];
  const isTTY = process.stderr.isTTY;
  try {
    process.stderr.isTTY = true;
    assert.equal(withProgressEnv('0', () => new Progress(big, 'x')).enabled, false);
    assert.equal(withProgressEnv(undefined, () => new Progress(big, 'x')).enabled, true);
    assert.equal(withProgressEnv('1', () => new Progress(big, 'x')).enabled, true);
    process.stderr.isTTY = false;
    const off = withProgressEnv(undefined, () => new Progress(big, 'x'));
    assert.equal(off.enabled, false);
    off.raw(30e6);
    assert.deepEqual(stderrOf(() => off.tick(1)), []);
    assert.equal(off.records, 1);
    assert.equal(withProgressEnv('1', () => new Progress(big, 'x')).enabled, true);
  } finally {
    process.stderr.isTTY = isTTY;
  }
});

/** A call's JSON padded (in its error text) to exactly `n` bytes. */
function callOfSize(n, i = 1) {
  const call = JSON.parse(LINES[i]);
  const base = JSON.stringify({ ...call, error: '' }).length;
  return JSON.stringify({ ...call, error: 'x'.repeat(n - base) });
}

test('scanInput: stdin in pieces: one byte, then two (the gzip magic bytes), then the rest', () => {
  const script = (pieces) => `
    import { checkInputs, scanInput, Progress } from ${JSON.stringify(new URL('../../pkg/bin/input.mjs', import.meta.url).href)};
    import { fc } from ${JSON.stringify(new URL('../../pkg/bin/lib.mjs', import.meta.url).href)};
    const [input] = checkInputs([]);
    const records = [];
    process.stderr.write('ready');
    let issues = 0;
    const r = await scanInput(input, new fc.CallStream({}, { records: true }), new Progress([input], 't'), (s) => { records.push(...s.takeRecords()); issues += s.takeIssues().length; });
    process.stdout.write(JSON.stringify({ n: records.length, total: r.total, issues }));`;
  // Each piece is written once the command is reading, and a while after the one before, so that it arrives alone
  // (were pieces merged by a slow machine, the test would only test less).
  const feed = (pieces) => new Promise((resolve, reject) => {
    const c = spawn(process.execPath, ['--input-type=module', '-e', script()], { stdio: ['pipe', 'pipe', 'pipe'] });
    const out = [];
    const err = [];
    c.stdout.on('data', (d) => out.push(d));
    let i = 0;
    const next = () => {
      if (i === pieces.length) return c.stdin.end();
      c.stdin.write(pieces[i++]);
      setTimeout(next, 200);
      return undefined;
    };
    c.stderr.on('data', (d) => {
      err.push(d);
      if (i === 0 && String(Buffer.concat(err)).startsWith('ready')) setTimeout(next, 200);
    });
    c.on('error', reject);
    c.on('close', (code) => resolve({ code, out: String(Buffer.concat(out)), err: String(Buffer.concat(err)).replace(/^ready/, '') }));
  });
  return (async () => {
    const text = Buffer.from(TEXT);
    const gz = gzipSync(TEXT);
    for (const pieces of [[text.subarray(0, 1), text.subarray(1)], [gz.subarray(0, 1), gz.subarray(1)], [gz.subarray(0, 2), gz.subarray(2)]]) {
      const r = await feed(pieces);
      assert.equal(r.code, 0, r.err);
      assert.deepEqual(JSON.parse(r.out), { n: 3, total: 3, issues: 0 });
    }
  })();
});

test('scanInput: only 1f 8b is gzip: a file whose second byte is 8b is read as it is', async () => {
  const r = await scan(checkInputs([file('c48b.ndjson', Buffer.from([0xc4, 0x8b, 0x0a]))])[0]);
  assert.equal(r.result.total, 1);
  assert.equal([...r.issues, ...r.result.issues][0].code, 'json_syntax');
});

test('scanInput: a read error is named as it is, not as bad gzip data', { skip: process.platform !== 'linux' }, async () => {
  const input = checkInputs(['/proc/self/mem'])[0];
  await assert.rejects(scan(input), (e) => e instanceof UsageError && /^cannot read \/proc\/self\/mem: /.test(e.message) && !/gzip/.test(e.message));
});

test('scanInput: a newline that starts a chunk ends the line before it', async () => {
  // 64 KiB chunks: the first line fills the first chunk, and its newline starts the second.
  const r = await scan(checkInputs([file('nl-at-chunk.ndjson', `${callOfSize(1 << 16, 0)}\n${LINES[1]}`)])[0]);
  assert.equal(r.records.length, 2);
  assert.deepEqual(r.result.issues, []);
});

test('scanInput: a last line that starts a chunk and runs past 8 MiB is read; one of exactly 8 MiB cut short is reported cut off', async () => {
  // The first line and its newline fill the first chunk exactly.
  const first = callOfSize((1 << 16) - 1, 0);
  const long = await scan(checkInputs([file('long-at-chunk.ndjson', `${first}\n${callOfSize((8 << 20) + 1000)}`)])[0]);
  assert.equal(long.records.length, 2);
  assert.deepEqual(long.result.issues, []);
  const cut = await scan(checkInputs([file('cut-8mib.ndjson', `${LINES[0]}\n${callOfSize((8 << 20) + 1).slice(0, -1)}`)])[0]);
  assert.equal(cut.records.length, 1);
  assert.deepEqual([...cut.issues, ...cut.result.issues].map((i) => [i.code, i.index]), [['truncated', 1]]);
});

test('scanInput: after each() stops the scan, an unterminated last line is not handed out', async () => {
  const r = await scan(checkInputs([file('stop-tail.ndjson', LINES.join('\n'))])[0], { stopAfter: 1 });
  assert.equal(r.result.stopped, true);
  assert.deepEqual(r.records, LINES.slice(0, 2));
});

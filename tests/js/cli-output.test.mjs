// js/cli/output.mjs, how the command writes calls: NDJSON, a JSON array or a table, across several writes, and the
// table's columns (widths, escapes, durations). Written so that mutants of output.mjs are caught in seconds, not by a
// whole CLI suite run (docs/mutation-testing.md). It imports the built copy of the module (pkg/bin/), so it needs
// `bash scripts/build.sh`; stdout is captured by replacing its write method for the length of each write.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { CallWriter, FORMATS, writeOut } from '../../pkg/bin/output.mjs';

/** What `fn(writer)` writes to stdout, each write separately. */
async function captured(format, fn) {
  const writes = [];
  const write = process.stdout.write;
  process.stdout.write = (text) => {
    writes.push(text);
    return true;
  };
  try {
    await fn(new CallWriter(format));
  } finally {
    process.stdout.write = write;
  }
  return writes;
}

const A = '{"id":"b","status":"success","big":18446744073709551615}';
const B = '{"id":"a","status":"error"}';
const C = '{"id":"9"}';

test('FORMATS: the three formats, the default first', () => {
  assert.deepEqual(FORMATS, ['ndjson', 'json', 'table']);
});

test('ndjson: each record on its line, exactly as given; nothing for an empty write or at the end', async () => {
  const writes = await captured('ndjson', async (w) => {
    await w.write([A, B]);
    await w.write([]);
    await w.write([C]);
    await w.end();
    assert.equal(w.count, 3);
  });
  assert.deepEqual(writes, [`${A}\n${B}\n`, `${C}\n`]);
});

test('ndjson: no calls writes nothing at all', async () => {
  assert.deepEqual(await captured('ndjson', async (w) => w.end()), []);
});

test('json: one array across writes, commas between records, closed at the end', async () => {
  const writes = await captured('json', async (w) => {
    await w.write([A, B]);
    await w.write([]);
    await w.write([C]);
    await w.end();
  });
  assert.deepEqual(writes, [`[\n${A},\n${B}`, `,\n${C}`, '\n]\n']);
  const text = writes.join('');
  assert.equal(text, `[\n${A},\n${B},\n${C}\n]\n`);
  assert.deepEqual(JSON.parse(text).map((c) => c.id), ['b', 'a', '9']);
  assert.deepEqual(await captured('json', async (w) => w.end()), ['[]\n']);
  assert.deepEqual(await captured('json', async (w) => {
    await w.write([]);
    await w.end();
  }), ['[]\n']);
});

const HEADER = 'ID                         STATUS    APP          PATH                   CREATED                        DURATION  ERROR';

test('table: the header once, then a row per call, columns cut and padded to their widths', async () => {
  const call = {
    id: '01ABCDEFGHJKMNPQRSTVWXYZ01', status: 'success', app_name: 'shop', path: '/pay', created_at: '2018-06-12T10:00:00.123Z',
    started_at: '2018-06-12T10:00:00.5Z', completed_at: '2018-06-12T10:00:01.75Z', error: '',
  };
  const writes = await captured('table', async (w) => {
    await w.write([JSON.stringify(call)]);
    await w.write([]);
    await w.write([JSON.stringify({ ...call, id: '01ABCDEFGHJKMNPQRSTVWXYZ0123456', status: 'cancelled', app_name: 'a-very-long-app-name',
      path: '/a/path/longer/than/the/column', error: 'boom' })]);
    await w.end();
  });
  assert.deepEqual(writes, [
    `${HEADER}\n01ABCDEFGHJKMNPQRSTVWXYZ01 success   shop         /pay                   2018-06-12T10:00:00.123Z        1250 ms\n`,
    '01ABCDEFGHJKMNPQRSTVWXYZ0… cancelled a-very-long… /a/path/longer/than/t… 2018-06-12T10:00:00.123Z        1250 ms  boom\n',
  ]);
});

test('table: no calls is the header alone', async () => {
  assert.deepEqual(await captured('table', async (w) => w.end()), [`${HEADER}\n`]);
  assert.equal(HEADER.length, 26 + 1 + 9 + 1 + 12 + 1 + 22 + 1 + 29 + 1 + 10 + 1 + 5);
});

test('table: controls shown escaped, the empty status as "", the error cut at 80 columns, "-" without both times', async () => {
  // The rows come from the package (CallIndex.rows), so the records are calls it reads as valid.
  const call = (id, o) => JSON.stringify({ id, status: 'success', app_name: 'shop', path: '/p', created_at: '2018-06-12T10:00:00.000Z',
    started_at: '2018-06-12T10:00:00.000Z', completed_at: '2018-06-12T10:00:00.000Z', ...o });
  const writes = await captured('table', async (w) => {
    await w.write([
      call('01C01TC09K47WGE00000000005', { status: '', app_name: 'a\tb', path: 'p\x1bq', started_at: '0001-01-01T00:00:00Z',
        completed_at: '2018-06-12T10:00:01.75Z', error: `${'e'.repeat(100)}\n` }),
      call('01C01TC09K47WGE00000000004', { status: 'running', started_at: '2018-06-12T10:00:01Z', completed_at: '0001-01-01T00:00:00Z', error: 'x\ny ' }),
      call('01C01TC09K47WGE00000000003', { started_at: '2018-06-12T10:00:01Z', completed_at: '2018-06-12T10:00:02.5Z', error: '日本' }),
      call('01C01TC09K47WGE00000000002', { started_at: '2018-06-12T10:00:01Z', completed_at: '2018-06-12T10:00:01Z', error: '  x  ' }),
    ]);
    await w.end();
  });
  const rows = writes.join('').split('\n');
  assert.equal(rows[0], HEADER);
  const created = '2018-06-12T10:00:00.000Z';
  // The duration column ends at column 112 (26 + 9 + 12 + 22 + 29 + 9 and the spaces between).
  const at112 = (left, duration) => left.padEnd(112 - duration.length) + duration;
  assert.equal(rows[1], `${at112(`01C01TC09K47WGE00000000005 ""        a\\tb         p\\x1bq                 ${created}`, '-')}  ${'e'.repeat(79)}…`);
  assert.equal(rows[2], `${at112(`01C01TC09K47WGE00000000004 running   shop         /p                     ${created}`, '-')}  x\\ny`);
  assert.equal(rows[3], `${at112(`01C01TC09K47WGE00000000003 success   shop         /p                     ${created}`, '1500 ms')}  日本`);
  // The last column keeps its leading spaces; only the end of the row is trimmed.
  assert.equal(rows[4], `${at112(`01C01TC09K47WGE00000000002 success   shop         /p                     ${created}`, '0 ms')}    x`);
  assert.equal(rows[5], '');
  assert.equal(rows.length, 6);
});

test('writeOut: writes the text as it is; an empty text writes nothing', async () => {
  const writes = [];
  const write = process.stdout.write;
  process.stdout.write = (text) => {
    writes.push(text);
    return true;
  };
  try {
    await writeOut('abc');
    await writeOut('');
  } finally {
    process.stdout.write = write;
  }
  assert.deepEqual(writes, ['abc']);
});

test('writeOut: waits for stdout to drain when its buffer is full', async () => {
  const write = process.stdout.write;
  let drained = false;
  process.stdout.write = () => {
    setTimeout(() => {
      drained = true;
      process.stdout.emit('drain');
    }, 20);
    return false;
  };
  try {
    await writeOut('x');
  } finally {
    process.stdout.write = write;
  }
  assert.equal(drained, true);
});

test('writeOut: one error listener on stdout, however many writes', async () => {
  const before = process.stdout.listenerCount('error');
  const write = process.stdout.write;
  process.stdout.write = () => true;
  try {
    for (let i = 0; i < 20; i++) await writeOut('x');
  } finally {
    process.stdout.write = write;
  }
  assert.ok(process.stdout.listenerCount('error') - before <= 1);
});

/** Runs a script that imports output.mjs, with stdout read by `reader(stdout, child)`; `{ code, stderr }`. */
function child(script, reader) {
  return new Promise((resolve, reject) => {
    const url = new URL('../../pkg/bin/output.mjs', import.meta.url).href;
    const c = spawn(process.execPath, ['--input-type=module', '-e', `import * as o from ${JSON.stringify(url)};\n${script}`], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const err = [];
    c.stderr.on('data', (d) => err.push(d));
    c.on('error', reject);
    c.on('close', (code) => resolve({ code, stderr: Buffer.concat(err).toString('utf8') }));
    reader(c.stdout, c);
  });
}

const LOTS = `const line = 'x'.repeat(1000) + '\\n'; for (let i = 0; i < 100000; i++) await o.writeOut(line);`;

test('a reader that goes away (| head) ends the command quietly, with the status it asked for', async () => {
  const closeEarly = (stdout) => stdout.once('data', () => stdout.destroy());
  const quiet = await child(LOTS, closeEarly);
  assert.deepEqual(quiet, { code: 0, stderr: '' });
  const asked = await child(`o.exitCodeOnClosedPipe(3); ${LOTS}`, closeEarly);
  assert.deepEqual(asked, { code: 3, stderr: '' });
  const set = await child(`o.exitCodeOnClosedPipe(3); process.exitCode = 4; ${LOTS}`, closeEarly);
  assert.deepEqual(set, { code: 4, stderr: '' });
});

test('any other write error is reported on one line, with status 2', async () => {
  const r = await child(
    `await o.writeOut('a'); o.exitCodeOnClosedPipe(3); process.stdout.emit('error', Object.assign(new Error('no space left'), { code: 'ENOSPC' })); await new Promise(() => {});`,
    (stdout) => stdout.resume(),
  );
  assert.deepEqual(r, { code: 2, stderr: 'fn-calls: cannot write the output: no space left\n' });
});

// js/cli/fn-calls.mjs, the command's entry: the global flags, help and version, and each command (validate, filter,
// stats, fetch, log) from its arguments to its output and exit status, run in process through the exported `run`
// (the text written to stdout and stderr captured by replacing their write methods for the length of a run). Written so that mutants of
// fn-calls.mjs are caught in seconds, not by a whole CLI suite run (docs/mutation-testing.md); tests/js/cli.test.mjs
// runs the real command as a process. It imports the built copy (pkg/bin/), so it needs `bash scripts/build.sh`.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { mkdtempSync, writeFileSync, rmSync, symlinkSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run } from '../../pkg/bin/fn-calls.mjs';
import { exitCodeOnClosedPipe } from '../../pkg/bin/output.mjs';
import { jsonServer as server, runCli, CLI } from './support.mjs';
import { generateCalls } from '../../scripts/gen-calls.mjs';

const fc = createRequire(import.meta.url)('../../pkg');
const VERSION = createRequire(import.meta.url)('../../pkg/package.json').version;

/** Runs `fn-calls ARGS` in process: `{ code, stdout, stderr }`. No progress line unless `env` asks for one. */
async function cli(args, env = {}) {
  const saved = { ...process.env };
  process.env.FN_CALLS_PROGRESS = '0';
  for (const [k, v] of Object.entries(env)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  const out = [];
  const err = [];
  const [write, writeErr] = [process.stdout.write, process.stderr.write];
  // The command writes text; the test runner's own reports to its parent (Buffers) pass through.
  process.stdout.write = (t, ...rest) => (typeof t === 'string' ? out.push(t) > 0 : write.call(process.stdout, t, ...rest));
  process.stderr.write = (t, ...rest) => (typeof t === 'string' ? err.push(t) > 0 : writeErr.call(process.stderr, t, ...rest));
  let code;
  try {
    code = await run(args);
  } finally {
    process.stdout.write = write;
    process.stderr.write = writeErr;
    for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
    Object.assign(process.env, saved);
  }
  return { code, stdout: out.join(''), stderr: err.join('') };
}

/** A user error: exit 2, nothing on stdout, exactly this text on stderr. */
function usage(r, text) {
  assert.equal(r.stdout, '');
  assert.equal(r.stderr, text);
  assert.equal(r.code, 2);
}

const id = (c) => `01CFT9GTZMHGF4F8PK0M000NF${c}`;
const call = (c, o = {}) => JSON.stringify({
  id: id(c), status: 'success', app_name: 'shop', path: '/pay', created_at: '2018-06-12T15:23:39.892Z',
  started_at: '2018-06-12T15:23:40.892Z', completed_at: '2018-06-12T15:23:41.892Z', ...o,
});
/** As the server writes it (the package's Go JSON). */
const go = (text) => fc.stringifyCall(fc.parseCall(text));

const GOOD = [call('E'), call('D', { status: 'error', path: '/x', error: 'boom', completed_at: '2018-06-12T15:23:43.892Z' })];
const BAD1 = call('C', { status: 'bogus', created_at: 'not a time' }); // two errors, one record
const WARN = call('B', { extra: 1 }); // a warning only (an unknown key)
const BROKEN = 'not json';

let dir;
const file = (name, lines) => {
  const path = join(dir, name);
  writeFileSync(path, lines.join('\n') + '\n');
  return path;
};
let mixed; // GOOD[0], BAD1, WARN, BROKEN, GOOD[1]: three calls to read, two records left out
const MIXED_GOOD = [GOOD[0], WARN, GOOD[1]];
let clean;
let warnOnly;
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'fn-calls-main-'));
  mixed = file('mixed.ndjson', [GOOD[0], BAD1, WARN, BROKEN, GOOD[1]]);
  clean = file('clean.ndjson', GOOD);
  warnOnly = file('warn.ndjson', [WARN]);
});
after(() => rmSync(dir, { recursive: true, force: true }));

// ---- main: version, help, global flags, errors ------------------------------------------------------------------

test('--version, -V, -v and version print the version; nothing else', async () => {
  for (const flag of ['--version', '-V', '-v', 'version']) {
    assert.deepEqual(await cli([flag]), { code: 0, stdout: `fn-calls ${VERSION}\n`, stderr: '' });
  }
});

test('no command: the main help on stderr, exit 2', async () => {
  const r = await cli([]);
  assert.equal(r.code, 2);
  assert.equal(r.stdout, '');
  assert.match(r.stderr, /^usage: fn-calls <command> \[options\] \[files…\]\n\nValidate, filter and summarise/);
  assert.match(r.stderr, /\n  log --url U --app A ID print one call's log from an Fn server\n/);
  assert.match(r.stderr, /\nExit status: 0 fine, 1 errors found \(or records with errors left out\), 2 bad usage or unreadable input\.\n$/);
});

test('--help, -h and help print the main help, or a command\'s with help COMMAND; exit 0', async () => {
  const main = (await cli([])).stderr;
  for (const args of [['--help'], ['-h'], ['help'], ['help', 'nothing'], ['-h', 'fetch2']]) {
    assert.deepEqual(await cli(args), { code: 0, stdout: main, stderr: '' }, args.join(' '));
  }
  for (const command of ['validate', 'filter', 'stats', 'fetch', 'log']) {
    const r = await cli(['help', command]);
    assert.equal(r.code, 0);
    assert.match(r.stdout, new RegExp(`^usage: fn-calls ${command} `));
    assert.deepEqual(await cli([command, '--help']), r);
    assert.deepEqual(await cli([command, '--mode', 'strict', '-h']), r);
  }
});

test('each command\'s help says what it needs to: inputs, the filter, its options, its exit statuses', async () => {
  const help = async (command) => (await cli([command, '--help'])).stdout;
  const INPUTS = /\nInput: files, or stdin when there are none \(or '-'\): NDJSON .*\ncall \(bare or in the v1 envelope .* \(detected\)\.\n/;
  const FILTER = /\nFilter \(all given conditions must hold\):\n  --app NAME {15}app_name, exactly\n[^]*\n  --cursor ID {14}only ids below ID \(the server's cursor: a previous page's next_cursor\)\n/;
  const v = await help('validate');
  assert.match(v, INPUTS);
  assert.doesNotMatch(v, FILTER);
  assert.match(v, /\n  --warnings-as-errors     exit 1 when there are warnings too\n/);
  assert.match(v, /\n  fn-calls validate page.json --json \| jq -r .code \| sort \| uniq -c\n$/);
  const f = await help('filter');
  assert.match(f, INPUTS);
  assert.match(f, FILTER);
  assert.match(f, /\n  fn-calls filter calls.ndjson.gz --error-contains 'exit code' --format table --limit 20\n$/);
  const s = await help('stats');
  assert.match(s, INPUTS);
  assert.match(s, FILTER);
  assert.match(s, /\n  --by path\|app\|status     one row per route path, app or status, then the total\n/);
  const fe = await help('fetch');
  assert.doesNotMatch(fe, INPUTS);
  assert.match(fe, FILTER);
  assert.match(fe, /\n  --per-page N             calls per request, 1–100 \(default 100, the server's maximum\)\n/);
  const l = await help('log');
  assert.doesNotMatch(l, FILTER);
  assert.match(l, /\n  fn-calls log --url http:\/\/localhost:8080 --app shop 01CFT9GTZMHGF4F8PK0M000NFZ\n$/);
});

test('--help after -- is a file name, not a request for help', async () => {
  const r = await cli(['validate', '--', '--help']);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /^fn-calls validate: cannot read --help: /);
});

test('an unknown command is named (escaped) with the list of commands; exit 2', async () => {
  usage(await cli(['frobnicate']), "fn-calls: unknown command 'frobnicate' (commands: validate, filter, stats, fetch, log; see 'fn-calls --help')\n");
  usage(await cli(['\x1b[2J']), "fn-calls: unknown command '\\x1b[2J' (commands: validate, filter, stats, fetch, log; see 'fn-calls --help')\n");
});

test('a usage error of a command is prefixed with it, one line per problem, escaped', async () => {
  usage(await cli(['filter', clean, '--status', 'bogus', '--type', 'x']),
    "fn-calls filter: --status: 'bogus' is not a status (delayed, queued, running, success, error, cancelled, timeout)\n" +
    "fn-calls filter: --type: 'x' is not a call type: sync or async\n");
  usage(await cli(['stats', '--by', 'x\x07']), "fn-calls stats: --by: 'x\\x07' is not one of path, app, status\n");
});

test('-q and --progress contradict each other, before any command runs', async () => {
  const text = '--quiet and --progress contradict each other: give one\n';
  usage(await cli(['-q', '--progress', 'validate', clean]), `fn-calls: ${text}`);
  usage(await cli(['validate', '--quiet', clean, '--progress']), `fn-calls validate: ${text}`);
});

test('-q and --quiet silence the notes on stderr (not the output); the next run speaks again', async () => {
  const loud = await cli(['validate', mixed]);
  assert.equal(loud.code, 1);
  assert.match(loud.stderr, /^fn-calls validate: 5 records in 1 input: /);
  for (const flag of ['-q', '--quiet']) {
    assert.deepEqual(await cli(['validate', flag, mixed]), { ...loud, stderr: '' });
    assert.deepEqual(await cli([flag, 'filter', mixed]), { code: 1, stdout: MIXED_GOOD.map(go).join('\n') + '\n', stderr: '' });
  }
  assert.deepEqual(await cli(['validate', mixed]), loud);
});

test('global flags after -- are file names', async () => {
  const r = await cli(['validate', clean, '--', '-q']);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /^fn-calls validate: cannot read -q: /, 'not quiet: -q is a file here');
  const p = await cli(['validate', '-q', '--', '--progress']);
  assert.equal(p.code, 2);
  assert.match(p.stderr, /^fn-calls validate: cannot read --progress: /, 'a file name, not a contradiction of -q');
  const q = await cli(['validate', '--', '--quiet']);
  assert.match(q.stderr, /^fn-calls validate: cannot read --quiet: /);
});

// ---- validate -------------------------------------------------------------------------------------------------

const ISSUES = [
  `${'M'}:2 record 1 /status: error bad_status 'bogus' is not a call status: expected delayed, queued, running, success, error or cancelled, or timeout as real servers write`,
  'M:2 record 1 /created_at: error bad_datetime \'not a time\' is not a date-time: expected an RFC 3339 date-time like 2017-11-28T17:21:39.123Z',
  "M:3 record 2 /extra: warning unknown_key 'extra' is not a key of this model; Go ignores it and it is lost when the call is written again",
  'M:4 record 3 "": error json_syntax unexpected character \'n\': expected \'null\'',
];

test('validate: a line per issue with file, line, record and pointer; the totals on stderr; exit 1 on errors', async () => {
  const r = await cli(['validate', mixed]);
  assert.equal(r.stdout, ISSUES.map((l) => l.replace('M', mixed)).join('\n') + '\n');
  assert.equal(r.stderr, 'fn-calls validate: 5 records in 1 input: 2 with errors; 3 errors, 1 warning\n');
  assert.equal(r.code, 1);
});

test('validate --errors-only leaves the warnings out of the lines, not out of the totals', async () => {
  const r = await cli(['validate', '--errors-only', mixed, clean]);
  assert.equal(r.stdout, ISSUES.filter((l) => !l.includes('warning')).map((l) => l.replace('M', mixed)).join('\n') + '\n');
  assert.equal(r.stderr, 'fn-calls validate: 7 records in 2 inputs: 2 with errors; 3 errors, 1 warning\n');
  assert.equal(r.code, 1);
});

test('validate --json: one object per issue, with the file', async () => {
  const r = await cli(['validate', '--json', mixed]);
  const objects = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
  assert.deepEqual(objects.map((o) => [o.file, o.severity, o.code, o.path, o.index, o.line]), [
    [mixed, 'error', 'bad_status', '/status', 1, 2],
    [mixed, 'error', 'bad_datetime', '/created_at', 1, 2],
    [mixed, 'warning', 'unknown_key', '/extra', 2, 3],
    [mixed, 'error', 'json_syntax', '', 3, 4],
  ]);
  assert.equal(Object.keys(objects[0])[0], 'file');
  assert.equal(r.code, 1);
});

test('validate: no issues is said so, exit 0; warnings alone exit 0, or 1 with --warnings-as-errors', async () => {
  assert.deepEqual(await cli(['validate', clean]), { code: 0, stdout: '', stderr: 'fn-calls validate: 2 records in 1 input: no issues\n' });
  const one = file('one.ndjson', [GOOD[0]]);
  assert.equal((await cli(['validate', one, one])).stderr, 'fn-calls validate: 2 records in 2 inputs: no issues\n');
  assert.equal((await cli(['validate', one])).stderr, 'fn-calls validate: 1 record in 1 input: no issues\n');
  const w = await cli(['validate', warnOnly]);
  assert.deepEqual(w, {
    code: 0,
    stdout: ISSUES[2].replace('M:3 record 2', `${warnOnly}:1 record 0`) + '\n',
    stderr: 'fn-calls validate: 1 record in 1 input: 0 with errors; 0 errors, 1 warning\n',
  });
  assert.equal((await cli(['validate', '--warnings-as-errors', warnOnly])).code, 1);
  assert.equal((await cli(['validate', '--warnings-as-errors', '--errors-only', warnOnly])).code, 1);
  assert.equal((await cli(['validate', '--warnings-as-errors', clean])).code, 0);
  const two = file('two.ndjson', [WARN, WARN]);
  assert.match((await cli(['validate', two])).stderr, /: 0 with errors; 0 errors, 2 warnings\n$/);
  const bad = file('bad.ndjson', [BROKEN]);
  assert.match((await cli(['validate', bad])).stderr, /: 1 with errors; 1 error, 0 warnings\n$/);
});

test('validate --mode strict: what real servers wrote is an error there', async () => {
  const timeout = file('timeout.ndjson', [call('F', { status: 'timeout' })]);
  assert.equal((await cli(['validate', timeout])).code, 0);
  const r = await cli(['validate', '--mode', 'strict', timeout]);
  assert.equal(r.code, 1);
  assert.match(r.stdout, /record 0 \/status: error /);
  usage(await cli(['validate', '--mode', 'lax', timeout]), "fn-calls validate: --mode: 'lax' is not one of observed, strict\n");
});

test('validate --max-record-mb: a larger record is reported and skipped', async () => {
  const big = file('big.ndjson', [call('G', { error: 'x'.repeat(1100000) }), GOOD[0]]);
  assert.equal((await cli(['validate', big])).code, 0);
  const r = await cli(['validate', '--max-record-mb', '1', big]);
  assert.equal(r.code, 1);
  assert.match(r.stdout, /^\S+:1 record 0 "": error record_too_large /);
  assert.equal(r.stdout.trim().split('\n').length, 1);
});

// ---- filter -----------------------------------------------------------------------------------------------------

test('filter: the good calls as the server writes them; the records left out named (the first three); exit 1', async () => {
  const r = await cli(['filter', mixed]);
  assert.equal(r.stdout, MIXED_GOOD.map(go).join('\n') + '\n');
  assert.equal(
    r.stderr,
    "fn-calls filter: 2 records with errors left out ('fn-calls validate' lists them all), e.g.:\n" +
      ISSUES.filter((l) => !l.includes('warning')).map((l) => `  ${l.replace('M', mixed)}\n`).join(''),
  );
  assert.equal(r.code, 1);
  const bad = file('bad1.ndjson', [BROKEN, GOOD[0]]);
  const one = await cli(['filter', bad]);
  assert.equal(one.stderr.split('\n')[0], "fn-calls filter: 1 record with errors left out ('fn-calls validate' lists them all), e.g.:");
  const many = file('bad4.ndjson', [BROKEN, BROKEN, BROKEN, BROKEN, BAD1]);
  const m = await cli(['filter', many]);
  assert.equal(m.stderr.split('\n').length, 5); // the note, three examples, the end of the last line
  assert.match(m.stderr, /^fn-calls filter: 5 records with errors left out/);
  assert.deepEqual(await cli(['filter', clean]), { code: 0, stdout: GOOD.map(go).join('\n') + '\n', stderr: '' });
});

test('filter: the filter options select; a warning about the filter is shown', async () => {
  assert.equal((await cli(['filter', clean, '--status', 'error'])).stdout, go(GOOD[1]) + '\n');
  const r = await cli(['filter', clean, '--path', 'pay']);
  assert.deepEqual(r, {
    code: 0,
    stdout: '',
    stderr: "fn-calls filter: warning: --path: route paths start with '/', so 'pay' matches no call; did you mean '/pay'?\n",
  });
  assert.equal((await cli(['-q', 'filter', clean, '--path', 'pay'])).stderr, '');
});

test('filter --limit: at most N calls, across inputs; inputs after the limit are not read', async () => {
  const ndjson = (calls) => calls.map(go).join('\n') + (calls.length ? '\n' : '');
  assert.equal((await cli(['filter', clean, '--limit', '1'])).stdout, ndjson([GOOD[0]]));
  assert.equal((await cli(['filter', clean, '--limit', '2'])).stdout, ndjson(GOOD));
  assert.equal((await cli(['filter', clean, clean, '--limit', '3'])).stdout, ndjson([...GOOD, GOOD[0]]));
  assert.deepEqual(await cli(['filter', clean, '--limit', '0']), { code: 0, stdout: '', stderr: '' });
  // The bad records of the second input are never read: no note, exit 0.
  assert.deepEqual(await cli(['filter', clean, mixed, '--limit', '2']), { code: 0, stdout: ndjson(GOOD), stderr: '' });
  const r = await cli(['filter', clean, mixed, '--limit', '3']);
  assert.equal(r.stdout, ndjson([...GOOD, GOOD[0]]));
  assert.equal((await cli(['filter', mixed, clean, '--limit', '4'])).stdout, ndjson([...MIXED_GOOD, GOOD[0]]));
  usage(await cli(['filter', clean, '--limit', '-1']), 'fn-calls filter: --limit: -1 is below 0\n');
});

test('filter --format and --json: a JSON array or a table; --json with another format is refused', async () => {
  const array = `[\n${GOOD.map(go).join(',\n')}\n]\n`;
  assert.equal((await cli(['filter', clean, '--format', 'json'])).stdout, array);
  assert.equal((await cli(['filter', clean, '--json'])).stdout, array);
  assert.equal((await cli(['filter', clean, '--json', '--format', 'json'])).stdout, array);
  assert.equal((await cli(['filter', clean, '--format', 'ndjson'])).stdout, GOOD.map(go).join('\n') + '\n');
  const t = (await cli(['filter', clean, '--format', 'table'])).stdout;
  assert.match(t, /^ID +STATUS +APP +PATH +CREATED +DURATION +ERROR\n01CFT9GTZMHGF4F8PK0M000NFE +success +shop +\/pay /);
  usage(await cli(['filter', clean, '--json', '--format', 'table']), 'fn-calls filter: --json and --format table ask for different outputs: give one\n');
  usage(await cli(['stats', clean, '--json', '--format', 'table']), 'fn-calls stats: --json and --format table ask for different outputs: give one\n');
  usage(await cli(['filter', clean, '--format', 'csv']), "fn-calls filter: --format: 'csv' is not one of ndjson, json, table\n");
});

test('filter --validate matches and --max-record-mb reach the scan', async () => {
  // With `matches`, a broken record that cannot match is not read, so nothing is left out.
  const r = await cli(['filter', mixed, '--status', 'error', '--validate', 'matches']);
  assert.equal(r.stdout, go(GOOD[1]) + '\n');
  const big = file('big2.ndjson', [call('G', { error: 'x'.repeat(1100000) }), GOOD[0]]);
  const m = await cli(['filter', big, '--max-record-mb', '1']);
  assert.equal(m.code, 1);
  assert.equal(m.stdout, go(GOOD[0]) + '\n');
});

// ---- stats ------------------------------------------------------------------------------------------------------

const summary = (text, by) => {
  const s = fc.summarizeCalls(text, by ? { group_by: by } : {});
  return by ? { total: s.total, groups: s.groups } : { total: s.total };
};

test('stats: the package\'s summary as a table, the records left out noted; exit 1 when there are some', async () => {
  const r = await cli(['stats', mixed]);
  const lines = r.stdout.split('\n');
  assert.equal(lines[0], '3 calls (2 records with errors left out), created 2018-06-12T15:23:39.892Z … 2018-06-12T15:23:39.892Z');
  assert.match(lines[2], /^ +CALLS +SUCCESS/);
  assert.match(lines[3], /^total +3 +2 +1 +0 +0 +33\.3% +1\.0s +3\.0s +3\.0s +3\.0s +1\.0s +- +-$/);
  assert.equal(lines.length, 7);
  assert.match(r.stderr, /^fn-calls stats: 2 records with errors left out \('fn-calls validate' lists them all\), e\.g\.:\n/);
  assert.equal(r.code, 1);
  const c = await cli(['stats', clean]);
  assert.deepEqual(c, { code: 0, stdout: c.stdout, stderr: '' });
  assert.match(c.stdout, /^2 calls, created 2018-06-12T15:23:39.892Z … 2018-06-12T15:23:39.892Z\n\n +CALLS +SUCCESS .*\ntotal +2 +1 +1 +0 +0 +50\.0% /);
});

test('stats --json: the summary with the records read and the records left out; --by groups, app_name for app', async () => {
  const want = (by, records, skipped) => JSON.parse(JSON.stringify({ ...summary(GOOD.join('\n'), by), records, skipped }));
  const r = await cli(['stats', mixed, '--json']);
  assert.equal(r.code, 1);
  assert.deepEqual(JSON.parse(r.stdout), JSON.parse(JSON.stringify({ ...summary(MIXED_GOOD.join('\n')), records: 5, skipped: 2 })));
  assert.match(r.stdout, /^{\n {2}"total": {\n/);
  assert.deepEqual(JSON.parse((await cli(['stats', clean, '--format', 'json', '--by', 'path'])).stdout), want('path', 2, 0));
  assert.deepEqual(JSON.parse((await cli(['stats', clean, '--json', '--by', 'status'])).stdout), want('status', 2, 0));
  assert.deepEqual(JSON.parse((await cli(['stats', clean, clean, '--json', '--by', 'app'])).stdout),
    JSON.parse(JSON.stringify({ ...summary([...GOOD, ...GOOD].join('\n'), 'app_name'), records: 4, skipped: 0 })));
  assert.deepEqual(JSON.parse((await cli(['stats', clean, '--json', '--by', 'app_name'])).stdout), want('app_name', 2, 0));
  const table = (await cli(['stats', clean, '--by', 'app_name'])).stdout.split('\n');
  assert.match(table[2], /^APP +CALLS/);
  assert.match(table[3], /^shop +2 /);
  assert.match((await cli(['stats', clean, '--by', 'path'])).stdout.split('\n')[2], /^PATH +CALLS/);
  assert.match((await cli(['stats', clean, '--format', 'table'])).stdout, /^2 calls, created/);
});

test('stats: the filter applies, and a usage error names the flag', async () => {
  const r = await cli(['stats', clean, '--status', 'error', '--json']);
  assert.equal(JSON.parse(r.stdout).total.count, 1);
  assert.match((await cli(['stats', clean, '--path', 'x'])).stderr, /^fn-calls stats: warning: --path: /);
  usage(await cli(['stats', clean, '--format', 'ndjson']), "fn-calls stats: --format: 'ndjson' is not one of table, json\n");
  const big = file('big3.ndjson', [call('G', { error: 'x'.repeat(1100000) }), GOOD[0]]);
  assert.equal(JSON.parse((await cli(['stats', big, '--max-record-mb', '1', '--json'])).stdout).skipped, 1);
  assert.equal(JSON.parse((await cli(['stats', mixed, '--status', 'error', '--validate', 'matches', '--json'])).stdout).skipped, 0);
});

// ---- fetch and log ----------------------------------------------------------------------------------------------

/** Clean calls of app shop, newest first, as the server writes them. */
const CALLS = fc.filterCalls(
  fc.parseCalls(generateCalls({ count: 8, seed: 11 }).join('\n')).calls.map((c) => ({ ...c, app_name: 'shop' })),
  { all: true },
).calls;
const JSONS = CALLS.map((c) => fc.stringifyCall(c));
const NDJSON = JSONS.join('\n') + '\n';

/** A v1 server listing `calls` of app shop in pages, and their logs; `before(url, req)` may answer first. */
const v1 = (calls = CALLS, before = () => null) => server((url, req) => {
  const early = before(url, req);
  if (early) return early;
  if (url.pathname === '/version') return [200, '{"version":"0.3.500"}'];
  const log = /^\/v1\/apps\/shop\/calls\/(\w+)\/log$/.exec(url.pathname);
  if (log) return [200, JSON.stringify({ message: 'ok', log: { call_id: log[1], log: `log of ${log[1]}\n\x1b[31mred\n` } })];
  if (url.pathname !== '/v1/apps/shop/calls') return [404, '{"error":{"message":"App not found"}}'];
  const page = fc.filterCalls(calls, fc.filterFromQuery(url.href).filter);
  return [200, `{"message":"Successfully listed calls","next_cursor":${JSON.stringify(page.next_cursor)},"calls":[${page.calls.map((c) => fc.stringifyCall(c)).join(',')}]}`];
});

const calls = (srv) => srv.requests.filter((u) => u.pathname === '/v1/apps/shop/calls');

test('fetch: every call as NDJSON, pages of 100 unless --per-page says; exit 0, nothing on stderr', async () => {
  const srv = await v1();
  try {
    assert.deepEqual(await cli(['fetch', '--url', srv.base, '--app', 'shop']), { code: 0, stdout: NDJSON, stderr: '' });
    assert.deepEqual(calls(srv).map((u) => u.searchParams.get('per_page')), ['100']);
    srv.requests.length = 0;
    assert.deepEqual(await cli(['fetch', '--url', srv.base, '--app', 'shop', '--per-page', '2']), { code: 0, stdout: NDJSON, stderr: '' });
    assert.deepEqual(calls(srv).map((u) => u.searchParams.get('per_page')), ['2', '2', '2', '2', '2']);
    srv.requests.length = 0;
    // $FN_API_URL when there is no --url
    assert.deepEqual(await cli(['fetch', '--app', 'shop', '--per-page', '100'], { FN_API_URL: srv.base }), { code: 0, stdout: NDJSON, stderr: '' });
  } finally {
    await srv.close();
  }
});

test('fetch --limit, --format, --json', async () => {
  const srv = await v1();
  try {
    const f = (...args) => cli(['fetch', '--url', srv.base, '--app', 'shop', ...args]);
    assert.equal((await f('--limit', '3', '--per-page', '2')).stdout, JSONS.slice(0, 3).join('\n') + '\n');
    assert.equal(calls(srv).length, 2);
    srv.requests.length = 0;
    assert.deepEqual(await f('--limit', '0'), { code: 0, stdout: '', stderr: '' });
    assert.deepEqual(await f('--limit', '0', '--json'), { code: 0, stdout: '[]\n', stderr: '' });
    assert.equal(srv.requests.length, 0);
    assert.equal((await f('--json')).stdout, `[\n${JSONS.join(',\n')}\n]\n`);
    assert.equal((await f('--format', 'json')).stdout, `[\n${JSONS.join(',\n')}\n]\n`);
    assert.match((await f('--format', 'table')).stdout, /^ID +STATUS +APP +PATH /);
    usage(await f('--json', '--format', 'ndjson'), 'fn-calls fetch: --json and --format ndjson ask for different outputs: give one\n');
  } finally {
    await srv.close();
  }
});

test('fetch: the server filter goes in the URL, the rest is applied here; a filter warning is shown', async () => {
  const srv = await v1();
  try {
    const f = (...args) => cli(['fetch', '--url', srv.base, '--app', 'shop', ...args]);
    const errors = CALLS.filter((c) => c.status === 'error');
    assert.ok(errors.length > 0 && errors.length < CALLS.length);
    assert.equal((await f('--status', 'error')).stdout, errors.map((c) => fc.stringifyCall(c)).join('\n') + '\n');
    assert.equal(calls(srv)[0].searchParams.get('status'), null);
    srv.requests.length = 0;
    const r = await f('--cursor', CALLS[1].id, '--from', '1528761600', '--path', '/x');
    assert.equal(r.stdout, '');
    assert.equal(calls(srv)[0].searchParams.get('cursor'), CALLS[1].id);
    assert.equal(calls(srv)[0].searchParams.get('from_time'), '1528761600');
    assert.equal(calls(srv)[0].searchParams.get('path'), '/x');
    srv.requests.length = 0;
    // The cursor is the server's: the calls it sends below the cursor are all written.
    assert.equal((await f('--cursor', CALLS[1].id)).stdout, JSONS.slice(2).join('\n') + '\n');
    assert.equal((await f('--path', 'x')).stderr, "fn-calls fetch: warning: --path: route paths start with '/', so 'x' matches no call; did you mean '/x'?\n");
  } finally {
    await srv.close();
  }
});

test('fetch: what it needs is asked for, with the command\'s help', async () => {
  const f = (args, env = { FN_API_URL: undefined }) => cli(['fetch', ...args], env);
  usage(await f(['--app', 'shop', 'file.ndjson']), "fn-calls fetch: fetch reads from the server, not from 'file.ndjson' (see 'fn-calls fetch --help')\n");
  usage(await f(['--app', 'shop']), 'fn-calls fetch: --url is required (or set FN_API_URL), e.g. --url http://localhost:8080\n');
  usage(await f(['--app', 'shop'], { FN_API_URL: '' }), 'fn-calls fetch: --url is required (or set FN_API_URL), e.g. --url http://localhost:8080\n');
  usage(await f(['--app', 'shop', '--url', 'localhost:8080x']), "fn-calls fetch: --url: 'localhost:8080x' is not http(s)\n");
  usage(await f(['--app', 'shop', '--url', 'nowhere']), "fn-calls fetch: --url: 'nowhere' is not a URL (e.g. http://localhost:8080)\n");
  usage(await f(['--app', 'shop', '--url', 'ftp://h/']), "fn-calls fetch: --url: 'ftp://h/' is not http(s)\n");
  usage(await f(['--url', 'http://h/']), 'fn-calls fetch: --app NAME is required: the app whose calls to list\n');
  usage(await f(['--app', 'shop', '--url', 'http://h/', '--per-page', '101']), 'fn-calls fetch: --per-page: the server sends at most 100 calls per page\n');
  usage(await f(['--app', 'shop', '--url', 'http://h/', '--per-page', '0']), 'fn-calls fetch: --per-page: 0 is below 1\n');
  usage(await f(['--app', 'shop', '--url', 'http://h/', '--api', 'v3']), "fn-calls fetch: --api: 'v3' is not one of auto, v1, v2\n");
  usage(await f(['--app', 'shop', '--url', 'http://h/', '--mode', 'x']), "fn-calls fetch: --mode: 'x' is not one of observed, strict\n");
  usage(await f(['--app', 'shop', '--url', 'http://h/', '--retries', '-1']), 'fn-calls fetch: --retries: -1 is below 0\n');
  usage(await f(['--app', 'shop', '--url', 'http://h/', '--retry-delay', '-1']), 'fn-calls fetch: --retry-delay: -1 is below 0\n');
  usage(await f(['--app', 'shop', '--url', 'http://h/', '--timeout', '0']), 'fn-calls fetch: --timeout: 0 is below 1\n');
  usage(await f(['--app', 'shop', '--url', 'http://h/', '--max-answer-mb', '0']), 'fn-calls fetch: --max-answer-mb: 0 is below 1\n');
  usage(await f(['--app', 'shop', '--url', 'http://h/', '--header', 'nocolon']), "fn-calls fetch: --header: 'nocolon' is not 'Name: value'\n");
});

test('fetch: the progress line when asked for (FN_CALLS_PROGRESS=1 or --progress), cleared at the end', async () => {
  const srv = await v1();
  try {
    const line = (pages, n) => `\r\x1b[Kfn-calls fetch: ${pages} page${pages === 1 ? '' : 's'}, ${n} calls`;
    const want = [line(1, 3), line(2, 6), line(3, 8), '\r\x1b[K'].join('');
    const r = await cli(['fetch', '--url', srv.base, '--app', 'shop', '--per-page', '3'], { FN_CALLS_PROGRESS: '1' });
    assert.deepEqual(r, { code: 0, stdout: NDJSON, stderr: want });
    assert.deepEqual(await cli(['--progress', 'fetch', '--url', srv.base, '--app', 'shop', '--per-page', '3']), r);
    assert.deepEqual(await cli(['fetch', '--url', srv.base, '--app', 'shop', '--per-page', '3'], { FN_CALLS_PROGRESS: '0' }), { ...r, stderr: '' });
    assert.deepEqual(await cli(['fetch', '-q', '--url', srv.base, '--app', 'shop', '--per-page', '3'], { FN_CALLS_PROGRESS: '1' }), { ...r, stderr: '' });
  } finally {
    await srv.close();
  }
});

test('fetch: calls with errors are named, the others written; the count at the end; exit 1', async () => {
  const bad = { ...CALLS[1], status: 'timeout' }; // an error in --mode strict only
  const srv = await v1([CALLS[0], bad, ...CALLS.slice(2)]);
  try {
    const f = (...args) => cli(['fetch', '--url', srv.base, '--app', 'shop', ...args]);
    assert.equal((await f()).code, 0);
    const r = await f('--mode', 'strict');
    assert.equal(r.code, 1);
    assert.equal(r.stdout, [JSONS[0], ...JSONS.slice(2)].join('\n') + '\n');
    const lines = r.stderr.split('\n');
    assert.match(lines[0], /^fn-calls fetch: .*call 1 left out: bad_status at \/status: /);
    assert.equal(lines[1], 'fn-calls fetch: 1 call with errors left out (listed above)');
    assert.equal(lines.length, 3);
  } finally {
    await srv.close();
  }
  // With the progress line shown, it is cleared before each note, and at the end.
  const late = await v1([...CALLS.slice(0, 5), { ...CALLS[5], status: 'timeout' }, ...CALLS.slice(6)]);
  try {
    const shown = await cli(['fetch', '--url', late.base, '--app', 'shop', '--mode', 'strict', '--per-page', '4'], { FN_CALLS_PROGRESS: '1' });
    assert.equal(shown.stdout, [...JSONS.slice(0, 5), ...JSONS.slice(6)].join('\n') + '\n');
    assert.match(
      shown.stderr,
      new RegExp('^\r\x1b\\[Kfn-calls fetch: 1 page, 4 calls\r\x1b\\[Kfn-calls fetch: page 2 \\(cursor \\w+\\): call 1 left out: bad_status [^\r]*\n' +
        '\r\x1b\\[Kfn-calls fetch: 2 pages, 7 calls\r\x1b\\[Kfn-calls fetch: 3 pages, 7 calls\r\x1b\\[Kfn-calls fetch: 1 call with errors left out \\(listed above\\)\n$'),
    );
  } finally {
    await late.close();
  }
  const two = await v1([{ ...CALLS[0], status: 'timeout' }, { ...CALLS[1], status: 'timeout' }]);
  try {
    const r = await cli(['fetch', '--url', two.base, '--app', 'shop', '--mode', 'strict']);
    assert.match(r.stderr, /\nfn-calls fetch: 2 calls with errors left out \(listed above\)\n$/);
    assert.equal(r.code, 1);
  } finally {
    await two.close();
  }
});

test('fetch: --retries, --retry-delay (default 4 and 500 ms); a page that cannot be had stops the command', async () => {
  let failures = 0;
  const srv = await v1(CALLS, (url) => (url.pathname === '/v1/apps/shop/calls' && failures-- > 0 ? [503, '{"message":"busy"}'] : null));
  try {
    const f = (...args) => cli(['fetch', '--url', srv.base, '--app', 'shop', ...args]);
    failures = 1;
    const once = await f('--retries', '1');
    assert.equal(once.code, 0);
    assert.match(once.stderr, /: HTTP 503 Service Unavailable: busy; retrying in 0\.5 s \(attempt 2 of 2\)\n$/);
    failures = 4;
    const four = await f('--retry-delay', '0');
    assert.equal(four.stdout, NDJSON);
    assert.match(four.stderr, /retrying in 0\.0 s \(attempt 2 of 5\)\n[^]*\(attempt 5 of 5\)\n$/);
    failures = 1;
    const none = await f('--retries', '0');
    assert.equal(none.code, 2);
    assert.equal(none.stdout, '');
    assert.match(none.stderr, /HTTP 503 Service Unavailable: busy/);
    assert.doesNotMatch(none.stderr, /retrying/);
    failures = 2;
    const r = await f('--retries', '1', '--retry-delay', '1');
    assert.equal(r.code, 2);
    assert.match(r.stderr, /retrying in 0\.0 s \(attempt 2 of 2\)\n/);
  } finally {
    await srv.close();
  }
});

test('fetch --max-answer-mb: a larger answer stops the command; --timeout S waits S seconds', async () => {
  const big = { ...CALLS[0], error: 'x'.repeat(1100000) };
  const srv = await v1([big]);
  try {
    const f = (...args) => cli(['fetch', '--url', srv.base, '--app', 'shop', ...args]);
    assert.equal((await f('--timeout', '1')).code, 0);
    const r = await f('--max-answer-mb', '1');
    assert.equal(r.code, 2);
    assert.match(r.stderr, /: the answer is larger than 1048576 bytes; stopped reading it \(a larger limit: --max-answer-mb\); 0 calls from 0 pages were written\n$/);
    assert.equal((await f('--max-answer-mb', '2')).code, 0);
  } finally {
    await srv.close();
  }
});

test('fetch --header and --follow-redirects: headers sent; a redirect elsewhere refused unless asked for', async () => {
  const seen = [];
  const target = await v1(CALLS, (url, req) => {
    seen.push(req.headers['x-token']);
    return null;
  });
  const origin = await server((url) => [307, '', { location: `${target.base}${url.pathname}${url.search}` }]);
  try {
    const r = await cli(['fetch', '--url', target.base, '--app', 'shop', '--header', 'X-Token: t1']);
    assert.equal(r.stdout, NDJSON);
    assert.ok(seen.length > 0 && seen.every((h) => h === 't1'), String(seen));
    const refused = await cli(['fetch', '--url', origin.base, '--app', 'shop', '--retries', '0']);
    assert.equal(refused.code, 2);
    assert.match(refused.stderr, /redirect/);
    const followed = await cli(['fetch', '--url', origin.base, '--app', 'shop', '--follow-redirects']);
    assert.deepEqual(followed, { code: 0, stdout: NDJSON, stderr: '' });
  } finally {
    await origin.close();
    await target.close();
  }
});

test('log: the call\'s log exactly as the server keeps it, or as one JSON line with --json', async () => {
  const seen = [];
  const srv = await v1(CALLS, (url, req) => {
    seen.push(req.headers['x-token']);
    return null;
  });
  const id = CALLS[0].id;
  try {
    const l = (...args) => cli(['log', '--url', srv.base, '--app', 'shop', ...args]);
    assert.deepEqual(await l(id), { code: 0, stdout: `log of ${id}\n\x1b[31mred\n`, stderr: '' });
    assert.deepEqual(await l('--json', id), { code: 0, stdout: `${JSON.stringify({ call_id: id, log: `log of ${id}\n\x1b[31mred\n` })}\n`, stderr: '' });
    assert.equal((await l('--header', 'X-Token: t2', id)).code, 0);
    assert.equal(seen.at(-1), 't2');
    assert.equal((await cli(['log', '--app', 'shop', id], { FN_API_URL: srv.base })).code, 0);
    usage(await l(), 'fn-calls log: give exactly one call id, e.g. fn-calls log --url U --app A 01CFT9GTZMHGF4F8PK0M000NFZ\n');
    usage(await l(id, id), 'fn-calls log: give exactly one call id, e.g. fn-calls log --url U --app A 01CFT9GTZMHGF4F8PK0M000NFZ\n');
    usage(await cli(['log', '--url', srv.base, id]), 'fn-calls log: --app NAME is required: the app of the call\n');
    usage(await cli(['log', '--app', 'shop', id], { FN_API_URL: undefined }), 'fn-calls log: --url is required (or set FN_API_URL), e.g. --url http://localhost:8080\n');
    usage(await l('--api', 'v9', id), "fn-calls log: --api: 'v9' is not one of auto, v1, v2\n");
    usage(await l('--fn', 'f', '--api', 'v1', id), 'fn-calls log: --fn: a v1 server keeps calls per app, not per fn\n');
  } finally {
    await srv.close();
  }
});

test('log: --retries, --retry-delay, --timeout and --max-answer-mb reach the requests', async () => {
  let failures = 0;
  const srv = await v1(CALLS, (url) => {
    if (url.pathname.endsWith('/log') && failures-- > 0) return [503, '{"message":"busy"}'];
    if (url.pathname.endsWith('/big/log')) return [200, JSON.stringify({ log: { log: 'y'.repeat(1100000) } })];
    return null;
  });
  const id = CALLS[0].id;
  try {
    const l = (...args) => cli(['log', '--url', srv.base, '--app', 'shop', ...args]);
    failures = 1;
    const once = await l('--retries', '1', '--timeout', '1', id);
    assert.equal(once.code, 0);
    assert.match(once.stderr, /^fn-calls log: .*HTTP 503 Service Unavailable: busy; retrying in 0\.5 s \(attempt 2 of 2\)\n$/);
    failures = 4;
    const four = await l('--retry-delay', '0', id);
    assert.equal(four.code, 0);
    assert.match(four.stderr, /\(attempt 5 of 5\)\n$/);
    failures = 1;
    const none = await l('--retries', '0', id);
    assert.equal(none.code, 2);
    assert.doesNotMatch(none.stderr, /retrying/);
    assert.equal((await l('big')).code, 0);
    const big = await l('--max-answer-mb', '1', 'big');
    assert.equal(big.code, 2);
    assert.equal(big.stderr, 'fn-calls log: log of big: the answer is larger than 1048576 bytes; stopped reading it (a larger limit: --max-answer-mb)\n');
    assert.equal((await l('-q', '--retry-delay', '0', id)).stderr, '');
  } finally {
    await srv.close();
  }
});

// ---- found by mutation testing ----------------------------------------------------------------------------------

test('an unknown option names the command whose help to read', async () => {
  for (const command of ['validate', 'filter', 'stats', 'fetch', 'log']) {
    usage(await cli([command, '--bogus', clean]), `fn-calls ${command}: Unknown option '--bogus' (see 'fn-calls ${command} --help')\n`);
  }
});

test('validate, filter and stats: the progress line on a large input names the command, and is cleared', async () => {
  // Over 20 MB (the size from which progress is shown), quick to read: two calls and blanks between them.
  const big = join(dir, 'large.ndjson');
  writeFileSync(big, `${GOOD[0]}\n${' '.repeat(20000001)}\n${GOOD[1]}\n`);
  const progress = (command) => new RegExp(`^\\r\\x1b\\[Kfn-calls ${command}: \\d+\\.\\d / 20\\.0 MB \\(\\d+%\\), [12] records`);
  const v = await cli(['validate', big], { FN_CALLS_PROGRESS: '1' });
  assert.match(v.stderr, progress('validate'));
  assert.match(v.stderr, /\r\x1b\[Kfn-calls validate: 2 records in 1 input: no issues\n$/);
  const f = await cli(['filter', big], { FN_CALLS_PROGRESS: '1' });
  assert.equal(f.stdout, GOOD.map(go).join('\n') + '\n');
  assert.match(f.stderr, progress('filter'));
  assert.match(f.stderr, /records\r\x1b\[K$/);
  const s = await cli(['stats', big, '--json'], { FN_CALLS_PROGRESS: '1' });
  assert.match(s.stderr, progress('stats'));
  assert.match(s.stderr, /records\r\x1b\[K$/);
});

test('validate: an issue of the input rather than of a record (a byte order mark) has no record number', async () => {
  const bom = join(dir, 'bom.ndjson');
  writeFileSync(bom, `\ufeff${GOOD[0]}\n`);
  const r = await cli(['validate', bom]);
  assert.equal(r.stdout, `${bom}:1 "": error json_bom the input starts with a byte order mark (U+FEFF), which JSON does not allow; it was skipped\n`);
  assert.equal(r.code, 1);
  assert.equal(r.stderr, 'fn-calls validate: 1 record in 1 input: 0 with errors; 1 error, 0 warnings\n', 'the record after the mark is good');
});

test('filter and stats: an issue of the input is not counted as a record left out', async () => {
  const bom = join(dir, 'bom2.ndjson');
  writeFileSync(bom, `\ufeff${GOOD[0]}\n${GOOD[1]}\n`);
  const f = await cli(['filter', bom]);
  assert.equal(f.stdout, GOOD.slice(0, 2).map(go).join('\n') + '\n', 'both calls written');
  assert.equal(f.code, 1);
  assert.equal(f.stderr, "fn-calls filter: the input has errors outside its records, no record left out ('fn-calls validate' lists them all):\n" +
    `  ${bom}:1 "": error json_bom the input starts with a byte order mark (U+FEFF), which JSON does not allow; it was skipped\n`);
  const s = await cli(['stats', bom]);
  assert.match(s.stderr, /^fn-calls stats: the input has errors outside its records, no record left out/);
  const both = join(dir, 'bom3.ndjson');
  writeFileSync(both, `\ufeff${GOOD[0]}\nnot json\n`);
  const g = await cli(['filter', both]);
  assert.match(g.stderr, /^fn-calls filter: 1 record with errors left out/, 'the bad line counts, the mark does not');
});

/** A v2 server (0.3.688) with app shop (A1), fn one (F1), and the log of CALLS[0] kept by fn one. */
const v2 = () => server((url) => {
  if (url.pathname === '/version') return [200, '{"version":"0.3.688"}'];
  if (url.pathname.startsWith('/v1/')) return [404, `{"message":"Path not found: GET ${url.pathname}"}`];
  if (url.pathname === '/v2/apps') return [200, '{"items":[{"id":"A1","name":"shop"}]}'];
  if (url.pathname === '/v2/fns') return [200, '{"items":[{"id":"F1","name":"one","app_id":"A1"}]}'];
  if (url.pathname === `/v2/fns/F1/calls/${CALLS[0].id}`) return [200, fc.stringifyCall({ ...CALLS[0], fn_id: 'F1', app_id: 'A1' })];
  if (url.pathname === `/v2/fns/F1/calls/${CALLS[0].id}/log`) return [200, `{"call_id":"${CALLS[0].id}","log":"v2 log"}`];
  if (url.pathname === '/v2/fns/F1/calls') {
    const items = CALLS.map((c) => fc.stringifyCall({ ...c, app_name: '', app_id: 'A1', fn_id: 'F1', path: undefined }));
    return [200, `{"items":[${items.join(',')}]}`];
  }
  return [404, '{"message":"Call not found"}'];
});

test('log and fetch find out the API by themselves (--api auto), or use the one given', async () => {
  const srv = await v2();
  try {
    const id = CALLS[0].id;
    assert.deepEqual(await cli(['log', '--url', srv.base, '--app', 'shop', id]), { code: 0, stdout: 'v2 log', stderr: '' });
    assert.deepEqual(await cli(['log', '--url', srv.base, '--app', 'shop', '--api', 'v2', id]), { code: 0, stdout: 'v2 log', stderr: '' });
    assert.equal((await cli(['log', '--url', srv.base, '--app', 'shop', '--api', 'v1', id])).code, 2);
    const f = await cli(['fetch', '--url', srv.base, '--app', 'shop']);
    assert.equal(f.code, 0);
    assert.equal(f.stdout.split('\n').length, CALLS.length + 1);
    assert.equal((await cli(['fetch', '--url', srv.base, '--app', 'shop', '--api', 'v1'])).code, 2);
  } finally {
    await srv.close();
  }
});

test('log: its flags are checked with their names, and --retry-delay sets the first pause', async () => {
  const l = (...args) => cli(['log', '--url', 'http://127.0.0.1:1', '--app', 'shop', ...args, 'ID']);
  usage(await l('--retries', '-1'), 'fn-calls log: --retries: -1 is below 0\n');
  usage(await l('--retry-delay', '-1'), 'fn-calls log: --retry-delay: -1 is below 0\n');
  usage(await l('--timeout', '0'), 'fn-calls log: --timeout: 0 is below 1\n');
  usage(await l('--max-answer-mb', '0'), 'fn-calls log: --max-answer-mb: 0 is below 1\n');
  usage(await l('--header', 'x'), "fn-calls log: --header: 'x' is not 'Name: value'\n");
  let failures = 1;
  const srv = await v1(CALLS, (url) => (url.pathname.endsWith('/log') && failures-- > 0 ? [503, '{"message":"busy"}'] : null));
  try {
    const r = await cli(['log', '--url', srv.base, '--app', 'shop', '--retry-delay', '100', CALLS[0].id]);
    assert.equal(r.code, 0);
    assert.match(r.stderr, /retrying in 0\.1 s \(attempt 2 of 5\)\n$/);
  } finally {
    await srv.close();
  }
});

test('--url: an https URL is taken (and then tried)', async () => {
  for (const command of ['fetch', 'log']) {
    const r = await cli([command, '--url', 'https://127.0.0.1:1', '--app', 'shop', '--retries', '0', ...(command === 'log' ? ['ID'] : [])]);
    assert.equal(r.code, 2);
    assert.doesNotMatch(r.stderr, /--url/);
    assert.match(r.stderr, /cannot connect/);
  }
});

test('global flags before -- are taken as such, after it as file names', async () => {
  assert.deepEqual(await cli(['validate', '-q', '--', clean]), { code: 0, stdout: '', stderr: '' });
  assert.deepEqual(await cli(['filter', '--progress', '--', clean], { FN_CALLS_PROGRESS: '0' }), { code: 0, stdout: GOOD.map(go).join('\n') + '\n', stderr: '' });
});

/** `cli` with stdout's write throwing `error` (an internal error: the command does not expect it). */
async function failingWrite(args, error, env = {}) {
  const write = process.stdout.write;
  process.stdout.write = (t, ...rest) => {
    if (typeof t === 'string') throw error;
    return write.call(process.stdout, t, ...rest);
  };
  try {
    const err = [];
    const writeErr = process.stderr.write;
    const saved = { ...process.env };
    Object.assign(process.env, env);
    process.stderr.write = (t, ...rest) => (typeof t === 'string' ? err.push(t) > 0 : writeErr.call(process.stderr, t, ...rest));
    try {
      return { code: await run(args), stderr: err.join('') };
    } finally {
      process.stderr.write = writeErr;
      for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
      Object.assign(process.env, saved);
    }
  } finally {
    process.stdout.write = write;
  }
}

test('an internal error is said to be one (escaped), exit 2; FN_CALLS_DEBUG=1 adds its stack', async () => {
  const e = new Error('disk \x1b[2Jfull');
  assert.deepEqual(await failingWrite(['filter', clean], e), { code: 2, stderr: 'fn-calls filter: internal error: disk \\x1b[2Jfull\n' });
  assert.deepEqual(await failingWrite(['--version'], 'not an Error'), { code: 2, stderr: 'fn-calls: internal error: not an Error\n' });
  const debug = await failingWrite(['stats', clean], e, { FN_CALLS_DEBUG: '1' });
  assert.equal(debug.code, 2);
  assert.equal(debug.stderr, `fn-calls stats: internal error: disk \\x1b[2Jfull\n${e.stack}\n`);
  assert.deepEqual(await failingWrite(['stats', clean], e, { FN_CALLS_DEBUG: '0' }), { code: 2, stderr: 'fn-calls stats: internal error: disk \\x1b[2Jfull\n' });
  const odd = await failingWrite(['-V'], null, { FN_CALLS_DEBUG: '1' });
  assert.deepEqual(odd, { code: 2, stderr: 'fn-calls: internal error: null\nundefined\n' });
});

test('validate: the exit status when the reader goes away is 1 once errors (or, asked for, warnings) were seen', async () => {
  // The command's handler of a closed stdout (output.mjs) exits with the status validate has set by then. It is
  // called by itself: an 'error' emitted on stdout would also cut the test runner's own pipe into it.
  const closedPipeStatus = async (args) => {
    exitCodeOnClosedPipe(0);
    await cli(args);
    const handler = process.stdout.listeners('error').find((l) => String(l).includes('EPIPE'));
    const [exit, exitCode] = [process.exit, process.exitCode];
    const codes = [];
    process.exit = (code) => codes.push(code);
    process.exitCode = undefined;
    const writeErr = process.stderr.write;
    process.stderr.write = (t, ...rest) => (typeof t === 'string' ? true : writeErr.call(process.stderr, t, ...rest));
    try {
      handler(Object.assign(new Error('write EPIPE'), { code: 'EPIPE' }));
    } finally {
      [process.exit, process.exitCode] = [exit, exitCode];
      process.stderr.write = writeErr;
    }
    return codes[0];
  };
  assert.equal(await closedPipeStatus(['validate', mixed]), 1);
  assert.equal(await closedPipeStatus(['validate', warnOnly]), 0);
  assert.equal(await closedPipeStatus(['validate', clean]), 0);
  assert.equal(await closedPipeStatus(['validate', '--warnings-as-errors', warnOnly]), 1);
  assert.equal(await closedPipeStatus(['validate', '--warnings-as-errors', clean]), 0);
  exitCodeOnClosedPipe(0);
});

test('the file runs the command when node runs it, through a symbolic link too, and not when it is imported', async () => {
  assert.deepEqual(await runCli(['--version']), { code: 0, stdout: `fn-calls ${VERSION}\n`, stderr: '' });
  const link = join(dir, 'fn-calls-link');
  symlinkSync(CLI, link);
  const viaLink = spawnSync(process.execPath, [link, 'bogus'], { encoding: 'utf8' });
  assert.equal(viaLink.status, 2);
  assert.match(viaLink.stderr, /^fn-calls: unknown command 'bogus'/);
  // Imported by a program that has no script file (node -e): nothing runs, nothing is printed.
  const imported = spawnSync(process.execPath, ['--input-type=module', '-e', `await import(${JSON.stringify(CLI)})`], { encoding: 'utf8' });
  assert.deepEqual([imported.status, imported.stdout, imported.stderr], [0, '', '']);
});

test('FN_CALLS_DEBUG_MEMORY=1: the peak and current memory in KiB on stderr when the process exits', async () => {
  const exits = () => process.listeners('exit');
  const before = exits();
  await import('../../pkg/bin/fn-calls.mjs?no-debug'); // a second instance of the module, without the variable
  assert.equal(exits().length, before.length);
  process.env.FN_CALLS_DEBUG_MEMORY = '1';
  try {
    await import('../../pkg/bin/fn-calls.mjs?debug');
  } finally {
    delete process.env.FN_CALLS_DEBUG_MEMORY;
  }
  const added = exits().filter((l) => !before.includes(l));
  assert.equal(added.length, 1);
  process.off('exit', added[0]);
  const err = [];
  const writeErr = process.stderr.write;
  process.stderr.write = (t, ...rest) => (typeof t === 'string' ? err.push(t) > 0 : writeErr.call(process.stderr, t, ...rest));
  try {
    added[0]();
  } finally {
    process.stderr.write = writeErr;
  }
  const m = /^fn-calls: memory: max_rss_kb=(\d+) rss_kb=(\d+) heap_used_kb=(\d+)\n$/.exec(err.join(''));
  assert.ok(m, err.join(''));
  const kb = (bytes) => bytes / 1024;
  const [maxRss, rss, heap] = m.slice(1).map(Number);
  assert.ok(maxRss >= rss / 2 && maxRss < kb(process.memoryUsage().rss) * 4, `max_rss_kb ${maxRss}`);
  assert.ok(rss > kb(process.memoryUsage().rss) / 2 && rss < kb(process.memoryUsage().rss) * 2, `rss_kb ${rss}`);
  assert.ok(heap > kb(process.memoryUsage().heapUsed) / 4 && heap < kb(process.memoryUsage().heapUsed) * 4, `heap_used_kb ${heap}`);
});

test('on a terminal the progress line is shown by default, and -q takes it away', async () => {
  const big = join(dir, 'large-tty.ndjson');
  writeFileSync(big, `${GOOD[0]}\n${' '.repeat(20000001)}\n`);
  const srv = await v1();
  const tty = Object.getOwnPropertyDescriptor(process.stderr, 'isTTY');
  process.stderr.isTTY = true;
  try {
    const shown = { FN_CALLS_PROGRESS: undefined };
    assert.match((await cli(['validate', big], shown)).stderr, /^\r\x1b\[Kfn-calls validate: /);
    assert.equal((await cli(['validate', '-q', big], shown)).stderr, '');
    assert.match((await cli(['fetch', '--url', srv.base, '--app', 'shop'], shown)).stderr, /^\r\x1b\[Kfn-calls fetch: 1 page, 8 calls/);
    assert.equal((await cli(['fetch', '-q', '--url', srv.base, '--app', 'shop'], shown)).stderr, '');
    assert.equal((await cli(['fetch', '--url', srv.base, '--app', 'shop'], { FN_CALLS_PROGRESS: '0' })).stderr, '');
  } finally {
    if (tty) Object.defineProperty(process.stderr, 'isTTY', tty);
    else delete process.stderr.isTTY;
    await srv.close();
  }
});

test('filter --limit within one input: reading stops at the chunk that reaches it, and goes on until then', async () => {
  // Over 64 KiB (the size of a chunk) between the calls: each is in a chunk of its own.
  const gap = ' '.repeat(200000);
  const spread = file('spread.ndjson', [GOOD[0], gap, GOOD[1], gap, BROKEN]);
  assert.deepEqual(await cli(['filter', spread, '--limit', '1']), { code: 0, stdout: go(GOOD[0]) + '\n', stderr: '' });
  assert.deepEqual(await cli(['filter', spread, '--limit', '2']), { code: 0, stdout: GOOD.map(go).join('\n') + '\n', stderr: '' });
  const all = await cli(['filter', spread, '--limit', '3']);
  assert.equal(all.stdout, GOOD.map(go).join('\n') + '\n');
  assert.equal(all.code, 1);
});

test('stats --json ends with a line break; fetch --limit is checked with its name', async () => {
  assert.match((await cli(['stats', clean, '--json'])).stdout, /\n}\n$/);
  usage(await cli(['fetch', '--url', 'http://127.0.0.1:1', '--app', 'shop', '--limit', '-1']), 'fn-calls fetch: --limit: -1 is below 0\n');
});

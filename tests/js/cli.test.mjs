// The fn-calls command, run as a subprocess from the built package (pkg/bin/fn-calls.mjs): validate, filter, stats
// and fetch on the fixtures and on generated files (plain, gzip, stdin), exit codes, help, a local HTTP server that
// pages like the Fn server (with transient and hard failures), and flat memory on a large input.
//
// FN_CALLS_BIG=1 adds a run over a few hundred MB (generated in the temp folder, deleted afterwards).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { mkdtempSync, writeFileSync, readFileSync, rmSync, createWriteStream, statSync, mkdirSync, cpSync, existsSync } from 'node:fs';
import { once } from 'node:events';
import { gzipSync } from 'node:zlib';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateCalls } from '../../scripts/gen-calls.mjs';
import { v2Answer, v2Store } from '../common/v2-store.mjs';

const root = fileURLToPath(new URL('../../', import.meta.url));
const CLI = join(root, 'pkg', 'bin', 'fn-calls.mjs');
const fc = createRequire(import.meta.url)('../../pkg');
const fixture = (name) => fileURLToPath(new URL(`../fixtures/${name}`, import.meta.url));

/** Runs the command; resolves to { code, stdout, stderr }. Asynchronous, so the test's HTTP server can answer. */
function run(args, { input, env = {}, stdout = 'pipe' } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      env: { ...process.env, FN_CALLS_PROGRESS: '0', ...env },
      stdio: [input === undefined ? 'ignore' : 'pipe', stdout, 'pipe'],
    });
    const out = [];
    const err = [];
    child.stdout?.on('data', (d) => out.push(d));
    child.stderr.on('data', (d) => err.push(d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') }));
    if (input !== undefined) child.stdin.end(input);
  });
}

const lines = (text) => text.split('\n').filter((l) => l !== '');

/** A user error: exactly the lines given, each prefixed with the command, and no stack trace. */
function assertUserError(r, pattern) {
  assert.equal(r.code, 2, r.stderr);
  assert.match(r.stderr, pattern);
  assert.doesNotMatch(r.stderr, /\n\s+at .*:\d+:\d+/, 'no stack trace');
  for (const line of lines(r.stderr)) assert.match(line, /^fn-calls( \w+)?: /);
}

let dir;
const gen = generateCalls({ count: 3000, seed: 11, invalid: 6 });
let plain; // the generated NDJSON file
const bytes = Buffer.from(gen.join('\n') + '\n');

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'fn-calls-cli-'));
  plain = join(dir, 'calls.ndjson');
  writeFileSync(plain, bytes);
  writeFileSync(join(dir, 'calls.ndjson.gz'), gzipSync(bytes));
});

after(() => rmSync(dir, { recursive: true, force: true }));

// ---- usage, help, exit codes --------------------------------------------------------------------------------

test('--help for the command and every subcommand; bad usage exits 2 with one clear line', async () => {
  for (const args of [['--help'], ['help']]) {
    const r = await run(args);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /^usage: fn-calls <command>/);
    for (const c of ['validate', 'filter', 'stats', 'fetch']) assert.match(r.stdout, new RegExp(`\\n  ${c} `));
  }
  for (const c of ['validate', 'filter', 'stats', 'fetch']) {
    for (const args of [[c, '-h'], ['help', c], [c, 'x.ndjson', '--status', 'nope', '--help']]) {
      const r = await run(args);
      assert.equal(r.code, 0, `${args}: ${r.stderr}`);
      assert.match(r.stdout, new RegExp(`^usage: fn-calls ${c}`));
      assert.match(r.stdout, /exit status/);
    }
  }
  const version = await run(['--version']);
  assert.equal(version.code, 0);
  assert.match(version.stdout, /^fn-calls \d+\.\d+\.\d+\n$/);

  const none = await run([]);
  assert.equal(none.code, 2);
  assert.match(none.stderr, /usage: fn-calls/);
  assertUserError(await run(['frobnicate']), /^fn-calls: unknown command 'frobnicate'/);
  assertUserError(await run(['filter', plain, '--colour', 'red']), /^fn-calls filter: Unknown option '--colour' \(see 'fn-calls filter --help'\)\n$/);
  assertUserError(await run(['filter', plain, '--limit', 'ten']), /^fn-calls filter: --limit: 'ten' is not a whole number\n$/);
  assertUserError(await run(['filter', plain, '--format', 'xml']), /--format: 'xml' is not one of ndjson, json, table/);
  assertUserError(await run(['validate', plain, '--mode', 'lenient']), /--mode: 'lenient' is not one of observed, strict/);
  assertUserError(await run(['stats', plain, '--by', 'image']), /--by: 'image' is not one of path, app, status/);
});

test('unreadable input exits 2 and names the file, before any output', async () => {
  const missing = join(dir, 'nope.ndjson');
  for (const c of ['validate', 'filter', 'stats']) {
    const r = await run([c, plain, missing]);
    assertUserError(r, new RegExp(`cannot read ${missing.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: no such file`));
    assert.equal(r.stdout, '', 'nothing is written when an input is missing');
  }
  assertUserError(await run(['validate', dir]), /cannot read .*: is a directory/);
  const broken = join(dir, 'broken.ndjson.gz');
  writeFileSync(broken, gzipSync(bytes).subarray(0, 20000));
  assertUserError(await run(['validate', broken]), /cannot read .*broken\.ndjson\.gz: not valid gzip data/);
  assertUserError(await run(['filter', '-', '-'], { input: '' }), /stdin \('-'\) can be read only once/);
});

// ---- validate -----------------------------------------------------------------------------------------------

test('validate: clean fixtures exit 0, server error bodies and non-calls exit 1, each issue on its own line', async () => {
  const clean = ['generated-v1-calls-list-page.json', 'generated-v1-call-get-success.json', 'generated-v1-call-get-timeout.json',
    'generated-v2-fn-calls-list.json', 'generated-v1-calls-list-empty-sql.json', 'generated-v1-calls-list-empty-mock.json'];
  const ok = await run(['validate', ...clean.map(fixture)]);
  assert.equal(ok.code, 0, ok.stderr);
  assert.equal(ok.stdout, '');
  assert.match(ok.stderr, /^fn-calls validate: 6 records in 6 inputs: no issues\n$/);

  const bad = await run(['validate', fixture('generated-v1-error-from_time.json'), fixture('generated-async-accepted.json')]);
  assert.equal(bad.code, 1);
  assert.deepEqual(lines(bad.stdout), [
    `${fixture('generated-v1-error-from_time.json')}:1 record 0 /error: error server_error this is the server's error answer, not a call: "from_time is not an epoch time"`,
    `${fixture('generated-async-accepted.json')}:1 record 0 /call_id: warning unknown_key 'call_id' is not a key of this model; Go ignores it and it is lost when the call is written again`,
    `${fixture('generated-async-accepted.json')}:1 record 0 "": error not_a_call none of a call's keys (id, status, app_name, …) is present; found call_id`,
  ]);
  assert.match(bad.stderr, /2 records in 2 inputs: 2 with errors; 2 errors, 1 warning\n$/);

  // warnings only (UUID ids from old docs): clean unless --warnings-as-errors
  const docs = fixture('docs-definitions-calls-list.json');
  const warn = await run(['validate', docs]);
  assert.equal(warn.code, 0);
  assert.deepEqual(lines(warn.stdout).map((l) => l.replace(docs, 'F').split(' ').slice(0, 6).join(' ')), [
    'F:4 record 0 /id: warning id_format', 'F:13 record 1 /id: warning id_format',
  ]);
  assert.equal((await run(['validate', docs, '--warnings-as-errors'])).code, 1);
  const errorsOnly = await run(['validate', docs, '--errors-only']);
  assert.equal(errorsOnly.code, 0);
  assert.equal(errorsOnly.stdout, '');
  assert.match(errorsOnly.stderr, /0 with errors; 0 errors, 2 warnings/);

  // timeout is what real servers write, but not a declared status
  assert.equal((await run(['validate', fixture('generated-v1-call-get-timeout.json')])).code, 0);
  const strict = await run(['validate', '--mode', 'strict', fixture('generated-v1-call-get-timeout.json')]);
  assert.equal(strict.code, 1);
  assert.match(strict.stdout, /record 0 \/status: error bad_status /);
});

test('validate: the same issues as the bulk engine, with file, line, record and pointer, from files, gzip and stdin', async () => {
  const want = fc.scanCalls(bytes, null, { warnings: true }).issues;
  assert.ok(want.filter((i) => i.severity === 'error').length >= 6);
  const r = await run(['validate', '--json', plain]);
  assert.equal(r.code, 1);
  const got = lines(r.stdout).map((l) => JSON.parse(l));
  assert.deepEqual(got, want.map((i) => ({ file: plain, ...i })));
  const badRecords = new Set(want.filter((i) => i.severity === 'error').map((i) => i.index)).size;
  const warnings = want.filter((i) => i.severity === 'warning').length;
  assert.match(r.stderr, new RegExp(`3000 records in 1 input: ${badRecords} with errors; \\d+ errors?, ${warnings} warnings?`));

  const text = await run(['validate', plain]);
  assert.equal(text.code, 1);
  assert.deepEqual(lines(text.stdout), want.map((i) => `${plain}:${i.line} record ${i.index} ${i.path || '""'}: ${i.severity} ${i.code} ${i.message}`));

  const gz = await run(['validate', join(dir, 'calls.ndjson.gz')]);
  assert.equal(gz.stdout, text.stdout.replaceAll(plain, join(dir, 'calls.ndjson.gz')));
  const stdin = await run(['validate'], { input: bytes });
  assert.equal(stdin.stdout, text.stdout.replaceAll(plain, '<stdin>'));
  const gzStdin = await run(['validate', '-'], { input: gzipSync(bytes) });
  assert.equal(gzStdin.stdout, stdin.stdout);
  assert.equal(gzStdin.code, 1);
});

// ---- filter -------------------------------------------------------------------------------------------------

/** What the filter flags must select: the bulk engine's matches over the same bytes, as the input lines. */
function expected(filter, input = bytes, source = gen) {
  return [...fc.scanCalls(input, filter).indices].map((i) => source[i]);
}

test('filter: NDJSON of the matching calls, byte for byte, in input order, for every filter flag', async () => {
  const created = fc.parseCalls(bytes).calls.map((c) => c.created_at).reverse(); // oldest first
  const mid = Math.floor(Date.parse(created[1500]) / 1000);
  const cases = [
    [[], {}],
    [['--status', 'error'], { status: 'error' }],
    [['--status', 'error,timeout', '--status', 'cancelled', '--app', 'shop'], { status: ['error', 'timeout', 'cancelled'], app_name: 'shop' }],
    [['--path', '/checkout', '--type', 'sync', '--call-format', 'http', '--method', 'POST'], { path: '/checkout', type: 'sync', format: 'http', method: 'POST' }],
    [['--error', 'context canceled'], { error: 'context canceled' }],
    [['--error-contains', 'exit code'], { error_contains: 'exit code' }],
    [['--error-pattern', 'container exit code ?'], { error_pattern: 'container exit code ?' }],
    [['--image', 'media/ffmpeg-fn:4.0', '--min-duration', '5000', '--max-duration', '20000'], { image: 'media/ffmpeg-fn:4.0', min_duration_ms: 5000, max_duration_ms: 20000 }],
    [['--from', String(mid), '--to', String(mid + 3600)], { from_time: mid, to_time: mid + 3600 }],
    [['--from', created[1500], '--to', '2018-06-12T17:00:00+03:00'], { created_since: created[1500], created_before: '2018-06-12T17:00:00+03:00' }],
    [['--from=-100'], { from_time: -100 }],
    [['--from', '-100', '--status', ''], { from_time: -100, status: [''] }],
    [['--cursor', JSON.parse(gen[100]).id], { cursor: JSON.parse(gen[100]).id }],
  ];
  for (const [flags, filter] of cases) {
    const r = await run(['filter', plain, ...flags]);
    assert.equal(r.code, 1, `${flags}: the file's bad records were left out: ${r.stderr}`);
    assert.match(r.stderr, /^fn-calls filter: 6 records with errors left out/m);
    const want = expected(filter);
    assert.deepEqual(lines(r.stdout), want, `${flags.join(' ')}`);
    if (flags.length && flags[0] !== '--from=-100') assert.ok(want.length < 2990, `${flags}: selective`);
  }
  // the RFC 3339 --from is inclusive: the call created exactly then is in; with seconds, from_time is exclusive
  const exact = JSON.parse(gen[2000]);
  const sinceExact = await run(['filter', plain, '--from', exact.created_at, '--to', exact.created_at.replace(/\.\d+/, '.999')]);
  assert.ok(lines(sinceExact.stdout).some((l) => JSON.parse(l).id === exact.id));
});

test('filter: --limit, --format json and table, gzip, stdin, several inputs, envelopes, no trailing newline', async () => {
  const errors = expected({ status: 'error' });
  const limited = await run(['filter', plain, '--status', 'error', '--limit', '7']);
  assert.deepEqual(lines(limited.stdout), errors.slice(0, 7));
  assert.equal((await run(['filter', plain, '--limit', '0'])).stdout, '');
  // stopping in the middle of the input is not a truncated record
  const clean = join(dir, 'clean.ndjson');
  writeFileSync(clean, gen.slice(0, 200).join('\n') + '\n');
  const stop = await run(['filter', clean, '--limit', '3']);
  assert.deepEqual(lines(stop.stdout), gen.slice(0, 3));
  assert.equal(stop.stderr, '');

  const json = await run(['filter', plain, '--status', 'error', '--format', 'json']);
  assert.equal(json.code, 1, 'bad records were left out');
  assert.equal(json.stdout, `[\n${errors.join(',\n')}\n]\n`);
  assert.deepEqual(JSON.parse(json.stdout).map((c) => c.id), errors.map((l) => JSON.parse(l).id));
  assert.equal((await run(['filter', plain, '--status', 'error', '--app', 'nobody', '--format', 'json'])).stdout, '[]\n');

  const table = await run(['filter', plain, '--status', 'timeout', '--limit', '5', '--format', 'table']);
  const rows = lines(table.stdout);
  assert.match(rows[0], /^ID\s+STATUS\s+APP\s+PATH\s+CREATED\s+DURATION\s+ERROR$/);
  assert.equal(rows.length, 6);
  const first = JSON.parse(expected({ status: 'timeout' })[0]);
  assert.ok(rows[1].startsWith(`${first.id} timeout   ${first.app_name.padEnd(12)} ${first.path.padEnd(22)} ${first.created_at}`));
  assert.match(rows[1], new RegExp(`\\s${Date.parse(first.completed_at) - Date.parse(first.started_at)} ms`));
  // a fixed-width table: the columns line up
  for (const row of rows.slice(1)) assert.equal(row.indexOf(' ', 27), rows[0].indexOf('STATUS') + 'timeout'.length);

  const gz = await run(['filter', join(dir, 'calls.ndjson.gz'), '--status', 'error']);
  assert.deepEqual(lines(gz.stdout), errors);
  const stdin = await run(['filter', '--status', 'error'], { input: gzipSync(bytes) });
  assert.deepEqual(lines(stdin.stdout), errors);

  // several inputs, in order; a last line without a newline; a list envelope and a single call
  const noNewline = join(dir, 'tail.ndjson');
  writeFileSync(noNewline, gen.slice(0, 3).join('\n'));
  const page = fixture('generated-v1-calls-list-page.json');
  const one = fixture('generated-v1-call-get-error.json');
  const many = await run(['filter', noNewline, page, one, noNewline]);
  assert.equal(many.code, 0, many.stderr);
  const pageCalls = fc.parseCalls(readFileSync(page)).calls.map((c) => fc.stringifyCall(c));
  assert.deepEqual(lines(many.stdout), [...gen.slice(0, 3), ...pageCalls, fc.stringifyCall(fc.parseCall(readFileSync(one))), ...gen.slice(0, 3)]);
  // a truncated last line is still reported as truncated
  writeFileSync(noNewline, gen.slice(0, 2).join('\n') + '\n' + gen[2].slice(0, 200));
  const cut = await run(['validate', noNewline]);
  assert.match(cut.stdout, /:3 record 2 "": error truncated /);

  // bad records are left out, and the note on stderr says so
  const all = await run(['filter', plain]);
  assert.equal(lines(all.stdout).length, fc.scanCalls(bytes, null).indices.length);
  assert.match(all.stderr, /^fn-calls filter: 6 records with errors left out \('fn-calls validate' lists them all\), e\.g\.:\n  .*calls\.ndjson:\d+ record \d+ /);
  // --validate matches gives the same matches, faster
  const fast = await run(['filter', plain, '--status', 'error', '--validate', 'matches']);
  assert.deepEqual(lines(fast.stdout), errors);
});

test('filter: a bad filter is a usage error naming the flag; a dubious one a warning', async () => {
  assertUserError(await run(['filter', plain, '--status', 'succes']), /^fn-calls filter: --status: 'succes' is not a status/);
  assertUserError(await run(['filter', plain, '--from', 'yesterday']), /--from: 'yesterday' is neither Unix seconds nor an RFC 3339 date-time/);
  assertUserError(await run(['filter', plain, '--to', '2018-06-12 10:00:00Z']), /^fn-calls filter: --to: a space instead of 'T'/);
  assertUserError(await run(['filter', plain, '--min-duration', '10', '--max-duration', '5']), /--max-duration: max_duration_ms 5 is below min_duration_ms 10/);
  assertUserError(await run(['stats', plain, '--type', 'batch']), /^fn-calls stats: --type: /);
  const r = await run(['filter', plain, '--path', 'checkout']);
  assert.equal(r.code, 1, 'bad records were left out');
  assert.equal(r.stdout, '');
  assert.match(r.stderr, /^fn-calls filter: warning: --path: route paths start with '\/'/);
});

// ---- stats --------------------------------------------------------------------------------------------------

/** summarizeCalls' answer as JSON would carry it (bigints as numbers). */
const asJson = (v) => JSON.parse(JSON.stringify(v, (_, x) => (typeof x === 'bigint' ? Number(x) : x)));

test('stats --json: exactly summarizeCalls, in total and by path, app and status, with filters', async () => {
  for (const [flags, group, filter] of [
    [[], undefined, {}],
    [['--by', 'path'], 'path', {}],
    [['--by', 'app'], 'app_name', {}],
    [['--by', 'status'], 'status', {}],
    [['--by', 'path', '--app', 'media', '--status', 'success,error'], 'path', { app_name: 'media', status: ['success', 'error'] }],
  ]) {
    const r = await run(['stats', plain, '--json', ...flags]);
    assert.equal(r.code, 1, `bad records were left out: ${r.stderr}`);
    const got = JSON.parse(r.stdout);
    const calls = fc.filterCalls(bytes, { ...filter, all: true }).calls;
    const want = fc.summarizeCalls(calls, group ? { group_by: group } : {});
    assert.deepEqual(got.total, asJson(want.total), flags.join(' '));
    assert.deepEqual(got.groups, group ? asJson(want.groups) : undefined);
    assert.equal(got.records, 3000);
    assert.equal(got.skipped, 6);
  }
  // stdin and gzip give the same summary
  const file = await run(['stats', plain, '--json', '--by', 'status']);
  const stdin = await run(['stats', '--json', '--by', 'status'], { input: gzipSync(bytes) });
  assert.equal(stdin.stdout, file.stdout);
});

test('stats: uint64 metrics above 2^53 stay exact; the table reads well', async () => {
  const withStats = gen.filter((l) => l.includes('"mem_usage":')).slice(0, 5);
  withStats[1] = withStats[1].replace(/"mem_usage":\d+/, '"mem_usage":18446744073709551615');
  withStats[2] = withStats[2].replace(/"mem_usage":\d+/g, '"mem_usage":9007199254740993');
  const text = withStats.join('\n') + '\n';
  const r = await run(['stats', '--json'], { input: text });
  const want = fc.summarizeCalls(text).total.mem_usage;
  assert.equal(want.peak, 18446744073709551615n);
  assert.match(r.stdout, /"peak": 18446744073709551615,/);
  assert.equal(JSON.parse(r.stdout).total.mem_usage.mean, want.mean);
  assert.equal(JSON.parse(r.stdout).total.mem_usage.samples, want.samples);

  const table = await run(['stats', plain, '--by', 'app']);
  assert.equal(table.code, 1, 'bad records were left out');
  const out = lines(table.stdout);
  assert.match(out[0], /^2994 calls \(6 records with errors left out\), created \S+ … \S+$/);
  assert.match(out[1], /^APP\s+CALLS\s+SUCCESS\s+ERROR\s+TIMEOUT\s+OTHER\s+ERR RATE\s+P50\s+P90\s+P99\s+MAX\s+WAIT P50\s+MEM PEAK\s+CPU MEAN$/);
  const summary = fc.summarizeCalls(bytes, { group_by: 'app_name' });
  assert.deepEqual(out.slice(2, 2 + summary.groups.length).map((l) => l.split(/\s+/)[0]), summary.groups.map((g) => g.key));
  const total = out.find((l) => l.startsWith('total'));
  assert.equal(total.split(/\s+/)[1], String(summary.total.count));
  assert.match(total, new RegExp(`\\s${(summary.total.error_rate * 100).toFixed(1)}%\\s`));
  const empty = await run(['stats'], { input: '' });
  assert.equal(empty.code, 0);
  assert.match(empty.stdout, /^0 calls\n/);
});

// ---- fetch against a local server that pages like the Fn server ------------------------------------------

/**
 * GET /v1/apps/{app}/calls as the Fn server answers it: the query read with filterFromQuery (a bad from_time is a
 * 400 with the server's error body), the page chosen with filterCalls (newest id first, cursor, per_page,
 * next_cursor), the calls written as the server writes them. `hook(url, n)` may answer instead (n counts requests).
 */
async function fnServer(source, hook = () => null) {
  const calls = fc.parseCalls(source.join('\n')).calls;
  const apps = new Set(calls.map((c) => c.app_name));
  const requests = [];
  const send = (res, status, body, headers = {}) => {
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
    res.end(body);
  };
  const server = createServer((req, res) => {
    const url = new URL(req.url, 'http://127.0.0.1');
    requests.push(url);
    const answer = hook(url, requests.length);
    if (answer) return send(res, answer.status, answer.body, answer.headers);
    const m = /^\/v1\/apps\/([^/]+)\/calls$/.exec(url.pathname);
    if (!m) return send(res, 404, '{"error":{"message":"Not Found"}}\n');
    if (!apps.has(decodeURIComponent(m[1]))) return send(res, 404, '{"error":{"message":"App not found"}}\n');
    const { filter, issues } = fc.filterFromQuery(url.href);
    const bad = issues.find((i) => i.severity === 'error');
    if (bad) return send(res, 400, JSON.stringify({ error: { message: bad.message } }) + '\n');
    const page = fc.filterCalls(calls, filter);
    send(res, 200, `{"message":"Successfully listed calls","next_cursor":${JSON.stringify(page.next_cursor)},"calls":[${page.calls.map((c) => fc.stringifyCall(c)).join(',')}]}`);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const base = `http://127.0.0.1:${server.address().port}`;
  const close = () => new Promise((resolve) => {
    server.closeAllConnections();
    server.close(resolve);
  });
  return { base, requests, calls, close };
}

const listed = (calls, filter) => fc.filterCalls(calls, { ...filter, all: true }).calls.map((c) => fc.stringifyCall(c));
const fetchGen = gen.filter((l) => { try { fc.parseCall(l); return true; } catch { return false; } }).slice(0, 900);

test('fetch: every page, following next_cursor, with a transient 503 retried and a cut-off body read again', async () => {
  let failed503 = false;
  let failedCut = false;
  const srv = await fnServer(fetchGen, (url) => {
    if (url.searchParams.has('cursor') && !failed503) {
      failed503 = true; // the second page fails once
      return { status: 503, body: '{"error":{"message":"Service Unavailable"}}\n', headers: { 'retry-after': '0' } };
    }
    if (url.searchParams.get('cursor') && failed503 && !failedCut && srv.requests.length > 3) {
      failedCut = true; // a later page arrives cut short once
      return { status: 200, body: '{"message":"Successfully listed calls","next_cursor":"01C","calls":[{"id":' };
    }
    return null;
  });
  try {
    const want = listed(srv.calls, { app_name: 'shop' });
    assert.ok(want.length > 300, `${want.length} calls of shop`);
    const r = await run(['fetch', '--url', srv.base, '--app', 'shop', '--retry-delay', '5']);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(lines(r.stdout), want);
    assert.match(r.stderr, /^fn-calls fetch: page 2 \(cursor \w{26}\): HTTP 503 Service Unavailable: Service Unavailable; retrying in 0\.0 s \(attempt 2 of 5\)$/m);
    assert.match(r.stderr, /: the answer is not JSON \(\d+ bytes\); retrying in 0\.0 s \(attempt 2 of 5\)$/m);
    const pages = Math.ceil(want.length / 100) + (want.length % 100 === 0 ? 1 : 0);
    assert.equal(srv.requests.length, pages + 2);
    for (const u of srv.requests) {
      assert.equal(u.pathname, '/v1/apps/shop/calls');
      assert.equal(u.searchParams.get('per_page'), '100');
    }
  } finally {
    await srv.close();
  }
});

test('fetch: server fields go to the server, the rest is applied to each page; a full last page ends with an empty one', async () => {
  const srv = await fnServer(fetchGen);
  try {
    const want = listed(srv.calls, { app_name: 'shop', path: '/checkout', status: ['error', 'timeout', 'success'], min_duration_ms: 100 });
    const r = await run(['fetch', '--url', `${srv.base}/`, '--app', 'shop', '--path', '/checkout', '--status', 'error,timeout,success',
      '--min-duration', '100', '--per-page', '25']);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(lines(r.stdout), want);
    for (const u of srv.requests) {
      assert.deepEqual([...u.searchParams.keys()].filter((k) => k !== 'cursor'), ['path', 'per_page']);
      assert.equal(u.searchParams.get('path'), '/checkout');
      assert.equal(u.searchParams.get('per_page'), '25');
    }

    // exactly one full page: the server gives a cursor, and the next page is empty
    const path = [...new Set(srv.calls.map((c) => c.path))].map((p) => [p, srv.calls.filter((c) => c.path === p && c.app_name === 'notify').length])
      .find(([, n]) => n > 0 && n <= 100);
    srv.requests.length = 0;
    const full = await run(['fetch', '--url', srv.base, '--app', 'notify', '--path', path[0], '--per-page', String(path[1])]);
    assert.equal(full.code, 0, full.stderr);
    assert.equal(lines(full.stdout).length, path[1]);
    assert.equal(srv.requests.length, 2);

    // RFC 3339 bounds: exact here, widened to whole seconds for the server
    const mid = srv.calls[400].created_at;
    srv.requests.length = 0;
    const since = await run(['fetch', '--url', srv.base, '--app', 'media', '--from', mid, '--format', 'json']);
    assert.equal(since.code, 0, since.stderr);
    assert.deepEqual(JSON.parse(since.stdout).map((c) => c.id), fc.filterCalls(srv.calls, { app_name: 'media', created_since: mid, all: true }).calls.map((c) => c.id));
    assert.equal(Number(srv.requests[0].searchParams.get('from_time')), Math.floor(Date.parse(mid) / 1000) - 1);

    // --limit stops asking for pages
    srv.requests.length = 0;
    const limited = await run(['fetch', '--url', srv.base, '--app', 'shop', '--limit', '150']);
    assert.deepEqual(lines(limited.stdout), listed(srv.calls, { app_name: 'shop' }).slice(0, 150));
    assert.equal(srv.requests.length, 2);
  } finally {
    await srv.close();
  }
});

test('fetch: a page that keeps failing stops with the reason and the cursor to resume from; nothing is skipped', async () => {
  let secondPage = 0;
  const srv = await fnServer(fetchGen, (url) => {
    if (url.searchParams.get('cursor')) {
      secondPage += 1;
      return { status: 500, body: '{"error":{"message":"internal server error"}}\n' };
    }
    return null;
  });
  try {
    const want = listed(srv.calls, { app_name: 'shop' });
    const r = await run(['fetch', '--url', srv.base, '--app', 'shop', '--retries', '2', '--retry-delay', '1']);
    assert.equal(r.code, 2);
    assert.deepEqual(lines(r.stdout), want.slice(0, 100), 'the first page only');
    const cursor = JSON.parse(want[99]).id;
    assert.equal(secondPage, 3);
    const last = lines(r.stderr).at(-1);
    assert.equal(last, `fn-calls fetch: page 2 (cursor ${cursor}) failed: HTTP 500 Internal Server Error: internal server error (after 3 attempts); ` +
      `100 calls from 1 page were written; resume with --cursor ${cursor}`);
    assert.equal(lines(r.stderr).filter((l) => /retrying/.test(l)).length, 2);
    assert.doesNotMatch(r.stderr, /\n\s+at /);

    // --format json stays a readable JSON array
    const json = await run(['fetch', '--url', srv.base, '--app', 'shop', '--retries', '0', '--format', 'json']);
    assert.equal(json.code, 2);
    assert.equal(JSON.parse(json.stdout).length, 100);
  } finally {
    await srv.close();
  }
});

test('fetch: HTTP errors that will not pass stop at once with the server\'s message', async () => {
  const srv = await fnServer(fetchGen, (url) => (url.searchParams.get('per_page') === '7'
    ? { status: 400, body: '{"error":{"message":"from_time is not an epoch time"}}\n' } : null));
  try {
    const r = await run(['fetch', '--url', srv.base, '--app', 'shop', '--per-page', '7']);
    assertUserError(r, /^fn-calls fetch: page 1 failed: HTTP 400 Bad Request: from_time is not an epoch time; 0 calls from 0 pages were written\n$/);
    assert.equal(srv.requests.length, 1, 'not retried');
    assert.equal(r.stdout, '');

    const missing = await run(['fetch', '--url', srv.base, '--app', 'nosuchapp']);
    assertUserError(missing, /page 1 failed: HTTP 404 Not Found: App not found;/);

    // an empty range is only a warning, and the server answers an empty list (a base ending in /v1 works too)
    srv.requests.length = 0;
    const empty = await run(['fetch', '--url', `${srv.base}/v1`, '--app', 'shop', '--from', '5', '--to', '1']);
    assert.equal(empty.code, 0, empty.stderr);
    assert.equal(empty.stdout, '');
    assert.match(empty.stderr, /warning: --to: to_time 1 is not after from_time 5/);
    assert.equal(srv.requests[0].pathname, '/v1/apps/shop/calls');
    assert.equal(srv.requests[0].searchParams.get('from_time'), '5');
  } finally {
    await srv.close();
  }
});

test('fetch: a server that is down, one that is not Fn, and one whose cursor does not move', async () => {
  const srv = await fnServer(fetchGen);
  const base = srv.base;
  await srv.close();
  const down = await run(['fetch', '--url', base, '--app', 'shop', '--retries', '1', '--retry-delay', '1']);
  assertUserError(down, /page 1: cannot connect: ECONNREFUSED; retrying in 0\.0 s \(attempt 2 of 2\)\nfn-calls fetch: page 1 failed: cannot connect: ECONNREFUSED \(after 2 attempts\)/);

  const html = await fnServer(fetchGen, () => ({ status: 200, body: '{"hello":"world"}' }));
  try {
    assertUserError(await run(['fetch', '--url', html.base, '--app', 'shop']), /page 1 failed: the answer is not a call list/);
  } finally {
    await html.close();
  }
  const shopCall = fetchGen.find((l) => l.includes('"app_name":"shop"'));
  const stuck = await fnServer(fetchGen, (url) => {
    if (!url.searchParams.get('cursor')) return null;
    return { status: 200, body: `{"message":"Successfully listed calls","next_cursor":"${url.searchParams.get('cursor')}","calls":[${shopCall}]}` };
  });
  try {
    const r = await run(['fetch', '--url', stuck.base, '--app', 'shop']);
    // page 2 repeats a call of page 1: stopped before writing it twice
    assertUserError(r, /page 2 \(cursor \w+\): the server's ids do not go down \(\w+ after \w+\); stopping rather than writing calls twice; 100 calls from 1 page were written\n$/);
  } finally {
    await stuck.close();
  }
  assertUserError(await run(['fetch', '--app', 'shop'], { env: { FN_API_URL: '' } }), /--url is required/);
  assertUserError(await run(['fetch', '--url', 'localhost:8080', '--app', 'shop']), /--url: 'localhost:8080' is not http\(s\)/);
  assertUserError(await run(['fetch', '--url', 'http://127.0.0.1:9']), /--app NAME is required/);
  assertUserError(await run(['fetch', '--url', 'http://127.0.0.1:9', '--app', 'a', 'calls.ndjson']), /fetch reads from the server/);
});

test('fetch | filter | stats: the output of one command is the input of the next', async () => {
  const srv = await fnServer(fetchGen);
  try {
    const fetched = await run(['fetch', '--url', srv.base, '--app', 'media']);
    const filtered = await run(['filter', '--status', 'error,timeout'], { input: fetched.stdout });
    assert.deepEqual(lines(filtered.stdout), listed(srv.calls, { app_name: 'media', status: ['error', 'timeout'] }));
    const stats = await run(['stats', '--json', '--by', 'path'], { input: filtered.stdout });
    const want = fc.summarizeCalls(filtered.stdout, { group_by: 'path' });
    assert.deepEqual(JSON.parse(stats.stdout).groups, asJson(want.groups));
  } finally {
    await srv.close();
  }
});

// ---- terminal safety and conventions -------------------------------------------------------------------------------

test('text from calls is shown, never obeyed: escapes, window titles and bidi overrides are written visibly', async () => {
  const base = JSON.parse(fetchGen[0]);
  const hostile = [
    { ...base, id: '01C01TC09K47WGE00000000001', status: '\u001b[2J\u001b[32mOK' },
    { ...base, id: '01C01TC09K47WGE00000000002', path: '/\u001b]0;pwned\u0007x', error: 'rtl \u202egnp.exe\u202c done\r\nnext' },
  ].map((c) => JSON.stringify(c));
  const input = hostile.join('\n') + '\n';
  const v = await run(['validate'], { input });
  assert.equal(v.code, 1);
  assert.match(v.stdout, /'\\x1b\[2J\\x1b\[32mOK' is not a call status/);
  const t = await run(['filter', '--format', 'table'], { input: hostile[1] + '\n' });
  assert.match(t.stdout, /\/\\x1b\]0;pwned\\x07x/);
  assert.match(t.stdout, /rtl \\u202egnp\.exe\\u202c done\\r\\nnext/);
  const st = await run(['stats', '--by', 'path'], { input: hostile[1] + '\n' });
  assert.match(st.stdout, /\\x1b\]0;pwned\\x07x/);
  for (const r of [v, t, st]) {
    assert.doesNotMatch(r.stdout + r.stderr, /[\u001b\u0007\u202e]/, 'no raw control character reaches the terminal');
  }
  // NDJSON output stays the data's exact bytes
  const nd = await run(['filter'], { input: hostile[1] + '\n' });
  assert.equal(nd.stdout, fc.stringifyCall(fc.parseCall(hostile[1])) + '\n');
  assert.match(nd.stdout, /\\u001b\]0;pwned\\u0007x/, 'escaped as JSON, as Go writes it');
});

test('tables align by terminal width: wide (CJK) app and path names keep the columns straight', async () => {
  const base = JSON.parse(fetchGen[0]);
  const calls = [
    { ...base, id: '01C01TC09K47WGE00000000001', app_name: '商店', path: '/结账/支付' },
    { ...base, id: '01C01TC09K47WGE00000000002', app_name: 'shop', path: '/checkout' },
    { ...base, id: '01C01TC09K47WGE00000000003', app_name: 'アプリケーション名がとても長い', path: '/é' },
  ].map((c) => JSON.stringify(c)).join('\n') + '\n';
  const t = await run(['filter', '--format', 'table'], { input: calls });
  const rows = lines(t.stdout);
  const width = (s) => [...s].reduce((w, c) => w + (/[\u3000-\u9fff\uff00-\uff60]/.test(c) ? 2 : 1), 0);
  const createdAt = rows.slice(1).map((r) => width(r.slice(0, r.indexOf('2018-') >= 0 ? r.indexOf('2018-') : r.indexOf('20'))));
  assert.equal(new Set(createdAt).size, 1, `the CREATED column starts at one terminal column:\n${t.stdout}`);
  assert.match(rows[3], /アプリケー… /, 'cut to the column width (12 columns) with an ellipsis');
  const st = await run(['stats', '--by', 'app'], { input: calls });
  const statRows = lines(st.stdout).filter((l) => /^(商店|shop|アプリ|APP|total)/.test(l));
  const ends = statRows.map((r) => width(r));
  assert.equal(new Set(ends).size, 1, `stats rows end at one terminal column:\n${st.stdout}`);
});

test('conventions: -V, --json on every command, --quiet, and exit 1 whenever records were left out', async () => {
  const version = JSON.parse(readFileSync(join(root, 'pkg', 'package.json'), 'utf8')).version;
  for (const flag of ['-V', '--version']) assert.equal((await run([flag])).stdout, `fn-calls ${version}\n`);
  const input = gen.slice(0, 300).join('\n') + '\n'; // with invalid records
  const bad = fc.scanCalls(Buffer.from(input), {}, { validate: 'all' }).issues.filter((i) => i.severity === 'error').length;
  assert.ok(bad > 0, 'the sample has bad records');
  const f = await run(['filter', '--json'], { input });
  assert.equal(f.code, 1, 'records were refused');
  assert.ok(Array.isArray(JSON.parse(f.stdout)));
  const s = await run(['stats', '--format', 'json'], { input });
  assert.equal(s.code, 1);
  assert.ok(JSON.parse(s.stdout).skipped > 0);
  const clean = fetchGen.slice(0, 50).join('\n') + '\n';
  assert.equal((await run(['filter'], { input: clean })).code, 0);
  assert.equal((await run(['stats'], { input: clean })).code, 0);
  assertUserError(await run(['filter', '--json', '--format', 'table'], { input: clean }), /--json and --format table ask for different outputs/);
  const q = await run(['filter', '--quiet'], { input });
  assert.equal(q.code, 1);
  assert.equal(q.stderr, '', '--quiet: nothing on stderr, the exit status tells');
  assertUserError(await run(['validate', '--quiet', '--progress'], { input: clean }), /--quiet and --progress contradict/);
});

test('validate | head -1: the reader going away after an error still exits 1', async () => {
  const big = await largeFile('bad-pipe.ndjson', 12);
  const file = join(dir, 'bad-first.ndjson');
  writeFileSync(file, Buffer.concat([Buffer.from('{"id":5}\n'), readFileSync(big.file)]));
  const child = spawn(process.execPath, [CLI, 'validate', file], { stdio: ['ignore', 'pipe', 'pipe'] });
  const [first] = await once(child.stdout, 'data');
  assert.match(String(first), /^-:1 record 0 |^\S+:1 record 0 .*: error /);
  child.stdout.destroy();
  const [code] = await once(child, 'close');
  assert.equal(code, 1);
});

// ---- more of fetch: retries, bad calls in a page, exact limits ---------------------------------------------------

test('fetch: 429 Too Many Requests is tried again, as its Retry-After says', async () => {
  let throttled = 0;
  const srv = await fnServer(fetchGen, (url, n) => {
    if (n <= 2) {
      throttled += 1;
      return { status: 429, body: '{"error":{"message":"Too Many Requests"}}\n', headers: { 'retry-after': '0' } };
    }
    return null;
  });
  try {
    const r = await run(['fetch', '--url', srv.base, '--app', 'notify', '--retry-delay', '1']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(throttled, 2);
    assert.deepEqual(lines(r.stdout), listed(srv.calls, { app_name: 'notify' }));
    assert.equal(lines(r.stderr).filter((l) => /HTTP 429 Too Many Requests: Too Many Requests; retrying in 0\.0 s/.test(l)).length, 2);
  } finally {
    await srv.close();
  }
});

test('fetch: a page with a bad call writes the good ones, names the bad one, and exits 1', async () => {
  const good = fetchGen.filter((l) => l.includes('"app_name":"shop"')).slice(0, 3);
  const bad = good[1].replace(/"status":"\w*"/, '"status":"exploded"');
  const srv = await fnServer(fetchGen, () => ({
    status: 200,
    body: `{"message":"Successfully listed calls","next_cursor":"","calls":[${good[0]},${bad},${good[2]}]}`,
  }));
  try {
    const r = await run(['fetch', '--url', srv.base, '--app', 'shop']);
    assert.equal(r.code, 1, r.stderr);
    assert.deepEqual(lines(r.stdout), [good[0], good[2]]);
    assert.match(r.stderr, /page 1: call 1 left out: bad_status at \/status: /);
    assert.match(r.stderr, /1 call with errors left out/);
  } finally {
    await srv.close();
  }
});

test('fetch: --limit exactly at a page boundary asks for no further page; one more asks for exactly one', async () => {
  const srv = await fnServer(fetchGen);
  try {
    const all = listed(srv.calls, { app_name: 'shop' });
    assert.ok(all.length > 60);
    for (const [limit, pages] of [[50, 2], [51, 3], [49, 2], [25, 1]]) {
      srv.requests.length = 0;
      const r = await run(['fetch', '--url', srv.base, '--app', 'shop', '--per-page', '25', '--limit', String(limit)]);
      assert.equal(r.code, 0, r.stderr);
      assert.deepEqual(lines(r.stdout), all.slice(0, limit), `--limit ${limit}`);
      assert.equal(srv.requests.length, pages, `--limit ${limit}: requests`);
    }
  } finally {
    await srv.close();
  }
});

// ---- hostile and broken servers: bounded, clear, nothing lost ------------------------------------------------------

/** A server whose every answer is written by `handler(req, res)`. */
async function rawServer(handler) {
  const requests = [];
  const server = createServer((req, res) => {
    requests.push({ url: new URL(req.url, 'http://127.0.0.1'), headers: req.headers });
    handler(req, res, requests.length);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    base: `http://127.0.0.1:${server.address().port}`,
    requests,
    close: () => new Promise((resolve) => {
      server.closeAllConnections();
      server.close(resolve);
    }),
  };
}

test('fetch: an endless answer, and a gzip bomb, stop at the answer limit with a clear message', async () => {
  const endless = await rawServer((req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.write('{"message":"Successfully listed calls","calls":[');
    const chunk = Buffer.alloc(1 << 20, 0x20);
    let sent = 0;
    const pump = () => {
      while (sent < 400) {
        sent += 1;
        if (!res.write(chunk)) return res.once('drain', pump);
      }
      res.end(']}');
    };
    res.on('error', () => {});
    pump();
  });
  const zeros = gzipSync(Buffer.alloc(200 << 20, 0x20), { level: 1 });
  const bomb = await rawServer((req, res) => {
    res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' });
    res.end(zeros);
  });
  try {
    for (const srv of [endless, bomb]) {
      const started = Date.now();
      const r = await run(['fetch', '--url', srv.base, '--app', 'shop', '--max-answer-mb', '8', '--retries', '0'], {
        env: { FN_CALLS_DEBUG_MEMORY: '1' },
      });
      assertUserError(r, /page 1 failed: the answer is larger than 8388608 bytes; stopped reading it/);
      assert.ok(Date.now() - started < 30000, 'bounded in time');
      assert.ok(maxRssMb(r.stderr) < 256, `bounded in memory: ${maxRssMb(r.stderr)} MB`);
      assert.equal(srv.requests.length, 1, 'not retried');
    }
  } finally {
    await endless.close();
    await bomb.close();
  }
});

test('fetch: a redirect to another origin is refused; --follow-redirects follows it without the caller\'s headers', async () => {
  const target = await fnServer(fetchGen);
  const redirecting = await rawServer((req, res) => {
    res.writeHead(302, { location: `${target.base}${req.url}` });
    res.end();
  });
  try {
    const refused = await run(['fetch', '--url', redirecting.base, '--app', 'shop', '--header', 'X-Token: secret']);
    assertUserError(refused, /page 1 failed: redirected to another origin \(http:\/\/127\.0\.0\.1:\d+\); not followed \(--follow-redirects allows it\)/);
    assert.equal(target.requests.length, 0);
    const followed = await run(['fetch', '--url', redirecting.base, '--app', 'shop', '--limit', '5', '--header', 'X-Token: secret', '--follow-redirects']);
    assert.equal(followed.code, 0, followed.stderr);
    assert.deepEqual(lines(followed.stdout), listed(target.calls, { app_name: 'shop' }).slice(0, 5));
    assert.equal(redirecting.requests[1].headers['x-token'], 'secret', 'sent to the server asked');
  } finally {
    await target.close();
    await redirecting.close();
  }
  const headers = [];
  const seen = await rawServer((req, res) => {
    headers.push(req.headers['x-token']);
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end('{"message":"Successfully listed calls","next_cursor":"","calls":[]}');
  });
  const hop = await rawServer((req, res) => {
    res.writeHead(307, { location: `${seen.base}${req.url}` });
    res.end();
  });
  try {
    const r = await run(['fetch', '--url', hop.base, '--app', 'shop', '--header', 'X-Token: secret', '--follow-redirects']);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(headers, [undefined], 'no custom header crosses origins');
  } finally {
    await seen.close();
    await hop.close();
  }
});

test('fetch: repeated or climbing ids, an HTML answer and an over-long cursor stop the run with the reason', async () => {
  const shop = fetchGen.filter((l) => l.includes('"app_name":"shop"'));
  const ids = shop.map((l) => JSON.parse(l).id);
  // a server whose cursor keeps descending but whose pages repeat the same calls
  const repeating = await rawServer((req, res, n) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(`{"message":"Successfully listed calls","next_cursor":"${ids[1]}${'0'.repeat(n % 3)}","calls":[${shop.slice(0, 2).join(',')}]}`);
  });
  const html = await rawServer((req, res) => {
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end('<!doctype html><title>Login</title>');
  });
  const longCursor = await rawServer((req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(`{"message":"Successfully listed calls","next_cursor":"${'Z'.repeat(10000)}","calls":[${shop[0]}]}`);
  });
  try {
    const r = await run(['fetch', '--url', repeating.base, '--app', 'shop']);
    assertUserError(r, /page 2 \(cursor \w+\): the server's ids do not go down \(\w+ after \w+\); stopping rather than writing calls twice; 2 calls from 1 page were written\n$/);
    assert.deepEqual(lines(r.stdout), shop.slice(0, 2));

    const h = await run(['fetch', '--url', html.base, '--app', 'shop', '--retries', '3', '--retry-delay', '1']);
    assertUserError(h, /page 1 failed: the answer is not JSON but text\/html \(\d+ bytes\): is the URL the Fn API server\?/);
    assert.equal(html.requests.length, 1, 'a protocol error is not retried');

    const l = await run(['fetch', '--url', longCursor.base, '--app', 'shop']);
    assertUserError(l, /page 1: the server's next_cursor is 10000 characters long, longer than any call id; not sent back/);
    assert.equal(longCursor.requests.length, 1);
  } finally {
    await repeating.close();
    await html.close();
    await longCursor.close();
  }
});

// ---- v2 servers, servers without a call API, and logs -----------------------------------------------------------

/**
 * A local stand-in for a v2 Fn server (0.3.563–0.3.688), answering as `v2Answer` says: /v2/apps, /v2/fns?app_id=,
 * /v2/fns/{id}/calls with base64url cursors and the SQL store's columns, /v2/fns/{id}/calls/{id}[/log]. Fns are
 * named after the call's path. `gone` makes the call routes answer 410 with an empty body, as every server since
 * 0.3.689 does.
 */
async function fnServerV2(source, { gone = false, logs = {} } = {}) {
  const calls = fc.parseCalls(source.join('\n')).calls;
  const store = v2Store(fc, calls);
  const { fns, fnOf, item } = store;
  const requests = [];
  const server = createServer((req, res) => {
    const url = new URL(req.url, 'http://127.0.0.1');
    requests.push(url);
    const { status, body, type } = v2Answer(fc, store, calls, url, { gone, logs, accept: req.headers.accept });
    res.writeHead(status, { 'content-type': type });
    res.end(body);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const base = `http://127.0.0.1:${server.address().port}`;
  const close = () => new Promise((resolve) => {
    server.closeAllConnections();
    server.close(resolve);
  });
  return { base, requests, calls, fns, item, fnOf, close };
}

test('fetch: a v2 server — the app\'s fns found, each listing followed by base64url cursor, merged newest first', async () => {
  const srv = await fnServerV2(fetchGen);
  try {
    const shop = srv.calls.filter((c) => c.app_name === 'shop');
    const want = fc.filterCalls(shop, { all: true }).calls.map(srv.item);
    assert.ok(new Set(shop.map(srv.fnOf)).size > 2, 'several fns');
    const r = await run(['fetch', '--url', srv.base, '--app', 'shop', '--per-page', '40']);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(lines(r.stdout), want, 'every call of every fn, newest first, byte for byte');
    const cursors = srv.requests.filter((u) => /\/calls$/.test(u.pathname)).map((u) => u.searchParams.get('cursor')).filter(Boolean);
    assert.ok(cursors.length > 2);
    for (const c of cursors) assert.match(Buffer.from(c, 'base64url').toString(), /^[0-9A-Z]{26}$/, 'cursors are base64url ids');

    // one fn; a limit across the merge; local filters; --cursor is a call id
    const fnName = srv.fnOf(shop[0]).split('/')[1];
    const one = await run(['fetch', '--url', srv.base, '--app', 'shop', '--fn', fnName]);
    assert.deepEqual(lines(one.stdout), want.filter((l) => l.includes(`"fn_id":"${srv.fns.get(srv.fnOf(shop[0])).id}"`)));
    const limited = await run(['fetch', '--url', srv.base, '--app', 'shop', '--limit', '130', '--per-page', '30']);
    assert.deepEqual(lines(limited.stdout), want.slice(0, 130));
    const cursor = JSON.parse(want[70]).id;
    const resumed = await run(['fetch', '--url', srv.base, '--app', 'shop', '--cursor', cursor, '--status', 'error']);
    assert.deepEqual(lines(resumed.stdout), want.slice(71).filter((l) => l.includes('"status":"error"')));

    assertUserError(await run(['fetch', '--url', srv.base, '--app', 'shop', '--path', '/checkout']), /--path: this server has the v2 API, which keeps no path/);
    assertUserError(await run(['fetch', '--url', srv.base, '--app', 'nosuch']), /app 'nosuch' not found on http:\/\/127\.0\.0\.1:\d+ \(v2 API\)/);
    assertUserError(await run(['fetch', '--url', srv.base, '--app', 'shop', '--fn', 'nosuch']), /fn 'nosuch' not found in app 'shop'/);
  } finally {
    await srv.close();
  }
});

test('fetch and log: a current server (410 Gone) gets an explanation of where calls went, not an HTTP error', async () => {
  const srv = await fnServerV2(fetchGen, { gone: true });
  try {
    for (const args of [['fetch', '--url', srv.base, '--app', 'shop'], ['log', '--url', srv.base, '--app', 'shop', '--fn', 'checkout', '01C01TC09K47WGE00000000000']]) {
      const r = await run(args);
      assert.equal(r.code, 2);
      assert.equal(r.stdout, '');
      assert.match(r.stderr, /\(Fn 0\.3\.753\): this Fn server keeps no calls: the call API was removed in release 0\.3\.689/);
      assert.match(r.stderr, /CallListener extension/);
      assert.doesNotMatch(r.stderr, /HTTP 410/);
    }
  } finally {
    await srv.close();
  }
});

test('log: one call\'s log from v1 and v2 servers, as text or --json; a missing log is a clear error', async () => {
  const v2calls = fetchGen.slice(0, 200);
  const id = fc.parseCall(v2calls[5]).id;
  const text = 'line one\nüñí \u0007 line two\n';
  const v2 = await fnServerV2(v2calls, { logs: { [id]: text } });
  const v1 = await fnServer(fetchGen, (url) => {
    const m = /^\/v1\/apps\/([^/]+)\/calls\/([^/]+)\/log$/.exec(url.pathname);
    if (!m) return null;
    if (m[2] !== id) return { status: 404, body: '{"error":{"message":"Call log not found"}}\n' };
    return { status: 200, body: JSON.stringify({ message: 'Successfully loaded log', log: { call_id: id, log: text, app_name: m[1] } }) };
  });
  try {
    const app = fc.parseCall(v2calls[5]).app_name;
    for (const base of [v1.base, v2.base]) {
      const r = await run(['log', '--url', base, '--app', app, id]);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stdout, text, 'the log exactly');
      const j = await run(['log', '--url', base, '--app', app, id, '--json']);
      assert.deepEqual(JSON.parse(j.stdout), { call_id: id, log: text });
      const other = v2calls.map((l) => fc.parseCall(l)).find((c) => c.app_name === app && c.id !== id).id;
      const missing = await run(['log', '--url', base, '--app', app, other]);
      assertUserError(missing, /log of \w+: HTTP 404 Not Found: Call log not found/);
    }
    const elsewhere = v2calls.map((l) => fc.parseCall(l)).find((c) => c.app_name !== app).id;
    assertUserError(await run(['log', '--url', v2.base, '--app', app, elsewhere]), new RegExp(`no fn of app '${app}' has call ${elsewhere}`));
    assertUserError(await run(['log', '--url', v2.base, '--app', app]), /give exactly one call id/);
    assertUserError(await run(['log', '--url', v2.base, id]), /--app NAME is required/);
  } finally {
    await v1.close();
    await v2.close();
  }
});

// ---- large input: streaming with flat memory -----------------------------------------------------------------

/** Writes about `mb` MB of NDJSON (a generated block repeated) into the temp folder. */
async function largeFile(name, mb) {
  const block = Buffer.from(generateCalls({ count: 2000, seed: 5, invalid: 2 }).join('\n') + '\n');
  const file = join(dir, name);
  const out = createWriteStream(file);
  let n = 0;
  while (n < mb * 1e6) {
    if (!out.write(block)) await once(out, 'drain');
    n += block.length;
  }
  out.end();
  await once(out, 'finish');
  return { file, size: n, copies: n / block.length, block };
}

function maxRssMb(stderr) {
  const m = /fn-calls: memory: max_rss_kb=(\d+)/.exec(stderr);
  assert.ok(m, `memory line in ${stderr.slice(-500)}`);
  return Number(m[1]) / 1024;
}

/**
 * Peak RSS of each command on `mb` MB against the same command on 12 MB (past the start-up and warm-up costs):
 * the input is never held, only the record in progress. What may grow: 20 bytes per match (the CallStream keeps
 * each match's position; validate asks for no matches) and, for stats, 32 bytes per call (its duration and queue
 * wait in the total and its group, for exact percentiles); twice that for growable arrays. Plus 30 MB of slack:
 * the heap settles slowly (validate: 69 MB on 8 MB, 84 MB on 48 MB, 93 MB on 150 MB, 95 MB on 400 MB).
 */
async function memoryCheck(mb) {
  const big = await largeFile(`large-${mb}.ndjson`, mb);
  const base = await largeFile('base.ndjson', 12);
  const records = big.copies * 2000;
  const env = { FN_CALLS_DEBUG_MEMORY: '1' };
  const results = [];
  for (const [args, perRecord] of [[['validate', '--errors-only'], 0], [['filter'], 40], [['stats', '--by', 'path'], 104]]) {
    const small = await run([...args, base.file], { env, stdout: 'ignore' });
    const r = await run([...args, big.file], { env, stdout: 'ignore' });
    assert.ok(r.code === 0 || r.code === 1, r.stderr);
    const grew = maxRssMb(r.stderr) - maxRssMb(small.stderr);
    const allowed = 30 + (perRecord * records) / 2 ** 20;
    results.push(`${args[0]}: peak RSS ${maxRssMb(r.stderr).toFixed(0)} MB on ${(big.size / 1e6).toFixed(0)} MB, ` +
      `${maxRssMb(small.stderr).toFixed(0)} MB on ${(base.size / 1e6).toFixed(0)} MB`);
    assert.ok(grew < allowed, `${args[0]} on ${(big.size / 1e6).toFixed(0)} MB: peak RSS grew by ${grew.toFixed(0)} MB (allowed ${allowed.toFixed(0)})`);
    if (args[0] === 'validate') assert.match(r.stderr, new RegExp(`${records} records in 1 input`));
  }
  const progress = await run(['validate', '--errors-only', big.file], { env: { FN_CALLS_PROGRESS: '1' }, stdout: 'ignore' });
  assert.match(progress.stderr, /\r\x1b\[Kfn-calls validate: \d+\.\d \/ \d+\.\d MB \(\d+%\), [\d,]+ records/);
  const quiet = await run(['validate', '--errors-only', big.file], { stdout: 'ignore' });
  assert.doesNotMatch(quiet.stderr, /\r/, 'no progress when stderr is not a terminal');
  const small = await run(['validate', '--errors-only', base.file], { env: { FN_CALLS_PROGRESS: '1' }, stdout: 'ignore' });
  assert.doesNotMatch(small.stderr, /\r/, 'no progress for a small input');
  rmSync(big.file, { force: true });
  return results;
}

test('large input streams with flat memory (about 45 MB; FN_CALLS_BIG=1 for 400 MB)', { timeout: 600000 }, async (t) => {
  t.diagnostic((await memoryCheck(45)).join('; '));
  if (process.env.FN_CALLS_BIG === '1') t.diagnostic((await memoryCheck(400)).join('; '));
});

test('a closed pipe (| head) ends the command quietly', async () => {
  const big = await largeFile('pipe.ndjson', 12);
  const child = spawn(process.execPath, [CLI, 'filter', big.file], { stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  child.stderr.on('data', (d) => (err += d));
  const [first] = await once(child.stdout, 'data');
  assert.ok(first.length > 0);
  child.stdout.destroy();
  const [code] = await once(child, 'close');
  assert.equal(code, 0);
  assert.equal(err, '');
});

// ---- packaging ----------------------------------------------------------------------------------------------

test('the package installs an fn-calls command (npm pack, npm install, node_modules/.bin/fn-calls)', { timeout: 120000 }, async () => {
  const copy = join(dir, 'pkg');
  cpSync(join(root, 'pkg'), copy, { recursive: true });
  const manifest = JSON.parse(readFileSync(join(copy, 'package.json'), 'utf8'));
  // Until pkg/package.json declares them, check the declaration proposed for it.
  manifest.bin ??= { 'fn-calls': './bin/fn-calls.mjs' };
  if (!manifest.files.includes('bin/')) manifest.files.push('bin/');
  writeFileSync(join(copy, 'package.json'), JSON.stringify(manifest, null, 2));
  const sh = (cmd, args, cwd) => new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`${cmd} ${args.join(' ')}: ${err}`))));
  });
  const packed = JSON.parse(await sh('npm', ['pack', '--json', '--pack-destination', dir], copy));
  const files = packed[0].files.map((f) => f.path);
  for (const f of ['bin/fn-calls.mjs', 'bin/lib.mjs', 'node/index.js', 'web/fn_calls_bg.wasm']) assert.ok(files.includes(f), f);
  const project = join(dir, 'project');
  mkdirSync(project);
  writeFileSync(join(project, 'package.json'), '{"name":"consumer","version":"1.0.0","private":true}');
  await sh('npm', ['install', '--offline', '--no-audit', '--no-fund', join(dir, packed[0].filename)], project);
  const bin = join(project, 'node_modules', '.bin', 'fn-calls');
  assert.ok(existsSync(bin));
  const clean = join(dir, 'clean.ndjson');
  writeFileSync(clean, fetchGen.join('\n') + '\n');
  const out = await sh(bin, ['filter', clean, '--status', 'timeout', '--limit', '2'], project);
  assert.deepEqual(lines(out), fetchGen.filter((l) => l.includes('"status":"timeout"')).slice(0, 2));
  assert.ok(statSync(join(project, 'node_modules', 'fn-calls', 'bin', 'fn-calls.mjs')).mode & 0o111, 'executable');
});

// Conformance against REAL Fn server builds (fnproject/fn compiled from its own source, run without Docker on a
// sqlite file): the v1 server of the seed's commit (2017-11-28), the v2 server of release 0.3.688 (the last to list
// calls), and the `models.Call` of four releases as Go programs that read and re-write NDJSON.
//
// The builds are not part of this repository. They are looked up in $FN_SERVERS_DIR, else in
// `<repo root>/../shared/fn-servers`. Without them every test here is skipped with a reason, and one line saying so
// is printed: nothing fails and nothing passes silently.
//
// Both servers are loaded with the same ~2,500 generated calls (scripts/gen-calls.mjs, reworked for the corner cases
// of the listing: see buildCorpus). Random queries come from a seeded generator: FN_CONFORMANCE_SEED=<n> runs
// another set (the seed is printed with every mismatch). What is compared:
//   v1  GET /v1/apps/{app}/calls?...  ids in order and next_cursor == filterCalls over the loaded calls (and over
//       filterFromQuery's reading of the same URL); the URL == listCallsUrl == Go's url.Values.Encode by hand; the
//       body == the envelope rebuilt with stringifyCall; unknown apps 404; every app paged through; single calls;
//       bounds far from the corpus and odd per_page spellings.
//   v2  GET /v2/fns/{fn_id}/calls?...  ids == filterCalls over that fn's calls (the cursor decoded from base64url);
//       next_cursor (base64url, only on a full page); bad cursors 500; unknown fns 404; the body rebuilt with
//       stringifyCall; every fn paged through; single calls.
//   models  every line each release writes parses without errors; whether stringifyCall gives the same bytes is
//       reported (t.diagnostic), not asserted.
// Known differences between the package and the real thing are tests marked `todo`, with the reason.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { existsSync, mkdtempSync, writeFileSync, readFileSync, rmSync } from 'node:fs';
import { execFile, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { join, resolve } from 'node:path';
import { tmpdir } from 'node:os';
import { generateCalls, goTime, GENERATION_NAMES } from '../../scripts/gen-calls.mjs';

const fc = createRequire(import.meta.url)('../../pkg');

// ---- where the builds are -------------------------------------------------------------------------------------

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SERVERS_DIR = process.env.FN_SERVERS_DIR
  ? resolve(process.env.FN_SERVERS_DIR)
  : resolve(REPO_ROOT, '..', 'shared', 'fn-servers');
const START = join(SERVERS_DIR, 'start');
const HAVE_SERVERS = existsSync(START);
const NO_SERVERS = `no real Fn server builds at ${SERVERS_DIR} (set FN_SERVERS_DIR to run them)`;
if (!HAVE_SERVERS) console.log(`conformance: skipped — ${NO_SERVERS}`);

const V1 = 'v1-2017';
const V2 = 'v2-0.3.688';
const MODELS = ['fn-model-0.3.392', 'fn-model-0.3.562', 'fn-model-0.3.688', 'fn-model-v0.3.753'];
/** Why a part is skipped, or false when it can run. */
function skipReason(...parts) {
  if (!HAVE_SERVERS) return NO_SERVERS;
  const missing = parts.find((p) => !existsSync(join(SERVERS_DIR, p)));
  return missing ? `${join(SERVERS_DIR, missing)} is missing` : false;
}

const SEED = Number(process.env.FN_CONFORMANCE_SEED ?? 20171128) >>> 0;
const QUERIES = 320; // per server

// ---- seeded randomness (mulberry32) ---------------------------------------------------------------------------

function makeRandom(seed) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (lo, hi) => lo + Math.floor(next() * (hi - lo + 1)),
    chance: (p) => next() < p,
    pick: (arr) => arr[Math.floor(next() * arr.length)],
  };
}

// ---- URL and JSON helpers -------------------------------------------------------------------------------------

/** Go's url.QueryEscape. */
function goQueryEscape(s) {
  let out = '';
  for (const byte of Buffer.from(s, 'utf8')) {
    const ch = String.fromCharCode(byte);
    if (/[A-Za-z0-9\-_.~]/.test(ch)) out += ch;
    else if (ch === ' ') out += '+';
    else out += '%' + byte.toString(16).toUpperCase().padStart(2, '0');
  }
  return out;
}
/** Go's url.Values.Encode of `[key, raw value]` pairs: sorted by key, each escaped. */
const goQuery = (pairs) =>
  [...pairs].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([k, v]) => `${goQueryEscape(k)}=${goQueryEscape(v)}`).join('&');
const withQuery = (path, query) => (query ? `${path}?${query}` : path);

const b64url = (s) => Buffer.from(s, 'utf8').toString('base64url');
const ids = (calls) => calls.map((c) => c.id);
const V1_LIST = (cursor, items) => `{"message":"Successfully listed calls","next_cursor":${JSON.stringify(cursor)},"calls":[${items.join(',')}]}`;
const V2_LIST = (cursor, items) => `{${cursor ? `"next_cursor":${JSON.stringify(cursor)},` : ''}"items":[${items.join(',')}]}`;

async function get(url) {
  const res = await fetch(url);
  return { status: res.status, body: await res.text() };
}

/** Where two texts first differ, with a little context. */
function firstDifference(a, b) {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  const from = Math.max(0, i - 40);
  return `at ${i}: expected …${JSON.stringify(a.slice(from, i + 60))}\n             got …${JSON.stringify(b.slice(from, i + 60))}`;
}

// ---- the corpus -----------------------------------------------------------------------------------------------

/** The created_at text of an NDJSON line. */
const createdOf = (line) => /"created_at":"([^"]*)"/.exec(line)[1];
const setCreated = (line, text) => line.replace(/"created_at":"[^"]*"/, `"created_at":"${text}"`);
/** Minutes east of UTC of a date-time text. */
const offsetOf = (text) => {
  const m = /([+-])(\d\d):(\d\d)$/.exec(text);
  return m ? (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3])) : 0;
};
/** The text's wall clock with its offset replaced (another instant, the same digits). */
const reoffset = (text, minutes) => goTime(Date.parse(text.slice(0, 23) + 'Z'), minutes);
const ID_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/**
 * About 2,500 calls of four apps and twelve paths (scripts/gen-calls.mjs), reworked so that the corner cases of the
 * listing occur: created_at at whole seconds, in UTC, +03:00 (one generated machine), and rewritten to -05:00 / +03:00 /
 * +05:30 of the same instant or of another one (same digits); ids that share long prefixes (siblings differing in
 * the last characters, some created in the same millisecond); calls around 1970 and one with the zero time (for
 * to_time=0 and negative bounds). Shuffled: the server orders by id, so must the package.
 */
function buildCorpus(seed) {
  const rnd = makeRandom(seed ^ 0x5eed);
  const lines = generateCalls({ count: 2400, seed, hours: 3, end: '2018-06-12T18:00:00Z' });
  const taken = new Set(lines.map((l) => JSON.parse(l).id));
  const out = [];
  for (let line of lines) {
    let created = createdOf(line);
    const x = rnd.next();
    if (x < 0.1) created = created.replace(/\.\d{3}/, '.000'); // a whole second
    else if (x < 0.18) created = goTime(Date.parse(created), rnd.pick([-300, 180, 330, 0])); // same instant, other offset
    else if (x < 0.23) created = reoffset(created, offsetOf(created) === 0 ? rnd.pick([-300, 180]) : 0); // other instant
    if (x >= 0.1 && rnd.chance(0.25)) created = created.replace(/\.\d{3}/, '.000');
    line = setCreated(line, created);
    out.push(line);
    if (rnd.chance(0.04)) {
      // A sibling: the same call under an id sharing 23..25 characters, sometimes another app's.
      const id = JSON.parse(line).id;
      let sib;
      do {
        const keep = rnd.int(23, 25);
        sib = id.slice(0, keep);
        while (sib.length < 26) sib += ID_ALPHABET[rnd.int(0, 31)];
      } while (taken.has(sib));
      taken.add(sib);
      let copy = line.replace(id, sib).replace(`"FN_CALL_ID":"${id}"`, `"FN_CALL_ID":"${sib}"`);
      if (rnd.chance(0.3)) copy = copy.replace(/"app_name":"[a-z]+"/, `"app_name":"${rnd.pick(['shop', 'media', 'notify', 'etl'])}"`);
      out.push(copy);
    }
  }
  // Calls around the epoch and one at the zero time, all in etl /ingest, under fresh ids (so they warn, no more).
  const template = out.find((l) => l.includes('"path":"/ingest"'));
  const tid = JSON.parse(template).id;
  const early = [
    '1969-12-31T23:59:58.250Z',
    '1970-01-01T00:00:00.000Z',
    '1969-12-31T18:59:59.000-05:00',
    '1970-01-01T03:00:00.000+03:00',
    '1970-01-01T00:00:00.001Z',
    '0001-01-01T00:00:00.000Z',
  ];
  early.forEach((created, k) => {
    const id = tid.slice(0, 20) + 'ZZZZZ' + k;
    out.push(setCreated(template.replace(tid, id).replace(`"FN_CALL_ID":"${tid}"`, `"FN_CALL_ID":"${id}"`), created));
  });
  for (let i = out.length - 1; i > 0; i--) {
    const j = rnd.int(0, i);
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

/** The fn each call belongs to on the v2 server: the last path segment; a quarter of /checkout goes to shop/webhook. */
function fnNameOf(call, rnd) {
  if (call.path === '/checkout' && rnd.chance(0.25)) return 'webhook';
  return call.path.split('/').pop();
}

// ---- starting and stopping the servers ------------------------------------------------------------------------

/** Runs the built fn-calls command; resolves { code, stdout, stderr }. */
function cli(args) {
  return new Promise((resolvePromise) => {
    execFile(process.execPath, [join(REPO_ROOT, 'pkg', 'bin', 'fn-calls.mjs'), ...args], { maxBuffer: 256 << 20, timeout: 120_000 }, (err, stdout, stderr) => {
      resolvePromise({ code: err ? (err.code ?? 1) : 0, stdout, stderr });
    });
  });
}
const nonEmptyLines = (text) => text.split('\n').filter((l) => l !== '');

const running = []; // { pid }
let workDir = null;

function startServer(version, file, extra) {
  return new Promise((resolvePromise, reject) => {
    execFile(
      START,
      [version, file, '', extra],
      { env: { ...process.env, TMPDIR: workDir }, timeout: 170_000 },
      (err, stdout, stderr) => {
        const info = Object.fromEntries(
          stdout.split('\n').filter((l) => l.includes('=')).map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
        );
        if (info.pid) running.push({ pid: Number(info.pid) });
        if (err) reject(new Error(`${START} ${version} failed: ${err.message}\n${stderr}`));
        else resolvePromise(info);
      },
    );
  });
}

function stopAll() {
  for (const s of running.splice(0)) {
    try {
      process.kill(s.pid, 'SIGTERM');
    } catch {
      // already gone
    }
  }
}
process.on('exit', stopAll);
for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143]]) {
  process.once(signal, () => {
    stopAll();
    process.exit(code);
  });
}

let corpus = null; // built once: { lines, v1Text, bytes, batch, calls, byId, fnOf }
let v1Server = null; // Promise<info>
let v2Server = null;

function setUp() {
  if (corpus) return;
  workDir = mkdtempSync(join(tmpdir(), 'fn-conformance-'));
  const lines = buildCorpus(SEED);
  const v1Text = lines.join('\n') + '\n';
  const batch = fc.parseCalls(v1Text);
  const rnd = makeRandom(SEED ^ 0xf00d);
  const fnOf = new Map();
  const v2Lines = lines.map((line) => {
    const call = JSON.parse(line); // id, app_name and path only: no number is read
    const fn = `${call.app_name}/${fnNameOf(call, rnd)}`;
    fnOf.set(call.id, fn);
    return line.slice(0, -1) + `,"fn_name":${JSON.stringify(fn.split('/')[1])}}`;
  });
  // Every 40th call gets a log (the loader stores an extra "log" key as the call's log), for `fn-calls log`.
  const logs = new Map();
  const withLog = (line, k) => {
    if (k % 40 !== 7) return line;
    const id = JSON.parse(line).id;
    const log = `call ${id} says hello\nsecond line: <b>not html</b> ü\n`;
    logs.set(id, log);
    return line.slice(0, -1) + `,"log":${JSON.stringify(log)}}`;
  };
  corpus = { lines, v1Text, bytes: Buffer.from(v1Text), batch, calls: batch.calls, byId: new Map(batch.calls.map((c) => [c.id, c])), fnOf, logs };
  writeFileSync(join(workDir, 'v1.ndjson'), lines.map(withLog).join('\n') + '\n');
  writeFileSync(join(workDir, 'v2.ndjson'), v2Lines.map(withLog).join('\n') + '\n');
  // Both load at once (sqlite commits each insert: seconds, mostly waiting on the disk). Empty extras: an app with
  // no calls (v1), a fn with no calls (v2).
  const quiet = (p) => (p.catch(() => {}), p);
  if (!skipReason(V1)) v1Server = quiet(startServer(V1, join(workDir, 'v1.ndjson'), 'ghost'));
  if (!skipReason(V2)) v2Server = quiet(startServer(V2, join(workDir, 'v2.ndjson'), 'shop/idle'));
}

after(async () => {
  // Servers still loading when a test gave up are stopped once their start script reports them.
  await Promise.allSettled([v1Server, v2Server].filter(Boolean));
  stopAll();
  if (workDir) {
    await new Promise((r) => setTimeout(r, 200));
    rmSync(workDir, { recursive: true, force: true });
  }
});

// Load the servers while the models are checked.
if (HAVE_SERVERS) setUp();

// ---- random filters -------------------------------------------------------------------------------------------

/** Unix seconds of the instant of a created_at text, and of its digits read as UTC (the text's own "second"). */
const instantSec = (t) => Math.floor(Date.parse(t) / 1000);
const wallSec = (t) => Math.floor(Date.parse(t.slice(0, 23) + 'Z') / 1000);

function timePicker(calls) {
  const normal = calls.filter((c) => c.created_at.startsWith('2018'));
  const whole = normal.filter((c) => c.created_at.includes('.000'));
  const secs = normal.map((c) => instantSec(c.created_at));
  const lo = Math.min(...secs) - 60;
  const hi = Math.max(...secs) + 60;
  return (rnd, which) => {
    const x = rnd.next();
    if (x < 0.08) return which === 'to' ? rnd.pick([0, 0, -1, -2, -3600, -18000, -86400, 1, 10800]) : rnd.pick([-1, -2, -86400, -18001, 0, 10799]);
    const c = rnd.chance(0.4) ? rnd.pick(whole) : rnd.pick(normal);
    const s = rnd.chance(0.5) ? instantSec(c.created_at) : wallSec(c.created_at);
    if (x < 0.5) return s;
    if (x < 0.75) return s + rnd.int(-3, 3);
    return rnd.int(lo, hi);
  };
}

/** per_page: `{ n }` a number (through the package), `{ raw }` text sent as is, or absent. */
function pickPerPage(rnd) {
  const x = rnd.next();
  if (x < 0.15) return {};
  if (x < 0.2) return { n: 0 };
  if (x < 0.25) return { n: -1 };
  if (x < 0.33) return { raw: rnd.pick(['abc', '1e2', '10.5', '', 'ten', '0x10', '5abc', '-', '3.0']) };
  if (x < 0.38) return { n: rnd.int(100, 120) };
  if (x < 0.75) return { n: rnd.int(1, 10) };
  return { n: rnd.int(11, 99) };
}

/** Absent, an existing id, or something prefix-ish: a cut id, plus a character, lower case, odd characters. */
function pickCursor(rnd, pool) {
  const x = rnd.next();
  if (x < 0.4 || pool.length === 0) return undefined;
  const id = rnd.pick(pool).id;
  if (x < 0.65) return id;
  let s = id.slice(0, rnd.int(1, 25));
  const y = rnd.next();
  if (y < 0.4) s += ID_ALPHABET[rnd.int(0, 31)];
  else if (y < 0.5) s = s.toLowerCase();
  else if (y < 0.6) s += rnd.pick(['~', ' ', 'zz', '!', '-', 'Ü']);
  return s;
}

function pickTimes(rnd, pickTime) {
  let from = rnd.chance(0.5) ? pickTime(rnd, 'from') : undefined;
  let to = rnd.chance(0.5) ? pickTime(rnd, 'to') : undefined;
  if (from !== undefined && to !== undefined && from > to && rnd.chance(0.7)) [from, to] = [to, from];
  return { from, to };
}

function describeQuery(q) {
  return JSON.stringify(q, (k, v) => (v === undefined ? '(absent)' : v));
}

// ---- the real models of four releases ---------------------------------------------------------------------------

const RELEASE_ORDER = MODELS.map((m) => m.replace('fn-model-', ''));
/**
 * A few calls shaped for the later releases, each with the releases it fits (`from`, `to`): app_id (0.3.392),
 * config / headers / cpus / annotations, syslog_url and tmpfs_size, trigger_id / fn_id / app_name again, no path
 * (0.3.563), no format (0.3.603), type "detached" (0.3.613), execution_duration and no priority (after 0.3.688).
 */
const RELEASE_SHAPED = [
  { from: '0.3.392', to: '0.3.392', line: '{"id":"01C9G3W6YZ47WGE00000000000","status":"success","path":"/hello","image":"fnproject/hello","type":"sync","format":"http","method":"GET","timeout":30,"idle_timeout":30,"memory":128,"cpus":"100m","config":{"FOO":"bar","A":"x<y"},"annotations":{"fnproject.io/route":{"b":2,"a":[1,2.50]}},"headers":{"Accept":["*/*"],"X-B":["1","2"]},"completed_at":"2018-03-26T18:30:00.250Z","created_at":"2018-03-26T18:30:00.100Z","started_at":"2018-03-26T18:30:00.110Z","app_id":"01C9G3TT0047WGE00000000000"}' },
  { from: '0.3.392', to: '0.3.392', line: '{"id":"01C9G3X1B247WGE00000000000","status":"error","path":"/hello","image":"fnproject/hello","type":"async","format":"default","payload":"{}","method":"POST","priority":1,"timeout":30,"idle_timeout":30,"memory":256,"completed_at":"2018-03-26T21:30:01.250+03:00","created_at":"2018-03-26T21:30:01.000+03:00","started_at":"2018-03-26T21:30:01.100+03:00","error":"container exit code 1","app_id":"01C9G3TT0047WGE00000000000"}' },
  { from: '0.3.562', to: '0.3.562', line: '{"id":"01CQV5Z9N3NG8G00GZJ0000007","status":"success","path":"/hello","image":"fnproject/hello:0.0.3","type":"sync","format":"http","method":"POST","priority":0,"timeout":30,"idle_timeout":30,"tmpfs_size":64,"memory":128,"cpus":"0.5","config":{"FN_APP_NAME":"hello"},"headers":{"Content-Type":["text/plain"]},"syslog_url":"tcp://log:514","completed_at":"2018-09-17T11:08:20.150Z","created_at":"2018-09-17T11:08:20.000Z","started_at":"2018-09-17T11:08:20.010Z","app_id":"01CQV5YZZ8NG8G00GZJ0000001","app_name":"","trigger_id":"01CQV5YZZ8NG8G00GZJ0000003","fn_id":"01CQV5YZZ8NG8G00GZJ0000002"}' },
  { from: '0.3.688', to: 'v0.3.753', line: '{"id":"01D7KWMZB3NG8G00GZJ0000002","status":"success","image":"fnproject/hello:0.0.2","type":"sync","url":"http://localhost:8080/invoke/01D7KWMZB3NG8G00GZJ0000004","method":"POST","timeout":30,"idle_timeout":30,"tmpfs_size":0,"memory":128,"cpus":"100m","config":{"FN_APP_ID":"01D7KWMZB3NG8G00GZJ0000001","B":"x<y"},"annotations":{"fnproject.io/fn/invokeEndpoint":"http://localhost:8080/invoke/01D7KWMZB3NG8G00GZJ0000004"},"headers":{"Content-Type":["application/json"]},"syslog_url":"tcp://log:514","completed_at":"2019-04-05T00:52:43.123Z","created_at":"2019-04-05T00:52:42.001Z","started_at":"2019-04-05T00:52:42.500Z","execution_duration":623000000,"stats":[{"timestamp":"2019-04-05T00:52:43.000Z","metrics":{"mem_usage":1234,"cpu_total":5}}],"app_id":"01D7KWMZB3NG8G00GZJ0000001","app_name":"","trigger_id":"","fn_id":"01D7KWMZB3NG8G00GZJ0000004"}' },
  { from: '0.3.688', to: '0.3.688', line: '{"id":"01CQV72ZXENG8G00GZJ000000X","status":"timeout","image":"fnproject/slow","type":"sync","method":"POST","timeout":5,"idle_timeout":30,"memory":128,"completed_at":"2018-09-17T11:10:05.004Z","created_at":"2018-09-17T11:10:00.000Z","started_at":"2018-09-17T11:10:00.002Z","app_id":"01CQV6PHDGNG8G00GZJ0000001","app_name":"","trigger_id":"01CQV6PHDGNG8G00GZJ0000003","fn_id":"01CQV6PHDGNG8G00GZJ0000002"}' },
  { from: '0.3.688', to: 'v0.3.753', detached: true, line: '{"id":"01D7KWN4G2NG8G00GZJ0000005","status":"error","image":"fnproject/hello:0.0.2","type":"detached","method":"POST","timeout":30,"idle_timeout":30,"memory":256,"completed_at":"2019-04-05T03:52:47.010+03:00","created_at":"2019-04-05T03:52:47.001+03:00","started_at":"2019-04-05T03:52:47.005+03:00","error":"container exit code 1","app_id":"01D7KWMZB3NG8G00GZJ0000001","app_name":"","trigger_id":"","fn_id":"01D7KWMZB3NG8G00GZJ0000004"}' },
];
const shapedFor = (release, detached) =>
  RELEASE_SHAPED.filter((s) => !!s.detached === detached && RELEASE_ORDER.indexOf(s.from) <= RELEASE_ORDER.indexOf(release) && RELEASE_ORDER.indexOf(release) <= RELEASE_ORDER.indexOf(s.to)).map((s) => s.line);

function runModel(bin, lines) {
  const r = spawnSync(bin, [], { input: lines.join('\n') + '\n', maxBuffer: 256 * 1024 * 1024 });
  assert.equal(r.status, 0, `${bin}: ${r.stderr}`);
  const text = r.stdout.toString('utf8');
  assert.ok(text.endsWith('\n'), `${bin}: output does not end with a newline`);
  const out = text.slice(0, -1).split('\n');
  assert.equal(out.length, lines.length, `${bin}: one output line per input line`);
  assert.deepEqual(out.filter((l) => l.startsWith('{"error"')), [], `${bin} refused some input`);
  return out;
}

/** Parses each line with the package; returns what does not parse and what stringifyCall does not reproduce. */
function checkModelOutput(lines) {
  const failures = [];
  const differ = [];
  for (const [k, line] of lines.entries()) {
    const r = fc.safeParseCall(line);
    if (!r.success || r.warnings.some((w) => w.severity === 'error')) {
      const errors = (r.success ? r.warnings : r.issues).filter((i) => i.severity === 'error');
      failures.push(`line ${k + 1}: ${JSON.stringify(errors)}\n  ${line.slice(0, 300)}`);
      continue;
    }
    const written = fc.stringifyCall(r.data);
    if (written !== line) differ.push({ k, line, written });
  }
  return { failures, differ };
}

/** What kind of difference: the keys each side writes, in order, and whether only the order differs. */
function explainDifference({ line, written }) {
  const a = JSON.parse(line);
  const b = JSON.parse(written);
  const sameSet = JSON.stringify(Object.entries(a).sort()) === JSON.stringify(Object.entries(b).sort());
  const lost = Object.keys(a).filter((k) => !(k in b));
  const added = Object.keys(b).filter((k) => !(k in a));
  return (
    (sameSet ? 'same keys and values, another key order' : `keys lost: [${lost}], keys added: [${added}]`) +
    `\n    model   keys: ${Object.keys(a).join(',')}\n    package keys: ${Object.keys(b).join(',')}`
  );
}

describe('real Go models of four releases (fn-model-*)', () => {
  for (const model of MODELS) {
    const release = model.replace('fn-model-', '');
    const bin = join(SERVERS_DIR, 'models', model);
    const skip = skipReason(join('models', model));
    test(`${model}: every call it writes from the corpus parses without errors and is written back byte for byte`, { skip }, (t) => {
      setUp();
      const lines = runModel(bin, corpus.lines);
      const { failures, differ } = checkModelOutput(lines);
      t.diagnostic(`${model}: corpus: stringifyCall(parseCall(line)) === line for ${lines.length - differ.length} of ${lines.length} lines; ${differ.length} differ`);
      const orderOnly = differ.filter((d) => explainDifference(d).startsWith('same keys')).length;
      if (differ.length) {
        t.diagnostic(`${model}: ${orderOnly} of the ${differ.length} differ only in key order; first (line ${differ[0].k + 1}): ${explainDifference(differ[0])}`);
      }
      assert.equal(failures.length, 0, `${failures.length} lines do not parse:\n${failures.slice(0, 5).join('\n')}`);
      assert.deepEqual(differ.slice(0, 3).map(explainDifference), [], `${differ.length} lines are not written back as ${release} wrote them`);
    });

    test(`${model}: calls shaped for ${release} parse without errors and are written back byte for byte`, { skip }, (t) => {
      const input = shapedFor(release, false);
      const lines = runModel(bin, input);
      const { failures, differ } = checkModelOutput(lines);
      t.diagnostic(`${model}: release-shaped: ${lines.length - differ.length} of ${lines.length} byte-exact`);
      for (const d of differ) t.diagnostic(`${model}: shaped line ${d.k + 1}: ${explainDifference(d)}\n    model   ${d.line}\n    package ${d.written}`);
      assert.equal(failures.length, 0, `${failures.length} lines do not parse:\n${failures.join('\n')}`);
      assert.equal(differ.length, 0, 'every line written back byte for byte');
    });

    test(`${model}: generated calls of every generation, read by ${release}'s Go code, are what stringifyCall writes as ${release}`, { skip }, () => {
      let compared = 0;
      for (const generation of GENERATION_NAMES) {
        const input = generateCalls({ count: 120, seed: SEED, generation });
        const out = runModel(bin, input);
        for (const [k, go] of out.entries()) {
          const ours = fc.stringifyCall(fc.parseCall(input[k]), { generation: release });
          assert.equal(ours, go, `generation ${generation}, line ${k + 1}: stringifyCall as ${release} differs from the Go model`);
          const r = fc.safeParseCall(go);
          assert.ok(r.success, `${go}\n${JSON.stringify(r.issues)}`);
          assert.equal(fc.stringifyCall(r.data), go, `the model's own line, written back`);
          compared += 1;
        }
      }
      assert.equal(compared, 120 * GENERATION_NAMES.length);
    });

    if (shapedFor(release, true).length) {
      test(
        `${model}: a call of type "detached" (written from 0.3.613 on) parses without errors`,
        { skip },
        () => {
          const lines = runModel(bin, shapedFor(release, true));
          const { failures } = checkModelOutput(lines);
          assert.equal(failures.length, 0, `${failures.length} lines do not parse:\n${failures.join('\n')}`);
        },
      );
    }
  }
});

// ---- v1 -------------------------------------------------------------------------------------------------------

/** What the v1 SQL store keeps of a call. */
function v1Stored(c) {
  const o = { id: c.id, status: c.status, app_name: c.app_name, path: c.path, completed_at: c.completed_at, created_at: c.created_at, started_at: c.started_at };
  if (c.stats?.length) o.stats = c.stats;
  if (c.error) o.error = c.error;
  return o;
}

describe('real Fn v1 server (seed commit 892c843d87)', () => {
  const skip = skipReason(V1);
  /** Every test is reported as skipped (with the reason) when the build is absent. */
  const check = (title, options, fn) => test(title, skip ? { skip } : options, fn);
  let base;
  before(async () => {
    if (skip) return;
    setUp();
    base = (await v1Server).url;
  }, { timeout: 180_000 });

  check('the loaded NDJSON reads without errors', {}, () => {
    assert.equal(corpus.calls.length, corpus.lines.length);
    assert.deepEqual(corpus.batch.issues.filter((i) => i.severity === 'error'), []);
  });

  check(`${QUERIES} random listings: ids, next_cursor, URL and bytes as the package says`, { timeout: 150_000 }, async (t) => {
    const { calls, bytes } = corpus;
    const rnd = makeRandom(SEED);
    const apps = [...new Set(calls.map((c) => c.app_name))].sort();
    const paths = [...new Set(calls.map((c) => c.path))].sort();
    const unknownApps = ['nope', 'Shop', 'sho', 'shopx', 'media ', 'a b', 'notify2'];
    const pickTime = timePicker(calls);
    const mismatches = [];
    const counts = { ok: 0, empty: 0, full: 0, notFound: 0, raw: 0, fromQuery: 0 };
    for (let n = 0; n < QUERIES; n++) {
      const app = rnd.chance(0.85) ? rnd.pick([...apps, 'ghost']) : rnd.pick(unknownApps);
      const own = calls.filter((c) => c.app_name === app);
      const px = rnd.next();
      const path =
        px < 0.45 ? undefined
        : px < 0.85 ? (own.length && rnd.chance(0.8) ? rnd.pick(own).path : rnd.pick(paths))
        : rnd.pick(['/nope', '/Checkout', '/checkout/', '/cart', 'checkout']);
      const { from, to } = pickTimes(rnd, pickTime);
      const cursor = pickCursor(rnd, own.length && rnd.chance(0.8) ? own : calls);
      const pp = pickPerPage(rnd);
      const filter = { path, from_time: from, to_time: to, cursor, per_page: pp.n };
      const query = { app, ...filter, per_page: 'raw' in pp ? `raw:${JSON.stringify(pp.raw)}` : pp.n };

      // The URL: by hand as Go's url.Values.Encode writes it, and by the package.
      const pairs = [];
      if (path !== undefined) pairs.push(['path', path]);
      if (from !== undefined) pairs.push(['from_time', String(from)]);
      if (to !== undefined) pairs.push(['to_time', String(to)]);
      if (cursor !== undefined) pairs.push(['cursor', cursor]);
      if (pp.n !== undefined) pairs.push(['per_page', String(pp.n)]);
      const byHand = withQuery(`${base}/v1/apps/${encodeURIComponent(app)}/calls`, goQuery(pairs));
      let url;
      if ('raw' in pp) {
        url = byHand + (pairs.length ? '&' : '?') + `per_page=${pp.raw}`;
        counts.raw++;
      } else {
        url = fc.listCallsUrl(base, app, filter);
        if (url !== byHand) mismatches.push(`query ${describeQuery(query)}: listCallsUrl\n  ${url}\n  by hand: ${byHand}`);
      }

      // Half the queries hand the package the parsed calls, half the NDJSON bytes that were loaded.
      const input = n % 2 ? calls : bytes;
      const expected = fc.filterCalls(input, { app_name: app, ...filter, per_page: 'raw' in pp ? 30 : pp.n });
      const { status, body } = await get(url);
      const fail = (what) => mismatches.push(`seed ${SEED} query #${n} ${describeQuery(query)}\n  GET ${url}\n  ${what}`);

      let got; // { ids, next_cursor } of the server
      if (status === 404) {
        counts.notFound++;
        if (body !== '{"error":{"message":"App not found"}}\n') fail(`404 body ${JSON.stringify(body)}`);
        if (apps.includes(app) || app === 'ghost') fail('404 for an app that exists');
        got = { ids: [], next_cursor: '' };
      } else if (status === 200) {
        const json = JSON.parse(body);
        got = { ids: json.calls.map((c) => c.id), next_cursor: json.next_cursor };
        if (!apps.includes(app) && app !== 'ghost') fail('200 for an unknown app');
        // Byte for byte: the envelope rebuilt from the package's reading and writing of each call.
        const parsed = fc.parseCalls(body);
        const errors = parsed.issues.filter((i) => i.severity === 'error');
        if (errors.length) fail(`parseCalls(body) errors ${JSON.stringify(errors)}`);
        const rebuilt = V1_LIST(parsed.next_cursor, parsed.calls.map((c) => fc.stringifyCall(c)));
        if (rebuilt !== body) fail(`body not re-written byte for byte, ${firstDifference(body, rebuilt)}`);
        counts.ok++;
        if (!got.ids.length) counts.empty++;
        if (got.next_cursor) counts.full++;
      } else {
        fail(`HTTP ${status} ${body}`);
        continue;
      }
      const same = (page) => JSON.stringify(ids(page.calls)) === JSON.stringify(got.ids) && page.next_cursor === got.next_cursor;
      const show = (page) => `${page.calls.length} ids ${JSON.stringify(ids(page.calls))} next_cursor ${JSON.stringify(page.next_cursor)}`;
      const server = `server  ${got.ids.length} ids ${JSON.stringify(got.ids)} next_cursor ${JSON.stringify(got.next_cursor)}`;
      if (!same(expected)) fail(`${server}\n  package ${show(expected)} (filterCalls over ${n % 2 ? 'Call objects' : 'NDJSON bytes'})`);

      // The package reading the query string the server read must come to the same page.
      const fromQuery = fc.filterFromQuery(url);
      const viaQuery = fc.filterCalls(bytes, fromQuery.filter);
      if (fromQuery.issues.some((i) => i.severity === 'error') || !same(viaQuery)) {
        fail(`${server}\n  filterFromQuery ${JSON.stringify(fromQuery)} gives ${show(viaQuery)}`);
      } else counts.fromQuery++;
    }
    t.diagnostic(`v1: ${QUERIES} queries (seed ${SEED}): ${JSON.stringify(counts)}`);
    assert.ok(counts.ok - counts.empty > QUERIES / 3, 'too few queries returned calls');
    assert.ok(counts.full > 20 && counts.notFound > 10, 'too few full pages or unknown apps');
    assert.equal(mismatches.length, 0, `${mismatches.length} mismatches with the real v1 server:\n${mismatches.slice(0, 8).join('\n')}`);
  });

  check('every app paged through with next_cursor: all calls, each written as the package writes it', {}, async () => {
    const apps = [...new Set(corpus.calls.map((c) => c.app_name)), 'ghost'];
    for (const app of apps) {
      const want = corpus.calls.filter((c) => c.app_name === app).sort((a, b) => (a.id < b.id ? 1 : -1));
      const seen = [];
      let cursor;
      for (let page = 0; page < 100; page++) {
        const url = fc.listCallsUrl(base, app, { per_page: 100, cursor });
        const { status, body } = await get(url);
        assert.equal(status, 200, `${url}: ${body}`);
        const batch = fc.parseCalls(body);
        assert.deepEqual(batch.issues.filter((i) => i.severity === 'error'), [], url);
        seen.push(...batch.calls);
        if (!batch.next_cursor) break;
        cursor = batch.next_cursor;
      }
      assert.deepEqual(ids(seen), ids(want), app);
      for (const [k, c] of seen.entries()) {
        assert.equal(fc.stringifyCall(c), fc.stringifyCall(v1Stored(want[k])), `${app} ${c.id}: the server's copy != the package's writing of the loaded call`);
      }
    }
  });

  check('single calls: GET /v1/apps/{app}/calls/{id} re-written byte for byte', {}, async () => {
    const rnd = makeRandom(SEED + 1);
    const picks = [
      ...corpus.calls.filter((c) => /\.000/.test(c.created_at)).slice(0, 3),
      ...corpus.calls.filter((c) => /[+-]\d\d:\d\d$/.test(c.created_at)).slice(0, 3),
      ...corpus.calls.filter((c) => c.stats?.length && c.error).slice(0, 2),
      ...corpus.calls.filter((c) => !c.created_at.startsWith('2018')),
      ...Array.from({ length: 6 }, () => rnd.pick(corpus.calls)),
    ];
    assert.ok(picks.length >= 15);
    for (const c of picks) {
      const { status, body } = await get(`${base}/v1/apps/${encodeURIComponent(c.app_name)}/calls/${c.id}`);
      assert.equal(status, 200, body);
      const call = fc.parseCall(body);
      assert.equal(call.id, c.id);
      assert.equal(body, `{"message":"Successfully loaded call","call":${fc.stringifyCall(call)}}`);
      assert.equal(fc.stringifyCall(call), fc.stringifyCall(v1Stored(c)));
    }
  });

  // Bounds far from the corpus, and per_page spellings Go's parser reads its own way. The server is the oracle;
  // the filter comes from the package's own reading of the query string (filterFromQuery).
  async function probe(app, q) {
    const url = `${base}/v1/apps/${app}/calls?${q}`;
    const { status, body } = await get(url);
    if (status !== 200) return `${url}: HTTP ${status} ${body.trim()}`;
    const fq = fc.filterFromQuery(url);
    let page;
    try {
      page = fc.filterCalls(corpus.bytes, fq.filter);
    } catch (e) {
      return `${url}: filterCalls(${JSON.stringify(fq.filter)}) throws ${e.message}`;
    }
    const got = JSON.parse(body);
    const gotIds = got.calls.map((c) => c.id);
    if (JSON.stringify(gotIds) === JSON.stringify(ids(page.calls)) && got.next_cursor === page.next_cursor) return null;
    const onlyServer = gotIds.filter((id) => !ids(page.calls).includes(id));
    const onlyPackage = ids(page.calls).filter((id) => !gotIds.includes(id));
    const created = (list) => list.slice(0, 4).map((id) => `${id} ${corpus.byId.get(id)?.created_at}`).join(', ');
    return (
      `${url}: filter ${JSON.stringify(fq.filter)}: server ${gotIds.length} calls, package ${page.calls.length}` +
      `\n    only the server lists: [${created(onlyServer)}]\n    only the package lists: [${created(onlyPackage)}]`
    );
  }
  const EDGE_APPS = ['etl', 'shop']; // etl holds the calls of 1969/1970 and the one at the zero time
  const EDGE_QUERIES = [
    'to_time=0', 'to_time=-1', 'from_time=-1', 'from_time=0', 'to_time=1', 'from_time=-18001', 'to_time=-18000',
    'to_time=-62135596799', 'to_time=-62135596801', 'from_time=-62135596801', 'from_time=-62135596799',
    'to_time=253402300799', 'from_time=253402300799', 'from_time=-99999999999', 'to_time=-99999999999',
    'per_page=%2B5', 'per_page=05', 'per_page=%205', 'per_page=99999999999999999999', 'per_page=-99999999999999999999',
    'per_page=101', 'per_page=100', 'per_page=1&per_page=7', 'from_time=1528820000&from_time=-5', 'cursor=&per_page=3',
  ];
  /** Where the package and the real server once parted ways (found by this suite, fixed since). */
  const ONCE_DIVERGENT = [
    'to_time=-62135596800', 'from_time=-62135596800', // Go's zero time.Time: the server's store drops the bound
    'to_time=253402300800', 'from_time=253402300800', // year 10000: Go writes the bound "10000-01-01T00:00:00.000Z"
  ];

  check('edge bounds and per_page spellings (1969/1970, years 1 and 9999, +5, overflow, repeats)', {}, async (t) => {
    const problems = [];
    for (const app of EDGE_APPS) for (const q of EDGE_QUERIES) problems.push(await probe(app, q));
    for (const p of problems.filter(Boolean)) t.diagnostic(p);
    assert.deepEqual(problems.filter(Boolean), []);
  });

  check(
    'bounds at Go\'s zero time (-62135596800, no bound to the server) and in year 10000 (253402300800, "10000-01-01T…")',
    {},
    async (t) => {
      const problems = [];
      for (const app of EDGE_APPS) for (const q of ONCE_DIVERGENT) problems.push(await probe(app, q));
      for (const p of problems.filter(Boolean)) t.diagnostic(p);
      assert.deepEqual(problems.filter(Boolean), []);
    },
  );
});

describe('the fn-calls command against the real v1 server', () => {
  const skip = skipReason(V1);
  const check = (title, options, fn) => test(title, skip ? { skip } : options, fn);
  let base;
  before(async () => {
    if (skip) return;
    setUp();
    base = (await v1Server).url;
  }, { timeout: 180_000 });

  check('fetch: every call of an app (and of one path), newest first, as the server wrote it', { timeout: 120_000 }, async () => {
    for (const [app, extra] of [['shop', []], ['media', ['--path', '/thumbnail']], ['ghost', []]]) {
      const r = await cli(['fetch', '--url', base, '--app', app, ...extra]);
      assert.equal(r.code, 0, r.stderr);
      const filter = { app_name: app, ...(extra.length ? { path: extra[1] } : {}), all: true };
      const want = fc.filterCalls(corpus.calls, filter).calls.map((c) => fc.stringifyCall(v1Stored(c)));
      assert.deepEqual(nonEmptyLines(r.stdout), want, `${app} ${extra.join(' ')}`);
    }
    const missing = await cli(['fetch', '--url', base, '--app', 'nope']);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /page 1 failed: HTTP 404 Not Found: App not found/);
  });

  check('log: a stored log exactly, and the server\'s message for a call without one', {}, async () => {
    const [id, log] = [...corpus.logs].find(([i]) => corpus.byId.get(i).app_name === 'shop');
    const r = await cli(['log', '--url', base, '--app', 'shop', id]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, log);
    const none = corpus.calls.find((c) => c.app_name === 'shop' && !corpus.logs.has(c.id));
    const m = await cli(['log', '--url', base, '--app', 'shop', none.id]);
    assert.equal(m.code, 2);
    assert.match(m.stderr, /Call log not found/);
  });
});

// ---- v2 -------------------------------------------------------------------------------------------------------

/** What the v2 SQL store keeps of a call, as the server lists it. */
function v2Stored(c, appId, fnId) {
  const o = { id: c.id, status: c.status, completed_at: c.completed_at, created_at: c.created_at, started_at: c.started_at };
  if (c.stats?.length) o.stats = c.stats;
  if (c.error) o.error = c.error;
  return { ...o, app_id: appId, app_name: '', trigger_id: '', fn_id: fnId };
}

describe('real Fn v2 server (release 0.3.688)', () => {
  const skip = skipReason(V2);
  /** Every test is reported as skipped (with the reason) when the build is absent. */
  const check = (title, options, fn) => test(title, skip ? { skip } : options, fn);
  let base;
  let fnIds; // "app/fn" -> id
  let appIds;
  let byteProblems = []; // filled by the random queries, asserted in their own test
  before(async () => {
    if (skip) return;
    setUp();
    const info = await v2Server;
    base = info.url;
    const known = JSON.parse(readFileSync(info.ids, 'utf8'));
    fnIds = known.fns;
    appIds = known.apps;
  }, { timeout: 180_000 });

  let v2All = null;
  /** Every call as the v2 store keeps it, with the server's app and fn ids. */
  const allV2 = () => (v2All ??= corpus.calls.map((c) => v2Stored(c, appIds[c.app_name], fnIds[corpus.fnOf.get(c.id)])));
  const got0 = (body) => JSON.parse(body).items.map((c) => c.id);

  check(`${QUERIES} random listings per fn: ids, next_cursor (base64url), errors`, { timeout: 120_000 }, async (t) => {
    const { calls, fnOf } = corpus;
    const rnd = makeRandom(SEED ^ 0x2222);
    const fnNames = Object.keys(fnIds).sort();
    assert.ok(fnNames.includes('shop/idle') && fnNames.includes('shop/webhook') && fnNames.includes('notify/webhook'));
    const byFn = new Map(fnNames.map((f) => [f, calls.filter((c) => fnOf.get(c.id) === f)]));
    const pickTime = timePicker(calls);
    const unknownFns = [Object.values(appIds)[0], calls[0].id, '01M8J2FJWVR00040GZJ0000000', 'nope', fnIds['shop/checkout'].toLowerCase()];
    const badCursors = ['a', 'MDE=', '***', 'MD+x', 'MD/x', 'abcde'];
    const mismatches = [];
    const counts = { ok: 0, empty: 0, full: 0, notFound: 0, badCursor: 0 };
    for (let n = 0; n < QUERIES; n++) {
      const fx = rnd.next();
      const fnName = fx < 0.9 ? rnd.pick(fnNames) : null;
      const fnId = fnName ? fnIds[fnName] : rnd.pick(unknownFns);
      const own = fnName ? byFn.get(fnName) : [];
      const { from, to } = pickTimes(rnd, pickTime);
      const cx = rnd.next();
      let rawCursor; // what goes in the URL
      let cursor; // what it decodes to
      if (cx < 0.06) rawCursor = rnd.pick(badCursors);
      else {
        cursor = pickCursor(rnd, own.length && rnd.chance(0.8) ? own : calls);
        if (cursor !== undefined) rawCursor = b64url(cursor);
      }
      const pp = pickPerPage(rnd);
      const pairs = [];
      if (rawCursor !== undefined) pairs.push(['cursor', rawCursor]);
      if (from !== undefined) pairs.push(['from_time', String(from)]);
      if (to !== undefined) pairs.push(['to_time', String(to)]);
      if (pp.n !== undefined) pairs.push(['per_page', String(pp.n)]);
      let url = withQuery(`${base}/v2/fns/${encodeURIComponent(fnId)}/calls`, goQuery(pairs));
      if ('raw' in pp) url += (pairs.length ? '&' : '?') + `per_page=${pp.raw}`;
      const query = { fn: fnName ?? `unknown:${fnId}`, cursor: rawCursor, decoded: cursor, from_time: from, to_time: to, per_page: 'raw' in pp ? `raw:${JSON.stringify(pp.raw)}` : pp.n };
      const fail = (what) => mismatches.push(`seed ${SEED} query #${n} ${describeQuery(query)}\n  GET ${url}\n  ${what}`);

      const { status, body } = await get(url);
      if (!fnName) {
        counts.notFound++;
        if (status !== 404 || body !== '{"message":"Fn not found"}\n') fail(`expected 404 Fn not found, got HTTP ${status} ${JSON.stringify(body)}`);
        continue;
      }
      if (rawCursor !== undefined && cursor === undefined) {
        counts.badCursor++;
        if (status !== 500 || body !== '{"message":"internal server error"}\nnull') fail(`expected HTTP 500 for a cursor that is not base64url, got ${status} ${JSON.stringify(body)}`);
        try {
          fc.filterCalls(allV2(), { fn_id: fnId, cursor: rawCursor }, { api: 'v2' });
          fail('the package took a cursor the server refuses');
        } catch (e) {
          if (!e.issues?.some((i) => i.code === 'bad_cursor')) fail(`the package threw ${e.message}, not bad_cursor`);
        }
        continue;
      }
      if (status !== 200) {
        fail(`HTTP ${status} ${body}`);
        continue;
      }
      const expected = fc.filterCalls(own, { from_time: from, to_time: to, cursor, per_page: 'raw' in pp ? 30 : pp.n });
      const wantCursor = expected.next_cursor ? b64url(expected.next_cursor) : undefined;
      // the package's own v2 mode, over every fn's calls as the store keeps them
      const asV2 = fc.filterCalls(allV2(), { fn_id: fnId, from_time: from, to_time: to, cursor: rawCursor, per_page: 'raw' in pp ? 30 : pp.n }, { api: 'v2' });
      if (JSON.stringify(ids(asV2.calls)) !== JSON.stringify(got0(body)) || (asV2.next_cursor || undefined) !== JSON.parse(body).next_cursor) {
        fail(`filterCalls(…, { api: 'v2' }): ${JSON.stringify(ids(asV2.calls))} next_cursor ${JSON.stringify(asV2.next_cursor)}`);
      }
      const got = JSON.parse(body);
      const gotIds = got.items.map((c) => c.id);
      if (JSON.stringify(gotIds) !== JSON.stringify(ids(expected.calls)) || got.next_cursor !== wantCursor) {
        fail(
          `server  ${gotIds.length} ids ${JSON.stringify(gotIds)} next_cursor ${JSON.stringify(got.next_cursor)}\n` +
            `  package ${expected.calls.length} ids ${JSON.stringify(ids(expected.calls))} next_cursor ${JSON.stringify(wantCursor)}`,
        );
        continue;
      }
      if ('next_cursor' in got && got.next_cursor === '') fail('an empty next_cursor is written; the server omits it');
      const parsed = fc.parseCalls(body);
      const errors = parsed.issues.filter((i) => i.severity === 'error');
      if (errors.length) fail(`parseCalls(body) errors ${JSON.stringify(errors)}`);
      if (parsed.next_cursor !== (expected.next_cursor || '')) fail(`parseCalls decodes next_cursor to ${JSON.stringify(parsed.next_cursor)}`);
      const rebuilt = V2_LIST(got.next_cursor, parsed.calls.map((c) => fc.stringifyCall(c)));
      if (rebuilt !== body) byteProblems.push(`GET ${url}: ${firstDifference(body, rebuilt)}`);
      counts.ok++;
      if (!gotIds.length) counts.empty++;
      if (got.next_cursor) counts.full++;
    }
    t.diagnostic(`v2: ${QUERIES} queries (seed ${SEED}): ${JSON.stringify(counts)}`);
    assert.ok(counts.ok - counts.empty > QUERIES / 3, 'too few queries returned calls');
    assert.ok(counts.full > 20 && counts.notFound > 10 && counts.badCursor > 5, 'too few full pages, unknown fns or bad cursors');
    assert.equal(mismatches.length, 0, `${mismatches.length} mismatches with the real v2 server:\n${mismatches.slice(0, 8).join('\n')}`);
  });

  check('v2 list bodies are the package\'s stringifyCall of each item, byte for byte', {}, () => {
    assert.equal(byteProblems.length, 0, `${byteProblems.length} bodies differ:\n${byteProblems.slice(0, 4).join('\n')}`);
  });

  check('every fn paged through: all its calls, each written as the package writes it', {}, async () => {
    for (const [fn, fnId] of Object.entries(fnIds)) {
      const app = fn.split('/')[0];
      const want = corpus.calls.filter((c) => corpus.fnOf.get(c.id) === fn).sort((a, b) => (a.id < b.id ? 1 : -1));
      const seen = [];
      let cursor = '';
      for (let page = 0; page < 100; page++) {
        const url = withQuery(`${base}/v2/fns/${fnId}/calls`, goQuery([['per_page', '100'], ...(cursor ? [['cursor', cursor]] : [])]));
        const { status, body } = await get(url);
        assert.equal(status, 200, `${url}: ${body}`);
        const got = JSON.parse(body);
        const batch = fc.parseCalls(body);
        assert.deepEqual(batch.issues.filter((i) => i.severity === 'error'), [], url);
        seen.push(...batch.calls);
        if (!got.next_cursor) break;
        cursor = got.next_cursor;
      }
      assert.deepEqual(ids(seen), ids(want), fn);
      for (const [k, c] of seen.entries()) {
        assert.equal(fc.stringifyCall(c), fc.stringifyCall(v2Stored(want[k], appIds[app], fnId)), `${fn} ${c.id}`);
      }
    }
  });

  check('single calls: GET /v2/fns/{fn_id}/calls/{id} re-written byte for byte', {}, async () => {
    const rnd = makeRandom(SEED + 2);
    const picks = [
      ...corpus.calls.filter((c) => /[+-]\d\d:\d\d$/.test(c.created_at)).slice(0, 3),
      ...corpus.calls.filter((c) => c.stats?.length && c.error).slice(0, 2),
      ...corpus.calls.filter((c) => !c.created_at.startsWith('2018')),
      ...Array.from({ length: 6 }, () => rnd.pick(corpus.calls)),
    ];
    for (const c of picks) {
      const fn = corpus.fnOf.get(c.id);
      const { status, body } = await get(`${base}/v2/fns/${fnIds[fn]}/calls/${c.id}`);
      assert.equal(status, 200, body);
      assert.equal(fc.stringifyCall(fc.parseCall(body)), body);
    }
  });
});

describe('the fn-calls command against the real v2 server', () => {
  const skip = skipReason(V2);
  const check = (title, options, fn) => test(title, skip ? { skip } : options, fn);
  let base;
  let known;
  before(async () => {
    if (skip) return;
    setUp();
    const info = await v2Server;
    base = info.url;
    known = JSON.parse(readFileSync(info.ids, 'utf8'));
  }, { timeout: 180_000 });

  const stored = (c) => v2Stored(c, known.apps[c.app_name], known.fns[corpus.fnOf.get(c.id)]);

  check('fetch: the API is found; every fn of the app merged newest first, or one fn; --path refused', { timeout: 120_000 }, async () => {
    const r = await cli(['fetch', '--url', base, '--app', 'shop', '--per-page', '37']);
    assert.equal(r.code, 0, r.stderr);
    const want = fc.filterCalls(corpus.calls, { app_name: 'shop', all: true }).calls.map((c) => fc.stringifyCall(stored(c)));
    assert.ok(new Set(corpus.calls.filter((c) => c.app_name === 'shop').map((c) => corpus.fnOf.get(c.id))).size > 2, 'several fns');
    assert.deepEqual(nonEmptyLines(r.stdout), want);
    const one = await cli(['fetch', '--url', base, '--app', 'shop', '--fn', 'webhook', '--status', 'error']);
    assert.equal(one.code, 0, one.stderr);
    const wantOne = fc.filterCalls(corpus.calls.filter((c) => corpus.fnOf.get(c.id) === 'shop/webhook'), { status: 'error', all: true })
      .calls.map((c) => fc.stringifyCall(stored(c)));
    assert.deepEqual(nonEmptyLines(one.stdout), wantOne);
    const path = await cli(['fetch', '--url', base, '--app', 'shop', '--path', '/checkout']);
    assert.equal(path.code, 2);
    assert.match(path.stderr, /v2 API, which keeps no path/);
  });

  check('log: found through the app\'s fns without --fn, exactly as stored', {}, async () => {
    const [id, log] = [...corpus.logs].find(([i]) => corpus.byId.get(i).app_name === 'media');
    const r = await cli(['log', '--url', base, '--app', 'media', id]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, log);
    const fn = corpus.fnOf.get(id).split('/')[1];
    const j = await cli(['log', '--url', base, '--app', 'media', '--fn', fn, '--json', id]);
    assert.deepEqual(JSON.parse(j.stdout), { call_id: id, log });
  });
});

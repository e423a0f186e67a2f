#!/usr/bin/env node
// Generates realistic Fn call records as NDJSON, written byte for byte the way the Go server writes them
// (docs/model.md, "Go-exact JSON": key order, omitempty, sorted maps, `\u003c`-style escapes, millisecond date-times in the
// call's own offset). Deterministic: the same seed gives the same bytes. Dependency-free, so benchmarks and the
// dashboard's build can use it before the package is built.
//
//   import { generateCalls } from './gen-calls.mjs';
//   const lines = generateCalls({ count: 5000, seed: 42, invalid: 6 });   // string[], one call per line
//
//   node scripts/gen-calls.mjs --count 100000 --out calls.ndjson [--seed 42] [--invalid 0] [--end 2018-06-12T18:00:00Z]
//                              [--generation 0.3.205|…|0.3.719|mixed|fleet]   (default 0.3.205, the model of November 2017;
//                              mixed: 2017 to 2019, each call in the generation of its day; fleet: one day of servers
//                              of every release side by side)

import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

// ---- seeded randomness --------------------------------------------------------------------------------------

/** sfc32: small, fast, good enough for sample data, and identical on every JS engine. */
function makeRandom(seed) {
  let a = 0x9e3779b9, b = 0x243f6a88, c = 0xb7e15162, d = (seed >>> 0) ^ 0xdeadbeef;
  const next = () => {
    a >>>= 0; b >>>= 0; c >>>= 0; d >>>= 0;
    let t = (a + b) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    d = (d + 1) | 0;
    t = (t + d) | 0;
    c = (c + t) | 0;
    return (t >>> 0) / 4294967296;
  };
  for (let i = 0; i < 16; i++) next();
  const rnd = {
    next,
    int: (lo, hi) => lo + Math.floor(next() * (hi - lo + 1)),
    chance: (p) => next() < p,
    pick: (arr) => arr[Math.floor(next() * arr.length)],
    /** Picks a key of `{key: weight}`. */
    weighted(weights) {
      let total = 0;
      for (const k in weights) total += weights[k];
      let x = next() * total;
      for (const k in weights) {
        x -= weights[k];
        if (x < 0) return k;
      }
      return Object.keys(weights).at(-1);
    },
    /** Log-normal around `median` with spread `sigma` (natural log units). */
    lognormal(median, sigma) {
      const u = Math.max(next(), 1e-12), v = next();
      const z = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
      return median * Math.exp(sigma * z);
    },
  };
  return rnd;
}

// ---- Go-exact JSON pieces -----------------------------------------------------------------------------------

const NEEDS_ESCAPE = /["\\\u0000-\u001f<>&\u2028\u2029]/;

/** A JSON string as Go's encoding/json writes it (HTML-safe escapes, `\u00XX` lower-case for other controls). */
export function goString(s) {
  if (!NEEDS_ESCAPE.test(s)) return '"' + s + '"';
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const ch = s[i];
    const code = s.charCodeAt(i);
    if (ch === '"') out += '\\"';
    else if (ch === '\\') out += '\\\\';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (code < 0x20 || ch === '<' || ch === '>' || ch === '&' || code === 0x2028 || code === 0x2029) {
      out += '\\u' + code.toString(16).padStart(4, '0');
    } else out += ch;
  }
  return out + '"';
}

const pad = (n, w = 2) => String(n).padStart(w, '0');

/** `2006-01-02T15:04:05.000Z07:00` for a time in Unix ms, written in the given offset (minutes east of UTC). */
export function goTime(ms, offsetMinutes = 0) {
  const d = new Date(ms + offsetMinutes * 60000);
  const base =
    `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}` +
    `T${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}.${pad(d.getUTCMilliseconds(), 3)}`;
  if (offsetMinutes === 0) return base + 'Z';
  const sign = offsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(offsetMinutes);
  return `${base}${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

const ZERO_TIME = '0001-01-01T00:00:00.000Z';

// ---- call ids (docs/model.md, "Call IDs") ------------------------------------------------------------------------------

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

function base32(value, digits) {
  let s = '';
  for (let i = 0; i < digits; i++) {
    s = ALPHABET[value % 32] + s;
    value = Math.floor(value / 32);
  }
  return s;
}

/** 16 bytes big-endian: 6 bytes of Unix ms, 6 bytes of machine, 4 bytes of counter (the post-March-2018 layout). */
export function callId(ms, machine, counter) {
  const high40 = Math.floor(machine / 256); // top 5 bytes of the machine
  const low40 = (machine % 256) * 2 ** 32 + (counter >>> 0); // last machine byte + counter
  return base32(ms, 10) + base32(high40, 8) + base32(low40, 8);
}

// ---- the fleet being simulated ------------------------------------------------------------------------------

// Each route: how busy it is, how long it runs (median ms, spread), how it fails, what it runs.
const ROUTES = [
  { app: 'shop', path: '/checkout', weight: 14, median: 180, sigma: 0.6, image: 'acme/checkout:1.14.2', type: 'sync', format: 'http', method: 'POST', memory: 256, timeout: 30, fail: 0.05, timeoutRate: 0.006 },
  { app: 'shop', path: '/cart/add', weight: 22, median: 45, sigma: 0.5, image: 'acme/cart:2.3.0', type: 'sync', format: 'http', method: 'POST', memory: 128, timeout: 30, fail: 0.015, timeoutRate: 0.001 },
  { app: 'shop', path: '/payments/charge', weight: 8, median: 420, sigma: 0.7, image: 'acme/payments:0.9.7', type: 'sync', format: 'json', method: 'POST', memory: 256, timeout: 30, fail: 0.08, timeoutRate: 0.02 },
  { app: 'shop', path: '/inventory/sync', weight: 3, median: 2600, sigma: 0.5, image: 'acme/inventory:3.1.0', type: 'async', format: 'default', method: 'POST', memory: 512, timeout: 60, fail: 0.04, timeoutRate: 0.03 },
  { app: 'media', path: '/thumbnail', weight: 16, median: 320, sigma: 0.5, image: 'media/thumbnailer:5.0.1', type: 'sync', format: 'http', method: 'POST', memory: 512, timeout: 30, fail: 0.02, timeoutRate: 0.004 },
  { app: 'media', path: '/transcode', weight: 4, median: 9000, sigma: 0.6, image: 'media/ffmpeg-fn:4.0', type: 'async', format: 'default', method: 'POST', memory: 1024, timeout: 120, fail: 0.06, timeoutRate: 0.05 },
  { app: 'media', path: '/ocr', weight: 5, median: 1400, sigma: 0.5, image: 'media/tesseract-fn:3.05', type: 'async', format: 'json', method: 'POST', memory: 768, timeout: 60, fail: 0.07, timeoutRate: 0.02 },
  { app: 'notify', path: '/email', weight: 10, median: 260, sigma: 0.6, image: 'notify/mailer:1.2.0', type: 'async', format: 'default', method: 'POST', memory: 128, timeout: 30, fail: 0.03, timeoutRate: 0.004 },
  { app: 'notify', path: '/sms', weight: 6, median: 150, sigma: 0.5, image: 'notify/sms:1.0.3', type: 'async', format: 'default', method: 'POST', memory: 128, timeout: 30, fail: 0.04, timeoutRate: 0.003 },
  { app: 'notify', path: '/webhook', weight: 7, median: 600, sigma: 0.9, image: 'notify/webhook:2.0.0', type: 'sync', format: 'http', method: 'POST', memory: 128, timeout: 30, fail: 0.09, timeoutRate: 0.03 },
  { app: 'etl', path: '/ingest', weight: 4, median: 3200, sigma: 0.7, image: 'data/ingest:0.4.2', type: 'async', format: 'json', method: 'PUT', memory: 1024, timeout: 120, fail: 0.05, timeoutRate: 0.02 },
  { app: 'etl', path: '/nightly-report', weight: 1, median: 48000, sigma: 0.3, image: 'data/report:2018.6', type: 'async', format: 'default', method: 'GET', memory: 2048, timeout: 300, fail: 0.08, timeoutRate: 0.05 },
];
const ROUTE_WEIGHTS = Object.fromEntries(ROUTES.map((r, i) => [i, r.weight]));

const ERRORS = {
  'container exit code 1': 55,
  'context canceled': 20,
  'container exit code 137': 8,
  'Timed out': 7,
  'container exit code 2': 5,
  'failed to pull image: manifest unknown': 3,
  'function response too large: exceeds 6MB': 2,
};

// Four machines; the third sits in a +03:00 zone and writes its times that way, as real servers did.
const MACHINES = [
  { id: 0x8c1e47a2d305, offset: 0 },
  { id: 0x8c1e47a2d611, offset: 0 },
  { id: 0x3fb0c1e20a9b, offset: 180 },
  { id: 0x8c1e47a30c7e, offset: 0 },
];
const MACHINE_WEIGHTS = { 0: 35, 1: 35, 2: 12, 3: 18 };

const NO_LIMIT = '9223372036854771712'; // Docker's mem_limit for "no limit", above 2^53
const MB = 1048576;

// ---- one call -----------------------------------------------------------------------------------------------

function statsSamples(rnd, started, ended, memoryMb, unlimited, offset, heavy) {
  const out = [];
  if (started <= 0 || ended <= started) return out;
  let t = started + rnd.int(850, 999);
  const limit = unlimited ? NO_LIMIT : String(memoryMb * MB);
  const base = Math.floor(memoryMb * MB * (0.06 + rnd.next() * 0.12));
  let mem = base, rx = 0, tx = 0, dr = 0, dw = 0;
  while (t <= ended && out.length < 240) {
    const cpuUser = Math.min(100, Math.round(rnd.lognormal(heavy ? 55 : 12, 0.5)));
    const cpuKernel = Math.min(100 - cpuUser, Math.round(cpuUser * (0.05 + rnd.next() * 0.2)));
    mem = Math.max(base, Math.floor(mem + memoryMb * MB * (rnd.next() * 0.08 - (heavy ? 0.02 : 0.035))));
    mem = Math.min(mem, memoryMb * MB * 0.97);
    rx += rnd.int(200, heavy ? 400000 : 9000);
    tx += rnd.int(200, heavy ? 90000 : 6000);
    if (rnd.chance(0.4)) dr += 4096 * rnd.int(1, heavy ? 512 : 8);
    if (rnd.chance(heavy ? 0.5 : 0.1)) dw += 4096 * rnd.int(1, heavy ? 256 : 4);
    // Go writes map keys sorted.
    out.push(
      `{"timestamp":"${goTime(t, offset)}","metrics":{"cpu_kernel":${cpuKernel},"cpu_total":${cpuUser + cpuKernel},` +
        `"cpu_user":${cpuUser},"disk_read":${dr},"disk_write":${dw},"mem_limit":${limit},"mem_usage":${Math.floor(mem)},` +
        `"net_rx":${rx},"net_tx":${tx}}}`,
    );
    t += rnd.int(985, 1020);
  }
  return out;
}

// ---- generations: which keys each release's Go code writes, in its order (docs/generations.md) -----------------
// Kept here, and not read from the package, so the generator runs before the package is built; the conformance
// tests check its output against the real Go models of four releases.

const LAYOUTS = (() => {
  const seed = ['id', 'status', 'app_name', 'path', 'image', 'delay', 'type', 'format', 'payload', 'url', 'method', 'priority',
    'timeout', 'idle_timeout', 'memory', 'base_env', 'env_vars', 'completed_at', 'created_at', 'started_at', 'stats', 'error'];
  const out = { '0.3.205': seed };
  let keys = seed.map((k) => (k === 'base_env' ? 'config' : k === 'env_vars' ? 'headers' : k));
  out['0.3.278'] = keys;
  keys = [...keys.slice(0, keys.indexOf('memory') + 1), 'cpus', ...keys.slice(keys.indexOf('memory') + 1)];
  out['0.3.293'] = keys;
  keys = [...keys.slice(0, keys.indexOf('config') + 1), 'annotations', ...keys.slice(keys.indexOf('config') + 1)];
  out['0.3.388'] = keys;
  keys = [...keys.filter((k) => k !== 'app_name'), 'app_id'];
  out['0.3.392'] = keys;
  keys = [...keys.slice(0, keys.indexOf('headers') + 1), 'syslog_url', ...keys.slice(keys.indexOf('headers') + 1)];
  out['0.3.444'] = keys;
  keys = [...keys.slice(0, keys.indexOf('memory')), 'tmpfs_size', ...keys.slice(keys.indexOf('memory'))];
  out['0.3.457'] = keys;
  keys = [...keys, 'trigger_id', 'fn_id'];
  out['0.3.502'] = keys;
  keys = [...keys.slice(0, keys.indexOf('app_id') + 1), 'app_name', ...keys.slice(keys.indexOf('app_id') + 1)];
  out['0.3.529'] = keys;
  keys = keys.filter((k) => k !== 'path');
  out['0.3.563'] = keys;
  keys = keys.filter((k) => k !== 'format');
  out['0.3.603'] = keys;
  keys = keys.filter((k) => k !== 'priority');
  out['0.3.689'] = keys;
  keys = [...keys.slice(0, keys.indexOf('started_at') + 1), 'execution_duration', ...keys.slice(keys.indexOf('started_at') + 1)];
  out['0.3.719'] = keys;
  return out;
})();
/** The generations' names, oldest first, and the date each began. */
export const GENERATION_NAMES = Object.keys(LAYOUTS);
const GENERATION_SINCE = {
  '0.3.205': '2017-11-28', '0.3.278': '2018-01-09', '0.3.293': '2018-01-12', '0.3.388': '2018-03-22', '0.3.392': '2018-03-26',
  '0.3.444': '2018-05-15', '0.3.457': '2018-05-25', '0.3.502': '2018-07-05', '0.3.529': '2018-08-09', '0.3.563': '2018-09-17',
  '0.3.603': '2018-10-26', '0.3.689': '2019-04-08', '0.3.719': '2019-07-08',
};
const ALWAYS = new Set(['id', 'status', 'app_name', 'path', 'completed_at', 'created_at', 'started_at', 'app_id', 'trigger_id', 'fn_id']);
const since = (g, name) => GENERATION_NAMES.indexOf(g) >= GENERATION_NAMES.indexOf(name);

function envMap(obj) {
  return '{' + Object.keys(obj).sort().map((k) => goString(k) + ':' + goString(obj[k])).join(',') + '}';
}

function makeCall(rnd, created, end, counters, generation) {
  const route = ROUTES[rnd.weighted(ROUTE_WEIGHTS)];
  const m = +rnd.weighted(MACHINE_WEIGHTS);
  const machine = MACHINES[m];
  const id = callId(created, machine.id, counters[m]++);
  const async = route.type === 'async';
  const age = end - created;

  // Recent calls may still be in flight; older ones have all ended (the server stores a call once, at its end).
  let status;
  let delay = async && rnd.chance(0.1) ? rnd.pick([60, 300, 900, 1800, 3600]) : 0;
  const expected = route.median * 1.6;
  if (delay && age < delay * 1000) status = 'delayed';
  else if (async && age < 20 * 60000 && rnd.chance(0.5)) status = 'queued';
  else if (age < 5 * 60000 && rnd.chance(0.4)) status = 'running';
  else if (age < expected * 3 + 3000 && rnd.chance(0.7)) status = 'running';
  else {
    const x = rnd.next();
    if (x < route.timeoutRate) status = 'timeout';
    else if (x < route.timeoutRate + route.fail) status = 'error';
    else if (x < route.timeoutRate + route.fail + 0.004) status = 'cancelled';
    else status = 'success';
  }
  // The validator warns about a delay on a call that is no longer delayed: keep a few of those, not all.
  if (status !== 'delayed' && !rnd.chance(0.1)) delay = 0;

  const queueWait = delay * 1000 + (async ? rnd.int(20, 1800) : rnd.int(1, 14));
  let started = status === 'delayed' || status === 'queued' ? 0 : created + queueWait;
  if (started > end) started = end - rnd.int(0, 200);
  let duration = Math.max(3, Math.round(rnd.lognormal(route.median, route.sigma)));
  let error = '';
  if (status === 'timeout') duration = route.timeout * 1000 + rnd.int(1, 40);
  else duration = Math.min(duration, route.timeout * 1000 - 1);
  if (status === 'error') {
    error = rnd.weighted(ERRORS);
    if (error === 'Timed out') duration = route.timeout * 1000 + rnd.int(1, 40);
    else if (error === 'context canceled') duration = Math.round(duration * rnd.next());
    else if (error.startsWith('failed to pull')) duration = rnd.int(3, 40);
  }
  if (status === 'cancelled') duration = Math.round(duration * rnd.next());
  let completed = status === 'running' || !started ? 0 : started + duration;
  if (completed > end) completed = 0; // not finished at the snapshot: keep it running
  if (!completed && started && status !== 'running') status = 'running';

  const unlimited = rnd.chance(0.15);
  const heavy = route.memory >= 768;
  const samples = statsSamples(rnd, started, completed || (started ? end : 0), route.memory, unlimited, machine.offset, heavy);
  const off = machine.offset;

  // The fields of later generations draw from their own generator (seeded by the id), so the calls of 2017 stay
  // exactly what they were before later generations existed.
  let h32 = 2166136261;
  for (let i = 0; i < id.length; i++) h32 = Math.imul(h32 ^ id.charCodeAt(i), 16777619);
  const x = makeRandom(h32 >>> 0);
  // Each key's JSON, then written in the generation's order (keys it does not have are left out).
  const v = {};
  v.id = `"${id}"`;
  v.status = `"${status}"`;
  v.app_name = goString(route.app);
  v.path = goString(route.path);
  v.image = goString(route.image);
  if (delay) v.delay = String(delay);
  let type = route.type;
  if (since(generation, '0.3.603') && type === 'async' && x.chance(0.3)) type = 'detached';
  if (since(generation, '0.3.689') && type === 'async') type = 'detached'; // async went with 0.3.689
  v.type = `"${type}"`;
  v.format = `"${route.format}"`;
  if (async && rnd.chance(0.7)) {
    const payload = JSON.stringify({ id: rnd.int(1000, 99999), source: rnd.pick(['web', 'ios', 'android', 'cron']) });
    v.payload = goString(payload);
  }
  const url = `http://fn.internal:8080/r/${route.app}${route.path}` + (rnd.chance(0.3) ? `?trace=${rnd.int(1, 9999)}&v=2` : '');
  v.url = goString(url);
  v.method = `"${route.method}"`;
  if (async) v.priority = String(rnd.weighted({ 0: 80, 1: 15, 2: 5 }));
  v.timeout = String(route.timeout);
  v.idle_timeout = '30';
  v.memory = String(route.memory);
  const env = {
    FN_APP_NAME: route.app, FN_FORMAT: route.format, FN_MEMORY: String(route.memory), FN_PATH: route.path, FN_TYPE: route.type,
  };
  if (rnd.chance(0.12)) {
    v.base_env = envMap(env);
    v.env_vars = envMap({ ...env, FN_CALL_ID: id, FN_METHOD: route.method, FN_REQUEST_URL: url, LOG_LEVEL: rnd.pick(['info', 'debug']) });
  }
  if (x.chance(0.4)) {
    v.config = envMap({ ...env, DB_URL: 'postgres://db:5432/app?sslmode=disable&pool=5' });
    const h = { 'Content-Type': [route.method === 'GET' ? 'text/plain' : 'application/json'], 'Fn-Call-Id': [id] };
    if (x.chance(0.3)) h['X-Forwarded-For'] = ['10.0.0.1', '10.0.0.2'];
    v.headers = '{' + Object.keys(h).sort().map((k) => goString(k) + ':[' + h[k].map(goString).join(',') + ']').join(',') + '}';
  }
  if (x.chance(0.5)) v.cpus = `"${x.pick([100, 250, 500, 1000, 2000])}m"`;
  if (x.chance(0.5)) {
    const endpoint = `http://fn.internal:8080/invoke/${id.slice(0, 10)}FN${id.slice(12)}`;
    const ann = { 'fnproject.io/fn/invokeEndpoint': goString(endpoint) };
    if (x.chance(0.3)) ann['team.example.com/owner'] = '{"name":"payments","oncall":["ana","bo"],"tier":1}';
    if (x.chance(0.2)) ann['team.example.com/cost'] = '12.50';
    v.annotations = '{' + Object.keys(ann).sort().map((k) => goString(k) + ':' + ann[k]).join(',') + '}';
  }
  if (x.chance(0.2)) v.syslog_url = goString('tcp://logs.internal:514');
  if (x.chance(0.3)) v.tmpfs_size = String(x.pick([16, 64, 128]));
  const appId = callId(Date.parse('2018-03-26T00:00:00Z') + route.app.length * 1000, 7, route.app.charCodeAt(0));
  v.app_id = `"${appId}"`;
  v.trigger_id = x.chance(0.7) ? `"${callId(Date.parse('2018-07-05T00:00:00Z'), 8, route.path.length)}"` : '""';
  v.fn_id = `"${callId(Date.parse('2018-07-05T00:00:00Z') + route.path.length * 1000, 9, route.path.charCodeAt(1))}"`;
  v.completed_at = `"${completed ? goTime(completed, off) : ZERO_TIME}"`;
  v.created_at = `"${goTime(created, off)}"`;
  v.started_at = `"${started ? goTime(started, off) : ZERO_TIME}"`;
  if (completed && started) v.execution_duration = String((completed - started) * 1000000 - x.int(0, 999999));
  if (samples.length) v.stats = `[${samples.join(',')}]`;
  if (error) v.error = goString(error);
  const parts = [];
  for (const key of LAYOUTS[generation]) {
    if (v[key] !== undefined) parts.push(`"${key}":${v[key]}`);
    else if (ALWAYS.has(key)) parts.push(`"${key}":""`);
  }
  return `{${parts.join(',')}}`;
}

// ---- records that must fail validation ----------------------------------------------------------------------

const BREAKERS = [
  // a space instead of the T: Go's time.Time refuses it
  (line) => line.replace(/"created_at":"(\d{4}-\d\d-\d\d)T/, '"created_at":"$1 '),
  // 1e3 is not an integer to Go
  (line) => line.replace(/"memory":\d+/, '"memory":1e3'),
  // not a status of the model
  (line) => line.replace(/"status":"[a-z]*"/, '"status":"exploded"'),
  // a line cut short, as when a log is truncated
  (line) => line.slice(0, Math.floor(line.length * 0.6)),
  // a number where Go wants a string
  (line) => line.replace(/"app_name":"[^"]*"/, '"app_name":42'),
  // a priority outside 0..2
  (line) => line.replace(/"timeout":/, '"priority":7,"timeout":').replace(/"priority":[0-2],"priority":7/, '"priority":7'),
];

/**
 * Realistic calls, newest first as the server lists them, one JSON text per element (no trailing newline).
 * @param {{count?: number, seed?: number, invalid?: number, end?: string|number, hours?: number}} options
 *   `invalid`: how many records to break (cycling through bad date-time, `1e3` memory, unknown status, truncated
 *   line, wrong type, bad priority), spread evenly; `end`: the snapshot time; `hours`: the window before it.
 * @returns {string[]}
 */
export function generateCalls({ count = 5000, seed = 42, invalid = 0, end, hours, generation = '0.3.205' } = {}) {
  // 'mixed' spans every generation (November 2017 to September 2019) unless told otherwise; one day by default.
  hours ??= generation === 'mixed' ? Math.round((Date.parse('2019-09-01T18:00:00Z') - Date.parse('2017-11-28T00:00:00Z')) / 3600000) : 24;
  if (generation !== 'mixed' && generation !== 'fleet' && !LAYOUTS[generation]) {
    throw new Error(`unknown generation '${generation}' (one of ${GENERATION_NAMES.join(', ')}, 'mixed' or 'fleet')`);
  }
  const rnd = makeRandom(seed);
  // Calls of a generation are made while its releases ran: three weeks after it began (2017: the usual sample day).
  end ??= generation === '0.3.205' || generation === 'fleet' ? '2018-06-12T18:00:00Z'
    : generation === 'mixed' ? '2019-09-01T18:00:00Z'
      : new Date(Date.parse(`${GENERATION_SINCE[generation]}T18:00:00Z`) + 21 * 86400000).toISOString();
  const endMs = typeof end === 'number' ? end : Date.parse(end);
  const span = hours * 3600000;

  // Arrival times with a day/night rhythm (busiest mid-afternoon UTC) and a few bursts.
  const times = new Float64Array(count);
  const bursts = Array.from({ length: 3 }, () => ({ at: endMs - rnd.next() * span, width: 600000 + rnd.next() * 1800000 }));
  for (let i = 0; i < count; i++) {
    let t;
    for (;;) {
      t = endMs - rnd.next() * span;
      const hour = new Date(t).getUTCHours() + new Date(t).getUTCMinutes() / 60;
      let w = 0.35 + 0.65 * (0.5 + 0.5 * Math.cos(((hour - 15) / 24) * 2 * Math.PI));
      for (const b of bursts) if (Math.abs(t - b.at) < b.width) w += 0.8;
      if (rnd.next() * 1.9 < w) break;
    }
    times[i] = Math.floor(t);
  }
  times.sort();

  const counters = MACHINES.map(() => rnd.int(0, 0xffff));
  const lines = new Array(count);
  // Generated oldest first (so each machine's counter grows with time), listed newest first.
  for (let i = 0; i < count; i++) {
    // 'mixed': each call of the generation running when it was made; 'fleet': servers of every release side by
    // side, each call of any generation (drawn from the id, so the 2017 fields stay the same)
    const g = generation === 'fleet' ? GENERATION_NAMES[(Math.floor(times[i]) * 2654435761 >>> 0) % GENERATION_NAMES.length]
      : generation !== 'mixed' ? generation
        : GENERATION_NAMES.filter((n) => Date.parse(GENERATION_SINCE[n]) <= times[i]).at(-1) ?? '0.3.205';
    lines[count - 1 - i] = makeCall(rnd, times[i], endMs, counters, g);
  }

  const bad = Math.min(invalid, count);
  for (let k = 0; k < bad; k++) {
    const at = Math.floor(((k + 0.5) * count) / bad);
    lines[at] = BREAKERS[k % BREAKERS.length](lines[at]);
  }
  return lines;
}

/**
 * The calls as one page of a listing, as a server that keeps whole calls answers it: v1
 * `{"message","next_cursor","calls"}` (the raw last id; `""` with `last`), v2 `{"next_cursor","items"}` (base64url of
 * the last id, left out with `last`).
 */
export function listPage(lines, api, { last = false } = {}) {
  const lastId = lines.length && !last ? JSON.parse(lines.at(-1)).id : '';
  if (api === 'v1') return `{"message":"Successfully listed calls","next_cursor":${goString(lastId)},"calls":[${lines.join(',')}]}`;
  if (api !== 'v2') throw new Error(`unknown listing API '${api}' (v1 or v2)`);
  const cursor = lastId ? `"next_cursor":"${Buffer.from(lastId).toString('base64url')}",` : '';
  return `{${cursor}"items":[${lines.join(',')}]}`;
}

// ---- command line -------------------------------------------------------------------------------------------

function main(argv) {
  const opts = { count: 5000, seed: 42, invalid: 0, out: '-' };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const val = () => {
      if (i + 1 >= argv.length) throw new Error(`${a} needs a value`);
      return argv[++i];
    };
    if (a === '--count') opts.count = parseInt(val(), 10);
    else if (a === '--seed') opts.seed = parseInt(val(), 10);
    else if (a === '--invalid') opts.invalid = parseInt(val(), 10);
    else if (a === '--out') opts.out = val();
    else if (a === '--end') opts.end = val();
    else if (a === '--hours') opts.hours = Number(val());
    else if (a === '--generation') opts.generation = val();
    else if (a === '--page') opts.page = val();
    else if (a === '--help' || a === '-h') {
      console.log('usage: node scripts/gen-calls.mjs [--count N] [--seed S] [--invalid K] [--end ISO] [--hours H] [--generation G] [--page v1|v2] [--out FILE|-]');
      return;
    } else throw new Error(`unknown argument ${a} (see --help)`);
  }
  if (!(opts.count >= 0)) throw new Error('--count must be a number');
  const lines = generateCalls(opts);
  const text = opts.page ? listPage(lines, opts.page) : lines.join('\n') + '\n';
  if (opts.out === '-') process.stdout.write(text);
  else {
    writeFileSync(opts.out, text);
    console.error(`wrote ${opts.count} calls (${opts.invalid} invalid), ${text.length} bytes, to ${opts.out}`);
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  try {
    main(process.argv.slice(2));
  } catch (e) {
    console.error(`gen-calls: ${e.message}`);
    process.exit(2);
  }
}

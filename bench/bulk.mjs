#!/usr/bin/env node
// Benchmarks the bulk engine against what people write by hand today, in one process, on the same generated data:
// JSON.parse of an array, NDJSON split + JSON.parse + Array.filter, JSON.parse + ajv (a JSON Schema of the call
// model), and zod. Prints a markdown table of times, throughput and ratios. Never asserts a timing.
//
//   node --max-old-space-size=8192 bench/bulk.mjs            # full size (as in the README)
//   node bench/bulk.mjs --quick                             # a tiny run that only proves the benchmark works
//   options: --calls N (100000)  --index-calls N (1000000)  --stream-mb N (1024)  --runs N (5)
//            --generation G (0.3.205; 'mixed' for calls of every generation, 2017 to 2019)
import { createRequire } from 'node:module';
import { parseArgs } from 'node:util';
import { openSync, writeSync, closeSync, rmSync, mkdtempSync } from 'node:fs';
import { tmpdir, cpus } from 'node:os';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import Ajv from 'ajv';
import Ajv2020 from 'ajv/dist/2020.js';
import { generateCalls } from '../scripts/gen-calls.mjs';
import { callJsonSchema, callZod } from './schemas.mjs';

const require = createRequire(import.meta.url);
const fc = require('../pkg');

const { values: args } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    calls: { type: 'string' },
    'index-calls': { type: 'string' },
    'stream-mb': { type: 'string' },
    runs: { type: 'string' },
    generation: { type: 'string' },
  },
});
const quick = args.quick;
const N = Number(args.calls ?? (quick ? 2000 : 100_000));
const INDEX_N = Number(args['index-calls'] ?? (quick ? 5000 : 1_000_000));
const STREAM_MB = Number(args['stream-mb'] ?? (quick ? 4 : 1024));
const RUNS = Number(args.runs ?? (quick ? 1 : 5));

const rows = [];
const MB = 1e6;

/** Median wall time of `fn` over RUNS runs (after one warm-up), in ms; returns [ms, lastResult]. */
function time(fn) {
  let result = fn();
  const times = [];
  for (let i = 0; i < RUNS; i++) {
    const t = performance.now();
    result = fn();
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  return [times[Math.floor(times.length / 2)], result];
}

function section(title) {
  rows.push({ title });
}

function row(what, ms, bytes, note = '') {
  rows.push({ what, ms, mbps: bytes ? bytes / MB / (ms / 1000) : null, note });
}

function check(label, a, b) {
  if (a !== b) throw new Error(`${label}: the paths disagree (${a} vs ${b}); the benchmark would compare different work`);
}

const enc = new TextEncoder();
// --generation mixed: calls of every generation, 2017 to 2019 (default: the model of 2017)
const GENERATION = args.generation ?? '0.3.205';
const lines = generateCalls({ count: N, seed: 1, invalid: 0, generation: GENERATION });
const ndjsonText = lines.join('\n') + '\n';
const ndjson = enc.encode(ndjsonText);
const arrayText = `[${lines.join(',')}]`;
const bytes = ndjson.length;
// ajv checks the same calls: the hand-written 2017 schema, or for other generations the package's own JSON Schema
// of every generation (fn-calls/call.schema.json), so it does not reject calls it does not know (and stop early).
const validateSchema = GENERATION === '0.3.205'
  ? new Ajv({ allErrors: true }).compile(callJsonSchema)
  : new Ajv2020({ allErrors: true, strict: false }).compile(JSON.parse(fc.callJsonSchema()));

// --- 1. a selective filter: one app's errors -----------------------------------------------------------------
section(`Selective filter (app_name "shop", status "error") over ${N.toLocaleString('en')} calls, ${(bytes / MB).toFixed(0)} MB of NDJSON`);
const want = (c) => c.app_name === 'shop' && c.status === 'error';
const [tArray, a1] = time(() => JSON.parse(arrayText).filter(want).length);
const [tSplit, a2] = time(() => {
  let n = 0;
  for (const l of ndjsonText.split('\n')) if (l && want(JSON.parse(l))) n++;
  return n;
});
const filter = { app_name: 'shop', status: 'error' };
const [tScanMatches, r1] = time(() => fc.scanCalls(ndjson, filter, { validate: 'matches' }).indices.length);
const [tScanAll, r2] = time(() => fc.scanCalls(ndjson, filter).indices.length);
check('selective', a1, r1);
check('selective', a2, r2);
const fastestJs = Math.min(tArray, tSplit);
row('JSON.parse(array) + Array.filter', tArray, bytes);
row('NDJSON split + JSON.parse + filter', tSplit, bytes);
row('fn-calls scanCalls, validate: "matches"', tScanMatches, bytes, `${(fastestJs / tScanMatches).toFixed(1)}× the fastest JS path`);
row('fn-calls scanCalls, validate: "all"', tScanAll, bytes, `${(fastestJs / tScanAll).toFixed(1)}× the fastest JS path`);

// --- 2. full validation of every record ----------------------------------------------------------------------
section(`Full validation of every record (${N.toLocaleString('en')} calls)`);
const [tAjv, bad1] = time(() => {
  let bad = 0;
  for (const l of ndjsonText.split('\n')) if (l && !validateSchema(JSON.parse(l))) bad++;
  return bad;
});
const [tZod, bad2] = time(() => {
  let bad = 0;
  for (const l of ndjsonText.split('\n')) if (l && !callZod.safeParse(JSON.parse(l)).success) bad++;
  return bad;
});
const [tValidate, res] = time(() => fc.scanCalls(ndjson, null));
check('validation', res.total, N);
row('NDJSON split + JSON.parse + ajv', tAjv, bytes, `${bad1} rejected`);
row('NDJSON split + JSON.parse + zod', tZod, bytes, `${bad2} rejected (zod's int() refuses integers above 2^53)`);
row('fn-calls scanCalls(bytes, null): every record, every rule', tValidate, bytes, `${res.issues.length} errors; ${(tAjv / tValidate).toFixed(1)}× JSON.parse + ajv`);
const [tParseCalls] = time(() => fc.parseCalls(ndjson).calls.length);
row('fn-calls parseCalls (builds every Call object)', tParseCalls, bytes, 'for reference');

// --- 3. one call given as JSON text ----------------------------------------------------------------------------
// a typical call with stats samples: the median length among them
const withStats = lines.filter((l) => l.includes('"stats"')).sort((a, b) => a.length - b.length);
const one = withStats[Math.floor(withStats.length / 2)] ?? lines[0];
const K = quick ? 200 : 20_000;
section(`One call as JSON text (${one.length} bytes), ${K.toLocaleString('en')} times`);
const [tOneAjv] = time(() => {
  let ok = 0;
  for (let i = 0; i < K; i++) ok += validateSchema(JSON.parse(one)) ? 1 : 0;
  return ok;
});
const [tOneValidate] = time(() => {
  let ok = 0;
  for (let i = 0; i < K; i++) ok += fc.validateCall(one).length === 0 ? 1 : 0;
  return ok;
});
const [tOneParse] = time(() => {
  let ok = 0;
  for (let i = 0; i < K; i++) ok += fc.safeParseCall(one).success ? 1 : 0;
  return ok;
});
const perCall = (ms) => `${((ms * 1000) / K).toFixed(1)} µs per call`;
row('JSON.parse + ajv', tOneAjv, null, perCall(tOneAjv));
row('fn-calls validateCall(text)', tOneValidate, null, `${perCall(tOneValidate)}; ${(tOneAjv / tOneValidate).toFixed(2)}× ajv`);
row('fn-calls safeParseCall(text) (also builds the Call)', tOneParse, null, `${perCall(tOneParse)}; ${(tOneAjv / tOneParse).toFixed(2)}× ajv`);

// --- 4. CallIndex: filtering again and again --------------------------------------------------------------------
section(`Re-filtering ${INDEX_N.toLocaleString('en')} calls already in memory`);
// 1M calls are about 0.9 GB: more than one JS string can hold, so they are encoded 100k at a time.
const parts = [];
const objects = [];
for (let done = 0; done < INDEX_N; done += 100_000) {
  const chunk = generateCalls({ count: Math.min(100_000, INDEX_N - done), seed: 1000 + done, invalid: 0, generation: GENERATION });
  for (const l of chunk) objects.push(JSON.parse(l));
  parts.push(enc.encode(chunk.join('\n') + '\n'));
}
const indexBytes = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
parts.reduce((at, p) => (indexBytes.set(p, at), at + p.length), 0);
parts.length = 0;
let t = performance.now();
const index = new fc.CallIndex(indexBytes);
const tBuild = performance.now() - t;
const [tJsFilter, j1] = time(() => objects.filter(want).length);
const [tIdxFilter, i1] = time(() => index.filter({ ...filter, all: true }).positions.length);
check('index', j1, i1);
const byIdDesc = (a, b) => (a.id < b.id ? 1 : a.id > b.id ? -1 : 0);
const [tJsPage, p1] = time(() => objects.filter(want).sort(byIdDesc).slice(0, 30).map((c) => c.id).join());
const [tIdxPage, p2] = time(() => {
  const page = index.filter({ ...filter, per_page: 30 });
  return [...page.positions].map((p) => index.get(p).id).join();
});
check('index page', p1, p2);
row('Array.filter over parsed objects (all matches)', tJsFilter, null);
row('CallIndex.filter (all matches)', tIdxFilter, null, `${(tJsFilter / tIdxFilter).toFixed(1)}× Array.filter`);
row('Array.filter + sort by id + first 30 (one listing page)', tJsPage, null);
row('CallIndex.filter, per_page 30, + get() of the page', tIdxPage, null, `${(tJsPage / tIdxPage).toFixed(1)}× the JS page`);
row('building the CallIndex (once)', tBuild, indexBytes.length);
index.free();
objects.length = 0;

// --- 5. CallStream over a file larger than a JS string can hold ---------------------------------------------
section(`CallStream over a ${STREAM_MB.toLocaleString('en')} MB NDJSON file read with a Node file stream`);
const dir = mkdtempSync(join(tmpdir(), 'fn-calls-bench-'));
const file = join(dir, 'calls.ndjson');
const fd = openSync(file, 'w');
let written = 0;
while (written < STREAM_MB * MB) {
  writeSync(fd, ndjson);
  written += ndjson.length;
}
closeSync(fd);
const child = spawnSync(process.execPath, ['--expose-gc', fileURLToPath(new URL('./stream-rss.mjs', import.meta.url)), file, JSON.stringify(filter)], {
  encoding: 'utf8',
});
rmSync(dir, { recursive: true, force: true });
if (child.status !== 0) throw new Error(`stream child failed: ${child.stderr}`);
const { baseline, peak, ms: tStream, matches } = JSON.parse(child.stdout);
check('stream', matches, r1 * Math.round(written / ndjson.length));
row('CallStream.push per 1 MiB chunk, then finish() (own process)', tStream, written, `resident memory peaked ${((peak - baseline) / MB).toFixed(0)} MB above the process's baseline (${(baseline / MB).toFixed(0)} MB)`);

// --- report ---------------------------------------------------------------------------------------------------
console.log(`fn-calls bulk benchmark — Node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}; median of ${RUNS} runs, calls of generation ${GENERATION}${quick ? ' (quick: tiny sizes, numbers mean nothing)' : ''}\n`);
for (const r of rows) {
  if (r.title) {
    console.log(`\n**${r.title}**\n\n| path | time | throughput | note |\n|---|---:|---:|---|`);
  } else {
    const ms = r.ms >= 100 ? r.ms.toFixed(0) : r.ms.toFixed(1);
    const mbps = r.mbps === null ? '' : `${r.mbps >= 1000 ? (r.mbps / 1000).toFixed(2) + ' GB/s' : r.mbps.toFixed(0) + ' MB/s'}`;
    console.log(`| ${r.what} | ${ms} ms | ${mbps} | ${r.note} |`);
  }
}

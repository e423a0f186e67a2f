#!/usr/bin/env node
// Benchmarks the paths most users meet first — one call as text, a list as text, and Call objects already in hand —
// against the JavaScript a user would write instead, in one process, on the same generated Go-written calls. Prints
// each target with its ratio and whether this run met it, plus the sizes users download. Never asserts a timing.
//
//   node --expose-gc bench/objects.mjs            # full size (as in docs/bulk.md)
//   node bench/objects.mjs --quick                # a tiny run that only proves the benchmark works
//   options: --calls N (30000)  --runs N (5)
import { createRequire } from 'node:module';
import { parseArgs } from 'node:util';
import { readFileSync, readdirSync, existsSync, statSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateCalls } from '../scripts/gen-calls.mjs';

const require = createRequire(import.meta.url);
const fc = require('../pkg');
const root = fileURLToPath(new URL('../', import.meta.url));

const { values: args } = parseArgs({
  options: { quick: { type: 'boolean', default: false }, calls: { type: 'string' }, runs: { type: 'string' } },
});
const quick = args.quick;
const N = Number(args.calls ?? (quick ? 1500 : 30_000));
const RUNS = Number(args.runs ?? (quick ? 1 : 5));

/** Median wall time of `fn` over RUNS runs (after one warm-up), in ms; work of a few ms is run until 250 ms of runs
 * (at most 60), so that one slow run on a busy machine does not decide its median. */
function time(fn) {
  fn();
  const times = [];
  let spent = 0;
  for (let i = 0; i < RUNS || (!quick && spent < 250 && i < 60); i++) {
    globalThis.gc?.();
    const t = performance.now();
    fn();
    times.push(performance.now() - t);
    spent += times.at(-1);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

const results = [];
/** One target: `ours` against `theirs` (ms), met when ours/theirs ≤ `limit`. */
function target(name, ours, theirs, limit, note = '') {
  const ratio = ours / theirs;
  results.push({ name, ours, theirs, ratio, limit, met: ratio <= limit, note });
}
const fmt = (ms) => (ms >= 100 ? ms.toFixed(0) : ms >= 10 ? ms.toFixed(1) : ms.toFixed(2));

console.log(`fn-calls object-path benchmark — Node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}; ` +
  `${N} calls, median of ${RUNS} runs${quick ? ' (quick: tiny sizes, numbers mean nothing)' : ''}\n`);

const lines = generateCalls({ count: N, seed: 7 });
const arrayText = `[${lines.join(',')}]`;
const ndjson = lines.join('\n') + '\n';
const envelope = `{"message":"Successfully listed calls","next_cursor":"","calls":${arrayText}}`;
const calls = fc.parseCalls(arrayText).calls;
if (calls.length !== N) throw new Error(`expected ${N} calls, got ${calls.length}`);

// ---- one call as text ----------------------------------------------------------------------------------------
const sample = lines.slice(0, Math.min(N, 5000));
const jsonEach = time(() => {
  for (const l of sample) JSON.parse(l);
});
target('parseCall(line) per line vs JSON.parse(line)', time(() => {
  for (const l of sample) fc.parseCall(l);
}), jsonEach, 2);
target('safeParseCall(line) per line vs JSON.parse(line)', time(() => {
  for (const l of sample) fc.safeParseCall(l);
}), jsonEach, 2);

// ---- a list as text --------------------------------------------------------------------------------------------
const jsonArray = time(() => JSON.parse(arrayText));
target('parseCalls(array text) vs JSON.parse(array text)', time(() => fc.parseCalls(arrayText)), jsonArray, 1.5);
target('parseCalls(NDJSON) vs JSON.parse(array text)', time(() => fc.parseCalls(ndjson)), jsonArray, 1.5);
target('parseCalls(v1 envelope) vs JSON.parse(array text)', time(() => fc.parseCalls(envelope)), jsonArray, 1.5);
// A file read into a Buffer: what a user writes is JSON.parse of its decoded text.
const arrayBytes = new TextEncoder().encode(arrayText);
target('parseCalls(array bytes) vs JSON.parse(TextDecoder of them)', time(() => fc.parseCalls(arrayBytes)),
  time(() => JSON.parse(new TextDecoder().decode(arrayBytes))), 1.5);

// ---- Call objects in hand ----------------------------------------------------------------------------------------
const apps = [...new Set(calls.map((c) => c.app_name))];
const app = apps[0];
const from = Math.floor(Date.parse(calls[Math.floor(N / 2)].created_at) / 1000);
const bound = new Date(from * 1000).toISOString(); // the server compares the created_at text with this (UTC)
const handPage = () =>
  calls
    .filter((c) => c.app_name === app && c.created_at > bound)
    .sort((a, b) => (a.id < b.id ? 1 : a.id > b.id ? -1 : 0))
    .slice(0, 30);
const ourPage = () => fc.filterCalls(calls, { app_name: app, from_time: from, per_page: 30 });
if (JSON.stringify(handPage().map((c) => c.id)) !== JSON.stringify(ourPage().calls.map((c) => c.id))) {
  throw new Error('filterCalls and the hand-written page disagree: the benchmark would compare different work');
}
target(`filterCalls(Call[${N}]) one page vs filter+sort+slice`, time(ourPage), time(handPage), 3);
// The first filter of an array reads the fields it tests from every object; the ones after start from what it read
// (docs/filtering.md#call-objects-in-hand). Each run here filters a fresh array of the same objects.
const fresh = () => fc.filterCalls(calls.slice(), { app_name: app, from_time: from, per_page: 30 });
const firstMs = time(fresh);

const errorsOnly = () => calls.filter((c) => c.status === 'error' || c.status === 'timeout').sort((a, b) => (a.id < b.id ? 1 : -1)).slice(0, 30);
target(`filterCalls(Call[${N}], status) vs filter+sort+slice`, time(() => fc.filterCalls(calls, { status: ['error', 'timeout'], per_page: 30 })), time(errorsOnly), 3);

const summaryN = Math.min(N, 20_000);
const some = calls.slice(0, summaryN);
/** What a user writes for counts by status and duration percentiles. */
const handSummary = () => {
  const byStatus = {};
  const durations = [];
  for (const c of some) {
    byStatus[c.status] = (byStatus[c.status] ?? 0) + 1;
    const s = Date.parse(c.started_at);
    const e = Date.parse(c.completed_at);
    if (s > 0 && e > 0) durations.push(e - s);
  }
  durations.sort((a, b) => a - b);
  const p = (q) => durations[Math.min(durations.length - 1, Math.ceil(q * durations.length) - 1)];
  return { byStatus, p50: p(0.5), p90: p(0.9), p99: p(0.99) };
};
target(`summarizeCalls(Call[${summaryN}]) vs a hand-written summary`, time(() => fc.summarizeCalls(some)), time(handSummary), 3);

const pairs = some.map((c) => ['running', c.status]);
// Both count the answers: an answer nobody reads lets the engine drop part of the hand-written check.
let allowedCount = 0;
target(`canTransition over Call[${summaryN}] vs a hand-written table`, time(() => {
  let n = 0;
  for (const [a, b] of pairs) if (fc.canTransition(a, b)) n++;
  allowedCount += n;
}), time(() => {
  const allowed = { running: new Set(['success', 'error', 'cancelled', 'timeout']) };
  let n = 0;
  for (const [a, b] of pairs) if (allowed[a]?.has(b)) n++;
  allowedCount -= n;
}), 3);
if (allowedCount !== 0) throw new Error('canTransition and the hand-written table disagree: the benchmark would compare different work');

// ---- plain objects (not made by the package): against the bytes path on the same calls -------------------------
// What a user has after JSON.parse of a listing (metrics past 2^53 already rounded), and copies of Calls (bigints).
const plainCalls = JSON.parse(arrayText);
const bytes = new TextEncoder().encode(arrayText);
const pageFilter = { app_name: app, from_time: from, per_page: 30 };
const bytesPageMs = time(() => fc.filterCalls(bytes, pageFilter));
target(`filterCalls(plain objects[${N}]) one page vs the same calls as bytes`, time(() => fc.filterCalls(plainCalls, pageFilter)), bytesPageMs, 1);
const copyCalls = calls.map((c) => ({ ...c }));
target(`filterCalls(copies of Calls[${N}]) one page vs the same calls as bytes`, time(() => fc.filterCalls(copyCalls, pageFilter)), bytesPageMs, 1);
const someBytes = new TextEncoder().encode(`[${lines.slice(0, summaryN).join(',')}]`);
const bytesSummaryMs = time(() => fc.summarizeCalls(someBytes));
target(`summarizeCalls(plain objects[${summaryN}]) vs the same calls as bytes`, time(() => fc.summarizeCalls(plainCalls.slice(0, summaryN))), bytesSummaryMs, 1);

// What `response.json()` gives, read into Calls (compare parseCalls of the same calls as text above).
const plainParseMs = time(() => fc.parseCalls(plainCalls));

// Writing Calls back as Go's bytes, against JSON.stringify with a bigint replacer (which writes neither Go's key
// order nor its escapes, so it is only the floor of the work).
const writeN = Math.min(N, 10_000);
const toWrite = calls.slice(0, writeN);
const stringifyMs = time(() => { for (const c of toWrite) fc.stringifyCall(c); });
const bigintReplacer = (k, v) => (typeof v === 'bigint' ? v.toString() : v);
const jsonStringifyMs = time(() => { for (const c of toWrite) JSON.stringify(c, bigintReplacer); });

// ---- whole workflows: the README's cursor loop, and a stand-in server ------------------------------------------
const loopN = Math.min(N, 20_000);
const loopCalls = calls.slice(0, loopN);
const loopMs = time(() => {
  let cursor = '';
  for (let pages = 0; pages < loopN; pages++) {
    const page = fc.filterCalls(loopCalls, { per_page: 100, cursor: cursor || undefined });
    if (!page.next_cursor) break;
    cursor = page.next_cursor;
  }
});
const serverMs = time(() => fc.filterCalls(loopCalls, { app_name: app, per_page: 30 }));

// ---- sizes -----------------------------------------------------------------------------------------------------
const wasmFiles = ['pkg/web/fn_calls_bg.wasm', 'pkg/node/fn_calls_bg.wasm', 'pkg/fn_calls_bg.wasm'].filter((f) => existsSync(join(root, f)));
const wasm = readFileSync(join(root, wasmFiles[0]));
const distAssets = join(root, 'www', 'dist', 'assets');
let dashboardJs = null;
if (existsSync(distAssets)) {
  const html = readFileSync(join(root, 'www', 'dist', 'index.html'), 'utf8');
  // What the first load fetches: the entry script and the modules it preloads (not workers, not lazy chunks).
  const first = [...html.matchAll(/(?:src|href)="\/?assets\/([^"]+\.js)"/g)].map((m) => m[1]);
  dashboardJs = first.reduce((sum, f) => sum + statSync(join(distAssets, f)).size, 0);
  void readdirSync;
}

// ---- report ------------------------------------------------------------------------------------------------------
console.log('| target | fn-calls | JavaScript | ratio | goal | met |');
console.log('|---|---:|---:|---:|---:|:-:|');
for (const r of results) {
  console.log(`| ${r.name} | ${fmt(r.ours)} ms | ${fmt(r.theirs)} ms | ${r.ratio.toFixed(2)}× | ≤ ${r.limit}× | ${r.met ? 'yes' : 'no'} |`);
}
console.log('');
console.log(`| workflow | time | goal |`);
console.log('|---|---:|---|');
console.log(`| following next_cursor to the end over ${loopN} Call objects (pages of 100) | ${fmt(loopMs)} ms | well under 1 s |`);
console.log(`| one stand-in server request: filterCalls over ${loopN} Call objects | ${fmt(serverMs)} ms | |`);
console.log(`| the first filterCalls of an array of ${N} Call objects (one page) | ${fmt(firstMs)} ms | |`);
console.log(`| filterCalls of ${N} calls as bytes (one page) | ${fmt(bytesPageMs)} ms | |`);
console.log(`| summarizeCalls of ${summaryN} calls as bytes | ${fmt(bytesSummaryMs)} ms | |`);
console.log(`| parseCalls of ${N} plain objects (what response.json() gives) | ${fmt(plainParseMs)} ms | |`);
console.log(`| stringifyCall of ${writeN} Call objects (JSON.stringify with a bigint replacer: ${fmt(jsonStringifyMs)} ms) | ${fmt(stringifyMs)} ms | |`);
console.log('');
console.log('| size | bytes | goal |');
console.log('|---|---:|---|');
console.log(`| wasm, raw (${wasmFiles.length} cop${wasmFiles.length === 1 ? 'y' : 'ies'} in the package) | ${wasm.length} | ≤ 250,000, one copy |`);
console.log(`| wasm, gzip -9 | ${gzipSync(wasm, { level: 9 }).length} | ≤ 100,000 |`);
if (dashboardJs !== null) console.log(`| dashboard first-load JavaScript (www/dist) | ${dashboardJs} | ≤ 300,000 |`);
else console.log('| dashboard first-load JavaScript | (www/dist not built) | ≤ 300,000 |');

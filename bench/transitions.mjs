// How many canTransition calls per second JavaScript gets: the package's JS fast path (a table read once from Rust)
// against the wasm export it stands in for. Prints numbers only; nothing here is asserted.
//
//   node bench/transitions.mjs            # 5,000,000 calls per case (wasm cases: a tenth of that)
//   node bench/transitions.mjs 200000     # calls per case
//   node bench/transitions.mjs --quick    # 10,000, for CI (same as BENCH_N=10000)
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const fast = require('../pkg/node/index.js');
const wasm = require('../pkg/node/fn_calls.js');

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const given = Number(args.find((a) => /^\d+$/.test(a)) ?? process.env.BENCH_N);
const n = quick ? 10_000 : Number.isFinite(given) && given > 0 ? given : 5_000_000;

const statuses = fast.statuses();
const pairs = statuses.flatMap((from) => statuses.map((to) => [from, to]));
const froms = pairs.map((p) => p[0]);
const tos = pairs.map((p) => p[1]);
const strict = { mode: 'strict' };

function run(canTransition, options, calls) {
  let allowed = 0;
  const size = froms.length;
  const start = process.hrtime.bigint();
  for (let i = 0, j = 0; i < calls; i++, j = j + 1 === size ? 0 : j + 1) {
    if (canTransition(froms[j], tos[j], options)) allowed++;
  }
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  return { perSecond: calls / seconds, allowed };
}

const cases = [
  ['JS fast path', fast.canTransition, undefined, n],
  ['JS fast path, { mode: "strict" }', fast.canTransition, strict, n],
  ['wasm export', wasm.canTransition, undefined, Math.max(1, Math.floor(n / 10))],
  ['wasm export, { mode: "strict" }', wasm.canTransition, strict, Math.max(1, Math.floor(n / 10))],
];

const fmt = (x) => Math.round(x).toLocaleString('en-US');
console.log(`canTransition over all ${pairs.length} status pairs, node ${process.version}`);
for (const [name, fn, options, calls] of cases) {
  run(fn, options, Math.min(calls, 100_000)); // warm up
  const { perSecond, allowed } = run(fn, options, calls);
  console.log(`${name.padEnd(36)} ${fmt(perSecond).padStart(14)} calls/s  (${fmt(calls)} calls, ${fmt(allowed)} allowed)`);
}

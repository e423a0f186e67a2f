// Child process of bench/bulk.mjs: streams one file through CallStream and reports resident memory, so the figure
// is not blurred by the parent's earlier allocations. Prints one JSON line.
import { createRequire } from 'node:module';
import { createReadStream } from 'node:fs';

const fc = createRequire(import.meta.url)('../pkg');
const [file, filterJson] = process.argv.slice(2);
globalThis.gc?.();
const baseline = process.memoryUsage().rss;
let peak = baseline;
const t = performance.now();
const stream = new fc.CallStream(JSON.parse(filterJson), { validate: 'matches' });
for await (const chunk of createReadStream(file, { highWaterMark: 1 << 20 })) {
  stream.push(chunk);
  peak = Math.max(peak, process.memoryUsage().rss);
}
const result = stream.finish();
const ms = performance.now() - t;
stream.free();
console.log(JSON.stringify({ baseline, peak, ms, matches: result.indices.length, total: result.total }));

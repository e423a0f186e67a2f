// Writing calls to stdout: NDJSON of the Go server's exact bytes (default), a JSON array, or a fixed-width table.
// Respects backpressure, and a closed pipe (`| head`) ends the command quietly.
import { once } from 'node:events';
import { unixMillis, ZERO_MS } from './time.mjs';
import { fit, padStartWidth, visibleInLine } from './text.mjs';

export const FORMATS = ['ndjson', 'json', 'table'];

let pipeWatched = false;
let closedPipeCode = 0;

/**
 * The exit status when the reader goes away (`| head`) before the command is done: 0 unless the command already
 * knows better (validate, once it has seen an error, exits 1 as it would have at the end).
 */
export function exitCodeOnClosedPipe(code) {
  closedPipeCode = code;
}

/** Writes `text` to stdout, waiting for it to drain when its buffer is full. */
export async function writeOut(text) {
  if (!pipeWatched) {
    pipeWatched = true;
    process.stdout.on('error', (e) => {
      if (e.code === 'EPIPE') process.exit(process.exitCode ?? closedPipeCode); // the reader went away: nothing left to do
      process.stderr.write(`fn-calls: cannot write the output: ${e.message}\n`);
      process.exit(2);
    });
  }
  if (text && !process.stdout.write(text)) await once(process.stdout, 'drain');
}

const COLUMNS = [
  ['ID', 26],
  ['STATUS', 9],
  ['APP', 12],
  ['PATH', 22],
  ['CREATED', 29],
  ['DURATION', 10],
  ['ERROR', 0],
];

/** A cell `width` terminal columns wide (the last column: at most 80, not padded), controls shown escaped. */
function cell(text, width) {
  const safe = visibleInLine(text);
  return width ? fit(safe, width) : fit(safe, 80).trimEnd();
}

/** `1234 ms` for a call with both times, `-` otherwise. */
function duration(call) {
  const s = unixMillis(call.started_at ?? '');
  const c = unixMillis(call.completed_at ?? '');
  if (!Number.isFinite(s) || !Number.isFinite(c) || s === ZERO_MS || c === ZERO_MS) return '-';
  return `${c - s} ms`;
}

function tableRow(values) {
  return values
    .map((v, i) => (i === 5 ? padStartWidth(v, COLUMNS[i][1] - 1) + ' ' : cell(v, COLUMNS[i][1])))
    .join(' ')
    .trimEnd();
}

/** One call (its Go JSON) as a table row. */
function tableLine(record) {
  const c = JSON.parse(record); // Go JSON is JSON; only strings are shown, so no uint64 is at risk here
  const oneLine = (s) => String(s ?? '');
  return tableRow([
    c.id ?? '',
    c.status === '' ? '""' : (c.status ?? ''),
    oneLine(c.app_name),
    oneLine(c.path ?? ''),
    c.created_at ?? '',
    duration(c),
    oneLine(c.error),
  ]);
}

/** Streams records (Go JSON strings) in one of FORMATS. */
export class CallWriter {
  constructor(format) {
    this.format = format;
    this.count = 0;
  }

  async write(records) {
    if (!records.length) return;
    let text;
    if (this.format === 'ndjson') text = records.join('\n') + '\n';
    else if (this.format === 'json') text = (this.count ? ',\n' : '[\n') + records.join(',\n');
    else text = (this.count ? '' : tableRow(COLUMNS.map(([name]) => name)) + '\n') + records.map(tableLine).join('\n') + '\n';
    this.count += records.length;
    await writeOut(text);
  }

  async end() {
    if (this.format === 'json') await writeOut(this.count ? '\n]\n' : '[]\n');
    else if (this.format === 'table' && !this.count) await writeOut(tableRow(COLUMNS.map(([name]) => name)) + '\n');
  }
}

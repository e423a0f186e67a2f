// Writing calls to stdout: NDJSON of the Go server's exact bytes (default), a JSON array, or a fixed-width table.
// Respects backpressure, and a closed pipe (`| head`) ends the command quietly.
import { once } from 'node:events';
import { fc, freeAfter } from './lib.mjs';
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

function tableRow(values) {
  return values
    .map((v, i) => (i === 5 ? padStartWidth(v, COLUMNS[i][1] - 1) + ' ' : cell(v, COLUMNS[i][1])))
    .join(' ')
    .trimEnd();
}

const encoder = new TextEncoder();

/**
 * Calls (their Go JSON) as table rows: the package's table rows (CallIndex.rows), so the duration is the package's
 * `completed_at − started_at` (`-` unless both are set).
 */
function tableLines(records) {
  const index = new fc.CallIndex(encoder.encode(records.join('\n')));
  try {
    return index.rows().map((r) =>
      tableRow([
        r.id,
        r.status === '' ? '""' : r.status,
        r.app_name,
        r.path,
        r.created_at,
        r.duration_ms === null ? '-' : `${r.duration_ms} ms`,
        r.error,
      ]),
    );
  } finally {
    freeAfter(index);
  }
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
    else text = (this.count ? '' : tableRow(COLUMNS.map(([name]) => name)) + '\n') + tableLines(records).join('\n') + '\n';
    this.count += records.length;
    await writeOut(text);
  }

  async end() {
    if (this.format === 'json') await writeOut(this.count ? '\n]\n' : '[]\n');
    else if (this.format === 'table' && !this.count) await writeOut(tableRow(COLUMNS.map(([name]) => name)) + '\n');
  }
}

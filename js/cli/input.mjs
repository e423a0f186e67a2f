// Inputs: files or stdin, gzip or not (by the magic bytes 1f 8b), read in chunks and fed to the package's CallStream,
// with a progress line on stderr when it is a terminal and the input is large.
import { statSync, accessSync, constants, createReadStream } from 'node:fs';
import { Readable, pipeline } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { fc, UsageError } from './lib.mjs';

const CHUNK = 1 << 16; // larger chunks are not faster, and leave more garbage between collections
/** Inputs above this size get a progress line (when stderr is a terminal). */
const LARGE = 20 * 1000 * 1000;
/** The last NDJSON line is held (to finish it, see `scanInput`) only up to this size. */
const MAX_TAIL = 8 << 20;

const REASONS = {
  ENOENT: 'no such file',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EISDIR: 'is a directory',
  ENOTDIR: 'not a directory',
  ELOOP: 'too many symbolic links',
  EMFILE: 'too many open files',
};

function reason(e) {
  return REASONS[e.code] ?? e.message;
}

/**
 * Checks every input before anything is read, so a missing file is reported before any output is written (files
 * are opened one at a time afterwards, so a glob of thousands of files is fine). `files` empty means stdin; `-` is
 * stdin too. Returns `{ name, path, size }` (`path` null for stdin; `size` null when unknown).
 */
export function checkInputs(files) {
  const names = files.length ? files : ['-'];
  if (names.filter((n) => n === '-').length > 1) throw new UsageError("stdin ('-') can be read only once");
  if (names.includes('-') && process.stdin.isTTY) {
    throw new UsageError('no input: give files, or pipe calls into stdin (see --help)');
  }
  return names.map((name) => {
    if (name === '-') return { name: '<stdin>', path: null, size: null };
    try {
      const st = statSync(name);
      if (st.isDirectory()) throw Object.assign(new Error('is a directory'), { code: 'EISDIR' });
      accessSync(name, constants.R_OK);
      return { name, path: name, size: st.isFile() ? st.size : null };
    } catch (e) {
      throw new UsageError(`cannot read ${name}: ${reason(e)}`);
    }
  });
}

/**
 * The bytes of one input, decompressed when it starts with gzip's magic bytes. `onRaw(n)` is told how many bytes
 * were read from the file itself (compressed), for progress.
 */
async function* chunksOf(input, onRaw) {
  const source = input.path === null ? process.stdin : createReadStream(input.path, { highWaterMark: CHUNK });
  const it = source[Symbol.asyncIterator]();
  let head = Buffer.alloc(0);
  let done = false;
  let gzip = false;
  try {
    while (head.length < 2) {
      const r = await it.next();
      if (r.done) {
        done = true;
        break;
      }
      onRaw(r.value.length);
      head = head.length ? Buffer.concat([head, r.value]) : r.value;
    }
    async function* raw() {
      if (head.length) yield head;
      if (done) return;
      for (;;) {
        const r = await it.next();
        if (r.done) return;
        onRaw(r.value.length);
        yield r.value;
      }
    }
    if (!(head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b)) {
      yield* raw();
      return;
    }
    gzip = true;
    const gunzip = createGunzip({ chunkSize: CHUNK });
    pipeline(Readable.from(raw(), { objectMode: false }), gunzip, () => {});
    yield* gunzip;
  } catch (e) {
    if (e instanceof UsageError) throw e;
    const what = gzip && String(e.code).startsWith('Z_') ? `not valid gzip data (${e.message})` : reason(e);
    throw new UsageError(`cannot read ${input.name}: ${what}`);
  } finally {
    if (input.path !== null) source.destroy();
    else it.return?.();
  }
}

/**
 * A progress line on stderr, only when stderr is a terminal (or FN_CALLS_PROGRESS=1, for tests) and the input
 * is large: bytes read of the total (when known) and records, at most four times a second.
 */
export class Progress {
  constructor(inputs, label) {
    const sizes = inputs.map((i) => i.size);
    this.total = sizes.includes(null) ? null : sizes.reduce((a, b) => a + b, 0);
    const forced = process.env.FN_CALLS_PROGRESS;
    this.enabled = forced === '1' || (forced !== '0' && Boolean(process.stderr.isTTY));
    this.label = label;
    this.bytes = 0;
    this.records = 0;
    this.last = 0;
    this.shown = false;
  }

  raw(n) {
    this.bytes += n;
  }

  tick(records) {
    this.records = records;
    if (!this.enabled) return;
    if (!(this.bytes > LARGE || (this.total !== null && this.total > LARGE))) return;
    const now = Date.now();
    if (now - this.last < 250) return;
    this.last = now;
    const mb = (n) => (n / 1e6).toFixed(1);
    const of = this.total ? ` / ${mb(this.total)} MB (${Math.floor((100 * this.bytes) / this.total)}%)` : ' MB';
    process.stderr.write(`\r\x1b[K${this.label}: ${mb(this.bytes)}${of}, ${this.records.toLocaleString('en-US')} records`);
    this.shown = true;
  }

  done() {
    if (this.shown) process.stderr.write('\r\x1b[K');
    this.shown = false;
  }
}

/**
 * Scans one input with a CallStream. After each chunk, `each(stream)` takes what it wants (records, issues) and
 * returns `false` to stop early. Returns `finish()`'s result (its `issues` are those not yet taken).
 *
 * The stream hands out an NDJSON record only once the newline after it arrives (`finish()` would hand out the last
 * one, but the callers take records in `each`); so when the input's last line is a complete JSON value without a
 * newline, or one longer than MAX_TAIL, a newline is pushed for it.
 */
export async function scanInput(input, filter, options, progress, each) {
  const stream = new fc.CallStream(filter, options);
  const records0 = progress.records;
  let tail = [];
  let tailBytes = 0;
  let stopped = false;
  try {
    for await (const chunk of chunksOf(input, (n) => progress.raw(n))) {
      stream.push(chunk);
      const nl = chunk.lastIndexOf(10);
      if (nl >= 0) {
        tail = [chunk.subarray(nl + 1)];
        tailBytes = chunk.length - nl - 1;
      } else if (tailBytes <= MAX_TAIL) {
        tail.push(chunk);
        tailBytes += chunk.length;
      }
      progress.tick(records0 + stream.recordsSeen);
      if ((await each(stream)) === false) {
        stopped = true;
        break;
      }
    }
    if (!stopped && tailBytes > 0) {
      // A last line too long to hold is ended too (were it incomplete, the stream reports it as bad JSON): left
      // unended, a complete one would be handed out by finish() only, which the callers do not read.
      let complete = tailBytes > MAX_TAIL;
      if (!complete) {
        try {
          JSON.parse(Buffer.concat(tail).toString('utf8'));
          complete = true;
        } catch {
          // an incomplete last line stays as it is, and the stream reports it as truncated
        }
      }
      if (complete) {
        stream.push(new Uint8Array([10]));
        if ((await each(stream)) === false) stopped = true;
      }
    }
    progress.tick(records0 + stream.recordsSeen);
    // Stopped early (--limit): the record in progress is not truncated, just not read, so finish() is not asked.
    if (stopped) return { stopped, total: stream.recordsSeen, issues: [], next_cursor: '' };
    return { ...stream.finish(), stopped };
  } finally {
    stream.free();
  }
}

// The data engine, in a Web Worker so that reading and indexing 100k calls never freezes the page. It holds the
// loaded bytes in the package's bulk engine (CallIndex: calls indexed once inside wasm, filtered and summarised
// there); the page gets compact table rows, filtered positions and summaries, and asks for one call at a time.

import init, * as fc from 'fn-calls';
import { lineSpans, documentSpans, looksLikeNdjson } from './records.js';

const ready = init();
const encoder = new TextEncoder();
const decoder = new TextDecoder();
const ZERO_TIME = '0001-01-01T00:00:00';
/** Table rows are built from the index this many calls at a time, reporting progress in between. */
const ROW_BATCH = 4000;

/** What is loaded: one CallIndex over one byte buffer. */
let data = null;
/** Pages of a server listing received so far, before they become one data set. */
let pages = [];

const post = (msg, transfer) => self.postMessage(msg, transfer || []);

self.onmessage = async (event) => {
  const msg = event.data;
  try {
    await ready;
    const handler = handlers[msg.op];
    if (!handler) throw new Error(`unknown operation ${msg.op}`);
    const { result, transfer } = await handler(msg);
    post({ reqId: msg.reqId, type: 'result', result }, transfer);
  } catch (err) {
    post({ reqId: msg.reqId, type: 'error', message: err?.message || String(err) });
  }
};

// ---- loading ------------------------------------------------------------------------------------------------

/** Reads a source to bytes, reporting progress. */
async function readAll(source, progress) {
  if (source.kind === 'text') return { bytes: encoder.encode(source.text), label: source.label || 'pasted text' };
  let stream, total, label;
  if (source.kind === 'file') {
    stream = source.file.stream();
    total = source.file.size;
    label = source.file.name;
  } else if (source.kind === 'url') {
    const res = await fetch(source.url);
    if (!res.ok) throw new Error(`${source.url} answered HTTP ${res.status}`);
    stream = res.body;
    total = Number(res.headers.get('content-length')) || 0;
    label = source.label || source.url;
  } else throw new Error(`unknown source ${source.kind}`);

  let buf = new Uint8Array(Math.max(total, 1 << 16));
  let length = 0;
  const reader = stream.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    if (length + value.length > buf.length) {
      const next = new Uint8Array(Math.max(buf.length * 2, length + value.length));
      next.set(buf.subarray(0, length));
      buf = next;
    }
    buf.set(value, length);
    length += value.length;
    progress({ phase: 'read', loaded: length, total });
  }
  return { bytes: buf.subarray(0, length), label };
}

/** Indexes the bytes (CallIndex) and builds the table rows, in batches so progress can be shown. */
function index(bytes, label, progress) {
  data?.index.free();
  data = null;
  progress({ phase: 'index', loaded: bytes.length, total: bytes.length });
  const idx = new fc.CallIndex(bytes, { warnings: true });
  const rows = new Array(idx.length);
  for (let start = 0; start < idx.length; start += ROW_BATCH) {
    const batch = idx.rows(start, Math.min(idx.length, start + ROW_BATCH));
    for (let k = 0; k < batch.length; k++) rows[start + k] = toRow(batch[k]);
    progress({ phase: 'rows', loaded: Math.min(idx.length, start + ROW_BATCH), total: idx.length });
  }
  const issues = idx.issues;
  data = { bytes, label, ndjson: looksLikeNdjson(bytes, true), index: idx, rows, issues, spans: null, starts: null };
  return {
    label,
    format: data.ndjson ? 'NDJSON' : 'JSON',
    bytes: bytes.length,
    rows,
    issues,
    totalCalls: idx.length,
  };
}

let lastProgress = 0;
function reporter(reqId) {
  return (p) => {
    const now = Date.now();
    if (now - lastProgress < 80 && p.loaded < p.total) return;
    lastProgress = now;
    post({ reqId, type: 'progress', ...p });
  };
}

const handlers = {
  async load({ reqId, source }) {
    const progress = reporter(reqId);
    const { bytes, label } = await readAll(source, progress);
    return { result: index(bytes, label, progress) };
  },

  /**
   * One page of a server listing (an envelope): kept until `finishPages`; answers its number (from 0), its
   * next_cursor (the v2 base64url decoded) and how many records it holds.
   */
  addPage({ text, first }) {
    if (first) pages = [];
    const bytes = encoder.encode(text);
    const scan = fc.scanCalls(bytes, null, { validate: 'all' });
    pages.push({ bytes, spans: documentSpans(bytes) });
    return { result: { page: pages.length - 1, next_cursor: scan.next_cursor, records: scan.total } };
  },

  /**
   * The pages received, as one JSON array of their records, indexed as one data set. `order` (flat
   * [page, record-in-page] pairs) chooses the records and their order: the merge of several v2 listings, newest
   * first, or the first `max` calls; without it, every record of every page in the order they came.
   */
  finishPages({ reqId, label, order }) {
    const parts = [];
    const part = (p, k) => {
      const { bytes, spans } = pages[p];
      if (k < spans.starts.length) parts.push(bytes.subarray(spans.starts[k], spans.ends[k]));
    };
    if (order) for (let i = 0; i + 1 < order.length; i += 2) part(order[i], order[i + 1]);
    else pages.forEach((page, p) => page.spans.starts.forEach((_, k) => part(p, k)));
    pages = [];
    return { result: index(joinArray(parts), label, reporter(reqId)) };
  },

  /** Filters (CallIndex.filter), summarises (CallIndex.summarize) and sorts; positions come back in display order. */
  query({ callFilter, sort }) {
    if (!data) throw new Error('nothing is loaded');
    let positions, nextCursor = '';
    if (callFilter) {
      const page = data.index.filter(callFilter);
      positions = page.positions;
      nextCursor = page.next_cursor;
    } else positions = Uint32Array.from(data.rows, (_, i) => i);
    const summary = summarize(positions);
    const sorted = sortPositions(Int32Array.from(positions), sort);
    return { result: { positions: sorted, next_cursor: nextCursor, summary }, transfer: [sorted.buffer] };
  },

  /** One call, its record exactly as loaded and that record's issues (read alone, so offsets are its own). */
  call({ pos }) {
    const call = data.index.get(pos);
    const [start, end] = data.index.range(pos);
    const text = decoder.decode(data.bytes.subarray(start, end));
    return { result: { call, text, record: recordOfOffset(start), issues: fc.validateCall(text) } };
  },

  /** A record by its index in the input (typically one that was refused), with its issues. */
  record({ index: rec, offset }) {
    const pos = offset === undefined ? -1 : positionOfOffset(offset);
    if (pos >= 0) return handlers.call({ pos });
    const span = recordSpan(rec);
    if (!span) throw new Error(`record ${rec + 1} is not available`);
    const text = decoder.decode(span);
    return { result: { call: null, pos: -1, text, record: rec, issues: fc.validateCall(text) } };
  },
};

function joinArray(parts) {
  const size = parts.reduce((n, p) => n + p.length + 1, 2);
  const out = new Uint8Array(size);
  let at = 0;
  out[at++] = 0x5b; // [
  parts.forEach((p, i) => {
    if (i) out[at++] = 0x2c; // ,
    out.set(p, at);
    at += p.length;
  });
  out[at++] = 0x5d; // ]
  return out.subarray(0, at);
}

/** Byte spans of every record of the input (good and bad), found on first use. */
function spans() {
  if (!data.spans) data.spans = data.ndjson ? lineSpans(data.bytes) : documentSpans(data.bytes);
  return data.spans;
}

function recordSpan(rec) {
  const s = spans();
  return rec >= 0 && rec < s.starts.length ? data.bytes.subarray(s.starts[rec], s.ends[rec]) : null;
}

/** The input record holding a byte offset (binary search over the record spans). */
function recordOfOffset(offset) {
  const { starts } = spans();
  let lo = 0, hi = starts.length - 1, best = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (starts[mid] <= offset) {
      best = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return best;
}

/** The indexed call whose byte range holds an offset, or -1 (a refused record): calls are in input order. */
function positionOfOffset(offset) {
  let lo = 0, hi = data.index.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const [start, end] = data.index.range(mid);
    if (offset < start) hi = mid - 1;
    else if (offset >= end) lo = mid + 1;
    else return mid;
  }
  return -1;
}

/** What the table, its sorting and the duration histogram need of a call, from the index's columns (CallRow). */
function toRow(r) {
  return {
    pos: r.position,
    id: r.id,
    status: r.status,
    app: r.app_name,
    path: r.path,
    image: r.image,
    method: r.method,
    createdMs: r.created_at.startsWith(ZERO_TIME) ? NaN : r.created_ms,
    durationMs: r.duration_ms,
    peakMem: r.mem_peak === null ? null : Number(r.mem_peak),
    error: r.error,
  };
}

// ---- filtering, sorting, summaries --------------------------------------------------------------------------

const text = (a, b) => (a < b ? -1 : a > b ? 1 : 0);
const numeric = (x, y) => {
  const a = x === null || Number.isNaN(x) ? -Infinity : x;
  const b = y === null || Number.isNaN(y) ? -Infinity : y;
  return a - b;
};
const SORTERS = {
  id: (a, b) => text(a.id, b.id),
  status: (a, b) => text(a.status, b.status),
  app: (a, b) => text(a.app, b.app),
  path: (a, b) => text(a.path, b.path),
  created: (a, b) => numeric(a.createdMs, b.createdMs),
  duration: (a, b) => numeric(a.durationMs, b.durationMs),
  memory: (a, b) => numeric(a.peakMem, b.peakMem),
  error: (a, b) => text(a.error, b.error),
};

function sortPositions(positions, sort) {
  const cmp = SORTERS[sort?.key] || SORTERS.id;
  const dir = sort?.dir === 'asc' ? 1 : -1;
  const rows = data.rows;
  // ties: newest id first, as the server lists
  return positions.sort((p, q) => dir * cmp(rows[p], rows[q]) || text(rows[q].id, rows[p].id));
}

/** A bucket width (seconds) a person reads easily, giving at most about 60 bars. */
function bucketSeconds(rangeMs) {
  const widths = [1, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400, 604800, 2592000];
  const target = Math.max(1, rangeMs / 1000) / 60;
  return widths.find((w) => w >= target) || widths[widths.length - 1];
}

// Log-spaced duration bins (1 ms … 10 min, four per decade) for the histogram: presentation, not a statistic.
const HIST_EDGES = Array.from({ length: 24 }, (_, i) => Math.round(10 ** (i / 4)));

function summarize(positions) {
  const rows = data.rows;
  let min = Infinity, max = -Infinity;
  const counts = new Array(HIST_EDGES.length).fill(0);
  const appsOfPath = new Map();
  for (const p of positions) {
    const r = rows[p];
    if (r.createdMs < min) min = r.createdMs;
    if (r.createdMs > max) max = r.createdMs;
    if (r.durationMs !== null) {
      let i = 0;
      while (i < HIST_EDGES.length - 1 && r.durationMs >= HIST_EDGES[i + 1]) i++;
      counts[i]++;
    }
    let apps = appsOfPath.get(r.path);
    if (!apps) appsOfPath.set(r.path, (apps = new Set()));
    apps.add(r.app);
  }
  const width = Number.isFinite(min) ? bucketSeconds(max - min) : 3600;
  const summary = data.index.summarize({ group_by: 'path', bucket_seconds: width }, positions);
  summary.bucket_seconds = width;
  summary.histogram = { edges: HIST_EDGES, counts };
  for (const g of summary.groups || []) g.apps = [...(appsOfPath.get(g.key) || [])].sort();
  return summary;
}

// The data engine, in a Web Worker so that reading and indexing 100k calls never freezes the page. It holds the
// loaded bytes in the package's bulk engine (CallIndex: calls indexed once inside wasm, filtered and summarised
// there); the page gets compact table rows, filtered positions and summaries, and asks for one call at a time.

import init, * as fc from 'fn-calls';
import { CLIP_CHARS, chunkOf, clipTo } from './dom.js';
import { jsonLayout } from './jsonview.js';

const ready = init();
const encoder = new TextEncoder();
const decoder = new TextDecoder();
const ZERO_TIME = '0001-01-01T00:00:00';
/** Table rows are built from the index this many calls at a time, reporting progress in between. */
const ROW_BATCH = 4000;
/** The largest record the package reads (64 MiB, the top of `max_record_bytes`). */
const MAX_RECORD_BYTES = 64 * 1024 * 1024;

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

/**
 * Indexes the bytes (CallIndex) and builds the table rows, in batches so progress can be shown. What was loaded
 * before is kept for one Undo; input of which no record reads as a call leaves what was loaded in place
 * (`kept: true`) rather than replace it with nothing.
 */
function index(bytes, label, progress) {
  progress({ phase: 'index', loaded: bytes.length, total: bytes.length });
  // The whole input is already in memory here, so records are read up to the package's largest limit (as
  // parseCalls does): a call with a 50 MB error is shown, not refused as record_too_large.
  const idx = new fc.CallIndex(bytes, { warnings: true, max_record_bytes: MAX_RECORD_BYTES });
  const issues = idx.issues;
  const refused = new Set(issues.filter((i) => i.severity === 'error').map((i) => i.index ?? -1)).size;
  if (idx.length === 0 && refused > 0 && data && data.index.length > 0) {
    // The first refused record as it was loaded (its range from the package), for the validator.
    const first = issues.find((i) => i.severity === 'error' && Number.isInteger(i.index) && i.index < idx.records);
    const firstRecord = first ? decoder.decode(bytes.subarray(...idx.recordRange(first.index))) : null;
    idx.free();
    return { kept: true, label, refused, issues: issues.filter((i) => i.severity === 'error').slice(0, 20), bytes: bytes.length, firstRecord };
  }
  const rows = new Array(idx.length);
  for (let start = 0; start < idx.length; start += ROW_BATCH) {
    const batch = idx.rows(start, Math.min(idx.length, start + ROW_BATCH));
    for (let k = 0; k < batch.length; k++) rows[start + k] = toRow(batch[k]);
    progress({ phase: 'rows', loaded: Math.min(idx.length, start + ROW_BATCH), total: idx.length });
  }
  if (previous && previous !== data) previous.index.free();
  previous = data;
  data = { bytes, label, index: idx, rows, issues };
  return describe(data);
}

/** What the page is told of a data set: the rows with their errors cut to what a table cell can show. */
function describe(d) {
  return {
    label: d.label,
    format: d.index.form === 'ndjson' ? 'NDJSON' : 'JSON',
    bytes: d.bytes.length,
    rows: d.rows.map((r) => (typeof r.error === 'string' && r.error.length > CLIP_CHARS ? { ...r, error: clipTo(r.error) } : r)),
    issues: d.issues,
    totalCalls: d.index.length,
  };
}

/** The data set before the last load, kept for Undo. */
let previous = null;

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
    const scan = fc.scanCalls(bytes, null, { validate: 'all', ranges: true });
    pages.push({ bytes, ranges: scan.ranges });
    return { result: { page: pages.length - 1, next_cursor: scan.next_cursor, records: scan.total } };
  },

  /**
   * The pages received, as one JSON array of their records, indexed as one data set. `order` (flat
   * [page, record-in-page] pairs) chooses the records and their order: the merge of several v2 listings, newest
   * first, or the first `max` calls; without it, every record of every page in the order they came.
   */
  finishPages({ reqId, label, order, keepCurrent }) {
    const parts = [];
    // Each page's records where the package found them (scanCalls' `ranges`: every record, good or bad).
    const part = (p, k) => {
      const { bytes, ranges } = pages[p];
      if (2 * k + 1 < ranges.length) parts.push(bytes.subarray(ranges[2 * k], ranges[2 * k + 1]));
    };
    if (order) for (let i = 0; i + 1 < order.length; i += 2) part(order[i], order[i + 1]);
    else pages.forEach((page, p) => {
      for (let k = 0; 2 * k < page.ranges.length; k++) part(p, k);
    });
    pages = [];
    // Load newer: the new calls, then every record already loaded (newest first, as the server lists).
    if (keepCurrent && data) for (let k = 0; k < data.index.records; k++) parts.push(recordSpan(k));
    return { result: index(joinArray(parts), label, reporter(reqId)) };
  },

  /** Swaps back to the data set before the last load. */
  undo() {
    if (!previous) throw new Error('there is nothing to go back to');
    [data, previous] = [previous, data];
    return { result: describe(data) };
  },

  /**
   * Filters (CallIndex.filter), summarises (CallIndex.summarize) and sorts; positions come back in display order.
   * `baseFilter` (the filter without its status; null: every call) gives the counts per status and the failure
   * rates per group that a status filter must not change. `groupBy`: path, app_name, image, type, status or
   * error_group. Error groups come from the package (CallIndex.errorGroups).
   */
  query({ callFilter: shownFilter, baseFilter: shownBase, sort, groupBy }) {
    if (!data) throw new Error('nothing is loaded');
    const callFilter = wholeGroupOf(shownFilter);
    const baseFilter = wholeGroupOf(shownBase);
    let positions, nextCursor = '';
    if (callFilter) {
      const page = data.index.filter(callFilter);
      positions = page.positions;
      nextCursor = page.next_cursor;
    } else positions = allPositions();
    const base = baseFilter === undefined ? positions : baseFilter ? data.index.filter(baseFilter).positions : allPositions();
    const summary = summarize(positions);
    const baseTotal = base === positions ? summary.total : data.index.summarize(null, base).total;
    const statusCounts = {};
    for (const [k, v] of Object.entries(baseTotal.by_status)) if (v) statusCounts[k === 'empty' ? '' : k] = v;
    const errorGroups = errorGroupsOf(positions);
    summary.groups = groupSummaries(groupBy || 'path', positions, base, errorGroups);
    if (groupBy === 'error_group') for (const g of summary.groups) g.key = groupName(g.key);
    summary.group_by = groupBy || 'path';
    summary.base_count = base.length;
    const sorted = sortPositions(Int32Array.from(positions), sort);
    return { result: { positions: sorted, next_cursor: nextCursor, summary, statusCounts, errorGroups: errorGroups && errorGroups.map(shownGroup) }, transfer: [sorted.buffer] };
  },

  /**
   * The calls at `positions` as a file: NDJSON exactly as the package writes each call (stringifyCall: Go's
   * bytes), or CSV of `columns`.
   */
  export({ positions, format, columns }) {
    if (format === 'ndjson') {
      const out = [];
      for (const p of positions) out.push(fc.stringifyCall(data.index.get(p)));
      return { result: out.length ? `${out.join('\n')}\n` : '' };
    }
    const cols = columns.filter((c) => CSV[c]);
    const lines = [cols.map((c) => CSV[c][0]).join(',')];
    for (const p of positions) lines.push(cols.map((c) => csvCell(CSV[c][1](data.rows[p]))).join(','));
    return { result: `${lines.join('\r\n')}\r\n` };
  },

  /**
   * One call, its record exactly as loaded and that record's issues (read alone, so offsets are its own), as the
   * page shows them: every text longer than CLIP_CHARS is sent cut to its beginning (`long` names each one, with its
   * length and its reference in `view`), and the record comes printed (jsonLayout), its long tokens cut the same way.
   * A 50 MB error never crosses to the page whole: "Show more" reads it from here a chunk at a time (`more`).
   */
  call({ pos }) {
    const call = data.index.get(pos);
    const [start, end] = data.index.range(pos);
    const text = decoder.decode(data.bytes.subarray(start, end));
    const group = call.error ? errorGroupsOf(Uint32Array.of(pos))?.[0]?.key ?? null : null;
    const view = newView(call, group);
    const long = {};
    const shown = clipValue(call, '', view, long);
    const issues = fc.validateCall(text);
    return {
      result: {
        view: view.id,
        call: shown,
        layout: layoutOf(text, issues, view),
        record: data.index.recordOf(pos),
        issues: clipIssues(issues, view, long),
        errorGroup: group === null ? null : clipText(group, 'group', view, long),
        long,
      },
    };
  },

  /** A record by its index in the input (typically one that was refused), with its issues, shown as `call` is. */
  record({ index: rec, offset }) {
    const pos = offset === undefined ? -1 : positionOfOffset(offset);
    if (pos >= 0) return handlers.call({ pos });
    const span = recordSpan(rec);
    if (!span) throw new Error(`record ${rec + 1} is not available`);
    const text = decoder.decode(span);
    const view = newView(null, null);
    const long = {};
    const issues = fc.validateCall(text);
    return { result: { view: view.id, call: null, pos: -1, layout: layoutOf(text, issues, view), record: rec, issues: clipIssues(issues, view, long), long } };
  },

  /** The next chunk of a long text the page was sent the beginning of: `{piece, end}` from `at`. */
  more({ view, ref, at }) {
    const text = views.get(view)?.texts[ref];
    if (text === undefined) throw new Error('the text is no longer held: open the call again');
    if (!(Number.isInteger(at) && at >= 0 && at <= text.length)) throw new Error(`no position ${at} in the text`);
    return { result: chunkOf(text, at) };
  },

  /** The whole call of a view as the Fn server writes it (stringifyCall: Go's bytes), for Copy JSON. */
  stringify({ view }) {
    const v = views.get(view);
    if (!v?.call) throw new Error('the call is no longer held: open it again');
    return { result: fc.stringifyCall(v.call) };
  },

  /** The whole app, path and error group of a view's call, for "Calls like this". */
  like({ view }) {
    const v = views.get(view);
    if (!v?.call) throw new Error('the call is no longer held: open it again');
    return { result: { app_name: v.call.app_name, path: v.call.path, errorGroup: v.group === null ? null : groupName(v.group) } };
  },
};

// ---- long texts: the page gets their beginning, the worker keeps them for "Show more" ------------------------

/** The calls and records shown last (the open one, the one before), their long texts kept; older ones let go. */
const views = new Map();
const KEEP_VIEWS = 2;
let nextView = 1;

function newView(call, group) {
  const view = { id: nextView++, call, group, texts: [] };
  views.set(view.id, view);
  for (const id of views.keys()) if (views.size > KEEP_VIEWS) views.delete(id);
  return view;
}

/** `text` cut to CLIP_CHARS when longer, the whole kept in `view` and named `name` in `long`. */
function clipText(text, name, view, long) {
  if (text.length <= CLIP_CHARS) return text;
  view.texts.push(text);
  long[name] = { ref: view.texts.length - 1, length: text.length };
  return clipTo(text);
}

const escapePointer = (key) => key.replace(/~/g, '~0').replace(/\//g, '~1');

/**
 * A copy of a call's value with every long string (key or value) cut: a value is named in `long` by its JSON
 * Pointer (as shown: with its key cut), a key by `key:` and its pointer. Two keys alike in their first CLIP_CHARS
 * characters stay two: the second gets a `…` appended.
 */
function clipValue(value, ptr, view, long) {
  if (typeof value === 'string') return clipText(value, ptr, view, long);
  if (Array.isArray(value)) return value.map((v, i) => clipValue(v, `${ptr}/${i}`, view, long));
  if (value === null || typeof value !== 'object') return value;
  const out = {};
  for (const [k, v] of Object.entries(value)) {
    let key = k;
    if (k.length > CLIP_CHARS) {
      const held = {};
      key = clipText(k, 'key', view, held);
      while (Object.hasOwn(out, key)) key += '…';
      long[`key:${ptr}/${escapePointer(key)}`] = held.key;
    }
    out[key] = clipValue(v, `${ptr}/${escapePointer(key)}`, view, long);
  }
  return out;
}

/** Issues with long messages cut (named `issue:n`). */
function clipIssues(issues, view, long) {
  return issues.map((issue, n) => (issue.message.length > CLIP_CHARS ? { ...issue, message: clipText(issue.message, `issue:${n}`, view, long) } : issue));
}

/** The record printed with its issues highlighted (jsonLayout); each long token's hidden rest is kept in `view`. */
function layoutOf(text, issues, view) {
  const { pieces, pretty } = jsonLayout(text, issues);
  for (const piece of pieces) {
    if (!piece.rest) continue;
    view.texts.push(pretty.text.slice(piece.rest.start, piece.rest.end));
    piece.rest = { ref: view.texts.length - 1, start: 0, end: piece.rest.end - piece.rest.start };
  }
  return { pieces };
}

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

/** The bytes of record `rec` of the input, good or bad, as the package found it (CallIndex.recordRange). */
function recordSpan(rec) {
  if (!(Number.isInteger(rec) && rec >= 0 && rec < data.index.records)) return null;
  const [start, end] = data.index.recordRange(rec);
  return data.bytes.subarray(start, end);
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
    createdAt: r.created_at,
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

function allPositions() {
  return Uint32Array.from(data.rows, (_, i) => i);
}

const binOf = (ms) => {
  let i = 0;
  while (i < HIST_EDGES.length - 1 && ms >= HIST_EDGES[i + 1]) i++;
  return i;
};

function summarize(positions) {
  const rows = data.rows;
  let min = Infinity, max = -Infinity;
  const counts = new Array(HIST_EDGES.length).fill(0);
  for (const p of positions) {
    const r = rows[p];
    if (r.createdMs < min) min = r.createdMs;
    if (r.createdMs > max) max = r.createdMs;
    if (r.durationMs !== null) counts[binOf(r.durationMs)]++;
  }
  const width = Number.isFinite(min) ? bucketSeconds(max - min) : 3600;
  const summary = data.index.summarize({ bucket_seconds: width }, positions);
  summary.bucket_seconds = width;
  summary.histogram = { edges: HIST_EDGES, counts };
  summary.heatmap = heatmap(positions, width, summary.buckets);
  return summary;
}

/** Calls per time bucket and duration bin (the duration heatmap): cells [bucket, bin, count]. */
function heatmap(positions, width, buckets) {
  if (!buckets?.length) return { cells: [] };
  const w = width * 1000;
  const first = Date.parse(buckets[0].start);
  const cells = new Map();
  for (const p of positions) {
    const r = data.rows[p];
    if (r.durationMs === null || !Number.isFinite(r.createdMs)) continue;
    const x = Math.floor((r.createdMs - first) / w);
    if (x < 0 || x >= buckets.length) continue;
    const key = x * 64 + binOf(r.durationMs);
    cells.set(key, (cells.get(key) || 0) + 1);
  }
  return { cells: [...cells].map(([k, n]) => [Math.floor(k / 64), k % 64, n]) };
}

/** The package's error groups of these calls (normalised message → calls), or null from a build without them. */
function errorGroupsOf(positions) {
  if (typeof data.index.errorGroups !== 'function') return null;
  return data.index.errorGroups(positions);
}

/**
 * The name the page knows an error group by: its key, or for a key longer than CLIP_CHARS (the normalised text of
 * a 50 MB error) the key's beginning and `…`, so a key never crosses to the page, a URL or a filter whole. The
 * worker turns the name back into the key (wholeGroupOf) before filtering.
 */
function groupName(key) {
  if (key.length <= CLIP_CHARS) return key;
  const name = `${clipTo(key)}…`;
  (data.longGroups ??= new Map()).set(name, key);
  return name;
}

/** An error group as the page gets it: without its positions, named (groupName), its example cut. */
function shownGroup({ positions: _, ...g }) {
  return { ...g, key: groupName(g.key), example: typeof g.example === 'string' ? clipTo(g.example) : g.example };
}

/** A filter from the page with its `error_group` name turned back into the key (see groupName). */
function wholeGroupOf(filter) {
  const name = filter?.error_group;
  if (typeof name !== 'string' || name.length <= CLIP_CHARS) return filter;
  // a link opened afresh names a group not yet sent: every group's name is made once
  if (!data.longGroups?.has(name)) for (const g of errorGroupsOf(allPositions()) || []) groupName(g.key);
  const key = data.longGroups?.get(name);
  return key === undefined ? filter : { ...filter, error_group: key };
}

/** Which calls are of each type (CallRow has no type: the index's filter answers it). */
function typeOf() {
  if (!data.types) {
    data.types = new Map();
    for (const t of ['sync', 'async']) for (const p of data.index.filter({ type: t, all: true }).positions) data.types.set(p, t);
  }
  return (p) => data.types.get(p) || '';
}

const MAX_GROUPS = 60;

/**
 * Summaries of the calls grouped by one key, the largest first: each {key, label, apps, stats, base}; `stats`
 * summarises the calls of the filter, `base` those of the filter without its status (the failure rate a status
 * filter must not change).
 */
function groupSummaries(by, positions, base, errorGroups) {
  let keyOf;
  if (by === 'error_group') {
    const groupOf = new Map();
    for (const g of errorGroups || []) for (const p of g.positions) groupOf.set(p, g.key);
    // The baseline of an error group is every call with that normalised error, whatever its status.
    const baseGroups = base === positions ? null : errorGroupsOf(base);
    for (const g of baseGroups || []) for (const p of g.positions) if (!groupOf.has(p)) groupOf.set(p, g.key);
    keyOf = (p) => groupOf.get(p) ?? null;
  } else if (by === 'type') keyOf = typeOf();
  else {
    const field = { path: 'path', app_name: 'app', image: 'image', status: 'status' }[by] || 'path';
    keyOf = (p) => data.rows[p][field];
  }
  const split = (list) => {
    const parts = new Map();
    for (const p of list) {
      const k = keyOf(p);
      if (k === null) continue;
      let a = parts.get(k);
      if (!a) parts.set(k, (a = []));
      a.push(p);
    }
    return parts;
  };
  const parts = split(positions);
  const baseParts = base === positions ? parts : split(base);
  const keys = [...parts.keys()].sort((a, b) => parts.get(b).length - parts.get(a).length).slice(0, MAX_GROUPS);
  return keys.map((key) => {
    const mine = parts.get(key);
    const apps = by === 'path' ? [...new Set(mine.map((p) => data.rows[p].app))].sort() : [];
    const stats = data.index.summarize(null, Uint32Array.from(mine)).total;
    const theirs = baseParts.get(key);
    const baseStats = theirs === mine ? stats : theirs ? data.index.summarize(null, Uint32Array.from(theirs)).total : stats;
    return { key, apps, stats, base: baseStats };
  });
}

// ---- CSV export ----------------------------------------------------------------------------------------------

const CSV = {
  status: ['status', (r) => r.status],
  id: ['id', (r) => r.id],
  app: ['app_name', (r) => r.app],
  path: ['path', (r) => r.path],
  image: ['image', (r) => r.image],
  method: ['method', (r) => r.method],
  created: ['created_at', (r) => r.createdAt],
  duration: ['duration_ms', (r) => (r.durationMs === null ? '' : String(r.durationMs))],
  memory: ['mem_peak', (r) => (r.peakMem === null ? '' : String(r.peakMem))],
  error: ['error', (r) => r.error],
};

/**
 * One CSV field (RFC 4180): quoted when it holds a comma, quote or line break. Call contents are untrusted, so a
 * text a spreadsheet would run as a formula (=, +, -, @, tab, CR first) is written with a leading apostrophe.
 */
function csvCell(v) {
  let s = String(v ?? '');
  if (/^[=+\-@\t\r]/.test(s) && !/^-?\d+(\.\d+)?$/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

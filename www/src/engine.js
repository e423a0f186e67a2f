// The page's side of the data engine (engine.worker.js): requests as promises, progress as callbacks.

export class Engine {
  constructor() {
    this.worker = new Worker(new URL('./engine.worker.js', import.meta.url), { type: 'module' });
    this.pending = new Map();
    this.nextId = 1;
    this.worker.onmessage = (event) => {
      const { reqId, type } = event.data;
      const req = this.pending.get(reqId);
      if (!req) return;
      if (type === 'progress') req.onProgress?.(event.data);
      else {
        this.pending.delete(reqId);
        if (type === 'result') req.resolve(event.data.result);
        else req.reject(new Error(event.data.message));
      }
    };
    this.worker.onerror = (event) => {
      const err = new Error(event.message || 'the data worker failed to start');
      for (const req of this.pending.values()) req.reject(err);
      this.pending.clear();
    };
  }

  request(op, params = {}, onProgress) {
    const reqId = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(reqId, { resolve, reject, onProgress });
      this.worker.postMessage({ op, reqId, ...params });
    });
  }

  /** source: {kind:'url', url} | {kind:'file', file} | {kind:'text', text, label}: replaces what is loaded. */
  load(source, { onProgress } = {}) {
    return this.request('load', { source }, onProgress);
  }

  /** A server listing, page by page: addPage answers each page's number and next_cursor; finishPages loads them. */
  addPage(text, first) {
    return this.request('addPage', { text, first });
  }

  /** `order`: flat [page, record-in-page] pairs choosing the records and their order; null for all, as they came. */
  finishPages(label, order = null, onProgress, { keepCurrent = false } = {}) {
    return this.request('finishPages', { label, order, keepCurrent }, onProgress);
  }

  /**
   * `callFilter`: the package's CallFilter, or null for every call. `baseFilter`: the same without its status
   * (null: every call; undefined: the filter has no status). `groupBy`: the key of the group summaries.
   */
  query(callFilter, sort, { baseFilter, groupBy } = {}) {
    return this.request('query', { callFilter, baseFilter, sort, groupBy });
  }

  /** Back to what was loaded before the last load. */
  undo() {
    return this.request('undo');
  }

  /** The calls at `positions` as NDJSON (Go's bytes) or CSV of `columns`: a string. */
  export(positions, format, columns = []) {
    return this.request('export', { positions, format, columns });
  }

  /**
   * The call at `pos` as the detail shows it: `{view, call, layout, record, issues, errorGroup, long}`, every text
   * longer than the first preview cut to it and named in `long` ({ref, length}), the rest read with `more`.
   */
  call(pos) {
    return this.request('call', { pos });
  }

  /** The next chunk `{piece, end}` from `at` of a long text of view `view` (its `ref` from `long` or a layout). */
  more(view, ref, at) {
    return this.request('more', { view, ref, at });
  }

  /** The whole call of a view as the Fn server writes it (Go's bytes): a string. */
  stringify(view) {
    return this.request('stringify', { view });
  }

  /** The whole `{app_name, path, errorGroup}` of a view's call. */
  like(view) {
    return this.request('like', { view });
  }

  /** A record by index in the input; `offset` (of an issue) finds the call when the record was not refused. */
  record(index, offset) {
    return this.request('record', { index, offset });
  }
}

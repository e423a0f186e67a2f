// `fn-calls stats`: the package's summary (summarizeCalls: counts by status, error rate, nearest-rank duration and
// queue-wait percentiles, mem_usage / cpu_total peaks and means), computed while streaming so that memory does not
// grow with the input: the CallStream hands out each matching call's Go JSON, and this keeps per call only two
// numbers (its duration and queue wait, for the percentiles; 16 bytes per call, per series) and adds up the rest.
// The numbers are the ones summarizeCalls gives for the same calls (the tests check it); only ties between
// created_at values within the same millisecond may pick a different first/last_created_at.
import { fc } from './lib.mjs';
import { unixMillis, ZERO_MS } from './time.mjs';
import { displayWidth, padStartWidth, visibleInLine } from './text.mjs';

const STATUS_KEYS = ['delayed', 'queued', 'running', 'success', 'error', 'cancelled', 'timeout', ''];

/** A growable list of integers (milliseconds). */
class Values {
  constructor() {
    this.a = new Float64Array(256);
    this.n = 0;
  }

  push(v) {
    if (this.n === this.a.length) {
      const b = new Float64Array(this.a.length * 2);
      b.set(this.a);
      this.a = b;
    }
    this.a[this.n++] = v;
  }

  /** Nearest-rank percentiles: the p-th of n sorted values is the one at rank ⌈p·n/100⌉. */
  finish() {
    const n = this.n;
    if (!n) return null;
    const v = this.a.subarray(0, n).sort();
    const at = (p) => v[Math.max(1, Math.ceil((p * n) / 100)) - 1];
    let sum = 0;
    for (let i = 0; i < n; i++) sum += v[i];
    if (!Number.isSafeInteger(sum)) {
      let big = 0n;
      for (let i = 0; i < n; i++) big += BigInt(v[i]);
      sum = Number(big);
    }
    return { count: n, min: v[0], p50: at(50), p90: at(90), p99: at(99), max: v[n - 1], mean: sum / n };
  }
}

/** Samples of one metric: count, exact peak and exact sum (a number while it is safe, then a bigint). */
class Metric {
  constructor() {
    this.samples = 0;
    this.peak = 0;
    this.lo = 0;
    this.hi = 0n;
  }

  add(v) {
    this.samples += 1;
    if (v > this.peak) this.peak = v;
    this.addSum(v);
  }

  addSum(v) {
    if (typeof v === 'bigint') this.hi += v;
    else if (this.lo + v > Number.MAX_SAFE_INTEGER) {
      this.hi += BigInt(this.lo);
      this.lo = v;
    } else this.lo += v;
  }

  merge(o) {
    this.samples += o.samples;
    if (o.peak > this.peak) this.peak = o.peak;
    this.hi += o.hi;
    this.addSum(o.lo);
  }

  finish() {
    if (!this.samples) return null;
    const sum = this.hi === 0n ? this.lo : Number(this.hi + BigInt(this.lo));
    return { samples: this.samples, peak: BigInt(this.peak), mean: sum / this.samples };
  }
}

/** One series (the total, or one group). */
class Acc {
  constructor() {
    this.count = 0;
    this.byStatus = Object.fromEntries(STATUS_KEYS.map((k) => [k, 0]));
    this.durations = new Values();
    this.waits = new Values();
    this.mem = new Metric();
    this.cpu = new Metric();
    this.first = null;
    this.firstMs = 0;
    this.last = null;
    this.lastMs = 0;
  }

  add(row) {
    this.count += 1;
    this.byStatus[row.status] += 1;
    if (row.duration !== null) this.durations.push(row.duration);
    if (row.wait !== null) this.waits.push(row.wait);
    this.mem.merge(row.mem);
    this.cpu.merge(row.cpu);
    if (row.created !== null) {
      if (this.first === null || row.createdMs < this.firstMs) [this.first, this.firstMs] = [row.created, row.createdMs];
      if (this.last === null || row.createdMs > this.lastMs) [this.last, this.lastMs] = [row.created, row.createdMs];
    }
  }

  finish() {
    const s = this.byStatus;
    const failed = s.error + s.timeout;
    const finished = failed + s.success + s.cancelled;
    return {
      count: this.count,
      by_status: { ...s },
      error_rate: finished > 0 ? failed / finished : null,
      duration_ms: this.durations.finish(),
      queue_wait_ms: this.waits.finish(),
      mem_usage: this.mem.finish(),
      cpu_total: this.cpu.finish(),
      first_created_at: this.first,
      last_created_at: this.last,
    };
  }
}

const GROUP_FIELD = { path: 'path', app: 'app_name', app_name: 'app_name', status: 'status' };

/** The summary, fed with the Go JSON of each call. */
export class StreamingSummary {
  /** @param {'path'|'app'|'status'|undefined} by */
  constructor(by) {
    this.field = by ? GROUP_FIELD[by] : null;
    this.total = new Acc();
    this.groups = new Map();
  }

  /** Adds one call, given as the Go JSON the CallStream hands out. */
  add(record) {
    const c = JSON.parse(record);
    const mem = new Metric();
    const cpu = new Metric();
    let exact = true;
    for (const stat of c.stats ?? []) {
      const m = stat.metrics;
      if (!m) continue;
      if (Object.hasOwn(m, 'mem_usage')) {
        if (!Number.isSafeInteger(m.mem_usage)) exact = false;
        mem.add(m.mem_usage);
      }
      if (Object.hasOwn(m, 'cpu_total')) {
        if (!Number.isSafeInteger(m.cpu_total)) exact = false;
        cpu.add(m.cpu_total);
      }
    }
    if (!exact) this.exactMetrics(record, mem, cpu);
    const ms = (s) => {
      const t = unixMillis(s ?? '');
      return t === ZERO_MS || !Number.isFinite(t) ? null : t;
    };
    const created = ms(c.created_at);
    const started = ms(c.started_at);
    const completed = ms(c.completed_at);
    const row = {
      status: c.status ?? '',
      duration: started !== null && completed !== null ? completed - started : null,
      wait: created !== null && started !== null ? started - created : null,
      mem,
      cpu,
      created: created === null ? null : c.created_at,
      createdMs: created,
    };
    this.total.add(row);
    if (this.field) {
      const key = c[this.field] ?? '';
      let g = this.groups.get(key);
      if (!g) this.groups.set(key, (g = new Acc()));
      g.add(row);
    }
  }

  /** A metric above 2^53 − 1 was rounded by JSON.parse: read the call again with exact bigints. */
  exactMetrics(record, mem, cpu) {
    Object.assign(mem, new Metric());
    Object.assign(cpu, new Metric());
    for (const stat of fc.parseCall(record).stats ?? []) {
      const m = stat.metrics;
      if (!m) continue;
      if (Object.hasOwn(m, 'mem_usage')) mem.add(m.mem_usage);
      if (Object.hasOwn(m, 'cpu_total')) cpu.add(m.cpu_total);
    }
  }

  /** `{ total, groups? }` shaped like summarizeCalls' answer (groups sorted by key, as UTF-8 bytes). */
  finish() {
    const out = { total: this.total.finish() };
    if (this.field) {
      const keys = [...this.groups.keys()].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
      out.groups = keys.map((key) => ({ key, stats: this.groups.get(key).finish() }));
    }
    return out;
  }
}

/** JSON with bigints written as plain integers (exact digits). */
export function toJson(value) {
  const mark = `bigint-${Math.random().toString(36).slice(2)}-`; // a token no string of the input contains
  const text = JSON.stringify(value, (_, v) => (typeof v === 'bigint' ? mark + v : v), 2);
  return text.replace(new RegExp(`"${mark}(\\d+)"`, 'g'), '$1');
}

// ---- the table ----------------------------------------------------------------------------------------------

function ms(v) {
  if (v === null || v === undefined) return '-';
  const a = Math.abs(v);
  if (a < 1000) return `${v}ms`;
  if (a < 60000) return `${(v / 1000).toFixed(1)}s`;
  if (a < 3600000) return `${Math.floor(v / 60000)}m${String(Math.floor((a % 60000) / 1000)).padStart(2, '0')}s`;
  return `${(v / 3600000).toFixed(1)}h`;
}

function bytes(v) {
  if (v === null || v === undefined) return '-';
  const n = Number(v);
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB', 'EiB'];
  let u = 0;
  let x = n;
  while (x >= 1024 && u < units.length - 1) {
    x /= 1024;
    u++;
  }
  return u === 0 ? `${n}B` : `${x.toFixed(1)}${units[u]}`;
}

const HEADERS = ['CALLS', 'SUCCESS', 'ERROR', 'TIMEOUT', 'OTHER', 'ERR RATE', 'P50', 'P90', 'P99', 'MAX', 'WAIT P50', 'MEM PEAK', 'CPU MEAN'];

function row(key, s) {
  const b = s.by_status;
  const other = s.count - b.success - b.error - b.timeout;
  const d = s.duration_ms;
  return [
    key,
    String(s.count),
    String(b.success),
    String(b.error),
    String(b.timeout),
    String(other),
    s.error_rate === null ? '-' : `${(s.error_rate * 100).toFixed(1)}%`,
    ms(d?.p50),
    ms(d?.p90),
    ms(d?.p99),
    ms(d?.max),
    ms(s.queue_wait_ms?.p50),
    bytes(s.mem_usage?.peak),
    s.cpu_total ? `${s.cpu_total.mean.toFixed(1)}%` : '-',
  ];
}

/** The summary as a table for people: one row per group, then the total. */
export function toTable(summary, by, input) {
  const t = summary.total;
  const lines = [];
  let head = `${t.count} calls`;
  if (input.skipped) head += ` (${input.skipped} records with errors left out)`;
  if (t.first_created_at) head += `, created ${t.first_created_at} … ${t.last_created_at}`;
  lines.push(head, '');
  const keyHeader = by ? { path: 'PATH', app: 'APP', status: 'STATUS' }[by] : '';
  const rows = [[keyHeader, ...HEADERS]];
  for (const g of summary.groups ?? []) rows.push(row(g.key === '' ? '""' : visibleInLine(g.key), g.stats));
  rows.push(row('total', t));
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => displayWidth(r[i]))));
  for (const r of rows) {
    lines.push(
      r
        .map((v, i) => (i === 0 ? v + ' '.repeat(widths[0] - displayWidth(v)) : padStartWidth(v, widths[i])))
        .join('  ')
        .trimEnd(),
    );
  }
  lines.push('', 'durations: completed_at − started_at; wait: started_at − created_at; percentiles are nearest-rank');
  return lines.join('\n') + '\n';
}

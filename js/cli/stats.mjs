// `fn-calls stats`: presentation only. The numbers are the package's: the CallStream's `summary` option summarises
// the matches as they stream by, exactly as summarizeCalls would (counts by status, error rate, nearest-rank duration
// and queue-wait percentiles, mem_usage / cpu_total peaks and means, per path, app or status with --by). This file
// writes that summary as JSON or as a table.
import { displayWidth, padStartWidth, visibleInLine } from './text.mjs';

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

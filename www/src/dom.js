// DOM building without HTML strings. Call data is untrusted: every piece of it reaches the page through
// textContent or a text node, never through innerHTML, so `<img onerror=…>` in an error text stays text.

/**
 * h('div', {class: 'x', onclick: fn, dataset: {k: 'v'}, title: 't'}, child, 'text', [more]) → HTMLElement.
 * Strings become text nodes; null/undefined/false children are skipped.
 */
export function h(tag, props, ...children) {
  const el = document.createElement(tag);
  if (props) {
    for (const [key, value] of Object.entries(props)) {
      if (value === undefined || value === null || value === false) continue;
      if (key === 'class') el.className = value;
      else if (key === 'dataset') Object.assign(el.dataset, value);
      else if (key === 'text') el.textContent = value;
      else if (key.startsWith('on') && typeof value === 'function') el.addEventListener(key.slice(2), value);
      else if (key in el && typeof value !== 'string') el[key] = value;
      else el.setAttribute(key, value === true ? '' : String(value));
    }
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children) {
    if (child === undefined || child === null || child === false) continue;
    if (Array.isArray(child)) append(el, child);
    else if (child instanceof Node) el.appendChild(child);
    else el.appendChild(document.createTextNode(String(child)));
  }
}

/** Replaces an element's children. */
export function replace(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

export const $ = (selector, root = document) => root.querySelector(selector);
export const $$ = (selector, root = document) => Array.from(root.querySelectorAll(selector));

const numberFormat = new Intl.NumberFormat('en-US');
export const fmtInt = (n) => (n === null || n === undefined || Number.isNaN(n) ? '–' : numberFormat.format(n));

/** 3 ms, 420 ms, 1.42 s, 2 min 05 s. */
export function fmtDuration(ms) {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '–';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60000) return `${(ms / 1000).toFixed(ms < 10000 ? 2 : 1)} s`;
  const min = Math.floor(ms / 60000);
  const s = Math.round((ms % 60000) / 1000);
  return `${min} min ${String(s).padStart(2, '0')} s`;
}

/** A span of time for labels: 5 s, 30 min, 2 h, 1 day. */
export function fmtSpan(ms) {
  const s = ms / 1000;
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${s / 60} min`;
  if (s < 86400) return `${s / 3600} h`;
  return `${s / 86400} day${s === 86400 ? '' : 's'}`;
}

/** Bytes as KB/MB/GB (binary units, as Docker reports them). */
export function fmtBytes(bytes) {
  if (bytes === null || bytes === undefined || !Number.isFinite(bytes)) return '–';
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB', 'EiB'];
  let i = 0;
  while (bytes >= 1024 && i < units.length - 1) {
    bytes /= 1024;
    i++;
  }
  return `${bytes < 10 && i ? bytes.toFixed(1) : Math.round(bytes)} ${units[i]}`;
}

export function fmtPercent(x) {
  if (!Number.isFinite(x)) return '–';
  if (x > 0 && x < 0.001) return '<0.1%';
  return `${(x * 100).toFixed(x < 0.1 ? 1 : 0)}%`;
}

/** A Unix-ms time as "Jun 12, 17:59:55" in UTC (call times are shown in UTC, the zone of the ids). */
export function fmtTime(ms, withDate = true) {
  if (!Number.isFinite(ms)) return '–';
  const d = new Date(ms);
  const pad = (n) => String(n).padStart(2, '0');
  const time = `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
  if (!withDate) return time;
  const month = d.toLocaleString('en-US', { month: 'short', timeZone: 'UTC' });
  return `${d.getUTCFullYear()} ${month} ${d.getUTCDate()}, ${time}`;
}

export function debounce(fn, ms) {
  let timer;
  return (...args) => {
    clearTimeout(timer);
    timer = setTimeout(() => fn(...args), ms);
  };
}

/** A status badge: the colour comes from the status class, the text is the status itself. */
export function statusBadge(status) {
  const known = ['success', 'error', 'timeout', 'cancelled', 'running', 'queued', 'delayed'].includes(status);
  return h('span', { class: `badge status-${known ? status : 'unknown'}`, text: status === '' ? '(empty)' : status });
}

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

/** 3 ms, 420 ms, 1.42 s, 2 min 05 s. Rounds first, so 59.97 s reads "1 min 00 s", never "60.0 s" or "1 min 60 s". */
export function fmtDuration(ms) {
  if (!Number.isFinite(ms)) return '–'; // null, undefined, NaN, ±Infinity
  if (Math.round(ms) < 1000) return `${Math.round(ms)} ms`;
  if (ms < 9995) return `${(ms / 1000).toFixed(2)} s`;
  if (ms < 59950) return `${(ms / 1000).toFixed(1)} s`;
  const s = Math.round(ms / 1000);
  return `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, '0')} s`;
}

/** A span of time for labels: 5 s, 30 min, 2 h, 1 day. */
export function fmtSpan(ms) {
  const s = ms / 1000;
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${s / 60} min`;
  if (s < 86400) return `${s / 3600} h`;
  return `${s / 86400} day${s === 86400 ? '' : 's'}`;
}

/** Bytes as KiB/MiB/GiB (binary units, as Docker reports them). Rounds first, so 1,048,575 bytes read "1.0 MiB". */
export function fmtBytes(bytes) {
  if (!Number.isFinite(bytes)) return '–'; // null, undefined, NaN, ±Infinity
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB', 'EiB'];
  let i = 0;
  while (bytes >= 1024 && i < units.length - 1) {
    bytes /= 1024;
    i++;
  }
  const text = bytes < 10 && i ? bytes.toFixed(1) : String(Math.round(bytes));
  if (text === '1024' && i < units.length - 1) return `1.0 ${units[i + 1]}`;
  return `${text} ${units[i]}`;
}

export function fmtPercent(x) {
  if (!Number.isFinite(x)) return '–';
  if (x > 0 && x < 0.001) return '<0.1%';
  return `${(x * 100).toFixed(x < 0.1 ? 1 : 0)}%`;
}

// ---- time zone: every time on the page follows one choice, UTC (the zone of call ids) or the browser's own ----

let zone = 'utc';
const zoneListeners = new Set();

/** 'utc' or 'local'. */
export const getZone = () => zone;
export function setZone(next) {
  const z = next === 'local' ? 'local' : 'utc';
  if (z === zone) return;
  zone = z;
  for (const fn of zoneListeners) fn(zone);
}
export const onZone = (fn) => zoneListeners.add(fn);

const pad = (n, w = 2) => String(n).padStart(w, '0');

/** The parts of a Unix-ms time in the chosen zone. */
export function timeParts(ms) {
  const d = new Date(ms);
  return zone === 'utc'
    ? { y: d.getUTCFullYear(), mo: d.getUTCMonth(), d: d.getUTCDate(), h: d.getUTCHours(), mi: d.getUTCMinutes(), s: d.getUTCSeconds(), ms: d.getUTCMilliseconds() }
    : { y: d.getFullYear(), mo: d.getMonth(), d: d.getDate(), h: d.getHours(), mi: d.getMinutes(), s: d.getSeconds(), ms: d.getMilliseconds() };
}

/** "UTC" or the browser zone's offset, as "UTC+09:00". */
export function zoneLabel(ms = Date.now()) {
  if (zone === 'utc') return 'UTC';
  const off = -new Date(ms).getTimezoneOffset();
  return `UTC${off < 0 ? '-' : '+'}${pad(Math.floor(Math.abs(off) / 60))}:${pad(Math.abs(off) % 60)}`;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** A Unix-ms time as "2018 Jun 12, 17:59:55", 24-hour, in the chosen zone. */
export function fmtTime(ms, withDate = true) {
  if (!Number.isFinite(ms)) return '–';
  const p = timeParts(ms);
  const time = `${pad(p.h)}:${pad(p.mi)}:${pad(p.s)}`;
  if (!withDate) return time;
  return `${p.y} ${MONTHS[p.mo]} ${p.d}, ${time}`;
}

/** "2018-06-12 17:59:55" (24-hour, the chosen zone): what the time fields show and accept. */
export function fmtInputTime(ms) {
  if (!Number.isFinite(ms)) return '';
  const p = timeParts(ms);
  const frac = p.ms ? `.${pad(p.ms, 3)}` : '';
  return `${p.y}-${pad(p.mo + 1)}-${pad(p.d)} ${pad(p.h)}:${pad(p.mi)}:${pad(p.s)}${frac}`;
}

/**
 * Reads "2018-06-12 17:59", "2018-06-12T17:59:55.250" or a date alone in the chosen zone; a text with its own
 * offset (Z, +03:00) keeps it. Returns Unix ms, or NaN for anything else, a date that does not exist (February 30)
 * included: it is never moved to another day.
 */
export function parseInputTime(text) {
  const t = String(text ?? '').trim();
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/i.exec(t);
  if (!m) return NaN;
  const [, y, mo, d, hh = '0', mi = '0', ss = '0', frac = '0', off] = m;
  const [year, month, day, h, min, sec] = [y, mo, d, hh, mi, ss].map(Number);
  const ms = Math.floor(Number(`0.${frac}`) * 1000);
  // Days in the month: day 0 of the next month is its last day (setUTCFullYear, unlike Date.UTC, keeps years 0–99).
  const last = new Date(0);
  last.setUTCFullYear(year, month, 0);
  if (month < 1 || month > 12 || day < 1 || day > last.getUTCDate() || h > 23 || min > 59 || sec > 59) return NaN;
  const at = new Date(0);
  let minutes = 0;
  if (off) {
    // Z has no digits: an offset of 0.
    const digits = off.slice(1).replace(':', '');
    const [oh, om] = [Number(digits.slice(0, 2)), Number(digits.slice(2))];
    if (oh > 23 || om > 59) return NaN;
    minutes = (off[0] === '-' ? -1 : 1) * (oh * 60 + om);
  }
  if (off || zone === 'utc') {
    at.setUTCFullYear(year, month - 1, day);
    at.setUTCHours(h, min, sec, ms);
    return at.getTime() - minutes * 60000;
  }
  at.setFullYear(year, month - 1, day);
  at.setHours(h, min, sec, ms);
  return at.getTime();
}

/** Unix ms as RFC 3339 in UTC with milliseconds: what created_since / created_before carry. */
export const toRfc3339 = (ms) => new Date(ms).toISOString();

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

// ---- Big strings -----------------------------------------------------------------------------------------------
// A call's text can be megabytes (a 50 MB error): laying it out in one piece blocks the page for seconds. Texts are
// shown clipped, with a button that reveals more a chunk at a time, so no click lays out more than a chunk.

/** Characters of a long text shown at first. */
export const CLIP_CHARS = 2000;
/** Characters each "Show more" adds. */
export const CLIP_CHUNK = 100000;

/** `n`, moved back by one when it would split a surrogate pair of `text`. */
function cutAt(text, n) {
  if (n >= text.length) return text.length;
  const c = text.charCodeAt(n - 1);
  return c >= 0xd800 && c <= 0xdbff ? n - 1 : n;
}

/** A one-line preview of `text` (a table cell, a title): at most `max` characters, `…` when cut. */
export function preview(text, max = 300) {
  const s = text ?? '';
  return s.length > max ? `${s.slice(0, cutAt(s, max))}…` : s;
}

/**
 * The control after a clipped text: "… Show more (2,000 of 10,485,760 characters shown)". `text` is the whole text, or
 * `{length, read(at) → Promise<{piece, end}>}` when the whole text stays elsewhere (the data worker holds a call's
 * long strings: the page never receives them whole). Each click hands the next chunk (from `shown`) to `add(piece)`;
 * the control removes itself when everything is shown.
 */
export function moreControl(text, shown, add) {
  const source = typeof text === 'string' ? localSource(text) : text;
  let at = shown;
  const status = () => `(${fmtInt(at)} of ${fmtInt(source.length)} characters shown)`;
  const button = h('button', { type: 'button', class: 'btn-link clip-more' }, 'Show more ', h('span', { class: 'clip-count', text: status() }));
  const node = h('span', { class: 'clip' }, h('span', { class: 'dim', 'aria-hidden': 'true', text: '… ' }), button);
  button.addEventListener('click', async (e) => {
    e.stopPropagation();
    if (button.getAttribute('aria-busy') === 'true') return;
    button.setAttribute('aria-busy', 'true');
    try {
      const { piece, end } = await source.read(at);
      add(piece);
      at = end;
      if (at >= source.length) node.remove();
      else button.lastChild.textContent = status();
    } catch (err) {
      button.lastChild.textContent = `(could not read more: ${err?.message || err})`;
    } finally {
      button.removeAttribute('aria-busy');
    }
  });
  return node;
}

/** A text held here, read a chunk at a time. */
function localSource(text) {
  return {
    length: text.length,
    read: (at) => chunkOf(text, at),
  };
}

/**
 * `text` as a node: whole when short, else its first `limit` characters and a `moreControl`. `remote`
 * ({length, read}) says that `text` is already the beginning of a longer text held elsewhere.
 */
export function clippedText(text, limit = CLIP_CHARS, remote = null) {
  if (!remote && text.length <= limit) return document.createTextNode(text);
  const shown = cutAt(text, limit);
  const body = h('span', { class: 'clip-text', text: text.slice(0, shown) });
  return h('span', { class: 'clipped' }, body, moreControl(remote || text, shown, (piece) => body.appendChild(document.createTextNode(piece))));
}

/** The chunk of `text` from `at` that "Show more" adds: CLIP_CHUNK characters, never half a surrogate pair. */
export function chunkOf(text, at) {
  const end = cutAt(text, at + CLIP_CHUNK);
  return { piece: text.slice(at, end), end };
}

/** `text` cut to `limit` characters (never half a surrogate pair): what is sent of it at first. */
export const clipTo = (text, limit = CLIP_CHARS) => text.slice(0, cutAt(text, limit));

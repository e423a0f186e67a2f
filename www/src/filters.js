// The filter panel and the page URL that keeps it. The filter is the package's CallFilter: the server's listing
// query (docs/filtering.md: app_name, path, from_time, to_time, cursor, per_page) plus the extensions (status, error
// text, type, format, image, method, duration, created since/before). The URL carries the server's part exactly as
// the package writes it for GET /v1/apps/{app}/calls (filterToQuery) and the rest under the extensions' own names,
// so a shared link opens the same view.

import { h, replace, debounce, fmtInt, statusBadge, fmtInputTime, parseInputTime, toRfc3339, zoneLabel, onZone } from './dom.js';
import { fc, STATUS_ORDER } from './fncalls.js';

export const EMPTY_FILTER = Object.freeze({
  app_name: '',
  path: '',
  from_time: '',
  to_time: '',
  cursor: '',
  per_page: '',
  status: [],
  error: '',
  error_contains: '',
  error_pattern: '',
  type: '',
  format: '',
  image: '',
  method: '',
  min_duration_ms: '',
  max_duration_ms: '',
  created_since: '',
  created_before: '',
  // The page's own keys, resolved before the filter reaches the package (pageToCore): a relative range and what
  // it counts back from, exact-case error text, and an error group (the core's error_group when it has one).
  range: '',
  anchor: '',
  match_case: '',
  error_group: '',
});

/** Relative ranges: key → milliseconds. */
export const RANGES = [
  ['15m', '15 min', 15 * 60000],
  ['1h', '1 h', 3600000],
  ['6h', '6 h', 6 * 3600000],
  ['24h', '24 h', 86400000],
  ['7d', '7 d', 7 * 86400000],
];
export const rangeMs = (key) => RANGES.find(([k]) => k === key)?.[2] ?? 0;

const SERVER_KEYS = ['path', 'from_time', 'to_time', 'cursor', 'per_page'];
const EXTENSION_KEYS = ['error', 'error_contains', 'error_pattern', 'type', 'format', 'image', 'method', 'min_duration_ms', 'max_duration_ms', 'created_since', 'created_before', 'range', 'anchor', 'match_case', 'error_group'];
const PAGE_KEYS = new Set(['range', 'anchor', 'match_case', 'error_group']);

let coreFields = null;
/** Whether the package's CallFilter has a field (older builds lack error_ignore_case and error_group). */
export const coreHas = (field) => (coreFields ??= new Set(fc.filterFields())).has(field);
const NUMERIC = new Set(['from_time', 'to_time', 'per_page', 'min_duration_ms', 'max_duration_ms']);

/** The filter's set fields (numbers as numbers), page keys included. */
function setFields(filter) {
  const out = {};
  for (const [k, v] of Object.entries(filter)) {
    if (v === '' || v === undefined || v === null || (Array.isArray(v) && !v.length)) continue;
    if (k === 'anchor' || k === 'match_case') continue; // say nothing alone
    out[k] = NUMERIC.has(k) ? Number(v) : v;
  }
  return out;
}

/**
 * What a relative range counts back from: the newest loaded call, or now. `newestMs` is the newest call's
 * created_at; without an anchor, a server's calls count from now and a file's from its newest call.
 */
export function rangeWindow(filter, { newestMs, live }) {
  const span = rangeMs(filter.range);
  if (!span) return null;
  const anchor = filter.anchor || (live ? 'now' : 'newest');
  const end = anchor === 'now' || !Number.isFinite(newestMs) ? Date.now() : newestMs + 1;
  return { start: end - span, end, anchor };
}

/**
 * The package's CallFilter for the page's filter. Without a cursor or a page size the page lists every match
 * (`all`); with them it pages exactly as the server does. A relative range becomes created_since (and, counted
 * from the newest call, created_before just past it); error text is matched ignoring case unless match_case is
 * set, where the package can (error_ignore_case).
 */
export function toCallFilter(filter, ctx = {}) {
  const out = setFields(filter);
  for (const k of PAGE_KEYS) delete out[k];
  const win = rangeWindow(filter, ctx);
  if (win) {
    out.created_since = new Date(win.start).toISOString();
    if (win.anchor === 'newest') out.created_before = new Date(win.end).toISOString();
  }
  if ((out.error_contains || out.error_pattern || out.error) && !filter.match_case && coreHas('error_ignore_case')) out.error_ignore_case = true;
  if (filter.error_group && coreHas('error_group')) out.error_group = filter.error_group;
  if (out.per_page === undefined && out.cursor === undefined) out.all = true;
  return out;
}

/** The filter without its status (and paging): the baseline that status chips and per-group rates are read from. */
export function withoutStatus(filter) {
  return { ...filter, status: [], per_page: '', cursor: '' };
}

export function isEmpty(filter) {
  return Object.keys(setFields(filter)).length === 0;
}

/** Issues of the filter (validateFilter): errors stop it from being applied; warnings are shown beside it. */
export function filterIssues(filter, ctx) {
  try {
    return fc.validateFilter(toCallFilter(filter, ctx));
  } catch (e) {
    return [{ severity: 'error', code: 'bad_filter', path: '', message: e.message }];
  }
}

/** The page's query string (without `?`). */
export function filterToQuery(filter) {
  const params = new URLSearchParams();
  if (filter.app_name) params.set('app_name', filter.app_name);
  const server = {};
  for (const k of SERVER_KEYS) if (filter[k] !== '') server[k] = NUMERIC.has(k) ? Number(filter[k]) : filter[k];
  try {
    for (const [k, v] of new URLSearchParams(fc.filterToQuery(server))) params.append(k, v);
  } catch {
    for (const [k, v] of Object.entries(server)) params.set(k, v); // a filter with errors still belongs in the URL
  }
  if (filter.status.length) params.set('status', filter.status.join(','));
  for (const k of EXTENSION_KEYS) if (filter[k] !== '') params.set(k, filter[k]);
  return params.toString();
}

/** Reads the filter back from a query string (filterFromQuery for the server's part). Returns {filter, issues}. */
export function filterFromQuery(search) {
  const params = new URLSearchParams(search);
  const filter = { ...EMPTY_FILTER, status: [] };
  const server = new URLSearchParams();
  for (const k of SERVER_KEYS) for (const v of params.getAll(k)) server.append(k, v);
  const read = fc.filterFromQuery(server.toString());
  for (const k of SERVER_KEYS) {
    // The server's per_page default (30) only applies when the query asks for pages; a value the server would
    // refuse (from_time=abc) is left out and reported.
    const v = read.filter[k];
    if (params.has(k) && v !== undefined && v !== null) filter[k] = String(v);
  }
  filter.app_name = params.get('app_name') || '';
  const status = params.get('status');
  if (status !== null) filter.status = status.split(',');
  for (const k of EXTENSION_KEYS) if (params.has(k)) filter[k] = params.get(k);
  return { filter, issues: read.issues.filter((i) => i.code !== 'ignored_parameter') };
}

/** Keeps the filter (and the other view state given) in the address bar without adding history entries. */
export function writeUrl(filter, extra = {}) {
  const params = new URLSearchParams(filterToQuery(filter));
  for (const [k, v] of Object.entries(extra)) if (v) params.set(k, v);
  const query = params.toString();
  const url = `${location.pathname}${query ? `?${query}` : ''}${location.hash}`;
  if (url !== `${location.pathname}${location.search}${location.hash}`) history.replaceState(null, '', url);
}

// from_time / to_time are Unix seconds, created_since / created_before RFC 3339: the fields show both as 24-hour
// date-times in the page's zone (UTC or local, the top bar's choice) and read them back in it.
function secondsToInput(s) {
  if (s === '' || s === undefined || !Number.isFinite(Number(s))) return '';
  return fmtInputTime(Number(s) * 1000);
}

function inputToSeconds(v) {
  const ms = parseInputTime(v);
  return Number.isFinite(ms) ? String(Math.floor(ms / 1000)) : v.trim() ? null : '';
}

function rfcToInput(v) {
  if (!v) return '';
  const ms = Date.parse(v);
  return Number.isFinite(ms) ? fmtInputTime(ms) : v;
}

function inputToRfc(v) {
  const ms = parseInputTime(v);
  return Number.isFinite(ms) ? toRfc3339(ms) : v.trim() ? null : '';
}

const ERROR_MODES = [
  ['error_contains', 'contains'],
  ['error', 'is exactly'],
  ['error_pattern', 'matches glob'],
];

/**
 * Builds the panel in `root`. `onChange(filter)` fires after each edit (text fields debounced); `onZoomOut()` when
 * the time section's Zoom out is pressed. Returns {set(filter), setOptions({apps, paths, images, methods}),
 * setCounts(statusCounts), setZoom({canZoomOut, window}), showIssues(issues)}.
 */
export function createFilterPanel(root, { onChange, onZoomOut }) {
  let filter = { ...EMPTY_FILTER, status: [] };
  let options = { apps: [], paths: [], images: [], methods: [] };
  let statusCounts = {};
  let errorMode = 'error_contains';
  let win = null;

  const input = (id, props) => h('input', { id, autocomplete: 'off', spellcheck: 'false', ...props });
  const select = (id, choices, props = {}) => h('select', { id, ...props }, choices.map(([v, label]) => h('option', { value: v, text: label })));
  const timeInput = (id, label) => input(id, { type: 'text', inputmode: 'numeric', placeholder: 'YYYY-MM-DD HH:MM:SS', 'aria-describedby': 'f-zone-note', title: label });

  const el = {
    app_name: h('select', { id: 'f-app' }),
    path: input('f-path', { type: 'text', placeholder: 'any path', list: 'f-path-list' }),
    from_time: timeInput('f-from', 'Created after (server query)'),
    to_time: timeInput('f-to', 'Created before (server query)'),
    cursor: input('f-cursor', { type: 'text', placeholder: 'call id' }),
    per_page: input('f-per-page', { type: 'number', min: '1', placeholder: 'all' }),
    errorText: input('f-error', { type: 'search', placeholder: 'e.g. exit code' }),
    errorMode: select('f-error-mode', ERROR_MODES, { 'aria-label': 'How the error text matches' }),
    matchCase: h('input', { type: 'checkbox', id: 'f-match-case' }),
    type: select('f-type', [['', 'any'], ['sync', 'sync'], ['async', 'async']]),
    format: select('f-format', [['', 'any'], ['default', 'default'], ['http', 'http'], ['json', 'json']]),
    image: input('f-image', { type: 'text', placeholder: 'any image', list: 'f-image-list' }),
    method: input('f-method', { type: 'text', placeholder: 'any', list: 'f-method-list' }),
    min_duration_ms: input('f-min-duration', { type: 'number', min: '0', placeholder: 'ms' }),
    max_duration_ms: input('f-max-duration', { type: 'number', min: '0', placeholder: 'ms' }),
    created_since: timeInput('f-since', 'Created at or after'),
    created_before: timeInput('f-before', 'Created before'),
  };
  const lists = {
    path: h('datalist', { id: 'f-path-list' }),
    image: h('datalist', { id: 'f-image-list' }),
    method: h('datalist', { id: 'f-method-list' }),
  };
  const chips = h('div', { class: 'status-chips', role: 'group', 'aria-label': 'Status' });
  const ranges = h('div', { class: 'range-chips', role: 'group', 'aria-label': 'Relative time range' });
  const anchor = select('f-anchor', [['', 'auto'], ['newest', 'the newest call'], ['now', 'now']], { 'aria-label': 'Count the range back from' });
  const zoomOut = h('button', { type: 'button', class: 'btn btn-small', id: 'f-zoom-out', onclick: () => onZoomOut?.() }, 'Zoom out');
  const windowNote = h('p', { class: 'field-note', id: 'f-window', 'aria-live': 'polite' });
  const groupBox = h('div', { class: 'group-filter', id: 'f-group-box' });
  const issuesBox = h('div', { class: 'filter-issues', 'aria-live': 'polite' });
  const zoneNote = h('span', { class: 'visually-hidden', id: 'f-zone-note' });

  const emit = () => onChange(panel.get());
  const emitSoon = debounce(emit, 250);
  const bind = (key, event, read, soon) =>
    el[key].addEventListener(event, () => {
      const v = read(el[key].value);
      el[key].setAttribute('aria-invalid', String(v === null));
      filter[key] = v ?? '';
      if (key === 'app_name') fillLists();
      if (key === 'created_since' || key === 'created_before') {
        filter.range = ''; // typed times replace a relative range
        fillRanges();
      }
      (soon ? emitSoon : emit)();
    });
  const trim = (v) => v.trim();
  bind('app_name', 'change', (v) => v);
  bind('path', 'input', trim, true);
  bind('from_time', 'change', inputToSeconds);
  bind('to_time', 'change', inputToSeconds);
  bind('cursor', 'input', trim, true);
  bind('per_page', 'input', trim, true);
  bind('type', 'change', (v) => v);
  bind('format', 'change', (v) => v);
  bind('image', 'input', trim, true);
  bind('method', 'input', trim, true);
  bind('min_duration_ms', 'input', trim, true);
  bind('max_duration_ms', 'input', trim, true);
  bind('created_since', 'change', inputToRfc);
  bind('created_before', 'change', inputToRfc);
  const setErrorText = () => {
    for (const [k] of ERROR_MODES) filter[k] = '';
    filter[errorMode] = el.errorText.value;
  };
  el.errorText.addEventListener('input', () => (setErrorText(), emitSoon()));
  el.errorMode.addEventListener('change', () => {
    errorMode = el.errorMode.value;
    setErrorText();
    emit();
  });
  el.matchCase.addEventListener('change', () => {
    filter.match_case = el.matchCase.checked ? '1' : '';
    emit();
  });
  anchor.addEventListener('change', () => {
    filter.anchor = anchor.value;
    emit();
  });

  const copyButton = h('button', { type: 'button', class: 'btn btn-small', id: 'f-copy' }, 'Copy link');
  copyButton.addEventListener('click', async () => {
    try {
      await navigator.clipboard.writeText(location.href);
      copyButton.textContent = 'Copied';
    } catch {
      copyButton.textContent = 'Link is in the address bar';
    }
    setTimeout(() => (copyButton.textContent = 'Copy link'), 1500);
  });

  const field = (label, control, ...extra) => h('label', { class: 'field' }, label, control, ...extra);
  const zoneText = () => zoneLabel();
  const timeLabel = (text) => h('span', null, text, ' ', h('span', { class: 'zone-tag', text: `(${zoneText()})` }));
  // On narrow screens the panel starts folded (style.css only folds it there).
  const toggle = h('button', { type: 'button', class: 'btn btn-small filters-toggle', id: 'f-toggle', 'aria-expanded': 'false', 'aria-controls': 'filters-body' }, 'Show');
  root.classList.add('collapsed');
  toggle.addEventListener('click', () => {
    const open = root.classList.toggle('collapsed') === false;
    toggle.setAttribute('aria-expanded', String(open));
    toggle.textContent = open ? 'Hide' : 'Show';
  });

  function build() {
    replace(
      root,
      h('div', { class: 'filters-title' }, h('h2', { text: 'Filter' }), h('span', { class: 'muted', id: 'f-summary' }), toggle),
      issuesBox,
      zoneNote,
      h(
        'div',
        { class: 'filters-body', id: 'filters-body' },
        h(
          'div',
          null,
          h('h3', { text: 'Time' }),
          ranges,
          h('label', { class: 'field field-inline' }, 'Counted back from', anchor),
          h('div', { class: 'field-row' }, field(timeLabel('Since'), el.created_since), field(timeLabel('Before'), el.created_before)),
          h('div', { class: 'zoom-row' }, zoomOut, windowNote),
        ),
        h(
          'div',
          null,
          h('h3', { text: 'Server query' }),
          field('App', el.app_name),
          field('Path (exact)', el.path, lists.path),
          field(timeLabel('Created after'), el.from_time),
          field(timeLabel('Created before'), el.to_time),
          h('div', { class: 'field-row' }, field('Cursor', el.cursor), field('Per page', el.per_page)),
        ),
        h(
          'div',
          null,
          h('h3', { text: 'Extensions' }),
          h('div', { class: 'field' }, h('span', { id: 'f-status-label', text: 'Status' }), chips),
          h(
            'div',
            { class: 'field' },
            h('span', { class: 'field-label-row' }, h('label', { for: 'f-error', text: 'Error text' }), el.errorMode),
            el.errorText,
            h('label', { class: 'check' }, el.matchCase, 'Match case'),
          ),
          groupBox,
          h('div', { class: 'field-row' }, field('Type', el.type), field('Format', el.format)),
          h('div', { class: 'field-row' }, field('Image', el.image, lists.image), field('Method', el.method, lists.method)),
          h('div', { class: 'field-row' }, field('Min duration', el.min_duration_ms), field('Max duration', el.max_duration_ms)),
        ),
      ),
      h(
        'div',
        { class: 'filter-actions' },
        h('button', { type: 'button', class: 'btn btn-small', id: 'f-reset', onclick: () => (panel.set(EMPTY_FILTER), emit()) }, 'Reset'),
        copyButton,
      ),
      h('p', {
        class: 'filter-note',
        text:
          'Server times are exclusive, in whole seconds. Cursor and per page page the list newest first, like ' +
          'GET /v1/apps/{app}/calls; without them every match is shown. Error text ignores case unless Match case ' +
          'is ticked. The address bar keeps the filter: share it to share this view.',
      }),
    );
    zoneNote.textContent = `Times are read and shown in ${zoneText()}, 24-hour.`;
  }
  build();
  onZone(() => {
    build();
    panel.set(filter);
  });

  function fillLists() {
    const paths = options.paths.filter((p) => !filter.app_name || p.app === filter.app_name);
    replace(lists.path, [...new Set(paths.map((p) => p.path))].sort().map((p) => h('option', { value: p })));
    replace(lists.image, options.images.map((v) => h('option', { value: v })));
    replace(lists.method, options.methods.map((v) => h('option', { value: v })));
    const apps = [...options.apps];
    if (filter.app_name && !apps.includes(filter.app_name)) apps.push(filter.app_name);
    replace(el.app_name, h('option', { value: '', text: 'All apps' }), apps.sort().map((a) => h('option', { value: a, text: a })));
    el.app_name.value = filter.app_name;
  }

  function fillChips() {
    const statuses = [...STATUS_ORDER];
    for (const s of [...Object.keys(statusCounts), ...filter.status]) if (!statuses.includes(s)) statuses.push(s);
    replace(
      chips,
      statuses.map((s) => {
        const pressed = filter.status.includes(s);
        const n = statusCounts[s] || 0;
        return h(
          'button',
          {
            type: 'button',
            class: 'chip',
            'aria-pressed': String(pressed),
            dataset: { status: s },
            onclick: () => {
              filter.status = pressed ? filter.status.filter((x) => x !== s) : [...filter.status, s];
              fillChips();
              emit();
            },
          },
          h('span', { class: `dot ${statusBadge(s).className.split(' ')[1]}` }),
          s === '' ? '(empty)' : s,
          h('span', { class: 'count', text: fmtInt(n) }),
        );
      }),
    );
  }

  function fillRanges() {
    replace(
      ranges,
      [...RANGES, ['', 'All', 0]].map(([k, label]) =>
        h(
          'button',
          {
            type: 'button',
            class: 'chip range-chip',
            'aria-pressed': String(filter.range === k && (k !== '' || (!filter.created_since && !filter.created_before))),
            dataset: { range: k || 'all' },
            onclick: () => {
              filter.range = k;
              filter.created_since = '';
              filter.created_before = '';
              panel.set(filter);
              emit();
            },
          },
          label,
        ),
      ),
    );
  }

  function fillGroup() {
    replace(
      groupBox,
      filter.error_group
        ? h(
            'div',
            { class: 'field' },
            'Error group',
            h(
              'span',
              { class: 'group-chip' },
              h('code', { id: 'f-group', text: filter.error_group }),
              h('button', { type: 'button', class: 'btn-link', id: 'f-group-clear', 'aria-label': 'Clear the error group', onclick: () => ((filter.error_group = ''), fillGroup(), emit()) }, 'clear'),
            ),
          )
        : null,
    );
  }

  const panel = {
    set(next) {
      filter = { ...EMPTY_FILTER, ...next, status: [...(next.status || [])] };
      errorMode = ERROR_MODES.find(([k]) => filter[k])?.[0] || errorMode;
      fillLists();
      fillChips();
      fillRanges();
      fillGroup();
      for (const k of ['path', 'cursor', 'per_page', 'type', 'format', 'image', 'method', 'min_duration_ms', 'max_duration_ms']) {
        el[k].value = filter[k];
      }
      el.from_time.value = secondsToInput(filter.from_time);
      el.to_time.value = secondsToInput(filter.to_time);
      el.created_since.value = filter.range ? '' : rfcToInput(filter.created_since);
      el.created_before.value = filter.range ? '' : rfcToInput(filter.created_before);
      el.created_since.placeholder = filter.range ? `last ${RANGES.find(([k]) => k === filter.range)?.[1] ?? filter.range}` : 'YYYY-MM-DD HH:MM:SS';
      for (const k of ['from_time', 'to_time', 'created_since', 'created_before']) el[k].removeAttribute('aria-invalid');
      el.errorMode.value = errorMode;
      el.errorText.value = filter[errorMode];
      el.matchCase.checked = !!filter.match_case;
      anchor.value = filter.anchor;
    },
    setOptions(next) {
      options = next;
      fillLists();
    },
    /** Counts per status under every other part of the filter. */
    setCounts(counts) {
      statusCounts = counts;
      fillChips();
    },
    /** The time window in force ({start, end} ms or null) and whether Zoom out can act. */
    setZoom({ canZoomOut, window: w }) {
      win = w;
      zoomOut.disabled = !canZoomOut;
      windowNote.textContent = win ? `${fmtInputTime(win.start)} – ${fmtInputTime(win.end)} ${zoneText()}` : '';
    },
    get: () => ({ ...filter, status: [...filter.status] }),
    /** validateFilter's issues, under the fields. */
    showIssues(issues) {
      replace(
        issuesBox,
        issues.map((i) =>
          h(
            'p',
            { class: 'filter-issue' },
            h('span', { class: `sev sev-${i.severity}`, text: i.severity }),
            ' ',
            i.message,
            i.severity === 'error' ? h('span', { class: 'dim', text: ' (ignored until fixed)' }) : null,
          ),
        ),
      );
    },
  };
  panel.set(filter);
  return panel;
}

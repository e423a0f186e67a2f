// The filter panel and the page URL that keeps it. The filter is the package's CallFilter: the server's listing
// query (docs/filtering.md: app_name, path, from_time, to_time, cursor, per_page) plus the extensions (status, error
// text, type, format, image, method, duration, created since/before). The URL carries the server's part exactly as
// the package writes it for GET /v1/apps/{app}/calls (filterToQuery) and the rest under the extensions' own names,
// so a shared link opens the same view.

import { h, replace, debounce, fmtInt, statusBadge } from './dom.js';
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
});

const SERVER_KEYS = ['path', 'from_time', 'to_time', 'cursor', 'per_page'];
const EXTENSION_KEYS = ['error', 'error_contains', 'error_pattern', 'type', 'format', 'image', 'method', 'min_duration_ms', 'max_duration_ms', 'created_since', 'created_before'];
const NUMERIC = new Set(['from_time', 'to_time', 'per_page', 'min_duration_ms', 'max_duration_ms']);

/** The filter's set fields as the package's CallFilter (numbers as numbers). */
function setFields(filter) {
  const out = {};
  for (const [k, v] of Object.entries(filter)) {
    if (v === '' || v === undefined || v === null || (Array.isArray(v) && !v.length)) continue;
    out[k] = NUMERIC.has(k) ? Number(v) : v;
  }
  return out;
}

/**
 * The package's CallFilter for the page's filter. Without a cursor or a page size the page lists every match
 * (`all`); with them it pages exactly as the server does.
 */
export function toCallFilter(filter) {
  const out = setFields(filter);
  if (out.per_page === undefined && out.cursor === undefined) out.all = true;
  return out;
}

export function isEmpty(filter) {
  return Object.keys(setFields(filter)).length === 0;
}

/** Issues of the filter (validateFilter): errors stop it from being applied; warnings are shown beside it. */
export function filterIssues(filter) {
  try {
    return fc.validateFilter(toCallFilter(filter));
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

// from_time / to_time are Unix seconds; the inputs show them as UTC date-times (ids and the sample are UTC).
function secondsToInput(s) {
  if (s === '' || s === undefined || !Number.isFinite(Number(s))) return '';
  return new Date(Number(s) * 1000).toISOString().slice(0, 19);
}

function inputToSeconds(v) {
  if (!v) return '';
  const ms = Date.parse(v.length === 16 ? `${v}:00Z` : `${v}Z`);
  return Number.isFinite(ms) ? String(Math.floor(ms / 1000)) : '';
}

const ERROR_MODES = [
  ['error_contains', 'contains'],
  ['error', 'is exactly'],
  ['error_pattern', 'matches glob'],
];

/**
 * Builds the panel in `root`. `onChange(filter)` fires after each edit (text fields debounced).
 * Returns {set(filter), setOptions({apps, paths, images, methods, statusCounts}), showIssues(issues)}.
 */
export function createFilterPanel(root, { onChange }) {
  let filter = { ...EMPTY_FILTER, status: [] };
  let options = { apps: [], paths: [], images: [], methods: [], statusCounts: {} };
  let errorMode = 'error_contains';

  const input = (id, props) => h('input', { id, autocomplete: 'off', spellcheck: 'false', ...props });
  const select = (id, choices) => h('select', { id }, choices.map(([v, label]) => h('option', { value: v, text: label })));

  const el = {
    app_name: h('select', { id: 'f-app' }),
    path: input('f-path', { type: 'text', placeholder: 'any path', list: 'f-path-list' }),
    from_time: input('f-from', { type: 'datetime-local', step: '1' }),
    to_time: input('f-to', { type: 'datetime-local', step: '1' }),
    cursor: input('f-cursor', { type: 'text', placeholder: 'call id' }),
    per_page: input('f-per-page', { type: 'number', min: '1', placeholder: 'all' }),
    errorText: input('f-error', { type: 'search', placeholder: 'e.g. exit code' }),
    errorMode: select('f-error-mode', ERROR_MODES),
    type: select('f-type', [['', 'any'], ['sync', 'sync'], ['async', 'async']]),
    format: select('f-format', [['', 'any'], ['default', 'default'], ['http', 'http'], ['json', 'json']]),
    image: input('f-image', { type: 'text', placeholder: 'any image', list: 'f-image-list' }),
    method: input('f-method', { type: 'text', placeholder: 'any', list: 'f-method-list' }),
    min_duration_ms: input('f-min-duration', { type: 'number', min: '0', placeholder: 'ms' }),
    max_duration_ms: input('f-max-duration', { type: 'number', min: '0', placeholder: 'ms' }),
    created_since: input('f-since', { type: 'text', placeholder: '2018-06-12T09:00:00Z' }),
    created_before: input('f-before', { type: 'text', placeholder: 'RFC 3339' }),
  };
  const lists = {
    path: h('datalist', { id: 'f-path-list' }),
    image: h('datalist', { id: 'f-image-list' }),
    method: h('datalist', { id: 'f-method-list' }),
  };
  const chips = h('div', { class: 'status-chips', role: 'group', 'aria-label': 'Status' });
  const issuesBox = h('div', { class: 'filter-issues', 'aria-live': 'polite' });

  const emit = () => onChange(panel.get());
  const emitSoon = debounce(emit, 250);
  const bind = (key, event, read, soon) =>
    el[key].addEventListener(event, () => {
      filter[key] = read(el[key].value);
      if (key === 'app_name') fillLists();
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
  bind('created_since', 'input', trim, true);
  bind('created_before', 'input', trim, true);
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
  // On narrow screens the panel starts folded (style.css only folds it there).
  const toggle = h('button', { type: 'button', class: 'btn btn-small filters-toggle', id: 'f-toggle', 'aria-expanded': 'false', 'aria-controls': 'filters' }, 'Show');
  root.classList.add('collapsed');
  toggle.addEventListener('click', () => {
    const open = root.classList.toggle('collapsed') === false;
    toggle.setAttribute('aria-expanded', String(open));
    toggle.textContent = open ? 'Hide' : 'Show';
  });
  replace(
    root,
    h('div', { class: 'filters-title' }, h('h2', { text: 'Filter' }), h('span', { class: 'muted', id: 'f-summary' }), toggle),
    issuesBox,
    h(
      'div',
      { class: 'filters-body' },
      h(
        'div',
        null,
        h('h3', { text: 'Server query' }),
        field('App', el.app_name),
        field('Path (exact)', el.path, lists.path),
        field('Created after (UTC)', el.from_time),
        field('Created before (UTC)', el.to_time),
        h('div', { class: 'field-row' }, field('Cursor', el.cursor), field('Per page', el.per_page)),
      ),
      h(
        'div',
        null,
        h('h3', { text: 'Extensions' }),
        h('div', { class: 'field' }, 'Status', chips),
        h('div', { class: 'field' }, h('span', { class: 'field-label-row' }, 'Error text', el.errorMode), el.errorText),
        h('div', { class: 'field-row' }, field('Type', el.type), field('Format', el.format)),
        h('div', { class: 'field-row' }, field('Image', el.image, lists.image), field('Method', el.method, lists.method)),
        h('div', { class: 'field-row' }, field('Min duration', el.min_duration_ms), field('Max duration', el.max_duration_ms)),
        h(
          'details',
          { class: 'more' },
          h('summary', { text: 'Created since / before (RFC 3339)' }),
          field('Created at or after', el.created_since),
          field('Created before', el.created_before),
        ),
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
        'GET /v1/apps/{app}/calls; without them every match is shown. The address bar keeps the filter: share it ' +
        'to share this view.',
    }),
  );

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
    for (const s of [...Object.keys(options.statusCounts), ...filter.status]) if (!statuses.includes(s)) statuses.push(s);
    replace(
      chips,
      statuses.map((s) => {
        const pressed = filter.status.includes(s);
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
          h('span', { class: 'count', text: fmtInt(options.statusCounts[s] || 0) }),
        );
      }),
    );
  }

  const panel = {
    set(next) {
      filter = { ...EMPTY_FILTER, ...next, status: [...(next.status || [])] };
      errorMode = ERROR_MODES.find(([k]) => filter[k])?.[0] || errorMode;
      fillLists();
      fillChips();
      for (const k of ['path', 'cursor', 'per_page', 'type', 'format', 'image', 'method', 'min_duration_ms', 'max_duration_ms', 'created_since', 'created_before']) {
        el[k].value = filter[k];
      }
      el.from_time.value = secondsToInput(filter.from_time);
      el.to_time.value = secondsToInput(filter.to_time);
      el.errorMode.value = errorMode;
      el.errorText.value = filter[errorMode];
    },
    setOptions(next) {
      options = next;
      fillLists();
      fillChips();
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

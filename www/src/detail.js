// A call's detail, in a drawer: every field, its record as loaded with the issues highlighted by JSON Pointer, its
// stats samples charted, and its status history over the transition diagram (transitionGraph, validateHistory).
// A Log tab reads the call's log from the server the calls came from (data.js readCallLog), shown as text only.

import { h, replace, fmtDuration, fmtBytes, fmtInt, fmtTime, statusBadge, clippedText, preview } from './dom.js';
import { fc } from './fncalls.js';
import { jsonView, issueList } from './jsonview.js';

// ECharts comes with the charts module, loaded on first use (it is not part of the page's first load).
let charts = null;
const loadCharts = () => import('./charts.js').then((m) => (charts = m));
const disposeCharts = (root) => charts?.disposeCharts(root);

/** The elements Tab stops at inside `root`, in order. */
function tabStops(root) {
  return [...root.querySelectorAll('a[href], button, input, select, textarea, [tabindex]')].filter(
    (el) => !el.disabled && el.tabIndex >= 0 && !el.closest('[hidden]') && el.getClientRects().length > 0,
  );
}

/** Copies text to the clipboard; answers whether it could. */
async function copyText(text) {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    return false;
  }
}

const ZERO_TIME = '0001-01-01T00:00:00';
const isSet = (t) => typeof t === 'string' && t !== '' && !t.startsWith(ZERO_TIME);

/**
 * The statuses this call went through, as far as its record tells: a delay means it was delayed, a call that ran
 * was queued, `started_at` means it ran, and the stored status is where it ended up.
 */
export function inferHistory(call) {
  const s = call.status;
  if (!s) return [];
  const history = [];
  if (call.delay > 0) history.push('delayed');
  if (s === 'delayed') return history.length ? history : ['delayed'];
  history.push('queued');
  if (s === 'queued') return history;
  if (isSet(call.started_at) || s === 'running') history.push('running');
  if (s !== 'running') history.push(s);
  return history;
}

function section(title, ...body) {
  return h('section', { class: 'card' }, h('h3', { class: 'card-title', text: title }), ...body);
}

const escapePointer = (key) => key.replace(/~/g, '~0').replace(/\//g, '~1');

/**
 * A field's value. `remote(name)` ({length, read} or null): whether the text named `name` (its JSON Pointer, or
 * `key:` and the pointer for a key) is the beginning of a longer text the data worker holds.
 */
function fieldValue(key, value, remote = () => null) {
  const ptr = `/${escapePointer(key)}`;
  if (value === undefined) return h('span', { class: 'dim', text: '(absent)' });
  if (typeof value === 'bigint' || typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (typeof value === 'string') {
    if (value === '') return h('span', { class: 'dim', text: '""' });
    if (key.endsWith('_at') && !isSet(value) && !remote(ptr)) return h('span', null, value, h('span', { class: 'dim', text: '  (not set)' }));
    return clippedText(value, undefined, remote(ptr));
  }
  if (key === 'stats' && Array.isArray(value)) {
    return h('span', null, `${value.length} sample${value.length === 1 ? '' : 's'}`, h('span', { class: 'dim', text: ' (charted below)' }));
  }
  if (value && typeof value === 'object') {
    const entries = Object.entries(value);
    if (!entries.length) return h('span', { class: 'dim', text: '{}' });
    return h(
      'ul',
      { class: 'env-list' },
      entries.map(([k, v]) => {
        const at = `${ptr}/${escapePointer(k)}`;
        // a header's values (an array) are shown joined by commas, each clipped on its own
        const shown = Array.isArray(v) ? v.flatMap((x, i) => [i ? ',' : null, clippedText(String(x), undefined, remote(`${at}/${i}`))]) : clippedText(typeof v === 'string' ? v : String(v), undefined, remote(at));
        return h('li', null, h('span', { class: 'env-key' }, clippedText(k, undefined, remote(`key:${at}`))), ' = ', shown);
      }),
    );
  }
  return String(value);
}

/** How much of a log is shown before "Show all": a huge log stays quick to open. */
export const LOG_PREVIEW_CHARS = 100000;

/**
 * The Log tab of a call: nothing is asked for until the tab is chosen. `logs.server()` is the server the calls came
 * from (null for a file), `logs.read(server, call)` reads the log. The log is set as textContent, never as HTML.
 */
function logPanel(call, logs) {
  const node = h('div', { class: 'log-panel', id: 'detail-log', role: 'tabpanel', 'aria-labelledby': 'detail-tab-log' });
  let started = false;
  let ticket = 0;
  async function read() {
    const my = ++ticket;
    const server = logs?.server();
    if (!server) {
      replace(
        node,
        section(
          'Log',
          h('p', { class: 'muted', id: 'detail-log-message', text: `Logs come from an Fn server: these calls were loaded from ${logs?.source() || 'a file'}, which holds no logs. Load calls with “Fn server…” to read a call’s log here.` }),
        ),
      );
      return;
    }
    replace(node, section('Log', h('p', { class: 'muted', id: 'detail-log-message', text: `Reading the log of ${call.id}…` })));
    try {
      const { text, url } = await logs.read(server, call);
      if (my !== ticket) return;
      const pre = h('pre', { class: 'log-text', id: 'detail-log-text' });
      const cut = text.length > LOG_PREVIEW_CHARS;
      pre.textContent = cut ? text.slice(0, LOG_PREVIEW_CHARS) : text;
      const note = h('p', { class: 'muted small', id: 'detail-log-note' });
      const all = cut
        ? h('button', {
            type: 'button',
            class: 'btn btn-small',
            id: 'detail-log-all',
            onclick: (e) => {
              pre.textContent = text;
              note.textContent = `${fmtInt(text.length)} characters, all shown.`;
              e.currentTarget.remove();
            },
          }, `Show all (${fmtBytes(new TextEncoder().encode(text).length)})`)
        : null;
      note.textContent = cut ? `Showing the first ${fmtInt(LOG_PREVIEW_CHARS)} of ${fmtInt(text.length)} characters.` : `${fmtInt(text.length)} characters.`;
      replace(
        node,
        section(
          'Log',
          h('p', { class: 'muted small log-source' }, 'From ', h('code', { text: url })),
          text === '' ? h('p', { class: 'muted', id: 'detail-log-message', text: 'The log is empty.' }) : pre,
          text === '' ? null : h('div', { class: 'log-foot' }, note, all),
        ),
      );
    } catch (e) {
      if (my !== ticket) return;
      replace(
        node,
        section(
          'Log',
          h('p', { class: e.kind === 'not-found' ? 'log-missing' : 'detail-error', id: 'detail-log-error', text: e.message }),
          h('button', { type: 'button', class: 'btn btn-small', id: 'detail-log-retry', onclick: read }, 'Try again'),
        ),
      );
    }
  }
  return {
    node,
    show() {
      if (!started) {
        started = true;
        read();
      }
    },
  };
}

/**
 * createDetail(drawer, backdrop, {engine, logs, onOpen(id|null), onClose(pos), neighbour(pos, step), onLike(call,
 * group)}) → {openCall(pos), openRecord(index), close()}. The drawer is a modal dialog: Tab stays inside it, Esc
 * closes it and `onClose` gets the position of the call shown (to give its row the focus back). j/k and ↓/↑ show
 * the next and previous call of the table.
 */
export function createDetail(drawer, backdrop, { engine, logs, onOpen, onClose, neighbour, onLike }) {
  let mode = 'observed';
  let current = null;
  let ticket = 0;
  drawer.setAttribute('role', 'dialog');
  drawer.setAttribute('aria-modal', 'true');
  drawer.setAttribute('aria-labelledby', 'detail-title');

  function close() {
    if (drawer.hidden) return;
    disposeCharts(drawer);
    drawer.replaceChildren();
    drawer.hidden = true;
    backdrop.hidden = true;
    const was = current;
    current = null;
    onClose?.(was?.pos ?? null, was);
  }
  backdrop.addEventListener('click', close);
  document.addEventListener('keydown', (e) => {
    if (drawer.hidden || document.querySelector('dialog[open]')) return;
    if (e.key === 'Escape') {
      e.preventDefault();
      close();
    }
  });
  drawer.addEventListener('keydown', (e) => {
    if (e.key === 'Tab') {
      // focus stays in the drawer
      const stops = tabStops(drawer);
      if (!stops.length) return;
      const first = stops[0];
      const last = stops[stops.length - 1];
      const inside = drawer.contains(document.activeElement);
      if (e.shiftKey && (document.activeElement === first || !inside)) {
        e.preventDefault();
        last.focus();
      } else if (!e.shiftKey && (document.activeElement === last || !inside)) {
        e.preventDefault();
        first.focus();
      }
      return;
    }
    const target = e.target;
    const typing = target.closest?.('input, textarea, select, [contenteditable], [role="tablist"]');
    if (typing || e.altKey || e.ctrlKey || e.metaKey || current?.pos === undefined) return;
    const step = e.key === 'j' || e.key === 'ArrowDown' ? 1 : e.key === 'k' || e.key === 'ArrowUp' ? -1 : 0;
    if (!step) return;
    e.preventDefault();
    go(step);
  });

  function go(step) {
    const next = current?.pos === undefined ? null : neighbour?.(current.pos, step);
    if (next !== null && next !== undefined) api.openCall(next, { focus: step > 0 ? '#detail-next' : '#detail-prev' });
  }

  function show(head, actions, ...sections) {
    disposeCharts(drawer);
    drawer.hidden = false;
    backdrop.hidden = false;
    const closeButton = h('button', { type: 'button', class: 'btn', id: 'detail-close', onclick: close }, 'Close');
    replace(
      drawer,
      h('div', { class: 'drawer-head' }, h('div', { class: 'drawer-title' }, ...head), h('span', { class: 'spacer' }), closeButton),
      actions ? h('div', { class: 'drawer-actions' }, actions) : null,
      h('div', { class: 'drawer-body' }, ...sections),
    );
    return closeButton;
  }

  /**
   * Copy id, copy JSON (the package's Go bytes, written by the data worker, which holds the whole call), previous /
   * next, calls like this (with the whole app, path and error group, from the worker too).
   */
  function actionBar(call, pos, errorGroup, view) {
    const note = h('span', { class: 'copy-note', id: 'detail-copy-note', role: 'status' });
    const say = (text) => {
      note.textContent = text;
      setTimeout(() => note.textContent === text && (note.textContent = ''), 2500);
    };
    const prev = neighbour?.(pos, -1);
    const next = neighbour?.(pos, 1);
    const button = (id, label, onclick, props = {}) => h('button', { type: 'button', class: 'btn btn-small', id, onclick, ...props }, label);
    return [
      button('detail-prev', '↑ Previous', () => go(-1), { disabled: prev === null || prev === undefined, title: 'Previous call (k or ↑)', 'aria-keyshortcuts': 'k ArrowUp' }),
      button('detail-next', '↓ Next', () => go(1), { disabled: next === null || next === undefined, title: 'Next call (j or ↓)', 'aria-keyshortcuts': 'j ArrowDown' }),
      h('span', { class: 'sep', 'aria-hidden': 'true' }),
      button('detail-copy-id', 'Copy id', async () => say((await copyText(call.id)) ? 'Id copied' : 'Could not copy: select the id in the title')),
      button('detail-copy-json', 'Copy JSON', async () => say((await copyText(await engine.stringify(view))) ? 'JSON copied (as the Fn server writes it)' : 'Could not copy to the clipboard')),
      button('detail-like', 'Calls like this', async () => {
        const whole = await engine.like(view);
        onLike?.({ ...call, app_name: whole.app_name, path: whole.path }, whole.errorGroup);
      }, {
        title: errorGroup ? `Same path and error group: ${preview(errorGroup)}` : 'Same app and path',
      }),
      note,
    ];
  }

  /** The record as loaded (its layout from the worker, whose long tokens `read` reads more of) and its issues. */
  function validationSection(layout, issues, title, remote) {
    const view = jsonView(layout, issues, (rest, at) => remote.read(rest.ref, at));
    const errors = issues.filter((i) => i.severity === 'error').length;
    const warnings = issues.length - errors;
    const hint = issues.length ? `${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}` : 'clean';
    const node = h(
      'section',
      { class: 'card', id: 'detail-validation' },
      h('h3', { class: 'card-title' }, title, h('span', { class: 'card-hint', text: hint })),
      issueList(issues, view, (n) => remote.of(`issue:${n}`)),
      h('p', { class: 'muted small', text: 'The record as loaded; highlighted: the value each issue points at.' }),
      view.element,
    );
    return { node, view };
  }

  function timeline(call) {
    const created = Date.parse(call.created_at);
    const started = isSet(call.started_at) ? Date.parse(call.started_at) : NaN;
    const completed = isSet(call.completed_at) ? Date.parse(call.completed_at) : NaN;
    const step = (label, value, delta) =>
      h(
        'div',
        { class: `step${isSet(value) ? ' set' : ''}` },
        h('div', { class: 'label', text: label }),
        h('div', { class: 'value', text: isSet(value) ? fmtTime(Date.parse(value)) : 'not set', title: isSet(value) ? value : '' }),
        isSet(value) ? h('div', { class: 'raw-time', text: value }) : null,
        delta ? h('div', { class: 'delta', text: delta }) : null,
      );
    return h(
      'div',
      { class: 'timeline' },
      step('Created', call.created_at),
      step('Started', call.started_at, Number.isFinite(started) ? `waited ${fmtDuration(started - created)}` : ''),
      step('Completed', call.completed_at, Number.isFinite(completed) && Number.isFinite(started) ? `ran ${fmtDuration(completed - started)}` : ''),
    );
  }

  function fieldsSection(call, issues, remote) {
    const flagged = new Set(issues.map((i) => i.path.split('/')[1]).filter(Boolean));
    return section(
      'Fields',
      h(
        'table',
        { class: 'fields-table' },
        h(
          'tbody',
          null,
          Object.entries(call).map(([k, v]) => h('tr', { class: flagged.has(k) ? 'has-issue' : '' }, h('th', { text: k }), h('td', null, fieldValue(k, v, remote)))),
        ),
      ),
    );
  }

  function statsSection(call) {
    if (!call.stats?.length) return section('Resource use', h('p', { class: 'muted', text: 'This call has no stats samples.' }));
    const memEl = h('div', { class: 'chart', id: 'chart-mem' });
    const cpuEl = h('div', { class: 'chart', id: 'chart-cpu' });
    const note = h('p', { class: 'muted small' });
    const node = section(
      'Resource use',
      h('div', { class: 'stats-charts' }, h('div', null, h('div', { class: 'chart-title', text: 'Memory' }), memEl), h('div', null, h('div', { class: 'chart-title', text: 'CPU' }), cpuEl)),
      note,
    );
    return {
      node,
      async draw() {
        await loadCharts();
        if (!memEl.isConnected) return;
        const { limit, unlimited } = charts.drawStats(memEl, cpuEl, call.stats);
        const last = call.stats[call.stats.length - 1].metrics || {};
        note.textContent =
          `${call.stats.length} samples. mem_limit: ${unlimited ? `no limit (${limit === null ? '' : String(last.mem_limit ?? '')})` : fmtBytes(limit)}` +
          (last.net_rx !== undefined ? ` · net rx ${fmtBytes(Number(last.net_rx))}, tx ${fmtBytes(Number(last.net_tx))}` : '') +
          (last.disk_read !== undefined ? ` · disk read ${fmtBytes(Number(last.disk_read))}, write ${fmtBytes(Number(last.disk_write))}` : '');
      },
    };
  }

  function historySection(call) {
    const history = inferHistory(call);
    const graphEl = h('div', { class: 'chart chart-graph', id: 'chart-transitions' });
    const verdict = h('div', { class: 'history-verdict' });
    const toggle = h('div', { class: 'mode-toggle', role: 'group', 'aria-label': 'Diagram' });
    const draw = async () => {
      await loadCharts();
      if (!graphEl.isConnected) return;
      disposeCharts(graphEl.parentElement);
      const graph = fc.transitionGraph({ mode: 'observed' });
      charts.drawTransitions(
        graphEl,
        { nodes: [{ status: 'new' }, ...graph.nodes].map((n) => ({ id: n.status })), edges: graph.edges.map((e) => ({ ...e, from: e.from ?? 'new' })) },
        history,
        mode,
      );
      const issues = history.length ? fc.validateHistory(history, { mode }) : [];
      replace(
        verdict,
        history.length === 0
          ? h('p', { class: 'muted', text: 'Status "" (the async queue copy): no history yet.' })
          : issues.length
            ? h('ul', { class: 'issue-list' }, issues.map((i) => h('li', null, h('span', { class: `sev sev-${i.severity}`, text: i.severity }), h('span', { class: 'where', text: `${i.code} · step ${i.path}` }), h('span', { class: 'msg', text: i.message }))))
            : h('p', { class: 'ok-line', text: `Every step is an edge of the ${mode} diagram.` }),
      );
      replace(
        toggle,
        [
          ['observed', 'Observed (as servers behave)'],
          ['strict', 'Strict (as drawn)'],
        ].map(([m, label]) =>
          h('button', { type: 'button', 'aria-pressed': String(m === mode), dataset: { mode: m }, onclick: () => ((mode = m), draw()) }, label),
        ),
      );
    };
    const node = section(
      'Status history',
      h(
        'div',
        { class: 'history' },
        history.length ? ['(new)', ...history].flatMap((s, i) => [i ? h('span', { class: 'arrow', text: '→' }) : null, i ? statusBadge(s) : h('span', { class: 'dim', text: s })]) : statusBadge(''),
        h('span', { class: 'spacer' }),
        toggle,
      ),
      h('p', { class: 'muted small', text: 'Inferred from delay, started_at and completed_at; drawn over the package’s transitionGraph(). Dashed edges are not in the chosen diagram.' }),
      h('div', { class: 'graph-wrap', tabindex: '0', role: 'region', 'aria-label': 'Status diagram (scrolls sideways on a narrow screen)' }, graphEl),
      verdict,
    );
    return { node, draw };
  }

  /**
   * The long texts of a view the worker sent cut: `of(name)` is {length, read(at)} for a text named in `long`, else
   * null; `read(ref, at)` asks the worker for the chunk from `at`.
   */
  function remoteTexts(viewId, long = {}) {
    const read = (ref, at) => engine.more(viewId, ref, at);
    return {
      read,
      of: (name) => (Object.hasOwn(long, name) ? { length: long[name].length, read: (at) => read(long[name].ref, at) } : null),
    };
  }

  const api = {
    /** Shows the call at `pos`; `focus` (a selector in the drawer) gets the focus, else the Close button. */
    async openCall(pos, { focus } = {}) {
      const my = ++ticket;
      const answer = await engine.call(pos);
      if (my !== ticket) return;
      api.showCall({ ...answer, pos }, { focus });
    },

    showCall({ view: viewId, call, layout, record, issues, pos, errorGroup, long }, { focus } = {}) {
      const remote = remoteTexts(viewId, long);
      const validation = validationSection(layout, issues, 'Validation', remote);
      const stats = statsSection(call);
      const hist = historySection(call);
      const server = logs?.server();
      const fn = server?.api === 'v2' ? server.fns?.find((f) => f.id === call.fn_id) : null;
      const callPanel = h(
        'div',
        { class: 'drawer-panel', id: 'detail-call', role: 'tabpanel', 'aria-labelledby': 'detail-tab-call' },
        h(
          'div',
          { class: 'card' },
          h(
            'div',
            { class: 'drawer-sub' },
            h('strong', { text: preview(call.app_name || server?.app || '') }),
            call.path ? ` ${preview(call.path)}` : '',
            fn ? ` · fn ${fn.name}` : '',
            call.image ? ` · ${preview(call.image)}` : '',
            record >= 0 ? ` · record #${record + 1}` : '',
          ),
          call.error ? h('p', { class: 'detail-error', id: 'detail-error-text' }, clippedText(call.error, undefined, remote.of('/error'))) : null,
          errorGroup ? h('p', { class: 'muted small', id: 'detail-group' }, 'Error group: ', h('code', null, clippedText(errorGroup, undefined, remote.of('group')))) : null,
          timeline(call),
        ),
        fieldsSection(call, issues, remote.of),
        stats.node ?? stats,
        hist.node,
        validation.node,
      );
      const log = logPanel(call, logs);
      log.node.hidden = true;
      const tabs = h('div', { class: 'drawer-tabs', role: 'tablist', 'aria-label': 'Call detail' });
      const select = (which) => {
        callPanel.hidden = which !== 'call';
        log.node.hidden = which !== 'log';
        for (const b of tabs.children) b.setAttribute('aria-selected', String(b.dataset.tab === which));
        if (which === 'log') log.show();
      };
      replace(
        tabs,
        h('button', { type: 'button', role: 'tab', id: 'detail-tab-call', 'aria-selected': 'true', dataset: { tab: 'call' }, onclick: () => select('call') }, 'Call'),
        h('button', { type: 'button', role: 'tab', id: 'detail-tab-log', 'aria-selected': 'false', dataset: { tab: 'log' }, title: server ? 'Read this call’s log from the server' : 'Logs come from an Fn server', onclick: () => select('log') }, 'Log'),
      );
      const closeButton = show([statusBadge(call.status), h('h2', { id: 'detail-title', text: preview(call.id), title: preview(call.id, 1000) })], pos === undefined ? null : actionBar(call, pos, errorGroup, viewId), tabs, callPanel, log.node);
      const wanted = focus ? drawer.querySelector(`${focus}:not(:disabled)`) : null;
      (wanted || closeButton).focus({ preventScroll: true });
      stats.draw?.();
      hist.draw();
      current = { id: call.id, pos };
      onOpen?.(call.id);
    },

    /** A record the package refused (or any record by index): its text, issues and where they point. */
    async openRecord(index, offset) {
      const my = ++ticket;
      const answer = await engine.record(index, offset);
      if (my !== ticket) return;
      if (answer.call) return api.showCall(answer);
      const { layout, issues, view: viewId, long } = answer;
      const validation = validationSection(layout, issues, 'Why this record was refused', remoteTexts(viewId, long));
      const closeButton = show(
        [h('span', { class: 'badge status-unknown', text: 'invalid' }), h('h2', { id: 'detail-title', text: `Record #${index + 1}` })],
        null,
        h('div', { class: 'card' }, h('p', { class: 'drawer-sub', text: 'The package could not read this record as a call, so it is left out of the table and charts.' })),
        validation.node,
      );
      closeButton.focus({ preventScroll: true });
      current = { record: index };
      const firstError = issues.findIndex((i) => i.severity === 'error');
      if (firstError >= 0) validation.view.focus(firstError);
      onOpen?.(null);
    },

    close,
    get current() {
      return current;
    },
  };
  return api;
}

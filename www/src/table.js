// The calls table, virtualised: only the rows in view (plus a few) exist in the DOM, reused as the list scrolls,
// so 100k calls scroll as smoothly as 100. Sorting is the engine's (in the worker); this only draws.

import { h, replace, fmtDuration, fmtBytes, fmtTime, statusBadge } from './dom.js';

const COLUMNS = [
  { key: 'status', label: 'Status' },
  { key: 'id', label: 'Call ID' },
  { key: 'app', label: 'App' },
  { key: 'path', label: 'Path' },
  { key: 'created', label: 'Created (UTC)' },
  { key: 'duration', label: 'Duration', num: true },
  { key: 'memory', label: 'Peak mem', num: true },
  { key: 'error', label: 'Error' },
];

const OVERSCAN = 8;

/**
 * createTable(root, {onOpen(pos), onSort(sort)}) → {setData(rows, positions), setSort(sort)}.
 * `rows` are all loaded calls' rows; `positions` the ones to show, in order.
 */
export function createTable(root, { onOpen, onSort }) {
  let rows = [];
  let positions = new Int32Array(0);
  let sort = { key: 'id', dir: 'desc' };
  const rowHeight = parseFloat(getComputedStyle(document.documentElement).getPropertyValue('--row-h')) || 34;

  const header = h('div', { class: 'vt-header', role: 'row' });
  const spacer = h('div', { class: 'vt-spacer' });
  const layer = h('div', { class: 'vt-rows', role: 'rowgroup' });
  const empty = h('div', { class: 'vt-empty', hidden: true, text: 'No calls match this filter.' });
  const viewport = h('div', { class: 'vt-viewport', tabindex: '-1' }, spacer, layer, empty);
  replace(root, header, viewport);
  root.setAttribute('role', 'table');
  root.setAttribute('aria-label', 'Calls');

  const pool = [];
  let frame = 0;

  function drawHeader() {
    replace(
      header,
      COLUMNS.map((c) => {
        const active = sort.key === c.key;
        return h(
          'button',
          {
            type: 'button',
            role: 'columnheader',
            class: `col-${c.key}${c.num ? ' num' : ''}`,
            'aria-sort': active ? (sort.dir === 'asc' ? 'ascending' : 'descending') : 'none',
            dataset: { key: c.key },
            onclick: () => {
              const dir = active && sort.dir === 'desc' ? 'asc' : 'desc';
              sort = { key: c.key, dir };
              drawHeader();
              onSort(sort);
            },
          },
          c.label,
          active ? h('span', { class: 'arrow', text: sort.dir === 'asc' ? '▲' : '▼' }) : null,
        );
      }),
    );
  }

  function makeRow() {
    const cells = {
      status: h('span', { class: 'status' }),
      id: h('span', { class: 'id' }),
      app: h('span', { class: 'app' }),
      path: h('span', { class: 'path' }),
      created: h('span', { class: 'created' }),
      duration: h('span', { class: 'num duration' }),
      memory: h('span', { class: 'num memory' }),
      error: h('span', { class: 'err-col' }),
    };
    const el = h('div', { class: 'vt-row', role: 'row', tabindex: '0' }, Object.values(cells));
    const row = { el, cells, pos: -1 };
    el.addEventListener('click', () => row.pos >= 0 && onOpen(row.pos));
    el.addEventListener('keydown', (e) => {
      if (e.key === 'Enter' && row.pos >= 0) onOpen(row.pos);
    });
    return row;
  }

  function fill(row, r) {
    row.pos = r.pos;
    row.el.dataset.pos = String(r.pos);
    row.el.dataset.id = r.id;
    const c = row.cells;
    replace(c.status, statusBadge(r.status));
    c.id.textContent = r.id;
    c.app.textContent = r.app;
    c.path.textContent = r.path;
    c.path.title = r.path;
    c.created.textContent = fmtTime(r.createdMs);
    c.duration.textContent = fmtDuration(r.durationMs);
    c.duration.classList.toggle('dim', r.durationMs === null);
    c.memory.textContent = r.peakMem === null ? '–' : fmtBytes(r.peakMem);
    c.memory.classList.toggle('dim', r.peakMem === null);
    c.error.textContent = r.error || '';
    c.error.title = r.error || '';
    c.error.classList.toggle('err', !!r.error);
  }

  function render() {
    frame = 0;
    // keep the header's columns over the rows' when the rows have a scroll bar
    header.style.paddingRight = `${viewport.offsetWidth - viewport.clientWidth}px`;
    const top = viewport.scrollTop;
    const height = viewport.clientHeight || 520;
    const first = Math.max(0, Math.floor(top / rowHeight) - OVERSCAN);
    const last = Math.min(positions.length, Math.ceil((top + height) / rowHeight) + OVERSCAN);
    const needed = last - first;
    while (pool.length < needed) {
      const row = makeRow();
      pool.push(row);
      layer.appendChild(row.el);
    }
    for (let k = 0; k < pool.length; k++) {
      const row = pool[k];
      if (k < needed) {
        const index = first + k;
        row.el.hidden = false;
        row.el.style.transform = `translateY(${index * rowHeight}px)`;
        row.el.setAttribute('aria-rowindex', String(index + 2));
        const r = rows[positions[index]];
        if (row.pos !== r.pos) fill(row, r);
      } else {
        row.el.hidden = true;
        row.pos = -1;
      }
    }
  }

  const schedule = () => {
    if (!frame) frame = requestAnimationFrame(render);
  };
  viewport.addEventListener('scroll', schedule, { passive: true });
  new ResizeObserver(schedule).observe(viewport);
  drawHeader();

  return {
    setData(nextRows, nextPositions) {
      rows = nextRows;
      positions = nextPositions;
      spacer.style.height = `${positions.length * rowHeight}px`;
      root.setAttribute('aria-rowcount', String(positions.length + 1));
      empty.hidden = positions.length > 0;
      for (const row of pool) row.pos = -1;
      if (viewport.scrollTop > positions.length * rowHeight) viewport.scrollTop = 0;
      render();
    },
    setSort(next) {
      sort = next;
      drawHeader();
    },
    scrollToTop() {
      viewport.scrollTop = 0;
    },
  };
}

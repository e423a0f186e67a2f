// Shows a record's JSON, pretty-printed from the text exactly as loaded (numbers keep their digits: no JSON.parse
// round trip, so 9223372036854771712 and 1e3 stay as written), with each issue's value highlighted by its JSON
// Pointer path, or by its byte offset when the text stops being JSON (a truncated line). Tolerant: past a syntax
// error the rest of the text is shown raw.

import { h, clippedText, moreControl, CLIP_CHARS } from './dom.js';

class Stop extends Error {}

/** Nesting printed; deeper text is shown raw. */
const MAX_DEPTH = 512;

const escapePointer = (key) => key.replace(/~/g, '~0').replace(/\//g, '~1');

/**
 * Pretty-prints `text`. Returns the printed text, its tokens ({start, end, cls} in the output, plus `from`, the
 * token's index in the input), and `pointers`: JSON Pointer → {start, end} of that member (key and value) in the
 * output.
 */
export function prettyJson(text) {
  let i = 0;
  let out = '';
  const tokens = [];
  const pointers = new Map();

  const ws = () => {
    while ((text[i] === ' ' || text[i] === '\n' || text[i] === '\r' || text[i] === '\t')) i++;
  };
  const emit = (s, cls, from) => {
    if (cls) tokens.push({ start: out.length, end: out.length + s.length, cls, from });
    out += s;
  };
  const newline = (depth) => emit('\n' + '  '.repeat(depth));

  // The next line feed at or after `at` (Infinity when none), found once per stretch of text: a string may not hold one.
  let nl = -1;
  const nextNewline = (at) => {
    if (nl !== Infinity && nl < at) {
      nl = text.indexOf('\n', at);
      if (nl < 0) nl = Infinity;
    }
    return nl;
  };
  // A string, found with indexOf (native, fast on a megabytes-long text): its closing quote is the first one not
  // escaped, that is, preceded by an even run of backslashes.
  const string = (cls) => {
    const from = i;
    let j = from + 1;
    let end = -1;
    while (end < 0) {
      const q = text.indexOf('"', j);
      if (q < 0) break;
      let k = q - 1;
      while (k > from && text.charCodeAt(k) === 92) k--;
      if ((q - 1 - k) % 2 === 0) end = q;
      else j = q + 1;
    }
    if (end < 0 || nextNewline(from) < end) {
      i = from;
      throw new Stop();
    }
    i = end + 1;
    emit(text.slice(from, i), cls, from);
    return text.slice(from, i);
  };

  const value = (ptr, depth) => {
    // Deeper than any record the package reads (128 levels): the rest is shown raw, not a stack overflow.
    if (depth > MAX_DEPTH) throw new Stop();
    ws();
    const start = out.length;
    const c = text[i];
    if (c === '{') {
      emit('{', 'j-punct', i++);
      ws();
      if (text[i] === '}') emit('}', 'j-punct', i++);
      else {
        for (;;) {
          ws();
          if (text[i] !== '"') throw new Stop();
          newline(depth + 1);
          const keyStart = out.length;
          const raw = string('j-key');
          let key;
          try {
            key = JSON.parse(raw);
          } catch {
            key = raw.slice(1, -1);
          }
          ws();
          if (text[i] !== ':') throw new Stop();
          emit(': ', 'j-punct', i++);
          const child = `${ptr}/${escapePointer(key)}`;
          value(child, depth + 1);
          if (!pointers.has(child)) pointers.set(child, { start: keyStart, end: out.length });
          ws();
          if (text[i] === ',') emit(',', 'j-punct', i++);
          else if (text[i] === '}') {
            newline(depth);
            emit('}', 'j-punct', i++);
            break;
          } else throw new Stop();
        }
      }
    } else if (c === '[') {
      emit('[', 'j-punct', i++);
      ws();
      if (text[i] === ']') emit(']', 'j-punct', i++);
      else {
        for (let n = 0; ; n++) {
          newline(depth + 1);
          const child = `${ptr}/${n}`;
          const itemStart = out.length;
          value(child, depth + 1);
          pointers.set(child, { start: itemStart, end: out.length });
          ws();
          if (text[i] === ',') emit(',', 'j-punct', i++);
          else if (text[i] === ']') {
            newline(depth);
            emit(']', 'j-punct', i++);
            break;
          } else throw new Stop();
        }
      }
    } else if (c === '"') string('j-str');
    else if (c !== undefined && /[-0-9a-zA-Z.+]/.test(c)) {
      const from = i;
      while (i < text.length && /[-0-9a-zA-Z.+]/.test(text[i])) i++;
      const word = text.slice(from, i);
      const cls = /^-?\d/.test(word) ? 'j-num' : word === 'true' || word === 'false' || word === 'null' ? 'j-lit' : 'j-raw';
      emit(word, cls, from);
    } else throw new Stop();
    if (ptr === '') pointers.set('', { start, end: out.length });
  };

  let errorAt = null;
  try {
    value('', 0);
    ws();
    if (i < text.length) throw new Stop();
  } catch (e) {
    if (!(e instanceof Stop)) throw e;
    errorAt = out.length;
    // The whitespace just read belongs to the raw rest: `[1 2]` shows `1 2]`, not `12]`.
    while (' \n\r\t'.includes(text[i - 1] ?? 'x')) i--;
    if (i < text.length) emit(text.slice(i), 'j-raw', i);
  }
  return { text: out, tokens, pointers, errorAt, source: text };
}

/** Index in `text` (UTF-16 units) of a UTF-8 byte offset. */
export function charIndexOfByte(text, byteOffset) {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    if (bytes >= byteOffset) return i;
    const c = text.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c <= 0xdbff && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      bytes += 4;
      i++;
    } else bytes += 3; // a lone surrogate is read as U+FFFD: 3 bytes
  }
  return text.length;
}

/** Where an input index lands in the printed text. */
function outIndexOf(pretty, inputIndex) {
  const { tokens } = pretty;
  let lo = 0, hi = tokens.length - 1, best = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (tokens[mid].from <= inputIndex) {
      best = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  if (best < 0) return 0;
  const t = tokens[best];
  return Math.min(t.end, t.start + (inputIndex - t.from));
}

/** The printed range an issue points at, or null when it has no place in the text (a missing key, say). */
export function issueRange(pretty, issue) {
  if (issue.path && pretty.pointers.has(issue.path)) return pretty.pointers.get(issue.path);
  if (issue.offset !== undefined && issue.offset !== null) {
    const at = outIndexOf(pretty, charIndexOfByte(pretty.source, issue.offset));
    const len = pretty.text.length;
    if (at >= len) return { start: Math.max(0, len - 1), end: len };
    // the token (or up to 24 characters) at the offset
    const token = pretty.tokens.find((t) => t.start <= at && at < t.end);
    return { start: at, end: token ? Math.min(token.end, at + 24) : Math.min(len, at + 1) };
  }
  return null;
}

/**
 * What the view of `text` shows, without the DOM (the data worker computes it for a call's record, so a
 * megabytes-long record is printed there, not on the page): `pieces` in order, each `{text, cls, marks}` (`marks`:
 * the indices of the issues highlighted on it) or, for the hidden rest of a token longer than CLIP_CHARS,
 * `{rest: {start, end}, shown, cls}` (the token's range in `pretty.text` and how much of it is shown).
 */
export function jsonLayout(text, issues) {
  const pretty = prettyJson(text);
  const marks = [];
  issues.forEach((issue, n) => {
    const r = issueRange(pretty, issue);
    if (r) marks.push({ start: r.start, end: r.end, severity: issue.severity, n });
  });

  // A token longer than CLIP_CHARS (a megabytes-long string) shows its first CLIP_CHARS characters, then a control
  // that reveals the rest a chunk at a time: laying it out whole would block the page. A highlight is drawn up to
  // where the text is cut (one wholly inside the hidden part is not drawn).
  const clipAt = (t) => (t.end - t.start > CLIP_CHARS ? t.start + CLIP_CHARS : t.end);
  const visible = (x) => {
    let lo = 0, hi = pretty.tokens.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const t = pretty.tokens[mid];
      if (x < t.start) hi = mid - 1;
      else if (x >= t.end) lo = mid + 1;
      else return Math.min(x, clipAt(t));
    }
    return x;
  };
  const cuts = new Set([0, pretty.text.length]);
  for (const t of pretty.tokens) cuts.add(t.start).add(clipAt(t)).add(t.end);
  for (const m of marks) cuts.add(visible(m.start)).add(visible(Math.min(m.end, pretty.text.length)));
  const points = [...cuts].sort((a, b) => a - b);

  const pieces = [];
  let tk = 0;
  for (let k = 0; k < points.length - 1; k++) {
    const a = points[k], b = points[k + 1];
    while (tk < pretty.tokens.length && pretty.tokens[tk].end <= a) tk++;
    const token = pretty.tokens[tk] && pretty.tokens[tk].start <= a ? pretty.tokens[tk] : null;
    if (token && a === clipAt(token)) {
      // the hidden rest of a long token
      pieces.push({ rest: { start: token.start, end: token.end }, shown: a - token.start, cls: token.cls });
      continue;
    }
    const covering = marks.filter((m) => m.start <= a && a < m.end);
    let cls = token ? token.cls : '';
    if (covering.length) cls += covering.some((m) => m.severity === 'error') ? ' hl-error' : ' hl-warning';
    pieces.push({ text: pretty.text.slice(a, b), cls: cls.trim(), marks: covering.map((m) => m.n) });
  }
  return { pieces, pretty };
}

/**
 * A <pre> showing `text` pretty-printed, with the issues highlighted. Every piece reaches the DOM as a text node.
 * `text` is the record's text, or its `jsonLayout` computed elsewhere (its `pieces`; `read(rest, at)` then answers a
 * promise of the next chunk `{piece, end}` of a long token's text from `at`). Returns {element, focus(i)}: focus
 * scrolls issue i's highlight into view.
 */
export function jsonView(text, issues, read = null) {
  const layout = typeof text === 'string' ? jsonLayout(text, issues) : text;
  const source = (piece) =>
    layout.pretty
      ? layout.pretty.text.slice(piece.rest.start, piece.rest.end)
      : { length: piece.rest.end - piece.rest.start, read: (at) => read(piece.rest, at) };

  const pre = h('pre', { class: 'json-view', tabindex: '0' });
  const anchors = new Map();
  for (const piece of layout.pieces) {
    if (piece.rest) {
      const control = moreControl(source(piece), piece.shown, (more) => control.before(h('span', { class: piece.cls, text: more })));
      pre.appendChild(control);
      continue;
    }
    if (!piece.cls && !piece.marks.length) {
      pre.appendChild(document.createTextNode(piece.text));
      continue;
    }
    const span = h('span', { class: piece.cls, text: piece.text });
    if (piece.marks.length) {
      span.title = piece.marks.map((n) => issues[n].message).join('\n');
      for (const n of piece.marks) {
        if (!anchors.has(n)) anchors.set(n, []);
        anchors.get(n).push(span);
      }
    }
    pre.appendChild(span);
  }

  return {
    element: pre,
    highlighted: anchors.size,
    focus(n) {
      const spans = anchors.get(n);
      if (!spans) return false;
      for (const s of pre.querySelectorAll('.hl-focus')) s.classList.remove('hl-focus');
      for (const s of spans) s.classList.add('hl-focus');
      const first = spans[0];
      pre.scrollTop = Math.max(0, first.offsetTop - pre.clientHeight / 3);
      return true;
    },
  };
}

/**
 * The list of issues; clicking one focuses it in the view. `remote(n)` ({length, read} or null) says that issue n's
 * message is the beginning of a longer one held elsewhere.
 */
export function issueList(issues, view, remote = () => null) {
  if (!issues.length) return h('p', { class: 'ok-line', text: 'No issues: this call reads exactly as the Go server reads it.' });
  return h(
    'ul',
    { class: 'issue-list' },
    issues.map((issue, n) =>
      h(
        'li',
        {
          tabindex: '0',
          onclick: () => view?.focus(n),
          onkeydown: (e) => e.key === 'Enter' && view?.focus(n),
        },
        h('span', { class: `sev sev-${issue.severity}`, text: issue.severity }),
        h(
          'span',
          { class: 'where' },
          issue.code,
          ' · ',
          issue.path === '' ? '(record)' : issue.path,
          issue.offset !== undefined ? ` · byte ${issue.offset}` : '',
        ),
        h('span', { class: 'msg' }, clippedText(issue.message, undefined, remote(n))),
      ),
    ),
  );
}

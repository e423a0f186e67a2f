// Text from calls and servers, made safe and measured for a terminal. A status, a path or a server's error message
// may hold escape sequences (clear the screen, set the window title) or bidi overrides that reorder what is shown;
// every human-readable line the command prints goes through `visible`, so they are shown, never obeyed. Machine
// output (NDJSON, JSON) is written as is: its bytes are the data.

// C0 controls but \t and \n, DEL, C1 controls, and the bidi embeddings, overrides, isolates and marks.
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
// eslint-disable-next-line no-control-regex
const UNSAFE_IN_LINE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

const escape = (c) => {
  const n = c.codePointAt(0);
  return n <= 0xff ? `\\x${n.toString(16).padStart(2, '0')}` : `\\u${n.toString(16).padStart(4, '0')}`;
};

/** `text` with terminal controls and bidi overrides written as visible escapes (`\x1b`, `\u202e`). */
export function visible(text) {
  return String(text).replace(UNSAFE, escape);
}

/** `visible`, and tabs and line breaks too, for text that must stay on one line (a table cell). */
export function visibleInLine(text) {
  return String(text).replace(UNSAFE_IN_LINE, (c) => (c === '\n' ? '\\n' : c === '\r' ? '\\r' : c === '\t' ? '\\t' : escape(c)));
}

/** Columns a character takes in a terminal: 0 for combining marks and zero-width ones, 2 for wide East Asian ones. */
function charWidth(c) {
  const n = c.codePointAt(0);
  if (/\p{M}/u.test(c) || n === 0x200b || n === 0x2060 || n === 0xfeff) return 0;
  if (
    (n >= 0x1100 && n <= 0x115f) ||
    (n >= 0x2e80 && n <= 0x303e) ||
    (n >= 0x3041 && n <= 0x33ff) ||
    (n >= 0x3400 && n <= 0x4dbf) ||
    (n >= 0x4e00 && n <= 0x9fff) ||
    (n >= 0xa000 && n <= 0xa4cf) ||
    (n >= 0xac00 && n <= 0xd7a3) ||
    (n >= 0xf900 && n <= 0xfaff) ||
    (n >= 0xfe30 && n <= 0xfe4f) ||
    (n >= 0xff00 && n <= 0xff60) ||
    (n >= 0xffe0 && n <= 0xffe6) ||
    (n >= 0x1f300 && n <= 0x1f64f) ||
    (n >= 0x1f900 && n <= 0x1f9ff) ||
    (n >= 0x20000 && n <= 0x3fffd)
  ) {
    return 2;
  }
  return 1;
}

/** Columns `text` takes in a terminal. */
export function displayWidth(text) {
  let w = 0;
  for (const c of String(text)) w += charWidth(c);
  return w;
}

/** `text` cut to at most `width` columns (ending in `…` when cut), then padded with spaces to exactly `width`. */
export function fit(text, width) {
  const s = String(text);
  if (displayWidth(s) <= width) return s + ' '.repeat(width - displayWidth(s));
  let out = '';
  let w = 0;
  for (const c of s) {
    const cw = charWidth(c);
    if (w + cw > width - 1) break;
    out += c;
    w += cw;
  }
  return `${out}…${' '.repeat(Math.max(0, width - 1 - w))}`;
}

/** `text` padded on the left to `width` columns. */
export function padStartWidth(text, width) {
  const s = String(text);
  return ' '.repeat(Math.max(0, width - displayWidth(s))) + s;
}

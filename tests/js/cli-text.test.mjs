// js/cli/text.mjs, how the command shows text from calls and servers in a terminal: which characters are written as
// visible escapes, how many columns a character takes (at both ends of every wide range), and how cells are cut and
// padded. Written for mutants of text.mjs that the CLI suite let through (docs/mutation-testing.md); it imports the
// module itself, so it needs no build.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { visible, visibleInLine, displayWidth, fit, padStartWidth } from '../../js/cli/text.mjs';

const ch = (n) => String.fromCodePoint(n);

test('visible: terminal controls and bidi formatting are written as escapes, everything else as is', () => {
  const escaped = [0x00, 0x01, 0x08, 0x0b, 0x0c, 0x0d, 0x1b, 0x1f, 0x7f, 0x80, 0x9b, 0x9f, 0x061c, 0x200e, 0x200f,
    0x202a, 0x202c, 0x202e, 0x2066, 0x2068, 0x2069];
  for (const n of escaped) {
    const want = n <= 0xff ? `\\x${n.toString(16).padStart(2, '0')}` : `\\u${n.toString(16).padStart(4, '0')}`;
    assert.equal(visible(`a${ch(n)}b`), `a${want}b`, n.toString(16));
  }
  const kept = [0x09, 0x0a, 0x20, 0x41, 0x7e, 0xa0, 0xe9, 0x061b, 0x061d, 0x200d, 0x2010, 0x2029, 0x202f, 0x2065, 0x206a, 0x65e5, 0x1f600];
  for (const n of kept) assert.equal(visible(`a${ch(n)}b`), `a${ch(n)}b`, n.toString(16));
  assert.equal(visible('\x1b]0;title\x07'), '\\x1b]0;title\\x07');
  assert.equal(visible(42), '42');
});

test('visibleInLine: line breaks and tabs too, as \\n, \\r, \\t', () => {
  assert.equal(visibleInLine('a\nb\rc\td'), 'a\\nb\\rc\\td');
  assert.equal(visibleInLine('a\x1b\u202eb\x0b'), 'a\\x1b\\u202eb\\x0b');
  assert.equal(visibleInLine('plain é 日'), 'plain é 日');
  assert.equal(visibleInLine(7), '7');
});

/** The wide ranges (East Asian wide and fullwidth, emoji), as the command should count them. */
const WIDE = [[0x1100, 0x115f], [0x2e80, 0x303e], [0x3041, 0x33ff], [0x3400, 0x4dbf], [0x4e00, 0x9fff], [0xa000, 0xa4cf],
  [0xac00, 0xd7a3], [0xf900, 0xfaff], [0xfe30, 0xfe4f], [0xff00, 0xff60], [0xffe0, 0xffe6], [0x1f300, 0x1f64f],
  [0x1f900, 0x1f9ff], [0x20000, 0x3fffd]];
const expected = (n) => {
  if (/\p{M}/u.test(ch(n)) || n === 0x200b || n === 0x2060 || n === 0xfeff) return 0;
  return WIDE.some(([lo, hi]) => n >= lo && n <= hi) ? 2 : 1;
};

test('displayWidth: 2 columns at both ends of every wide range, 1 just outside, 0 for marks and zero-width characters', () => {
  for (const [lo, hi] of WIDE) {
    for (const n of [lo - 1, lo, lo + 1, hi - 1, hi, hi + 1]) {
      assert.equal(displayWidth(ch(n)), expected(n), `U+${n.toString(16)}`);
    }
  }
  for (const n of [0x0301, 0x200b, 0x2060, 0xfeff, 0x302a]) assert.equal(displayWidth(ch(n)), 0, `U+${n.toString(16)}`);
  for (const n of [0x41, 0x200a, 0x200c, 0x205f, 0x2061, 0xfefe, 0xff61]) assert.equal(displayWidth(ch(n)), 1, `U+${n.toString(16)}`);
  assert.equal(displayWidth('e\u0301日本😀x'), 8);
  assert.equal(displayWidth(''), 0);
  assert.equal(displayWidth(12345), 5);
});

test('fit and padStartWidth: cut to the width with an ellipsis, padded to exactly the width', () => {
  assert.equal(fit('abc', 5), 'abc  ');
  assert.equal(fit('abcd', 4), 'abcd');
  assert.equal(fit('abcdef', 4), 'abc…');
  assert.equal(fit('日本語', 6), '日本語');
  assert.equal(fit('日本語', 5), '日本…');
  assert.equal(fit('日本語', 4), '日… ');
  assert.equal(fit('日本語', 3), '日…');
  assert.equal(fit('ab', 1), '…');
  assert.equal(fit('ab', 0), '…');
  assert.equal(fit(12, 3), '12 ');
  assert.equal(padStartWidth('日', 4), '  日');
  assert.equal(padStartWidth('ab', 2), 'ab');
  assert.equal(padStartWidth('abcde', 3), 'abcde');
  assert.equal(padStartWidth(7, 3), '  7');
});

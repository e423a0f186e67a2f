// The dashboard's record view without the DOM (www/src/jsonview.js): pretty-printing a record's text exactly as
// loaded, finding each issue's place in it by JSON Pointer or byte offset, and the pieces the page draws (with the
// highlights, and long strings clipped). The DOM side (jsonView, issueList) is tested in Chromium (tests/browser/).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { prettyJson, charIndexOfByte, issueRange, jsonLayout } from '../../www/src/jsonview.js';
import { CLIP_CHARS } from '../../www/src/dom.js';

/** The printed text of each token, with its class. */
const tokens = (p) => p.tokens.map((t) => [p.text.slice(t.start, t.end), t.cls]);
/** The printed text a pointer covers. */
const at = (p, ptr) => {
  const r = p.pointers.get(ptr);
  return r && p.text.slice(r.start, r.end);
};

test('prettyJson indents by two spaces and keeps every number and string as written', () => {
  const p = prettyJson('{"a":1,"b":[true,"x"],"c":{},"d":[],"n":9223372036854771712,"e":1e3}');
  assert.equal(p.text, '{\n  "a": 1,\n  "b": [\n    true,\n    "x"\n  ],\n  "c": {},\n  "d": [],\n  "n": 9223372036854771712,\n  "e": 1e3\n}');
  assert.equal(p.errorAt, null);
  assert.equal(p.source, '{"a":1,"b":[true,"x"],"c":{},"d":[],"n":9223372036854771712,"e":1e3}');
  assert.deepEqual(tokens(p).filter(([, cls]) => cls !== 'j-punct'), [
    ['"a"', 'j-key'], ['1', 'j-num'], ['"b"', 'j-key'], ['true', 'j-lit'], ['"x"', 'j-str'], ['"c"', 'j-key'],
    ['"d"', 'j-key'], ['"n"', 'j-key'], ['9223372036854771712', 'j-num'], ['"e"', 'j-key'], ['1e3', 'j-num'],
  ]);
  // each token knows where it came from in the input
  assert.deepEqual(p.tokens.slice(0, 4).map((t) => t.from), [0, 1, 4, 5]);
});

test('prettyJson: whitespace in the input is replaced, literals and bare words are told apart', () => {
  const p = prettyJson(' \r\n\t[ null , false,-2.5E+3 , nul ] \n');
  assert.equal(p.text, '[\n  null,\n  false,\n  -2.5E+3,\n  nul\n]');
  assert.deepEqual(tokens(p).filter(([, cls]) => cls !== 'j-punct'), [
    ['null', 'j-lit'], ['false', 'j-lit'], ['-2.5E+3', 'j-num'], ['nul', 'j-raw'],
  ]);
  assert.equal(p.errorAt, null);
});

test('prettyJson maps each JSON Pointer to its member, key and value, escaping ~ and / as RFC 6901 says', () => {
  const p = prettyJson('{"a":{"b":[10,{"c":"d"}]},"x/y":1,"t~":2,"\\u0041":3,"a":"again"}');
  assert.equal(at(p, '/a'), '"a": {\n    "b": [\n      10,\n      {\n        "c": "d"\n      }\n    ]\n  }', 'the first of two equal keys');
  assert.equal(at(p, '/a/b'), '"b": [\n      10,\n      {\n        "c": "d"\n      }\n    ]');
  assert.equal(at(p, '/a/b/0'), '10');
  assert.equal(at(p, '/a/b/1'), '{\n        "c": "d"\n      }');
  assert.equal(at(p, '/a/b/1/c'), '"c": "d"');
  assert.equal(at(p, '/x~1y'), '"x/y": 1');
  assert.equal(at(p, '/t~0'), '"t~": 2');
  assert.equal(at(p, '/A'), '"\\u0041": 3', 'a key is decoded for its pointer');
  assert.equal(at(p, ''), p.text);
  assert.equal(p.pointers.has('/x/y'), false);
});

test('prettyJson: strings end at the first quote not escaped', () => {
  const p = prettyJson('["a\\"b","c\\\\","\\\\\\"",""]');
  assert.deepEqual(tokens(p).filter(([, cls]) => cls === 'j-str').map(([s]) => s), ['"a\\"b"', '"c\\\\"', '"\\\\\\""', '""']);
  assert.equal(p.errorAt, null);
});

test('prettyJson shows the rest raw from where the text stops being JSON', () => {
  const cut = prettyJson('{"a":"ab');
  assert.equal(cut.text, '{\n  "a": "ab');
  assert.equal(cut.errorAt, 9);
  assert.deepEqual(tokens(cut).at(-1), ['"ab', 'j-raw']);

  const newline = prettyJson('{"a":"x\n","b":1}');
  assert.equal(newline.errorAt, 9, 'a string may not hold a line feed');
  assert.equal(newline.text.slice(9), '"x\n","b":1}');

  for (const [text, errorAt] of [['[1,2', 10], ['[1 2]', 5], ['{"a" 1}', 7], ['{"a":1 "b":2}', 10], ['{a:1}', 1], ['[1]x', 7], ['@', 0], ['', 0], ['{"a":1,}', 11]]) {
    const p = prettyJson(text);
    assert.equal(p.errorAt, errorAt, `${JSON.stringify(text)}: ${JSON.stringify(p.text)}`);
    const printed = p.tokens.map((t) => p.text.slice(t.start, t.end)).join('').replace(/\s/g, '');
    assert.equal(printed, text.replace(/\s/g, ''), 'nothing of the input is lost');
  }
  assert.equal(prettyJson('[1 2]').text, '[\n  1 2]', 'the whitespace before the raw rest is kept');
  assert.equal(prettyJson('{"a":1 , }').text, '{\n  "a": 1, }');
  assert.equal(prettyJson('{"\\x":1}').pointers.has('/\\x'), true, 'a key JSON cannot decode keeps its raw text');
});

test('charIndexOfByte turns a UTF-8 byte offset into a UTF-16 index', () => {
  const text = 'aé€😀b';
  // bytes: a=0, é=1–2, €=3–5, 😀=6–9, b=10
  assert.deepEqual([0, 1, 3, 6, 10, 11, 99].map((b) => charIndexOfByte(text, b)), [0, 1, 2, 3, 5, 6, 6]);
  assert.equal(charIndexOfByte(text, 2), 2, 'inside a character: the next one');
  assert.equal(charIndexOfByte(text, 7), 5);
  // a lone surrogate is U+FFFD in the bytes: 3 of them, and the character after it is not skipped
  assert.equal(charIndexOfByte('\ud800xy', 3), 1);
  assert.equal(charIndexOfByte('\ud800xy', 4), 2);
  assert.equal(charIndexOfByte('\udc00xy', 3), 1);
});

test('issueRange: by pointer, else by byte offset (the token there, at most 24 characters), else nowhere', () => {
  const p = prettyJson('{"status":"bogus","id":"x"}');
  assert.deepEqual(issueRange(p, { path: '/status' }), p.pointers.get('/status'));
  assert.equal(issueRange(p, { path: '/missing' }), null);
  assert.equal(issueRange(p, { path: '' }), null, 'the whole record has no place of its own');
  assert.equal(issueRange(p, {}), null);
  assert.equal(issueRange(p, { offset: null }), null);
  const r = issueRange(p, { path: '/missing', offset: 10 });
  assert.equal(p.text.slice(r.start, r.end), '"bogus"');
  const mid = issueRange(p, { offset: 12 });
  assert.equal(p.text.slice(mid.start, mid.end), 'ogus"', 'from the byte in the token to its end');

  const long = prettyJson(`{"e":"${'x'.repeat(100)}"}`);
  const l = issueRange(long, { offset: 5 });
  assert.equal(l.end - l.start, 24);

  const cut = prettyJson('{"a":"ab');
  assert.deepEqual(issueRange(cut, { offset: 100 }), { start: cut.text.length - 1, end: cut.text.length }, 'past the end: the last character');
  assert.deepEqual(issueRange(prettyJson('{"a":1,}'), { offset: 7 }), { start: 11, end: 12 });
  const ws = prettyJson('[1,  2]');
  assert.deepEqual(issueRange(ws, { offset: 3 }), { start: 6, end: 7 }, 'an offset in skipped whitespace: the next character');
});

test('jsonLayout: pieces in order with the highlights of errors and warnings', () => {
  const text = '{"status":"bogus","id":"x"}';
  const issues = [
    { path: '/status', severity: 'error' },
    { path: '/id', severity: 'warning' },
    { path: '/nowhere', severity: 'error' },
    { path: '', severity: 'error' },
  ];
  const { pieces, pretty } = jsonLayout(text, issues);
  assert.equal(pieces.map((x) => x.text).join(''), pretty.text, 'the pieces are the whole printed text');
  const lit = pieces.filter((x) => x.marks.length);
  assert.deepEqual(lit.map((x) => [x.text, x.cls, x.marks]), [
    ['"status"', 'j-key hl-error', [0]], [': ', 'j-punct hl-error', [0]], ['"bogus"', 'j-str hl-error', [0]],
    ['"id"', 'j-key hl-warning', [1]], [': ', 'j-punct hl-warning', [1]], ['"x"', 'j-str hl-warning', [1]],
  ]);
  assert.deepEqual(pieces[1], { text: '\n  ', cls: '', marks: [] });

  const both = jsonLayout(text, [{ path: '/status', severity: 'warning' }, { path: '/status', severity: 'error' }]);
  assert.deepEqual(both.pieces.find((x) => x.text === '"bogus"'), { text: '"bogus"', cls: 'j-str hl-error', marks: [0, 1] });

  const rooted = jsonLayout('[1', [{ path: '', offset: 2, severity: 'error' }]);
  assert.deepEqual(rooted.pieces.filter((x) => x.marks.length).map((x) => x.text), ['1'], 'an offset at the end marks the last character');
});

test('jsonLayout clips a string longer than CLIP_CHARS and leaves the rest to "Show more"', () => {
  const long = 'y'.repeat(CLIP_CHARS * 3);
  const text = `{"error":"${long}","n":1}`;
  const { pieces, pretty } = jsonLayout(text, [{ path: '/n', severity: 'warning' }, { offset: 9 + CLIP_CHARS * 2, severity: 'error' }]);
  const restAt = pieces.findIndex((x) => x.rest);
  assert.ok(restAt > 0);
  const before = pieces[restAt - 1];
  assert.equal(before.text, `"${'y'.repeat(CLIP_CHARS - 1)}`);
  assert.equal(before.cls, 'j-str');
  const rest = pieces[restAt];
  assert.deepEqual(rest, { rest: { start: rest.rest.start, end: rest.rest.start + long.length + 2 }, shown: CLIP_CHARS, cls: 'j-str' });
  assert.equal(pretty.text.slice(rest.rest.start, rest.rest.end), `"${long}"`);
  assert.ok(!pieces.some((x) => x.text && x.text.length > CLIP_CHARS), 'no piece drawn is longer than the clip');
  assert.deepEqual(pieces.filter((x) => x.marks?.length).map((x) => x.text), ['"n"', ': ', '1'], 'a highlight wholly in the hidden part is not drawn');
  const drawn = pieces.map((x) => (x.rest ? pretty.text.slice(x.rest.start + x.shown, x.rest.end) : x.text)).join('');
  assert.equal(drawn, pretty.text, 'shown and hidden parts together are the whole text');

  const short = jsonLayout(`{"e":"${'y'.repeat(CLIP_CHARS - 2)}"}`, []);
  assert.ok(!short.pieces.some((x) => x.rest), 'a token of exactly CLIP_CHARS is shown whole');
});

test('prettyJson: the punctuation is tokens too, and nothing empty is', () => {
  const p = prettyJson('{"a":{},"b":[],"c":[1]}');
  assert.deepEqual(tokens(p).filter(([, cls]) => cls === 'j-punct').map(([s]) => s), ['{', ': ', '{', '}', ',', ': ', '[', ']', ',', ': ', '[', ']', '}']);
  assert.deepEqual(tokens(prettyJson('[1')), [['[', 'j-punct'], ['1', 'j-num']], 'cut at the end: no empty raw token');
  assert.deepEqual(tokens(prettyJson('[x1, -1]')), [['[', 'j-punct'], ['x1', 'j-raw'], [',', 'j-punct'], ['-1', 'j-num'], [']', 'j-punct']]);
  assert.deepEqual(prettyJson('[1]').pointers.get(''), { start: 0, end: 7 });
});

test('prettyJson: nesting deeper than any record is shown raw from there, not a stack overflow', () => {
  const deep = `${'['.repeat(100000)}${']'.repeat(100000)}`;
  const p = prettyJson(deep);
  assert.ok(p.errorAt > 0);
  assert.equal(p.text.slice(p.errorAt), deep.slice(513));
  assert.equal(prettyJson(`${'['.repeat(500)}${']'.repeat(500)}`).errorAt, null);
});

test('charIndexOfByte: every UTF-8 length at its edges, pairs at both ends of the surrogate range', () => {
  assert.equal(charIndexOfByte('\u007fx', 1), 1);
  assert.equal(charIndexOfByte('\u0080x', 2), 1, 'U+0080 is 2 bytes');
  assert.equal(charIndexOfByte('\u07ffx', 2), 1);
  assert.equal(charIndexOfByte('\u0800x', 3), 1, 'U+0800 is 3 bytes');
  assert.equal(charIndexOfByte('\ud800\udc00x', 4), 2, 'U+10000 is 4 bytes');
  assert.equal(charIndexOfByte('\ud800\udc00x', 5), 3);
  assert.equal(charIndexOfByte('\udbff\udfffx', 4), 2, 'U+10FFFF is 4 bytes');
  assert.equal(charIndexOfByte('\udbff\udfffx', 5), 3);
  assert.equal(charIndexOfByte('€\udc00x', 6), 2, 'a lone low surrogate after a 3-byte character');
  assert.equal(charIndexOfByte('\ue000\udc00x', 6), 2);
});

test('issueRange by offset: before the first token, and inside the first token', () => {
  assert.deepEqual(issueRange(prettyJson('  [1]'), { offset: 0 }), { start: 0, end: 1 });
  assert.deepEqual(issueRange(prettyJson('"abcdef"'), { offset: 3 }), { start: 3, end: 8 });
});

test('jsonLayout: an offset highlight inside a token splits it exactly, whitespace inside a highlight is highlighted', () => {
  const text = '{"a":1,"b":"hello","c":3}';
  const { pieces } = jsonLayout(text, [{ offset: 14, severity: 'error' }]);
  assert.deepEqual(pieces.filter((x) => x.marks.length).map((x) => x.text), ['llo"']);
  assert.ok(pieces.some((x) => x.text === '"he' && x.cls === 'j-str'));
  assert.ok(pieces.every((x) => x.rest || x.text.length > 0), 'no empty piece');

  const capped = jsonLayout(`{"e":"${'x'.repeat(100)}","f":1}`, [{ offset: 5, severity: 'warning' }]);
  assert.deepEqual(capped.pieces.filter((x) => x.marks.length).map((x) => [x.text.length, x.cls]), [[24, 'j-str hl-warning']]);
  assert.equal(capped.pieces.find((x) => x.text?.startsWith('x'))?.cls, 'j-str', 'the rest of the token is not highlighted');

  const nested = jsonLayout('{"a":[1,2]}', [{ path: '/a', severity: 'error' }]);
  assert.deepEqual(nested.pieces.map((x) => [x.text, x.cls]), [
    ['{', 'j-punct'], ['\n  ', ''], ['"a"', 'j-key hl-error'], [': ', 'j-punct hl-error'], ['[', 'j-punct hl-error'],
    ['\n    ', 'hl-error'], ['1', 'j-num hl-error'], [',', 'j-punct hl-error'], ['\n    ', 'hl-error'], ['2', 'j-num hl-error'],
    ['\n  ', 'hl-error'], [']', 'j-punct hl-error'], ['\n', ''], ['}', 'j-punct'],
  ]);
  assert.deepEqual(jsonLayout('', [{ offset: 0, severity: 'error' }]).pieces, []);
});

test('jsonLayout of a long record of short tokens: each piece is one whole token or the space between two', () => {
  const text = `[${Array(800).fill(12345).join(',')}]`;
  const { pieces, pretty } = jsonLayout(text, []);
  const tokenTexts = new Set(pretty.tokens.map((t) => pretty.text.slice(t.start, t.end)));
  assert.deepEqual([...tokenTexts].sort(), [',', '12345', '[', ']']);
  for (const piece of pieces) assert.ok(/^\s+$/.test(piece.text) || tokenTexts.has(piece.text), JSON.stringify(piece));
  assert.equal(pieces.length, pretty.tokens.length + 801, 'and one piece of space before each item and the closing bracket');
});

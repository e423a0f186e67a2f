// The documentation is tested: README.md and docs/*.md against the built package (pkg/) and the Rust source.
//
// Convention for code blocks (also stated in docs/reliability.md):
//   ```js          run under Node by this test: written to a file of its own in a fresh temporary directory where
//                  `fn-calls` (and `fn-calls/server`) resolve to the built package and the input files an example
//                  names (call.json, calls.ndjson, …; see INPUTS below) are provided; it must exit with status 0.
//                  A block with `import`/`export` or top-level `await` runs as an ES module (.mjs), else as
//                  CommonJS (.cjs). Examples assert what they claim (node:assert), so a page that misdescribes the
//                  package fails here.
//   ```js browser  browser-only code (needs init() and a page): not run. Keep these few, and fragments.
//   ```ts          TypeScript: not run.
//   ```sh / ``` …  shell sessions, output, diagrams: not run (anything that needs the network is one of these).
// Any other JavaScript-like fence (```javascript, ```mjs, ```js foo …) fails the test, so nothing is skipped by accident.
//
// The same test checks the pages: README.md stays under 16 KB and links every docs/*.md page; every relative link,
// and every #anchor (GitHub's slugs), points to a file and heading that exist; no doc refers to files outside the
// repository; docs/issue-codes.md lists exactly the issue codes the Rust source (src/**/*.rs) can report.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { execFile, spawnSync } from 'node:child_process';
import {
  copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../../', import.meta.url));
const pkg = join(root, 'pkg');
const docsDir = join(root, 'docs');

const README_LIMIT = 16384;
const RUN_TIMEOUT_MS = 60_000;
/** Blocks that are JavaScript but not run (```js browser, ```ts): few, by design. */
const MAX_UNRUN_BLOCKS = 8;

const docPages = readdirSync(docsDir).filter((f) => f.endsWith('.md')).sort();
const docFiles = ['README.md', ...docPages.map((f) => `docs/${f}`)];
const read = (rel) => readFileSync(join(root, rel), 'utf8');

// ---- Markdown --------------------------------------------------------------------------------------------------

/** Fenced code blocks: `{ info, code, line }` (line: 1-based line of the opening fence). */
function codeBlocks(text) {
  const blocks = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const open = /^ {0,3}(`{3,}|~{3,})(.*)$/.exec(lines[i]);
    if (!open || (open[1][0] === '`' && open[2].includes('`'))) continue; // CommonMark: not a fence
    const fence = open[1];
    const body = [];
    let j = i + 1;
    for (; j < lines.length; j++) {
      const close = /^ {0,3}(`{3,}|~{3,})\s*$/.exec(lines[j]);
      if (close && close[1][0] === fence[0] && close[1].length >= fence.length) break;
      body.push(lines[j]);
    }
    blocks.push({ info: open[2].trim(), code: body.join('\n') + '\n', line: i + 1 });
    i = j;
  }
  return blocks;
}

/** The text outside fenced code blocks, with inline code spans blanked (links inside them are not links). */
function prose(text) {
  const lines = text.split('\n');
  const out = [];
  let fence = null;
  for (const line of lines) {
    const m = /^ {0,3}(`{3,}|~{3,})(.*)$/.exec(line);
    if (m && !fence && m[1][0] === '`' && m[2].includes('`')) {
      out.push(line.replace(/(`+)(?:(?!\1)[\s\S])*?\1/g, (x) => ' '.repeat(x.length)));
      continue;
    }
    if (fence) {
      if (m && m[1][0] === fence[0] && m[1].length >= fence.length && /^ {0,3}(`{3,}|~{3,})\s*$/.test(line)) fence = null;
      out.push('');
    } else if (m) {
      fence = m[1];
      out.push('');
    } else {
      out.push(line.replace(/(`+)(?:(?!\1)[\s\S])*?\1/g, (s) => ' '.repeat(s.length)));
    }
  }
  return out.join('\n');
}

/** GitHub's heading anchors: lower case, punctuation other than `-` and `_` dropped, spaces to `-`, repeats numbered. */
function anchors(text) {
  const seen = new Map();
  const out = new Set();
  const lines = prose(text.replace(/`([^`]*)`/g, (_, s) => `\u0000${s}\u0000`)).split('\n');
  for (const line of lines) {
    const h = /^ {0,3}#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    if (!h) continue;
    const textOnly = h[1]
      .replace(/\u0000/g, '')
      .replace(/!\[([^\]]*)\]\([^)]*\)/g, '$1')
      .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
      .replace(/<[^>]+>/g, '');
    let slug = textOnly.toLowerCase().replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '').replace(/ /g, '-');
    const n = seen.get(slug) ?? 0;
    seen.set(slug, n + 1);
    if (n > 0) slug = `${slug}-${n}`;
    out.add(slug);
  }
  return out;
}

/** Inline links and images outside code: `{ target, line }`. */
function links(text) {
  const out = [];
  const lines = prose(text).split('\n');
  lines.forEach((line, i) => {
    for (const m of line.matchAll(/!?\[(?:[^\]\\]|\\.)*\]\(\s*<?([^)\s>]*)>?(?:\s+"[^"]*")?\s*\)/g)) {
      out.push({ target: m[1], line: i + 1 });
    }
  });
  return out;
}

// ---- Issue codes in the Rust source ----------------------------------------------------------------------------

function rustFiles(dir) {
  const out = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...rustFiles(p));
    else if (e.name.endsWith('.rs')) out.push(p);
  }
  return out;
}

/** Rust source without comments, with character literals blanked (so a `'"'` cannot open a string). */
function stripRust(s) {
  let out = '';
  let i = 0;
  while (i < s.length) {
    const c = s[i];
    if (c === '/' && s[i + 1] === '/') {
      while (i < s.length && s[i] !== '\n') i++;
      continue;
    }
    if (c === '/' && s[i + 1] === '*') {
      let depth = 1;
      i += 2;
      while (i < s.length && depth) {
        if (s[i] === '/' && s[i + 1] === '*') (depth++, (i += 2));
        else if (s[i] === '*' && s[i + 1] === '/') (depth--, (i += 2));
        else i++;
      }
      continue;
    }
    const raw = /^b?r(#*)"/.exec(s.slice(i, i + 12));
    if (raw && !/\w/.test(s[i - 1] ?? '')) {
      const end = s.indexOf(`"${raw[1]}`, i + raw[0].length);
      const stop = end < 0 ? s.length : end + 1 + raw[1].length;
      out += s.slice(i, stop);
      i = stop;
      continue;
    }
    if (c === '"') {
      let j = i + 1;
      while (j < s.length && s[j] !== '"') j += s[j] === '\\' ? 2 : 1;
      out += s.slice(i, j + 1);
      i = j + 1;
      continue;
    }
    if (c === "'") {
      const ch = /^'(?:\\(?:u\{[0-9a-fA-F]+\}|x[0-9a-fA-F]{2}|.)|[^'\\])'/u.exec(s.slice(i, i + 12));
      if (ch) {
        out += "' '";
        i += ch[0].length;
        continue;
      }
    }
    out += c;
    i++;
  }
  return out;
}

/** Drops `#[cfg(test)] mod … { … }` blocks: codes used only by tests are not codes the package reports. */
function withoutTests(s) {
  for (;;) {
    const m = /#\[cfg\(test\)\]\s*(?:pub(?:\([^)]*\))?\s+)?mod\s+\w+\s*\{/.exec(s);
    if (!m) return s;
    let i = m.index + m[0].length;
    let depth = 1;
    while (i < s.length && depth) {
      const c = s[i];
      if (c === '"') {
        i++;
        while (i < s.length && s[i] !== '"') i += s[i] === '\\' ? 2 : 1;
      } else if (c === '{') depth++;
      else if (c === '}') depth--;
      i++;
    }
    s = s.slice(0, m.index) + s.slice(i);
  }
}

/** Splits an argument list at its top-level commas. */
function splitArgs(s) {
  const parts = [];
  let depth = 0;
  let cur = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === '"') {
      let j = i + 1;
      while (j < s.length && s[j] !== '"') j += s[j] === '\\' ? 2 : 1;
      cur += s.slice(i, j + 1);
      i = j;
      continue;
    }
    if ('([{'.includes(c)) depth++;
    else if (')]}'.includes(c)) depth--;
    if (c === ',' && depth === 0) {
      parts.push(cur.trim());
      cur = '';
    } else cur += c;
  }
  if (cur.trim()) parts.push(cur.trim());
  return parts;
}

/**
 * Every issue code the Rust source can report, with the files it is reported from. Codes reach an `Issue` in these
 * ways, and each is looked for:
 * - a list of codes, `Name = "code",` entries in a macro invocation such as `issue_codes! { … }` that defines an enum
 *   of codes (`IssueCode`): a code counts when its variant is used outside that list (`IssueCode::Name`, through an
 *   alias `IssueCode as C` → `C::Name`, or bare after a glob import `IssueCode::*`);
 * - a string literal passed as the code to `Issue::new(severity, code, …)` or to any helper that has a
 *   `code: &str` parameter (`error(code, …)`, `r.warn(code, …)`, closures like `err(code, …)`), found by its
 *   signature, so new helpers are picked up;
 * - `SomeCode::Variant => "code"` (an enum of codes written as strings) and `issue.code = "code"` (a code rewritten).
 */
function emittedCodes() {
  const sources = rustFiles(join(root, 'src')).map((f) => [relative(root, f), withoutTests(stripRust(readFileSync(f, 'utf8')))]);
  const codes = new Map();
  const add = (code, file) => {
    if (!codes.has(code)) codes.set(code, new Set());
    codes.get(code).add(file);
  };

  // Lists of codes in macro invocations, and the enums they define.
  const variants = new Map(); // variant name → code
  const stripped = new Map(); // file → source without the lists (so a list does not count as a use of itself)
  for (const [file, s] of sources) {
    let rest = s;
    for (const m of s.matchAll(/\b\w+!\s*\{/g)) {
      let i = m.index + m[0].length;
      let depth = 1;
      while (i < s.length && depth) {
        const c = s[i];
        if (c === '"') {
          i++;
          while (i < s.length && s[i] !== '"') i += s[i] === '\\' ? 2 : 1;
        } else if (c === '{') depth++;
        else if (c === '}') depth--;
        i++;
      }
      const body = s.slice(m.index, i);
      const entries = [...body.matchAll(/(?:^|[,{\]])\s*([A-Z]\w*)\s*=\s*"([a-z][a-z0-9_]*)"\s*(?=,|\})/g)];
      if (entries.length < 10) continue;
      for (const [, name, code] of entries) variants.set(name, code);
      rest = rest.replace(body, ' ');
    }
    stripped.set(file, rest);
  }
  if (variants.size) {
    const names = [...variants.keys()].join('|');
    for (const [file, s] of stripped) {
      const prefixes = ['IssueCode', ...[...s.matchAll(/\bIssueCode\s+as\s+(\w+)/g)].map((m) => m[1])];
      const re = new RegExp(`\\b(?:${prefixes.join('|')})::(${names})\\b`, 'g');
      for (const m of s.matchAll(re)) add(variants.get(m[1]), file);
      if (/\bIssueCode::\*/.test(s)) {
        for (const m of s.matchAll(new RegExp(`\\b(${names})\\b`, 'g'))) add(variants.get(m[1]), file);
      }
    }
  }

  // String literals passed as codes.
  const helpers = new Map([['Issue::new', new Set([1])]]);
  const addHelper = (name, params) => {
    const k = splitArgs(params)
      .filter((p) => !/^(&\s*('\w+\s+)?)?(mut\s+)?self$/.test(p))
      .findIndex((p) => /^code\s*:\s*&/.test(p));
    if (k < 0) return;
    if (!helpers.has(name)) helpers.set(name, new Set());
    helpers.get(name).add(k);
  };
  for (const [, s] of sources) {
    for (const m of s.matchAll(/\bfn\s+(\w+)\s*(?:<[^>{(]*>)?\s*\(([^)]*)\)/g)) addHelper(m[1], m[2]);
    for (const m of s.matchAll(/\blet\s+(\w+)\s*=\s*(?:move\s*)?\|([^|]*)\|/g)) addHelper(m[1], m[2]);
  }
  for (const [file, s] of sources) {
    for (const [name, positions] of helpers) {
      const re = new RegExp(`(?<![\\w])${name.replace(/:/g, '\\:')}\\s*\\(`, 'g');
      for (const m of s.matchAll(re)) {
        let i = m.index + m[0].length;
        const start = i;
        let depth = 1;
        while (i < s.length && depth) {
          const c = s[i];
          if (c === '"') {
            i++;
            while (i < s.length && s[i] !== '"') i += s[i] === '\\' ? 2 : 1;
          } else if ('([{'.includes(c)) depth++;
          else if (')]}'.includes(c)) depth--;
          i++;
        }
        const args = splitArgs(s.slice(start, i - 1));
        for (const k of positions) {
          const lit = /^"([a-z][a-z0-9_]*)"(?:\.(?:into|to_string|to_owned)\(\))?$/.exec(args[k] ?? '');
          if (lit) add(lit[1], file);
        }
      }
    }
    for (const m of s.matchAll(/\b\w+Code::\w+\s*=>\s*"([a-z][a-z0-9_]*)"/g)) add(m[1], file);
    for (const m of s.matchAll(/\.code\s*=\s*"([a-z][a-z0-9_]*)"/g)) add(m[1], file);
  }
  return codes;
}

/** The codes in the first column of docs/issue-codes.md's tables whose first header is `code`. */
function documentedCodes() {
  const lines = prose(read('docs/issue-codes.md').replace(/`/g, '\u0001')).split('\n');
  const codes = new Set();
  let inCodeTable = false;
  for (const line of lines) {
    if (!line.startsWith('|')) {
      inCodeTable = false;
      continue;
    }
    const first = line.split('|')[1].trim();
    if (/^code$/i.test(first)) {
      inCodeTable = true;
      continue;
    }
    if (!inCodeTable || /^:?-+:?$/.test(first)) continue;
    for (const m of first.matchAll(/\u0001([a-z][a-z0-9_]*)\u0001/g)) codes.add(m[1]);
  }
  return codes;
}

// ---- Page checks -----------------------------------------------------------------------------------------------

test('README.md is the front door: under 16 KB', () => {
  const size = statSync(join(root, 'README.md')).size;
  assert.ok(size < README_LIMIT, `README.md is ${size} bytes; keep it under ${README_LIMIT} (move reference to docs/)`);
});

test('README.md links every docs/*.md page, LICENSE and CHANGELOG.md', () => {
  const targets = new Set(links(read('README.md')).map((l) => l.target.split('#')[0]));
  const missing = docPages.map((f) => `docs/${f}`).filter((p) => !targets.has(p));
  assert.deepEqual(missing, [], `pages not linked from README.md: ${missing.join(', ')}`);
  for (const f of ['LICENSE', 'CHANGELOG.md']) assert.ok(targets.has(f), `README.md does not link ${f}`);
});

test('every relative link and #anchor in README.md and docs/*.md resolves', () => {
  const broken = [];
  const anchorCache = new Map();
  const anchorsOf = (abs) => {
    if (!anchorCache.has(abs)) anchorCache.set(abs, anchors(readFileSync(abs, 'utf8')));
    return anchorCache.get(abs);
  };
  for (const file of docFiles) {
    for (const { target, line } of links(read(file))) {
      if (/^[a-z][a-z0-9+.-]*:/i.test(target) || target.startsWith('//')) continue; // https:, mailto:, …
      const [path, hash] = target.split('#');
      const abs = path === '' ? join(root, file) : resolve(dirname(join(root, file)), decodeURIComponent(path));
      const where = `${file}:${line} → ${target}`;
      if (!abs.startsWith(root)) {
        broken.push(`${where}: outside the repository`);
        continue;
      }
      if (!existsSync(abs)) {
        broken.push(`${where}: no such file`);
        continue;
      }
      if (hash !== undefined && abs.endsWith('.md') && !anchorsOf(abs).has(decodeURIComponent(hash))) {
        broken.push(`${where}: no heading with this anchor`);
      }
    }
  }
  assert.deepEqual(broken, []);
});

test('the docs refer to nothing outside the repository', () => {
  const tracked = spawnSync('git', ['ls-files', '--', '*.md'], { cwd: root, encoding: 'utf8' });
  const files = new Set(docFiles);
  if (tracked.status === 0) for (const f of tracked.stdout.split('\n')) if (f && existsSync(join(root, f))) files.add(f);
  const offending = [];
  for (const f of files) {
    const text = read(f);
    for (const bad of [['..', 'shared'].join('/'), 'SPEC.md', '/work/']) if (text.includes(bad)) offending.push(`${f}: ${bad}`);
  }
  assert.deepEqual(offending, []);
});

test('docs/issue-codes.md lists exactly the issue codes the Rust source reports', () => {
  const emitted = emittedCodes();
  assert.ok(emitted.size > 30, `found only ${emitted.size} codes in src/: the extraction is broken`);
  for (const known of ['json_syntax', 'bad_status', 'missing_key', 'goes_back', 'per_page_clamped', 'not_epoch_time', 'too_many_buckets']) {
    assert.ok(emitted.has(known), `the extraction misses '${known}'`);
  }
  const documented = documentedCodes();
  const undocumented = [...emitted.keys()].filter((c) => !documented.has(c)).sort();
  const neverEmitted = [...documented].filter((c) => !emitted.has(c)).sort();
  assert.deepEqual(
    { undocumented, neverEmitted },
    { undocumented: [], neverEmitted: [] },
    `undocumented (in ${undocumented.map((c) => `${c}: ${[...emitted.get(c)].join(', ')}`).join('; ') || '—'}); ` +
      `documented but never emitted: ${neverEmitted.join(', ') || '—'}`,
  );
});

test('docs/issue-codes.md lists exactly what the package exports as issueCodes(), in the same order', () => {
  const pkgCodes = createRequire(import.meta.url)('../../pkg').issueCodes();
  assert.ok(pkgCodes.length > 30);
  assert.deepEqual([...documentedCodes()], pkgCodes);
});

// ---- Runnable examples -----------------------------------------------------------------------------------------

/** The files examples read, by the name they use. Generated ones are made once per test run. */
const INPUTS = {
  'call.json': () => join(root, 'tests/docs-fixtures/call.json'),
  'page.json': () => join(root, 'tests/fixtures/generated-v1-calls-list-page.json'),
  'async-queued.json': () => join(root, 'tests/fixtures/generated-v1-call-full-mq-async.json'),
  'log.json': () => join(root, 'tests/fixtures/generated-v1-call-log.json'),
  'calls.ndjson': () => generated('calls.ndjson', 1000, true),
  // ends with a timeout call and no newline: its match comes only from finish()
  'huge.ndjson': () => generated('huge.ndjson', 3000, false),
};

let scratch;
const made = new Map();
async function generatedLines(count) {
  const { generateCalls } = await import(new URL('../../scripts/gen-calls.mjs', import.meta.url));
  return generateCalls({ count, seed: 42 });
}
const pending = [];
function generated(name, count, newline) {
  if (!made.has(name)) {
    const file = join(scratch, name);
    pending.push(
      generatedLines(count).then((lines) => {
        if (!newline) {
          const timeout = lines.findLast((l) => l.includes('"status":"timeout"'));
          assert.ok(timeout, 'the generator wrote no timeout');
          lines = [...lines, timeout];
        }
        writeFileSync(file, lines.join('\n') + (newline ? '\n' : ''));
      }),
    );
    made.set(name, file);
  }
  return made.get(name);
}

const blocks = [];
for (const file of docFiles) {
  for (const b of codeBlocks(read(file))) blocks.push({ file, ...b });
}
const isJsLike = (info) => /^(js|javascript|mjs|cjs|jsx|ts|tsx|typescript)\b/i.test(info);
const runnable = blocks.filter((b) => b.info === 'js');
const notRun = blocks.filter((b) => b.info === 'js browser' || b.info === 'ts');

test('JavaScript blocks follow the convention (```js runs; ```js browser and ```ts do not)', () => {
  const odd = blocks.filter((b) => isJsLike(b.info) && b.info !== 'js' && b.info !== 'js browser' && b.info !== 'ts');
  assert.deepEqual(odd.map((b) => `${b.file}:${b.line} \`\`\`${b.info}`), []);
  assert.ok(notRun.length <= MAX_UNRUN_BLOCKS, `${notRun.length} blocks are not run; keep such blocks few`);
  assert.ok(runnable.length >= 20, `only ${runnable.length} runnable blocks found`);
  for (const b of notRun) {
    assert.ok(b.code.split('\n').length <= 25, `${b.file}:${b.line}: a block that is not run should be a short fragment`);
  }
});

test('every ```js block in README.md and docs/*.md runs', async (t) => {
  scratch = mkdtempSync(join(tmpdir(), 'fn-calls-docs-'));
  t.after(() => rmSync(scratch, { recursive: true, force: true }));
  assert.ok(existsSync(join(pkg, 'node', 'index.js')), 'pkg/ is not built: run bash scripts/build.sh first');

  for (const [i, block] of runnable.entries()) {
    await t.test(`${block.file}:${block.line}`, async () => {
      const dir = join(scratch, `block-${String(i).padStart(2, '0')}`);
      mkdirSync(join(dir, 'node_modules'), { recursive: true });
      // A package.json of its own, so that no package.json above the temporary directory takes part in resolution.
      writeFileSync(join(dir, 'package.json'), '{ "name": "fn-calls-docs-example", "private": true }\n');
      symlinkSync(pkg, join(dir, 'node_modules', 'fn-calls'), 'dir');
      for (const [name, source] of Object.entries(INPUTS)) {
        if (!new RegExp(`['"\`]${name.replace('.', '\\.')}['"\`]`).test(block.code)) continue;
        const from = source();
        await Promise.all(pending.splice(0));
        copyFileSync(from, join(dir, name));
      }
      const esm = /^\s*(import|export)\s/m.test(block.code) || /^(?:[^\n(]*\s)?await\s/m.test(block.code) && !/\brequire\(/.test(block.code);
      const script = join(dir, esm ? 'example.mjs' : 'example.cjs');
      writeFileSync(script, block.code);
      try {
        await run(process.execPath, [script], { cwd: dir, timeout: RUN_TIMEOUT_MS, maxBuffer: 64 * 1024 * 1024 });
      } catch (e) {
        const why = e.killed ? `timed out after ${RUN_TIMEOUT_MS} ms` : `exit code ${e.code}`;
        assert.fail(`${block.file}:${block.line} (\`\`\`js, run as ${esm ? '.mjs' : '.cjs'}): ${why}\n${e.stderr}`);
      }
    });
  }
});

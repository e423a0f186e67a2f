// The CI slice of mutation testing (docs/mutation-testing.md, "The CI slice"), run by `bash scripts/mutants.sh ci`
// and by scripts/test.sh. Two parts, both deterministic:
//
//   core   the fixed mutants of .cargo/mutants-ci.txt, one at a time, each applied to a scratch copy of the crate
//          (target/mutants-ci/crate, built in target/mutants-ci/target), never to the tree itself, with only the
//          test targets named for it; a mutant that survives, does not build or no longer applies fails the slice.
//   cli    Stryker on the lines of js/cli/text.mjs in CLI_RANGE with the module's unit tests; a survivor fails the
//          slice unless .cargo/mutants-ci.txt accepts it (`accept-js = file: mutator: replacement`).
//
// Usage: node scripts/mutants-ci.mjs [core] [cli]     (both by default)
// CI_CAP_SECONDS (default 300) caps the whole run: past it the slice stops and fails, saying so.
import { spawnSync, spawn } from 'node:child_process';
import { readFileSync, writeFileSync, mkdirSync, existsSync, copyFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const LIST = join(root, '.cargo', 'mutants-ci.txt');
const WORK = join(root, 'target', 'mutants-ci');
const CRATE = join(WORK, 'crate');
const CLI_FILE = 'js/cli/text.mjs';
const CLI_RANGE = '1-25';
const CLI_TESTS = 'tests/js/cli-text.test.mjs';
const capSeconds = Number(process.env.CI_CAP_SECONDS ?? 300);
/** One mutant's build and tests; longer is a hang, which the tests catch (as cargo-mutants counts a timeout). */
const MUTANT_LIMIT_MS = 120_000;
const started = Date.now();
const left = () => capSeconds * 1000 - (Date.now() - started);
const elapsed = () => `${((Date.now() - started) / 1000).toFixed(0)} s`;

/** The blocks of the list: `{ title, file, tests, line, mutant }`, and the accepted Stryker survivors. */
function readList() {
  const mutants = [];
  const acceptJs = [];
  let cur = null;
  for (const raw of readFileSync(LIST, 'utf8').split('\n')) {
    const text = raw.trim();
    if (!text || text.startsWith('#')) continue;
    const title = /^\[(.*)\]$/.exec(text);
    if (title) {
      cur = { title: title[1] };
      mutants.push(cur);
      continue;
    }
    const kv = /^([a-z-]+) = (.*)$/.exec(text);
    if (!kv) throw new Error(`${LIST}: cannot read the line '${text}'`);
    if (kv[1] === 'accept-js') acceptJs.push(kv[2].trim());
    else if (cur) cur[kv[1]] = kv[2];
    else throw new Error(`${LIST}: '${kv[1]}' outside a block`);
  }
  for (const m of mutants) {
    for (const k of ['file', 'tests', 'line', 'mutant']) if (!m[k]) throw new Error(`${LIST}: [${m.title}] has no ${k}`);
  }
  return { mutants, acceptJs };
}

/** Runs a command with a time limit; `{ code, out, timedOut }`. */
function run(cmd, args, { cwd = root, env = {}, limitMs = left() } = {}) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    const out = [];
    child.stdout.on('data', (d) => out.push(d));
    child.stderr.on('data', (d) => out.push(d));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }, Math.max(1, limitMs));
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, out: Buffer.concat(out).toString('utf8'), timedOut });
    });
  });
}

function fail(message) {
  console.error(`mutants ci: ${message}`);
  process.exit(1);
}

function overCap(where) {
  fail(`the slice took longer than CI_CAP_SECONDS=${capSeconds} s (stopped ${where}); make the slice smaller or raise the cap`);
}

/** The tracked files, copied into the scratch crate when they differ (so that a second run builds incrementally). */
function syncCrate() {
  const r = spawnSync('git', ['ls-files', '-z'], { cwd: root, encoding: 'utf8' });
  if (r.status !== 0) fail(`git ls-files failed: ${r.stderr}`);
  for (const f of r.stdout.split('\0')) {
    if (!f || f.startsWith('www/') || f.startsWith('docs/screenshots/')) continue;
    const from = join(root, f);
    if (!existsSync(from) || !statSync(from).isFile()) continue;
    const to = join(CRATE, f);
    const data = readFileSync(from);
    if (existsSync(to) && readFileSync(to).equals(data)) continue;
    mkdirSync(dirname(to), { recursive: true });
    copyFileSync(from, to);
  }
}

const cargoEnv = { CARGO_TARGET_DIR: join(WORK, 'target'), CARGO_TERM_COLOR: 'never' };
const testArgs = (tests) => ['test', '--locked', '-q', ...tests.split(/\s+/).filter(Boolean)];

async function core() {
  const { mutants } = readList();
  mkdirSync(CRATE, { recursive: true });
  syncCrate();
  // Every mutant must still apply before anything is built.
  for (const m of mutants) {
    const text = readFileSync(join(CRATE, m.file), 'utf8');
    const n = text.split(m.line).length - 1;
    if (n !== 1) {
      fail(`[${m.title}]: the line '${m.line}' occurs ${n} times in ${m.file} (once expected): update its block in .cargo/mutants-ci.txt`);
    }
  }
  // The test targets of all the mutants, each once: `--lib`, `--test NAME`.
  const targets = new Set();
  for (const m of mutants) {
    const words = m.tests.split(/\s+/).filter(Boolean);
    for (let i = 0; i < words.length; i++) targets.add(words[i] === '--test' ? `--test ${words[++i]}` : words[i]);
  }
  const allTests = [...targets].join(' ');
  const base = await run('cargo', testArgs(allTests), { cwd: CRATE, env: cargoEnv });
  if (base.timedOut) overCap('building and testing the unmutated copy');
  if (base.code !== 0) fail(`the unmutated copy fails its tests (${allTests}):\n${base.out.slice(-3000)}`);
  console.log(`mutants ci: core: the unmutated copy passes (${elapsed()})`);
  const missed = [];
  for (const m of mutants) {
    const path = join(CRATE, m.file);
    const original = readFileSync(path, 'utf8');
    writeFileSync(path, original.replace(m.line, m.mutant));
    let r;
    const limitMs = Math.min(left(), MUTANT_LIMIT_MS);
    try {
      r = await run('cargo', testArgs(m.tests), { cwd: CRATE, env: cargoEnv, limitMs });
    } finally {
      writeFileSync(path, original);
    }
    if (r.timedOut && limitMs < MUTANT_LIMIT_MS) overCap(`at [${m.title}]`);
    const unviable = /error(\[E\d+\])?: |could not compile/.test(r.out) && !/test result:/.test(r.out);
    // A mutant that makes a test loop for ever is caught when its time is up (a build never takes that long here).
    const outcome = r.timedOut ? 'TIMEOUT' : r.code === 0 ? 'MISSED' : unviable ? 'UNVIABLE' : 'caught';
    console.log(`mutants ci: core: ${outcome.padEnd(8)} [${m.title}] (${elapsed()})`);
    if (outcome === 'MISSED' || outcome === 'UNVIABLE') missed.push({ m, outcome, out: r.out });
  }
  if (missed.length) {
    for (const { m, outcome, out } of missed) {
      console.error(`\n${outcome}: [${m.title}] ${m.file}: '${m.line}' → '${m.mutant}' with ${m.tests}`);
      if (outcome === 'UNVIABLE') console.error(out.slice(-2000));
    }
    fail(`${missed.length} of ${mutants.length} core mutants not caught. A survivor needs a test (docs/mutation-testing.md says how); a mutant that no longer builds needs its block updated.`);
  }
  console.log(`mutants ci: core: all ${mutants.length} mutants caught`);
}

async function cli() {
  const { acceptJs } = readList();
  const report = join(root, 'test-results', 'mutation', 'stryker-ci.json');
  const r = await run('npx', ['stryker', 'run', 'stryker.conf.mjs'], {
    env: {
      STRYKER_MUTATE: `${CLI_FILE}:${CLI_RANGE}`,
      STRYKER_TEST_FILES: CLI_TESTS,
      STRYKER_REPORT: report,
      STRYKER_TEMP_DIR: 'test-results/stryker-ci-tmp',
    },
  });
  if (r.timedOut) overCap('in the Stryker run');
  if (r.code !== 0) fail(`Stryker failed (exit ${r.code}):\n${r.out.slice(-3000)}`);
  const doc = JSON.parse(readFileSync(report, 'utf8'));
  const all = Object.entries(doc.files).flatMap(([file, f]) => f.mutants.map((m) => ({ file, ...m })));
  const key = (m) => `${m.file}: ${m.mutatorName}: ${m.replacement}`;
  const survivors = all.filter((m) => m.status === 'Survived' || m.status === 'NoCoverage');
  const unaccepted = survivors.filter((m) => !acceptJs.includes(key(m)));
  const caught = all.filter((m) => m.status === 'Killed' || m.status === 'Timeout').length;
  console.log(`mutants ci: cli: ${all.length} mutants of ${CLI_FILE}:${CLI_RANGE}, ${caught} caught, ${survivors.length} survived (${survivors.length - unaccepted.length} accepted) (${elapsed()})`);
  if (unaccepted.length) {
    for (const m of unaccepted) console.error(`survived: ${key(m)} (line ${m.location.start.line})`);
    fail('Stryker mutants survived the unit tests and are not accepted in .cargo/mutants-ci.txt (accept-js = …)');
  }
}

const parts = process.argv.slice(2);
if (parts.length === 0 || parts.includes('core')) await core();
if (parts.length === 0 || parts.includes('cli')) await cli();
console.log(`mutants ci: done in ${elapsed()} (cap ${capSeconds} s)`);

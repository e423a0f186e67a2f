#!/usr/bin/env bash
# Mutation testing: small deliberate bugs, one at a time, each of which some test should catch. docs/mutation-testing.md
# has the results, the survivors that are accepted and why, and how long each run takes.
#
#   bash scripts/mutants.sh ci               the CI slice (scripts/test.sh runs it): the fixed mutants of
#                                            .cargo/mutants-ci.txt on a scratch copy of the crate, and Stryker on part
#                                            of js/cli/text.mjs with its unit tests; a time cap (CI_CAP_SECONDS, 300);
#                                            fails on a survivor that is not accepted. Needs pkg/ built
#   bash scripts/mutants.sh functions        cargo-mutants on every mutant of the functions where survivors were
#                                            found (longer); fails on a survivor .cargo/mutants-accepted.txt lacks
#   bash scripts/mutants.sh rust [FILE…]     cargo-mutants on these core files (default: the whole core outside
#                                            src/wasm/), with the native suite; one mutant at a time
#   bash scripts/mutants.sh js [FILE[:RANGE]…]  Stryker on js/cli (or these files or line ranges) with the CLI suite;
#                                            STRYKER_TESTS (a test-name regex) narrows the suite. Needs pkg/ built
#   bash scripts/mutants.sh www [FILE[:RANGE]…]  Stryker on the dashboard's own logic (www/src: dom.js's formatting
#                                            and time helpers, jsonview.js, data.js) with its Node unit tests. Needs pkg/
#   bash scripts/mutants.sh full             rust, then js, then www, on everything: many hours (see the docs page)
#
# Installs what it needs: cargo-mutants (pinned) into .tools/, the npm packages (Stryker is a dev dependency).
# Results go to test-results/mutants/ (cargo-mutants) and test-results/mutation/ (Stryker).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

CARGO_MUTANTS_VERSION=27.1.0
# The functions where hand-made or cargo-mutants survivors were found (see docs/mutation-testing.md), matched
# against the mutant names that `cargo mutants --list` prints.
FUNCTIONS='GoTime::is_zero|fold_eq|match_members|unknown_field|replace > with .* in Cur<.a>::stats'
FUNCTION_FILES=(src/datetime.rs src/read.rs src/fast_read.rs src/tree.rs)
FUNCTIONS_CAP_SECONDS=${FUNCTIONS_CAP_SECONDS:-900}
# Shorter builds for every mutant: no debug info (a failing test's backtrace still names the test).
export CARGO_PROFILE_DEV_DEBUG=0 CARGO_PROFILE_TEST_DEBUG=0

need_cargo_mutants() {
  local have
  have=$("$root/.tools/bin/cargo-mutants" mutants --version 2>/dev/null | awk '{print $2}' || true)
  if [ "$have" != "$CARGO_MUTANTS_VERSION" ]; then
    echo "== installing cargo-mutants $CARGO_MUTANTS_VERSION into .tools/"
    cargo install --locked cargo-mutants --version "=$CARGO_MUTANTS_VERSION" --root "$root/.tools"
  fi
  export PATH="$root/.tools/bin:$PATH"
}

need_npm() {
  if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    npm ci --no-audit --no-fund
  fi
}

# cargo-mutants, one job, scratch copies of the tree; .cargo/mutants.toml excludes src/wasm/ and says how to test.
rust() {
  need_cargo_mutants
  local files=()
  for f in "$@"; do files+=(-f "$f"); done
  mkdir -p test-results/mutants/rust
  cargo mutants -j 1 -o test-results/mutants/rust "${files[@]}"
}

js() {
  need_npm
  [ -f pkg/node/index.js ] || { echo "pkg/ is not built: run bash scripts/build.sh first" >&2; return 1; }
  if [ $# -gt 0 ]; then
    STRYKER_MUTATE=$(IFS=,; echo "$*") npx stryker run stryker.conf.mjs
  else
    npx stryker run stryker.conf.mjs
  fi
}

# The dashboard's own logic (formatting and time helpers, the record view, server loading), with its Node unit tests;
# the DOM-building parts of these files are tested in Chromium and left out of the ranges.
WWW_MUTATE='www/src/dom.js:44-174,www/src/dom.js:195-210,www/src/dom.js:263-269,www/src/jsonview.js:1-248,www/src/data.js:1-133,www/src/data.js:157-350'
www() {
  need_npm
  [ -f pkg/node/index.js ] || { echo "pkg/ is not built: run bash scripts/build.sh first" >&2; return 1; }
  local mutate=$WWW_MUTATE
  if [ $# -gt 0 ]; then mutate=$(IFS=,; echo "$*"); fi
  STRYKER_MUTATE=$mutate STRYKER_TEST_FILES="${STRYKER_TEST_FILES:-tests/js/www-dom.test.mjs tests/js/www-jsonview.test.mjs tests/js/www-data.test.mjs}" \
    STRYKER_REPORT="${STRYKER_REPORT:-test-results/mutation/stryker-www.json}" npx stryker run stryker.conf.mjs
}

# The CI slice: no cargo-mutants to install, one scratch build, a few seconds a mutant (scripts/mutants-ci.mjs).
ci() {
  need_npm
  [ -f pkg/node/index.js ] || { echo "pkg/ is not built: run bash scripts/build.sh first" >&2; return 1; }
  node scripts/mutants-ci.mjs
}

functions() {
  need_cargo_mutants
  local out=test-results/mutants/functions files=() rc=0
  for f in "${FUNCTION_FILES[@]}"; do files+=(-f "$f"); done
  rm -rf "$out" && mkdir -p "$out"
  timeout "$FUNCTIONS_CAP_SECONDS" cargo mutants -j 1 -o "$out" "${files[@]}" -F "$FUNCTIONS" || rc=$?
  if [ "$rc" -eq 124 ]; then
    echo "mutants functions: the run took longer than $FUNCTIONS_CAP_SECONDS s" >&2
    return 1
  fi
  # 0: all caught; 2: some missed; 3: some timed out (a hang is caught); anything else: the run itself failed.
  if [ "$rc" -ne 0 ] && [ "$rc" -ne 2 ] && [ "$rc" -ne 3 ]; then
    echo "mutants functions: cargo mutants failed (exit $rc); see $out/mutants.out/debug.log" >&2
    return 1
  fi
  # Compared without line and column (src/x.rs:12:5: … → src/x.rs: …), so that the accepted list survives edits
  # elsewhere in a file.
  local survivors
  survivors=$(comm -23 <(sed -E 's/^([^:]+):[0-9]+:[0-9]+: /\1: /' "$out/mutants.out/missed.txt" | sort -u) \
    <(grep -v '^\s*\(#\|$\)' .cargo/mutants-accepted.txt | sed 's/\s*$//' | sort -u))
  if [ -n "$survivors" ]; then
    echo "mutants functions: these mutants survived the native suite and are not accepted in .cargo/mutants-accepted.txt:" >&2
    echo "$survivors" >&2
    echo "Write a test that fails on each (docs/mutation-testing.md says how), or accept it there with a reason." >&2
    return 1
  fi
  echo "mutants functions: every mutant was caught (or is accepted)"
}

case "${1:-}" in
  ci) ci ;;
  functions) functions ;;
  rust) shift; rust "$@" ;;
  js) shift; js "$@" ;;
  www) shift; www "$@" ;;
  full) rc=0; rust || rc=$?; js || rc=$?; www || rc=$?; exit "$rc" ;;
  *) sed -n '2,20p' "$0" | sed 's/^# \{0,1\}//'; exit 2 ;;
esac

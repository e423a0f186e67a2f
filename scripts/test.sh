#!/usr/bin/env bash
# Sets up and runs every test: native Rust, wasm under Node and in Chromium, the built package from JavaScript,
# TypeScript consumers, the dashboard in headless Chromium, and the benchmarks at a tiny size.
# Installs what it needs: Chromium and chromedriver (Debian), the wasm target, the pinned wasm-bindgen CLI, npm packages.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
passed=0
failed=0
failures=()

suite() {
  local name=$1
  shift
  echo
  echo "=== $name"
  if "$@"; then
    passed=$((passed + 1))
  else
    failed=$((failed + 1))
    failures+=("$name")
  fi
}

if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then
  echo "== installing chromium and chromedriver (Debian packages)"
  if [ "$(id -u)" = 0 ]; then sudo=""; else sudo="sudo"; fi
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium chromium-driver >/dev/null
fi

bash scripts/build.sh
export PATH="$root/.tools/bin:$PATH"

suite "cargo test (native)" cargo test --locked
suite "cargo clippy (library code must not panic)" cargo clippy --locked --all-targets -- -D warnings
suite "cargo clippy for wasm32 (the boundary)" cargo clippy --locked --target wasm32-unknown-unknown --all-targets -- -D warnings

wasm_node_tests=()
for f in tests/wasm_*.rs; do
  name=$(basename "$f" .rs)
  [ "$name" = wasm_browser ] || wasm_node_tests+=(--test "$name")
done
suite "wasm tests in Node" cargo test --locked --target wasm32-unknown-unknown "${wasm_node_tests[@]}"
suite "wasm tests in Chromium" env CHROMEDRIVER="$(command -v chromedriver)" \
  cargo test --locked --target wasm32-unknown-unknown --test wasm_browser

suite "package from JavaScript (node --test)" node --test tests/js/
# A fixed slice of mutants of the core and the command, with a time cap (docs/mutation-testing.md).
suite "mutation testing: the CI slice" bash scripts/mutants.sh ci
suite "package as users install it: npm pack, Node, TypeScript, bundlers, Chromium (node --test)" node --test --test-reporter=spec tests/packaging/
suite "real Fn servers (conformance; skipped when the builds are absent)" node --test tests/conformance/

if [ -d tests/browser ] && [ -f scripts/dashboard-build.sh ]; then
  suite "dashboard build" bash scripts/dashboard-build.sh
  suite "dashboard in Chromium" node --test tests/browser/
fi

suite "fuzzing (a fixed number of runs per target, fixed seed)" bash scripts/fuzz.sh

for bench in bench/bulk.mjs bench/transitions.mjs bench/objects.mjs; do
  suite "benchmark at tiny size: $bench" node "$bench" --quick
done
if [ -f www/dist/index.html ]; then
  suite "benchmark at tiny size: bench/dashboard-load.mjs" node bench/dashboard-load.mjs --calls 2000
fi

echo
if [ "$failed" -gt 0 ]; then
  printf 'failed: %s\n' "${failures[@]}"
fi
echo "suites: $passed passed, $failed failed"
[ "$failed" -eq 0 ]

#!/usr/bin/env bash
# Fuzzes each target, seeded with the fixtures in tests/fixtures and the generated calls in fuzz/seeds.
#   bash scripts/fuzz.sh            a fixed number of runs per target with a fixed seed: deterministic, as the test
#                                   command runs it (so what passes here passes in CI)
#   bash scripts/fuzz.sh 600        600 seconds per target, random seed: new ground
# Needs the nightly toolchain; installs cargo-fuzz into .tools/ when missing. A crash is saved under
# fuzz/artifacts/ and fails the run: turn it into a regression test.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
export PATH="$root/.tools/bin:$PATH"
rustup toolchain list | grep -q nightly || rustup toolchain install nightly --profile minimal
command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz --root "$root/.tools"

seconds=${1:-}
# runs per target for the deterministic mode, each about 10-20 s here
declare -A runs=([read_text]=40000 [scan_chunks]=8000 [round_trip]=200000)

for target in read_text scan_chunks round_trip; do
  corpus=$(mktemp -d)
  cp tests/fixtures/*.json "$corpus/"
  cp fuzz/seeds/* "$corpus/"
  if [ -n "$seconds" ]; then
    limits=(-max_total_time="$seconds" -seed=0)
    echo "== fuzzing $target for ${seconds}s"
  else
    limits=(-runs="${runs[$target]}" -seed=1)
    echo "== fuzzing $target: ${runs[$target]} runs, seed 1"
  fi
  log="fuzz/$target.log"
  if cargo +nightly fuzz run "$target" "$corpus" -- "${limits[@]}" -max_len=8192 -rss_limit_mb=2048 >"$log" 2>&1; then
    grep -E '^(#[0-9]+|Done)' "$log" | tail -n 1 || true
    rm -rf "$corpus"
  else
    tail -n 40 "$log"
    echo "fuzz: $target found a crash (input saved under fuzz/artifacts/$target/)"
    exit 1
  fi
done
echo "fuzz: 3 passed, 0 failed"

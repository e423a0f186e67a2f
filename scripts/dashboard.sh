#!/usr/bin/env bash
# The dashboard, from a fresh clone: builds the fn-calls package (Rust → wasm → pkg/), builds the dashboard with
# Vite (www/dist, opening on a generated sample of 5,000 calls) and serves it on http://127.0.0.1:5173/.
# PORT=8000 bash scripts/dashboard.sh serves on another port; --build-only stops after building.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/build.sh
bash scripts/dashboard-build.sh

if [ "${1:-}" = "--build-only" ]; then
  exit 0
fi

port=${PORT:-5173}
echo
echo "== Fn calls dashboard: http://127.0.0.1:${port}/   (Ctrl-C stops it)"
echo
cd www
exec npx --no-install vite preview --host 127.0.0.1 --port "$port" --strictPort

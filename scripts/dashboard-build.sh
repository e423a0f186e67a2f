#!/usr/bin/env bash
# Builds the dashboard into www/dist: the fn-calls package (only when pkg/ has no build yet; scripts/dashboard.sh
# always rebuilds it), the dashboard's npm packages, the generated sample (www/public/sample.ndjson), vite build.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -f pkg/web/index.js ] || ! node -e "require('./pkg')" 2>/dev/null; then
  bash scripts/build.sh
fi

# npm ci when node_modules is missing or older than the lock file.
if [ ! -f www/node_modules/.package-lock.json ] || [ www/package-lock.json -nt www/node_modules/.package-lock.json ]; then
  echo "== npm ci (www/)"
  (cd www && npm ci --no-audit --no-fund)
fi

echo "== dashboard: sample + vite build"
(cd www && npm run --silent build)
echo "== dashboard built in www/dist"

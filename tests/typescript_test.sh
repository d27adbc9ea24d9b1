#!/usr/bin/env bash
# The shipped types type-check a site's own code under `tsc --strict` (tests/typescript/), and
# catch its mistakes. usage: tests/typescript_test.sh   (from the repository root, after
# scripts/build-widget)
set -euo pipefail
test -f dist/mqlscore.d.ts || { echo "typescript_test: dist/mqlscore.d.ts is missing" >&2; exit 1; }
node_modules/.bin/tsc --strict --noEmit --target es2020 --lib es2020,dom --moduleResolution bundler \
  --module esnext tests/typescript/uses-widget-types.ts
echo "dist/mqlscore.d.ts: a site's TypeScript type-checks under --strict"

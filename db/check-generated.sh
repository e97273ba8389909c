#!/usr/bin/env bash
# Fails when db/schema.ts has changes that no committed migration holds: `drizzle-kit generate`
# would write a new migration. Run by CI (.ci/run) and `npm run db:check`; it puts db/migrations
# back exactly as it found it.
set -euo pipefail
cd "$(dirname "$0")/.."
saved=$(mktemp -d)
cp -a db/migrations "$saved/"
restore() { rm -rf db/migrations && cp -a "$saved/migrations" db/ && rm -rf "$saved"; }
trap restore EXIT
npx drizzle-kit generate --name schema_check >"$saved/out" 2>&1 || { cat "$saved/out"; exit 1; }
if ! diff -rq "$saved/migrations" db/migrations >/dev/null; then
  echo "db/schema.ts and db/migrations disagree: \`npx drizzle-kit generate\` would write a migration:"
  diff -rq "$saved/migrations" db/migrations | sed 's/^/  /' || true
  exit 1
fi
echo "db/schema.ts and the committed migrations agree."

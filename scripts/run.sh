#!/usr/bin/env bash
# Starts Mosaic with demo data on http://127.0.0.1:3000, installing what is missing first.
set -euo pipefail
cd "$(dirname "$0")/.."
WANT_BROWSER=0 scripts/install-tools.sh
export PATH="$HOME/.cargo/bin:$PWD/end2end/node_modules/.bin:$PATH"
source scripts/database.sh
choose_database
if [ -z "${DATABASE_URL:-}" ]; then
  create_database mosaic
  export DATABASE_URL="$MOSAIC_PG/mosaic"
fi
# The role the server runs as, unless one is given.
if [ -z "${MOSAIC_APP_DATABASE_URL:-}" ]; then
  MOSAIC_APP_DATABASE_URL=$(app_database_url "${DATABASE_URL##*/}")
  export MOSAIC_APP_DATABASE_URL
fi
if [ -n "$MOSAIC_APP_DATABASE_URL" ]; then runs_as="the role in MOSAIC_APP_DATABASE_URL, which owns nothing"; else runs_as="its owner"; fi
echo "==> database: $DATABASE_URL (migrated by its owner; the server runs as $runs_as)"
scripts/build-site.sh
echo "==> starting; demo data is loaded on the first start"
exec target/release/server

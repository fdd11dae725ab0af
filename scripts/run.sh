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
MOSAIC_APP_DATABASE_URL=$(app_database_url "${DATABASE_URL##*/}")
export MOSAIC_APP_DATABASE_URL
echo "==> database: $DATABASE_URL (the server runs as ${MOSAIC_APP_DATABASE_URL:+mosaic_app, a role that owns nothing}${MOSAIC_APP_DATABASE_URL:-its owner})"
scripts/build-site.sh
echo "==> starting; demo data is loaded on the first start"
exec target/release/server

#!/usr/bin/env bash
# Measures live latency: the release build with the demo data in a fresh database mosaic_live, and
# headless Chromium with two windows on one week — 50 drops in one, each timed until the block moves
# in the other (end2end/measure/live-latency.spec.ts). LIVE_DROPS changes the count.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PWD/end2end/node_modules/.bin:$PATH"
source scripts/database.sh
choose_database
recreate_database mosaic_live
scripts/install-tools.sh
echo "==> release build (cargo leptos build --release)"
scripts/build-site.sh
echo "==> measuring in headless Chromium (the demo data loads as the server starts)"
(cd end2end && MEASURE_DATABASE_URL="$MOSAIC_PG/mosaic_live" MEASURE_DEMO=1 npx playwright test --config measure.config.ts live-latency)

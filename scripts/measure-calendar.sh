#!/usr/bin/env bash
# Measures the calendar with a large roster: loads one location with 2,000 workers (once) into the
# database mosaic_calendar_scale, builds the release site, and has headless Chromium load the week and
# drag and scroll through it, printing time to first paint and hydration and frame intervals.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PWD/end2end/node_modules/.bin:$PATH"
source scripts/database.sh
choose_database
create_database mosaic_calendar_scale
export DATABASE_URL="$MOSAIC_PG/mosaic_calendar_scale"
scripts/install-tools.sh
echo "==> release build (cargo leptos build --release)"
scripts/build-site.sh
echo "==> the roster (cargo run --release -p server --bin seed-calendar-scale)"
cargo run --release -p server --bin seed-calendar-scale -- "${1:-2000}"
echo "==> measuring in headless Chromium"
(cd end2end && MEASURE_DATABASE_URL="$DATABASE_URL" npx playwright test --config measure.config.ts calendar-scale)

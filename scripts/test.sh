#!/usr/bin/env bash
# Runs every test: pure rules (unit and property tests), services and constraints against PostgreSQL,
# the HTTP API through the real router, and the browser tests in headless Chromium against the release
# build.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-tools.sh
export PATH="$HOME/.cargo/bin:$PWD/end2end/node_modules/.bin:$PATH"
source scripts/database.sh
choose_database
# #[sqlx::test] creates a fresh database per test from this connection.
create_database mosaic_test
export DATABASE_URL="$MOSAIC_PG/mosaic_test"
# The role the server runs as; the tests connect as it too (MOSAIC_APP_PASSWORD, set here).
app_database_url mosaic_test >/dev/null

log=target/test-output.log
mkdir -p target && : > "$log"
echo "==> rules, services and constraints (cargo test -p mosaic --features server)"
cargo test -p mosaic --features server 2>&1 | tee -a "$log"
echo "==> the same pure rules compiled to wasm32, as the calendar runs them (wasm-bindgen-test-runner, Node)"
CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner \
  cargo test -p mosaic --lib --target wasm32-unknown-unknown 2>&1 | tee -a "$log"
echo "==> HTTP API and server-rendered pages (cargo test -p server)"
cargo test -p server 2>&1 | tee -a "$log"

echo "==> release build for the browser tests (scripts/build-site.sh: cargo leptos build --release, when out of date)"
scripts/build-site.sh

echo "==> browser tests (Playwright, headless Chromium)"
psql "$MOSAIC_PG/postgres" -qc 'DROP DATABASE IF EXISTS mosaic_e2e WITH (FORCE)' -c 'CREATE DATABASE mosaic_e2e' >/dev/null
export E2E_DATABASE_URL="$MOSAIC_PG/mosaic_e2e"
E2E_APP_DATABASE_URL=$(app_database_url mosaic_e2e)
export E2E_APP_DATABASE_URL
# A second server starts on an empty database, as a new install does (tests/first-run.spec.ts).
psql "$MOSAIC_PG/postgres" -qc 'DROP DATABASE IF EXISTS mosaic_e2e_empty WITH (FORCE)' -c 'CREATE DATABASE mosaic_e2e_empty' >/dev/null
export E2E_EMPTY_DATABASE_URL="$MOSAIC_PG/mosaic_e2e_empty"
E2E_EMPTY_APP_DATABASE_URL=$(app_database_url mosaic_e2e_empty)
export E2E_EMPTY_APP_DATABASE_URL
(cd end2end && npx playwright test) 2>&1 | tee -a "$log"

passed=$(grep -hoE '(test result: ok\. [0-9]+ passed|^ +[0-9]+ passed)' "$log" | grep -oE '[0-9]+ passed' | awk '{s += $1} END {print s + 0}')
echo
echo "All suites: $passed passed, 0 failed"

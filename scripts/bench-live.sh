#!/usr/bin/env bash
# The live feed under load: starts the release server on a fresh database (mosaic_bench_live), then
# server/src/bin/bench-live.rs opens 200 change streams and has 8 writers move shifts concurrently,
# printing write and delivery latency and the server's CPU. Arguments: streams, writers, moves per writer.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PWD/end2end/node_modules/.bin:$PATH"
source scripts/database.sh
choose_database
recreate_database mosaic_bench_live
export DATABASE_URL="$MOSAIC_PG/mosaic_bench_live"
scripts/install-tools.sh
echo "==> release build (cargo leptos build --release, and the bench client)"
scripts/build-site.sh
cargo build --release -p server --bin bench-live
ADDR=127.0.0.1:3300
echo "==> starting the server on $ADDR"
MOSAIC_DEMO=0 MOSAIC_ADDR=$ADDR RUST_LOG=warn ./target/release/server &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do
  curl -fs "http://$ADDR/api/v1/health" >/dev/null 2>&1 && break
  sleep 0.2
done
./target/release/bench-live "$ADDR" "$SERVER" "${1:-200}" "${2:-8}" "${3:-40}"

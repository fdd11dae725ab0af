#!/usr/bin/env bash
# Generates the scale data (once) into the database mosaic_bench and runs the benchmark.
# Arguments go to the benchmark: --workers N (2000), --weeks N (52), --samples N (300).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PWD/end2end/node_modules/.bin:$PATH"
source scripts/database.sh
choose_database
create_database mosaic_bench
export DATABASE_URL="$MOSAIC_PG/mosaic_bench"
export PGBENCH="${PGBENCH:-$(pg_bin pgbench)}"
# The memory measurement runs the release server, so it must match this checkout.
scripts/install-tools.sh
scripts/build-site.sh
cargo bench -p mosaic --features server --bench scale -- "$@"

#!/usr/bin/env bash
# Generates the timekeeping data (once) into the database mosaic_bench and runs its benchmark.
# Arguments go to the benchmark: --workers N (300), --samples N (200).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
source scripts/database.sh
choose_database
create_database mosaic_bench
export DATABASE_URL="$MOSAIC_PG/mosaic_bench"
export PGBENCH="${PGBENCH:-$(pg_bin pgbench)}"
cargo bench -p mosaic --features server --bench timekeeping -- "$@"

#!/usr/bin/env bash
# Builds the release site — the server binary and the WASM bundle — with cargo-leptos, unless nothing it
# is built from has changed since the last build: cargo-leptos runs wasm-bindgen and wasm-opt again on
# every build (about a minute here) even when no source changed. Used by run.sh and test.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PWD/end2end/node_modules/.bin:$PATH"
stamp=target/site/.built-from
fingerprint=$(
  {
    cargo leptos --version
    wasm-bindgen --version
    find Cargo.toml Cargo.lock .cargo app frontend server src style public migrations -type f -print0 | sort -z | xargs -0 sha256sum
  } | sha256sum | cut -d' ' -f1
)
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$fingerprint" ] && [ -x target/release/server ] && [ -d target/site/pkg ]; then
  echo "==> the release build is up to date: nothing it is built from changed"
  exit 0
fi
echo "==> building (release; the first build takes about 15 minutes on 2 cores)"
cargo leptos build --release
echo "$fingerprint" > "$stamp"

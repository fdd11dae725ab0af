#!/usr/bin/env bash
# Installs the build and test tools Mosaic needs, skipping any already at the pinned version.
# Each pin carries its reason beside it. Safe to run again: a warm machine takes seconds.
set -euo pipefail
cd "$(dirname "$0")/.."

# 0.3.11 needs rustc 1.96, newer than this machine's. Built with no_downloads: it then runs the
# wasm-bindgen and wasm-opt found on PATH, which this script pins, instead of fetching its own.
CARGO_LEPTOS_VERSION=0.3.10
# The CLI must match the wasm-bindgen crate in Cargo.lock exactly, or the build fails on "schema version".
WASM_BINDGEN_VERSION=$(awk '/^name = "wasm-bindgen"$/{getline; gsub(/[^0-9.]/,""); print; exit}' Cargo.lock 2>/dev/null || true)
WASM_BINDGEN_VERSION=${WASM_BINDGEN_VERSION:-0.2.130}
export PATH="$HOME/.cargo/bin:$PATH"

step() { printf '\n==> %s\n' "$*"; }

want_browser=${WANT_BROWSER:-1}

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  step "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

if [ "$(cargo leptos --version 2>/dev/null | awk '{print $2}')" != "$CARGO_LEPTOS_VERSION" ]; then
  step "installing cargo-leptos $CARGO_LEPTOS_VERSION (about 30 minutes on 2 cores; done once per machine)"
  cargo install cargo-leptos --version "$CARGO_LEPTOS_VERSION" --locked --features no_downloads
fi

if [ "$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')" != "$WASM_BINDGEN_VERSION" ]; then
  step "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION (about 6 minutes)"
  # 0.2.130's own lock file names a crate version the registry lacks, so it installs without --locked.
  cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION" --force
fi

if [ ! -x end2end/node_modules/.bin/wasm-opt ] || [ ! -d end2end/node_modules/@playwright/test ] || [ ! -d end2end/node_modules/@axe-core/playwright ]; then
  # wasm-opt from npm's binaryen 132, not Debian's 108: that one's output validates but throws
  # "WebAssembly.Table.set(): Argument 1 is invalid" in Chromium and never hydrates.
  step "installing wasm-opt (binaryen), Playwright and axe-core from end2end/package-lock.json"
  (cd end2end && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund)
fi

# The API test that builds a client from the OpenAPI document (server/tests/api/generated_client.rs).
OPENAPI_PYTHON_CLIENT_VERSION=0.29.1
generator_home=.data/openapi-python-client
if [ "$want_browser" = 1 ] && [ "$("$generator_home/bin/openapi-python-client" --version 2>/dev/null | awk '{print $NF}')" != "$OPENAPI_PYTHON_CLIENT_VERSION" ]; then
  step "installing openapi-python-client $OPENAPI_PYTHON_CLIENT_VERSION (PyPI) into $generator_home, for the generated-client test"
  mkdir -p .data
  python3 -m venv "$generator_home"
  "$generator_home/bin/pip" install --quiet --disable-pip-version-check "openapi-python-client==$OPENAPI_PYTHON_CLIENT_VERSION"
fi

if [ "$want_browser" = 1 ] && ! command -v chromium >/dev/null 2>&1; then
  step "installing Debian's chromium for the browser tests"
  if [ "$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium
  else sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; fi
fi

step "tools ready: cargo-leptos $(cargo leptos --version | awk '{print $2}'), wasm-bindgen $(wasm-bindgen --version | awk '{print $2}'), wasm-opt $(end2end/node_modules/.bin/wasm-opt --version | awk '{print $3}')"

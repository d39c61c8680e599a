# shellcheck shell=bash
# Installs (once, idempotently, pinned) and puts on PATH every tool the scripts need.
# Sourced by scripts/dev, scripts/test and scripts/bench; cached under $HOME so a second run takes seconds.

set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
TOOLS=${LOYALTY_EDGE_TOOLS:-$HOME/.cache/loyalty-edge/tools}
WORKER_BUILD_VERSION=0.8.7

export WRANGLER_SEND_METRICS=false
export CLOUDFLARE_CF_FETCH_ENABLED=false
export CARGO_TERM_PROGRESS_WHEN=${CARGO_TERM_PROGRESS_WHEN:-auto}

step() { printf '\n\033[1m==> %s\033[0m\n' "$*" >&2; }
note() { printf '    %s\n' "$*" >&2; }
die() { printf '\033[31merror:\033[0m %s\n' "$*" >&2; exit 1; }

# cargo_tool NAME VERSION BINARY: `cargo install` into its own versioned root, once.
cargo_tool() {
  local name=$1 version=$2 bin=$3 root="$TOOLS/$1-$2"
  if [ ! -x "$root/bin/$bin" ]; then
    step "installing $name $version (cargo install, a few minutes the first time)"
    # No --locked for wasm-bindgen-cli: its lockfile pins a crate version the registry mirror lacks.
    cargo install "$name" --version "=$version" --root "$root" --force
  fi
  printf '%s' "$root/bin/$bin"
}

ensure_rust() {
  command -v cargo >/dev/null || die "cargo is missing: install Rust with rustup first"
  if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
    step "adding the wasm32-unknown-unknown Rust target"
    rustup target add wasm32-unknown-unknown
  fi
  if ! cargo clippy --version >/dev/null 2>&1 || ! cargo fmt --version >/dev/null 2>&1; then
    step "adding clippy and rustfmt"
    rustup component add clippy rustfmt
  fi
}

ensure_node_modules() {
  local stamp="$ROOT/node_modules/.loyalty-edge-stamp" want
  want=$(sha256sum "$ROOT/package.json" | cut -c1-64)
  if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
    step "installing pinned npm tools (wrangler, Node 22, binaryen)"
    # `npm ci` fails here: the registry mirror lacks the other platforms' workerd packages.
    (cd "$ROOT" && npm install --no-audit --no-fund --loglevel=http)
    echo "$want" >"$stamp"
  fi
  export PATH="$ROOT/node_modules/.bin:$PATH"
  node --version | grep -q '^v22\.' || die "node_modules/.bin/node is not Node 22"
}

ensure_wasm_tools() {
  local bindgen_version
  bindgen_version=$(awk '/^name = "wasm-bindgen"$/ {getline; gsub(/version = |"/, ""); print; exit}' "$ROOT/Cargo.lock")
  [ -n "$bindgen_version" ] || die "no wasm-bindgen version in Cargo.lock"
  WORKER_BUILD=$(cargo_tool worker-build "$WORKER_BUILD_VERSION" worker-build)
  WASM_BINDGEN_BIN=$(cargo_tool wasm-bindgen-cli "$bindgen_version" wasm-bindgen)
  WASM_OPT_BIN="$ROOT/node_modules/.bin/wasm-opt"
  ESBUILD_BIN="$ROOT/node_modules/.bin/esbuild"
  export WORKER_BUILD WASM_BINDGEN_BIN WASM_OPT_BIN ESBUILD_BIN
}

# ensure_browser: Debian's Chromium and zbar-tools (zbarimg, an independent QR decoder) for the
# browser journey, from apt once; playwright-core comes pinned with the npm tools.
ensure_browser() {
  local missing=()
  command -v chromium >/dev/null || missing+=(chromium)
  command -v zbarimg >/dev/null || missing+=(zbar-tools)
  [ ${#missing[@]} -eq 0 ] && return 0
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  step "installing ${missing[*]} from the Debian archive (apt, once; a few minutes)"
  $sudo apt-get update -q
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y --no-install-recommends "${missing[@]}"
}

# ensure_tools: everything needed to build and run the Worker.
ensure_tools() {
  ensure_rust
  ensure_node_modules
  ensure_wasm_tools
}

# build_worker: the release wasm build into build/ (worker-build, then wasm-opt).
build_worker() {
  step "building the worker (worker-build --release)"
  (cd "$ROOT" && "$WORKER_BUILD" --release)
  [ -f "$ROOT/build/index.js" ] || die "worker-build produced no build/index.js"
  # Function names and producer notes are ~120 KB the Worker never reads; worker-build keeps them.
  "$WASM_OPT_BIN" "$ROOT/build/index_bg.wasm" --strip-debug --strip-producers -o "$ROOT/build/index_bg.wasm"
}

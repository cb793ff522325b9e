#!/usr/bin/env bash
# Builds selfsup's native kernels (native/: an N-API addon running oneDNN convolutions and
# batch-norm / pooling / relu loops on the tfjs wasm heap) with node-gyp against Debian's
# libdnnl-dev and the Node headers in /usr/include/node. Never fails: without oneDNN, or when the
# build fails, it prints one line and the lab runs on the pure wasm kernels. Skips itself when
# the addon is newer than its sources. Called by scripts/setup.sh; safe to rerun.
#   SELFSUP_NATIVE=0          skip the build
#   SELFSUP_ONEDNN_HEADER     where to look for oneDNN (default /usr/include/oneapi/dnnl/dnnl.hpp)
set -uo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
say() { printf '[setup] %s\n' "$*"; }

HEADER="${SELFSUP_ONEDNN_HEADER:-/usr/include/oneapi/dnnl/dnnl.hpp}"
ADDON="native/build/Release/selfsup_native.node"
FALLBACK="training runs on the pure wasm kernels"

if [[ "${SELFSUP_NATIVE:-}" =~ ^(0|off|false|no)$ ]]; then
  say "native kernels: build skipped (SELFSUP_NATIVE=${SELFSUP_NATIVE}); $FALLBACK"
  exit 0
fi
if [[ ! -f "$HEADER" ]]; then
  say "native kernels: oneDNN ($HEADER) not found; $FALLBACK (apt-get install libdnnl-dev, then npm run setup)"
  exit 0
fi
# The loops are compiled for this CPU (-march=native; oneDNN picks its own code at run time):
# native/build/cpu-flags.txt records the CPU's flags, and a copy of the tree on another CPU rebuilds
# (src/backend/native.ts refuses to load an addon built for other flags).
CPU_FLAGS="$(grep -m1 '^flags' /proc/cpuinfo 2>/dev/null || true)"
STAMP="native/build/cpu-flags.txt"
if [[ -f "$ADDON" && "$ADDON" -nt native/src/addon.cc && "$ADDON" -nt native/binding.gyp && "$ADDON" -nt "$HEADER" ]] &&
  [[ "$(cat "$STAMP" 2>/dev/null)" == "$CPU_FLAGS" ]]; then
  say "native kernels up to date: $ADDON"
  exit 0
fi
NODEDIR=()
if [[ -f /usr/include/node/node_api.h ]]; then NODEDIR=(--nodedir=/usr); fi
LOG="$ROOT/native/build.log"
if (cd native && ../node_modules/.bin/node-gyp rebuild "${NODEDIR[@]}" >"$LOG" 2>&1) &&
  node -e "require('./$ADDON').version()" >>"$LOG" 2>&1; then
  printf '%s' "$CPU_FLAGS" >"$STAMP"
  say "native kernels built: $ADDON (oneDNN $(node -p "require('./$ADDON').version()"))"
else
  say "native kernels: build failed (see $LOG); $FALLBACK"
fi
exit 0

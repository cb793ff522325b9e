#!/usr/bin/env bash
# Idempotent set-up for selfsup on Debian 12: system packages, node_modules, and the tslab
# Jupyter kernel registered inside the project (<project>/.jupyter). Safe to rerun; each step
# says what it does and skips itself when already done.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

say() { printf '[setup] %s\n' "$*"; }

# --- 1. system packages --------------------------------------------------------------------
APT_PACKAGES=(jupyter-nbconvert python3-nbclient jupyter-notebook python3-ipykernel ffmpeg chromium sword-text-web)
missing=()
for p in "${APT_PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done
if ((${#missing[@]})); then
  if [[ $(id -u) -eq 0 ]]; then SUDO=(); elif command -v sudo >/dev/null; then SUDO=(sudo); else
    say "missing Debian packages (${missing[*]}) and neither root nor sudo: install them and rerun" >&2
    exit 1
  fi
  if ! command -v apt-get >/dev/null; then
    say "apt-get not found: install ${missing[*]} (or pip: nbconvert nbclient notebook ipykernel) yourself" >&2
    exit 1
  fi
  say "apt-get update"
  "${SUDO[@]}" apt-get update -q
  say "apt-get install ${missing[*]}"
  DEBIAN_FRONTEND=noninteractive "${SUDO[@]}" apt-get install -y -q "${missing[@]}"
else
  say "Debian packages present: ${APT_PACKAGES[*]}"
fi
# Optional: oneDNN and a compiler for the native kernels (step 3). Without them the lab trains on
# the pure wasm kernels, so a failed install is one line, not an error.
OPTIONAL_PACKAGES=(libdnnl-dev g++ make)
optional=()
for p in "${OPTIONAL_PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then optional+=("$p"); fi
done
if ((${#optional[@]})); then
  if [[ $(id -u) -eq 0 ]]; then SUDO=(); elif command -v sudo >/dev/null; then SUDO=(sudo); else SUDO=(false); fi
  say "apt-get install ${optional[*]} (optional: native kernels)"
  # (a fresh machine may have no package lists yet: update once and retry before giving up)
  if ! DEBIAN_FRONTEND=noninteractive "${SUDO[@]}" apt-get install -y -q "${optional[@]}" >/dev/null 2>&1 &&
     ! { "${SUDO[@]}" apt-get update -q >/dev/null 2>&1 && DEBIAN_FRONTEND=noninteractive "${SUDO[@]}" apt-get install -y -q "${optional[@]}" >/dev/null 2>&1; }; then
    say "could not install ${optional[*]}: the native kernels stay off, training runs on pure wasm"
  fi
fi

# --- 2. node_modules -----------------------------------------------------------------------
# npm writes node_modules/.package-lock.json on every install: it dates node_modules.
if [[ ! -f node_modules/.package-lock.json ]] || [[ package-lock.json -nt node_modules/.package-lock.json ]]; then
  say "npm ci (node_modules missing or older than package-lock.json)"
  npm ci
  touch node_modules/.package-lock.json
else
  say "node_modules up to date"
fi

# --- 3. native kernels (oneDNN) ------------------------------------------------------------
# node-gyp builds native/ into native/build (git-ignored); never fails: without oneDNN or on a
# failed build it says so in one line and training uses the pure wasm kernels.
bash "$ROOT/scripts/build-native.sh"

# --- 4. tslab kernel inside the project ----------------------------------------------------
# The kernel command is scripts/tslab-kernel, a wrapper that starts node_modules/.bin/tslab in
# the project root: tslab only compiles imports under its working directory, so a notebook in
# notebooks/ imports "./src" from the root.
PYTHON="${SELFSUP_PYTHON:-/usr/bin/python3}"
PREFIX="$ROOT/.jupyter"
BINARY="$ROOT/scripts/tslab-kernel"
KERNEL_JSON="$PREFIX/share/jupyter/kernels/tslab/kernel.json"
if [[ -f "$KERNEL_JSON" ]] && grep -qF "\"$BINARY\"" "$KERNEL_JSON"; then
  say "tslab kernel registered: $KERNEL_JSON"
else
  say "registering the tslab kernel under $PREFIX"
  chmod +x "$BINARY"
  npx --no-install tslab install --python="$PYTHON" --binary="$BINARY" --prefix="$PREFIX"
  if [[ ! -f "$KERNEL_JSON" ]]; then
    say "kernel spec not found at $KERNEL_JSON after install" >&2
    exit 1
  fi
  say "kernel spec: $KERNEL_JSON"
fi
say "done. Run the notebooks headless: npm run lab. Open them:"
say "  JUPYTER_PATH=$PREFIX/share/jupyter jupyter notebook notebooks/"

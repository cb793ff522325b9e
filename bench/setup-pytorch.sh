#!/usr/bin/env bash
# Installs PyTorch (CPU) into a private venv for the benchmark's reference run, offline: the local
# wheel (/opt/wheels/torch-*+cpu-cp311-*.whl, or $SELFSUP_TORCH_WHEEL) with --no-deps, and the few
# pure-Python packages `import torch` needs from the local wheel folders. Never touches the
# system Python. Prints the venv's python on success; exits 1 (one line on stderr) otherwise.
#   SELFSUP_TORCH_VENV   where (default node_modules/.cache/selfsup/pytorch-venv, git-ignored)
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="${SELFSUP_TORCH_VENV:-$ROOT/node_modules/.cache/selfsup/pytorch-venv}"
PY=/usr/bin/python3
if "$VENV/bin/python" -c 'import torch' >/dev/null 2>&1; then echo "$VENV/bin/python"; exit 0; fi
WHEEL="${SELFSUP_TORCH_WHEEL:-$(ls /opt/wheels/torch-*+cpu-cp311-*.whl 2>/dev/null | sort | tail -1)}"
if [[ -z "$WHEEL" || ! -f "$WHEEL" ]]; then echo "bench: no local PyTorch CPU wheel (/opt/wheels/torch-*+cpu-cp311-*.whl)" >&2; exit 1; fi
LINKS=()
for d in /opt/wheels /opt/pypi/files /opt/pypi-more/files; do [[ -d $d ]] && LINKS+=(--find-links "$d"); done
LOG="$(dirname "$VENV")/pytorch-venv.log"; mkdir -p "$(dirname "$VENV")"
{
  "$PY" -m venv "$VENV" &&
    "$VENV/bin/pip" install -q --no-index "${LINKS[@]}" --no-deps "$WHEEL" &&
    "$VENV/bin/pip" install -q --no-index "${LINKS[@]}" typing_extensions sympy mpmath filelock networkx jinja2 markupsafe fsspec 'numpy<2.5' &&
    "$VENV/bin/python" -c 'import torch; print(torch.__version__)'
} >"$LOG" 2>&1 || { echo "bench: PyTorch venv setup failed (see $LOG)" >&2; exit 1; }
echo "$VENV/bin/python"

#!/usr/bin/env bash
# Executes the notebooks headless with the tslab TypeScript kernel and fails on the first error
# (a failing cell, a TypeScript compile error, or a timeout).
#
#   scripts/run-notebooks.sh                 execute notebooks/*.ipynb into a temp dir (CI: the
#                                            committed notebooks are left untouched)
#   scripts/run-notebooks.sh --inplace       execute and save the outputs into the notebooks
#   scripts/run-notebooks.sh [--inplace] notebooks/01-quickstart.ipynb ...
#
# Needs `npm ci` (tslab, the build) and scripts/ci-setup.sh (jupyter-nbconvert, python3-ipykernel).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
export PATH="$ROOT/node_modules/.bin:$PATH"

inplace=0
if [ "${1:-}" = "--inplace" ]; then inplace=1; shift; fi
if [ "$#" -gt 0 ]; then notebooks=("$@"); else notebooks=(notebooks/*.ipynb); fi

command -v jupyter >/dev/null || { echo "run-notebooks: jupyter not found (run scripts/ci-setup.sh)" >&2; exit 1; }
[ -x node_modules/.bin/tslab ] || { echo "run-notebooks: tslab not found (run npm ci)" >&2; exit 1; }
# The notebooks import pmsim's public API from dist/.
if [ ! -f dist/index.js ] || [ ! -f dist/report/index.js ]; then npm run build; fi
# (Re-)register the kernel: cheap, and keeps it pointing at this checkout's tslab via PATH.
PY=/usr/bin/python3
[ -x "$PY" ] || PY=$(command -v python3)
tslab install --python="$PY" >/dev/null

out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
status=0
for nb in "${notebooks[@]}"; do
  start=$(date +%s)
  # No timing metadata: re-running a notebook changes nothing unless its outputs change.
  args=(--to notebook --execute --ExecutePreprocessor.kernel_name=tslab --ExecutePreprocessor.timeout=900 --ExecutePreprocessor.record_timing=False)
  if [ "$inplace" -eq 1 ]; then args+=(--inplace); else args+=(--output-dir "$out"); fi
  # Run from the notebook's folder, so its relative paths (../dist, ../scenarios) resolve.
  if (cd "$(dirname "$nb")" && jupyter nbconvert "${args[@]}" "$(basename "$nb")" 2>"$out/stderr.log"); then
    if [ "$inplace" -eq 1 ]; then
      # Drop any timing metadata left by older runs or other tools, so reruns leave no diff.
      "$PY" -c 'import sys, nbformat
nb = nbformat.read(sys.argv[1], as_version=4)
for c in nb.cells: c.metadata.pop("execution", None)
nbformat.write(nb, sys.argv[1])' "$nb"
    fi
    echo "run-notebooks: ok   $nb ($(( $(date +%s) - start ))s)"
  else
    echo "run-notebooks: FAIL $nb" >&2
    # The cell and its error, without the Python traceback of nbconvert itself.
    if grep -q CellExecutionError "$out/stderr.log"; then
      sed -n '/^nbclient.exceptions.CellExecutionError/,$p' "$out/stderr.log" | head -60 >&2
    else
      grep -v -e MissingIDFieldWarning -e 'validate(nb)' "$out/stderr.log" | tail -40 >&2
    fi
    status=1
    break
  fi
done
exit "$status"

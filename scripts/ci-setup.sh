#!/usr/bin/env bash
# Installs, idempotently and without questions, what CI needs beyond `npm ci` for the report and
# notebook checks:
#   - Debian's `chromium`           the real-browser test of report.html (test/report-browser.test.ts)
#   - `jupyter-nbconvert`           executes the notebooks headless (scripts/run-notebooks.sh)
#   - `jupyter-notebook`            the notebook server, to open them interactively (`jupyter notebook
#                                   notebooks/`) and for test/notebook-server.test.ts
#   - `python3-ipykernel`           the Jupyter kernel machinery nbconvert talks to
#   - the tslab TypeScript kernel   registered with Debian's python (/usr/bin/python3), the one that
#                                   has Jupyter: a `python3` earlier on PATH (pyenv, a venv) may not
# Safe to run again: installed packages are skipped, the kernel spec is rewritten in place.
# Runs as root (CI) or with sudo.
set -euo pipefail
cd "$(dirname "$0")/.."

SUDO=()
if [ "$(id -u)" -ne 0 ]; then SUDO=(sudo -n); fi

PACKAGES=(chromium jupyter-nbconvert jupyter-notebook python3-ipykernel)
missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then missing+=("$p"); fi
done
if [ "${#missing[@]}" -gt 0 ]; then
  echo "ci-setup: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  "${SUDO[@]}" apt-get update -qq
  "${SUDO[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
else
  echo "ci-setup: ${PACKAGES[*]} already installed"
fi

# The tslab kernel spec only names the `tslab` command; scripts/run-notebooks.sh puts
# node_modules/.bin on PATH. tslab itself comes from `npm ci` (a devDependency): when it is not
# installed yet, run-notebooks.sh registers the kernel after `npm ci`.
PY=/usr/bin/python3
if [ -x node_modules/.bin/tslab ]; then
  node_modules/.bin/tslab install --python="$PY" >/dev/null
  echo "ci-setup: tslab kernel registered"
else
  echo "ci-setup: tslab not installed yet (npm ci); scripts/run-notebooks.sh will register the kernel"
fi

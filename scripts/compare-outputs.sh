#!/usr/bin/env bash
# Byte-identity check of the simulator's outputs (issue 9): runs scenarios/default.yaml and every
# scenarios/attacks/*.yaml with --jobs, and diffs every CSV against a saved baseline. run.json is
# compared without its wall-time fields (timing, created, wall_s, events_per_s) and its command line and scenario path (both name directories). Usage:
#   scripts/compare-outputs.sh save [DIR]     # write the baseline (default /tmp/base)
#   scripts/compare-outputs.sh check [DIR]    # re-run into DIR.new and diff against DIR
# Build first (npm run build). Exit 1 on any difference.
set -euo pipefail
mode=${1:-check}
base=${2:-/tmp/base}
here=$(cd "$(dirname "$0")/.." && pwd)
target=$base
[ "$mode" = check ] && target=$base.new
rm -rf "$target"
mkdir -p "$target"
scenarios=("$here/scenarios/default.yaml" "$here"/scenarios/attacks/*.yaml)
for f in "${scenarios[@]}"; do
  name=$(basename "$f" .yaml)
  node "$here/dist/cli/main.js" run "$f" --out "$target/$name" --jobs --quiet
done
[ "$mode" = save ] && { echo "baseline saved in $base"; exit 0; }
status=0
for f in "${scenarios[@]}"; do
  name=$(basename "$f" .yaml)
  for csv in "$base/$name"/*.csv "$base/$name/summary.json"; do
    if ! cmp -s "$csv" "$target/$name/$(basename "$csv")"; then
      echo "DIFF $name/$(basename "$csv")"
      status=1
    fi
  done
  # Wall-clock fields (at any depth, e.g. each mechanism's wall_s and events_per_s) and the command line
  # (it names the output directory) differ between identical runs.
  strip='walk(if type == "object" then del(.timing, .created, .created_at, .wall_s, .events_per_s, .generated_at, .command, .scenario_file) else . end)'
  if command -v jq >/dev/null; then
    if ! diff -q <(jq -S "$strip" "$base/$name/run.json") <(jq -S "$strip" "$target/$name/run.json") >/dev/null; then
      echo "DIFF $name/run.json"
      status=1
    fi
  fi
done
[ $status = 0 ] && echo "byte-identical: ${#scenarios[@]} scenarios"
exit $status

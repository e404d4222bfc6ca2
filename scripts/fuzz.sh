#!/usr/bin/env bash
# Runs fuzz targets (fuzz/fuzz_targets) for SECONDS each, seeded with the real-chart corpus,
# the regression inputs and the test fixtures, and prints per target the number of executions and whether it
# found anything. Exits non-zero when any target found a crash, leak, timeout or memory blow-up
# (the input is saved under fuzz/artifacts/<target>/, the log under fuzz/target/logs/).
#
# Usage: scripts/fuzz.sh [SECONDS] [TARGET...]   (default: 60 seconds, every target)
#
# Environment:
#   ROX_CORPUS        seed corpus; default <repo>/../shared/corpus (missing: skipped)
#   ROX_REGRESS       regression inputs; default `regress` beside the corpus (missing: skipped)
#   ROX_FUZZ_MAX_LEN  largest input in bytes (default 16384; longer seeds are cut): small
#                     inputs run hundreds of times faster and still hold every construct
#   ROX_FUZZ_RUNS     if set, each target runs exactly this many inputs from a fixed seed
#                     (SECONDS stays a cap): the same commit then always finds the same thing,
#                     so a CI run cannot fail by chance
# New inputs libFuzzer finds go to fuzz/corpus/<target>/ (git-ignored), never into the seeds.
# cargo-fuzz is installed when missing (scripts/fuzz-setup.sh).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root/fuzz"

seconds=${1:-60}
[[ "$seconds" =~ ^[0-9]+$ ]] || { echo "fuzz.sh: SECONDS must be a number, not '$seconds'" >&2; exit 2; }
shift $(( $# > 0 ? 1 : 0 ))

source "$root/scripts/fuzz-setup.sh"

logs="$root/fuzz/target/logs"
mkdir -p "$logs"
# One build for every target; `cargo fuzz run` below then only runs.
cargo fuzz build >"$logs/build.log" 2>&1 || { cat "$logs/build.log" >&2; exit 1; }
found=()
for target in "${targets[@]}"; do
  mkdir -p "corpus/$target" "artifacts/$target"
  log="$logs/$target.log"
  status=0
  # Repeatable runs start from the seeds alone, not from what earlier runs kept.
  repeatable=()
  found_dir="corpus/$target"
  if [ -n "${ROX_FUZZ_RUNS:-}" ]; then
    repeatable=(-runs="$ROX_FUZZ_RUNS" -seed=1)
    found_dir=$(mktemp -d)
  fi
  cargo fuzz run "$target" "$found_dir" "${seeds[@]}" -- "${repeatable[@]}" \
    -max_total_time="$seconds" -max_len="${ROX_FUZZ_MAX_LEN:-16384}" \
    -artifact_prefix="artifacts/$target/" >"$log" 2>&1 || status=$?
  runs=$(grep -oE 'Done [0-9]+ runs' "$log" | grep -oE '[0-9]+' || true)
  [ -n "$runs" ] || runs=$(grep -oE '^#[0-9]+' "$log" | tail -n1 | tr -d '#')
  artifact=$(grep -oE 'Test unit written to [^ ]+' "$log" | sed 's/Test unit written to //' | tail -n1 || true)
  if [ "$status" -eq 0 ]; then
    printf '%-16s %12s executions  clean\n' "$target" "${runs:-?}"
  else
    printf '%-16s %12s executions  FOUND (exit %d): %s; log %s\n' "$target" "${runs:-?}" \
      "$status" "${artifact:+fuzz/$artifact}" "$log"
    found+=("$target")
  fi
done

if [ ${#found[@]} -gt 0 ]; then
  echo "fuzz.sh: findings in ${found[*]}" >&2
  exit 1
fi

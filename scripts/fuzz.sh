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
# New inputs libFuzzer finds go to fuzz/corpus/<target>/ (git-ignored), never into the seeds.
# There is no nightly toolchain: cargo-fuzz needs `-Z` flags, so RUSTC_BOOTSTRAP=1 unlocks
# them on stable. cargo-fuzz is installed with `cargo install --locked` when missing.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root/fuzz"

seconds=${1:-60}
[[ "$seconds" =~ ^[0-9]+$ ]] || { echo "fuzz.sh: SECONDS must be a number, not '$seconds'" >&2; exit 2; }
shift $(( $# > 0 ? 1 : 0 ))

export RUSTC_BOOTSTRAP=1
if ! cargo fuzz --version >/dev/null 2>&1; then
  echo "fuzz.sh: installing cargo-fuzz" >&2
  cargo install cargo-fuzz --locked --quiet
fi

targets=("$@")
[ ${#targets[@]} -gt 0 ] || mapfile -t targets < <(cargo fuzz list)

corpus=${ROX_CORPUS:-$root/../shared/corpus}
seeds=()
for dir in "$corpus" "${ROX_REGRESS:-$(dirname "$corpus")/regress}" "$root/tests/fixtures"; do
  if [ -d "$dir" ]; then seeds+=("$dir"); else echo "fuzz.sh: no seeds at $dir" >&2; fi
done

logs="$root/fuzz/target/logs"
mkdir -p "$logs"
# One build for every target; `cargo fuzz run` below then only runs.
cargo fuzz build >"$logs/build.log" 2>&1 || { cat "$logs/build.log" >&2; exit 1; }
found=()
for target in "${targets[@]}"; do
  mkdir -p "corpus/$target" "artifacts/$target"
  log="$logs/$target.log"
  status=0
  cargo fuzz run "$target" "corpus/$target" "${seeds[@]}" -- \
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

#!/usr/bin/env bash
# A long fuzzing run, as issue 11 counts them (docs/fuzzing.md, "Long runs"): each target in
# turn runs EXECUTIONS inputs, split over PROCESSES libFuzzer processes that share one corpus
# directory (fuzz/corpus/<target>/), each with its own seed. libFuzzer's own `-fork` ran at a
# third of that rate on the two-core machines this was measured on.
#
# Usage: scripts/fuzz-campaign.sh EXECUTIONS [TARGET...]   (default: every target)
#
# Built for speed: release, no sanitizer, but with overflow checks and debug assertions
# (`cargo fuzz build -s none -O -a`: an overflow that wraps silently in a release build is a
# finding; session 20's CI caught one the campaign's `-O` build had run past). The targets
# check their own properties (round trips, every writer's output reads back); the C ABI's
# memory use is checked under valgrind by tests/c. Processes run at `nice 19`, so other work on the
# machine goes first. Prints, per target, the executions and whether any process found
# something (the input is saved under fuzz/artifacts/<target>/); exits non-zero on a finding.
#
# Environment: ROX_CORPUS, ROX_REGRESS and ROX_FUZZ_MAX_LEN as for scripts/fuzz.sh (the
# campaigns so far used ROX_FUZZ_MAX_LEN=4096); PROCESSES (default: the number of cores).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root/fuzz"

executions=${1:-}
[[ "$executions" =~ ^[0-9]+$ ]] || { echo "usage: fuzz-campaign.sh EXECUTIONS [TARGET...]" >&2; exit 2; }
shift
processes=${PROCESSES:-$(nproc)}
[[ "$processes" =~ ^[1-9][0-9]*$ ]] || { echo "fuzz-campaign.sh: PROCESSES must be a positive number" >&2; exit 2; }

source "$root/scripts/fuzz-setup.sh"

logs="$root/fuzz/target/campaign"
mkdir -p "$logs"
cargo fuzz build -s none -O -a >"$logs/build.log" 2>&1 || { cat "$logs/build.log" >&2; exit 1; }
bin="$root/fuzz/target/$(rustc -vV | sed -n 's/^host: //p')/release"
echo "campaign on $(git -C "$root" rev-parse --short HEAD): $executions executions a target, $processes processes"

found=()
for target in "${targets[@]}"; do
  mkdir -p "corpus/$target" "artifacts/$target"
  start=$(date +%s)
  pids=()
  for ((p = 1; p <= processes; p++)); do
    # The first processes take the remainder, so that the parts add up to EXECUTIONS.
    share=$((executions / processes + (p <= executions % processes ? 1 : 0)))
    nice -n 19 "$bin/$target" "corpus/$target" "${seeds[@]}" -runs="$share" -seed=$((start + p)) \
      -max_len="${ROX_FUZZ_MAX_LEN:-16384}" -artifact_prefix="artifacts/$target/" \
      >"$logs/$target.$p.log" 2>&1 &
    pids+=($!)
  done
  failed=0
  for pid in "${pids[@]}"; do wait "$pid" || failed=1; done
  runs=0
  for ((p = 1; p <= processes; p++)); do
    done_runs=$(grep -oE 'Done [0-9]+ runs' "$logs/$target.$p.log" | grep -oE '[0-9]+' || true)
    [ -n "$done_runs" ] || done_runs=$(grep -oE '^#[0-9]+' "$logs/$target.$p.log" | tail -n1 | tr -d '#' || true)
    runs=$((runs + ${done_runs:-0}))
  done
  seconds=$(($(date +%s) - start))
  if [ "$failed" -eq 0 ]; then
    printf '%-16s %12d executions in %6d s  clean\n' "$target" "$runs" "$seconds"
  else
    artifact=$(grep -hoE 'Test unit written to [^ ]+' "$logs/$target".*.log | sed 's/Test unit written to //' | head -n1 || true)
    printf '%-16s %12d executions in %6d s  FOUND: %s; logs %s/%s.*.log\n' "$target" "$runs" \
      "$seconds" "${artifact:+fuzz/$artifact}" "$logs" "$target"
    found+=("$target")
  fi
done

if [ ${#found[@]} -gt 0 ]; then
  echo "fuzz-campaign.sh: findings in ${found[*]}" >&2
  exit 1
fi

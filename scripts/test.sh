#!/usr/bin/env bash
# Every test of the project, in the order a failure is cheapest to read:
# Rust (unit, integration, CLI, generated-file freshness), the C ABI under valgrind, the C#
# library on Mono and on CoreCLR .NET 8, then the packages as users install them: the NuGet
# package (packed, installed with nuget.exe, used by a console program on Mono and CoreCLR) and
# the Unity package (.meta files, .unitypackage and UPM tarball), and last every fuzz target
# briefly (ROX_FUZZ_RUNS inputs from a fixed seed, default 3000, at most ROX_FUZZ_SECONDS,
# default 60; 0 skips them), so a decoder that lost its
# robustness fails here. Installs what it needs first (scripts/setup.sh; cargo-fuzz by
# scripts/fuzz.sh). Packages land in artifacts/ (git-ignored).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

step() { printf '\n=== %s ===\n' "$*"; }

# Tests that cannot run here (no corpus, no Python oracle) append a line to this file
# (tests/common/mod.rs, tests/c/run.sh); they are counted at the end, whatever the outcome.
# Under CI (CI=true) they fail instead.
ROX_SKIP_LOG=$(mktemp)
export ROX_SKIP_LOG
report_skips() {
  if [ -s "$ROX_SKIP_LOG" ]; then
    printf '\n%s skipped:\n' "$(wc -l <"$ROX_SKIP_LOG")"
    sort "$ROX_SKIP_LOG" | sed 's/^/  /'
  else
    printf '\n0 skipped\n'
  fi
  rm -f "$ROX_SKIP_LOG"
}
trap report_skips EXIT

step "setup"
bash scripts/setup.sh

if [ -d "${ROX_CORPUS:-$root/../shared/corpus}" ]; then
  echo "corpus: ${ROX_CORPUS:-$root/../shared/corpus}"
else
  echo "corpus: NOT FOUND at ${ROX_CORPUS:-$root/../shared/corpus}; corpus tests will be skipped and counted (under CI=true they fail)"
fi

step "rust: format and lints"
cargo fmt --check
cargo clippy --all-targets --quiet -- -D warnings

step "rust: tests"
cargo test --all-targets --quiet

step "C ABI under valgrind"
bash tests/c/run.sh

step "C#: Mono and CoreCLR"
bash dotnet/test.sh

step "Samples: the Unity and Godot samples compile (against engine stand-ins)"
bash tests/samples/check.sh

step "NuGet: pack + consumer test on Mono and CoreCLR"
rm -rf artifacts/native
bash scripts/stage-native.sh
python3 scripts/check-native.py   # SONAME, exports; the release workflow also checks the other RIDs
bash nuget/pack.sh
bash nuget/consumer-test.sh

step "Unity: metas + .unitypackage"
bash unity/test.sh

# A fixed number of inputs from a fixed seed, so that the result depends on the commit only;
# ROX_FUZZ_SECONDS caps each target's time.
fuzz_seconds=${ROX_FUZZ_SECONDS:-60}
export ROX_FUZZ_RUNS=${ROX_FUZZ_RUNS:-3000}
step "fuzz: every target, $ROX_FUZZ_RUNS inputs each (at most $fuzz_seconds s)"
if [ "$fuzz_seconds" -gt 0 ]; then
  bash scripts/fuzz.sh "$fuzz_seconds"
else
  echo "skipped (ROX_FUZZ_SECONDS=0)"
fi

step "all tests passed"

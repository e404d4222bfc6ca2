#!/usr/bin/env bash
# Builds the release cdylib, compiles tests/c/abi_test.c against include/rox.h and runs it
# under valgrind (memcheck, leak check). Exits non-zero on any compiler warning, failed
# check, memory error or leak.
#
# Usage: tests/c/run.sh [path/to/mania_7k.osu]   (default: osu/mania_7k.osu of the corpus,
#        $ROX_CORPUS or ../shared/corpus beside the crate root). Without it the corpus test is
#        skipped: said here and appended to $ROX_SKIP_LOG (scripts/test.sh counts them); under
#        CI (CI=true) a missing corpus fails the run, as in the Rust tests.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"

corpus=${1:-${ROX_CORPUS:-$root/../shared/corpus}/osu/mania_7k.osu}
out="$root/target/c-abi-test"
mkdir -p "$out"

if [ ! -f "$corpus" ]; then
  if [ "${CI:-}" = true ]; then
    echo "run.sh: corpus chart $corpus not found; CI runs every test, so this is a failure" >&2
    exit 1
  fi
  echo "SKIPPED tests/c/run.sh corpus decode: $corpus not found (set ROX_CORPUS)"
  if [ -n "${ROX_SKIP_LOG:-}" ]; then
    echo "tests/c/run.sh corpus decode: $corpus not found (set ROX_CORPUS)" >>"$ROX_SKIP_LOG"
  fi
fi

command -v gcc >/dev/null || { echo "run.sh: gcc not found (scripts/setup.sh installs it)" >&2; exit 1; }
command -v valgrind >/dev/null || { echo "run.sh: valgrind not found (scripts/setup.sh installs it)" >&2; exit 1; }

cargo build --release --lib
gcc -Wall -Wextra -Werror -std=c11 -g -pthread -I include tests/c/abi_test.c -o "$out/abi_test" \
    -L target/release -lrox -Wl,-rpath,"$root/target/release"

valgrind --error-exitcode=1 --leak-check=full \
    --errors-for-leak-kinds=definite,indirect,possible \
    --show-leak-kinds=definite,indirect,possible \
    "$out/abi_test" "$corpus" "$root/tests/fixtures/archives/song.osz"

#!/usr/bin/env bash
# Builds the C# benchmark program (dotnet/Benchmarks) with Mono's mcs against the release librox.so and runs
# it on Mono and on CoreCLR .NET 8. Each figure is printed with a memcpy floor measured in the same run.
#
# Usage: dotnet/bench.sh [CHART] [RUNS]
#   CHART  default: the 54K-note chart, $ROX_CORPUS/osu/mania_4K_50K_notes.osu (corpus default <repo>/../shared/corpus)
#   RUNS   timed runs per figure (default 15)
# Environment: DOTNET as in dotnet/test.sh.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
out="$root/dotnet/bin/bench"   # ignored by .gitignore (dotnet/**/bin/)
dotnet=${DOTNET:-$root/.tools/dnv/dnv/net/runtime/.net/dotnet}
chart=${1:-${ROX_CORPUS:-$root/../shared/corpus}/osu/mania_4K_50K_notes.osu}
runs=${2:-15}
[ -f "$chart" ] || { echo "bench.sh: no chart at $chart (pass one, or set ROX_CORPUS)" >&2; exit 1; }

cargo build --release --quiet --manifest-path "$root/Cargo.toml"
rm -rf "$out"
mkdir -p "$out"
# -optimize: the JIT sees what a Release build gives it.
mcs -nologo -langversion:7.2 -unsafe -optimize -target:exe -out:"$out/Benchmarks.exe" \
  "$root"/unity/com.rhythmopenexchange.rox/Runtime/*.cs "$root"/dotnet/Benchmarks/*.cs
cp "$root/target/release/librox.so" "$out/"
cat > "$out/Benchmarks.runtimeconfig.json" <<'JSON'
{ "runtimeOptions": { "tfm": "net8.0", "framework": { "name": "Microsoft.NETCore.App", "version": "8.0.0" } } }
JSON

echo "== Mono"
(cd "$out" && LD_LIBRARY_PATH="$out" mono --optimize=all Benchmarks.exe "$chart" "$runs")
echo "== CoreCLR"
(cd "$out" && "$dotnet" exec --runtimeconfig Benchmarks.runtimeconfig.json Benchmarks.exe "$chart" "$runs")

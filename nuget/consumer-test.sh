#!/usr/bin/env bash
# Uses the packed .nupkg the way a user does (run nuget/pack.sh first):
#   1. asserts the package's exact file list and .nuspec (nuget/nupkg.py check);
#   2. installs it with `nuget.exe install` from the local folder into a fresh directory (own
#      global-packages folder, so no stale copy of the same version can be picked up);
#   3. compiles nuget/consumer/Program.cs against the installed lib/netstandard2.1 assembly and
#      lays it out like a RID-less SDK build output (assembly + runtimes/<rid>/native/ beside it,
#      no .deps.json);
#   4. runs it on Mono and on CoreCLR (.NET 8): it must load the chart and print the same notes
#      on both, as many as the CLI counts; every entry point (Load, Decode, new RoxChart,
#      RoxLibrary.AbiVersion) must find the native library as the process's first call;
#   5. without runtimes/ and with a librox.so of another ABI version, both runtimes must report a
#      RoxNativeLibraryException naming the file, the folder searched, OS/architecture/runtime and
#      the ABI versions.
# Also runs nuget/check-entry-points.py (the source rule that keeps the first-call case working).
#
# Environment: NUPKG_DIR (default <repo>/artifacts/nuget), FULL=1 to expect every framework and
# RID in the package (release), DOTNET (default: scripts/setup.sh's .NET 8 runtime),
# ROX_CORPUS (default <repo>/../shared/corpus; without it a fixture chart is used).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
nupkg_dir=${NUPKG_DIR:-$root/artifacts/nuget}
dotnet=${DOTNET:-$root/.tools/dnv/dnv/net/runtime/.net/dotnet}
nuget_exe="$root/.tools/npm/node_modules/nuget-exe/nuget-5.8.0.exe"
version=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["version"])' \
  "$root/unity/com.rhythmopenexchange.rox/package.json")
nupkg="$nupkg_dir/RhythmOpenExchange.$version.nupkg"
[ -f "$nupkg" ] || { echo "consumer-test.sh: $nupkg not found; run nuget/pack.sh" >&2; exit 1; }
corpus=${ROX_CORPUS:-$root/../shared/corpus}
chart="$corpus/osu/mania_7k.osu"
[ -f "$chart" ] || chart="$root/unity/com.rhythmopenexchange.rox/Samples~/LoadChart/Example.osu"

fail() { echo "consumer-test.sh: $*" >&2; exit 1; }

echo "== file list of $(basename "$nupkg")"
if [ "${FULL:-}" = 1 ]; then
  python3 "$root/nuget/nupkg.py" check "$nupkg" --full
else
  python3 "$root/nuget/nupkg.py" check "$nupkg" --tfms netstandard2.1 --rids linux-x64
fi

work="$root/artifacts/consumer"
rm -rf "$work"
mkdir -p "$work"
echo "== nuget.exe install RhythmOpenExchange $version from $nupkg_dir into a fresh folder"
NUGET_PACKAGES="$work/global-packages" mono "$nuget_exe" install RhythmOpenExchange -Version "$version" \
  -Source "$nupkg_dir" -OutputDirectory "$work/packages" -NonInteractive -DirectDownload -NoCache -Verbosity quiet
installed="$work/packages/RhythmOpenExchange.$version"
[ -f "$installed/lib/netstandard2.1/RhythmOpenExchange.dll" ] || fail "install did not produce $installed/lib/netstandard2.1/"
cmp "$installed/runtimes/linux-x64/native/librox.so" <(unzip -p "$nupkg" runtimes/linux-x64/native/librox.so) \
  || fail "installed librox.so differs from the packed one"

echo "== compile the consumer against the installed assembly"
app="$work/app"
mkdir -p "$app"
# The netstandard facade lets mcs read an SDK-built lib/netstandard2.1 assembly (release workflow).
facade=$(dirname "$(command -v mcs)")/../lib/mono/4.5/Facades/netstandard.dll
mcs -nologo -langversion:7.2 -target:exe -out:"$app/Consumer.exe" -r:"$facade" \
  -r:"$installed/lib/netstandard2.1/RhythmOpenExchange.dll" "$root/nuget/consumer/Program.cs"
cp "$installed/lib/netstandard2.1/RhythmOpenExchange.dll" "$app/"
cp -r "$installed/runtimes" "$app/runtimes"   # what a RID-less SDK build copies to its output
cat > "$app/Consumer.runtimeconfig.json" <<'JSON'
{ "runtimeOptions": { "tfm": "net8.0", "framework": { "name": "Microsoft.NETCore.App", "version": "8.0.0" } } }
JSON

# Run from another directory, with no library path: only the package layout can make it work.
run_mono() { (cd "$work" && env -u LD_LIBRARY_PATH mono "$app/Consumer.exe" "$@"); }
run_coreclr() { (cd "$work" && env -u LD_LIBRARY_PATH "$dotnet" exec --runtimeconfig "$app/Consumer.runtimeconfig.json" "$app/Consumer.exe" "$@"); }

echo "== load $(basename "$chart") on Mono and CoreCLR"
run_mono load "$chart" >"$work/mono.txt" || fail "Mono run failed: $(cat "$work/mono.txt")"
run_coreclr load "$chart" >"$work/coreclr.txt" || fail "CoreCLR run failed: $(cat "$work/coreclr.txt")"
cmp -s "$work/mono.txt" "$work/coreclr.txt" || { diff "$work/mono.txt" "$work/coreclr.txt" | head; fail "Mono and CoreCLR print different notes"; }
head -n 6 "$work/mono.txt"
echo "..."
notes=$(sed -n 's/^notes: //p' "$work/mono.txt")
printed=$(grep -c ' us  column ' "$work/mono.txt" || true)
[ "$printed" = "$notes" ] || fail "printed $printed notes, header says $notes"
[ "$notes" -gt 0 ] || fail "no notes decoded"
if [ -x "$root/target/release/rox" ]; then
  cli=$("$root/target/release/rox" info "$chart" | sed -n 's/^notes: \([0-9]*\).*/\1/p')
  [ "$cli" = "$notes" ] || fail "the CLI counts $cli notes, the consumer $notes"
  echo "note count $notes equals the CLI's"
fi

echo "== every entry point as the first call (Mono binds a P/Invoke when it compiles the caller)"
python3 "$root/nuget/check-entry-points.py"
for rt in mono coreclr; do
  for mode in "decode $chart" new abi; do
    # shellcheck disable=SC2086
    out=$("run_$rt" $mode) || fail "$rt: '$mode' as the first call failed: $out"
    echo "$rt ${mode%% *}: $out"
  done
done

expect_library_error() {  # label, output file, texts that must appear
  local label=$1 file=$2; shift 2
  grep -q '^RoxNativeLibraryException: ' "$file" || fail "$label: no RoxNativeLibraryException: $(cat "$file")"
  for want in "$@"; do
    grep -qF -- "$want" "$file" || fail "$label: '$want' missing from: $(cat "$file")"
  done
  echo "$label: $(tr "\n" " " <"$file" | cut -c1-200)..."
}

echo "== without runtimes/: a clear error on both runtimes"
mv "$app/runtimes" "$app/runtimes.off"
for rt in mono coreclr; do
  if "run_$rt" load "$chart" >"$work/$rt-missing.txt"; then fail "$rt ran without the native library"; fi
  expect_library_error "$rt, no native" "$work/$rt-missing.txt" "could not load the native library" "'librox.so'" \
    "$app/runtimes/linux-x64/native" "X64" "ABI version expected: 1, found: none"
done
grep -qF "runtime: Mono" "$work/mono-missing.txt" || fail "Mono error does not name the runtime"
grep -qF "runtime: .NET 8" "$work/coreclr-missing.txt" || fail "CoreCLR error does not name the runtime"

echo "== a librox.so of another ABI version: a clear error on both runtimes"
mkdir -p "$app/runtimes/linux-x64/native"
printf 'unsigned rox_abi_version(void) { return 999; }\n' >"$work/stub.c"
gcc -shared -fPIC -Wl,-soname,librox.so -o "$app/runtimes/linux-x64/native/librox.so" "$work/stub.c"
for rt in mono coreclr; do
  if "run_$rt" load "$chart" >"$work/$rt-abi.txt"; then fail "$rt accepted a library of another ABI version"; fi
  expect_library_error "$rt, ABI 999" "$work/$rt-abi.txt" "wrong ABI version" "'librox.so'" \
    "ABI version expected: 1, found: 999"
done
rm -rf "$app/runtimes"
mv "$app/runtimes.off" "$app/runtimes"

echo "consumer-test.sh: the installed package works on Mono and CoreCLR"

#!/usr/bin/env bash
# Packs the NuGet package RhythmOpenExchange with nuget.exe (Mono; scripts/setup.sh installs it).
#
#   ARTIFACTS_DIR  native binaries as <rid>/<file> (default <repo>/artifacts/native); the package
#                  gets whichever of linux-x64, linux-arm64, win-x64, win-arm64, osx are there
#                  (see `nuget/nupkg.py rids`), and the missing ones are listed
#   MANAGED_DIR    <tfm>/RhythmOpenExchange.dll + .xml for netstandard2.1 (required) and net8.0
#                  (optional; the release workflow builds both with the .NET SDK). Default: build
#                  netstandard2.1 here with Mono's mcs into <repo>/artifacts/managed
#   OUT_DIR        where the .nupkg goes (default <repo>/artifacts/nuget)
#   REQUIRE_ALL=1  fail unless every RID and framework is present (release)
#
# The version is the Unity package.json's (unity/check-package.py keeps Cargo.toml and the
# .csproj equal to it).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
artifacts=${ARTIFACTS_DIR:-$root/artifacts/native}
out=${OUT_DIR:-$root/artifacts/nuget}
nuget_exe="$root/.tools/npm/node_modules/nuget-exe/nuget-5.8.0.exe"
[ -f "$nuget_exe" ] || { echo "pack.sh: $nuget_exe not found; run scripts/setup.sh" >&2; exit 1; }
version=$(python3 -c \
  'import json,sys; print(json.load(open(sys.argv[1]))["version"])' "$root/unity/com.rhythmopenexchange.rox/package.json")

if [ -z "${MANAGED_DIR:-}" ]; then
  managed="$root/artifacts/managed"
  rm -rf "$managed"
  mkdir -p "$managed/netstandard2.1"
  # The same compilation as dotnet/test.sh: one set of sources, C# 7.2 (what mcs supports).
  mcs -nologo -langversion:7.2 -unsafe -optimize+ -target:library \
    -out:"$managed/netstandard2.1/RhythmOpenExchange.dll" -doc:"$managed/netstandard2.1/RhythmOpenExchange.xml" \
    "$root"/unity/com.rhythmopenexchange.rox/Runtime/*.cs
else
  managed=$MANAGED_DIR
fi

stage="$out/stage"
rm -rf "$stage"
mkdir -p "$stage"
missing=()
tfms=()
groups=""
for tfm in netstandard2.1 net8.0; do
  if [ -f "$managed/$tfm/RhythmOpenExchange.dll" ] && [ -f "$managed/$tfm/RhythmOpenExchange.xml" ]; then
    mkdir -p "$stage/lib/$tfm"
    cp "$managed/$tfm/RhythmOpenExchange.dll" "$managed/$tfm/RhythmOpenExchange.xml" "$stage/lib/$tfm/"
    tfms+=("$tfm")
    groups+="      <group targetFramework=\"$tfm\" />"$'\n'
  else
    missing+=("lib/$tfm")
  fi
done
[ -d "$stage/lib/netstandard2.1" ] || { echo "pack.sh: $managed/netstandard2.1/RhythmOpenExchange.dll/.xml missing" >&2; exit 1; }

rids=()
while read -r rid file; do
  if [ -f "$artifacts/$rid/$file" ]; then
    mkdir -p "$stage/runtimes/$rid/native"
    cp "$artifacts/$rid/$file" "$stage/runtimes/$rid/native/"
    rids+=("$rid")
  else
    missing+=("runtimes/$rid/native/$file (from $artifacts/$rid/$file)")
  fi
done < <(python3 "$root/nuget/nupkg.py" rids)
[ ${#rids[@]} -gt 0 ] || { echo "pack.sh: no native library in $artifacts/<rid>/" >&2; exit 1; }

cp "$root/nuget/README.md" "$stage/README.md"
python3 - "$root/nuget/RhythmOpenExchange.nuspec.in" "$stage/RhythmOpenExchange.nuspec" "$version" "$groups" <<'PY'
import sys
src, dst, version, groups = sys.argv[1:]
text = open(src, encoding="utf-8").read()
text = text.replace("@VERSION@", version).replace("@DEPENDENCY_GROUPS@\n", groups)
open(dst, "w", encoding="utf-8").write(text)
PY

rm -f "$out/RhythmOpenExchange.$version.nupkg"
mono "$nuget_exe" pack "$stage/RhythmOpenExchange.nuspec" -OutputDirectory "$out" -NonInteractive \
  -Verbosity quiet
nupkg="$out/RhythmOpenExchange.$version.nupkg"
python3 "$root/nuget/nupkg.py" finalize "$nupkg"

echo "pack.sh: $nupkg"
echo "pack.sh: frameworks: ${tfms[*]}; native RIDs: ${rids[*]}"
if [ ${#missing[@]} -gt 0 ]; then
  printf 'pack.sh: MISSING: %s\n' "${missing[@]}"
  if [ "${REQUIRE_ALL:-}" = 1 ]; then
    echo "pack.sh: REQUIRE_ALL=1 and some are missing" >&2
    exit 1
  fi
fi

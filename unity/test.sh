#!/usr/bin/env bash
# The Unity package test (scripts/test.sh runs it): checks the package folder's .meta files,
# compiles Runtime/ with the defines of several Unity targets (the #if UNITY_* branches), checks
# that WebGL and tvOS players refuse every entry point with PlatformNotSupportedException, builds
# the .unitypackage and the UPM tarball twice (they must be byte-identical), validates both, and
# makes sure the checker really catches a missing .meta, a duplicated GUID and a wrong plugin
# setting.
#
# Environment: ARTIFACTS_DIR  native binaries as <rid>/<file> (default <repo>/artifacts/native)
#              OUT_DIR        where the packages go (default <repo>/artifacts/unity)
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
artifacts=${ARTIFACTS_DIR:-$root/artifacts/native}
out=${OUT_DIR:-$root/artifacts/unity}
check="$root/unity/check-package.py"
version=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["version"])' \
  "$root/unity/com.rhythmopenexchange.rox/package.json")
unitypackage="$out/RhythmOpenExchange-$version.unitypackage"
upm="$out/com.rhythmopenexchange.rox-$version.tgz"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

echo "== package folder"
python3 "$check"

echo "== Runtime compiles as Unity compiles it (mcs, C# 7.2 < Unity's C# 9; Unity-only #if branches)"
for defines in "UNITY_5_3_OR_NEWER;UNITY_EDITOR;UNITY_EDITOR_LINUX;UNITY_STANDALONE_LINUX" \
               "UNITY_5_3_OR_NEWER;UNITY_EDITOR;UNITY_EDITOR_OSX;UNITY_STANDALONE_OSX" \
               "UNITY_5_3_OR_NEWER;UNITY_STANDALONE_OSX" "UNITY_5_3_OR_NEWER;UNITY_IOS" "UNITY_5_3_OR_NEWER;UNITY_ANDROID" \
               "UNITY_5_3_OR_NEWER;UNITY_WEBGL" "UNITY_5_3_OR_NEWER;UNITY_TVOS" "UNITY_5_3_OR_NEWER;UNITY_EDITOR;UNITY_WEBGL"; do
  mcs -nologo -langversion:7.2 -unsafe -target:library -warnaserror+ -nowarn:1591 -define:"$defines" \
    -out:"$tmp/RhythmOpenExchange.dll" "$root"/unity/com.rhythmopenexchange.rox/Runtime/*.cs \
    || { echo "unity/test.sh: Runtime does not compile with $defines" >&2; exit 1; }
  echo "ok: $defines"
done

echo "== WebGL and tvOS players: every entry point throws PlatformNotSupportedException"
cat > "$tmp/Unsupported.cs" <<'CS'
using System;
using RhythmOpenExchange;

static class Unsupported
{
    static int Main()
    {
        var calls = new Action[]
        {
            () => new RoxChart(4), () => RoxChart.Decode(new byte[1]), () => RoxChartSet.Decode(new byte[1]),
            () => RoxChart.Load("missing.osu"), () => { var v = RoxLibrary.AbiVersion; },
        };
        foreach (Action call in calls)
        {
            try
            {
                call();
                Console.Error.WriteLine("no exception");
                return 1;
            }
            catch (PlatformNotSupportedException e) when (e.Message.Contains("WebGL and tvOS"))
            {
            }
        }
        return 0;
    }
}
CS
for define in UNITY_WEBGL UNITY_TVOS; do
  mkdir -p "$tmp/$define"
  mcs -nologo -langversion:7.2 -unsafe -target:library -nowarn:1591 -define:"UNITY_5_3_OR_NEWER;$define" \
    -out:"$tmp/$define/RhythmOpenExchange.dll" "$root"/unity/com.rhythmopenexchange.rox/Runtime/*.cs
  mcs -nologo -out:"$tmp/$define/Unsupported.exe" -r:"$tmp/$define/RhythmOpenExchange.dll" "$tmp/Unsupported.cs"
  mono "$tmp/$define/Unsupported.exe" || { echo "unity/test.sh: $define: an entry point did not throw PlatformNotSupportedException" >&2; exit 1; }
  echo "ok: $define"
done

echo "== build (twice: the output must not change)"
rm -rf "$out" "$out.again"
python3 "$root/unity/build-unitypackage.py" --artifacts "$artifacts" --out "$out.again" >/dev/null
python3 "$root/unity/build-unitypackage.py" --artifacts "$artifacts" --out "$out"
for f in "$unitypackage" "$upm"; do
  cmp "$f" "$out.again/$(basename "$f")" || { echo "unity/test.sh: $(basename "$f") is not reproducible" >&2; exit 1; }
done
rm -rf "$out.again"

echo "== validate $(basename "$unitypackage") and $(basename "$upm")"
python3 "$check" --unitypackage "$unitypackage" --upm "$upm" --artifacts "$artifacts" ${REQUIRE_ALL_PLUGINS:+--require-all-plugins}

echo "== the checker catches broken packages"
expect_failure() {  # name, text the report must contain
  local name=$1 want=$2 log="$tmp/$1.log"
  if ROX_UNITY_PACKAGE_DIR="$tmp/pkg" python3 "$check" >"$log" 2>&1; then
    echo "unity/test.sh: the checker accepted a package with $name" >&2; exit 1
  fi
  grep -qF -- "$want" "$log" || { echo "unity/test.sh: report for $name lacks '$want':" >&2; cat "$log" >&2; exit 1; }
  echo "caught: $name"
}
fresh() { rm -rf "$tmp/pkg"; cp -a "$root/unity/com.rhythmopenexchange.rox" "$tmp/pkg"; }
fresh; rm "$tmp/pkg/Runtime/RoxChart.cs.meta"
expect_failure "a missing .meta" "Runtime/RoxChart.cs: missing RoxChart.cs.meta"
fresh; touch "$tmp/pkg/Runtime/NewFile.cs"
expect_failure "a new file without .meta" "Runtime/NewFile.cs: missing NewFile.cs.meta"
fresh; cp "$tmp/pkg/Runtime/RoxNote.cs.meta" "$tmp/pkg/Runtime/RoxEnums.g.cs.meta"
expect_failure "a duplicated GUID" "duplicate GUID"
fresh; sed -i '/Standalone: Win64/,/CPU/ s/CPU: x86_64/CPU: ARM64/' "$tmp/pkg/Plugins/win-x64/rox.dll.meta"
expect_failure "a wrong plugin CPU" "Plugins/win-x64/rox.dll.meta: differs from the importer settings"
fresh; rm -r "$tmp/pkg/Samples~/LoadChart/README.md"
expect_failure "a .meta without its asset" "README.md.meta: .meta without its asset"
echo "unity/test.sh: Unity package OK"

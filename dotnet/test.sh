#!/usr/bin/env bash
# Builds the C# wrapper, its tests and the CoreCLR test runner with Mono's mcs (no .NET SDK
# needed), then runs the tests on Mono (nunit-console) and on CoreCLR (.NET 8, TestRunner).
# Fails if either runtime has a failing test. Runs from any directory.
#
# Environment:
#   ROX_NATIVE_DIR  folder holding librox.so; default <repo>/target/release, rebuilt with
#                   `cargo build --release` first so the tests never run against a stale library
#   DOTNET          dotnet host; default <repo>/.tools/dnv/dnv/net/runtime/.net/dotnet (scripts/setup.sh)
#   ROX_CORPUS      test corpus; default <repo>/../shared/corpus (tests needing it are skipped without it)
#   TEST_FILTER     run only CoreCLR tests whose "Fixture.Method(args)" contains this text
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
src="$root/dotnet"
out="$src/bin/test"   # ignored by .gitignore (dotnet/**/bin/)
nunit=/usr/lib/cli/nunit.framework-2.6.3/nunit.framework.dll
dotnet=${DOTNET:-$root/.tools/dnv/dnv/net/runtime/.net/dotnet}

for tool in mcs mono nunit-console; do
  command -v "$tool" >/dev/null || { echo "test.sh: $tool not found; run scripts/setup.sh" >&2; exit 1; }
done
[ -f "$nunit" ] || { echo "test.sh: $nunit not found; run scripts/setup.sh" >&2; exit 1; }
[ -x "$dotnet" ] || { echo "test.sh: $dotnet not found; run scripts/setup.sh or set DOTNET" >&2; exit 1; }

if [ -z "${ROX_NATIVE_DIR:-}" ]; then
  echo "== cargo build --release"
  cargo build --release --quiet --manifest-path "$root/Cargo.toml"
fi
native_dir=${ROX_NATIVE_DIR:-$root/target/release}
[ -f "$native_dir/librox.so" ] || { echo "test.sh: $native_dir/librox.so not found" >&2; exit 1; }

failed=()
runtime="$root/unity/com.rhythmopenexchange.rox/Runtime"
echo "== entry points load the library before their first P/Invoke (nuget/check-entry-points.py)"
python3 "$root/nuget/check-entry-points.py" || failed+=("entry-point check")
# The check must catch a creator that lost its NoInlining attribute.
broken=$(mktemp -d)
cp "$runtime"/*.cs "$broken/"
python3 - "$broken/Interop.cs" <<'PY'
import re, sys
text = open(sys.argv[1]).read()
stripped = re.sub(r"\[MethodImpl\(MethodImplOptions\.NoInlining\)\]\s*(internal static RoxChartSetHandle DecodeSet)", r"\1", text)
assert stripped != text, "DecodeSet's attribute not found"
open(sys.argv[1], "w").write(stripped)
PY
if python3 "$root/nuget/check-entry-points.py" "$broken" 2>/dev/null; then
  echo "test.sh: check-entry-points.py accepted DecodeSet without NoInlining" >&2
  failed+=("entry-point check self-test")
fi
rm -rf "$broken"

echo "== mcs: building into $out"
rm -rf "$out"
mkdir -p "$out"
# One set of sources; C# 7.2 is what Mono's mcs supports and keeps the code valid for Unity (C# 9).
mcs -nologo -langversion:7.2 -unsafe -target:library -out:"$out/RhythmOpenExchange.dll" \
  -doc:"$out/RhythmOpenExchange.xml" "$runtime"/*.cs
mcs -nologo -langversion:7.2 -unsafe -target:library -out:"$out/RhythmOpenExchange.Tests.dll" \
  -r:"$out/RhythmOpenExchange.dll" -r:"$nunit" -r:System.IO.Compression "$src"/RhythmOpenExchange.Tests/*.cs
mcs -nologo -langversion:7.2 -target:exe -out:"$out/TestRunner.exe" -r:"$nunit" "$src"/TestRunner/*.cs
# The benchmark program (dotnet/bench.sh runs it) is only compiled here, so it cannot rot; timing is not a test.
mcs -nologo -langversion:7.2 -unsafe -target:exe -out:"$out/Benchmarks.exe" -r:"$out/RhythmOpenExchange.dll" \
  "$src"/Benchmarks/*.cs
cp "$native_dir/librox.so" "$nunit" "$out/"
cat > "$out/TestRunner.runtimeconfig.json" <<'JSON'
{ "runtimeOptions": { "tfm": "net8.0", "framework": { "name": "Microsoft.NETCore.App", "version": "8.0.0" } } }
JSON

# A test run that does not end is a failure, not a stuck CI job: after the limit, SIGQUIT makes
# Mono print every thread's stack (to find the cause), then the run is killed.
limit() { timeout -s QUIT -k 15 "${ROX_TEST_TIMEOUT:-600}" "$@"; }

echo "== Mono $(mono --version | head -n1 | sed 's/.*version \([^ ]*\).*/\1/') (nunit-console)"
# -noshadow: a shadow copy would move the assemblies away from librox.so.
if ! (cd "$out" && LD_LIBRARY_PATH="$out${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}" \
      limit nunit-console -nologo -noshadow -xml="$out/TestResult.mono.xml" "$out/RhythmOpenExchange.Tests.dll"); then
  failed+=(Mono)
fi

echo "== CoreCLR $("$dotnet" --list-runtimes | grep -m1 'Microsoft.NETCore.App 8' | cut -d' ' -f2) (TestRunner)"
if ! limit "$dotnet" exec --runtimeconfig "$out/TestRunner.runtimeconfig.json" "$out/TestRunner.exe" \
      "$out/RhythmOpenExchange.Tests.dll" ${TEST_FILTER:+"$TEST_FILTER"}; then
  failed+=(CoreCLR)
fi

# Same assemblies without librox.so: the first call must explain what is missing, not just crash.
echo "== missing native library (Mono and CoreCLR)"
nonative="$out/no-native"
mkdir -p "$nonative"
cp "$out"/*.dll "$out"/*.exe "$out"/*.json "$nonative/"   # everything but librox.so
if ! (cd "$nonative" && ROX_EXPECT_NO_NATIVE=1 limit nunit-console -nologo -noshadow -xml="$nonative/TestResult.mono.xml" \
      -run=RhythmOpenExchange.Tests.NativeLibraryTests "$nonative/RhythmOpenExchange.Tests.dll"); then
  failed+=("Mono without librox")
fi
if ! ROX_EXPECT_NO_NATIVE=1 limit "$dotnet" exec --runtimeconfig "$nonative/TestRunner.runtimeconfig.json" \
      "$nonative/TestRunner.exe" "$nonative/RhythmOpenExchange.Tests.dll" NativeLibraryTests.; then
  failed+=("CoreCLR without librox")
fi

if [ ${#failed[@]} -gt 0 ]; then
  echo "test.sh: tests failed on: ${failed[*]}" >&2
  exit 1
fi
echo "test.sh: all tests passed on Mono and CoreCLR"

#!/usr/bin/env bash
# Type-checks the Unity and Godot samples with Mono's mcs against the C# library and small stand-ins for the
# engine APIs they use (tests/samples/*.cs), so that a change of the library's API cannot leave a sample that
# no longer compiles. Neither engine runs on these machines; the samples' behaviour is not tested here.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
mcs -nologo -langversion:7.2 -unsafe -target:library -out:"$out/RhythmOpenExchange.dll" \
  "$root"/unity/com.rhythmopenexchange.rox/Runtime/*.cs
mcs -nologo -langversion:7.2 -target:library -out:"$out/UnitySample.dll" -r:"$out/RhythmOpenExchange.dll" \
  "$root/tests/samples/UnityEngine.cs" "$root"/unity/com.rhythmopenexchange.rox/Samples~/LoadChart/*.cs
mcs -nologo -langversion:7.2 -target:library -out:"$out/GodotSample.dll" -r:"$out/RhythmOpenExchange.dll" \
  "$root/tests/samples/Godot.cs" "$root"/samples/godot/*.cs
echo "samples: the Unity and Godot samples compile against the library"

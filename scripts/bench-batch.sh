#!/usr/bin/env bash
# End-to-end batch benchmark: generate a roster, assess it (CSV in, CSV out), and the parse-and-write floor, with
# wall time, rows per second and peak memory (GNU time). Usage: scripts/bench-batch.sh [ROWS ...]
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release -q
bin=target/release/verblijf
dir=${BENCH_DIR:-$(mktemp -d)}
mkdir -p "$dir"
for n in "${@:-1000000}"; do
  "$bin" generate "$n" --seed 1 > "$dir/pop-$n.csv"
  size=$(du -h "$dir/pop-$n.csv" | cut -f1)
  for mode in rules floor; do
    extra=""; [ "$mode" = floor ] && extra="--parse-only"
    /usr/bin/time -f "%e %M" -o "$dir/time" "$bin" batch "$dir/pop-$n.csv" --out "$dir/out-$n.csv" $extra 2> "$dir/log" >/dev/null
    read -r secs kb < "$dir/time"
    rate=$(awk -v n="$n" -v s="$secs" 'BEGIN { printf "%.0f", n / s }')
    echo "rows=$n input=$size mode=$mode seconds=$secs rows_per_second=$rate peak_rss_mb=$((kb / 1024))"
  done
  rm -f "$dir/pop-$n.csv" "$dir/out-$n.csv" "$dir/out-$n.csv.rejects.csv"
done

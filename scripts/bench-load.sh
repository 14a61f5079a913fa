#!/usr/bin/env bash
# Load + validate benchmark for docs/benchmarks.md: generates sample estates of 1k, 10k and 100k
# households with 12 months of every register (kefu sample), then times `kefu check` on each
# (GNU time: wall, user CPU, peak RSS). Needs ~1 GB of free disk for the 100k estate.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet
for n in ${SIZES:-1000 10000 100000}; do
  dir=$(mktemp -d)
  /usr/bin/time -f "sample $n: %e s wall, %M KiB peak RSS" \
    target/release/kefu --output "$dir" sample --households "$n" --months 12 --seed 1 --month 2026-10 >/dev/null
  du -sh "$dir" | sed "s/^/files $n: /"
  for run in 1 2 3; do
    /usr/bin/time -f "check $n (run $run): %e s wall, %U s user, %M KiB peak RSS" \
      target/release/kefu check --input "$dir" | tail -1
  done
  rm -rf "$dir"
done

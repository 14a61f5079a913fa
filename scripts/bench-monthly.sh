#!/usr/bin/env bash
# Monthly-report benchmark for docs/benchmarks.md: `kefu monthly` end to end (load included) on
# generated estates of 1k, 10k and 100k households (12 months of registers), with GNU time for
# wall time and peak memory; pages counted from the command's summary line.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet
for n in ${SIZES:-1000 10000 100000}; do
  dir=$(mktemp -d)
  out=$(mktemp -d)
  target/release/kefu --output "$dir" sample --households "$n" --months 12 --seed 1 --month 2026-10 >/dev/null
  /usr/bin/time -f "kefu monthly ($n households): %e s wall, %M KiB peak RSS" \
    target/release/kefu --input "$dir" --output "$out" monthly 2>&1 | tail -2
  rm -rf "$dir" "$out"
done
out=$(mktemp -d)
/usr/bin/time -f "kefu monthly (committed sample, 1,200 households): %e s wall, %M KiB peak RSS" \
  target/release/kefu --output "$out" monthly 2>&1 | tail -2
rm -rf "$out"

#!/usr/bin/env bash
# Rules benchmark for docs/benchmarks.md: plan-visits, every rule, the deadline list and dunning on a
# generated estate (default 100,000 households, 12 months), timed in process after one load; then
# the three commands end to end (load included) with GNU time.
set -euo pipefail
cd "$(dirname "$0")/.."
n=${HOUSEHOLDS:-100000}
dir=$(mktemp -d)
cargo build --release --quiet
target/release/kefu --output "$dir" sample --households "$n" --months 12 --seed 1 --month 2026-10 >/dev/null
KEFU_BENCH_INPUT="$dir" cargo bench --quiet --bench rules
out=$(mktemp -d)
/usr/bin/time -f "kefu plan-visits ($n): %e s wall, %M KiB peak RSS" target/release/kefu --input "$dir" --output "$out" plan-visits | tail -1
/usr/bin/time -f "kefu deadlines ($n): %e s wall, %M KiB peak RSS" target/release/kefu --input "$dir" --output "$out" deadlines | tail -1
/usr/bin/time -f "kefu dunning ($n): %e s wall, %M KiB peak RSS" target/release/kefu --input "$dir" --output "$out" dunning | tail -1
rm -rf "$dir" "$out"

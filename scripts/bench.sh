#!/usr/bin/env bash
# Benchmarks for docs/benchmarks.md: timings from `cargo bench`, then wall time and peak memory of
# whole CLI runs of the release binary (GNU time). Run on an otherwise idle machine.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo bench --bench pack
cargo build --release --quiet
out=$(mktemp -d)
for args in "pack --forms 1" "pack" "pack --copies 5"; do
  /usr/bin/time -f "kefu $args: %e s wall, %U s user, %M KiB peak RSS" \
    target/release/kefu --as-of 2026-11-27 --output "$out" $args >/dev/null
done
rm -rf "$out"

#!/usr/bin/env bash
# Archive benchmark for docs/benchmarks.md: `kefu archive` on the committed sample (1,202 rooms),
# first a full build, then a rerun with nothing changed, then a forced rebuild; GNU time gives wall
# time and peak memory, the summary line the households and pages.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet
out=$(mktemp -d)
/usr/bin/time -f "full build: %e s wall, %M KiB peak RSS" target/release/kefu --output "$out" archive 2>&1 | tail -2
/usr/bin/time -f "rerun, nothing changed: %e s wall, %M KiB peak RSS" target/release/kefu --output "$out" archive 2>&1 | tail -2
/usr/bin/time -f "load and check only (kefu check): %e s wall, %M KiB peak RSS" target/release/kefu check >/dev/null 2>/tmp/kefu-check-time.txt || true
tail -1 /tmp/kefu-check-time.txt
du -sh "$out/archive"
rm -rf "$out"

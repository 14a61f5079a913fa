#!/usr/bin/env bash
# The benchmark suite for docs/benchmarks.md: on generated estates (default 1k and 10k households,
# 12 months of registers), every stage as its own command under GNU time — wall, CPU (user+sys),
# peak memory — and the pages each wrote: check (load + validate), deadlines (all rules),
# dunning, monthly, archive (full), archive (rerun, nothing changed). Prints a Markdown table.
# A full archive of a large estate takes hours (about 12 pages per household at ~200 pages/s on
# two cores): estates above ARCHIVE_MAX households (default 10000) skip the archive stages.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet
bin=target/release/kefu
echo "| Households | Stage | Wall | CPU | Peak RSS | Result |"
echo "| --- | --- | --- | --- | --- | --- |"
for n in ${SIZES:-1000 10000}; do
  in=$(mktemp -d); out=$(mktemp -d)
  $bin --output "$in" sample --households "$n" --months 12 --seed 1 --month 2026-10 >/dev/null
  stages="check deadlines dunning monthly archive archive-again"
  [ "$n" -gt "${ARCHIVE_MAX:-10000}" ] && stages="check deadlines dunning monthly"
  for stage in $stages; do
    cmd=$stage; [ "$stage" = archive-again ] && cmd=archive
    line=$( { /usr/bin/time -f "TIME %e %U %S %M" $bin --input "$in" --output "$out" $cmd >/tmp/kefu-suite-out.txt 2>&1; } 2>&1 || true)
    t=$(grep -a "^TIME" /tmp/kefu-suite-out.txt | tail -1 || true)
    result=$(grep -av "^TIME" /tmp/kefu-suite-out.txt | tail -1 | sed 's/|/\//g' | cut -c1-400)
    read -r _ wall user sys rss <<<"$t"
    cpu=$(echo "$user + $sys" | bc)
    echo "| $n | $stage | ${wall} s | ${cpu} s | $((rss / 1024)) MB | $result |"
  done
  rm -rf "$in" "$out"
done

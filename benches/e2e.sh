#!/usr/bin/env bash
# End-to-end benchmark: bouncelens run against zcat, raw decompression with
# our own gzip backend, and pflogsumm, interleaved (A B A B …), median of N.
# Usage: benches/e2e.sh [LINES] [ROUNDS]   (defaults: 6000000 lines ≈ 0.85 GB, 5 rounds)
# Needs: pflogsumm (apt-get install -y pflogsumm) for the pflogsumm row,
# bgzip (apt-get install -y tabix) for the BGZF rows.
# BIG_LINES=36000000 (≈ 5 GB) adds one run over that much uncompressed log
# and prints its peak RSS (issue 6: <= 1 GiB); it needs the disk space.
set -euo pipefail
cd "$(dirname "$0")/.."
LINES=${1:-6000000}
ROUNDS=${2:-5}
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/bouncelens-target}"
cargo build --release --quiet --bin bouncelens --example inflate
BL="$CARGO_TARGET_DIR/release/bouncelens"
INFLATE="$CARGO_TARGET_DIR/release/examples/inflate"
W=$(mktemp -d "${TMPDIR:-/tmp}/bouncelens-bench.XXXXXX")
trap 'rm -rf "$W"' EXIT

echo "generating $LINES lines x2 ..." >&2
"$BL" sample --lines "$LINES" --days 2 --seed 1 --out "$W/a.log.gz" 2>/dev/null
"$BL" sample --lines "$LINES" --days 2 --seed 2 --host mx2 --out "$W/b.log.gz" 2>/dev/null
zcat "$W/a.log.gz" > "$W/a.log"
BYTES=$(stat -c %s "$W/a.log")

declare -A CMD=(
  [zcat]="zcat $W/a.log.gz > /dev/null"
  [inflate]="$INFLATE $W/a.log.gz > /dev/null"
  [run_1gz]="rm -rf $W/o1 && $BL run $W/a.log.gz --out $W/o1 --quiet 2>/dev/null"
  [run_2gz]="rm -rf $W/o2 && $BL run $W/a.log.gz $W/b.log.gz --out $W/o2 --quiet 2>/dev/null"
  [run_plain]="rm -rf $W/o3 && $BL run $W/a.log --out $W/o3 --quiet 2>/dev/null"
)
ORDER=(zcat inflate run_1gz run_2gz run_plain)
if command -v bgzip >/dev/null; then
  # BGZF (what bgzip writes): blocks inflated in parallel
  bgzip -c "$W/a.log" > "$W/a.log.bgz"
  CMD[inflate_bgzf]="$INFLATE $W/a.log.bgz > /dev/null"
  CMD[run_bgzf]="rm -rf $W/o4 && $BL run $W/a.log.bgz --out $W/o4 --quiet 2>/dev/null"
  ORDER+=(inflate_bgzf run_bgzf)
fi
if command -v pflogsumm >/dev/null; then
  CMD[pflogsumm]="pflogsumm $W/a.log > /dev/null 2>&1"
  ORDER+=(pflogsumm)
fi
declare -A TIMES RSS
for ((r = 1; r <= ROUNDS; r++)); do
  for k in "${ORDER[@]}"; do
    out=$( { /usr/bin/time -f "%e %M" bash -c "${CMD[$k]}"; } 2>&1 | tail -n 1)
    TIMES[$k]+="${out%% *} "
    RSS[$k]="${out##* }"
  done
  echo "round $r done" >&2
done
median() { tr ' ' '\n' | grep -v '^$' | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
declare -A MED
printf '\nmachine: %s, %s cores; input %s bytes uncompressed, %s bytes gzipped\n' \
  "$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)" "$(nproc)" "$BYTES" "$(stat -c %s "$W/a.log.gz")"
printf '%-10s %10s %10s %12s\n' case median_s MB_per_s peak_rss_MB
for k in "${ORDER[@]}"; do
  MED[$k]=$(echo "${TIMES[$k]}" | median)
  n=1; [ "$k" = run_2gz ] && n=2
  printf '%-10s %10s %10.0f %12.0f\n' "$k" "${MED[$k]}" "$(echo "$n * $BYTES / ${MED[$k]} / 1000000" | bc -l)" "$(echo "${RSS[$k]} / 1024" | bc -l)"
done
r() { echo "scale=2; $1" | bc -l; }
echo
echo "run_1gz / inflate          = $(r "${MED[run_1gz]} / ${MED[inflate]}")   (target <= 1.15)"
echo "zcat / run_1gz             = $(r "${MED[zcat]} / ${MED[run_1gz]}")   (target >= 3)"
echo "run_2gz / (2 x run_1gz)    = $(r "${MED[run_2gz]} / (2 * ${MED[run_1gz]})")   (target <= 0.6)"
echo "plain GB/s                 = $(r "$BYTES / ${MED[run_plain]} / 1000000000")   (target >= 1)"
if [ -n "${MED[run_bgzf]:-}" ]; then
  echo "run_bgzf / inflate (1 gz) = $(r "${MED[run_bgzf]} / ${MED[inflate]}")"
  echo "inflate_bgzf / inflate     = $(r "${MED[inflate_bgzf]} / ${MED[inflate]}")"
fi
if [ -n "${MED[pflogsumm]:-}" ]; then
  echo "pflogsumm / run_plain      = $(r "${MED[pflogsumm]} / ${MED[run_plain]}")   (target >= 10)"
fi
if [ -n "${BIG_LINES:-}" ]; then
  echo "generating $BIG_LINES lines for the memory check ..." >&2
  "$BL" sample --lines "$BIG_LINES" --days 12 --seed 5 --out "$W/big.log" 2>/dev/null
  rm -rf "$W/o5"
  out=$( { /usr/bin/time -f "%e %M" bash -c "$BL run $W/big.log --out $W/o5 --quiet 2>/dev/null"; } 2>&1 | tail -n 1)
  echo "big input: $(stat -c %s "$W/big.log") bytes uncompressed, ${out%% *} s, peak RSS $(r "${out##* } / 1024") MB   (target <= 1024)"
  rm -rf "$W/big.log" "$W/o5"
fi

#!/usr/bin/env bash
# End-to-end check of the Spark example: two simulated mail hosts, the
# PySpark driver (one task per log file, then `bouncelens merge`, then every
# queries/*.sql in Spark SQL), a second driver run that must change nothing,
# and the comparison of every query in Spark with `bouncelens query`.
#
#   examples/spark/test.sh            # WORK=dir to keep the files, BOUNCELENS_BIN=path
#
# Needs Java 17+ and python3; installs pyspark from PyPI when missing. Too
# slow for CI (Spark starts three times: ~1.5-2 minutes in all on 2 cores).
set -euo pipefail
cd "$(dirname "$0")/../.."
HERE=examples/spark
BIN="${BOUNCELENS_BIN:-${CARGO_TARGET_DIR:-$HOME/.cache/bouncelens-target}/release/bouncelens}"
[ -x "$BIN" ] || { echo "no bouncelens binary at $BIN: cargo build --release, or set BOUNCELENS_BIN" >&2; exit 2; }
BIN="$(cd "$(dirname "$BIN")" && pwd)/$(basename "$BIN")"
java -version >/dev/null 2>&1 || { echo "Spark needs Java 17+ (apt-get install openjdk-17-jre-headless)" >&2; exit 2; }
python3 -c 'import pyspark' 2>/dev/null || python3 -m pip install --quiet pyspark
COMPARE_ARGS=()
python3 -c 'import duckdb' 2>/dev/null && COMPARE_ARGS+=(--duckdb)

WORK="${WORK:-$(mktemp -d)}"
rm -rf "$WORK/logs" "$WORK/out"
mkdir -p "$WORK/logs/mx1" "$WORK/logs/mx2"
now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1fs", b - a }'; }
t0=$(now)

# two hosts, three days: a blocklist listing on mx1, an account takeover on
# mx2, a typo domain, so that every query has rows
"$BIN" sample --lines 20000 --days 3 --host mx1 \
    --blocklist 192.0.2.10:spamhaus:2026-03-02T06:12 --typo-domain gmaill.com \
    --out "$WORK/logs/mx1/mail.log.gz"
"$BIN" sample --lines 20000 --days 3 --host mx2 --seed 7 \
    --takeover user5@example.net@2026-03-03 \
    --out "$WORK/logs/mx2/mail.log.gz"

echo "== driver: $WORK/logs -> $WORK/out"
t=$(now)
python3 $HERE/bouncelens_spark.py "$WORK/logs" --out "$WORK/out" --bin "$BIN" --show 5 | tee "$WORK/driver.log"
echo "driver: $(since "$t")"
grep -q "tasks done in .*: 2 ok, 0 failed" "$WORK/driver.log"
grep -q "; 0 failed" "$WORK/driver.log"
for t in events by_domain by_sending_ip by_sender inputs; do
    for h in mx1 mx2; do
        ls "$WORK/out/$t"/date=*/host=$h/part-*.parquet >/dev/null
    done
done

echo "== driver again: every shard already seen, tables unchanged"
sums() { (cd "$WORK/out" && find . -path ./.bouncelens -prune -o -name '*.parquet' -print | sort | xargs md5sum); }
sums > "$WORK/before.md5"
t=$(now)
python3 $HERE/bouncelens_spark.py "$WORK/logs" --out "$WORK/out" --bin "$BIN" --no-queries | tee "$WORK/rerun.log"
echo "re-run: $(since "$t")"
[ "$(grep -c '0 inputs processed, 1 already seen' "$WORK/rerun.log")" = 2 ]
sums | diff "$WORK/before.md5" - && echo "tables unchanged"

echo "== compare Spark SQL with bouncelens query"
t=$(now)
python3 $HERE/compare.py --out "$WORK/out" --bin "$BIN" "${COMPARE_ARGS[@]}" "$@"
echo "compare: $(since "$t")"
echo "spark example test ok in $(since "$t0") ($WORK)"

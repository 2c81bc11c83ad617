#!/usr/bin/env bash
# A generated month with injected events, run night by night as cron would,
# then checked against what was injected (issue 5's acceptance).
#
#   tests/month_scenario.sh [WORKDIR]
#
# - 30 days of Postfix logs (2026-03-01 .. 2026-03-30), one file per day,
#   from ~300 normal accounts over 4 sending IPs (`bouncelens sample`);
# - injected: two account takeovers (different days), three blocklist
#   episodes on three IPs and lists, one from 22:00 for 5 hours (it crosses
#   midnight, so two nightly runs see it), and one typo domain (`shcool.edu`,
#   a near miss of `school.edu`, a domain we deliver to, not a common
#   provider);
# - `bouncelens run DAYFILE --out OUT` once per day into the same OUT;
# - then `blocklist_events` and `account_alerts` are read with
#   `bouncelens query`: every injected event must be found once, with
#   first_seen within one period (a day) of the injected start, and at most
#   one other alert (episodes and account alerts together) may appear.
#
# Env: BIN (default $CARGO_TARGET_DIR/release/bouncelens or
# target/release/bouncelens), LINES (lines per day, default 20000), SEED
# (default 1), TAKEOVERS and LISTINGS (see below), PERIOD (day or hour,
# default day).
# Exit 0 when the acceptance holds, 1 otherwise.
set -euo pipefail

here=$(cd "$(dirname "$0")/.." && pwd)
BIN=${BIN:-${CARGO_TARGET_DIR:-$here/target}/release/bouncelens}
LINES=${LINES:-20000}
SEED=${SEED:-1}
work=${1:-$(mktemp -d)}
mkdir -p "$work/logs"
out=$work/out
rm -rf "$out"

# injected events
# ACCOUNT@DAY (TAKEOVERS="..." replaces them, space-separated)
takeovers=(user17@example.net@2026-03-09 user123@example.net@2026-03-21)
if [ -n "${TAKEOVERS:-}" ]; then read -r -a takeovers <<<"$TAKEOVERS"; fi
# IP:LIST:START:HOURS (LISTINGS="..." replaces them, space-separated)
listings=(
    192.0.2.10:spamhaus:2026-03-06T09:6
    198.51.100.20:barracuda:2026-03-14T22:5
    192.0.2.11:microsoft:2026-03-25T13:4
)
if [ -n "${LISTINGS:-}" ]; then read -r -a listings <<<"$LISTINGS"; fi
typo=shcool.edu
typo_want=school.edu

scenario=(--typo-domain "$typo")
for t in "${takeovers[@]}"; do scenario+=(--takeover "$t"); done
for l in "${listings[@]}"; do scenario+=(--blocklist "$l"); done

day_of() { date -u -d "2026-03-01 +$1 days" +%F; }
epoch_ms() { echo $(($(date -u -d "$1" +%s) * 1000)); }
q() { "$BIN" query --out "$out" --format csv "$1" | tail -n +2; }

start_s=$(date +%s)
for i in $(seq 0 29); do
    d=$(day_of "$i")
    f=$work/logs/mail-$d.log.gz
    "$BIN" sample --lines "$LINES" --seed $((SEED * 1000 + i)) --start "$d" --days 1 \
        --out "$f" "${scenario[@]}" 2>/dev/null
    # the nightly job: yesterday's file into the same tables
    "$BIN" run "$f" --out "$out" --year 2026 --period "${PERIOD:-day}" --quiet 2>>"$work/run.log"
done
echo "30 nightly runs of $LINES lines each into $out in $(($(date +%s) - start_s)) s"

fail=0
hours() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%+.1f", (a - b) / 3600000 }'; }

echo
echo "blocklist episodes (injected: ${#listings[@]})"
episodes=$(q "SELECT sending_ip, blocklist, CAST(first_seen AS BIGINT) AS fs, CAST(last_seen AS BIGINT) AS ls, failures, status FROM blocklist_events ORDER BY first_seen")
n_episodes=$(printf '%s\n' "$episodes" | grep -c . || true)
matched_ep=0
for l in "${listings[@]}"; do
    IFS=: read -r ip list st h <<<"$l"
    day=${st%T*} hh=${st#*T}
    want_fs=$(epoch_ms "$day $hh:00")
    want_ls=$((want_fs + h * 3600000))
    rows=$(printf '%s\n' "$episodes" | awk -F, -v ip="$ip" -v l="$list" '$1 == ip && $2 == l')
    n=$(printf '%s\n' "$rows" | grep -c . || true)
    if [ "$n" -ne 1 ]; then
        echo "  MISSING or split: $ip $list ($n episodes)"
        fail=1
        continue
    fi
    IFS=, read -r _ _ fs ls nf status <<<"$rows"
    matched_ep=$((matched_ep + 1))
    dfs=$(hours "$fs" "$want_fs")
    dls=$(hours "$ls" "$want_ls")
    ok=ok
    if [ $(((fs - want_fs) < 0 ? want_fs - fs : fs - want_fs)) -gt 86400000 ]; then ok=WRONG; fail=1; fi
    printf '  %-8s %-15s %-10s injected %s +%sh | first_seen %s (%sh) last_seen %s (%sh vs injected end) failures %s %s\n' \
        "$ok" "$ip" "$list" "$day $hh:00" "$h" \
        "$(date -u -d @$((fs / 1000)) '+%F %T')" "$dfs" \
        "$(date -u -d @$((ls / 1000)) '+%F %T')" "$dls" "$nf" "$status"
done
other_ep=$((n_episodes - matched_ep))

echo
echo "account alerts (injected takeovers: ${#takeovers[@]})"
alerts=$(q "SELECT account, CAST(period_start AS BIGINT) AS ps, score, reasons FROM account_alerts ORDER BY period_start")
n_alerts=$(printf '%s\n' "$alerts" | grep -c . || true)
matched_al=0
for t in "${takeovers[@]}"; do
    acc=${t%@*} day=${t##*@}
    want=$(epoch_ms "$day")
    rows=$(printf '%s\n' "$alerts" | awk -F, -v a="$acc" '$1 == a')
    n=$(printf '%s\n' "$rows" | grep -c . || true)
    if [ "$n" -lt 1 ]; then
        echo "  MISSING  $acc (takeover on $day)"
        fail=1
        continue
    fi
    matched_al=$((matched_al + n))
    while IFS=, read -r _ ps score why; do
        ok=ok
        if [ $(((ps - want) < 0 ? want - ps : ps - want)) -gt 86400000 ]; then ok=WRONG; fail=1; fi
        printf '  %-8s %-22s injected %s | period_start %s (%sh) score %s: %s\n' \
            "$ok" "$acc" "$day" "$(date -u -d @$((ps / 1000)) '+%F %H:%M')" \
            "$(hours "$ps" "$want")" "$score" "$why"
    done <<<"$rows"
done
other_al=$((n_alerts - matched_al))

echo
echo "typo domains"
typos=$("$BIN" query --out "$out" --format csv --file "$here/queries/typo_domains.sql" | tail -n +2)
printf '%s\n' "$typos" | sed 's/^/  /'
if printf '%s\n' "$typos" | awk -F, -v t="$typo" -v s="$typo_want" '$1 == t && $2 == s { f = 1 } END { exit !f }'; then
    echo "  ok       $typo -> $typo_want"
else
    echo "  MISSING  $typo -> $typo_want"
    fail=1
fi

echo
others=$((other_ep + other_al))
echo "other alerts: $other_ep blocklist episodes, $other_al account alerts (allowed: 1 in all)"
if [ "$others" -gt 0 ]; then
    printf '%s\n' "$episodes" | awk -F, -v l="${listings[*]}" '
        BEGIN { n = split(l, a, " "); for (i = 1; i <= n; i++) { split(a[i], p, ":"); k[p[1] "," p[2]] = 1 } }
        !(($1 "," $2) in k) { print "  episode: " $0 }'
    printf '%s\n' "$alerts" | awk -F, -v t="${takeovers[*]}" '
        BEGIN { n = split(t, a, " "); for (i = 1; i <= n; i++) { sub(/@[^@]*$/, "", a[i]); k[a[i]] = 1 } }
        !($1 in k) { print "  alert: " $0 }'
fi
[ "$others" -le 1 ] || fail=1

echo
echo "queries/*.sql through bouncelens query"
for f in "$here"/queries/*.sql; do
    if rows=$("$BIN" query --out "$out" --format csv --file "$f" 2>"$work/q.err" | tail -n +2 | grep -c .); then :; fi
    if [ -s "$work/q.err" ] && ! "$BIN" query --out "$out" --format csv --file "$f" >/dev/null 2>&1; then
        echo "  FAILED $(basename "$f"): $(head -c 300 "$work/q.err")"
        fail=1
    else
        echo "  ok     $(basename "$f"): $rows rows"
    fi
done

echo
if [ "$fail" -eq 0 ]; then echo "month scenario: PASS ($work)"; else echo "month scenario: FAIL ($work)"; fi
exit "$fail"

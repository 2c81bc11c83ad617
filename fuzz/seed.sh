#!/usr/bin/env bash
# Build the fuzz seed corpora in fuzz/corpus/<target>/ from the repository's
# own test data (sample-data/, tests/corpus/, tests/fixtures/dsn/).
# Line targets get chunks of 20 lines (libFuzzer likes small inputs); the
# whole seed set stays well under 1 MB. Re-running replaces the seeds.
set -euo pipefail
cd "$(dirname "$0")"
root=..
out=corpus

# split_into TARGET NAME: stdin -> 20-line seeds, at most $max per call
split_into() {
    local dir="$out/$1" prefix="$2" max="${3:-40}"
    mkdir -p "$dir"
    split -l 20 -d -a 3 - "$dir/$prefix-"
    # keep the first $max pieces of this prefix
    ls "$dir"/"$prefix"-* | sort | tail -n +"$((max + 1))" | xargs -r rm -f
}

rm -rf "$out"
mkdir -p "$out"

# Postfix: every hand-written corpus file, plus the heads of the samples.
for f in "$root"/tests/corpus/postfix/*.log; do
    split_into postfix_line "$(basename "$f" .log)" <"$f"
done
head -n 400 "$root/sample-data/postfix-mx2.log" | split_into postfix_line mx2 20
{ gzip -dc "$root/sample-data/postfix-mx1.log.gz" || true; } | head -n 400 | split_into postfix_line mx1 20

# Exim main and reject logs.
for f in "$root"/tests/corpus/exim/*.log; do
    split_into exim_line "$(basename "$f" .log)" 10 <"$f"
done

# Sendmail.
for f in "$root"/tests/corpus/sendmail/*.log; do
    split_into sendmail_line "$(basename "$f" .log)" <"$f"
done

# Bounce messages: one seed per fixture.
mkdir -p "$out/dsn_message"
cp "$root"/tests/fixtures/dsn/*.eml "$out/dsn_message/"

# gzip source: plain, one-member gzip, two-member gzip, truncated gzip.
g="$out/gzip_source"
mkdir -p "$g"
head -n 60 "$root/sample-data/postfix-mx2.log" >"$g/plain.log"
gzip -9c "$g/plain.log" >"$g/one-member.gz"
{ head -n 30 "$g/plain.log" | gzip -c; tail -n 30 "$g/plain.log" | gzip -c; } >"$g/two-members.gz"
head -c 700 "$g/one-member.gz" >"$g/truncated.gz"
printf 'no newline at the end' | gzip -c >"$g/no-final-newline.gz"
: | gzip -c >"$g/empty-member.gz"
# BGZF (blocks inflated in parallel), when bgzip (Debian: tabix) is there
if command -v bgzip >/dev/null; then
    bgzip -c "$g/plain.log" >"$g/bgzf.gz"
    head -n 2000 "$root/sample-data/postfix-mx2.log" | bgzip -c >"$g/bgzf-many-blocks.gz"
fi

du -sh "$out"

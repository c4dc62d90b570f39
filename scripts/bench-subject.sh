#!/usr/bin/env bash
# Data-subject index: what `scan --index` costs on top of a scan, and how
# fast `subject --index` answers from it. The corpus is dense customer CSVs
# from `scripts/synth.py stream` (MB MiB, about 9,300 records per MiB: name,
# phone, e-mail, address, birth date, gender a row), scanned with
# --format json to /dev/null; runs with and without the index alternate
# (RUNS each) so that both see the same machine state. Prints the median
# seconds and peak RSS of each, the overhead, the index size and records,
# and the median time of three requests answered from the index.
#
#   scripts/bench-subject.sh [CORPUS_DIR] [MB] [RUNS]
set -euo pipefail
cd "$(dirname "$0")/.."
corpus=${1:-/tmp/piimap-subject-corpus}
mb=${2:-132}
runs=${3:-5}
[ -x /usr/bin/time ] || apt-get install -y -qq time >/dev/null
[ -d "$corpus" ] || python3 scripts/synth.py stream "$corpus" --mb "$mb" --log-mb 1
cargo build --release --quiet
bin=$PWD/target/release/piimap
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export PIIMAP_INDEX_KEY="bench secret $$"

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
run() { # label, then the command; appends "seconds peak_kb" to $work/label
  local label=$1; shift
  /usr/bin/time -f '%e %M' -o "$work/t" "$@" >/dev/null 2>&1 || [ $? -le 2 ]
  tail -1 "$work/t" >> "$work/$label"
}
for _ in $(seq "$runs"); do
  run plain "$bin" scan "$corpus/csv" -q --format json -o /dev/null
  run index "$bin" scan "$corpus/csv" -q --format json -o /dev/null --index "$work/people.idx"
done
plain=$(cut -d' ' -f1 "$work/plain" | median)
index=$(cut -d' ' -f1 "$work/index" | median)
plain_kb=$(cut -d' ' -f2 "$work/plain" | sort -n | tail -1)
index_kb=$(cut -d' ' -f2 "$work/index" | sort -n | tail -1)
records=$(python3 -c "
import sqlite3, struct, sys
def entries(blob):  # each record: a 4-byte length, then the record
    at = n = 0
    while at < len(blob):
        at += 4 + struct.unpack_from('<I', blob, at)[0]
        n += 1
    return n
print(sum(entries(b) for (b,) in sqlite3.connect(sys.argv[1]).execute('select records from page')))" "$work/people.idx")
printf 'scan           %6.2f s  peak %4d MB\n' "$plain" $((plain_kb / 1024))
printf 'scan --index   %6.2f s  peak %4d MB  overhead %+.1f%%\n' "$index" $((index_kb / 1024)) \
  "$(echo "($index / $plain - 1) * 100" | bc -l)"
printf 'index          %6d MB  %d records\n' $(( $(stat -c %s "$work/people.idx") / 1048576 )) "$records"
# Requests: one person by e-mail (strong), by name and birth date, and a
# common name alone (many possible matches).
first=$(sed -n 2p "$corpus"/csv/customers000.csv)
email=$(echo "$first" | cut -d, -f4)
name=$(echo "$first" | cut -d, -f2)
born=$(echo "$first" | cut -d, -f6)
ask() { # label, then the request
  local label=$1; shift
  : > "$work/q"
  for _ in 1 2 3 4 5; do
    /usr/bin/time -f '%e' -a -o "$work/q" "$bin" subject --index "$work/people.idx" "$@" \
      --format json > "$work/answer.json" || [ $? -le 1 ]
  done
  matches=$(python3 -c "import json,sys; s=json.load(open(sys.argv[1]))['summary']; print(s['strong'], 'strong', s['possible'], 'possible')" "$work/answer.json")
  printf 'subject %-20s %5.2f s  %s\n' "$label" "$(grep -v Command "$work/q" | median)" "$matches"
}
ask "e-mail" --email "$email"
ask "name + birth date" --name "$name" --birth-date "$born"
ask "name alone" --name "$name"

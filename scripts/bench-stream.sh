#!/usr/bin/env bash
# Memory and throughput of the streaming core: peak RSS (GNU time's maximum
# resident set) and MB/s of `piimap scan` on CSV_MB of dense customer CSVs
# (name, phone, e-mail, address, birth date, gender per row: five to six
# findings a row, over 40 M findings per GiB) and on one LOG_MB server log,
# for --format jsonl, html and sarif, with 1 and 2 threads. Reports go to
# /dev/null (jsonl through `tail`, to count the findings). The corpus is made
# by `scripts/synth.py stream` unless CORPUS_DIR exists.
#
#   scripts/bench-stream.sh [CORPUS_DIR] [CSV_MB] [LOG_MB]
#
# PARTS="log" runs one part only. The log is larger than the default
# --max-filesize, which the runs raise to 64G.
#
# The target (issue: streaming core) is a peak RSS of at most 256 MB for
# jsonl and html whatever the input size.
set -euo pipefail
cd "$(dirname "$0")/.."
corpus=${1:-/tmp/piimap-stream-corpus}
csv_mb=${2:-1024}
log_mb=${3:-1024}
[ -x /usr/bin/time ] || apt-get install -y -qq time >/dev/null
[ -d "$corpus" ] || python3 scripts/synth.py stream "$corpus" --mb "$csv_mb" --log-mb "$log_mb"
cargo build --release --quiet
bin=./target/release/piimap
timing=$(mktemp)
trap 'rm -f "$timing"' EXIT

printf '%-4s %-6s %4s %9s %8s %9s %12s\n' part format jobs seconds MB/s peak_MB findings
for part in ${PARTS:-csv log}; do
  bytes=$(du -sbL "$corpus/$part" | cut -f1)
  cat "$corpus/$part"/* >/dev/null # warm the page cache
  for format in jsonl html sarif; do
    for jobs in 1 2; do
      if [ "$format" = jsonl ]; then
        # Exit 1 means findings: not a failure here.
        found=$({ /usr/bin/time -f '%e %M' -o "$timing" "$bin" scan "$corpus/$part" --format jsonl \
          --max-filesize 64G -j "$jobs" -q || true; } | tail -n 1 | python3 -c 'import json, sys; print(json.load(sys.stdin)["findings"])')
      else
        /usr/bin/time -f '%e %M' -o "$timing" "$bin" scan "$corpus/$part" --format "$format" \
          --max-filesize 64G -j "$jobs" -q -o /dev/null || true # exit 1: findings
        found=-
      fi
      read -r secs kb < <(tail -n 1 "$timing")
      awk -v p="$part" -v f="$format" -v j="$jobs" -v s="$secs" -v kb="$kb" -v b="$bytes" -v n="$found" \
        'BEGIN { printf "%-4s %-6s %4s %9.1f %8.1f %9.0f %12s\n", p, f, j, s, b / s / 1e6, kb / 1024, n }'
    done
  done
done

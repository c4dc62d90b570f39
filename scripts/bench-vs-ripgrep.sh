#!/usr/bin/env bash
# End-to-end throughput against ripgrep, per kind of content file shares are
# full of: server logs, source code, ja/en prose and a dense customer table
# (scripts/synth.py kinds), each kind alone and all together, single-threaded
# and with every core.
#
# ripgrep runs a fixed outside reference, not piimap's own regexes: the
# alternation of 13 common personal-data regexes in
# benches/reference-alternation.txt (a copy of the team's shared reference),
# counting matches. piimap runs every default detector and writes JSONL.
#
#   scripts/bench-vs-ripgrep.sh [CORPUS_DIR] [MB_PER_KIND]
#
# Prints per kind and jobs: MB/s of each, the time ratio piimap/ripgrep
# (below 1.0: piimap is faster) and both peak RSS (GNU time's maximum
# resident set), with a warm page cache. The two run in RUNS pairs
# (default 5), each pair in turn ripgrep first or piimap first, and the
# ratio is the median of the pairs' ratios: on a shared machine whose
# speed drifts by a fifth from minute to minute, a ratio of two separate
# medians moved as much as the drift. `best` is the ratio of the two
# fastest times, which interference from other work disturbs least (on a
# VM whose neighbours took a fifth of its speed at times, the medians of
# five pairs on prose read 1.61 and 1.22 minutes apart, for two builds
# whose instruction counts there differ by 0.4%). Times are read to the
# microsecond (bash's clock; GNU time's elapsed time has 10 ms steps, a
# seventh of ripgrep's time on a 32 MB kind). PIIMAP=path/to/piimap times another
# build (an earlier commit's, to compare) instead of building this tree's.
set -euo pipefail
# Decimal points, in bash's clock and in awk, whatever the user's locale.
export LC_ALL=C
cd "$(dirname "$0")/.."
corpus=${1:-/tmp/piimap-kinds-corpus}
mb=${2:-64}
runs=${RUNS:-5}
reference=benches/reference-alternation.txt

need() { command -v "$1" >/dev/null || apt-get install -y -qq "$2" >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq "$2"; }; }
need rg ripgrep
[ -x /usr/bin/time ] || need time time
[ -d "$corpus" ] || python3 scripts/synth.py kinds "$corpus" --mb "$mb"
bin=${PIIMAP:-./target/release/piimap}
[ -n "${PIIMAP:-}" ] || cargo build --release --quiet
pattern=$(cat "$reference")
timing=$(mktemp)
trap 'rm -f "$timing"' EXIT

# One run of a command: "SECONDS MB", its wall time and peak RSS.
run() {
  local start=$EPOCHREALTIME
  /usr/bin/time -f '%M' -o "$timing" "$@" >/dev/null 2>&1 || true
  local end=$EPOCHREALTIME
  # The last line: GNU time puts "Command exited with non-zero status"
  # (piimap's exit code 1 for findings) before it.
  awk -v s="$start" -v e="$end" 'END { printf "%.6f %.0f\n", e - s, $1 / 1024 }' "$timing"
}

# RUNS pairs of ripgrep and piimap, alternating which goes first:
# "RG_SECONDS RG_MB PIIMAP_SECONDS PIIMAP_MB RATIO" per pair, then the
# median of each column, each taken on its own, and the ratio of the two
# fastest times: interference from other work on the machine only ever
# adds time, so the fastest run of each is the one least disturbed.
pairs() {
  local jobs=$1 dir=$2 i rg pm
  for i in $(seq "$runs"); do
    if ((i % 2)); then
      rg=$(run rg -j "$jobs" --count-matches -e "$pattern" "$dir")
      pm=$(run "$bin" scan "$dir" -j "$jobs" --format jsonl -q -o /dev/null)
    else
      pm=$(run "$bin" scan "$dir" -j "$jobs" --format jsonl -q -o /dev/null)
      rg=$(run rg -j "$jobs" --count-matches -e "$pattern" "$dir")
    fi
    echo "$rg $pm" | awk '{ print $1, $2, $3, $4, $3 / $1 }'
  done | awk '{ for (c = 1; c <= NF; c++) col[c, NR] = $c }
    END {
      for (c = 1; c <= 5; c++) {
        n = 0
        for (r = 1; r <= NR; r++) v[++n] = col[c, r]
        # Insertion sort: a handful of runs.
        for (i = 2; i <= n; i++) { x = v[i]; for (j = i - 1; j > 0 && v[j] > x; j--) v[j + 1] = v[j]; v[j + 1] = x }
        m[c] = n % 2 ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2
        least[c] = v[1]
      }
      print m[1], m[2], m[3], m[4], m[5], least[3] / least[1]
    }'
}

printf '%-6s %4s %10s %10s %9s %9s %8s %8s\n' kind jobs rg_MB/s piimap_MB/s ratio best rg_MB pm_MB
for kind in logs code prose csv all; do
  dir=$corpus/$kind
  [ "$kind" = all ] && dir=$corpus
  bytes=$(du -sb "$dir" | cut -f1)
  cat "$dir"/* "$dir"/*/* >/dev/null 2>&1 || true # warm the page cache
  for jobs in 1 "$(nproc)"; do
    read -r rg_s rg_mb pm_s pm_mb ratio best < <(pairs "$jobs" "$dir")
    awk -v k="$kind" -v j="$jobs" -v rg="$rg_s" -v pm="$pm_s" -v b="$bytes" -v r="$ratio" -v best="$best" -v rm="$rg_mb" -v pmm="$pm_mb" 'BEGIN {
      printf "%-6s %4s %10.0f %10.0f %9.2f %9.2f %8s %8s\n", k, j, b / rg / 1e6, b / pm / 1e6, r, best, rm, pmm }'
  done
done

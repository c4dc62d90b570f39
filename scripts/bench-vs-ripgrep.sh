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
# resident set), as medians of RUNS runs (default 3) with a warm page cache.
# PIIMAP=path/to/piimap times another build (an earlier commit's, to
# compare) instead of building this tree's.
set -euo pipefail
cd "$(dirname "$0")/.."
corpus=${1:-/tmp/piimap-kinds-corpus}
mb=${2:-64}
runs=${RUNS:-3}
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

# Median seconds and the peak RSS (MB) of that run, as "SECONDS MB".
measure() {
  for _ in $(seq "$runs"); do
    /usr/bin/time -f '%e %M' -o "$timing" "$@" >/dev/null 2>&1 || true
    # The last line: GNU time puts "Command exited with non-zero status"
    # (piimap's exit code 1 for findings) before it.
    tail -n 1 "$timing" | awk '{ printf "%s %.0f\n", $1, $2 / 1024 }'
  done | sort -n | awk '{ a[NR] = $0 } END { print a[int((NR + 1) / 2)] }'
}

printf '%-6s %4s %10s %10s %9s %8s %8s\n' kind jobs rg_MB/s piimap_MB/s ratio rg_MB pm_MB
for kind in logs code prose csv all; do
  dir=$corpus/$kind
  [ "$kind" = all ] && dir=$corpus
  bytes=$(du -sb "$dir" | cut -f1)
  cat "$dir"/* "$dir"/*/* >/dev/null 2>&1 || true # warm the page cache
  for jobs in 1 "$(nproc)"; do
    read -r rg_s rg_mb < <(measure rg -j "$jobs" --count-matches -e "$pattern" "$dir")
    read -r pm_s pm_mb < <(measure "$bin" scan "$dir" -j "$jobs" --format jsonl -q -o /dev/null)
    awk -v k="$kind" -v j="$jobs" -v rg="$rg_s" -v pm="$pm_s" -v b="$bytes" -v rm="$rg_mb" -v pmm="$pm_mb" 'BEGIN {
      printf "%-6s %4s %10.0f %10.0f %9.2f %8s %8s\n", k, j, b / rg / 1e6, b / pm / 1e6, pm / rg, rm, pmm }'
  done
done

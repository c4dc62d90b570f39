#!/usr/bin/env bash
# Incremental rescans with --state: the first scan of a share, an unchanged
# rescan, and a rescan after 1% of the files changed (scripts/synth.py share:
# FILES files, MB MiB in all, of logs, code, prose and customer tables).
#
#   scripts/bench-rescan.sh [SHARE_DIR] [FILES] [MB]
#
# Prints each scan's wall time, peak RSS and what the state says it took
# from the state, and the speed-up of the unchanged rescan over the first
# scan. The page cache is warm for every run (the first scan's read of the
# data is what a rescan avoids; the walk's metadata is cached for both).
# PIIMAP=path/to/piimap times another build instead of building this tree's.
set -euo pipefail
cd "$(dirname "$0")/.."
share=${1:-/tmp/piimap-share}
files=${2:-10000}
mb=${3:-1024}
[ -x /usr/bin/time ] || apt-get install -y -qq time >/dev/null
[ -d "$share" ] || python3 scripts/synth.py share "$share" --files "$files" --mb "$mb"
bin=${PIIMAP:-./target/release/piimap}
[ -n "${PIIMAP:-}" ] || cargo build --release --quiet
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# Warm the page cache, so the first scan is not timed on the disk.
cat $(find "$share" -type f) > /dev/null

# One scan with the state: "SECONDS MB", and the state's line on stderr.
run() {
  /usr/bin/time -f '%e %M' -o "$work/time" "$bin" scan "$share" --state "$work/state.db" \
    --format json -o "$work/inventory.json" "$@" 2>"$work/err" || true
  grep -- '--state' "$work/err" | sed 's/^piimap: /    /' >&2
  awk 'END { printf "%s %.0f\n", $1, $2 / 1024 }' "$work/time"
}

echo "share: $share ($(find "$share" -type f | wc -l) files, $(du -sm "$share" | cut -f1) MB)"
read -r first first_mb < <(run)
echo "first scan:       ${first} s, ${first_mb} MB peak RSS"
read -r again again_mb < <(run)
echo "unchanged rescan: ${again} s, ${again_mb} MB peak RSS"
# Change 1%: append a line with an e-mail address to every 100th file.
find "$share" -type f | sort | awk 'NR % 100 == 0' | while read -r f; do
  echo "changed: rescan.me@docomo.ne.jp" >> "$f"
done
read -r changed changed_mb < <(run)
echo "1% changed:       ${changed} s, ${changed_mb} MB peak RSS"
awk -v a="$first" -v b="$again" -v c="$changed" \
  'BEGIN { printf "unchanged rescan %.1fx faster than the first scan; 1%% changed %.1fx\n", a / b, a / c }'
# Put the share back as it was generated (the next run starts the same).
find "$share" -type f | sort | awk 'NR % 100 == 0' | while read -r f; do
  sed -i '$ d' "$f"
done

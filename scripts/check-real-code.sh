#!/usr/bin/env bash
# Precision on real source code that no one here wrote: the crate sources
# cargo has already unpacked on this machine (~/.cargo/registry/src; no
# network). Such code is full of look-alikes — 19-digit constants in hash
# and RNG tests, arithmetic such as `+43200000)/86400000`, Unicode test
# tables of hex code points — and holds real personal data only as its
# authors' names and e-mail addresses.
#
#   scripts/check-real-code.sh [DIR]
#
# Prints the findings per category and per 100 MB, and how many of them are
# marked test data (documentation placeholders); exits 1 when a card, My
# Number or bank account is reported, or more than one phone number per
# 100 MB that is not test data. PIIMAP=path/to/piimap times another build.
set -euo pipefail
cd "$(dirname "$0")/.."
dir=${1:-$HOME/.cargo/registry/src}
[ -d "$dir" ] || { echo "no $dir: run any cargo build first" >&2; exit 2; }
bin=${PIIMAP:-./target/release/piimap}
[ -n "${PIIMAP:-}" ] || cargo build --release --quiet
report=$(mktemp)
trap 'rm -f "$report"' EXIT
"$bin" scan "$dir" --format jsonl -q -o "$report" || [ $? -eq 1 ]
mb=$(du -sbL "$dir" | awk '{ printf "%.1f", $1 / 1e6 }')
python3 - "$report" "$mb" <<'EOF'
import collections, json, sys
report, mb = sys.argv[1], float(sys.argv[2])
found, test = collections.Counter(), collections.Counter()
for line in open(report, encoding="utf-8"):
    f = json.loads(line)
    if f.get("type") != "finding" or f.get("detector") == "column":
        continue
    found[f["category"]] += 1
    test[f["category"]] += bool(f.get("test_data"))
print(f"{mb:.0f} MB of source")
print(f"{'category':<14}{'findings':>9}{'test data':>10}{'per 100 MB':>11}")
for cat, n in found.most_common():
    print(f"{cat:<14}{n:>9}{test[cat]:>10}{(n - test[cat]) * 100 / mb:>11.2f}")
never = [c for c in ("payment_card", "my_number", "bank_account") if found[c]]
phones = (found["phone"] - test["phone"]) * 100 / mb
if never or phones > 1:
    print(f"FAIL: {never or ''} {'phones %.2f per 100 MB' % phones if phones > 1 else ''}")
    sys.exit(1)
print("ok: no card, My Number or bank account; phones (not test data) per 100 MB: %.2f" % phones)
EOF

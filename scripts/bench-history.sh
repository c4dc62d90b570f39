#!/usr/bin/env bash
# Builds a synthetic repository with many commits (git fast-import) and times
# `piimap scan --history` against a scan of the checked-out tree, and against
# `git log -p --all | rg` (every version's diff text through ripgrep: the
# cheapest way to read all of history). One run each; repeat for medians.
# Usage: scripts/bench-history.sh [DIR] [COMMITS]
set -euo pipefail
dir=${1:-/tmp/piimap-history-bench}
commits=${2:-10000}
root=$(cd "$(dirname "$0")/.." && pwd)
cargo build --release --quiet --manifest-path "$root/Cargo.toml"
bin=$root/target/release/piimap

if [ ! -d "$dir/.git" ]; then
    rm -rf "$dir" && mkdir -p "$dir" && git -C "$dir" init -q -b main
    # Each commit rewrites one of 500 files: 40 lines of ja/en text, with a
    # synthetic phone number or e-mail address on one commit in ten.
    python3 - "$commits" <<'PY' | git -C "$dir" fast-import --quiet
import random, sys
n = int(sys.argv[1]); rng = random.Random(7)
words = "顧客 対応 記録 確認 予定 the meeting notes were updated after review of the plan".split()
out = sys.stdout.buffer
for i in range(n):
    lines = [" ".join(rng.choice(words) for _ in range(12)) for _ in range(40)]
    if i % 10 == 0:
        lines[rng.randrange(40)] = f"TEL 090-{rng.randrange(1000,9999)}-{rng.randrange(1000,9999)}"
    if i % 10 == 5:
        lines[rng.randrange(40)] = f"mail: user{i}@example.co.jp"
    data = ("\n".join(lines) + "\n").encode()
    msg = f"commit {i}".encode()
    out.write(b"commit refs/heads/main\n")
    out.write(f"committer Bench <bench@example.invalid> {1700000000 + i} +0000\n".encode())
    out.write(b"data %d\n%s\n" % (len(msg), msg))
    out.write(f"M 100644 inline docs/file{i % 500}.txt\n".encode())
    out.write(b"data %d\n%s\n" % (len(data), data))
PY
    git -C "$dir" checkout -q main
fi

echo "commits: $(git -C "$dir" rev-list --count --all)  blobs scanned by --history: $commits"
time_it() { local s e; s=$(date +%s.%N); "$@" >/dev/null || true; e=$(date +%s.%N); echo "$e - $s" | bc; }
tree=$(time_it "$bin" scan -q --format jsonl "$dir")
hist=$(time_it "$bin" scan -q --history --format jsonl "$dir")
logp=$(time_it sh -c "git -C '$dir' log -p --all | rg -c '090-|@example' ")
echo "working tree: ${tree}s  history: ${hist}s  git log -p | rg: ${logp}s"
echo "history / working tree = $(echo "scale=1; $hist / $tree" | bc)  history / (git log -p | rg) = $(echo "scale=2; $hist / $logp" | bc)"

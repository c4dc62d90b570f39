#!/usr/bin/env bash
# Builds the fuzz targets with libFuzzer's coverage instrumentation on the
# stable toolchain (the flags cargo-fuzz passes, without the sanitizers that
# need nightly) and runs each for SECONDS, two at a time, from a corpus
# seeded with the shipped fixtures. Exits non-zero, with the crashing input
# saved under fuzz/artifacts/TARGET/, if any target crashes, hangs past the
# per-input time limit or grows past the memory limit.
#
#   fuzz/run.sh [SECONDS] [TARGET...]      # default: 30 s, every target
#
# A crash replays with `fuzz/target/x86_64-unknown-linux-gnu/release/TARGET FILE`.
set -euo pipefail
cd "$(dirname "$0")"

seconds=${1:-30}
shift || true
all=(text delimited structured detect spreadsheet xlsx_sheet ods_content office docx_document pdf email archive cad image)
if [ $# -gt 0 ]; then targets=("$@"); else targets=("${all[@]}"); fi

# Instrumentation only for the target's code: with --target, RUSTFLAGS do not
# reach build scripts and proc macros, which have no libFuzzer to link.
host=$(rustc -vV | sed -n 's/^host: //p')
export RUSTFLAGS="-Cpasses=sancov-module -Cllvm-args=-sanitizer-coverage-level=4 \
-Cllvm-args=-sanitizer-coverage-inline-8bit-counters -Cllvm-args=-sanitizer-coverage-pc-table \
-Cllvm-args=-sanitizer-coverage-trace-compares --cfg fuzzing -Cdebug-assertions -Coverflow-checks"
cargo build --quiet --release --target "$host" --bins
bin=target/$host/release

# Seeds: the fixtures by format, and for the structure-aware targets the XML
# parts taken out of the fixtures' packages.
python3 - ../fixtures <<'PY'
import pathlib, shutil, sys, zipfile
fixtures = pathlib.Path(sys.argv[1])
seeds = {
    "text": ["txt", "md"], "detect": ["txt"], "delimited": ["csv", "tsv"],
    "structured": ["ndjson", "xml", "sql"], "spreadsheet": ["xlsx", "ods"],
    "office": ["docx", "pptx", "odt"], "pdf": ["pdf"], "email": ["eml"],
    "archive": ["zip", "gz", "tar"],
    "cad": ["dxf", "sfc", "p21", "ifc", "jww", "jwc", "dwg", "p2z"],
    "image": ["png", "jpg", "tif"],
}
def put(target, name, data):
    d = pathlib.Path("corpus") / target
    d.mkdir(parents=True, exist_ok=True)
    (d / name).write_bytes(data)
for f in sorted(fixtures.rglob("*")):
    if not f.is_file():
        continue
    ext = f.name.rsplit(".", 1)[-1]
    for target, exts in seeds.items():
        if ext in exts:
            put(target, f.name, f.read_bytes())
    if ext in ("xlsx", "ods", "docx"):
        z = zipfile.ZipFile(f)
        names = z.namelist()
        if ext == "xlsx":
            strings = z.read("xl/sharedStrings.xml") if "xl/sharedStrings.xml" in names else b""
            for n in names:
                if n.startswith("xl/worksheets/sheet"):
                    put("xlsx_sheet", f.stem + "_" + n.rsplit("/", 1)[1],
                        z.read(n) + b"\n--part--\n" + strings)
        elif ext == "ods":
            put("ods_content", f.stem + ".xml", z.read("content.xml"))
        else:
            put("docx_document", f.stem + ".xml", z.read("word/document.xml"))
PY

# One input may take 10 s and 2 GB at most: the fuzzed inputs are small,
# and anything near those limits is a blow-up, not work.
mkdir -p logs
run() {
  local t=$1
  mkdir -p "artifacts/$t"
  if "$bin/$t" "corpus/$t" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
      -artifact_prefix="artifacts/$t/" -print_final_stats=1 >"logs/$t.log" 2>&1; then
    echo "$t: $(sed -n 's/^stat::number_of_executed_units: *//p' "logs/$t.log") runs, \
$(ls "corpus/$t" | wc -l) corpus inputs, no crash"
  else
    echo "$t: CRASH — see fuzz/logs/$t.log and fuzz/artifacts/$t/"
    tail -40 "logs/$t.log"
    return 1
  fi
}
export -f run
export bin seconds
printf '%s\n' "${targets[@]}" | xargs -P 2 -I{} bash -c 'run {}'

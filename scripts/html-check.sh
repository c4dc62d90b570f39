#!/usr/bin/env bash
# Opens the HTML inventory of the shipped fixtures in headless Chromium (Debian's
# `chromium` package): the page must log nothing to the console (no script
# error), its rendered DOM must hold the summary, the three charts and a row
# per location, and a screenshot is written next to it. The leak assessment
# of the fixtures (`piimap incident --format html`) is opened too, in
# Japanese and in English: its decision, summary, the ten fields of the
# draft report and a row per location must render, with no console output.
#
#   scripts/html-check.sh [OUT_DIR]      (default target/html-check)
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-target/html-check}
mkdir -p "$out"
browser=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$browser" ]; then
  echo "html-check: chromium is not installed (apt-get install chromium)" >&2
  exit 2
fi
cargo build --release --quiet
# Exit 1 means "findings": expected on the fixtures.
./target/release/piimap scan fixtures --format html -o "$out/inventory.html" || [ $? -eq 1 ]
page="file://$(realpath "$out")/inventory.html"
flags=(--headless --no-sandbox --disable-gpu --enable-logging=stderr --v=0)
"$browser" "${flags[@]}" --dump-dom "$page" > "$out/dom.html" 2> "$out/chromium.log"
"$browser" "${flags[@]}" --window-size=1280,1600 --screenshot="$out/inventory.png" "$page" 2>> "$out/chromium.log"
if grep ':CONSOLE' "$out/chromium.log"; then
  echo "html-check: the page logged to the console (above)" >&2
  exit 1
fi
locations=$(./target/release/piimap scan fixtures --format json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["locations"]))' || true)
rows=$(grep -o '<tr><td><a href="#l[0-9]*"' "$out/dom.html" | wc -l)
charts=$(grep -o '<svg' "$out/dom.html" | wc -l)
grep -q 'id="summary"' "$out/dom.html" || { echo "html-check: no summary" >&2; exit 1; }
[ "$charts" -eq 3 ] || { echo "html-check: $charts charts, want 3" >&2; exit 1; }
[ "$rows" -eq "$locations" ] || { echo "html-check: $rows table rows, want $locations" >&2; exit 1; }
echo "html-check: summary, 3 charts, $rows locations, no console output; screenshot $out/inventory.png"
for lang in ja en; do
  ./target/release/piimap incident fixtures --format html --lang "$lang" -o "$out/incident-$lang.html" || [ $? -le 2 ]
  page="file://$(realpath "$out")/incident-$lang.html"
  "$browser" "${flags[@]}" --dump-dom "$page" > "$out/incident-$lang.dom" 2> "$out/incident-$lang.log"
  "$browser" "${flags[@]}" --window-size=1280,1600 --screenshot="$out/incident-$lang.png" "$page" 2>> "$out/incident-$lang.log"
  if grep ':CONSOLE' "$out/incident-$lang.log"; then
    echo "html-check: incident ($lang) logged to the console (above)" >&2
    exit 1
  fi
  grep -q "<html lang=\"$lang\"" "$out/incident-$lang.dom" || { echo "html-check: incident page not in $lang" >&2; exit 1; }
  for id in decision summary reasons categories draft locations; do
    grep -q "id=\"$id\"" "$out/incident-$lang.dom" || { echo "html-check: incident ($lang) has no #$id" >&2; exit 1; }
  done
  draft=$(sed -n '/id="draft"/,/<\/table>/p' "$out/incident-$lang.dom" | grep -o '<tr><td>' | wc -l)
  [ "$draft" -eq 10 ] || { echo "html-check: incident ($lang) draft has $draft fields, want 10" >&2; exit 1; }
  located=$(./target/release/piimap incident fixtures --format json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["locations"]))' || true)
  rows=$(sed -n '/id="locations"/,/<\/table>/p' "$out/incident-$lang.dom" | grep -o '<tr><td><code>' | wc -l)
  [ "$rows" -eq "$located" ] || { echo "html-check: incident ($lang) $rows location rows, want $located" >&2; exit 1; }
  echo "html-check: incident ($lang): decision, summary, reasons, 10 draft fields, $rows locations; screenshot $out/incident-$lang.png"
done

#!/usr/bin/env bash
# Opens the HTML inventory of the shipped fixtures in headless Chromium (Debian's
# `chromium` package), in Japanese and in English: the page must log nothing
# to the console (no script error), its rendered DOM must hold the run's
# description, the summary, the four charts, the category × folder matrix, a
# row per location (highest risk first) and the coverage section, and a
# screenshot is written next to it. The leak assessment
# of the fixtures (`piimap incident --format html`) is opened too, in
# Japanese and in English: its decision, summary, the ten fields of the
# draft report and a row per location must render, with no console output.
#
#   scripts/html-check.sh [OUT_DIR]      (default target/html-check)
#
# PIIMAP=path/to/piimap uses that binary instead of building the release one
# (CI passes the debug build its tests already made: a second, optimised
# build of the whole crate would cost CI minutes for pages of a few fixtures).
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-target/html-check}
mkdir -p "$out"
browser=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$browser" ]; then
  echo "html-check: chromium is not installed (apt-get install chromium)" >&2
  exit 2
fi
bin=${PIIMAP:-./target/release/piimap}
[ -n "${PIIMAP:-}" ] || cargo build --release --quiet
flags=(--headless --no-sandbox --disable-gpu --disable-background-networking --enable-logging=stderr --v=0)
fail() { echo "html-check: $*" >&2; exit 1; }
# open NAME LANG: renders $out/NAME.html to NAME.dom and NAME.png; it must log
# nothing to the console and be in LANG, and have each id given after.
open_page() {
  local name=$1 lang=$2 id
  shift 2
  local page="file://$(realpath "$out")/$name.html"
  "$browser" "${flags[@]}" --dump-dom "$page" > "$out/$name.dom" 2> "$out/$name.log"
  "$browser" "${flags[@]}" --window-size=1280,1600 --screenshot="$out/$name.png" "$page" 2>> "$out/$name.log"
  if grep ':CONSOLE' "$out/$name.log"; then fail "$name logged to the console (above)"; fi
  grep -q "<html lang=\"$lang\"" "$out/$name.dom" || fail "$name is not in $lang"
  for id in "$@"; do
    grep -q "id=\"$id\"" "$out/$name.dom" || fail "$name has no #$id"
  done
}
locations=$("$bin" scan fixtures --format json -q | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["locations"]))' || true)
for lang in ja en; do
  # Exit 1 means "findings": expected on the fixtures.
  "$bin" scan fixtures --format html --lang "$lang" -q -o "$out/inventory-$lang.html" || [ $? -eq 1 ]
  open_page "inventory-$lang" "$lang" run summary matrix loc coverage
  dom="$out/inventory-$lang.dom"
  rows=$(grep -o '<tr><td><a href="#l[0-9]*"' "$dom" | wc -l)
  charts=$(grep -o '<svg' "$dom" | wc -l)
  [ "$charts" -eq 4 ] || fail "inventory ($lang) $charts charts, want 4"
  [ "$rows" -eq "$locations" ] || fail "inventory ($lang) $rows table rows, want $locations"
  # The first row is of the highest risk present.
  first=$(grep -o '<tr><td><a href="#l[0-9]*".*' "$dom" | sed -n 1p | grep -o 'class="risk-[a-z]*"' | sed -n 1p)
  [ "$first" = 'class="risk-critical"' ] || fail "inventory ($lang) first row is $first, want critical"
  # Column findings are placed by their column, never `-:-`; Japanese
  # pages name confidences in Japanese.
  if grep -q '<td>[0-9-]*:-</td>' "$dom"; then fail "inventory ($lang) has a -:- place"; fi
  if [ "$lang" = ja ] && grep -q '<td>\(high\|medium\|low\)</td>' "$dom"; then
    fail "inventory (ja) shows an English confidence id"
  fi
  echo "html-check: inventory ($lang): run, summary, 4 charts, matrix, $rows locations by risk, coverage; screenshot $out/inventory-$lang.png"
done
for lang in ja en; do
  "$bin" incident fixtures --format html --lang "$lang" -o "$out/incident-$lang.html" || [ $? -le 2 ]
  open_page "incident-$lang" "$lang" decision summary reasons categories draft locations
  draft=$(sed -n '/id="draft"/,/<\/table>/p' "$out/incident-$lang.dom" | grep -o '<tr><td>' | wc -l)
  [ "$draft" -eq 10 ] || fail "incident ($lang) draft has $draft fields, want 10"
  located=$("$bin" incident fixtures --format json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["locations"]))' || true)
  rows=$(sed -n '/id="locations"/,/<\/table>/p' "$out/incident-$lang.dom" | grep -o '<tr><td><code>' | wc -l)
  [ "$rows" -eq "$located" ] || fail "incident ($lang) $rows location rows, want $located"
  echo "html-check: incident ($lang): decision, summary, reasons, 10 draft fields, $rows locations; screenshot $out/incident-$lang.png"
done

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
flags=(--headless --no-sandbox --disable-gpu --disable-background-networking --enable-logging=stderr --v=0)
locations=$(./target/release/piimap scan fixtures --format json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["locations"]))' || true)
for lang in ja en; do
  # Exit 1 means "findings": expected on the fixtures.
  ./target/release/piimap scan fixtures --format html --lang "$lang" -o "$out/inventory-$lang.html" || [ $? -eq 1 ]
  page="file://$(realpath "$out")/inventory-$lang.html"
  "$browser" "${flags[@]}" --dump-dom "$page" > "$out/inventory-$lang.dom" 2> "$out/inventory-$lang.log"
  "$browser" "${flags[@]}" --window-size=1280,1600 --screenshot="$out/inventory-$lang.png" "$page" 2>> "$out/inventory-$lang.log"
  if grep ':CONSOLE' "$out/inventory-$lang.log"; then
    echo "html-check: inventory ($lang) logged to the console (above)" >&2
    exit 1
  fi
  dom="$out/inventory-$lang.dom"
  grep -q "<html lang=\"$lang\"" "$dom" || { echo "html-check: inventory page not in $lang" >&2; exit 1; }
  for id in run summary matrix loc coverage; do
    grep -q "id=\"$id\"" "$dom" || { echo "html-check: inventory ($lang) has no #$id" >&2; exit 1; }
  done
  rows=$(grep -o '<tr><td><a href="#l[0-9]*"' "$dom" | wc -l)
  charts=$(grep -o '<svg' "$dom" | wc -l)
  [ "$charts" -eq 4 ] || { echo "html-check: inventory ($lang) $charts charts, want 4" >&2; exit 1; }
  [ "$rows" -eq "$locations" ] || { echo "html-check: inventory ($lang) $rows table rows, want $locations" >&2; exit 1; }
  # The first row is of the highest risk present.
  first=$(grep -o '<tr><td><a href="#l[0-9]*".*' "$dom" | sed -n 1p | grep -o 'class="risk-[a-z]*"' | sed -n 1p)
  [ "$first" = 'class="risk-critical"' ] || { echo "html-check: inventory ($lang) first row is $first, want critical" >&2; exit 1; }
  # Column findings are placed by their column, never `-:-`; Japanese
  # pages name confidences in Japanese.
  if grep -q '<td>[0-9-]*:-</td>' "$dom"; then echo "html-check: inventory ($lang) has a -:- place" >&2; exit 1; fi
  if [ "$lang" = ja ] && grep -q '<td>\(high\|medium\|low\)</td>' "$dom"; then
    echo "html-check: inventory (ja) shows an English confidence id" >&2; exit 1
  fi
  echo "html-check: inventory ($lang): run, summary, 4 charts, matrix, $rows locations by risk, coverage; screenshot $out/inventory-$lang.png"
done
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

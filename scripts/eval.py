#!/usr/bin/env python3
"""Precision and recall of a piimap JSONL report against a truth file.

    eval.py TRUTH.tsv REPORT.jsonl [--root PREFIX] [--show N]

TRUTH.tsv has `path<TAB>line<TAB>category[<TAB>where]` rows (scripts/synth.py
writes them); `where` is `sheet:NAME`, `page:N` or `slide:N` for the lines of
workbooks, PDFs and presentations. A finding matches a truth row with the same
path (after removing PREFIX/), where, line and category, each row matched at
most once. Column-level findings (detector `column`) sum their cells up and
are not counted.
"""
import argparse
import collections
import json


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("truth")
    ap.add_argument("report")
    ap.add_argument("--root", default="")
    ap.add_argument("--show", type=int, default=0, help="print up to N misses and false alarms")
    a = ap.parse_args()
    truth = collections.Counter()
    for row in open(a.truth, encoding="utf-8"):
        if row.startswith("#") or not row.strip():
            continue
        path, line, cat, *where = row.rstrip("\n").split("\t")
        truth[(path, int(line), cat, where[0] if where else "")] += 1
    found = collections.Counter()
    prefix = a.root.rstrip("/") + "/" if a.root else ""
    for row in open(a.report, encoding="utf-8"):
        f = json.loads(row)
        if f.get("type") != "finding" or f.get("detector") == "column":
            continue
        path = f["path"][len(prefix):] if f["path"].startswith(prefix) else f["path"]
        # Line 0 in the truth stands for null: whole-file findings (floor
        # plans) and text from binary formats have no line.
        where = (f"sheet:{f['sheet']}" if f.get("sheet") else f"page:{f['page']}" if f.get("page")
                 else f"slide:{f['slide']}" if f.get("slide") else "")
        found[(path, f["line"] or 0, f["category"], where)] += 1
    cats = sorted({k[2] for k in truth} | {k[2] for k in found})
    print(f"{'category':<14} {'truth':>6} {'found':>6} {'tp':>6} {'precision':>9} {'recall':>7}")
    tot = [0, 0, 0]
    for c in cats:
        t = sum(v for k, v in truth.items() if k[2] == c)
        f = sum(v for k, v in found.items() if k[2] == c)
        tp = sum(min(v, found[k]) for k, v in truth.items() if k[2] == c)
        tot = [tot[0] + t, tot[1] + f, tot[2] + tp]
        print(f"{c:<14} {t:>6} {f:>6} {tp:>6} {tp / f if f else 1:>9.3f} {tp / t if t else 1:>7.3f}")
    t, f, tp = tot
    print(f"{'all':<14} {t:>6} {f:>6} {tp:>6} {tp / f if f else 1:>9.3f} {tp / t if t else 1:>7.3f}")
    if a.show:
        misses = [k for k, v in truth.items() for _ in range(v - found[k]) if v > found[k]]
        alarms = [k for k, v in found.items() for _ in range(v - truth[k]) if v > truth[k]]
        for k in sorted(misses)[: a.show]:
            print("miss ", *k)
        for k in sorted(alarms)[: a.show]:
            print("false", *k)


if __name__ == "__main__":
    main()

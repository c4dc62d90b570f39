#!/usr/bin/env python3
"""Synthetic images for OCR: scanned application forms, floor plans (clean
and photographed), an English letter, and negatives (mechanical drawings,
street photos, charts, office plans).

    python3 scripts/images.py fixtures fixtures/images        # the committed fixtures
    python3 scripts/images.py heldout /tmp/heldout --n 200 --seed 7
    python3 scripts/images.py eval /tmp/heldout [--piimap target/release/piimap]

Needs Pillow and the Noto CJK fonts (Debian: python3-pil fonts-noto-cjk).
Every value comes from the generators of scripts/synth.py (common surnames
and given names combined at random, real prefecture/city/town names with
random house numbers, random numbers in the MIC numbering plan's shapes):
no image shows a real person.

`truth.tsv` (`expected.tsv` for fixtures) lists per file and page the
categories planted on it (`floor_plan` for a floor plan; a negative has no
row). `eval` scans the folder with piimap and prints, per kind and per
category, precision and recall of (file, category) pairs.
"""

import argparse
import json
import os
import random
import subprocess
import sys
import time
from collections import defaultdict

from PIL import Image, ImageDraw, ImageFilter, ImageFont

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import synth  # noqa: E402

FONT = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"
BOLD = "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc"
_fonts = {}


def font(size, bold=False):
    key = (size, bold)
    if key not in _fonts:
        # Index 0 of the collection is the Japanese face.
        _fonts[key] = ImageFont.truetype(BOLD if bold else FONT, size, index=0)
    return _fonts[key]


# ----------------------------------------------------------------------------
# Degradation: what a scanner or a phone camera does to a page.

def scanned(im, r, angle=1.5, noise=0.02, blur=0.6):
    """A slight skew, speckle and blur, as a flatbed scan or a fax."""
    im = im.rotate(r.uniform(-angle, angle), resample=Image.BICUBIC, expand=True, fillcolor=255)
    px = im.load()
    w, h = im.size
    for _ in range(int(w * h * noise / 20)):
        x, y = r.randrange(w), r.randrange(h)
        px[x, y] = r.choice([0, 40, 90, 200, 255])
    return im.filter(ImageFilter.GaussianBlur(r.uniform(0.2, blur)))


def photographed(im, r):
    """A phone photo of a printed page: rotated a few degrees, seen a little
    from the side, on a grey desk, under uneven light, JPEG-compressed."""
    im = im.convert("L")
    w, h = im.size
    d = lambda: r.uniform(0, 0.04)  # noqa: E731
    quad = (w * d(), h * d(), w * d(), h * (1 - d()), w * (1 - d()), h * (1 - d()), w * (1 - d()), h * d())
    im = im.transform((w, h), Image.QUAD, quad, resample=Image.BICUBIC, fillcolor=255)
    im = im.rotate(r.uniform(-5, 5) or 2, resample=Image.BICUBIC, expand=True, fillcolor=r.randrange(90, 150))
    # Uneven light: a gradient laid over the page.
    shade = Image.linear_gradient("L").resize(im.size).rotate(r.randrange(360))
    im = Image.blend(im, Image.eval(shade, lambda v: 255 - v // 5), 0.25)
    return scanned(im, r, angle=0, noise=0.03, blur=1.0)


# ----------------------------------------------------------------------------
# Application forms.

FORM_TITLES = ["サービス申込書", "工事申込書", "お客様情報登録票", "ご契約者情報", "インターネット接続サービス申込書"]


def form_values(g):
    """(label, value, category) rows of a form, in a random but usual order."""
    rows = [
        (g.r.choice(["氏名", "お名前", "ご契約者名"]), g.person(), "name"),
        ("生年月日", g.birth(), "birth_date"),
        ("郵便番号", "〒" + g.postal(), "postal_code"),
        (g.r.choice(["住所", "ご住所", "設置場所住所"]), g.address(), "address"),
        (g.r.choice(["電話番号", "連絡先電話番号", "携帯電話"]), g.r.choice([g.phone(), g.mobile()]), "phone"),
    ]
    if g.r.random() < 0.5:
        rows.append(("メールアドレス", customer_email(g), "email"))
    rows.append(("受付番号", g.digits(8), None))
    return rows


# Carriers' mail domains: a customer's address, not one reserved for
# documentation (example.*), which piimap rightly reports as test data.
CARRIERS = ["docomo.ne.jp", "ezweb.ne.jp", "softbank.ne.jp", "i.softbank.jp"]


def customer_email(g):
    """A customer's e-mail address; no more random draws than g.email()."""
    local, domain = g.email().split("@")
    if "example" in domain:
        domain = CARRIERS[len(local) % len(CARRIERS)]
    return f"{local}@{domain}"


def form_page(g, rows, title=None):
    """A form page: a title, then a table of label and value cells."""
    w, h = 1654, 2339 // 2 + 200
    im = Image.new("L", (w, h), 255)
    d = ImageDraw.Draw(im)
    d.text((120, 80), title or g.r.choice(FORM_TITLES), font=font(56, bold=True), fill=0)
    d.text((w - 520, 100), f"受付日 2024年{g.r.randrange(1, 13)}月{g.r.randrange(1, 28)}日", font=font(30), fill=0)
    top, left, label_w, row_h = 220, 120, 380, 110
    chosen = g.r.choice([38, 42, 46])
    for i, (label, value, _) in enumerate(rows):
        y = top + i * row_h
        d.rectangle([left, y, w - 120, y + row_h], outline=0, width=3)
        d.rectangle([left, y, left + label_w, y + row_h], outline=0, width=3)
        d.text((left + 24, y + 30), label, font=font(36), fill=0)
        # A long address is written smaller, to fit its cell.
        size = chosen
        while size > 24 and font(size).getlength(value) > w - 120 - left - label_w - 60:
            size -= 2
        d.text((left + label_w + 40, y + (row_h - size) // 2 - 4), value, font=font(size), fill=0)
    d.text((left, top + len(rows) * row_h + 40), "上記の内容で申し込みます。", font=font(32), fill=0)
    return im


def form(g):
    rows = form_values(g)
    im = scanned(form_page(g, rows), g.r)
    return im, {c for _, _, c in rows if c}


# ----------------------------------------------------------------------------
# Floor plans.

ROOMS = [("LDK", True), ("洋室", True), ("洋室", True), ("和室", True), ("寝室", True), ("子供室", True),
         ("DK", True), ("キッチン", False), ("玄関", False), ("浴室", False), ("洗面", False), ("トイレ", False),
         ("WIC", False), ("収納", False), ("押入", False), ("廊下", False)]
TITLES = ["1階平面図", "2階平面図", "間取り図", "平面図", "1F 平面図"]


def split_rooms(r, box, n):
    """Cuts a rectangle into n rooms, the larger part each time."""
    rooms = [box]
    while len(rooms) < n:
        rooms.sort(key=lambda b: (b[2] - b[0]) * (b[3] - b[1]))
        x0, y0, x1, y1 = rooms.pop()
        if x1 - x0 > y1 - y0:
            cut = int(x0 + (x1 - x0) * r.uniform(0.35, 0.65))
            rooms += [(x0, y0, cut, y1), (cut, y0, x1, y1)]
        else:
            cut = int(y0 + (y1 - y0) * r.uniform(0.35, 0.65))
            rooms += [(x0, y0, x1, cut), (x0, cut, x1, y1)]
    return rooms


def plan_page(g, owner=None, english=False):
    """A house plan: thick outer walls, rooms with names and areas in 帖,
    doors with their swing, windows, a title and sometimes the owner."""
    r = g.r
    w, h = 1600, 1200
    im = Image.new("L", (w, h), 255)
    d = ImageDraw.Draw(im)
    box = (140, 180, w - 140, h - 140)
    rooms = split_rooms(r, box, r.randrange(5, 9))
    names = r.sample(ROOMS, len(rooms))
    wall = r.choice([8, 10, 12])
    for (x0, y0, x1, y1), (name, area) in zip(rooms, names):
        d.rectangle([x0, y0, x1, y1], outline=0, width=wall // 2)
        if english:
            name = {"LDK": "Living", "洋室": "Bedroom", "和室": "Tatami room", "寝室": "Bedroom", "子供室": "Kids room",
                    "DK": "Kitchen", "キッチン": "Kitchen", "玄関": "Entrance", "浴室": "Bathroom", "洗面": "Washroom",
                    "トイレ": "WC", "WIC": "Closet", "収納": "Storage", "押入": "Closet", "廊下": "Hall"}[name]
        size = r.choice([30, 34, 38])
        label = name
        cx, cy = (x0 + x1) // 2, (y0 + y1) // 2
        d.text((cx - len(label) * size // 2, cy - size), label, font=font(size), fill=0)
        if area and not english:
            d.text((cx - size, cy + 8), f"{r.choice([4.5, 6, 6, 8, 10, 12, 16])}帖", font=font(size - 6), fill=0)
        # A door: a gap in the wall and its swing.
        dx = x0 + (x1 - x0) // 3
        d.rectangle([dx, y1 - wall, dx + 70, y1 + wall], fill=255)
        d.arc([dx - 70, y1 - 70, dx + 70, y1 + 70], 270, 360, fill=0, width=2)
        d.line([dx, y1, dx, y1 - 70], fill=0, width=2)
    d.rectangle(box, outline=0, width=wall)
    # Windows: double lines across the outer wall.
    for _ in range(r.randrange(3, 7)):
        x = r.randrange(box[0] + 60, box[2] - 160)
        for off in (-3, 3):
            d.line([x, box[1] + off, x + 120, box[1] + off], fill=0, width=2)
    title = r.choice(TITLES) if not english else r.choice(["Floor plan", "FLOOR PLAN 1F"])
    if r.random() < 0.6 or english:
        d.text((140, 60), title, font=font(52, bold=True), fill=0)
    if owner:
        d.text((w - 700, 70), owner, font=font(34), fill=0)
    # A scale bar and a north arrow: what every plan has.
    d.line([w - 380, h - 80, w - 180, h - 80], fill=0, width=4)
    d.text((w - 380, h - 70), "0   1   2m", font=font(24), fill=0)
    d.polygon([(w - 90, h - 130), (w - 110, h - 80), (w - 70, h - 80)], outline=0, fill=0)
    d.text((w - 100, h - 70), "N", font=font(28), fill=0)
    return im


def plan(g, photo=False):
    owner = None
    cats = {"floor_plan"}
    if g.r.random() < 0.3:
        # The owner in the title block: personal data of its own.
        owner = f"施主：{g.person()} 様"
        cats.add("name")
    im = plan_page(g, owner)
    if photo:
        return photographed(im, g.r), cats
    return scanned(im, g.r, angle=0.5, noise=0.005, blur=0.4), cats


# ----------------------------------------------------------------------------
# Negatives: drawings and pictures that are not homes.

def mechanical(g):
    r = g.r
    im = Image.new("L", (1600, 1200), 255)
    d = ImageDraw.Draw(im)
    cx, cy = 700, 600
    d.rectangle([cx - 400, cy - 200, cx + 400, cy + 200], outline=0, width=6)
    for x in (cx - 250, cx + 250):
        d.ellipse([x - 60, cy - 60, x + 60, cy + 60], outline=0, width=4)
        d.line([x - 90, cy, x + 90, cy], fill=0, width=1)
        d.line([x, cy - 90, x, cy + 90], fill=0, width=1)
    d.line([cx - 400, cy + 300, cx + 400, cy + 300], fill=0, width=2)
    d.text((cx - 40, cy + 310), f"{r.randrange(120, 400)}", font=font(32), fill=0)
    words = r.sample(["部品図", "公差 ±0.05", "M6 ボルト", "面取り C1", "材質 SS400", "ベアリング 6204", "はめあい H7",
                      "組立図", "ねじ M8×1.25"], 4)
    for i, t in enumerate(words):
        d.text((1150, 200 + i * 70), t, font=font(34), fill=0)
    d.rectangle([1100, 900, 1560, 1160], outline=0, width=3)
    d.text((1120, 920), f"図番 A-{g.digits(5)}", font=font(30), fill=0)
    d.text((1120, 980), f"尺度 1:{r.choice([1, 2, 5])}", font=font(30), fill=0)
    return scanned(im, r, angle=0.5), set()


def street(g):
    """A street photo: sky, buildings with windows, a road, a shop sign."""
    r = g.r
    w, h = 1600, 1200
    im = Image.new("L", (w, h), 200)
    d = ImageDraw.Draw(im)
    x = 0
    while x < w:
        bw, bh = r.randrange(150, 400), r.randrange(300, 900)
        shade = r.randrange(60, 180)
        d.rectangle([x, h - 300 - bh, x + bw, h - 300], fill=shade)
        for wy in range(h - 280 - bh, h - 340, 60):
            for wx in range(x + 20, x + bw - 40, 50):
                d.rectangle([wx, wy, wx + 25, wy + 35], fill=shade + 40 if r.random() < 0.5 else 30)
        x += bw + r.randrange(0, 40)
    d.rectangle([0, h - 300, w, h], fill=90)
    for lx in range(0, w, 160):
        d.rectangle([lx, h - 160, lx + 80, h - 150], fill=230)
    sign = r.choice(["駅前通り", "コンビニ", "PARKING", "薬局", "CAFE"])
    d.rectangle([300, 400, 300 + 60 * len(sign) + 60, 480], fill=240)
    d.text((330, 408), sign, font=font(52), fill=20)
    return photographed(im, r), set()


def chart(g):
    """A bar chart of monthly sales."""
    r = g.r
    im = Image.new("L", (1600, 1100), 255)
    d = ImageDraw.Draw(im)
    d.text((500, 40), r.choice(["月別売上推移", "Monthly sales", "回線契約数の推移"]), font=font(48, bold=True), fill=0)
    d.line([150, 950, 1500, 950], fill=0, width=3)
    d.line([150, 150, 150, 950], fill=0, width=3)
    for i in range(12):
        v = r.randrange(100, 750)
        d.rectangle([180 + i * 110, 950 - v, 250 + i * 110, 950], fill=r.randrange(60, 160))
        d.text((185 + i * 110, 965), f"{i + 1}月", font=font(28), fill=0)
    for k in range(0, 800, 200):
        d.text((60, 935 - k), str(k * 10), font=font(24), fill=0)
    return scanned(im, r, angle=0.3, noise=0.005), set()


def office(g):
    """An office floor plan: walls and rooms, but meeting rooms and desks."""
    r = g.r
    im = Image.new("L", (1600, 1200), 255)
    d = ImageDraw.Draw(im)
    box = (140, 180, 1460, 1060)
    rooms = split_rooms(r, box, r.randrange(4, 8))
    names = ["会議室", "執務室", "給湯室", "応接室", "倉庫", "トイレ", "受付", "サーバー室"]
    for (x0, y0, x1, y1), name in zip(rooms, r.sample(names, len(rooms))):
        d.rectangle([x0, y0, x1, y1], outline=0, width=5)
        d.text(((x0 + x1) // 2 - 60, (y0 + y1) // 2 - 20), name, font=font(34), fill=0)
    d.rectangle(box, outline=0, width=10)
    d.text((140, 60), r.choice(["3階平面図", "事務所レイアウト", "4F 平面図"]), font=font(50, bold=True), fill=0)
    return scanned(im, r, angle=0.5), set()


NEGATIVES = [mechanical, street, chart, office]


def letter_en(g):
    first, last = g.r.choice(synth.EN_FIRST), g.r.choice(synth.EN_LAST)
    city, st, zipc = g.r.choice(synth.US_CITIES)
    im = Image.new("L", (1654, 1400), 255)
    d = ImageDraw.Draw(im)
    lines = [
        ("Customer Service", None),
        (f"Customer: {first} {last}", "name"),
        (f"Address: {g.r.randrange(10, 9999)} {g.r.choice(synth.US_STREETS)}, {city}, {st} {zipc}", "address"),
        (f"Email: {first.lower()}.{last.lower()}@{g.r.choice(synth.DOMAINS[3:])}", "email"),
        ("Thank you for your order. Please find the invoice attached.", None),
    ]
    for i, (t, _) in enumerate(lines):
        d.text((140, 120 + i * 90), t, font=font(40), fill=0)
    return scanned(im, g.r), {c for _, c in lines if c}


# ----------------------------------------------------------------------------
# Writing the sets.

def save(im, path):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    ext = path.rsplit(".", 1)[1]
    if ext == "jpg":
        im.convert("L").save(path, quality=72)
    else:
        im.convert("L").save(path, optimize=True)


def fixtures(root):
    """The committed fixtures, one of each kind, with their exact truth."""
    g = synth.Gen(11)
    truth = []
    def put(rel, im, cats, page=None):
        save(im, os.path.join(root, rel))
        for c in sorted(cats):
            truth.append((rel, c, f"page:{page}" if page else ""))
    rows = form_values(g)
    rows = [row for row in rows if row[2] != "email"]
    im = scanned(form_page(g, rows, "インターネット接続サービス申込書"), random.Random(1))
    put("moushikomi_scan.jpg", im, {c for _, _, c in rows if c}, 1)
    im, cats = plan(synth.Gen(12), photo=True)
    put("IMG_0412.jpg", im, cats)
    im = plan_page(synth.Gen(13), owner=f"施主：{synth.SURNAMES[0]} {synth.GIVEN[0]} 様")
    put("plan.png", im, {"floor_plan"})
    truth.append(("plan.png", "name", "page:1"))
    im, cats = letter_en(synth.Gen(14))
    put("letter_en.png", im, cats, 1)
    put("negative/part_drawing.png", mechanical(synth.Gen(15))[0], set())
    put("negative/street.jpg", street(synth.Gen(16))[0], set())
    put("negative/chart.png", chart(synth.Gen(17))[0], set())
    put("negative/office_plan.png", office(synth.Gen(18))[0], set())
    # A PDF of two pictures and no text: a cover sheet, then the plan.
    cover = Image.new("L", (1600, 1200), 255)
    ImageDraw.Draw(cover).text((200, 500), "図面一式", font=font(80, bold=True), fill=0)
    page2 = plan_page(synth.Gen(19))
    os.makedirs(root, exist_ok=True)
    # Fixed dates: the same PDF byte for byte on every run.
    when = time.gmtime(1704067200)  # 2024-01-01
    cover.convert("RGB").save(os.path.join(root, "zumen_scan.pdf"), save_all=True,
                              append_images=[page2.convert("RGB")], resolution=150,
                              creationDate=when, modDate=when)
    truth.append(("zumen_scan.pdf", "floor_plan", ""))
    # A two-page TIFF: a form, then a plan.
    g = synth.Gen(20)
    rows = [row for row in form_values(g) if row[2] in ("name", "phone", None)]
    first = scanned(form_page(g, rows, "工事申込書"), random.Random(2))
    first.save(os.path.join(root, "fax.tif"), save_all=True, append_images=[plan_page(synth.Gen(21))],
               compression="tiff_deflate")
    truth += [("fax.tif", c, "page:1") for c in ("name", "phone")] + [("fax.tif", "floor_plan", "")]
    with open(os.path.join(root, "expected.tsv"), "w") as f:
        f.write("# path\tcategory\tpage (written by scripts/images.py fixtures)\n")
        for rel, c, page in sorted(truth):
            f.write(f"{rel}\t{c}\t{page}\n".replace("\t\n", "\n"))


KINDS = {
    "form": lambda g: form(g),
    "plan_png": lambda g: plan(g),
    "plan_photo": lambda g: plan(g, photo=True),
    "negative": lambda g: g.r.choice(NEGATIVES)(g),
}


def heldout(root, n, seed):
    os.makedirs(root, exist_ok=True)
    rows = []
    for kind, make in KINDS.items():
        for i in range(n):
            g = synth.Gen(0)
            g.r = random.Random(f"{seed}/{kind}/{i}")
            im, cats = make(g)
            ext = "jpg" if kind in ("form", "plan_photo") or g.r.random() < 0.3 else "png"
            rel = f"{kind}/{i:04d}.{ext}"
            save(im, os.path.join(root, rel))
            rows += [(rel, c) for c in sorted(cats)] or [(rel, "")]
    with open(os.path.join(root, "truth.tsv"), "w") as f:
        for rel, c in rows:
            f.write(f"{rel}\t{c}\n")


def evaluate(root, piimap):
    truth = defaultdict(set)
    files = set()
    for line in open(os.path.join(root, "truth.tsv")):
        rel, c = line.rstrip("\n").split("\t")
        files.add(rel)
        if c:
            truth[rel].add(c)
    out = subprocess.run([piimap, "scan", ".", "--format", "jsonl", "--no-ignore", "--ocr-languages", os.environ.get("LANGS", "jpn+eng")], cwd=root,
                         capture_output=True, text=True)
    found = defaultdict(set)
    summary = {}
    for line in out.stdout.splitlines():
        v = json.loads(line)
        if v["type"] == "finding" and not v.get("test_data"):
            found[v["path"].removeprefix("./")].add(v["category"])
        elif v["type"] == "summary":
            summary = v
        elif v["type"] in ("error", "skipped"):
            print(f"{v['type']}: {v['path']}: {v['message']}", file=sys.stderr)
    print(f"{summary.get('ocr_pages')} pages by OCR in {summary.get('ocr_ms', 0) / 1000:.0f} s of worker time "
          f"({summary.get('ocr_ms', 0) / max(1, summary.get('ocr_pages', 1)):.0f} ms a page)")
    cats = sorted({c for s in truth.values() for c in s} | {c for s in found.values() for c in s})
    print(f"{'kind':<11} {'category':<12} {'planted':>7} {'found':>6} {'tp':>5} {'precision':>9} {'recall':>7}")
    for kind in [*KINDS, "all"]:
        for c in cats:
            sel = [f for f in files if kind == "all" or f.startswith(kind + "/")]
            planted = sum(c in truth[f] for f in sel)
            reported = sum(c in found[f] for f in sel)
            tp = sum(c in truth[f] and c in found[f] for f in sel)
            if planted or reported:
                p = tp / reported if reported else 1.0
                r = tp / planted if planted else float("nan")
                print(f"{kind:<11} {c:<12} {planted:>7} {reported:>6} {tp:>5} {p:>9.3f} {r:>7.3f}")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    sub.add_parser("fixtures").add_argument("dir")
    h = sub.add_parser("heldout")
    h.add_argument("dir")
    h.add_argument("--n", type=int, default=200)
    h.add_argument("--seed", type=int, default=7)
    e = sub.add_parser("eval")
    e.add_argument("dir")
    e.add_argument("--piimap", default="target/release/piimap")
    a = ap.parse_args()
    if a.cmd == "fixtures":
        fixtures(a.dir)
    elif a.cmd == "heldout":
        heldout(a.dir, a.n, a.seed)
    else:
        evaluate(a.dir, os.path.abspath(a.piimap))


if __name__ == "__main__":
    main()

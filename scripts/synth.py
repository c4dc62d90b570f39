#!/usr/bin/env python3
"""Synthetic personal data for piimap: fixtures, evaluation corpora, benchmark corpora.

Every value is made up here, from documented rules, never copied from real
people:

- names: common surnames/given names (written out below), combined at random;
- phone numbers: prefixes and digit counts of the MIC numbering plan, random digits;
- postal codes/addresses: real prefecture and city names, random town numbers;
- My Number: 11 random digits plus the check digit of 総務省令第85号 第5条;
- payment cards: issuer prefixes (ISO/IEC 7812) plus a Luhn check digit;
- IBAN: a country's BBAN structure (SWIFT IBAN Registry) with random digits
  and letters, plus the ISO 13616 mod-97 check digits;
- foreign phones: national and E.164 shapes of UK, US, German and French
  numbers (Ofcom, NANP, ITU plans), random subscriber digits;
- UK postcodes: real outward codes, random inward codes;
- dates: random calendar dates, Western and Japanese-era forms.

Each planted value is recorded as (path, line, category): the ground truth that
tests (fixtures/expected.tsv) and scripts/eval.py compare piimap's JSONL with.

    synth.py fixtures DIR             the small committed fixture set (seed 1)
    synth.py eval DIR [--docs N] [--seed S] [--faker]   an evaluation corpus + truth.tsv
    synth.py drawings DIR [--docs N] [--seed S]   labelled drawings for the floor-plan classifier
    synth.py names DIR [--docs N] [--seed S]      person names (Faker, rare surnames) among look-alikes
    synth.py documents DIR [--docs N] [--seed S] [--no-pdf]   N sets of every document format + truth.tsv
    synth.py docbench DIR [--rows N] [--no-pdf]   per-format throughput corpora (scripts/bench-documents.sh)
    synth.py stream DIR [--mb N] [--log-mb N]     dense customer CSVs + one large log (scripts/bench-stream.sh)
    synth.py kinds DIR [--mb N]       logs, code, prose and a customer table, N MiB each (scripts/bench-vs-ripgrep.sh)
    synth.py share DIR [--files N] [--mb N]   N files, N MiB in all, in department folders (scripts/bench-rescan.sh)
"""
import argparse
import os
import random
import struct
import zlib
from pathlib import Path

import docfmt

SURNAMES = ["佐藤", "鈴木", "高橋", "田中", "伊藤", "渡辺", "山本", "中村", "小林", "加藤",
            "吉田", "山田", "佐々木", "山口", "松本", "井上", "木村", "林", "斎藤", "清水"]
GIVEN = ["太郎", "花子", "健一", "美咲", "翔太", "陽菜", "大輔", "さくら", "直樹", "結衣"]
ROMAJI_SURNAMES = ["sato", "suzuki", "takahashi", "tanaka", "ito", "watanabe", "yamamoto", "nakamura"]
ROMAJI_GIVEN = ["taro", "hanako", "kenichi", "misaki", "shota", "hina", "daisuke", "sakura"]
EN_FIRST = ["James", "Mary", "John", "Patricia", "Robert", "Jennifer", "Michael", "Linda"]
EN_LAST = ["Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis"]
DOMAINS = ["example.co.jp", "example.com", "example.ne.jp", "docomo.ne.jp", "ezweb.ne.jp",
           "softbank.ne.jp", "i.softbank.jp", "mail.example.org"]
# (prefecture, city, towns) – real names; house numbers are random.
PLACES = [("東京都", "千代田区", ["千代田", "丸の内", "神田"]), ("東京都", "新宿区", ["西新宿", "高田馬場"]),
          ("東京都", "世田谷区", ["三軒茶屋", "太子堂"]), ("大阪府", "大阪市北区", ["梅田", "中之島"]),
          ("神奈川県", "横浜市中区", ["山下町", "元町"]), ("愛知県", "名古屋市中村区", ["名駅", "太閤"]),
          ("北海道", "札幌市中央区", ["大通西", "南一条西"]), ("福岡県", "福岡市博多区", ["博多駅前", "中洲"]),
          ("京都府", "京都市下京区", ["東塩小路町", "四条通"]), ("宮城県", "仙台市青葉区", ["一番町", "本町"])]
BUILDINGS = ["サンプルマンション", "グリーンハイツ", "コーポ桜", "メゾン青葉"]
JOBS = ["会社員", "公務員", "自営業", "看護師", "教員", "エンジニア", "学生", "パート"]
EN_JOBS = ["Software Engineer", "Nurse", "Teacher", "Accountant"]
BANKS = [("みずほ銀行", "本店"), ("三菱UFJ銀行", "渋谷支店"), ("三井住友銀行", "梅田支店"), ("りそな銀行", "新宿支店")]
US_CITIES = [("Springfield", "IL", "62704"), ("San Jose", "CA", "95112"), ("Austin", "TX", "73301")]
US_STREETS = ["Main Street", "Oak Avenue", "Maple Road", "Elm Street", "Cedar Lane"]
ERAS = [("昭和", "S", 1926), ("平成", "H", 1989)]
FILLER_JA = ["お世話になっております。", "本件について確認をお願いします。", "次回の打ち合わせは来週です。",
             "資料を添付いたします。", "ご不明点があればご連絡ください。", "工事日程を調整しております。",
             "見積書の内容をご確認ください。", "サービス内容の変更について", "以上、よろしくお願いいたします。"]
FILLER_EN = ["Thanks for your message.", "Please review the attached document.", "The meeting moved to Friday.",
             "Let me know if anything is unclear.", "Installation is scheduled next week.", "Best regards."]


def fw(s):
    """Full-width digits, letters and hyphens (as Japanese forms write them)."""
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in s)


class Gen:
    def __init__(self, seed):
        self.r = random.Random(seed)

    def digits(self, n):
        return "".join(self.r.choice("0123456789") for _ in range(n))

    def name(self):
        return self.r.choice(SURNAMES) + self.r.choice(["", " ", "　"]) + self.r.choice(GIVEN)

    def person(self):
        """A full name with one space, as forms and tables write it."""
        return self.r.choice(SURNAMES) + " " + self.r.choice(GIVEN)

    def email(self):
        local = self.r.choice(ROMAJI_GIVEN) + self.r.choice([".", "_", ""]) + self.r.choice(ROMAJI_SURNAMES)
        if self.r.random() < 0.2:
            local += self.digits(2)
        return local + "@" + self.r.choice(DOMAINS)

    def mobile(self):
        return f"{self.r.choice(['090', '080', '070'])}-{self.digits(4)}-{self.digits(4)}"

    def phone(self):
        k = self.r.randrange(8)
        if k == 0:
            return f"03-{self.r.choice('2345679')}{self.digits(3)}-{self.digits(4)}"
        if k == 1:
            return f"06-{self.r.choice('2345679')}{self.digits(3)}-{self.digits(4)}"
        if k == 2:
            return f"0{self.r.choice(['45', '52', '92', '11'])}-{self.r.choice('2345679')}{self.digits(2)}-{self.digits(4)}"
        if k == 3:
            return f"0120-{self.digits(3)}-{self.digits(3)}"
        if k == 4:
            return f"050-{self.r.choice('123456789')}{self.digits(3)}-{self.digits(4)}"
        if k == 5:
            return f"+81-{self.r.choice(['90', '80', '3'])}-{self.digits(4)}-{self.digits(4)}"
        if k == 6:
            return f"(03){self.r.choice('2345679')}{self.digits(3)}-{self.digits(4)}"
        return self.mobile()

    def postal(self):
        return f"{self.r.randrange(100, 999)}-{self.digits(4)}"

    def address(self):
        pref, city, towns = self.r.choice(PLACES)
        town = self.r.choice(towns)
        if self.r.random() < 0.5:
            num = f"{self.r.randrange(1, 9)}丁目{self.r.randrange(1, 30)}番{self.r.randrange(1, 20)}号"
        else:
            num = f"{self.r.randrange(1, 9)}-{self.r.randrange(1, 30)}-{self.r.randrange(1, 20)}"
        addr = pref + city + town + num
        if self.r.random() < 0.3:
            addr += " " + self.r.choice(BUILDINGS) + f"{self.r.randrange(1, 12)}0{self.r.randrange(1, 9)}号室"
        return addr

    def my_number(self):
        while True:
            d = [int(c) for c in self.digits(11)]
            s = sum(a * b for a, b in zip(d, [6, 5, 4, 3, 2, 7, 6, 5, 4, 3, 2]))
            cd = 0 if s % 11 <= 1 else 11 - s % 11
            n = "".join(map(str, d)) + str(cd)
            if len(set(n)) > 1:
                return n

    def bad_my_number(self):
        n = self.my_number()
        return n[:11] + str((int(n[11]) + 1) % 10)

    def card(self):
        prefix, length = self.r.choice([("4", 16), ("5" + self.r.choice("12345"), 16), ("35" + str(self.r.randrange(28, 90)), 16)])
        body = prefix + self.digits(length - len(prefix) - 1)
        for cd in "0123456789":
            n = body + cd
            total = 0
            for i, c in enumerate(reversed(n)):
                x = int(c) * (2 if i % 2 else 1)
                total += x - 9 if x > 9 else x
            if total % 10 == 0:
                return n

    def birth(self):
        y, m, d = self.r.randrange(1940, 2005), self.r.randrange(1, 13), self.r.randrange(1, 29)
        k = self.r.randrange(4)
        if k == 0:
            return f"{y}年{m}月{d}日"
        if k == 1:
            return f"{y}/{m:02d}/{d:02d}"
        era = ERAS[1] if y >= 1990 else ERAS[0]
        ey = y - era[2] + 1
        return f"{era[0]}{ey}年{m}月{d}日" if k == 2 else f"{era[1]}{ey}.{m}.{d}"

    def iban(self):
        bban = self.digits(18)  # DE: 8-digit bank code + 10-digit account
        n = int(bban + "1314" + "00")  # D=13 E=14
        return f"DE{98 - n % 97:02d}{bban}"

    def iban_of(self, cc, fmt):
        """An IBAN of country `cc` whose BBAN follows `fmt` (registry notation,
        as in src/detect/validate.rs): random characters of each class."""
        bban, count = "", 0
        for c in fmt:
            if c.isdigit():
                count = count * 10 + int(c)
                continue
            pool = {"n": "0123456789", "a": "ABCDEFGHIJKLMNOPQRSTUVWXYZ"}.get(c, "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ")
            bban += "".join(self.r.choice(pool) for _ in range(count))
            count = 0
        return iban_check(cc, bban)

    def iban_written(self):
        """An IBAN of a common country, written as people write them: in
        fours, without spaces, with a space after the country, or in hyphens."""
        cc, fmt = self.r.choice(IBAN_COUNTRIES)
        iban = self.iban_of(cc, fmt)
        k = self.r.randrange(4)
        fours = " ".join(iban[i:i + 4] for i in range(0, len(iban), 4))
        if k == 0:
            return fours
        if k == 1:
            return iban
        if k == 2:
            return f"{iban[:2]} {iban[2:4]} " + " ".join(iban[i:i + 4] for i in range(4, len(iban), 4))
        return "-".join(iban[i:i + 4] for i in range(0, len(iban), 4))


IBAN_COUNTRIES = [("DE", "8n10n"), ("GB", "4a6n8n"), ("FR", "5n5n11c2n"), ("ES", "4n4n1n1n10n"),
                  ("NL", "4a10n"), ("IT", "1a5n5n12c"), ("CH", "5n12c"), ("BE", "3n7n2n")]


def iban_check(cc, bban):
    n = int("".join(str(int(c, 36)) for c in bban + cc + "00"))
    return f"{cc}{98 - n % 97:02d}{bban}"


# ----------------------------------------------------------------------------
# Documents: each builder returns lines [(text, [categories planted on it])].

def doc_ja_form(g):
    name = g.name()
    lines = [("【お申込書】", []), (f"お名前：{name} 様", ["name"])]
    lines.append((f"生年月日：{g.birth()}", ["birth_date"]))
    lines.append((f"性別：{g.r.choice(['男性', '女性'])}", ["gender"]))
    lines.append((f"ご職業：{g.r.choice(JOBS)}", ["occupation"]))
    lines.append((f"〒{g.postal()}", ["postal_code"]))
    lines.append((f"住所：{g.address()}", ["address"]))
    ph = g.phone()
    if g.r.random() < 0.3:
        ph = fw(ph)
    lines.append((f"電話番号：{ph}", ["phone"]))
    lines.append((f"メール：{g.email()}", ["email"]))
    if g.r.random() < 0.5:
        lines.append((f"マイナンバー：{g.my_number()}", ["my_number"]))
    bank, branch = g.r.choice(BANKS)
    lines.append((f"引落口座：{bank} {branch} 普通 {g.digits(7)}", ["bank_account"]))
    lines.append((f"受付番号：{g.digits(10)}　受付日：2024年{g.r.randrange(1, 13)}月{g.r.randrange(1, 28)}日", []))
    return lines


def doc_ja_mail(g):
    lines = [(f"{g.r.choice(SURNAMES)}様", ["name"]), ("", []), (g.r.choice(FILLER_JA), [])]
    lines.append((f"工事担当の携帯は{g.mobile()}です。", ["phone"]))
    lines.append((f"設置場所は{g.address()}でお間違いないでしょうか。", ["address"]))
    lines.append((f"見積番号 Q-{g.digits(8)} の金額は ￥{g.r.randrange(1, 999)},{g.digits(3)} です。", []))
    lines.append((g.r.choice(FILLER_JA), []))
    lines.append((f"返信先：{g.email()}", ["email"]))
    lines.append((f"送信日時 2024-{g.r.randrange(1, 13):02d}-{g.r.randrange(1, 28):02d} {g.r.randrange(0, 24):02d}:{g.r.randrange(60):02d}:{g.r.randrange(60):02d}", []))
    return lines


def doc_ja_ids(g):
    lines = [("本人確認書類の控え", [])]
    lines.append((f"運転免許証番号：{g.r.choice(['30', '44', '62', '91'])}{g.digits(10)}", ["government_id"]))
    lines.append((f"旅券番号：T{g.r.choice('KRZ')}{g.digits(7)}", ["government_id"]))
    lines.append((f"基礎年金番号：{g.digits(4)}-{g.digits(6)}", ["government_id"]))
    lines.append((f"在留カード番号：{g.r.choice(['AB', 'CD', 'EF'])}{g.digits(8)}{g.r.choice(['GH', 'JK'])}", ["government_id"]))
    lines.append((f"個人番号：{g.my_number()}", ["my_number"]))
    lines.append((f"ゆうちょ銀行 記号番号 1{g.digits(4)}-{g.digits(7)}1", ["bank_account"]))
    lines.append((f"カード番号：{g.card()}", ["payment_card"]))
    lines.append((f"管理番号：{g.bad_my_number()}　請求番号：{g.my_number()}", []))
    return lines


def doc_en(g):
    first, last = g.r.choice(EN_FIRST), g.r.choice(EN_LAST)
    city, st, zipc = g.r.choice(US_CITIES)
    lines = [(f"Customer: {first} {last}", ["name"])]
    lines.append((f"Address: {g.r.randrange(10, 9999)} {g.r.choice(US_STREETS)}, {city}, {st} {zipc}",
                  ["address", "postal_code"]))
    lines.append((f"Phone: +1 {g.r.randrange(201, 989)} 555 {g.digits(4)}", ["phone"]))
    lines.append((f"Email: {first.lower()}.{last.lower()}@example.com", ["email"]))
    lines.append((f"Date of birth: {g.r.choice(['January', 'March', 'July', 'October'])} {g.r.randrange(1, 28)}, {g.r.randrange(1950, 2000)}", ["birth_date"]))
    lines.append((f"Gender: {g.r.choice(['Male', 'Female'])}", ["gender"]))
    lines.append((f"Occupation: {g.r.choice(EN_JOBS)}", ["occupation"]))
    lines.append((f"SSN: {g.r.randrange(100, 665)}-{g.r.randrange(10, 99)}-{g.r.randrange(1000, 9999)}", ["government_id"]))
    lines.append((f"IBAN: {g.iban()}", ["bank_account"]))
    lines.append((f"Order 4111-{g.digits(4)} shipped 2024-03-{g.r.randrange(10, 28)}, version 2.{g.r.randrange(1, 9)}.{g.r.randrange(0, 20)}, server 10.0.{g.r.randrange(0, 255)}.{g.r.randrange(1, 255)}", []))
    lines.append((g.r.choice(FILLER_EN), []))
    return lines


def doc_lookalikes(g):
    """Numbers that look like personal data and are not."""
    return [
        (f"注文番号：{g.digits(11)}", []),
        (f"請求番号 {g.my_number()}", []),
        (f"登録日時 2024/{g.r.randrange(1, 13):02d}/{g.r.randrange(1, 28):02d} {g.r.randrange(0, 24):02d}:{g.r.randrange(60):02d}", []),
        (f"価格 ￥{g.r.randrange(1, 99)},{g.digits(3)},{g.digits(3)}", []),
        (f"バージョン {g.r.randrange(1, 9)}.{g.r.randrange(0, 20)}.{g.r.randrange(0, 99)}", []),
        (f"IPアドレス 192.168.{g.r.randrange(0, 255)}.{g.r.randrange(1, 255)}", []),
        (f"追跡番号 {g.digits(4)}-{g.digits(4)}-{g.digits(4)}", []),
        (f"型番 TK{g.digits(7)}", []),
        (f"ISBN 978-4-{g.digits(2)}-{g.digits(6)}-{g.r.randrange(0, 9)}", []),
        (f"カード番号 4111 1111 1111 111{g.r.choice('23456789')}", []),
        (f"フリーダイヤル 0120-{g.digits(4)}-{g.digits(3)}", []),
        (f"部品 {g.r.choice(['AB', 'XY'])}{g.digits(8)}", []),
        ("東京都の人口は約1400万人です。", []),
        (f"会議室 3-{g.r.randrange(1, 20)}、大阪市内で開催", []),
    ]


def doc_csv(g):
    header = "顧客ID,氏名,フリガナ,生年月日,性別,郵便番号,住所,電話番号,メールアドレス,職業"
    lines = [(header, [])]
    for i in range(g.r.randrange(3, 8)):
        row = [f"C{g.digits(6)}", g.name(), "ヤマダ タロウ", g.birth(),
               g.r.choice(["男", "女"]), g.postal(), g.address(), g.r.choice([g.mobile(), g.mobile().replace("-", "")]),
               g.email(), g.r.choice(JOBS)]
        lines.append((",".join(row), ["name", "name", "birth_date", "gender", "postal_code", "address", "phone", "email", "occupation"]))
    return lines


def doc_ja_prose(g):
    """Running Japanese text: values inside sentences, labels in other words."""
    name = g.r.choice(SURNAMES)
    lines = [(f"{name}様より、ご契約内容の確認のお問い合わせがありました。", ["name"])]
    lines.append((f"折り返しのご連絡先は{g.mobile().replace('-', '')}（携帯）とのことです。", ["phone"]))
    lines.append((f"工事場所：{g.address().split(' ')[0]}", ["address"]))
    pref, city, towns = g.r.choice(PLACES)
    lines.append((f"設置場所は{city}{g.r.choice(towns)}{g.r.randrange(1, 9)}-{g.r.randrange(1, 30)}-{g.r.randrange(1, 20)}になります。", ["address"]))
    lines.append((f"お客様の生年月日は{g.birth()}と伺っております。", ["birth_date"]))
    lines.append((f"なお、同地区{g.r.randrange(1, 9)}-{g.r.randrange(1, 9)}の工事は来月予定です。", []))
    lines.append((f"見積書No.{g.digits(4)}-{g.digits(4)}を{g.r.randrange(1, 13)}月{g.r.randrange(1, 28)}日に送付済みです。", []))
    lines.append((f"代表番号 {fw('03-' + g.r.choice('2345679') + g.digits(3) + '-' + g.digits(4))} までお電話ください。", ["phone"]))
    return lines


def doc_en_prose(g):
    first, last = g.r.choice(EN_FIRST), g.r.choice(EN_LAST)
    lines = [(f"Dear {first},", [])]
    lines.append((f"We tried to reach you at ({g.r.randrange(201, 989)}) 555-{g.digits(4)} regarding order #{g.digits(3)}-{g.digits(3)}-{g.digits(4)}.", ["phone"]))
    lines.append((f"Please confirm that you were born on {g.r.randrange(1, 28)} {g.r.choice(['Jan', 'Apr', 'Sep', 'Dec'])} {g.r.randrange(1950, 2001)}.", ["birth_date"]))
    lines.append((f"Your invoice {g.digits(4)}-{g.digits(2)}-{g.digits(2)} totals ${g.r.randrange(10, 999)}.{g.digits(2)}.", []))
    lines.append((f"Reply to {first.lower()}{g.digits(2)}@example.org or write to {g.r.randrange(10, 999)} {g.r.choice(US_STREETS)}, Springfield, IL 62704.", ["email", "address", "postal_code"]))
    lines.append((f"Reference UUID {g.digits(8)}-{g.digits(4)}-{g.digits(4)}-{g.digits(4)}-{g.digits(12)}", []))
    return lines


def doc_log(g):
    """Application logs: timestamps, IPs and ids everywhere, personal data rarely."""
    lines = []
    for _ in range(g.r.randrange(5, 12)):
        ts = f"2024-{g.r.randrange(1, 13):02d}-{g.r.randrange(1, 28):02d}T{g.r.randrange(24):02d}:{g.r.randrange(60):02d}:{g.r.randrange(60):02d}.{g.digits(3)}Z"
        lines.append((f"{ts} INFO req={g.digits(12)} ip=10.{g.r.randrange(256)}.{g.r.randrange(256)}.{g.r.randrange(256)} status=200 bytes={g.digits(5)} latency_ms={g.r.randrange(1, 900)}", []))
    if g.r.random() < 0.5:
        lines.append((f"2024-05-01T10:00:00.000Z WARN login failed for user={g.email()}", ["email"]))
    return lines


def doc_csv_en(g):
    lines = [("id,full_name,email,phone,dob,gender,job_title,ssn", [])]
    for _ in range(g.r.randrange(3, 8)):
        first, last = g.r.choice(EN_FIRST), g.r.choice(EN_LAST)
        dob = f"{g.r.randrange(1950, 2001)}-{g.r.randrange(1, 13):02d}-{g.r.randrange(1, 28):02d}"
        row = [g.digits(6), f"{first} {last}", f"{first.lower()}.{last.lower()}@example.com",
               f"+1 {g.r.randrange(201, 989)} 555 {g.digits(4)}", dob, g.r.choice(["F", "M"]),
               g.r.choice(EN_JOBS), f"{g.r.randrange(100, 665)}-{g.r.randrange(10, 99)}-{g.r.randrange(1000, 9999)}"]
        lines.append((",".join(row), ["name", "email", "phone", "birth_date", "gender", "occupation", "government_id"]))
    return lines


def doc_lookalikes_hard(g):
    """Numbers shaped like personal data, in contexts that say they are not."""
    card = g.card()
    return [
        (f"製品コード 0{g.r.choice('1257')}-{g.digits(4)}-{g.digits(4)}", []),
        (f"部品番号 {g.r.choice(['AB', 'XY', 'KL'])}{g.digits(8)}{g.r.choice(['CD', 'ZZ'])}", []),
        (f"シリアル番号 {card}", []),
        (f"注文番号 {g.mobile()}", []),
        (f"Invoice ({g.r.randrange(201, 989)}) 555-{g.digits(4)} due {g.r.randrange(1, 13)}/{g.r.randrange(1, 28)}", []),
        (f"座標 35.{g.digits(6)}, 139.{g.digits(6)}", []),
        (f"統計表 市区町村別 第{g.r.randrange(1, 9)}-{g.r.randrange(1, 9)}表", []),
        (f"更新日 {g.r.randrange(2000, 2025)}年{g.r.randrange(1, 13)}月{g.r.randrange(1, 28)}日　作成者ID {g.digits(6)}", []),
        (f"チケット #{g.digits(3)}-{g.digits(3)}-{g.digits(4)}", []),
        (f"金額 {g.r.randrange(1, 999)},{g.digits(3)},{g.digits(3)}円 (税率 10%)", []),
        (f"hash {''.join(g.r.choice('0123456789abcdef') for _ in range(40))}", []),
        (f"build {g.r.randrange(1, 9)}.{g.r.randrange(0, 30)}.{g.r.randrange(0, 300)}+{g.digits(8)}", []),
    ]


# Foreign names in katakana, as Japanese documents write them (made-up pairs of
# common given names and surnames).
KANA_FOREIGN = ["ジョン・スミス", "マイケル・ジョンソン", "エミリー・ブラウン", "ソフィア・ガルシア",
                "デイビッド・ミラー", "アンナ・シュミット", "ルーカス・マルタン", "マリア・ロッシ"]
UK_OUTWARD = ["SW1A", "EC1A", "W1A", "M1", "B33", "CR2", "DN55", "LS1", "EH1", "G2"]
UK_STREETS = ["Baker Street", "High Street", "Station Road", "Church Lane", "Victoria Road"]
UK_TOWNS = ["London", "Manchester", "Leeds", "Birmingham", "Edinburgh"]


def uk_postcode(g):
    return f"{g.r.choice(UK_OUTWARD)} {g.r.randrange(10)}{g.r.choice('ABDEFGHJLNPQRSTUWXYZ')}{g.r.choice('ABDEFGHJLNPQRSTUWXYZ')}"


def doc_intl(g):
    """A letter or record from abroad: UK, US and European phones and
    addresses, titles before surnames, IBANs in every grouping, passports."""
    last, first = g.r.choice(EN_LAST), g.r.choice(EN_FIRST)
    title = g.r.choice(["Mr.", "Ms.", "Mrs.", "Dr.", "Ms", "Mr"])
    lines = [(f"Dear {title} {last},", ["name"]), ("", [])]
    lines.append((g.r.choice(FILLER_EN), []))
    lines.append((f"Address: {g.r.randrange(1, 300)} {g.r.choice(UK_STREETS)}, {g.r.choice(UK_TOWNS)}, {uk_postcode(g)}",
                  ["address", "postal_code"]))
    k = g.r.randrange(3)
    if k == 0:
        uk = f"020 7{g.digits(3)} {g.digits(4)}"
    elif k == 1:
        uk = f"07{g.r.choice('3456789')}{g.digits(2)} {g.digits(6)}"
    else:
        uk = f"(0161) {g.r.choice('2345789')}{g.digits(2)} {g.digits(4)}"
    lines.append((f"{g.r.choice(['Tel', 'Phone', 'Mobile'])}: {uk}", ["phone"]))
    lines.append((f"Phone: {g.r.randrange(201, 989)}.{g.r.randrange(201, 999)}.{g.digits(4)}", ["phone"]))
    lines.append((g.r.choice([f"Telefon: 0{g.r.choice(['30', '40', '89', '221'])} {g.digits(7)}",
                              f"Tél. : 0{g.r.randrange(1, 6)} {g.digits(2)} {g.digits(2)} {g.digits(2)} {g.digits(2)}",
                              f"Tel: +49 {g.r.choice(['30', '40', '89'])} {g.digits(8)}"]), ["phone"]))
    lines.append((f"Please ask {g.r.choice(['Dr.', 'Mrs.', 'Prof.'])} {g.r.choice(EN_LAST)} to sign the form.", ["name"]))
    lines.append((f"IBAN: {g.iban_written()}", ["bank_account"]))
    passport = g.r.choice([f"{g.r.choice(['TK', 'TR', 'MZ'])}{g.digits(7)}", g.digits(9), "C" + g.digits(8)])
    lines.append((f"Passport No. {passport}", ["government_id"]))
    lines.append((f"Postcode {uk_postcode(g)}", ["postal_code"]))
    lines.append((f"Invoice {g.digits(4)}-{g.digits(4)} of {g.r.randrange(1, 28)} March, {g.r.randrange(2, 40)} ms response", []))
    return lines


def doc_ja_more(g):
    """Japanese records in the forms the first builders leave out: katakana
    foreign names, health-insurance symbols and numbers, lot numbers without
    丁目, addresses without the prefecture, mobiles without hyphens in logs."""
    pref, city, towns = g.r.choice(PLACES)
    town = g.r.choice(towns).rstrip("町")
    lines = [(f"{g.r.choice(KANA_FOREIGN)}{g.r.choice(['様', 'さん'])}からのお問い合わせ", ["name"])]
    lines.append((f"健康保険被保険者証 記号 {g.digits(4)} 番号 {g.r.randrange(1, 99999)}", ["government_id"]))
    lines.append((f"住所：{pref}{city}{town}{g.r.randrange(1, 2000)}", ["address"]))
    lines.append((f"新しい事務所は{city}{town}{g.r.randrange(1, 9)}丁目{g.r.randrange(1, 30)}-{g.r.randrange(1, 20)}へ移ります。", ["address"]))
    ts = f"2024-{g.r.randrange(1, 13):02d}-{g.r.randrange(1, 28):02d}T{g.r.randrange(24):02d}:{g.r.randrange(60):02d}:{g.r.randrange(60):02d}Z"
    lines.append((f"{ts} INFO sms to={g.mobile().replace('-', '')} status=200 latency_ms={g.r.randrange(1, 900)}", ["phone"]))
    lines.append((f"{ts} INFO order={g.digits(12)} ip=10.{g.r.randrange(256)}.{g.r.randrange(256)}.{g.r.randrange(256)}", []))
    return lines


def escaped(text):
    """`text` as JSON writes it with ensure_ascii: non-ASCII as \\uXXXX."""
    return "".join(c if ord(c) < 128 else f"\\u{ord(c):04x}" for c in text)


def doc_encoded(g):
    """Values as programs write them: \\u escapes in JSON, %40 in URLs, HTML
    character references, a zero-width space inside a number, My Numbers
    and cards grouped with `_` and `.`, an English name in a sentence."""
    ph = g.mobile()
    card = g.card()
    mn = g.my_number()
    first, last = g.r.choice(EN_FIRST), g.r.choice(EN_LAST)
    local = g.r.choice(ROMAJI_GIVEN) + "." + g.r.choice(ROMAJI_SURNAMES)
    return [
        (f'{{"id": {g.digits(5)}, "memo": "{escaped(g.person() + "様")}"}}', ["name"]),
        (f'10.0.{g.r.randrange(256)}.{g.r.randrange(1, 255)} - - "GET /login?user={local}%40example.co.jp HTTP/1.1" 200 {g.digits(4)}', ["email"]),
        (f"<p>mail: {local}&#64;example.ne.jp</p>", ["email"]),
        (f"tel: {ph[0]}\u200b{ph[1:]}", ["phone"]),
        (f"my_number = {mn[:4]}_{mn[4:8]}_{mn[8:]}  # マイナンバー", ["my_number"]),
        (f"card no. {card[:4]}.{card[4:8]}.{card[8:12]}.{card[12:]}", ["payment_card"]),
        (f"Yesterday {first} {last} called about the contract renewal.", ["name"]),
        (f"build {g.r.randrange(1, 9)}.{g.r.randrange(0, 30)}.{g.r.randrange(0, 300)} took {g.r.randrange(1, 900)} ms", []),
    ]


def doc_signature(g):
    """A mail signature: company line, the sender's name alone on its line,
    then TEL and e-mail lines."""
    return [
        (g.r.choice(FILLER_JA), []),
        ("--", []),
        (f"株式会社サンプル{g.r.choice(['商事', '建設', '通信'])} {g.r.choice(['営業部', '工事課', 'お客様窓口'])}", []),
        (g.person(), ["name"]),
        (f"TEL: {g.phone()}", ["phone"]),
        (f"Mail: {g.email()}", ["email"]),
    ]


def doc_lookalikes_intl(g):
    """Shapes of the formats above that are not personal data."""
    cc, fmt = g.r.choice([("GB", "18n"), ("NL", "14n"), ("DE", "17n1a")])
    return [
        # The IBAN sum holds, the country's structure does not.
        (f"Reference {' '.join(w for w in [iban_check(cc, g.iban_of('XX', fmt)[4:])[i:i + 4] for i in range(0, 22, 4)] if w)}", []),
        (f"部品 記号 {g.r.choice('ABC')}{g.digits(2)} 番号 {g.digits(2)}", []),
        (f"{g.r.choice(PLACES)[1]}の人口{g.r.randrange(1000, 9000)}人", []),
        (f"Bestellnummer 0{g.digits(3)} {g.digits(4)} {g.digits(3)}", []),
        (f"p99 {g.r.randrange(1, 900)} ms, p50 {g.r.randrange(1, 90)} ms", []),
        (f"ISO {g.r.choice(['SW1A', 'EC1A'])}-{g.digits(3)} build", []),
    ]


BUILDERS = [doc_ja_form, doc_ja_mail, doc_ja_ids, doc_en, doc_lookalikes, doc_csv,
            doc_ja_prose, doc_en_prose, doc_log, doc_csv_en, doc_lookalikes_hard,
            doc_intl, doc_ja_more, doc_lookalikes_intl, doc_encoded, doc_signature]


def faker_builders(seed):
    """Documents whose values come from Faker (pip install faker): formats this
    generator did not choose, such as Faker's 2-4-4 ja_JP phone numbers without
    a leading 0, US numbers with extensions and USPS street suffixes."""
    from faker import Faker
    ja, en = Faker("ja_JP"), Faker("en_US")
    Faker.seed(seed)

    def doc_faker_ja(g):
        return [
            (f"氏名：{ja.name()}", ["name"]),
            (f"電話番号：{ja.phone_number()}", ["phone"]),
            (f"〒{ja.zipcode()} {ja.address()}", ["postal_code", "address"]),
            (f"メールアドレス：{ja.email()}", ["email"]),
            (f"生年月日：{ja.date_of_birth().strftime(g.r.choice(['%Y年%m月%d日', '%Y/%m/%d', '%Y-%m-%d']))}", ["birth_date"]),
            (f"職業：{ja.job()}", ["occupation"]),
            (f"受付番号：{ja.random_number(digits=10, fix_len=True)}", []),
        ]

    def doc_faker_en(g):
        return [
            (f"Name: {en.name()}", ["name"]),
            (f"Phone: {en.phone_number()}", ["phone"]),
            (f"Address: {en.street_address()}, {en.city()}, {en.state_abbr()} {en.zipcode()}",
             ["address", "postal_code"]),
            (f"Email: {en.email()}", ["email"]),
            (f"SSN: {en.ssn()}", ["government_id"]),
            (f"Credit card: {en.credit_card_number()}", ["payment_card"]),
            (f"Date of birth: {en.date_of_birth().strftime(g.r.choice(['%m/%d/%Y', '%B %d, %Y', '%Y-%m-%d']))}", ["birth_date"]),
            (f"Order {en.random_number(digits=8, fix_len=True)} shipped on {en.date_this_year()}", []),
        ]

    return [doc_faker_ja, doc_faker_en]


# ----------------------------------------------------------------------------
# CAD drawings (floor plans and other drawings), written byte by byte from the
# formats' published layouts (../shared/reference/japan-formats.md §7).

PLAN_LAYERS = ["壁", "建具", "室名"]
PLAN_TEXTS = ["1階平面図", "洋室 6帖", "LDK 16帖", "玄関", "浴室", "縮尺 1/100"]


def title_block(g):
    """Owner, site and phone of a title block, with the categories each holds."""
    return [(f"施主 {g.name()} 様", ["name"]),
            (f"建築地 {g.address().split(' ')[0]}", ["address"]),
            (f"TEL {g.phone()}", ["phone"])]


def dxf_ascii(layers, texts, version="AC1032", codepage="ANSI_1252", escape=False):
    """Returns DXF lines and, per text, the 1-based line its value sits on."""
    def esc(text):
        return "".join(c if ord(c) < 128 else f"\\U+{ord(c):04X}" for c in text) if escape else text
    lines = ["999", "piimap synthetic drawing", "0", "SECTION", "2", "HEADER",
             "9", "$ACADVER", "1", version, "9", "$DWGCODEPAGE", "3", codepage,
             "0", "ENDSEC", "0", "SECTION", "2", "TABLES", "0", "TABLE", "2", "LAYER"]
    for name in layers:
        lines += ["0", "LAYER", "2", esc(name), "70", "0"]
    lines += ["0", "ENDTAB", "0", "ENDSEC", "0", "SECTION", "2", "ENTITIES"]
    at = []
    for i, (text, layer) in enumerate(texts):
        lines += ["0", "TEXT", "8", esc(layer), "10", f"{100 + i * 10}.0", "20", "50.0", "40", "2.5", "1", esc(text)]
        at.append(len(lines))
        lines += ["0", "LINE", "8", esc(layer), "10", "0.0", "20", "0.0", "11", "910.0", "21", "0.0"]
    lines += ["0", "ENDSEC", "0", "EOF"]
    return lines, at


def dxf_binary(texts):
    import struct
    out = bytearray(b"AutoCAD Binary DXF\r\n\x1a\x00")

    def tag(code, value):
        out.extend(struct.pack("<H", code))
        if isinstance(value, float):
            out.extend(struct.pack("<d", value))
        else:
            out.extend(value.encode("utf-8") + b"\x00")
    for c, v in [(0, "SECTION"), (2, "HEADER"), (9, "$ACADVER"), (1, "AC1032"), (0, "ENDSEC"),
                 (0, "SECTION"), (2, "ENTITIES")]:
        tag(c, v)
    for i, (text, layer) in enumerate(texts):
        tag(0, "TEXT"); tag(8, layer); tag(10, 100.0 + i); tag(20, 50.0); tag(30, 0.0); tag(40, 2.5); tag(1, text)
    tag(0, "ENDSEC"); tag(0, "EOF")
    return bytes(out)


def jww(layers, texts):
    """A Jw_cad 7.00 file as its readers see it: the signature, the version,
    then MFC CStrings (FF FE FF, a length, UTF-16LE) among binary numbers."""
    import struct

    def cstring(s):
        return b"\xff\xfe\xff" + bytes([len(s)]) + s.encode("utf-16-le")
    out = bytearray(b"JwwData." + struct.pack("<I", 700))
    out += cstring("")
    out += struct.pack("<I", 3) + bytes(16 * 16)
    for name in layers:
        out += cstring(name) + struct.pack("<ddI", 0.0, 1.0, 0)
    for text in texts:
        out += struct.pack("<dddd", 100.0, 50.0, 2.5, 0.0) + cstring(text)
    return bytes(out)


def step_file(schema, description, entities, escape):
    def q(s):
        if not escape:
            return s.replace("'", "''")
        return "".join(c if ord(c) < 128 else f"\\X2\\{ord(c):04X}\\X0\\" for c in s.replace("'", "''"))
    lines = ["ISO-10303-21;", "HEADER;", f"FILE_DESCRIPTION(('{description}'),'2;1');",
             "FILE_NAME('drawing','2024-01-01T00:00:00',('piimap'),('synthetic'),'','','');",
             f"FILE_SCHEMA(('{schema}'));", "ENDSEC;", "DATA;"]
    at = []
    for i, (fmt, value) in enumerate(entities):
        lines.append(fmt.format(n=10 + i, v=q(value)))
        at.append(len(lines))
    lines += ["ENDSEC;", "END-ISO-10303-21;"]
    return lines, at


def p21_lines(layers, texts, escape=True):
    """An SXF AP202 file (P21): layer assignments, then text literals."""
    ents = [("#{n}=PRESENTATION_LAYER_ASSIGNMENT('{v}','',());", l) for l in layers]
    ents += [("#{n}=TEXT_LITERAL_WITH_EXTENT('','{v}',#1,'',.LEFT.,#2,#3);", t) for t in texts]
    return step_file("ASSOCIATIVE_DRAUGHTING", "SCADEC level2 AP202_mode", ents, escape=escape)


def cad_fixtures(root, g, truth):
    os.makedirs(os.path.join(root, "cad"), exist_ok=True)

    def put(rel, data, rows):
        with open(os.path.join(root, rel), "wb") as f:
            f.write(data)
        truth.extend((rel, line, cat) for line, cat in rows)

    def plan_texts():
        block = title_block(g)
        texts = [(t, "室名") for t in PLAN_TEXTS] + [(t, "図枠") for t, _ in block]
        cats = [[] for _ in PLAN_TEXTS] + [c for _, c in block]
        return texts, cats

    # DXF text in three code pages: UTF-8 (R2018), CP932 (R2000) and \U+ escapes.
    for rel, version, codepage, encoding, escape in [
        ("cad/house_utf8.dxf", "AC1032", "ANSI_1252", "utf-8", False),
        ("cad/house_cp932.dxf", "AC1015", "ANSI_932", "cp932", False),
        ("cad/house_escaped.dxf", "AC1015", "ANSI_1252", "ascii", True),
    ]:
        texts, cats = plan_texts()
        lines, at = dxf_ascii(PLAN_LAYERS + ["図枠"], texts, version, codepage, escape)
        rows = [(at[i], c) for i, cs in enumerate(cats) for c in cs] + [(0, "floor_plan")]
        put(rel, ("\r\n".join(lines) + "\r\n").encode(encoding), rows)

    texts, cats = plan_texts()
    put("cad/house_binary.dxf", dxf_binary(texts),
        [(0, c) for cs in cats for c in cs] + [(0, "floor_plan")])
    texts, cats = plan_texts()
    put("cad/house.jww", jww(PLAN_LAYERS, [t for t, _ in texts]),
        [(0, c) for cs in cats for c in cs] + [(0, "floor_plan")])

    # SXF: SFC (feature comments, raw CP932) and P21 (AP202 entities, \X2\ escapes).
    texts, cats = plan_texts()
    ents = [("/*SXF #{n} = layer_feature('{v}','1') SXF*/", l) for l in PLAN_LAYERS]
    ents += [("/*SXF #{n} = text_string_feature('4','1','1','{v}','100.0','50.0','2.5') SXF*/", t) for t, _ in texts]
    lines, at = step_file("ASSOCIATIVE_DRAUGHTING", "SCADEC level2 feature_mode", ents, escape=False)
    put("cad/house.sfc", ("\n".join(lines) + "\n").encode("cp932"),
        [(at[len(PLAN_LAYERS) + i], c) for i, cs in enumerate(cats) for c in cs] + [(0, "floor_plan")])
    texts, cats = plan_texts()
    lines, at = p21_lines(PLAN_LAYERS, [t for t, _ in texts])
    put("cad/house.p21", ("\n".join(lines) + "\n").encode("ascii"),
        [(at[len(PLAN_LAYERS) + i], c) for i, cs in enumerate(cats) for c in cs] + [(0, "floor_plan")])

    # The same P21 zipped (.p2z): its text has no line numbers in the archive.
    import io
    import zipfile
    texts, cats = plan_texts()
    lines, _ = p21_lines(PLAN_LAYERS, [t for t, _ in texts])
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        info = zipfile.ZipInfo("house.p21", date_time=(2024, 1, 1, 0, 0, 0))
        info.compress_type = zipfile.ZIP_DEFLATED
        z.writestr(info, "\n".join(lines) + "\n")
    put("cad/house.p2z", buf.getvalue(), [(0, c) for cs in cats for c in cs] + [(0, "floor_plan")])

    # Jw_cad for DOS: the signature, then CP932 strings between binary records.
    texts, cats = plan_texts()
    body = b"jw_cad(c)data" + bytes(27)
    for text in PLAN_LAYERS + [t for t, _ in texts]:
        body += b"\x01\x00\x10\x00" + text.encode("cp932") + b"\x00"
    put("cad/house.jwc", body, [(0, c) for cs in cats for c in cs] + [(0, "floor_plan")])

    # IFC: spaces named like rooms, the owner and the site address.
    address = g.address().split(" ")[0]
    ents = [("#{n}=IFCBUILDINGSTOREY('0001',$,'{v}',$,$,$,$,$,.ELEMENT.,0.);", "1階平面図")]
    ents += [("#{n}=IFCSPACE('000{n}',$,'{v}',$,$,$,$,$,.ELEMENT.,.INTERNAL.,$);", r) for r in ["洋室", "LDK", "玄関", "浴室"]]
    ents += [("#{n}=IFCPERSON($,'{v}','Taro',$,$,$,$,$);", "Yamada")]
    ents += [("#{n}=IFCPOSTALADDRESS(.HOME.,$,$,$,('{v}'),$,$,$,$,'JP');", address)]
    lines, at = step_file("IFC4", "ViewDefinition [CoordinationView]", ents, escape=True)
    put("cad/house.ifc", ("\n".join(lines) + "\n").encode("ascii"),
        [(at[-2], "name"), (at[-1], "address"), (0, "floor_plan")])

    # IFC by its model alone: an English-named house (rooms, walls, doors,
    # windows, residential occupancy), and an office that is not a home.
    def model(spaces, occupancy):
        ents = [("#{n}=IFCBUILDING('0002',$,'{v}',$,$,$,$,$,.ELEMENT.,$,$,$);", "Building")]
        ents += [("#{n}=IFCBUILDINGSTOREY('0003',$,'{v}',$,$,$,$,$,.ELEMENT.,0.);", "1F")]
        ents += [("#{n}=IFCSPACE('S{n}',$,'{v}',$,$,$,$,$,.ELEMENT.,.INTERNAL.,$);", r) for r in spaces]
        ents += [("#{n}=IFCWALLSTANDARDCASE('W{n}',$,'{v}',$,$,$,$,$);", "Wall") for _ in range(4)]
        ents += [("#{n}=IFCDOOR('D{n}',$,'{v}',$,$,$,$,$,2.1,0.9);", "Door"), ("#{n}=IFCWINDOW('G{n}',$,'{v}',$,$,$,$,$,1.2,1.6);", "Window")]
        ents += [("#{n}=IFCPROPERTYSINGLEVALUE('OccupancyType',$,IFCLABEL('{v}'),$);", occupancy)]
        lines, _ = step_file("IFC2X3", "ViewDefinition [CoordinationView]", ents, escape=True)
        return ("\n".join(lines) + "\n").encode("ascii")
    put("cad/house_en.ifc", model(["Living", "Bedroom 1", "Kitchen", "Bath"], "Residential"), [(0, "floor_plan")])
    os.makedirs(os.path.join(root, "cad/negative"), exist_ok=True)
    put("cad/negative/office.ifc", model(["Open plan", "Meeting room", "Reception"], "Office"), [])

    # Not floor plans: a mechanical part, an elevation, a site plan, lines only.
    for rel, layers, texts in [
        ("cad/negative/part.dxf", ["0", "外形"], [("部品図 ブラケット", "0"), ("公差 ±0.05", "0"), ("M6 ボルト 4本", "0")]),
        ("cad/negative/elevation.dxf", ["壁", "窓"], [("南立面図", "壁"), ("GL", "壁")]),
        ("cad/negative/site.dxf", ["敷地"], [("配置図", "敷地"), ("道路", "敷地"), ("隣地境界線", "敷地")]),
        ("cad/negative/lines_only.dxf", ["0"], []),
    ]:
        os.makedirs(os.path.join(root, "cad/negative"), exist_ok=True)
        lines, _ = dxf_ascii(layers, texts)
        put(rel, ("\n".join(lines) + "\n").encode("utf-8"), [])
    # An image whose name says it all (1 × 1 pixel: too small to read). DWG
    # drawings are written by tests/integration/dwg.rs (fixtures/dwg).
    put(f"cad/{g.r.choice(SURNAMES)}様邸_間取り図.png", tiny_png(), [(0, "floor_plan")])


def tiny_png():
    """A valid PNG of one white pixel: an icon, too small to hold text."""
    def chunk(name, data):
        body = name + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))
    header = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\x00\xff"))
            + chunk(b"IEND", b""))


def write_doc(root, rel, lines, truth, encoding="utf-8"):
    path = os.path.join(root, rel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    text = "\n".join(t for t, _ in lines) + "\n"
    if encoding == "euc_jp":
        # EUC-JP has no U+FF0D; its full-width minus decodes to U+2212.
        text = text.replace("\uff0d", "\u2212")
    with open(path, "wb") as f:
        if encoding == "utf-16":
            f.write(text.encode("utf-16"))  # with BOM
        else:
            f.write(text.encode(encoding))
    for i, (_, cats) in enumerate(lines, start=1):
        for c in cats:
            truth.append((rel, i, c))



# Documents: each builder returns (relative path, bytes, [(line, category, where)]),
# `where` being "" or "sheet:NAME", "page:N", "slide:N" (scripts/eval.py).

def excel_date(y, m, d):
    """The 1900-system serial of a date (what Excel stores)."""
    import datetime
    return (datetime.date(y, m, d) - datetime.date(1899, 12, 30)).days


def birth_parts(g):
    return g.r.randrange(1950, 2004), g.r.randrange(1, 13), g.r.randrange(1, 29)


def kana_of(name):
    """A plausible katakana reading column value (the generator's names are
    common; the reading need not match)."""
    return "ヤマダ タロウ" if " " in name or "　" in name else "サトウ ハナコ"


def docset_csv_sjis(g, rel, encoding="cp932", sep=","):
    """An Excel CSV export: CP932, CRLF, every field quoted, digits-only
    phones and My Numbers recognised by their column headers (the held-out
    corpus varies the encoding and the separator)."""
    lines = [sep.join(f'"{h}"' for h in ["顧客ID", "氏名", "フリガナ", "電話番号", "個人番号", "生年月日", "備考"])]
    rows = []
    for i in range(g.r.randrange(3, 6)):
        y, m, d = birth_parts(g)
        name = g.person()
        lines.append(sep.join(f'"{v}"' for v in [f"C{g.digits(6)}", name, kana_of(name), g.mobile().replace("-", ""),
                                                  g.my_number(), f"{y}/{m:02d}/{d:02d}", "駐車場あり, 要連絡"]))
        rows += [(i + 2, c, "") for c in ["name", "name", "phone", "my_number", "birth_date"]]
    return rel, ("\r\n".join(lines) + "\r\n").encode(encoding), rows


def docset_tsv_utf16(g, rel):
    """Excel's "Unicode text": UTF-16LE with BOM, tab-separated, a .txt name."""
    lines = ["氏名\tメールアドレス\t電話番号"]
    rows = []
    for i in range(g.r.randrange(2, 5)):
        lines.append(f"{g.person()}\t{g.email()}\t{g.mobile()}")
        rows += [(i + 2, c, "") for c in ["name", "email", "phone"]]
    return rel, ("\r\n".join(lines) + "\r\n").encode("utf-16"), rows


def docset_xlsx(g, rel):
    """A workbook: a title row above the table, dates stored as serial
    numbers, and a second sheet with a note in one cell."""
    table = [["顧客一覧（2024年4月）"], [], ["氏名", "生年月日", "電話番号", "メールアドレス", "性別"]]
    rows = []
    for i in range(g.r.randrange(2, 5)):
        y, m, d = birth_parts(g)
        table.append([g.person(), ("date", excel_date(y, m, d)), g.mobile(),
                      g.email(), g.r.choice(["男", "女"])])
        rows += [(len(table), c, "sheet:顧客") for c in ["name", "birth_date", "phone", "email", "gender"]]
    name = g.person()
    memo = [[f"担当：{name} 様　連絡先 {g.mobile()}"]]
    rows += [(1, "name", "sheet:メモ"), (1, "phone", "sheet:メモ")]
    return rel, docfmt.xlsx([("顧客", table), ("メモ", memo)]), rows


def docset_xlsx_form(g, rel):
    """An application form laid out down the sheet, as Japanese Excel forms
    are: a title, then a label cell and a value cell per row."""
    y, m, d = birth_parts(g)
    rows = [["サービス申込書"], [], ["氏名", g.person()], ["フリガナ", "ヤマダ タロウ"],
            ["生年月日", ("date", excel_date(y, m, d))], ["電話番号", g.mobile()], ["メールアドレス", g.email()],
            ["住所", g.address()], ["備考", "特になし"]]
    truth = [(3, "name", "sheet:申込書"), (4, "name", "sheet:申込書"), (5, "birth_date", "sheet:申込書"),
             (6, "phone", "sheet:申込書"), (7, "email", "sheet:申込書"), (8, "address", "sheet:申込書")]
    return rel, docfmt.xlsx([("申込書", rows)]), truth


def docset_xlsx_as_csv(g, rel):
    """A workbook saved under a .csv name: read by its content."""
    table = [["氏名", "住所"]]
    rows = []
    for _ in range(2):
        table.append([g.person(), g.address()])
        rows += [(len(table), c, "sheet:Sheet1") for c in ["name", "address"]]
    return rel, docfmt.xlsx([("Sheet1", table)]), rows


def docset_ods(g, rel):
    table = [["氏名", "郵便番号", "住所", "電話番号"]]
    rows = []
    for _ in range(g.r.randrange(2, 4)):
        table.append([g.person(), g.postal(), g.address(), g.mobile()])
        rows += [(len(table), c, "sheet:会員") for c in ["name", "postal_code", "address", "phone"]]
    return rel, docfmt.ods([("会員", table)]), rows


def docset_docx(g, rel):
    """A contract: labelled paragraphs, a two-column form table, a page
    header and a comment (the header and comment follow the body after a
    blank line each)."""
    paras = ["工事請負契約書", f"契約者：{g.name()} 様", f"設置場所：{g.address()}", "",
             [["氏名", g.person()], ["電話番号", g.mobile()]], "以上"]
    rows = [(2, "name", ""), (3, "address", ""), (5, "name", ""), (6, "phone", "")]
    header = f"担当：{g.person()}　{g.mobile()}"
    rows += [(9, "name", ""), (9, "phone", ""), (11, "email", "")]
    return rel, docfmt.docx(paras, header=header, comment=f"確認先 {g.email()}"), rows


def docset_pptx(g, rel):
    slides = [(["サービス説明会のご案内", f"お問い合わせ：{g.mobile()}"], None),
              (["参加者", f"受付担当：{g.name()} 様"], [f"連絡先 {g.email()}"])]
    rows = [(2, "phone", "slide:1"), (2, "name", "slide:2"), (4, "email", "slide:2")]
    return rel, docfmt.pptx(slides), rows


def docset_odt(g, rel):
    paras = ["訪問報告書", f"訪問先：{g.address()}",
             [["氏名", g.person()], ["電話", g.mobile()]]]
    rows = [(2, "address", ""), (3, "name", ""), (4, "phone", ""), (6, "email", "")]
    return rel, docfmt.odt(paras, header=f"作成者 {g.email()}"), rows


def docset_pdf(g, rel):
    """Page 1 a form, page 2 a drawing only (no text layer), page 3 English."""
    first, last = g.r.choice(EN_FIRST), g.r.choice(EN_LAST)
    pages = [["サービス申込書", f"お名前：{g.name()} 様", f"住所：{g.address()}", f"電話番号：{g.mobile()}",
              f"メール：{g.email()}"], None,
             [f"Customer: {first} {last}", f"Phone: +1 {g.r.randrange(201, 989)} 555 {g.digits(4)}"]]
    rows = [(2, "name", "page:1"), (3, "address", "page:1"), (4, "phone", "page:1"), (5, "email", "page:1"),
            (1, "name", "page:3"), (2, "phone", "page:3")]
    return rel, docfmt.pdf(pages), rows


def docset_eml(g, rel):
    """ISO-2022-JP mail: an encoded-word sender name, a base64 body."""
    local = g.r.choice(ROMAJI_GIVEN) + "." + g.r.choice(ROMAJI_SURNAMES)
    body = ["いつもお世話になっております。", f"携帯：{g.mobile()}", "よろしくお願いいたします。"]
    data = docfmt.eml(g.person(), f"{local}@example.co.jp",
                      "uketsuke@example.co.jp", "工事日程のご相談", body)
    rows = [(1, "name", ""), (1, "email", ""), (2, "email", ""), (6, "phone", "")]
    return rel, data, rows


def docset_ndjson(g, rel):
    lines, rows = [], []
    for i in range(3):
        lines.append('{"id": %d, "name": "%s", "tel": "%s", "email": "%s"}'
                     % (i + 1, g.person(), g.mobile().replace("-", ""), g.email()))
        rows += [(i + 1, c, "") for c in ["name", "phone", "email"]]
    return rel, ("\n".join(lines) + "\n").encode(), rows


def docset_xml(g, rel):
    lines = ['<?xml version="1.0" encoding="UTF-8"?>', "<customers>"]
    rows = []
    for _ in range(2):
        lines.append(f'<customer><name>{g.person()}</name>'
                     f"<tel>{g.mobile()}</tel><mail>{g.email()}</mail></customer>")
        rows += [(len(lines), c, "") for c in ["name", "phone", "email"]]
    lines.append("</customers>")
    return rel, ("\n".join(lines) + "\n").encode(), rows


def docset_sql(g, rel):
    """A mysqldump (CREATE TABLE, then all rows in one INSERT line) and a
    pg_dump COPY block."""
    lines = ["-- synthetic dump", "CREATE TABLE `customers` (", "  `id` int NOT NULL,", "  `tel` varchar(20) DEFAULT NULL,",
             "  `email` varchar(128) DEFAULT NULL,", "  PRIMARY KEY (`id`)", ");"]
    tuples = [f"({i},'{g.mobile()}','{g.email()}')" for i in range(1, 4)]
    lines.append("INSERT INTO `customers` VALUES " + ",".join(tuples) + ";")
    rows = [(len(lines), c, "") for _ in tuples for c in ["phone", "email"]]
    lines.append("COPY public.members (id, email, tel) FROM stdin;")
    for i in range(2):
        lines.append(f"{i + 1}\t{g.email()}\t{g.mobile()}")
        rows += [(len(lines), c, "") for c in ["email", "phone"]]
    lines.append("\\.")
    return rel, ("\n".join(lines) + "\n").encode(), rows


MEMBER_GENDERS = ["男性", "女性", "男", "女", "Male", "Female", "M", "F", "male", "female"]
MEMBER_JOBS = ["会社員", "公務員", "自営業", "看護師", "パート", "学生", "Engineer", "Teacher", "Sales manager"]


def member(g):
    """One member record under keys: name, gender, birth date (ISO or
    Japanese), occupation and postal code (with or without its hyphen)."""
    y, m, d = g.r.randrange(1940, 2005), g.r.randrange(1, 13), g.r.randrange(1, 29)
    birth = g.r.choice([f"{y}-{m:02d}-{d:02d}", f"{y}/{m:02d}/{d:02d}", f"{y}年{m}月{d}日"])
    postal = g.postal()
    if g.r.random() < 0.5:
        postal = postal.replace("-", "")
    return g.person(), g.r.choice(MEMBER_GENDERS), birth, g.r.choice(MEMBER_JOBS), postal


def address_parts(g):
    """An address split as customer databases keep it: prefecture, city,
    and the rest (town and house number)."""
    pref, city, towns = g.r.choice(PLACES)
    num = g.r.choice([f"{g.r.randrange(1, 9)}-{g.r.randrange(1, 30)}-{g.r.randrange(1, 20)}",
                      f"{g.r.randrange(1, 9)}丁目{g.r.randrange(1, 30)}番{g.r.randrange(1, 20)}号"])
    return pref, city, g.r.choice(towns) + num


# The categories of a member's values, in member()'s order.
MEMBER = ["name", "gender", "birth_date", "occupation", "postal_code"]


def docset_keyed(g, rel):
    """Member records whose keys alone say what their values are (no label,
    no keyword): pretty-printed JSON, YAML, XML and an SQL dump with an
    INSERT column list and a COPY block. [(rel, bytes, rows)]."""
    files = []
    keys = ["name", "sex", "dob", "job", "zip"]
    lines = ["["]
    rows = []
    for i in range(2):
        lines.append("  {")
        lines.append(f'    "id": {i + 1},')
        for k, v, c in zip(keys, member(g), MEMBER):
            lines.append(f'    "{k}": "{v}",')
            rows.append((len(lines), c, ""))
        lines.append('    "active": true')
        lines.append("  }," if i == 0 else "  }")
    lines.append("]")
    files.append((f"{rel}.json", ("\n".join(lines) + "\n").encode(), rows))
    keys = ["name", "gender", "birth_date", "occupation", "postal_code"]
    lines, rows = ["members:"], []
    for _ in range(2):
        for j, (k, v, c) in enumerate(zip(keys, member(g), MEMBER)):
            quoted = f'"{v}"' if c == "postal_code" else v
            lines.append(("  - " if j == 0 else "    ") + f"{k}: {quoted}")
            rows.append((len(lines), c, ""))
    files.append((f"{rel}.yaml", ("\n".join(lines) + "\n").encode(), rows))
    keys = ["name", "gender", "birthday", "occupation", "postcode"]
    lines, rows = ['<?xml version="1.0" encoding="UTF-8"?>', "<members>"], []
    for _ in range(2):
        lines.append("<member>" + "".join(f"<{k}>{v}</{k}>" for k, v in zip(keys, member(g))) + "</member>")
        rows += [(len(lines), c, "") for c in MEMBER]
    lines.append("</members>")
    files.append((f"{rel}.xml", ("\n".join(lines) + "\n").encode(), rows))
    lines, rows = ["-- synthetic dump"], []
    tuples = []
    for i in range(2):
        tuples.append(f"({i + 1}," + ",".join(f"'{v}'" for v in member(g) + address_parts(g)) + ")")
    lines.append("INSERT INTO `members` (`id`, `full_name`, `gender`, `birth_date`, `occupation`, `zip`, "
                 "`pref`, `city`, `street`) VALUES " + ",".join(tuples) + ";")
    rows += [(len(lines), c, "") for _ in tuples for c in MEMBER + ["address"]]
    lines.append("COPY public.people (id, name, sex, dob, job, postcode) FROM stdin;")
    for i in range(2):
        lines.append(f"{i + 1}\t" + "\t".join(member(g)))
        rows += [(len(lines), c, "") for c in MEMBER]
    lines.append("\\.")
    files.append((f"{rel}.sql", ("\n".join(lines) + "\n").encode(), rows))
    lines, rows = ["顧客ID,氏名,都道府県,市区町村,番地,建物名"], []
    for i in range(3):
        building = g.r.choice(BUILDINGS) + f"{g.r.randrange(1, 12)}0{g.r.randrange(1, 9)}号室" if i == 1 else ""
        lines.append(",".join([f"C{i + 1:04d}", g.person(), *address_parts(g), building]))
        rows += [(len(lines), c, "") for c in ["name", "address"]]
    files.append((f"{rel}_address.csv", ("\n".join(lines) + "\n").encode(), rows))
    return files


def tar_gz(members):
    import io, tarfile, gzip
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=tarfile.USTAR_FORMAT) as t:
        for name, data in members:
            info = tarfile.TarInfo(name)
            info.size, info.mtime = len(data), 1711929600
            t.addfile(info, io.BytesIO(data))
    return gzip.compress(buf.getvalue(), mtime=0)


def zip_of(members):
    import io, zipfile
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members:
            info = zipfile.ZipInfo(name, date_time=(2024, 4, 1, 9, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, data)
    return buf.getvalue()


def document_set(g, prefix, pdf=True, vary=None):
    """One of each document format under `prefix`, plus a zip and a
    .tar.gz holding some of them again: [(rel, bytes, rows)]. `vary` (a
    Random) picks the CSV's encoding and separator."""
    csv = docset_csv_sjis
    if vary:
        enc, sep = vary.choice(["cp932", "utf-8", "utf-8-sig", "utf-16", "euc_jp"]), vary.choice([",", ";", "\t"])
        csv = lambda g, rel: docset_csv_sjis(g, rel, enc, sep)  # noqa: E731
    builders = [(csv, "kokyaku_excel.csv"), (docset_tsv_utf16, "meibo_unicode.txt"),
                (docset_xlsx, "kokyaku.xlsx"), (docset_xlsx_as_csv, "hikitsugi.csv"), (docset_ods, "kaiin.ods"),
                (docset_docx, "keiyakusho.docx"), (docset_pptx, "setsumeikai.pptx"), (docset_odt, "houkokusho.odt"),
                (docset_eml, "toiawase.eml"), (docset_ndjson, "customers.ndjson"), (docset_xml, "export.xml"),
                (docset_sql, "dump.sql")]
    if pdf:
        builders.append((docset_pdf, "moushikomisho.pdf"))
    files = [b(g, f"{prefix}{name}") for b, name in builders]
    inner = [b(g, name) for b, name in [(docset_xlsx, "meibo.xlsx"), (docset_csv_sjis, "kokyaku.csv")]]
    files.append((f"{prefix}shorui.zip", zip_of([(f"2024/{n}", d) for n, d, _ in inner]),
                  [(f"!2024/{n}", rows) for n, _, rows in inner]))
    inner = [b(g, name) for b, name in [(docset_docx, "keiyaku.docx"), (docset_ndjson, "log.ndjson")]]
    files.append((f"{prefix}backup.tar.gz", tar_gz([(f"backup/{n}", d) for n, d, _ in inner]),
                  [(f"!backup/{n}", rows) for n, _, rows in inner]))
    # Last, so that the values drawn before stay those of earlier fixtures.
    files.append(docset_xlsx_form(g, f"{prefix}moushikomi_form.xlsx"))
    files += docset_keyed(g, f"{prefix}members")
    return files


def write_set(root, files, truth):
    """Writes a document set and appends its truth rows (path, line, category, where)."""
    for rel, data, rows in files:
        path = os.path.join(root, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        if data:  # empty: a PDF left out (--no-pdf)
            with open(path, "wb") as f:
                f.write(data)
        for row in rows:
            if isinstance(row[0], str):  # an archive's member: (suffix, member rows)
                suffix, member_rows = row
                for line, cat, where in member_rows:
                    truth.append((rel + suffix, line, cat, where))
            else:
                line, cat, where = row
                truth.append((rel, line, cat, where))


def names_fixtures():
    """One line per name form, and look-alikes that are no one's name."""
    forms = [
        ("氏名：山田太郎", ["name"]),                                # label, no space
        ("お名前：佐藤 花子 様", ["name"]),                          # label and honorific
        ("高橋様より、お問い合わせがありました。", ["name"]),         # honorific, surname alone
        ("担当：渡辺", ["name"]),                                    # label, surname alone
        ("氏名（漢字）：勅使河原 宏", ["name"]),                      # rare surname
        ("フリガナ：ヤマダ タロウ", ["name"]),                        # katakana reading
        ("ふりがな：さとう はなこ", ["name"]),                        # hiragana reading
        ("口座名義：ﾀｶﾊｼ ｲﾁﾛｳ", ["name"]),                            # half-width holder
        ("Contact Taro Yamada about the installation.", ["name"]),  # romaji, given name first
        ("YAMADA Hanako", ["name"]),                                # romaji, surname first
        ("Customer: John Smith", ["name"]),                         # English, labelled
        ("Please call Mary A. Johnson tomorrow.", ["name"]),        # English, middle initial
        ("Dear Dr. Emily Clark,", ["name"]),                        # title
    ]
    negatives = [
        ("株式会社山田商事 御中", []),
        ("口座名義：ｶ)ﾔﾏﾀﾞｼﾖｳｼﾞ", []),
        ("会社名：佐藤建設株式会社", []),
        ("お客様各位、皆様へのお知らせです。", []),
        ("千葉県千葉市中央区の工事は来週です。", []),
        ("taro_yamada = load_user(user.Name)", []),
        ("The May Day parade starts at Grant Park.", []),
        ("Sales Manager meeting at The Grand Hotel", []),
        ("三井住友銀行 渋谷支店", []),
    ]
    header = ("氏名,フリガナ,口座名義,メモ", [])
    rows = [
        ("中村 翔,ナカムラ ショウ,ﾅｶﾑﾗ ｼﾖｳ,新規", ["name", "name", "name"]),
        ("小林 結衣,コバヤシ ユイ,ｶ)ｺﾊﾞﾔｼｺｳｷﾞﾖｳ,法人口座", ["name", "name"]),
    ]
    return forms, negatives, [header] + rows


def identify_fixtures():
    """Records that identify a person in combination, or only when collated."""
    # Birth date, gender and postal code without a name: one survey answer
    # per paragraph.
    survey = []
    for birth, gender, postal in [("1985年4月1日", "女性", "150-0002"), ("1979年11月23日", "男性", "530-0001")]:
        survey += [(f"生年月日：{birth}", ["birth_date"]), (f"性別：{gender}", ["gender"]),
                   (f"〒{postal}", ["postal_code"]), ("", [])]
    # One customer per line, all in one paragraph: a list, one record a line.
    listing = [(f"{n} {m}@docomo.ne.jp", ["name", "email"]) for n, m in
               [("Taro Yamada", "taro.yamada"), ("Hanako Sato", "hanako.sato"), ("Taro Yamada", "taro.yamada")]]
    return survey[:-1], [("〒150-0002", ["postal_code"])], listing


def purposes_fixtures(g):
    """Files in folders the default location rules assign to purposes, each
    inside or outside its purposes."""
    people = [(g.name(), g.email(), g.address()) for _ in range(3)]
    # Marketing may use names, addresses, phones and e-mail, not accounts.
    dm = [("氏名,メールアドレス,住所,口座番号", [])] + [
        (f"{n},{e},{a},{g.digits(7)}", ["name", "email", "address", "bank_account"]) for n, e, a in people]
    # Billing: the holder and the account.
    billing = [("口座名義,口座番号", [])] + [
        (f"{n},{g.digits(7)}", ["name", "bank_account"]) for n, _, _ in people]
    # Statistics wants de-identified data: attributes only are fine, names are not.
    stats_ok = [("郵便番号,性別,生年月日", [])] + [
        (f"{g.postal()},{g.r.choice(['男', '女'])},{g.birth()}", ["postal_code", "gender", "birth_date"]) for _ in range(3)]
    stats_raw = [("氏名,郵便番号,性別", [])] + [
        (f"{n},{g.postal()},{g.r.choice(['男', '女'])}", ["name", "postal_code", "gender"]) for n, _, _ in people]
    return dm, billing, stats_ok, stats_raw


def fixtures(root):
    g = Gen(1)
    truth = []
    form = doc_ja_form(g)
    # One Japanese form in five encodings: the same findings at the same lines.
    write_doc(root, "ja/moushikomi_utf8.txt", form, truth)
    write_doc(root, "ja/moushikomi_sjis.txt", form, truth, "cp932")
    write_doc(root, "ja/moushikomi_eucjp.txt", form, truth, "euc_jp")
    write_doc(root, "ja/moushikomi_utf16.txt", form, truth, "utf-16")
    write_doc(root, "ja/moushikomi_iso2022jp.txt", form, truth, "iso2022_jp")
    write_doc(root, "ja/koji_mail.txt", doc_ja_mail(g), truth)
    write_doc(root, "ja/honnin_kakunin.txt", doc_ja_ids(g), truth)
    write_doc(root, "ja/kokyaku.csv", doc_csv(g), truth, "cp932")
    write_doc(root, "en/customer.txt", doc_en(g), truth)
    write_doc(root, "negative/lookalikes.txt", doc_lookalikes(g), truth)
    write_doc(root, "negative/lookalikes_hard.txt", doc_lookalikes_hard(g), truth)
    write_doc(root, ".hidden/notes.txt", [("memo", []), (f"tel {g.mobile()}", ["phone"])], truth)
    cad_fixtures(root, g, truth)
    forms, negatives, table = names_fixtures()
    write_doc(root, "names/forms.txt", forms, truth)
    write_doc(root, "names/negative.txt", negatives, truth)
    write_doc(root, "names/accounts.csv", table, truth, "cp932")
    survey, postal, listing = identify_fixtures()
    write_doc(root, "identify/survey.txt", survey, truth)
    write_doc(root, "identify/postal_only.txt", postal, truth)
    write_doc(root, "identify/customers.txt", listing, truth)
    dm, billing, stats_ok, stats_raw = purposes_fixtures(g)
    write_doc(root, "purposes/marketing/dm_list.csv", dm, truth)
    write_doc(root, "purposes/billing/koza_furikae.csv", billing, truth)
    write_doc(root, "purposes/統計/shukei.csv", stats_ok, truth)
    write_doc(root, "purposes/統計/motodata.csv", stats_raw, truth)
    with open(os.path.join(root, "negative/logo.png"), "wb") as f:
        f.write(tiny_png())
    truth = [(rel, line, cat, "") for rel, line, cat in truth]
    write_set(root, document_set(Gen(4), "documents/"), truth)
    with open(os.path.join(root, "expected.tsv"), "w") as f:
        f.write("# path\tline\tcategory[\twhere] — written by scripts/synth.py fixtures; do not edit by hand\n")
        for rel, line, cat, where in sorted(truth):
            f.write(f"{rel}\t{line}\t{cat}" + (f"\t{where}" if where else "") + "\n")


def corpus(root, docs, seed, faker=False):
    g = Gen(seed)
    truth = []
    builders = BUILDERS + (faker_builders(seed) if faker else [])
    for i in range(docs):
        builder = g.r.choice(builders)
        lines = builder(g)
        ext = ".csv" if builder in (doc_csv, doc_csv_en) else ".log" if builder is doc_log else ".txt"
        japanese = builder in (doc_ja_form, doc_ja_mail, doc_ja_ids, doc_lookalikes, doc_csv, doc_ja_prose,
                               doc_lookalikes_hard, doc_ja_more, doc_signature)
        enc = g.r.choice(["utf-8", "utf-8", "utf-8", "cp932", "euc_jp"]) if japanese else "utf-8"
        write_doc(root, f"d{i // 100:03d}/doc{i:05d}{ext}", lines, truth, enc)
    with open(os.path.join(root, "truth.tsv"), "w") as f:
        for rel, line, cat in sorted(truth):
            f.write(f"{rel}\t{line}\t{cat}\n")


class VariedGen(Gen):
    """Values from Faker (ja_JP) half the time: names and addresses the
    fixture generator never draws."""

    def __init__(self, seed):
        super().__init__(seed)
        from faker import Faker
        self.fake = Faker("ja_JP")
        self.fake.seed_instance(seed)

    def person(self):
        if self.r.random() < 0.5:
            return f"{self.fake.last_name()} {self.fake.first_name()}"
        return super().person()

    def address(self):
        if self.r.random() < 0.3:
            return self.fake.address().split(" ")[0]
        return super().address()


def documents_corpus(root, sets, seed, pdf=True):
    """A held-out document corpus: `sets` document sets (every format,
    CSVs in varied encodings and separators, Faker names and addresses),
    with truth.tsv (path, line, category, where)."""
    g = VariedGen(seed)
    vary = random.Random(seed + 1)
    truth = []
    for i in range(sets):
        write_set(root, document_set(g, f"s{i:03d}/", pdf=pdf, vary=vary), truth)
    with open(os.path.join(root, "truth.tsv"), "w") as f:
        for rel, line, cat, where in sorted(truth):
            f.write(f"{rel}\t{line}\t{cat}\t{where}\n")


# ----------------------------------------------------------------------------
# A held-out corpus for person names: names from Faker (pip install faker), from
# the dictionaries' long tail and rare surnames the dictionaries lack, in
# Japanese and English documents, among look-alikes that are no one's name.

RARE_SURNAMES = ["小鳥遊", "勘解由小路", "一番ヶ瀬", "四十物", "百目鬼", "十八女", "薬袋", "月見里",
                 "八月一日", "栗花落", "廿楽", "鴨志田", "雲母", "四月一日", "御手洗", "東海林", "五月女"]
HALF = dict(zip("アイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモヤユヨラリルレロワヲンァィゥェォャュョッー",
                "ｱｲｳｴｵｶｷｸｹｺｻｼｽｾｿﾀﾁﾂﾃﾄﾅﾆﾇﾈﾉﾊﾋﾌﾍﾎﾏﾐﾑﾒﾓﾔﾕﾖﾗﾘﾙﾚﾛﾜｦﾝｧｨｩｪｫｬｭｮｯｰ"))
VOICED = {"ヰ": "ｲ", "ヱ": "ｴ", "ヮ": "ﾜ", "ヵ": "ｶ", "ヶ": "ｹ", "ガ": "ｶﾞ", "ギ": "ｷﾞ", "グ": "ｸﾞ", "ゲ": "ｹﾞ", "ゴ": "ｺﾞ", "ザ": "ｻﾞ", "ジ": "ｼﾞ", "ズ": "ｽﾞ", "ゼ": "ｾﾞ",
          "ゾ": "ｿﾞ", "ダ": "ﾀﾞ", "ヂ": "ﾁﾞ", "ヅ": "ﾂﾞ", "デ": "ﾃﾞ", "ド": "ﾄﾞ", "バ": "ﾊﾞ", "ビ": "ﾋﾞ", "ブ": "ﾌﾞ",
          "ベ": "ﾍﾞ", "ボ": "ﾎﾞ", "パ": "ﾊﾟ", "ピ": "ﾋﾟ", "プ": "ﾌﾟ", "ペ": "ﾍﾟ", "ポ": "ﾎﾟ", "ヴ": "ｳﾞ"}


def half_width(kana):
    return "".join(VOICED.get(c) or HALF.get(c, c) for c in kana)


def load_dictionary(path):
    rows = []
    for line in open(path, encoding="utf-8"):
        if not line.startswith("#"):
            surface, reading, common = line.rstrip("\n").split("\t")
            rows.append((surface, reading))
    return rows


def names_corpus(root, docs, seed):
    from faker import Faker
    ja, en = Faker("ja_JP"), Faker("en_US")
    Faker.seed(seed)
    r = random.Random(seed)
    here = os.path.dirname(os.path.abspath(__file__))
    surnames = load_dictionary(os.path.join(here, "../patterns/names/ja-surnames.tsv"))
    given = [g for g in load_dictionary(os.path.join(here, "../patterns/names/ja-given.tsv"))]

    def person():
        """(surname, given, surname reading, given reading) from Faker, the
        dictionaries' tail, or a rare surname they lack."""
        roll = r.random()
        if roll < 0.4:
            # Faker's readings are drawn apart from its kanji: pair each with its own.
            return ja.last_name(), ja.first_name(), ja.last_kana_name(), ja.first_kana_name()
        g, gr = r.choice(given)
        if roll < 0.8:
            sn, sr = r.choice(surnames)
            return sn, g, sr, gr
        return r.choice(RARE_SURNAMES), g, None, gr

    truth = []
    for i in range(docs):
        lines = []
        kind = r.random()
        if kind < 0.45:
            for _ in range(r.randrange(4, 10)):
                sn, gn, sr, gr = person()
                rare = sr is None
                forms = [
                    (f"氏名：{sn}{gn}", 1), (f"お名前：{sn} {gn} 様", 1), (f"契約者：{sn} {gn}", 1),
                    (f"施主 {sn} {gn} 様", 1), (f"担当：{sn}", 1), (f"{sn}様、いつもお世話になっております。", 1),
                    (f"{sn}{gn}さんから折り返しの連絡がありました。", 1),
                ]
                if not rare:
                    forms += [(f"フリガナ：{sr} {gr}", 1), (f"口座名義：{half_width(sr)} {half_width(gr)}", 1),
                              (f"振込依頼 0001 001 1 {r.randrange(1000000, 9999999)} {half_width(sr)} {half_width(gr)}", 1),
                              (f"{sr} {gr} 様", 1)]
                line, n = r.choice(forms)
                if rare and r.random() < 0.5:
                    line, n = (f"氏名：{sn} {gn}", 1)
                lines.append((line, ["name"] * n))
                if r.random() < 0.5:
                    lines.append((r.choice(NAME_NEGATIVES_JA)(ja, r), []))
            if r.random() < 0.3:
                lines.append((f"Contact: {ja.first_romanized_name()} {ja.last_romanized_name()}", ["name"]))
            if r.random() < 0.3:
                lines.append((f"{ja.last_romanized_name().upper()} {ja.first_romanized_name()}", ["name"]))
            ext = ".txt"
        elif kind < 0.6:
            lines.append(("氏名,フリガナ,口座名義,備考", []))
            for _ in range(r.randrange(3, 10)):
                sn, gn, sr, gr = person()
                if sr is None:
                    sr = ja.last_kana_name()
                if r.random() < 0.15:
                    # A corporate account: the holder is a company.
                    lines.append((f"{sn} {gn},{sr} {gr},ｶ){half_width(sr)}ｼﾖｳｼﾞ,法人", ["name", "name"]))
                else:
                    lines.append((f"{sn} {gn},{sr} {gr},{half_width(sr)} {half_width(gr)},", ["name"] * 3))
            ext = ".csv"
        else:
            for _ in range(r.randrange(4, 10)):
                first, last = en.first_name(), en.last_name()
                forms = [f"Customer: {first} {last}", f"Dear {first} {last},", f"Please call {first} {last} tomorrow.",
                         f"Signed: {first} {last}", f"Name: {first} {en.random_uppercase_letter()}. {last}",
                         f"Mr. {first} {last} will visit on Friday.", f"Account holder: {first.upper()} {last.upper()}"]
                lines.append((r.choice(forms), ["name"]))
                if r.random() < 0.6:
                    lines.append((r.choice(NAME_NEGATIVES_EN)(en, r), []))
            ext = ".txt"
        rel = f"n{i // 100:03d}/doc{i:05d}{ext}"
        write_doc(root, rel, lines, truth, "cp932" if ext == ".csv" and r.random() < 0.5 else "utf-8")
    with open(os.path.join(root, "truth.tsv"), "w") as f:
        for rel, line, cat in sorted(truth):
            f.write(f"{rel}\t{line}\t{cat}\n")


NAME_NEGATIVES_JA = [
    lambda ja, r: f"{ja.company()} 御中",
    lambda ja, r: f"会社名：{ja.company()}",
    lambda ja, r: f"{ja.city()}の工事は来週の予定です。",
    lambda ja, r: f"お振込先：{r.choice(['みずほ銀行', '三井住友銀行', 'りそな銀行'])} {ja.city()[:2]}支店",
    lambda ja, r: r.choice(["お客様各位", "皆様にはご迷惑をおかけします。", "奥様によろしくお伝えください。",
                            "お疲れ様です。", "ご担当者様", "神様にお願いした。"]),
    lambda ja, r: f"口座名義：ｶ){half_width(ja.last_kana_name())}ｺｳｷﾞﾖｳ",
    lambda ja, r: f"担当部署：{r.choice(['営業部', '総務課', 'カスタマーサポート', 'システム開発室'])}",
    lambda ja, r: f"商品名：{r.choice(['北海道', '京都', '大阪'])}限定セット",
    lambda ja, r: "サービス センターまでご連絡ください。",
]

NAME_NEGATIVES_EN = [
    lambda en, r: f"Vendor: {en.company()}",
    lambda en, r: f"{en.first_name().lower()}_{en.last_name().lower()} = load_user(request.User)",
    lambda en, r: f"class {en.first_name()}{en.last_name()}Controller(BaseController):",
    lambda en, r: r.choice(["The Annual General Meeting is in May.", "Will you grant access to the Sales Team?",
                            "Quarterly Business Review", "See the Rose Garden near Grand Central Station.",
                            "Customer Support Team", "Happy New Year from the Marketing Department!"]),
    lambda en, r: f"Weather in {en.city()} is fine.",
]


def stream_corpus(root, mb, log_mb, seed):
    """The memory benchmark's corpus: `mb` MiB of dense customer CSVs in
    32 MiB files under DIR/csv/ (id, name, kana-free phone, e-mail, address,
    birth date, gender per row: five or six findings a row, every row a
    different person by its numbered e-mail address) and one `log_mb` MiB
    server log DIR/log/app.log (ISO timestamps, request ids, IPv4, order
    numbers, status and latency; one line in a hundred with an e-mail).
    Rows are drawn from a pool of generated people, so writing a gigabyte
    takes seconds."""
    g = Gen(seed)
    pool = [(g.person(), g.mobile(), g.address(), g.birth(), g.r.choice(["男", "女"]))
            for _ in range(20_000)]
    csv_dir, log_dir = os.path.join(root, "csv"), os.path.join(root, "log")
    os.makedirs(csv_dir, exist_ok=True)
    os.makedirs(log_dir, exist_ok=True)
    header = "顧客ID,氏名,電話番号,メールアドレス,住所,生年月日,性別\n"
    row, written, n = 0, 0, 0
    while written < mb << 20:
        out, size = [header], len(header.encode())
        while size < 32 << 20:
            name, phone, addr, born, sex = pool[row % len(pool)]
            row += 1
            line = f"C{row:09d},{name},{phone},user{row}@{DOMAINS[row % len(DOMAINS)]},{addr},{born},{sex}\n"
            out.append(line)
            size += len(line.encode())
        with open(os.path.join(csv_dir, f"customers{n:03d}.csv"), "w") as f:
            f.write("".join(out))
        written, n = written + size, n + 1
    paths = ["/api/v2/orders/", "/api/v2/users/", "/static/app.", "/healthz?ts="]
    with open(os.path.join(log_dir, "app.log"), "w") as f:
        written, i = 0, 0
        while written < log_mb << 20:
            lines = []
            for _ in range(10_000):
                i += 1
                t = f"2026-11-{1 + i % 28:02d}T{i % 24:02d}:{i % 60:02d}:{i * 7 % 60:02d}.{i % 1000:03d}Z"
                rid = f"{i * 2654435761 % (1 << 32):08x}-{i % 65536:04x}-4{i % 4096:03x}-a{i % 4093:03x}-{i * 40503 % (1 << 48):012x}"
                ip = f"10.{i % 256}.{i * 7 % 256}.{i * 13 % 256}"
                extra = f" user=user{i}@example.co.jp" if i % 100 == 0 else ""
                lines.append(f"{t} INFO req={rid} ip={ip} GET {paths[i % 4]}{i * 977 % 10**10:010d} "
                             f"{200 + (i % 7 == 0) * 204} {i % 900 + 3}ms{extra}\n")
            chunk = "".join(lines)
            f.write(chunk)
            written += len(chunk.encode())


def kinds_corpus(root, mb, seed):
    """The throughput corpus: four kinds of content that file shares are full
    of, `mb` MiB of each in 4 MiB files under DIR/{logs,code,prose,csv}/.

    - logs: ISO timestamp, level, UUID, IPv4, method, `/api/v2/orders/<10
      digits>`, status, latency; 1 line in 100 with an e-mail address;
    - code: Rust/C-like source with numeric literals in asserts, hex
      constants, comparisons, TODO comments; no personal data;
    - prose: ja/en sentences with versions, dates, prices, ticket numbers;
      3% of lines a name with 様, 2% a phone number;
    - csv: a dense customer table (id, name, phone, e-mail, address, birth
      date), every row personal data.

    Values come from the same made-up pools as every other corpus here."""
    g = Gen(seed)
    r = g.r
    hexd = "0123456789abcdef"

    def uuid():
        return "-".join("".join(r.choice(hexd) for _ in range(n)) for n in (8, 4, 4, 4, 12))

    def log_line():
        t = (f"2026-{r.randrange(1, 13):02d}-{r.randrange(1, 29):02d}T{r.randrange(24):02d}:"
             f"{r.randrange(60):02d}:{r.randrange(60):02d}.{r.randrange(1000):03d}Z")
        ip = f"{r.choice([10, 172, 192])}.{r.randrange(256)}.{r.randrange(256)}.{r.randrange(256)}"
        path = r.choice(["/api/v2/orders/", "/api/v2/users/", "/api/v1/items/", "/static/bundle."])
        extra = f" user={g.email()}" if r.random() < 0.01 else ""
        return (f"{t} {r.choice(['INFO', 'INFO', 'INFO', 'WARN', 'DEBUG'])} req={uuid()} ip={ip} "
                f"{r.choice(['GET', 'GET', 'POST', 'PUT'])} {path}{g.digits(10)} "
                f"{r.choice([200, 200, 200, 201, 204, 304, 404, 500])} {r.randrange(1, 2000)}ms "
                f"bytes={r.randrange(100, 99999)}{extra}")

    idents = ["count", "offset", "len", "total", "retries", "index", "width", "height", "limit"]

    def code_line():
        k = r.randrange(10)
        ind = "    " * r.randrange(1, 4)
        a, b = r.choice(idents), r.choice(idents)
        if k == 0:
            return f'{ind}assert_eq!(parse("{g.digits(r.randrange(6, 14))}"), Ok({r.randrange(1000)}));'
        if k == 1:
            return f"{ind}const MASK_{r.randrange(64)}: u64 = 0x{''.join(r.choice(hexd) for _ in range(16))};"
        if k == 2:
            return f"{ind}if ({a} > {r.randrange(10000)}) {{ {b} = {a} * {r.randrange(2, 64)} + {r.randrange(100)}; }}"
        if k == 3:
            return f"{ind}// TODO({r.choice(['perf', 'api', 'io'])}): revisit after #{r.randrange(100, 9999)}, see line {r.randrange(1, 3000)}"
        if k == 4:
            return f"{ind}let {a} = buf[{r.randrange(256)}..{r.randrange(256, 4096)}].iter().sum::<u32>();"
        if k == 5:
            return f"{ind}for (int i = 0; i < {r.randrange(1, 1 << 16)}; i += {r.randrange(1, 9)}) {{"
        if k == 6:
            return f"{ind}return Err(Error::new({r.randrange(400, 600)}, \"{r.choice(['bad input', 'timeout', 'not found'])}\"));"
        if k == 7:
            return f"{ind}static const double K{r.randrange(99)} = {r.randrange(1, 99)}.{g.digits(9)}e-{r.randrange(1, 12)};"
        if k == 8:
            return f"{ind}}}"
        return f"{ind}assert!(({a} as i64 - {r.randrange(1 << 31)}).abs() < {r.randrange(1, 1000)});"

    def prose_line():
        x = r.random()
        if x < 0.03:
            return f"{r.choice(SURNAMES)}{r.choice(GIVEN)}様より、{r.choice(FILLER_JA)}"
        if x < 0.05:
            return f"ご連絡先は{g.phone()}までお願いします。{r.choice(FILLER_JA)}"
        if x < 0.5:
            return "".join(r.choice([
                r.choice(FILLER_JA),
                f"バージョン{r.randrange(1, 9)}.{r.randrange(30)}.{r.randrange(100)}で修正済みです。",
                f"{r.randrange(2019, 2027)}年{r.randrange(1, 13)}月{r.randrange(1, 29)}日に出荷予定です。",
                f"合計金額は{r.randrange(1, 999)},{g.digits(3)}円（税込）です。",
                f"チケット{r.randrange(1000, 99999)}番を参照してください。",
            ]) for _ in range(r.randrange(1, 4)))
        return " ".join(r.choice([
            r.choice(FILLER_EN),
            f"Release {r.randrange(1, 9)}.{r.randrange(30)}.{r.randrange(100)} ships on {r.randrange(2019, 2027)}-{r.randrange(1, 13):02d}-{r.randrange(1, 29):02d}.",
            f"The total is ${r.randrange(1, 9999)}.{g.digits(2)} for {r.randrange(1, 500)} units.",
            f"See ticket #{r.randrange(1000, 99999)} and page {r.randrange(1, 400)}.",
        ]) for _ in range(r.randrange(1, 4)))

    row = [0]

    def csv_line():
        row[0] += 1
        return (f"{row[0]},{g.person()},{g.r.choice([g.mobile(), g.phone()])},{g.email()},"
                f"{g.address()},{g.birth()}")

    kinds = {"logs": (None, log_line), "code": (None, code_line), "prose": (None, prose_line),
             "csv": ("id,name,phone,email,address,birth_date", csv_line)}
    for kind, (header, line) in kinds.items():
        d = os.path.join(root, kind)
        os.makedirs(d, exist_ok=True)
        written, n = 0, 0
        while written < mb << 20:
            out = [header] if header else []
            size = 0
            while size < 4 << 20:
                s = line()
                out.append(s)
                size += len(s.encode()) + 1
            ext = "csv" if kind == "csv" else "rs" if kind == "code" else "log" if kind == "logs" else "txt"
            data = ("\n".join(out) + "\n").encode()
            with open(os.path.join(d, f"part{n:03d}.{ext}"), "wb") as f:
                f.write(data)
            written, n = written + len(data), n + 1


def docbench(root, rows, seed):
    """Per-format throughput corpora: the same kind of customer rows (name,
    phone, e-mail, address, birth date; one in four with a filler remark)
    written as CSV (CP932), xlsx, ods, docx, pptx, odt, PDF, mbox, NDJSON, an
    SQL dump and a zip of CSVs, about `rows` rows per format, in
    DIR/FORMAT/. Each folder gets meta.json with its row count (a row is a
    table row, a paragraph, a PDF line, a message or a JSON line)."""
    import json
    g = Gen(seed)

    def person_row():
        y, m, d = birth_parts(g)
        return [g.person(), g.mobile(), g.email(), g.address(), f"{y}/{m:02d}/{d:02d}",
                g.r.choice(FILLER_JA) if g.r.random() < 0.25 else ""]

    header = ["氏名", "電話番号", "メールアドレス", "住所", "生年月日", "備考"]

    def put(fmt, name, data, n):
        d = os.path.join(root, fmt)
        os.makedirs(d, exist_ok=True)
        with open(os.path.join(d, name), "wb") as f:
            f.write(data)
        meta = os.path.join(d, "meta.json")
        count = json.load(open(meta))["rows"] if os.path.exists(meta) else 0
        json.dump({"rows": count + n}, open(meta, "w"))

    def chunks(total, size):
        while total > 0:
            yield min(total, size)
            total -= size

    def csv_text(n):
        return "\r\n".join([",".join(header)] + [",".join(person_row()) for _ in range(n)]) + "\r\n"

    for i, n in enumerate(chunks(rows, 50_000)):
        put("csv", f"kokyaku{i:02d}.csv", csv_text(n).encode("cp932"), n)
    for i, n in enumerate(chunks(rows, 25_000)):
        put("xlsx", f"kokyaku{i:02d}.xlsx", docfmt.xlsx([("顧客", [header] + [person_row() for _ in range(n)])]), n)
        put("ods", f"kokyaku{i:02d}.ods", docfmt.ods([("顧客", [header] + [person_row() for _ in range(n)])]), n)

    def form(r):
        return [f"氏名：{r[0]} 様", f"電話番号：{r[1]}", f"メール：{r[2]}", f"住所：{r[3]}", f"生年月日：{r[4]}", r[5] or "以上"]

    for i, n in enumerate(chunks(rows, 6_000)):
        paras = [p for _ in range(n // 6) for p in form(person_row())]
        put("docx", f"keiyaku{i:02d}.docx", docfmt.docx(paras), len(paras))
        put("odt", f"houkoku{i:02d}.odt", docfmt.odt(paras), len(paras))
        slides = [(form(person_row()), None) for _ in range(n // 6)]
        put("pptx", f"setsumei{i:02d}.pptx", docfmt.pptx(slides), 6 * len(slides))
    if docfmt.RENDER_PDF:
        for i, n in enumerate(chunks(min(rows, 12_000), 3_000)):
            pages = [form(person_row()) * 5 for _ in range(n // 30)]
            put("pdf", f"moushikomi{i:02d}.pdf", docfmt.pdf(pages), 30 * len(pages))
    for i, n in enumerate(chunks(rows // 4, 5_000)):
        msgs = []
        for _ in range(n):
            r = person_row()
            msgs.append(b"From MAILER-DAEMON Mon Apr  1 09:00:00 2024\n" +
                        docfmt.eml(r[0], r[2], "uketsuke@example.co.jp", "お問い合わせ", form(r)).replace(b"\r\n", b"\n"))
        put("mbox", f"inbox{i:02d}.mbox", b"\n".join(msgs), n)
    for i, n in enumerate(chunks(rows, 50_000)):
        lines = [json.dumps(dict(zip(["name", "tel", "email", "address", "birth", "note"], person_row())),
                            ensure_ascii=False) for _ in range(n)]
        put("ndjson", f"export{i:02d}.ndjson", ("\n".join(lines) + "\n").encode(), n)
    for i, n in enumerate(chunks(rows, 50_000)):
        out = ["CREATE TABLE `customers` (", "  `name` varchar(64),", "  `tel` varchar(20),", "  `email` varchar(128),",
               "  `address` varchar(255),", "  `birth` varchar(20),", "  `note` text", ");"]
        for k in range(0, n, 100):
            tuples = ",".join("(" + ",".join(f"'{v}'" for v in person_row()) + ")" for _ in range(min(100, n - k)))
            out.append(f"INSERT INTO `customers` VALUES {tuples};")
        put("sql", f"dump{i:02d}.sql", ("\n".join(out) + "\n").encode(), n)
    for i, n in enumerate(chunks(rows, 50_000)):
        members = [(f"export/part{k}.csv", csv_text(m).encode("cp932")) for k, m in enumerate(chunks(n, 10_000))]
        put("zip", f"backup{i:02d}.zip", zip_of(members), n)


def drawings(root, docs, seed):
    """A labelled set of drawings for the floor-plan classifier: house plans
    written in every format with varied titles, rooms and layers, against
    elevations, sections, site plans, office layouts, electrical drawings and
    mechanical parts. truth.tsv lists the floor plans (line 0)."""
    import io
    import zipfile
    g = Gen(seed)
    titles = ["1階平面図", "2階平面図", "平面図", "間取り図", "間取図", "平面詳細図", "FLOOR PLAN", None, None]
    rooms = ["洋室", "和室", "LDK", "DK", "玄関", "浴室", "洗面所", "トイレ", "寝室", "子供室", "納戸", "押入",
             "クローゼット", "WIC", "UB", "廊下", "ホール", "バルコニー", "キッチン", "リビング"]
    plan_layers = ["壁", "建具", "窓", "間仕切", "通り芯", "柱", "室名", "A-WALL", "A-DOOR", "A-GLAZ"]
    other = {
        "elevation": (["南立面図", "北立面図", "東立面図"], ["GL", "FL", "軒高", "最高高さ", "外壁 サイディング"], ["壁", "窓", "外装"]),
        "section": (["A-A断面図", "矩計図", "断面図"], ["GL", "1FL", "2FL", "天井高", "基礎"], ["構造", "仕上"]),
        "site": (["配置図", "敷地配置図"], ["道路", "隣地境界線", "敷地面積", "方位", "駐車場"], ["敷地", "外構"]),
        "office": (["3階平面図", "事務所平面図", "平面図"], ["会議室", "執務室", "給湯室", "応接室", "倉庫", "トイレ"], ["壁", "建具"]),
        "electrical": (["電気設備図", "照明配置図"], ["分電盤", "コンセント", "スイッチ", "照明器具"], ["電気", "E-LITE"]),
        "part": (["部品図", "組立図"], ["公差 ±0.05", "M6 ボルト", "面取り C1", "材質 SS400", "はめあい H7"], ["0", "外形"]),
    }
    truth = []
    os.makedirs(root, exist_ok=True)
    formats = ["dxf", "dxf-cp932", "dxf-binary", "jww", "p21", "sfc", "ifc", "p2z"]
    for i in range(docs):
        is_plan = g.r.random() < 0.5
        if is_plan:
            title = g.r.choice(titles)
            texts = ([title] if title else []) + g.r.sample(rooms, g.r.randrange(2, 7))
            if g.r.random() < 0.6:
                texts = [t + f" {g.r.choice(['4.5', '6', '8', '10'])}帖" if t in ("洋室", "和室") else t for t in texts]
            layers = g.r.sample(plan_layers, g.r.randrange(0, 4)) or ["0"]
        else:
            kind = g.r.choice(list(other))
            ttl, words, layers = other[kind]
            texts = [g.r.choice(ttl)] + g.r.sample(words, g.r.randrange(2, len(words)))
        if g.r.random() < 0.3:
            texts += [f"施主 {g.name()} 様", f"建築地 {g.address().split(' ')[0]}"]
        fmt = g.r.choice(formats)
        rel = f"d{i // 100:03d}/drawing{i:05d}"
        pairs = [(t, g.r.choice(layers)) for t in texts]
        if fmt.startswith("dxf") and fmt != "dxf-binary":
            cp932 = fmt == "dxf-cp932"
            lines, _ = dxf_ascii(layers, pairs, "AC1015" if cp932 else "AC1032", "ANSI_932" if cp932 else "ANSI_1252")
            data, ext = ("\r\n".join(lines) + "\r\n").encode("cp932" if cp932 else "utf-8"), ".dxf"
        elif fmt == "dxf-binary":
            data, ext = dxf_binary(pairs), ".dxf"
        elif fmt == "jww":
            data, ext = jww(layers, texts), ".jww"
        elif fmt == "ifc":
            ents = [("#{n}=IFCSPACE('x',$,'{v}',$,$,$,$,$,.ELEMENT.,.INTERNAL.,$);", t) for t in texts]
            lines, _ = step_file("IFC4", "ViewDefinition", ents, escape=True)
            data, ext = ("\n".join(lines) + "\n").encode("ascii"), ".ifc"
        else:
            lines, _ = p21_lines(layers, texts, escape=fmt != "sfc")
            text = "\n".join(lines) + "\n"
            if fmt == "p2z":
                buf = io.BytesIO()
                with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
                    z.writestr("drawing.p21", text)
                data, ext = buf.getvalue(), ".p2z"
            else:
                data, ext = text.encode("cp932" if fmt == "sfc" else "ascii"), "." + fmt
        os.makedirs(os.path.join(root, os.path.dirname(rel)), exist_ok=True)
        with open(os.path.join(root, rel + ext), "wb") as f:
            f.write(data)
        if is_plan:
            truth.append((rel + ext, 0, "floor_plan"))
    with open(os.path.join(root, "truth.tsv"), "w") as f:
        for rel, line, cat in sorted(truth):
            f.write(f"{rel}\t{line}\t{cat}\n")


def share_corpus(root, files, mb, seed):
    """A file share for rescan benchmarks: `files` files holding `mb` MiB in
    all, in department/year folders; their content is the four kinds of
    kinds_corpus (logs, code, prose, customer tables) cut at line ends, each
    CSV piece with the table's header."""
    import shutil
    import tempfile
    tmp = tempfile.mkdtemp()
    try:
        kinds_corpus(tmp, max(1, -(-mb // 4)), seed)
        sources = sorted(p for p in Path(tmp).rglob("*") if p.is_file())
        per = max(1, mb * 2**20 // files)
        depts = ["営業", "経理", "総務", "技術", "工事", "サポート", "sales", "it"]
        r = random.Random(seed)
        i = 0
        for src in sources:
            data = src.read_bytes()
            header = data[: data.find(b"\n") + 1] if src.suffix == ".csv" else b""
            pos = 0
            while pos < len(data) and i < files:
                end = data.find(b"\n", pos + per)
                end = len(data) if end < 0 else end + 1
                piece = data[pos:end]
                if header and not piece.startswith(header):
                    piece = header + piece
                out = Path(root) / r.choice(depts) / str(2019 + i % 7) / f"{src.parent.name}-{i:05d}{src.suffix}"
                out.parent.mkdir(parents=True, exist_ok=True)
                out.write_bytes(piece)
                pos = end
                i += 1
    finally:
        shutil.rmtree(tmp)
    print(f"{i} files in {root}")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("mode", choices=["fixtures", "eval", "drawings", "names", "documents", "docbench", "stream", "kinds", "share"])
    ap.add_argument("--rows", type=int, default=100_000, help="docbench: rows per format")
    ap.add_argument("dir")
    ap.add_argument("--docs", type=int, default=2000)
    ap.add_argument("--mb", type=int, default=512, help="stream: MB of CSV; kinds: MB of each kind")
    ap.add_argument("--log-mb", type=int, default=1024, help="stream: size of the one log file")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--files", type=int, default=10_000, help="share: number of files")
    ap.add_argument("--faker", action="store_true", help="eval: also documents with Faker values")
    ap.add_argument("--no-pdf", action="store_true", help="leave PDFs out (they need Chromium); truth rows stay")
    a = ap.parse_args()
    docfmt.RENDER_PDF = not a.no_pdf
    if a.mode == "fixtures":
        fixtures(a.dir)
    elif a.mode == "eval":
        corpus(a.dir, a.docs, a.seed, a.faker)
    elif a.mode == "drawings":
        drawings(a.dir, a.docs, a.seed)
    elif a.mode == "names":
        names_corpus(a.dir, a.docs, a.seed)
    elif a.mode == "docbench":
        docbench(a.dir, a.rows, a.seed)
    elif a.mode == "stream":
        stream_corpus(a.dir, a.mb, a.log_mb, a.seed)
    elif a.mode == "documents":
        documents_corpus(a.dir, a.docs, a.seed, pdf=not a.no_pdf)
    elif a.mode == "share":
        share_corpus(a.dir, a.files, a.mb, a.seed)
    else:
        kinds_corpus(a.dir, a.mb, a.seed)


if __name__ == "__main__":
    main()

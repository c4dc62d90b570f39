//! Data-subject requests (`piimap subject`): one synthetic person, 髙橋 美咲,
//! written many ways across every format of a generated share — variant
//! kanji, kana of every width, romaji in either order, +81 and full-width
//! phones, an era birth date, a kanji-numeral address — beside a namesake,
//! a family member sharing her phone and a near miss with her birth date.
//! Asserts the exact matches and strengths, that an index answers as a
//! scan does, and that no raw value reaches any output or the index.
//!
//! Values: names from the dictionaries, 555 phones, docomo.ne.jp addresses
//! of made-up people, a real town with made-up numbers, a My Number with a
//! valid check digit computed for this test.

use std::path::Path;

use serde_json::Value;

use crate::util::*;

/// What is asked for: the person as the request form gives her.
const ASK: &[&str] = &[
    "--name",
    "高橋 美咲",
    "--kana",
    "タカハシ ミサキ",
    "--email",
    "misaki.takahashi@docomo.ne.jp",
    "--phone",
    "090-5555-0142",
    "--birth-date",
    "1987-06-15",
    "--address",
    "東京都世田谷区太子堂4-5-6",
    "--postal-code",
    "154-0004",
];

/// Raw values that must never be printed or stored without --show-values
/// (each also as its bare digits).
const RAW: &[&str] = &[
    "高橋 美咲",
    "高橋美咲",
    "髙橋",
    "タカハシ ミサキ",
    "ﾀｶﾊｼ",
    "Misaki",
    "MISAKI",
    "misaki.takahashi",
    "090-5555-0142",
    "09055550142",
    "5555 0142",
    "1987/06/15",
    "1987-06-15",
    "昭和62年6月15日",
    "太子堂",
    "154-0004",
    "482019375611",
];

/// A Word document whose body is `paragraphs` and one table row of `cells`
/// (the other parts from the fixture: other people, none of them her).
fn docx(paragraphs: &[&str], cells: &[&str]) -> Vec<u8> {
    let p = |t: &str| format!("<w:p><w:r><w:t>{t}</w:t></w:r></w:p>");
    let body: String = paragraphs.iter().map(|t| p(t)).collect();
    let row: String = cells.iter().map(|t| format!("<w:tc>{}</w:tc>", p(t))).collect();
    let xml = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>{body}<w:tbl><w:tr>{row}</w:tr></w:tbl></w:body></w:document>"#
    );
    let fixture = std::fs::read(root().join("fixtures/documents/keiyakusho.docx")).unwrap();
    with_member(&fixture, "word/document.xml", xml.as_bytes())
}

/// The share: every format piimap reads, her data in each.
fn share(t: &Tree) {
    t.file(
        "share/customers.csv",
        "顧客ID,氏名,フリガナ,電話番号,メール,住所,生年月日\n\
         1001,髙橋 美咲,タカハシ ミサキ,090-5555-0142,misaki.takahashi@docomo.ne.jp,東京都世田谷区太子堂四丁目5番6号 コーポ太子堂201,1987/06/15\n\
         1002,高橋 美咲,タカハシ ミサキ,080-5555-0199,misaki.t@docomo.ne.jp,大阪府大阪市北区梅田1-1-3,1990/01/01\n\
         1003,高橋 健一,タカハシ ケンイチ,090-5555-0142,kenichi.takahashi@docomo.ne.jp,東京都世田谷区太子堂4-5-6,1958/03/03\n\
         1004,高橋 美沙,タカハシ ミサ,070-5555-0177,misa.takahashi@docomo.ne.jp,東京都品川区大井1-2-3,1987/06/15\n",
    );
    let (sjis, _, _) =
        encoding_rs::SHIFT_JIS.encode("受付メモ\nお客様：高橋美咲 様 生年月日：昭和62年6月15日\n");
    t.file("share/memo_sjis.txt", sjis);
    let (euc, _, _) = encoding_rs::EUC_JP.encode("送付先一覧\nタカハシ ミサキ 様 〒154-0004\n");
    t.file("share/送付先_euc.txt", euc);
    t.file(
        "share/archive.zip",
        zip_of(&[(
            "old/list.csv",
            "氏名,カナ,電話\n高橋　美咲,ﾀｶﾊｼ ﾐｻｷ,０９０５５５５０１４２\n".as_bytes(),
        )]),
    );
    t.file(
        "share/roster.xlsx",
        xlsx(&[
            &["氏名", "電話番号", "メール"],
            &["Misaki Takahashi", "+81-90-5555-0142", "misaki.takahashi@docomo.ne.jp"],
        ]),
    );
    t.file(
        "share/letter.docx",
        docx(&["送付状"], &["氏名", "高橋 美咲 様", "住所", "東京都世田谷区太子堂四丁目5番6号"]),
    );
    t.file(
        "share/contract.pdf",
        pdf(&[
            "Name: TAKAHASHI Misaki  Email: MISAKI.TAKAHASHI@DOCOMO.NE.JP",
            "Phone: +81 90 5555 0142",
        ]),
    );
    t.file(
        "share/inquiry.eml",
        "From: =?UTF-8?B?6auY5qmLIOe+juWSsg==?= <misaki.takahashi@docomo.ne.jp>\r\n\
         To: support@example.co.jp\r\n\
         Subject: =?UTF-8?B?44GK5ZWP44GE5ZCI44KP44Gb?=\r\n\
         Content-Type: text/plain; charset=UTF-8\r\n\
         \r\n\
         お電話 ０９０－５５５５－０１４２ までご連絡ください。\r\n",
    );
    let db = rusqlite::Connection::open(t.path().join("share/members.sqlite")).unwrap();
    db.execute_batch(
        "CREATE TABLE members (id INTEGER PRIMARY KEY, 氏名 TEXT, ふりがな TEXT, 電話番号 TEXT, 生年月日 TEXT, 個人番号 TEXT);
         INSERT INTO members VALUES (7, '高橋 美咲', 'たかはし みさき', '090-5555-0142', '1987-06-15', '482019375611');
         INSERT INTO members VALUES (8, '高橋 美咲', 'たかはし みさき', '080-5555-0188', '1991-11-11', NULL);
         INSERT INTO members VALUES (9, '佐藤 花子', 'さとう はなこ', '080-5555-0102', '1990-12-24', NULL);",
    )
    .unwrap();
}

/// `(path, place, strength, agreed)` of every match of an answer.
fn matches(answer: &Value) -> Vec<(String, String, String, String)> {
    answer["matches"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| {
            let agreed: Vec<&str> =
                m["agreed"].as_array().unwrap().iter().map(|c| c.as_str().unwrap()).collect();
            (
                m["path"].as_str().unwrap().to_string(),
                m["place"].to_string(),
                m["strength"].as_str().unwrap().to_string(),
                agreed.join(","),
            )
        })
        .collect()
}

fn ask(dir: &Path, extra: &[&str]) -> (i32, String) {
    let args: Vec<&str> = ["subject"].iter().chain(extra).chain(ASK).copied().collect();
    let out = piimap_in(dir, &args);
    let all =
        String::from_utf8_lossy(&[out.stdout.clone(), out.stderr.clone()].concat()).to_string();
    (code(&out), all)
}

/// Fails when any raw value (or its digits) is in `text`.
fn assert_no_raw(what: &str, text: &str) {
    for raw in RAW {
        assert!(!text.contains(raw), "{what} holds {raw:?}");
        let digits: String = raw.chars().filter(char::is_ascii_digit).collect();
        if digits.len() >= 7 {
            assert!(!text.contains(&digits), "{what} holds the digits of {raw:?}");
        }
    }
}

fn s(x: &str) -> String {
    x.to_string()
}

#[test]
fn one_person_is_found_in_every_format_and_namesakes_are_only_possible() {
    let t = Tree::new();
    share(&t);
    let (status, json) = ask(t.path(), &["share", "--format", "json"]);
    assert_eq!(status, 1, "{json}");
    validate_json("schemas/subject.schema.json", &json);
    let answer: Value = serde_json::from_str(&json).unwrap();
    let (strong, possible) = (s("strong"), s("possible"));
    let line = |n: u32| format!("{{\"line\":{n}}}");
    assert_eq!(
        matches(&answer),
        [
            // Full-width space, half-width kana, full-width digits, in a zip.
            (s("share/archive.zip!old/list.csv"), line(2), strong.clone(), s("name,phone")),
            // Romaji in family-name order, the address in capitals.
            (
                s("share/contract.pdf"),
                s("{\"line\":1,\"page\":1}"),
                strong.clone(),
                s("name,email")
            ),
            (s("share/contract.pdf"), s("{\"line\":3,\"page\":1}"), strong.clone(), s("phone")),
            // 髙橋, 四丁目5番6号 with a building.
            (
                s("share/customers.csv"),
                line(2),
                strong.clone(),
                s("name,address,phone,email,birth_date")
            ),
            // Her namesake: the name alone.
            (s("share/customers.csv"), line(3), possible.clone(), s("name")),
            // Her father: her phone and address, his own name.
            (s("share/customers.csv"), line(4), possible.clone(), s("address,phone")),
            // (1004, her birth date alone, is no match.)
            (s("share/inquiry.eml"), line(1), strong.clone(), s("email")),
            (s("share/inquiry.eml"), line(6), strong.clone(), s("phone")),
            (s("share/letter.docx"), line(2), strong.clone(), s("name,address")),
            // Hiragana reading, a database row by its key.
            (
                s("share/members.sqlite#main.members"),
                s("{\"row\":\"7\"}"),
                strong.clone(),
                s("name,phone,birth_date")
            ),
            (
                s("share/members.sqlite#main.members"),
                s("{\"row\":\"8\"}"),
                possible.clone(),
                s("name")
            ),
            // Shift_JIS, no space, an era date.
            (s("share/memo_sjis.txt"), line(2), strong.clone(), s("name,birth_date")),
            // Romaji in given-name order, +81.
            (
                s("share/roster.xlsx"),
                s("{\"line\":3,\"sheet\":\"顧客\"}"),
                strong.clone(),
                s("name,phone,email")
            ),
            // EUC-JP katakana reading with the postal code.
            (s("share/送付先_euc.txt"), line(2), strong, s("name,postal_code")),
        ]
    );
    assert_eq!(answer["summary"]["strong"], 11);
    assert_eq!(answer["summary"]["possible"], 3);
    assert_eq!(answer["summary"]["locations"], 9);
    // The rules behind the family member's match, and what her row holds.
    let family = &answer["matches"][5];
    assert_eq!(family["rules"], serde_json::json!(["phone"]));
    let roster = &answer["matches"][12];
    assert_eq!(roster["values"][0]["cell"], "B3");
    assert_eq!(roster["values"][0]["agreed"], true);
    // One entry per location, with everything it holds about everyone.
    let csv = answer["locations"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["path"] == "share/customers.csv")
        .unwrap();
    assert_eq!(csv["strength"], "strong");
    assert_eq!(csv["matches"], 3);
    assert_eq!(csv["categories"]["birth_date"], 4);

    // The index gives the same answer, from fingerprints alone.
    let key = t.path().join("index.key");
    std::fs::write(&key, "a secret kept apart from the index\n").unwrap();
    let key = key.to_str().unwrap();
    let scan = piimap_in(
        t.path(),
        &[
            "scan",
            "share",
            "--format",
            "json",
            "-o",
            "inventory.json",
            "--index",
            "people.idx",
            "--index-key-file",
            key,
        ],
    );
    assert_eq!(code(&scan), 1, "{}", String::from_utf8_lossy(&scan.stderr));
    let (status, from_index) =
        ask(t.path(), &["--index", "people.idx", "--index-key-file", key, "--format", "json"]);
    assert_eq!(status, 1, "{from_index}");
    let mut from_index: Value = serde_json::from_str(&from_index).unwrap();
    assert_eq!(from_index["source"], "index");
    from_index["source"] = "scan".into();
    assert_eq!(from_index, answer);
    // Another key is refused, not answered wrongly.
    std::fs::write(t.path().join("other.key"), "another secret").unwrap();
    let other = t.path().join("other.key");
    let (status, message) =
        ask(t.path(), &["--index", "people.idx", "--index-key-file", other.to_str().unwrap()]);
    assert_eq!(status, 2);
    assert!(message.contains("another key"), "{message}");

    // No raw value anywhere: the answer in every format, the index file.
    assert_no_raw("json", &json);
    for extra in [&["share"][..], &["share", "--lang", "en"], &["share", "--format", "html"]] {
        let (_, out) = ask(t.path(), extra);
        assert_no_raw(&format!("{extra:?}"), &out);
    }
    let index = std::fs::read(t.path().join("people.idx")).unwrap();
    assert_no_raw("the index", &String::from_utf8_lossy(&index));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(t.path().join("people.idx")).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    // With --show-values the officer sees them.
    let (_, shown) = ask(t.path(), &["share", "--show-values"]);
    assert!(
        shown.contains("misaki.takahashi@docomo.ne.jp") && shown.contains("髙橋 美咲"),
        "{shown}"
    );
}

#[test]
fn a_request_without_values_or_with_an_unreadable_one_is_refused() {
    let t = Tree::new();
    t.file("share/a.txt", "TEL 090-5555-0142\n");
    let out = piimap_in(t.path(), &["subject", "share"]);
    assert_eq!(code(&out), 2);
    assert!(String::from_utf8_lossy(&out.stderr).contains("nothing to search for"));
    let out = piimap_in(t.path(), &["subject", "share", "--birth-date", "1987-13-45"]);
    assert_eq!(code(&out), 2);
    let err = String::from_utf8_lossy(&out.stderr).to_string();
    assert!(err.contains("--birth-date") && !err.contains("1987"), "{err}");
    // No match: exit 0, and the answer says so.
    let out = piimap_in(
        t.path(),
        &["subject", "share", "--email", "nobody@docomo.ne.jp", "--lang", "en"],
    );
    assert_eq!(code(&out), 0);
    assert!(String::from_utf8_lossy(&out.stdout).contains("Matches: 0 strong, 0 possible"));
    // An index needs its key.
    let out = piimap_in(t.path(), &["scan", "share", "--index", "x.idx"]);
    assert_eq!(code(&out), 2);
    assert!(String::from_utf8_lossy(&out.stderr).contains("PIIMAP_INDEX_KEY"));
    assert!(!t.path().join("x.idx").exists());
}

#[test]
fn what_could_not_be_searched_is_listed_and_exits_2() {
    let t = Tree::new();
    t.file("share/a.txt", "TEL 090-5555-0142\n");
    t.file("share/broken.xlsx", b"PK\x03\x04 not a workbook");
    let key = t.path().join("k");
    std::fs::write(&key, "k").unwrap();
    let key = key.to_str().unwrap();
    let (status, text) = ask(t.path(), &["share", "--lang", "en"]);
    assert_eq!(status, 2, "{text}");
    assert!(text.contains("Could not be searched") && text.contains("share/broken.xlsx"), "{text}");
    let scan = piimap_in(t.path(), &["scan", "share", "--index", "i.idx", "--index-key-file", key]);
    assert_eq!(code(&scan), 2);
    let (status, json) =
        ask(t.path(), &["--index", "i.idx", "--index-key-file", key, "--format", "json"]);
    assert_eq!(status, 2, "{json}");
    let answer: Value = serde_json::from_str(&json).unwrap();
    assert_eq!(answer["errors"][0]["path"], "share/broken.xlsx");
    assert_eq!(answer["summary"]["strong"], 1);
}

/// Records span many index pages (64 records each) and locations of every
/// size: each person asked for is found from the index exactly as a scan
/// finds them, wherever their record falls.
#[test]
fn index_answers_equal_scan_answers_across_pages() {
    let t = Tree::new();
    let rows = |n: usize, tag: &str| -> String {
        let mut csv = String::from("氏名,メール,電話番号\n");
        for i in 1..=n {
            csv.push_str(&format!("高橋 美咲,{tag}{i}@docomo.ne.jp,090-5555-{:04}\n", i % 10_000));
        }
        csv
    };
    t.file("share/a_small.csv", rows(3, "small"));
    t.file("share/b_large.csv", rows(200, "large"));
    t.file("share/c_small.csv", rows(1, "tiny"));
    let key = t.path().join("k");
    std::fs::write(&key, "pages").unwrap();
    let key = key.to_str().unwrap();
    let scan =
        piimap_in(t.path(), &["scan", "share", "-q", "--index", "i.idx", "--index-key-file", key]);
    assert_eq!(code(&scan), 1);
    for email in [
        "small3@docomo.ne.jp",
        "large1@docomo.ne.jp",
        "large64@docomo.ne.jp",
        "large65@docomo.ne.jp",
        "large200@docomo.ne.jp",
        "tiny1@docomo.ne.jp",
    ] {
        let ask = ["subject", "--email", email, "--format", "json"];
        let by_scan: Vec<&str> = ask.iter().copied().chain(["share"]).collect();
        let by_index: Vec<&str> =
            ask.iter().copied().chain(["--index", "i.idx", "--index-key-file", key]).collect();
        let from_scan: Value =
            serde_json::from_slice(&piimap_in(t.path(), &by_scan).stdout).unwrap();
        let mut from_index: Value =
            serde_json::from_slice(&piimap_in(t.path(), &by_index).stdout).unwrap();
        from_index["source"] = "scan".into();
        assert_eq!(from_index, from_scan, "{email}");
        assert_eq!(from_scan["summary"]["strong"], 1, "{email}");
    }
    // A name shared by all 204 records: every one of them, from either.
    let ask = ["subject", "--name", "高橋 美咲", "--format", "json"];
    let from_scan: Value =
        serde_json::from_slice(&piimap_in(t.path(), &[&ask[..], &["share"]].concat()).stdout)
            .unwrap();
    let mut from_index: Value = serde_json::from_slice(
        &piimap_in(t.path(), &[&ask[..], &["--index", "i.idx", "--index-key-file", key]].concat())
            .stdout,
    )
    .unwrap();
    from_index["source"] = "scan".into();
    assert_eq!(from_scan["summary"]["possible"], 204);
    assert_eq!(from_index, from_scan);
}

//! Leak response (`piimap incident`) on generated leaks: 1,200 customers
//! spread over a CSV, an xlsx and a mailbox with 300 of them in two files;
//! 40 customers with card numbers; 20 names and e-mails sent to the wrong
//! person. Asserts the people estimate, the decision with its rule ids, the
//! notification list (one line per person; raw values only with
//! --show-values, the file created new and 0600) and the saved-inventory
//! mode.
//!
//! Values: names are the 40 commonest surnames × 30 given names, e-mail
//! addresses at example.jp (reserved for examples), 070 phones with a
//! running number, birth dates and Tokyo addresses computed from the
//! person's number, card numbers with a valid Luhn digit built here from a
//! 4-prefix and the person's number (no real card).

use std::collections::BTreeSet;

use serde_json::Value;

use crate::util::*;

const SURNAMES: [&str; 40] = [
    "佐藤",
    "鈴木",
    "高橋",
    "田中",
    "伊藤",
    "渡辺",
    "山本",
    "中村",
    "小林",
    "加藤",
    "吉田",
    "山田",
    "佐々木",
    "山口",
    "松本",
    "井上",
    "木村",
    "林",
    "斎藤",
    "清水",
    "山崎",
    "森",
    "池田",
    "橋本",
    "阿部",
    "石川",
    "山下",
    "中島",
    "石井",
    "小川",
    "前田",
    "岡田",
    "長谷川",
    "藤田",
    "後藤",
    "近藤",
    "村上",
    "遠藤",
    "青木",
    "坂本",
];
const GIVEN: [&str; 30] = [
    "太郎",
    "花子",
    "一郎",
    "美咲",
    "健太",
    "陽菜",
    "翔太",
    "結衣",
    "大輔",
    "さくら",
    "拓也",
    "愛",
    "直樹",
    "彩",
    "誠",
    "恵",
    "浩二",
    "由美",
    "隆",
    "真由美",
    "大樹",
    "明日香",
    "亮",
    "優子",
    "哲也",
    "裕子",
    "剛",
    "智子",
    "学",
    "舞",
];

/// Customer `i` (0..1200): name, e-mail, phone, birth date, address.
fn customer(i: usize) -> [String; 5] {
    [
        format!("{} {}", SURNAMES[i % 40], GIVEN[i / 40]),
        format!("customer{i:04}@example.jp"),
        format!("070-{:04}-{:04}", 3000 + i / 100, 1000 + i),
        format!("{}-{:02}-{:02}", 1950 + i % 50, 1 + i % 12, 1 + i % 28),
        format!("東京都千代田区千代田{}-{}-{}", 1 + i % 9, 1 + i % 20, 1 + i % 30),
    ]
}

const HEADER: [&str; 5] = ["氏名", "メールアドレス", "電話番号", "生年月日", "住所"];

fn csv(people: impl Iterator<Item = usize>) -> String {
    let mut out = HEADER.join(",") + "\n";
    for i in people {
        out.push_str(&customer(i).join(","));
        out.push('\n');
    }
    out
}

fn workbook(people: impl Iterator<Item = usize>) -> Vec<u8> {
    let rows: Vec<[String; 5]> = people.map(customer).collect();
    let mut table: Vec<Vec<&str>> = vec![HEADER.to_vec()];
    table.extend(rows.iter().map(|r| r.iter().map(String::as_str).collect()));
    let refs: Vec<&[&str]> = table.iter().map(Vec::as_slice).collect();
    xlsx(&refs)
}

/// One message per person: the customer writes in, with their name and
/// address in the body.
fn mailbox(people: impl Iterator<Item = usize>) -> String {
    let mut out = String::new();
    for i in people {
        let [name, email, phone, _, _] = customer(i);
        out.push_str(&format!(
            "From customer{i:04}@example.jp Mon Apr  1 10:00:00 2024\n\
             From: {email}\nTo: support@example.com\nSubject: change of address\n\
             Date: Mon, 1 Apr 2024 10:00:00 +0900\nMessage-ID: <{i}@example.jp>\n\n\
             {name} 様（{email}、電話 {phone}）より住所変更のご依頼がありました。\n\n"
        ));
    }
    out
}

/// The leak of the issue: CSV 0..700, xlsx 550..1000, mailbox 850..1200 —
/// 1,200 people, 150 in both the CSV and the xlsx, 150 in both the xlsx
/// and the mailbox.
fn big_leak() -> Tree {
    let t = Tree::new();
    t.file("leak/customers.csv", csv(0..700))
        .file("leak/members.xlsx", workbook(550..1000))
        .file("leak/support.mbox", mailbox(850..1200));
    t
}

fn json(out: &std::process::Output) -> Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "{e}: {}\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    })
}

fn rules(a: &Value) -> Vec<&str> {
    a["reasons"].as_array().unwrap().iter().map(|r| r["rule"].as_str().unwrap()).collect()
}

#[test]
fn a_leak_of_1200_customers_across_three_files_must_be_reported() {
    let t = big_leak();
    let out = piimap_in(t.path(), &["incident", "leak", "--format", "json"]);
    assert_eq!(code(&out), 1, "{}", String::from_utf8_lossy(&out.stderr));
    let a = json(&out);
    validate_json("schemas/incident.schema.json", &String::from_utf8_lossy(&out.stdout));
    let people = a["people"]["estimate"].as_u64().unwrap();
    assert!((1176..=1224).contains(&people), "people {people}");
    assert_eq!(a["people"]["method"], "keyed-identity");
    // Without matching across files, the overlap counts twice.
    let sum = a["people"]["sum_of_locations"].as_u64().unwrap();
    assert!((1470..=1530).contains(&sum), "sum of locations {sum}");
    assert_eq!(a["decision"], "mandatory");
    assert_eq!(rules(&a), ["appi-7-4-over-1000", "notice-any-person", "check-sensitive"]);
    let paths: Vec<&str> =
        a["locations"].as_array().unwrap().iter().map(|l| l["path"].as_str().unwrap()).collect();
    assert_eq!(paths, ["leak/customers.csv", "leak/members.xlsx", "leak/support.mbox"]);
    let categories: BTreeSet<&str> = a["categories"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["category"].as_str().unwrap())
        .collect();
    for c in ["name", "email", "phone", "birth_date", "address"] {
        assert!(categories.contains(c), "{c} in {categories:?}");
    }
    // The draft names the number of people and leaves the dates to the user.
    let draft = a["draft"].as_array().unwrap();
    assert_eq!(draft.len(), 10);
    assert_eq!(draft[2]["ja"], format!("約{people}人（推定）"));
    assert_eq!(draft[3]["ja"], "（記入してください）");
    // No value in the assessment.
    let text = String::from_utf8_lossy(&out.stdout);
    for i in [0, 600, 900, 1199] {
        for value in customer(i) {
            assert!(!text.contains(&value), "{value} in the assessment");
        }
    }
}

#[test]
fn the_notification_list_has_one_line_per_person_and_raw_values_only_when_asked() {
    let t = big_leak();
    let out = piimap_in(
        t.path(),
        &["incident", "leak", "--format", "json", "--notify-list", "notify.jsonl", "--show-values"],
    );
    assert_eq!(code(&out), 1, "{}", String::from_utf8_lossy(&out.stderr));
    validate_json("schemas/incident.schema.json", &String::from_utf8_lossy(&out.stdout));
    let a = json(&out);
    let listed = a["notify_list"]["people"].as_u64().unwrap();
    assert_eq!(listed, a["people"]["estimate"].as_u64().unwrap());
    assert_eq!(
        (a["notify_list"]["raw"].as_bool(), a["notify_list"]["truncated"].as_bool()),
        (Some(true), Some(false))
    );
    let list = std::fs::read_to_string(t.path().join("notify.jsonl")).unwrap();
    assert_eq!(list.lines().count() as u64, listed);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(t.path().join("notify.jsonl")).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    // Customer 600 is in the CSV and the xlsx: one line, both files, one
    // e-mail address.
    let line: Value = list
        .lines()
        .map(|l| serde_json::from_str::<Value>(l).unwrap())
        .find(|l| {
            l["email"]
                .as_array()
                .is_some_and(|e| e.iter().any(|p| p["value"] == "customer0600@example.jp"))
        })
        .expect("customer 600 listed");
    assert_eq!(line["email"].as_array().unwrap().len(), 1);
    assert_eq!(line["name"][0]["value"], customer(600)[0]);
    assert_eq!(line["found_in"], serde_json::json!(["leak/customers.csv", "leak/members.xlsx"]));
    let numbers: Vec<u64> = list
        .lines()
        .map(|l| serde_json::from_str::<Value>(l).unwrap()["person"].as_u64().unwrap())
        .collect();
    assert_eq!(numbers, (1..=listed).collect::<Vec<_>>());

    // Without --show-values: masked values and fingerprints, no raw value.
    let out = piimap_in(t.path(), &["incident", "leak", "--notify-list", "masked.jsonl"]);
    assert_eq!(code(&out), 1, "{}", String::from_utf8_lossy(&out.stderr));
    let masked = std::fs::read_to_string(t.path().join("masked.jsonl")).unwrap();
    assert_eq!(masked.lines().count() as u64, listed);
    for i in [0, 600, 900, 1199] {
        for value in &customer(i)[..3] {
            assert!(!masked.contains(value.as_str()), "{value} in the masked list");
        }
        let digits: String = customer(i)[2].chars().filter(char::is_ascii_digit).collect();
        assert!(!masked.contains(&digits), "{digits} in the masked list");
    }
    let first: Value = serde_json::from_str(masked.lines().next().unwrap()).unwrap();
    assert_eq!(first["raw"], false);
    assert_eq!(first["email"][0]["fingerprint"].as_str().unwrap().len(), 16);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("masked.jsonl"), "{stdout}");

    // An existing file, or a symlink to one, is never written through.
    std::fs::write(t.path().join("victim.txt"), "keep").unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink(t.path().join("victim.txt"), t.path().join("link.jsonl")).unwrap();
    for name in ["masked.jsonl", "link.jsonl"] {
        let out = piimap_in(t.path(), &["incident", "leak", "--notify-list", name]);
        assert_eq!(code(&out), 2, "{name}");
        assert!(String::from_utf8_lossy(&out.stderr).contains("must not exist yet"), "{name}");
    }
    assert_eq!(std::fs::read_to_string(t.path().join("victim.txt")).unwrap(), "keep");
}

/// A valid card number (Luhn) from a 4-prefix and `n`.
fn card(n: usize) -> String {
    let body: Vec<u32> = format!("4{:014}", 39_271_000_000 + n * 7_919)
        .chars()
        .map(|c| c.to_digit(10).unwrap())
        .collect();
    let sum: u32 = body
        .iter()
        .rev()
        .enumerate()
        .map(|(k, &d)| if k % 2 == 0 { if d * 2 > 9 { d * 2 - 9 } else { d * 2 } } else { d })
        .sum();
    let check = (10 - sum % 10) % 10;
    let digits: String = body.iter().map(|d| char::from_digit(*d, 10).unwrap()).collect();
    format!("{digits}{check}")
}

#[test]
fn forty_card_numbers_must_be_reported_though_under_a_thousand_people() {
    let t = Tree::new();
    let mut rows = String::from("氏名,カード番号,メールアドレス\n");
    for i in 0..40 {
        rows.push_str(&format!("{},{},{}\n", customer(i)[0], card(i), customer(i)[1]));
    }
    t.file("cards.csv", rows);
    let out = piimap_in(t.path(), &["incident", ".", "--cause", "loss", "--format", "json"]);
    assert_eq!(code(&out), 1, "{}", String::from_utf8_lossy(&out.stderr));
    let a = json(&out);
    assert_eq!(a["people"]["estimate"], 40);
    assert_eq!(a["decision"], "mandatory");
    assert_eq!(rules(&a), ["appi-7-2-financial-damage", "notice-any-person", "check-sensitive"]);
    let card = a["categories"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["category"] == "payment_card")
        .unwrap();
    assert_eq!(
        (card["findings"].as_u64(), card["special"].as_str()),
        (Some(40), Some("financial"))
    );
}

fn misdelivered() -> Tree {
    let t = Tree::new();
    let rows: String =
        (0..20).map(|i| format!("{}\t{}\n", customer(i)[0], customer(i)[1])).collect();
    t.file("sent.tsv", format!("氏名\tメールアドレス\n{rows}"));
    t
}

#[test]
fn twenty_names_and_emails_misdelivered_need_no_report_but_a_notice() {
    let t = misdelivered();
    let out = piimap_in(t.path(), &["incident", ".", "--cause", "misdelivery", "--format", "json"]);
    assert_eq!(code(&out), 1, "{}", String::from_utf8_lossy(&out.stderr));
    let a = json(&out);
    assert_eq!(a["people"]["estimate"], 20);
    assert_eq!(a["decision"], "recommended");
    assert_eq!(rules(&a), ["notice-any-person", "check-sensitive"]);
    // The same leak by an attacker must be reported.
    let out = piimap_in(
        t.path(),
        &["incident", ".", "--cause", "unauthorized-access", "--format", "json"],
    );
    let a = json(&out);
    assert_eq!(a["decision"], "mandatory");
    assert_eq!(rules(&a), ["appi-7-3-unjust-purpose", "notice-any-person", "check-sensitive"]);
}

#[test]
fn nothing_personal_needs_nothing_and_exits_0() {
    let t = Tree::new();
    t.file("readme.txt", "version 1.2.3, build 2024-05-01\n");
    let out = piimap_in(t.path(), &["incident", ".", "--format", "json"]);
    assert_eq!(code(&out), 0, "{}", String::from_utf8_lossy(&out.stderr));
    let a = json(&out);
    assert_eq!(
        (a["decision"].as_str(), a["people"]["estimate"].as_u64()),
        (Some("not_required"), Some(0))
    );
    assert_eq!(rules(&a), Vec::<&str>::new());
}

#[test]
fn a_saved_inventory_is_assessed_by_adding_up_its_locations() {
    let t = misdelivered();
    t.file("copy.tsv", std::fs::read(t.path().join("sent.tsv")).unwrap());
    let out = piimap_in(t.path(), &["scan", ".", "--format", "json", "-o", "inventory.json"]);
    assert_eq!(code(&out), 1);
    let out =
        piimap_in(t.path(), &["incident", "--inventory", "inventory.json", "--format", "json"]);
    assert_eq!(code(&out), 1, "{}", String::from_utf8_lossy(&out.stderr));
    let a = json(&out);
    // The same 20 people in two files: without identities, 40.
    assert_eq!(a["people"]["method"], "sum-of-locations");
    assert_eq!(a["people"]["estimate"], 40);
    // Scanned directly, they are matched: 20.
    let a = json(&piimap_in(t.path(), &["incident", "sent.tsv", "copy.tsv", "--format", "json"]));
    assert_eq!(a["people"]["estimate"], 20);
    // A list needs identities: refused with a saved inventory.
    let out = piimap_in(
        t.path(),
        &["incident", "--inventory", "inventory.json", "--notify-list", "n.jsonl"],
    );
    assert_eq!(code(&out), 2);
    assert!(!t.path().join("n.jsonl").exists());
}

#[test]
fn an_unreadable_item_is_listed_and_exits_2() {
    let t = misdelivered();
    t.file("broken.xlsx", b"PK\x03\x04 not really a workbook".as_slice());
    let out = piimap_in(t.path(), &["incident", ".", "--format", "json"]);
    assert_eq!(code(&out), 2);
    let a = json(&out);
    assert_eq!(a["errors"][0]["path"], "./broken.xlsx");
    assert_eq!(a["decision"], "recommended");
}

#[test]
fn every_format_and_language_words_the_decision() {
    let t = misdelivered();
    for (format, lang, want) in [
        ("text", "ja", "報告義務なし（本人への通知を推奨）"),
        ("text", "en", "Not mandatory: notifying the people is recommended"),
        ("markdown", "ja", "| `notice-any-person` | 推奨 |"),
        ("markdown", "en", "| `notice-any-person` | recommended |"),
        ("html", "ja", "<p id=\"decision\" class=\"recommended\"><b>報告義務なし"),
        ("html", "en", "<html lang=\"en\">"),
    ] {
        let out = piimap_in(
            t.path(),
            &["incident", ".", "--cause", "misdelivery", "--format", format, "--lang", lang],
        );
        assert_eq!(code(&out), 1, "{format} {lang}");
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(text.contains(want), "{format} {lang}: {text}");
        // The draft is always in Japanese: the form is.
        assert!(text.contains("誤送付・誤送信により"), "{format} {lang}: {text}");
        for i in 0..20 {
            assert!(!text.contains(&customer(i)[1]), "{format} {lang}: an e-mail address");
        }
    }
}

#[test]
fn the_rules_can_be_replaced_by_a_file_and_bad_ones_are_refused() {
    let t = misdelivered();
    t.file(
        "strict.toml",
        "[[rule]]\nid = \"any-leak\"\ndecision = \"mandatory\"\npeople_over = 10\n\
         basis = { ja = \"社内規程\", en = \"house rule\" }\nreason = { ja = \"10人超\", en = \"over 10\" }\n",
    );
    let a = json(&piimap_in(
        t.path(),
        &["incident", "sent.tsv", "--incident-rules", "strict.toml", "--format", "json"],
    ));
    assert_eq!((a["decision"].as_str(), rules(&a)), (Some("mandatory"), vec!["any-leak"]));
    t.file("bad.toml", "[[rule]]\nid = \"x\"\n");
    let out = piimap_in(t.path(), &["incident", "sent.tsv", "--incident-rules", "bad.toml"]);
    assert_eq!(code(&out), 2);
    assert!(String::from_utf8_lossy(&out.stderr).contains("bad.toml"));
}

#[test]
fn records_identifying_only_in_combination_count_one_each() {
    // Birth date + gender + postal code identify in combination
    // (patterns/combinations.toml) without a name: five rows, five people;
    // a postal code alone identifies no one.
    let t = Tree::new();
    let rows: String = (0..5)
        .map(|i| format!("{},{},530-00{}\n", customer(i)[3], ["男", "女"][i % 2], 11 + i))
        .collect();
    t.file("survey.csv", format!("生年月日,性別,郵便番号\n{rows}"));
    t.file("codes.csv", "郵便番号\n530-0021\n530-0022\n");
    let a = json(&piimap_in(t.path(), &["incident", ".", "--format", "json"]));
    assert_eq!(a["people"]["estimate"], 5);
    assert_eq!(a["decision"], "recommended");
}

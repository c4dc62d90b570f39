//! Names and identifiability on the committed fixtures: each name form found
//! by its own detector at its line, the look-alikes not at all, and each
//! location's identifiability, fired rules, records and estimated people.

use serde_json::Value;

use crate::util::*;

/// `(line, detector)` of every finding in one fixture file.
fn detectors_in(values: &[Value], path: &str) -> Vec<(u64, String)> {
    values
        .iter()
        .filter(|v| is_cell(v) && v["path"] == path)
        .map(|v| (v["line"].as_u64().unwrap(), v["detector"].as_str().unwrap().to_string()))
        .collect()
}

fn scan_fixtures(dir: &str) -> Vec<Value> {
    jsonl(&piimap(&["scan", &format!("fixtures/{dir}"), "--format", "jsonl"]))
}

#[test]
fn every_name_form_is_found_by_its_detector() {
    let values = scan_fixtures("names");
    let s = |x: &str| x.to_string();
    assert_eq!(
        detectors_in(&values, "fixtures/names/forms.txt"),
        [
            (1, s("jp.name-kanji")),          // 氏名：山田太郎
            (2, s("jp.name-kanji")),          // お名前：佐藤 花子 様
            (3, s("jp.name-kanji")),          // 高橋様より
            (4, s("jp.name-kanji")),          // 担当：渡辺
            (5, s("jp.name-kanji")),          // 氏名（漢字）：勅使河原 宏
            (6, s("jp.name-kana")),           // フリガナ：ヤマダ タロウ
            (7, s("jp.name-kana")),           // ふりがな：さとう はなこ
            (8, s("jp.name-halfwidth-kana")), // 口座名義：ﾀｶﾊｼ ｲﾁﾛｳ
            (9, s("jp.name-romaji")),         // Taro Yamada
            (10, s("jp.name-romaji")),        // YAMADA Hanako
            (11, s("name-english")),          // Customer: John Smith
            (12, s("name-english")),          // Mary A. Johnson
            (13, s("name-english")),          // Dr. Emily Clark
        ]
    );
    // Companies (株式会社, ｶ)), places, honorific words, identifiers and
    // capitalised phrases are no one's name.
    assert_eq!(detectors_in(&values, "fixtures/names/negative.txt"), []);
    // Under name headers every value is judged whole; a corporate holder
    // (ｶ)ｺﾊﾞﾔｼｺｳｷﾞﾖｳ) is not a person.
    let table: Vec<_> = values
        .iter()
        .filter(|v| is_cell(v) && v["path"] == "fixtures/names/accounts.csv")
        .map(|v| {
            (
                v["line"].as_u64().unwrap(),
                v["field"].as_str().unwrap().to_string(),
                v["detector"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        table,
        [
            (2, s("氏名"), s("jp.name-kanji")),
            (2, s("フリガナ"), s("jp.name-kana")),
            (2, s("口座名義"), s("jp.name-halfwidth-kana")),
            (3, s("氏名"), s("jp.name-kanji")),
            (3, s("フリガナ"), s("jp.name-kana")),
        ]
    );
    // Masked: the first character only.
    let first = values.iter().find(|v| is_cell(v)).unwrap();
    assert_eq!(first["masked"], "中***");
}

/// The location line of `path`.
fn location<'a>(values: &'a [Value], path: &str) -> &'a Value {
    values
        .iter()
        .find(|v| v["type"] == "location" && v["path"] == path)
        .unwrap_or_else(|| panic!("no location {path}"))
}

fn rules(l: &Value) -> Vec<&str> {
    l["rules"].as_array().unwrap().iter().map(|r| r.as_str().unwrap()).collect()
}

#[test]
fn locations_carry_identifiability_rules_and_people() {
    let values = scan_fixtures("");
    // A form: name, contact data, account and attributes in one paragraph.
    let form = location(&values, "fixtures/ja/moushikomi_utf8.txt");
    assert_eq!(form["identifiability"], "direct");
    assert_eq!(
        rules(form),
        [
            "account-holder",
            "attribute",
            "birth-and-address",
            "birth-gender-place",
            "contact-point",
            "name",
            "name-with-contact"
        ]
    );
    assert_eq!((form["records"].as_u64(), form["subjects"].as_u64()), (Some(1), Some(1)));
    assert_eq!(form["categories"]["name"], 1);
    // Every finding of the form carries its record (known by its first
    // finding's line: the name on line 2) and the record's level.
    for f in values.iter().filter(|v| is_cell(v) && v["path"] == "fixtures/ja/moushikomi_utf8.txt")
    {
        assert_eq!(
            (f["record"].as_u64(), f["identifiability"].as_str()),
            (Some(2), Some("direct"))
        );
    }
    // ID copies: a My Number identifies alone.
    let ids = location(&values, "fixtures/ja/honnin_kakunin.txt");
    assert_eq!(ids["identifiability"], "direct");
    assert_eq!(rules(ids), ["attribute", "national-id"]);
    // Birth date, gender and postal code without a name: two answers, each
    // identifying in combination.
    let survey = location(&values, "fixtures/identify/survey.txt");
    assert_eq!(survey["identifiability"], "combination");
    assert_eq!(rules(survey), ["attribute", "birth-gender-place"]);
    assert_eq!((survey["records"].as_u64(), survey["subjects"].as_u64()), (Some(2), Some(2)));
    // A bare postal code only links to a person.
    let postal = location(&values, "fixtures/identify/postal_only.txt");
    assert_eq!(postal["identifiability"], "linkable");
    assert_eq!(rules(postal), ["attribute"]);
    assert_eq!(postal["subjects"], 0);
    // One customer a line: three records, two people (one listed twice).
    let list = location(&values, "fixtures/identify/customers.txt");
    assert_eq!(rules(list), ["contact-point", "name", "name-with-contact"]);
    assert_eq!((list["records"].as_u64(), list["subjects"].as_u64()), (Some(3), Some(2)));
    // A customer table: a row with a name in kanji, kana and half-width kana
    // is one person.
    let table = location(&values, "fixtures/names/accounts.csv");
    assert_eq!((table["records"].as_u64(), table["subjects"].as_u64()), (Some(2), Some(2)));
    let csv = location(&values, "fixtures/ja/kokyaku.csv");
    assert_eq!(csv["subjects"].as_u64(), csv["records"].as_u64());
    // A floor plan whose title block names the owner identifies a home; a
    // plan known only by its file name does not.
    let plan = location(&values, "fixtures/cad/house_utf8.dxf");
    assert!(rules(plan).contains(&"home-plan"), "{plan}");
    assert_eq!((plan["records"].as_u64(), plan["subjects"].as_u64()), (Some(1), Some(1)));
    let image = values
        .iter()
        .find(|v| v["type"] == "location" && v["path"].as_str().unwrap().ends_with("_間取り図.png"))
        .unwrap();
    assert_eq!(
        (image["identifiability"].as_str(), rules(image)),
        (Some("linkable"), vec!["attribute"])
    );
    // The summary adds the people up.
    let summary = values.iter().find(|v| v["type"] == "summary").unwrap();
    let people: u64 = values
        .iter()
        .filter(|v| v["type"] == "location")
        .map(|v| v["subjects"].as_u64().unwrap())
        .sum();
    assert_eq!(summary["subjects"].as_u64(), Some(people));
    assert_eq!(
        summary["locations"].as_u64().unwrap() as usize,
        values.iter().filter(|v| v["type"] == "location").count()
    );
}

#[test]
fn test_data_identifies_no_one_and_dropped_findings_are_forgotten() {
    let t = Tree::new();
    t.file("a.txt", "お名前：山田 太郎 様\n電話：090-0000-0000\n");
    let values = jsonl(&piimap_in(t.path(), &["scan", ".", "--format", "jsonl"]));
    // The dummy phone is reported (low) but takes no part in the record.
    let l = location(&values, "./a.txt");
    assert_eq!(rules(l), ["name"]);
    // With the name allowlisted, only the dummy phone is left: no level.
    t.file(".piimap.toml", "[allow]\nvalues = [\"山田 太郎\"]\n");
    let values = jsonl(&piimap_in(t.path(), &["scan", ".", "--format", "jsonl"]));
    let l = location(&values, "./a.txt");
    assert!(l["identifiability"].is_null(), "{l}");
    assert_eq!(l["subjects"], 0);
}

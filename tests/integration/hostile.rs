//! Hostile inputs (issue 20): each test is named after the item it guards
//! and generates its file. Work per line or record must stay linear in its
//! length: these inputs took minutes to hours when each value was placed
//! by re-reading its line from the start; here they must come back with
//! every value found and placed exactly.

use serde_json::Value;

use crate::util::*;

/// The value findings of a scan as `(line, column, category, field)`.
fn placed(values: &[Value]) -> Vec<(u64, u64, String, Option<String>)> {
    values
        .iter()
        .filter(|v| is_cell(v))
        .map(|v| {
            (
                v["line"].as_u64().unwrap(),
                v["column"].as_u64().unwrap(),
                v["category"].as_str().unwrap().to_string(),
                v["field"].as_str().map(str::to_string),
            )
        })
        .collect()
}

/// The 1-based character columns where `needle` starts in `line`.
fn columns_of(line: &str, needle: &str) -> Vec<u64> {
    line.match_indices(needle).map(|(at, _)| line[..at].chars().count() as u64 + 1).collect()
}

fn scan(t: &Tree, file: &str) -> Vec<Value> {
    let out = piimap_in(t.path(), &["scan", file, "--format", "jsonl"]);
    assert_eq!(code(&out), 1, "{}", String::from_utf8_lossy(&out.stderr));
    jsonl(&out)
}

#[test]
fn item6_thirty_thousand_phones_on_one_line_are_each_placed_and_suppressed_per_line() {
    // Kanji before the numbers makes columns differ from byte offsets.
    let line: String =
        (0..30_000).map(|i| format!("電話 03-{:04}-{:04} ", 1000 + i % 9000, i % 10_000)).collect();
    let allowed = "電話 03-1111-2222 電話 03-3333-4444 # piimap:allow=phone";
    let t = Tree::new();
    t.file("calls.log", format!("{line}\n{allowed}\n{line}\n"));
    let found = placed(&scan(&t, "calls.log"));
    let expected: Vec<(u64, u64, String, Option<String>)> = [1, 3]
        .into_iter()
        .flat_map(|n| {
            columns_of(&line, "電話 ").into_iter().map(move |c| (n, c + 3, "phone".into(), None))
        })
        .collect();
    same(&found, &expected);
}

/// Asserts two long lists are equal, showing only the first difference.
fn same<T: PartialEq + std::fmt::Debug>(found: &[T], expected: &[T]) {
    let first = found.iter().zip(expected).position(|(f, e)| f != e);
    assert_eq!(
        (found.len(), first.map(|i| (&found[i], &expected[i]))),
        (expected.len(), None),
        "(count, first difference)"
    );
}

#[test]
fn item6_minified_json_with_twenty_thousand_emails_is_placed_exactly() {
    let json = format!(
        "[{}]",
        (0..20_000)
            .map(|i| format!(r#"{{"メール":"user{i}@example.jp"}}"#))
            .collect::<Vec<_>>()
            .join(",")
    );
    let t = Tree::new();
    t.file("export.json", &json);
    let found = placed(&scan(&t, "export.json"));
    let expected: Vec<(u64, u64, String, Option<String>)> = columns_of(&json, "user")
        .into_iter()
        .map(|c| (1, c, "email".into(), Some("メール".into())))
        .collect();
    same(&found, &expected);
}

#[test]
fn item6_three_thousand_labelled_names_on_one_line_are_each_found() {
    let line = "氏名：山田太郎　".repeat(3_000);
    let t = Tree::new();
    t.file("names.txt", format!("{line}\n"));
    let found = placed(&scan(&t, "names.txt"));
    let expected: Vec<(u64, u64, String, Option<String>)> =
        columns_of(&line, "山田").into_iter().map(|c| (1, c, "name".into(), None)).collect();
    same(&found, &expected);
}

#[test]
fn item6_a_row_of_twenty_thousand_columns_gives_each_value_its_header() {
    let n = 20_000;
    // Header names hold no digits (a run of digits would make them data).
    let letters = |i: usize| -> String {
        (0..4).map(|k| char::from(b'a' + (i / 26usize.pow(k) % 26) as u8)).collect()
    };
    let header: Vec<String> = (0..n).map(|i| format!("mail_{}", letters(i))).collect();
    let row: Vec<String> = (0..n).map(|i| format!("u{i}@example.jp")).collect();
    let t = Tree::new();
    t.file("wide.csv", format!("{}\n{}\n", header.join(","), row.join(",")));
    let found = placed(&scan(&t, "wide.csv"));
    let expected: Vec<(u64, u64, String, Option<String>)> = (0..n)
        .map(|i| {
            let column = row[..i].iter().map(|v| v.len() + 1).sum::<usize>() as u64 + 1;
            (2, column, "email".to_string(), Some(header[i].clone()))
        })
        .collect();
    same(&found, &expected);
}

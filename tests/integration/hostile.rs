//! Hostile inputs (issue 20): each test is named after the item it guards
//! and generates its file. Work per line or record must stay linear in its
//! length: these inputs took minutes to hours when each value was placed
//! by re-reading its line from the start; here they must come back with
//! every value found and placed exactly.

use std::collections::BTreeSet;

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

/// A worksheet part holding `cells` (reference, inline text).
fn sheet_xml(cells: &[(&str, &str)]) -> Vec<u8> {
    let mut xml = String::from(
        r#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>"#,
    );
    for (at, text) in cells {
        let row: String = at.chars().filter(char::is_ascii_digit).collect();
        xml.push_str(&format!(
            r#"<row r="{row}"><c r="{at}" t="inlineStr"><is><t>{text}</t></is></c></row>"#
        ));
    }
    xml.push_str("</sheetData></worksheet>");
    xml.into_bytes()
}

#[test]
fn item2_cells_at_the_far_corner_or_beyond_the_grid_cost_no_more_than_their_rows() {
    let book = |cells: &[(&str, &str)]| {
        with_member(&xlsx(&[&["x"]]), "xl/worksheets/sheet1.xml", &sheet_xml(cells))
    };
    let t = Tree::new();
    let corner = [("A1", "氏名：山田 太郎"), ("A2", "TEL 090-3141-5926"), ("XFD1048576", "x")];
    t.file("corner.xlsx", book(&corner))
        .file("letters.xlsx", book(&[("A1", "TEL 090-3141-5926"), ("AAAAAAAAAAAAAAA1", "x")]))
        .file("digits.xlsx", book(&[("A1", "TEL 090-3141-5926"), ("A99999999999999999999", "x")]))
        .file("notes.txt", "TEL 090-2718-2818\n");
    let out = piimap_in(t.path(), &["scan", ".", "--format", "jsonl"]);
    assert_eq!(code(&out), 2, "{}", String::from_utf8_lossy(&out.stderr));
    let values = jsonl(&out);
    let mut errors: Vec<&str> =
        of_type(&values, "error").iter().map(|e| e["path"].as_str().unwrap()).collect();
    errors.sort();
    assert_eq!(errors, ["./digits.xlsx", "./letters.xlsx"]);
    let mut found = located_findings(&values);
    found.sort();
    assert_eq!(
        found,
        [
            ("./corner.xlsx @sheet:顧客".to_string(), 1, "name".to_string()),
            ("./corner.xlsx @sheet:顧客".to_string(), 2, "phone".to_string()),
            ("./notes.txt".to_string(), 1, "phone".to_string()),
        ]
    );
}

/// An OpenDocument spreadsheet whose one table holds `rows` (XML).
fn ods(rows: &str) -> Vec<u8> {
    let content = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2"><office:body><office:spreadsheet><table:table table:name="顧客">{rows}</table:table></office:spreadsheet></office:body></office:document-content>"#
    );
    zip_of(&[
        ("mimetype", b"application/vnd.oasis.opendocument.spreadsheet"),
        ("META-INF/manifest.xml", br#"<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2"><manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/><manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>"#),
        ("content.xml", content.as_bytes()),
    ])
}

fn ods_cell(text: &str) -> String {
    format!(
        r#"<table:table-cell office:value-type="string"><text:p>{text}</text:p></table:table-cell>"#
    )
}

#[test]
fn item3_repeated_rows_and_columns_are_measured_before_they_are_expanded() {
    let phone = ods_cell("TEL 090-3141-5926");
    let x = ods_cell("x");
    let t = Tree::new();
    // A 1 KB file that expands to 1,048,576 × 16,384 cells, and one of
    // 30,000 rows × 1,000 mostly empty cells.
    t.file(
        "bomb.ods",
        ods(&format!(
            r#"<table:table-row>{phone}</table:table-row><table:table-row table:number-rows-repeated="1048575"><table:table-cell table:number-columns-repeated="16383"/>{x}</table:table-row>"#
        )),
    )
    .file(
        "empties.ods",
        ods(&format!(
            r#"<table:table-row>{phone}</table:table-row><table:table-row table:number-rows-repeated="30000"><table:table-cell table:number-columns-repeated="999"/>{x}</table:table-row>"#
        )),
    )
    // What LibreOffice writes: the rest of the grid as empty repeats.
    .file(
        "customers.ods",
        ods(&format!(
            r#"<table:table-row>{}{}</table:table-row><table:table-row>{}{}</table:table-row><table:table-row table:number-rows-repeated="1048574"><table:table-cell table:number-columns-repeated="16384"/></table:table-row>"#,
            ods_cell("氏名"),
            ods_cell("電話番号"),
            ods_cell("山田 太郎"),
            ods_cell("090-3141-5926")
        )),
    );
    let out = piimap_in(t.path(), &["scan", ".", "--format", "jsonl"]);
    assert_eq!(code(&out), 2, "{}", String::from_utf8_lossy(&out.stderr));
    let values = jsonl(&out);
    let mut errors: Vec<(&str, bool)> = of_type(&values, "error")
        .iter()
        .map(|e| {
            let message = e["message"].as_str().unwrap();
            (e["path"].as_str().unwrap(), message.contains("repeated rows and columns"))
        })
        .collect();
    errors.sort();
    assert_eq!(errors, [("./bomb.ods", true), ("./empties.ods", true)]);
    let mut found = located_findings(&values);
    found.sort();
    assert_eq!(
        found,
        [
            ("./customers.ods @sheet:顧客".to_string(), 2, "name".to_string()),
            ("./customers.ods @sheet:顧客".to_string(), 2, "phone".to_string()),
        ]
    );
}

#[test]
fn item4_a_server_that_accepts_and_never_answers_is_an_error_and_the_files_are_scanned() {
    // Two listeners that take connections and say nothing.
    let silent = || {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        std::thread::spawn(move || {
            let held: Vec<_> = listener.incoming().take(8).collect();
            std::thread::sleep(std::time::Duration::from_secs(60));
            drop(held);
        });
        port
    };
    let (pg, my) = (silent(), silent());
    let t = Tree::new();
    t.file("notes.txt", "TEL 090-2718-2818\n");
    let pg_url = format!("postgres://piimap@127.0.0.1:{pg}/test");
    let my_url = format!("mysql://root@127.0.0.1:{my}/test");
    let out = piimap_in(
        t.path(),
        &["scan", ".", &pg_url, &my_url, "--db-connect-timeout", "1", "--format", "jsonl"],
    );
    assert_eq!(code(&out), 2, "{}", String::from_utf8_lossy(&out.stderr));
    let values = jsonl(&out);
    let errors = errors(&values);
    let silence = "the server did not answer within 1 s (--db-connect-timeout)";
    assert_eq!(errors, [(&*pg_url, silence), (&*my_url, silence)]);
    assert_eq!(findings(&values), [("./notes.txt".to_string(), 1, "phone".to_string())]);
}

#[test]
fn item5_an_sqlite_view_that_never_ends_is_stopped_at_the_statement_timeout() {
    let t = Tree::new();
    let db = t.path().join("crm.db");
    let conn = rusqlite::Connection::open(&db).unwrap();
    conn.execute_batch(
        "CREATE TABLE customers(name TEXT, phone TEXT);
         INSERT INTO customers VALUES ('山田 太郎', '090-2718-2818');
         -- Counts for ever and returns nothing.
         CREATE VIEW endless AS WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n)
           SELECT x FROM n WHERE x < 0;
         -- Returns a row for ever.
         CREATE VIEW growing AS WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n)
           SELECT x FROM n;",
    )
    .unwrap();
    drop(conn);
    let target = format!("sqlite:{}", db.display());
    for full in [false, true] {
        let mut args = vec!["scan", &target, "--db-views", "--db-statement-timeout", "1"];
        args.extend(["--format", "jsonl"]);
        if full {
            args.push("--full");
        }
        let out = piimap_in(t.path(), &args);
        assert_eq!(code(&out), 2, "{}", String::from_utf8_lossy(&out.stderr));
        let values = jsonl(&out);
        let errors: Vec<String> = of_type(&values, "error")
            .iter()
            .map(|e| {
                assert!(e["message"].as_str().unwrap().contains("statement timeout (1 s)"), "{e}");
                e["path"].as_str().unwrap().rsplit('#').next().unwrap().to_string()
            })
            .collect();
        // Without --full, the growing view's sample is its first rows.
        let stopped: &[&str] =
            if full { &["main.endless", "main.growing"] } else { &["main.endless"] };
        assert_eq!(errors, stopped, "full: {full}");
        let categories: Vec<String> = findings(&values).into_iter().map(|f| f.2).collect();
        assert_eq!(categories, ["name", "phone"], "full: {full}");
    }
}

#[test]
fn item18_a_reader_that_stops_early_leaves_the_exit_code_of_what_was_found() {
    use std::io::BufRead;
    let t = Tree::new();
    for i in 0..200 {
        t.file(&format!("calls{i:03}.log"), "TEL 090-2718-2818\n".repeat(2_000));
    }
    for _ in 0..3 {
        let mut child = spawn_in(t.path(), &["scan", ".", "--format", "jsonl", "-j", "2"], true);
        let mut first = String::new();
        std::io::BufReader::new(child.stdout.take().unwrap()).read_line(&mut first).unwrap();
        // The reader is gone (`| head -1`): no error, and the exit code
        // still says what was printed was found.
        assert!(first.contains(r#""category":"phone""#), "{first}");
        let out = child.wait_with_output().unwrap();
        assert!(out.stderr.is_empty(), "{}", String::from_utf8_lossy(&out.stderr));
        assert_eq!(out.status.code(), Some(1));
    }
}

#[test]
fn item16_a_report_is_never_written_through_a_link_and_is_private() {
    use std::os::unix::fs::PermissionsExt;
    let t = Tree::new();
    t.file("notes.txt", "TEL 090-2718-2818\n").file("precious.txt", "keep me\n");
    let out_dir = tempfile::tempdir().unwrap();
    let link = out_dir.path().join("report.jsonl");
    std::os::unix::fs::symlink(t.path().join("precious.txt"), &link).unwrap();
    let link_arg = link.to_str().unwrap();
    let out = piimap_in(t.path(), &["scan", "notes.txt", "--format", "jsonl", "-o", link_arg]);
    assert_eq!(code(&out), 2);
    assert!(String::from_utf8_lossy(&out.stderr).contains("is a symbolic link"));
    assert_eq!(std::fs::read_to_string(t.path().join("precious.txt")).unwrap(), "keep me\n");
    // An existing report readable by others is made private.
    let old = out_dir.path().join("old.jsonl");
    std::fs::write(&old, "old\n").unwrap();
    std::fs::set_permissions(&old, std::fs::Permissions::from_mode(0o644)).unwrap();
    let out = piimap_in(
        t.path(),
        &["scan", "notes.txt", "--format", "jsonl", "-o", old.to_str().unwrap()],
    );
    assert_eq!(code(&out), 1, "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(std::fs::metadata(&old).unwrap().permissions().mode() & 0o777, 0o600);
    assert!(std::fs::read_to_string(&old).unwrap().starts_with(r#"{"type":"finding""#));
    // A device is written as it is.
    let out = piimap_in(t.path(), &["scan", "notes.txt", "-o", "/dev/null"]);
    assert_eq!(code(&out), 1, "{}", String::from_utf8_lossy(&out.stderr));
}

#[test]
fn item17_control_characters_in_names_are_escaped_in_text_and_markdown() {
    let t = Tree::new();
    t.file("evil\u{1b}[2J.txt", "TEL 090-2718-2818\n")
        .file("forged\nsummary.txt", "TEL 090-2718-2818\n");
    for format in ["text", "markdown"] {
        let out = piimap_in(t.path(), &["scan", ".", "--format", format]);
        assert_eq!(code(&out), 1, "{format}");
        let text = String::from_utf8(out.stdout).unwrap();
        assert!(!text.contains('\u{1b}'), "{format}: {text}");
        assert!(text.contains(r"evil\u{1b}"), "{format}: {text}");
        assert!(!text.lines().any(|l| l.starts_with("summary.txt")), "{format}: {text}");
    }
}

#[test]
fn item14_a_password_in_the_query_of_a_database_url_is_never_printed() {
    let t = Tree::new();
    // Nothing listens on port 1: the connection is refused at once.
    let pg = "postgres://piimap@127.0.0.1:1/test?password=hunter2&sslmode=disable";
    let my = "mysql://piimap:hunter2@127.0.0.1:1/test";
    for format in ["jsonl", "text", "html"] {
        let out = piimap_in(t.path(), &["scan", pg, my, "--format", format]);
        assert_eq!(code(&out), 2, "{format}");
        let all = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(!all.contains("hunter2"), "{format}: {all}");
        assert!(all.contains("postgres://piimap@127.0.0.1:1/test?sslmode=disable"), "{format}");
    }
}

#[test]
fn item11_a_log_with_a_nul_block_is_read_and_fifos_are_listed_as_skipped() {
    let t = Tree::new();
    let mut log = b"2026-12-01 10:00:00 login ok\n".repeat(4);
    log.extend([0u8; 4096]);
    log.extend(b"2026-12-01 10:05:00 TEL 090-2718-2818\n");
    t.file("app.log", log);
    for fifo in ["queue.pipe", "given.pipe"] {
        let made = std::process::Command::new("mkfifo").arg(t.path().join(fifo)).status().unwrap();
        assert!(made.success());
    }
    // One FIFO inside the walked folder, one given as a target.
    let out = piimap_in(t.path(), &["scan", ".", "given.pipe", "--format", "jsonl"]);
    assert_eq!(code(&out), 1, "{}", String::from_utf8_lossy(&out.stderr));
    let values = jsonl(&out);
    assert_eq!(findings(&values), [("./app.log".to_string(), 5, "phone".to_string())]);
    let mut skipped: Vec<(&str, &str)> = of_type(&values, "skipped")
        .iter()
        .map(|s| (s["path"].as_str().unwrap(), s["message"].as_str().unwrap()))
        .collect();
    skipped.sort();
    let fifo = "a FIFO (named pipe), not a regular file";
    assert_eq!(skipped, [("./given.pipe", fifo), ("./queue.pipe", fifo), ("given.pipe", fifo)]);
}

#[test]
fn a_line_that_starts_with_a_byte_order_mark_is_read_like_any_other() {
    // A byte order mark inside a file (files joined together) folds away:
    // the line's findings were an internal error, found by fuzzing.
    let t = Tree::new();
    t.file("joined.txt", "受付\n\u{FEFF}TEL 090-2718-2818\n\u{FEFF}# piimap:allow\n03-3333-0000\n");
    let out = piimap_in(t.path(), &["scan", ".", "--format", "jsonl"]);
    assert_eq!(code(&out), 1, "{}", String::from_utf8_lossy(&out.stderr));
    let values = jsonl(&out);
    assert_eq!(findings(&values), [("./joined.txt".to_string(), 2, "phone".to_string())]);
    assert_eq!(of_type(&values, "summary")[0]["suppressed"], 1);
}

#[test]
fn item19_sqlite_files_met_on_the_walk_follow_the_database_options() {
    let t = Tree::new();
    std::fs::create_dir(t.path().join("share")).unwrap();
    let conn = rusqlite::Connection::open(t.path().join("share/crm.sqlite")).unwrap();
    conn.execute_batch(
        "CREATE TABLE customers(name TEXT, phone TEXT);
         INSERT INTO customers VALUES ('山田 太郎', '090-2718-2818');
         CREATE TABLE audit(note TEXT);
         INSERT INTO audit VALUES ('TEL 090-1414-2135');
         CREATE VIEW callers AS SELECT phone AS tel FROM customers;",
    )
    .unwrap();
    drop(conn);
    let tables = |args: &[&str]| {
        let mut all = vec!["scan", "share", "--format", "jsonl"];
        all.extend(args);
        let out = piimap_in(t.path(), &all);
        assert_eq!(code(&out), 1, "{}", String::from_utf8_lossy(&out.stderr));
        let mut paths: Vec<String> = of_type(&jsonl(&out), "location")
            .iter()
            .map(|l| l["path"].as_str().unwrap().rsplit('#').next().unwrap().to_string())
            .collect();
        paths.sort();
        paths
    };
    assert_eq!(tables(&[]), ["main.audit", "main.customers"]);
    assert_eq!(tables(&["--db-views"]), ["main.audit", "main.callers", "main.customers"]);
    assert_eq!(tables(&["--db-exclude", "main.audit"]), ["main.customers"]);
}

#[test]
fn item12_a_primary_key_that_is_personal_data_never_names_its_row() {
    let t = Tree::new();
    let db = t.path().join("members.sqlite");
    let conn = rusqlite::Connection::open(&db).unwrap();
    conn.execute_batch(
        "CREATE TABLE members(email TEXT PRIMARY KEY, name TEXT, phone TEXT);
         INSERT INTO members VALUES ('hanako.suzuki@example.jp', '鈴木 花子', '090-2718-2818');
         INSERT INTO members VALUES ('taro.yamada@example.jp', '山田 太郎', '090-1414-2135');
         CREATE TABLE orders(id TEXT PRIMARY KEY, phone TEXT);
         INSERT INTO orders VALUES ('A-1001', '090-1732-0508');",
    )
    .unwrap();
    drop(conn);
    let target = format!("sqlite:{}", db.display());
    let out = piimap_in(t.path(), &["scan", &target, "--format", "jsonl"]);
    assert_eq!(code(&out), 1, "{}", String::from_utf8_lossy(&out.stderr));
    let mut rows: Vec<(String, String)> = jsonl(&out)
        .iter()
        .filter(|v| v["type"] == "finding" && v["row"].is_string())
        .map(|v| {
            let table = v["path"].as_str().unwrap().rsplit('#').next().unwrap().to_string();
            (table, v["row"].as_str().unwrap().to_string())
        })
        .collect();
    rows.dedup();
    // An ordinary key still names its row.
    assert_eq!(
        rows,
        [
            ("main.members".into(), "#1".into()),
            ("main.members".into(), "#2".into()),
            ("main.orders".into(), "A-1001".into())
        ]
    );
    for format in ["jsonl", "text", "json", "html", "markdown", "csv", "sarif"] {
        let out = piimap_in(t.path(), &["scan", &target, "--format", format]);
        let all = String::from_utf8_lossy(&out.stdout);
        assert!(!all.contains("hanako.suzuki") && !all.contains("taro.yamada"), "{format}: {all}");
    }
}

#[test]
fn item9_file_names_that_are_not_utf8_stay_apart() {
    use std::os::unix::ffi::OsStrExt;
    let t = Tree::new();
    for byte in [0xFFu8, 0xFE] {
        let bytes = [b'b', b'a', b'd', byte, b'.', b't', b'x', b't'];
        let name = std::ffi::OsStr::from_bytes(&bytes);
        std::fs::write(t.path().join(name), "TEL 090-2718-2818\n").unwrap();
    }
    let out = piimap_in(t.path(), &["scan", ".", "--format", "jsonl"]);
    assert_eq!(code(&out), 1, "{}", String::from_utf8_lossy(&out.stderr));
    let mut paths: Vec<String> = of_type(&jsonl(&out), "location")
        .iter()
        .map(|l| l["path"].as_str().unwrap().to_string())
        .collect();
    paths.sort();
    assert_eq!(paths, [r"./bad\xFE.txt", r"./bad\xFF.txt"]);
}

#[test]
fn item13_a_first_row_of_data_is_no_header() {
    // No digits and no `@`: the first row looks like a header by its shape.
    let t = Tree::new();
    t.file(
        "customers.csv",
        "山田 太郎様,女性,会社員,東京都渋谷区道玄坂2-1-1\n鈴木 花子様,女性,教師,大阪府大阪市北区梅田1-2-3\n",
    );
    let out = piimap_in(t.path(), &["scan", ".", "--format", "jsonl"]);
    assert_eq!(code(&out), 1, "{}", String::from_utf8_lossy(&out.stderr));
    let values = jsonl(&out);
    // Both rows are read as rows, and no raw value names a column.
    let found: BTreeSet<(u64, String)> =
        findings(&values).into_iter().map(|f| (f.1, f.2)).collect();
    let both = |c: &str| [(1, c.to_string()), (2, c.to_string())];
    assert_eq!(found, both("name").into_iter().chain(both("address")).collect());
    let fields: Vec<&str> = values.iter().filter_map(|v| v["field"].as_str()).collect();
    assert!(fields.iter().all(|f| !f.contains("山田") && !f.contains("東京都")), "{fields:?}");
}

#[test]
fn item8_email_attachments_are_read_as_members_of_the_message() {
    // Base64 (RFC 4648), as a mailer writes attachments.
    let b64 = |bytes: &[u8]| -> String {
        const ABC: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        let mut out = String::new();
        for chunk in bytes.chunks(3) {
            let n =
                chunk.iter().enumerate().fold(0u32, |n, (i, &b)| n | u32::from(b) << (16 - 8 * i));
            for i in 0..4 {
                let c =
                    if i <= chunk.len() { ABC[(n >> (18 - 6 * i) & 63) as usize] } else { b'=' };
                out.push(char::from(c));
            }
        }
        out
    };
    let csv = "氏名,電話番号\n山田 太郎,090-2718-2818\n";
    let zip = zip_of(&[("list/notes.txt", "TEL 090-1414-2135\n".as_bytes())]);
    let forwarded = "From: x@example.jp\r\nTo: y@example.jp\r\nSubject: fw\r\nDate: Mon, 30 Nov 2026 10:00:00 +0900\r\n\r\nTEL 090-1732-0508\r\n";
    let mail = format!(
        "From: sales@example.jp\r\nTo: boss@example.jp\r\nSubject: list\r\nDate: Mon, 30 Nov 2026 10:00:00 +0900\r\n\
         MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"b\"\r\n\r\n\
         --b\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nsee attached\r\n\
         --b\r\nContent-Type: text/csv; name=\"customers.csv\"\r\nContent-Disposition: attachment; filename=\"customers.csv\"\r\nContent-Transfer-Encoding: base64\r\n\r\n{}\r\n\
         --b\r\nContent-Type: application/zip\r\nContent-Disposition: attachment; filename=\"list.zip\"\r\nContent-Transfer-Encoding: base64\r\n\r\n{}\r\n\
         --b\r\nContent-Type: message/rfc822\r\nContent-Disposition: attachment; filename=\"fw.eml\"\r\n\r\n{forwarded}\r\n\
         --b--\r\n",
        b64(csv.as_bytes()),
        b64(&zip)
    );
    let t = Tree::new();
    t.file("list.eml", mail);
    let out = piimap_in(t.path(), &["scan", "list.eml", "--format", "jsonl"]);
    assert_eq!(code(&out), 1, "{}", String::from_utf8_lossy(&out.stderr));
    let phones: BTreeSet<(String, u64)> =
        findings(&jsonl(&out)).into_iter().filter(|f| f.2 == "phone").map(|f| (f.0, f.1)).collect();
    assert_eq!(
        phones,
        BTreeSet::from([
            ("list.eml!customers.csv".to_string(), 2),
            ("list.eml!list.zip!list/notes.txt".to_string(), 1),
            ("list.eml!fw.eml".to_string(), 5),
        ])
    );
}

#[test]
fn item10_a_damaged_pdf_is_a_corrupt_file_never_an_internal_error_or_a_scan() {
    let lines = ["TEL 090-3141-5926"];
    let damaged = |object: usize, from: &str, to: &str| {
        let mut objects = pdf_objects(&lines);
        assert!(objects[object].contains(from), "{}", objects[object]);
        objects[object] = objects[object].replace(from, to);
        pdf_of(&objects)
    };
    let length = pdf_objects(&lines)[4].split(['/', ' ']).nth(3).unwrap().to_string();
    let t = Tree::new();
    t.file("good.pdf", pdf(&lines))
        // The font is a reference to an object that is not there: the
        // text extractor panics on it.
        .file("missing_font.pdf", damaged(2, "/F1 4 0 R", "/F1 9 0 R"))
        // A /Length past the file's end, and one that cuts the stream:
        // the page's text is lost, and that is no image.
        .file("long_length.pdf", damaged(4, &format!("/Length {length}"), "/Length 99999"))
        .file("short_length.pdf", damaged(4, &format!("/Length {length}"), "/Length 5"));
    let out = piimap_in(t.path(), &["scan", ".", "--format", "jsonl", "--quiet"]);
    assert_eq!(code(&out), 2, "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(String::from_utf8_lossy(&out.stderr), "", "a contained parser panic prints nothing");
    let values = jsonl(&out);
    assert!(of_type(&values, "skipped").is_empty(), "{values:?}");
    let errors = errors(&values);
    let stream = "page 1: cannot read its text: corrupt PDF page: its content stream cannot be \
                  read (a wrong /Length or a missing object)";
    assert_eq!(
        errors,
        [
            ("./long_length.pdf", stream),
            (
                "./missing_font.pdf",
                "page 1: cannot read its text: corrupt PDF page: its structure is damaged past \
                 what its reader can follow"
            ),
            ("./short_length.pdf", stream),
        ]
    );
    assert_eq!(located_findings(&values), [("./good.pdf @page:1".to_string(), 1, "phone".into())]);
}

#[test]
fn item3_a_spreadsheet_whose_content_ends_inside_its_table_is_corrupt_not_a_hang() {
    // calamine waits for the table's end tag and loops forever at the end
    // of the file (found by the ods_content fuzz target).
    let whole = ods(&format!("<table:table-row>{}</table:table-row>", ods_cell("090-3141-5926")));
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(&whole)).unwrap();
    let mut content = String::new();
    std::io::Read::read_to_string(&mut archive.by_name("content.xml").unwrap(), &mut content)
        .unwrap();
    let cut = &content[..content.find("</table:table>").unwrap()];
    let t = Tree::new();
    t.file("cut.ods", with_member(&whole, "content.xml", cut.as_bytes()));
    let out = piimap_in(t.path(), &["scan", "cut.ods", "--format", "jsonl"]);
    assert_eq!(code(&out), 2, "{}", String::from_utf8_lossy(&out.stderr));
    let values = jsonl(&out);
    let errors = of_type(&values, "error");
    assert_eq!(errors.len(), 1, "{values:?}");
    assert_eq!(errors[0]["path"], "cut.ods");
    let message = errors[0]["message"].as_str().unwrap();
    assert!(message.ends_with("corrupt content.xml: it ends inside an element (a truncated file)"));
}

/// Values planted where reports name places, and in files that make
/// readers fail: none may leave piimap without `--show-values`.
const CANARY_PHONE: &str = "090-8765-4321";
const CANARY_EMAIL: &str = "kanari.tori@docomo.ne.jp";
const CANARY_NAME: &str = "鈴木花子"; // planted as 鈴木花子様: the honorific makes it a name
const CANARY_PASSWORD: &str = "kanaripass";

/// The canaries as they could leak: raw, the phone without its hyphens,
/// the mailbox on its own.
fn leaked(output: &str) -> Vec<&'static str> {
    [CANARY_PHONE, "09087654321", CANARY_EMAIL, "kanari.tori", CANARY_NAME, CANARY_PASSWORD]
        .into_iter()
        .filter(|c| output.contains(c))
        .collect()
}

/// A share with the canaries in cells, a header row that is data, JSON keys,
/// XML tags, a sheet's name, a primary key, a database URL's password, a
/// malformed sheet's tags and a PDF its text extractor panics on.
fn canary_share(t: &Tree) -> Vec<String> {
    let (phone, email, name) = (CANARY_PHONE, CANARY_EMAIL, CANARY_NAME);
    let sheet = xlsx_named(&format!("{name}様"), &[&["電話番号", "メール"], &[phone, email]]);
    let mut objects = pdf_objects(&[&format!("TEL {phone}"), email]);
    objects[2] = objects[2].replace("/F1 4 0 R", "/F1 9 0 R");
    t.file(
        "share/list.csv",
        format!("{name}様,{phone},{email}\n山田太郎様,090-1111-2222,t@x.jp\n"),
    )
    .file("share/keys.json", format!("{{\"{email}\": \"{phone}\", \"{name}様\": \"{phone}\"}}\n"))
    .file("share/tags.xml", format!("<r><{name}様>{phone}</{name}様><m>{email}</m></r>\n"))
    .file("share/sheet.xlsx", &sheet)
    .file(
        "share/broken.xlsx",
        with_member(
            &sheet,
            "xl/worksheets/sheet1.xml",
            format!("<{name}様>{phone}</x>").as_bytes(),
        ),
    )
    .file("share/broken.pdf", pdf_of(&objects));
    let db = t.path().join("members.sqlite");
    let conn = rusqlite::Connection::open(&db).unwrap();
    conn.execute_batch(&format!(
        "CREATE TABLE members(email TEXT PRIMARY KEY, phone TEXT);
         INSERT INTO members VALUES ('{email}', '{phone}');"
    ))
    .unwrap();
    // Nothing listens on port 1: the connection is refused at once.
    let url =
        format!("postgres://piimap:{CANARY_PASSWORD}@127.0.0.1:1/test?password={CANARY_PASSWORD}");
    vec!["share".into(), format!("sqlite:{}", db.display()), url]
}

#[test]
fn canary_values_never_leave_without_show_values() {
    let t = Tree::new();
    let targets = canary_share(&t);
    let with = |args: &[&str]| {
        let mut all: Vec<&str> = args.to_vec();
        all.extend(targets.iter().map(String::as_str));
        piimap_in(t.path(), &all)
    };
    let everything = |out: &std::process::Output| {
        format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr))
    };
    // The canaries are found, and shown when asked for: the test can fail.
    let shown = everything(&with(&["scan", "--format", "jsonl", "--show-values"]));
    assert_eq!(leaked(&shown), [CANARY_PHONE, CANARY_EMAIL, "kanari.tori", CANARY_NAME]);

    let inventory = t.path().join("inventory.json");
    let out = with(&["scan", "--format", "json", "-o", inventory.to_str().unwrap()]);
    assert_eq!(code(&out), 2, "{}", everything(&out));
    let mut runs = vec![("scan -o".to_string(), everything(&out))];
    let saved = std::fs::read_to_string(&inventory).unwrap();
    runs.push(("saved inventory".into(), saved));
    for format in ["text", "jsonl", "sarif", "json", "csv", "markdown", "html"] {
        for lang in ["ja", "en"] {
            let scan = with(&["scan", "--format", format, "--lang", lang]);
            assert_eq!(code(&scan), 2, "scan {format}: {}", everything(&scan));
            runs.push((format!("scan {format} {lang}"), everything(&scan)));
            let report = piimap_in(
                t.path(),
                &["report", "inventory.json", "--format", format, "--lang", lang],
            );
            runs.push((format!("report {format} {lang}"), everything(&report)));
        }
    }
    for format in ["text", "json", "html"] {
        let subject = with(&[
            "subject",
            "--phone",
            CANARY_PHONE,
            "--email",
            CANARY_EMAIL,
            "--format",
            format,
        ]);
        assert_eq!(code(&subject), 2, "subject {format}: {}", everything(&subject));
        runs.push((format!("subject {format}"), everything(&subject)));
    }
    for format in ["text", "json", "markdown", "html"] {
        let incident = with(&[
            "incident",
            "--format",
            format,
            "--notify-list",
            &format!("notify-{format}.jsonl"),
        ]);
        runs.push((format!("incident {format}"), everything(&incident)));
        let list =
            std::fs::read_to_string(t.path().join(format!("notify-{format}.jsonl"))).unwrap();
        runs.push((format!("incident {format} notify list"), list));
    }
    for (run, output) in &runs {
        assert!(leaked(output).is_empty(), "{run} leaks {:?}:\n{output}", leaked(output));
    }
}

#[test]
fn item1_files_shrinking_while_they_are_read_end_early_and_never_kill_the_run() {
    use std::os::unix::process::ExitStatusExt;
    // Files of 5 MiB (read a window at a time) that the test keeps cutting
    // to nothing and writing again while piimap reads them: a memory map
    // faulted with SIGBUS on the first cut.
    let line = "2026-12-01T10:00:00Z order 1042 shipped, contact TEL 090-3141-5926\n";
    let content = line.repeat((5 << 20) / line.len());
    let t = Tree::new();
    let names: Vec<String> = (0..2).map(|i| format!("share/app{i}.log")).collect();
    for name in &names {
        t.file(name, &content);
    }
    let paths: Vec<std::path::PathBuf> = names.iter().map(|n| t.path().join(n)).collect();
    for round in 0..3 {
        let mut child =
            spawn_in(t.path(), &["scan", "share", "--format", "jsonl", "-j", "2"], false);
        let status = loop {
            for path in &paths {
                std::fs::OpenOptions::new().write(true).open(path).unwrap().set_len(0).unwrap();
                std::fs::write(path, &content[..content.len() / (round + 2)]).unwrap();
            }
            if let Some(status) = child.try_wait().unwrap() {
                break status;
            }
        };
        assert_eq!(status.signal(), None, "round {round}: killed by a signal");
        assert!(matches!(status.code(), Some(0..=2)), "round {round}: {status:?}");
        for path in &paths {
            std::fs::write(path, &content).unwrap();
        }
    }
}

#[test]
fn item15_sheet_names_and_tags_that_are_personal_data_are_never_printed() {
    let rows: &[&[&str]] = &[&["電話番号"], &["090-3141-5926"]];
    let broken = with_member(
        &xlsx(rows),
        "xl/worksheets/sheet1.xml",
        "<鈴木花子様>090-3141-5926</鈴木花子様>".as_bytes(),
    );
    let t = Tree::new();
    t.file("customer.xlsx", xlsx_named("鈴木花子様", rows))
        .file("orders.xlsx", xlsx_named("注文", rows))
        .file("broken.xlsx", broken);
    let out = piimap_in(t.path(), &["scan", ".", "--format", "jsonl"]);
    assert_eq!(code(&out), 2, "{}", String::from_utf8_lossy(&out.stderr));
    let values = jsonl(&out);
    let mut found = located_findings(&values);
    found.sort();
    assert_eq!(
        found,
        [
            ("./customer.xlsx @sheet:#1".to_string(), 3, "phone".to_string()),
            ("./orders.xlsx @sheet:注文".to_string(), 3, "phone".to_string()),
        ]
    );
    let errors = errors(&values);
    assert_eq!(
        errors,
        [(
            "./broken.xlsx",
            "cannot read sheet 1: malformed workbook: an unexpected name or value where its \
             structure should be"
        )]
    );
}

/// An Excel 97–2003 workbook (BIFF8 in an OLE compound file) with one sheet
/// holding `cells` (row, column, record), each record's body after its row
/// and column; `dimensions`, when given, is the sheet's DIMENSIONS body.
fn xls(cells: &[(u16, u16, Vec<u8>, u16)], dimensions: Option<Vec<u8>>) -> Vec<u8> {
    let record = |typ: u16, body: &[u8]| {
        let mut r = typ.to_le_bytes().to_vec();
        r.extend((body.len() as u16).to_le_bytes());
        r.extend(body);
        r
    };
    let bof = |kind: u16| {
        let mut body = vec![0x00, 0x06];
        body.extend(kind.to_le_bytes());
        body.extend([0xBB, 0x0D, 0xCC, 0x07, 0, 0, 0, 0, 0x06, 0, 0, 0]);
        record(0x0809, &body)
    };
    let sheet_name = b"Sheet1";
    let boundsheet_len = 4 + 8 + sheet_name.len();
    let globals_len = bof(5).len() + boundsheet_len + 4;
    let mut stream = bof(5);
    let mut body = (globals_len as u32).to_le_bytes().to_vec();
    body.extend([0, 0, sheet_name.len() as u8, 0]);
    body.extend(sheet_name);
    stream.extend(record(0x0085, &body));
    stream.extend(record(0x000A, &[]));
    assert_eq!(stream.len(), globals_len);
    stream.extend(bof(0x10));
    if let Some(d) = dimensions {
        stream.extend(record(0x0200, &d));
    }
    for (row, column, body, typ) in cells {
        let mut r = row.to_le_bytes().to_vec();
        r.extend(column.to_le_bytes());
        r.extend([0x0F, 0x00]); // the cell's format (XF) index
        r.extend(body);
        stream.extend(record(*typ, &r));
    }
    stream.extend(record(0x000A, &[]));
    let mut ole = cfb::CompoundFile::create(std::io::Cursor::new(Vec::new())).unwrap();
    std::io::Write::write_all(&mut ole.create_stream("/Workbook").unwrap(), &stream).unwrap();
    ole.flush().unwrap();
    ole.into_inner().into_inner()
}

/// A LABEL cell's body: its text, one byte a character.
fn xls_label(text: &str) -> (Vec<u8>, u16) {
    let mut body = (text.len() as u16).to_le_bytes().to_vec();
    body.push(0);
    body.extend(text.as_bytes());
    (body, 0x0204)
}

#[test]
fn item2_an_xls_claiming_billions_of_cells_is_refused_before_it_is_laid_out() {
    let (label, typ) = xls_label("TEL 090-3141-5926");
    let number = (42.0f64.to_le_bytes().to_vec(), 0x0203);
    let t = Tree::new();
    t.file("customers.xls", xls(&[(0, 0, label.clone(), typ)], None))
        // A1 and the far corner of a 65,536 × 65,536 grid.
        .file(
            "corners.xls",
            xls(&[(0, 0, label.clone(), typ), (65535, 65535, number.0, number.1)], None),
        )
        // A DIMENSIONS record of 4 billion rows, and one that ends before it starts.
        .file(
            "claims.xls",
            xls(
                &[(0, 0, label.clone(), typ)],
                Some({
                    let mut d = 0u32.to_le_bytes().to_vec();
                    d.extend(u32::MAX.to_le_bytes());
                    d.extend([0, 0, 10, 0, 0, 0]);
                    d
                }),
            ),
        )
        .file(
            "backwards.xls",
            xls(
                &[(0, 0, label, typ)],
                Some({
                    let mut d = 9u32.to_le_bytes().to_vec();
                    d.extend(2u32.to_le_bytes());
                    d.extend([0, 0, 10, 0, 0, 0]);
                    d
                }),
            ),
        );
    let out = piimap_in(t.path(), &["scan", ".", "--format", "jsonl"]);
    assert_eq!(code(&out), 2, "{}", String::from_utf8_lossy(&out.stderr));
    let values = jsonl(&out);
    let errors = errors(&values);
    assert_eq!(
        errors,
        [
            (
                "./backwards.xls",
                "corrupt workbook: a sheet's DIMENSIONS record ends before it starts; not read"
            ),
            (
                "./claims.xls",
                "a sheet would span 42949672950 cells (from its first to its last row and column, more than 8000000); not read"
            ),
            (
                "./corners.xls",
                "a sheet would span 4294967296 cells (from its first to its last row and column, more than 8000000); not read"
            ),
        ]
    );
    assert_eq!(
        located_findings(&values),
        [("./customers.xls @sheet:Sheet1".to_string(), 1, "phone".into())]
    );
}

#[test]
fn fuzzed_a_title_cell_of_two_paragraphs_keeps_the_rows_below_it_in_place() {
    // Found by the ods_content fuzz target: a line break inside a title
    // cell made the titles one line longer than their rows, and the
    // finding on the last line indexed past them (a panic).
    let two_paragraphs = r#"<table:table-cell office:value-type="string"><text:p>顧客一覧</text:p><text:p>2026年度</text:p></table:table-cell>"#;
    let t = Tree::new();
    t.file(
        "titles.ods",
        ods(&format!(
            "<table:table-row>{two_paragraphs}</table:table-row>\
             <table:table-row>{}</table:table-row>\
             <table:table-row>{}{}</table:table-row>\
             <table:table-row>{}{}</table:table-row>",
            ods_cell("代表 TEL 090-3141-5926"),
            ods_cell("氏名"),
            ods_cell("電話番号"),
            ods_cell("山田 太郎"),
            ods_cell("090-2718-2818"),
        )),
    );
    let out = piimap_in(t.path(), &["scan", "titles.ods", "--format", "jsonl"]);
    assert_eq!(code(&out), 1, "{}", String::from_utf8_lossy(&out.stderr));
    let mut found = located_findings(&jsonl(&out));
    found.sort();
    let at =
        |line, category: &str| ("titles.ods @sheet:顧客".to_string(), line, category.to_string());
    assert_eq!(found, [at(2, "phone"), at(4, "name"), at(4, "phone")]);
}

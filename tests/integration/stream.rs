//! The streaming core, from the outside: results arrive while the scan is
//! still running, the order does not depend on the number of threads, large
//! files keep exact lines and columns across read windows, and the
//! inventory reports show a capped sample of evidence while counting every
//! finding.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

use crate::util::*;

/// `rows` lines of a dense customer table (five findings a row).
fn customers(rows: usize) -> String {
    let mut csv = String::from("氏名,電話番号,メールアドレス,住所,生年月日\n");
    for i in 0..rows {
        csv.push_str(&format!(
            "山田 太郎,090-{:04}-{:04},user{i}@docomo.ne.jp,東京都渋谷区渋谷{}-{}-{},1985年4月{}日\n",
            i / 10000 % 10000,
            i % 10000,
            1 + i % 4,
            1 + i % 30,
            1 + i % 20,
            1 + i % 28
        ));
    }
    csv
}

#[test]
fn jsonl_lines_arrive_before_the_scan_ends() {
    let t = Tree::new();
    // The first file is done at once; the second takes seconds.
    t.file("a.txt", "TEL 090-1234-5678\n").file("b.csv", customers(15_000));
    let mut child = Command::new(env!("CARGO_BIN_EXE_piimap"))
        .args(["scan", ".", "--format", "jsonl", "-j", "1"])
        .current_dir(t.path())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut out = BufReader::new(child.stdout.take().unwrap());
    let mut first = String::new();
    out.read_line(&mut first).unwrap();
    // The first file's finding is out while the second is still scanned.
    let running = child.try_wait().unwrap().is_none();
    let first: serde_json::Value = serde_json::from_str(&first).unwrap();
    assert_eq!(
        (first["type"].as_str(), first["path"].as_str()),
        (Some("finding"), Some("./a.txt"))
    );
    assert!(running, "the scan ended before its first line was read");
    let rest: Vec<String> = out.lines().map(Result::unwrap).collect();
    assert_eq!(child.wait().unwrap().code(), Some(1));
    let summary: serde_json::Value = serde_json::from_str(rest.last().unwrap()).unwrap();
    assert_eq!(summary["findings"], 1 + 15_000 * 5 + 5);
}

#[test]
fn output_is_the_same_whatever_the_threads() {
    let t = Tree::new();
    for i in 0..30 {
        t.file(&format!("small/{i:02}.txt"), format!("お名前：佐藤 花子\nTEL 03-1234-{i:04}\n"));
    }
    let run = |format: &str, jobs: &str| {
        let out = piimap_in(t.path(), &["scan", ".", "--format", format, "-j", jobs]);
        assert_eq!(code(&out), 1);
        out.stdout
    };
    for format in ["text", "sarif"] {
        assert!(run(format, "1") == run(format, "2"), "{format}: -j 1 and -j 2 differ");
    }
    // Files of two chunks or more (over 1 MiB: detected in parallel), that
    // the small ones after them finish ahead of and wait for.
    let (one, two) = (customers(12_000), customers(11_000));
    assert!(one.len() > 1 << 20 && two.len() > 1 << 20);
    t.file("big/one.csv", one).file("big/two.csv", two);
    let jsonl_one = run("jsonl", "1");
    assert!(jsonl_one == run("jsonl", "2"), "jsonl: -j 1 and -j 2 differ");
    // Walk order: directories depth first, entries sorted by name.
    let values: Vec<serde_json::Value> = String::from_utf8(jsonl_one)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let locations = of_type(&values, "location");
    let mut paths: Vec<&str> = locations.iter().map(|l| l["path"].as_str().unwrap()).collect();
    assert_eq!(paths[..3], ["./big/one.csv", "./big/two.csv", "./small/00.txt"]);
    let walked = paths.clone();
    paths.sort();
    assert_eq!(walked, paths);
}

#[test]
fn large_files_keep_lines_and_columns_across_windows() {
    // 3 MiB of filler, then findings on known lines, in UTF-8 and in
    // Shift_JIS (decoded as it is read).
    let filler = "お世話になっております。資料を添付いたします。\n".repeat(45_000);
    let lines = filler.lines().count() as u64;
    let tail = "連絡先\n電話：03-1234-5678\n\n住所：東京都千代田区千代田1-1\n";
    let text = format!("{filler}{tail}");
    let (sjis, _, _) = encoding_rs::SHIFT_JIS.encode(&text);
    let t = Tree::new();
    t.file("utf8.txt", &text).file("sjis.txt", &sjis);
    let values = jsonl(&piimap_in(t.path(), &["scan", ".", "--format", "jsonl"]));
    for name in ["./sjis.txt", "./utf8.txt"] {
        let got: Vec<(u64, u64, &str)> = values
            .iter()
            .filter(|v| v["type"] == "finding" && v["path"] == name)
            .map(|v| {
                let n = |k: &str| v[k].as_u64().unwrap();
                (n("line"), n("column"), v["category"].as_str().unwrap())
            })
            .collect();
        assert_eq!(got, [(lines + 2, 4, "phone"), (lines + 4, 4, "address")], "{name}");
    }
    let bytes: u64 = (text.len() + sjis.len()) as u64;
    assert_eq!(of_type(&values, "summary")[0]["bytes"], bytes);
}

/// A table's findings are built a slice of rows at a time, each taking its
/// path, detector and field from the finding that stood at its place in the
/// slice before where they are the same. Rows here fill different columns,
/// so the places shift from slice to slice: each finding must still carry
/// its own column's field and detector.
#[test]
fn findings_past_a_slice_keep_their_own_field_and_detector() {
    let mut csv = String::from("name,phone,email\n");
    let mut want = Vec::new();
    for i in 0..700u64 {
        let line = i + 2;
        let phone = (i % 3 != 0).then(|| format!("090-{:04}-{:04}", 1000 + i, 2000 + i));
        let email = (i % 2 == 0).then(|| format!("user{i}@docomo.ne.jp"));
        want.push((line, "name".to_string(), "jp.name-kanji".to_string()));
        if phone.is_some() {
            want.push((line, "phone".into(), "jp.phone".into()));
        }
        if email.is_some() {
            want.push((line, "email".into(), "email".into()));
        }
        let cells = [Some("山田 太郎".to_string()), phone, email];
        csv.push_str(&cells.map(Option::unwrap_or_default).join(","));
        csv.push('\n');
    }
    let t = Tree::new();
    t.file("mixed.csv", &csv);
    let values = jsonl(&piimap_in(t.path(), &["scan", ".", "--format", "jsonl", "-j1"]));
    let got: Vec<(u64, String, String)> = values
        .iter()
        .filter(|v| is_cell(v))
        .map(|v| {
            let s = |k: &str| v[k].as_str().unwrap().to_string();
            (v["line"].as_u64().unwrap(), s("field"), s("detector"))
        })
        .collect();
    assert!(want.len() > 3 * 256, "several slices: {}", want.len());
    assert_eq!(got, want);
}

#[test]
fn the_html_lists_capped_evidence_and_counts_everything() {
    let t = Tree::new();
    t.file("list.csv", customers(300));
    let run = |extra: &[&str]| {
        let mut args = vec!["scan", ".", "--format", "html", "--lang", "en"];
        args.extend_from_slice(extra);
        String::from_utf8(piimap_in(t.path(), &args).stdout).unwrap()
    };
    // Evidence rows: the masked values in the location's table.
    let rows = |html: &str| html.matches("</td><td><code>").count();
    let capped = run(&["--evidence", "7"]);
    assert_eq!(rows(&capped), 7);
    // 300 rows of five values and five classified columns.
    assert!(capped.contains("… and 1498 more not shown (counted above)"), "{capped}");
    let json: serde_json::Value = serde_json::from_slice(
        &piimap_in(t.path(), &["scan", ".", "--format", "json", "--evidence", "7"]).stdout,
    )
    .unwrap();
    let location = &json["locations"][0];
    assert_eq!(
        (location["findings"].as_u64(), location["evidence"].as_array().map(Vec::len)),
        (Some(1505), Some(7))
    );
    assert_eq!(json["summary"]["findings"], 1505);
    // The default keeps a hundred.
    assert_eq!(rows(&run(&[])), 100);
}

#[test]
fn the_report_file_is_not_scanned_while_it_is_written() {
    let t = Tree::new();
    t.file("a.txt", "TEL 090-3141-5926\n");
    for format in ["jsonl", "text"] {
        let out = piimap_in(
            t.path(),
            &["scan", ".", "--format", format, "--show-values", "-o", "report"],
        );
        assert_eq!(code(&out), 1);
    }
    let report = std::fs::read_to_string(t.path().join("report")).unwrap();
    assert!(report.contains("./a.txt") && !report.contains("./report"), "{report}");
}

#[test]
fn a_slow_first_file_does_not_stall_the_files_after_it() {
    // A file of two chunks first, then more small files than may finish
    // ahead of it (the writer's window is 128 items): they wait, the big
    // file's chunks still get both threads, and the scan ends.
    let t = Tree::new();
    t.file("a/big.csv", customers(12_000));
    for i in 0..200 {
        t.file(&format!("b/{i:03}.txt"), format!("TEL 03-1234-{i:04}\n"));
    }
    let report = Tree::new();
    let out = report.path().join("out.jsonl");
    let mut child = Command::new(env!("CARGO_BIN_EXE_piimap"))
        .args(["scan", ".", "--format", "jsonl", "-j", "2", "-o", out.to_str().unwrap()])
        .current_dir(t.path())
        .spawn()
        .unwrap();
    let started = std::time::Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if started.elapsed() > std::time::Duration::from_secs(300) {
            child.kill().unwrap();
            panic!("the scan did not end in 300 s");
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    };
    assert_eq!(status.code(), Some(1));
    let text = std::fs::read_to_string(&out).unwrap();
    let summary: serde_json::Value = serde_json::from_str(text.lines().last().unwrap()).unwrap();
    assert_eq!((summary["files"].as_u64(), summary["locations"].as_u64()), (Some(201), Some(201)));
}

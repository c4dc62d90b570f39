//! What a scan covers: hidden files, ignore files, .git, size limit, binaries.

use crate::util::*;

#[test]
fn hidden_files_yes_git_no_ignore_files_honoured() {
    let t = Tree::new();
    let pii = "TEL 090-1111-2222\n";
    t.file(".hidden/secret.txt", pii)
        .file(".env", pii)
        .file(".git/config", pii)
        .file("build/out.txt", pii)
        .file("tmp/x.txt", pii)
        .file("keep/y.txt", pii)
        .file("keep/z.log", pii)
        .file(".gitignore", "build/\n")
        .file(".piimapignore", "tmp/\n")
        .file("keep/.ignore", "*.log\n");
    let out = piimap_in(t.path(), &["scan", ".", "--format", "jsonl"]);
    assert_eq!(paths(&out), ["./.env", "./.hidden/secret.txt", "./keep/y.txt"]);
    let all = piimap_in(t.path(), &["scan", ".", "--format", "jsonl", "--no-ignore"]);
    assert_eq!(
        paths(&all),
        [
            "./.env",
            "./.hidden/secret.txt",
            "./build/out.txt",
            "./keep/y.txt",
            "./keep/z.log",
            "./tmp/x.txt"
        ]
    );
}

#[test]
fn files_over_the_size_limit_are_reported_as_skipped() {
    let t = Tree::new();
    t.file("big.txt", "TEL 090-1111-2222\n".repeat(100)).file("small.txt", "TEL 090-1111-2222\n");
    let out = piimap_in(t.path(), &["scan", ".", "--format", "jsonl", "--max-filesize", "1K"]);
    let values = jsonl(&out);
    assert_eq!(paths(&out), ["./small.txt"]);
    let skipped = of_type(&values, "skipped");
    assert_eq!(skipped.len(), 1);
    assert_eq!(skipped[0]["path"], "./big.txt");
    assert!(skipped[0]["message"].as_str().unwrap().contains("1800 bytes"));
    assert_eq!(code(&out), 1, "a skip is not an error");
}

#[test]
fn large_files_are_read_in_chunks_with_exact_lines() {
    // Over the 4 MiB memory-map threshold and the 4 MiB chunk size, in Shift_JIS
    // so the decoding path (not the zero-copy one) is taken.
    let t = Tree::new();
    let filler = "これは個人情報を含まない行です。\n";
    let mut text = filler.repeat(200_000);
    text.push_str("電話番号：03-9876-5432\n");
    text.push_str(&filler.repeat(10));
    let (bytes, _, _) = encoding_rs::SHIFT_JIS.encode(&text);
    assert!(bytes.len() > 5 << 20);
    t.file("big_sjis.txt", &bytes);
    let out = piimap_in(t.path(), &["scan", ".", "--format", "jsonl"]);
    assert_eq!(
        findings(&jsonl(&out)),
        [("./big_sjis.txt".to_string(), 200_001, "phone".to_string())]
    );
}

#[test]
fn binary_files_are_skipped_and_counted() {
    let t = Tree::new();
    // An icon (1 × 1 pixel) is not worth OCR: binary, like the blob.
    let icon = std::fs::read(root().join("fixtures/negative/logo.png")).unwrap();
    t.file("img.png", icon)
        .file("blob.bin", b"\x00\x01\x02TEL 090-1111-2222\x00\xff\xfe\x00\x00\x00\x07\x08")
        .file("doc.txt", "TEL 090-1111-2222");
    let out = piimap_in(t.path(), &["scan", ".", "--format", "jsonl"]);
    let values = jsonl(&out);
    assert_eq!(paths(&out), ["./doc.txt"]);
    assert_eq!(of_type(&values, "summary")[0]["binary_skipped"], 2);
}

#[test]
fn values_after_a_long_run_of_digits_are_still_found() {
    let t = Tree::new();
    let line = format!(
        "{} 電話 03-1234-5678 {}\nTEL 090-1234-5678\n",
        "7".repeat(20_000),
        "8".repeat(10_000)
    );
    t.file("long.txt", line);
    let out = piimap_in(t.path(), &["scan", ".", "--format", "jsonl"]);
    let values = jsonl(&out);
    let cols: Vec<_> = values
        .iter()
        .filter(|v| is_cell(v))
        .map(|v| (v["line"].as_u64(), v["column"].as_u64()))
        .collect();
    assert_eq!(cols, [(Some(1), Some(20_005)), (Some(2), Some(5))]);
}

#[test]
fn bom_and_crlf_do_not_shift_lines_or_columns() {
    let t = Tree::new();
    t.file("crlf.txt", "\u{feff}氏名：山田\r\n電話：090-1234-5678\r\n\r\nmail a.b@example.com\r\n");
    let utf16: Vec<u8> = [0xFF, 0xFE]
        .into_iter()
        .chain("電話番号,氏名\r\n09012345678,山田\r\n".encode_utf16().flat_map(u16::to_le_bytes))
        .collect();
    t.file("utf16.csv", utf16);
    let out = piimap_in(t.path(), &["scan", ".", "--format", "jsonl"]);
    let values = jsonl(&out);
    let got: Vec<_> = values
        .iter()
        .filter(|v| is_cell(v))
        .map(|v| {
            (
                v["path"].as_str().unwrap().to_string(),
                v["line"].as_u64().unwrap(),
                v["column"].as_u64().unwrap(),
                v["field"].as_str().map(str::to_string),
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            ("./crlf.txt".to_string(), 1, 4, None),
            ("./crlf.txt".to_string(), 2, 4, None),
            ("./crlf.txt".to_string(), 4, 6, None),
            ("./utf16.csv".to_string(), 2, 1, Some("電話番号".to_string())),
            ("./utf16.csv".to_string(), 2, 13, Some("氏名".to_string())),
        ]
    );
}

#[test]
fn tables_aligned_with_spaces_have_headers_and_line_one_is_still_scanned() {
    let t = Tree::new();
    t.file(
        "report.txt",
        "氏名        生年月日      電話番号\n山田 太郎   1985/04/01    090-1234-5678\n",
    );
    // Two lines that look like a header and a row: line 1 keeps its address.
    t.file("form.txt", "住所　東京都千代田区千代田一丁目\n電話　090-1234-5678\n");
    let out = piimap_in(t.path(), &["scan", ".", "--format", "jsonl"]);
    let values = jsonl(&out);
    let s = |x: &str| x.to_string();
    assert_eq!(
        findings(&values),
        [
            (s("./form.txt"), 1, s("address")),
            (s("./form.txt"), 2, s("phone")),
            (s("./report.txt"), 2, s("name")),
            (s("./report.txt"), 2, s("birth_date")),
            (s("./report.txt"), 2, s("phone")),
        ]
    );
    let fields: Vec<_> = values
        .iter()
        .filter(|v| is_cell(v) && v["path"] == "./report.txt")
        .map(|v| v["field"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(fields, ["氏名", "生年月日", "電話番号"]);
}

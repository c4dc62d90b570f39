//! Archives: zip members (nested too) and gzip content scanned in memory and
//! named `archive.zip!member`; bombs, oversize and encrypted members become
//! skipped or error entries, never silence.

use std::io::Write;

use crate::util::*;

fn zip_of(files: &[(&str, &[u8])]) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for (name, content) in files {
        w.start_file(*name, zip::write::SimpleFileOptions::default()).unwrap();
        w.write_all(content).unwrap();
    }
    w.finish().unwrap().into_inner()
}

/// Marks every member of a zip as encrypted (general-purpose flag bit 0, in
/// the local and the central headers), as a password-protected zip is.
fn encrypted(mut zip: Vec<u8>) -> Vec<u8> {
    let mut i = 0;
    while i + 4 <= zip.len() {
        match &zip[i..i + 4] {
            b"PK\x03\x04" => zip[i + 6] |= 1,
            b"PK\x01\x02" => zip[i + 8] |= 1,
            _ => {}
        }
        i += 1;
    }
    zip
}

#[test]
fn archive_members_are_scanned_in_memory_and_limits_reported() {
    let t = Tree::new();
    let inner = zip_of(&[("mail.txt", "返信先：taro.yamada@docomo.ne.jp\n".as_bytes())]);
    let outer = zip_of(&[
        ("顧客/list.csv", "氏名,電話番号\n山田 太郎,090-5555-0101\n".as_bytes()),
        ("inner.zip", &inner),
        ("zeros.bin", &vec![0u8; 8 << 20]),
    ]);
    t.file("share/export.zip", &outer);
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all("2024-05-01 login tel=090-5555-0102\n".as_bytes()).unwrap();
    t.file("share/app.log.gz", gz.finish().unwrap());
    t.file("share/locked.zip", encrypted(zip_of(&[("secret.txt", b"TEL 090-5555-0103\n")])));
    let out = piimap_in(t.path(), &["scan", "share", "--format", "jsonl"]);
    // The encrypted member could not be read: exit 2, the rest scanned.
    assert_eq!(code(&out), 2, "{}", String::from_utf8_lossy(&out.stderr));
    let values = jsonl(&out);
    let s = |x: &str| x.to_string();
    assert_eq!(
        findings(&values),
        [
            (s("share/app.log.gz!app.log"), 1, s("phone")),
            (s("share/export.zip!inner.zip!mail.txt"), 1, s("email")),
            (s("share/export.zip!顧客/list.csv"), 2, s("name")),
            (s("share/export.zip!顧客/list.csv"), 2, s("phone")),
        ]
    );
    let skipped = of_type(&values, "skipped");
    assert_eq!(skipped.len(), 1);
    assert_eq!(skipped[0]["path"], "share/export.zip!zeros.bin");
    assert!(skipped[0]["message"].as_str().unwrap().contains("compression ratio"));
    let errors = of_type(&values, "error");
    assert_eq!(errors.len(), 1, "{values:?}");
    assert_eq!(errors[0]["path"], "share/locked.zip!secret.txt");
    assert!(errors[0]["message"].as_str().unwrap().contains("encrypted"));
    // Members are locations of their own; the column header applies inside.
    let phone = values
        .iter()
        .find(|v| v["path"] == "share/export.zip!顧客/list.csv" && v["category"] == "phone")
        .unwrap();
    assert_eq!(phone["field"], "電話番号");
}

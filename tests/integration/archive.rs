//! Archives: zip members (nested too) and gzip content scanned in memory and
//! named `archive.zip!member`; bombs, oversize and encrypted members become
//! skipped or error entries, never silence.

use std::io::Write;

use crate::util::*;

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
    // Files in walk order, members in the archive's own order.
    assert_eq!(
        findings(&values),
        [
            (s("share/app.log.gz!app.log"), 1, s("phone")),
            (s("share/export.zip!顧客/list.csv"), 2, s("name")),
            (s("share/export.zip!顧客/list.csv"), 2, s("phone")),
            (s("share/export.zip!inner.zip!mail.txt"), 1, s("email")),
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

#[test]
fn spreadsheets_give_sheet_row_column_and_cell() {
    let t = Tree::new();
    let book = xlsx(&[
        &["氏名", "電話番号", "メール"],
        &["山田 太郎", "09055550101", "taro.yamada@docomo.ne.jp"],
        &["佐藤 花子", "080-5555-0102", "hanako.sato@docomo.ne.jp"],
    ]);
    // By content: a workbook named .dat is still a workbook, and one inside
    // a zip too.
    t.file("share/customers.dat", &book);
    t.file("share/export.zip", zip_of(&[("book.xlsx", &book)]));
    let values = jsonl(&piimap_in(t.path(), &["scan", "share", "--format", "jsonl"]));
    let cells: Vec<(String, String, String, String, String)> = values
        .iter()
        .filter(|v| is_cell(v))
        .map(|v| {
            (
                v["path"].as_str().unwrap().to_string(),
                v["sheet"].as_str().unwrap().to_string(),
                v["cell"].as_str().unwrap().to_string(),
                v["field"].as_str().unwrap().to_string(),
                v["category"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let s = |x: &str| x.to_string();
    let want = |path: &str| {
        vec![
            (s(path), s("顧客"), s("B3"), s("氏名"), s("name")),
            (s(path), s("顧客"), s("C3"), s("電話番号"), s("phone")),
            (s(path), s("顧客"), s("D3"), s("メール"), s("email")),
            (s(path), s("顧客"), s("B4"), s("氏名"), s("name")),
            (s(path), s("顧客"), s("C4"), s("電話番号"), s("phone")),
            (s(path), s("顧客"), s("D4"), s("メール"), s("email")),
        ]
    };
    let mut expected = want("share/customers.dat");
    expected.extend(want("share/export.zip!book.xlsx"));
    assert_eq!(cells, expected);
    // Rows are records: two people.
    let book_location = values
        .iter()
        .find(|v| v["type"] == "location" && v["path"] == "share/customers.dat")
        .unwrap();
    assert_eq!(
        (book_location["records"].as_u64(), book_location["subjects"].as_u64()),
        (Some(2), Some(2))
    );
    // A corrupt workbook is an error entry.
    let mut broken = book.clone();
    broken.truncate(book.len() / 2);
    t.file("share/broken.xlsx", broken);
    let out = piimap_in(t.path(), &["scan", "share", "--format", "jsonl"]);
    assert_eq!(code(&out), 2);
    let errors = of_type(&jsonl(&out), "error")
        .into_iter()
        .map(|e| e["path"].as_str().unwrap().to_string())
        .collect::<Vec<_>>();
    assert_eq!(errors, ["share/broken.xlsx"]);
}

#[test]
fn e_mail_is_decoded_before_it_is_scanned() {
    let t = Tree::new();
    // A Japanese mail: the sender's name as an ISO-2022-JP encoded word, the
    // body base64 UTF-8 (電話：090-5555-0101, 住所：東京都渋谷区渋谷2-21-1).
    let eml = "From: =?ISO-2022-JP?B?GyRCOzNFRBsoQiAbJEJCQE86GyhC?= <taro.yamada@docomo.ne.jp>\r\n\
               To: support@shop.example.co.jp\r\n\
               Subject: =?UTF-8?B?5L2P5omA5aSJ5pu0?=\r\n\
               Date: Wed, 1 May 2024 10:00:00 +0900\r\n\
               MIME-Version: 1.0\r\n\
               Content-Type: text/plain; charset=UTF-8\r\n\
               Content-Transfer-Encoding: base64\r\n\r\n\
               6Zu76Kmx77yaMDkwLTU1NTUtMDEwMQrkvY/miYDvvJrmnbHkuqzpg73muIvosLfljLrmuIvosLcyLTIxLTEK\r\n";
    t.file("mail/0001.eml", eml);
    let values = jsonl(&piimap_in(t.path(), &["scan", ".", "--format", "jsonl", "--show-values"]));
    let got: Vec<(u64, String, String)> = values
        .iter()
        .filter(|v| is_cell(v))
        .map(|v| {
            (
                v["line"].as_u64().unwrap(),
                v["category"].as_str().unwrap().to_string(),
                v["value"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let s = |x: &str| x.to_string();
    assert_eq!(
        got,
        [
            (1, s("name"), s("山田 太郎")),
            (1, s("email"), s("taro.yamada@docomo.ne.jp")),
            (2, s("email"), s("support@shop.example.co.jp")),
            (5, s("phone"), s("090-5555-0101")),
            (6, s("address"), s("東京都渋谷区渋谷2-21-1")),
        ]
    );
}

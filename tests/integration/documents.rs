//! Documents (`fixtures/documents`, one per format): where each value is
//! reported — paragraph lines, slides, pages, sheets and cells, keys of JSON
//! and XML, SQL dump rows and columns —, column classification of CSV and
//! sheets, archives, content sniffing, and a corrupt twin of every binary
//! format becoming an error entry while the rest of the scan goes on.

use serde_json::Value;

use crate::util::*;

fn scan_documents() -> Vec<Value> {
    let out = piimap(&["scan", "fixtures/documents", "--format", "jsonl"]);
    assert_eq!(code(&out), 1, "{}", String::from_utf8_lossy(&out.stderr));
    jsonl(&out)
}

/// `(where, line, column, field, category, detector)` of the value findings
/// of one file of `fixtures/documents`.
fn cells(values: &[Value], file: &str) -> Vec<(String, u64, u64, String, String, String)> {
    let path = format!("fixtures/documents/{file}");
    let s = |v: &Value| v.as_str().unwrap_or_default().to_string();
    values
        .iter()
        .filter(|v| is_cell(v) && v["path"] == path.as_str())
        .map(|v| {
            let at = match (v["sheet"].as_str(), v["page"].as_u64(), v["slide"].as_u64()) {
                (Some(sheet), _, _) => format!("{sheet}!{}", s(&v["cell"])),
                (_, Some(page), _) => format!("page {page}"),
                (_, _, Some(slide)) => format!("slide {slide}"),
                _ => s(&v["row"]),
            };
            let n = |k: &str| v[k].as_u64().unwrap_or(0);
            (at, n("line"), n("column"), s(&v["field"]), s(&v["category"]), s(&v["detector"]))
        })
        .collect()
}

fn row(
    at: &str,
    line: u64,
    column: u64,
    field: &str,
    category: &str,
    detector: &str,
) -> (String, u64, u64, String, String, String) {
    let s = |x: &str| x.to_string();
    (s(at), line, column, s(field), s(category), s(detector))
}

#[test]
fn office_documents_are_read_a_paragraph_a_line() {
    let values = scan_documents();
    // The body, a form table (a row a line, cells tab-separated), then the
    // page header and the comment, each after a blank line.
    assert_eq!(
        cells(&values, "keiyakusho.docx"),
        [
            row("", 2, 5, "", "name", "jp.name-kanji"),
            row("", 3, 6, "", "address", "jp.address"),
            row("", 5, 4, "", "name", "jp.name-kanji"),
            row("", 6, 6, "", "phone", "jp.phone"),
            row("", 9, 4, "", "name", "jp.name-kanji"),
            row("", 9, 10, "", "phone", "jp.phone"),
            row("", 11, 5, "", "email", "email"),
        ]
    );
    // Lines restart on each slide; the speaker notes follow the slide.
    assert_eq!(
        cells(&values, "setsumeikai.pptx"),
        [
            row("slide 1", 2, 8, "", "phone", "jp.phone"),
            row("slide 2", 2, 6, "", "name", "jp.name-kanji"),
            row("slide 2", 4, 5, "", "email", "email"),
        ]
    );
    // OpenDocument: content.xml, then the header from styles.xml.
    assert_eq!(
        cells(&values, "houkokusho.odt"),
        [
            row("", 2, 5, "", "address", "jp.address"),
            row("", 3, 4, "", "name", "jp.name-kanji"),
            row("", 4, 4, "", "phone", "jp.phone"),
            row("", 6, 5, "", "email", "email"),
        ]
    );
    // The form table's name and phone are one record (lines 3-4), the
    // header's e-mail another.
    let records: Vec<u64> = values
        .iter()
        .filter(|v| is_cell(v) && v["path"] == "fixtures/documents/houkokusho.odt")
        .map(|v| v["record"].as_u64().unwrap())
        .collect();
    assert_eq!(records, [2, 2, 2, 6]);
}

#[test]
fn pdf_text_is_read_by_page_and_image_pages_are_listed() {
    let values = scan_documents();
    assert_eq!(
        cells(&values, "moushikomisho.pdf"),
        [
            row("page 1", 2, 5, "", "name", "jp.name-kanji"),
            row("page 1", 3, 4, "", "address", "jp.address"),
            row("page 1", 4, 6, "", "phone", "jp.phone"),
            row("page 1", 5, 5, "", "email", "email"),
            row("page 3", 1, 11, "", "name", "name-english"),
            row("page 3", 2, 8, "", "phone", "phone-intl"),
        ]
    );
    // Page 2 is a drawing without a text layer: read by OCR (it holds no
    // words), or listed as skipped where OCR cannot run.
    let skipped = of_type(&values, "skipped");
    let summary = of_type(&values, "summary")[0];
    if summary["ocr_pages"] == 1 {
        assert!(skipped.is_empty(), "{skipped:?}");
    } else {
        assert!(std::env::var_os("CI").is_none(), "CI reads text-less pages by OCR");
        assert_eq!(skipped.len(), 1, "{skipped:?}");
        assert_eq!(skipped[0]["path"], "fixtures/documents/moushikomisho.pdf");
        assert!(skipped[0]["message"].as_str().unwrap().starts_with("page 2: no text layer"));
    }
    // A skipped page is reported, not an error: the scan exits 1 (findings).
    assert!(of_type(&values, "error").is_empty());
}

#[test]
fn tables_have_cells_and_classified_columns() {
    let values = scan_documents();
    let columns = column_findings(&values);
    let of = |file: &str| -> Vec<_> {
        let path = format!("fixtures/documents/{file}");
        columns
            .iter()
            .filter(|c| c.0 == path)
            .map(|c| (c.1.clone(), c.2, c.3.clone(), c.4.clone(), c.5.clone()))
            .collect()
    };
    let col = |sheet: &str, line: u64, field: &str, category: &str, masked: &str| {
        (sheet.to_string(), line, field.to_string(), category.to_string(), masked.to_string())
    };
    // Shift_JIS CSV from Excel: digits-only phones and 12-digit My Numbers
    // are classified by their headers; the 備考 column holds nothing.
    assert_eq!(
        of("kokyaku_excel.csv"),
        [
            col("", 1, "フリガナ", "name", "3/3"),
            col("", 1, "氏名", "name", "3/3"),
            col("", 1, "電話番号", "phone", "3/3"),
            col("", 1, "生年月日", "birth_date", "3/3"),
            col("", 1, "個人番号", "my_number", "3/3"),
        ]
    );
    // The workbook's table starts under a title row: its header is row 3.
    assert_eq!(
        of("kokyaku.xlsx"),
        [
            col("顧客", 3, "氏名", "name", "4/4"),
            col("顧客", 3, "電話番号", "phone", "4/4"),
            col("顧客", 3, "メールアドレス", "email", "4/4"),
            col("顧客", 3, "生年月日", "birth_date", "4/4"),
            col("顧客", 3, "性別", "gender", "4/4"),
        ]
    );
    // Sheets in the workbook's order: the customer table, then the memo.
    let book = cells(&values, "kokyaku.xlsx");
    assert_eq!(book[0], row("顧客!A4", 4, 1, "氏名", "name", "jp.name-kanji"));
    // Dates stored as serial numbers are birth dates under their header.
    assert_eq!(book[1], row("顧客!B4", 4, 2, "生年月日", "birth_date", "birth-date"));
    assert_eq!(book[book.len() - 2], row("メモ!A1", 1, 1, "", "name", "jp.name-kanji"));
    // A workbook named .csv is read as the workbook it is.
    assert_eq!(
        cells(&values, "hikitsugi.csv"),
        [
            row("Sheet1!A2", 2, 1, "氏名", "name", "jp.name-kanji"),
            row("Sheet1!B2", 2, 2, "住所", "address", "jp.address"),
            row("Sheet1!A3", 3, 1, "氏名", "name", "jp.name-kanji"),
            row("Sheet1!B3", 3, 2, "住所", "address", "jp.address"),
        ]
    );
    // Excel's "Unicode text" (UTF-16, tabs) under a .txt name is a table too.
    assert_eq!(of("meibo_unicode.txt").len(), 3);
    assert_eq!(
        cells(&values, "meibo_unicode.txt")[0],
        row("", 2, 1, "氏名", "name", "jp.name-kanji")
    );
}

#[test]
fn a_form_laid_out_down_a_sheet_is_one_record_of_labels_and_values() {
    let values = scan_documents();
    // Labels in column A, values in column B: no header row, no columns.
    assert_eq!(
        cells(&values, "moushikomi_form.xlsx"),
        [
            row("申込書!B3", 3, 2, "", "name", "jp.name-kanji"),
            row("申込書!B4", 4, 2, "", "name", "jp.name-kana"),
            row("申込書!B5", 5, 2, "", "birth_date", "birth-date"),
            row("申込書!B6", 6, 2, "", "phone", "jp.phone"),
            row("申込書!B7", 7, 2, "", "email", "email"),
            row("申込書!B8", 8, 2, "", "address", "jp.address"),
        ]
    );
    let form = values
        .iter()
        .find(|v| v["type"] == "location" && v["path"] == "fixtures/documents/moushikomi_form.xlsx")
        .unwrap();
    // The name and its reading are one person's: one record, one person.
    assert_eq!((form["records"].as_u64(), form["subjects"].as_u64()), (Some(1), Some(1)), "{form}");
    assert!(column_findings(&values).iter().all(|c| !c.0.ends_with("moushikomi_form.xlsx")));
}

#[test]
fn keys_of_json_xml_and_sql_dumps_are_fields() {
    let values = scan_documents();
    let fields = |file: &str| -> Vec<(String, String, String)> {
        cells(&values, file).into_iter().map(|c| (c.0, c.3, c.4)).collect()
    };
    let f = |row: &str, field: &str, category: &str| {
        (row.to_string(), field.to_string(), category.to_string())
    };
    assert_eq!(
        fields("customers.ndjson")[..3],
        [f("", "name", "name"), f("", "tel", "phone"), f("", "email", "email")]
    );
    assert_eq!(
        fields("export.xml")[..3],
        [f("", "name", "name"), f("", "tel", "phone"), f("", "mail", "email")]
    );
    // One INSERT line of three tuples is three rows, columns from the
    // dump's CREATE TABLE; a COPY block's rows are tab-separated.
    assert_eq!(
        fields("dump.sql"),
        [
            f("customers#1", "tel", "phone"),
            f("customers#1", "email", "email"),
            f("customers#2", "tel", "phone"),
            f("customers#2", "email", "email"),
            f("customers#3", "tel", "phone"),
            f("customers#3", "email", "email"),
            f("members#1", "email", "email"),
            f("members#1", "tel", "phone"),
            f("members#2", "email", "email"),
            f("members#2", "tel", "phone"),
        ]
    );
    let dump = values
        .iter()
        .find(|v| v["type"] == "location" && v["path"] == "fixtures/documents/dump.sql")
        .unwrap();
    assert_eq!(dump["records"], 5, "{dump}");
    assert_eq!(dump["subjects"], 5, "{dump}");
}

/// Keys name what their values are, with no label or keyword beside them:
/// gender, occupation, birth date and postal code under `sex`, `job`,
/// `dob`, `zip` (and their other spellings) are found as under a CSV
/// header, in JSON, YAML, XML, an INSERT with a column list and a COPY
/// block.
#[test]
fn keys_speak_for_their_values_as_headers_do() {
    let values = scan_documents();
    let found = |file: &str| -> Vec<(String, u64, String, String, String)> {
        cells(&values, file).into_iter().map(|c| (c.0, c.1, c.3, c.4, c.5)).collect()
    };
    let f = |row: &str, line: u64, field: &str, category: &str, detector: &str| {
        (row.to_string(), line, field.to_string(), category.to_string(), detector.to_string())
    };
    assert_eq!(
        found("members.json")[..5],
        [
            f("", 4, "name", "name", "jp.name-kanji"),
            f("", 5, "sex", "gender", "gender-column"),
            f("", 6, "dob", "birth_date", "birth-date"),
            f("", 7, "job", "occupation", "occupation-column"),
            f("", 8, "zip", "postal_code", "jp.postal-code-compact"),
        ]
    );
    assert_eq!(
        found("members.yaml")[..5],
        [
            f("", 2, "name", "name", "jp.name-kanji"),
            // `gender: 男` also reads as a label and its value.
            f("", 3, "gender", "gender", "gender"),
            f("", 4, "birth_date", "birth_date", "birth-date"),
            f("", 5, "occupation", "occupation", "occupation"),
            f("", 6, "postal_code", "postal_code", "jp.postal-code-compact"),
        ]
    );
    let categories = |file: &str| -> Vec<String> {
        found(file).into_iter().map(|(.., category, _)| category).collect()
    };
    assert_eq!(
        categories("members.xml"),
        ["name", "gender", "birth_date", "occupation", "postal_code"].repeat(2)
    );
    // Each tuple and each COPY row is a row of its own.
    let sql = found("members.sql");
    let rows: Vec<&str> = sql.iter().map(|c| c.0.as_str()).collect();
    assert_eq!(
        rows,
        [&["members#1"; 6][..], &["members#2"; 6], &["people#1"; 5], &["people#2"; 5]].concat()
    );
    assert_eq!(
        sql[..5].iter().map(|c| (c.2.as_str(), c.3.as_str())).collect::<Vec<_>>(),
        [
            ("full_name", "name"),
            ("gender", "gender"),
            ("birth_date", "birth_date"),
            ("occupation", "occupation"),
            ("zip", "postal_code"),
        ]
    );
    assert_eq!(
        sql[12..17].iter().map(|c| c.2.as_str()).collect::<Vec<_>>(),
        ["name", "sex", "dob", "job", "postcode"]
    );
}

/// An address kept in 都道府県, 市区町村 and 番地 columns (and an INSERT's
/// pref, city and street) is one address per row, from the prefecture to
/// the last part, under the first part's column; no part alone is one.
#[test]
fn an_address_split_over_columns_is_one_finding_per_row() {
    let out = piimap(&[
        "scan",
        "fixtures/documents/members_address.csv",
        "fixtures/documents/members.sql",
        "--format",
        "jsonl",
        "--show-values",
    ]);
    let addresses: Vec<(String, u64, String, String)> = jsonl(&out)
        .iter()
        .filter(|v| is_cell(v) && v["category"] == "address")
        .map(|v| {
            let s = |k: &str| v[k].as_str().unwrap_or_default().to_string();
            (
                s("path").replace("fixtures/documents/", ""),
                v["line"].as_u64().unwrap(),
                s("field"),
                s("value"),
            )
        })
        .collect();
    let a = |path: &str, line: u64, field: &str, value: &str| {
        (path.to_string(), line, field.to_string(), value.to_string())
    };
    let mut addresses = addresses;
    addresses.sort();
    assert_eq!(
        addresses,
        [
            a("members.sql", 2, "pref", "東京都','千代田区','千代田8-22-19"),
            a("members.sql", 2, "pref", "神奈川県','横浜市中区','山下町6丁目5番9号"),
            a("members_address.csv", 2, "都道府県", "福岡県,福岡市博多区,博多駅前7丁目19番5号"),
            a(
                "members_address.csv",
                3,
                "都道府県",
                "東京都,千代田区,丸の内4丁目2番16号,コーポ桜502号室"
            ),
            a("members_address.csv", 4, "都道府県", "東京都,世田谷区,三軒茶屋8-23-14"),
        ]
    );
}

/// A key is context for its values, but `name` and `job` in configuration
/// and data files name build steps, jobs and attributes: there a value must
/// read as a name (or words) on its own.
#[test]
fn keys_of_configuration_files_name_no_one() {
    let t = Tree::new();
    t.file(
        "ci.yml",
        "name: CI\njobs:\n  - job: TestBasicLinux\n    steps:\n      - name: Build\n      - name: test\n",
    );
    t.file(
        "headers.json",
        "[{\"name\": \"boundary\", \"value\": \"x\"}, {\"name\": \"charset\"}]\n",
    );
    t.file("people.json", "{\"name\": \"山田 太郎\", \"job\": \"会社員\", \"sex\": \"F\"}\n");
    let out = piimap_in(t.path(), &["scan", ".", "--format", "jsonl"]);
    let found: Vec<(String, String, String)> = jsonl(&out)
        .iter()
        .filter(|v| is_cell(v))
        .map(|v| {
            let s = |k: &str| v[k].as_str().unwrap_or_default().to_string();
            (s("path"), s("field"), s("category"))
        })
        .collect();
    let f = |path: &str, field: &str, category: &str| {
        (path.to_string(), field.to_string(), category.to_string())
    };
    assert_eq!(
        found,
        [
            f("./people.json", "name", "name"),
            f("./people.json", "job", "occupation"),
            f("./people.json", "sex", "gender")
        ]
    );
}

/// Values as data travels: JSON `\\uXXXX` escapes, HTML character
/// references, a URL-encoded `@` and a zero-width space inside a number are
/// decoded before detection; findings point at the escaped text in the file
/// (line, column), and a name escaped in one file is the same person as in
/// plain text in another.
#[test]
fn escaped_values_are_found_where_they_are_written() {
    let t = Tree::new();
    t.file(
        "a.json",
        "{\"id\": 1, \"memo\": \"\\u5c71\\u7530 \\u592a\\u90ce\\u69d8 090-1234-5678\"}\n",
    );
    t.file(
        "access.log",
        "127.0.0.1 - - [03/Dec/2026:10:00:00 +0900] \"GET /login?user=hanako.suzuki%40example.co.jp HTTP/1.1\" 200 512\n",
    );
    t.file(
        "page.html",
        "<p>お名前：&#x5C71;&#x7530; &#x592A;&#x90CE;</p>\n<p>mail: jiro&#64;mail.example.co.jp</p>\n<p>tel: 0\u{200B}90-1234-9876</p>\n",
    );
    let out = piimap_in(t.path(), &["scan", ".", "--format", "jsonl", "--show-values"]);
    let values = jsonl(&out);
    let found: Vec<(String, u64, u64, String, String)> = values
        .iter()
        .filter(|v| is_cell(v))
        .map(|v| {
            let s = |k: &str| v[k].as_str().unwrap_or_default().to_string();
            let n = |k: &str| v[k].as_u64().unwrap_or_default();
            (s("path"), n("line"), n("column"), s("category"), s("value"))
        })
        .collect();
    let f = |path: &str, line: u64, column: u64, category: &str, value: &str| {
        (path.to_string(), line, column, category.to_string(), value.to_string())
    };
    assert_eq!(
        found,
        [
            f("./a.json", 1, 20, "name", "\\u5c71\\u7530 \\u592a\\u90ce"),
            f("./a.json", 1, 52, "phone", "090-1234-5678"),
            f("./access.log", 1, 61, "email", "hanako.suzuki%40example.co.jp"),
            f("./page.html", 1, 8, "name", "&#x5C71;&#x7530; &#x592A;&#x90CE;"),
            f("./page.html", 2, 10, "email", "jiro&#64;mail.example.co.jp"),
            f("./page.html", 3, 9, "phone", "0\u{200B}90-1234-9876"),
        ]
    );
    // Masks are of the decoded value; a data-subject search for 山田 太郎
    // finds both spellings.
    let masked: Vec<&str> = values
        .iter()
        .filter(|v| is_cell(v) && v["category"] == "name")
        .filter_map(|v| v["masked"].as_str())
        .collect();
    assert_eq!(masked, ["山***", "山***"]);
    let out = piimap_in(t.path(), &["subject", ".", "--name", "山田 太郎", "--format", "json"]);
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    let paths: Vec<String> = report["locations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["path"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(paths, ["./a.json", "./page.html"]);
}

/// Forms that live abroad or in Japanese records beside the common ones: a
/// surname after a title without its full stop, phones in other countries'
/// national forms, IBANs in odd groupings (and one whose sum holds but whose
/// country structure does not, whose Luhn-valid digits are no card either),
/// the health-insurance symbol and number, a lot number without 丁目, an
/// address without its prefecture, a signature's name line, a mobile in a
/// log — each with its exact
/// detector, line and value; the look-alikes give nothing.
#[test]
fn foreign_and_record_forms_are_found_with_their_detectors() {
    let t = Tree::new();
    t.file(
        "letter.txt",
        "Dear Ms Williams,\n\
         Telefon: 030 12345678\n\
         Tél. : 01 23 45 67 89\n\
         IBAN: ES 60 0049 1500 0512 3456 7892\n\
         IBAN DE89-3704-0044-0532-0130-00\n\
         IBAN: DE75 5121 0800 1245 1261 99\n\
         Reference GB46 1234 5698 7654 3212 34\n\
         p99 120 Ms Total\n",
    );
    t.file(
        "kiroku.txt",
        "健康保険被保険者証 記号 1234 番号 5678\n\
         住所：千葉県松戸市中根５３３\n\
         新しい事務所は横浜市港北区新横浜3丁目4-5へ移ります。\n\
         部品 記号 A12 番号 34\n\
         東京都港区人口2000人\n",
    );
    t.file(
        "mail.txt",
        "よろしくお願いいたします。\n--\n株式会社サンプル通信 工事課\n中村 陽菜\nTEL: 092-934-4398\n\
         営業 部長\nTEL: 092-934-4399\n",
    );
    t.file(
        "sms.log",
        "2024-08-07T02:40:04Z INFO sms to=09042371448 status=200\n\
         2024-08-07T02:40:05Z INFO order=09042371448 ts=1709042371448\n",
    );
    let out = piimap_in(t.path(), &["scan", ".", "--format", "jsonl", "--show-values"]);
    let found: Vec<(String, u64, String, String)> = jsonl(&out)
        .iter()
        .filter(|v| is_cell(v))
        .map(|v| {
            let s = |k: &str| v[k].as_str().unwrap_or_default().to_string();
            (s("path"), v["line"].as_u64().unwrap_or_default(), s("detector"), s("value"))
        })
        .collect();
    let f = |path: &str, line: u64, detector: &str, value: &str| {
        (path.to_string(), line, detector.to_string(), value.to_string())
    };
    assert_eq!(
        found,
        [
            f("./kiroku.txt", 1, "jp.health-insurance", "記号 1234 番号 5678"),
            f("./kiroku.txt", 2, "jp.address-lot", "千葉県松戸市中根５３３"),
            f("./kiroku.txt", 3, "jp.address", "横浜市港北区新横浜3丁目4-5"),
            f("./letter.txt", 1, "name-english", "Williams"),
            f("./letter.txt", 2, "phone-national", "030 12345678"),
            f("./letter.txt", 3, "phone-national", "01 23 45 67 89"),
            f("./letter.txt", 4, "iban", "ES 60 0049 1500 0512 3456 7892"),
            f("./letter.txt", 5, "iban", "DE89-3704-0044-0532-0130-00"),
            f("./letter.txt", 6, "iban", "DE75 5121 0800 1245 1261 99"),
            f("./mail.txt", 4, "jp.name-kanji", "中村 陽菜"),
            f("./mail.txt", 5, "jp.phone", "092-934-4398"),
            f("./mail.txt", 7, "jp.phone", "092-934-4399"),
            f("./sms.log", 1, "jp.mobile-digits", "09042371448"),
        ]
    );
}

#[test]
fn archive_members_keep_their_formats() {
    let values = scan_documents();
    let paths: std::collections::BTreeSet<&str> = values
        .iter()
        .filter(|v| is_cell(v))
        .filter_map(|v| v["path"].as_str())
        .filter(|p| p.contains('!'))
        .collect();
    assert_eq!(
        paths.into_iter().collect::<Vec<_>>(),
        [
            "fixtures/documents/backup.tar.gz!backup/keiyaku.docx",
            "fixtures/documents/backup.tar.gz!backup/log.ndjson",
            "fixtures/documents/shorui.zip!2024/kokyaku.csv",
            "fixtures/documents/shorui.zip!2024/meibo.xlsx",
        ]
    );
    let member = cells(&values, "shorui.zip!2024/meibo.xlsx");
    assert_eq!(member[0], row("顧客!A4", 4, 1, "氏名", "name", "jp.name-kanji"));
}

#[test]
fn corrupt_twins_are_errors_and_the_scan_goes_on() {
    let t = Tree::new();
    let fixture = |name: &str| std::fs::read(root().join("fixtures/documents").join(name)).unwrap();
    let binaries = [
        "kokyaku.xlsx",
        "kaiin.ods",
        "keiyakusho.docx",
        "setsumeikai.pptx",
        "houkokusho.odt",
        "moushikomisho.pdf",
        "shorui.zip",
        "backup.tar.gz",
    ];
    let mut want = Vec::new();
    for name in binaries {
        // Cut in half: the end of a zip (its directory) or a PDF's
        // cross-reference table is gone, a gzip stream ends early.
        let bytes = fixture(name);
        t.file(&format!("share/truncated_{name}"), &bytes[..bytes.len() / 2]);
        // A .tar.gz is read as it inflates: the member where it breaks is named.
        want.push(match name {
            "backup.tar.gz" => "share/truncated_backup.tar.gz!backup/keiyaku.docx".to_string(),
            _ => format!("share/truncated_{name}"),
        });
    }
    // Well-formed zips whose XML is not.
    let broken = b"<w:document><w:body><w:p><w:t>\xE5\xB1\xB1\xE7\x94\xB0</w:p>";
    t.file(
        "share/broken_xml.docx",
        with_member(&fixture("keiyakusho.docx"), "word/document.xml", broken),
    );
    t.file("share/broken_xml.odt", with_member(&fixture("houkokusho.odt"), "content.xml", broken));
    want.extend(["share/broken_xml.docx".to_string(), "share/broken_xml.odt".to_string()]);
    // A PDF header and nothing else that parses.
    t.file("share/garbage.pdf", b"%PDF-1.7\n1 0 obj << /Type /Catalog >>\ngarbage");
    want.push("share/garbage.pdf".to_string());
    // And one good file, still found.
    t.file("share/ok.ndjson", fixture("customers.ndjson"));
    let out = piimap_in(t.path(), &["scan", "share", "--format", "jsonl"]);
    assert_eq!(code(&out), 2, "{}", String::from_utf8_lossy(&out.stderr));
    let values = jsonl(&out);
    let errors = of_type(&values, "error");
    let mut paths: Vec<String> =
        errors.iter().map(|e| e["path"].as_str().unwrap().to_string()).collect();
    paths.sort();
    want.sort();
    assert_eq!(paths, want, "{errors:?}");
    for e in &errors {
        let message = e["message"].as_str().unwrap();
        assert!(!message.is_empty() && !message.contains("山田"), "{message}");
        assert!(!message.contains("internal error"), "a reader crashed: {e}");
    }
    let ok: Vec<_> = findings(&values).into_iter().filter(|f| f.0 == "share/ok.ndjson").collect();
    assert_eq!(ok.len(), 9, "{values:?}");
}

#[test]
fn a_large_file_is_detected_in_parallel_with_the_same_result() {
    // About 9 MB: three chunks, the later two detected side by side once
    // the other thread, with no file of its own, is idle.
    let t = Tree::new();
    let mut csv = String::from("番号,電話番号,備考\n");
    let mut want = Vec::new();
    for i in 0..150_000u64 {
        if i % 10_000 == 7 {
            csv.push_str(&format!("{i},090-5555-{:04},確認済み\n", i / 10_000));
            want.push(("big.csv".to_string(), i + 2, "phone".to_string()));
        } else {
            csv.push_str(&format!("{i},,特記事項なし（問い合わせ対応済み）\n"));
        }
    }
    assert!(csv.len() > 8 << 20);
    t.file("big.csv", &csv);
    let one = piimap_in(t.path(), &["scan", "big.csv", "--format", "jsonl", "-j", "1"]);
    let two = piimap_in(t.path(), &["scan", "big.csv", "--format", "jsonl", "-j", "2"]);
    assert_eq!(code(&one), 1);
    assert_eq!(one.stdout, two.stdout, "the same findings whatever the threads");
    let values = jsonl(&two);
    assert_eq!(findings(&values), want);
    // Column counts add up over the chunks: 15 phones in 15 filled cells.
    let columns = column_findings(&values);
    assert_eq!(columns.len(), 1, "{columns:?}");
    assert_eq!((columns[0].3.as_str(), columns[0].5.as_str()), ("電話番号", "15/15"));
}

#[test]
fn the_text_report_says_sheet_cell_page_slide_and_row() {
    let out = piimap(&[
        "scan",
        "fixtures/documents/kokyaku.xlsx",
        "fixtures/documents/moushikomisho.pdf",
        "fixtures/documents/setsumeikai.pptx",
        "fixtures/documents/dump.sql",
    ]);
    let text = String::from_utf8(out.stdout).unwrap();
    for place in
        ["顧客!B4 birth_date", "p.1 2:5 name", "slide 2 4:5 email", "8:85 customers#2 phone"]
    {
        let (at, category) = place.rsplit_once(' ').unwrap();
        assert!(
            text.lines().any(|l| l.trim_start().starts_with(at) && l.contains(category)),
            "{place} not in\n{text}"
        );
    }
}

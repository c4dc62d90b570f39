//! Images and text-less PDF pages read by OCR (`fixtures/images`, written by
//! `scripts/images.py fixtures`): exact categories per file and page, floor
//! plans from pictures with their reasons, word boxes, and every budget and
//! refusal as a skipped entry or an error, never a silent drop.
//!
//! Tests that need Tesseract skip with a message where it is not installed;
//! in CI (`CI` set) they fail, since `.ci/run` installs it.

use std::collections::BTreeSet;

use crate::util::*;

/// Whether Tesseract with its Japanese and English data and pdftoppm run
/// here; in CI they must.
fn ocr_available() -> bool {
    let langs = std::process::Command::new("tesseract").arg("--list-langs").output();
    let ok = langs.is_ok_and(|o| {
        let text = String::from_utf8_lossy(&o.stdout).into_owned();
        ["jpn", "eng"].iter().all(|l| text.lines().any(|line| line.trim() == *l))
    }) && std::process::Command::new("pdftoppm").arg("-v").output().is_ok();
    if !ok {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI needs tesseract-ocr, tesseract-ocr-jpn, tesseract-ocr-eng and poppler-utils"
        );
        eprintln!("skipped: Tesseract (jpn, eng) or pdftoppm is not installed");
    }
    ok
}

/// `fixtures/images/expected.tsv`: `(path, category, page)`, page 0 for a
/// whole-file finding.
fn expected() -> BTreeSet<(String, String, u64)> {
    let text = std::fs::read_to_string(root().join("fixtures/images/expected.tsv")).unwrap();
    text.lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
        .map(|l| {
            let mut f = l.split('\t');
            let (path, category) = (f.next().unwrap(), f.next().unwrap());
            let page = f.next().map_or(0, |p| p.trim_start_matches("page:").parse().unwrap());
            (format!("fixtures/images/{path}"), category.to_string(), page)
        })
        .collect()
}

fn scan_images(extra: &[&str]) -> (i32, Vec<serde_json::Value>) {
    let mut args = vec!["scan", "fixtures/images", "--format", "jsonl"];
    args.extend(extra);
    let out = piimap(&args);
    (code(&out), jsonl(&out))
}

#[test]
fn every_image_gives_exactly_its_planted_categories_per_page() {
    if !ocr_available() {
        return;
    }
    let (code, values) = scan_images(&[]);
    assert_eq!(code, 1);
    let found: BTreeSet<(String, String, u64)> = of_type(&values, "finding")
        .iter()
        .filter(|v| v["test_data"] != true)
        .map(|v| {
            let path = v["path"].as_str().unwrap().to_string();
            (path, v["category"].as_str().unwrap().to_string(), v["page"].as_u64().unwrap_or(0))
        })
        .collect();
    assert_eq!(found, expected());
    assert!(of_type(&values, "error").is_empty(), "{values:?}");
    assert!(of_type(&values, "skipped").is_empty(), "{values:?}");
    // Every file, and both pages of the fax and of the PDF, went through OCR.
    let summary = of_type(&values, "summary")[0];
    assert_eq!(summary["ocr_pages"], 12, "{summary}");
    assert_eq!(summary["files"], 11);
    assert_eq!(summary["binary_skipped"], 0);
}

#[test]
fn a_value_read_by_ocr_carries_its_page_line_and_box() {
    if !ocr_available() {
        return;
    }
    let out = piimap(&[
        "scan",
        "fixtures/images/moushikomi_scan.jpg",
        "--format",
        "jsonl",
        "--show-values",
    ]);
    let values = jsonl(&out);
    let findings = of_type(&values, "finding");
    let rows: Vec<(&str, u64, u64)> = findings
        .iter()
        .map(|v| {
            (
                v["category"].as_str().unwrap(),
                v["line"].as_u64().unwrap(),
                v["page"].as_u64().unwrap(),
            )
        })
        .collect();
    // The form's rows, top to bottom; the title and the receipt number
    // (受付番号, eight digits) are no personal data.
    assert_eq!(
        rows,
        [
            ("name", 2, 1),
            ("birth_date", 3, 1),
            ("postal_code", 4, 1),
            ("address", 5, 1),
            ("phone", 6, 1)
        ]
    );
    // Label and value are one line: the name is labelled, so it is a record
    // with the rest of the form.
    let name = findings[0];
    assert_eq!(name["detector"], "jp.name-kanji");
    // The boxes lie on the 1,700 × 1,400 picture, each below the one before,
    // starting right of the label column.
    let boxes: Vec<Vec<u64>> = findings
        .iter()
        .map(|v| v["bbox"].as_array().unwrap().iter().map(|n| n.as_u64().unwrap()).collect())
        .collect();
    for pair in boxes.windows(2) {
        assert!(pair[0][1] + pair[0][3] <= pair[1][1] + 5, "{boxes:?}");
    }
    for b in &boxes {
        assert!(b[0] > 500 && b[0] + b[2] < 1700 && b[1] + b[3] < 1400, "{b:?}");
        assert!(b[2] > 100 && b[3] >= 25, "{b:?}");
    }
    // The inventory's evidence keeps page and box, as its schema says.
    let out = piimap(&["scan", "fixtures/images/moushikomi_scan.jpg", "--format", "json"]);
    let json = String::from_utf8_lossy(&out.stdout).into_owned();
    validate_json("schemas/inventory.schema.json", &json);
    let doc: serde_json::Value = serde_json::from_str(&json).unwrap();
    let evidence = &doc["locations"][0]["evidence"][0];
    assert_eq!(
        (evidence["page"].as_u64(), evidence["bbox"].as_array().map(Vec::len)),
        (Some(1), Some(4))
    );
}

#[test]
fn the_inventory_counts_the_pages_read_by_ocr_in_every_format() {
    if !ocr_available() {
        return;
    }
    let tree = Tree::new();
    let inventory = tree.path().join("inventory.json");
    let out = piimap(&[
        "scan",
        "fixtures/images/fax.tif",
        "fixtures/cad/house_utf8.dxf",
        "--format",
        "json",
        "-o",
        inventory.to_str().unwrap(),
    ]);
    assert_eq!(code(&out), 1, "{}", String::from_utf8_lossy(&out.stderr));
    let json = std::fs::read_to_string(&inventory).unwrap();
    validate_json("schemas/inventory.schema.json", &json);
    let doc: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(
        (doc["summary"]["files"].as_u64(), doc["summary"]["ocr_pages"].as_u64()),
        (Some(2), Some(2))
    );
    let report = |format: &str, lang: &str| {
        let out =
            piimap(&["report", inventory.to_str().unwrap(), "--format", format, "--lang", lang]);
        assert_eq!(code(&out), 0, "{}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8(out.stdout).unwrap()
    };
    assert!(report("markdown", "en").contains("2 files scanned (2 pages by OCR)"));
    assert!(report("markdown", "ja").contains("2 ファイルを走査 (2 ページをOCR)"));
    assert!(report("html", "en").contains("<div class=\"card\"><b>2</b>pages read by OCR</div>"));
    // Without OCR the field is absent, as before.
    let out = piimap(&["scan", "fixtures/cad/house_utf8.dxf", "--format", "json"]);
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(doc["summary"].get("ocr_pages").is_none(), "{}", doc["summary"]);
}

#[test]
fn floor_plans_are_told_from_pictures_with_their_reasons() {
    if !ocr_available() {
        return;
    }
    let (_, values) = scan_images(&[]);
    let plans: Vec<(&str, &serde_json::Value)> = of_type(&values, "finding")
        .into_iter()
        .filter(|v| v["category"] == "floor_plan")
        .map(|v| (v["path"].as_str().unwrap(), &v["reasons"]))
        .collect();
    let paths: Vec<&str> = plans.iter().map(|(p, _)| *p).collect();
    assert_eq!(
        paths,
        [
            "fixtures/images/IMG_0412.jpg",
            "fixtures/images/fax.tif",
            "fixtures/images/plan.png",
            "fixtures/images/zumen_scan.pdf"
        ]
    );
    for (path, reasons) in &plans {
        let ids: Vec<&str> = reasons
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r.as_str().unwrap().split(':').next().unwrap())
            .collect();
        // Room names read off the picture, never the file name alone.
        assert!(ids.contains(&"rooms"), "{path}: {ids:?}");
        assert!(!ids.contains(&"plan-name"), "{path}: {ids:?}");
    }
    // The plan with its owner's name identifies a home.
    let plan = plans.iter().find(|(p, _)| p.ends_with("plan.png")).unwrap();
    assert!(plan.1.to_string().contains("identifies-home"), "{}", plan.1);
    // None of the negatives: a part drawing, a street, a chart, an office.
    let negatives: Vec<_> = values
        .iter()
        .filter(|v| v["path"].as_str().is_some_and(|p| p.contains("/negative/")))
        .collect();
    assert!(negatives.iter().all(|v| v["type"] != "finding"), "{negatives:?}");
}

#[test]
fn ocr_never_and_its_limits_are_skipped_entries_with_the_reason() {
    // --ocr never: nothing is read, every picture is listed.
    let (code, values) = scan_images(&["--ocr", "never"]);
    assert_eq!(code, 0, "no findings: the pictures' names say nothing");
    let skipped = of_type(&values, "skipped");
    let mut messages: Vec<(&str, &str)> = skipped
        .iter()
        .map(|v| (v["path"].as_str().unwrap(), v["message"].as_str().unwrap()))
        .collect();
    messages.sort();
    assert_eq!(messages.len(), 10, "{messages:?}");
    assert!(messages.iter().all(|(_, m)| m.contains("(--ocr never)")), "{messages:?}");
    assert_eq!(
        messages.iter().find(|(p, _)| p.ends_with("zumen_scan.pdf")).unwrap().1,
        "page 1, 2: no text layer (an image, e.g. a scan): not read (--ocr never) / 画像のみのページ"
    );
    assert!(of_type(&values, "summary")[0].get("ocr_pages").is_none());
    if !ocr_available() {
        return;
    }
    // Past the size limit: skipped, the rest read.
    let out = piimap(&[
        "scan",
        "fixtures/images/plan.png",
        "fixtures/images/IMG_0412.jpg",
        "--ocr-max-size",
        "50K",
        "--format",
        "jsonl",
    ]);
    let values = jsonl(&out);
    let skipped = of_type(&values, "skipped");
    assert_eq!(skipped.len(), 1, "{values:?}");
    assert_eq!(skipped[0]["path"], "fixtures/images/IMG_0412.jpg");
    assert!(skipped[0]["message"].as_str().unwrap().contains("over the OCR limit of 51200"));
    assert_eq!(of_type(&values, "summary")[0]["ocr_pages"], 1);
    // Past the page limit: the fax's second page (its plan) is listed.
    let out =
        piimap(&["scan", "fixtures/images/fax.tif", "--ocr-max-pages", "1", "--format", "jsonl"]);
    let values = jsonl(&out);
    let categories: Vec<&str> =
        of_type(&values, "finding").iter().map(|v| v["category"].as_str().unwrap()).collect();
    assert_eq!(categories, ["name", "phone"]);
    assert_eq!(
        of_type(&values, "skipped")[0]["message"],
        "pages past 1: past the OCR limit of 1 pages a file: not read"
    );
}

#[test]
fn without_tesseract_images_are_skipped_and_the_rest_is_read() {
    // A PATH without Tesseract (nor pdftoppm): the scan says how to install it.
    let t = Tree::new();
    let png = std::fs::read(root().join("fixtures/images/plan.png")).unwrap();
    t.file("plan.png", &png).file("note.txt", "TEL 090-3812-4471\n");
    let bin = std::path::Path::new(env!("CARGO_BIN_EXE_piimap"));
    let out = std::process::Command::new(bin)
        .args(["scan", ".", "--format", "jsonl"])
        .current_dir(t.path())
        .env("PATH", t.path())
        .output()
        .unwrap();
    assert_eq!(code(&out), 1, "the phone is found; a skipped image is no error");
    let values = jsonl(&out);
    assert_eq!(paths(&out), ["./note.txt"]);
    let skipped = of_type(&values, "skipped");
    assert_eq!(skipped.len(), 1);
    let message = skipped[0]["message"].as_str().unwrap();
    assert!(message.starts_with("image: Tesseract cannot run"), "{message}");
    assert!(message.contains("install tesseract-ocr"), "{message}");
}

#[test]
fn a_corrupt_or_slow_image_is_an_error_and_the_scan_goes_on() {
    if !ocr_available() {
        return;
    }
    let t = Tree::new();
    let png = std::fs::read(root().join("fixtures/images/plan.png")).unwrap();
    t.file("cut.png", &png[..png.len() / 2])
        .file("garbage.jpg", b"\xFF\xD8\xFF\xE0 not a jpeg at all")
        .file("note.txt", "TEL 090-3812-4471\n");
    let out = piimap_in(t.path(), &["scan", ".", "--format", "jsonl"]);
    assert_eq!(code(&out), 2);
    let values = jsonl(&out);
    let errors: Vec<(&str, &str)> = of_type(&values, "error")
        .iter()
        .map(|v| (v["path"].as_str().unwrap(), v["message"].as_str().unwrap()))
        .collect();
    assert_eq!(errors.len(), 2, "{errors:?}");
    assert_eq!(errors[0].0, "./cut.png");
    assert_eq!(errors[1].0, "./garbage.jpg");
    assert!(errors.iter().all(|(_, m)| m.starts_with("OCR: corrupt image")), "{errors:?}");
    assert_eq!(paths(&out), ["./note.txt"]);
    // A page past its time: an error, no hang.
    let t = Tree::new();
    t.file("plan.png", &png);
    let out = piimap_in(t.path(), &["scan", ".", "--ocr-timeout", "0", "--format", "jsonl"]);
    assert_eq!(code(&out), 2);
    let values = jsonl(&out);
    let message = of_type(&values, "error")[0]["message"].as_str().unwrap();
    assert_eq!(message, "OCR: tesseract: stopped at its time limit of 0ns");
}

#[test]
fn ocr_always_reads_pages_with_a_text_layer_too() {
    if !ocr_available() {
        return;
    }
    let scan = |when: &str| {
        let args = ["scan", "fixtures/documents/moushikomisho.pdf", "--ocr", when, "--format"];
        jsonl(&piimap(&[&args[..], &["jsonl"]].concat()))
    };
    let (auto, always) = (scan("auto"), scan("always"));
    // auto: only the drawing on page 2 has no text layer; always: all three.
    assert_eq!(of_type(&auto, "summary")[0]["ocr_pages"], 1);
    assert_eq!(of_type(&always, "summary")[0]["ocr_pages"], 3);
    // What the text layer gives is there either way, without a box; the
    // printed form read again off its picture comes with boxes.
    let boxed = |values: &[serde_json::Value]| {
        of_type(values, "finding").iter().filter(|v| v["bbox"].is_array()).count()
    };
    assert_eq!(boxed(&auto), 0);
    assert!(boxed(&always) >= 3, "{always:?}");
    let unboxed = |values: &[serde_json::Value]| {
        let mut cells: Vec<(u64, String)> = of_type(values, "finding")
            .iter()
            .filter(|v| !v["bbox"].is_array() && v["line"].is_u64())
            .map(|v| (v["page"].as_u64().unwrap(), v["category"].as_str().unwrap().to_string()))
            .collect();
        cells.sort();
        cells
    };
    assert_eq!(unboxed(&auto), unboxed(&always));
}

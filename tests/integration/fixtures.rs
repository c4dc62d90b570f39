//! The committed fixtures: every planted value found at its line, nothing else,
//! in every encoding.

use std::collections::BTreeMap;

use crate::util::*;

/// `fixtures/expected.tsv`, written by `scripts/synth.py fixtures` as it plants
/// each value, as `(path, line, category)` with paths as a scan of `fixtures`
/// prints them, followed by ` @sheet:NAME`, ` @page:N` or ` @slide:N` where
/// the line is a sheet's row, a page's or a slide's line.
fn expected() -> Vec<(String, u64, String)> {
    let text = std::fs::read_to_string(root().join("fixtures/expected.tsv")).unwrap();
    let mut rows: Vec<_> = text
        .lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
        .map(|l| {
            let mut f = l.split('\t');
            let (p, n, c) = (f.next().unwrap(), f.next().unwrap(), f.next().unwrap());
            let at = f.next().map(|w| format!(" @{w}")).unwrap_or_default();
            (format!("fixtures/{p}{at}"), n.parse().unwrap(), c.to_string())
        })
        .collect();
    rows.sort();
    rows
}

#[test]
fn every_fixture_finding_is_exactly_the_planted_one() {
    // Pictures read by OCR and DWG drawings have their own generators,
    // truth and tests (ocr.rs, dwg.rs).
    let out = piimap(&[
        "scan",
        "fixtures",
        "--exclude",
        "images",
        "--exclude",
        "dwg",
        "--format",
        "jsonl",
    ]);
    assert_eq!(
        code(&out),
        1,
        "findings → exit 1; stderr: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut found = located_findings(&jsonl(&out));
    found.sort();
    let want = expected();
    assert!(want.len() > 80, "the fixture set plants every category");
    assert_eq!(found, want);
}

#[test]
fn every_encoding_gives_the_same_findings_at_the_same_places() {
    let out = piimap(&["scan", "fixtures/ja", "--format", "jsonl"]);
    let values = jsonl(&out);
    let mut per_file: BTreeMap<&str, Vec<(u64, u64, &str, &str)>> = BTreeMap::new();
    for v in values.iter().filter(|v| is_cell(v)) {
        let path = v["path"].as_str().unwrap();
        if path.contains("moushikomi_") {
            per_file.entry(path).or_default().push((
                v["line"].as_u64().unwrap(),
                v["column"].as_u64().unwrap(),
                v["category"].as_str().unwrap(),
                v["masked"].as_str().unwrap(),
            ));
        }
    }
    let utf8 = per_file["fixtures/ja/moushikomi_utf8.txt"].clone();
    assert_eq!(utf8.len(), 9);
    for twin in ["sjis", "eucjp", "utf16", "iso2022jp"] {
        assert_eq!(per_file[format!("fixtures/ja/moushikomi_{twin}.txt").as_str()], utf8, "{twin}");
    }
}

#[test]
fn shift_jis_csv_reports_fields_and_columns() {
    let out = piimap(&["scan", "fixtures/ja/kokyaku.csv", "--format", "jsonl", "--show-values"]);
    let values = jsonl(&out);
    let phone = values
        .iter()
        .find(|v| v["category"] == "phone" && v["line"] == 2)
        .expect("phone on the first data row");
    assert_eq!(phone["field"], "電話番号");
    assert_eq!(phone["path"], "fixtures/ja/kokyaku.csv");
    // The column counts characters of the decoded line.
    let text = encoding_rs::SHIFT_JIS
        .decode(&std::fs::read(root().join("fixtures/ja/kokyaku.csv")).unwrap())
        .0
        .into_owned();
    let line2 = text.lines().nth(1).unwrap();
    let value = phone["value"].as_str().unwrap();
    let col = line2[..line2.find(value).unwrap()].chars().count() as u64 + 1;
    assert_eq!(phone["column"].as_u64().unwrap(), col);
}

#[test]
fn look_alike_numbers_are_not_personal_data() {
    let out = piimap(&["scan", "fixtures/negative", "--format", "jsonl"]);
    assert_eq!(code(&out), 0);
    let values = jsonl(&out);
    assert!(findings(&values).is_empty(), "{values:?}");
    let summary = of_type(&values, "summary")[0];
    assert_eq!(summary["files"], 2);
    assert_eq!(summary["binary_skipped"], 1, "logo.png is recognised as binary");
}

#[test]
fn fixtures_are_what_the_generator_writes() {
    let Ok(python) = which_python() else {
        eprintln!("skipped: python3 not found, cannot regenerate fixtures");
        return;
    };
    let out = Tree::new();
    let status = std::process::Command::new(python)
        .args(["scripts/synth.py", "fixtures", "--no-pdf"])
        .arg(out.path())
        .current_dir(root())
        .status()
        .unwrap();
    assert!(status.success());
    let mut generated = Vec::new();
    collect(out.path(), out.path(), &mut generated);
    let mut committed = Vec::new();
    collect(&root().join("fixtures"), &root().join("fixtures"), &mut committed);
    // PDFs are printed by Chromium, whose output differs from run to run:
    // everything else must be byte for byte what the generator writes.
    // Pictures come from scripts/images.py, DWG drawings from dwg.rs.
    committed.retain(|(p, _)| {
        p != "README.md"
            && !p.ends_with(".pdf")
            && !p.starts_with("images/")
            && !p.starts_with("dwg/")
    });
    assert_eq!(generated, committed, "run `python3 scripts/synth.py fixtures fixtures`");
}

fn which_python() -> Result<&'static str, ()> {
    let ok = std::process::Command::new("python3")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if ok { Ok("python3") } else { Err(()) }
}

/// Every file under `dir` as (relative path, bytes), sorted.
fn collect(base: &std::path::Path, dir: &std::path::Path, out: &mut Vec<(String, Vec<u8>)>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().path()).collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            collect(base, &p, out);
        } else {
            let rel = p.strip_prefix(base).unwrap().to_string_lossy().replace('\\', "/");
            out.push((rel, std::fs::read(&p).unwrap()));
        }
    }
}

#[test]
fn drawings_of_homes_are_floor_plans_and_others_are_not() {
    let out = piimap(&["scan", "fixtures/cad", "--format", "jsonl"]);
    let values = jsonl(&out);
    let plans: Vec<(&str, &str, Vec<String>)> = values
        .iter()
        .filter(|v| v["category"] == "floor_plan")
        .map(|v| {
            assert!(v["line"].is_null() && v["column"].is_null(), "whole-file finding: {v}");
            let reasons = v["reasons"]
                .as_array()
                .unwrap()
                .iter()
                .map(|r| r.as_str().unwrap().split(':').next().unwrap().to_string())
                .collect();
            (v["path"].as_str().unwrap(), v["confidence"].as_str().unwrap(), reasons)
        })
        .collect();
    let ids = |list: &[&str]| list.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    let full = ids(&[
        "plan-title",
        "rooms",
        "many-rooms",
        "mat-area",
        "wall-layers",
        "owner",
        "identifies-home",
    ]);
    let expected = [
        (
            "fixtures/cad/house.ifc",
            "high",
            ids(&[
                "plan-title",
                "rooms",
                "many-rooms",
                "model-rooms",
                "model-address",
                "identifies-home",
            ]),
        ),
        ("fixtures/cad/house.jwc", "high", full.clone()),
        ("fixtures/cad/house.jww", "high", full.clone()),
        ("fixtures/cad/house.p21", "high", full.clone()),
        ("fixtures/cad/house.p2z", "high", full.clone()),
        ("fixtures/cad/house.sfc", "high", full.clone()),
        ("fixtures/cad/house_binary.dxf", "high", full.clone()),
        ("fixtures/cad/house_cp932.dxf", "high", full.clone()),
        // No Japanese word: the model says it is a home.
        (
            "fixtures/cad/house_en.ifc",
            "high",
            ids(&["rooms", "model-rooms", "model-walls", "model-residential"]),
        ),
        ("fixtures/cad/house_escaped.dxf", "high", full.clone()),
        ("fixtures/cad/house_utf8.dxf", "high", full.clone()),
    ];
    assert_eq!(plans.len(), 12, "{plans:#?}");
    for (want, got) in expected.iter().zip(&plans) {
        assert_eq!((want.0, want.1, &want.2), (got.0, got.1, &got.2));
    }
    // The image counts by its name alone.
    assert!(plans[11].0.ends_with("様邸_間取り図.png"));
    assert_eq!((plans[11].1, &plans[11].2), ("medium", &ids(&["plan-name"])));
    // Elevation, site plan, mechanical part, a drawing without rooms, an IFC
    // office: no findings at all.
    assert!(values.iter().all(|v| !v["path"].as_str().is_some_and(|p| p.contains("/negative/"))));
}

#[test]
fn text_in_drawings_is_scanned_and_located() {
    let out = piimap(&["scan", "fixtures/cad", "--format", "jsonl", "--show-values"]);
    let values = jsonl(&out);
    let phones: Vec<(&str, Option<u64>)> = values
        .iter()
        .filter(|v| v["category"] == "phone")
        .map(|v| (v["path"].as_str().unwrap(), v["line"].as_u64()))
        .collect();
    // Text formats keep the physical line of the TEXT value; binary ones have none.
    assert_eq!(
        phones,
        [
            ("fixtures/cad/house.jwc", None),
            ("fixtures/cad/house.jww", None),
            ("fixtures/cad/house.p21", Some(19)),
            ("fixtures/cad/house.p2z", None),
            ("fixtures/cad/house.sfc", Some(19)),
            ("fixtures/cad/house_binary.dxf", None),
            ("fixtures/cad/house_cp932.dxf", Some(260)),
            ("fixtures/cad/house_escaped.dxf", Some(260)),
            ("fixtures/cad/house_utf8.dxf", Some(260)),
        ]
    );
    // The same address is read from CP932, \U+ escapes and UTF-8 alike.
    let address = |p: &str| {
        values
            .iter()
            .find(|v| v["path"] == p && v["category"] == "address")
            .map(|v| v["value"].as_str().unwrap().to_string())
    };
    let utf8 = address("fixtures/cad/house_utf8.dxf").unwrap();
    assert!(
        utf8.contains('都') || utf8.contains('県') || utf8.contains('府') || utf8.contains('道')
    );
    assert!(address("fixtures/cad/house_cp932.dxf").is_some());
    assert!(address("fixtures/cad/house_escaped.dxf").is_some());
}

/// Scans the drawing `tests/data/NAME` beside a note that holds an e-mail:
/// the drawing is one error entry with `message`, the rest of the scan
/// completes (the note's finding), and the exit code is 2.
fn a_corrupt_drawing_is_an_error(name: &str, message: &str) {
    let t = Tree::new();
    let bytes = std::fs::read(root().join("tests/data").join(name)).unwrap();
    t.file("drawing.dwg", &bytes);
    t.file("notes.txt", "連絡先: taro.yamada@example.jp\n");
    let out = piimap_in(t.path(), &["scan", ".", "--format", "jsonl", "--quiet"]);
    let values = jsonl(&out);
    let errors = of_type(&values, "error");
    assert_eq!(errors.len(), 1, "{values:?}");
    assert_eq!(errors[0]["path"], "./drawing.dwg");
    assert_eq!(errors[0]["message"], message);
    let findings = of_type(&values, "finding");
    assert_eq!(findings.len(), 1, "{values:?}");
    assert_eq!(
        (&findings[0]["path"], &findings[0]["category"]),
        (&"./notes.txt".into(), &"email".into())
    );
    assert_eq!(code(&out), 2);
}

/// `tests/data/dwg-corrupt-section-count.dwg`: a drawing of the fuzzing
/// corpus (itself made from the synthetic fixtures) with one bit flipped by
/// the fuzzer, so that its R2018 section map claims billions of entries.
/// Reserving room for them aborted the process, and the whole scan with
/// it; the vendored ezdwg-core caps the count (`vendor/README.md`).
#[test]
fn a_dwg_section_map_with_a_corrupt_count_is_an_error() {
    a_corrupt_drawing_is_an_error(
        "dwg-corrupt-section-count.dwg",
        "corrupt DWG: section entry truncated",
    );
}

/// `tests/data/dwg-corrupt-system-section-size.dwg`: an R2004 drawing of
/// the fuzzing corpus (made from the synthetic fixtures) as the fuzzer
/// changed it, so that its page map claims a gigabyte once decompressed.
/// Its zeros were read as a hundred million page entries: 2.3 GB and five
/// seconds for 7 KB, until the vendored ezdwg-core refused a system
/// section larger than the file can describe (`vendor/README.md`).
#[test]
fn a_dwg_system_section_larger_than_its_file_is_an_error() {
    a_corrupt_drawing_is_an_error(
        "dwg-corrupt-system-section-size.dwg",
        "corrupt DWG: system section larger than the file can describe",
    );
}

#[test]
fn truncated_drawings_give_what_they_hold_and_never_crash() {
    let t = Tree::new();
    for name in
        ["house_binary.dxf", "house.jww", "house.jwc", "house.p2z", "house.p21", "house_cp932.dxf"]
    {
        let bytes = std::fs::read(root().join("fixtures/cad").join(name)).unwrap();
        for cut in [1, 7, 23, bytes.len() / 3, bytes.len() / 2, bytes.len() - 1] {
            t.file(&format!("{cut}_{name}"), &bytes[..cut.min(bytes.len())]);
        }
    }
    let out = piimap_in(t.path(), &["scan", ".", "--format", "jsonl", "--quiet"]);
    assert!(out.stderr.is_empty(), "{}", String::from_utf8_lossy(&out.stderr));
    // A cut zip (.p2z) is a corrupt archive: an error entry each, exit 2;
    // every other cut drawing gives what it holds without an error.
    let values = jsonl(&out);
    let errors = of_type(&values, "error");
    assert!(!errors.is_empty());
    for e in &errors {
        let path = e["path"].as_str().unwrap();
        assert!(path.ends_with("_house.p2z"), "{e}");
        assert!(e["message"].as_str().unwrap().starts_with("corrupt zip"), "{e}");
    }
    assert_eq!(code(&out), 2);
}

//! Helpers: run the binary, parse its JSONL, build throwaway trees.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

/// The repository root (tests run with paths relative to it).
pub(crate) fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Runs `piimap ARGS` from the repository root.
pub(crate) fn piimap(args: &[&str]) -> Output {
    piimap_in(&root(), args)
}

/// Runs `piimap ARGS` in `dir`.
pub(crate) fn piimap_in(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_piimap"))
        .args(args)
        .current_dir(dir)
        .output()
        .expect("piimap runs")
}

/// Starts `piimap ARGS` in `dir` with its standard output and error going
/// where `piped` says (else nowhere): for tests that act while it runs.
pub(crate) fn spawn_in(dir: &Path, args: &[&str], piped: bool) -> std::process::Child {
    let out = || if piped { std::process::Stdio::piped() } else { std::process::Stdio::null() };
    Command::new(env!("CARGO_BIN_EXE_piimap"))
        .args(args)
        .current_dir(dir)
        .stdout(out())
        .stderr(out())
        .spawn()
        .expect("piimap starts")
}

/// Exit code, panicking on a signal.
pub(crate) fn code(out: &Output) -> i32 {
    out.status.code().expect("exit code")
}

/// Parses JSONL output into values.
pub(crate) fn jsonl(out: &Output) -> Vec<Value> {
    String::from_utf8(out.stdout.clone())
        .expect("utf-8 output")
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("bad json line {l:?}: {e}")))
        .collect()
}

/// The value findings (`type == finding`, not column-level) as `(path, line, category)`.
pub(crate) fn findings(values: &[Value]) -> Vec<(String, u64, String)> {
    values
        .iter()
        .filter(|v| is_cell(v))
        .map(|v| {
            (
                v["path"].as_str().unwrap().to_string(),
                v["line"].as_u64().unwrap_or(0),
                v["category"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

/// Like [`findings`], with ` @sheet:NAME`, ` @page:N` or ` @slide:N` after
/// the path of findings in a sheet, a page or a slide.
pub(crate) fn located_findings(values: &[Value]) -> Vec<(String, u64, String)> {
    values
        .iter()
        .filter(|v| is_cell(v))
        .map(|v| {
            let at = if let Some(s) = v["sheet"].as_str() {
                format!(" @sheet:{s}")
            } else if let Some(p) = v["page"].as_u64() {
                format!(" @page:{p}")
            } else if let Some(s) = v["slide"].as_u64() {
                format!(" @slide:{s}")
            } else {
                String::new()
            };
            (
                format!("{}{at}", v["path"].as_str().unwrap()),
                v["line"].as_u64().unwrap_or(0),
                v["category"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

/// A finding of a value (not a column-level finding that sums a table's
/// column up).
/// The paths with findings, in report order, each once.
pub(crate) fn paths(out: &Output) -> Vec<String> {
    let mut p: Vec<String> = findings(&jsonl(out)).into_iter().map(|f| f.0).collect();
    p.dedup();
    p
}

pub(crate) fn is_cell(v: &Value) -> bool {
    v["type"] == "finding" && v["detector"] != "column"
}

/// `(path, sheet, line, field, category, masked)` of every column finding.
pub(crate) fn column_findings(
    values: &[Value],
) -> Vec<(String, String, u64, String, String, String)> {
    let s = |v: &Value| v.as_str().unwrap_or_default().to_string();
    values
        .iter()
        .filter(|v| v["type"] == "finding" && v["detector"] == "column")
        .map(|v| {
            let line = v["line"].as_u64().unwrap_or(0);
            (
                s(&v["path"]),
                s(&v["sheet"]),
                line,
                s(&v["field"]),
                s(&v["category"]),
                s(&v["masked"]),
            )
        })
        .collect()
}

/// The error entries as `(path, message)`, in report order.
pub(crate) fn errors(values: &[Value]) -> Vec<(&str, &str)> {
    of_type(values, "error")
        .iter()
        .map(|e| (e["path"].as_str().unwrap(), e["message"].as_str().unwrap()))
        .collect()
}

/// Lines of one type (`error`, `skipped`, `summary`).
pub(crate) fn of_type<'a>(values: &'a [Value], t: &str) -> Vec<&'a Value> {
    values.iter().filter(|v| v["type"] == t).collect()
}

/// A temporary directory with files written into it.
pub(crate) struct Tree {
    dir: tempfile::TempDir,
}

impl Tree {
    pub(crate) fn new() -> Tree {
        Tree { dir: tempfile::tempdir().expect("tempdir") }
    }

    pub(crate) fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Writes `contents` at `rel`, creating directories.
    pub(crate) fn file(&self, rel: &str, contents: impl AsRef<[u8]>) -> &Tree {
        let p = self.dir.path().join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, contents).unwrap();
        self
    }
}

/// Validates `json` against the JSON Schema at `schema` (relative to the
/// repository) with Python's jsonschema. CI installs it (`.ci/run`) and must
/// not skip.
pub(crate) fn validate_json(schema: &str, json: &str) {
    let schema = root().join(schema);
    let ci = std::env::var_os("CI").is_some();
    let has_validator = std::process::Command::new("python3")
        .args(["-c", "import jsonschema"])
        .output()
        .is_ok_and(|o| o.status.success());
    if !schema.exists() || !has_validator {
        assert!(!ci, "CI needs python3 with jsonschema and {}", schema.display());
        eprintln!(
            "skipped schema validation: python3 jsonschema or {} is missing",
            schema.display()
        );
        return;
    }
    let t = Tree::new();
    t.file("doc.json", json);
    let script = "import json, sys, jsonschema\n\
                  schema = json.load(open(sys.argv[1]))\n\
                  doc = json.load(open(sys.argv[2]))\n\
                  jsonschema.validators.validator_for(schema)(schema).validate(doc)\n";
    let out = std::process::Command::new("python3")
        .args(["-c", script])
        .arg(&schema)
        .arg(t.path().join("doc.json"))
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
}

/// A zip of `files`, stored in order.
pub(crate) fn zip_of(files: &[(&str, &[u8])]) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for (name, content) in files {
        w.start_file(*name, zip::write::SimpleFileOptions::default()).unwrap();
        w.write_all(content).unwrap();
    }
    w.finish().unwrap().into_inner()
}

/// A minimal .xlsx (inline strings, one sheet named 顧客), written by hand:
/// the parts a workbook needs and nothing else; rows start at B2.
pub(crate) fn xlsx(rows: &[&[&str]]) -> Vec<u8> {
    let mut sheet = String::from(
        r#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>"#,
    );
    for (r, cells) in rows.iter().enumerate() {
        sheet.push_str(&format!("<row r=\"{}\">", r + 2));
        for (c, v) in cells.iter().enumerate() {
            let col = char::from(b'B' + c as u8);
            sheet.push_str(&format!(
                "<c r=\"{col}{}\" t=\"inlineStr\"><is><t>{v}</t></is></c>",
                r + 2
            ));
        }
        sheet.push_str("</row>");
    }
    sheet.push_str("</sheetData></worksheet>");
    zip_of(&[
        ("[Content_Types].xml", br#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>"#),
        ("_rels/.rels", br#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#),
        ("xl/workbook.xml", "<?xml version=\"1.0\" encoding=\"UTF-8\"?><workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\"><sheets><sheet name=\"顧客\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>".as_bytes()),
        ("xl/_rels/workbook.xml.rels", br#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#),
        ("xl/worksheets/sheet1.xml", sheet.as_bytes()),
    ])
}

/// A workbook as [`xlsx`] makes, its one sheet named `name`.
pub(crate) fn xlsx_named(name: &str, rows: &[&[&str]]) -> Vec<u8> {
    let workbook = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="{name}" sheetId="1" r:id="rId1"/></sheets></workbook>"#
    );
    with_member(&xlsx(rows), "xl/workbook.xml", workbook.as_bytes())
}

/// A zip with one member replaced by `content`.
pub(crate) fn with_member(zip: &[u8], name: &str, content: &[u8]) -> Vec<u8> {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(zip)).unwrap();
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for i in 0..archive.len() {
        let mut file = archive.by_index(i).unwrap();
        let file_name = file.name().unwrap().to_string();
        let mut data = Vec::new();
        file.read_to_end(&mut data).unwrap();
        out.start_file(&file_name, zip::write::SimpleFileOptions::default()).unwrap();
        out.write_all(if file_name == name { content } else { &data }).unwrap();
    }
    out.finish().unwrap().into_inner()
}

/// The objects of a one-page PDF with `lines` in Helvetica (ASCII only):
/// catalog, pages, page, font, content stream — for tests to damage.
pub(crate) fn pdf_objects(lines: &[&str]) -> Vec<String> {
    let shown: Vec<String> = lines.iter().map(|l| format!("({l}) Tj 0 -20 Td")).collect();
    let content = format!("BT /F1 12 Tf 72 760 Td {} ET", shown.join(" "));
    vec![
        "<< /Type /Catalog /Pages 2 0 R >>".to_string(),
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_string(),
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>".to_string(),
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".to_string(),
        format!("<< /Length {} >>\nstream\n{content}\nendstream", content.len()),
    ]
}

/// A PDF of `objects`, numbered from 1 (the first the catalog), with its
/// cross-reference table and trailer.
pub(crate) fn pdf_of(objects: &[String]) -> Vec<u8> {
    let mut out = String::from("%PDF-1.4\n");
    let mut offsets = Vec::new();
    for (i, o) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.push_str(&format!("{} 0 obj\n{o}\nendobj\n", i + 1));
    }
    let xref = out.len();
    out.push_str(&format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1));
    for o in offsets {
        out.push_str(&format!("{o:010} 00000 n \n"));
    }
    out.push_str(&format!(
        "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
        objects.len() + 1
    ));
    out.into_bytes()
}

/// A one-page PDF with `lines` in Helvetica (ASCII only).
pub(crate) fn pdf(lines: &[&str]) -> Vec<u8> {
    pdf_of(&pdf_objects(lines))
}

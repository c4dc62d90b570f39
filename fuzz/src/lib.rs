//! What every fuzz target shares: the detectors, loaded once; the rule for
//! what counts as a crash; and the minimal packages the structure-aware
//! targets put their input into.
//!
//! A crash is what would cost a user their scan or a report entry's
//! meaning: a panic in piimap's own code (even one a scan would catch and
//! report as an internal error), or a panic of a third-party parser that
//! escapes piimap's guard around it (the file would be reported as an
//! internal error instead of a corrupt file). A parser's panic that piimap
//! contains is the parser refusing a malformed file, which is not a crash.
//! Hangs and memory blow-ups are crashes too: libFuzzer's `-timeout` and
//! `-rss_limit_mb` (set by `run.sh` to the documented budgets) report them.

use std::io::Write;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::{Mutex, OnceLock};

use piimap::detect::DetectorSet;
use piimap::scan::{Evidence, scan_text};

/// The built-in detectors, compiled once per fuzzing process.
pub fn detectors() -> &'static DetectorSet {
    static SET: OnceLock<DetectorSet> = OnceLock::new();
    SET.get_or_init(|| DetectorSet::load(&[]).expect("built-in patterns compile"))
}

/// Where the last panic in a dependency was raised, and what it said:
/// printed when that panic escapes.
static LAST_DEPENDENCY_PANIC: Mutex<String> = Mutex::new(String::new());

/// Replaces libFuzzer's hook (which aborts on every panic) by the crash
/// rule above: a panic raised in a dependency's source may unwind to the
/// guard that contains it; one raised in piimap's own code aborts at once,
/// with its stack intact.
pub fn install_panic_hook() {
    let default = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let file = info.location().map(|l| l.file()).unwrap_or_default();
        if in_dependency(file) {
            let mut last = LAST_DEPENDENCY_PANIC.lock().unwrap_or_else(|e| e.into_inner());
            *last = info.to_string();
            return;
        }
        default(info);
        std::process::abort();
    }));
}

/// Whether a panic's source file belongs to a crate from a registry or git
/// (or to the standard library's own internals) rather than to piimap.
fn in_dependency(file: &str) -> bool {
    file.contains("/registry/src/")
        || file.contains("/git/checkouts/")
        || file.starts_with("/rustc/")
}

/// Scans `bytes` as a file named `name` (the name's extension is a hint;
/// readers go by content), and aborts if a panic escapes the scan.
pub fn scan(name: &str, bytes: &[u8]) {
    let scanned = catch_unwind(AssertUnwindSafe(|| {
        scan_text(detectors(), name, bytes, &Evidence::default())
    }));
    if scanned.is_err() {
        let last = LAST_DEPENDENCY_PANIC.lock().unwrap_or_else(|e| e.into_inner());
        eprintln!("a parser's panic escaped piimap's guard while scanning {name}: {last}");
        std::process::abort();
    }
}

/// Splits a structure-aware target's input into two parts at the first
/// `\n--part--\n` (the second part empty when there is none).
pub fn split(bytes: &[u8]) -> (&[u8], &[u8]) {
    const MARK: &[u8] = b"\n--part--\n";
    match bytes.windows(MARK.len()).position(|w| w == MARK) {
        Some(at) => (&bytes[..at], &bytes[at + MARK.len()..]),
        None => (bytes, &[]),
    }
}

/// A zip of `parts` (name, content), stored uncompressed: the fuzzed XML
/// reaches the readers byte for byte.
pub fn zip(parts: &[(&str, &[u8])]) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let stored =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    for (name, content) in parts {
        w.start_file(*name, stored).expect("a new zip takes a file");
        w.write_all(content).expect("writing to memory");
    }
    w.finish().expect("writing to memory").into_inner()
}

/// An `.xlsx` package around one worksheet and its shared strings.
pub fn xlsx(sheet: &[u8], shared_strings: &[u8]) -> Vec<u8> {
    zip(&[
        ("[Content_Types].xml", XLSX_TYPES.as_bytes()),
        ("_rels/.rels", &rels("officeDocument", "xl/workbook.xml")),
        ("xl/workbook.xml", XLSX_WORKBOOK.as_bytes()),
        ("xl/_rels/workbook.xml.rels", &rels("worksheet", "worksheets/sheet1.xml")),
        ("xl/worksheets/sheet1.xml", sheet),
        ("xl/sharedStrings.xml", shared_strings),
    ])
}

/// A `.docx` package around its `word/document.xml`.
pub fn docx(document: &[u8]) -> Vec<u8> {
    zip(&[
        ("[Content_Types].xml", DOCX_TYPES.as_bytes()),
        ("_rels/.rels", &rels("officeDocument", "word/document.xml")),
        ("word/document.xml", document),
    ])
}

/// An OpenDocument spreadsheet around its `content.xml`.
pub fn ods(content: &[u8]) -> Vec<u8> {
    zip(&[
        ("mimetype", b"application/vnd.oasis.opendocument.spreadsheet"),
        ("META-INF/manifest.xml", ODS_MANIFEST.as_bytes()),
        ("content.xml", content),
    ])
}

fn rels(kind: &str, target: &str) -> Vec<u8> {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/{kind}" Target="{target}"/></Relationships>"#
    )
    .into_bytes()
}

const XLSX_TYPES: &str = r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>"#;

const XLSX_WORKBOOK: &str = r#"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>"#;

const DOCX_TYPES: &str = r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>"#;

const ODS_MANIFEST: &str = r#"<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2"><manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/><manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>"#;

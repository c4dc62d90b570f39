//! `--format jsonl`: one JSON object per line, streamed as the scan goes,
//! item by item in walk order: each location's findings, then its location
//! line; error and skipped lines where they happen; one summary line last.

use std::collections::BTreeMap;
use std::io::{self, Write};
use std::sync::Arc;

use serde::Serialize;

use super::stream::Format;
use crate::finding::{Category, Confidence, Finding, Level, Part};
use crate::inventory::purposes::Risk;
use crate::inventory::{Inventory, ItemError, Location, Skipped};

#[derive(Serialize)]
struct LocationLine<'a> {
    r#type: &'static str,
    path: &'a str,
    categories: &'a BTreeMap<Category, usize>,
    findings: usize,
    identifiability: Option<Level>,
    rules: &'a [String],
    subjects: usize,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    subjects_at_least: bool,
    records: usize,
    purposes: &'a [String],
    out_of_purpose: &'a [Category],
    unassigned: bool,
    retention_overdue: bool,
    risk: Option<Risk>,
}

#[derive(Serialize)]
struct MessageLine<'a> {
    r#type: &'static str,
    path: &'a str,
    message: &'a str,
}

#[derive(Serialize)]
struct SummaryLine<'a> {
    r#type: &'static str,
    files: u64,
    #[serde(skip_serializing_if = "is_zero")]
    tables: u64,
    bytes: u64,
    binary_skipped: u64,
    #[serde(skip_serializing_if = "is_zero")]
    ocr_pages: u64,
    #[serde(skip_serializing_if = "is_zero")]
    ocr_ms: u64,
    suppressed: u64,
    baselined: u64,
    test_data: u64,
    skipped: usize,
    errors: usize,
    findings: u64,
    by_category: &'a BTreeMap<Category, u64>,
    locations: usize,
    subjects: usize,
}

/// The JSONL format.
pub(super) struct Jsonl;

impl Format for Jsonl {
    type State = Repeated;

    fn findings(&self, repeated: &mut Repeated, findings: &[Finding], out: &mut Vec<u8>) {
        for f in findings {
            finding_line(f, out, repeated);
        }
    }

    fn location(&self, _: &mut Repeated, l: &Location, out: &mut Vec<u8>) {
        line(
            out,
            &LocationLine {
                r#type: "location",
                path: &l.path,
                categories: &l.categories,
                findings: l.findings,
                identifiability: l.identifiability,
                rules: &l.rules,
                subjects: l.subjects,
                subjects_at_least: l.subjects_at_least,
                records: l.records,
                purposes: &l.purposes,
                out_of_purpose: &l.out_of_purpose,
                unassigned: l.unassigned,
                retention_overdue: l.retention_overdue,
                risk: l.risk,
            },
        );
    }

    fn error(&self, _: &mut Repeated, e: &ItemError, out: &mut Vec<u8>) {
        line(out, &MessageLine { r#type: "error", path: &e.path, message: &e.message });
    }

    fn skipped(&self, _: &mut Repeated, s: &Skipped, out: &mut Vec<u8>) {
        line(out, &MessageLine { r#type: "skipped", path: &s.path, message: &s.reason });
    }

    fn footer(&self, inv: &Inventory, out: &mut dyn Write) -> io::Result<()> {
        let mut buf = Vec::new();
        line(
            &mut buf,
            &SummaryLine {
                r#type: "summary",
                files: inv.stats.files,
                tables: inv.stats.tables,
                bytes: inv.stats.bytes,
                binary_skipped: inv.stats.binary,
                ocr_pages: inv.stats.ocr_pages,
                ocr_ms: inv.stats.ocr_ms,
                suppressed: inv.stats.suppressed,
                baselined: inv.stats.baselined,
                test_data: inv.stats.test_data,
                skipped: inv.skipped.len(),
                errors: inv.errors.len(),
                findings: inv.stats.findings,
                by_category: &inv.stats.by_category,
                locations: inv.locations.len(),
                subjects: inv.subjects(),
            },
        );
        out.write_all(&buf)
    }
}

/// The parts of finding lines that repeat, escaped once an item: its
/// findings share their path, and come from a few detectors and fields. On
/// a customer table, escaping the path, the field and the detector of
/// every finding was a third of writing its line.
#[derive(Default)]
pub(super) struct Repeated {
    /// `{"type":"finding","path":"…","line":`, by path.
    heads: Vec<(Arc<str>, Vec<u8>)>,
    /// `"…"`, by field.
    fields: Vec<(Arc<str>, Vec<u8>)>,
    /// `,"category":"…","detector":"…","confidence":"…","masked":`, by
    /// detector, category and confidence.
    kinds: Vec<(Kind, Vec<u8>)>,
}

type Kind = (Arc<str>, Category, Confidence);

/// How many of each part [`Repeated`] keeps ([`kept`]): a file with more (a JSON
/// file with many keys) starts over, so the parts stay bounded.
const REPEATED: usize = 16;

/// The bytes `list` keeps for the key `same` picks, made by `make` (key
/// and bytes) the first time.
fn kept<K>(
    list: &mut Vec<(K, Vec<u8>)>,
    same: impl Fn(&K) -> bool,
    make: impl FnOnce() -> (K, Vec<u8>),
) -> &[u8] {
    let i = match list.iter().position(|(k, _)| same(k)) {
        Some(i) => i,
        None => {
            if list.len() == REPEATED {
                list.clear();
            }
            list.push(make());
            list.len() - 1
        }
    };
    &list[i].1
}

/// One finding's line onto `out`, written by hand: on a dense table the
/// findings' lines are most of the output, and through serde each string was
/// escaped byte by byte. The fields, their order and what is left out are the
/// contract's (DESIGN.md); a test holds the bytes to serde's.
fn finding_line(f: &Finding, out: &mut Vec<u8>, repeated: &mut Repeated) {
    let head = kept(
        &mut repeated.heads,
        |p| Arc::ptr_eq(p, &f.path),
        || {
            let mut head = b"{\"type\":\"finding\",\"path\":".to_vec();
            string(&mut head, &f.path);
            head.extend_from_slice(b",\"line\":");
            (Arc::clone(&f.path), head)
        },
    );
    out.extend_from_slice(head);
    number_or_null(out, f.line);
    out.extend_from_slice(b",\"column\":");
    number_or_null(out, f.column);
    out.extend_from_slice(b",\"field\":");
    match &f.field {
        Some(field) => {
            let field = kept(
                &mut repeated.fields,
                |k| Arc::ptr_eq(k, field),
                || {
                    let mut quoted = Vec::new();
                    string(&mut quoted, field);
                    (Arc::clone(field), quoted)
                },
            );
            out.extend_from_slice(field);
        }
        None => out.extend_from_slice(b"null"),
    }
    let kind = kept(
        &mut repeated.kinds,
        |(d, c, k)| Arc::ptr_eq(d, &f.detector) && *c == f.category && *k == f.confidence,
        || {
            let mut kind = b",\"category\":\"".to_vec();
            kind.extend_from_slice(f.category.id().as_bytes());
            kind.extend_from_slice(b"\",\"detector\":");
            string(&mut kind, &f.detector);
            kind.extend_from_slice(b",\"confidence\":\"");
            kind.extend_from_slice(f.confidence.as_str().as_bytes());
            kind.extend_from_slice(b"\",\"masked\":");
            ((Arc::clone(&f.detector), f.category, f.confidence), kind)
        },
    );
    out.extend_from_slice(kind);
    string(out, &f.masked);
    if let Some(value) = &f.value {
        out.extend_from_slice(b",\"value\":");
        string(out, value);
    }
    if !f.reasons.is_empty() {
        out.extend_from_slice(b",\"reasons\":[");
        for (i, reason) in f.reasons.iter().enumerate() {
            if i > 0 {
                out.push(b',');
            }
            string(out, reason);
        }
        out.push(b']');
    }
    if f.test_data {
        out.extend_from_slice(b",\"test_data\":true");
    }
    if let Some(commit) = &f.commit {
        out.extend_from_slice(b",\"commit\":");
        string(out, commit);
    }
    if !f.fingerprint.is_empty() {
        out.extend_from_slice(b",\"fingerprint\":");
        string(out, &f.fingerprint);
    }
    out.extend_from_slice(b",\"record\":");
    number_or_null(out, f.record);
    out.extend_from_slice(b",\"identifiability\":");
    match f.identifiability {
        Some(level) => {
            out.push(b'"');
            out.extend_from_slice(level.as_str().as_bytes());
            out.push(b'"');
        }
        None => out.extend_from_slice(b"null"),
    }
    if let Some(row) = &f.row {
        out.extend_from_slice(b",\"row\":");
        string(out, row);
    }
    if let Some(sheet) = &f.sheet {
        out.extend_from_slice(b",\"sheet\":");
        string(out, sheet);
        let cell = f.column.zip(f.line).and_then(|(column, line)| {
            Some(crate::read::spreadsheet::cell_name(
                u32::try_from(column).ok()?,
                u32::try_from(line).ok()?,
            ))
        });
        if let Some(cell) = cell {
            out.extend_from_slice(b",\"cell\":");
            string(out, &cell);
        }
    }
    if let Some(page) = f.part.and_then(Part::page) {
        out.extend_from_slice(b",\"page\":");
        number(out, page);
    }
    if let Some(slide) = f.part.and_then(Part::slide) {
        out.extend_from_slice(b",\"slide\":");
        number(out, slide);
    }
    if let Some(bbox) = f.bbox {
        out.push(b',');
        out.extend_from_slice(b"\"bbox\":[");
        for (i, n) in bbox.into_iter().enumerate() {
            if i > 0 {
                out.push(b',');
            }
            number(out, n);
        }
        out.push(b']');
    }
    out.extend_from_slice(b"}\n");
}

/// A JSON string, escaped as serde_json escapes it: most values need no
/// escape at all and are copied whole.
fn string(out: &mut Vec<u8>, s: &str) {
    out.push(b'"');
    let bytes = s.as_bytes();
    if !needs_escape(bytes) {
        out.extend_from_slice(bytes);
    } else {
        for &b in bytes {
            match b {
                b'"' => out.extend_from_slice(b"\\\""),
                b'\\' => out.extend_from_slice(b"\\\\"),
                b'\n' => out.extend_from_slice(b"\\n"),
                b'\r' => out.extend_from_slice(b"\\r"),
                b'\t' => out.extend_from_slice(b"\\t"),
                0x08 => out.extend_from_slice(b"\\b"),
                0x0C => out.extend_from_slice(b"\\f"),
                0..0x20 => {
                    const HEX: &[u8; 16] = b"0123456789abcdef";
                    out.extend_from_slice(b"\\u00");
                    out.push(HEX[usize::from(b >> 4)]);
                    out.push(HEX[usize::from(b & 15)]);
                }
                _ => out.push(b),
            }
        }
    }
    out.push(b'"');
}

/// Whether `bytes` hold a byte JSON escapes: a control byte, `"` or `\`.
/// Eight bytes at a time (every finding's path, detector and mask pass
/// here): a word has a byte below 0x20, or equal to one of the two, exactly
/// when the classic zero-byte tests below say so.
fn needs_escape(bytes: &[u8]) -> bool {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGHS: u64 = ONES * 0x80;
    // A high bit where some byte of `v` is below `n` (n at most 0x80).
    let below = |v: u64, n: u8| v.wrapping_sub(ONES * u64::from(n)) & !v & HIGHS;
    let (words, rest) = bytes.as_chunks::<8>();
    words.iter().any(|w| {
        let x = u64::from_le_bytes(*w);
        below(x, 0x20)
            | below(x ^ (ONES * u64::from(b'"')), 1)
            | below(x ^ (ONES * u64::from(b'\\')), 1)
            != 0
    }) || rest.iter().any(|&b| b < 0x20 || b == b'"' || b == b'\\')
}

fn number(out: &mut Vec<u8>, n: impl itoa::Integer) {
    out.extend_from_slice(itoa::Buffer::new().format(n).as_bytes());
}

fn number_or_null(out: &mut Vec<u8>, n: Option<u64>) {
    match n {
        Some(n) => number(out, n),
        None => out.extend_from_slice(b"null"),
    }
}

/// One JSON line onto `out`.
fn line<T: Serialize>(out: &mut Vec<u8>, value: &T) {
    // Writing these types into memory cannot fail: all keys are strings.
    let _ = serde_json::to_writer(&mut *out, value);
    out.push(b'\n');
}

fn is_zero(n: &u64) -> bool {
    *n == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The line as serde writes it: the contract the hand-written one keeps.
    #[derive(Serialize)]
    struct FindingLine<'a> {
        r#type: &'static str,
        path: &'a str,
        line: Option<u64>,
        column: Option<u64>,
        field: Option<&'a str>,
        category: Category,
        detector: &'a str,
        confidence: Confidence,
        masked: &'a str,
        #[serde(skip_serializing_if = "Option::is_none")]
        value: Option<&'a str>,
        #[serde(skip_serializing_if = "<[String]>::is_empty")]
        reasons: &'a [String],
        #[serde(skip_serializing_if = "std::ops::Not::not")]
        test_data: bool,
        #[serde(skip_serializing_if = "Option::is_none")]
        commit: Option<&'a str>,
        #[serde(skip_serializing_if = "str::is_empty")]
        fingerprint: &'a str,
        record: Option<u64>,
        identifiability: Option<Level>,
        #[serde(skip_serializing_if = "Option::is_none")]
        row: Option<&'a str>,
        #[serde(skip_serializing_if = "Option::is_none")]
        sheet: Option<&'a str>,
        #[serde(skip_serializing_if = "Option::is_none")]
        cell: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        page: Option<u32>,
        #[serde(skip_serializing_if = "Option::is_none")]
        slide: Option<u32>,
        #[serde(skip_serializing_if = "Option::is_none")]
        bbox: Option<[u32; 4]>,
    }

    fn by_serde(f: &Finding) -> Vec<u8> {
        let mut out = Vec::new();
        line(
            &mut out,
            &FindingLine {
                r#type: "finding",
                path: &f.path,
                line: f.line,
                column: f.column,
                field: f.field.as_deref(),
                category: f.category,
                detector: &f.detector,
                confidence: f.confidence,
                masked: &f.masked,
                value: f.value.as_deref(),
                reasons: &f.reasons,
                test_data: f.test_data,
                commit: f.commit.as_deref(),
                fingerprint: &f.fingerprint,
                record: f.record,
                identifiability: f.identifiability,
                row: f.row.as_deref(),
                sheet: f.sheet.as_deref(),
                cell: f.sheet.as_ref().and_then(|_| {
                    Some(crate::read::spreadsheet::cell_name(
                        u32::try_from(f.column?).ok()?,
                        u32::try_from(f.line?).ok()?,
                    ))
                }),
                page: f.part.and_then(Part::page),
                slide: f.part.and_then(Part::slide),
                bbox: f.bbox,
            },
        );
        out
    }

    #[test]
    fn every_byte_that_needs_an_escape_is_seen_wherever_it_stands() {
        let plain = |b: u8| b >= 0x20 && b != b'"' && b != b'\\';
        // Both sides of a word boundary and the tail, among bytes that
        // borrow in the word tests (0x00, 0x80, 0xFF) and plain ones.
        for len in [1, 7, 8, 9, 16, 17] {
            for at in 0..len {
                for b in 0..=255u8 {
                    for fill in [b'a', 0x80, 0xFF, 0x21, 0x5D] {
                        let mut bytes = vec![fill; len];
                        bytes[at] = b;
                        let expected = !bytes.iter().all(|&c| plain(c));
                        assert_eq!(needs_escape(&bytes), expected, "{bytes:?}");
                    }
                }
            }
        }
        assert!(!needs_escape(b""));
    }

    #[test]
    fn finding_lines_are_the_bytes_serde_writes() {
        // Every character JSON escapes, and some it does not.
        let odd: String =
            (0u8..0x20).map(char::from).chain("\"\\/\u{7f}é山田\u{2028}".chars()).collect();
        let bare = Finding::about_item(
            Arc::from("share/図面.dxf"),
            Category::FloorPlan,
            "floorplan",
            None,
            Confidence::Medium,
            String::new(),
            vec!["layer A-WALL".into(), odd.clone()],
        );
        let mut full = bare.clone();
        full.category = Category::Email;
        full.detector = Arc::from("email");
        full.line = Some(12);
        full.column = Some(u64::MAX);
        full.field = Some(Arc::from("e\"mail"));
        full.masked = "ya***@example.com".into();
        full.value = Some(odd.clone());
        full.reasons = vec![];
        full.test_data = true;
        full.commit = Some(Arc::from("0123abc"));
        full.fingerprint = "f00d".into();
        full.record = Some(0);
        full.identifiability = Some(Level::Combination);
        full.row = Some(odd);
        full.sheet = Some("名簿".into());
        full.bbox = Some([0, 1, 20, u32::MAX]);
        let mut slide = full.clone();
        slide.part = Some(Part::Slide(3));
        slide.sheet = None;
        let mut page = bare.clone();
        page.part = Some(Part::Page(7));
        page.identifiability = Some(Level::Direct);
        let mut huge_cell = full.clone();
        huge_cell.line = Some(u64::from(u32::MAX) + 1);
        let all = [bare, full, slide, page, huge_cell];
        // Each alone, then all in one item (written the second time from
        // the parts it keeps).
        for f in &all {
            let mut out = Vec::new();
            finding_line(f, &mut out, &mut Repeated::default());
            assert_eq!(String::from_utf8(out).unwrap(), String::from_utf8(by_serde(f)).unwrap());
        }
        let (mut out, mut expected, mut repeated) = (Vec::new(), Vec::new(), Repeated::default());
        for f in all.iter().chain(&all) {
            finding_line(f, &mut out, &mut repeated);
            expected.extend(by_serde(f));
        }
        assert_eq!(String::from_utf8(out).unwrap(), String::from_utf8(expected).unwrap());
    }

    #[test]
    fn parts_kept_for_many_fields_and_detectors_stay_few_and_right() {
        // Fields in turns of more than are kept (each comes back after the
        // parts were started over), detectors in turns of fewer (each
        // comes back to its kept part): each line is still the one serde
        // writes, and what is kept stays bounded.
        let path: Arc<str> = Arc::from("share/\"quoted\".json");
        let many = |what: &str, n: usize| -> Vec<Arc<str>> {
            (0..n).map(|i| Arc::from(format!("{what}\t{i}").as_str())).collect()
        };
        let (detectors, fields) = (many("detector", 5), many("key", REPEATED + 3));
        let (mut out, mut expected, mut repeated) = (Vec::new(), Vec::new(), Repeated::default());
        for i in 0..5 * REPEATED {
            let mut f = Finding::about_item(
                Arc::clone(&path),
                Category::Phone,
                "",
                Some(Arc::clone(&fields[i % fields.len()])),
                if i % 2 == 0 { Confidence::High } else { Confidence::Low },
                "***-****-5678".into(),
                vec![],
            );
            f.detector = Arc::clone(&detectors[i % detectors.len()]);
            f.line = Some(i as u64 + 1);
            finding_line(&f, &mut out, &mut repeated);
            expected.extend(by_serde(&f));
            assert!(repeated.fields.len() <= REPEATED && repeated.kinds.len() <= REPEATED);
        }
        assert_eq!(repeated.heads.len(), 1, "one path");
        assert_eq!(repeated.kinds.len(), 10, "five detectors, two confidences");
        assert_eq!(String::from_utf8(out).unwrap(), String::from_utf8(expected).unwrap());
    }
}

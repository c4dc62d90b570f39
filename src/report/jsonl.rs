//! `--format jsonl`: one JSON object per line, streamed as the scan goes,
//! item by item in walk order: each location's findings, then its location
//! line; error and skipped lines where they happen; one summary line last.

use std::collections::BTreeMap;
use std::io::{self, Write};

use serde::Serialize;

use super::stream::Format;
use crate::finding::{Category, Confidence, Finding, Level, Part};
use crate::inventory::purposes::Risk;
use crate::inventory::{Inventory, ItemError, Location, Skipped};

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
    type State = ();

    fn findings(&self, _: &mut (), findings: &[Finding], out: &mut Vec<u8>) {
        for f in findings {
            line(
                out,
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
        }
    }

    fn location(&self, _: &mut (), l: &Location, out: &mut Vec<u8>) {
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

    fn error(&self, _: &mut (), e: &ItemError, out: &mut Vec<u8>) {
        line(out, &MessageLine { r#type: "error", path: &e.path, message: &e.message });
    }

    fn skipped(&self, _: &mut (), s: &Skipped, out: &mut Vec<u8>) {
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

/// One JSON line onto `out`.
fn line<T: Serialize>(out: &mut Vec<u8>, value: &T) {
    // Writing these types into memory cannot fail: all keys are strings.
    let _ = serde_json::to_writer(&mut *out, value);
    out.push(b'\n');
}

fn is_zero(n: &u64) -> bool {
    *n == 0
}

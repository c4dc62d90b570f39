//! `--format jsonl`: one JSON object per line — findings, then one location
//! line per file with findings, then errors, then skipped items, then one
//! summary line.

use std::io::{self, Write};

use serde::Serialize;

use std::collections::BTreeMap;

use crate::finding::{Category, Confidence, Level, Part};
use crate::inventory::Inventory;
use crate::inventory::purposes::Risk;

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
}

#[derive(Serialize)]
struct LocationLine<'a> {
    r#type: &'static str,
    path: &'a str,
    categories: &'a BTreeMap<Category, usize>,
    identifiability: Option<Level>,
    rules: &'a [String],
    subjects: usize,
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
    suppressed: u64,
    baselined: u64,
    test_data: usize,
    skipped: usize,
    errors: usize,
    findings: usize,
    by_category: &'a BTreeMap<Category, usize>,
    locations: usize,
    subjects: usize,
}

pub(super) fn write(inv: &Inventory, out: &mut dyn Write) -> io::Result<()> {
    for f in &inv.findings {
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
            },
        )?;
    }
    for l in &inv.locations {
        line(
            out,
            &LocationLine {
                r#type: "location",
                path: &l.path,
                categories: &l.categories,
                identifiability: l.identifiability,
                rules: &l.rules,
                subjects: l.subjects,
                records: l.records,
                purposes: &l.purposes,
                out_of_purpose: &l.out_of_purpose,
                unassigned: l.unassigned,
                retention_overdue: l.retention_overdue,
                risk: l.risk,
            },
        )?;
    }
    for e in &inv.errors {
        line(out, &MessageLine { r#type: "error", path: &e.path, message: &e.message })?;
    }
    for s in &inv.skipped {
        line(out, &MessageLine { r#type: "skipped", path: &s.path, message: &s.reason })?;
    }
    let counts = inv.counts();
    line(
        out,
        &SummaryLine {
            r#type: "summary",
            files: inv.stats.files,
            tables: inv.stats.tables,
            bytes: inv.stats.bytes,
            binary_skipped: inv.stats.binary,
            suppressed: inv.stats.suppressed,
            baselined: inv.stats.baselined,
            test_data: inv.test_data(),
            skipped: inv.skipped.len(),
            errors: inv.errors.len(),
            findings: inv.findings.len(),
            by_category: &counts,
            locations: inv.locations.len(),
            subjects: inv.locations.iter().map(|l| l.subjects).sum(),
        },
    )
}

fn line<T: Serialize>(out: &mut dyn Write, value: &T) -> io::Result<()> {
    serde_json::to_writer(&mut *out, value)?;
    out.write_all(b"\n")
}

fn is_zero(n: &u64) -> bool {
    *n == 0
}

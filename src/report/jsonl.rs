//! `--format jsonl`: one JSON object per line — findings, then errors, then
//! skipped items, then one summary line.

use std::io::{self, Write};

use serde::Serialize;

use crate::finding::{Category, Confidence};
use crate::inventory::Inventory;

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
    bytes: u64,
    binary_skipped: u64,
    suppressed: u64,
    baselined: u64,
    test_data: usize,
    skipped: usize,
    errors: usize,
    findings: usize,
    by_category: &'a std::collections::BTreeMap<Category, usize>,
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
            bytes: inv.stats.bytes,
            binary_skipped: inv.stats.binary,
            suppressed: inv.stats.suppressed,
            baselined: inv.stats.baselined,
            test_data: inv.test_data(),
            skipped: inv.skipped.len(),
            errors: inv.errors.len(),
            findings: inv.findings.len(),
            by_category: &counts,
        },
    )
}

fn line<T: Serialize>(out: &mut dyn Write, value: &T) -> io::Result<()> {
    serde_json::to_writer(&mut *out, value)?;
    out.write_all(b"\n")
}

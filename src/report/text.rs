//! `--format text`: findings grouped by file, then errors, skipped items and a
//! bilingual summary of counts per category.

use std::io::{self, Write};

use crate::inventory::Inventory;

pub(super) fn write(inv: &Inventory, out: &mut dyn Write) -> io::Result<()> {
    let mut current: Option<&str> = None;
    for f in &inv.findings {
        if current != Some(&*f.path) {
            if current.is_some() {
                writeln!(out)?;
            }
            writeln!(out, "{}", f.path)?;
            current = Some(&f.path);
        }
        let shown = f.value.as_deref().unwrap_or(&f.masked);
        let field = f.field.as_deref().map(|n| format!("  [{n}]")).unwrap_or_default();
        let commit = f.commit.as_deref().map(|c| format!("  @{}", &c[..c.len().min(12)]));
        let at = |n: Option<u64>| n.map_or_else(|| "-".to_string(), |n| n.to_string());
        writeln!(
            out,
            "  {:>5}:{:<4} {:<13} {:<6} {}  ({}){}{}",
            at(f.line),
            at(f.column),
            f.category.id(),
            f.confidence.as_str(),
            shown,
            f.detector,
            field,
            commit.unwrap_or_default()
        )?;
        for reason in &f.reasons {
            writeln!(out, "               - {reason}")?;
        }
    }
    if !inv.findings.is_empty() {
        writeln!(out)?;
    }
    if !inv.errors.is_empty() {
        writeln!(out, "errors / エラー:")?;
        for e in &inv.errors {
            writeln!(out, "  {}: {}", e.path, e.message)?;
        }
        writeln!(out)?;
    }
    if !inv.skipped.is_empty() {
        writeln!(out, "skipped / スキップ:")?;
        for s in &inv.skipped {
            writeln!(out, "  {}: {}", s.path, s.reason)?;
        }
        writeln!(out)?;
    }
    let s = &inv.stats;
    writeln!(
        out,
        "summary / 概要: {} files scanned ({} bytes), {} binary skipped, {} skipped, {} errors, {} findings",
        s.files,
        s.bytes,
        s.binary,
        inv.skipped.len(),
        inv.errors.len(),
        inv.findings.len()
    )?;
    if s.suppressed > 0 {
        writeln!(
            out,
            "  {} findings suppressed by piimap:allow or .piimap.toml / piimap:allow・.piimap.toml で抑止",
            s.suppressed
        )?;
    }
    if s.baselined > 0 {
        writeln!(
            out,
            "  {} findings accepted in the baseline / ベースラインで承認済み",
            s.baselined
        )?;
    }
    let test_data = inv.test_data();
    if test_data > 0 {
        writeln!(
            out,
            "  {test_data} findings are well-known test data (low) / 既知の試験用データ（低）",
        )?;
    }
    for (category, n) in inv.counts() {
        writeln!(out, "  {:<13} {:<10} {n}", category.id(), category.label_ja())?;
    }
    Ok(())
}

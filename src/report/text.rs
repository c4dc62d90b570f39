//! `--format text`: findings grouped by file, each file headed by what it
//! identifies and for how many people, then errors, skipped items and a
//! bilingual summary of counts per category and identifiability.

use std::io::{self, Write};

use crate::finding::{Level, Part};
use crate::inventory::{Inventory, Location};

pub(super) fn write(inv: &Inventory, out: &mut dyn Write) -> io::Result<()> {
    let mut current: Option<&str> = None;
    for f in &inv.findings {
        if current != Some(&*f.path) {
            if current.is_some() {
                writeln!(out)?;
            }
            writeln!(out, "{}", f.path)?;
            if let Some(l) = location(inv, &f.path) {
                write_location(out, l)?;
            }
            current = Some(&f.path);
        }
        let shown = f.value.as_deref().unwrap_or(&f.masked);
        let field = f.field.as_deref().map(|n| format!("  [{n}]")).unwrap_or_default();
        let commit = f.commit.as_deref().map(|c| format!("  @{}", &c[..c.len().min(12)]));
        let at = |n: Option<u64>| n.map_or_else(|| "-".to_string(), |n| n.to_string());
        let place = super::Place {
            line: f.line,
            column: f.column,
            sheet: f.sheet.as_deref(),
            page: f.part.and_then(Part::page),
            slide: f.part.and_then(Part::slide),
            row: f.row.as_deref(),
        };
        // Plain lines keep their aligned `line:column`.
        let place = if f.sheet.is_some() || f.part.is_some() || f.row.is_some() {
            place.to_string()
        } else {
            format!("{:>5}:{:<4}", at(f.line), at(f.column))
        };
        writeln!(
            out,
            "  {:>10} {:<13} {:<6} {}  ({}){}{}",
            place,
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
    if !inv.locations.is_empty() {
        let people: usize = inv.locations.iter().map(|l| l.subjects).sum();
        writeln!(
            out,
            "  {} files with personal data, about {people} people / 個人データを含むファイル {} 件、推定 {people} 名",
            inv.locations.len(),
            inv.locations.len()
        )?;
        for level in [Level::Direct, Level::Combination, Level::Linkable] {
            let n = inv.locations.iter().filter(|l| l.identifiability == Some(level)).count();
            if n > 0 {
                writeln!(out, "  {:<13} {:<10} {n} files", level.as_str(), level.label_ja())?;
            }
        }
    }
    Ok(())
}

/// The location entry of `path`.
fn location<'a>(inv: &'a Inventory, path: &str) -> Option<&'a Location> {
    let i = inv.locations.binary_search_by(|l| (*l.path).cmp(path)).ok()?;
    inv.locations.get(i)
}

/// `  name 1, phone 1 / 氏名 1、電話番号 1` and
/// `  identifies / 識別性: direct 直接識別 (name, name-with-contact); about 1 person / 推定 1 名`
fn write_location(out: &mut dyn Write, l: &Location) -> io::Result<()> {
    let en: Vec<String> = l.categories.iter().map(|(c, n)| format!("{} {n}", c.id())).collect();
    let ja: Vec<String> =
        l.categories.iter().map(|(c, n)| format!("{} {n}", c.label_ja())).collect();
    writeln!(out, "  {} / {}", en.join(", "), ja.join("、"))?;
    if let Some(risk) = l.risk {
        let purposes = if l.purposes.is_empty() { "-".to_string() } else { l.purposes.join(", ") };
        let mut flags: Vec<String> = Vec::new();
        if !l.out_of_purpose.is_empty() {
            let c: Vec<&str> = l.out_of_purpose.iter().map(|c| c.id()).collect();
            flags.push(format!("out of purpose / 目的外: {}", c.join(", ")));
        }
        if l.unassigned {
            flags.push("unassigned / 利用目的なし".to_string());
        }
        if l.retention_overdue {
            flags.push("retention overdue / 保存期間超過".to_string());
        }
        let flags =
            if flags.is_empty() { String::new() } else { format!("; {}", flags.join("; ")) };
        writeln!(
            out,
            "  purposes / 利用目的: {purposes}{flags}; risk / リスク: {} {}",
            risk.as_str(),
            risk.label_ja()
        )?;
    }
    let Some(level) = l.identifiability else { return Ok(()) };
    writeln!(
        out,
        "  identifies / 識別性: {} {} ({}); about {} {} / 推定 {} 名",
        level.as_str(),
        level.label_ja(),
        l.rules.join(", "),
        l.subjects,
        if l.subjects == 1 { "person" } else { "people" },
        l.subjects
    )
}

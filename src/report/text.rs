//! `--format text`: findings grouped by location as the scan goes, each
//! location closed by what it identifies and for how many people; errors
//! and skipped items where they happen; the errors again and a bilingual
//! summary of counts per category and identifiability last.

use std::fmt::Write as _;
use std::io::{self, Write};
use std::sync::Arc;

use super::printable;
use super::stream::Format;
use crate::finding::{Finding, Level, Part};
use crate::inventory::{Inventory, ItemError, Location, Skipped};

/// The text format.
pub(super) struct Text;

/// The location whose findings are being written.
#[derive(Default)]
pub(super) struct Current(Option<Arc<str>>);

impl Format for Text {
    type State = Current;

    fn findings(&self, current: &mut Current, findings: &[Finding], out: &mut Vec<u8>) {
        let mut s = String::new();
        for f in findings {
            if current.0.as_deref() != Some(&*f.path) {
                let _ = writeln!(s, "{}", printable(&f.path));
                current.0 = Some(Arc::clone(&f.path));
            }
            finding(&mut s, f);
        }
        out.extend_from_slice(s.as_bytes());
    }

    fn location(&self, current: &mut Current, l: &Location, out: &mut Vec<u8>) {
        let mut s = String::new();
        write_location(&mut s, l);
        s.push('\n');
        current.0 = None;
        out.extend_from_slice(s.as_bytes());
    }

    fn error(&self, _: &mut Current, e: &ItemError, out: &mut Vec<u8>) {
        out.extend_from_slice(
            format!("{}\n  error / エラー: {}\n\n", printable(&e.path), printable(&e.message))
                .as_bytes(),
        );
    }

    fn skipped(&self, _: &mut Current, s: &Skipped, out: &mut Vec<u8>) {
        out.extend_from_slice(
            format!("{}\n  skipped / スキップ: {}\n\n", printable(&s.path), printable(&s.reason))
                .as_bytes(),
        );
    }

    fn footer(&self, inv: &Inventory, out: &mut dyn Write) -> io::Result<()> {
        // The errors again, together: they make the exit code 2.
        if !inv.errors.is_empty() {
            writeln!(out, "errors / エラー:")?;
            for e in &inv.errors {
                writeln!(out, "  {}: {}", printable(&e.path), printable(&e.message))?;
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
            s.findings
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
        if s.test_data > 0 {
            writeln!(
                out,
                "  {} findings are well-known test data (low) / 既知の試験用データ（低）",
                s.test_data
            )?;
        }
        for (category, n) in &s.by_category {
            writeln!(out, "  {:<13} {:<10} {n}", category.id(), category.label_ja())?;
        }
        if !inv.locations.is_empty() {
            let people = inv.subjects();
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
}

/// One finding's line (and its reasons).
fn finding(out: &mut String, f: &Finding) {
    let shown = printable(f.value.as_deref().unwrap_or(&f.masked));
    let field = f.field.as_deref().map(|n| format!("  [{}]", printable(n))).unwrap_or_default();
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
    let _ = writeln!(
        out,
        "  {:>10} {:<13} {:<6} {}  ({}){}{}",
        printable(&place),
        f.category.id(),
        f.confidence.as_str(),
        shown,
        f.detector,
        field,
        commit.unwrap_or_default()
    );
    for reason in &f.reasons {
        let _ = writeln!(out, "               - {}", printable(reason));
    }
}

/// `  name 1, phone 1 / 氏名 1、電話番号 1` and
/// `  identifies / 識別性: direct 直接識別 (name, name-with-contact); about 1 person / 推定 1 名`
fn write_location(out: &mut String, l: &Location) {
    let en: Vec<String> = l.categories.iter().map(|(c, n)| format!("{} {n}", c.id())).collect();
    let ja: Vec<String> =
        l.categories.iter().map(|(c, n)| format!("{} {n}", c.label_ja())).collect();
    let _ = writeln!(out, "  {} / {}", en.join(", "), ja.join("、"));
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
        let _ = writeln!(
            out,
            "  purposes / 利用目的: {purposes}{flags}; risk / リスク: {} {}",
            risk.as_str(),
            risk.label_ja()
        );
    }
    let Some(level) = l.identifiability else { return };
    let at_least = if l.subjects_at_least { "at least " } else { "" };
    let _ = writeln!(
        out,
        "  identifies / 識別性: {} {} ({}); about {at_least}{} {} / 推定 {} 名{}",
        level.as_str(),
        level.label_ja(),
        l.rules.join(", "),
        l.subjects,
        if l.subjects == 1 { "person" } else { "people" },
        l.subjects,
        if l.subjects_at_least { "以上" } else { "" },
    );
}

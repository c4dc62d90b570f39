//! `--format text`: findings grouped by location as the scan goes, each
//! location closed by what it identifies and for how many people; errors
//! and skipped items where they happen; the errors again and a bilingual
//! summary of counts per category and identifiability last.
//!
//! A database table is summed up by its columns: its rows' findings are
//! counted, not listed, unless `--verbose` (JSONL always lists them).
//! `--summary` keeps one block per location and the totals. Colour (ANSI)
//! only when asked for: the caller decides from `--color` and the terminal.

use std::fmt::Write as _;
use std::io::{self, Write};
use std::sync::Arc;

use unicode_width::UnicodeWidthStr;

use super::stream::Format;
use super::{counted, grouped, printable};
use crate::Confidence;
use crate::finding::{Finding, Level, Part};
use crate::inventory::purposes::Risk;
use crate::inventory::{Inventory, ItemError, Location, Skipped};

/// How the text report is written.
#[derive(Debug, Clone, Copy, Default)]
pub struct TextOptions {
    /// ANSI colours.
    pub color: bool,
    /// Locations and totals only, no finding lines.
    pub summary: bool,
    /// Every database row's findings too.
    pub verbose: bool,
}

/// The text format.
pub(super) struct Text(pub(super) TextOptions);

/// The location being written, and its row findings not listed.
#[derive(Default)]
pub(super) struct Current {
    path: Option<Arc<str>>,
    folded: usize,
}

/// ANSI styles.
const BOLD_MAGENTA: &str = "\x1b[1;35m";
const RED: &str = "\x1b[1;31m";
const YELLOW: &str = "\x1b[33m";
const DIM: &str = "\x1b[2m";
const RESET: &str = "\x1b[0m";

impl Text {
    /// `text` in `style` when colours are on.
    fn paint(&self, style: &str, text: &str) -> String {
        if self.0.color { format!("{style}{text}{RESET}") } else { text.to_string() }
    }

    fn path_line(&self, out: &mut String, path: &str) {
        let _ = writeln!(out, "{}", self.paint(BOLD_MAGENTA, &printable(path)));
    }
}

/// A database row's finding (a table read through a connection, where
/// there are rows and no lines), as opposed to one of its column findings.
fn is_table_row(f: &Finding) -> bool {
    f.row.is_some() && f.line.is_none() && !f.is_column()
}

impl Format for Text {
    type State = Current;

    fn findings(&self, current: &mut Current, findings: &[Finding], out: &mut Vec<u8>) {
        let mut s = String::new();
        for f in findings {
            if current.path.as_deref() != Some(&*f.path) {
                if !self.0.summary {
                    self.path_line(&mut s, &f.path);
                }
                current.path = Some(Arc::clone(&f.path));
                current.folded = 0;
            }
            if self.0.summary {
                continue;
            }
            if is_table_row(f) && !self.0.verbose {
                current.folded += 1;
                continue;
            }
            self.finding(&mut s, f);
        }
        out.extend_from_slice(s.as_bytes());
    }

    fn location(&self, current: &mut Current, l: &Location, out: &mut Vec<u8>) {
        let mut s = String::new();
        if self.0.summary {
            self.path_line(&mut s, &l.path);
        } else if current.folded > 0 {
            let n = current.folded as u64;
            let _ = writeln!(
                s,
                "  … {} in rows, by column above (--verbose lists them) / 行ごとの検出 {} 件は列ごとに集計",
                counted(n, "finding", "findings"),
                grouped(n)
            );
        }
        self.write_location(&mut s, l);
        s.push('\n');
        *current = Current::default();
        out.extend_from_slice(s.as_bytes());
    }

    fn error(&self, _: &mut Current, e: &ItemError, out: &mut Vec<u8>) {
        let mut s = String::new();
        self.path_line(&mut s, &e.path);
        let _ = writeln!(s, "  {}: {}\n", self.paint(RED, "error / エラー"), printable(&e.message));
        out.extend_from_slice(s.as_bytes());
    }

    fn skipped(&self, _: &mut Current, sk: &Skipped, out: &mut Vec<u8>) {
        let mut s = String::new();
        self.path_line(&mut s, &sk.path);
        let _ = writeln!(s, "  skipped / スキップ: {}\n", printable(&sk.reason));
        out.extend_from_slice(s.as_bytes());
    }

    fn footer(&self, inv: &Inventory, out: &mut dyn Write) -> io::Result<()> {
        // The errors again, together: they make the exit code 2.
        if !inv.errors.is_empty() {
            writeln!(out, "{}", self.paint(RED, "errors / エラー:"))?;
            for e in &inv.errors {
                writeln!(out, "  {}: {}", printable(&e.path), printable(&e.message))?;
            }
            writeln!(out)?;
        }
        let s = &inv.stats;
        let mut read = counted(s.files, "file", "files");
        if s.tables > 0 {
            read.push_str(&format!(" and {}", counted(s.tables, "table", "tables")));
        }
        writeln!(
            out,
            "summary / 概要: {read} scanned ({}), {} binary skipped, {} skipped, {}, {}",
            super::human_bytes(s.bytes),
            grouped(s.binary),
            grouped(inv.skipped.len() as u64),
            counted(inv.errors.len() as u64, "error", "errors"),
            counted(s.findings, "finding", "findings"),
        )?;
        if s.ocr_pages > 0 {
            writeln!(
                out,
                "  {} read by OCR in {:.1} s / OCR で読んだページ",
                counted(s.ocr_pages, "page", "pages"),
                s.ocr_ms as f64 / 1000.0
            )?;
        }
        let noted = [
            (
                s.suppressed,
                "suppressed by piimap:allow or .piimap.toml / piimap:allow・.piimap.toml で抑止",
            ),
            (s.baselined, "accepted in the baseline / ベースラインで承認済み"),
            (s.test_data, "of well-known test data (low) / 既知の試験用データ（低）"),
        ];
        for (n, what) in noted.into_iter().filter(|(n, _)| *n > 0) {
            writeln!(out, "  {} {what}", counted(n, "finding", "findings"))?;
        }
        for (category, n) in &s.by_category {
            writeln!(
                out,
                "  {} {} {}",
                pad(category.id(), 13),
                pad(category.label_ja(), 21),
                grouped(*n)
            )?;
        }
        if !inv.locations.is_empty() {
            let people = inv.subjects() as u64;
            let places = inv.locations.len() as u64;
            writeln!(
                out,
                "  {} with personal data, about {} / 個人データを含む場所 {} 件、推定 {} 名",
                counted(places, "location", "locations"),
                counted(people, "person", "people"),
                grouped(places),
                grouped(people),
            )?;
            for level in [Level::Direct, Level::Combination, Level::Linkable] {
                let n = inv.locations.iter().filter(|l| l.identifiability == Some(level)).count();
                if n > 0 {
                    let n = n as u64;
                    writeln!(
                        out,
                        "  {} {} {}",
                        pad(level.as_str(), 13),
                        pad(level.label_ja(), 21),
                        counted(n, "location", "locations")
                    )?;
                }
            }
            for risk in [Risk::Critical, Risk::High, Risk::Medium, Risk::Low] {
                let n = inv.locations.iter().filter(|l| l.risk == Some(risk)).count() as u64;
                if n > 0 {
                    let name = format!("risk {}", risk.as_str());
                    let ja = format!("リスク{}", risk.label_ja());
                    writeln!(
                        out,
                        "  {} {} {}",
                        self.paint(risk_style(risk), &pad(&name, 13)),
                        pad(&ja, 21),
                        counted(n, "location", "locations")
                    )?;
                }
            }
        }
        Ok(())
    }
}

impl Text {
    /// One finding's line (and its reasons).
    fn finding(&self, out: &mut String, f: &Finding) {
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
        // Plain lines keep their aligned `line:column`; a column finding is
        // placed by its column.
        let place = if f.is_column() && f.sheet.is_none() {
            "column".to_string()
        } else if f.sheet.is_some() || f.part.is_some() || f.row.is_some() {
            place.to_string()
        } else {
            format!("{:>5}:{:<4}", at(f.line), at(f.column))
        };
        let confidence = format!("{:<6}", f.confidence.as_str());
        let style = match f.confidence {
            Confidence::High => RED,
            Confidence::Medium => YELLOW,
            Confidence::Low => DIM,
        };
        let _ = writeln!(
            out,
            "  {:>10} {:<13} {} {}  ({}){}{}",
            printable(&place),
            f.category.id(),
            self.paint(style, &confidence),
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
    fn write_location(&self, out: &mut String, l: &Location) {
        let en: Vec<String> = l
            .categories
            .iter()
            .map(|(c, n)| format!("{} {}", c.id(), grouped(*n as u64)))
            .collect();
        let ja: Vec<String> = l
            .categories
            .iter()
            .map(|(c, n)| format!("{} {}", c.label_ja(), grouped(*n as u64)))
            .collect();
        let _ = writeln!(out, "  {} / {}", en.join(", "), ja.join("、"));
        if let Some(risk) = l.risk {
            let purposes =
                if l.purposes.is_empty() { "-".to_string() } else { l.purposes.join(", ") };
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
            let risk_words = format!("{} {}", risk.as_str(), risk.label_ja());
            let _ = writeln!(
                out,
                "  purposes / 利用目的: {purposes}{flags}; risk / リスク: {}",
                self.paint(risk_style(risk), &risk_words)
            );
        }
        let Some(level) = l.identifiability else { return };
        let at_least = if l.subjects_at_least { "at least " } else { "" };
        let _ = writeln!(
            out,
            "  identifies / 識別性: {} {} ({}); about {at_least}{} / 推定 {} 名{}",
            level.as_str(),
            level.label_ja(),
            l.rules.join(", "),
            counted(l.subjects as u64, "person", "people"),
            grouped(l.subjects as u64),
            if l.subjects_at_least { "以上" } else { "" },
        );
    }
}

fn risk_style(risk: Risk) -> &'static str {
    match risk {
        Risk::Critical | Risk::High => RED,
        Risk::Medium => YELLOW,
        Risk::Low => DIM,
    }
}

/// `s` padded with spaces to `width` terminal columns (a kanji takes two).
fn pad(s: &str, width: usize) -> String {
    format!("{s}{}", " ".repeat(width.saturating_sub(s.width())))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn japanese_pads_by_display_width() {
        assert_eq!(pad("電話番号", 10), "電話番号  ");
        assert_eq!(pad("phone", 10), "phone     ");
        assert_eq!(pad("組み合わせで識別", 10), "組み合わせで識別");
    }
}

//! `--format csv` (one row per location, for spreadsheets) and `--format
//! markdown` (a summary and the locations, for tickets and wikis), both
//! rendered from the inventory [`Document`].
//!
//! Every string from the scanned world (paths above all) is escaped for its
//! format: CSV quotes every field and defuses spreadsheet formulas (a path
//! starting with `=`, `+`, `-` or `@` is prefixed with `'`); Markdown
//! escapes table pipes and HTML.

use std::io::{self, Write};

use super::document::{Document, LocationEntry};
use super::labels::Lang;

/// The CSV columns, in order, in Japanese and English.
const COLUMNS: &[(&str, &str)] = &[
    ("パス", "path"),
    ("区分", "categories"),
    ("識別性", "identifiability"),
    ("識別ルール", "rules"),
    ("推定人数", "people"),
    ("レコード数", "records"),
    ("利用目的", "purposes"),
    ("目的外の区分", "out of purpose"),
    ("利用目的なし", "unassigned"),
    ("保存期間超過", "retention overdue"),
    ("リスク", "risk"),
    ("リスクの理由", "risk reasons"),
    ("サイズ（バイト）", "size (bytes)"),
    ("更新日時", "modified"),
    ("所有者", "owner"),
    ("全ユーザーが読める", "readable by every user"),
];

/// One CSV field, quoted, with formula triggers defused.
fn csv_field(s: &str) -> String {
    let s = if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{s}")
    } else {
        s.to_string()
    };
    format!("\"{}\"", s.replace('"', "\"\""))
}

/// A location's fields, in words of `lang` (a spreadsheet is read by
/// people; the ids are in the JSON inventory).
fn row(doc: &Document, l: &LocationEntry, lang: Lang) -> Vec<String> {
    let opt = |v: Option<String>| v.unwrap_or_default();
    let yes_no =
        |b: bool| lang.pick(if b { "はい" } else { "いいえ" }, if b { "yes" } else { "no" });
    let list = |v: Vec<String>| v.join(lang.pick("、", "; "));
    vec![
        l.path.clone(),
        list(l.categories.iter().map(|(c, n)| format!("{} {n}", lang.category(*c))).collect()),
        opt(l.identifiability.map(|x| lang.level(x).to_string())),
        lang.rules(&l.rules),
        l.people(),
        l.records.to_string(),
        lang.purposes(doc, &l.purposes),
        list(l.out_of_purpose.iter().map(|c| lang.category(*c).to_string()).collect()),
        yes_no(l.unassigned).to_string(),
        yes_no(l.retention_overdue).to_string(),
        opt(l.risk.map(|r| lang.risk(r).to_string())),
        list(l.risk_reasons.iter().map(|r| lang.reason(r)).collect()),
        opt(l.size.map(|s| s.to_string())),
        opt(l.modified.clone()),
        opt(l.owner.map(super::labels::user_name)),
        opt(l.world_readable.map(|w| yes_no(w).to_string())),
    ]
}

/// CSV, UTF-8 with a byte-order mark so that spreadsheet programs read the
/// Japanese paths right.
pub(super) fn write_csv(doc: &Document, lang: Lang, out: &mut dyn Write) -> io::Result<()> {
    out.write_all("\u{feff}".as_bytes())?;
    let header: Vec<String> = COLUMNS.iter().map(|(ja, en)| csv_field(lang.pick(ja, en))).collect();
    write!(out, "{}\r\n", header.join(","))?;
    for l in &doc.locations {
        let fields: Vec<String> = row(doc, l, lang).iter().map(|f| csv_field(f)).collect();
        write!(out, "{}\r\n", fields.join(","))?;
    }
    Ok(())
}

/// Text for a Markdown table cell or line: no HTML, no table breaks.
fn md(s: &str) -> String {
    super::printable(&s.replace(['\n', '\r'], " "))
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('|', "\\|")
        .replace('`', "\\`")
        .replace('*', "\\*")
        .replace('_', "\\_")
        .replace('[', "\\[")
}

pub(super) fn write_markdown(doc: &Document, lang: Lang, out: &mut dyn Write) -> io::Result<()> {
    let t = |ja: &'static str, en: &'static str| lang.pick(ja, en);
    let s = &doc.summary;
    writeln!(out, "# {}\n", t("個人データ台帳", "Personal data inventory"))?;
    if let Some(run) = &doc.scan {
        writeln!(
            out,
            "{}: {} (UTC) · {}: {} · {}\n",
            t("走査日時", "scanned"),
            run.started.replace('T', " ").trim_end_matches('Z'),
            t("対象", "targets"),
            md(&run.targets.join(", ")),
            md(&doc.tool)
        )?;
    }
    let ocr = if s.ocr_pages > 0 {
        format!(" ({} {})", s.ocr_pages, t("ページをOCR", "pages by OCR"))
    } else {
        String::new()
    };
    writeln!(
        out,
        "{} {}{ocr} · {} {} · {} {} · {} {}\n",
        s.files,
        t("ファイルを走査", "files scanned"),
        s.locations,
        t("か所に個人データ", "locations with personal data"),
        s.subjects,
        t("名（推定）", "people (estimated)"),
        s.errors,
        t("件のエラー", "errors")
    )?;
    writeln!(out, "## {}\n", t("リスク", "Risk"))?;
    writeln!(out, "| {} | {} |\n|---|---:|", t("リスク", "risk"), t("か所", "locations"))?;
    for (risk, n) in s.by_risk.iter().rev() {
        writeln!(out, "| {} | {n} |", lang.risk(*risk))?;
    }
    writeln!(out)?;
    writeln!(out, "## {}\n", t("方針違反", "Policy violations"))?;
    writeln!(out, "| {} | {} |\n|---|---:|", t("項目", "check"), t("か所", "locations"))?;
    writeln!(out, "| {} | {} |", t("目的外利用", "out of purpose"), s.out_of_purpose)?;
    writeln!(out, "| {} | {} |", t("利用目的なし", "unassigned"), s.unassigned)?;
    writeln!(out, "| {} | {} |\n", t("保存期間超過", "retention overdue"), s.retention_overdue)?;
    writeln!(out, "## {}\n", t("利用目的別", "By purpose"))?;
    writeln!(
        out,
        "| {} | {} | {} | {} |\n|---|---:|---:|---:|",
        t("利用目的", "purpose"),
        t("か所", "locations"),
        t("推定人数", "people"),
        t("違反", "violations")
    )?;
    for (id, g) in &s.by_purpose {
        let label =
            doc.purpose(id).map_or_else(|| lang.unassigned().to_string(), |p| lang.purpose(p));
        writeln!(out, "| {} | {} | {} | {} |", md(&label), g.locations, g.subjects, g.violations)?;
    }
    writeln!(out, "\n## {}\n", t("場所", "Locations"))?;
    writeln!(
        out,
        "| {} |
|---|---|---|---:|---|---|---|",
        lang.location_columns().join(" | ")
    )?;
    for (_, l) in doc.by_risk() {
        let categories: Vec<String> =
            l.categories.iter().map(|(c, n)| format!("{} {n}", lang.category(*c))).collect();
        writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} | {} |",
            md(&l.path),
            md(&categories.join(", ")),
            l.identifiability.map_or("-", |x| lang.level(x)),
            l.people(),
            md(&lang.purposes(doc, &l.purposes)),
            md(&lang.flags(l).join(", ")),
            l.risk.map_or("-", |r| lang.risk(r)),
        )?;
    }
    for (title, list) in [
        (t("エラー（読めなかったもの）", "Errors (could not be read)"), &doc.errors),
        (t("スキップ（読まなかったもの）", "Skipped (not read)"), &doc.skipped),
    ] {
        if !list.is_empty() {
            writeln!(out, "\n## {title}\n")?;
            for m in list {
                writeln!(out, "- {}: {}", md(&m.path), md(&m.message))?;
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_fields_are_quoted_and_formulas_defused() {
        assert_eq!(csv_field("a,\"b\""), "\"a,\"\"b\"\"\"");
        assert_eq!(csv_field("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(csv_field("-1+2"), "\"'-1+2\"");
        assert_eq!(csv_field("share/a.csv"), "\"share/a.csv\"");
    }

    #[test]
    fn markdown_cells_cannot_break_out() {
        assert_eq!(md("a|b<script>"), "a\\|b&lt;script&gt;");
        assert_eq!(md("x\ny"), "x y");
    }
}

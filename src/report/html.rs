//! `--format html`: one self-contained page for the privacy officer —
//! summary, charts, a sortable and filterable table of locations, each
//! location's masked evidence, and the errors. Japanese by default
//! (`--lang en` for English). No network: styles, script and charts (SVG)
//! are inline, and a Content-Security-Policy forbids fetching anything.
//!
//! Every string that comes from the scanned world (paths, fields, masked
//! values, error messages) goes through [`esc`].

use std::fmt::Write as _;
use std::io::{self, Write};

use super::document::{Document, LocationEntry};
use super::labels::Lang;
use crate::finding::Category;
use crate::inventory::Run;

/// HTML-escapes text for element content and quoted attributes.
pub(super) fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

pub(super) const STYLE: &str = "body{font-family:system-ui,'Hiragino Sans','Noto Sans CJK JP',sans-serif;margin:2rem;color:#222}\
h1{font-size:1.5rem}h2{font-size:1.2rem;margin-top:2rem}\
.cards{display:flex;gap:1rem;flex-wrap:wrap}.card{border:1px solid #ccc;border-radius:6px;padding:.6rem 1rem;min-width:9rem}\
.card b{display:block;font-size:1.6rem}\
table{border-collapse:collapse;width:100%;font-size:.9rem}th,td{border-bottom:1px solid #ddd;padding:.3rem .5rem;text-align:left;vertical-align:top}\
th{cursor:pointer;background:#f4f4f4;position:sticky;top:0;white-space:nowrap}td.n{text-align:right;white-space:nowrap}td.d{white-space:nowrap}\
.charts{display:grid;grid-template-columns:repeat(auto-fit,minmax(420px,1fr));gap:1rem 2rem;align-items:start}.charts figure{margin:0}\
div.wide{overflow-x:auto}dl.run{display:grid;grid-template-columns:max-content 1fr;gap:.2rem 1rem}dl.run dt{font-weight:bold}dl.run dd{margin:0}\
.risk-critical{color:#fff;background:#a00}.risk-high{color:#fff;background:#d55}.risk-medium{background:#fc6}.risk-low{background:#cfc}\
.flag{color:#a00}input#q{padding:.3rem;width:20rem;margin:.5rem 0}code{font-size:.85rem}";

const SCRIPT: &str = "document.querySelectorAll('#loc th').forEach(function(th,i){th.addEventListener('click',function(){\
var tb=document.querySelector('#loc tbody');var rows=Array.prototype.slice.call(tb.rows);var dir=th.dataset.dir==='asc'?-1:1;th.dataset.dir=dir===1?'asc':'desc';\
rows.sort(function(a,b){var x=a.cells[i].dataset.v||a.cells[i].textContent,y=b.cells[i].dataset.v||b.cells[i].textContent;var nx=parseFloat(x),ny=parseFloat(y);\
return(isNaN(nx)||isNaN(ny)?x.localeCompare(y):nx-ny)*dir;});rows.forEach(function(r){tb.appendChild(r);});});});\
document.getElementById('q').addEventListener('input',function(e){var q=e.target.value.toLowerCase();\
document.querySelectorAll('#loc tbody tr').forEach(function(r){r.hidden=r.textContent.toLowerCase().indexOf(q)<0;});});";

/// A horizontal bar chart as inline SVG.
fn bars(title: &str, rows: &[(String, usize)]) -> String {
    let max = rows.iter().map(|r| r.1).max().unwrap_or(0).max(1);
    let height = 22 * rows.len().max(1) + 28;
    let mut svg = format!(
        "<figure><figcaption>{}</figcaption><svg xmlns=\"http://www.w3.org/2000/svg\" width=\"440\" height=\"{height}\" role=\"img\" aria-label=\"{}\">",
        esc(title),
        esc(title)
    );
    for (i, (label, n)) in rows.iter().enumerate() {
        let y = 8 + i * 22;
        let w = 220 * n / max;
        let _ = write!(
            svg,
            "<text x=\"0\" y=\"{}\" font-size=\"12\">{}</text><rect x=\"170\" y=\"{y}\" width=\"{w}\" height=\"16\" fill=\"#4a7ab5\"/><text x=\"{}\" y=\"{}\" font-size=\"12\">{n}</text>",
            y + 12,
            esc(label),
            175 + w,
            y + 12
        );
    }
    if rows.is_empty() {
        svg.push_str("<text x=\"0\" y=\"20\" font-size=\"12\">-</text>");
    }
    svg.push_str("</svg></figure>");
    svg
}

/// Categories × top-level folders: how many locations of each folder hold
/// each category, shaded by count.
fn matrix(doc: &Document, lang: Lang) -> String {
    let categories: Vec<Category> = Category::ALL
        .into_iter()
        .filter(|c| doc.locations.iter().any(|l| l.categories.contains_key(c)))
        .collect();
    let mut html = format!(
        "<h3>{}</h3><div class=\"wide\"><table id=\"matrix\"><tr><th>{}</th>",
        lang.pick("区分 × フォルダ（場所数）", "Categories × folders (locations)"),
        lang.pick("フォルダ", "folder")
    );
    for c in &categories {
        let _ = write!(html, "<th>{}</th>", esc(lang.category(*c)));
    }
    html.push_str("</tr>");
    let max = doc.summary.by_folder.values().map(|g| g.locations).max().unwrap_or(1).max(1);
    // Each location's folder once, not once per row of the matrix.
    let folders: Vec<String> = doc.locations.iter().map(|l| doc.folder(&l.path)).collect();
    for folder in doc.summary.by_folder.keys() {
        let _ = write!(html, "<tr><td><code>{}</code></td>", esc(folder));
        let here: Vec<&LocationEntry> = doc
            .locations
            .iter()
            .zip(&folders)
            .filter(|(_, f)| *f == folder)
            .map(|(l, _)| l)
            .collect();
        for c in &categories {
            let n = here.iter().filter(|l| l.categories.contains_key(c)).count();
            let alpha = if n == 0 { 0.0 } else { 0.15 + 0.85 * n as f64 / max as f64 };
            let _ = write!(
                html,
                "<td class=\"n\" style=\"background:rgba(74,122,181,{alpha:.2})\">{}</td>",
                if n == 0 { String::new() } else { n.to_string() }
            );
        }
        html.push_str("</tr>");
    }
    html.push_str("</table></div>\n");
    html
}

fn location_row(doc: &Document, l: &LocationEntry, lang: Lang, i: usize) -> String {
    let categories: Vec<String> =
        l.categories.iter().map(|(c, n)| format!("{} {n}", lang.category(*c))).collect();
    let purposes = lang.purposes(doc, &l.purposes);
    let risk = l.risk.map_or(String::from("-"), |r| {
        format!("<span class=\"risk-{}\">{}</span>", r.as_str(), esc(lang.risk(r)))
    });
    let level_rank = l.identifiability.map_or(0, |x| x as usize + 1);
    let risk_rank = l.risk.map_or(0, |r| r as usize + 1);
    // A file's size, or how many of a table's rows were read.
    let size = match (l.rows_read, l.rows_estimated, l.size) {
        (Some(read), Some(est), _) if est > read => {
            let (read, est) = (super::grouped(read), super::grouped(est));
            match lang {
                Lang::Ja => format!("{read} 行（推定 {est} 行中）"),
                Lang::En => format!("{read} of about {est} rows"),
            }
        }
        (Some(read), ..) => format!("{} {}", super::grouped(read), lang.pick("行", "rows")),
        (None, _, Some(bytes)) => super::human_bytes(bytes),
        (None, _, None) => "-".to_string(),
    };
    let modified = l.modified.as_deref().map_or("-", |m| m.get(..10).unwrap_or(m));
    let owner = l.owner.map_or_else(|| "-".to_string(), super::labels::user_name);
    format!(
        "<tr><td><a href=\"#l{i}\">{}</a></td><td>{}</td><td data-v=\"{level_rank}\">{}</td><td class=\"n\" data-v=\"{}\">{}</td><td>{}</td><td class=\"flag\">{}</td><td data-v=\"{risk_rank}\">{risk}</td><td class=\"n\" data-v=\"{}\">{}</td><td class=\"d\" data-v=\"{}\">{}</td><td>{}</td></tr>\n",
        esc(&l.path),
        esc(&categories.join(", ")),
        esc(l.identifiability.map_or("-", |x| lang.level(x))),
        l.subjects,
        l.people(),
        esc(&purposes),
        esc(&lang.flags(l).join("; ")),
        l.size.or(l.rows_read).unwrap_or(0),
        esc(&size),
        esc(l.modified.as_deref().unwrap_or("")),
        esc(modified),
        esc(&owner),
    )
}

/// Where a finding is, in words a reader finds it by: a line and column, a
/// cell, a page — or, for a finding about a whole column, the column.
fn place(f: &super::document::FindingEntry, lang: Lang) -> String {
    match &f.field {
        // A column finding sums up a column: its place is the column, on
        // its sheet when it has one.
        Some(field) if f.detector == "column" => match &f.sheet {
            Some(sheet) => format!("{sheet} {} {field}", lang.pick("列", "column")),
            None => format!("{} {field}", lang.pick("列", "column")),
        },
        _ if f.line.is_none() && f.sheet.is_none() && f.page.is_none() && f.slide.is_none() => {
            lang.pick("ファイル全体", "whole file").to_string()
        }
        _ => super::Place {
            line: f.line,
            column: f.column,
            sheet: f.sheet.as_deref(),
            page: f.page,
            slide: f.slide,
            row: f.row.as_deref(),
        }
        .to_string(),
    }
}

fn details(l: &LocationEntry, lang: Lang, i: usize, out: &mut String) {
    let t = |ja, en| lang.pick(ja, en);
    let _ = write!(
        out,
        "<details id=\"l{i}\"><summary><code>{}</code></summary><p>{}: {} · {}: {} · {}: {}</p>",
        esc(&l.path),
        t("識別ルール", "rules"),
        esc(&lang.rules(&l.rules)),
        t("レコード", "records"),
        l.records,
        t("リスクの理由", "risk reasons"),
        esc(&l.risk_reasons.iter().map(|r| lang.reason(r)).collect::<Vec<_>>().join("、")),
    );
    out.push_str("<table><tr><th>");
    out.push_str(
        &[
            t("場所", "place"),
            t("区分", "category"),
            t("値（マスク済み）", "value (masked)"),
            t("列", "field"),
            t("検出器", "detector"),
            t("確度", "confidence"),
        ]
        .join("</th><th>"),
    );
    out.push_str("</th></tr>");
    for f in &l.evidence {
        let _ = write!(
            out,
            "<tr><td>{}</td><td>{}</td><td><code>{}</code></td><td>{}</td><td>{}</td><td>{}</td></tr>",
            esc(&place(f, lang)),
            esc(lang.category(f.category)),
            esc(f.value.as_deref().unwrap_or(&f.masked)),
            esc(f.field.as_deref().unwrap_or("")),
            esc(&f.detector),
            lang.confidence(f.confidence)
        );
    }
    if l.findings > l.evidence.len() {
        let _ = write!(
            out,
            "<tr class=\"more\"><td colspan=\"6\">… {} {} {}</td></tr>",
            t("ほか", "and"),
            l.findings - l.evidence.len(),
            t("件は省略（件数は集計に含む）", "more not shown (counted above)")
        );
    }
    out.push_str("</table></details>\n");
}

/// When, of what and how the scan ran: what the report covers.
fn run_section(run: &Run, lang: Lang) -> String {
    let t = |ja, en| lang.pick(ja, en);
    let seconds = run.duration_ms as f64 / 1000.0;
    let mut rows: Vec<(&str, String)> = vec![
        (
            t("走査日時", "scanned"),
            format!("{} (UTC)", run.started.replace('T', " ").trim_end_matches('Z')),
        ),
        (t("所要時間", "duration"), format!("{seconds:.2} {}", t("秒", "s"))),
        (t("対象", "targets"), run.targets.join(", ")),
    ];
    if let Some(scope) = &run.scope {
        rows.push((t("範囲", "scope"), scope.clone()));
    }
    rows.push((
        t("テーブルの標本", "table sample"),
        run.sample_rows.map_or_else(
            || t("全行", "every row").to_string(),
            |n| format!("{} {}", super::grouped(n), t("行まで", "rows per table")),
        ),
    ));
    rows.push((t("ファイルの上限", "largest file read"), super::human_bytes(run.max_filesize)));
    let patterns = if run.patterns.is_empty() {
        t("組み込みのみ", "built-in only").to_string()
    } else {
        format!("{} + {}", t("組み込み", "built-in"), run.patterns.join(", "))
    };
    rows.push((t("検出パターン", "patterns"), patterns));
    rows.push((
        t("利用目的の定義", "purposes"),
        run.purposes.clone().unwrap_or_else(|| {
            t("組み込み（プライバシーポリシー）", "built-in (privacy policy)").to_string()
        }),
    ));
    if let Some(min) = run.min_confidence {
        rows.push((t("確度の下限", "lowest confidence kept"), lang.confidence(min).to_string()));
    }
    if !run.globs.is_empty() {
        rows.push((t("対象ファイルの絞り込み", "file globs"), run.globs.join(" ")));
    }
    if !run.skipped_categories.is_empty() {
        let names: Vec<&str> = run.skipped_categories.iter().map(|c| lang.category(*c)).collect();
        rows.push((t("探さなかった区分", "categories not looked for"), names.join(", ")));
    }
    let mut html = String::from("<dl class=\"run\" id=\"run\">");
    for (k, v) in rows {
        let _ = write!(html, "<dt>{}</dt><dd>{}</dd>", esc(k), esc(&v));
    }
    html.push_str("</dl>\n");
    html
}

/// What the scan could not read or left out: gaps the reader must know of
/// before trusting what the report does not list.
fn coverage(doc: &Document, lang: Lang) -> String {
    let t = |ja, en| lang.pick(ja, en);
    let mut html = format!(
        "<h2 id=\"coverage\">{}</h2>",
        t("網羅性（読めなかったもの・除外したもの）", "Coverage (not read or left out)")
    );
    if doc.errors.is_empty() && doc.skipped.is_empty() {
        let _ = writeln!(html, "<p>{}</p>", t("すべて読み取りました。", "Everything was read."));
        return html;
    }
    for (id, title, list) in [
        ("errors", t("エラー（読めなかったもの）", "Errors (could not be read)"), &doc.errors),
        ("skipped", t("スキップ（読まなかったもの）", "Skipped (not read)"), &doc.skipped),
    ] {
        if list.is_empty() {
            continue;
        }
        let _ =
            write!(html, "<h3>{title} {}</h3><ul id=\"{id}\">", super::grouped(list.len() as u64));
        for m in list {
            let _ = write!(html, "<li><code>{}</code>: {}</li>", esc(&m.path), esc(&m.message));
        }
        html.push_str("</ul>\n");
    }
    html
}

pub(super) fn write(doc: &Document, lang: Lang, out: &mut dyn Write) -> io::Result<()> {
    let t = |ja, en| lang.pick(ja, en);
    let s = &doc.summary;
    let mut page = String::new();
    let _ = writeln!(
        page,
        "<!DOCTYPE html>\n<html lang=\"{}\"><head><meta charset=\"utf-8\">\
<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:\">\
<meta name=\"viewport\" content=\"width=device-width\"><title>{}</title><style>{STYLE}</style></head><body>\n<h1>{}</h1><p>{}</p>",
        lang.code(),
        t("個人データ台帳", "Personal data inventory"),
        t("個人データ台帳", "Personal data inventory"),
        esc(&doc.tool)
    );
    if let Some(run) = &doc.scan {
        page.push_str(&run_section(run, lang));
    }
    let violations = s.out_of_purpose + s.unassigned + s.retention_overdue;
    let mut cards: Vec<(String, &str)> = vec![
        (super::grouped(s.files), t("走査したファイル", "files scanned")),
        (
            super::grouped(s.locations as u64),
            t("個人データのある場所", "locations with personal data"),
        ),
        (super::grouped(s.subjects as u64), t("推定人数", "people (estimated)")),
        (super::grouped(violations as u64), t("方針違反", "policy violations")),
        (super::grouped(s.errors as u64), t("エラー", "errors")),
        (super::grouped(doc.skipped.len() as u64), t("スキップ", "skipped")),
    ];
    // A database scan counts tables, not "0 files".
    match (s.files, s.tables) {
        (0, 1..) => cards[0] = (super::grouped(s.tables), t("走査したテーブル", "tables scanned")),
        (_, 1..) => {
            cards.insert(1, (super::grouped(s.tables), t("走査したテーブル", "tables scanned")))
        }
        _ => {}
    }
    if s.ocr_pages > 0 {
        let read = (super::grouped(s.ocr_pages), t("OCRで読んだページ", "pages read by OCR"));
        cards.insert(1 + usize::from(s.tables > 0 && s.files > 0), read);
    }
    page.push_str("<section class=\"cards\" id=\"summary\">");
    for (n, label) in cards {
        let _ = write!(page, "<div class=\"card\"><b>{n}</b>{label}</div>");
    }
    page.push_str("</section>\n");
    // Charts: locations per category, people per purpose, locations per
    // risk, violations; the tall one first, the short ones stacked beside it.
    let mut per_category: Vec<(String, usize)> = Category::ALL
        .iter()
        .map(|&c| {
            (
                lang.category(c).to_string(),
                doc.locations.iter().filter(|l| l.categories.contains_key(&c)).count(),
            )
        })
        .filter(|(_, n)| *n > 0)
        .collect();
    per_category.sort_by_key(|r| std::cmp::Reverse(r.1));
    let per_purpose: Vec<(String, usize)> = s
        .by_purpose
        .iter()
        .map(|(id, g)| {
            (
                doc.purpose(id).map_or_else(|| lang.unassigned().to_string(), |p| lang.purpose(p)),
                g.subjects,
            )
        })
        .collect();
    let per_risk: Vec<(String, usize)> =
        s.by_risk.iter().rev().map(|(r, n)| (lang.risk(*r).to_string(), *n)).collect();
    let violations_rows = vec![
        (t("目的外利用", "out of purpose").to_string(), s.out_of_purpose),
        (t("利用目的なし", "unassigned").to_string(), s.unassigned),
        (t("保存期間超過", "retention overdue").to_string(), s.retention_overdue),
    ];
    let _ = writeln!(
        page,
        "<h2>{}</h2><section class=\"charts\">{}<div>{}{}{}</div></section>",
        t("概要", "Summary"),
        bars(t("区分ごとの場所数", "Locations per category"), &per_category),
        bars(t("リスクごとの場所数", "Locations per risk"), &per_risk),
        bars(t("利用目的ごとの推定人数", "People per purpose"), &per_purpose),
        bars(t("方針違反", "Policy violations"), &violations_rows)
    );
    page.push_str(&matrix(doc, lang));
    let _ = writeln!(
        page,
        "<h2>{}</h2><p>{}</p><input id=\"q\" type=\"search\" placeholder=\"{}\"><table id=\"loc\"><thead><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr></thead><tbody>",
        t("場所", "Locations"),
        t(
            "リスクの高い順、同じリスクでは推定人数の多い順。見出しをクリックすると並べ替えます。",
            "Highest risk first, then most people. Click a heading to sort."
        ),
        t("絞り込み", "Filter"),
        lang.location_columns().join("</th><th>"),
        t("サイズ", "size"),
        t("更新日", "modified"),
        t("所有者", "owner"),
    );
    // Indexes stay those of the document (the evidence anchors).
    for (i, l) in doc.by_risk() {
        page.push_str(&location_row(doc, l, lang, i));
    }
    page.push_str("</tbody></table>\n");
    let _ = writeln!(
        page,
        "<h2>{}</h2>",
        t("場所ごとの根拠（マスク済み）", "Evidence per location (masked)")
    );
    for (i, l) in doc.locations.iter().enumerate() {
        details(l, lang, i, &mut page);
    }
    page.push_str(&coverage(doc, lang));
    let _ = writeln!(page, "<script>{SCRIPT}</script></body></html>");
    out.write_all(page.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_everything_markup_can_use() {
        assert_eq!(
            esc("<script>alert('1')</script>&\""),
            "&lt;script&gt;alert(&#39;1&#39;)&lt;/script&gt;&amp;&quot;"
        );
    }
}

//! The answer to a data-subject request (`piimap subject`) for the privacy
//! office: text for the terminal, JSON (schema `piimap-subject/1`) for the
//! case system, and one self-contained HTML page for the case file, in
//! Japanese or English. Values are as the [`Answer`] holds them: masked
//! unless the search was run with `--show-values`.

use std::io::{self, Write};

use super::html::{STYLE, esc};
use super::labels::Lang;
use crate::finding::Category;
use crate::subject::{Answer, Match, Strength};

/// The formats of an answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SubjectFormat {
    /// For the terminal.
    Text,
    /// `piimap-subject/1`.
    Json,
    /// One page for the case file.
    Html,
}

/// Writes `answer` in `format`.
pub fn write(
    answer: &Answer,
    format: SubjectFormat,
    lang: Lang,
    out: &mut dyn Write,
) -> io::Result<()> {
    match format {
        SubjectFormat::Json => {
            serde_json::to_writer_pretty(&mut *out, answer)?;
            writeln!(out)
        }
        SubjectFormat::Text => text(answer, lang, out),
        SubjectFormat::Html => html(answer, lang, out),
    }
}

fn strength(lang: Lang, s: Strength) -> &'static str {
    match s {
        Strength::Strong => lang.pick("確実", "strong"),
        Strength::Possible => lang.pick("可能性あり", "possible"),
    }
}

/// Categories' names, listed as the language lists them.
pub(super) fn category_list<'a>(
    lang: Lang,
    list: impl IntoIterator<Item = &'a Category>,
) -> String {
    let names: Vec<&str> = list.into_iter().map(|&c| lang.category(c)).collect();
    names.join(lang.pick("、", ", "))
}

fn query(answer: &Answer) -> String {
    let given: Vec<String> =
        answer.query.iter().map(|g| format!("{}={}", g.field, g.value)).collect();
    given.join(", ")
}

fn place(lang: Lang, m: &Match) -> String {
    let p = m.place.describe(lang == Lang::Ja);
    let path = super::printable(&m.path);
    if p.is_empty() { path.into_owned() } else { format!("{path} {}", super::printable(&p)) }
}

/// `氏名 4, 電話番号 2`: what a location holds.
fn held(lang: Lang, categories: &std::collections::BTreeMap<Category, usize>) -> String {
    let held: Vec<String> =
        categories.iter().map(|(c, n)| format!("{} {n}", lang.category(*c))).collect();
    held.join(", ")
}

/// Opens a table with its header row.
/// An HTML table's start: its id and headers.
pub(super) fn table_head(out: &mut dyn Write, id: &str, headers: &[&str]) -> io::Result<()> {
    write!(out, "<table id=\"{id}\"><thead><tr>")?;
    for h in headers {
        write!(out, "<th>{}</th>", esc(h))?;
    }
    writeln!(out, "</tr></thead><tbody>")
}

fn text(answer: &Answer, lang: Lang, out: &mut dyn Write) -> io::Result<()> {
    let s = &answer.summary;
    writeln!(out, "{}: {}", lang.pick("検索条件", "Searched for"), query(answer))?;
    if answer.source == "index" {
        writeln!(out, "{}", lang.pick("（索引から回答）", "(answered from the index)"))?;
    }
    writeln!(
        out,
        "{}",
        match lang {
            Lang::Ja => format!(
                "一致: 確実 {} 件、可能性あり {} 件（{} か所）",
                s.strong, s.possible, s.locations
            ),
            Lang::En => format!(
                "Matches: {} strong, {} possible, in {} location{}",
                s.strong,
                s.possible,
                s.locations,
                if s.locations == 1 { "" } else { "s" }
            ),
        }
    )?;
    for m in &answer.matches {
        writeln!(out)?;
        writeln!(
            out,
            "[{}] {}  ({})",
            strength(lang, m.strength),
            place(lang, m),
            m.rules.join(", ")
        )?;
        writeln!(
            out,
            "    {}: {}",
            lang.pick("一致した項目", "agreed"),
            category_list(lang, &m.agreed)
        )?;
        writeln!(
            out,
            "    {}: {}",
            lang.pick("このレコードの項目", "record holds"),
            category_list(lang, &m.categories)
        )?;
        for v in &m.values {
            // Japanese labels have no fixed width in a terminal: no columns.
            let at = v.cell.as_deref().or(v.field.as_deref()).map(|a| format!(" ({a})"));
            writeln!(
                out,
                "    {} {}{}: {}",
                if v.agreed { "*" } else { "-" },
                lang.category(v.category),
                at.unwrap_or_default(),
                v.value.as_deref().unwrap_or(&v.masked)
            )?;
        }
    }
    if s.truncated {
        writeln!(
            out,
            "\n{}",
            lang.pick("（一致が多いため一部のみ表示）", "(more matches than listed)")
        )?;
    }
    if !answer.locations.is_empty() {
        writeln!(
            out,
            "\n{}",
            lang.pick("保有場所と保有項目:", "Where the person's data is held:")
        )?;
        for l in &answer.locations {
            writeln!(
                out,
                "  {}  [{}] {} {}  {}",
                super::printable(&l.path),
                strength(lang, l.strength),
                l.matches,
                lang.pick("件", if l.matches == 1 { "record" } else { "records" }),
                held(lang, &l.categories)
            )?;
        }
    }
    gaps(answer, lang, out)
}

fn gaps(answer: &Answer, lang: Lang, out: &mut dyn Write) -> io::Result<()> {
    if !answer.errors.is_empty() {
        writeln!(
            out,
            "\n{}",
            lang.pick(
                "検索できなかったもの（回答に含まれない可能性があります）:",
                "Could not be searched (the answer may miss data there):"
            )
        )?;
        for e in &answer.errors {
            writeln!(out, "  {}: {}", super::printable(&e.path), super::printable(&e.reason))?;
        }
    }
    if !answer.skipped.is_empty() {
        writeln!(out, "\n{}", lang.pick("検索対象外:", "Not searched:"))?;
        for e in &answer.skipped {
            writeln!(out, "  {}: {}", super::printable(&e.path), super::printable(&e.reason))?;
        }
    }
    Ok(())
}

fn html(answer: &Answer, lang: Lang, out: &mut dyn Write) -> io::Result<()> {
    let s = &answer.summary;
    let title = lang.pick("本人からの請求への回答資料", "Data-subject request: where the data is");
    write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"{}\"><head><meta charset=\"utf-8\">\
<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\
<title>{}</title><style>{STYLE}</style></head><body>\n<h1>{}</h1>\n",
        lang.code(),
        esc(title),
        esc(title)
    )?;
    writeln!(
        out,
        "<p id=\"query\">{}: <code>{}</code>{}</p>",
        lang.pick("検索条件", "Searched for"),
        esc(&query(answer)),
        if answer.source == "index" {
            lang.pick("（索引から回答）", " (answered from the index)")
        } else {
            ""
        }
    )?;
    writeln!(
        out,
        "<div class=\"cards\" id=\"summary\"><div class=\"card\"><b>{}</b>{}</div>\
<div class=\"card\"><b>{}</b>{}</div><div class=\"card\"><b>{}</b>{}</div>\
<div class=\"card\"><b>{}</b>{}</div></div>",
        s.strong,
        lang.pick("確実な一致", "strong matches"),
        s.possible,
        lang.pick("可能性のある一致", "possible matches"),
        s.locations,
        lang.pick("保有場所", "locations"),
        answer.errors.len(),
        lang.pick("検索できなかったもの", "not searchable"),
    )?;
    writeln!(
        out,
        "<p>{}</p>",
        lang.pick(
            "確実: メールアドレス・電話番号・個人番号・口座番号などが一致したか、氏名と生年月日・住所・郵便番号・電話番号のいずれかが一致したもの。可能性あり: 氏名のみの一致など。同姓同名の別人のことがあるため、開示・削除の前に確認してください。",
            "Strong: an e-mail address, phone, My Number or account agrees, or the name agrees with a birth date, address, postal code or phone. Possible: the name alone and the like; it may be a namesake: check before disclosing or deleting."
        )
    )?;
    writeln!(out, "<h2>{}</h2>", lang.pick("保有場所と保有項目", "Where the data is held"))?;
    table_head(
        out,
        "locations",
        &[
            lang.pick("場所", "Location"),
            lang.pick("一致", "Match"),
            lang.pick("件数", "Records"),
            lang.pick("保有項目（全員分）", "Categories held (everyone's)"),
        ],
    )?;
    for l in &answer.locations {
        writeln!(
            out,
            "<tr><td><code>{}</code></td><td>{}</td><td class=\"n\">{}</td><td>{}</td></tr>",
            esc(&l.path),
            strength(lang, l.strength),
            l.matches,
            esc(&held(lang, &l.categories))
        )?;
    }
    writeln!(out, "</tbody></table>")?;
    writeln!(out, "<h2>{}</h2>", lang.pick("一致したレコード", "Matching records"))?;
    table_head(
        out,
        "matches",
        &[
            lang.pick("場所", "Where"),
            lang.pick("一致", "Match"),
            lang.pick("一致した項目", "Agreed"),
            lang.pick("値", "Values"),
            lang.pick("規則", "Rules"),
        ],
    )?;
    for m in &answer.matches {
        let values: Vec<String> = m
            .values
            .iter()
            .map(|v| {
                let shown = esc(v.value.as_deref().unwrap_or(&v.masked));
                let label = esc(lang.category(v.category));
                if v.agreed {
                    format!("<b>{label}: {shown}</b>")
                } else {
                    format!("{label}: {shown}")
                }
            })
            .collect();
        writeln!(
            out,
            "<tr class=\"{}\"><td><code>{}</code></td><td>{}</td><td>{}</td><td>{}</td><td><code>{}</code></td></tr>",
            m.strength.as_str(),
            esc(&place(lang, m)),
            strength(lang, m.strength),
            esc(&category_list(lang, &m.agreed)),
            values.join("<br>"),
            esc(&m.rules.join(", "))
        )?;
    }
    writeln!(out, "</tbody></table>")?;
    if !answer.errors.is_empty() || !answer.skipped.is_empty() {
        writeln!(
            out,
            "<h2 id=\"gaps\">{}</h2><ul>",
            lang.pick("検索できなかったもの・対象外", "Not searched")
        )?;
        for (kind, list) in [
            (lang.pick("エラー", "error"), &answer.errors),
            (lang.pick("対象外", "skipped"), &answer.skipped),
        ] {
            for g in list {
                writeln!(
                    out,
                    "<li>{kind}: <code>{}</code> — {}</li>",
                    esc(&g.path),
                    esc(&g.reason)
                )?;
            }
        }
        writeln!(out, "</ul>")?;
    }
    writeln!(out, "</body></html>")
}

//! The leak assessment (`piimap incident`) for the privacy officer: text for
//! the terminal, JSON (schema `piimap-incident/1`) for the case system,
//! Markdown for a ticket, and one self-contained HTML page for the file, in
//! Japanese or English. Every format carries the decision with its rules,
//! the people estimate and how it was made, the categories, the draft of
//! the report to the Commission (always in Japanese, with the English
//! beside it: the form is Japanese) and what leaked where. No value appears
//! here: an assessment holds counts.

use std::io::{self, Write};

use serde::Serialize;

use super::html::{STYLE, esc};
use super::labels::Lang;
use super::subject::{category_list, table_head};
use crate::finding::Category;
use crate::incident::{Assessment, Cause, Decision, RuleDecision};

/// The formats of an assessment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IncidentFormat {
    /// For the terminal.
    Text,
    /// `piimap-incident/1`.
    Json,
    /// For a ticket.
    Markdown,
    /// One page for the case file.
    Html,
}

/// One field of the Commission's report form, as piimap can fill it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DraftField {
    /// The form's field.
    pub field_ja: &'static str,
    /// The field in English.
    pub field_en: &'static str,
    /// The draft in Japanese; `（記入してください）` where only the
    /// company knows.
    pub ja: String,
    /// The draft in English.
    pub en: String,
}

const FILL_JA: &str = "（記入してください）";
const FILL_EN: &str = "(to be filled in)";

fn categories(a: &Assessment, ja: bool) -> String {
    let lang = if ja { Lang::Ja } else { Lang::En };
    category_list(lang, a.categories.iter().map(|c| &c.category))
}

fn people(a: &Assessment, ja: bool) -> String {
    let n = a.people.estimate;
    match (ja, a.people.at_least) {
        (true, false) => format!("約{n}人"),
        (true, true) => format!("{n}人以上"),
        (false, false) => format!("about {n}"),
        (false, true) => format!("at least {n}"),
    }
}

fn method(a: &Assessment, ja: bool) -> String {
    let p = &a.people;
    if p.method == "keyed-identity" {
        if ja {
            format!(
                "同一人物の記録は、氏名と生年月日・メールアドレス・個人番号・口座番号・カード番号（ほかに無ければ電話番号）が一致するものとしてファイル間で名寄せした推定値です。同じ人が別の表記（異体字、別のアドレス）だけで現れると多めに、同姓同名で生年月日の無い記録は少なめに数えます。場所ごとの推定の合計は{}人です。",
                p.sum_of_locations
            )
        } else {
            format!(
                "Records were matched to people across files by a shared name with birth date, e-mail address, My Number, account or card number (a phone number where nothing else identifies). A person written differently in two places (variant kanji, another address) is counted twice; namesakes without a birth date once. The locations' own estimates add up to {}.",
                p.sum_of_locations
            )
        }
    } else if ja {
        "保存済みのインベントリから作成したため、場所ごとの推定人数の合計です（同じ人が複数の場所にいれば多めに数えます）。名寄せした人数は、漏えいしたデータを piimap incident で直接スキャンして求めてください。".to_string()
    } else {
        "Made from a saved inventory, which keeps no identities: the sum of each location's estimate (a person in two locations counts twice). Scan the leaked data with piimap incident to match people across locations.".to_string()
    }
}

fn harm(a: &Assessment, ja: bool) -> String {
    let has = |c: Category| a.categories.iter().any(|l| l.category == c);
    let mut out: Vec<&str> = Vec::new();
    for (c, j, e) in [
        (
            Category::PaymentCard,
            "クレジットカードの不正利用のおそれ",
            "fraudulent use of the payment cards",
        ),
        (
            Category::BankAccount,
            "口座の不正利用・なりすましのおそれ（暗証番号等の漏えいの有無を確認）",
            "misuse of the bank accounts (check whether PINs or passwords leaked too)",
        ),
        (
            Category::MyNumber,
            "個人番号を用いたなりすましのおそれ",
            "impersonation with the My Numbers",
        ),
        (
            Category::Email,
            "フィッシングメール・迷惑メールのおそれ",
            "phishing and unsolicited e-mail",
        ),
        (Category::Phone, "迷惑電話・詐欺電話のおそれ", "nuisance and fraud calls"),
        (Category::Address, "ダイレクトメール・訪問のおそれ", "unsolicited mail and visits"),
    ] {
        if has(c) {
            out.push(if ja { j } else { e });
        }
    }
    if out.is_empty() {
        return if ja { FILL_JA.into() } else { FILL_EN.into() };
    }
    out.join(if ja { "、" } else { "; " })
}

/// The fields of the report to the Commission piimap can draft.
pub fn draft(a: &Assessment) -> Vec<DraftField> {
    let field =
        |field_ja, field_en, ja: String, en: String| DraftField { field_ja, field_en, ja, en };
    let fill = || (FILL_JA.to_string(), FILL_EN.to_string());
    let locations = a.locations.len();
    let cause = |ja| match a.cause {
        Cause::Unknown if ja => format!("調査中{FILL_JA}"),
        Cause::Unknown => format!("under investigation {FILL_EN}"),
        c => c.label(ja).to_string(),
    };
    let notified = match &a.notify_list {
        Some(list) => (
            format!(
                "通知先リストを作成済み（{}人分）。通知の実施状況を記入してください",
                list.people
            ),
            format!(
                "A notification list was made ({} people); add how they were notified",
                list.people
            ),
        ),
        None => fill(),
    };
    let rules: Vec<&str> = a.reasons.iter().map(|r| r.rule.as_str()).collect();
    let (fill_ja, fill_en) = fill();
    vec![
        field(
            "概要",
            "Summary",
            format!(
                "{}{locations}か所（ファイル・データベース等）に保存されていた{}分の個人データ（{}）が漏えいした、又はそのおそれがある。",
                match a.cause {
                    Cause::Unknown => "原因は調査中であるが、".to_string(),
                    c => format!("{}により、", c.label(true)),
                },
                people(a, true),
                categories(a, true)
            ),
            format!(
                "Personal data ({}) of {} people held in {locations} locations (files, databases …) leaked or may have leaked; cause: {}.",
                categories(a, false),
                people(a, false),
                a.cause.label(false)
            ),
        ),
        field(
            "漏えい等が発生し、又は発生したおそれがある個人データの項目",
            "Items of personal data that leaked or may have leaked",
            categories(a, true),
            categories(a, false),
        ),
        field(
            "漏えい等が発生し、又は発生したおそれがある個人データに係る本人の数",
            "Number of people whose personal data leaked or may have leaked",
            format!("{}（推定）", people(a, true)),
            format!("{} (estimated)", people(a, false)),
        ),
        field(
            "発生日時・発覚日時",
            "When it happened and was found",
            fill_ja.clone(),
            fill_en.clone(),
        ),
        field("原因", "Cause", cause(true), cause(false)),
        field(
            "二次被害又はそのおそれの有無及びその内容",
            "Secondary damage, or the risk of it",
            harm(a, true),
            harm(a, false),
        ),
        field("本人への対応の実施状況", "Action towards the people", notified.0, notified.1),
        field("公表の実施状況", "Publication", fill_ja.clone(), fill_en.clone()),
        field("再発防止のための措置", "Measures against recurrence", fill_ja, fill_en),
        field(
            "その他参考となる事項",
            "Other",
            format!(
                "{} による自動評価（規則: {}）。読み取れなかったもの {} 件。",
                a.tool,
                rules.join(", "),
                a.errors.len()
            ),
            format!(
                "Assessed by {} (rules: {}); {} items could not be read.",
                a.tool,
                rules.join(", "),
                a.errors.len()
            ),
        ),
    ]
}

/// A draft field's name: the form's own, with the English in English.
fn field(lang: Lang, f: &DraftField) -> String {
    match lang {
        Lang::Ja => f.field_ja.to_string(),
        Lang::En => format!("{} ({})", f.field_en, f.field_ja),
    }
}

fn decision(lang: Lang, d: Decision) -> &'static str {
    match d {
        Decision::Mandatory => lang.pick(
            "報告義務あり：個人情報保護委員会への報告（速報・確報）と本人への通知が必要です",
            "Mandatory: report to the Personal Information Protection Commission (preliminary and final reports) and notify each person",
        ),
        Decision::Recommended => lang.pick(
            "報告義務なし（本人への通知を推奨）",
            "Not mandatory: notifying the people is recommended",
        ),
        Decision::NotRequired => lang.pick(
            "対応不要：個人を識別できる個人データは見つかりませんでした",
            "Not required: no personal data identifying a person was found",
        ),
    }
}

fn rule_decision(lang: Lang, d: RuleDecision) -> &'static str {
    match d {
        RuleDecision::Mandatory => lang.pick("報告義務", "mandatory"),
        RuleDecision::Recommended => lang.pick("推奨", "recommended"),
        RuleDecision::Check => lang.pick("要確認", "check"),
    }
}

fn special(lang: Lang, s: Option<&str>) -> &'static str {
    match s {
        Some("specific_personal_information") => {
            lang.pick("特定個人情報", "specific personal information")
        }
        Some("financial") => lang.pick("財産的被害のおそれ", "risk of financial damage"),
        Some("government_id") => lang.pick("公的な識別番号", "government id"),
        _ => "",
    }
}

fn pick(lang: Lang, d: &crate::detect::catalog::Description) -> &str {
    match lang {
        Lang::Ja => &d.ja,
        Lang::En => &d.en,
    }
}

/// Writes `a` in `format`.
pub fn write(
    a: &Assessment,
    format: IncidentFormat,
    lang: Lang,
    out: &mut dyn Write,
) -> io::Result<()> {
    match format {
        IncidentFormat::Json => {
            #[derive(Serialize)]
            struct Json<'a> {
                #[serde(flatten)]
                assessment: &'a Assessment,
                draft: Vec<DraftField>,
            }
            serde_json::to_writer_pretty(&mut *out, &Json { assessment: a, draft: draft(a) })?;
            writeln!(out)
        }
        IncidentFormat::Text => text(a, lang, out),
        IncidentFormat::Markdown => markdown(a, lang, out),
        IncidentFormat::Html => html(a, lang, out),
    }
}

fn text(a: &Assessment, lang: Lang, out: &mut dyn Write) -> io::Result<()> {
    let ja = lang == Lang::Ja;
    writeln!(out, "{}", decision(lang, a.decision))?;
    for r in &a.reasons {
        writeln!(
            out,
            "  [{}] {} — {} ({})",
            rule_decision(lang, r.decision),
            r.rule,
            pick(lang, &r.reason),
            pick(lang, &r.basis)
        )?;
    }
    writeln!(
        out,
        "{}: {}  ({}: {})",
        lang.pick("本人の数", "People"),
        people(a, ja),
        lang.pick("原因", "cause"),
        a.cause.label(ja)
    )?;
    writeln!(out, "  {}", method(a, ja))?;
    writeln!(out, "{}:", lang.pick("漏えいした項目", "Categories"))?;
    for c in &a.categories {
        let class = special(lang, c.special);
        writeln!(
            out,
            "  {:<12} {:>8} {}  {:>4} {}{}",
            lang.category(c.category),
            c.findings,
            lang.pick("件", "values"),
            c.locations,
            lang.pick("か所", "locations"),
            if class.is_empty() { String::new() } else { format!("  [{class}]") }
        )?;
    }
    writeln!(out, "{}:", lang.pick("場所ごと", "By location"))?;
    for l in &a.locations {
        writeln!(
            out,
            "  {}  {} {}  {}",
            super::printable(&l.path),
            l.people,
            lang.pick("人", "people"),
            category_list(lang, l.categories.keys())
        )?;
    }
    gaps(a, lang, out, |out, path, reason| {
        writeln!(out, "  {}: {}", super::printable(path), super::printable(reason))
    })?;
    if let Some(list) = &a.notify_list {
        writeln!(out, "{}", notify_note(list, lang))?;
    }
    writeln!(out, "{}:", lang.pick("報告書の下書き", "Draft report"))?;
    for f in draft(a) {
        writeln!(out, "  {}: {}", f.field_ja, f.ja)?;
        if !ja {
            writeln!(out, "    {}: {}", f.field_en, f.en)?;
        }
    }
    Ok(())
}

fn notify_note(list: &crate::incident::NotifyList, lang: Lang) -> String {
    let raw = if list.raw {
        lang.pick(
            "連絡先の実際の値を含みます。厳重に管理してください",
            "it holds raw contact points: keep it safe",
        )
    } else {
        lang.pick(
            "マスクした値と鍵付きフィンガープリントのみ",
            "masked values and keyed fingerprints only",
        )
    };
    let short = if list.truncated {
        lang.pick("（上限に達したため一部のみ）", " (capped: not everyone is listed)")
    } else {
        ""
    };
    format!(
        "{} {} ({} {}; {raw}){short}",
        lang.pick("通知先リストを書き出しました:", "Notification list written:"),
        list.path,
        list.people,
        lang.pick("人", "people")
    )
}

fn gaps(
    a: &Assessment,
    lang: Lang,
    out: &mut dyn Write,
    line: impl Fn(&mut dyn Write, &str, &str) -> io::Result<()>,
) -> io::Result<()> {
    for (title, list) in [
        (lang.pick("読み取れなかったもの", "Could not be read"), &a.errors),
        (lang.pick("スキップしたもの", "Skipped"), &a.skipped),
    ] {
        if !list.is_empty() {
            writeln!(out, "{title}:")?;
            for g in list {
                line(out, &g.path, &g.reason)?;
            }
        }
    }
    Ok(())
}

/// A Markdown table cell: pipes and line breaks would end it.
fn cell(s: &str) -> String {
    super::printable(&s.replace(['\n', '\r'], " ")).replace('|', "\\|")
}

fn markdown(a: &Assessment, lang: Lang, out: &mut dyn Write) -> io::Result<()> {
    let ja = lang == Lang::Ja;
    writeln!(
        out,
        "# {}\n",
        lang.pick("個人データ漏えい等の評価", "Personal data leak assessment")
    )?;
    writeln!(out, "**{}**\n", decision(lang, a.decision))?;
    writeln!(
        out,
        "| {} | {} | {} |",
        lang.pick("規則", "Rule"),
        lang.pick("判定", "Decision"),
        lang.pick("理由と根拠", "Reason and basis")
    )?;
    writeln!(out, "|---|---|---|")?;
    for r in &a.reasons {
        writeln!(
            out,
            "| `{}` | {} | {} ({}) |",
            r.rule,
            rule_decision(lang, r.decision),
            cell(pick(lang, &r.reason)),
            cell(pick(lang, &r.basis))
        )?;
    }
    writeln!(
        out,
        "\n## {}\n\n{}\n\n{}\n",
        lang.pick("本人の数", "People"),
        people(a, ja),
        method(a, ja)
    )?;
    writeln!(out, "## {}\n", lang.pick("漏えいした項目", "Categories"))?;
    writeln!(
        out,
        "| {} | {} | {} | |",
        lang.pick("項目", "Category"),
        lang.pick("件数", "Values"),
        lang.pick("場所", "Locations")
    )?;
    writeln!(out, "|---|---:|---:|---|")?;
    for c in &a.categories {
        writeln!(
            out,
            "| {} | {} | {} | {} |",
            lang.category(c.category),
            c.findings,
            c.locations,
            special(lang, c.special)
        )?;
    }
    writeln!(out, "\n## {}\n", lang.pick("報告書の下書き", "Draft report"))?;
    writeln!(
        out,
        "| {} | {} | English |",
        lang.pick("項目", "Field"),
        lang.pick("記入案", "Draft (Japanese)")
    )?;
    writeln!(out, "|---|---|---|")?;
    for f in draft(a) {
        writeln!(out, "| {} | {} | {} |", field(lang, &f), cell(&f.ja), cell(&f.en))?;
    }
    writeln!(out, "\n## {}\n", lang.pick("場所ごと", "By location"))?;
    writeln!(
        out,
        "| {} | {} | {} | {} |",
        lang.pick("場所", "Location"),
        lang.pick("人数", "People"),
        lang.pick("件数", "Records"),
        lang.pick("項目", "Categories")
    )?;
    writeln!(out, "|---|---:|---:|---|")?;
    for l in &a.locations {
        writeln!(
            out,
            "| `{}` | {} | {} | {} |",
            cell(&l.path),
            l.people,
            l.records,
            category_list(lang, l.categories.keys())
        )?;
    }
    if !a.errors.is_empty() || !a.skipped.is_empty() {
        writeln!(out)?;
    }
    gaps(a, lang, out, |out, path, reason| writeln!(out, "- `{}`: {}", cell(path), cell(reason)))?;
    if let Some(list) = &a.notify_list {
        writeln!(out, "\n{}", notify_note(list, lang))?;
    }
    Ok(())
}

/// A section of the page: its title, then a table of `rows` (each row's
/// cells, escaped already).
fn table(
    out: &mut dyn Write,
    lang: Lang,
    (title_ja, title_en): (&'static str, &'static str),
    id: &str,
    headers: &[(&'static str, &'static str)],
    rows: impl Iterator<Item = String>,
) -> io::Result<()> {
    writeln!(out, "<h2>{}</h2>", esc(lang.pick(title_ja, title_en)))?;
    let headers: Vec<&str> = headers.iter().map(|&(ja, en)| lang.pick(ja, en)).collect();
    table_head(out, id, &headers)?;
    for row in rows {
        writeln!(out, "<tr>{row}</tr>")?;
    }
    writeln!(out, "</tbody></table>")
}

/// The decision as a banner: red when a report is due.
const DECISION_STYLE: &str = "#decision{padding:.8em 1em;border-radius:6px;font-size:1.15em}\
#decision.mandatory{background:#fde8e8;color:#8b0000}#decision.recommended{background:#fff4d6}\
#decision.not_required{background:#e8f5e9}";

fn html(a: &Assessment, lang: Lang, out: &mut dyn Write) -> io::Result<()> {
    let ja = lang == Lang::Ja;
    let title = lang.pick("個人データ漏えい等の評価", "Personal data leak assessment");
    write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"{}\"><head><meta charset=\"utf-8\">\
<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\
<title>{}</title><style>{STYLE}{DECISION_STYLE}</style></head><body>\n<h1>{}</h1>\n",
        lang.code(),
        esc(title),
        esc(title)
    )?;
    writeln!(
        out,
        "<p id=\"decision\" class=\"{}\"><b>{}</b></p>",
        a.decision.id(),
        esc(decision(lang, a.decision))
    )?;
    writeln!(
        out,
        "<div class=\"cards\" id=\"summary\"><div class=\"card\"><b>{}</b>{}</div>\
<div class=\"card\"><b>{}</b>{}</div><div class=\"card\"><b>{}</b>{}</div>\
<div class=\"card\"><b>{}</b>{}</div></div>",
        esc(&people(a, ja)),
        lang.pick("本人の数（推定）", "people (estimated)"),
        a.categories.len(),
        lang.pick("漏えいした項目", "categories"),
        a.locations.len(),
        lang.pick("場所", "locations"),
        a.errors.len(),
        lang.pick("読み取れなかったもの", "not readable"),
    )?;
    let reasons = a.reasons.iter().map(|r| {
        format!(
            "<td><code>{}</code></td><td>{}</td><td>{}</td><td>{}</td>",
            esc(&r.rule),
            rule_decision(lang, r.decision),
            esc(pick(lang, &r.reason)),
            esc(pick(lang, &r.basis))
        )
    });
    let headers = [("規則", "Rule"), ("判定", "Decision"), ("理由", "Reason"), ("根拠", "Basis")];
    table(out, lang, ("判定の理由", "Why"), "reasons", &headers, reasons)?;
    writeln!(
        out,
        "<h2>{}</h2><p id=\"method\">{}</p>",
        lang.pick("本人の数の推定方法", "How people were counted"),
        esc(&method(a, ja))
    )?;
    let categories = a.categories.iter().map(|c| {
        format!(
            "<td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td>{}</td>",
            esc(lang.category(c.category)),
            c.findings,
            c.locations,
            esc(special(lang, c.special))
        )
    });
    let headers =
        [("項目", "Category"), ("件数", "Values"), ("場所", "Locations"), ("区分", "Class")];
    table(out, lang, ("漏えいした項目", "Categories"), "categories", &headers, categories)?;
    let fields = draft(a).into_iter().map(|f| {
        format!("<td>{}</td><td>{}</td><td>{}</td>", esc(&field(lang, &f)), esc(&f.ja), esc(&f.en))
    });
    let title = ("報告書の下書き（個人情報保護委員会）", "Draft report to the Commission");
    let headers = [("項目", "Field"), ("記入案", "Draft (Japanese)"), ("English", "English")];
    table(out, lang, title, "draft", &headers, fields)?;
    let locations = a.locations.iter().map(|l| {
        format!(
            "<td><code>{}</code></td><td class=\"n\">{}</td><td class=\"n\">{}</td><td>{}</td>",
            esc(&l.path),
            l.people,
            l.records,
            esc(&category_list(lang, l.categories.keys()))
        )
    });
    let headers =
        [("場所", "Location"), ("人数", "People"), ("件数", "Records"), ("項目", "Categories")];
    table(out, lang, ("場所ごとの内容", "What leaked where"), "locations", &headers, locations)?;
    for (id, title, list) in [
        ("errors", lang.pick("読み取れなかったもの", "Could not be read"), &a.errors),
        ("skipped", lang.pick("スキップしたもの", "Skipped"), &a.skipped),
    ] {
        if !list.is_empty() {
            writeln!(out, "<h2>{}</h2><ul id=\"{id}\">", esc(title))?;
            for g in list {
                writeln!(out, "<li><code>{}</code>: {}</li>", esc(&g.path), esc(&g.reason))?;
            }
            writeln!(out, "</ul>")?;
        }
    }
    if let Some(list) = &a.notify_list {
        writeln!(out, "<p id=\"notify\">{}</p>", esc(&notify_note(list, lang)))?;
    }
    writeln!(out, "<footer>{}</footer></body></html>", esc(&a.tool))
}

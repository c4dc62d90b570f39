//! Column classification: what a column of a table holds — a database
//! table, a CSV/TSV file or a spreadsheet sheet alike — judged from its
//! header (the synonyms of `patterns/columns.toml`) together with the share
//! of its values the detectors confirmed. The result is one column-level
//! finding per (column, category), beside the cell findings it sums up.
//!
//! This stage runs after detection and knows nothing of where the table came
//! from: it sees the column names, how many values each column had, and the
//! findings of the table's rows (their `field` and `record`) as they stream
//! by, keeping counters per (column, category) — never the findings — so a
//! table of any length is classified in bounded memory.

use std::collections::BTreeMap;
use std::sync::{Arc, OnceLock};

use crate::finding::{Category, Confidence, Finding};
use crate::read::delimited::may_be_space;

/// What a column finding (`detector = "column"`) is, for reports that
/// describe their rules.
pub const DESCRIPTION_EN: &str =
    "A table column classified by its header and the share of its values found";
/// The same in Japanese.
pub const DESCRIPTION_JA: &str = "列名と検出された値の割合から分類した表の列";

/// Header synonyms per category (`patterns/columns.toml`).
#[derive(Debug)]
pub struct ColumnRules(Vec<(Category, Vec<String>)>);

impl ColumnRules {
    /// The built-in synonyms, parsed once per process.
    pub fn builtin() -> Result<&'static ColumnRules, String> {
        static RULES: OnceLock<Result<ColumnRules, String>> = OnceLock::new();
        RULES.get_or_init(ColumnRules::parse).as_ref().map_err(Clone::clone)
    }

    fn parse() -> Result<ColumnRules, String> {
        #[derive(serde::Deserialize)]
        #[serde(deny_unknown_fields)]
        struct File {
            columns: BTreeMap<Category, Vec<String>>,
        }
        let file: File = toml::from_str(include_str!("../patterns/columns.toml"))
            .map_err(|e| format!("columns.toml: {e}"))?;
        Ok(ColumnRules(
            file.columns
                .into_iter()
                .map(|(c, words)| (c, words.iter().map(|w| crate::detect::header_key(w)).collect()))
                .collect(),
        ))
    }

    /// Whether a column header names `category`.
    pub fn names(&self, header: &str, category: Category) -> bool {
        let key = crate::detect::header_key(header);
        self.0.iter().filter(|(c, _)| *c == category).any(|(_, words)| matches(&key, words))
    }

    /// Whether `label` names any category (a label of a form field or a
    /// column header).
    pub fn names_any(&self, label: &str) -> bool {
        let key = crate::detect::header_key(label);
        !key.is_empty() && self.0.iter().any(|(_, words)| matches(&key, words))
    }
}

/// Whether a folded header `key` is one of `words`: equal to an ASCII word,
/// holding a Japanese one.
fn matches(key: &str, words: &[String]) -> bool {
    words.iter().any(|w| if w.is_ascii() { key == *w } else { key.contains(w.as_str()) })
}

/// One table, as classification sees it.
#[derive(Debug)]
pub struct Table<'a> {
    /// The location the column findings belong to.
    pub path: &'a Arc<str>,
    /// The column names, in order.
    pub columns: &'a [Arc<str>],
    /// Per column, how many of the read rows had a value in it.
    pub filled: &'a [usize],
    /// The line (row) of the header, for files; `None` for databases.
    pub header_line: Option<u64>,
    /// The sheet, for a workbook.
    pub sheet: Option<&'a Arc<str>>,
}

/// Per (column, category): how many rows had a finding of the category in
/// the column, and the first three of them, from the findings of a table's
/// rows as they go by (in row order).
#[derive(Debug, Default)]
pub struct Found(rustc_hash::FxHashMap<(Arc<str>, Category), Rows>);

/// The rows of one (column, category).
#[derive(Debug, Default)]
struct Rows {
    count: usize,
    last: Option<u64>,
    examples: Vec<String>,
}

impl Found {
    /// Counts the findings of some rows; a row is counted once however many
    /// findings it has in the column.
    pub fn add(&mut self, findings: &[Finding]) {
        for f in findings {
            let (Some(field), Some(record)) = (&f.field, f.record) else { continue };
            let rows = self.0.entry((Arc::clone(field), f.category)).or_default();
            if rows.last != Some(record) {
                rows.last = Some(record);
                rows.count += 1;
                if rows.examples.len() < 3 {
                    rows.examples.push(f.row.clone().unwrap_or_else(|| record.to_string()));
                }
            }
        }
    }
}

/// Column-level findings: a column is classified as a category when at
/// least half of its non-empty values are findings of it, or when its header
/// names the category and at least a tenth are. The finding's `masked` is
/// `found/values`; its reasons give the counts, the header and the first
/// three rows (database row keys, or row/line numbers).
pub fn classify(table: &Table<'_>, found: &Found, rules: &ColumnRules) -> Vec<Finding> {
    let mut out = Vec::new();
    for (column, &filled) in table.columns.iter().zip(table.filled) {
        if filled == 0 {
            continue;
        }
        for category in Category::ALL {
            let Some(rows) = found.0.get(&(Arc::clone(column), category)) else { continue };
            let share = rows.count as f64 / filled as f64;
            let named = rules.names(column, category);
            if share < 0.5 && !(named && share >= 0.1) {
                continue;
            }
            let mut reasons = vec![format!(
                "values: {} of {filled} / 値 {filled} 件中 {} 件",
                rows.count, rows.count
            )];
            if named {
                reasons.push(format!("header: {column} / 列名"));
            }
            reasons.push(format!("rows: {}", rows.examples.join(", ")));
            let confidence =
                if named && share >= 0.5 { Confidence::High } else { Confidence::Medium };
            let mut finding = Finding::about_item(
                Arc::clone(table.path),
                category,
                "column",
                Some(Arc::clone(column)),
                confidence,
                format!("{}/{filled}", rows.count),
                reasons,
            );
            finding.line = table.header_line;
            finding.sheet = table.sheet.cloned();
            out.push(finding);
        }
    }
    out
}

/// Counts, per column, the rows that have a value in it.
#[derive(Debug, Default)]
pub struct Filled(pub Vec<usize>);

impl Filled {
    /// Counts the value of one row in `column`.
    pub fn value(&mut self, column: usize, value: &str) {
        if column >= self.0.len() {
            self.0.resize(column + 1, 0);
        }
        // Told by the first byte where that starts no whitespace: a
        // table's values come trimmed, and trimming each again was 0.7%
        // of a customer table's scan.
        let filled = match value.as_bytes().first() {
            Some(&b) if !may_be_space(b) => true,
            Some(_) => !value.trim().is_empty(),
            None => false,
        };
        self.0[column] += usize::from(filled);
    }

    /// Adds the counts of another part of the same table.
    pub fn add(&mut self, other: &Filled) {
        if other.0.len() > self.0.len() {
            self.0.resize(other.0.len(), 0);
        }
        for (n, m) in self.0.iter_mut().zip(&other.0) {
            *n += m;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cell(column: &str, category: Category, record: u64) -> Finding {
        let mut f = Finding::about_item(
            Arc::from("t.csv"),
            category,
            "jp.phone",
            Some(Arc::from(column)),
            Confidence::High,
            String::new(),
            vec![],
        );
        f.record = Some(record);
        f
    }

    #[test]
    fn header_and_share_decide() {
        let rules = ColumnRules::builtin().unwrap();
        assert!(rules.names("お客様電話番号", Category::Phone));
        assert!(rules.names("TEL", Category::Phone));
        assert!(!rules.names("hotel", Category::Phone));
        let path: Arc<str> = Arc::from("t.csv");
        let columns: Vec<Arc<str>> = vec![Arc::from("電話番号"), Arc::from("備考")];
        // 電話番号: 2 of 10 values (named, ≥ 10%); 備考: 2 of 10 (not named, < 50%).
        let findings = [
            cell("電話番号", Category::Phone, 2),
            cell("電話番号", Category::Phone, 2),
            cell("電話番号", Category::Phone, 3),
            cell("備考", Category::Phone, 4),
            cell("備考", Category::Phone, 5),
        ];
        let table = Table {
            path: &path,
            columns: &columns,
            filled: &[10, 10],
            header_line: Some(1),
            sheet: None,
        };
        let mut found = Found::default();
        found.add(&findings);
        let out = classify(&table, &found, rules);
        assert_eq!(out.len(), 1);
        assert_eq!(out[0].field.as_deref(), Some("電話番号"));
        assert_eq!(out[0].masked, "2/10");
        assert_eq!(out[0].line, Some(1));
        assert_eq!(out[0].confidence, Confidence::Medium);
        assert!(out[0].reasons.contains(&"rows: 2, 3".to_string()), "{:?}", out[0].reasons);
        // Most values confirmed: classified without a naming header.
        let out = classify(&Table { filled: &[10, 3], ..table }, &found, rules);
        assert_eq!(out.len(), 2);
        assert_eq!(out[1].field.as_deref(), Some("備考"));
    }

    #[test]
    fn filled_counts_non_empty_values() {
        let mut filled = Filled::default();
        // Whitespace in and past ASCII, and values that start with it.
        for row in [
            &["a", "", "c", "\u{3000}", "山田"][..],
            &["a", " ", "\t\u{a0}", " \u{3000}x", "\u{2003}"],
            &["", "\u{85}", "\u{3000}\u{3001}", "\u{1680}", "\u{feff}"],
        ] {
            row.iter().enumerate().for_each(|(i, v)| filled.value(i, v));
        }
        assert_eq!(filled.0, [2, 0, 2, 1, 2]);
        filled.add(&Filled(vec![1, 1, 1, 1, 1, 1]));
        assert_eq!(filled.0, [3, 1, 3, 2, 3, 1]);
    }
}

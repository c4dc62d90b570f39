//! The pattern self-test: every detector's examples must be found and its
//! negative examples must not, through the whole detector (regex, guard,
//! validator and context), exactly as a scan would see them.
//!
//! Used by `cargo test`, by `piimap patterns check` (for people writing their
//! own pattern files) and nowhere else.

use super::DetectorSet;
use super::catalog::Catalog;
use crate::scan::{Evidence, scan_bytes};

/// One thing wrong with one detector.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// The detector id (or `*` for the whole set).
    pub detector: String,
    /// What is wrong.
    pub message: String,
}

/// Checks every detector in `catalog` and returns all problems (not just the
/// first), so an author sees everything at once.
pub fn check(catalog: &Catalog) -> Vec<Problem> {
    let mut problems = Vec::new();
    let mut problem =
        |id: &str, message: String| problems.push(Problem { detector: id.to_string(), message });
    for spec in &catalog.specs {
        if !valid_id(&spec.id) {
            problem(
                &spec.id,
                "id must be kebab-case ascii, optionally with a country prefix (`jp.`)".into(),
            );
        }
        if spec.description.ja.trim().is_empty() || spec.description.en.trim().is_empty() {
            problem(&spec.id, "description needs both ja and en".into());
        }
        if spec.examples.is_empty() || spec.negative_examples.is_empty() {
            problem(&spec.id, "needs at least one example and one negative example".into());
        }
        if let Some(why) = lint_pattern(&spec.pattern) {
            problem(&spec.id, why.into());
        }
    }
    let set = match DetectorSet::new(catalog) {
        Ok(set) => set,
        Err(e) => {
            problem("*", e.to_string());
            return problems;
        }
    };
    for spec in &catalog.specs {
        for example in &spec.examples {
            let (text, marked) = unmark(example);
            let found = findings_of(&set, &spec.id, &text);
            let ok = match marked {
                Some(value) => found.contains(&value),
                None => !found.is_empty(),
            };
            if !ok {
                problem(
                    &spec.id,
                    format!("example not found as marked: {example:?} (found {found:?})"),
                );
            }
        }
        for negative in &spec.negative_examples {
            let found = findings_of(&set, &spec.id, negative);
            if !found.is_empty() {
                problem(
                    &spec.id,
                    format!("negative example matched: {negative:?} (found {found:?})"),
                );
            }
        }
    }
    problems
}

/// The values detector `id` reports in `text`.
fn findings_of(set: &DetectorSet, id: &str, text: &str) -> Vec<String> {
    let evidence = Evidence { show_values: true, ..Evidence::default() };
    scan_bytes(set, "example.txt", text.as_bytes(), &evidence)
        .findings
        .into_iter()
        .filter(|f| &*f.detector == id)
        .filter_map(|f| f.value)
        .collect()
}

/// Splits `a «b» c` into `a b c` and `b`.
fn unmark(example: &str) -> (String, Option<String>) {
    match (example.find('«'), example.find('»')) {
        (Some(s), Some(e)) if s < e => {
            let value = &example[s + '«'.len_utf8()..e];
            let text = format!("{}{}{}", &example[..s], value, &example[e + '»'.len_utf8()..]);
            (text, Some(value.to_string()))
        }
        _ => (example.to_string(), None),
    }
}

/// `kebab-case`, optionally behind a namespace: a country (`jp.`) or, for user
/// patterns, an organisation (`acme.`).
fn valid_id(id: &str) -> bool {
    let body = match id.split_once('.') {
        Some((ns, body)) if !ns.is_empty() && ns.bytes().all(|b| b.is_ascii_lowercase()) => body,
        Some(_) => return false,
        None => id,
    };
    !body.is_empty()
        && body.split('-').all(|w| {
            !w.is_empty() && w.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        })
}

/// Regex features that misbehave on Japanese text or across lines.
fn lint_pattern(pattern: &str) -> Option<&'static str> {
    let unicode_boundary = pattern.replace("(?-u:\\b)", "").contains("\\b");
    if unicode_boundary {
        Some("`\\b` fails next to kanji and is slow on CJK text: use a guard or `(?-u:\\b)`")
    } else if pattern.contains("\\d") {
        Some("`\\d` matches every script's digits: write `[0-9]` (text is folded to ASCII first)")
    } else if pattern.contains("\\s") || pattern.contains("\\w") {
        Some("`\\s`/`\\w` cross lines or match kanji: name the characters (`[ \\t]`)")
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn helpers() {
        assert_eq!(
            unmark("TEL «03-1234-5678» まで"),
            ("TEL 03-1234-5678 まで".into(), Some("03-1234-5678".into()))
        );
        assert!(valid_id("jp.my-number") && valid_id("email") && valid_id("acme.customer-id"));
        assert!(!valid_id("Email") && !valid_id("jp.") && !valid_id("a.b.c") && !valid_id("x--y"));
        assert!(lint_pattern("(?-u:\\b)[A-Z]{2}").is_none());
        assert!(lint_pattern("\\b[0-9]").is_some());
    }
}

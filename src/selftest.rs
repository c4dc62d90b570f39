//! The self-test of the data that drives detection: every detector's
//! examples must be found and its negative examples must not, through the
//! whole detector (regex, guard, validator and context), and every
//! combination rule must fire on its examples and not on its negative
//! ones — each exactly as a scan sees them, through [`crate::scan::scan_text`].
//!
//! It sits above the pipeline it tests, so no stage calls back up into the
//! scan. Used by `cargo test`, by `piimap patterns check` (for people writing
//! their own pattern files) and nowhere else.

use std::collections::HashSet;

use crate::detect::DetectorSet;
use crate::detect::catalog::Catalog;
use crate::scan::{Evidence, scan_text};

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
    scan_text(set, "example.txt", text.as_bytes(), &evidence)
        .into_iter()
        .filter(|f| &*f.detector == id)
        .filter_map(|f| f.value)
        .collect()
}

/// Runs every combination rule's examples through a whole scan: each example
/// must fire its rule, each negative example must not.
pub fn check_combinations(rules: &crate::identify::Rules, detectors: &DetectorSet) -> Vec<Problem> {
    let mut problems = Vec::new();
    let mut problem = |id: &str, message: String| {
        problems.push(Problem { detector: format!("combination {id}"), message });
    };
    let mut ids = HashSet::new();
    for rule in &rules.rules {
        if !ids.insert(rule.id.as_str()) {
            problem(&rule.id, "defined twice".into());
        }
        if rule.all.is_empty() && rule.any.is_empty() {
            problem(&rule.id, "needs `all` or `any`".into());
        }
        if rule.examples.is_empty() || rule.negative_examples.is_empty() {
            problem(&rule.id, "needs at least one example and one negative example".into());
        }
        let fired = |text: &str| {
            let mut findings =
                scan_text(detectors, "example.txt", text.as_bytes(), &Evidence::default());
            rules.identify(&mut findings).rules.contains(&rule.id)
        };
        for example in &rule.examples {
            if !fired(example) {
                problem(&rule.id, format!("example does not fire: {example:?}"));
            }
        }
        for negative in &rule.negative_examples {
            if fired(negative) {
                problem(&rule.id, format!("negative example fires: {negative:?}"));
            }
        }
    }
    problems
}

/// Checks the data-subject matching rules: every example record, scanned
/// like a file, must match its query with exactly the strength and rules it
/// states (or not at all), and every rule must be exercised by an example.
pub fn check_subject(rules: &crate::subject::Rules, detectors: &DetectorSet) -> Vec<Problem> {
    use crate::subject::{IndexKey, Query, Strength, records};
    let mut problems = Vec::new();
    let mut problem = |id: &str, message: String| {
        problems.push(Problem { detector: format!("subject {id}"), message });
    };
    let mut ids = HashSet::new();
    for rule in &rules.rules {
        if !ids.insert(rule.id.as_str()) {
            problem(&rule.id, "defined twice".into());
        }
    }
    let mut exercised = HashSet::new();
    let evidence = Evidence { show_values: true, ..Evidence::default() };
    for (n, example) in rules.examples.iter().enumerate() {
        let query = match Query::new(&example.query, IndexKey::random(), true) {
            Ok(q) => q,
            Err(e) => {
                problem(&format!("example {}", n + 1), e);
                continue;
            }
        };
        // Read by content, as a file would be: a header row makes a table.
        let findings = scan_text(detectors, "example.txt", example.record.as_bytes(), &evidence);
        let best: Option<(Strength, Vec<String>)> = records(&findings, query.key(), false)
            .into_iter()
            .filter_map(|(_, _, mut values)| rules.judge(&query, &mut values))
            .max();
        if let Some((_, ids)) = &best {
            exercised.extend(ids.iter().cloned());
        }
        let expected = example.strength.map(|s| (s, example.rules.clone()));
        if best != expected {
            problem(
                &format!("example {}", n + 1),
                format!("{:?}: expected {expected:?}, matched {best:?}", example.record),
            );
        }
    }
    for rule in &rules.rules {
        if !exercised.contains(&rule.id) {
            problem(&rule.id, "no example matches by this rule".into());
        }
    }
    problems
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
    use crate::finding::Category;

    #[test]
    fn a_label_on_the_next_line_belongs_to_the_number_there() {
        let set = DetectorSet::load(&[]).unwrap();
        let evidence = crate::scan::Evidence { show_values: true, key: None };
        let postal = |t: &str| -> Vec<String> {
            crate::scan::scan_text(&set, "t.txt", t.as_bytes(), &evidence)
                .into_iter()
                .filter(|f| f.category == Category::PostalCode)
                .filter_map(|f| f.value)
                .collect()
        };
        assert_eq!(postal("注文 555-0123\n〒150-0002\n"), ["150-0002"]);
        // With no number after it, the next line still speaks for the value.
        assert_eq!(postal("150-0002\n東京都渋谷区渋谷2-21-1\n"), ["150-0002"]);
    }

    #[test]
    fn full_width_headers_and_keywords_are_folded() {
        let set = DetectorSet::load(&[]).unwrap();
        let found = |text: &str| {
            crate::scan::scan_text(&set, "t.txt", text.as_bytes(), &Default::default())
                .iter()
                .map(|f| f.detector.to_string())
                .collect::<Vec<_>>()
        };
        // The two columns are classified too (a value each, both headers name them).
        assert_eq!(
            found("ＴＥＬ,氏名\n09012345678,山田\n"),
            ["column", "column", "jp.phone-digits", "jp.name-kanji"]
        );
        assert_eq!(found("ＴＥＬ：09012345678\n"), ["jp.phone-digits"]);
        // Without the header a landline's digits are no phone; a mobile's
        // are, at low confidence (they stand bare in logs).
        assert!(found("0312345678\n").is_empty());
        assert_eq!(found("09012345678\n"), ["jp.mobile-digits"]);
    }

    #[test]
    fn built_in_combination_rules_hold_their_examples() {
        let rules = crate::identify::Rules::builtin().unwrap();
        let detectors = DetectorSet::load(&[]).unwrap();
        assert_eq!(check_combinations(rules, &detectors), []);
    }

    #[test]
    fn built_in_subject_rules_hold_their_examples() {
        let rules = crate::subject::Rules::builtin().unwrap();
        let detectors = DetectorSet::load(&[]).unwrap();
        assert_eq!(check_subject(rules, &detectors), []);
    }

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

//! Test-data recognition: whether a found value is a well-known dummy
//! (a documentation domain, a placeholder phone number, a published test
//! card number, …), from the rules in `patterns/test-data.toml` and the
//! extra values of `.piimap.toml`.
//!
//! It only labels findings; the scan still reports them, so that nobody has
//! to guess why something was not flagged.

use regex_automata::meta::Regex;
use serde::Deserialize;
use std::borrow::Cow;

use super::normalize::fold_cow;
use crate::finding::{Category, ValueList, lowercase};

/// The built-in rules.
const BUILTIN: &str = include_str!("../../patterns/test-data.toml");

/// The reason given for a value listed in `.piimap.toml`.
const USER_REASON: &str =
    "test-data: listed in .piimap.toml (test_data.values) / .piimap.toml で試験用の値として登録";

/// What a rule's pattern sees.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
enum On {
    /// The value folded to ASCII, in lower case.
    Value,
    /// The value's ASCII digits.
    Digits,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RuleSpec {
    id: String,
    category: Category,
    on: On,
    pattern: String,
    ja: String,
    en: String,
    examples: Vec<String>,
    negative_examples: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    test_data: Vec<RuleSpec>,
}

#[derive(Debug)]
struct Rule {
    id: String,
    /// `test-data <id>: <en> / <ja>`, the finding's reason.
    reason: String,
    category: Category,
    on: On,
    regex: Regex,
}

/// The test-data rules, compiled.
#[derive(Debug)]
pub struct TestData {
    rules: Vec<Rule>,
    /// Extra values the project declares test data.
    values: ValueList,
}

impl TestData {
    /// The built-in rules, with their examples checked.
    pub fn builtin() -> Result<TestData, String> {
        let file: File = toml::from_str(BUILTIN).map_err(|e| e.to_string())?;
        let mut rules = Vec::new();
        let mut problems = Vec::new();
        for spec in file.test_data {
            let regex = Regex::new(&format!("^(?:{})$", spec.pattern))
                .map_err(|e| format!("{}: {e}", spec.id))?;
            let reason = format!("test-data {}: {} / {}", spec.id, spec.en, spec.ja);
            let rule = Rule { id: spec.id, reason, category: spec.category, on: spec.on, regex };
            for example in &spec.examples {
                if !rule.matches(&mut Forms::new(&fold_cow(example))) {
                    problems.push(format!("{}: example does not match: {example:?}", rule.id));
                }
            }
            for negative in &spec.negative_examples {
                if rule.matches(&mut Forms::new(&fold_cow(negative))) {
                    problems.push(format!("{}: negative example matches: {negative:?}", rule.id));
                }
            }
            rules.push(rule);
        }
        if problems.is_empty() {
            Ok(TestData { rules, values: ValueList::default() })
        } else {
            Err(problems.join("; "))
        }
    }

    /// Sets the values the project declares test data, in any category.
    pub fn set_values(&mut self, values: ValueList) {
        self.values = values;
    }

    /// Why `value`, found as `category`, is known test data, if it is;
    /// `folded` is the value as [`fold_cow`] folds it, which the finding
    /// has made already for its mask.
    pub fn recognise(&self, category: Category, value: &str, folded: &str) -> Option<&str> {
        // Asked of every finding: the forms of the value its category's rules
        // read are made once, for all of them, and only those (none for a
        // category without rules: names, dates, most of a table's findings).
        let mut rules = self.rules.iter().filter(|r| r.category == category).peekable();
        if rules.peek().is_some() {
            let mut forms = Forms::new(folded);
            if let Some(rule) = rules.find(|r| r.matches(&mut forms)) {
                return Some(&rule.reason);
            }
        }
        self.values.contains(value).then_some(USER_REASON)
    }
}

/// A value as the rules read it, each form made when first asked for.
struct Forms<'v> {
    folded: &'v str,
    /// Built once asked for; `Some(None)` when the folded value is its own
    /// lower case.
    lower: Option<Option<String>>,
    digits: Option<String>,
}

impl<'v> Forms<'v> {
    fn new(folded: &'v str) -> Forms<'v> {
        Forms { folded, lower: None, digits: None }
    }

    /// Folded and lower-cased.
    fn lower(&mut self) -> &str {
        let folded = self.folded;
        let lower = self.lower.get_or_insert_with(|| match lowercase(folded) {
            Cow::Borrowed(_) => None,
            Cow::Owned(lower) => Some(lower),
        });
        lower.as_deref().unwrap_or(folded)
    }

    /// Its ASCII digits, folded first (full-width digits count).
    fn digits(&mut self) -> &str {
        self.digits
            .get_or_insert_with(|| self.folded.chars().filter(char::is_ascii_digit).collect())
    }
}

impl Rule {
    fn matches(&self, forms: &mut Forms<'_>) -> bool {
        match self.on {
            On::Value => self.regex.is_match(forms.lower()),
            On::Digits => self.regex.is_match(forms.digits()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// [`TestData::recognise`] of a value as found.
    fn recognise(t: &TestData, category: Category, value: &str) -> Option<String> {
        t.recognise(category, value, &fold_cow(value)).map(str::to_string)
    }

    #[test]
    fn builtin_rules_pass_their_examples() {
        let t = TestData::builtin().expect("test-data.toml is valid and its examples hold");
        assert!(recognise(&t, Category::Email, "Jane@EXAMPLE.com").is_some());
        assert!(
            recognise(&t, Category::Phone, "jane@example.com").is_none(),
            "rules are per category"
        );
        assert!(
            recognise(&t, Category::Phone, "０９０−１２３４−５６７８").is_some(),
            "full-width folds"
        );
        assert!(recognise(&t, Category::Phone, "090-1111-2222").is_none());
    }

    #[test]
    fn user_values_compare_canonically() {
        let mut t = TestData::builtin().expect("valid");
        t.set_values(ValueList::new(["090-1111-2222"]));
        assert!(recognise(&t, Category::Phone, "09011112222").is_some());
        assert!(recognise(&t, Category::Phone, "０９０（１１１１）２２２２").is_some());
        assert!(recognise(&t, Category::Phone, "090-1111-2223").is_none());
    }
}

//! Test-data recognition: whether a found value is a well-known dummy
//! (a documentation domain, a placeholder phone number, a published test
//! card number, …), from the rules in `patterns/test-data.toml` and the
//! extra values of `.piimap.toml`.
//!
//! It only labels findings; the scan still reports them, so that nobody has
//! to guess why something was not flagged.

use regex_automata::Input;
use regex_automata::meta::{Cache, Regex};
use serde::Deserialize;
use std::borrow::Cow;
use std::sync::OnceLock;

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
    /// The built-in rules, compiled and their examples checked when a
    /// finding first asks ([`TestData::rules`]): a scan that finds nothing,
    /// as most runs of a CI check do, never builds their regexes (a
    /// fifteenth of start-up).
    rules: OnceLock<Vec<Rule>>,
    /// Extra values the project declares test data.
    values: ValueList,
}

/// Why a value is test data: the rule that knows it, or the project's list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Verdict(Option<u16>);

/// A worker's state for [`TestData::recognise`]: each rule's regex cache,
/// made when the rule first runs, and the buffers a value's forms are
/// written into. Without it, every worker but one took each regex's
/// cache from the regex's own pool, through its locked path (1.6% of a
/// scan of a customer table).
#[derive(Debug, Default)]
pub struct Scratch {
    caches: Vec<Option<Cache>>,
    lower: String,
    digits: String,
}

impl TestData {
    /// The built-in rules (compiled when first used).
    pub fn builtin() -> TestData {
        TestData { rules: OnceLock::new(), values: ValueList::default() }
    }

    /// The built-in rules, compiled.
    fn rules(&self) -> &[Rule] {
        self.rules.get_or_init(|| {
            compile(BUILTIN)
                .expect("patterns/test-data.toml compiles and its examples hold (tested)")
        })
    }

    /// Sets the values the project declares test data, in any category.
    pub fn set_values(&mut self, values: ValueList) {
        self.values = values;
    }

    /// Why `value`, found as `category`, is known test data, if it is;
    /// `folded` is the value as [`fold_cow`] folds it, which detection
    /// has made already for its subject key.
    pub fn recognise(
        &self,
        scratch: &mut Scratch,
        category: Category,
        value: &str,
        folded: &str,
    ) -> Option<Verdict> {
        // Asked of every finding: the forms of the value its category's rules
        // read are made once, for all of them, and only those (none for a
        // category without rules: names, dates, most of a table's findings).
        let Scratch { caches, lower, digits } = scratch;
        let all = self.rules();
        let mut rules = all.iter().enumerate().filter(|(_, r)| r.category == category).peekable();
        if rules.peek().is_some() {
            caches.resize_with(all.len(), || None);
            let mut forms = Forms::new(folded, lower, digits);
            for (i, rule) in rules {
                let cache = caches[i].get_or_insert_with(|| rule.regex.create_cache());
                if rule.matches(cache, &mut forms) {
                    return Some(Verdict(Some(i as u16)));
                }
            }
        }
        self.values.contains(value).then_some(Verdict(None))
    }

    /// The reason a finding gives for `verdict`.
    pub fn reason(&self, verdict: Verdict) -> &str {
        verdict.0.map_or(USER_REASON, |i| &self.rules()[usize::from(i)].reason)
    }
}

/// The rules of a test-data file's `text`, compiled, with their examples
/// checked.
fn compile(text: &str) -> Result<Vec<Rule>, String> {
    let file: File = toml::from_str(text).map_err(|e| e.to_string())?;
    let mut rules = Vec::new();
    let mut problems = Vec::new();
    let mut scratch = Scratch::default();
    for spec in file.test_data {
        let regex = Regex::new(&format!("^(?:{})$", spec.pattern))
            .map_err(|e| format!("{}: {e}", spec.id))?;
        let reason = format!("test-data {}: {} / {}", spec.id, spec.en, spec.ja);
        let rule = Rule { id: spec.id, reason, category: spec.category, on: spec.on, regex };
        // Checked with a cache of its own: a regex's pool belongs to
        // the first thread that uses it, and that should be a worker.
        let mut cache = rule.regex.create_cache();
        let mut matches = |value: &str| {
            let folded = fold_cow(value);
            let mut forms = Forms::new(&folded, &mut scratch.lower, &mut scratch.digits);
            rule.matches(&mut cache, &mut forms)
        };
        for example in &spec.examples {
            if !matches(example) {
                problems.push(format!("{}: example does not match: {example:?}", rule.id));
            }
        }
        for negative in &spec.negative_examples {
            if matches(negative) {
                problems.push(format!("{}: negative example matches: {negative:?}", rule.id));
            }
        }
        rules.push(rule);
    }
    if problems.is_empty() { Ok(rules) } else { Err(problems.join("; ")) }
}

/// A value as the rules read it, each form written into its buffer when
/// first asked for.
struct Forms<'v> {
    folded: &'v str,
    /// Made once asked for; `Some(false)` when the folded value is its own
    /// lower case (the buffer is not written).
    lower: Option<bool>,
    lower_buf: &'v mut String,
    /// Whether the digits are in their buffer.
    digits: bool,
    digits_buf: &'v mut String,
}

impl<'v> Forms<'v> {
    fn new(folded: &'v str, lower: &'v mut String, digits: &'v mut String) -> Forms<'v> {
        Forms { folded, lower: None, lower_buf: lower, digits: false, digits_buf: digits }
    }

    /// Folded and lower-cased.
    fn lower(&mut self) -> &str {
        let (folded, buf) = (self.folded, &mut *self.lower_buf);
        let own = *self.lower.get_or_insert_with(|| match lowercase(folded) {
            Cow::Borrowed(_) => false,
            Cow::Owned(lower) => {
                *buf = lower;
                true
            }
        });
        if own { self.lower_buf } else { folded }
    }

    /// Its ASCII digits, folded first (full-width digits count).
    fn digits(&mut self) -> &str {
        if !self.digits {
            self.digits_buf.clear();
            self.digits_buf.extend(self.folded.chars().filter(char::is_ascii_digit));
            self.digits = true;
        }
        self.digits_buf
    }
}

impl Rule {
    fn matches(&self, cache: &mut Cache, forms: &mut Forms<'_>) -> bool {
        let form = match self.on {
            On::Value => forms.lower(),
            On::Digits => forms.digits(),
        };
        self.regex.search_half_with(cache, &Input::new(form).earliest(true)).is_some()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// [`TestData::recognise`] of a value as found, with a fresh scratch.
    fn recognise(t: &TestData, category: Category, value: &str) -> Option<String> {
        let verdict = t.recognise(&mut Scratch::default(), category, value, &fold_cow(value));
        verdict.map(|v| t.reason(v).to_string())
    }

    #[test]
    fn builtin_rules_pass_their_examples() {
        assert!(compile(BUILTIN).is_ok(), "test-data.toml is valid and its examples hold");
        let t = TestData::builtin();
        assert!(t.rules.get().is_none(), "compiled when a finding first asks");
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
    fn a_rule_whose_examples_fail_is_reported() {
        let rule = |example: &str, negative: &str| {
            format!(
                "[[test_data]]\nid = \"zeros\"\ncategory = \"phone\"\non = \"digits\"\n\
                 pattern = \"0+\"\nja = \"ゼロ\"\nen = \"zeros\"\n\
                 examples = [\"{example}\"]\nnegative_examples = [\"{negative}\"]\n"
            )
        };
        assert_eq!(compile(&rule("000-0000", "000-0001")).map(|r| r.len()), Ok(1));
        let problems = compile(&rule("000-0001", "000-0000")).unwrap_err();
        assert!(problems.contains("zeros: example does not match: \"000-0001\""), "{problems}");
        assert!(problems.contains("zeros: negative example matches: \"000-0000\""), "{problems}");
    }

    #[test]
    fn a_workers_scratch_carries_nothing_from_one_value_to_the_next() {
        let t = TestData::builtin();
        let values = [
            (Category::Phone, "090-1111-2222"),
            (Category::Phone, "０９０−１２３４−５６７８"),
            (Category::Phone, "03-1234-5678"),
            (Category::Email, "Jane@EXAMPLE.com"),
            (Category::Email, "jane@example.org"),
            (Category::Email, "Jane@Example.jp"),
            (Category::Email, "jane@example.jp"),
            (Category::Phone, "090-1234-5678"),
            (Category::PaymentCard, "4111 1111 1111 1111"),
            (Category::Phone, "090-1111-2222"),
        ];
        let mut shared = Scratch::default();
        let got: Vec<Option<&str>> = values
            .iter()
            .map(|&(c, v)| t.recognise(&mut shared, c, v, &fold_cow(v)).map(|v| t.reason(v)))
            .collect();
        let fresh: Vec<Option<String>> = values.iter().map(|&(c, v)| recognise(&t, c, v)).collect();
        assert_eq!(got.iter().map(|r| r.map(str::to_string)).collect::<Vec<_>>(), fresh);
        let known: Vec<bool> = got.iter().map(Option::is_some).collect();
        let expected = [false, true, true, true, true, false, false, true, true, false];
        assert_eq!(known, expected);
    }

    #[test]
    fn user_values_compare_canonically() {
        let mut t = TestData::builtin();
        t.set_values(ValueList::new(["090-1111-2222"]));
        assert!(recognise(&t, Category::Phone, "09011112222").is_some());
        assert!(recognise(&t, Category::Phone, "０９０（１１１１）２２２２").is_some());
        assert!(recognise(&t, Category::Phone, "090-1111-2223").is_none());
    }
}

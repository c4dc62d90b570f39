//! Test-data recognition: whether a found value is a well-known dummy
//! (a documentation domain, a placeholder phone number, a published test
//! card number, …), from the rules in `patterns/test-data.toml` and the
//! extra values of `.piimap.toml`.
//!
//! It only labels findings; the scan still reports them, so that nobody has
//! to guess why something was not flagged.

use regex_automata::hybrid::dfa::{Cache, DFA};
use regex_automata::util::start;
use regex_automata::{Anchored, MatchKind};
use regex_syntax::hir::{Hir, HirKind};
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

/// The rules of one category that read one form of the value, in file
/// order, as the patterns of one automaton: a value is read once per form
/// its category's rules read, not once per rule (three searches of every
/// phone number of a customer table, each mostly the regex's own set-up).
#[derive(Debug)]
struct Batch {
    category: Category,
    on: On,
    /// A lazy DFA of the rules' patterns, every pattern's matches kept
    /// ([`MatchKind::All`]): read from its anchored start over the whole
    /// form and then its end, it stands in a match state whose patterns
    /// are exactly the rules that match all of the form. A value is a
    /// phone number or an e-mail of a few dozen bytes: the regex engine's
    /// search (the meta regex, its lazy DFA and the search's set-up) cost
    /// 560 instructions a value, most of it before the first byte, and a
    /// customer table asks for each phone and e-mail. A full DFA, built
    /// before the first value, took the start-up of a scan that finds one
    /// value 39% longer (the rules' `.*` of any character).
    dfa: DFA,
    /// By pattern: its rule's index in the file.
    rules: Vec<u16>,
    /// When every rule's matches hold a literal of their own (`千代田区千代田1`
    /// of the sample address): a value holding none matches no rule, and
    /// is not searched. A rule that starts with `.*` is read to the value's
    /// end; on a customer table, each address was.
    needs: Vec<memchr::memmem::Finder<'static>>,
}

/// The rules of a test-data file, compiled.
#[derive(Debug)]
struct Rules {
    /// By rule: `test-data <id>: <en> / <ja>`, its findings' reason.
    reasons: Vec<String>,
    batches: Vec<Batch>,
}

/// The test-data rules, compiled.
#[derive(Debug)]
pub struct TestData {
    /// The built-in rules, compiled and their examples checked when a
    /// finding first asks ([`TestData::rules`]): a scan on one thread that
    /// finds nothing, as most runs of a CI check do, never builds their
    /// automata (a fifteenth of start-up). With threads to spare, the
    /// set-up builds them beside its other parts ([`TestData::prepare`]).
    rules: OnceLock<Rules>,
    /// Extra values the project declares test data.
    values: ValueList,
}

/// Why a value is test data: the rule that knows it, or the project's list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Verdict(Option<u16>);

/// A worker's state for [`TestData::recognise`]: each batch's lazy DFA
/// cache, made when the batch first runs, and the buffers a value's forms
/// are written into.
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

    /// Compiles the built-in rules now, not at the first finding: a
    /// set-up with threads to spare does it beside its other parts
    /// ([`crate::detect::DetectorSet`]), off the scan's path.
    pub fn prepare(&self) {
        self.rules();
    }

    /// Whether the built-in rules are compiled yet.
    #[cfg(test)]
    pub(crate) fn prepared(&self) -> bool {
        self.rules.get().is_some()
    }

    /// The built-in rules, compiled.
    fn rules(&self) -> &Rules {
        self.rules.get_or_init(|| {
            compile(BUILTIN, false)
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
        let Rules { batches, .. } = self.rules();
        let mut forms = Forms::new(folded, lower, digits);
        // The first rule of the file that knows the value: a batch gives its
        // own first, and of the batches the earliest rule wins.
        let mut first: Option<u16> = None;
        caches.resize_with(batches.len(), || None);
        for (batch, cache) in batches.iter().zip(caches) {
            if batch.category != category || first.is_some_and(|f| f < batch.rules[0]) {
                continue;
            }
            let cache = cache.get_or_insert_with(|| batch.dfa.create_cache());
            if let Some(rule) = batch.first_match(cache, &mut forms, None) {
                first = Some(first.map_or(rule, |f| f.min(rule)));
            }
        }
        if let Some(rule) = first {
            return Some(Verdict(Some(rule)));
        }
        self.values.contains(value).then_some(Verdict(None))
    }

    /// The reason a finding gives for `verdict`.
    pub fn reason(&self, verdict: Verdict) -> &str {
        verdict.0.map_or(USER_REASON, |i| &self.rules().reasons[usize::from(i)])
    }
}

/// The rules of a test-data file's `text`, compiled, and when
/// `check_examples`, their examples checked. The built-in file's are
/// checked by the tests, not by every scan that finds a value: checking
/// them was a quarter of the rules' build (1.0 M of 3.6 M instructions).
fn compile(text: &str, check_examples: bool) -> Result<Rules, String> {
    let file: File = toml::from_str(text).map_err(|e| e.to_string())?;
    // Batches by category and form, in the order each first appears.
    let mut batched: Vec<(Category, On, Vec<u16>)> = Vec::new();
    for (i, spec) in file.test_data.iter().enumerate() {
        let i = u16::try_from(i).map_err(|_| "too many test-data rules".to_string())?;
        match batched.iter_mut().find(|(c, on, _)| *c == spec.category && *on == spec.on) {
            Some((.., rules)) => rules.push(i),
            None => batched.push((spec.category, spec.on, vec![i])),
        }
    }
    let mut batches = Vec::new();
    for (category, on, rules) in batched {
        let specs: Vec<&RuleSpec> =
            rules.iter().map(|&i| &file.test_data[usize::from(i)]).collect();
        // Each pattern parsed alone, so that a bad one is named; the
        // automaton is built from the parsed patterns, not parsed again.
        let mut hirs = Vec::new();
        for spec in &specs {
            let hir = regex_automata::util::syntax::parse(&spec.pattern)
                .map_err(|e| format!("{}: {e}", spec.id))?;
            hirs.push(hir);
        }
        let needs = hirs.iter().map(required_literal).collect::<Option<Vec<_>>>();
        let needs = needs.unwrap_or_default();
        let hirs: Vec<&Hir> = hirs.iter().collect();
        let nfa = super::compile_nfa(&hirs).map_err(|e| format!("{}: {e}", specs[0].id))?;
        let dfa = DFA::builder()
            .configure(DFA::config().match_kind(MatchKind::All))
            .build_from_nfa(nfa)
            .map_err(|e| format!("{}: {e}", specs[0].id))?;
        batches.push(Batch { category, on, dfa, rules, needs });
    }
    let mut problems = Vec::new();
    let mut scratch = Scratch::default();
    for batch in batches.iter().filter(|_| check_examples) {
        // Checked with a cache of its own, made here: the workers' are
        // theirs.
        let mut cache = batch.dfa.create_cache();
        for (pattern, &i) in batch.rules.iter().enumerate() {
            let spec = &file.test_data[usize::from(i)];
            let mut matches = |value: &str| {
                let folded = fold_cow(value);
                let mut forms = Forms::new(&folded, &mut scratch.lower, &mut scratch.digits);
                batch.first_match(&mut cache, &mut forms, Some(pattern)).is_some()
            };
            for example in &spec.examples {
                if !matches(example) {
                    problems.push(format!("{}: example does not match: {example:?}", spec.id));
                }
            }
            for negative in &spec.negative_examples {
                if matches(negative) {
                    problems.push(format!("{}: negative example matches: {negative:?}", spec.id));
                }
            }
        }
    }
    let reasons = file
        .test_data
        .iter()
        .map(|spec| format!("test-data {}: {} / {}", spec.id, spec.en, spec.ja))
        .collect();
    if problems.is_empty() { Ok(Rules { reasons, batches }) } else { Err(problems.join("; ")) }
}

/// The longest literal of three bytes or more that every match of `hir`
/// holds, among the parts of its top-level sequence: the only one the rules
/// need (a rule such as `.*@(…)` gives none).
fn required_literal(hir: &Hir) -> Option<memchr::memmem::Finder<'static>> {
    let parts = match hir.kind() {
        HirKind::Concat(parts) => parts.as_slice(),
        _ => std::slice::from_ref(hir),
    };
    parts
        .iter()
        .filter_map(|p| match p.kind() {
            HirKind::Literal(lit) if lit.0.len() >= 3 => Some(&lit.0),
            _ => None,
        })
        .max_by_key(|lit| lit.len())
        .map(|lit| memchr::memmem::Finder::new(&lit[..]).into_owned())
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
            // An ASCII byte of UTF-8 is a character of its own.
            let digits = self.folded.bytes().filter(u8::is_ascii_digit).map(char::from);
            self.digits_buf.extend(digits);
            self.digits = true;
        }
        self.digits_buf
    }
}

impl Batch {
    /// The index of the first rule of the batch that matches the whole
    /// value, or whether rule `only` (by its place in the batch) does.
    fn first_match(
        &self,
        cache: &mut Cache,
        forms: &mut Forms<'_>,
        only: Option<usize>,
    ) -> Option<u16> {
        let form = match self.on {
            On::Value => forms.lower(),
            On::Digits => forms.digits(),
        };
        if !self.needs.is_empty() && !self.needs.iter().any(|n| n.find(form.as_bytes()).is_some()) {
            return None;
        }
        // Errors come only of quit bytes, which this DFA has none of (a
        // rule with a Unicode `\b` fails to build), and of a cache that
        // gives up, which its configuration never does.
        let dfa = &self.dfa;
        let anchored = start::Config::new().anchored(Anchored::Yes);
        let mut sid = dfa.start_state(cache, &anchored).ok()?;
        for &b in form.as_bytes() {
            sid = dfa.next_state(cache, sid, b).ok()?;
            if sid.is_dead() {
                return None;
            }
        }
        // Matches are seen one byte late: the end's step says which rules
        // match all of the form.
        sid = dfa.next_eoi_state(cache, sid).ok()?;
        if !sid.is_match() {
            return None;
        }
        let mut matched =
            (0..dfa.match_len(cache, sid)).map(|i| dfa.match_pattern(cache, sid, i).as_usize());
        match only {
            Some(p) => matched.any(|m| m == p).then(|| self.rules[p]),
            None => matched.min().map(|m| self.rules[m]),
        }
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
        assert!(compile(BUILTIN, true).is_ok(), "test-data.toml is valid and its examples hold");
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
    fn a_batch_whose_rules_each_need_a_literal_skips_values_without_one() {
        let literal = |p: &str| {
            required_literal(&regex_automata::util::syntax::parse(p).unwrap())
                .map(|f| String::from_utf8(f.needle().to_vec()).unwrap())
        };
        assert_eq!(
            literal(".*千代田区千代田1(?:-1)?(?:[^0-9-].*)?").as_deref(),
            Some("千代田区千代田1")
        );
        assert_eq!(literal("1?[0-9]{3}55501[0-9]{2}").as_deref(), Some("55501"));
        assert_eq!(literal(".*@(?:example|test)"), None, "one byte is no filter");
        assert_eq!(literal("0000000|1234567"), None, "an alternation holds no one literal");
        let t = TestData::builtin();
        let rules = t.rules();
        let needs = |c: Category| {
            rules.batches.iter().filter(|b| b.category == c).map(|b| b.needs.len()).sum::<usize>()
        };
        assert_eq!((needs(Category::Address), needs(Category::Email)), (1, 0));
        assert!(recognise(&t, Category::Address, "東京都千代田区千代田1-1 メゾン101").is_some());
        assert!(recognise(&t, Category::Address, "東京都港区六本木6-10-1").is_none());
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
        assert_eq!(compile(&rule("000-0000", "000-0001"), true).map(|r| r.reasons.len()), Ok(1));
        let problems = compile(&rule("000-0001", "000-0000"), true).unwrap_err();
        assert!(problems.contains("zeros: example does not match: \"000-0001\""), "{problems}");
        assert!(problems.contains("zeros: negative example matches: \"000-0000\""), "{problems}");
        // A scan does not check the built-in rules' examples again.
        let unchecked = compile(&rule("000-0001", "000-0000"), false);
        assert_eq!(unchecked.map(|r| r.reasons.len()), Ok(1));
    }

    #[test]
    fn a_value_two_rules_know_is_the_first_rules_and_each_rule_is_checked_alone() {
        let t = TestData::builtin();
        // 090 then 12345678: a placeholder, and a run of a sequence too.
        let why = recognise(&t, Category::Phone, "090-1234-5678").unwrap();
        assert!(why.starts_with("test-data placeholder-phone:"), "{why}");
        let why = recognise(&t, Category::Phone, "03-3456-7890").unwrap();
        assert!(why.starts_with("test-data sequence-phone:"), "{why}");
        // Rules of two forms in one category: the file's first still wins.
        let rules = |first: &str, second: &str| {
            format!(
                "[[test_data]]\nid = \"a\"\ncategory = \"phone\"\non = \"{first}\"\n\
                 pattern = \"0.*\"\nja = \"a\"\nen = \"a\"\nexamples = []\n\
                 negative_examples = []\n\
                 [[test_data]]\nid = \"b\"\ncategory = \"phone\"\non = \"{second}\"\n\
                 pattern = \"0[0-9]*\"\nja = \"b\"\nen = \"b\"\nexamples = [\"012\"]\n\
                 negative_examples = []\n"
            )
        };
        for (first, second) in [("value", "digits"), ("digits", "value")] {
            let t = TestData {
                rules: OnceLock::from(compile(&rules(first, second), true).unwrap()),
                values: ValueList::default(),
            };
            assert_eq!(
                recognise(&t, Category::Phone, "0123").as_deref(),
                Some("test-data a: a / a")
            );
        }
        // An example the batch's earlier rule knows is still its own rule's
        // to match: `b` does not know `0x`.
        let bad = rules("digits", "value").replace("[\"012\"]", "[\"0x\"]");
        let problems = compile(&bad, true).unwrap_err();
        assert_eq!(problems, "b: example does not match: \"0x\"");
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

//! Leak response (`piimap incident`): from what leaked to an assessment a
//! privacy officer can act on the same day — which categories, how many
//! people, whether the leak must be reported to the Personal Information
//! Protection Commission and why, a draft of the report, and what leaked
//! where.
//!
//! The reporting rules are data (`patterns/incident.toml`, [`Rules`]): each
//! states conditions on the people estimate, the categories and the cause,
//! a decision and its legal basis in Japanese and English, with examples
//! the tests run. People are counted across every location at once by
//! [`crowd::Crowd`], an observer of the scan; an assessment made from a
//! saved inventory can only add up each location's own estimate, and says
//! so.
//!
//! This module decides; `crate::report::incident` words the assessment.

pub mod crowd;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::detect::catalog::Description;
use crate::finding::Category;
/// A skipped or unreadable item: an assessment, like a data-subject
/// answer, must say what it did not see.
pub use crate::subject::Gap;

/// The version of the JSON assessment.
pub const SCHEMA: &str = "piimap-incident/1";

const BUILTIN: &str = include_str!("../../patterns/incident.toml");

/// How the data got out, as `--cause` gives it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Cause {
    /// 不正アクセス: an attack, malware, a stolen account.
    UnauthorizedAccess,
    /// 誤送付・誤送信: sent to the wrong person.
    Misdelivery,
    /// 紛失・盗難: a lost or stolen device or document.
    Loss,
    /// 内部不正・持ち出し: taken out by an insider.
    Internal,
    /// 調査中: not known yet.
    #[default]
    Unknown,
}

impl Cause {
    /// Its name in a report.
    pub fn label(self, ja: bool) -> &'static str {
        match (self, ja) {
            (Cause::UnauthorizedAccess, true) => "不正アクセス",
            (Cause::UnauthorizedAccess, false) => "unauthorised access",
            (Cause::Misdelivery, true) => "誤送付・誤送信",
            (Cause::Misdelivery, false) => "misdelivery",
            (Cause::Loss, true) => "紛失・盗難",
            (Cause::Loss, false) => "loss or theft",
            (Cause::Internal, true) => "内部不正・持ち出し",
            (Cause::Internal, false) => "taken out by an insider",
            (Cause::Unknown, true) => "調査中",
            (Cause::Unknown, false) => "under investigation",
        }
    }
}

/// What a rule decides when it fires.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RuleDecision {
    /// Report to the Commission and notify each person.
    Mandatory,
    /// Notify the people; a report is voluntary.
    Recommended,
    /// A point a person must verify (piimap cannot see it).
    Check,
}

/// The assessment's decision: the strongest of the rules that fired.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Decision {
    /// Nothing that identifies a person leaked.
    NotRequired,
    /// Notifying the people is recommended.
    Recommended,
    /// A report to the Commission and notices are required.
    Mandatory,
}

impl Decision {
    /// Its id, as the JSON assessment gives it.
    pub fn id(self) -> &'static str {
        match self {
            Decision::NotRequired => "not_required",
            Decision::Recommended => "recommended",
            Decision::Mandatory => "mandatory",
        }
    }
}

/// One reporting rule.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rule {
    /// Stable id, given with the reason in every assessment.
    pub id: String,
    /// What it decides.
    pub decision: RuleDecision,
    /// Fires only when more people than this are affected.
    pub people_over: Option<usize>,
    /// Fires only when one of these categories leaked.
    #[serde(default)]
    pub categories: Vec<Category>,
    /// Fires only when the cause is one of these.
    #[serde(default)]
    pub causes: Vec<Cause>,
    /// The law it rests on.
    pub basis: Description,
    /// What it means, for the report.
    pub reason: Description,
}

impl Rule {
    fn holds(&self, facts: &Facts) -> bool {
        self.people_over.is_none_or(|n| facts.people > n)
            && (self.categories.is_empty()
                || self.categories.iter().any(|c| facts.categories.contains(c)))
            && (self.causes.is_empty() || self.causes.contains(&facts.cause))
            // A rule always needs something to have leaked.
            && (facts.people > 0 || !facts.categories.is_empty())
    }
}

/// An assessment the rules must give.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Example {
    /// The people estimate.
    pub people: usize,
    /// The categories that leaked.
    pub categories: Vec<Category>,
    /// The cause.
    pub cause: Cause,
    /// The decision wanted.
    pub decision: Decision,
    /// The ids of the rules that must fire, sorted.
    pub fired: Vec<String>,
}

/// What the rules look at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Facts {
    /// The people estimate.
    pub people: usize,
    /// The categories that leaked.
    pub categories: Vec<Category>,
    /// The cause.
    pub cause: Cause,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    rule: Vec<Rule>,
    #[serde(default)]
    example: Vec<Example>,
}

/// The reporting rules.
#[derive(Debug, Clone)]
pub struct Rules {
    /// In file order.
    pub rules: Vec<Rule>,
    /// The assessments they must give.
    pub examples: Vec<Example>,
}

impl Rules {
    /// The rules shipped in `patterns/incident.toml`.
    pub fn builtin() -> Result<Rules, String> {
        Rules::parse(BUILTIN)
    }

    /// Rules from the text of a file of that form.
    pub fn parse(text: &str) -> Result<Rules, String> {
        let file: File = toml::from_str(text).map_err(|e| e.to_string())?;
        let mut ids = std::collections::BTreeSet::new();
        for rule in &file.rule {
            if !ids.insert(rule.id.as_str()) {
                return Err(format!("rule {} is defined twice", rule.id));
            }
            if rule.people_over.is_none() && rule.categories.is_empty() && rule.causes.is_empty() {
                return Err(format!("rule {} has no condition", rule.id));
            }
        }
        Ok(Rules { rules: file.rule, examples: file.example })
    }

    /// The rules that fire on `facts`, in file order, and the decision.
    pub fn decide(&self, facts: &Facts) -> (Decision, Vec<&Rule>) {
        let fired: Vec<&Rule> = self.rules.iter().filter(|r| r.holds(facts)).collect();
        let decision = fired
            .iter()
            .filter_map(|r| match r.decision {
                RuleDecision::Mandatory => Some(Decision::Mandatory),
                RuleDecision::Recommended => Some(Decision::Recommended),
                RuleDecision::Check => None,
            })
            .max()
            .unwrap_or(Decision::NotRequired);
        (decision, fired)
    }

    /// The examples the rules do not give, each described.
    pub fn check(&self) -> Vec<String> {
        let mut problems = Vec::new();
        for e in &self.examples {
            let facts =
                Facts { people: e.people, categories: e.categories.clone(), cause: e.cause };
            let (decision, fired) = self.decide(&facts);
            let mut ids: Vec<String> = fired.iter().map(|r| r.id.clone()).collect();
            ids.sort();
            if decision != e.decision || ids != e.fired {
                problems.push(format!(
                    "example {} people, {:?}, {:?}: got {decision:?} by {ids:?}, want {:?} by {:?}",
                    e.people, e.categories, e.cause, e.decision, e.fired
                ));
            }
        }
        problems
    }
}

/// What leaked at one location.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Leaked {
    /// The location.
    pub path: String,
    /// Value findings per category.
    pub categories: BTreeMap<Category, usize>,
    /// The location's own people estimate.
    pub people: usize,
    /// Records holding personal data.
    pub records: usize,
}

/// The people estimate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct People {
    /// The estimate.
    pub estimate: usize,
    /// A lower bound: the estimate reached its cap of identifying values.
    pub at_least: bool,
    /// The sum of the locations' own estimates: the count if no person
    /// appears in two locations.
    pub sum_of_locations: usize,
    /// How it was made: `keyed-identity` (people matched across locations)
    /// or `sum-of-locations` (from a saved inventory, which keeps no
    /// identities).
    pub method: &'static str,
}

/// One category that leaked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CategoryLeak {
    /// The category.
    pub category: Category,
    /// Values found.
    pub findings: usize,
    /// Locations holding it.
    pub locations: usize,
    /// Its special class, if any: `specific_personal_information` (My
    /// Number), `financial` (cards, accounts), `government_id`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub special: Option<&'static str>,
}

/// A rule that fired, as the assessment gives it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Reason {
    /// The rule's id.
    pub rule: String,
    /// What it decides.
    pub decision: RuleDecision,
    /// The law it rests on.
    pub basis: Description,
    /// What it means.
    pub reason: Description,
}

/// The notification list written beside the assessment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NotifyList {
    /// Where.
    pub path: String,
    /// One line per person.
    pub people: usize,
    /// Whether it holds raw contact points (`--show-values`) or only
    /// masked values and keyed fingerprints.
    pub raw: bool,
    /// It stopped at its cap: more people leaked than it lists.
    pub truncated: bool,
}

/// The assessment (`--format json`, schema [`SCHEMA`]).
#[derive(Debug, Clone, Serialize)]
pub struct Assessment {
    /// [`SCHEMA`].
    pub schema: &'static str,
    /// `piimap` and its version.
    pub tool: String,
    /// The cause given.
    pub cause: Cause,
    /// The decision.
    pub decision: Decision,
    /// The rules that decided it, in file order (checks among them).
    pub reasons: Vec<Reason>,
    /// How many people.
    pub people: People,
    /// What leaked, by category.
    pub categories: Vec<CategoryLeak>,
    /// What leaked, by location, sorted by path.
    pub locations: Vec<Leaked>,
    /// Items that could not be read: the assessment may be short of them.
    pub errors: Vec<Gap>,
    /// Items skipped on purpose.
    pub skipped: Vec<Gap>,
    /// The notification list, when one was written.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub notify_list: Option<NotifyList>,
}

/// The special class of a category in a leak.
fn special(c: Category) -> Option<&'static str> {
    match c {
        Category::MyNumber => Some("specific_personal_information"),
        Category::PaymentCard | Category::BankAccount => Some("financial"),
        Category::GovernmentId => Some("government_id"),
        _ => None,
    }
}

/// Assesses a leak: `locations` is what leaked where, `people` the estimate.
pub fn assess(
    rules: &Rules,
    cause: Cause,
    mut locations: Vec<Leaked>,
    people: People,
    errors: Vec<Gap>,
    skipped: Vec<Gap>,
) -> Assessment {
    locations.retain(|l| !l.categories.is_empty());
    locations.sort_by(|a, b| a.path.cmp(&b.path));
    let mut by_category: BTreeMap<Category, (usize, usize)> = BTreeMap::new();
    for l in &locations {
        for (&c, &n) in &l.categories {
            let entry = by_category.entry(c).or_default();
            entry.0 += n;
            entry.1 += 1;
        }
    }
    let categories: Vec<CategoryLeak> = by_category
        .iter()
        .map(|(&category, &(findings, locations))| CategoryLeak {
            category,
            findings,
            locations,
            special: special(category),
        })
        .collect();
    let facts =
        Facts { people: people.estimate, categories: by_category.keys().copied().collect(), cause };
    let (decision, fired) = rules.decide(&facts);
    let reasons = fired
        .into_iter()
        .map(|r| Reason {
            rule: r.id.clone(),
            decision: r.decision,
            basis: r.basis.clone(),
            reason: r.reason.clone(),
        })
        .collect();
    Assessment {
        schema: SCHEMA,
        tool: format!("piimap {}", env!("CARGO_PKG_VERSION")),
        cause,
        decision,
        reasons,
        people,
        categories,
        locations,
        errors,
        skipped,
        notify_list: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_rules_give_their_examples() {
        let rules = Rules::builtin().unwrap();
        assert!(rules.examples.len() >= 7);
        assert_eq!(rules.check(), Vec::<String>::new());
    }

    #[test]
    fn a_wrong_example_is_reported() {
        let text = BUILTIN.replace(
            "people = 20\ncategories = [\"name\", \"email\"]\ncause = \"misdelivery\"\ndecision = \"recommended\"",
            "people = 20\ncategories = [\"name\", \"email\"]\ncause = \"misdelivery\"\ndecision = \"mandatory\"",
        );
        assert_ne!(text, BUILTIN);
        let problems = Rules::parse(&text).unwrap().check();
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert!(problems[0].contains("want Mandatory"), "{problems:?}");
    }

    #[test]
    fn bad_rule_files_are_refused() {
        let rule = "[[rule]]\nid = \"a\"\ndecision = \"mandatory\"\nbasis = { ja = \"x\", en = \"x\" }\nreason = { ja = \"x\", en = \"x\" }\n";
        assert!(Rules::parse(rule).unwrap_err().contains("no condition"));
        let twice = format!("{rule}people_over = 1\n{rule}people_over = 2\n");
        assert!(Rules::parse(&twice).unwrap_err().contains("twice"));
        let unknown = rule.replace("decision = \"mandatory\"", "decision = \"maybe\"");
        assert!(Rules::parse(&format!("{unknown}people_over = 1\n")).is_err());
        let category = format!("{rule}categories = [\"shoe_size\"]\n");
        assert!(Rules::parse(&category).is_err());
    }

    #[test]
    fn the_thresholds_are_strict() {
        let rules = Rules::builtin().unwrap();
        let at = |people, categories: &[Category], cause| {
            rules.decide(&Facts { people, categories: categories.to_vec(), cause }).0
        };
        use Category::*;
        assert_eq!(at(1000, &[Name], Cause::Unknown), Decision::Recommended);
        assert_eq!(at(1001, &[Name], Cause::Unknown), Decision::Mandatory);
        assert_eq!(at(100, &[Name, MyNumber], Cause::Loss), Decision::Recommended);
        assert_eq!(at(101, &[Name, MyNumber], Cause::Loss), Decision::Mandatory);
        assert_eq!(at(1, &[MyNumber], Cause::UnauthorizedAccess), Decision::Mandatory);
        assert_eq!(at(0, &[], Cause::UnauthorizedAccess), Decision::NotRequired);
        // Cards alone (no person counted, say a card list): still reported.
        assert_eq!(at(0, &[PaymentCard], Cause::Misdelivery), Decision::Mandatory);
    }

    #[test]
    fn an_assessment_adds_up_its_locations() {
        let rules = Rules::builtin().unwrap();
        let leaked = |path: &str, cats: &[(Category, usize)], people| Leaked {
            path: path.into(),
            categories: cats.iter().copied().collect(),
            people,
            records: people,
        };
        let people = People {
            estimate: 30,
            at_least: false,
            sum_of_locations: 35,
            method: "keyed-identity",
        };
        let a = assess(
            &rules,
            Cause::Misdelivery,
            vec![
                leaked("b.csv", &[(Category::Name, 20), (Category::PaymentCard, 5)], 20),
                leaked("a.csv", &[(Category::Name, 15), (Category::Email, 15)], 15),
                leaked("empty.txt", &[], 0),
            ],
            people,
            vec![],
            vec![],
        );
        assert_eq!(a.decision, Decision::Mandatory);
        let paths: Vec<&str> = a.locations.iter().map(|l| l.path.as_str()).collect();
        assert_eq!(paths, ["a.csv", "b.csv"]);
        let cats: Vec<(Category, usize, usize, Option<&str>)> =
            a.categories.iter().map(|c| (c.category, c.findings, c.locations, c.special)).collect();
        assert_eq!(
            cats,
            [
                (Category::Name, 35, 2, None),
                (Category::Email, 15, 1, None),
                (Category::PaymentCard, 5, 1, Some("financial")),
            ]
        );
        let ids: Vec<&str> = a.reasons.iter().map(|r| r.rule.as_str()).collect();
        assert_eq!(ids, ["appi-7-2-financial-damage", "notice-any-person", "check-sensitive"]);
    }
}

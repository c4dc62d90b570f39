//! Identify: decides, per record and per location, whether the personal data
//! found there identifies a person, and estimates how many people a location
//! holds data about.
//!
//! The privacy policy counts as personal data both what identifies a person
//! alone (a name, a My Number) and what does so only in combination (birth
//! date + gender + postal code). Which combinations count is data:
//! `patterns/combinations.toml`, each rule with examples that
//! [`check`] runs through a whole scan. A rule looks at the categories of one
//! record (a table row, a form's paragraph, a line) or, with `scope =
//! "file"`, of a whole file (a floor plan and an address in one drawing).
//!
//! People are counted without keeping any value: findings carry a keyed hash
//! of their value under a key that never leaves the process
//! ([`crate::finding::subject_key`]), and records that share an identifying
//! value are taken for one person's (see [`subjects`]).
//!
//! This module knows nothing of files or detectors: it reads findings.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::sync::Arc;

use serde::Deserialize;

use crate::finding::{Category, Finding, Level};
use crate::inventory::{Inventory, Location};

const BUILTIN: &str = include_str!("../patterns/combinations.toml");

/// What a rule looks at.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Scope {
    /// The categories of one record.
    #[default]
    Record,
    /// The categories of a whole file.
    File,
}

/// One combination rule.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rule {
    /// Stable id (reported in `rules` of a location).
    pub id: String,
    /// What the record (or file) identifies when the rule fires.
    pub level: Level,
    /// Record or file.
    #[serde(default)]
    pub scope: Scope,
    /// Categories that must all be present.
    #[serde(default)]
    pub all: Vec<Category>,
    /// Categories of which one must be present (none: no condition).
    #[serde(default)]
    pub any: Vec<Category>,
    /// Why, in Japanese and English.
    pub description: crate::detect::catalog::Description,
    /// Texts in which the rule must fire.
    pub examples: Vec<String>,
    /// Texts in which it must not.
    pub negative_examples: Vec<String>,
}

impl Rule {
    fn fires(&self, present: &BTreeSet<Category>) -> bool {
        (!self.all.is_empty() || !self.any.is_empty())
            && self.all.iter().all(|c| present.contains(c))
            && (self.any.is_empty() || self.any.iter().any(|c| present.contains(c)))
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    rule: Vec<Rule>,
}

/// Every combination rule.
#[derive(Debug, Clone)]
pub struct Rules {
    /// In file order.
    pub rules: Vec<Rule>,
}

/// The kinds of value that tell people apart, for counting them (phone
/// numbers only where a record has none of these).
const IDENTIFIERS: [Category; 6] = [
    Category::Name,
    Category::Email,
    Category::MyNumber,
    Category::GovernmentId,
    Category::BankAccount,
    Category::PaymentCard,
];

impl Rules {
    /// The built-in rules (`patterns/combinations.toml`).
    pub fn builtin() -> Result<Rules, String> {
        let file: File = toml::from_str(BUILTIN).map_err(|e| e.to_string())?;
        Ok(Rules { rules: file.rule })
    }

    /// The rules of `scope` that fire on `present`, and the highest level.
    fn fire(&self, scope: Scope, present: &BTreeSet<Category>) -> (Option<Level>, Vec<&str>) {
        let fired: Vec<&Rule> =
            self.rules.iter().filter(|r| r.scope == scope && r.fires(present)).collect();
        (fired.iter().map(|r| r.level).max(), fired.iter().map(|r| r.id.as_str()).collect())
    }
}

/// A record: the commit (in a history scan) and its first line (`None`: the
/// whole file).
type RecordKey = (Option<Arc<str>>, Option<u64>);

/// Sets every finding's `identifiability` and rebuilds the inventory's
/// locations (one per path with findings). Well-known test data takes no
/// part: a dummy 090-0000-0000 identifies no one. Running it again after
/// findings were dropped (baselines, allowlists) gives the new answer.
pub fn apply(inv: &mut Inventory, rules: &Rules) {
    let mut by_path: BTreeMap<Arc<str>, Vec<usize>> = BTreeMap::new();
    for (i, f) in inv.findings.iter().enumerate() {
        by_path.entry(Arc::clone(&f.path)).or_default().push(i);
    }
    let mut locations = Vec::with_capacity(by_path.len());
    for (path, indices) in by_path {
        let mut location = Location { path, ..Location::default() };
        let mut records: BTreeMap<RecordKey, BTreeSet<Category>> = BTreeMap::new();
        let mut file_categories = BTreeSet::new();
        for &i in &indices {
            let f = &inv.findings[i];
            *location.categories.entry(f.category).or_insert(0) += 1;
            if f.test_data {
                continue;
            }
            file_categories.insert(f.category);
            records.entry((f.commit.clone(), f.record)).or_default().insert(f.category);
        }
        let mut fired: BTreeSet<String> = BTreeSet::new();
        let mut levels: HashMap<RecordKey, Option<Level>> = HashMap::new();
        for (key, present) in &records {
            let (level, ids) = rules.fire(Scope::Record, present);
            fired.extend(ids.into_iter().map(str::to_string));
            levels.insert(key.clone(), level);
        }
        let (file_level, ids) = rules.fire(Scope::File, &file_categories);
        fired.extend(ids.into_iter().map(str::to_string));
        for &i in &indices {
            let f = &mut inv.findings[i];
            f.identifiability = if f.test_data {
                None
            } else {
                let record = levels.get(&(f.commit.clone(), f.record)).copied().flatten();
                // A whole-file finding stands for the file.
                if f.record.is_none() { record.max(file_level) } else { record }
            };
        }
        location.identifiability = levels.values().copied().flatten().max().max(file_level);
        location.rules = fired.into_iter().collect();
        location.records = records.len();
        location.subjects = subjects(&inv.findings, &indices, &levels);
        locations.push(location);
    }
    inv.locations = locations;
}

/// The estimated number of people in one location's findings: records that
/// share an identifying value (a name — with the record's birth date, when
/// it has one —, an e-mail address, a My Number …) are one person's, so one
/// person mentioned ten times counts once, a row with a name in kanji, kana
/// and half-width kana counts once, and a list of a hundred customers a
/// hundred. Phone numbers are shared by households and offices: they join
/// records only where nothing else identifies them. Records with no
/// identifying value count one each when they identify in combination
/// (birth date + gender + postal code), not at all when only linkable.
fn subjects(
    findings: &[Finding],
    indices: &[usize],
    levels: &HashMap<RecordKey, Option<Level>>,
) -> usize {
    let mut records: BTreeMap<(Option<&str>, Option<u64>), Vec<&Finding>> = BTreeMap::new();
    for f in indices.iter().map(|&i| &findings[i]).filter(|f| !f.test_data) {
        records.entry((f.commit.as_deref(), f.record)).or_default().push(f);
    }
    let mut parent: Vec<usize> = (0..records.len()).collect();
    fn root(parent: &mut [usize], mut i: usize) -> usize {
        while parent[i] != i {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        i
    }
    let mut owner: HashMap<(Category, u64, u64), usize> = HashMap::new();
    let mut identified = vec![false; records.len()];
    for (r, found) in records.values().enumerate() {
        let born = found
            .iter()
            .find(|f| f.category == Category::BirthDate && f.record.is_some())
            .map_or(0, |f| f.subject);
        let key = |f: &&Finding| {
            (f.category, f.subject, if f.category == Category::Name { born } else { 0 })
        };
        let mut keys: Vec<_> =
            found.iter().filter(|f| IDENTIFIERS.contains(&f.category)).map(key).collect();
        if keys.is_empty() {
            keys = found.iter().filter(|f| f.category == Category::Phone).map(key).collect();
        }
        for k in keys {
            identified[r] = true;
            match owner.get(&k) {
                Some(&other) => {
                    let (a, b) = (root(&mut parent, r), root(&mut parent, other));
                    parent[a] = b;
                }
                None => {
                    owner.insert(k, r);
                }
            }
        }
    }
    let mut people: HashSet<usize> = HashSet::new();
    let mut unnamed = 0;
    for (r, (key, _)) in records.iter().enumerate() {
        if identified[r] {
            people.insert(root(&mut parent, r));
        } else {
            let level = levels.get(&(key.0.map(Arc::from), key.1)).copied().flatten();
            if level >= Some(Level::Combination) {
                unnamed += 1;
            }
        }
    }
    people.len() + unnamed
}

/// One thing wrong with one rule.
pub type Problem = crate::detect::check::Problem;

/// Runs every rule's examples through a whole scan: each example must fire
/// its rule, each negative example must not.
pub fn check(rules: &Rules, detectors: &crate::detect::DetectorSet) -> Vec<Problem> {
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
            let mut inv = crate::scan::scan_bytes(
                detectors,
                "example.txt",
                text.as_bytes(),
                &crate::scan::Evidence::default(),
            );
            apply(&mut inv, rules);
            inv.locations.iter().any(|l| l.rules.contains(&rule.id))
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn built_in_rules_hold_their_examples() {
        let rules = Rules::builtin().unwrap();
        let detectors = crate::detect::DetectorSet::load(&[]).unwrap();
        assert_eq!(check(&rules, &detectors), []);
    }
}

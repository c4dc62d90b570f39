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

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use serde::Deserialize;

use crate::finding::{Category, Finding, Level, Part};
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
}

/// The bit of a category in a set of categories.
fn bit(c: Category) -> u16 {
    1 << c as u16
}

/// A set of categories as bits.
fn bits(list: &[Category]) -> u16 {
    list.iter().fold(0, |m, &c| m | bit(c))
}

/// Sets every finding's `identifiability` and rebuilds the inventory's
/// locations (one per path with findings). Well-known test data takes no
/// part: a dummy 090-0000-0000 identifies no one. Running it again after
/// findings were dropped (baselines, allowlists) gives the new answer.
pub fn apply(inv: &mut Inventory, rules: &Rules) {
    let masks: Vec<(u16, u16)> = rules.rules.iter().map(|r| (bits(&r.all), bits(&r.any))).collect();
    // The rules of `scope` that hold for `present`, as bits, and their level.
    let fire = |scope: Scope, present: u16| {
        let mut fired = 0u64;
        let mut level = None;
        for (k, (rule, &(all, any))) in rules.rules.iter().zip(&masks).enumerate() {
            let holds =
                (all | any) != 0 && all & present == all && (any == 0 || any & present != 0);
            if rule.scope == scope && holds {
                fired |= 1 << k.min(63);
                level = level.max(Some(rule.level));
            }
        }
        (level, fired)
    };
    let mut levels: Vec<Option<Level>> = vec![None; inv.findings.len()];
    let mut locations = Vec::new();
    let findings = &inv.findings;
    // Findings are sorted by path: each run of one path is a location.
    let mut start = 0;
    while start < findings.len() {
        let path = &findings[start].path;
        let same = |f: &&Finding| Arc::ptr_eq(&f.path, path) || f.path == *path;
        let end = start + findings[start..].iter().take_while(same).count();
        let group = start..end;
        start = end;
        let meta = inv.meta.get(path).copied().unwrap_or_default();
        let known = inv.meta.contains_key(path);
        let mut location = Location {
            path: Arc::clone(path),
            size: known.then_some(meta.size),
            modified: meta.modified,
            owner: meta.owner,
            world_readable: meta.world_readable,
            ..Location::default()
        };
        // Records, keyed by commit (a history scan), sheet (a workbook),
        // page or slide, row (a database or SQL dump row) and first line or
        // row; `None` is the item itself (whole-file and
        // column findings, drawings).
        type Key<'a> =
            (Option<&'a str>, Option<&'a str>, Option<Part>, Option<&'a str>, Option<u64>);
        let mut record_of: HashMap<Key<'_>, usize> = HashMap::new();
        let mut records: Vec<Record> = Vec::new();
        let mut file_present = 0u16;
        // Column findings sum up cells that are in records already: they
        // take the location's level rather than make a record of their own.
        let mut columns: Vec<usize> = Vec::new();
        for i in group.clone() {
            let f = &findings[i];
            if &*f.detector == "column" {
                columns.push(i);
                continue;
            }
            // Counts are of values: a column finding sums its cells up.
            *location.categories.entry(f.category).or_insert(0) += 1;
            if f.test_data {
                continue;
            }
            file_present |= bit(f.category);
            let key = (f.commit.as_deref(), f.sheet.as_deref(), f.part, f.row.as_deref(), f.record);
            let r = *record_of.entry(key).or_insert_with(|| {
                records.push(Record::default());
                records.len() - 1
            });
            records[r].present |= bit(f.category);
            records[r].findings.push(i);
        }
        let mut fired = 0u64;
        for record in &mut records {
            let (level, ids) = fire(Scope::Record, record.present);
            record.level = level;
            fired |= ids;
        }
        let (file_level, ids) = fire(Scope::File, file_present);
        fired |= ids;
        for record in &records {
            for &i in &record.findings {
                // A whole-file finding stands for the file.
                levels[i] = if findings[i].record.is_none() {
                    record.level.max(file_level)
                } else {
                    record.level
                };
            }
        }
        location.identifiability = records.iter().map(|r| r.level).max().flatten().max(file_level);
        for i in columns {
            levels[i] = location.identifiability;
        }
        location.rules = rules
            .rules
            .iter()
            .enumerate()
            .filter(|(k, _)| fired & (1 << (*k).min(63)) != 0)
            .map(|(_, r)| r.id.clone())
            .collect();
        location.rules.sort();
        // Column and whole-file findings (subject 0) describe the item, not
        // a record of it.
        let valued = |r: &Record| r.findings.iter().any(|&i| findings[i].subject != 0);
        location.records = records.iter().filter(|r| valued(r)).count();
        location.subjects = subjects(findings, &records);
        locations.push(location);
    }
    for (f, level) in inv.findings.iter_mut().zip(levels) {
        f.identifiability = level;
    }
    inv.locations = locations;
}

/// The findings of one record and what they identify.
#[derive(Debug, Default)]
struct Record {
    /// Its categories, as bits.
    present: u16,
    /// Indices of its findings.
    findings: Vec<usize>,
    /// The highest level of the record rules that hold.
    level: Option<Level>,
}

/// The estimated number of people in one location's records: records that
/// share an identifying value (a name — with the record's birth date, when
/// it has one —, an e-mail address, a My Number …) are one person's, so one
/// person mentioned ten times counts once, a row with a name in kanji, kana
/// and half-width kana counts once, and a list of a hundred customers a
/// hundred. Phone numbers are shared by households and offices: they join
/// records only where nothing else identifies them. Records with no
/// identifying value count one each when they identify in combination
/// (birth date + gender + postal code), not at all when only linkable.
fn subjects(findings: &[Finding], records: &[Record]) -> usize {
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
    let mut keys = Vec::new();
    for (r, record) in records.iter().enumerate() {
        let found = || record.findings.iter().map(|&i| &findings[i]);
        let born = found()
            .find(|f| f.category == Category::BirthDate && f.record.is_some())
            .map_or(0, |f| f.subject);
        let key = |f: &Finding| {
            (f.category, f.subject, if f.category == Category::Name { born } else { 0 })
        };
        keys.clear();
        // Whole-file and column findings (subject 0) name no one value.
        let valued = || found().filter(|f| f.subject != 0);
        keys.extend(valued().filter(|f| IDENTIFIERS.contains(&f.category)).map(key));
        if keys.is_empty() {
            keys.extend(valued().filter(|f| f.category == Category::Phone).map(key));
        }
        for &k in &keys {
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
    let mut people = HashSet::new();
    let mut unnamed = 0;
    for (r, record) in records.iter().enumerate() {
        if identified[r] {
            people.insert(root(&mut parent, r));
        } else if record.level >= Some(Level::Combination)
            && record.findings.iter().any(|&i| findings[i].subject != 0)
        {
            unnamed += 1;
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

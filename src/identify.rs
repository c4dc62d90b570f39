//! Identify: decides, per record and per location, whether the personal data
//! found there identifies a person, and estimates how many people a location
//! holds data about — as findings stream by, with bounded state.
//!
//! The privacy policy counts as personal data both what identifies a person
//! alone (a name, a My Number) and what does so only in combination (birth
//! date + gender + postal code). Which combinations count is data:
//! `patterns/combinations.toml`, each rule with examples that the self-test
//! (`crate::selftest`) runs through a whole scan. A rule looks at the
//! categories of one record (a table row, a form's paragraph, a line) or,
//! with `scope = "file"`, of a whole location (a floor plan and an address
//! in one drawing).
//!
//! [`Identify`] sees one location's findings a batch at a time. A batch
//! holds whole records (a chunk of text, a batch of table rows), so each
//! finding's level is known when its batch is; what concerns the item
//! itself (whole-file findings, drawings, column findings) waits for
//! [`Identify::finish`]. People are counted without keeping any value:
//! findings carry a keyed hash of their value under a key that never leaves
//! the process ([`crate::finding::subject_key`]), and records that share an
//! identifying value are taken for one person's (see [`People`]).
//!
//! This module knows nothing of files or detectors: it reads findings.

use std::sync::OnceLock;

use rustc_hash::FxHashMap;
use serde::Deserialize;

use crate::finding::{Category, Finding, Level, Records};

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
    /// A short name for reports, in Japanese and English.
    pub label: crate::detect::catalog::Description,
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
    /// Per rule, its `all` and `any` categories as bits.
    masks: Vec<(u16, u16)>,
}

impl Rules {
    /// The built-in rules (`patterns/combinations.toml`), parsed once per
    /// process.
    pub fn builtin() -> Result<&'static Rules, String> {
        static RULES: OnceLock<Result<Rules, String>> = OnceLock::new();
        RULES.get_or_init(|| Rules::parse(BUILTIN)).as_ref().map_err(Clone::clone)
    }

    /// Parses a rules file's text.
    pub fn parse(text: &str) -> Result<Rules, String> {
        let file: File = toml::from_str(text).map_err(|e| e.to_string())?;
        let masks =
            file.rule.iter().map(|r| (Category::bits(&r.all), Category::bits(&r.any))).collect();
        Ok(Rules { rules: file.rule, masks })
    }

    /// The rules of `scope` that hold for the categories `present`, as
    /// bits, and the highest level among them.
    pub(crate) fn fire(&self, scope: Scope, present: u16) -> (Option<Level>, u64) {
        let mut fired = 0u64;
        let mut level = None;
        for (k, (rule, &(all, any))) in self.rules.iter().zip(&self.masks).enumerate() {
            let holds =
                (all | any) != 0 && all & present == all && (any == 0 || any & present != 0);
            if rule.scope == scope && holds {
                fired |= 1 << k.min(63);
                level = level.max(Some(rule.level));
            }
        }
        (level, fired)
    }

    /// Identifies the findings of one whole location at once (the
    /// self-test's small texts): sets every finding's identifiability;
    /// the findings about the item itself end up last.
    pub fn identify(&self, findings: &mut Vec<Finding>) -> Identified {
        let mut identify = Identify::new(self, usize::MAX);
        let (mut whole, mut records): (Vec<Finding>, Vec<Finding>) =
            std::mem::take(findings).into_iter().partition(|f| f.is_column() || f.record.is_none());
        identify.records(&mut records);
        let identified = identify.finish(&mut whole);
        findings.extend(records);
        findings.extend(whole);
        identified
    }
}

/// What identification concluded for one location.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Identified {
    /// The highest level among its records and whole-file rules.
    pub level: Option<Level>,
    /// The ids of the combination rules that fired, sorted.
    pub rules: Vec<String>,
    /// Records holding a value (a drawing, or any item read without line
    /// numbers, is one).
    pub records: usize,
    /// The estimated number of people.
    pub subjects: usize,
    /// The estimate reached its cap: at least `subjects` people.
    pub subjects_at_least: bool,
}

/// The identification of one location in progress. Well-known test data
/// takes no part: a dummy 090-0000-0000 identifies no one.
#[derive(Debug)]
pub struct Identify<'r> {
    rules: &'r Rules,
    /// Categories seen anywhere in the location (for file-scope rules).
    present: u16,
    fired: u64,
    level: Option<Level>,
    records: usize,
    people: People,
}

impl<'r> Identify<'r> {
    /// A location with nothing seen yet; `people_cap` bounds the
    /// identifying values kept to count people.
    pub fn new(rules: &'r Rules, people_cap: usize) -> Identify<'r> {
        Identify {
            rules,
            present: 0,
            fired: 0,
            level: None,
            records: 0,
            people: People::new(people_cap),
        }
    }

    /// Decides the records of `batch` and sets each finding's
    /// identifiability to its record's level. A batch holds whole records:
    /// none continues in a later batch. Column findings and findings about
    /// the item itself (no record) belong to [`Identify::finish`].
    pub fn records(&mut self, batch: &mut [Finding]) {
        self.group(batch, None);
    }

    /// Ends the location: `whole` holds its column findings and the
    /// findings about the item itself (one record, judged with the
    /// file-scope rules), whose levels are set here.
    pub fn finish(mut self, whole: &mut [Finding]) -> Identified {
        for f in whole.iter().filter(|f| !f.is_column() && !f.test_data) {
            self.present |= f.category.bit();
        }
        let (file_level, ids) = self.rules.fire(Scope::File, self.present);
        self.fired |= ids;
        self.group(whole, file_level);
        self.level = self.level.max(file_level);
        // Column findings sum up cells that are in records already: they
        // take the location's level rather than make a record of their own.
        for f in whole.iter_mut().filter(|f| f.is_column()) {
            f.identifiability = self.level;
        }
        let mut rules: Vec<String> = (self.rules.rules.iter().enumerate())
            .filter(|(k, _)| self.fired & (1 << (*k).min(63)) != 0)
            .map(|(_, r)| r.id.clone())
            .collect();
        rules.sort();
        // What identifies someone holds someone: a floor plan with its
        // address has no record keyed by a person, yet one household.
        let identifies = matches!(self.level, Some(Level::Direct | Level::Combination));
        Identified {
            level: self.level,
            rules,
            records: self.records,
            subjects: self.people.count().max(usize::from(identifies)),
            subjects_at_least: self.people.at_least,
        }
    }

    /// Groups the (non-column, non-test-data) findings of `batch` into
    /// records, fires the record rules and sets levels, at least `floor`.
    fn group(&mut self, batch: &mut [Finding], floor: Option<Level>) {
        let records = Records::of(batch, |f| !f.is_column() && !f.test_data);
        let mut keys = Vec::new();
        let mut levels = Vec::new();
        for members in records.iter() {
            let found = || members.iter().map(|&i| &batch[i as usize]);
            let present = found().fold(0, |bits, f| bits | f.category.bit());
            self.present |= present;
            let (level, ids) = self.rules.fire(Scope::Record, present);
            self.fired |= ids;
            self.level = self.level.max(level);
            levels.push(level);
            // Whole-file and column findings (subject 0) name no one value.
            if !found().any(|f| f.subject != 0) {
                continue;
            }
            self.records += 1;
            identity_keys(found(), &mut keys);
            if !self.people.add(&keys) && level >= Some(Level::Combination) {
                self.people.unnamed += 1;
            }
        }
        for (members, level) in records.iter().zip(levels) {
            for &i in members {
                batch[i as usize].identifiability = level.max(floor);
            }
        }
    }
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

/// The identity keys of one record's findings: its identifying values (a
/// name together with the record's birth date, when it has one), else its
/// phone numbers, each as one 64-bit key.
pub(crate) fn identity_keys<'f>(
    found: impl Iterator<Item = &'f Finding> + Clone,
    keys: &mut Vec<u64>,
) {
    keys.clear();
    let born = found
        .clone()
        .find(|f| f.category == Category::BirthDate && f.record.is_some())
        .map_or(0, |f| f.subject);
    let key = |f: &Finding| {
        let born = if f.category == Category::Name { born } else { 0 };
        // `subject` is already a keyed 64-bit hash: mixing in the category
        // and birth date keeps the values of one category apart from
        // another's without a second hash.
        f.subject.wrapping_mul(0x9E37_79B9_7F4A_7C15)
            ^ born.rotate_left(29)
            ^ (f.category as u64 + 1).wrapping_mul(0xFF51_AFD7_ED55_8CCD)
    };
    let valued = found.filter(|f| f.subject != 0);
    keys.extend(valued.clone().filter(|f| IDENTIFIERS.contains(&f.category)).map(key));
    if keys.is_empty() {
        keys.extend(valued.filter(|f| f.category == Category::Phone).map(key));
    }
}

/// The people of one location: records that share an identifying value (a
/// name — with the record's birth date, when it has one —, an e-mail
/// address, a My Number …) are one person's, so one person mentioned ten
/// times counts once, a row with a name in kanji, kana and half-width kana
/// counts once, and a list of a hundred customers a hundred. Phone numbers
/// are shared by households and offices: they join records only where
/// nothing else identifies them. Records with no identifying value count
/// one each when they identify in combination (birth date + gender +
/// postal code), not at all when only linkable.
///
/// A union-find over people, keyed by identity keys: memory grows with the
/// distinct identifying values, up to `cap` of them; past it, values not
/// seen before are not counted, and the count is a lower bound
/// (`at_least`).
#[derive(Debug)]
pub(crate) struct People {
    /// The person (a union-find node) each identity key belongs to.
    owner: FxHashMap<u64, u32>,
    parent: Vec<u32>,
    /// Distinct people among the nodes.
    people: usize,
    /// Records identifying in combination, without an identifying value.
    unnamed: usize,
    cap: usize,
    at_least: bool,
}

impl People {
    pub(crate) fn new(cap: usize) -> People {
        People {
            owner: FxHashMap::default(),
            parent: Vec::new(),
            people: 0,
            unnamed: 0,
            cap,
            at_least: false,
        }
    }

    /// The person node `i` belongs to now.
    pub(crate) fn root(&mut self, mut i: u32) -> u32 {
        while self.parent[i as usize] != i {
            let up = self.parent[self.parent[i as usize] as usize];
            self.parent[i as usize] = up;
            i = up;
        }
        i
    }

    /// Adds one record's identity keys; false when it has none.
    fn add(&mut self, keys: &[u64]) -> bool {
        if keys.is_empty() {
            return false;
        }
        self.join(keys);
        true
    }

    /// Adds one record's identity keys and returns its person's node (see
    /// [`People::root`]): none when the record has no key, or when past the
    /// cap none of its keys was seen before.
    pub(crate) fn join(&mut self, keys: &[u64]) -> Option<u32> {
        if keys.is_empty() {
            return None;
        }
        let mut person: Option<u32> = None;
        for k in keys {
            let Some(&node) = self.owner.get(k) else { continue };
            let r = self.root(node);
            match person {
                None => person = Some(r),
                Some(p) if p != r => {
                    self.parent[r as usize] = p;
                    self.people -= 1;
                }
                Some(_) => {}
            }
        }
        let room = self.owner.len() + keys.len() <= self.cap;
        let person = match person {
            Some(p) => p,
            None if room => {
                let node = self.parent.len() as u32;
                self.parent.push(node);
                self.people += 1;
                node
            }
            None => {
                self.at_least = true;
                return None;
            }
        };
        for &k in keys {
            if room {
                self.owner.entry(k).or_insert(person);
            } else if !self.owner.contains_key(&k) {
                self.at_least = true;
            }
        }
        Some(person)
    }

    /// The nodes made so far (each a person, or merged into one).
    pub(crate) fn nodes(&self) -> u32 {
        self.parent.len() as u32
    }

    /// Whether the cap was reached: the count is a lower bound.
    pub(crate) fn at_least(&self) -> bool {
        self.at_least
    }

    /// The people counted.
    pub(crate) fn count(&self) -> usize {
        self.people + self.unnamed
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn finding(category: Category, record: u64, subject: u64) -> Finding {
        let mut f = Finding::about_item(
            std::sync::Arc::from("t.csv"),
            category,
            "d",
            None,
            crate::Confidence::High,
            String::new(),
            vec![],
        );
        f.record = Some(record);
        f.subject = subject;
        f
    }

    #[test]
    fn people_join_on_shared_values_across_batches() {
        let rules = Rules::builtin().unwrap();
        let mut identify = Identify::new(rules, usize::MAX);
        // Rows 1 and 3 share an e-mail address; row 2 is someone else.
        let mut a = vec![finding(Category::Name, 1, 10), finding(Category::Email, 1, 20)];
        let mut b = vec![finding(Category::Name, 2, 11)];
        let mut c = vec![finding(Category::Name, 3, 12), finding(Category::Email, 3, 20)];
        identify.records(&mut a);
        identify.records(&mut b);
        identify.records(&mut c);
        assert_eq!(a[0].identifiability, Some(Level::Direct));
        let done = identify.finish(&mut []);
        assert_eq!((done.records, done.subjects, done.subjects_at_least), (3, 2, false));
        assert!(done.rules.contains(&"name-with-contact".to_string()), "{:?}", done.rules);
    }

    #[test]
    fn past_the_cap_the_count_is_a_lower_bound() {
        let rules = Rules::builtin().unwrap();
        let mut identify = Identify::new(rules, 2);
        let mut rows: Vec<Finding> = (1..=5).map(|r| finding(Category::Email, r, r)).collect();
        identify.records(&mut rows);
        let done = identify.finish(&mut []);
        assert_eq!((done.subjects, done.subjects_at_least), (2, true));
    }

    #[test]
    fn what_identifies_someone_holds_at_least_one_person() {
        let rules = Rules::builtin().unwrap();
        let identify = Identify::new(rules, usize::MAX);
        // A floor plan with an address: no record keyed by a person.
        let mut whole = vec![finding(Category::FloorPlan, 0, 0), finding(Category::Address, 0, 0)];
        whole.iter_mut().for_each(|f| f.record = None);
        let done = identify.finish(&mut whole);
        assert_eq!(done.level, Some(Level::Direct), "{:?}", done.rules);
        assert_eq!(done.subjects, 1);
        // A postal code alone identifies no one, and counts no one.
        let identify = Identify::new(rules, usize::MAX);
        let mut whole = vec![finding(Category::PostalCode, 0, 0)];
        whole.iter_mut().for_each(|f| f.record = None);
        assert_eq!(identify.finish(&mut whole).subjects, 0);
    }
}

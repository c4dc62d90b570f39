//! Subject: answers a data-subject request (開示・訂正・利用停止・削除の請求) —
//! *which records, where, belong to this person?*
//!
//! A request ([`Request`]) gives any of the person's name, reading, e-mail
//! addresses, phones, birth date, address, postal code, My Number, account
//! or government id. Each value becomes its normal forms
//! ([`normalize::Forms`]) and each form a keyed fingerprint ([`IndexKey`]):
//! the [`Query`]. A record — a table row, a form's paragraph, a line — is
//! compared the same way: its findings' values become fingerprints, the
//! categories whose fingerprints the query holds *agree*, and the rules of
//! `patterns/subject.toml` ([`Rules`]) decide the strength of the match:
//! strong (a value one person holds, or the name with another attribute),
//! possible (the name alone: namesakes exist). Nothing compares raw values,
//! so the same judgement runs on a live scan ([`Matcher`], a scan
//! [`Observer`]) and on a stored index of fingerprints ([`index`]), and the
//! two give the same answer for the same data.
//!
//! This module knows nothing of files or output formats: it reads findings
//! and writes an [`Answer`].

pub mod index;
pub mod normalize;

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::sync::{Mutex, OnceLock};

use rustc_hash::FxHashSet;
use serde::{Deserialize, Serialize};

use crate::detect::catalog::Description;
use crate::finding::{Category, Finding, Part, mask};
use crate::inventory::{ItemError, Location, Skipped};
use crate::scan::Observer;
use normalize::{Key, Kind};

const BUILTIN: &str = include_str!("../../patterns/subject.toml");

/// The version of the JSON answer (`piimap subject --format json`).
pub const SCHEMA: &str = "piimap-subject/1";

/// At most this many matches are listed; past it they are still counted.
pub const MATCH_CAP: usize = 10_000;

/// How sure a match is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Strength {
    /// It may be the person's (a namesake's, say): check by hand.
    Possible,
    /// It is the person's.
    Strong,
}

impl Strength {
    /// `possible` or `strong`.
    pub fn as_str(self) -> &'static str {
        match self {
            Strength::Possible => "possible",
            Strength::Strong => "strong",
        }
    }
}

/// One matching rule.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rule {
    /// Stable id (reported with each match).
    pub id: String,
    /// The strength of a match by this rule.
    pub strength: Strength,
    /// Categories that must all agree.
    #[serde(default)]
    pub all: Vec<Category>,
    /// Categories of which one must agree.
    #[serde(default)]
    pub any: Vec<Category>,
    /// The strength instead when the record names someone else.
    #[serde(default)]
    pub name_conflict: Option<Strength>,
    /// Why, in Japanese and English.
    pub description: Description,
}

/// A record with the match it must (or must not) make.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Example {
    /// A text scanned like a file.
    pub record: String,
    /// What is asked for.
    pub query: Request,
    /// The strength of its match; none: no match.
    #[serde(default)]
    pub strength: Option<Strength>,
    /// The rules that hold, sorted.
    #[serde(default)]
    pub rules: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    rule: Vec<Rule>,
    #[serde(default)]
    example: Vec<Example>,
}

/// The matching rules of `patterns/subject.toml`, with their examples.
#[derive(Debug, Clone)]
pub struct Rules {
    /// In file order.
    pub rules: Vec<Rule>,
    /// Checked by the self-test.
    pub examples: Vec<Example>,
    masks: Vec<(u16, u16)>,
}

impl Rules {
    /// The built-in rules, parsed once per process.
    pub fn builtin() -> Result<&'static Rules, String> {
        static RULES: OnceLock<Result<Rules, String>> = OnceLock::new();
        RULES.get_or_init(|| Rules::parse(BUILTIN)).as_ref().map_err(Clone::clone)
    }

    /// Parses a rules file's text.
    pub fn parse(text: &str) -> Result<Rules, String> {
        let file: File = toml::from_str(text).map_err(|e| e.to_string())?;
        for rule in &file.rule {
            if rule.all.is_empty() && rule.any.is_empty() {
                return Err(format!("rule {}: neither `all` nor `any`", rule.id));
            }
        }
        let masks =
            file.rule.iter().map(|r| (Category::bits(&r.all), Category::bits(&r.any))).collect();
        Ok(Rules { rules: file.rule, examples: file.example, masks })
    }

    /// The categories an index must look records up by so that every
    /// record a rule can match is found: of each rule, one of its `all`
    /// categories, or all of its `any` ones. (Addresses and postal codes
    /// only ever agree beside a name or birth date, so they need no lookup.)
    pub fn lookup_categories(&self) -> u16 {
        self.masks.iter().fold(0, |bits, &(all, any)| {
            bits | if all != 0 { all & all.wrapping_neg() } else { any }
        })
    }

    /// Judges one record: its values (with fingerprints under the query's
    /// key) against the query. Marks the values that agree; `None` when no
    /// rule holds.
    pub fn judge(&self, query: &Query, values: &mut [Value]) -> Option<(Strength, Vec<String>)> {
        let mut agreed = 0u16;
        let mut other_name = false;
        for v in values.iter_mut() {
            for &(kind, fp) in v.keys.iter() {
                if query.fingerprints.contains(&fp) {
                    v.agreed = true;
                    agreed |= kind.category().bit();
                } else if kind.name_bit() & query.name_kinds != 0 {
                    other_name = true;
                }
            }
        }
        let conflict = other_name && agreed & Category::Name.bit() == 0;
        let mut best = None;
        let mut ids = Vec::new();
        for (rule, &(all, any)) in self.rules.iter().zip(&self.masks) {
            if all & agreed == all && (any == 0 || any & agreed != 0) {
                let strength = if conflict {
                    rule.name_conflict.unwrap_or(rule.strength)
                } else {
                    rule.strength
                };
                best = best.max(Some(strength));
                ids.push(rule.id.clone());
            }
        }
        ids.sort();
        best.map(|s| (s, ids))
    }
}

/// What a request gives, as written (flags of `piimap subject`, an
/// example's `query`). Every field may repeat: an old and a new address, two
/// e-mail addresses.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Request {
    /// Names, in kanji, kana or Latin letters.
    #[serde(default)]
    pub name: Vec<String>,
    /// Readings of the name (kana).
    #[serde(default)]
    pub kana: Vec<String>,
    /// E-mail addresses.
    #[serde(default)]
    pub email: Vec<String>,
    /// Phone numbers.
    #[serde(default)]
    pub phone: Vec<String>,
    /// Birth dates.
    #[serde(default)]
    pub birth_date: Vec<String>,
    /// Addresses.
    #[serde(default)]
    pub address: Vec<String>,
    /// Postal codes.
    #[serde(default)]
    pub postal_code: Vec<String>,
    /// My Numbers.
    #[serde(default)]
    pub my_number: Vec<String>,
    /// Bank account numbers.
    #[serde(default)]
    pub account: Vec<String>,
    /// Government ids (passport, driver's licence, pension number …).
    #[serde(default)]
    pub government_id: Vec<String>,
}

impl Request {
    /// Every value given, with its category and flag name.
    fn values(&self) -> impl Iterator<Item = (Category, &'static str, &str)> {
        let lists: [(Category, &'static str, &Vec<String>); 10] = [
            (Category::Name, "name", &self.name),
            (Category::Name, "kana", &self.kana),
            (Category::Email, "email", &self.email),
            (Category::Phone, "phone", &self.phone),
            (Category::BirthDate, "birth-date", &self.birth_date),
            (Category::Address, "address", &self.address),
            (Category::PostalCode, "postal-code", &self.postal_code),
            (Category::MyNumber, "my-number", &self.my_number),
            (Category::BankAccount, "account", &self.account),
            (Category::GovernmentId, "government-id", &self.government_id),
        ];
        lists
            .into_iter()
            .flat_map(|(c, flag, list)| list.iter().map(move |v| (c, flag, v.as_str())))
    }
}

/// The key of the fingerprints a query and an index compare. Never a plain
/// hash: a phone number's plain hash is found by hashing every number.
#[derive(Clone)]
pub struct IndexKey([u8; 32]);

impl fmt::Debug for IndexKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("IndexKey(…)")
    }
}

/// The fingerprint of one normal form: 64 bits of a keyed hash. Only ever
/// compared with the few fingerprints a request asks for, so 64 bits keep a
/// false agreement at odds of one in 10^18 per value, in half the space.
pub type Fingerprint = u64;

impl IndexKey {
    /// The key of a secret (a key file's content, `PIIMAP_INDEX_KEY`).
    pub fn derive(secret: &str) -> IndexKey {
        IndexKey(blake3::derive_key("piimap 2026 subject index v1", secret.trim().as_bytes()))
    }

    /// A key for one run (a search without an index).
    pub fn random() -> IndexKey {
        IndexKey::derive(&crate::finding::random_hex())
    }

    /// The fingerprint of `key`: BLAKE3 keyed with this key, of its kind
    /// and text. Short forms (all but freak values) go through the one-shot
    /// `keyed_hash` from a stack buffer: an index hashes every value of a
    /// share, and the streaming hasher costs several times more per call.
    pub fn fingerprint(&self, key: &Key) -> Fingerprint {
        let text = key.text.as_bytes();
        let mut buf = [0u8; 128];
        let hash = if text.len() < buf.len() {
            buf[0] = key.kind as u8;
            buf[1..=text.len()].copy_from_slice(text);
            blake3::keyed_hash(&self.0, &buf[..=text.len()])
        } else {
            let mut h = blake3::Hasher::new_keyed(&self.0);
            h.update(&[key.kind as u8]);
            h.update(text);
            h.finalize()
        };
        let mut out = [0; 8];
        out.copy_from_slice(&hash.as_bytes()[..8]);
        u64::from_le_bytes(out)
    }

    /// What an index stores to tell whether a query's key is its key.
    pub fn check(&self) -> String {
        let fp = self.fingerprint(&Key { kind: Kind::Name, text: "piimap key check".into() });
        format!("{fp:016x}")
    }
}

/// A value asked for, as an answer shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Given {
    /// The flag it was given with (`name`, `kana`, `birth-date` …).
    pub field: &'static str,
    /// Masked, unless `--show-values`.
    pub value: String,
}

/// A request in normal form under a key.
#[derive(Debug)]
pub struct Query {
    key: IndexKey,
    fingerprints: FxHashSet<Fingerprint>,
    /// The name kinds asked for, as [`Kind::name_bit`]s.
    name_kinds: u8,
    /// The values asked for, for the answer.
    pub given: Vec<Given>,
}

impl Query {
    /// The query of `request` under `key`; `show` keeps the values asked
    /// for readable in the answer. Fails on an empty request and on a
    /// value with no normal form (a birth date that is no date).
    pub fn new(request: &Request, key: IndexKey, show: bool) -> Result<Query, String> {
        let mut fingerprints = FxHashSet::default();
        let mut name_kinds = 0;
        let mut given = Vec::new();
        let mut forms = normalize::Forms::default();
        for (category, flag, value) in request.values() {
            let keys = forms.of(category, value);
            let usable = match category {
                Category::Phone | Category::PostalCode | Category::MyNumber => {
                    keys.first().is_some_and(|k| k.text.len() >= 7)
                }
                _ => !keys.is_empty(),
            };
            if !usable {
                return Err(format!(
                    "--{flag}: cannot read {} as a {}",
                    mask(category, value),
                    category.label_en().to_lowercase()
                ));
            }
            for k in keys {
                name_kinds |= k.kind.name_bit();
                fingerprints.insert(key.fingerprint(k));
            }
            let value = if show { value.to_string() } else { mask(category, value).to_string() };
            given.push(Given { field: flag, value });
        }
        if given.is_empty() {
            return Err("nothing to search for: give at least one of --name, --kana, --email, --phone, --birth-date, --address, --postal-code, --my-number, --account, --government-id".into());
        }
        Ok(Query { key, fingerprints, name_kinds, given })
    }

    /// The key its fingerprints are under.
    pub fn key(&self) -> &IndexKey {
        &self.key
    }

    /// Whether any of `fps` is asked for.
    pub fn wants(&self, fp: &Fingerprint) -> bool {
        self.fingerprints.contains(fp)
    }

    /// Every fingerprint asked for.
    pub fn fingerprints(&self) -> impl Iterator<Item = &Fingerprint> {
        self.fingerprints.iter()
    }
}

/// Where a record is within its location.
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Place {
    /// The sheet of a workbook.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sheet: Option<String>,
    /// The page of a PDF.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub page: Option<u32>,
    /// The slide of a presentation.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub slide: Option<u32>,
    /// The record's first line (a sheet's row).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<u64>,
    /// A database row's key.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub row: Option<String>,
    /// The commit, in a history scan.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub commit: Option<String>,
}

impl Place {
    /// The place of the record `f` belongs to.
    fn of(f: &Finding) -> Place {
        Place {
            sheet: f.sheet.as_deref().map(str::to_string),
            page: f.part.and_then(Part::page),
            slide: f.part.and_then(Part::slide),
            line: if f.row.is_some() { None } else { f.record },
            row: f.row.clone(),
            commit: f.commit.as_deref().map(str::to_string),
        }
    }

    /// How a person reads it: `line 3`, `sheet 顧客 row 5`, `page 2 line 4`,
    /// `row id=7`, or nothing for the item itself.
    pub fn describe(&self, ja: bool) -> String {
        let mut parts = Vec::new();
        if let Some(s) = &self.sheet {
            parts.push(if ja { format!("シート {s}") } else { format!("sheet {s}") });
        }
        if let Some(p) = self.page {
            parts.push(if ja { format!("{p}ページ") } else { format!("page {p}") });
        }
        if let Some(s) = self.slide {
            parts.push(if ja { format!("スライド{s}") } else { format!("slide {s}") });
        }
        if let Some(l) = self.line {
            let unit = match (ja, self.sheet.is_some()) {
                (true, true) => "行",
                (true, false) => "行目",
                (false, true) => "row",
                (false, false) => "line",
            };
            parts.push(if ja { format!("{l}{unit}") } else { format!("{unit} {l}") });
        }
        if let Some(r) = &self.row {
            parts.push(if ja { format!("行 {r}") } else { format!("row {r}") });
        }
        if let Some(c) = &self.commit {
            parts.push(format!("commit {}", &c[..c.len().min(12)]));
        }
        parts.join(" ")
    }
}

/// One value of a record, as a match compares and shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Value {
    /// Its category.
    pub category: Category,
    /// The column header it sits under (shared with its findings).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<std::sync::Arc<str>>,
    /// Its line (a sheet's row).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<u64>,
    /// Its column (characters in a line; the column number in a sheet).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub column: Option<u64>,
    /// A sheet's cell (`C5`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cell: Option<String>,
    /// Masked.
    pub masked: String,
    /// Raw, only with `--show-values` on a scan (an index keeps none).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
    /// Whether it agrees with a value asked for.
    pub agreed: bool,
    /// Its normal forms' fingerprints.
    #[serde(skip)]
    pub keys: Keys,
}

/// The fingerprints of one value's normal forms, inline: a value has at
/// most two (a reading as kana and as romaji, a date in two orders), and an
/// index fingerprints every value of a share.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Keys {
    len: u8,
    keys: [(Kind, Fingerprint); 2],
}

impl Default for Keys {
    fn default() -> Keys {
        Keys { len: 0, keys: [(Kind::Name, 0); 2] }
    }
}

impl Keys {
    /// Adds one; a third is dropped (no normal form has more than two).
    pub fn push(&mut self, kind: Kind, fp: Fingerprint) {
        if let Some(slot) = self.keys.get_mut(usize::from(self.len)) {
            *slot = (kind, fp);
            self.len += 1;
        }
    }

    /// The fingerprints and their kinds.
    pub fn iter(&self) -> std::slice::Iter<'_, (Kind, Fingerprint)> {
        self.keys[..usize::from(self.len)].iter()
    }

    /// How many.
    pub fn len(&self) -> usize {
        usize::from(self.len)
    }

    /// None at all.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }
}

/// One record of a batch, as [`each_record`] hands it over.
pub struct Record<'a> {
    /// A finding of the record: its place is the record's.
    pub first: &'a Finding,
    /// The categories of all its findings, as [`Category::bits`].
    pub categories: u16,
    /// Its values with a normal form, in the batch's order, with their
    /// fingerprints.
    pub values: &'a [(&'a Finding, Keys)],
}

/// Groups one location's findings into records and hands each record with
/// an identifying value to `each`, in the order of their first findings,
/// with the fingerprints of its values under `key`. Findings without a value
/// (column and whole-file findings) only add their category. Nothing is
/// allocated per record: an index sees every record of a share.
pub fn each_record(findings: &[Finding], key: &IndexKey, mut each: impl FnMut(Record<'_>)) {
    let mut forms = normalize::Forms::default();
    let mut values: Vec<(&Finding, Keys)> = Vec::new();
    crate::finding::for_each_record(findings, |members| {
        let mut categories = 0;
        values.clear();
        for &f in members {
            categories |= f.category.bit();
            let Some(raw) = f.value.as_deref() else { continue };
            // Only values that can agree with a request (not a gender, a card).
            let keys = forms.of(f.category, raw).iter().fold(Keys::default(), |mut out, k| {
                out.push(k.kind, key.fingerprint(k));
                out
            });
            if !keys.is_empty() {
                values.push((f, keys));
            }
        }
        if !values.is_empty() {
            each(Record { first: members[0], categories, values: &values });
        }
    });
}

/// The cell of a sheet's value (`C5`).
fn cell(f: &Finding) -> Option<String> {
    f.sheet.as_ref()?;
    Some(crate::read::spreadsheet::cell_name(
        u32::try_from(f.column?).ok()?,
        u32::try_from(f.line?).ok()?,
    ))
}

/// One location's findings grouped into records ([`each_record`]) as the
/// matcher judges them; with `show`, the raw values too.
pub fn records(findings: &[Finding], key: &IndexKey, show: bool) -> Vec<(Place, u16, Vec<Value>)> {
    let mut out = Vec::new();
    each_record(findings, key, |record| {
        let values = record
            .values
            .iter()
            .map(|&(f, keys)| Value {
                category: f.category,
                field: f.field.clone(),
                line: f.line,
                column: f.column,
                cell: cell(f),
                masked: f.masked.to_string(),
                value: show.then(|| f.value.as_deref().unwrap_or_default().to_string()),
                agreed: false,
                keys,
            })
            .collect();
        out.push((Place::of(record.first), record.categories, values));
    });
    out
}

/// A record that belongs (or may belong) to the person.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Match {
    /// The location.
    pub path: String,
    /// The record within it.
    pub place: Place,
    /// How sure.
    pub strength: Strength,
    /// The rules that held, sorted.
    pub rules: Vec<String>,
    /// The categories that agreed.
    pub agreed: Vec<Category>,
    /// Every category the record holds (for the disclosure answer).
    pub categories: Vec<Category>,
    /// Its identifying values.
    pub values: Vec<Value>,
}

impl Match {
    fn order(&self) -> (&str, &Place) {
        (&self.path, &self.place)
    }
}

/// A location with matches.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Held {
    /// The location.
    pub path: String,
    /// Its strongest match.
    pub strength: Strength,
    /// Its matching records.
    pub matches: usize,
    /// What the location holds, per category (value findings of everyone in
    /// it, not only the person's).
    pub categories: BTreeMap<Category, usize>,
}

/// The answer to a request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Answer {
    /// [`SCHEMA`].
    pub schema: &'static str,
    /// `scan` or `index`.
    pub source: &'static str,
    /// What was asked for.
    pub query: Vec<Given>,
    /// Counts.
    pub summary: Summary,
    /// One entry per location with a match, sorted by path.
    pub locations: Vec<Held>,
    /// The matching records, sorted by path and place (at most
    /// [`MATCH_CAP`]).
    pub matches: Vec<Match>,
    /// What could not be searched: an answer must say so.
    pub errors: Vec<Gap>,
    /// What was not searched on purpose (size limit, no text layer).
    pub skipped: Vec<Gap>,
}

/// An item not searched.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Gap {
    /// The item.
    pub path: String,
    /// Why.
    pub reason: String,
}

/// The counts of an answer.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Summary {
    /// Strong matches.
    pub strong: usize,
    /// Possible matches.
    pub possible: usize,
    /// Locations with a match.
    pub locations: usize,
    /// More matches than listed.
    pub truncated: bool,
}

/// Collects matches as they are found, from a scan or an index.
#[derive(Debug, Default)]
pub struct Collect {
    matches: Vec<Match>,
    strong: usize,
    possible: usize,
    /// Per matched location: its strongest match, matches, and categories
    /// once its aggregate is known.
    held: BTreeMap<String, (Strength, usize, BTreeMap<Category, usize>)>,
}

impl Collect {
    /// Judges the records of one batch and keeps those that match.
    pub fn judge(
        &mut self,
        rules: &Rules,
        query: &Query,
        path: &str,
        records: Vec<(Place, u16, Vec<Value>)>,
    ) {
        for (place, cats, mut values) in records {
            let Some((strength, ids)) = rules.judge(query, &mut values) else { continue };
            let agreed: BTreeSet<Category> =
                values.iter().filter(|v| v.agreed).map(|v| v.category).collect();
            match strength {
                Strength::Strong => self.strong += 1,
                Strength::Possible => self.possible += 1,
            }
            let held = self.held.entry(path.to_string()).or_insert((strength, 0, BTreeMap::new()));
            held.0 = held.0.max(strength);
            held.1 += 1;
            if self.matches.len() < MATCH_CAP {
                self.matches.push(Match {
                    path: path.to_string(),
                    place,
                    strength,
                    rules: ids,
                    agreed: agreed.into_iter().collect(),
                    categories: Category::of_bits(cats),
                    values,
                });
            }
        }
    }

    /// Records what a location holds, if it matched.
    pub fn location(&mut self, path: &str, categories: &BTreeMap<Category, usize>) {
        if let Some(held) = self.held.get_mut(path) {
            held.2.clone_from(categories);
        }
    }

    /// The answer, sorted.
    pub fn answer(
        mut self,
        source: &'static str,
        query: &Query,
        mut errors: Vec<Gap>,
        mut skipped: Vec<Gap>,
    ) -> Answer {
        self.matches.sort_by(|a, b| a.order().cmp(&b.order()));
        errors.sort();
        skipped.sort();
        let truncated = self.strong + self.possible > self.matches.len();
        Answer {
            schema: SCHEMA,
            source,
            query: query.given.clone(),
            summary: Summary {
                strong: self.strong,
                possible: self.possible,
                locations: self.held.len(),
                truncated,
            },
            locations: self
                .held
                .into_iter()
                .map(|(path, (strength, matches, categories))| Held {
                    path,
                    strength,
                    matches,
                    categories,
                })
                .collect(),
            matches: self.matches,
            errors,
            skipped,
        }
    }
}

/// Searches a scan as it runs: an [`Observer`] that judges every record
/// while its values are still in the process.
#[derive(Debug)]
pub struct Matcher<'a> {
    rules: &'a Rules,
    query: &'a Query,
    /// Raw values of matching records are kept in the answer.
    show_values: bool,
    found: Mutex<Collect>,
}

impl<'a> Matcher<'a> {
    /// A search for `query`.
    pub fn new(rules: &'a Rules, query: &'a Query, show_values: bool) -> Matcher<'a> {
        Matcher { rules, query, show_values, found: Mutex::default() }
    }

    /// The answer, with the scan's errors and skipped items.
    pub fn answer(self, errors: &[ItemError], skipped: &[Skipped]) -> Answer {
        let found = self.found.into_inner().unwrap_or_else(std::sync::PoisonError::into_inner);
        found.answer("scan", self.query, gaps_of_errors(errors), gaps_of_skipped(skipped))
    }
}

/// Errors as gaps.
pub fn gaps_of_errors(errors: &[ItemError]) -> Vec<Gap> {
    errors.iter().map(|e| Gap { path: e.path.clone(), reason: e.message.clone() }).collect()
}

/// Skipped items as gaps.
pub fn gaps_of_skipped(skipped: &[Skipped]) -> Vec<Gap> {
    skipped.iter().map(|s| Gap { path: s.path.clone(), reason: s.reason.clone() }).collect()
}

impl Observer for Matcher<'_> {
    fn findings(&self, findings: &[Finding]) {
        let Some(first) = findings.first() else { return };
        let mut records = records(findings, &self.query.key, self.show_values);
        records.retain(|(_, _, values)| {
            values.iter().any(|v| v.keys.iter().any(|(_, fp)| self.query.wants(fp)))
        });
        if records.is_empty() {
            return;
        }
        let mut found = self.found.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        found.judge(self.rules, self.query, &first.path, records);
    }

    fn location(&self, location: &Location) {
        let mut found = self.found.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        found.location(&location.path, &location.categories);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fingerprints_of_short_and_long_forms_are_the_same_hash() {
        let key = IndexKey::derive("k");
        for len in [0, 1, 126, 127, 128, 300] {
            let k = Key { kind: Kind::Address, text: "a".repeat(len) };
            let mut h = blake3::Hasher::new_keyed(&key.0);
            h.update(&[Kind::Address as u8]);
            h.update(k.text.as_bytes());
            let want = u64::from_le_bytes(h.finalize().as_bytes()[..8].try_into().unwrap());
            assert_eq!(key.fingerprint(&k), want, "{len}");
        }
    }

    #[test]
    fn lookups_cover_every_rule() {
        let rules = Rules::builtin().unwrap();
        let lookup = rules.lookup_categories();
        assert_eq!(
            Category::of_bits(lookup),
            [
                Category::Name,
                Category::Phone,
                Category::Email,
                Category::BirthDate,
                Category::BankAccount,
                Category::MyNumber,
                Category::GovernmentId
            ]
        );
        // Every rule needs a looked-up category to agree.
        for (all, any) in &rules.masks {
            assert!(all & lookup != 0 || (any & !lookup) == 0);
        }
    }

    #[test]
    fn the_variant_table_is_one_character_to_another() {
        let text = include_str!("../../patterns/names/kanji-variants.tsv");
        let mut seen = std::collections::HashSet::new();
        for line in text.lines().filter(|l| !l.is_empty() && !l.starts_with('#')) {
            let (a, b) = line.split_once('\t').expect(line);
            assert_eq!((a.chars().count(), b.chars().count()), (1, 1), "{line}");
            assert_ne!(a, b, "{line}");
            assert!(seen.insert(a), "{a} twice");
        }
    }
}

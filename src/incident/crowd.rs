//! The people of a leak, counted across every location at once, and each
//! person's contact points for the notification list: [`Crowd`], an
//! observer of the scan (it sees each batch of whole records while the raw
//! values are still there).
//!
//! People are told apart as a location's estimate tells them apart
//! (`crate::identify`): records sharing an identity key — a name with its
//! birth date, an e-mail address, a My Number, an account, a card; a phone
//! only where nothing else identifies — are one person's, here across
//! files, so a customer in the CSV and in the mailbox counts once. Records
//! that identify only in combination (birth date + gender + postal code)
//! count one each. The keys are the scan's in-process keyed hashes: nothing
//! is written.
//!
//! Memory grows with the people, not the files: the union-find keeps one
//! node per person up to the scan's people cap (past it the count is a
//! lower bound), and the contact points, asked for only with a
//! notification list, stop at [`CONTACT_CAP`] (the list then says it is
//! short).

use std::collections::BTreeMap;
use std::io::{self, Write};
use std::sync::{Arc, Mutex};

use rustc_hash::{FxHashMap, FxHashSet};
use serde::Serialize;

use crate::finding::{Category, Finding, Level};
use crate::identify::{self, People, Scope};
use crate::inventory::Location;
use crate::scan::Observer;
use crate::subject::IndexKey;
use crate::subject::normalize::Forms;

/// At most this many contact points (and person–location pairs) are kept
/// for the notification list: about 100 bytes each.
pub const CONTACT_CAP: usize = 4_000_000;

/// The categories a notice can be sent by, or addressed with.
const CONTACT: [Category; 5] =
    [Category::Name, Category::Email, Category::Phone, Category::Address, Category::PostalCode];

/// How the notification list shows contact points.
#[derive(Debug)]
pub struct Contacts {
    /// Keys the fingerprints that tell one value from another.
    pub key: IndexKey,
    /// Raw values (`--show-values`), else masked ones.
    pub raw: bool,
}

/// Counts the people of a scan across its locations (see the module doc).
#[derive(Debug)]
pub struct Crowd<'r> {
    rules: &'r identify::Rules,
    contacts: Option<Contacts>,
    state: Mutex<State>,
}

#[derive(Debug)]
struct State {
    people: People,
    /// Records that identify in combination but hold no identity key.
    unnamed: usize,
    /// Each person's distinct contact points (by the person's node when
    /// the point was first seen: nodes merge later, roots are taken when
    /// the list is written).
    contacts: Vec<Contact>,
    seen: FxHashSet<(u32, Category, u64)>,
    /// The contact points' shown texts, one after another.
    texts: String,
    /// The locations each person was found in, by node and location.
    found: FxHashSet<(u32, u32)>,
    paths: Vec<Arc<str>>,
    path_ids: FxHashMap<Arc<str>, u32>,
    truncated: bool,
}

/// One contact point of a person.
#[derive(Debug)]
struct Contact {
    person: u32,
    category: Category,
    fingerprint: u64,
    /// Its shown text in [`State::texts`].
    text: std::ops::Range<usize>,
}

/// A record's part of a batch, before the lock is taken.
struct Pending {
    keys: Vec<u64>,
    contacts: Vec<(Category, u64, String)>,
}

/// One line of the notification list.
#[derive(Debug, Serialize)]
struct Line<'a> {
    person: usize,
    raw: bool,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    name: Vec<Point<'a>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    email: Vec<Point<'a>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    phone: Vec<Point<'a>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    address: Vec<Point<'a>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    postal_code: Vec<Point<'a>>,
    found_in: Vec<&'a str>,
}

/// A contact point as the list shows it.
#[derive(Debug, Serialize, PartialEq, Eq, PartialOrd, Ord)]
struct Point<'a> {
    value: &'a str,
    fingerprint: String,
}

impl<'r> Crowd<'r> {
    /// A crowd judged by the combination `rules`, counting up to
    /// `people_cap` identity keys, gathering contact points when `contacts`
    /// says how.
    pub fn new(
        rules: &'r identify::Rules,
        people_cap: usize,
        contacts: Option<Contacts>,
    ) -> Crowd<'r> {
        Crowd {
            rules,
            contacts,
            state: Mutex::new(State {
                people: People::new(people_cap),
                unnamed: 0,
                contacts: Vec::new(),
                seen: FxHashSet::default(),
                texts: String::new(),
                found: FxHashSet::default(),
                paths: Vec::new(),
                path_ids: FxHashMap::default(),
                truncated: false,
            }),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        // A worker that panicked mid-batch leaves counts that are still
        // counts: keep going.
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The people counted, and whether that is a lower bound.
    pub fn people(&self) -> (usize, bool) {
        let state = self.lock();
        (state.people.count() + state.unnamed, state.people.at_least())
    }

    /// Writes the notification list: one JSON line per person, sorted, with
    /// the person's contact points and where they were found. Returns the
    /// people listed and whether the list is short of some (a cap).
    pub fn write_list(&self, out: &mut dyn Write) -> io::Result<(usize, bool)> {
        let mut state = self.lock();
        let raw = self.contacts.as_ref().is_some_and(|c| c.raw);
        // Every person (a root), with their contact points and locations.
        let mut by_person: BTreeMap<u32, (Vec<usize>, Vec<u32>)> = BTreeMap::new();
        for node in 0..state.people.nodes() {
            let root = state.people.root(node);
            by_person.entry(root).or_default();
        }
        for i in 0..state.contacts.len() {
            let person = state.contacts[i].person;
            let root = state.people.root(person);
            by_person.entry(root).or_default().0.push(i);
        }
        let found: Vec<(u32, u32)> = state.found.iter().copied().collect();
        for (person, path) in found {
            let root = state.people.root(person);
            by_person.entry(root).or_default().1.push(path);
        }
        let state = &*state;
        let mut lines: Vec<String> = Vec::with_capacity(by_person.len());
        for (contacts, paths) in by_person.values() {
            let mut line = Line {
                person: 0,
                raw,
                name: Vec::new(),
                email: Vec::new(),
                phone: Vec::new(),
                address: Vec::new(),
                postal_code: Vec::new(),
                found_in: paths.iter().map(|&p| &*state.paths[p as usize]).collect(),
            };
            // Merged nodes may each have seen one point.
            let mut seen: Vec<(Category, u64)> = Vec::new();
            for &i in contacts {
                let c = &state.contacts[i];
                if seen.contains(&(c.category, c.fingerprint)) {
                    continue;
                }
                seen.push((c.category, c.fingerprint));
                let point = Point {
                    value: &state.texts[c.text.clone()],
                    fingerprint: format!("{:016x}", c.fingerprint),
                };
                match c.category {
                    Category::Name => line.name.push(point),
                    Category::Email => line.email.push(point),
                    Category::Phone => line.phone.push(point),
                    Category::Address => line.address.push(point),
                    _ => line.postal_code.push(point),
                }
            }
            for list in [
                &mut line.name,
                &mut line.email,
                &mut line.phone,
                &mut line.address,
                &mut line.postal_code,
            ] {
                list.sort();
            }
            line.found_in.sort_unstable();
            line.found_in.dedup();
            lines.push(serde_json::to_string(&line).map_err(io::Error::other)?);
        }
        // Sorted by content (the scan's order is the workers'), then
        // numbered: `person` is serialised first, as 0.
        lines.sort();
        for (n, line) in lines.iter().enumerate() {
            let numbered = line.replacen("{\"person\":0,", &format!("{{\"person\":{},", n + 1), 1);
            writeln!(out, "{numbered}")?;
        }
        Ok((lines.len(), state.truncated || state.people.at_least()))
    }
}

impl Observer for Crowd<'_> {
    fn findings(&self, findings: &[Finding]) {
        let mut forms = Forms::default();
        let mut pending = Vec::new();
        let mut unnamed = 0;
        crate::finding::for_each_record(findings, |members| {
            // Well-known test data identifies no one.
            let found = members.iter().copied().filter(|f| !f.test_data);
            let mut keys = Vec::new();
            identify::identity_keys(found.clone(), &mut keys);
            if keys.is_empty() {
                let present = found.fold(0, |bits, f| bits | f.category.bit());
                if self.rules.fire(Scope::Record, present).0 >= Some(Level::Combination) {
                    unnamed += 1;
                }
                return;
            }
            let mut contacts = Vec::new();
            if let Some(how) = &self.contacts {
                for f in found.filter(|f| CONTACT.contains(&f.category)) {
                    let Some(raw) = f.value.as_deref() else { continue };
                    // Two spellings of one value (`+81 90…`, `090…`) are
                    // one contact point.
                    let Some(form) = forms.of(f.category, raw).first() else { continue };
                    let shown = if how.raw { raw.to_string() } else { f.masked.to_string() };
                    contacts.push((f.category, how.key.fingerprint(form), shown));
                }
            }
            pending.push(Pending { keys, contacts });
        });
        let Some(path) = findings.first().map(|f| &f.path) else { return };
        let mut state = self.lock();
        let state = &mut *state;
        state.unnamed += unnamed;
        let location = match state.path_ids.get(path) {
            Some(&id) => id,
            None => {
                let id = state.paths.len() as u32;
                state.paths.push(Arc::clone(path));
                state.path_ids.insert(Arc::clone(path), id);
                id
            }
        };
        for record in pending {
            let Some(person) = state.people.join(&record.keys) else { continue };
            if self.contacts.is_none() {
                continue;
            }
            if state.found.len() + state.contacts.len() >= CONTACT_CAP {
                state.truncated = true;
                continue;
            }
            state.found.insert((person, location));
            for (category, fingerprint, shown) in record.contacts {
                // A person's records repeat their points: each is kept once.
                if state.seen.insert((person, category, fingerprint)) {
                    let start = state.texts.len();
                    state.texts.push_str(&shown);
                    let text = start..state.texts.len();
                    state.contacts.push(Contact { person, category, fingerprint, text });
                }
            }
        }
    }

    fn location(&self, _: &Location) {}
}

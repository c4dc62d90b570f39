//! `--format sarif`: SARIF 2.1.0 for code-scanning tools (GitHub code
//! scanning and others), streamed: the run's rules first (every detector
//! the scan runs, with its ja/en description as help), then each result as
//! its item is done, then the invocation with unreadable items as tool
//! notifications, so a partial scan says so. Results carry the masked value
//! only.
//!
//! For code scanning: a repository's files are named relative to its top
//! level under `uriBaseId` `%SRCROOT%`, each rule links its section of the
//! detector reference (`helpUri`) and carries a `security-severity` from
//! its category's sensitivity, and levels follow confidence (only high is
//! an `error`).

use std::collections::{BTreeMap, HashMap};
use std::io::{self, Write};
use std::sync::Arc;

use serde_json::{Value, json};
use smol_str::SmolStr;

use super::stream::Format;
use crate::finding::{Category, Confidence, Finding};
use crate::inventory::{Inventory, ItemError, Location, Rule, Skipped};
use crate::source::root::Root;

/// The base id of a repository's files.
const SRCROOT: &str = "%SRCROOT%";

/// The SARIF format, with the rules its results refer to.
pub(super) struct Sarif {
    rules: BTreeMap<String, Rule>,
    index: HashMap<String, usize>,
    /// The repository scanned, if one was: URIs are relative to it.
    root: Option<Root>,
}

impl Sarif {
    pub(super) fn new(rules: &BTreeMap<String, Rule>, root: Option<&Root>) -> Sarif {
        let index = rules.keys().enumerate().map(|(i, id)| (id.clone(), i)).collect();
        let root = root.filter(|r| r.is_repository()).cloned();
        Sarif { rules: rules.clone(), index, root }
    }

    /// Where `path` is, as a SARIF location.
    fn location(&self, path: &str, line: Option<u64>, column: Option<u64>) -> Value {
        let artifact = match &self.root {
            Some(root) => json!({ "uri": uri(&root.relative(path)), "uriBaseId": SRCROOT }),
            None => json!({ "uri": uri(path) }),
        };
        let mut physical = json!({ "artifactLocation": artifact });
        if let Some(line) = line {
            physical["region"] = json!({ "startLine": line, "startColumn": column.unwrap_or(1) });
        }
        json!({ "physicalLocation": physical })
    }
}

/// How much a leak of the category hurts, on code scanning's 0–10 scale
/// (≥ 9 critical, ≥ 7 high, ≥ 4 medium): identifiers that open accounts or
/// the state's records first, then what locates or contacts a person, then
/// attributes. Column classification, which finds any category, is medium.
fn sensitivity(category: Option<Category>) -> f64 {
    match category {
        Some(Category::MyNumber) => 9.0,
        Some(Category::GovernmentId | Category::PaymentCard) => 8.0,
        Some(Category::BankAccount) => 7.5,
        Some(Category::FloorPlan | Category::Address) => 6.5,
        Some(Category::Name | Category::BirthDate | Category::Phone) => 5.5,
        Some(Category::Email) => 5.0,
        Some(Category::Gender | Category::Occupation) => 4.0,
        Some(Category::PostalCode) => 3.0,
        None => 5.0,
    }
}

/// A finding's severity: its category's, less when it is less certain.
fn severity(category: Category, confidence: Confidence) -> f64 {
    let weight = match confidence {
        Confidence::High => 1.0,
        Confidence::Medium => 0.75,
        Confidence::Low => 0.4,
    };
    sensitivity(Some(category)) * weight
}

/// The location being written, and how often each (rule, masked value)
/// occurred in it so far (for fingerprints without a key).
#[derive(Default)]
pub(super) struct Occurrences {
    path: Option<Arc<str>>,
    seen: HashMap<(Arc<str>, SmolStr), u32>,
}

impl Format for Sarif {
    type State = Occurrences;
    const SEPARATOR: &'static [u8] = b",\n";

    fn header(&self, out: &mut dyn Write) -> io::Result<()> {
        let rules: Vec<Value> = self
            .rules
            .iter()
            .map(|(id, rule)| {
                let short = match rule.category {
                    Some(c) => format!("{} ({})", c.id(), c.label_ja()),
                    None => id.clone(),
                };
                let mut r = json!({
                    "id": id,
                    "name": id,
                    "shortDescription": { "text": short },
                    "fullDescription": { "text": rule.en },
                    "help": {
                        "text": format!("{}\n{}", rule.en, rule.ja),
                        "markdown": format!("{}\n\n{}", rule.en, rule.ja),
                    },
                    "helpUri": format!("{}#{id}", super::detectors::URL),
                    "properties": {
                        "tags": ["privacy"],
                        "security-severity": format!("{:.1}", sensitivity(rule.category)),
                    },
                });
                if let Some(c) = rule.category {
                    r["properties"]["category"] = json!(c.id());
                    r["properties"]["tags"] = json!(["privacy", c.id()]);
                }
                r
            })
            .collect();
        let driver = json!({
            "name": "piimap",
            "version": env!("CARGO_PKG_VERSION"),
            "informationUri": env!("CARGO_PKG_REPOSITORY"),
            "rules": rules,
        });
        // Where %SRCROOT% is on this machine; code scanning uses its own
        // checkout instead.
        let bases = match &self.root {
            Some(root) => {
                let dir = root.dir().to_string_lossy().replace('\\', "/");
                let dir = dir.trim_end_matches('/');
                let base = json!({ SRCROOT: { "uri": format!("file://{}/", uri(dir)) } });
                format!("\"originalUriBaseIds\":{base},")
            }
            None => String::new(),
        };
        writeln!(
            out,
            "{{\"$schema\":\"https://json.schemastore.org/sarif-2.1.0.json\",\"version\":\"2.1.0\",\
             \"runs\":[{{\"tool\":{{\"driver\":{driver}}},{bases}\"columnKind\":\"unicodeCodePoints\",\"results\":["
        )
    }

    fn findings(&self, state: &mut Occurrences, findings: &[Finding], out: &mut Vec<u8>) {
        for f in findings {
            if state.path.as_deref() != Some(&*f.path) {
                state.path = Some(Arc::clone(&f.path));
                state.seen.clear();
            }
            if !out.is_empty() {
                out.extend_from_slice(Self::SEPARATOR);
            }
            let result = self.result(f, &mut state.seen);
            // Writing a JSON value into memory cannot fail.
            let _ = serde_json::to_writer(&mut *out, &result);
        }
    }

    fn location(&self, _: &mut Occurrences, _: &Location, _: &mut Vec<u8>) {}

    fn error(&self, _: &mut Occurrences, _: &ItemError, _: &mut Vec<u8>) {}

    fn skipped(&self, _: &mut Occurrences, _: &Skipped, _: &mut Vec<u8>) {}

    fn footer(&self, inv: &Inventory, out: &mut dyn Write) -> io::Result<()> {
        let notifications: Vec<Value> = inv
            .errors
            .iter()
            .map(|e| {
                json!({
                    "level": "error",
                    "message": { "text": e.message },
                    "locations": [self.location(&e.path, None, None)],
                })
            })
            .collect();
        let invocation = json!({
            "executionSuccessful": inv.errors.is_empty(),
            "toolExecutionNotifications": notifications,
        });
        writeln!(out, "\n],\"invocations\":[{invocation}]}}]}}")
    }
}

impl Sarif {
    fn result(&self, f: &Finding, seen: &mut HashMap<(Arc<str>, SmolStr), u32>) -> Value {
        let mut result = json!({
            "ruleId": &*f.detector,
            "level": level(f.confidence),
            "message": { "text": message(f) },
            "locations": [self.location(&f.path, f.line, f.column)],
            "properties": {
                "category": f.category.id(),
                "confidence": f.confidence.as_str(),
                "security-severity": format!("{:.1}", severity(f.category, f.confidence)),
            },
        });
        if let Some(&i) = self.index.get(&*f.detector) {
            result["ruleIndex"] = json!(i);
        }
        if let Some(field) = &f.field {
            result["properties"]["field"] = json!(&**field);
        }
        if let Some(level) = f.identifiability {
            result["properties"]["identifiability"] = json!(level.as_str());
        }
        if f.test_data {
            result["properties"]["test_data"] = json!(true);
        }
        if let Some(commit) = &f.commit {
            result["properties"]["commit"] = json!(&**commit);
        }
        if !f.reasons.is_empty() {
            result["properties"]["reasons"] = json!(f.reasons);
        }
        // A keyed hash of the value: stable across runs under one key
        // (PIIMAP_BASELINE_KEY or a baseline's), never the value itself.
        // Without a key, a hash of what the result already shows (rule,
        // file, masked value, and which occurrence of those it is): stable
        // when lines move, and it reveals nothing the message does not.
        result["partialFingerprints"] = if f.fingerprint.is_empty() {
            let n = seen.entry((Arc::clone(&f.detector), f.masked.clone())).or_insert(0);
            *n += 1;
            let path = match &self.root {
                Some(root) => root.relative(&f.path),
                None => std::borrow::Cow::Borrowed(&*f.path),
            };
            let shown = format!("{}\0{path}\0{}\0{n}", f.detector, f.masked);
            let hash = blake3::hash(shown.as_bytes()).to_hex();
            json!({ "piimapLocation/v1": &hash.as_str()[..32] })
        } else {
            json!({ "piimapValue/v1": f.fingerprint })
        };
        result
    }
}

/// Code scanning's levels: only high-confidence findings are errors.
fn level(c: Confidence) -> &'static str {
    match c {
        Confidence::High => "error",
        Confidence::Medium => "warning",
        Confidence::Low => "note",
    }
}

fn message(f: &Finding) -> String {
    let what = format!("{} ({})", f.category.id(), f.category.label_ja());
    match &f.value {
        Some(v) => format!("{what}: {v}"),
        None => format!("{what}: {}", f.masked),
    }
}

/// A relative URI reference for a report path: `./` dropped, every byte
/// outside RFC 3986's unreserved set and `/` percent-encoded (Japanese file
/// names included).
fn uri(path: &str) -> String {
    let path = path.strip_prefix("./").unwrap_or(path);
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uris_are_relative_and_encoded() {
        assert_eq!(uri("./a/b.txt"), "a/b.txt");
        assert_eq!(uri("顧客 list.csv"), "%E9%A1%A7%E5%AE%A2%20list.csv");
    }
}

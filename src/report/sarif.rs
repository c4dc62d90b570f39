//! `--format sarif`: SARIF 2.1.0 for code-scanning tools (GitHub code
//! scanning and others), streamed: the run's rules first (every detector
//! the scan runs, with its ja/en description as help), then each result as
//! its item is done, then the invocation with unreadable items as tool
//! notifications, so a partial scan says so. Results carry the masked value
//! only.

use std::collections::{BTreeMap, HashMap};
use std::io::{self, Write};
use std::sync::Arc;

use serde_json::{Value, json};

use super::stream::Format;
use crate::finding::{Confidence, Finding};
use crate::inventory::{Inventory, ItemError, Location, Rule, Skipped};

/// The SARIF format, with the rules its results refer to.
pub(super) struct Sarif {
    rules: BTreeMap<String, Rule>,
    index: HashMap<String, usize>,
}

impl Sarif {
    pub(super) fn new(rules: &BTreeMap<String, Rule>) -> Sarif {
        let index = rules.keys().enumerate().map(|(i, id)| (id.clone(), i)).collect();
        Sarif { rules: rules.clone(), index }
    }
}

/// The location being written, and how often each (rule, masked value)
/// occurred in it so far (for fingerprints without a key).
#[derive(Default)]
pub(super) struct Occurrences {
    path: Option<Arc<str>>,
    seen: HashMap<(Arc<str>, String), u32>,
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
                    "properties": { "tags": ["privacy"] },
                });
                if let Some(c) = rule.category {
                    r["properties"] = json!({ "category": c.id(), "tags": ["privacy", c.id()] });
                }
                r
            })
            .collect();
        let driver =
            json!({ "name": "piimap", "version": env!("CARGO_PKG_VERSION"), "rules": rules });
        writeln!(
            out,
            "{{\"$schema\":\"https://json.schemastore.org/sarif-2.1.0.json\",\"version\":\"2.1.0\",\
             \"runs\":[{{\"tool\":{{\"driver\":{driver}}},\"columnKind\":\"unicodeCodePoints\",\"results\":["
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
                    "locations": [location(&e.path, None, None)],
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
    fn result(&self, f: &Finding, seen: &mut HashMap<(Arc<str>, String), u32>) -> Value {
        let mut result = json!({
            "ruleId": &*f.detector,
            "level": level(f.confidence),
            "message": { "text": message(f) },
            "locations": [location(&f.path, f.line, f.column)],
            "properties": { "category": f.category.id(), "confidence": f.confidence.as_str() },
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
            let shown = format!("{}\0{}\0{}\0{n}", f.detector, f.path, f.masked);
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

fn location(path: &str, line: Option<u64>, column: Option<u64>) -> Value {
    let mut physical = json!({ "artifactLocation": { "uri": uri(path) } });
    if let Some(line) = line {
        physical["region"] = json!({ "startLine": line, "startColumn": column.unwrap_or(1) });
    }
    json!({ "physicalLocation": physical })
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

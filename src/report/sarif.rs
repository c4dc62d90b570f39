//! `--format sarif`: SARIF 2.1.0 for code-scanning tools (GitHub code
//! scanning and others). Rules are the detectors that reported something, with
//! their ja/en descriptions as help; results carry the masked value only;
//! unreadable items are tool notifications, so a partial scan says so.

use std::io::{self, Write};

use serde_json::{Value, json};

use crate::finding::{Confidence, Finding};
use crate::inventory::Inventory;

pub(super) fn write(inv: &Inventory, out: &mut dyn Write) -> io::Result<()> {
    let ids: Vec<&String> = inv.rules.keys().collect();
    let rules: Vec<Value> = inv
        .rules
        .iter()
        .map(|(id, rule)| {
            json!({
                "id": id,
                "name": id,
                "shortDescription": { "text": format!("{} ({})", rule.category.id(), rule.category.label_ja()) },
                "fullDescription": { "text": rule.en },
                "help": {
                    "text": format!("{}\n{}", rule.en, rule.ja),
                    "markdown": format!("{}\n\n{}", rule.en, rule.ja),
                },
                "properties": { "category": rule.category.id(), "tags": ["privacy", rule.category.id()] },
            })
        })
        .collect();
    let mut occurrences: std::collections::HashMap<(&str, &str, &str), u32> = Default::default();
    let results: Vec<Value> = inv
        .findings
        .iter()
        .map(|f| {
            let rule_index = ids.iter().position(|id| id.as_str() == &*f.detector);
            let mut result = json!({
                "ruleId": &*f.detector,
                "level": level(f.confidence),
                "message": { "text": message(f) },
                "locations": [location(&f.path, f.line, f.column)],
                "properties": { "category": f.category.id(), "confidence": f.confidence.as_str() },
            });
            if let Some(i) = rule_index {
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
                let n = occurrences.entry((&f.detector, &f.path, &f.masked)).or_insert(0);
                *n += 1;
                let shown = format!("{}\0{}\0{}\0{n}", f.detector, f.path, f.masked);
                let hash = blake3::hash(shown.as_bytes()).to_hex();
                json!({ "piimapLocation/v1": &hash.as_str()[..32] })
            } else {
                json!({ "piimapValue/v1": f.fingerprint })
            };
            result
        })
        .collect();
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
    let sarif = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": {
                "name": "piimap",
                "version": env!("CARGO_PKG_VERSION"),
                "rules": rules,
            }},
            "invocations": [{
                "executionSuccessful": inv.errors.is_empty(),
                "toolExecutionNotifications": notifications,
            }],
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    });
    serde_json::to_writer_pretty(&mut *out, &sarif)?;
    out.write_all(b"\n")
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

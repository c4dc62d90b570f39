//! `piimap merge`: saved inventories (`scan --format json`) joined into one,
//! as if one run had scanned everything they cover — the shards of one
//! scan (`--shard I/N` on a Slurm array or a Kubernetes Indexed Job), or
//! scans of different shares with the same settings.
//!
//! A location is always scanned whole by one process (a shard holds whole
//! files and tables), and every per-location figure — people included — is
//! computed within its location, so joining is exact: the locations,
//! errors and skipped items are put together in their sorted order, the
//! counters added, and what sums up locations (folders, purposes, risk) is
//! summed up again. What cannot be joined exactly is refused, never
//! approximated: two inventories holding one location, a missing shard,
//! different settings, purposes or versions.

use std::collections::BTreeSet;

use super::document::{Document, Summary};
use crate::inventory::Run;

/// Joins `inventories` (each with the name the user gave it, for messages).
pub fn merge(inventories: Vec<(String, Document)>) -> Result<Document, String> {
    let Some(((first_name, first), rest)) = inventories.split_first() else {
        return Err("nothing to merge".into());
    };
    for (name, doc) in rest {
        if doc.tool != first.tool {
            return Err(format!(
                "{name} was written by {}, {first_name} by {}: scan both with one version",
                doc.tool, first.tool
            ));
        }
        if doc.purposes != first.purposes {
            return Err(format!(
                "{name} and {first_name} were assessed against different purposes"
            ));
        }
    }
    let scan = merge_runs(&inventories)?;
    let (schema, tool, purposes) =
        (first.schema.clone(), first.tool.clone(), first.purposes.clone());

    let mut summary = Summary::default();
    let (mut locations, mut errors, mut skipped) = (Vec::new(), Vec::new(), Vec::new());
    let mut owner = std::collections::HashMap::new();
    for (name, doc) in inventories {
        let s = &doc.summary;
        summary.files += s.files;
        summary.bytes += s.bytes;
        summary.tables += s.tables;
        summary.ocr_pages += s.ocr_pages;
        summary.findings += s.findings;
        for (c, n) in &s.by_category {
            *summary.by_category.entry(*c).or_default() += n;
        }
        for l in &doc.locations {
            if let Some(other) = owner.insert(l.path.clone(), name.clone()) {
                return Err(format!(
                    "{} is in both {other} and {name}: the inventories overlap (merge shards of one scan, or scans of different targets)",
                    l.path
                ));
            }
        }
        locations.extend(doc.locations);
        errors.extend(doc.errors);
        skipped.extend(doc.skipped);
    }
    locations.sort_by(|a, b| a.path.cmp(&b.path));
    let order = |a: &super::document::Message, b: &super::document::Message| {
        (&a.path, &a.message).cmp(&(&b.path, &b.message))
    };
    errors.sort_by(order);
    skipped.sort_by(order);
    summary.errors = errors.len();
    let targets = scan.as_ref().map_or(&[][..], |r| &r.targets[..]);
    summary.sum_up(&locations, targets);
    Ok(Document { schema, tool, scan, summary, purposes, locations, errors, skipped })
}

/// The run of the joined inventory: the settings they share, from the
/// earliest start to the latest end, the targets of all (once each) and
/// no shard. Shards must be of one scan (same N, same targets) and all
/// present.
fn merge_runs(inventories: &[(String, Document)]) -> Result<Option<Run>, String> {
    let runs: Vec<(&str, &Run)> =
        inventories.iter().filter_map(|(n, d)| Some((n.as_str(), d.scan.as_ref()?))).collect();
    if runs.len() < inventories.len() {
        // A library scan that did not say what it was: nothing to check.
        return Ok(None);
    }
    let settings = |r: &Run| Run {
        started: String::new(),
        duration_ms: 0,
        targets: Vec::new(),
        shard: None,
        ..r.clone()
    };
    let (first_name, first) = runs[0];
    for (name, run) in &runs[1..] {
        if settings(run) != settings(first) {
            return Err(format!(
                "{name} and {first_name} were scanned with different settings (patterns, purposes, categories, limits or scope): scan again with the same ones"
            ));
        }
    }
    let shards: Vec<Option<(u32, u32)>> = runs.iter().map(|(_, r)| shard_of(r)).collect();
    if shards.iter().any(Option::is_some) {
        let Some(Some((_, count))) = shards.first() else {
            return Err(format!("{first_name} is not a shard, but others are"));
        };
        let mut seen = BTreeSet::new();
        for ((name, run), shard) in runs.iter().zip(&shards) {
            let Some((index, n)) = shard else {
                return Err(format!("{name} is not a shard, but others are"));
            };
            if n != count || run.targets != first.targets {
                return Err(format!(
                    "{name} is a shard of another scan (shard {index}/{n} of {:?})",
                    run.targets
                ));
            }
            if !seen.insert(*index) {
                return Err(format!("shard {index}/{n} is given twice ({name})"));
            }
        }
        let missing: Vec<String> =
            (1..=*count).filter(|i| !seen.contains(i)).map(|i| format!("{i}/{count}")).collect();
        if !missing.is_empty() {
            return Err(format!(
                "shard {} missing: the merged inventory would not cover the scan",
                missing.join(", ")
            ));
        }
    }
    let start = runs.iter().map(|(_, r)| r.started.as_str()).min().unwrap_or_default();
    let end =
        runs.iter().filter_map(|(_, r)| Some(seconds(&r.started)? * 1000 + r.duration_ms)).max();
    let mut targets: Vec<String> = Vec::new();
    for (_, r) in &runs {
        for t in &r.targets {
            if !targets.contains(t) {
                targets.push(t.clone());
            }
        }
    }
    Ok(Some(Run {
        started: start.to_string(),
        duration_ms: match (seconds(start), end) {
            (Some(s), Some(e)) => e.saturating_sub(s * 1000),
            _ => first.duration_ms,
        },
        targets,
        shard: None,
        ..first.clone()
    }))
}

/// `I/N` of a run's shard.
fn shard_of(run: &Run) -> Option<(u32, u32)> {
    let (i, n) = run.shard.as_deref()?.split_once('/')?;
    Some((i.parse().ok()?, n.parse().ok()?))
}

/// Seconds since 1970 of an RFC 3339 UTC time as the document writes it
/// (`2024-05-01T10:00:00Z`).
fn seconds(rfc3339: &str) -> Option<u64> {
    let b = rfc3339.as_bytes();
    if b.len() != 20 || b[4] != b'-' || b[10] != b'T' || b[19] != b'Z' {
        return None;
    }
    let n = |r: std::ops::Range<usize>| rfc3339.get(r)?.parse::<u64>().ok();
    let days = crate::calendar::days_from_civil(n(0..4)? as i64, n(5..7)? as u32, n(8..10)? as u32);
    Some(u64::try_from(days).ok()? * 86_400 + n(11..13)? * 3600 + n(14..16)? * 60 + n(17..19)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_read_back() {
        for t in [0, 951_782_400, 1_714_557_600, 1_800_000_123] {
            assert_eq!(seconds(&super::super::document::rfc3339(t)), Some(t));
        }
        assert_eq!(seconds("yesterday"), None);
    }
}

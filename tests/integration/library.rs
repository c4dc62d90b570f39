//! The library API on its own: a scan streaming JSONL to a writer of the
//! caller's, with a progress callback, and the inventory it returns.

use std::io::Write;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use piimap::detect::DetectorSet;
use piimap::identify::Rules;
use piimap::report::{Format, Streaming};
use piimap::scan::{DbOptions, Pipeline, Progress, ScanConfig, scan};
use piimap::source::WalkOptions;

use crate::util::*;

#[derive(Default)]
struct Count {
    items: AtomicU64,
    bytes: AtomicU64,
    findings: AtomicU64,
}

impl Progress for Count {
    fn item_done(&self, item: &piimap::inventory::Stats) {
        self.items.fetch_add(1, Ordering::Relaxed);
        self.bytes.fetch_add(item.bytes, Ordering::Relaxed);
        self.findings.fetch_add(item.findings, Ordering::Relaxed);
    }
}

/// A writer into memory the test can read.
#[derive(Clone, Default)]
struct Shared(Arc<Mutex<Vec<u8>>>);

impl Write for Shared {
    fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(b);
        Ok(b.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

fn config(t: &Tree) -> ScanConfig {
    ScanConfig {
        targets: vec![t.path().to_path_buf()],
        walk: WalkOptions {
            no_ignore: false,
            follow: false,
            max_filesize: 1 << 20,
            exclude: None,
            report: None,
            globs: None,
            shard: None,
        },
        databases: DbOptions::default(),
    }
}

#[test]
fn scan_streams_jsonl_reports_progress_and_returns_the_locations() {
    let t = Tree::new();
    t.file("b.txt", "TEL 090-1111-2222\n")
        .file("a.txt", "mail x.y@example.com\n")
        .file("c.txt", "nothing\n");
    let detectors = DetectorSet::load(&[]).unwrap();
    let out = Shared::default();
    let jsonl = Streaming::new(
        Format::Jsonl,
        &piimap::scan::rule_descriptions(&detectors),
        &Default::default(),
        Box::new(out.clone()),
    )
    .unwrap()
    .unwrap();
    let count = Count::default();
    let mut pipeline = Pipeline::new(&detectors, Rules::builtin().unwrap(), &jsonl);
    pipeline.jobs = 2;
    pipeline.progress = Some(&count);
    let inventory = scan(&pipeline, &config(&t));
    jsonl.finish(&inventory).unwrap();
    assert_eq!(count.items.load(Ordering::Relaxed), 3);
    assert_eq!(count.findings.load(Ordering::Relaxed), 2);
    assert_eq!(count.bytes.load(Ordering::Relaxed), inventory.stats.bytes);
    let text = String::from_utf8(out.0.lock().unwrap().clone()).unwrap();
    // In walk order: a.txt's finding and location, b.txt's, the summary.
    let lines: Vec<serde_json::Value> =
        text.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    let kinds: Vec<(&str, &str)> = lines
        .iter()
        .map(|v| {
            let path = v["path"].as_str().unwrap_or("");
            (v["type"].as_str().unwrap(), path.rsplit('/').next().unwrap())
        })
        .collect();
    assert_eq!(
        kinds,
        [
            ("finding", "a.txt"),
            ("location", "a.txt"),
            ("finding", "b.txt"),
            ("location", "b.txt"),
            ("summary", "")
        ]
    );
    assert!(!text.contains("1111-2222") && !text.contains("x.y@"));
    // Each file is a location: a bare phone number identifies someone only
    // when collated; an example.com address is test data and identifies no one.
    let levels: Vec<_> = inventory
        .locations
        .iter()
        .map(|l| (l.path.rsplit('/').next().unwrap(), l.identifiability, l.findings))
        .collect();
    assert_eq!(levels, [("a.txt", None, 1), ("b.txt", Some(piimap::finding::Level::Linkable), 1)]);
    assert!(inventory.locations.iter().all(|l| l.evidence.iter().all(|f| f.value.is_none())));
}

#[test]
fn a_location_keeps_counts_and_capped_evidence_not_its_findings() {
    let t = Tree::new();
    let mut csv = String::from("氏名,電話番号\n");
    for i in 0..300 {
        csv.push_str(&format!("山田 太郎,090-1234-{i:04}\n"));
    }
    t.file("list.csv", csv);
    let detectors = DetectorSet::load(&[]).unwrap();
    let mut pipeline = Pipeline::new(&detectors, Rules::builtin().unwrap(), &piimap::scan::Discard);
    pipeline.policy.evidence_cap = 7;
    let inventory = scan(&pipeline, &config(&t));
    let l = &inventory.locations[0];
    // 300 names, 300 phones and the two classified columns.
    assert_eq!(l.findings, 602);
    assert_eq!(inventory.stats.findings, 602);
    assert_eq!(l.categories.values().sum::<usize>(), 600);
    assert_eq!(l.evidence.len(), 7);
    assert_eq!((l.evidence[0].line, l.evidence[6].line), (Some(2), Some(5)));
    // One name, three hundred phone numbers: the rows share the name, so
    // they are one person's.
    assert_eq!((l.records, l.subjects, l.subjects_at_least), (300, 1, false));
}

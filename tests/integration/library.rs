//! The library API on its own: `scan()` with a progress callback, and
//! `report::write` of the inventory it returns.

use std::sync::atomic::{AtomicU64, Ordering};

use piimap::detect::DetectorSet;
use piimap::scan::{Evidence, Progress, ScanConfig, scan};
use piimap::source::WalkOptions;

use crate::util::*;

#[derive(Default)]
struct Count {
    items: AtomicU64,
    bytes: AtomicU64,
    findings: AtomicU64,
}

impl Progress for Count {
    fn item_done(&self, bytes: u64, findings: usize) {
        self.items.fetch_add(1, Ordering::Relaxed);
        self.bytes.fetch_add(bytes, Ordering::Relaxed);
        self.findings.fetch_add(findings as u64, Ordering::Relaxed);
    }
}

#[test]
fn scan_reports_progress_and_returns_a_sorted_inventory() {
    let t = Tree::new();
    t.file("b.txt", "TEL 090-1111-2222\n")
        .file("a.txt", "mail x.y@example.com\n")
        .file("c.txt", "nothing\n");
    let detectors = DetectorSet::load(&[]).unwrap();
    let config = ScanConfig {
        targets: vec![t.path().to_path_buf()],
        jobs: 2,
        walk: WalkOptions {
            no_ignore: false,
            follow: false,
            max_filesize: 1 << 20,
            threads: 2,
            exclude: None,
        },
        evidence: Evidence::default(),
    };
    let count = Count::default();
    let inventory = scan(&config, &detectors, Some(&count));
    assert_eq!(count.items.load(Ordering::Relaxed), 3);
    assert_eq!(count.findings.load(Ordering::Relaxed), 2);
    assert_eq!(count.bytes.load(Ordering::Relaxed), inventory.stats.bytes);
    let names: Vec<_> =
        inventory.findings.iter().map(|f| f.path.rsplit('/').next().unwrap().to_string()).collect();
    assert_eq!(names, ["a.txt", "b.txt"]);
    assert!(inventory.findings.iter().all(|f| f.value.is_none()));

    let mut out = Vec::new();
    piimap::report::write(piimap::report::Format::Jsonl, &inventory, &mut out).unwrap();
    let text = String::from_utf8(out).unwrap();
    assert_eq!(text.lines().count(), 5, "two findings, two locations and the summary");
    // Each file is a location: a bare phone number identifies someone only
    // when collated; an example.com address is test data and identifies no one.
    let levels: Vec<_> = inventory
        .locations
        .iter()
        .map(|l| (l.path.rsplit('/').next().unwrap(), l.identifiability))
        .collect();
    assert_eq!(levels, [("a.txt", None), ("b.txt", Some(piimap::finding::Level::Linkable))]);
    assert!(!text.contains("1111-2222") && !text.contains("x.y@"));
}

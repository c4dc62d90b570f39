//! The inventory: everything a scan learned, folded into one mergeable, sorted
//! value that every report renders.
//!
//! Workers each build a partial inventory; partials merge in any order and
//! [`Inventory::finish`] sorts, so two scans of the same data give the same
//! output byte for byte.

use std::collections::BTreeMap;
use std::sync::Arc;

use crate::finding::{Category, Confidence, Finding, Level};

/// An item that could not be read (drives exit code 2).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct ItemError {
    /// The item's path.
    pub path: String,
    /// What went wrong; never the item's content.
    pub message: String,
}

/// An item deliberately not scanned.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Skipped {
    /// The item's path.
    pub path: String,
    /// Why, in words.
    pub reason: String,
}

/// Counters for the summary.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Stats {
    /// Files read and scanned as text.
    pub files: u64,
    /// Bytes of those files.
    pub bytes: u64,
    /// Files recognised as binary and not scanned.
    pub binary: u64,
    /// Findings silenced by `piimap:allow` comments.
    pub suppressed: u64,
    /// Findings accepted in the baseline.
    pub baselined: u64,
}

/// The result of a scan.
#[derive(Debug, Clone, Default)]
pub struct Inventory {
    /// Every finding (sorted after [`Inventory::finish`]).
    pub findings: Vec<Finding>,
    /// Items that could not be read.
    pub errors: Vec<ItemError>,
    /// Items skipped on purpose (size limit).
    pub skipped: Vec<Skipped>,
    /// Counters.
    pub stats: Stats,
    /// What each detector that reported something finds, by id: reports
    /// that describe their rules (SARIF) read it from here.
    pub rules: BTreeMap<String, Rule>,
    /// One entry per path with findings, sorted by path (built by
    /// `identify::apply`).
    pub locations: Vec<Location>,
}

/// What one location (a file) holds, for the inventory.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Location {
    /// The item's path, as findings give it.
    pub path: Arc<str>,
    /// Findings per category.
    pub categories: BTreeMap<Category, usize>,
    /// The highest level among its records (and whole-file rules).
    pub identifiability: Option<Level>,
    /// The ids of the combination rules that fired, sorted.
    pub rules: Vec<String>,
    /// The estimated number of people it holds data about.
    pub subjects: usize,
    /// How many records hold personal data (a drawing, or any file read
    /// without line numbers, is one).
    pub records: usize,
}

/// A detector as reports describe it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rule {
    /// The category it finds.
    pub category: Category,
    /// What it finds, in English.
    pub en: String,
    /// What it finds, in Japanese.
    pub ja: String,
}

impl Inventory {
    /// An inventory of one item that could not be read.
    pub fn error(path: String, message: String) -> Inventory {
        Inventory { errors: vec![ItemError { path, message }], ..Inventory::default() }
    }

    /// An inventory of one item skipped for its size.
    pub fn too_large(path: String, size: u64) -> Inventory {
        let reason = format!("larger than --max-filesize ({size} bytes)");
        Inventory { skipped: vec![Skipped { path, reason }], ..Inventory::default() }
    }

    /// Adds everything in `other`.
    pub fn merge(mut self, other: Inventory) -> Inventory {
        self.findings.extend(other.findings);
        self.errors.extend(other.errors);
        self.skipped.extend(other.skipped);
        self.stats.files += other.stats.files;
        self.stats.bytes += other.stats.bytes;
        self.stats.binary += other.stats.binary;
        self.stats.suppressed += other.stats.suppressed;
        self.stats.baselined += other.stats.baselined;
        self.rules.extend(other.rules);
        self.locations.extend(other.locations);
        self
    }

    /// Sorts everything into its reporting order: by path, then position.
    pub fn finish(mut self) -> Inventory {
        self.findings.sort();
        self.errors.sort();
        self.skipped.sort();
        self.locations.sort_by(|a, b| a.path.cmp(&b.path));
        self
    }

    /// Findings per category, in category order.
    pub fn counts(&self) -> BTreeMap<Category, usize> {
        let mut counts = BTreeMap::new();
        for f in &self.findings {
            *counts.entry(f.category).or_insert(0) += 1;
        }
        counts
    }

    /// True when some finding has at least confidence `threshold`.
    pub fn has_findings_at(&self, threshold: Confidence, test_data: bool) -> bool {
        self.findings.iter().any(|f| f.confidence >= threshold && (test_data || !f.test_data))
    }

    /// How many findings are known test data.
    pub fn test_data(&self) -> usize {
        self.findings.iter().filter(|f| f.test_data).count()
    }
}

//! The inventory: everything a scan learned, folded into one mergeable, sorted
//! value that every report renders.
//!
//! Workers each build a partial inventory; partials merge in any order and
//! [`Inventory::finish`] sorts, so two scans of the same data give the same
//! output byte for byte.

pub mod purposes;

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
    /// Database tables read.
    pub tables: u64,
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
    /// What the file system says of each item with findings, by path.
    pub meta: BTreeMap<Arc<str>, ItemMeta>,
    /// The purposes the locations were assessed against (`purposes::assess`).
    pub purposes: Vec<purposes::Purpose>,
}

/// What the file system says of an item, where it says it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ItemMeta {
    /// Size in bytes.
    pub size: u64,
    /// Last modification, seconds since 1970.
    pub modified: Option<u64>,
    /// The owner's user id (Unix).
    pub owner: Option<u32>,
    /// Readable by every user of the machine or share (Unix mode o+r).
    pub world_readable: Option<bool>,
}

impl ItemMeta {
    /// The metadata of a file as the walk saw it.
    pub fn of(m: &std::fs::Metadata) -> ItemMeta {
        let modified = m
            .modified()
            .ok()
            .and_then(|t| t.duration_since(std::time::SystemTime::UNIX_EPOCH).ok())
            .map(|d| d.as_secs());
        #[cfg(unix)]
        let (owner, world_readable) = {
            use std::os::unix::fs::MetadataExt;
            (Some(m.uid()), Some(m.mode() & 0o004 != 0))
        };
        #[cfg(not(unix))]
        let (owner, world_readable) = (None, None);
        ItemMeta { size: m.len(), modified, owner, world_readable }
    }
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
    /// Size in bytes, where the file system says.
    pub size: Option<u64>,
    /// Last modification, seconds since 1970.
    pub modified: Option<u64>,
    /// The owner's user id.
    pub owner: Option<u32>,
    /// Readable by every user (exposure).
    pub world_readable: Option<bool>,
    /// The purposes the location serves (ids, by the location rules).
    pub purposes: Vec<String>,
    /// Categories it holds that none of its purposes allows.
    pub out_of_purpose: Vec<Category>,
    /// Directly identifying data where every purpose wants it de-identified.
    pub deidentified_violation: bool,
    /// Identifying data, but no purpose.
    pub unassigned: bool,
    /// Not modified for longer than its purposes keep data.
    pub retention_overdue: bool,
    /// How risky it is (set by `purposes::assess`).
    pub risk: Option<purposes::Risk>,
    /// Why (ids such as `identifies-directly`, `sensitive:my_number`).
    pub risk_reasons: Vec<String>,
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
        self.stats.tables += other.stats.tables;
        self.rules.extend(other.rules);
        self.locations.extend(other.locations);
        self.meta.extend(other.meta);
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

//! The inventory: what a scan learned per location, folded into one
//! mergeable, sorted value that the inventory reports render.
//!
//! Each finished item adds its locations, errors and counters; partials
//! merge in any order and [`Inventory::finish`] sorts, so two scans of the
//! same data give the same output byte for byte. Findings themselves are
//! not kept: a location holds counts and a capped sample of evidence.

pub mod purposes;

use std::collections::BTreeMap;
use std::sync::Arc;

use crate::finding::{Category, Confidence, Finding, Level};
use crate::source::ItemMeta;

/// An item that could not be read (drives exit code 2).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct ItemError {
    /// The item's path.
    pub path: String,
    /// What went wrong; never the item's content.
    pub message: String,
}

/// An item deliberately not scanned.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
pub struct Skipped {
    /// The item's path.
    pub path: String,
    /// Why, in words.
    pub reason: String,
}

/// Counters for the summary: what was read and what was found, summed over
/// every item as it finishes.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
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
    /// Pages (images, PDF pages) read by OCR.
    pub ocr_pages: u64,
    /// Time spent in OCR, in milliseconds (summed over the workers).
    pub ocr_ms: u64,
    /// Findings reported (value, column and whole-file findings).
    pub findings: u64,
    /// Of those, well-known test data.
    pub test_data: u64,
    /// Findings per category (all of them: they add up to `findings`).
    pub by_category: BTreeMap<Category, u64>,
    /// The highest confidence of any finding that is not test data.
    pub highest: Option<Confidence>,
    /// The highest confidence of any test-data finding.
    pub highest_test_data: Option<Confidence>,
}

impl Stats {
    /// Counts one file read, of `bytes`.
    pub fn read(&mut self, bytes: u64) {
        self.files += 1;
        self.bytes += bytes;
    }

    /// Counts `pages` read by OCR in `took`.
    pub fn ocr(&mut self, pages: u64, took: std::time::Duration) {
        self.ocr_pages += pages;
        self.ocr_ms += took.as_millis() as u64;
    }

    /// Counts reported findings.
    pub fn count(&mut self, findings: &[Finding]) {
        let mut by_category = [0; Category::ALL.len()];
        for f in findings {
            self.findings += 1;
            if f.test_data {
                self.test_data += 1;
                self.highest_test_data = self.highest_test_data.max(Some(f.confidence));
            } else {
                self.highest = self.highest.max(Some(f.confidence));
            }
            by_category[f.category as usize] += 1;
        }
        add_by_category(&mut self.by_category, by_category);
    }

    /// Adds the counts of `other`.
    pub fn add(&mut self, other: &Stats) {
        self.files += other.files;
        self.bytes += other.bytes;
        self.binary += other.binary;
        self.suppressed += other.suppressed;
        self.baselined += other.baselined;
        self.tables += other.tables;
        self.ocr_pages += other.ocr_pages;
        self.ocr_ms += other.ocr_ms;
        self.findings += other.findings;
        self.test_data += other.test_data;
        for (c, n) in &other.by_category {
            *self.by_category.entry(*c).or_insert(0) += n;
        }
        self.highest = self.highest.max(other.highest);
        self.highest_test_data = self.highest_test_data.max(other.highest_test_data);
    }
}

/// The result of a scan: one aggregate per location, never every finding.
///
/// Findings stream to the scan-time reports (`text`, `jsonl`, `sarif`) as
/// each item finishes and are dropped; what stays is per location (counts,
/// identifiability, people, purposes and a capped sample of masked
/// evidence), so memory grows with the number of locations, never with the
/// number of findings or the size of a file.
#[derive(Debug, Clone, Default)]
pub struct Inventory {
    /// One entry per location with findings (sorted by path after
    /// [`Inventory::finish`]).
    pub locations: Vec<Location>,
    /// Items that could not be read.
    pub errors: Vec<ItemError>,
    /// Items skipped on purpose (size limit).
    pub skipped: Vec<Skipped>,
    /// Counters.
    pub stats: Stats,
    /// What each detector finds, by id: reports that describe their rules
    /// (SARIF) read it from here.
    pub rules: BTreeMap<String, Rule>,
    /// The purposes the locations were assessed against (`Purposes::assess`).
    pub purposes: Vec<purposes::Purpose>,
    /// When, of what and how the scan ran (set by its caller).
    pub run: Option<Run>,
}

/// What a run was, for the report's header: when, how long, of what and
/// with which settings — what a reader needs to know what the report
/// covers. Database URLs are without their passwords.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Run {
    /// When the scan started (RFC 3339, UTC).
    pub started: String,
    /// How long it took, in milliseconds.
    pub duration_ms: u64,
    /// The targets as given (database URLs without passwords).
    pub targets: Vec<String>,
    /// Only what a git change adds, or its history (`--staged`, `--diff
    /// A..B`, `--since REV`, `--history`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scope: Option<String>,
    /// Rows read per database table (`None`: every row).
    pub sample_rows: Option<u64>,
    /// Files larger than this many bytes were skipped.
    pub max_filesize: u64,
    /// Pattern directories loaded besides the built-in detectors.
    pub patterns: Vec<String>,
    /// The purposes file (`None`: the built-in purposes).
    pub purposes: Option<String>,
    /// Categories not looked for.
    pub skipped_categories: Vec<Category>,
    /// Findings below this confidence were dropped.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_confidence: Option<Confidence>,
    /// `--glob` and `--exclude` (as `!GLOB`): which files the walk took.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub globs: Vec<String>,
    /// `--shard I/N`: this run scanned only shard I of N (`piimap merge`
    /// joins them).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shard: Option<String>,
}

/// What one location (a file, an archive member, a table) holds, for the
/// inventory: aggregates of its findings, never the findings themselves,
/// but for a capped sample of masked evidence. Serialisable for the
/// incremental state (`crate::state`), which keeps it between runs.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Location {
    /// The item's path, as findings give it.
    pub path: Arc<str>,
    /// Value findings per category (column findings sum values up and are
    /// not counted again).
    pub categories: BTreeMap<Category, usize>,
    /// Every finding reported at the location (value, column, whole-file).
    pub findings: usize,
    /// Of those, well-known test data.
    pub test_data: usize,
    /// The highest confidence of its findings.
    pub confidence: Option<Confidence>,
    /// The first findings, in report order, up to the evidence cap: what the
    /// inventory reports show as evidence (masked unless `--show-values`).
    pub evidence: Vec<Finding>,
    /// The highest level among its records (and whole-file rules).
    pub identifiability: Option<Level>,
    /// The ids of the combination rules that fired, sorted.
    pub rules: Vec<String>,
    /// The estimated number of people it holds data about.
    pub subjects: usize,
    /// The people estimate reached its cap of identifying values: there are
    /// at least `subjects` people.
    pub subjects_at_least: bool,
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
    /// Rows read, for a database table (all, or the sample).
    pub rows_read: Option<u64>,
    /// Rows the database estimates the table holds.
    pub rows_estimated: Option<u64>,
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
    /// The category it finds (none for column classification, which finds
    /// any).
    pub category: Option<Category>,
    /// What it finds, in English.
    pub en: String,
    /// What it finds, in Japanese.
    pub ja: String,
}

impl Location {
    /// An empty location at `path`.
    pub fn new(path: Arc<str>) -> Location {
        Location { path, ..Location::default() }
    }

    /// Counts some of its findings, keeping them as evidence while fewer
    /// than `cap` are kept.
    pub fn count(&mut self, findings: &[Finding], cap: usize) {
        let mut categories = [0; Category::ALL.len()];
        for f in findings {
            self.findings += 1;
            self.test_data += usize::from(f.test_data);
            self.confidence = self.confidence.max(Some(f.confidence));
            if !f.is_column() {
                categories[f.category as usize] += 1;
            }
        }
        add_by_category(&mut self.categories, categories);
        let room = cap.saturating_sub(self.evidence.len());
        self.evidence.extend(findings.iter().take(room).cloned());
    }

    /// Takes the file system's view of the item.
    pub fn set_meta(&mut self, meta: &ItemMeta) {
        // A table has rows, not a size.
        self.size = meta.rows_read.is_none().then_some(meta.size);
        self.rows_read = meta.rows_read;
        self.rows_estimated = meta.rows_estimated;
        self.modified = meta.modified;
        self.owner = meta.owner;
        self.world_readable = meta.world_readable;
    }
}

/// Adds a batch's `counts` by category (indexed by `Category as usize`) to
/// `map`: once a batch, where an entry a finding was 1% of the
/// instructions of a dense table's scan.
fn add_by_category<N>(map: &mut BTreeMap<Category, N>, counts: [N; Category::ALL.len()])
where
    N: Copy + Default + PartialEq + std::ops::AddAssign,
{
    for (category, n) in Category::ALL.into_iter().zip(counts) {
        if n != N::default() {
            *map.entry(category).or_default() += n;
        }
    }
}

impl Inventory {
    /// Adds everything in `other`.
    pub fn merge(mut self, other: Inventory) -> Inventory {
        self.locations.extend(other.locations);
        self.errors.extend(other.errors);
        self.skipped.extend(other.skipped);
        self.stats.add(&other.stats);
        self.rules.extend(other.rules);
        self
    }

    /// Sorts everything into its reporting order, by path.
    pub fn finish(mut self) -> Inventory {
        self.errors.sort();
        self.skipped.sort();
        self.locations.sort_by(|a, b| a.path.cmp(&b.path));
        self
    }

    /// True when some finding has at least confidence `threshold` (test data
    /// only when `test_data`).
    pub fn has_findings_at(&self, threshold: Confidence, test_data: bool) -> bool {
        let highest = if test_data {
            self.stats.highest.max(self.stats.highest_test_data)
        } else {
            self.stats.highest
        };
        highest >= Some(threshold)
    }

    /// The estimated people over all locations.
    pub fn subjects(&self) -> usize {
        self.locations.iter().map(|l| l.subjects).sum()
    }
}

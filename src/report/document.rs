//! The inventory as one JSON document (`--format json`, described by
//! `schemas/inventory.schema.json`): what the privacy officer's reports
//! (CSV, Markdown, HTML) render, and what `piimap report` reads back to render
//! them again without rescanning.
//!
//! Built from an [`Inventory`] only: per-location aggregates, each with its
//! capped sample of evidence, so the document is bounded by the number of
//! locations, never by the number of findings. It holds masked values (raw
//! ones only when the scan kept them with `--show-values`).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::finding::{Category, Confidence, Level, Part};
use crate::inventory::purposes::{Purpose, Risk};
use crate::inventory::{Inventory, Run};

/// The schema id every document carries.
pub const SCHEMA: &str = "piimap-inventory/2";

/// The whole inventory.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Document {
    /// [`SCHEMA`].
    pub schema: String,
    /// The tool and version that wrote it.
    pub tool: String,
    /// When, of what and how the scan ran (absent from a library scan that
    /// did not say).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scan: Option<Run>,
    /// Totals, and per category, level, risk, purpose and top-level folder.
    pub summary: Summary,
    /// The purposes the locations were checked against.
    pub purposes: Vec<Purpose>,
    /// One entry per location with personal data, sorted by path.
    pub locations: Vec<LocationEntry>,
    /// Items that could not be read.
    pub errors: Vec<Message>,
    /// Items skipped on purpose.
    pub skipped: Vec<Message>,
}

/// Totals.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Summary {
    /// Files scanned.
    pub files: u64,
    /// Bytes scanned.
    pub bytes: u64,
    /// Findings.
    pub findings: usize,
    /// Database tables read.
    #[serde(default)]
    pub tables: u64,
    /// Pages (images, PDF pages without text) read by OCR; absent when none.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub ocr_pages: u64,
    /// Locations with personal data.
    pub locations: usize,
    /// Estimated people over all locations.
    pub subjects: usize,
    /// Findings per category.
    pub by_category: BTreeMap<Category, usize>,
    /// Locations per identifiability level.
    pub by_identifiability: BTreeMap<Level, usize>,
    /// Locations per risk.
    pub by_risk: BTreeMap<Risk, usize>,
    /// Per purpose (and `unassigned`).
    pub by_purpose: BTreeMap<String, Group>,
    /// Per top-level folder of the paths.
    pub by_folder: BTreeMap<String, Group>,
    /// Locations holding data outside their purposes.
    pub out_of_purpose: usize,
    /// Locations with identifying data and no purpose.
    pub unassigned: usize,
    /// Locations kept longer than their purposes allow.
    pub retention_overdue: usize,
    /// Errors.
    pub errors: usize,
}

impl Summary {
    /// Sums up `locations` (below `targets`): their number and people, and
    /// the groups by folder, purpose, level and risk; the counters read
    /// from the scan (files, bytes, tables, findings, categories, errors)
    /// are left as they are.
    pub(crate) fn sum_up(&mut self, locations: &[LocationEntry], targets: &[String]) {
        self.locations = locations.len();
        self.subjects = locations.iter().map(|l| l.subjects).sum();
        for l in locations {
            let findings: usize = l.categories.values().sum();
            let add = |group: &mut Group| {
                group.locations += 1;
                group.findings += findings;
                group.subjects += l.subjects;
                group.violations += usize::from(l.violates());
            };
            add(self.by_folder.entry(folder(&l.path, targets)).or_default());
            if l.purposes.is_empty() {
                add(self.by_purpose.entry("unassigned".to_string()).or_default());
            }
            for p in &l.purposes {
                add(self.by_purpose.entry(p.clone()).or_default());
            }
            if let Some(level) = l.identifiability {
                *self.by_identifiability.entry(level).or_default() += 1;
            }
            if let Some(risk) = l.risk {
                *self.by_risk.entry(risk).or_default() += 1;
            }
            self.out_of_purpose +=
                usize::from(!l.out_of_purpose.is_empty() || l.deidentified_violation);
            self.unassigned += usize::from(l.unassigned);
            self.retention_overdue += usize::from(l.retention_overdue);
        }
    }
}

/// Totals of a group of locations.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Group {
    /// Locations.
    pub locations: usize,
    /// Findings.
    pub findings: usize,
    /// Estimated people.
    pub subjects: usize,
    /// Locations with a policy violation (out of purpose, unassigned, overdue).
    pub violations: usize,
}

/// One location.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LocationEntry {
    /// Its path.
    pub path: String,
    /// Value findings per category.
    pub categories: BTreeMap<Category, usize>,
    /// Every finding at the location (value, column and whole-file ones).
    pub findings: usize,
    /// The highest confidence of its findings.
    pub confidence: Option<Confidence>,
    /// The highest identifiability of its records.
    pub identifiability: Option<Level>,
    /// Combination rules that fired.
    pub rules: Vec<String>,
    /// Estimated people.
    pub subjects: usize,
    /// The estimate reached its cap: at least `subjects` people.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub subjects_at_least: bool,
    /// Records with personal data.
    pub records: usize,
    /// Size in bytes.
    pub size: Option<u64>,
    /// Last modification (RFC 3339, UTC).
    pub modified: Option<String>,
    /// The owner's user id.
    pub owner: Option<u32>,
    /// Readable by every user.
    pub world_readable: Option<bool>,
    /// Rows read, for a database table (all, or the sample).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rows_read: Option<u64>,
    /// Rows the database estimates the table holds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rows_estimated: Option<u64>,
    /// Purpose ids.
    pub purposes: Vec<String>,
    /// Categories outside every purpose.
    pub out_of_purpose: Vec<Category>,
    /// Directly identifying data in a de-identified purpose.
    pub deidentified_violation: bool,
    /// Identifying data, no purpose.
    pub unassigned: bool,
    /// Kept longer than its purposes allow.
    pub retention_overdue: bool,
    /// Risk.
    pub risk: Option<Risk>,
    /// Why.
    pub risk_reasons: Vec<String>,
    /// Its first findings in report order, up to the scan's evidence cap
    /// (`findings` says how many there are in all).
    pub evidence: Vec<FindingEntry>,
}

impl LocationEntry {
    /// The people estimate as people read it: `1200`, or `≥1000000` when
    /// it reached its cap.
    pub fn people(&self) -> String {
        if self.subjects_at_least {
            format!("≥{}", self.subjects)
        } else {
            self.subjects.to_string()
        }
    }

    /// Whether it breaks the policy.
    pub fn violates(&self) -> bool {
        !self.out_of_purpose.is_empty()
            || self.deidentified_violation
            || self.unassigned
            || self.retention_overdue
    }
}

/// One finding, masked (its location is the entry it is evidence of).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FindingEntry {
    /// 1-based line, if any.
    pub line: Option<u64>,
    /// 1-based column, if any.
    pub column: Option<u64>,
    /// Column header, if any.
    pub field: Option<String>,
    /// Category.
    pub category: Category,
    /// Detector id.
    pub detector: String,
    /// Confidence.
    pub confidence: Confidence,
    /// The masked value.
    pub masked: String,
    /// The raw value: only with `--show-values`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
    /// Record (first line).
    pub record: Option<u64>,
    /// The record's identifiability.
    pub identifiability: Option<Level>,
    /// Well-known test data.
    pub test_data: bool,
    /// A database row's key.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub row: Option<String>,
    /// A spreadsheet's sheet (`line` is the row, `column` the column).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sheet: Option<String>,
    /// A PDF's page (`line` is the line of the page's text).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub page: Option<u32>,
    /// A presentation's slide (`line` is the slide's paragraph).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub slide: Option<u32>,
    /// Where on the page's picture a value read by OCR is (left, top,
    /// width, height in pixels).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bbox: Option<[u32; 4]>,
}

impl FindingEntry {
    /// The entry of a finding.
    fn of(f: &crate::finding::Finding) -> FindingEntry {
        FindingEntry {
            line: f.line,
            column: f.column,
            field: f.field.as_deref().map(str::to_string),
            category: f.category,
            detector: f.detector.to_string(),
            confidence: f.confidence,
            masked: f.masked.to_string(),
            value: f.value.clone(),
            record: f.record,
            identifiability: f.identifiability,
            test_data: f.test_data,
            row: f.row.clone(),
            sheet: f.sheet.as_deref().map(str::to_string),
            page: f.part.and_then(Part::page),
            slide: f.part.and_then(Part::slide),
            bbox: f.bbox,
        }
    }
}

/// An error or a skipped item.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Message {
    /// The item.
    pub path: String,
    /// What happened.
    pub message: String,
}

/// `2024-05-01T10:00:00Z` from seconds since 1970 (UTC).
pub fn rfc3339(secs: u64) -> String {
    let (y, m, d) = crate::calendar::civil_from_days((secs / 86_400) as i64);
    let rem = secs % 86_400;
    format!("{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z", rem / 3600, rem % 3600 / 60, rem % 60)
}

/// The folder a location is summed up under: the first level below the
/// target that holds it (`/srv/share/営業/a.csv` of `/srv/share` → `営業`;
/// with several targets, prefixed by the target; a file at the top is `.`),
/// and a table's schema (`postgres://u@h/db#public`). Without targets (a
/// library scan), the path's own first levels.
pub(super) fn folder(path: &str, targets: &[String]) -> String {
    if let Some((db, table)) = path.split_once('#') {
        return format!("{db}#{}", table.split_once('.').map_or(table, |(schema, _)| schema));
    }
    let within = targets.iter().find_map(|t| {
        let t = t.trim_end_matches('/');
        let t = if t.is_empty() { "/" } else { t };
        let rest = if t == "." { path.strip_prefix("./") } else { path.strip_prefix(t) };
        let rest = rest?;
        let rest = if t == "." || t == "/" { rest } else { rest.strip_prefix('/')? };
        Some((t, rest))
    });
    let Some((target, rest)) = within else {
        let path = path.trim_start_matches("./");
        let parts: Vec<&str> = path.split('/').collect();
        return match parts.len() {
            0 | 1 => ".".to_string(),
            2 => parts[0].to_string(),
            _ => format!("{}/{}", parts[0], parts[1]),
        };
    };
    // An archive member is summed up under the archive's folder.
    let file = rest.split_once('!').map_or(rest, |(archive, _)| archive);
    let first = match file.split_once('/') {
        Some((first, _)) => first,
        None => ".",
    };
    match (targets.len(), first) {
        (1, _) => first.to_string(),
        (_, ".") => target.to_string(),
        _ => format!("{target}/{first}"),
    }
}

fn is_zero(n: &u64) -> bool {
    *n == 0
}

impl Document {
    /// The document of an inventory.
    pub fn new(inv: &Inventory) -> Document {
        let mut summary = Summary {
            files: inv.stats.files,
            bytes: inv.stats.bytes,
            tables: inv.stats.tables,
            ocr_pages: inv.stats.ocr_pages,
            findings: inv.stats.findings as usize,
            by_category: inv.stats.by_category.iter().map(|(c, n)| (*c, *n as usize)).collect(),
            errors: inv.errors.len(),
            ..Summary::default()
        };
        let locations: Vec<LocationEntry> = inv
            .locations
            .iter()
            .map(|l| LocationEntry {
                path: l.path.to_string(),
                categories: l.categories.clone(),
                findings: l.findings,
                confidence: l.confidence,
                identifiability: l.identifiability,
                rules: l.rules.clone(),
                subjects: l.subjects,
                subjects_at_least: l.subjects_at_least,
                records: l.records,
                size: l.size,
                modified: l.modified.map(rfc3339),
                owner: l.owner,
                world_readable: l.world_readable,
                rows_read: l.rows_read,
                rows_estimated: l.rows_estimated,
                purposes: l.purposes.clone(),
                out_of_purpose: l.out_of_purpose.clone(),
                deidentified_violation: l.deidentified_violation,
                unassigned: l.unassigned,
                retention_overdue: l.retention_overdue,
                risk: l.risk,
                risk_reasons: l.risk_reasons.clone(),
                evidence: l.evidence.iter().map(FindingEntry::of).collect(),
            })
            .collect();
        let targets = inv.run.as_ref().map_or(&[][..], |r| &r.targets[..]);
        summary.sum_up(&locations, targets);
        Document {
            schema: SCHEMA.to_string(),
            tool: format!("piimap {}", env!("CARGO_PKG_VERSION")),
            scan: inv.run.clone(),
            summary,
            purposes: inv.purposes.clone(),
            locations,
            errors: inv
                .errors
                .iter()
                .map(|e| Message { path: e.path.clone(), message: e.message.clone() })
                .collect(),
            skipped: inv
                .skipped
                .iter()
                .map(|s| Message { path: s.path.clone(), message: s.reason.clone() })
                .collect(),
        }
    }

    /// The locations, each with its index in `locations`, as the privacy
    /// officer reads them: highest risk first, then most people, then path.
    pub fn by_risk(&self) -> Vec<(usize, &LocationEntry)> {
        let mut order: Vec<(usize, &LocationEntry)> = self.locations.iter().enumerate().collect();
        order.sort_by(|(_, a), (_, b)| {
            (b.risk.cmp(&a.risk)).then(b.subjects.cmp(&a.subjects)).then(a.path.cmp(&b.path))
        });
        order
    }

    /// The folder `path` is summed up under in `summary.by_folder`.
    pub fn folder(&self, path: &str) -> String {
        folder(path, self.scan.as_ref().map_or(&[][..], |r| &r.targets[..]))
    }

    /// The purpose with `id`.
    pub fn purpose(&self, id: &str) -> Option<&Purpose> {
        self.purposes.iter().find(|p| p.id == id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_and_folders() {
        assert_eq!(rfc3339(0), "1970-01-01T00:00:00Z");
        assert_eq!(rfc3339(1_714_557_600), "2024-05-01T10:00:00Z");
        assert_eq!(rfc3339(951_782_400), "2000-02-29T00:00:00Z");
        assert_eq!(folder("share/営業/list.csv", &[]), "share/営業");
        assert_eq!(folder("./a/b.txt", &[]), "a");
        assert_eq!(folder("top.txt", &[]), ".");
        let one = ["/srv/share/".to_string()];
        assert_eq!(folder("/srv/share/営業/2024/list.csv", &one), "営業");
        assert_eq!(folder("/srv/share/top.txt", &one), ".");
        assert_eq!(folder("/srv/share/a.zip!x/y.csv", &one), ".");
        let two = [".".to_string(), "/mnt/b".to_string()];
        assert_eq!(folder("./経理/a.csv", &two), "./経理");
        assert_eq!(folder("/mnt/b/c/d.txt", &two), "/mnt/b/c");
        assert_eq!(folder("/mnt/b/top.txt", &two), "/mnt/b");
        // Not below a target (a git scope's paths): the path's own levels.
        assert_eq!(folder("src/x/y.rs", &two), "src/x");
        // Tables by schema, without the password the target never shows.
        assert_eq!(
            folder("postgres://u@h:5432/crm#public.customers", &[]),
            "postgres://u@h:5432/crm#public"
        );
        assert_eq!(folder("./crm.sqlite#main.t", &[]), "./crm.sqlite#main");
    }
}

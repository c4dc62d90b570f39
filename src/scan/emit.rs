//! Where one item's findings go once detected: [`Stream`] filters them
//! (allowlists, baselines, a diff's added lines), identifies their records,
//! counts them into their location and hands them to the item's sink, then
//! keeps the last batch only for the next to be written into
//! ([`Out::spare`]); [`Keep`] keeps them all (the self-test, history scans).
//!
//! A batch holds whole records of one location. Findings about the item
//! itself — whole-file findings, a drawing's texts, column findings — are
//! judged with the whole location, so they are held until the location ends
//! and written after its other findings; their number is bounded by the
//! columns of a table or the texts of one drawing, never by the rows.

use std::collections::BTreeSet;
use std::sync::Arc;

use super::{ItemSink, Pipeline};
use crate::finding::{self, Finding};
use crate::identify::Identify;
use crate::inventory::{Inventory, ItemError, Location, Skipped, Stats};
use crate::source::ItemMeta;

/// What the readers of one item write to.
pub(super) trait Out {
    /// Findings of one location (all with one path), in any order.
    fn findings(&mut self, batch: Vec<Finding>);
    /// The findings of the last batch, if it kept them once done with
    /// them: the next batch is written into them, keeping their shared
    /// parts (path, detector, field) where they are its own
    /// (`FileScan::fill`). Taken, so at most one batch is kept.
    fn spare(&mut self) -> Vec<Finding> {
        Vec::new()
    }
    /// Something that could not be read.
    fn error(&mut self, path: String, message: String);
    /// Something not read on purpose.
    fn skipped(&mut self, path: String, reason: String);
    /// The item's counters.
    fn stats(&mut self) -> &mut Stats;
    /// What the file system says of the item at `path`.
    fn meta(&mut self, path: &str, meta: ItemMeta);
}

/// One location in progress.
struct Place<'r> {
    location: Location,
    identify: Identify<'r>,
    /// Findings about the item itself, written when the location ends.
    held: Vec<Finding>,
}

/// Streams one item's findings to its sink, location by location.
pub(crate) struct Stream<'p> {
    pipeline: &'p Pipeline<'p>,
    sink: Box<dyn ItemSink + 'p>,
    place: Option<Place<'p>>,
    /// The item's own path and metadata (archive members have none).
    meta: Option<(String, ItemMeta)>,
    /// Only findings on these lines (and whole-file ones): what a git
    /// change adds.
    only_lines: Option<BTreeSet<u64>>,
    part: Inventory,
    /// The last batch written, for [`Out::spare`].
    spare: Vec<Finding>,
}

impl<'p> Stream<'p> {
    pub(super) fn new(pipeline: &'p Pipeline<'p>, sink: Box<dyn ItemSink + 'p>) -> Stream<'p> {
        Stream {
            pipeline,
            sink,
            place: None,
            meta: None,
            only_lines: None,
            part: Inventory::default(),
            spare: Vec::new(),
        }
    }

    /// Keeps only the findings on `lines` (and whole-file ones).
    pub(super) fn only_lines(&mut self, lines: BTreeSet<u64>) {
        self.only_lines = Some(lines);
    }

    /// Ends the current location: its held findings, then its aggregate.
    fn end_location(&mut self) {
        let Some(Place { mut location, identify, mut held }) = self.place.take() else { return };
        held.sort();
        let identified = identify.finish(&mut held);
        let cap = self.pipeline.policy.evidence_cap;
        write(&mut location, &mut self.part.stats, self.sink.as_mut(), cap, &held);
        location.identifiability = identified.level;
        location.rules = identified.rules;
        location.records = identified.records;
        location.subjects = identified.subjects;
        location.subjects_at_least = identified.subjects_at_least;
        if let Some((_, meta)) = self.meta.as_ref().filter(|(p, _)| **p == *location.path) {
            location.set_meta(meta);
        }
        if let Some(purposes) = self.pipeline.policy.purposes {
            purposes.assess(&mut location, self.pipeline.policy.now);
        }
        if let Some(observer) = self.pipeline.observer {
            observer.location(&location);
        }
        self.sink.location(&location);
        self.part.locations.push(location);
    }

    /// Ends the item: its last location, and what it adds to the inventory.
    pub(super) fn finish(mut self) -> Inventory {
        self.end_location();
        self.part
    }
}

impl Out for Stream<'_> {
    fn findings(&mut self, mut batch: Vec<Finding>) {
        if let Some(lines) = &self.only_lines {
            batch.retain(|f| f.line.is_none_or(|l| lines.contains(&l)));
        }
        if let Some(min) = self.pipeline.policy.min_confidence {
            batch.retain(|f| f.confidence >= min);
        }
        let Some(path) = batch.first().map(|f| Arc::clone(&f.path)) else { return };
        if let Some(filter) = self.pipeline.policy.filter {
            if filter.path(&path) {
                self.part.stats.suppressed += batch.len() as u64;
                return;
            }
            let before = batch.len();
            batch.retain(|f| !filter.finding(f));
            self.part.stats.baselined += (before - batch.len()) as u64;
            if batch.is_empty() {
                return;
            }
        }
        if self.place.as_ref().is_some_and(|p| p.location.path != path) {
            self.end_location();
        }
        if let Some(observer) = self.pipeline.observer {
            observer.findings(&batch);
            if !self.pipeline.evidence.show_values {
                for f in &mut batch {
                    f.value = None;
                }
            }
        }
        let policy = &self.pipeline.policy;
        let place = self.place.get_or_insert_with(|| Place {
            location: Location::new(Arc::clone(&path)),
            identify: Identify::new(policy.rules, policy.people_cap),
            held: Vec::new(),
        });
        // Taken out in place: a table's batch is all record findings, which
        // stay where they are.
        place.held.extend(batch.extract_if(.., |f| f.is_column() || f.record.is_none()));
        let mut now = batch;
        finding::sort(&mut now);
        place.identify.records(&mut now);
        let cap = policy.evidence_cap;
        write(&mut place.location, &mut self.part.stats, self.sink.as_mut(), cap, &now);
        self.spare = now;
    }

    fn spare(&mut self) -> Vec<Finding> {
        std::mem::take(&mut self.spare)
    }

    fn error(&mut self, path: String, message: String) {
        let error = ItemError { path, message };
        self.sink.error(&error);
        self.part.errors.push(error);
    }

    fn skipped(&mut self, path: String, reason: String) {
        let skipped = Skipped { path, reason };
        self.sink.skipped(&skipped);
        self.part.skipped.push(skipped);
    }

    fn stats(&mut self) -> &mut Stats {
        &mut self.part.stats
    }

    fn meta(&mut self, path: &str, meta: ItemMeta) {
        self.meta = Some((path.to_string(), meta));
    }
}

/// Counts `findings` into their location and the item's counters (keeping
/// up to `cap` as evidence) and hands them to the sink.
fn write(
    location: &mut Location,
    stats: &mut Stats,
    sink: &mut dyn ItemSink,
    cap: usize,
    findings: &[Finding],
) {
    if findings.is_empty() {
        return;
    }
    location.count(findings, cap);
    stats.count(findings);
    sink.findings(findings);
}

/// Keeps every finding, unidentified.
#[derive(Debug, Default)]
pub(super) struct Keep {
    pub(super) findings: Vec<Finding>,
    pub(super) part: Inventory,
}

impl Out for Keep {
    fn findings(&mut self, batch: Vec<Finding>) {
        self.findings.extend(batch);
    }

    fn error(&mut self, path: String, message: String) {
        self.part.errors.push(ItemError { path, message });
    }

    fn skipped(&mut self, path: String, reason: String) {
        self.part.skipped.push(Skipped { path, reason });
    }

    fn stats(&mut self) -> &mut Stats {
        &mut self.part.stats
    }

    fn meta(&mut self, _: &str, _: ItemMeta) {}
}

//! The pipeline: wires source → read → detect → identify → inventory on a
//! pool of workers, and streams every item's findings to a [`Sink`] as the
//! item is read.
//!
//! ```text
//! walk / git / tables ─▶ workers (item.rs: read and dispatch,
//!   (numbered in a         text.rs: detect a chunk into findings)
//!    stable order)            │ batches of findings
//!                             ▼
//!                 emit.rs: filter, identify, count per location
//!                             │                    │
//!                             ▼                    ▼
//!                  Sink (reports, in item     Inventory (one
//!                  order, as items finish)    aggregate per location)
//! ```
//!
//! Items are numbered ([`Seq`]) in the order the source lists them; a sink
//! writes them in that order, so output is the same byte for byte whatever
//! the number of threads, while each item's findings are written as soon as
//! the items before it are done. Nothing keeps findings once they are
//! written: a location keeps counts and a capped sample of evidence, so
//! memory is bounded by the number of locations (see `crate::inventory`).
//!
//! Whatever happens to one item — an I/O error, undecodable bytes, a panic
//! in a reader — becomes an error entry and the scan goes on.

mod database;
mod emit;
mod git;
mod item;
mod text;

use std::collections::BTreeMap;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, MutexGuard, mpsc};
use std::time::SystemTime;

pub use database::{DbOptions, scan_databases};
pub use git::{scan_git, scan_history};

use emit::Out;

use crate::detect::DetectorSet;
use crate::finding::{Finding, FingerprintKey};
use crate::identify::Rules;
use crate::inventory::purposes::Purposes;
use crate::inventory::{Inventory, ItemError, Location, Rule, Skipped};
use crate::read::ocr::Options as OcrOptions;
use crate::source::{self, WalkOptions};
use crate::state::Ticket;

/// The paths to scan and how to walk them.
#[derive(Debug, Clone)]
pub struct ScanConfig {
    /// Paths to scan (files or directories), walked in this order.
    pub targets: Vec<PathBuf>,
    /// Walk behaviour.
    pub walk: WalkOptions,
    /// How SQLite files met on the walk are read (sample, tables, views,
    /// timeouts), as database targets are.
    pub databases: DbOptions,
}

/// What findings carry besides their position.
#[derive(Debug, Clone, Default)]
pub struct Evidence {
    /// Keep raw values in findings (`--show-values`).
    pub show_values: bool,
    /// The key of the value fingerprints. Without one, findings carry none:
    /// fingerprints under a throw-away key would make two scans of the same
    /// data differ, and a fixed key would make them a plain hash.
    pub key: Option<FingerprintKey>,
}

/// An item's place in the output order: items are numbered from 0 in the
/// order their source lists them.
pub type Seq = u64;

/// Where findings go as items are scanned: the scan-time reports, a
/// baseline being made, or nowhere.
pub trait Sink: Sync {
    /// Waits until item `seq` may start, so that items finished ahead of a
    /// slow one stay few; false when the sink takes nothing more (its
    /// output was closed) and the scan should stop.
    fn admit(&self, seq: Seq) -> bool {
        let _ = seq;
        true
    }

    /// Whether the output was closed: items already admitted and waiting
    /// for a thread are then dropped, not scanned for nobody.
    fn closed(&self) -> bool {
        false
    }

    /// The writer for item `seq`: everything the item yields goes through
    /// it, in order; dropping it ends the item.
    fn item(&self, seq: Seq) -> Box<dyn ItemSink + '_>;
}

/// What one item yields, in order: batches of findings of one location at
/// a time, each location's aggregate after its findings, errors and
/// skipped entries as they happen.
pub trait ItemSink {
    /// Findings of one location, in report order.
    fn findings(&mut self, findings: &[Finding]);
    /// A location's aggregate, after its last findings.
    fn location(&mut self, location: &Location);
    /// Something that could not be read.
    fn error(&mut self, error: &ItemError);
    /// Something not read on purpose.
    fn skipped(&mut self, skipped: &Skipped);
}

/// A sink that keeps nothing (for the inventory reports, rendered from the
/// [`Inventory`] at the end).
#[derive(Debug, Default)]
pub struct Discard;

impl Sink for Discard {
    fn item(&self, _: Seq) -> Box<dyn ItemSink + '_> {
        Box::new(Discard)
    }
}

impl ItemSink for Discard {
    fn findings(&mut self, _: &[Finding]) {}
    fn location(&mut self, _: &Location) {}
    fn error(&mut self, _: &ItemError) {}
    fn skipped(&mut self, _: &Skipped) {}
}

/// Sees every batch of findings with raw values in them, before any sink
/// does and whatever `--show-values` says, and each location's aggregate: a
/// data-subject search or index (`crate::subject`) compares values there.
/// The values are dropped right after it unless the scan shows them, so no
/// sink or report ever sees more than it would without an observer. Called
/// from every worker at once; must be cheap or lock briefly.
pub trait Observer: Sync {
    /// Findings of one location; a batch holds whole records.
    fn findings(&self, findings: &[Finding]);
    /// A location's aggregate, after its last findings.
    fn location(&self, location: &Location);
}

/// Receives progress as items finish (for a progress bar); must be cheap.
pub trait Progress: Sync {
    /// One item is done: its counts (bytes, findings, pages read by OCR).
    fn item_done(&self, item: &crate::inventory::Stats);
}

/// Decides which findings a project has already accepted.
pub trait Filter: Sync {
    /// Whether every finding at `path` is dropped (an allowlisted path):
    /// counted as suppressed.
    fn path(&self, path: &str) -> bool;
    /// Whether one finding is accepted already (in the baseline): counted
    /// as baselined.
    fn finding(&self, finding: &Finding) -> bool;
}

/// At most this many findings of a location are kept as evidence, unless
/// the pipeline says otherwise.
pub const EVIDENCE_CAP: usize = 100;

/// At most this many identifying values of one location are kept to count
/// its people, unless the pipeline says otherwise (about 24 bytes each).
pub const PEOPLE_CAP: usize = 1_000_000;

/// What happens to findings after detection: which are dropped, what
/// identifies, what the locations are for, and what a location keeps.
pub struct Policy<'a> {
    /// The combination rules.
    pub rules: &'a Rules,
    /// The purposes locations are assessed against, if any.
    pub purposes: Option<&'a Purposes>,
    /// "Now", for retention.
    pub now: SystemTime,
    /// Allowlists and baselines.
    pub filter: Option<&'a dyn Filter>,
    /// Findings below this confidence are dropped before anything counts
    /// them (`--min-confidence`).
    pub min_confidence: Option<crate::Confidence>,
    /// Findings kept as evidence per location.
    pub evidence_cap: usize,
    /// Identifying values kept per location to count people; past it the
    /// count is a lower bound.
    pub people_cap: usize,
}

impl<'a> Policy<'a> {
    /// The combination `rules`, nothing dropped, no purposes, the default
    /// caps.
    pub fn new(rules: &'a Rules) -> Policy<'a> {
        Policy {
            rules,
            purposes: None,
            now: SystemTime::now(),
            filter: None,
            min_confidence: None,
            evidence_cap: EVIDENCE_CAP,
            people_cap: PEOPLE_CAP,
        }
    }
}

/// Everything a scan needs besides what to scan: detectors, policy, where
/// findings go, and how many threads.
pub struct Pipeline<'a> {
    /// The compiled detectors.
    pub detectors: &'a DetectorSet,
    /// What findings carry.
    pub evidence: Evidence,
    /// When and how images and text-less PDF pages are read by OCR.
    pub ocr: OcrOptions,
    /// What happens to findings after detection.
    pub policy: Policy<'a>,
    /// Where findings go, in item order.
    pub sink: &'a dyn Sink,
    /// Told as items finish.
    pub progress: Option<&'a dyn Progress>,
    /// Sees raw values before they are dropped.
    pub observer: Option<&'a dyn Observer>,
    /// Worker threads.
    pub jobs: usize,
    /// What earlier scans learned (`--state`): unchanged files are not read.
    pub state: Option<&'a crate::state::State>,
    /// The next item's number, shared by every scan run with this pipeline
    /// (files, then databases) so that the sink sees one sequence.
    next: AtomicU64,
}

impl<'a> Pipeline<'a> {
    /// A pipeline with `detectors` and combination `rules` writing to
    /// `sink`: no raw values, no fingerprints, no progress, one thread per
    /// CPU.
    pub fn new(detectors: &'a DetectorSet, rules: &'a Rules, sink: &'a dyn Sink) -> Pipeline<'a> {
        Pipeline {
            detectors,
            evidence: Evidence::default(),
            ocr: OcrOptions::default(),
            policy: Policy::new(rules),
            sink,
            progress: None,
            observer: None,
            jobs: std::thread::available_parallelism().map_or(1, |n| n.get()),
            state: None,
            next: AtomicU64::new(0),
        }
    }

    /// Numbers the next item. Called only by the one thread that lists
    /// items, so numbers follow the listing.
    fn next_seq(&self) -> Seq {
        self.next.fetch_add(1, Ordering::Relaxed)
    }

    /// Runs `each` on every item `produce` lists, on `jobs` threads with
    /// findings carrying `evidence`: items are numbered as listed, admitted
    /// by the sink, and each writes through its own [`emit::Stream`]. A
    /// panic while scanning an item becomes an error entry named by `label`.
    /// With a state, an item whose `ticket` the state recalls is not read:
    /// its stored part is replayed; what reading one yields is remembered.
    ///
    /// `produce` runs on a thread of its own and sends admitted items down
    /// a channel; every pool thread runs one loop that takes items from it. So
    /// at most `jobs` items are in progress, and a thread waiting for a
    /// large file's chunks to be detected (on the other threads) can only
    /// pick up chunks, never a whole other item: memory follows the number
    /// of threads, and no thread waits on work it holds itself.
    fn run<T: Send>(
        &self,
        jobs: usize,
        evidence: &Evidence,
        produce: impl FnOnce(&mut dyn FnMut(T) -> bool) + Send,
        label: impl Fn(&T) -> String + Sync,
        ticket: impl Fn(&T) -> Option<Ticket> + Sync,
        each: impl Fn(&mut item::Worker<'_>, &mut emit::Stream<'_>, T) + Sync,
    ) -> Inventory {
        let inventory = Mutex::new(Inventory::default());
        let spare = item::Spare::default();
        // An observer compares raw values: the readers keep them for it.
        let observed;
        let evidence = if self.observer.is_some() && !evidence.show_values {
            observed = Evidence { show_values: true, key: evidence.key.clone() };
            &observed
        } else {
            evidence
        };
        let scan_one = |w: &mut item::Worker<'_>, seq: Seq, item: T| {
            let ticket = self.state.and_then(|state| Some((state, ticket(&item)?)));
            let recalled = ticket.as_ref().and_then(|(state, t)| state.recall(t));
            let part = match recalled {
                Some(part) => self.replay(seq, part, ticket.as_ref().map(|(_, t)| t)),
                None => {
                    let name = label(&item);
                    // Past the readers (caught below, the item's partial
                    // results kept), a panic in identifying or writing loses
                    // the item's summary: it still becomes an error entry.
                    let done = catch_unwind(AssertUnwindSafe(|| {
                        let mut out = emit::Stream::new(self, self.sink.item(seq));
                        let scanned = catch_unwind(AssertUnwindSafe(|| each(w, &mut out, item)));
                        if scanned.is_err() {
                            out.error(name.clone(), CRASHED.into());
                        }
                        out.finish()
                    }));
                    let part = done.unwrap_or_else(|_| Inventory {
                        errors: vec![ItemError { path: name, message: CRASHED.into() }],
                        ..Inventory::default()
                    });
                    if let Some((state, t)) = &ticket {
                        state.remember(t, &part);
                    }
                    part
                }
            };
            if let Some(p) = self.progress {
                p.item_done(&part.stats);
            }
            let mut all = lock(&inventory);
            *all = std::mem::take(&mut *all).merge(part);
        };
        match rayon::ThreadPoolBuilder::new().num_threads(jobs.max(1)).build() {
            // Items admitted and waiting for a thread: as many as the
            // sink's window lets ahead; the listing closes the channel.
            Ok(pool) => std::thread::scope(|s| {
                let (tx, rx) = mpsc::channel::<(Seq, T)>();
                let rx = Mutex::new(rx);
                s.spawn(move || {
                    produce(&mut |item| {
                        let seq = self.next_seq();
                        let admitted = self.sink.admit(seq);
                        if admitted {
                            // The workers outlive the listing: a send cannot fail.
                            let _ = tx.send((seq, item));
                        }
                        admitted
                    })
                });
                pool.broadcast(|_| {
                    let mut w = item::Worker::new(self.detectors, evidence, &self.ocr, &spare);
                    loop {
                        let next = lock(&rx).recv();
                        let Ok((seq, item)) = next else { break };
                        if !self.sink.closed() {
                            scan_one(&mut w, seq, item);
                        }
                    }
                    spare.worker_done(w.detect);
                });
            }),
            // Without a pool of its own, the scan runs on this thread, each
            // item as it is listed (so always the one the sink writes).
            Err(_) => {
                let mut w = item::Worker::new(self.detectors, evidence, &self.ocr, &spare);
                produce(&mut |item| {
                    let seq = self.next_seq();
                    let admitted = self.sink.admit(seq);
                    if admitted {
                        scan_one(&mut w, seq, item);
                    }
                    admitted
                });
            }
        }
        inventory.into_inner().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Writes what an unchanged item added last time as item `seq`: its
    /// locations (their purposes and retention judged again, as of now) and
    /// skipped members. It has no findings to stream: the state keeps
    /// aggregates, never findings.
    fn replay(&self, seq: Seq, mut part: Inventory, ticket: Option<&Ticket>) -> Inventory {
        let mut sink = self.sink.item(seq);
        for location in &mut part.locations {
            if let Some(t) = ticket.filter(|t| *t.key == *location.path)
                && let Some(meta) = &t.meta
            {
                location.set_meta(meta);
            }
            if let Some(purposes) = self.policy.purposes {
                purposes.assess(location, self.policy.now);
            }
            sink.location(location);
        }
        for skipped in &part.skipped {
            sink.skipped(skipped);
        }
        part
    }

    /// An item that is only an error (a database that cannot be reached).
    fn error_item(&self, path: String, message: String) -> Inventory {
        let seq = self.next_seq();
        self.sink.admit(seq);
        let mut out = emit::Stream::new(self, self.sink.item(seq));
        out.error(path, message);
        out.finish()
    }
}

/// How reports describe every rule that can report in a scan with
/// `detectors`: each detector, the floor-plan classifier and column
/// classification (SARIF lists them before any result).
pub fn rule_descriptions(detectors: &DetectorSet) -> BTreeMap<String, Rule> {
    let mut rules: BTreeMap<String, Rule> = detectors
        .describe()
        .into_iter()
        .map(|(id, category, en, ja)| {
            (id.to_string(), Rule { category: Some(category), en: en.into(), ja: ja.into() })
        })
        .collect();
    let column = Rule {
        category: None,
        en: crate::classify::DESCRIPTION_EN.into(),
        ja: crate::classify::DESCRIPTION_JA.into(),
    };
    rules.insert("column".into(), column);
    rules
}

/// A producer for [`Pipeline::run`] of items listed already (tables,
/// changed files): hands them on until the sink takes no more.
fn listed<T: Send>(items: Vec<T>) -> impl FnOnce(&mut dyn FnMut(T) -> bool) + Send {
    move |each| {
        for item in items {
            if !each(item) {
                break;
            }
        }
    }
}

/// The error entry of an item whose reader panicked.
const CRASHED: &str = "internal error while scanning this item (please report it)";

/// Scans every target (files and directories, walked in order).
pub fn scan(pipeline: &Pipeline<'_>, config: &ScanConfig) -> Inventory {
    pipeline
        .run(
            pipeline.jobs,
            &pipeline.evidence,
            |each| source::walk(&config.targets, &config.walk, each),
            |entry| entry.display().to_string(),
            |entry| match entry {
                source::Entry::File { display, path, stamp, meta, .. } => Some(Ticket {
                    key: display.clone(),
                    stamp: *stamp,
                    file: Some(path.clone()),
                    meta: Some(*meta),
                }),
                _ => None,
            },
            |w, out, entry| w.process(entry, &config.databases, out),
        )
        .finish()
}

/// Scans one in-memory text as if it were a file named `name`: the same
/// decoding, header sniffing and detection as [`scan`], without
/// identification; the findings in report order. The entry point of the
/// pattern self-test and of anything that has text rather than files.
pub fn scan_text(
    detectors: &DetectorSet,
    name: &str,
    bytes: &[u8],
    evidence: &Evidence,
) -> Vec<Finding> {
    let mut keep = emit::Keep::default();
    let spare = item::Spare::default();
    // Text has no pictures; an image given as text is not sent to OCR.
    let ocr = OcrOptions { mode: crate::read::ocr::Mode::Never, ..OcrOptions::default() };
    item::Worker::new(detectors, evidence, &ocr, &spare).scan_bytes(name, bytes, &mut keep);
    let mut findings = keep.findings;
    findings.sort();
    findings
}

/// Locks a mutex whose critical sections cannot leave it inconsistent (they
/// only push, pop or merge), so a poisoned lock is still safe to use.
fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

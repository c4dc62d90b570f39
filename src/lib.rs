//! piimap finds personal data in files and maps every location to the
//! categories of personal data it holds.
//!
//! The pipeline, one module per stage:
//!
//! ```text
//! targets ─▶ source ─▶ read ─▶ detect ─▶ classify ─▶ identify ─▶ inventory
//!  paths,    files,    decoded  hits      columns     records,     one aggregate
//!  tables    members,  text in                        people       per location
//!            tables    windows        │                               │
//!                                     └──── findings stream ─────▶ report
//!                                           (text, jsonl, sarif)   (json, csv,
//!                                                                   markdown, html)
//! ```
//!
//! - [`source`] lists files (a walk in a stable order, ignore files, size
//!   limit), archive members, git changes and database tables;
//! - [`read`] sniffs and decodes an item into chunks of whole lines, a
//!   window at a time;
//! - [`detect`] runs the data-driven detectors (`patterns/*.toml`) and the
//!   person-name engine over text;
//! - [`scan`] wires the stages on a thread pool, numbers items so output
//!   keeps a stable order, and never lets one item abort;
//! - [`classify`] classifies table columns (databases, CSV, sheets) by
//!   header and confirmed values, from counters;
//! - [`identify`] applies the combination rules (`patterns/combinations.toml`)
//!   per record and per location and counts the people in each location;
//! - [`inventory`] is the mergeable, sorted result: aggregates per location,
//!   never every finding;
//! - [`report`] streams the scan-time formats and renders the inventory.
//!
//! Observers of the scan see each batch of whole records while raw values
//! are still there: [`subject`] answers data-subject requests (and writes
//! their index), [`incident`] counts a leak's people across locations and
//! decides whether it must be reported.
//!
//! What a team has already accepted is decided by [`suppress`] (inline
//! `piimap:allow`), [`config`] (`.piimap.toml` allowlists and test data) and
//! [`baseline`] (accepted findings by fingerprint). [`selftest`] runs every
//! detector's and combination rule's examples through a scan.
//!
//! ```no_run
//! use piimap::detect::DetectorSet;
//! use piimap::identify::Rules;
//! use piimap::report::{Format, Streaming};
//! use piimap::scan::{DbOptions, Pipeline, ScanConfig, scan};
//! use piimap::source::WalkOptions;
//!
//! let detectors = DetectorSet::load(&[]).expect("built-in patterns compile");
//! let rules = Rules::builtin().expect("built-in rules parse");
//! let out = Box::new(std::io::stdout());
//! let described = piimap::scan::rule_descriptions(&detectors);
//! let jsonl = Streaming::new(Format::Jsonl, &described, &Default::default(), out).unwrap().unwrap();
//! let pipeline = Pipeline::new(&detectors, rules, &jsonl);
//! let config = ScanConfig {
//!     targets: vec!["share".into()],
//!     walk: WalkOptions { no_ignore: false, follow: false, max_filesize: 256 << 20, exclude: None, report: None, globs: None, shard: None },
//!     databases: DbOptions::default(),
//! };
//! let inventory = scan(&pipeline, &config);
//! jsonl.finish(&inventory).unwrap();
//! ```

pub mod baseline;
mod calendar;
pub mod classify;
pub mod config;
pub mod detect;
pub mod finding;
pub mod identify;
pub mod incident;
pub mod inventory;
pub mod read;
pub mod report;
pub mod scan;
pub mod selftest;
pub mod source;
pub mod state;
pub mod subject;
pub mod suppress;

pub use finding::{Category, Confidence, Finding};
pub use inventory::Inventory;

//! piimap finds personal data in files and maps every location to the
//! categories of personal data it holds.
//!
//! The pipeline, one module per stage:
//!
//! ```text
//! targets ─▶ source ─▶ read ─▶ detect ─▶ scan (fold) ─▶ identify ─▶ inventory ─▶ report
//!  paths     files     decoded  hits      findings in   levels,      sorted        text,
//!                      text               records       locations    Inventory     jsonl
//! ```
//!
//! - [`source`] lists files (parallel walk, ignore files, size limit);
//! - [`read`] sniffs and decodes a file into chunks of whole lines;
//! - [`detect`] runs the data-driven detectors (`patterns/*.toml`) and the
//!   person-name engine over text;
//! - [`scan`] wires the stages on a thread pool, groups findings into
//!   records, and never lets one item abort;
//! - [`classify`] classifies table columns (databases, CSV, sheets) by
//!   header and confirmed values;
//! - [`identify`] applies the combination rules (`patterns/combinations.toml`)
//!   per record and per file and estimates the people in each location;
//! - [`inventory`] is the mergeable, sorted result;
//! - [`report`] renders an inventory.
//!
//! What a team has already accepted is decided by [`suppress`] (inline
//! `piimap:allow`), [`config`] (`.piimap.toml` allowlists and test data) and
//! [`baseline`] (accepted findings by fingerprint).
//!
//! ```no_run
//! use piimap::{detect::DetectorSet, scan::{scan, Evidence, ScanConfig}, source::WalkOptions};
//!
//! let detectors = DetectorSet::load(&[]).expect("built-in patterns compile");
//! let config = ScanConfig {
//!     targets: vec!["share".into()],
//!     jobs: 4,
//!     walk: WalkOptions { no_ignore: false, follow: false, max_filesize: 256 << 20, threads: 2, exclude: None },
//!     evidence: Evidence::default(),
//! };
//! let inventory = scan(&config, &detectors, None);
//! piimap::report::write(piimap::report::Format::Jsonl, &inventory, &mut std::io::stdout()).unwrap();
//! ```

pub mod baseline;
mod calendar;
pub mod classify;
pub mod config;
pub mod detect;
pub mod finding;
pub mod identify;
pub mod inventory;
pub mod read;
pub mod report;
pub mod scan;
pub mod source;
pub mod suppress;

pub use finding::{Category, Confidence, Finding};
pub use inventory::Inventory;

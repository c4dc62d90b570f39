//! Baselines: the findings a team has looked at and accepted, so that CI fails
//! on new personal data only. An entry is a detector, a path and the value's
//! keyed fingerprint — no line number (the entry survives lines moving) and no
//! value. Paths are relative to the repository (or target) root, so a
//! baseline made by a walk serves `--staged` and the reverse. The key is derived from a random salt stored in the file and, when
//! the environment holds `PIIMAP_BASELINE_KEY` (a CI secret), from that too:
//! with the secret, the file gives nothing away even to someone who tries
//! every phone number; without it, the salt still rules out precomputed
//! tables and comparing baselines across repositories.

use std::collections::{BTreeSet, HashMap};
use std::io::{self, Write};
use std::path::Path;
use std::sync::Mutex;

use serde::{Deserialize, Serialize};

use crate::finding::{Finding, FingerprintKey, random_hex};
use crate::inventory::{ItemError, Location, Skipped};
use crate::scan::{ItemSink, Seq, Sink};
use crate::source::root::Root;

/// The environment variable holding the optional secret part of the key.
pub const KEY_ENV: &str = "PIIMAP_BASELINE_KEY";

/// Accepted findings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Baseline {
    version: u32,
    salt: String,
    /// `salt`, or `salt+PIIMAP_BASELINE_KEY`.
    key: String,
    findings: BTreeSet<Entry>,
}

/// One accepted finding.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    detector: String,
    path: String,
    fingerprint: String,
}

/// Why a baseline cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum BaselineError {
    /// The file could not be read or written.
    #[error(transparent)]
    Io(#[from] io::Error),
    /// The file is not a baseline (the JSON error is its source, not
    /// repeated in this message).
    #[error("not a piimap baseline")]
    Format(#[from] serde_json::Error),
    /// The key needs the secret and the environment lacks it.
    #[error("this baseline was made with {KEY_ENV}; set it to the same secret")]
    MissingSecret,
}

impl Baseline {
    /// A new, empty baseline with a fresh salt (and the secret, if set).
    pub fn new() -> Baseline {
        let secret = std::env::var(KEY_ENV).is_ok_and(|s| !s.is_empty());
        Baseline {
            version: 1,
            salt: random_hex(),
            key: if secret { format!("salt+{KEY_ENV}") } else { "salt".into() },
            findings: BTreeSet::new(),
        }
    }

    /// The fingerprint key a scan compared with this baseline must use.
    pub fn key(&self) -> Result<FingerprintKey, BaselineError> {
        if self.key == "salt" {
            return Ok(FingerprintKey::derive(&self.salt));
        }
        let secret = std::env::var(KEY_ENV).ok().filter(|s| !s.is_empty());
        let secret = secret.ok_or(BaselineError::MissingSecret)?;
        Ok(FingerprintKey::derive(&format!("{secret}:{}", self.salt)))
    }

    /// Whether `finding` (scanned with [`Baseline::key`]) is accepted.
    /// `index` is [`Baseline::index`]; paths compare relative to `root`.
    pub fn accepts(index: &Index, finding: &Finding, root: &Root) -> bool {
        index.0.get(finding.fingerprint.as_str()).is_some_and(|places| {
            let path = root.relative(&finding.path);
            places.iter().any(|(d, p)| **d == *finding.detector && **p == *path)
        })
    }

    /// The accepted findings by fingerprint, for [`Baseline::accepts`].
    pub fn index(&self) -> Index {
        let mut index: HashMap<String, Vec<(String, String)>> = HashMap::new();
        for e in &self.findings {
            index
                .entry(e.fingerprint.clone())
                .or_default()
                .push((e.detector.clone(), e.path.clone()));
        }
        Index(index)
    }

    /// Number of accepted findings.
    pub fn len(&self) -> usize {
        self.findings.len()
    }

    /// True when nothing is accepted.
    pub fn is_empty(&self) -> bool {
        self.findings.is_empty()
    }

    /// Reads a baseline file.
    pub fn read(path: &Path) -> Result<Baseline, BaselineError> {
        Ok(serde_json::from_slice(&std::fs::read(path)?)?)
    }

    /// Writes the baseline as sorted, pretty JSON (one entry per few lines,
    /// so a change to it diffs and merges cleanly).
    pub fn write(&self, out: &mut dyn Write) -> Result<(), BaselineError> {
        serde_json::to_writer_pretty(&mut *out, self)?;
        out.write_all(b"\n")?;
        Ok(())
    }
}

/// A baseline's entries by fingerprint: one lookup per finding, no
/// allocation.
#[derive(Debug, Default)]
pub struct Index(HashMap<String, Vec<(String, String)>>);

/// Records every finding with a fingerprint as a scan streams them (`piimap
/// baseline create`): a [`Sink`] whose entries become the baseline, their
/// paths relative to the root.
#[derive(Debug)]
pub struct Recorder(Mutex<BTreeSet<Entry>>, Root);

impl Recorder {
    /// A recorder naming paths from `root`.
    pub fn new(root: Root) -> Recorder {
        Recorder(Mutex::default(), root)
    }

    /// Adds what was recorded to `baseline`.
    pub fn accept_into(self, baseline: &mut Baseline) {
        let entries = self.0.into_inner().unwrap_or_else(std::sync::PoisonError::into_inner);
        baseline.findings.extend(entries);
    }
}

impl Sink for Recorder {
    fn item(&self, _: Seq) -> Box<dyn ItemSink + '_> {
        Box::new(self)
    }
}

impl ItemSink for &Recorder {
    fn findings(&mut self, findings: &[Finding]) {
        let mut entries = self.0.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        for f in findings.iter().filter(|f| !f.fingerprint.is_empty()) {
            entries.insert(Entry {
                detector: f.detector.to_string(),
                path: self.1.relative(&f.path).into_owned(),
                fingerprint: f.fingerprint.clone(),
            });
        }
    }
    fn location(&mut self, _: &Location) {}
    fn error(&mut self, _: &ItemError) {}
    fn skipped(&mut self, _: &Skipped) {}
}

impl Default for Baseline {
    fn default() -> Baseline {
        Baseline::new()
    }
}

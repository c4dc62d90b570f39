//! The subject index: what `piimap scan --index FILE` writes beside its
//! report so that a data-subject request is answered without reading the
//! share again (`piimap subject --index FILE`).
//!
//! One SQLite file. For every record with an identifying value it holds the
//! record's place, the categories it holds and its identifying values —
//! masked, with the keyed fingerprints of their normal forms — and a lookup
//! table from fingerprint to record. No raw value and no plain hash is ever
//! stored: a fingerprint is BLAKE3 keyed with the index key
//! ([`super::IndexKey`]), which lives outside the file (a key file or
//! `PIIMAP_INDEX_KEY`); the file only holds a check value that tells a query
//! whether it has the right key. The errors and skipped items of the scan
//! are kept too, since an answer must say what could not be searched.
//!
//! ```text
//! meta(name, value)                     schema, key check, created, version
//! location(id, path, categories)        categories: {"name": 3, …} (JSON)
//! record(id, location, place, categories, vals)
//!                                        place: JSON; categories: bits;
//!                                        vals: JSON, each value masked with
//!                                        its fingerprints
//! fingerprint(fp, record)               fp: the first 8 bytes, as an integer
//! gap(kind, path, reason)               kind: error | skipped
//! ```
//!
//! The lookup holds 64 bits of each fingerprint (a smaller row, a faster
//! index to build); a record it finds is judged on its full 128-bit
//! fingerprints, so a collision costs a lookup, never a wrong match. The
//! file is written under a temporary name next to FILE and renamed when the
//! scan ends, so a failed scan leaves no half index.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use rusqlite::{Connection, OptionalExtension, params};
use rustc_hash::{FxHashMap, FxHashSet};
use serde::{Deserialize, Serialize};

use super::{Collect, Fingerprint, Gap, IndexKey, Place, Query, Rules, Value, records};
use crate::finding::{Category, Finding};
use crate::inventory::{Inventory, Location};
use crate::scan::Observer;
use crate::subject::normalize::Kind;

/// The version of the index file.
pub const SCHEMA: &str = "piimap-index/1";

/// What went wrong with an index.
#[derive(Debug, thiserror::Error)]
pub enum IndexError {
    /// SQLite failed.
    #[error("{path}: {source}")]
    Sqlite {
        /// The index file.
        path: String,
        /// What SQLite said.
        source: rusqlite::Error,
    },
    /// Creating or renaming the file failed.
    #[error("{path}: {source}")]
    Io {
        /// The index file.
        path: String,
        /// What the system said.
        source: std::io::Error,
    },
    /// Not an index of this version.
    #[error("{path} is not a piimap subject index ({found}; this piimap reads {SCHEMA})")]
    Schema {
        /// The file.
        path: String,
        /// What it says it is.
        found: String,
    },
    /// The key is not the one the index was written with.
    #[error("{path} was written with another key (check PIIMAP_INDEX_KEY or --index-key-file)")]
    Key {
        /// The file.
        path: String,
    },
    /// Writing failed earlier, during the scan.
    #[error("{path}: {message}")]
    Failed {
        /// The file.
        path: String,
        /// The first failure.
        message: String,
    },
}

/// A value as the index stores it.
#[derive(Serialize, Deserialize)]
struct Stored {
    c: Category,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    f: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    l: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    o: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    x: Option<String>,
    m: String,
    /// Kind and fingerprint (hex) of each normal form.
    k: Vec<(u8, String)>,
}

fn hex(fp: &Fingerprint) -> String {
    fp.iter().map(|b| format!("{b:02x}")).collect()
}

fn unhex(s: &str) -> Option<Fingerprint> {
    let mut out = [0; 16];
    if s.len() != 32 {
        return None;
    }
    for (i, b) in out.iter_mut().enumerate() {
        *b = u8::from_str_radix(s.get(2 * i..2 * i + 2)?, 16).ok()?;
    }
    Some(out)
}

/// The lookup's 64 bits of a fingerprint.
fn lookup(fp: &Fingerprint) -> i64 {
    i64::from_le_bytes(fp[..8].try_into().unwrap_or_default())
}

/// Writes an index as a scan runs: an [`Observer`] of the scan.
#[derive(Debug)]
pub struct Writer {
    key: IndexKey,
    path: PathBuf,
    file: tempfile::TempPath,
    state: Mutex<State>,
}

#[derive(Debug)]
struct State {
    conn: Connection,
    locations: FxHashMap<String, i64>,
    next_record: i64,
    /// The first failure: later writes are skipped and `finish` reports it.
    failed: Option<String>,
}

impl Writer {
    /// Starts an index to be renamed to `path` when the scan ends.
    pub fn create(path: &Path, key: IndexKey) -> Result<Writer, IndexError> {
        let name = path.display().to_string();
        let dir = match path.parent() {
            Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
            _ => PathBuf::from("."),
        };
        // A temporary file is created readable by its owner only.
        let file = tempfile::Builder::new()
            .prefix(".piimap-index-")
            .tempfile_in(&dir)
            .map_err(|source| IndexError::Io { path: name.clone(), source })?
            .into_temp_path();
        let sqlite = |source| IndexError::Sqlite { path: name.clone(), source };
        let conn = Connection::open(&file).map_err(sqlite)?;
        conn.execute_batch(
            "PRAGMA journal_mode = OFF;
             PRAGMA synchronous = OFF;
             PRAGMA locking_mode = EXCLUSIVE;
             PRAGMA cache_size = -65536;
             CREATE TABLE meta(name TEXT PRIMARY KEY, value TEXT NOT NULL);
             CREATE TABLE location(id INTEGER PRIMARY KEY, path TEXT NOT NULL, categories TEXT);
             CREATE TABLE record(id INTEGER PRIMARY KEY, location INTEGER NOT NULL,
                                 place TEXT NOT NULL, categories INTEGER NOT NULL,
                                 vals TEXT NOT NULL);
             CREATE TABLE fingerprint(fp INTEGER NOT NULL, record INTEGER NOT NULL);
             CREATE TABLE gap(kind TEXT NOT NULL, path TEXT NOT NULL, reason TEXT NOT NULL);
             BEGIN;",
        )
        .map_err(sqlite)?;
        let state = State { conn, locations: FxHashMap::default(), next_record: 1, failed: None };
        Ok(Writer { key, path: path.to_path_buf(), file, state: Mutex::new(state) })
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Ends the index: the scan's errors and skipped items, the lookup's
    /// index, and the file renamed into place.
    pub fn finish(self, inventory: &Inventory) -> Result<(), IndexError> {
        let name = self.path.display().to_string();
        let state = self.state.into_inner().unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some(message) = state.failed {
            return Err(IndexError::Failed { path: name, message });
        }
        let sqlite = |source| IndexError::Sqlite { path: name.clone(), source };
        let conn = state.conn;
        {
            let mut gap = conn.prepare("INSERT INTO gap VALUES (?1, ?2, ?3)").map_err(sqlite)?;
            for e in &inventory.errors {
                gap.execute(params!["error", e.path, e.message]).map_err(sqlite)?;
            }
            for s in &inventory.skipped {
                gap.execute(params!["skipped", s.path, s.reason]).map_err(sqlite)?;
            }
            let mut meta = conn.prepare("INSERT INTO meta VALUES (?1, ?2)").map_err(sqlite)?;
            let created = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_secs());
            for (k, v) in [
                ("schema", SCHEMA.to_string()),
                ("key_check", self.key.check()),
                ("created", created.to_string()),
                ("piimap", env!("CARGO_PKG_VERSION").to_string()),
            ] {
                meta.execute(params![k, v]).map_err(sqlite)?;
            }
        }
        conn.execute_batch("CREATE INDEX fingerprint_fp ON fingerprint(fp); COMMIT;")
            .map_err(sqlite)?;
        conn.close().map_err(|(_, source)| sqlite(source))?;
        self.file.persist(&self.path).map_err(|e| IndexError::Io { path: name, source: e.error })
    }
}

impl State {
    /// The id of the location at `path`, added if new.
    fn location(&mut self, path: &str) -> rusqlite::Result<i64> {
        if let Some(&id) = self.locations.get(path) {
            return Ok(id);
        }
        let mut add = self.conn.prepare_cached("INSERT INTO location(path) VALUES (?1)")?;
        add.execute([path])?;
        let id = self.conn.last_insert_rowid();
        self.locations.insert(path.to_string(), id);
        Ok(id)
    }

    fn write(
        &mut self,
        path: &str,
        rows: &[(String, u16, String, Vec<i64>)],
    ) -> rusqlite::Result<()> {
        let location = self.location(path)?;
        let mut record =
            self.conn.prepare_cached("INSERT INTO record VALUES (?1, ?2, ?3, ?4, ?5)")?;
        let mut fingerprint =
            self.conn.prepare_cached("INSERT INTO fingerprint VALUES (?1, ?2)")?;
        for (place, cats, vals, fps) in rows {
            let id = self.next_record;
            self.next_record += 1;
            record.execute(params![id, location, place, cats, vals])?;
            for fp in fps {
                fingerprint.execute(params![fp, id])?;
            }
        }
        Ok(())
    }
}

impl Observer for Writer {
    fn findings(&self, findings: &[Finding]) {
        let Some(first) = findings.first() else { return };
        // Normal forms, fingerprints and encoding outside the lock.
        let rows: Vec<(String, u16, String, Vec<i64>)> = records(findings, &self.key, false)
            .into_iter()
            .map(|(place, cats, values)| {
                let mut fps: Vec<i64> =
                    values.iter().flat_map(|v| v.keys.iter().map(|(_, fp)| lookup(fp))).collect();
                fps.sort_unstable();
                fps.dedup();
                let stored: Vec<Stored> = values
                    .into_iter()
                    .map(|v| Stored {
                        c: v.category,
                        f: v.field,
                        l: v.line,
                        o: v.column,
                        x: v.cell,
                        m: v.masked,
                        k: v.keys.iter().map(|(k, fp)| (*k as u8, hex(fp))).collect(),
                    })
                    .collect();
                let place = serde_json::to_string(&place).unwrap_or_default();
                (place, cats, serde_json::to_string(&stored).unwrap_or_default(), fps)
            })
            .collect();
        if rows.is_empty() {
            return;
        }
        let mut state = self.lock();
        if state.failed.is_none()
            && let Err(e) = state.write(&first.path, &rows)
        {
            state.failed = Some(e.to_string());
        }
    }

    fn location(&self, location: &Location) {
        let mut state = self.lock();
        if state.failed.is_some() {
            return;
        }
        let categories = serde_json::to_string(&location.categories).unwrap_or_default();
        let result = state.location(&location.path).and_then(|id| {
            state
                .conn
                .prepare_cached("UPDATE location SET categories = ?1 WHERE id = ?2")?
                .execute(params![categories, id])
        });
        if let Err(e) = result {
            state.failed = Some(e.to_string());
        }
    }
}

/// An index opened for requests.
#[derive(Debug)]
pub struct Index {
    conn: Connection,
    path: String,
    /// When it was written (seconds since 1970).
    pub created: u64,
}

impl Index {
    /// Opens the index at `path`, read-only.
    pub fn open(path: &Path) -> Result<Index, IndexError> {
        let name = path.display().to_string();
        if !path.is_file() {
            let source = std::io::Error::new(std::io::ErrorKind::NotFound, "no such file");
            return Err(IndexError::Io { path: name, source });
        }
        let sqlite = |source| IndexError::Sqlite { path: name.clone(), source };
        let conn = Connection::open_with_flags(path, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
            .map_err(sqlite)?;
        let meta = |key: &str| -> Option<String> {
            conn.query_row("SELECT value FROM meta WHERE name = ?1", [key], |r| r.get(0))
                .optional()
                .ok()
                .flatten()
        };
        let schema = meta("schema");
        if schema.as_deref() != Some(SCHEMA) {
            let found = schema.unwrap_or_else(|| "no schema".into());
            return Err(IndexError::Schema { path: name, found });
        }
        let created = meta("created").and_then(|s| s.parse().ok()).unwrap_or(0);
        Ok(Index { conn, path: name, created })
    }

    /// Answers `query` from the index: the same matches a scan of the same
    /// data gives.
    pub fn answer(&self, rules: &Rules, query: &Query) -> Result<super::Answer, IndexError> {
        let sqlite = |source| IndexError::Sqlite { path: self.path.clone(), source };
        let check: Option<String> = self
            .conn
            .query_row("SELECT value FROM meta WHERE name = 'key_check'", [], |r| r.get(0))
            .optional()
            .map_err(sqlite)?;
        if check.as_deref() != Some(query.key().check().as_str()) {
            return Err(IndexError::Key { path: self.path.clone() });
        }
        let mut candidates = FxHashSet::default();
        {
            let mut find = self
                .conn
                .prepare("SELECT record FROM fingerprint WHERE fp = ?1")
                .map_err(sqlite)?;
            for fp in query.fingerprints() {
                let ids = find.query_map([lookup(fp)], |r| r.get::<_, i64>(0)).map_err(sqlite)?;
                for id in ids {
                    candidates.insert(id.map_err(sqlite)?);
                }
            }
        }
        let mut candidates: Vec<i64> = candidates.into_iter().collect();
        candidates.sort_unstable();
        let mut collect = Collect::default();
        let mut paths: BTreeMap<i64, String> = BTreeMap::new();
        {
            let mut read = self
                .conn
                .prepare(
                    "SELECT l.id, l.path, r.place, r.categories, r.vals
                     FROM record r JOIN location l ON l.id = r.location WHERE r.id = ?1",
                )
                .map_err(sqlite)?;
            for id in candidates {
                let (location, path, place, cats, vals): (i64, String, String, u16, String) = read
                    .query_row([id], |r| {
                        Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
                    })
                    .map_err(sqlite)?;
                let place: Place = serde_json::from_str(&place).unwrap_or_default();
                let stored: Vec<Stored> = serde_json::from_str(&vals).unwrap_or_default();
                let values = stored
                    .into_iter()
                    .map(|s| Value {
                        category: s.c,
                        field: s.f,
                        line: s.l,
                        column: s.o,
                        cell: s.x,
                        masked: s.m,
                        value: None,
                        agreed: false,
                        keys: s
                            .k
                            .iter()
                            .filter_map(|(k, fp)| Some((Kind::from_u8(*k)?, unhex(fp)?)))
                            .collect(),
                    })
                    .collect();
                collect.judge(rules, query, &path, vec![(place, cats, values)]);
                paths.insert(location, path);
            }
        }
        let mut categories =
            self.conn.prepare("SELECT categories FROM location WHERE id = ?1").map_err(sqlite)?;
        for (id, path) in paths {
            let text: Option<String> = categories.query_row([id], |r| r.get(0)).map_err(sqlite)?;
            let cats: BTreeMap<Category, usize> =
                text.and_then(|t| serde_json::from_str(&t).ok()).unwrap_or_default();
            collect.location(&path, &cats);
        }
        let gaps = |kind: &str| -> Result<Vec<Gap>, IndexError> {
            let mut read = self
                .conn
                .prepare("SELECT path, reason FROM gap WHERE kind = ?1 ORDER BY path, reason")
                .map_err(sqlite)?;
            let rows = read
                .query_map([kind], |r| Ok(Gap { path: r.get(0)?, reason: r.get(1)? }))
                .map_err(sqlite)?;
            rows.collect::<Result<_, _>>().map_err(sqlite)
        };
        Ok(collect.answer("index", query, gaps("error")?, gaps("skipped")?))
    }
}

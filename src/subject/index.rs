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
use std::sync::mpsc::SyncSender;

use rusqlite::{Connection, OptionalExtension, params};
use rustc_hash::{FxHashMap, FxHashSet};

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

/// Appends `n` as a LEB128 varint.
fn put(out: &mut Vec<u8>, mut n: u64) {
    while n >= 0x80 {
        out.push(n as u8 | 0x80);
        n >>= 7;
    }
    out.push(n as u8);
}

/// Reads a LEB128 varint at `*at`.
fn get(blob: &[u8], at: &mut usize) -> Option<u64> {
    let mut n = 0u64;
    for shift in (0..64).step_by(7) {
        let b = *blob.get(*at)?;
        *at += 1;
        n |= u64::from(b & 0x7f) << shift;
        if b < 0x80 {
            return Some(n);
        }
    }
    None
}

fn put_str(out: &mut Vec<u8>, s: Option<&str>) {
    match s {
        Some(s) => {
            put(out, s.len() as u64 + 1);
            out.extend_from_slice(s.as_bytes());
        }
        None => put(out, 0),
    }
}

fn get_str(blob: &[u8], at: &mut usize) -> Option<Option<String>> {
    let n = get(blob, at)? as usize;
    if n == 0 {
        return Some(None);
    }
    let s = std::str::from_utf8(blob.get(*at..*at + n - 1)?).ok()?.to_string();
    *at += n - 1;
    Some(Some(s))
}

/// Optional numbers as `n + 1`, 0 for none.
fn put_opt(out: &mut Vec<u8>, n: Option<u64>) {
    put(out, n.map_or(0, |n| n + 1));
}

fn get_opt(blob: &[u8], at: &mut usize) -> Option<Option<u64>> {
    Some(get(blob, at)?.checked_sub(1))
}

/// A record's values as the index stores them, in a compact binary form
/// (an index of a million records is read and written in seconds): per
/// value its category, field, line, column, cell, masked form and each
/// normal form's kind and fingerprint.
fn encode(values: &[Value]) -> Vec<u8> {
    let mut out = Vec::with_capacity(values.len() * 40);
    put(&mut out, values.len() as u64);
    for v in values {
        out.push(v.category as u8);
        put_str(&mut out, v.field.as_deref());
        put_opt(&mut out, v.line);
        put_opt(&mut out, v.column);
        put_str(&mut out, v.cell.as_deref());
        put_str(&mut out, Some(&v.masked));
        put(&mut out, v.keys.len() as u64);
        for (kind, fp) in &v.keys {
            out.push(*kind as u8);
            out.extend_from_slice(&fp.to_le_bytes());
        }
    }
    out
}

/// The values of [`encode`]; `None` when the blob is damaged.
fn decode(blob: &[u8]) -> Option<Vec<Value>> {
    let at = &mut 0;
    let n = get(blob, at)?;
    let mut values = Vec::with_capacity(n.min(1024) as usize);
    for _ in 0..n {
        let category = *Category::ALL.get(usize::from(*blob.get(*at)?))?;
        *at += 1;
        let field = get_str(blob, at)?;
        let line = get_opt(blob, at)?;
        let column = get_opt(blob, at)?;
        let cell = get_str(blob, at)?;
        let masked = get_str(blob, at)??;
        let mut keys = Vec::new();
        for _ in 0..get(blob, at)? {
            let kind = Kind::from_u8(*blob.get(*at)?)?;
            let fp = u64::from_le_bytes(blob.get(*at + 1..*at + 9)?.try_into().ok()?);
            *at += 9;
            keys.push((kind, fp));
        }
        values.push(Value {
            category,
            field,
            line,
            column,
            cell,
            masked,
            value: None,
            agreed: false,
            keys,
        });
    }
    Some(values)
}

/// The lookup's form of a fingerprint (SQLite integers are signed).
fn lookup(fp: &Fingerprint) -> i64 {
    *fp as i64
}

/// Writes an index as a scan runs: an [`Observer`] of the scan. Workers
/// compute normal forms and fingerprints and hand encoded records to one
/// writing thread, over a bounded channel (a few batches: memory stays
/// flat), so no worker waits on SQLite while another one writes.
#[derive(Debug)]
pub struct Writer {
    key: IndexKey,
    /// The categories records are looked up by ([`Rules::lookup_categories`]).
    lookup: u16,
    path: PathBuf,
    file: tempfile::TempPath,
    tx: SyncSender<Message>,
    thread: std::thread::JoinHandle<State>,
}

/// What the workers send the writing thread.
enum Message {
    /// Records of the location at the path.
    Records(String, Vec<Row>),
    /// The location's categories, as JSON.
    Location(String, String),
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
    pub fn create(path: &Path, key: IndexKey, rules: &Rules) -> Result<Writer, IndexError> {
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
             PRAGMA cache_size = -32768;
             PRAGMA threads = 2;
             CREATE TABLE meta(name TEXT PRIMARY KEY, value TEXT NOT NULL);
             CREATE TABLE location(id INTEGER PRIMARY KEY, path TEXT NOT NULL, categories TEXT);
             CREATE TABLE record(id INTEGER PRIMARY KEY, location INTEGER NOT NULL,
                                 line INTEGER, place TEXT, categories INTEGER NOT NULL,
                                 vals BLOB NOT NULL);
             CREATE TABLE fingerprint(fp INTEGER NOT NULL, record INTEGER NOT NULL);
             CREATE TABLE gap(kind TEXT NOT NULL, path TEXT NOT NULL, reason TEXT NOT NULL);
             BEGIN;",
        )
        .map_err(sqlite)?;
        let mut state =
            State { conn, locations: FxHashMap::default(), next_record: 1, failed: None };
        let (tx, rx) = std::sync::mpsc::sync_channel::<Message>(8);
        let thread = std::thread::spawn(move || {
            for message in rx {
                if state.failed.is_some() {
                    continue;
                }
                let result = match message {
                    Message::Records(path, rows) => state.write(&path, &rows),
                    Message::Location(path, categories) => {
                        state.categories(&path, &categories).map(|_| ())
                    }
                };
                if let Err(e) = result {
                    state.failed = Some(e.to_string());
                }
            }
            state
        });
        Ok(Writer {
            key,
            lookup: rules.lookup_categories(),
            path: path.to_path_buf(),
            file,
            tx,
            thread,
        })
    }

    /// Ends the index: the scan's errors and skipped items, the lookup's
    /// index, and the file renamed into place.
    pub fn finish(self, inventory: &Inventory) -> Result<(), IndexError> {
        let name = self.path.display().to_string();
        drop(self.tx);
        let state = self.thread.join().map_err(|_| IndexError::Failed {
            path: name.clone(),
            message: "the index writer stopped".into(),
        })?;
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
    /// Sets the categories the location at `path` holds.
    fn categories(&mut self, path: &str, categories: &str) -> rusqlite::Result<usize> {
        let id = self.location(path)?;
        self.conn
            .prepare_cached("UPDATE location SET categories = ?1 WHERE id = ?2")?
            .execute(params![categories, id])
    }

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

    fn write(&mut self, path: &str, rows: &[Row]) -> rusqlite::Result<()> {
        let location = self.location(path)?;
        let mut record =
            self.conn.prepare_cached("INSERT INTO record VALUES (?1, ?2, ?3, ?4, ?5, ?6)")?;
        let mut fingerprint =
            self.conn.prepare_cached("INSERT INTO fingerprint VALUES (?1, ?2)")?;
        for row in rows {
            let id = self.next_record;
            self.next_record += 1;
            record.execute(params![
                id,
                location,
                row.line,
                row.place,
                row.categories,
                row.values
            ])?;
            for fp in &row.fps {
                fingerprint.execute(params![fp, id])?;
            }
        }
        Ok(())
    }
}

/// One record, encoded for the index.
struct Row {
    line: Option<u64>,
    place: Option<String>,
    categories: u16,
    values: Vec<u8>,
    fps: Vec<i64>,
}

impl Observer for Writer {
    fn findings(&self, findings: &[Finding]) {
        let Some(first) = findings.first() else { return };
        // Normal forms, fingerprints and encoding outside the lock.
        let rows: Vec<Row> = records(findings, &self.key, false)
            .into_iter()
            .map(|(place, cats, values)| {
                let mut fps: Vec<i64> = values
                    .iter()
                    .filter(|v| self.lookup & v.category.bit() != 0)
                    .flat_map(|v| v.keys.iter().map(|(_, fp)| lookup(fp)))
                    .collect();
                fps.sort_unstable();
                fps.dedup();
                // A record's place is mostly its line: the rest only when there.
                let line = place.line;
                let rest = Place { line: None, ..place };
                let rest = (rest != Place::default())
                    .then(|| serde_json::to_string(&rest).unwrap_or_default());
                Row { line, place: rest, categories: cats, values: encode(&values), fps }
            })
            .collect();
        if rows.is_empty() {
            return;
        }
        // The writer is gone only after a failure, which `finish` reports.
        let _ = self.tx.send(Message::Records(first.path.to_string(), rows));
    }

    fn location(&self, location: &Location) {
        let categories = serde_json::to_string(&location.categories).unwrap_or_default();
        let _ = self.tx.send(Message::Location(location.path.to_string(), categories));
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
                    "SELECT l.id, l.path, r.line, r.place, r.categories, r.vals
                     FROM record r JOIN location l ON l.id = r.location WHERE r.id = ?1",
                )
                .map_err(sqlite)?;
            for id in candidates {
                let row = read
                    .query_row([id], |r| {
                        Ok((
                            r.get::<_, i64>(0)?,
                            r.get::<_, String>(1)?,
                            r.get::<_, Option<u64>>(2)?,
                            r.get::<_, Option<String>>(3)?,
                            r.get::<_, u16>(4)?,
                            r.get::<_, Vec<u8>>(5)?,
                        ))
                    })
                    .map_err(sqlite)?;
                let (location, path, line, place, cats, blob) = row;
                let damaged = || IndexError::Failed {
                    path: self.path.clone(),
                    message: format!("record {id} is damaged"),
                };
                let mut place: Place = match place {
                    Some(json) => serde_json::from_str(&json).map_err(|_| damaged())?,
                    None => Place::default(),
                };
                place.line = line;
                let values = decode(&blob).ok_or_else(damaged)?;
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

//! The subject index: what `piimap scan --index FILE` writes beside its
//! report so that a data-subject request is answered without reading the
//! share again (`piimap subject --index FILE`).
//!
//! One SQLite file. For every record with an identifying value it holds the
//! record's place, the categories it holds and its identifying values —
//! masked, with the keyed fingerprints of their normal forms — and a lookup
//! from fingerprint to record. No raw value and no plain hash is ever
//! stored: a fingerprint is BLAKE3 keyed with the index key
//! ([`super::IndexKey`]), which lives outside the file (a key file or
//! `PIIMAP_INDEX_KEY`); the file only holds a check value that tells a query
//! whether it has the right key. The errors and skipped items of the scan
//! are kept too, since an answer must say what could not be searched.
//!
//! ```text
//! meta(name, value)               schema, key check, created, version
//! location(id, path, categories)  categories: {"name": 3, …} (JSON)
//! page(first, location, fields, records)
//!                                 records first, first+1, … (at most 64),
//!                                 each length-prefixed, in a compact binary
//!                                 form ([`entry`], [`encode`]); fields: the
//!                                 column headers they name (JSON)
//! bucket(b, pairs)                (fingerprint, record) pairs, 12 bytes
//!                                 each, of the fingerprints whose top 12
//!                                 bits are b; indexed by b
//! gap(kind, path, reason)         kind: error | skipped
//! ```
//!
//! Why pages and buckets rather than a row per record and per fingerprint:
//! a dense customer table gives a million records and five million
//! fingerprints, and SQLite spends microseconds per row inserted and more
//! again sorting an index over them at the end — the scan would take half
//! as long again. A page holds 64 records and a bucket row a few hundred
//! pairs, so the index is written in a few thousand rows; a request reads
//! one bucket (a few kilobytes) per value asked for, then the pages of the
//! records found. The writer keeps one partly filled row per bucket (4,096
//! × 4 KiB at most): memory does not grow with the data. Only the
//! categories a rule can be matched by are looked up
//! ([`Rules::lookup_categories`]).
//!
//! The file is written under a temporary name next to FILE and renamed when
//! the scan ends, so a failed scan leaves no half index.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::mpsc::SyncSender;

use rusqlite::{Connection, OptionalExtension, params};
use rustc_hash::FxHashMap;

use super::{Collect, Fingerprint, Gap, IndexKey, Keys, Place, Query, Rules, Value, each_record};
use crate::finding::{Category, Finding};
use crate::inventory::{Inventory, Location};
use crate::scan::Observer;
use crate::subject::normalize::Kind;

/// The version of the index file.
pub const SCHEMA: &str = "piimap-index/2";

/// Records per page.
const PAGE: usize = 64;
/// Buckets: the top 12 bits of a fingerprint.
const BUCKET_BITS: u32 = 12;
/// A bucket's pending pairs are written as a row at this size.
const BUCKET_ROW: usize = 4096;
/// One (fingerprint, record) pair.
const PAIR: usize = 12;

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
/// value its category, field (by its place in the page's `fields`: a
/// table's headers repeat on every row), line, column, cell, masked form
/// and each normal form's kind and fingerprint.
fn encode(values: &[(&Finding, Keys)], out: &mut Vec<u8>, fields: &mut Vec<Arc<str>>) {
    put(out, values.len() as u64);
    for (f, keys) in values {
        out.push(f.category as u8);
        let field = f.field.as_ref().map(|name| {
            fields
                .iter()
                .position(|known| Arc::ptr_eq(known, name) || known == name)
                .unwrap_or_else(|| {
                    fields.push(Arc::clone(name));
                    fields.len() - 1
                })
        });
        put_opt(out, field.map(|n| n as u64));
        put_opt(out, f.line);
        put_opt(out, f.column);
        put_str(out, super::cell(f).as_deref());
        put_str(out, Some(&f.masked));
        put(out, keys.len() as u64);
        for (kind, fp) in keys.iter() {
            out.push(*kind as u8);
            out.extend_from_slice(&fp.to_le_bytes());
        }
    }
}

/// The values of [`encode`]; `None` when the blob is damaged.
fn decode(blob: &[u8], fields: &[Arc<str>]) -> Option<Vec<Value>> {
    let at = &mut 0;
    let n = get(blob, at)?;
    let mut values = Vec::with_capacity(n.min(1024) as usize);
    for _ in 0..n {
        let category = *Category::ALL.get(usize::from(*blob.get(*at)?))?;
        *at += 1;
        let field = match get_opt(blob, at)? {
            Some(n) => Some(Arc::clone(fields.get(usize::try_from(n).ok()?)?)),
            None => None,
        };
        let line = get_opt(blob, at)?;
        let column = get_opt(blob, at)?;
        let cell = get_str(blob, at)?;
        let masked = get_str(blob, at)??;
        let mut keys = Keys::default();
        for _ in 0..get(blob, at)? {
            let kind = Kind::from_u8(*blob.get(*at)?)?;
            let fp = u64::from_le_bytes(blob.get(*at + 1..*at + 9)?.try_into().ok()?);
            *at += 9;
            keys.push(kind, fp);
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

/// The bucket of a fingerprint.
fn bucket(fp: Fingerprint) -> usize {
    (fp >> (64 - BUCKET_BITS)) as usize
}

/// Writes an index as a scan runs: an [`Observer`] of the scan. Workers
/// compute normal forms and fingerprints and encode records; one writing
/// thread, fed over a bounded channel (a few batches: memory stays flat),
/// files them into pages and buckets.
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
    Records(String, Vec<Page>),
    /// The location's categories, as JSON.
    Location(String, String),
}

/// Up to [`PAGE`] records encoded as a page by a worker, with the
/// fingerprints each is looked up by (by its place in the page).
struct Page {
    records: u32,
    fields: Vec<Arc<str>>,
    blob: Vec<u8>,
    fps: Vec<(u32, Fingerprint)>,
}

#[derive(Debug)]
struct State {
    conn: Connection,
    locations: FxHashMap<String, i64>,
    next_record: u64,
    /// Pending pairs per bucket.
    buckets: Vec<Vec<u8>>,
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
            "PRAGMA page_size = 65536;
             PRAGMA journal_mode = OFF;
             PRAGMA synchronous = OFF;
             PRAGMA locking_mode = EXCLUSIVE;
             CREATE TABLE meta(name TEXT PRIMARY KEY, value TEXT NOT NULL);
             CREATE TABLE location(id INTEGER PRIMARY KEY, path TEXT NOT NULL, categories TEXT);
             CREATE TABLE page(first INTEGER PRIMARY KEY, location INTEGER NOT NULL,
                               fields TEXT NOT NULL, records BLOB NOT NULL);
             CREATE TABLE bucket(b INTEGER NOT NULL, pairs BLOB NOT NULL);
             CREATE TABLE gap(kind TEXT NOT NULL, path TEXT NOT NULL, reason TEXT NOT NULL);
             BEGIN;",
        )
        .map_err(sqlite)?;
        let mut state = State {
            conn,
            locations: FxHashMap::default(),
            next_record: 0,
            buckets: vec![Vec::new(); 1 << BUCKET_BITS],
            failed: None,
        };
        let (tx, rx) = std::sync::mpsc::sync_channel::<Message>(8);
        let thread = std::thread::spawn(move || {
            for message in rx {
                if state.failed.is_some() {
                    continue;
                }
                let result = match message {
                    Message::Records(path, rows) => state.write(&path, &rows),
                    Message::Location(path, categories) => state.categories(&path, &categories),
                };
                if let Err(e) = result {
                    state.failed = Some(e);
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

    /// Ends the index: the buckets' last pairs, the scan's errors and
    /// skipped items, and the file renamed into place.
    pub fn finish(self, inventory: &Inventory) -> Result<(), IndexError> {
        let name = self.path.display().to_string();
        drop(self.tx);
        let mut state = self.thread.join().map_err(|_| IndexError::Failed {
            path: name.clone(),
            message: "the index writer stopped".into(),
        })?;
        if let Some(message) = state.failed {
            return Err(IndexError::Failed { path: name, message });
        }
        let sqlite = |source| IndexError::Sqlite { path: name.clone(), source };
        for b in 0..state.buckets.len() {
            state.flush(b).map_err(sqlite)?;
        }
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
        conn.execute_batch("CREATE INDEX bucket_b ON bucket(b); COMMIT;").map_err(sqlite)?;
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

    /// Sets the categories the location at `path` holds.
    fn categories(&mut self, path: &str, categories: &str) -> Result<(), String> {
        let id = self.location(path).map_err(|e| e.to_string())?;
        self.conn
            .prepare_cached("UPDATE location SET categories = ?1 WHERE id = ?2")
            .and_then(|mut update| update.execute(params![categories, id]))
            .map(|_| ())
            .map_err(|e| e.to_string())
    }

    /// Files `rows` of the location at `path` into pages, and their
    /// fingerprints into buckets.
    fn write(&mut self, path: &str, pages: &[Page]) -> Result<(), String> {
        let location = self.location(path).map_err(|e| e.to_string())?;
        for page in pages {
            let first = self.next_record;
            if first + u64::from(page.records) > u64::from(u32::MAX) {
                return Err("more than 4,294,967,295 records: split the scan".into());
            }
            self.conn
                .prepare_cached("INSERT INTO page VALUES (?1, ?2, ?3, ?4)")
                .and_then(|mut add| {
                    let fields: Vec<&str> = page.fields.iter().map(|f| &**f).collect();
                    let fields = serde_json::to_string(&fields).unwrap_or_default();
                    add.execute(params![first, location, fields, page.blob])
                })
                .map_err(|e| e.to_string())?;
            for &(n, fp) in &page.fps {
                let b = bucket(fp);
                self.buckets[b].extend_from_slice(&fp.to_le_bytes());
                self.buckets[b].extend_from_slice(&(first as u32 + n).to_le_bytes());
                if self.buckets[b].len() >= BUCKET_ROW {
                    self.flush(b).map_err(|e| e.to_string())?;
                }
            }
            self.next_record += u64::from(page.records);
        }
        Ok(())
    }

    /// Writes bucket `b`'s pending pairs as a row.
    fn flush(&mut self, b: usize) -> rusqlite::Result<()> {
        if self.buckets[b].is_empty() {
            return Ok(());
        }
        let mut add = self.conn.prepare_cached("INSERT INTO bucket VALUES (?1, ?2)")?;
        add.execute(params![b as i64, self.buckets[b]])?;
        self.buckets[b].clear();
        Ok(())
    }
}

/// Appends a record as a page holds it: its length (4 bytes), then its
/// line, the rest of its place (JSON, when there is more than a line), its
/// categories and its values.
fn entry(place: Place, categories: u16, values: &[(&Finding, Keys)], page: &mut Page) {
    let out = &mut page.blob;
    let start = out.len();
    out.extend_from_slice(&[0; 4]);
    put_opt(out, place.line);
    let rest = Place { line: None, ..place };
    let rest = (rest != Place::default()).then(|| serde_json::to_string(&rest).unwrap_or_default());
    put_str(out, rest.as_deref());
    put(out, u64::from(categories));
    encode(values, out, &mut page.fields);
    let len = (out.len() - start - 4) as u32;
    out[start..start + 4].copy_from_slice(&len.to_le_bytes());
}

/// The length of the record at `*at`, moving past the length.
fn entry_len(blob: &[u8], at: &mut usize) -> Option<usize> {
    let len = u32::from_le_bytes(blob.get(*at..*at + 4)?.try_into().ok()?);
    *at += 4;
    Some(len as usize)
}

/// How many records a page holds.
fn entries(blob: &[u8]) -> u64 {
    let (mut at, mut n) = (0, 0);
    while let Some(len) = entry_len(blob, &mut at) {
        at += len;
        n += 1;
    }
    n
}

/// The record of [`entry`] in `blob` at `*at`, moving past it.
fn read_entry(
    blob: &[u8],
    at: &mut usize,
    fields: &[Arc<str>],
) -> Option<(Place, u16, Vec<Value>)> {
    let len = entry_len(blob, at)?;
    let body = blob.get(*at..*at + len)?;
    *at += len;
    let at = &mut 0;
    let line = get_opt(body, at)?;
    let mut place: Place = match get_str(body, at)? {
        Some(json) => serde_json::from_str(&json).ok()?,
        None => Place::default(),
    };
    place.line = line;
    let categories = u16::try_from(get(body, at)?).ok()?;
    Some((place, categories, decode(&body[*at..], fields)?))
}

impl Observer for Writer {
    fn findings(&self, findings: &[Finding]) {
        let Some(first) = findings.first() else { return };
        let mut pages: Vec<Page> = Vec::new();
        each_record(findings, &self.key, |record| {
            if pages.last().is_none_or(|page| page.records as usize == PAGE) {
                pages.push(Page {
                    records: 0,
                    fields: Vec::new(),
                    blob: Vec::with_capacity(PAGE * 128),
                    fps: Vec::new(),
                });
            }
            let Some(page) = pages.last_mut() else { return };
            let n = page.records;
            let looked_up =
                record.values.iter().filter(|(f, _)| self.lookup & f.category.bit() != 0);
            page.fps
                .extend(looked_up.flat_map(|(_, keys)| keys.iter().map(move |&(_, fp)| (n, fp))));
            entry(Place::of(record.first), record.categories, record.values, page);
            page.records += 1;
        });
        if pages.is_empty() {
            return;
        }
        for page in &mut pages {
            // One pair per fingerprint per record.
            page.fps.sort_unstable();
            page.fps.dedup();
        }
        // The writer is gone only after a failure, which `finish` reports.
        let _ = self.tx.send(Message::Records(first.path.to_string(), pages));
    }

    fn location(&self, location: &Location) {
        let categories = serde_json::to_string(&location.categories).unwrap_or_default();
        let _ = self.tx.send(Message::Location(location.path.to_string(), categories));
    }
}

/// A page read back.
struct Stored {
    first: u64,
    records: u64,
    location: i64,
    path: String,
    fields: Vec<Arc<str>>,
    blob: Vec<u8>,
}

impl Stored {
    /// Record `id`, which the page holds.
    fn record(&self, id: u64) -> Option<(Place, u16, Vec<Value>)> {
        let mut at = 0;
        for _ in self.first..id {
            let len = entry_len(&self.blob, &mut at)?;
            at += len;
        }
        read_entry(&self.blob, &mut at, &self.fields)
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
        let mut candidates = BTreeSet::new();
        {
            let mut find =
                self.conn.prepare("SELECT pairs FROM bucket WHERE b = ?1").map_err(sqlite)?;
            for &fp in query.fingerprints() {
                let rows = find.query_map([bucket(fp) as i64], |r| r.get::<_, Vec<u8>>(0));
                for pairs in rows.map_err(sqlite)? {
                    for pair in pairs.map_err(sqlite)?.chunks_exact(PAIR) {
                        if pair[..8] == fp.to_le_bytes() {
                            candidates.insert(u64::from(u32::from_le_bytes(
                                pair[8..].try_into().unwrap_or_default(),
                            )));
                        }
                    }
                }
            }
        }
        let mut collect = Collect::default();
        let mut paths: BTreeMap<i64, String> = BTreeMap::new();
        {
            let mut read = self
                .conn
                .prepare(
                    "SELECT p.first, p.location, l.path, p.fields, p.records FROM page p
                     JOIN location l ON l.id = p.location
                     WHERE p.first <= ?1 ORDER BY p.first DESC LIMIT 1",
                )
                .map_err(sqlite)?;
            // Candidates are sorted: each page is read once.
            let mut page: Option<Stored> = None;
            for id in candidates {
                let damaged = || IndexError::Failed {
                    path: self.path.clone(),
                    message: format!("record {id} is damaged"),
                };
                if page.as_ref().is_none_or(|p| id >= p.first + p.records) {
                    let (first, location, path, fields, blob): (i64, i64, String, String, Vec<u8>) =
                        read.query_row([id as i64], |r| {
                            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
                        })
                        .map_err(sqlite)?;
                    page = Some(Stored {
                        first: first as u64,
                        records: entries(&blob),
                        location,
                        path,
                        fields: serde_json::from_str(&fields).map_err(|_| damaged())?,
                        blob,
                    });
                }
                let Some(page) = &page else { continue };
                let record = page.record(id).ok_or_else(damaged)?;
                collect.judge(rules, query, &page.path, vec![record]);
                paths.insert(page.location, page.path.clone());
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

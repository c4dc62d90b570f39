//! Incremental state (`scan --state FILE`): what a scan learned of each item,
//! kept in SQLite so that the next scan of the same share rereads only what
//! changed.
//!
//! Per item it keeps the [`Stamp`] the walk saw (size, modification and
//! status-change times, inode), a BLAKE3 hash of the content of small files
//! and what scanning the item added to the inventory (its locations with
//! their counts, people and evidence, skipped members, counters). An item
//! whose stamp is unchanged is not read again: its stored part is replayed.
//! A small file whose times changed but whose size and content hash did not
//! (touched, restored from a backup, copied with its times) is not read
//! either.
//!
//! One state file belongs to one scan: its targets, its shard and a
//! *version* of everything that decides findings (the binary, the loaded
//! patterns, the project configuration, the baseline, categories,
//! confidence, evidence cap, fingerprint key). When that differs — or with
//! `--full-rescan` — the state is emptied and every item is read again.
//! Items not seen by a completed scan (deleted, moved, now ignored) leave
//! the state, so they leave the next inventory too. Items that ended in an
//! error are not kept: they are tried again.
//!
//! Purposes and retention are judged again on every run (they depend on
//! the purposes file and on today's date), never taken from the state.
//!
//! Memory stays bounded: items are looked up one at a time, never loaded
//! all at once, and writes are committed in batches so that an interrupted
//! run keeps most of what it did.

use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

use rusqlite::{Connection, OptionalExtension, params};

use crate::inventory::{Inventory, Location, Skipped, Stats};
use crate::source::{ItemMeta, Stamp};

/// Files up to this size get a content hash, so a change of times alone
/// does not make them read again. Hashing means reading the file a second
/// time: past this size, reading it again on a rescan costs about as much.
pub const HASH_MAX: u64 = 64 << 10;

/// Writes per transaction: an interrupted run keeps all but the last batch.
const BATCH: u64 = 512;

/// The layout version of the state file itself.
const LAYOUT: &str = "piimap-state/2";

/// An item as the state knows it: its report path, stamp and where to read
/// it for a content hash.
#[derive(Debug, Clone)]
pub struct Ticket {
    /// The item's report path (the key).
    pub key: String,
    /// What the walk saw of it.
    pub stamp: Stamp,
    /// The file, for a content hash (none: no hash).
    pub file: Option<PathBuf>,
    /// What the walk saw of the file (time, owner, exposure): a replayed
    /// location takes it, as a read one would (a touched file's time).
    pub meta: Option<ItemMeta>,
}

/// What one item added to the inventory, as read back.
#[derive(serde::Deserialize)]
struct Part {
    locations: Vec<Location>,
    skipped: Vec<Skipped>,
    stats: Stats,
}

/// The same, as written: borrowed from the item's part, not copied.
#[derive(serde::Serialize)]
struct Kept<'a> {
    locations: &'a [Location],
    skipped: &'a [Skipped],
    stats: &'a Stats,
}

/// An open state file.
pub struct State {
    db: Mutex<Connection>,
    /// This run's number: items it sees are marked with it.
    run: i64,
    /// Items replayed from the state.
    recalled: AtomicU64,
    /// Items written since the last commit.
    pending: AtomicU64,
    /// Why the state was emptied at the start, if it was.
    reset: Option<String>,
}

/// What a run did with the state, for the closing line.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Outcome {
    /// Items taken from the state, not read.
    pub recalled: u64,
    /// Items that left the state (not seen by this run).
    pub forgotten: u64,
    /// Why every item was read again, if it was.
    pub reset: Option<String>,
}

/// A state file that cannot be used.
#[derive(Debug, thiserror::Error)]
#[error("state file {path}: {message}")]
pub struct StateError {
    path: String,
    message: String,
}

impl State {
    /// Opens (or creates) the state at `path` for a scan identified by
    /// `scope` (targets and shard) and `version` (what decides findings);
    /// with `full`, or when either differs from the state's, it starts empty.
    pub fn open(path: &Path, scope: &str, version: &str, full: bool) -> Result<State, StateError> {
        let fail = |e: rusqlite::Error| StateError {
            path: path.display().to_string(),
            message: e.to_string(),
        };
        let db = Connection::open(path).map_err(fail)?;
        db.busy_timeout(std::time::Duration::from_secs(10)).map_err(fail)?;
        db.execute_batch(
            "PRAGMA journal_mode = WAL;
             PRAGMA synchronous = NORMAL;
             CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
             CREATE TABLE IF NOT EXISTS items (
                 path TEXT PRIMARY KEY,
                 size INTEGER NOT NULL,
                 modified_ns INTEGER NOT NULL,
                 changed_ns INTEGER NOT NULL,
                 inode INTEGER NOT NULL,
                 hash BLOB,
                 run INTEGER NOT NULL
             );
             -- Apart from the small rows every run updates: an update
             -- rewrites the whole row, blob and all.
             CREATE TABLE IF NOT EXISTS parts (path TEXT PRIMARY KEY, part BLOB NOT NULL);",
        )
        .map_err(|e| StateError {
            path: path.display().to_string(),
            message: format!("{e} (is it a piimap state file?)"),
        })?;
        let get = |key: &str| -> Result<Option<String>, StateError> {
            db.query_row("SELECT value FROM meta WHERE key = ?1", [key], |r| r.get(0))
                .optional()
                .map_err(fail)
        };
        if let Some(layout) = get("layout")?
            && layout != LAYOUT
        {
            return Err(StateError {
                path: path.display().to_string(),
                message: format!("written as {layout:?}, this piimap keeps {LAYOUT:?}"),
            });
        }
        let reset = if full {
            Some("--full-rescan".to_string())
        } else if get("scope")?.is_some_and(|s| s != scope) {
            Some("the state is of other targets or another shard".to_string())
        } else if get("version")?.is_some_and(|v| v != version) {
            Some("piimap, its patterns or the settings that decide findings changed".to_string())
        } else {
            None
        };
        let run: i64 = get("run")?.and_then(|r| r.parse().ok()).unwrap_or(0) + 1;
        db.execute_batch("BEGIN").map_err(fail)?;
        if reset.is_some() {
            db.execute_batch("DELETE FROM items; DELETE FROM parts").map_err(fail)?;
        }
        let run_text = run.to_string();
        for (key, value) in
            [("layout", LAYOUT), ("scope", scope), ("version", version), ("run", &run_text)]
        {
            db.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?1, ?2)", [key, value])
                .map_err(fail)?;
        }
        Ok(State {
            db: Mutex::new(db),
            run,
            recalled: AtomicU64::new(0),
            pending: AtomicU64::new(0),
            reset,
        })
    }

    /// What an unchanged item added to the inventory last time, or `None`
    /// (not in the state, changed, or unreadable): then it is to be read.
    pub fn recall(&self, t: &Ticket) -> Option<Inventory> {
        let lock = || self.db.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let row = lock()
            .prepare_cached(
                "SELECT size, modified_ns, changed_ns, inode, hash, part FROM items JOIN parts USING (path) WHERE path = ?1",
            )
            .and_then(|mut q| {
                q.query_row([&t.key], |r| {
                    let stamp = Stamp {
                        size: r.get::<_, i64>(0)? as u64,
                        modified_ns: r.get(1)?,
                        changed_ns: r.get(2)?,
                        inode: r.get::<_, i64>(3)? as u64,
                    };
                    Ok((stamp, r.get::<_, Option<Vec<u8>>>(4)?, r.get::<_, Vec<u8>>(5)?))
                })
                .optional()
            })
            .ok()??;
        let (stamp, hash, part) = row;
        // Same times, or (hashed outside the lock) the same content.
        // Only a file with a kept hash is read to compare.
        let same_content = || {
            hash.as_deref().is_some_and(|kept| {
                let now = t.file.as_deref().and_then(|f| content_hash(f, stamp.size));
                now.is_some_and(|now| now[..] == *kept)
            })
        };
        let same = stamp == t.stamp || (stamp.size == t.stamp.size && same_content());
        if !same {
            return None;
        }
        let db = lock();
        let stamped = db.prepare_cached(
            "UPDATE items SET run = ?2, size = ?3, modified_ns = ?4, changed_ns = ?5, inode = ?6 WHERE path = ?1",
        );
        let marked = stamped.and_then(|mut q| {
            q.execute(params![
                t.key,
                self.run,
                t.stamp.size as i64,
                t.stamp.modified_ns,
                t.stamp.changed_ns,
                t.stamp.inode as i64
            ])
        });
        // Not marked, it would be forgotten at the end: read it instead.
        marked.ok()?;
        self.written(&db);
        drop(db);
        // Decoded outside the lock, so that the workers decode in parallel.
        let mut part: Part = serde_json::from_slice(&part).ok()?;
        for location in &mut part.locations {
            for f in &mut location.evidence {
                f.path = location.path.clone();
            }
        }
        self.recalled.fetch_add(1, Ordering::Relaxed);
        Some(Inventory {
            locations: part.locations,
            skipped: part.skipped,
            stats: part.stats,
            ..Inventory::default()
        })
    }

    /// Keeps what reading the item added to the inventory, unless it ended
    /// in an error (tried again next time) or the file changed while it
    /// was read (its stamp would not describe what was read).
    pub fn remember(&self, t: &Ticket, part: &Inventory) {
        if !part.errors.is_empty() {
            return;
        }
        let hash = t.file.as_deref().and_then(|f| content_hash(f, t.stamp.size));
        if let Some(f) = &t.file {
            let now = std::fs::metadata(f).map(|m| Stamp::of(&m));
            if now.ok() != Some(t.stamp) {
                return;
            }
        }
        let kept = Kept { locations: &part.locations, skipped: &part.skipped, stats: &part.stats };
        let Ok(bytes) = serde_json::to_vec(&kept) else { return };
        let db = self.db.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let item = db
            .prepare_cached(
                "INSERT OR REPLACE INTO items (path, size, modified_ns, changed_ns, inode, hash, run)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            )
            .and_then(|mut q| {
                q.execute(params![
                    t.key,
                    t.stamp.size as i64,
                    t.stamp.modified_ns,
                    t.stamp.changed_ns,
                    t.stamp.inode as i64,
                    hash.as_ref().map(|h| &h[..]),
                    self.run
                ])
            });
        let stored = item.and_then(|_| {
            db.prepare_cached("INSERT OR REPLACE INTO parts (path, part) VALUES (?1, ?2)")
                .and_then(|mut q| q.execute(params![t.key, bytes]))
        });
        if stored.is_ok() {
            self.written(&db);
        }
    }

    /// Counts one write; commits a batch.
    fn written(&self, db: &Connection) {
        if self.pending.fetch_add(1, Ordering::Relaxed) + 1 >= BATCH {
            self.pending.store(0, Ordering::Relaxed);
            let _ = db.execute_batch("COMMIT; BEGIN");
        }
    }

    /// Ends the run: after a `complete` scan, items it did not see leave
    /// the state; what it wrote is committed.
    pub fn finish(self, complete: bool) -> Result<Outcome, StateError> {
        let db = self.db.into_inner().unwrap_or_else(std::sync::PoisonError::into_inner);
        let fail = |e: rusqlite::Error| StateError {
            path: db.path().unwrap_or_default().to_string(),
            message: e.to_string(),
        };
        let forgotten = if complete {
            db.execute(
                "DELETE FROM parts WHERE path IN (SELECT path FROM items WHERE run <> ?1)",
                [self.run],
            )
            .map_err(fail)?;
            db.execute("DELETE FROM items WHERE run <> ?1", [self.run]).map_err(fail)? as u64
        } else {
            0
        };
        db.execute_batch("COMMIT").map_err(fail)?;
        Ok(Outcome { recalled: self.recalled.into_inner(), forgotten, reset: self.reset })
    }
}

/// The BLAKE3 hash of a file of `size` bytes, if it is small enough to hash
/// and can be read.
fn content_hash(file: &Path, size: u64) -> Option<[u8; 32]> {
    if size > HASH_MAX {
        return None;
    }
    let bytes = std::fs::read(file).ok()?;
    (bytes.len() as u64 == size).then(|| *blake3::hash(&bytes).as_bytes())
}

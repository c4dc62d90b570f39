//! Databases: every table of a target is an item, read in parallel on a few
//! read-only sessions. Rows stream in batches; each batch is detected as a
//! table of text (a row a record, each value under its column name), its
//! findings go out, and only per-column counters stay for classifying the
//! columns at the end — so a `--full` read of any table costs a batch of
//! memory, not the table.

use std::path::Path;
use std::sync::{Arc, Mutex};

use super::emit::Out;
use super::item::Worker;
use super::text::FileScan;
use super::{Pipeline, listed, lock};
use crate::inventory::Inventory;
use crate::read::{self, Chunk, delimited::Header};
use crate::source::database::{Sample, Session, Table, Target, Timeouts, connect};
use crate::source::{ItemMeta, Stamp};
use crate::state::Ticket;

/// How databases are read.
#[derive(Debug, Clone)]
pub struct DbOptions {
    /// Rows read per table (`None`: every row).
    pub sample_rows: Option<u64>,
    /// Only tables (`schema.table`) matching these globs, if any.
    pub include: Option<globset::GlobSet>,
    /// Never tables matching these.
    pub exclude: Option<globset::GlobSet>,
    /// Views too.
    pub views: bool,
    /// Connections (and worker threads) per database.
    pub connections: usize,
    /// How long to wait for a server.
    pub timeouts: Timeouts,
    /// `--shard`: only the tables of this shard, of database targets (an
    /// SQLite file met on a walk belongs to one shard whole).
    pub shard: Option<crate::source::shard::Shard>,
}

impl DbOptions {
    /// Whether the table `schema.table` is to be read.
    fn wants(&self, qualified: &str) -> bool {
        self.include.as_ref().is_none_or(|g| g.is_match(qualified))
            && self.exclude.as_ref().is_none_or(|g| !g.is_match(qualified))
    }
}

impl Default for DbOptions {
    /// A sample of 10,000 rows, tables only, two connections.
    fn default() -> DbOptions {
        DbOptions {
            sample_rows: Some(10_000),
            include: None,
            exclude: None,
            views: false,
            connections: 2,
            timeouts: Timeouts::default(),
            shard: None,
        }
    }
}

/// Scans databases: every table (filtered by `opts`) of every target, in
/// parallel on `opts.connections` read-only sessions per database. A table
/// that cannot be read becomes an error entry and the others are scanned.
pub fn scan_databases(pipeline: &Pipeline<'_>, targets: &[Target], opts: &DbOptions) -> Inventory {
    let mut inv = Inventory::default();
    for target in targets {
        // A database that cannot be read is one error, in one shard's report.
        let error = |e: String| match opts.shard {
            Some(shard) if !shard.holds(&target.display) => Inventory::default(),
            _ => pipeline.error_item(target.display.clone(), e),
        };
        let mut first = match connect(target, opts.timeouts) {
            Ok(s) => s,
            Err(e) => {
                inv = inv.merge(error(e.to_string()));
                continue;
            }
        };
        let tables = match first.tables(opts.views) {
            Ok(t) => t,
            Err(e) => {
                inv = inv.merge(error(e.to_string()));
                continue;
            }
        };
        let sessions = Mutex::new(vec![first]);
        let path = |table: &Table| format!("{}#{}", target.display, table.qualified());
        let tables: Vec<Table> = tables
            .into_iter()
            .filter(|t| opts.wants(&t.qualified()))
            .filter(|t| opts.shard.is_none_or(|s| s.holds(&path(t))))
            .collect();
        let part = pipeline.run(
            opts.connections,
            &pipeline.evidence,
            listed(tables),
            path,
            |table| {
                let stamp = Stamp::of_marker(table.changes.as_deref()?);
                Some(Ticket { key: path(table), stamp, file: None, meta: None })
            },
            |w, out, table| {
                let session =
                    lock(&sessions).pop().map_or_else(|| connect(target, opts.timeouts), Ok);
                let mut session = match session {
                    Ok(s) => s,
                    Err(e) => return out.error(path(&table), e.to_string()),
                };
                w.scan_table(session.as_mut(), &path(&table), &table, opts.sample_rows, out);
                lock(&sessions).push(session);
            },
        );
        inv = inv.merge(part);
    }
    inv.finish()
}

impl Worker<'_> {
    /// Scans the tables of an SQLite file found on a share, as `opts` say
    /// (one session: the file is one item of the walk).
    pub(super) fn scan_sqlite(&mut self, target: &Target, opts: &DbOptions, out: &mut dyn Out) {
        let mut session = match connect(target, opts.timeouts) {
            Ok(s) => s,
            Err(e) => return out.error(target.display.clone(), e.to_string()),
        };
        let tables = match session.tables(opts.views) {
            Ok(t) => t,
            Err(e) => return out.error(target.display.clone(), e.to_string()),
        };
        for table in tables.into_iter().filter(|t| opts.wants(&t.qualified())) {
            let path = format!("{}#{}", target.display, table.qualified());
            self.scan_table(session.as_mut(), &path, &table, opts.sample_rows, out);
        }
    }

    /// Scans the rows of one table as they stream in: each row a record,
    /// each value under its column name; then classifies the columns. A
    /// read that fails midway (a lost connection, a timeout) leaves an error
    /// entry beside what was read.
    fn scan_table(
        &mut self,
        session: &mut dyn Session,
        path: &str,
        table: &Table,
        limit: Option<u64>,
        out: &mut dyn Out,
    ) {
        let mut filled = vec![0usize; table.columns.len()];
        let header = Header {
            names: table.columns.iter().map(|c| c.name.clone()).collect(),
            delimiter: read::delimited::Delimiter::Byte(b'\t'),
        };
        let mut file = FileScan::new(Path::new(path), path);
        file.columns = Some(self.detectors.columns(header));
        let mut text = String::new();
        let mut rows = 0u64;
        let read = session.rows(table, limit, &mut |batch| {
            rows += batch.rows.len() as u64;
            for (_, values) in &batch.rows {
                for (n, v) in filled.iter_mut().zip(values) {
                    *n += usize::from(v.as_deref().is_some_and(|s| !s.trim().is_empty()));
                }
            }
            let key = table.key.map(|k| &*table.columns[k].name);
            self.scan_rows(&mut file, &batch, key, &mut text, out);
            Ok(())
        });
        if let Err(e) = read {
            out.error(path.to_string(), e.to_string());
        }
        // Before the column findings, while the table is still the
        // location being written.
        let meta = ItemMeta {
            rows_read: Some(rows),
            rows_estimated: table.estimated_rows,
            ..ItemMeta::default()
        };
        out.meta(path, meta);
        let columns: Vec<Arc<str>> = table.columns.iter().map(|c| Arc::from(&*c.name)).collect();
        out.findings(file.classify(&columns, &filled, None, None));
        out.stats().tables += 1;
    }

    /// Scans one batch of rows, as a table of text in `text`; `key` is the
    /// primary key's column.
    fn scan_rows(
        &mut self,
        file: &mut FileScan<'_>,
        batch: &Sample,
        key: Option<&str>,
        text: &mut String,
        out: &mut dyn Out,
    ) {
        text.clear();
        for (_, values) in &batch.rows {
            for (i, v) in values.iter().enumerate() {
                if i > 0 {
                    text.push('\t');
                }
                if let Some(v) = v {
                    super::text::push_cell(text, v);
                }
            }
            text.push('\n');
        }
        out.stats().bytes += text.len() as u64;
        file.chunk_with(self, Chunk::text(text), out, &mut |findings| {
            // A key that is itself personal data (an e-mail as the primary
            // key) would print it raw as the row's name: its number stands in.
            let mut personal: Vec<u64> = findings
                .iter()
                .filter(|f| key.is_some() && f.field.as_deref() == key)
                .filter_map(|f| f.line)
                .collect();
            personal.dedup();
            for f in findings {
                let row = f.line.and_then(|l| batch.rows.get(l as usize - 1));
                f.row = match (row, f.line) {
                    (Some(_), Some(l)) if personal.binary_search(&l).is_ok() => {
                        Some(format!("#{}", batch.first as u64 + l))
                    }
                    (row, _) => row.map(|(key, _)| key.clone()),
                };
                // The record is the row's number in the table.
                f.record = f.line.map(|l| batch.first as u64 + l);
                f.line = None;
                f.column = None;
            }
        });
    }
}

//! Databases as sources: SQLite files, PostgreSQL and MySQL/MariaDB servers.
//! Owns connecting (read-only, within [`Timeouts`]), listing tables and
//! their columns, and reading a deterministic sample of rows as text. It knows
//! nothing of detection: `scan` turns each table's sample into records.
//!
//! Sampling, per engine (`--sample-rows N`, default 10,000; `--full` reads
//! every row):
//! - PostgreSQL: tables the planner estimates larger than N rows are read
//!   with `TABLESAMPLE SYSTEM (p) REPEATABLE (42)` (whole pages, no sort,
//!   the same pages every run), the rest with `LIMIT N`;
//! - MySQL/MariaDB: `LIMIT N` (InnoDB returns rows in primary-key order
//!   without a sort);
//! - SQLite: `LIMIT N` (rowid order).
//!
//! Values are read as text (numbers formatted so digit detectors see them);
//! binary columns (bytea, BLOB, BINARY …) are not read; values longer than
//! [`MAX_VALUE_CHARS`] are cut. Passwords come from the URL or from
//! `PGPASSWORD` / `MYSQL_PWD`, and never appear in a display name, an error
//! or a log.

use std::fmt;
use std::path::PathBuf;
use std::time::Duration;

/// Values are cut to this many characters.
pub const MAX_VALUE_CHARS: usize = 1000;

/// How long piimap waits for a database (`--db-connect-timeout`,
/// `--db-statement-timeout`). A server that accepts a connection and never
/// answers, or stops answering, becomes an error entry of its target; the
/// rest of the scan goes on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Timeouts {
    /// Connecting and the server's first answers (log-in, session set-up).
    pub connect: Duration,
    /// One statement's work: PostgreSQL's `statement_timeout`, MariaDB's
    /// `max_statement_time`, MySQL's `max_execution_time`; for SQLite, the
    /// time SQLite itself spends in the statement.
    pub statement: Duration,
}

impl Default for Timeouts {
    /// 10 s to connect, 30 s a statement.
    fn default() -> Timeouts {
        Timeouts { connect: Duration::from_secs(10), statement: Duration::from_secs(30) }
    }
}

impl Timeouts {
    /// How long a read may wait for the server's next bytes (MySQL, MariaDB):
    /// past the statement timeout, the server has had its chance to cancel.
    fn read(&self) -> Duration {
        self.statement + Duration::from_secs(10)
    }
}

/// The database engines.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Engine {
    /// An SQLite file.
    Sqlite,
    /// A PostgreSQL server.
    Postgres,
    /// A MySQL or MariaDB server.
    Mysql,
}

/// A database to scan.
#[derive(Clone)]
pub struct Target {
    /// Which engine.
    pub engine: Engine,
    /// How to connect (may hold a password: never print it).
    url: String,
    /// The target as reports name it: the URL without its password.
    pub display: String,
}

impl fmt::Debug for Target {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Target")
            .field("engine", &self.engine)
            .field("display", &self.display)
            .finish()
    }
}

/// Why a database could not be read.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct DbError(String);

impl DbError {
    /// An error whose text has the password removed.
    fn new(message: impl fmt::Display, secret: Option<&str>) -> DbError {
        let mut text = message.to_string();
        if let Some(secret) = secret.filter(|s| !s.is_empty()) {
            text = text.replace(secret, "***");
        }
        DbError(text)
    }
}

impl Target {
    /// Recognises `sqlite:PATH`, `postgres://…`, `postgresql://…`,
    /// `mysql://…` and `mariadb://…`.
    pub fn parse(s: &str) -> Option<Target> {
        if let Some(path) = s.strip_prefix("sqlite:") {
            return Some(Target {
                engine: Engine::Sqlite,
                url: path.to_string(),
                display: s.to_string(),
            });
        }
        let (engine, rest) = if let Some(r) =
            s.strip_prefix("postgres://").or_else(|| s.strip_prefix("postgresql://"))
        {
            (Engine::Postgres, r)
        } else if let Some(r) = s.strip_prefix("mysql://").or_else(|| s.strip_prefix("mariadb://"))
        {
            (Engine::Mysql, r)
        } else {
            return None;
        };
        let scheme = if engine == Engine::Postgres { "postgres" } else { "mysql" };
        let (userinfo, host) = split_userinfo(rest);
        let user = userinfo.map(|u| u.split_once(':').map_or(u, |(u, _)| u));
        let (address, query) = host.split_once('?').map_or((host, None), |(a, q)| (a, Some(q)));
        // Query parameters other than the password stay (`sslmode=require`).
        let query: Vec<&str> = query
            .into_iter()
            .flat_map(|q| q.split('&'))
            .filter(|pair| !is_password_pair(pair))
            .collect();
        let display = format!(
            "{scheme}://{}{address}{}{}",
            user.map(|u| format!("{u}@")).unwrap_or_default(),
            if query.is_empty() { "" } else { "?" },
            query.join("&")
        );
        Some(Target { engine, url: format!("{scheme}://{rest}"), display })
    }

    /// An SQLite file found on a share.
    pub fn sqlite_file(path: PathBuf, display: String) -> Target {
        Target { engine: Engine::Sqlite, url: path.to_string_lossy().into_owned(), display }
    }

    /// The password of the URL, or from the environment.
    fn password(&self) -> Option<String> {
        let rest = self.url.split_once("://")?.1;
        let (userinfo, host) = split_userinfo(rest);
        let in_query = host.split_once('?').and_then(|(_, q)| {
            q.split('&').find(|p| is_password_pair(p)).and_then(|p| p.split_once('='))
        });
        match (userinfo.and_then(|u| u.split_once(':')), in_query) {
            (Some((_, p)), _) | (None, Some((_, p))) => Some(p.to_string()),
            (None, None) => std::env::var(match self.engine {
                Engine::Postgres => "PGPASSWORD",
                _ => "MYSQL_PWD",
            })
            .ok(),
        }
    }
}

/// A URL's `user[:password]` and the rest (host, path, query): the user
/// part ends at the last `@` before the query, since a password may hold
/// an `@` of its own.
fn split_userinfo(rest: &str) -> (Option<&str>, &str) {
    let before_query = rest.split('?').next().unwrap_or(rest);
    match before_query.rfind('@') {
        Some(at) => (Some(&rest[..at]), &rest[at + 1..]),
        None => (None, rest),
    }
}

/// Whether a query pair sets the password (`password=…`, any case).
fn is_password_pair(pair: &str) -> bool {
    pair.split('=').next().is_some_and(|k| k.eq_ignore_ascii_case("password"))
}

/// What a column holds, for reading.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Column {
    /// Its name.
    pub name: String,
    /// Binary data: not read.
    pub binary: bool,
}

/// A table (or view) and its columns.
#[derive(Debug, Clone)]
pub struct Table {
    /// Schema (PostgreSQL), database (MySQL) or `main` (SQLite).
    pub schema: String,
    /// Table name.
    pub name: String,
    /// Its columns, in order.
    pub columns: Vec<Column>,
    /// The index of its (first) primary-key column, if it has one.
    pub key: Option<usize>,
    /// The planner's row estimate, where the engine has one.
    pub estimated_rows: Option<u64>,
    /// What changes when the table's rows do, where the engine keeps it
    /// (PostgreSQL's insert/update/delete counters, MySQL's update time,
    /// an SQLite file's stamp): the incremental state reads a table again
    /// only when it differs. `None`: always read.
    pub changes: Option<String>,
}

impl Table {
    /// `schema.table`.
    pub fn qualified(&self) -> String {
        format!("{}.{}", self.schema, self.name)
    }
}

/// Rows are handed over in batches of this many, so that a `--full` read of
/// a large table never holds all its rows at once.
pub const BATCH_ROWS: usize = 20_000;

/// A batch of rows read from a table, as text.
#[derive(Debug, Default)]
pub struct Sample {
    /// Rows of the table read before this batch.
    pub first: usize,
    /// Per row: its key (primary key value, else its number) and values
    /// (`None`: NULL or not read).
    pub rows: Vec<(String, Vec<Option<String>>)>,
}

impl Sample {
    /// Adds a row of `table`, keyed by its primary key, else `#` and its
    /// number in the table.
    fn push(&mut self, table: &Table, values: Vec<Option<String>>) {
        let n = self.first + self.rows.len() + 1;
        let key = table.key.and_then(|k| values[k].clone()).unwrap_or_else(|| format!("#{n}"));
        self.rows.push((key, values));
    }
}

/// Collects rows into batches and hands each full batch to `each`.
struct Batches<'a> {
    batch: Sample,
    each: &'a mut dyn FnMut(Sample) -> Result<(), DbError>,
}

impl<'a> Batches<'a> {
    fn new(each: &'a mut dyn FnMut(Sample) -> Result<(), DbError>) -> Batches<'a> {
        Batches { batch: Sample::default(), each }
    }

    fn push(&mut self, table: &Table, values: Vec<Option<String>>) -> Result<(), DbError> {
        self.batch.push(table, values);
        if self.batch.rows.len() == BATCH_ROWS {
            self.flush()?;
        }
        Ok(())
    }

    fn flush(&mut self) -> Result<(), DbError> {
        if self.batch.rows.is_empty() {
            return Ok(());
        }
        let first = self.batch.first + self.batch.rows.len();
        let full = std::mem::replace(&mut self.batch, Sample { first, rows: Vec::new() });
        (self.each)(full)
    }
}

/// A read-only session with one database.
pub trait Session: Send {
    /// Every table (and, with `views`, view), system schemas left out.
    fn tables(&mut self, views: bool) -> Result<Vec<Table>, DbError>;
    /// Reads up to `limit` rows of `table` (every row without a limit),
    /// streaming them to `each` in batches of [`BATCH_ROWS`].
    fn rows(
        &mut self,
        table: &Table,
        limit: Option<u64>,
        each: &mut dyn FnMut(Sample) -> Result<(), DbError>,
    ) -> Result<(), DbError>;
    /// Whether the session refuses writes (a check for tests and audits).
    fn read_only(&mut self) -> Result<bool, DbError>;
}

/// Opens a read-only session within `timeouts`.
pub fn connect(target: &Target, timeouts: Timeouts) -> Result<Box<dyn Session>, DbError> {
    let secret = target.password();
    match target.engine {
        Engine::Sqlite => {
            sqlite::open(&target.url, timeouts).map(|s| Box::new(s) as Box<dyn Session>)
        }
        Engine::Postgres => pg::open(&target.url, secret.as_deref(), timeouts)
            .map(|s| Box::new(s) as Box<dyn Session>),
        Engine::Mysql => my::open(&target.url, secret.as_deref(), timeouts)
            .map(|s| Box::new(s) as Box<dyn Session>),
    }
}

/// A PostgreSQL session that may write (`piimap export`), within `timeouts`:
/// the target must be a `postgres://` URL.
pub fn postgres_writer(target: &Target, timeouts: Timeouts) -> Result<postgres::Client, DbError> {
    if target.engine != Engine::Postgres {
        return Err(DbError(format!("{}: not a postgres:// URL", target.display)));
    }
    let setup = format!("SET statement_timeout = '{}ms'", timeouts.statement.as_millis());
    pg::client(&target.url, target.password().as_deref(), timeouts, setup)
}

/// A PostgreSQL error in the server's words (`permission denied for …`).
pub fn postgres_error(e: &postgres::Error) -> DbError {
    DbError(pg::message(e))
}

/// Runs `log_in` on a thread of its own and waits at most `timeout` for it:
/// neither client bounds the whole log-in (the PostgreSQL client only the
/// TCP connection), and a server that accepts a connection and never
/// answers would hold the scan for ever. A log-in that does not finish is
/// abandoned (its thread ends with the process).
fn within<T: Send + 'static>(
    timeout: Duration,
    log_in: impl FnOnce() -> Result<T, DbError> + Send + 'static,
) -> Result<T, DbError> {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(log_in());
    });
    rx.recv_timeout(timeout).unwrap_or_else(|_| {
        Err(DbError(format!(
            "the server did not answer within {} s (--db-connect-timeout)",
            timeout.as_secs()
        )))
    })
}

/// Cuts a value to [`MAX_VALUE_CHARS`].
fn cut(mut s: String) -> String {
    if let Some((i, _)) = s.char_indices().nth(MAX_VALUE_CHARS) {
        s.truncate(i);
    }
    s
}

/// Quotes an SQL identifier with `q` (`"` or `` ` ``), doubling it inside.
fn ident(name: &str, q: char) -> String {
    format!("{q}{}{q}", name.replace(q, &format!("{q}{q}")))
}

mod sqlite {
    use super::*;
    use rusqlite::{Connection, OpenFlags, types::ValueRef};

    use std::sync::Arc;
    use std::sync::atomic::{AtomicU64, Ordering};
    use std::time::Instant;

    /// A session, and the statement clock its progress handler reads:
    /// SQLite has no statement timeout of its own.
    pub(super) struct Sqlite {
        conn: Connection,
        clock: Arc<Clock>,
        statement: Duration,
    }

    /// When the running statement must stop, in nanoseconds from `base`
    /// (`u64::MAX`: no statement running).
    struct Clock {
        base: Instant,
        deadline: AtomicU64,
    }

    impl Clock {
        fn now(&self) -> u64 {
            u64::try_from(self.base.elapsed().as_nanos()).unwrap_or(u64::MAX)
        }
    }

    pub(super) fn open(path: &str, timeouts: Timeouts) -> Result<Sqlite, DbError> {
        let err = |e: rusqlite::Error| DbError::new(e, None);
        let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let conn = Connection::open_with_flags(path, flags).map_err(err)?;
        conn.pragma_update(None, "query_only", true).map_err(err)?;
        conn.busy_timeout(timeouts.connect).map_err(err)?;
        let clock = Arc::new(Clock { base: Instant::now(), deadline: AtomicU64::new(u64::MAX) });
        let watch = Arc::clone(&clock);
        // Every thousand virtual-machine steps: true interrupts the statement.
        conn.progress_handler(
            1000,
            Some(move || watch.now() > watch.deadline.load(Ordering::Relaxed)),
        );
        Ok(Sqlite { conn, clock, statement: timeouts.statement })
    }

    impl Sqlite {
        /// Runs `step` (one step of a statement) on the statement's clock:
        /// `left` is what remains of its time, which only SQLite's own work
        /// uses up (not the scan of the rows it returned).
        fn timed<T>(
            &self,
            left: &mut Duration,
            step: impl FnOnce() -> rusqlite::Result<T>,
        ) -> Result<T, DbError> {
            let start = self.clock.now();
            let budget = u64::try_from(left.as_nanos()).unwrap_or(u64::MAX);
            self.clock.deadline.store(start.saturating_add(budget), Ordering::Relaxed);
            let result = step();
            self.clock.deadline.store(u64::MAX, Ordering::Relaxed);
            *left = left.saturating_sub(Duration::from_nanos(self.clock.now() - start));
            result.map_err(|e| match e {
                rusqlite::Error::SqliteFailure(f, _)
                    if f.code == rusqlite::ErrorCode::OperationInterrupted =>
                {
                    DbError::new(
                        format!(
                            "the statement ran longer than the statement timeout ({} s) and was stopped",
                            self.statement.as_secs()
                        ),
                        None,
                    )
                }
                e => DbError::new(e, None),
            })
        }
    }

    impl Session for Sqlite {
        fn tables(&mut self, views: bool) -> Result<Vec<Table>, DbError> {
            let err = |e: rusqlite::Error| DbError::new(e, None);
            let kinds = if views { "('table','view')" } else { "('table')" };
            let mut stmt = self
                .conn
                .prepare(&format!(
                    "SELECT name FROM sqlite_master WHERE type IN {kinds} AND name NOT LIKE 'sqlite_%' ORDER BY name"
                ))
                .map_err(err)?;
            let names: Vec<String> = stmt
                .query_map([], |r| r.get(0))
                .map_err(err)?
                .collect::<Result<_, _>>()
                .map_err(err)?;
            // The file and its write-ahead log, as the walk would see them:
            // any write to the database changes one of them.
            let stamp = |p: &str| std::fs::metadata(p).ok().map(|m| crate::source::Stamp::of(&m));
            let changes = self
                .conn
                .path()
                .filter(|p| !p.is_empty())
                .map(|p| format!("{:?}/{:?}", stamp(p), stamp(&format!("{p}-wal"))));
            let mut tables = Vec::new();
            for name in names {
                let mut info = self
                    .conn
                    .prepare(&format!("PRAGMA table_info({})", ident(&name, '"')))
                    .map_err(err)?;
                let cols: Vec<(String, String, i64)> = info
                    .query_map([], |r| Ok((r.get(1)?, r.get::<_, String>(2)?, r.get(5)?)))
                    .map_err(err)?
                    .collect::<Result<_, _>>()
                    .map_err(err)?;
                let key = cols.iter().position(|c| c.2 == 1);
                let columns = cols
                    .into_iter()
                    .map(|(name, ty, _)| Column {
                        binary: ty.to_ascii_uppercase().contains("BLOB"),
                        name,
                    })
                    .collect();
                tables.push(Table {
                    schema: "main".into(),
                    name,
                    columns,
                    key,
                    estimated_rows: None,
                    changes: changes.clone(),
                });
            }
            Ok(tables)
        }

        fn rows(
            &mut self,
            table: &Table,
            limit: Option<u64>,
            each: &mut dyn FnMut(Sample) -> Result<(), DbError>,
        ) -> Result<(), DbError> {
            let err = |e: rusqlite::Error| DbError::new(e, None);
            let limit = limit.map_or(String::new(), |n| format!(" LIMIT {n}"));
            let sql = format!("SELECT * FROM {}{limit}", ident(&table.name, '"'));
            let mut stmt = self.conn.prepare(&sql).map_err(err)?;
            let mut left = self.statement;
            let mut rows = stmt.query([]).map_err(err)?;
            let mut batches = Batches::new(each);
            while let Some(row) = self.timed(&mut left, || rows.next())? {
                let mut values = Vec::with_capacity(table.columns.len());
                for (i, c) in table.columns.iter().enumerate() {
                    let v = match row.get_ref(i).map_err(err)? {
                        _ if c.binary => None,
                        ValueRef::Null | ValueRef::Blob(_) => None,
                        ValueRef::Integer(x) => Some(x.to_string()),
                        ValueRef::Real(x) => Some(x.to_string()),
                        ValueRef::Text(t) => Some(cut(String::from_utf8_lossy(t).into_owned())),
                    };
                    values.push(v);
                }
                batches.push(table, values)?;
            }
            batches.flush()
        }

        fn read_only(&mut self) -> Result<bool, DbError> {
            self.conn
                .query_row("PRAGMA query_only", [], |r| r.get::<_, i64>(0))
                .map(|v| v == 1)
                .map_err(|e| DbError::new(e, None))
        }
    }
}

mod pg {
    use super::*;
    use postgres::fallible_iterator::FallibleIterator;
    use postgres::{Client, NoTls};

    pub(super) struct Pg {
        client: Client,
        secret: Option<String>,
    }

    pub(super) fn open(url: &str, secret: Option<&str>, timeouts: Timeouts) -> Result<Pg, DbError> {
        let setup = format!(
            "SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY; SET statement_timeout = '{}ms'; SET default_transaction_read_only = on",
            timeouts.statement.as_millis()
        );
        let client = client(url, secret, timeouts, setup)?;
        Ok(Pg { client, secret: secret.map(str::to_string) })
    }

    /// A session of `url` within `timeouts`, named piimap, set up by `setup`.
    pub(super) fn client(
        url: &str,
        secret: Option<&str>,
        timeouts: Timeouts,
        setup: String,
    ) -> Result<Client, DbError> {
        let mut config: postgres::Config =
            url.parse().map_err(|e| DbError::new(message(&e), secret))?;
        if config.get_password().is_none()
            && let Some(p) = secret
        {
            config.password(p);
        }
        // A DBA sees piimap's sessions by name; a host that vanishes
        // mid-read is noticed by the kernel (unanswered keepalives).
        config
            .application_name("piimap")
            .connect_timeout(timeouts.connect)
            .keepalives(true)
            .keepalives_idle(Duration::from_secs(30))
            .tcp_user_timeout(timeouts.read());
        let hidden = secret.map(str::to_string);
        within(timeouts.connect, move || {
            let log_in = || -> Result<Client, postgres::Error> {
                let mut client = config.connect(NoTls)?;
                client.batch_execute(&setup)?;
                Ok(client)
            };
            log_in().map_err(|e| DbError::new(message(&e), hidden.as_deref()))
        })
    }

    impl Pg {
        fn err(&self, e: postgres::Error) -> DbError {
            DbError::new(message(&e), self.secret.as_deref())
        }
    }

    /// The server's own message (`permission denied for table …`), which
    /// the error's display ("db error") leaves out.
    pub(super) fn message(e: &postgres::Error) -> String {
        match e.as_db_error() {
            Some(db) => db.message().to_string(),
            // The server's last words may not arrive before the close.
            None if e.is_closed() => "the server closed the connection (an administrator, a \
                restart or the network ended the session)"
                .to_string(),
            None => {
                let mut text = e.to_string();
                let mut source = std::error::Error::source(e);
                while let Some(s) = source {
                    text.push_str(&format!(": {s}"));
                    source = s.source();
                }
                text
            }
        }
    }

    impl Session for Pg {
        fn tables(&mut self, views: bool) -> Result<Vec<Table>, DbError> {
            let kinds = if views { "'r','p','v','m'" } else { "'r','p'" };
            let sql = format!(
                "SELECT n.nspname, c.relname, c.reltuples::bigint, c.oid::bigint, \
                 s.n_tup_ins || '/' || s.n_tup_upd || '/' || s.n_tup_del || '/' || c.relnatts \
                 FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace LEFT JOIN pg_stat_user_tables s ON s.relid = c.oid \
                 WHERE c.relkind IN ({kinds}) AND n.nspname NOT IN ('pg_catalog','information_schema') AND n.nspname NOT LIKE 'pg_toast%' \
                 AND NOT c.relispartition ORDER BY 1, 2"
            );
            let rows = self.client.query(&sql, &[]).map_err(|e| self.err(e))?;
            let mut tables = Vec::new();
            for r in rows {
                let (schema, name, estimate, oid): (String, String, i64, i64) =
                    (r.get(0), r.get(1), r.get(2), r.get(3));
                // The cumulative insert/update/delete counters (views have none).
                let counters: Option<String> = r.get(4);
                let cols = self
                    .client
                    .query(
                        "SELECT a.attname, t.typname, coalesce((SELECT true FROM pg_index i WHERE i.indrelid = a.attrelid AND i.indisprimary AND a.attnum = i.indkey[0]), false) \
                         FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid WHERE a.attrelid = $1::bigint::oid AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum",
                        &[&oid],
                    )
                    .map_err(|e| self.err(e))?;
                let key = cols.iter().position(|c| c.get::<_, bool>(2));
                let columns = cols
                    .iter()
                    .map(|c| Column { name: c.get(0), binary: c.get::<_, String>(1) == "bytea" })
                    .collect();
                tables.push(Table {
                    schema,
                    name,
                    columns,
                    key,
                    estimated_rows: u64::try_from(estimate).ok(),
                    changes: counters.map(|c| format!("{estimate}/{c}")),
                });
            }
            Ok(tables)
        }

        fn rows(
            &mut self,
            table: &Table,
            limit: Option<u64>,
            each: &mut dyn FnMut(Sample) -> Result<(), DbError>,
        ) -> Result<(), DbError> {
            let select: Vec<String> = table
                .columns
                .iter()
                .map(|c| {
                    if c.binary {
                        "NULL::text".to_string()
                    } else {
                        format!("{}::text", ident(&c.name, '"'))
                    }
                })
                .collect();
            let from = format!("{}.{}", ident(&table.schema, '"'), ident(&table.name, '"'));
            let sql = match (limit, table.estimated_rows) {
                (None, _) => format!("SELECT {} FROM {from}", select.join(", ")),
                // Big tables: whole pages at random (repeatably), no sort.
                (Some(n), Some(est)) if est > n.saturating_mul(2) => {
                    let percent = (200.0 * n as f64 / est as f64).min(100.0);
                    format!(
                        "SELECT {} FROM {from} TABLESAMPLE SYSTEM ({percent:.4}) REPEATABLE (42) LIMIT {n}",
                        select.join(", ")
                    )
                }
                (Some(n), _) => format!("SELECT {} FROM {from} LIMIT {n}", select.join(", ")),
            };
            let mut tx = self
                .client
                .build_transaction()
                .read_only(true)
                .start()
                .map_err(|e| DbError::new(message(&e), None))?;
            let err = |e: postgres::Error| DbError::new(message(&e), None);
            let mut batches = Batches::new(each);
            {
                let no_params: [&(dyn postgres::types::ToSql + Sync); 0] = [];
                let mut rows = tx.query_raw(sql.as_str(), no_params).map_err(err)?;
                while let Some(r) = rows.next().map_err(err)? {
                    let values: Vec<Option<String>> = (0..table.columns.len())
                        .map(|i| r.get::<_, Option<String>>(i).map(cut))
                        .collect();
                    batches.push(table, values)?;
                }
            }
            tx.rollback().map_err(err)?;
            batches.flush()
        }

        fn read_only(&mut self) -> Result<bool, DbError> {
            let row = self
                .client
                .query_one("SHOW transaction_read_only", &[])
                .map_err(|e| self.err(e))?;
            Ok(row.get::<_, String>(0) == "on")
        }
    }
}

mod my {
    use super::*;
    use mysql::prelude::Queryable;
    use mysql::{Conn, Opts, OptsBuilder, Value};

    pub(super) struct My {
        conn: Conn,
        secret: Option<String>,
        timeouts: Timeouts,
    }

    pub(super) fn open(url: &str, secret: Option<&str>, timeouts: Timeouts) -> Result<My, DbError> {
        let opts = Opts::from_url(url).map_err(|e| DbError::new(e, secret))?;
        let mut builder = OptsBuilder::from_opts(opts)
            .tcp_connect_timeout(Some(timeouts.connect))
            .read_timeout(Some(timeouts.read()))
            .write_timeout(Some(timeouts.read()));
        if let Some(p) = secret {
            builder = builder.pass(Some(p));
        }
        let hidden = secret.map(str::to_string);
        let statement = timeouts.statement;
        let conn = within(timeouts.connect, move || {
            let log_in = || -> Result<Conn, mysql::Error> {
                let mut conn = Conn::new(builder)?;
                conn.query_drop("SET SESSION TRANSACTION READ ONLY")?;
                // MariaDB names the timeout max_statement_time (seconds), MySQL
                // max_execution_time (milliseconds): set whichever the server has.
                let _ = conn.query_drop(format!(
                    "SET SESSION max_statement_time = {}",
                    statement.as_secs_f64()
                ));
                let _ = conn.query_drop(format!(
                    "SET SESSION max_execution_time = {}",
                    statement.as_millis()
                ));
                Ok(conn)
            };
            log_in().map_err(|e| DbError::new(message(&e, timeouts), hidden.as_deref()))
        })?;
        Ok(My { conn, secret: secret.map(str::to_string), timeouts })
    }

    /// What went wrong, in words: the server's own error as it gives it
    /// (`ERROR 1045 (28000): Access denied …`), a read that timed out as
    /// such, not the client's debug form (`CodecError { … }`).
    fn message(e: &mysql::Error, timeouts: Timeouts) -> String {
        let timed_out = |e: &std::io::Error| {
            matches!(e.kind(), std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut)
        };
        match e {
            mysql::Error::MySqlError(e) => e.to_string(),
            mysql::Error::IoError(io) if timed_out(io) => silent(timeouts),
            // The packet codec's error wraps the read's.
            mysql::Error::CodecError(e)
                if std::error::Error::source(e)
                    .and_then(|io| io.downcast_ref::<std::io::Error>())
                    .is_some_and(timed_out) =>
            {
                silent(timeouts)
            }
            mysql::Error::IoError(e) => e.to_string(),
            mysql::Error::CodecError(e) => e.to_string(),
            mysql::Error::DriverError(e) => e.to_string(),
            mysql::Error::UrlError(e) => e.to_string(),
            e => e.to_string(),
        }
    }

    fn silent(timeouts: Timeouts) -> String {
        format!(
            "the server sent nothing for {} s (the statement timeout and 10 s more); the connection was given up",
            timeouts.read().as_secs()
        )
    }

    fn text(v: Value) -> Option<String> {
        match v {
            Value::NULL => None,
            Value::Bytes(b) => Some(cut(String::from_utf8_lossy(&b).into_owned())),
            Value::Int(i) => Some(i.to_string()),
            Value::UInt(u) => Some(u.to_string()),
            Value::Float(f) => Some(f.to_string()),
            Value::Double(d) => Some(d.to_string()),
            Value::Date(y, m, d, h, mi, s, _) => {
                Some(format!("{y:04}-{m:02}-{d:02} {h:02}:{mi:02}:{s:02}"))
            }
            Value::Time(..) => None,
        }
    }

    impl Session for My {
        fn tables(&mut self, views: bool) -> Result<Vec<Table>, DbError> {
            let timeouts = self.timeouts;
            let err = move |e: mysql::Error| DbError::new(message(&e, timeouts), None);
            let kinds = if views { "'BASE TABLE','VIEW'" } else { "'BASE TABLE'" };
            let list: Vec<(String, String, Option<u64>, Option<String>)> = self
                .conn
                .query(format!(
                    "SELECT TABLE_SCHEMA, TABLE_NAME, TABLE_ROWS, IF(UPDATE_TIME < NOW() - INTERVAL 2 SECOND, CAST(UPDATE_TIME AS CHAR), NULL) FROM information_schema.TABLES WHERE TABLE_TYPE IN ({kinds}) \
                     AND TABLE_SCHEMA = DATABASE() ORDER BY 1, 2"
                ))
                .map_err(err)?;
            let mut tables = Vec::new();
            for (schema, name, estimate, updated) in list {
                let cols: Vec<(String, String, String)> = self
                    .conn
                    .exec(
                        "SELECT COLUMN_NAME, DATA_TYPE, COLUMN_KEY FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? ORDER BY ORDINAL_POSITION",
                        (&schema, &name),
                    )
                    .map_err(err)?;
                let key = cols.iter().position(|c| c.2 == "PRI");
                let binary = |t: &str| t.contains("blob") || t.contains("binary");
                let columns = cols
                    .into_iter()
                    .map(|(n, t, _)| Column { binary: binary(&t), name: n })
                    .collect();
                // Without an update time (not kept by every engine, nor
                // across a restart), no marker: the table is always read.
                // Nor when it is from the last seconds: the time has whole
                // seconds, and a write later in that second would not
                // change it. The row estimate is not part of it: InnoDB
                // recounts it in the background, seconds after the write
                // whose time is already kept.
                let changes = updated;
                tables.push(Table {
                    schema,
                    name,
                    columns,
                    key,
                    estimated_rows: estimate,
                    changes,
                });
            }
            Ok(tables)
        }

        fn rows(
            &mut self,
            table: &Table,
            limit: Option<u64>,
            each: &mut dyn FnMut(Sample) -> Result<(), DbError>,
        ) -> Result<(), DbError> {
            let timeouts = self.timeouts;
            let err = move |e: mysql::Error| DbError::new(message(&e, timeouts), None);
            let select: Vec<String> = table
                .columns
                .iter()
                .map(|c| if c.binary { "NULL".to_string() } else { ident(&c.name, '`') })
                .collect();
            let limit = limit.map_or(String::new(), |n| format!(" LIMIT {n}"));
            let sql = format!(
                "SELECT {} FROM {}.{}{limit}",
                select.join(", "),
                ident(&table.schema, '`'),
                ident(&table.name, '`')
            );
            self.conn.query_drop("START TRANSACTION READ ONLY").map_err(err)?;
            let mut batches = Batches::new(each);
            let read = (|| {
                for row in self.conn.query_iter(sql).map_err(err)? {
                    let values: Vec<Option<String>> =
                        row.map_err(err)?.unwrap().into_iter().map(text).collect();
                    batches.push(table, values)?;
                }
                batches.flush()
            })();
            let _ = self.conn.query_drop("ROLLBACK");
            read
        }

        fn read_only(&mut self) -> Result<bool, DbError> {
            let v: Option<i64> = self
                .conn
                .query_first("SELECT @@session.transaction_read_only")
                .or_else(|_| self.conn.query_first("SELECT @@session.tx_read_only"))
                .map_err(|e| DbError::new(message(&e, self.timeouts), self.secret.as_deref()))?;
            Ok(v == Some(1))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets_print_without_their_password() {
        let t = Target::parse("postgres://alice:s3cret@db.example:5432/crm").unwrap();
        assert_eq!(t.display, "postgres://alice@db.example:5432/crm");
        assert_eq!(t.password().as_deref(), Some("s3cret"));
        assert!(!format!("{t:?}").contains("s3cret"));
        let m = Target::parse("mariadb://root@127.0.0.1:3306/test").unwrap();
        assert_eq!(
            (m.engine, m.display.as_str()),
            (Engine::Mysql, "mysql://root@127.0.0.1:3306/test")
        );
        assert_eq!(Target::parse("sqlite:crm.db").unwrap().engine, Engine::Sqlite);
        assert!(Target::parse("share/crm.db").is_none());
        // A password in the query, or holding an `@`, is never shown either.
        let q = Target::parse("postgresql://bob@db:5432/crm?sslmode=require&password=p%40ss&x=1")
            .unwrap();
        assert_eq!(q.display, "postgres://bob@db:5432/crm?sslmode=require&x=1");
        assert_eq!(q.password().as_deref(), Some("p%40ss"));
        let at = Target::parse("mysql://carol:a@b@db/crm").unwrap();
        assert_eq!(
            (at.display.as_str(), at.password().as_deref()),
            ("mysql://carol@db/crm", Some("a@b"))
        );
        let e = DbError::new("password authentication failed: s3cret", Some("s3cret"));
        assert_eq!(e.to_string(), "password authentication failed: ***");
        assert_eq!(ident("a\"b", '"'), "\"a\"\"b\"");
        assert_eq!(cut("x".repeat(2000)).len(), MAX_VALUE_CHARS);
    }
}

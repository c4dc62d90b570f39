//! `piimap export INVENTORY.json --db postgres://…`: inventories as rows of
//! one organisation-wide PostgreSQL database, so that a privacy officer can
//! ask every share and every month at once, in SQL.
//!
//! The schema (`piimap`, created when missing, described in
//! `docs/export.md`) holds runs, their locations, categories per location
//! (with whether they are out of purpose), purposes per location, the
//! purposes themselves, errors and skipped items; the view `piimap.latest`
//! holds the locations of the latest run of each set of targets. A run is
//! keyed by a hash of its inventory, so exporting one inventory twice
//! writes nothing the second time; all of a run is written in one
//! transaction, or nothing is.
//!
//! Only what the inventory holds is exported: masked evidence never leaves
//! the inventory file (the database gets counts and flags).

use postgres::Client;

use super::document::Document;
use crate::source::database::postgres_error;

/// The layout version of the schema, kept in `piimap.schema_version`.
pub const LAYOUT: i32 = 1;

/// The schema, created if missing (idempotent).
const SCHEMA_SQL: &str = r#"
CREATE SCHEMA IF NOT EXISTS piimap;
CREATE TABLE IF NOT EXISTS piimap.schema_version (version integer NOT NULL);
CREATE TABLE IF NOT EXISTS piimap.runs (
    run_id        text PRIMARY KEY,
    started       timestamptz,
    duration_ms   bigint,
    tool          text NOT NULL,
    targets       text[] NOT NULL,
    scope         text,
    files         bigint NOT NULL,
    bytes         bigint NOT NULL,
    tables        bigint NOT NULL,
    findings      bigint NOT NULL,
    locations     bigint NOT NULL,
    subjects      bigint NOT NULL,
    errors        bigint NOT NULL,
    exported      timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE IF NOT EXISTS piimap.locations (
    run_id                 text NOT NULL REFERENCES piimap.runs ON DELETE CASCADE,
    path                   text NOT NULL,
    folder                 text NOT NULL,
    findings               bigint NOT NULL,
    confidence             text,
    identifiability        text,
    subjects               bigint NOT NULL,
    subjects_at_least      boolean NOT NULL,
    records                bigint NOT NULL,
    size                   bigint,
    rows_read              bigint,
    rows_estimated         bigint,
    modified               timestamptz,
    owner                  bigint,
    world_readable         boolean,
    deidentified_violation boolean NOT NULL,
    unassigned             boolean NOT NULL,
    retention_overdue      boolean NOT NULL,
    risk                   text,
    risk_reasons           text[] NOT NULL,
    rules                  text[] NOT NULL,
    PRIMARY KEY (run_id, path)
);
CREATE TABLE IF NOT EXISTS piimap.location_categories (
    run_id         text NOT NULL,
    path           text NOT NULL,
    category       text NOT NULL,
    findings       bigint NOT NULL,
    out_of_purpose boolean NOT NULL,
    PRIMARY KEY (run_id, path, category),
    FOREIGN KEY (run_id, path) REFERENCES piimap.locations ON DELETE CASCADE
);
CREATE TABLE IF NOT EXISTS piimap.location_purposes (
    run_id  text NOT NULL,
    path    text NOT NULL,
    purpose text NOT NULL,
    PRIMARY KEY (run_id, path, purpose),
    FOREIGN KEY (run_id, path) REFERENCES piimap.locations ON DELETE CASCADE
);
CREATE TABLE IF NOT EXISTS piimap.purposes (
    run_id         text NOT NULL REFERENCES piimap.runs ON DELETE CASCADE,
    purpose        text NOT NULL,
    ja             text NOT NULL,
    en             text NOT NULL,
    categories     text[] NOT NULL,
    deidentified   boolean NOT NULL,
    retention_days bigint,
    PRIMARY KEY (run_id, purpose)
);
CREATE TABLE IF NOT EXISTS piimap.problems (
    run_id  text NOT NULL REFERENCES piimap.runs ON DELETE CASCADE,
    kind    text NOT NULL CHECK (kind IN ('error', 'skipped')),
    path    text NOT NULL,
    message text NOT NULL
);
CREATE INDEX IF NOT EXISTS problems_run ON piimap.problems (run_id);
CREATE OR REPLACE VIEW piimap.latest AS
    SELECT l.*, r.started, r.targets
    FROM piimap.locations l JOIN piimap.runs r USING (run_id)
    WHERE r.run_id = (
        SELECT r2.run_id FROM piimap.runs r2 WHERE r2.targets = r.targets
        ORDER BY r2.started DESC NULLS LAST, r2.exported DESC, r2.run_id LIMIT 1
    );
"#;

/// What an export did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Exported {
    /// The run was written, with this many locations.
    Written {
        /// The run's key.
        run_id: String,
        /// Its locations.
        locations: usize,
    },
    /// The same inventory was exported before: nothing was written.
    Already {
        /// The run's key.
        run_id: String,
    },
}

/// The key of a run: a hash of its inventory, so the same inventory is the
/// same run however often it is exported.
pub fn run_id(doc: &Document) -> String {
    let bytes = serde_json::to_vec(doc).unwrap_or_default();
    blake3::hash(&bytes).to_hex()[..32].to_string()
}

/// Creates the schema if needed and writes `doc` as one run, unless it is
/// there already.
pub fn export(client: &mut Client, doc: &Document) -> Result<Exported, String> {
    let err = |e: postgres::Error| postgres_error(&e).to_string();
    let mut tx = client.transaction().map_err(err)?;
    // One exporter at a time creates the schema and checks its version.
    tx.batch_execute("SELECT pg_advisory_xact_lock(hashtext('piimap export'))").map_err(err)?;
    tx.batch_execute(SCHEMA_SQL).map_err(err)?;
    let versions: Vec<i32> = tx
        .query("SELECT version FROM piimap.schema_version", &[])
        .map_err(err)?
        .iter()
        .map(|r| r.get(0))
        .collect();
    match versions[..] {
        [] => {
            tx.execute("INSERT INTO piimap.schema_version VALUES ($1)", &[&LAYOUT]).map_err(err)?;
        }
        [v] if v == LAYOUT => {}
        _ => {
            return Err(format!(
                "the piimap schema there is version {versions:?}, this piimap writes {LAYOUT}"
            ));
        }
    }
    let id = run_id(doc);
    let known = tx.query_opt("SELECT 1 FROM piimap.runs WHERE run_id = $1", &[&id]).map_err(err)?;
    if known.is_some() {
        tx.commit().map_err(err)?;
        return Ok(Exported::Already { run_id: id });
    }
    let run = doc.scan.as_ref();
    let s = &doc.summary;
    let count = |n: usize| n as i64;
    tx.execute(
        "INSERT INTO piimap.runs (run_id, started, duration_ms, tool, targets, scope, files, bytes, tables, findings, locations, subjects, errors)
         VALUES ($1, $2::text::timestamptz, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
        &[
            &id,
            &run.map(|r| r.started.clone()),
            &run.map(|r| r.duration_ms as i64),
            &doc.tool,
            &run.map_or_else(Vec::new, |r| r.targets.clone()),
            &run.and_then(|r| r.scope.clone()),
            &(s.files as i64),
            &(s.bytes as i64),
            &(s.tables as i64),
            &count(s.findings),
            &count(s.locations),
            &count(s.subjects),
            &count(s.errors),
        ],
    )
    .map_err(err)?;
    for p in &doc.purposes {
        let categories: Vec<&str> = p.categories.iter().map(|c| c.id()).collect();
        tx.execute(
            "INSERT INTO piimap.purposes VALUES ($1, $2, $3, $4, $5, $6, $7)",
            &[
                &id,
                &p.id,
                &p.ja,
                &p.en,
                &categories,
                &p.deidentified,
                &p.retention_days.map(|d| d as i64),
            ],
        )
        .map_err(err)?;
    }
    let location = tx
        .prepare(
            "INSERT INTO piimap.locations VALUES
             ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13::text::timestamptz, $14, $15, $16, $17, $18, $19, $20, $21)",
        )
        .map_err(err)?;
    let category = tx
        .prepare("INSERT INTO piimap.location_categories VALUES ($1, $2, $3, $4, $5)")
        .map_err(err)?;
    let purpose =
        tx.prepare("INSERT INTO piimap.location_purposes VALUES ($1, $2, $3)").map_err(err)?;
    for l in &doc.locations {
        let path = &l.path;
        tx.execute(
            &location,
            &[
                &id,
                path,
                &doc.folder(path),
                &count(l.findings),
                &l.confidence.map(|c| c.as_str()),
                &l.identifiability.map(|v| v.as_str()),
                &count(l.subjects),
                &l.subjects_at_least,
                &count(l.records),
                &l.size.map(|n| n as i64),
                &l.rows_read.map(|n| n as i64),
                &l.rows_estimated.map(|n| n as i64),
                &l.modified,
                &l.owner.map(i64::from),
                &l.world_readable,
                &l.deidentified_violation,
                &l.unassigned,
                &l.retention_overdue,
                &l.risk.map(|r| r.as_str()),
                &l.risk_reasons,
                &l.rules,
            ],
        )
        .map_err(err)?;
        for (c, n) in &l.categories {
            let out = l.out_of_purpose.contains(c);
            tx.execute(&category, &[&id, path, &c.id(), &count(*n), &out]).map_err(err)?;
        }
        for p in &l.purposes {
            tx.execute(&purpose, &[&id, path, p]).map_err(err)?;
        }
    }
    for (kind, list) in [("error", &doc.errors), ("skipped", &doc.skipped)] {
        for m in list {
            tx.execute(
                "INSERT INTO piimap.problems VALUES ($1, $2, $3, $4)",
                &[&id, &kind, &m.path, &m.message],
            )
            .map_err(err)?;
        }
    }
    tx.commit().map_err(err)?;
    Ok(Exported::Written { run_id: id, locations: doc.locations.len() })
}

//! The pipeline: wires source → read → detect in parallel, groups each
//! item's findings into records, folds the results into an [`Inventory`] and
//! hands it to `identify`.
//!
//! The walker runs on its own threads and feeds a bounded channel; a rayon
//! pool of `jobs` workers drains it, each with its own read and detect
//! buffers, so the hot path allocates nothing per line. Whatever happens to one
//! item — an I/O error, undecodable bytes, a panic in a reader — becomes an
//! error entry in the inventory and the scan goes on.

use std::collections::{HashMap, HashSet};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard, mpsc};

use rayon::iter::{IntoParallelRefIterator, ParallelBridge, ParallelIterator};

use crate::classify::{self, ColumnRules, Filled};
use crate::detect::{Columns, DetectorSet, Hit, Layout, Scratch};
use crate::finding::{Category, Confidence, Finding, FingerprintKey, Part, mask, subject_key};
use crate::inventory::{Inventory, ItemError};
use crate::read::{self, Chunk, Kind, ReadScratch, delimited::Header, structured::Syntax};
use crate::source::git::{self, GitError, Scope, Unread};
use crate::source::{self, Entry, WalkOptions};
use crate::suppress;

/// What to scan and how.
#[derive(Debug, Clone)]
pub struct ScanConfig {
    /// Paths to scan (files or directories).
    pub targets: Vec<PathBuf>,
    /// Worker threads.
    pub jobs: usize,
    /// Walk behaviour.
    pub walk: WalkOptions,
    /// What findings carry besides their position.
    pub evidence: Evidence,
}

/// What findings carry besides their position.
#[derive(Debug, Clone)]
pub struct Evidence {
    /// Keep raw values in findings (`--show-values`).
    pub show_values: bool,
    /// The key of the value fingerprints. Without one, findings carry none:
    /// fingerprints under a throw-away key would make two scans of the same
    /// data differ, and a fixed key would make them a plain hash.
    pub key: Option<FingerprintKey>,
}

impl Default for Evidence {
    /// No raw values, no fingerprints.
    fn default() -> Evidence {
        Evidence { show_values: false, key: None }
    }
}

/// Receives progress as items finish (for a progress bar); must be cheap.
pub trait Progress: Sync {
    /// One item is done: its size and how many findings it had.
    fn item_done(&self, bytes: u64, findings: usize);
}

/// Scans every target with `detectors`.
pub fn scan(
    config: &ScanConfig,
    detectors: &DetectorSet,
    progress: Option<&dyn Progress>,
) -> Inventory {
    let (tx, rx) = mpsc::sync_channel::<Entry>(1024);
    let inventory = std::thread::scope(|s| {
        s.spawn(move || source::walk(&config.targets, &config.walk, &tx));
        fold(rx, config.jobs, detectors, &config.evidence, progress, Worker::process)
    });
    describe_rules(inventory, detectors)
}

/// Runs `each` on every item on `jobs` threads and merges the results, sorted.
/// Workers (and their buffers, sized for the largest chunk seen) are pooled
/// rather than built per rayon job, which `map_init` would do.
fn fold<'a, T: Send>(
    items: impl IntoIterator<Item = T, IntoIter: Send> + Send,
    jobs: usize,
    detectors: &'a DetectorSet,
    evidence: &'a Evidence,
    progress: Option<&dyn Progress>,
    each: impl Fn(&mut Worker<'a>, T) -> Inventory + Sync,
) -> Inventory {
    let workers = Mutex::new(Vec::new());
    let work = || {
        items
            .into_iter()
            .par_bridge()
            .map(|item| {
                let mut w =
                    lock(&workers).pop().unwrap_or_else(|| Worker::new(detectors, evidence));
                let part = each(&mut w, item);
                lock(&workers).push(w);
                if let Some(p) = progress {
                    p.item_done(part.stats.bytes, part.findings.len());
                }
                part
            })
            .reduce(Inventory::default, Inventory::merge)
    };
    match rayon::ThreadPoolBuilder::new().num_threads(jobs.max(1)).build() {
        Ok(pool) => pool.install(work),
        // Without a dedicated pool, rayon's global one does the work.
        Err(_) => work(),
    }
    .finish()
}

/// Scans what a git scope adds (`--staged`, `--diff`): every changed file at
/// its new content, keeping the findings on added lines (and whole-file ones,
/// which the change touched).
pub fn scan_git(
    repo: &Path,
    scope: &Scope,
    detectors: &DetectorSet,
    evidence: &Evidence,
    jobs: usize,
) -> Result<Inventory, GitError> {
    let changes = git::changes(repo, scope)?;
    let inventory = fold(changes, jobs, detectors, evidence, None, |w, change| {
        let mut inv = w.scan_bytes(&change.path, &change.content);
        inv.findings.retain(|f| f.line.is_none_or(|l| change.added.contains(&l)));
        inv
    });
    Ok(describe_rules(inventory, detectors))
}

/// Scans every file version in the repository's history (`--history`), each
/// blob once, and reports each value once per path and detector: at the
/// first commit that added it, with that commit's line. Values are told apart
/// by fingerprint; without a key of the user's a throw-away one serves and
/// the fingerprints are dropped afterwards.
pub fn scan_history(
    repo: &Path,
    detectors: &DetectorSet,
    evidence: &Evidence,
    max_filesize: u64,
    jobs: usize,
    progress: Option<&dyn Progress>,
) -> Result<Inventory, GitError> {
    let keyed = Evidence {
        show_values: evidence.show_values,
        key: Some(evidence.key.clone().unwrap_or_else(FingerprintKey::random)),
    };
    let (tx, rx) = mpsc::sync_channel(64);
    let (read, order, mut inventory) = std::thread::scope(|s| {
        let reader = s.spawn(move || {
            let mut order: HashMap<String, usize> = HashMap::new();
            let read = git::history(repo, max_filesize, |blob, content| {
                order.entry(blob.commit.clone()).or_insert(blob.order);
                // A send fails only when the workers are gone; nothing to do.
                let _ = tx.send((blob, content));
            });
            (read, order)
        });
        let inventory = fold(rx, jobs, detectors, &keyed, progress, |w, (blob, content)| {
            let at = || format!("{} (commit {})", blob.path, &blob.commit[..12]);
            match content {
                Ok(bytes) => {
                    let mut inv = w.scan_bytes(&blob.path, &bytes);
                    let commit: Arc<str> = Arc::from(&*blob.commit);
                    for f in &mut inv.findings {
                        f.commit = Some(Arc::clone(&commit));
                    }
                    for e in &mut inv.errors {
                        e.path = at();
                    }
                    inv
                }
                Err(Unread::Missing) => Inventory::error(at(), "git object missing".into()),
                Err(Unread::TooLarge(size)) => Inventory::too_large(at(), size),
            }
        });
        match reader.join() {
            Ok((read, order)) => (read, order, inventory),
            Err(_) => (
                Err(std::io::Error::other("the git reader panicked").into()),
                HashMap::new(),
                inventory,
            ),
        }
    });
    read?;
    // Earliest commit first, so the first of each (path, detector, value) kept
    // is where it was introduced.
    let when = |f: &Finding| f.commit.as_deref().and_then(|c| order.get(c)).copied();
    inventory.findings.sort_by_key(|f| when(f));
    let mut seen = HashSet::new();
    inventory.findings.retain(|f| {
        seen.insert((Arc::clone(&f.path), Arc::clone(&f.detector), f.fingerprint.clone()))
    });
    if evidence.key.is_none() {
        inventory.findings.iter_mut().for_each(|f| f.fingerprint.clear());
    }
    Ok(describe_rules(inventory.finish(), detectors))
}

/// Adds to `inventory` the description of every detector that reported,
/// and decides identifiability and the locations (`identify`).
fn describe_rules(mut inventory: Inventory, detectors: &DetectorSet) -> Inventory {
    for f in &inventory.findings {
        if !inventory.rules.contains_key(&*f.detector) {
            inventory.rules.insert(f.detector.to_string(), detectors.rule(&f.detector));
        }
    }
    crate::identify::apply(&mut inventory, detectors.combinations());
    inventory
}

/// Locks the worker pool. Its critical sections only pop and push, which
/// cannot leave it inconsistent, so a poisoned lock is still safe to use.
fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// Scans one in-memory text as if it were a file named `name`: the same
/// decoding, header sniffing and detection as [`scan`]. Used by the pattern
/// self-test and by anything that has text rather than files.
pub fn scan_bytes(
    detectors: &DetectorSet,
    name: &str,
    bytes: &[u8],
    evidence: &Evidence,
) -> Inventory {
    Worker::new(detectors, evidence).scan_bytes(name, bytes)
}

/// The error entry of an item whose reader panicked.
const CRASHED: &str = "internal error while scanning this file (please report it)";

/// One worker thread's state.
struct Worker<'a> {
    detectors: &'a DetectorSet,
    evidence: &'a Evidence,
    read: ReadScratch,
    detect: Scratch,
    hits: Vec<Hit>,
}

impl<'a> Worker<'a> {
    fn new(detectors: &'a DetectorSet, evidence: &'a Evidence) -> Worker<'a> {
        Worker {
            detectors,
            evidence,
            read: ReadScratch::default(),
            detect: detectors.scratch(),
            hits: Vec::new(),
        }
    }

    fn process(&mut self, entry: Entry) -> Inventory {
        match entry {
            Entry::File { path, display, size, meta } => {
                let mut inv = Inventory::default();
                let outcome = catch_unwind(AssertUnwindSafe(|| {
                    self.scan_file(&path, &display, size, &mut inv)
                }));
                // The partial results of a file that crashed a reader are
                // dropped: the error entry stands for the whole file.
                match outcome {
                    Ok(()) => {
                        if let Some(f) = inv.findings.first() {
                            inv.meta.insert(Arc::clone(&f.path), meta);
                        }
                        inv
                    }
                    Err(_) => Inventory::error(display, CRASHED.into()),
                }
            }
            Entry::TooLarge { display, size } => Inventory::too_large(display, size),
            Entry::Error { display, message } => Inventory::error(display, message),
        }
    }

    /// Scans in-memory content named `name`; a reader's panic becomes an
    /// error entry, as in [`Worker::process`].
    fn scan_bytes(&mut self, name: &str, bytes: &[u8]) -> Inventory {
        let outcome = catch_unwind(AssertUnwindSafe(|| {
            let mut decoded = String::new();
            let mut inv = Inventory::default();
            let mut file = FileScan::new(Path::new(name), name, &mut inv);
            let kind = read::decode(bytes, &mut decoded, &mut |chunk| file.chunk(self, chunk));
            if kind == Kind::Container {
                return self.scan_document(name, bytes);
            }
            file.finish(self, kind, bytes.len() as u64);
            inv.finish()
        }));
        outcome.unwrap_or_else(|_| Inventory::error(name.to_string(), CRASHED.into()))
    }

    fn scan_file(&mut self, path: &Path, display: &str, size: u64, inv: &mut Inventory) {
        let mut read = std::mem::take(&mut self.read);
        let mut file = FileScan::new(path, display, inv);
        // A large file's chunks after the first (which sets the header and
        // syntax) are detected a batch at a time on the pool's threads.
        let mut batch: Vec<(String, u64, bool)> = Vec::new();
        let result = read::read_file(path, &mut read, &mut |chunk| {
            if chunk.is_first || !file.splittable() {
                file.chunk(self, chunk);
                return;
            }
            batch.push((chunk.text.to_string(), chunk.first_line, chunk.positions));
            if batch.len() >= rayon::current_num_threads().max(1) {
                file.chunks_in_parallel(self, &mut batch);
            }
        });
        file.chunks_in_parallel(self, &mut batch);
        self.read = read;
        match result {
            Ok(Kind::Database) => {
                let target = crate::source::database::Target::sqlite_file(
                    path.to_path_buf(),
                    display.to_string(),
                );
                *inv = std::mem::take(inv).merge(self.scan_database(&target));
                inv.stats.files += 1;
            }
            Ok(Kind::Container) => {
                *inv = std::mem::take(inv).merge(self.scan_container(path, display));
            }
            Ok(kind) => file.finish(self, kind, size),
            Err(e) => {
                file.inv.findings.clear();
                file.inv
                    .errors
                    .push(ItemError { path: display.to_string(), message: e.to_string() });
            }
        }
    }

    /// A file read from its whole bytes: a workbook, an office document,
    /// a PDF, an archive, or binary.
    fn scan_container(&mut self, path: &Path, display: &str) -> Inventory {
        match std::fs::read(path) {
            Ok(bytes) => self.scan_document(display, &bytes),
            Err(e) => Inventory::error(display.to_string(), e.to_string()),
        }
    }

    /// Scans in-memory content by what [`read::container`] says it is.
    fn scan_document(&mut self, display: &str, bytes: &[u8]) -> Inventory {
        use read::Container;
        match read::container(bytes) {
            Container::Workbook => self.scan_workbook(display, bytes),
            Container::Office(format) => self.scan_office(display, bytes, format),
            Container::Pdf => self.scan_pdf(display, bytes),
            Container::Archive => {
                let mut inv = self.scan_archive(display, bytes);
                inv.stats.files += 1;
                inv
            }
            Container::Other => Inventory {
                stats: crate::inventory::Stats { binary: 1, ..Default::default() },
                ..Default::default()
            },
        }
    }

    /// Scans a Word/PowerPoint/OpenDocument file's text, a paragraph a line
    /// (numbered per slide in presentations).
    fn scan_office(
        &mut self,
        display: &str,
        bytes: &[u8],
        format: read::office::Format,
    ) -> Inventory {
        let parts = match read::office::extract(bytes, format) {
            Ok(p) => p,
            Err(e) => {
                return Inventory::error(display.to_string(), format!("{}: {e}", format.name()));
            }
        };
        let mut inv = Inventory::default();
        let mut file = FileScan::new(Path::new(display), display, &mut inv);
        file.fields = true;
        for part in &parts {
            file.part(self, part.slide.map(Part::Slide), &part.text);
        }
        inv.stats.files += 1;
        inv.stats.bytes += bytes.len() as u64;
        inv.finish()
    }

    /// Scans a PDF's text layer page by page (lines numbered per page);
    /// image-only pages are listed as skipped, unreadable pages as errors.
    /// Its text and name also decide whether it is a floor plan.
    fn scan_pdf(&mut self, display: &str, bytes: &[u8]) -> Inventory {
        let pdf = match read::pdf::extract(bytes) {
            Ok(p) => p,
            Err(e) => return Inventory::error(display.to_string(), e),
        };
        let mut inv = Inventory::default();
        let mut file = FileScan::new(Path::new(display), display, &mut inv);
        file.fields = true;
        for (page, text) in &pdf.pages {
            file.part(self, Some(Part::Page(*page)), text);
        }
        let texts: Vec<String> =
            pdf.pages.iter().flat_map(|(_, t)| t.lines().map(str::to_string)).collect();
        file.floor_plan(self, &[], &texts, "PDF");
        for (page, message) in pdf.errors {
            let message = format!("page {page}: cannot read its text: {message}");
            inv.errors.push(ItemError { path: display.to_string(), message });
        }
        if !pdf.image_only.is_empty() {
            let pages: Vec<String> = pdf.image_only.iter().map(u32::to_string).collect();
            let reason = format!(
                "page {}: no text layer (an image, e.g. a scan): not read / 画像のみのページ",
                pages.join(", ")
            );
            inv.skipped.push(crate::inventory::Skipped { path: display.to_string(), reason });
        }
        inv.stats.files += 1;
        inv.stats.bytes += bytes.len() as u64;
        inv.finish()
    }

    /// Scans every sheet of a workbook as a table: the first row with two
    /// or more values is the header candidate (title rows above it are read
    /// as plain text), each row is a record, findings carry the sheet, the
    /// row as `line` and the column number, and the columns are classified.
    fn scan_workbook(&mut self, display: &str, bytes: &[u8]) -> Inventory {
        let sheets = match read::spreadsheet::read(bytes) {
            Ok(s) => s,
            Err(e) => return Inventory::error(display.to_string(), e),
        };
        let mut inv = Inventory::default();
        for sheet in &sheets {
            let name: Arc<str> = Arc::from(sheet.name.as_str());
            let filled = |cells: &Vec<String>| cells.iter().filter(|c| !c.is_empty()).count();
            let table_start =
                sheet.rows.iter().position(|(_, cells)| filled(cells) >= 2).unwrap_or(0);
            let (titles, table) = sheet.rows.split_at(table_start);
            // A form laid out down the sheet (氏名 | 山田 太郎, 電話番号 | 090…)
            // has labels in its first column, not a header row.
            let labelled_rows = table
                .iter()
                .take(30)
                .filter(|(_, cells)| {
                    cells
                        .first()
                        .is_some_and(|c| ColumnRules::builtin().is_ok_and(|r| r.names_any(c)))
                })
                .count();
            let form = labelled_rows >= 3 && labelled_rows * 2 >= table.len().min(30);
            let mut part = self.scan_rows_as_text(display, titles, sheet, &name);
            let mut rows = Inventory::default();
            let mut text = String::new();
            for (_, cells) in table {
                for (i, cell) in cells.iter().enumerate() {
                    if i > 0 {
                        text.push('\t');
                    }
                    text.extend(
                        cell.chars().map(|c| if matches!(c, '\t' | '\n' | '\r') { ' ' } else { c }),
                    );
                }
                text.push('\n');
            }
            // A `.tsv` name lets the table's header row be recognised; a
            // form's rows are label and value: no header is looked for.
            let mut file = FileScan::new(Path::new("sheet.tsv"), display, &mut rows);
            file.fields = true;
            file.chunk(
                self,
                Chunk { text: &text, first_line: 1, is_first: !form, positions: true },
            );
            let lines: Vec<&str> = text.split('\n').collect();
            for f in &mut file.inv.findings {
                let Some(index) = f.line.map(|l| l as usize - 1) else { continue };
                let (row, _) = table[index];
                let before = f.column.unwrap_or(1) as usize - 1;
                let field = lines[index].chars().take(before).filter(|&c| c == '\t').count();
                f.line = Some(u64::from(row));
                f.column = Some(u64::from(sheet.first_column) + field as u64);
                // A table row is a record; a form's records are its
                // paragraphs of rows, known by their first row.
                f.record = if form {
                    f.record.map(|r| u64::from(table[r as usize - 1].0))
                } else {
                    Some(u64::from(row))
                };
                f.sheet = Some(Arc::clone(&name));
            }
            file.classify_columns(table.first().map(|(row, _)| u64::from(*row)), Some(&name));
            part = part.merge(rows);
            inv = inv.merge(part);
        }
        inv.stats.files += 1;
        inv.stats.bytes += bytes.len() as u64;
        inv.finish()
    }

    /// Scans a sheet's rows above its table (titles: one value each) as
    /// text, one row a line, each finding in the row's one cell.
    fn scan_rows_as_text(
        &mut self,
        display: &str,
        rows: &[(u32, Vec<String>)],
        sheet: &read::spreadsheet::Sheet,
        name: &Arc<str>,
    ) -> Inventory {
        let mut part = Inventory::default();
        if rows.is_empty() {
            return part;
        }
        let text: String = rows.iter().map(|(_, cells)| cells.join(" ") + "\n").collect();
        // A `.txt` name: no header row to look for.
        let mut file = FileScan::new(Path::new("titles.txt"), display, &mut part);
        file.fields = true;
        file.chunk(self, Chunk { text: &text, first_line: 1, is_first: false, positions: true });
        for f in &mut part.findings {
            let Some(index) = f.line.map(|l| l as usize - 1) else { continue };
            let (row, cells) = &rows[index];
            f.line = Some(u64::from(*row));
            f.column = cells
                .iter()
                .position(|c| !c.is_empty())
                .map(|i| u64::from(sheet.first_column) + i as u64);
            f.record = Some(u64::from(*row));
            f.sheet = Some(Arc::clone(name));
        }
        part
    }

    /// Scans the members of an archive in memory, each as a file of its own
    /// (`a.zip!dir/b.csv`); skipped and unreadable members become entries.
    fn scan_archive(&mut self, display: &str, bytes: &[u8]) -> Inventory {
        use crate::source::archive::{Limits, Member, members};
        let mut inv = Inventory::default();
        members(bytes, display, &Limits::new(ARCHIVE_MEMBER_MAX), &mut |member| match member {
            Member::File { display, bytes } => {
                let part = self.scan_bytes(&display, &bytes);
                inv = std::mem::take(&mut inv).merge(part);
            }
            Member::Skipped { display, reason } => {
                inv.skipped.push(crate::inventory::Skipped { path: display, reason });
            }
            Member::Error { display, message } => {
                inv.errors.push(ItemError { path: display, message });
            }
        });
        inv
    }

    /// Scans every table of an SQLite file found on a share, with the
    /// default sample, on this worker.
    fn scan_database(&mut self, target: &crate::source::database::Target) -> Inventory {
        let rules = match ColumnRules::builtin() {
            Ok(r) => r,
            Err(e) => return Inventory::error(target.display.clone(), e),
        };
        let opts = DbOptions::default();
        let mut session = match crate::source::database::connect(target) {
            Ok(s) => s,
            Err(e) => return Inventory::error(target.display.clone(), e.to_string()),
        };
        let tables = match session.tables(false) {
            Ok(t) => t,
            Err(e) => return Inventory::error(target.display.clone(), e.to_string()),
        };
        let mut inv = Inventory::default();
        for table in tables {
            let path = format!("{}#{}", target.display, table.qualified());
            let part = self.scan_table(session.as_mut(), &path, &table, opts.sample_rows, rules);
            inv = inv.merge(part);
        }
        inv
    }
}

/// Archive members larger than this are skipped (with the reason).
const ARCHIVE_MEMBER_MAX: u64 = 256 << 20;

/// The state of one file while its chunks go by.
struct FileScan<'p, 'i> {
    path: &'p Path,
    display: Arc<str>,
    columns: Option<Columns>,
    /// Values per column of a table found by its header row (databases
    /// count their own).
    filled: Option<Filled>,
    /// JSON, XML or an SQL dump: values get their key as `field`.
    syntax: Option<Syntax>,
    /// Lines are cells and fields, not prose ([`Layout::fields`]): text
    /// from documents and sheets, and structured text.
    fields: bool,
    inv: &'i mut Inventory,
}

impl<'p, 'i> FileScan<'p, 'i> {
    fn new(path: &'p Path, display: &str, inv: &'i mut Inventory) -> Self {
        FileScan {
            path,
            display: Arc::from(display),
            columns: None,
            filled: None,
            syntax: None,
            fields: false,
            inv,
        }
    }

    fn chunk(&mut self, w: &mut Worker<'_>, chunk: Chunk<'_>) {
        if chunk.is_first {
            self.syntax = Syntax::sniff(self.path, chunk.text);
            self.columns = match self.syntax {
                Some(_) => None,
                None => Header::sniff(self.path, chunk.text).map(|h| w.detectors.columns(h)),
            };
            self.filled = self.columns.as_ref().map(|_| Filled::default());
        }
        let header_row = chunk.is_first && self.columns.is_some();
        if let (Some(filled), Some(columns)) = (&mut self.filled, &self.columns) {
            for line in chunk.text.lines().skip(usize::from(header_row)) {
                columns.header.each_value(line, |i, v| filled.value(i, v));
            }
        }
        let first_new = self.inv.findings.len();
        // Where each new finding's line starts in the chunk, for records.
        let mut line_starts: Vec<usize> = Vec::new();
        let mut starts: Vec<usize> = Vec::new();
        w.hits.clear();
        let layout =
            Layout { first_is_header: header_row, fields: self.fields || self.syntax.is_some() };
        w.detectors.detect(chunk.text, self.columns.as_ref(), layout, &mut w.detect, &mut w.hits);
        for hit in &w.hits {
            let spec = w.detectors.spec(hit.detector);
            if chunk.positions && suppress::allowed(chunk.text, hit.line_start, spec.category) {
                self.inv.stats.suppressed += 1;
                continue;
            }
            let value = &chunk.text[hit.start..hit.end];
            if w.detectors.allowed(value) {
                self.inv.stats.suppressed += 1;
                continue;
            }
            let test_data = w.detectors.test_data().recognise(spec.category, value);
            line_starts.push(hit.line_start);
            starts.push(hit.start);
            self.inv.findings.push(Finding {
                path: Arc::clone(&self.display),
                line: chunk.positions.then(|| chunk.first_line + hit.line as u64),
                column: chunk
                    .positions
                    .then(|| chunk.text[hit.line_start..hit.start].chars().count() as u64 + 1),
                category: spec.category,
                detector: Arc::clone(w.detectors.id(hit.detector)),
                field: hit
                    .field
                    .and_then(|f| self.columns.as_ref().and_then(|c| c.name(f)))
                    .cloned(),
                confidence: if test_data.is_some() { Confidence::Low } else { hit.confidence },
                masked: mask(spec.category, value),
                value: w.evidence.show_values.then(|| value.to_string()),
                reasons: test_data.map(|why| vec![why.to_string()]).unwrap_or_default(),
                test_data: test_data.is_some(),
                commit: None,
                fingerprint: w
                    .evidence
                    .key
                    .as_ref()
                    .map(|k| k.fingerprint(spec.category, value))
                    .unwrap_or_default(),
                record: None,
                identifiability: None,
                subject: subject_key(spec.category, value),
                row: None,
                sheet: None,
                part: None,
            });
        }
        let new = &mut self.inv.findings[first_new..];
        if let Some(syntax) = &mut self.syntax {
            place_structured(syntax, chunk.text, new, &line_starts, &starts);
        }
        if chunk.positions {
            assign_records(new, &line_starts, chunk.text, self.columns.is_some());
        }
    }

    fn finish(mut self, w: &Worker<'_>, kind: Kind, size: u64) {
        match kind {
            Kind::Text(_) => {
                self.inv.stats.files += 1;
                self.inv.stats.bytes += size;
                self.classify_columns(Some(1), None);
            }
            Kind::Cad(drawing) => {
                self.inv.stats.files += 1;
                self.inv.stats.bytes += size;
                // A drawing is one record: its title block names the owner,
                // the site and a phone number on lines of their own.
                self.inv.findings.iter_mut().for_each(|f| f.record = None);
                self.floor_plan(w, &drawing.layers, &drawing.texts, drawing.kind.name());
            }
            Kind::Image => {
                self.inv.stats.binary += 1;
                self.floor_plan(w, &[], &[], "PDF/image");
            }
            // In memory (an archive's member), a database or a document no
            // reader handles is counted as binary.
            Kind::Binary | Kind::Database | Kind::Container => self.inv.stats.binary += 1,
        }
    }

    /// Scans one part of a document — its whole text, a page or a slide —
    /// whose lines are numbered from 1; its findings carry the part.
    fn part(&mut self, w: &mut Worker<'_>, part: Option<Part>, text: &str) {
        let first = self.inv.findings.len();
        self.chunk(w, Chunk { text, first_line: 1, is_first: false, positions: true });
        for f in &mut self.inv.findings[first..] {
            f.part = part;
        }
    }

    /// Whether chunks after the first may be detected apart: not when a
    /// chunk's meaning depends on the one before (SQL dump statements).
    fn splittable(&self) -> bool {
        self.syntax.as_ref().is_none_or(|s| !s.stateful())
    }

    /// Detects the chunks of `batch` (text, first line, positions) in
    /// parallel, each with a worker of its own, and adds their findings and
    /// column counts in order.
    fn chunks_in_parallel(&mut self, w: &mut Worker<'_>, batch: &mut Vec<(String, u64, bool)>) {
        if batch.len() <= 1 {
            for (text, first_line, positions) in batch.drain(..) {
                self.chunk(w, Chunk { text: &text, first_line, is_first: false, positions });
            }
            return;
        }
        let (detectors, evidence) = (w.detectors, w.evidence);
        let this: &FileScan<'_, '_> = self;
        let parts: Vec<(Inventory, Option<Filled>)> = batch
            .par_iter()
            .map_init(
                || Worker::new(detectors, evidence),
                |w, (text, first_line, positions)| {
                    let mut inv = Inventory::default();
                    let mut part = this.split(&mut inv);
                    let chunk = Chunk {
                        text,
                        first_line: *first_line,
                        is_first: false,
                        positions: *positions,
                    };
                    part.chunk(w, chunk);
                    let filled = part.filled.take();
                    (inv, filled)
                },
            )
            .collect();
        batch.clear();
        for (inv, filled) in parts {
            if let (Some(all), Some(part)) = (&mut self.filled, filled) {
                all.add(&part);
            }
            *self.inv = std::mem::take(self.inv).merge(inv);
        }
    }

    /// A scan of later chunks of the same file into `inv`: the same header,
    /// syntax and layout, column counts from zero.
    fn split<'j>(&self, inv: &'j mut Inventory) -> FileScan<'p, 'j> {
        FileScan {
            path: self.path,
            display: Arc::clone(&self.display),
            columns: self.columns.clone(),
            filled: self.filled.as_ref().map(|_| Filled::default()),
            syntax: self.syntax.as_ref().map(Syntax::fresh),
            fields: self.fields,
            inv,
        }
    }

    /// Adds the column-level findings of a table whose header row is
    /// `header_line`.
    fn classify_columns(&mut self, header_line: Option<u64>, sheet: Option<&Arc<str>>) {
        let (Some(filled), Some(columns)) = (&self.filled, &self.columns) else { return };
        let Ok(rules) = ColumnRules::builtin() else { return };
        let names: Vec<Arc<str>> =
            (0..columns.header.names.len()).filter_map(|i| columns.name(i).cloned()).collect();
        let table = classify::Table {
            path: &self.display,
            columns: &names,
            filled: &filled.0,
            header_line,
            sheet,
        };
        let found = classify::classify(&table, &self.inv.findings, rules);
        self.inv.findings.extend(found);
    }

    /// Classifies the file as a floor plan (住宅の図面) or not, from what it
    /// says and its name, and records a whole-file finding if it is one. A
    /// floor plan in the same file as an address or contact data identifies
    /// a home.
    fn floor_plan(self, w: &Worker<'_>, layers: &[String], texts: &[String], format: &str) {
        let name = self.path.file_name().map(|n| n.to_string_lossy()).unwrap_or_default();
        let Some(rules) = w.detectors.floor_plans() else { return };
        let verdict = rules.classify(layers, texts, &name);
        if !verdict.is_floor_plan {
            return;
        }
        let mut reasons = verdict.reasons;
        let mut confidence = verdict.confidence;
        let identifying = [Category::Address, Category::Phone, Category::Email, Category::Name];
        if self.inv.findings.iter().any(|f| identifying.contains(&f.category)) {
            confidence = Confidence::High;
            reasons.push(
                "identifies-home: an address or contact in the same file ties the plan to a home \
                 / 同じファイルの住所・連絡先と合わせて住宅を特定できる"
                    .to_string(),
            );
        }
        self.inv.findings.push(Finding::about_item(
            Arc::clone(&self.display),
            Category::FloorPlan,
            "floor-plan",
            None,
            confidence,
            format!("{format} 住宅の図面 / floor plan"),
            reasons,
        ));
    }
}

/// Gives the findings of one chunk of JSON, XML or an SQL dump their key
/// as `field` (and SQL dump rows their `row`). `line_starts` and `starts`:
/// where each finding's line and value start in `text`.
fn place_structured(
    syntax: &mut Syntax,
    text: &str,
    findings: &mut [Finding],
    line_starts: &[usize],
    starts: &[usize],
) {
    let mut order: Vec<usize> = (0..findings.len()).collect();
    order.sort_by_key(|&i| (line_starts[i], starts[i]));
    let stateful = syntax.stateful();
    let mut apply = |line_start: usize, line: &str, at: &[usize]| {
        let offsets: Vec<usize> = at.iter().map(|&i| starts[i] - line_start).collect();
        for (&i, place) in at.iter().zip(syntax.line(line, &offsets)) {
            let f = &mut findings[i];
            if f.field.is_none() {
                f.field = place.field.map(|k| Arc::from(k.as_str()));
            }
            f.row = place.row;
        }
    };
    let mut next = order.iter().peekable();
    let mut take = |line_start: usize| -> Vec<usize> {
        let mut at = Vec::new();
        while let Some(&&i) = next.peek() {
            if line_starts[i] != line_start {
                break;
            }
            at.push(i);
            next.next();
        }
        at
    };
    if stateful {
        // Every line, in order: statements declare what later lines mean.
        let mut line_start = 0;
        for line in text.split_inclusive('\n') {
            let at = take(line_start);
            apply(line_start, line.trim_end_matches('\n'), &at);
            line_start += line.len();
        }
    } else {
        let mut lines: Vec<usize> = order.iter().map(|&i| line_starts[i]).collect();
        lines.dedup();
        for line_start in lines {
            let line = text[line_start..].lines().next().unwrap_or("");
            let at = take(line_start);
            apply(line_start, line, &at);
        }
    }
}

/// Findings further apart than this many lines are in different records.
const MAX_GAP_LINES: u64 = 12;

/// A group of findings spanning more lines than this is a log or a listing,
/// not one person's form: each of its lines is a record.
const MAX_RECORD_LINES: u64 = 40;

/// Categories one person's record holds once per detector: a group with two
/// different kanji names (or e-mail addresses …) is a list, one record per
/// line; a kanji name and its kana reading are one person's.
const ONCE_PER_PERSON: [Category; 4] =
    [Category::Name, Category::Email, Category::BirthDate, Category::MyNumber];

/// Sets the record of each finding of one chunk (`line_starts`: where each
/// finding's line starts in `text`). A table row is a record. In other text,
/// findings on nearby lines with no blank line between them are one record
/// — a form puts name, address and phone on lines of their own — unless
/// the group spans more than 40 lines or holds two different names, e-mail
/// addresses, birth dates or My Numbers (a list), when each line is one. A
/// record is known by its first finding's line. Only the text between
/// nearby findings is searched, so a chunk costs nothing more than its
/// findings.
fn assign_records(findings: &mut [Finding], line_starts: &[usize], text: &str, delimited: bool) {
    if delimited {
        findings.iter_mut().for_each(|f| f.record = f.line);
        return;
    }
    let mut order: Vec<usize> =
        (0..findings.len()).filter(|&i| findings[i].line.is_some()).collect();
    order.sort_by_key(|&i| (findings[i].line, line_starts[i]));
    let bytes = text.as_bytes();
    let blank_between = |a: usize, b: usize| {
        let between = &bytes[a.min(b)..a.max(b)];
        memchr::memmem::find(between, b"\n\n").is_some()
            || memchr::memmem::find(between, b"\n\r\n").is_some()
    };
    let mut group: Vec<usize> = Vec::new();
    let flush = |group: &mut Vec<usize>, findings: &mut [Finding]| {
        let line = |i: usize| findings[i].line.unwrap_or_default();
        let (Some(&first), Some(&last)) = (group.first(), group.last()) else { return };
        // Per detector: a name in kanji and its kana reading (氏名, フリガナ)
        // are one person's, two names in kanji are a list.
        let mut seen: HashMap<&str, HashSet<u64>> = HashMap::new();
        for &i in group.iter() {
            if ONCE_PER_PERSON.contains(&findings[i].category) {
                seen.entry(&findings[i].detector).or_default().insert(findings[i].subject);
            }
        }
        let list = seen.values().any(|v| v.len() > 1);
        let long = line(last) - line(first) > MAX_RECORD_LINES;
        let start = line(first);
        for &i in group.iter() {
            let own = findings[i].line.unwrap_or_default();
            findings[i].record = Some(if list || long { own } else { start });
        }
        group.clear();
    };
    for &i in &order {
        if let Some(&prev) = group.last() {
            let (a, b) =
                (findings[prev].line.unwrap_or_default(), findings[i].line.unwrap_or_default());
            let joined = a == b
                || (b - a <= MAX_GAP_LINES && !blank_between(line_starts[prev], line_starts[i]));
            if !joined {
                flush(&mut group, findings);
            }
        }
        group.push(i);
    }
    flush(&mut group, findings);
}

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
        }
    }
}

/// Scans databases: every table (filtered by `opts`) of every target, in
/// parallel on `opts.connections` read-only sessions per database. A table
/// that cannot be read becomes an error entry and the others are scanned.
pub fn scan_databases(
    targets: &[crate::source::database::Target],
    opts: &DbOptions,
    detectors: &DetectorSet,
    evidence: &Evidence,
    columns: &ColumnRules,
) -> Inventory {
    use crate::source::database::connect;
    let mut inv = Inventory::default();
    for target in targets {
        let first = match connect(target) {
            Ok(s) => s,
            Err(e) => {
                inv = inv.merge(Inventory::error(target.display.clone(), e.to_string()));
                continue;
            }
        };
        let sessions = Mutex::new(vec![first]);
        let tables = match lock(&sessions)[0].tables(opts.views) {
            Ok(t) => t,
            Err(e) => {
                inv = inv.merge(Inventory::error(target.display.clone(), e.to_string()));
                continue;
            }
        };
        let wanted = |q: &str| {
            opts.include.as_ref().is_none_or(|g| g.is_match(q))
                && opts.exclude.as_ref().is_none_or(|g| !g.is_match(q))
        };
        let tables: Vec<_> = tables.into_iter().filter(|t| wanted(&t.qualified())).collect();
        let part = fold(tables, opts.connections, detectors, evidence, None, |w, table| {
            let path = format!("{}#{}", target.display, table.qualified());
            let session = lock(&sessions).pop().map_or_else(|| connect(target), Ok);
            let mut session = match session {
                Ok(s) => s,
                Err(e) => return Inventory::error(path, e.to_string()),
            };
            let part = w.scan_table(session.as_mut(), &path, &table, opts.sample_rows, columns);
            lock(&sessions).push(session);
            part
        });
        inv = inv.merge(part);
    }
    describe_rules(inv.finish(), detectors)
}

impl Worker<'_> {
    /// Scans the rows of one table as they stream in: each row a record,
    /// each value under its column name; then classifies the columns. A
    /// read that fails midway (a lost connection, a timeout) leaves an error
    /// entry beside what was read.
    fn scan_table(
        &mut self,
        session: &mut dyn crate::source::database::Session,
        path: &str,
        table: &crate::source::database::Table,
        limit: Option<u64>,
        rules: &ColumnRules,
    ) -> Inventory {
        let mut inv = Inventory::default();
        let mut filled = vec![0usize; table.columns.len()];
        let read = session.rows(table, limit, &mut |batch| {
            for (_, values) in &batch.rows {
                for (n, v) in filled.iter_mut().zip(values) {
                    *n += usize::from(v.as_deref().is_some_and(|s| !s.trim().is_empty()));
                }
            }
            inv = std::mem::take(&mut inv).merge(self.scan_rows(path, table, &batch));
            Ok(())
        });
        if let Err(e) = read {
            inv.errors.push(ItemError { path: path.to_string(), message: e.to_string() });
        }
        let path: Arc<str> = Arc::from(path);
        let columns: Vec<Arc<str>> = table.columns.iter().map(|c| Arc::from(&*c.name)).collect();
        let table = classify::Table {
            path: &path,
            columns: &columns,
            filled: &filled,
            header_line: None,
            sheet: None,
        };
        let classified = classify::classify(&table, &inv.findings, rules);
        inv.findings.extend(classified);
        inv.stats.tables += 1;
        inv.finish()
    }

    /// Scans one batch of rows.
    fn scan_rows(
        &mut self,
        path: &str,
        table: &crate::source::database::Table,
        batch: &crate::source::database::Sample,
    ) -> Inventory {
        let mut inv = Inventory::default();
        let mut text = String::new();
        for (_, values) in &batch.rows {
            for (i, v) in values.iter().enumerate() {
                if i > 0 {
                    text.push('\t');
                }
                if let Some(v) = v {
                    text.extend(
                        v.chars().map(|c| if matches!(c, '\t' | '\n' | '\r') { ' ' } else { c }),
                    );
                }
            }
            text.push('\n');
        }
        let header = Header {
            names: table.columns.iter().map(|c| c.name.clone()).collect(),
            delimiter: read::delimited::Delimiter::Byte(b'\t'),
        };
        let mut file = FileScan::new(Path::new(path), path, &mut inv);
        file.columns = Some(self.detectors.columns(header));
        file.chunk(self, Chunk { text: &text, first_line: 1, is_first: false, positions: true });
        inv.stats.bytes += text.len() as u64;
        for f in &mut inv.findings {
            let row = f.line.and_then(|l| batch.rows.get(l as usize - 1));
            f.row = row.map(|(key, _)| key.clone());
            // The record is the row's number in the table.
            f.record = f.line.map(|l| batch.first as u64 + l);
            f.line = None;
            f.column = None;
        }
        inv
    }
}

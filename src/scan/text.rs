//! Detection of one item's text: a chunk of whole lines in, its findings
//! out, each with its line, column, field and record.
//!
//! [`FileScan`] holds what one file's chunks share: the header row of a
//! table (each value's column), the syntax of JSON, XML or an SQL dump (each
//! value's key), per-column counts for classification, and whether anything
//! identifying was seen (for floor plans). Findings leave as soon as their
//! chunk is done.

use std::borrow::Cow;
use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

use rayon::iter::{IntoParallelRefIterator, ParallelIterator};

use super::emit::Out;
use super::item::Worker;
use super::lock;
use crate::classify::{self, ColumnRules, Filled, Found};
use crate::detect::floorplan::Seen;
use crate::detect::normalize::fold_cow;
use crate::detect::testdata::Verdict;
use crate::detect::{Columns, DetectorSet, Hit, Layout, Scratch};
use crate::finding::{Category, Confidence, Finding, Part, mask, subject_key};
use crate::read::cad::Problem;
use crate::read::delimited::{Header, RowFields};
use crate::read::ocr::Page;
use crate::read::{Chunk, Kind, structured::Syntax};
use crate::suppress;

/// Findings are built and sent on this many at a time (whole records, so a
/// slice may run a little over). Each pass over a slice (the column counts,
/// the filter, the inventory, the identification, the writer, the drop)
/// reads every finding of it, some 300 bytes each: 4,096 of them, over a
/// megabyte, were read from beyond the core's second-level cache at every
/// pass, and a customer table took 4% longer than with 256.
const SLICE: usize = 256;

/// What detecting one chunk found, before any finding is built: the hits
/// kept, in text order, with each value's subject key and record; how many
/// were silenced (`piimap:allow`, allowlisted values); for a chunk detected
/// on another thread, its column counts.
struct Detected {
    hits: Vec<Hit>,
    /// Per hit, its value folded ([`fold_cow`]) where folding changed it:
    /// `\u5c71\u7530` is the 山田 of another file.
    folded: Vec<Option<String>>,
    subjects: Vec<u64>,
    records: Vec<Option<u64>>,
    /// Per hit, why its value is known test data, if it is: judged here,
    /// on the detecting thread, with its regex caches.
    test_data: Vec<Option<Verdict>>,
    filled: Option<Filled>,
    suppressed: u64,
    /// Structured text: its keys as the chunk's columns.
    keys: Option<Columns>,
}

/// What detection worked out about one hit's value, for its finding.
struct Known<'a> {
    subject: u64,
    record: Option<u64>,
    /// The value folded ([`Detected::folded`]).
    folded: &'a str,
    test_data: Option<Verdict>,
    /// The column's header or the key the value stands under.
    field: Option<&'a Arc<str>>,
}

/// The state of one file while its chunks go by.
pub(super) struct FileScan<'p> {
    path: &'p Path,
    display: Arc<str>,
    pub(super) columns: Option<Columns>,
    /// Values per column of a table found by its header row (databases
    /// count their own).
    filled: Option<Filled>,
    /// Per column and category, the rows with findings.
    found: Found,
    /// JSON, XML or an SQL dump: values get their key as `field`.
    syntax: Option<Syntax>,
    /// Lines are cells and fields, not prose ([`Layout::fields`]): text
    /// from documents and sheets, and structured text.
    pub(super) fields: bool,
    /// An address, phone number, e-mail address or name was found: a floor
    /// plan in the same file identifies a home.
    identifying: bool,
    /// Keys and tags of structured text already judged by [`is_personal`].
    judged: HashMap<Arc<str>, bool>,
}

/// The most keys and tags a file remembers as judged: a file with more
/// distinct ones (keys generated per record) judges them again.
const MAX_JUDGED: usize = 4096;

impl<'p> FileScan<'p> {
    pub(super) fn new(path: &'p Path, display: &str) -> Self {
        FileScan {
            path,
            display: Arc::from(display),
            columns: None,
            filled: None,
            found: Found::default(),
            syntax: None,
            fields: false,
            identifying: false,
            judged: HashMap::new(),
        }
    }

    /// A file whose lines are cells and fields, not prose (document text,
    /// a sheet's rows): see [`Layout::fields`].
    pub(super) fn fields(path: &'p Path, display: &str) -> Self {
        FileScan { fields: true, ..FileScan::new(path, display) }
    }

    /// Detects one chunk and sends its findings on.
    pub(super) fn chunk_to(&mut self, w: &mut Worker<'_>, chunk: Chunk<'_>, out: &mut dyn Out) {
        self.chunk_with(w, chunk, out, &mut |_| {});
    }

    /// Detects one chunk and sends its findings on, each slice changed by
    /// `remap` first (a sheet's rows, a table's row keys).
    pub(super) fn chunk_with(
        &mut self,
        w: &mut Worker<'_>,
        chunk: Chunk<'_>,
        out: &mut dyn Out,
        remap: &mut dyn FnMut(&mut [Finding]),
    ) {
        let detected = self.detect(w, chunk);
        self.emit(w, chunk, detected, out, remap);
    }

    /// Counts what the file's later stages need from `findings` (column
    /// classification, floor plans) and sends them on.
    fn send(&mut self, findings: Vec<Finding>, out: &mut dyn Out) {
        let identifying = [Category::Address, Category::Phone, Category::Email, Category::Name];
        self.identifying |= findings.iter().any(|f| identifying.contains(&f.category));
        if self.columns.is_some() {
            self.found.add(&findings);
        }
        out.findings(findings);
    }

    /// Runs the detectors over one chunk: the hits kept, in text order,
    /// with each value's subject key and its record (records are decided
    /// over the whole chunk, from these alone).
    fn detect(&mut self, w: &mut Worker<'_>, chunk: Chunk<'_>) -> Detected {
        if chunk.is_first {
            self.syntax = Syntax::sniff(self.path, chunk.text);
            self.columns = match self.syntax {
                Some(_) => None,
                None => Header::sniff(self.path, chunk.text)
                    .filter(|h| !first_line_is_data(w, chunk.text, h))
                    .map(|h| w.detectors.columns(h)),
            };
            self.filled = self.columns.as_ref().map(|_| Filled::default());
        }
        let header_row = chunk.is_first && self.columns.is_some();
        let header = self.columns.as_ref().and_then(Columns::header);
        if let (Some(filled), Some(header)) = (&mut self.filled, header) {
            for line in lines(chunk.text).skip(usize::from(header_row)) {
                header.each_value(line, |i, v| filled.value(i, v));
            }
        }
        // Keys speak for their values as a header does for its column.
        let keys = self.syntax.as_mut().map(|s| w.detectors.keyed_columns(s.values(chunk.text)));
        w.hits.clear();
        let layout =
            Layout { first_is_header: header_row, fields: self.fields || self.syntax.is_some() };
        let columns = self.columns.as_ref().or(keys.as_ref());
        w.detectors.detect(chunk.text, columns, layout, &mut w.detect, &mut w.hits);
        // The hits leave with the chunk: on dense tables they are its
        // largest part, and the worker's next chunk grows its own. Growing
        // them from nothing copies a dense chunk's hits a dozen times (1%
        // of a customer table's instructions), but room reserved for as
        // many as the last chunk's raised the scan's peak memory by 3 MB
        // (9%): not worth it.
        let mut hits = std::mem::take(&mut w.hits);
        let before = hits.len();
        // Each line's allowance, worked out once: hits come line by line
        // (the Latin names of a chunk come after the rest, line by line too).
        let mut allowances =
            chunk.positions.then(|| suppress::Allowances::new(chunk.text, hits.len()));
        hits.retain(|hit| {
            let category = w.detectors.spec(hit.detector).category;
            let allowed_here =
                allowances.as_mut().is_some_and(|a| a.of(hit.line_start) & category.bit() != 0);
            !(allowed_here || w.detectors.allowed(&chunk.text[hit.start..hit.end]))
        });
        let suppressed = (before - hits.len()) as u64;
        hits.sort_by_key(|h| (h.line_start, h.start));
        // Values as folded, where that changes them: in a text that folded
        // to itself, none (a customer table's values took 1.7% of its
        // scan's instructions to find so one by one).
        let folds = !w.detectors.folded_to_itself(&w.detect);
        let folded: Vec<Option<String>> = hits
            .iter()
            .map(|h| match folds.then(|| fold_cow(&chunk.text[h.start..h.end])) {
                Some(Cow::Owned(folded)) => Some(folded),
                _ => None,
            })
            .collect();
        let (mut subjects, mut test_data) = (Vec::new(), Vec::new());
        for (h, f) in hits.iter().zip(&folded) {
            let value = &chunk.text[h.start..h.end];
            let folded = f.as_deref().unwrap_or(value);
            let category = w.detectors.spec(h.detector).category;
            subjects.push(subject_key(category, folded));
            test_data.push(w.detectors.recognise_test_data(&mut w.detect, category, value, folded));
        }
        let records = if chunk.positions && !chunk.drawing {
            let delimited = self.columns.is_some();
            records(w, &chunk, &hits, &subjects, delimited)
        } else {
            vec![None; hits.len()]
        };
        Detected { hits, folded, subjects, records, test_data, filled: None, suppressed, keys }
    }

    /// Builds the findings of a detected chunk and sends them on, a slice
    /// of whole records at a time, so a dense chunk never has all its
    /// findings built at once.
    fn emit(
        &mut self,
        w: &Worker<'_>,
        chunk: Chunk<'_>,
        detected: Detected,
        out: &mut dyn Out,
        remap: &mut dyn FnMut(&mut [Finding]),
    ) {
        let Detected { hits, folded, subjects, records, test_data, suppressed, keys, .. } =
            detected;
        out.stats().suppressed += suppressed;
        let mut columns = ColumnCursor::default();
        let mut start = 0;
        while start < hits.len() {
            let mut end = (start + SLICE).min(hits.len());
            while end < hits.len() && records[end].is_some() && records[end] == records[end - 1] {
                end += 1;
            }
            // The last slice's findings, filled in again in place (see
            // [`FileScan::fill`]): on a table, the finding at a place in
            // this slice mostly stands in the same column as the one that
            // stood there in the last.
            let mut findings = out.spare();
            findings.truncate(end - start);
            // Keys speak for their values as a header does for its column.
            let names = self.columns.as_ref().or(keys.as_ref());
            for (k, i) in (start..end).enumerate() {
                let hit = &hits[i];
                let column = chunk.positions.then(|| {
                    let offset = if hit.line == 0 { chunk.column_offset } else { 0 };
                    offset + columns.chars_before(chunk.text, hit.line_start, hit.start) + 1
                });
                let value = &chunk.text[hit.start..hit.end];
                let folded = folded[i].as_deref().unwrap_or(value);
                let known = Known {
                    subject: subjects[i],
                    record: records[i],
                    folded,
                    test_data: test_data[i],
                    field: hit.field.and_then(|f| names.and_then(|c| c.name(f))),
                };
                if k == findings.len() {
                    let spec = w.detectors.spec(hit.detector);
                    let detector = Arc::clone(w.detectors.id(hit.detector));
                    findings.push(Finding::empty(
                        Arc::clone(&self.display),
                        spec.category,
                        detector,
                    ));
                }
                let f = &mut findings[k];
                self.fill(w, &chunk, hit, column, known, f);
                if let Some(keys) = &keys {
                    f.row = keys.values().and_then(|v| {
                        v.at(hit.line, hit.start - hit.line_start).and_then(|at| v.row(at))
                    });
                }
            }
            if keys.is_some() {
                self.drop_personal_keys(w, &mut findings);
            }
            remap(&mut findings);
            self.send(findings, out);
            start = end;
        }
    }

    /// Takes the field off findings whose key or tag is itself personal
    /// data (`<鈴木花子様>090-…</鈴木花子様>`, an e-mail as a JSON key): such a
    /// name is no field name, and the report would print it raw. Done
    /// with `--show-values` too: the key is a finding of its own, with its
    /// value, and a data-subject search (which reads with values on) must
    /// not print it as a place.
    fn drop_personal_keys(&mut self, w: &Worker<'_>, findings: &mut [Finding]) {
        for f in findings {
            let Some(key) = f.field.clone() else { continue };
            let personal = match self.judged.get(&key) {
                Some(&personal) => personal,
                None => {
                    // The worker's own scratch is lent out while chunks are
                    // emitted: a spare one judges the key.
                    let spare = lock(&w.spare.scratch).pop();
                    let mut scratch = spare.unwrap_or_else(|| w.detectors.scratch());
                    let personal = is_personal(w.detectors, &mut scratch, &key);
                    lock(&w.spare.scratch).push(scratch);
                    if self.judged.len() >= MAX_JUDGED {
                        self.judged.clear();
                    }
                    self.judged.insert(key, personal);
                    personal
                }
            };
            if personal {
                f.field = None;
            }
        }
    }

    /// Makes `f`, a finding sent before and done with, the finding of one
    /// hit, every field written again. Its path, detector and field stay
    /// where they are the very same ones: a new finding took clones of
    /// them, and the old one's drop gave them back, each an atomic count
    /// shared between threads of some 7 ns that counting instructions
    /// does not show; and a finding built anew was copied, 300 bytes, into
    /// its batch. Filled in place, a customer table's scan ran 1.7% fewer
    /// instructions and took about 4% less time.
    fn fill(
        &self,
        w: &Worker<'_>,
        chunk: &Chunk<'_>,
        hit: &Hit,
        column_at: Option<u64>,
        known: Known<'_>,
        f: &mut Finding,
    ) {
        let spec = w.detectors.spec(hit.detector);
        let value = &chunk.text[hit.start..hit.end];
        let reason = known.test_data.map(|v| w.detectors.test_data().reason(v));
        // Every field by name, so that a field added to `Finding` is not
        // left as the last finding had it.
        let Finding {
            path,
            line,
            column,
            category,
            detector,
            field,
            confidence,
            masked,
            value: raw,
            reasons,
            test_data,
            commit,
            fingerprint,
            record,
            identifiability,
            subject,
            row,
            sheet,
            part,
            bbox,
        } = f;
        keep_or_clone(path, &self.display);
        *line = chunk.positions.then(|| chunk.first_line + hit.line as u64);
        *column = column_at;
        *category = spec.category;
        keep_or_clone(detector, w.detectors.id(hit.detector));
        match (field.as_mut(), known.field) {
            (Some(field), Some(named)) => keep_or_clone(field, named),
            (_, named) => *field = named.cloned(),
        }
        *confidence = if reason.is_some() { Confidence::Low } else { hit.confidence };
        *masked = mask(spec.category, known.folded);
        *raw = w.evidence.show_values.then(|| value.to_string());
        *reasons = reason.map(|why| vec![why.to_string()]).unwrap_or_default();
        *test_data = reason.is_some();
        *commit = None;
        *fingerprint = w
            .evidence
            .key
            .as_ref()
            .map(|k| k.fingerprint(spec.category, value))
            .unwrap_or_default();
        *record = known.record;
        *identifiability = None;
        *subject = known.subject;
        *row = None;
        *sheet = None;
        *part = None;
        *bbox = chunk.layout.and_then(|l| l.bbox(hit.start, hit.end));
    }

    /// Ends a file read as text (or a drawing, or an image).
    pub(super) fn finish(self, w: &Worker<'_>, kind: Kind, size: u64, out: &mut dyn Out) {
        match kind {
            Kind::Text(_) | Kind::Email => {
                out.stats().read(size);
                out.findings(self.classify_columns(Some(1), None));
            }
            Kind::Cad(drawing) => {
                out.stats().read(size);
                match &drawing.problem {
                    Some(Problem::Error(e)) => out.error(self.display.to_string(), e.clone()),
                    Some(Problem::Skipped(why)) => {
                        out.skipped(self.display.to_string(), why.clone());
                    }
                    None => {}
                }
                let seen =
                    Seen { layers: &drawing.layers, texts: &drawing.texts, model: &drawing.model };
                self.floor_plan(w, seen, drawing.kind.name(), out);
            }
            // In memory (an archive's member), a database or a document no
            // reader handles is counted as binary.
            Kind::Binary | Kind::Database | Kind::Container => out.stats().binary += 1,
        }
    }

    /// Scans one part of a document — its whole text, a page or a slide —
    /// whose lines are numbered from 1; its findings carry the part.
    pub(super) fn part(
        &mut self,
        w: &mut Worker<'_>,
        part: Option<Part>,
        text: &str,
        out: &mut dyn Out,
    ) {
        self.chunk_with(w, Chunk::text(text), out, &mut |findings| {
            findings.iter_mut().for_each(|f| f.part = part);
        });
    }

    /// Scans one page read by OCR: findings carry the page and their box
    /// on it.
    pub(super) fn ocr_page(&mut self, w: &mut Worker<'_>, page: &Page, out: &mut dyn Out) {
        let chunk = Chunk { layout: Some(&page.layout), ..Chunk::text(&page.text) };
        self.chunk_with(w, chunk, out, &mut |findings| {
            findings.iter_mut().for_each(|f| f.part = Some(Part::Page(page.number)));
        });
    }

    /// Whether chunks after the first may be detected apart: not when a
    /// chunk's meaning depends on the one before (SQL dump statements).
    pub(super) fn splittable(&self) -> bool {
        self.syntax.as_ref().is_none_or(|s| !s.stateful())
    }

    /// Detects the chunks of `batch` (text, first line, column offset) in
    /// parallel, each with a spare scratch of the scan's, then sends their
    /// findings and column counts on in order.
    pub(super) fn chunks_in_parallel(
        &mut self,
        w: &mut Worker<'_>,
        batch: &[(String, u64, u64)],
        out: &mut dyn Out,
    ) {
        fn chunk((text, first_line, column_offset): &(String, u64, u64)) -> Chunk<'_> {
            Chunk { first_line: *first_line, column_offset: *column_offset, ..Chunk::text(text) }
        }
        if batch.len() <= 1 {
            for item in batch {
                self.chunk_to(w, chunk(item), out);
            }
            return;
        }
        let (detectors, evidence, ocr, spare) = (w.detectors, w.evidence, w.ocr, w.spare);
        // The worker's own scratch joins the spares while the chunks run (an
        // empty one stands in), and it takes one back after: there are never
        // more scratches than threads, and each warms its lazy DFAs' caches
        // once. Kept apart, two threads warmed four: a third more work on
        // logs.
        lock(&spare.scratch).push(std::mem::replace(&mut w.detect, detectors.scratch()));
        let this = &*self;
        let parts: Vec<Detected> = batch
            .par_iter()
            .map(|item| {
                let scratch = lock(&spare.scratch).pop().unwrap_or_else(|| detectors.scratch());
                let mut helper = Worker::with(detectors, evidence, ocr, spare, scratch);
                let mut part = this.split();
                let detected = part.detect(&mut helper, chunk(item));
                lock(&spare.scratch).push(helper.detect);
                Detected { filled: part.filled.take(), ..detected }
            })
            .collect();
        if let Some(warm) = lock(&spare.scratch).pop() {
            w.detect = warm;
        }
        for (item, mut detected) in batch.iter().zip(parts) {
            if let (Some(all), Some(part)) = (&mut self.filled, detected.filled.take()) {
                all.add(&part);
            }
            self.emit(w, chunk(item), detected, out, &mut |_| {});
        }
    }

    /// A scan of later chunks of the same file: the same header, syntax and
    /// layout, counts from zero.
    fn split(&self) -> FileScan<'p> {
        FileScan {
            path: self.path,
            display: Arc::clone(&self.display),
            columns: self.columns.clone(),
            filled: self.filled.as_ref().map(|_| Filled::default()),
            found: Found::default(),
            syntax: self.syntax.as_ref().map(Syntax::fresh),
            fields: self.fields,
            identifying: false,
            judged: HashMap::new(),
        }
    }

    /// The column-level findings of a table whose header row is
    /// `header_line`, from the counts of its values and findings so far.
    pub(super) fn classify_columns(
        &self,
        header_line: Option<u64>,
        sheet: Option<&Arc<str>>,
    ) -> Vec<Finding> {
        let (Some(filled), Some(columns)) = (&self.filled, &self.columns) else { return vec![] };
        let names: Vec<Arc<str>> = (0..).map_while(|i| columns.name(i).cloned()).collect();
        self.classify(&names, &filled.0, header_line, sheet)
    }

    /// The column-level findings of a table with `columns` holding
    /// `filled` values each.
    pub(super) fn classify(
        &self,
        columns: &[Arc<str>],
        filled: &[usize],
        header_line: Option<u64>,
        sheet: Option<&Arc<str>>,
    ) -> Vec<Finding> {
        let Ok(rules) = ColumnRules::builtin() else { return vec![] };
        let table = classify::Table { path: &self.display, columns, filled, header_line, sheet };
        classify::classify(&table, &self.found, rules)
    }

    /// Classifies the file as a floor plan (住宅の図面) or not, from what it
    /// says and its name, and sends a whole-file finding if it is one. A
    /// floor plan in the same file as an address or contact data identifies
    /// a home.
    pub(super) fn floor_plan(
        &self,
        w: &Worker<'_>,
        seen: Seen<'_>,
        format: &str,
        out: &mut dyn Out,
    ) {
        let name = self.path.file_name().map(|n| n.to_string_lossy()).unwrap_or_default();
        let Some(rules) = w.detectors.floor_plans() else { return };
        let verdict = rules.classify(seen, &name);
        if !verdict.is_floor_plan {
            return;
        }
        let mut reasons = verdict.reasons;
        let mut confidence = verdict.confidence;
        if self.identifying {
            confidence = Confidence::High;
            reasons.push(
                "identifies-home: an address or contact in the same file ties the plan to a home \
                 / 同じファイルの住所・連絡先と合わせて住宅を特定できる"
                    .to_string(),
            );
        }
        out.findings(vec![Finding::about_item(
            Arc::clone(&self.display),
            Category::FloorPlan,
            "floor-plan",
            None,
            confidence,
            format!("{format} 住宅の図面 / floor plan"),
            reasons,
        )]);
    }
}

/// Makes `held` `want`, unless it is that very one already (see
/// [`FileScan::fill`]).
fn keep_or_clone(held: &mut Arc<str>, want: &Arc<str>) {
    if !Arc::ptr_eq(held, want) {
        *held = Arc::clone(want);
    }
}

/// Appends one cell of a table row (a sheet's, a database's) to the text it
/// is scanned as, a row a line and cells apart by tabs: tabs and line
/// breaks in the cell become spaces, so each line stays one row.
pub(super) fn push_cell(text: &mut String, cell: &str) {
    text.extend(cell.chars().map(|c| if matches!(c, '\t' | '\n' | '\r') { ' ' } else { c }));
}

/// A sheet's rows as text, one line a row, cells apart by `separator`
/// (see [`push_cell`]).
pub(super) fn rows_as_lines(rows: &[(u32, Vec<String>)], separator: char) -> String {
    let mut text = String::new();
    for (_, cells) in rows {
        for (i, cell) in cells.iter().enumerate() {
            if i > 0 {
                text.push(separator);
            }
            push_cell(&mut text, cell);
        }
        text.push('\n');
    }
    text
}

/// Whether a name a report would print as a place — a sheet's, a key's, a
/// tag's — is itself personal data, by the detectors' medium or high hits.
pub(super) fn is_personal(detectors: &DetectorSet, scratch: &mut Scratch, name: &str) -> bool {
    let mut hits = Vec::new();
    let layout = Layout { first_is_header: false, fields: true };
    detectors.detect(name, None, layout, scratch, &mut hits);
    hits.iter().any(|h| h.confidence >= Confidence::Medium)
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

/// `text`'s lines as [`str::lines`] cuts them (a `\r` before a line break
/// dropped, no empty line after a last line break), their breaks found with
/// the `memchr` crate's search: `str::lines` searches with the standard
/// library's portable one, and counting a customer table's filled cells
/// took 274 instructions a row to find its end.
fn lines(text: &str) -> impl Iterator<Item = &str> {
    let mut start = 0;
    memchr::memchr_iter(b'\n', text.as_bytes()).chain([text.len()]).filter_map(move |end| {
        let line = (start < text.len()).then(|| &text[start..end]);
        start = end + 1;
        match line {
            Some(line) if end < text.len() => Some(line.strip_suffix('\r').unwrap_or(line)),
            line => line,
        }
    })
}

/// The record of each hit of one chunk (`hits` in text order, `subjects`
/// their values' keys). A table row is a record. In other text, findings on
/// nearby lines with no blank line between them are one record — a form
/// puts name, address and phone on lines of their own — unless the group
/// spans more than 40 lines or holds two different names, e-mail
/// addresses, birth dates or My Numbers (a list), when each line is one. A
/// record is known by its first finding's line. Only the text between
/// nearby findings is searched, so a chunk costs nothing more than its
/// findings.
fn records(
    w: &Worker<'_>,
    chunk: &Chunk<'_>,
    hits: &[Hit],
    subjects: &[u64],
    delimited: bool,
) -> Vec<Option<u64>> {
    let line = |i: usize| chunk.first_line + hits[i].line as u64;
    let mut records: Vec<Option<u64>> = (0..hits.len()).map(|i| Some(line(i))).collect();
    if delimited {
        return records;
    }
    let bytes = chunk.text.as_bytes();
    // Built once: `memmem::find` builds its searcher at every call (with
    // a hash map per group, 1.1% of the instructions of a scan of prose).
    static BLANK: std::sync::LazyLock<[memchr::memmem::Finder<'static>; 2]> =
        std::sync::LazyLock::new(|| ["\n\n", "\n\r\n"].map(memchr::memmem::Finder::new));
    let blank_between = |a: usize, b: usize| {
        let between = &bytes[a.min(b)..a.max(b)];
        BLANK.iter().any(|blank| blank.find(between).is_some())
    };
    // A group's (detector, value key) pairs, kept from group to group.
    let mut seen: Vec<(usize, u64)> = Vec::new();
    let mut flush = |group: std::ops::Range<usize>, records: &mut [Option<u64>]| {
        if group.is_empty() {
            return;
        }
        // Per detector: a name in kanji and its kana reading (氏名, フリガナ)
        // are one person's, two names in kanji are a list: some detector
        // with two values in the group.
        seen.clear();
        seen.extend(
            group
                .clone()
                .map(|i| (hits[i].detector, subjects[i]))
                .filter(|&(d, _)| ONCE_PER_PERSON.contains(&w.detectors.spec(d).category)),
        );
        seen.sort_unstable();
        seen.dedup();
        let list = seen.windows(2).any(|pair| pair[0].0 == pair[1].0);
        let long = line(group.end - 1) - line(group.start) > MAX_RECORD_LINES;
        if !(list || long) {
            let first = line(group.start);
            records[group].iter_mut().for_each(|r| *r = Some(first));
        }
    };
    let mut group = 0..0;
    for i in 0..hits.len() {
        if i > 0 {
            let (a, b) = (line(i - 1), line(i));
            let joined = a == b
                || (b - a <= MAX_GAP_LINES
                    && !blank_between(hits[i - 1].line_start, hits[i].line_start));
            if !joined {
                flush(group.clone(), &mut records);
                group = i..i;
            }
        }
        group.end = i + 1;
    }
    flush(group, &mut records);
    records
}

/// Whether the first line of `text`, sniffed as the `header` row, holds
/// personal data that a detector finds on its own: such a line is a record,
/// not a header row, however much its fields look like names (`山田 太郎様,
/// 女性,会社員`) — taken for a header, its raw values would name every
/// column's findings. A field that names a column (`電話番号`) is a label
/// whatever a detector makes of it.
fn first_line_is_data(w: &mut Worker<'_>, text: &str, header: &Header) -> bool {
    let first = text.split('\n').next().unwrap_or("");
    let mut hits: Vec<Hit> = Vec::new();
    let cells = Layout { first_is_header: false, fields: true };
    w.detectors.detect(first, None, cells, &mut w.detect, &mut hits);
    let mut starts = Vec::new();
    let row = RowFields::new(header, first, &mut starts);
    let label = |h: &Hit| {
        let name = header.names.get(row.field_at(h.start));
        name.is_some_and(|n| ColumnRules::builtin().is_ok_and(|r| r.names_any(n)))
    };
    hits.iter().any(|h| h.confidence >= Confidence::Medium && !label(h))
}

/// The columns of a chunk's hits, which come in text order: the characters
/// before a hit are counted on from the previous hit of its line, not from
/// the line's start again (one minified JSON line can hold a hundred
/// thousand values; counting from the start each time was quadratic).
#[derive(Default)]
struct ColumnCursor {
    line_start: usize,
    at: usize,
    chars: u64,
}

impl ColumnCursor {
    /// The characters of `text` from `line_start` to byte `at`.
    fn chars_before(&mut self, text: &str, line_start: usize, at: usize) -> u64 {
        if line_start != self.line_start || at < self.at {
            *self = ColumnCursor { line_start, at: line_start, chars: 0 };
        }
        self.chars += text[self.at..at].chars().count() as u64;
        self.at = at;
        self.chars
    }
}

#[cfg(test)]
mod tests {
    use super::{ColumnCursor, lines};

    #[test]
    fn lines_are_cut_as_str_lines_cuts_them() {
        let pieces = ["a", "\n", "\r", "\r\n", "é", " "];
        let strings = crate::detect::strings_of(&pieces, 5);
        for text in &strings {
            assert!(lines(text).eq(text.lines()), "{text:?}");
        }
        assert_eq!(strings.len(), 9_331);
    }

    #[test]
    fn columns_count_on_within_a_line_and_start_again_on_the_next() {
        let text = "氏名 a@b.jp c@d.jp\nxx e@f.jp";
        let mut c = ColumnCursor::default();
        let at = |s: &str| text.find(s).unwrap();
        assert_eq!(c.chars_before(text, 0, at("a@")), 3);
        assert_eq!(c.chars_before(text, 0, at("c@")), 10);
        // A hit before the last one of the same line is counted afresh.
        assert_eq!(c.chars_before(text, 0, at("a@")), 3);
        let second = at("xx");
        assert_eq!(c.chars_before(text, second, at("e@")), 3);
    }
}

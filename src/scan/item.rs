//! One item, read and dispatched by what its bytes are: text (in chunks,
//! detected in parallel for large files), workbooks, office documents,
//! PDFs, archives (each member an item of its own) and SQLite files found
//! on a share. Each reader's findings go to the item's [`Out`] as they are
//! made; nothing here keeps them.

use std::path::Path;
use std::sync::Arc;
use std::time::Instant;

use super::emit::Out;
use super::text::FileScan;
use super::{DbOptions, Evidence};
use crate::classify::ColumnRules;
use crate::detect::floorplan::Seen;
use crate::detect::{DetectorSet, Hit, Scratch};
use crate::finding::Part;
use crate::read::ocr::{self, Options as OcrOptions};
use crate::read::{self, Chunk, Kind, ReadScratch};
use crate::source::Entry;

/// Archive members larger than this are skipped (with the reason).
const ARCHIVE_MEMBER_MAX: u64 = 256 << 20;

/// Attachments are read down to this many levels of `!` (a message
/// forwarded in a message forwarded in a message …).
const ATTACHMENT_DEPTH: usize = 3;

/// One worker thread's state: its read and detect buffers, reused from item
/// to item so the hot path allocates nothing per line.
pub(crate) struct Worker<'a> {
    pub(super) detectors: &'a DetectorSet,
    pub(super) evidence: &'a Evidence,
    /// When and how images and text-less pages are read.
    pub(super) ocr: &'a OcrOptions,
    read: ReadScratch,
    batch: Batch,
    pub(super) detect: Scratch,
    pub(super) hits: Vec<Hit>,
    /// Detect scratch (regex caches, warm) shared by the scan's workers for
    /// a large file's chunks detected in parallel.
    pub(super) spare: &'a Spare,
}

/// A large file's chunks waiting to be detected side by side: copies, as a
/// chunk's text lives in the reader's buffer only until the next is read.
/// Their strings are kept for the next chunks: a fresh copy of each (a
/// megabyte) came in pages never touched before. A batch holds as many
/// chunks as the pool has threads, and so do the spares: the copies a
/// batch made while it ran, kept.
#[derive(Default)]
struct Batch {
    /// Each chunk's text, first line and column offset.
    chunks: Vec<(String, u64, u64)>,
    spare: Vec<String>,
}

impl Batch {
    /// Adds a copy of `chunk`; returns how many wait.
    fn add(&mut self, chunk: &Chunk<'_>) -> usize {
        let mut text = self.spare.pop().unwrap_or_default();
        text.clear();
        text.push_str(chunk.text);
        self.chunks.push((text, chunk.first_line, chunk.column_offset));
        self.chunks.len()
    }

    /// Detects the waiting chunks, as `file`'s ([`FileScan::chunks_in_parallel`]).
    fn detect(&mut self, file: &mut FileScan<'_>, w: &mut Worker<'_>, out: &mut dyn Out) {
        file.chunks_in_parallel(w, &self.chunks, out);
        self.spare.extend(self.chunks.drain(..).map(|(text, ..)| text));
    }
}

/// What a scan's workers share for a large file's chunks detected side by
/// side.
#[derive(Default)]
pub(crate) struct Spare {
    /// Spare detect scratch: a chunk detected on another thread takes one
    /// while it runs and gives it back, so there are never more than threads
    /// running at once, and their regex caches stay warm from chunk to
    /// chunk.
    pub(super) scratch: std::sync::Mutex<Vec<Scratch>>,
    /// The workers that have no item left: idle on the pool, they take
    /// the chunks another worker's batch puts up. Until one is, a batch
    /// runs on its own worker alone, its chunks copied for nothing: on 64
    /// MB of logs on two threads, batching every large file's chunks took
    /// 6% more time, and on 64 MB of the customer table its helpers' extra
    /// scratch raised the peak memory from 52 to 64 MB.
    idle: std::sync::atomic::AtomicUsize,
}

impl Spare {
    /// Whether a worker has no item left to scan.
    fn any_idle(&self) -> bool {
        self.idle.load(std::sync::atomic::Ordering::Relaxed) > 0
    }

    /// Counts a worker whose items are done, and keeps its scratch, warm,
    /// for the chunks it will take.
    pub(super) fn worker_done(&self, scratch: Scratch) {
        super::lock(&self.scratch).push(scratch);
        self.idle.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    }
}

impl<'a> Worker<'a> {
    pub(crate) fn new(
        detectors: &'a DetectorSet,
        evidence: &'a Evidence,
        ocr: &'a OcrOptions,
        spare: &'a Spare,
    ) -> Worker<'a> {
        Worker::with(detectors, evidence, ocr, spare, detectors.scratch())
    }

    /// A worker detecting with `detect` (from the spares).
    pub(super) fn with(
        detectors: &'a DetectorSet,
        evidence: &'a Evidence,
        ocr: &'a OcrOptions,
        spare: &'a Spare,
        detect: Scratch,
    ) -> Worker<'a> {
        Worker {
            detectors,
            evidence,
            ocr,
            read: ReadScratch::default(),
            batch: Batch::default(),
            detect,
            hits: Vec::new(),
            spare,
        }
    }

    /// Scans one entry of a walk.
    pub(super) fn process(&mut self, entry: Entry, databases: &DbOptions, out: &mut dyn Out) {
        match entry {
            Entry::File { path, display, size, meta, .. } => {
                out.meta(&display, meta);
                self.scan_file(&path, &display, size, databases, out);
            }
            Entry::Skipped { display, reason } => out.skipped(display, reason),
            Entry::Error { display, message } => out.error(display, message),
        }
    }

    /// Scans in-memory content named `name` (an archive member, a git blob).
    pub(super) fn scan_bytes(&mut self, name: &str, bytes: &[u8], out: &mut dyn Out) {
        let mut decoded = String::new();
        let mut file = FileScan::new(Path::new(name), name);
        let kind = read::decode(bytes, &mut decoded, &mut |chunk| file.chunk_to(self, chunk, out));
        if kind == Kind::Container {
            return self.scan_document(name, bytes, out);
        }
        let email = kind == Kind::Email;
        file.finish(self, kind, bytes.len() as u64, out);
        if email {
            self.scan_attachments(name, bytes, out);
        }
    }

    /// Scans an e-mail's attachments as members of it (`mail.eml!見積書.xlsx`),
    /// each by its content like an archive's member: the customer lists that
    /// travel by mail are in them. Forwarded messages nest; past
    /// [`ATTACHMENT_DEPTH`] they are listed as skipped.
    fn scan_attachments(&mut self, display: &str, bytes: &[u8], out: &mut dyn Out) {
        let depth = display.matches('!').count();
        read::email::attachments(bytes, &mut |name, content| {
            let member = format!("{display}!{name}");
            if depth >= ATTACHMENT_DEPTH {
                let reason = format!("attached deeper than {ATTACHMENT_DEPTH} levels: not read");
                return out.skipped(member, reason);
            }
            self.scan_member(&member, content, out);
        });
    }

    /// Scans a member of an archive or a message; one that crashes a reader
    /// is an error entry, and the other members are still read.
    fn scan_member(&mut self, display: &str, bytes: &[u8], out: &mut dyn Out) {
        let scanned = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            self.scan_bytes(display, bytes, out)
        }));
        if scanned.is_err() {
            out.error(display.to_string(), super::CRASHED.into());
        }
    }

    fn scan_file(
        &mut self,
        path: &Path,
        display: &str,
        size: u64,
        databases: &DbOptions,
        out: &mut dyn Out,
    ) {
        let mut read = std::mem::take(&mut self.read);
        let mut file = FileScan::new(path, display);
        // A large file's chunks after the first (which sets the header and
        // syntax) are detected a batch at a time on the pool's threads once
        // a thread is idle ([`Spare::idle`]: never on one thread, whose
        // worker is done only when the scan is); till then each as it
        // comes, without a copy.
        let mut batch = std::mem::take(&mut self.batch);
        let threads = rayon::current_num_threads();
        let result = read::read_file(path, &mut read, &mut |chunk| {
            if chunk.is_first || !file.splittable() || !self.spare.any_idle() {
                file.chunk_to(self, chunk, out);
            } else if batch.add(&chunk) >= threads {
                batch.detect(&mut file, self, out);
            }
        });
        batch.detect(&mut file, self, out);
        self.batch = batch;
        match result {
            Ok(Kind::Database) => {
                let target = crate::source::database::Target::sqlite_file(
                    path.to_path_buf(),
                    display.to_string(),
                );
                self.scan_sqlite(&target, databases, out);
                out.stats().files += 1;
            }
            // Both were read whole to be recognised: not read again.
            Ok(Kind::Container) => self.scan_document(display, read.whole(), out),
            Ok(Kind::Email) => {
                file.finish(self, Kind::Email, size, out);
                self.scan_attachments(display, read.whole(), out);
            }
            Ok(kind) => file.finish(self, kind, size, out),
            // What was read before the error stays reported.
            Err(e) => out.error(display.to_string(), e.to_string()),
        }
        self.read = read;
    }

    /// Scans in-memory content by what [`read::container`] says it is.
    fn scan_document(&mut self, display: &str, bytes: &[u8], out: &mut dyn Out) {
        use read::Container;
        match read::container(bytes) {
            Container::Workbook => self.scan_workbook(display, bytes, out),
            Container::Office(format) => self.scan_office(display, bytes, format, out),
            Container::Pdf => self.scan_pdf(display, bytes, out),
            Container::Image(format) => self.scan_image(display, bytes, format, out),
            Container::Archive => {
                self.scan_archive(display, bytes, out);
                out.stats().files += 1;
            }
            Container::Other => out.stats().binary += 1,
        }
    }

    /// Scans a Word/PowerPoint/OpenDocument file's text, a paragraph a line
    /// (numbered per slide in presentations).
    fn scan_office(
        &mut self,
        display: &str,
        bytes: &[u8],
        format: read::office::Format,
        out: &mut dyn Out,
    ) {
        let parts = match read::office::extract(bytes, format) {
            Ok(p) => p,
            Err(e) => return out.error(display.to_string(), format!("{}: {e}", format.name())),
        };
        let mut file = FileScan::fields(Path::new(display), display);
        for part in &parts {
            file.part(self, part.slide.map(Part::Slide), &part.text, out);
        }
        out.stats().read(bytes.len() as u64);
    }

    /// Scans a PDF's text layer page by page (lines numbered per page), and
    /// by OCR its pages without one (with `--ocr always`, every page);
    /// pages OCR cannot read are listed as skipped with the reason,
    /// unreadable pages as errors. Its text and name also decide whether
    /// it is a floor plan.
    fn scan_pdf(&mut self, display: &str, bytes: &[u8], out: &mut dyn Out) {
        let pdf = match read::pdf::extract(bytes) {
            Ok(p) => p,
            Err(e) => return out.error(display.to_string(), e),
        };
        let mut file = FileScan::fields(Path::new(display), display);
        for (page, text) in &pdf.pages {
            file.part(self, Some(Part::Page(*page)), text, out);
        }
        let mut texts: Vec<String> =
            pdf.pages.iter().flat_map(|(_, t)| t.lines().map(str::to_string)).collect();
        let mut pictures = pdf.image_only.clone();
        if self.ocr.mode == ocr::Mode::Always {
            pictures.extend(pdf.pages.iter().map(|(n, _)| *n));
            pictures.sort_unstable();
        }
        let not_read = match self.ocr.mode {
            _ if pictures.is_empty() => None,
            ocr::Mode::Never => Some("not read (--ocr never)".to_string()),
            _ if !ocr::renders_pdf() => Some(
                "not read: pdftoppm (poppler-utils), which renders pages for OCR, is not \
                 installed / OCR 不可"
                    .to_string(),
            ),
            _ => ocr::unavailable(self.ocr),
        };
        // Pages OCR leaves unread, and why.
        let mut unread = Vec::new();
        match not_read {
            Some(why) => unread.push((pictures, why)),
            None => {
                let over = pictures.split_off(pictures.len().min(self.ocr.max_pages as usize));
                for number in pictures {
                    let started = Instant::now();
                    match ocr::pdf_page(bytes, number, self.ocr) {
                        Ok(page) => {
                            out.stats().ocr(1, started.elapsed());
                            file.ocr_page(self, &page, out);
                            let read = page.text.lines().chain(page.other.lines());
                            texts.extend(read.map(str::to_string));
                        }
                        Err(e) => {
                            out.error(display.to_string(), format!("page {number}: OCR: {e}"))
                        }
                    }
                }
                if !over.is_empty() {
                    let limit = self.ocr.max_pages;
                    unread.push((
                        over,
                        format!("past the OCR limit of {limit} pages a file: not read"),
                    ));
                }
            }
        }
        file.floor_plan(self, Seen { texts: &texts, ..Seen::default() }, "PDF", out);
        for (page, message) in pdf.errors {
            out.error(display.to_string(), format!("page {page}: cannot read its text: {message}"));
        }
        for (pages, why) in unread {
            // With --ocr always, pages with a text layer may be among them.
            let images = pages.iter().all(|p| pdf.image_only.contains(p));
            let pages: Vec<String> = pages.iter().map(u32::to_string).collect();
            let reason = if images {
                format!(
                    "page {}: no text layer (an image, e.g. a scan): {why} / 画像のみのページ",
                    pages.join(", ")
                )
            } else {
                format!("page {}: OCR {why}", pages.join(", "))
            };
            out.skipped(display.to_string(), reason);
        }
        out.stats().read(bytes.len() as u64);
    }

    /// Scans an image's text read by OCR (a page each of a TIFF's pages,
    /// findings with their box on the page), and judges from its words and
    /// its name whether it is a floor plan. An image OCR does not read
    /// (`--ocr never`, no Tesseract, past a limit, a format without a
    /// decoder) is listed as skipped with the reason, and judged by its
    /// name alone; an icon is not read at all.
    fn scan_image(
        &mut self,
        display: &str,
        bytes: &[u8],
        format: read::ImageFormat,
        out: &mut dyn Out,
    ) {
        let mut file = FileScan::fields(Path::new(display), display);
        let admitted = ocr::admit(bytes, self.ocr);
        let icon = matches!(format, read::ImageFormat::Readable) && admitted == Ok(false);
        let not_read = match format {
            read::ImageFormat::Undecodable(name) => Some(format!(
                "{name} image: no decoder at hand: not read, judged by its name only / 未対応の画像形式"
            )),
            read::ImageFormat::Readable if icon => None,
            read::ImageFormat::Readable if self.ocr.mode == ocr::Mode::Never => {
                Some("image: not read (--ocr never) / 画像は読まない設定".to_string())
            }
            read::ImageFormat::Readable => {
                ocr::unavailable(self.ocr).map(|why| format!("image: {why}")).or(admitted.err())
            }
        };
        if not_read.is_some() || icon {
            out.stats().binary += 1;
            file.floor_plan(self, Seen::default(), "image", out);
            if let Some(reason) = not_read {
                out.skipped(display.to_string(), reason);
            }
            return;
        }
        let started = Instant::now();
        let (pages, more) = match ocr::image(bytes, self.ocr) {
            Ok(read) => read,
            Err(e) => {
                file.floor_plan(self, Seen::default(), "image", out);
                return out.error(display.to_string(), format!("OCR: {e}"));
            }
        };
        out.stats().ocr(pages.len() as u64, started.elapsed());
        for page in &pages {
            file.ocr_page(self, page, out);
        }
        let texts: Vec<String> = pages
            .iter()
            .flat_map(|p| p.text.lines().chain(p.other.lines()).map(str::to_string))
            .collect();
        file.floor_plan(self, Seen { texts: &texts, ..Seen::default() }, "image", out);
        if more {
            let reason = format!(
                "pages past {}: past the OCR limit of {} pages a file: not read",
                pages.len(),
                self.ocr.max_pages
            );
            out.skipped(display.to_string(), reason);
        }
        out.stats().read(bytes.len() as u64);
    }

    /// A sheet's name as its findings carry it: its number (`#2`) when the
    /// name is itself personal data — a workbook with a sheet per customer,
    /// named after them. Values shown or not (a data-subject search reads
    /// with values on), a place is never printed as personal data.
    fn sheet_name(&mut self, sheet: &read::spreadsheet::Sheet) -> String {
        if super::text::is_personal(self.detectors, &mut self.detect, &sheet.name) {
            format!("#{}", sheet.number)
        } else {
            sheet.name.clone()
        }
    }

    /// Scans every sheet of a workbook as a table: the first row with two
    /// or more values is the header candidate (title rows above it are read
    /// as plain text), each row is a record, findings carry the sheet, the
    /// row as `line` and the column number, and the columns are classified.
    fn scan_workbook(&mut self, display: &str, bytes: &[u8], out: &mut dyn Out) {
        let sheets = match read::spreadsheet::read(bytes) {
            Ok(s) => s,
            Err(e) => return out.error(display.to_string(), e),
        };
        for sheet in &sheets {
            let name: Arc<str> = Arc::from(self.sheet_name(sheet).as_str());
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
            self.scan_rows_as_text(display, titles, sheet, &name, out);
            let text = super::text::rows_as_lines(table, '\t');
            // A `.tsv` name lets the table's header row be recognised; a
            // form's rows are label and value: no header is looked for.
            let mut file = FileScan::fields(Path::new("sheet.tsv"), display);
            let chunk = Chunk {
                text: &text,
                first_line: 1,
                is_first: !form,
                positions: true,
                column_offset: 0,
                drawing: false,
                layout: None,
            };
            let lines: Vec<&str> = text.split('\n').collect();
            // The character offsets of one row's tabs, found once per row: a
            // wide row holds thousands of findings.
            let mut tabs: Option<(usize, Vec<usize>)> = None;
            file.chunk_with(self, chunk, out, &mut |findings| {
                for f in findings {
                    let Some(index) = f.line.map(|l| l as usize - 1) else { continue };
                    let (row, _) = table[index];
                    let before = f.column.unwrap_or(1) as usize - 1;
                    if tabs.as_ref().is_none_or(|(line, _)| *line != index) {
                        let at = lines[index].chars().enumerate().filter(|&(_, c)| c == '\t');
                        tabs = Some((index, at.map(|(i, _)| i).collect()));
                    }
                    let field =
                        tabs.as_ref().map_or(0, |(_, at)| at.partition_point(|&i| i < before));
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
            });
            let header_row = table.first().map(|(row, _)| u64::from(*row));
            let columns = file.classify_columns(header_row, Some(&name));
            out.findings(columns);
        }
        out.stats().read(bytes.len() as u64);
    }

    /// Scans a sheet's rows above its table (titles: one value each) as
    /// text, one row a line, each finding in the row's one cell.
    fn scan_rows_as_text(
        &mut self,
        display: &str,
        rows: &[(u32, Vec<String>)],
        sheet: &read::spreadsheet::Sheet,
        name: &Arc<str>,
        out: &mut dyn Out,
    ) {
        if rows.is_empty() {
            return;
        }
        // A finding's line is its row's index.
        let text = super::text::rows_as_lines(rows, ' ');
        // A `.txt` name: no header row to look for.
        let mut file = FileScan::fields(Path::new("titles.txt"), display);
        let chunk = Chunk::text(&text);
        file.chunk_with(self, chunk, out, &mut |findings| {
            for f in findings {
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
        });
    }

    /// Scans the members of an archive in memory, each as a location of its
    /// own (`a.zip!dir/b.csv`); skipped and unreadable members become
    /// entries.
    fn scan_archive(&mut self, display: &str, bytes: &[u8], out: &mut dyn Out) {
        use crate::source::archive::{Limits, Member, members};
        members(bytes, display, &Limits::new(ARCHIVE_MEMBER_MAX), &mut |member| match member {
            Member::File { display, bytes } => self.scan_member(&display, &bytes, out),
            Member::Skipped { display, reason } => out.skipped(display, reason),
            Member::Error { display, message } => out.error(display, message),
        });
    }
}

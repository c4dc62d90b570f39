//! Reading: turns one item into decoded text, and knows nothing of detection.
//!
//! A file is opened once and its first window read into a reused buffer.
//! The bytes are sniffed by content, never by extension alone: CAD drawings
//! and e-mail become text here; text is decoded ([`text`]) and handed on in
//! chunks of whole lines with the number of their first line, so findings
//! keep the original line and column. Text larger than one window is read a
//! window at a time, so a 5 GB log costs a few windows of memory, never its
//! size (and a file truncated while it is read ends early rather than
//! faulting, as a memory map would); formats read from their whole bytes —
//! workbooks
//! ([`spreadsheet`]), Word/PowerPoint/OpenDocument ([`office`]), PDF
//! ([`pdf`]), images (read by [`ocr`]) and archives — are reported as
//! [`Kind::Container`] and told apart by [`container`]; unknown binaries
//! are skipped.
//! [`delimited`] and [`structured`] say which column or key a value in a
//! line of text sits under.

pub mod cad;
pub mod delimited;
pub mod dwg;
pub mod email;
pub mod ocr;
pub mod office;
pub mod pdf;
pub mod spreadsheet;
pub mod structured;
pub mod text;

use std::fs::File;
use std::io::Read;
use std::path::Path;

pub use text::Encoding;

/// How much of a file is read at a time: text larger than this streams
/// through in windows of this size. It is also the size of the chunks text
/// is detected in: on dense tables a chunk's hits take about ten times its
/// size while it is detected, so the window bounds that too.
pub const WINDOW: usize = 1 << 20;

/// Why an item could not be read. Messages never quote the file's content.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    /// The operating system refused or failed the read.
    #[error("cannot read: {0}")]
    Io(#[from] std::io::Error),
}

/// What a file turned out to be.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Kind {
    /// Decoded text in this encoding.
    Text(Encoding),
    /// E-mail: its messages' text went to the chunks; its attachments are
    /// read apart ([`email::attachments`]).
    Email,
    /// A CAD drawing, with its layer names and texts (its text went to the
    /// chunks already).
    Cad(Box<cad::Drawing>),
    /// An SQLite database: read with its tables (`source::database`).
    Database,
    /// A format read from its whole bytes rather than as text: see
    /// [`container`].
    Container,
    /// A binary format no reader handles yet.
    Binary,
}

/// One piece of decoded text: whole lines, and the 1-based number of the first.
#[derive(Debug, Clone, Copy)]
pub struct Chunk<'a> {
    /// The text (whole lines, the last possibly without its newline).
    pub text: &'a str,
    /// 1-based line number of the first line in the file.
    pub first_line: u64,
    /// True for the file's first chunk (which holds any header row).
    pub is_first: bool,
    /// Whether the chunk's lines are the file's own lines (not for text
    /// pulled out of a binary format).
    pub positions: bool,
    /// Characters of its first line that came in earlier chunks: 0 but
    /// for a line longer than [`text::MAX_LINE`], handed on in pieces.
    pub column_offset: u64,
    /// The texts of a drawing: one record, the drawing itself (its title
    /// block names the owner, the site and a phone number on lines of their
    /// own).
    pub drawing: bool,
    /// Where the words of an OCR'd page are: findings get their box.
    pub layout: Option<&'a ocr::Layout>,
}

impl<'a> Chunk<'a> {
    /// Text on its own (a page, a slide, a sheet's rows): whole lines
    /// numbered from 1, no header row.
    pub fn text(text: &'a str) -> Chunk<'a> {
        Chunk {
            text,
            first_line: 1,
            is_first: false,
            positions: true,
            column_offset: 0,
            drawing: false,
            layout: None,
        }
    }
}

/// Per-worker buffers, reused from file to file.
#[derive(Debug, Default)]
pub struct ReadScratch {
    bytes: Vec<u8>,
    decoded: String,
}

impl ReadScratch {
    /// The file [`read_file`] last read, whole when it was not streamed as
    /// plain text (a [`Kind::Container`] or [`Kind::Email`] always is).
    pub fn whole(&self) -> &[u8] {
        &self.bytes
    }
}

/// Reads `path` and calls `on_chunk` for each chunk of its text. A file
/// larger than one [`WINDOW`] that starts like plain text is decoded as it
/// is read; anything else is read whole (its size is bounded by the walk's
/// size limit) and handed to [`decode`].
pub fn read_file(
    path: &Path,
    scratch: &mut ReadScratch,
    on_chunk: &mut dyn FnMut(Chunk<'_>),
) -> Result<Kind, ReadError> {
    let mut file = File::open(path)?;
    scratch.bytes.clear();
    (&mut file).take(WINDOW as u64).read_to_end(&mut scratch.bytes)?;
    if scratch.bytes.len() < WINDOW {
        return Ok(decode(&scratch.bytes, &mut scratch.decoded, on_chunk));
    }
    if plain_text(&scratch.bytes) {
        let encoding =
            text::decode_stream(&mut scratch.bytes, &mut file, &mut scratch.decoded, on_chunk)?;
        return Ok(Kind::Text(encoding));
    }
    file.read_to_end(&mut scratch.bytes)?;
    Ok(decode(&scratch.bytes, &mut scratch.decoded, on_chunk))
}

/// Whether a file whose first window is `head` is plain text: no drawing,
/// image, database, document, archive or e-mail, by their signatures.
fn plain_text(head: &[u8]) -> bool {
    cad::sniff(head).is_none()
        && !head.starts_with(b"SQLite format 3\0")
        && !is_container(head)
        && !is_binary_signature(head)
        && !email::sniff(head)
        && text::is_text(text::whole_lines(head))
}

/// PDFs, archives (and zip-based documents) and OLE compound files (old
/// Office): formats read from their whole bytes.
fn is_container(bytes: &[u8]) -> bool {
    pdf::sniff(bytes)
        || is_archive(bytes)
        || bytes.starts_with(b"\xD0\xCF\x11\xE0")
        || image_format(bytes).is_some()
}

/// Whether `bytes` start like a zip, gzip or (POSIX/GNU) tar file.
pub fn is_archive(bytes: &[u8]) -> bool {
    bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"\x1f\x8b") || is_tar(bytes)
}

/// A tar header's `ustar` magic, at offset 257.
pub fn is_tar(bytes: &[u8]) -> bool {
    bytes.get(257..262) == Some(b"ustar")
}

/// Sniffs and decodes `bytes` (the whole content of an item).
pub fn decode(bytes: &[u8], decoded: &mut String, on_chunk: &mut dyn FnMut(Chunk<'_>)) -> Kind {
    if let Some(mut drawing) =
        cad::sniff(bytes).map(|k| cad::extract(k, bytes)).or_else(|| cad::unzip(bytes))
    {
        let text = std::mem::take(&mut drawing.scan_text);
        if !text.is_empty() {
            on_chunk(Chunk {
                text: &text,
                first_line: 1,
                is_first: true,
                positions: drawing.positions,
                column_offset: 0,
                drawing: true,
                layout: None,
            });
        }
        return Kind::Cad(Box::new(drawing));
    }
    if bytes.starts_with(b"SQLite format 3\0") {
        return Kind::Database;
    }
    if is_container(bytes) {
        return Kind::Container;
    }
    if is_binary_signature(bytes) {
        return Kind::Binary;
    }
    if email::sniff(bytes) {
        let text = email::render(bytes);
        on_chunk(Chunk {
            text: &text,
            first_line: 1,
            is_first: true,
            positions: true,
            column_offset: 0,
            drawing: false,
            layout: None,
        });
        return Kind::Email;
    }
    match text::sniff(bytes) {
        Some(sniffed) => {
            text::decode_chunks(bytes, sniffed, decoded, on_chunk);
            Kind::Text(sniffed.encoding)
        }
        None => Kind::Binary,
    }
}

/// The largest part of a zip-based document (workbook, Word, OpenDocument)
/// read, and the largest compression ratio of a part over 1 MiB: such a
/// document could be a zip bomb too. The size is the archives' limit
/// (`source::archive`); the ratio is ten times theirs, as sheet XML of
/// repeated cells deflates far better than most files, and bombs reach
/// thousands to one.
const MAX_PART: u64 = 256 << 20;
const MAX_RATIO: u64 = 1000;

/// Refuses a document part of `size` bytes (`packed` compressed) past the
/// limits.
fn part_within_limits(name: &str, size: u64, packed: u64) -> Result<(), String> {
    let ratio = size / packed.max(1);
    if size > MAX_PART || (size > 1 << 20 && ratio > MAX_RATIO) {
        return Err(format!(
            "{name} is {size} bytes uncompressed ({ratio}:1): not read (a zip bomb?)"
        ));
    }
    Ok(())
}

/// What a [`Kind::Container`] holds, by its content.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Container {
    /// A workbook ([`spreadsheet`]).
    Workbook,
    /// A Word, PowerPoint or OpenDocument text/presentation ([`office`]).
    Office(office::Format),
    /// A PDF ([`pdf`]).
    Pdf,
    /// An image ([`ocr`]).
    Image(ImageFormat),
    /// A zip, gzip or tar archive of members (`source::archive`).
    Archive,
    /// Something else (an old binary Word or PowerPoint file).
    Other,
}

thread_local! {
    /// How many [`guarded`] parser calls this thread is inside.
    static GUARDED: std::cell::Cell<u32> = const { std::cell::Cell::new(0) };
}

/// Runs a third-party parser over a file's bytes. Such parsers panic on
/// some malformed input (an index past a table's end, an unwrap of a
/// missing object): that is the file being corrupt, not piimap failing, so
/// the panic becomes `corrupt {format}: …` — the item's error entry —
/// instead of an internal error. What piimap itself does inside a guard is
/// glue that must not panic: the fuzz targets abort on a panic raised in
/// piimap's own code, guarded or not.
pub(crate) fn guarded<T>(
    format: &str,
    parse: impl FnOnce() -> Result<T, String>,
) -> Result<T, String> {
    GUARDED.with(|g| g.set(g.get() + 1));
    let parsed = std::panic::catch_unwind(std::panic::AssertUnwindSafe(parse));
    GUARDED.with(|g| g.set(g.get() - 1));
    parsed.unwrap_or_else(|_| {
        Err(format!("corrupt {format}: its structure is damaged past what its reader can follow"))
    })
}

/// Whether a panic raised now is a third-party parser's inside [`guarded`]:
/// the panic hook stays quiet, since the item's error entry says it.
pub fn in_guarded_parser() -> bool {
    GUARDED.with(|g| g.get() > 0)
}

/// What went wrong in a document, without the names an XML or workbook
/// parser quotes from it: an element, attribute, entity or sheet name can
/// be a customer's name (`expected </山田太郎>`). Syntax errors keep their
/// fixed wording; a mismatched tag, a bad attribute, entity, namespace or
/// encoding, or a workbook error that would quote the file is named as
/// such only. Other errors read as given.
pub(crate) fn describe(e: &(dyn std::error::Error + 'static)) -> String {
    let mut source = Some(e);
    while let Some(s) = source {
        if let Some(xml) = s.downcast_ref::<quick_xml::Error>() {
            return match xml {
                quick_xml::Error::Syntax(e) => format!("malformed XML: {e}"),
                quick_xml::Error::IllFormed(_) => "malformed XML: tags that do not match".into(),
                quick_xml::Error::Io(e) => format!("cannot read: {e}"),
                _ => "malformed XML: a bad attribute, entity, namespace or encoding".into(),
            };
        }
        if quotes_the_file(s) {
            return "malformed workbook: an unexpected name or value where its structure \
                    should be"
                .into();
        }
        source = s.source();
    }
    e.to_string()
}

/// Whether a workbook reader's error quotes the file: a sheet, table or
/// node name, a cell's attribute or error text, a MIME type.
fn quotes_the_file(e: &(dyn std::error::Error + 'static)) -> bool {
    use calamine::{OdsError, XlsError, XlsbError, XlsxError};
    if let Some(e) = e.downcast_ref::<XlsxError>() {
        return matches!(
            e,
            XlsxError::CellTAttribute(_)
                | XlsxError::Unrecognized { .. }
                | XlsxError::CellError(_)
                | XlsxError::WorksheetNotFound(_)
                | XlsxError::TableNotFound(_)
                | XlsxError::NotAWorksheet(_)
                | XlsxError::FileNotFound(_)
                | XlsxError::Unexpected(_)
        );
    }
    if let Some(e) = e.downcast_ref::<OdsError>() {
        return matches!(
            e,
            OdsError::InvalidMime(_) | OdsError::FileNotFound(_) | OdsError::WorksheetNotFound(_)
        );
    }
    if let Some(e) = e.downcast_ref::<XlsbError>() {
        return matches!(e, XlsbError::FileNotFound(_) | XlsbError::WorksheetNotFound(_));
    }
    if let Some(e) = e.downcast_ref::<XlsError>() {
        return matches!(e, XlsError::WorksheetNotFound(_) | XlsError::InvalidFormat { .. });
    }
    false
}

/// Tells a container's kind from its bytes: a zip is a workbook or an
/// office document by the parts it holds, else an archive.
pub fn container(bytes: &[u8]) -> Container {
    if pdf::sniff(bytes) {
        Container::Pdf
    } else if let Some(format) = image_format(bytes) {
        Container::Image(format)
    } else if spreadsheet::sniff(bytes) {
        Container::Workbook
    } else if let Some(format) = office::sniff(bytes) {
        Container::Office(format)
    } else if is_archive(bytes) {
        Container::Archive
    } else {
        Container::Other
    }
}

/// An image format, by its signature.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImageFormat {
    /// PNG, JPEG, TIFF, GIF, BMP or WebP: decoded for OCR ([`ocr`]).
    Readable,
    /// HEIC/HEIF or AVIF (phone photos): recognised, but no decoder is at
    /// hand, so judged by the name only.
    Undecodable(&'static str),
}

/// Recognises an image by its first bytes.
pub fn image_format(b: &[u8]) -> Option<ImageFormat> {
    // PNG, JPEG, GIF, TIFF (both byte orders).
    const SIGNATURES: &[&[u8]] = &[b"\x89PNG", b"\xFF\xD8\xFF", b"GIF8", b"II*\0", b"MM\0*"];
    if SIGNATURES.iter().any(|s| b.starts_with(s)) {
        return Some(ImageFormat::Readable);
    }
    if b.starts_with(b"RIFF") && b.get(8..12) == Some(b"WEBP") {
        return Some(ImageFormat::Readable);
    }
    // `BM` starts text too (a list of BMW parts): the size of the info
    // header that follows the file header must be one BMP has.
    let info = b.get(14..18).map(|h| u32::from_le_bytes([h[0], h[1], h[2], h[3]]));
    if b.starts_with(b"BM") && matches!(info, Some(12 | 40 | 52 | 56 | 64 | 108 | 124)) {
        return Some(ImageFormat::Readable);
    }
    if b.get(4..8) == Some(b"ftyp") {
        return match b.get(8..12) {
            Some(b"heic" | b"heix" | b"hevc" | b"heim" | b"heis" | b"mif1" | b"msf1") => {
                Some(ImageFormat::Undecodable("HEIC"))
            }
            Some(b"avif" | b"avis") => Some(ImageFormat::Undecodable("AVIF")),
            _ => None,
        };
    }
    None
}

/// Formats no reader handles yet (7-Zip, RAR): never decoded as text, even
/// when they hold no NUL early on.
fn is_binary_signature(b: &[u8]) -> bool {
    const SIGNATURES: &[&[u8]] = &[b"7z\xBC\xAF", b"Rar!"];
    SIGNATURES.iter().any(|s| b.starts_with(s))
}

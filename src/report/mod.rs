//! Reports: what a scan found, for people and tools.
//!
//! `text`, `jsonl` and `sarif` are for people and tools at the scan: they are
//! written as the scan goes ([`Streaming`], a [`Sink`] of the pipeline), in
//! item order, findings masked unless the scan kept values. `json`, `csv`,
//! `markdown` and `html` are the privacy officer's inventory, rendered from
//! the finished [`Inventory`] — its per-location aggregates and capped
//! evidence, never every finding — through one [`document::Document`] that
//! `piimap report` can read back.

pub mod detectors;
pub use text::TextOptions;
pub mod document;
pub mod export;
mod html;
pub mod incident;
mod jsonl;
pub mod labels;
pub mod merge;
mod sarif;
mod stream;
pub mod subject;
mod tabular;
mod text;

use std::collections::BTreeMap;
use std::io::{self, Write};

use crate::inventory::{Inventory, Rule};
use crate::scan::{ItemSink, Seq, Sink};

/// Where a finding is, as people read it: `1:4` (line:column), `顧客!C5`
/// (sheet and cell), `p.2 3:5` (PDF page), `slide 2 4:1`, `customers#3`
/// (a database or SQL dump row, after its line when it has one).
pub(crate) struct Place<'a> {
    pub(crate) line: Option<u64>,
    pub(crate) column: Option<u64>,
    pub(crate) sheet: Option<&'a str>,
    pub(crate) page: Option<u32>,
    pub(crate) slide: Option<u32>,
    pub(crate) row: Option<&'a str>,
}

impl std::fmt::Display for Place<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let at = |n: Option<u64>| n.map_or_else(|| "-".to_string(), |n| n.to_string());
        let line = format!("{}:{}", at(self.line), at(self.column));
        if let Some(sheet) = self.sheet {
            let cell = self.column.zip(self.line).and_then(|(c, l)| {
                Some(crate::read::spreadsheet::cell_name(
                    u32::try_from(c).ok()?,
                    u32::try_from(l).ok()?,
                ))
            });
            return match (cell, self.line) {
                (Some(cell), _) => write!(f, "{sheet}!{cell}"),
                (None, Some(row)) => write!(f, "{sheet}!{row}"),
                (None, None) => write!(f, "{sheet}"),
            };
        }
        match (self.page, self.slide, self.row) {
            (Some(page), ..) => write!(f, "p.{page} {line}"),
            (_, Some(slide), _) => write!(f, "slide {slide} {line}"),
            (_, _, Some(row)) if self.line.is_some() => write!(f, "{line} {row}"),
            (_, _, Some(row)) => write!(f, "{row}"),
            _ => write!(f, "{line}"),
        }
    }
}

/// How the streamed formats are written, besides their format.
#[derive(Debug, Clone, Copy, Default)]
pub struct StreamOptions<'a> {
    /// The repository SARIF names files from, when one is scanned.
    pub root: Option<&'a crate::source::root::Root>,
    /// Colour, summary and verbosity of the text report.
    pub text: TextOptions,
}

/// `1,234,567`: a count as people read it (reports and the CLI).
pub fn grouped(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, d) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(d);
    }
    out
}

/// `1 file`, `1,234 files`: a count with its noun (reports and the CLI).
pub fn counted(n: u64, one: &str, many: &str) -> String {
    format!("{} {}", grouped(n), if n == 1 { one } else { many })
}

/// `1.50 MiB`: a size as people read it.
pub(crate) fn human_bytes(n: u64) -> String {
    indicatif::HumanBytes(n).to_string()
}

/// An output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Human-readable, grouped by file, with a summary.
    Text,
    /// One JSON object per line (the contract in DESIGN.md).
    Jsonl,
    /// SARIF 2.1.0, for code-scanning tools.
    Sarif,
    /// The whole inventory as one JSON document (`schemas/inventory.schema.json`).
    Json,
    /// One row per location.
    Csv,
    /// A summary and the locations, as Markdown.
    Markdown,
    /// One self-contained page.
    Html,
}

impl Format {
    /// Whether it is written as the scan goes (`text`, `jsonl`, `sarif`)
    /// rather than rendered from the finished inventory.
    pub fn streams(self) -> bool {
        matches!(self, Format::Text | Format::Jsonl | Format::Sarif)
    }

    /// Whether the report is written in one language (`--lang`); text is
    /// bilingual, the machine formats hold ids.
    pub fn has_language(self) -> bool {
        matches!(self, Format::Html | Format::Markdown | Format::Csv)
    }

    /// Its `--format` name.
    pub fn name(self) -> &'static str {
        match self {
            Format::Text => "text",
            Format::Jsonl => "jsonl",
            Format::Sarif => "sarif",
            Format::Json => "json",
            Format::Csv => "csv",
            Format::Markdown => "markdown",
            Format::Html => "html",
        }
    }
}

/// A scan-time report being written as the scan goes: hand it to the
/// pipeline as its sink, then [`Streaming::finish`] it with the inventory.
pub struct Streaming(Box<dyn stream::Finish>);

impl Streaming {
    /// Starts writing `format` to `out` (`rules`: what SARIF lists); `None`
    /// for the inventory formats, which are written at the end.
    pub fn new(
        format: Format,
        rules: &BTreeMap<String, Rule>,
        options: &StreamOptions<'_>,
        out: Box<dyn Write + Send>,
    ) -> io::Result<Option<Streaming>> {
        let root = options.root;
        Ok(Some(Streaming(match format {
            Format::Text => Box::new(stream::Ordered::new(text::Text(options.text), out)?),
            Format::Jsonl => Box::new(stream::Ordered::new(jsonl::Jsonl, out)?),
            Format::Sarif => Box::new(stream::Ordered::new(sarif::Sarif::new(rules, root), out)?),
            Format::Json | Format::Csv | Format::Markdown | Format::Html => return Ok(None),
        })))
    }

    /// Writes the summary (and SARIF's invocation) and flushes; the first
    /// write error of the whole report, if any (a closed pipe included).
    pub fn finish(self, inventory: &Inventory) -> io::Result<()> {
        self.0.finish(inventory)
    }
}

impl Sink for Streaming {
    fn admit(&self, seq: Seq) -> bool {
        self.0.admit(seq)
    }

    fn closed(&self) -> bool {
        self.0.closed()
    }

    fn item(&self, seq: Seq) -> Box<dyn ItemSink + '_> {
        self.0.item(seq)
    }
}

/// `s` with its control characters escaped (`\u{1b}`, `\n`): file names,
/// sheet names and messages come from the share, and text reports go to
/// terminals and logs, where an escape sequence or a newline in a name would
/// forge report lines or drive the terminal.
pub(crate) fn printable(s: &str) -> std::borrow::Cow<'_, str> {
    if !s.chars().any(char::is_control) {
        return s.into();
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if c.is_control() {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    out.into()
}

/// Writes the inventory formats (`json`, `csv`, `markdown`, `html`) of a
/// finished scan (`lang`: for HTML and Markdown).
pub fn write_lang(
    format: Format,
    inventory: &Inventory,
    lang: labels::Lang,
    out: &mut dyn Write,
) -> io::Result<()> {
    render(format, &document::Document::new(inventory), lang, out)
}

/// Writes an inventory format in Japanese where it has words.
pub fn write(format: Format, inventory: &Inventory, out: &mut dyn Write) -> io::Result<()> {
    write_lang(format, inventory, labels::Lang::Ja, out)
}

/// Renders a saved inventory document (`piimap report`): `json`, `csv`,
/// `markdown` or `html`; the scan-time formats need the scan.
pub fn render(
    format: Format,
    doc: &document::Document,
    lang: labels::Lang,
    out: &mut dyn Write,
) -> io::Result<()> {
    match format {
        Format::Json => {
            // serde writes in small pieces: buffered here, not through
            // the caller's `dyn Write` one piece at a time.
            let mut buffered = io::BufWriter::with_capacity(1 << 16, &mut *out);
            serde_json::to_writer_pretty(&mut buffered, doc)?;
            buffered.write_all(b"\n")?;
            buffered.flush()
        }
        Format::Csv => tabular::write_csv(doc, lang, out),
        Format::Markdown => tabular::write_markdown(doc, lang, out),
        Format::Html => html::write(doc, lang, out),
        Format::Text | Format::Jsonl | Format::Sarif => Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            "text, jsonl and sarif are written as the scan goes: use json, csv, markdown or html",
        )),
    }?;
    out.flush()
}

#[cfg(test)]
mod tests {
    use super::{counted, grouped, human_bytes};

    #[test]
    fn numbers_as_people_read_them() {
        assert_eq!(grouped(0), "0");
        assert_eq!(grouped(999), "999");
        assert_eq!(grouped(1000), "1,000");
        assert_eq!(grouped(1_234_567), "1,234,567");
        assert_eq!(human_bytes(1536), "1.50 KiB");
        assert_eq!(
            (counted(1, "file", "files"), counted(1200, "file", "files")),
            ("1 file".to_string(), "1,200 files".to_string())
        );
    }
}

//! Office documents: Word (.docx), PowerPoint (.pptx) and OpenDocument text
//! and presentations (.odt, .odp) — zips of XML — turned into text, one
//! paragraph a line, in document order.
//!
//! - .docx: the body, then headers, footers, footnotes, endnotes and
//!   comments (a blank line between parts, so no record spans two);
//!   deleted tracked changes are kept (they are still in the file).
//! - .pptx: one part per slide (`ppt/slides/slideN.xml` in number order),
//!   with the slide's speaker notes after a blank line; lines restart at 1
//!   on each slide.
//! - .odt: `content.xml` (body, tables, annotations) then `styles.xml`
//!   (headers and footers); .odp: one part per `draw:page`.
//!
//! A table row is one line with its cells separated by tabs, so a row is a
//! record like a CSV row. Chosen by content: the zip's part names or its
//! OpenDocument `mimetype`, never the extension.

use std::io::{Cursor, Read};

use quick_xml::events::Event;

/// The kinds of documents this module reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Word 2007+.
    Docx,
    /// PowerPoint 2007+.
    Pptx,
    /// OpenDocument text.
    Odt,
    /// OpenDocument presentation.
    Odp,
}

impl Format {
    /// A short name for messages.
    pub fn name(self) -> &'static str {
        match self {
            Format::Docx => "Word document",
            Format::Pptx => "PowerPoint presentation",
            Format::Odt => "OpenDocument text",
            Format::Odp => "OpenDocument presentation",
        }
    }
}

/// One part of a document's text: the whole text of a word-processing
/// document, or one slide.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Part {
    /// The 1-based slide, for presentations.
    pub slide: Option<u32>,
    /// One paragraph (or table row) a line.
    pub text: String,
}

type Zip<'a> = zip::ZipArchive<Cursor<&'a [u8]>>;

/// What kind of office document `bytes` are, if any.
pub fn sniff(bytes: &[u8]) -> Option<Format> {
    if !bytes.starts_with(b"PK\x03\x04") {
        return None;
    }
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).ok()?;
    if zip.index_for_name("word/document.xml").is_some() {
        return Some(Format::Docx);
    }
    if zip.index_for_name("ppt/presentation.xml").is_some() {
        return Some(Format::Pptx);
    }
    let mut mimetype = String::new();
    zip.by_name("mimetype").ok()?.read_to_string(&mut mimetype).ok()?;
    match mimetype.trim() {
        "application/vnd.oasis.opendocument.text" => Some(Format::Odt),
        "application/vnd.oasis.opendocument.presentation" => Some(Format::Odp),
        _ => None,
    }
}

/// The text of a document, part by part. A part that is missing or not
/// well-formed XML is an error naming it: the document is corrupt.
pub fn extract(bytes: &[u8], format: Format) -> Result<Vec<Part>, String> {
    let mut zip =
        zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| format!("corrupt zip: {e}"))?;
    match format {
        Format::Docx => {
            let mut text = String::new();
            xml_text(&part(&mut zip, "word/document.xml")?, &WORD, &mut text, &mut |_| {})?;
            for prefix in
                ["word/header", "word/footer", "word/footnotes", "word/endnotes", "word/comments"]
            {
                for name in numbered(&zip, prefix, ".xml") {
                    text.push('\n');
                    xml_text(&part(&mut zip, &name)?, &WORD, &mut text, &mut |_| {})?;
                }
            }
            Ok(vec![Part { slide: None, text }])
        }
        Format::Pptx => {
            let mut parts = Vec::new();
            for (n, name) in numbered(&zip, "ppt/slides/slide", ".xml").into_iter().enumerate() {
                let mut text = String::new();
                xml_text(&part(&mut zip, &name)?, &DRAWING, &mut text, &mut |_| {})?;
                let notes = name.replace("slides/slide", "notesSlides/notesSlide");
                if zip.index_for_name(&notes).is_some() {
                    text.push('\n');
                    xml_text(&part(&mut zip, &notes)?, &DRAWING, &mut text, &mut |_| {})?;
                }
                parts.push(Part { slide: Some(n as u32 + 1), text });
            }
            Ok(parts)
        }
        Format::Odt => {
            let mut text = String::new();
            xml_text(&part(&mut zip, "content.xml")?, &OPEN_DOCUMENT, &mut text, &mut |_| {})?;
            if zip.index_for_name("styles.xml").is_some() {
                text.push('\n');
                xml_text(&part(&mut zip, "styles.xml")?, &OPEN_DOCUMENT, &mut text, &mut |_| {})?;
            }
            Ok(vec![Part { slide: None, text }])
        }
        Format::Odp => {
            // Each draw:page starts a slide: the text so far is cut there.
            let mut text = String::new();
            let mut cuts = Vec::new();
            xml_text(&part(&mut zip, "content.xml")?, &OPEN_DOCUMENT, &mut text, &mut |at| {
                cuts.push(at)
            })?;
            cuts.push(text.len());
            Ok(cuts
                .windows(2)
                .enumerate()
                .map(|(n, w)| Part {
                    slide: Some(n as u32 + 1),
                    text: text[w[0]..w[1]].to_string(),
                })
                .collect())
        }
    }
}

/// A zip member's bytes, within the limits of [`super::part_within_limits`].
fn part(zip: &mut Zip<'_>, name: &str) -> Result<Vec<u8>, String> {
    let file = zip.by_name(name).map_err(|e| format!("cannot read {name}: {e}"))?;
    super::part_within_limits(name, file.size(), file.compressed_size())?;
    let mut out = Vec::with_capacity(file.size() as usize);
    // The declared size can lie: never read past the limit.
    file.take(super::MAX_PART + 1)
        .read_to_end(&mut out)
        .map_err(|e| format!("cannot read {name}: {e}"))?;
    if out.len() as u64 > super::MAX_PART {
        return Err(format!("{name} is larger than {} bytes: not read", super::MAX_PART));
    }
    Ok(out)
}

/// Members `prefix` + number + `suffix` (or without a number), in number
/// order: `slide2.xml` before `slide10.xml`.
fn numbered(zip: &Zip<'_>, prefix: &str, suffix: &str) -> Vec<String> {
    let mut names: Vec<(u32, String)> = zip
        .file_names()
        .filter_map(|n| {
            let n = n.ok()?;
            let digits = n.strip_prefix(prefix)?.strip_suffix(suffix)?;
            let number = if digits.is_empty() { 0 } else { digits.parse().ok()? };
            Some((number, n.to_string()))
        })
        .collect();
    names.sort();
    names.into_iter().map(|(_, n)| n).collect()
}

/// Which elements (by local name, without namespace prefix) mean what.
struct Tags {
    /// A paragraph: ends a line.
    paragraph: &'static [&'static [u8]],
    /// Elements whose character data is text; empty: all character data
    /// inside a paragraph is.
    text: &'static [&'static [u8]],
    /// A tab, a line break inside a paragraph, a run of spaces (`text:s`).
    tab: &'static [u8],
    line_break: &'static [&'static [u8]],
    space: &'static [u8],
    /// A table cell and row.
    cell: &'static [u8],
    row: &'static [u8],
    /// Starts a slide (OpenDocument presentations).
    page: &'static [u8],
}

const WORD: Tags = Tags {
    paragraph: &[b"p"],
    text: &[b"t", b"delText"],
    tab: b"tab",
    line_break: &[b"br", b"cr"],
    space: b"",
    cell: b"tc",
    row: b"tr",
    page: b"",
};

const DRAWING: Tags = Tags {
    paragraph: &[b"p"],
    text: &[b"t"],
    tab: b"tab",
    line_break: &[b"br"],
    space: b"",
    cell: b"tc",
    row: b"tr",
    page: b"",
};

const OPEN_DOCUMENT: Tags = Tags {
    paragraph: &[b"p", b"h"],
    text: &[],
    tab: b"tab",
    line_break: &[b"line-break"],
    space: b"s",
    cell: b"table-cell",
    row: b"table-row",
    page: b"page",
};

/// Appends the text of one XML part to `out`, a paragraph a line (a table
/// row a line, cells separated by tabs); `page` gets the offset in `out` of
/// every page start.
fn xml_text(
    xml: &[u8],
    tags: &Tags,
    out: &mut String,
    page: &mut dyn FnMut(usize),
) -> Result<(), String> {
    let mut reader = quick_xml::Reader::from_reader(xml);
    let mut buf = Vec::new();
    let (mut in_paragraph, mut in_text, mut rows) = (0usize, 0usize, 0usize);
    let push_text = |out: &mut String, s: &str| {
        out.extend(s.chars().map(|c| if matches!(c, '\n' | '\r' | '\t') { ' ' } else { c }));
    };
    loop {
        let event = reader.read_event_into(&mut buf).map_err(|e| {
            format!("{} (at byte {})", super::describe(&e), reader.error_position())
        })?;
        match event {
            Event::Start(e) => {
                let name = e.local_name();
                let name = name.as_ref();
                if tags.paragraph.contains(&name) {
                    in_paragraph += 1;
                } else if tags.text.contains(&name) {
                    in_text += 1;
                } else if name == tags.row {
                    rows += 1;
                } else if name == tags.page {
                    page(out.len());
                }
            }
            Event::Empty(e) => {
                let name = e.local_name();
                let name = name.as_ref();
                if name == tags.tab {
                    out.push('\t');
                } else if tags.line_break.contains(&name) {
                    out.push(' ');
                } else if name == tags.space {
                    let n = e
                        .try_get_attribute("text:c")
                        .ok()
                        .flatten()
                        .and_then(|a| std::str::from_utf8(&a.value).ok()?.parse::<usize>().ok())
                        .unwrap_or(1);
                    out.extend(std::iter::repeat_n(' ', n.min(64)));
                } else if tags.paragraph.contains(&name) && rows == 0 {
                    out.push('\n');
                }
            }
            Event::End(e) => {
                let name = e.local_name();
                let name = name.as_ref();
                if tags.paragraph.contains(&name) {
                    in_paragraph = in_paragraph.saturating_sub(1);
                    // Inside a table, a paragraph ends a cell's line, not the row's.
                    out.push(if rows > 0 { ' ' } else { '\n' });
                } else if tags.text.contains(&name) {
                    in_text = in_text.saturating_sub(1);
                } else if name == tags.cell {
                    trim_end_spaces(out);
                    out.push('\t');
                } else if name == tags.row {
                    rows = rows.saturating_sub(1);
                    trim_end_spaces(out);
                    if out.ends_with('\t') {
                        out.pop();
                    }
                    out.push('\n');
                }
            }
            Event::Text(t) if in_paragraph > 0 && (tags.text.is_empty() || in_text > 0) => {
                let text = t.decode().map_err(|e| format!("malformed XML text: {e}"))?;
                push_text(out, &text);
            }
            Event::CData(t) if in_text > 0 => {
                push_text(out, &String::from_utf8_lossy(&t));
            }
            Event::GeneralRef(r) if in_paragraph > 0 && (tags.text.is_empty() || in_text > 0) => {
                let name = r.decode().map_err(|e| format!("malformed XML entity: {e}"))?;
                if let Some(s) = quick_xml::escape::resolve_xml_entity(&name) {
                    out.push_str(s);
                } else if let Ok(Some(c)) = r.resolve_char_ref() {
                    push_text(out, c.encode_utf8(&mut [0; 4]));
                }
            }
            Event::Eof => break,
            _ => {}
        }
        buf.clear();
    }
    Ok(())
}

/// Drops the spaces a cell's last paragraph left behind.
fn trim_end_spaces(out: &mut String) {
    let kept = out.trim_end_matches(' ').len();
    out.truncate(kept);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(xml: &str, tags: &Tags) -> String {
        let mut out = String::new();
        xml_text(xml.as_bytes(), tags, &mut out, &mut |_| {}).unwrap();
        out
    }

    #[test]
    fn word_paragraphs_tables_and_entities() {
        let xml = r#"<w:document xmlns:w="w"><w:body>
            <w:p><w:r><w:t>氏名：</w:t></w:r><w:r><w:t xml:space="preserve">山田 太郎</w:t></w:r></w:p>
            <w:p><w:r><w:t>A&amp;B</w:t><w:tab/><w:t>&#x3042;</w:t></w:r></w:p>
            <w:p/>
            <w:tbl><w:tr><w:tc><w:p><w:r><w:t>氏名</w:t></w:r></w:p></w:tc>
                         <w:tc><w:p><w:r><w:t>電話</w:t></w:r></w:p></w:tc></w:tr>
                   <w:tr><w:tc><w:p><w:r><w:t>佐藤</w:t></w:r></w:p></w:tc>
                         <w:tc><w:p><w:r><w:t>090</w:t></w:r></w:p><w:p><w:r><w:t>携帯</w:t></w:r></w:p></w:tc></w:tr></w:tbl>
            <w:p><w:r><w:instrText>PAGE</w:instrText><w:delText>旧住所</w:delText></w:r></w:p>
            </w:body></w:document>"#;
        assert_eq!(
            text(xml, &WORD),
            "氏名：山田 太郎\nA&B\tあ\n\n氏名\t電話\n佐藤\t090 携帯\n旧住所\n"
        );
    }

    #[test]
    fn open_document_spaces_and_pages() {
        let xml = r#"<office:document-content><office:body><office:presentation>
            <draw:page><text:p>一枚目<text:s text:c="3"/>終</text:p></draw:page>
            <draw:page><text:h>見出し</text:h><text:p><text:span>本文</text:span><text:line-break/>続き</text:p></draw:page>
            </office:presentation></office:body></office:document-content>"#;
        let mut out = String::new();
        let mut cuts = Vec::new();
        xml_text(xml.as_bytes(), &OPEN_DOCUMENT, &mut out, &mut |at| cuts.push(at)).unwrap();
        assert_eq!(out, "一枚目   終\n見出し\n本文 続き\n");
        assert_eq!(cuts, [0, "一枚目   終\n".len()]);
    }

    #[test]
    fn a_bomb_part_is_refused() {
        use std::io::Write;
        let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        let options = zip::write::SimpleFileOptions::default();
        w.start_file("word/document.xml", options).unwrap();
        w.write_all(&vec![b' '; 8 << 20]).unwrap();
        let bytes = w.finish().unwrap().into_inner();
        assert_eq!(sniff(&bytes), Some(Format::Docx));
        let err = extract(&bytes, Format::Docx).unwrap_err();
        assert!(err.contains("not read (a zip bomb?)"), "{err}");
    }

    #[test]
    fn malformed_xml_is_an_error() {
        let mut out = String::new();
        let err = xml_text(b"<w:p><w:t>a</w:x></w:p>", &WORD, &mut out, &mut |_| {}).unwrap_err();
        assert!(err.starts_with("malformed XML"), "{err}");
        // Names from the document stay out of the message (issue 20 item 15).
        let xml = "<w:p><山田太郎>a</鈴木花子></w:p>".as_bytes();
        let err = xml_text(xml, &WORD, &mut out, &mut |_| {}).unwrap_err();
        assert_eq!(err, "malformed XML: tags that do not match (at byte 20)");
        assert_eq!(sniff(b"PK\x03\x04 not a zip"), None);
    }
}

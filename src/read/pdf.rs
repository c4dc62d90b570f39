//! PDF: the text layer of every page, read with `pdf-extract` (on lopdf),
//! which maps glyphs back to characters through the fonts' encodings and
//! ToUnicode CMaps, so Japanese text set in CID fonts comes out as text.
//!
//! Lines are numbered per page, as the page's text has them. A page with no
//! text is an image (a scan, a drawing): it is listed, not silently passed
//! over. A page whose content cannot be interpreted is an error of its own
//! and the other pages are still read. Encrypted PDFs that open with the
//! empty user password (permissions only) are read; others are errors.

use pdf_extract::{Document, Object, ObjectId, PlainTextOutput, output_doc_page};

/// The text of a PDF.
#[derive(Debug, Default)]
pub struct Pdf {
    /// `(page, text)` of the pages with text, 1-based.
    pub pages: Vec<(u32, String)>,
    /// Pages without any text (image-only).
    pub image_only: Vec<u32>,
    /// Pages that could not be read, and why.
    pub errors: Vec<(u32, String)>,
}

/// Whether `bytes` start like a PDF.
pub fn sniff(bytes: &[u8]) -> bool {
    bytes.starts_with(b"%PDF-")
}

/// Reads every page's text. Fails only when the file cannot be opened at
/// all (corrupt, truncated past repair, or encrypted with a password).
pub fn extract(bytes: &[u8]) -> Result<Pdf, String> {
    // lopdf and pdf-extract panic on some damaged files: the whole read is
    // guarded, since both run throughout it.
    super::guarded("PDF", || {
        let mut doc = Document::load_mem(bytes).map_err(|e| format!("corrupt PDF: {e}"))?;
        if doc.is_encrypted() && doc.decrypt("").is_err() {
            return Err("encrypted PDF: not read (password protected)".to_string());
        }
        let pages = doc.get_pages();
        // A page tree that holds itself, or none at all, lists no page: the
        // file must not pass for an empty one.
        if pages.is_empty() {
            return Err("corrupt PDF: no page can be found (a damaged page tree)".to_string());
        }
        let mut pdf = Pdf::default();
        for (&number, &id) in &pages {
            let mut text = String::new();
            let read = super::guarded("PDF page", || {
                output_doc_page(&doc, &mut PlainTextOutput::new(&mut text), number)
                    .map_err(|e| format!("{e:?}"))
            });
            match read {
                Err(e) => pdf.errors.push((number, e)),
                Ok(()) if text.trim().is_empty() => match damaged_content(&doc, id) {
                    Some(why) => pdf.errors.push((number, why)),
                    None => pdf.image_only.push(number),
                },
                Ok(()) => pdf.pages.push((number, tidy(&text))),
            }
        }
        Ok(pdf)
    })
}

/// Why a page that gave no text is damaged rather than an image: a content
/// stream it names is not there. lopdf drops a stream whose `/Length` is
/// wrong, which would otherwise pass for a page of pictures (a scan).
fn damaged_content(doc: &Document, page: ObjectId) -> Option<String> {
    let contents = doc.get_dictionary(page).ok()?.get(b"Contents").ok()?;
    // A stream, or an array of streams, the array possibly behind a reference.
    let contents = match contents.as_reference().and_then(|id| doc.get_object(id)) {
        Ok(array @ Object::Array(_)) => array,
        _ => contents,
    };
    let streams: Vec<&Object> = match contents {
        Object::Array(array) => array.iter().collect(),
        single => vec![single],
    };
    let missing = streams.into_iter().any(|o| {
        o.as_reference().and_then(|id| doc.get_object(id)).and_then(Object::as_stream).is_err()
    });
    missing.then(|| {
        "corrupt PDF page: its content stream cannot be read (a wrong /Length or a \
         missing object)"
            .to_string()
    })
}

/// The extractor starts each page with blank lines and pads with spaces:
/// lines start at the page's first text, without trailing spaces.
fn tidy(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for line in text.trim_start_matches(['\n', '\r']).lines() {
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn corrupt_and_truncated_are_errors() {
        assert!(sniff(b"%PDF-1.4\n"));
        assert!(extract(b"%PDF-1.4\ngarbage").unwrap_err().starts_with("corrupt PDF"));
        // A page tree whose only kid is itself (issue 20 item 10).
        let objects =
            ["<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [2 0 R] /Count 1 >>"];
        let mut file = String::from("%PDF-1.4\n");
        let mut offsets = Vec::new();
        for (i, o) in objects.iter().enumerate() {
            offsets.push(file.len());
            file.push_str(&format!("{} 0 obj\n{o}\nendobj\n", i + 1));
        }
        let xref = file.len();
        file.push_str("xref\n0 3\n0000000000 65535 f \n");
        for o in offsets {
            file.push_str(&format!("{o:010} 00000 n \n"));
        }
        file.push_str(&format!("trailer\n<< /Size 3 /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n"));
        assert_eq!(
            extract(file.as_bytes()).unwrap_err(),
            "corrupt PDF: no page can be found (a damaged page tree)"
        );
        assert_eq!(tidy("\n\n  氏名 山田  \n電話\n"), "  氏名 山田\n電話\n");
    }
}

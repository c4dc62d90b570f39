//! PDF: the text layer of every page, read with `pdf-extract` (on lopdf),
//! which maps glyphs back to characters through the fonts' encodings and
//! ToUnicode CMaps, so Japanese text set in CID fonts comes out as text.
//!
//! Lines are numbered per page, as the page's text has them. A page with no
//! text is an image (a scan, a drawing): it is listed, not silently passed
//! over. A page whose content cannot be interpreted is an error of its own
//! and the other pages are still read. Encrypted PDFs that open with the
//! empty user password (permissions only) are read; others are errors.

use std::collections::HashMap;

use pdf_extract::content::Content;
use pdf_extract::{Dictionary, Document, Object, ObjectId, PlainTextOutput, output_doc_page};

/// How many levels of forms (XObjects drawn with `Do`) a page may nest.
/// pdf-extract reads each drawn form with a recursive call, so a form that
/// draws itself, directly or through others, never ends: it overflowed
/// the stack and took the whole scan down. Real files nest a few levels.
const MAX_FORM_DEPTH: usize = 32;

/// How many forms a page may draw in all, counting each time one is drawn:
/// forms that each draw the next twice, thirty deep, would keep pdf-extract
/// busy for a billion drawings.
const MAX_FORM_DRAWS: u64 = 10_000;

/// How long a chain of `/Parent` links may be: pdf-extract follows it to
/// find a page's inherited `/MediaBox` or `/Resources`, and a chain that
/// loops kept it at that forever.
const MAX_PARENTS: usize = 256;

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
            // The page is looked over first, in the same guard: lopdf's
            // reading of its objects can panic too, and costs the page only.
            let read = super::guarded("PDF page", || {
                if let Some(why) = unreadable(&doc, id) {
                    return Err(why);
                }
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

/// Why pdf-extract must not be handed page `page`, whose reading would
/// not end: its `/Parent` links loop, or its forms draw themselves, nest
/// past [`MAX_FORM_DEPTH`] or are drawn more than [`MAX_FORM_DRAWS`]
/// times. The forms are followed as pdf-extract follows them: every `Do`
/// of the page's content, then of each drawn stream's, by name in the
/// stream's own `/Resources` or else in those it was drawn with.
fn unreadable(doc: &Document, page: ObjectId) -> Option<String> {
    let mut dict = doc.get_dictionary(page).ok()?;
    let mut chain = vec![page];
    // The page's `/Resources` and `/MediaBox` as pdf-extract finds them:
    // its own, or else the nearest ancestor's (a loop it never reaches is
    // no matter).
    fn resources_of<'d>(doc: &'d Document, d: &'d Dictionary) -> Option<&'d Dictionary> {
        d.get(b"Resources").and_then(|r| doc.dereference(r)?.1.as_dict()).ok()
    }
    let has_box =
        |d: &Dictionary| d.get(b"MediaBox").and_then(|b| doc.dereference(b)?.1.as_array()).is_ok();
    let (mut resources, mut media_box) = (resources_of(doc, dict), has_box(dict));
    while resources.is_none() || !media_box {
        let Ok(parent) = dict.get(b"Parent").and_then(Object::as_reference) else { break };
        if chain.contains(&parent) || chain.len() > MAX_PARENTS {
            return Some("corrupt PDF page: its page tree loops back on itself".to_string());
        }
        chain.push(parent);
        let Ok(next) = doc.get_dictionary(parent) else { break };
        dict = next;
        resources = resources.or_else(|| resources_of(doc, dict));
        media_box |= has_box(dict);
    }
    let resources = resources?;
    let content = doc.get_page_content(page).ok()?;
    let mut forms = Forms { doc, drawn: HashMap::new(), path: Vec::new() };
    match forms.draws(&content, resources) {
        Ok(_) => None,
        Err(why) => Some(format!("corrupt PDF page: {why}")),
    }
}

/// The walk of a page's forms ([`unreadable`]).
struct Forms<'d> {
    doc: &'d Document,
    /// By stream and the resources it was drawn with: how many forms it
    /// draws in all, itself included (a form drawn again is not walked
    /// again).
    drawn: HashMap<(ObjectId, usize), u64>,
    /// The streams being walked, outermost first.
    path: Vec<ObjectId>,
}

impl<'d> Forms<'d> {
    /// How many forms `content`, read with `resources`, draws in all.
    fn draws(&mut self, content: &[u8], resources: &'d Dictionary) -> Result<u64, &'static str> {
        let xobjects = resources.get(b"XObject").and_then(|x| self.doc.dereference(x)?.1.as_dict());
        // A content stream pdf-extract cannot decode, or a name it cannot
        // find, fails the page there (its own error): no form is drawn.
        let Some(xobjects) = xobjects.ok().filter(|x| !x.is_empty()) else { return Ok(0) };
        let Ok(content) = Content::decode(content) else { return Ok(0) };
        let mut total = 0u64;
        for op in content.operations.iter().filter(|op| op.operator == "Do") {
            let Some(name) = op.operands.first().and_then(|o| o.as_name().ok()) else { continue };
            let Ok((id, target)) = xobjects.get(name).and_then(|t| self.doc.dereference(t)) else {
                continue;
            };
            let Ok(stream) = target.as_stream() else { continue };
            let own =
                stream.dict.get(b"Resources").and_then(|r| self.doc.dereference(r)?.1.as_dict());
            let inner = own.unwrap_or(resources);
            let key = id.map(|id| (id, std::ptr::from_ref(inner) as usize));
            let count = match key.and_then(|k| self.drawn.get(&k)) {
                Some(&count) => count,
                None => {
                    if id.is_some_and(|id| self.path.contains(&id)) {
                        return Err("a form draws itself (its XObjects loop)");
                    }
                    if self.path.len() >= MAX_FORM_DEPTH {
                        return Err("its forms nest too deep");
                    }
                    // A direct stream cannot hold itself: it stands on the
                    // path as (0, 0), no object's id.
                    self.path.push(id.unwrap_or((0, 0)));
                    let data = if stream.filters().is_ok() {
                        stream.decompressed_content().unwrap_or_else(|_| stream.content.clone())
                    } else {
                        stream.content.clone()
                    };
                    let count = 1 + self.draws(&data, inner)?;
                    self.path.pop();
                    if let Some(k) = key {
                        self.drawn.insert(k, count);
                    }
                    count
                }
            };
            total = total.saturating_add(count);
            if total > MAX_FORM_DRAWS {
                return Err("its forms are drawn too many times");
            }
        }
        Ok(total)
    }
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

    /// A PDF of `objects` (object 1 the catalog), with its cross-reference
    /// table.
    fn pdf(objects: &[String]) -> Vec<u8> {
        let mut file = String::from("%PDF-1.4\n");
        let mut offsets = Vec::new();
        for (i, o) in objects.iter().enumerate() {
            offsets.push(file.len());
            file.push_str(&format!("{} 0 obj\n{o}\nendobj\n", i + 1));
        }
        let xref = file.len();
        file.push_str(&format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1));
        for o in offsets {
            file.push_str(&format!("{o:010} 00000 n \n"));
        }
        let size = objects.len() + 1;
        file.push_str(&format!(
            "trailer\n<< /Size {size} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n"
        ));
        file.into_bytes()
    }

    /// A stream object holding `content`.
    fn stream(dict: &str, content: &str) -> String {
        format!("<< {dict} /Length {} >>\nstream\n{content}\nendstream", content.len())
    }

    /// A one-page PDF (objects 1–5: catalog, pages, page, content, font)
    /// whose page draws form `/X1` (object 6) after its text, and `forms`
    /// from object 6 on.
    fn with_forms(page: &str, parent: &str, forms: &[String]) -> Vec<u8> {
        let mut objects = vec![
            "<< /Type /Catalog /Pages 2 0 R >>".to_string(),
            "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_string(),
            format!(
                "<< /Type /Page /Parent {parent} {page} /Resources << /Font << /F1 5 0 R >> \
                 /XObject << /X1 6 0 R >> >> /Contents 4 0 R >>"
            ),
            stream("", "BT /F1 12 Tf 72 712 Td (Yamada 090-1234-5678) Tj ET /X1 Do"),
            "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".to_string(),
        ];
        objects.extend(forms.iter().cloned());
        pdf(&objects)
    }

    /// A form XObject drawing `content` with `resources`.
    fn form(resources: &str, content: &str) -> String {
        stream(&format!("/Type /XObject /Subtype /Form /BBox [0 0 9 9] {resources}"), content)
    }

    #[test]
    fn corrupt_and_truncated_are_errors() {
        assert!(sniff(b"%PDF-1.4\n"));
        assert!(extract(b"%PDF-1.4\ngarbage").unwrap_err().starts_with("corrupt PDF"));
        // A page tree whose only kid is itself (issue 20 item 10).
        let objects =
            ["<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [2 0 R] /Count 1 >>"];
        assert_eq!(
            extract(&pdf(&objects.map(String::from))).unwrap_err(),
            "corrupt PDF: no page can be found (a damaged page tree)"
        );
        assert_eq!(tidy("\n\n  氏名 山田  \n電話\n"), "  氏名 山田\n電話\n");
    }

    /// The page's one error, or its text.
    fn read(bytes: &[u8]) -> Result<String, String> {
        let pdf = extract(bytes)?;
        match (&pdf.errors[..], &pdf.pages[..]) {
            ([(1, why)], []) => Err(why.clone()),
            ([], [(1, text)]) => Ok(text.clone()),
            _ => panic!("{pdf:?}"),
        }
    }

    #[test]
    fn forms_that_would_never_end_are_page_errors_and_others_are_read() {
        let mbox = "/MediaBox [0 0 612 792]";
        let at = "2 0 R";
        let drawn = |text: &str| format!("BT /F1 12 Tf 72 700 Td ({text}) Tj ET");
        let fonts = "/Resources << /Font << /F1 5 0 R >> >>";
        // A form with text of its own is read with the page.
        let text = read(&with_forms(mbox, at, &[form(fonts, &drawn("tanaka@example.jp"))]));
        let text = text.unwrap();
        assert!(text.contains("090-1234-5678") && text.contains("tanaka@example.jp"), "{text}");
        // A form that draws itself (through the page's resources, which it
        // has for its own), and two forms that draw each other: pdf-extract
        // recursed until the stack overflowed, aborting the scan.
        let loops = "corrupt PDF page: a form draws itself (its XObjects loop)";
        assert_eq!(read(&with_forms(mbox, at, &[form("", "/X1 Do")])), Err(loops.into()));
        let two = [
            form("/Resources << /XObject << /X2 7 0 R >> >>", "/X2 Do"),
            form("/Resources << /XObject << /X3 6 0 R >> >>", "/X3 Do"),
        ];
        assert_eq!(read(&with_forms(mbox, at, &two)), Err(loops.into()));
        // `n` forms from object 6 on, each drawing the next with `draws`,
        // and then `last`.
        let nested = |n: usize, draws: &str, last: String| -> Vec<String> {
            (6..6 + n)
                .map(|o| form(&format!("/Resources << /XObject << /N {} 0 R >> >>", o + 1), draws))
                .chain([last])
                .collect()
        };
        // Forty forms, each drawing the next.
        let deep = "corrupt PDF page: its forms nest too deep";
        let chain = nested(40, "/N Do", form("", ""));
        assert_eq!(read(&with_forms(mbox, at, &chain)), Err(deep.into()));
        // Twenty forms, each drawing the next twice: a million drawings.
        let many = "corrupt PDF page: its forms are drawn too many times";
        let doubling = nested(20, "/N Do /N Do", form("", ""));
        assert_eq!(read(&with_forms(mbox, at, &doubling)), Err(many.into()));
        // Nine forms, each drawing the next twice, are read (1,023 drawings).
        let ten = nested(9, "/N Do /N Do", form(fonts, &drawn("x")));
        assert!(read(&with_forms(mbox, at, &ten)).is_ok());
        // A page that is its own parent and has no /MediaBox: pdf-extract
        // looked for one up the loop forever. With one, the loop is never
        // followed and the page is read.
        let empty = form(fonts, "");
        assert_eq!(
            read(&with_forms("", "3 0 R", std::slice::from_ref(&empty))),
            Err("corrupt PDF page: its page tree loops back on itself".into())
        );
        assert!(read(&with_forms(mbox, "3 0 R", &[empty])).unwrap().contains("090-1234-5678"));
    }
}

//! Inline suppressions: a `piimap:allow` comment on a line, or on the line
//! before it, silences that line's findings — every category, or only those
//! listed as `piimap:allow=phone,email`. Suppressed findings are counted in
//! the summary, so a suppression is never invisible.
//!
//! This works on the text of a record and its category; it knows nothing of
//! files or detectors.

use memchr::memmem;

use crate::finding::Category;

const MARKER: &str = "piimap:allow";

/// The allowances of one text's lines ([`allowed`]), asked as its hits
/// come: a line's is worked out once, for all its hits. Where hits are
/// dense (a table), the text is first searched for a marker at all, and
/// without one no line is read: 1.2% of a customer table's instructions.
/// Where they are sparse (logs, prose), that search cost more than the
/// lines' (0.7% more instructions on logs).
pub struct Allowances<'t> {
    text: &'t str,
    /// A marker may be in the text (where hits are sparse, not searched).
    marked: bool,
    /// The line last asked, by its start, and its allowance.
    last: Option<(usize, u16)>,
}

/// Hits are dense when more than one per this many bytes of a text; else
/// (no hits at all included, a small file's most often) their lines are
/// read one by one, without a search of the whole text first.
const BYTES_PER_HIT: usize = 1024;

impl<'t> Allowances<'t> {
    /// For `hits` hits on the lines of `text`.
    pub fn new(text: &'t str, hits: usize) -> Allowances<'t> {
        let marked = hits <= text.len() / BYTES_PER_HIT || any(text);
        Allowances { text, marked, last: None }
    }

    /// What a marker on the line starting at `line_start`, or on the line
    /// before it, allows ([`allowed`]).
    pub fn of(&mut self, line_start: usize) -> u16 {
        if !self.marked {
            return 0;
        }
        match self.last {
            Some((start, allows)) if start == line_start => allows,
            _ => {
                let allows = allowed(self.text, line_start);
                self.last = Some((line_start, allows));
                allows
            }
        }
    }
}

/// Whether `text` holds a `piimap:allow` anywhere: when not, [`allowed`]
/// is 0 on every line of it.
fn any(text: &str) -> bool {
    FINDER.find(text.as_bytes()).is_some()
}

/// The marker's searcher, built once: it runs for every line with a hit.
static FINDER: std::sync::LazyLock<memmem::Finder<'static>> =
    std::sync::LazyLock::new(|| memmem::Finder::new(MARKER));

/// The categories (a [`Category::bit`] mask) that a `piimap:allow` on the
/// line starting at byte `line_start` of `text`, or on the line before it,
/// allows. Asked once per line, not once per hit ([`Allowances`]): the
/// search reads the whole line, and a line may hold thousands of hits.
fn allowed(text: &str, line_start: usize) -> u16 {
    let bytes = text.as_bytes();
    let line_end =
        memchr::memchr(b'\n', &bytes[line_start..]).map_or(text.len(), |i| line_start + i);
    let previous_start = line_start
        .checked_sub(1)
        .map(|nl| memchr::memrchr(b'\n', &bytes[..nl]).map_or(0, |i| i + 1));
    let allows = |line: &str| {
        let mut mask = 0;
        for at in FINDER.find_iter(line.as_bytes()) {
            let rest = &line[at + MARKER.len()..];
            match rest.strip_prefix('=') {
                // `piimap:allowance` is another word, not the marker.
                None if !rest.starts_with(|c: char| c.is_ascii_alphanumeric() || c == '_') => {
                    return u16::MAX;
                }
                None => {}
                Some(list) => {
                    let list = list
                        .split(|c: char| !(c.is_ascii_lowercase() || c == '_' || c == ','))
                        .next()
                        .unwrap_or("");
                    for id in list.split(',') {
                        if let Some(c) = Category::ALL.iter().find(|c| c.id() == id) {
                            mask |= c.bit();
                        }
                    }
                }
            }
        }
        mask
    };
    allows(&text[line_start..line_end])
        | previous_start.map_or(0, |s| allows(&text[s..line_start.saturating_sub(1).max(s)]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_text_without_the_marker_allows_nothing_anywhere() {
        let marked = "TEL 090-1111-2222\nx # piimap:allowance\n";
        assert!(any(marked), "any spelling of the marker counts as one");
        let plain = "TEL 090-1111-2222\n# piimap allow\nTEL 090-3333-4444\n";
        assert!(!any(plain));
        let starts = plain.match_indices('\n').map(|(i, _)| i + 1).filter(|&i| i < plain.len());
        let starts: Vec<usize> = std::iter::once(0).chain(starts).collect();
        assert!(starts.iter().all(|&at| allowed(plain, at) == 0));
        // Dense or sparse hits, the lines allow what they allow.
        let line = marked.find('x').unwrap();
        for hits in [1, 10_000] {
            assert!(starts.iter().all(|&at| Allowances::new(plain, hits).of(at) == 0));
            let mut allowances = Allowances::new(marked, hits);
            assert_eq!((allowances.of(0), allowances.of(line)), (0, 0), "allowance is no marker");
        }
        let text = "# piimap:allow=phone\nTEL 090-1111-2222\n";
        let mut dense = Allowances::new(text, 10_000);
        assert_eq!(dense.of(21), Category::Phone.bit());
        assert_eq!(dense.of(21), Category::Phone.bit(), "asked again, the same");
    }

    #[test]
    fn on_the_line_or_the_line_before() {
        let text = "TEL 090-1111-2222  # piimap:allow\n# piimap:allow=phone,email\nTEL 090-3333-4444\nTEL 090-5555-6666\n";
        let line = |n: usize| text.lines().take(n).map(|l| l.len() + 1).sum::<usize>();
        let allows = |at: usize, c: Category| allowed(text, at) & c.bit() != 0;
        assert!(allows(line(0), Category::Phone));
        assert!(allows(line(2), Category::Phone));
        assert!(allows(line(2), Category::Email));
        assert!(!allows(line(2), Category::Address));
        assert!(!allows(line(3), Category::Phone));
        assert_eq!(allowed("# piimap:allowance\nTEL 090-1111-2222", 19), 0);
        // A line that starts with a byte order mark: the line before is
        // read up to its line break.
        let bom = "# piimap:allow=phone\n\u{FEFF}TEL 090-1111-2222\nx";
        assert_eq!(allowed(bom, bom.find('\u{FEFF}').unwrap()), Category::Phone.bit());
        assert_eq!(allowed("TEL 090-1111-2222 // piimap:allow", 0), u16::MAX);
        // Lists add up; an unknown id allows nothing.
        assert_eq!(
            allowed("x piimap:allow=phone piimap:allow=email,nonsense", 0),
            Category::Phone.bit() | Category::Email.bit()
        );
    }
}

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

/// Whether `text` holds a `piimap:allow` anywhere: when not, [`allowed`]
/// is 0 on every line of it. Asked once of a chunk dense with findings
/// (a table), whose every line would be asked otherwise.
pub fn any(text: &str) -> bool {
    FINDER.find(text.as_bytes()).is_some()
}

/// The marker's searcher, built once: it runs for every line with a hit.
static FINDER: std::sync::LazyLock<memmem::Finder<'static>> =
    std::sync::LazyLock::new(|| memmem::Finder::new(MARKER));

/// The categories (a [`Category::bit`] mask) that a `piimap:allow` on the
/// line starting at byte `line_start` of `text`, or on the line before it,
/// allows. Callers ask once per line, not once per hit: the search reads the
/// whole line, and a line may hold thousands of hits.
pub fn allowed(text: &str, line_start: usize) -> u16 {
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
        assert!(std::iter::once(0).chain(starts).all(|at| allowed(plain, at) == 0));
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

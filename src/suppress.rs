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

/// True when the line starting at byte `line_start` of `text`, or the line
/// before it, allows `category`.
pub fn allowed(text: &str, line_start: usize, category: Category) -> bool {
    let bytes = text.as_bytes();
    let line_end =
        memchr::memchr(b'\n', &bytes[line_start..]).map_or(text.len(), |i| line_start + i);
    let previous_start = line_start
        .checked_sub(1)
        .map(|nl| memchr::memrchr(b'\n', &bytes[..nl]).map_or(0, |i| i + 1));
    // Built once: this runs for every hit.
    static FINDER: std::sync::LazyLock<memmem::Finder<'static>> =
        std::sync::LazyLock::new(|| memmem::Finder::new(MARKER));
    let allows = |line: &str| {
        FINDER.find_iter(line.as_bytes()).any(|at| {
            let rest = &line[at + MARKER.len()..];
            match rest.strip_prefix('=') {
                // `piimap:allowance` is another word, not the marker.
                None => !rest.starts_with(|c: char| c.is_ascii_alphanumeric() || c == '_'),
                Some(list) => list
                    .split(|c: char| !(c.is_ascii_lowercase() || c == '_' || c == ','))
                    .next()
                    .unwrap_or("")
                    .split(',')
                    .any(|c| c == category.id()),
            }
        })
    };
    allows(&text[line_start..line_end])
        || previous_start.is_some_and(|s| allows(&text[s..line_start.saturating_sub(1).max(s)]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn on_the_line_or_the_line_before() {
        let text = "TEL 090-1111-2222  # piimap:allow\n# piimap:allow=phone,email\nTEL 090-3333-4444\nTEL 090-5555-6666\n";
        let line = |n: usize| text.lines().take(n).map(|l| l.len() + 1).sum::<usize>();
        assert!(allowed(text, line(0), Category::Phone));
        assert!(allowed(text, line(2), Category::Phone));
        assert!(allowed(text, line(2), Category::Email));
        assert!(!allowed(text, line(2), Category::Address));
        assert!(!allowed(text, line(3), Category::Phone));
        assert!(!allowed("# piimap:allowance\nTEL 090-1111-2222", 19, Category::Phone));
        assert!(allowed("TEL 090-1111-2222 // piimap:allow", 0, Category::Phone));
    }
}

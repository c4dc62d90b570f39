//! Folding of Japanese text variants before matching, with a map back to the
//! original offsets.
//!
//! Japanese documents write the same number many ways: full-width digits
//! (`０９０`), full-width punctuation (`＠`, `：`, `（`) and a family of dash-like
//! characters (`−‐―ーｰ－`) between digits. Detectors are written against plain
//! ASCII, so this module folds those forms into ASCII first. Every fold maps one
//! character (or one escape) to one character (or none), which keeps the offset
//! map tiny: it only records the points where the two texts drift apart, and a
//! lookup is a binary search (or, for offsets asked in order, a search on
//! from the last: [`Folded::forward`]).
//!
//! What is folded:
//! - U+FF01..=U+FF5E (full-width ASCII) to ASCII;
//! - the dash family to `-`, but only between two digits (`ー` after a katakana
//!   is a long vowel, not a dash).
//!
//! What is decoded, as values are written where data travels: JSON's
//! `\uXXXX` escapes (`"\u5c71\u7530"`), HTML character references (`&#x5C71;`,
//! `&#64;`, `&amp;`, `&commat;`), the URL-encoded `@` (`taro%40example.jp` in
//! access logs), and zero-width characters inside a value (removed). Nothing
//! decodes to a control character or a line break, so lines stay lines. A
//! decoded character maps back to its whole escape.
//!
//! This module knows nothing of detectors or files.

use memchr::memmem;

/// Characters that read as a hyphen when they sit between two digits.
const DASHES: &[char] = &[
    '\u{2010}', '\u{2011}', '\u{2012}', '\u{2013}', '\u{2014}', '\u{2015}', '\u{2043}', '\u{2212}',
    '\u{23AF}', '\u{23E4}', '\u{2500}', '\u{2501}', '\u{30FC}', '\u{FE58}', '\u{FE63}', '\u{FF0D}',
    '\u{FF70}',
];

/// A folded copy of a text and the map back to the original byte offsets.
///
/// Reused across texts so the hot path does not allocate.
#[derive(Debug, Default)]
pub struct Folded {
    text: String,
    /// `(folded offset, original offset)` at every point where the two texts
    /// start or stop differing; sorted by both fields.
    points: Vec<(u32, u32)>,
    changed: bool,
}

impl Folded {
    /// Folds `src`; afterwards [`Folded::text`] returns either `src` itself (when
    /// nothing needed folding) or the folded copy.
    ///
    /// Only the places that can fold are visited: lead bytes 0xEF (full-width
    /// forms) and 0xE2 (most dashes) found with `memchr`, `ー` found with
    /// `memmem` — Japanese text is full of other three-byte characters that
    /// never fold — and the `\\`, `&` and `%` that start escapes. The copy is
    /// only made once something actually changes.
    pub fn fold(&mut self, src: &str) {
        self.text.clear();
        self.points.clear();
        self.changed = false;
        let bytes = src.as_bytes();
        let mut leads = memchr::memchr2_iter(0xEF, 0xE2, bytes).peekable();
        let mut long_vowels = long_vowel().find_iter(bytes).peekable();
        let mut escapes = memchr::memchr3_iter(b'\\', b'&', b'%', bytes).peekable();
        let mut copied = 0;
        loop {
            // The earliest of the three kinds of candidate.
            let next = [leads.peek(), long_vowels.peek(), escapes.peek()]
                .into_iter()
                .enumerate()
                .filter_map(|(k, at)| at.map(|&at| (at, k)))
                .min();
            let Some((i, kind)) = next else { break };
            match kind {
                0 => leads.next(),
                1 => long_vowels.next(),
                _ => escapes.next(),
            };
            // Inside an escape already decoded.
            if i < copied {
                continue;
            }
            // Each candidate byte only ever leads a character, so `i` is a
            // boundary.
            let Some((replacement, len)) = decode_at(src, i) else { continue };
            if !self.changed {
                self.changed = true;
                self.text.reserve(src.len());
            }
            self.text.push_str(&src[copied..i]);
            self.points.push((self.text.len() as u32, i as u32));
            if let Some(r) = replacement {
                self.text.push(r);
            }
            copied = i + len;
            self.points.push((self.text.len() as u32, copied as u32));
        }
        if self.changed {
            self.text.push_str(&src[copied..]);
        }
    }

    /// Whether folding changed nothing: the folded text is the original,
    /// offsets and all.
    pub fn unchanged(&self) -> bool {
        !self.changed
    }

    /// The text to match against: the folded copy, or `src` when nothing changed.
    pub fn text<'a>(&'a self, src: &'a str) -> &'a str {
        if self.changed { &self.text } else { src }
    }

    /// Maps a byte offset in the folded text (at a character boundary) back to
    /// the original text.
    pub fn original_offset(&self, offset: usize) -> usize {
        if !self.changed {
            return offset;
        }
        let o = offset as u32;
        self.original_past(self.points.partition_point(|&(f, _)| f <= o), offset)
    }

    /// The original offset of the folded `offset`, past the first `n`
    /// points (those at or before it).
    fn original_past(&self, n: usize, offset: usize) -> usize {
        match n {
            0 => offset,
            n => {
                let (f, s) = self.points[n - 1];
                (s as usize) + offset - f as usize
            }
        }
    }

    /// [`Folded::original_offset`] for offsets asked in increasing order
    /// (the starts of a text's lines, and the values on each): each lookup
    /// goes on from the last, where a binary search per line over a text's
    /// thousands of points (full-width brackets and colons in Japanese
    /// prose) waited on a cache miss at each step.
    pub fn forward(&self) -> Forward<'_> {
        Forward { folded: self, next: 0 }
    }

    /// Maps a byte offset in the original text (at a character boundary) to
    /// the folded text: the inverse of [`Folded::original_offset`].
    pub fn folded_offset(&self, offset: usize) -> usize {
        if !self.changed {
            return offset;
        }
        let o = offset as u32;
        match self.points.partition_point(|&(_, s)| s <= o) {
            0 => offset,
            n => {
                let (f, s) = self.points[n - 1];
                (f + (o - s)) as usize
            }
        }
    }
}

/// See [`Folded::forward`].
pub struct Forward<'a> {
    folded: &'a Folded,
    /// How many points lie at or before the last offset it moved to.
    next: usize,
}

impl Forward<'_> {
    /// [`Folded::original_offset`] of `offset`, which is no smaller than the
    /// last one it moved to; it moves there.
    pub fn original_offset(&mut self, offset: usize) -> usize {
        self.next = self.points_to(offset);
        self.folded.original_past(self.next, offset)
    }

    /// Where the line that starts at the folded `line_start` starts in the
    /// original text: just after the line break before it (kept as it is),
    /// so that a line whose first characters fold away (a byte order mark
    /// inside a file, a zero-width space) starts at its first byte, not
    /// after them. That line break is no earlier than the last offset it
    /// moved to; it moves there.
    pub fn original_line_start(&mut self, line_start: usize) -> usize {
        line_start.checked_sub(1).map_or(0, |nl| self.original_offset(nl) + 1)
    }

    /// [`Folded::original_offset`] of `offset`, which is no smaller than the
    /// last one it moved to, without moving: the values of the line whose
    /// start it moved to last, found in any order.
    // Always inlined: out of line, a table's values (five or more a row)
    // each paid a call for what is mostly one comparison.
    #[inline(always)]
    pub fn ahead(&self, offset: usize) -> usize {
        self.folded.original_past(self.points_to(offset), offset)
    }

    /// How many points lie at or before `offset`: the next line's are
    /// mostly a few points on, and a value's mostly none past its line's
    /// start.
    #[inline(always)]
    fn points_to(&self, offset: usize) -> usize {
        let Folded { points, changed, .. } = self.folded;
        if !changed {
            return 0;
        }
        let o = offset as u32;
        debug_assert!(self.next == 0 || points[self.next - 1].0 <= o, "asked backwards");
        self.next + super::partition_point_near(&points[self.next..], |&(f, _)| f <= o)
    }
}

/// `s` folded, as an owned string: for keywords and anchors, which are
/// matched against folded text and so must be folded themselves (`ＴＥＬ`).
pub fn fold_str(s: &str) -> String {
    fold_cow(s).into_owned()
}

/// The finder of `ー`, built once: building one costs more than searching
/// the short values it is run on.
fn long_vowel() -> &'static memmem::Finder<'static> {
    static FINDER: std::sync::OnceLock<memmem::Finder<'static>> = std::sync::OnceLock::new();
    FINDER.get_or_init(|| memmem::Finder::new("ー".as_bytes()))
}

/// `s` folded, borrowed when nothing needed folding (most values): for
/// code that folds one short value at a time.
pub fn fold_cow(s: &str) -> std::borrow::Cow<'_, str> {
    // Most values fold to themselves: one pass over their bytes for what can
    // fold (a 0xE2 or 0xEF lead byte, or `ー`) costs a fraction of setting up
    // the searches of [`Folded::fold`], which pay off on long texts only.
    if !may_fold(s.as_bytes()) {
        return std::borrow::Cow::Borrowed(s);
    }
    let mut f = Folded::default();
    f.fold(s);
    if f.changed { std::borrow::Cow::Owned(f.text) } else { std::borrow::Cow::Borrowed(s) }
}

/// Whether `bytes` hold what [`Folded::fold`] can change: a 0xE2 or 0xEF
/// lead byte, `\`, `&`, `%`, or `ー` (0xE3 0x83 0xBC). A table says which
/// bytes stop the scan; of those only 0xE3, the lead of every kana, needs a
/// look at the two bytes after it.
fn may_fold(bytes: &[u8]) -> bool {
    const STOPS: [bool; 256] = {
        let mut stops = [false; 256];
        let mut i = 0;
        let list = [0xE2, 0xE3, 0xEF, b'\\', b'&', b'%'];
        while i < list.len() {
            stops[list[i] as usize] = true;
            i += 1;
        }
        stops
    };
    let mut from = 0;
    while let Some(n) = bytes[from..].iter().position(|&b| STOPS[usize::from(b)]) {
        let at = from + n;
        if bytes[at] != 0xE3 || bytes[at + 1..].starts_with(&[0x83, 0xBC]) {
            return true;
        }
        from = at + 1;
    }
    false
}

/// What the text at byte `i` of `src` folds or decodes to — a character, or
/// nothing for a zero-width one — and how many bytes of `src` that takes;
/// None when it stays as it is.
fn decode_at(src: &str, i: usize) -> Option<(Option<char>, usize)> {
    let rest = &src[i..];
    let b = rest.as_bytes();
    // A decoded character never breaks a line or hides in one.
    let printable = |c: char| (c >= ' ' && c != '\u{7f}').then_some(c);
    match b[0] {
        b'\\' => {
            let unit = |at: usize| {
                let hex = rest.get(at..at + 6)?.strip_prefix("\\u")?;
                u32::from_str_radix(hex, 16)
                    .ok()
                    .filter(|_| hex.bytes().all(|h| h.is_ascii_hexdigit()))
            };
            let high = unit(0)?;
            if (0xD800..0xDC00).contains(&high) {
                let low = unit(6).filter(|l| (0xDC00..0xE000).contains(l))?;
                let c = char::from_u32(0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00))?;
                return Some((Some(c), 12));
            }
            Some((Some(printable(char::from_u32(high)?)?), 6))
        }
        b'&' => {
            let semi = b.iter().take(10).position(|&c| c == b';')?;
            let name = &rest[1..semi];
            let c = if let Some(num) = name.strip_prefix('#') {
                let (digits, radix) = match num.strip_prefix(['x', 'X']) {
                    Some(hex) => (hex, 16),
                    None => (num, 10),
                };
                if digits.is_empty() || !digits.chars().all(|d| d.is_digit(radix)) {
                    return None;
                }
                printable(char::from_u32(u32::from_str_radix(digits, radix).ok()?)?)?
            } else {
                match name {
                    "amp" => '&',
                    "lt" => '<',
                    "gt" => '>',
                    "quot" => '"',
                    "apos" => '\'',
                    "nbsp" => ' ',
                    "commat" => '@',
                    "period" => '.',
                    _ => return None,
                }
            };
            Some((Some(c), semi + 1))
        }
        b'%' => b.get(1..3).filter(|h| *h == b"40").map(|_| (Some('@'), 3)),
        _ => {
            let c = rest.chars().next()?;
            let replacement = match c {
                '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0),
                '\u{200B}'..='\u{200D}' | '\u{2060}' | '\u{FEFF}' => {
                    return Some((None, c.len_utf8()));
                }
                _ if DASHES.contains(&c) => {
                    let before_digit = src[..i].chars().next_back().is_some_and(is_digit);
                    let after_digit = rest[c.len_utf8()..].chars().next().is_some_and(is_digit);
                    (before_digit && after_digit).then_some('-')
                }
                _ => None,
            };
            replacement.map(|r| (Some(r), c.len_utf8()))
        }
    }
}

fn is_digit(c: char) -> bool {
    c.is_ascii_digit() || ('\u{FF10}'..='\u{FF19}').contains(&c)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::borrow::Cow;

    #[test]
    fn what_may_fold_is_told_from_the_bytes() {
        // The definition: a byte that can start a fold, or `ー`.
        let defined = |s: &str| {
            let b = s.as_bytes();
            (0..b.len()).any(|i| {
                matches!(b[i], 0xE2 | 0xEF | b'\\' | b'&' | b'%')
                    || b[i..].starts_with("ー".as_bytes())
            })
        };
        let pieces = [
            "a", "1", "山", "さ", "カ", "ー", "ヶ", "–", "０", "\\", "&", "%", "。", "\u{3000}",
            "🙂", "é",
        ];
        // Every string of up to three pieces.
        for s in &crate::detect::strings_of(&pieces, 3) {
            assert_eq!(may_fold(s.as_bytes()), defined(s), "{s:?}");
        }
    }

    /// What [`crate::detect::DetectorSet::folded_to_itself`] relies on: a
    /// text that folds to itself has no part that folds.
    #[test]
    fn no_part_of_a_text_that_folds_to_itself_folds() {
        let pieces = [
            "1", "-", "\u{2010}", "ー", "\\u0041", "\\ud83d", "\\ude00", "&amp;", "&#64", ";",
            "%40", "%4", "0", "Ａ", "\u{200B}", "a", "あ", "１",
        ];
        let (mut unchanged, mut parts) = (0, 0);
        for s in &crate::detect::strings_of(&pieces, 4) {
            if matches!(fold_cow(s), Cow::Owned(_)) {
                continue;
            }
            unchanged += 1;
            let bounds: Vec<usize> = (0..=s.len()).filter(|&i| s.is_char_boundary(i)).collect();
            for (k, &a) in bounds.iter().enumerate() {
                for &b in &bounds[k..] {
                    assert!(
                        matches!(fold_cow(&s[a..b]), Cow::Borrowed(_)),
                        "{:?} of {s:?}",
                        &s[a..b]
                    );
                    parts += 1;
                }
            }
        }
        assert!(unchanged > 10_000 && parts > 100_000, "{unchanged} {parts}");
    }

    fn fold(s: &str) -> (String, Folded) {
        let mut f = Folded::default();
        f.fold(s);
        (f.text(s).to_string(), f)
    }

    #[test]
    fn folds_full_width_digits_and_dashes_between_digits() {
        let (t, _) = fold("電話：０９０－１２３４ー５６７８");
        assert_eq!(t, "電話:090-1234-5678");
        let (t, _) = fold("100ー0001 と データー");
        assert_eq!(t, "100-0001 と データー");
        let (t, _) = fold("03−1234‐5678 ｱｰｽ");
        assert_eq!(t, "03-1234-5678 ｱｰｽ");
    }

    #[test]
    fn fold_cow_folds_as_fold_does() {
        // Its shortcut must miss nothing that folds: every dash between
        // digits, full-width forms, ー, and text where nothing folds.
        let mut texts: Vec<String> = DASHES.iter().map(|d| format!("03{d}1234")).collect();
        texts.extend(
            ["０９０", "ＴＥＬ：", "カタカナー", "090ー1234", "東京都千代田区", "plain", ""]
                .map(String::from),
        );
        for t in &texts {
            let (folded, _) = fold(t);
            assert_eq!(fold_cow(t), folded, "{t}");
        }
        assert!(matches!(fold_cow("東京都千代田区"), std::borrow::Cow::Borrowed(_)));
    }

    #[test]
    fn escapes_decode_and_map_back_to_their_whole_escape() {
        let src = concat!(
            r#"{"name": "\u5c71\u7530", "m": "taro%40example.jp", "#,
            r#""h": "&#x5C71;&#30000; &amp; &commat;", "z": "a"#,
            "\u{200B}",
            r#"b", "e": "\ud83d\ude00"}"#
        );
        let (t, f) = fold(src);
        assert_eq!(
            t,
            r#"{"name": "山田", "m": "taro@example.jp", "h": "山田 & @", "z": "ab", "e": "😀"}"#
        );
        let at = |s: &str| t.find(s).unwrap();
        assert_eq!(
            &src[f.original_offset(at("山田"))..f.original_offset(at("山田") + 6)],
            "\\u5c71\\u7530"
        );
        assert_eq!(
            &src[f.original_offset(at("taro"))..f.original_offset(at(".jp") + 3)],
            "taro%40example.jp"
        );
        // No line breaks or control characters come out of an escape, and
        // what is no escape stays.
        for same in [r"a\u000ab", "&#10;", "&#x1F;", "&unknown; 100%", r"\u12", "&#xZZ;"] {
            assert_eq!(fold(same).0, same);
        }
        for t in [r"\u5c71", "&#64;", "a%40b", "a\u{200B}b"] {
            assert_eq!(fold_cow(t), fold(t).0, "{t}");
        }
    }

    #[test]
    fn plain_text_is_not_copied() {
        let mut f = Folded::default();
        let s = "plain ascii 090-1234-5678 と カタカナー";
        f.fold(s);
        assert!(std::ptr::eq(f.text(s), s));
        assert_eq!(f.original_offset(7), 7);
    }

    #[test]
    fn offsets_map_back_to_the_original() {
        let src = "TEL：０３ー1234";
        let (t, f) = fold(src);
        assert_eq!(t, "TEL:03-1234");
        let start = t.find("03").unwrap();
        assert_eq!(&src[f.original_offset(start)..], "０３ー1234");
        assert_eq!(f.original_offset(t.len()), src.len());
        let dash = t.find('-').unwrap();
        assert_eq!(&src[f.original_offset(dash)..], "ー1234");
        // And forth: every character boundary maps to its folded place.
        for (i, _) in src.char_indices().chain([(src.len(), ' ')]) {
            assert_eq!(f.original_offset(f.folded_offset(i)), i, "{i}");
        }
        assert_eq!(&t[f.folded_offset(src.find('３').unwrap())..], "3-1234");
    }

    #[test]
    fn offsets_asked_in_order_map_back_as_each_alone() {
        // Folds on every line, and lines with dozens of points, asked at
        // every boundary, then at every few, then far apart.
        let src = (0..60)
            .map(|i| format!("（{}）：０{i}ー{}\n", "Ａ".repeat(i % 5), "ｘ：".repeat(i % 40)))
            .collect::<String>();
        let (t, f) = fold(&src);
        let bounds: Vec<usize> = t.char_indices().map(|(i, _)| i).chain([t.len()]).collect();
        for stride in [1, 3, 17, 250, bounds.len()] {
            let mut forward = f.forward();
            for &o in bounds.iter().step_by(stride) {
                assert_eq!(forward.original_offset(o), f.original_offset(o), "{stride} {o}");
            }
        }
        // Each line's start moved to, then its offsets asked in reverse
        // without moving: the next line's start is still found.
        let mut lines = f.forward();
        for (k, line) in t.split_inclusive('\n').enumerate() {
            let start = t.split_inclusive('\n').take(k).map(str::len).sum::<usize>();
            let expected = start.checked_sub(1).map_or(0, |nl| f.original_offset(nl) + 1);
            assert_eq!(lines.original_line_start(start), expected, "{k}");
            for o in (start..=start + line.len()).rev().filter(|&o| t.is_char_boundary(o)) {
                assert_eq!(lines.ahead(o), f.original_offset(o), "{k} {o}");
            }
        }
        let (plain, f) = fold("no folds");
        assert_eq!(f.forward().original_offset(plain.len()), plain.len());
        assert_eq!(f.forward().ahead(3), 3);
    }
}

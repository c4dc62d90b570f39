//! Anchors: the cheap first stage of detection. Every detector names literals
//! (by default the ASCII digits) of which any line it can match holds at least
//! one. A pass over the text finds the lines that hold any anchor — most lines
//! of prose hold none and are never seen by a regex — and, for each such line,
//! which anchors it holds, so that only the detectors anchored there run.
//!
//! Digits are found eight bytes at a time (SWAR), up to three other one-byte
//! anchors (`@`, `:`) with `memchr`, a few longer literals (`丁目`, `性別`)
//! with one `memmem` finder each, and many literals with Aho-Corasick. The
//! cheap searches matter on Japanese text: an Aho-Corasick prefilter over kanji
//! literals fingerprints their lead bytes, which nearly every Japanese
//! character shares, and then verifies almost every position (measured: a
//! fifth of scan time), while `memmem` keys on a pair of bytes inside the
//! literal.
//! The [`Cursor`] remembers the next hit of each kind so that no byte is
//! searched twice.

use aho_corasick::AhoCorasick;
use memchr::memmem::Finder;

/// The bit of the digit anchor in a line's or a detector's anchor mask.
const DIGITS: u64 = 1;

/// Up to this many literal spellings get a `memmem` finder each.
const FINDERS: usize = 8;

/// The compiled anchors of a detector set.
#[derive(Debug)]
pub(crate) struct Anchors {
    /// Some detector is anchored on ASCII digits.
    digits: bool,
    /// One-byte anchors (at most three, for `memchr3`) and their bits.
    bytes: Vec<(u8, u64)>,
    /// The other anchors, in their usual case forms.
    literals: Literals,
}

/// The multi-byte anchors, searched the cheapest way their number allows.
#[derive(Debug)]
enum Literals {
    /// A `memmem` finder per spelling, with the bit of its anchor.
    Few(Vec<(Finder<'static>, u64)>),
    /// The automaton and, per pattern, the bit of the anchor it spells.
    Many(AhoCorasick, Vec<u64>),
}

impl Anchors {
    /// Compiles the anchors of every detector (an empty list: the detector
    /// takes no part) and returns each detector's anchor mask with them. A
    /// single ASCII digit stands for the class of all digits (the default
    /// anchors are the ten of them).
    pub(crate) fn new(per_detector: &[&[String]]) -> Result<(Anchors, Vec<u64>), String> {
        let is_digit = |a: &str| a.len() == 1 && a.as_bytes()[0].is_ascii_digit();
        let mut others: Vec<&str> = per_detector
            .iter()
            .flat_map(|list| list.iter().map(String::as_str))
            .filter(|a| !is_digit(a))
            .collect();
        others.sort_unstable();
        others.dedup();
        // One bit per distinct anchor; past 63 of them the rest share a bit,
        // which only costs a few needless regex runs.
        let bit = |a: &str| -> u64 {
            if is_digit(a) {
                DIGITS
            } else {
                let i = others.binary_search(&a).unwrap_or(0);
                1 << (i + 1).min(63)
            }
        };
        let masks =
            per_detector.iter().map(|list| list.iter().fold(0, |m, a| m | bit(a))).collect();
        let digits = per_detector.iter().flat_map(|l| l.iter()).any(|a| is_digit(a));

        // Letters stay with the literals, which spell out their case forms.
        let one_byte = |l: &str| l.len() == 1 && !l.as_bytes()[0].is_ascii_alphabetic();
        let mut bytes = Vec::new();
        let mut literals = others.clone();
        if others.iter().filter(|l| one_byte(l)).count() <= 3 {
            bytes =
                others.iter().filter(|l| one_byte(l)).map(|l| (l.as_bytes()[0], bit(l))).collect();
            literals.retain(|l| !one_byte(l));
        }
        // Case forms are spelled out rather than matched case-insensitively:
        // an ASCII-case-insensitive automaton gets no SIMD prefilter and walks
        // every byte.
        let mut forms: Vec<(String, u64)> =
            literals.iter().flat_map(|l| case_forms(l).into_iter().map(|f| (f, bit(l)))).collect();
        forms.sort_unstable();
        forms.dedup_by(|a, b| a.0 == b.0);
        let literals = if forms.len() <= FINDERS {
            Literals::Few(
                forms.iter().map(|(f, b)| (Finder::new(f.as_bytes()).into_owned(), *b)).collect(),
            )
        } else {
            Literals::Many(
                AhoCorasick::new(forms.iter().map(|(f, _)| f)).map_err(|e| e.to_string())?,
                forms.iter().map(|(_, b)| *b).collect(),
            )
        };
        Ok((Anchors { digits, bytes, literals }, masks))
    }

    /// The anchors `line` holds, as a mask to test detector masks against.
    pub(crate) fn line_mask(&self, line: &str) -> u64 {
        let bytes = line.as_bytes();
        let mut mask = 0;
        if self.digits && next_digit(bytes, 0).is_some() {
            mask |= DIGITS;
        }
        for &(b, bit) in &self.bytes {
            if memchr::memchr(b, bytes).is_some() {
                mask |= bit;
            }
        }
        match &self.literals {
            Literals::Few(finders) => {
                for (finder, bit) in finders {
                    if finder.find(bytes).is_some() {
                        mask |= bit;
                    }
                }
            }
            Literals::Many(ac, bits) => {
                for m in ac.find_overlapping_iter(line) {
                    mask |= bits[m.pattern().as_usize()];
                }
            }
        }
        mask
    }

    /// A cursor over `hay`.
    pub(crate) fn cursor<'a>(&'a self, hay: &'a str) -> Cursor<'a> {
        let unknown_if = |b: bool| if b { Next::Unknown } else { Next::None };
        let literals = match &self.literals {
            Literals::Few(finders) => finders.len(),
            Literals::Many(..) => 1,
        };
        Cursor {
            anchors: self,
            hay,
            digit: unknown_if(self.digits),
            byte: unknown_if(!self.bytes.is_empty()),
            literals: vec![Next::Unknown; literals],
        }
    }
}

/// A cursor's knowledge of the next hit of one kind of anchor.
#[derive(Debug, Clone, Copy)]
enum Next {
    /// Not searched yet.
    Unknown,
    /// The next hit starts here.
    At(usize),
    /// No hit in the rest of the text.
    None,
}

impl Next {
    fn stale(self, pos: usize) -> bool {
        match self {
            Next::Unknown => true,
            Next::At(at) => at < pos,
            Next::None => false,
        }
    }
}

/// Finds anchors in one text in increasing order.
pub(crate) struct Cursor<'a> {
    anchors: &'a Anchors,
    hay: &'a str,
    digit: Next,
    byte: Next,
    /// One per finder, or one for the automaton.
    literals: Vec<Next>,
}

impl Cursor<'_> {
    /// The first anchor at or after `pos`. Calls must not go backwards.
    pub(crate) fn next(&mut self, pos: usize) -> Option<usize> {
        let hay = self.hay.as_bytes();
        if self.digit.stale(pos) {
            self.digit = next_digit(hay, pos).map_or(Next::None, Next::At);
        }
        if self.byte.stale(pos) {
            let rest = &hay[pos..];
            let found = match self.anchors.bytes[..] {
                [(a, _)] => memchr::memchr(a, rest),
                [(a, _), (b, _)] => memchr::memchr2(a, b, rest),
                [(a, _), (b, _), (c, _)] => memchr::memchr3(a, b, c, rest),
                _ => None,
            };
            self.byte = found.map_or(Next::None, |i| Next::At(pos + i));
        }
        for (i, next) in self.literals.iter_mut().enumerate() {
            if next.stale(pos) {
                let found = match &self.anchors.literals {
                    Literals::Few(finders) => finders[i].0.find(&hay[pos..]).map(|at| pos + at),
                    Literals::Many(ac, _) => ac
                        .find(aho_corasick::Input::new(self.hay).span(pos..self.hay.len()))
                        .map(|m| m.start()),
                };
                *next = found.map_or(Next::None, Next::At);
            }
        }
        [self.digit, self.byte]
            .iter()
            .chain(&self.literals)
            .filter_map(|n| if let Next::At(at) = *n { Some(at) } else { None })
            .min()
    }
}

/// `job title`, `JOB TITLE`, `Job title` and `Job Title`: the ways a label is
/// written. Anything else (`gEnder`) is not an anchor.
fn case_forms(literal: &str) -> Vec<String> {
    let capitalise = |w: &str| {
        let mut c = w.chars();
        c.next().map(|f| f.to_ascii_uppercase().to_string() + c.as_str()).unwrap_or_default()
    };
    let lower = literal.to_ascii_lowercase();
    let title: Vec<String> = lower.split(' ').map(capitalise).collect();
    vec![lower.clone(), literal.to_ascii_uppercase(), capitalise(&lower), title.join(" ")]
}

/// The first ASCII digit at or after `from`, eight bytes at a time.
fn next_digit(bytes: &[u8], from: usize) -> Option<usize> {
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let mut i = from;
    while i + 8 <= bytes.len() {
        let word = u64::from_le_bytes(bytes[i..i + 8].try_into().unwrap_or([0; 8]));
        // After xor with '0', a digit byte is 0..=9. Adding 0x76 to the low
        // seven bits sets bit 7 for every value ≥ 10 without carrying into the
        // next byte; or-ing the xored word flags bytes ≥ 0x80.
        let x = word ^ 0x3030_3030_3030_3030;
        let not_digit = ((x & !HIGH).wrapping_add(0x7676_7676_7676_7676) | x) & HIGH;
        if not_digit != HIGH {
            return Some(i + ((!not_digit & HIGH).trailing_zeros() / 8) as usize);
        }
        i += 8;
    }
    bytes[i..].iter().position(u8::is_ascii_digit).map(|p| i + p)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn anchors(lists: &[&[&str]]) -> (Anchors, Vec<u64>) {
        let owned: Vec<Vec<String>> =
            lists.iter().map(|l| l.iter().map(|s| s.to_string()).collect()).collect();
        let refs: Vec<&[String]> = owned.iter().map(Vec::as_slice).collect();
        Anchors::new(&refs).unwrap()
    }

    #[test]
    fn digits_are_found_at_every_offset() {
        let text = "あいうえおかきくけこabcdefghij/:9".as_bytes();
        assert_eq!(next_digit(text, 0), Some(text.len() - 1));
        for n in 0..40 {
            let mut v = vec![b'x'; 40];
            v[n] = b'0' + (n % 10) as u8;
            assert_eq!(next_digit(&v, 0), Some(n), "{n}");
            assert_eq!(next_digit(&v, n + 1), None);
        }
        assert_eq!(next_digit(b"/:/:/:/:/:/:", 0), None);
        assert_eq!(next_digit(&[0xFF, 0xB9, 0xB0, 0x2F, 0x3A, 0x80, 0x89, 0x39, 0x30], 0), Some(7));
    }

    #[test]
    fn cursor_merges_digits_bytes_and_literals() {
        let (a, _) = anchors(&[&["0", "1"], &["@"], &["性別", "gender"]]);
        let text = "性別 x 2 @ abc";
        let mut c = a.cursor(text);
        assert_eq!(c.next(0), Some(0));
        assert_eq!(c.next(1), Some(text.find('2').unwrap()));
        let at = text.find('@').unwrap();
        assert_eq!(c.next(text.find('2').unwrap() + 1), Some(at));
        assert_eq!(c.next(at + 1), None);
        let (words, _) = anchors(&[&["gender", "job title"]]);
        assert_eq!(words.cursor("GENDER: 1").next(0), Some(0));
        assert_eq!(words.cursor("x Job Title: nurse").next(0), Some(2));
        assert_eq!(words.cursor("no 1 2 3").next(0), None);
    }

    #[test]
    fn many_literals_share_one_automaton() {
        let words = ["gender", "occupation", "profession", "job title", "丁目"];
        let (a, masks) = anchors(&[&words[..2], &words[2..]]);
        assert!(matches!(a.literals, Literals::Many(..)));
        let mut c = a.cursor("x PROFESSION: y");
        assert_eq!(c.next(0), Some(2));
        let occupation = a.line_mask("Occupation: nurse");
        assert!(occupation & masks[0] != 0 && occupation & masks[1] == 0);
        let town = a.line_mask("三丁目");
        assert!(town & masks[0] == 0 && town & masks[1] != 0);
    }

    #[test]
    fn lines_say_which_detectors_can_match() {
        let (a, masks) = anchors(&[&["0", "9"], &["@"], &[":", "="], &["丁目", "0"], &[]]);
        let runs = |line: &str| -> Vec<usize> {
            let m = a.line_mask(line);
            masks.iter().enumerate().filter(|(_, d)| *d & m != 0).map(|(i, _)| i).collect()
        };
        assert_eq!(runs("TEL 03-1234-5678"), [0, 3]);
        assert_eq!(runs("mail: a@example.com"), [1, 2]);
        assert_eq!(runs("梅田三丁目"), [3]);
        assert_eq!(runs("nothing here"), Vec::<usize>::new());
    }
}

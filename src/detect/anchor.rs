//! Anchors: the cheap first stage of detection. Every detector names literals
//! (by default the ASCII digits) of which any line it can match holds at least
//! one; lines without any anchor are skipped before a regex looks at them.
//!
//! Digits are found eight bytes at a time (SWAR), up to three other one-byte
//! anchors (`@`, `:`) with `memchr`, a single longer literal (`丁目`) with
//! `memmem`, and several longer literals with Aho-Corasick. The cheap searches
//! matter on Japanese text: an Aho-Corasick prefilter over kanji literals
//! fingerprints their lead bytes, which nearly every Japanese character shares,
//! and then verifies almost every position (measured: a fifth of scan time).
//! The [`Cursor`] remembers the next hit of each kind so that no byte is
//! searched twice.

use aho_corasick::AhoCorasick;

/// The compiled anchors of a detector set.
#[derive(Debug)]
pub(crate) struct Anchors {
    /// Some detector is anchored on ASCII digits.
    digits: bool,
    /// Other one-byte anchors, at most three (for `memchr3`).
    bytes: Vec<u8>,
    /// Every other anchor literal, in its usual case forms.
    literals: Literals,
}

/// The multi-byte anchors, searched the cheapest way their number allows.
#[derive(Debug)]
enum Literals {
    None,
    One(Box<memchr::memmem::Finder<'static>>),
    Many(AhoCorasick),
}

impl Anchors {
    /// Compiles anchor literals. A single ASCII digit stands for the class of
    /// all digits (the default anchors are the ten of them).
    pub(crate) fn new<'a>(anchors: impl IntoIterator<Item = &'a str>) -> Result<Anchors, String> {
        let mut digits = false;
        let mut literals: Vec<&str> = Vec::new();
        for a in anchors {
            if a.len() == 1 && a.as_bytes()[0].is_ascii_digit() {
                digits = true;
            } else {
                literals.push(a);
            }
        }
        literals.sort_unstable();
        literals.dedup();
        // Letters stay in the automaton, which matches them case-insensitively.
        let one_byte = |l: &str| l.len() == 1 && !l.as_bytes()[0].is_ascii_alphabetic();
        let mut bytes: Vec<u8> = Vec::new();
        if literals.iter().filter(|l| one_byte(l)).count() <= 3 {
            bytes = literals.iter().filter(|l| one_byte(l)).map(|l| l.as_bytes()[0]).collect();
            literals.retain(|l| !one_byte(l));
        }
        // Case forms are spelled out rather than matched case-insensitively:
        // an ASCII-case-insensitive automaton gets no SIMD prefilter and walks
        // every byte.
        let mut forms: Vec<String> = literals.iter().flat_map(|l| case_forms(l)).collect();
        forms.sort_unstable();
        forms.dedup();
        let literals = match &forms[..] {
            [] => Literals::None,
            [one] => {
                Literals::One(Box::new(memchr::memmem::Finder::new(one.as_bytes()).into_owned()))
            }
            _ => Literals::Many(AhoCorasick::new(&forms).map_err(|e| e.to_string())?),
        };
        Ok(Anchors { digits, bytes, literals })
    }

    /// A cursor over `hay`.
    pub(crate) fn cursor<'a>(&'a self, hay: &'a str) -> Cursor<'a> {
        let unknown_if = |b: bool| if b { Next::Unknown } else { Next::None };
        Cursor {
            anchors: self,
            hay,
            digit: unknown_if(self.digits),
            byte: unknown_if(!self.bytes.is_empty()),
            literal: unknown_if(!matches!(self.literals, Literals::None)),
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
    literal: Next,
}

impl Cursor<'_> {
    /// The first anchor at or after `pos`. Calls must not go backwards.
    pub(crate) fn next(&mut self, pos: usize) -> Option<usize> {
        if self.digit.stale(pos) {
            self.digit = next_digit(self.hay.as_bytes(), pos).map_or(Next::None, Next::At);
        }
        if self.byte.stale(pos) {
            let rest = &self.hay.as_bytes()[pos..];
            let found = match self.anchors.bytes[..] {
                [a] => memchr::memchr(a, rest),
                [a, b] => memchr::memchr2(a, b, rest),
                [a, b, c] => memchr::memchr3(a, b, c, rest),
                _ => None,
            };
            self.byte = found.map_or(Next::None, |i| Next::At(pos + i));
        }
        if self.literal.stale(pos) {
            let found = match &self.anchors.literals {
                Literals::None => None,
                Literals::One(finder) => finder.find(&self.hay.as_bytes()[pos..]).map(|i| pos + i),
                Literals::Many(ac) => ac
                    .find(aho_corasick::Input::new(self.hay).span(pos..self.hay.len()))
                    .map(|m| m.start()),
            };
            self.literal = found.map_or(Next::None, Next::At);
        }
        [self.digit, self.byte, self.literal]
            .into_iter()
            .filter_map(|n| if let Next::At(at) = n { Some(at) } else { None })
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
    fn cursor_merges_digits_and_literals() {
        let anchors = Anchors::new(["0", "1", "@", "性別"]).unwrap();
        let text = "性別 x 2 @ abc";
        let mut c = anchors.cursor(text);
        assert_eq!(c.next(0), Some(0));
        assert_eq!(c.next(1), Some(text.find('2').unwrap()));
        let at = text.find('@').unwrap();
        assert_eq!(c.next(text.find('2').unwrap() + 1), Some(at));
        assert_eq!(c.next(at + 1), None);
        let only_words = Anchors::new(["gender", "job title"]).unwrap();
        assert_eq!(only_words.cursor("GENDER: 1").next(0), Some(0));
        assert_eq!(only_words.cursor("x Job Title: nurse").next(0), Some(2));
        assert_eq!(only_words.cursor("no 1 2 3").next(0), None);
    }
}

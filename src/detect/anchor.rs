//! Anchors: the cheap first stage of detection. Every detector names literals
//! (by default the ASCII digits) of which any line it can match holds at least
//! one. A pass over the text finds the lines that hold any anchor — most lines
//! of prose hold none and are never seen by a regex — and, for each such line,
//! which anchors it holds, so that only the detectors anchored there run.
//!
//! Digits are found eight bytes at a time (SWAR) and up to three other
//! one-byte anchors (`@`, `:`) with `memchr`. Longer literals (`丁目`, `性別`,
//! `Mr.`) are not searched here: the automaton of the context keywords lists
//! them in the same pass over the text (ASCII case ignored, which only adds
//! candidates), and the [`Cursor`] and [`OnLine`] read that list.
//! One automaton pass over the text, rather than one for keywords, one for
//! the next literal and one per candidate line for its mask, measured a
//! sixth of scan time less on logs and code.
//! The [`Cursor`] remembers the next hit of each kind so that no byte is
//! searched twice.

use std::ops::Range;

/// The bit of the digit anchor in a line's or a detector's anchor mask.
pub(crate) const DIGITS: u64 = 1;

/// The compiled anchors of a detector set.
#[derive(Debug)]
pub(crate) struct Anchors {
    /// Some detector is anchored on ASCII digits.
    digits: bool,
    /// One-byte anchors (at most three, for `memchr3`) and their bits.
    bytes: Vec<(u8, u64)>,
    /// The bits of `bytes`.
    byte_bits: u64,
    /// The other anchors and their bits, for the keyword automaton to find.
    literals: Vec<(String, u64)>,
}

impl Anchors {
    /// Compiles the anchors of every detector (an empty list: the detector
    /// takes no part) and returns each detector's anchor mask with them. A
    /// single ASCII digit stands for the class of all digits (the default
    /// anchors are the ten of them).
    pub(crate) fn new(per_detector: &[&[String]]) -> (Anchors, Vec<u64>) {
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

        // Letters stay with the literals, whose automaton ignores case.
        let one_byte = |l: &str| l.len() == 1 && !l.as_bytes()[0].is_ascii_alphabetic();
        let mut bytes = Vec::new();
        let mut literals = others.clone();
        if others.iter().filter(|l| one_byte(l)).count() <= 3 {
            bytes =
                others.iter().filter(|l| one_byte(l)).map(|l| (l.as_bytes()[0], bit(l))).collect();
            literals.retain(|l| !one_byte(l));
        }
        let literals = literals.iter().map(|l| (l.to_string(), bit(l))).collect();
        let byte_bits = bytes.iter().fold(0, |m, &(_, bit)| m | bit);
        (Anchors { digits, bytes, byte_bits, literals }, masks)
    }

    /// The bits of every anchor: a line holds one of them exactly when the
    /// anchored reading ([`Anchors::cursor`]) stops on it.
    pub(crate) fn any(&self) -> u64 {
        let digits = if self.digits { DIGITS } else { 0 };
        self.literals.iter().fold(digits | self.byte_bits, |m, (_, bit)| m | bit)
    }

    /// The anchors the keyword automaton is to find, with their bits: each
    /// text's hits come back as a list of (start, bit), by start.
    pub(crate) fn literals(&self) -> &[(String, u64)] {
        &self.literals
    }

    /// The anchors on `t[line]`, whose literals' hits in `t` are `found`,
    /// to be asked of by detectors' masks ([`OnLine::holds`]). Lines are
    /// asked in order, and `from` keeps the first hit not before the last
    /// line asked (start it at 0): a binary search per line over all of a
    /// text's hits cost as much as the rest of this on prose.
    pub(crate) fn on_line<'a>(
        &'a self,
        t: &'a str,
        line: Range<usize>,
        found: &'a [(usize, u64)],
        from: &'a mut usize,
    ) -> OnLine<'a> {
        OnLine { anchors: self, t, line, found, from, held: 0, searched: 0 }
    }

    /// Whether `t[line]` holds any anchor, asked out of the order of
    /// [`Anchors::on_line`]: its literals are searched for in `found`.
    pub(crate) fn holds_any(&self, t: &str, line: Range<usize>, found: &[(usize, u64)]) -> bool {
        let mut from = found.partition_point(|&(at, _)| at < line.start);
        self.on_line(t, line, found, &mut from).holds(self.any())
    }

    /// A cursor over `hay`, whose literals' hits are `found`.
    pub(crate) fn cursor<'a>(&'a self, hay: &'a str, found: &'a [(usize, u64)]) -> Cursor<'a> {
        self.cursor_with(hay, found, self.digits)
    }

    /// A cursor over `hay` that passes digits by: it stops at the other
    /// anchors only (see [`Lines`](super::Lines)).
    pub(crate) fn cursor_without_digits<'a>(
        &'a self,
        hay: &'a str,
        found: &'a [(usize, u64)],
    ) -> Cursor<'a> {
        self.cursor_with(hay, found, false)
    }

    fn cursor_with<'a>(
        &'a self,
        hay: &'a str,
        found: &'a [(usize, u64)],
        digits: bool,
    ) -> Cursor<'a> {
        let unknown_if = |b: bool| if b { Next::Unknown } else { Next::None };
        Cursor {
            anchors: self,
            hay,
            digit: unknown_if(digits),
            byte: unknown_if(!self.bytes.is_empty()),
            found,
            literal: 0,
        }
    }
}

/// The anchors one line holds, each kind worked out when a mask first asks
/// for it, the cheapest first: the literals are a look-up in the list the
/// keyword automaton made, the digits and the one-byte anchors a search of
/// the line each. On prose, the Japanese name engine asks every line that
/// holds Japanese whether it has `:`, `=`, `様` or `さん`; searching each
/// such line for every kind of anchor, one `memchr` per one-byte anchor,
/// took about a sixth of the instructions the engine cost there.
pub(crate) struct OnLine<'a> {
    anchors: &'a Anchors,
    t: &'a str,
    line: Range<usize>,
    found: &'a [(usize, u64)],
    from: &'a mut usize,
    /// The bits of the anchors found on the line so far.
    held: u64,
    /// The kinds of anchor searched for so far ([`LITERALS`], [`DIGIT`],
    /// [`BYTES`]).
    searched: u8,
}

/// [`OnLine`] searched the keyword automaton's list for literals.
const LITERALS: u8 = 1;
/// [`OnLine`] searched the line for digits.
const DIGIT: u8 = 2;
/// [`OnLine`] searched the line for one-byte anchors.
const BYTES: u8 = 4;

impl OnLine<'_> {
    /// Whether the line holds any of the anchors whose bits are in `mask`.
    /// Most lines that run a detector hold a digit or a literal, so most
    /// asks are answered by what an earlier one found.
    #[inline]
    pub(crate) fn holds(&mut self, mask: u64) -> bool {
        mask & self.held != 0 || (self.searched != LITERALS | DIGIT | BYTES && self.search(mask))
    }

    /// Looks for the kinds of `mask` not searched yet, the cheapest first,
    /// until one is found.
    fn search(&mut self, mask: u64) -> bool {
        let line = self.line.clone();
        if self.searched & LITERALS == 0 {
            self.searched |= LITERALS;
            // Hits before this line are behind every later line too.
            let found = self.found;
            *self.from +=
                found[*self.from..].iter().take_while(|&&(at, _)| at < line.start).count();
            // Literals hold no line break: one starting on the line ends there.
            let on_line = found[*self.from..].iter().take_while(|&&(at, _)| at < line.end);
            self.held |= on_line.fold(0, |m, &(_, b)| m | b);
            if mask & self.held != 0 {
                return true;
            }
        }
        let bytes = &self.t.as_bytes()[line];
        if self.searched & DIGIT == 0 && mask & DIGITS != 0 {
            self.searched |= DIGIT;
            if self.anchors.digits && next_digit(bytes, 0).is_some() {
                self.held |= DIGITS;
                return true;
            }
        }
        if self.searched & BYTES == 0 && mask & self.anchors.byte_bits != 0 {
            self.searched |= BYTES;
            self.held |= one_byte_anchors(&self.anchors.bytes, bytes);
        }
        mask & self.held != 0
    }
}

/// The bits of the one-byte `anchors` (at most three) in `bytes`: one
/// search for all of them, then one for those not seen yet from the first
/// hit on, so that a line holding none (most) is read once.
fn one_byte_anchors(anchors: &[(u8, u64)], bytes: &[u8]) -> u64 {
    let (mut mask, mut at) = (0, 0);
    // No allocation per line.
    let mut left = [(0, 0); 3];
    left[..anchors.len()].copy_from_slice(anchors);
    let mut n = anchors.len();
    loop {
        let rest = &bytes[at..];
        let hit = match left[..n] {
            [(a, _)] => memchr::memchr(a, rest),
            [(a, _), (b, _)] => memchr::memchr2(a, b, rest),
            [(a, _), (b, _), (c, _)] => memchr::memchr3(a, b, c, rest),
            _ => None,
        };
        let Some(i) = hit else { return mask };
        let k = left[..n].iter().position(|&(b, _)| b == rest[i]).unwrap_or(0);
        mask |= left[k].1;
        left.copy_within(k + 1..n, k);
        n -= 1;
        at += i + 1;
    }
}

/// Where the next hit of one kind of anchor is, as far as known.
#[derive(Debug, Clone, Copy)]
enum Next {
    /// Not searched yet, or the last hit lies behind.
    Unknown,
    At(usize),
    /// None to the end of the text.
    None,
}

impl Next {
    /// Whether a search from `pos` is needed.
    fn stale(self, pos: usize) -> bool {
        match self {
            Next::Unknown => true,
            Next::At(at) => at < pos,
            Next::None => false,
        }
    }
}

/// Walks a text from anchor to anchor.
pub(crate) struct Cursor<'a> {
    anchors: &'a Anchors,
    hay: &'a str,
    digit: Next,
    byte: Next,
    /// The literals' hits, by start, and the first not behind the cursor.
    found: &'a [(usize, u64)],
    literal: usize,
}

impl Cursor<'_> {
    /// The position of the first anchor at or after `pos`. Calls must come
    /// with `pos` not decreasing.
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
        while self.found.get(self.literal).is_some_and(|&(at, _)| at < pos) {
            self.literal += 1;
        }
        let literal = self.found.get(self.literal).map(|&(at, _)| at);
        [self.digit, self.byte]
            .iter()
            .filter_map(|n| if let Next::At(at) = *n { Some(at) } else { None })
            .chain(literal)
            .min()
    }
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

    /// Every bit the line holds, asked one bit at a time.
    fn line_mask(
        a: &Anchors,
        t: &str,
        line: Range<usize>,
        found: &[(usize, u64)],
        from: &mut usize,
    ) -> u64 {
        let mut on = a.on_line(t, line, found, from);
        (0..64).map(|i| 1 << i).filter(|&bit| on.holds(bit)).fold(0, |m, bit| m | bit)
    }

    fn anchors(lists: &[&[&str]]) -> (Anchors, Vec<u64>) {
        let owned: Vec<Vec<String>> =
            lists.iter().map(|l| l.iter().map(|s| s.to_string()).collect()).collect();
        let refs: Vec<&[String]> = owned.iter().map(Vec::as_slice).collect();
        Anchors::new(&refs)
    }

    /// The literals' hits in `t` as the keyword automaton lists them (ASCII
    /// case ignored), found here the slow way.
    fn found(a: &Anchors, t: &str) -> Vec<(usize, u64)> {
        let lower = t.to_ascii_lowercase();
        let mut out: Vec<(usize, u64)> = a
            .literals()
            .iter()
            .flat_map(|(l, bit)| {
                lower
                    .match_indices(&l.to_ascii_lowercase())
                    .map(|(i, _)| (i, *bit))
                    .collect::<Vec<_>>()
            })
            .collect();
        out.sort_unstable();
        out
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
        let hits = found(&a, text);
        let mut c = a.cursor(text, &hits);
        assert_eq!(c.next(0), Some(0));
        assert_eq!(c.next(1), Some(text.find('2').unwrap()));
        let at = text.find('@').unwrap();
        assert_eq!(c.next(text.find('2').unwrap() + 1), Some(at));
        assert_eq!(c.next(at + 1), None);
        let (words, _) = anchors(&[&["gender", "job title"]]);
        let next = |t: &str| words.cursor(t, &found(&words, t)).next(0);
        assert_eq!(next("GENDER: 1"), Some(0));
        assert_eq!(next("x Job Title: nurse"), Some(2));
        assert_eq!(next("no 1 2 3"), None);
    }

    #[test]
    fn literals_are_left_to_the_keyword_automaton() {
        let words = ["gender", "occupation", "profession", "job title", "丁目"];
        let (a, masks) = anchors(&[&words[..2], &words[2..], &["@", ":"]]);
        let mut listed: Vec<&str> = a.literals().iter().map(|(l, _)| l.as_str()).collect();
        listed.sort_unstable();
        assert_eq!(listed, ["gender", "job title", "occupation", "profession", "丁目"]);
        assert_eq!(a.bytes.len(), 2, "one-byte anchors are searched here");
        let mask = |t: &str| line_mask(&a, t, 0..t.len(), &found(&a, t), &mut 0);
        let occupation = mask("Occupation: nurse");
        assert!(occupation & masks[0] != 0 && occupation & masks[1] == 0);
        let town = mask("三丁目");
        assert!(town & masks[0] == 0 && town & masks[1] != 0);
        // Only the hits on the line count.
        let t = "gender\n三丁目\nx";
        let hits = found(&a, t);
        assert_eq!(line_mask(&a, t, 7..t.len() - 2, &hits, &mut 0) & masks[0], 0);
        assert_ne!(line_mask(&a, t, 7..t.len() - 2, &hits, &mut 0) & masks[1], 0);
        assert_eq!(line_mask(&a, t, t.len() - 1..t.len(), &hits, &mut 0), 0);
        // Lines asked in order with one `from`, some skipped, give the bits
        // of the hits on each (the text has no one-byte anchor), a line's
        // first byte included.
        let t = "gender 三丁目\nx\n丁目 job title\ngender\n\nprofession 丁目 gender\n";
        let hits = found(&a, t);
        let mut lines = Vec::new();
        let mut start = 0;
        for line in t.split_inclusive('\n') {
            lines.push(start..start + line.len() - 1);
            start += line.len();
        }
        for skip in [1, 2, 3] {
            let mut from = 0;
            for line in lines.iter().step_by(skip) {
                let on_line = hits.iter().filter(|(at, _)| line.contains(at));
                let expected = on_line.fold(0, |m, &(_, bit)| m | bit);
                assert_eq!(line_mask(&a, t, line.clone(), &hits, &mut from), expected, "{line:?}");
            }
        }
    }

    #[test]
    fn lines_say_which_detectors_can_match() {
        let (a, masks) = anchors(&[&["0", "9"], &["@"], &[":", "="], &["丁目", "0"], &[]]);
        let runs = |line: &str| -> Vec<usize> {
            let m = line_mask(&a, line, 0..line.len(), &found(&a, line), &mut 0);
            masks.iter().enumerate().filter(|(_, d)| *d & m != 0).map(|(i, _)| i).collect()
        };
        assert_eq!(runs("TEL 03-1234-5678"), [0, 3]);
        assert_eq!(runs("mail: a@example.com"), [1, 2]);
        assert_eq!(runs("梅田三丁目"), [3]);
        assert_eq!(runs("nothing here"), Vec::<usize>::new());
    }
}

//! The context keywords' automaton: an Aho–Corasick automaton over the
//! keywords, the anchors' literals and the name engines' labels (ASCII case
//! ignored), laid out as the gate's walk steps it
//! ([`gate::Rider`](super::gate::Rider)). The name engines search a line
//! for their labels (with their negative keywords) with one of their own.
//!
//! It reads every byte of every text, in the same loop as the gate's DFAs,
//! and that loop's speed is bounded by its instruction count: with three
//! automata the registers run out, and tables' addresses were reloaded
//! from memory at every byte. The `aho-corasick` crate's DFA step maps the
//! byte to its class, adds, checks the index against the table's length,
//! loads, and compares the state with the highest special one (a value in
//! memory): nine instructions. Here a step is one load from a table of a
//! fixed size, indexed by the state's row and the byte, masked to that
//! size (no bounds check, no class map), and a match is a flag bit on the
//! entry: five instructions. The loop went from 38 instructions a byte to
//! 34, and a scan of logs took 7% less time, of code and prose 4% less.
//!
//! Built here, not copied from the crate's DFA: copying asked its 1,395
//! states for each of 256 bytes, and with the crate's own build took a
//! fifth more start-up. A state's row is its failure state's row with its
//! own edges written over, so building is a few hundred kilobytes of
//! copies: start-up takes 14% fewer instructions than with the crate's DFA.

use std::ops::Range;

/// Entries of the table: 65,536 rows of 256. The built-in keywords take
/// 1,395 rows; only the rows in use are ever written, and so ever take
/// memory (the table is allocated zeroed, which the allocator leaves to
/// pages not yet touched).
const STEPS: usize = 1 << 24;

/// The flag of an entry whose state is a match. Masking an entry to the
/// table's size takes it off, so a flagged state steps as any other.
const MATCH: u32 = 1 << 31;

/// No edge yet, while the trie is built.
const NONE: u32 = u32::MAX;

/// The automaton. A state is its row's first entry (its index << 8),
/// flagged with [`MATCH`] when words end there.
#[derive(Debug)]
pub(crate) struct Words {
    /// At `row | byte`: the next state.
    next: Box<[u32; STEPS]>,
    /// By row index: the range of `ends` holding the words that end there.
    ends_of: Vec<Range<u32>>,
    /// Word indices, in runs per row.
    ends: Vec<u32>,
    /// Per word: its length in bytes.
    lens: Vec<usize>,
}

impl Words {
    /// The automaton of `words`, ASCII case ignored: every occurrence of
    /// every word, overlapping ones too, ends at a match state.
    pub(crate) fn new(words: &[&str]) -> Result<Words, String> {
        let zeroed = vec![0u32; STEPS].into_boxed_slice();
        let next: Box<[u32; STEPS]> = zeroed.try_into().expect("sized STEPS");
        let mut a = Words { next, ends_of: Vec::new(), ends: Vec::new(), lens: Vec::new() };
        // The trie, its missing edges NONE; per row, the words it spells.
        let mut own: Vec<Vec<u32>> = Vec::new();
        a.row(&mut own)?;
        for (i, word) in words.iter().enumerate() {
            let mut state = 0;
            for &byte in word.as_bytes() {
                let at = state as usize | usize::from(byte);
                state = match a.next[at] {
                    NONE => {
                        let child = a.row(&mut own)?;
                        for b in cases(byte) {
                            a.next[state as usize | usize::from(b)] = child;
                        }
                        child
                    }
                    child => child,
                };
            }
            own[(state >> 8) as usize].push(i as u32);
            a.lens.push(word.len());
        }
        // Breadth first, each state after its failure state (a shorter
        // suffix of its path): its missing edges are its failure state's
        // final ones, and its words are its own and its failure state's.
        let mut fail = vec![0u32; own.len()];
        a.ends_of = vec![0..0; own.len()];
        a.ends.extend(&own[0]);
        a.ends_of[0] = 0..a.ends.len() as u32;
        // A letter's two cases lead to one child: it is settled once.
        let mut settled = vec![false; own.len()];
        settled[0] = true;
        let mut queue = std::collections::VecDeque::from([0]);
        let mut edges: Vec<(usize, u32)> = Vec::new();
        while let Some(state) = queue.pop_front() {
            let row = state as usize;
            // The trie's own edges out of the state, before its row is
            // filled in.
            edges.clear();
            let own_edges = a.next[row..row + 256].iter().enumerate().filter(|&(_, &e)| e != NONE);
            edges.extend(own_edges.map(|(byte, &child)| (byte, child)));
            // The root's missing edges lead back to it; a deeper state's
            // to where its failure state's lead: its row starts as a copy
            // of that one's (a loop over each byte's entry instead was a
            // sixth of start-up).
            if row == 0 {
                let root = a.flagged(0);
                a.next[..256].fill(root);
            } else {
                let f = fail[row >> 8] as usize;
                a.next.copy_within(f..f + 256, row);
            }
            for &(byte, child) in &edges {
                let index = (child >> 8) as usize;
                if !settled[index] {
                    settled[index] = true;
                    // A child of the root fails to the root, a deeper one to
                    // where its parent's failure state goes on the byte.
                    let child_fail = if row == 0 { 0 } else { a.next[row | byte] & !MATCH };
                    fail[index] = child_fail;
                    a.settle(child, child_fail, &own[index]);
                    queue.push_back(child);
                }
                a.next[row | byte] = a.flagged(child);
            }
        }
        Ok(a)
    }

    /// A new row of the trie, its edges missing.
    fn row(&mut self, own: &mut Vec<Vec<u32>>) -> Result<u32, String> {
        let index = own.len();
        if index == STEPS >> 8 {
            return Err(format!(
                "the keywords make an automaton of more than {} states",
                STEPS >> 8
            ));
        }
        self.next[index << 8..(index + 1) << 8].fill(NONE);
        own.push(Vec::new());
        Ok((index << 8) as u32)
    }

    /// Lists the words ending at `state`: its own, then its failure
    /// state's (already listed).
    fn settle(&mut self, state: u32, fail: u32, own: &[u32]) {
        let start = self.ends.len() as u32;
        self.ends.extend(own);
        let inherited = self.ends_of[(fail >> 8) as usize].clone();
        self.ends.extend_from_within(inherited.start as usize..inherited.end as usize);
        self.ends_of[(state >> 8) as usize] = start..self.ends.len() as u32;
    }

    /// `state`, flagged if words end there.
    fn flagged(&self, state: u32) -> u32 {
        let ends = &self.ends_of[(state >> 8) as usize];
        if ends.is_empty() { state } else { state | MATCH }
    }

    /// The state before the first byte.
    pub(crate) fn start(&self) -> u32 {
        self.flagged(0)
    }

    /// The state after `byte` from `state`.
    #[inline(always)]
    pub(crate) fn next(&self, state: u32, byte: u8) -> u32 {
        self.next[(state | u32::from(byte)) as usize & (STEPS - 1)]
    }

    /// Whether words end at `state`.
    #[inline(always)]
    pub(crate) fn is_match(state: u32) -> bool {
        state & MATCH != 0
    }

    /// The words ending at `state`, and their lengths.
    pub(crate) fn ends(&self, state: u32) -> impl Iterator<Item = (usize, usize)> + '_ {
        let range = &self.ends_of[(state as usize & (STEPS - 1)) >> 8];
        self.ends[range.start as usize..range.end as usize]
            .iter()
            .map(|&w| (w as usize, self.lens[w as usize]))
    }
}

/// `byte` and, for an ASCII letter, its other case.
fn cases(byte: u8) -> impl Iterator<Item = u8> {
    let other = if byte.is_ascii_lowercase() {
        Some(byte.to_ascii_uppercase())
    } else if byte.is_ascii_uppercase() {
        Some(byte.to_ascii_lowercase())
    } else {
        None
    };
    std::iter::once(byte).chain(other)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every (start, end, word) the automaton reports over `t`.
    fn found(a: &Words, t: &str) -> Vec<(usize, usize, usize)> {
        let mut out = Vec::new();
        let mut state = a.start();
        // Only an empty word ends before the first byte.
        out.extend(a.ends(state).map(|(w, _)| (0, 0, w)));
        for (at, &byte) in t.as_bytes().iter().enumerate() {
            state = a.next(state, byte);
            if Words::is_match(state) {
                out.extend(a.ends(state).map(|(w, len)| (at + 1 - len, at + 1, w)));
            }
        }
        out.sort_unstable();
        out
    }

    /// The same, by the `aho-corasick` crate's overlapping search.
    fn crate_found(words: &[&str], t: &str) -> Vec<(usize, usize, usize)> {
        let ac =
            aho_corasick::AhoCorasick::builder().ascii_case_insensitive(true).build(words).unwrap();
        let mut out: Vec<_> = ac
            .find_overlapping_iter(t)
            .map(|m| (m.start(), m.end(), m.pattern().as_usize()))
            .collect();
        out.sort_unstable();
        out
    }

    #[test]
    fn finds_what_the_crate_finds() {
        let words = ["tel", "telephone", "phone", "cc", "ccv", "様", "お客様", "丁目", "Mr.", "e"];
        let texts = [
            "TEL: 03-1234-5678 Telephone PHONE tElEpHoNe",
            "cccv ccV CCCC",
            "山田様 お客様へ 三丁目 mr. MR. Mr.",
            "",
            "no keyword here 123",
            "ccc telephone",
        ];
        let a = Words::new(&words).unwrap();
        for t in texts {
            assert_eq!(found(&a, t), crate_found(&words, t), "{t:?}");
        }
        // Overlaps and suffixes: `cc` twice in `ccc`, `e` in every word
        // holding one.
        let t = "ccc telephone";
        let hits = found(&a, t);
        assert_eq!(hits.iter().filter(|h| h.2 == 3).count(), 2);
        assert_eq!(hits.iter().filter(|h| h.2 == 9).count(), 3);
    }

    #[test]
    fn non_ascii_bytes_keep_their_case_and_letters_only_fold_ascii() {
        // `é` is not `É`, and the Kelvin sign is no `k`.
        let words = ["café", "k"];
        let a = Words::new(&words).unwrap();
        assert_eq!(found(&a, "CAFÉ"), vec![]);
        assert_eq!(found(&a, "CAFé"), vec![(0, 5, 0)]);
        assert_eq!(found(&a, "\u{212A}K"), vec![(3, 4, 1)]);
    }

    #[test]
    fn words_past_the_table_are_refused() {
        // Each byte of one long word is a state of its own.
        let long: String = (0..STEPS >> 8).map(|i| char::from(b'a' + (i % 26) as u8)).collect();
        let err = Words::new(&[&long]).unwrap_err();
        assert!(err.contains("more than 65536 states"), "{err}");
        assert!(Words::new(&[&long[1..]]).is_ok(), "the root and one state a byte fit");
    }

    #[test]
    fn an_empty_word_matches_everywhere_and_no_words_nowhere() {
        let a = Words::new(&["", "ab"]).unwrap();
        assert_eq!(found(&a, "ab"), vec![(0, 0, 0), (0, 2, 1), (1, 1, 0), (2, 2, 0)]);
        let none = Words::new(&[]).unwrap();
        assert!(found(&none, "anything").is_empty());
    }
}

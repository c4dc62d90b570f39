//! The context keywords' automaton: an Aho–Corasick automaton over the
//! keywords, the anchors' literals and the name engines' labels (ASCII case
//! ignored), laid out as the gate's walk steps it
//! ([`gate::Rider`](super::gate::Rider)). The name engines search a line
//! for their labels (with their negative keywords) with one of their own,
//! and a marked line is searched for its detector's other words
//! ([`gate::also`](super::gate::also)) with another.
//!
//! It reads every byte of every text, in the same loop as the gate's DFAs,
//! and that loop's speed is bounded by its instruction count: with three
//! automata the registers run out, and tables' addresses were reloaded
//! from memory at every byte. The `aho-corasick` crate's DFA step maps the
//! byte to its class, adds, checks the index against the table's length,
//! loads, and compares the state with the highest special one (a value in
//! memory): nine instructions. Here a step is one load from a table of a
//! fixed size, indexed by the state and the byte (no class map), and a
//! match is a flag bit on the state: the loop went from 38 instructions a
//! byte to 34, and a scan of logs took 7% less time, of code and prose 4%
//! less. The step's chain of dependent operations is as short as the
//! DFAs': an `or` and the load ([`MATCH`] says why the flag costs none).
//!
//! Built here, not copied from the crate's DFA: copying asked its 1,395
//! states for each of 256 bytes, and with the crate's own build took a
//! fifth more start-up. The trie is lists of edges; each state's row, its
//! failure state's row with its own edges written over, is written once,
//! where its state points: building is a few hundred kilobytes of copies.

use std::ops::Range;

/// Entries of each half of the table: 65,536 rows of 256. The built-in
/// keywords take 1,395 rows; only the rows in use are ever written, and so
/// ever take memory (the table is allocated zeroed, which the allocator
/// leaves to pages not yet touched). The automaton has at most this many
/// rows in all.
const STEPS: usize = 1 << 24;

/// The flag of a match state, the bit past a half's last entry: match
/// states' rows are in the table's second half, where the flag puts them.
/// A step is then a load indexed by the state and the byte alone. With the
/// flag on the highest bit and every row in one half, each step masked it
/// off before the load, and the keyword walk's chain of dependent
/// operations, one longer than the gate's DFAs', set the pace of the loop
/// that reads every byte of every text: without the mask, logs, code and
/// prose took 5–10% less time.
const MATCH: u32 = 1 << 24;

/// Entries of the table: both halves.
const TABLE: usize = 2 * STEPS;

/// The automaton. A state is its row's first entry: a row's index << 8,
/// flagged with [`MATCH`] when words end there. The rows of states without
/// words are numbered from the table's start, those of match states from
/// its second half's: only the rows in use are written, and so take memory.
#[derive(Debug)]
pub(crate) struct Words {
    /// At `state | byte`: the next state.
    next: Box<[u32; TABLE]>,
    /// By match state's row: the range of `ends` holding the words that
    /// end there.
    ends_of: Vec<Range<u32>>,
    /// Word indices, in runs per row.
    ends: Vec<u32>,
    /// Per word: its length in bytes.
    lens: Vec<usize>,
    /// The state before the first byte.
    root: u32,
    /// The state after a line break from any state, if one: when no word
    /// holds a line break, the root.
    line_start: Option<u32>,
}

impl Words {
    /// The automaton of `words`, ASCII case ignored: every occurrence of
    /// every word, overlapping ones too, ends at a match state.
    pub(crate) fn new(words: &[&str]) -> Result<Words, String> {
        // The trie: per node, its edges and the words it spells.
        let mut edges: Vec<Vec<(u8, u32)>> = vec![Vec::new()];
        let mut own: Vec<Vec<u32>> = vec![Vec::new()];
        let mut lens = Vec::with_capacity(words.len());
        for (i, word) in words.iter().enumerate() {
            let mut node = 0;
            for &byte in word.as_bytes() {
                node = match edges[node].iter().find(|&&(b, _)| b == byte) {
                    Some(&(_, child)) => child as usize,
                    None => {
                        let child = edges.len();
                        if child == STEPS >> 8 {
                            return Err(format!(
                                "the keywords make an automaton of more than {} states",
                                STEPS >> 8
                            ));
                        }
                        edges.push(Vec::new());
                        own.push(Vec::new());
                        edges[node].extend(cases(byte).map(|b| (b, child as u32)));
                        child
                    }
                };
            }
            own[node].push(i as u32);
            lens.push(word.len());
        }
        let zeroed = vec![0u32; TABLE].into_boxed_slice();
        let next: Box<[u32; TABLE]> = zeroed.try_into().expect("sized TABLE");
        let mut a =
            Words { next, ends_of: Vec::new(), ends: Vec::new(), lens, root: 0, line_start: None };
        // Rows given so far, without words and with.
        let mut rows = [0u32; 2];
        // The state of a node whose words are its own and those of the
        // state it fails to, given the next row of its half.
        let mut settle = |a: &mut Words, own: &[u32], fail: Option<u32>| {
            let start = a.ends.len() as u32;
            a.ends.extend(own);
            if let Some(inherited) = fail.map(|f| a.words_at(f)) {
                a.ends.extend_from_within(inherited.start as usize..inherited.end as usize);
            }
            let words = start..a.ends.len() as u32;
            let half = usize::from(!words.is_empty());
            if half == 1 {
                a.ends_of.push(words);
            }
            rows[half] += 1;
            ((rows[half] - 1) << 8) | if half == 1 { MATCH } else { 0 }
        };
        // Breadth first, each state after its failure state (a shorter
        // suffix of its path): its missing edges are its failure state's
        // final ones, and its words are its own and its failure state's.
        let mut state_of = vec![0u32; edges.len()];
        let mut fail = vec![0u32; edges.len()];
        a.root = settle(&mut a, &own[0], None);
        state_of[0] = a.root;
        // A letter's two cases lead to one child: it is settled once.
        let mut settled = vec![false; edges.len()];
        settled[0] = true;
        let mut queue = std::collections::VecDeque::from([0]);
        while let Some(node) = queue.pop_front() {
            let at = state_of[node] as usize;
            // The root's missing edges lead back to it; a deeper state's
            // to where its failure state's lead: its row starts as a copy
            // of that one's (a loop over each byte's entry instead was a
            // sixth of start-up).
            if node == 0 {
                a.next[at..at + 256].fill(a.root);
            } else {
                let f = fail[node] as usize;
                a.next.copy_within(f..f + 256, at);
            }
            for &(byte, child) in &edges[node] {
                let (child, byte) = (child as usize, usize::from(byte));
                if !settled[child] {
                    settled[child] = true;
                    // A child of the root fails to the root, a deeper one to
                    // where its parent's failure state goes on the byte.
                    fail[child] = if node == 0 { a.root } else { a.next[at | byte] };
                    state_of[child] = settle(&mut a, &own[child], Some(fail[child]));
                    queue.push_back(child);
                }
                a.next[at | byte] = state_of[child];
            }
        }
        // Every row a state's: those of each half, from its start.
        let states = (0..rows[0]).map(|r| r << 8).chain((0..rows[1]).map(|r| MATCH | r << 8));
        let mut after = states.map(|state| a.next(state, b'\n'));
        let first = after.next().expect("the root is a state");
        a.line_start = after.all(|s| s == first).then_some(first);
        Ok(a)
    }

    /// The range of `ends` holding the words that end at `state`.
    fn words_at(&self, state: u32) -> Range<u32> {
        if Words::is_match(state) {
            self.ends_of[(state as usize & (STEPS - 1)) >> 8].clone()
        } else {
            0..0
        }
    }

    /// The state before the first byte.
    pub(crate) fn start(&self) -> u32 {
        self.root
    }

    /// The state after a line break, whatever the state before it, if it
    /// is one state.
    pub(crate) fn line_start(&self) -> Option<u32> {
        self.line_start
    }

    /// The state after `byte` from `state`. The index is checked against
    /// the table's size, but that test waits on nothing the load does.
    #[inline(always)]
    pub(crate) fn next(&self, state: u32, byte: u8) -> u32 {
        self.next[(state | u32::from(byte)) as usize]
    }

    /// Whether words end at `state`.
    #[inline(always)]
    pub(crate) fn is_match(state: u32) -> bool {
        state & MATCH != 0
    }

    /// Whether one of the words is in `bytes`.
    pub(crate) fn in_bytes(&self, bytes: &[u8]) -> bool {
        let mut state = self.root;
        for &byte in bytes {
            if Words::is_match(state) {
                return true;
            }
            state = self.next(state, byte);
        }
        Words::is_match(state)
    }

    /// The words ending at `state`, and their lengths.
    pub(crate) fn ends(&self, state: u32) -> impl Iterator<Item = (usize, usize)> + '_ {
        let range = self.words_at(state);
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
    fn many_overlapping_words_are_found_as_the_crate_finds_them() {
        // Pseudo-random words over a small alphabet (so that they share
        // prefixes and suffixes, and fail to one another), in both cases
        // and with a kanji, and texts over the same alphabet.
        let alphabet = ["a", "b", "C", "d", "E", "様", "1", "-"];
        let mut state = 11u64;
        let mut pick = |n: usize| {
            state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            (state >> 33) as usize % n
        };
        let mut owned: Vec<String> = Vec::new();
        while owned.len() < 300 {
            let len = 1 + pick(6);
            let word: String = (0..len).map(|_| alphabet[pick(alphabet.len())]).collect();
            if !owned.iter().any(|w| w.eq_ignore_ascii_case(&word)) {
                owned.push(word);
            }
        }
        let words: Vec<&str> = owned.iter().map(String::as_str).collect();
        let a = Words::new(&words).unwrap();
        let mut hits = 0;
        for _ in 0..50 {
            let t: String = (0..80).map(|_| alphabet[pick(alphabet.len())]).collect();
            let found = found(&a, &t);
            assert_eq!(found, crate_found(&words, &t), "{t:?}");
            hits += found.len();
        }
        assert!(hits > 1000, "{hits}");
        // The rows of states without words are numbered from the table's
        // start, those of match states from its second half's, densely.
        let (mut rows, mut states) = ([0usize; 2], vec![a.start()]);
        let mut seen = std::collections::HashSet::from([a.start()]);
        while let Some(state) = states.pop() {
            let half = usize::from(Words::is_match(state));
            assert_eq!(half == 1, a.ends(state).next().is_some(), "{state:#x}");
            rows[half] = rows[half].max((state as usize & (STEPS - 1)) / 256 + 1);
            for byte in 0..=255 {
                let next = a.next(state, byte);
                if seen.insert(next) {
                    states.push(next);
                }
            }
        }
        assert_eq!(rows[0] + rows[1], seen.len(), "no row left unused");
        assert!(rows[0] > 50 && rows[1] > 50, "{rows:?}");
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

    #[test]
    fn a_line_break_leads_to_the_root_unless_a_word_holds_one() {
        // From every state, in the middle of `tel`, of `お客様`, after a match.
        let a = Words::new(&["tel", "telephone", "お客様", "cc"]).unwrap();
        assert_eq!(a.line_start(), Some(a.start()));
        for prefix in ["", "te", "tel", "telepho", "お客", "お客様", "c", "xcc"] {
            let state = prefix.bytes().fold(a.start(), |s, b| a.next(s, b));
            assert_eq!(a.next(state, b'\n'), a.start(), "{prefix}");
        }
        // After `a\n` the state is not the one after `b\n`.
        assert_eq!(Words::new(&["tel", "a\nb"]).unwrap().line_start(), None);
        // A word that is a line break: after one, always its match state.
        let break_word = Words::new(&["\n"]).unwrap();
        let after = break_word.next(break_word.start(), b'\n');
        assert!(Words::is_match(after));
        assert_eq!(break_word.line_start(), Some(after));
    }
}

//! Detection: finds personal data in text, and knows nothing of files.
//!
//! The input is a block of decoded text (one or more whole lines of a record
//! source) and, for delimited text, its header; the output is [`Hit`]s with
//! byte offsets into that text. Detectors are data (`patterns/*.toml`, parsed
//! by [`catalog`]); this module compiles them once into a [`DetectorSet`] that
//! all worker threads share.
//!
//! Matching is staged so that no detector scans text it cannot match, and
//! the text is read a few times in all rather than once per detector:
//!
//! 1. a keyword automaton lists where the context keywords of the detectors
//!    that need context stand, and the anchors' literals; it reads the text
//!    in the same loop as the gate's DFAs that read all of it (each step of
//!    an automaton waits on a table load: in one loop, their waits overlap);
//! 2. the [`gate`] reads the text with a few multi-pattern lazy DFAs (the
//!    detectors that need context only within reach of a keyword) and says,
//!    per line, which detectors' regexes match somewhere on it and where the
//!    first such match ends;
//! 3. a pass over the digits, one-byte anchors and that list of literals
//!    (what any match must share a line with: digits, `@`, `丁目`) picks the
//!    lines worth a look and says which anchors each holds ([`anchor`]);
//!    where the gate decides every detector, a line that holds only digits
//!    is worth one only if the gate flagged it (or a name engine may read
//!    it: [`DetectorSet::lines`]);
//! 4. on such a line, only the detectors the gate flagged, anchored there
//!    (and, where they need context, with a keyword near it or a column
//!    header) run their own regex, from no earlier than their first match
//!    can start ([`Starts`]), then their guard, validator and context rule;
//!    a search whose every hit a hit already on the line outranks waits
//!    until the line's overlaps are resolved, and is made only if that hit
//!    did not stay ([`DetectorSet::outranking`]), and a pattern of one
//!    length is not searched where the gate saw it end at one place alone
//!    and the guard refuses the value there.
//!
//! The gate, and the searches left out, only skip work: what is searched
//! is searched exactly as every detector once searched every line, so
//! findings are the same.
//! Measured and dropped: one DFA for all patterns (its states multiply on
//! digit-dense text: 15× slower on logs), the gate's DFA per line rather
//! than per text (+100% on prose), and the context keywords inside the
//! gate's DFAs instead of their own automaton (no faster, +45 ms start-up).
//!
//! Japanese text defeats `\b` (kanji are word characters), so digit guards are
//! checked here in code rather than written into the regexes.

mod anchor;
pub mod catalog;
mod dictionary;
pub mod floorplan;
mod gate;
pub mod names;
pub mod normalize;
pub mod testdata;
pub mod validate;
mod words;

use std::borrow::Cow;
use std::sync::Arc;

use aho_corasick::AhoCorasick;
use rayon::prelude::*;
use regex_automata::util::captures::Captures;
use regex_automata::{Anchored, Input, Match, meta};
use regex_syntax::hir::{Hir, HirKind};

use crate::finding::{Category, Confidence, ValueList};
use crate::read::delimited::{Header, RowFields};
use crate::read::structured::Values;
use catalog::{Catalog, ContextRule, DetectorSpec, Engine, Guard, LoadError};
use normalize::Folded;

/// How many rejected candidates in a row one detector retries a character
/// later before jumping past the furthest candidate seen: bounds the work on a
/// long run of digits (which is no personal data) while values after it are
/// still found.
const MAX_RETRIES_PER_RUN: usize = 64;

/// One detector, compiled.
#[derive(Debug)]
struct Compiled {
    spec: DetectorSpec,
    /// The id, shared by every finding of this detector.
    id: Arc<str>,
    /// None for a detector with an engine (person names), which [`names::Names`]
    /// runs for all its forms at once.
    regex: Option<Pattern>,
    /// The capture group is the whole pattern (`([0-9]{7})`): the match is
    /// the value, found without the slower capture-resolving engines.
    whole: bool,
    /// The longest match the pattern can make, if bounded.
    max_len: Option<usize>,
    /// The shortest match it can make: a line's search stops where fewer
    /// bytes are left before the gate's last match end.
    min_len: usize,
    /// Per alternative of its pattern, the bytes a match can hold (none
    /// spans another: a `,` in a table row for an address) and those it
    /// can start with: where its search on a line starts. Boxed, so that
    /// its 512 bytes of tables stay out of the fields read on every line.
    starts: Box<Starts>,
    /// The automata of `spec.keywords` and `spec.negative_keywords`,
    /// built when first needed ([`Compiled::keywords`]).
    keywords: std::sync::OnceLock<AhoCorasick>,
    negative_keywords: std::sync::OnceLock<AhoCorasick>,
    /// `spec.headers` as [`header_key`]s, made when a header or a key is
    /// first matched against them ([`Compiled::header_keys`]).
    header_keys: std::sync::OnceLock<Vec<String>>,
    /// Needs a column header for context and has no keywords: it can only
    /// match in delimited text whose header names it, so it takes no part in
    /// the anchors (such patterns, like "any seven digits", would otherwise
    /// make most lines candidates) and runs only where a header activates it.
    column_only: bool,
    /// Bits of the anchors this detector needs on a line.
    anchor_mask: u64,
    /// An earlier detector has its category: a hit of that one may
    /// outrank every hit this one can make on a line, and its search there
    /// wait ([`DetectorSet::outranking`]).
    rivalled: bool,
    /// The most confident hit it can make (in context or not).
    best: Confidence,
    /// The length of every match, for a guarded pattern whose match is
    /// its value and whose every match has one length (`[0-9]{3}-[0-9]{4}`).
    fixed_len: Option<usize>,
}

/// A detector's regex, compiled when first needed: most built-in detectors
/// never run on a given share, and compiling them all was a third of
/// start-up. A pattern from the user's directories is compiled at load, so
/// that one too big to compile is an error at once; a test compiles every
/// built-in one.
#[derive(Debug)]
struct Pattern {
    hir: regex_syntax::hir::Hir,
    regex: std::sync::OnceLock<meta::Regex>,
}

impl Pattern {
    fn new(hir: regex_syntax::hir::Hir, compile_now: bool) -> Result<Pattern, String> {
        let pattern = Pattern { hir, regex: std::sync::OnceLock::new() };
        if compile_now {
            let _ = pattern.regex.set(pattern.compile()?);
        }
        Ok(pattern)
    }

    /// Without the crate's literal prefilters (and the reverse-suffix and
    /// reverse-inner searches built on them): the gate hands a detector a
    /// few bytes around its match, where setting up a prefilter costs more
    /// than the DFA's walk over them. On 4 MB of logs, the detectors'
    /// Teddy and Rabin-Karp searches were 4% of the instructions; without
    /// them the scan took 7% less time.
    fn compile(&self) -> Result<meta::Regex, String> {
        meta::Regex::builder()
            .configure(meta::Config::new().auto_prefilter(false))
            .build_from_hir(&self.hir)
            .map_err(|e| e.to_string())
    }

    fn regex(&self) -> &meta::Regex {
        self.regex.get_or_init(|| self.compile().expect("every built-in pattern compiles (tested)"))
    }

    /// A worker's cache and captures for the regex.
    fn matcher(&self) -> (meta::Cache, Captures) {
        let regex = self.regex();
        (regex.create_cache(), regex.create_captures())
    }
}

impl Compiled {
    /// Whether its search of `line` (at `line_start` of the text) can find
    /// nothing, as a pattern of one length ([`Compiled::fixed_len`]) whose
    /// match the gate saw end at one place alone (`ends`, its first and
    /// last match ends there): only the value that ends there can be a
    /// hit (a match anywhere else would be one the guard refuses, which
    /// the gate does not report), and the guard refuses that one too. A
    /// postal code's pattern matched the start of every mobile number of a
    /// customer table (`090-1234`-5678).
    fn refused_at_one_end(
        &self,
        line: &str,
        line_start: usize,
        ends: Option<(usize, usize)>,
    ) -> bool {
        let (Some(len), Some((first, last))) = (self.fixed_len, ends) else { return false };
        let Some(end) = first.checked_sub(line_start) else { return false };
        let Some(start) = end.checked_sub(len) else { return false };
        first == last
            && end <= line.len()
            && line.is_char_boundary(start)
            && line.is_char_boundary(end)
            && !guard_ok(self.spec.guard, line, start, end)
    }

    /// Its header words as [`header_key`]s, made once: every header row
    /// and every structured file's keys are matched against every
    /// detector's words, and making each word's key again for each was
    /// two fifths of a scan of small JSON, YAML and CSV files.
    fn header_keys(&self) -> &[String] {
        self.header_keys.get_or_init(|| self.spec.headers.iter().map(|h| header_key(h)).collect())
    }

    /// Its keywords as an automaton, built when first needed: they are
    /// read only around a candidate value, and most detectors have none on
    /// a given share; building all of them was a sixth of start-up. A
    /// user's lists are built at load, so that an error shows at once; a
    /// test builds every built-in one. `None` for no keywords.
    fn keywords(&self) -> Option<&AhoCorasick> {
        built_words(&self.keywords, &self.spec.keywords)
    }

    /// Its negative keywords, as [`Compiled::keywords`].
    fn negative_keywords(&self) -> Option<&AhoCorasick> {
        built_words(&self.negative_keywords, &self.spec.negative_keywords)
    }
}

/// The automaton of `list` in `cell`, built into it if not yet.
fn built_words<'a>(
    cell: &'a std::sync::OnceLock<AhoCorasick>,
    list: &[String],
) -> Option<&'a AhoCorasick> {
    (!list.is_empty()).then(|| {
        cell.get_or_init(|| words_automaton(list).expect("every built-in list builds (tested)"))
    })
}

/// The automaton of a keyword list. Read only in the few characters around
/// a value: an NFA, which builds in a fraction of a DFA's time.
fn words_automaton(list: &[String]) -> Result<AhoCorasick, String> {
    AhoCorasick::builder()
        .ascii_case_insensitive(true)
        .kind(Some(aho_corasick::AhoCorasickKind::ContiguousNFA))
        .build(list)
        .map_err(|e| e.to_string())
}

/// Every selected detector, compiled once and shared by all workers.
#[derive(Debug)]
pub struct DetectorSet {
    detectors: Vec<Compiled>,
    /// The anchors of the detectors that can match without a header.
    anchors: anchor::Anchors,
    /// Which detectors may match on which lines, in one pass.
    gate: gate::Gate,
    /// The keywords of the detectors that need context.
    context_words: ContextWords,
    /// The floor-plan classifier.
    floor_plans: floorplan::Rules,
    /// Whether files are classified as floor plans at all.
    floor_plans_enabled: bool,
    /// Known dummy values.
    test_data: testdata::TestData,
    /// The person-name engine, when any name detector is selected.
    names: Option<names::Names>,
    /// Per name form: the index of its detector.
    name_detectors: Vec<(Engine, usize)>,
    /// Anchor bits of the Japanese name detectors: a line holding one (or
    /// half-width katakana, as in bank transfer records) runs the Japanese
    /// name engine.
    japanese_names: u64,
    /// Bits of the Latin name detectors, for which the gate flags the lines
    /// that may hold a Latin name ([`names::LATIN_CANDIDATE`]); zero when
    /// it does not (a detector past the 63rd), and the engine looks for
    /// candidates in the whole text itself.
    latin_names: u64,
    /// Values never reported (`allow.values` of `.piimap.toml`).
    allowed: ValueList,
    /// Bits of the detectors with a regex of their own, and of those of
    /// them that need no column header: the gate passes every detector
    /// it does not decide, and a line visits only those that can run.
    searching: u64,
    searching_bare: u64,
}

/// The keywords of every detector with `context = "required"` in one
/// automaton: one pass over a text lists where they stand, and per candidate
/// line that list says which of those detectors could find a keyword near it,
/// so the rest skip their regex. On text full of look-alike numbers this
/// saves most regex runs. The same pass lists the anchors' literals
/// ([`anchor`]), where the name engines' labels start, and the words that
/// mark other detectors' matches ([`gate::marks`]), so that the text is
/// read by one automaton, not five. The pass is a [`gate::Rider`]: it
/// reads the text in the gate's walk.
#[derive(Debug)]
struct ContextWords {
    /// Every keyword, anchor literal, name label and mark; with none, an
    /// automaton that matches nothing (the walk's step then needs no test of its own).
    words: words::Words,
    /// Per pattern: what it is a word of.
    owners: Vec<Owners>,
    /// The widest `window` and `window_after` of those detectors.
    window: usize,
    window_after: usize,
    /// Per marked detector (its bit) whose matches also hold one of a few
    /// other words ([`gate::also`]): those words, looked for on each line
    /// one of its marks stands on.
    also: Vec<(u64, words::Words)>,
}

/// What a word of [`ContextWords`] is a word of.
#[derive(Debug, Default, Clone, Copy)]
struct Owners {
    /// The bits ([`detector_bit`]) of the detectors it is a keyword of.
    keyword: u64,
    /// The bits of the anchors it spells.
    anchor: u64,
    /// Whether it is a name engine's label.
    label: bool,
    /// Whether it opens a signature's contact line.
    contact: bool,
    /// The bits of the detectors every match of which holds it or another
    /// of their few words ([`gate::marks`]): the gate reads the line it
    /// stands on for them.
    mark: u64,
}

/// Where the context keywords stand in one text: (start, end, owner bits),
/// by start, and the next entry a forward-moving line can need.
#[derive(Debug, Default)]
struct WordIndex {
    hits: Vec<(usize, usize, u64)>,
    next: usize,
    /// The line ranges within a window of some keyword, merged, in order,
    /// with the bits of those keywords' detectors: outside them no line can
    /// have context, and inside one only those detectors.
    regions: Vec<gate::Region>,
    /// Where the name engines' labels start, in order (whole words or not:
    /// a line with none needs no search for them).
    labels: Vec<usize>,
    /// Where a contact label (`TEL`, `〒`) stands, in order (anywhere: the
    /// signature check looks at the line's start).
    contacts: Vec<usize>,
    /// Where a word that marks some detectors' matches stands (whole word
    /// or not), with those detectors' bits ([`Owners::mark`]).
    marks: Vec<(usize, u64)>,
}

impl WordIndex {
    /// Whether a name engine's label starts on `line`. Lines are asked in
    /// order, and `from` keeps the first label not before the last one
    /// asked (start it at 0).
    fn label_on(&self, line: std::ops::Range<usize>, from: &mut usize) -> bool {
        *from += self.labels[*from..].iter().take_while(|&&at| at < line.start).count();
        self.labels.get(*from).is_some_and(|&at| at < line.end)
    }
}

/// [`ContextWords::walk`]: the keyword index of one text being built.
struct KeywordWalk<'a> {
    words: &'a ContextWords,
    t: &'a str,
    index: &'a mut WordIndex,
    anchors: &'a mut Vec<(usize, u64)>,
    /// On a table, the bits of the detectors its header names.
    table: Option<u64>,
}

impl KeywordWalk<'_> {
    /// Lists the words the match state `state` reports, ending at `end`.
    /// Out of line: only the walk's full step, taken at match states,
    /// comes here.
    #[inline(never)]
    fn matched(&mut self, state: u32, end: usize) {
        for (word, len) in self.words.words.ends(state) {
            let start = end - len;
            let Owners { keyword, anchor, label, contact, mark } = self.words.owners[word];
            if keyword != 0 && is_whole_word(self.t.as_bytes(), start, end) {
                self.index.hits.push((start, end, keyword));
            }
            if mark != 0 {
                self.index.marks.push((start, mark));
            }
            if label {
                self.index.labels.push(start);
            }
            // Only text without columns has signatures.
            if contact && self.table.is_none() {
                self.index.contacts.push(start);
            }
            if anchor != 0 {
                self.anchors.push((start, anchor));
            }
        }
    }
}

impl gate::Rider for KeywordWalk<'_> {
    /// A state of [`words::Words`].
    type State = u32;

    fn start(&mut self) -> Self::State {
        let state = self.words.words.start();
        // An empty keyword matches before the first byte.
        if words::Words::is_match(state) {
            self.matched(state, 0);
        }
        state
    }

    /// One step of the automaton, as an overlapping search takes it: every
    /// occurrence of every word comes, by end, then as the match state
    /// lists them. Only match states are special: the common step is one
    /// table load and a test of its flag.
    #[inline(always)]
    fn next(&self, state: Self::State, byte: u8) -> Self::State {
        self.words.words.next(state, byte)
    }

    #[inline(always)]
    fn is_special(&self, state: Self::State) -> bool {
        words::Words::is_match(state)
    }

    fn arrive(&mut self, state: Self::State, at: usize) {
        self.matched(state, at + 1);
    }

    /// Where no keyword holds a line break, the root.
    fn line_start(&self) -> Option<Self::State> {
        self.words.words.line_start()
    }

    /// On a table, those its header names.
    fn everywhere(&self) -> u64 {
        self.table.unwrap_or(0)
    }

    fn context(&mut self) -> &[gate::Region] {
        let (t, index, context_words) = (self.t, &mut *self.index, self.words);
        let (window, window_after) = (context_words.window, context_words.window_after);
        // Overlapping matches come by end; a shorter keyword inside a
        // longer one can start later and end earlier.
        index.hits.sort_unstable_by_key(|&(start, ..)| start);
        index.labels.sort_unstable();
        index.contacts.sort_unstable();
        self.anchors.sort_unstable_by_key(|&(start, _)| start);
        index.regions.clear();
        // On a table every line has context, for the detectors its header
        // names and those with a keyword anywhere: no regions to work out.
        if let Some(named) = self.table.filter(|_| !t.is_empty()) {
            let detectors = index.hits.iter().fold(named, |m, &(.., owners)| m | owners);
            let detectors = index.marks.iter().fold(detectors, |m, &(_, mark)| m | mark);
            index.regions.push(gate::Region { lines: 0..t.len(), detectors });
            return &index.regions;
        }
        // [`ContextWords::near`] takes a keyword for a line when the keyword
        // starts at most `window` characters before the line's start and
        // ends at most `window_after` characters after the line's end: the
        // lines around [end - window_after, start + window].
        let bytes = t.as_bytes();
        // The whole lines holding the bytes from `a` to `b`.
        let lines = |a: usize, b: usize| {
            let from = memchr::memrchr(b'\n', &bytes[..a]).map_or(0, |n| n + 1);
            let to = memchr::memchr(b'\n', &bytes[b..]).map_or(t.len(), |n| b + n);
            from..to
        };
        index.regions.extend(index.hits.iter().map(|&(start, end, owners)| {
            let a = back_chars(t, end, window_after);
            let b = forward_chars(t, start, window);
            gate::Region { lines: lines(a.min(b), a.max(b)), detectors: owners }
        }));
        // A word that every match of a detector holds: the line it stands
        // on, if it holds the detector's other words too.
        index.regions.extend(index.marks.iter().filter_map(|&(start, mark)| {
            let lines = lines(start, start);
            let detectors = context_words.marked(mark, &bytes[lines.clone()]);
            (detectors != 0).then_some(gate::Region { lines, detectors })
        }));
        // By start, keywords of different lengths can put a region's start
        // before the one before it: sort, then merge what touches.
        index.regions.sort_unstable_by_key(|r| r.lines.start);
        index.regions.dedup_by(|next, last| {
            let touches = next.lines.start <= last.lines.end + 1;
            if touches {
                last.lines.end = last.lines.end.max(next.lines.end);
                last.detectors |= next.detectors;
            }
            touches
        });
        &index.regions
    }
}

impl ContextWords {
    fn new(
        detectors: &[Compiled],
        anchors: &[(String, u64)],
        labels: &[&str],
        contacts: &[&str],
        marked: &[(u64, &Hir, Vec<String>)],
    ) -> Result<ContextWords, String> {
        let mut words: Vec<String> = Vec::new();
        let mut owners: Vec<Owners> = Vec::new();
        let (mut window, mut window_after) = (0, 0);
        // The automaton ignores ASCII case: spellings that differ only so
        // are one pattern.
        let mut add = |word: &str, of: Owners| match words
            .iter()
            .position(|w| w.eq_ignore_ascii_case(word))
        {
            Some(i) => {
                let o = &mut owners[i];
                o.keyword |= of.keyword;
                o.anchor |= of.anchor;
                o.label |= of.label;
                o.contact |= of.contact;
                o.mark |= of.mark;
            }
            None => {
                words.push(word.to_string());
                owners.push(of);
            }
        };
        for (d, det) in detectors.iter().enumerate() {
            if det.spec.context != ContextRule::Required {
                continue;
            }
            window = window.max(det.spec.window);
            window_after = window_after.max(det.spec.window_after);
            for k in &det.spec.keywords {
                add(k, Owners { keyword: detector_bit(d), ..Owners::default() });
            }
        }
        for (literal, bit) in anchors {
            add(literal, Owners { anchor: *bit, ..Owners::default() });
        }
        // The name engines' labels, so that their own search runs only on
        // lines where one starts: a customer table's rows hold none, and
        // that search read each of them a second time.
        for label in labels {
            add(label, Owners { label: true, ..Owners::default() });
        }
        // The contact labels, so that a line that opens with one is read
        // though it holds only digits (see [`Lines`]).
        for contact in contacts {
            add(contact, Owners { contact: true, ..Owners::default() });
        }
        // The words that mark detectors' matches (`marked`: each such
        // detector's bit, pattern and words), so that the gate reads their
        // detectors' patterns only on the lines that hold one.
        for (bit, _, marks) in marked {
            for word in marks {
                add(word, Owners { mark: *bit, ..Owners::default() });
            }
        }
        // Its own automaton ([`words`]), not the `aho-corasick` crate's:
        // the index reads every byte of every text, and a case-insensitive
        // automaton gets no prefilter to skip with, so its step is laid out
        // for the gate's walk.
        let words = words::Words::new(&words.iter().map(String::as_str).collect::<Vec<_>>())?;
        // Where such a match also holds one of a few words of another part
        // ([`gate::also`]), the line must hold one of those too. Worked out
        // here, beside the gate's build: for the built-in detectors it takes
        // a fifth of a millisecond, most of it in the address patterns.
        let mut also = Vec::new();
        for (bit, hir, marks) in marked {
            if let Some(more) = gate::also(hir, marks) {
                let more: Vec<&str> = more.iter().map(String::as_str).collect();
                also.push((*bit, words::Words::new(&more)?));
            }
        }
        Ok(ContextWords { words, owners, window, window_after, also })
    }

    /// Of the detectors in `mark`, those whose matches `line` may hold: a
    /// detector with other words ([`ContextWords::also`]) needs one there.
    fn marked(&self, mark: u64, line: &[u8]) -> u64 {
        self.also
            .iter()
            .filter(|(bit, words)| mark & bit != 0 && !words.in_bytes(line))
            .fold(mark, |mark, (bit, _)| mark & !bit)
    }

    /// The walk that lists every keyword occurrence in `t`, overlapping
    /// ones included, into `index`, and where the anchors' literals stand
    /// into `anchors`: (start, anchor bits), by start. It reads `t` as the
    /// gate's rider ([`gate::Rider`]); on a table (`table`: the bits of the
    /// detectors its header names) every line has context.
    fn walk<'a>(
        &'a self,
        t: &'a str,
        table: Option<u64>,
        index: &'a mut WordIndex,
        anchors: &'a mut Vec<(usize, u64)>,
    ) -> KeywordWalk<'a> {
        index.hits.clear();
        index.labels.clear();
        index.contacts.clear();
        index.marks.clear();
        index.next = 0;
        anchors.clear();
        KeywordWalk { words: self, t, index, anchors, table }
    }

    /// [`ContextWords::walk`] over `t` alone.
    #[cfg(test)]
    fn index(&self, t: &str, index: &mut WordIndex, anchors: &mut Vec<(usize, u64)>) {
        use gate::Rider;
        let mut walk = self.walk(t, None, index, anchors);
        let mut sid = walk.start();
        for (at, &byte) in t.as_bytes().iter().enumerate() {
            sid = walk.step(sid, at, byte);
        }
        walk.context();
    }

    /// The bits of the detectors with a keyword on `t[line]` or within the
    /// widest window of it: a superset, the exact, per-value test comes
    /// later. Lines must come in increasing order.
    fn near(&self, t: &str, line: std::ops::Range<usize>, index: &mut WordIndex) -> u64 {
        let from = back_chars(t, line.start, self.window);
        let to = forward_chars(t, line.end, self.window_after);
        // Starts are sorted and regions only move forward.
        while index.next < index.hits.len() && index.hits[index.next].0 < from {
            index.next += 1;
        }
        index.hits[index.next..]
            .iter()
            .take_while(|&&(start, ..)| start < to)
            .filter(|&&(_, end, _)| end <= to)
            .fold(0, |m, &(.., owners)| m | owners)
    }
}

/// The pattern the gate reads for detector `det`, and it parsed. A
/// detector whose value is its whole match and whose guard rejects a value
/// right after a digit ([`guard_ok`]) can only find values that start a
/// line or follow some other character: its gate pattern says so. On logs,
/// the tail of a long number (`…07511 404 1603` in `/users/5379907511 404
/// 1603ms`) matches the Japanese phone pattern on most lines, and each such
/// line ran that detector's regex for the guard to reject what it found.
/// The prefix ends no match elsewhere, so the ends the gate hands the
/// detector stay those of its own matches ([`gate::Flags::ends`]).
///
/// It also keeps the gate's DFAs smaller on digit-dense text, where every
/// digit could start a match: with it, logs took 18% less time and a
/// customer table 5% less (prose 2% less, code the same).
///
/// `start` is [`GUARD_START`] parsed (once per set, not per detector).
fn gate_pattern<'d>(det: &'d Compiled, start: &Hir) -> (Cow<'d, str>, Cow<'d, Hir>) {
    let hir = &det.regex.as_ref().expect("a gated detector has a regex").hir;
    let guarded = matches!(det.spec.guard, Guard::Digits | Guard::Alnum);
    if !(guarded && det.whole && !det.spec.joined) {
        // The detector's own (cloning every pattern was 2% of start-up).
        return (Cow::Borrowed(&det.spec.pattern), Cow::Borrowed(hir));
    }
    let pattern = format!("{GUARD_START}(?:{})", det.spec.pattern);
    (Cow::Owned(pattern), Cow::Owned(Hir::concat(vec![start.clone(), hir.clone()])))
}

/// What comes before a guarded value in the gate ([`gate_pattern`]):
/// parsed from this text, so that the text the gate knows the pattern by
/// reads as the pattern it reads. The class leaves out the line break
/// itself: the gate would take it out ([`gate::Gate::parsed`]) by building
/// each guarded pattern again, the large address patterns among them.
const GUARD_START: &str = "(?m:^|[^0-9\\n])";

/// Detector `d`'s bit in a mask; past 62 detectors share the last bit, which
/// only makes a few of them run needlessly.
fn detector_bit(d: usize) -> u64 {
    1 << d.min(63)
}

/// The detectors with a bit in `mask` ([`detector_bit`]), in order, of `len`.
fn detectors_in(mask: u64, len: usize) -> impl Iterator<Item = usize> {
    let mut low = mask & !(1 << 63);
    let shared = if mask >> 63 != 0 { 63..len } else { 0..0 };
    std::iter::from_fn(move || {
        (low != 0).then(|| {
            let d = low.trailing_zeros() as usize;
            low &= low - 1;
            d
        })
    })
    .take_while(move |&d| d < len)
    .chain(shared)
}

/// A match that passed every check, with offsets into the original text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hit {
    /// Index of the detector in the set ([`DetectorSet::spec`]).
    pub detector: usize,
    /// 0-based line within the text given to [`DetectorSet::detect`].
    pub line: usize,
    /// Byte offset of that line's start.
    pub line_start: usize,
    /// Byte range of the value.
    pub start: usize,
    /// End of the value (exclusive).
    pub end: usize,
    /// Field (column) index under the header, for delimited text.
    pub field: Option<usize>,
    /// How sure the hit is.
    pub confidence: Confidence,
}

/// Per-worker buffers, reused from one text to the next. Every regex gets its
/// cache from here rather than from the regex's internal pool, whose
/// non-owner path (a lock, and fresh caches under contention) showed up in
/// multi-threaded profiles.
#[derive(Debug)]
pub struct Scratch {
    folded: Folded,
    /// Per detector: its regex cache and capture slots, made when the
    /// detector first runs.
    matchers: Vec<Option<(meta::Cache, Captures)>>,
    line_hits: Vec<Hit>,
    name_hits: Vec<names::NameHit>,
    /// Spans of a line the Japanese name engine does not read.
    name_skips: Vec<std::ops::Range<usize>>,
    names: names::Scratch,
    words: WordIndex,
    /// Where the anchors' literals stand in the text: (start, anchor bits).
    literals: Vec<(usize, u64)>,
    gate: gate::Scratch,
    flags: gate::Flags,
    /// The starts of the lines the gate flags for the Latin name engine.
    latin_lines: Vec<usize>,
    /// A table row's field starts and value spans.
    field_starts: Vec<usize>,
    value_spans: LineSpans,
    overlaps: Overlaps,
    deferred: Deferred,
    test_data: testdata::Scratch,
}

/// How a text is laid out, as far as detection cares.
#[derive(Debug, Clone, Copy, Default)]
pub struct Layout {
    /// The first line is a table's header row.
    pub first_is_header: bool,
    /// Lines are cells and fields rather than prose (text extracted from
    /// documents, JSON, XML, SQL dumps): a label may stand in a cell or key
    /// of its own (`氏名<TAB>山田 太郎`, `<name>山田 太郎</name>`), so
    /// Japanese names are looked for on every line, not only on lines with
    /// an anchor. Such text is small beside a share's prose and logs.
    pub fields: bool,
}

/// Which detectors each column's header speaks for: computed once per file
/// for a table, per chunk for structured text (whose keys come as it goes).
#[derive(Debug, Clone)]
pub struct Columns {
    /// How a line's bytes fall into fields.
    fields: Fields,
    /// The field names, shareable by findings.
    names: Vec<Arc<str>>,
    /// For each field, the detectors whose `headers` name it.
    hints: Vec<Vec<usize>>,
    /// Column-only detectors that some field's header names.
    active: Vec<usize>,
    /// Bits ([`detector_bit`]) of every detector some field's header names.
    named: u64,
}

/// Where a line's fields are.
#[derive(Debug, Clone)]
enum Fields {
    /// Delimited text under a header row: every byte is in some field.
    Header(Header),
    /// Structured text: its values, each under a key (a field of its own);
    /// bytes outside them (keys, punctuation) are in none.
    Keys(Arc<Values>),
}

impl Columns {
    /// The name of field `i`, if the header has one.
    pub fn name(&self, i: usize) -> Option<&Arc<str>> {
        self.names.get(i)
    }

    /// The header row of a table (not of structured text).
    pub fn header(&self) -> Option<&Header> {
        match &self.fields {
            Fields::Header(h) => Some(h),
            Fields::Keys(_) => None,
        }
    }

    /// The values of structured text (not of a table).
    pub fn values(&self) -> Option<&Values> {
        match &self.fields {
            Fields::Header(_) => None,
            Fields::Keys(v) => Some(v),
        }
    }

    fn hints(&self, field: usize, detector: usize) -> bool {
        self.hints.get(field).is_some_and(|h| h.contains(&detector))
    }

    /// The fields of line `line` (0-based in the text), which `from_line`
    /// (the text from that line's start on) begins with; a delimited row
    /// splits itself into `starts`, which the caller's rows share.
    fn row<'a>(&'a self, line: usize, from_line: &'a str, starts: &'a mut Vec<usize>) -> Row<'a> {
        match &self.fields {
            Fields::Header(h) => Row::Delimited(RowFields::new(h, from_line, starts)),
            Fields::Keys(v) => Row::Keyed(v, line),
        }
    }
}

/// The fields of one line.
enum Row<'a> {
    Delimited(RowFields<'a>),
    Keyed(&'a Values, usize),
}

impl Row<'_> {
    fn is_keyed(&self) -> bool {
        matches!(self, Row::Keyed(..))
    }

    /// The field byte `offset` of the line (original text) is in.
    fn field_at(&self, offset: usize) -> Option<usize> {
        match self {
            Row::Delimited(r) => Some(r.field_at(offset)),
            Row::Keyed(v, line) => v.at(*line, offset).map(|v| v.key as usize),
        }
    }

    /// Each value's field and byte range in the folded `line`, whose
    /// original starts at `orig_start` of the original text, into `spans`.
    fn spans(
        &self,
        line: &str,
        line_start: usize,
        orig_start: usize,
        folded: &Folded,
        spans: &mut Vec<(usize, std::ops::Range<usize>)>,
    ) {
        match self {
            // The row was split on the original line: where that is the
            // folded line too, its fields' starts give the values.
            Row::Delimited(r) if folded.unchanged() => r.value_spans(line, spans),
            Row::Delimited(r) => r.header().spans(line, spans),
            Row::Keyed(v, n) => {
                spans.clear();
                spans.extend(v.on_line(*n).iter().map(|v| {
                    let at = |o: usize| folded.folded_offset(orig_start + o) - line_start;
                    (v.key as usize, at(v.span().start)..at(v.span().end))
                }));
            }
        }
    }
}

/// Where a match of a pattern can start, as bytes seen from where the gate
/// says its first match on a line ends. Per top-level alternative (inside
/// the capture groups; the whole pattern when it is no alternation): the
/// bytes its matches can hold and those they can start with, as one bit
/// per alternative in a table by byte (past the eighth, alternatives
/// share the last bit, as if one).
#[derive(Debug, Clone)]
struct Starts {
    /// Per byte: the alternatives whose matches can hold it.
    holds: [u8; 256],
    /// Per byte: the alternatives whose matches can start with it.
    starts: [u8; 256],
}

impl Starts {
    /// A detector's without a pattern (a name engine's), which no search
    /// reads.
    const EMPTY: Starts = Starts { holds: [0; 256], starts: [0; 256] };

    fn of(hir: &Hir) -> Starts {
        let mut hir = hir;
        while let HirKind::Capture(c) = hir.kind() {
            hir = &c.sub;
        }
        let alternatives = match hir.kind() {
            HirKind::Alternation(subs) => &subs[..],
            _ => std::slice::from_ref(hir),
        };
        let mut table = Starts { holds: [0; 256], starts: [0; 256] };
        for (i, alternative) in alternatives.iter().enumerate() {
            let bit = 1 << i.min(7);
            let (holds, starts) =
                (gate::ByteSet::of(alternative), gate::ByteSet::starts(alternative));
            holds.members().for_each(|b| table.holds[usize::from(b)] |= bit);
            starts.members().for_each(|b| table.starts[usize::from(b)] |= bit);
        }
        table
    }

    /// The first byte of `reach..first` in `bytes` where a match that ends
    /// at `first` or later can start (`first` when none can): for some
    /// alternative, a byte it can start with, with no byte it cannot hold
    /// between it and `first`. An e-mail's quoted local part (`"…"@`)
    /// can hold a `,` but starts with `"`: on a table row without quotes,
    /// the bound is that of the unquoted form, which holds no `,`.
    fn bound(&self, bytes: &[u8], reach: usize, first: usize) -> usize {
        let (mut alive, mut from) = (u8::MAX, first);
        for (at, &b) in bytes[reach..first].iter().enumerate().rev() {
            alive &= self.holds[usize::from(b)];
            if alive == 0 {
                break;
            }
            if self.starts[usize::from(b)] & alive != 0 {
                from = reach + at;
            }
        }
        from
    }
}

/// A line's [`Row::spans`], worked out when a detector first needs them,
/// in a buffer a text's lines share.
#[derive(Debug, Default)]
struct LineSpans {
    spans: Vec<(usize, std::ops::Range<usize>)>,
    /// They are the current line's.
    ready: bool,
}

impl LineSpans {
    /// The spans of the folded `line` (at `line_start`, its original at
    /// `orig_start`) of `row`.
    fn of(
        &mut self,
        row: &Row<'_>,
        line: &str,
        line_start: usize,
        orig_start: usize,
        folded: &Folded,
    ) -> &[(usize, std::ops::Range<usize>)] {
        if !self.ready {
            row.spans(line, line_start, orig_start, folded, &mut self.spans);
            self.ready = true;
        }
        &self.spans
    }
}

impl DetectorSet {
    /// Compiles every spec in the catalog.
    pub fn new(catalog: &Catalog) -> Result<DetectorSet, LoadError> {
        let err = |id: &str, message: String| LoadError::Pattern { id: id.to_string(), message };
        let mut detectors = Vec::with_capacity(catalog.specs.len());
        // The detectors the gate reads for.
        let mut gated: Vec<usize> = Vec::new();
        // Each spec folded and parsed on its own: parsing is a fifth of
        // start-up.
        let prepare = |spec: &DetectorSpec| {
            // Keywords and anchors are matched on folded text: fold them too.
            let mut spec = spec.clone();
            for word in
                spec.keywords.iter_mut().chain(&mut spec.negative_keywords).chain(&mut spec.anchors)
            {
                *word = normalize::fold_str(word);
            }
            // Parsed once: the regex, its shape and the gate all start here.
            let hir = match spec.engine {
                Some(_) => Ok(None),
                None => regex_automata::util::syntax::parse_with(&spec.pattern, &syntax())
                    .map(Some)
                    .map_err(|e| err(&spec.id, e.to_string())),
            };
            (spec, hir)
        };
        let prepared: Vec<(DetectorSpec, Result<Option<Hir>, LoadError>)> =
            map_each(&catalog.specs, prepare);
        for (spec, hir) in prepared {
            let hir = hir?;
            // A user's pattern and words are built at load, to fail at once.
            let user = !catalog.builtin[detectors.len()];
            let err = |message: String| err(&spec.id, message);
            if hir.as_ref().is_some_and(|hir| hir.properties().explicit_captures_len() != 1) {
                return Err(err("the pattern needs exactly one capture group".into()));
            }
            let words = |list: &[String]| {
                let cell = std::sync::OnceLock::new();
                if user && !list.is_empty() {
                    let _ = cell.set(words_automaton(list).map_err(err)?);
                }
                Ok(cell)
            };
            let whole = hir.as_ref().is_some_and(
                |hir| matches!(hir.kind(), regex_syntax::hir::HirKind::Capture(c) if c.index == 1),
            );
            let max_len = hir.as_ref().and_then(|hir| hir.properties().maximum_len());
            let min_len = hir.as_ref().and_then(|hir| hir.properties().minimum_len()).unwrap_or(0);
            let starts = Box::new(hir.as_ref().map_or(Starts::EMPTY, Starts::of));
            let keywords = words(&spec.keywords)?;
            let negative_keywords = words(&spec.negative_keywords)?;
            if spec.engine.is_none()
                && spec.context == ContextRule::Required
                && spec.keywords.is_empty()
                && spec.headers.is_empty()
            {
                return Err(err("context = \"required\" needs keywords or headers".into()));
            }
            let column_only = spec.engine.is_none()
                && spec.context == ContextRule::Required
                && spec.keywords.is_empty();
            if spec.joined && !column_only {
                return Err(err(
                    "joined = true needs context = \"required\", headers and no keywords".into(),
                ));
            }
            // Detectors past the 63rd share a bit, so the gate cannot tell
            // them apart: they run wherever their anchors say.
            let i = detectors.len();
            if i < 63 && !column_only && hir.is_some() {
                gated.push(i);
            }
            let regex = hir.map(|hir| Pattern::new(hir, user)).transpose().map_err(err)?;
            detectors.push(Compiled {
                id: Arc::from(spec.id.as_str()),
                spec,
                regex,
                whole,
                max_len,
                min_len,
                starts,
                keywords,
                negative_keywords,
                header_keys: std::sync::OnceLock::new(),
                column_only,
                anchor_mask: 0,
                rivalled: false,
                best: Confidence::Low,
                fixed_len: None,
            });
        }
        for i in 0..detectors.len() {
            let category = detectors[i].spec.category;
            let rivalled = detectors[..i].iter().any(|d| d.spec.category == category);
            let d = &mut detectors[i];
            let guarded = matches!(d.spec.guard, Guard::Digits | Guard::Alnum);
            let one_length = d.max_len == Some(d.min_len);
            d.rivalled = rivalled;
            d.best = d.spec.confidence(true).max(d.spec.confidence(false));
            d.fixed_len = (guarded && d.whole && !d.spec.joined && one_length).then_some(d.min_len);
        }
        let lists: Vec<&[String]> = detectors
            .iter()
            .map(|d| if d.column_only { &[][..] } else { &d.spec.anchors[..] })
            .collect();
        let (anchors, masks) = anchor::Anchors::new(&lists);
        for (d, mask) in detectors.iter_mut().zip(masks) {
            d.anchor_mask = mask;
        }
        // Each gated detector's (bit, pattern, whether it needs context),
        // and its pattern as parsed: as the gate reads it ([`gate_pattern`]).
        let start = regex_automata::util::syntax::parse_with(GUARD_START, &syntax())
            .map_err(|e| err("(gate)", e.to_string()))?;
        let gate_patterns: Vec<(Cow<'_, str>, Cow<'_, Hir>)> =
            gated.iter().map(|&i| gate_pattern(&detectors[i], &start)).collect();
        // The words one of which every match of a detector that needs no
        // context holds ([`gate::marks`]): the gate reads those detectors'
        // patterns, as it reads those of the detectors that need context,
        // only on the lines that hold one, and the group that reads every
        // byte is left the patterns that tell fewer bytes apart.
        let mut marked: Vec<(u64, &Hir, Vec<String>)> = Vec::new();
        let (mut gated, mut hirs): (Vec<_>, Vec<_>) = gated
            .iter()
            .zip(&gate_patterns)
            .map(|(&i, (pattern, hir))| {
                let mut needs_context = detectors[i].spec.context == ContextRule::Required;
                if let Some(words) = gate::marks(hir).filter(|_| !needs_context) {
                    marked.push((detector_bit(i), &**hir, words));
                    needs_context = true;
                }
                ((detector_bit(i), &**pattern, needs_context), &**hir)
            })
            .unzip();
        let name_detectors: Vec<(Engine, usize)> =
            detectors.iter().enumerate().filter_map(|(i, d)| Some((d.spec.engine?, i))).collect();
        // The lines where a Latin name may be are flagged by the group that
        // reads every byte, for the Latin name detectors' bits (when each
        // has a bit of its own): see [`names::LATIN_CANDIDATE`].
        let latin: Vec<usize> = name_detectors
            .iter()
            .filter(|(form, _)| matches!(form, Engine::NameRomaji | Engine::NameEnglish))
            .map(|&(_, i)| i)
            .collect();
        let latin_names = if latin.iter().all(|&i| i < 63) {
            latin.iter().fold(0, |m, &i| m | detector_bit(i))
        } else {
            0
        };
        let latin_hir = (latin_names != 0)
            .then(|| {
                regex_automata::util::syntax::parse_with(names::LATIN_CANDIDATE, &syntax())
                    .map_err(|e| err("(names)", e.to_string()))
            })
            .transpose()?;
        if let Some(hir) = &latin_hir {
            gated.push((latin_names, names::LATIN_CANDIDATE, false));
            hirs.push(hir);
        }
        // The name engines' labels (their detectors' keywords) are listed by
        // the keyword walk too, so that a line without one is not searched
        // for them again.
        let label_words: Vec<&str> = name_detectors
            .iter()
            .flat_map(|&(_, i)| detectors[i].spec.keywords.iter().map(String::as_str))
            .collect();
        let names = || {
            if name_detectors.is_empty() {
                return Ok(None);
            }
            let labels: Vec<(Engine, &[String], &[String])> = name_detectors
                .iter()
                .map(|&(form, i)| {
                    let spec = &detectors[i].spec;
                    (form, &spec.keywords[..], &spec.negative_keywords[..])
                })
                .collect();
            // A user's name detector has its labels built at load.
            let build_now = name_detectors.iter().any(|&(_, i)| !catalog.builtin[i]);
            names::Names::new(&labels, build_now).map(Some).map_err(|e| err("(names)", e))
        };
        let floor_plans = || {
            floorplan::Rules::builtin().map_err(|e| LoadError::Parse {
                file: "floorplan.toml".into(),
                message: e.to_string(),
            })
        };
        // The test data's rules are compiled when a finding first asks, so
        // that a scan that finds nothing never builds them; with threads to
        // spare, now, beside the rest (a scan that finds one value on two
        // threads waited for them).
        let test_data = || {
            let test_data = testdata::TestData::builtin();
            if in_pool() {
                test_data.prepare();
            }
            test_data
        };
        // The keywords' DFA and the gate's groups are each a quarter of
        // start-up.
        let (context_words, (gate, (names, (floor_plans, test_data)))) = join(
            || {
                let contacts =
                    if name_detectors.is_empty() { &[][..] } else { names::CONTACT_LABELS };
                ContextWords::new(&detectors, anchors.literals(), &label_words, contacts, &marked)
            },
            || {
                join(
                    || gate::Gate::parsed(&gated, &hirs),
                    || join(names, || join(floor_plans, test_data)),
                )
            },
        );
        let context_words = context_words.map_err(|e| err("(keywords)", e))?;
        let gate = gate.map_err(|e| err("(gate)", e))?;
        let names = names?;
        let floor_plans = floor_plans?;
        let japanese_names = name_detectors
            .iter()
            .filter(|(form, _)| !matches!(form, Engine::NameRomaji | Engine::NameEnglish))
            .fold(0, |m, &(_, i)| m | detectors[i].anchor_mask);
        let bits = |f: &dyn Fn(&Compiled) -> bool| {
            detectors
                .iter()
                .enumerate()
                .filter(|(_, d)| f(d))
                .fold(0, |m, (i, _)| m | detector_bit(i))
        };
        let searching = bits(&|d| d.regex.is_some());
        let searching_bare = bits(&|d| d.regex.is_some() && !d.column_only);
        Ok(DetectorSet {
            searching,
            searching_bare,
            detectors,
            anchors,
            gate,
            context_words,
            floor_plans,
            test_data,
            floor_plans_enabled: true,
            allowed: ValueList::default(),
            names,
            name_detectors,
            japanese_names,
            latin_names,
        })
    }

    /// The built-in detectors plus any pattern directories, compiled.
    pub fn load(extra: &[std::path::PathBuf]) -> Result<DetectorSet, LoadError> {
        DetectorSet::load_except(extra, &[])
    }

    /// As [`DetectorSet::load`], without the detectors (and the floor-plan
    /// classifier) of the `skipped` categories.
    pub fn load_except(
        extra: &[std::path::PathBuf],
        skipped: &[Category],
    ) -> Result<DetectorSet, LoadError> {
        let mut catalog = Catalog::builtin()?;
        for dir in extra {
            catalog.add_dir(dir)?;
        }
        catalog.retain(|s| !skipped.contains(&s.category));
        let mut set = DetectorSet::new(&catalog)?;
        set.floor_plans_enabled = !skipped.contains(&Category::FloorPlan);
        Ok(set)
    }

    /// Number of detectors.
    pub fn len(&self) -> usize {
        self.detectors.len()
    }

    /// True when the set has no detectors.
    pub fn is_empty(&self) -> bool {
        self.detectors.is_empty()
    }

    /// The spec of detector `i`.
    pub fn spec(&self, i: usize) -> &DetectorSpec {
        &self.detectors[i].spec
    }

    /// How reports describe the detectors that can report: every loaded
    /// detector and the floor-plan classifier, as (id, category, English,
    /// Japanese).
    pub fn describe(&self) -> Vec<(&str, Category, &str, &str)> {
        let mut out: Vec<_> = self
            .detectors
            .iter()
            .map(|d| {
                let text = &d.spec.description;
                (&*d.id, d.spec.category, text.en.as_str(), text.ja.as_str())
            })
            .collect();
        if self.floor_plans().is_some() {
            out.push((
                "floor-plan",
                Category::FloorPlan,
                floorplan::DESCRIPTION_EN,
                floorplan::DESCRIPTION_JA,
            ));
        }
        out
    }

    /// The floor-plan classifier, unless floor plans are skipped.
    pub fn floor_plans(&self) -> Option<&floorplan::Rules> {
        self.floor_plans_enabled.then_some(&self.floor_plans)
    }

    /// The test-data recogniser.
    pub fn test_data(&self) -> &testdata::TestData {
        &self.test_data
    }

    /// Whether the text [`DetectorSet::detect`] last read folded to
    /// itself: then no value found in it folds ([`normalize::fold_cow`]
    /// of any part of it is that part). Folding only ever looks forward
    /// from where a change starts, save a dash that needs a digit on
    /// either side, so a part of a text folds nowhere its whole does not.
    pub fn folded_to_itself(&self, scratch: &Scratch) -> bool {
        scratch.folded.unchanged()
    }

    /// Why a value found as `category` is known test data, if it is
    /// ([`testdata::TestData::recognise`], with the worker's caches).
    pub fn recognise_test_data(
        &self,
        scratch: &mut Scratch,
        category: Category,
        value: &str,
        folded: &str,
    ) -> Option<testdata::Verdict> {
        self.test_data.recognise(&mut scratch.test_data, category, value, folded)
    }

    /// Adds a project's own values: `allowed` are never reported, `test`
    /// are reported as test data.
    pub fn set_project_values(&mut self, allowed: ValueList, test: ValueList) {
        self.allowed = allowed;
        self.test_data.set_values(test);
    }

    /// Whether `value` is allowlisted.
    pub fn allowed(&self, value: &str) -> bool {
        self.allowed.contains(value)
    }

    /// The id of detector `i`, shareable.
    pub fn id(&self, i: usize) -> &Arc<str> {
        &self.detectors[i].id
    }

    /// Fresh per-worker buffers for this set.
    pub fn scratch(&self) -> Scratch {
        Scratch {
            folded: Folded::default(),
            matchers: self.detectors.iter().map(|_| None).collect(),
            line_hits: Vec::new(),
            name_hits: Vec::new(),
            name_skips: Vec::new(),
            names: names::Scratch::default(),
            words: WordIndex::default(),
            literals: Vec::new(),
            gate: self.gate.scratch(),
            flags: gate::Flags::default(),
            latin_lines: Vec::new(),
            field_starts: Vec::new(),
            value_spans: LineSpans::default(),
            overlaps: Overlaps::default(),
            deferred: Deferred::default(),
            test_data: testdata::Scratch::default(),
        }
    }

    /// Matches a header's field names against every detector's `headers`.
    pub fn columns(&self, header: Header) -> Columns {
        let names = header.names.clone();
        self.columns_named(&names, Fields::Header(header))
    }

    /// The keys of structured text as columns: each key is a field whose
    /// name speaks for its values as a header does.
    pub fn keyed_columns(&self, values: Values) -> Columns {
        let names = values.keys.clone();
        self.columns_named(&names, Fields::Keys(Arc::new(values)))
    }

    fn columns_named(&self, names: &[String], fields: Fields) -> Columns {
        let hints: Vec<Vec<usize>> = names
            .iter()
            .map(|name| {
                let name = header_key(name);
                self.detectors
                    .iter()
                    .enumerate()
                    .filter(|(_, d)| d.header_keys().iter().any(|h| header_matches(&name, h)))
                    .map(|(i, _)| i)
                    .collect()
            })
            .collect();
        // Column-only detectors, and name detectors whose column is named,
        // look at every row.
        let mut active: Vec<usize> = hints
            .iter()
            .flatten()
            .copied()
            .filter(|&d| self.detectors[d].column_only || self.detectors[d].spec.engine.is_some())
            .collect();
        active.sort_unstable();
        active.dedup();
        let named = hints.iter().flatten().fold(0, |m, &d| m | detector_bit(d));
        let names = names.iter().map(|n| Arc::from(n.as_str())).collect();
        Columns { fields, names, hints, active, named }
    }

    /// Finds personal data in `text`, appending hits (in text order) to `out`.
    ///
    /// `columns` describes delimited text whose first line (when
    /// `layout.first_is_header`) is the header row; that row is scanned as
    /// plain text.
    pub fn detect(
        &self,
        text: &str,
        columns: Option<&Columns>,
        layout: Layout,
        scratch: &mut Scratch,
        out: &mut Vec<Hit>,
    ) {
        let first_is_header = layout.first_is_header;
        let Scratch {
            folded,
            matchers,
            line_hits,
            name_hits,
            name_skips,
            names: name_scratch,
            words,
            literals,
            gate,
            flags,
            latin_lines,
            field_starts,
            value_spans,
            overlaps,
            deferred,
            test_data: _,
        } = scratch;
        folded.fold(text);
        let t = folded.text(text);
        // The keyword index is built in the gate's walk; a header's names
        // are context for every row.
        let mut keywords = self.context_words.walk(t, columns.map(|c| c.named), words, literals);
        self.gate.flag(t, &mut keywords, gate, flags);
        // The Latin name engine reads its lines itself, after the loop.
        flags.take_lines(self.latin_names, latin_lines);
        let gated = self.latin_names != 0 && flags.decides(self.latin_names);
        let latin_lines = gated.then_some(&latin_lines[..]);
        let bytes = t.as_bytes();
        let active = columns.map_or(&[][..], |c| &c.active);
        let mut lines = self.lines(t, !active.is_empty() || layout.fields, flags, literals);
        // The columns whose values are judged as names: the same on every
        // row but the header.
        let table_name_fields = columns.map(|c| self.name_fields(c)).unwrap_or_default();
        let (mut pos, mut line, mut counted_to, mut literals_from) = (0, 0, 0, 0);
        let mut labels_from = 0;
        let mut line_starts = folded.forward();
        let mut halfwidth_kana = names::HalfwidthKana::default();
        let decided = matches!(lines, Lines::Decided { .. });
        let any_anchor = self.anchors.any();
        while let Some((line_start, line_end)) =
            next_line(t, pos, &mut lines, flags, &words.contacts)
        {
            // The line right after the last one is one further (on logs,
            // most lines): only a gap of skipped lines is counted.
            line += if line_start == pos && pos > 0 {
                1
            } else {
                memchr::memchr_iter(b'\n', &bytes[counted_to..line_start]).count()
            };
            counted_to = line_start;
            // The anchors the line holds, worked out when first asked: on
            // code and logs most lines run no detector the gate did not
            // rule out, and an ASCII line no Japanese name engine.
            let mut present =
                self.anchors.on_line(t, line_start..line_end, literals, &mut literals_from);
            // The line before, when it holds no anchor, may be a signature's
            // name line above this contact line (which holds one). Where
            // only anchored lines are read, a gap says so; where lines are
            // read otherwise, both lines are asked.
            let after_quiet_line = if decided {
                line > 0
                    && names::opens_contact(&t[line_start..line_end])
                    && present.holds(any_anchor)
                    && !self.anchors.holds_any(t, previous_line(t, line_start), literals)
            } else {
                pos < line_start
            };
            if columns.is_none() && line > 0 && after_quiet_line {
                self.signature_name(t, line_start, line, folded, out);
            }
            pos = line_end + 1;
            // The header row is scanned like any line, but without its
            // columns: its names are no values of theirs, and a line taken
            // for a header by mistake must still have its data found.
            let header_row = line == 0 && first_is_header;
            let row_columns = if header_row { None } else { columns };
            // Column-only detectors run only under active columns.
            let flagged = flags.at(line_start)
                & if active.is_empty() { self.searching_bare } else { self.searching };
            let line_text = &t[line_start..line_end];
            // A header row names columns: `氏名<TAB>住所` is no label and
            // value. The Japanese engine finds nothing on a line of ASCII.
            let names = self.names.as_ref().filter(|_| {
                !header_row
                    && (layout.fields
                        || !table_name_fields.is_empty()
                        || !line_text.is_ascii()
                            && (present.holds(self.japanese_names)
                                || halfwidth_kana.on(t, line_start..line_end)
                                    && (!decided || present.holds(any_anchor))))
            });
            // Most lines of prose that hold an anchor give nothing: the
            // rest (mapping offsets to the text as read, the row's fields)
            // is not worked out for them.
            if flagged == 0 && names.is_none() {
                continue;
            }
            line_hits.clear();
            let orig_line_start = line_starts.original_line_start(line_start);
            let row = row_columns.map(|c| c.row(line, &text[orig_line_start..], field_starts));
            let field_of = |folded_start: usize| {
                row.as_ref()
                    .and_then(|r| r.field_at(line_starts.ahead(folded_start) - orig_line_start))
            };
            // Worked out on the first detector that needs it.
            let mut may_have_context = None;
            value_spans.ready = false;
            // A hit of detector `d` from its folded byte range.
            let hit = |d: usize, start: usize, end: usize, field, confidence| Hit {
                detector: d,
                line,
                line_start: orig_line_start,
                start: line_starts.ahead(start),
                end: line_starts.ahead(end),
                field,
                confidence,
            };
            // Detector `d`'s search of `range` (the line, or a cell of it),
            // from `from` to `to`, its hits onto `hits`.
            let search = |d: usize,
                          range: std::ops::Range<usize>,
                          (from, to): (usize, usize),
                          matchers: &mut [Option<(meta::Cache, Captures)>],
                          hits: &mut Vec<Hit>| {
                let Some(pattern) = &self.detectors[d].regex else { return };
                let matcher = matchers[d].get_or_insert_with(|| pattern.matcher());
                let candidate = Line {
                    text: t,
                    range,
                    from: floor_char_boundary(t, from),
                    to: ceil_char_boundary(t, to),
                    columns: row_columns,
                    field_of: &field_of,
                };
                self.detect_in_line(d, &candidate, matcher, |start, end, field, confidence| {
                    hits.push(hit(d, start, end, field, confidence));
                });
            };
            // Only the detectors the gate lets through (column-only ones have
            // no gate: their bits are always set): a line visits a few, not
            // every detector.
            for d in detectors_in(flagged, self.detectors.len()) {
                let det = &self.detectors[d];
                let Some(pattern) = &det.regex else { continue };
                let runs = if det.column_only {
                    !header_row && active.contains(&d)
                } else {
                    present.holds(det.anchor_mask)
                        && (det.spec.context != ContextRule::Required
                            // A detector the header names has context on
                            // every row: the keywords around the line are
                            // only looked for on behalf of the others.
                            || row_columns.map_or(0, |c| c.named) & detector_bit(d) != 0
                            || *may_have_context.get_or_insert_with(|| {
                                self.context_words.near(t, line_start..line_end, words)
                            }) & detector_bit(d)
                                != 0)
                };
                if !runs {
                    continue;
                }
                // No match starts before the first one to end, less the
                // longest match the pattern can make, nor, for a match of
                // each alternative, before a byte it cannot hold that comes
                // before that end (a match from there would have ended
                // first), nor on a byte it cannot start with; none ends after
                // the last one to end.
                let ends = flags.ends(line_start, detector_bit(d));
                let from = ends.map_or(line_start, |(first, _)| {
                    let reach = det.max_len.map_or(line_start, |longest| {
                        first.saturating_sub(longest).max(line_start)
                    });
                    det.starts.bound(bytes, reach, first)
                });
                let to = ends.map_or(line_end, |(_, last)| last.min(line_end));
                if det.spec.joined {
                    let matcher = matchers[d].get_or_insert_with(|| pattern.matcher());
                    if let Some(r) = row.as_ref() {
                        let line_text = &t[line_start..line_end];
                        let spans =
                            value_spans.of(r, line_text, line_start, orig_line_start, folded);
                        let parts: Vec<(usize, std::ops::Range<usize>)> = spans
                            .iter()
                            .filter(|(f, _)| row_columns.is_some_and(|c| c.hints(*f, d)))
                            .map(|(f, span)| (*f, line_start + span.start..line_start + span.end))
                            .collect();
                        // A line of structured text can hold many records
                        // (an INSERT's tuples, a minified array's objects):
                        // a key that comes again starts the next.
                        for record in parts.chunk_by(|a, b| a.0 < b.0) {
                            if let Some((start, end, field)) = self.joined(d, t, record, matcher) {
                                let confidence = det.spec.confidence(true);
                                line_hits.push(hit(d, start, end, Some(field), confidence));
                            }
                        }
                    }
                    continue;
                }
                match row.as_ref().filter(|r| det.column_only && r.is_keyed()) {
                    // In structured text a column-only detector reads each
                    // value under a key that names it on its own: its
                    // pattern takes a whole cell, and quotes and other
                    // values share the line.
                    Some(r) => {
                        let line_text = &t[line_start..line_end];
                        let spans =
                            value_spans.of(r, line_text, line_start, orig_line_start, folded);
                        for (f, span) in spans.iter() {
                            if row_columns.is_some_and(|c| c.hints(*f, d)) {
                                let cell = line_start + span.start..line_start + span.end;
                                let bounds = (cell.start, cell.end);
                                search(d, cell, bounds, matchers, line_hits);
                            }
                        }
                    }
                    // A pattern of one length the guard refuses where the
                    // gate saw it end.
                    None if det.refused_at_one_end(line_text, line_start, ends) => {}
                    None => {
                        // Where its hits can lie, in the original text.
                        let span = line_starts.ahead(floor_char_boundary(t, from))
                            ..line_starts.ahead(ceil_char_boundary(t, to));
                        let by =
                            if det.rivalled { self.outranking(line_hits, d, span) } else { None };
                        match by {
                            Some(by) => deferred.searches.push((d, (from, to), by)),
                            None => {
                                search(d, line_start..line_end, (from, to), matchers, line_hits)
                            }
                        }
                    }
                }
            }
            if let Some(names) = names {
                let name_fields = &table_name_fields[..];
                let push = |hits: &mut Vec<Hit>, form, start, end, field, confidence| {
                    if let Some(d) = self.name_detector(form) {
                        hits.push(Hit {
                            detector: d,
                            line,
                            line_start: orig_line_start,
                            start: line_starts.ahead(line_start + start),
                            end: line_starts.ahead(line_start + end),
                            field,
                            confidence,
                        });
                    }
                };
                // The engine does not read what is judged otherwise (rather
                // than read and then drop it: on a customer table, decoding
                // the address cell's characters into runs was most of the
                // engine's time):
                // - values under a name header, judged as a whole here;
                // - hits that explain the names inside them (addresses): a
                //   name there is dropped as part of them (`drop_nested`).
                //   Every such hit of the line counts, also one that a
                //   better one overlapping it replaces (no corpus had a
                //   name inside such a one alone).
                name_skips.clear();
                if let Some(row) = row.as_ref().filter(|_| !name_fields.is_empty()) {
                    let spans = value_spans.of(row, line_text, line_start, orig_line_start, folded);
                    for &(f, ref span) in spans.iter() {
                        if !name_fields.contains(&f) {
                            continue;
                        }
                        name_skips.push(span.clone());
                        if let Some(form) = names.column_value(&line_text[span.clone()]) {
                            push(line_hits, form, span.start, span.end, Some(f), Confidence::High);
                        }
                    }
                }
                name_skips.extend(
                    line_hits
                        .iter()
                        .filter(|h| explains_names(self.detectors[h.detector].spec.category))
                        .map(|h| {
                            folded.folded_offset(h.start) - line_start
                                ..folded.folded_offset(h.end) - line_start
                        }),
                );
                name_hits.clear();
                let labelled = words.label_on(line_start..line_end, &mut labels_from);
                names.japanese(line_text, labelled, name_skips, name_scratch, name_hits);
                for h in name_hits.iter() {
                    let field = field_of(line_start + h.range.start);
                    push(line_hits, h.form, h.range.start, h.range.end, field, h.confidence);
                }
            }
            let category = |d: usize| self.detectors[d].spec.category;
            if deferred.searches.is_empty() {
                resolve_overlaps(line_hits, overlaps, category);
            } else {
                // The searches put off are needed only where a hit that
                // outranked them did not stay: then the line is resolved
                // again with their hits.
                deferred.hits.clone_from(line_hits);
                resolve_overlaps(line_hits, overlaps, category);
                if !deferred.outranked(line_hits) {
                    std::mem::swap(line_hits, &mut deferred.hits);
                    for &(d, bounds, _) in &deferred.searches {
                        search(d, line_start..line_end, bounds, matchers, line_hits);
                    }
                    resolve_overlaps(line_hits, overlaps, category);
                }
                deferred.searches.clear();
            }
            drop_nested(line_hits, overlaps, category);
            out.append(line_hits);
        }
        if let Some(names) = &self.names {
            self.latin_names(
                names,
                text,
                t,
                columns,
                first_is_header,
                folded,
                words,
                name_hits,
                name_scratch,
                latin_lines,
                out,
            );
        }
    }

    /// The lines of `t` the line loop reads, once the gate has `flags`
    /// and the keyword automaton has found the anchor `literals`.
    ///
    /// Every line when any line's values may be findings (`any_line`: a
    /// header activated columns, or the text is fields). Otherwise the
    /// lines that hold an anchor (those that can give a finding), and
    /// where the gate decides every detector that searches, fewer:
    /// - in a text of ASCII alone, only those the gate flags: there the
    ///   Japanese name engines find nothing (they read only lines that hold
    ///   other characters, and a signature's name line is such a line), so
    ///   a line no detector may match on gives nothing. On code and logs
    ///   that is nearly every line that holds a digit (130 of the 79,000
    ///   such lines of 4 MB of code are flagged), and reading them was a
    ///   fifth of the scan of code;
    /// - in other text, the flagged lines and those that hold an anchor
    ///   other than a digit, half-width katakana (the Japanese engine's
    ///   reading of a line that holds only digits) or a contact label (a
    ///   signature's contact line, whose name line above holds no anchor:
    ///   [`names::opens_contact`]). A line that holds only digits and is
    ///   not flagged gives nothing else: of the 48,675 lines of 4 MB of
    ///   prose that hold an anchor, 47,022 hold only digits, and about
    ///   1,400 are flagged. The line loop then asks each line it reads
    ///   whether it holds an anchor before a name engine reads it.
    fn lines<'t>(
        &'t self,
        t: &'t str,
        any_line: bool,
        flags: &gate::Flags,
        literals: &'t [(usize, u64)],
    ) -> Lines<'t> {
        if any_line {
            Lines::Every
        } else if flags.decides(self.searching_bare) && t.is_ascii() {
            Lines::Flagged
        } else if flags.decides(self.searching_bare) && self.japanese_names & anchor::DIGITS == 0 {
            let cursor = self.anchors.cursor_without_digits(t, literals);
            Lines::Decided { cursor, contact: 0, kana: names::HalfwidthKana::default() }
        } else {
            Lines::Anchored(self.anchors.cursor(t, literals))
        }
    }

    /// The detector of a name form, if selected.
    fn name_detector(&self, form: Engine) -> Option<usize> {
        self.name_detectors.iter().find(|(f, _)| *f == form).map(|&(_, d)| d)
    }

    /// The fields whose header names a name detector: their values are
    /// judged as a whole, not by the name engines. Only a table's (and an
    /// SQL dump's rows): `name` in JSON, XML and YAML names packages, build
    /// steps and attributes (`name: Build`), so a value under such a key
    /// must read as a name to the engines.
    fn name_fields(&self, columns: &Columns) -> Vec<usize> {
        if columns.values().is_some_and(|v| !v.is_tabular()) {
            return Vec::new();
        }
        (0..columns.names.len())
            .filter(|&f| self.name_detectors.iter().any(|&(_, d)| columns.hints(f, d)))
            .collect()
    }

    /// Latin-letter names, looked for on every line that holds a candidate
    /// ([`names::Names::capital_pairs`]): of the lines the gate flags for
    /// them (`flagged`), or, where it does not decide, of the whole text.
    #[allow(clippy::too_many_arguments)]
    fn latin_names(
        &self,
        names: &names::Names,
        text: &str,
        t: &str,
        columns: Option<&Columns>,
        first_is_header: bool,
        folded: &Folded,
        words: &WordIndex,
        name_hits: &mut Vec<names::NameHit>,
        name_scratch: &mut names::Scratch,
        flagged: Option<&[usize]>,
        out: &mut Vec<Hit>,
    ) {
        if !self
            .name_detectors
            .iter()
            .any(|(f, _)| matches!(f, Engine::NameRomaji | Engine::NameEnglish))
        {
            return;
        }
        let name_fields = columns.map(|c| self.name_fields(c)).unwrap_or_default();
        let bytes = t.as_bytes();
        let (mut line, mut counted_to, mut labels_from) = (0, 0, 0);
        let mut field_starts = Vec::new();
        let mut line_starts = folded.forward();
        // The line from `start` to `end`, which holds a candidate.
        let mut read = |start: usize, end: usize| {
            line += memchr::memchr_iter(b'\n', &bytes[counted_to..start]).count();
            counted_to = start;
            let line_text = &t[start..end];
            let header_row = line == 0 && first_is_header;
            if header_row {
                return;
            }
            let orig_line_start = line_starts.original_line_start(start);
            let row = columns.map(|c| c.row(line, &text[orig_line_start..], &mut field_starts));
            let field_of = |at: usize| {
                row.as_ref()
                    .and_then(|r| r.field_at(line_starts.ahead(start + at) - orig_line_start))
            };
            let in_name_column = |at: usize| field_of(at).is_some_and(|f| name_fields.contains(&f));
            name_hits.clear();
            let labelled = words.label_on(start..end, &mut labels_from);
            names.latin(line_text, labelled, &in_name_column, name_scratch, name_hits);
            for h in name_hits.iter() {
                let field = field_of(h.range.start);
                out.extend(self.name_hit(h, line, (start, orig_line_start), field, &line_starts));
            }
        };
        let line_end =
            |start: usize| memchr::memchr(b'\n', &bytes[start..]).map_or(t.len(), |n| start + n);
        match flagged {
            // The lines the gate flags, each that holds a candidate (the
            // pattern reads a few more than the engine takes).
            Some(starts) => {
                for &start in starts {
                    let end = line_end(start);
                    if names.capital_pairs(&bytes[start..end]).next().is_some() {
                        read(start, end);
                    }
                }
            }
            None => {
                let mut pos = 0;
                for capital in names.capital_pairs(bytes) {
                    if capital < pos {
                        continue;
                    }
                    let start = memchr::memrchr(b'\n', &bytes[..capital]).map_or(0, |n| n + 1);
                    let end = line_end(capital);
                    pos = end + 1;
                    read(start, end);
                }
            }
        }
    }

    /// The name line of a signature block (`井上 健一` above `TEL: …`),
    /// which holds no anchor: the line before the one at `line_start`
    /// (line number `line`), when [`names::Names::signature`] reads it so.
    fn signature_name(
        &self,
        t: &str,
        line_start: usize,
        line: usize,
        folded: &Folded,
        out: &mut Vec<Hit>,
    ) {
        let Some(names) = &self.names else { return };
        let previous = previous_line(t, line_start);
        if let Some(h) = names.signature(&t[previous.clone()], &t[line_start..]) {
            let mut lines = folded.forward();
            let starts = (previous.start, lines.original_line_start(previous.start));
            out.extend(self.name_hit(&h, line - 1, starts, None, &lines));
        }
    }

    /// The hit of a name the engines found at `h.range` of line `line`,
    /// which starts at folded offset `line_start` and at original offset
    /// `orig_line_start`, where `lines` last moved to.
    fn name_hit(
        &self,
        h: &names::NameHit,
        line: usize,
        (line_start, orig_line_start): (usize, usize),
        field: Option<usize>,
        lines: &normalize::Forward<'_>,
    ) -> Option<Hit> {
        Some(Hit {
            detector: self.name_detector(h.form)?,
            line,
            line_start: orig_line_start,
            start: lines.ahead(line_start + h.range.start),
            end: lines.ahead(line_start + h.range.end),
            field,
            confidence: h.confidence,
        })
    }

    /// The value a `joined` detector `d` finds in one row's `parts` (field,
    /// folded byte range in `t`, in column order) read as one text: its
    /// folded byte range, from the first part it takes to the last, and the
    /// field it starts in. A value inside one part is left to the
    /// detectors of single values.
    fn joined(
        &self,
        d: usize,
        t: &str,
        parts: &[(usize, std::ops::Range<usize>)],
        (cache, caps): &mut (meta::Cache, Captures),
    ) -> Option<(usize, usize, usize)> {
        let regex = self.detectors[d].regex.as_ref()?.regex();
        // (where the part starts in `joined`, its field, its range in `t`).
        let mut at: Vec<(usize, usize, std::ops::Range<usize>)> = Vec::new();
        let mut joined = String::new();
        for (field, range) in parts.iter().filter(|(_, r)| !r.is_empty()) {
            at.push((joined.len(), *field, range.clone()));
            joined.push_str(&t[range.clone()]);
        }
        if at.len() < 2 {
            return None;
        }
        regex.search_captures_with(cache, &Input::new(&joined), caps);
        let value = caps.get_group(1)?;
        let part = |i: usize| at.partition_point(|p| p.0 <= i).saturating_sub(1);
        let (first, last) = (part(value.start), part(value.end.saturating_sub(1)));
        if first == last {
            return None;
        }
        let to_t = |p: usize, i: usize| at[p].2.start + (i - at[p].0);
        Some((to_t(first, value.start), to_t(last, value.end), at[first].1))
    }

    /// A hit among a line's `hits` so far (of detectors before `d`) that
    /// outranks every hit detector `d` can make within `span` (of the
    /// original text): as its detector comes first, a hit of the same
    /// category at least as confident as `d` can be, that covers the span,
    /// wins over each of them where overlaps are resolved
    /// ([`resolve_overlaps`]). If that hit stays there, theirs would not,
    /// nor change what else stays (they lie within it, and would come
    /// after it), so `d` need not search the line: on a customer table the
    /// city-first address pattern read every address again, and the loose
    /// labelled phone pattern every phone number, to be outranked each
    /// time by the full address and the Japanese phone number.
    fn outranking(&self, hits: &[Hit], d: usize, span: std::ops::Range<usize>) -> Option<HitAt> {
        let det = &self.detectors[d];
        hits.iter()
            .find(|a| {
                a.detector < d
                    && a.start <= span.start
                    && span.end <= a.end
                    && a.confidence >= det.best
                    && self.detectors[a.detector].spec.category == det.spec.category
            })
            .map(|a| (a.detector, a.start, a.end))
    }

    /// Runs detector `d` over a candidate line and reports each accepted
    /// value's folded byte range, field and confidence.
    fn detect_in_line(
        &self,
        d: usize,
        candidate: &Line<'_>,
        (cache, caps): &mut (meta::Cache, Captures),
        mut report: impl FnMut(usize, usize, Option<usize>, Confidence),
    ) {
        let det = &self.detectors[d];
        let Some(regex) = det.regex.as_ref().map(Pattern::regex) else { return };
        let spec = &det.spec;
        let Line { text: t, columns, field_of, .. } = *candidate;
        let ls = candidate.range.start;
        let line = &t[candidate.range.clone()];
        let mut at = candidate.from - ls;
        let to = candidate.to - ls;
        let (mut retries, mut run_end) = (0, 0);
        // Past its last value on the line, a search would read an empty or
        // too short rest and find nothing: on a table row, one such search
        // per detector and row.
        while at <= to && to - at >= det.min_len {
            let input = Input::new(line).range(at..to);
            let (m, group) = if det.whole {
                let Some(m) = leftmost(regex, cache, &input) else { break };
                (m, Some(m.span()))
            } else {
                leftmost_captures(regex, cache, &input, caps);
                let Some(m) = caps.get_match() else { break };
                (m, caps.get_group(1))
            };
            if m.start() >= run_end {
                retries = 0;
            }
            run_end = run_end.max(m.end());
            let next_char = |i: usize| i + line[i..].chars().next().map_or(1, char::len_utf8);
            let Some((cs, ce)) = group.map(|g| (g.start, g.end)).filter(|(s, e)| s < e) else {
                at = if m.end() > m.start() { m.end() } else { next_char(m.start()) };
                continue;
            };
            let valid = guard_ok(spec.guard, line, cs, ce)
                && spec.validator.is_none_or(|v| v.check(&line[cs..ce]));
            if !valid {
                // A longer number or a failed check digit: the real value, if
                // any, starts later inside this match.
                retries += 1;
                at = if retries > MAX_RETRIES_PER_RUN { run_end } else { next_char(m.start()) };
                if m.start() >= to {
                    break;
                }
                continue;
            }
            at = m.end().max(next_char(m.start()).min(to + 1));
            let field = field_of(ls + cs);
            // The text around the value that can speak for it: a window each
            // side, cut at the nearest other number (only worked out for a
            // detector that has words to look for).
            let near = |words: Option<&AhoCorasick>| {
                words.is_some_and(|w| {
                    let from = back_chars(t, ls + cs, spec.window);
                    let before = from + after_last_number(&t[from..ls + cs])..ls + cs;
                    let to = forward_chars(t, ls + ce, spec.window_after);
                    let mut after = ls + ce..ls + ce + before_first_number(&t[ls + ce..to]);
                    // A keyword on the next line that leads to digits there
                    // (`…555-0123⏎〒100-0001`) is their label, not this value's.
                    if let Some(nl) = t[after.clone()].find('\n')
                        && t[after.start + nl..after.end].bytes().any(|b| b.is_ascii_digit())
                    {
                        after.end = after.start + nl;
                    }
                    has_keyword(w, t, before) || has_keyword(w, t, after)
                })
            };
            let in_context = field.is_some_and(|f| columns.is_some_and(|c| c.hints(f, d)))
                || near(det.keywords());
            if !in_context
                && (spec.context == ContextRule::Required || near(det.negative_keywords()))
            {
                continue;
            }
            report(ls + cs, ls + ce, field, spec.confidence(in_context));
        }
    }
}

/// The leftmost match of `regex` in `input`'s range, as a search gives it,
/// tried first anchored at the range's start, where the gate's bounds often
/// put a value's first byte (a table cell's start, the byte after a
/// separator). A match anchored there is the leftmost one, and its end is
/// the one the unanchored search picks for that start; found so, it needs
/// no reverse search back to its start, which on a long Japanese address
/// cost twice the forward one. Where none starts there, the anchored
/// attempt dies within a few bytes and the search runs as before.
fn leftmost(regex: &meta::Regex, cache: &mut meta::Cache, input: &Input<'_>) -> Option<Match> {
    let anchored = input.clone().anchored(Anchored::Yes);
    regex.search_with(cache, &anchored).or_else(|| regex.search_with(cache, input))
}

/// [`leftmost`] with the match's capture groups, into `caps`.
fn leftmost_captures(
    regex: &meta::Regex,
    cache: &mut meta::Cache,
    input: &Input<'_>,
    caps: &mut Captures,
) {
    regex.search_captures_with(cache, &input.clone().anchored(Anchored::Yes), caps);
    if !caps.is_match() {
        regex.search_captures_with(cache, input, caps);
    }
}

/// A line worth running detectors on.
struct Line<'a> {
    /// The whole folded text (keyword windows may reach past the line).
    text: &'a str,
    /// The line's byte range in `text`, without its newline.
    range: std::ops::Range<usize>,
    /// Where in `text` the search may start: no match starts before.
    from: usize,
    /// Where in `text` the search may end: no match ends after.
    to: usize,
    /// The header of delimited text.
    columns: Option<&'a Columns>,
    /// The field index of a folded byte offset, for delimited text.
    field_of: &'a dyn Fn(usize) -> Option<usize>,
}

/// How the line loop of [`DetectorSet::detect`] finds its next line.
enum Lines<'a> {
    /// Every line: columns or fields may make any line's values findings.
    Every,
    /// The lines that hold an anchor.
    Anchored(anchor::Cursor<'a>),
    /// The lines the gate flags (in a text of ASCII alone).
    Flagged,
    /// In a text that holds other characters than ASCII: the flagged
    /// lines, and the lines that hold an anchor other than a digit, half-
    /// width katakana or a contact label ([`DetectorSet::lines`]).
    Decided {
        /// Over the anchors but digits.
        cursor: anchor::Cursor<'a>,
        /// The next contact label's entry in the keyword walk's list.
        contact: usize,
        /// Where half-width katakana stands.
        kana: names::HalfwidthKana,
    },
}

/// The next line to read at or after `from` (a line start), as its start
/// and its end without its newline.
fn next_line(
    t: &str,
    from: usize,
    lines: &mut Lines<'_>,
    flags: &gate::Flags,
    contacts: &[usize],
) -> Option<(usize, usize)> {
    let bytes = t.as_bytes();
    if from >= t.len() {
        return None;
    }
    let line_end = |at: usize| memchr::memchr(b'\n', &bytes[at..]).map_or(t.len(), |n| at + n);
    let anchor = match lines {
        Lines::Every => return Some((from, line_end(from))),
        Lines::Flagged => {
            let start = flags.next_line(from)?;
            return Some((start, line_end(start)));
        }
        Lines::Anchored(cursor) => cursor.next(from)?,
        Lines::Decided { cursor, contact, kana } => {
            while contacts.get(*contact).is_some_and(|&at| at < from) {
                *contact += 1;
            }
            let next = [cursor.next(from), flags.next_line(from)];
            next.into_iter()
                .chain([contacts.get(*contact).copied(), kana.next_from(t, from)])
                .flatten()
                .min()?
        }
    };
    // Where most lines hold an anchor (prose), the one found is on the line
    // at `from`: one search for its end, and none back from the anchor for
    // its start.
    let end = line_end(from);
    if anchor <= end {
        return Some((from, end));
    }
    let start = memchr::memrchr(b'\n', &bytes[end..anchor]).map_or(end, |n| end + n) + 1;
    Some((start, line_end(anchor)))
}

/// The line before the one that starts at `line_start` (not 0), without
/// its newline.
fn previous_line(t: &str, line_start: usize) -> std::ops::Range<usize> {
    let end = line_start - 1;
    memchr::memrchr(b'\n', &t.as_bytes()[..end]).map_or(0, |n| n + 1)..end
}

/// `slice.partition_point(pred)` where the point is likely near the
/// slice's start: probes at 1, 2, 4, 8, … entries, then a binary search
/// between the last two. A cursor that moves on through a sorted list (the
/// fold map's points, the gate's entries by line) asks for the next line's
/// place a few entries on; a binary search of the whole rest began with
/// probes far away, each waiting on a cache miss. With the values of each
/// line mapped back from the line's place too ([`normalize::Forward::ahead`]),
/// these lookups went from 2.8% of the samples of a profile of 32 MB of
/// prose (one thread) to 0.2%, for 0.7% fewer instructions.
///
/// Mostly the point is the slice's start (a table's values, most of which
/// have nothing folded before them on their row): that is one comparison,
/// and the whole is inlined, where a call per value cost a customer table
/// 0.5% more instructions.
#[inline(always)]
pub(crate) fn partition_point_near<T>(slice: &[T], pred: impl Fn(&T) -> bool) -> usize {
    if slice.first().is_none_or(|x| !pred(x)) {
        return 0;
    }
    let (mut low, mut bound) = (1, 2);
    while bound <= slice.len() && pred(&slice[bound - 1]) {
        (low, bound) = (bound, bound * 2);
    }
    low + slice[low..bound.min(slice.len())].partition_point(pred)
}

/// The nearest character boundary of `t` at or after `i` (`str`'s own needs
/// Rust 1.91, past the crate's MSRV).
fn ceil_char_boundary(t: &str, mut i: usize) -> usize {
    while !t.is_char_boundary(i) {
        i += 1;
    }
    i
}

/// The nearest character boundary of `t` at or before `i`.
fn floor_char_boundary(t: &str, mut i: usize) -> usize {
    while !t.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// Whether this runs on a rayon pool's thread. A detector set is compiled
/// with the pool's threads side by side when it is built inside one (the
/// scan builds it inside a pool of its `--jobs` threads when there are
/// several), and on the caller's thread alone otherwise: outside a pool,
/// rayon would start a global pool of a thread per core.
fn in_pool() -> bool {
    rayon::current_thread_index().is_some()
}

/// `f` of each of `items`, in order: side by side inside a pool
/// ([`in_pool`]), else one after the other.
fn map_each<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync + Send) -> Vec<R> {
    if in_pool() { items.par_iter().map(f).collect() } else { items.iter().map(f).collect() }
}

/// `a` and `b`: side by side inside a pool ([`in_pool`]), else one after
/// the other.
fn join<A, B, RA, RB>(a: A, b: B) -> (RA, RB)
where
    A: FnOnce() -> RA + Send,
    B: FnOnce() -> RB + Send,
    RA: Send,
    RB: Send,
{
    if in_pool() { rayon::join(a, b) } else { (a(), b()) }
}

/// The NFA of `hirs` without captures, for the automata built here (the
/// gate's groups, the test-data rules). Each thread keeps one compiler,
/// and with it the buffers of its last build: a new compiler allocates
/// and clears a 10,000-entry map (400 KB) at its first pattern of
/// non-ASCII classes, which the builds after it on the thread reuse. With
/// a compiler each, a scan of one file wrote that map nine times; with one
/// per thread its start-up ran 1.8% fewer instructions and took 5% fewer
/// page faults.
fn compile_nfa(hirs: &[&Hir]) -> Result<regex_automata::nfa::thompson::NFA, String> {
    use regex_automata::nfa::thompson::{Compiler, Config, WhichCaptures};
    thread_local! {
        static COMPILER: Compiler = {
            let mut compiler = Compiler::new();
            compiler.configure(Config::new().which_captures(WhichCaptures::None));
            compiler
        };
    }
    COMPILER.with(|c| c.build_many_from_hir(hirs).map_err(|e| e.to_string()))
}

/// Regex syntax for every pattern: `^`/`$` at line boundaries, CRLF-aware.
fn syntax() -> regex_automata::util::syntax::Config {
    regex_automata::util::syntax::Config::new().multi_line(true).crlf(true)
}

/// Per category, those whose hits inside one of its hits it explains
/// ([`drop_nested`]).
const NESTED: [(Category, &[Category]); 2] = {
    use Category::*;
    [(Address, &[Name]), (BankAccount, &[PaymentCard, Phone, MyNumber, GovernmentId, PostalCode])]
};

/// Whether a hit of `category` explains the names inside it ([`NESTED`]).
fn explains_names(category: Category) -> bool {
    NESTED.iter().any(|(outer, inner)| *outer == category && inner.contains(&Category::Name))
}

/// Drops hits that lie inside a hit of a category that explains them:
/// towns and districts read like names (日の出町大中, 出町), but inside an
/// address they are the address; the digits of an IBAN hold card-shaped and
/// phone-shaped runs (`DE75 5121 0800 1245 1261 99` holds a Luhn-valid
/// `5121 0800 1245 1261`), but inside the IBAN they are the account.
fn drop_nested(hits: &mut Vec<Hit>, overlaps: &mut Overlaps, category: impl Fn(usize) -> Category) {
    for (outer, inner) in NESTED {
        // Hits of one category no longer overlap one another
        // (`resolve_overlaps`) and come sorted by start, so their ends are
        // sorted too: the one that can hold a hit is the last to start at
        // or before it.
        let spans = &mut overlaps.spans;
        spans.clear();
        spans.extend(
            hits.iter().filter(|h| category(h.detector) == outer).map(|h| (h.start, h.end)),
        );
        if spans.is_empty() {
            continue;
        }
        hits.retain(|h| {
            let around = spans.partition_point(|&(s, _)| s <= h.start);
            !inner.contains(&category(h.detector)) || around == 0 || spans[around - 1].1 < h.end
        });
    }
}

/// Keeps one hit where hits of the same category overlap: the most confident,
/// then the longest, then the first-defined detector.
///
/// Hits are sorted by category and start and cut into clusters of
/// transitively overlapping hits, so the work stays O(n log n) even for a
/// single huge line holding thousands of values; inside a cluster (a handful
/// of hits) the best are kept greedily.
///
/// Most lines with hits hold no overlap at all (a table row's values, each
/// in its cell): sorted by start, each hit ends before the next starts, and
/// all are kept as they stand, without the clusters' work by category (a
/// customer table's row: 1,300 instructions before, for five hits).
fn resolve_overlaps(
    hits: &mut Vec<Hit>,
    overlaps: &mut Overlaps,
    category: impl Fn(usize) -> Category,
) {
    if hits.len() < 2 {
        return;
    }
    hits.sort_by_key(|h| (h.start, h.detector));
    if hits.windows(2).all(|w| w[0].end <= w[1].start) {
        return;
    }
    resolve_clusters(hits, overlaps, category);
}

/// [`resolve_overlaps`] where some hits overlap.
fn resolve_clusters(
    hits: &mut Vec<Hit>,
    overlaps: &mut Overlaps,
    category: impl Fn(usize) -> Category,
) {
    hits.sort_by_key(|h| (category(h.detector), h.start, h.end));
    let better = |a: &Hit, b: &Hit| {
        (b.confidence, b.end - b.start, a.detector).cmp(&(
            a.confidence,
            a.end - a.start,
            b.detector,
        ))
    };
    let Overlaps { kept, cluster, .. } = overlaps;
    kept.clear();
    let flush = |cluster: &mut Vec<Hit>, kept: &mut Vec<Hit>| {
        cluster.sort_by(&better);
        let from = kept.len();
        for h in cluster.drain(..) {
            if !kept[from..].iter().any(|k| k.start < h.end && h.start < k.end) {
                kept.push(h);
            }
        }
    };
    let mut reach = 0;
    for h in hits.drain(..) {
        let joins = cluster
            .last()
            .is_some_and(|last| category(last.detector) == category(h.detector) && h.start < reach);
        if !joins {
            flush(cluster, kept);
            reach = 0;
        }
        reach = reach.max(h.end);
        cluster.push(h);
    }
    flush(cluster, kept);
    kept.sort_by_key(|h| (h.start, h.detector));
    std::mem::swap(hits, kept);
}

/// The buffers [`resolve_overlaps`] and [`drop_nested`] fill, kept from
/// line to line: a table row resolves its hits, and three allocations a
/// row were 1% of a customer table's scan.
#[derive(Debug, Default)]
struct Overlaps {
    kept: Vec<Hit>,
    cluster: Vec<Hit>,
    spans: Vec<(usize, usize)>,
}

/// A hit by its detector, start and end.
type HitAt = (usize, usize, usize);

/// The searches of a line put off because a hit already found there
/// outranks all they could find ([`DetectorSet::outranking`]): each one's
/// detector, bounds, and the outranking hit (detector, start, end). And the
/// line's hits as they were before they were resolved.
#[derive(Debug, Default)]
struct Deferred {
    searches: Vec<(usize, (usize, usize), HitAt)>,
    hits: Vec<Hit>,
}

impl Deferred {
    /// Whether every hit that outranked a search put off is among the
    /// line's `resolved` hits: then so would it be with that search's hits,
    /// and they would not.
    fn outranked(&self, resolved: &[Hit]) -> bool {
        self.searches
            .iter()
            .all(|&(.., by)| resolved.iter().any(|h| (h.detector, h.start, h.end) == by))
    }
}

/// The guard rule: what may not touch the value on either side.
fn guard_ok(guard: Guard, line: &str, start: usize, end: usize) -> bool {
    let before = &line[..start];
    let after = &line[end..];
    // A digit, or `-`/`.` and a digit, continues a number.
    let continues = |mut it: std::str::Chars<'_>, back: bool| {
        let mut next = || if back { it.next_back() } else { it.next() };
        match next() {
            Some(c) if c.is_ascii_digit() => true,
            Some('-' | '.') => next().is_some_and(|c| c.is_ascii_digit()),
            _ => false,
        }
    };
    // Letters may come just before the value (`TEL090…`), but not letters
    // that follow digits themselves: in `1E020 0315` (hex code points) or
    // `A1B2…` the value is the tail of a token. (After it, letters and
    // digits are an extension: `…-7774x577`.)
    let in_token =
        || before.chars().rev().take_while(char::is_ascii_alphanumeric).any(|c| c.is_ascii_digit());
    let digits_ok =
        || !continues(before.chars(), true) && !continues(after.chars(), false) && !in_token();
    match guard {
        Guard::None => true,
        Guard::Alnum => {
            let alnum = |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphanumeric());
            !alnum(before.chars().next_back()) && !alnum(after.chars().next()) && digits_ok()
        }
        Guard::Digits => digits_ok(),
    }
}

/// Where the text after the last run of four or more digits in `s` starts (0
/// when there is none). A keyword with another number between it and a match
/// labels that number, not the match: in `個人番号 123456789018 電話
/// 0312345678` the words 個人番号 do not speak for the phone number.
fn after_last_number(s: &str) -> usize {
    let mut run = 0;
    let mut cut = 0;
    for (i, b) in s.bytes().enumerate() {
        run = if b.is_ascii_digit() { run + 1 } else { 0 };
        if run >= 4 {
            cut = i + 1;
        }
    }
    cut
}

/// Where the first run of four or more digits in `s` starts (`s.len()` when
/// there is none): the mirror of [`after_last_number`] for the text after a match.
fn before_first_number(s: &str) -> usize {
    let mut run = 0;
    for (i, b) in s.bytes().enumerate() {
        run = if b.is_ascii_digit() { run + 1 } else { 0 };
        if run == 4 {
            return i + 1 - 4;
        }
    }
    s.len()
}

/// Whether `t[range]` holds one of `words`. Keywords that start or end with
/// an ASCII letter count only as whole words of `t`, so `tel` is not found in
/// `hotel` nor `mobile` in `automobile`; kanji keywords count anywhere
/// (Japanese has no spaces between words).
fn has_keyword(words: &AhoCorasick, t: &str, range: std::ops::Range<usize>) -> bool {
    let b = t.as_bytes();
    words
        .find_overlapping_iter(aho_corasick::Input::new(t).span(range))
        .any(|m| is_whole_word(b, m.start(), m.end()))
}

/// Whether the keyword at `b[s..e]` stands as a word of its own: an ASCII
/// letter at either end must not touch another letter. The context index
/// and the per-value test share it, so a keyword inside an identifier (`cc`
/// in the hex of a UUID) makes no line a candidate that no value could use;
/// the name engine's labels follow the same rule (`name` is no label in
/// `rename`).
pub(super) fn is_whole_word(b: &[u8], s: usize, e: usize) -> bool {
    let letter = |i: Option<usize>| i.and_then(|i| b.get(i)).is_some_and(u8::is_ascii_alphabetic);
    let open_start = b[s].is_ascii_alphabetic() && letter(s.checked_sub(1));
    let open_end = b[e - 1].is_ascii_alphabetic() && letter(Some(e));
    !open_start && !open_end
}

/// The byte offset `n` characters before `i` (or 0). Where those are `n`
/// bytes of ASCII, without decoding them: the keyword windows of each line
/// and each value are counted so, and on 8 MB of logs decoding them was
/// 0.4% of the scan's instructions. Otherwise characters are counted by
/// the bytes that start one ([`char_starts`]), eight at a time: on a
/// customer table, the window before each Japanese row was decoded
/// character by character, 1.2% of the scan's instructions.
fn back_chars(t: &str, i: usize, n: usize) -> usize {
    let bytes = &t.as_bytes()[..i];
    // No characters to count (`n` = 0) are no bytes, all of them ASCII.
    if let Some(from) = i.checked_sub(n).filter(|&from| bytes[from..].is_ascii()) {
        return from;
    }
    // The characters still to count, the `left`th start from the end being
    // the one sought.
    let mut left = n;
    let words = bytes.rchunks_exact(8);
    let head = words.remainder().len();
    for (k, word) in words.enumerate() {
        let starts = char_starts(word);
        if starts < left {
            left -= starts;
            continue;
        }
        return i - 8 * (k + 1) + start_back(word, left).expect("counted");
    }
    start_back(&bytes[..head], left).unwrap_or(0)
}

/// The byte offset `n` characters after `i` (or the end); as
/// [`back_chars`], ASCII without decoding, and otherwise by the bytes that
/// start a character.
fn forward_chars(t: &str, i: usize, n: usize) -> usize {
    let bytes = t.as_bytes();
    if let Some(to) = i.checked_add(n).filter(|&to| to <= t.len() && bytes[i..to].is_ascii()) {
        return to;
    }
    // The start sought is the one after `seen` others.
    let mut seen = n;
    let words = bytes[i..].chunks_exact(8);
    let tail = i + words.len() * 8;
    for (k, word) in words.enumerate() {
        let starts = char_starts(word);
        if starts <= seen {
            seen -= starts;
            continue;
        }
        return i + 8 * k + start_forward(word, seen).expect("counted");
    }
    start_forward(&bytes[tail..], seen).map_or(t.len(), |j| tail + j)
}

/// Whether `b` starts a character of UTF-8: any byte but the continuation
/// bytes `0b10xx_xxxx`.
fn starts_char(b: u8) -> bool {
    b & 0xC0 != 0x80
}

/// How many of the eight bytes of `word` start a character: those whose
/// top two bits are not `10`, counted in one 64-bit word.
fn char_starts(word: &[u8]) -> usize {
    const TOP: u64 = 0x8080_8080_8080_8080;
    let w = u64::from_le_bytes(word.try_into().expect("eight bytes"));
    // A continuation byte has its top bit set and the one below clear.
    let continuation = w & !(w << 1) & TOP;
    8 - continuation.count_ones() as usize
}

/// Where in `bytes` the `nth` character start from the end is (the last
/// is the first), if it has as many.
fn start_back(bytes: &[u8], nth: usize) -> Option<usize> {
    bytes.iter().enumerate().rev().filter(|&(_, &b)| starts_char(b)).nth(nth - 1).map(|(j, _)| j)
}

/// Where in `bytes` the character start after `skip` others is.
fn start_forward(bytes: &[u8], skip: usize) -> Option<usize> {
    bytes.iter().enumerate().filter(|&(_, &b)| starts_char(b)).nth(skip).map(|(j, _)| j)
}

/// A header name reduced for comparison: folded, lower case, without spaces,
/// `_` or `-`.
pub(crate) fn header_key(name: &str) -> String {
    normalize::fold_str(name)
        .chars()
        .filter(|c| !matches!(c, ' ' | '_' | '-' | '\u{3000}'))
        .flat_map(char::to_lowercase)
        .collect()
}

/// Whether a column name matches a header word, both as [`header_key`]s:
/// ASCII header words must equal the column name (`tel` must not hit
/// `hotel`); Japanese ones may sit inside it (`電話番号` in `お客様電話番号`).
fn header_matches(name_key: &str, header_key: &str) -> bool {
    if header_key.is_ascii() { name_key == header_key } else { name_key.contains(header_key) }
}

/// Every string of up to `most` of `pieces` in a row, each once (the empty
/// string first): the inputs of tests that hold a fast reading of text to
/// its plain definition.
#[cfg(test)]
pub(crate) fn strings_of(pieces: &[&str], most: usize) -> Vec<String> {
    let mut strings = vec![String::new()];
    let mut last = strings.clone();
    for _ in 0..most {
        last = last.iter().flat_map(|s| pieces.iter().map(move |p| format!("{s}{p}"))).collect();
        strings.extend(last.iter().cloned());
    }
    strings
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_set_built_in_a_pool_is_the_set_built_on_one_thread() {
        // Inside a pool of two the parts are built side by side; outside
        // any pool, one after the other on this thread.
        assert!(!in_pool());
        let alone = DetectorSet::load(&[]).unwrap();
        let pool = rayon::ThreadPoolBuilder::new().num_threads(2).build().unwrap();
        let pooled = pool.install(|| {
            assert!(in_pool());
            DetectorSet::load(&[]).unwrap()
        });
        let ids = |set: &DetectorSet| (0..set.len()).map(|i| set.id(i).clone()).collect::<Vec<_>>();
        assert_eq!(ids(&alone), ids(&pooled));
        assert_eq!(alone.gate.members(), pooled.gate.members());
        // The test data's rules wait for a finding on one thread, and are
        // compiled beside the rest in a pool.
        assert!(!alone.test_data.prepared() && pooled.test_data.prepared());
        let text = "氏名：山田 太郎\nTEL 090-1234-5678 taro@example.com\n\
                    〒100-0001 東京都千代田区千代田1-1\ncard 4111 1111 1111 1111\n";
        let hits = |set: &DetectorSet| {
            let mut hits = Vec::new();
            set.detect(text, None, Layout::default(), &mut set.scratch(), &mut hits);
            hits.iter().map(|h| (set.id(h.detector).clone(), h.start, h.end)).collect::<Vec<_>>()
        };
        let found = hits(&alone);
        let ids: Vec<&str> = found.iter().map(|(id, ..)| &**id).collect();
        assert_eq!(
            ids,
            ["jp.name-kanji", "jp.phone", "email", "jp.postal-code", "jp.address", "payment-card"]
        );
        assert_eq!(found, hits(&pooled));
    }

    #[test]
    fn digit_guard_sees_through_kanji_but_not_digits() {
        assert!(guard_ok(Guard::Digits, "電話090-1234-5678です", 6, 19));
        assert!(!guard_ok(Guard::Digits, "1090-1234-5678", 1, 14));
        assert!(!guard_ok(Guard::Digits, "12-090-1234", 3, 11));
        assert!(guard_ok(Guard::Digits, "TEL:090-1234-5678.", 4, 17));
        assert!(!guard_ok(Guard::Alnum, "XTK1234567", 1, 10));
        assert!(guard_ok(Guard::Digits, "TEL090-1234-5678", 3, 16), "a label may touch it");
        assert!(!guard_ok(Guard::Digits, "1E020 0315 0062", 2, 15), "not a hex token's tail");
        assert!(guard_ok(Guard::Digits, "001-208-415-7774x577", 0, 16), "an extension");
    }

    #[test]
    fn overlapping_hits_of_one_category_keep_the_best() {
        let hit = |detector, start, end, confidence| Hit {
            detector,
            line: 0,
            line_start: 0,
            start,
            end,
            field: None,
            confidence,
        };
        // Detectors 0 and 1 are phones, 2 is a postal code.
        let category = |d: usize| if d == 2 { Category::PostalCode } else { Category::Phone };
        let mut hits = vec![
            hit(1, 0, 13, Confidence::Medium),
            hit(0, 0, 13, Confidence::High),
            hit(2, 4, 12, Confidence::High),
            hit(1, 20, 30, Confidence::Medium),
            hit(0, 22, 28, Confidence::Medium),
        ];
        resolve_overlaps(&mut hits, &mut Overlaps::default(), category);
        let kept: Vec<_> = hits.iter().map(|h| (h.detector, h.start)).collect();
        assert_eq!(kept, [(0, 0), (2, 4), (1, 20)]);
        // Thousands of values on one line stay cheap and all survive.
        let mut many: Vec<Hit> =
            (0..20_000).map(|i| hit(0, i * 20, i * 20 + 13, Confidence::High)).collect();
        resolve_overlaps(&mut many, &mut Overlaps::default(), category);
        assert_eq!(many.len(), 20_000);
    }

    #[test]
    fn hits_that_overlap_nowhere_are_kept_as_the_clusters_keep_them() {
        let category = |d: usize| [Category::Phone, Category::PostalCode, Category::Name][d % 3];
        let confidences = [Confidence::Low, Confidence::Medium, Confidence::High];
        let mut seed = 7u32;
        let mut next = |n: u32| {
            seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12_345);
            ((seed >> 16) % n) as usize
        };
        let (mut apart, mut overlapping) = (0, 0);
        for _ in 0..5000 {
            // Short hits on a short line: some lines overlap nowhere,
            // others here and there, empty hits among them.
            let hits: Vec<Hit> = (0..1 + next(6))
                .map(|_| {
                    let start = next(40);
                    Hit {
                        detector: next(6),
                        line: 0,
                        line_start: 0,
                        start,
                        end: start + next(8),
                        field: None,
                        confidence: confidences[next(3)],
                    }
                })
                .collect();
            let (mut fast, mut clusters) = (hits.clone(), hits.clone());
            resolve_overlaps(&mut fast, &mut Overlaps::default(), category);
            if clusters.len() >= 2 {
                resolve_clusters(&mut clusters, &mut Overlaps::default(), category);
            }
            let key = |h: &Hit| (h.detector, h.start, h.end, h.confidence);
            assert_eq!(
                fast.iter().map(key).collect::<Vec<_>>(),
                clusters.iter().map(key).collect::<Vec<_>>(),
                "{:?}",
                hits.iter().map(key).collect::<Vec<_>>()
            );
            let mut sorted = hits.clone();
            sorted.sort_by_key(|h| h.start);
            if sorted.windows(2).all(|w| w[0].end <= w[1].start) {
                apart += 1;
            } else {
                overlapping += 1;
            }
        }
        assert!(apart > 500 && overlapping > 500, "{apart} apart, {overlapping} overlapping");
    }

    /// The hits of `set` on `text` (a table when `header`), and which
    /// detectors searched it.
    fn hits_and_searches(set: &DetectorSet, text: &str, header: bool) -> (Vec<Hit>, Vec<bool>) {
        let columns = header
            .then(|| set.columns(Header::sniff(std::path::Path::new("t.csv"), text).unwrap()));
        let layout = Layout { first_is_header: header, fields: false };
        let (mut scratch, mut hits) = (set.scratch(), Vec::new());
        set.detect(text, columns.as_ref(), layout, &mut scratch, &mut hits);
        (hits, scratch.matchers.iter().map(Option::is_some).collect())
    }

    #[test]
    fn a_search_outranked_by_a_hit_that_stays_is_not_made() {
        let mut set = DetectorSet::load(&[]).unwrap();
        let index = |set: &DetectorSet, id: &str| (0..set.len()).find(|&d| &**set.id(d) == id);
        let (city, labelled) =
            (index(&set, "jp.address-city").unwrap(), index(&set, "phone-labelled").unwrap());
        // The city-first pattern can take the label before the address
        // (`住所：…`), which the full one does not: it searches that line.
        let prose = "住所：東京都港区六本木6-10-1\n電話：090-1234-5678\n";
        let table = "id,name,phone,address\n\
                     1,山田 太郎,03-9702-9084,東京都港区六本木6-10-1\n\
                     2,佐藤 花子,080-0412-5332,大阪府大阪市北区梅田三丁目1番3号\n";
        let found = |set: &DetectorSet, text: &str, header: bool| {
            let (hits, searched) = hits_and_searches(set, text, header);
            let hits: Vec<(String, String)> = hits
                .iter()
                .map(|h| (set.id(h.detector).to_string(), text[h.start..h.end].to_string()))
                .collect();
            (hits, [searched[city], searched[labelled]])
        };
        let (prose_hits, prose_searched) = found(&set, prose, false);
        assert_eq!(
            prose_hits,
            [
                ("jp.address".into(), "東京都港区六本木6-10-1".into()),
                ("jp.phone".into(), "090-1234-5678".into())
            ]
        );
        let (table_hits, table_searched) = found(&set, table, true);
        let ids: Vec<&str> = table_hits.iter().map(|(id, _)| id.as_str()).collect();
        assert_eq!(ids, ["jp.name-kanji", "jp.phone", "jp.address"].repeat(2));
        assert_eq!((prose_searched, table_searched), ([true, false], [false; 2]));
        // Where each search is made, both patterns read the lines (and the
        // rows), and find the same.
        set.detectors.iter_mut().for_each(|d| d.rivalled = false);
        assert_eq!(found(&set, prose, false), (prose_hits, [true; 2]));
        assert_eq!(found(&set, table, true), (table_hits, [true; 2]));
    }

    #[test]
    fn a_search_outranked_by_a_hit_that_does_not_stay_is_made() {
        // Patterns of one confidence, in this order: `K` and six digits,
        // a value of another category, two digits from a 5, and a longer
        // value that overlaps the first one's but not the third one's. The
        // third one's search waits on the first one's hit, which the last
        // one's outranks: then it is made, and its hit stays. A hit of
        // another category outranks none.
        let mut catalog = Catalog::builtin().unwrap();
        let base = catalog.specs.iter().find(|s| s.id == "us.phone").unwrap().clone();
        for (id, pattern, category) in [
            ("test.first", r"(K[0-9]{6})", Category::Phone),
            ("test.other", r"(Q[0-9]{6})", Category::Email),
            ("test.inner", r"(5[0-9])", Category::Phone),
            ("test.longer", r"(J[0-9]{2}K[0-9]{4})", Category::Phone),
        ] {
            let mut spec = base.clone();
            (spec.id, spec.pattern, spec.category) = (id.into(), pattern.into(), category);
            (spec.context, spec.validator, spec.anchors) =
                (ContextRule::Boost, None, vec!["5".into()]);
            (spec.keywords, spec.negative_keywords) = (vec![], vec![]);
            (spec.guard, spec.confidence) = (Guard::None, Some(Confidence::High));
            catalog.specs.push(spec);
            catalog.sources.push("test".into());
            catalog.builtin.push(false);
        }
        let set = DetectorSet::new(&catalog).unwrap();
        let [first, other, inner, longer] = [4, 3, 2, 1].map(|back| set.len() - back);
        let found = |text: &str| {
            let (hits, searched) = hits_and_searches(&set, text, false);
            let hits: Vec<(usize, String)> =
                hits.iter().map(|h| (h.detector, text[h.start..h.end].to_string())).collect();
            (hits, searched[inner])
        };
        assert_eq!(found("K123456\n"), (vec![(first, "K123456".into())], false));
        let expected = vec![(longer, "J99K1234".into()), (inner, "56".into())];
        assert_eq!(found("J99K123456\n"), (expected, true));
        let expected = vec![(other, "Q123456".into()), (inner, "56".into())];
        assert_eq!(found("Q123456\n"), (expected, true));
    }

    #[test]
    fn a_value_of_one_length_that_the_guard_refuses_is_not_searched() {
        let mut set = DetectorSet::load(&[]).unwrap();
        let postal = (0..set.len()).find(|&d| &**set.id(d) == "jp.postal-code").unwrap();
        assert_eq!(set.detectors[postal].fixed_len, Some(8));
        // A prefecture is a postal code's keyword: every row may hold one,
        // and `090-1234` matches its pattern. Only the last row's is one
        // (after a mobile number whose start matches too).
        let table = "name,phone,address\n\
                     山田 太郎,090-1234-5678,東京都港区六本木6-10-1\n\
                     佐藤 花子,080-0412-5332,大阪府大阪市北区梅田三丁目1番3号\n";
        let with_code =
            format!("{table}鈴木 一郎,090-8765-4321,〒100-0001 東京都千代田区千代田1-1\n");
        let found = |set: &DetectorSet, text: &str| {
            let (hits, searched) = hits_and_searches(set, text, true);
            let ids: Vec<&str> = hits.iter().map(|h| &**set.id(h.detector)).collect();
            (ids.join(" "), searched[postal])
        };
        let row = "jp.name-kanji jp.phone jp.address";
        assert_eq!(found(&set, table), (format!("{row} {row}"), false));
        let (ids, searched) = found(&set, &with_code);
        assert_eq!(ids, format!("{row} {row} jp.name-kanji jp.phone jp.postal-code jp.address"));
        assert!(searched);
        // Searched, the rows give the same.
        set.detectors.iter_mut().for_each(|d| d.fixed_len = None);
        assert_eq!(found(&set, table), (format!("{row} {row}"), true));
    }

    /// Every example and negative example of every detector `d`, each on
    /// a line of its own and then twice after a label of its category,
    /// each followed by the line `after(d)` (none where it is empty).
    fn every_example<'a>(set: &DetectorSet, after: impl Fn(usize) -> &'a str) -> String {
        let mut text = String::new();
        for d in 0..set.len() {
            let spec = set.spec(d);
            for e in spec.examples.iter().chain(&spec.negative_examples) {
                let e = e.replace(['«', '»'], "");
                let label = spec.keywords.first().map_or("", String::as_str);
                text += &format!("{e}\n{label}：{e} {e}\n");
                if !after(d).is_empty() {
                    text += &format!("{}\n", after(d));
                }
            }
        }
        text
    }

    /// Every example and negative example of every detector, each on a
    /// line of its own and after a label of its category, and a customer
    /// table: the same hits with outranked searches put off, and values
    /// of one length the guard refuses not searched, as with every search
    /// made.
    #[test]
    fn the_searches_left_out_change_no_hit() {
        let mut set = DetectorSet::load(&[]).unwrap();
        let text = every_example(&set, |_| "");
        let mut table = String::from("id,name,phone,email,address,birth_date\n");
        for line in text.lines().take(400) {
            table += &format!("1,{line},{line},x,{line},{line}\n");
        }
        table += "2,中村 さくら,03-9702-9084,a@example.com,京都府京都市下京区四条通7丁目20番9号,1980年2月1日\n";
        let all = |set: &DetectorSet| {
            (hits_and_searches(set, &text, false).0, hits_and_searches(set, &table, true).0)
        };
        let put_off = all(&set);
        assert!(put_off.0.len() > 500 && put_off.1.len() > 500, "{}", put_off.0.len());
        set.detectors.iter_mut().for_each(|d| (d.rivalled, d.fixed_len) = (false, None));
        assert_eq!(put_off, all(&set));
    }

    /// Every example and negative example of every detector, each on a
    /// line of its own and after a label, with logs' and code's lines
    /// between: the gate's walk in lanes (three, for the one group that
    /// reads every byte) gives the hits of one lane.
    #[test]
    fn a_text_read_in_lanes_gives_the_hits_of_one() {
        let mut set = DetectorSet::load(&[]).unwrap();
        let between = |d: usize| gate::SAMPLE.lines().nth(d % 4).unwrap();
        let text = every_example(&set, between);
        assert!(text.len() > 2 * gate::LANES_FROM, "{}", text.len());
        let laned = hits_and_searches(&set, &text, false).0;
        assert!(laned.len() > 500, "{}", laned.len());
        set.gate.lanes_from = usize::MAX;
        assert_eq!(laned, hits_and_searches(&set, &text, false).0);
    }

    /// Customer tables of every example and negative example of every
    /// detector, under headers that name detectors that need context, and
    /// with their labels (keywords) in some rows: read with a group of
    /// their own ([`gate::Gate::flag_table`]), the hits of reading them as
    /// other texts are read.
    #[test]
    fn a_table_read_with_a_group_of_its_own_gives_the_hits_of_the_groups() {
        let mut set = DetectorSet::load(&[]).unwrap();
        let lines: Vec<String> = every_example(&set, |_| "").lines().map(str::to_string).collect();
        let headers = [
            "id,name,phone,email,address,birth_date",
            "番号,郵便番号,住所,マイナンバー,口座番号,性別",
            "id,note,memo,comment,text,value",
        ];
        for header in headers {
            let mut table = format!("{header}\n");
            for (i, line) in lines.iter().enumerate() {
                table += &format!("{i},{line},{line},x,{line},{line}\n");
            }
            assert!(table.len() > gate::TABLE_FROM, "{}", table.len());
            set.gate.table_from = gate::TABLE_FROM;
            let own = hits_and_searches(&set, &table, true).0;
            assert!(own.len() > 1000, "{header}: {}", own.len());
            set.gate.table_from = usize::MAX;
            assert_eq!(own, hits_and_searches(&set, &table, true).0, "{header}");
        }
    }

    #[test]
    fn a_search_near_the_start_finds_what_a_binary_search_finds() {
        for len in 0..70 {
            let sorted: Vec<usize> = (0..len).map(|i| i * 2).collect();
            for x in 0..=2 * len + 1 {
                let near = partition_point_near(&sorted, |&v| v < x);
                assert_eq!(near, sorted.partition_point(|&v| v < x), "{len} {x}");
            }
        }
    }

    #[test]
    fn windows_count_characters() {
        let t = "生年月日：1985";
        assert_eq!(&t[back_chars(t, t.find('1').unwrap(), 3)..], "月日：1985");
        assert_eq!(&t[..forward_chars(t, 0, 2)], "生年");
        assert_eq!(forward_chars(t, 0, 100), t.len());
        // ASCII alone, mixed and near either end, characters of one to
        // four bytes, and runs longer than the eight bytes counted at a
        // time, against decoding every character.
        let t = "ab生年c：12 x日dé😀 ü年月日2026年4月1日 abcdefghijklmnopq生年月日é🙂z";
        for i in (0..=t.len()).filter(|&i| t.is_char_boundary(i)) {
            for n in 0..=t.chars().count() + 1 {
                let back = t[..i].char_indices().rev().take(n).last().map_or(i, |(j, _)| j);
                let forward = t[i..].char_indices().nth(n).map_or(t.len(), |(j, _)| i + j);
                assert_eq!(back_chars(t, i, n), back, "{i} {n}");
                assert_eq!(forward_chars(t, i, n), forward, "{i} {n}");
            }
        }
    }

    #[test]
    fn keywords_belong_to_the_nearest_number() {
        let s = "個人番号 123456789018 電話 ";
        assert_eq!(&s[after_last_number(s)..], " 電話 ");
        assert_eq!(after_last_number("マイナンバー（12桁）："), 0);
        let a = "生まれ 電話 0312345678";
        assert_eq!(&a[..before_first_number(a)], "生まれ 電話 ");
    }

    #[test]
    fn only_detectors_with_a_keyword_nearby_run() {
        let set = DetectorSet::load(&[]).unwrap();
        let id = |name: &str| (0..set.len()).find(|&d| set.spec(d).id == name).unwrap();
        let (my_number, licence) = (id("jp.my-number"), id("jp.drivers-licence"));
        let t = "マイナンバー：\n123456789018\nご注文ありがとうございました。次回もどうぞよろしくお願いいたします。\n\
                 ご注文ありがとうございました。\n注文 123456789018";
        let first = t.find('1').unwrap();
        let mut index = WordIndex::default();
        set.context_words.index(t, &mut index, &mut Vec::new());
        let near = set.context_words.near(t, first..first + 12, &mut index);
        assert_ne!(
            near & detector_bit(my_number),
            0,
            "keyword on the line before, within the window"
        );
        assert_eq!(near & detector_bit(licence), 0);
        // Beyond the widest window (48 characters), the keyword is out of reach.
        let last = t.rfind("123").unwrap();
        assert_eq!(
            set.context_words.near(t, last..t.len(), &mut index) & detector_bit(my_number),
            0
        );
        // A keyword inside a word (`cc` in a UUID's hex, `post` in
        // `postgres`) is no keyword; the same word alone is.
        let t = "req=ba41eccc-c3fc ip=10.0.0.1 POST /api/v2/orders/4111111111111111\ncc 4111111111111111";
        set.context_words.index(t, &mut index, &mut Vec::new());
        let card = id("payment-card-bare");
        let starts: Vec<usize> = index.hits.iter().map(|&(start, ..)| start).collect();
        assert_eq!(starts, [t.find("cc ").unwrap()]);
        assert_ne!(index.hits[0].2 & detector_bit(card), 0);
    }

    #[test]
    fn the_keyword_pass_lists_the_anchor_literals_too() {
        let set = DetectorSet::load(&[]).unwrap();
        let t = "DR. Smith, 性別：男\n梅田三丁目 hotel";
        let (mut index, mut literals) = (WordIndex::default(), Vec::new());
        set.context_words.index(t, &mut index, &mut literals);
        let starts: Vec<usize> = literals.iter().map(|&(at, _)| at).collect();
        // `DR.` in any case (an anchor of the titles), 性別 (an anchor and a
        // keyword), 丁目; each with the bits of its anchor.
        assert_eq!(starts, [0, t.find("性別").unwrap(), t.find("丁目").unwrap()]);
        assert!(literals.iter().all(|&(_, bits)| bits != 0));
        let holds = |line: std::ops::Range<usize>, bit: u64| {
            set.anchors.on_line(t, line, &literals, &mut 0).holds(bit)
        };
        let nl = t.find('\n').unwrap();
        assert!(holds(0..nl, literals[1].1));
        assert!(!holds(nl + 1..t.len(), literals[1].1));
        assert!(holds(nl + 1..t.len(), literals[2].1));
    }

    #[test]
    fn the_keyword_index_read_in_the_gates_walk_is_the_one_read_alone() {
        let set = DetectorSet::load(&[]).unwrap();
        let t = "2026-06-05T12:41:03Z INFO ip=10.0.0.1 tel 03-1234-5678\nDR. Smith, 性別：男\n\
                 マイナンバー：\n123456789018\nhotel cc 4111 1111 1111 1111 梅田三丁目";
        let (mut alone, mut alone_literals) = (WordIndex::default(), Vec::new());
        set.context_words.index(t, &mut alone, &mut alone_literals);
        assert!(alone.hits.len() >= 3 && alone_literals.len() >= 3, "the text has keywords");
        let (mut walked, mut literals) = (WordIndex::default(), Vec::new());
        let mut walk = set.context_words.walk(t, None, &mut walked, &mut literals);
        set.gate.flag(t, &mut walk, &mut set.gate.scratch(), &mut gate::Flags::default());
        assert_eq!((&walked.hits, &walked.regions), (&alone.hits, &alone.regions));
        assert_eq!(walked.marks, alone.marks);
        assert_eq!(literals, alone_literals);
        // On a table every line has context: for the detectors its header
        // names, those with a keyword anywhere and those marked by a word
        // there (`DR. `, `性別`, `丁目`).
        let keyworded = walked.hits.iter().fold(0, |m, &(.., owners)| m | owners);
        let marked = walked.marks.iter().fold(0, |m, &(_, mark)| m | mark);
        assert!(keyworded != 0 && marked.count_ones() == 3, "{keyworded:x} {marked:x}");
        let keyworded = keyworded | marked;
        let mut walk = set.context_words.walk(t, Some(1 << 62), &mut walked, &mut literals);
        set.gate.flag(t, &mut walk, &mut set.gate.scratch(), &mut gate::Flags::default());
        let whole = gate::Region { lines: 0..t.len(), detectors: keyworded | 1 << 62 };
        assert_eq!(walked.regions, [whole]);
    }

    #[test]
    fn the_keyword_walk_lists_where_name_labels_start() {
        let set = DetectorSet::load(&[]).unwrap();
        // Labels of the name detectors, in either case, a whole word or
        // not (the engines' own search tells); a negative keyword alone
        // (会社名 holds 名, no label) and a line of neither list none.
        let t = "氏名：山田太郎\n会社名：山田商事\nCUSTOMER: Taro Yamada\nrename x\n1,2,3\n";
        let (mut words, mut literals) = (WordIndex::default(), Vec::new());
        set.context_words.index(t, &mut words, &mut literals);
        let at = |w: &str| t.find(w).unwrap();
        assert_eq!(words.labels, [0, at("CUSTOMER"), at("name")]);
        let mut lines = Vec::new();
        let mut from = 0;
        for line in t.split_inclusive('\n') {
            let start = line.as_ptr() as usize - t.as_ptr() as usize;
            lines.push(words.label_on(start..start + line.len() - 1, &mut from));
        }
        assert_eq!(lines, [true, false, true, true, false]);
        // Lines asked with some skipped: the same answers.
        let mut from = 0;
        let third = t.find("CUSTOMER").unwrap();
        assert!(words.label_on(third..third + 10, &mut from));
        assert!(!words.label_on(t.len() - 6..t.len() - 1, &mut from));
    }

    #[test]
    fn names_after_a_label_are_found_where_the_line_before_has_none() {
        let set = DetectorSet::load(&[]).unwrap();
        let names_in = |t: &str| -> Vec<(usize, String)> {
            let mut out = Vec::new();
            set.detect(t, None, Layout::default(), &mut set.scratch(), &mut out);
            out.iter()
                .filter(|h| set.detectors[h.detector].spec.category == Category::Name)
                .map(|h| (h.line, t[h.start..h.end].to_string()))
                .collect()
        };
        // Names no dictionary knows, which only a label vouches for, kanji
        // then Latin, after a line with no label.
        let t = "ご連絡ありがとうございます：明日\n契約者：勅使河原 宏\nName: Zyx Qwv\n";
        assert_eq!(names_in(t), [(1, "勅使河原 宏".to_string()), (2, "Zyx Qwv".to_string())]);
    }

    #[test]
    fn the_latin_name_engine_reads_the_lines_the_gate_flags_for_it() {
        let set = DetectorSet::load(&[]).unwrap();
        let t = "Dear Taro Yamada,\nconst MASK: u64 = 1;\nINFO GET /api\nsee John A. Smith\n\
                 x_Taro Yamada\n山田Hanako Sato様\n";
        let (mut words, mut literals) = (WordIndex::default(), Vec::new());
        let mut walk = set.context_words.walk(t, None, &mut words, &mut literals);
        let mut flags = gate::Flags::default();
        set.gate.flag(t, &mut walk, &mut set.gate.scratch(), &mut flags);
        let mut lines = Vec::new();
        flags.take_lines(set.latin_names, &mut lines);
        assert!(flags.decides(set.latin_names));
        // Lines 0, 2, 3 and 5 hold a candidate (a word of capitals is
        // capitalised too); `MASK` follows a word of small letters, and
        // `x_Taro` continues a word.
        let starts: Vec<usize> = std::iter::once(0)
            .chain(t.match_indices('\n').map(|(i, _)| i + 1).filter(|&i| i < t.len()))
            .collect();
        assert_eq!(lines, [starts[0], starts[2], starts[3], starts[5]]);
        // The line loop is not sent to them for it.
        assert!(starts.iter().all(|&s| flags.at(s) & set.latin_names == 0));
        // What the engine finds there is what it finds looking for
        // candidates in the whole text itself.
        let found = |set: &DetectorSet| {
            let mut hits = Vec::new();
            set.detect(t, None, Layout::default(), &mut set.scratch(), &mut hits);
            hits.iter().map(|h| (set.id(h.detector).to_string(), h.line)).collect::<Vec<_>>()
        };
        let gated = found(&set);
        let whole = found(&DetectorSet { latin_names: 0, ..DetectorSet::load(&[]).unwrap() });
        let names: Vec<(&str, usize)> = gated
            .iter()
            .filter(|(id, _)| id == "jp.name-romaji" || id == "name-english")
            .map(|(id, line)| (id.as_str(), *line))
            .collect();
        assert_eq!(names, [("jp.name-romaji", 0), ("name-english", 3), ("jp.name-romaji", 5)]);
        assert_eq!(gated, whole);
    }

    #[test]
    fn the_gate_flags_a_guarded_detector_only_where_its_value_can_start() {
        let set = DetectorSet::load(&[]).unwrap();
        let bit = |id: &str| detector_bit(set.detectors.iter().position(|d| &*d.id == id).unwrap());
        let (phone, card) = (bit("jp.phone"), bit("payment-card"));
        // Lines 1 and 2 hold phone-shaped digits only after a digit: the
        // tail of an id, and of a longer number. Line 3 holds one after a
        // space, line 4 at its start; the card number after a word.
        let t = "GET /users/5379907511 404 1603ms\n1090-1234-5678\n\
                 tel 090-1234-5678\n03-1234-5678\ncard 4111 1111 1111 1111\n";
        let (mut words, mut literals) = (WordIndex::default(), Vec::new());
        let mut walk = set.context_words.walk(t, None, &mut words, &mut literals);
        let mut flags = gate::Flags::default();
        set.gate.flag(t, &mut walk, &mut set.gate.scratch(), &mut flags);
        let starts: Vec<usize> = std::iter::once(0)
            .chain(t.match_indices('\n').map(|(i, _)| i + 1).filter(|&i| i < t.len()))
            .collect();
        let bits: Vec<u64> = starts.iter().map(|&s| flags.at(s)).collect();
        let flagged = |b: u64| bits.iter().map(|&m| m & b != 0).collect::<Vec<_>>();
        assert_eq!(flagged(phone), [false, false, true, true, false]);
        assert_eq!(flagged(card), [false, false, false, false, true]);
        // And the detector finds what the gate let through.
        let mut hits = Vec::new();
        set.detect(t, None, Layout::default(), &mut set.scratch(), &mut hits);
        let found: Vec<(&str, usize)> =
            hits.iter().map(|h| (&**set.id(h.detector), h.line)).collect();
        assert_eq!(found, [("jp.phone", 2), ("jp.phone", 3), ("payment-card", 4)]);
    }

    #[test]
    fn a_line_holding_a_word_that_marks_a_detector_is_read_for_it() {
        let set = DetectorSet::load(&[]).unwrap();
        let bit = |id: &str| detector_bit(set.detectors.iter().position(|d| &*d.id == id).unwrap());
        let (gender, title) = (bit("gender"), bit("name-title"));
        // Inside a word too (`Essex`): the gender pattern has no boundary.
        let t = "build 42\nEssex M\nok\nfrom Mr. Smith\n";
        let mut index = WordIndex::default();
        set.context_words.index(t, &mut index, &mut Vec::new());
        let line = |n: usize| {
            let start: usize = t.split_inclusive('\n').take(n).map(str::len).sum();
            start..start + t.split('\n').nth(n).unwrap().len()
        };
        let read = |mask: u64| -> Vec<std::ops::Range<usize>> {
            index
                .regions
                .iter()
                .filter(|r| r.detectors & mask != 0)
                .map(|r| r.lines.clone())
                .collect()
        };
        assert_eq!(read(gender), [line(1)]);
        assert_eq!(read(title), [line(3)]);
        // The gate reads their patterns only there.
        let (_, needs_context): (Vec<_>, Vec<bool>) = set
            .gate
            .patterns()
            .iter()
            .filter(|&&(b, ..)| b == gender || b == title)
            .map(|&(b, _, c)| (b, c))
            .unzip();
        assert_eq!(needs_context, [true, true]);
        // A detector that needs no context and starts with no word is read
        // on every line.
        assert!(set.gate.patterns().iter().any(|&(b, _, c)| b == bit("email") && !c));
    }

    #[test]
    fn a_marked_line_is_read_only_when_it_holds_the_other_words_too() {
        let set = DetectorSet::load(&[]).unwrap();
        let katakana = detector_bit(
            set.detectors.iter().position(|d| &*d.id == "jp.name-foreign-kana").unwrap(),
        );
        // Each line holds an honorific, the katakana name's mark; only
        // lines 1 and 3 hold a middle dot (or `=`), which its match holds
        // besides.
        let t = "山田太郎様へ\nジョン・スミス様\nジョンスミス様\nアンナ=ロッシさん\n";
        let mut index = WordIndex::default();
        set.context_words.index(t, &mut index, &mut Vec::new());
        assert_eq!(index.marks.iter().filter(|&&(_, m)| m & katakana != 0).count(), 4);
        let starts: Vec<usize> =
            std::iter::once(0).chain(t.match_indices('\n').map(|(i, _)| i + 1)).collect();
        let read: Vec<usize> = index
            .regions
            .iter()
            .filter(|r| r.detectors & katakana != 0)
            .map(|r| r.lines.start)
            .collect();
        assert_eq!(read, [starts[1], starts[3]]);
        // And the names are found there.
        let mut hits = Vec::new();
        set.detect(t, None, Layout::default(), &mut set.scratch(), &mut hits);
        let found: Vec<usize> = hits
            .iter()
            .filter(|h| &**set.id(h.detector) == "jp.name-foreign-kana")
            .map(|h| h.line)
            .collect();
        assert_eq!(found, [1, 3]);
    }

    #[test]
    fn ascii_keywords_are_whole_words() {
        let words = AhoCorasick::builder()
            .ascii_case_insensitive(true)
            .build(["tel", "mobile", "電話"])
            .unwrap();
        let has = |t: &str| has_keyword(&words, t, 0..t.len());
        assert!(has("TEL:"));
        assert!(has("Tel."));
        assert!(has("tel03"));
        assert!(has("携帯電話番号"));
        assert!(!has("hotel "));
        assert!(!has("automobile"));
        assert!(has("hotel tel"));
        // Whole words of the text, not of the part looked at: the window
        // may start inside `hotel`.
        assert!(!has_keyword(&words, "hotel", 2..5));
    }

    #[test]
    fn every_line_with_a_keyword_in_reach_lies_in_a_context_region() {
        let set = DetectorSet::load(&[]).unwrap();
        let words = ["電話番号", "TEL", "〒", "date of birth", "dob", "口座番号", "x"];
        // Lines of many lengths, keywords of many lengths at many places.
        let mut text = String::new();
        for i in 0..300 {
            let word = words[i * 5 % words.len()];
            let pad = "あ".repeat(i * 13 % 70);
            match i % 4 {
                0 => text += &format!("{pad}{word} 1\n"),
                1 => text += &format!("{word}{pad}\n"),
                2 => text += "\n",
                _ => text += &format!("{pad}9\n"),
            }
        }
        let mut index = WordIndex::default();
        set.context_words.index(&text, &mut index, &mut Vec::new());
        let regions = &index.regions;
        assert!(
            regions.windows(2).all(|w| w[0].lines.end + 1 < w[1].lines.start),
            "sorted, merged"
        );
        let mut start = 0;
        let mut near = 0;
        for line in text.split_inclusive('\n') {
            let range = start..start + line.len() - 1;
            let bits = set.context_words.near(&text, range.clone(), &mut index);
            if bits != 0 {
                near += 1;
                // The region holding the line is read for those detectors.
                let holds =
                    |r: &&gate::Region| r.lines.start <= range.start && range.end <= r.lines.end;
                let region = index.regions.iter().find(holds);
                assert!(
                    region.is_some_and(|r| r.detectors & bits == bits),
                    "line {range:?} with {bits:x} outside {:?}",
                    index.regions
                );
            }
            start += line.len();
        }
        assert!(near > 100, "{near}");
    }

    #[test]
    fn a_mask_lists_its_detectors() {
        let list = |mask: u64, len| detectors_in(mask, len).collect::<Vec<_>>();
        let mask = [0, 2, 5, 62, 63].iter().fold(0, |m, &d| m | detector_bit(d));
        assert_eq!(list(mask, 66), [0, 2, 5, 62, 63, 64, 65], "the last bit is shared");
        assert_eq!(list(mask, 4), [0, 2], "no detector past the set");
        assert_eq!(list(detector_bit(63), 63), Vec::<usize>::new());
        assert_eq!(list(u64::MAX, 3), [0, 1, 2]);
        assert_eq!(list(0, 70), Vec::<usize>::new());
    }

    #[test]
    fn every_builtin_pattern_compiles_and_a_user_one_at_load() {
        // Built-in regexes and keyword lists are built when first used:
        // none may fail then.
        let set = DetectorSet::load(&[]).unwrap();
        for d in &set.detectors {
            if let Some(pattern) = &d.regex {
                assert!(pattern.regex.get().is_none(), "{} compiled before use", d.spec.id);
                assert!(pattern.compile().is_ok(), "{}", d.spec.id);
            }
            for (cell, list) in
                [(&d.keywords, &d.spec.keywords), (&d.negative_keywords, &d.spec.negative_keywords)]
            {
                assert!(cell.get().is_none(), "{} built before use", d.spec.id);
                assert!(words_automaton(list).is_ok(), "{}", d.spec.id);
            }
        }
        // A user's keywords are built at load, the same built-in ones not.
        let mut catalog = Catalog::builtin().unwrap();
        let builtin = catalog.specs.iter().position(|s| !s.keywords.is_empty()).unwrap();
        let mut spec = catalog.specs[builtin].clone();
        spec.id = "test.words".into();
        catalog.specs.push(spec);
        catalog.sources.push("test".into());
        catalog.builtin.push(false);
        let set = DetectorSet::new(&catalog).unwrap();
        assert!(set.detectors.last().unwrap().keywords.get().is_some());
        assert!(set.detectors[builtin].keywords.get().is_none());
        // A user's pattern too big to compile is an error of the load.
        let mut catalog = Catalog::builtin().unwrap();
        let mut spec = catalog.specs[0].clone();
        spec.id = "test.huge".into();
        spec.pattern = r"(\w{1000}\w{1000}\w{1000})".into();
        catalog.specs.push(spec);
        catalog.sources.push("test".into());
        catalog.builtin.push(false);
        let error = DetectorSet::new(&catalog).unwrap_err().to_string();
        assert!(error.contains("test.huge"), "{error}");
    }

    #[test]
    fn a_line_is_searched_while_a_shortest_match_still_fits_before_the_gates_last_end() {
        let mut catalog = Catalog::builtin().unwrap();
        let mut spec = catalog.specs.iter().find(|s| s.id == "us.phone").unwrap().clone();
        spec.id = "test.fixed".into();
        spec.pattern = r"(Z[0-9]{3}Y)".into();
        (spec.context, spec.validator, spec.anchors) = (ContextRule::Boost, None, vec!["Z".into()]);
        (spec.keywords, spec.negative_keywords) = (vec![], vec![]);
        spec.guard = crate::detect::catalog::Guard::None;
        catalog.specs.push(spec);
        catalog.sources.push("test".into());
        catalog.builtin.push(false);
        let set = DetectorSet::new(&catalog).unwrap();
        let fixed = set.len() - 1;
        assert_eq!(set.detectors[fixed].min_len, 5);
        // Adjacent values: after the first, exactly the shortest match's
        // length is left; a value of it is still read.
        let mut hits = Vec::new();
        set.detect("Z123YZ456Y Z78Y\nZ9\n", None, Layout::default(), &mut set.scratch(), &mut hits);
        let found: Vec<(usize, usize)> =
            hits.iter().filter(|h| h.detector == fixed).map(|h| (h.start, h.end)).collect();
        assert_eq!(found, [(0, 5), (5, 10)]);
    }

    #[test]
    fn the_gate_reads_a_pattern_as_it_reads_a_line() {
        // A class that takes the line break (it kept a pattern out of the
        // gate), `\z` and `\A`: the detector's own search reads one line,
        // where these mean its end and start, and the gate reads them so.
        let mut catalog = Catalog::builtin().unwrap();
        let base = catalog.specs.iter().find(|s| s.id == "us.phone").unwrap().clone();
        for (id, pattern) in [
            ("test.spaced", r"(ZX[\s]+[0-9]{3})"),
            ("test.ends", r"(QY [0-9]{3})\z"),
            ("test.starts", r"\A(KW [0-9]{3})"),
        ] {
            let mut spec = base.clone();
            (spec.id, spec.pattern) = (id.into(), pattern.into());
            catalog.specs.push(spec);
            catalog.sources.push("test".into());
            catalog.builtin.push(false);
        }
        let set = DetectorSet::new(&catalog).unwrap();
        let n = set.len();
        assert!((n - 3..n).all(|d| set.gate.gates(detector_bit(d))));
        let t = "ref ZX 123 ZX\n456\nQY 123\nQY 456 tail\nKW 123\nx KW 456\n";
        let mut hits = Vec::new();
        set.detect(t, None, Layout::default(), &mut set.scratch(), &mut hits);
        let found: Vec<(&str, usize, &str)> =
            hits.iter().map(|h| (&**set.id(h.detector), h.line, &t[h.start..h.end])).collect();
        assert_eq!(
            found,
            [
                ("test.spaced", 0, "ZX 123"),
                ("test.ends", 2, "QY 123"),
                ("test.starts", 4, "KW 123")
            ]
        );
    }

    #[test]
    fn the_gate_hides_no_finding() {
        // Every example and negative example of every detector, each alone
        // and all run together on digit-dense lines, as text and as fields:
        // the same hits with the gate as with every detector on every line.
        let mut set = DetectorSet::load(&[]).unwrap();
        let mut lines: Vec<String> = Vec::new();
        for d in 0..set.len() {
            let spec = set.spec(d);
            for e in spec.examples.iter().chain(&spec.negative_examples) {
                lines.push(e.clone());
                lines.push(format!(
                    "2026-06-05T12:41:03.074Z req=d272d137-1c17 ip=10.0.0.1 {e} 590ms"
                ));
            }
        }
        let text = lines.join("\n") + "\n";
        // The same lines without their other characters, a text of ASCII
        // alone: there only the flagged lines are read
        // ([`DetectorSet::lines`]).
        let ascii: String = text.chars().filter(char::is_ascii).collect();
        // And mixed, as prose is: each line, then the same without its
        // other characters, then its digits alone; and signatures, whose
        // name line only the contact line below brings (one that holds
        // only digits and no phone number; none under a line that holds an
        // anchor), and half-width katakana names on lines that hold only
        // digits.
        let mut mixed = String::new();
        for line in &lines {
            let ascii: String = line.chars().filter(char::is_ascii).collect();
            let digits: String = line.chars().filter(char::is_ascii_digit).collect();
            mixed += &format!("{line}\n{ascii}\n{digits}\n");
        }
        mixed += "x = 1\n井上 健一\nTEL 12\ny 2\n中村 陽菜\n  〒 3\n\n鈴木 花子\nTel 4\n";
        mixed += "7 ﾔﾏﾀﾞ ﾀﾛｳ 様\nﾔﾏﾀﾞ ﾀﾛｳ 8\nﾔﾏﾀﾞ ﾀﾛｳ\n山田 様\nTEL 5\n";
        let run = |set: &DetectorSet, text: &str, fields: bool| {
            let mut hits = Vec::new();
            let layout = Layout { first_is_header: false, fields };
            set.detect(text, None, layout, &mut set.scratch(), &mut hits);
            hits
        };
        let all = |set: &DetectorSet| {
            let texts = (run(set, &text, false), run(set, &text, true));
            (texts, run(set, &ascii, false), run(set, &mixed, false))
        };
        let gated = all(&set);
        assert!(set.gate.groups() > 0 && gated.0.0.len() > 100, "{}", gated.0.0.len());
        assert!(gated.1.len() > 100, "{}", gated.1.len());
        // The three signatures' names.
        let signed = |hits: &[Hit]| {
            let at = |h: &Hit| &mixed[h.start..h.end];
            ["井上 健一", "中村 陽菜", "鈴木 花子"].map(|n| hits.iter().any(|h| at(h) == n))
        };
        assert_eq!(signed(&gated.2), [true; 3]);
        set.gate = gate::Gate::new(&[]).unwrap();
        assert_eq!(gated, all(&set));
    }

    #[test]
    fn the_gate_picks_the_lines_read_where_it_decides_every_detector() {
        let set = DetectorSet::load(&[]).unwrap();
        let read = |t: &str, any_line: bool| {
            let mut scratch = set.scratch();
            let Scratch { words, literals, gate, flags, .. } = &mut scratch;
            let mut keywords = set.context_words.walk(t, None, words, literals);
            set.gate.flag(t, &mut keywords, gate, flags);
            match set.lines(t, any_line, flags, literals) {
                Lines::Every => "every",
                Lines::Anchored(_) => "anchored",
                Lines::Flagged => "flagged",
                Lines::Decided { .. } => "decided",
            }
        };
        let code = "    if (count > 421) { n = 96; }\n    call(\"090-1234-5678\");\n";
        assert_eq!(read(code, false), "flagged");
        assert_eq!(read(code, true), "every");
        // A text with other characters: the flagged lines and the other
        // anchors', not the digits'.
        assert_eq!(read("    n = 96; // 山田様\n", false), "decided");
        // A detector past the 63rd is not the gate's to decide.
        let mut catalog = Catalog::builtin().unwrap();
        let base = catalog.specs.iter().find(|s| s.id == "us.phone").unwrap().clone();
        while catalog.specs.len() < 64 {
            let mut spec = base.clone();
            spec.id = format!("test.{}", catalog.specs.len());
            catalog.specs.push(spec);
            catalog.sources.push("test".into());
            catalog.builtin.push(false);
        }
        let many = DetectorSet::new(&catalog).unwrap();
        let mut scratch = many.scratch();
        let Scratch { words, literals, gate, flags, .. } = &mut scratch;
        let mut keywords = many.context_words.walk(code, None, words, literals);
        many.gate.flag(code, &mut keywords, gate, flags);
        assert!(matches!(many.lines(code, false, flags, literals), Lines::Anchored(_)));
    }

    /// The detectors of `set` that have a pattern of their own, with it.
    fn with_patterns(set: &DetectorSet) -> impl Iterator<Item = (&Compiled, &Pattern)> {
        set.detectors.iter().filter_map(|d| d.regex.as_ref().map(|p| (d, p)))
    }

    /// A detector's examples and negative examples, without the marks
    /// around the value.
    fn bare_examples(det: &Compiled) -> impl Iterator<Item = String> + '_ {
        det.spec
            .examples
            .iter()
            .chain(&det.spec.negative_examples)
            .map(|e| e.replace(['«', '»'], ""))
    }

    #[test]
    fn a_search_tried_anchored_first_finds_what_the_search_finds() {
        // Every built-in pattern, on each of its examples and negative
        // examples set in a digit-dense line, from every character: the
        // match (and, for a pattern with groups, its groups) is the one the
        // plain search gives.
        let set = DetectorSet::load(&[]).unwrap();
        let mut tried = 0;
        for (det, pattern) in with_patterns(&set) {
            let regex = pattern.regex();
            let (mut cache, mut caps) = pattern.matcher();
            let mut expected = regex.create_captures();
            for e in bare_examples(det) {
                let line = format!("req=d272d137-1c17 ip=10.0.0.1 {e}, 03-1234-5678 590ms");
                for (at, _) in line.char_indices() {
                    let input = Input::new(&line).range(at..);
                    let plain = regex.search_with(&mut cache, &input);
                    assert_eq!(
                        leftmost(regex, &mut cache, &input),
                        plain,
                        "{} {line:?} {at}",
                        det.id
                    );
                    regex.search_captures_with(&mut cache, &input, &mut expected);
                    leftmost_captures(regex, &mut cache, &input, &mut caps);
                    let groups = |c: &Captures| {
                        (0..c.group_len()).map(|g| c.get_group(g)).collect::<Vec<_>>()
                    };
                    assert_eq!(groups(&caps), groups(&expected), "{} {line:?} {at}", det.id);
                    tried += usize::from(plain.is_some_and(|m| m.start() == at));
                }
            }
        }
        // Many of those searches start at their match: the anchored path ran.
        assert!(tried > 500, "{tried}");
    }

    #[test]
    fn a_search_from_the_start_bound_finds_what_the_search_finds() {
        // Every built-in pattern, on each of its examples and negative
        // examples set in a table row and in a log line: searched from the
        // bound its alternatives give for where the earliest match ends,
        // the match is the one the search of the whole line gives.
        let set = DetectorSet::load(&[]).unwrap();
        let mut moved = 0;
        for (det, pattern) in with_patterns(&set) {
            let regex = pattern.regex();
            let mut cache = regex.create_cache();
            for e in bare_examples(det) {
                for line in [
                    format!("12,山田 太郎,03-1234-5678,{e},東京都千代田区1-1,1980/1/2"),
                    format!("2026-06-05T12:41:03Z req=d272d137 ip=10.0.0.1 {e}, 590ms"),
                ] {
                    let earliest = Input::new(&line).earliest(true);
                    let Some(first) = regex.search_half_with(&mut cache, &earliest) else {
                        continue;
                    };
                    let from = det.starts.bound(line.as_bytes(), 0, first.offset());
                    let from = floor_char_boundary(&line, from);
                    let plain = regex.search_with(&mut cache, &Input::new(&line));
                    let bounded = leftmost(regex, &mut cache, &Input::new(&line).range(from..));
                    assert_eq!(bounded, plain, "{} {line:?} from {from}", det.id);
                    moved += usize::from(from > 0);
                }
            }
        }
        assert!(moved > 300, "{moved}");
        // An e-mail in a row of a table: its unquoted form holds no `,`,
        // and its quoted form starts with `"`.
        let email = set.detectors.iter().find(|d| &*d.id == "email").unwrap();
        let row = "1,03-1234-5678,taro@example.com,x";
        let first = row.find(".com").unwrap() + 4;
        assert_eq!(email.starts.bound(row.as_bytes(), 0, first), row.find("taro").unwrap());
        let quoted = "1,\"ta,ro\"@example.com,x";
        let first = quoted.find(".com").unwrap() + 4;
        assert_eq!(email.starts.bound(quoted.as_bytes(), 0, first), 2);
    }

    #[test]
    fn a_line_whose_first_character_folds_away_starts_at_its_first_byte() {
        // A byte order mark inside a file, a zero-width space: the folded
        // line starts after them, its hits' line start may not (found by
        // fuzzing: a suppression check sliced inside the mark).
        let set = DetectorSet::load(&[]).unwrap();
        let mut scratch = set.scratch();
        let layout = Layout { first_is_header: false, fields: false };
        for mark in ["\u{FEFF}", "\u{200B}"] {
            let text = format!("x\n{mark}TEL 090-3333-4444\n{mark}Mr. Taro Yamada\n");
            let mut hits = Vec::new();
            set.detect(&text, None, layout, &mut scratch, &mut hits);
            let found: Vec<(&str, usize, usize, &str)> = hits
                .iter()
                .map(|h| (&**set.id(h.detector), h.line, h.line_start, &text[h.start..h.end]))
                .collect();
            let starts: Vec<usize> = text.match_indices('\n').map(|(i, _)| i + 1).collect();
            let expected = [
                ("jp.phone", 1, starts[0], "090-3333-4444"),
                ("jp.name-romaji", 2, starts[1], "Taro Yamada"),
            ];
            assert_eq!(found, expected, "{mark:?}");
        }
    }

    #[test]
    fn a_town_inside_an_address_is_no_name() {
        let set = DetectorSet::load(&[]).unwrap();
        let mut scratch = set.scratch();
        let mut hits = Vec::new();
        let layout = Layout { first_is_header: false, fields: true };
        let text = "高橋 太一\t岡山県西多摩郡日の出町大中20丁目9番16号\n";
        set.detect(text, None, layout, &mut scratch, &mut hits);
        let ids: Vec<&str> = hits.iter().map(|h| &**set.id(h.detector)).collect();
        assert_eq!(ids, ["jp.name-kanji", "jp.address"]);
        assert_eq!(&text[hits[0].start..hits[0].end], "高橋 太一");
        // The engine skips the address, and reads on after it.
        hits.clear();
        let text = "岡山県西多摩郡日の出町大中20丁目9番16号\t高橋様\n";
        set.detect(text, None, layout, &mut scratch, &mut hits);
        let found: Vec<(&str, &str)> =
            hits.iter().map(|h| (&**set.id(h.detector), &text[h.start..h.end])).collect();
        assert_eq!(
            found,
            [("jp.address", "岡山県西多摩郡日の出町大中20丁目9番16号"), ("jp.name-kanji", "高橋")]
        );
    }

    #[test]
    fn fields_layout_finds_labels_in_cells_of_their_own() {
        let set = DetectorSet::load(&[]).unwrap();
        let mut scratch = set.scratch();
        let mut found = |text: &str, fields: bool| {
            let mut hits = Vec::new();
            let layout = Layout { first_is_header: false, fields };
            set.detect(text, None, layout, &mut scratch, &mut hits);
            hits.iter().map(|h| set.id(h.detector).to_string()).collect::<Vec<_>>()
        };
        // A form table's row and an XML element: no anchor on the line.
        for text in ["氏名\t山田 太郎\n", "<name>山田 太郎</name>\n"] {
            assert_eq!(found(text, true), ["jp.name-kanji"], "{text}");
            // In prose, lines without an anchor are not looked at (cost).
            assert!(found(text, false).is_empty(), "{text}");
        }
        assert!(found("会社名\t山田商事\n", true).is_empty());
    }

    #[test]
    fn header_words() {
        let matches = |name, header| header_matches(&header_key(name), &header_key(header));
        assert!(matches("お客様電話番号", "電話番号"));
        assert!(matches("Phone_Number", "phone number"));
        assert!(matches("ＴＥＬ", "tel"), "folded");
        assert!(!matches("hotel", "tel"));
        assert!(!matches("電話", "電話番号"));
    }
}

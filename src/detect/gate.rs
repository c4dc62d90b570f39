//! The gate: one pass over a text by a few multi-pattern lazy DFAs that says,
//! for every line, which detectors' regexes match somewhere on it, and where
//! each one's first match there ends. Only those detectors then run their own
//! regex (with captures, validators and context rules) on that line, from
//! no earlier than that match can start.
//!
//! Without it, every detector anchored on digits searched every line holding
//! a digit: on logs, code and tables (where nearly every line holds one) the
//! text was read once per detector, about twenty times. A DFA that knows all
//! the patterns at once reads it once, at the speed of a single regex.
//!
//! The DFAs run with [`MatchKind::All`] in overlapping mode, so that every
//! pattern that can match anywhere is reported, whichever other pattern
//! matches at the same place: the gate says "may match", never less than the
//! per-line search would find, so findings are exactly those of running every
//! detector on every line.
//!
//! One DFA for all patterns would keep building states on digit-dense text
//! (several overlapping counted repetitions of digits multiply), so the
//! patterns are split into groups when the set is built: all patterns form
//! one group if, on a built-in sample of digit-dense text, their lazy DFA
//! stays under [`GROUP_MEMORY`]; otherwise each half is tried the same way,
//! and then groups whose union stays small are merged again (the built-in
//! set makes five groups; calibrating takes about 20 ms). Should a group's
//! cache still thrash on some text, its search gives up and its detectors run
//! on every line of that text, as they did before there was a gate.
//!
//! Detectors that need a keyword nearby get groups of their own, which read
//! only the lines within reach of a keyword (or every row of a table, whose
//! header is context): on logs and code that is almost nothing, and most
//! look-alike numbers there are matched only by such detectors' patterns.
//!
//! Patterns that can match a line break are left out (their matches could
//! belong to the line before), and run on every line their anchors pick.

use std::ops::Range;

use regex_automata::hybrid::dfa::{Cache, DFA, OverlappingState};
use regex_automata::nfa::thompson::{self, WhichCaptures};
use regex_automata::{Input, MatchKind};
use regex_syntax::hir::{Class, Hir, HirKind};

/// A group's lazy DFA may use this much memory on the calibration sample;
/// patterns whose union needs more are split into smaller groups.
const GROUP_MEMORY: usize = 1 << 20;

/// Pseudo-random lines in the calibration sample.
const LINES: usize = 300;

/// Each group's lazy DFA cache. Large enough that a group that passed
/// calibration rarely clears it.
const CACHE_CAPACITY: usize = 8 << 20;

/// Digit-dense text like the shares the gate is for: log lines (timestamps,
/// UUIDs, addresses, ids), code (constants, hex, asserts) and a table row.
const SAMPLE: &str = "\
2026-06-05T12:41:03.074Z WARN req=d272d137-1c17-149d-4395-36b3216fdaee ip=192.48.187.29 POST /api/v2/users/4323194875 500 590ms bytes=79917
2026-02-04T16:26:10.775Z INFO req=aabfe228-f219-e9cb-0eb5-3f16947ccf25 ip=172.77.250.215 PUT /api/v2/orders/6842684656 201 310ms
    assert_eq!(parse(\"250778021855\"), Ok(53)); const MASK: u64 = 0x7fff_ffff_0042_1337; if (count > 421) { n = 96 * 12 + 7; }
    static const double K33 = 98.466737422e-7; for (int i = 0; i < 65535; i += 3) { x[i] = 0.5 * 1.0e-3; }
12,中村 さくら,03-9702-9084,user12@example.com,京都府京都市下京区四条通7丁目20番9号 308号室,1980年2月1日,2024/11/30,0120-123-456
4111 1111 1111 1111 | 1234-5678-9012 | +81 90 1234 5678 | 〒100-0001 | DE89 3704 0044 0532 0130 00 | 1.2.3.4.5.6.7.8.9.10
";

/// The compiled gate of a detector set.
#[derive(Debug)]
pub(crate) struct Gate {
    groups: Vec<Group>,
    /// Bits of the detectors the gate speaks for; the rest always run.
    gated: u64,
}

/// Patterns searched together.
#[derive(Debug)]
struct Group {
    dfa: DFA,
    /// Its detectors need a keyword nearby (`context = "required"`): the
    /// group reads only the lines that can have one.
    needs_context: bool,
    /// Per pattern: its detector's bit.
    bits: Vec<u64>,
    /// All of `bits`.
    mask: u64,
}

/// Per-worker state of the gate.
#[derive(Debug, Default)]
pub(crate) struct Scratch {
    caches: Vec<Cache>,
}

/// Lines and the detectors that may match on them.
#[derive(Debug, Default)]
pub(crate) struct Flags {
    /// (line start, detector bit, where the detector's first match on the
    /// line ends), by line start: one entry per detector a line flags.
    firsts: Vec<(usize, u64, usize)>,
    /// Bits of detectors whose group gave up: they run on every line.
    everywhere: u64,
    /// Bits the gate decides; detectors outside it run wherever they did.
    gated: u64,
    /// Position of the first entry of the line last asked about.
    next: usize,
}

impl Flags {
    /// The entries of the line starting at `line_start`. Calls must come in
    /// increasing order of line start.
    fn line(&mut self, line_start: usize) -> &[(usize, u64, usize)] {
        while self.next < self.firsts.len() && self.firsts[self.next].0 < line_start {
            self.next += 1;
        }
        let rest = &self.firsts[self.next..];
        &rest[..rest.iter().take_while(|&&(start, ..)| start == line_start).count()]
    }

    /// The detector bits that may match on the line starting at
    /// `line_start`. Calls must come in increasing order of line start.
    pub(crate) fn at(&mut self, line_start: usize) -> u64 {
        let flagged = self.line(line_start).iter().fold(0, |m, &(_, bit, _)| m | bit);
        flagged | self.everywhere | !self.gated
    }

    /// Where the first match of the detector with `bit` on the line
    /// starting at `line_start` ends, if the gate knows. No match can start
    /// before it by more than the pattern's longest match, which lets the
    /// detector's own search skip the line's beginning on a table row.
    /// Calls must come in increasing order of line start.
    pub(crate) fn first_end(&mut self, line_start: usize, bit: u64) -> Option<usize> {
        if (self.everywhere | !self.gated) & bit != 0 {
            return None;
        }
        self.line(line_start).iter().find(|&&(_, b, _)| b == bit).map(|&(.., end)| end)
    }
}

impl Gate {
    /// Builds the gate over `patterns` (detector bit, regex, whether the
    /// detector needs a keyword nearby), none of which can match a line
    /// break ([`matches_newline`]).
    pub(crate) fn new(patterns: &[(u64, &str, bool)]) -> Result<Gate, String> {
        let mut chosen: [Vec<(u64, &str)>; 2] = Default::default();
        for &(bit, pattern, needs_context) in patterns {
            chosen[usize::from(needs_context)].push((bit, pattern));
        }
        let mut groups: Vec<Group> = Vec::new();
        for (needs_context, patterns) in chosen.iter().enumerate() {
            let from = groups.len();
            group(patterns, &mut groups)?;
            groups[from..].iter_mut().for_each(|g| g.needs_context = needs_context == 1);
        }
        let gated = groups.iter().fold(0, |m, g| m | g.mask);
        Ok(Gate { groups, gated })
    }

    /// Whether the gate decides where the detector with `bit` runs.
    #[cfg(test)]
    pub(crate) fn gates(&self, bit: u64) -> bool {
        self.gated & bit != 0
    }

    /// How many DFAs read each text.
    #[cfg(test)]
    pub(crate) fn groups(&self) -> usize {
        self.groups.len()
    }

    /// Fresh per-worker state.
    pub(crate) fn scratch(&self) -> Scratch {
        Scratch { caches: self.groups.iter().map(|g| g.dfa.create_cache()).collect() }
    }

    /// Which detectors may match on which lines of `t`, into `flags`.
    /// Detectors that need context are only looked for in `context`: line
    /// ranges of `t`, in order, outside which no line can have their
    /// keywords near it (and they would not run there anyway).
    pub(crate) fn flag(
        &self,
        t: &str,
        context: &[Range<usize>],
        scratch: &mut Scratch,
        flags: &mut Flags,
    ) {
        flags.firsts.clear();
        flags.next = 0;
        flags.everywhere = 0;
        flags.gated = self.gated;
        let whole = 0..t.len();
        for (group, cache) in self.groups.iter().zip(&mut scratch.caches) {
            let ranges = if group.needs_context { context } else { std::slice::from_ref(&whole) };
            for range in ranges {
                if !group.flag(t, range.clone(), cache, &mut flags.firsts) {
                    // The lazy DFA gave up (its cache kept filling): these
                    // detectors run on every line of this text.
                    flags.everywhere |= group.mask;
                    break;
                }
            }
        }
        // Each group lists its lines in order: merge the groups' lists (a
        // stable sort that finds runs is linear on one group's list).
        flags.firsts.sort_by_key(|&(start, ..)| start);
    }
}

/// Groups `patterns`: all together when their DFA stays small on the
/// sample, else each half on its own, recursively (halving builds far fewer
/// trial DFAs than adding one pattern at a time); then any two groups whose
/// union still stays small become one, as halving can cut a group that
/// needed no cut.
fn group(patterns: &[(u64, &str)], groups: &mut Vec<Group>) -> Result<(), String> {
    let mut lists: Vec<Vec<(u64, &str)>> = Vec::new();
    split(patterns, &mut lists)?;
    let mut i = 0;
    while i < lists.len() {
        let mut j = i + 1;
        while j < lists.len() {
            let union: Vec<(u64, &str)> = lists[i].iter().chain(&lists[j]).copied().collect();
            if sample_memory(&union)? <= GROUP_MEMORY {
                lists[i] = union;
                lists.remove(j);
            } else {
                j += 1;
            }
        }
        i += 1;
    }
    for list in lists {
        groups.push(Group::new(&list)?);
    }
    Ok(())
}

/// Halves `patterns` until each part's DFA stays small on the sample.
fn split<'p>(
    patterns: &[(u64, &'p str)],
    lists: &mut Vec<Vec<(u64, &'p str)>>,
) -> Result<(), String> {
    let n = patterns.len();
    if n == 0 {
        return Ok(());
    }
    if n == 1 || sample_memory(patterns)? <= GROUP_MEMORY {
        lists.push(patterns.to_vec());
        return Ok(());
    }
    split(&patterns[..n / 2], lists)?;
    split(&patterns[n / 2..], lists)
}

impl Group {
    fn new(patterns: &[(u64, &str)]) -> Result<Group, String> {
        let bits: Vec<u64> = patterns.iter().map(|&(b, _)| b).collect();
        let mask = bits.iter().fold(0, |m, b| m | b);
        Ok(Group { dfa: build(patterns)?, needs_context: false, bits, mask })
    }

    /// Adds, for each line of `t[range]` and each pattern matching on it,
    /// the pattern's bit and where its first match there ends to `firsts`;
    /// false if the DFA gave up.
    fn flag(
        &self,
        t: &str,
        range: Range<usize>,
        cache: &mut Cache,
        firsts: &mut Vec<(usize, u64, usize)>,
    ) -> bool {
        let bytes = t.as_bytes();
        let mut state = OverlappingState::start();
        let input = Input::new(t).range(range);
        // The line holding the last match end: its start, the end of the
        // line (its newline, or the text's end), the bits seen on it.
        let (mut line_start, mut line_end, mut seen) = (usize::MAX, 0, 0);
        loop {
            if self.dfa.try_search_overlapping_fwd(cache, &input, &mut state).is_err() {
                return false;
            }
            let Some(m) = state.get_match() else { return true };
            // Matches hold no line break, so the last byte of a match (or,
            // for an empty one, its position) is on its line.
            let last = m.offset().saturating_sub(1).min(bytes.len().saturating_sub(1));
            if line_start == usize::MAX || last >= line_end {
                line_start = memchr::memrchr(b'\n', &bytes[..last]).map_or(0, |n| n + 1);
                line_end = memchr::memchr(b'\n', &bytes[last..]).map_or(bytes.len(), |n| last + n);
                seen = 0;
            }
            let bit = self.bits[m.pattern().as_usize()];
            if seen & bit == 0 {
                // Matches come by end: the first is the earliest to end.
                seen |= bit;
                firsts.push((line_start, bit, m.offset()));
            }
        }
    }
}

/// The union DFA of `patterns`: every match of every pattern, no captures.
/// It gives up (rather than crawl) when its cache is cleared often while
/// each state covers few bytes.
fn build(patterns: &[(u64, &str)]) -> Result<DFA, String> {
    let regexes: Vec<&str> = patterns.iter().map(|&(_, p)| p).collect();
    DFA::builder()
        .syntax(super::syntax())
        .thompson(thompson::Config::new().which_captures(WhichCaptures::None))
        .configure(
            DFA::config()
                .match_kind(MatchKind::All)
                .cache_capacity(CACHE_CAPACITY)
                .skip_cache_capacity_check(true)
                .minimum_cache_clear_count(Some(8))
                .minimum_bytes_per_state(Some(10)),
        )
        .build_many(&regexes)
        .map_err(|e| e.to_string())
}

/// Lines shaped like [`SAMPLE`]'s with pseudo-random digits: a DFA whose
/// states are reused reads them with few new states, one that blows up keeps
/// adding states for every new combination of digits.
fn sample() -> String {
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = |n: u64| {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x % n
    };
    let mut out = String::from(SAMPLE);
    for _ in 0..LINES {
        out += &format!(
            "2026-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z req={:08x}-{:04x}-{:04x} ip=10.{}.{}.{} /v2/{} {} {}ms {}-{}-{} {} 0x{:x}\n",
            next(12) + 1,
            next(28) + 1,
            next(24),
            next(60),
            next(60),
            next(1000),
            next(1 << 32),
            next(1 << 16),
            next(1 << 16),
            next(256),
            next(256),
            next(256),
            next(10_000_000_000),
            next(600),
            next(2000),
            next(10_000),
            next(10_000),
            next(100_000),
            next(1 << 40),
            next(1 << 60)
        );
    }
    out
}

/// The memory the union DFA of `patterns` uses to read [`sample`] (more
/// than [`GROUP_MEMORY`]: it stops there, as building states is what costs
/// time).
fn sample_memory(patterns: &[(u64, &str)]) -> Result<usize, String> {
    let dfa = build(patterns)?;
    let mut cache = dfa.create_cache();
    for line in sample().lines() {
        let input = Input::new(line);
        let mut state = OverlappingState::start();
        loop {
            if dfa.try_search_overlapping_fwd(&mut cache, &input, &mut state).is_err() {
                return Ok(usize::MAX);
            }
            if state.get_match().is_none() {
                break;
            }
        }
        if cache.memory_usage() > GROUP_MEMORY {
            break;
        }
    }
    Ok(cache.memory_usage())
}

/// Whether some match of `hir` can hold a line break: such a pattern stays
/// out of the gate, as its matches could belong to the line before.
pub(crate) fn matches_newline(hir: &Hir) -> bool {
    match hir.kind() {
        HirKind::Empty | HirKind::Look(_) => false,
        HirKind::Literal(lit) => lit.0.contains(&b'\n'),
        HirKind::Class(Class::Unicode(c)) => {
            c.ranges().iter().any(|r| r.start() <= '\n' && '\n' <= r.end())
        }
        HirKind::Class(Class::Bytes(c)) => {
            c.ranges().iter().any(|r| r.start() <= b'\n' && b'\n' <= r.end())
        }
        HirKind::Repetition(r) => matches_newline(&r.sub),
        HirKind::Capture(c) => matches_newline(&c.sub),
        HirKind::Concat(subs) | HirKind::Alternation(subs) => subs.iter().any(matches_newline),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use regex_automata::util::syntax;

    #[test]
    fn lines_list_the_patterns_that_match_on_them() {
        let gate = Gate::new(&[
            (1, "([0-9]{3}-[0-9]{4})", false),
            (2, "(@)", false),
            (4, "x([0-9]+)", false),
        ])
        .unwrap();
        let t = "a 123-4567\nnone\nb@c x12\n\nx9";
        // Per line and pattern, where its earliest match ends: `x12` ends
        // at 23, `x1` at 22; `x9` at 27.
        let mut flags = Flags::default();
        gate.flag(t, &[], &mut gate.scratch(), &mut flags);
        assert_eq!(flags.firsts, [(0, 1, 10), (16, 2, 18), (16, 4, 22), (25, 4, 27)]);
        let at = [flags.at(0), flags.at(11), flags.at(16), flags.at(24)];
        assert_eq!(at.map(|bits| bits & 7), [1, 0, 6, 0]);
        assert_eq!(at.map(|bits| bits & 8), [8; 4], "patterns outside the gate always run");
        let mut flags = Flags::default();
        gate.flag(t, &[], &mut gate.scratch(), &mut flags);
        assert_eq!(flags.first_end(0, 1), Some(10));
        assert_eq!(flags.first_end(16, 2), Some(18));
        assert_eq!(flags.first_end(16, 4), Some(22));
        assert_eq!(flags.first_end(16, 1), None);
        assert_eq!(flags.first_end(25, 4), Some(27));
        assert_eq!(flags.first_end(25, 8), None, "not gated: unknown");
    }

    #[test]
    fn patterns_that_can_match_a_line_break_are_told() {
        let crosses =
            |p: &str| matches_newline(&syntax::parse_with(p, &super::super::syntax()).unwrap());
        assert!(crosses("a[\\s]b"));
        assert!(crosses("(?s)x.y"));
        assert!(crosses("([^,]+)"), "a negated class holds the line break");
        assert!(!crosses("([0-9]{7})"));
        assert!(!crosses("(a.b)"), "`.` stops at a line break");
        assert!(!crosses("([^,\\n]+)"));
    }

    #[test]
    fn the_builtin_detectors_take_several_groups_each_in_one() {
        // Together, the built-in patterns' DFA keeps growing on digit-dense
        // text (measured: its 8 MiB cache cleared on every 4 MiB of logs).
        let set = crate::detect::DetectorSet::load(&[]).unwrap();
        let gate = &set.gate;
        assert!(gate.groups() > 1, "{}", gate.groups());
        let mut seen = 0u64;
        for group in &gate.groups {
            assert_eq!(group.mask & seen, 0, "a detector in two groups");
            seen |= group.mask;
        }
        assert_eq!(seen, gate.gated);
        assert!(sample_memory(&[(1, "([0-9]{7})")]).unwrap() < GROUP_MEMORY);
    }
}

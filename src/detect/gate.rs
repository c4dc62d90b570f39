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
//! The DFAs are built with [`MatchKind::All`] and walked byte by byte (see
//! [`walk`]), every match state's patterns read, so that every pattern that
//! can match anywhere is reported, whichever other pattern matches at the
//! same place: the gate says "may match", never less than the
//! per-line search would find, so findings are exactly those of running every
//! detector on every line.
//!
//! One DFA for all patterns would keep building states on digit-dense text
//! (several overlapping counted repetitions of digits multiply), so the
//! patterns are split into groups when the set is built: all patterns form
//! one group if, on a built-in sample of digit-dense text, their lazy DFA
//! stays under [`GROUP_MEMORY`]; otherwise each half is tried the same way,
//! and then groups whose union stays small are merged again (the built-in
//! set makes four groups; calibrating takes about 40 ms, so the built-in
//! set's grouping is stored, and serves any part of it too:
//! [`BUILTIN_GROUPS`]). Should a group's
//! cache still thrash on some text, its search gives up and its detectors run
//! on every line of that text, as they did before there was a gate.
//!
//! Detectors that need a keyword nearby get groups of their own, which read
//! only the lines within reach of a keyword of one of their detectors (or
//! every row of a table whose header names one of them, or that holds one's
//! keyword): on logs and code that is almost nothing, and most look-alike
//! numbers there are matched only by such detectors' patterns. A detector
//! every match of which holds one of a few words ([`marks`]: `gender`,
//! `Mr.`, `丁目` or a prefecture, an honorific after a katakana name)
//! joins those groups too, read on the lines that hold one of its words
//! (and one of another part's besides, where it has such: [`also`], the
//! middle dot of a katakana name);
//! the group that reads every byte keeps the patterns of digits, signs and
//! classes, and reads their letters by case alone ([`coarse`]). It also
//! flags the lines where a Latin name may be, for the name engine
//! ([`super::names::LATIN_CANDIDATE`], taken out with [`Flags::take_lines`]).
//!
//! A detector's own search reads one line: the gate reads each pattern as
//! it reads a line ([`line_local`]: `$` ends a line, classes hold no line
//! break), so a match never belongs to the line before.
//!
//! The groups' DFAs are built from the patterns [`widen`]ed: a counted
//! repetition whose counts are two or more apart (`{0,20}`, `{2,4}`)
//! becomes open-ended. The gate only has to find every match of a pattern
//! among its own, and a DFA counting such repetitions keeps a state per
//! count, multiplied across the patterns of its group: on this
//! repository's sources (code mixed with Japanese) the first group's
//! states took two fifths of the scan to build, and widening took 23% of
//! its instructions away.
//!
//! What bounds the walk (4 MB of each of logs, code and prose): one group
//! alone reads 470–570 MB/s, each step waiting on the table load of the
//! step before, which is about ripgrep's speed over the same text; two
//! groups and the keyword rider, in one loop, read 300–480 MB/s, their
//! loads overlapped. The loop runs at the pace of its longest chain of
//! dependent operations, about six cycles a byte: a DFA's step is an add
//! and a load, the rider's an `or` and a load (with a mask besides, the
//! rider's chain was the longest, and logs, code and prose took 5–10%
//! longer: [`super::words`]). So a region of 16 KB or more is read in
//! lanes, its parts side by side, one state per lane for each DFA and the
//! rider ([`walk_lanes`]): in two lanes, two chains where there was one,
//! their loads overlapped, and logs, code and prose took 8–12% less time.
//! With the chains overlapped, the loop's length sets the pace, and the
//! patterns that read every byte are now one group (see [`GROUP_MEMORY`]):
//! one DFA and the rider per lane, in three lanes, whose six states the
//! loop holds in registers as it held two groups' and the rider's in two
//! lanes. Three lanes against two, in pairs on 32 MB of each kind: code
//! 11% less time, logs 8%, prose 5%; four lanes were no faster than three
//! (their states spill). Taking two bytes a step,
//! to test the six states at once, ran 3.5% fewer instructions on logs in
//! the same time. Measured and dropped: table loads without
//! bounds checks (5–8% faster: not worth `unsafe`), Hyperscan 5.4 over
//! the same patterns (100–170 MB/s, the two longest address patterns
//! refused as too large), and the groups' DFAs without byte classes, so
//! that a step indexes by the byte itself (15–19% slower on logs and
//! prose: each state's row grows to 257 entries, one per byte and one for
//! the end, and more of them miss the cache). Groups that read the same
//! region share loops two by two ([`walk`]), and a match state of one
//! group takes every group of its loop through the full step.
//!
//! A table whose header names detectors that need context gives every
//! row context for them: there the patterns of every detector that needs
//! context and has it in the table form a group of their own, built for
//! that header and kept, which reads the table in one loop with the
//! group that reads every byte ([`Gate::flag_table`]). On 8 MB of a
//! customer table (phone, address and birth date named) that took 7.4%
//! of the scan's instructions away: the groups that read every row were
//! four, in two loops of two.
//!
//! Building states is most of a small scan: on this repository's own
//! sources (1.4 MB of Rust with Japanese test data) the first group's lazy
//! DFA grew to 6 MB, and working out new states was two fifths of the
//! instructions. With the patterns marked by words read apart and the
//! letters coarsened, that group tells 57 classes of bytes apart (43 in
//! ASCII) where it told 181 (95), its NFA has 1,141 states where it had
//! 3,515, and a scan of those sources runs 25% fewer instructions (8 MB of
//! logs 10%, of code 2%; prose the same, its lines with an honorific read
//! a second time, as regions of their own). The four patterns that cannot match ASCII alone (the
//! Japanese addresses, the bank account after 普通/当座, the katakana name
//! with an honorific) were measured in a group of their own that reads
//! only the lines holding a byte outside ASCII: 14% fewer instructions on
//! those sources and 1% fewer on logs and code, but prose, half of whose
//! lines are Japanese, took 15% longer, so it was dropped for the
//! widening above.

use std::borrow::Cow;
use std::collections::HashMap;
use std::ops::Range;
use std::sync::{Arc, Mutex};

use regex_automata::hybrid::LazyStateID;
use regex_automata::hybrid::dfa::{Cache, DFA, OverlappingState};
use regex_automata::{Input, MatchKind};
use regex_syntax::hir::{Class, Hir, HirKind};

/// A group's lazy DFA may use this much memory on the calibration sample
/// (by kind: the groups that read every byte, those that read near
/// keywords); patterns whose union needs more are split into smaller
/// groups.
///
/// The patterns that read every byte fit one group at 1 MB (527 KB on the
/// sample; on 4 MB files 700 KB of states on logs, 175 KB on code, 610 KB
/// on prose, 1.9 MB on a customer table): one DFA and the rider step at
/// each byte, not two and the rider. At 512 KB they made two groups of ten,
/// and while one lane read a text that was faster (a step waits on the
/// table load of the step before, and two DFAs wait side by side); in two
/// lanes ([`walk_lanes`]) the waits overlap anyway, and the loop's length
/// sets the pace. One group against two, in pairs on 32 MB of each kind:
/// logs 11% less time, code 21%, prose 8%, a customer table 1%; once its
/// states are built, 26%, 35%, 25% and 4% fewer instructions. Building the
/// larger DFA's states costs more at first: a scan of 13 MB of small mixed
/// documents ran 3% more instructions, of this repository's sources (with
/// 1 MB of Japanese name lists) 15% more, and of them twice over 5% more.
///
/// The keyword groups in one at 1 MB made prose 9% slower and a customer
/// table 4%; at 512 KB (two groups, not three), the table 2% faster and
/// prose 2% slower.
const GROUP_MEMORY: [usize; 2] = [1 << 20, 1 << 18];

/// The fewest bytes of a region read in lanes ([`walk_lanes`]): each
/// lane's start costs a state search, and a lane of a few lines hardly
/// overlaps the others.
pub(super) const LANES_FROM: usize = 16 << 10;

/// The most lanes a region is read in: three when one group reads it,
/// two when two do (see [`walk`]).
const MAX_LANES: usize = 3;

/// Pseudo-random lines in the calibration sample.
const LINES: usize = 300;

/// The fewest bytes of a table read with a group of its own
/// ([`Gate::flag_table`]). Building one, with its first states, took
/// 3.7 M instructions on a table of 50 rows: what reading the old way
/// costs more on some 120 KB of a customer table. Most groups are built
/// once and serve every table with the same header, but a small table
/// with a header not seen yet would pay for one.
pub(super) const TABLE_FROM: usize = 64 << 10;

/// How many tables' own groups ([`Gate::table_group`]) the gate keeps, and
/// each worker keeps caches for: a share's tables mostly have a few
/// headers, and each group and cache holds memory.
const TABLE_GROUPS: usize = 4;

/// Each group's lazy DFA cache. Large enough that a group that passed
/// calibration rarely clears it.
const CACHE_CAPACITY: usize = 8 << 20;

/// Digit-dense text like the shares the gate is for: log lines (timestamps,
/// UUIDs, addresses, ids), code (constants, hex, asserts) and a table row.
pub(super) const SAMPLE: &str = "\
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
    /// The patterns of the groups that need context, as those read them
    /// (detector bit, pattern): a table's own group is built from some of
    /// them ([`Gate::table_group`]). Kept as read, not as written: parsed
    /// again for a table, they took 25 M instructions.
    context_patterns: Vec<(u64, Hir)>,
    /// The tables' own groups built so far, by the bits of their detectors:
    /// at most [`TABLE_GROUPS`].
    tables: Mutex<Vec<Arc<Group>>>,
    /// Bits of the detectors the gate speaks for; the rest always run.
    gated: u64,
    /// The fewest bytes of a region read in lanes: [`LANES_FROM`]
    /// (a test reads every region in one).
    pub(crate) lanes_from: usize,
    /// The fewest bytes of a table read with a group of its own:
    /// [`TABLE_FROM`] (a test reads every table the other way).
    pub(crate) table_from: usize,
    /// What it was built from, for a test to calibrate again.
    #[cfg(test)]
    patterns: Vec<(u64, String, bool)>,
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
    /// The caches of the tables' own groups this worker read with, the
    /// latest last: at most [`TABLE_GROUPS`].
    tables: Vec<(Arc<Group>, Cache)>,
}

/// One line's matches of one detector, as the gate saw them: (line start,
/// detector bit, where its first match there ends, where its last ends).
type Ends = (usize, u64, usize, usize);

/// Lines and the detectors that may match on them.
#[derive(Debug, Default)]
pub(crate) struct Flags {
    /// By line start: one entry per detector a line flags (two where
    /// detectors past the 63rd share a bit across groups).
    ends: Vec<Ends>,
    /// Bits of detectors whose group gave up: they run on every line.
    everywhere: u64,
    /// Bits the gate decides; detectors outside it run wherever they did.
    gated: u64,
    /// The entries of the line last asked about (`ends[line]`), and where
    /// it starts: a table row is asked once for its flags and then once per
    /// detector that runs on it.
    line: Range<usize>,
    line_start: Option<usize>,
}

impl Flags {
    /// The entries of the line starting at `line_start`. Calls must come in
    /// increasing order of line start.
    fn line(&mut self, line_start: usize) -> &[Ends] {
        if self.line_start != Some(line_start) {
            let mut next = self.line.end;
            while next < self.ends.len() && self.ends[next].0 < line_start {
                next += 1;
            }
            let rest = &self.ends[next..];
            let len = rest.iter().take_while(|&&(start, ..)| start == line_start).count();
            (self.line, self.line_start) = (next..next + len, Some(line_start));
        }
        &self.ends[self.line.clone()]
    }

    /// The detector bits that may match on the line starting at
    /// `line_start`. Calls must come in increasing order of line start.
    pub(crate) fn at(&mut self, line_start: usize) -> u64 {
        let flagged = self.line(line_start).iter().fold(0, |m, &(_, bit, ..)| m | bit);
        flagged | self.everywhere | !self.gated
    }

    /// Takes the entries of the detectors in `mask` out, the starts of
    /// their lines (each once, in order) onto `lines`: an engine that reads
    /// those lines itself, and that the line loop is not to visit them for.
    /// Called before any line is asked about.
    pub(crate) fn take_lines(&mut self, mask: u64, lines: &mut Vec<usize>) {
        lines.clear();
        if mask == 0 {
            return;
        }
        self.ends.retain(|&(start, bit, ..)| {
            if bit & mask == 0 {
                return true;
            }
            if lines.last() != Some(&start) {
                lines.push(start);
            }
            false
        });
    }

    /// Whether the gate alone says where the detectors in `mask` may run:
    /// none is outside it (past the 63rd) nor in a group that gave up.
    pub(crate) fn decides(&self, mask: u64) -> bool {
        (self.everywhere | !self.gated) & mask == 0
    }

    /// The start of the first line at or after `pos` that the gate flags
    /// for some detector. Calls must come with `pos` not decreasing, and
    /// not before a line asked of [`Flags::at`].
    pub(crate) fn next_line(&self, pos: usize) -> Option<usize> {
        let behind = self.line.end;
        let i = behind + super::partition_point_near(&self.ends[behind..], |&(s, ..)| s < pos);
        self.ends.get(i).map(|&(start, ..)| start)
    }

    /// Where the first and the last match of the detector with `bit` on the
    /// line starting at `line_start` end, if the gate knows. No match can
    /// start before the first end by more than the pattern's longest match,
    /// nor end after the last: the detector's own search reads only the part
    /// of the line between (on a table row, one cell or two).
    /// Calls must come in increasing order of line start.
    pub(crate) fn ends(&mut self, line_start: usize, bit: u64) -> Option<(usize, usize)> {
        if (self.everywhere | !self.gated) & bit != 0 {
            return None;
        }
        self.line(line_start).iter().filter(|&&(_, b, ..)| b == bit).fold(
            None,
            |span, &(.., f, l)| {
                Some(
                    span.map_or((f, l), |(first, last): (usize, usize)| {
                        (first.min(f), last.max(l))
                    }),
                )
            },
        )
    }
}

impl Gate {
    /// [`Gate::parsed`] of patterns not parsed yet.
    #[cfg(test)]
    pub(crate) fn new(patterns: &[(u64, &str, bool)]) -> Result<Gate, String> {
        let parse = |p| regex_automata::util::syntax::parse_with(p, &super::syntax()).unwrap();
        let hirs: Vec<Hir> = patterns.iter().map(|&(_, p, _)| parse(p)).collect();
        Gate::parsed(patterns, &hirs.iter().collect::<Vec<_>>())
    }

    /// Builds the gate over `patterns` (detector bit, regex, whether the
    /// detector needs a keyword nearby), each read as it reads a line
    /// ([`line_local`]); `hirs[i]` is `patterns[i]` parsed (the
    /// detector set parses each once, for its own regex and for the gate:
    /// parsing them again was a seventh of start-up).
    pub(crate) fn parsed(patterns: &[(u64, &str, bool)], hirs: &[&Hir]) -> Result<Gate, String> {
        let mut chosen: [Vec<(u64, &str)>; 2] = Default::default();
        for &(bit, pattern, needs_context) in patterns {
            chosen[usize::from(needs_context)].push((bit, pattern));
        }
        assert_eq!(patterns.len(), hirs.len(), "one parsed form per pattern");
        // Each pattern read as the groups read it, and then each group's
        // DFA, side by side inside a pool ([`super::map_each`]): the gate
        // is a quarter of start-up's instructions, and built one group
        // after the other it held the other threads up (a scan of an empty
        // directory on two threads took a tenth longer).
        let read: Vec<(&Hir, bool)> = hirs
            .iter()
            .zip(patterns)
            .map(|(&h, &(.., needs_context))| (h, !needs_context))
            .collect();
        let widened: Vec<Cow<'_, Hir>> = super::map_each(&read, |&(h, coarse)| as_read(h, coarse));
        let parsed: HashMap<&str, &Hir> =
            patterns.iter().zip(&widened).map(|(&(_, p, _), h)| (p, &**h)).collect();
        let mut chosen_groups: Vec<Chosen<'_>> = Vec::new();
        for (needs_context, patterns) in chosen.iter().enumerate() {
            let mut trials = Trials { tried: HashMap::new(), parsed: &parsed };
            let lists = match known_groups(patterns, BUILTIN_GROUPS[needs_context]) {
                Some(lists) => lists,
                None => calibrate(patterns, &mut trials, GROUP_MEMORY[needs_context])?,
            };
            for list in lists {
                let members = members(patterns, &list);
                let tried = trials.tried.remove(&Trials::key(&members)).map(|(_, dfa)| dfa);
                chosen_groups.push(Chosen { needs_context: needs_context == 1, members, tried });
            }
        }
        let untried: Vec<&[(u64, &str)]> =
            chosen_groups.iter().filter(|c| c.tried.is_none()).map(|c| &c.members[..]).collect();
        let mut built = super::map_each(&untried, |members| build(members, &parsed)).into_iter();
        let mut groups: Vec<Group> = Vec::new();
        for Chosen { needs_context, members, tried } in chosen_groups {
            let dfa = match tried {
                Some(dfa) => dfa,
                None => built.next().expect("one built per untried group")?,
            };
            let mut group = Group::new(&members, dfa);
            group.needs_context = needs_context;
            groups.push(group);
        }
        let gated = groups.iter().fold(0, |m, g| m | g.mask);
        // Most are read widened, and so are copies already: those are kept
        // as they are (a copy of each took 1.5% of start-up).
        let context_patterns = (patterns.iter().zip(widened))
            .filter(|&(&(.., needs_context), _)| needs_context)
            .map(|(&(bit, ..), hir)| (bit, hir.into_owned()))
            .collect();
        Ok(Gate {
            groups,
            context_patterns,
            tables: Default::default(),
            gated,
            lanes_from: LANES_FROM,
            table_from: TABLE_FROM,
            #[cfg(test)]
            patterns: patterns.iter().map(|&(b, p, c)| (b, p.to_string(), c)).collect(),
        })
    }

    /// Whether the gate decides where the detector with `bit` runs.
    #[cfg(test)]
    pub(crate) fn gates(&self, bit: u64) -> bool {
        self.gated & bit != 0
    }

    /// What it was built from: (detector bit, pattern, whether it is read
    /// only where the keyword walk says).
    #[cfg(test)]
    pub(crate) fn patterns(&self) -> &[(u64, String, bool)] {
        &self.patterns
    }

    /// How many DFAs read each text.
    #[cfg(test)]
    pub(crate) fn groups(&self) -> usize {
        self.groups.len()
    }

    /// Each group's detectors (their bits) and whether they need context,
    /// in order.
    #[cfg(test)]
    pub(crate) fn members(&self) -> Vec<(u64, bool)> {
        self.groups.iter().map(|g| (g.mask, g.needs_context)).collect()
    }

    /// Fresh per-worker state.
    pub(crate) fn scratch(&self) -> Scratch {
        let caches = self.groups.iter().map(|g| g.dfa.create_cache()).collect();
        Scratch { caches, tables: Vec::new() }
    }

    /// The group of a table for the detectors of `wanted`: the patterns of
    /// those of them that need context, in one DFA, with this worker's
    /// cache for it. None where none of them needs context, or the DFA
    /// cannot be built.
    fn table_group<'s>(
        &self,
        wanted: u64,
        tables: &'s mut Vec<(Arc<Group>, Cache)>,
    ) -> Option<&'s mut (Arc<Group>, Cache)> {
        let members: Vec<&(u64, Hir)> =
            self.context_patterns.iter().filter(|(bit, _)| wanted & bit != 0).collect();
        let mask = members.iter().fold(0, |m, (bit, _)| m | bit);
        if mask == 0 {
            return None;
        }
        if let Some(i) = tables.iter().position(|(g, _)| g.mask == mask) {
            return Some(&mut tables[i]);
        }
        let group = {
            let mut built = self.tables.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
            match built.iter().find(|g| g.mask == mask) {
                Some(g) => Arc::clone(g),
                None => {
                    let hirs: Vec<&Hir> = members.iter().map(|(_, h)| h).collect();
                    let dfa = build_hirs(&hirs).ok()?;
                    let bits = members.iter().map(|&&(bit, _)| bit).collect();
                    let group = Arc::new(Group { dfa, needs_context: false, bits, mask });
                    if built.len() == TABLE_GROUPS {
                        built.remove(0);
                    }
                    built.push(Arc::clone(&group));
                    group
                }
            }
        };
        if tables.len() == TABLE_GROUPS {
            tables.remove(0);
        }
        let cache = group.dfa.create_cache();
        tables.push((group, cache));
        tables.last_mut()
    }

    /// Which detectors may match on which lines of `t`, into `flags`.
    /// `rider` reads every byte of `t` in the same loop as the groups that
    /// read all of it; then detectors that need context are only looked for
    /// in its [`Rider::context`]: line ranges of `t`, in order, outside
    /// which no line can have their keywords near it (and they would not
    /// run there anyway).
    pub(crate) fn flag(
        &self,
        t: &str,
        rider: &mut impl Rider,
        scratch: &mut Scratch,
        flags: &mut Flags,
    ) {
        flags.ends.clear();
        (flags.line, flags.line_start) = (0..0, None);
        flags.everywhere = 0;
        flags.gated = self.gated;
        let everywhere = rider.everywhere();
        let lanes_from = self.lanes_from;
        let context_mask =
            self.groups.iter().filter(|g| g.needs_context).fold(0, |m, g| m | g.mask);
        if everywhere & context_mask != 0 && t.len() >= self.table_from {
            self.flag_table(t, rider, scratch, flags, context_mask);
        } else {
            // Groups that read the same ranges walk them together
            // ([`walk`]): those that read every line, with the rider and
            // with those that need context where every line may have it
            // (a table too small for a group of its own).
            let (with_context, without): (Vec<_>, Vec<_>) =
                self.groups.iter().zip(&mut scratch.caches).partition(
                    |(g, _): &(&Group, &mut Cache)| g.needs_context && g.mask & everywhere == 0,
                );
            let whole = Region { lines: 0..t.len(), detectors: !0 };
            let whole = std::slice::from_ref(&whole);
            flags.everywhere |= walk(without, t, whole, &mut flags.ends, rider, lanes_from);
            let context = rider.context();
            flags.everywhere |=
                walk(with_context, t, context, &mut flags.ends, &mut Idle, lanes_from);
        }
        // Each group lists its lines in order: merge the groups' lists (a
        // stable sort that finds runs is linear on one group's list).
        flags.ends.sort_by_key(|&(start, ..)| start);
    }

    /// [`Gate::flag`] of a table whose header names detectors that need
    /// context (`context_mask`: the bits of all such detectors). Every row
    /// of it has context for them, and for those with a keyword or a mark
    /// anywhere in it: so the rider reads it first, alone, and then the
    /// groups that read every byte and the table's own group
    /// ([`Gate::table_group`]) of all those read it together, in one loop
    /// and one lane.
    ///
    /// The rider reads in three lanes where the table is long enough
    /// (`lanes_from`), as the group that reads every byte reads other texts.
    ///
    /// Read with the rider, as other texts are, the groups of the
    /// detectors that need context read every row too, each for one or two
    /// of its detectors, and the groups that read it were four, in two
    /// loops of two, or three loops where the rider found a keyword of a
    /// group the header named nothing of.
    fn flag_table(
        &self,
        t: &str,
        rider: &mut impl Rider,
        scratch: &mut Scratch,
        flags: &mut Flags,
        context_mask: u64,
    ) {
        let state = rider.start();
        let bytes = t.as_bytes();
        let mut riding = Riding { rider: &mut *rider, state };
        // In three lanes ([`walk_lanes`] of no group; their lists of ends
        // stay empty): in one, each step waited on the load of the step
        // before, and a customer table took about a hundredth longer.
        if t.len() >= self.lanes_from
            && let Some(line_start) = riding.rider.line_start()
            && let Some(parts) = parts(bytes, 0..t.len())
        {
            let none = [&mut Vec::new(), &mut Vec::new(), &mut Vec::new()];
            walk_lanes([], t, parts, none, &mut riding, line_start);
        } else {
            ride(&mut riding, bytes, 0..t.len());
        }
        // On a table the rider's regions are all of it, for every detector
        // with context anywhere in it ([`super::ContextWords::walk`]).
        let wanted = rider.context().iter().fold(0, |m, r| m | r.detectors) & context_mask;
        let mut groups: Vec<(&Group, &mut Cache)> = Vec::new();
        let mut context_groups = Vec::new();
        for (g, cache) in self.groups.iter().zip(&mut scratch.caches) {
            if g.needs_context { context_groups.push((g, cache)) } else { groups.push((g, cache)) }
        }
        // The detectors that need context and have none here are not read;
        // the bits of the groups read are (a bit that detectors past the
        // 63rd share may stand for some that need context and some not).
        let read = groups.iter().fold(!(context_mask & !wanted), |m, (g, _)| m | g.mask);
        let whole = Region { lines: 0..t.len(), detectors: read };
        let lanes_from = match self.table_group(wanted, &mut scratch.tables) {
            // Two groups, each in a match state every few bytes: one lane
            // (see [`walk`]).
            Some((group, cache)) => {
                groups.push((&**group, cache));
                usize::MAX
            }
            None => {
                groups.extend(context_groups);
                self.lanes_from
            }
        };
        flags.everywhere |=
            walk(groups, t, std::slice::from_ref(&whole), &mut flags.ends, &mut Idle, lanes_from);
    }
}

/// `hir` with every long counted repetition (`{0,20}`) made open-ended
/// (`{0,}`): a DFA counts such a repetition with a state per count, and
/// several of them in one group multiply (the Japanese address pattern
/// holds 22 such). The gate only needs every match of a pattern among
/// its own: a real match still ends where the widened pattern ends a
/// match, so the lines it flags and the span it hands a detector cover
/// every real match (see [`Flags::ends`]).
fn widen(hir: &Hir) -> Option<Hir> {
    if let HirKind::Repetition(r) = hir.kind() {
        let max = r.max.filter(|&max| max - r.min < WIDEN);
        if max != r.max {
            let sub = Box::new(widen(&r.sub).unwrap_or_else(|| (*r.sub).clone()));
            let repetition =
                regex_syntax::hir::Repetition { min: r.min, max, greedy: r.greedy, sub };
            return Some(Hir::repetition(repetition));
        }
    }
    rebuilt(hir, widen)
}

/// `hir` with `change` applied to its sub-expressions, or `None` when it
/// changes none of them: only what changes is built again. Cloning the
/// parts that stay, the address patterns' large classes of kanji among
/// them, took 2% of start-up ([`widen`], [`line_local`]).
fn rebuilt(hir: &Hir, change: fn(&Hir) -> Option<Hir>) -> Option<Hir> {
    use regex_syntax::hir::{Capture, Repetition};
    let list = |subs: &[Hir]| -> Option<Vec<Hir>> {
        let changed: Vec<Option<Hir>> = subs.iter().map(change).collect();
        changed.iter().any(Option::is_some).then(|| {
            changed.into_iter().zip(subs).map(|(c, s)| c.unwrap_or_else(|| s.clone())).collect()
        })
    };
    match hir.kind() {
        // The fields one by one: `..r.clone()` would clone the old sub too.
        HirKind::Repetition(r) => change(&r.sub).map(|sub| {
            let (min, max, greedy, sub) = (r.min, r.max, r.greedy, Box::new(sub));
            Hir::repetition(Repetition { min, max, greedy, sub })
        }),
        HirKind::Capture(c) => change(&c.sub).map(|sub| {
            let (index, name, sub) = (c.index, c.name.clone(), Box::new(sub));
            Hir::capture(Capture { index, name, sub })
        }),
        HirKind::Concat(parts) => list(parts).map(Hir::concat),
        HirKind::Alternation(parts) => list(parts).map(Hir::alternation),
        _ => None,
    }
}

/// `hir` as the groups' DFAs read it: as it reads a line ([`line_local`]),
/// [`widen`]ed, and, for the groups that read every byte, with its ASCII
/// letters [`coarse`]ned.
fn as_read(hir: &Hir, coarsen: bool) -> Cow<'_, Hir> {
    let local = line_local(hir);
    let wide = widen(local.as_ref().unwrap_or(hir)).or(local);
    let coarse = coarsen.then(|| coarse(wide.as_ref().unwrap_or(hir))).flatten();
    match coarse.or(wide) {
        Some(read) => Cow::Owned(read),
        None => Cow::Borrowed(hir),
    }
}

/// `hir` with every ASCII letter it reads standing for every letter of
/// its case (`Ave` reads as `[A-Z][a-z][a-z]`), or `None` when it reads
/// none. A lazy DFA works out a state's transition once per class of
/// bytes its patterns tell apart, and the street suffixes, US state codes
/// and UK postcodes of the group that reads every byte made each ASCII
/// letter a class of its own (95 of its 181 classes): on code and English
/// text every state met a dozen letters, and working out transitions was
/// half of a scan of this repository's sources. The coarser pattern
/// matches wherever the pattern does, so the gate still flags every line
/// and every span a match can be in ([`Flags::ends`]); where it flags a
/// line for nothing, the detector's own search finds nothing there.
///
/// Patterns marked by a word (`gender`, `Mr.`, a prefecture) are not read
/// so: coarsened, they matched nearly every line of English, and their
/// detectors ran on them. They are read by the groups of the detectors that
/// need context, on the lines that hold one of their words ([`marks`]).
fn coarse(hir: &Hir) -> Option<Hir> {
    use regex_syntax::hir::{ClassBytes, ClassBytesRange, ClassUnicode, ClassUnicodeRange};
    const CASES: [(u8, u8); 2] = [(b'A', b'Z'), (b'a', b'z')];
    let case = |b: u8| CASES.into_iter().find(|&(lo, hi)| (lo..=hi).contains(&b));
    match hir.kind() {
        // A run of letters of one case reads as a counted class
        // (`[a-z]{4}`): one node, not one per letter.
        HirKind::Literal(lit) if lit.0.iter().any(u8::is_ascii_alphabetic) => {
            let runs = lit.0.chunk_by(|&a, &b| case(a) == case(b)).map(|run| match case(run[0]) {
                Some((lo, hi)) => {
                    let class =
                        Hir::class(Class::Bytes(ClassBytes::new([ClassBytesRange::new(lo, hi)])));
                    let n = run.len() as u32;
                    let sub = Box::new(class);
                    Hir::repetition(regex_syntax::hir::Repetition {
                        min: n,
                        max: Some(n),
                        greedy: true,
                        sub,
                    })
                }
                None => Hir::literal(run),
            });
            Some(Hir::concat(runs.collect()))
        }
        // Words that differ only in their letters read alike: each such
        // reading once (the street suffixes are 200 words of a dozen
        // shapes), which keeps the group's automaton small. A word's
        // reading is told by its shape (its bytes with each letter made the
        // first of its case) before it is built: building the street
        // suffixes' readings to throw most away was a sixth of what
        // coarsening cost start-up.
        HirKind::Alternation(alternatives) => {
            let shape = |h: &Hir| match h.kind() {
                HirKind::Literal(lit) => {
                    Some(lit.0.iter().map(|&b| case(b).map_or(b, |(lo, _)| lo)).collect::<Vec<_>>())
                }
                _ => None,
            };
            let (mut shapes, mut distinct, mut changed) = (Vec::new(), Vec::new(), false);
            for alternative in alternatives {
                if let Some(shape) = shape(alternative) {
                    if shapes.contains(&shape) {
                        changed = true;
                        continue;
                    }
                    shapes.push(shape);
                }
                let read = coarse(alternative);
                changed |= read.is_some();
                let read = read.unwrap_or_else(|| alternative.clone());
                if distinct.contains(&read) {
                    continue;
                }
                distinct.push(read);
            }
            changed.then(|| Hir::alternation(distinct))
        }
        HirKind::Class(Class::Unicode(c)) => {
            let mut wider = c.clone();
            for (lo, hi) in CASES.map(|(lo, hi)| (char::from(lo), char::from(hi))) {
                if c.ranges().iter().any(|r| r.start() <= hi && lo <= r.end()) {
                    wider.union(&ClassUnicode::new([ClassUnicodeRange::new(lo, hi)]));
                }
            }
            (wider != *c).then(|| Hir::class(Class::Unicode(wider)))
        }
        HirKind::Class(Class::Bytes(c)) => {
            let mut wider = c.clone();
            for (lo, hi) in CASES {
                if c.ranges().iter().any(|r| r.start() <= hi && lo <= r.end()) {
                    wider.union(&ClassBytes::new([ClassBytesRange::new(lo, hi)]));
                }
            }
            (wider != *c).then(|| Hir::class(Class::Bytes(wider)))
        }
        _ => rebuilt(hir, coarse),
    }
}

/// The words, ASCII letters in lower case, one of which every match of
/// `hir` holds, if it has at most [`MARKS`] such words and each is at
/// least [`MARK_BYTES`] long and not all digits: `gender`, `sex` and `性別`
/// for the gender field, `丁目`, `県`, `府`, `東京都` and `北海道` for a
/// Japanese address. The detector set gives such a detector to the groups
/// that read only the lines the keyword walk found one of their words on
/// (ASCII case ignored, which only adds lines), as it does for detectors
/// that need context.
///
/// A concatenation is marked by the words its start spells, as far as
/// that is a few strings ([`prefixes`]: `mr. `, not `mr`), or by one of its
/// parts' words, whichever are fewest. A class of a few characters reads
/// as each of them (`[Ssſ]` of `(?i:sex)` as `s` and `ſ`: the walk ignores
/// ASCII case only, so a word spelled with the long s is a word of its
/// own).
pub(super) fn marks(hir: &Hir) -> Option<Vec<String>> {
    held(hir, |w| w.len() >= MARK_BYTES && !w.bytes().all(|b| b.is_ascii_digit()))
}

/// The words one of which every match of `hir` holds, each one that
/// `keep` takes ([`marks`] takes rare words only, [`also`] any).
fn held(hir: &Hir, keep: fn(&str) -> bool) -> Option<Vec<String>> {
    let kept = |words: &Vec<String>| words.iter().all(|w| keep(w));
    match hir.kind() {
        HirKind::Capture(c) => held(&c.sub, keep),
        HirKind::Repetition(r) if r.min > 0 => held(&r.sub, keep),
        HirKind::Alternation(alternatives) => {
            let mut words = Vec::new();
            for alternative in alternatives {
                words.extend(held(alternative, keep)?);
                if words.len() > MARKS {
                    few(&mut words)?;
                }
            }
            few(&mut words).map(|()| words)
        }
        HirKind::Concat(parts) => {
            let start = prefixes(hir).map(|(w, _)| w).filter(kept);
            let best = |a: Vec<String>, b: Vec<String>| if b.len() < a.len() { b } else { a };
            start.into_iter().chain(parts.iter().filter_map(|p| held(p, keep))).reduce(best)
        }
        _ => prefixes(hir).map(|(w, _)| w).filter(kept),
    }
}

/// Words one of which every match of a marked `hir` holds besides one of
/// its `marks`, from another of its parts, or `None` when no part has
/// such words that a mark does not already hold: the detector set reads a
/// marked line for the detector only when it holds one of them too
/// ([`super::ContextWords`]). The katakana name before an honorific is
/// marked by the honorifics, and every line of Japanese prose addressing
/// someone holds one; its match holds a middle dot (or `=`) besides, and
/// few of those lines do (on 8 MB of the benchmark's prose, none of its
/// 3,256 lines with an honorific: reading them for it was 2.9% of the
/// scan's instructions, most of it building the states of the group it
/// is read in). A word here may be short or all digits: it is
/// only looked for on a marked line, never by the walk over every byte.
/// But not a space: nearly every line holds one (the gender field's
/// separators are spaces, `:` or `=`), and looking would cost a read of
/// the line for nothing.
///
/// Of several parts, the one whose shortest word is longest (the rarest),
/// then with the fewest words.
pub(super) fn also(hir: &Hir, marks: &[String]) -> Option<Vec<String>> {
    // The parts every match holds: those of a concatenation, inside
    // captures and repetitions that match at least once.
    fn parts<'h>(hir: &'h Hir, out: &mut Vec<&'h Hir>) {
        match hir.kind() {
            HirKind::Capture(c) => parts(&c.sub, out),
            HirKind::Repetition(r) if r.min > 0 => parts(&r.sub, out),
            HirKind::Concat(each) => each.iter().for_each(|p| parts(p, out)),
            _ => out.push(hir),
        }
    }
    let mut all = Vec::new();
    parts(hir, &mut all);
    let shortest = |words: &[String]| words.iter().map(String::len).min().unwrap_or(0);
    all.into_iter()
        .filter_map(|part| held(part, |w| !w.trim().is_empty()))
        .filter(|words| !marks.iter().all(|m| words.iter().any(|w| m.contains(w.as_str()))))
        .min_by_key(|words| (std::cmp::Reverse(shortest(words)), words.len()))
}

/// `words` sorted, once each, if they are at most [`MARKS`]: an
/// alternation's words are counted as they come too, so that the 200
/// street suffixes stop soon after the 65th.
fn few(words: &mut Vec<String>) -> Option<()> {
    words.sort_unstable();
    words.dedup();
    (words.len() <= MARKS).then_some(())
}

/// The fewest bytes of each of a pattern's [`marks`]: a word of one or two
/// letters is on most lines of English and code (and one of digits alone,
/// `090`, on most lines of a log).
const MARK_BYTES: usize = 3;

/// The most [`marks`] of a pattern (the prefectures are 47), and the most
/// characters of a class read as that many words.
const MARKS: usize = 64;
const MARK_CLASS: usize = 4;

/// The strings (ASCII letters in lower case) one of which every match of
/// `hir` starts with, and whether each is a whole match (what follows
/// `hir` in a concatenation then extends them); `None` when a match can
/// start with too many.
fn prefixes(hir: &Hir) -> Option<(Vec<String>, bool)> {
    let chars = |chars: Vec<char>| {
        let mut words: Vec<String> =
            chars.iter().map(|c| c.to_ascii_lowercase().to_string()).collect();
        words.sort_unstable();
        words.dedup();
        Some((words, true))
    };
    match hir.kind() {
        HirKind::Empty => Some((vec![String::new()], true)),
        HirKind::Literal(lit) => {
            Some((vec![std::str::from_utf8(&lit.0).ok()?.to_ascii_lowercase()], true))
        }
        HirKind::Class(Class::Unicode(c)) => {
            let n: u32 = c.ranges().iter().map(|r| r.end() as u32 - r.start() as u32 + 1).sum();
            if n as usize > MARK_CLASS {
                return None;
            }
            chars(c.ranges().iter().flat_map(|r| r.start()..=r.end()).collect())
        }
        HirKind::Class(Class::Bytes(c)) => {
            let n: usize = c.ranges().iter().map(|r| usize::from(r.end() - r.start()) + 1).sum();
            if n > MARK_CLASS || c.ranges().iter().any(|r| !r.end().is_ascii()) {
                return None;
            }
            chars(c.ranges().iter().flat_map(|r| r.start()..=r.end()).map(char::from).collect())
        }
        HirKind::Capture(c) => prefixes(&c.sub),
        HirKind::Alternation(alternatives) => {
            let (mut words, mut whole) = (Vec::new(), true);
            for alternative in alternatives {
                let (more, all) = prefixes(alternative)?;
                words.extend(more);
                whole &= all;
                if words.len() > MARKS {
                    few(&mut words)?;
                }
            }
            few(&mut words).map(|()| (words, whole))
        }
        HirKind::Concat(parts) => {
            let mut words = vec![String::new()];
            for part in parts {
                let Some((next, whole)) = prefixes(part) else {
                    return Some((words, false));
                };
                if words.len() * next.len() > MARKS {
                    return Some((words, false));
                }
                words =
                    words.iter().flat_map(|w| next.iter().map(move |n| w.clone() + n)).collect();
                if !whole {
                    return Some((words, false));
                }
            }
            Some((words, true))
        }
        HirKind::Repetition(_) | HirKind::Look(_) => None,
    }
}

/// `hir` as it reads a line of a whole text, or `None` when that is `hir`
/// itself: a detector's own search reads one line, without its line
/// break, where the gate reads the text. The start and end of the text
/// become those of a line (`(?m:^)`, `(?m:$)`), classes lose the line
/// break, and a literal holding one can match nothing. Every match on a
/// line alone is then one in the text, and none holds a line break (so
/// none belongs to the line before). Before, a pattern that could hold one,
/// such as `Mr\. [A-Z][a-z]+(?:$|[^a-z])` (whose class takes the line
/// break), was left out of the gate and run on every line holding one of
/// its anchors: on code, every line, for the anchors' test alone.
fn line_local(hir: &Hir) -> Option<Hir> {
    use regex_syntax::hir::{ClassBytes, ClassBytesRange, ClassUnicode, ClassUnicodeRange, Look};
    match hir.kind() {
        HirKind::Look(Look::Start) => Some(Hir::look(Look::StartLF)),
        HirKind::Look(Look::End) => Some(Hir::look(Look::EndLF)),
        HirKind::Literal(lit) if lit.0.contains(&b'\n') => Some(Hir::fail()),
        HirKind::Class(Class::Unicode(c))
            if c.ranges().iter().any(|r| r.start() <= '\n' && '\n' <= r.end()) =>
        {
            let mut c = c.clone();
            c.difference(&ClassUnicode::new([ClassUnicodeRange::new('\n', '\n')]));
            Some(Hir::class(Class::Unicode(c)))
        }
        HirKind::Class(Class::Bytes(c))
            if c.ranges().iter().any(|r| r.start() <= b'\n' && b'\n' <= r.end()) =>
        {
            let mut c = c.clone();
            c.difference(&ClassBytes::new([ClassBytesRange::new(b'\n', b'\n')]));
            Some(Hir::class(Class::Bytes(c)))
        }
        _ => rebuilt(hir, line_local),
    }
}

/// How long a counted repetition [`widen`] makes open-ended: at least this
/// many counts between its least and its most.
const WIDEN: u32 = 2;

/// Groups `patterns` (as lists of their indices): all together when their
/// DFA stays small on the sample, else each half on its own, recursively
/// (halving builds far fewer trial DFAs than adding one pattern at a time);
/// then any two groups whose union still stays small become one, as halving
/// can cut a group that needed no cut.
fn calibrate<'p>(
    patterns: &[(u64, &'p str)],
    trials: &mut Trials<'p>,
    limit: usize,
) -> Result<Vec<Vec<usize>>, String> {
    let mut lists: Vec<Vec<usize>> = Vec::new();
    let all: Vec<usize> = (0..patterns.len()).collect();
    split(&all, patterns, trials, limit, &mut lists)?;
    let mut i = 0;
    while i < lists.len() {
        let mut j = i + 1;
        while j < lists.len() {
            let union: Vec<usize> = lists[i].iter().chain(&lists[j]).copied().collect();
            if trials.memory(&members(patterns, &union))? <= limit {
                lists[i] = union;
                lists.remove(j);
            } else {
                j += 1;
            }
        }
        i += 1;
    }
    Ok(lists)
}

/// Halves `list` (indices into `patterns`) until each part's DFA stays
/// under `limit` on the sample.
fn split<'p>(
    list: &[usize],
    patterns: &[(u64, &'p str)],
    trials: &mut Trials<'p>,
    limit: usize,
    lists: &mut Vec<Vec<usize>>,
) -> Result<(), String> {
    let n = list.len();
    if n == 0 {
        return Ok(());
    }
    if n == 1 || trials.memory(&members(patterns, list))? <= limit {
        lists.push(list.to_vec());
        return Ok(());
    }
    split(&list[..n / 2], patterns, trials, limit, lists)?;
    split(&list[n / 2..], patterns, trials, limit, lists)
}

/// The patterns at the indices in `list`.
fn members<'p>(patterns: &[(u64, &'p str)], list: &[usize]) -> Vec<(u64, &'p str)> {
    list.iter().map(|&i| patterns[i]).collect()
}

/// Per kind (without, with context), the built-in detectors' groups, each
/// pattern by its [`key`]: what [`calibrate`] gives for them. A set whose
/// patterns are all found here (the built-in set, or part of it, as
/// `--categories` and `--skip-categories` make) takes these groups, less
/// the patterns it lacks, and skips calibrating: a dozen trial DFAs built
/// and run, which was half of piimap's start-up. A group's DFA without
/// some of its patterns has no more states than with them (each state is
/// the part of a state of the whole group's), so the groups stay small. A
/// test calibrates again and, when the detectors changed, fails with the
/// new values.
const BUILTIN_GROUPS: [&[&[u64]]; 2] = [
    &[&[
        0x404f_aa76_d25d_6b0f,
        0xa891_974f_152d_5c94,
        0x2aba_54c0_5273_0930,
        0x775a_6520_eb09_199e,
        0xbcc1_8a0d_bd23_8bc8,
        0x329c_e39e_93b5_d83b,
        0x25a4_b94f_d845_c06d,
        0xc385_cf96_1eac_3b90,
        0xe7b9_fd63_76ad_f76c,
        0x88a9_627a_7444_6010,
        0x20db_5c86_6400_3b83,
        0xf397_793d_92e3_8e65,
        0x4661_1b0d_c39c_ac38,
    ]],
    &[
        &[
            0xe5e4_3bff_f40e_420b,
            0x3eaf_705b_fc4c_98a4,
            0xa984_3259_cb22_4654,
            0x3e2c_09b7_2aa0_5143,
            0x9733_1874_9b54_d4b7,
            0x3107_fb2e_7452_feae,
            0xbd1a_f038_4506_e7e2,
            0xab53_d352_d049_a5c7,
        ],
        &[
            0xdab0_b5ea_23c1_e3d6,
            0x3f3e_abc6_809c_312a,
            0xf687_b864_ca35_8872,
            0xfa4b_3cce_7a61_fec2,
            0xf997_a9a1_ea3e_59d9,
            0x58e5_536d_ddac_870b,
            0xa508_81aa_b4f3_b406,
            0xa2b5_c8ba_6afa_c637,
            0x8beb_1c71_33b8_f4fb,
        ],
        &[
            0xedac_0d47_9319_6bb5,
            0x23ba_d1d5_74c2_0f27,
            0xe2af_8257_a8cc_7ff3,
            0x7841_5dfe_e76c_cf44,
            0xd29b_7b63_e251_c864,
            0xedac_0d47_9319_6bb5,
            0x0fc5_0de0_2e2d_38a7,
            0x232c_8edd_68cb_fad9,
            0x82bf_31dc_2915_42b5,
            0x4bcc_417b_7fd8_477e,
            0x5f7f_14f4_4e97_88d7,
            0xee13_a622_f7d3_8641,
            0xcfba_1983_81f9_f2f9,
            0xfa54_0342_e6d6_d420,
            0xac96_e59a_c5dd_9928,
            0x9da2_fcfa_dca8_3deb,
            0xaacb_68cb_61f9_48f4,
        ],
    ],
];

/// `patterns` (as lists of their indices) in the groups of `known` they
/// are found in, when every one is found.
fn known_groups(patterns: &[(u64, &str)], known: &[&[u64]]) -> Option<Vec<Vec<usize>>> {
    let mut lists: Vec<Vec<usize>> = vec![Vec::new(); known.len()];
    for (i, &(_, pattern)) in patterns.iter().enumerate() {
        let key = key(pattern);
        lists[known.iter().position(|group| group.contains(&key))?].push(i);
    }
    lists.retain(|list| !list.is_empty());
    Some(lists)
}

/// A hash (FNV-1a) of a pattern.
fn key(pattern: &str) -> u64 {
    pattern
        .bytes()
        .fold(0xcbf2_9ce4_8422_2325, |h, b| (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3))
}

/// A group chosen for the gate: whether its detectors need context, its
/// patterns, and its DFA if calibrating built it already.
struct Chosen<'p> {
    needs_context: bool,
    members: Vec<(u64, &'p str)>,
    tried: Option<DFA>,
}

/// The DFAs built while grouping, by their patterns in order, with their
/// memory on the sample: merging asks again about the union of two halves
/// that splitting found too big, and a chosen group keeps its trial's DFA.
/// Building and reading the sample is most of the start-up time.
struct Trials<'p> {
    tried: HashMap<Vec<&'p str>, (usize, DFA)>,
    /// Each pattern parsed.
    parsed: &'p HashMap<&'p str, &'p Hir>,
}

impl<'p> Trials<'p> {
    fn key(patterns: &[(u64, &'p str)]) -> Vec<&'p str> {
        patterns.iter().map(|&(_, p)| p).collect()
    }

    /// [`sample_memory`] of the union DFA of `patterns`.
    fn memory(&mut self, patterns: &[(u64, &'p str)]) -> Result<usize, String> {
        let key = Trials::key(patterns);
        if let Some(&(memory, _)) = self.tried.get(&key) {
            return Ok(memory);
        }
        let dfa = build(patterns, self.parsed)?;
        let memory = sample_memory(&dfa);
        self.tried.insert(key, (memory, dfa));
        Ok(memory)
    }
}

/// Walks the DFAs of `groups` over the `regions` of `t` (each group only
/// the regions with one of its detectors) side by side and adds, for
/// each line and each pattern matching on it, the pattern's bit and where
/// its first and its last match there end to `ends` (in order of lines for
/// each loop of one group or two). Returns the bits of the groups
/// whose lazy DFA gave up (its cache kept filling): their detectors run on
/// every line of this text.
///
/// The DFAs are walked byte by byte here rather than through the crate's
/// overlapping search, which returns to its caller once per pattern per
/// match end: on digit-dense text a match state comes every few bytes and
/// holds several patterns. And each step of a DFA waits on the load of the
/// step before it, so one walk leaves the core mostly idle: walking two
/// groups in the same loop overlaps their loads.
///
/// `rider` reads each region alongside the first two groups (alone when
/// there is no group), so that its loads overlap theirs too.
///
/// Groups share a loop two by two, not all in one: a step to or from a
/// match state takes every group of the loop out of the tight loop and
/// through [`Walker::step`], and on a table, where the four built-in
/// groups read every row (before tables had groups of their own,
/// [`Gate::flag_table`]), some group is in a match state every few bytes
/// (an e-mail's domain is one at every byte, a phone number at its last
/// digits). Against all four in one loop, on 8 MB of a customer table:
/// 3.2% fewer instructions (a fifth of the rows' bytes had taken all four
/// through the full step), and in pairs on 32 MB 0.965 of the time on one
/// thread, 0.963 on two. Measured on the `release` build besides: each
/// group in a loop of its own ran 0.5% more instructions than two by two,
/// and 7% more time, its loads no longer overlapped. Where three groups or
/// more read a region, they read it in one lane: the first group in three
/// lanes and the others two by two ran 2.3% more instructions and 5% more
/// time on that table, and the second pair in two lanes besides 5.7% more
/// instructions (a match state in one lane takes every lane through the
/// full step).
///
/// A region of `lanes_from` bytes or more, read by one group or two, is
/// read in lanes side by side, its parts split at line breaks
/// ([`walk_lanes`]): in three for one group, in two for two.
fn walk(
    groups: Vec<(&Group, &mut Cache)>,
    t: &str,
    regions: &[Region],
    ends: &mut Vec<Ends>,
    rider: &mut impl Rider,
    lanes_from: usize,
) -> u64 {
    let bytes = t.as_bytes();
    let mut walkers: Vec<Walker<'_>> =
        groups.into_iter().map(|(group, cache)| Walker::new(group, cache)).collect();
    let state = rider.start();
    let line_start = rider.line_start();
    let mut riding = Riding { rider, state };
    let mut idle = Riding { rider: &mut Idle, state: () };
    // The later lanes' entries, added after the first's once a region is
    // read: each lane lists its lines in order.
    let mut later: [Vec<Ends>; MAX_LANES - 1] = Default::default();
    for Region { lines: range, detectors } in regions {
        // Only the groups with a detector that may find context here: on
        // logs a hexadecimal `cc` (a card keyword) brings lines that no
        // phone or address group needs to read.
        let mut active: Vec<&mut Walker<'_>> =
            walkers.iter_mut().filter(|w| w.group.mask & detectors != 0).collect();
        active.iter_mut().for_each(|w| w.reads = *detectors);
        if let (true, Some(line_start)) = (range.len() >= lanes_from, line_start) {
            let [l1, l2] = &mut later;
            // One group in three lanes, two in two: each lane of each
            // group is a state held in a register of the tight loop, beside
            // each group's tables, and past six states they went through
            // memory at every byte.
            let laned = match &mut active[..] {
                [x] => parts(bytes, range.clone()).map(|parts| {
                    walk_lanes([x], t, parts, [&mut *ends, l1, l2], &mut riding, line_start)
                }),
                [x, y] => parts(bytes, range.clone()).map(|parts| {
                    walk_lanes([x, y], t, parts, [&mut *ends, l1], &mut riding, line_start)
                }),
                _ => None,
            };
            if laned.is_some() {
                later.iter_mut().for_each(|l| ends.append(l));
                continue;
            }
        }
        let input = Input::new(t).range(range.clone());
        active.iter_mut().for_each(|w| w.start(0, &input));
        // Two groups a loop, the rider with the first two (see above).
        let mut pairs = active.chunks_mut(2);
        match pairs.next() {
            None => ride(&mut riding, bytes, range.clone()),
            Some(first) => {
                walk_pair(first, bytes, range.clone(), ends, &mut riding);
                pairs.for_each(|pair| walk_pair(pair, bytes, range.clone(), ends, &mut idle));
            }
        }
        active.iter_mut().for_each(|w| w.finish(0, bytes, range.end, ends));
    }
    walkers.iter().filter(|w| w.gave_up()).fold(0, |m, w| m | w.group.mask)
}

/// [`walk_many`] of the one group or two of `pair`, in the first lane.
fn walk_pair(
    pair: &mut [&mut Walker<'_>],
    bytes: &[u8],
    range: Range<usize>,
    ends: &mut Vec<Ends>,
    riding: &mut Riding<'_, impl Rider>,
) {
    match pair {
        [a] => walk_many([a], 0, bytes, range, ends, riding),
        [a, b] => walk_many([a, b], 0, bytes, range, ends, riding),
        _ => unreachable!("chunks of two"),
    }
}

/// `range` split in `L` parts of whole lines, at the line break at or
/// after each `L`th of it: the line breaks themselves in none. None where
/// a part would be empty (one long line, a cut on the last line).
fn parts<const L: usize>(bytes: &[u8], range: Range<usize>) -> Option<[Range<usize>; L]> {
    let mut parts: [Range<usize>; L] = std::array::from_fn(|_| 0..0);
    let mut start = range.start;
    for (k, part) in parts.iter_mut().enumerate().take(L - 1) {
        let cut = (range.start + range.len() * (k + 1) / L).max(start);
        let at = cut + memchr::memchr(b'\n', &bytes[cut..range.end])?;
        if at == start || at + 1 >= range.end {
            return None;
        }
        *part = start..at;
        start = at + 1;
    }
    parts[L - 1] = start..range.end;
    Some(parts)
}

/// Reads the `L` parts of a region ([`parts`]) side by side, each into
/// its list of `outs`: the same groups, each with a state per lane, and
/// the rider with one too. A DFA's step waits on the table load of the
/// step before; lanes are such chains side by side, whose loads overlap,
/// where one lane over the whole region waited on every one in turn.
///
/// A lane after the first starts at a line's start from the start state,
/// as a region does: no match reaches across a line break
/// ([`line_local`]), so it finds what reading on from the lane before
/// would. The rider starts it from its [`Rider::line_start`], and reads
/// the line break before it at the end of the lane before, so it reads
/// every byte once. The lanes share each group's cache: a step that
/// clears it takes the other lanes' states with it, which are worked out
/// again ([`Walker::resume`]).
///
/// The lanes step together until one's end or until a group stops in
/// one (a dead state, a cache that gave up); then each reads the rest of
/// its part alone, in order, and is finished.
fn walk_lanes<const N: usize, const L: usize, R: Rider>(
    mut walkers: [&mut Walker<'_>; N],
    t: &str,
    parts: [Range<usize>; L],
    mut outs: [&mut Vec<Ends>; L],
    riding: &mut Riding<'_, R>,
    line_start: R::State,
) {
    let bytes = t.as_bytes();
    for w in walkers.iter_mut() {
        for (lane, part) in parts.iter().enumerate() {
            w.start(lane, &Input::new(t).range(part.clone()));
        }
    }
    let shortest = parts.iter().map(Range::len).min().unwrap_or(0);
    let together = parts[0].start + shortest;
    let mut at: [usize; L] = parts.each_ref().map(|p| p.start);
    let mut sr: [R::State; L] =
        std::array::from_fn(|k| if k == 0 { riding.state } else { line_start });
    let walking = |w: &Walker<'_>| w.lanes[..L].iter().all(|l| l.status == Status::Walking);
    while at[0] < together && walkers.iter().all(|w| walking(w)) {
        if walkers.iter().all(|w| w.lanes[..L].iter().all(|l| !l.sid.is_tagged())) {
            let dfas: [(&DFA, &Cache); N] =
                std::array::from_fn(|i| (&walkers[i].group.dfa, &*walkers[i].cache));
            let states: [[LazyStateID; L]; N] =
                std::array::from_fn(|i| std::array::from_fn(|k| walkers[i].lanes[k].sid));
            let left = together - at[0];
            let texts = at.map(|at| &bytes[at..at + left]);
            let (states, srs, read) = tight(dfas, states, &*riding.rider, sr, texts);
            for (w, states) in walkers.iter_mut().zip(states) {
                w.lanes.iter_mut().zip(states).for_each(|(l, sid)| l.sid = sid);
            }
            (sr, at) = (srs, at.map(|at| at + read));
            if at[0] == together {
                break;
            }
        }
        walkers.iter_mut().for_each(|w| w.lanes.iter_mut().zip(at).for_each(|(l, at)| l.at = at));
        for (lane, out) in outs.iter_mut().enumerate() {
            let byte = bytes[at[lane]];
            walkers.iter_mut().for_each(|w| w.step(lane, bytes, at[lane], byte, out));
            // Read: should the next lane's step clear a cache, this one
            // is worked out again past the byte.
            walkers.iter_mut().for_each(|w| w.lanes[lane].at = at[lane] + 1);
            sr[lane] = riding.rider.step(sr[lane], at[lane], byte);
        }
        at = at.map(|at| at + 1);
    }
    // Where each lane stands: a cache cleared by another resumes it here.
    walkers.iter_mut().for_each(|w| w.lanes.iter_mut().zip(at).for_each(|(l, at)| l.at = at));
    for (lane, out) in outs.into_iter().enumerate() {
        let end = parts[lane].end;
        riding.state = sr[lane];
        walk_many(walkers.each_mut().map(|w| &mut **w), lane, bytes, at[lane]..end, out, riding);
        walkers.iter_mut().for_each(|w| w.finish(lane, bytes, end, out));
        if lane + 1 < L {
            riding.step(end, bytes[end]);
        }
    }
}

/// The tight loop of [`walk_lanes`]: [`untagged_three`] for one group in
/// three lanes, [`rider_three`] for the rider alone in three,
/// [`untagged_lanes`] for two lanes. Each is written out for
/// its count, its states in locals of their own: the loop's states held
/// in arrays indexed by lane went through memory.
fn tight<const N: usize, const L: usize, R: Rider>(
    dfas: [(&DFA, &Cache); N],
    states: [[LazyStateID; L]; N],
    rider: &R,
    sr: [R::State; L],
    texts: [&[u8]; L],
) -> ([[LazyStateID; L]; N], [R::State; L], usize) {
    use std::array::from_fn;
    match (N, L) {
        (1, 3) => {
            let (dfa, cache) = dfas[0];
            let (s, r, read) = untagged_three(
                dfa,
                cache,
                from_fn(|k| states[0][k]),
                rider,
                from_fn(|k| sr[k]),
                from_fn(|k| texts[k]),
            );
            (from_fn(|_| from_fn(|k| s[k])), from_fn(|k| r[k]), read)
        }
        (_, 2) => {
            let states = from_fn(|i| [states[i][0], states[i][1]]);
            let (s, r, read) =
                untagged_lanes(dfas, states, rider, [sr[0], sr[1]], [texts[0], texts[1]]);
            (from_fn(|i| from_fn(|k| s[i][k])), from_fn(|k| r[k]), read)
        }
        (0, 3) => {
            let (r, read) = rider_three(rider, from_fn(|k| sr[k]), from_fn(|k| texts[k]));
            // No group: the array of their states is empty.
            (from_fn(|_| unreachable!("no group")), from_fn(|k| r[k]), read)
        }
        _ => unreachable!("one group or none reads in three lanes, two in two"),
    }
}

/// Walks one group or two over `range` of `bytes` side by side. Most
/// steps go from an untagged state to an untagged state: those run in a
/// tight loop ([`untagged`]), one table load per group and byte; a step to
/// or from any other state (a match, one not computed yet, a dead end) is
/// taken by [`Walker::step`]. The rider in `riding` reads every byte of the
/// range once, whatever the groups do.
///
/// Each step waits on a table load, and one loop overlaps the loads of
/// both groups.
fn walk_many<const N: usize>(
    mut walkers: [&mut Walker<'_>; N],
    lane: usize,
    bytes: &[u8],
    range: Range<usize>,
    ends: &mut Vec<Ends>,
    riding: &mut Riding<'_, impl Rider>,
) {
    let mut at = range.start;
    while at < range.end {
        // Once one stops (rarely: a dead state, a cache that gave up), the
        // others read the rest one after the other, the rider with the
        // first.
        if walkers.iter().any(|w| w.lanes[lane].status != Status::Walking) {
            let mut walking =
                walkers.into_iter().filter(|w| w.lanes[lane].status == Status::Walking);
            let Some(first) = walking.next() else { return ride(riding, bytes, at..range.end) };
            walk_many([first], lane, bytes, at..range.end, ends, riding);
            let mut idle = Riding { rider: &mut Idle, state: () };
            walking.for_each(|w| walk_many([w], lane, bytes, at..range.end, ends, &mut idle));
            return;
        }
        if walkers.iter().all(|w| !w.lanes[lane].sid.is_tagged()) {
            let dfas: [(&DFA, &Cache); N] =
                std::array::from_fn(|i| (&walkers[i].group.dfa, &*walkers[i].cache));
            let states: [LazyStateID; N] = std::array::from_fn(|i| walkers[i].lanes[lane].sid);
            let text = &bytes[at..range.end];
            let (states, sr, read) = untagged(dfas, states, &*riding.rider, riding.state, text);
            walkers.iter_mut().zip(states).for_each(|(w, sid)| w.lanes[lane].sid = sid);
            (riding.state, at) = (sr, at + read);
            if at == range.end {
                return;
            }
        }
        let byte = bytes[at];
        walkers.iter_mut().for_each(|w| w.step(lane, bytes, at, byte, ends));
        riding.step(at, byte);
        at += 1;
    }
}

/// [`walk_many`]'s tight loop: the groups' DFAs (with their caches) and the
/// rider over `text` from `states` and `sr`, while every step goes from an
/// untagged state to an untagged state. Returns their states and how many
/// bytes were read.
///
/// Out of line, so that its registers are its own: inlined into the gate's
/// walk, two of the pair's and the rider's three states went through the
/// stack at every byte, and logs, code and prose took 2% longer. The rest
/// of the text is a slice iterator (a pointer and an end), not the text
/// and an index and a count, for the same reason.
#[inline(never)]
fn untagged<const N: usize, R: Rider>(
    dfas: [(&DFA, &Cache); N],
    mut states: [LazyStateID; N],
    rider: &R,
    mut sr: R::State,
    text: &[u8],
) -> ([LazyStateID; N], R::State, usize) {
    let mut rest = text.iter();
    while let Some(&byte) = rest.as_slice().first() {
        let next: [LazyStateID; N] = std::array::from_fn(|i| {
            let (dfa, cache) = dfas[i];
            dfa.next_state_untagged(cache, states[i], byte)
        });
        let nr = rider.next(sr, byte);
        if next.iter().any(LazyStateID::is_tagged) || rider.is_special(nr) {
            break;
        }
        (states, sr) = (next, nr);
        rest.next();
    }
    (states, sr, text.len() - rest.len())
}

/// [`untagged`] over two lanes ([`tight`]): each group's DFA and the
/// rider step both, on the bytes of `texts` (of one length) side by side.
/// Returns their states and how many bytes each lane read.
///
/// The states are copied into locals: left in the arguments, which are
/// passed in memory, each step stored them there and the next loaded them
/// back, and the tables' addresses were loaded again at every byte too.
#[inline(never)]
fn untagged_lanes<const N: usize, R: Rider>(
    dfas: [(&DFA, &Cache); N],
    states: [[LazyStateID; 2]; N],
    rider: &R,
    sr: [R::State; 2],
    [a, b]: [&[u8]; 2],
) -> ([[LazyStateID; 2]; N], [R::State; 2], usize) {
    // A lane's states apart from the other's: as pairs, each pair was
    // packed into one register and unpacked at every byte.
    let mut first: [LazyStateID; N] = std::array::from_fn(|i| states[i][0]);
    let mut second: [LazyStateID; N] = std::array::from_fn(|i| states[i][1]);
    let ([mut r0, mut r1], mut read) = (sr, 0);
    for (&x, &y) in a.iter().zip(b) {
        let n0: [LazyStateID; N] = std::array::from_fn(|i| {
            let (dfa, cache) = dfas[i];
            dfa.next_state_untagged(cache, first[i], x)
        });
        let n1: [LazyStateID; N] = std::array::from_fn(|i| {
            let (dfa, cache) = dfas[i];
            dfa.next_state_untagged(cache, second[i], y)
        });
        let (m0, m1) = (rider.next(r0, x), rider.next(r1, y));
        if n0.iter().chain(&n1).any(LazyStateID::is_tagged)
            || rider.is_special(m0)
            || rider.is_special(m1)
        {
            break;
        }
        (first, second, r0, r1, read) = (n0, n1, m0, m1, read + 1);
    }
    (std::array::from_fn(|i| [first[i], second[i]]), [r0, r1], read)
}

/// [`untagged_lanes`] for one group in three lanes: its DFA's and the
/// rider's three states each in a local of its own.
#[inline(never)]
fn untagged_three<R: Rider>(
    dfa: &DFA,
    cache: &Cache,
    [mut s0, mut s1, mut s2]: [LazyStateID; 3],
    rider: &R,
    [mut r0, mut r1, mut r2]: [R::State; 3],
    [a, b, c]: [&[u8]; 3],
) -> ([LazyStateID; 3], [R::State; 3], usize) {
    let mut read = 0;
    for ((&x, &y), &z) in a.iter().zip(b).zip(c) {
        let (n0, n1, n2) = (
            dfa.next_state_untagged(cache, s0, x),
            dfa.next_state_untagged(cache, s1, y),
            dfa.next_state_untagged(cache, s2, z),
        );
        let (m0, m1, m2) = (rider.next(r0, x), rider.next(r1, y), rider.next(r2, z));
        if n0.is_tagged()
            || n1.is_tagged()
            || n2.is_tagged()
            || rider.is_special(m0)
            || rider.is_special(m1)
            || rider.is_special(m2)
        {
            break;
        }
        (s0, s1, s2, r0, r1, r2, read) = (n0, n1, n2, m0, m1, m2, read + 1);
    }
    ([s0, s1, s2], [r0, r1, r2], read)
}

/// [`untagged_three`] without a group: the rider alone, in three lanes,
/// while no step reaches a special state. Returns its states and how many
/// bytes each lane read.
#[inline(never)]
fn rider_three<R: Rider>(
    rider: &R,
    [mut r0, mut r1, mut r2]: [R::State; 3],
    [a, b, c]: [&[u8]; 3],
) -> ([R::State; 3], usize) {
    let mut read = 0;
    for ((&x, &y), &z) in a.iter().zip(b).zip(c) {
        let (m0, m1, m2) = (rider.next(r0, x), rider.next(r1, y), rider.next(r2, z));
        if rider.is_special(m0) || rider.is_special(m1) || rider.is_special(m2) {
            break;
        }
        (r0, r1, r2, read) = (m0, m1, m2, read + 1);
    }
    ([r0, r1, r2], read)
}

/// What reads a text in the same loop as the gate's groups that read all of
/// it, so that its table loads overlap theirs (the context keyword index:
/// without it the text was read by one more loop of dependent loads), and
/// then says where the groups that need context read.
pub(crate) trait Rider {
    /// Its automaton's state: the walk keeps it in a local, not behind the
    /// rider's reference, so that each step does not wait on a store.
    type State: Copy;

    /// The state before the first byte: asked once per walk.
    fn start(&mut self) -> Self::State;

    /// The state after `byte` from `state`: a table load, which reads
    /// nothing the rider writes. The walks' tight loops take only this
    /// step, with no call nor store that would make the compiler reload
    /// every table's address at each byte.
    fn next(&self, state: Self::State, byte: u8) -> Self::State;

    /// Whether the rider must hear of `state` ([`Rider::arrive`]): the
    /// tight loop stops there, and the walk's full step takes the byte.
    fn is_special(&self, state: Self::State) -> bool;

    /// Hears of the special `state`, reached by the byte at `at`: in order
    /// within a lane, but the lanes of a region ([`walk_lanes`]) take
    /// turns.
    fn arrive(&mut self, state: Self::State, at: usize);

    /// Reads `byte`, at `at`, from `state`: once per byte of the text, in
    /// order within a lane. Returns the next state.
    #[inline(always)]
    fn step(&mut self, state: Self::State, at: usize, byte: u8) -> Self::State {
        let next = self.next(state, byte);
        if self.is_special(next) {
            self.arrive(next, at);
        }
        next
    }

    /// The state after a line break, if it is one whatever came before:
    /// a second lane ([`walk_lanes`]) starts there, at a line's start.
    /// Without one, every region is read in one lane.
    fn line_start(&self) -> Option<Self::State> {
        None
    }

    /// Once every byte was read: the regions of the text, in order.
    /// Outside them no line can have a keyword near it, and inside one only
    /// the region's detectors can.
    fn context(&mut self) -> &[Region];

    /// Bits of the detectors that may have context on every line, known
    /// before any byte is read (those a table's header names): their
    /// patterns are read on every line, in the same walk as the groups
    /// that read all of it ([`Gate::flag_table`]).
    fn everywhere(&self) -> u64 {
        0
    }
}

/// Lines that may have context, and for which detectors: a group that
/// holds none of them skips the lines.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Region {
    pub(crate) lines: Range<usize>,
    /// Bits of the detectors whose keywords (or, on a table, whose column
    /// headers) may be near some line of the range, or whose marks
    /// ([`marks`]) stand on one.
    pub(crate) detectors: u64,
}

/// A rider and its state in a walk.
struct Riding<'r, R: Rider> {
    rider: &'r mut R,
    state: R::State,
}

impl<R: Rider> Riding<'_, R> {
    /// Reads `byte`, at `at`.
    #[inline(always)]
    fn step(&mut self, at: usize, byte: u8) {
        self.state = self.rider.step(self.state, at, byte);
    }
}

/// The rider of the walks that have none.
struct Idle;

impl Rider for Idle {
    type State = ();

    fn start(&mut self) {}

    #[inline(always)]
    fn next(&self, _: (), _: u8) {}

    #[inline(always)]
    fn is_special(&self, _: ()) -> bool {
        false
    }

    fn arrive(&mut self, _: (), _: usize) {}

    fn line_start(&self) -> Option<()> {
        Some(())
    }

    fn context(&mut self) -> &[Region] {
        &[]
    }
}

/// A rider alone over `range` of `bytes`, in one lane: where no group walks
/// (none left, or none at all), and over a table before its groups where
/// it cannot read in lanes ([`Gate::flag_table`]).
///
/// Its steps to ordinary states are taken by [`untagged`] with no group:
/// stepping through [`Rider::step`], whose call to [`Rider::arrive`] made
/// the compiler load the rider's table again at every byte, and a table's
/// rider ran 15 instructions a byte.
fn ride(riding: &mut Riding<'_, impl Rider>, bytes: &[u8], range: Range<usize>) {
    let (mut at, mut state) = (range.start, riding.state);
    while at < range.end {
        let ([], next, read) = untagged([], [], &*riding.rider, state, &bytes[at..range.end]);
        (state, at) = (next, at + read);
        if at < range.end {
            state = riding.rider.step(state, at, bytes[at]);
            at += 1;
        }
    }
    riding.state = state;
}

/// Where a walk of one group stands in one lane.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
enum Status {
    Walking,
    /// No match can come in this range (a dead state), or none was
    /// started.
    #[default]
    Done,
    /// The lazy DFA gave up on this text (in every lane).
    GaveUp,
}

/// One group's walk over a text: in one lane, or in several side by side
/// ([`walk_lanes`]).
struct Walker<'a> {
    group: &'a Group,
    cache: &'a mut Cache,
    lanes: [Lane; MAX_LANES],
    /// The patterns of match states, as last read.
    states: StateBits,
    /// The detectors of the region it reads ([`Region::detectors`]): it
    /// flags no other. A group of the keyword groups reads a line for some
    /// of its detectors (a `tel` near it, a `様` on it), and its other
    /// detectors could find nothing there (they need a keyword of their
    /// own nearby, or hold a mark of their own), yet were flagged wherever
    /// their patterns matched and ran to find nothing.
    reads: u64,
}

/// A walker's place in one lane: a range of whole lines.
#[derive(Default)]
struct Lane {
    sid: LazyStateID,
    status: Status,
    /// Where the lane starts: a line's start.
    from: usize,
    /// The next byte it reads, as of its last full step, or as the lanes
    /// step together: where a cleared cache resumes it.
    at: usize,
    /// The line of its last match.
    lines: LineSeen,
}

impl<'a> Walker<'a> {
    fn new(group: &'a Group, cache: &'a mut Cache) -> Walker<'a> {
        let (lanes, states) = (Default::default(), StateBits::default());
        Walker { group, cache, lanes, states, reads: !0 }
    }

    /// Whether its lazy DFA gave up on this text.
    fn gave_up(&self) -> bool {
        self.lanes[0].status == Status::GaveUp
    }

    fn give_up(&mut self) {
        self.lanes.iter_mut().for_each(|l| l.status = Status::GaveUp);
    }

    /// Starts `lane` on the range of `input`, unless the DFA gave up. The
    /// first lane starts first, and a second lane only beside it.
    fn start(&mut self, lane: usize, input: &Input<'_>) {
        if self.gave_up() {
            return;
        }
        if lane == 0 {
            // Lanes left over from a region read in several are done with.
            self.lanes[1..].iter_mut().for_each(|l| *l = Lane::default());
        }
        let (from, at) = (input.start(), input.start());
        match self.group.dfa.start_state_forward(self.cache, input) {
            Ok(sid) => {
                let l = &mut self.lanes[lane];
                (l.sid, l.status, l.from, l.at) = (sid, Status::Walking, from, at);
                if lane == 0 {
                    self.cache.search_start(from);
                }
            }
            Err(_) => self.give_up(),
        }
    }

    /// How far the walk has read, as of its lanes' last full steps, for
    /// the lazy DFA's measure of its cache's use: the first lane's
    /// position, and the other lanes' bytes (none when it walks alone).
    fn progress(&self) -> usize {
        self.lanes[0].at + self.lanes[1..].iter().map(|l| l.at - l.from).sum::<usize>()
    }

    /// The lazy DFA's full step from `sid` on `byte`, in `lane`: a step
    /// that clears the cache takes the other lanes' states with it, which
    /// are worked out again. None where it gave up.
    #[inline(always)]
    fn full_step(
        &mut self,
        lane: usize,
        bytes: &[u8],
        sid: LazyStateID,
        byte: Option<u8>,
    ) -> Option<LazyStateID> {
        self.cache.search_update(self.progress());
        let clears = self.cache.clear_count();
        let next = match byte {
            Some(byte) => self.group.dfa.next_state(self.cache, sid, byte),
            None => self.group.dfa.next_eoi_state(self.cache, sid),
        };
        let Ok(next) = next.map_err(|_| self.give_up()) else { return None };
        if self.cache.clear_count() != clears {
            self.lanes[lane].sid = next;
            for other in (0..MAX_LANES).filter(|&k| k != lane) {
                self.resume(other, bytes);
                if self.gave_up() {
                    return None;
                }
            }
        }
        Some(next)
    }

    /// Works out the state of `lane` again after another lane's step
    /// cleared the cache (its id may now be another state's): from its
    /// line's start, as a region starts, up to where it stands. Its matches
    /// there were recorded before. Should that clear the cache again,
    /// another lane's state is gone in turn, and the group gives up.
    fn resume(&mut self, lane: usize, bytes: &[u8]) {
        let Lane { status, from, at, .. } = self.lanes[lane];
        if status != Status::Walking {
            return;
        }
        let line = memchr::memrchr(b'\n', &bytes[from..at]).map_or(from, |n| from + n + 1);
        let (dfa, clears) = (&self.group.dfa, self.cache.clear_count());
        let Ok(mut sid) = dfa.start_state_forward(self.cache, &Input::new(bytes).range(line..))
        else {
            return self.give_up();
        };
        for &byte in &bytes[line..at] {
            match dfa.next_state(self.cache, sid, byte) {
                Ok(next) => sid = next,
                Err(_) => return self.give_up(),
            }
        }
        if self.cache.clear_count() != clears || sid.is_quit() {
            return self.give_up();
        }
        self.lanes[lane].sid = sid;
    }

    /// Whether another lane still walks (the cache's search goes on).
    fn other_walking(&self, lane: usize) -> bool {
        self.lanes.iter().enumerate().any(|(k, l)| k != lane && l.status == Status::Walking)
    }

    /// Reads `byte`, at `at`, in `lane`.
    #[inline(always)]
    fn step(&mut self, lane: usize, bytes: &[u8], at: usize, byte: u8, ends: &mut Vec<Ends>) {
        let Lane { sid, status, .. } = self.lanes[lane];
        if status != Status::Walking {
            return;
        }
        let dfa = &self.group.dfa;
        // From an untagged state, one table lookup; from a match state, or
        // to a state not computed yet, the lazy DFA's full step (which builds
        // the state, and counts the bytes read so far to tell whether its
        // cache is thrashing).
        let fast = (!sid.is_tagged()).then(|| dfa.next_state_untagged(self.cache, sid, byte));
        let next = match fast.filter(|n| !n.is_unknown()) {
            Some(next) => next,
            None => {
                self.lanes[lane].at = at;
                match self.full_step(lane, bytes, sid, Some(byte)) {
                    Some(next) => next,
                    None => return,
                }
            }
        };
        self.lanes[lane].sid = next;
        if next.is_tagged() {
            if next.is_match() {
                self.record(lane, bytes, next, at, ends);
            } else if next.is_dead() {
                self.lanes[lane].status = Status::Done;
                if !self.other_walking(lane) {
                    self.cache.search_finish(self.progress());
                }
            } else if next.is_quit() {
                self.give_up();
            }
        }
    }

    /// Ends `lane` at `end`: matches are reported one byte late, so the
    /// byte after the range (or the end of the text) says whether one ends
    /// there.
    fn finish(&mut self, lane: usize, bytes: &[u8], end: usize, ends: &mut Vec<Ends>) {
        let Lane { sid, status, .. } = self.lanes[lane];
        if status != Status::Walking {
            return;
        }
        self.lanes[lane].at = end;
        match self.full_step(lane, bytes, sid, bytes.get(end).copied()) {
            Some(sid) if !sid.is_quit() => {
                if sid.is_match() {
                    self.record(lane, bytes, sid, end, ends);
                }
                self.lanes[lane].status = Status::Done;
                if !self.other_walking(lane) {
                    self.cache.search_finish(self.progress());
                }
            }
            _ => self.give_up(),
        }
    }

    /// Records the patterns of match state `sid` in `lane`, whose matches end at `end`:
    /// a new entry for a pattern's first match on its line, a later last
    /// end for the others.
    fn record(
        &mut self,
        lane: usize,
        bytes: &[u8],
        sid: LazyStateID,
        end: usize,
        ends: &mut Vec<Ends>,
    ) {
        let (group, cache, lines) = (self.group, &*self.cache, &mut self.lanes[lane].lines);
        // Matches hold no line break, so the last byte of a match (or, for
        // an empty one, its position) is on its line.
        let last = end.saturating_sub(1).min(bytes.len().saturating_sub(1));
        if lines.start == usize::MAX || last >= lines.end {
            lines.start = memchr::memrchr(b'\n', &bytes[..last]).map_or(0, |n| n + 1);
            lines.end = memchr::memchr(b'\n', &bytes[last..]).map_or(bytes.len(), |n| last + n);
            lines.seen = 0;
        }
        let bits = self.states.of(sid, cache, |cache| {
            (0..group.dfa.match_len(cache, sid))
                .fold(0, |m, i| m | group.bits[group.dfa.match_pattern(cache, sid, i).as_usize()])
        }) & self.reads;
        // Matches come by end: a bit's first is the earliest to end, and
        // gets the line's entry; the others move its last end on.
        let (mut new, mut again) = (bits & !lines.seen, bits & lines.seen);
        lines.seen |= new;
        while new != 0 {
            let bit = new & new.wrapping_neg();
            lines.slots[bit.trailing_zeros() as usize] = ends.len();
            ends.push((lines.start, bit, end, end));
            new &= new - 1;
        }
        while again != 0 {
            let slot = lines.slots[again.trailing_zeros() as usize];
            ends[slot].3 = end;
            again &= again - 1;
        }
    }
}

impl Group {
    /// The group of `patterns`, whose union DFA is `dfa`.
    fn new(patterns: &[(u64, &str)], dfa: DFA) -> Group {
        let bits: Vec<u64> = patterns.iter().map(|&(b, _)| b).collect();
        let mask = bits.iter().fold(0, |m, b| m | b);
        Group { dfa, needs_context: false, bits, mask }
    }
}

/// The detector bits of a group's match states, as last read: on a table
/// a match state comes every few bytes, and reading its patterns from the
/// lazy DFA was most of recording it. Direct-mapped by the state's id.
struct StateBits {
    slots: [(LazyStateID, u64); 64],
    /// The cache's clear count they were read under: a cleared cache gives
    /// its ids to new states.
    clears: usize,
}

impl Default for StateBits {
    fn default() -> StateBits {
        // The default id is no match state's: no slot is taken for one.
        StateBits { slots: [(LazyStateID::default(), 0); 64], clears: 0 }
    }
}

impl StateBits {
    /// The bits of match state `sid`, from `read` when not known.
    fn of(&mut self, sid: LazyStateID, cache: &Cache, read: impl FnOnce(&Cache) -> u64) -> u64 {
        if cache.clear_count() != self.clears {
            *self = StateBits { clears: cache.clear_count(), ..StateBits::default() };
        }
        let slot = &mut self.slots[slot_of(sid)];
        if slot.0 != sid {
            *slot = (sid, read(cache));
        }
        slot.1
    }
}

/// The line holding a group's last match end: its start, the end of the
/// line (its newline, or the text's end), the bits seen on it and, per bit,
/// where its entry is.
#[derive(Debug, Clone, Copy)]
struct LineSeen {
    start: usize,
    end: usize,
    seen: u64,
    slots: [usize; 64],
}

impl Default for LineSeen {
    fn default() -> LineSeen {
        LineSeen { start: usize::MAX, end: 0, seen: 0, slots: [0; 64] }
    }
}

/// The slot of [`StateBits`] for `sid`: its id (which the crate hashes as
/// its one number) multiplied, top bits taken. Any value would be right,
/// as a slot is checked against its state; a spread one keeps more.
fn slot_of(sid: LazyStateID) -> usize {
    use std::hash::{Hash, Hasher};
    /// Keeps what is hashed as it is.
    struct Raw(u64);
    impl Hasher for Raw {
        fn write(&mut self, bytes: &[u8]) {
            bytes.iter().for_each(|&b| self.0 = self.0.rotate_left(8) ^ u64::from(b));
        }
        fn write_u32(&mut self, n: u32) {
            self.0 = u64::from(n);
        }
        fn finish(&self) -> u64 {
            self.0
        }
    }
    let mut raw = Raw(0);
    sid.hash(&mut raw);
    (raw.finish().wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 58) as usize
}

/// The union DFA of `patterns`: every match of every pattern, no captures.
/// It gives up (rather than crawl) when its cache is cleared often while
/// each state covers few bytes.
fn build(patterns: &[(u64, &str)], parsed: &HashMap<&str, &Hir>) -> Result<DFA, String> {
    let hirs: Vec<&Hir> = patterns.iter().map(|&(_, p)| parsed[p]).collect();
    build_hirs(&hirs)
}

/// The lazy DFA of `hirs`, as [`build`] makes it.
fn build_hirs(hirs: &[&Hir]) -> Result<DFA, String> {
    let nfa = super::compile_nfa(hirs)?;
    DFA::builder()
        .configure(
            DFA::config()
                .match_kind(MatchKind::All)
                .cache_capacity(CACHE_CAPACITY)
                .skip_cache_capacity_check(true)
                .minimum_cache_clear_count(Some(8))
                .minimum_bytes_per_state(Some(10)),
        )
        .build_from_nfa(nfa)
        .map_err(|e| e.to_string())
}

/// Lines shaped like [`SAMPLE`]'s with pseudo-random digits: a DFA whose
/// states are reused reads them with few new states, one that blows up keeps
/// adding states for every new combination of digits.
fn sample() -> &'static str {
    static SAMPLE_TEXT: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    SAMPLE_TEXT.get_or_init(sample_text)
}

/// Builds [`sample`].
fn sample_text() -> String {
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

/// The memory `dfa` uses to read [`sample`] (more than the larger
/// [`GROUP_MEMORY`]: it stops there, as building states is what costs
/// time).
fn sample_memory(dfa: &DFA) -> usize {
    let mut cache = dfa.create_cache();
    for line in sample().lines() {
        let input = Input::new(line);
        let mut state = OverlappingState::start();
        loop {
            if dfa.try_search_overlapping_fwd(&mut cache, &input, &mut state).is_err() {
                return usize::MAX;
            }
            if state.get_match().is_none() {
                break;
            }
        }
        if cache.memory_usage() > GROUP_MEMORY[0] {
            break;
        }
    }
    cache.memory_usage()
}

/// The bytes some match of a pattern can hold. A match never spans a byte
/// outside the set: one that cannot hold a `,` stays in its cell.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct ByteSet([u64; 4]);

impl ByteSet {
    /// The bytes of `hir`'s matches. Conservative outside ASCII: a class with
    /// any non-ASCII character holds every byte from 0x80 up.
    pub(crate) fn of(hir: &Hir) -> ByteSet {
        let mut set = ByteSet::default();
        set.add(hir);
        set
    }

    /// The bytes a match of `hir` can start with: every byte when it can
    /// match the empty string. Conservative outside ASCII as [`ByteSet::of`].
    pub(crate) fn starts(hir: &Hir) -> ByteSet {
        let mut set = ByteSet::default();
        if set.add_starts(hir) {
            set.insert(0, 0xFF);
        }
        set
    }

    /// The bytes of the set, in order, a set bit at a time.
    pub(crate) fn members(&self) -> impl Iterator<Item = u8> + '_ {
        self.0.iter().enumerate().flat_map(|(w, &word)| {
            let rest = |&bits: &u64| Some(bits & (bits - 1)).filter(|&b| b != 0);
            std::iter::successors(Some(word).filter(|&b| b != 0), rest)
                .map(move |bits| (w * 64 + bits.trailing_zeros() as usize) as u8)
        })
    }

    #[cfg(test)]
    fn contains(&self, b: u8) -> bool {
        self.0[usize::from(b >> 6)] & (1 << (b & 63)) != 0
    }

    fn insert(&mut self, from: u8, to: u8) {
        for b in from..=to {
            self.0[usize::from(b >> 6)] |= 1 << (b & 63);
        }
    }

    /// Adds the bytes a match of `hir` can start with; returns whether it
    /// can match the empty string (so that what follows it can start one).
    fn add_starts(&mut self, hir: &Hir) -> bool {
        match hir.kind() {
            HirKind::Empty | HirKind::Look(_) => true,
            HirKind::Literal(lit) => match lit.0.first() {
                Some(&b) => {
                    self.insert(b, b);
                    false
                }
                None => true,
            },
            HirKind::Class(_) => {
                self.add(hir);
                false
            }
            HirKind::Repetition(r) => self.add_starts(&r.sub) || r.min == 0,
            HirKind::Capture(c) => self.add_starts(&c.sub),
            HirKind::Concat(subs) => subs.iter().all(|h| self.add_starts(h)),
            HirKind::Alternation(subs) => subs.iter().fold(false, |e, h| self.add_starts(h) | e),
        }
    }

    fn add(&mut self, hir: &Hir) {
        match hir.kind() {
            HirKind::Empty | HirKind::Look(_) => {}
            HirKind::Literal(lit) => lit.0.iter().for_each(|&b| self.insert(b, b)),
            HirKind::Class(Class::Unicode(c)) => {
                for r in c.ranges() {
                    let (start, end) = (u32::from(r.start()), u32::from(r.end()));
                    if start < 0x80 {
                        self.insert(start as u8, end.min(0x7F) as u8);
                    }
                }
                // Once for the class, not once per range: a class of kanji
                // has hundreds.
                if c.ranges().last().is_some_and(|r| u32::from(r.end()) >= 0x80) {
                    self.insert(0x80, 0xFF);
                }
            }
            HirKind::Class(Class::Bytes(c)) => {
                c.ranges().iter().for_each(|r| self.insert(r.start(), r.end()));
            }
            HirKind::Repetition(r) => self.add(&r.sub),
            HirKind::Capture(c) => self.add(&c.sub),
            HirKind::Concat(subs) | HirKind::Alternation(subs) => {
                subs.iter().for_each(|h| self.add(h));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use regex_automata::nfa::thompson::{self, WhichCaptures};
    use regex_automata::util::syntax;

    /// Each of `patterns`, parsed as a detector's pattern is.
    fn parse_each<'p>(patterns: impl Iterator<Item = &'p str>) -> HashMap<&'p str, Hir> {
        patterns.map(|p| (p, syntax::parse_with(p, &crate::detect::syntax()).unwrap())).collect()
    }

    /// `pattern` parsed as a detector's pattern is.
    fn parse(pattern: &str) -> Hir {
        syntax::parse_with(pattern, &crate::detect::syntax()).unwrap()
    }

    #[test]
    fn a_pattern_whose_matches_hold_one_of_a_few_words_is_marked_by_them() {
        let marks_of = |p: &str| {
            let mut words = marks(&parse(p))?;
            words.sort_unstable();
            Some(words)
        };
        let gender = r"(?:性別|(?i:gender|sex))(?:[ \t]*[:=][ \t]*|[ \t]+)([MF])";
        // `(?i:s)` is `[Ssſ]`: the walk ignores ASCII case only.
        assert_eq!(marks_of(gender).unwrap(), ["gender", "sex", "ſex", "性別"]);
        // What follows a word that is all of its part extends it.
        let title = r"(?:(?:Mr|Mrs)\.|Miss) ([A-Z][a-z]+)";
        assert_eq!(marks_of(title).unwrap(), ["miss ", "mr. ", "mrs. "]);
        assert_eq!(marks_of(r"IFCPERSON\([ \t]*'").unwrap(), ["ifcperson("]);
        // The fewest words: the part's two, not the start's four.
        assert_eq!(marks_of(r"(?:東京|大阪)(?:都|府)[0-9]").unwrap(), ["大阪", "東京"]);
        // A word inside, in every branch.
        let address = r"(?:東京都[0-9]+|[一-龥]{1,6}[市区][0-9]+丁目)";
        assert_eq!(marks_of(address).unwrap(), ["丁目", "東京都"]);
        assert_eq!(marks_of(r"(?m:^)[0-9]+ gender").unwrap(), [" gender"]);
        // Not marked: a word too short to be rare, a branch without a word,
        // words of digits, too many words.
        assert_eq!(marks_of(r"(?:ab|cde)[0-9]"), None);
        assert_eq!(marks_of(r"gender|[0-9]+"), None);
        assert_eq!(marks_of(r"(?:070|080)[0-9]{8}"), None);
        assert_eq!(marks_of(r"[0-9]{3}-[0-9]{4}"), None);
        let many: Vec<String> = (0..=MARKS).map(|i| format!("w{i:03}")).collect();
        assert_eq!(marks_of(&format!("(?:{})x", many.join("|"))), None);
    }

    #[test]
    fn a_marked_pattern_also_holds_the_words_of_another_part() {
        let also_of = |p: &str| {
            let hir = parse(p);
            let mut words = also(&hir, &marks(&hir)?)?;
            words.sort_unstable();
            Some(words)
        };
        // Marked by its honorifics; its match holds a middle dot besides,
        // a word of one byte among them.
        let katakana =
            r"([ァ-ヴ][ァ-ヴー]{1,11}(?:[・･＝=][ァ-ヴ][ァ-ヴー]{1,11}){1,2})(?:[ 　]?(?:様|さん))";
        assert_eq!(also_of(katakana).unwrap(), ["=", "・", "＝", "･"]);
        // Of two parts, the one whose shortest word is longest.
        assert_eq!(also_of(r"ticket[-#](?:ref|rex|rey)[0-9]+").unwrap(), ["ref", "rex", "rey"]);
        // Letters, looked for in either case.
        let gender = r"(?:性別|gender)[ \t]*(MALE|FEMALE|OTHER)";
        assert_eq!(also_of(gender).unwrap(), ["female", "male", "other"]);
        // Marked by the field's name, it holds one of its values too; not
        // the separator, which may be a space.
        let gender = r"(?:性別|gender)(?:[ \t]*[:=][ \t]*|[ \t]+)(男|女)";
        assert_eq!(also_of(gender).unwrap(), ["女", "男"]);
        // None: every other part's words are in each mark (`mr. ` holds
        // ` `), a part has too many, or one is a space.
        assert_eq!(also_of(r"(?:性別|gender)(?:[ \t]*:|[ \t]+)[0-9]"), None);
        assert_eq!(also_of(r"(?:(?:Mr|Mrs)\.|Miss) ([A-Z][a-z]+)"), None);
        assert_eq!(also_of(r"東京都[0-9]+[a-z]"), None);
    }

    #[test]
    fn a_coarse_reading_matches_wherever_its_pattern_does() {
        let regex = |hir: &Hir| regex_automata::meta::Regex::builder().build_from_hir(hir).unwrap();
        for (pattern, found, like) in [
            (
                r"([0-9]{1,5} (?:[A-Z][a-z]+ ){1,3}(?:Avenue|Ave|Street|St))",
                "at 1600 Pennsylvania Avenue today",
                "at 1600 Pennsylvania Xyzzyz today",
            ),
            (r"[A-Z][a-z]+-(?:ku|shi)\b", "Minato-ku, Tokyo", "Minato-xy, Tokyo"),
            (r"(?:AL|AK|CA) [0-9]{5}", "Springfield, CA 94105", "Springfield, QZ 94105"),
            (r"[A-PR-UWYZ][0-9] [0-9][ABD-HJLNP-UW-Z]{2}", "London W1 1AA", "London W1 1CC"),
            (r"(?i:gender)", "GENDER", "Qwerty"),
        ] {
            let hir = parse(pattern);
            let (exact, read) = (regex(&hir), regex(&coarse(&hir).unwrap()));
            assert!(exact.is_match(found) && read.is_match(found), "{pattern} on {found}");
            // Other letters of the same cases: the reading only.
            assert!(!exact.is_match(like) && read.is_match(like), "{pattern} on {like}");
            // Digits and punctuation stay as they are.
            let digits = found.replace(|c: char| c.is_ascii_digit(), "-");
            assert_eq!(read.is_match(&digits), exact.is_match(&digits), "{pattern}");
        }
        // Words of one shape are read once: `Str` as `Ave`.
        let read = |p: &str| coarse(&parse(p)).unwrap();
        assert_eq!(read("(?:Ave|Str|Rd|Road)"), read("(?:Ave|Rd|Road)"));
        assert_ne!(read("(?:Ave|Str|Rd|Road)"), read("(?:Ave|Rd)"));
        // Nothing to coarsen.
        assert_eq!(coarse(&parse(r"\+81[ -]?[0-9]{2,4}〒")), None);
    }

    /// A DFA of `regexes` with the smallest cache, cleared on nearly every
    /// new state; past `clears` clears (if any) its search gives up.
    fn cramped(regexes: &[&str], clears: Option<usize>) -> DFA {
        with_cache(regexes, 0, clears)
    }

    /// A DFA of `regexes` whose cache holds `capacity` bytes.
    fn with_cache(regexes: &[&str], capacity: usize, clears: Option<usize>) -> DFA {
        DFA::builder()
            .thompson(thompson::Config::new().which_captures(WhichCaptures::None))
            .configure(
                DFA::config()
                    .match_kind(MatchKind::All)
                    .cache_capacity(capacity)
                    .skip_cache_capacity_check(true)
                    .minimum_cache_clear_count(clears),
            )
            .build_many(regexes)
            .unwrap()
    }

    /// [`build`] of patterns not parsed yet.
    fn built(patterns: &[(u64, &str)]) -> DFA {
        let owned = parse_each(patterns.iter().map(|&(_, p)| p));
        build(patterns, &owned.iter().map(|(&p, h)| (p, h)).collect()).unwrap()
    }

    #[test]
    fn lines_list_the_patterns_that_match_on_them() {
        let gate = Gate::new(&[
            (1, "([0-9]{3}-[0-9]{4})", false),
            (2, "(@)", false),
            (4, "x([0-9]+)", false),
        ])
        .unwrap();
        let t = "a 123-4567\nnone\nb@c x12 x3\n\nx9";
        // Per line and pattern, where its earliest and its latest match
        // end: `x1` ends at 22, `x12` at 23, `x3` at 26; `x9` at 30.
        let mut flags = Flags::default();
        gate.flag(t, &mut Idle, &mut gate.scratch(), &mut flags);
        assert_eq!(flags.ends, [(0, 1, 10, 10), (16, 2, 18, 18), (16, 4, 22, 26), (28, 4, 30, 30)]);
        let at = [flags.at(0), flags.at(11), flags.at(16), flags.at(27)];
        assert_eq!(at.map(|bits| bits & 7), [1, 0, 6, 0]);
        assert_eq!(at.map(|bits| bits & 8), [8; 4], "patterns outside the gate always run");
        let mut flags = Flags::default();
        gate.flag(t, &mut Idle, &mut gate.scratch(), &mut flags);
        assert_eq!(flags.ends(0, 1), Some((10, 10)));
        assert_eq!(flags.ends(16, 2), Some((18, 18)));
        assert_eq!(flags.ends(16, 4), Some((22, 26)));
        assert_eq!(flags.ends(16, 1), None);
        assert_eq!(flags.ends(28, 4), Some((30, 30)));
        assert_eq!(flags.ends(28, 8), None, "not gated: unknown");
        // Detectors past the 63rd share a bit, in whatever groups: a line's
        // entries for it are taken together.
        let mut flags =
            Flags { ends: vec![(0, 1, 9, 12), (0, 1, 5, 7)], gated: 1, ..Flags::default() };
        assert_eq!(flags.ends(0, 1), Some((5, 12)));
    }

    /// A rider whose state counts the bytes it read and hashes them, in
    /// order; every third count is special, and the rider records it.
    struct Tape {
        arrived: Vec<(usize, (usize, u64))>,
        context: Vec<Region>,
        everywhere: u64,
    }

    impl Rider for Tape {
        type State = (usize, u64);

        fn start(&mut self) -> (usize, u64) {
            (0, 0)
        }

        fn next(&self, (count, hash): (usize, u64), byte: u8) -> (usize, u64) {
            (count + 1, hash.wrapping_mul(31).wrapping_add(u64::from(byte)))
        }

        fn is_special(&self, (count, _): (usize, u64)) -> bool {
            count % 3 == 0
        }

        fn arrive(&mut self, state: (usize, u64), at: usize) {
            self.arrived.push((at, state));
        }

        fn context(&mut self) -> &[Region] {
            &self.context
        }

        fn everywhere(&self) -> u64 {
            self.everywhere
        }
    }

    /// What [`Tape`] records when it reads `bytes` (each with its
    /// position), in order, from its start state.
    fn taped(bytes: impl Iterator<Item = (usize, u8)>) -> Vec<(usize, (usize, u64))> {
        let mut hash = 0u64;
        let mut arrived = Vec::new();
        for (count, (at, b)) in (1..).zip(bytes) {
            hash = hash.wrapping_mul(31).wrapping_add(u64::from(b));
            if count % 3 == 0 {
                arrived.push((at, (count, hash)));
            }
        }
        arrived
    }

    #[test]
    fn the_rider_reads_every_byte_once_whatever_the_groups_do() {
        // Of a length the rider's special states divide: the last byte is
        // heard of too.
        let t = "x 123-4567 @\nab 765-4321";
        assert_eq!(t.len() % 3, 0);
        let every = taped(t.bytes().enumerate());
        let sets: [&[(u64, &str, bool)]; 4] = [
            // No group reads the whole text.
            &[],
            &[(1, "([0-9]{7})", true)],
            // One that matches, with match states between plain ones.
            &[(1, "([0-9]{3}-[0-9]{4})", false), (2, "(@)", false)],
            // One that dies after the first bytes: the rider reads on alone.
            &[(1, r"\A(x )", false)],
        ];
        for patterns in sets {
            let gate = Gate::new(patterns).unwrap();
            let mut scratch = gate.scratch();
            // Read twice: on the first read each state is new to the lazy
            // DFAs, and only the second takes the walks' tight loops.
            for _ in 0..2 {
                let mut tape = Tape { arrived: Vec::new(), context: Vec::new(), everywhere: 0 };
                gate.flag(t, &mut tape, &mut scratch, &mut Flags::default());
                assert_eq!(tape.arrived, every, "{patterns:?}");
            }
        }
        // Its state comes back from each step to the next.
        let mut tape = Tape { arrived: Vec::new(), context: Vec::new(), everywhere: 0 };
        let mut riding = Riding { rider: &mut tape, state: (0, 0) };
        ride(&mut riding, t.as_bytes(), 2..9);
        let hash = t.as_bytes()[2..9].iter().fold(0u64, |h, &b| h.wrapping_mul(31) + u64::from(b));
        assert_eq!(riding.state, (7, hash));
    }

    /// A table read with a group of its own ([`Gate::flag_table`]): the
    /// rider reads every byte once, and the lines flagged for the
    /// detectors with context there, with where their matches end, are
    /// those of reading it the other way. (That way a group flags its
    /// other detectors too, which need context and have none: they do not
    /// run.)
    #[test]
    fn a_table_read_with_a_group_of_its_own_is_flagged_as_by_the_groups() {
        let patterns = [
            (1, "([0-9]{3}-[0-9]{4})", false),
            (2, "([0-9]{4})", true),
            (4, "(x[0-9]{2})", true),
            (8, "(@[a-z]+)", true),
        ];
        let mut gate = Gate::new(&patterns).unwrap();
        let t = "a,123-4567,x12\nb,@ab 4321,\nc,x99 x98,1111-2222\n,,\nd,,@q";
        let whole = |detectors| vec![Region { lines: 0..t.len(), detectors }];
        // Named by the header: 2; with a keyword somewhere: 4; 8 has none.
        for (everywhere, context) in [(2, whole(2 | 4)), (2 | 8, whole(2 | 8)), (4, whole(4))] {
            let flagged = |gate: &Gate| {
                let mut scratch = gate.scratch();
                let mut tape = Tape { arrived: Vec::new(), context: context.clone(), everywhere };
                let mut flags = Flags::default();
                // Twice: the second read takes the walks' tight loops.
                for _ in 0..2 {
                    tape.arrived.clear();
                    gate.flag(t, &mut tape, &mut scratch, &mut flags);
                }
                assert_eq!(tape.arrived, taped(t.bytes().enumerate()));
                let read = context[0].detectors | 1;
                flags.ends.retain(|&(_, bit, ..)| bit & read != 0);
                flags.ends
            };
            gate.table_from = 0;
            let own = flagged(&gate);
            assert!(own.iter().any(|&(_, bit, ..)| bit & context[0].detectors != 0));
            gate.table_from = usize::MAX;
            assert_eq!(own, flagged(&gate), "{everywhere}");
        }
    }

    /// [`Lines`] reading a table whose header names the detectors of
    /// `everywhere`: it starts every line afresh, so it can read in lanes.
    struct TableLines {
        lines: Lines,
        context: Vec<Region>,
        everywhere: u64,
    }

    impl Rider for TableLines {
        type State = (usize, u64);

        fn start(&mut self) -> (usize, u64) {
            self.lines.start()
        }

        fn next(&self, state: (usize, u64), byte: u8) -> (usize, u64) {
            self.lines.next(state, byte)
        }

        fn is_special(&self, state: (usize, u64)) -> bool {
            self.lines.is_special(state)
        }

        fn arrive(&mut self, state: (usize, u64), at: usize) {
            self.lines.arrive(state, at);
        }

        fn line_start(&self) -> Option<(usize, u64)> {
            self.lines.line_start()
        }

        fn context(&mut self) -> &[Region] {
            &self.context
        }

        fn everywhere(&self) -> u64 {
            self.everywhere
        }
    }

    /// A table long enough ([`Gate::lanes_from`]) is read by the rider
    /// alone in three lanes, before its groups: it hears every byte once,
    /// as in one lane, and the lines flagged are the same.
    #[test]
    fn a_tables_rider_hears_in_lanes_what_it_hears_in_one() {
        let patterns = [(1, "([0-9]{3}-[0-9]{4})", false), (2, "([0-9]{4})", true)];
        let mut gate = Gate::new(&patterns).unwrap();
        gate.table_from = 0;
        let t = sample();
        let context = vec![Region { lines: 0..t.len(), detectors: 2 }];
        let read = |gate: &Gate| {
            let mut scratch = gate.scratch();
            let lines = Lines { arrived: Vec::new() };
            let mut rider = TableLines { lines, context: context.clone(), everywhere: 2 };
            let mut flags = Flags::default();
            // Twice: the second read takes the tight loops.
            for _ in 0..2 {
                rider.lines.arrived.clear();
                gate.flag(t, &mut rider, &mut scratch, &mut flags);
            }
            (rider.lines.arrived, flags.ends)
        };
        gate.lanes_from = usize::MAX;
        let (alone, ends) = read(&gate);
        assert_eq!(alone, lined(t, std::slice::from_ref(&(0..t.len()))));
        assert!(ends.iter().any(|&(_, bit, ..)| bit == 2), "the table's group flags lines");
        gate.lanes_from = 0;
        let (mut laned, laned_ends) = read(&gate);
        // The lanes take turns: heard out of order, each byte once.
        assert!(!laned.is_sorted());
        laned.sort_unstable();
        assert_eq!(laned, alone);
        assert_eq!(laned_ends, ends);
    }

    #[test]
    fn groups_that_need_context_read_the_riders_regions_of_their_detectors() {
        let gate = Gate::new(&[(1, "([0-9]{3}-[0-9]{4})", true)]).unwrap();
        let t = "a 123-4567\nb 765-4321\nc 111-2222\nd 333-4444";
        let at = |c: char| t.find(c).unwrap();
        let context = vec![
            Region { lines: at('b')..at('c') - 1, detectors: 1 | 2 },
            // Lines with context for other detectors only: not read.
            Region { lines: at('d')..t.len(), detectors: 2 },
        ];
        let mut tape = Tape { arrived: Vec::new(), context, everywhere: 0 };
        let mut flags = Flags::default();
        gate.flag(t, &mut tape, &mut gate.scratch(), &mut flags);
        let lines = ['a', 'b', 'c', 'd'].map(|c| flags.at(at(c)) & 1);
        assert_eq!(lines, [0, 1, 0, 0]);
        // A group reads a region for some of its detectors, and flags only
        // those: its others need a keyword, or a mark, of their own there.
        let gate = Gate::new(&[(1, "([0-9]{3}-[0-9]{4})", true), (2, "([0-9]{4})", true)]).unwrap();
        assert_eq!(gate.groups(), 1);
        let context = vec![
            Region { lines: at('a')..at('b') - 1, detectors: 1 },
            Region { lines: at('c')..at('d') - 1, detectors: 2 },
            Region { lines: at('d')..t.len(), detectors: 1 | 2 },
        ];
        let mut tape = Tape { arrived: Vec::new(), context, everywhere: 0 };
        let mut flags = Flags::default();
        gate.flag(t, &mut tape, &mut gate.scratch(), &mut flags);
        let lines = ['a', 'b', 'c', 'd'].map(|c| flags.at(at(c)) & 3);
        assert_eq!(lines, [1, 0, 2, 3]);
        // Where the rider says before the walk that every line may have
        // context (a table's header names the detector), the group reads
        // every line, beside the rider, whatever regions it gives after.
        let mut tape = Tape { arrived: Vec::new(), context: Vec::new(), everywhere: 1 };
        let mut flags = Flags::default();
        gate.flag(t, &mut tape, &mut gate.scratch(), &mut flags);
        let lines = ['a', 'b', 'c', 'd'].map(|c| flags.at(at(c)) & 1);
        assert_eq!(lines, [1, 1, 1, 1]);
        let read = (0..t.len()).map(|i| (i, t.as_bytes()[i]));
        assert!(tape.arrived == taped(read));
        // Each of two groups walks the regions of its detectors.
        let groups =
            [(1, "([0-9]{3}-[0-9]{4})"), (2, "([0-9]{4})")].map(|p| Group::new(&[p], built(&[p])));
        let mut caches = groups.each_ref().map(|g| g.dfa.create_cache());
        let pairs = groups.iter().zip(caches.iter_mut()).collect();
        let regions = [
            Region { lines: at('a')..at('b') - 1, detectors: 1 },
            Region { lines: at('b')..at('c') - 1, detectors: 2 | 8 },
            Region { lines: at('c')..at('d') - 1, detectors: 3 },
            Region { lines: at('d')..t.len(), detectors: 4 },
        ];
        let mut ends = Vec::new();
        walk(pairs, t, &regions, &mut ends, &mut Idle, LANES_FROM);
        let lines: Vec<(usize, u64)> = ends.iter().map(|&(line, bit, ..)| (line, bit)).collect();
        assert_eq!(lines, [(at('a'), 1), (at('b'), 2), (at('c'), 1), (at('c'), 2)]);
    }

    /// Per line and pattern, where its first and its last match end, by the
    /// crate's own overlapping search, line by line: what [`walk`] must find.
    fn ends_by_lines(group: &Group, t: &str, ranges: &[Range<usize>]) -> Vec<Ends> {
        let mut cache = group.dfa.create_cache();
        let mut out: Vec<Ends> = Vec::new();
        for range in ranges {
            let mut start = range.start;
            for line in t[range.clone()].split_inclusive('\n') {
                let end = start + line.trim_end_matches('\n').len();
                let input = Input::new(t).range(start..end);
                let mut state = OverlappingState::start();
                let from = out.len();
                loop {
                    group.dfa.try_search_overlapping_fwd(&mut cache, &input, &mut state).unwrap();
                    let Some(m) = state.get_match() else { break };
                    let bit = group.bits[m.pattern().as_usize()];
                    match out[from..].iter_mut().find(|e| e.1 == bit) {
                        Some(e) => e.3 = m.offset(),
                        None => out.push((start, bit, m.offset(), m.offset())),
                    }
                }
                start += line.len();
            }
        }
        out
    }

    #[test]
    fn a_walk_whose_cache_is_cleared_records_what_it_records_otherwise() {
        // Match states read before a clear must not be taken for the states
        // that get their ids after it.
        let patterns = [(1, "([0-9]{3}-[0-9]{4})"), (2, "(0[0-9]{9,10})"), (4, "x([0-9]+)")];
        let group = Group::new(&patterns, cramped(&patterns.map(|(_, p)| p), None));
        let t = sample();
        let mut expected = ends_by_lines(&group, t, std::slice::from_ref(&(0..t.len())));
        expected.sort_unstable();
        let mut cache = group.dfa.create_cache();
        let mut ends = Vec::new();
        let whole = [Region { lines: 0..t.len(), detectors: !0 }];
        // In one lane: in several, a cache this small gives up (see
        // a_lane_whose_state_a_clear_takes_is_worked_out_again).
        let gave_up = walk(vec![(&group, &mut cache)], t, &whole, &mut ends, &mut Idle, usize::MAX);
        assert_eq!(gave_up, 0);
        assert!(cache.clear_count() > 10, "{}", cache.clear_count());
        ends.sort_unstable();
        assert_eq!(ends, expected);
    }

    #[test]
    fn of_three_groups_side_by_side_one_that_gives_up_leaves_the_others_theirs() {
        // The middle group's cache holds no state and gives up at its
        // first clear: the other two read the rest, and the rider every
        // byte once.
        let sets: [&[(u64, &str)]; 3] =
            [&[(1, "([0-9]{3}-[0-9]{4})")], &[(2, "(0[0-9]{9,10})")], &[(4, "x([0-9]+)")]];
        let quitting = cramped(&[sets[1][0].1], Some(0));
        let groups = [
            Group::new(sets[0], built(sets[0])),
            Group::new(sets[1], quitting),
            Group::new(sets[2], built(sets[2])),
        ];
        let t = sample();
        let whole = [Region { lines: 0..t.len(), detectors: !0 }];
        let mut expected: Vec<Ends> = [&groups[0], &groups[2]]
            .iter()
            .flat_map(|g| ends_by_lines(g, t, std::slice::from_ref(&(0..t.len()))))
            .collect();
        expected.sort_unstable();
        let mut caches: Vec<Cache> = groups.iter().map(|g| g.dfa.create_cache()).collect();
        let pairs: Vec<(&Group, &mut Cache)> = groups.iter().zip(&mut caches).collect();
        let mut ends = Vec::new();
        let mut tape = Tape { arrived: Vec::new(), context: Vec::new(), everywhere: 0 };
        let gave_up = walk(pairs, t, &whole, &mut ends, &mut tape, LANES_FROM);
        assert_eq!(gave_up, 2);
        ends.retain(|&(_, bit, ..)| bit != 2);
        ends.sort_unstable();
        assert!(expected.len() > 100, "{}", expected.len());
        assert_eq!(ends, expected);
        let read = (0..t.len()).map(|i| (i, t.as_bytes()[i]));
        assert!(tape.arrived == taped(read));
    }

    /// Line ranges of `t` (of 100 lines or more), as context regions give
    /// them: six lines, one, and all from the hundredth on.
    fn parts_of(t: &str) -> [Range<usize>; 3] {
        let lines: Vec<usize> =
            std::iter::once(0).chain(t.match_indices('\n').map(|(i, _)| i + 1)).collect();
        [lines[3]..lines[9] - 1, lines[40]..lines[41] - 1, lines[100]..t.len()]
    }

    #[test]
    fn groups_walked_side_by_side_find_what_each_finds_alone() {
        let sets: [&[(u64, &str)]; 5] = [
            &[(1, "([0-9]{3}-[0-9]{4})"), (2, "(0[0-9]{9,10})"), (4, "([0-9]{7})")],
            &[(8, "(@)"), (16, "x([0-9]+)"), (32, "(?:^|[=: ])([0-9]{4})(?:$|[ ,])")],
            &[(64, "(req=[0-9a-f]{8})")],
            &[(128, "([0-9]{4}-[0-9]{2}-[0-9]{2})")],
            &[(256, "(ip=[0-9.]+)"), (512, "([A-Z]{4})")],
        ];
        let all: Vec<Group> = sets.iter().map(|p| Group::new(p, built(p))).collect();
        let t = sample();
        let parts = parts_of(t);
        // One group alone, and up to five, two by two.
        let whole = 0..t.len();
        let whole = std::slice::from_ref(&whole);
        for (n, ranges) in (1..=5).flat_map(|n| [(n, whole), (n, &parts[..])]) {
            let groups = &all[..n];
            let regions: Vec<Region> =
                ranges.iter().map(|r| Region { lines: r.clone(), detectors: !0 }).collect();
            let mut expected: Vec<Ends> =
                groups.iter().flat_map(|g| ends_by_lines(g, t, ranges)).collect();
            expected.sort_unstable();
            assert!(expected.len() > 100, "{}", expected.len());
            let mut with_caches: Vec<(&Group, Cache)> =
                groups.iter().map(|g| (g, g.dfa.create_cache())).collect();
            let pairs: Vec<(&Group, &mut Cache)> =
                with_caches.iter_mut().map(|(g, c)| (*g, c)).collect();
            let mut ends = Vec::new();
            let mut tape = Tape { arrived: Vec::new(), context: Vec::new(), everywhere: 0 };
            let gave_up = walk(pairs, t, &regions, &mut ends, &mut tape, LANES_FROM);
            assert_eq!(gave_up, 0);
            ends.sort_unstable();
            assert_eq!(ends, expected);
            // A rider beside the first two reads each range's bytes once.
            let read = ranges.iter().flat_map(|r| r.clone().map(|i| (i, t.as_bytes()[i])));
            assert!(tape.arrived == taped(read));
        }
    }

    /// A rider whose state is its line's bytes so far (a count and a
    /// hash), as the keyword automaton's is after a line break: a second
    /// lane can start it at a line's start. Every third byte of a line,
    /// and every line break, is special.
    struct Lines {
        arrived: Vec<(usize, (usize, u64))>,
    }

    impl Rider for Lines {
        type State = (usize, u64);

        fn start(&mut self) -> (usize, u64) {
            (0, 0)
        }

        fn next(&self, (count, hash): (usize, u64), byte: u8) -> (usize, u64) {
            match byte {
                b'\n' => (0, 0),
                _ => (count + 1, hash.wrapping_mul(31).wrapping_add(u64::from(byte))),
            }
        }

        fn is_special(&self, (count, _): (usize, u64)) -> bool {
            count % 3 == 0
        }

        fn arrive(&mut self, state: (usize, u64), at: usize) {
            self.arrived.push((at, state));
        }

        fn line_start(&self) -> Option<(usize, u64)> {
            Some((0, 0))
        }

        fn context(&mut self) -> &[Region] {
            &[]
        }
    }

    /// What [`Lines`] hears of reading the bytes of `ranges` of `t` in
    /// order, from its start, in one lane.
    fn lined(t: &str, ranges: &[Range<usize>]) -> Vec<(usize, (usize, u64))> {
        let mut rider = Lines { arrived: Vec::new() };
        let mut state = rider.start();
        for i in ranges.iter().flat_map(|r| r.clone()) {
            state = rider.step(state, i, t.as_bytes()[i]);
        }
        rider.arrived
    }

    #[test]
    fn a_region_read_in_lanes_gives_what_one_lane_gives() {
        let sets: [&[(u64, &str)]; 4] = [
            &[(1, "([0-9]{3}-[0-9]{4})"), (2, "(0[0-9]{9,10})"), (4, "([0-9]{7})")],
            &[(8, "(@)"), (16, "x([0-9]+)"), (32, "(?:^|[=: ])([0-9]{4})(?:$|[ ,])")],
            &[(64, "(req=[0-9a-f]{8})")],
            // Dead once past the text's start: the other group's lanes
            // read their parts one after the other.
            &[(128, r"\A([0-9]{4})")],
        ];
        let all: Vec<Group> = sets.iter().map(|p| Group::new(p, built(p))).collect();
        let t = sample();
        let thirds = parts_of(t);
        let whole = 0..t.len();
        let whole = std::slice::from_ref(&whole);
        // One group (in three lanes) and two (in two) read in lanes; three
        // in one lane, as before.
        let choices: [&[usize]; 5] = [&[0], &[0, 1], &[0, 1, 2], &[3], &[0, 3]];
        for (chosen, ranges) in choices.iter().flat_map(|c| [(c, whole), (c, &thirds[..])]) {
            let groups: Vec<&Group> = chosen.iter().map(|&i| &all[i]).collect();
            let n = groups.len();
            let regions: Vec<Region> =
                ranges.iter().map(|r| Region { lines: r.clone(), detectors: !0 }).collect();
            let mut expected: Vec<Ends> =
                groups.iter().flat_map(|g| ends_by_lines(g, t, ranges)).collect();
            expected.sort_unstable();
            // Each state read once before, so that the tight loops run.
            let mut caches: Vec<Cache> = groups.iter().map(|g| g.dfa.create_cache()).collect();
            for round in 0..2 {
                let pairs: Vec<(&Group, &mut Cache)> =
                    groups.iter().copied().zip(&mut caches).collect();
                let (mut ends, mut rider) = (Vec::new(), Lines { arrived: Vec::new() });
                assert_eq!(walk(pairs, t, &regions, &mut ends, &mut rider, 0), 0);
                // Each lane lists its lines in order, the first lane's
                // first; three groups walk a region in two loops, each in
                // order: one step back at most, in each region.
                let back = ends.windows(2).filter(|w| w[1].0 < w[0].0).count();
                assert!(back <= (n.div_ceil(2) - 1) * ranges.len(), "{chosen:?} {round}");
                ends.sort_unstable();
                assert_eq!(ends, expected, "{chosen:?}, {ranges:?}");
                // The rider hears every byte once, the lanes' in turns.
                // Side by side while every group walks both.
                let side_by_side = n <= 2 && !chosen.contains(&3);
                assert_eq!(rider.arrived.is_sorted(), !side_by_side, "{chosen:?} {ranges:?}");
                rider.arrived.sort_unstable();
                assert_eq!(rider.arrived, lined(t, ranges));
            }
        }
        // The line break between the lanes: at or after the middle.
        let t = b"ab\ncd\nef\ngh";
        assert_eq!(parts(t, 0..t.len()), Some([0..5, 6..t.len()]));
        assert_eq!(parts(t, 3..8), Some([3..5, 6..8]));
        assert_eq!(parts::<2>(t, 9..t.len()), None);
        assert_eq!(parts::<2>(t, 6..9), None);
        // In three: at or after each third, none empty.
        assert_eq!(parts(t, 0..t.len()), Some([0..5, 6..8, 9..t.len()]));
        assert_eq!(parts(b"abcdefg\nh\ni", 0..11), Some([0..7, 8..9, 10..11]));
        assert_eq!(parts::<3>(b"abcdefgh\nij", 0..11), None);
        assert_eq!(parts::<3>(b"abcdefgh\n\nij", 0..12), None, "an empty part");
    }

    #[test]
    fn a_lane_whose_state_a_clear_takes_is_worked_out_again() {
        let patterns = [(1, "([0-9]{3}-[0-9]{4})"), (2, "(0[0-9]{9,10})"), (4, "x([0-9]+)")];
        let regexes = patterns.map(|(_, p)| p);
        let t = sample();
        let whole = [Region { lines: 0..t.len(), detectors: !0 }];
        let group = Group::new(&patterns, with_cache(&regexes, 8 << 10, None));
        let mut expected = ends_by_lines(&group, t, std::slice::from_ref(&(0..t.len())));
        expected.sort_unstable();
        // A cache of a few states, cleared now and then: each clear in one
        // lane is made up for in the other.
        let mut cache = group.dfa.create_cache();
        let mut ends = Vec::new();
        let mut rider = Lines { arrived: Vec::new() };
        let gave_up = walk(vec![(&group, &mut cache)], t, &whole, &mut ends, &mut rider, 0);
        assert_eq!(gave_up, 0);
        assert!(cache.clear_count() > 10, "{}", cache.clear_count());
        ends.sort_unstable();
        assert_eq!(ends, expected);
        rider.arrived.sort_unstable();
        assert_eq!(rider.arrived, lined(t, std::slice::from_ref(&(0..t.len()))));
        // One too small for a state past the one it was cleared for: the
        // lane worked out again clears it once more, and the group gives
        // up (its detectors run on every line).
        let group = Group::new(&patterns, cramped(&regexes, None));
        let mut cache = group.dfa.create_cache();
        let mut rider = Lines { arrived: Vec::new() };
        let gave_up = walk(vec![(&group, &mut cache)], t, &whole, &mut Vec::new(), &mut rider, 0);
        assert_eq!(gave_up, 7);
        rider.arrived.sort_unstable();
        assert_eq!(rider.arrived, lined(t, std::slice::from_ref(&(0..t.len()))));
    }

    #[test]
    fn the_builtin_grouping_is_what_calibration_gives_and_serves_its_parts() {
        let set = crate::detect::DetectorSet::load(&[]).unwrap();
        // Calibrated as the gate builds its groups: as it reads them.
        let needs_context: HashMap<&str, bool> =
            set.gate.patterns.iter().map(|(_, p, c)| (p.as_str(), *c)).collect();
        let owned: HashMap<&str, Hir> =
            parse_each(set.gate.patterns.iter().map(|(_, p, _)| p.as_str()))
                .into_iter()
                .map(|(p, hir)| (p, as_read(&hir, !needs_context[p]).into_owned()))
                .collect();
        let parsed = owned.iter().map(|(&p, h)| (p, h)).collect();
        let sorted = |mut lists: Vec<Vec<usize>>| {
            lists.iter_mut().for_each(|l| l.sort_unstable());
            lists.sort_unstable();
            lists
        };
        let kinds: [Vec<(u64, &str)>; 2] = [false, true].map(|needs_context| {
            (set.gate.patterns.iter())
                .filter(|p| p.2 == needs_context)
                .map(|(b, p, _)| (*b, p.as_str()))
                .collect()
        });
        let mut trials = Trials { tried: HashMap::new(), parsed: &parsed };
        let lists = [0, 1].map(|k| calibrate(&kinds[k], &mut trials, GROUP_MEMORY[k]).unwrap());
        let calibrated: Vec<Vec<Vec<u64>>> = (kinds.iter().zip(&lists))
            .map(|(kind, lists)| {
                lists.iter().map(|l| l.iter().map(|&i| key(kind[i].1)).collect()).collect()
            })
            .collect();
        let stored: Vec<Vec<Vec<u64>>> =
            BUILTIN_GROUPS.iter().map(|kind| kind.iter().map(|g| g.to_vec()).collect()).collect();
        assert_eq!(
            stored, calibrated,
            "the built-in detectors changed: in gate.rs set BUILTIN_GROUPS = {calibrated:#x?}"
        );
        for (needs_context, (kind, lists)) in kinds.iter().zip(lists).enumerate() {
            // The whole set takes the stored groups.
            let known = known_groups(kind, BUILTIN_GROUPS[needs_context]);
            assert_eq!(known.map(sorted), Some(sorted(lists)));
            // A part of it (every third pattern left out) takes them less
            // what it lacks, and each stays small; a pattern of its own
            // makes a set calibrate.
            let part: Vec<(u64, &str)> =
                kind.iter().enumerate().filter(|(i, _)| i % 3 != 1).map(|(_, &p)| p).collect();
            let known = known_groups(&part, BUILTIN_GROUPS[needs_context]).unwrap();
            assert_eq!(known.iter().map(Vec::len).sum::<usize>(), part.len());
            for list in &known {
                let members = members(&part, list);
                let limit = GROUP_MEMORY[needs_context];
                assert!(trials.memory(&members).unwrap() <= limit);
            }
            let own = [&part[..], &[(1, "(Z[0-9]{3})")]].concat();
            assert_eq!(known_groups(&own, BUILTIN_GROUPS[needs_context]), None);
        }
    }

    #[test]
    fn widening_opens_long_counts_and_keeps_every_match() {
        let parse = |p: &str| syntax::parse_with(p, &crate::detect::syntax()).unwrap();
        // Counts two or more apart become open-ended; shorter and exact
        // ones stay, inside groups and alternations too.
        assert_eq!(widen(&parse("(a{0,20}b{1,2}c{3})")), Some(parse("(a*b{1,2}c{3})")));
        assert_eq!(widen(&parse("(x|(?:y[0-9]{2,4})+)")), Some(parse("(x|(?:y[0-9]{2,})+)")));
        // A pattern with nothing to widen is not built again.
        assert_eq!(widen(&parse("(x|y[0-9]{2,3}z{4})")), None);
        // Every match of a detector's pattern is a match of its widened
        // form, end to end: here the Japanese address, on a line of a
        // table and on prose.
        let set = crate::detect::DetectorSet::load(&[]).unwrap();
        let address = set.gate.patterns.iter().find(|(_, p, _)| p.contains("北海道")).unwrap();
        let real = regex_automata::meta::Regex::new(&address.1).unwrap();
        let whole = Hir::concat(vec![
            Hir::look(regex_syntax::hir::Look::Start),
            widen(&parse(&address.1)).expect("its long counts widen"),
            Hir::look(regex_syntax::hir::Look::End),
        ]);
        let widened = regex_automata::meta::Regex::builder().build_from_hir(&whole).unwrap();
        let text = "12,中村 さくら,京都府京都市下京区四条通7丁目20番9号 308号室,1980年2月1日\n\
                    本社は東京都千代田区千代田1-1 メゾン青葉308号室、支店は大阪府大阪市北区梅田3丁目1番\n";
        let spans: Vec<_> = real.find_iter(text).map(|m| m.range()).collect();
        assert_eq!(spans.len(), 3, "{spans:?}");
        for span in spans {
            assert!(widened.is_match(&text[span.clone()]), "{}", &text[span]);
        }
    }

    #[test]
    fn a_pattern_read_as_a_line_holds_no_line_break() {
        let parse = |p: &str| syntax::parse_with(p, &super::super::syntax()).unwrap();
        let local = |p: &str| line_local(&parse(p));
        let crosses = |h: &Hir| ByteSet::of(h).contains(b'\n');
        for p in ["a[\\s]b", "([^,]+)", "(?s)x.y", "(?-u:[\\x00-\\x7f])"] {
            let l = local(p).unwrap();
            assert!(crosses(&parse(p)) && !crosses(&l), "{p}: {l}");
        }
        // A line's own search reads it up to its `\n` (a `\r` before it
        // included): its start and end are those of `\n` alone.
        use regex_syntax::hir::Look;
        let (start, end) = (Hir::look(Look::StartLF), Hir::look(Look::EndLF));
        assert_eq!(local("\\A(a)\\z"), Some(Hir::concat(vec![start, parse("(a)"), end])));
        assert_eq!(local("x\\ny|z"), Some(parse("[a&&b]|z")));
        // Unchanged: no line break, and `$` already ends a line.
        assert_eq!(local("([0-9]{7})$"), None);
    }

    #[test]
    fn a_pattern_tells_the_bytes_its_matches_can_hold() {
        let bytes = |p: &str| ByteSet::of(&syntax::parse_with(p, &super::super::syntax()).unwrap());
        let crosses = |p: &str| bytes(p).contains(b'\n');
        assert!(crosses("a[\\s]b"));
        assert!(crosses("(?s)x.y"));
        assert!(crosses("([^,]+)"), "a negated class holds the line break");
        assert!(!crosses("([0-9]{7})"));
        assert!(!crosses("(a.b)"), "`.` stops at a line break");
        assert!(!crosses("([^,\\n]+)"));
        let email = bytes("([a-z0-9.]+@(?i:ex)\\.com)(?:$|[ ,])");
        for b in b"az09.@EXcom ," {
            assert!(email.contains(*b), "{}", *b as char);
        }
        for b in [b'A', b'Z', b'-', b'\t', 0x80, 0xE3] {
            assert!(!email.contains(b), "{b:#x}");
        }
        let address = bytes("(東京都[^,、]{1,9}[0-9]+)");
        assert!(!address.contains(b','), "the ASCII part of a class is exact");
        assert!(address.contains(0x80) && address.contains(0xFF) && address.contains(b'x'));
        assert!(!bytes("(\\b[0-9]+\\b)").contains(b' '), "look-arounds hold no byte");
    }

    #[test]
    fn a_pattern_tells_the_bytes_its_matches_can_start_with() {
        let starts =
            |p: &str| ByteSet::starts(&syntax::parse_with(p, &super::super::syntax()).unwrap());
        let digits = starts("([0-9]{3}-[0-9]{4})");
        assert_eq!(digits.members().collect::<Vec<u8>>(), (b'0'..=b'9').collect::<Vec<u8>>());
        let optional = starts("(?:x?y|\\bz)");
        for b in *b"xyz" {
            assert!(optional.contains(b), "{}", b as char);
        }
        assert!(!optional.contains(b'a'), "a look-around starts nothing");
        assert!(starts("(a*)").contains(b','), "an empty match starts anywhere");
        let quoted = starts("(\"[^\"]+\"@x)");
        assert!(quoted.contains(b'"') && !quoted.contains(b'a'));
        let kanji = starts("(東京)");
        assert_eq!(kanji.members().collect::<Vec<u8>>(), [0xE6], "a literal's first byte");
        let any = starts("(a*)").members().collect::<Vec<u8>>();
        assert_eq!(any, (0..=255).collect::<Vec<u8>>(), "every byte, in order");
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
        assert!(sample_memory(&built(&[(1, "([0-9]{7})")])) < GROUP_MEMORY[1]);
    }
}

//! Person names: the engine behind the `engine = "name-…"` detectors of
//! `patterns/names.toml`.
//!
//! A name has no shape a regex can check, so this module decides with
//! dictionaries and context. The dictionaries (`patterns/names/`, sources and
//! licences in `patterns/README.md`) are hash tables laid out at build time
//! ([`dictionary`](super::dictionary)): every candidate is already cut at
//! script boundaries (a run of kanji, of katakana, a capitalised word), so a
//! lookup per possible surname length is all the matching there is, and no
//! automaton would do less.
//!
//! What makes a candidate a name, strongest first:
//! - a label of the detector before it (`氏名：`, `フリガナ`, `Name:`, `Dear`)
//!   or a column header naming its column (`氏名`, `full_name`);
//! - an honorific after it (`様`, `さん`, `殿`, `氏`, `君`) and a dictionary
//!   surname (or given name) in it;
//! - with neither, both a surname and a given name from the dictionaries that
//!   are not also ordinary words (`上田` and `健康` are nouns too).
//!
//! Guards keep what only looks like a name out: company and organisation names
//! (株式会社…, …銀行, …支店, …御中, `ｶ)` in a holder name), a prefecture or
//! city, common English words (`May`, `Grant`), and words inside code
//! identifiers (`taro_yamada`, `user.Name`).
//!
//! This module knows nothing of files or findings: it reports byte ranges of
//! the text it is given.

use std::ops::Range;

use super::catalog::Engine;
use super::dictionary::{
    EN_COMMON, EN_GIVEN, EN_SURNAMES, JA_GIVEN, JA_GIVEN_KANA, JA_SURNAMES, JA_SURNAMES_KANA,
    ROMAJI_GIVEN, ROMAJI_SURNAMES,
};
use super::words::Words;
use crate::finding::Confidence;

/// Honorifics that follow a name (`山田様`, `花子さん`).
const HONORIFICS: &[&str] = &["様", "さま", "さん", "殿", "氏", "君", "くん", "ちゃん", "サマ"];

/// Whether `s` starts with one of the [`HONORIFICS`]. Asked of the text after
/// most kanji runs: each honorific's first character (three bytes, as every
/// one's is) is compared before the rest, without a call.
fn starts_with_honorific(s: &str) -> bool {
    let Some(head) = s.as_bytes().first_chunk::<3>() else { return false };
    HONORIFICS.iter().any(|h| h.as_bytes().first_chunk::<3>() == Some(head) && s.starts_with(h))
}

/// Whether `s` ends with one of the [`ROLE_WORDS`], last characters (three
/// bytes each) first, as [`starts_with_honorific`] does.
fn ends_with_role(s: &str) -> bool {
    let Some(tail) = s.as_bytes().last_chunk::<3>() else { return false };
    ROLE_WORDS.iter().any(|w| w.as_bytes().last_chunk::<3>() == Some(tail) && s.ends_with(w))
}

/// One-kanji words that take an honorific without being anyone's name
/// (お客様, 皆様, 奥様, 神様, 王様 …) and that the dictionary also lists as
/// surnames.
const TITLED_WORDS: &[&str] = &[
    "客", "皆", "奥", "神", "王", "殿", "仏", "姫", "貴", "父", "母", "兄", "姉", "弟", "妹", "嬢",
    "主", "方", "君", "彼", "人", "子", "家", "親", "孫", "娘", "息", "坊", "殿", "上", "外",
];

/// Roles that take an honorific and that the dictionaries could read as a
/// surname and given name (社 + 長): 社長さん, 大家さん are no one's name.
const ROLE_WORDS: &[&str] = &[
    "社長",
    "部長",
    "課長",
    "係長",
    "店長",
    "会長",
    "院長",
    "校長",
    "所長",
    "局長",
    "室長",
    "次長",
    "大家",
    "先生",
    "先輩",
    "後輩",
    "担当",
    "運転手",
    "医師",
    "会員",
    "社員",
    "職員",
    "店員",
    "駅員",
    "係員",
    "主人",
    "家族",
    "親御",
    "業者",
    "貴社",
    "御社",
    "役員",
    "代表",
    "理事",
    "委員",
];

/// Kanji that end given names written mostly in kana (くみ子, より江, みち代).
const MIXED_GIVEN_ENDINGS: &[char] = &['子', '江', '代', '美', '恵', '枝', '乃', '世', '香'];

/// Endings of words for roles and relations, which take an honorific without
/// being names (担当者様, 会員様, 社長さん, 運転手さん, 大家さん, 貴社様).
const ROLE_ENDINGS: &[char] = &[
    '者', '員', '主', '社', '先', '方', '家', '長', '位', '人', '手', '師', '官', '士', '屋', '様',
    '殿', '中', '客', '生', '達', '族', '所', '局', '課', '部', '会', '店', '内', '上', '下', '側',
];

/// Words that make a kanji or kana run an organisation or a place, wherever
/// they sit in it.
const ORGANISATION_WORDS: &[&str] = &[
    "株式会社",
    "有限会社",
    "合同会社",
    "合資会社",
    "合名会社",
    "会社",
    "銀行",
    "支店",
    "本店",
    "信用金庫",
    "信金",
    "組合",
    "協会",
    "法人",
    "事務所",
    "大学",
    "学校",
    "学園",
    "病院",
    "医院",
    "商事",
    "商店",
    "工業",
    "建設",
    "工務店",
    "不動産",
    "製作所",
    "産業",
    "興業",
    "物産",
    "電機",
    "電気",
    "通信",
    "証券",
    "保険",
    "ホールディングス",
    "センター",
    "委員会",
    "役所",
    "役場",
    "営業所",
    "出張所",
    "研究所",
    "財団",
    "社団",
    "カブシキガイシャ",
    "ユウゲンガイシャ",
    "ギンコウ",
    "シテン",
    "シンキン",
    "クミアイ",
    "御中",
];

/// Endings that make a kanji run a place or an organisational unit.
const PLACE_ENDINGS: &[char] = &[
    '都', '道', '府', '県', '市', '区', '町', '村', '郡', '駅', '部', '課', '係', '室', '店', '局',
];

/// The 47 prefectures without their suffix, and the designated cities: a
/// place, not a person, when a label is followed by one alone.
const PLACES: &[&str] = &[
    "北海道",
    "青森",
    "岩手",
    "宮城",
    "秋田",
    "山形",
    "福島",
    "茨城",
    "栃木",
    "群馬",
    "埼玉",
    "千葉",
    "東京",
    "神奈川",
    "新潟",
    "富山",
    "石川",
    "福井",
    "山梨",
    "長野",
    "岐阜",
    "静岡",
    "愛知",
    "三重",
    "滋賀",
    "京都",
    "大阪",
    "兵庫",
    "奈良",
    "和歌山",
    "鳥取",
    "島根",
    "岡山",
    "広島",
    "山口",
    "徳島",
    "香川",
    "愛媛",
    "高知",
    "福岡",
    "佐賀",
    "長崎",
    "熊本",
    "大分",
    "宮崎",
    "鹿児島",
    "沖縄",
    "札幌",
    "仙台",
    "横浜",
    "川崎",
    "相模原",
    "名古屋",
    "神戸",
    "北九州",
    "堺",
    "浜松",
    "新宿",
    "渋谷",
    "池袋",
    "品川",
    "上野",
    "梅田",
    "難波",
    "博多",
];

/// Whether `text` is one of the [`PLACES`]: a lookup in a hash set of
/// them. Searched one by one, the list compared a two-kanji surname with
/// each of the 57 places as long, and 8 MB of prose took 1.3 M more
/// instructions (3% of the name engine's); a binary search of them sorted
/// took 386 instructions for each row's name of a customer table, 24.7 M
/// of 8 MB.
fn is_place(text: &str) -> bool {
    type Set = std::collections::HashSet<&'static str, foldhash::fast::FixedState>;
    static SET: std::sync::OnceLock<Set> = std::sync::OnceLock::new();
    SET.get_or_init(|| PLACES.iter().copied().collect()).contains(text)
}

/// Half-width marks of a corporate holder name (`ｶ)ﾔﾏﾀﾞｼﾖｳｼﾞ`, `ﾔﾏﾀﾞ(ﾕ`):
/// 株式会社, 有限会社, 合同会社, 医療法人, 財団, 社団, 学校法人 ….
const COMPANY_MARKS: &[&str] =
    &["ｶ", "ﾕ", "ﾄﾞ", "ﾒ", "ｼ", "ｲ", "ｻﾞｲ", "ｼﾔ", "ｼｬ", "ｶﾞｸ", "ﾌｸ", "ﾄｸﾋ", "ﾄｸ", "ｾｲ", "ﾉｳ", "ｷﾞﾖ"];

/// English words after a capitalised pair that make it an organisation or a
/// place (`John Smith Ltd`, `Grace Hill Station`).
const ENGLISH_ORGANISATION: &[&str] = &[
    "inc",
    "corp",
    "corporation",
    "ltd",
    "llc",
    "llp",
    "plc",
    "co",
    "company",
    "bank",
    "hotel",
    "university",
    "college",
    "school",
    "street",
    "st",
    "avenue",
    "ave",
    "road",
    "rd",
    "park",
    "station",
    "center",
    "centre",
    "building",
    "tower",
    "hall",
    "hospital",
    "clinic",
    "foundation",
    "group",
    "partners",
    "associates",
    "airport",
    "bridge",
    "river",
    "lake",
    "city",
    "county",
    "state",
    "institute",
    "museum",
    "library",
    "church",
    "trust",
    "holdings",
    "port",
    "ville",
    "mission",
    "way",
    "drive",
    "court",
    "place",
    "square",
    "heights",
    "harbor",
    "junction",
    "crossing",
    "mount",
    "valley",
    "springs",
    "parkway",
    "boulevard",
    "blvd",
    "lane",
];

/// Titles and salutations that may stand before a Latin name.
const TITLES: &[&str] =
    &["mr", "mrs", "ms", "miss", "mx", "dr", "prof", "sir", "dear", "madam", "mister"];

/// Contact labels that open the line under a signature's name line.
pub(crate) const CONTACT_LABELS: &[&str] =
    &["TEL", "Tel", "電話", "携帯", "Mobile", "Phone", "FAX", "Mail", "E-mail", "Email", "〒"];

/// Whether `line` opens with a contact label: the line under a signature's
/// name line.
pub(crate) fn opens_contact(line: &str) -> bool {
    let line = line.trim_start();
    CONTACT_LABELS.iter().any(|l| line.starts_with(l))
}

/// Titles written without a full stop before a surname (`Ms Williams`); with
/// one, and `Miss`, they are the `name-title` detector's.
const SPACED_TITLES: &[&str] = &["Mr", "Mrs", "Ms", "Mx", "Dr", "Prof"];

/// How a name was recognised, which sets its confidence.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Evidence {
    /// A label or a column header.
    Label,
    /// An honorific after it.
    Honorific,
    /// The dictionaries alone.
    Bare,
}

impl Evidence {
    /// What vouches for the name at `whole` of `line`: a label before it,
    /// else an honorific after it (spaces between allowed), else nothing.
    fn of(line: &str, labels: &[Label], whole: &Range<usize>) -> Evidence {
        if Names::labelled(line, labels, whole.start, ANY_FORM) {
            Evidence::Label
        } else if starts_with_honorific(line[whole.end..].trim_start_matches([' ', '\u{3000}'])) {
            Evidence::Honorific
        } else {
            Evidence::Bare
        }
    }

    fn confidence(self) -> Confidence {
        match self {
            Evidence::Label | Evidence::Honorific => Confidence::High,
            Evidence::Bare => Confidence::Medium,
        }
    }
}

/// One name found: which engine's, where, how sure.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NameHit {
    /// The kind of name.
    pub form: Engine,
    /// Byte range in the line.
    pub range: Range<usize>,
    /// How sure.
    pub confidence: Confidence,
}

/// The labels of every name detector, built once; the dictionaries are
/// laid out at build time ([`dictionary`](super::dictionary)).
#[derive(Debug)]
pub struct Names {
    /// Every name detector's keywords, then its negative keywords, as an
    /// automaton built when a line first asks for its labels
    /// ([`Names::labels_automaton`]): a scan of logs or code never does,
    /// and saves a tenth of start-up.
    labels: std::sync::OnceLock<Option<Words>>,
    /// Those keywords and negative keywords.
    label_patterns: Vec<String>,
    /// Per label pattern: the forms it labels, or 0 for a negative keyword
    /// (`会社名`, `file name`), which cancels any label it overlaps.
    label_forms: Vec<u8>,
    /// The byte length of the longest label or negative keyword: how far
    /// from a position a label touching it can end.
    longest_label: usize,
}

/// Buffers reused from line to line.
#[derive(Debug, Default)]
pub struct Scratch {
    runs: Vec<Run>,
    labels: Vec<Label>,
}

/// A label found on a line.
#[derive(Debug, Clone, Copy)]
pub struct Label {
    start: usize,
    end: usize,
    /// The forms it labels (a mask of [`form_bit`]s).
    forms: u8,
}

/// The automaton of name labels, looked for on the lines where the keyword
/// walk saw one start: the keyword automaton's own layout ([`Words`]),
/// whose step is one load from a table, where the `aho-corasick` crate's
/// DFA mapped the byte to a class, checked the index and compared the state
/// with the special ones (a fifth fewer instructions on a table's rows;
/// the time is about the same, each step waiting on the load before).
/// None without labels.
fn label_automaton(patterns: &[String]) -> Result<Option<Words>, String> {
    if patterns.is_empty() {
        return Ok(None);
    }
    Words::new(&patterns.iter().map(String::as_str).collect::<Vec<_>>()).map(Some)
}

/// The bit of a form in a label mask.
fn form_bit(form: Engine) -> u8 {
    1 << form as u8
}

/// The label mask of every form.
const ANY_FORM: u8 = 0xFF;

impl Names {
    /// Loads the dictionaries; `labels` are each form's keywords and negative
    /// keywords (already folded like the text). Their automaton is built
    /// when first needed, unless `build_now` (a user's name detector, whose
    /// words must fail at load if they fail at all).
    pub fn new(
        labels: &[(Engine, &[String], &[String])],
        build_now: bool,
    ) -> Result<Names, String> {
        let mut names = Names {
            labels: std::sync::OnceLock::new(),
            label_patterns: Vec::new(),
            label_forms: Vec::new(),
            longest_label: 0,
        };
        for (form, keywords, negative) in labels {
            for k in keywords.iter() {
                names.label_patterns.push(k.clone());
                names.label_forms.push(form_bit(*form));
            }
            for k in negative.iter() {
                names.label_patterns.push(k.clone());
                names.label_forms.push(0);
            }
        }
        names.longest_label = names.label_patterns.iter().map(String::len).max().unwrap_or(0);
        if build_now {
            let _ = names.labels.set(label_automaton(&names.label_patterns)?);
        }
        Ok(names)
    }

    /// The labels' automaton, built on first use.
    fn labels_automaton(&self) -> Option<&Words> {
        self.labels
            .get_or_init(|| {
                label_automaton(&self.label_patterns)
                    .expect("the built-in name labels build (tested)")
            })
            .as_ref()
    }

    /// The labels on `line`: where each ends and the forms it labels, in
    /// the order they end (the lookups below search them by their ends, so
    /// that a line of thousands of labels costs no more per name than a
    /// line of one). None unless `labelled`: the keyword walk lists where
    /// labels start, and most lines that may hold a name (a table's rows)
    /// have none.
    fn labels_in(&self, line: &str, labelled: bool, out: &mut Vec<Label>) {
        out.clear();
        if !labelled {
            return;
        }
        let Some(words) = self.labels_automaton() else { return };
        let mut negatives: Vec<Range<usize>> = Vec::new();
        // Every occurrence of every label, by end, as an overlapping search
        // gives them.
        let mut report = |state: u32, e: usize| {
            for (pattern, len) in words.ends(state) {
                let s = e - len;
                // ASCII labels only as whole words: `name` is no label in `rename`.
                if !super::is_whole_word(line.as_bytes(), s, e) {
                    continue;
                }
                match self.label_forms[pattern] {
                    0 => negatives.push(s..e),
                    forms => out.push(Label { start: s, end: e, forms }),
                }
            }
        };
        let mut state = words.start();
        if Words::is_match(state) {
            report(state, 0);
        }
        for (at, &byte) in line.as_bytes().iter().enumerate() {
            state = words.next(state, byte);
            if Words::is_match(state) {
                report(state, at + 1);
            }
        }
        // Overlapping matches are reported as they end: already in order,
        // which the sorts (stable, linear on sorted input) only make sure of.
        out.sort_by_key(|l| l.end);
        if !negatives.is_empty() {
            negatives.sort_by_key(|n| n.end);
            // A label inside `会社名` or `file name` labels no person: a
            // negative around a label's end ends within the longest keyword.
            let longest = self.longest_label;
            out.retain(|l| {
                let from = negatives.partition_point(|n| n.end < l.end);
                !negatives[from..]
                    .iter()
                    .take_while(|n| n.end < l.end + longest)
                    .any(|n| n.start < l.end)
            });
        }
    }

    /// Whether a label of one of the `forms` (a mask) ends before `start`
    /// with only separators (and at most one short parenthesis, `氏名（漢字）：`)
    /// between. Any name detector's label labels every form (`氏名：Taro
    /// Yamada`), except that only reading labels make hiragana a name.
    fn labelled(line: &str, labels: &[Label], start: usize, forms: u8) -> bool {
        // Only the labels ending at most a separator gap before `start`.
        let before = labels.partition_point(|l| l.end <= start);
        labels[..before]
            .iter()
            .rev()
            .take_while(|l| start - l.end <= MAX_SEPARATOR_BYTES)
            .any(|l| l.forms & forms != 0 && separators_only(&line[l.end..start]))
    }

    /// Japanese names (kanji, kana, half-width kana) on one line of folded
    /// text; `labelled` says whether one of the labels may start on it
    /// (when not, they are not looked for). The spans of `skip` (in any
    /// order) are not read: values judged otherwise, whose characters are
    /// no part of a name here.
    pub fn japanese(
        &self,
        line: &str,
        labelled: bool,
        skip: &mut [Range<usize>],
        scratch: &mut Scratch,
        out: &mut Vec<NameHit>,
    ) {
        let Scratch { runs: line_runs, labels } = scratch;
        runs(line, skip, line_runs);
        if line_runs.is_empty() {
            return;
        }
        let runs = &line_runs[..];
        self.labels_in(line, labelled, labels);
        let mut i = 0;
        while i < runs.len() {
            let run = &runs[i];
            // Hiragana is a name only after a reading label or as a kanji
            // name's reading in brackets (below): on most lines of prose,
            // neither, and it is grammar (より, しております).
            if run.script == Script::Hiragana
                && labels.is_empty()
                && !reads_bracketed(out, line, run.range.start)
            {
                i += 1;
                continue;
            }
            // A second part after one space or middle dot: 山田 太郎, ヤマダ・タロウ,
            // 廿楽 フタバ; or a given name in hiragana right after the surname
            // (林さくら), which may end in one kanji (くみ子, より江).
            let second = runs.get(i + 1).and_then(|next| {
                let gap = &line[run.range.end..next.range.start];
                let mixed = runs.get(i + 2).filter(|k| {
                    next.script == Script::Hiragana
                        && k.range.start == next.range.end
                        && k.script == Script::Kanji
                        && run_chars(&line[k.range.clone()]) == 1
                        && line[k.range.clone()].starts_with(MIXED_GIVEN_ENDINGS)
                });
                let range = next.range.start..mixed.map_or(next.range.end, |k| k.range.end);
                let consumed = if mixed.is_some() { 3 } else { 2 };
                let text = &line[range.clone()];
                let spaced = next.script.joins(run.script)
                    && is_name_gap(gap)
                    && !HONORIFICS.contains(&text);
                let short = (2..=if next.script == Script::Katakana { 8 } else { 4 })
                    .contains(&run_chars(text));
                let after = &line[range.end..];
                // After a label, a short hiragana given name that ends the
                // value (お名前：林さくら 様).
                let ends_value = || {
                    short
                        && after
                            .chars()
                            .next()
                            .is_none_or(|c| is_gap_char(c) || c == '様' || c.is_ascii_punctuation())
                        && Names::labelled(line, labels, run.range.start, ANY_FORM)
                };
                // Or before an honorific (山本さゆりさん).
                let before_honorific = || short && starts_with_honorific(after);
                let adjacent = gap.is_empty()
                    && run.script == Script::Kanji
                    && matches!(next.script, Script::Hiragana | Script::Katakana)
                    && (JA_GIVEN.contains(text) || before_honorific() || ends_value());
                (spaced || adjacent).then_some((range, consumed))
            });
            // One part or two, without an allocation per run of a line.
            let (parts, n, consumed) = match second {
                Some((range, consumed)) => ([run.range.clone(), range], 2, consumed),
                None => ([run.range.clone(), 0..0], 1, 1),
            };
            let parts = &parts[..n];
            let whole = parts[0].start..parts[parts.len() - 1].end;
            // A label is no name (`氏名,フリガナ` in a header row), though a
            // name may start like one (カナクボ).
            let is_label = {
                let from = labels.partition_point(|l| l.end < run.range.end);
                labels[from..]
                    .iter()
                    .take_while(|l| l.end <= whole.start + self.longest_label)
                    .any(|l| l.start == whole.start)
            };
            if is_label {
                i += 1;
                continue;
            }
            let found = match run.script {
                Script::Kanji => self.kanji_name(line, labels, parts),
                // Hiragana is mostly grammar: only a reading label
                // (ふりがな：やまだ たろう) makes it a name.
                Script::Hiragana => {
                    let n = line[whole.clone()].chars().count();
                    (Names::labelled(line, labels, whole.start, form_bit(Engine::NameKana))
                        && (2..=20).contains(&n))
                    .then(|| (Engine::NameKana, whole.clone(), Confidence::High))
                }
                Script::Katakana => self.kana_name(line, labels, parts, Engine::NameKana),
                Script::Halfwidth => self.kana_name(line, labels, parts, Engine::NameHalfwidth),
            };
            // A kana reading in brackets right after a kanji name is that
            // name's reading: 山田太郎（ヤマダタロウ）.
            let found = found.or_else(|| {
                (matches!(run.script, Script::Katakana | Script::Hiragana)
                    && reads_bracketed(out, line, whole.start))
                .then(|| (Engine::NameKana, whole.clone(), Confidence::High))
            });
            if let Some((form, range, confidence)) = found {
                out.push(NameHit { form, range, confidence });
                i += consumed;
            } else {
                i += 1;
            }
        }
    }

    /// A kanji name (the given name may be in kana after a space).
    fn kanji_name(
        &self,
        line: &str,
        labels: &[Label],
        parts: &[Range<usize>],
    ) -> Option<(Engine, Range<usize>, Confidence)> {
        let whole = parts[0].start..parts[parts.len() - 1].end;
        let text = &line[whole.clone()];
        let before = &line[..whole.start];
        let after = &line[whole.end..];
        let evidence = Evidence::of(line, labels, &whole);
        // The dictionaries first (most runs of prose fail there), then the
        // guards. 中村 and 阿部 end like places, but the dictionaries know
        // them as names: only a run they cannot explain is checked. A
        // prefecture or city is a person only when it is also a surname
        // (山口, 千葉) or takes an honorific.
        // 社長さん, 担当者様: a role takes an honorific too.
        let role = evidence == Evidence::Honorific && parts.len() == 1 && ends_with_role(text);
        let ok = !role
            && match parts {
                [s, g] => self.kanji_pair(&line[s.clone()], &line[g.clone()], evidence),
                _ => self.kanji_run(text, evidence),
            };
        // A surname and given name written apart with a label or an
        // honorific (八月一日 金市 様) are a name whatever they end in.
        // Each test only where the ones before passed: most runs fail the
        // dictionaries. A name with an honorific (most of prose's) needs no
        // look at the places.
        let vouched = parts.len() == 2 && evidence != Evidence::Bare;
        let place_ok = || vouched || !text.ends_with(PLACE_ENDINGS) || self.explains(text, parts);
        let city_ok =
            || evidence == Evidence::Honorific || !is_place(text) || JA_SURNAMES.contains(text);
        let ok = ok && place_ok() && city_ok() && !is_organisation(before, text, after);
        ok.then(|| (Engine::NameKanji, whole, evidence.confidence()))
    }

    /// Whether the dictionaries read `text` as a surname (and given name).
    fn explains(&self, text: &str, parts: &[Range<usize>]) -> bool {
        if parts.len() == 2 {
            let first = &text[..parts[0].end - parts[0].start];
            return JA_SURNAMES.contains(first);
        }
        // Also asked of a whole cell's value, which may hold any character.
        let n = text.chars().count();
        (1..=n.min(4)).any(|k| {
            let cut = text.char_indices().nth(k).map_or(text.len(), |(i, _)| i);
            let (s, rest) = text.split_at(cut);
            JA_SURNAMES.contains(s) && (rest.is_empty() || JA_GIVEN.contains(rest))
        })
    }

    /// 山田 太郎: a surname and a given name written apart.
    fn kanji_pair(&self, surname: &str, given: &str, evidence: Evidence) -> bool {
        let (sn, gn) = (run_chars(surname), run_chars(given));
        // Given names in kana run longer (パトリック, ジョシュア).
        let kana = given.chars().all(|c| script_of(c) != Some(Script::Kanji));
        if !(1..=5).contains(&sn) || !(1..=if kana { 8 } else { 5 }).contains(&gn) {
            return false;
        }
        let s = JA_SURNAMES.flag(surname);
        let g = JA_GIVEN.flag(given);
        match evidence {
            Evidence::Label => true,
            Evidence::Honorific => s.is_some() || g.is_some(),
            Evidence::Bare => s == Some(false) && g == Some(false),
        }
    }

    /// 山田太郎 or 山田: a kanji run split into a dictionary surname and a
    /// given name (or nothing, with an honorific or a label).
    fn kanji_run(&self, run: &str, evidence: Evidence) -> bool {
        let n = run_chars(run);
        if !(1..=8).contains(&n) {
            return false;
        }
        // Without a label or an honorific only a surname of two characters
        // or more with a given name after it will do (the match below): the
        // other splits, most of the runs of prose, need no lookup.
        let (shortest, longest) = match evidence {
            Evidence::Bare => (2, n.saturating_sub(1).min(4)),
            _ => (1, n.min(4)),
        };
        for k in (shortest..=longest).rev() {
            let (surname, rest) = run.split_at(k * RUN_CHAR_BYTES);
            let Some(common) = JA_SURNAMES.flag(surname) else { continue };
            let given = if rest.is_empty() { None } else { Some(JA_GIVEN.flag(rest)) };
            let ok = match (evidence, given) {
                // 山田様, 林様: a surname alone needs the honorific, and is no
                // one's when the two make a word (客様, 皆様, 奥様, 神様).
                (Evidence::Honorific, None) => !(common && TITLED_WORDS.contains(&surname)),
                (Evidence::Label, None) => true,
                (Evidence::Bare, None) => false,
                (Evidence::Label | Evidence::Honorific, Some(Some(_))) => true,
                // A label vouches for a rare given name the dictionary lacks.
                (Evidence::Label, Some(None)) => run_chars(rest) <= 3,
                // 吉田裕太さん: with an honorific, a surname the dictionary
                // knows vouches for a short given name it lacks.
                (Evidence::Honorific, Some(None)) => !common && run_chars(rest) <= 2,
                (Evidence::Bare, Some(g)) => !common && g == Some(false) && k >= 2,
            };
            if ok {
                return true;
            }
        }
        match evidence {
            // A rare surname: the label vouches for the whole run.
            Evidence::Label => (2..=8).contains(&n),
            // 花子さん: a given name alone, when not an ordinary word; 百目鬼様:
            // a rare surname the dictionary lacks, when it does not end like
            // a role (ご担当者様, 会員様, 社長さん, 大家さん).
            Evidence::Honorific => {
                (n >= 2 && JA_GIVEN.flag(run) == Some(false))
                    || ((2..=7).contains(&n) && !run.ends_with(ROLE_ENDINGS))
            }
            Evidence::Bare => false,
        }
    }

    /// A katakana (or, with `NameHalfwidth`, half-width katakana) name.
    fn kana_name(
        &self,
        line: &str,
        labels: &[Label],
        parts: &[Range<usize>],
        form: Engine,
    ) -> Option<(Engine, Range<usize>, Confidence)> {
        let whole = parts[0].start..parts[parts.len() - 1].end;
        let before = &line[..whole.start];
        let after = &line[whole.end..];
        let evidence = Evidence::of(line, labels, &whole);
        // One word of katakana with neither is no name (the match below):
        // most katakana words (メゾン, バージョン) end here, unconverted.
        if evidence == Evidence::Bare && parts.len() == 1 {
            return None;
        }
        let full: Vec<String> = parts.iter().map(|p| to_full_katakana(&line[p.clone()])).collect();
        let joined: String = full.concat();
        if form == Engine::NameHalfwidth && is_company_holder(before, after) {
            return None;
        }
        if holds_organisation_word(&joined) {
            return None;
        }
        let n = joined.chars().count();
        let known_pair =
            |s: &str, g: &str| JA_SURNAMES_KANA.contains(s) && JA_GIVEN_KANA.contains(g);
        let ok = match (evidence, &full[..]) {
            (Evidence::Label, _) => (2..=20).contains(&n),
            // フジワラ マアヤ様: with an honorific, one known part will do.
            (Evidence::Honorific, [s, g]) => {
                JA_SURNAMES_KANA.contains(s.as_str()) || JA_GIVEN_KANA.contains(g.as_str())
            }
            (_, [s, g]) => known_pair(s, g),
            (Evidence::Honorific, [one]) => {
                JA_SURNAMES_KANA.contains(one.as_str())
                    || split_points(one).any(|i| known_pair(&one[..i], &one[i..]))
            }
            _ => false,
        };
        ok.then(|| (form, whole, evidence.confidence()))
    }

    /// The form of a value under a name column header, if it reads as a
    /// person's name: not empty, no digits or `@`, not an organisation or a
    /// place. Half-width holder names with a company mark (`ｶ)…`) have a
    /// bracket, which no name has.
    pub fn column_value(&self, value: &str) -> Option<Engine> {
        let n = value.chars().count();
        if n == 0 || n > 40 || value.chars().any(|c| c.is_ascii_digit() || c == '@') {
            return None;
        }
        if is_organisation("", value, "")
            || is_place(value)
            || (value.ends_with(PLACE_ENDINGS)
                && !value.contains([' ', '\u{3000}'])
                && !self.explains(value, &[]))
        {
            return None;
        }
        // Whether every character but the gaps is half-width, whether every
        // one is kana, and whether any is half-width; none where some
        // character is of no script of a name (a list of the scripts,
        // allocated for each row's name, cost more than reading them).
        let scripts = value.chars().filter(|c| !is_gap_char(*c)).try_fold(
            (true, true, false),
            |(halfwidth, kana, any_halfwidth), c| {
                let s = script_of(c)?;
                let is_halfwidth = s == Script::Halfwidth;
                let is_kana = matches!(s, Script::Katakana | Script::Hiragana);
                Some((halfwidth && is_halfwidth, kana && is_kana, any_halfwidth || is_halfwidth))
            },
        );
        if let Some((halfwidth, kana, any_halfwidth)) = scripts {
            return if halfwidth {
                Some(Engine::NameHalfwidth)
            } else if kana {
                Some(Engine::NameKana)
            } else if !any_halfwidth {
                Some(Engine::NameKanji)
            } else {
                None
            };
        }
        let latin = value.chars().all(|c| c.is_ascii_alphabetic() || " .,'-".contains(c));
        if !latin || !value.chars().any(|c| c.is_ascii_alphabetic()) {
            return None;
        }
        let romaji = value
            .split([' ', ','])
            .filter(|w| !w.is_empty())
            .map(|w| w.trim_end_matches('.').to_ascii_lowercase())
            .all(|w| ROMAJI_SURNAMES.contains(w.as_str()) || ROMAJI_GIVEN.contains(w.as_str()));
        Some(if romaji { Engine::NameRomaji } else { Engine::NameEnglish })
    }

    /// The name line of a signature block: a line of just a dictionary
    /// surname and given name apart by one space (`井上 健一`), right above
    /// a contact line (`TEL:`, `Mail:`, `〒`). Such a line holds no label or
    /// honorific, so no anchor sends it to [`Names::japanese`]; its place in
    /// the block vouches for a pair that is also an ordinary word (which a
    /// bare pair in prose may not be) and for a short given name the
    /// dictionary lacks, while the surname must be the dictionary's and the
    /// line no organisation (`営業 部長`, `田中 商店` are no names).
    pub fn signature(&self, line: &str, next: &str) -> Option<NameHit> {
        let text = line.trim_end_matches('\r');
        if text.is_empty() || text.len() > 40 {
            return None;
        }
        if !opens_contact(next) {
            return None;
        }
        let (surname, given) = text.split_once([' ', '\u{3000}'])?;
        let kanji = |w: &str| w.chars().all(|c| script_of(c) == Some(Script::Kanji));
        let kana = |w: &str| {
            w.chars().all(|c| matches!(script_of(c), Some(Script::Hiragana | Script::Katakana)))
        };
        // The surname must be the dictionary's; a short given name it lacks
        // (陽菜, さくら) is vouched for by the place, as by an honorific.
        let n = given.chars().count();
        let given_ok = JA_GIVEN.contains(given)
            || (kanji(given) && (1..=3).contains(&n))
            || (kana(given) && (2..=4).contains(&n));
        let known = kanji(surname)
            && given_ok
            && JA_SURNAMES.contains(surname)
            && !is_organisation("", text, "");
        known.then_some(NameHit {
            form: Engine::NameKanji,
            range: 0..text.len(),
            confidence: Confidence::Medium,
        })
    }

    /// Latin-letter names on one line: pairs of capitalised words (`Taro
    /// Yamada`, `YAMADA Taro`, `John A. Smith`), each checked against the
    /// romaji and English dictionaries. `labelled` as for
    /// [`Names::japanese`].
    pub fn latin(
        &self,
        line: &str,
        labelled: bool,
        skip: &dyn Fn(usize) -> bool,
        scratch: &mut Scratch,
        out: &mut Vec<NameHit>,
    ) {
        let labels = &mut scratch.labels;
        let b = line.as_bytes();
        let mut words: Vec<Range<usize>> = Vec::new();
        let mut i = 0;
        while i < b.len() {
            if b[i].is_ascii_alphabetic() && (i == 0 || !is_word_byte(b[i - 1])) {
                let start = i;
                while i < b.len() && (b[i].is_ascii_alphabetic() || b[i] == b'\'') {
                    i += 1;
                }
                words.push(start..i);
            } else {
                i += 1;
            }
        }
        if words.len() < 2 {
            return;
        }
        let mut labels_done = false;
        let mut w = 0;
        while w + 1 < words.len() {
            let first = &words[w];
            let word = |r: &Range<usize>| &line[r.clone()];
            // A middle initial: John A. Smith.
            let (last_index, gap_ok) = {
                let next = &words[w + 1];
                let gap = &line[first.end..next.start];
                if gap == " " {
                    if next.len() == 1 && line[next.end..].starts_with(". ") && w + 2 < words.len()
                    {
                        let after = &words[w + 2];
                        (w + 2, &line[next.end..after.start] == ". ")
                    } else {
                        (w + 1, true)
                    }
                } else {
                    (w + 1, false)
                }
            };
            let last = &words[last_index];
            let (t1, t2) = (word(first), word(last));
            if !gap_ok || !capitalised(t1) || !capitalised(t2) || skip(first.start) {
                w += 1;
                continue;
            }
            // Inside an identifier or a path: `user.Name`, `John_Smith`, `Smith()`.
            let before_ok = first.start == 0
                || !matches!(b[first.start - 1], b'.' | b'/' | b'\\' | b'$' | b'#');
            let after = &line[last.end..];
            let after_ok =
                !after.starts_with(['_', '(', '@', '.']) || after.starts_with(". ") || after == ".";
            if !before_ok || !after_ok {
                w += 1;
                continue;
            }
            // A title is no given name. Before a full name (`Dr John Smith`)
            // it labels the pair after it; before one word (`Ms Williams`)
            // that word is a surname. With a full stop (`Ms. Williams`) the
            // `name-title` detector finds it: anchoring that regex on `Ms `
            // would hand every log line's `12 ms` to the regexes, while this
            // pass only sees capitalised pairs.
            let (l1, l2) = (t1.to_ascii_lowercase(), t2.to_ascii_lowercase());
            // A capitalised word right after the pair: a longer run (a title,
            // a product, the full name after a title).
            let capital_after = words
                .get(last_index + 1)
                .is_some_and(|n| &line[last.end..n.start] == " " && capitalised(&line[n.clone()]));
            // A number before it: a house number (`8976 Richard Port`), or
            // a unit (`120 Ms Total` in a log).
            let numbered = line[..first.start].trim_end().ends_with(|c: char| c.is_ascii_digit());
            if TITLES.contains(&l1.as_str()) {
                // An ordinary word after a title is no surname.
                let word = EN_COMMON.contains(l2.as_str()) && !EN_SURNAMES.contains(l2.as_str());
                if SPACED_TITLES.contains(&t1)
                    && last_index == w + 1
                    && !capital_after
                    && !numbered
                    && !word
                {
                    out.push(NameHit {
                        form: Engine::NameEnglish,
                        range: last.clone(),
                        confidence: Confidence::Medium,
                    });
                    w = last_index + 1;
                } else {
                    w += 1;
                }
                continue;
            }
            if !labels_done {
                self.labels_in(line, labelled, labels);
                labels_done = true;
            }
            let (c1, c2) = (EN_COMMON.contains(l1.as_str()), EN_COMMON.contains(l2.as_str()));
            let prev_word = (w > 0 && matches!(&line[words[w - 1].end..first.start], " " | ". "))
                .then(|| line[words[w - 1].clone()].to_ascii_lowercase());
            let prev_title = prev_word.as_deref().is_some_and(|p| TITLES.contains(&p));
            let prev_word = prev_word.filter(|_| &line[words[w - 1].end..first.start] == " ");
            let labelled = prev_title || Names::labelled(line, labels, first.start, ANY_FORM);
            let next_word = words
                .get(last_index + 1)
                .filter(|n| &line[last.end..n.start] == " ")
                .map(|n| line[n.clone()].to_ascii_lowercase());
            // A house number before it or an organisation word after it
            // makes it an address or a company.
            if next_word.as_deref().is_some_and(|n| ENGLISH_ORGANISATION.contains(&n))
                || (!labelled
                    && (numbered
                        || (ENGLISH_ORGANISATION.contains(&l2.as_str())
                            && (c1 || !EN_SURNAMES.contains(l2.as_str())))))
            {
                w += 1;
                continue;
            }
            // Part of a longer run of capitalised words (a title, a product):
            // only a label makes it a name.
            let in_title = prev_word.as_deref().is_some_and(|p| {
                !prev_title && capitalised(&line[words[w - 1].clone()]) && !EN_COMMON.contains(p)
            }) || capital_after;
            // `Will Power`, `May Day`, `Grant Park`: an ordinary word as the
            // given name, or as a surname no census lists (Brown and Young
            // are both words and surnames).
            let known = |w: &str| {
                EN_GIVEN.contains(w)
                    || EN_SURNAMES.contains(w)
                    || ROMAJI_SURNAMES.contains(w)
                    || ROMAJI_GIVEN.contains(w)
            };
            // Ordinary words: `Will Power`, `May Day` (both words), `Grant
            // Park`; `Grace Murphy` is a name (Murphy is no word).
            let common = c2 && (c1 || !EN_SURNAMES.contains(l2.as_str()));
            // After a label, words no dictionary knows as names (`Customer
            // Support Team`) are still no name.
            let label_words = (c1 && !known(&l1)) || (c2 && !known(&l2));
            let romaji = (ROMAJI_SURNAMES.contains(l1.as_str())
                && ROMAJI_GIVEN.contains(l2.as_str()))
                || (ROMAJI_GIVEN.contains(l1.as_str()) && ROMAJI_SURNAMES.contains(l2.as_str()));
            let english =
                EN_GIVEN.contains(l1.as_str()) && (EN_SURNAMES.contains(l2.as_str()) || labelled);
            let form = if romaji {
                Some(Engine::NameRomaji)
            } else if english || labelled {
                Some(Engine::NameEnglish)
            } else {
                None
            };
            let accept =
                form.is_some() && if labelled { !label_words } else { !common && !in_title };
            if let (true, Some(form)) = (accept, form) {
                let evidence = if labelled { Evidence::Label } else { Evidence::Bare };
                out.push(NameHit {
                    form,
                    range: first.start..last.end,
                    confidence: evidence.confidence(),
                });
                w = last_index + 1;
            } else {
                w += 1;
            }
        }
    }
}

/// Which lines of a folded text hold half-width katakana (U+FF61..U+FF9F,
/// encoded EF BD xx or EF BE xx; the full-width letters that share those
/// lead bytes are folded to ASCII before this is asked), asked line by line
/// in order. The text is searched from one hit to the next, not once per
/// line: on prose, a search per line was a twentieth of the name engine's
/// instructions.
#[derive(Debug, Default)]
pub struct HalfwidthKana {
    /// The first hit not behind the lines asked so far: `None` before the
    /// first search, `Some(None)` when there is none to the end.
    next: Option<Option<usize>>,
}

impl HalfwidthKana {
    /// Whether `t[line]` holds half-width katakana. Calls must come with
    /// `line.start` not decreasing.
    pub fn on(&mut self, t: &str, line: std::ops::Range<usize>) -> bool {
        self.next_from(t, line.start).is_some_and(|at| at < line.end)
    }

    /// Where the first half-width katakana at or after `from` starts.
    /// Calls must come with `from` not decreasing.
    pub fn next_from(&mut self, t: &str, from: usize) -> Option<usize> {
        let b = t.as_bytes();
        if self.next.is_none_or(|next| next.is_some_and(|at| at < from)) {
            let mut leads = memchr::memchr_iter(0xEF, &b[from..]).map(|i| from + i);
            self.next = Some(leads.find(|&i| matches!(b.get(i + 1), Some(0xBD | 0xBE))));
        }
        self.next.flatten()
    }
}

/// A line's Latin-name candidates ([`Names::capital_pairs`]) as a pattern
/// for the gate: a capitalised word ending in a letter, that no letter,
/// digit, `_` or `'` comes before, then a space and a capital. It matches
/// a line exactly when the line holds a candidate. Read by the gate's DFA,
/// which reads every byte anyway, the candidates cost next to nothing;
/// looked for on their own, one block of bytes at a time, they were 9% of
/// the instructions of a scan of code and 6% of logs, where `const MASK`
/// or `INFO GET` puts a letter, a space and a capital in two blocks of
/// five.
pub const LATIN_CANDIDATE: &str = "(?m:^|[^A-Za-z0-9_'\\n])[A-Z](?:[A-Za-z']*[A-Za-z])? [A-Z]";

impl Names {
    /// The Latin-name candidates: the offset of each capital that follows a
    /// space, after a capitalised word (`Taro Yamada`)
    /// or an initial (`John A. Smith`). Most text has few spaces before
    /// capitals (a sentence starts after `. `, which follows no capitalised
    /// word), so the pass costs little more than the SIMD search.
    pub fn capital_pairs<'a>(&'a self, b: &'a [u8]) -> impl Iterator<Item = usize> + 'a {
        SpaceCapitals { b, block: 0, mask: 0 }.filter(move |&c| capitalised_word_before(b, c - 1))
    }
}

/// Whether the bytes before the space at `space` end a capitalised word or
/// an initial (`A.`), which itself starts a word.
fn capitalised_word_before(b: &[u8], space: usize) -> bool {
    let end = if space >= 2 && b[space - 1] == b'.' && b[space - 2].is_ascii_uppercase() {
        space - 1
    } else {
        space
    };
    let mut start = end;
    while start > 0 && (b[start - 1].is_ascii_alphabetic() || b[start - 1] == b'\'') {
        start -= 1;
    }
    start < end && b[start].is_ascii_uppercase() && (start == 0 || !is_word_byte(b[start - 1]))
}

/// A pair ends at `c` when the two bytes before it are a letter and a
/// space and `c` holds a capital: `o Y` in `Taro Yamada`, not `. T` at a
/// sentence start. `&`, not `&&`: all three tests on every byte, as vector
/// lanes.
fn is_pair(w: &[u8]) -> bool {
    w[0].is_ascii_alphabetic() & (w[1] == b' ') & w[2].is_ascii_uppercase()
}

/// Offsets a block of [`SpaceCapitals`] covers.
const BLOCK: usize = 64;

/// The offsets of every capital right after a space that follows a letter
/// ([`is_pair`]), in order.
///
/// It reads the whole text only where the gate does not decide where Latin
/// names may be ([`LATIN_CANDIDATE`]), and otherwise each line the gate
/// flags. Over a whole text it goes a block at a time:
/// a block's test is written without branches or bounds checks for the
/// compiler to vectorise (16 bytes per step with the baseline SSE2: about
/// one instruction a byte on prose), and a block holding a pair is turned
/// into a mask of its pairs once, which then gives each of them with a
/// bit scan. Before the mask, each pair searched byte by byte from the
/// start of its block: on code, where `const MASK` and `double K33` put
/// a pair on every other line, that search was a tenth of the scan.
struct SpaceCapitals<'a> {
    b: &'a [u8],
    /// The offset of the mask's lowest bit; no pair ends before 2, so the
    /// first block starts there.
    block: usize,
    /// The pairs not yet given in the block at `block`.
    mask: u64,
}

impl Iterator for SpaceCapitals<'_> {
    type Item = usize;

    fn next(&mut self) -> Option<usize> {
        while self.mask == 0 {
            self.block = if self.block == 0 { 2 } else { self.block + BLOCK };
            let window = self.b.get(self.block - 2..)?;
            self.mask = match window.first_chunk::<{ BLOCK + 2 }>() {
                Some(window) => block_mask(window),
                // The tail: fewer than a block of offsets left.
                None if window.len() < 3 => return None,
                None => window
                    .windows(3)
                    .enumerate()
                    .fold(0, |m, (i, w)| m | u64::from(is_pair(w)) << i),
            };
        }
        let at = self.block + self.mask.trailing_zeros() as usize;
        self.mask &= self.mask - 1;
        Some(at)
    }
}

/// The pairs of a block whose first offset is `window[2]`: bit `i` for a
/// pair ending at `window[i + 2]`.
fn block_mask(window: &[u8; BLOCK + 2]) -> u64 {
    if !(0..BLOCK).fold(false, |any, i| any | is_pair(&window[i..i + 3])) {
        return 0;
    }
    let mut flags = [0u8; BLOCK];
    for (i, flag) in flags.iter_mut().enumerate() {
        *flag = u8::from(is_pair(&window[i..i + 3]));
    }
    // Eight flags (each 0 or 1) to eight bits: the multiplier's bytes move
    // flag `k` to bit 56 + k, with no two products on one bit and so no
    // carry.
    flags.chunks_exact(8).enumerate().fold(0, |mask, (k, eight)| {
        let eight = u64::from_le_bytes(eight.try_into().expect("eight bytes"));
        mask | (eight.wrapping_mul(0x0102_0408_1020_4080) >> 56) << (8 * k)
    })
}

/// Whether `b` continues an identifier or a number.
fn is_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b == b'\''
}

/// `Yamada`, `YAMADA`, `O'Brien`: a capital and then letters (two at least).
fn capitalised(w: &str) -> bool {
    let b = w.as_bytes();
    b.len() >= 2
        && b[0].is_ascii_uppercase()
        && (b[1..].iter().all(|c| c.is_ascii_lowercase() || *c == b'\'')
            || b[1..].iter().all(u8::is_ascii_uppercase))
}

/// The script of a character, for cutting a line into runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Script {
    Kanji,
    Hiragana,
    Katakana,
    Halfwidth,
}

impl Script {
    /// Whether a run of `self` may be the second part of a name after a run
    /// of `first`.
    fn joins(self, first: Script) -> bool {
        match first {
            Script::Kanji => matches!(self, Script::Kanji | Script::Hiragana | Script::Katakana),
            Script::Hiragana => self == Script::Hiragana,
            Script::Katakana => self == Script::Katakana,
            Script::Halfwidth => self == Script::Halfwidth,
        }
    }
}

fn script_of(c: char) -> Option<Script> {
    match c {
        '\u{4E00}'..='\u{9FFF}' | '\u{3400}'..='\u{4DBF}' | '\u{F900}'..='\u{FAFF}' | '々' => {
            Some(Script::Kanji)
        }
        '\u{3041}'..='\u{3096}' => Some(Script::Hiragana),
        '\u{30A1}'..='\u{30FA}' | 'ー' => Some(Script::Katakana),
        '\u{FF66}'..='\u{FF9F}' => Some(Script::Halfwidth),
        _ => None,
    }
}

/// The bytes of every character of a run: all of [`script_of`]'s ranges lie
/// between U+0800 and U+FFFF.
const RUN_CHAR_BYTES: usize = 3;

/// How many characters a run (or adjacent runs) holds, without decoding it:
/// the name tests count and cut every run of a line.
fn run_chars(run: &str) -> usize {
    debug_assert!(run.chars().all(|c| script_of(c).is_some()), "{run} is no run");
    run.len() / RUN_CHAR_BYTES
}

/// A run of one script in a line.
#[derive(Debug)]
struct Run {
    script: Script,
    range: Range<usize>,
}

/// The script runs of a line outside the spans of `skip`, into `runs`.
/// `ノ` and `ヶ` between kanji stay in the kanji run (一ノ瀬, 八ヶ代); lines
/// without Japanese characters cost one byte scan.
fn runs(line: &str, skip: &mut [Range<usize>], runs: &mut Vec<Run>) {
    runs.clear();
    // Lines of ASCII only (most of logs and code) are told a word at a time.
    if line.is_ascii() {
        return;
    }
    skip.sort_unstable_by_key(|span| span.start);
    let mut skip = skip.iter().peekable();
    // Every character of a run is three bytes led by a byte from 0xE3 to
    // 0xEF: the bytes before the next such lead byte are skipped undecoded
    // (a row of a table is mostly numbers, addresses and separators, and
    // decoding each of its characters was most of this). The line is read
    // a part at a time, from one skipped span to the next, so that each
    // character costs a test of its lead byte and a decoding: slicing the
    // line and looking for the next span at every character was half of
    // what cutting a line of prose cost.
    let b = line.as_bytes();
    let mut i = 0;
    while i < b.len() {
        while skip.next_if(|span| span.end <= i).is_some() {}
        if let Some(span) = skip.peek().filter(|span| span.start <= i) {
            // Undecoded, and no run joins across it.
            i = span.end;
            continue;
        }
        // What a character looks ahead at stops at the next skipped span:
        // the line reads as if the span held no Japanese character.
        let line = &line[..skip.peek().map_or(line.len(), |span| span.start)];
        while let Some(&lead) = line.as_bytes().get(i) {
            if !(0xE3..=0xEF).contains(&lead) {
                i += 1;
                continue;
            }
            let code = u32::from(lead & 0x0F) << 12
                | u32::from(b[i + 1] & 0x3F) << 6
                | u32::from(b[i + 2] & 0x3F);
            let (at, end) = (i, i + 3);
            i = end;
            let Some(c) = char::from_u32(code) else { continue };
            push_char(runs, line, c, at, end);
        }
    }
}

/// Adds the character `c` of `line` (from `at` to `end`) to the `runs`
/// before it ([`runs`]).
fn push_char(runs: &mut Vec<Run>, line: &str, c: char, at: usize, end: usize) {
    let mut script = script_of(c);
    if matches!(c, 'ノ' | 'ヶ' | 'ケ')
        && runs.last().is_some_and(|r| r.script == Script::Kanji && r.range.end == at)
        && line[end..].chars().next().is_some_and(|n| script_of(n) == Some(Script::Kanji))
    {
        script = Some(Script::Kanji);
    }
    let Some(script) = script else { return };
    // An honorific written in kanji (様, 殿, 氏, 君) ends the name before
    // it: 山田様 is the name 山田 and its honorific; in hiragana (さん,
    // さま, ちゃん, くん) it starts a run of its own, so that さゆり in
    // 山本さゆりさんから is a run.
    let honorific = matches!(c, '様' | '殿' | '氏' | '君')
        || (matches!(c, 'さ' | 'ち' | 'く')
            && ["さん", "さま", "ちゃん", "くん"].iter().any(|h| line[at..].starts_with(h)));
    match runs.last_mut() {
        Some(r)
            if r.script == script
                && r.range.end == at
                && !(honorific && r.honorific_next(line, end)) =>
        {
            r.range.end = end
        }
        _ => runs.push(Run { script, range: at..end }),
    }
}

impl Run {
    /// Whether the honorific starting at the character that ends at `end`
    /// ends this run: a kanji one unless it starts a word (氏名, 様式); a
    /// hiragana one always.
    fn honorific_next(&self, line: &str, end: usize) -> bool {
        match self.script {
            Script::Kanji => {
                !line[end..].chars().next().is_some_and(|n| script_of(n) == Some(Script::Kanji))
            }
            Script::Hiragana => true,
            _ => false,
        }
    }
}

/// Characters that separate the parts of a name.
fn is_gap_char(c: char) -> bool {
    matches!(c, ' ' | '\u{3000}' | '・' | '･')
}

/// One space, ideographic space or middle dot.
fn is_name_gap(gap: &str) -> bool {
    let mut it = gap.chars();
    matches!((it.next(), it.next()), (Some(c), None) if is_gap_char(c))
}

/// The most characters between a label and its value.
const MAX_SEPARATORS: usize = 12;
/// The most bytes those characters take.
const MAX_SEPARATOR_BYTES: usize = MAX_SEPARATORS * 4;

/// Label separators: the gap between `氏名` and the name (`：`, spaces, a
/// bracket, `(漢字)`).
fn separators_only(gap: &str) -> bool {
    if gap.len() > MAX_SEPARATOR_BYTES || gap.chars().count() > MAX_SEPARATORS {
        return false;
    }
    // More than a few spaces is column padding: the next column's value is
    // no label's (a header row `氏名        生年月日`).
    if gap.chars().filter(|c| c.is_whitespace()).count() > 3 {
        return false;
    }
    let mut depth = 0;
    let mut inside = 0;
    for c in gap.chars() {
        match c {
            '(' | '（' => depth += 1,
            ')' | '）' => depth -= 1,
            _ if depth > 0 => {
                inside += 1;
                if inside > 6 {
                    return false;
                }
            }
            ':' | '：' | '=' | ' ' | '\t' | '\u{3000}' | '.' | '「' | '」' | '『' | '』' | '【'
            | '】' | '[' | ']' | '"' | '/' | '|' | '-' | '>' => {}
            _ => return false,
        }
    }
    depth == 0
}

/// Whether kana starting at `start` of `line` would be the reading of the
/// last name found (`out`'s), in brackets right after it: a kanji name.
fn reads_bracketed(out: &[NameHit], line: &str, start: usize) -> bool {
    out.last().is_some_and(|prev| {
        prev.form == Engine::NameKanji && matches!(line[prev.range.end..start].trim(), "(" | "（")
    })
}

/// Whether a kanji or kana candidate is (part of) an organisation or a place.
fn is_organisation(before: &str, text: &str, after: &str) -> bool {
    holds_organisation_word(text)
        || after.starts_with(PLACE_ENDINGS)
        || ["御中", "株式会社", "(株)", "（株）", "㈱", "銀行", "支店", "有限会社", "法人"]
            .iter()
            .any(|w| after.starts_with(w) || before.ends_with(w))
}

/// Whether `text` holds one of [`ORGANISATION_WORDS`]: asked of every
/// name candidate (every row of a customer table). One automaton step a
/// byte ([`Words`]): a candidate is a few characters, where the
/// `aho-corasick` crate's search (its setup and prefilter) cost 450 to
/// 1,350 instructions a call, and a `contains` per word a twentieth of the
/// scan.
fn holds_organisation_word(text: &str) -> bool {
    static WORDS: std::sync::OnceLock<Words> = std::sync::OnceLock::new();
    let words = WORDS.get_or_init(|| Words::new(ORGANISATION_WORDS).expect("a few literal words"));
    let mut state = words.start();
    text.bytes().any(|b| {
        state = words.next(state, b);
        Words::is_match(state)
    })
}

/// A half-width holder name marked as a company: `ｶ)` before it or `(ｶ`
/// after it.
fn is_company_holder(before: &str, after: &str) -> bool {
    let before = before.trim_end_matches(' ');
    let marked_before =
        before.strip_suffix(')').is_some_and(|b| COMPANY_MARKS.iter().any(|m| b.ends_with(m)));
    let marked_after = after
        .trim_start_matches(' ')
        .strip_prefix('(')
        .is_some_and(|a| COMPANY_MARKS.iter().any(|m| a.starts_with(m)));
    marked_before || marked_after
}

/// Half-width katakana to full-width, with voiced marks composed (`ﾀﾞ` → `ダ`).
fn to_full_katakana(s: &str) -> String {
    const BASE: &str = "ヲァィゥェォャュョッーアイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモヤユヨラリルレロワン";
    let table: Vec<char> = BASE.chars().collect();
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            'ﾞ' | 'ﾟ' => {
                let voiced = out.pop().map(|p| {
                    let step = if c == 'ﾞ' { 1 } else { 2 };
                    let can = if c == 'ﾞ' {
                        "カキクケコサシスセソタチツテトハヒフヘホ"
                    } else {
                        "ハヒフヘホ"
                    };
                    if can.contains(p) {
                        char::from_u32(p as u32 + step).unwrap_or(p)
                    } else if p == 'ウ' && c == 'ﾞ' {
                        'ヴ'
                    } else {
                        p
                    }
                });
                out.extend(voiced);
            }
            '\u{FF66}'..='\u{FF9D}' => out.push(table[(c as u32 - 0xFF66) as usize]),
            _ => out.push(c),
        }
    }
    out
}

/// Byte offsets inside `s` where it could split into surname and given name.
fn split_points(s: &str) -> impl Iterator<Item = usize> + '_ {
    s.char_indices().skip(2).map(|(i, _)| i).filter(move |&i| s.len() - i >= 6)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn halfwidth_katakana_is_told_by_its_lead_bytes() {
        let alone = |t: &str| HalfwidthKana::default().on(t, 0..t.len());
        assert!(alone("振込 ﾔﾏﾀﾞ ﾀﾛｳ"));
        assert!(alone("x｡")); // U+FF61, EF BD A1
        assert!(!alone("ヤマダ タロウ"));
        assert!(!alone("＝￥")); // EF BC 9D, EF BF A5
        // Lines asked in order, some skipped: each is told by its own bytes.
        let t = "ﾔﾏﾀﾞ\nx\n＝￥\nabc ｶﾅ\n\nﾀﾛｳ x\nyz";
        let lines: Vec<std::ops::Range<usize>> = t
            .split('\n')
            .scan(0, |start, l| {
                let line = *start..*start + l.len();
                *start += l.len() + 1;
                Some(line)
            })
            .collect();
        for skip in 1..=3 {
            let mut kana = HalfwidthKana::default();
            for line in lines.iter().step_by(skip) {
                assert_eq!(kana.on(t, line.clone()), alone(&t[line.clone()]), "{line:?}");
            }
        }
        let expected = [true, false, false, true, false, true, false];
        let mut kana = HalfwidthKana::default();
        assert_eq!(lines.iter().map(|l| kana.on(t, l.clone())).collect::<Vec<_>>(), expected);
    }

    #[test]
    fn places_are_found_whatever_their_order_in_the_list() {
        assert!(PLACES.iter().all(|p| is_place(p)));
        for not in ["", "東", "東京都", "京", "博多駅", "山田", "北海", "北海道庁"]
        {
            assert!(!is_place(not), "{not}");
        }
        // A place alone under a name header is no one's name; a name is.
        let names = Names::new(&[], true).unwrap();
        assert_eq!(names.column_value("横浜"), None);
        assert_eq!(names.column_value("山田 太郎"), Some(Engine::NameKanji));
    }

    #[test]
    fn a_column_value_reads_as_the_form_of_its_scripts() {
        let names = Names::new(&[], true).unwrap();
        for (value, form) in [
            ("ﾔﾏﾀﾞ ﾀﾛｳ", Some(Engine::NameHalfwidth)),
            ("やまだ たろう", Some(Engine::NameKana)),
            ("ヤマダ・タロウ", Some(Engine::NameKana)),
            ("山田 たろう", Some(Engine::NameKanji)),
            ("山田 ﾀﾛｳ", None),
            ("ｶ)ﾔﾏﾀﾞｼﾖｳｼﾞ", None),
            ("Taro Yamada", Some(Engine::NameRomaji)),
            ("Jane Smith", Some(Engine::NameEnglish)),
            ("山田 Taro", None),
        ] {
            assert_eq!(names.column_value(value), form, "{value:?}");
        }
    }

    #[test]
    fn the_block_search_finds_every_pair() {
        // The plain definition: a letter, a space, a capital ending at `c`.
        let naive = |b: &[u8]| -> Vec<usize> {
            (2..b.len())
                .filter(|&c| {
                    b[c - 2].is_ascii_alphabetic() && b[c - 1] == b' ' && b[c].is_ascii_uppercase()
                })
                .collect()
        };
        // Texts of the bytes that make or break a pair (a multi-byte
        // character included), long enough for several blocks and a tail.
        let alphabet = [b'a', b'Z', b' ', b' ', b'.', b'@', b'[', 0xE3, 0x81, 0x82];
        let mut seed = 7u32;
        let mut pairs = 0;
        for len in [0, 1, 2, 3, 4, 65, 66, 67, 68, 130, 131, 300] {
            for _ in 0..40 {
                let text: Vec<u8> = (0..len)
                    .map(|_| {
                        seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12_345);
                        alphabet[(seed >> 16) as usize % alphabet.len()]
                    })
                    .collect();
                let found: Vec<usize> = SpaceCapitals { b: &text, block: 0, mask: 0 }.collect();
                assert_eq!(found, naive(&text), "{text:?}");
                pairs += found.len();
            }
        }
        assert!(pairs > 100, "the texts hold pairs: {pairs}");
        // A pair at each of a block's offsets, the last ones included.
        for pad in 0..140 {
            let text = format!("{}a Z", "-".repeat(pad));
            let found: Vec<usize> =
                SpaceCapitals { b: text.as_bytes(), block: 0, mask: 0 }.collect();
            assert_eq!(found, [pad + 2], "{pad}");
        }
    }

    /// `len` strings of `alphabet` end to end, picked by the generator at
    /// `seed` (a fixed sequence, so that a failure comes again).
    fn random_line(alphabet: &[&str], len: usize, seed: &mut u32) -> String {
        (0..len)
            .map(|_| {
                *seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12_345);
                alphabet[(*seed >> 16) as usize % alphabet.len()]
            })
            .collect()
    }

    #[test]
    fn the_gate_pattern_matches_a_line_when_it_holds_a_latin_candidate() {
        let names = Names::new(&[], false).unwrap();
        let pattern = regex_automata::meta::Regex::new(LATIN_CANDIDATE).unwrap();
        // Lines of the characters that make or break a candidate.
        let alphabet = ["a", "Zo", "Q", " ", " ", ".", "_", "'", "7", "あ", "b", "-"];
        let mut seed = 11u32;
        let (mut with, mut without) = (0, 0);
        for len in 1..40 {
            for _ in 0..60 {
                let line = random_line(&alphabet, len, &mut seed);
                let holds = names.capital_pairs(line.as_bytes()).next().is_some();
                assert_eq!(pattern.is_match(&line), holds, "{line:?}");
                *if holds { &mut with } else { &mut without } += 1;
            }
        }
        assert!(with > 100 && without > 100, "{with} lines with one, {without} without");
        for line in ["Taro Yamada", "see John A. Smith", "山田Taro Yamada", "O'Brien Smith"] {
            assert!(pattern.is_match(line), "{line}");
        }
        for line in ["const MASK", "x_Taro Yamada", "9Taro Yamada", "Taro' Yamada", "Taro yamada"] {
            assert!(!pattern.is_match(line), "{line}");
        }
    }

    #[test]
    fn capital_pairs_are_found_at_every_offset() {
        let names = Names::new(&[], false).unwrap();
        let pair = |b: &[u8]| names.capital_pairs(b).next();
        let text = "これは山田のメモです。これは山田のメモです。Taro Yamada".as_bytes();
        assert_eq!(pair(text), Some(text.len() - "Yamada".len()));
        assert_eq!(pair(b"see John A. Smith"), Some(9));
        assert_eq!(pair(b"user_Name Smith; x"), None);
        assert_eq!(pair(b"some document. Thanks for your message. Bye"), None);
        // Every offset of a pair, across the blocks.
        for pad in 0..80 {
            let line = format!("{}Jo Smith", "x ".repeat(pad));
            assert_eq!(pair(line.as_bytes()), Some(line.len() - 5), "{line}");
            // A failed candidate just before does not hide the pair.
            let line = format!("{}x a Jo Smith", "x ".repeat(pad));
            assert_eq!(pair(line.as_bytes()), Some(line.len() - 5), "{line}");
        }
    }

    #[test]
    fn a_signature_name_line_is_a_dictionary_pair_above_a_contact_line() {
        let names = Names::new(&[], false).unwrap();
        let found = |line: &str, next: &str| names.signature(line, next).map(|h| h.range);
        assert_eq!(found("井上 健一", "TEL: 092-934-4398"), Some(0..13));
        assert_eq!(found("鈴木　花子\r", "Mail: hanako@example.jp"), Some(0..15));
        // Not above a contact line, not a dictionary pair, not two words.
        assert_eq!(found("井上 健一", "よろしくお願いします"), None);
        assert_eq!(found("営業 部長", "TEL: 03-1234-5678"), None);
        assert_eq!(found("井上健一", "TEL: 03-1234-5678"), None);
        assert_eq!(found("田中 商店", "TEL: 03-1234-5678"), None);
        assert_eq!(found("中村 陽菜", "TEL: 03-1234-5678"), Some(0..13));
        assert_eq!(found("担当 井上 健一", "TEL: 03-1234-5678"), None);
    }

    #[test]
    fn honorifics_and_roles_are_told_by_one_character_then_the_rest() {
        // The quick test compares three bytes first: every honorific's
        // first character must be three bytes long.
        assert!(HONORIFICS.iter().all(|h| h.chars().next().is_some_and(|c| c.len_utf8() == 3)));
        for h in HONORIFICS {
            assert!(starts_with_honorific(&format!("{h}より")), "{h}");
            assert!(starts_with_honorific(h), "{h}");
        }
        for s in ["", "さ", "さよ", "くも", "様", "サ", "より様", "ちゃ", "Mr", "a様"]
        {
            assert_eq!(
                starts_with_honorific(s),
                HONORIFICS.iter().any(|h| s.starts_with(h)),
                "{s}"
            );
        }
        assert!(ROLE_WORDS.iter().all(|w| w.chars().last().is_some_and(|c| c.len_utf8() == 3)));
        for w in ROLE_WORDS {
            assert!(ends_with_role(&format!("山田{w}")), "{w}");
        }
        for s in ["", "長", "社", "社長x", "部長 ", "担当者", "運転", "家族の"] {
            assert_eq!(ends_with_role(s), ROLE_WORDS.iter().any(|w| s.ends_with(w)), "{s}");
        }
    }

    /// The script runs of a line, found by decoding every character: what
    /// [`runs`] finds skipping the bytes that start no run's character.
    fn runs_char_by_char(line: &str) -> Vec<(Script, Range<usize>)> {
        let mut out: Vec<(Script, Range<usize>)> = Vec::new();
        let mut chars = line.char_indices().peekable();
        while let Some((i, c)) = chars.next() {
            let end = i + c.len_utf8();
            let mut script = script_of(c);
            if matches!(c, 'ノ' | 'ヶ' | 'ケ')
                && out.last().is_some_and(|r| r.0 == Script::Kanji && r.1.end == i)
                && chars.peek().is_some_and(|&(_, n)| script_of(n) == Some(Script::Kanji))
            {
                script = Some(Script::Kanji);
            }
            let Some(script) = script else { continue };
            let honorific = matches!(c, '様' | '殿' | '氏' | '君')
                || (script == Script::Hiragana
                    && ["さん", "さま", "ちゃん", "くん"].iter().any(|h| line[i..].starts_with(h)));
            match out.last_mut() {
                Some(r)
                    if r.0 == script
                        && r.1.end == i
                        && !(honorific
                            && Run { script, range: r.1.clone() }.honorific_next(line, end)) =>
                {
                    r.1.end = end
                }
                _ => out.push((script, i..end)),
            }
        }
        out
    }

    #[test]
    fn organisation_words_are_found_anywhere_in_a_candidate() {
        for w in ORGANISATION_WORDS {
            for text in [w.to_string(), format!("山田{w}"), format!("{w}山田"), format!("ヤ{w}ダ")]
            {
                assert!(holds_organisation_word(&text), "{text}");
            }
        }
        for text in
            ["", "山田", "山田太郎", "ヤマダ", "会", "社会", "銀", "センタ", "ホールディング"]
        {
            assert!(!holds_organisation_word(text), "{text}");
        }
    }

    #[test]
    fn runs_are_those_of_decoding_every_character() {
        // Characters of each script, the joiners, honorifics, and others of
        // one to four bytes (、 shares its lead byte with kana).
        let alphabet = [
            "a", "1", ",", " ", "é", "、", "山", "田", "ノ", "ヶ", "ケ", "様", "式", "さ", "ん",
            "ま", "く", "タ", "ー", "ｶ", "ﾞ", "々", "😀", "\u{3000}",
        ];
        let mut seed = 11u32;
        let mut scratch = Vec::new();
        for len in [0, 1, 2, 5, 12, 40] {
            for _ in 0..300 {
                let line = random_line(&alphabet, len, &mut seed);
                runs(&line, &mut [], &mut scratch);
                let found: Vec<(Script, Range<usize>)> =
                    scratch.iter().map(|r| (r.script, r.range.clone())).collect();
                assert_eq!(found, runs_char_by_char(&line), "{line}");
                // Skipped spans (at character boundaries, in any order,
                // overlapping or not) read as if they held no Japanese
                // character: as the line with each of their bytes a `#`.
                let bounds: Vec<usize> =
                    (0..=line.len()).filter(|&i| line.is_char_boundary(i)).collect();
                let mut pick = || {
                    seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12_345);
                    bounds[(seed >> 16) as usize % bounds.len()]
                };
                let mut skip: Vec<Range<usize>> = (0..3)
                    .map(|_| {
                        let (a, b) = (pick(), pick());
                        a.min(b)..a.max(b)
                    })
                    .collect();
                let mut hidden = line.clone().into_bytes();
                skip.iter().for_each(|span| hidden[span.clone()].fill(b'#'));
                let hidden = String::from_utf8(hidden).expect("whole characters replaced");
                runs(&line, &mut skip, &mut scratch);
                let found: Vec<(Script, Range<usize>)> =
                    scratch.iter().map(|r| (r.script, r.range.clone())).collect();
                assert_eq!(found, runs_char_by_char(&hidden), "{line} less {skip:?}");
            }
        }
    }

    #[test]
    fn labels_are_every_occurrence_less_those_in_a_negative_keyword() {
        let keywords = ["氏名", "契約者", "契約者名", "Name"].map(String::from);
        let negative = ["会社名", "file name"].map(String::from);
        let labels = [(Engine::NameKanji, &keywords[..], &negative[..])];
        assert!(Names::new(&labels, true).unwrap().labels.get().is_some(), "a user's: at load");
        let names = Names::new(&labels, false).unwrap();
        assert!(names.labels.get().is_none(), "built-in ones: when first needed");
        let line = "契約者名：山田 会社名：ACME NAME: x rename: y file name: z 氏名";
        let mut labels = Vec::new();
        names.labels_in(line, true, &mut labels);
        let found: Vec<&str> = labels.iter().map(|l| &line[l.start..l.end]).collect();
        // Overlapping labels both; ASCII case ignored, but only whole words;
        // none inside a negative keyword; by end.
        assert_eq!(found, ["契約者", "契約者名", "NAME", "氏名"]);
        assert!(labels.windows(2).all(|w| w[0].end <= w[1].end));
        // A line the keyword walk found no label on is not searched.
        names.labels_in(line, false, &mut labels);
        assert!(labels.is_empty());
    }

    #[test]
    fn half_width_kana_compose() {
        assert_eq!(to_full_katakana("ﾔﾏﾀﾞ ﾀﾛｳ"), "ヤマダ タロウ");
        assert_eq!(to_full_katakana("ﾊﾟﾋﾟﾌﾟ"), "パピプ");
        assert_eq!(to_full_katakana("ｽｽﾞｷ"), "スズキ");
    }

    #[test]
    fn label_gaps() {
        assert!(separators_only("："));
        assert!(separators_only("（漢字）："));
        assert!(separators_only(" "));
        assert!(!separators_only("は"));
        assert!(!separators_only("（とても長い括弧の中身です）"));
    }

    #[test]
    fn dictionaries_are_large_enough() {
        assert!(JA_SURNAMES.len() >= 10_000, "{}", JA_SURNAMES.len());
        assert!(JA_GIVEN.len() >= 10_000);
        assert!(EN_GIVEN.len() >= 5_000);
        assert!(ROMAJI_SURNAMES.contains("yamada") && ROMAJI_GIVEN.contains("taro"));
    }
}

//! The normal forms in which a value asked for and a value found compare:
//! each identifying value becomes one or more [`Key`]s, and two values agree
//! when they share a key of the same [`Kind`]. Both sides go through the
//! same functions, so a rule holds in both directions, and the keys can be
//! stored (fingerprinted) in an index and compared later.
//!
//! The rules, each with its examples in the tests below:
//!
//! - **names** in kanji: spaces of any width (or none) and `・` dropped,
//!   variant kanji folded (`patterns/names/kanji-variants.tsv`: 髙→高,
//!   邊→辺 …). A name all in kana (katakana, hiragana or half-width) is a
//!   reading: it keys as katakana without spaces, and as romaji. A name in
//!   Latin letters keys as romaji: lower case, diacritics and long vowels
//!   folded (`Ōno`, `Ohno`, `Oono`, `Ono` → `ono`), Hepburn and Kunrei
//!   spellings made one (`shi`/`si`, `tsu`/`tu`, `ja`/`zya`, `mb`/`nb` …),
//!   its words sorted so that either order agrees (`Hanako Suzuki`,
//!   `SUZUKI Hanako`).
//! - **phones**: the digits, full-width folded; `+81`/`0081` becomes the
//!   leading `0`.
//! - **e-mail**: trimmed, full-width folded, lower case (providers treat the
//!   local part case-insensitively too).
//! - **birth dates**: the calendar date, from Western forms with any
//!   separator, era forms (`昭和60年4月1日`, `S60.4.1`) and month names;
//!   `01/04/1985` keys both readings. (Spreadsheet serials are dates once the
//!   reader has converted them.)
//! - **addresses**: full-width folded, kanji numerals before 丁目・番地・番・
//!   号・条 made digits, those markers made hyphens (`一丁目1番1号` → `1-1-1`),
//!   the prefecture and anything after the block number (a building, a
//!   room) dropped.
//! - **postal codes, My Numbers, government ids**: their digits (letters
//!   and digits for government ids); **bank accounts**: the last seven
//!   digits (the account number; bank and branch codes are not compared).
//!
//! This module knows nothing of findings or files.

use std::sync::OnceLock;

use rustc_hash::FxHashMap;

use crate::detect::normalize::fold_cow;
use crate::detect::validate::{date_readings, is_date};
use crate::finding::Category;

const VARIANTS: &str = include_str!("../../patterns/names/kanji-variants.tsv");

/// What a key is a form of. The numbers are stored in indexes: never
/// renumber.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[repr(u8)]
pub enum Kind {
    /// A name as written in kanji (or mixed script), variants folded.
    Name = 1,
    /// A name's reading in katakana.
    Kana = 2,
    /// A name in Latin letters, or a reading converted to them.
    Romaji = 3,
    /// An e-mail address.
    Email = 4,
    /// A phone number.
    Phone = 5,
    /// A birth date.
    BirthDate = 6,
    /// An address.
    Address = 7,
    /// A postal code.
    PostalCode = 8,
    /// A My Number.
    MyNumber = 9,
    /// A bank account number.
    BankAccount = 10,
    /// A government id.
    GovernmentId = 11,
}

impl Kind {
    /// The category whose values have keys of this kind.
    pub fn category(self) -> Category {
        match self {
            Kind::Name | Kind::Kana | Kind::Romaji => Category::Name,
            Kind::Email => Category::Email,
            Kind::Phone => Category::Phone,
            Kind::BirthDate => Category::BirthDate,
            Kind::Address => Category::Address,
            Kind::PostalCode => Category::PostalCode,
            Kind::MyNumber => Category::MyNumber,
            Kind::BankAccount => Category::BankAccount,
            Kind::GovernmentId => Category::GovernmentId,
        }
    }

    /// The kind stored as `n` in an index.
    pub fn from_u8(n: u8) -> Option<Kind> {
        KINDS.iter().copied().find(|k| *k as u8 == n)
    }

    /// A bit per name kind (for "the record names someone in a form the
    /// request also has").
    pub fn name_bit(self) -> u8 {
        match self {
            Kind::Name => 1,
            Kind::Kana => 2,
            Kind::Romaji => 4,
            _ => 0,
        }
    }
}

const KINDS: [Kind; 11] = [
    Kind::Name,
    Kind::Kana,
    Kind::Romaji,
    Kind::Email,
    Kind::Phone,
    Kind::BirthDate,
    Kind::Address,
    Kind::PostalCode,
    Kind::MyNumber,
    Kind::BankAccount,
    Kind::GovernmentId,
];

/// One normal form of a value.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Key {
    /// What it is a form of.
    pub kind: Kind,
    /// The normal form.
    pub text: String,
}

/// The normal forms of one value at a time, their strings reused from
/// value to value (an index computes them for every value of a share).
#[derive(Debug, Default)]
pub struct Forms {
    keys: Vec<Key>,
    len: usize,
    /// An address's text between the steps of [`address_into`].
    scratch: [String; 2],
}

impl Forms {
    /// The normal forms of a value of `category`: none when the value has
    /// no usable form (a date that is no date, a gender).
    pub fn of(&mut self, category: Category, value: &str) -> &[Key] {
        self.len = 0;
        match category {
            Category::Name => name_keys(value, self),
            Category::Email => {
                let out = self.slot(Kind::Email);
                let folded = fold_cow(value.trim());
                if folded.is_ascii() {
                    out.push_str(&folded);
                    out.make_ascii_lowercase();
                } else {
                    for c in folded.chars() {
                        out.extend(c.to_lowercase());
                    }
                }
                self.commit();
            }
            Category::Phone => {
                phone(value, self.slot(Kind::Phone));
                self.commit();
            }
            Category::BirthDate => {
                for (y, m, d) in date_readings(&fold_cow(value)).into_iter().flatten() {
                    if is_date(m, d) && y > 0 {
                        use std::fmt::Write;
                        let _ = write!(self.slot(Kind::BirthDate), "{y:04}-{m:02}-{d:02}");
                        self.commit();
                    }
                }
            }
            Category::Address => {
                let mut scratch = std::mem::take(&mut self.scratch);
                address_into(value, self.slot(Kind::Address), &mut scratch);
                self.scratch = scratch;
                self.commit();
            }
            Category::PostalCode | Category::MyNumber | Category::BankAccount => {
                let kind = match category {
                    Category::PostalCode => Kind::PostalCode,
                    Category::MyNumber => Kind::MyNumber,
                    _ => Kind::BankAccount,
                };
                let out = self.slot(kind);
                out.extend(fold_cow(value).chars().filter(char::is_ascii_digit));
                // An account is its last seven digits (bank and branch codes
                // are not compared).
                if kind == Kind::BankAccount && out.len() > 7 {
                    out.drain(..out.len() - 7);
                }
                self.commit();
            }
            Category::GovernmentId => {
                let out = self.slot(Kind::GovernmentId);
                let alnum = fold_cow(value);
                out.extend(
                    alnum
                        .chars()
                        .filter(char::is_ascii_alphanumeric)
                        .map(|c| c.to_ascii_uppercase()),
                );
                self.commit();
            }
            Category::Gender
            | Category::Occupation
            | Category::PaymentCard
            | Category::FloorPlan => {}
        }
        &self.keys[..self.len]
    }

    /// The string of the next form, empty.
    fn slot(&mut self, kind: Kind) -> &mut String {
        if self.keys.len() == self.len {
            self.keys.push(Key { kind, text: String::new() });
        }
        let key = &mut self.keys[self.len];
        key.kind = kind;
        key.text.clear();
        &mut key.text
    }

    /// Keeps the form just written, unless it is empty.
    fn commit(&mut self) {
        if !self.keys[self.len].text.is_empty() {
            self.len += 1;
        }
    }

    /// Adds a form already computed.
    fn push(&mut self, kind: Kind, text: &str) {
        self.slot(kind).push_str(text);
        self.commit();
    }
}

/// A phone number's national digits, into `out`.
fn phone(value: &str, out: &mut String) {
    let folded = fold_cow(value);
    out.extend(folded.chars().filter(char::is_ascii_digit));
    let international = folded.trim_start().starts_with('+');
    // `+81 (0)3 …` keeps a trunk 0 some write anyway.
    let prefix = if out.starts_with("0081") {
        4
    } else if international && out.starts_with("81") {
        2
    } else {
        return;
    };
    let zeros = out[prefix..].bytes().take_while(|&b| b == b'0').count();
    out.replace_range(..prefix + zeros, "0");
}

/// The scripts a name can be in, for its keys.
#[derive(Debug, PartialEq, Eq)]
enum Script {
    Kana,
    Latin,
    Other,
}

fn name_keys(value: &str, forms: &mut Forms) {
    // Full-width Latin letters to ASCII first: `ＳＵＺＵＫＩ`.
    let folded = fold_cow(value);
    let separator = |c: char| c.is_whitespace() || matches!(c, '・' | '･' | ',' | '、' | '.' | '·');
    let letters = || folded.chars().filter(|&c| !separator(c));
    let words = || folded.split(separator).filter(|w| !w.is_empty());
    match script(letters()) {
        Script::Kana => {
            let words: Vec<String> = words().map(katakana).collect();
            forms.push(Kind::Kana, &words.concat());
            forms.push(Kind::Romaji, &sorted_words(words.iter().map(|w| romaji(&hepburn(w)))));
        }
        Script::Latin => {
            forms.push(Kind::Romaji, &sorted_words(words().map(romaji)));
        }
        // Kanji names, most of a share's: no allocation.
        Script::Other => {
            let variants = variants();
            let out = forms.slot(Kind::Name);
            out.extend(letters().map(|c| *variants.get(&c).unwrap_or(&c)));
            forms.commit();
        }
    }
}

fn sorted_words(words: impl Iterator<Item = String>) -> String {
    let mut words: Vec<String> = words.filter(|w| !w.is_empty()).collect();
    words.sort();
    words.join(" ")
}

/// The script of a name's letters.
fn script(letters: impl Iterator<Item = char> + Clone) -> Script {
    if letters.clone().next().is_none() {
        Script::Other
    } else if letters.clone().all(is_kana) {
        Script::Kana
    } else if letters
        .clone()
        .all(|c| c.is_ascii_alphabetic() || is_latin_accented(c) || c == '\'' || c == '-')
    {
        Script::Latin
    } else {
        Script::Other
    }
}

fn is_kana(c: char) -> bool {
    matches!(c, '\u{3041}'..='\u{3096}' | '\u{30A1}'..='\u{30FA}' | 'ー' | '\u{FF66}'..='\u{FF9F}')
}

fn is_latin_accented(c: char) -> bool {
    matches!(c, '\u{00C0}'..='\u{017F}') && c.is_alphabetic()
}

/// The variant table, parsed once.
fn variants() -> &'static FxHashMap<char, char> {
    static TABLE: OnceLock<FxHashMap<char, char>> = OnceLock::new();
    TABLE.get_or_init(|| {
        VARIANTS
            .lines()
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .filter_map(|l| {
                let (a, b) = l.split_once('\t')?;
                Some((a.chars().next()?, b.chars().next()?))
            })
            .collect()
    })
}

/// Half-width katakana in the order of U+FF66..=U+FF9D.
const HALFWIDTH: &str = "ヲァィゥェォャュョッーアイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモヤユヨラリルレロワン";

/// Kana of any width or kind as full-width katakana: hiragana shifted,
/// half-width forms mapped, their separate (semi-)voiced marks joined.
pub fn katakana(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\u{3041}'..='\u{3096}' => out.push(char::from_u32(c as u32 + 0x60).unwrap_or(c)),
            '\u{FF66}'..='\u{FF9D}' => {
                out.push(HALFWIDTH.chars().nth((c as u32 - 0xFF66) as usize).unwrap_or(c));
            }
            'ﾞ' | 'ﾟ' | '\u{3099}' | '\u{309A}' | '゛' | '゜' => {
                let semi = matches!(c, 'ﾟ' | '\u{309A}' | '゜');
                if let Some(prev) = out.pop() {
                    out.push(voiced(prev, semi).unwrap_or(prev));
                }
            }
            _ => out.push(c),
        }
    }
    out
}

/// The voiced (or, with `semi`, semi-voiced) form of a katakana.
fn voiced(c: char, semi: bool) -> Option<char> {
    let n = c as u32;
    let plus = |k| char::from_u32(n + k);
    match c {
        'ウ' if !semi => Some('ヴ'),
        'カ' | 'キ' | 'ク' | 'ケ' | 'コ' | 'サ' | 'シ' | 'ス' | 'セ' | 'ソ' | 'タ' | 'チ'
        | 'ツ' | 'テ' | 'ト'
            if !semi =>
        {
            plus(1)
        }
        'ハ' | 'ヒ' | 'フ' | 'ヘ' | 'ホ' => plus(if semi { 2 } else { 1 }),
        _ => None,
    }
}

/// The Hepburn romanisation of katakana (full-width, as [`katakana`] makes).
pub fn hepburn(kana: &str) -> String {
    let mut out = String::with_capacity(kana.len() * 2);
    let mut double_next = false;
    for c in kana.chars() {
        match c {
            'ッ' => double_next = true,
            'ー' => {
                if let Some(v) = out.chars().next_back().filter(|v| "aiueo".contains(*v)) {
                    out.push(v);
                }
            }
            'ャ' | 'ュ' | 'ョ' => {
                let vowel = match c {
                    'ャ' => 'a',
                    'ュ' => 'u',
                    _ => 'o',
                };
                if out.ends_with('i') {
                    out.pop();
                    // シャ sha, チャ cha, ジャ ja; キャ kya.
                    if !(out.ends_with("sh") || out.ends_with("ch") || out.ends_with('j')) {
                        out.push('y');
                    }
                } else {
                    out.push('y');
                }
                out.push(vowel);
            }
            'ァ' | 'ィ' | 'ゥ' | 'ェ' | 'ォ' => {
                // ファ fa, ティ ti: the small vowel replaces the vowel.
                if out.ends_with(|v: char| "aiueo".contains(v)) && out.len() > 1 {
                    out.pop();
                }
                out.push(match c {
                    'ァ' => 'a',
                    'ィ' => 'i',
                    'ゥ' => 'u',
                    'ェ' => 'e',
                    _ => 'o',
                });
            }
            _ => {
                let Some(syllable) = syllable(c) else { continue };
                if std::mem::take(&mut double_next) {
                    // ッチ tchi; otherwise the consonant doubles.
                    match syllable.as_bytes()[0] {
                        b'c' => out.push('t'),
                        b'a' | b'i' | b'u' | b'e' | b'o' => {}
                        b => out.push(b as char),
                    }
                }
                out.push_str(syllable);
            }
        }
    }
    out
}

/// The Hepburn syllable of one full-width katakana.
fn syllable(c: char) -> Option<&'static str> {
    const ROWS: &[(&str, [&str; 5])] = &[
        ("アイウエオ", ["a", "i", "u", "e", "o"]),
        ("カキクケコ", ["ka", "ki", "ku", "ke", "ko"]),
        ("ガギグゲゴ", ["ga", "gi", "gu", "ge", "go"]),
        ("サシスセソ", ["sa", "shi", "su", "se", "so"]),
        ("ザジズゼゾ", ["za", "ji", "zu", "ze", "zo"]),
        ("タチツテト", ["ta", "chi", "tsu", "te", "to"]),
        ("ダヂヅデド", ["da", "ji", "zu", "de", "do"]),
        ("ナニヌネノ", ["na", "ni", "nu", "ne", "no"]),
        ("ハヒフヘホ", ["ha", "hi", "fu", "he", "ho"]),
        ("バビブベボ", ["ba", "bi", "bu", "be", "bo"]),
        ("パピプペポ", ["pa", "pi", "pu", "pe", "po"]),
        ("マミムメモ", ["ma", "mi", "mu", "me", "mo"]),
        ("ヤ・ユ・ヨ", ["ya", "", "yu", "", "yo"]),
        ("ラリルレロ", ["ra", "ri", "ru", "re", "ro"]),
        ("ワヰヴヱヲ", ["wa", "i", "vu", "e", "o"]),
    ];
    if c == 'ン' {
        return Some("n");
    }
    ROWS.iter().find_map(|(row, romaji)| {
        row.chars().position(|k| k == c).map(|i| romaji[i]).filter(|s| !s.is_empty())
    })
}

/// One word in Latin letters in the form that Hepburn, Kunrei and the
/// long-vowel spellings share (see the module doc).
pub fn romaji(word: &str) -> String {
    let mut s: String = word
        .chars()
        .filter_map(|c| {
            let c = c.to_lowercase().next().unwrap_or(c);
            match c {
                'a'..='z' => Some(c),
                'ā' | 'â' | 'à' | 'á' | 'ä' => Some('a'),
                'ī' | 'î' | 'ì' | 'í' | 'ï' => Some('i'),
                'ū' | 'û' | 'ù' | 'ú' | 'ü' => Some('u'),
                'ē' | 'ê' | 'è' | 'é' | 'ë' => Some('e'),
                'ō' | 'ô' | 'ò' | 'ó' | 'ö' => Some('o'),
                _ => None,
            }
        })
        .collect();
    for (from, to) in [
        ("tch", "tt"),
        ("shi", "si"),
        ("chi", "ti"),
        ("tsu", "tu"),
        ("sh", "sy"),
        ("ch", "ty"),
        ("fu", "hu"),
        ("ji", "zi"),
        ("di", "zi"),
        ("du", "zu"),
        ("j", "zy"),
        ("mb", "nb"),
        ("mp", "np"),
        ("mm", "nm"),
    ] {
        if s.contains(from) {
            s = s.replace(from, to);
        }
    }
    // Long vowels: `oh` before a consonant or at the end, then doubled
    // vowels and `ou`, until nothing changes (`Ohno`, `Oono`, `Satou`).
    let bytes = s.as_bytes();
    let mut out = String::with_capacity(s.len());
    for (i, &b) in bytes.iter().enumerate() {
        let next = bytes.get(i + 1).copied();
        if b == b'h'
            && i > 0
            && bytes[i - 1] == b'o'
            && next.is_none_or(|n| !b"aiueoy".contains(&n))
        {
            continue;
        }
        out.push(b as char);
    }
    loop {
        let before = out.len();
        for (from, to) in
            [("ou", "o"), ("oo", "o"), ("uu", "u"), ("aa", "a"), ("ii", "i"), ("ee", "e")]
        {
            if out.contains(from) {
                out = out.replace(from, to);
            }
        }
        if out.len() == before {
            return out;
        }
    }
}

/// Kanji numerals, for block numbers written `一丁目`.
fn kanji_digit(c: char) -> Option<u32> {
    Some(match c {
        '〇' => 0,
        '一' => 1,
        '二' => 2,
        '三' => 3,
        '四' => 4,
        '五' => 5,
        '六' => 6,
        '七' => 7,
        '八' => 8,
        '九' => 9,
        _ => return None,
    })
}

fn is_kanji_numeral(c: char) -> bool {
    kanji_digit(c).is_some() || matches!(c, '十' | '百' | '千')
}

/// The value of a run of kanji numerals (`二十三` → 23, `一〇五` → 105).
fn kanji_number(run: &str) -> u32 {
    let (mut total, mut current) = (0, 0);
    for c in run.chars() {
        match c {
            '十' => total += current.max(1) * 10,
            '百' => total += current.max(1) * 100,
            '千' => total += current.max(1) * 1000,
            _ => {
                current = current * 10 + kanji_digit(c).unwrap_or(0);
                continue;
            }
        }
        current = 0;
    }
    total + current
}

/// Markers that end a part of a block number, longest first.
const MARKERS: &[&str] = &["丁目", "番地", "番", "号", "条", "丁"];

/// The length in bytes of the marker `text` starts with, if any.
fn marker(text: &str) -> Option<usize> {
    MARKERS.iter().find(|m| text.starts_with(**m)).map(|m| m.len())
}

/// An address's normal form (see the module doc).
pub fn address(value: &str) -> String {
    let mut out = String::new();
    address_into(value, &mut out, &mut Default::default());
    out
}

/// [`address`] into `out`: one pass over the folded text and one over the
/// result, no per-character allocation (an index normalises every address
/// of a share).
fn address_into(value: &str, out: &mut String, scratch: &mut [String; 2]) {
    let [spaceless, s] = scratch;
    let folded = fold_cow(value);
    let text: &str = if folded.contains(char::is_whitespace) {
        spaceless.clear();
        spaceless.extend(folded.chars().filter(|c| !c.is_whitespace()));
        spaceless
    } else {
        &folded
    };
    s.clear();
    // Most characters are copied as they are, a run at a time; `prev` is
    // the last character written (or about to be, in the pending run).
    let is_dash = |c| matches!(c, '−' | '‐' | '―' | '－' | 'ー' | '—' | '–');
    let (mut at, mut copied, mut prev) = (0, 0, '\0');
    while let Some(c) = text[at..].chars().next() {
        let next = at + c.len_utf8();
        let special = is_kanji_numeral(c)
            || c == 'の'
            || is_dash(c)
            || (prev.is_ascii_digit() && matches!(c, '丁' | '番' | '号' | '条'));
        if !special {
            (at, prev) = (next, c);
            continue;
        }
        s.push_str(&text[copied..at]);
        copied = at;
        if is_kanji_numeral(c) {
            let end =
                text[at..].find(|k: char| !is_kanji_numeral(k)).map_or(text.len(), |n| at + n);
            if marker(&text[end..]).is_some() {
                use std::fmt::Write;
                let _ = write!(s, "{}", kanji_number(&text[at..end]));
                (at, copied, prev) = (end, end, '0');
                continue;
            }
        }
        // `3番地の4`: the の between two parts is a hyphen already written.
        if c == 'の' && prev == '-' && text[next..].starts_with(|d: char| d.is_ascii_digit()) {
            (at, copied) = (next, next);
            continue;
        }
        if prev.is_ascii_digit()
            && let Some(n) = marker(&text[at..])
        {
            s.push('-');
            (at, copied, prev) = (at + n, at + n, '-');
            continue;
        }
        if is_dash(c) {
            s.push('-');
            (at, copied, prev) = (next, next, '-');
            continue;
        }
        (at, prev) = (next, c);
    }
    s.push_str(&text[copied..]);
    let s = strip_prefecture(s);
    // The block number: from the first digit, digits and hyphens (and the
    // direction of a Hokkaido 条 address, `北1条西2丁目`); a building after it
    // is dropped, and so are doubled or trailing hyphens.
    let Some(first) = s.find(|c: char| c.is_ascii_digit()) else {
        out.push_str(s);
        return;
    };
    out.push_str(&s[..first]);
    let (mut dash, mut prev) = (false, '\0');
    let mut chars = s[first..].chars().peekable();
    while let Some(c) = chars.next() {
        let direction = matches!(c, '東' | '西' | '南' | '北')
            && prev == '-'
            && chars.peek().is_some_and(char::is_ascii_digit);
        if c == '-' {
            dash = true;
        } else if c.is_ascii_digit() || direction {
            if std::mem::take(&mut dash) {
                out.push('-');
            }
            out.push(c);
        } else {
            break;
        }
        prev = c;
    }
}

/// An address without its leading prefecture (東京都, 北海道, 大阪府, 京都府,
/// or two or three characters and 県).
fn strip_prefecture(s: &str) -> &str {
    for p in ["東京都", "北海道", "大阪府", "京都府"] {
        if let Some(rest) = s.strip_prefix(p) {
            return rest;
        }
    }
    // 県 as the third or fourth character.
    for (n, (at, c)) in s.char_indices().take(4).enumerate() {
        if c == '県' && n >= 2 {
            return &s[at + c.len_utf8()..];
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(category: Category, value: &str) -> Vec<(Kind, String)> {
        Forms::default().of(category, value).iter().map(|k| (k.kind, k.text.clone())).collect()
    }

    fn agree(category: Category, a: &str, b: &str) -> bool {
        let (a, b) = (key(category, a), key(category, b));
        a.iter().any(|k| b.contains(k))
    }

    #[test]
    fn kanji_names_fold_spaces_and_variants() {
        for (a, b) in [
            ("鈴木 花子", "鈴木花子"),
            ("鈴木　花子", "鈴木・花子"),
            ("髙橋 一郎", "高橋一郎"),
            ("山﨑 太郎", "山崎太郎"),
            ("齋藤 健", "斉藤健"),
            ("渡邊 学", "渡辺学"),
            ("渡邉 学", "渡辺学"),
            ("澤田 優", "沢田優"),
            ("濱口 愛", "浜口愛"),
        ] {
            assert!(agree(Category::Name, a, b), "{a} / {b}");
        }
        for (a, b) in
            [("鈴木 花子", "鈴木 華子"), ("鈴木 花子", "鈴木"), ("高橋 一郎", "高田 一郎")]
        {
            assert!(!agree(Category::Name, a, b), "{a} / {b}");
        }
    }

    #[test]
    fn readings_agree_in_any_kana_and_in_romaji() {
        assert_eq!(katakana("すずき はなこ"), "スズキ ハナコ");
        assert_eq!(katakana("ｽｽﾞｷ ﾊﾅｺ"), "スズキ ハナコ");
        assert_eq!(katakana("ﾎﾟﾝﾀﾞ"), "ポンダ");
        assert_eq!(hepburn("シャチョウ"), "shachou");
        assert_eq!(hepburn("キョウコ"), "kyouko");
        assert_eq!(hepburn("ジュン"), "jun");
        assert_eq!(hepburn("ハットリ"), "hattori");
        assert_eq!(hepburn("マッチ"), "matchi");
        assert_eq!(hepburn("サトー"), "satoo");
        for (a, b) in [
            ("スズキ ハナコ", "すずき はなこ"),
            ("スズキ ハナコ", "ｽｽﾞｷ ﾊﾅｺ"),
            ("スズキハナコ", "すずきはなこ"),
            ("スズキ ハナコ", "Hanako Suzuki"),
            ("スズキ ハナコ", "SUZUKI Hanako"),
            ("スズキ ハナコ", "suzuki, hanako"),
            ("ＳＵＺＵＫＩ　ＨＡＮＡＫＯ", "Hanako Suzuki"),
            ("オオノ サトシ", "Satoshi Ohno"),
            ("Satoshi Ōno", "Satoshi Ohno"),
            ("Satoshi Oono", "Satoshi Ono"),
            ("サトウ ジュン", "Jun Sato"),
            ("Jun Satoh", "Zyun Satou"),
            ("シミズ チヒロ", "Simizu Tihiro"),
            ("ホンマ ツヨシ", "Homma Tsuyoshi"),
            ("ホンマ ツヨシ", "Honma Tuyosi"),
        ] {
            assert!(agree(Category::Name, a, b), "{a} / {b}");
        }
        for (a, b) in [
            ("スズキ ハナコ", "スズキ ハルコ"),
            ("スズキ ハナコ", "Hanako Sasaki"),
            ("Hanako Suzuki", "Hanako"),
            ("スズキ ハナコ", "鈴木 花子"),
        ] {
            assert!(!agree(Category::Name, a, b), "{a} / {b}");
        }
    }

    #[test]
    fn phones_compare_by_national_digits() {
        for (a, b) in [
            ("090-1234-5678", "09012345678"),
            ("090-1234-5678", "０９０－１２３４－５６７８"),
            ("090-1234-5678", "+81-90-1234-5678"),
            ("090-1234-5678", "+81 (0)90 1234 5678"),
            ("03-1234-5678", "0081-3-1234-5678"),
        ] {
            assert!(agree(Category::Phone, a, b), "{a} / {b}");
        }
        assert!(!agree(Category::Phone, "090-1234-5678", "090-1234-5679"));
        assert!(!agree(Category::Phone, "090-1234-5678", "81-90-1234-5678"));
    }

    #[test]
    fn emails_ignore_case_and_width() {
        assert!(agree(Category::Email, "Hanako.Suzuki@Example.JP", "hanako.suzuki@example.jp"));
        assert!(agree(Category::Email, "ｈａｎａｋｏ＠example.jp", "hanako@example.jp"));
        assert!(!agree(Category::Email, "hanako@example.jp", "hanako@example.com"));
    }

    #[test]
    fn birth_dates_compare_as_dates() {
        for b in [
            "1985-04-01",
            "1985/4/1",
            "1985.04.01",
            "1985年4月1日",
            "昭和60年4月1日",
            "S60.4.1",
            "19850401",
            "１９８５年４月１日",
            "April 1, 1985",
            "04/01/1985",
        ] {
            assert!(agree(Category::BirthDate, "1985-04-01", b), "{b}");
        }
        assert!(agree(Category::BirthDate, "平成元年1月8日", "1989-01-08"));
        for b in ["1985-04-02", "1986-04-01", "昭和61年4月1日", "not a date"] {
            assert!(!agree(Category::BirthDate, "1985-04-01", b), "{b}");
        }
    }

    #[test]
    fn forms_reused_from_value_to_value_equal_fresh_forms() {
        // One `Forms` serves a whole batch: nothing of a value may leak into
        // the next one's forms (a long address then a short one, a spaced
        // one then a plain one, a kana name then a kanji one).
        let values = [
            (Category::Address, "千代田区千代田１－１－１　グリーンハイツ101"),
            (Category::Address, "港区1-2"),
            (Category::Address, "大阪府大阪市北区梅田二丁目3番地の4"),
            (Category::Name, "タカハシ ミサキ"),
            (Category::Name, "髙橋 美咲"),
            (Category::Email, "Misaki.T@Example.JP"),
            (Category::Email, "ｍｉｓａｋｉ@example.jp"),
            (Category::BirthDate, "昭和62年6月15日"),
            (Category::BirthDate, "1987/6/15"),
            (Category::Phone, "+81 90-5555-0142"),
        ];
        let mut reused = Forms::default();
        for (category, value) in values {
            let got: Vec<(Kind, String)> =
                reused.of(category, value).iter().map(|k| (k.kind, k.text.clone())).collect();
            assert_eq!(got, key(category, value), "{value}");
            assert!(!got.is_empty(), "{value}");
        }
    }

    #[test]
    fn addresses_compare_by_their_block_number() {
        assert_eq!(address("東京都千代田区千代田一丁目1番1号"), "千代田区千代田1-1-1");
        assert_eq!(address("千代田区千代田１－１－１　グリーンハイツ101"), "千代田区千代田1-1-1");
        assert_eq!(address("大阪府大阪市北区梅田二丁目3番地の4"), "大阪市北区梅田2-3-4");
        assert_eq!(address("北海道札幌市中央区北1条西2丁目3"), "札幌市中央区北1-西2-3");
        assert_eq!(address("神奈川県横浜市西区みなとみらい3-3-1"), "横浜市西区みなとみらい3-3-1");
        assert_eq!(address("千代田区"), "千代田区");
        for (a, b) in [
            ("東京都千代田区千代田一丁目1番1号", "千代田区千代田1-1-1 グリーンハイツ101"),
            ("東京都千代田区千代田1丁目1-1", "東京都千代田区千代田１－１－１"),
            ("東京都八王子市千人町二十三番", "八王子市千人町23"),
        ] {
            assert!(agree(Category::Address, a, b), "{a} / {b}");
        }
        assert!(!agree(Category::Address, "千代田区千代田1-1-1", "千代田区千代田1-1-2"));
        assert!(!agree(Category::Address, "千代田区千代田1-1-1", "中央区千代田1-1-1"));
    }

    #[test]
    fn numbers_compare_by_digits() {
        assert!(agree(Category::PostalCode, "〒100-0001", "1000001"));
        assert!(agree(Category::MyNumber, "1234 5678 9018", "123456789018"));
        assert!(agree(Category::BankAccount, "普通 1234567", "0001-234-1234567"));
        assert!(!agree(Category::BankAccount, "1234567", "1234568"));
        assert!(agree(Category::GovernmentId, "ab1234567", "AB-1234567"));
        assert!(key(Category::Gender, "女性").is_empty());
    }

    #[test]
    fn kind_numbers_round_trip() {
        for k in KINDS {
            assert_eq!(Kind::from_u8(k as u8), Some(k));
        }
        assert_eq!(Kind::from_u8(0), None);
    }
}

//! The name dictionaries (`patterns/names/`, sources and licences in
//! `patterns/README.md`) as hash tables laid out at build time (`build.rs`):
//! nothing to load when a scan first meets a name, where building them
//! took 5 ms for the Japanese ones and 7 ms for those in Latin letters.
//!
//! A table is its keys end to end in one string, where each ends, a flag
//! per key, and slots holding a key's number (plus one; zero is empty)
//! and its tag ([`hash::TAG_BITS`]), found by open addressing with linear
//! probing from [`hash::slot`]; and a filter of eight bits a key, two set
//! for each, that turns most other words away without reading the slots
//! (in prose, most runs of kanji tried as a surname are none). A slot
//! table is eight times its filter (128 KB against 16 KB for the
//! surnames) and its load missed the cache: on 32 MB of prose, lookups
//! took 2.2% of the samples of a profile without the filter, 1.7% with
//! it, for the same instructions.

mod hash;

/// One dictionary: a set of words, each with a flag.
#[derive(Debug)]
pub(crate) struct Dictionary {
    /// The table has `1 << bits` slots.
    bits: u32,
    /// The keys, end to end.
    text: &'static str,
    /// Where each key ends in `text` (and the next starts).
    ends: &'static [u32],
    /// Per key: for the Japanese surfaces, whether it is also an ordinary
    /// word; false elsewhere.
    flags: &'static [bool],
    /// Per slot, the tag of the key there above its number plus one, or
    /// zero.
    slots: &'static [u32],
    /// A slot's word of `filter` is its number shifted right this much.
    filter_shift: u32,
    /// Per group of slots, the bits its keys set ([`hash::filter_bits`]):
    /// a key whose bits are not all set is no word, found without reading
    /// the slots.
    filter: &'static [u64],
}

impl Dictionary {
    /// Whether `key` is a word of the dictionary.
    pub(crate) fn contains(&self, key: &str) -> bool {
        self.find(key).is_some()
    }

    /// The flag of `key`, if it is a word of the dictionary.
    pub(crate) fn flag(&self, key: &str) -> Option<bool> {
        self.find(key).map(|i| self.flags[i])
    }

    /// How many words it holds.
    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.ends.len()
    }

    /// The number of `key`, if it is a word.
    fn find(&self, key: &str) -> Option<usize> {
        const NUMBER: u32 = (1 << hash::NUMBER_BITS) - 1;
        let (mut at, tag) = hash::slot(key.as_bytes(), self.bits);
        if !self.may_hold(at, tag) {
            return None;
        }
        loop {
            let slot = self.slots[at];
            if slot == 0 {
                return None;
            }
            let i = (slot & NUMBER) as usize - 1;
            if slot >> hash::NUMBER_BITS == tag && self.key(i) == key {
                return Some(i);
            }
            at = (at + 1) & (self.slots.len() - 1);
        }
    }

    /// Whether a key whose home slot is `at` and whose tag is `tag` may be
    /// a word: its filter bits are all set. When not, it is none, and the
    /// slots need not be read.
    fn may_hold(&self, at: usize, tag: u32) -> bool {
        let bits = hash::filter_bits(tag);
        self.filter[at >> self.filter_shift] & bits == bits
    }

    /// The key numbered `i`.
    fn key(&self, i: usize) -> &'static str {
        let start = i.checked_sub(1).map_or(0, |p| self.ends[p] as usize);
        &self.text[start..self.ends[i] as usize]
    }
}

include!(concat!(env!("OUT_DIR"), "/dictionaries.rs"));

#[cfg(test)]
mod tests {
    use super::*;

    /// The dictionaries and the files they are laid out from.
    fn all() -> [(&'static Dictionary, &'static str); 9] {
        let names = |file: &str| match file {
            "ja-surnames.tsv" => include_str!("../../patterns/names/ja-surnames.tsv"),
            "ja-given.tsv" => include_str!("../../patterns/names/ja-given.tsv"),
            "ja-romaji.tsv" => include_str!("../../patterns/names/ja-romaji.tsv"),
            "en-given.txt" => include_str!("../../patterns/names/en-given.txt"),
            "en-surnames.txt" => include_str!("../../patterns/names/en-surnames.txt"),
            _ => include_str!("../../patterns/names/en-common.txt"),
        };
        [
            (&JA_SURNAMES, names("ja-surnames.tsv")),
            (&JA_SURNAMES_KANA, names("ja-surnames.tsv")),
            (&JA_GIVEN, names("ja-given.tsv")),
            (&JA_GIVEN_KANA, names("ja-given.tsv")),
            (&ROMAJI_SURNAMES, names("ja-romaji.tsv")),
            (&ROMAJI_GIVEN, names("ja-romaji.tsv")),
            (&EN_GIVEN, names("en-given.txt")),
            (&EN_SURNAMES, names("en-surnames.txt")),
            (&EN_COMMON, names("en-common.txt")),
        ]
    }

    #[test]
    fn every_word_of_the_files_is_found_with_its_flag() {
        let rows = |text: &'static str| {
            text.lines().filter(|l| !l.starts_with('#') && !l.is_empty()).map(|l| {
                let mut c = l.split('\t');
                (c.next().unwrap(), c.next().unwrap_or(""), c.next().unwrap_or(""))
            })
        };
        let [surnames, surnames_kana, given, given_kana, romaji_s, romaji_g, en_given, ..] = all();
        for ((surfaces, readings), rows) in [(surnames, surnames_kana), (given, given_kana)]
            .into_iter()
            .zip([surnames.1, given.1].map(rows))
        {
            let mut common = std::collections::HashMap::new();
            for (surface, reading, flag) in rows {
                *common.entry(surface).or_insert(false) |= flag == "1";
                assert!(readings.0.contains(reading), "{reading}");
                assert_eq!(readings.0.flag(reading), Some(false));
            }
            assert_eq!(surfaces.0.len(), common.len());
            for (surface, flag) in common {
                assert_eq!(surfaces.0.flag(surface), Some(flag), "{surface}");
            }
        }
        for (word, kind, _) in rows(romaji_s.1) {
            let dictionary = if kind == "s" { romaji_s.0 } else { romaji_g.0 };
            assert!(dictionary.contains(word), "{word}");
        }
        for (word, ..) in rows(en_given.1) {
            assert!(en_given.0.contains(word), "{word}");
        }
        // 山田 is read two ways, and is also a word (a mountain rice field).
        assert_eq!(JA_SURNAMES.flag("山田"), Some(true));
        assert_eq!(JA_SURNAMES.flag("佐藤"), Some(false));
        assert!(JA_SURNAMES_KANA.contains("ヤマタ") && JA_SURNAMES_KANA.contains("ヤマダ"));
        assert!(JA_GIVEN.contains("太郎"));
        assert!(EN_SURNAMES.contains("smith") && EN_COMMON.contains("may"));
    }

    #[test]
    fn the_filter_passes_every_word_and_few_others() {
        for (dictionary, _) in all() {
            let passes = |key: &str| {
                let (at, tag) = hash::slot(key.as_bytes(), dictionary.bits);
                dictionary.may_hold(at, tag)
            };
            assert!((0..dictionary.len()).all(|i| passes(dictionary.key(i))));
            // Runs of kanji and words no dictionary holds.
            let others: Vec<String> = (0..4000u32)
                .map(|i| char::from_u32(0x4E00 + i * 5).unwrap().to_string() + "議")
                .chain((0..4000).map(|i| format!("zq{i}x")))
                .filter(|k| !dictionary.contains(k))
                .collect();
            let passed = others.iter().filter(|k| passes(k)).count();
            assert!(passed * 8 < others.len(), "{passed} of {}", others.len());
        }
    }

    #[test]
    fn what_is_no_word_is_not_found() {
        for (dictionary, _) in all() {
            for key in ["", "山田太郎花子", "zzzzzzzzzzzzzzzzzzzzzz", "\u{0}", "#"] {
                assert!(!dictionary.contains(key), "{key}");
            }
            // A table at most half full: a miss ends at an empty slot.
            assert!(dictionary.slots.len() >= 2 * dictionary.len());
        }
        assert!(!JA_SURNAMES.contains("山田 ") && !EN_GIVEN.contains("Aaron"));
    }
}

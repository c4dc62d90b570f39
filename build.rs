//! Lays out the name dictionaries (`patterns/names/`) as hash tables at
//! build time, into `$OUT_DIR/dictionaries.rs`, which
//! `src/detect/dictionary.rs` includes. Built at run time, the tables took
//! 5 ms (Japanese) and 7 ms (Latin letters) of every scan that met a name,
//! a twentieth of a scan of 32 MB of prose; laid out here they cost nothing
//! to load, and a lookup is the same hash and probe.

use std::fmt::Write as _;
use std::path::Path;

#[path = "src/detect/dictionary/hash.rs"]
mod hash;

fn main() {
    let dir = Path::new("patterns/names");
    let read = |file: &str| {
        let path = dir.join(file);
        println!("cargo::rerun-if-changed={}", path.display());
        std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
    };
    println!("cargo::rerun-if-changed=src/detect/dictionary/hash.rs");
    let (surnames, given, romaji) =
        (read("ja-surnames.tsv"), read("ja-given.tsv"), read("ja-romaji.tsv"));
    let mut out = String::new();
    // Kanji (and kana) surfaces with whether each is also an ordinary word,
    // and their readings in katakana.
    for (name, text, what) in
        [("JA_SURNAMES", &surnames, "surnames"), ("JA_GIVEN", &given, "given names")]
    {
        let rows: Vec<[&str; 3]> = rows(text).collect();
        let doc = format!("Japanese {what} → whether each is also an ordinary word.");
        table(&mut out, name, &doc, rows.iter().map(|[s, _, common]| (*s, *common == "1")));
        let doc = format!("The readings of the Japanese {what}, in katakana.");
        table(&mut out, &format!("{name}_KANA"), &doc, rows.iter().map(|[_, r, _]| (*r, false)));
    }
    // A spelling is a surname's (`s`) or a given name's (anything else).
    for (name, surname, what) in
        [("ROMAJI_SURNAMES", true, "surnames"), ("ROMAJI_GIVEN", false, "given names")]
    {
        let doc = format!("Hepburn spellings of the Japanese {what}' readings.");
        let keys =
            rows(&romaji).filter(|[_, k, _]| (*k == "s") == surname).map(|[s, ..]| (s, false));
        table(&mut out, name, &doc, keys);
    }
    for (name, file, doc) in [
        ("EN_GIVEN", "en-given.txt", "English given names, in lower case."),
        ("EN_SURNAMES", "en-surnames.txt", "English surnames, in lower case."),
        ("EN_COMMON", "en-common.txt", "Common English words that are also names."),
    ] {
        let text = read(file);
        let words = text.lines().filter(|l| !l.starts_with('#') && !l.is_empty());
        table(&mut out, name, doc, words.map(|w| (w, false)));
    }
    let path =
        Path::new(&std::env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("dictionaries.rs");
    std::fs::write(&path, out).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
}

/// The first three tab-separated columns of each row of a dictionary file
/// (the third empty when missing); comments and rows of one column are
/// left out.
fn rows(text: &str) -> impl Iterator<Item = [&str; 3]> {
    text.lines().filter(|l| !l.starts_with('#')).filter_map(|l| {
        let mut columns = l.split('\t');
        let first = columns.next()?;
        let second = columns.next()?;
        Some([first, second, columns.next().unwrap_or("")])
    })
}

/// Writes the `Dictionary` named `name` of `keys` and their flags (a key
/// listed twice is flagged if either is), in open addressing with linear
/// probing, at most half full.
fn table<'k>(out: &mut String, name: &str, doc: &str, keys: impl Iterator<Item = (&'k str, bool)>) {
    let mut entries: Vec<(&str, bool)> = Vec::new();
    let mut index: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    for (key, flag) in keys {
        match index.get(key) {
            Some(&i) => entries[i].1 |= flag,
            None => {
                index.insert(key, entries.len());
                entries.push((key, flag));
            }
        }
    }
    let bits = (entries.len() * 2).max(16).next_power_of_two().trailing_zeros();
    let mut slots = vec![0u32; 1 << bits];
    assert!(entries.len() < 1 << hash::NUMBER_BITS, "{name}: too many keys for a slot");
    for (i, (key, _)) in entries.iter().enumerate() {
        let (mut at, tag) = hash::slot(key.as_bytes(), bits);
        while slots[at] != 0 {
            at = (at + 1) % slots.len();
        }
        slots[at] = tag << hash::NUMBER_BITS | u32::try_from(i + 1).expect("fits a slot");
    }
    // A word of filter bits for each group of slots, eight bits a key.
    let words = (entries.len() / 8).max(1).next_power_of_two();
    let filter_shift = bits - words.trailing_zeros();
    let mut filter = vec![0u64; words];
    for (key, _) in &entries {
        let (at, tag) = hash::slot(key.as_bytes(), bits);
        filter[at >> filter_shift] |= hash::filter_bits(tag);
    }
    let text: String = entries.iter().map(|(key, _)| *key).collect();
    let mut end = 0;
    let list = |items: &mut dyn Iterator<Item = String>| items.collect::<Vec<_>>().join(",");
    let ends = list(&mut entries.iter().map(|(key, _)| {
        end += key.len();
        end.to_string()
    }));
    let flags = list(&mut entries.iter().map(|(_, flag)| flag.to_string()));
    let slots = list(&mut slots.iter().map(u32::to_string));
    let filter = list(&mut filter.iter().map(u64::to_string));
    let _ = writeln!(
        out,
        "#[doc = {doc:?}]\npub(crate) static {name}: Dictionary = Dictionary {{\n    bits: {bits},\n    \
         text: {text:?},\n    ends: &[{ends}],\n    flags: &[{flags}],\n    slots: &[{slots}],\n    \
         filter_shift: {filter_shift},\n    filter: &[{filter}],\n}};\n"
    );
}

//! Delimited text (CSV/TSV, and tables aligned with runs of spaces):
//! recognising a header row and telling which column a byte of a data row
//! falls in, so each value gets its header as `field` and a header such as
//! `生年月日` can stand in for a keyword next to every value.
//!
//! This is the light-weight, line-based view a text scan needs; it does not
//! parse quoted fields that span lines.

use std::path::Path;

/// A header row of delimited text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Header {
    /// The field names, in order, without quotes.
    pub names: Vec<String>,
    /// What separates the fields.
    pub delimiter: Delimiter,
}

/// What separates the fields of a table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Delimiter {
    /// One byte: `,`, `\t` or `;` (double quotes protect it).
    Byte(u8),
    /// A run of two or more spaces, or an ideographic space: plain-text
    /// reports whose columns are aligned by padding.
    Spaces,
}

impl Header {
    /// Recognises a header in the first line of `text`.
    ///
    /// A `.csv`/`.tsv` file, or any text whose first two lines have the same
    /// number (≥ 2) of fields, has a header when every field of its first line
    /// reads as a name: non-empty, short, no `@` and no run of three digits (a
    /// first line of data is not mistaken for a header). Fields are separated
    /// by a tab, comma or semicolon, or else by runs of spaces.
    pub fn sniff(path: &Path, text: &str) -> Option<Header> {
        let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("").to_ascii_lowercase();
        let mut lines = text.lines();
        let first = lines.next()?.trim_end_matches('\r');
        let delimiter = [b'\t', b',', b';']
            .into_iter()
            .find(|&d| first.as_bytes().contains(&d))
            .map_or(Delimiter::Spaces, Delimiter::Byte);
        let names: Vec<String> =
            fields(first, delimiter).iter().map(|f| value_of(f).to_string()).collect();
        // Space-aligned tables are guessed from prose-like text, so their
        // names must be plainer still: short, and without any digit.
        let plain = |n: &String| {
            delimiter != Delimiter::Spaces
                || (n.chars().count() <= 20 && !n.bytes().any(|b| b.is_ascii_digit()))
        };
        if names.len() < 2 || !names.iter().all(|n| looks_like_name(n) && plain(n)) {
            return None;
        }
        let declared = matches!(ext.as_str(), "csv" | "tsv") && delimiter != Delimiter::Spaces;
        let second_agrees = lines
            .next()
            .is_some_and(|l| fields(l.trim_end_matches('\r'), delimiter).len() == names.len());
        (declared || second_agrees).then_some(Header { names, delimiter })
    }

    /// Where each field of a data `line` starts (byte offsets), up to the
    /// line's end, into `starts`.
    fn field_starts(&self, line: &str, starts: &mut Vec<usize>) {
        let line = &line[..memchr::memchr(b'\n', line.as_bytes()).unwrap_or(line.len())];
        starts.clear();
        let base = line.as_ptr() as usize;
        let start = |f: &str| f.as_ptr() as usize - base;
        match self.delimiter {
            Delimiter::Byte(d) => split(line, d, |f| starts.push(start(f))),
            Delimiter::Spaces => starts.extend(split_spaces(line).into_iter().map(start)),
        }
    }
}

/// The fields of one data line, split on the first lookup and then found by
/// offset: a row of a million columns holds hundreds of thousands of
/// values, and counting each one's field from the line's start was
/// quadratic.
pub struct RowFields<'a> {
    header: &'a Header,
    /// The line (what follows it is ignored).
    line: &'a str,
    /// Where its fields start, once looked up: in storage the caller lends,
    /// so that a table's rows reuse one buffer.
    starts: std::cell::RefCell<&'a mut Vec<usize>>,
    split: std::cell::Cell<bool>,
}

impl<'a> RowFields<'a> {
    /// The fields of the line that `line` starts with, split into `starts`
    /// on the first lookup.
    pub fn new(header: &'a Header, line: &'a str, starts: &'a mut Vec<usize>) -> RowFields<'a> {
        let (starts, split) = (std::cell::RefCell::new(starts), std::cell::Cell::new(false));
        RowFields { header, line, starts, split }
    }

    /// The header the line's fields are under.
    pub fn header(&self) -> &'a Header {
        self.header
    }

    /// Where the line's fields start: split on the first call.
    fn starts(&self) -> std::cell::Ref<'_, &'a mut Vec<usize>> {
        if !self.split.replace(true) {
            self.header.field_starts(self.line, &mut self.starts.borrow_mut());
        }
        self.starts.borrow()
    }

    /// The 0-based field index of byte `offset` of the line.
    pub fn field_at(&self, offset: usize) -> usize {
        self.starts().partition_point(|&s| s <= offset).saturating_sub(1)
    }

    /// Each field's index and the byte range of its value in `line`, as
    /// [`Header::spans`] gives them, when `line` is the row's line (its
    /// end may leave out what the row's line has past it, a `\r`): from
    /// the fields' starts, so that a row whose hits asked for their fields
    /// is not split again (on a customer table, every row was split once
    /// for its hits and once for its name column's value).
    pub fn value_spans(&self, line: &str, spans: &mut Vec<(usize, std::ops::Range<usize>)>) {
        // Fields apart by gaps of any width end where their text does.
        if self.header.delimiter == Delimiter::Spaces {
            return self.header.spans(line, spans);
        }
        let starts = self.starts();
        spans.clear();
        for (i, &start) in starts.iter().enumerate() {
            // A field ends at the delimiter (one byte) before the next
            // one's start.
            let end = starts.get(i + 1).map_or(line.len(), |&next| next - 1);
            spans.push((i, value_span(line, &line[start..end])));
        }
    }
}

impl Header {
    /// Calls `each(index, value)` for the fields of a data `line`, values
    /// without surrounding spaces and quotes (no allocation for CSV/TSV: this
    /// runs for every row).
    pub fn each_value(&self, line: &str, mut each: impl FnMut(usize, &str)) {
        self.each_field(line.trim_end_matches('\r'), |i, f| each(i, value_of(f)));
    }

    /// Each field's index and the byte range of its value in a data `line`
    /// (without surrounding spaces and quotes), into `spans`.
    pub fn spans(&self, line: &str, spans: &mut Vec<(usize, std::ops::Range<usize>)>) {
        spans.clear();
        self.each_field(line, |i, f| spans.push((i, value_span(line, f))));
    }

    /// Calls `each(index, field)` for the fields of `line` as split, with
    /// no allocation for CSV/TSV.
    fn each_field<'l>(&self, line: &'l str, mut each: impl FnMut(usize, &'l str)) {
        let mut i = 0;
        let mut call = |f| {
            each(i, f);
            i += 1;
        };
        match self.delimiter {
            Delimiter::Byte(d) => split(line, d, call),
            Delimiter::Spaces => split_spaces(line).into_iter().for_each(&mut call),
        }
    }
}

/// A field's value: the field without surrounding spaces and quotes. Most
/// fields have neither, and say so by their first and last characters
/// alone: the three trims, each a search by character, were a twentieth of
/// a customer table's scan.
///
/// Each end is told by its character's lead byte where that says enough:
/// decoding both ends as characters and asking whether they are whitespace
/// was most of the test (a customer table's cells end in ASCII or kanji).
fn value_of(field: &str) -> &str {
    let bare = |c: Option<char>| c.is_some_and(|c| c != '"' && !c.is_whitespace());
    // An ASCII byte is a character of its own.
    let bare_byte = |b: u8| b != b'"' && !may_be_space(b);
    let bytes = field.as_bytes();
    let first = match bytes.first() {
        Some(&b) if b.is_ascii() => bare_byte(b),
        Some(&b) if !may_be_space(b) => true,
        _ => bare(field.chars().next()),
    };
    let last = match bytes.last() {
        Some(&b) if b.is_ascii() => bare_byte(b),
        _ => match bytes.iter().rev().find(|&&b| b & 0xC0 != 0x80) {
            Some(&lead) if !may_be_space(lead) => true,
            _ => bare(field.chars().next_back()),
        },
    };
    if first && last {
        return field;
    }
    field.trim().trim_matches('"').trim()
}

/// Whether a character that starts with byte `b` can be whitespace (as
/// `char::is_whitespace` has it): in ASCII, `\t` to `\r` and the space;
/// past it, U+0085, U+00A0, U+1680, U+2000 to U+205F and U+3000, whose
/// lead bytes are C2, E1, E2 and E3. A kanji starts with none.
pub(crate) fn may_be_space(b: u8) -> bool {
    if b.is_ascii() {
        b == b' ' || (b'\t'..=b'\r').contains(&b)
    } else {
        matches!(b, 0xC2 | 0xE1 | 0xE2 | 0xE3)
    }
}

/// Where the value of `field`, a part of `line`, stands in `line`.
fn value_span(line: &str, field: &str) -> std::ops::Range<usize> {
    let value = value_of(field);
    let start = value.as_ptr() as usize - line.as_ptr() as usize;
    start..start + value.len()
}

/// The fields of a line.
fn fields(line: &str, delimiter: Delimiter) -> Vec<&str> {
    match delimiter {
        Delimiter::Byte(d) => {
            let mut fields = Vec::new();
            split(line, d, |f| fields.push(f));
            fields
        }
        Delimiter::Spaces => split_spaces(line),
    }
}

/// Splits on runs of two or more spaces, or on tabs and ideographic spaces;
/// leading padding makes no empty field.
fn split_spaces(line: &str) -> Vec<&str> {
    let is_gap_char = |c: char| c == ' ' || c == '\u{3000}' || c == '\t';
    let mut out = Vec::new();
    let mut start = None;
    let mut chars = line.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        let gap = c == '\u{3000}'
            || c == '\t'
            || (c == ' ' && chars.peek().is_some_and(|&(_, n)| n == ' '));
        if gap {
            if let Some(s) = start.take() {
                out.push(&line[s..i]);
            }
            while chars.next_if(|&(_, n)| is_gap_char(n)).is_some() {}
        } else if start.is_none() {
            start = Some(i);
        }
    }
    if let Some(s) = start {
        out.push(&line[s..]);
    }
    out
}

/// Calls `each` with the fields of `line` split on `delimiter` outside
/// double quotes, in order. Both are ASCII, so the bytes are searched
/// without decoding the characters between (every row of a table is
/// split), eight at a time: each word is compared with both at once
/// ([`bytes_equal`]). A `memchr2` for each next one set up a vector search
/// for each field of ten bytes or so: a customer table's rows took 1,100
/// instructions each to split.
fn split<'l>(line: &'l str, delimiter: u8, mut each: impl FnMut(&'l str)) {
    let bytes = line.as_bytes();
    let (delimiters, quotes) = (LO * u64::from(delimiter), LO * u64::from(b'"'));
    let (mut start, mut quoted, mut at) = (0, false, 0);
    while at < bytes.len() {
        let rest = &bytes[at..];
        let word = match rest.first_chunk::<8>() {
            Some(word) => *word,
            // The line's last bytes, padded with a byte that is no
            // delimiter and no quote (no ASCII byte is 0xFF).
            None => {
                let mut word = [0xFF; 8];
                word[..rest.len()].copy_from_slice(rest);
                word
            }
        };
        let word = u64::from_le_bytes(word);
        let mut marks = bytes_equal(word, delimiters) | bytes_equal(word, quotes);
        while marks != 0 {
            let i = at + (marks.trailing_zeros() / 8) as usize;
            marks &= marks - 1;
            if bytes[i] == b'"' {
                quoted = !quoted;
            } else if !quoted {
                each(&line[start..i]);
                start = i + 1;
            }
        }
        at += 8;
    }
    each(&line[start..]);
}

/// Each byte of a word: `LO * b` is `b` in every byte.
const LO: u64 = 0x0101_0101_0101_0101;
/// The high bit of each byte of a word.
const HI: u64 = 0x8080_8080_8080_8080;

/// The high bit of each byte of `word` equal to the byte repeated in
/// `each` (`LO * b`), and no other bit. Exact: no byte's sum carries into
/// the next, where the usual zero-byte test's subtraction borrows, and
/// takes the byte one above `b` for `b` when it follows one.
fn bytes_equal(word: u64, each: u64) -> u64 {
    let x = word ^ each;
    !(((x & !HI) + !HI) | x) & HI
}

fn looks_like_name(field: &str) -> bool {
    let mut digit_run = 0;
    let long_number = field.bytes().any(|b| {
        digit_run = if b.is_ascii_digit() { digit_run + 1 } else { 0 };
        digit_run >= 3
    });
    !field.is_empty() && field.chars().count() <= 40 && !field.contains('@') && !long_number
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_value_is_its_field_trimmed_of_spaces_and_quotes() {
        let fields = [
            "",
            " ",
            "\"",
            "\"\"",
            "x",
            "山田",
            "\"山田, 太郎\"",
            " \" 090 \" ",
            "\u{3000}様\u{3000}",
            "a\u{a0}",
            "\u{2003}b",
            "\"\"x\"\"",
            "x \"",
            "中村 さくら",
            "1980年2月1日\r",
            "\t\"a\" ",
            "\u{b}x",
            "x\u{c}",
            "\u{1f}x\u{85}",
        ];
        for f in fields {
            assert_eq!(value_of(f), f.trim().trim_matches('"').trim(), "{f:?}");
        }
        // Every character of the basic plane (where all whitespace is), and
        // some past it, at either end, with ASCII and kanji between.
        let mut told = 0;
        let chars = (0..=u32::from(char::MAX)).filter(|c| c >> 16 == 0 || c % 97 == 0);
        for c in chars.filter_map(char::from_u32) {
            for middle in ["", "x", "山"] {
                for f in [format!("{c}{middle}"), format!("{middle}{c}")] {
                    assert_eq!(value_of(&f), f.trim().trim_matches('"').trim(), "{f:?}");
                    told += 1;
                }
            }
        }
        assert_eq!(told, 6 * (0x1_0000 - 0x800 + (0x11_0000 - 0x1_0000) / 97));
    }

    #[test]
    fn fields_split_outside_quotes() {
        fn split_all(line: &str, d: u8) -> Vec<&str> {
            fields(line, Delimiter::Byte(d))
        }
        assert_eq!(split_all("a,\"b,c\",,山田,", b','), ["a", "\"b,c\"", "", "山田", ""]);
        assert_eq!(split_all("", b','), [""]);
        assert_eq!(split_all("\"open,quote", b','), ["\"open,quote"]);
        assert_eq!(split_all("x\ty\t\"\"\tz", b'\t'), ["x", "y", "\"\"", "z"]);
    }

    /// [`split`] as it was written first, one `memchr2` per delimiter or
    /// quote: what the word-at-a-time split must give.
    fn split_by_search(line: &str, delimiter: u8) -> Vec<&str> {
        let bytes = line.as_bytes();
        let (mut fields, mut start, mut pos, mut quoted) = (Vec::new(), 0, 0, false);
        while let Some(i) = memchr::memchr2(delimiter, b'"', &bytes[pos..]) {
            let at = pos + i;
            pos = at + 1;
            if bytes[at] == b'"' {
                quoted = !quoted;
            } else if !quoted {
                fields.push(&line[start..at]);
                start = pos;
            }
        }
        fields.push(&line[start..]);
        fields
    }

    #[test]
    fn fields_split_a_word_at_a_time_as_one_search_at_a_time() {
        // Lines of every length up to five words, from pieces that put
        // delimiters, quotes and multi-byte characters at every offset of
        // a word, a word's first and last bytes included; and the bytes one
        // above a delimiter or a quote, which a word test that borrows
        // across bytes takes for one when they follow it.
        let pieces = ["a", ",", "\"", "\t", ";", "山", "x1", "|", " ", "\u{ff}"];
        let pieces = [&pieces[..], &["-", "#", "\u{8}", ":", "}"]].concat();
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        let mut checked = 0;
        for len in 0..40 {
            for _ in 0..60 {
                let mut line = String::new();
                while line.len() < len {
                    seed ^= seed << 13;
                    seed ^= seed >> 7;
                    seed ^= seed << 17;
                    line.push_str(pieces[(seed % pieces.len() as u64) as usize]);
                }
                for d in [b',', b'\t', b';', b'|'] {
                    let words = fields(&line, Delimiter::Byte(d));
                    assert_eq!(words, split_by_search(&line, d), "{line:?} {}", d as char);
                    checked += 1;
                }
            }
        }
        assert_eq!(checked, 40 * 60 * 4);
        // A delimiter in each byte of a word, and past it.
        for at in 0..10 {
            let line: String = (0..10).map(|i| if i == at { ',' } else { 'x' }).collect();
            assert_eq!(fields(&line, Delimiter::Byte(b',')).len(), 2, "{line}");
        }
    }

    #[test]
    fn recognises_headers_and_fields() {
        let h = Header::sniff(Path::new("a.csv"), "氏名,\"電話番号\",生年月日\n山田,090,1985\n")
            .unwrap();
        assert_eq!(h.names, ["氏名", "電話番号", "生年月日"]);
        let line = "\"山田, 太郎\",090-1234-5678,1985/04/01";
        let mut starts = vec![7, 7, 7];
        let row = RowFields::new(&h, line, &mut starts);
        assert_eq!(row.field_at(line.find("090").unwrap()), 1);
        assert_eq!(row.field_at(line.find("1985").unwrap()), 2);
        assert_eq!(row.field_at(3), 0);
        // What the lent buffer held before is no field.
        let mut spans = vec![(9, 0..1)];
        h.spans(line, &mut spans);
        let spans: Vec<(usize, &str)> = spans.into_iter().map(|(i, r)| (i, &line[r])).collect();
        assert_eq!(spans, [(0, "山田, 太郎"), (1, "090-1234-5678"), (2, "1985/04/01")]);
    }

    #[test]
    fn data_is_not_a_header() {
        assert_eq!(Header::sniff(Path::new("a.csv"), "山田,090-1234-5678\n"), None);
        assert_eq!(Header::sniff(Path::new("a.csv"), "a@example.com,x\n"), None);
        // Prose with a comma is not a table.
        assert_eq!(Header::sniff(Path::new("a.txt"), "Hello, world\nSecond line\n"), None);
        assert!(Header::sniff(Path::new("a.txt"), "name\tphone\nA\tB\n").is_some());
    }

    /// A row's value spans from its fields' starts are those of a split of
    /// its own, whether or not its fields were looked up first, on rows of
    /// every mix of quotes, padding, empty fields, kanji and a `\r` that
    /// the row's line holds and the line asked about leaves out.
    #[test]
    fn value_spans_from_the_split_are_the_headers_spans() {
        let pieces = [",", "\"", " ", "a", "山", "\u{3000}", "  "];
        let mut seed = 0x9E37_79B9_7F4A_7C15u64;
        let mut rows = 0;
        for delimiter in [Delimiter::Byte(b','), Delimiter::Spaces] {
            let h = Header { names: vec!["a".into(); 3], delimiter };
            for len in 0..=14 {
                for _ in 0..200 {
                    let mut line = String::new();
                    for _ in 0..len {
                        seed ^= seed << 13;
                        seed ^= seed >> 7;
                        seed ^= seed << 17;
                        line.push_str(pieces[(seed % pieces.len() as u64) as usize]);
                    }
                    let (mut want, mut got, mut starts) = (Vec::new(), Vec::new(), Vec::new());
                    h.spans(&line, &mut want);
                    for looked_up in [false, true] {
                        let row_line = format!("{line}\r\nnext,row");
                        let row = RowFields::new(&h, &row_line, &mut starts);
                        if looked_up {
                            row.field_at(line.len() / 2);
                        }
                        row.value_spans(&line, &mut got);
                        assert_eq!(got, want, "{line:?}");
                    }
                    rows += 1;
                }
            }
        }
        assert_eq!(rows, 2 * 15 * 200);
    }

    #[test]
    fn tables_aligned_with_spaces() {
        let text = "氏名        生年月日      電話番号\n山田 太郎   1985/04/01    090-1234-5678\n";
        let h = Header::sniff(Path::new("report.txt"), text).unwrap();
        assert_eq!(h.names, ["氏名", "生年月日", "電話番号"]);
        assert_eq!(h.delimiter, Delimiter::Spaces);
        let line = text.lines().nth(1).unwrap();
        let mut starts = Vec::new();
        let row = RowFields::new(&h, line, &mut starts);
        assert_eq!(row.field_at(0), 0);
        assert_eq!(row.field_at(line.find("太郎").unwrap()), 0);
        assert_eq!(row.field_at(line.find("1985").unwrap()), 1);
        assert_eq!(row.field_at(line.find("090").unwrap()), 2);
        // Prose with single spaces is no table.
        assert_eq!(Header::sniff(Path::new("a.txt"), "Dear Mr Tanaka\nThank you\n"), None);
        // Nor are two lines that happen to have double spaces but data first.
        assert_eq!(Header::sniff(Path::new("a.txt"), "090-1234-5678  x\na  b\n"), None);
        assert_eq!(Header::sniff(Path::new("a.txt"), "住所　千代田1番1号\n電話　03\n"), None);
    }
}

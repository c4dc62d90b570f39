//! Delimited text (CSV/TSV): recognising a header row and telling which column
//! a byte of a data row falls in, so each value gets its header as `field` and
//! a header such as `生年月日` can stand in for a keyword next to every value.
//!
//! This is the light-weight, line-based view a text scan needs; it does not
//! parse quoted fields that span lines.

use std::path::Path;

/// A header row of delimited text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Header {
    /// The field names, in order, without quotes.
    pub names: Vec<String>,
    /// The delimiter byte (`,`, `\t` or `;`).
    pub delimiter: u8,
}

impl Header {
    /// Recognises a header in the first line of `text`.
    ///
    /// A `.csv`/`.tsv` file, or any text whose first two lines have the same
    /// number (≥ 2) of delimited fields, has a header when every field of its
    /// first line reads as a name: non-empty, short, no `@` and no run of
    /// three digits (a first line of data is not mistaken for a header).
    pub fn sniff(path: &Path, text: &str) -> Option<Header> {
        let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("").to_ascii_lowercase();
        let mut lines = text.lines();
        let first = lines.next()?.trim_end_matches('\r');
        let delimiter = [b'\t', b',', b';'].into_iter().find(|&d| first.as_bytes().contains(&d))?;
        let names: Vec<String> = split(first, delimiter)
            .map(|f| f.trim().trim_matches('"').trim().to_string())
            .collect();
        if names.len() < 2 || !names.iter().all(|n| looks_like_name(n)) {
            return None;
        }
        let declared = matches!(ext.as_str(), "csv" | "tsv");
        let second_agrees =
            lines.next().is_some_and(|l| split(l, delimiter).count() == names.len());
        (declared || second_agrees).then_some(Header { names, delimiter })
    }

    /// The 0-based field index of byte `offset` in a data `line`.
    pub fn field_at(&self, line: &str, offset: usize) -> usize {
        let mut quoted = false;
        let mut field = 0;
        for &b in &line.as_bytes()[..offset.min(line.len())] {
            if b == b'"' {
                quoted = !quoted;
            } else if b == self.delimiter && !quoted {
                field += 1;
            }
        }
        field
    }
}

/// Splits a line on `delimiter` outside double quotes.
fn split(line: &str, delimiter: u8) -> impl Iterator<Item = &str> {
    let mut quoted = false;
    line.split(move |c: char| {
        if c == '"' {
            quoted = !quoted;
        }
        c as u32 == u32::from(delimiter) && !quoted
    })
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
    fn recognises_headers_and_fields() {
        let h = Header::sniff(Path::new("a.csv"), "氏名,\"電話番号\",生年月日\n山田,090,1985\n")
            .unwrap();
        assert_eq!(h.names, ["氏名", "電話番号", "生年月日"]);
        let line = "\"山田, 太郎\",090-1234-5678,1985/04/01";
        assert_eq!(h.field_at(line, line.find("090").unwrap()), 1);
        assert_eq!(h.field_at(line, line.find("1985").unwrap()), 2);
        assert_eq!(h.field_at(line, 3), 0);
    }

    #[test]
    fn data_is_not_a_header() {
        assert_eq!(Header::sniff(Path::new("a.csv"), "山田,090-1234-5678\n"), None);
        assert_eq!(Header::sniff(Path::new("a.csv"), "a@example.com,x\n"), None);
        // Prose with a comma is not a table.
        assert_eq!(Header::sniff(Path::new("a.txt"), "Hello, world\nSecond line\n"), None);
        assert!(Header::sniff(Path::new("a.txt"), "name\tphone\nA\tB\n").is_some());
    }
}

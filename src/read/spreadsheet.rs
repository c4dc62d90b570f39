//! Spreadsheets (.xlsx, .xlsm, .xlsb, .xls, .ods) read with calamine: every
//! sheet's cells as text, with their row and column, so that `scan` can hand
//! each sheet to the detectors as a table (a header row names each column).
//! Chosen by content, not by extension: a zip holding `xl/workbook.xml`,
//! `xl/workbook.bin` or an OpenDocument spreadsheet `mimetype`, or an OLE
//! file calamine reads as a workbook.
//!
//! Dates stored as serial numbers become ISO dates (`1985-04-01`), so a
//! birth-date column is found; numbers are formatted as written (`9012345678`
//! stays whole).

use std::io::Cursor;

use calamine::{Data, Reader, open_workbook_auto_from_rs};

/// One sheet's non-empty rows.
#[derive(Debug)]
pub struct Sheet {
    /// The sheet's name.
    pub name: String,
    /// Per row: its 1-based row number and its cells as text, from column
    /// `first_column` on (empty cells are empty strings).
    pub rows: Vec<(u32, Vec<String>)>,
    /// The 1-based column of each row's first cell.
    pub first_column: u32,
}

/// Whether `bytes` are a workbook by their content.
pub fn sniff(bytes: &[u8]) -> bool {
    if bytes.starts_with(b"PK\x03\x04") {
        let Ok(mut zip) = zip::ZipArchive::new(Cursor::new(bytes)) else { return false };
        let has = |zip: &mut zip::ZipArchive<Cursor<&[u8]>>, name: &str| zip.by_name(name).is_ok();
        if has(&mut zip, "xl/workbook.xml") || has(&mut zip, "xl/workbook.bin") {
            return true;
        }
        let mut mimetype = String::new();
        return zip.by_name("mimetype").is_ok_and(|mut f| {
            std::io::Read::read_to_string(&mut f, &mut mimetype).is_ok()
                && mimetype.trim() == "application/vnd.oasis.opendocument.spreadsheet"
        });
    }
    // OLE compound files are Word and PowerPoint too: only a workbook opens.
    bytes.starts_with(b"\xD0\xCF\x11\xE0") && open_workbook_auto_from_rs(Cursor::new(bytes)).is_ok()
}

/// Reads every sheet of a workbook.
pub fn read(bytes: &[u8]) -> Result<Vec<Sheet>, String> {
    // calamine inflates parts as it goes: look at their sizes first.
    if bytes.starts_with(b"PK\x03\x04") {
        let mut zip =
            zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| format!("corrupt zip: {e}"))?;
        for i in 0..zip.len() {
            if let Ok(file) = zip.by_index_raw(i) {
                let name = file.name().map(|n| n.to_string()).unwrap_or_default();
                super::part_within_limits(&name, file.size(), file.compressed_size())?;
            }
        }
    }
    let mut book = open_workbook_auto_from_rs(Cursor::new(bytes))
        .map_err(|e| format!("cannot read the workbook: {e}"))?;
    let mut sheets = Vec::new();
    for name in book.sheet_names() {
        let range =
            book.worksheet_range(&name).map_err(|e| format!("cannot read sheet {name:?}: {e}"))?;
        let Some((row0, col0)) = range.start() else { continue };
        let rows = range
            .rows()
            .enumerate()
            .map(|(i, cells)| (row0 + i as u32 + 1, cells.iter().map(text).collect::<Vec<_>>()))
            .filter(|(_, cells)| cells.iter().any(|c| !c.is_empty()))
            .collect();
        sheets.push(Sheet { name, rows, first_column: col0 + 1 });
    }
    Ok(sheets)
}

/// A cell as text.
fn text(cell: &Data) -> String {
    match cell {
        Data::Empty | Data::Error(_) => String::new(),
        Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Int(i) => i.to_string(),
        // Whole numbers print without `.0`: a phone typed as a number stays digits.
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        Data::Float(f) => f.to_string(),
        Data::Bool(b) => b.to_string(),
        Data::DateTime(d) => serial_date(d.as_f64()),
    }
}

/// An Excel serial date (1900 system: days since 1899-12-30; a time of day
/// is the fraction, dropped) as an ISO date.
fn serial_date(serial: f64) -> String {
    // Serial 25,569 is 1970-01-01.
    let (y, m, d) = crate::calendar::civil_from_days(serial.floor() as i64 - 25_569);
    format!("{y:04}-{m:02}-{d:02}")
}

/// `C5` for column 3, row 5.
pub fn cell_name(column: u32, row: u32) -> String {
    let mut letters = Vec::new();
    let mut n = column;
    while n > 0 {
        let r = (n - 1) % 26;
        letters.push(char::from(b'A' + r as u8));
        n = (n - 1) / 26;
    }
    letters.iter().rev().collect::<String>() + &row.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serial_dates_and_cell_names() {
        assert_eq!(serial_date(31_138.0), "1985-04-01");
        assert_eq!(serial_date(45_413.5), "2024-05-01");
        assert_eq!(cell_name(3, 5), "C5");
        assert_eq!(cell_name(27, 1), "AA1");
        assert_eq!(text(&Data::Float(9012345678.0)), "9012345678");
        assert!(!sniff(b"PK\x03\x04not a zip"));
    }

    #[test]
    fn a_bomb_sheet_is_refused_before_calamine_inflates_it() {
        use std::io::Write;
        let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let options = zip::write::SimpleFileOptions::default();
        w.start_file("xl/workbook.xml", options).unwrap();
        w.write_all(b"<workbook/>").unwrap();
        w.start_file("xl/worksheets/sheet1.xml", options).unwrap();
        w.write_all(&vec![b' '; 8 << 20]).unwrap();
        let bytes = w.finish().unwrap().into_inner();
        assert!(sniff(&bytes));
        let err = read(&bytes).unwrap_err();
        assert!(err.starts_with("xl/worksheets/sheet1.xml is 8388608 bytes"), "{err}");
    }
}

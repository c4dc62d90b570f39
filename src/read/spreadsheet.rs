//! Spreadsheets (.xlsx, .xlsm, .xlsb, .xls, .ods) read with calamine: every
//! sheet's cells as text, with their row and column, so that `scan` can hand
//! each sheet to the detectors as a table (a header row names each column).
//! Chosen by content, not by extension: a zip holding `xl/workbook.xml`,
//! `xl/workbook.bin` or an OpenDocument spreadsheet `mimetype`, or an OLE
//! compound file with a `Workbook` (or Excel 5 `Book`) stream.
//!
//! Dates stored as serial numbers become ISO dates (`1985-04-01`), so a
//! birth-date column is found; numbers are formatted as written (`9012345678`
//! stays whole).

use std::io::Cursor;

use calamine::{Data, Reader, Sheets, open_workbook_auto_from_rs};

/// One sheet's non-empty rows.
#[derive(Debug)]
pub struct Sheet {
    /// The sheet's name.
    pub name: String,
    /// Its 1-based position among the workbook's sheets: errors name a
    /// sheet by it, since a sheet's name can be a customer's.
    pub number: u32,
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
    // OLE compound files are Word and PowerPoint too: a workbook has a
    // workbook stream.
    bytes.starts_with(b"\xD0\xCF\x11\xE0")
        && cfb::CompoundFile::open(Cursor::new(bytes)).is_ok_and(|ole| biff_name(&ole).is_some())
}

/// The name of the BIFF stream in an Excel 97–2003 (or Excel 5) workbook.
fn biff_name<F>(ole: &cfb::CompoundFile<F>) -> Option<&'static str> {
    ["/Workbook", "/Book"].into_iter().find(|n| ole.is_stream(n))
}

/// The BIFF stream of an Excel 97–2003 (or Excel 5) workbook.
fn biff_stream(bytes: &[u8]) -> Option<Vec<u8>> {
    let mut ole = cfb::CompoundFile::open(Cursor::new(bytes)).ok()?;
    let name = biff_name(&ole)?;
    let mut stream = Vec::new();
    std::io::Read::read_to_end(&mut ole.open_stream(name).ok()?, &mut stream).ok()?;
    Some(stream)
}

/// Measures the sheets of an `.xls` as calamine will lay them out when it
/// opens the file — every sheet from its lowest to its highest row and
/// column, and the space a `DIMENSIONS` record claims — and refuses one
/// larger than [`MAX_SHEET_CELLS`] before calamine allocates it: two cells
/// at A1 and at row 65,536, column 65,536 claim four billion cells, and a
/// forged `DIMENSIONS` record more.
fn xls_extent(stream: &[u8]) -> Result<(), String> {
    const BOF: u16 = 0x0809;
    const DIMENSIONS: u16 = 0x0200;
    // Records that are a cell at (row, column) of a sheet, for calamine:
    // formula, number, label, boolean or error, RK, shared-string label.
    const CELLS: [u16; 6] = [0x0006, 0x0203, 0x0204, 0x0205, 0x027E, 0x00FD];
    const MULRK: u16 = 0x00BD;
    let u16_at =
        |d: &[u8], at: usize| d.get(at..at + 2).map_or(0, |b| u16::from_le_bytes([b[0], b[1]]));
    let u32_at = |d: &[u8], at: usize| {
        d.get(at..at + 4).map_or(0, |b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    };
    let too_large = |cells: u64| {
        format!(
            "a sheet would span {cells} cells (from its first to its last row and column, \
             more than {MAX_SHEET_CELLS}); not read"
        )
    };
    // Per sheet: the lowest and highest row and column of its cells.
    let mut span: Option<(u32, u32, u32, u32)> = None;
    let measure = |span: Option<(u32, u32, u32, u32)>| -> Result<(), String> {
        let Some((r0, r1, c0, c1)) = span else { return Ok(()) };
        let cells = u64::from(r1 - r0 + 1) * u64::from(c1 - c0 + 1);
        if cells > MAX_SHEET_CELLS { Err(too_large(cells)) } else { Ok(()) }
    };
    let mut at = 0;
    while let (Some(typ), Some(len)) = (stream.get(at..at + 2), stream.get(at + 2..at + 4)) {
        let typ = u16::from_le_bytes([typ[0], typ[1]]);
        let len = usize::from(u16::from_le_bytes([len[0], len[1]]));
        let data = stream.get(at + 4..at + 4 + len).unwrap_or(&[]);
        at += 4 + len;
        let mut cell = |row: u32, column: u32| {
            span = Some(match span {
                None => (row, row, column, column),
                Some((r0, r1, c0, c1)) => {
                    (r0.min(row), r1.max(row), c0.min(column), c1.max(column))
                }
            });
        };
        match typ {
            BOF => measure(span.take())?,
            DIMENSIONS => {
                // As calamine reads it: first row, last row + 1, first
                // column, last column + 1 (rows as 32 bits in BIFF8).
                let (rf, rl, cf, cl) = match len {
                    14 => (u32_at(data, 0), u32_at(data, 4), u16_at(data, 8), u16_at(data, 10)),
                    _ => (
                        u32::from(u16_at(data, 0)),
                        u32::from(u16_at(data, 2)),
                        u16_at(data, 4),
                        u16_at(data, 6),
                    ),
                };
                let cf = if cf > 0xFF || cl < cf { 0 } else { cf };
                if rl >= 1 && cl >= 1 {
                    let rows = i64::from(rl) - i64::from(rf);
                    let columns = i64::from(cl) - i64::from(cf);
                    if rows <= 0 || columns <= 0 {
                        return Err(
                            "corrupt workbook: a sheet's DIMENSIONS record ends before it \
                                    starts; not read"
                                .into(),
                        );
                    }
                    if (rows * columns) as u64 > MAX_SHEET_CELLS {
                        return Err(too_large((rows * columns) as u64));
                    }
                }
            }
            t if CELLS.contains(&t) => cell(u32::from(u16_at(data, 0)), u32::from(u16_at(data, 2))),
            MULRK if len >= 6 => {
                let row = u32::from(u16_at(data, 0));
                cell(row, u32::from(u16_at(data, 2)));
                cell(row, u32::from(u16_at(data, len - 2)));
            }
            _ => {}
        }
    }
    measure(span)
}

/// The most cells a sheet may span (its rows times its widest row, the
/// empty cells between values included), about what a sheet of 100,000
/// rows and 80 columns holds: a sheet is held in memory while it is
/// scanned, and a file of a few hundred bytes can claim the corners of a
/// 1,048,576 × 16,384 grid or repeat one row a million times.
pub const MAX_SHEET_CELLS: u64 = 8_000_000;

/// Excel's grid: 1,048,576 rows of 16,384 columns.
const MAX_ROWS: u32 = 1 << 20;
const MAX_COLUMNS: u32 = 1 << 14;

/// Reads every sheet of a workbook.
///
/// `.xlsx` and `.xlsb` sheets are read cell by cell and laid out here, so a
/// cell far out in the grid costs its own row, never the rectangle up to
/// it; OpenDocument sheets, which calamine lays out itself, are first
/// measured from their XML ([`ods_extent`]).
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
        if let Ok(content) = zip.by_name("content.xml") {
            ods_extent(std::io::BufReader::new(content))?;
        }
    } else if let Some(stream) = biff_stream(bytes) {
        // calamine lays out every sheet of an .xls as it opens it.
        xls_extent(&stream)?;
    }
    let mut book = super::guarded("workbook", || {
        open_workbook_auto_from_rs(Cursor::new(bytes))
            .map_err(|e| format!("cannot read the workbook: {}", super::describe(&e)))
    })?;
    let mut sheets = Vec::new();
    for (number, name) in (1..).zip(book.sheet_names()) {
        let cannot = |e: &(dyn std::error::Error + 'static)| {
            format!("cannot read sheet {number}: {}", super::describe(e))
        };
        let mut cells = Vec::new();
        let mut keep = |(row, column): (u32, u32), value: Data| {
            let text = text(&value);
            if !text.is_empty() {
                cells.push((row, column, text));
            }
        };
        super::guarded("workbook", || {
            sheet_cells(&mut book, &name, &mut keep).map_err(|e| cannot(&*e))
        })?;
        if let Some(sheet) = lay_out(name, number, cells)? {
            sheets.push(sheet);
        }
    }
    Ok(sheets)
}

/// Hands every non-empty cell of sheet `name` to `keep`: `.xlsx` and
/// `.xlsb` cell by cell, others from the range calamine laid out.
fn sheet_cells<R: std::io::Read + std::io::Seek>(
    book: &mut Sheets<R>,
    name: &str,
    keep: &mut dyn FnMut((u32, u32), Data),
) -> Result<(), Box<dyn std::error::Error>> {
    match book {
        Sheets::Xlsx(xlsx) => {
            let mut reader = xlsx.worksheet_cells_reader(name)?;
            while let Some(cell) = reader.next_cell()? {
                keep(cell.get_position(), cell.get_value().clone().into());
            }
        }
        Sheets::Xlsb(xlsb) => {
            let mut reader = xlsb.worksheet_cells_reader(name)?;
            while let Some(cell) = reader.next_cell()? {
                keep(cell.get_position(), cell.get_value().clone().into());
            }
        }
        book => {
            let range = book.worksheet_range(name)?;
            let (row0, col0) = range.start().unwrap_or_default();
            for (row, column, value) in range.used_cells() {
                keep((row0 + row as u32, col0 + column as u32), value.clone());
            }
        }
    }
    Ok(())
}

/// A sheet's rows from its non-empty cells `(row, column, text)` (0-based),
/// refused when it spans more than [`MAX_SHEET_CELLS`] or lies outside
/// Excel's grid (a forged reference such as `A99999999999`).
fn lay_out(
    name: String,
    number: u32,
    mut cells: Vec<(u32, u32, String)>,
) -> Result<Option<Sheet>, String> {
    if let Some((row, column, _)) =
        cells.iter().find(|(r, c, _)| *r >= MAX_ROWS || *c >= MAX_COLUMNS)
    {
        return Err(format!(
            "sheet {number}: a cell at row {}, column {} lies outside the grid of \
             {MAX_ROWS} rows and {MAX_COLUMNS} columns (a damaged or forged file); not read",
            u64::from(*row) + 1,
            u64::from(*column) + 1
        ));
    }
    // Readers give cells row by row; a file may not.
    cells.sort_by_key(|&(row, column, _)| (row, column));
    let Some(first_column) = cells.iter().map(|&(_, c, _)| c).min() else { return Ok(None) };
    let mut spanned = 0u64;
    let mut rows: Vec<(u32, Vec<String>)> = Vec::new();
    for (row, column, text) in cells {
        if rows.last().is_none_or(|(r, _)| *r != row + 1) {
            rows.push((row + 1, Vec::new()));
        }
        let cells = &mut rows.last_mut().expect("a row was pushed").1;
        let at = (column - first_column) as usize;
        spanned += (at + 1).saturating_sub(cells.len()) as u64;
        if spanned > MAX_SHEET_CELLS {
            return Err(format!(
                "sheet {number} spans more than {MAX_SHEET_CELLS} cells (its rows times \
                 the columns they reach); not read"
            ));
        }
        cells.resize(at, String::new());
        cells.push(text);
    }
    Ok(Some(Sheet { name, number, rows, first_column: first_column + 1 }))
}

/// Measures the tables of an OpenDocument `content.xml` as calamine will lay
/// them out — all the rows up to the last that holds a value, times the
/// widest such row, repeats expanded — and refuses a table larger than
/// [`MAX_SHEET_CELLS`] before calamine expands it (a 1 KB file can repeat
/// a row of 16,384 cells a million times). A content.xml that ends before
/// its elements close is refused too: calamine waits for the end of a
/// table, row or note and loops forever at the end of the file instead.
fn ods_extent(content: impl std::io::BufRead) -> Result<(), String> {
    use quick_xml::events::Event;
    let mut xml = quick_xml::Reader::from_reader(content);
    let mut buf = Vec::new();
    let repeats = |e: &quick_xml::events::BytesStart<'_>, key: &[u8]| -> u64 {
        e.try_get_attribute(key)
            .ok()
            .flatten()
            .and_then(|a| std::str::from_utf8(&a.value).ok()?.parse().ok())
            .unwrap_or(1)
    };
    // Per table: rows so far, the end of the last row with a value, the
    // widest row; per row: its repeats, cells so far, end of its last value.
    let (mut rows, mut used_rows, mut widest) = (0u64, 0u64, 0u64);
    let (mut row_repeats, mut width, mut used_width) = (1u64, 0u64, 0u64);
    let mut open = 0u64;
    let too_large = |cells: u64| {
        format!(
            "a sheet would span {cells} cells once its repeated rows and columns are \
             expanded (more than {MAX_SHEET_CELLS}); not read"
        )
    };
    loop {
        let event = xml
            .read_event_into(&mut buf)
            .map_err(|e| format!("corrupt content.xml: {}", super::describe(&e)))?;
        match &event {
            Event::Start(_) => open += 1,
            Event::End(_) => open = open.saturating_sub(1),
            _ => {}
        }
        match &event {
            Event::Start(e) | Event::Empty(e) => match e.name().as_ref() {
                b"table:table" => (rows, used_rows, widest) = (0, 0, 0),
                b"table:table-row" => {
                    (row_repeats, width, used_width) =
                        (repeats(e, b"table:number-rows-repeated"), 0, 0);
                    if matches!(event, Event::Empty(_)) {
                        rows = rows.saturating_add(row_repeats);
                    }
                }
                b"table:table-cell" | b"table:covered-table-cell" => {
                    let n = repeats(e, b"table:number-columns-repeated");
                    width = width.saturating_add(n);
                    // A cell with a type or content holds a value.
                    let valued = matches!(event, Event::Start(_))
                        || e.try_get_attribute(b"office:value-type").ok().flatten().is_some();
                    if valued {
                        used_width = width;
                    }
                }
                _ => {}
            },
            Event::End(e) if e.name().as_ref() == b"table:table-row" => {
                rows = rows.saturating_add(row_repeats);
                if used_width > 0 {
                    used_rows = rows;
                    widest = widest.max(used_width);
                }
                let cells = used_rows.saturating_mul(widest);
                if cells > MAX_SHEET_CELLS {
                    return Err(too_large(cells));
                }
            }
            Event::Eof if open > 0 => {
                return Err(
                    "corrupt content.xml: it ends inside an element (a truncated file)".into()
                );
            }
            Event::Eof => return Ok(()),
            _ => {}
        }
        buf.clear();
    }
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

    #[test]
    fn sheets_are_laid_out_from_their_cells_within_a_budget() {
        let cells = vec![(4, 3, "c".to_string()), (1, 2, "a".to_string()), (1, 5, "b".to_string())];
        let sheet = lay_out("s".into(), 1, cells).unwrap().unwrap();
        assert_eq!(sheet.first_column, 3);
        assert_eq!(
            sheet.rows,
            [
                (2, vec!["a".into(), "".into(), "".into(), "b".into()]),
                (5, vec!["".into(), "c".into()])
            ]
        );
        assert!(lay_out("s".into(), 1, Vec::new()).unwrap().is_none());
        // 500 rows reaching the last column span 8,192,000 cells.
        let wide: Vec<(u32, u32, String)> = (0..500)
            .flat_map(|r| [(r, 0, "a".to_string()), (r, MAX_COLUMNS - 1, "b".to_string())])
            .collect();
        assert!(
            lay_out("s".into(), 1, wide).unwrap_err().contains("spans more than 8000000 cells")
        );
        let beyond = vec![(MAX_ROWS, 0, "x".to_string())];
        assert!(lay_out("s".into(), 1, beyond).unwrap_err().contains("outside the grid"));
    }

    #[test]
    fn open_document_tables_are_measured_with_their_repeats() {
        let table = |rows: &str| {
            format!(
                r#"<office:document-content><table:table>{rows}</table:table></office:document-content>"#
            )
        };
        let value =
            r#"<table:table-cell office:value-type="string"><text:p>x</text:p></table:table-cell>"#;
        // Empty repeats after the last value cost nothing.
        let libreoffice = table(&format!(
            r#"<table:table-row>{value}{value}</table:table-row><table:table-row table:number-rows-repeated="1048575"><table:table-cell table:number-columns-repeated="16384"/></table:table-row>"#
        ));
        assert_eq!(ods_extent(libreoffice.as_bytes()), Ok(()));
        // A value after them spans every row and column before it.
        let far = table(&format!(
            r#"<table:table-row>{value}</table:table-row><table:table-row table:number-rows-repeated="4000"/><table:table-row><table:table-cell table:number-columns-repeated="1999"/>{value}</table:table-row>"#
        ));
        assert!(ods_extent(far.as_bytes()).unwrap_err().contains("would span 8004000 cells"));
    }
}

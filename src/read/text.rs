//! Text decoding: which encoding a file is in, and decoding it in chunks of
//! whole lines.
//!
//! Japanese file shares hold UTF-8 (with or without BOM), UTF-16 (Windows
//! exports), Shift_JIS/CP932 (Excel CSV exports, old systems), EUC-JP (old
//! Unix systems) and ISO-2022-JP (mail). Detection order: BOM, NUL-byte
//! patterns (UTF-16 without BOM, else binary), ISO-2022-JP escape sequences
//! (7-bit, so also valid UTF-8), valid UTF-8, mostly-valid UTF-8 (decoded with
//! replacement), then chardetng with a Japanese bias. UTF-8 text is never
//! copied; everything else is decoded through `encoding_rs` a chunk at a time.
//! Undecodable bytes become U+FFFD rather than errors: the rest of the file is
//! still worth scanning.

use std::io::Read;

use encoding_rs::{EUC_JP, ISO_2022_JP, SHIFT_JIS, UTF_8, UTF_16BE, UTF_16LE};

use super::Chunk;

/// Chunks hold about this many bytes of text, ending at a line break —
/// at a blank line where one is near, so that a form's lines (one record)
/// stay in one chunk.
const CHUNK: usize = super::WINDOW;

/// Where a chunk of `text` (more than [`CHUNK`] long) ends: after the last
/// blank line in its last quarter, else after its last line break; `None`
/// when it has no line break.
fn cut_point(text: &[u8]) -> Option<usize> {
    let tail = text.len().saturating_sub(CHUNK / 4);
    // Blocks of the quarter from its end, each searched forwards for
    // `\n\n`: the vectorised substring search tests two bytes at once,
    // and stops only at blank lines. A reverse substring search goes byte
    // by byte, and walking the line breaks back from the end, one
    // vectorised search each, was 2% of a scan of code without blank
    // lines (a break every 40 bytes); where blank lines are common, the
    // last block holds one. Blocks overlap by a byte, so a pair across
    // two is found; matches do not overlap, so the last one is taken on
    // to the end of its run of breaks (`\n\n\n` ends after the third).
    static BLANK: std::sync::LazyLock<memchr::memmem::Finder<'static>> =
        std::sync::LazyLock::new(|| memchr::memmem::Finder::new(b"\n\n"));
    const BLOCK: usize = 4 << 10;
    let mut end = text.len();
    while end > tail + 1 {
        let start = end.saturating_sub(BLOCK).max(tail);
        if let Some(at) = BLANK.find_iter(&text[start..end]).last() {
            let run = &text[start + at..];
            return Some(start + at + run.iter().position(|&b| b != b'\n').unwrap_or(run.len()));
        }
        end = start + 1;
    }
    memchr::memrchr(b'\n', text).map(|i| i + 1)
}

/// A line longer than this many bytes is handed on in pieces of about this
/// size (the later ones with their [`Chunk::column_offset`]), so that one
/// giant line — a minified JSON export — never has to be held whole.
pub const MAX_LINE: usize = 4 * CHUNK;

/// How much of a file the NUL and chardetng sniffing look at.
const SNIFF: usize = 64 << 10;

/// A file's text encoding, and the length of its byte-order mark.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Encoding {
    encoding: &'static encoding_rs::Encoding,
    bom: usize,
}

impl Encoding {
    /// UTF-8 without a byte-order mark (text this crate decoded itself).
    pub(crate) const UTF8: Encoding = Encoding { encoding: UTF_8, bom: 0 };

    /// The WHATWG name (`UTF-8`, `Shift_JIS`, `EUC-JP`, …).
    pub fn name(self) -> &'static str {
        self.encoding.name()
    }
}

/// What sniffing found: the encoding, and for valid UTF-8 the text itself
/// (validated once, here, and never copied).
#[derive(Debug, Clone, Copy)]
pub struct Sniffed<'a> {
    /// The encoding.
    pub encoding: Encoding,
    /// The whole text (without BOM) when it is valid UTF-8.
    pub utf8: Option<&'a str>,
}

/// Whether `bytes` are text (of some encoding) rather than binary data,
/// as [`sniff`] judges them, without validating them as UTF-8: the reader
/// asks of a large file's first window before it streams the file, whose
/// first chunk is then validated once, by the sniffing that picks its
/// encoding.
pub fn is_text(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(SNIFF)];
    let bom = [&b"\xEF\xBB\xBF"[..], b"\xFF\xFE", b"\xFE\xFF"].iter().any(|b| bytes.starts_with(b));
    bom || memchr::memchr(0, head).is_none()
        || utf16_without_bom(head).is_some()
        || nul_padded_text(head)
}

/// Detects the encoding of `bytes`, or `None` for binary data.
pub fn sniff(bytes: &[u8]) -> Option<Sniffed<'_>> {
    let enc = |encoding, bom| Some(Sniffed { encoding: Encoding { encoding, bom }, utf8: None });
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        let utf8 = simdutf8::basic::from_utf8(rest).ok();
        return Some(Sniffed { encoding: Encoding { encoding: UTF_8, bom: 3 }, utf8 });
    }
    if bytes.starts_with(b"\xFF\xFE") {
        return enc(UTF_16LE, 2);
    }
    if bytes.starts_with(b"\xFE\xFF") {
        return enc(UTF_16BE, 2);
    }
    if !is_text(bytes) {
        return None;
    }
    // NULs in text: UTF-16 without a BOM, or a log with a block of NULs
    // (preallocated, or cut by a crash), whose NULs decode as U+0000, which
    // no detector matches.
    let head = &bytes[..bytes.len().min(SNIFF)];
    if let Some(e) = memchr::memchr(0, head).and_then(|_| utf16_without_bom(head)) {
        return enc(e, 0);
    }
    // ISO-2022-JP is 7-bit, so it is valid UTF-8 too: look for its escapes first.
    if memchr::memmem::find(head, b"\x1B$").is_some() && head.is_ascii() {
        return enc(ISO_2022_JP, 0);
    }
    // simdutf8 validates several times faster than std on Japanese text; std
    // runs only on failure, to find where the damage is.
    if let Ok(text) = simdutf8::basic::from_utf8(bytes) {
        return Some(Sniffed { encoding: Encoding { encoding: UTF_8, bom: 0 }, utf8: Some(text) });
    }
    // Mostly UTF-8 with a damaged sequence: decode as UTF-8 with replacement
    // rather than guessing a legacy encoding.
    if let Err(e) = std::str::from_utf8(bytes)
        && !bytes[..e.valid_up_to()].is_ascii()
    {
        return enc(UTF_8, 0);
    }
    let mut detector = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Allow);
    detector.feed(head, head.len() == bytes.len());
    let guess = detector.guess(Some(b"jp"), chardetng::Utf8Detection::Deny);
    // chardetng answers with a single-byte encoding for short or ambiguous
    // data; Japanese shares hold these three far more often.
    let japanese = [SHIFT_JIS, EUC_JP, ISO_2022_JP];
    enc(if japanese.contains(&guess) { guess } else { fallback_japanese(head) }, 0)
}

/// Text with blocks of NULs in it: apart from the NULs, at most 1% control
/// characters other than tab, newline, form feed and escape (binary formats
/// hold them throughout), and enough of it to judge.
fn nul_padded_text(head: &[u8]) -> bool {
    let text = head.iter().filter(|&&b| b != 0).count();
    let control = head
        .iter()
        .filter(|&&b| {
            (b != 0 && b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0c | 0x1b)) || b == 0x7f
        })
        .count();
    text >= 64 && control * 100 <= text
}

/// UTF-16 text without a BOM shows NULs in every other byte (the high byte of
/// ASCII characters); anything else with NULs is binary.
fn utf16_without_bom(head: &[u8]) -> Option<&'static encoding_rs::Encoding> {
    let pairs = head.len() / 2;
    if pairs < 4 {
        return None;
    }
    let zeros_at = |parity: usize| head.iter().skip(parity).step_by(2).filter(|&&b| b == 0).count();
    let (even, odd) = (zeros_at(0), zeros_at(1));
    if odd * 3 > pairs && even * 20 < pairs {
        Some(UTF_16LE)
    } else if even * 3 > pairs && odd * 20 < pairs {
        Some(UTF_16BE)
    } else {
        None
    }
}

/// Picks Shift_JIS or EUC-JP by which decodes `head` without errors (Shift_JIS
/// first: it is by far the more common on Windows shares).
fn fallback_japanese(head: &[u8]) -> &'static encoding_rs::Encoding {
    for e in [SHIFT_JIS, EUC_JP] {
        if e.decode_without_bom_handling_and_without_replacement(head).is_some() {
            return e;
        }
    }
    SHIFT_JIS
}

/// Decodes `bytes` and calls `on_chunk` with whole lines at a time.
pub fn decode_chunks(
    bytes: &[u8],
    sniffed: Sniffed<'_>,
    decoded: &mut String,
    on_chunk: &mut dyn FnMut(Chunk<'_>),
) {
    let encoding = sniffed.encoding;
    let mut lines = Lines::new(on_chunk);
    if let Some(text) = sniffed.utf8 {
        // Zero-copy: chunks are slices of the file's own bytes.
        let mut rest = text;
        while !rest.is_empty() {
            let cut = if rest.len() <= CHUNK {
                rest.len()
            } else {
                // A chunk's worth and the rest of its last line.
                let end = memchr::memchr(b'\n', &rest.as_bytes()[CHUNK..])
                    .map_or(rest.len(), |i| CHUNK + i + 1);
                cut_point(&rest.as_bytes()[..end]).unwrap_or(end)
            };
            lines.emit(&rest[..cut]);
            rest = &rest[cut..];
        }
        return;
    }
    let mut reader = &bytes[encoding.bom..];
    // Reading from memory cannot fail.
    let _ = decode_legacy(encoding.encoding, &mut Vec::new(), &mut reader, decoded, &mut lines);
}

/// `head` up to its last line break (all of it when it has none): the part
/// of a file's first window that sniffing can judge without a character cut
/// in two at its end.
pub fn whole_lines(head: &[u8]) -> &[u8] {
    memchr::memrchr(b'\n', head).map_or(head, |i| &head[..=i])
}

/// Where whole lines and line numbers stand while text streams by.
struct Lines<'c> {
    first_line: u64,
    is_first: bool,
    column_offset: u64,
    on_chunk: &'c mut dyn FnMut(Chunk<'_>),
}

impl<'c> Lines<'c> {
    /// At the first line of a text.
    fn new(on_chunk: &'c mut dyn FnMut(Chunk<'_>)) -> Lines<'c> {
        Lines { first_line: 1, is_first: true, column_offset: 0, on_chunk }
    }

    /// Hands on `text` (whole lines, or a piece of an over-long line) and
    /// moves past it.
    fn emit(&mut self, text: &str) {
        if text.is_empty() {
            return;
        }
        (self.on_chunk)(Chunk {
            text,
            first_line: self.first_line,
            is_first: self.is_first,
            positions: true,
            column_offset: self.column_offset,
            drawing: false,
            layout: None,
        });
        self.is_first = false;
        let breaks = memchr::memchr_iter(b'\n', text.as_bytes()).count() as u64;
        self.first_line += breaks;
        let tail = text.rsplit('\n').next().unwrap_or("").chars().count() as u64;
        self.column_offset = if breaks == 0 { self.column_offset + tail } else { tail };
    }
}

/// The longest prefix of `bytes`, at most `max` long, that ends on a UTF-8
/// character boundary (a cut of an over-long line). `bytes` is longer than
/// `max`: the byte after the cut shows whether a character goes on (at the
/// end of what was read, the last one might not be whole).
fn char_cut(bytes: &[u8], max: usize) -> usize {
    debug_assert!(bytes.len() > max);
    let mut cut = max;
    while cut > 0 && (bytes[cut] & 0xC0) == 0x80 {
        cut -= 1;
    }
    cut
}

/// Reads up to `want` more bytes of `reader` onto `buf`; whether that
/// reached the end of the input (fewer bytes came than asked for).
fn read_more(reader: &mut dyn Read, buf: &mut Vec<u8>, want: usize) -> std::io::Result<bool> {
    let before = buf.len();
    reader.take(want as u64).read_to_end(buf)?;
    Ok(buf.len() - before < want)
}

/// Decodes a file read a window at a time: `buf` holds its first window
/// (the buffer is reused for the following ones), `reader` the rest.
/// Calls `on_chunk` with whole lines, as [`decode_chunks`] does for text in
/// memory; memory stays at a few windows whatever the file's size. The
/// encoding is sniffed from the first window; UTF-8 whose first windows were
/// plain ASCII and that turns out to be Shift_JIS or EUC-JP further on is
/// decoded as such from there (the ASCII before reads the same in both).
pub fn decode_stream(
    buf: &mut Vec<u8>,
    reader: &mut dyn Read,
    decoded: &mut String,
    on_chunk: &mut dyn FnMut(Chunk<'_>),
) -> std::io::Result<Encoding> {
    let sniffed =
        sniff(whole_lines(buf)).unwrap_or(Sniffed { encoding: Encoding::UTF8, utf8: None });
    let encoding = sniffed.encoding;
    let mut lines = Lines::new(on_chunk);
    let mut ascii = true;
    // The first chunk of a full window, as the loop below would cut it:
    // sniffing validated its lines already, and they go out as they are.
    // (The window was validated three times, by the reader's check for
    // text too: a third of the UTF-8 checks of 4 MB files of prose.)
    let first = sniffed.utf8.filter(|_| encoding.bom == 0 && buf.len() >= CHUNK);
    if let Some((text, cut)) = first.and_then(|t| cut_point(buf).map(|cut| (t, cut))) {
        ascii = text[..cut].is_ascii();
        lines.emit(&text[..cut]);
        buf.drain(..cut);
    } else {
        buf.drain(..encoding.bom);
    }
    if encoding.encoding != UTF_8 {
        decode_legacy(encoding.encoding, buf, reader, decoded, &mut lines)?;
        return Ok(encoding);
    }
    let mut eof = false;
    loop {
        if !eof && buf.len() < CHUNK {
            eof = read_more(reader, buf, CHUNK - buf.len())?;
        }
        if buf.is_empty() {
            return Ok(encoding);
        }
        let cut = match cut_point(buf) {
            _ if eof => buf.len(),
            Some(cut) => cut,
            None if buf.len() > MAX_LINE => char_cut(buf, MAX_LINE),
            // A long line: read on until it ends (or is too long).
            None => {
                eof = read_more(reader, buf, CHUNK)?;
                continue;
            }
        };
        match simdutf8::basic::from_utf8(&buf[..cut]) {
            Ok(text) => {
                ascii &= text.is_ascii();
                lines.emit(text);
            }
            Err(_) if ascii => {
                // Plain ASCII so far, and now bytes that are not UTF-8: a
                // legacy encoding after all, from here on.
                let legacy = fallback_japanese(&buf[..cut]);
                decode_legacy(legacy, buf, reader, decoded, &mut lines)?;
                return Ok(Encoding { encoding: legacy, bom: 0 });
            }
            Err(_) => lines.emit(&String::from_utf8_lossy(&buf[..cut])),
        }
        buf.drain(..cut);
    }
}

/// Decodes the rest of a file in a legacy encoding (or UTF-16): `buf` holds
/// bytes read already, `reader` the rest; whole lines go to `lines`.
fn decode_legacy(
    encoding: &'static encoding_rs::Encoding,
    buf: &mut Vec<u8>,
    reader: &mut dyn Read,
    decoded: &mut String,
    lines: &mut Lines<'_>,
) -> std::io::Result<()> {
    let mut decoder = encoding.new_decoder_without_bom_handling();
    decoded.clear();
    loop {
        let last = buf.len() < CHUNK && read_more(reader, buf, CHUNK - buf.len())?;
        let need = decoder.max_utf8_buffer_length(buf.len()).unwrap_or(buf.len() * 3 + 16);
        decoded.reserve(need);
        // With the capacity reserved above the decoder consumes the whole
        // piece; malformed sequences come out as U+FFFD.
        let _ = decoder.decode_to_string(buf, decoded, last);
        buf.clear();
        if last {
            lines.emit(decoded);
            decoded.clear();
            return Ok(());
        }
        let cut = match cut_point(decoded.as_bytes()) {
            Some(cut) => cut,
            None if decoded.len() > MAX_LINE => char_cut(decoded.as_bytes(), MAX_LINE),
            None => continue,
        };
        lines.emit(&decoded[..cut]);
        decoded.drain(..cut);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chunks(bytes: &[u8]) -> (Option<&'static str>, Vec<(String, u64)>) {
        let Some(sniffed) = sniff(bytes) else {
            return (None, vec![]);
        };
        let mut out = Vec::new();
        let mut buf = String::new();
        decode_chunks(bytes, sniffed, &mut buf, &mut |c| {
            out.push((c.text.to_string(), c.first_line))
        });
        (Some(sniffed.encoding.name()), out)
    }

    #[test]
    fn a_chunk_is_cut_after_its_last_blank_line_near_the_end_else_its_last_line() {
        // The definition, with a plain reverse substring search.
        let reference = |text: &[u8]| {
            let tail = text.len().saturating_sub(CHUNK / 4);
            memchr::memmem::rfind(&text[tail..], b"\n\n")
                .map(|i| tail + i + 2)
                .or_else(|| memchr::memrchr(b'\n', text).map(|i| i + 1))
        };
        let quarter = CHUNK / 4;
        let line = |n: usize| "x".repeat(n) + "\n";
        let cases: Vec<Vec<u8>> = vec![
            vec![],
            b"no break".to_vec(),
            b"\n".to_vec(),
            b"\n\n".to_vec(),
            b"\n\n\n".to_vec(),
            b"a\n\nb\n".to_vec(),
            // Logs: no blank line, so the last line break.
            line(120).repeat(CHUNK / 121 + 1).into_bytes(),
            // A blank line inside the last quarter, and one just before it
            // (which is out of reach): the first is taken.
            [line(10).repeat(quarter / 11), "\n".into(), line(10).repeat(quarter / 11)]
                .concat()
                .into_bytes(),
            [line(0).repeat(2), "y".repeat(quarter), "\n".into()].concat().into_bytes(),
            // A blank line straddling the quarter's start, its first break
            // just outside: it does not count, the last line break does.
            ["z".repeat(100), "\n\n".into(), "z".repeat(quarter - 5), "\nzzz".into()]
                .concat()
                .into_bytes(),
            // Its first break just inside: it counts.
            ["z".repeat(100), "\n\n".into(), "z".repeat(quarter - 2)].concat().into_bytes(),
            // Several blank lines in a row: after the last pair.
            ["w".repeat(quarter), "\n\n\n\nw".into()].concat().into_bytes(),
            // Code: a blank line every few lines.
            [line(30), line(30), "\n".into()].concat().repeat(quarter / 20).into_bytes(),
        ];
        // A blank line at and around the ends of the blocks the quarter is
        // searched in, from its end (a pair across two blocks included),
        // then a last line: its break is not where the chunk ends.
        let cases: Vec<Vec<u8>> = cases
            .into_iter()
            .chain((4088..4098).chain(8184..8194).map(|after| {
                ["v".repeat(quarter), "\n\n".into(), "v".repeat(after), "\nvv".into()]
                    .concat()
                    .into_bytes()
            }))
            .collect();
        for text in &cases {
            assert_eq!(cut_point(text), reference(text), "{:?}", &text[..text.len().min(40)]);
        }
        assert_eq!(cut_point(&cases[9]), Some(quarter + 98), "after the last line break");
        assert_eq!(cut_point(&cases[10]), Some(102), "after the blank line");
    }

    #[test]
    fn detects_japanese_encodings() {
        let text = "氏名：山田太郎\n電話：090-1234-5678\n住所：東京都千代田区千代田1-1\n";
        for e in [SHIFT_JIS, EUC_JP, ISO_2022_JP] {
            let (bytes, _, _) = e.encode(text);
            let (name, got) = chunks(&bytes);
            assert_eq!(name, Some(e.name()));
            assert_eq!(got, vec![(text.to_string(), 1)]);
        }
    }

    #[test]
    fn boms_and_utf16() {
        let (name, got) = chunks(b"\xEF\xBB\xBFabc\n");
        assert_eq!((name, got), (Some("UTF-8"), vec![("abc\n".to_string(), 1)]));
        let le: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain("a\nb".encode_utf16().flat_map(u16::to_le_bytes))
            .collect();
        assert_eq!(chunks(&le), (Some("UTF-16LE"), vec![("a\nb".to_string(), 1)]));
        let be: Vec<u8> = "tel 03-1234-5678".encode_utf16().flat_map(u16::to_be_bytes).collect();
        assert_eq!(chunks(&be).0, Some("UTF-16BE"));
    }

    /// The text and (first line, column offset) of every chunk of `bytes`
    /// streamed in windows, and the encoding.
    fn streamed(bytes: &[u8]) -> (String, Vec<(u64, u64)>, &'static str) {
        let mut reader = bytes;
        let mut head = Vec::new();
        let _ = read_more(&mut reader, &mut head, CHUNK).unwrap();
        let (mut text, mut at) = (String::new(), Vec::new());
        let mut decoded = String::new();
        let encoding = decode_stream(&mut head, &mut reader, &mut decoded, &mut |c| {
            text.push_str(c.text);
            at.push((c.first_line, c.column_offset));
        })
        .unwrap();
        (text, at, encoding.name())
    }

    #[test]
    fn text_is_what_sniffing_does_not_call_binary() {
        let utf16: Vec<u8> =
            "tel 03-1234-5678\n".encode_utf16().flat_map(u16::to_le_bytes).collect();
        let mut padded = "2026-01-01 INFO started\n".repeat(20).into_bytes();
        padded.extend([0; 64]);
        let inputs: [&[u8]; 8] = [
            b"plain text\n",
            "日本語の文章\n".as_bytes(),
            b"\xEF\xBB\xBF\x00\x01bom then bytes",
            b"\xFF\xFE\x00\x00",
            &utf16,
            &padded,
            b"\x7fELF\x02\x01\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00",
            b"\x82\xa0\x82\xa2 Shift_JIS\n",
        ];
        let judged: Vec<bool> = inputs.iter().map(|b| is_text(b)).collect();
        assert_eq!(judged, inputs.iter().map(|b| sniff(b).is_some()).collect::<Vec<_>>());
        assert_eq!(judged, [true, true, true, true, true, true, false, true]);
    }

    #[test]
    fn a_streamed_files_first_chunk_is_cut_where_the_later_ones_are() {
        // Japanese lines with a blank line every 40: each chunk ends at the
        // last blank line in its last quarter, the first one too (whose
        // lines sniffing validated).
        let record =
            format!("{}\n", "氏名：山田 太郎 電話 03-1234-5678 住所 東京都千代田区\n".repeat(40));
        let text = record.repeat(3 * CHUNK / record.len());
        let (streamed_text, at, encoding) = streamed(text.as_bytes());
        assert_eq!((streamed_text.as_str(), encoding), (text.as_str(), "UTF-8"));
        let first = cut_point(&text.as_bytes()[..CHUNK]).unwrap();
        assert!(text[..first].ends_with("\n\n") && first < CHUNK, "{first}");
        assert_eq!(at[1], (text[..first].matches('\n').count() as u64 + 1, 0));
        assert!(at.len() >= 3, "{}", at.len());
    }

    #[test]
    fn streaming_keeps_every_line_and_its_number() {
        let line = format!("{}\n", "x".repeat(99));
        let text = line.repeat(3 * CHUNK / 100);
        let mut reader = text.as_bytes();
        let mut head = Vec::new();
        let _ = read_more(&mut reader, &mut head, CHUNK).unwrap();
        let mut chunks: Vec<(String, u64)> = Vec::new();
        decode_stream(&mut head, &mut reader, &mut String::new(), &mut |c| {
            chunks.push((c.text.to_string(), c.first_line));
        })
        .unwrap();
        assert!(chunks.len() >= 3, "{}", chunks.len());
        // Whole lines, each chunk numbered from where the one before ended.
        let mut next = 1;
        for (text, first) in &chunks {
            assert_eq!(*first, next);
            assert!(text.ends_with('\n'));
            next += text.matches('\n').count() as u64;
        }
        let all: String = chunks.iter().map(|(t, _)| t.as_str()).collect();
        assert_eq!(all, text);
    }

    #[test]
    fn an_over_long_line_comes_in_pieces_with_column_offsets() {
        let long = "あ".repeat(2 * MAX_LINE / 3);
        let text = format!("head\n{long}\nend\n");
        let (got, at, _) = streamed(text.as_bytes());
        assert_eq!(got, text);
        assert_eq!(at[0], (1, 0));
        // The long line is line 2, continued with the characters before.
        let pieces: Vec<_> = at.iter().filter(|a| a.0 == 2).collect();
        assert!(pieces.len() >= 2, "{at:?}");
        assert!(pieces[1].1 > 0 && pieces[1].1 < long.chars().count() as u64);
    }

    #[test]
    fn ascii_then_shift_jis_is_shift_jis_from_there() {
        let ascii = "log line 0123\n".repeat(CHUNK / 14 + 10);
        let (tail, _, _) = SHIFT_JIS.encode("氏名：山田太郎\n");
        let mut bytes = ascii.clone().into_bytes();
        bytes.extend_from_slice(&tail);
        let (got, _, name) = streamed(&bytes);
        assert_eq!(name, "Shift_JIS");
        assert!(got.ends_with("氏名：山田太郎\n") && got.starts_with(&ascii[..100]));
        assert_eq!(got.len(), ascii.len() + "氏名：山田太郎\n".len());
    }

    #[test]
    fn utf16_streams_too() {
        let text = "電話 03-1234-5678\n".repeat(CHUNK / 8);
        let bytes: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain(text.encode_utf16().flat_map(u16::to_le_bytes))
            .collect();
        let (got, at, name) = streamed(&bytes);
        assert_eq!((name, got == text), ("UTF-16LE", true));
        assert!(at.len() >= 2 && at.iter().all(|a| a.1 == 0), "{at:?}");
    }

    #[test]
    fn nul_bytes_mean_binary() {
        assert!(sniff(b"\x00\x01\x02\x03\xFF\x00\x10\x00\x00\x00abc").is_none());
        // An ELF header and its tables: NULs among control bytes.
        let mut elf = b"\x7fELF\x02\x01\x01\x00".to_vec();
        elf.extend((0..400u32).flat_map(|i| [(i % 7) as u8, 0, 0, 0, b'a', b'b', 0x02, 0]));
        assert!(sniff(&elf).is_none());
        // A log with a block of NULs (a crash, a preallocated file) is text.
        let mut log = b"2026-12-01 10:00:00 login ok\n".repeat(4);
        log.extend([0u8; 4096]);
        log.extend(b"2026-12-01 10:05:00 mail taro@example.jp\n".repeat(4));
        let sniffed = sniff(&log).unwrap();
        assert!(sniffed.utf8.is_some_and(|t| t.ends_with("taro@example.jp\n")));
    }
}

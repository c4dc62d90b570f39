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

use encoding_rs::{EUC_JP, ISO_2022_JP, SHIFT_JIS, UTF_8, UTF_16BE, UTF_16LE};

use super::Chunk;

/// Chunks hold about this many bytes of text, ending at a line break.
const CHUNK: usize = 4 << 20;

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
    let head = &bytes[..bytes.len().min(SNIFF)];
    if memchr::memchr(0, head).is_some() {
        return utf16_without_bom(head).and_then(|e| enc(e, 0));
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
    let bytes = &bytes[encoding.bom..];
    let mut first_line = 1;
    let mut is_first = true;
    let mut emit = |text: &str, on_chunk: &mut dyn FnMut(Chunk<'_>)| {
        on_chunk(Chunk { text, first_line, is_first, positions: true });
        first_line += memchr::memchr_iter(b'\n', text.as_bytes()).count() as u64;
        is_first = false;
    };
    if let Some(text) = sniffed.utf8 {
        // Zero-copy: chunks are slices of the file's own bytes.
        let mut rest = text;
        while !rest.is_empty() {
            let cut = if rest.len() <= CHUNK {
                rest.len()
            } else {
                memchr::memchr(b'\n', &rest.as_bytes()[CHUNK..])
                    .map_or(rest.len(), |i| CHUNK + i + 1)
            };
            emit(&rest[..cut], on_chunk);
            rest = &rest[cut..];
        }
        return;
    }
    let mut decoder = encoding.encoding.new_decoder_without_bom_handling();
    decoded.clear();
    let pieces = bytes.len().div_ceil(CHUNK).max(1);
    for i in 0..pieces {
        let piece = &bytes[(i * CHUNK).min(bytes.len())..((i + 1) * CHUNK).min(bytes.len())];
        let last = i + 1 == pieces;
        let need = decoder.max_utf8_buffer_length(piece.len()).unwrap_or(piece.len() * 3 + 16);
        decoded.reserve(need);
        // With the capacity reserved above the decoder consumes the whole
        // piece; malformed sequences come out as U+FFFD.
        let _ = decoder.decode_to_string(piece, decoded, last);
        if !last && let Some(nl) = decoded.rfind('\n') {
            emit(&decoded[..=nl], on_chunk);
            decoded.drain(..=nl);
        }
    }
    if !decoded.is_empty() {
        emit(decoded, on_chunk);
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

    #[test]
    fn nul_bytes_mean_binary() {
        assert!(sniff(b"\x00\x01\x02\x03\xFF\x00\x10\x00\x00\x00abc").is_none());
    }
}

//! CAD drawings: recognising DXF, DWG, Jw_cad (JWW/JWC), SXF (SFC/P21) and
//! IFC files by content, and pulling out the text they carry — layer names,
//! room labels, title blocks — so the detectors can read it and the floor-plan
//! classifier can weigh it.
//!
//! Text formats (ASCII DXF, ISO 10303-21 files) are decoded with their own code
//! page and their escapes (`\U+6D0B`, `\X2\6D0B5BA4\X0\`) resolved in place, so
//! findings keep their physical line. Binary formats (binary DXF, JWW, JWC)
//! and zipped SXF/IFC (`.p2z`, `.sfz`, `.ifczip`) give up their strings without
//! positions. An IFC model also says what it is whatever its language: its
//! entity types (IfcSpace, IfcWall, IfcDoor …) and its building's occupancy
//! ([`Drawing::model`]). DWG text is read by [`super::dwg`].
//! Signatures and layouts: `../shared/reference/japan-formats.md` §7.

use encoding_rs::{SHIFT_JIS, UTF_8, UTF_16LE, WINDOWS_1252};

/// A CAD format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CadKind {
    /// AutoCAD DXF, text form.
    DxfAscii,
    /// AutoCAD DXF, binary form.
    DxfBinary,
    /// AutoCAD DWG.
    Dwg,
    /// Jw_cad for Windows.
    Jww,
    /// Jw_cad for DOS.
    Jwc,
    /// SXF (SFC or P21): ISO 10303-21 with the SCADEC/associative-draughting schema.
    Sxf,
    /// IFC: ISO 10303-21 with an IFC schema.
    Ifc,
}

impl CadKind {
    /// A short name for reports.
    pub fn name(self) -> &'static str {
        match self {
            CadKind::DxfAscii => "DXF",
            CadKind::DxfBinary => "DXF (binary)",
            CadKind::Dwg => "DWG",
            CadKind::Jww => "JWW",
            CadKind::Jwc => "JWC",
            CadKind::Sxf => "SXF",
            CadKind::Ifc => "IFC",
        }
    }
}

/// What a drawing says: its layer names and the other text it carries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Drawing {
    /// The format.
    pub kind: CadKind,
    /// Layer names.
    pub layers: Vec<String>,
    /// Text entities, attributes, title blocks and other strings.
    pub texts: Vec<String>,
    /// What a building model (IFC) says whatever its language: its entity
    /// types (`IFCSPACE`, `IFCWALLSTANDARDCASE`, `IFCDOOR` …) and its
    /// building's occupancy (`OCCUPANCY=RESIDENTIAL`), each once, sorted.
    pub model: Vec<String>,
    /// Text for the detectors: for text formats the whole file with escapes
    /// resolved (line structure kept); for binary formats the strings, one a
    /// line.
    pub scan_text: String,
    /// Whether `scan_text` lines are the file's own lines.
    pub positions: bool,
    /// What could not be read (a DWG the decoder could not open, or most of
    /// its text objects). What was read is scanned.
    pub problem: Option<Problem>,
}

/// What could not be read of a drawing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    /// Damaged or past a budget: the item's error entry.
    Error(String),
    /// Not read on purpose (a release no reader handles): a skipped entry.
    Skipped(String),
}

impl Drawing {
    /// A drawing of a binary format: its text strings, one a line, without
    /// positions.
    fn of_strings(kind: CadKind, layers: Vec<String>, texts: Vec<String>) -> Drawing {
        let scan_text = texts.join("\n");
        Drawing { kind, layers, texts, model: vec![], scan_text, positions: false, problem: None }
    }
}

const BINARY_DXF: &[u8] = b"AutoCAD Binary DXF\r\n\x1a\x00";

/// Recognises a CAD file by its first bytes.
pub fn sniff(bytes: &[u8]) -> Option<CadKind> {
    let head = &bytes[..bytes.len().min(4096)];
    if bytes.starts_with(BINARY_DXF) {
        return Some(CadKind::DxfBinary);
    }
    if bytes.starts_with(b"JwwData.") {
        return Some(CadKind::Jww);
    }
    if bytes.starts_with(b"jw_cad(c)data") {
        return Some(CadKind::Jwc);
    }
    if is_dwg(head) {
        return Some(CadKind::Dwg);
    }
    let text = String::from_utf8_lossy(head);
    let trimmed = text.trim_start_matches('\u{feff}').trim_start();
    if trimmed.starts_with("ISO-10303-21;") {
        let upper = trimmed.to_ascii_uppercase();
        let schema = upper.find("FILE_SCHEMA").map_or("", |i| &upper[i..]);
        return Some(if schema.contains("IFC") { CadKind::Ifc } else { CadKind::Sxf });
    }
    is_ascii_dxf(trimmed).then_some(CadKind::DxfAscii)
}

fn is_dwg(head: &[u8]) -> bool {
    let v = &head[..head.len().min(6)];
    let release = v.len() == 6 && v.starts_with(b"AC10") && v[4..].iter().all(u8::is_ascii_digit);
    release
        || [&b"MC0.0"[..], b"AC1.2", b"AC1.40", b"AC1.50", b"AC2.10"]
            .iter()
            .any(|m| head.starts_with(m))
}

/// Group-code/value pairs, optional 999 comments, then `0` / `SECTION`.
fn is_ascii_dxf(text: &str) -> bool {
    let mut lines = text.lines().map(str::trim);
    loop {
        match (lines.next(), lines.next()) {
            (Some("999"), Some(_)) => continue,
            (Some("0"), Some("SECTION")) => return true,
            _ => return false,
        }
    }
}

/// The largest drawing taken out of a zip (`.p2z`, `.sfz`, `.ifczip`).
const MAX_ZIPPED: u64 = 64 << 20;

/// A zip whose member is an SXF or IFC drawing, read with the member's text
/// (positions refer to the member, so they are dropped).
pub fn unzip(bytes: &[u8]) -> Option<Drawing> {
    use std::io::Read;
    if !bytes.starts_with(b"PK\x03\x04") {
        return None;
    }
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).ok()?;
    for i in 0..archive.len().min(16) {
        let Ok(member) = archive.by_index(i) else { continue };
        let Ok(name) = member.name().map(|n| n.to_ascii_lowercase()) else { continue };
        if !(name.ends_with(".p21") || name.ends_with(".sfc") || name.ends_with(".ifc"))
            || member.size() > MAX_ZIPPED
        {
            continue;
        }
        let mut inner = Vec::new();
        if member.take(MAX_ZIPPED).read_to_end(&mut inner).is_err() {
            continue;
        }
        if let Some(kind @ (CadKind::Sxf | CadKind::Ifc)) = sniff(&inner) {
            let mut drawing = extract(kind, &inner);
            drawing.positions = false;
            return Some(drawing);
        }
    }
    None
}

/// Reads a drawing of kind `kind` from its bytes.
pub fn extract(kind: CadKind, bytes: &[u8]) -> Drawing {
    match kind {
        CadKind::DxfAscii => dxf_ascii(bytes),
        CadKind::DxfBinary => dxf_binary(bytes),
        CadKind::Sxf | CadKind::Ifc => step(kind, bytes),
        CadKind::Jww => jw_cad(kind, bytes),
        CadKind::Jwc => jwc(bytes),
        CadKind::Dwg => dwg(bytes),
    }
}

/// DWG text (see [`super::dwg`]): TEXT, MTEXT and attribute strings, one a
/// line, MTEXT without its formatting; layer names weigh in the floor-plan
/// rules only, as in a binary DXF.
fn dwg(bytes: &[u8]) -> Drawing {
    let read = super::dwg::read(bytes);
    let texts = read.texts.iter().map(|t| mtext_plain(&unescape_dxf(t))).collect();
    Drawing { problem: read.problem, ..Drawing::of_strings(CadKind::Dwg, read.layers, texts) }
}

/// DXF text: the code page comes from `$ACADVER` (UTF-8 from AC1021) and
/// `$DWGCODEPAGE` (ANSI_932 is CP932); `\U+XXXX` escapes are resolved.
fn dxf_ascii(bytes: &[u8]) -> Drawing {
    let raw = String::from_utf8_lossy(&bytes[..bytes.len().min(64 << 10)]);
    let header = |name: &str| -> Option<String> {
        let mut lines = raw.lines().map(str::trim);
        while let Some(l) = lines.next() {
            if l == name {
                lines.next();
                return lines.next().map(str::to_string);
            }
        }
        None
    };
    let version = header("$ACADVER").unwrap_or_default();
    let encoding = if version.as_str() >= "AC1021" || std::str::from_utf8(bytes).is_ok() {
        UTF_8
    } else if header("$DWGCODEPAGE").is_some_and(|c| c.eq_ignore_ascii_case("ANSI_932")) {
        SHIFT_JIS
    } else {
        WINDOWS_1252
    };
    let text = encoding.decode_with_bom_removal(bytes).0;
    let text = unescape_dxf(&text);
    let (mut layers, mut texts) = (Vec::new(), Vec::new());
    let mut entity = String::new();
    let mut in_layer_table = false;
    let lines: Vec<&str> = text.lines().collect();
    for pair in lines.chunks(2) {
        let [code, value] = pair else { break };
        let value = value.trim_end_matches('\r');
        match code.trim() {
            "0" => {
                entity = value.trim().to_string();
                if entity == "ENDTAB" {
                    in_layer_table = false;
                }
            }
            "2" if entity == "TABLE" && value.trim() == "LAYER" => in_layer_table = true,
            "2" if entity == "LAYER" && in_layer_table => layers.push(value.to_string()),
            "8" => layers.push(value.to_string()),
            "1" | "3" if matches!(entity.as_str(), "TEXT" | "MTEXT" | "ATTRIB" | "ATTDEF") => {
                texts.push(mtext_plain(value));
            }
            _ => {}
        }
    }
    layers.sort();
    layers.dedup();
    Drawing {
        kind: CadKind::DxfAscii,
        layers,
        texts,
        model: vec![],
        scan_text: text,
        positions: true,
        problem: None,
    }
}

/// Resolves `\U+XXXX` (a code point outside the file's code page).
fn unescape_dxf(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find("\\U+") {
        out.push_str(&rest[..i]);
        let hex = rest.get(i + 3..i + 7).filter(|h| h.bytes().all(|b| b.is_ascii_hexdigit()));
        match hex.and_then(|h| u32::from_str_radix(h, 16).ok()).and_then(char::from_u32) {
            Some(c) => {
                out.push(c);
                rest = &rest[i + 7..];
            }
            None => {
                out.push_str("\\U+");
                rest = &rest[i + 3..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// MTEXT without its formatting codes: `\P` breaks, `{\fArial;…}` fonts.
fn mtext_plain(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    let mut chars = value.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '{' | '}' => {}
            '\\' => match chars.next() {
                Some('P' | 'n') => out.push(' '),
                Some('\\') => out.push('\\'),
                Some(c) if c.is_ascii_alphabetic() => {
                    // \fArial|b0;  \H2.5x;  \C1; … run to the semicolon.
                    for c in chars.by_ref() {
                        if c == ';' {
                            break;
                        }
                    }
                }
                Some(other) => out.push(other),
                None => {}
            },
            _ => out.push(c),
        }
    }
    out
}

/// Binary DXF: 2-byte little-endian group codes (R13 and later), each value
/// typed by its code.
fn dxf_binary(bytes: &[u8]) -> Drawing {
    let mut pos = BINARY_DXF.len();
    let (mut layers, mut texts) = (Vec::new(), Vec::new());
    let mut entity = String::new();
    let mut utf8 = false;
    while pos + 2 <= bytes.len() {
        let code = u16::from_le_bytes([bytes[pos], bytes[pos + 1]]);
        pos += 2;
        let value = match dxf_value_kind(code) {
            ValueKind::Str => {
                let end = memchr::memchr(0, &bytes[pos..]).map_or(bytes.len(), |n| pos + n);
                let raw = &bytes[pos..end];
                pos = end + 1;
                // R2007 (AC1021) and later write UTF-8; older files their
                // code page, which for Japanese drawings is CP932.
                let utf8 = utf8 || std::str::from_utf8(raw).is_ok();
                let s = if utf8 { UTF_8 } else { SHIFT_JIS }.decode_without_bom_handling(raw).0;
                Some(unescape_dxf(&s))
            }
            ValueKind::Fixed(n) => {
                pos += n;
                None
            }
            ValueKind::Chunk => {
                let n = bytes.get(pos).copied().unwrap_or(0) as usize;
                pos += 1 + n;
                None
            }
        };
        let Some(value) = value else { continue };
        match code {
            0 => entity = value.clone(),
            1 if entity == "SECTION" && value.starts_with("AC10") => {
                utf8 = value.as_str() >= "AC1021";
            }
            8 => layers.push(value.clone()),
            1 | 3 if matches!(entity.as_str(), "TEXT" | "MTEXT" | "ATTRIB" | "ATTDEF") => {
                texts.push(mtext_plain(&value));
            }
            _ => {}
        }
    }
    layers.sort();
    layers.dedup();
    Drawing::of_strings(CadKind::DxfBinary, layers, texts)
}

enum ValueKind {
    Str,
    Fixed(usize),
    Chunk,
}

/// The value type of a DXF group code (AutoCAD DXF reference, "Group code
/// value types"; the same table as ezdxf's binary tagger).
fn dxf_value_kind(code: u16) -> ValueKind {
    match code {
        310..=319 | 1004 => ValueKind::Chunk,
        10..=59 | 110..=149 | 210..=239 | 460..=469 | 1010..=1059 => ValueKind::Fixed(8),
        60..=79 | 170..=179 | 270..=289 | 370..=389 | 400..=409 | 1060..=1070 => {
            ValueKind::Fixed(2)
        }
        90..=99 | 420..=429 | 440..=459 | 1071 => ValueKind::Fixed(4),
        160..=169 => ValueKind::Fixed(8),
        290..=299 => ValueKind::Fixed(1),
        _ => ValueKind::Str,
    }
}

/// ISO 10303-21 (SXF, IFC): quoted strings with `''`, `\X2\…\X0\`
/// (UTF-16BE), `\X\hh` (ISO 8859-1) and `\S\c` escapes. SFC files write
/// Japanese as raw CP932.
fn step(kind: CadKind, bytes: &[u8]) -> Drawing {
    let text = match std::str::from_utf8(bytes) {
        Ok(t) => t.to_string(),
        Err(_) => SHIFT_JIS.decode_without_bom_handling(bytes).0.into_owned(),
    };
    let text = unescape_step(&text);
    let mut texts = Vec::new();
    let mut layers = Vec::new();
    let mut model = std::collections::BTreeSet::new();
    for line in text.lines() {
        if kind == CadKind::Ifc {
            model.extend(model_facts(line));
        }
        // The first string of a layer entity is the layer's name.
        let mut layer_name =
            line.contains("layer_feature") || line.contains("PRESENTATION_LAYER_ASSIGNMENT");
        for s in quoted(line) {
            if s.trim().is_empty() {
                continue;
            }
            if std::mem::take(&mut layer_name) {
                layers.push(s);
            } else {
                texts.push(s);
            }
        }
    }
    Drawing {
        kind,
        layers,
        texts,
        model: model.into_iter().collect(),
        scan_text: text,
        positions: true,
        problem: None,
    }
}

/// What one line of an IFC model says of the building: the type of the
/// entity it defines (`#12=IFCSPACE(…)`), and `OCCUPANCY=…` for the
/// building's occupancy type (Pset_BuildingCommon's `OccupancyType`,
/// `IFCPROPERTYSINGLEVALUE('OccupancyType',$,IFCLABEL('Residential'),$)`).
fn model_facts(line: &str) -> Vec<String> {
    let mut facts = Vec::new();
    let Some(rest) = line.trim_start().strip_prefix('#') else { return facts };
    let Some((_, definition)) = rest.split_once('=') else { return facts };
    let definition = definition.trim_start();
    let end = definition.find(|c: char| !c.is_ascii_alphanumeric() && c != '_');
    let entity = &definition[..end.unwrap_or(definition.len())];
    if entity.is_empty() || !definition[entity.len()..].starts_with('(') {
        return facts;
    }
    facts.push(entity.to_ascii_uppercase());
    let strings = quoted(definition);
    if strings.first().is_some_and(|s| s.eq_ignore_ascii_case("OccupancyType"))
        && let Some(value) = strings.get(1).filter(|v| !v.trim().is_empty())
    {
        facts.push(format!("OCCUPANCY={}", value.trim().to_uppercase()));
    }
    facts
}

/// The single-quoted strings of a STEP line (`''` is a quote inside one).
fn quoted(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\'' {
            continue;
        }
        let mut s = String::new();
        while let Some(c) = chars.next() {
            if c == '\'' {
                if chars.peek() == Some(&'\'') {
                    chars.next();
                    s.push('\'');
                } else {
                    break;
                }
            } else {
                s.push(c);
            }
        }
        out.push(s);
    }
    out
}

/// Resolves STEP string escapes in place.
fn unescape_step(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find('\\') {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        if let Some(body) = rest.strip_prefix("\\X2\\") {
            if let Some(end) = body.find("\\X0\\") {
                let hex = &body[..end];
                let units: Vec<u16> = hex
                    .as_bytes()
                    .chunks(4)
                    .filter_map(|c| {
                        std::str::from_utf8(c).ok().and_then(|h| u16::from_str_radix(h, 16).ok())
                    })
                    .collect();
                out.push_str(&String::from_utf16_lossy(&units));
                rest = &body[end + 4..];
                continue;
            }
        } else if let Some(body) = rest.strip_prefix("\\X\\") {
            if let Some(c) = body.get(..2).and_then(|h| u8::from_str_radix(h, 16).ok()) {
                out.push(char::from(c));
                rest = &body[2..];
                continue;
            }
        } else if let Some(body) = rest.strip_prefix("\\S\\")
            && let Some(c) = body.chars().next()
        {
            out.push(char::from_u32(c as u32 + 128).unwrap_or(c));
            rest = &body[c.len_utf8()..];
            continue;
        }
        out.push('\\');
        rest = &rest[1..];
    }
    out.push_str(rest);
    out
}

/// Jw_cad files are MFC archives: strings are `CString`s — a length byte, or
/// `FF FE FF` and a length for UTF-16LE (JWW 7.00). The layout between them
/// is not needed: every plausible string is taken, and a string counts when
/// it decodes cleanly and holds a letter, kana or kanji.
fn jw_cad(kind: CadKind, bytes: &[u8]) -> Drawing {
    let mut texts = Vec::new();
    let mut i = 0;
    while i + 2 < bytes.len() {
        if bytes[i..].starts_with(&[0xFF, 0xFE, 0xFF]) {
            let len = usize::from(bytes.get(i + 3).copied().unwrap_or(0));
            let start = i + 4;
            if len > 0 && len < 0xFF && start + 2 * len <= bytes.len() {
                let (s, _, bad) = UTF_16LE.decode(&bytes[start..start + 2 * len]);
                if !bad && meaningful(&s) {
                    texts.push(s.into_owned());
                    i = start + 2 * len;
                    continue;
                }
            }
        }
        let len = usize::from(bytes[i]);
        if (2..0xFF).contains(&len) && i + 1 + len <= bytes.len() {
            let raw = &bytes[i + 1..i + 1 + len];
            if let Some(s) = SHIFT_JIS.decode_without_bom_handling_and_without_replacement(raw)
                && meaningful(&s)
                && !s.chars().any(char::is_control)
            {
                texts.push(s.into_owned());
                i += 1 + len;
                continue;
            }
        }
        i += 1;
    }
    // Layer names are among the strings, not told apart from the rest.
    Drawing::of_strings(kind, texts.clone(), texts)
}

/// Jw_cad for DOS: CP932 text among binary records, without length prefixes.
/// Runs of printable CP932 between control bytes are taken.
fn jwc(bytes: &[u8]) -> Drawing {
    let texts: Vec<String> = bytes
        .split(|&b| b < 0x20 || b == 0x7F || b == 0xFF)
        .filter(|run| run.len() >= 2)
        .filter_map(|run| SHIFT_JIS.decode_without_bom_handling_and_without_replacement(run))
        .filter(|s| meaningful(s))
        .map(|s| s.into_owned())
        .collect();
    Drawing::of_strings(CadKind::Jwc, texts.clone(), texts)
}

/// A string worth keeping from a binary file: a kana or kanji, or at least
/// three ASCII letters.
fn meaningful(s: &str) -> bool {
    let cjk = s.chars().any(|c| ('\u{3040}'..='\u{9FFF}').contains(&c));
    cjk || s.chars().filter(char::is_ascii_alphabetic).count() >= 3
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signatures() {
        assert_eq!(sniff(b"  0\nSECTION\n  2\nHEADER\n"), Some(CadKind::DxfAscii));
        assert_eq!(sniff(b"999\ncomment\n  0\r\nSECTION\r\n"), Some(CadKind::DxfAscii));
        assert_eq!(sniff(b"AutoCAD Binary DXF\r\n\x1a\x00\x00\x00"), Some(CadKind::DxfBinary));
        assert_eq!(sniff(b"AC1032\x00\x00"), Some(CadKind::Dwg));
        assert_eq!(sniff(b"JwwData.\xbc\x02\x00\x00"), Some(CadKind::Jww));
        assert_eq!(sniff(b"ISO-10303-21;\nHEADER;\nFILE_SCHEMA(('IFC4'));"), Some(CadKind::Ifc));
        assert_eq!(
            sniff(b"ISO-10303-21;\nFILE_SCHEMA(('ASSOCIATIVE_DRAUGHTING'));"),
            Some(CadKind::Sxf)
        );
        assert_eq!(sniff(b"  0\nSECTIONS are not DXF\n"), None);
        assert_eq!(sniff(b"ACME1234"), None);
    }

    #[test]
    fn a_building_model_says_what_it_holds() {
        assert_eq!(
            model_facts("#12=IFCSPACE('S12',$,'Bedroom 1',$,$,$,$,$,.ELEMENT.,.INTERNAL.,$);"),
            ["IFCSPACE"]
        );
        assert_eq!(model_facts(" #7 = IfcWallStandardCase('W7',$,$);"), ["IFCWALLSTANDARDCASE"]);
        assert_eq!(
            model_facts("#30=IFCPROPERTYSINGLEVALUE('OccupancyType',$,IFCLABEL('Residential'),$);"),
            ["IFCPROPERTYSINGLEVALUE", "OCCUPANCY=RESIDENTIAL"]
        );
        // Not an entity: the header, a comment, a bare reference.
        assert!(model_facts("FILE_SCHEMA(('IFC4'));").is_empty());
        assert!(model_facts("/* #1=IFCSPACE */").is_empty());
        assert!(model_facts("#1=").is_empty());
        let house = b"ISO-10303-21;\nHEADER;\nFILE_SCHEMA(('IFC4'));\nENDSEC;\nDATA;\n\
            #1=IFCSPACE('a',$,'LDK');\n#2=IFCDOOR('b',$,$);\n#3=IFCSPACE('c',$,'WC');\nENDSEC;\n";
        let drawing = extract(CadKind::Ifc, house);
        assert_eq!(drawing.model, ["IFCDOOR", "IFCSPACE"]);
        assert!(extract(CadKind::Sxf, house).model.is_empty(), "SXF is no building model");
    }

    #[test]
    fn escapes() {
        assert_eq!(unescape_dxf("\\U+6D0B\\U+5BA4 6\\U+5E16"), "洋室 6帖");
        assert_eq!(unescape_step("'\\X2\\58C1\\X0\\' 'it''s'"), "'壁' 'it''s'");
        assert_eq!(quoted("#1=X('a''b','\u{58c1}');"), ["a'b", "壁"]);
        assert_eq!(mtext_plain("{\\fArial|b0;1階平面図}\\P縮尺1/100"), "1階平面図 縮尺1/100");
    }
}

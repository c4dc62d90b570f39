//! DWG drawings (AutoCAD R13 to R2018, `AC1012`–`AC1032`): the strings a
//! drawing's text entities carry — TEXT, MTEXT, ATTRIB (a title block's
//! filled-in owner, address, lot number) and ATTDEF — and its layer names,
//! so a DWG is classified by content like a DXF and its owner data is found.
//!
//! The container (R2000's flat sections, the paged, compressed and
//! encrypted sections of R2004+, R2007's own layout), the object map and the
//! bit-coded objects are decoded by the `ezdwg-core` crate; this module
//! picks the objects it needs and reads them as the ODA specification lays
//! them out for each version. R2007 and later keep an object's strings in a
//! string stream at the end of its data: those are read from their exact
//! place, and an object that does not pass that check is counted as not
//! read rather than guessed at.
//!
//! Budgets: the decompressed objects section is limited to
//! [`MAX_SECTION_BYTES`] and the object count to [`MAX_OBJECTS`]; reading
//! stops after [`TIME_BUDGET`], keeping what was read. A file the decoder
//! cannot open is an error, a release older than R13 is skipped; objects it
//! cannot read are counted, and a drawing where most objects, or most of its
//! text and layer objects, failed is reported as an error with what was read
//! still scanned.

use std::time::{Duration, Instant};

use ezdwg_core::bit::{BitReader, Endian};
use ezdwg_core::core::config::ParseConfig;
use ezdwg_core::dwg::decoder::Decoder;
use ezdwg_core::dwg::version::DwgVersion;
use ezdwg_core::entities::{self, StringStreamFormat};
use ezdwg_core::objects::{ObjectRecord, object_header_r2000, object_header_r2010};

use super::cad::Problem;

/// The largest decompressed section (the objects of a drawing): a DWG
/// compresses its objects a few times over, so this covers drawings of tens
/// of megabytes while a section map claiming gigabytes is refused.
pub const MAX_SECTION_BYTES: u64 = 256 << 20;
/// The most objects read from one drawing.
pub const MAX_OBJECTS: u32 = 2_000_000;
/// How long one drawing may be read.
pub const TIME_BUDGET: Duration = Duration::from_secs(30);

/// Object type codes of the ODA specification (§20.4).
const TEXT: u16 = 0x01;
const ATTRIB: u16 = 0x02;
const ATTDEF: u16 = 0x03;
const MTEXT: u16 = 0x2C;
const LAYER: u16 = 0x33;

/// What was read from a drawing.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Read {
    /// Layer names.
    pub layers: Vec<String>,
    /// Text values: TEXT, MTEXT (formatting left in), ATTRIB and ATTDEF
    /// (their default value, then their prompt).
    pub texts: Vec<String>,
    /// What could not be read: an error when the drawing could not be
    /// opened, most of its objects or of its text objects could not be
    /// read, or the time ran out (what was read is kept); a skipped entry
    /// for a release before R13 (`AC1009` and older), which no reader here
    /// handles.
    pub problem: Option<Problem>,
}

/// Reads the text of the DWG in `bytes`.
pub fn read(bytes: &[u8]) -> Read {
    let release = String::from_utf8_lossy(&bytes[..bytes.len().min(6)]).into_owned();
    let supported =
        release.len() == 6 && release.as_str() >= "AC1012" && release.as_str() <= "AC1032";
    if !supported {
        let why = format!("DWG release {release}: only R13 to R2018 (AC1012 to AC1032) are read");
        return Read { problem: Some(Problem::Skipped(why)), ..Read::default() };
    }
    super::guarded("DWG", || read_objects(bytes, Instant::now() + TIME_BUDGET))
        .unwrap_or_else(|e| Read { problem: Some(Problem::Error(e)), ..Read::default() })
}

fn read_objects(bytes: &[u8], deadline: Instant) -> Result<Read, String> {
    let config = ParseConfig {
        max_section_bytes: MAX_SECTION_BYTES,
        max_objects: MAX_OBJECTS,
        ..ParseConfig::default()
    };
    let corrupt = |e: ezdwg_core::core::error::DwgError| format!("corrupt DWG: {}", e.message);
    let decoder = Decoder::new(bytes, config).map_err(corrupt)?;
    let version = decoder.version().clone();
    let index = decoder.build_object_index().map_err(corrupt)?;
    let mut read = Read::default();
    // Objects whose record could not be parsed at all; text and layer
    // objects found, and those of them that could not be read.
    let (mut broken, mut wanted, mut failed) = (0usize, 0usize, 0usize);
    let total = index.objects.len();
    for (n, object) in index.objects.iter().enumerate() {
        if n % 256 == 0 && Instant::now() > deadline {
            read.problem = Some(Problem::Error(format!(
                "DWG read for more than {} s: stopped after {n} of {total} objects",
                TIME_BUDGET.as_secs()
            )));
            break;
        }
        let parsed = decoder.parse_object_record(object.offset).ok();
        let Some((record, header)) = parsed.and_then(|r| Header::of(&r, &version).map(|h| (r, h)))
        else {
            broken += 1;
            continue;
        };
        if !matches!(header.type_code, TEXT | ATTRIB | ATTDEF | MTEXT | LAYER) {
            continue;
        }
        wanted += 1;
        let handle = object.handle.0;
        let strings = match header.type_code {
            LAYER => table_entry_name(&record, &header, &version).map(|name| {
                read.layers.push(name);
            }),
            _ => entity_strings(&record, &header, &version, handle).map(|strings| {
                read.texts.extend(strings.into_iter().filter(|s| !s.trim().is_empty()));
            }),
        };
        if strings.is_none() {
            failed += 1;
        }
    }
    if read.problem.is_none() && (failed * 2 > wanted || broken * 2 > total) {
        read.problem = Some(Problem::Error(format!(
            "corrupt DWG {}: {broken} of {total} objects could not be parsed, and {failed} of \
             {wanted} text and layer objects could not be read",
            version.as_str()
        )));
    }
    Ok(read)
}

/// The part of an object's header the readers need.
struct Header {
    type_code: u16,
    /// R2010+: where the object's data ends (its string stream ends there
    /// and its handle stream begins), in bits of the record body.
    data_end_bit: Option<u32>,
}

impl Header {
    fn of(record: &ObjectRecord<'_>, version: &DwgVersion) -> Option<Header> {
        if modern(version) {
            let h = object_header_r2010::parse_from_record(record).ok()?;
            // The handle stream's size counts from the end of its own field.
            let data_end_bit = (u32::from(h.body_bit_pos) + h.handle_size_field_bits)
                .checked_add(h.data_size.checked_mul(8)?)?
                .checked_sub(h.handle_stream_size_bits)?;
            Some(Header { type_code: h.type_code, data_end_bit: Some(data_end_bit) })
        } else {
            let h = object_header_r2000::parse_from_record(record).ok()?;
            Some(Header { type_code: h.type_code, data_end_bit: None })
        }
    }
}

/// R2010 and later: objects carry their handle stream's size and a
/// compact type code.
fn modern(version: &DwgVersion) -> bool {
    matches!(version, DwgVersion::R2010 | DwgVersion::R2013 | DwgVersion::R2018)
}

/// A reader past the object's type code.
fn body<'r>(record: &'r ObjectRecord<'_>, version: &DwgVersion) -> Option<BitReader<'r>> {
    let mut reader = record.bit_reader();
    if modern(version) {
        reader.read_umc().ok()?;
        reader.read_ot_r2010().ok()?;
    } else {
        reader.read_bs().ok()?;
    }
    Some(reader)
}

/// The string-stream layout of R2007 and later, `None` before.
fn stream_format(version: &DwgVersion) -> Option<StringStreamFormat> {
    match version {
        DwgVersion::R2007 => Some(StringStreamFormat::R2007),
        DwgVersion::R2010 => Some(StringStreamFormat::R2010),
        DwgVersion::R2013 => Some(StringStreamFormat::R2013),
        DwgVersion::R2018 => Some(StringStreamFormat::R2018),
        _ => None,
    }
}

/// The strings of a TEXT, ATTRIB, ATTDEF or MTEXT entity.
fn entity_strings(
    record: &ObjectRecord<'_>,
    header: &Header,
    version: &DwgVersion,
    handle: u64,
) -> Option<Vec<String>> {
    let mut r = body(record, version)?;
    if let Some(format) = stream_format(version) {
        // R2007 keeps the end of its data in the record itself.
        let end = header.data_end_bit.unwrap_or(0);
        return match header.type_code {
            TEXT => {
                entities::decode_text_exact(&mut r, format, end, handle).ok().map(|t| vec![t.text])
            }
            MTEXT => {
                entities::decode_mtext_exact(&mut r, format, end, handle).ok().map(|t| vec![t.text])
            }
            code => entities::decode_attrib_exact(&mut r, format, end, handle, code == ATTDEF)
                .ok()
                .map(attribute_strings),
        };
    }
    let old = matches!(version, DwgVersion::R13 | DwgVersion::R14);
    match header.type_code {
        TEXT if old => entities::decode_text_r14(&mut r, handle).ok().map(|t| vec![t.text]),
        TEXT => entities::decode_text(&mut r).ok().map(|t| vec![t.text]),
        MTEXT if old => entities::decode_mtext_r14(&mut r, handle).ok().map(|t| vec![t.text]),
        MTEXT if *version == DwgVersion::R2004 => {
            entities::decode_mtext_r2004(&mut r).ok().map(|t| vec![t.text])
        }
        MTEXT => entities::decode_mtext(&mut r).ok().map(|t| vec![t.text]),
        ATTRIB if old => entities::decode_attrib_r14(&mut r, handle).ok().map(attribute_strings),
        ATTRIB => entities::decode_attrib(&mut r).ok().map(attribute_strings),
        _ if old => entities::decode_attdef_r14(&mut r, handle).ok().map(attribute_strings),
        _ => entities::decode_attdef(&mut r).ok().map(attribute_strings),
    }
}

/// An attribute's value, then its prompt (an ATTDEF's question, such as
/// `施主名`, says what the value of its ATTRIBs is). The tag is an
/// identifier, not text.
fn attribute_strings(a: entities::AttribEntity) -> Vec<String> {
    std::iter::once(a.text).chain(a.prompt).collect()
}

/// The name of a table entry (a LAYER): the first string of a non-entity
/// object, after its common data (ODA specification §20.4.1, "common
/// non-entity object format").
fn table_entry_name(
    record: &ObjectRecord<'_>,
    header: &Header,
    version: &DwgVersion,
) -> Option<String> {
    use DwgVersion::*;
    let mut r = body(record, version)?;
    if let Some(end) = header.data_end_bit {
        return entities::common::first_stream_string(&r, end).filter(|s| !s.is_empty());
    }
    // R2007 stores where its data ends first; older versions their size.
    let size_bits = match version {
        R2000 | R2004 | R2007 => Some(r.read_rl(Endian::Little).ok()?),
        _ => None,
    };
    r.read_h().ok()?;
    let mut eed = r.read_bs().ok()?;
    while eed > 0 {
        r.read_h().ok()?;
        r.read_rcs(usize::from(eed)).ok()?;
        eed = r.read_bs().ok()?;
    }
    if matches!(version, R13 | R14) {
        r.read_rl(Endian::Little).ok()?;
    }
    r.read_bl().ok()?; // reactors
    if !matches!(version, R13 | R14 | R2000) {
        r.read_b().ok()?; // no extension dictionary
    }
    let name = match version {
        R2007 => entities::common::first_stream_string(&r, size_bits?)?,
        _ => r.read_tv().ok()?,
    };
    Some(name).filter(|s| !s.is_empty())
}

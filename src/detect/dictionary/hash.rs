//! The hash of a dictionary key, shared by the build script that lays the
//! tables out and the lookups that read them: both must place a key in the
//! same slot.

/// A multiplier with well-spread bits (rustc-hash's).
const K: u64 = 0xf135_7aea_2e62_a9c5;

/// The slot of `key` in a table of `1 << bits` slots (`bits` from 1 to 48),
/// and its tag: the [`TAG_BITS`] below the slot's. Eight bytes at a time,
/// each mixed in by a multiply; both are read off the high bits of the
/// last, which every byte reaches.
pub(super) fn slot(key: &[u8], bits: u32) -> (usize, u32) {
    let mut h = (key.len() as u64).wrapping_mul(K);
    let (words, rest) = key.as_chunks::<8>();
    for word in words {
        h = (h ^ u64::from_le_bytes(*word)).wrapping_mul(K).rotate_left(26);
    }
    let mut tail = [0u8; 8];
    tail[..rest.len()].copy_from_slice(rest);
    h = (h ^ u64::from_le_bytes(tail)).wrapping_mul(K);
    let tag = (h >> (64 - bits - TAG_BITS)) as u32 & ((1 << TAG_BITS) - 1);
    ((h >> (64 - bits)) as usize, tag)
}

/// A slot holds its key's tag in its high bits, above the key's number
/// (plus one) in its low ones: a lookup of a word that is not in the table
/// (most lookups: a run of kanji is tried at each length) mostly stops at
/// the slot, without reading a key of the table elsewhere in memory.
pub(super) const TAG_BITS: u32 = 16;

/// The bits of a slot below its tag: the key's number plus one.
pub(super) const NUMBER_BITS: u32 = 32 - TAG_BITS;

/// The two bits a key with `tag` sets in its word of the filter: the word
/// is its home slot's, the bits are read off the tag, which the slot's
/// bits do not decide.
pub(super) fn filter_bits(tag: u32) -> u64 {
    1 << (tag & 63) | 1 << ((tag >> 6) & 63)
}

//! The hash of a dictionary key, shared by the build script that lays the
//! tables out and the lookups that read them: both must place a key in the
//! same slot.

/// A multiplier with well-spread bits (rustc-hash's).
const K: u64 = 0xf135_7aea_2e62_a9c5;

/// The slot of `key` in a table of `1 << bits` slots (`bits` from 1 to 63).
/// Eight bytes at a time, each mixed in by a multiply; the slot is read
/// off the high bits of the last, which every byte reaches.
pub(super) fn slot(key: &[u8], bits: u32) -> usize {
    let mut h = (key.len() as u64).wrapping_mul(K);
    let (words, rest) = key.as_chunks::<8>();
    for word in words {
        h = (h ^ u64::from_le_bytes(*word)).wrapping_mul(K).rotate_left(26);
    }
    let mut tail = [0u8; 8];
    tail[..rest.len()].copy_from_slice(rest);
    h = (h ^ u64::from_le_bytes(tail)).wrapping_mul(K);
    (h >> (64 - bits)) as usize
}

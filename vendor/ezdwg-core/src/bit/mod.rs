pub mod bit_codec_r2000;
pub mod bit_reader;
pub mod bit_writer;
pub mod legacy_text;

pub use bit_reader::{BitReader, Endian, HandleRef};
pub use bit_writer::BitWriter;

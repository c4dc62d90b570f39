pub mod byte_reader;

pub use byte_reader::ByteReader;

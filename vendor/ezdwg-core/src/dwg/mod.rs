pub mod decoder;
pub mod file_open;
pub mod header;
pub mod r2000;
pub mod r2004;
pub mod r2007;
pub mod version;

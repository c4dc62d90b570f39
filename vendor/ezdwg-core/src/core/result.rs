use super::error::DwgError;

pub type Result<T> = std::result::Result<T, DwgError>;

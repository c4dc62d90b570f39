//! Reports: render an [`Inventory`] and nothing else.
//!
//! Every format shows findings (masked unless the scan kept values), errors and
//! skipped items, in the inventory's sorted order.

mod jsonl;
mod sarif;
mod text;

use std::io::{self, Write};

use crate::inventory::Inventory;

/// An output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Human-readable, grouped by file, with a summary.
    Text,
    /// One JSON object per line (the contract in DESIGN.md).
    Jsonl,
    /// SARIF 2.1.0, for code-scanning tools.
    Sarif,
}

/// Writes `inventory` to `out` in `format`.
pub fn write(format: Format, inventory: &Inventory, out: &mut dyn Write) -> io::Result<()> {
    match format {
        Format::Text => text::write(inventory, out),
        Format::Jsonl => jsonl::write(inventory, out),
        Format::Sarif => sarif::write(inventory, out),
    }?;
    out.flush()
}

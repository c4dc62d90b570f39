pub mod section_directory;
pub mod section_loader;
pub mod stream_view;

pub use section_directory::{SectionDirectory, SectionKind, SectionLocatorRecord};
pub use section_loader::{load_all_sections, load_section, load_section_by_index, SectionSlice};
pub use stream_view::StreamView;

//! The detector set alone on any text, as prose and as table cells, with
//! and without a header row (the first input byte picks the layout): the
//! anchors, validators, name engine and floor-plan scoring.
#![no_main]

use std::cell::RefCell;

use piimap::detect::{Layout, Scratch};

thread_local! {
    static SCRATCH: RefCell<(Scratch, Vec<piimap::detect::Hit>)> =
        RefCell::new((piimap_fuzz::detectors().scratch(), Vec::new()));
}

libfuzzer_sys::fuzz_target!(init: piimap_fuzz::install_panic_hook(), |data: &[u8]| {
    let Some((&mode, text)) = data.split_first() else { return };
    let text = String::from_utf8_lossy(text);
    let layout = Layout { first_is_header: mode & 1 != 0, fields: mode & 2 != 0 };
    SCRATCH.with_borrow_mut(|(scratch, hits)| {
        hits.clear();
        piimap_fuzz::detectors().detect(&text, None, layout, scratch, hits);
    });
});

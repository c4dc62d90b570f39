//! An OpenDocument spreadsheet's content.xml in a valid .ods package: the
//! repeat attributes and table layout reach the size check and the reader.
#![no_main]

libfuzzer_sys::fuzz_target!(init: piimap_fuzz::install_panic_hook(), |data: &[u8]| {
    piimap_fuzz::scan("fuzz.ods", &piimap_fuzz::ods(data));
});

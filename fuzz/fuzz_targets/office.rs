//! Word, PowerPoint and OpenDocument text documents by their whole bytes.
#![no_main]

libfuzzer_sys::fuzz_target!(init: piimap_fuzz::install_panic_hook(), |data: &[u8]| {
    piimap_fuzz::scan("fuzz.docx", data);
});

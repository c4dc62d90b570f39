//! A Word document.xml in a valid .docx package: the XML text extraction.
#![no_main]

libfuzzer_sys::fuzz_target!(init: piimap_fuzz::install_panic_hook(), |data: &[u8]| {
    piimap_fuzz::scan("fuzz.docx", &piimap_fuzz::docx(data));
});

//! Archives: zip, tar, gzip, members read as items of their own.
#![no_main]

libfuzzer_sys::fuzz_target!(init: piimap_fuzz::install_panic_hook(), |data: &[u8]| {
    piimap_fuzz::scan("fuzz.zip", data);
});

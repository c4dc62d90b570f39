//! Text decoding (encodings, BOMs, NUL padding, long lines) and detection of prose and logs.
#![no_main]

libfuzzer_sys::fuzz_target!(init: piimap_fuzz::install_panic_hook(), |data: &[u8]| {
    piimap_fuzz::scan("fuzz.txt", data);
});

//! JSON, NDJSON, XML and SQL dumps: which key, tag or column a value sits under.
#![no_main]

libfuzzer_sys::fuzz_target!(init: piimap_fuzz::install_panic_hook(), |data: &[u8]| {
    piimap_fuzz::scan("fuzz.json", data);
});

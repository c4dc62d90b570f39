//! Workbooks by their whole bytes: xlsx, xlsb, xls and ods packages.
#![no_main]

libfuzzer_sys::fuzz_target!(init: piimap_fuzz::install_panic_hook(), |data: &[u8]| {
    piimap_fuzz::scan("fuzz.xlsx", data);
});

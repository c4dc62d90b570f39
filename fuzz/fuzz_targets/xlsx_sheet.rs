//! A worksheet's XML (and, after `\n--part--\n`, its shared strings) in a
//! valid .xlsx package: cell references, types and rows reach the
//! spreadsheet reader without first having to survive the zip layer.
#![no_main]

libfuzzer_sys::fuzz_target!(init: piimap_fuzz::install_panic_hook(), |data: &[u8]| {
    let (sheet, shared_strings) = piimap_fuzz::split(data);
    piimap_fuzz::scan("fuzz.xlsx", &piimap_fuzz::xlsx(sheet, shared_strings));
});

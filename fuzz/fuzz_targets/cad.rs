//! CAD drawings: DXF (ASCII and binary), SXF, STEP/IFC, JW-CAD, DWG, P2Z.
#![no_main]

libfuzzer_sys::fuzz_target!(init: piimap_fuzz::install_panic_hook(), |data: &[u8]| {
    piimap_fuzz::scan("fuzz.dxf", data);
});

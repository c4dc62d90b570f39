//! Images as OCR gets them: PNG, JPEG, GIF, BMP, WebP and multi-page TIFF
//! decoded to grey under the pixel limit, rules taken out.
#![no_main]

libfuzzer_sys::fuzz_target!(init: piimap_fuzz::install_panic_hook(), |data: &[u8]| {
    let _ = piimap::read::ocr::pictures(data, 4);
});

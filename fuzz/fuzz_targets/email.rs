//! E-mail messages and mbox inboxes, with their attachments.
#![no_main]

libfuzzer_sys::fuzz_target!(init: piimap_fuzz::install_panic_hook(), |data: &[u8]| {
    piimap_fuzz::scan("fuzz.eml", data);
});

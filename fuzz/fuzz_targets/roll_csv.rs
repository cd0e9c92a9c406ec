//! Fuzzes the roll file checks the import runs on every uploaded CSV: separator detection,
//! the header, and each row (NIK, dates, regions, enumerations). They must never panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let today = time::macros::date!(2026 - 11 - 28);
    let _ = loksus::domain::roll_file::check_file(data, today);
});

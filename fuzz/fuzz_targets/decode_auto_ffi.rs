#![no_main]
//! Any bytes through the C ABI with format detection: a status code, never a panic or abort,
//! every handle and buffer freed, and whatever a writer accepts decodes again.
use libfuzzer_sys::fuzz_target;
use rox::ffi::*;
use rox::Format;

fuzz_target!(|data: &[u8]| {
    let mut chart = std::ptr::null_mut();
    // SAFETY: valid pointers; every handle and buffer returned is freed once below.
    unsafe {
        if rox_chart_decode(data.as_ptr(), data.len(), 0, &mut chart) == RoxStatus::Ok {
            for format in Format::ALL.into_iter().filter(|f| *f != Format::Auto) {
                let mut buf = std::ptr::null_mut();
                let mut len = 0usize;
                if rox_chart_encode_alloc(chart, format as i32, &mut buf, &mut len) == RoxStatus::Ok {
                    let mut again = std::ptr::null_mut();
                    let status = rox_chart_decode(buf, len, format as i32, &mut again);
                    assert_eq!(status, RoxStatus::Ok, "a .{} written by the ABI", format.name());
                    rox_chart_free(again);
                    rox_free_buffer(buf, len);
                }
            }
            rox_chart_free(chart);
        } else {
            assert!(chart.is_null());
        }
    }
});

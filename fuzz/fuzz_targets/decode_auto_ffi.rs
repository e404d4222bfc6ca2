#![no_main]
//! Any bytes through the C ABI with format detection: a status code, never a panic or abort,
//! and every handle and buffer freed.
use libfuzzer_sys::fuzz_target;
use rox::ffi::*;

fuzz_target!(|data: &[u8]| {
    let mut chart = std::ptr::null_mut();
    // SAFETY: valid pointers; every handle and buffer returned is freed once below.
    unsafe {
        if rox_chart_decode(data.as_ptr(), data.len(), 0, &mut chart) == RoxStatus::Ok {
            let mut buf = std::ptr::null_mut();
            let mut len = 0usize;
            if rox_chart_encode_alloc(chart, 1, &mut buf, &mut len) == RoxStatus::Ok {
                rox_free_buffer(buf, len);
            }
            rox_chart_free(chart);
        } else {
            assert!(chart.is_null());
        }
    }
});

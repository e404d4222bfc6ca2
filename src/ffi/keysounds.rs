//! Keysounds: the sample files notes reference by index (`RoxNote.keysound`).

use super::args::{in_str, Out, OutBytes};
use super::chart::{chart_mut, chart_ref, RoxChart};
use super::{guard, FfiError, RoxStatus};

/// Number of keysounds in the chart.
///
/// # Safety
/// `chart`: borrowed, must not be null. `out_count`: borrowed, must not be null.
#[no_mangle]
pub unsafe extern "C" fn rox_chart_keysound_count(
    chart: *const RoxChart,
    out_count: *mut usize,
) -> RoxStatus {
    guard("rox_chart_keysound_count", || {
        // SAFETY: caller promises.
        let out = unsafe { Out::new(out_count, "out_count") }?;
        let chart = unsafe { chart_ref(chart) }?;
        out.set(chart.keysounds.len());
        Ok(())
    })
}

/// Copies the file name of keysound `index` (UTF-8, no NUL) into the caller's buffer.
/// Two-call pattern: `*out_len` always receives the length in bytes; if `len` is smaller,
/// returns `BufferTooSmall` and writes nothing to `buf` (`buf` may be null when `len` is 0).
/// `InvalidArgument` if `index` is not below the keysound count (then `*out_len` is 0).
///
/// # Safety
/// `chart`: borrowed, must not be null. `buf`: borrowed, caller-owned, writable for `len`
/// bytes (or null if `len` is 0). `out_len`: borrowed, must not be null.
#[no_mangle]
pub unsafe extern "C" fn rox_chart_get_keysound(
    chart: *const RoxChart,
    index: usize,
    buf: *mut u8,
    len: usize,
    out_len: *mut usize,
) -> RoxStatus {
    guard("rox_chart_get_keysound", || {
        // SAFETY: caller promises.
        let out = unsafe { OutBytes::new(buf, len, out_len) }?;
        let chart = unsafe { chart_ref(chart) }?;
        let name = chart.keysounds.get(index).ok_or_else(|| {
            FfiError::invalid(format!(
                "keysound index {index} is not below the count {}",
                chart.keysounds.len()
            ))
        })?;
        out.write(name.as_bytes())
    })
}

/// Appends a keysound file name (`len` bytes of UTF-8, not NUL-terminated) and sets
/// `*out_index` to its index, the value notes use in `RoxNote.keysound`. `InvalidArgument` if
/// the name is empty (a file name is needed), the bytes are not UTF-8 or the
/// list already holds 2^31-1 names; the chart is unchanged on failure (`*out_index` is 0).
///
/// # Safety
/// `chart`: borrowed exclusively for the call, must not be null. `utf8`: borrowed for the call
/// (copied), readable for `len` bytes; may be null only if `len` is 0. `out_index`: borrowed,
/// must not be null.
#[no_mangle]
pub unsafe extern "C" fn rox_chart_add_keysound(
    chart: *mut RoxChart,
    utf8: *const u8,
    len: usize,
    out_index: *mut u32,
) -> RoxStatus {
    guard("rox_chart_add_keysound", || {
        // SAFETY: caller promises.
        let out = unsafe { Out::new(out_index, "out_index") }?;
        let chart = unsafe { chart_mut(chart) }?;
        let name = unsafe { in_str(utf8, len, "utf8") }?;
        if name.is_empty() {
            return Err(FfiError::invalid(
                "a keysound name must not be empty (a file name is needed; .osu cannot write an empty one)",
            ));
        }
        let index = chart.keysounds.len();
        if index >= i32::MAX as usize {
            return Err(FfiError::invalid(
                "the chart already has the maximum number of keysounds (2^31-1)",
            ));
        }
        chart.keysounds.push(name.to_owned());
        out.set(index as u32);
        Ok(())
    })
}

//! Decode limits: how much one decode call may build (`DecodeLimits` in the model).

use std::mem::{offset_of, size_of};

use super::args::{in_value, Out, Zero};
use super::{guard, FfiError, FfiResult, RoxStatus};
use crate::DecodeLimits;

/// Bounds on what one decode call builds, all the charts of a set together (40 bytes). A
/// decode that would pass one fails with `CorruptData` and a message naming it; nothing is
/// allocated for it first. `rox_decode_limits_default` gives the defaults, far above any real
/// chart; docs/abi.md gives the memory they bound a decode to.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct RoxDecodeLimits {
    /// `sizeof(RoxDecodeLimits)` (40). Written by `rox_decode_limits_default`; must be set by
    /// the caller otherwise.
    pub struct_size: u32,
    /// Must be 0.
    pub reserved: u32,
    /// Notes, in all charts together.
    pub max_notes: u64,
    /// Timing points, in all charts together (a StepMania chart counts the song timing it
    /// inherits).
    pub max_timing_points: u64,
    /// Bytes of text (metadata, keysound names, extras), each string also counting
    /// `ROX_STRING_COST` bytes.
    pub max_text_bytes: u64,
    /// Charts in one set.
    pub max_charts: u64,
}

const _: () = {
    assert!(size_of::<RoxDecodeLimits>() == 40);
    assert!(offset_of!(RoxDecodeLimits, struct_size) == 0);
    assert!(offset_of!(RoxDecodeLimits, reserved) == 4);
    assert!(offset_of!(RoxDecodeLimits, max_notes) == 8);
    assert!(offset_of!(RoxDecodeLimits, max_timing_points) == 16);
    assert!(offset_of!(RoxDecodeLimits, max_text_bytes) == 24);
    assert!(offset_of!(RoxDecodeLimits, max_charts) == 32);
};

impl Zero for RoxDecodeLimits {
    const ZERO: RoxDecodeLimits = RoxDecodeLimits {
        struct_size: 0,
        reserved: 0,
        max_notes: 0,
        max_timing_points: 0,
        max_text_bytes: 0,
        max_charts: 0,
    };
}

impl From<DecodeLimits> for RoxDecodeLimits {
    fn from(l: DecodeLimits) -> RoxDecodeLimits {
        RoxDecodeLimits {
            struct_size: size_of::<RoxDecodeLimits>() as u32,
            reserved: 0,
            max_notes: l.max_notes,
            max_timing_points: l.max_timing_points,
            max_text_bytes: l.max_text_bytes,
            max_charts: l.max_charts,
        }
    }
}

/// The limits `limits` points to, or the defaults when it is null.
///
/// # Safety
/// `limits`: null, or readable for one `RoxDecodeLimits`.
pub(crate) unsafe fn limits_arg(limits: *const RoxDecodeLimits) -> FfiResult<DecodeLimits> {
    if limits.is_null() {
        return Ok(DecodeLimits::default());
    }
    // SAFETY: caller promise; checked non-null.
    limits_value(unsafe { in_value(limits, "limits") }?, "limits")
}

/// The limits of `l`, checked (`name`: what error messages call it).
pub(crate) fn limits_value(l: RoxDecodeLimits, name: &str) -> FfiResult<DecodeLimits> {
    if l.struct_size as usize != size_of::<RoxDecodeLimits>() {
        return Err(FfiError::invalid(format!(
            "{name}.struct_size is {}; set it to sizeof(RoxDecodeLimits) = {}",
            l.struct_size,
            size_of::<RoxDecodeLimits>()
        )));
    }
    if l.reserved != 0 {
        return Err(FfiError::invalid(format!("{name}.reserved must be 0")));
    }
    Ok(DecodeLimits {
        max_notes: l.max_notes,
        max_timing_points: l.max_timing_points,
        max_text_bytes: l.max_text_bytes,
        max_charts: l.max_charts,
    })
}

/// Writes the default decode limits to `*out` (with `struct_size` set), for a caller to
/// adjust and pass to `rox_chart_decode_limited` or `rox_set_decode_limited` (or in
/// `RoxDecodeOptions`).
///
/// # Safety
/// `out`: borrowed, must not be null.
#[no_mangle]
pub unsafe extern "C" fn rox_decode_limits_default(out: *mut RoxDecodeLimits) -> RoxStatus {
    guard("rox_decode_limits_default", || {
        // SAFETY: caller promises.
        let out = unsafe { Out::new(out, "out") }?;
        out.set(DecodeLimits::default().into());
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_round_trip_and_null_means_default() {
        let mut raw = RoxDecodeLimits::default();
        assert_eq!(
            unsafe { rox_decode_limits_default(&mut raw) },
            RoxStatus::Ok
        );
        assert_eq!(raw.struct_size, 40);
        assert_eq!(
            unsafe { limits_arg(&raw) }.unwrap(),
            DecodeLimits::default()
        );
        assert_eq!(
            unsafe { limits_arg(std::ptr::null()) }.unwrap(),
            DecodeLimits::default()
        );
        let bad = RoxDecodeLimits {
            struct_size: 32,
            ..raw
        };
        assert_eq!(
            unsafe { limits_arg(&bad) }.unwrap_err().status,
            RoxStatus::InvalidArgument
        );
    }
}

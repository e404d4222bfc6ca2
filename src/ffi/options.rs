//! Decode options: the limits and the format-specific choices of one decode (`DecodeOptions`
//! in the model), and the body every decode export shares.

use std::mem::{offset_of, size_of};

use super::args::{enum_arg, in_bytes, in_value, into_handle, Out, Zero};
use super::chart::format_arg;
use super::limits::{limits_arg, limits_value, RoxDecodeLimits};
use super::set::{decoded_set, peeked_set, RoxChartSet};
use super::{guard, FfiError, FfiResult, RoxStatus};
use crate::model::{DecodeOptions, FnfOptions, FnfSides, TaikoLayout, TaikoOptions};
use crate::Format;

/// Everything one decode can be told (56 bytes): its limits, and the choices some formats
/// leave open. `rox_decode_options_default` gives the defaults (what `rox_set_decode` does);
/// new options will come at the end, with a larger `struct_size`.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct RoxDecodeOptions {
    /// `sizeof(RoxDecodeOptions)` (56). Written by `rox_decode_options_default`; must be set
    /// by the caller otherwise.
    pub struct_size: u32,
    /// Must be 0.
    pub reserved: u32,
    /// The decode's limits (with their own `struct_size`).
    pub limits: RoxDecodeLimits,
    /// A `RoxFnfSides`: which side's notes a Friday Night Funkin' chart holds (default Player).
    pub fnf_sides: i32,
    /// A `RoxTaikoLayout`: the columns of an osu!taiko map (default Kddk; docs/taiko.md).
    pub taiko_layout: i32,
}

const _: () = {
    assert!(size_of::<RoxDecodeOptions>() == 56);
    assert!(offset_of!(RoxDecodeOptions, struct_size) == 0);
    assert!(offset_of!(RoxDecodeOptions, reserved) == 4);
    assert!(offset_of!(RoxDecodeOptions, limits) == 8);
    assert!(offset_of!(RoxDecodeOptions, fnf_sides) == 48);
    assert!(offset_of!(RoxDecodeOptions, taiko_layout) == 52);
};

impl Zero for RoxDecodeOptions {
    const ZERO: RoxDecodeOptions = RoxDecodeOptions {
        struct_size: 0,
        reserved: 0,
        limits: RoxDecodeLimits::ZERO,
        fnf_sides: 0,
        taiko_layout: 0,
    };
}

impl From<DecodeOptions> for RoxDecodeOptions {
    fn from(o: DecodeOptions) -> RoxDecodeOptions {
        RoxDecodeOptions {
            struct_size: size_of::<RoxDecodeOptions>() as u32,
            reserved: 0,
            limits: o.limits.into(),
            fnf_sides: o.fnf.sides as i32,
            taiko_layout: o.taiko.layout as i32,
        }
    }
}

/// The options `options` points to, checked, or the defaults when it is null.
///
/// # Safety
/// `options`: null, or readable for one `RoxDecodeOptions`.
unsafe fn options_arg(options: *const RoxDecodeOptions) -> FfiResult<DecodeOptions> {
    if options.is_null() {
        return Ok(DecodeOptions::default());
    }
    // SAFETY: caller promise; checked non-null.
    let o = unsafe { in_value(options, "options") }?;
    if o.struct_size as usize != size_of::<RoxDecodeOptions>() {
        return Err(FfiError::invalid(format!(
            "options.struct_size is {}; set it to sizeof(RoxDecodeOptions) = {}",
            o.struct_size,
            size_of::<RoxDecodeOptions>()
        )));
    }
    if o.reserved != 0 {
        return Err(FfiError::invalid("options.reserved must be 0"));
    }
    Ok(DecodeOptions {
        limits: limits_value(o.limits, "options.limits")?,
        fnf: FnfOptions {
            sides: enum_arg(o.fnf_sides, "options.fnf_sides", FnfSides::from_i32)?,
        },
        taiko: TaikoOptions {
            layout: enum_arg(
                o.taiko_layout,
                "options.taiko_layout",
                TaikoLayout::from_i32,
            )?,
        },
    })
}

/// Where a decode export's options come from.
#[derive(Clone, Copy)]
pub(crate) enum OptionsArg {
    /// Limits only (null: the defaults); the other options are the defaults.
    Limits(*const RoxDecodeLimits),
    /// Everything (null: the defaults).
    Options(*const RoxDecodeOptions),
}

impl OptionsArg {
    /// The defaults (the exports without a limits or options argument).
    pub(crate) const DEFAULT: OptionsArg = OptionsArg::Options(std::ptr::null());

    /// # Safety
    /// The pointer: null, or readable for one struct of its type.
    unsafe fn read(self) -> FfiResult<DecodeOptions> {
        match self {
            // SAFETY: caller promises.
            OptionsArg::Limits(l) => unsafe { limits_arg(l) }.map(DecodeOptions::with_limits),
            OptionsArg::Options(o) => unsafe { options_arg(o) },
        }
    }
}

/// The body of every decode export: clears `*out`, checks the bytes, the format and the
/// options, decodes, and hands the caller a new handle in `*out`.
///
/// # Safety
/// As `rox_set_decode_with_options` (`options` as its pointer's export says).
pub(crate) unsafe fn decode_to_handle<T>(
    data: *const u8,
    len: usize,
    format: i32,
    options: OptionsArg,
    out: *mut *mut T,
    decode: impl FnOnce(&[u8], Format, &DecodeOptions) -> crate::Result<T>,
) -> FfiResult {
    // SAFETY: caller promises.
    let out = unsafe { Out::new(out, "out") }?;
    let data = unsafe { in_bytes(data, len, "data") }?;
    let format = format_arg(format)?;
    let options = unsafe { options.read() }?;
    out.set(into_handle(decode(data, format, &options)?));
    Ok(())
}

/// Writes the default decode options to `*out` (`struct_size` set, in the limits too), for a
/// caller to adjust and pass to `rox_set_decode_with_options`.
///
/// # Safety
/// `out`: borrowed, must not be null.
#[no_mangle]
pub unsafe extern "C" fn rox_decode_options_default(out: *mut RoxDecodeOptions) -> RoxStatus {
    guard("rox_decode_options_default", || {
        // SAFETY: caller promises.
        let out = unsafe { Out::new(out, "out") }?;
        out.set(DecodeOptions::default().into());
        Ok(())
    })
}

/// Decodes every chart of `len` bytes in `format` as `rox_set_decode_limited` does, with
/// `options` (null: the defaults): its limits, which side of a Friday Night Funkin' chart to
/// read (`fnf_sides`; `Both` gives 8 keys), and the column layout of an osu!taiko map
/// (`taiko_layout`). Errors: as `rox_set_decode_limited`; `InvalidArgument` also for a
/// `struct_size` or `reserved` that is wrong (in the options or their limits) or an enum value
/// out of range.
///
/// # Safety
/// `data`: borrowed for the call, readable for `len` bytes; may be null only if `len` is 0.
/// `options`: borrowed for the call (copied); may be null. `out`: borrowed, must not be null;
/// receives a new set owned by the caller (free with `rox_set_free`); set to null on failure.
#[no_mangle]
pub unsafe extern "C" fn rox_set_decode_with_options(
    data: *const u8,
    len: usize,
    format: i32,
    options: *const RoxDecodeOptions,
    out: *mut *mut RoxChartSet,
) -> RoxStatus {
    guard("rox_set_decode_with_options", || {
        // SAFETY: caller promises.
        let options = OptionsArg::Options(options);
        unsafe { decode_to_handle(data, len, format, options, out, decoded_set) }
    })
}

/// Reads every chart of `len` bytes without their notes, as `rox_set_peek` does, with
/// `options` (null: the defaults) as `rox_set_decode_with_options` takes them: a song-select
/// screen reads an FNF song's or a taiko map's charts as the game will decode them.
///
/// # Safety
/// As `rox_set_decode_with_options`.
#[no_mangle]
pub unsafe extern "C" fn rox_set_peek_with_options(
    data: *const u8,
    len: usize,
    format: i32,
    options: *const RoxDecodeOptions,
    out: *mut *mut RoxChartSet,
) -> RoxStatus {
    guard("rox_set_peek_with_options", || {
        // SAFETY: caller promises.
        let options = OptionsArg::Options(options);
        unsafe { decode_to_handle(data, len, format, options, out, peeked_set) }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_round_trip_and_bad_values_are_refused() {
        let mut raw = RoxDecodeOptions::default();
        assert_eq!(
            unsafe { rox_decode_options_default(&mut raw) },
            RoxStatus::Ok
        );
        assert_eq!((raw.struct_size, raw.limits.struct_size), (56, 40));
        assert_eq!(
            unsafe { options_arg(&raw) }.unwrap(),
            DecodeOptions::default()
        );
        let both = RoxDecodeOptions {
            fnf_sides: FnfSides::Both as i32,
            taiko_layout: TaikoLayout::Ddkk as i32,
            ..raw
        };
        let read = unsafe { options_arg(&both) }.unwrap();
        assert_eq!(
            (read.fnf.sides, read.taiko.layout),
            (FnfSides::Both, TaikoLayout::Ddkk)
        );
        let bad_limits = RoxDecodeOptions {
            limits: RoxDecodeLimits::ZERO,
            ..raw
        };
        for bad in [
            RoxDecodeOptions {
                struct_size: 40,
                ..raw
            },
            RoxDecodeOptions { reserved: 1, ..raw },
            RoxDecodeOptions {
                fnf_sides: 3,
                ..raw
            },
            RoxDecodeOptions {
                taiko_layout: -1,
                ..raw
            },
            bad_limits,
        ] {
            let error = unsafe { options_arg(&bad) }.unwrap_err();
            assert_eq!(error.status, RoxStatus::InvalidArgument, "{bad:?}");
        }
    }
}

//! Chart handles: create, free, clone, decode, encode, format detection.

use super::args::{
    enum_arg, free_handle, handle_ref, in_bytes, in_str, into_handle, Out, OutBuffer, OutBytes,
};
use super::limits::RoxDecodeLimits;
use super::options::{decode_to_handle, OptionsArg};
use super::views::ChartViews;
use super::{guard, guard_void, FfiError, FfiResult, RoxStatus};
use crate::model::MAX_KEYS;
use crate::timeline::Rules;
use crate::{Chart, DecodeOptions, Format};

/// An opaque chart. Owned by the caller from `rox_chart_new`, `rox_chart_decode` or
/// `rox_chart_clone` until exactly one `rox_chart_free`. Several threads may read one chart at
/// once; a mutation needs exclusive access.
pub struct RoxChart {
    pub(crate) chart: Chart,
    /// The borrowed arrays `rox_chart_notes_view` and `rox_chart_timing_view` hand out.
    pub(crate) views: ChartViews,
}

impl RoxChart {
    pub(crate) fn new(chart: Chart) -> RoxChart {
        RoxChart {
            chart,
            views: ChartViews::default(),
        }
    }
}

/// A shared borrow of the chart behind a handle.
///
/// # Safety
/// A non-null `p` must come from this library and not be freed or mutated during `'a`.
pub(crate) unsafe fn chart_ref<'a>(p: *const RoxChart) -> FfiResult<&'a Chart> {
    // SAFETY: caller promise.
    Ok(&unsafe { handle_ref(p, "chart") }?.chart)
}

/// An exclusive borrow of the chart behind a handle, for a change: the chart's views are
/// dropped first, so every export that may change the chart ends them, whether it then
/// succeeds or not.
///
/// # Safety
/// A non-null `p` must come from this library and not be used by anyone else during `'a`.
pub(crate) unsafe fn chart_mut<'a>(p: *mut RoxChart) -> FfiResult<&'a mut Chart> {
    if p.is_null() {
        return Err(FfiError::null("chart"));
    }
    // SAFETY: caller promise.
    let handle = unsafe { &mut *p };
    handle.views = ChartViews::default();
    Ok(&mut handle.chart)
}

pub(crate) fn format_arg(format: i32) -> FfiResult<Format> {
    enum_arg(format, "format", Format::from_i32)
}

pub(crate) fn chart_handle(chart: Chart) -> *mut RoxChart {
    into_handle(RoxChart::new(chart))
}

/// Creates an empty chart with `key_count` columns (1 to 18) and no notes, timing or metadata.
/// `InvalidArgument` for any other key count.
///
/// # Safety
/// `out`: borrowed, must not be null. Receives a new chart that the caller owns and must free
/// with `rox_chart_free`; set to null on failure.
#[no_mangle]
pub unsafe extern "C" fn rox_chart_new(key_count: u32, out: *mut *mut RoxChart) -> RoxStatus {
    guard("rox_chart_new", || {
        // SAFETY: caller promise on `out`.
        let out = unsafe { Out::new(out, "out") }?;
        let keys = u8::try_from(key_count)
            .ok()
            .filter(|k| (1..=MAX_KEYS).contains(k));
        let keys = keys.ok_or_else(|| {
            FfiError::invalid(format!(
                "invalid key count {key_count}: a chart needs 1 to {MAX_KEYS} columns"
            ))
        })?;
        out.set(chart_handle(Chart::new(keys)));
        Ok(())
    })
}

/// Frees a chart. Null is ignored. Every chart must be freed exactly once; the pointer is
/// invalid afterwards.
///
/// # Safety
/// `chart`: ownership is taken back from the caller; must be null or a live chart from this
/// library that no other thread is using.
#[no_mangle]
pub unsafe extern "C" fn rox_chart_free(chart: *mut RoxChart) {
    guard_void("rox_chart_free", || {
        // SAFETY: caller promise: `chart` came from `chart_handle` and is freed once.
        unsafe { free_handle(chart) }
    })
}

/// The format a chart was first read from (a `RoxFormat`: osu, sm, ssc or qua; a `.rox`
/// file keeps the original's) into `*out_format`, `ROX_FORMAT_AUTO` for a chart built in
/// code; and the `RoxTimelineRules` of that game into `*out_rules` (osu!'s for a chart built in
/// code): what `rox_timeline_new` should be given to scroll the chart as its own game does.
/// Conversions to another game report, as `ROX_LOSS_KIND_TIMING_CHANGED`, how far notes then
/// scroll from where the chart's own game puts them.
///
/// # Safety
/// `chart`: borrowed, must not be null. `out_format`, `out_rules`: borrowed, must not be null.
#[no_mangle]
pub unsafe extern "C" fn rox_chart_source_format(
    chart: *const RoxChart,
    out_format: *mut i32,
    out_rules: *mut i32,
) -> RoxStatus {
    guard("rox_chart_source_format", || {
        // SAFETY: caller promises. Both outputs are cleared before either is checked.
        let (out_format, out_rules) = unsafe {
            (
                Out::new(out_format, "out_format"),
                Out::new(out_rules, "out_rules"),
            )
        };
        let (out_format, out_rules) = (out_format?, out_rules?);
        let chart = unsafe { chart_ref(chart) }?;
        out_format.set(chart.source_format.unwrap_or(Format::Auto) as i32);
        out_rules.set(Rules::for_chart(chart) as i32);
        Ok(())
    })
}

/// Creates an independent deep copy of a chart.
///
/// # Safety
/// `chart`: borrowed, must not be null. `out`: borrowed, must not be null; receives a new
/// chart owned by the caller (free with `rox_chart_free`); set to null on failure.
#[no_mangle]
pub unsafe extern "C" fn rox_chart_clone(
    chart: *const RoxChart,
    out: *mut *mut RoxChart,
) -> RoxStatus {
    guard("rox_chart_clone", || {
        // SAFETY: caller promises.
        let out = unsafe { Out::new(out, "out") }?;
        let chart = unsafe { chart_ref(chart) }?;
        out.set(chart_handle(chart.clone()));
        Ok(())
    })
}

/// Decodes a chart from `len` bytes in `format` (a `RoxFormat`; 0 = detect from the bytes),
/// within the default decode limits: `rox_chart_decode_limited` with null limits.
///
/// # Safety
/// `data`: borrowed for the call, readable for `len` bytes; may be null only if `len` is 0.
/// `out`: borrowed, must not be null; receives a new chart owned by the caller (free with
/// `rox_chart_free`); set to null on failure.
#[no_mangle]
pub unsafe extern "C" fn rox_chart_decode(
    data: *const u8,
    len: usize,
    format: i32,
    out: *mut *mut RoxChart,
) -> RoxStatus {
    guard("rox_chart_decode", || {
        // SAFETY: the caller's promises are those of `rox_chart_decode_limited`.
        unsafe { decode_to_handle(data, len, format, OptionsArg::DEFAULT, out, decoded_chart) }
    })
}

/// Decodes a chart from `len` bytes in `format` (a `RoxFormat`; 0 = detect from the bytes)
/// within `limits` (null: the defaults). For a file holding several charts (StepMania,
/// `.osz`/`.qp` archives) this is the first one; `rox_set_decode_limited` gives them all.
/// Errors: `UnknownFormat` (auto-detection found nothing), `UnsupportedFormat`, `ParseError`
/// (also: the file holds no chart), `CorruptData` (also: a damaged archive, one beyond the
/// archive size limits, or a chart beyond `limits`), `InvalidArgument` (format out of range,
/// bad `limits`).
///
/// # Safety
/// `data`: borrowed for the call, readable for `len` bytes; may be null only if `len` is 0.
/// `limits`: borrowed for the call (copied); may be null. `out`: borrowed, must not be null;
/// receives a new chart owned by the caller (free with `rox_chart_free`); set to null on
/// failure.
#[no_mangle]
pub unsafe extern "C" fn rox_chart_decode_limited(
    data: *const u8,
    len: usize,
    format: i32,
    limits: *const RoxDecodeLimits,
    out: *mut *mut RoxChart,
) -> RoxStatus {
    guard("rox_chart_decode_limited", || {
        // SAFETY: caller promises.
        let limits = OptionsArg::Limits(limits);
        unsafe { decode_to_handle(data, len, format, limits, out, decoded_chart) }
    })
}

/// The new handle of both chart decode exports.
fn decoded_chart(data: &[u8], format: Format, options: &DecodeOptions) -> crate::Result<RoxChart> {
    Ok(RoxChart::new(crate::decode_limited(
        data,
        format,
        &options.limits,
    )?))
}

/// Encodes a chart in `format` (a `RoxFormat`, not Auto) into the caller's buffer.
/// Two-call pattern: `*out_len` always receives the encoded size; if `len` is smaller, returns
/// `BufferTooSmall` and writes nothing to `buf` (`buf` may be null when `len` is 0). The chart
/// is encoded on every call; `rox_chart_encode_alloc` encodes once.
/// Errors: `InvalidChart` (the chart fails validation), `UnsupportedFormat`, `InvalidArgument`
/// (format Auto or out of range).
///
/// # Safety
/// `chart`: borrowed, must not be null. `buf`: borrowed, caller-owned, writable for `len`
/// bytes (or null if `len` is 0). `out_len`: borrowed, must not be null.
#[no_mangle]
pub unsafe extern "C" fn rox_chart_encode(
    chart: *const RoxChart,
    format: i32,
    buf: *mut u8,
    len: usize,
    out_len: *mut usize,
) -> RoxStatus {
    guard("rox_chart_encode", || {
        // SAFETY: caller promises.
        let out = unsafe { OutBytes::new(buf, len, out_len) }?;
        let chart = unsafe { chart_ref(chart) }?;
        let format = format_arg(format)?;
        let bytes = crate::encode(chart, format)?;
        out.write(&bytes)
    })
}

/// Encodes a chart in `format` into a buffer allocated by this library.
/// On success `*out_buf` points to `*out_len` bytes that the caller owns and must release with
/// `rox_free_buffer(*out_buf, *out_len)` (never with `free`). An empty result is returned as
/// null with length 0. On failure `*out_buf` is null and `*out_len` is 0.
///
/// # Safety
/// `chart`: borrowed, must not be null. `out_buf`, `out_len`: borrowed, must not be null.
#[no_mangle]
pub unsafe extern "C" fn rox_chart_encode_alloc(
    chart: *const RoxChart,
    format: i32,
    out_buf: *mut *mut u8,
    out_len: *mut usize,
) -> RoxStatus {
    guard("rox_chart_encode_alloc", || {
        // SAFETY: caller promises.
        let out = unsafe { OutBuffer::new(out_buf, out_len) }?;
        let chart = unsafe { chart_ref(chart) }?;
        let format = format_arg(format)?;
        out.set(crate::encode(chart, format)?);
        Ok(())
    })
}

/// Identifies the format of `len` bytes of chart data. On success `*out_format` is a
/// `RoxFormat` (never Auto); `UnknownFormat` when no format matches (then `*out_format` is 0).
///
/// # Safety
/// `data`: borrowed for the call, readable for `len` bytes; may be null only if `len` is 0.
/// `out_format`: borrowed, must not be null.
#[no_mangle]
pub unsafe extern "C" fn rox_detect_format(
    data: *const u8,
    len: usize,
    out_format: *mut i32,
) -> RoxStatus {
    guard("rox_detect_format", || {
        // SAFETY: caller promises.
        let out = unsafe { Out::new(out_format, "out_format") }?;
        let data = unsafe { in_bytes(data, len, "data") }?;
        let format = Format::detect(data).ok_or_else(|| {
            FfiError::new(
                RoxStatus::UnknownFormat,
                "the data is not a chart in any supported format",
            )
        })?;
        out.set(format as i32);
        Ok(())
    })
}

/// The format a file name or path names by its extension (case-insensitive), e.g. `.osu` →
/// Osu. `UnknownFormat` when the extension is missing or unknown (then `*out_format` is 0);
/// `InvalidArgument` when the path is not UTF-8.
///
/// # Safety
/// `path`: borrowed for the call, UTF-8 (not NUL-terminated), readable for `len` bytes; may be
/// null only if `len` is 0. `out_format`: borrowed, must not be null.
#[no_mangle]
pub unsafe extern "C" fn rox_format_from_path(
    path: *const u8,
    len: usize,
    out_format: *mut i32,
) -> RoxStatus {
    guard("rox_format_from_path", || {
        // SAFETY: caller promises.
        let out = unsafe { Out::new(out_format, "out_format") }?;
        let path = unsafe { in_str(path, len, "path") }?;
        let format = Format::from_extension(path).ok_or_else(|| {
            FfiError::new(
                RoxStatus::UnknownFormat,
                format!("no chart format uses the extension of {path:?}"),
            )
        })?;
        out.set(format as i32);
        Ok(())
    })
}

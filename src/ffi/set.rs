//! Chart sets: every chart of a multi-chart file (StepMania) or archive (`.osz`, `.qp`).

use super::args::{free_handle, handle_ref, in_bytes, Out, OutBytes};
use super::chart::{chart_handle, format_arg, RoxChart};
use super::limits::RoxDecodeLimits;
use super::options::{decode_to_handle, OptionsArg};
use super::report::{report_handle, ReportOutputs, RoxReport};
use super::{guard, guard_void, FfiError, FfiResult, RoxStatus};
use crate::model::ChartSet;
use crate::{DecodeOptions, Format};

/// An opaque, immutable set of charts decoded from one file. Owned by the caller from
/// `rox_set_decode` until exactly one `rox_set_free`. May be read from several threads at once.
pub struct RoxChartSet {
    pub(crate) set: ChartSet,
}

/// # Safety
/// As [`handle_ref`].
unsafe fn set_ref<'a>(p: *const RoxChartSet) -> FfiResult<&'a ChartSet> {
    // SAFETY: caller promise.
    Ok(&unsafe { handle_ref(p, "set") }?.set)
}

/// Item `index` of a list in a set, or `InvalidArgument` naming `what`.
fn item<'a, T>(items: &'a [T], index: usize, what: &str) -> FfiResult<&'a T> {
    items.get(index).ok_or_else(|| {
        FfiError::invalid(format!(
            "{what} {index} does not exist (the set has {})",
            items.len()
        ))
    })
}

/// Decodes every chart of `len` bytes in `format` within the default decode limits:
/// `rox_set_decode_limited` with null limits.
///
/// # Safety
/// `data`: borrowed for the call, readable for `len` bytes; may be null only if `len` is 0.
/// `out`: borrowed, must not be null; receives a new set owned by the caller (free with
/// `rox_set_free`); set to null on failure.
#[no_mangle]
pub unsafe extern "C" fn rox_set_decode(
    data: *const u8,
    len: usize,
    format: i32,
    out: *mut *mut RoxChartSet,
) -> RoxStatus {
    guard("rox_set_decode", || {
        // SAFETY: the caller's promises are those of `rox_set_decode_limited`.
        unsafe { decode_to_handle(data, len, format, OptionsArg::DEFAULT, out, decoded_set) }
    })
}

/// Decodes every chart of `len` bytes in `format` (a `RoxFormat`; 0 = detect from the bytes)
/// within `limits` (null: the defaults), which cover all the charts together: all charts of
/// a `.sm`/`.ssc`, every chart file of an `.osz`/`.qp` archive (recognised by content; a
/// `format` other than Auto then reads only that format's entries), or the one chart of any
/// other file. A set is never empty. Errors: as `rox_chart_decode_limited`.
///
/// # Safety
/// `data`: borrowed for the call, readable for `len` bytes; may be null only if `len` is 0.
/// `limits`: borrowed for the call (copied); may be null. `out`: borrowed, must not be null;
/// receives a new set owned by the caller (free with `rox_set_free`); set to null on failure.
#[no_mangle]
pub unsafe extern "C" fn rox_set_decode_limited(
    data: *const u8,
    len: usize,
    format: i32,
    limits: *const RoxDecodeLimits,
    out: *mut *mut RoxChartSet,
) -> RoxStatus {
    guard("rox_set_decode_limited", || {
        // SAFETY: caller promises.
        let limits = OptionsArg::Limits(limits);
        unsafe { decode_to_handle(data, len, format, limits, out, decoded_set) }
    })
}

/// Reads what a song-select screen shows of every chart of `len` bytes, fast: the set
/// `rox_set_decode_limited` gives, but with no notes (they are passed over unread; metadata,
/// key count, timing and keysound list are read; the format-specific extras, which only
/// writing a chart back uses, are not). Use `rox_set_count`, the
/// metadata getters on `rox_set_get_chart` copies, and the timing for the BPM; decode the file
/// to play or convert a chart. Errors: as `rox_set_decode_limited` (a note no chart could
/// hold is not seen, so a file that fails to decode may peek fine).
///
/// # Safety
/// As `rox_set_decode_limited`.
#[no_mangle]
pub unsafe extern "C" fn rox_set_peek(
    data: *const u8,
    len: usize,
    format: i32,
    limits: *const RoxDecodeLimits,
    out: *mut *mut RoxChartSet,
) -> RoxStatus {
    guard("rox_set_peek", || {
        // SAFETY: caller promises.
        let limits = OptionsArg::Limits(limits);
        unsafe { decode_to_handle(data, len, format, limits, out, peeked_set) }
    })
}

/// The new handle of the set peek exports.
pub(crate) fn peeked_set(
    data: &[u8],
    format: Format,
    options: &DecodeOptions,
) -> crate::Result<RoxChartSet> {
    Ok(RoxChartSet {
        set: crate::peek_with_options(data, format, options)?,
    })
}

/// The new handle of the set decode exports.
pub(crate) fn decoded_set(
    data: &[u8],
    format: Format,
    options: &DecodeOptions,
) -> crate::Result<RoxChartSet> {
    Ok(RoxChartSet {
        set: crate::decode_set_with_options(data, format, options)?,
    })
}

/// Frees a set (not the charts taken from it, which are independent). Null is ignored. Every
/// set must be freed exactly once.
///
/// # Safety
/// `set`: ownership is taken back from the caller; must be null or a live set from this
/// library that no other thread is using.
#[no_mangle]
pub unsafe extern "C" fn rox_set_free(set: *mut RoxChartSet) {
    guard_void("rox_set_free", || {
        // SAFETY: caller promise: from `rox_set_decode`, freed once.
        unsafe { free_handle(set) }
    })
}

/// Number of charts in a set (at least 1).
///
/// # Safety
/// `set`: borrowed, must not be null. `out_count`: borrowed, must not be null.
#[no_mangle]
pub unsafe extern "C" fn rox_set_count(
    set: *const RoxChartSet,
    out_count: *mut usize,
) -> RoxStatus {
    guard("rox_set_count", || {
        // SAFETY: caller promises.
        let out = unsafe { Out::new(out_count, "out_count") }?;
        out.set(unsafe { set_ref(set) }?.charts.len());
        Ok(())
    })
}

/// Copies chart `index` (below `rox_set_count`) out of the set. `InvalidArgument` for an index
/// out of range.
///
/// # Safety
/// `set`: borrowed, must not be null. `out`: borrowed, must not be null; receives a new chart,
/// independent of the set, owned by the caller (free with `rox_chart_free`); set to null on
/// failure.
#[no_mangle]
pub unsafe extern "C" fn rox_set_get_chart(
    set: *const RoxChartSet,
    index: usize,
    out: *mut *mut RoxChart,
) -> RoxStatus {
    guard("rox_set_get_chart", || {
        // SAFETY: caller promises.
        let out = unsafe { Out::new(out, "out") }?;
        let charts = &unsafe { set_ref(set) }?.charts;
        out.set(chart_handle(item(charts, index, "chart")?.clone()));
        Ok(())
    })
}

/// Number of archive entries that are not charts (audio, images…; names only, never loaded);
/// 0 for a set that does not come from an archive.
///
/// # Safety
/// `set`: borrowed, must not be null. `out_count`: borrowed, must not be null.
#[no_mangle]
pub unsafe extern "C" fn rox_set_resource_count(
    set: *const RoxChartSet,
    out_count: *mut usize,
) -> RoxStatus {
    guard("rox_set_resource_count", || {
        // SAFETY: caller promises.
        let out = unsafe { Out::new(out_count, "out_count") }?;
        out.set(unsafe { set_ref(set) }?.resources.len());
        Ok(())
    })
}

/// The name (path inside the archive, UTF-8, no NUL) of resource `index`. Two-call pattern as
/// `rox_last_error_message`. `InvalidArgument` for an index out of range.
///
/// # Safety
/// `set`: borrowed, must not be null. `buf`: borrowed, caller-owned, writable for `len` bytes
/// (or null if `len` is 0). `out_len`: borrowed, must not be null.
#[no_mangle]
pub unsafe extern "C" fn rox_set_get_resource(
    set: *const RoxChartSet,
    index: usize,
    buf: *mut u8,
    len: usize,
    out_len: *mut usize,
) -> RoxStatus {
    guard("rox_set_get_resource", || {
        // SAFETY: caller promises.
        let out = unsafe { OutBytes::new(buf, len, out_len) }?;
        let resources = &unsafe { set_ref(set) }?.resources;
        out.write(item(resources, index, "resource")?.as_bytes())
    })
}

/// What decoding lost: source data the model has no place for, and archive entries that could
/// not be read (`ChartDropped`). Often empty.
///
/// # Safety
/// `set`: borrowed, must not be null. `out_report`: borrowed, must not be null; receives a new
/// report owned by the caller (free with `rox_report_free`); set to null on failure.
#[no_mangle]
pub unsafe extern "C" fn rox_set_report(
    set: *const RoxChartSet,
    out_report: *mut *mut RoxReport,
) -> RoxStatus {
    guard("rox_set_report", || {
        // SAFETY: caller promises.
        let out = unsafe { Out::new(out_report, "out_report") }?;
        out.set(report_handle(unsafe { set_ref(set) }?.report.clone()));
        Ok(())
    })
}

/// Encodes every chart of the set into one file of `format`, with its report, as
/// `rox_chart_encode_report`. Only formats holding several charts (Sm, Ssc) take a set of more
/// than one chart; others answer `InvalidArgument` (take the charts out and encode each).
///
/// # Safety
/// `set`: borrowed, must not be null. `out_buf`, `out_len`, `out_report`: as
/// `rox_chart_encode_report`.
#[no_mangle]
pub unsafe extern "C" fn rox_set_encode_report(
    set: *const RoxChartSet,
    format: i32,
    out_buf: *mut *mut u8,
    out_len: *mut usize,
    out_report: *mut *mut RoxReport,
) -> RoxStatus {
    guard("rox_set_encode_report", || {
        // SAFETY: caller promises.
        let out = unsafe { ReportOutputs::new(out_buf, out_len, out_report) }?;
        let set = unsafe { set_ref(set) }?;
        out.set(crate::encode_set_with_report(
            &set.charts,
            format_arg(format)?,
        )?);
        Ok(())
    })
}

/// Writes every chart of the set as a `format` file into one archive: `RoxFormat` Osu makes an
/// `.osz`, Qua a `.qp` (any other is `InvalidArgument`). The set's resources (audio, images…)
/// are copied unopened from `source`, the archive the set was read from; without it (null,
/// `source_len` 0) or where an entry is missing, the report says `ResourceDropped`. Report
/// messages start with the chart's entry name. Outputs as `rox_chart_encode_report`.
///
/// # Safety
/// `set`: borrowed, must not be null. `source`: borrowed for the call, readable for
/// `source_len` bytes; may be null only if `source_len` is 0. `out_buf`, `out_len`,
/// `out_report`: as `rox_chart_encode_report`.
#[no_mangle]
pub unsafe extern "C" fn rox_set_encode_archive(
    set: *const RoxChartSet,
    format: i32,
    source: *const u8,
    source_len: usize,
    out_buf: *mut *mut u8,
    out_len: *mut usize,
    out_report: *mut *mut RoxReport,
) -> RoxStatus {
    guard("rox_set_encode_archive", || {
        // SAFETY: caller promises.
        let out = unsafe { ReportOutputs::new(out_buf, out_len, out_report) }?;
        let source = unsafe { in_bytes(source, source_len, "source") }?;
        let set = unsafe { set_ref(set) }?;
        let source = (!source.is_empty()).then_some(source);
        out.set(crate::encode_archive(set, format_arg(format)?, source)?);
        Ok(())
    })
}

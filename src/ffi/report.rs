//! Conversion reports: what an encode (or a decode) could not carry over, read entry by entry,
//! and the encode call that returns one.

use std::mem::{offset_of, size_of};

use super::args::{free_handle, handle_ref, into_handle, Out, OutBuffer, OutBytes, Zero};
use super::chart::{chart_ref, format_arg, RoxChart};
use super::{guard, guard_void, FfiError, FfiResult, RoxStatus};
use crate::model::{ConversionReport, Loss};

/// An opaque, immutable conversion report. Owned by the caller from `rox_chart_encode_report`,
/// `rox_set_encode_report` or `rox_set_report` until exactly one `rox_report_free`. May be read
/// from several threads at once.
pub struct RoxReport {
    pub(crate) report: ConversionReport,
}

/// `RoxLoss.present` bit: `time_us` is given.
pub const ROX_LOSS_TIME: u32 = 1;
/// `RoxLoss.present` bit: `index` is given.
pub const ROX_LOSS_INDEX: u32 = 2;

/// One entry of a report (32 bytes). Its message: `rox_report_message`.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct RoxLoss {
    /// A `RoxLossKind`.
    pub kind: i32,
    /// `ROX_LOSS_TIME` | `ROX_LOSS_INDEX`: which of `time_us` and `index` are given (absent ones
    /// read 0).
    pub present: u32,
    /// Chart time of the affected note or event, µs.
    pub time_us: i64,
    /// Index of the affected note or timing point in the source chart.
    pub index: u64,
    /// For snapped notes and moved events: how far it moved (target − source), µs; else 0.
    pub shift_us: i64,
}

const _: () = {
    assert!(size_of::<RoxLoss>() == 32);
    assert!(offset_of!(RoxLoss, kind) == 0);
    assert!(offset_of!(RoxLoss, present) == 4);
    assert!(offset_of!(RoxLoss, time_us) == 8);
    assert!(offset_of!(RoxLoss, index) == 16);
    assert!(offset_of!(RoxLoss, shift_us) == 24);
};

impl Zero for RoxLoss {
    const ZERO: RoxLoss = RoxLoss {
        kind: 0,
        present: 0,
        time_us: 0,
        index: 0,
        shift_us: 0,
    };
}

impl RoxLoss {
    fn from_loss(loss: &Loss) -> RoxLoss {
        let present =
            loss.time_us.map_or(0, |_| ROX_LOSS_TIME) | loss.index.map_or(0, |_| ROX_LOSS_INDEX);
        RoxLoss {
            kind: loss.kind as i32,
            present,
            time_us: loss.time_us.unwrap_or(0),
            index: loss.index.map_or(0, |i| i as u64),
            shift_us: loss.shift_us,
        }
    }
}

pub(crate) fn report_handle(report: ConversionReport) -> *mut RoxReport {
    into_handle(RoxReport { report })
}

/// The entry `index` of a report, or `InvalidArgument`.
///
/// # Safety
/// As [`handle_ref`].
unsafe fn entry<'a>(report: *const RoxReport, index: usize) -> FfiResult<&'a Loss> {
    // SAFETY: caller promise.
    let entries = &unsafe { handle_ref(report, "report") }?.report.entries;
    entries.get(index).ok_or_else(|| {
        FfiError::invalid(format!(
            "report entry {index} does not exist (the report has {})",
            entries.len()
        ))
    })
}

/// Encodes a chart in `format` (not Auto) into a buffer allocated by this library, with the
/// report of what `format` could not hold or had to change (an empty report: nothing was
/// lost). On success `*out_buf`/`*out_len` are as from `rox_chart_encode_alloc` (free with
/// `rox_free_buffer`) and `*out_report` is a new report owned by the caller (free with
/// `rox_report_free`). On failure they are null, 0 and null.
/// Errors: as `rox_chart_encode_alloc`.
///
/// # Safety
/// `chart`: borrowed, must not be null. `out_buf`, `out_len`, `out_report`: borrowed, must not
/// be null.
#[no_mangle]
pub unsafe extern "C" fn rox_chart_encode_report(
    chart: *const RoxChart,
    format: i32,
    out_buf: *mut *mut u8,
    out_len: *mut usize,
    out_report: *mut *mut RoxReport,
) -> RoxStatus {
    guard("rox_chart_encode_report", || {
        // SAFETY: caller promises.
        let out = unsafe { ReportOutputs::new(out_buf, out_len, out_report) }?;
        let chart = unsafe { chart_ref(chart) }?;
        let format = format_arg(format)?;
        out.set(crate::encode_with_report(chart, format)?);
        Ok(())
    })
}

/// The outputs of the functions that encode with a report, all cleared before any is checked.
pub(crate) struct ReportOutputs {
    bytes: OutBuffer,
    report: Out<*mut RoxReport>,
}

impl ReportOutputs {
    /// # Safety
    /// As [`Out::new`] for each pointer.
    pub unsafe fn new(
        out_buf: *mut *mut u8,
        out_len: *mut usize,
        out_report: *mut *mut RoxReport,
    ) -> FfiResult<ReportOutputs> {
        // SAFETY: forwarded caller promises.
        let (bytes, report) = unsafe {
            (
                OutBuffer::new(out_buf, out_len),
                Out::new(out_report, "out_report"),
            )
        };
        Ok(ReportOutputs {
            bytes: bytes?,
            report: report?,
        })
    }

    pub fn set(self, (bytes, report): (Vec<u8>, ConversionReport)) {
        self.bytes.set(bytes);
        self.report.set(report_handle(report));
    }
}

/// Frees a report. Null is ignored. Every report must be freed exactly once.
///
/// # Safety
/// `report`: ownership is taken back from the caller; must be null or a live report from this
/// library that no other thread is using.
#[no_mangle]
pub unsafe extern "C" fn rox_report_free(report: *mut RoxReport) {
    guard_void("rox_report_free", || {
        // SAFETY: caller promise: from `report_handle`, freed once.
        unsafe { free_handle(report) }
    })
}

/// Number of entries of a report (0: nothing was lost).
///
/// # Safety
/// `report`: borrowed, must not be null. `out_count`: borrowed, must not be null.
#[no_mangle]
pub unsafe extern "C" fn rox_report_count(
    report: *const RoxReport,
    out_count: *mut usize,
) -> RoxStatus {
    guard("rox_report_count", || {
        // SAFETY: caller promises.
        let out = unsafe { Out::new(out_count, "out_count") }?;
        out.set(
            unsafe { handle_ref(report, "report") }?
                .report
                .entries
                .len(),
        );
        Ok(())
    })
}

/// Copies entry `index` (below `rox_report_count`) into `*out`. `InvalidArgument` for an index
/// out of range (then `*out` is all zero).
///
/// # Safety
/// `report`: borrowed, must not be null. `out`: borrowed, must not be null.
#[no_mangle]
pub unsafe extern "C" fn rox_report_get(
    report: *const RoxReport,
    index: usize,
    out: *mut RoxLoss,
) -> RoxStatus {
    guard("rox_report_get", || {
        // SAFETY: caller promises.
        let out = unsafe { Out::new(out, "out") }?;
        out.set(RoxLoss::from_loss(unsafe { entry(report, index) }?));
        Ok(())
    })
}

/// The message of entry `index`, in English (UTF-8, no NUL), e.g. "mine dropped: .osu has no
/// mines". Two-call pattern as `rox_last_error_message`. `InvalidArgument` for an index out of
/// range.
///
/// # Safety
/// `report`: borrowed, must not be null. `buf`: borrowed, caller-owned, writable for `len`
/// bytes (or null if `len` is 0). `out_len`: borrowed, must not be null.
#[no_mangle]
pub unsafe extern "C" fn rox_report_message(
    report: *const RoxReport,
    index: usize,
    buf: *mut u8,
    len: usize,
    out_len: *mut usize,
) -> RoxStatus {
    guard("rox_report_message", || {
        // SAFETY: caller promises.
        let out = unsafe { OutBytes::new(buf, len, out_len) }?;
        out.write(unsafe { entry(report, index) }?.message.as_bytes())
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::LossKind;

    #[test]
    fn loss_fields() {
        let mut report = ConversionReport::default();
        report
            .push(LossKind::NoteSnapped, "snapped")
            .at(3, 1500)
            .shifted(-20);
        report.push(LossKind::MetadataDropped, "genre");
        let [a, b] = [0, 1].map(|i| RoxLoss::from_loss(&report.entries[i]));
        assert_eq!(
            a,
            RoxLoss {
                kind: 0,
                present: ROX_LOSS_TIME | ROX_LOSS_INDEX,
                time_us: 1500,
                index: 3,
                shift_us: -20
            }
        );
        assert_eq!(
            b,
            RoxLoss {
                kind: 5,
                ..RoxLoss::default()
            }
        );
    }
}

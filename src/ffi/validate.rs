//! Validation: the chart's problems as structs, and their descriptions.

use std::mem::{offset_of, size_of};

use super::args::{enum_arg, in_value, OutArray, OutBytes};
use super::chart::{chart_ref, RoxChart};
use super::{guard, FfiError, FfiResult, RoxStatus};
use crate::model::IssueKind;
use crate::ValidationIssue;

/// `RoxIssue.present` bit: `time_us` is given.
pub const ROX_ISSUE_TIME: u32 = 1;
/// `RoxIssue.present` bit: `index` is given.
pub const ROX_ISSUE_INDEX: u32 = 2;

/// One validation problem (24 bytes).
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct RoxIssue {
    /// A `RoxIssueKind`.
    pub kind: i32,
    /// `ROX_ISSUE_TIME` | `ROX_ISSUE_INDEX` for a problem in a note or timing point; 0 for a
    /// chart-wide problem, whose `index` and `time_us` read 0.
    pub present: u32,
    /// Index of the note or timing point the problem is in.
    pub index: u64,
    /// Time of that note or timing point, µs.
    pub time_us: i64,
}

const _: () = {
    assert!(size_of::<RoxIssue>() == 24);
    assert!(offset_of!(RoxIssue, kind) == 0);
    assert!(offset_of!(RoxIssue, present) == 4);
    assert!(offset_of!(RoxIssue, index) == 8);
    assert!(offset_of!(RoxIssue, time_us) == 16);
};

impl RoxIssue {
    fn from_issue(i: &ValidationIssue) -> RoxIssue {
        let present = if i.kind.is_chart_wide() {
            0
        } else {
            ROX_ISSUE_TIME | ROX_ISSUE_INDEX
        };
        RoxIssue {
            kind: i.kind as i32,
            present,
            index: i.index as u64,
            time_us: i.time_us,
        }
    }

    fn to_issue(self) -> FfiResult<ValidationIssue> {
        let kind = enum_arg(self.kind, "issue.kind", IssueKind::from_i32)?;
        if self.present & !(ROX_ISSUE_TIME | ROX_ISSUE_INDEX) != 0 {
            return Err(FfiError::invalid(format!(
                "issue.present has unknown bits: {:#x}",
                self.present
            )));
        }
        let index = usize::try_from(self.index).map_err(|_| {
            FfiError::invalid(format!(
                "issue.index {} does not fit this platform",
                self.index
            ))
        })?;
        Ok(ValidationIssue {
            kind,
            index,
            time_us: self.time_us,
        })
    }
}

/// Checks the chart and reports its problems: returns `Ok` with `*out_count` = the number of
/// problems (0 = the chart is valid and can be encoded) and copies the first `min(len, count)`
/// of them into `buf`, in order of position. `buf` may be null when `len` is 0.
///
/// # Safety
/// `chart`: borrowed, must not be null. `buf`: borrowed, caller-owned, writable for `len`
/// `RoxIssue`s (or null if `len` is 0). `out_count`: borrowed, must not be null.
#[no_mangle]
pub unsafe extern "C" fn rox_chart_validate(
    chart: *const RoxChart,
    buf: *mut RoxIssue,
    len: usize,
    out_count: *mut usize,
) -> RoxStatus {
    guard("rox_chart_validate", || {
        // SAFETY: caller promises.
        let (out, out_count) = unsafe { OutArray::with_count(buf, len, out_count, "out_count") }?;
        let chart = unsafe { chart_ref(chart) }?;
        let issues = chart.validate();
        for (i, issue) in issues.iter().take(out.capacity()).enumerate() {
            out.write_at(i, RoxIssue::from_issue(issue));
        }
        out_count.set(issues.len());
        Ok(())
    })
}

/// Describes a problem in English (UTF-8, no NUL), e.g. "note 3 at 1500 µs: hold or roll has a
/// length of zero or less". Two-call pattern: `*out_len` always receives the length in bytes;
/// if `len` is smaller, returns `BufferTooSmall` and writes nothing to `buf` (`buf` may be null
/// when `len` is 0). `InvalidArgument` if `issue->kind` is not a `RoxIssueKind` or
/// `issue->present` has bits other than `ROX_ISSUE_TIME` and `ROX_ISSUE_INDEX`.
///
/// # Safety
/// `issue`: borrowed for the call, must not be null. `buf`: borrowed, caller-owned, writable
/// for `len` bytes (or null if `len` is 0). `out_len`: borrowed, must not be null.
#[no_mangle]
pub unsafe extern "C" fn rox_issue_describe(
    issue: *const RoxIssue,
    buf: *mut u8,
    len: usize,
    out_len: *mut usize,
) -> RoxStatus {
    guard("rox_issue_describe", || {
        // SAFETY: caller promises.
        let out = unsafe { OutBytes::new(buf, len, out_len) }?;
        let issue = unsafe { in_value(issue, "issue") }?;
        out.write(issue.to_issue()?.to_string().as_bytes())
    })
}

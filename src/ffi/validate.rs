//! Validation: the chart's problems as structs, and their descriptions.

use std::mem::{offset_of, size_of};

use super::args::{enum_arg, in_value, Out, OutArray, OutBytes};
use super::chart::{chart_ref, RoxChart};
use super::{guard, FfiError, FfiResult, RoxStatus};
use crate::model::IssueKind;
use crate::ValidationIssue;

/// Kinds of validation problems (`RoxIssue.kind`), in the order of the model's `IssueKind`.
#[repr(i32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RoxIssueKind {
    /// Key count is not 1 to 18.
    KeyCountOutOfRange = 0,
    /// The chart has no BPM timing point.
    NoBpm = 1,
    /// A note is earlier than the note before it.
    NotesUnsorted = 2,
    /// A note's column is not below the key count.
    ColumnOutOfRange = 3,
    /// A hold or roll has a length of zero or less.
    NonPositiveHoldLength = 4,
    /// A note that is not a hold or roll has a duration.
    DurationOnNonHold = 5,
    /// A note starts before the previous note in its column ends.
    OverlappingNotes = 6,
    /// A timing point is earlier than the one before it.
    TimingUnsorted = 7,
    /// A timing value is NaN or infinite.
    NonFiniteNumber = 8,
    /// A BPM is negative.
    NegativeBpm = 9,
    /// A stop or delay has a negative length.
    NegativeDuration = 10,
    /// A time is beyond ±2^52 µs (or an end time overflows).
    TimeOverflow = 11,
    /// A note's keysound index is not in the keysound list.
    KeysoundOutOfRange = 12,
    /// A BPM is zero: scrolling stops (not fatal; formats without a stop lose it).
    ZeroBpm = 13,
}

const ISSUE_KINDS: [(RoxIssueKind, IssueKind); 14] = [
    (
        RoxIssueKind::KeyCountOutOfRange,
        IssueKind::KeyCountOutOfRange,
    ),
    (RoxIssueKind::NoBpm, IssueKind::NoBpm),
    (RoxIssueKind::NotesUnsorted, IssueKind::NotesUnsorted),
    (RoxIssueKind::ColumnOutOfRange, IssueKind::ColumnOutOfRange),
    (
        RoxIssueKind::NonPositiveHoldLength,
        IssueKind::NonPositiveHoldLength,
    ),
    (
        RoxIssueKind::DurationOnNonHold,
        IssueKind::DurationOnNonHold,
    ),
    (RoxIssueKind::OverlappingNotes, IssueKind::OverlappingNotes),
    (RoxIssueKind::TimingUnsorted, IssueKind::TimingUnsorted),
    (RoxIssueKind::NonFiniteNumber, IssueKind::NonFiniteNumber),
    (RoxIssueKind::NegativeBpm, IssueKind::NegativeBpm),
    (RoxIssueKind::NegativeDuration, IssueKind::NegativeDuration),
    (RoxIssueKind::TimeOverflow, IssueKind::TimeOverflow),
    (
        RoxIssueKind::KeysoundOutOfRange,
        IssueKind::KeysoundOutOfRange,
    ),
    (RoxIssueKind::ZeroBpm, IssueKind::ZeroBpm),
];

fn to_ffi_kind(kind: IssueKind) -> RoxIssueKind {
    // Exhaustive so that a new model kind fails to compile until it gets an ABI number.
    match kind {
        IssueKind::KeyCountOutOfRange => RoxIssueKind::KeyCountOutOfRange,
        IssueKind::NoBpm => RoxIssueKind::NoBpm,
        IssueKind::NotesUnsorted => RoxIssueKind::NotesUnsorted,
        IssueKind::ColumnOutOfRange => RoxIssueKind::ColumnOutOfRange,
        IssueKind::NonPositiveHoldLength => RoxIssueKind::NonPositiveHoldLength,
        IssueKind::DurationOnNonHold => RoxIssueKind::DurationOnNonHold,
        IssueKind::OverlappingNotes => RoxIssueKind::OverlappingNotes,
        IssueKind::TimingUnsorted => RoxIssueKind::TimingUnsorted,
        IssueKind::NonFiniteNumber => RoxIssueKind::NonFiniteNumber,
        IssueKind::NegativeBpm => RoxIssueKind::NegativeBpm,
        IssueKind::NegativeDuration => RoxIssueKind::NegativeDuration,
        IssueKind::TimeOverflow => RoxIssueKind::TimeOverflow,
        IssueKind::KeysoundOutOfRange => RoxIssueKind::KeysoundOutOfRange,
        IssueKind::ZeroBpm => RoxIssueKind::ZeroBpm,
    }
}

fn from_ffi_kind(kind: i32) -> Option<IssueKind> {
    ISSUE_KINDS
        .iter()
        .find(|(f, _)| *f as i32 == kind)
        .map(|(_, k)| *k)
}

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
    /// chart-wide problem, whose `index` and `time_us` read 0. (Was `reserved`, always 0.)
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
            kind: to_ffi_kind(i.kind) as i32,
            present,
            index: i.index as u64,
            time_us: i.time_us,
        }
    }

    fn to_issue(self) -> FfiResult<ValidationIssue> {
        let kind = enum_arg(self.kind, "issue.kind", from_ffi_kind)?;
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
        let chart = unsafe { chart_ref(chart) }?;
        let out = unsafe { OutArray::new(buf, len, "buf") }?;
        let out_count = unsafe { Out::new(out_count, "out_count") }?;
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
        let issue = unsafe { in_value(issue, "issue") }?;
        let out = unsafe { OutBytes::new(buf, len, out_len) }?;
        out.write(issue.to_issue()?.to_string().as_bytes())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_follow_the_model_order() {
        for (i, (ffi, lib)) in ISSUE_KINDS.iter().enumerate() {
            assert_eq!(*ffi as i32, i as i32);
            assert_eq!(to_ffi_kind(*lib), *ffi);
            assert_eq!(from_ffi_kind(i as i32), Some(*lib));
        }
        assert_eq!(from_ffi_kind(14), None);
    }
}

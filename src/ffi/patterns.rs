//! Pattern analysis for song select: sections of stream, jumpstream, handstream, chordjack,
//! jack and technical, and each class's share of the chart (docs/analysis.md, "Patterns").

use std::mem::{offset_of, size_of};

use super::args::OutArray;
use super::chart::{chart_ref, RoxChart};
use super::{guard, RoxStatus};
use crate::analysis::patterns::{patterns, PatternKind, Section};

/// The number of pattern classes: `RoxPatternKind` values are 0 up to it.
pub const ROX_PATTERN_KIND_COUNT: u32 = 6;

const _: () = assert!(ROX_PATTERN_KIND_COUNT as usize == PatternKind::ALL.len());

/// One section of one pattern class (32 bytes).
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct RoxPatternSection {
    /// A `RoxPatternKind`.
    pub kind: i32,
    /// Always 0.
    pub reserved: u32,
    /// Time of the section's first note, µs.
    pub start_us: i64,
    /// Time of the section's last note (its start, for a hold), µs; at least `start_us`.
    pub end_us: i64,
    /// Played notes in the section.
    pub notes: u64,
}

const _: () = {
    assert!(size_of::<RoxPatternSection>() == 32);
    assert!(offset_of!(RoxPatternSection, kind) == 0);
    assert!(offset_of!(RoxPatternSection, reserved) == 4);
    assert!(offset_of!(RoxPatternSection, start_us) == 8);
    assert!(offset_of!(RoxPatternSection, end_us) == 16);
    assert!(offset_of!(RoxPatternSection, notes) == 24);
};

impl From<&Section> for RoxPatternSection {
    fn from(s: &Section) -> RoxPatternSection {
        RoxPatternSection {
            kind: s.kind as i32,
            reserved: 0,
            start_us: s.start_us,
            end_us: s.end_us,
            notes: s.notes,
        }
    }
}

/// Each pattern class's share of the chart's played notes, in windows of `window_us`:
/// `out_shares[k]` for `RoxPatternKind` k, for k below `len` and `ROX_PATTERN_KIND_COUNT`;
/// elements beyond read 0. The shares sum to at most 1 (notes in sparse parts are in no
/// class); all 0 for a chart without a section and for a `window_us` of 0 or less. The whole
/// buffer reads 0 after a failure.
///
/// # Safety
/// `chart`: borrowed, must not be null. `out_shares`: writable for `len` values (null if `len`
/// is 0).
#[no_mangle]
pub unsafe extern "C" fn rox_chart_pattern_shares(
    chart: *const RoxChart,
    window_us: i64,
    out_shares: *mut f64,
    len: usize,
) -> RoxStatus {
    guard("rox_chart_pattern_shares", || {
        // SAFETY: caller promises.
        let out = unsafe { OutArray::new(out_shares, len, "out_shares") }?;
        for i in 0..out.capacity() {
            out.write_at(i, 0.0);
        }
        let chart = unsafe { chart_ref(chart) }?;
        let shares = patterns(chart, window_us).shares;
        for (i, &share) in shares.iter().take(out.capacity()).enumerate() {
            out.write_at(i, share);
        }
        Ok(())
    })
}

/// The pattern sections of the chart in windows of `window_us`, in time order, never
/// overlapping. Two-call pattern: `*out_count` is the number of sections, of which the first
/// `len` are written to `buf` (call with `len` 0 to learn the count). No section for a chart
/// of fewer than three rows of notes and for a `window_us` of 0 or less.
///
/// # Safety
/// `chart`: borrowed, must not be null. `buf`: writable for `len` values (null if `len` is 0).
/// `out_count`: borrowed, must not be null.
#[no_mangle]
pub unsafe extern "C" fn rox_chart_patterns(
    chart: *const RoxChart,
    window_us: i64,
    buf: *mut RoxPatternSection,
    len: usize,
    out_count: *mut usize,
) -> RoxStatus {
    guard("rox_chart_patterns", || {
        // SAFETY: caller promises.
        let (out, out_count) = unsafe { OutArray::with_count(buf, len, out_count, "out_count") }?;
        let chart = unsafe { chart_ref(chart) }?;
        let sections = patterns(chart, window_us).sections;
        for (i, section) in sections.iter().take(out.capacity()).enumerate() {
            out.write_at(i, section.into());
        }
        out_count.set(sections.len());
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ffi::args::free_handle;
    use crate::ffi::chart::chart_handle;
    use crate::{Chart, Note};

    /// The exports give what `patterns` gives: a 4K stream then a trill, 16 windows each.
    #[test]
    fn exports_agree_with_the_rust_analysis() {
        let mut chart = Chart::new(4);
        let step = 83_334;
        for i in 0..192u8 {
            let column = if i < 96 { i % 4 } else { i % 2 };
            chart.notes.push(Note::tap(i64::from(i) * step, column));
        }
        let rust = patterns(&chart, 500_000);
        assert_eq!(rust.sections.len(), 2);
        let handle = chart_handle(chart);
        unsafe {
            let mut shares = [9.0; 7];
            let status = rox_chart_pattern_shares(handle, 500_000, shares.as_mut_ptr(), 7);
            assert_eq!(status, RoxStatus::Ok);
            assert_eq!(shares[..6], rust.shares);
            assert_eq!(shares[6], 0.0);
            let mut count = 0;
            let status = rox_chart_patterns(handle, 500_000, std::ptr::null_mut(), 0, &mut count);
            assert_eq!((status, count), (RoxStatus::Ok, 2));
            // A short buffer gets the first sections and the full count.
            let mut one = [RoxPatternSection::default(); 1];
            let status = rox_chart_patterns(handle, 500_000, one.as_mut_ptr(), 1, &mut count);
            assert_eq!((status, count), (RoxStatus::Ok, 2));
            assert_eq!(one[0], RoxPatternSection::from(&rust.sections[0]));
            let mut two = [RoxPatternSection::default(); 2];
            let status = rox_chart_patterns(handle, 500_000, two.as_mut_ptr(), 2, &mut count);
            assert_eq!((status, count), (RoxStatus::Ok, 2));
            assert_eq!(two[1].kind, PatternKind::Technical as i32);
            assert_eq!(two[1].start_us, 96 * step);
            free_handle(handle);
        }
    }
}

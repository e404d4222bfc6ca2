//! Borrowed views: a chart's notes and timing points as immutable ABI arrays owned by the
//! chart handle, read in place instead of copied.
//!
//! The model keeps `Note` and `TimingPoint`, not their ABI forms, so a handle converts each
//! list once, on its first view, and keeps the array until the chart changes: `chart_mut`
//! drops it, so every export that may change the chart ends the views. A `OnceLock` builds it
//! because readers of one chart may run at once: one of them converts, the others wait for
//! that array and then share it.

use std::sync::OnceLock;

use super::args::{handle_ref, Out, Zero};
use super::chart::RoxChart;
use super::notes::{keysounds_fit, RoxNote};
use super::timing::RoxTimingPoint;
use super::{guard, FfiResult, RoxStatus};
use crate::Chart;

/// The arrays a chart's views borrow, each built on its first view, and what copies of the
/// notes need to know of the whole chart.
#[derive(Default)]
pub(crate) struct ChartViews {
    notes: OnceLock<Box<[RoxNote]>>,
    timing: OnceLock<Box<[RoxTimingPoint]>>,
    every_keysound_fits: OnceLock<bool>,
}

impl ChartViews {
    /// Whether every note's keysound index fits in `RoxNote.keysound`, found once per chart
    /// state: then a copy of notes need not scan its window before writing (the scan costs
    /// as much as the copy).
    pub(crate) fn every_keysound_fits(&self, chart: &Chart) -> bool {
        *self
            .every_keysound_fits
            .get_or_init(|| keysounds_fit(&chart.notes, 0).is_ok())
    }

    fn notes(&self, chart: &Chart) -> FfiResult<&[RoxNote]> {
        if let Some(notes) = self.notes.get() {
            return Ok(notes);
        }
        // Not cached when it fails: the chart stays as it is until a change drops the views.
        if !self.every_keysound_fits(chart) {
            keysounds_fit(&chart.notes, 0)?;
        }
        Ok(self
            .notes
            .get_or_init(|| chart.notes.iter().map(RoxNote::from_note).collect()))
    }

    fn timing(&self, chart: &Chart) -> &[RoxTimingPoint] {
        self.timing.get_or_init(|| {
            let points = chart.timing.iter().map(RoxTimingPoint::from_point);
            points.collect()
        })
    }
}

/// A borrowed array given to the caller: `(const T** out_items, size_t* out_len)`.
struct OutView<T> {
    items: Out<*const T>,
    len: Out<usize>,
}

impl<T> OutView<T> {
    /// Clears both outputs (`NULL`, 0) before checking either.
    ///
    /// # Safety
    /// As [`Out::new`] for both pointers.
    unsafe fn new(items: *mut *const T, len: *mut usize, name: &str) -> FfiResult<OutView<T>> {
        // SAFETY: forwarded caller promise.
        let (items, len) = unsafe { (Out::new(items, name), Out::new(len, "out_len")) };
        Ok(OutView {
            items: items?,
            len: len?,
        })
    }

    /// Points the caller at `items`; an empty array is `(NULL, 0)`.
    fn set(self, items: &[T]) {
        let ptr = if items.is_empty() {
            <*const T>::ZERO
        } else {
            items.as_ptr()
        };
        self.items.set(ptr);
        self.len.set(items.len());
    }
}

/// Borrows the chart's notes without copying them: `*out_notes` points to `*out_len` notes,
/// the ones `rox_chart_copy_notes` copies, in an immutable array owned by the chart (NULL
/// and 0 for a chart without notes). The first view after a change builds the array (one
/// allocation, the cost of one full copy); later views return the same pointer. It stays
/// valid and unchanged until the next call given this chart as `RoxChart*` (not `const`),
/// whether that call succeeds or not, or `rox_chart_free`; so do not change the chart while
/// reading the array. Several threads may view and read one chart at once. `InvalidChart` as
/// `rox_chart_copy_notes`, for a decoded keysound index beyond int32.
///
/// # Safety
/// `chart`: borrowed, must not be null. `out_notes`, `out_len`: borrowed, must not be null.
/// The array must not be written or freed by the caller.
#[no_mangle]
pub unsafe extern "C" fn rox_chart_notes_view(
    chart: *const RoxChart,
    out_notes: *mut *const RoxNote,
    out_len: *mut usize,
) -> RoxStatus {
    guard("rox_chart_notes_view", || {
        // SAFETY: caller promises. Both outputs are cleared before either is checked.
        let out = unsafe { OutView::new(out_notes, out_len, "out_notes") }?;
        let handle = unsafe { handle_ref(chart, "chart") }?;
        out.set(handle.views.notes(&handle.chart)?);
        Ok(())
    })
}

/// Borrows the chart's timing points without copying them, as `rox_chart_notes_view` borrows
/// the notes: `*out_points` points to `*out_len` points, those `rox_chart_copy_timing`
/// copies, valid and unchanged until the next call given this chart as `RoxChart*` or
/// `rox_chart_free`.
///
/// # Safety
/// `chart`: borrowed, must not be null. `out_points`, `out_len`: borrowed, must not be null.
/// The array must not be written or freed by the caller.
#[no_mangle]
pub unsafe extern "C" fn rox_chart_timing_view(
    chart: *const RoxChart,
    out_points: *mut *const RoxTimingPoint,
    out_len: *mut usize,
) -> RoxStatus {
    guard("rox_chart_timing_view", || {
        // SAFETY: caller promises. Both outputs are cleared before either is checked.
        let out = unsafe { OutView::new(out_points, out_len, "out_points") }?;
        let handle = unsafe { handle_ref(chart, "chart") }?;
        out.set(handle.views.timing(&handle.chart));
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ffi::chart::chart_handle;
    use crate::ffi::{
        rox_chart_clear_notes, rox_chart_copy_notes, rox_chart_free, rox_chart_set_info,
        RoxChartInfo,
    };
    use crate::model::{Note, TimingPoint};
    use std::ptr::null;

    fn notes_view(chart: *const RoxChart) -> (RoxStatus, *const RoxNote, usize) {
        let (mut ptr, mut len) = (null(), usize::MAX);
        let status = unsafe { rox_chart_notes_view(chart, &mut ptr, &mut len) };
        (status, ptr, len)
    }

    fn sample_chart() -> Chart {
        let mut chart = Chart::new(4);
        chart.notes = vec![Note::tap(0, 1), Note::hold(10, 5, 2)];
        chart.timing = vec![TimingPoint::bpm(0, 120.0, 4), TimingPoint::scroll(5, 0.5)];
        chart
    }

    #[test]
    fn views_are_the_converted_lists_and_stay_put_until_a_change() {
        let chart = sample_chart();
        let handle = chart_handle(chart.clone());
        let (status, ptr, len) = notes_view(handle);
        assert_eq!((status, len), (RoxStatus::Ok, 2));
        let notes = unsafe { std::slice::from_raw_parts(ptr, len) };
        let expected: Vec<RoxNote> = chart.notes.iter().map(RoxNote::from_note).collect();
        assert_eq!(notes, expected);
        assert_eq!(notes_view(handle), (RoxStatus::Ok, ptr, 2));

        let (mut points, mut count) = (null(), 0);
        let status = unsafe { rox_chart_timing_view(handle, &mut points, &mut count) };
        assert_eq!((status, count), (RoxStatus::Ok, 2));
        let points = unsafe { std::slice::from_raw_parts(points, count) };
        assert_eq!(points[1], RoxTimingPoint::from_point(&chart.timing[1]));

        // A refused change ends the views too: the rule is "any call taking `RoxChart*`".
        let bad_info = RoxChartInfo::ZERO;
        let status = unsafe { rox_chart_set_info(handle, &bad_info) };
        assert_eq!(status, RoxStatus::InvalidArgument);
        assert!(unsafe { &(*handle).views }.notes.get().is_none());
        assert_eq!(unsafe { rox_chart_clear_notes(handle) }, RoxStatus::Ok);
        assert_eq!(notes_view(handle), (RoxStatus::Ok, null(), 0));
        unsafe { rox_chart_free(handle) };
    }

    #[test]
    fn a_keysound_beyond_int32_fails_the_view_and_is_not_cached() {
        let mut chart = sample_chart();
        chart.notes[1].keysound = Some(1 << 31);
        let handle = chart_handle(chart);
        for _ in 0..2 {
            assert_eq!(notes_view(handle), (RoxStatus::InvalidChart, null(), 0));
        }
        // Copies fail only for a window holding that note, and then write nothing.
        let copy = |start, len| {
            let mut buf = [RoxNote::default(); 2];
            let mut written = usize::MAX;
            let status =
                unsafe { rox_chart_copy_notes(handle, start, buf.as_mut_ptr(), len, &mut written) };
            (status, written, buf[0])
        };
        let first = RoxNote::from_note(&Note::tap(0, 1));
        assert_eq!(copy(0, 1), (RoxStatus::Ok, 1, first));
        let untouched = RoxNote::default();
        assert_eq!(copy(0, 2), (RoxStatus::InvalidChart, 0, untouched));
        assert_eq!(copy(1, 1), (RoxStatus::InvalidChart, 0, untouched));
        unsafe { rox_chart_free(handle) };
    }

    #[test]
    fn concurrent_first_views_share_one_array() {
        let handle = chart_handle(sample_chart()) as usize;
        let pointers: Vec<usize> = std::thread::scope(|s| {
            let views: Vec<_> = (0..4)
                .map(|_| s.spawn(move || notes_view(handle as *const RoxChart).1 as usize))
                .collect();
            views.into_iter().map(|v| v.join().unwrap()).collect()
        });
        assert!(pointers.iter().all(|&p| p != 0 && p == pointers[0]));
        unsafe { rox_chart_free(handle as *mut RoxChart) };
    }
}

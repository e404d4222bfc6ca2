//! Timelines: a chart's beats, grid lines, snaps and scroll positions (docs/timeline.md), built
//! once and queried every frame. Batch queries take caller arrays so that a frame costs one
//! call.

use std::mem::{offset_of, size_of};

use super::args::{enum_arg, free_handle, handle_ref, in_array, into_handle, Out, OutArray};
use super::chart::{chart_ref, RoxChart};
use super::notes::copy_range;
use super::{guard, guard_void, FfiResult, RoxStatus};
use crate::timeline::{GridLine, Rules, ScrollAlgorithm, Timeline, TimelineOptions};

/// An opaque, immutable timeline. Owned by the caller from `rox_timeline_new` until exactly one
/// `rox_timeline_free`; independent of the chart it was built from (which may change or be
/// freed). May be queried from several threads at once.
pub struct RoxTimeline {
    pub timeline: Timeline,
}

/// One bar or beat line (24 bytes).
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct RoxGridLine {
    /// Time of the line, µs.
    pub time_us: i64,
    /// Measure number (negative before the first timing point).
    pub measure: i64,
    /// Beat within the measure, from 0.
    pub beat_in_measure: u32,
    /// 1 for a bar line that is drawn, else 0 (a beat line, or a bar line the chart omits).
    pub is_bar: u32,
}

const _: () = {
    assert!(size_of::<RoxGridLine>() == 24);
    assert!(offset_of!(RoxGridLine, time_us) == 0);
    assert!(offset_of!(RoxGridLine, measure) == 8);
    assert!(offset_of!(RoxGridLine, beat_in_measure) == 16);
    assert!(offset_of!(RoxGridLine, is_bar) == 20);
};

/// Where a note is drawn: the scroll positions of its start and its end (16 bytes).
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct RoxNotePosition {
    /// Position of the note's start.
    pub start: f64,
    /// Position of its end (equal to `start` for notes without a duration).
    pub end: f64,
}

const _: () = assert!(size_of::<RoxNotePosition>() == 16);

impl From<GridLine> for RoxGridLine {
    fn from(l: GridLine) -> RoxGridLine {
        RoxGridLine {
            time_us: l.time_us,
            measure: l.measure,
            beat_in_measure: l.beat_in_measure,
            is_bar: u32::from(l.is_bar),
        }
    }
}

/// # Safety
/// A non-null `p` must come from `rox_timeline_new` and not be freed during `'a`.
pub(super) unsafe fn timeline_ref<'a>(p: *const RoxTimeline) -> FfiResult<&'a Timeline> {
    // SAFETY: caller promise.
    Ok(&unsafe { handle_ref(p, "timeline") }?.timeline)
}

/// Builds the timeline of `chart` under `rules` (a `RoxTimelineRules`: whose game's rules;
/// `rox_format` does not record it) with `scroll` (a `RoxScrollAlgorithm`). O(n log n).
/// `InvalidChart` when the chart has notes but no usable BPM, a time beyond ±2^52 µs, unsorted
/// notes or a column of 18 or more; `ParseError` when a Quaver chart's kept scroll group extras
/// (`qua.TimingGroups`, `qua.HitObjects`) are not valid; `InvalidArgument` for an unknown
/// `rules` or `scroll`.
///
/// # Safety
/// `chart`: borrowed for the call, must not be null. `out`: borrowed, must not be null;
/// receives a new timeline owned by the caller (free with `rox_timeline_free`); null on failure.
#[no_mangle]
pub unsafe extern "C" fn rox_timeline_new(
    chart: *const RoxChart,
    rules: i32,
    scroll: i32,
    out: *mut *mut RoxTimeline,
) -> RoxStatus {
    guard("rox_timeline_new", || {
        // SAFETY: caller promises.
        let out = unsafe { Out::new(out, "out") }?;
        let chart = unsafe { chart_ref(chart) }?;
        let options = TimelineOptions {
            rules: enum_arg(rules, "rules", Rules::from_i32)?,
            scroll: enum_arg(scroll, "scroll", ScrollAlgorithm::from_i32)?,
        };
        let timeline = Timeline::new(chart, options)?;
        out.set(into_handle(RoxTimeline { timeline }));
        Ok(())
    })
}

/// Frees a timeline. Null is ignored. Every timeline must be freed exactly once.
///
/// # Safety
/// `timeline`: ownership is taken back; null or a live timeline no other thread is using.
#[no_mangle]
pub unsafe extern "C" fn rox_timeline_free(timeline: *mut RoxTimeline) {
    guard_void("rox_timeline_free", || {
        // SAFETY: caller promise: from `rox_timeline_new`, freed once.
        unsafe { free_handle(timeline) }
    })
}

/// The beat at `time_us` (fractional; stops and delays hold it, warps jump it).
/// `InvalidArgument` for a time beyond ±2^52 µs.
///
/// # Safety
/// `timeline`: borrowed, must not be null. `out_beat`: borrowed, must not be null.
#[no_mangle]
pub unsafe extern "C" fn rox_timeline_beat_at(
    timeline: *const RoxTimeline,
    time_us: i64,
    out_beat: *mut f64,
) -> RoxStatus {
    guard("rox_timeline_beat_at", || {
        // SAFETY: caller promises.
        let out = unsafe { Out::new(out_beat, "out_beat") }?;
        out.set(unsafe { timeline_ref(timeline) }?.beat_at(time_us)?);
        Ok(())
    })
}

/// The time of `beat`, µs (rounded). `InvalidArgument` for a NaN or infinite beat.
///
/// # Safety
/// `timeline`: borrowed, must not be null. `out_time_us`: borrowed, must not be null.
#[no_mangle]
pub unsafe extern "C" fn rox_timeline_time_at(
    timeline: *const RoxTimeline,
    beat: f64,
    out_time_us: *mut i64,
) -> RoxStatus {
    guard("rox_timeline_time_at", || {
        // SAFETY: caller promises.
        let out = unsafe { Out::new(out_time_us, "out_time_us") }?;
        out.set(unsafe { timeline_ref(timeline) }?.time_at(beat)?);
        Ok(())
    })
}

/// The scroll position at `time_us`: how far the playfield has travelled (ms at 1.0× speed
/// for osu! and Quaver rules, displayed beats for StepMania; docs/timeline.md).
/// `InvalidArgument` for a time beyond ±2^52 µs.
///
/// # Safety
/// `timeline`: borrowed, must not be null. `out_position`: borrowed, must not be null.
#[no_mangle]
pub unsafe extern "C" fn rox_timeline_position_at(
    timeline: *const RoxTimeline,
    time_us: i64,
    out_position: *mut f64,
) -> RoxStatus {
    guard("rox_timeline_position_at", || {
        // SAFETY: caller promises.
        let out = unsafe { Out::new(out_position, "out_position") }?;
        out.set(unsafe { timeline_ref(timeline) }?.position_at(time_us)?);
        Ok(())
    })
}

/// The factor on note spacing at `time_us`: draw a note (its position − the position at
/// `time_us`) × this from the receptors. StepMania's `#SPEEDS`; 1 under osu! and Quaver rules,
/// with constant scroll and without `#SPEEDS`; may be 0 or negative (docs/timeline.md).
/// `InvalidArgument` for a time beyond ±2^52 µs.
///
/// # Safety
/// `timeline`: borrowed, must not be null. `out_factor`: borrowed, must not be null.
#[no_mangle]
pub unsafe extern "C" fn rox_timeline_speed_factor_at(
    timeline: *const RoxTimeline,
    time_us: i64,
    out_factor: *mut f64,
) -> RoxStatus {
    guard("rox_timeline_speed_factor_at", || {
        // SAFETY: caller promises.
        let out = unsafe { Out::new(out_factor, "out_factor") }?;
        out.set(unsafe { timeline_ref(timeline) }?.speed_factor_at(time_us)?);
        Ok(())
    })
}

/// Which batch query to run.
#[derive(Clone, Copy)]
enum Batch {
    Beats,
    Positions,
}

/// The batch queries: `len` times in, `len` values out, all or nothing.
///
/// # Safety
/// As `rox_timeline_positions`.
unsafe fn batch(
    timeline: *const RoxTimeline,
    times_us: *const i64,
    len: usize,
    out: *mut f64,
    query: Batch,
) -> FfiResult {
    // SAFETY: caller promises.
    let out = unsafe { OutArray::new(out, len, "out") }?;
    let timeline = unsafe { timeline_ref(timeline) }?;
    let times = unsafe { in_array(times_us, len, "times_us") }?;
    let values = match query {
        Batch::Beats => times
            .iter()
            .map(|&t| timeline.beat_at(t))
            .collect::<crate::Result<Vec<f64>>>()?,
        Batch::Positions => timeline.positions(&times)?,
    };
    for (i, v) in values.into_iter().enumerate() {
        out.write_at(i, v);
    }
    Ok(())
}

/// The beats at `len` times: `out_beats[i]` = beat at `times_us[i]`. All or nothing: on a bad
/// time (`InvalidArgument`, naming none in particular) nothing is written.
///
/// # Safety
/// `timeline`: borrowed, must not be null. `times_us`: readable for `len` values; `out_beats`:
/// writable for `len` values; either may be null only if `len` is 0.
#[no_mangle]
pub unsafe extern "C" fn rox_timeline_beats(
    timeline: *const RoxTimeline,
    times_us: *const i64,
    len: usize,
    out_beats: *mut f64,
) -> RoxStatus {
    guard("rox_timeline_beats", || {
        // SAFETY: forwarded caller promises.
        unsafe { batch(timeline, times_us, len, out_beats, Batch::Beats) }
    })
}

/// The scroll positions at `len` times, as `rox_timeline_beats` gives beats.
///
/// # Safety
/// As `rox_timeline_beats`.
#[no_mangle]
pub unsafe extern "C" fn rox_timeline_positions(
    timeline: *const RoxTimeline,
    times_us: *const i64,
    len: usize,
    out_positions: *mut f64,
) -> RoxStatus {
    guard("rox_timeline_positions", || {
        // SAFETY: forwarded caller promises.
        unsafe { batch(timeline, times_us, len, out_positions, Batch::Positions) }
    })
}

/// Copies the snap of notes `start..` (one byte each, in the chart's note order: the smallest
/// d of 1, 2, 3, 4, 6, 8, 12, 16, 24, 32, 48, 64, 96, 192 with the note on a 1/d beat, else 0)
/// into `buf`: `min(len, count - start)` of them, `*out_written` saying how many.
///
/// # Safety
/// `timeline`: borrowed, must not be null. `buf`: writable for `len` bytes (null if `len` is
/// 0). `out_written`: borrowed, must not be null.
#[no_mangle]
pub unsafe extern "C" fn rox_timeline_copy_snaps(
    timeline: *const RoxTimeline,
    start: usize,
    buf: *mut u8,
    len: usize,
    out_written: *mut usize,
) -> RoxStatus {
    guard("rox_timeline_copy_snaps", || {
        // SAFETY: caller promises.
        let (out, out_written) =
            unsafe { OutArray::with_count(buf, len, out_written, "out_written") }?;
        let snaps = unsafe { timeline_ref(timeline) }?.snaps();
        copy_range(&snaps, start, out, out_written, |&s| s)
    })
}

/// Copies the start and end positions of notes `start..` (the chart's note order) into `buf`,
/// as `rox_timeline_copy_snaps` copies snaps.
///
/// # Safety
/// `timeline`: borrowed, must not be null. `buf`: writable for `len` structs (null if `len` is
/// 0). `out_written`: borrowed, must not be null.
#[no_mangle]
pub unsafe extern "C" fn rox_timeline_copy_note_positions(
    timeline: *const RoxTimeline,
    start: usize,
    buf: *mut RoxNotePosition,
    len: usize,
    out_written: *mut usize,
) -> RoxStatus {
    guard("rox_timeline_copy_note_positions", || {
        // SAFETY: caller promises.
        let (out, out_written) =
            unsafe { OutArray::with_count(buf, len, out_written, "out_written") }?;
        let positions = unsafe { timeline_ref(timeline) }?.note_positions();
        copy_range(&positions, start, out, out_written, |&(start, end)| {
            RoxNotePosition { start, end }
        })
    })
}

/// The bar and beat lines from `from_us` to `to_us` (both included), in time order. Two-call
/// pattern: `*out_count` always receives how many there are; the first `min(len, count)` are
/// copied into `buf`. `InvalidArgument` for a time beyond ±2^52 µs.
///
/// # Safety
/// `timeline`: borrowed, must not be null. `buf`: writable for `len` structs (null if `len` is
/// 0). `out_count`: borrowed, must not be null.
#[no_mangle]
pub unsafe extern "C" fn rox_timeline_grid_lines(
    timeline: *const RoxTimeline,
    from_us: i64,
    to_us: i64,
    buf: *mut RoxGridLine,
    len: usize,
    out_count: *mut usize,
) -> RoxStatus {
    guard("rox_timeline_grid_lines", || {
        // SAFETY: caller promises.
        let (out, out_count) = unsafe { OutArray::with_count(buf, len, out_count, "out_count") }?;
        let timeline = unsafe { timeline_ref(timeline) }?;
        let mut count = 0;
        for line in timeline.grid_lines(from_us, to_us)? {
            if count < out.capacity() {
                out.write_at(count, line.into());
            }
            count += 1;
        }
        out_count.set(count);
        Ok(())
    })
}

/// The notes whose start position lies in `[low, high]`: indexes `*out_start..*out_end` of the
/// chart's notes, for drawing what is on screen. O(log n). `InvalidArgument` for NaN bounds, or
/// where positions go backwards (negative Quaver SVs, StepMania scrolls) or the notes' positions
/// are out of time order (Quaver's float rounding, hours in), since no index range can hold the
/// answer there, and where notes are in several Quaver scroll groups (each drawn
/// by its own group's position: `rox_timeline_notes_in_view` answers that).
///
/// # Safety
/// `timeline`: borrowed, must not be null. `out_start`, `out_end`: borrowed, must not be null.
#[no_mangle]
pub unsafe extern "C" fn rox_timeline_notes_in_position_window(
    timeline: *const RoxTimeline,
    low: f64,
    high: f64,
    out_start: *mut usize,
    out_end: *mut usize,
) -> RoxStatus {
    guard("rox_timeline_notes_in_position_window", || {
        // SAFETY: caller promises.
        let out_start = unsafe { Out::new(out_start, "out_start") }?;
        let out_end = unsafe { Out::new(out_end, "out_end") }?;
        let range = unsafe { timeline_ref(timeline) }?.notes_in_position_window(low, high)?;
        out_start.set(range.start);
        out_end.set(range.end);
        Ok(())
    })
}

/// The notes of `column` whose start lies in `[from_us, to_us]`, for judging: their indexes in
/// the chart's note order, in time order. Two-call pattern: `*out_count` always receives how
/// many; the first `min(len, count)` are copied into `buf`. O(log n + k).
///
/// # Safety
/// `timeline`: borrowed, must not be null. `buf`: writable for `len` values (null if `len` is
/// 0). `out_count`: borrowed, must not be null.
#[no_mangle]
pub unsafe extern "C" fn rox_timeline_notes_in_time_window(
    timeline: *const RoxTimeline,
    column: u8,
    from_us: i64,
    to_us: i64,
    buf: *mut u32,
    len: usize,
    out_count: *mut usize,
) -> RoxStatus {
    guard("rox_timeline_notes_in_time_window", || {
        // SAFETY: caller promises.
        let (out, out_count) = unsafe { OutArray::with_count(buf, len, out_count, "out_count") }?;
        let timeline = unsafe { timeline_ref(timeline) }?;
        let notes = timeline.notes_in_time_window(column, from_us, to_us)?;
        for (i, &index) in notes.iter().take(out.capacity()).enumerate() {
            out.write_at(i, index);
        }
        out_count.set(notes.len());
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ffi::chart::chart_handle;
    use crate::model::{Note, TimingPoint};
    use std::ptr::{null, null_mut};

    fn timeline_of(chart: &crate::Chart) -> *mut RoxTimeline {
        let handle = chart_handle(chart.clone());
        let mut out = null_mut();
        let status = unsafe { rox_timeline_new(handle, 0, 0, &mut out) };
        unsafe { free_handle(handle) };
        assert_eq!(status, RoxStatus::Ok);
        out
    }

    #[test]
    fn queries_agree_with_the_rust_timeline() {
        let mut chart = crate::Chart::new(4);
        chart.timing.push(TimingPoint::bpm(0, 120.0, 4));
        chart.notes = (0..8)
            .map(|i| Note::tap(i * 250_000, (i % 4) as u8))
            .collect();
        let rust = Timeline::new(&chart, TimelineOptions::default()).unwrap();
        let tl = timeline_of(&chart);
        unsafe {
            let times = [0i64, 250_000, 1_000_000];
            let mut beats = [9.0; 3];
            assert_eq!(
                rox_timeline_beats(tl, times.as_ptr(), 3, beats.as_mut_ptr()),
                RoxStatus::Ok
            );
            assert_eq!(beats, [0.0, 0.5, 2.0]);
            let mut positions = [0.0; 3];
            assert_eq!(
                rox_timeline_positions(tl, times.as_ptr(), 3, positions.as_mut_ptr()),
                RoxStatus::Ok
            );
            assert_eq!(positions[2], rust.position_at(1_000_000).unwrap());
            let mut t = 0;
            assert_eq!(rox_timeline_time_at(tl, 2.0, &mut t), RoxStatus::Ok);
            assert_eq!(t, 1_000_000);
            let mut factor = 9.0;
            let status = rox_timeline_speed_factor_at(tl, 0, &mut factor);
            assert_eq!((status, factor), (RoxStatus::Ok, 1.0));
            let status = rox_timeline_speed_factor_at(tl, i64::MAX, &mut factor);
            assert_eq!((status, factor), (RoxStatus::InvalidArgument, 0.0));
            let mut snaps = [0u8; 8];
            let mut n = 0;
            assert_eq!(
                rox_timeline_copy_snaps(tl, 0, snaps.as_mut_ptr(), 8, &mut n),
                RoxStatus::Ok
            );
            assert_eq!((n, snaps.to_vec()), (8, rust.snaps()));
            let (mut start, mut end) = (9, 9);
            let status =
                rox_timeline_notes_in_position_window(tl, 0.0, 600.0, &mut start, &mut end);
            assert_eq!((status, start, end), (RoxStatus::Ok, 0, 3));
            let mut lines = [RoxGridLine::default(); 2];
            let mut count = 0;
            let status =
                rox_timeline_grid_lines(tl, 0, 2_000_000, lines.as_mut_ptr(), 2, &mut count);
            assert_eq!((status, count), (RoxStatus::Ok, 5));
            assert_eq!(
                lines[0],
                RoxGridLine {
                    time_us: 0,
                    measure: 0,
                    beat_in_measure: 0,
                    is_bar: 1
                }
            );
            let mut found = [0u32; 4];
            let status = rox_timeline_notes_in_time_window(
                tl,
                0,
                0,
                1_000_000,
                found.as_mut_ptr(),
                4,
                &mut count,
            );
            assert_eq!(
                (status, count, found[0], found[1]),
                (RoxStatus::Ok, 2, 0, 4)
            );
            // A bad time anywhere in a batch writes nothing.
            let bad = [0, i64::MAX];
            let mut out = [7.0; 2];
            let status = rox_timeline_positions(tl, bad.as_ptr(), 2, out.as_mut_ptr());
            assert_eq!((status, out), (RoxStatus::InvalidArgument, [7.0, 7.0]));
            rox_timeline_free(tl);
        }
    }

    #[test]
    fn a_sorted_batch_gives_what_single_queries_give() {
        // Speed changes every 300 ms, several tempos: the one-pass path must land on the
        // same segment, and the same value, as each single query.
        let mut chart = crate::Chart::new(4);
        chart.timing.push(TimingPoint::bpm(0, 120.0, 4));
        chart.timing.push(TimingPoint::bpm(1_000_000, 180.0, 4));
        for i in 0..20 {
            chart
                .timing
                .push(TimingPoint::scroll(i * 300_000, 0.5 + (i % 5) as f64 * 0.4));
        }
        chart.sort();
        chart.notes = (0..40)
            .map(|i| Note::tap(i * 150_000, (i % 4) as u8))
            .collect();
        let rust = Timeline::new(&chart, TimelineOptions::default()).unwrap();
        let sorted: Vec<i64> = (0..5000).map(|i| i * 1_301 - 200_000).collect();
        let mut shuffled = sorted.clone();
        shuffled.reverse();
        for times in [sorted, shuffled] {
            let single: Vec<f64> = times
                .iter()
                .map(|&t| rust.position_at(t).unwrap())
                .collect();
            assert_eq!(rust.positions(&times).unwrap(), single);
        }
    }

    #[test]
    fn a_chart_without_tempo_is_refused_and_outputs_are_cleared() {
        let mut chart = crate::Chart::new(4);
        chart.notes.push(Note::tap(0, 0));
        let handle = chart_handle(chart);
        unsafe {
            let mut out: *mut RoxTimeline = 0xDEAD as *mut RoxTimeline;
            assert_eq!(
                rox_timeline_new(handle, 0, 0, &mut out),
                RoxStatus::InvalidChart
            );
            assert!(out.is_null());
            out = 0xDEAD as *mut RoxTimeline;
            assert_eq!(
                rox_timeline_new(handle, 7, 0, &mut out),
                RoxStatus::InvalidArgument
            );
            assert!(out.is_null());
            let mut beat = 5.0;
            assert_eq!(
                rox_timeline_beat_at(null(), 0, &mut beat),
                RoxStatus::NullPointer
            );
            assert_eq!(beat, 0.0);
            free_handle(handle);
        }
    }
}

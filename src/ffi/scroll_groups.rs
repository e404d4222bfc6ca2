//! The scroll groups of a timeline (Quaver's `TimingGroups`; one group under other rules):
//! each note is drawn at its own position minus its group's position, so a game asks for each
//! group's position once a frame (docs/timeline.md).

use super::args::{Out, OutArray};
use super::notes::copy_range;
use super::timeline::{timeline_ref, RoxTimeline};
use super::{guard, RoxStatus};

/// How many scroll groups place notes: 1, except under Quaver rules for a map with
/// `TimingGroups` (group 0 is `$Default`, the playfield's; then the map's groups in file order,
/// `$Default` left out).
///
/// # Safety
/// `timeline`: borrowed, must not be null. `out_count`: borrowed, must not be null.
#[no_mangle]
pub unsafe extern "C" fn rox_timeline_scroll_group_count(
    timeline: *const RoxTimeline,
    out_count: *mut usize,
) -> RoxStatus {
    guard("rox_timeline_scroll_group_count", || {
        // SAFETY: caller promises.
        let out = unsafe { Out::new(out_count, "out_count") }?;
        out.set(unsafe { timeline_ref(timeline) }?.scroll_group_count());
        Ok(())
    })
}

/// Copies the scroll group of notes `start..` (in the chart's note order; 0 for the
/// playfield's) into `buf`, as `rox_timeline_copy_snaps` copies snaps.
///
/// # Safety
/// `timeline`: borrowed, must not be null. `buf`: writable for `len` values (null if `len` is
/// 0). `out_written`: borrowed, must not be null.
#[no_mangle]
pub unsafe extern "C" fn rox_timeline_copy_note_groups(
    timeline: *const RoxTimeline,
    start: usize,
    buf: *mut u32,
    len: usize,
    out_written: *mut usize,
) -> RoxStatus {
    guard("rox_timeline_copy_note_groups", || {
        // SAFETY: caller promises.
        let (out, out_written) =
            unsafe { OutArray::with_count(buf, len, out_written, "out_written") }?;
        let groups = unsafe { timeline_ref(timeline) }?.note_groups();
        copy_range(&groups, start, out, out_written, |&g| g)
    })
}

/// The scroll position of `group` at `time_us` (`rox_timeline_position_at` is group 0's).
/// `InvalidArgument` for a group the timeline does not have and a time beyond ±2^52 µs.
///
/// # Safety
/// `timeline`: borrowed, must not be null. `out_position`: borrowed, must not be null.
#[no_mangle]
pub unsafe extern "C" fn rox_timeline_position_in_group(
    timeline: *const RoxTimeline,
    group: u32,
    time_us: i64,
    out_position: *mut f64,
) -> RoxStatus {
    guard("rox_timeline_position_in_group", || {
        // SAFETY: caller promises.
        let out = unsafe { Out::new(out_position, "out_position") }?;
        let timeline = unsafe { timeline_ref(timeline) }?;
        out.set(timeline.position_in_group(group as usize, time_us)?);
        Ok(())
    })
}

/// The notes drawn within `[low, high]` of the judgement line at `time_us`: those whose start
/// position lies within their own group's position at `time_us` plus `low` ..= plus `high`,
/// as indexes in the chart's note order, ascending. Two-call pattern as
/// `rox_timeline_notes_in_time_window`. `InvalidArgument` for a NaN bound, a time beyond
/// ±2^52 µs, and where positions go backwards in a group that has notes.
///
/// # Safety
/// `timeline`: borrowed, must not be null. `buf`: writable for `len` values (null if `len` is
/// 0). `out_count`: borrowed, must not be null.
#[no_mangle]
pub unsafe extern "C" fn rox_timeline_notes_in_view(
    timeline: *const RoxTimeline,
    time_us: i64,
    low: f64,
    high: f64,
    buf: *mut u32,
    len: usize,
    out_count: *mut usize,
) -> RoxStatus {
    guard("rox_timeline_notes_in_view", || {
        // SAFETY: caller promises.
        let (out, out_count) = unsafe { OutArray::with_count(buf, len, out_count, "out_count") }?;
        let notes = unsafe { timeline_ref(timeline) }?.notes_in_view(time_us, low, high)?;
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
    use crate::ffi::args::free_handle;
    use crate::ffi::chart::chart_handle;
    use crate::ffi::timeline::{rox_timeline_free, rox_timeline_new};
    use crate::timeline::{Rules, Timeline, TimelineOptions};
    use std::ptr::null_mut;

    const GROUPS: &str = "Mode: Keys4\nBPMDoesNotAffectScrollVelocity: true\n\
        InitialScrollVelocity: 1\nTimingPoints:\n- StartTime: 0\n  Bpm: 120\n\
        HitObjects:\n- StartTime: 0\n  Lane: 1\n- StartTime: 500\n  Lane: 2\n  TimingGroup: half\n\
        - StartTime: 1000\n  Lane: 3\nTimingGroups:\n  half: !ScrollGroup\n    InitialScrollVelocity: 0.5\n";

    #[test]
    fn groups_agree_with_the_rust_timeline() {
        let chart = crate::decode(GROUPS.as_bytes(), crate::Format::Qua).unwrap();
        let rust = Timeline::new(&chart, TimelineOptions::for_rules(Rules::Quaver)).unwrap();
        let handle = chart_handle(chart);
        let mut tl = null_mut();
        unsafe {
            let quaver = Rules::Quaver as i32;
            assert_eq!(rox_timeline_new(handle, quaver, 0, &mut tl), RoxStatus::Ok);
            free_handle(handle);
            let mut count = 0;
            assert_eq!(
                rox_timeline_scroll_group_count(tl, &mut count),
                RoxStatus::Ok
            );
            assert_eq!(count, 2);
            let mut groups = [9u32; 3];
            let status = rox_timeline_copy_note_groups(tl, 0, groups.as_mut_ptr(), 3, &mut count);
            assert_eq!((status, count, groups), (RoxStatus::Ok, 3, [0, 1, 0]));
            let mut position = 0.0;
            let status = rox_timeline_position_in_group(tl, 1, 800_000, &mut position);
            assert_eq!((status, position), (RoxStatus::Ok, 400.0));
            let status = rox_timeline_position_in_group(tl, 2, 0, &mut position);
            assert_eq!((status, position), (RoxStatus::InvalidArgument, 0.0));
            // At 500 ms the playfield is at 500 and the half-speed group at 250: only the
            // group's note is within 0..=0 of its group's position.
            let mut found = [9u32; 2];
            let status = rox_timeline_notes_in_view(
                tl,
                500_000,
                0.0,
                0.0,
                found.as_mut_ptr(),
                2,
                &mut count,
            );
            assert_eq!((status, count, found[0]), (RoxStatus::Ok, 1, 1));
            assert_eq!(rust.notes_in_view(500_000, 0.0, 0.0).unwrap(), [1]);
            rox_timeline_free(tl);
        }
    }
}

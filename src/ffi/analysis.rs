//! Chart analysis for song select (docs/analysis.md): statistics, density, content hash, file
//! MD5 and the osu!mania star rating.

use std::mem::{offset_of, size_of};

use super::args::{in_bytes, Out, OutArray, Zero};
use super::chart::{chart_ref, RoxChart};
use super::{guard, FfiResult, RoxStatus};
use crate::analysis::star::star_rating;
use crate::analysis::{self, ChartStats};
use crate::model::NoteKind;

/// The scalar statistics of a chart (144 bytes). Times in µs; every figure but the per-kind
/// counts is over played notes (taps, holds, rolls, lifts). All 0 for a chart without notes.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RoxChartStats {
    /// `sizeof(RoxChartStats)` (144), written by `rox_chart_get_stats`.
    pub struct_size: u32,
    /// Most holds and rolls held at the same time.
    pub max_simultaneous_holds: u32,
    /// Taps.
    pub tap_count: u64,
    /// Holds.
    pub hold_count: u64,
    /// Rolls.
    pub roll_count: u64,
    /// Mines.
    pub mine_count: u64,
    /// Lifts.
    pub lift_count: u64,
    /// Fakes.
    pub fake_count: u64,
    /// Start of the first played note.
    pub first_note_us: i64,
    /// Latest end of a played note (holds included).
    pub last_note_end_us: i64,
    /// `last_note_end_us - first_note_us`.
    pub length_us: i64,
    /// Total length of the breaks osu! would place between the notes.
    pub break_us: i64,
    /// `length_us - break_us`.
    pub drain_us: i64,
    /// Longest hold or roll.
    pub longest_hold_us: i64,
    /// Lowest usable BPM (positive, finite); 0 without any.
    pub bpm_min: f64,
    /// Highest usable BPM; 0 without any.
    pub bpm_max: f64,
    /// The BPM that lasts longest until the last note (osu!'s "most common BPM").
    pub bpm_dominant: f64,
    /// Played notes per second over `length_us` (0 when the chart lasts no time).
    pub average_nps: f64,
    /// Most played notes starting within one second (0 when the chart lasts no time);
    /// `rox_chart_max_nps` takes other windows.
    pub max_nps: f64,
}

const _: () = {
    assert!(size_of::<RoxChartStats>() == 144);
    assert!(offset_of!(RoxChartStats, max_simultaneous_holds) == 4);
    assert!(offset_of!(RoxChartStats, tap_count) == 8);
    assert!(offset_of!(RoxChartStats, fake_count) == 48);
    assert!(offset_of!(RoxChartStats, first_note_us) == 56);
    assert!(offset_of!(RoxChartStats, longest_hold_us) == 96);
    assert!(offset_of!(RoxChartStats, bpm_min) == 104);
    assert!(offset_of!(RoxChartStats, max_nps) == 136);
};

impl Zero for RoxChartStats {
    const ZERO: RoxChartStats = RoxChartStats {
        struct_size: 0,
        max_simultaneous_holds: 0,
        tap_count: 0,
        hold_count: 0,
        roll_count: 0,
        mine_count: 0,
        lift_count: 0,
        fake_count: 0,
        first_note_us: 0,
        last_note_end_us: 0,
        length_us: 0,
        break_us: 0,
        drain_us: 0,
        longest_hold_us: 0,
        bpm_min: 0.0,
        bpm_max: 0.0,
        bpm_dominant: 0.0,
        average_nps: 0.0,
        max_nps: 0.0,
    };
}

impl From<&ChartStats> for RoxChartStats {
    fn from(s: &ChartStats) -> RoxChartStats {
        let kind = |k: NoteKind| s.kind_counts[k as usize];
        RoxChartStats {
            struct_size: size_of::<RoxChartStats>() as u32,
            max_simultaneous_holds: s.max_simultaneous_holds,
            tap_count: kind(NoteKind::Tap),
            hold_count: kind(NoteKind::Hold),
            roll_count: kind(NoteKind::Roll),
            mine_count: kind(NoteKind::Mine),
            lift_count: kind(NoteKind::Lift),
            fake_count: kind(NoteKind::Fake),
            first_note_us: s.first_note_us,
            last_note_end_us: s.last_note_end_us,
            length_us: s.length_us,
            break_us: s.break_us,
            drain_us: s.drain_us,
            longest_hold_us: s.longest_hold_us,
            bpm_min: s.bpm.min,
            bpm_max: s.bpm.max,
            bpm_dominant: s.bpm.dominant,
            average_nps: s.average_nps,
            max_nps: s.max_nps,
        }
    }
}

/// The scalar statistics of a chart. O(n) for a valid chart; never fails on its content.
///
/// # Safety
/// `chart`: borrowed, must not be null. `out`: borrowed, caller-owned, must not be null;
/// all zero on failure.
#[no_mangle]
pub unsafe extern "C" fn rox_chart_get_stats(
    chart: *const RoxChart,
    out: *mut RoxChartStats,
) -> RoxStatus {
    guard("rox_chart_get_stats", || {
        // SAFETY: caller promises.
        let out = unsafe { Out::new(out, "out") }?;
        let chart = unsafe { chart_ref(chart) }?;
        out.set((&analysis::statistics(chart)).into());
        Ok(())
    })
}

/// Which array of the statistics to copy.
#[derive(Clone, Copy)]
enum StatsArray {
    Columns,
    Chords,
}

/// The two-call copy of a statistics array.
///
/// # Safety
/// As `rox_chart_copy_column_counts`.
unsafe fn copy_stats_array(
    chart: *const RoxChart,
    buf: *mut u64,
    len: usize,
    out_count: *mut usize,
    which: StatsArray,
) -> FfiResult {
    // SAFETY: forwarded caller promises.
    let (out, out_count) = unsafe { OutArray::with_count(buf, len, out_count, "out_count") }?;
    let stats = analysis::statistics(unsafe { chart_ref(chart) }?);
    let values = match which {
        StatsArray::Columns => stats.column_counts,
        StatsArray::Chords => stats.chord_sizes,
    };
    for (i, &v) in values.iter().take(out.capacity()).enumerate() {
        out.write_at(i, v);
    }
    out_count.set(values.len());
    Ok(())
}

/// Played notes per column. Two-call pattern: `*out_count` always receives the number of
/// columns (the key count, more if a note lies beyond it); the first `min(len, count)` are
/// copied into `buf`.
///
/// # Safety
/// `chart`: borrowed, must not be null. `buf`: caller-owned, writable for `len` values (null
/// if `len` is 0). `out_count`: borrowed, must not be null.
#[no_mangle]
pub unsafe extern "C" fn rox_chart_copy_column_counts(
    chart: *const RoxChart,
    buf: *mut u64,
    len: usize,
    out_count: *mut usize,
) -> RoxStatus {
    guard("rox_chart_copy_column_counts", || {
        // SAFETY: forwarded caller promises.
        unsafe { copy_stats_array(chart, buf, len, out_count, StatsArray::Columns) }
    })
}

/// The chord-size histogram: `buf[k]` = how many times exactly `k` played notes start
/// together (`buf[0]` is 0). Two-call pattern as `rox_chart_copy_column_counts`; the count
/// is the largest chord plus one (0 without notes).
///
/// # Safety
/// As `rox_chart_copy_column_counts`.
#[no_mangle]
pub unsafe extern "C" fn rox_chart_copy_chord_sizes(
    chart: *const RoxChart,
    buf: *mut u64,
    len: usize,
    out_count: *mut usize,
) -> RoxStatus {
    guard("rox_chart_copy_chord_sizes", || {
        // SAFETY: forwarded caller promises.
        unsafe { copy_stats_array(chart, buf, len, out_count, StatsArray::Chords) }
    })
}

/// The density curve in `len` buckets: `out_buckets[i]` = played notes starting in the i-th
/// of `len` equal slices from the first note's start to the last note's end. Nothing is
/// written on failure.
///
/// # Safety
/// `chart`: borrowed, must not be null. `out_buckets`: caller-owned, writable for `len`
/// values (null if `len` is 0).
#[no_mangle]
pub unsafe extern "C" fn rox_chart_density(
    chart: *const RoxChart,
    out_buckets: *mut u64,
    len: usize,
) -> RoxStatus {
    guard("rox_chart_density", || {
        // SAFETY: caller promises.
        let out = unsafe { OutArray::new(out_buckets, len, "out_buckets") }?;
        let chart = unsafe { chart_ref(chart) }?;
        for (i, count) in analysis::density(chart, len).into_iter().enumerate() {
            out.write_at(i, count);
        }
        Ok(())
    })
}

/// The most played notes starting within any `window_us` (half-open), per second; 0 for a
/// window that is not positive or a chart that lasts no time.
///
/// # Safety
/// `chart`: borrowed, must not be null. `out_nps`: borrowed, must not be null.
#[no_mangle]
pub unsafe extern "C" fn rox_chart_max_nps(
    chart: *const RoxChart,
    window_us: i64,
    out_nps: *mut f64,
) -> RoxStatus {
    guard("rox_chart_max_nps", || {
        // SAFETY: caller promises.
        let out = unsafe { Out::new(out_nps, "out_nps") }?;
        out.set(analysis::max_nps(unsafe { chart_ref(chart) }?, window_us));
        Ok(())
    })
}

/// The content hash: XXH3-64 of the canonical form of the notes and timing (version 1,
/// docs/analysis.md), equal for charts that play the same whatever their format or metadata.
///
/// # Safety
/// `chart`: borrowed, must not be null. `out_hash`: borrowed, must not be null.
#[no_mangle]
pub unsafe extern "C" fn rox_chart_content_hash(
    chart: *const RoxChart,
    out_hash: *mut u64,
) -> RoxStatus {
    guard("rox_chart_content_hash", || {
        // SAFETY: caller promises.
        let out = unsafe { Out::new(out_hash, "out_hash") }?;
        out.set(analysis::content_hash(unsafe { chart_ref(chart) }?));
        Ok(())
    })
}

/// The MD5 of `len` bytes (a file's, as osu! and Quaver key their leaderboards) into the 16
/// bytes at `out_md5`, which are zeroed first.
///
/// # Safety
/// `data`: borrowed for the call, readable for `len` bytes; may be null only if `len` is 0.
/// `out_md5`: caller-owned, writable for 16 bytes, must not be null.
#[no_mangle]
pub unsafe extern "C" fn rox_file_md5(data: *const u8, len: usize, out_md5: *mut u8) -> RoxStatus {
    guard("rox_file_md5", || {
        // SAFETY: caller promises.
        let out = unsafe { OutArray::new(out_md5, 16, "out_md5") }?;
        for i in 0..16 {
            out.write_at(i, 0);
        }
        let data = unsafe { in_bytes(data, len, "data") }?;
        for (i, byte) in analysis::file_md5(data).into_iter().enumerate() {
            out.write_at(i, byte);
        }
        Ok(())
    })
}

/// The osu!mania star rating of the chart played at `clock_rate` (1 normal speed, 1.5
/// DoubleTime, 0.75 HalfTime): osu! lazer's difficulty calculation, as rosu-pp 4.0.1 computes
/// it, of the chart as `.osu` would hold it (mines and fakes left out, rolls as holds, lifts
/// as taps). 0 for a chart of fewer than two notes. `InvalidArgument` for a clock rate outside
/// 0.01..=100 (or NaN) or a note further than ±2^31 ms from zero; `InvalidChart` for a key
/// count outside 1..=18 or a note beyond it. `*out` reads 0 after any failure.
///
/// # Safety
/// `chart`: borrowed, must not be null. `out`: borrowed, caller-owned, must not be null.
#[no_mangle]
pub unsafe extern "C" fn rox_chart_star_rating(
    chart: *const RoxChart,
    clock_rate: f64,
    out: *mut f64,
) -> RoxStatus {
    guard("rox_chart_star_rating", || {
        // SAFETY: caller promises.
        let out = unsafe { Out::new(out, "out") }?;
        let chart = unsafe { chart_ref(chart) }?;
        out.set(star_rating(chart, clock_rate)?);
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ffi::{rox_chart_add_notes, rox_chart_add_timing, rox_chart_free, rox_chart_new};
    use crate::ffi::{RoxNote, RoxTimingPoint};
    use std::ptr::{null, null_mut};

    /// 4K at 120 BPM: a chord of 2 at 0 ms, a 1 s hold at 500 ms, a tap at 3 s.
    fn chart() -> *mut RoxChart {
        let note = |time_ms: i64, duration_ms: i64, column: u8, kind: NoteKind| RoxNote {
            time_us: time_ms * 1000,
            duration_us: duration_ms * 1000,
            column,
            kind: kind as u8,
            keysound: -1,
            ..RoxNote::default()
        };
        let notes = [
            note(0, 0, 0, NoteKind::Tap),
            note(0, 0, 1, NoteKind::Tap),
            note(500, 1000, 2, NoteKind::Hold),
            note(3000, 0, 3, NoteKind::Tap),
        ];
        let bpm = RoxTimingPoint {
            value: 120.0,
            meter: 4,
            volume: 100,
            ..RoxTimingPoint::default()
        };
        let mut chart = null_mut();
        unsafe {
            assert_eq!(rox_chart_new(4, &mut chart), RoxStatus::Ok);
            assert_eq!(rox_chart_add_notes(chart, notes.as_ptr(), 4), RoxStatus::Ok);
            assert_eq!(rox_chart_add_timing(chart, &bpm, 1), RoxStatus::Ok);
        }
        chart
    }

    #[test]
    fn exports_agree_with_the_rust_analysis() {
        let chart = chart();
        let rust = unsafe { &(*chart).chart };
        unsafe {
            let mut stats = RoxChartStats::ZERO;
            assert_eq!(rox_chart_get_stats(chart, &mut stats), RoxStatus::Ok);
            assert_eq!(stats, (&analysis::statistics(rust)).into());
            assert_eq!(stats.struct_size, 144);
            assert_eq!((stats.tap_count, stats.hold_count), (3, 1));
            assert_eq!((stats.length_us, stats.bpm_dominant), (3_000_000, 120.0));

            let mut columns = [9u64; 2];
            let mut count = 0;
            let status = rox_chart_copy_column_counts(chart, columns.as_mut_ptr(), 2, &mut count);
            assert_eq!((status, count, columns), (RoxStatus::Ok, 4, [1, 1]));
            let mut chords = [9u64; 3];
            let status = rox_chart_copy_chord_sizes(chart, chords.as_mut_ptr(), 3, &mut count);
            assert_eq!((status, count, chords), (RoxStatus::Ok, 3, [0, 2, 1]));
            let status = rox_chart_copy_chord_sizes(chart, null_mut(), 0, &mut count);
            assert_eq!((status, count), (RoxStatus::Ok, 3));

            let mut buckets = [9u64; 3];
            let status = rox_chart_density(chart, buckets.as_mut_ptr(), 3);
            assert_eq!((status, buckets), (RoxStatus::Ok, [3, 0, 1]));
            let mut nps = 0.0;
            assert_eq!(rox_chart_max_nps(chart, 2_000_000, &mut nps), RoxStatus::Ok);
            assert_eq!(nps, 1.5);

            let mut hash = 0;
            assert_eq!(rox_chart_content_hash(chart, &mut hash), RoxStatus::Ok);
            assert_eq!(hash, analysis::content_hash(rust));
            rox_chart_free(chart);
        }
    }

    #[test]
    fn md5_of_bytes() {
        let mut md5 = [7u8; 16];
        unsafe {
            assert_eq!(
                rox_file_md5(b"abc".as_ptr(), 3, md5.as_mut_ptr()),
                RoxStatus::Ok
            );
            assert_eq!(md5, analysis::file_md5(b"abc"));
            assert_eq!(rox_file_md5(null(), 0, md5.as_mut_ptr()), RoxStatus::Ok);
            assert_eq!(md5, analysis::file_md5(b""));
        }
    }
}

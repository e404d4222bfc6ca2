//! Timing points: count, bulk copy out, bulk add (all-or-nothing), clear.

use std::mem::{offset_of, size_of};

use super::args::{in_array, Out, OutArray};
use super::chart::{chart_mut, chart_ref, RoxChart};
use super::notes::copy_range;
use super::{guard, time_in_range, FfiError, FfiResult, RoxStatus};
use crate::{TimingKind, TimingPoint};

/// Timing point kinds (the `int32_t` field `RoxTimingPoint.kind`).
#[repr(i32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RoxTimingKind {
    /// Tempo from this time on: `value` = BPM (> 0), `meter` = beats per measure.
    Bpm = 0,
    /// Scroll-velocity multiplier in `value` (1.0 = normal speed).
    Scroll = 1,
    /// Scrolling pauses for `duration_us` after notes at this time are hit.
    Stop = 2,
    /// Scrolling pauses for `duration_us` before notes at this time are hit.
    Delay = 3,
    /// `value` beats are skipped in zero time from here.
    Warp = 4,
}

/// One timing event (40 bytes). Fields a kind does not use are 0.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct RoxTimingPoint {
    /// Time from the start of the audio, µs.
    pub time_us: i64,
    /// Bpm: BPM; Scroll: multiplier; Warp: beats skipped; else 0.
    pub value: f64,
    /// Stop, Delay: length in µs (>= 0); else 0.
    pub duration_us: i64,
    /// A `RoxTimingKind`.
    pub kind: i32,
    /// Bpm: beats per measure; else 0.
    pub meter: u32,
    /// Default custom sample index for notes from here (osu!).
    pub sample_index: u32,
    /// Default sample bank for notes from here: 0 inherit, 1 normal, 2 soft, 3 drum.
    pub sample_set: u8,
    /// Default hit sound volume 0..=100.
    pub volume: u8,
    /// Effect bits: 1 kiai, 8 omit first bar line.
    pub effects: u8,
    /// Must be 0.
    pub reserved: u8,
}

const _: () = {
    assert!(size_of::<RoxTimingPoint>() == 40);
    assert!(offset_of!(RoxTimingPoint, time_us) == 0);
    assert!(offset_of!(RoxTimingPoint, value) == 8);
    assert!(offset_of!(RoxTimingPoint, duration_us) == 16);
    assert!(offset_of!(RoxTimingPoint, kind) == 24);
    assert!(offset_of!(RoxTimingPoint, meter) == 28);
    assert!(offset_of!(RoxTimingPoint, sample_index) == 32);
    assert!(offset_of!(RoxTimingPoint, sample_set) == 36);
    assert!(offset_of!(RoxTimingPoint, volume) == 37);
    assert!(offset_of!(RoxTimingPoint, effects) == 38);
    assert!(offset_of!(RoxTimingPoint, reserved) == 39);
};

impl RoxTimingPoint {
    fn from_point(t: &TimingPoint, _index: usize) -> FfiResult<RoxTimingPoint> {
        let (kind, value, duration_us, meter) = match t.kind {
            TimingKind::Bpm { bpm, meter } => (RoxTimingKind::Bpm, bpm, 0, meter),
            TimingKind::Scroll { multiplier } => (RoxTimingKind::Scroll, multiplier, 0, 0),
            TimingKind::Stop { duration_us } => (RoxTimingKind::Stop, 0.0, duration_us, 0),
            TimingKind::Delay { duration_us } => (RoxTimingKind::Delay, 0.0, duration_us, 0),
            TimingKind::Warp { beats } => (RoxTimingKind::Warp, beats, 0, 0),
        };
        Ok(RoxTimingPoint {
            time_us: t.time_us,
            value,
            duration_us,
            kind: kind as i32,
            meter,
            sample_index: t.sample_index,
            sample_set: t.sample_set,
            volume: t.volume,
            effects: t.effects,
            reserved: 0,
        })
    }

    /// Checks one point to be added; `index` is its position in the caller's array.
    fn to_point(self, index: usize) -> FfiResult<TimingPoint> {
        let at = |what: String| format!("points[{index}]: {what}");
        let unused = |name: &str, is_zero: bool, kind: &str| -> FfiResult {
            if is_zero {
                Ok(())
            } else {
                Err(FfiError::invalid(at(format!(
                    "{name} must be 0 for a {kind} point"
                ))))
            }
        };
        if self.reserved != 0 {
            return Err(FfiError::invalid(at("reserved must be 0".into())));
        }
        let finite = |what: &str| -> FfiResult<f64> {
            if self.value.is_finite() {
                Ok(self.value)
            } else {
                Err(FfiError::invalid_chart(at(format!(
                    "{what} is {}; it must be finite",
                    self.value
                ))))
            }
        };
        let kind = match self.kind {
            0 => {
                unused("duration_us", self.duration_us == 0, "bpm")?;
                let bpm = finite("the BPM")?;
                if bpm < 0.0 {
                    return Err(FfiError::invalid_chart(at(format!(
                        "BPM {bpm} is negative"
                    ))));
                }
                TimingKind::Bpm {
                    bpm,
                    meter: self.meter,
                }
            }
            1 => {
                unused("duration_us", self.duration_us == 0, "scroll")?;
                unused("meter", self.meter == 0, "scroll")?;
                TimingKind::Scroll {
                    multiplier: finite("the scroll multiplier")?,
                }
            }
            2 | 3 => {
                let name = if self.kind == 2 { "stop" } else { "delay" };
                unused("value", self.value == 0.0, name)?;
                unused("meter", self.meter == 0, name)?;
                if self.duration_us < 0 {
                    return Err(FfiError::invalid_chart(at(format!(
                        "a {name} has a negative length ({} µs)",
                        self.duration_us
                    ))));
                }
                if self.kind == 2 {
                    TimingKind::Stop {
                        duration_us: self.duration_us,
                    }
                } else {
                    TimingKind::Delay {
                        duration_us: self.duration_us,
                    }
                }
            }
            4 => {
                unused("duration_us", self.duration_us == 0, "warp")?;
                unused("meter", self.meter == 0, "warp")?;
                TimingKind::Warp {
                    beats: finite("the warp length")?,
                }
            }
            k => {
                return Err(FfiError::invalid(at(format!(
                    "kind {k} is not a RoxTimingKind (0 to 4)"
                ))))
            }
        };
        if !time_in_range(self.time_us) {
            return Err(FfiError::invalid_chart(at(format!(
                "time {} µs is beyond ±2^52 µs",
                self.time_us
            ))));
        }
        Ok(TimingPoint {
            time_us: self.time_us,
            kind,
            sample_set: self.sample_set,
            sample_index: self.sample_index,
            volume: self.volume,
            effects: self.effects,
        })
    }
}

/// Number of timing points in the chart.
///
/// # Safety
/// `chart`: borrowed, must not be null. `out_count`: borrowed, must not be null.
#[no_mangle]
pub unsafe extern "C" fn rox_chart_timing_count(
    chart: *const RoxChart,
    out_count: *mut usize,
) -> RoxStatus {
    guard("rox_chart_timing_count", || {
        // SAFETY: caller promises.
        let chart = unsafe { chart_ref(chart) }?;
        let out = unsafe { Out::new(out_count, "out_count") }?;
        out.set(chart.timing.len());
        Ok(())
    })
}

/// Copies timing points `start..start + n` into `buf`, where `n = min(len, count - start)`,
/// and sets `*out_written` to `n`. Points are in time order. `start == count` copies nothing;
/// `start > count` is `InvalidArgument`. `buf` may be null when `len` is 0.
///
/// # Safety
/// `chart`: borrowed, must not be null. `buf`: borrowed, caller-owned, writable for `len`
/// `RoxTimingPoint`s (or null if `len` is 0). `out_written`: borrowed, must not be null.
#[no_mangle]
pub unsafe extern "C" fn rox_chart_copy_timing(
    chart: *const RoxChart,
    start: usize,
    buf: *mut RoxTimingPoint,
    len: usize,
    out_written: *mut usize,
) -> RoxStatus {
    guard("rox_chart_copy_timing", || {
        // SAFETY: caller promises.
        let chart = unsafe { chart_ref(chart) }?;
        let out = unsafe { OutArray::new(buf, len, "buf") }?;
        let out_written = unsafe { Out::new(out_written, "out_written") }?;
        copy_range(
            &chart.timing,
            start,
            out,
            out_written,
            RoxTimingPoint::from_point,
        )
    })
}

/// Adds `len` timing points, all or nothing: every point is checked first and on any failure
/// the chart is unchanged. `InvalidArgument`: `kind` not a `RoxTimingKind`, `reserved` not 0,
/// a field the kind does not use not 0. `InvalidChart`: NaN/infinite `value`, BPM <= 0,
/// negative stop/delay length, time beyond ±2^52 µs. The message names the first bad point
/// (`points[i]`). Afterwards the points are in time order; at equal times, existing points come
/// first, then the new ones in the order given.
///
/// # Safety
/// `chart`: borrowed exclusively for the call, must not be null. `points`: borrowed for the
/// call (copied), readable for `len` `RoxTimingPoint`s; may be null only if `len` is 0.
#[no_mangle]
pub unsafe extern "C" fn rox_chart_add_timing(
    chart: *mut RoxChart,
    points: *const RoxTimingPoint,
    len: usize,
) -> RoxStatus {
    guard("rox_chart_add_timing", || {
        // SAFETY: caller promises.
        let chart = unsafe { chart_mut(chart) }?;
        let points = unsafe { in_array(points, len, "points") }?;
        let new = points
            .iter()
            .enumerate()
            .map(|(i, p)| p.to_point(i))
            .collect::<FfiResult<Vec<TimingPoint>>>()?;
        chart.timing.extend(new);
        chart.timing.sort_by_key(|t| t.time_us);
        Ok(())
    })
}

/// Removes every timing point.
///
/// # Safety
/// `chart`: borrowed exclusively for the call, must not be null.
#[no_mangle]
pub unsafe extern "C" fn rox_chart_clear_timing(chart: *mut RoxChart) -> RoxStatus {
    guard("rox_chart_clear_timing", || {
        // SAFETY: caller promise.
        let chart = unsafe { chart_mut(chart) }?;
        chart.timing.clear();
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_round_trips() {
        let points = [
            TimingPoint::bpm(0, 120.0, 4),
            TimingPoint::scroll(1, 0.5),
            TimingPoint::new(2, TimingKind::Stop { duration_us: 3 }),
            TimingPoint::new(3, TimingKind::Delay { duration_us: 4 }),
            TimingPoint::new(4, TimingKind::Warp { beats: 2.5 }),
        ];
        for (i, p) in points.iter().enumerate() {
            let raw = RoxTimingPoint::from_point(p, i).unwrap();
            assert_eq!(raw.kind, i as i32);
            assert_eq!(raw.to_point(i).unwrap(), *p);
        }
    }

    fn point(kind: RoxTimingKind, value: f64, duration_us: i64, meter: u32) -> RoxTimingPoint {
        RoxTimingPoint {
            kind: kind as i32,
            value,
            duration_us,
            meter,
            ..RoxTimingPoint::default()
        }
    }

    /// The status and message `to_point` refuses `raw` with, if it does.
    fn refusal(raw: RoxTimingPoint) -> Option<(RoxStatus, String)> {
        raw.to_point(0).err().map(|e| (e.status, e.message))
    }

    fn status(raw: RoxTimingPoint) -> Option<RoxStatus> {
        refusal(raw).map(|(status, _)| status)
    }

    #[test]
    fn a_bpm_may_be_zero_but_not_negative_or_non_finite() {
        use RoxTimingKind::Bpm;
        // Zero stops the scrolling (Quaver, osu!); the validator only warns about it.
        assert_eq!(status(point(Bpm, 0.0, 0, 4)), None);
        for bad in [-1.0, -f64::MIN_POSITIVE, f64::NAN, f64::INFINITY] {
            assert_eq!(status(point(Bpm, bad, 0, 4)), Some(RoxStatus::InvalidChart));
        }
        assert_eq!(
            status(point(Bpm, 120.0, 1, 4)),
            Some(RoxStatus::InvalidArgument)
        );
    }

    #[test]
    fn stops_and_delays_have_a_length_and_nothing_else() {
        for (kind, name) in [
            (RoxTimingKind::Stop, "stop"),
            (RoxTimingKind::Delay, "delay"),
        ] {
            assert_eq!(status(point(kind, 0.0, 0, 0)), None);
            let (status, message) = refusal(point(kind, 0.0, -1, 0)).expect("negative length");
            assert_eq!(status, RoxStatus::InvalidChart);
            assert!(
                message.contains(&format!("a {name} has a negative length")),
                "{message}"
            );
            for unused in [point(kind, 1.0, 5, 0), point(kind, 0.0, 5, 4)] {
                assert_eq!(refusal(unused).unwrap().0, RoxStatus::InvalidArgument);
            }
        }
    }

    #[test]
    fn scrolls_and_warps_use_only_their_value() {
        for kind in [RoxTimingKind::Scroll, RoxTimingKind::Warp] {
            assert_eq!(status(point(kind, 0.5, 0, 0)), None);
            assert_eq!(
                status(point(kind, f64::NAN, 0, 0)),
                Some(RoxStatus::InvalidChart)
            );
            for unused in [point(kind, 0.5, 1, 0), point(kind, 0.5, 0, 4)] {
                assert_eq!(status(unused), Some(RoxStatus::InvalidArgument));
            }
        }
    }

    #[test]
    fn kind_reserved_and_time_are_checked() {
        let bpm = point(RoxTimingKind::Bpm, 120.0, 0, 4);
        let limit = super::super::MAX_ABS_TIME_US;
        for (raw, expected) in [
            (
                RoxTimingPoint { kind: 5, ..bpm },
                Some(RoxStatus::InvalidArgument),
            ),
            (
                RoxTimingPoint { reserved: 1, ..bpm },
                Some(RoxStatus::InvalidArgument),
            ),
            (
                RoxTimingPoint {
                    time_us: -limit,
                    ..bpm
                },
                None,
            ),
            (
                RoxTimingPoint {
                    time_us: limit + 1,
                    ..bpm
                },
                Some(RoxStatus::InvalidChart),
            ),
        ] {
            assert_eq!(status(raw), expected, "{raw:?}");
        }
    }
}

//! Timing points: count, bulk copy out, bulk add (all-or-nothing), clear.

use std::mem::{offset_of, size_of};

use super::args::{in_array, Out, OutArray};
use super::chart::{chart_mut, chart_ref, RoxChart};
use super::notes::copy_range;
use super::{guard, FfiError, FfiResult, RoxStatus};
use crate::model::{check_timing_point, TimingKind, TimingPoint, TimingTag, ValidationIssue};

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
    pub(crate) fn from_point(t: &TimingPoint) -> RoxTimingPoint {
        let (value, duration_us, meter) = match t.kind {
            TimingKind::Bpm { bpm, meter } => (bpm, 0, meter),
            TimingKind::Scroll { multiplier } => (multiplier, 0, 0),
            TimingKind::Stop { duration_us } | TimingKind::Delay { duration_us } => {
                (0.0, duration_us, 0)
            }
            TimingKind::Warp { beats } => (beats, 0, 0),
        };
        RoxTimingPoint {
            time_us: t.time_us,
            value,
            duration_us,
            kind: t.kind.tag() as i32,
            meter,
            sample_index: t.sample_index,
            sample_set: t.sample_set,
            volume: t.volume,
            effects: t.effects,
            reserved: 0,
        }
    }

    /// Checks one point to be added; `index` is its position in the caller's array. The ABI's
    /// own rules (a known kind, zero in the fields the kind does not use) come first; then the
    /// model's rules for a timing point, the ones `validate` applies.
    fn to_point(self, index: usize) -> FfiResult<TimingPoint> {
        let at = |what: String| format!("points[{index}]: {what}");
        if self.reserved != 0 {
            return Err(FfiError::invalid(at("reserved must be 0".into())));
        }
        let tag = TimingTag::from_i32(self.kind).ok_or_else(|| {
            FfiError::invalid(at(format!(
                "kind {} is not a RoxTimingKind (0 to {})",
                self.kind,
                TimingTag::ALL.len() - 1
            )))
        })?;
        let point = TimingPoint {
            time_us: self.time_us,
            kind: self
                .kind_values(tag)
                .map_err(|e| FfiError::invalid(at(e)))?,
            sample_set: self.sample_set,
            sample_index: self.sample_index,
            volume: self.volume,
            effects: self.effects,
        };
        let mut fatal = None;
        check_timing_point(&point, |kind| {
            if kind.is_fatal() {
                fatal.get_or_insert(kind);
            }
        });
        match fatal {
            None => Ok(point),
            Some(kind) => {
                let issue = ValidationIssue {
                    kind,
                    index,
                    time_us: self.time_us,
                };
                Err(FfiError::invalid_chart(at(format!(
                    "{issue} (value {}, duration {} µs)",
                    self.value, self.duration_us
                ))))
            }
        }
    }

    /// The kind's values, from the fields it uses; a field it does not use must be 0.
    fn kind_values(&self, tag: TimingTag) -> Result<TimingKind, String> {
        let name = tag.name();
        let unused = |field: &str, is_zero: bool| -> Result<(), String> {
            match is_zero {
                true => Ok(()),
                false => Err(format!("{field} must be 0 for a {name} point")),
            }
        };
        if tag != TimingTag::Bpm {
            unused("meter", self.meter == 0)?;
        }
        match tag {
            TimingTag::Stop | TimingTag::Delay => unused("value", self.value == 0.0)?,
            _ => unused("duration_us", self.duration_us == 0)?,
        }
        let duration_us = self.duration_us;
        Ok(match tag {
            TimingTag::Bpm => TimingKind::Bpm {
                bpm: self.value,
                meter: self.meter,
            },
            TimingTag::Scroll => TimingKind::Scroll {
                multiplier: self.value,
            },
            TimingTag::Stop => TimingKind::Stop { duration_us },
            TimingTag::Delay => TimingKind::Delay { duration_us },
            TimingTag::Warp => TimingKind::Warp { beats: self.value },
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
        let out = unsafe { Out::new(out_count, "out_count") }?;
        let chart = unsafe { chart_ref(chart) }?;
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
        let (out, out_written) =
            unsafe { OutArray::with_count(buf, len, out_written, "out_written") }?;
        let chart = unsafe { chart_ref(chart) }?;
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
/// a field the kind does not use not 0. `InvalidChart`: NaN/infinite `value`, BPM < 0,
/// negative stop/delay length, time beyond ±2^52 µs (a BPM of 0 is kept: `validate`
/// reports it, not fatal). The message names the first bad point
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
            let raw = RoxTimingPoint::from_point(p);
            assert_eq!(raw.kind, i as i32);
            assert_eq!(raw.to_point(i).unwrap(), *p);
        }
    }

    #[test]
    fn zero_bpm_is_accepted_and_reported_not_fatal_negative_is_refused() {
        // docs/abi.md: BPM < 0 is InvalidChart; BPM 0 is kept and `validate` reports ZeroBpm.
        let zero = RoxTimingPoint::from_point(&TimingPoint::bpm(0, 0.0, 4));
        let mut chart = crate::Chart::new(4);
        chart.timing.push(zero.to_point(0).unwrap());
        let issues = chart.validate();
        assert_eq!(issues.len(), 1);
        assert_eq!(issues[0].kind, crate::model::IssueKind::ZeroBpm);
        assert!(!issues[0].kind.is_fatal());
        let negative = RoxTimingPoint {
            value: -1.0,
            ..zero
        };
        let err = negative.to_point(0).unwrap_err();
        assert_eq!(err.status, RoxStatus::InvalidChart);
    }

    fn point(kind: TimingTag, value: f64, duration_us: i64, meter: u32) -> RoxTimingPoint {
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
        use TimingTag::Bpm;
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
        for kind in [TimingTag::Stop, TimingTag::Delay] {
            assert_eq!(status(point(kind, 0.0, 0, 0)), None);
            let (status, message) = refusal(point(kind, 0.0, -1, 0)).expect("negative length");
            assert_eq!(status, RoxStatus::InvalidChart);
            assert!(message.contains("negative length"), "{message}");
            for unused in [point(kind, 1.0, 5, 0), point(kind, 0.0, 5, 4)] {
                assert_eq!(refusal(unused).unwrap().0, RoxStatus::InvalidArgument);
            }
        }
    }

    #[test]
    fn scrolls_and_warps_use_only_their_value() {
        for kind in [TimingTag::Scroll, TimingTag::Warp] {
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
        let bpm = point(TimingTag::Bpm, 120.0, 0, 4);
        let limit = crate::model::MAX_ABS_TIME_US;
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

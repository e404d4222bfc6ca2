//! Quaver's scroll positions, as the game computes them for the default scroll group, in its
//! own 32-bit floats and integer track positions (1/100 ms):
//! * `Qua.NormalizeSVs` and `Qua.GetCommonBpm` (Quaver/Quaver.API, `Quaver.API/Maps/Qua.cs`):
//!   a map whose SVs are relative to its BPM (`BPMDoesNotAffectScrollVelocity: false`) gets
//!   SVs that include BPM / common BPM, and its `InitialScrollVelocity` from them;
//! * `ScrollGroupControllerKeys.InitializePositionMarkers` and `GetPositionFromTime`
//!   (Quaver/Quaver, `Quaver.Shared/Screens/Gameplay/Rulesets/Keys/HitObjects/`): position
//!   markers truncated to integers at each SV, the initial SV before the first.

use crate::model::{TimingKind, TimingPoint};
use crate::Chart;

/// Quaver's `HitObjectManagerKeys.TrackRounding`: track positions are in 1/100 ms.
const TRACK_ROUNDING: f32 = 100.0;

#[derive(Clone, Debug)]
pub(super) struct QuaverScroll {
    initial: f32,
    /// (start ms, multiplier) of the normalized SVs, sorted.
    svs: Vec<(f32, f32)>,
    /// Track position at each SV.
    markers: Vec<i64>,
}

fn ms(time_us: i64) -> f32 {
    (time_us as f64 / 1000.0) as f32
}

fn is_true(value: Option<&str>) -> bool {
    matches!(
        value.map(str::trim),
        Some("true" | "True" | "TRUE" | "yes" | "Yes" | "on")
    )
}

/// `Qua.GetCommonBpm`: the BPM that lasts longest until the last object (whole ms, counted
/// from the last timing point backwards; on a tie, the first counted).
fn common_bpm(chart: &Chart, points: &[(f32, f32)]) -> f32 {
    let Some(first) = points.first() else {
        return 0.0;
    };
    let last_end = chart.notes.iter().map(|n| n.end_time_us() / 1000).max();
    let Some(mut last_time) = last_end.map(|t| t as f64) else {
        return first.1;
    };
    let mut durations: Vec<(f32, i32)> = Vec::new();
    for (i, &(time, bpm)) in points.iter().enumerate().rev() {
        if f64::from(time) > last_time {
            continue;
        }
        let start = if i == 0 { 0.0 } else { f64::from(time) };
        let duration = (last_time - start) as i32;
        last_time = f64::from(time);
        // .NET's float equality: NaN equals NaN.
        let same = |b: f32| b == bpm || (b.is_nan() && bpm.is_nan());
        match durations.iter_mut().find(|d| same(d.0)) {
            Some(d) => d.1 = d.1.wrapping_add(duration),
            None => durations.push((bpm, duration)),
        }
    }
    let mut best: Option<(f32, i32)> = None;
    for d in durations {
        if best.map_or(true, |b| d.1 > b.1) {
            best = Some(d);
        }
    }
    best.map_or(first.1, |b| b.0)
}

/// The SV of a multiplier under a BPM: `m × (bpm / base)`, 128 for an infinite BPM.
fn adjusted(multiplier: f32, bpm: f32, base: f32) -> f32 {
    if bpm.is_infinite() {
        128.0
    } else {
        multiplier * (bpm / base)
    }
}

/// `Qua.NormalizeSVs`: (initial SV, normalized SVs).
fn normalize(points: &[(f32, f32)], svs: &[(f32, f32)], base: f32) -> (f32, Vec<(f32, f32)>) {
    let mut out: Vec<(f32, f32)> = Vec::new();
    let mut bpm = points.first().map_or(0.0, |p| p.1);
    let (mut next_sv, mut sv_start, mut sv_multiplier) = (0, None::<f32>, 1.0f32);
    let mut current: Option<f32> = None;
    let mut initial: Option<f32> = None;
    let mut change = |time: f32, m: f32, current: &mut Option<f32>| {
        if current.is_none() {
            *current = Some(m);
            initial = Some(m);
        }
        if Some(m) != *current {
            out.push((time, m));
            *current = Some(m);
        }
    };
    for (i, &(time, point_bpm)) in points.iter().enumerate() {
        let next_same = points.get(i + 1).is_some_and(|p| p.0 == time);
        while let Some(&(sv_time, m)) = svs.get(next_sv) {
            if sv_time > time || (next_same && sv_time == time) {
                break;
            }
            if sv_time < time {
                change(sv_time, adjusted(m, bpm, base), &mut current);
            }
            sv_start = Some(sv_time);
            sv_multiplier = m;
            next_sv += 1;
        }
        // Timing points reset the SV multiplier.
        if sv_start.map_or(true, |s| s < time) {
            sv_multiplier = 1.0;
        }
        bpm = point_bpm;
        change(time, adjusted(sv_multiplier, bpm, base), &mut current);
    }
    for &(sv_time, m) in &svs[next_sv.min(svs.len())..] {
        change(sv_time, adjusted(m, bpm, base), &mut current);
    }
    out.sort_by(|a, b| a.0.total_cmp(&b.0));
    (initial.unwrap_or(1.0), out)
}

/// .NET reads NaN SVs as 0 here.
fn finite_or_zero(m: f32) -> f32 {
    if m.is_nan() {
        0.0
    } else {
        m
    }
}

impl QuaverScroll {
    pub fn new(chart: &Chart, timing: &[TimingPoint]) -> QuaverScroll {
        let mut points = Vec::new();
        let mut svs = Vec::new();
        for t in timing {
            match t.kind {
                TimingKind::Bpm { bpm, .. } => points.push((ms(t.time_us), bpm as f32)),
                TimingKind::Scroll { multiplier } => svs.push((ms(t.time_us), multiplier as f32)),
                _ => {}
            }
        }
        let (initial, svs) = if is_true(chart.extra("qua.BPMDoesNotAffectScrollVelocity")) {
            let initial = chart.extra("qua.InitialScrollVelocity");
            let initial = initial.and_then(|v| v.trim().parse::<f32>().ok());
            (initial.unwrap_or(0.0), svs)
        } else {
            normalize(&points, &svs, common_bpm(chart, &points))
        };
        let mut markers = Vec::with_capacity(svs.len());
        if let Some(&(first, _)) = svs.first() {
            let mut position = (first * initial * TRACK_ROUNDING) as i64;
            markers.push(position);
            for pair in svs.windows(2) {
                let length = (pair[1].0 - pair[0].0) * finite_or_zero(pair[0].1) * TRACK_ROUNDING;
                position = position.saturating_add(length as i64);
                markers.push(position);
            }
        }
        QuaverScroll {
            initial,
            svs,
            markers,
        }
    }

    /// Whether positions never decrease (no negative SV).
    pub fn is_monotonic(&self) -> bool {
        self.initial >= 0.0 && self.svs.iter().all(|sv| finite_or_zero(sv.1) >= 0.0)
    }

    /// Position in ms at 1.0× (Quaver's track position / 100) at `time_ms`.
    pub fn position_at(&self, time_ms: f64) -> f64 {
        // Quaver looks the SV up at the time as a float (`IndexAtTime((float)time)`).
        let i = self.svs.partition_point(|sv| sv.0 <= time_ms as f32);
        self.position_after(i.checked_sub(1), time_ms)
    }

    /// `position_at` of each of `times_ms` (sorted), in one pass.
    pub fn positions_of_sorted(&self, times_ms: impl Iterator<Item = f64>) -> Vec<f64> {
        let mut next = 0;
        let mut at = |time: f64| {
            while self.svs.get(next).is_some_and(|sv| sv.0 <= time as f32) {
                next += 1;
            }
            self.position_after(next.checked_sub(1), time)
        };
        times_ms.map(&mut at).collect()
    }

    /// Position at `time_ms` from SV `sv` (`None`: before the first).
    fn position_after(&self, sv: Option<usize>, time_ms: f64) -> f64 {
        let track = match sv {
            None => (time_ms * f64::from(self.initial) * f64::from(TRACK_ROUNDING)) as i64,
            Some(i) => {
                let (start, m) = self.svs[i];
                // Where the float lookup rounds the time up to the SV's start, Quaver steps
                // back by under half a float step; ROX starts at the marker, so that positions
                // never decrease without a negative SV.
                let since = (time_ms - f64::from(start)).max(0.0) * f64::from(finite_or_zero(m));
                let length = (since * f64::from(TRACK_ROUNDING)) as i64;
                self.markers[i].saturating_add(length)
            }
        };
        track as f64 / f64::from(TRACK_ROUNDING)
    }
}

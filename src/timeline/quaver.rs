//! Quaver's scroll positions, as the game computes them for each scroll group, in its own
//! 32-bit floats and integer track positions (1/100 ms):
//! * `Qua.NormalizeSVs` and `Qua.GetCommonBpm` (Quaver/Quaver.API, `Quaver.API/Maps/Qua.cs`):
//!   a map whose SVs are relative to its BPM (`BPMDoesNotAffectScrollVelocity: false`) gets
//!   default-group SVs that include BPM / common BPM, and its `InitialScrollVelocity` from
//!   them; the other groups' SVs are taken as they are;
//! * `ScrollGroupControllerKeys.Populate`, `InitializePositionMarkers` and
//!   `GetPositionFromTime` (Quaver/Quaver, `Quaver.Shared/Screens/Gameplay/Rulesets/Keys/
//!   HitObjects/`): each group's SVs with `$Global`'s inserted after them (after the group's
//!   own SVs of the same time), position markers truncated to integers at each SV, the group's
//!   initial SV before the first.

use crate::formats::quaver::{scroll_groups, GLOBAL_GROUP};
use crate::model::{TimingKind, TimingPoint};
use crate::{Chart, Result};

/// Quaver's `HitObjectManagerKeys.TrackRounding`: track positions are in 1/100 ms.
const TRACK_ROUNDING: f32 = 100.0;

#[derive(Clone, Debug)]
pub(super) struct QuaverScroll {
    /// Group 0 is `$Default` (the playfield's), then the map's other groups in file order.
    groups: Vec<GroupScroll>,
    /// The group of each note; empty when every note is in group 0.
    note_groups: Vec<u32>,
}

/// The scroll of one group.
#[derive(Clone, Debug)]
struct GroupScroll {
    initial: f32,
    /// (start ms, multiplier) of the SVs, sorted.
    svs: Vec<(f32, f32)>,
    /// Track position at each SV.
    markers: Vec<i64>,
}

fn ms(time_us: i64) -> f32 {
    (time_us as f64 / 1000.0) as f32
}

/// Whether a Quaver map's SVs are absolute, not relative to the BPM.
pub(super) fn svs_are_absolute(chart: &Chart) -> bool {
    is_true(chart.extra("qua.BPMDoesNotAffectScrollVelocity"))
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

/// `own` with `global` inserted after the SVs of `own` at or before each (Quaver's
/// `InsertSorted`, or its stable sort for long lists: the same order).
fn merged(own: &[(f32, f32)], global: &[(f32, f32)]) -> Vec<(f32, f32)> {
    let mut out = Vec::with_capacity(own.len() + global.len());
    let (mut a, mut b) = (own.iter().peekable(), global.iter().peekable());
    while let (Some(&&x), Some(&&y)) = (a.peek(), b.peek()) {
        // Own SVs first at equal times; a NaN time (unordered) does not stop the merge.
        if x.0 <= y.0 || y.0.partial_cmp(&x.0).is_none() {
            out.push(x);
            a.next();
        } else {
            out.push(y);
            b.next();
        }
    }
    out.extend(a.chain(b));
    out
}

impl QuaverScroll {
    /// `Err` when the chart's kept `.qua` scroll groups are not valid.
    pub fn new(chart: &Chart, timing: &[TimingPoint]) -> Result<QuaverScroll> {
        let groups = scroll_groups(chart)?;
        let global = groups.global_velocities();
        let (initial, svs) = default_group(chart, timing);
        let mut scrolls = vec![GroupScroll::new(initial, merged(&svs, global))];
        for group in &groups.groups {
            let svs = match group.id == GLOBAL_GROUP {
                true => group.velocities.clone(),
                false => merged(&group.velocities, global),
            };
            scrolls.push(GroupScroll::new(group.initial_velocity, svs));
        }
        Ok(QuaverScroll {
            groups: scrolls,
            note_groups: groups.note_groups,
        })
    }

    pub fn group_count(&self) -> usize {
        self.groups.len()
    }

    /// The group of each note; empty when every note is in group 0.
    pub fn note_groups(&self) -> &[u32] {
        &self.note_groups
    }

    /// Whether positions in `group` never decrease (no negative SV).
    pub fn is_monotonic(&self, group: usize) -> bool {
        self.groups[group].is_monotonic()
    }

    /// Position in ms at 1.0× (Quaver's track position / 100) in `group` at `time_ms`.
    pub fn position_at(&self, group: usize, time_ms: f64) -> f64 {
        self.groups[group].position_at(time_ms)
    }

    /// `position_at` of each of `times_ms` (sorted) in `group`, in one pass.
    pub fn positions_of_sorted(
        &self,
        group: usize,
        times_ms: impl Iterator<Item = f64>,
    ) -> Vec<f64> {
        self.groups[group].positions_of_sorted(times_ms)
    }
}

/// The default group's initial SV and SVs: as given when they ignore the BPM, else normalized.
fn default_group(chart: &Chart, timing: &[TimingPoint]) -> (f32, Vec<(f32, f32)>) {
    let mut points = Vec::new();
    let mut svs = Vec::new();
    for t in timing {
        match t.kind {
            TimingKind::Bpm { bpm, .. } => points.push((ms(t.time_us), bpm as f32)),
            TimingKind::Scroll { multiplier } => svs.push((ms(t.time_us), multiplier as f32)),
            _ => {}
        }
    }
    if svs_are_absolute(chart) {
        let initial = chart.extra("qua.InitialScrollVelocity");
        let initial = initial.and_then(|v| v.trim().parse::<f32>().ok());
        (initial.unwrap_or(0.0), svs)
    } else {
        normalize(&points, &svs, common_bpm(chart, &points))
    }
}

impl GroupScroll {
    fn new(initial: f32, svs: Vec<(f32, f32)>) -> GroupScroll {
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
        GroupScroll {
            initial,
            svs,
            markers,
        }
    }

    fn is_monotonic(&self) -> bool {
        self.initial >= 0.0 && self.svs.iter().all(|sv| finite_or_zero(sv.1) >= 0.0)
    }

    fn position_at(&self, time_ms: f64) -> f64 {
        // Quaver looks the SV up at the time as a float (`IndexAtTime((float)time)`).
        let i = self.svs.partition_point(|sv| sv.0 <= time_ms as f32);
        self.position_after(i.checked_sub(1), time_ms)
    }

    fn positions_of_sorted(&self, times_ms: impl Iterator<Item = f64>) -> Vec<f64> {
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

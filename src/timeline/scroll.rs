//! Scroll positions: how far the playfield has travelled at a time, in milliseconds at 1.0×
//! speed (a note `p` ms of position away from the judgement line at 1.0× arrives in `p` ms).
//!
//! osu!mania follows osu!lazer (ppy/osu): `DrawableScrollingRuleset.load` merges timing and
//! effect control points into `MultiplierControlPoint`s (multiplier = scroll speed × base beat
//! length / beat length), with `DrawableManiaRuleset` setting `RelativeScaleBeatLengths` (the base
//! beat length is `Beatmap.GetMostCommonBeatLength`) and a velocity of 1;
//! `SequentialScrollAlgorithm` integrates the multipliers over time.

use super::beats::{BeatMap, SM_ROWS_PER_BEAT};
use super::quaver::QuaverScroll;
use super::ScrollAlgorithm;
use super::{Rules, TimelineOptions};
use crate::analysis::{most_common_beat_length, DEFAULT_BEAT_LENGTH_MS};
use crate::model::{TimingKind, TimingPoint};
use crate::{Chart, Result};

#[derive(Clone, Debug)]
pub(super) enum ScrollMap {
    /// (time ms, position, multiplier from there on), sorted by time.
    Linear(Vec<(f64, f64, f64)>),
    Quaver(QuaverScroll),
    /// StepMania's displayed beats: (beat, displayed beat, scroll ratio from there on).
    Displayed(Vec<(f64, f64, f64)>),
}

/// (x, position, slope) points integrating `(x, slope)` changes from position 0.
fn integrate(changes: Vec<(f64, f64)>) -> Vec<(f64, f64, f64)> {
    let mut points = Vec::with_capacity(changes.len());
    let mut position = 0.0;
    let mut previous: Option<(f64, f64)> = None;
    for (x, slope) in changes {
        if let Some((px, ps)) = previous {
            position += (x - px) * ps;
        }
        points.push((x, position, slope));
        previous = Some((x, slope));
    }
    points
}

/// Which of sorted (x, …) points applies at `x`: the last at or before it, else the first.
fn point_at(points: &[(f64, f64, f64)], x: f64) -> (f64, f64, f64) {
    points[points.partition_point(|p| p.0 <= x).saturating_sub(1)]
}

impl ScrollMap {
    pub fn new(
        chart: &Chart,
        timing: &[TimingPoint],
        beats: &BeatMap,
        options: TimelineOptions,
    ) -> Result<ScrollMap> {
        Ok(match (options.rules, options.scroll) {
            (Rules::Osu, ScrollAlgorithm::Sequential) => {
                ScrollMap::Linear(integrate(osu_multipliers(chart, timing, beats)))
            }
            (Rules::Quaver, ScrollAlgorithm::Sequential) => {
                ScrollMap::Quaver(QuaverScroll::new(chart, timing)?)
            }
            (Rules::StepMania, ScrollAlgorithm::Sequential) => {
                ScrollMap::Displayed(integrate(sm_scrolls(timing, beats)))
            }
            (_, ScrollAlgorithm::Constant) => ScrollMap::Linear(integrate(vec![(0.0, 1.0)])),
        })
    }

    /// How many scroll groups there are: Quaver's, else 1. Every `group` argument below is
    /// less than this.
    pub fn group_count(&self) -> usize {
        match self {
            ScrollMap::Quaver(q) => q.group_count(),
            _ => 1,
        }
    }

    /// The group of each note; empty when every note is in group 0.
    pub fn note_groups(&self) -> &[u32] {
        match self {
            ScrollMap::Quaver(q) => q.note_groups(),
            _ => &[],
        }
    }

    /// Whether positions in `group` never decrease with time.
    pub fn is_monotonic(&self, group: usize) -> bool {
        match self {
            // osu! speeds are at least 0.01.
            ScrollMap::Linear(_) => true,
            ScrollMap::Quaver(q) => q.is_monotonic(group),
            ScrollMap::Displayed(points) => points.iter().all(|p| p.2 >= 0.0),
        }
    }

    /// Position in `group` at `time` µs (before the first point, the first multiplier
    /// extended back).
    pub fn position_at(&self, group: usize, time_us: f64, beats: &BeatMap) -> f64 {
        let time = time_us / 1000.0;
        match self {
            ScrollMap::Linear(points) => linear_at(point_at(points, time), time),
            ScrollMap::Quaver(q) => q.position_at(group, time),
            ScrollMap::Displayed(points) => {
                let beat = beats.beat_at(time_us);
                linear_at(point_at(points, beat), beat)
            }
        }
    }

    /// `position_at` of each of `times_us` (sorted), in one pass where it can: O(n + points).
    pub fn positions_of_sorted(&self, group: usize, times_us: &[i64], beats: &BeatMap) -> Vec<f64> {
        let ms = times_us.iter().map(|&t| t as f64 / 1000.0);
        match self {
            ScrollMap::Linear(points) => {
                let mut i = 0;
                let mut at = |time: f64| {
                    while points.get(i + 1).is_some_and(|p| p.0 <= time) {
                        i += 1;
                    }
                    linear_at(points[i], time)
                };
                ms.map(&mut at).collect()
            }
            ScrollMap::Quaver(q) => q.positions_of_sorted(group, ms),
            ScrollMap::Displayed(_) => {
                let at = |&t: &i64| self.position_at(group, t as f64, beats);
                times_us.iter().map(at).collect()
            }
        }
    }
}

/// StepMania's scroll segments (`TimingData::GetDisplayedBeat`): a ratio of 1 from beat 0
/// unless one is given there (`TidyUpData`), each change at its beat (the last of a beat wins),
/// the first ratio also before beat 0.
fn sm_scrolls(timing: &[TimingPoint], beats: &BeatMap) -> Vec<(f64, f64)> {
    let mut changes = vec![(0.0, 1.0)];
    for t in timing {
        let TimingKind::Scroll { multiplier } = t.kind else {
            continue;
        };
        let beat = beats.beat_at(t.time_us as f64);
        let beat = ((beat * SM_ROWS_PER_BEAT).round() / SM_ROWS_PER_BEAT).max(0.0);
        let ratio = if multiplier.is_finite() {
            multiplier
        } else {
            1.0
        };
        match changes.last_mut() {
            Some(last) if last.0 == beat => last.1 = ratio,
            _ => changes.push((beat, ratio)),
        }
    }
    changes
}

fn linear_at((t, position, multiplier): (f64, f64, f64), time: f64) -> f64 {
    position + (time - t) * multiplier
}

/// The latest end of a note, in ms (lazer's `GetLastObjectTime`).
fn last_object_ms(chart: &Chart) -> Option<f64> {
    let end = chart.notes.iter().map(|n| n.end_time_us()).max()?;
    Some(end as f64 / 1000.0)
}

/// (time ms, beat length ms) of the red lines lazer keeps.
fn red_lines(beats: &BeatMap) -> Vec<(f64, f64)> {
    let beat_length = |bpm: f64| (60_000.0 / bpm).clamp(6.0, 60_000.0);
    beats
        .tempos
        .iter()
        .map(|t| (t.time / 1000.0, beat_length(t.bpm)))
        .collect()
}

/// Scroll speed of each time with a control point: a red line sets 1, green lines override it,
/// the last at one time winning; clamped to 0.01..=10 (lazer's `EffectControlPoint`), NaN
/// read as 1.
fn effect_speeds(timing: &[TimingPoint]) -> Vec<(f64, f64)> {
    let mut speeds: Vec<(f64, f64, bool)> = Vec::new();
    for t in timing {
        let time = t.time_us as f64 / 1000.0;
        let (speed, green) = match t.kind {
            TimingKind::Bpm { .. } => (1.0, false),
            // osu! reads a NaN green line as speed 1 (`LegacyBeatmapDecoder`).
            TimingKind::Scroll { multiplier } if multiplier.is_nan() => (1.0, true),
            TimingKind::Scroll { multiplier } => (multiplier.clamp(0.01, 10.0), true),
            _ => continue,
        };
        match speeds.last_mut() {
            Some(last) if last.0 == time => {
                if green || !last.2 {
                    *last = (time, speed, green);
                }
            }
            _ => speeds.push((time, speed, green)),
        }
    }
    speeds.into_iter().map(|(t, s, _)| (t, s)).collect()
}

/// lazer's `MultiplierControlPoint`s for mania: (time ms, multiplier), one per time, none
/// after the last object.
fn osu_multipliers(chart: &Chart, timing: &[TimingPoint], beats: &BeatMap) -> Vec<(f64, f64)> {
    let reds = red_lines(beats);
    let last_object = last_object_ms(chart);
    let base = most_common_beat_length(&reds, last_object);
    let speeds = effect_speeds(timing);
    let mut times: Vec<f64> = reds
        .iter()
        .map(|r| r.0)
        .chain(speeds.iter().map(|s| s.0))
        .collect();
    times.sort_by(f64::total_cmp);
    times.dedup();
    let last = last_object.unwrap_or(f64::MAX);
    times.retain(|&t| t <= last);
    if times.is_empty() {
        return vec![(0.0, base / DEFAULT_BEAT_LENGTH_MS)];
    }
    let at = |list: &[(f64, f64)], time: f64, default: f64| {
        let i = list.partition_point(|p| p.0 <= time);
        i.checked_sub(1).map_or(default, |i| list[i].1)
    };
    times
        .into_iter()
        .map(|t| {
            let beat_length = at(&reds, t, DEFAULT_BEAT_LENGTH_MS);
            (t, at(&speeds, t, 1.0) * base / beat_length)
        })
        .collect()
}

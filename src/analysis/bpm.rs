//! BPM range and dominant BPM. The dominant BPM is osu! lazer's "most common BPM"
//! (`Beatmap.GetMostCommonBeatLength`, docs/analysis.md).

use std::collections::HashMap;

use crate::model::{TimingKind, TimingPoint};

/// lazer's beat length where no tempo is given (`TimingControlPoint.DEFAULT_BEAT_LENGTH`).
pub(crate) const DEFAULT_BEAT_LENGTH_MS: f64 = 1000.0;

/// BPMs of a chart; all 0 when it has no usable tempo (BPMs that are not positive finite
/// numbers are ignored, as every game ignores them).
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct BpmStats {
    pub min: f64,
    pub max: f64,
    /// The BPM that lasts longest until the last note.
    pub dominant: f64,
}

/// (time, BPM) of the tempo changes that change something, in chart order.
pub(super) fn usable_bpms(timing: &[TimingPoint]) -> impl Iterator<Item = (i64, f64)> + '_ {
    timing.iter().filter_map(|p| match p.kind {
        TimingKind::Bpm { bpm, .. } if bpm.is_finite() && bpm > 0.0 => Some((p.time_us, bpm)),
        _ => None,
    })
}

impl BpmStats {
    /// `last_note_end`: the end of the last played note, µs.
    pub(super) fn of(timing: &[TimingPoint], last_note_end: Option<i64>) -> BpmStats {
        let reds: Vec<(f64, f64)> = usable_bpms(timing)
            .map(|(time, bpm)| (time as f64 / 1000.0, 60_000.0 / bpm))
            .collect();
        if reds.is_empty() {
            return BpmStats::default();
        }
        let (min, max) = usable_bpms(timing).fold((f64::MAX, 0.0f64), |(lo, hi), (_, bpm)| {
            (lo.min(bpm), hi.max(bpm))
        });
        let last_object = last_note_end.map(|t| t as f64 / 1000.0);
        BpmStats {
            min,
            max,
            dominant: 60_000.0 / most_common_beat_length(&reds, last_object),
        }
    }
}

/// lazer's `Beatmap.GetMostCommonBeatLength` over red lines (time ms, beat length ms): each
/// lasts until the next (the first from time 0, the last until `last_object`, or itself
/// without objects; a line after `last_object` lasts nothing); lengths equal to 1e-3 ms (ties
/// to even, as .NET's `Math.Round`) are summed, and the longest wins, the first on a tie. The
/// result is clamped to the lines' range; lazer's default without lines (or for a zero).
pub(crate) fn most_common_beat_length(reds: &[(f64, f64)], last_object: Option<f64>) -> f64 {
    let last_time = last_object.unwrap_or_else(|| reds.last().map_or(0.0, |r| r.0));
    // (key, total) in order of first appearance, found through `slots` (a chart may have
    // thousands of tempos).
    let mut totals: Vec<(f64, f64)> = Vec::new();
    let mut slots: HashMap<u64, usize> = HashMap::new();
    for (i, &(time, beat_length)) in reds.iter().enumerate() {
        let duration = if time > last_time {
            0.0
        } else {
            let start = if i == 0 { 0.0 } else { time };
            reds.get(i + 1).map_or(last_time, |next| next.0) - start
        };
        // `+ 0.0`: -0.0 and 0.0 are one key, as they are equal.
        let key = (beat_length * 1000.0).round_ties_even() / 1000.0 + 0.0;
        let slot = *slots.entry(key.to_bits()).or_insert_with(|| {
            totals.push((key, 0.0));
            totals.len() - 1
        });
        totals[slot].1 += duration;
    }
    // The first of the longest (LINQ's OrderByDescending is stable).
    let mut best: Option<(f64, f64)> = None;
    for t in totals {
        if best.map_or(true, |b| t.1 > b.1) {
            best = Some(t);
        }
    }
    match best {
        Some((beat_length, _)) if beat_length != 0.0 => {
            let min = reds.iter().map(|r| r.1).fold(f64::INFINITY, f64::min);
            let max = reds.iter().map(|r| r.1).fold(f64::NEG_INFINITY, f64::max);
            beat_length.clamp(min, max)
        }
        _ => DEFAULT_BEAT_LENGTH_MS,
    }
}

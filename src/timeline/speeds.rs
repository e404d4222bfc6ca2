//! StepMania's `#SPEEDS` (stepmania/stepmania at d55acb1b: `TimingData::GetDisplayedSpeedPercent`,
//! `SpeedSegment`, `SMLoader::ProcessSpeeds`, read, not copied): a factor on every arrow's
//! offset from the receptors (`ArrowEffects::GetYOffset` multiplies the difference of displayed
//! beats by it), which depends only on the song's current time. So it is not part of a
//! position: a renderer multiplies (note position − current position) by it.

use super::beats::{BeatMap, SM_ROWS_PER_BEAT};
use crate::formats::stepmania::{parse_int, parse_number, timing_entries};

/// One speed change: from `start` to `end` (µs) the factor goes from the ratio before it to
/// `ratio`, in a straight line over time.
#[derive(Clone, Copy, Debug, PartialEq)]
struct SpeedChange {
    row: i64,
    ratio: f64,
    /// Whether it has a length (StepMania treats a first change without one specially).
    gradual: bool,
    start: f64,
    end: f64,
}

/// The speed changes of a chart, sorted by row; empty when it has none (the factor is 1).
#[derive(Clone, Debug, Default)]
pub(super) struct SpeedMap {
    changes: Vec<SpeedChange>,
}

/// StepMania's `StringToFloat`: 0 for what is not a number or does not fit a `float`.
fn sm_float(text: &[u8]) -> f64 {
    parse_number(text)
        .filter(|v| v.abs() <= f64::from(f32::MAX))
        .unwrap_or(0.0)
}

/// (row, ratio, length, length in seconds) of each entry StepMania keeps, in file order.
fn parse(value: &str) -> Vec<(i64, f64, f64, bool)> {
    let mut out = Vec::new();
    for (_, parts) in timing_entries(value.as_bytes()) {
        // Without a unit the length is in beats; fewer values are refused.
        let [beat, ratio, length, ref rest @ ..] = parts[..] else {
            continue;
        };
        let (beat, length) = (sm_float(beat), sm_float(length));
        if beat < 0.0 || length < 0.0 {
            continue;
        }
        // StepMania's `StringToInt`: any unit but 0 is seconds.
        let seconds = rest.first().and_then(|u| parse_int(u)).unwrap_or(0) != 0;
        let row = (beat * SM_ROWS_PER_BEAT).round_ties_even() as i64;
        out.push((row, sm_float(ratio), length, seconds));
    }
    out
}

impl SpeedMap {
    /// The speed changes of the chart's `ssc.SPEEDS` extra, with their times on `beats`.
    /// Sorted by row, the last of a row winning (StepMania's `AddSegment` for entries in beat
    /// order; its insertion of out-of-order entries next to equal ones is not followed).
    pub fn new(extra: Option<&str>, beats: &BeatMap) -> SpeedMap {
        let mut entries = parse(extra.unwrap_or_default());
        entries.sort_by_key(|e| e.0);
        entries.dedup_by(|later, earlier| {
            let same_row = later.0 == earlier.0;
            if same_row {
                *earlier = *later;
            }
            same_row
        });
        let change = |(row, ratio, length, seconds): (i64, f64, f64, bool)| {
            let beat = row as f64 / SM_ROWS_PER_BEAT;
            let start = beats.reached_at(beat);
            let end = match seconds {
                true => start + length * 1e6,
                false => beats.reached_at(beat + length),
            };
            SpeedChange {
                row,
                ratio,
                gradual: length > 0.0,
                start,
                end,
            }
        };
        SpeedMap {
            changes: entries.into_iter().map(change).collect(),
        }
    }

    /// The factor at `time` µs, where the song is at `beat`.
    pub fn factor_at(&self, time: f64, beat: f64) -> f64 {
        let Some(first) = self.changes.first() else {
            return 1.0;
        };
        // StepMania finds the change by the beat's row (`BeatToNoteRow`, `lrintf`); before
        // the first change, the first applies.
        let row = (beat * SM_ROWS_PER_BEAT).round_ties_even();
        let index = self
            .changes
            .partition_point(|c| c.row as f64 <= row)
            .saturating_sub(1);
        let change = &self.changes[index];
        if index == 0 && first.gradual && time < change.start {
            return 1.0;
        }
        if change.end >= time && (index > 0 || first.gradual) {
            let prior = match index {
                0 => 1.0,
                _ => self.changes[index - 1].ratio,
            };
            let duration = change.end - change.start;
            // Within the change, 0..1. StepMania extrapolates within half a row before it
            // (its row rounding); clamped so that tiny lengths cannot overflow. A start beyond
            // f64 has a NaN duration: taken as none.
            let used = match duration > 0.0 {
                true => ((time - change.start) / duration).clamp(0.0, 1.0),
                false => 1.0,
            };
            return prior + used * (change.ratio - prior);
        }
        change.ratio
    }
}

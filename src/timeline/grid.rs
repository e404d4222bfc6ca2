//! Bar and beat lines, and the snap of a note: where a note lies on the beat grid.

use super::beats::{BeatMap, SM_ROWS_PER_BEAT};
use super::Rules;
use crate::Chart;

/// The snaps a note can have: it lies on a 1/d beat. 0 stands for none of them.
pub const SNAP_DIVISORS: [u8; 14] = [1, 2, 3, 4, 6, 8, 12, 16, 24, 32, 48, 64, 96, 192];

/// osu! and Quaver store times in whole ms: a note within 1 ms of a grid point is on it.
const MS_QUANTUM_US: f64 = 1000.0;

/// Beats closer than this to a grid point are on it (float noise of beat sums).
const BEAT_EPSILON: f64 = 1e-9;

/// One bar or beat line.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct GridLine {
    /// µs, rounded to nearest.
    pub time_us: i64,
    /// Measure number: 0 is the first measure of the first BPM point.
    pub measure: i64,
    /// Beat within the measure, 0 for the line that starts it.
    pub beat_in_measure: u32,
    /// Whether a bar line is drawn here: beat 0 of a measure, except the first one of an osu!
    /// timing point with the "omit first bar line" effect.
    pub is_bar: bool,
}

/// Measures of one meter from `beat` until the next section.
#[derive(Clone, Copy, Debug)]
pub(super) struct MeterSection {
    beat: f64,
    /// Beats between two lines (1, or 4/denominator for a StepMania time signature).
    spacing: f64,
    lines_per_measure: u32,
    first_measure: i64,
    omit_first_bar: bool,
}

impl MeterSection {
    fn measure_beats(&self) -> f64 {
        self.spacing * f64::from(self.lines_per_measure)
    }
}

/// The meter sections of a chart. osu! and Quaver start a measure at every timing point;
/// StepMania counts measures from beat 0 and changes meter at its time signatures (the raw
/// `sm.TIMESIGNATURES` extra when the decoder kept one, else the meters of BPM points, a
/// section starting only where the meter changes).
pub(super) fn sections(chart: &Chart, beats: &BeatMap, rules: Rules) -> Vec<MeterSection> {
    let section = |beat, spacing, lines: u32, omit_first_bar| MeterSection {
        beat,
        spacing,
        lines_per_measure: lines.max(1),
        first_measure: 0,
        omit_first_bar,
    };
    let mut out: Vec<MeterSection> = match rules {
        Rules::Osu | Rules::Quaver => beats
            .tempos
            .iter()
            .map(|t| {
                section(
                    t.beat,
                    1.0,
                    t.meter,
                    rules == Rules::Osu && t.omit_first_bar,
                )
            })
            .collect(),
        Rules::StepMania => match chart.extra("sm.TIMESIGNATURES").map(sm_signatures) {
            Some(signatures) if !signatures.is_empty() => signatures
                .into_iter()
                .map(|(beat, num, den)| section(beat, 4.0 / f64::from(den), num, false))
                .collect(),
            _ => {
                let mut out: Vec<MeterSection> = Vec::new();
                for t in &beats.tempos {
                    if out.last().map_or(true, |s| s.lines_per_measure != t.meter) {
                        out.push(section(t.beat, 1.0, t.meter, false));
                    }
                }
                out
            }
        },
    };
    for i in 1..out.len() {
        let prev = out[i - 1];
        let measures = ((out[i].beat - prev.beat) / prev.measure_beats() - BEAT_EPSILON).ceil();
        out[i].first_measure = prev.first_measure.saturating_add(measures.max(0.0) as i64);
    }
    out
}

/// `beat=numerator=denominator` entries of `#TIMESIGNATURES`, on rows, sorted; the last of a
/// row wins, as in StepMania.
fn sm_signatures(value: &str) -> Vec<(f64, u32, u32)> {
    let mut out: Vec<(f64, u32, u32)> = Vec::new();
    for entry in value.split(',') {
        let parts: Vec<&str> = entry.split('=').map(str::trim).collect();
        let [beat, num, den] = parts[..] else {
            continue;
        };
        let (Ok(beat), Ok(num), Ok(den)) = (beat.parse::<f64>(), num.parse(), den.parse()) else {
            continue;
        };
        if beat >= 0.0 && num >= 1 && den >= 1 {
            let beat = (beat * SM_ROWS_PER_BEAT).round() / SM_ROWS_PER_BEAT;
            out.retain(|s| s.0 != beat);
            out.push((beat, num, den));
        }
    }
    out.sort_by(|a, b| a.0.total_cmp(&b.0));
    out
}

/// The snap of a note at `time` µs: StepMania's exact row (beats count from beat 0), or for
/// osu! and Quaver the grid of the timing point in effect, within 1 ms.
pub(super) fn snap(beats: &BeatMap, rules: Rules, time: f64) -> u8 {
    let found = match rules {
        Rules::StepMania => {
            let rows = SM_ROWS_PER_BEAT as i64;
            let row = ((beats.beat_at(time) * SM_ROWS_PER_BEAT).round() as i64).rem_euclid(rows);
            SNAP_DIVISORS
                .into_iter()
                .find(|&d| row * i64::from(d) % rows == 0)
        }
        Rules::Osu | Rules::Quaver => {
            let tempo = beats.tempo_at(time);
            let beat_length = 60e6 / tempo.bpm;
            let offset = time - tempo.time;
            SNAP_DIVISORS.into_iter().find(|&d| {
                let step = beat_length / f64::from(d);
                (offset - (offset / step).round() * step).abs() < MS_QUANTUM_US
            })
        }
    };
    found.unwrap_or(0)
}

/// Grid lines from `from` to `to` µs.
pub(super) fn lines<'a>(
    sections: &'a [MeterSection],
    beats: &'a BeatMap,
    from: f64,
    to: f64,
) -> GridLines<'a> {
    let start = beats.beat_at(from);
    let s = sections
        .partition_point(|s| s.beat <= start)
        .saturating_sub(1);
    let k = sections.get(s).map_or(0.0, |sec| {
        ((start - sec.beat) / sec.spacing - BEAT_EPSILON)
            .ceil()
            .max(0.0)
    });
    GridLines {
        sections,
        beats,
        section: s,
        index: k as u64,
        last_beat: f64::NEG_INFINITY,
        from,
        to,
    }
}

pub(super) struct GridLines<'a> {
    sections: &'a [MeterSection],
    beats: &'a BeatMap,
    section: usize,
    /// Line index within the section.
    index: u64,
    /// The beat of the line before: a beat too large for the spacing to move it ends the grid.
    last_beat: f64,
    from: f64,
    to: f64,
}

impl Iterator for GridLines<'_> {
    type Item = GridLine;

    fn next(&mut self) -> Option<GridLine> {
        loop {
            let sec = *self.sections.get(self.section)?;
            let beat = sec.beat + self.index as f64 * sec.spacing;
            let next_starts = self
                .sections
                .get(self.section + 1)
                .is_some_and(|next| beat >= next.beat - BEAT_EPSILON);
            if next_starts {
                self.section += 1;
                self.index = 0;
                continue;
            }
            let time = self.beats.time_at(beat);
            if time > self.to || beat <= self.last_beat {
                return None;
            }
            self.last_beat = beat;
            let k = self.index;
            self.index = self.index.saturating_add(1);
            if time < self.from {
                continue;
            }
            let lines = u64::from(sec.lines_per_measure);
            let beat_in_measure = (k % lines) as u32;
            return Some(GridLine {
                time_us: time.round() as i64,
                measure: sec.first_measure.saturating_add((k / lines) as i64),
                beat_in_measure,
                is_bar: beat_in_measure == 0 && !(k == 0 && sec.omit_first_bar),
            });
        }
    }
}

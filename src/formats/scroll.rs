//! Whether a chart written for another game scrolls there as it did in its own.
//!
//! The games read the same speed events differently (osu! and StepMania scale scrolling with
//! the BPM, a Quaver map may not; StepMania holds the playfield still during stops, osu! and
//! Quaver do not), so a conversion can keep every note time and still move notes on screen.
//! The written file is read back and both charts are placed by their own game's rules
//! (`timeline`); the positions of the notes, compared up to the player's scroll speed (a
//! positive scale) and the origin, must agree, else the report says by how much.

use crate::formats::decode_set;
use crate::model::{ConversionReport, LossKind};
use crate::timeline::{Rules, Timeline, TimelineOptions};
use crate::{Chart, Format};

/// Positions may differ by this share of the chart's scroll length (rounding: Quaver computes
/// in 32-bit floats) plus this many units (ms at 1.0×, or beats under StepMania's rules).
const RELATIVE_TOLERANCE: f64 = 1e-6;
const ABSOLUTE_TOLERANCE: f64 = 1e-3;

/// Adds a `TimingChanged` entry for each chart of `written` (the `target` file encoded from
/// `charts`) whose notes scroll differently from the source chart in its own game.
pub(crate) fn report_changes(
    charts: &[Chart],
    written: &[u8],
    target: Format,
    report: &mut ConversionReport,
) {
    let from_other_game = |c: &Chart| {
        c.source_format
            .is_some_and(|source| Rules::for_format(source) != Rules::for_format(target))
    };
    if target.is_lossless() || !charts.iter().any(from_other_game) {
        return;
    }
    // The encoders' output always reads back (a property the fuzz targets check).
    let Ok(set) = decode_set(written, target) else {
        return;
    };
    for (chart, out) in charts.iter().zip(&set.charts) {
        if from_other_game(chart) {
            compare(chart, out, Rules::for_format(target), report);
        }
    }
}

fn compare(source: &Chart, written: &Chart, target: Rules, report: &mut ConversionReport) {
    let own = Rules::for_chart(source);
    let times: Vec<i64> = source.notes.iter().map(|n| n.time_us).collect();
    let place = |chart: &Chart, rules: Rules| {
        Timeline::new(chart, TimelineOptions::for_rules(rules)).and_then(|t| t.positions(&times))
    };
    // A chart no timeline can be built for has no positions to keep.
    let (Ok(before), Ok(after)) = (place(source, own), place(written, target)) else {
        return;
    };
    if let Some((index, deviation)) = largest_deviation(&before, &after) {
        let note = &source.notes[index];
        report
            .push(
                LossKind::TimingChanged,
                format!(
                    "scroll: {} places notes differently from {}: up to {} {} away (note #{index}), \
                     relative to the first note at the same scroll speed",
                    game(target),
                    game(own),
                    show(deviation),
                    if own == Rules::StepMania { "beats" } else { "ms at 1.0×" },
                ),
            )
            .at(index, note.time_us);
    }
}

/// The note whose position differs most, and by how much in the source's units, once `after`
/// is scaled so that the first and last notes agree; `None` when every note agrees.
fn largest_deviation(before: &[f64], after: &[f64]) -> Option<(usize, f64)> {
    let (&b0, &a0) = (before.first()?, after.first()?);
    let span = before[before.len() - 1] - b0;
    let scale = (after[after.len() - 1] - a0) / span;
    // One note, or every note at one position: nothing to scale by; compare offsets as they are.
    let scale = if span.abs() > ABSOLUTE_TOLERANCE && scale.is_finite() && scale > 0.0 {
        scale
    } else {
        1.0
    };
    let tolerance = RELATIVE_TOLERANCE * span.abs() + ABSOLUTE_TOLERANCE;
    before
        .iter()
        .zip(after)
        .map(|(b, a)| ((a - a0) / scale - (b - b0)).abs())
        .enumerate()
        .filter(|(_, d)| d.is_nan() || *d > tolerance)
        .max_by(|x, y| x.1.total_cmp(&y.1))
}

fn game(rules: Rules) -> &'static str {
    match rules {
        Rules::Osu => "osu!",
        Rules::Quaver => "Quaver",
        Rules::StepMania => "StepMania",
    }
}

fn show(deviation: f64) -> String {
    if deviation.is_finite() {
        format!("{deviation:.3}")
    } else {
        "an unbounded distance".into()
    }
}

#[cfg(test)]
mod tests {
    use super::largest_deviation;

    #[test]
    fn positions_that_differ_only_by_scroll_speed_and_origin_agree() {
        let before = [0.0, 100.0, 250.0, 1000.0];
        let after: Vec<f64> = before.iter().map(|p| 5.0 + 2.5 * p).collect();
        assert_eq!(largest_deviation(&before, &after), None);
    }

    #[test]
    fn the_note_that_moved_most_is_named_in_source_units() {
        let before = [0.0, 100.0, 250.0, 1000.0];
        let after = [0.0, 200.0, 520.0, 2000.0]; // scale 2: notes 1 and 2 are 0 and 10 off
        assert_eq!(largest_deviation(&before, &after), Some((2, 10.0)));
    }

    #[test]
    fn a_reversed_or_frozen_scroll_is_a_deviation() {
        assert_eq!(
            largest_deviation(&[0.0, 10.0, 20.0], &[0.0, -10.0, -20.0]),
            Some((2, 40.0))
        );
        assert_eq!(
            largest_deviation(&[0.0, 10.0], &[0.0, 0.0]),
            Some((1, 10.0))
        );
        assert_eq!(largest_deviation(&[0.0, 0.0], &[0.0, 0.0]), None);
        assert_eq!(largest_deviation(&[1.0], &[7.0]), None);
    }
}

//! osu!mania star rating: osu! lazer's difficulty calculation (the `Strain` skill of
//! `ManiaDifficultyCalculator`), as the `rosu-pp` crate (4.0.1, a port of lazer as of
//! 2025-10) computes it, which tests/star_rating.rs checks on real maps.
//!
//! A chart is rated as it would be written to `.osu` by this library's encoder: taps and
//! holds as they are, lifts as taps, rolls as holds, while mines and fake notes, which osu!mania
//! lacks, do not count. Times are the chart's µs as ms (the exact fractions a `.osu` file
//! written by the encoder holds), so a chart read from a `.osu` file is rated on the same times
//! osu! reads. Notes at the same time are ordered as the file reader and osu! order them: by
//! time, keeping the chart's order (or the file's order of a chord, which a chart read from a
//! `.osu` file keeps in `osu.object_order` when it is not by column), then by osu!'s legacy
//! unstable sort on whole ms.

mod legacy_sort;
mod strain;

use self::strain::HitObject;
use crate::formats::osu::{object_order, MAX_TIME_US};
use crate::model::{IssueKind, MAX_KEYS};
use crate::{Chart, Error, NoteKind, Result, ValidationIssue};

/// Scales the strain to stars (lazer's `difficulty_multiplier`).
const STAR_SCALE: f64 = 0.018;

/// The clock rates accepted: the range rosu-pp accepts (osu!'s speed mods use 0.5 to 2).
pub const CLOCK_RATE_RANGE: std::ops::RangeInclusive<f64> = 0.01..=100.0;

/// The osu!mania star rating of `chart` played at `clock_rate` (1.5 for DoubleTime, 0.75 for
/// HalfTime). 0 for a chart of fewer than two notes.
///
/// Errors: [`Error::InvalidArgument`] for a clock rate outside [`CLOCK_RATE_RANGE`] (or NaN)
/// or a note (or hold end) further than ±2^31 ms from zero, which a `.osu` file cannot hold;
/// [`Error::Invalid`] for a key count outside 1..=18 or a counted note in a column beyond it.
/// Nothing else is required of the chart: its notes need not be sorted (they are ordered
/// here), and a hold ending before it starts counts as a tap, as osu! reads one.
pub fn star_rating(chart: &Chart, clock_rate: f64) -> Result<f64> {
    if !CLOCK_RATE_RANGE.contains(&clock_rate) {
        return Err(Error::InvalidArgument(format!(
            "clock rate {clock_rate} is outside {}..={} (1 is normal speed)",
            CLOCK_RATE_RANGE.start(),
            CLOCK_RATE_RANGE.end()
        )));
    }
    if chart.key_count == 0 || chart.key_count > MAX_KEYS {
        return Err(invalid(IssueKind::KeyCountOutOfRange, 0, 0));
    }
    let objects = in_osu_order(hit_objects(chart)?);
    let columns = usize::from(chart.key_count);
    Ok(strain::difficulty_value(&objects, columns, clock_rate) * STAR_SCALE)
}

/// `objects` in the order osu! rates them.
fn in_osu_order(mut objects: Vec<HitObject>) -> Vec<HitObject> {
    // The file reader's order: by exact time, keeping the chart's order among equal times.
    objects.sort_by(|a, b| a.start.total_cmp(&b.start));
    // lazer then sorts on whole ms, rounded half to even, with .NET 4's unstable sort. Times
    // are within i32 (checked), so the cast is exact. Sorting (ms, index) pairs is faster
    // than moving the objects.
    let mut keys: Vec<(i32, usize)> = objects
        .iter()
        .enumerate()
        .map(|(index, o)| (o.start.round_ties_even() as i32, index))
        .collect();
    legacy_sort::sort_by_key(&mut keys, |&(ms, _)| ms);
    keys.into_iter().map(|(_, index)| objects[index]).collect()
}

/// The error of a chart with one problem, as validation describes it.
fn invalid(kind: IssueKind, index: usize, time_us: i64) -> Error {
    Error::Invalid(vec![ValidationIssue {
        kind,
        index,
        time_us,
    }])
}

/// The notes osu!mania would have, in chart order (with chords in the order a `.osu` file
/// listed them, when the chart keeps it), with times in ms.
fn hit_objects(chart: &Chart) -> Result<Vec<HitObject>> {
    let mut objects = Vec::with_capacity(chart.notes.len());
    for index in object_order::file_order(chart) {
        let note = &chart.notes[index];
        let end_us = match note.kind {
            NoteKind::Tap | NoteKind::Lift => note.time_us,
            NoteKind::Hold | NoteKind::Roll => note.end_time_us(),
            NoteKind::Mine | NoteKind::Fake => continue,
        };
        if note.column >= chart.key_count {
            return Err(invalid(IssueKind::ColumnOutOfRange, index, note.time_us));
        }
        if note.time_us.unsigned_abs() > MAX_TIME_US || end_us.unsigned_abs() > MAX_TIME_US {
            return Err(Error::InvalidArgument(format!(
                "note {index} at {} µs is beyond the ±2^31 ms osu! can hold",
                note.time_us
            )));
        }
        let start = ms(note.time_us);
        objects.push(HitObject {
            start,
            // osu! keeps a hold as its start plus a duration (none when the end is earlier);
            // the sum can differ from the end in the last bit.
            end: start + (ms(end_us) - start).max(0.0),
            column: usize::from(note.column),
        });
    }
    Ok(objects)
}

/// µs as ms; the division is correctly rounded, so this is the f64 osu! parses from the
/// exact decimal text of the time.
fn ms(us: i64) -> f64 {
    us as f64 / 1000.0
}

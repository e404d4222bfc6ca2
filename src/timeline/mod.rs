//! What a game needs every frame to place a chart's notes: beats, bar and beat lines, note
//! snaps and scroll positions, each by the rules of the game the chart was made for.
//!
//! ```no_run
//! use rox::timeline::{Rules, Timeline, TimelineOptions};
//! let chart = rox::decode(&std::fs::read("map.osu").unwrap(), rox::Format::Auto).unwrap();
//! let timeline = Timeline::new(&chart, TimelineOptions::for_rules(Rules::Osu)).unwrap();
//! let beat = timeline.beat_at(1_500_000).unwrap();
//! let position = timeline.position_at(1_500_000).unwrap();
//! # let _ = (beat, position);
//! ```
//!
//! Units, each game's rules and the sources followed: docs/timeline.md.

mod beats;
mod grid;
mod notes;
mod options;
mod quaver;
mod scroll;
mod speeds;
mod windows;

use std::ops::Range;

use crate::model::{time_in_range, IssueKind, TimingPoint, ValidationIssue, MAX_ABS_TIME_US};
use crate::{Chart, Error, Result};
use beats::BeatMap;
use grid::MeterSection;
pub use grid::{GridLine, SNAP_DIVISORS};
use notes::NoteIndex;
pub use options::{Rules, ScrollAlgorithm, TimelineOptions};

/// Whether a tempo change sets the scroll speed back to 1 in the game `chart` was made for:
/// in osu! (a red line without a green line at its time plays at speed 1) and in Quaver maps
/// whose SVs are relative to the BPM (`Qua.NormalizeSVs`), not in StepMania (a `#SCROLLS`
/// ratio lasts until the next) or Quaver maps with absolute SVs. Writers for another game
/// make the reset explicit.
pub fn tempo_change_resets_scroll(chart: &Chart) -> bool {
    match Rules::for_chart(chart) {
        Rules::Osu => true,
        Rules::Quaver => !quaver::svs_are_absolute(chart),
        Rules::StepMania => false,
    }
}
use scroll::ScrollMap;
use speeds::SpeedMap;
use windows::PositionWindows;

/// A chart's beats, grid, snaps and scroll positions. Immutable once built, so it can be shared
/// between threads; every query is a binary search.
#[derive(Clone, Debug)]
pub struct Timeline {
    options: TimelineOptions,
    beats: BeatMap,
    sections: Vec<MeterSection>,
    notes: NoteIndex,
    scroll: ScrollMap,
    windows: PositionWindows,
    /// StepMania's `#SPEEDS` (empty under other rules and constant scroll).
    speeds: SpeedMap,
}

fn invalid(kind: IssueKind, index: usize, time_us: i64) -> Error {
    Error::Invalid(vec![ValidationIssue {
        kind,
        index,
        time_us,
    }])
}

/// Refuses a time beyond ±2^52 µs.
fn checked_time(time_us: i64) -> Result<f64> {
    if time_in_range(time_us) {
        Ok(time_us as f64)
    } else {
        Err(Error::InvalidArgument(format!(
            "time {time_us} µs is beyond ±{MAX_ABS_TIME_US} µs"
        )))
    }
}

impl Timeline {
    /// The timeline of `chart` under `options.rules`, in O(n log n).
    ///
    /// Errors (`Error::Invalid` with one issue): `NoBpm` when the chart has notes but no
    /// usable BPM (positive and finite); `TimeOverflow` when a note or timing time is beyond
    /// ±2^52 µs; `NotesUnsorted` when a note is earlier than the one before it;
    /// `ColumnOutOfRange` for a column of 18 or more. Under Quaver rules, `Parse` when the
    /// chart's kept `qua.TimingGroups` or `qua.HitObjects` extras are not valid.
    pub fn new(chart: &Chart, options: TimelineOptions) -> Result<Timeline> {
        if let Some(i) = chart.timing.iter().position(|t| !time_in_range(t.time_us)) {
            return Err(invalid(IssueKind::TimeOverflow, i, chart.timing[i].time_us));
        }
        let notes =
            NoteIndex::new(chart).map_err(|(kind, i)| invalid(kind, i, chart.notes[i].time_us))?;
        let mut timing: Vec<TimingPoint> = chart.timing.clone();
        timing.sort_by_key(|t| t.time_us);
        let rules = options.rules;
        let beats = match BeatMap::new(&timing, rules, chart.extra("sm.timing.rows")) {
            Some(beats) => beats,
            // Without notes nothing needs a beat: a chart being written may have no BPM yet.
            None if chart.notes.is_empty() => {
                BeatMap::new(&[TimingPoint::bpm(0, 60.0, 4)], rules, None)
                    .expect("60 BPM is usable")
            }
            None => return Err(invalid(IssueKind::NoBpm, 0, chart.notes[0].time_us)),
        };
        let sections = grid::sections(chart, &beats, rules);
        let scroll = ScrollMap::new(chart, &timing, &beats, options)?;
        let windows = PositionWindows::new(&scroll, &notes, &beats);
        let speeds = match (rules, options.scroll) {
            (Rules::StepMania, ScrollAlgorithm::Sequential) => {
                SpeedMap::new(chart.extra("ssc.SPEEDS"), &beats)
            }
            _ => SpeedMap::default(),
        };
        Ok(Timeline {
            options,
            beats,
            sections,
            notes,
            scroll,
            windows,
            speeds,
        })
    }

    pub fn options(&self) -> TimelineOptions {
        self.options
    }

    /// The beat at `time_us` (beat 0 is the first BPM point; before it the first BPM is
    /// extended backwards). Constant during stops and delays; at a warp's time, the beat after
    /// the warp. `InvalidArgument` beyond ±2^52 µs.
    pub fn beat_at(&self, time_us: i64) -> Result<f64> {
        Ok(self.beats.beat_at(checked_time(time_us)?))
    }

    /// The time (µs, rounded to nearest) at which a note on `beat` is hit: on a stop's beat,
    /// when the stop starts; on a delay's beat, when it ends; inside a warp, at the warp's time.
    /// `InvalidArgument` for a beat that is not finite or whose time is beyond ±2^52 µs.
    pub fn time_at(&self, beat: f64) -> Result<i64> {
        let time = self.beats.time_at(beat);
        if beat.is_finite() && time.abs() <= MAX_ABS_TIME_US as f64 {
            Ok(time.round() as i64)
        } else {
            Err(Error::InvalidArgument(format!(
                "beat {beat} has no time within ±{MAX_ABS_TIME_US} µs"
            )))
        }
    }

    /// The snap of each note of the chart, in its note order: the smallest d of
    /// [`SNAP_DIVISORS`] such that the note is on a 1/d beat, else 0. Computed on each call
    /// (O(n log n)), so that building a timeline stays cheap.
    pub fn snaps(&self) -> Vec<u8> {
        let rules = self.options.rules;
        let snap = |&t: &i64| grid::snap(&self.beats, rules, t as f64);
        self.notes.starts.iter().map(snap).collect()
    }

    /// The snap of a note at `time_us` (see [`Timeline::snaps`]).
    pub fn snap_at(&self, time_us: i64) -> Result<u8> {
        let time = checked_time(time_us)?;
        Ok(grid::snap(&self.beats, self.options.rules, time))
    }

    /// Bar and beat lines from `from_us` to `to_us` (both included), in time order.
    pub fn grid_lines(
        &self,
        from_us: i64,
        to_us: i64,
    ) -> Result<impl Iterator<Item = GridLine> + '_> {
        let (from, to) = (checked_time(from_us)?, checked_time(to_us)?);
        Ok(grid::lines(&self.sections, &self.beats, from, to))
    }

    /// The scroll position of the playfield at `time_us`: ms at 1.0× speed (osu!, Quaver),
    /// displayed beats (StepMania); see [`ScrollAlgorithm`] and docs/timeline.md. Under Quaver
    /// rules, the position of the default scroll group (group 0). `InvalidArgument` beyond
    /// ±2^52 µs.
    pub fn position_at(&self, time_us: i64) -> Result<f64> {
        self.position_in_group(0, time_us)
    }

    /// How many scroll groups place notes: Quaver's (`$Default` first, then the map's
    /// `TimingGroups` in file order), else 1.
    pub fn scroll_group_count(&self) -> usize {
        self.scroll.group_count()
    }

    /// The scroll group of each note of the chart, in its note order (0 for the playfield's).
    /// Computed on each call.
    pub fn note_groups(&self) -> Vec<u32> {
        match self.scroll.note_groups() {
            [] => vec![0; self.notes.starts.len()],
            groups => groups.to_vec(),
        }
    }

    /// The scroll position of `group` at `time_us`: a note of that group is drawn at its own
    /// position (see [`Timeline::note_positions`]) minus this. `InvalidArgument` for a group
    /// that does not exist and beyond ±2^52 µs.
    pub fn position_in_group(&self, group: usize, time_us: i64) -> Result<f64> {
        let time = checked_time(time_us)?;
        self.check_group(group)?;
        Ok(self.scroll.position_at(group, time, &self.beats))
    }

    fn check_group(&self, group: usize) -> Result<()> {
        let count = self.scroll.group_count();
        if group < count {
            Ok(())
        } else {
            Err(Error::InvalidArgument(format!(
                "scroll group {group} does not exist (the chart has {count})"
            )))
        }
    }

    /// The factor on note spacing at `time_us`: a note is drawn (its position −
    /// `position_at(time_us)`) × this from the receptors. StepMania's `#SPEEDS` (the `ssc.SPEEDS`
    /// extra), interpolated over each change's length; 1 without it, under osu! and Quaver
    /// rules and with [`ScrollAlgorithm::Constant`] (StepMania's CMod ignores it). May be 0 or
    /// negative (notes drawn on the other side). `InvalidArgument` beyond ±2^52 µs.
    pub fn speed_factor_at(&self, time_us: i64) -> Result<f64> {
        let time = checked_time(time_us)?;
        Ok(self.speeds.factor_at(time, self.beats.beat_at(time)))
    }

    /// [`Timeline::position_at`] of each of `times_us`, all or nothing; in one pass over the
    /// speed changes when the times are sorted (a frame's batch usually is).
    pub fn positions(&self, times_us: &[i64]) -> Result<Vec<f64>> {
        for &t in times_us {
            checked_time(t)?;
        }
        if times_us.windows(2).all(|w| w[0] <= w[1]) {
            Ok(self.scroll.positions_of_sorted(0, times_us, &self.beats))
        } else {
            let at = |&t: &i64| self.scroll.position_at(0, t as f64, &self.beats);
            Ok(times_us.iter().map(at).collect())
        }
    }

    /// (start, end) position of each note of the chart, in its note order, each in its own
    /// scroll group (the end is the start for notes without a length).
    pub fn note_positions(&self) -> Vec<(f64, f64)> {
        let groups = self.scroll.note_groups();
        let (starts, ends) = (&self.notes.starts, &self.notes.ends);
        let at = |i: usize, t: i64| {
            let group = groups.get(i).map_or(0, |&g| g as usize);
            self.scroll.position_at(group, t as f64, &self.beats)
        };
        (0..starts.len())
            .map(|i| (at(i, starts[i]), at(i, ends[i])))
            .collect()
    }

    /// Indexes (into the chart's notes) of the notes whose start position is within
    /// `low..=high`, in O(log n): where positions never decrease, the notes in a window are one
    /// run. A hold that starts before `low` is not included even if its body reaches into the
    /// window: widen `low` by the longest hold. `InvalidArgument` for a NaN bound, where
    /// positions can go backwards (a negative Quaver SV or StepMania scroll) or the notes'
    /// positions are out of their time order (Quaver's float arithmetic, hours from time 0),
    /// and where notes are in several Quaver scroll groups (use [`Timeline::notes_in_view`]).
    pub fn notes_in_position_window(&self, low: f64, high: f64) -> Result<Range<usize>> {
        self.check_window(low, high)?;
        if !self.windows.is_one_group() {
            return Err(Error::InvalidArgument(
                "the notes are in several scroll groups, each with its own position: use a view window".into(),
            ));
        }
        Ok(self.windows.in_range(low, high))
    }

    /// Indexes (into the chart's notes, ascending) of the notes drawn within `low..=high` of
    /// the judgement line at `time_us`: whose start position is within `p + low ..= p + high`,
    /// `p` the position of the note's own scroll group at `time_us`. For a chart in one group
    /// the notes of `notes_in_position_window(p + low, p + high)`. O(g log n + k) for g groups
    /// with notes. Errors as [`Timeline::notes_in_position_window`] (but several groups are
    /// fine), and `InvalidArgument` beyond ±2^52 µs.
    pub fn notes_in_view(&self, time_us: i64, low: f64, high: f64) -> Result<Vec<u32>> {
        let time = checked_time(time_us)?;
        self.check_window(low, high)?;
        let position_of = |group| self.scroll.position_at(group, time, &self.beats);
        Ok(self.windows.in_view(position_of, low, high))
    }

    fn check_window(&self, low: f64, high: f64) -> Result<()> {
        if !self.windows.is_monotonic() {
            return Err(Error::InvalidArgument(
                "positions go backwards somewhere (a negative speed, or notes out of order by \
                 float rounding): no position window"
                    .into(),
            ));
        }
        if low.is_nan() || high.is_nan() {
            return Err(Error::InvalidArgument(
                "a position window bound is NaN".into(),
            ));
        }
        Ok(())
    }

    /// Indexes (into the chart's notes) of the notes of `column` that start within
    /// `from_us..=to_us`, in time order, in O(log n). Empty for a column the chart does not
    /// have. `InvalidArgument` beyond ±2^52 µs.
    pub fn notes_in_time_window(&self, column: u8, from_us: i64, to_us: i64) -> Result<&[u32]> {
        checked_time(from_us)?;
        checked_time(to_us)?;
        Ok(self.notes.in_column(column, from_us, to_us))
    }
}

#[cfg(test)]
mod tests;

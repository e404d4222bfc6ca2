//! What song select shows about a chart: note counts, length and drain time, BPM range and
//! dominant BPM, note density, hashes that identify it, the osu!mania star rating (`star`)
//! and the patterns it is made of (`patterns`) (docs/analysis.md).
//!
//! Every figure but the per-kind counts is over the *played* notes: taps, holds, rolls and
//! lifts. Mines must not be pressed and fakes are never judged, so they make a chart neither
//! longer nor denser. Nothing here fails: an empty chart, unsorted notes, unusable BPMs and
//! times at the ends of `i64` give zeros or clamped values, never NaN, a panic or a hang.

mod bpm;
mod counts;
mod density;
mod hash;
pub mod patterns;
mod span;
pub mod star;
#[cfg(test)]
mod tests;

pub use bpm::BpmStats;
pub(crate) use bpm::{most_common_beat_length, DEFAULT_BEAT_LENGTH_MS};
pub use density::{density, max_nps, DEFAULT_NPS_WINDOW_US};
pub use hash::{canonical_bytes, content_hash, file_md5, CANONICAL_VERSION};

use crate::model::{Note, NoteKind};
use crate::Chart;

/// The statistics of one chart ([`statistics`]).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ChartStats {
    /// Notes of each kind, indexed by `NoteKind as usize` (all notes, mines and fakes too).
    pub kind_counts: [u64; NoteKind::ALL.len()],
    /// Played notes per column; `key_count` long (longer if a note lies beyond it).
    pub column_counts: Vec<u64>,
    /// `chord_sizes[k]`: how many times exactly `k` played notes start together. Index 0 is
    /// always 0; the length is the largest chord plus one (empty without notes).
    pub chord_sizes: Vec<u64>,
    /// Start of the first played note, µs (0 without notes).
    pub first_note_us: i64,
    /// Latest end of a played note (holds included), µs (0 without notes).
    pub last_note_end_us: i64,
    /// `last_note_end_us - first_note_us`.
    pub length_us: i64,
    /// Total length of the breaks osu! would place between the notes.
    pub break_us: i64,
    /// `length_us - break_us`: the time the player is busy.
    pub drain_us: i64,
    pub bpm: BpmStats,
    /// Played notes per second over `length_us` (0 when the chart lasts no time).
    pub average_nps: f64,
    /// Most played notes starting within one second, per second (0 when the chart lasts no
    /// time); [`max_nps`] takes other window widths.
    pub max_nps: f64,
    /// Longest hold or roll, µs.
    pub longest_hold_us: i64,
    /// Most holds and rolls held at the same time.
    pub max_simultaneous_holds: u32,
}

/// Whether a note is played: it counts towards length, density and chords.
pub fn is_played(kind: NoteKind) -> bool {
    !matches!(kind, NoteKind::Mine | NoteKind::Fake)
}

/// The played notes as (start, end), sorted by start: the input of every timing figure.
pub(crate) struct Played {
    pub spans: Vec<(i64, i64)>,
    /// Start of the first (0 without notes).
    pub first_start: i64,
    /// Latest end (`None` without notes).
    pub last_end: Option<i64>,
}

impl Played {
    pub fn of(notes: &[Note]) -> Played {
        let mut spans: Vec<(i64, i64)> = notes
            .iter()
            .filter(|n| is_played(n.kind))
            .map(|n| (n.time_us, n.end_time_us()))
            .collect();
        // A valid chart is sorted already; sorting is only for charts that are not.
        if spans.windows(2).any(|w| w[0].0 > w[1].0) {
            spans.sort_unstable_by_key(|s| s.0);
        }
        Played {
            first_start: spans.first().map_or(0, |s| s.0),
            last_end: spans.iter().map(|s| s.1).max(),
            spans,
        }
    }

    /// From the first start to the last end, clamped to `i64`.
    pub fn length_us(&self) -> i64 {
        self.last_end
            .map_or(0, |end| difference(end, self.first_start))
    }
}

/// `a - b` without overflow, clamped to `0..=i64::MAX`.
pub(crate) fn difference(a: i64, b: i64) -> i64 {
    let d = i128::from(a) - i128::from(b);
    i64::try_from(d.max(0)).unwrap_or(i64::MAX)
}

/// Every statistic of `chart`. O(n) for a sorted chart (O(n log n) otherwise).
pub fn statistics(chart: &Chart) -> ChartStats {
    let played = Played::of(&chart.notes);
    let length_us = played.length_us();
    let break_us = span::break_time_us(&played.spans, &chart.timing);
    let notes = counts::note_counts(chart);
    let holds = counts::hold_stats(&chart.notes);
    ChartStats {
        kind_counts: notes.kinds,
        column_counts: notes.columns,
        chord_sizes: counts::chord_sizes(&played.spans),
        first_note_us: played.first_start,
        last_note_end_us: played.last_end.unwrap_or(0),
        length_us,
        break_us,
        drain_us: length_us.saturating_sub(break_us).max(0),
        bpm: BpmStats::of(&chart.timing, played.last_end),
        average_nps: density::rate(played.spans.len() as u64, length_us),
        max_nps: density::max_nps_of(&played, DEFAULT_NPS_WINDOW_US),
        longest_hold_us: holds.longest_us,
        max_simultaneous_holds: holds.most_at_once,
    }
}

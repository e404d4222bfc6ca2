//! The chart's notes as the timeline keeps them: start and end times, and the notes of each
//! column, for window queries.

use std::ops::Range;

use crate::model::{IssueKind, MAX_KEYS};
use crate::Chart;

#[derive(Clone, Debug, Default)]
pub(super) struct NoteIndex {
    /// Start time of each note, in the chart's order (sorted by time).
    pub starts: Vec<i64>,
    /// End time of each note (its start for kinds without a length).
    pub ends: Vec<i64>,
    /// Indexes of each column's notes, in time order.
    by_column: Vec<Vec<u32>>,
}

impl NoteIndex {
    /// The index of `chart`'s notes, or the problem (`NotesUnsorted` with the note's index).
    pub fn new(chart: &Chart) -> Result<NoteIndex, (IssueKind, usize)> {
        let notes = &chart.notes;
        if let Some(i) = (1..notes.len()).find(|&i| notes[i].time_us < notes[i - 1].time_us) {
            return Err((IssueKind::NotesUnsorted, i));
        }
        let mut by_column = vec![Vec::new(); usize::from(MAX_KEYS)];
        for (i, n) in notes.iter().enumerate() {
            match by_column.get_mut(usize::from(n.column)) {
                Some(list) => list.push(i as u32),
                None => return Err((IssueKind::ColumnOutOfRange, i)),
            }
        }
        Ok(NoteIndex {
            starts: notes.iter().map(|n| n.time_us).collect(),
            ends: notes.iter().map(|n| n.end_time_us()).collect(),
            by_column,
        })
    }

    /// Indexes of the notes of `column` that start within `from..=to` µs, in time order.
    pub fn in_column(&self, column: u8, from: i64, to: i64) -> &[u32] {
        let Some(list) = self.by_column.get(usize::from(column)) else {
            return &[];
        };
        let start = |&i: &u32| self.starts[i as usize];
        let a = list.partition_point(|i| start(i) < from);
        let b = list.partition_point(|i| start(i) <= to);
        &list[a..b.max(a)]
    }

    /// Indexes of the notes whose start's `key` is within `low..=high`, when `key` does not
    /// decrease with time.
    pub fn in_monotonic(&self, low: f64, high: f64, key: impl Fn(i64) -> f64) -> Range<usize> {
        let a = self.starts.partition_point(|&t| key(t) < low);
        let b = self.starts.partition_point(|&t| key(t) <= high);
        a..b.max(a)
    }
}

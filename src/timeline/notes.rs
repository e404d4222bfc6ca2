//! The chart's notes as the timeline keeps them: start and end times, and the notes of each
//! column, for window queries.

use crate::model::{time_in_range, IssueKind, MAX_KEYS};
use crate::Chart;

#[derive(Clone, Debug, Default)]
pub(super) struct NoteIndex {
    /// Start time of each note, in the chart's order (sorted by time).
    pub starts: Vec<i64>,
    /// End time of each note (its start for kinds without a length).
    pub ends: Vec<i64>,
    /// Note indexes by column, each column's in time order: column c's are
    /// `by_column[column_starts[c]..column_starts[c + 1]]`.
    by_column: Vec<u32>,
    column_starts: [usize; MAX_KEYS as usize + 1],
}

impl NoteIndex {
    /// The index of `chart`'s notes, or the problem (`TimeOverflow`, `NotesUnsorted` or
    /// `ColumnOutOfRange`, with the note's index). One pass over the notes for all but the
    /// column lists: building must stay cheap for 50K-note charts.
    pub fn new(chart: &Chart) -> Result<NoteIndex, (IssueKind, usize)> {
        let notes = &chart.notes;
        let (mut starts, mut ends) = (
            Vec::with_capacity(notes.len()),
            Vec::with_capacity(notes.len()),
        );
        let mut column_starts = [0; MAX_KEYS as usize + 1];
        for (i, n) in notes.iter().enumerate() {
            let end = n.end_time_us();
            if !time_in_range(n.time_us) || !time_in_range(end) {
                return Err((IssueKind::TimeOverflow, i));
            }
            if starts.last().is_some_and(|&previous| n.time_us < previous) {
                return Err((IssueKind::NotesUnsorted, i));
            }
            if n.column >= MAX_KEYS {
                return Err((IssueKind::ColumnOutOfRange, i));
            }
            starts.push(n.time_us);
            ends.push(end);
            column_starts[usize::from(n.column) + 1] += 1;
        }
        // A counting sort by column keeps each column's notes in time order.
        for c in 1..column_starts.len() {
            column_starts[c] += column_starts[c - 1];
        }
        let mut next = column_starts;
        let mut by_column = vec![0; notes.len()];
        for (i, n) in notes.iter().enumerate() {
            let slot = &mut next[usize::from(n.column)];
            by_column[*slot] = i as u32;
            *slot += 1;
        }
        Ok(NoteIndex {
            starts,
            ends,
            by_column,
            column_starts,
        })
    }

    /// Indexes of the notes of `column` that start within `from..=to` µs, in time order.
    pub fn in_column(&self, column: u8, from: i64, to: i64) -> &[u32] {
        let c = usize::from(column);
        let Some(&end) = self.column_starts.get(c + 1) else {
            return &[];
        };
        let list = &self.by_column[self.column_starts[c]..end];
        let start = |&i: &u32| self.starts[i as usize];
        let a = list.partition_point(|i| start(i) < from);
        let b = list.partition_point(|i| start(i) <= to);
        &list[a..b.max(a)]
    }
}

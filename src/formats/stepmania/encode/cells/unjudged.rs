//! Unjudged cells (in warps and `#FAKES` ranges) put back on the rows their hints say, and
//! judged notes kept clear of them.

use std::collections::HashMap;

use super::{in_file, Builder, Cell, NO_NOTE};
use crate::formats::stepmania::extras::UnjudgedCell;
use crate::formats::stepmania::timing::Order;
use crate::formats::stepmania::values::beat_text;
use crate::model::{ConversionReport, LossKind, Note, NoteKind};

/// Unjudged-cell hints on this file's rows, with keysounds in its keysound list.
pub(super) fn unjudged_cells(
    hints: &[UnjudgedCell],
    shift_rows: i64,
    keysound_map: &[u32],
) -> Vec<Hint> {
    hints
        .iter()
        .map(|h| Hint {
            row: h.row + shift_rows,
            column: h.column,
            ch: h.ch,
            note_keysound: h
                .keysound
                .and_then(|k| u32::try_from(k).ok())
                .filter(|&k| (k as usize) < keysound_map.len()),
            keysound: h.keysound.map(|k| in_file(k, keysound_map)),
            tail: h.tail.map(|t| t + shift_rows),
        })
        .collect()
}

/// An unjudged cell to write.
pub(super) struct Hint {
    row: i64,
    column: u8,
    ch: u8,
    /// The keysound the reader gave the cell's note (none for an index outside the list).
    note_keysound: Option<u32>,
    keysound: Option<i64>,
    tail: Option<i64>,
}

impl Builder<'_> {
    /// Unjudged notes come back to the rows they were read from when their time still fits:
    /// the hints still unjudged, by (column, time), first hint last.
    pub(super) fn hints_by_time(&self, hints: &[Hint]) -> HashMap<(u8, i64), Vec<usize>> {
        let mut hint_at: HashMap<(u8, i64), Vec<usize>> = HashMap::new();
        for (i, hint) in hints.iter().enumerate().rev() {
            if self.timing.sm.is_unjudged(hint.row) {
                hint_at
                    .entry((hint.column, self.time_of(hint.row)))
                    .or_default()
                    .push(i);
            }
        }
        hint_at
    }

    /// Puts an unjudged note back where its hint says; false when it has none that fits (a
    /// hint that does not is reported: the note is written as an `F` on another row).
    pub(super) fn put_back_unjudged(
        &mut self,
        i: usize,
        note: &Note,
        hints: &[Hint],
        hint_at: &mut HashMap<(u8, i64), Vec<usize>>,
        report: &mut ConversionReport,
    ) -> bool {
        if note.kind != NoteKind::Fake {
            return false;
        }
        // The first hint of its time and column with the note's keysound: another fake of
        // that time (an `F` of the judged range, with no hint) must not take its cell.
        let Some(h) = hint_at
            .get_mut(&(note.column, note.time_us))
            .and_then(|at| {
                let k = at
                    .iter()
                    .rposition(|&h| hints[h].note_keysound == note.keysound)?;
                Some(at.remove(k))
            })
        else {
            return false;
        };
        if !self.hint_fits(&hints[h]) {
            report
                .push(
                    LossKind::NoteChanged,
                    format!(
                        "unjudged note written as a fake (F): its row in a warp or #FAKES \
                         range, beat {}, is inside a hold of its column",
                        beat_text(hints[h].row)
                    ),
                )
                .at(i, note.time_us);
            return false;
        }
        self.push_unjudged(&hints[h]);
        true
    }

    /// Whether a hint's row is past the end of the hold open in its column: on or before it,
    /// its cell would take the hold's, and the note goes the way of any other (`note`).
    fn hint_fits(&self, hint: &Hint) -> bool {
        self.holds[usize::from(hint.column)].map_or(true, |open| hint.row > open.tail)
    }

    fn push_unjudged(&mut self, hint: &Hint) {
        self.cells.push(Cell {
            row: hint.row,
            column: hint.column,
            ch: hint.ch,
            keysound: hint.keysound,
            note: NO_NOTE,
        });
        let end = hint.tail.unwrap_or(hint.row);
        let column = usize::from(hint.column);
        let span = match self.unjudged_spans[column] {
            Some((first, last)) if self.time_of(first) == self.time_of(hint.row) => {
                (first.min(hint.row), last.max(end))
            }
            _ => (hint.row, end),
        };
        self.unjudged_spans[column] = Some(span);
        if let Some(tail) = hint.tail {
            let holds = &mut self.unjudged_holds[column];
            let at = holds.partition_point(|&(head, _)| head <= hint.row);
            holds.insert(at, (hint.row, tail));
            self.cells.push(Cell {
                row: tail,
                column: hint.column,
                ch: b'3',
                keysound: None,
                note: NO_NOTE,
            });
        }
    }

    /// A fake's row: off a #FAKES range to the row after it or the row before it, when that
    /// has the fake's time (an `F` inside reads back as an unjudged cell, which the chart does
    /// not have).
    pub(super) fn judged_row_for_fake(&self, note: &Note, row: i64) -> i64 {
        let sm = &self.timing.sm;
        if note.kind != NoteKind::Fake || !sm.is_unjudged(row) {
            return row;
        }
        let Some((start, end)) = sm.fakes_around(row) else {
            return row;
        };
        let time = self.time_of(row);
        [end, start - 1]
            .into_iter()
            .find(|&r| !sm.is_unjudged(r) && self.time_of(r) == time)
            .unwrap_or(row)
    }

    /// `row`, or the first judged row after an unjudged hold put back in `column` that `row`
    /// is inside, or after the unjudged cells put back last there when `row` is among them or
    /// is a hold's before them at their time (it would contain them, and StepMania deletes a
    /// hold that contains a note); at tempos of millions of BPM, or after a stop, many rows
    /// share a µs. `None` when no row after them has the note's time.
    pub(super) fn clear_of_unjudged(&self, row: i64, column: usize, hold: bool) -> Option<i64> {
        let holds = &self.unjudged_holds[column];
        let around = holds.partition_point(|&(head, _)| head <= row);
        let row = match around.checked_sub(1).map(|i| holds[i]) {
            Some((_, tail)) if row <= tail => self.judged_row_after(tail, row)?,
            _ => row,
        };
        let Some((first, last)) = self.unjudged_spans[column] else {
            return Some(row);
        };
        let time = self.time_of(row);
        if row > last || (row < first && (!hold || self.time_of(first) != time)) {
            return Some(row);
        }
        self.judged_row_after(last, row)
    }

    /// The first judged row after `last` with the time of `row`, if there is one.
    pub(super) fn judged_row_after(&self, last: i64, row: i64) -> Option<i64> {
        let time = self.time_of(row);
        let mut after = last + 1;
        if self.timing.sm.is_unjudged(after) {
            // Inside a warp: its end (or a stop's row in it), where that has the time.
            let at = self.heads.time_at(after, Order::Note);
            after = self.heads.row_near(at, Order::Note).max(after);
        }
        (self.time_of(after) == time).then_some(after)
    }
}

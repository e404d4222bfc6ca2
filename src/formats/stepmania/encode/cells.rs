//! Model notes → note-data cells on rows: notes snapped to the grid, holds closed by their
//! tails, unjudged notes and auto keysounds put back where their hints say.

mod unjudged;

use std::collections::HashMap;

use self::unjudged::{unjudged_cells, Hint};
use super::timing::{us, FileTiming};
use crate::formats::stepmania::extras::SmExtras;
use crate::formats::stepmania::timing::{Cursor, Order, MAX_ROW, ROWS_PER_MEASURE};
use crate::formats::stepmania::values::beat_text;
use crate::formats::text::us_from_seconds;
use crate::model::{
    sort_by_key_stable, ConversionReport, HitSound, LossKind, Note, NoteKind, MAX_ABS_TIME_US,
};
use crate::{Chart, Error, Result};

/// Longest note data written: 100 000 measures (400 000 beats, 111 hours at 60 BPM); beyond
/// that a chart is refused rather than written as hundreds of megabytes.
const MAX_MEASURES: i64 = 100_000;

/// One cell of note data.
#[derive(Clone, Copy)]
pub(super) struct Cell {
    pub row: i64,
    pub column: u8,
    pub ch: u8,
    /// The `[n]` index written after the character.
    pub keysound: Option<i64>,
    /// Index of the source note whose head this is (`NO_NOTE` for tails, keysounds, hints).
    pub note: u32,
}

pub(super) const NO_NOTE: u32 = u32::MAX;

/// A chart's cells, sorted by row and column, one per cell.
pub(super) struct Cells {
    pub cells: Vec<Cell>,
}

/// A hold being written, until the next note of its column.
#[derive(Clone, Copy)]
struct OpenHold {
    head: i64,
    tail: i64,
    /// Index of its tail in the cells.
    tail_cell: usize,
    /// Index of the source note.
    note: usize,
    /// Index of its `HoldEndSnapped` report entry, if its end moved.
    end_entry: Option<usize>,
}

/// The cells of one chart as they are worked out.
struct Builder<'a> {
    chart: &'a Chart,
    timing: &'a FileTiming,
    cells: Vec<Cell>,
    /// Per column: the open hold, and the row of the last head written.
    holds: Vec<Option<OpenHold>>,
    last_head: Vec<Option<i64>>,
    /// Per column: the first and last rows taken by the unjudged cells of one time put back
    /// last from hints (a hold's up to its tail).
    unjudged_spans: Vec<Option<(i64, i64)>>,
    /// Per column: the head and tail rows of every unjudged hold put back, by head (a judged
    /// note inside any of them would delete it).
    unjudged_holds: Vec<Vec<(i64, i64)>>,
    /// Times of rows: of heads, which come in order, and of hold tails, nearly so.
    heads: Cursor<'a>,
    tails: Cursor<'a>,
}

impl Cells {
    pub fn of(
        chart: &Chart,
        extras: &SmExtras,
        index: usize,
        timing: &FileTiming,
        keysound_map: &[u32],
        report: &mut ConversionReport,
    ) -> Result<Cells> {
        let columns = usize::from(chart.key_count);
        let mut b = Builder {
            chart,
            timing,
            cells: Vec::with_capacity(chart.notes.len() + 16),
            holds: vec![None; columns],
            last_head: vec![None; columns],
            unjudged_spans: vec![None; columns],
            unjudged_holds: vec![Vec::new(); columns],
            heads: timing.engine.cursor(),
            tails: timing.engine.cursor(),
        };
        let hints = unjudged_cells(&extras.rows.unjudged, timing.shift_rows, keysound_map);
        let sounds = chart
            .notes
            .iter()
            .filter(|n| n.sound != HitSound::default())
            .count();
        b.notes(index, &hints, keysound_map, report);
        if sounds > 0 {
            report.push(
                LossKind::SoundDropped,
                format!(
                    "chart {index}: hit sounds of {sounds} note(s) dropped: StepMania has none"
                ),
            );
        }
        b.auto_keysounds(extras, keysound_map);
        b.finish(index, report)
    }
}

impl Builder<'_> {
    fn time_of(&self, row: i64) -> i64 {
        us(self.heads.time_at(row, Order::Note))
    }

    fn tail_time_of(&self, row: i64) -> i64 {
        us(self.tails.time_at(row, Order::Note))
    }

    /// The chart's notes on rows. The unjudged notes of one time and column go back first:
    /// a hold among them may cover the row a judged note of that time would take, which
    /// `clear_of_unjudged` then moves past it. Hints no note takes are reported.
    fn notes(
        &mut self,
        index: usize,
        hints: &[Hint],
        keysound_map: &[u32],
        report: &mut ConversionReport,
    ) {
        let mut hint_at = self.hints_by_time(hints);
        let left_out = |hint_at: &HashMap<(u8, i64), Vec<usize>>| -> usize {
            hint_at.values().map(Vec::len).sum()
        };
        // Hints whose rows the chart's timing no longer leaves unjudged.
        let no_longer_unjudged = hints.len() - left_out(&hint_at);
        let notes = &self.chart.notes;
        let same_time_and_column =
            |a: &Note, b: &Note| (a.time_us, a.column) == (b.time_us, b.column);
        let mut start = 0;
        let mut judged = Vec::new();
        for run in notes.chunk_by(same_time_and_column) {
            judged.clear();
            for (i, note) in (start..).zip(run) {
                if !self.put_back_unjudged(i, note, hints, &mut hint_at, report) {
                    judged.push(i);
                }
            }
            for &i in &judged {
                self.note(i, &notes[i], keysound_map, report);
            }
            start += run.len();
        }
        // Hints no note took (those taken but not fitting are reported as they come).
        let unused = no_longer_unjudged + left_out(&hint_at);
        if unused > 0 {
            report.push(
                LossKind::NoteChanged,
                format!(
                    "chart {index}: {unused} unjudged cell(s) of the source file (in warps or \
                     #FAKES ranges) not written back on their rows: no unjudged note has their \
                     time and column in the chart as it is timed now"
                ),
            );
        }
    }

    /// A model note on its row, or reported dropped when its cell is taken.
    fn note(&mut self, i: usize, note: &Note, map: &[u32], report: &mut ConversionReport) {
        let row = self
            .heads
            .row_near(note.time_us as f64 / 1e6, Order::Note)
            .max(0);
        let column = usize::from(note.column);
        // A hold's tail row by its end's time alone (`open_hold` keeps it after the head).
        let tail = (note.kind.has_duration()).then(|| self.tail_row_near(note.end_time_us()));
        let row = tail.map_or(row, |tail| self.hold_head_row(note, row, tail));
        let row = self.judged_row_for_fake(note, row);
        let Some(row) = self.clear_of_unjudged(row, column, note.kind.has_duration()) else {
            report
                .push(
                    LossKind::NoteDropped,
                    "note inside an unjudged hold in its column, or a hold that would contain \
                     the unjudged notes of its time: a StepMania hold cannot contain them",
                )
                .at(i, note.time_us);
            return;
        };
        let row = match self.holds[column] {
            Some(hold) if row == hold.tail => self.row_after_tail(&hold, column, note),
            _ => row,
        };
        if let Some(hold) = self.holds[column] {
            if !self.close_hold(hold, row, i, note, report) {
                return;
            }
            self.holds[column] = None;
        }
        if self.last_head[column] == Some(row) {
            report
                .push(
                    LossKind::NoteDropped,
                    "note on the row of another note in its column: a StepMania cell holds one",
                )
                .at(i, note.time_us);
            return;
        }
        self.last_head[column] = Some(row);
        // Saturating: a row beyond the model's times is refused once all are placed.
        let shift = self.time_of(row).saturating_sub(note.time_us);
        if shift != 0 {
            report
                .push(LossKind::NoteSnapped, "note moved to the 1/48-beat grid")
                .at(i, note.time_us)
                .shifted(shift);
        }
        if self.timing.sm.is_unjudged(row) {
            let message = match note.kind {
                // Still a fake, but on a row whose cell is kept as it is read (a hint).
                NoteKind::Fake => {
                    "fake lands in a warp or #FAKES range: read back, its row \
                                   is kept as an unjudged cell's"
                }
                _ => "note lands in a warp or #FAKES range: StepMania will not judge it",
            };
            report
                .push(LossKind::NoteChanged, message)
                .at(i, note.time_us);
        }
        let as_tap = tail.is_some_and(|tail| self.ends_past_a_pause(i, note, row, tail, report));
        self.cells.push(Cell {
            row,
            column: note.column,
            ch: note_char(if as_tap { NoteKind::Tap } else { note.kind }),
            keysound: note.keysound.map(|k| i64::from(map[k as usize])),
            note: i as u32,
        });
        if let Some(tail) = tail.filter(|_| !as_tap) {
            self.open_hold(i, note, row, tail, report);
        }
    }

    /// The row of a hold's end by its time: `row_near` picks the last of the rows a warp
    /// gives one time (its end, the first row judged); a tail needs no judging, and on the
    /// first of them it stays clear of the warp's notes of its column (which the hold would
    /// otherwise contain).
    fn tail_row_near(&self, end_us: i64) -> i64 {
        let tail = self.tails.row_near(end_us as f64 / 1e6, Order::Note);
        self.timing.engine.first_row_timed_as(tail)
    }

    /// Whether a hold headed at `row` whose end's row (`tail`) is not after it would, ending a
    /// row later, end more than two rows of its tempo late: past a stop on its row or a delay
    /// on the next. It is then written as a tap (reported), which moves its end less than
    /// stretching a hold shorter than a row over the pause would.
    fn ends_past_a_pause(
        &self,
        i: usize,
        note: &Note,
        row: i64,
        tail: i64,
        report: &mut ConversionReport,
    ) -> bool {
        if tail > row {
            return false;
        }
        let engine = &self.timing.engine;
        // The row's span at its tempo: from after whatever is on the row to the next row's
        // tempo change, so without the pauses of either. Saturating: times of stops of ages
        // reach the ends of i64.
        let row_us = us(engine.time_at(row + 1, Order::Bpm))
            .saturating_sub(us(engine.time_at(row, Order::Warp)));
        let late = self
            .tail_time_of(row + 1)
            .saturating_sub(note.end_time_us());
        if late <= row_us.saturating_mul(2) {
            return false;
        }
        let message = format!(
            "{} shorter than a row would end {late} µs late on the row after its start: \
             written as a tap",
            note.kind.name()
        );
        report
            .push(LossKind::NoteChanged, message)
            .at(i, note.time_us);
        true
    }

    /// A hold's head row: `row`, or the judged row before it, when that is free and the end
    /// would share `row` (its `tail` is not after it), and moving the head back moves the
    /// farther-moved of head and end less than moving the end a row later would (a short hold ending where a stop starts keeps its end on the
    /// stop's row, where a row later is past the whole stop).
    fn hold_head_row(&self, note: &Note, row: i64, tail: i64) -> i64 {
        let column = usize::from(note.column);
        // The row before is free: no note of the column on it, no hold of the column to it.
        let free = self.last_head[column].map_or(true, |head| head < row - 1)
            && self.holds[column].map_or(true, |hold| hold.tail < row - 1);
        if tail > row || row == 0 || !free || self.timing.sm.is_unjudged(row - 1) {
            return row;
        }
        let (start, end) = (note.time_us, note.end_time_us());
        let moves = |head: i64| {
            let head_moves = self.time_of(head).abs_diff(start);
            head_moves.max(self.tail_time_of(head + 1).abs_diff(end))
        };
        if moves(row - 1) < moves(row) {
            row - 1
        } else {
            row
        }
    }

    /// A note on the tail row of its column's hold: the row after, when that takes the note as
    /// it is, and either has the note's time (rows that share a µs) or moves it less than the
    /// hold's end would move giving way a row up, where that is more than two rows (back over
    /// a stop on the row before); the hold then keeps its end. Else `tail`, and the hold
    /// gives way (`close_hold`).
    fn row_after_tail(&self, hold: &OpenHold, column: usize, note: &Note) -> i64 {
        let (tail, after) = (hold.tail, hold.tail + 1);
        let end = self.chart.notes[hold.note].end_time_us();
        let row_us = self.time_of(after + 1).abs_diff(self.time_of(after));
        let note_moves = self.time_of(after).abs_diff(note.time_us);
        let end_moves = self.tail_time_of(tail - 1).abs_diff(end);
        let nearer = note_moves < end_moves && end_moves > 2 * row_us;
        let fits = (self.time_of(after) == self.time_of(tail) || nearer)
            && !self.timing.sm.is_unjudged(after)
            && self.clear_of_unjudged(after, column, note.kind.has_duration()) == Some(after);
        if fits {
            after
        } else {
            tail
        }
    }

    /// Ends the hold open in a note's column before the note's row. False when the note cannot
    /// be written (inside the hold, or on the end of a one-row hold): it is reported dropped.
    fn close_hold(
        &mut self,
        hold: OpenHold,
        row: i64,
        i: usize,
        note: &Note,
        report: &mut ConversionReport,
    ) -> bool {
        let OpenHold {
            head,
            tail,
            tail_cell,
            note: hold_note,
            end_entry,
        } = hold;
        if row < tail {
            report
                .push(
                    LossKind::NoteDropped,
                    "note inside a hold in its column: a StepMania hold cannot contain it",
                )
                .at(i, note.time_us);
            return false;
        }
        if row != tail {
            return true;
        }
        if tail - 1 <= head {
            report
                .push(
                    LossKind::NoteDropped,
                    "note on the end row of a one-row hold in its column",
                )
                .at(i, note.time_us);
            return false;
        }
        // The hold gives way: its end moves one row up. One entry says how far the end moved
        // in all (replacing the one of its snap, if any).
        self.cells[tail_cell].row = tail - 1;
        if !self.takes_no_time(head, tail) {
            self.report_if_no_time(head, tail - 1, hold_note, report);
        }
        let end = self.chart.notes[hold_note].end_time_us();
        const GIVES_WAY: &str = "hold ends one row earlier: a note starts on its last row";
        let entry = match end_entry {
            Some(e) => {
                let entry = &mut report.entries[e];
                entry.message = GIVES_WAY.into();
                entry
            }
            None => report
                .push(LossKind::HoldEndSnapped, GIVES_WAY)
                .at(hold_note, self.chart.notes[hold_note].time_us),
        };
        entry.shifted(self.tail_time_of(tail - 1).saturating_sub(end));
        true
    }

    /// Whether a hold from row `head` to row `tail` ends at its start's time (rows that share
    /// a µs, at tempos of millions of BPM): StepMania's hold, read back, is a tap.
    fn takes_no_time(&self, head: i64, tail: i64) -> bool {
        self.tail_time_of(tail) <= self.time_of(head)
    }

    fn report_if_no_time(&self, head: i64, tail: i64, i: usize, report: &mut ConversionReport) {
        if self.takes_no_time(head, tail) {
            let note = &self.chart.notes[i];
            let message = format!(
                "{} ends at its start's time (its rows share a µs): read back as a tap",
                note.kind.name()
            );
            report
                .push(LossKind::NoteChanged, message)
                .at(i, note.time_us);
        }
    }

    /// The tail of a hold or roll whose head is at `row`: on `tail` (`tail_row_near`), at
    /// least a row after the head (a move reported below as a snap).
    fn open_hold(
        &mut self,
        i: usize,
        note: &Note,
        row: i64,
        tail: i64,
        report: &mut ConversionReport,
    ) {
        let end = note.end_time_us();
        let tail = tail.max(row + 1);
        let shift = self.tail_time_of(tail).saturating_sub(end);
        let mut end_entry = None;
        if shift != 0 {
            end_entry = Some(report.entries.len());
            report
                .push(
                    LossKind::HoldEndSnapped,
                    "hold end moved to the 1/48-beat grid",
                )
                .at(i, note.time_us)
                .shifted(shift);
        }
        self.report_if_no_time(row, tail, i, report);
        self.holds[usize::from(note.column)] = Some(OpenHold {
            head: row,
            tail,
            tail_cell: self.cells.len(),
            note: i,
            end_entry,
        });
        self.cells.push(Cell {
            row: tail,
            column: note.column,
            ch: b'3',
            keysound: None,
            note: NO_NOTE,
        });
    }

    /// `K` cells from the chart's auto-keysound hints, in its columns.
    fn auto_keysounds(&mut self, extras: &SmExtras, keysound_map: &[u32]) {
        for auto in &extras.rows.auto_keysounds {
            if auto.column >= self.chart.key_count {
                continue;
            }
            let keysound = auto.keysound.map(|k| in_file(k, keysound_map));
            self.cells.push(Cell {
                row: auto.row + self.timing.shift_rows,
                column: auto.column,
                ch: b'K',
                keysound,
                note: NO_NOTE,
            });
        }
    }

    /// One note per cell: the first written wins (a tail over a keysound, a note over a later
    /// one that snapped onto it). Charts too long for note data are refused.
    fn finish(mut self, index: usize, report: &mut ConversionReport) -> Result<Cells> {
        let chart = self.chart;
        sort_by_key_stable(&mut self.cells, |c| (c.row, c.column));
        let mut unnamed = 0;
        self.cells.dedup_by(|later, earlier| {
            let same = later.row == earlier.row && later.column == earlier.column;
            if same {
                if let Some(n) = chart.notes.get(later.note as usize) {
                    report
                        .push(
                            LossKind::NoteDropped,
                            "note on the row of another note in its column: a StepMania cell holds one",
                        )
                        .at(later.note as usize, n.time_us);
                } else {
                    unnamed += 1;
                }
            }
            same
        });
        if unnamed > 0 {
            report.push(
                LossKind::NoteDropped,
                format!(
                    "chart {index}: {unnamed} keysound or unjudged cell(s) fell on the row of \
                     another in their column and were dropped"
                ),
            );
        }
        self.check_readable(index)?;
        Ok(Cells { cells: self.cells })
    }

    /// Refuses a chart whose file would not read back: note data too long, or a note whose
    /// row the reader would place beyond the model's times (after a stop or delay of ages,
    /// or at a tempo of next to nothing), which it rejects.
    fn check_readable(&self, index: usize) -> Result<()> {
        if let Some(last) = self.cells.last() {
            if last.row / ROWS_PER_MEASURE >= MAX_MEASURES || last.row > MAX_ROW {
                return Err(Error::InvalidArgument(format!(
                    "chart {index} is too long for StepMania note data ({} measures; at most {MAX_MEASURES} are written)",
                    last.row / ROWS_PER_MEASURE + 1
                )));
            }
        }
        let clock = self.timing.engine.cursor();
        let unreadable = self
            .cells
            .iter()
            .find(|c| c.ch != b'K' && us_from_seconds(clock.time_at(c.row, Order::Note)).is_none());
        match unreadable {
            Some(cell) => Err(Error::InvalidArgument(format!(
                "chart {index}: the note or hold end at beat {} would be read back beyond \
                 ±{MAX_ABS_TIME_US} µs: the chart's timing is too extreme for StepMania",
                beat_text(cell.row)
            ))),
            None => Ok(()),
        }
    }
}

/// A hint's keysound index (as read) in this file's keysound list; one outside the chart's
/// list (negative, or past it) is written as it was read, every digit.
pub(super) fn in_file(index: i64, keysound_map: &[u32]) -> i64 {
    let mapped = usize::try_from(index)
        .ok()
        .and_then(|k| keysound_map.get(k));
    mapped.map_or(index, |&m| i64::from(m))
}

fn note_char(kind: NoteKind) -> u8 {
    match kind {
        NoteKind::Tap => b'1',
        NoteKind::Hold => b'2',
        NoteKind::Roll => b'4',
        NoteKind::Mine => b'M',
        NoteKind::Lift => b'L',
        NoteKind::Fake => b'F',
    }
}

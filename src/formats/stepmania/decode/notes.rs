//! Note data → model notes, as `NoteDataUtil::LoadFromSMNoteDataString` reads it and the
//! chart's timing places it.

use super::{us_from_seconds, Reader, Source};
use crate::formats::stepmania::extras::{AutoKeysound, SmExtras, UnjudgedCell};
use crate::formats::stepmania::msd::Tag;
use crate::formats::stepmania::timing::{
    Cursor, Engine, Order, SmTiming, MAX_ROW, ROWS_PER_MEASURE,
};
use crate::formats::stepmania::values::{beat_text, parse_int};
use crate::model::{sort_by_key_stable, LossKind, Note, NoteKind};
use crate::{Chart, Result};

impl Reader<'_> {
    pub(super) fn notes(
        &mut self,
        chart: &mut Chart,
        extras: &mut SmExtras,
        source: &Source,
        routine: bool,
        timing: &SmTiming,
        engine: &Engine,
    ) -> Result<()> {
        let grid = self.grid(usize::from(chart.key_count), source, routine)?;
        // Heads come in row order, tails nearly so: each has its own cursor.
        let clock = Clock {
            heads: engine.cursor(),
            tails: engine.cursor(),
        };
        let keysounds = chart.keysounds.len();
        let mut bad_keysounds = 0;
        // At its size: a vector grown by doubling holds up to twice the notes at its peak.
        let live = grid.pending.iter().filter(|p| !p.dead).count();
        chart.notes.reserve_exact(live);
        for p in grid.pending.iter().filter(|p| !p.dead) {
            let keysound = match p.keysound {
                Some(k) if k >= 0 && (k as usize) < keysounds => Some(k as u32),
                Some(_) => {
                    bad_keysounds += 1;
                    None
                }
                None => None,
            };
            let note = if timing.is_unjudged(p.row) {
                extras.rows.unjudged.push(UnjudgedCell {
                    row: p.row,
                    column: p.column,
                    ch: p.ch,
                    keysound: p.keysound,
                    tail: p.tail(),
                });
                Note {
                    kind: NoteKind::Fake,
                    ..self.note_at(p, keysound, &clock, source.notes_tag)?
                }
            } else {
                self.judged_note(chart, p, keysound, &clock, source.notes_tag)?
            };
            chart.notes.push(note);
        }
        // Notes came row by row; a stable sort puts routine parts together. A column's judged
        // note and unjudged ones at one time (a stop's row inside a warp, the warp's rows) come
        // judged first, whichever of their rows the writer picks; its fakes at one time come
        // in an order of their own (keysound, length), not their rows', since the writer may
        // give a fake without a row hint another row of the same time.
        // Checked first: nearly always in order already, and a sort's scratch is as large.
        sort_by_key_stable(&mut chart.notes, |n| {
            let fake = n.kind == NoteKind::Fake;
            let fake_order = fake.then_some((n.keysound, n.duration_us));
            (n.time_us, n.column, fake, fake_order)
        });
        self.report_counts(&grid, bad_keysounds, source.tag);
        // Hints in (row, column) order, the writer's: two lines of a measure of more than 192
        // may share a row, a later line's cell in a column before an earlier one's.
        let rows = &mut extras.rows;
        rows.auto_keysounds = grid.auto_keysounds;
        sort_by_key_stable(&mut rows.auto_keysounds, |k| (k.row, k.column));
        sort_by_key_stable(&mut rows.unjudged, |c| (c.row, c.column));
        Ok(())
    }

    /// Reads the note data into a grid; routine charts' players are merged.
    fn grid(&mut self, columns: usize, source: &Source, routine: bool) -> Result<Grid> {
        let notes_tag = source.notes_tag;
        let max_cells = usize::try_from(self.limits.max_notes).unwrap_or(usize::MAX);
        let mut grid = Grid::new(columns, max_cells);
        let parts: Vec<&[u8]> = if routine {
            source.notes.split(|&c| c == b'&').collect()
        } else {
            vec![source.notes]
        };
        if parts.len() > 1 {
            self.report.push(
                LossKind::MetadataDropped,
                format!(
                    "routine chart at line {}: the {} players' notes are merged into one chart \
                     (the model has no players)",
                    notes_tag.line(),
                    parts.len()
                ),
            );
        }
        for part in parts {
            grid.read(part).map_err(|measure| {
                self.error(
                    notes_tag.line(),
                    format!("note data too long: measure {measure} is beyond StepMania's last row"),
                )
            })?;
        }
        if grid.over_limit {
            self.limits.check_notes(grid.max_cells.saturating_add(1))?;
        }
        Ok(grid)
    }

    /// A note at the time of its row, of no kind yet.
    fn note_at(
        &self,
        p: &Pending,
        keysound: Option<u32>,
        clock: &Clock,
        notes_tag: Tag,
    ) -> Result<Note> {
        let time_us =
            us_from_seconds(clock.heads.time_at(p.row, Order::Note)).ok_or_else(|| {
                self.error(
                    notes_tag.line(),
                    format!("note at beat {} has a time out of range", beat_text(p.row)),
                )
            })?;
        Ok(Note {
            time_us,
            column: p.column,
            keysound,
            ..Note::default()
        })
    }

    /// A note StepMania judges: its kind, and for holds and rolls their length.
    fn judged_note(
        &mut self,
        chart: &Chart,
        p: &Pending,
        keysound: Option<u32>,
        clock: &Clock,
        notes_tag: Tag,
    ) -> Result<Note> {
        let mut note = self.note_at(p, keysound, clock, notes_tag)?;
        note.kind = match p.ch {
            b'1' => NoteKind::Tap,
            b'2' => NoteKind::Hold,
            b'4' => NoteKind::Roll,
            b'M' => NoteKind::Mine,
            b'L' => NoteKind::Lift,
            _ => NoteKind::Fake,
        };
        let Some(tail) = p.tail() else {
            return Ok(note);
        };
        let end = us_from_seconds(clock.tails.time_at(tail, Order::Note)).ok_or_else(|| {
            self.error(
                notes_tag.line(),
                format!("hold end at beat {} is out of range", beat_text(tail)),
            )
        })?;
        if end > note.time_us {
            note.duration_us = end - note.time_us;
        } else {
            note.kind = NoteKind::Tap;
            self.report
                .push(
                    LossKind::NoteChanged,
                    "hold takes no time (it ends in a warp or at its own time): read as a tap",
                )
                .at(chart.notes.len(), note.time_us);
        }
        Ok(note)
    }

    /// What the grid left out, one entry per kind.
    fn report_counts(&mut self, grid: &Grid, bad_keysounds: usize, chart_tag: Tag) {
        let counts = [
            (
                grid.orphan_heads,
                LossKind::NoteDropped,
                "hold/roll head(s) without a tail dropped, as StepMania drops them",
            ),
            (
                grid.orphan_tails,
                LossKind::NoteDropped,
                "hold tail(s) without a head ignored, as StepMania ignores them",
            ),
            (
                grid.extra_cells,
                LossKind::NoteDropped,
                "character(s) beyond the chart's columns ignored, as StepMania ignores them",
            ),
            (
                grid.unknown,
                LossKind::NoteDropped,
                "unknown note character(s) read as empty, as StepMania reads them",
            ),
            (
                bad_keysounds,
                LossKind::SoundDropped,
                "keysound index(es) not in #KEYSOUNDS dropped",
            ),
        ];
        for (count, kind, what) in counts {
            if count > 0 {
                self.report.push(
                    kind,
                    format!("chart at line {}: {count} {what}", chart_tag.line()),
                );
            }
        }
    }
}

/// The cell count of the first note row, for steps types StepMania does not know.
pub(super) fn note_row_width(notes: &[u8]) -> u8 {
    let line = notes
        .split(|&c| c == b'\n' || c == b',' || c == b'&')
        .map(|l| l.trim_ascii())
        .find(|l| !l.is_empty())
        .unwrap_or_default();
    let mut cells = 0usize;
    let mut i = 0;
    while i < line.len() {
        i += 1;
        if line.get(i) == Some(&b'[') {
            i += line[i..]
                .iter()
                .position(|&c| c == b']')
                .map_or(line.len() - i, |p| p + 1);
        }
        cells += 1;
    }
    cells.min(usize::from(u8::MAX)) as u8
}

/// A note read from the data, before its time is known.
struct Pending {
    row: i64,
    column: u8,
    ch: u8,
    keysound: Option<i64>,
    /// The row of its tail: rows are at most `MAX_ROW` and a measure (below 2^31), and an
    /// `i32` keeps a pending note at 40 bytes, not 48 (the list of them is the largest buffer
    /// of a decode).
    tail: Option<i32>,
    /// A head StepMania deletes (no tail closed it).
    dead: bool,
}

const _: () = assert!(MAX_ROW + ROWS_PER_MEASURE <= i32::MAX as i64);

impl Pending {
    fn tail(&self) -> Option<i64> {
        self.tail.map(i64::from)
    }
}

/// Note times: of heads and of hold tails.
struct Clock<'e> {
    heads: Cursor<'e>,
    tails: Cursor<'e>,
}

/// What the last note in a column was, for matching tails (`NoteData::IsHoldNoteAtRow`).
#[derive(Clone, Copy)]
enum Last {
    Nothing,
    OpenHead(usize),
    Other,
}

/// Note data reader (`NoteDataUtil::LoadFromSMNoteDataString`).
struct Grid {
    columns: usize,
    /// Notes and auto-keysound cells the decode limits leave room for; past it, cells are
    /// only counted (`over_limit`) so that a hostile file cannot take memory.
    max_cells: usize,
    over_limit: bool,
    pending: Vec<Pending>,
    last: Vec<Last>,
    auto_keysounds: Vec<AutoKeysound>,
    orphan_heads: usize,
    orphan_tails: usize,
    extra_cells: usize,
    unknown: usize,
    empty_rows: EmptyRows,
}

impl Grid {
    fn new(columns: usize, max_cells: usize) -> Grid {
        Grid {
            columns,
            max_cells,
            over_limit: false,
            pending: Vec::new(),
            last: vec![Last::Nothing; columns],
            auto_keysounds: Vec::new(),
            orphan_heads: 0,
            orphan_tails: 0,
            extra_cells: 0,
            unknown: 0,
            empty_rows: EmptyRows::new(columns),
        }
    }

    /// Reads one player's note data. Err(measure) when rows go past `MAX_ROW`.
    fn read(&mut self, data: &[u8]) -> std::result::Result<(), usize> {
        // The rows of a measure with something on them, by their index among its lines.
        let mut lines: Vec<(i64, &[u8])> = Vec::new();
        // Empty pieces between commas do not count as measures (StepMania splits ignoring
        // empty pieces, so ",," is one separator).
        for (measure, text) in pieces(data, b',').filter(|m| !m.is_empty()).enumerate() {
            let count = rows_with_cells(text, &self.empty_rows, &mut lines);
            let base = (measure as i64)
                .checked_mul(ROWS_PER_MEASURE)
                .filter(|&b| b <= MAX_ROW)
                .ok_or(measure)?;
            for &(l, line) in &lines {
                // row = round(192 * l / count), exactly (StepMania: lround of a float beat).
                let row = base + (2 * ROWS_PER_MEASURE * l + count) / (2 * count);
                self.row(row, line);
            }
        }
        for last in &mut self.last {
            if let Last::OpenHead(i) = *last {
                self.pending[i].dead = true;
                self.orphan_heads += 1;
                *last = Last::Nothing;
            }
        }
        Ok(())
    }

    fn row(&mut self, row: i64, line: &[u8]) {
        let mut p = 0;
        let mut column = 0;
        while p < line.len() {
            let ch = line[p];
            p += 1;
            let mut keysound = None;
            if line.get(p) == Some(&b'[') {
                let close = line[p..].iter().position(|&c| c == b']');
                let inner = &line[p + 1..close.map_or(line.len(), |c| p + c)];
                keysound = parse_int(inner);
                p = close.map_or(line.len(), |c| p + c + 1);
            }
            if column >= self.columns {
                if ch != b'0' {
                    self.extra_cells += 1;
                }
                continue;
            }
            self.cell(row, column, ch, keysound);
            column += 1;
        }
    }

    fn cell(&mut self, row: i64, column: usize, ch: u8, keysound: Option<i64>) {
        let takes_memory = matches!(ch, b'K' | b'1' | b'2' | b'4' | b'M' | b'L' | b'F');
        if takes_memory && self.pending.len() + self.auto_keysounds.len() >= self.max_cells {
            self.over_limit = true;
            return;
        }
        match ch {
            b'0' => {}
            b'K' => self.auto_keysounds.push(AutoKeysound {
                row,
                column: column as u8,
                keysound,
            }),
            b'3' => match self.last[column] {
                Last::OpenHead(i) => {
                    self.pending[i].tail = i32::try_from(row).ok();
                    self.last[column] = Last::Other;
                }
                _ => self.orphan_tails += 1,
            },
            b'1' | b'2' | b'4' | b'M' | b'L' | b'F' => {
                if let Last::OpenHead(i) = self.last[column] {
                    // A note inside an open hold: StepMania's tail search stops at it, so the
                    // hold never closes and is deleted.
                    self.pending[i].dead = true;
                    self.orphan_heads += 1;
                }
                self.last[column] = if matches!(ch, b'2' | b'4') {
                    Last::OpenHead(self.pending.len())
                } else {
                    Last::Other
                };
                self.pending.push(Pending {
                    row,
                    column: column as u8,
                    ch,
                    keysound,
                    tail: None,
                    dead: false,
                });
            }
            _ => self.unknown += 1,
        }
    }
}

/// Fills `lines` with the lines of a measure that have a cell other than `0`, each with its
/// index among the measure's lines, and returns how many lines it has. Lines are trimmed and
/// blank ones do not count (StepMania).
fn rows_with_cells<'a>(
    text: &'a [u8],
    empty_rows: &EmptyRows,
    lines: &mut Vec<(i64, &'a [u8])>,
) -> i64 {
    lines.clear();
    let mut count = 0;
    let mut start = 0;
    while start < text.len() {
        if let Some(len) = empty_rows.at(&text[start..]) {
            count += 1;
            start += len;
            continue;
        }
        let end = empty_rows
            .plain_line_end(&text[start..])
            .map_or_else(|| memchr::memchr(b'\n', &text[start..]), Some)
            .map_or(text.len(), |i| start + i);
        let line = text[start..end].trim_ascii();
        start = end + 1;
        if line.is_empty() {
            continue;
        }
        if line.iter().any(|&c| c != b'0') {
            lines.push((count, line));
        }
        count += 1;
    }
    count
}

/// A line of as many `0`s as the chart has columns, then `\n` or `\r\n`: most lines of a
/// file. Each is a pattern in the first bytes of a little-endian word and its mask, so one
/// compare passes such a line (a length of 0: the line does not fit a word).
struct EmptyRows {
    columns: usize,
    patterns: [(u64, u64, usize); 2],
}

impl EmptyRows {
    fn new(columns: usize) -> EmptyRows {
        let pattern = |ending: &[u8]| {
            let len = columns + ending.len();
            // Without columns a line of only a break is blank, which does not count.
            if columns == 0 || len > 8 {
                return (0, 0, 0);
            }
            let mut bytes = [0u8; 8];
            bytes[..columns].fill(b'0');
            bytes[columns..len].copy_from_slice(ending);
            let mask = u64::MAX >> (8 * (8 - len));
            (u64::from_le_bytes(bytes), mask, len)
        };
        EmptyRows {
            columns,
            patterns: [pattern(b"\n"), pattern(b"\r\n")],
        }
    }

    /// Where the line break is when `text` starts with a line as wide as the chart and no
    /// wider (most lines with notes): found without a search.
    fn plain_line_end(&self, text: &[u8]) -> Option<usize> {
        let line = text.get(..self.columns)?;
        (text.get(self.columns) == Some(&b'\n') && line.iter().all(|&c| c != b'\n'))
            .then_some(self.columns)
    }

    /// The length of the empty row (with its line break) that `text` starts with, if it does.
    fn at(&self, text: &[u8]) -> Option<usize> {
        let word = u64::from_le_bytes(*text.first_chunk::<8>()?);
        let &(_, _, len) = self
            .patterns
            .iter()
            .find(|&&(pattern, mask, len)| len > 0 && word & mask == pattern)?;
        Some(len)
    }
}

/// `data` split at every `separator` (`<[u8]>::split`, found with memchr: for measures, which
/// are long).
fn pieces(data: &[u8], separator: u8) -> impl Iterator<Item = &[u8]> {
    let ends = memchr::memchr_iter(separator, data).chain([data.len()]);
    ends.scan(0, move |start, end| {
        let piece = &data[*start..end];
        *start = end + 1;
        Some(piece)
    })
}

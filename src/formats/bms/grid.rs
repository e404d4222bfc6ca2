//! Times to rows for the writer: rows of 1/48 beat (1/192 of a 4/4 measure) or a whole
//! fraction of that, counted from time 0, through the chart's tempo and stops. Tempo changes
//! and stops keep their exact times: the tempo before each is retuned (by at most 1 %, as the
//! StepMania writer does) so that it lands on a row; moving one instead would move every note
//! after it. Notes are put on the nearest row. [`Grid::fitting`] takes the coarsest rows that
//! place every tempo change and stop, and a chart too long for BMS's 1,000 measures is
//! written at a whole fraction of its tempo (docs/bms.md).

use crate::model::{Chart, TimingKind};
use crate::{Error, Result};

/// `#STOPxx` units (1/192 of a 4/4 measure) in a beat.
const STOP_UNITS_PER_BEAT: f64 = 48.0;

/// The coarsest rows in a beat of the chart's tempo (1/192 of a 4/4 measure).
const COARSEST_ROWS_PER_BEAT: i64 = 48;

/// Finest rows tried, as a multiple of 1/48 beat of the chart's own tempo: enough to place a
/// tempo change a few rows after another that 1/48 beat cannot, few enough that an object
/// line stays short (docs/bms.md).
const MAX_SUBDIVISION: i64 = 4;

/// Most the tempo is divided by to fit a chart in BMS's 1,000 measures.
const MAX_TEMPO_DIVISOR: i64 = 16;

/// Measures BMS numbers (000–999).
pub const MEASURES: i64 = 1000;

/// A tempo change or stop on its row.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Anchor {
    Bpm {
        row: i64,
        bpm: f64,
    },
    /// `length` in 1/192 of a measure, as `#STOPxx` holds it.
    Stop {
        row: i64,
        length: f64,
    },
    Scroll {
        row: i64,
        multiplier: f64,
    },
}

/// From the last anchor before it, a time goes at `bpm` from `row` at `time_us`.
struct Piece {
    time_us: i64,
    /// The start's time as a reader computes it from the rows and tempos written (not rounded
    /// to the µs).
    exact_us: f64,
    row: i64,
    bpm: f64,
    /// The anchor that starts the piece (`None`: the start of the chart), and for a stop its
    /// length in µs (its length in rows follows a retuned tempo).
    start: Option<(usize, i64)>,
}

/// Largest retuning of a tempo, as a fraction.
const MAX_RETUNE: f64 = 0.01;

pub struct Grid {
    /// The chart's tempo is written divided by this (1 unless the chart would not fit in
    /// BMS's measures otherwise): every time stays, a measure holds this many of the chart's.
    pub tempo_divisor: i64,
    rows_per_beat: i64,
    pub initial_bpm: f64,
    /// Whether the tempo before the first tempo change is the writer's own (the chart's
    /// first tempo point is after time 0), so any retuning will do.
    free_start: bool,
    pub anchors: Vec<Anchor>,
    pieces: Vec<Piece>,
}

impl Grid {
    /// The grid of `chart`: the chart's own tempo when it fits in BMS's measures (else the
    /// least divisor that fits), on the coarsest rows that place every tempo change and stop.
    /// An error when none does, or the chart has delays or warps or timing before time 0.
    pub fn fitting(chart: &Chart) -> Result<Grid> {
        let last_us = (chart.notes.iter().map(|n| n.end_time_us()))
            .chain(chart.timing.iter().map(|t| t.time_us))
            .max()
            .unwrap_or(0);
        let mut first_error = None;
        for tempo_divisor in 1..=MAX_TEMPO_DIVISOR {
            for subdivision in 1..=MAX_SUBDIVISION {
                let rows_per_beat = COARSEST_ROWS_PER_BEAT * tempo_divisor * subdivision;
                match Grid::new(chart, tempo_divisor, rows_per_beat) {
                    Ok(grid) if grid.holds_row(grid.row_at(last_us).round() as i64) => {
                        return Ok(grid)
                    }
                    // Finer rows make a chart no shorter: a larger divisor is next.
                    Ok(_) => break,
                    Err(e) => drop(first_error.get_or_insert(e)),
                }
            }
        }
        Err(first_error.unwrap_or_else(too_long))
    }

    /// The grid of `chart`'s timing at `1 / tempo_divisor` of its tempo, on rows of
    /// `1 / rows_per_beat` beat of that tempo; an error when a tempo change or stop lies
    /// between rows or before time 0, or the chart has delays or warps (BMS has neither).
    fn new(chart: &Chart, tempo_divisor: i64, rows_per_beat: i64) -> Result<Grid> {
        let bpms = || {
            chart.timing.iter().filter_map(|t| match t.kind {
                TimingKind::Bpm { bpm, .. } => Some((t.time_us, bpm / tempo_divisor as f64)),
                _ => None,
            })
        };
        // The tempo at time 0: the last at or before it, else the first (extended backwards,
        // and then free to retune: none of the chart's tempos is in effect there).
        let at_start = bpms().take_while(|&(time, _)| time <= 0).last();
        let initial_bpm = at_start.or_else(|| bpms().next()).map_or(120.0, |(_, b)| b);
        let mut grid = Grid {
            tempo_divisor,
            rows_per_beat,
            initial_bpm,
            free_start: at_start.is_none(),
            anchors: Vec::new(),
            pieces: vec![Piece {
                time_us: 0,
                exact_us: 0.0,
                row: 0,
                bpm: initial_bpm,
                start: None,
            }],
        };
        for point in chart
            .timing
            .iter()
            .filter(|t| t.time_us > 0 || !is_bpm(&t.kind))
        {
            let kind = match point.kind {
                TimingKind::Bpm { bpm, meter } => TimingKind::Bpm {
                    bpm: bpm / tempo_divisor as f64,
                    meter,
                },
                kind => kind,
            };
            grid.anchor(point.time_us, kind)?;
        }
        Ok(grid)
    }

    fn anchor(&mut self, time_us: i64, kind: TimingKind) -> Result<()> {
        if let TimingKind::Delay { .. } | TimingKind::Warp { .. } = kind {
            return Err(refuse(format!(
                "{} at {time_us} µs: BMS has none",
                kind.name()
            )));
        }
        if time_us < 0 && !matches!(kind, TimingKind::Scroll { .. }) {
            return Err(refuse(format!(
                "{} before time 0, where BMS starts",
                kind.name()
            )));
        }
        if let TimingKind::Scroll { multiplier } = kind {
            // A scroll change only moves how notes scroll: the nearest row will do.
            let row = self.row_at(time_us).round() as i64;
            self.anchors.push(Anchor::Scroll { row, multiplier });
            return Ok(());
        }
        let (row, exact_us) = self.retune_to(time_us, kind)?;
        let bpm = self.pieces.last().expect("never empty").bpm;
        let index = self.anchors.len();
        match kind {
            TimingKind::Bpm { bpm, .. } => {
                self.anchors.push(Anchor::Bpm { row, bpm });
                let start = Some((index, 0));
                self.pieces.push(Piece {
                    time_us,
                    exact_us,
                    row,
                    bpm,
                    start,
                });
            }
            TimingKind::Stop { duration_us } => {
                let length = stop_length(duration_us, bpm);
                self.anchors.push(Anchor::Stop { row, length });
                let start = Some((index, duration_us));
                let time_us = time_us.saturating_add(duration_us);
                self.pieces.push(Piece {
                    time_us,
                    exact_us: exact_us + stop_us(length, bpm),
                    row,
                    bpm,
                    start,
                });
            }
            _ => unreachable!("handled above"),
        }
        Ok(())
    }

    /// The row of a tempo change or stop at `time_us` and its time as read back: the tempo
    /// since the last one is kept when a row read back at it rounds to `time_us`, else
    /// retuned so that the row lies exactly there.
    fn retune_to(&mut self, time_us: i64, kind: TimingKind) -> Result<(i64, f64)> {
        let rows = self.row_at(time_us) - self.pieces.last().expect("never empty").row as f64;
        let free_start = self.free_start;
        let piece = self.pieces.last_mut().expect("never empty");
        let span_us = time_us - piece.time_us;
        if span_us <= 0 {
            // On the last anchor's time (or inside its stop): on its row.
            return Ok((piece.row, time_us as f64));
        }
        let whole = rows.round().max(1.0);
        // Saturating: after a tempo of 10^20 BPM a change 0.1 s later is 10^21 rows on (the
        // row is then refused as past BMS's measures).
        let to_row = piece.row.saturating_add(whole as i64);
        let kept_us = piece.exact_us + whole * 60e6 / (self.rows_per_beat as f64 * piece.bpm);
        if kept_us.round() == time_us as f64 {
            return Ok((to_row, kept_us));
        }
        let bpm = whole * 60e6 / (self.rows_per_beat as f64 * span_us as f64);
        if bpm == piece.bpm {
            // Retuned to the tempo it has (the row's time missed the µs by a rounding of the
            // start's): nothing to write, where a tempo change would add a timing point.
            return Ok((to_row, kept_us));
        }
        let free = piece.start.is_none() && free_start;
        if !free && (bpm / piece.bpm - 1.0).abs() > MAX_RETUNE {
            return Err(refuse(format!(
                "the {} at {time_us} µs is too close to the change before it to lie on \
                 rows of 1/{} beat",
                kind.name(),
                COARSEST_ROWS_PER_BEAT * MAX_SUBDIVISION
            )));
        }
        piece.bpm = bpm;
        let row = piece.row;
        match piece.start {
            None => self.initial_bpm = bpm,
            Some((index, duration_us)) => match self.anchors[index] {
                Anchor::Stop { .. } => {
                    // The retuned tempo starts on the stop's row, and the stop lasts its
                    // length at that tempo (a tempo change applies before a stop on its row).
                    let length = stop_length(duration_us, bpm);
                    self.anchors[index] = Anchor::Stop { row, length };
                    self.anchors.push(Anchor::Bpm { row, bpm });
                }
                _ => self.anchors[index] = Anchor::Bpm { row, bpm },
            },
        }
        Ok((to_row, time_us as f64))
    }

    /// The row (fractional) at `time_us`; a time inside a stop is on the stop's row.
    pub fn row_at(&self, time_us: i64) -> f64 {
        let index = self.pieces.partition_point(|p| p.time_us <= time_us);
        let piece = &self.pieces[index.saturating_sub(1)];
        let elapsed_us = (time_us - piece.time_us).max(0) as f64;
        let rows = elapsed_us * piece.bpm * self.rows_per_beat as f64 / 60e6;
        let row = piece.row as f64 + rows;
        // The next piece starts after a stop: a time before it is still on the stop's row.
        self.pieces
            .get(index)
            .map_or(row, |next| row.min(next.row as f64))
    }

    /// The row whose time, as a reader times a note there, is nearest `time_us`: the nearest
    /// row by `row_at`, or the one on its other side when that is nearer in time (a note on a
    /// stop's row is at the stop's start, so just past a stop's end the row after is nearer
    /// than the stop's own; and rows are longer on the slower side of a tempo change).
    pub fn note_row(&self, time_us: i64) -> i64 {
        let row = self.row_at(time_us);
        let nearest = row.round() as i64;
        let other = if nearest as f64 > row {
            nearest - 1
        } else {
            nearest + 1
        };
        let off = |r: i64| (self.note_time_of(r) - time_us as f64).abs();
        if other >= 0 && off(other) < off(nearest) {
            other
        } else {
            nearest
        }
    }

    /// The rows of a hold's head and end, each the nearest in time (`note_row`), unless both
    /// fall on one row: then the head a row earlier or the end a row later, whichever pair
    /// moves its farther-moved part less (a short hold ending where a stop starts keeps its
    /// end on the stop's row, where a row later would be past the whole stop).
    pub fn hold_rows(&self, start_us: i64, end_us: i64) -> (i64, i64) {
        let (head, end) = (self.note_row(start_us), self.note_row(end_us));
        if end > head {
            return (head, end);
        }
        let off = |r: i64, time_us: i64| (self.note_time_of(r) - time_us as f64).abs();
        let cost = |(h, e): (i64, i64)| off(h, start_us).max(off(e, end_us));
        let (earlier, later) = ((head - 1, head), (head, head + 1));
        if head > 0 && cost(earlier) < cost(later) {
            earlier
        } else {
            later
        }
    }

    /// When a reader plays a note on `row`: reaching the row at the tempo before it, before any
    /// stop on it.
    fn note_time_of(&self, row: i64) -> f64 {
        let index = self.pieces.partition_point(|p| p.row < row);
        let Some(before) = index.checked_sub(1).map(|i| &self.pieces[i]) else {
            return self.pieces[0].exact_us;
        };
        let rows = (row - before.row) as f64;
        before.exact_us + rows * 60e6 / (before.bpm * self.rows_per_beat as f64)
    }

    /// Rows in a 4/4 measure.
    pub fn rows_per_measure(&self) -> i64 {
        4 * self.rows_per_beat
    }

    /// Whether `row` lies within BMS's measures 000–999.
    pub fn holds_row(&self, row: i64) -> bool {
        (0..self.rows_per_measure() * MEASURES).contains(&row)
    }
}

/// A stop's length in 1/192 of a measure at `bpm`, as `#STOPxx` holds it: whole units when
/// they last the same µs (as BMS files give them: the model's µs came from such a length).
fn stop_length(duration_us: i64, bpm: f64) -> f64 {
    let units = duration_us as f64 * bpm * STOP_UNITS_PER_BEAT / 60e6;
    let whole = units.round();
    if stop_us(whole, bpm).round() == duration_us as f64 {
        whole
    } else {
        units
    }
}

/// How long a stop of `units` lasts at `bpm`, as a reader computes it.
fn stop_us(units: f64, bpm: f64) -> f64 {
    units * 60e6 / (bpm * STOP_UNITS_PER_BEAT)
}

pub fn too_long() -> Error {
    refuse(format!(
        "the chart is longer than BMS's {MEASURES} measures at 1/{MAX_TEMPO_DIVISOR} of its tempo"
    ))
}

fn is_bpm(kind: &TimingKind) -> bool {
    matches!(kind, TimingKind::Bpm { .. })
}

pub fn refuse(why: String) -> Error {
    Error::InvalidArgument(format!("cannot write BMS: {why}"))
}

//! Which patterns a chart is made of, for song select: the chart is cut into fixed time windows,
//! each window is given one class in the vocabulary of Etterna's skillsets (stream, jumpstream,
//! handstream, chordjack, jack, technical), and runs of one class become sections. The
//! definitions, and where they differ from Etterna's MinaCalc, are in `docs/analysis.md`.

use crate::model::MAX_KEYS;
use crate::{Chart, Note, NoteKind};

/// The class of a section. The numbers are part of the C ABI (`RoxPatternKind`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[repr(i32)]
pub enum PatternKind {
    /// Single notes, one after another on changing columns.
    Stream = 0,
    /// Stream with jumps (two notes at once, up to what one hand presses) among the notes.
    Jumpstream = 1,
    /// Stream with hands (more notes at once than one hand presses: three on 4K) among them.
    Handstream = 2,
    /// Chords, most of which repeat a column of the chord before.
    Chordjack = 3,
    /// Single notes, most of which repeat the column of the note before (Etterna's JackSpeed).
    Jack = 4,
    /// Trills: two alternating rows with no column in common (one- or two-handed, jumptrills).
    Technical = 5,
}

impl PatternKind {
    /// Every value, in ABI order. (Not in the C header: a plain list of its constants.)
    /// cbindgen:ignore
    pub const ALL: [PatternKind; 6] = [
        PatternKind::Stream,
        PatternKind::Jumpstream,
        PatternKind::Handstream,
        PatternKind::Chordjack,
        PatternKind::Jack,
        PatternKind::Technical,
    ];

    /// Short name for listings and JSON (`stream`, `chordjack`…).
    pub fn name(self) -> &'static str {
        match self {
            PatternKind::Stream => "stream",
            PatternKind::Jumpstream => "jumpstream",
            PatternKind::Handstream => "handstream",
            PatternKind::Chordjack => "chordjack",
            PatternKind::Jack => "jack",
            PatternKind::Technical => "technical",
        }
    }
}

/// A run of windows of one class.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Section {
    pub kind: PatternKind,
    /// Time of the section's first note.
    pub start_us: i64,
    /// Time of the section's last note (its start, for a hold): `start_us <= end_us`.
    pub end_us: i64,
    /// Played notes in the section.
    pub notes: u64,
}

/// The patterns of a chart.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Patterns {
    /// Per `PatternKind` (indexed by its value): the share of the chart's played notes that lie
    /// in sections of that kind. Each in 0..=1; they sum to at most 1, the rest being notes in
    /// no section (sparse parts). All 0 when there is no section.
    pub shares: [f64; PatternKind::ALL.len()],
    /// In time order, never overlapping; adjacent sections differ in kind or are separated by
    /// an empty window.
    pub sections: Vec<Section>,
}

/// A window is dense enough to have a pattern with at least this many rows per second
/// (a 1/4 stream at 75 BPM)…
const MIN_ROWS_PER_SECOND: i128 = 5;
/// …and at least this many rows (fewer show no pattern).
const MIN_ROWS: u32 = 3;
/// Key counts below this have no hands: a row of three there is all or nearly all columns.
const MIN_KEYS_FOR_HANDS: u8 = 4;

/// The fewest notes of a hand: one more than one hand holds. A hand plays `key_count / 2`
/// columns (the middle column of an odd key count is the thumbs', neither hand's), so on 4K
/// (and 5K) a hand is three notes, as in Etterna, on 6K and 7K four. Rows of two notes up to
/// one fewer are jumps. `u32::MAX` (no hands) below `MIN_KEYS_FOR_HANDS` keys.
fn hand_size(key_count: u8) -> u32 {
    if key_count < MIN_KEYS_FOR_HANDS {
        u32::MAX
    } else {
        u32::from(key_count / 2) + 1
    }
}

/// The patterns of `chart` in windows of `window_us`. Windows start at the first played note,
/// every `window_us` after it. A `window_us` of 0 or less, or a chart of fewer than
/// `MIN_ROWS` rows, gives no section.
pub fn patterns(chart: &Chart, window_us: i64) -> Patterns {
    let rows = rows(chart);
    if window_us <= 0 || rows.is_empty() {
        return Patterns::default();
    }
    let windows = windows(&rows, window_us, hand_size(chart.key_count));
    let raw: Vec<Option<PatternKind>> = windows.iter().map(|w| classify(w, window_us)).collect();
    let kinds = smooth(&windows, &raw);
    let sections = sections(&rows, &windows, &kinds);
    let total: u64 = rows.iter().map(|r| u64::from(r.count)).sum();
    let mut shares = [0.0; PatternKind::ALL.len()];
    for s in &sections {
        shares[s.kind as usize] += s.notes as f64;
    }
    for share in &mut shares {
        *share /= total as f64;
    }
    Patterns { shares, sections }
}

/// The played notes of one time: taps, lifts, and holds and rolls by their start. Mines and
/// fakes are not played; notes beyond the key count are not played either.
#[derive(Debug, Clone, Copy)]
struct Row {
    time_us: i64,
    /// Bit c for column c.
    columns: u32,
    count: u32,
}

fn rows(chart: &Chart) -> Vec<Row> {
    if chart.notes.windows(2).all(|w| w[0].time_us <= w[1].time_us) {
        rows_of(&chart.notes, chart.key_count)
    } else {
        // A chart built in code need not be sorted yet (`Chart::sort`).
        let mut notes = chart.notes.clone();
        notes.sort_by_key(|n| n.time_us);
        rows_of(&notes, chart.key_count)
    }
}

fn rows_of(notes: &[Note], key_count: u8) -> Vec<Row> {
    let keys = key_count.min(MAX_KEYS);
    let mut rows: Vec<Row> = Vec::new();
    let played = notes
        .iter()
        .filter(|n| !matches!(n.kind, NoteKind::Mine | NoteKind::Fake) && n.column < keys);
    for note in played {
        let bit = 1u32 << note.column;
        match rows.last_mut() {
            Some(row) if row.time_us == note.time_us => row.columns |= bit,
            _ => rows.push(Row {
                time_us: note.time_us,
                columns: bit,
                count: 0,
            }),
        }
    }
    for row in &mut rows {
        row.count = row.columns.count_ones();
    }
    rows
}

/// What one window holds. Each row is compared with the row before it, which may lie in the
/// window before.
#[derive(Debug, Clone, Copy, Default)]
struct Window {
    /// Its number: it starts `index × window_us` after the first note.
    index: i128,
    /// Its rows: `rows[first..end]`.
    first: usize,
    end: usize,
    taps: u32,
    /// Taps in rows of two notes up to a hand.
    jump_taps: u32,
    /// Taps in rows of `hand_size` notes or more.
    hand_taps: u32,
    chord_rows: u32,
    /// Rows sharing a column with the row before.
    jack_rows: u32,
    /// Rows in an ABAB alternation: equal to the row two before, the row before equal to the
    /// one three before, and no column shared with the row before.
    trill_rows: u32,
}

impl Window {
    fn rows(&self) -> u32 {
        (self.end - self.first) as u32
    }
}

fn windows(rows: &[Row], window_us: i64, hand_size: u32) -> Vec<Window> {
    let origin = i128::from(rows[0].time_us);
    let mut windows: Vec<Window> = Vec::new();
    for (i, row) in rows.iter().enumerate() {
        let index = (i128::from(row.time_us) - origin) / i128::from(window_us);
        if windows.last().map(|w| w.index) != Some(index) {
            windows.push(Window {
                index,
                first: i,
                end: i,
                ..Window::default()
            });
        }
        let w = windows.last_mut().expect("pushed above");
        w.end = i + 1;
        count_row(w, rows, i, hand_size);
    }
    windows
}

fn count_row(w: &mut Window, rows: &[Row], i: usize, hand_size: u32) {
    let row = rows[i];
    let back = |n: usize| i.checked_sub(n).map(|j| rows[j].columns);
    w.taps += row.count;
    match row.count {
        1 => {}
        n if n < hand_size => w.jump_taps += n,
        n => w.hand_taps += n,
    }
    if row.count > 1 {
        w.chord_rows += 1;
    }
    let before = back(1).unwrap_or(0);
    if row.columns & before != 0 {
        w.jack_rows += 1;
    } else if back(2) == Some(row.columns) && back(3) == Some(before) {
        w.trill_rows += 1;
    }
}

/// The class of one window, `None` when it is too sparse. Tried in this order (fractions of
/// the window's rows or taps): chordjack (half the rows chords, half repeat a column), jack
/// (half the rows repeat a column), technical (half the rows trill), handstream (a quarter of
/// the taps in hands), jumpstream (a fifth of the taps in chords), stream (under a quarter
/// of the rows repeat a column), else technical.
fn classify(w: &Window, window_us: i64) -> Option<PatternKind> {
    let rows = w.rows();
    if rows < MIN_ROWS || i128::from(rows) * 1_000_000 < MIN_ROWS_PER_SECOND * i128::from(window_us)
    {
        return None;
    }
    let at_least =
        |part: u32, whole: u32, num: u64, den: u64| u64::from(part) * den >= u64::from(whole) * num;
    Some(
        if at_least(w.chord_rows, rows, 1, 2) && at_least(w.jack_rows, rows, 1, 2) {
            PatternKind::Chordjack
        } else if at_least(w.jack_rows, rows, 1, 2) {
            PatternKind::Jack
        } else if at_least(w.trill_rows, rows, 1, 2) {
            PatternKind::Technical
        } else if at_least(w.hand_taps, w.taps, 1, 4) {
            PatternKind::Handstream
        } else if at_least(w.jump_taps + w.hand_taps, w.taps, 1, 5) {
            PatternKind::Jumpstream
        } else if !at_least(w.jack_rows, rows, 1, 4) {
            PatternKind::Stream
        } else {
            PatternKind::Technical
        },
    )
}

/// The class each window keeps, with hysteresis: a window's class holds until two windows in
/// a row (with no empty window between) have another class, so that a single odd window (or
/// windows alternating between two classes) never splits a section. An empty window ends the
/// run: the next window starts afresh with its own class.
fn smooth(windows: &[Window], raw: &[Option<PatternKind>]) -> Vec<Option<PatternKind>> {
    let follows = |i: usize| i > 0 && windows[i].index == windows[i - 1].index + 1;
    let mut kinds: Vec<Option<PatternKind>> = Vec::with_capacity(raw.len());
    for i in 0..raw.len() {
        let kind = if !follows(i) {
            raw[i]
        } else {
            let current = kinds[i - 1];
            let confirmed = i + 1 < raw.len() && follows(i + 1) && raw[i + 1] == raw[i];
            if raw[i] != current && confirmed {
                raw[i]
            } else {
                current
            }
        };
        kinds.push(kind);
    }
    kinds
}

/// Runs of contiguous windows of one class, as sections from their first to their last note.
fn sections(rows: &[Row], windows: &[Window], kinds: &[Option<PatternKind>]) -> Vec<Section> {
    let mut sections: Vec<Section> = Vec::new();
    for (i, (w, kind)) in windows.iter().zip(kinds).enumerate() {
        let Some(kind) = *kind else { continue };
        let notes: u64 = rows[w.first..w.end]
            .iter()
            .map(|r| u64::from(r.count))
            .sum();
        let end_us = rows[w.end - 1].time_us;
        let continues = i > 0 && kinds[i - 1] == Some(kind) && windows[i - 1].index + 1 == w.index;
        match sections.last_mut() {
            Some(s) if continues => {
                s.end_us = end_us;
                s.notes += notes;
            }
            _ => sections.push(Section {
                kind,
                start_us: rows[w.first].time_us,
                end_us,
                notes,
            }),
        }
    }
    sections
}

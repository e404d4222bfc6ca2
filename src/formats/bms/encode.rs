//! `Chart` → `.bme` (5 or 7 keys and a scratch, single play), read back by this reader and by
//! bms-rs with the same note times.
//!
//! Measures are all 4/4 (no channel 02), tempo changes go on channel 08 (`#BPMxx`, any value),
//! stops on 09, scroll changes on SC; notes on rows (`grid`), holds as channel 51–59
//! pairs (`#LNTYPE 1`). A chart without a scratch lane is written in the keys after it
//! (docs/bms.md). What BMS cannot hold is refused (delays, warps, a tempo change between rows,
//! other layouts) or left out and reported (metadata, hit sounds, other formats' extras).

use super::grid::{refuse, too_long, Grid};
use super::layout::{Lane, Layout};
use super::lines::{Lines, Object, MAX_ID};
use crate::model::{Chart, ConversionReport, LossKind, Note, NoteKind};
use crate::Result;

pub fn encode(chart: &Chart, report: &mut ConversionReport) -> Result<Vec<u8>> {
    let (layout, lanes) = lanes_of(chart)?;
    let grid = Grid::fitting(chart)?;
    if grid.tempo_divisor > 1 {
        let k = grid.tempo_divisor;
        let message = format!(
            "tempo written at 1/{k} of the chart's to fit in BMS's 1,000 measures: every time \
             kept, notes scroll {k} times slower at a fixed speed setting"
        );
        report.push(LossKind::TimingChanged, message);
    }
    // The audio file and the id of notes without sound take one id each.
    if chart.keysounds.len() + 2 > MAX_ID {
        return Err(refuse(format!(
            "{} keysounds; BMS holds {MAX_ID}",
            chart.keysounds.len()
        )));
    }
    let mut lines = Lines::new(&grid, chart.notes.len())?;
    for (index, note) in chart.notes.iter().enumerate() {
        place_note(&mut lines, &grid, &lanes, index, note, report)?;
    }
    lines.extras(chart, &grid, &lanes, report);
    let text = lines.text(chart, layout, report)?;
    super::verify::report_moves(chart, &text, grid.tempo_divisor, report)?;
    Ok(text)
}

/// The layout a chart is written in, and the lane of each of its columns.
fn lanes_of(chart: &Chart) -> Result<(Layout, Vec<Lane>)> {
    let keys = chart.key_count;
    let (seven, skip) = match (chart.metadata.has_scratch, keys) {
        (true, 6) => (false, 0),
        (true, 8) => (true, 0),
        (false, 1..=5) => (false, 1),
        (false, 6..=7) => (true, 1),
        _ => {
            return Err(refuse(format!(
                "{keys} columns{}: BMS writes 5 or 7 keys and a scratch",
                if chart.metadata.has_scratch {
                    " with a scratch"
                } else {
                    ""
                }
            )))
        }
    };
    let layout = Layout::Single { seven };
    Ok((layout, layout.lanes()[skip..].to_vec()))
}

fn place_note(
    lines: &mut Lines,
    grid: &Grid,
    lanes: &[Lane],
    index: usize,
    note: &Note,
    report: &mut ConversionReport,
) -> Result<()> {
    let (side, digit) = lanes[usize::from(note.column)];
    let Some(family) = family_of(note, index, report) else {
        return Ok(());
    };
    if note.time_us < 0 {
        report
            .push(
                LossKind::NoteDropped,
                "note before time 0 dropped: BMS starts there",
            )
            .at(index, note.time_us);
        return Ok(());
    }
    let channel = [family + side, b'0' + digit];
    // Mines hold a damage, not a sound: the largest. A note without a sound names an id no
    // `#WAVxx` defines (the chart has fewer keysounds, checked above).
    let id = match (note.kind, note.keysound) {
        (NoteKind::Mine, _) | (_, None) => MAX_ID as u16,
        (_, Some(k)) => k as u16 + 1,
    };
    // A tap is one object, a hold its start and end (an array: no allocation a note).
    let (start, end, count) = match note.kind.has_duration() {
        true => {
            let (start, end) = grid.hold_rows(note.time_us, note.end_time_us());
            (start, end, 2)
        }
        false => {
            let start = grid.note_row(note.time_us);
            (start, start, 1)
        }
    };
    let objects = [start, end].map(|row| Object { row, channel, id });
    let objects = &objects[..count];
    if objects.iter().any(|o| !grid.holds_row(o.row)) {
        return Err(too_long());
    }
    if !lines.add_note((side, digit), objects) {
        report
            .push(
                LossKind::NoteDropped,
                "note dropped: another note of its column is on its row, or a hold of the \
                 column is around it (or it is a hold around one)",
            )
            .at(index, note.time_us);
    }
    Ok(())
}

/// The first character of the channels a note goes on (1x taps, 5x holds, Dx mines); `None`
/// for a note BMS has no kind for (reported). Lifts and rolls are reported as changed.
fn family_of(note: &Note, index: usize, report: &mut ConversionReport) -> Option<u8> {
    let (family, written) = match note.kind {
        NoteKind::Tap => (b'1', None),
        NoteKind::Lift => (b'1', Some("tap")),
        NoteKind::Hold => (b'5', None),
        NoteKind::Roll => (b'5', Some("hold")),
        NoteKind::Mine => (b'D', None),
        NoteKind::Fake => {
            report
                .push(LossKind::NoteDropped, "fake note dropped: BMS has none")
                .at(index, note.time_us);
            return None;
        }
    };
    if let Some(written) = written {
        let message = format!("{} written as a {written}", note.kind.name());
        report
            .push(LossKind::NoteChanged, message)
            .at(index, note.time_us);
    }
    Some(family)
}

//! The writer's output read back: every note that moved (to its row) is reported with its
//! exact shift, every stop whose length changed by rounding too.

use crate::model::{Chart, ConversionReport, LossKind, TimingKind};
use crate::Result;

/// Reads `text` back and reports how each of `chart`'s notes moved. A chart without a scratch
/// comes back one column over.
pub fn report_moves(chart: &Chart, text: &[u8], report: &mut ConversionReport) -> Result<()> {
    let back = super::decode(text, &mut ConversionReport::default())?;
    let offset = usize::from(!chart.metadata.has_scratch);
    let mut columns: Vec<Vec<usize>> = vec![Vec::new(); usize::from(back.key_count)];
    for (index, note) in back.notes.iter().enumerate() {
        columns[usize::from(note.column)].push(index);
    }
    let mut next = vec![0usize; columns.len()];
    let dropped: Vec<usize> = report
        .entries
        .iter()
        .filter(|e| e.kind == LossKind::NoteDropped)
        .filter_map(|e| e.index)
        .collect();
    for (index, note) in chart.notes.iter().enumerate() {
        if dropped.contains(&index) {
            continue;
        }
        let column = usize::from(note.column) + offset;
        let Some(&written) = columns.get(column).and_then(|c| c.get(next[column])) else {
            continue;
        };
        next[column] += 1;
        let read = &back.notes[written];
        if read.time_us != note.time_us {
            report
                .push(
                    LossKind::NoteSnapped,
                    "note moved to the rows of the BMS measure",
                )
                .at(index, note.time_us)
                .shifted(read.time_us - note.time_us);
        }
        if note.kind.has_duration() && read.end_time_us() != note.end_time_us() {
            report
                .push(
                    LossKind::HoldEndSnapped,
                    "hold end moved to the rows of the BMS measure",
                )
                .at(index, note.end_time_us())
                .shifted(read.end_time_us() - note.end_time_us());
        }
    }
    report_stops(chart, &back, report);
    Ok(())
}

fn report_stops(chart: &Chart, back: &Chart, report: &mut ConversionReport) {
    let stops = |c: &Chart| -> Vec<(usize, i64, i64)> {
        c.timing
            .iter()
            .enumerate()
            .filter_map(|(i, t)| match t.kind {
                TimingKind::Stop { duration_us } => Some((i, t.time_us, duration_us)),
                _ => None,
            })
            .collect()
    };
    for ((index, time, length), (_, back_time, back_length)) in
        stops(chart).into_iter().zip(stops(back))
    {
        if (time, length) != (back_time, back_length) {
            report
                .push(
                    LossKind::TimingChanged,
                    format!("stop of {length} µs read back as {back_length} µs at {back_time} µs"),
                )
                .at(index, time);
        }
    }
}

//! The writer's output read back: every note that moved (to its row) is reported with its
//! exact shift, and so is every other difference (a stop's rounded length, a retuned tempo, a
//! scroll change on another row, the layout, kept sounds): silence means the same chart.

use crate::model::{Chart, ConversionReport, LossKind, TimingKind};
use crate::Result;

/// Reads `text` back and reports what it gives otherwise than `chart`: each note that moved (a
/// chart without a scratch comes back one column over), the layout, stops, scroll changes,
/// tempos (when the chart's own were written: `tempo_divisor` 1) and the kept sounds.
pub fn report_moves(
    chart: &Chart,
    text: &[u8],
    tempo_divisor: i64,
    report: &mut ConversionReport,
) -> Result<()> {
    let back = super::decode(text, &mut ConversionReport::default())?;
    let offset = usize::from(!chart.metadata.has_scratch);
    if usize::from(back.key_count) != usize::from(chart.key_count) + offset {
        let what = format!(
            "{} columns read back as {}: BMS tells its layout by the lanes notes are on",
            chart.key_count, back.key_count
        );
        report.push(LossKind::MetadataDropped, what);
    }
    let mut columns: Vec<Vec<usize>> = vec![Vec::new(); usize::from(back.key_count)];
    for (index, note) in back.notes.iter().enumerate() {
        columns[usize::from(note.column)].push(index);
    }
    let mut next = vec![0usize; columns.len()];
    // By note index: a chart can have as many dropped notes as notes.
    let mut dropped = vec![false; chart.notes.len()];
    for entry in report
        .entries
        .iter()
        .filter(|e| e.kind == LossKind::NoteDropped)
    {
        if let Some(flag) = entry.index.and_then(|i| dropped.get_mut(i)) {
            *flag = true;
        }
    }
    for (index, note) in chart.notes.iter().enumerate() {
        if dropped[index] {
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
    if tempo_divisor == 1 {
        report_changes(chart, &back, ("bpm", bpm), report);
    }
    report_changes(chart, &back, ("scroll", scroll), report);
    for key in ["bms.bgm", "bms.invisible"] {
        if chart.extra(key).is_some() && chart.extra(key) != back.extra(key) {
            let what = format!("{key} read back otherwise: sounds moved to rows or left out");
            report.push(LossKind::SoundDropped, what);
        }
    }
    Ok(())
}

/// Every tempo (or scroll speed) the chart sets from time 0 on that does not read back as it
/// was: a tempo the writer retuned by up to 1 % so that the next change lies on a row, a scroll
/// change moved to the nearest row.
fn report_changes(
    chart: &Chart,
    back: &Chart,
    (name, value): (&str, fn(&TimingKind) -> Option<f64>),
    report: &mut ConversionReport,
) {
    let points = |c: &Chart| -> Vec<(usize, i64, f64)> {
        (c.timing.iter().enumerate())
            .filter_map(|(i, t)| Some((i, t.time_us.max(0), value(&t.kind)?)))
            .collect()
    };
    // Both in time order (a chart's timing is sorted, or it is not written): found by
    // bisection, since a chart may hold tens of thousands of changes.
    let (written, read) = (points(chart), points(back));
    for (n, &(index, time, v)) in written.iter().enumerate() {
        // One that another replaces at the same time (or by time 0) is never in effect.
        if written.get(n + 1).is_some_and(|next| next.1 == time) {
            continue;
        }
        // The change read back for this one: of the one in effect at its time and the first
        // after it (where a change moved later is), the nearer with its value, else the one in
        // effect (or, none being in effect yet, the first). The one in effect alone could be an
        // earlier change to the same value, minutes before.
        let first_after = read.partition_point(|b| b.1 <= time);
        let before = first_after.checked_sub(1).map(|i| &read[i]);
        let after = read.get(first_after);
        let same_value = [before, after]
            .into_iter()
            .flatten()
            .filter(|b| b.2 == v)
            .min_by_key(|b| b.1.abs_diff(time));
        let at = chart.timing[index].time_us;
        let Some(&(_, back_time, back_v)) = same_value.or(before).or(after) else {
            let what = format!("{name} {v} not read back");
            report.push(LossKind::TimingDropped, what).at(index, at);
            continue;
        };
        if (back_time, back_v) != (time, v) {
            if back_v == v {
                let what = format!("{name} moved to the rows of the BMS measure");
                let loss = report.push(LossKind::TimingChanged, what).at(index, at);
                loss.shifted(back_time - time);
            } else {
                let what = format!("{name} {v} read back as {back_v} from {back_time} µs");
                report.push(LossKind::TimingChanged, what).at(index, at);
            }
        }
    }
    // A change the writer added (a retuned tempo after a stop starts on its row).
    for &(_, back_time, back_v) in &read {
        let in_effect =
            (written.partition_point(|w| w.1 <= back_time).checked_sub(1)).map(|i| &written[i]);
        let added = in_effect.is_some_and(|w| w.1 != back_time && w.2 != back_v);
        if added {
            let what = format!("{name} {back_v} added at {back_time} µs");
            report.push(LossKind::TimingChanged, what);
        }
    }
}

fn bpm(kind: &TimingKind) -> Option<f64> {
    match *kind {
        TimingKind::Bpm { bpm, .. } => Some(bpm),
        _ => None,
    }
}

fn scroll(kind: &TimingKind) -> Option<f64> {
    match *kind {
        TimingKind::Scroll { multiplier } => Some(multiplier),
        _ => None,
    }
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
    let (mut written, read) = (stops(chart), stops(back));
    written.retain(|&(index, time, length)| {
        if length == 0 {
            let what = "stop of 0 µs dropped: it takes no time";
            report.push(LossKind::TimingDropped, what).at(index, time);
        }
        length != 0
    });
    if written.len() != read.len() {
        let what = format!("{} stops read back as {}", written.len(), read.len());
        report.push(LossKind::TimingChanged, what);
    }
    for ((index, time, length), (_, back_time, back_length)) in written.into_iter().zip(read) {
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

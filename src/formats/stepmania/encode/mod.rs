//! `Chart`s → one `.sm` / `.ssc` file, laid out as StepMania's writers lay it out.
//!
//! Times become rows through the chart's own timing (`timing`, the inverse of the engine),
//! snapped to the nearest 1/48 beat (`cells`); each measure is written with the fewest lines
//! that hold its notes (`writer`). Every note or event that moves, and everything the file
//! cannot hold (`song`, `fields`), is reported.

mod cells;
mod fields;
mod song;
mod timing;
mod writer;

use self::cells::Cells;
use self::song::{report_dropped_metadata, SongTags};
use self::timing::FileTiming;
use self::writer::{ChartToWrite, Writer};
use super::extras::SmExtras;
use super::Dialect;
use crate::model::{ConversionReport, IssueKind, LossKind};
use crate::{Chart, Error, Result};

pub fn encode(
    charts: &[Chart],
    dialect: Dialect,
    report: &mut ConversionReport,
) -> Result<Vec<u8>> {
    let Some(first) = charts.first() else {
        return Err(Error::InvalidArgument("no chart to write".into()));
    };
    charts.iter().try_for_each(check)?;
    let (keysounds, keysound_maps) = keysounds(charts);
    let extras: Vec<SmExtras> = charts.iter().map(SmExtras::of).collect();

    let mut w = Writer {
        out: Vec::with_capacity(4096 + charts.iter().map(|c| c.notes.len() * 8).sum::<usize>()),
        dialect,
    };
    let song_timing = FileTiming::new(first, &extras[0], 0, dialect, report)?;
    let song = SongTags::new(first, &extras[0], dialect);
    w.header(first, &song, &keysounds);
    w.timing(&song_timing);

    for (index, chart) in charts.iter().enumerate() {
        if index > 0 {
            song.compare(
                &first.metadata,
                chart,
                &extras[index],
                index,
                dialect,
                report,
            );
        }
        report_dropped_metadata(chart, index, dialect, report);
        // Tags compared as text: a chart whose tags say the same in other words keeps its own.
        // Rows are part of the timing: inside a warp, events of equal times may sit on others;
        // so is an #OFFSET below the µs, which the model's times do not tell apart.
        let differs = chart.timing != first.timing
            || extras[index].timing != extras[0].timing
            || extras[index].rows.timing_rows != extras[0].rows.timing_rows
            || extras[index].offset != extras[0].offset;
        let own = match dialect {
            Dialect::Ssc if differs => Some(FileTiming::new(
                chart,
                &extras[index],
                index,
                dialect,
                report,
            )?),
            Dialect::Sm if differs => {
                report.push(
                    LossKind::TimingDropped,
                    format!(
                        "chart {index} has timing of its own, and .sm has one timing for all \
                         charts: its notes are placed through the first chart's timing"
                    ),
                );
                None
            }
            _ => None,
        };
        let timing = own.as_ref().unwrap_or(&song_timing);
        let map = &keysound_maps[index];
        let cells = Cells::of(chart, &extras[index], index, timing, map, report)?;
        let to_write = ChartToWrite {
            chart,
            index,
            extras: &extras[index],
            own_timing: own.as_ref(),
            cells: &cells,
        };
        w.chart(&to_write, &song, report);
    }
    Ok(w.out)
}

/// Refuses a chart no file can hold.
fn check(chart: &Chart) -> Result<()> {
    let fatal: Vec<_> = chart
        .validate()
        .into_iter()
        .filter(|i| i.kind.is_fatal() && i.kind != IssueKind::KeyCountOutOfRange)
        .collect();
    if chart.key_count == 0 || chart.key_count > crate::model::MAX_KEYS {
        return Err(Error::InvalidKeyCount(chart.key_count.into()));
    }
    if !fatal.is_empty() {
        return Err(Error::Invalid(fatal));
    }
    Ok(())
}

/// One keysound list for the file: the first chart's exactly as it is (a list may name a
/// file twice), then what the others add; and for each chart, where its keysounds went: to the
/// same index when the file has the same name there (so that a name listed twice keeps both
/// indices), else to the first index with its name.
fn keysounds(charts: &[Chart]) -> (Vec<String>, Vec<Vec<u32>>) {
    let mut keysounds: Vec<String> = charts[0].keysounds.clone();
    let maps = charts
        .iter()
        .enumerate()
        .map(|(index, chart)| {
            if index == 0 {
                return (0..chart.keysounds.len() as u32).collect();
            }
            chart
                .keysounds
                .iter()
                .enumerate()
                .map(|(same, file)| {
                    if keysounds.get(same) == Some(file) {
                        return same as u32;
                    }
                    match keysounds.iter().position(|k| k == file) {
                        Some(i) => i as u32,
                        None => {
                            keysounds.push(file.clone());
                            (keysounds.len() - 1) as u32
                        }
                    }
                })
                .collect()
        })
        .collect();
    (keysounds, maps)
}

//! `Chart`s → one `.sm` / `.ssc` file, laid out as StepMania's writers lay it out.
//!
//! Times become rows through the chart's own timing (the inverse of the engine), snapped to the
//! nearest 1/48 beat; each measure is written with the fewest lines that hold its notes. Every
//! note or event that moves, and everything the file cannot hold, is reported.

use std::collections::HashMap;
use std::io::Write as _;

use super::decode::beat_values;
use super::msd::escape_into;
use super::timing::{self, Engine, Event, Order, SmTiming, MAX_ROW, ROWS_PER_MEASURE};
use super::{
    beat_text, default_steps_type, first_bpm, parse_int, same_timing_extras, seconds,
    steps_type_columns, Dialect, CHART_PREFIX, KEY_AUTO_KEYSOUNDS, KEY_RADAR, KEY_SONG_CREDIT,
    KEY_SONG_MUSIC, KEY_TIMING_ROWS, KEY_UNJUDGED, TIMING_EXTRAS,
};
use crate::model::{
    ConversionReport, HitSound, IssueKind, LossKind, Metadata, NoteKind, TimingKind,
};
use crate::{Chart, Error, Result};

/// Lines per measure StepMania's note types allow (96 included: it reads like any other).
const QUANTIZATIONS: [i64; 10] = [4, 8, 12, 16, 24, 32, 48, 64, 96, 192];
/// Longest note data written: 100 000 measures (400 000 beats, 111 hours at 60 BPM); beyond
/// that a chart is refused rather than written as hundreds of megabytes.
const MAX_MEASURES: i64 = 100_000;

pub fn encode(
    charts: &[Chart],
    dialect: Dialect,
    report: &mut ConversionReport,
) -> Result<Vec<u8>> {
    let Some(first) = charts.first() else {
        return Err(Error::InvalidArgument("no chart to write".into()));
    };
    for chart in charts {
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
    }

    // One keysound list for the file: the first chart's exactly as it is (a list may name a
    // file twice), then what the others add.
    let mut keysounds: Vec<String> = charts[0].keysounds.clone();
    let keysound_maps: Vec<Vec<u32>> = charts
        .iter()
        .enumerate()
        .map(|(index, chart)| {
            if index == 0 {
                return (0..chart.keysounds.len() as u32).collect();
            }
            chart
                .keysounds
                .iter()
                .map(|file| match keysounds.iter().position(|k| k == file) {
                    Some(i) => i as u32,
                    None => {
                        keysounds.push(file.clone());
                        (keysounds.len() - 1) as u32
                    }
                })
                .collect()
        })
        .collect();

    let mut w = Writer {
        out: Vec::with_capacity(4096 + charts.iter().map(|c| c.notes.len() * 8).sum::<usize>()),
        dialect,
    };
    let song_timing = FileTiming::new(first, 0, dialect, report);
    let song = SongTags::new(first, dialect);
    w.header(first, &song, &keysounds);
    w.timing(&song_timing, &first.extras);

    for (index, chart) in charts.iter().enumerate() {
        if index > 0 {
            song.compare(&first.metadata, chart, index, dialect, report);
        }
        report_dropped_metadata(chart, index, dialect, report);
        let differs = chart.timing != first.timing
            || !same_timing_extras(&timing_extras(chart), &timing_extras(first));
        let own = match dialect {
            Dialect::Ssc if differs => Some(FileTiming::new(chart, index, dialect, report)),
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
        let cells = Cells::of(chart, index, timing, &keysound_maps[index], report)?;
        w.chart(chart, index, &song, own.as_ref(), &cells, report)?;
    }
    Ok(w.out)
}

/// A chart's timing as it will be written and read back, with the engine that places notes.
struct FileTiming {
    /// What the tags say.
    written: SmTiming,
    /// What StepMania makes of them (the same, except for `.sm` warps).
    sm: SmTiming,
    engine: Engine,
    /// Meter of each BPM row, for `#TIMESIGNATURES` when the chart has no raw value.
    meters: Vec<(i64, u32)>,
    /// Rows added before the chart's start to give notes before its first BPM a place.
    shift_rows: i64,
    /// Timing extras of the chart this timing comes from.
    extras: Vec<(String, String)>,
}

fn timing_extras(chart: &Chart) -> Vec<(String, String)> {
    chart
        .extras
        .iter()
        .filter(|(k, _)| TIMING_EXTRAS.iter().any(|(_, key)| key == k))
        .cloned()
        .collect()
}

fn us(seconds: f64) -> i64 {
    (seconds * 1e6).round() as i64
}

impl FileTiming {
    fn new(
        chart: &Chart,
        index: usize,
        dialect: Dialect,
        report: &mut ConversionReport,
    ) -> FileTiming {
        let earliest = chart
            .notes
            .iter()
            .map(|n| n.time_us)
            .chain(chart.timing.iter().map(|t| t.time_us))
            .min();
        let (bpm_time, bpm) = first_bpm(chart).unwrap_or_else(|| {
            report.push(
                LossKind::TimingChanged,
                format!("chart {index} has no BPM: written at 60 BPM, StepMania's default"),
            );
            (earliest.unwrap_or(0).min(0), 60.0)
        });
        // Beat 0 is the first BPM point. Notes and events before it get whole measures of that
        // BPM in front, so that they have rows and the grid stays aligned.
        let measure = 240.0 / bpm;
        let before = (bpm_time - earliest.unwrap_or(bpm_time)).max(0) as f64 / 1e6;
        let measures = (before / measure).ceil();
        let start = bpm_time as f64 / 1e6 - measures * measure;
        let shift_rows = measures as i64 * ROWS_PER_MEASURE;
        if measures > 0.0 {
            report
                .push(
                    LossKind::TimingChanged,
                    format!(
                        "chart {index}: the first BPM is extended {measures} measure(s) earlier so \
                         that the notes before it have a place (beat-timed extras such as \
                         #BGCHANGES are not moved)"
                    ),
                )
                .shifted(us(start) - bpm_time);
        }
        let mut engine = Engine::new(-start, bpm);
        let mut sm = SmTiming {
            offset: -start,
            bpms: vec![(0, bpm)],
            ..SmTiming::default()
        };
        let first_meter = chart.timing.iter().find_map(|t| match t.kind {
            TimingKind::Bpm { bpm, meter } if bpm != 0.0 => Some(meter),
            _ => None,
        });
        let mut meters = vec![(0, first_meter.unwrap_or(4))];
        let mut scrolls_dropped = 0;
        let mut first_seen = false;
        // Rows of events inside warps, where the time alone does not tell the row.
        let mut row_hints: Vec<(&str, i64)> = extra(chart, KEY_TIMING_ROWS)
            .unwrap_or("")
            .split(',')
            .filter_map(|e| {
                let (kind, row) = e.split_once('=')?;
                Some((kind, parse_int(row.as_bytes())? + shift_rows))
            })
            .collect();
        let mut last_row = 0;
        // The last BPM written (source index, row, time), while nothing else was written after
        // its row: its tempo can still be tuned so that the next BPM change keeps its time.
        let mut tunable: Option<(usize, i64, i64)> = first_bpm(chart)
            .and_then(|(t, _)| chart.timing.iter().position(|p| p.time_us == t))
            .map(|i| (i, 0, bpm_time));
        for (i, point) in chart.timing.iter().enumerate() {
            let (event, order) = match point.kind {
                TimingKind::Bpm { bpm: 0.0, .. } => {
                    report
                        .push(
                            LossKind::TimingDropped,
                            "BPM of zero dropped: StepMania ignores it",
                        )
                        .at(i, point.time_us);
                    continue;
                }
                TimingKind::Bpm { .. } if !first_seen => {
                    first_seen = true;
                    continue;
                }
                TimingKind::Bpm { bpm, .. } => (Some(Event::Bpm(bpm)), Order::Bpm),
                TimingKind::Scroll { .. } => (None, Order::Bpm),
                TimingKind::Stop { duration_us } => {
                    (Some(Event::Stop(duration_us as f64 / 1e6)), Order::Stop)
                }
                TimingKind::Delay { duration_us } => {
                    (Some(Event::Delay(duration_us as f64 / 1e6)), Order::Delay)
                }
                TimingKind::Warp { beats } => (Some(Event::Warp(beats)), Order::Warp),
            };
            let seconds = point.time_us as f64 / 1e6;
            let hinted = row_hints.iter().position(|&(kind, row)| {
                kind == point.kind.name()
                    && row >= last_row
                    && us(engine.time_at(row, order)) == point.time_us
            });
            let row = match hinted {
                Some(h) => row_hints.swap_remove(h).1,
                None => engine.row_near(seconds, order).max(last_row),
            };
            let dropped_scroll =
                matches!(point.kind, TimingKind::Scroll { .. }) && dialect == Dialect::Sm;
            if !matches!(event, Some(Event::Bpm(_)))
                && !dropped_scroll
                && row != tunable.map_or(-1, |t| t.1)
            {
                tunable = None;
            }
            if let (Some(Event::Bpm(_)), Some((prev, prev_row, prev_time)), None) =
                (event, tunable, hinted)
            {
                // A BPM change off the grid: rather than move it (and every note after it),
                // tune the tempo before it, by at most 1 %, so that its row falls on its time.
                let beats = (row - prev_row) as f64 / timing::ROWS_PER_BEAT as f64;
                let seconds = (point.time_us - prev_time) as f64 / 1e6;
                let old = *sm.bpms.last().map(|(_, v)| v).unwrap_or(&bpm);
                let tuned = beats * 60.0 / seconds;
                if us(engine.time_at(row, order)) != point.time_us
                    && row > prev_row
                    && seconds > 0.0
                    && (tuned / old - 1.0).abs() <= 0.01
                    && engine.retune_last_bpm(tuned)
                {
                    if let Some(last) = sm.bpms.last_mut() {
                        last.1 = tuned;
                    }
                    report
                        .push(
                            LossKind::TimingChanged,
                            format!(
                                "bpm {old} written as {tuned} so that the next BPM change falls \
                                 on the 1/48-beat grid at its own time"
                            ),
                        )
                        .at(prev, chart.timing[prev].time_us);
                }
            }
            let shift = us(engine.time_at(row, order)) - point.time_us;
            let noop = match point.kind {
                TimingKind::Stop { duration_us } | TimingKind::Delay { duration_us } => {
                    duration_us <= 0
                }
                TimingKind::Warp { beats } => beats <= 0.0,
                _ => false,
            };
            if noop {
                report
                    .push(
                        LossKind::TimingDropped,
                        format!(
                            "{} of zero length dropped: StepMania ignores it",
                            point.kind.name()
                        ),
                    )
                    .at(i, point.time_us);
                continue;
            }
            if let TimingKind::Scroll { multiplier } = point.kind {
                match dialect {
                    Dialect::Ssc => sm.scrolls.push((row, multiplier)),
                    Dialect::Sm => {
                        scrolls_dropped += 1;
                        continue;
                    }
                }
            }
            if shift != 0 {
                report
                    .push(
                        LossKind::TimingChanged,
                        format!("{} moved to the 1/48-beat grid", point.kind.name()),
                    )
                    .at(i, point.time_us)
                    .shifted(shift);
            }
            last_row = row;
            if let Some(Event::Bpm(_)) = event {
                tunable = Some((i, row, us(engine.time_at(row, order))));
            }
            let Some(event) = event else { continue };
            engine.push(row, event);
            match event {
                Event::Bpm(v) => {
                    if let TimingKind::Bpm { meter, .. } = point.kind {
                        meters.push((row, meter));
                    }
                    sm.bpms.push((row, v));
                }
                Event::Stop(v) => sm.stops.push((row, v)),
                Event::Delay(v) => sm.delays.push((row, v)),
                Event::Warp(v) => sm.warps.push((row, v)),
            }
        }
        if scrolls_dropped > 0 {
            report.push(
                LossKind::TimingDropped,
                format!("chart {index}: {scrolls_dropped} scroll speed change(s) dropped: .sm has no #SCROLLS"),
            );
        }
        for (name, list) in [
            ("BPM", &mut sm.bpms),
            ("stop", &mut sm.stops),
            ("delay", &mut sm.delays),
            ("warp", &mut sm.warps),
            ("scroll", &mut sm.scrolls),
        ] {
            let before = list.len();
            *list = timing::tidy(std::mem::take(list));
            if list.len() < before {
                report.push(
                    LossKind::TimingDropped,
                    format!(
                        "chart {index}: {} {name} change(s) fell on the row of another and were dropped",
                        before - list.len()
                    ),
                );
            }
        }
        meters = timing::tidy(meters);
        let extras = timing_extras(chart);
        if dialect == Dialect::Ssc {
            if let Some((_, fakes)) = extras.iter().find(|(k, _)| k == "ssc.FAKES") {
                sm.fakes = timing::tidy(
                    beat_values(fakes.as_bytes())
                        .filter_map(|(_, p)| p)
                        .filter(|&(b, v)| b >= 0.0 && v > 0.0)
                        .map(|(b, v)| (timing::beat_to_row(b) + shift_rows, v))
                        .collect(),
                );
            }
        }
        let written = sm.clone();
        let engine = match dialect {
            Dialect::Ssc => Engine::build(&sm),
            Dialect::Sm => {
                // Warps become negative stops; what StepMania makes of them is what counts.
                let read = sm_as_read(&sm);
                if read.bpms != sm.bpms
                    || read.stops != sm.stops
                    || !same_warps(&read.warps, &sm.warps)
                {
                    report.push(
                        LossKind::TimingChanged,
                        format!(
                            "chart {index}: warps written as negative stops (.sm has no #WARPS) \
                             do not read back exactly (a BPM change inside a warp, or a stop on \
                             its row)"
                        ),
                    );
                }
                sm.bpms = read.bpms;
                sm.stops = read.stops;
                sm.warps = read.warps;
                sm.offset = read.offset;
                Engine::build(&sm)
            }
        };
        FileTiming {
            written,
            sm,
            engine,
            meters,
            shift_rows,
            extras,
        }
    }
}

/// `#STOPS` of a `.sm` file: stops, and each warp as the negative stop that skips its beats at
/// the BPM of its row (StepMania's `NotesWriterSM`); a stop and a warp on one row add up.
fn sm_stops(sm: &SmTiming) -> Vec<(i64, f64)> {
    let mut stops = sm.stops.clone();
    for &(row, beats) in &sm.warps {
        let i = sm.bpms.partition_point(|b| b.0 <= row);
        let bpm = sm.bpms[i.saturating_sub(1)].1;
        stops.push((row, -beats * 60.0 / bpm));
    }
    stops.sort_by_key(|s| s.0);
    stops.dedup_by(|later, earlier| {
        let same = later.0 == earlier.0;
        if same {
            earlier.1 += later.1;
        }
        same
    });
    stops
}

/// A `.sm` timing after a write and a read: the BPMs and `sm_stops` through StepMania's
/// negative-value conversion.
fn sm_as_read(sm: &SmTiming) -> SmTiming {
    let beats = |list: &[(i64, f64)]| {
        list.iter()
            .filter(|e| e.1 != 0.0)
            .map(|&(r, v)| (timing::row_to_beat(r), v))
            .collect::<Vec<_>>()
    };
    let mut read = SmTiming {
        offset: sm.offset,
        ..SmTiming::default()
    };
    timing::sm_bpms_and_stops(&mut read, &beats(&sm.bpms), &beats(&sm_stops(sm)));
    read
}

fn same_warps(a: &[(i64, f64)], b: &[(i64, f64)]) -> bool {
    a.len() == b.len()
        && a.iter()
            .zip(b)
            .all(|(x, y)| x.0 == y.0 && timing::beat_to_row(x.1) == timing::beat_to_row(y.1))
}

/// Song-level tags, from the first chart.
struct SongTags {
    title: String,
    title_translit: String,
    artist: String,
    artist_translit: String,
    credit: String,
    music: String,
    /// Song-level extras the dialect writes: (tag, value).
    extras: Vec<(String, String)>,
}

/// Tags the writer makes from the model; extras of the same name are not written.
fn is_generated(dialect: Dialect, tag: &str) -> bool {
    let both = matches!(
        tag,
        "TITLE"
            | "SUBTITLE"
            | "ARTIST"
            | "TITLETRANSLIT"
            | "ARTISTTRANSLIT"
            | "GENRE"
            | "CREDIT"
            | "MUSIC"
            | "BACKGROUND"
            | "SAMPLESTART"
            | "OFFSET"
            | "BPMS"
            | "STOPS"
            | "FREEZES"
            | "DELAYS"
            | "TIMESIGNATURES"
            | "TICKCOUNTS"
            | "KEYSOUNDS"
            | "NOTES"
            | "NOTES2"
    );
    both || (dialect == Dialect::Ssc
        && matches!(
            tag,
            "VERSION" | "WARPS" | "SCROLLS" | "COMBOS" | "SPEEDS" | "FAKES" | "LABELS" | "NOTEDATA"
        ))
}

/// Where an extra goes when written in `dialect`.
enum Place<'a> {
    /// A song-level tag.
    Song(&'a str),
    /// A chart-level `.ssc` tag.
    Chart(&'a str),
    /// Used by the writer itself (timing extras, notes, overridden song values).
    Handled,
    /// Nowhere.
    Dropped,
}

fn place(key: &str, dialect: Dialect) -> Place<'_> {
    let handled = [
        KEY_SONG_CREDIT,
        KEY_SONG_MUSIC,
        KEY_RADAR,
        KEY_AUTO_KEYSOUNDS,
        KEY_UNJUDGED,
        KEY_TIMING_ROWS,
    ];
    if handled.contains(&key) {
        return Place::Handled;
    }
    if TIMING_EXTRAS.iter().any(|(_, k)| *k == key) {
        let written = dialect == Dialect::Ssc || key.starts_with("sm.");
        return if written {
            Place::Handled
        } else {
            Place::Dropped
        };
    }
    if let Some(tag) = key.strip_prefix(CHART_PREFIX) {
        return match dialect {
            Dialect::Ssc if !is_generated_chart_tag(tag) => Place::Chart(tag),
            _ => Place::Dropped,
        };
    }
    let tag = match (key.strip_prefix("sm."), key.strip_prefix("ssc.")) {
        (Some(tag), _) => tag,
        (None, Some(tag)) if dialect == Dialect::Ssc => tag,
        _ => return Place::Dropped,
    };
    if tag.is_empty() || tag.contains(['#', ':', ';']) || is_generated(dialect, tag) {
        Place::Dropped
    } else {
        Place::Song(tag)
    }
}

/// Chart-level `.ssc` tags the writer makes from the model.
fn is_generated_chart_tag(tag: &str) -> bool {
    matches!(
        tag,
        "STEPSTYPE"
            | "DESCRIPTION"
            | "DIFFICULTY"
            | "METER"
            | "CREDIT"
            | "MUSIC"
            | "RADARVALUES"
            | "NOTES"
            | "NOTES2"
            | "NOTEDATA"
            | "VERSION"
            | "OFFSET"
            | "BPMS"
            | "STOPS"
            | "DELAYS"
            | "WARPS"
            | "TIMESIGNATURES"
            | "TICKCOUNTS"
            | "COMBOS"
            | "SPEEDS"
            | "SCROLLS"
            | "FAKES"
            | "LABELS"
    ) || tag.is_empty()
        || tag.contains(['#', ':', ';'])
}

fn extra<'c>(chart: &'c Chart, key: &str) -> Option<&'c str> {
    chart
        .extras
        .iter()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.as_str())
}

impl SongTags {
    fn new(first: &Chart, dialect: Dialect) -> SongTags {
        let m = &first.metadata;
        let title = if m.title_unicode.is_empty() {
            &m.title
        } else {
            &m.title_unicode
        };
        let artist = if m.artist_unicode.is_empty() {
            &m.artist
        } else {
            &m.artist_unicode
        };
        let translit = |romanised: &String, shown: &String| {
            if romanised == shown {
                String::new()
            } else {
                romanised.clone()
            }
        };
        SongTags {
            title: title.clone(),
            title_translit: translit(&m.title, title),
            artist: artist.clone(),
            artist_translit: translit(&m.artist, artist),
            credit: extra(first, KEY_SONG_CREDIT)
                .unwrap_or(&m.creator)
                .to_owned(),
            music: extra(first, KEY_SONG_MUSIC)
                .unwrap_or(&m.audio_file)
                .to_owned(),
            extras: Self::song_extras(first, dialect),
        }
    }

    fn song_extras(chart: &Chart, dialect: Dialect) -> Vec<(String, String)> {
        chart
            .extras
            .iter()
            .filter_map(|(key, value)| match place(key, dialect) {
                Place::Song(tag) => Some((tag.to_owned(), value.clone())),
                _ => None,
            })
            .collect()
    }

    /// Reports what chart `index` has at song level that the file (the first chart's) lacks.
    fn compare(
        &self,
        first: &Metadata,
        chart: &Chart,
        index: usize,
        dialect: Dialect,
        report: &mut ConversionReport,
    ) {
        let other = SongTags::new(chart, dialect);
        let m = &chart.metadata;
        let differing = [
            (
                "title",
                (&self.title, &self.title_translit) != (&other.title, &other.title_translit),
            ),
            (
                "artist",
                (&self.artist, &self.artist_translit) != (&other.artist, &other.artist_translit),
            ),
            ("subtitle", first.subtitle != m.subtitle),
            ("genre", first.genre != m.genre),
            ("background", first.background_file != m.background_file),
            ("preview time", first.preview_time_us != m.preview_time_us),
            ("song-level extras", self.extras != other.extras),
        ];
        for (what, differs) in differing {
            if differs {
                report.push(
                    LossKind::MetadataDropped,
                    format!("chart {index}: {what} differs from the first chart's, which the file keeps"),
                );
            }
        }
    }
}

/// Model fields the dialect has no place for, and extras it does not write.
fn report_dropped_metadata(
    chart: &Chart,
    index: usize,
    dialect: Dialect,
    report: &mut ConversionReport,
) {
    let m = &chart.metadata;
    let set = [
        ("source", !m.source.is_empty()),
        ("tags", !m.tags.is_empty()),
        ("chart id", m.chart_id.is_some()),
        ("set id", m.set_id.is_some()),
        ("HP drain", m.hp_drain.is_some()),
        ("overall difficulty", m.overall_difficulty.is_some()),
        ("scratch column", m.has_scratch),
    ];
    for (what, present) in set {
        if present {
            report.push(
                LossKind::MetadataDropped,
                format!("chart {index}: {what} has no place in .{}", dialect.name()),
            );
        }
    }
    for (key, _) in &chart.extras {
        if matches!(place(key, dialect), Place::Dropped) {
            report.push(
                LossKind::MetadataDropped,
                format!("chart {index}: {key} is not written to .{}", dialect.name()),
            );
        }
    }
}

/// One cell of note data.
#[derive(Clone, Copy)]
struct Cell {
    row: i64,
    column: u8,
    ch: u8,
    keysound: Option<u32>,
    /// Index of the source note whose head this is (`NO_NOTE` for tails, keysounds, hints).
    note: u32,
}

const NO_NOTE: u32 = u32::MAX;

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

struct Cells {
    cells: Vec<Cell>,
}

/// An `sm.notes.unjudged` entry (see `decode`).
struct Hint {
    row: i64,
    column: u8,
    ch: u8,
    keysound: Option<u32>,
    tail: Option<i64>,
}

fn parse_hints(value: &str, shift_rows: i64, keysound_map: &[u32]) -> Vec<Hint> {
    let remap = |k: i64| {
        usize::try_from(k)
            .ok()
            .and_then(|k| keysound_map.get(k).copied())
            .or(u32::try_from(k).ok())
    };
    value
        .split(',')
        .filter_map(|entry| {
            let mut fields = entry.split('=');
            let row = parse_int(fields.next()?.as_bytes())?;
            let column = u8::try_from(parse_int(fields.next()?.as_bytes())?).ok()?;
            let ch = *fields.next()?.as_bytes().first()?;
            let keysound = fields
                .next()
                .and_then(|k| parse_int(k.as_bytes()))
                .and_then(remap);
            let tail = fields.next().and_then(|t| parse_int(t.as_bytes()));
            Some(Hint {
                row: row + shift_rows,
                column,
                ch,
                keysound,
                tail: tail.map(|t| t + shift_rows),
            })
        })
        .collect()
}

impl Cells {
    fn of(
        chart: &Chart,
        index: usize,
        timing: &FileTiming,
        keysound_map: &[u32],
        report: &mut ConversionReport,
    ) -> Result<Cells> {
        let engine = &timing.engine;
        let time_of = |row: i64| us(engine.time_at(row, Order::Note));
        let mut cells = Vec::with_capacity(chart.notes.len() + 16);
        let mut sounds = 0;

        // Unjudged notes come back to the rows they were read from when their time still fits.
        let hints = extra(chart, KEY_UNJUDGED)
            .map(|v| parse_hints(v, timing.shift_rows, keysound_map))
            .unwrap_or_default();
        let mut hint_at: HashMap<(u8, i64), Vec<usize>> = HashMap::new();
        for (i, hint) in hints.iter().enumerate().rev() {
            if timing.sm.is_unjudged(hint.row) {
                hint_at
                    .entry((hint.column, time_of(hint.row)))
                    .or_default()
                    .push(i);
            }
        }

        // Per column: the open hold, and the row of the last head written.
        let mut holds: Vec<Option<OpenHold>> = vec![None; usize::from(chart.key_count)];
        let mut last_head: Vec<Option<i64>> = vec![None; usize::from(chart.key_count)];
        for (i, note) in chart.notes.iter().enumerate() {
            if note.sound != HitSound::default() {
                sounds += 1;
            }
            let keysound = note.keysound.map(|k| keysound_map[k as usize]);
            if note.kind == NoteKind::Fake {
                if let Some(h) = hint_at
                    .get_mut(&(note.column, note.time_us))
                    .and_then(Vec::pop)
                {
                    let hint = &hints[h];
                    cells.push(Cell {
                        row: hint.row,
                        column: hint.column,
                        ch: hint.ch,
                        keysound: hint.keysound,
                        note: NO_NOTE,
                    });
                    if let Some(tail) = hint.tail {
                        cells.push(Cell {
                            row: tail,
                            column: hint.column,
                            ch: b'3',
                            keysound: None,
                            note: NO_NOTE,
                        });
                    }
                    continue;
                }
            }
            let row = engine
                .row_near(note.time_us as f64 / 1e6, Order::Note)
                .max(0);
            let ch = match note.kind {
                NoteKind::Tap => b'1',
                NoteKind::Hold => b'2',
                NoteKind::Roll => b'4',
                NoteKind::Mine => b'M',
                NoteKind::Lift => b'L',
                NoteKind::Fake => b'F',
            };
            let column = usize::from(note.column);
            if let Some(OpenHold {
                head,
                tail,
                tail_cell,
                note: hold_note,
                end_entry,
            }) = holds[column]
            {
                if row < tail {
                    report
                        .push(
                            LossKind::NoteDropped,
                            "note inside a hold in its column: a StepMania hold cannot contain it",
                        )
                        .at(i, note.time_us);
                    continue;
                }
                if row == tail {
                    if tail - 1 > head {
                        // The hold gives way: its end moves one row up. One entry says how far
                        // the end moved in all (replacing the one of its snap, if any).
                        cells[tail_cell].row = tail - 1;
                        let end = chart.notes[hold_note].end_time_us();
                        const GIVES_WAY: &str =
                            "hold ends one row earlier: a note starts on its last row";
                        let entry = match end_entry {
                            Some(e) => {
                                let entry = &mut report.entries[e];
                                entry.message = GIVES_WAY.into();
                                entry
                            }
                            None => report
                                .push(LossKind::HoldEndSnapped, GIVES_WAY)
                                .at(hold_note, chart.notes[hold_note].time_us),
                        };
                        entry.shifted(time_of(tail - 1) - end);
                    } else {
                        report
                            .push(
                                LossKind::NoteDropped,
                                "note on the end row of a one-row hold in its column",
                            )
                            .at(i, note.time_us);
                        continue;
                    }
                }
                holds[column] = None;
            }
            if last_head[column] == Some(row) {
                report
                    .push(
                        LossKind::NoteDropped,
                        "note on the row of another note in its column: a StepMania cell holds one",
                    )
                    .at(i, note.time_us);
                continue;
            }
            last_head[column] = Some(row);
            let shift = time_of(row) - note.time_us;
            if shift != 0 {
                report
                    .push(LossKind::NoteSnapped, "note moved to the 1/48-beat grid")
                    .at(i, note.time_us)
                    .shifted(shift);
            }
            if note.kind != NoteKind::Fake && timing.sm.is_unjudged(row) {
                report
                    .push(
                        LossKind::NoteChanged,
                        "note lands in a warp or #FAKES range: StepMania will not judge it",
                    )
                    .at(i, note.time_us);
            }
            cells.push(Cell {
                row,
                column: note.column,
                ch,
                keysound,
                note: i as u32,
            });
            if note.kind.has_duration() {
                let end = note.end_time_us();
                let mut tail = engine.row_near(end as f64 / 1e6, Order::Note);
                if tail <= row {
                    tail = row + 1;
                }
                let shift = time_of(tail) - end;
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
                holds[column] = Some(OpenHold {
                    head: row,
                    tail,
                    tail_cell: cells.len(),
                    note: i,
                    end_entry,
                });
                cells.push(Cell {
                    row: tail,
                    column: note.column,
                    ch: b'3',
                    keysound: None,
                    note: NO_NOTE,
                });
            }
        }
        if sounds > 0 {
            report.push(
                LossKind::SoundDropped,
                format!(
                    "chart {index}: hit sounds of {sounds} note(s) dropped: StepMania has none"
                ),
            );
        }
        if let Some(value) = extra(chart, KEY_AUTO_KEYSOUNDS) {
            for entry in value.split(',') {
                let mut fields = entry.split('=');
                let (Some(row), Some(column)) = (
                    fields.next().and_then(|r| parse_int(r.as_bytes())),
                    fields.next().and_then(|c| parse_int(c.as_bytes())),
                ) else {
                    continue;
                };
                let Ok(column) = u8::try_from(column) else {
                    continue;
                };
                if column >= chart.key_count {
                    continue;
                }
                let keysound = fields
                    .next()
                    .and_then(|k| parse_int(k.as_bytes()))
                    .and_then(|k| usize::try_from(k).ok())
                    .map(|k| keysound_map.get(k).copied().unwrap_or(k as u32));
                cells.push(Cell {
                    row: row + timing.shift_rows,
                    column,
                    ch: b'K',
                    keysound,
                    note: NO_NOTE,
                });
            }
        }

        // One note per cell: the first written wins (a tail over a keysound, a note over a
        // later one that snapped onto it).
        cells.sort_by_key(|c| (c.row, c.column));
        let mut unnamed = 0;
        cells.dedup_by(|later, earlier| {
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
        if let Some(last) = cells.last() {
            if last.row / ROWS_PER_MEASURE >= MAX_MEASURES || last.row > MAX_ROW {
                return Err(Error::InvalidArgument(format!(
                    "chart {index} is too long for StepMania note data ({} measures; at most {MAX_MEASURES} are written)",
                    last.row / ROWS_PER_MEASURE + 1
                )));
            }
        }
        Ok(Cells { cells })
    }
}

struct Writer {
    out: Vec<u8>,
    dialect: Dialect,
}

impl Writer {
    fn raw(&mut self, s: &str) {
        self.out.extend_from_slice(s.as_bytes());
    }

    /// `#TAG:value;` with the value escaped.
    fn tag(&mut self, tag: &str, value: &str) {
        self.out.push(b'#');
        self.raw(tag);
        self.out.push(b':');
        escape_into(&mut self.out, value.as_bytes());
        self.raw(";\n");
    }

    /// `#TAG:value;` with a value already in MSD form (extras keep tags as written).
    fn tag_raw(&mut self, tag: &str, value: &str) {
        self.out.push(b'#');
        self.raw(tag);
        self.out.push(b':');
        self.raw(value);
        self.raw(";\n");
    }

    fn list<T>(&mut self, tag: &str, list: &[(i64, T)], value: impl Fn(&T) -> String) {
        let text: Vec<String> = list
            .iter()
            .map(|(row, v)| format!("{}={}", beat_text(*row), value(v)))
            .collect();
        self.tag_raw(tag, &text.join(",\n"));
    }

    fn header(&mut self, first: &Chart, song: &SongTags, keysounds: &[String]) {
        let m = &first.metadata;
        if self.dialect == Dialect::Ssc {
            self.raw("#VERSION:0.83;\n");
        }
        for (tag, value) in [
            ("TITLE", &song.title),
            ("SUBTITLE", &m.subtitle),
            ("ARTIST", &song.artist),
            ("TITLETRANSLIT", &song.title_translit),
            ("ARTISTTRANSLIT", &song.artist_translit),
            ("GENRE", &m.genre),
            ("CREDIT", &song.credit),
            ("MUSIC", &song.music),
            ("BACKGROUND", &m.background_file),
        ] {
            self.tag(tag, value);
        }
        if let Some(t) = m.preview_time_us {
            self.tag_raw("SAMPLESTART", &seconds(t));
        }
        for (tag, value) in &song.extras {
            self.tag_raw(tag, value);
        }
        if !keysounds.is_empty() {
            let mut text = Vec::new();
            for (i, k) in keysounds.iter().enumerate() {
                if i > 0 {
                    text.push(b',');
                }
                escape_into(&mut text, k.as_bytes());
            }
            self.raw("#KEYSOUNDS:");
            self.out.extend_from_slice(&text);
            self.raw(";\n");
        }
    }

    /// The timing tags of a song or (`.ssc`) chart.
    fn timing(&mut self, t: &FileTiming, chart_extras: &[(String, String)]) {
        let number = |v: &f64| v.to_string();
        let w = &t.written;
        // `+ 0.0` writes a zero offset as 0, not -0.
        self.tag_raw("OFFSET", &(w.offset + 0.0).to_string());
        self.list("BPMS", &w.bpms, number);
        match self.dialect {
            Dialect::Sm => self.list("STOPS", &sm_stops(w), number),
            Dialect::Ssc => self.list("STOPS", &w.stops, number),
        }
        self.list("DELAYS", &w.delays, number);
        if self.dialect == Dialect::Ssc {
            self.list("WARPS", &w.warps, number);
        }
        match extra_in(chart_extras, "sm.TIMESIGNATURES") {
            Some(raw) => self.tag_raw("TIMESIGNATURES", raw),
            None => {
                let mut previous = None;
                let signatures: Vec<(i64, u32)> = t
                    .meters
                    .iter()
                    .filter(|&&(_, m)| previous.replace(m) != Some(m))
                    .map(|&(row, m)| (row, m.max(1)))
                    .collect();
                self.list("TIMESIGNATURES", &signatures, |m| format!("{m}=4"));
            }
        }
        if self.dialect == Dialect::Ssc {
            self.list("SCROLLS", &w.scrolls, number);
        }
        for (tag, key) in TIMING_EXTRAS {
            if tag == "TIMESIGNATURES" || (self.dialect == Dialect::Sm && !key.starts_with("sm.")) {
                continue;
            }
            if let Some(value) = extra_in(&t.extras, key) {
                self.tag_raw(tag, value);
            }
        }
    }

    fn chart(
        &mut self,
        chart: &Chart,
        index: usize,
        song: &SongTags,
        own_timing: Option<&FileTiming>,
        cells: &Cells,
        report: &mut ConversionReport,
    ) -> Result<()> {
        let m = &chart.metadata;
        let steps_type = steps_type(chart, index, report);
        let difficulty = difficulty(m, index, report);
        let meter = match m.difficulty_level {
            Some(level) if level.is_finite() => {
                let meter = level.round();
                if meter != level {
                    report.push(
                        LossKind::MetadataDropped,
                        format!("chart {index}: level {level} written as {meter}: StepMania meters are whole numbers"),
                    );
                }
                (meter.clamp(i32::MIN as f64, i32::MAX as f64) as i64).to_string()
            }
            _ => String::new(),
        };
        match self.dialect {
            Dialect::Sm => {
                if m.creator != song.credit {
                    report.push(
                        LossKind::MetadataDropped,
                        format!("chart {index}: creator '{}' not written: .sm has one #CREDIT for the file", m.creator),
                    );
                }
                if m.audio_file != song.music {
                    report.push(
                        LossKind::MetadataDropped,
                        format!("chart {index}: audio file '{}' not written: .sm has one #MUSIC for the file", m.audio_file),
                    );
                }
                self.raw("\n#NOTES:\n");
                for field in [steps_type.as_str(), &m.description, &difficulty, &meter] {
                    self.raw("     ");
                    escape_into(&mut self.out, field.as_bytes());
                    self.raw(":\n");
                }
                self.raw("     ");
                escape_into(
                    &mut self.out,
                    extra(chart, KEY_RADAR).unwrap_or("").as_bytes(),
                );
                self.raw(":\n");
            }
            Dialect::Ssc => {
                self.raw("\n#NOTEDATA:;\n");
                self.tag("STEPSTYPE", &steps_type);
                self.tag("DESCRIPTION", &m.description);
                self.tag("DIFFICULTY", &difficulty);
                self.tag_raw("METER", &meter);
                self.tag("CREDIT", &m.creator);
                if m.audio_file != song.music {
                    self.tag("MUSIC", &m.audio_file);
                }
                // In their own order, so that the chart reads back with its extras as they are.
                for (key, value) in &chart.extras {
                    if key == KEY_RADAR {
                        self.tag("RADARVALUES", value);
                    } else if let Place::Chart(tag) = place(key, Dialect::Ssc) {
                        self.tag_raw(tag, value);
                    }
                }
                if let Some(timing) = own_timing {
                    self.timing(timing, &chart.extras);
                }
                self.raw("#NOTES:\n");
            }
        }
        self.notes(chart.key_count, &cells.cells);
        self.raw(";\n");
        Ok(())
    }

    /// Note data: each measure with the fewest lines that put every note on its row.
    fn notes(&mut self, keys: u8, cells: &[Cell]) {
        let measures = cells.last().map_or(1, |c| c.row / ROWS_PER_MEASURE + 1);
        // At most every row written; reserving it saves copying a growing buffer.
        let bound = measures as usize * ROWS_PER_MEASURE as usize * (usize::from(keys) + 1);
        self.out.reserve(bound.min(1 << 26));
        let mut next = 0;
        let mut line = vec![b'0'; usize::from(keys)];
        for measure in 0..measures {
            if measure > 0 {
                self.raw(",\n");
            }
            let start = measure * ROWS_PER_MEASURE;
            let end = next + cells[next..].partition_point(|c| c.row < start + ROWS_PER_MEASURE);
            let in_measure = &cells[next..end];
            let lines = QUANTIZATIONS
                .into_iter()
                .find(|n| {
                    let step = ROWS_PER_MEASURE / n;
                    in_measure.iter().all(|c| (c.row - start) % step == 0)
                })
                .unwrap_or(ROWS_PER_MEASURE);
            let step = ROWS_PER_MEASURE / lines;
            let mut i = 0;
            for l in 0..lines {
                let row = start + l * step;
                let from = i;
                while i < in_measure.len() && in_measure[i].row == row {
                    i += 1;
                }
                let here = &in_measure[from..i];
                if here.iter().all(|c| c.keysound.is_none()) {
                    line.fill(b'0');
                    for c in here {
                        line[usize::from(c.column)] = c.ch;
                    }
                    self.out.extend_from_slice(&line);
                } else {
                    let mut cell = here.iter().peekable();
                    for column in 0..keys {
                        match cell.next_if(|c| c.column == column) {
                            Some(c) => {
                                self.out.push(c.ch);
                                if let Some(k) = c.keysound {
                                    let _ = write!(self.out, "[{k}]");
                                }
                            }
                            None => self.out.push(b'0'),
                        }
                    }
                }
                self.out.push(b'\n');
            }
            next = end;
        }
    }
}

fn extra_in<'e>(extras: &'e [(String, String)], key: &str) -> Option<&'e str> {
    extras
        .iter()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.as_str())
}

/// The steps type: the chart's style when it fits its key count, else the usual one for it.
fn steps_type(chart: &Chart, index: usize, report: &mut ConversionReport) -> String {
    let style = chart.metadata.style.trim();
    let keys = chart.key_count;
    match steps_type_columns(style) {
        Some(columns) if columns == keys => return style.to_owned(),
        // A steps type StepMania does not know, read from a file by its row width.
        None if !style.is_empty() => return style.to_owned(),
        _ => {}
    }
    match default_steps_type(keys) {
        Some(name) => {
            if !style.is_empty() {
                report.push(
                    LossKind::MetadataDropped,
                    format!("chart {index}: style '{style}' does not have {keys} columns: written as {name}"),
                );
            }
            name.to_owned()
        }
        None => {
            let name = format!("rox-{keys}k");
            report.push(
                LossKind::MetadataDropped,
                format!(
                    "chart {index}: no StepMania steps type has {keys} columns: written as '{name}', \
                     which StepMania does not load (ROX reads it back)"
                ),
            );
            name
        }
    }
}

/// The difficulty: StepMania's names (and their old aliases) as they are; any other name is
/// written as `Edit` with the name as the description when that is free.
fn difficulty(m: &Metadata, index: usize, report: &mut ConversionReport) -> String {
    const NAMES: [&str; 19] = [
        "beginner",
        "easy",
        "basic",
        "light",
        "medium",
        "another",
        "trick",
        "standard",
        "difficult",
        "hard",
        "ssr",
        "maniac",
        "heavy",
        "smaniac",
        "challenge",
        "expert",
        "oni",
        "edit",
        "",
    ];
    if NAMES.contains(&m.difficulty_name.trim().to_ascii_lowercase().as_str()) {
        return m.difficulty_name.clone();
    }
    report.push(
        LossKind::MetadataDropped,
        format!(
            "chart {index}: difficulty '{}' is not a StepMania difficulty: written as Edit",
            m.difficulty_name
        ),
    );
    "Edit".into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantization_is_the_smallest_that_fits() {
        let mut w = Writer {
            out: Vec::new(),
            dialect: Dialect::Sm,
        };
        let cell = |row| Cell {
            row,
            column: 0,
            ch: b'1',
            keysound: None,
            note: NO_NOTE,
        };
        w.notes(1, &[cell(0), cell(48 + 16)]);
        assert_eq!(String::from_utf8(w.out).unwrap().lines().count(), 12);
        let mut w = Writer {
            out: Vec::new(),
            dialect: Dialect::Sm,
        };
        w.notes(
            2,
            &[
                cell(1),
                Cell {
                    row: 200,
                    column: 1,
                    ch: b'M',
                    keysound: Some(3),
                    note: NO_NOTE,
                },
            ],
        );
        let text = String::from_utf8(w.out).unwrap();
        assert_eq!(text.lines().count(), 192 + 1 + 24);
        assert!(text.contains("0M[3]\n"));
    }
}

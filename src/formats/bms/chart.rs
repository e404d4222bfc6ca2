//! The chart from what the file's lines say: metadata, timing, notes and extras.

use std::collections::BTreeMap;
use std::fmt::Write;

use super::layout::{note_lane, Lane, Layout};
use super::notes::{self, LaneObject};
use super::parse::{Object, Source};
use super::timing::{Change, Measures, Placed, Tempo, TIMING_CHANNELS};
use super::{base36, IdTable};
use crate::formats::text::us_from_seconds;
use crate::model::{ConversionReport, DecodeLimits, LossKind, TimingKind, TimingPoint};
use crate::{Chart, Error, Format, Result};

/// The tempo of a file without `#BPM` (the BMS command memo's default).
const DEFAULT_BPM: f64 = 130.0;

/// `#DIFFICULTY` 1–5, by name.
const DIFFICULTY_NAMES: [&str; 5] = ["BEGINNER", "NORMAL", "HYPER", "ANOTHER", "INSANE"];

/// Headers that become model fields or shape the notes; every other one is kept as an extra.
const READ_HEADERS: [&str; 11] = [
    "PLAYER",
    "LNTYPE",
    "TITLE",
    "SUBTITLE",
    "ARTIST",
    "GENRE",
    "PLAYLEVEL",
    "DIFFICULTY",
    "STAGEFILE",
    "BPM",
    "LNOBJ",
];

pub fn build(
    source: &Source,
    limits: &DecodeLimits,
    report: &mut ConversionReport,
) -> Result<Chart> {
    let header = |name: &str| {
        source
            .headers
            .iter()
            .rev()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    };
    let initial_bpm = source.bpm.unwrap_or(DEFAULT_BPM);
    let lnobj = header("LNOBJ").and_then(|id| base36(id.trim().as_bytes()));
    if header("LNTYPE").is_some_and(|t| t.trim() == "2") {
        report.push(
            LossKind::NoteChanged,
            "#LNTYPE 2 is not supported: long notes read as #LNTYPE 1 (start/end pairs)",
        );
    }
    let mut placer = Placer::new(source, initial_bpm, report);
    let mut chart = Chart::new(placer.layout.key_count());
    chart.source_format = Some(Format::Bms);
    chart.keysounds = source.wavs.iter().map(|(_, file)| file.clone()).collect();
    read_metadata(&mut chart, &header);
    report_overridden(source, report);
    chart.metadata.has_scratch = placer.layout.has_scratch();
    chart.timing = placer.timing(report)?;
    limits.check_timing_points(chart.timing.len())?;
    let mut keysounds = IdTable::default();
    for (index, (id, _)) in source.wavs.iter().enumerate() {
        keysounds.insert(*id, index as u32);
    }
    let lane_objects = placer.lane_objects(report)?;
    let built = notes::build(lane_objects, lnobj, &keysounds, report);
    chart.notes = built.notes;
    chart.extras = extras(source, &placer, &built.invisible, &keysounds)?;
    chart.sort();
    limits.check_chart(&chart)?;
    Ok(chart)
}

fn read_metadata<'a>(chart: &mut Chart, header: &impl Fn(&str) -> Option<&'a str>) {
    let m = &mut chart.metadata;
    let text = |name| header(name).unwrap_or_default().to_string();
    m.title = text("TITLE");
    m.title_unicode = m.title.clone();
    m.subtitle = text("SUBTITLE");
    m.artist = text("ARTIST");
    m.artist_unicode = m.artist.clone();
    m.genre = text("GENRE");
    m.background_file = text("STAGEFILE");
    m.difficulty_level = header("PLAYLEVEL").and_then(play_level);
    m.difficulty_name = match header("DIFFICULTY").map(str::trim) {
        Some(d @ ("1" | "2" | "3" | "4" | "5")) => {
            DIFFICULTY_NAMES[usize::from(d.as_bytes()[0] - b'1')].to_string()
        }
        other => other.unwrap_or_default().to_string(),
    };
}

/// `#PLAYLEVEL` as a number, when it is one (else it is kept as an extra).
fn play_level(value: &str) -> Option<f64> {
    value.trim().parse().ok().filter(|l: &f64| l.is_finite())
}

/// The objects of the file placed on beats and times.
struct Placer<'a> {
    source: &'a Source,
    measures: Measures,
    tempo: Tempo,
    layout: Layout,
    /// Objects of channels this reader does not read, by channel.
    unread: BTreeMap<[u8; 2], usize>,
}

impl<'a> Placer<'a> {
    fn new(source: &'a Source, initial_bpm: f64, report: &mut ConversionReport) -> Placer<'a> {
        let measures = Measures::new(&source.measure_lengths);
        let mut changes = Vec::new();
        for object in &source.objects {
            if let Some(change) = tempo_change(source, object, report) {
                changes.push((measures.beat(object.measure, object.fraction), change));
            }
        }
        let lanes: Vec<Lane> = source
            .objects
            .iter()
            .filter_map(|o| note_lane(o.channel).map(|(_, lane)| lane))
            .collect();
        let player = source.headers.iter().rev().find(|(n, _)| n == "PLAYER");
        Placer {
            source,
            tempo: Tempo::new(initial_bpm, changes),
            measures,
            layout: Layout::detect(&lanes, player.map(|(_, v)| v.as_str())),
            unread: BTreeMap::new(),
        }
    }

    fn beat(&self, object: &Object) -> f64 {
        self.measures.beat(object.measure, object.fraction)
    }

    fn time_us(&self, object: &Object) -> Result<i64> {
        us_from_seconds(self.tempo.seconds_at(self.beat(object)))
            .ok_or_else(|| beyond_range(format!("measure {}", object.measure)))
    }

    /// BPM points, stops, and scroll changes (`#SCROLLxx` on channel SC).
    fn timing(&mut self, report: &mut ConversionReport) -> Result<Vec<TimingPoint>> {
        use TimingKind::Bpm;
        let mut timing: Vec<TimingPoint> = Vec::new();
        for placed in self.tempo.placed() {
            let point = match *placed {
                Placed::Bpm { seconds, bpm } => TimingPoint::bpm(seconds_to_us(seconds)?, bpm, 4),
                Placed::Stop { seconds, duration } => {
                    let (time_us, duration_us) =
                        (seconds_to_us(seconds)?, seconds_to_us(duration)?);
                    if duration_us == 0 {
                        let what = "stop shorter than 1 µs (at its tempo) dropped";
                        report.push(LossKind::TimingDropped, what).at_time(time_us);
                        continue;
                    }
                    TimingPoint::new(time_us, TimingKind::Stop { duration_us })
                }
            };
            // A tempo replaced on its own µs (the file's #BPM by a change at 0) never lasts.
            let last = timing.last_mut().filter(|last: &&mut TimingPoint| {
                let both_bpm = matches!((last.kind, point.kind), (Bpm { .. }, Bpm { .. }));
                both_bpm && last.time_us == point.time_us
            });
            match last {
                Some(last) => *last = point,
                None => timing.push(point),
            }
        }
        for object in self.source.objects.iter().filter(|o| o.channel == *b"SC") {
            match object.id().and_then(|id| self.source.scrolls.get(id)) {
                Some(multiplier) => {
                    timing.push(TimingPoint::scroll(self.time_us(object)?, multiplier))
                }
                None => undefined(object, "SCROLL", report),
            }
        }
        // Stable: at one time, BPM and stops before the scroll changes, as listed.
        timing.sort_by_key(|t| t.time_us);
        Ok(timing)
    }

    /// The objects of note lanes that have a column in the layout; the others are reported.
    fn lane_objects(&mut self, report: &mut ConversionReport) -> Result<Vec<LaneObject>> {
        let mut objects = Vec::with_capacity(self.source.objects.len());
        let mut without_column: BTreeMap<[u8; 2], usize> = BTreeMap::new();
        for object in &self.source.objects {
            let Some((family, lane)) = note_lane(object.channel) else {
                if !is_read_elsewhere(object.channel) {
                    *self.unread.entry(object.channel).or_default() += 1;
                }
                continue;
            };
            let (Some(column), Some(id)) = (self.layout.column(lane), object.id()) else {
                *without_column.entry(object.channel).or_default() += 1;
                continue;
            };
            objects.push(LaneObject {
                beat: self.beat(object),
                time_us: self.time_us(object)?,
                family,
                column,
                id,
            });
        }
        for (channel, count) in without_column {
            report.push(
                LossKind::NoteDropped,
                format!(
                    "{count} object(s) of channel {} left out: no column for it in a {}-column chart",
                    String::from_utf8_lossy(&channel),
                    self.layout.key_count()
                ),
            );
        }
        for (channel, count) in &self.unread {
            report.push(
                LossKind::MetadataDropped,
                format!(
                    "{count} object(s) of channel {} (BGA, volume, text…) not kept",
                    String::from_utf8_lossy(channel)
                ),
            );
        }
        Ok(objects)
    }
}

fn seconds_to_us(seconds: f64) -> Result<i64> {
    us_from_seconds(seconds).ok_or_else(|| beyond_range("a tempo change or stop".into()))
}

/// `what` lies beyond ±2^52 µs (a tiny BPM, a huge measure length or stop).
fn beyond_range(what: String) -> Error {
    Error::InvalidArgument(format!(
        "BMS: {what} lies beyond the time a chart can hold (±2^52 µs)"
    ))
}

/// Channels read for timing or kept as extras rather than as notes.
fn is_read_elsewhere(channel: [u8; 2]) -> bool {
    TIMING_CHANNELS.contains(&channel) || matches!(&channel, b"01" | b"SP")
}

/// The tempo change of a channel 03, 08 or 09 object; `None` for other channels and for
/// values that are not a tempo (reported).
fn tempo_change(source: &Source, object: &Object, report: &mut ConversionReport) -> Option<Change> {
    let change = match &object.channel {
        b"03" => {
            let hex = std::str::from_utf8(&object.value).ok()?;
            Change::Bpm(f64::from(u8::from_str_radix(hex, 16).ok()?))
        }
        b"08" => match object.id().and_then(|id| source.bpms.get(id)) {
            Some(bpm) => Change::Bpm(bpm),
            None => {
                undefined(object, "BPM", report);
                return None;
            }
        },
        b"09" => match object.id().and_then(|id| source.stops.get(id)) {
            Some(length) => Change::Stop(length),
            None => {
                undefined(object, "STOP", report);
                return None;
            }
        },
        _ => return None,
    };
    let usable = match change {
        Change::Bpm(bpm) => bpm > 0.0,
        Change::Stop(length) => length > 0.0,
    };
    if !usable {
        report.push(
            LossKind::TimingDropped,
            format!(
                "{change:?} in measure {} ignored: not positive",
                object.measure
            ),
        );
    }
    usable.then_some(change)
}

/// Reports an object whose id names no `#{table}xx` definition.
fn undefined(object: &Object, table: &str, report: &mut ConversionReport) {
    report.push(
        LossKind::TimingDropped,
        format!(
            "channel {} object {} in measure {} ignored: no #{table}{} defined",
            String::from_utf8_lossy(&object.channel),
            String::from_utf8_lossy(&object.value),
            object.measure,
            String::from_utf8_lossy(&object.value),
        ),
    );
}

/// Read headers given more than once with other values: only the last is read.
fn report_overridden(source: &Source, report: &mut ConversionReport) {
    for name in READ_HEADERS {
        let mut values = source.headers.iter().filter(|(n, _)| n == name);
        let Some((_, last)) = values.next_back() else {
            continue;
        };
        let others = values.filter(|(_, v)| v != last).count();
        if others > 0 {
            let what = format!("#{name}: {others} earlier value(s) dropped, the last counts");
            report.push(LossKind::MetadataDropped, what);
        }
    }
}

/// `bms.` extras: unread headers, then the BGM, invisible notes, `#SPEED` changes and measure
/// lengths, as compact text (docs/bms.md).
fn extras(
    source: &Source,
    placer: &Placer,
    invisible: &[(i64, u8, Option<u32>)],
    keysounds: &IdTable<u32>,
) -> Result<Vec<(String, String)>> {
    // The level in effect (the last given) when it is no number.
    let level = source
        .headers
        .iter()
        .rposition(|(name, _)| name == "PLAYLEVEL");
    let level_text = level.filter(|&i| play_level(&source.headers[i].1).is_none());
    let mut extras: Vec<(String, String)> = (source.headers.iter().enumerate())
        .filter(|&(i, (name, _))| !READ_HEADERS.contains(&name.as_str()) || Some(i) == level_text)
        .map(|(_, header)| header)
        .map(|(name, value)| (format!("bms.{name}"), value.clone()))
        .collect();
    // Entries in time order (then by keysound or column), whatever the order of the lines
    // that hold them: a file written from them reads back the same.
    let mut bgm = Vec::new();
    let mut speeds = Vec::new();
    for object in &source.objects {
        let id = object.id();
        match &object.channel {
            b"01" => {
                if let Some(k) = id.and_then(|id| keysounds.get(id)) {
                    bgm.push((placer.time_us(object)?, k));
                }
            }
            b"SP" => {
                if let Some(v) = id.and_then(|id| source.speeds.get(id)) {
                    speeds.push((placer.time_us(object)?, v));
                }
            }
            _ => {}
        }
    }
    bgm.sort_unstable();
    speeds.sort_by_key(|s| s.0);
    let (mut bgm_text, mut speed) = (String::new(), String::new());
    for (time_us, k) in bgm {
        write_entry(&mut bgm_text, format_args!("{time_us}:{k}"));
    }
    for (time_us, v) in speeds {
        write_entry(&mut speed, format_args!("{time_us}:{v}"));
    }
    let mut invisible = invisible.to_vec();
    invisible.sort_by_key(|&(time_us, column, _)| (time_us, column));
    let mut hidden = String::new();
    for (time_us, column, keysound) in invisible {
        let keysound = keysound.map_or("-".to_string(), |k| k.to_string());
        write_entry(&mut hidden, format_args!("{time_us}:{column}:{keysound}"));
    }
    let mut lengths = String::new();
    for (measure, length) in &source.measure_lengths {
        write_entry(&mut lengths, format_args!("{measure}:{length}"));
    }
    for (key, value) in [
        ("bms.bgm", bgm_text),
        ("bms.invisible", hidden),
        ("bms.speed", speed),
        ("bms.measure_lengths", lengths),
    ] {
        if !value.is_empty() {
            extras.push((key.to_string(), value));
        }
    }
    Ok(extras)
}

/// Appends one space-separated entry.
fn write_entry(out: &mut String, entry: std::fmt::Arguments) {
    if !out.is_empty() {
        out.push(' ');
    }
    out.write_fmt(entry)
        .expect("writing to a String cannot fail");
}

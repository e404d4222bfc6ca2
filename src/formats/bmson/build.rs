//! The chart from what a bmson file says: pulses placed in time by the tempo changes and
//! stops, lanes put in the columns of the mode, channels made keysounds.

use std::collections::BTreeMap;
use std::fmt::Write;

use super::layout::Layout;
use super::read::{Channel, Info, Source};
use crate::formats::bms::timing::{Change, Placed, Tempo};
use crate::formats::text::us_from_seconds;
use crate::model::{
    sort_by_key_stable, ConversionReport, DecodeLimits, LossKind, Note, NoteKind, TimingKind,
    TimingPoint,
};
use crate::{Chart, Error, Format, Result};

/// Pulses per beat when `info.resolution` is missing, null or 0 (the spec's default).
const DEFAULT_RESOLUTION: u64 = 240;

/// The spec's default mode.
const DEFAULT_LAYOUT: Layout = Layout::Beat {
    keys: 7,
    double: false,
};

pub fn chart(
    source: Source,
    limits: &DecodeLimits,
    report: &mut ConversionReport,
) -> Result<Chart> {
    if source.version.is_none() {
        return Err(invalid(
            "no \"version\": a legacy (before 1.0) bmson file, which ROX does not read",
        ));
    }
    let info = source
        .info
        .as_ref()
        .ok_or_else(|| invalid("no \"info\" object"))?;
    let init_bpm = info
        .init_bpm
        .filter(|bpm| *bpm > 0.0)
        .ok_or_else(|| invalid("info.init_bpm is missing or not positive"))?;
    let layout = info.layout.unwrap_or(DEFAULT_LAYOUT);
    let clock = Clock::new(&source, info, init_bpm, report);
    let mut chart = Chart::new(layout.key_count());
    chart.source_format = Some(Format::Bmson);
    read_metadata(&mut chart, info);
    chart.metadata.has_scratch = layout.has_scratch();
    chart.timing = clock.timing(&source)?;
    limits.check_timing_points(chart.timing.len())?;
    let channels = source.sound_channels.iter().chain(&source.key_channels);
    chart.keysounds = channels.map(|c| c.name.to_string()).collect();
    let mode = match text(info, "mode_hint") {
        "" => "beat-7k",
        named => named,
    };
    let notes = Notes::build(&source, (layout, mode), &clock, report)?;
    if source.has_bga {
        report.push(
            LossKind::MetadataDropped,
            "BGA pictures and their events (bga) not kept",
        );
    }
    chart.notes = notes.notes;
    chart.extras = extras(&source, info, notes.bgm, notes.invisible);
    chart.sort();
    limits.check_chart(&chart)?;
    Ok(chart)
}

fn invalid(message: impl Into<String>) -> Error {
    Error::Parse {
        format: "bmson",
        line: 1,
        message: message.into(),
    }
}

/// The text of `info` member `name`, empty when missing.
fn text<'a>(info: &'a Info, name: &str) -> &'a str {
    let found = info.text.iter().rev().find(|(n, _)| *n == name);
    found.map_or("", |(_, value)| value)
}

fn read_metadata(chart: &mut Chart, info: &Info) {
    let m = &mut chart.metadata;
    m.title = text(info, "title").to_string();
    m.title_unicode = m.title.clone();
    m.subtitle = text(info, "subtitle").to_string();
    m.artist = text(info, "artist").to_string();
    m.artist_unicode = m.artist.clone();
    m.genre = text(info, "genre").to_string();
    m.difficulty_name = text(info, "chart_name").to_string();
    m.difficulty_level = info.level.filter(|l| l.is_finite());
    // Shown while the chart loads, as BMS's #STAGEFILE (read into the same field).
    m.background_file = text(info, "eyecatch_image").to_string();
}

/// Pulses to µs.
struct Clock {
    tempo: Tempo,
    resolution: f64,
}

impl Clock {
    fn new(source: &Source, info: &Info, init_bpm: f64, report: &mut ConversionReport) -> Clock {
        let pulses = if info.resolution == 0 {
            DEFAULT_RESOLUTION
        } else {
            info.resolution
        };
        let resolution = pulses as f64;
        // Of several tempo changes on one pulse the last counts (the spec): one timing point.
        let mut tempos = BTreeMap::new();
        for &(y, bpm) in &source.bpm_events {
            match bpm > 0.0 {
                true => drop(tempos.insert(y, bpm)),
                false => dropped(report, format!("BPM {bpm} at pulse {y}")),
            }
        }
        let mut changes: Vec<(f64, Change)> = (tempos.into_iter())
            .map(|(y, bpm)| (y as f64 / resolution, Change::Bpm(bpm)))
            .collect();
        for &(y, duration) in &source.stop_events {
            // A stop's length in 1/48 beat, as `Tempo` takes it (BMS's unit).
            let length = duration as f64 / resolution * 48.0;
            match duration > 0 {
                true => changes.push((y as f64 / resolution, Change::Stop(length))),
                false => dropped(report, format!("stop of 0 pulses at pulse {y}")),
            }
        }
        Clock {
            tempo: Tempo::new(init_bpm, changes),
            resolution,
        }
    }

    /// When a note on pulse `y` is hit: before the stops on its pulse.
    fn time_us(&self, y: u64) -> Result<i64> {
        us_from_seconds(self.tempo.seconds_at(y as f64 / self.resolution))
            .ok_or_else(|| beyond_range(y))
    }

    /// The initial tempo, the tempo changes and stops, then the scroll changes.
    fn timing(&self, source: &Source) -> Result<Vec<TimingPoint>> {
        let seconds_to_us = |seconds: f64| us_from_seconds(seconds).ok_or_else(|| beyond_range(0));
        let mut timing = Vec::new();
        for placed in self.tempo.placed() {
            timing.push(match *placed {
                Placed::Bpm { seconds, bpm } => TimingPoint::bpm(seconds_to_us(seconds)?, bpm, 4),
                Placed::Stop { seconds, duration } => TimingPoint::new(
                    seconds_to_us(seconds)?,
                    TimingKind::Stop {
                        duration_us: seconds_to_us(duration)?,
                    },
                ),
            });
        }
        for &(y, rate) in &source.scroll_events {
            timing.push(TimingPoint::scroll(self.time_us(y)?, rate));
        }
        // Stable: at one time, BPM and stops before the scroll changes, as listed.
        timing.sort_by_key(|t| t.time_us);
        Ok(timing)
    }
}

fn dropped(report: &mut ConversionReport, what: String) {
    report.push(
        LossKind::TimingDropped,
        format!("{what} ignored: not positive"),
    );
}

/// Pulse `y` (or a stop or tempo change) lies beyond ±2^52 µs.
fn beyond_range(y: u64) -> Error {
    Error::InvalidArgument(format!(
        "bmson: pulse {y} lies beyond the time a chart can hold (±2^52 µs)"
    ))
}

/// The notes, and the sounds that are not notes, as (time, …, keysound) entries.
struct Notes {
    notes: Vec<Note>,
    /// (time, keysound) of each BGM note.
    bgm: Vec<(i64, usize)>,
    /// (time, column, keysound) of each invisible note.
    invisible: Vec<(i64, u8, usize)>,
}

/// A note of a lane in the layout, before layered notes are fused.
struct LaneNote {
    column: u8,
    y: u64,
    l: u64,
    /// The channel's keysound; `None` for a mine.
    keysound: Option<u32>,
}

impl Notes {
    /// The notes of `layout`, named `mode` in reports.
    fn build(
        source: &Source,
        (layout, mode): (Layout, &str),
        clock: &Clock,
        report: &mut ConversionReport,
    ) -> Result<Notes> {
        let mut notes = Notes {
            notes: Vec::new(),
            bgm: Vec::new(),
            invisible: Vec::new(),
        };
        let mut lost = Lost::default();
        let lane_notes_at_most = source.sound_channels.iter().chain(&source.mine_channels);
        let mut lane_notes = Vec::with_capacity(lane_notes_at_most.map(|c| c.notes.len()).sum());
        for (keysound, channel) in source.sound_channels.iter().enumerate() {
            notes.sound_channel(channel, keysound, layout, clock, &mut lane_notes, &mut lost)?;
        }
        for n in source.mine_channels.iter().flat_map(|c| &c.notes) {
            match layout.column(n.x).filter(|_| n.x > 0) {
                Some(column) => lane_notes.push(LaneNote {
                    column,
                    y: n.y,
                    l: 0,
                    keysound: None,
                }),
                None => *lost.outside.entry(n.x).or_default() += 1,
            }
        }
        notes.notes = fused(lane_notes, clock, &mut lost)?;
        let first_key_channel = source.sound_channels.len();
        for (index, channel) in source.key_channels.iter().enumerate() {
            for n in &channel.notes {
                match layout.column(n.x).filter(|_| n.x > 0) {
                    Some(column) => {
                        let time = clock.time_us(n.y)?;
                        notes
                            .invisible
                            .push((time, column, first_key_channel + index));
                    }
                    None => *lost.outside.entry(n.x).or_default() += 1,
                }
            }
        }
        lost.report(mode, report);
        notes.bgm.sort_by_key(|&(time, _)| time);
        notes
            .invisible
            .sort_by_key(|&(time, column, _)| (time, column));
        Ok(notes)
    }

    /// The notes of one sound channel: those in the layout's lanes go to `placed`; BGM notes
    /// (x 0 or null) are kept but those on a pulse a playable note of the channel also has
    /// (the spec gives that slice to the playable note).
    fn sound_channel(
        &mut self,
        channel: &Channel,
        keysound: usize,
        layout: Layout,
        clock: &Clock,
        placed: &mut Vec<LaneNote>,
        lost: &mut Lost,
    ) -> Result<()> {
        let mut played = Vec::new();
        if channel.notes.iter().any(|n| n.x == 0) {
            played.extend(channel.notes.iter().filter(|n| n.x > 0).map(|n| n.y));
            played.sort_unstable();
        }
        for n in &channel.notes {
            lost.continued += usize::from(n.c);
            if n.x == 0 {
                if played.binary_search(&n.y).is_err() {
                    self.bgm.push((clock.time_us(n.y)?, keysound));
                }
                continue;
            }
            match layout.column(n.x) {
                Some(column) => placed.push(LaneNote {
                    column,
                    y: n.y,
                    l: n.l,
                    keysound: Some(keysound as u32),
                }),
                None => *lost.outside.entry(n.x).or_default() += 1,
            }
        }
        Ok(())
    }
}

/// The notes of `placed`, layered ones (one place of a column) fused into the first listed:
/// the spec plays every layered sound, the model one.
fn fused(mut placed: Vec<LaneNote>, clock: &Clock, lost: &mut Lost) -> Result<Vec<Note>> {
    // Stable: on one place, the first listed comes first. By pulse first, so that the notes
    // come out in the chart's (time, column) order and `Chart::sort` finds nothing to do.
    sort_by_key_stable(&mut placed, |p| (p.y, p.column));
    let mut notes: Vec<Note> = Vec::with_capacity(placed.len());
    let mut previous: Option<&LaneNote> = None;
    for p in &placed {
        if let Some(first) = previous.filter(|f| (f.column, f.y) == (p.column, p.y)) {
            let same = first.l == p.l && first.keysound.is_some() == p.keysound.is_some();
            *if same {
                &mut lost.layered
            } else {
                &mut lost.unequal
            } += 1;
            continue;
        }
        previous = Some(p);
        notes.push(note(p, clock, lost)?);
    }
    Ok(notes)
}

/// A tap or mine, or a long note of `l` pulses (a tap when that is under 1 µs).
fn note(p: &LaneNote, clock: &Clock, lost: &mut Lost) -> Result<Note> {
    let time = clock.time_us(p.y)?;
    let mut note = Note::tap(time, p.column);
    if p.keysound.is_none() {
        note.kind = NoteKind::Mine;
    } else if p.l > 0 {
        let end = p.y.checked_add(p.l).ok_or_else(|| beyond_range(p.y))?;
        let duration = clock.time_us(end)? - time;
        if duration > 0 {
            note = Note::hold(time, duration, p.column);
        } else {
            lost.instant_holds += 1;
        }
    }
    note.keysound = p.keysound;
    Ok(note)
}

/// What reading leaves out or changes, counted for one report entry each.
#[derive(Default)]
struct Lost {
    /// Notes by lane that the mode has no column for.
    outside: BTreeMap<u32, usize>,
    /// Notes on a place another channel's note already has (fused: one sound is kept).
    layered: usize,
    /// As `layered`, of another length (the first note is kept).
    unequal: usize,
    /// Notes with `c: true`.
    continued: usize,
    /// Long notes that end where they start (to the µs).
    instant_holds: usize,
}

impl Lost {
    fn report(&self, mode: &str, report: &mut ConversionReport) {
        for (x, count) in &self.outside {
            report.push(
                LossKind::NoteDropped,
                format!("{count} note(s) of lane x={x} left out: no column for it in {mode}"),
            );
        }
        use LossKind::{NoteChanged, NoteDropped, SoundDropped};
        let entries = [
            (
                self.layered,
                SoundDropped,
                "layered on another of one place: fused, one sound kept",
            ),
            (
                self.unequal,
                NoteDropped,
                "layered on one of another length or kind: left out",
            ),
            (
                self.continued,
                SoundDropped,
                "continue their channel's sound (c: true): the slice is not kept, a keysound \
                 plays its file from the start",
            ),
            (
                self.instant_holds,
                NoteChanged,
                "are long notes under 1 µs: read as taps",
            ),
        ];
        for (count, kind, what) in entries {
            if count > 0 {
                report.push(kind, format!("{count} note(s) {what}"));
            }
        }
    }
}

/// The `bms.` extras the BMS family shares (BGM and invisible notes, as docs/bms.md gives
/// them), then the `bmson.` ones: `info` members without a model field, and the bar lines.
fn extras(
    source: &Source,
    info: &Info,
    bgm: Vec<(i64, usize)>,
    invisible: Vec<(i64, u8, usize)>,
) -> Vec<(String, String)> {
    let mut extras = Vec::new();
    let mut push = |key: &str, value: String| {
        if !value.is_empty() {
            extras.push((key.to_string(), value));
        }
    };
    push(
        "bms.bgm",
        joined(&bgm, |out, (t, k)| write!(out, "{t}:{k}")),
    );
    let hidden = joined(&invisible, |out, (t, c, k)| write!(out, "{t}:{c}:{k}"));
    push("bms.invisible", hidden);
    let version = source.version.as_deref().unwrap_or_default();
    push("bmson.version", version.to_string());
    for name in [
        "mode_hint",
        "back_image",
        "title_image",
        "banner_image",
        "preview_music",
    ] {
        push(&format!("bmson.{name}"), text(info, name).to_string());
    }
    for artist in &info.subartists {
        push("bmson.subartist", artist.to_string());
    }
    for (name, value) in &info.numbers {
        push(&format!("bmson.{name}"), value.to_string());
    }
    if info.resolution != 0 {
        push("bmson.resolution", info.resolution.to_string());
    }
    if let Some(lines) = &source.lines {
        push("bmson.lines", joined(lines, |out, y| write!(out, "{y}")));
    }
    extras
}

/// One entry per item, separated by spaces.
fn joined<T>(items: &[T], entry: impl Fn(&mut String, &T) -> std::fmt::Result) -> String {
    let mut out = String::new();
    for item in items {
        if !out.is_empty() {
            out.push(' ');
        }
        entry(&mut out, item).expect("writing to a String cannot fail");
    }
    out
}

//! `Chart` → `.qua`, laid out as Quaver writes maps (key order, lists at their key's
//! indentation, defaults left out), with LF line breaks.
//!
//! Quaver has no stops, delays, warps, rolls, lifts, fakes, osu! sample banks or timing point
//! sounds, and holds hit objects at whole milliseconds: what it cannot express is changed or
//! left out and listed in the report.

use std::io::Write as _;

use super::yaml::{self, Node, Reader};
use super::{
    column_to_lane, lane_to_column, FROM_MODEL, HIT_SOUNDS, KEY_PREFIX, SIDE_HIT_OBJECTS,
    SIDE_SAMPLES, SIDE_SLIDER_VELOCITIES, SIDE_TIMING_POINTS, TOP_LEVEL,
};
use crate::formats::text::{push_int, push_ms};
use crate::model::{Chart, ConversionReport, LossKind, Note, NoteKind, TimingKind};
use crate::{Error, Result};

/// Hit object times are C# `int` milliseconds in Quaver.
const MAX_NOTE_US: u64 = i32::MAX as u64 * 1000;

pub fn encode(chart: &Chart, report: &mut ConversionReport) -> Result<Vec<u8>> {
    let (mode, scratch) = mode_of(chart, report)?;
    let keys = chart.key_count;
    let mut extras = Extras::read(chart, keys, scratch, report);
    let m = &chart.metadata;
    let mut w = Writer {
        out: Vec::with_capacity(4096 + chart.timing.len() * 48 + chart.notes.len() * 32),
    };

    for key in TOP_LEVEL {
        match key {
            "QuaVersion"
                if !extras.has(key) && chart.notes.iter().any(|n| n.kind == NoteKind::Mine) =>
            {
                // Quaver marks maps with mines as version 1.
                w.out.extend_from_slice(b"QuaVersion: 1\n");
            }
            "AudioFile" => w.text(key, &m.audio_file),
            "SongPreviewTime" => {
                if let Some(t) = m.preview_time_us {
                    let ms = round_ms(t);
                    if ms * 1000 != t {
                        report.push(
                            LossKind::MetadataDropped,
                            format!(
                                "SongPreviewTime is whole ms in Quaver: {t} µs written as {ms} ms"
                            ),
                        );
                    }
                    w.key(key);
                    w.int(ms);
                    w.line_end();
                }
            }
            "BackgroundFile" => w.text(key, &m.background_file),
            "MapId" => w.online_id(key, m.chart_id, report),
            "MapSetId" => w.online_id(key, m.set_id, report),
            "Mode" => {
                w.key(key);
                w.out.extend_from_slice(b"Keys");
                w.int(mode.into());
                w.line_end();
            }
            "Title" => w.text(key, &m.title),
            "Artist" => w.text(key, &m.artist),
            "Source" => w.text(key, &m.source),
            "Tags" => w.text(key, &m.tags),
            "Creator" => w.text(key, &m.creator),
            "DifficultyName" => w.text(key, &m.difficulty_name),
            "Description" => w.text(key, &m.description),
            "Genre" if !m.genre.is_empty() => w.text(key, &m.genre),
            "HasScratchKey" if scratch => w.out.extend_from_slice(b"HasScratchKey: true\n"),
            "EditorLayers" | "SoundEffects" if !extras.has(key) => {
                // Quaver writes these lists even when empty.
                w.key(key);
                w.out.extend_from_slice(b"[]\n");
            }
            "CustomAudioSamples" => w.samples(&chart.keysounds, &mut extras.samples, report),
            "TimingPoints" => w.timing_points(chart, &mut extras, report),
            "SliderVelocities" => w.slider_velocities(chart, &mut extras.scrolls, report),
            "HitObjects" => w.hit_objects(chart, keys, scratch, &mut extras.notes, report)?,
            _ => extras.write(key, &mut w.out),
        }
    }
    extras.write_rest(&mut w.out);
    report_losses(chart, report);
    Ok(w.out)
}

/// Quaver's mode and scratch flag for the chart's key count.
fn mode_of(chart: &Chart, report: &mut ConversionReport) -> Result<(u8, bool)> {
    match (chart.metadata.has_scratch, chart.key_count) {
        (false, keys @ 1..=10) => Ok((keys, false)),
        (true, keys @ 2..=11) => Ok((keys - 1, true)),
        (true, 1) => {
            report.push(
                LossKind::MetadataDropped,
                "scratch lane: Quaver adds a scratch lane to 1 to 10 keys, not to a 1-key chart's only lane",
            );
            Ok((1, false))
        }
        (scratch, keys) => Err(Error::InvalidArgument(format!(
            "Quaver supports 1 to 10 keys, and 2 to 11 when one is a scratch lane; this chart has {keys}{}",
            if scratch { " with a scratch lane" } else { "" }
        ))),
    }
}

/// ms rounded to the nearest, ties away from zero.
fn round_ms(us: i64) -> i64 {
    (us + if us < 0 { -500 } else { 500 }) / 1000
}

struct Writer {
    out: Vec<u8>,
}

impl Writer {
    fn key(&mut self, key: &str) {
        self.out.extend_from_slice(key.as_bytes());
        self.out.extend_from_slice(b": ");
    }

    fn line_end(&mut self) {
        self.out.push(b'\n');
    }

    fn int(&mut self, v: i64) {
        push_int(&mut self.out, v);
    }

    /// Shortest text that reads back as the same f64.
    fn float(&mut self, v: f64) {
        write!(self.out, "{v}").expect("writing to a Vec cannot fail");
    }

    fn text(&mut self, key: &str, value: &str) {
        self.key(key);
        yaml::write_str(&mut self.out, value);
        self.line_end();
    }

    /// Quaver's ids are C# `int`s, -1 when the map is not submitted.
    fn online_id(&mut self, key: &str, id: Option<i64>, report: &mut ConversionReport) {
        let id = match id {
            Some(id) if i32::try_from(id).is_err() => {
                report.push(
                    LossKind::MetadataDropped,
                    format!("{key} {id} does not fit Quaver's 32-bit ids: written as -1"),
                );
                -1
            }
            id => id.unwrap_or(-1),
        };
        self.key(key);
        self.int(id);
        self.line_end();
    }

    fn samples(&mut self, paths: &[String], side: &mut Side, report: &mut ConversionReport) {
        self.out.extend_from_slice(b"CustomAudioSamples:");
        if paths.is_empty() {
            self.out.extend_from_slice(b" []\n");
        } else {
            self.line_end();
        }
        // Kept fields apply to the sample at their position while it has the same path.
        for (i, path) in paths.iter().enumerate() {
            self.out.extend_from_slice(b"- Path: ");
            yaml::write_str(&mut self.out, path);
            self.line_end();
            if let Some(entry) = side
                .entries
                .get_mut(i)
                .filter(|e| e.path.as_deref() == Some(path))
            {
                self.out.extend_from_slice(&entry.fields);
                entry.used = true;
            }
        }
        side.report_unused("CustomAudioSamples", report);
    }

    fn timing_points(&mut self, chart: &Chart, extras: &mut Extras, report: &mut ConversionReport) {
        self.out.extend_from_slice(b"TimingPoints:");
        let mut any = false;
        let mut nth = Nth::default();
        for (index, t) in chart.timing.iter().enumerate() {
            let TimingKind::Bpm { bpm, meter } = t.kind else {
                continue;
            };
            if !std::mem::replace(&mut any, true) {
                self.line_end();
            }
            self.out.extend_from_slice(b"- StartTime: ");
            push_ms(&mut self.out, t.time_us);
            self.out.extend_from_slice(b"\n  Bpm: ");
            self.float(bpm);
            self.line_end();
            let meter = match meter {
                4 => None,
                3 => Some(None),
                m if m > 0 && m <= i32::MAX as u32 => Some(Some(m)),
                m => {
                    report
                        .push(
                            LossKind::TimingChanged,
                            format!(
                                "time signature {m}/4 cannot be written to .qua: written as 4/4"
                            ),
                        )
                        .at(index, t.time_us);
                    None
                }
            };
            match meter {
                None => {}
                Some(None) => self.out.extend_from_slice(b"  Signature: Triple\n"),
                Some(Some(m)) => {
                    self.out.extend_from_slice(b"  Signature: ");
                    self.int(m.into());
                    self.line_end();
                }
            }
            let key = ((t.time_us, 0), nth.next((t.time_us, 0)));
            if let Some(entry) = extras.bpms.take(key) {
                self.out.extend_from_slice(&entry.fields);
            }
        }
        if !any {
            self.out.extend_from_slice(b" []\n");
        }
        extras.bpms.report_unused("TimingPoints", report);
    }

    fn slider_velocities(&mut self, chart: &Chart, side: &mut Side, report: &mut ConversionReport) {
        self.out.extend_from_slice(b"SliderVelocities:");
        let mut any = false;
        let mut nth = Nth::default();
        for t in &chart.timing {
            let TimingKind::Scroll { multiplier } = t.kind else {
                continue;
            };
            if !std::mem::replace(&mut any, true) {
                self.line_end();
            }
            self.out.extend_from_slice(b"- StartTime: ");
            push_ms(&mut self.out, t.time_us);
            self.out.extend_from_slice(b"\n  Multiplier: ");
            self.float(multiplier);
            self.line_end();
            if let Some(entry) = side.take(((t.time_us, 0), nth.next((t.time_us, 0)))) {
                self.out.extend_from_slice(&entry.fields);
            }
        }
        if !any {
            self.out.extend_from_slice(b" []\n");
        }
        side.report_unused("SliderVelocities", report);
    }

    fn hit_objects(
        &mut self,
        chart: &Chart,
        keys: u8,
        scratch: bool,
        side: &mut Side,
        report: &mut ConversionReport,
    ) -> Result<()> {
        self.out.extend_from_slice(b"HitObjects:");
        if chart.notes.iter().all(|n| n.kind == NoteKind::Fake) {
            self.out.extend_from_slice(b" []\n");
        } else {
            self.line_end();
        }
        let mut nth = Nth::default();
        for (index, note) in chart.notes.iter().enumerate() {
            let key = (
                (note.time_us, note.column),
                nth.next((note.time_us, note.column)),
            );
            let entry = if side.entries.is_empty() {
                None
            } else {
                side.take(key)
            };
            self.hit_object(
                index,
                note,
                (keys, scratch),
                entry,
                &chart.keysounds,
                report,
            )?;
        }
        side.report_unused("HitObjects", report);
        Ok(())
    }

    /// `(keys, scratch)`: the key count and whether one is a scratch lane.
    fn hit_object(
        &mut self,
        index: usize,
        note: &Note,
        (keys, scratch): (u8, bool),
        kept: Option<&Entry>,
        keysounds: &[String],
        report: &mut ConversionReport,
    ) -> Result<()> {
        let (hold, mine) = match note.kind {
            NoteKind::Tap => (false, false),
            NoteKind::Hold => (true, false),
            NoteKind::Mine => (false, true),
            NoteKind::Roll => {
                report
                    .push(
                        LossKind::NoteChanged,
                        "roll written as a long note (Quaver has no rolls)",
                    )
                    .at(index, note.time_us);
                (true, false)
            }
            NoteKind::Lift => {
                report
                    .push(
                        LossKind::NoteChanged,
                        "lift written as a note (Quaver has no lifts)",
                    )
                    .at(index, note.time_us);
                (false, false)
            }
            NoteKind::Fake => {
                report
                    .push(
                        LossKind::NoteDropped,
                        "fake note left out (Quaver has no fake notes)",
                    )
                    .at(index, note.time_us);
                return Ok(());
            }
        };
        if note.time_us.unsigned_abs() > MAX_NOTE_US
            || note.end_time_us().unsigned_abs() > MAX_NOTE_US
        {
            return Err(Error::InvalidArgument(format!(
                "note at {} µs is beyond the ±2^31 ms a .qua hit object can hold",
                note.time_us
            )));
        }
        if note.column >= keys {
            return Err(Error::InvalidArgument(format!(
                "note at {} µs is in column {}, but the chart has {keys} keys",
                note.time_us, note.column
            )));
        }
        let start = round_ms(note.time_us);
        let end = round_ms(note.end_time_us());
        let shift = start * 1000 - note.time_us;
        let end_shift = end * 1000 - note.end_time_us();
        let hold = hold && end > start;
        if shift != 0 {
            report
                .push(
                    LossKind::NoteSnapped,
                    "moved to whole ms (Quaver's hit object times are integers)",
                )
                .at(index, note.time_us)
                .shifted(shift);
        }
        if hold && end_shift != 0 {
            report
                .push(LossKind::HoldEndSnapped, "hold end moved to whole ms")
                .at(index, note.time_us)
                .shifted(end_shift);
        }
        if note.kind.has_duration() && !hold {
            report
                .push(
                    LossKind::NoteChanged,
                    "long note shorter than 1 ms written as a note",
                )
                .at(index, note.time_us);
        }

        self.out.extend_from_slice(b"- StartTime: ");
        self.int(start);
        self.out.extend_from_slice(b"\n  Lane: ");
        self.int(column_to_lane(note.column, keys, scratch).into());
        self.line_end();
        if hold {
            self.out.extend_from_slice(b"  EndTime: ");
            self.int(end);
            self.line_end();
        }
        if note.sound.flags != 0 {
            self.out.extend_from_slice(b"  HitSound: ");
            self.hit_sound(note.sound.flags);
            self.line_end();
        }
        if mine {
            self.out.extend_from_slice(b"  Type: Mine\n");
        }
        let more_keysounds = kept.map_or(&[][..], |e| &e.keysounds[..]);
        if note.keysound.is_some() || !more_keysounds.is_empty() {
            self.out.extend_from_slice(b"  KeySounds:\n");
            if let Some(k) = note.keysound {
                if k as usize >= keysounds.len() {
                    return Err(Error::InvalidArgument(format!(
                        "note at {} µs plays keysound {k}, which is not in the keysound list",
                        note.time_us
                    )));
                }
                self.out.extend_from_slice(b"  - Sample: ");
                self.int(i64::from(k) + 1);
                self.line_end();
                if note.sound.volume != 0 {
                    self.out.extend_from_slice(b"    Volume: ");
                    self.int(note.sound.volume.into());
                    self.line_end();
                }
            }
            self.out.extend_from_slice(more_keysounds);
        }
        if let Some(entry) = kept {
            if let Some(end_time) = &entry.end_time {
                if mine {
                    self.out.extend_from_slice(end_time);
                } else {
                    report
                        .push(
                            LossKind::MetadataDropped,
                            "kept EndTime of a mine on a note that is no longer a mine",
                        )
                        .at(index, note.time_us);
                }
            }
            self.out.extend_from_slice(&entry.fields);
        }
        Ok(())
    }

    /// Flag names as YamlDotNet writes a `[Flags]` enum (`Whistle, Clap`); a number when
    /// there are bits Quaver has no name for.
    fn hit_sound(&mut self, flags: u8) {
        if flags > 15 {
            self.int(flags.into());
            return;
        }
        let mut first = true;
        for (name, bit) in HIT_SOUNDS {
            if flags & bit != 0 {
                if !std::mem::take(&mut first) {
                    self.out.extend_from_slice(b", ");
                }
                self.out.extend_from_slice(name.as_bytes());
            }
        }
    }
}

/// Counts items with the same key in order: the `Nth` that kept fields name them by.
#[derive(Default)]
struct Nth {
    last: Option<(i64, u8)>,
    count: u32,
}

impl Nth {
    fn next(&mut self, key: (i64, u8)) -> u32 {
        if self.last == Some(key) {
            self.count += 1;
        } else {
            self.last = Some(key);
            self.count = 0;
        }
        self.count
    }
}

/// Kept fields of one list item (see `decode::side_table`).
#[derive(Default)]
struct Entry {
    key: ((i64, u8), u32),
    /// `CustomAudioSamples` entries name their sample by path.
    path: Option<String>,
    /// `  Key: value` lines.
    fields: Vec<u8>,
    /// `  - Sample: …` lines: keysounds after the first.
    keysounds: Vec<u8>,
    /// `  EndTime: …` of a mine.
    end_time: Option<Vec<u8>>,
    used: bool,
}

/// The kept fields of one list, sorted by item key.
#[derive(Default)]
struct Side {
    entries: Vec<Entry>,
    /// Position of the first entry not yet passed, for the in-order walk of `take`.
    next: usize,
}

impl Side {
    /// The entry for the item `key`; items come in key order.
    fn take(&mut self, key: ((i64, u8), u32)) -> Option<&Entry> {
        while self.entries.get(self.next).is_some_and(|e| e.key < key) {
            self.next += 1;
        }
        let entry = self.entries.get_mut(self.next).filter(|e| e.key == key)?;
        entry.used = true;
        Some(entry)
    }

    fn report_unused(&self, list: &str, report: &mut ConversionReport) {
        let unused = self.entries.iter().filter(|e| !e.used).count();
        if unused > 0 {
            report.push(
                LossKind::MetadataDropped,
                format!(
                    "{KEY_PREFIX}{list}: kept fields of {unused} item(s) whose item is no longer in the chart"
                ),
            );
        }
    }
}

/// `Chart::extras` as this writer uses them.
#[derive(Default)]
struct Extras<'c> {
    /// Top-level entries, as written: (key without prefix, `Key: value` lines).
    top: Vec<(&'c str, Vec<u8>)>,
    notes: Side,
    bpms: Side,
    scrolls: Side,
    samples: Side,
}

impl<'c> Extras<'c> {
    fn read(
        chart: &'c Chart,
        keys: u8,
        scratch: bool,
        report: &mut ConversionReport,
    ) -> Extras<'c> {
        let mut extras = Extras::default();
        let mut seen: Vec<&str> = Vec::new();
        for (key, value) in &chart.extras {
            let Some(name) = key.strip_prefix(KEY_PREFIX) else {
                report.push(
                    LossKind::MetadataDropped,
                    format!("{key}: Quaver has no place for it"),
                );
                continue;
            };
            let result = if FROM_MODEL.contains(&name) {
                Err("duplicates a field written from the chart".to_owned())
            } else if seen.contains(&name) {
                Err("is given twice".to_owned())
            } else if !valid_key(name) {
                Err("is not a key a .qua file can hold".to_owned())
            } else {
                let side = match name {
                    SIDE_HIT_OBJECTS => Some((&mut extras.notes, ItemKey::Note { keys, scratch })),
                    SIDE_TIMING_POINTS => Some((&mut extras.bpms, ItemKey::Time)),
                    SIDE_SLIDER_VELOCITIES => Some((&mut extras.scrolls, ItemKey::Time)),
                    SIDE_SAMPLES => Some((&mut extras.samples, ItemKey::Position)),
                    _ => None,
                };
                match side {
                    Some((side, item_key)) => {
                        read_side(value, item_key).map(|entries| side.entries = entries)
                    }
                    None => entry(name, value).map(|lines| extras.top.push((name, lines))),
                }
                .map_err(|e| format!("is not valid: {e}"))
            };
            seen.push(name);
            if let Err(problem) = result {
                report.push(LossKind::MetadataDropped, format!("{key} {problem}"));
            }
        }
        extras
    }

    fn has(&self, name: &str) -> bool {
        self.top.iter().any(|(k, _)| *k == name)
    }

    /// Writes the entry `name`, if kept.
    fn write(&mut self, name: &str, out: &mut Vec<u8>) {
        if let Some(i) = self.top.iter().position(|(k, _)| *k == name) {
            out.extend_from_slice(&self.top.remove(i).1);
        }
    }

    /// Writes the entries not written at a known place, in their order.
    fn write_rest(&mut self, out: &mut Vec<u8>) {
        for (_, lines) in self.top.drain(..) {
            out.extend_from_slice(&lines);
        }
    }
}

/// A key Quaver can read back as the same top-level key.
fn valid_key(name: &str) -> bool {
    !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '$')
}

/// The lines of a top-level entry whose value is the YAML document `value`.
fn entry(name: &str, value: &str) -> Result<Vec<u8>> {
    let text = yaml::text_of(value.as_bytes())?;
    let mut r = Reader::new(text);
    let node = r.document()?;
    let mut lines = Vec::new();
    yaml::write_str(&mut lines, name);
    lines.push(b':');
    yaml::copy_value(&mut r, node, &mut lines, 0)?;
    r.finish()?;
    Ok(lines)
}

#[derive(Clone, Copy)]
enum ItemKey {
    /// Entries name hit objects by `StartTime`, `Lane` (and `Nth`).
    Note { keys: u8, scratch: bool },
    /// Entries name timing points by `StartTime` (and `Nth`).
    Time,
    /// Entries are the samples, in order, with their `Path`.
    Position,
}

/// Reads kept fields (written by `decode::side_table`), sorted by item.
fn read_side<'a>(value: &'a str, item_key: ItemKey) -> Result<Vec<Entry>> {
    let text = yaml::text_of(value.as_bytes())?;
    let mut r = Reader::new(text);
    let node = r.document()?;
    if !matches!(node, Node::Seq(_)) {
        return Err(yaml::error(1, "expected a list"));
    }
    let mut entries = Vec::new();
    while r.next_item()? {
        let line = r.line();
        if !matches!(r.node()?, Node::Map(_)) {
            return Err(yaml::error(line, "expected 'Key: value' fields"));
        }
        let mut entry = Entry::default();
        let (mut time, mut lane, mut nth) = (None, None, 0);
        while let Some(key) = r.next_key()? {
            let field = &*key.text;
            let node = r.node()?;
            let scalar = |node: Node<'a>| match node {
                Node::Scalar(s) => Ok(s),
                _ => Err(yaml::error(
                    key.line,
                    format!("{field} must be a single value"),
                )),
            };
            match (field, item_key) {
                ("StartTime", ItemKey::Note { .. } | ItemKey::Time) => {
                    let s = scalar(node)?;
                    let ms = s
                        .float()
                        .filter(|v| v.is_finite())
                        .ok_or_else(|| yaml::error(s.line, "StartTime is not a number"))?;
                    time = Some((ms * 1000.0).round() as i64);
                }
                ("Lane", ItemKey::Note { keys, scratch }) => {
                    let s = scalar(node)?;
                    let l = s
                        .int()
                        .filter(|l| (1..=i64::from(keys)).contains(l))
                        .ok_or_else(|| yaml::error(s.line, "Lane is not a lane of the chart"))?;
                    lane = Some(lane_to_column(l as u8, keys, scratch));
                }
                ("Nth", ItemKey::Note { .. } | ItemKey::Time) => {
                    let s = scalar(node)?;
                    nth = s
                        .int()
                        .and_then(|n| u32::try_from(n).ok())
                        .ok_or_else(|| yaml::error(s.line, "Nth is not a count"))?;
                }
                ("Path", ItemKey::Position) => {
                    let s = scalar(node)?;
                    entry.path = Some(if s.is_null() {
                        String::new()
                    } else {
                        s.text.into_owned()
                    });
                }
                ("KeySounds", ItemKey::Note { .. }) => {
                    let mut lines = Vec::new();
                    yaml::copy_value(&mut r, node, &mut lines, 2)?;
                    // Only the items: the writer puts them after the note's first keysound.
                    entry.keysounds = lines.strip_prefix(b"\n").unwrap_or(&[]).to_vec();
                }
                ("EndTime", ItemKey::Note { .. }) => {
                    let mut lines = b"  EndTime:".to_vec();
                    yaml::copy_value(&mut r, node, &mut lines, 2)?;
                    entry.end_time = Some(lines);
                }
                _ if owned_field(field, item_key) => {
                    return Err(yaml::error(
                        key.line,
                        format!("{field} is written from the chart"),
                    ))
                }
                _ => {
                    entry.fields.extend_from_slice(b"  ");
                    yaml::write_str(&mut entry.fields, field);
                    entry.fields.push(b':');
                    yaml::copy_value(&mut r, node, &mut entry.fields, 2)?;
                }
            }
        }
        entry.key = match item_key {
            ItemKey::Note { .. } => {
                let (Some(time), Some(lane)) = (time, lane) else {
                    return Err(yaml::error(line, "an entry has no StartTime or Lane"));
                };
                ((time, lane), nth)
            }
            ItemKey::Time => (
                (
                    time.ok_or_else(|| yaml::error(line, "an entry has no StartTime"))?,
                    0,
                ),
                nth,
            ),
            ItemKey::Position => ((0, 0), entries.len() as u32),
        };
        entries.push(entry);
    }
    r.finish()?;
    if !matches!(item_key, ItemKey::Position) {
        entries.sort_by_key(|e| e.key);
    }
    Ok(entries)
}

/// Fields the writer writes from the chart, which kept fields must not repeat.
fn owned_field(field: &str, item_key: ItemKey) -> bool {
    match item_key {
        ItemKey::Note { .. } => matches!(field, "HitSound" | "Type"),
        ItemKey::Time => matches!(field, "Bpm" | "Signature" | "Multiplier"),
        ItemKey::Position => false,
    }
}

/// Losses outside notes and timing points: metadata Quaver has no field for, sounds and
/// timing events it cannot express.
fn report_losses(chart: &Chart, report: &mut ConversionReport) {
    let m = &chart.metadata;
    let dropped = [
        (
            "title_unicode",
            !m.title_unicode.is_empty() && m.title_unicode != m.title,
        ),
        (
            "artist_unicode",
            !m.artist_unicode.is_empty() && m.artist_unicode != m.artist,
        ),
        ("subtitle", !m.subtitle.is_empty()),
        ("difficulty_level", m.difficulty_level.is_some()),
        ("hp_drain", m.hp_drain.is_some()),
        ("overall_difficulty", m.overall_difficulty.is_some()),
        ("style", !m.style.is_empty()),
    ];
    for (field, lost) in dropped {
        if lost {
            report.push(
                LossKind::MetadataDropped,
                format!("{field}: Quaver has no such field"),
            );
        }
    }
    for (index, t) in chart.timing.iter().enumerate() {
        if matches!(
            t.kind,
            TimingKind::Stop { .. } | TimingKind::Delay { .. } | TimingKind::Warp { .. }
        ) {
            report
                .push(
                    LossKind::TimingDropped,
                    format!("{} left out: Quaver has no {}s (note times are kept; the scrolling differs)", t.kind.name(), t.kind.name()),
                )
                .at(index, t.time_us);
        }
    }
    let banked_notes = chart
        .notes
        .iter()
        .filter(|n| {
            let s = &n.sound;
            s.normal_set != 0
                || s.addition_set != 0
                || s.custom_index != 0
                || (s.volume != 0 && n.keysound.is_none())
        })
        .count();
    let sounding_points = chart
        .timing
        .iter()
        .filter(|t| t.sample_set != 0 || t.sample_index != 0 || t.volume != 100)
        .count();
    if banked_notes + sounding_points > 0 {
        report.push(
            LossKind::SoundDropped,
            format!(
                "sample banks, custom sample indexes and volumes of {banked_notes} note(s) and {sounding_points} timing point(s) left out: Quaver has none (only keysound volumes)"
            ),
        );
    }
    let effects = chart.timing.iter().filter(|t| t.effects != 0).count();
    if effects > 0 {
        report.push(
            LossKind::MetadataDropped,
            format!(
                "kiai and bar line effects of {effects} timing point(s) left out: Quaver has none"
            ),
        );
    }
}

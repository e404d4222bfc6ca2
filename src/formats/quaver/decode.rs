//! `.qua` → `Chart`.

use std::collections::HashMap;

use super::yaml::{self, error, Node, Reader, Scalar};
use super::{
    extras_order, lane_to_column, mode_keys, HIT_SOUNDS, KEY_PREFIX, SIDE_HIT_OBJECTS,
    SIDE_SAMPLES, SIDE_SLIDER_VELOCITIES, SIDE_TIMING_POINTS,
};
use crate::formats::text::{parse_int, push_ms, show};
use crate::model::{
    Chart, ConversionReport, LossKind, Metadata, Note, NoteKind, TimingPoint, MAX_ABS_TIME_US,
};
use crate::{Error, Result};

pub fn decode(bytes: &[u8], report: &mut ConversionReport) -> Result<Chart> {
    let text = yaml::text_of(bytes)?;
    let mut r = Reader::new(text);
    match r.document()? {
        Node::Map(_) => {}
        Node::Scalar(s) if s.is_null() => {
            return Err(error(
                s.line,
                "the file is empty: a .qua map needs at least a Mode",
            ))
        }
        _ => {
            return Err(error(
                1,
                "a .qua file is a list of 'Key: value' lines (AudioFile, Mode, HitObjects…)",
            ))
        }
    }
    let mut d = Decoder::default();
    let mut seen: Vec<Scalar> = Vec::new();
    while let Some(key) = r.next_key()? {
        if let Some(first) = seen.iter().find(|k| k.text == key.text) {
            return Err(error(
                key.line,
                format!("{} is given twice (first on line {})", key.text, first.line),
            ));
        }
        d.top_level(&mut r, &key)?;
        seen.push(key);
    }
    r.finish()?;
    d.finish(report)
}

/// Fields of one list item that the model has no place for, kept for `Chart::extras`.
struct Side {
    /// Index of the item in the file's list.
    item: usize,
    /// Its lines (`  Key: value`), in `Decoder::side_text`.
    text: std::ops::Range<usize>,
}

#[derive(Default)]
struct Decoder {
    metadata: Metadata,
    /// Keys of `Mode`, and the line it is on.
    mode: Option<(u8, usize)>,
    hit_objects_line: usize,
    notes: Vec<Note>,
    /// Lane (1-based, as in the file) of each note; columns need the key count.
    lanes: Vec<u8>,
    bpms: Vec<TimingPoint>,
    scrolls: Vec<TimingPoint>,
    keysounds: Vec<String>,
    /// Top-level entries without a place in the model: (key without prefix, YAML).
    extras: Vec<(String, String)>,
    bpm_does_not_affect_sv: bool,
    side_text: String,
    /// The item being read: its keysounds after the first (`  - Sample: …` lines), the
    /// `EndTime` of a mine, and its other extra fields, joined into `side_text` in that order
    /// (the order the writer writes them) when the item ends.
    item_keysounds: String,
    item_end_time: String,
    item_fields: String,
    side_notes: Vec<Side>,
    side_bpms: Vec<Side>,
    side_scrolls: Vec<Side>,
    /// One entry per sample when any sample has more than a `Path`.
    side_samples: Vec<Side>,
    /// Holds that end at or before their start (read as taps): (index, time, end).
    bad_holds: Vec<(usize, i64, i64)>,
    /// Keysound volumes above 100 (clamped): (note index, volume).
    loud_keysounds: Vec<(usize, i64)>,
    /// Fields of keysound entries that are not kept: (line, key).
    dropped_fields: Vec<(usize, String)>,
}

impl Decoder {
    fn top_level<'a>(&mut self, r: &mut Reader<'a>, key: &Scalar<'a>) -> Result<()> {
        let m = &mut self.metadata;
        let field = &*key.text;
        match field {
            "AudioFile" => m.audio_file = string(r, field)?,
            "BackgroundFile" => m.background_file = string(r, field)?,
            "Title" => m.title = string(r, field)?,
            "Artist" => m.artist = string(r, field)?,
            "Source" => m.source = string(r, field)?,
            "Tags" => m.tags = string(r, field)?,
            "Creator" => m.creator = string(r, field)?,
            "DifficultyName" => m.difficulty_name = string(r, field)?,
            "Description" => m.description = string(r, field)?,
            "Genre" => m.genre = string(r, field)?,
            "SongPreviewTime" => m.preview_time_us = optional(r, field, time_us)?,
            "MapId" => m.chart_id = online_id(r, field)?,
            "MapSetId" => m.set_id = online_id(r, field)?,
            "HasScratchKey" => m.has_scratch = optional(r, field, boolean)?.unwrap_or(false),
            "Mode" => {
                let s = scalar(r, field)?;
                let keys = mode_keys(&s.text).ok_or_else(|| {
                    error(
                        s.line,
                        format!(
                            "Mode {:?} is not a Quaver key mode (Keys1 to Keys10)",
                            yaml_show(&s.text)
                        ),
                    )
                })?;
                self.mode = Some((keys, s.line));
            }
            "TimingPoints" => self.list(r, field, Self::timing_point)?,
            "SliderVelocities" => self.list(r, field, Self::slider_velocity)?,
            "HitObjects" => {
                self.hit_objects_line = key.line;
                // The shortest common hit object takes about 30 bytes; reserving by that bound
                // avoids regrowing vectors of tens of thousands of notes.
                let estimate = r.rest_len() / 30;
                self.notes.reserve(estimate);
                self.lanes.reserve(estimate);
                self.list_with(r, field, Self::hit_object, Self::plain_hit_object)?
            }
            "CustomAudioSamples" => self.list(r, field, Self::custom_audio_sample)?,
            _ => {
                let node = r.node()?;
                let value = yaml::to_document(r, node)?;
                let default = match field {
                    "BPMDoesNotAffectScrollVelocity" => {
                        self.bpm_does_not_affect_sv = is_true(&value);
                        !self.bpm_does_not_affect_sv
                    }
                    "LegacyLNRendering" => !is_true(&value),
                    // Implied by the notes (1 with mines): checked in `finish`.
                    "QuaVersion" => value == "0",
                    _ => is_empty(&value),
                };
                if !default {
                    self.extras.push((field.to_owned(), value));
                }
            }
        }
        Ok(())
    }

    /// Reads a list whose items are mappings, giving each to `item` (after its first key).
    fn list<'a>(
        &mut self,
        r: &mut Reader<'a>,
        field: &str,
        item: impl FnMut(&mut Self, &mut Reader<'a>) -> Result<()>,
    ) -> Result<()> {
        self.list_with(r, field, item, |_, _| Ok(false))
    }

    /// `list`, where `fast` may read an item first (returning `true` when it did).
    fn list_with<'a>(
        &mut self,
        r: &mut Reader<'a>,
        field: &str,
        mut item: impl FnMut(&mut Self, &mut Reader<'a>) -> Result<()>,
        mut fast: impl FnMut(&mut Self, &mut Reader<'a>) -> Result<bool>,
    ) -> Result<()> {
        match r.node()? {
            Node::Seq(_) => {}
            Node::Scalar(s) if s.is_null() => return Ok(()),
            _ => return Err(error(r.line(), format!("{field} must be a list"))),
        }
        loop {
            self.item_keysounds.clear();
            self.item_end_time.clear();
            self.item_fields.clear();
            if fast(self, r)? {
                continue;
            }
            if !r.next_item()? {
                break;
            }
            let line = r.line();
            match r.node()? {
                Node::Map(_) => item(self, r)?,
                Node::Scalar(s) if s.is_null() => {
                    return Err(error(line, format!("an item of {field} is empty")))
                }
                _ => {
                    return Err(error(
                        line,
                        format!("an item of {field} must be a set of 'Key: value' fields"),
                    ))
                }
            }
        }
        Ok(())
    }

    /// A hit object in the layout nearly every file uses, read without the general YAML path
    /// (which costs several times more per line); `false` when it is not one.
    fn plain_hit_object(&mut self, r: &mut Reader) -> Result<bool> {
        let Some(text) = r.item_lines() else {
            return Ok(false);
        };
        let Some(object) = PlainObject::read(text) else {
            return Ok(false);
        };
        let line = r.line();
        r.skip_lines(object.len, object.lines);
        let end = object.end_ms.map(|ms| ms * 1000);
        self.push_hit_object(
            line,
            object.start_ms * 1000,
            end,
            object.lane,
            Note::default(),
        )?;
        Ok(true)
    }

    fn hit_object(&mut self, r: &mut Reader) -> Result<()> {
        let line = r.line();
        let mut time = 0;
        let mut end = None;
        let mut lane = None;
        let mut note = Note::default();
        while let Some(key) = r.next_key()? {
            let field = &*key.text;
            match field {
                "StartTime" => time = optional(r, field, time_us)?.unwrap_or(0),
                "EndTime" => end = optional(r, field, time_us)?,
                "Lane" => lane = optional(r, field, |s, f| int_in(s, f, 1, 255))?,
                "HitSound" => note.sound.flags = optional(r, field, hit_sound)?.unwrap_or(0),
                "Type" => {
                    if optional(r, field, mine)?.unwrap_or(false) {
                        note.kind = NoteKind::Mine;
                    }
                }
                "KeySounds" => self.key_sounds(r, &mut note)?,
                _ => self.side_field(r, field)?,
            }
        }
        let lane = lane.ok_or_else(|| error(line, "a hit object has no Lane"))?;
        self.push_hit_object(line, time, end, lane, note)
    }

    /// Adds a hit object read from `line`.
    fn push_hit_object(
        &mut self,
        line: usize,
        time: i64,
        end: Option<i64>,
        lane: i64,
        mut note: Note,
    ) -> Result<()> {
        let index = self.notes.len();
        let lane = u8::try_from(lane)
            .ok()
            .filter(|&l| l >= 1)
            .ok_or_else(|| error(line, format!("Lane {lane} is not a lane (1 or more)")))?;
        if let Some((keys, _)) = self.mode {
            check_lane(lane, keys, self.metadata.has_scratch, time, line)?;
        }
        note.time_us = time;
        match end {
            // EndTime 0 (or none) marks a note; a mine keeps it as a field of its own.
            Some(end) if end != 0 && note.kind == NoteKind::Mine => {
                self.item_end_time.push_str("  EndTime: ");
                push_ms_text(&mut self.item_end_time, end);
                self.item_end_time.push('\n');
            }
            Some(end) if end > time => {
                note.kind = NoteKind::Hold;
                note.duration_us = end - time;
            }
            Some(end) if end != 0 => self.bad_holds.push((index, time, end)),
            _ => {}
        }
        self.push_side(Kind::Note, index);
        self.notes.push(note);
        self.lanes.push(lane);
        Ok(())
    }

    /// `KeySounds`: the first goes to the note (its volume to the note's sound), the others to
    /// the note's extra fields.
    fn key_sounds(&mut self, r: &mut Reader, note: &mut Note) -> Result<()> {
        match r.node()? {
            Node::Seq(_) => {}
            Node::Scalar(s) if s.is_null() => return Ok(()),
            _ => return Err(error(r.line(), "KeySounds must be a list")),
        }
        let mut count = 0;
        while r.next_item()? {
            let line = r.line();
            if !matches!(r.node()?, Node::Map(_)) {
                return Err(error(line, "a KeySounds item must have a Sample"));
            }
            let (mut sample, mut volume) = (None, 0);
            while let Some(key) = r.next_key()? {
                match &*key.text {
                    "Sample" => {
                        sample = optional(r, "Sample", |s, f| int_in(s, f, 1, u32::MAX.into()))?
                    }
                    "Volume" => {
                        volume =
                            optional(r, "Volume", |s, f| int_in(s, f, 0, i64::MAX))?.unwrap_or(0)
                    }
                    other => {
                        self.dropped_fields
                            .push((key.line, format!("KeySounds {other}")));
                        let node = r.node()?;
                        r.skip(node)?;
                    }
                }
            }
            let sample = sample.ok_or_else(|| error(line, "a KeySounds item has no Sample"))?;
            if count == 0 {
                if volume > 100 {
                    self.loud_keysounds.push((self.notes.len(), volume));
                }
                note.keysound = Some((sample - 1) as u32);
                note.sound.volume = volume.min(100) as u8;
            } else {
                let out = &mut self.item_keysounds;
                out.push_str("  - Sample: ");
                out.push_str(&sample.to_string());
                if volume != 0 {
                    out.push_str("\n    Volume: ");
                    out.push_str(&volume.to_string());
                }
                out.push('\n');
            }
            count += 1;
        }
        Ok(())
    }

    fn timing_point(&mut self, r: &mut Reader) -> Result<()> {
        let index = self.bpms.len();
        let (mut time, mut bpm, mut meter) = (0, 0.0, 4);
        while let Some(key) = r.next_key()? {
            let field = &*key.text;
            match field {
                "StartTime" => time = optional(r, field, time_us)?.unwrap_or(0),
                "Bpm" => bpm = optional(r, field, finite)?.unwrap_or(0.0),
                "Signature" => meter = optional(r, field, signature)?.unwrap_or(4),
                _ => self.side_field(r, field)?,
            }
        }
        self.push_side(Kind::Bpm, index);
        self.bpms.push(TimingPoint::bpm(time, bpm, meter));
        Ok(())
    }

    fn slider_velocity(&mut self, r: &mut Reader) -> Result<()> {
        let index = self.scrolls.len();
        let (mut time, mut multiplier) = (0, 0.0);
        while let Some(key) = r.next_key()? {
            let field = &*key.text;
            match field {
                "StartTime" => time = optional(r, field, time_us)?.unwrap_or(0),
                "Multiplier" => multiplier = optional(r, field, finite)?.unwrap_or(0.0),
                _ => self.side_field(r, field)?,
            }
        }
        self.push_side(Kind::Scroll, index);
        self.scrolls.push(TimingPoint::scroll(time, multiplier));
        Ok(())
    }

    fn custom_audio_sample(&mut self, r: &mut Reader) -> Result<()> {
        let index = self.keysounds.len();
        let mut path = String::new();
        while let Some(key) = r.next_key()? {
            match &*key.text {
                "Path" => path = string(r, "Path")?,
                field => self.side_field(r, field)?,
            }
        }
        self.push_side(Kind::Sample, index);
        self.keysounds.push(path);
        Ok(())
    }

    /// A field of a list item that the model has no place for, as `  Key: value` lines;
    /// values C# gives a field by default (0, false, empty) carry nothing and are left out.
    fn side_field(&mut self, r: &mut Reader, field: &str) -> Result<()> {
        let node = r.node()?;
        if let Node::Scalar(s) = &node {
            let zero = s.plain && (s.float() == Some(0.0) || s.bool() == Some(false));
            if s.is_null()
                || s.text.is_empty()
                || zero
                || (field == "TimingGroup" && s.text == "$Default")
            {
                return Ok(());
            }
        }
        let start = self.item_fields.len();
        let mut out = std::mem::take(&mut self.item_fields).into_bytes();
        out.extend_from_slice(b"  ");
        yaml::write_str(&mut out, field);
        out.push(b':');
        yaml::copy_value(r, node, &mut out, 2)?;
        if out.ends_with(b" []\n") || out.ends_with(b" {}\n") {
            out.truncate(start);
        }
        self.item_fields =
            String::from_utf8(out).map_err(|e| error(r.line(), format!("internal: {e}")))?;
        Ok(())
    }

    /// Records the extra fields of item `item` of a list.
    fn push_side(&mut self, kind: Kind, item: usize) {
        let start = self.side_text.len();
        if !self.item_keysounds.is_empty() {
            self.side_text.push_str("  KeySounds:\n");
            self.side_text.push_str(&self.item_keysounds);
        }
        self.side_text.push_str(&self.item_end_time);
        self.side_text.push_str(&self.item_fields);
        let end = self.side_text.len();
        let list = match kind {
            Kind::Note => &mut self.side_notes,
            Kind::Bpm => &mut self.side_bpms,
            Kind::Scroll => &mut self.side_scrolls,
            Kind::Sample => &mut self.side_samples,
        };
        if end > start {
            list.push(Side {
                item,
                text: start..end,
            });
        }
    }

    fn finish(mut self, report: &mut ConversionReport) -> Result<Chart> {
        let (mode, mode_line) = self
            .mode
            .ok_or_else(|| error(1, "the map has no Mode (Keys1 to Keys10)"))?;
        let scratch = self.metadata.has_scratch;
        let keys = mode + u8::from(scratch);
        for (note, &lane) in self.notes.iter_mut().zip(&self.lanes) {
            check_lane(lane, mode, scratch, note.time_us, self.hit_objects_line)
                .map_err(|_| {
                    error(
                        mode_line,
                        format!(
                            "a hit object at {} ms is in lane {lane}, but Mode Keys{mode}{} has {keys} lanes",
                            note.time_us as f64 / 1000.0,
                            if scratch { " with a scratch key" } else { "" }
                        ),
                    )
                })?;
            note.column = lane_to_column(lane, keys, scratch);
            if let Some(k) = note.keysound {
                if k as usize >= self.keysounds.len() {
                    return Err(error(
                        self.hit_objects_line,
                        format!(
                            "the hit object at {} ms plays KeySounds Sample {}, but CustomAudioSamples has {}",
                            note.time_us as f64 / 1000.0,
                            u64::from(k) + 1,
                            self.keysounds.len()
                        ),
                    ));
                }
            }
        }
        self.report(report);

        // Extra fields of notes and timing points are keyed by what identifies them in the
        // file: time (and lane), and the position among items with the same key.
        let notes_side = side_table(
            &self.side_notes,
            &self.side_text,
            |i| (self.notes[i].time_us, self.lanes[i]),
            |(time, lane)| {
                let mut head = time_head((time, 0));
                head.push_str(&format!("  Lane: {lane}\n"));
                head
            },
        );
        let bpms_side = side_table(
            &self.side_bpms,
            &self.side_text,
            |i| (self.bpms[i].time_us, 0),
            time_head,
        );
        let scrolls_side = side_table(
            &self.side_scrolls,
            &self.side_text,
            |i| (self.scrolls[i].time_us, 0),
            time_head,
        );
        // Samples are kept in file order, so their positions are their identity.
        let samples_side = if self.side_samples.is_empty() {
            None
        } else {
            let mut doc = String::new();
            for (i, path) in self.keysounds.iter().enumerate() {
                doc.push_str("- Path: ");
                let mut text = Vec::new();
                yaml::write_str(&mut text, path);
                doc.push_str(&String::from_utf8_lossy(&text));
                doc.push('\n');
                if let Some(side) = self.side_samples.iter().find(|s| s.item == i) {
                    doc.push_str(&self.side_text[side.text.clone()]);
                }
            }
            doc.pop();
            Some(doc)
        };
        let mut extras = self.extras;
        let has_mines = self.notes.iter().any(|n| n.kind == NoteKind::Mine);
        extras.retain(|(k, v)| match k.as_str() {
            // Quaver reads it only for maps whose SVs ignore the BPM.
            "InitialScrollVelocity" => self.bpm_does_not_affect_sv,
            // The version a writer gives a map with mines says nothing more.
            "QuaVersion" => !(has_mines && v == "1"),
            _ => true,
        });
        for (key, doc) in [
            (SIDE_SAMPLES, samples_side),
            (SIDE_TIMING_POINTS, bpms_side),
            (SIDE_SLIDER_VELOCITIES, scrolls_side),
            (SIDE_HIT_OBJECTS, notes_side),
        ] {
            if let Some(doc) = doc {
                extras.push((key.to_owned(), doc));
            }
        }
        // A canonical order, so that a chart written and read back compares equal.
        extras.sort_by_key(|(k, _)| extras_order(k));
        let extras = extras
            .into_iter()
            .map(|(k, v)| (format!("{KEY_PREFIX}{k}"), v))
            .collect();

        let mut timing = self.bpms;
        timing.append(&mut self.scrolls);
        timing.sort_by_key(|t| t.time_us);
        if !self
            .notes
            .windows(2)
            .all(|w| (w[0].time_us, w[0].column) <= (w[1].time_us, w[1].column))
        {
            self.notes.sort_by_key(|n| (n.time_us, n.column));
        }
        self.metadata.has_scratch = scratch;
        Ok(Chart {
            metadata: self.metadata,
            key_count: keys,
            notes: self.notes,
            timing,
            keysounds: self.keysounds,
            extras,
        })
    }

    fn report(&self, report: &mut ConversionReport) {
        for &(index, time, end) in &self.bad_holds {
            report
                .push(
                    LossKind::NoteChanged,
                    format!(
                        "long note ends at {} ms, not after its start: read as a note (Quaver refuses such maps)",
                        end as f64 / 1000.0
                    ),
                )
                .at(index, time);
        }
        for &(index, volume) in &self.loud_keysounds {
            let time = self.notes[index].time_us;
            report
                .push(
                    LossKind::SoundDropped,
                    format!("keysound volume {volume} read as 100, the loudest ROX keeps"),
                )
                .at(index, time);
        }
        for (line, field) in &self.dropped_fields {
            report.push(
                LossKind::SoundDropped,
                format!("line {line}: {field} is not kept (ROX keeps Sample and Volume)"),
            );
        }
    }
}

/// A hit object of the common layout (see `Decoder::plain_hit_object`).
struct PlainObject {
    /// Bytes and lines it takes.
    len: usize,
    lines: usize,
    start_ms: i64,
    lane: i64,
    end_ms: Option<i64>,
}

impl PlainObject {
    /// `- StartTime: 123`, `  Lane: 2`, then optionally `  EndTime: 456` and
    /// `  KeySounds: []`, at the start of `text`, and no further field.
    fn read(text: &[u8]) -> Option<PlainObject> {
        let mut at = 0;
        let mut lines = 0;
        let mut field = |prefix: &[u8], required: bool| -> Option<Option<i64>> {
            let rest = text.get(at..)?;
            let Some(rest) = rest.strip_prefix(prefix) else {
                return if required { None } else { Some(None) };
            };
            // Up to 9 digits: every such time is within the model's range (longer numbers go
            // the general way, which checks it).
            let digits = rest.iter().take_while(|b| b.is_ascii_digit()).count();
            if digits > 9 {
                return None;
            }
            let value = parse_int(&rest[..digits])?;
            let line_break = match rest.get(digits..digits + 2) {
                Some([b'\r', b'\n']) => 2,
                _ if rest.get(digits) == Some(&b'\n') => 1,
                _ => return None,
            };
            at += prefix.len() + digits + line_break;
            lines += 1;
            Some(Some(value))
        };
        let start_ms = field(b"- StartTime: ", true)??;
        let lane = field(b"  Lane: ", true)??;
        let end_ms = field(b"  EndTime: ", false)?;
        let empty_keysounds = text[at..].starts_with(b"  KeySounds: []");
        if empty_keysounds {
            let rest = &text[at + 15..];
            at += 15
                + match rest {
                    [b'\r', b'\n', ..] => 2,
                    [b'\n', ..] => 1,
                    _ => return None,
                };
            lines += 1;
        }
        // Another field of this item (or a blank line before one) goes the general way.
        if matches!(text.get(at), Some(b' ' | b'\t' | b'\r' | b'\n' | b'#')) {
            return None;
        }
        Some(PlainObject {
            len: at,
            lines,
            start_ms,
            lane,
            end_ms,
        })
    }
}

#[derive(Clone, Copy)]
enum Kind {
    Note,
    Bpm,
    Scroll,
    Sample,
}

fn time_head((time, _): (i64, u8)) -> String {
    let mut head = String::from("- StartTime: ");
    push_ms_text(&mut head, time);
    head.push('\n');
    head
}

/// The extra fields of a list's items as a YAML list, sorted by the items' identity: `key` of
/// the item (time, lane) and `Nth`, its position among items with the same key in the file
/// (which sorting keeps), written when not 0.
fn side_table(
    sides: &[Side],
    text: &str,
    key: impl Fn(usize) -> (i64, u8),
    head: impl Fn((i64, u8)) -> String,
) -> Option<String> {
    if sides.is_empty() {
        return None;
    }
    let mut counts: HashMap<(i64, u8), u32> = HashMap::new();
    let mut entries = Vec::with_capacity(sides.len());
    let mut next = sides.iter().peekable();
    let last = sides.last().map_or(0, |s| s.item);
    for item in 0..=last {
        let count = counts.entry(key(item)).or_insert(0);
        let nth = *count;
        *count += 1;
        if let Some(side) = next.next_if(|s| s.item == item) {
            entries.push((key(item), nth, &text[side.text.clone()]));
        }
    }
    entries.sort_by_key(|&(k, nth, _)| (k, nth));
    let mut doc = String::new();
    for (k, nth, fields) in entries {
        doc.push_str(&head(k));
        if nth > 0 {
            doc.push_str(&format!("  Nth: {nth}\n"));
        }
        doc.push_str(fields);
    }
    doc.pop();
    Some(doc)
}

fn push_ms_text(out: &mut String, us: i64) {
    let mut bytes = Vec::new();
    push_ms(&mut bytes, us);
    out.push_str(&String::from_utf8_lossy(&bytes));
}

fn check_lane(lane: u8, mode: u8, scratch: bool, time: i64, line: usize) -> Result<()> {
    let keys = mode + u8::from(scratch);
    if lane <= keys {
        Ok(())
    } else {
        Err(error(
            line,
            format!(
                "the hit object at {} ms is in lane {lane}, but Mode Keys{mode}{} has {keys} lanes",
                time as f64 / 1000.0,
                if scratch { " with a scratch key" } else { "" }
            ),
        ))
    }
}

fn is_true(doc: &str) -> bool {
    yaml_bool(doc) == Some(true)
}

fn yaml_bool(doc: &str) -> Option<bool> {
    Scalar {
        text: doc.into(),
        plain: true,
        tag: None,
        line: 0,
    }
    .bool()
}

/// Values that say nothing: null, an empty string, an empty list or mapping.
fn is_empty(doc: &str) -> bool {
    matches!(doc, "~" | "''" | "[]" | "{}")
}

fn yaml_show(s: &str) -> String {
    show(s.as_bytes())
}

// ---------------------------------------------------------------------------------------------
// Values

fn scalar<'a>(r: &mut Reader<'a>, field: &str) -> Result<Scalar<'a>> {
    let line = r.line();
    match r.node()? {
        Node::Scalar(s) => Ok(s),
        node => {
            r.skip(node)?;
            Err(error(
                line,
                format!("{field} must be a single value, not a list or mapping"),
            ))
        }
    }
}

/// A value that may be absent (null): `None` then, else `parse` of it.
fn optional<T>(
    r: &mut Reader,
    field: &str,
    parse: impl FnOnce(&Scalar, &str) -> Result<T>,
) -> Result<Option<T>> {
    let s = scalar(r, field)?;
    if s.is_null() {
        Ok(None)
    } else {
        parse(&s, field).map(Some)
    }
}

fn string(r: &mut Reader, field: &str) -> Result<String> {
    let s = scalar(r, field)?;
    Ok(if s.is_null() {
        String::new()
    } else {
        s.text.into_owned()
    })
}

fn invalid(s: &Scalar, field: &str, expected: &str) -> Error {
    error(
        s.line,
        format!("{field} {:?} is not {expected}", yaml_show(&s.text)),
    )
}

/// A time in ms as µs, rounded to the nearest µs (ties away from zero).
fn time_us(s: &Scalar, field: &str) -> Result<i64> {
    const LIMIT_MS: i64 = MAX_ABS_TIME_US / 1000;
    if let Some(ms) = s.int() {
        if ms.abs() <= LIMIT_MS {
            return Ok(ms * 1000);
        }
    }
    let ms = s
        .float()
        .ok_or_else(|| invalid(s, field, "a time in milliseconds"))?;
    let us = (ms * 1000.0).round();
    if us.abs() <= MAX_ABS_TIME_US as f64 {
        Ok(us as i64)
    } else {
        Err(invalid(s, field, "a time within ±2^52 µs"))
    }
}

fn finite(s: &Scalar, field: &str) -> Result<f64> {
    s.float()
        .filter(|v| v.is_finite())
        .ok_or_else(|| invalid(s, field, "a finite number"))
}

fn boolean(s: &Scalar, field: &str) -> Result<bool> {
    s.bool().ok_or_else(|| invalid(s, field, "true or false"))
}

fn int_in(s: &Scalar, field: &str, min: i64, max: i64) -> Result<i64> {
    s.int()
        .filter(|v| (min..=max).contains(v))
        .ok_or_else(|| invalid(s, field, &format!("a whole number from {min} to {max}")))
}

/// `-1` (Quaver's "not submitted") is no id.
fn online_id(r: &mut Reader, field: &str) -> Result<Option<i64>> {
    Ok(optional(r, field, |s, f| {
        int_in(s, f, i32::MIN.into(), i32::MAX.into())
    })?
    .filter(|&id| id != -1))
}

/// `Signature`: a number (any positive one occurs) or `Quadruple` / `Triple`; 0 is Quaver's
/// default, 4.
fn signature(s: &Scalar, field: &str) -> Result<u32> {
    let meter = match &*s.text {
        t if t.eq_ignore_ascii_case("Quadruple") => 4,
        t if t.eq_ignore_ascii_case("Triple") => 3,
        _ => int_in(s, field, 0, i32::MAX.into())? as u32,
    };
    Ok(if meter == 0 { 4 } else { meter })
}

/// `HitSound`: flag names joined by commas (`Whistle, Clap`), or the number.
fn hit_sound(s: &Scalar, field: &str) -> Result<u8> {
    let mut flags = 0u8;
    for part in s.text.split(',').map(str::trim) {
        flags |= match HIT_SOUNDS
            .iter()
            .find(|(name, _)| name.eq_ignore_ascii_case(part))
        {
            Some(&(_, bit)) => bit,
            None => part.parse::<u8>().map_err(|_| {
                invalid(
                    s,
                    field,
                    "hit sound names (Normal, Whistle, Finish, Clap) or their number",
                )
            })?,
        };
    }
    Ok(flags)
}

/// `Type`: `Normal` (0) or `Mine` (1).
fn mine(s: &Scalar, field: &str) -> Result<bool> {
    match &*s.text {
        t if t.eq_ignore_ascii_case("Normal") || t == "0" => Ok(false),
        t if t.eq_ignore_ascii_case("Mine") || t == "1" => Ok(true),
        _ => Err(invalid(s, field, "Normal or Mine")),
    }
}

//! `.qua` → `Chart`: the top-level keys; list items in `items`, values in `values`.

mod items;
mod values;

use std::borrow::Cow;
use std::collections::HashMap;

use super::extras::{Extras, ItemFields, ItemId, SampleFields};
use super::yaml::{self, error, Node, Reader, Scalar};
use super::{lane_to_column, mode_keys};
use crate::formats::Content;
use crate::model::{
    sort_by_key_stable, Chart, ConversionReport, DecodeLimits, LossKind, Metadata, Note, NoteKind,
    TimingPoint,
};
use crate::{Format, Result};
use values::{
    boolean, check_lane, is_empty, is_true, online_id, optional, scalar, string, time_us, yaml_show,
};

pub fn decode(
    bytes: &[u8],
    limits: &DecodeLimits,
    report: &mut ConversionReport,
    content: Content,
) -> Result<Chart> {
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
    let mut d = Decoder {
        limits: *limits,
        skip_notes: content == Content::WithoutNotes,
        ..Decoder::default()
    };
    // Each key's first line, in a map: a hostile file can hold tens of thousands of keys.
    let mut seen: HashMap<Cow<str>, usize> = HashMap::new();
    while let Some(key) = r.next_key()? {
        if let Some(first) = seen.get(&key.text) {
            return Err(error(
                key.line,
                format!("{} is given twice (first on line {first})", key.text),
            ));
        }
        d.top_level(&mut r, &key)?;
        seen.insert(key.text, key.line);
    }
    r.finish()?;
    d.finish(report)
}

#[derive(Default)]
struct Decoder {
    limits: DecodeLimits,
    /// `peek`: `HitObjects` is passed over unread.
    skip_notes: bool,
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
    /// Extra fields of the item being read.
    item: ItemFields,
    /// Extra fields of list items, with the item's index in its list (ids come in `finish`).
    side_notes: Vec<(usize, ItemFields)>,
    side_bpms: Vec<(usize, ItemFields)>,
    side_scrolls: Vec<(usize, ItemFields)>,
    side_samples: Vec<(usize, String)>,
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
            "HitObjects" if self.skip_notes => {
                self.list_with(r, field, |_, r| r.skip(Node::Map(None)), skip_items)?
            }
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

    fn finish(mut self, report: &mut ConversionReport) -> Result<Chart> {
        let keys = self.place_notes()?;
        self.report(report);
        let extras = self.take_extras().into_chart_extras();
        let mut timing = self.bpms;
        timing.append(&mut self.scrolls);
        timing.sort_by_key(|t| t.time_us);
        sort_by_key_stable(&mut self.notes, |n| (n.time_us, n.column));
        let chart = Chart {
            metadata: self.metadata,
            key_count: keys,
            notes: self.notes,
            timing,
            keysounds: self.keysounds,
            extras,
            source_format: Some(Format::Qua),
        };
        // Quaver cannot load a map whose scroll groups do not parse (a velocity that is not a
        // number): refused here, so that every decoded chart's groups read back.
        super::scroll_groups(&chart)?;
        Ok(chart)
    }

    /// Gives each note its column, now that the mode is known, and checks its keysound.
    /// Returns the key count.
    fn place_notes(&mut self) -> Result<u8> {
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
        Ok(keys)
    }

    /// What the model has no place for. Extra fields of notes and timing points are named by
    /// what identifies them in the file: time (and lane), and the position among items with
    /// the same ones; samples are kept in file order, so their positions are their identity.
    fn take_extras(&mut self) -> Extras {
        let (notes, lanes) = (&self.notes, &self.lanes);
        let hit_objects = identify(std::mem::take(&mut self.side_notes), |i| {
            (notes[i].time_us, lanes[i])
        });
        let bpms = &self.bpms;
        let timing_points = identify(std::mem::take(&mut self.side_bpms), |i| {
            (bpms[i].time_us, 0)
        });
        let scrolls = &self.scrolls;
        let slider_velocities = identify(std::mem::take(&mut self.side_scrolls), |i| {
            (scrolls[i].time_us, 0)
        });
        let samples = match self.side_samples.is_empty() {
            true => Vec::new(),
            false => self.samples_with_fields(),
        };
        let mut top = std::mem::take(&mut self.extras);
        let has_mines = self.notes.iter().any(|n| n.kind == NoteKind::Mine);
        top.retain(|(k, v)| match k.as_str() {
            // Quaver reads it only for maps whose SVs ignore the BPM.
            "InitialScrollVelocity" => self.bpm_does_not_affect_sv,
            // The version a writer gives a map with mines says nothing more.
            "QuaVersion" => !(has_mines && v == "1"),
            _ => true,
        });
        Extras {
            top,
            hit_objects,
            timing_points,
            slider_velocities,
            samples,
        }
    }

    fn samples_with_fields(&self) -> Vec<SampleFields> {
        let mut sides = self.side_samples.iter().peekable();
        let samples = self.keysounds.iter().enumerate();
        samples
            .map(|(i, path)| SampleFields {
                path: Some(path.clone()),
                fields: sides
                    .next_if(|(item, _)| *item == i)
                    .map_or_else(String::new, |(_, fields)| fields.clone()),
            })
            .collect()
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

/// Passes over the items of a list at column 0 unread (`peek`): whole items, each a line that
/// starts it (`- `) and indented lines that continue it, up to the end of the list (a line at
/// column 0 that is not an item). An item with anything else in it (a blank line, a comment,
/// a tab, a lone CR, a `[…]` or `{…}` that may go on past its line) is left to the full
/// reader, from its start. Returns whether it moved.
fn skip_items(_: &mut Decoder, r: &mut Reader) -> Result<bool> {
    let Some(text) = r.item_lines() else {
        return Ok(false);
    };
    let (mut len, mut lines) = (0, 0);
    // The end of the whole items passed so far, and their line count.
    let mut whole = (0, 0);
    loop {
        match text.get(len) {
            Some(b'-') if matches!(text.get(len + 1), None | Some(b' ' | b'\n' | b'\r')) => {
                whole = (len, lines);
            }
            Some(b' ') => {}
            Some(b'\n' | b'\r' | b'#' | b'\t') => break,
            _ => {
                whole = (len, lines);
                break;
            }
        }
        let Some(end) = closed_line_end(text, len) else {
            break;
        };
        len = if text[end..].starts_with(b"\r\n") {
            end + 2
        } else {
            (end + 1).min(text.len())
        };
        lines += 1;
    }
    r.skip_lines(whole.0, whole.1);
    Ok(whole.0 > 0)
}

/// The end of the line that starts at `from` (its `\n` or `\r`, or the end of `text`), or
/// `None` when a `[…]` or `{…}` on it may go on past it (the full reader follows it onto the
/// next lines, whatever their indentation; found by fuzzing): brackets left open or closed
/// without an opening, or a quote, which could hide one. One pass through a table of the bytes
/// that matter: hit object lines are short, and a `memchr` call a line cost more than the bytes.
fn closed_line_end(text: &[u8], from: usize) -> Option<usize> {
    const OTHER: u8 = 0;
    const END: u8 = 1;
    const OPEN: u8 = 2;
    const CLOSE: u8 = 3;
    const QUOTE: u8 = 4;
    const CLASS: [u8; 256] = {
        let mut class = [OTHER; 256];
        (class[b'\n' as usize], class[b'\r' as usize]) = (END, END);
        (class[b'[' as usize], class[b'{' as usize]) = (OPEN, OPEN);
        (class[b']' as usize], class[b'}' as usize]) = (CLOSE, CLOSE);
        (class[b'"' as usize], class[b'\'' as usize]) = (QUOTE, QUOTE);
        class
    };
    let mut depth = 0i32;
    for (at, &b) in text[from..].iter().enumerate() {
        // Tests, not a `match`: a jump table's indirect branch mispredicted on most bytes.
        let class = CLASS[usize::from(b)];
        if class == OTHER {
            continue;
        }
        if class == END {
            return (depth == 0).then_some(from + at);
        }
        if class == OPEN {
            depth += 1;
        } else if class == CLOSE && depth > 0 {
            depth -= 1;
        } else {
            return None;
        }
    }
    (depth == 0).then_some(text.len())
}

/// The ids of items with extra fields, in id order: `key` of the item (time, lane) and its
/// position among the items with the same key in the file (which sorting keeps).
fn identify(sides: Vec<(usize, ItemFields)>, key: impl Fn(usize) -> (i64, u8)) -> Vec<ItemFields> {
    let Some(&(last, _)) = sides.last() else {
        return Vec::new();
    };
    let mut counts: HashMap<(i64, u8), u32> = HashMap::new();
    let mut sides = sides.into_iter().peekable();
    let mut items = Vec::with_capacity(sides.len());
    for item in 0..=last {
        let (time_us, lane) = key(item);
        let count = counts.entry((time_us, lane)).or_insert(0);
        let nth = *count;
        *count += 1;
        if let Some((_, mut fields)) = sides.next_if(|(i, _)| *i == item) {
            fields.id = ItemId { time_us, lane, nth };
            items.push(fields);
        }
    }
    items.sort_by_key(|item| item.id);
    items
}

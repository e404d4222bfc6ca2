//! The items of `.qua` lists: hit objects (and their keysounds), timing points, scroll
//! velocities and samples, with the fields the model has no place for.

use super::values::{finite, hit_sound, int_in, mine, optional, signature, string, time_us};
use super::{check_lane, error, Decoder, Node, Reader};
use crate::formats::quaver::extras::push_ms_text;
use crate::formats::quaver::yaml;
use crate::formats::text::leading_digits;
use crate::model::{Note, NoteKind, TimingPoint};
use crate::Result;

impl Decoder {
    /// A hit object in the layout nearly every file uses, read without the general YAML path
    /// (which costs several times more per line); `false` when it is not one.
    pub(super) fn plain_hit_object(&mut self, r: &mut Reader) -> Result<bool> {
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

    pub(super) fn hit_object(&mut self, r: &mut Reader) -> Result<()> {
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
                let mut line = String::from("  EndTime: ");
                push_ms_text(&mut line, end);
                line.push('\n');
                self.item.end_time = Some(line);
            }
            Some(end) if end > time => {
                note.kind = NoteKind::Hold;
                note.duration_us = end - time;
            }
            Some(end) if end != 0 => self.bad_holds.push((index, time, end)),
            _ => {}
        }
        self.limits.check_notes(self.notes.len() + 1)?;
        self.push_side(List::HitObjects, index);
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
                let out = &mut self.item.keysounds;
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

    pub(super) fn timing_point(&mut self, r: &mut Reader) -> Result<()> {
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
        self.check_timing_points()?;
        self.push_side(List::TimingPoints, index);
        self.bpms.push(TimingPoint::bpm(time, bpm, meter));
        Ok(())
    }

    pub(super) fn slider_velocity(&mut self, r: &mut Reader) -> Result<()> {
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
        self.check_timing_points()?;
        self.push_side(List::SliderVelocities, index);
        self.scrolls.push(TimingPoint::scroll(time, multiplier));
        Ok(())
    }

    /// Room for one more timing point (BPM or SV: both become timing points).
    fn check_timing_points(&self) -> Result<()> {
        let count = self.bpms.len() + self.scrolls.len() + 1;
        self.limits.check_timing_points(count)
    }

    pub(super) fn custom_audio_sample(&mut self, r: &mut Reader) -> Result<()> {
        let index = self.keysounds.len();
        let mut path = String::new();
        while let Some(key) = r.next_key()? {
            match &*key.text {
                "Path" => path = string(r, "Path")?,
                field => self.side_field(r, field)?,
            }
        }
        self.push_side(List::Samples, index);
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
        // Written apart and then appended: checking the whole text again after each field
        // made an item of many fields cost their square.
        let mut out = b"  ".to_vec();
        yaml::write_str(&mut out, field);
        out.push(b':');
        yaml::copy_value(r, node, &mut out, 2)?;
        if !(out.ends_with(b" []\n") || out.ends_with(b" {}\n")) {
            let text =
                String::from_utf8(out).map_err(|e| error(r.line(), format!("internal: {e}")))?;
            self.item.fields.push_str(&text);
        }
        Ok(())
    }

    /// Records the extra fields of the item just read, item `item` of its list.
    fn push_side(&mut self, list: List, item: usize) {
        // Nearly every item has none: checked before taking them, which moves the whole struct.
        if self.item.is_empty() {
            return;
        }
        let fields = std::mem::take(&mut self.item);
        match list {
            List::HitObjects => self.side_notes.push((item, fields)),
            List::TimingPoints => self.side_bpms.push((item, fields)),
            List::SliderVelocities => self.side_scrolls.push((item, fields)),
            List::Samples => self.side_samples.push((item, fields.fields)),
        }
    }
}

#[derive(Clone, Copy)]
enum List {
    HitObjects,
    TimingPoints,
    SliderVelocities,
    Samples,
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
        let mut lines = ItemLines {
            rest: text,
            lines: 0,
        };
        let start_ms = lines.number(b"- StartTime: ")??;
        let lane = lines.number(b"  Lane: ")??;
        let end_ms = lines.number(b"  EndTime: ")?;
        if let Some(rest) = lines.after(b"  KeySounds: []") {
            lines.pass(15 + line_break(rest)?);
        }
        // Another field of this item (or a blank line before one) goes the general way.
        if matches!(
            lines.rest.first(),
            Some(b' ' | b'\t' | b'\r' | b'\n' | b'#')
        ) {
            return None;
        }
        Some(PlainObject {
            len: text.len() - lines.rest.len(),
            lines: lines.lines,
            start_ms,
            lane,
            end_ms,
        })
    }
}

/// The lines of a plain hit object not read yet. Keys are compared as arrays of known length,
/// which compiles to a few word compares instead of a `memcmp` call.
struct ItemLines<'a> {
    rest: &'a [u8],
    lines: usize,
}

impl<'a> ItemLines<'a> {
    /// What follows `key` when the next line starts with it.
    #[inline(always)]
    fn after<const N: usize>(&self, key: &[u8; N]) -> Option<&'a [u8]> {
        let (head, tail) = self.rest.split_first_chunk::<N>()?;
        (head == key).then_some(tail)
    }

    /// Moves past a line of `len` bytes.
    #[inline(always)]
    fn pass(&mut self, len: usize) {
        self.rest = &self.rest[len..];
        self.lines += 1;
    }

    /// The number of a `key` line: `Some(None)` when the next line is not one, `None` when it
    /// is but not in the plain form.
    #[inline(always)]
    fn number<const N: usize>(&mut self, key: &[u8; N]) -> Option<Option<i64>> {
        let Some(rest) = self.after(key) else {
            return Some(None);
        };
        let (value, len) = digits_line(rest)?;
        self.pass(N + len);
        Some(Some(value))
    }
}

/// A line that is 1 to 9 digits: its value and length with its line break. At most 9 digits,
/// so that every such time is within the model's range (longer numbers go the general way,
/// which checks it, as do the last few bytes of a file).
#[inline(always)]
fn digits_line(text: &[u8]) -> Option<(i64, usize)> {
    let (value, len, _) = leading_digits(text, 0)?;
    Some((value as i64, len + line_break(&text[len..])?))
}

/// The length of the LF or CRLF at the start of `text`.
#[inline(always)]
fn line_break(text: &[u8]) -> Option<usize> {
    match text {
        [b'\n', ..] => Some(1),
        [b'\r', b'\n', ..] => Some(2),
        _ => None,
    }
}

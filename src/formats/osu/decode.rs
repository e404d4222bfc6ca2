//! `.osu` → `Chart`.

use std::collections::HashMap;

use super::text::{self, utf8, Fields, Lines};
use super::{column_of, HEADER, MAX_NUMBER};
use crate::formats::text::{parse_f64, parse_int, show};
use crate::model::{Chart, HitSound, Metadata, Note, NoteKind, TimingKind, TimingPoint, MAX_KEYS};
use crate::{Error, Result};

/// Version assumed for files without a header (lazer's `LegacyBeatmapDecoder.LATEST_VERSION`).
const LATEST_VERSION: i64 = 14;

/// osu! shifts every time in files of version 4 and older by this much (stable's and lazer's
/// `EARLY_VERSION_TIMING_OFFSET`), to make up for an audio latency those versions had.
const EARLY_VERSION_OFFSET_US: i64 = 24_000;

// Hit object type bits.
const CIRCLE: i64 = 1;
const SLIDER: i64 = 2;
const SPINNER: i64 = 8;
const HOLD: i64 = 128;

pub fn decode(bytes: &[u8]) -> Result<Chart> {
    let text = text::to_utf8(bytes)?;
    // Without `[General] SampleSet` osu! plays the normal bank.
    let mut decoder = Decoder {
        default_sample_set: 1,
        ..Decoder::default()
    };
    decoder.read(&text)?;
    decoder.finish()
}

fn error(line: usize, message: impl Into<String>) -> Error {
    Error::Parse {
        format: "osu",
        line,
        message: message.into(),
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Section {
    /// Before the first section, and sections ROX takes nothing from.
    Ignored,
    General,
    Metadata,
    Difficulty,
    Events,
    TimingPoints,
    HitObjects,
}

impl Section {
    fn from_name(name: &[u8]) -> Section {
        match name {
            b"General" => Section::General,
            b"Metadata" => Section::Metadata,
            b"Difficulty" => Section::Difficulty,
            b"Events" => Section::Events,
            b"TimingPoints" => Section::TimingPoints,
            b"HitObjects" => Section::HitObjects,
            _ => Section::Ignored,
        }
    }
}

/// A slider in a mania map becomes a hold (as in osu!'s own conversion); its end depends on the
/// tempo and scroll speed at its start, known only once all timing points are read.
struct PendingSlider {
    line: usize,
    note: usize,
    start_ms: f64,
    length: f64,
    spans: f64,
}

#[derive(Default)]
struct Decoder<'a> {
    offset_us: i64,
    mode: Option<i64>,
    key_count: Option<u8>,
    /// `[General] SampleSet`: what a timing point's sample set 0 ("beatmap default") stands for.
    default_sample_set: u8,
    slider_multiplier: Option<f64>,
    metadata: Metadata,
    timing: Vec<TimingPoint>,
    notes: Vec<Note>,
    /// x of each note (clamped to the playfield); columns need the key count, which a file may
    /// give after its hit objects.
    xs: Vec<u16>,
    sliders: Vec<PendingSlider>,
    keysounds: Vec<String>,
    keysound_index: HashMap<&'a str, u32>,
    last_line: usize,
}

impl<'a> Decoder<'a> {
    fn read(&mut self, text: &'a [u8]) -> Result<()> {
        let mut lines = Lines::new(text);
        let mut section = Section::Ignored;
        let mut before_first_line = true;
        loop {
            if section == Section::HitObjects {
                while let Some(len) = self.plain_hit_object(lines.rest()) {
                    lines.consume(len);
                }
            }
            let Some((number, line)) = lines.next() else {
                break;
            };
            let line = line.trim_ascii();
            if line.is_empty() {
                continue;
            }
            // The header is the first non-blank line. A file without one is read as the latest
            // version, and that line as content (lazer's fallback decoder does the same).
            if std::mem::take(&mut before_first_line) {
                if let Some(version) = line.strip_prefix(HEADER) {
                    if parse_int(text::strip_comment(version)).unwrap_or(LATEST_VERSION) <= 4 {
                        self.offset_us = EARLY_VERSION_OFFSET_US;
                    }
                    continue;
                }
            }
            if line.starts_with(b"//") {
                continue;
            }
            // `//` is legal text in metadata (titles like "A // B").
            let line = if section == Section::Metadata {
                line
            } else {
                text::strip_comment(line)
            };
            if let [b'[', name @ .., b']'] = line {
                section = Section::from_name(name);
                if section == Section::HitObjects {
                    // The shortest real mania lines are about 20 bytes; reserving by that
                    // bound avoids regrowing a vector of tens of thousands of notes.
                    let estimate = lines.rest().len() / 20;
                    self.notes.reserve(estimate);
                    self.xs.reserve(estimate);
                }
                continue;
            }
            let result = match section {
                Section::Ignored => Ok(()),
                Section::General => self.general(line, number),
                Section::Metadata => self.metadata(line, number),
                Section::Difficulty => self.difficulty(line, number),
                Section::Events => self.event(line, number),
                Section::TimingPoints => self.timing_point(line, number),
                Section::HitObjects => self.hit_object(line, number),
            };
            if let Err(e) = result {
                return Err(if self.mode.is_none() && !has_mode_line(&mut lines) {
                    not_mania(0)
                } else {
                    e
                });
            }
        }
        self.last_line = lines.number();
        Ok(())
    }

    fn finish(mut self) -> Result<Chart> {
        if self.mode.is_none() {
            // osu! reads a file without `Mode` as an osu!standard map.
            return Err(not_mania(0));
        }
        let keys = self.key_count.ok_or_else(|| {
            error(
                self.last_line,
                "[Difficulty] has no CircleSize; a mania chart's key count comes from it",
            )
        })?;
        for (note, &x) in self.notes.iter_mut().zip(&self.xs) {
            note.column = column_of(i64::from(x), keys);
        }
        self.timing.sort_by_key(|t| t.time_us);
        self.resolve_sliders()?;
        sort_notes(&mut self.notes);
        self.number_keysounds_in_note_order();
        Ok(Chart {
            metadata: self.metadata,
            key_count: keys,
            notes: self.notes,
            timing: self.timing,
            keysounds: self.keysounds,
            extras: Vec::new(),
        })
    }

    /// Orders the keysound list by first use in the sorted notes, so that it does not depend
    /// on the order of lines in the file (and a written chart reads back identical).
    fn number_keysounds_in_note_order(&mut self) {
        if self.keysounds.is_empty() {
            return;
        }
        let mut new_index = vec![None; self.keysounds.len()];
        let mut order = Vec::with_capacity(self.keysounds.len());
        for k in self.notes.iter_mut().filter_map(|n| n.keysound.as_mut()) {
            *k = *new_index[*k as usize].get_or_insert_with(|| {
                order.push(*k as usize);
                order.len() as u32 - 1
            });
        }
        let mut old = std::mem::take(&mut self.keysounds);
        self.keysounds = order
            .into_iter()
            .map(|i| std::mem::take(&mut old[i]))
            .collect();
    }

    /// A time field in ms, as µs.
    fn time_us(&self, field: &[u8], what: &str, line: usize) -> Result<i64> {
        match parse_int(field) {
            // Whole ms, nearly every time in every file: no float rounding needed.
            Some(ms) if ms.unsigned_abs() <= i32::MAX as u64 => Ok(self.whole_ms_to_us(ms)),
            _ => Ok(self.ms_to_us(ms(field, what, line)?)),
        }
    }

    /// Rounded to the nearest µs, ties away from zero; with the early-version offset.
    fn ms_to_us(&self, ms: f64) -> i64 {
        (ms * 1000.0).round() as i64 + self.offset_us
    }

    fn whole_ms_to_us(&self, ms: i64) -> i64 {
        ms * 1000 + self.offset_us
    }

    fn general(&mut self, line: &[u8], number: usize) -> Result<()> {
        let Some((key, value)) = text::key_value(line) else {
            return Ok(());
        };
        match key {
            b"AudioFilename" => self.metadata.audio_file = standard_path(utf8(value, number)?),
            b"PreviewTime" => {
                // -1 means "none". osu! reads whole ms here; a fraction is rounded.
                let preview = ms(value, "PreviewTime", number)?.round();
                self.metadata.preview_time_us =
                    (preview != -1.0).then(|| self.whole_ms_to_us(preview as i64));
            }
            b"SampleSet" => {
                self.default_sample_set = match value {
                    b"None" | b"0" => 0,
                    b"Normal" | b"1" => 1,
                    b"Soft" | b"2" => 2,
                    b"Drum" | b"3" => 3,
                    _ => {
                        return Err(error(
                            number,
                            format!(
                                "unknown SampleSet {:?} (expected Normal, Soft or Drum)",
                                show(value)
                            ),
                        ))
                    }
                }
            }
            b"Mode" => {
                let mode = parse_int(value).ok_or_else(|| {
                    error(number, format!("Mode {:?} is not a number", show(value)))
                })?;
                self.mode = Some(mode);
                match mode {
                    3 => {}
                    0..=2 => return Err(not_mania(mode as i32)),
                    _ => {
                        return Err(error(
                            number,
                            format!("unknown Mode {mode} (osu! has modes 0 to 3; mania is 3)"),
                        ))
                    }
                }
            }
            b"SpecialStyle" => self.metadata.has_scratch = int(value, "SpecialStyle", number)? == 1,
            _ => {}
        }
        Ok(())
    }

    fn metadata(&mut self, line: &[u8], number: usize) -> Result<()> {
        let Some((key, value)) = text::key_value(line) else {
            return Ok(());
        };
        let m = &mut self.metadata;
        let field = match key {
            b"Title" => &mut m.title,
            b"TitleUnicode" => &mut m.title_unicode,
            b"Artist" => &mut m.artist,
            b"ArtistUnicode" => &mut m.artist_unicode,
            b"Creator" => &mut m.creator,
            b"Version" => &mut m.difficulty_name,
            b"Source" => &mut m.source,
            b"Tags" => &mut m.tags,
            // 0 and -1 mean "not submitted".
            b"BeatmapID" => {
                m.chart_id = Some(int(value, "BeatmapID", number)?).filter(|&id| id > 0);
                return Ok(());
            }
            b"BeatmapSetID" => {
                m.set_id = Some(int(value, "BeatmapSetID", number)?).filter(|&id| id > 0);
                return Ok(());
            }
            _ => return Ok(()),
        };
        *field = utf8(value, number)?.to_owned();
        Ok(())
    }

    fn difficulty(&mut self, line: &[u8], number: usize) -> Result<()> {
        let Some((key, value)) = text::key_value(line) else {
            return Ok(());
        };
        match key {
            b"HPDrainRate" => self.metadata.hp_drain = Some(finite(value, "HPDrainRate", number)?),
            b"OverallDifficulty" => {
                self.metadata.overall_difficulty = Some(finite(value, "OverallDifficulty", number)?)
            }
            b"CircleSize" => {
                // Key count = CircleSize rounded half to even (C#'s Math.Round, as lazer does).
                let keys = finite(value, "CircleSize", number)?.round_ties_even();
                if !(1.0..=f64::from(MAX_KEYS)).contains(&keys) {
                    return Err(Error::InvalidKeyCount(keys as i64));
                }
                self.key_count = Some(keys as u8);
            }
            b"SliderMultiplier" => {
                self.slider_multiplier =
                    Some(finite(value, "SliderMultiplier", number)?.clamp(0.4, 3.6));
            }
            _ => {}
        }
        Ok(())
    }

    fn event(&mut self, line: &[u8], number: usize) -> Result<()> {
        // `0,0,"file",x,y` (type 0 = background).
        let mut f = Fields::new(line, b',');
        let (Some(kind), Some(_start), Some(file)) = (f.next(), f.next(), f.next()) else {
            return Ok(());
        };
        if matches!(kind.trim_ascii(), b"0" | b"Background") {
            let file = utf8(file.trim_ascii(), number)?.trim_matches('"');
            self.metadata.background_file = standard_path(&file.replace("\\\\", "\\"));
        }
        Ok(())
    }

    /// `time,beatLength,meter,sampleSet,sampleIndex,volume,uninherited,effects`; every field after
    /// the beat length is optional.
    fn timing_point(&mut self, line: &[u8], number: usize) -> Result<()> {
        let mut f = Fields::new(line, b',');
        let (Some(time), Some(beat_length)) = (f.next(), f.next()) else {
            return Err(error(
                number,
                "a timing point needs at least a time and a beat length",
            ));
        };
        let time_us = self.time_us(time, "timing point time", number)?;
        let beat_length = parse_f64(beat_length)
            .filter(|v| v.is_nan() || v.abs() <= MAX_NUMBER)
            .ok_or_else(|| {
                error(
                    number,
                    format!(
                        "beat length {:?} is not a number within ±2^31",
                        show(beat_length)
                    ),
                )
            })?;
        let meter = match f.next().map(<[u8]>::trim_ascii) {
            // A meter starting with 0 means "default" to osu!.
            None | Some([b'0', ..]) => 4,
            Some(m) => u32::try_from(int(m, "meter", number)?)
                .ok()
                .filter(|&m| m > 0)
                .ok_or_else(|| error(number, "meter (beats per bar) must be positive"))?,
        };
        let sample_set = match f.next() {
            Some(s) => bank(s, "timing point sample set", number)?,
            None => 0,
        };
        let sample_index = match f.next() {
            Some(s) => sample_index(s, number)?,
            None => 0,
        };
        let volume = match f.next() {
            Some(s) => volume(s, number)?,
            None => 100,
        };
        // osu! tests only the first character; a missing field means an uninherited (red) line.
        let red = f
            .next()
            .map_or(true, |s| s.trim_ascii().first() == Some(&b'1'));
        let effects = match f.next() {
            Some(s) => u8::try_from(int(s, "effects", number)?)
                .map_err(|_| error(number, "effects must be 0 to 255"))?,
            None => 0,
        };

        let kind = if red {
            let bpm = 60_000.0 / beat_length;
            if !(beat_length > 0.0 && bpm.is_finite()) {
                return Err(error(
                    number,
                    format!("red line beat length {beat_length} must be a positive number of ms"),
                ));
            }
            TimingKind::Bpm { bpm, meter }
        } else {
            // Green line: SV = -100 / beatLength. osu! reads anything not negative (NaN too) as 1.
            let multiplier = if beat_length < 0.0 {
                -100.0 / beat_length
            } else {
                1.0
            };
            if !multiplier.is_finite() {
                return Err(error(
                    number,
                    format!("green line beat length {beat_length} gives an infinite scroll speed"),
                ));
            }
            TimingKind::Scroll { multiplier }
        };
        self.timing.push(TimingPoint {
            time_us,
            kind,
            sample_set: if sample_set == 0 {
                self.default_sample_set
            } else {
                sample_set
            },
            sample_index,
            volume,
            effects,
        });
        Ok(())
    }

    /// `x,y,time,type,hitSound,objectParams...,hitSample`.
    fn hit_object(&mut self, line: &'a [u8], number: usize) -> Result<()> {
        let mut f = Fields::new(line, b',');
        let x = required(&mut f, "hit object x", number)?;
        let x = parse_f64(x).filter(|x| !x.is_nan()).ok_or_else(|| {
            error(
                number,
                format!("hit object x {:?} is not a number", show(x)),
            )
        })?;
        let _y = required(&mut f, "hit object y", number)?;
        let time_us = self.time_us(
            required(&mut f, "hit object time", number)?,
            "hit object time",
            number,
        )?;
        let kind = int(
            required(&mut f, "hit object type", number)?,
            "hit object type",
            number,
        )?;
        let flags = int(required(&mut f, "hit sound", number)?, "hit sound", number)?;
        let mut sound = HitSound {
            flags: (flags & 0x0F) as u8,
            ..HitSound::default()
        };

        let mut end_us = time_us;
        let mut sample = None;
        if kind & CIRCLE != 0 {
            sample = f.next();
        } else if kind & SLIDER != 0 {
            // x,y,time,type,hitSound,curve,slides,length,edgeSounds,edgeSets,hitSample
            let (Some(_curve), Some(slides)) = (f.next(), f.next()) else {
                return Err(error(number, "a slider needs a curve and a slide count"));
            };
            let slides = int(slides, "slider slide count", number)?;
            if slides > 9000 {
                return Err(error(
                    number,
                    format!("slider slide count {slides} is too high (osu! allows up to 9000)"),
                ));
            }
            let length = f.next().and_then(parse_f64).filter(|l| l.is_finite() && *l > 0.0).ok_or_else(|| {
                error(number, "slider has no positive length; its end time cannot be computed without the curve")
            })?;
            if length > MAX_COORDINATE {
                return Err(error(
                    number,
                    format!("slider length {length} is out of range"),
                ));
            }
            let start_ms = time_us as f64 / 1000.0;
            let spans = slides.max(1) as f64;
            self.sliders.push(PendingSlider {
                line: number,
                note: self.notes.len(),
                start_ms,
                length,
                spans,
            });
            // Sliders carry only sample banks in their last field (osu! ignores the rest there).
            if let Some(banks) = f.nth(2) {
                let (banks, _) = hit_sample(banks, number)?;
                sound.normal_set = banks.normal_set;
                sound.addition_set = banks.addition_set;
            }
        } else if kind & SPINNER != 0 {
            let end = f
                .next()
                .ok_or_else(|| error(number, "a spinner needs an end time"))?;
            end_us = self.time_us(end, "spinner end time", number)?;
            sample = f.next();
        } else if kind & HOLD != 0 {
            // The end time is the first item of the hit sample field: `end:normal:addition:...`.
            if let Some(params) = f.next().filter(|p| !p.trim_ascii().is_empty()) {
                let mut items = Fields::new(params, b':');
                end_us = self.time_us(items.next().unwrap_or_default(), "hold end time", number)?;
                sample = items.rest();
            }
        } else {
            return Err(error(
                number,
                format!(
                    "unknown hit object type {kind} (expected a note, hold, slider or spinner)"
                ),
            ));
        }

        let mut keysound = None;
        if let Some(sample) = sample {
            let (banks, file) = hit_sample(sample, number)?;
            sound = HitSound {
                flags: sound.flags,
                ..banks
            };
            if !file.is_empty() {
                keysound = Some(self.keysound(utf8(file, number)?));
            }
        }
        // osu! truncates x to an integer before finding the column.
        self.push_note(x.clamp(0.0, 511.0) as u16, time_us, end_us, sound, keysound);
        Ok(())
    }

    /// The usual mania line, `x,y,time,1,hitSound,0:0:0:0:` (type 5 too) or
    /// `x,y,time,128,hitSound,end:0:0:0:0:`, with whole numbers and nothing else: read straight
    /// from the text, skipping the line splitting and general parsing that would otherwise take
    /// most of the decoding time. Returns the bytes taken (line break included) after adding the
    /// note, or `None` to leave the line to `hit_object`, which reads it the same way.
    fn plain_hit_object(&mut self, text: &[u8]) -> Option<usize> {
        let mut taken = 0;
        // A whole number of up to 7 digits and the separator after it, read in one step.
        let mut number = |separator: u8| {
            let (value, len, next) = text::leading_digits(text, taken)?;
            taken += len + 1;
            (next == separator).then_some(value)
        };
        let (x, _y, time, kind, flags) = (
            number(b',')?,
            number(b',')?,
            number(b',')?,
            number(b',')?,
            number(b',')?,
        );
        let end = match kind {
            1 | 5 => time,
            128 => number(b':')?,
            _ => return None,
        };
        let rest = &text[taken..];
        let rest = rest.strip_prefix(b"0:0:0:0:")?;
        let line_break = match rest {
            [] => 0,
            [b'\n', ..] => 1,
            [b'\r', b'\n', ..] => 2,
            _ => return None,
        };
        let (time_us, end_us) = (
            self.whole_ms_to_us(time as i64),
            self.whole_ms_to_us(end as i64),
        );
        let sound = HitSound {
            flags: (flags & 0x0F) as u8,
            ..HitSound::default()
        };
        self.push_note(x.min(511) as u16, time_us, end_us, sound, None);
        Some(text.len() - rest.len() + line_break)
    }

    #[inline]
    /// `x` is already within the playfield (0..=511).
    fn push_note(
        &mut self,
        x: u16,
        time_us: i64,
        end_us: i64,
        sound: HitSound,
        keysound: Option<u32>,
    ) {
        // A hold that ends at or before its start is a note (osu! gives it zero length).
        let (kind, duration_us) = if end_us > time_us {
            (NoteKind::Hold, end_us - time_us)
        } else {
            (NoteKind::Tap, 0)
        };
        self.notes.push(Note {
            time_us,
            duration_us,
            column: 0,
            kind,
            sound,
            keysound,
        });
        self.xs.push(x);
    }

    fn keysound(&mut self, file: &'a str) -> u32 {
        let next = self.keysounds.len() as u32;
        *self.keysound_index.entry(file).or_insert_with(|| {
            self.keysounds.push(file.to_owned());
            next
        })
    }

    /// Gives each slider its end: osu!'s duration `spans * length / velocity`, with the
    /// velocity from the beat length and slider velocity in effect at its start, as lazer's
    /// `ConvertSlider` computes it (including its clamps).
    fn resolve_sliders(&mut self) -> Result<()> {
        if self.sliders.is_empty() {
            return Ok(());
        }
        const DEFAULT_BEAT_LENGTH: f64 = 1000.0;
        // Red lines: of several at one time, osu! keeps the first.
        let mut beat_lengths: Vec<(i64, f64)> = Vec::new();
        // Slider velocity changes: a red line resets it to 1, a green line at the same time
        // overrides that, and of several green lines at one time the last wins.
        let mut velocities: Vec<(i64, f64, bool)> = Vec::new();
        for t in &self.timing {
            let (velocity, green) = match t.kind {
                TimingKind::Bpm { bpm, .. } => {
                    if beat_lengths
                        .last()
                        .map_or(true, |&(time, _)| time != t.time_us)
                    {
                        beat_lengths.push((t.time_us, 60_000.0 / bpm));
                    }
                    (1.0, false)
                }
                TimingKind::Scroll { multiplier } => (multiplier, true),
                _ => continue,
            };
            match velocities.last_mut() {
                Some(last) if last.0 == t.time_us => {
                    if green || !last.2 {
                        *last = (t.time_us, velocity, green);
                    }
                }
                _ => velocities.push((t.time_us, velocity, green)),
            }
        }
        let slider_multiplier = self.slider_multiplier.unwrap_or(1.4);
        for s in &self.sliders {
            let start_us = self.notes[s.note].time_us;
            let red = beat_lengths.partition_point(|b| b.0 <= start_us);
            // Before the first red line osu! uses the first one.
            let beat_length = beat_lengths
                .get(red.saturating_sub(1))
                .map_or(DEFAULT_BEAT_LENGTH, |b| b.1)
                .clamp(6.0, 60_000.0);
            let green = velocities.partition_point(|v| v.0 <= start_us);
            let velocity = green
                .checked_sub(1)
                .map_or(1.0, |i| velocities[i].1)
                .clamp(0.1, 10.0);
            // lazer's `GetPrecisionAdjustedBeatLength` for mania.
            let adjusted_beat_length =
                beat_length * ((100.0 / velocity).clamp(10.0, 1000.0) / 100.0);
            let pixels_per_ms = 100.0 * slider_multiplier / adjusted_beat_length;
            let end_ms = s.start_ms + s.spans * s.length / pixels_per_ms;
            if end_ms > MAX_NUMBER {
                return Err(error(
                    s.line,
                    format!("slider ends at {end_ms} ms, beyond the ±2^31 ms osu! allows"),
                ));
            }
            let end_us = (end_ms * 1000.0).round() as i64;
            let note = &mut self.notes[s.note];
            if end_us > note.time_us {
                note.kind = NoteKind::Hold;
                note.duration_us = end_us - note.time_us;
            }
        }
        Ok(())
    }
}

/// Puts notes in (time, column) order, keeping file order among equal keys. Files list notes
/// by time with chords in any column order, so an insertion sort is done in about one pass
/// (a general sort of tens of thousands of notes would cost more than the rest of decoding);
/// when it has to move notes too often, the file is far from that order and a general sort
/// takes over.
fn sort_notes(notes: &mut [Note]) {
    let key = |n: &Note| (n.time_us, n.column);
    let mut moves_left = 4 * notes.len();
    for i in 1..notes.len() {
        let mut j = i;
        while j > 0 && key(&notes[j]) < key(&notes[j - 1]) {
            notes.swap(j, j - 1);
            j -= 1;
            moves_left -= 1;
            if moves_left == 0 {
                notes.sort_by_key(key);
                return;
            }
        }
    }
}

/// Largest coordinate or slider length osu! accepts (lazer's `Parsing.MAX_COORDINATE_VALUE`).
const MAX_COORDINATE: f64 = 131_072.0;

/// Whether a `Mode` line is still to come: an error in a file that never names its mode is
/// reported as the osu!standard map osu! takes it for.
fn has_mode_line(lines: &mut Lines) -> bool {
    lines.any(|(_, line)| text::key_value(line).is_some_and(|(key, _)| key == b"Mode"))
}

fn not_mania(mode: i32) -> Error {
    let mode_name = match mode {
        0 => "standard",
        1 => "taiko",
        _ => "catch",
    };
    Error::NotMania { mode, mode_name }
}

/// lazer's `ToStandardisedPath`.
fn standard_path(path: &str) -> String {
    path.replace('\\', "/")
}

/// A time in ms as written, within the ±2^31 ms osu! accepts.
fn ms(field: &[u8], what: &str, line: usize) -> Result<f64> {
    let value = parse_f64(field)
        .ok_or_else(|| error(line, format!("{what} {:?} is not a number", show(field))))?;
    if value.abs() <= MAX_NUMBER {
        Ok(value)
    } else {
        Err(error(
            line,
            format!("{what} {value} ms is out of range (osu! allows ±2^31 ms)"),
        ))
    }
}

fn required<'f>(f: &mut Fields<'f>, what: &str, line: usize) -> Result<&'f [u8]> {
    f.next()
        .ok_or_else(|| error(line, format!("{what} is missing")))
}

/// An integer field within osu!'s ±2^31 range.
fn int(field: &[u8], what: &str, line: usize) -> Result<i64> {
    parse_int(field)
        .filter(|v| v.unsigned_abs() <= i32::MAX as u64)
        .ok_or_else(|| {
            error(
                line,
                format!("{what} {:?} is not an integer within ±2^31", show(field)),
            )
        })
}

fn finite(field: &[u8], what: &str, line: usize) -> Result<f64> {
    parse_f64(field).filter(|v| v.is_finite()).ok_or_else(|| {
        error(
            line,
            format!("{what} {:?} is not a finite number", show(field)),
        )
    })
}

/// A sample bank: 0 inherit, 1 normal, 2 soft, 3 drum.
fn bank(field: &[u8], what: &str, line: usize) -> Result<u8> {
    match int(field, what, line)? {
        b @ 0..=3 => Ok(b as u8),
        b => Err(error(
            line,
            format!("{what} {b} is not a sample bank (0 to 3)"),
        )),
    }
}

fn sample_index(field: &[u8], line: usize) -> Result<u32> {
    u32::try_from(int(field, "custom sample index", line)?)
        .map_err(|_| error(line, "custom sample index must not be negative"))
}

/// Volumes outside 0..=100 are clamped, as osu! does.
fn volume(field: &[u8], line: usize) -> Result<u8> {
    Ok(int(field, "volume", line)?.clamp(0, 100) as u8)
}

/// `normalSet:additionSet:index:volume:filename`, every item optional. Returns the sound
/// (without flags) and the file name (empty when none).
fn hit_sample(field: &[u8], line: usize) -> Result<(HitSound, &[u8])> {
    let mut sound = HitSound::default();
    // What nearly every hit object has: everything inherited, no file.
    if field == b"0:0:0:0:" {
        return Ok((sound, &[]));
    }
    let mut items = Fields::new(field, b':');
    match items.next().map(<[u8]>::trim_ascii) {
        None | Some([]) => return Ok((sound, &[])),
        Some(normal) => sound.normal_set = bank(normal, "normal sample set", line)?,
    }
    if let Some(s) = items.next() {
        sound.addition_set = bank(s, "addition sample set", line)?;
    }
    if let Some(s) = items.next() {
        sound.custom_index = sample_index(s, line)?;
    }
    if let Some(s) = items.next() {
        sound.volume = volume(s, line)?;
    }
    Ok((sound, items.next().map_or(&[][..], <[u8]>::trim_ascii)))
}

//! `.osu` → `Chart`: the file's sections; timing points and values in `values`, hit objects
//! in `hit_objects`.

mod hit_objects;
mod taiko;
mod values;

use hit_objects::{sort_notes, PendingSlider};
use values::{finite, int, ms};

use std::collections::HashMap;

use super::text::{self, utf8, Fields, Lines};
use super::{column_of, object_order, HEADER, MAX_NUMBER};
use crate::formats::text::{parse_int, round_to_i64, show};
use crate::formats::Content;
use crate::model::{
    Chart, ConversionReport, DecodeLimits, Metadata, Note, TaikoOptions, TimingPoint, MAX_KEYS,
};
use crate::{Error, Format, Result};

/// Version assumed for files without a header (lazer's `LegacyBeatmapDecoder.LATEST_VERSION`).
const LATEST_VERSION: i64 = 14;

/// osu! shifts every time in files of version 4 and older by this much (stable's and lazer's
/// `EARLY_VERSION_TIMING_OFFSET`), to make up for an audio latency those versions had.
const EARLY_VERSION_OFFSET_US: i64 = 24_000;

/// The chart, and into `report` what it could not hold (an osu!taiko map's drumrolls).
pub fn decode(
    bytes: &[u8],
    taiko: &TaikoOptions,
    limits: &DecodeLimits,
    report: &mut ConversionReport,
    content: Content,
) -> Result<Chart> {
    let text = text::to_utf8(bytes)?;
    // Without `[General] SampleSet` osu! plays the normal bank.
    let mut decoder = Decoder {
        default_sample_set: 1,
        limits: *limits,
        taiko: *taiko,
        skip_notes: content == Content::WithoutNotes,
        ..Decoder::default()
    };
    decoder.read(&text)?;
    let (chart, losses) = decoder.finish()?;
    report.append(losses);
    Ok(chart)
}

/// Bytes up to the next line that opens a section (all of `rest` when none does): a `[` with
/// only blanks before it on its line. Hit objects hold no `[` but in rare file names, so this
/// looks at very few places.
fn section_len(rest: &[u8]) -> usize {
    memchr::memchr_iter(b'[', rest)
        .find_map(|i| {
            let start = memchr::memrchr2(b'\n', b'\r', &rest[..i]).map_or(0, |e| e + 1);
            rest[start..i]
                .iter()
                .all(u8::is_ascii_whitespace)
                .then_some(start)
        })
        .unwrap_or(rest.len())
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

#[derive(Default)]
struct Decoder<'a> {
    limits: DecodeLimits,
    taiko: TaikoOptions,
    /// What the chart cannot hold (a taiko map's drumrolls and swells).
    report: ConversionReport,
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
    /// `peek`: `[HitObjects]` is passed over unread.
    skip_notes: bool,
}

impl<'a> Decoder<'a> {
    fn read(&mut self, text: &'a [u8]) -> Result<()> {
        let mut lines = Lines::new(text);
        let mut section = Section::Ignored;
        let mut before_first_line = true;
        loop {
            if section == Section::HitObjects && self.skip_notes {
                lines.pass_over(section_len(lines.rest()));
            } else if section == Section::HitObjects {
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

    fn finish(mut self) -> Result<(Chart, ConversionReport)> {
        if self.mode.is_none() {
            // osu! reads a file without `Mode` as an osu!standard map.
            return Err(not_mania(0));
        }
        let keys = if self.is_taiko() {
            let hits = std::mem::take(&mut self.notes);
            let layout = self.taiko.layout;
            self.notes = taiko::place(hits, layout, &self.limits, &mut self.report)?;
            taiko::KEYS
        } else {
            self.mania_columns()?
        };
        self.timing.sort_by_key(|t| t.time_us);
        self.resolve_sliders()?;
        // A taiko map's columns are ROX's: no file order to keep.
        let object_order = (!self.is_taiko())
            .then(|| object_order::hint(&self.notes))
            .flatten();
        sort_notes(&mut self.notes);
        self.number_keysounds_in_note_order();
        let chart = Chart {
            metadata: self.metadata,
            key_count: keys,
            notes: self.notes,
            timing: self.timing,
            keysounds: self.keysounds,
            extras: Vec::from_iter(object_order.map(|hint| (object_order::KEY.to_owned(), hint))),
            source_format: Some(Format::Osu),
        };
        Ok((chart, self.report))
    }

    /// The key count (`CircleSize`), and each note's column from its x.
    fn mania_columns(&mut self) -> Result<u8> {
        let keys = self.key_count.ok_or_else(|| {
            error(
                self.last_line,
                "[Difficulty] has no CircleSize; a mania chart's key count comes from it",
            )
        })?;
        for (note, &x) in self.notes.iter_mut().zip(&self.xs) {
            note.column = column_of(i64::from(x), keys);
        }
        Ok(keys)
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
        round_to_i64(ms * 1000.0) + self.offset_us
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
                    // Hit objects already read were read as mania ones.
                    taiko::MODE if !self.notes.is_empty() || !self.sliders.is_empty() => {
                        return Err(error(number, "Mode: 1 (taiko) comes after hit objects"))
                    }
                    taiko::MODE | 3 => {}
                    0 | 2 => return Err(not_mania(mode as i32)),
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
            // A taiko map's columns do not depend on it.
            b"CircleSize" if self.is_taiko() => {}
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
}

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

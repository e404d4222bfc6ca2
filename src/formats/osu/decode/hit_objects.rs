//! `[HitObjects]`: notes, holds, sliders (which become holds) and spinners.

use super::text::{utf8, Fields};
use super::values::{hit_sample, int, required};
use super::{error, Decoder, MAX_NUMBER};
use crate::formats::text::{leading_digits, parse_f64, round_to_i64, show};
use crate::model::{HitSound, Note, NoteKind, TimingKind};
use crate::Result;

// Hit object type bits.
const CIRCLE: i64 = 1;
const SLIDER: i64 = 2;
const SPINNER: i64 = 8;
const HOLD: i64 = 128;

/// Largest coordinate or slider length osu! accepts (lazer's `Parsing.MAX_COORDINATE_VALUE`).
const MAX_COORDINATE: f64 = 131_072.0;

/// A slider in a mania map becomes a hold (as in osu!'s own conversion); its end depends on the
/// tempo and scroll speed at its start, known only once all timing points are read.
pub(super) struct PendingSlider {
    line: usize,
    note: usize,
    start_ms: f64,
    length: f64,
    spans: f64,
}

impl<'a> Decoder<'a> {
    /// `x,y,time,type,hitSound,objectParams...,hitSample`.
    pub(super) fn hit_object(&mut self, line: &'a [u8], number: usize) -> Result<()> {
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

        if self.is_taiko() && kind & CIRCLE == 0 && kind & (SLIDER | SPINNER | HOLD) != 0 {
            self.drop_roll(kind & SLIDER != 0, time_us);
            return Ok(());
        }
        let mut end_us = time_us;
        let mut sample = None;
        if kind & CIRCLE != 0 {
            sample = f.next();
        } else if kind & SLIDER != 0 {
            self.slider(&mut f, time_us, number, &mut sound)?;
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
        self.push_note(x.clamp(0.0, 511.0) as u16, time_us, end_us, sound, keysound)
    }

    /// The parameters of a slider at `time_us`: its end is computed once the timing is known
    /// (see `resolve_sliders`); its sample banks go to `sound`.
    fn slider(
        &mut self,
        f: &mut Fields,
        time_us: i64,
        number: usize,
        sound: &mut HitSound,
    ) -> Result<()> {
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
        Ok(())
    }

    /// The usual mania line, `x,y,time,1,hitSound,0:0:0:0:` (type 5 too) or
    /// `x,y,time,128,hitSound,end:0:0:0:0:`, with whole numbers and nothing else: read straight
    /// from the text, skipping the line splitting and general parsing that would otherwise take
    /// most of the decoding time. Returns the bytes taken (line break included) after adding the
    /// note, or `None` to leave the line to `hit_object`, which reads it the same way.
    pub(super) fn plain_hit_object(&mut self, text: &[u8]) -> Option<usize> {
        // Taiko maps are small, and their holds are swells: the general path reads them.
        if self.is_taiko() {
            return None;
        }
        let mut taken = 0;
        // A whole number of up to 9 digits and the separator after it, read in one step.
        let mut number = |separator: u8| {
            let (value, len, next) = leading_digits(text, taken)?;
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
        // Past a decode limit: `hit_object` reads the line again and says so.
        self.push_note(x.min(511) as u16, time_us, end_us, sound, None)
            .ok()?;
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
    ) -> Result<()> {
        self.limits.check_notes(self.notes.len() + 1)?;
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
        Ok(())
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
    pub(super) fn resolve_sliders(&mut self) -> Result<()> {
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
            let end_us = round_to_i64(end_ms * 1000.0);
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
pub(super) fn sort_notes(notes: &mut [Note]) {
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

//! `[TimingPoints]` lines, and the values of fields that several sections share.

use super::text::Fields;
use super::{error, Decoder, MAX_NUMBER};
use crate::formats::text::{parse_f64, parse_int, show};
use crate::model::{HitSound, TimingKind, TimingPoint};
use crate::Result;

impl Decoder<'_> {
    /// `time,beatLength,meter,sampleSet,sampleIndex,volume,uninherited,effects`; every field after
    /// the beat length is optional.
    pub(super) fn timing_point(&mut self, line: &[u8], number: usize) -> Result<()> {
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

        let kind = timing_kind(beat_length, red, meter, number)?;
        self.limits.check_timing_points(self.timing.len() + 1)?;
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
}

/// A red line's tempo or a green line's scroll speed, from the beat length.
fn timing_kind(beat_length: f64, red: bool, meter: u32, number: usize) -> Result<TimingKind> {
    Ok(if red {
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
    })
}

/// A time in ms as written, within the ±2^31 ms osu! accepts.
pub(super) fn ms(field: &[u8], what: &str, line: usize) -> Result<f64> {
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

pub(super) fn required<'f>(f: &mut Fields<'f>, what: &str, line: usize) -> Result<&'f [u8]> {
    f.next()
        .ok_or_else(|| error(line, format!("{what} is missing")))
}

/// An integer field within osu!'s ±2^31 range.
pub(super) fn int(field: &[u8], what: &str, line: usize) -> Result<i64> {
    parse_int(field)
        .filter(|v| v.unsigned_abs() <= i32::MAX as u64)
        .ok_or_else(|| {
            error(
                line,
                format!("{what} {:?} is not an integer within ±2^31", show(field)),
            )
        })
}

pub(super) fn finite(field: &[u8], what: &str, line: usize) -> Result<f64> {
    parse_f64(field).filter(|v| v.is_finite()).ok_or_else(|| {
        error(
            line,
            format!("{what} {:?} is not a finite number", show(field)),
        )
    })
}

/// A sample bank: 0 inherit, 1 normal, 2 soft, 3 drum.
pub(super) fn bank(field: &[u8], what: &str, line: usize) -> Result<u8> {
    match int(field, what, line)? {
        b @ 0..=3 => Ok(b as u8),
        b => Err(error(
            line,
            format!("{what} {b} is not a sample bank (0 to 3)"),
        )),
    }
}

pub(super) fn sample_index(field: &[u8], line: usize) -> Result<u32> {
    u32::try_from(int(field, "custom sample index", line)?)
        .map_err(|_| error(line, "custom sample index must not be negative"))
}

/// Volumes outside 0..=100 are clamped, as osu! does.
pub(super) fn volume(field: &[u8], line: usize) -> Result<u8> {
    Ok(int(field, "volume", line)?.clamp(0, 100) as u8)
}

/// `normalSet:additionSet:index:volume:filename`, every item optional. Returns the sound
/// (without flags) and the file name (empty when none).
pub(super) fn hit_sample(field: &[u8], line: usize) -> Result<(HitSound, &[u8])> {
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

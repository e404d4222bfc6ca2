//! `.rox.json` text → chart, by the schema of docs/json-format.md. Counts are checked against
//! the limits as elements arrive, before each is stored.

use super::member::{METADATA, META_TEXT_FIELDS, NOTE, SOUND, TIMING, TOP};
use super::read::Parser;
use super::{FORMAT_NAME, VERSION};
use crate::model::{
    DecodeLimits, HitSound, MetaField, Metadata, Note, NoteKind, TimingKind, TimingPoint,
    TimingTag, STRING_COST,
};
use crate::{Chart, Error, Format, Result};

pub(super) fn read(bytes: &[u8], limits: &DecodeLimits) -> Result<Chart> {
    let mut p = Parser::new(bytes)?;
    let mut reader = ChartReader {
        chart: Chart::default(),
        limits,
        text_bytes: 0,
    };
    let seen = p.object(TOP, |p, member| reader.top_member(p, member))?;
    p.require(seen, TOP, &(0..TOP.len()).collect::<Vec<_>>())?;
    p.finish()?;
    let chart = reader.chart;
    if let Some(issue) = chart.validate().into_iter().find(|i| i.kind.is_fatal()) {
        return Err(Error::Corrupt(format!(
            "the decoded chart is invalid: {issue}"
        )));
    }
    limits.check_chart(&chart)?;
    Ok(chart)
}

struct ChartReader<'l> {
    chart: Chart,
    limits: &'l DecodeLimits,
    /// Text read so far, as [`DecodeLimits::max_text_bytes`] counts it.
    text_bytes: u64,
}

impl ChartReader<'_> {
    /// A string that counts against the text limit.
    fn text(&mut self, p: &mut Parser) -> Result<String> {
        let s = p.string()?;
        self.text_bytes += s.len() as u64 + STRING_COST;
        self.limits.check_text(self.text_bytes)?;
        Ok(s.into_owned())
    }

    fn top_member(&mut self, p: &mut Parser, member: usize) -> Result<()> {
        match TOP[member] {
            "format" => {
                if p.string()? != FORMAT_NAME {
                    return Err(p.error(format!("\"format\" is not \"{FORMAT_NAME}\"")));
                }
            }
            "version" => {
                let version: u32 = p.integer()?;
                if version == 0 || version > VERSION {
                    return Err(Error::UnsupportedVersion {
                        found: u16::try_from(version).unwrap_or(u16::MAX),
                        supported: VERSION as u16,
                    });
                }
            }
            "source_format" => {
                self.chart.source_format = p.nullable(|p| {
                    let name = p.string()?;
                    Format::from_name(&name)
                        .filter(|f| f.is_source())
                        .ok_or_else(|| p.error(format!("\"{name}\" is not a source format")))
                })?
            }
            "key_count" => self.chart.key_count = p.integer()?,
            "metadata" => self.metadata(p)?,
            "keysounds" => p.array(|p| {
                let name = self.text(p)?;
                self.chart.keysounds.push(name);
                Ok(())
            })?,
            "extras" => p.array(|p| self.extra(p))?,
            "timing" => p.array(|p| {
                self.limits
                    .check_timing_points(self.chart.timing.len() + 1)?;
                let point = timing_point(p)?;
                self.chart.timing.push(point);
                Ok(())
            })?,
            _ => p.array(|p| {
                self.limits.check_notes(self.chart.notes.len() + 1)?;
                let note = note(p)?;
                self.chart.notes.push(note);
                Ok(())
            })?,
        }
        Ok(())
    }

    /// `[key, value]`.
    fn extra(&mut self, p: &mut Parser) -> Result<()> {
        let mut pair = Vec::with_capacity(2);
        p.array(|p| {
            if pair.len() == 2 {
                return Err(p.error("an extra is [key, value], two strings"));
            }
            pair.push(self.text(p)?);
            Ok(())
        })?;
        let [key, value]: [String; 2] = pair
            .try_into()
            .map_err(|_| p.error("an extra is [key, value], two strings"))?;
        self.chart.extras.push((key, value));
        Ok(())
    }

    fn metadata(&mut self, p: &mut Parser) -> Result<()> {
        let mut m = Metadata::default();
        let seen = p.object(METADATA, |p, member| {
            if member < META_TEXT_FIELDS {
                *MetaField::ALL[member].get_mut(&mut m) = self.text(p)?;
                return Ok(());
            }
            match METADATA[member] {
                "difficulty_level" => m.difficulty_level = p.nullable(Parser::f64)?,
                "preview_time_us" => m.preview_time_us = p.nullable(Parser::integer)?,
                "chart_id" => m.chart_id = p.nullable(Parser::integer)?,
                "set_id" => m.set_id = p.nullable(Parser::integer)?,
                "hp_drain" => m.hp_drain = p.nullable(Parser::f64)?,
                "overall_difficulty" => m.overall_difficulty = p.nullable(Parser::f64)?,
                _ => m.has_scratch = p.bool()?,
            }
            Ok(())
        })?;
        p.require(seen, METADATA, &(0..METADATA.len()).collect::<Vec<_>>())?;
        self.chart.metadata = m;
        Ok(())
    }
}

fn timing_point(p: &mut Parser) -> Result<TimingPoint> {
    let mut point = TimingPoint::new(0, TimingKind::Scroll { multiplier: 1.0 });
    let mut tag = None;
    let (mut float, mut meter, mut duration) = (0.0, 0, 0);
    let seen = p.object(TIMING, |p, member| {
        match TIMING[member] {
            "time_us" => point.time_us = p.integer()?,
            "kind" => {
                let name = p.string()?;
                tag = Some(
                    TimingTag::ALL
                        .into_iter()
                        .find(|t| t.name() == name)
                        .ok_or_else(|| p.error(format!("unknown timing kind \"{name}\"")))?,
                );
            }
            "bpm" | "multiplier" | "beats" => float = p.f64()?,
            "meter" => meter = p.integer()?,
            "duration_us" => duration = p.integer()?,
            "sample_set" => point.sample_set = p.integer()?,
            "sample_index" => point.sample_index = p.integer()?,
            "volume" => point.volume = p.integer()?,
            _ => point.effects = p.integer()?,
        }
        Ok(())
    })?;
    let tag = tag.ok_or_else(|| p.error("member \"kind\" is missing"))?;
    // The members every point has, and exactly the values its kind has.
    let values: &[usize] = match tag {
        TimingTag::Bpm => &[2, 3],
        TimingTag::Scroll => &[4],
        TimingTag::Stop | TimingTag::Delay => &[5],
        TimingTag::Warp => &[6],
    };
    let common = [0, 1, 7, 8, 9, 10];
    p.require(seen, TIMING, &common)?;
    p.require(seen, TIMING, values)?;
    let expected = common.iter().chain(values).fold(0u64, |m, i| m | 1 << i);
    if seen != expected {
        let stray = (0..TIMING.len()).find(|i| seen & !expected & (1 << i) != 0);
        let name = TIMING[stray.expect("a member beyond those expected")];
        return Err(p.error(format!("a {} point has no \"{name}\"", tag.name())));
    }
    point.kind = match tag {
        TimingTag::Bpm => TimingKind::Bpm { bpm: float, meter },
        TimingTag::Scroll => TimingKind::Scroll { multiplier: float },
        TimingTag::Stop => TimingKind::Stop {
            duration_us: duration,
        },
        TimingTag::Delay => TimingKind::Delay {
            duration_us: duration,
        },
        TimingTag::Warp => TimingKind::Warp { beats: float },
    };
    Ok(point)
}

fn note(p: &mut Parser) -> Result<Note> {
    let mut note = Note::default();
    let seen = p.object(NOTE, |p, member| {
        match NOTE[member] {
            "time_us" => note.time_us = p.integer()?,
            "column" => note.column = p.integer()?,
            "kind" => {
                let name = p.string()?;
                note.kind = NoteKind::ALL
                    .into_iter()
                    .find(|k| k.name() == name)
                    .ok_or_else(|| p.error(format!("unknown note kind \"{name}\"")))?;
            }
            "duration_us" => note.duration_us = p.integer()?,
            "sound" => note.sound = sound(p)?,
            _ => note.keysound = Some(p.integer()?),
        }
        Ok(())
    })?;
    p.require(seen, NOTE, &[0, 1, 2])?;
    Ok(note)
}

fn sound(p: &mut Parser) -> Result<HitSound> {
    let mut s = HitSound::default();
    let seen = p.object(SOUND, |p, member| {
        match SOUND[member] {
            "flags" => s.flags = p.integer()?,
            "normal_set" => s.normal_set = p.integer()?,
            "addition_set" => s.addition_set = p.integer()?,
            "volume" => s.volume = p.integer()?,
            _ => s.custom_index = p.integer()?,
        }
        Ok(())
    })?;
    p.require(seen, SOUND, &[0, 1, 2, 3, 4])?;
    Ok(s)
}

//! The members of a bmson file that ROX reads, as the file gives them (pulses, lanes), read
//! by any member name: a member ROX does not read is passed over (checked as JSON), so files
//! of newer players' extensions still read.

use std::borrow::Cow;

use super::layout::Layout;
use crate::formats::json::read::Parser;
use crate::model::{string_cost, DecodeLimits};
use crate::Result;

/// The `info` object. Text fields ROX has no model field for keep their member name.
#[derive(Default)]
pub struct Info<'a> {
    pub text: Vec<(&'static str, Cow<'a, str>)>,
    pub subartists: Vec<Cow<'a, str>>,
    pub layout: Option<Layout>,
    pub level: Option<f64>,
    pub init_bpm: Option<f64>,
    /// Pulses per beat; 0 when not given.
    pub resolution: u64,
    /// Numbers kept as extras (`judge_rank`, `total`, `ln_type`).
    pub numbers: Vec<(&'static str, f64)>,
}

/// Text members of `info`, read as text.
const INFO_TEXT: [&str; 11] = [
    "title",
    "subtitle",
    "artist",
    "genre",
    "chart_name",
    "back_image",
    "eyecatch_image",
    "title_image",
    "banner_image",
    "preview_music",
    "mode_hint",
];

/// Number members of `info` kept as extras.
const INFO_NUMBERS: [&str; 3] = ["judge_rank", "total", "ln_type"];

/// One note of a sound, mine or invisible-key channel.
#[derive(Clone, Copy, Debug, Default)]
pub struct RawNote {
    /// The lane; 0 for a BGM note (`x` 0 or null).
    pub x: u32,
    /// Pulse.
    pub y: u64,
    /// Length in pulses (0: not a long note).
    pub l: u64,
    /// Continuation: the channel's sound goes on from the note before instead of restarting.
    pub c: bool,
}

pub struct Channel<'a> {
    pub name: Cow<'a, str>,
    pub notes: Vec<RawNote>,
}

/// What a bmson file says, in source order.
#[derive(Default)]
pub struct Source<'a> {
    pub version: Option<Cow<'a, str>>,
    pub info: Option<Info<'a>>,
    pub lines: Option<Vec<u64>>,
    /// (pulse, bpm).
    pub bpm_events: Vec<(u64, f64)>,
    /// (pulse, duration in pulses).
    pub stop_events: Vec<(u64, u64)>,
    /// (pulse, rate): beatoraja's scroll speed changes.
    pub scroll_events: Vec<(u64, f64)>,
    pub sound_channels: Vec<Channel<'a>>,
    /// beatoraja's mines and invisible notes.
    pub mine_channels: Vec<Channel<'a>>,
    pub key_channels: Vec<Channel<'a>>,
    /// Whether the file has BGA pictures or events (not kept).
    pub has_bga: bool,
}

/// Counts what is read against the decode limits as it is read.
struct Budget<'l> {
    limits: &'l DecodeLimits,
    notes: usize,
    timing: usize,
    text: u64,
}

impl Budget<'_> {
    fn note(&mut self) -> Result<()> {
        self.notes += 1;
        self.limits.check_notes(self.notes)
    }

    fn timing(&mut self) -> Result<()> {
        self.timing += 1;
        self.limits.check_timing_points(self.timing)
    }

    fn text(&mut self, text: &str) -> Result<()> {
        self.text += string_cost([text]);
        self.limits.check_text(self.text)
    }
}

/// The parser of a bmson file: UTF-8 JSON (a byte-order mark is passed over).
pub fn parser(bytes: &[u8]) -> Result<Parser<'_>> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    Parser::for_format(bytes, "bmson")
}

/// Reads the whole file within `limits` (notes, timing events and text counted as read).
pub fn source<'a>(bytes: &'a [u8], limits: &DecodeLimits) -> Result<Source<'a>> {
    let mut p = parser(bytes)?;
    let mut source = Source::default();
    let mut budget = Budget {
        limits,
        notes: 0,
        timing: 0,
        text: 0,
    };
    p.any_object(|p, name| top_member(p, name, &mut source, &mut budget))?;
    p.finish()?;
    Ok(source)
}

fn top_member<'a>(
    p: &mut Parser<'a>,
    name: &str,
    s: &mut Source<'a>,
    budget: &mut Budget,
) -> Result<()> {
    match name {
        "version" => s.version = p.nullable(Parser::string)?,
        "info" => s.info = Some(info(p, budget)?),
        "lines" => {
            s.lines = p.nullable(|p| {
                let mut lines = Vec::new();
                p.array(|p| {
                    budget.timing()?;
                    // A bar line has its `y` only.
                    lines.push(event(p, "", |p| p.raw_value().map(drop))?.0);
                    Ok(())
                })?;
                Ok(lines)
            })?
        }
        "bpm_events" => events(p, "bpm", |p| p.number(), &mut s.bpm_events, budget)?,
        "stop_events" => events(p, "duration", |p| p.integer(), &mut s.stop_events, budget)?,
        "scroll_events" => events(p, "rate", |p| p.number(), &mut s.scroll_events, budget)?,
        "sound_channels" => channels(p, &mut s.sound_channels, budget)?,
        "mine_channels" => channels(p, &mut s.mine_channels, budget)?,
        "key_channels" => channels(p, &mut s.key_channels, budget)?,
        "bga" => bga(p, &mut s.has_bga)?,
        _ => {
            p.raw_value()?;
        }
    }
    Ok(())
}

/// Passes over the `bga` object, noting whether any of its lists holds something.
fn bga(p: &mut Parser, has_bga: &mut bool) -> Result<()> {
    p.nullable(|p| {
        p.any_object(|p, _| match p.peek() {
            Some(b'[') => p.array(|p| {
                *has_bga = true;
                p.raw_value().map(drop)
            }),
            _ => p.raw_value().map(drop),
        })
    })
    .map(drop)
}

fn info<'a>(p: &mut Parser<'a>, budget: &mut Budget) -> Result<Info<'a>> {
    let mut info = Info::default();
    p.any_object(|p, name| {
        if let Some(&field) = INFO_TEXT.iter().find(|&&f| f == name) {
            if let Some(text) = p.nullable(Parser::string)? {
                budget.text(&text)?;
                if field == "mode_hint" {
                    info.layout = Some(Layout::from_mode_hint(&text, |m| p.error(m))?);
                }
                info.text.push((field, text));
            }
            return Ok(());
        }
        if let Some(&field) = INFO_NUMBERS.iter().find(|&&f| f == name) {
            if let Some(number) = p.nullable(Parser::number)? {
                info.numbers.push((field, number));
            }
            return Ok(());
        }
        match name {
            "subartists" => p
                .nullable(|p| {
                    p.array(|p| {
                        let artist = p.string()?;
                        budget.text(&artist)?;
                        info.subartists.push(artist);
                        Ok(())
                    })
                })
                .map(drop),
            "level" => p.nullable(Parser::number).map(|l| info.level = l),
            "init_bpm" => p.nullable(Parser::number).map(|b| info.init_bpm = b),
            // Negative means its absolute value; 0 or null the default (the spec).
            "resolution" => p
                .nullable(|p| p.integer::<i64>())
                .map(|r| info.resolution = r.map_or(0, i64::unsigned_abs)),
            _ => p.raw_value().map(drop),
        }
    })?;
    Ok(info)
}

/// An event object: its `y` and the member `value` (`None` when missing).
fn event<T>(
    p: &mut Parser,
    value: &str,
    mut read: impl FnMut(&mut Parser) -> Result<T>,
) -> Result<(u64, Option<T>)> {
    let (mut y, mut found) = (None, None);
    p.any_object(|p, name| {
        if name == "y" {
            y = Some(p.integer()?);
        } else if name == value {
            found = Some(read(p)?);
        } else {
            p.raw_value()?;
        }
        Ok(())
    })?;
    match y {
        Some(y) => Ok((y, found)),
        None => Err(p.error("an event without \"y\"")),
    }
}

/// An array of events with a `y` and a `value` member (both required).
fn events<T>(
    p: &mut Parser,
    value: &str,
    mut read: impl FnMut(&mut Parser) -> Result<T>,
    out: &mut Vec<(u64, T)>,
    budget: &mut Budget,
) -> Result<()> {
    p.nullable(|p| {
        p.array(|p| {
            budget.timing()?;
            match event(p, value, &mut read)? {
                (y, Some(v)) => {
                    out.push((y, v));
                    Ok(())
                }
                _ => Err(p.error(format!("an event without \"{value}\""))),
            }
        })
    })
    .map(drop)
}

fn channels<'a>(p: &mut Parser<'a>, out: &mut Vec<Channel<'a>>, budget: &mut Budget) -> Result<()> {
    p.nullable(|p| {
        p.array(|p| {
            let mut channel = Channel {
                name: Cow::Borrowed(""),
                notes: Vec::new(),
            };
            p.any_object(|p, name| match name {
                "name" => {
                    channel.name = p.string()?;
                    budget.text(&channel.name)
                }
                "notes" => p.array(|p| {
                    budget.note()?;
                    channel.notes.push(note(p)?);
                    Ok(())
                }),
                _ => p.raw_value().map(drop),
            })?;
            out.push(channel);
            Ok(())
        })
    })
    .map(drop)
}

fn note(p: &mut Parser) -> Result<RawNote> {
    let mut note = RawNote::default();
    let mut has_y = false;
    p.any_object(|p, name| {
        match name {
            "x" => note.x = p.nullable(|p| p.integer())?.unwrap_or(0),
            "y" => (note.y, has_y) = (p.integer()?, true),
            "l" => note.l = p.nullable(|p| p.integer())?.unwrap_or(0),
            "c" => note.c = p.nullable(Parser::bool)?.unwrap_or(false),
            _ => drop(p.raw_value()?),
        }
        Ok(())
    })?;
    if has_y {
        Ok(note)
    } else {
        Err(p.error("a note without \"y\""))
    }
}

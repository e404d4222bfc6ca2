//! FNF JSON → [`FileContent`]: what the files say, in their units, before it becomes charts.
//! Members are read in any order (a section's `mustHitSection` may follow its notes); values
//! the model has no place for are passed over, their JSON checked and nested at most as deep
//! as the shared reader allows.

use super::{ms_to_us, FORMAT_NAME};
use crate::formats::json::read::Parser;
use crate::model::DecodeLimits;
use crate::Result;

/// One note, lanes numbered as V-Slice does: 0–3 the player's, 4–7 the opponent's (a
/// legacy note once [`RawNote::lane`] has been turned by its section's focus).
#[derive(Clone, Copy, Debug)]
pub(super) struct RawNote<'a> {
    pub time_us: i64,
    /// 0 for a tap.
    pub length_us: i64,
    /// As the file has it.
    pub lane: u8,
    /// Listed in a legacy section about the opponent (`mustHitSection` false), where lanes
    /// 0–3 are the opponent's, unless the song is Psych 1.0's (lanes fixed to their sides).
    pub opponent_focus: bool,
    /// The note type as JSON text (Psych's 4th element, V-Slice's `k`), when it has one.
    pub kind: Option<&'a str>,
}

/// One section of a legacy song, as the games time it.
#[derive(Clone, Copy, Debug)]
pub(super) struct Section {
    /// Whole steps (sixteenth notes).
    pub steps: f64,
    /// The tempo from this section on, when it changes it (`changeBPM`).
    pub bpm_change: Option<f64>,
    pub must_hit: bool,
}

/// A V-Slice `timeChanges` entry.
#[derive(Clone, Copy, Debug)]
pub(super) struct TimeChange {
    pub time_us: i64,
    pub bpm: f64,
    pub meter: u32,
}

/// One difficulty of a V-Slice chart file.
#[derive(Debug, Default)]
pub(super) struct Difficulty<'a> {
    pub name: String,
    pub notes: Vec<RawNote<'a>>,
}

/// What one file (or a V-Slice chart and its metadata) holds.
#[derive(Debug, Default)]
pub(super) struct FileContent<'a> {
    pub title: Option<String>,
    pub artist: Option<String>,
    pub charter: Option<String>,
    /// `song.bpm`: the tempo of the first section.
    pub bpm: Option<f64>,
    pub sections: Vec<Section>,
    /// A legacy song's notes, lanes as the file has them.
    pub notes: Vec<RawNote<'a>>,
    /// A V-Slice chart's notes, one list per difficulty.
    pub difficulties: Vec<Difficulty<'a>>,
    /// V-Slice `scrollSpeed`: (difficulty, speed as JSON text).
    pub scroll_speeds: Vec<(String, &'a str)>,
    pub time_changes: Vec<TimeChange>,
    pub has_time_changes: bool,
    /// The `events` array, as JSON text.
    pub events: Option<&'a str>,
    /// The song's other members (name, JSON text), in file order.
    pub song_members: Vec<(String, &'a str)>,
    /// Top-level members of no known meaning: a Psych 1.0 song's own members (it has no `song`
    /// object), or a V-Slice file's (`version`, `playData`…).
    pub top_members: Vec<(String, &'a str)>,
    /// Notes read, in all lists together (for the limit).
    pub note_count: usize,
    /// Psych 0.4 events written as notes of lane -1.
    pub section_events: usize,
    /// Notes of lanes past 7 (extra-key mods).
    pub unplayable_lanes: usize,
    /// Names of members passed over ("section member altAnim"), each once, at most
    /// `MAX_PASSED_OVER` of them.
    pub passed_over: Vec<String>,
}

/// How many names of passed-over members are listed (a hostile file may invent thousands).
const MAX_PASSED_OVER: usize = 32;

impl<'a> FileContent<'a> {
    fn pass_over(&mut self, p: &mut Parser<'a>, what: &str, name: &str) -> Result<()> {
        let label = format!("{what} \"{name}\"");
        if self.passed_over.len() < MAX_PASSED_OVER && !self.passed_over.contains(&label) {
            self.passed_over.push(label);
        }
        p.raw_value().map(drop)
    }
}

/// Reads one file into `content` (a second file adds to it). What follows the top-level
/// object is not read: old charts have garbage after their last `}`.
pub(super) fn file<'a>(
    bytes: &'a [u8],
    limits: &DecodeLimits,
    content: &mut FileContent<'a>,
) -> Result<()> {
    let mut p = parser(bytes)?;
    if p.peek() != Some(b'{') {
        return Err(p.error("expected a JSON object (a Friday Night Funkin' chart)"));
    }
    p.any_object(|p, name| top_member(p, name, content, limits))
}

fn parser(bytes: &[u8]) -> Result<Parser<'_>> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    Parser::for_format(bytes, FORMAT_NAME)
}

/// Whether `bytes` are a JSON object that only an FNF file would be: a `song` object with
/// `notes`, top-level `notes` beside `version`, `scrollSpeed`, `bpm`, `format` or `song`, or
/// `timeChanges`. Reading stops as soon as it is known.
pub(super) fn is_fnf(bytes: &[u8]) -> bool {
    let Ok(mut p) = parser(bytes) else {
        return false;
    };
    if p.peek() != Some(b'{') {
        return false;
    }
    let (mut found, mut notes, mut companion) = (false, false, false);
    // An error ends the reading: the answer is known, or the text is no JSON object.
    let _ = p.any_object(|p, name| {
        if name == "song" && p.peek() == Some(b'{') {
            return p.any_object(|p, inner| {
                found = inner == "notes";
                if found {
                    return Err(p.error("known"));
                }
                p.raw_value().map(drop)
            });
        }
        match name {
            "timeChanges" => found = true,
            "notes" => (notes, found) = (true, companion),
            "version" | "scrollSpeed" | "bpm" | "format" | "song" => {
                (companion, found) = (true, notes);
            }
            _ => {}
        }
        if found {
            return Err(p.error("known"));
        }
        p.raw_value().map(drop)
    });
    found
}

fn top_member<'a>(
    p: &mut Parser<'a>,
    name: &str,
    c: &mut FileContent<'a>,
    limits: &DecodeLimits,
) -> Result<()> {
    let is_object = p.peek() == Some(b'{');
    match name {
        "song" if is_object => p.any_object(|p, name| song_member(p, name, c, limits)),
        "notes" if is_object => p.any_object(|p, name| {
            let mut notes = Vec::new();
            p.array(|p| vslice_note(p, c, &mut notes, limits))?;
            c.difficulties.push(Difficulty {
                name: name.to_owned(),
                notes,
            });
            Ok(())
        }),
        "scrollSpeed" if is_object => p.any_object(|p, name| {
            let speed = p.raw_value()?;
            c.scroll_speeds.push((name.to_owned(), speed));
            Ok(())
        }),
        "timeChanges" => {
            c.has_time_changes = true;
            p.array(|p| time_change(p, c, limits))
        }
        "songName" => text(p, &mut c.title),
        "artist" => text(p, &mut c.artist),
        "charter" => text(p, &mut c.charter),
        // A Psych 1.0 song has no `song` object: its members are at the top.
        "song" | "bpm" | "notes" | "events" => song_member(p, name, c, limits),
        _ => {
            let value = p.raw_value()?;
            c.top_members.push((name.to_owned(), value));
            Ok(())
        }
    }
}

fn text(p: &mut Parser<'_>, field: &mut Option<String>) -> Result<()> {
    *field = p.nullable(|p| p.string().map(|s| s.into_owned()))?;
    Ok(())
}

fn song_member<'a>(
    p: &mut Parser<'a>,
    name: &str,
    c: &mut FileContent<'a>,
    limits: &DecodeLimits,
) -> Result<()> {
    match name {
        "song" => text(p, &mut c.title),
        "bpm" => {
            c.bpm = Some(p.number()?);
            Ok(())
        }
        "notes" => {
            // Each section note is an array: their count bounds the notes, and reserving it
            // spares regrowing (and first touching twice) a vector of tens of thousands.
            let arrays = memchr::memchr_iter(b'[', p.rest()).count();
            c.notes.reserve(arrays.min(limits.max_notes as usize));
            p.array(|p| section(p, c, limits))
        }
        "events" => {
            c.events = Some(p.raw_value()?);
            Ok(())
        }
        _ => {
            let value = p.raw_value()?;
            c.song_members.push((name.to_owned(), value));
            Ok(())
        }
    }
}

/// The largest section length read, in steps (a hostile length must not make a time
/// overflow; a real section has 16).
const MAX_SECTION_STEPS: f64 = 1e6;

fn section<'a>(p: &mut Parser<'a>, c: &mut FileContent<'a>, limits: &DecodeLimits) -> Result<()> {
    let first_note = c.notes.len();
    let (mut must_hit, mut change_bpm) = (false, false);
    let (mut steps, mut beats, mut bpm) = (None, None, None);
    p.any_object(|p, name| {
        match name {
            "sectionNotes" => p.array(|p| section_note(p, c, limits))?,
            "mustHitSection" => must_hit = p.nullable(Parser::bool)?.unwrap_or(false),
            "changeBPM" => change_bpm = p.nullable(Parser::bool)?.unwrap_or(false),
            "lengthInSteps" => steps = Some(p.number()?),
            "sectionBeats" => beats = Some(p.number()?),
            "bpm" => bpm = Some(p.number()?),
            other => c.pass_over(p, "section member", other)?,
        }
        Ok(())
    })?;
    // Psych reads `sectionBeats` (rounding its steps), the base game `lengthInSteps`.
    let steps = beats.map_or(steps.unwrap_or(16.0), |b| b * 4.0).round();
    if !(0.0..=MAX_SECTION_STEPS).contains(&steps) {
        return Err(p.error(format!("a section of {steps} steps")));
    }
    for note in &mut c.notes[first_note..] {
        note.opponent_focus = !must_hit;
    }
    c.sections.push(Section {
        steps,
        bpm_change: bpm.filter(|_| change_bpm),
        must_hit,
    });
    Ok(())
}

/// `[time ms, lane, sustain ms, type?]`; a lane of -1 is a Psych 0.4 event, not a note.
fn section_note<'a>(
    p: &mut Parser<'a>,
    c: &mut FileContent<'a>,
    limits: &DecodeLimits,
) -> Result<()> {
    // Each field's JSON text, and its value when it is a number.
    let mut fields = [("", None); 4];
    let mut count = 0;
    p.array(|p| {
        let field = p.maybe_number()?;
        if let Some(slot) = fields.get_mut(count) {
            *slot = field;
        }
        count += 1;
        Ok(())
    })?;
    if count < 2 {
        return Err(p.error("a section note is [time, lane, sustain, type?]"));
    }
    let lane = number(p, fields[1], "lane")?;
    if lane < 0.0 {
        c.section_events += 1;
        return Ok(());
    }
    let time = number(p, fields[0], "time")?;
    let length = if count > 2 {
        number(p, fields[2], "sustain length")?
    } else {
        0.0
    };
    let kind = Some(fields[3].0).filter(|k| !matches!(*k, "" | "null" | "\"\""));
    if let Some(note) = admit(c, note(p, time, lane, length, kind)?, limits)? {
        c.notes.push(note);
    }
    Ok(())
}

/// A V-Slice note: `{"t": ms, "d": lane, "l": ms, "k": kind}`.
fn vslice_note<'a>(
    p: &mut Parser<'a>,
    c: &mut FileContent<'a>,
    notes: &mut Vec<RawNote<'a>>,
    limits: &DecodeLimits,
) -> Result<()> {
    let (mut time, mut lane, mut length, mut kind) = (None, None, 0.0, None);
    p.any_object(|p, name| {
        match name {
            "t" => time = Some(p.number()?),
            "d" => lane = Some(p.number()?),
            "l" => length = p.nullable(Parser::number)?.unwrap_or(0.0),
            "k" => kind = Some(p.raw_value()?).filter(|k| !matches!(*k, "null" | "\"\"")),
            other => c.pass_over(p, "note member", other)?,
        }
        Ok(())
    })?;
    let (Some(time), Some(lane)) = (time, lane) else {
        return Err(p.error("a V-Slice note needs \"t\" and \"d\""));
    };
    if let Some(note) = admit(c, note(p, time, lane, length, kind)?, limits)? {
        notes.push(note);
    }
    Ok(())
}

/// A note of a playable lane (0–7), counted against the limit; the others are counted apart.
fn admit<'a>(
    c: &mut FileContent<'a>,
    note: Option<RawNote<'a>>,
    limits: &DecodeLimits,
) -> Result<Option<RawNote<'a>>> {
    match note {
        Some(_) => {
            c.note_count += 1;
            limits.check_notes(c.note_count)?;
        }
        None => c.unplayable_lanes += 1,
    }
    Ok(note)
}

/// A note from the file's numbers; `None` for a lane past 7.
fn note<'a>(
    p: &Parser<'a>,
    time_ms: f64,
    lane: f64,
    length_ms: f64,
    kind: Option<&'a str>,
) -> Result<Option<RawNote<'a>>> {
    if lane.fract() != 0.0 || lane < 0.0 {
        return Err(p.error(format!("lane {lane} is not a lane number")));
    }
    if lane >= 8.0 {
        return Ok(None);
    }
    let time_us = ms_to_us(time_ms).ok_or_else(|| p.error(format!("time {time_ms} ms")))?;
    let length_us = ms_to_us(length_ms.max(0.0))
        .ok_or_else(|| p.error(format!("sustain length {length_ms} ms")))?;
    Ok(Some(RawNote {
        time_us,
        length_us,
        lane: lane as u8,
        opponent_focus: false,
        kind,
    }))
}

/// A field read by [`Parser::maybe_number`] as a finite number; an error naming `what`
/// otherwise.
fn number(p: &Parser<'_>, (text, value): (&str, Option<f64>), what: &str) -> Result<f64> {
    value.filter(|v| v.is_finite()).ok_or_else(|| {
        let shown: String = text.chars().take(40).collect();
        p.error(format!("a note's {what} is not a number: {shown}"))
    })
}

/// `{"t": ms, "bpm": …, "n": beats per measure, …}`; the other members follow from these.
fn time_change(p: &mut Parser<'_>, c: &mut FileContent<'_>, limits: &DecodeLimits) -> Result<()> {
    let (mut time, mut bpm, mut meter) = (0.0, None, 4);
    p.any_object(|p, name| {
        match name {
            "t" => time = p.number()?,
            "bpm" => bpm = Some(p.number()?),
            "n" => meter = p.integer()?,
            _ => p.raw_value().map(drop)?,
        }
        Ok(())
    })?;
    let Some(bpm) = bpm else {
        return Err(p.error("a time change without \"bpm\""));
    };
    let time_us = ms_to_us(time).ok_or_else(|| p.error(format!("time change at {time} ms")))?;
    limits.check_timing_points(c.time_changes.len() + 1)?;
    c.time_changes.push(TimeChange {
        time_us,
        bpm,
        meter,
    });
    Ok(())
}

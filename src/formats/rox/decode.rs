//! Payload → chart (docs/rox-format.md §3–§9). Every read is bounds-checked by `Reader`,
//! every count is checked against the bytes left before allocating, and the chart must keep
//! the model's rules (`validate`), checked as it is read.

use super::times::{after, scaled, TimeReader};
use super::wire::{short_varint, Reader};
use super::{
    first_fatal, keysound_issue, may_break_a_rule, meta_bit, note_field, section, timing_tag,
};
use crate::model::{
    validate_without_notes, DecodeLimits, HitSound, Metadata, Note, NoteKind, TimingKind,
    TimingPoint, MAX_KEYS, STRING_COST,
};
use crate::{Chart, Error, Format, Result};

pub(super) fn chart(payload: &[u8], limits: &DecodeLimits) -> Result<Chart> {
    let mut r = Reader::new(payload, 0, "section table");
    let mut metadata = None;
    let mut timing = None;
    let mut notes = None;
    let mut keysounds = None;
    let mut extras = None;
    let mut origin = None;
    while !r.is_empty() {
        let id = r.u16()?;
        let len = r.length()?;
        match id {
            section::METADATA => once(
                &mut metadata,
                r.sub(len, "metadata section")?,
                read_metadata,
            )?,
            section::TIMING => once(&mut timing, r.sub(len, "timing section")?, |r| {
                read_timing(r, limits)
            })?,
            section::NOTES => once(&mut notes, r.sub(len, "notes section")?, |r| {
                read_notes(r, limits)
            })?,
            section::KEYSOUNDS => once(&mut keysounds, r.sub(len, "keysounds section")?, |r| {
                read_keysounds(r, limits)
            })?,
            section::EXTRAS => once(&mut extras, r.sub(len, "extras section")?, |r| {
                read_extras(r, limits)
            })?,
            section::ORIGIN => once(&mut origin, r.sub(len, "origin section")?, |r| {
                // A format this version does not know (a later one may add formats) is no origin.
                Ok(Format::from_i32(i32::from(r.u8()?)).filter(|f| f.is_source()))
            })?,
            _ if id & section::REQUIRED != 0 => {
                return Err(r.corrupt(format!(
                    "unknown required section {id:#06x}: the file needs a newer ROX to be read"
                )))
            }
            // Optional sections this version does not know are skipped.
            _ => {
                r.take(len)?;
            }
        }
    }
    let missing = |name| Error::Corrupt(format!("the payload has no {name} section"));
    let (key_count, notes, keysounds_needed) = notes.ok_or_else(|| missing("notes"))?;
    // Chart-level and timing rules here; the notes were checked as they were read.
    let mut chart = Chart {
        metadata: metadata.ok_or_else(|| missing("metadata"))?,
        key_count,
        notes: Vec::new(),
        timing: timing.ok_or_else(|| missing("timing"))?,
        keysounds: keysounds.unwrap_or_default(),
        extras: extras.unwrap_or_default(),
        source_format: origin.flatten(),
    };
    let invalid = |issue| Error::Corrupt(format!("the decoded chart is invalid: {issue}"));
    if let Some(issue) = validate_without_notes(&chart)
        .into_iter()
        .find(|i| i.kind.is_fatal())
    {
        return Err(invalid(issue));
    }
    if keysounds_needed > chart.keysounds.len() {
        return Err(invalid(
            keysound_issue(&notes, chart.keysounds.len()).expect("some index is out of range"),
        ));
    }
    chart.notes = notes;
    limits.check_chart(&chart)?;
    Ok(chart)
}

/// Parses a section that may appear once, requiring its body to be consumed exactly.
fn once<'a, T>(
    slot: &mut Option<T>,
    mut body: Reader<'a>,
    parse: impl FnOnce(&mut Reader<'a>) -> Result<T>,
) -> Result<()> {
    if slot.is_some() {
        return Err(body.corrupt("the section appears a second time"));
    }
    let value = parse(&mut body)?;
    body.finish()?;
    *slot = Some(value);
    Ok(())
}

fn read_metadata(r: &mut Reader) -> Result<Metadata> {
    let mut m = Metadata::default();
    for s in metadata_strings!(m, &mut) {
        *s = r.string()?;
    }
    let bits = r.u8()?;
    if bits & meta_bit::RESERVED != 0 {
        return Err(r.corrupt(format!("reserved metadata bits are set ({bits:#04x})")));
    }
    m.has_scratch = bits & meta_bit::HAS_SCRATCH != 0;
    // Values follow in bit order.
    m.difficulty_level = if bits & meta_bit::DIFFICULTY_LEVEL != 0 {
        Some(r.f64()?)
    } else {
        None
    };
    m.preview_time_us = if bits & meta_bit::PREVIEW_TIME != 0 {
        Some(r.zigzag()?)
    } else {
        None
    };
    m.chart_id = if bits & meta_bit::CHART_ID != 0 {
        Some(r.zigzag()?)
    } else {
        None
    };
    m.set_id = if bits & meta_bit::SET_ID != 0 {
        Some(r.zigzag()?)
    } else {
        None
    };
    m.hp_drain = if bits & meta_bit::HP_DRAIN != 0 {
        Some(r.f64()?)
    } else {
        None
    };
    m.overall_difficulty = if bits & meta_bit::OVERALL_DIFFICULTY != 0 {
        Some(r.f64()?)
    } else {
        None
    };
    Ok(m)
}

fn read_timing(r: &mut Reader, limits: &DecodeLimits) -> Result<Vec<TimingPoint>> {
    // Kind, value (≥ 1 byte), sample set, index, volume, effects.
    let n = r.count(6, "timing points")?;
    limits.check_timing_points(n)?;
    let mut times = TimeReader::new(r, "timing section, time deltas stream")?;
    let mut timing = Vec::with_capacity(n);
    for _ in 0..n {
        let time_us = times.next()?;
        let kind = match r.u8()? {
            timing_tag::BPM => TimingKind::Bpm {
                bpm: r.f64()?,
                meter: r.varint_u32()?,
            },
            timing_tag::SCROLL => TimingKind::Scroll {
                multiplier: r.f64()?,
            },
            timing_tag::STOP => TimingKind::Stop {
                duration_us: r.zigzag()?,
            },
            timing_tag::DELAY => TimingKind::Delay {
                duration_us: r.zigzag()?,
            },
            timing_tag::WARP => TimingKind::Warp { beats: r.f64()? },
            other => {
                return Err(r.corrupt(format!(
                    "timing point {} has unknown kind {other}",
                    timing.len()
                )))
            }
        };
        timing.push(TimingPoint {
            time_us,
            kind,
            sample_set: r.u8()?,
            sample_index: r.varint_u32()?,
            volume: r.u8()?,
            effects: r.u8()?,
        });
    }
    times.finish()?;
    Ok(timing)
}

/// A stream of exactly one byte per note.
fn byte_stream<'a>(r: &mut Reader<'a>, n: usize, place: &'static str) -> Result<&'a [u8]> {
    let mut stream = r.stream(place)?;
    if stream.remaining() != n {
        return Err(stream.corrupt(format!("holds {} bytes for {n} notes", stream.remaining())));
    }
    stream.take(n)
}

/// The five hit sound streams of the notes section.
struct HitSounds<'a> {
    flags: &'a [u8],
    normal_set: &'a [u8],
    addition_set: &'a [u8],
    volume: &'a [u8],
    custom_index: Reader<'a>,
}

/// The key count, the notes, and how many keysound names they need (highest index + 1).
fn read_notes(r: &mut Reader, limits: &DecodeLimits) -> Result<(u8, Vec<Note>, usize)> {
    let key_count = r.u8()?;
    if key_count == 0 || key_count > MAX_KEYS {
        return Err(r.corrupt(format!("key count {key_count} is not in 1..={MAX_KEYS}")));
    }
    // Each note has a byte in the columns stream, which is still ahead.
    let n = r.count(1, "notes")?;
    limits.check_notes(n)?;
    let fields = r.u8()?;
    if fields & note_field::RESERVED != 0 {
        return Err(r.corrupt(format!("reserved note field bits are set ({fields:#04x})")));
    }
    let times = TimeReader::new(r, "notes section, time deltas stream")?;
    let columns = byte_stream(r, n, "notes section, columns stream")?;
    let durations = r.stream("notes section, durations stream")?;
    let hit_sounds = match fields & note_field::HIT_SOUNDS {
        0 => None,
        _ => Some(HitSounds::read(r, n)?),
    };
    let keysounds = match fields & note_field::KEYSOUNDS {
        0 => None,
        _ => Some(r.stream("notes section, keysounds stream")?),
    };
    let mut notes = timed_notes(key_count, columns, times, durations)?;
    // Rare fields, each in a pass of its own so that charts without them pay nothing.
    if let Some(hit_sounds) = hit_sounds {
        hit_sounds.apply(&mut notes)?;
    }
    let keysounds_needed = match keysounds {
        Some(stream) => apply_keysounds(stream, &mut notes)?,
        None => 0,
    };
    Ok((key_count, notes, keysounds_needed))
}

/// The streams every chart has, each consumed exactly (so the readers are taken, and
/// finished, here), every note checked as it is read. The keysound list may come in a later
/// section: indexes are checked after all sections.
///
/// Two passes, so that each loop's values fit in registers: every note's time, column and
/// kind (and the checks of a note without a duration), then the durations of the holds and
/// rolls the first found (by index: a pass over every note to find them cost 6 % of a decode)
/// and their checks. In the first, the running time and the stream position are locals: the
/// reader (in memory, since its address reaches the error paths) is brought up to date only
/// to read a varint of two or more bytes or to name an error's offset.
fn timed_notes(
    key_count: u8,
    columns: &[u8],
    mut times: TimeReader,
    mut durations: Reader,
) -> Result<Vec<Note>> {
    // Filled in place: no capacity check or length update a note.
    let mut notes = vec![Note::default(); columns.len()];
    let (deltas, mut time, unit) = times.parts();
    let (delta_bytes, mut delta_at) = (deltas.bytes(), deltas.position());
    // Indexes of the notes with a duration, for the second pass.
    let mut with_duration = Vec::new();
    for (i, (note, &packed)) in notes.iter_mut().zip(columns).enumerate() {
        let delta = varint_at(deltas, delta_bytes, &mut delta_at)?;
        time = after(time, delta, unit).ok_or_else(|| {
            deltas.seek(delta_at);
            deltas.corrupt("time overflows")
        })?;
        let Some(kind) = NoteKind::from_u8(packed >> 5) else {
            return Err(Error::Corrupt(format!(
                "notes section: note {i} has unknown kind {}",
                packed >> 5
            )));
        };
        *note = Note {
            time_us: time,
            column: packed & 0x1f,
            kind,
            ..Note::default()
        };
        if kind.has_duration() {
            with_duration.push(i);
        } else {
            check(key_count, i, note)?;
        }
    }
    deltas.seek(delta_at);
    times.resume(time);
    times.finish()?;
    for i in with_duration {
        let note = &mut notes[i];
        let units = durations.varint()?;
        note.duration_us = scaled(units, unit)
            .ok_or_else(|| durations.corrupt(format!("note {i}'s duration overflows")))?;
        check(key_count, i, note)?;
    }
    durations.finish()?;
    Ok(notes)
}

/// Note `index` read: fatal rules it breaks are an error (times never decrease, by unsigned
/// deltas and checked sums, so no previous note is needed).
#[inline(always)]
fn check(key_count: u8, index: usize, note: &Note) -> Result<()> {
    if may_break_a_rule(key_count, i64::MIN, note) {
        first_fatal(key_count, None, index, *note)
            .map_err(|issue| Error::Corrupt(format!("notes section: {issue}")))?;
    }
    Ok(())
}

/// The varint at `*pos` of `reader`'s bytes (`bytes`): a one-byte one here, any other through
/// the reader, which names the offset of an error.
#[inline(always)]
fn varint_at(reader: &mut Reader, bytes: &[u8], pos: &mut usize) -> Result<u64> {
    if let Some(value) = short_varint(bytes, pos) {
        return Ok(value);
    }
    reader.seek(*pos);
    let value = reader.varint()?;
    *pos = reader.position();
    Ok(value)
}

impl<'a> HitSounds<'a> {
    fn read(r: &mut Reader<'a>, n: usize) -> Result<HitSounds<'a>> {
        Ok(HitSounds {
            flags: byte_stream(r, n, "notes section, hit sound flags stream")?,
            normal_set: byte_stream(r, n, "notes section, normal set stream")?,
            addition_set: byte_stream(r, n, "notes section, addition set stream")?,
            volume: byte_stream(r, n, "notes section, volume stream")?,
            custom_index: r.stream("notes section, custom index stream")?,
        })
    }

    fn apply(mut self, notes: &mut [Note]) -> Result<()> {
        for (i, note) in notes.iter_mut().enumerate() {
            note.sound = HitSound {
                flags: self.flags[i],
                normal_set: self.normal_set[i],
                addition_set: self.addition_set[i],
                volume: self.volume[i],
                custom_index: self.custom_index.varint_u32()?,
            };
        }
        self.custom_index.finish()
    }
}

/// Sets each note's keysound (0 = none, else index + 1) and returns how many names they need.
fn apply_keysounds(mut stream: Reader, notes: &mut [Note]) -> Result<usize> {
    let mut needed = 0;
    for (i, note) in notes.iter_mut().enumerate() {
        note.keysound = match stream.varint()? {
            0 => None,
            v => Some(
                u32::try_from(v - 1)
                    .map_err(|_| stream.corrupt(format!("note {i}'s keysound index overflows")))?,
            ),
        };
        needed = needed.max(note.keysound.map_or(0, |k| k as usize + 1));
    }
    stream.finish()?;
    Ok(needed)
}

fn read_keysounds(r: &mut Reader, limits: &DecodeLimits) -> Result<Vec<String>> {
    // A name is at least its length byte.
    let n = r.count(1, "keysound names")?;
    limits.check_text(n as u64 * STRING_COST)?;
    (0..n).map(|_| r.string()).collect()
}

fn read_extras(r: &mut Reader, limits: &DecodeLimits) -> Result<Vec<(String, String)>> {
    // A pair is at least its two length bytes.
    let n = r.count(2, "extras")?;
    limits.check_text(n as u64 * 2 * STRING_COST)?;
    (0..n).map(|_| Ok((r.string()?, r.string()?))).collect()
}

//! Payload → chart (docs/rox-format.md §3–§9). Every read is bounds-checked by `Reader`,
//! every count is checked against the bytes left before allocating, and the finished chart
//! must pass `validate`.

use super::times::TimeReader;
use super::wire::Reader;
use super::{meta_bit, note_field, section, timing_tag};
use crate::model::{HitSound, Metadata, Note, NoteKind, TimingKind, TimingPoint, MAX_KEYS};
use crate::{Chart, Error, Result};

pub(super) fn chart(payload: &[u8]) -> Result<Chart> {
    let mut r = Reader::new(payload, 0, "section table");
    let mut metadata = None;
    let mut timing = None;
    let mut notes = None;
    let mut keysounds = None;
    while !r.is_empty() {
        let id = r.u16()?;
        let len = r.length()?;
        match id {
            section::METADATA => once(&mut metadata, r.sub(len, "metadata section")?, read_metadata)?,
            section::TIMING => once(&mut timing, r.sub(len, "timing section")?, read_timing)?,
            section::NOTES => once(&mut notes, r.sub(len, "notes section")?, read_notes)?,
            section::KEYSOUNDS => once(&mut keysounds, r.sub(len, "keysounds section")?, read_keysounds)?,
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
    let (key_count, notes) = notes.ok_or_else(|| missing("notes"))?;
    let chart = Chart {
        metadata: metadata.ok_or_else(|| missing("metadata"))?,
        key_count,
        notes,
        timing: timing.ok_or_else(|| missing("timing"))?,
        keysounds: keysounds.unwrap_or_default(),
    };
    match chart.validate().first() {
        None => Ok(chart),
        Some(issue) => Err(Error::Corrupt(format!("the decoded chart is invalid: {issue}"))),
    }
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
    m.difficulty_level = if bits & meta_bit::DIFFICULTY_LEVEL != 0 { Some(r.f64()?) } else { None };
    m.preview_time_us = if bits & meta_bit::PREVIEW_TIME != 0 { Some(r.zigzag()?) } else { None };
    m.chart_id = if bits & meta_bit::CHART_ID != 0 { Some(r.zigzag()?) } else { None };
    m.set_id = if bits & meta_bit::SET_ID != 0 { Some(r.zigzag()?) } else { None };
    m.hp_drain = if bits & meta_bit::HP_DRAIN != 0 { Some(r.f64()?) } else { None };
    m.overall_difficulty = if bits & meta_bit::OVERALL_DIFFICULTY != 0 { Some(r.f64()?) } else { None };
    Ok(m)
}

fn read_timing(r: &mut Reader) -> Result<Vec<TimingPoint>> {
    // Kind, value (≥ 1 byte), sample set, index, volume, effects.
    let n = r.count(6, "timing points")?;
    let mut times = TimeReader::new(r, n, "timing section, time deltas stream")?;
    let mut timing = Vec::with_capacity(n);
    for _ in 0..n {
        let time_us = times.next()?;
        let kind = match r.u8()? {
            timing_tag::BPM => TimingKind::Bpm { bpm: r.f64()?, meter: r.varint_u32()? },
            timing_tag::SCROLL => TimingKind::Scroll { multiplier: r.f64()? },
            timing_tag::STOP => TimingKind::Stop { duration_us: r.zigzag()? },
            timing_tag::DELAY => TimingKind::Delay { duration_us: r.zigzag()? },
            timing_tag::WARP => TimingKind::Warp { beats: r.f64()? },
            other => return Err(r.corrupt(format!("timing point {} has unknown kind {other}", timing.len()))),
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

fn read_notes(r: &mut Reader) -> Result<(u8, Vec<Note>)> {
    let key_count = r.u8()?;
    if key_count == 0 || key_count > MAX_KEYS {
        return Err(r.corrupt(format!("key count {key_count} is not in 1..={MAX_KEYS}")));
    }
    // Each note has a byte in the columns stream, which is still ahead.
    let n = r.count(1, "notes")?;
    let fields = r.u8()?;
    if fields & note_field::RESERVED != 0 {
        return Err(r.corrupt(format!("reserved note field bits are set ({fields:#04x})")));
    }
    let mut times = TimeReader::new(r, n, "notes section, time deltas stream")?;
    let columns = byte_stream(r, n, "notes section, columns stream")?;
    let mut durations = r.stream("notes section, durations stream")?;
    let mut hit_sounds = if fields & note_field::HIT_SOUNDS != 0 {
        Some(HitSounds {
            flags: byte_stream(r, n, "notes section, hit sound flags stream")?,
            normal_set: byte_stream(r, n, "notes section, normal set stream")?,
            addition_set: byte_stream(r, n, "notes section, addition set stream")?,
            volume: byte_stream(r, n, "notes section, volume stream")?,
            custom_index: r.stream("notes section, custom index stream")?,
        })
    } else {
        None
    };
    let mut keysounds =
        if fields & note_field::KEYSOUNDS != 0 { Some(r.stream("notes section, keysounds stream")?) } else { None };

    let mut notes = Vec::with_capacity(n);
    for (i, &packed) in columns.iter().enumerate() {
        let time_us = times.next()?;
        let column = packed & 0x1f;
        let Some(kind) = NoteKind::from_u8(packed >> 5) else {
            return Err(Error::Corrupt(format!("notes section: note {i} has unknown kind {}", packed >> 5)));
        };
        if column >= key_count {
            return Err(Error::Corrupt(format!("notes section: note {i} is in column {column} of a {key_count}-key chart")));
        }
        let duration_us = if kind.has_duration() {
            let units = durations.varint()?;
            times.scale(units).ok_or_else(|| durations.corrupt(format!("note {i}'s duration overflows")))?
        } else {
            0
        };
        let sound = match &mut hit_sounds {
            None => HitSound::default(),
            Some(s) => HitSound {
                flags: s.flags[i],
                normal_set: s.normal_set[i],
                addition_set: s.addition_set[i],
                volume: s.volume[i],
                custom_index: s.custom_index.varint_u32()?,
            },
        };
        let keysound = match &mut keysounds {
            None => None,
            Some(k) => match k.varint()? {
                0 => None,
                v => Some(u32::try_from(v - 1).map_err(|_| k.corrupt(format!("note {i}'s keysound index overflows")))?),
            },
        };
        notes.push(Note { time_us, duration_us, column, kind, sound, keysound });
    }
    times.finish()?;
    durations.finish()?;
    if let Some(s) = &hit_sounds {
        s.custom_index.finish()?;
    }
    if let Some(k) = &keysounds {
        k.finish()?;
    }
    Ok((key_count, notes))
}

fn read_keysounds(r: &mut Reader) -> Result<Vec<String>> {
    // A name is at least its length byte.
    let n = r.count(1, "keysound names")?;
    (0..n).map(|_| r.string()).collect()
}

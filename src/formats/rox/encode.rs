//! Chart → payload (docs/rox-format.md §3–§8), checking the chart as it goes: nothing that
//! breaks the model's rules is written.

use super::times::{unit_of, TimeWriter, Unit};
use super::wire::{put_bytes, put_f64, put_string, put_varint, put_zigzag};
use super::{
    first_fatal, keysound_issue, may_break_a_rule, meta_bit, note_field, section, timing_tag,
};
use crate::model::{
    validate_without_notes, HitSound, Metadata, Note, TimingKind, TimingPoint, ValidationIssue,
};
use crate::{Chart, Error, Result};

pub(super) fn payload(chart: &Chart) -> Result<Vec<u8>> {
    // Chart-level and timing rules here; `notes` checks the notes as it writes them.
    let issues: Vec<_> = validate_without_notes(chart)
        .into_iter()
        .filter(|i| i.kind.is_fatal())
        .collect();
    if !issues.is_empty() {
        return Err(Error::Invalid(issues));
    }
    // Notes dominate: about two bytes each before compression.
    let mut out = Vec::with_capacity(256 + chart.notes.len() * 3 + chart.timing.len() * 16);
    let mut body = Vec::new();
    metadata(&mut body, &chart.metadata);
    put_section(&mut out, section::METADATA, &mut body);
    timing(&mut body, &chart.timing);
    put_section(&mut out, section::TIMING, &mut body);
    if !chart.keysounds.is_empty() {
        put_varint(&mut body, chart.keysounds.len() as u64);
        for name in &chart.keysounds {
            put_string(&mut body, name);
        }
        put_section(&mut out, section::KEYSOUNDS, &mut body);
    }
    if !chart.extras.is_empty() {
        put_varint(&mut body, chart.extras.len() as u64);
        for (key, value) in &chart.extras {
            put_string(&mut body, key);
            put_string(&mut body, value);
        }
        put_section(&mut out, section::EXTRAS, &mut body);
    }
    if let Some(origin) = chart.source_format.filter(|f| f.is_source()) {
        body.push(origin as u8);
        put_section(&mut out, section::ORIGIN, &mut body);
    }
    // Notes last: a payload cut short anywhere then lacks required data, even behind a
    // forged checksum.
    notes(&mut body, chart).map_err(|issue| Error::Invalid(vec![issue]))?;
    put_section(&mut out, section::NOTES, &mut body);
    Ok(out)
}

/// Appends a section (id, length, body) and empties `body` for the next one.
fn put_section(out: &mut Vec<u8>, id: u16, body: &mut Vec<u8>) {
    out.extend_from_slice(&id.to_le_bytes());
    put_bytes(out, body);
    body.clear();
}

fn metadata(out: &mut Vec<u8>, m: &Metadata) {
    for s in metadata_strings!(m, &) {
        put_string(out, s);
    }
    // Presence bits first, then the present values in bit order.
    let mut bits = if m.has_scratch {
        meta_bit::HAS_SCRATCH
    } else {
        0
    };
    let mut values = Vec::new();
    if let Some(v) = m.difficulty_level {
        bits |= meta_bit::DIFFICULTY_LEVEL;
        put_f64(&mut values, v);
    }
    if let Some(v) = m.preview_time_us {
        bits |= meta_bit::PREVIEW_TIME;
        put_zigzag(&mut values, v);
    }
    if let Some(v) = m.chart_id {
        bits |= meta_bit::CHART_ID;
        put_zigzag(&mut values, v);
    }
    if let Some(v) = m.set_id {
        bits |= meta_bit::SET_ID;
        put_zigzag(&mut values, v);
    }
    if let Some(v) = m.hp_drain {
        bits |= meta_bit::HP_DRAIN;
        put_f64(&mut values, v);
    }
    if let Some(v) = m.overall_difficulty {
        bits |= meta_bit::OVERALL_DIFFICULTY;
        put_f64(&mut values, v);
    }
    out.push(bits);
    out.extend_from_slice(&values);
}

fn timing(out: &mut Vec<u8>, timing: &[TimingPoint]) {
    put_varint(out, timing.len() as u64);
    // Sorted (checked by `validate`), so the differences are the gaps.
    let first = timing.first().map(|t| t.time_us);
    let unit = unit_of(
        first
            .into_iter()
            .chain(timing.windows(2).map(|w| w[1].time_us - w[0].time_us)),
    );
    let mut times = TimeWriter::new(unit, first.unwrap_or(0), timing.len())
        .expect("the unit divides the first time");
    let complete = timing.iter().all(|t| times.push(t.time_us));
    assert!(complete, "the unit of the timing gaps divides each of them");
    times.write(out);
    for t in timing {
        match t.kind {
            TimingKind::Bpm { bpm, meter } => {
                out.push(timing_tag::BPM);
                put_f64(out, bpm);
                put_varint(out, meter.into());
            }
            TimingKind::Scroll { multiplier } => {
                out.push(timing_tag::SCROLL);
                put_f64(out, multiplier);
            }
            TimingKind::Stop { duration_us } => {
                out.push(timing_tag::STOP);
                put_zigzag(out, duration_us);
            }
            TimingKind::Delay { duration_us } => {
                out.push(timing_tag::DELAY);
                put_zigzag(out, duration_us);
            }
            TimingKind::Warp { beats } => {
                out.push(timing_tag::WARP);
                put_f64(out, beats);
            }
        }
        out.push(t.sample_set);
        put_varint(out, t.sample_index.into());
        out.push(t.volume);
        out.push(t.effects);
    }
}

/// Writes the notes section, or returns the first note that breaks a rule.
fn notes(out: &mut Vec<u8>, chart: &Chart) -> std::result::Result<(), ValidationIssue> {
    let notes = &chart.notes[..];
    // Most charts keep one unit throughout (1 ms for osu! and Quaver), so the unit of the
    // first notes usually divides them all and one pass suffices; when it does not, a second
    // pass uses the unit of all notes, which divides every value it was computed from.
    let unit_of_notes = |notes: &[Note]| {
        let mut previous = 0i64;
        unit_of(notes.iter().flat_map(|n| {
            // Wrapping, like `TimeWriter::push`: the notes are checked only while written.
            let gap = n.time_us.wrapping_sub(previous);
            previous = n.time_us;
            [gap, n.duration_us]
        }))
    };
    const SAMPLE: usize = 64;
    let streams = match note_streams(chart, unit_of_notes(&notes[..notes.len().min(SAMPLE)]))? {
        Some(streams) => streams,
        None => note_streams(chart, unit_of_notes(notes))?
            .expect("the unit of all notes divides their gaps and durations"),
    };
    if streams.keysounds {
        if let Some(issue) = keysound_issue(notes, chart.keysounds.len()) {
            return Err(issue);
        }
    }

    out.push(chart.key_count);
    put_varint(out, notes.len() as u64);
    let mut fields = 0;
    if streams.hit_sounds {
        fields |= note_field::HIT_SOUNDS;
    }
    if streams.keysounds {
        fields |= note_field::KEYSOUNDS;
    }
    out.push(fields);
    streams.times.write(out);
    put_bytes(out, &streams.columns);
    put_bytes(out, &streams.durations);
    // Rare fields: a stream per field, and only when some note has it.
    let mut stream = Vec::new();
    if streams.hit_sounds {
        let bytes: [fn(&HitSound) -> u8; 4] = [
            |s| s.flags,
            |s| s.normal_set,
            |s| s.addition_set,
            |s| s.volume,
        ];
        for field in bytes {
            stream.clear();
            stream.extend(notes.iter().map(|n| field(&n.sound)));
            put_bytes(out, &stream);
        }
        stream.clear();
        notes
            .iter()
            .for_each(|n| put_varint(&mut stream, n.sound.custom_index.into()));
        put_bytes(out, &stream);
    }
    if streams.keysounds {
        stream.clear();
        notes
            .iter()
            .for_each(|n| put_varint(&mut stream, n.keysound.map_or(0, |k| u64::from(k) + 1)));
        put_bytes(out, &stream);
    }
    Ok(())
}

/// The streams every chart has, and which rare fields some note has.
struct NoteStreams {
    times: TimeWriter,
    columns: Vec<u8>,
    durations: Vec<u8>,
    hit_sounds: bool,
    keysounds: bool,
}

/// Writes the streams in one pass that checks each note before its bytes; `None` if `unit`
/// does not divide every time gap and duration.
fn note_streams(
    chart: &Chart,
    unit: Unit,
) -> std::result::Result<Option<NoteStreams>, ValidationIssue> {
    let notes = &chart.notes;
    let base = notes.first().map_or(0, |n| n.time_us);
    let Some(mut times) = TimeWriter::new(unit, base, notes.len() + notes.len() / 4) else {
        return Ok(None);
    };
    // Keysound indexes are checked once, after the pass, only if some note has one.
    let mut previous_time = i64::MIN;
    let mut columns = Vec::with_capacity(notes.len());
    let mut durations = Vec::new();
    let (mut hit_sounds, mut keysounds) = (false, false);
    for (i, n) in notes.iter().enumerate() {
        if may_break_a_rule(chart.key_count, previous_time, n) {
            first_fatal(chart.key_count, i.checked_sub(1).map(|p| &notes[p]), i, *n)?;
        }
        previous_time = n.time_us;
        if !times.push(n.time_us) || !unit.divides(n.duration_us) {
            return Ok(None);
        }
        columns.push(n.column | (n.kind as u8) << 5);
        if n.kind.has_duration() {
            put_varint(&mut durations, unit.divide(n.duration_us as u64));
        }
        hit_sounds |= n.sound != HitSound::default();
        keysounds |= n.keysound.is_some();
    }
    Ok(Some(NoteStreams {
        times,
        columns,
        durations,
        hit_sounds,
        keysounds,
    }))
}

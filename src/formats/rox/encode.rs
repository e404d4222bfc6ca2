//! Chart → payload (docs/rox-format.md §3–§8). The chart has passed `validate`, so times are
//! sorted and in range, columns fit in five bits and durations are positive where present.

use super::times::{put_time_list, unit_of};
use super::wire::{put_bytes, put_f64, put_string, put_varint, put_zigzag};
use super::{meta_bit, note_field, section, timing_tag};
use crate::model::{HitSound, Metadata, Note, TimingKind, TimingPoint};
use crate::Chart;

pub(super) fn payload(chart: &Chart) -> Vec<u8> {
    // Notes dominate: about two bytes each before compression.
    let mut out = Vec::with_capacity(256 + chart.notes.len() * 3 + chart.timing.len() * 16);
    let mut body = Vec::new();
    metadata(&mut body, &chart.metadata);
    put_section(&mut out, section::METADATA, &mut body);
    timing(&mut body, &chart.timing);
    put_section(&mut out, section::TIMING, &mut body);
    notes(&mut body, chart.key_count, &chart.notes);
    put_section(&mut out, section::NOTES, &mut body);
    if !chart.keysounds.is_empty() {
        put_varint(&mut body, chart.keysounds.len() as u64);
        for name in &chart.keysounds {
            put_string(&mut body, name);
        }
        put_section(&mut out, section::KEYSOUNDS, &mut body);
    }
    out
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
    let mut bits = if m.has_scratch { meta_bit::HAS_SCRATCH } else { 0 };
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

/// The first time, then the gaps: the values a time list stores, which its unit must divide.
fn time_deltas(times: impl Iterator<Item = i64>) -> impl Iterator<Item = i64> {
    times.scan(0, |prev, t| {
        let delta = t - *prev;
        *prev = t;
        Some(delta)
    })
}

fn timing(out: &mut Vec<u8>, timing: &[TimingPoint]) {
    put_varint(out, timing.len() as u64);
    put_time_list(out, unit_of(time_deltas(timing.iter().map(|t| t.time_us))), timing.iter().map(|t| t.time_us));
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

fn notes(out: &mut Vec<u8>, key_count: u8, notes: &[Note]) {
    out.push(key_count);
    put_varint(out, notes.len() as u64);
    let hitsounds = notes.iter().any(|n| n.sound != HitSound::default());
    let keysounds = notes.iter().any(|n| n.keysound.is_some());
    out.push(if hitsounds { note_field::HIT_SOUNDS } else { 0 } | if keysounds { note_field::KEYSOUNDS } else { 0 });

    let durations = notes.iter().map(|n| n.duration_us);
    let unit = unit_of(time_deltas(notes.iter().map(|n| n.time_us)).chain(durations));
    put_time_list(out, unit, notes.iter().map(|n| n.time_us));

    let columns: Vec<u8> = notes.iter().map(|n| n.column | (n.kind as u8) << 5).collect();
    put_bytes(out, &columns);

    let mut stream = Vec::new();
    for n in notes.iter().filter(|n| n.kind.has_duration()) {
        put_varint(&mut stream, n.duration_us as u64 / unit);
    }
    put_bytes(out, &stream);

    if hitsounds {
        let bytes: [fn(&HitSound) -> u8; 4] = [|s| s.flags, |s| s.normal_set, |s| s.addition_set, |s| s.volume];
        for field in bytes {
            let column: Vec<u8> = notes.iter().map(|n| field(&n.sound)).collect();
            put_bytes(out, &column);
        }
        stream.clear();
        for n in notes {
            put_varint(&mut stream, n.sound.custom_index.into());
        }
        put_bytes(out, &stream);
    }
    if keysounds {
        stream.clear();
        for n in notes {
            put_varint(&mut stream, n.keysound.map_or(0, |k| u64::from(k) + 1));
        }
        put_bytes(out, &stream);
    }
}

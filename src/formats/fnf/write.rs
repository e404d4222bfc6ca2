//! Chart → a legacy/Psych Engine song (`{"song": {…, "notes": [sections]}}`), which both the
//! base game (`lengthInSteps`) and Psych (`sectionBeats`, note types as a 4th element) read.
//!
//! Sections are 16 steps, cut short where the tempo changes so that each BPM change starts a
//! section (the only place FNF can change tempo), at the nearest whole step. A 4-key chart is
//! the player's side; an 8-key chart is the player's lanes 0–3 then the opponent's.

use std::collections::{HashMap, VecDeque};
use std::fmt::Write as _;

use super::{is_psych_v1, key, ms_to_us, section_ms, DEFAULT_BPM, MAX_TIME_MS};
use crate::formats::json::read::Parser;
use crate::formats::json::write::string;
use crate::model::{ConversionReport, LossKind, Metadata, NoteKind, TimingKind};
use crate::{Chart, Error, Result};

/// The steps of a full section (four beats).
const SECTION_STEPS: f64 = 16.0;

/// Sections written at most: a chart longer than this at its tempo is refused (about 270
/// hours at 120 BPM), so that a hostile tempo or time cannot make the output huge.
const MAX_SECTIONS: usize = 1 << 19;

/// Sections any chart may have, however few its notes (at 120 BPM, 4.5 hours of full ones).
const BASE_SECTIONS: usize = 1 << 13;

/// Sections each note or tempo change may add: a gap between two is at most 16 full sections
/// and, at any tempo a game plays, a few runs. A tempo whose gaps need more (3 notes at 6.8e12
/// BPM needed 345,000 sections, 52 MB of FNF) is refused rather than written at that size.
const SECTIONS_PER_EVENT: usize = 32;

/// A run of more empty sections than this (at one tempo, past the sections a read chart's
/// `mustHitSection` flags cover) is written as one long section: the same tempo and camera in
/// both games, and an output bounded by the notes and tempo changes rather than by the chart's
/// length in beats (at millions of BPM, a second of chart is tens of thousands of sections).
const LONGEST_EMPTY_RUN: f64 = 16.0;

/// Steps of one section that stands for a run (readers refuse sections past 10^6 steps).
const MAX_RUN_STEPS: f64 = 524_288.0;

/// One section to write.
struct Section {
    start_us: i64,
    steps: f64,
    bpm: f64,
    change: bool,
}

pub(super) fn encode(chart: &Chart, report: &mut ConversionReport) -> Result<Vec<u8>> {
    if !matches!(chart.key_count, 4 | 8) {
        return Err(Error::InvalidArgument(format!(
            "an FNF chart has 4 lanes a side: 4 (the player's) or 8 (player, then opponent) \
             columns, not {}",
            chart.key_count
        )));
    }
    let last_us = chart
        .notes
        .iter()
        .map(|n| n.end_time_us())
        .max()
        .unwrap_or(0);
    // Sections start at 0 and reach forward; a note before 0 goes into the first, so only
    // its own time can pass what a reader reads.
    let first_us = chart.notes.iter().map(|n| n.time_us).min().unwrap_or(0);
    if ms_to_us(first_us as f64 / 1000.0).is_none() {
        return Err(too_long());
    }
    let sections = sections(chart, last_us, report)?;
    let mut out = String::with_capacity(256 + chart.notes.len() * 24 + sections.len() * 120);
    out.push_str("{\"song\": {\n  \"song\": ");
    string(&mut out, &chart.metadata.title);
    let bpm = sections.first().map_or(DEFAULT_BPM, |s| s.bpm);
    write!(out, ",\n  \"bpm\": {bpm}").expect("writing to a String");
    let kept = song_members(chart, report);
    for (name, value) in &kept {
        out.push_str(",\n  ");
        string(&mut out, name);
        write!(out, ": {value}").expect("writing to a String");
    }
    for (name, default) in key::WRITTEN_DEFAULTS {
        if !kept.iter().any(|(n, _)| *n == name) {
            write!(out, ",\n  \"{name}\": {default}").expect("writing to a String");
        }
    }
    out.push_str(",\n  \"notes\": [");
    write_sections(&mut out, chart, &sections, report)?;
    out.push_str("\n  ]");
    if let Some(events) = chart.extra(key::EVENTS).filter(|e| is_json(e)) {
        write!(out, ",\n  \"events\": {events}").expect("writing to a String");
    }
    out.push_str("\n}}\n");
    report_metadata(&chart.metadata, report);
    Ok(out.into_bytes())
}

/// The sections from the chart's tempo: 16 steps each, cut at each BPM change. Other timing
/// (scroll speed, stops…) has no place in FNF and is reported.
fn sections(chart: &Chart, last_us: i64, report: &mut ConversionReport) -> Result<Vec<Section>> {
    let bpms = tempo_points(chart, report);
    let flagged = chart
        .extra(key::MUST_HIT_SECTIONS)
        .map_or(0, |flags| flags.chars().count());
    let budget = BASE_SECTIONS
        .saturating_add((chart.notes.len() + bpms.len()).saturating_mul(SECTIONS_PER_EVENT))
        .saturating_add(flagged)
        .min(MAX_SECTIONS);
    let mut starts: Vec<i64> = chart.notes.iter().map(|n| n.time_us).collect();
    starts.sort_unstable();
    let mut starts = starts.into_iter().peekable();
    let mut sections: Vec<Section> = Vec::new();
    let mut next = 0;
    let mut start_ms = 0.0;
    let mut bpm = bpms.first().map_or(DEFAULT_BPM, |b| b.2);
    loop {
        let start_us = ms_to_us(start_ms).ok_or_else(too_long)?;
        // Changes within half a step of this section's start apply from it.
        let before = bpm;
        let mut absorbed = Vec::new();
        while let Some(&(index, time_us, to)) = bpms.get(next) {
            let steps_away = (time_us as f64 / 1000.0 - start_ms) / section_ms(bpm, 1.0);
            if next > 0 && steps_away >= 0.5 {
                break;
            }
            absorbed.push((index, time_us));
            bpm = to;
            next += 1;
        }
        let change = !sections.is_empty() && bpm != before;
        report_placed(&absorbed, change || sections.is_empty(), start_us, report);
        // Every note and tempo change written, then every section the focus flags name.
        if start_us > last_us && next >= bpms.len() && !sections.is_empty() && !change {
            if sections.len() >= flagged {
                return Ok(sections);
            }
            if sections.len() == budget {
                let dropped = flagged - sections.len();
                let what = format!(
                    "{dropped} focus flags (mustHitSection) past {budget} sections dropped"
                );
                report.push(LossKind::MetadataDropped, what);
                return Ok(sections);
            }
        }
        // Past the last note, or to the next tempo change.
        let goal_us = bpms
            .get(next)
            .map_or(last_us, |b| b.1.min(last_us))
            .saturating_add(1);
        if cannot_reach(start_ms, bpm, goal_us, budget - sections.len()) {
            return Err(too_long());
        }
        let steps = match bpms.get(next) {
            Some(&(_, time_us, _)) => {
                let to_change = (time_us as f64 / 1000.0 - start_ms) / section_ms(bpm, 1.0);
                to_change.round().min(SECTION_STEPS)
            }
            None => SECTION_STEPS,
        };
        while starts.next_if(|&t| t < start_us).is_some() {}
        // The last note's end counts too: a long hold is followed by empty sections up to it.
        let next_event = [starts.peek().copied(), bpms.get(next).map(|b| b.1)]
            .into_iter()
            .flatten()
            .chain((last_us >= start_us).then_some(last_us))
            .min();
        let steps = match next_event {
            Some(event_us) if steps == SECTION_STEPS && sections.len() >= flagged => {
                steps_before(start_ms, bpm, event_us)
            }
            _ => steps,
        };
        sections.push(Section {
            start_us,
            steps,
            bpm,
            change,
        });
        start_ms += section_ms(bpm, steps);
    }
}

/// The steps of an empty section from `start_ms` at `bpm`: a full section, or the run of them
/// up to the next note or tempo change (at `event_us`) when it is longer than
/// `LONGEST_EMPTY_RUN`. The run stops a full section short of the event, so that float noise
/// in the section starts cannot move the event into it.
fn steps_before(start_ms: f64, bpm: f64, event_us: i64) -> f64 {
    let sections = (event_us as f64 / 1000.0 - start_ms) / section_ms(bpm, SECTION_STEPS);
    let run = sections.floor() - 1.0;
    if run > LONGEST_EMPTY_RUN {
        (run * SECTION_STEPS).min(MAX_RUN_STEPS)
    } else {
        SECTION_STEPS
    }
}

/// Whether `goal_us` lies beyond what `sections_left` sections reach from `start_ms` at `bpm`,
/// each at most a run of `MAX_RUN_STEPS` (at a tempo of 10^67 BPM, none passes a µs): refused
/// at once, rather than after building half a million sections.
fn cannot_reach(start_ms: f64, bpm: f64, goal_us: i64, sections_left: usize) -> bool {
    let steps = (goal_us as f64 / 1000.0 - start_ms) / section_ms(bpm, 1.0);
    sections_left == 0 || steps / MAX_RUN_STEPS > sections_left as f64
}

/// The chart's BPM points as (index, time µs, bpm); the other timing is reported.
fn tempo_points(chart: &Chart, report: &mut ConversionReport) -> Vec<(usize, i64, f64)> {
    let mut bpms = Vec::new();
    for (index, t) in chart.timing.iter().enumerate() {
        let (kind, message) = match t.kind {
            TimingKind::Bpm { bpm, .. } if bpm.is_nan() || bpm <= 0.0 => {
                let message = format!("BPM {bpm} dropped: an FNF section needs a tempo");
                (LossKind::TimingDropped, message)
            }
            TimingKind::Bpm { bpm, meter } => {
                bpms.push((index, t.time_us, bpm));
                if meter == 4 {
                    continue;
                }
                let message = format!("meter {meter} written as 4 (FNF sections are 4/4)");
                (LossKind::TimingChanged, message)
            }
            kind => {
                let message = format!("{} dropped: FNF has none", kind.name());
                (LossKind::TimingDropped, message)
            }
        };
        report.push(kind, message).at(index, t.time_us);
    }
    bpms
}

/// Reports the BPM points placed at a section start (`start_us`): the last one moved there if
/// it is `written`, the others (overridden, or repeating the tempo) dropped.
fn report_placed(
    absorbed: &[(usize, i64)],
    written: bool,
    start_us: i64,
    report: &mut ConversionReport,
) {
    for (i, &(index, time_us)) in absorbed.iter().enumerate() {
        if written && i + 1 == absorbed.len() {
            if time_us != start_us {
                report
                    .push(
                        LossKind::TimingChanged,
                        "BPM change moved to a section start",
                    )
                    .at(index, time_us)
                    .shifted(start_us - time_us);
            }
        } else {
            let message = "BPM point dropped: another tempo starts the same FNF section, or it \
                           repeats the tempo";
            report
                .push(LossKind::TimingDropped, message)
                .at(index, time_us);
        }
    }
}

fn too_long() -> Error {
    Error::InvalidArgument(format!(
        "the chart is too long for FNF sections at its tempo (more than {BASE_SECTIONS}, plus \
         {SECTIONS_PER_EVENT} a note or tempo change, at most {MAX_SECTIONS}), or has a time \
         past ±{MAX_TIME_MS} ms"
    ))
}

/// Every section with its notes: each note in the section its time falls in (the first for
/// notes before it), lanes by the section's `mustHitSection`.
fn write_sections(
    out: &mut String,
    chart: &Chart,
    sections: &[Section],
    report: &mut ConversionReport,
) -> Result<()> {
    let must_hit: Vec<bool> = match chart.extra(key::MUST_HIT_SECTIONS) {
        Some(flags) => flags.chars().map(|c| c != '0').collect(),
        None => Vec::new(),
    };
    let mut types = note_types(chart);
    let song_format = chart.extra(&format!("{}format", key::SONG_MEMBER));
    let focus_turns_lanes = !is_psych_v1(song_format);
    let mut notes: Vec<usize> = (0..chart.notes.len()).collect();
    notes.sort_by_key(|&i| (chart.notes[i].time_us, chart.notes[i].column));
    let mut notes = notes.into_iter().peekable();
    for (index, section) in sections.iter().enumerate() {
        let must_hit = must_hit.get(index).copied().unwrap_or(true);
        let end_us = sections.get(index + 1).map_or(i64::MAX, |s| s.start_us);
        out.push_str(if index == 0 { "\n" } else { ",\n" });
        write!(
            out,
            "    {{\"mustHitSection\": {must_hit}, \"lengthInSteps\": {}, \"sectionBeats\": {}, \
             \"changeBPM\": {}, \"bpm\": {}, \"sectionNotes\": [",
            section.steps,
            section.steps / 4.0,
            section.change,
            section.bpm
        )
        .expect("writing to a String");
        let mut first = true;
        while let Some(i) = notes.next_if(|&i| chart.notes[i].time_us < end_us) {
            let note = &chart.notes[i];
            let Some(length_us) = written_length(i, chart, report) else {
                continue;
            };
            // The column is the V-Slice lane (player first); a section about the opponent
            // turns it, except in a Psych 1.0 song.
            let turned = focus_turns_lanes && !must_hit;
            let lane = if turned {
                (note.column + 4) % 8
            } else {
                note.column
            };
            out.push_str(if first { "[" } else { ", [" });
            first = false;
            ms(out, note.time_us);
            write!(out, ", {lane}, ").expect("writing to a String");
            ms(out, length_us);
            let at = (note.time_us, note.column);
            if let Some(kind) = types.get_mut(&at).and_then(VecDeque::pop_front) {
                write!(out, ", {kind}").expect("writing to a String");
            }
            out.push(']');
        }
        out.push_str("]}");
    }
    report_sounds(chart, report);
    Ok(())
}

/// The sustain to write for note `index`, `None` when FNF has no such note.
fn written_length(index: usize, chart: &Chart, report: &mut ConversionReport) -> Option<i64> {
    let note = &chart.notes[index];
    let (length, changed) = match note.kind {
        NoteKind::Tap => (0, false),
        NoteKind::Hold => (note.duration_us, false),
        NoteKind::Roll => (note.duration_us, true),
        NoteKind::Lift => (0, true),
        NoteKind::Mine | NoteKind::Fake => {
            let message = format!("{} dropped: FNF has none", note.kind.name());
            report
                .push(LossKind::NoteDropped, message)
                .at(index, note.time_us);
            return None;
        }
    };
    if changed {
        let message = format!("{} written as a plain note", note.kind.name());
        report
            .push(LossKind::NoteChanged, message)
            .at(index, note.time_us);
    }
    Some(length)
}

fn report_sounds(chart: &Chart, report: &mut ConversionReport) {
    if chart.notes.iter().any(|n| n.keysound.is_some()) || !chart.keysounds.is_empty() {
        report.push(
            LossKind::SoundDropped,
            "keysounds not written: FNF has none",
        );
    }
    if chart.notes.iter().any(|n| n.sound != Default::default()) {
        report.push(
            LossKind::SoundDropped,
            "hit sounds not written: FNF has none",
        );
    }
}

/// µs as ms: an integer when whole, else the shortest decimal that reads back the same µs.
fn ms(out: &mut String, us: i64) {
    if us % 1000 == 0 {
        write!(out, "{}", us / 1000)
    } else {
        write!(out, "{}", us as f64 / 1000.0)
    }
    .expect("writing to a String");
}

/// The note types the extras keep, by (time µs, column), each valid JSON: one per note of
/// that time and column, in order (two notes may share both).
fn note_types(chart: &Chart) -> HashMap<(i64, u8), VecDeque<&str>> {
    let lines = chart.extra(key::NOTE_TYPES).unwrap_or_default().lines();
    let mut types: HashMap<(i64, u8), VecDeque<&str>> = HashMap::new();
    let typed = lines.filter_map(|line| {
        let mut parts = line.splitn(3, ' ');
        let time = parts.next()?.parse().ok()?;
        let column = parts.next()?.parse().ok()?;
        let kind = parts.next().filter(|k| is_json(k))?;
        Some(((time, column), kind))
    });
    for (at, kind) in typed {
        types.entry(at).or_default().push_back(kind);
    }
    types
}

/// The kept members of the song object (`fnf.song.*`, valid JSON, not one the writer writes
/// itself); every other extra is reported.
fn song_members<'a>(chart: &'a Chart, report: &mut ConversionReport) -> Vec<(&'a str, &'a str)> {
    let mut kept = Vec::new();
    for (name, value) in &chart.extras {
        let member = name.strip_prefix(key::SONG_MEMBER);
        match member {
            Some(m) if !matches!(m, "song" | "bpm" | "notes" | "events") && is_json(value) => {
                kept.push((m, value.as_str()));
            }
            _ if matches!(name.as_str(), key::NOTE_TYPES | key::MUST_HIT_SECTIONS) => {}
            _ if name == key::EVENTS && is_json(value) => {}
            _ => {
                let message = format!("{name} not written: an FNF song has no place for it");
                report.push(LossKind::MetadataDropped, message);
            }
        }
    }
    kept
}

/// Whether `text` is one JSON value (extras may have been edited by hand).
fn is_json(text: &str) -> bool {
    Parser::for_format(text.as_bytes(), super::FORMAT_NAME)
        .and_then(|mut p| {
            p.raw_value()?;
            p.finish()
        })
        .is_ok()
}

fn report_metadata(m: &Metadata, report: &mut ConversionReport) {
    let unwritten = [
        ("title (unicode)", !m.title_unicode.is_empty()),
        ("subtitle", !m.subtitle.is_empty()),
        (
            "artist",
            !m.artist.is_empty() || !m.artist_unicode.is_empty(),
        ),
        ("creator", !m.creator.is_empty()),
        ("difficulty name", !m.difficulty_name.is_empty()),
        ("difficulty level", m.difficulty_level.is_some()),
        ("source", !m.source.is_empty()),
        ("genre", !m.genre.is_empty()),
        ("tags", !m.tags.is_empty()),
        ("description", !m.description.is_empty()),
        ("audio file", !m.audio_file.is_empty()),
        ("background file", !m.background_file.is_empty()),
        ("style", !m.style.is_empty()),
        ("preview time", m.preview_time_us.is_some()),
        ("chart id", m.chart_id.is_some() || m.set_id.is_some()),
        ("hp drain", m.hp_drain.is_some()),
        ("overall difficulty", m.overall_difficulty.is_some()),
    ];
    for (field, present) in unwritten {
        if present {
            let message = format!("{field} not written: an FNF song has no such field");
            report.push(LossKind::MetadataDropped, message);
        }
    }
}

//! [`FileContent`] → charts: tempo from the sections (legacy) or `timeChanges` (V-Slice),
//! notes of the chosen side, and the extras a round trip needs.

use std::fmt::Write as _;

use super::read::{FileContent, RawNote};
use super::{is_psych_v1, key, ms_to_us, section_ms, FnfOptions, Sides, DEFAULT_BPM, FORMAT_NAME};
use crate::model::{ConversionReport, DecodeLimits, LossKind, Note, TimingPoint};
use crate::{Chart, Error, Format, Result};

/// Top-level V-Slice members that say nothing about the chart: not reported when passed over.
const VSLICE_BOOKKEEPING: [&str; 3] = ["version", "generatedBy", "timeFormat"];

pub(super) fn charts(
    c: FileContent<'_>,
    options: &FnfOptions,
    limits: &DecodeLimits,
    report: &mut ConversionReport,
) -> Result<Vec<Chart>> {
    report_passed_over(&c, report);
    if !c.difficulties.is_empty() {
        vslice(c, options, limits, report)
    } else if c.has_time_changes && c.sections.is_empty() {
        Err(Error::NoChart(
            "a V-Slice metadata file holds no notes: decode it with its chart file \
             (fnf::decode_vslice)"
                .into(),
        ))
    } else if c.bpm.is_none() && c.sections.is_empty() {
        Err(Error::NoChart("no FNF song or chart in the file".into()))
    } else {
        Ok(vec![legacy(c, options, limits, report)?])
    }
}

fn report_passed_over(c: &FileContent<'_>, report: &mut ConversionReport) {
    for what in &c.passed_over {
        report.push(LossKind::MetadataDropped, format!("{what} not kept"));
    }
    if c.section_events > 0 {
        let n = c.section_events;
        report.push(
            LossKind::MetadataDropped,
            format!("{n} events written as notes of lane -1 (Psych 0.4) not kept"),
        );
    }
    if c.unplayable_lanes > 0 {
        let n = c.unplayable_lanes;
        report.push(
            LossKind::NoteDropped,
            format!("{n} notes of lanes past 7 (extra-key mods) not read"),
        );
    }
}

fn legacy(
    mut c: FileContent<'_>,
    options: &FnfOptions,
    limits: &DecodeLimits,
    report: &mut ConversionReport,
) -> Result<Chart> {
    let mut current = valid_bpm(c.bpm.unwrap_or(0.0), "song.bpm")?;
    let mut timing = vec![TimingPoint::bpm(0, current, 4)];
    let mut start_ms = 0.0;
    // As `Conductor.mapBPMChanges`: a change applies from its section's start, which the
    // lengths of the sections before it (at their tempos) place.
    for (index, section) in c.sections.iter().enumerate() {
        if let Some(bpm) = section.bpm_change.filter(|&b| b != current) {
            current = valid_bpm(bpm, &format!("section {index}'s bpm"))?;
            let time_us = ms_to_us(start_ms).ok_or_else(|| too_long(index))?;
            limits.check_timing_points(timing.len() + 1)?;
            timing.push(TimingPoint::bpm(time_us, current, 4));
        }
        start_ms += section_ms(current, section.steps);
    }
    let mut extras = Vec::new();
    // A Psych 1.0 song has its members at the top.
    let members = c.song_members.iter().chain(&c.top_members);
    for (name, value) in members {
        if !key::WRITTEN_DEFAULTS.contains(&(name.as_str(), *value)) {
            extras.push((format!("{}{name}", key::SONG_MEMBER), (*value).to_owned()));
        }
    }
    if let Some(events) = c.events {
        extras.push((key::EVENTS.to_owned(), events.to_owned()));
    }
    let opponent_focus = c.sections.iter().rposition(|s| !s.must_hit);
    if let Some(last) = opponent_focus {
        let must_hit = c.sections[..=last]
            .iter()
            .map(|s| if s.must_hit { '1' } else { '0' });
        extras.push((key::MUST_HIT_SECTIONS.to_owned(), must_hit.collect()));
    }
    let mut notes = std::mem::take(&mut c.notes);
    let mut members = c.song_members.iter().chain(&c.top_members);
    let format = members.find(|(name, _)| name == "format").map(|(_, v)| *v);
    if !is_psych_v1(format) {
        // Lanes 0–3 are the side the section is about: the player's when `mustHitSection`.
        for note in notes.iter_mut().filter(|n| n.opponent_focus) {
            note.lane = (note.lane + 4) % 8;
        }
    }
    let mut chart = chart(&c, &notes, options.sides, report);
    chart.timing = timing;
    chart.extras.splice(0..0, extras);
    limits.check_chart(&chart)?;
    Ok(chart)
}

fn vslice(
    c: FileContent<'_>,
    options: &FnfOptions,
    limits: &DecodeLimits,
    report: &mut ConversionReport,
) -> Result<Vec<Chart>> {
    limits.check_charts(c.difficulties.len())?;
    for (name, _) in &c.top_members {
        if !VSLICE_BOOKKEEPING.contains(&name.as_str()) {
            let message = format!("V-Slice member \"{name}\" not kept");
            report.push(LossKind::MetadataDropped, message);
        }
    }
    let mut timing = Vec::with_capacity(c.time_changes.len());
    for change in &c.time_changes {
        let bpm = valid_bpm(change.bpm, "a time change's bpm")?;
        timing.push(TimingPoint::bpm(change.time_us, bpm, change.meter));
    }
    if timing.is_empty() {
        timing.push(TimingPoint::bpm(0, DEFAULT_BPM, 4));
        report.push(
            LossKind::TimingDropped,
            "no V-Slice metadata (timeChanges): the tempo is unknown, 100 BPM assumed; \
             read the chart with its metadata file (fnf::decode_vslice)",
        );
    }
    let mut left = *limits;
    let mut charts = Vec::with_capacity(c.difficulties.len());
    for difficulty in &c.difficulties {
        let mut chart = chart(&c, &difficulty.notes, options.sides, report);
        chart.metadata.difficulty_name.clone_from(&difficulty.name);
        chart.timing.clone_from(&timing);
        let speed = c.scroll_speeds.iter().find(|(d, _)| *d == difficulty.name);
        let mut extras = Vec::new();
        if let Some((_, speed)) = speed {
            extras.push((format!("{}speed", key::SONG_MEMBER), (*speed).to_owned()));
        }
        if let Some(events) = c.events {
            extras.push((key::VSLICE_EVENTS.to_owned(), events.to_owned()));
        }
        chart.extras.splice(0..0, extras);
        chart.sort();
        left.check_chart(&chart).map_err(|e| limits.restate(e))?;
        left = left.after(&chart);
        charts.push(chart);
    }
    Ok(charts)
}

/// A chart of `notes` (one side or both, by `sides`) with the song's names, its note types
/// in the extras; no timing yet.
fn chart(
    c: &FileContent<'_>,
    notes: &[RawNote<'_>],
    sides: Sides,
    report: &mut ConversionReport,
) -> Chart {
    let mut chart = Chart::new(if sides == Sides::Both { 8 } else { 4 });
    chart.source_format = Some(Format::Fnf);
    let m = &mut chart.metadata;
    m.title = c.title.clone().unwrap_or_default();
    m.artist = c.artist.clone().unwrap_or_default();
    m.creator = c.charter.clone().unwrap_or_default();
    let mut types = Vec::new();
    let mut other_side = 0;
    chart.notes.reserve(notes.len());
    for n in notes {
        let column = match sides {
            Sides::Player => (n.lane < 4).then_some(n.lane),
            Sides::Opponent => n.lane.checked_sub(4),
            Sides::Both => Some(n.lane),
        };
        let Some(column) = column else {
            other_side += 1;
            continue;
        };
        chart.notes.push(if n.length_us > 0 {
            Note::hold(n.time_us, n.length_us, column)
        } else {
            Note::tap(n.time_us, column)
        });
        if let Some(kind) = n.kind {
            types.push((n.time_us, column, kind));
        }
    }
    if other_side > 0 {
        let side = if sides == Sides::Player {
            "opponent"
        } else {
            "player"
        };
        report.push(
            LossKind::NoteDropped,
            format!("{other_side} {side} notes not read (FnfOptions::sides is {sides:?})"),
        );
    }
    if !types.is_empty() {
        // In time order, as the notes (and a written file) have them.
        types.sort_by_key(|&(time_us, column, _)| (time_us, column));
        let mut text = String::new();
        for (time_us, column, kind) in types {
            writeln!(text, "{time_us} {column} {kind}").expect("writing to a String");
        }
        chart.extras.push((key::NOTE_TYPES.to_owned(), text));
    }
    chart.sort();
    chart
}

fn valid_bpm(bpm: f64, what: &str) -> Result<f64> {
    if bpm > 0.0 && bpm.is_finite() {
        Ok(bpm)
    } else {
        Err(Error::Parse {
            format: FORMAT_NAME,
            line: 0,
            message: format!("{what} is {bpm}: a tempo must be above 0"),
        })
    }
}

fn too_long(section: usize) -> Error {
    Error::Parse {
        format: FORMAT_NAME,
        line: 0,
        message: format!("section {section} starts past the longest time read"),
    }
}

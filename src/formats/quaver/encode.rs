//! `Chart` → `.qua`, laid out as Quaver writes maps (key order, lists at their key's
//! indentation, defaults left out), with LF line breaks.
//!
//! Quaver has no stops, delays, warps, rolls, lifts, fakes, osu! sample banks or timing point
//! sounds, and holds hit objects at whole milliseconds: what it cannot express is changed or
//! left out and listed in the report.

mod hit_objects;
mod losses;

use std::io::Write as _;

use super::extras::{top_level_lines, Extras, ItemFields, SampleFields};
use super::{lane_to_column, yaml, KEY_PREFIX, TOP_LEVEL};
use crate::formats::text::{push_int, push_ms};
use crate::model::{
    scroll_set_at, time_in_range, Chart, ConversionReport, LossKind, NoteKind, TimingKind,
};
use crate::timeline::{tempo_change_resets_scroll, Rules};
use crate::{Error, Result};
use hit_objects::Nth;

/// Hit object times are C# `int` milliseconds in Quaver.
const MAX_NOTE_US: u64 = i32::MAX as u64 * 1000;

pub fn encode(chart: &Chart, report: &mut ConversionReport) -> Result<Vec<u8>> {
    let (mode, scratch) = mode_of(chart, report)?;
    let keys = chart.key_count;
    let extras = Extras::from_chart(chart, report);
    let mut top: Vec<&(String, String)> = extras.top.iter().collect();
    let mut notes = Kept::new(&extras.hit_objects, |lane| {
        lane_to_column(lane, keys, scratch)
    });
    let m = &chart.metadata;
    let mut w = Writer {
        out: Vec::with_capacity(4096 + chart.timing.len() * 48 + chart.notes.len() * 32),
    };

    for key in TOP_LEVEL {
        match key {
            "QuaVersion"
                if extras.top_level(key).is_none()
                    && chart.notes.iter().any(|n| n.kind == NoteKind::Mine) =>
            {
                // Quaver marks maps with mines as version 1.
                w.out.extend_from_slice(b"QuaVersion: 1\n");
            }
            "AudioFile" => w.text(key, &m.audio_file),
            "SongPreviewTime" => w.preview_time(m.preview_time_us, report),
            "BackgroundFile" => w.text(key, &m.background_file),
            "MapId" => w.online_id(key, m.chart_id, report),
            "MapSetId" => w.online_id(key, m.set_id, report),
            "Mode" => {
                w.key(key);
                w.out.extend_from_slice(b"Keys");
                w.int(mode.into());
                w.line_end();
            }
            "Title" => w.text(key, &m.title),
            "Artist" => w.text(key, &m.artist),
            "Source" => w.text(key, &m.source),
            "Tags" => w.text(key, &m.tags),
            "Creator" => w.text(key, &m.creator),
            "DifficultyName" => w.text(key, &m.difficulty_name),
            "Description" => w.text(key, &m.description),
            "Genre" if !m.genre.is_empty() => w.text(key, &m.genre),
            "HasScratchKey" if scratch => w.out.extend_from_slice(b"HasScratchKey: true\n"),
            "EditorLayers" | "SoundEffects" if extras.top_level(key).is_none() => {
                // Quaver writes these lists even when empty.
                w.key(key);
                w.out.extend_from_slice(b"[]\n");
            }
            "CustomAudioSamples" => w.samples(&chart.keysounds, &extras.samples, report),
            "TimingPoints" => w.timing_points(chart, &extras.timing_points, report),
            "SliderVelocities" => w.slider_velocities(chart, &extras.slider_velocities, report),
            "HitObjects" => w.hit_objects(chart, (keys, scratch), &mut notes, report)?,
            _ => {
                if let Some(i) = top.iter().position(|(k, _)| k == key) {
                    w.top_level(top.remove(i))?;
                }
            }
        }
    }
    // Keys Quaver does not know, in their order.
    for entry in top {
        w.top_level(entry)?;
    }
    losses::report(chart, report);
    Ok(w.out)
}

/// Quaver's mode and scratch flag for the chart's key count.
fn mode_of(chart: &Chart, report: &mut ConversionReport) -> Result<(u8, bool)> {
    match (chart.metadata.has_scratch, chart.key_count) {
        (false, keys @ 1..=10) => Ok((keys, false)),
        (true, keys @ 2..=11) => Ok((keys - 1, true)),
        (true, 1) => {
            report.push(
                LossKind::MetadataDropped,
                "scratch lane: Quaver adds a scratch lane to 1 to 10 keys, not to a 1-key chart's only lane",
            );
            Ok((1, false))
        }
        (scratch, keys) => Err(Error::InvalidArgument(format!(
            "Quaver supports 1 to 10 keys, and 2 to 11 when one is a scratch lane; this chart has {keys}{}",
            if scratch { " with a scratch lane" } else { "" }
        ))),
    }
}

/// ms rounded to the nearest, ties away from zero.
fn round_ms(us: i64) -> i64 {
    (us + if us < 0 { -500 } else { 500 }) / 1000
}

struct Writer {
    out: Vec<u8>,
}

impl Writer {
    fn key(&mut self, key: &str) {
        self.out.extend_from_slice(key.as_bytes());
        self.out.extend_from_slice(b": ");
    }

    fn line_end(&mut self) {
        self.out.push(b'\n');
    }

    fn int(&mut self, v: i64) {
        push_int(&mut self.out, v);
    }

    /// Shortest text that reads back as the same f64.
    fn float(&mut self, v: f64) {
        write!(self.out, "{v}").expect("writing to a Vec cannot fail");
    }

    fn text(&mut self, key: &str, value: &str) {
        self.key(key);
        yaml::write_str(&mut self.out, value);
        self.line_end();
    }

    fn preview_time(&mut self, time_us: Option<i64>, report: &mut ConversionReport) {
        let Some(t) = time_us else {
            return;
        };
        if !time_in_range(t) {
            // Readers (ours too) refuse a time the model cannot hold: the map keeps its notes.
            let what = format!("SongPreviewTime {t} µs is beyond ±2^52 µs: left out");
            report.push(LossKind::MetadataDropped, what);
            return;
        }
        let ms = round_ms(t);
        if ms * 1000 != t {
            report.push(
                LossKind::MetadataDropped,
                format!("SongPreviewTime is whole ms in Quaver: {t} µs written as {ms} ms"),
            );
        }
        self.key("SongPreviewTime");
        self.int(ms);
        self.line_end();
    }

    /// Quaver's ids are C# `int`s, -1 when the map is not submitted.
    fn online_id(&mut self, key: &str, id: Option<i64>, report: &mut ConversionReport) {
        let id = match id {
            Some(id) if i32::try_from(id).is_err() => {
                report.push(
                    LossKind::MetadataDropped,
                    format!("{key} {id} does not fit Quaver's 32-bit ids: written as -1"),
                );
                -1
            }
            id => id.unwrap_or(-1),
        };
        self.key(key);
        self.int(id);
        self.line_end();
    }

    /// A kept top-level entry (checked by `Extras::from_chart`).
    fn top_level(&mut self, (name, value): &(String, String)) -> Result<()> {
        self.out.extend(top_level_lines(name, value)?);
        Ok(())
    }

    fn samples(&mut self, paths: &[String], kept: &[SampleFields], report: &mut ConversionReport) {
        self.out.extend_from_slice(b"CustomAudioSamples:");
        if paths.is_empty() {
            self.out.extend_from_slice(b" []\n");
        } else {
            self.line_end();
        }
        // Kept fields apply to the sample at their position while it has the same path.
        let mut used = 0;
        for (i, path) in paths.iter().enumerate() {
            self.out.extend_from_slice(b"- Path: ");
            yaml::write_str(&mut self.out, path);
            self.line_end();
            if let Some(sample) = kept.get(i).filter(|s| s.path.as_deref() == Some(path)) {
                self.out.extend_from_slice(sample.fields.as_bytes());
                used += 1;
            }
        }
        report_unused("CustomAudioSamples", kept.len() - used, report);
    }

    fn timing_points(&mut self, chart: &Chart, kept: &[ItemFields], report: &mut ConversionReport) {
        self.out.extend_from_slice(b"TimingPoints:");
        let mut kept = Kept::new(kept, |lane| lane);
        let mut any = false;
        let mut nth = Nth::default();
        for (index, t) in chart.timing.iter().enumerate() {
            let TimingKind::Bpm { bpm, meter } = t.kind else {
                continue;
            };
            if !std::mem::replace(&mut any, true) {
                self.line_end();
            }
            self.out.extend_from_slice(b"- StartTime: ");
            push_ms(&mut self.out, t.time_us);
            self.out.extend_from_slice(b"\n  Bpm: ");
            self.float(bpm);
            self.line_end();
            self.signature(meter, index, t.time_us, report);
            let key = ((t.time_us, 0), nth.next((t.time_us, 0)));
            if let Some(fields) = kept.take(key) {
                self.out.extend_from_slice(fields.fields.as_bytes());
            }
        }
        if !any {
            self.out.extend_from_slice(b" []\n");
        }
        kept.report_unused("TimingPoints", report);
    }

    /// The `Signature` of a timing point: left out for 4/4 (Quaver's default).
    fn signature(&mut self, meter: u32, index: usize, time_us: i64, report: &mut ConversionReport) {
        match meter {
            4 => {}
            3 => self.out.extend_from_slice(b"  Signature: Triple\n"),
            m if m > 0 && m <= i32::MAX as u32 => {
                self.out.extend_from_slice(b"  Signature: ");
                self.int(m.into());
                self.line_end();
            }
            m => {
                report
                    .push(
                        LossKind::TimingChanged,
                        format!("time signature {m}/4 cannot be written to .qua: written as 4/4"),
                    )
                    .at(index, time_us);
            }
        }
    }

    fn slider_velocities(
        &mut self,
        chart: &Chart,
        kept: &[ItemFields],
        report: &mut ConversionReport,
    ) {
        self.out.extend_from_slice(b"SliderVelocities:");
        let mut kept = Kept::new(kept, |lane| lane);
        let mut any = false;
        let mut nth = Nth::default();
        // Quaver sets the SV back to 1 at each timing point (its SVs are relative to the BPM);
        // a chart from a game that keeps it gets an SV there.
        let keep_speed =
            !tempo_change_resets_scroll(chart) && Rules::for_chart(chart) != Rules::Quaver;
        let mut speed = 1.0;
        for t in &chart.timing {
            let multiplier = match t.kind {
                TimingKind::Scroll { multiplier } => multiplier,
                TimingKind::Bpm { .. }
                    if keep_speed && speed != 1.0 && !scroll_set_at(&chart.timing, t.time_us) =>
                {
                    speed
                }
                _ => continue,
            };
            if !std::mem::replace(&mut any, true) {
                self.line_end();
            }
            self.out.extend_from_slice(b"- StartTime: ");
            push_ms(&mut self.out, t.time_us);
            self.out.extend_from_slice(b"\n  Multiplier: ");
            self.float(multiplier);
            self.line_end();
            if let TimingKind::Scroll { .. } = t.kind {
                speed = multiplier;
                if let Some(fields) = kept.take(((t.time_us, 0), nth.next((t.time_us, 0)))) {
                    self.out.extend_from_slice(fields.fields.as_bytes());
                }
            }
        }
        if !any {
            self.out.extend_from_slice(b" []\n");
        }
        kept.report_unused("SliderVelocities", report);
    }
}

/// The kept fields of one list, in the order the writer walks its items: by time, column and
/// `Nth` (see `Nth`).
struct Kept<'e> {
    items: Vec<(ItemKey, &'e ItemFields)>,
    /// Position of the first item not yet passed, for the in-order walk of `take`.
    next: usize,
    used: usize,
}

/// ((time, column), nth): what names an item as the writer walks the chart.
type ItemKey = ((i64, u8), u32);

impl<'e> Kept<'e> {
    /// `column`: the chart's column of a lane in the file.
    fn new(items: &'e [ItemFields], column: impl Fn(u8) -> u8) -> Kept<'e> {
        let mut items: Vec<_> = items
            .iter()
            .map(|i| (((i.id.time_us, column(i.id.lane)), i.id.nth), i))
            .collect();
        items.sort_by_key(|(key, _)| *key);
        Kept {
            items,
            next: 0,
            used: 0,
        }
    }

    /// The fields of the item `key`; items come in key order.
    fn take(&mut self, key: ItemKey) -> Option<&'e ItemFields> {
        while self.items.get(self.next).is_some_and(|(k, _)| *k < key) {
            self.next += 1;
        }
        let &(k, fields) = self.items.get(self.next)?;
        if k != key {
            return None;
        }
        self.next += 1;
        self.used += 1;
        Some(fields)
    }

    fn report_unused(&self, list: &str, report: &mut ConversionReport) {
        report_unused(list, self.items.len() - self.used, report);
    }
}

fn report_unused(list: &str, unused: usize, report: &mut ConversionReport) {
    if unused > 0 {
        report.push(
            LossKind::MetadataDropped,
            format!(
                "{KEY_PREFIX}{list}: kept fields of {unused} item(s) whose item is no longer in the chart"
            ),
        );
    }
}

//! What the `.qua` codec keeps in `Chart::extras` for its own round trips, typed: top-level
//! entries the model has no field for, and the fields of list items it has no place for.
//! `Extras::into_chart_extras` is the one place that writes them (for the decoder),
//! `Extras::from_chart` the one that reads them back (for the encoder); docs/format-mapping.md
//! describes the text.

use std::collections::HashSet;

use super::yaml::{self, Node, Reader, Scalar};
use super::{extras_order, FROM_MODEL, KEY_PREFIX};
use crate::formats::text::push_ms;
use crate::model::{Chart, ConversionReport, LossKind};
use crate::Result;

// Keys of the side tables: the lists whose items have fields kept here.
const HIT_OBJECTS: &str = "HitObjects";
const TIMING_POINTS: &str = "TimingPoints";
const SLIDER_VELOCITIES: &str = "SliderVelocities";
const SAMPLES: &str = "CustomAudioSamples";

#[derive(Debug, Default, Clone, PartialEq)]
pub struct Extras {
    /// Top-level entries: (key without prefix, value as a YAML document).
    pub top: Vec<(String, String)>,
    /// Kept fields of hit objects, timing points and scroll velocities, sorted by `id`.
    pub hit_objects: Vec<ItemFields>,
    pub timing_points: Vec<ItemFields>,
    pub slider_velocities: Vec<ItemFields>,
    /// Every sample, in order, when any has more than a `Path`; else empty.
    pub samples: Vec<SampleFields>,
}

/// What names a list item: its time, lane (0 for timing points) and its position among items
/// with the same time and lane in the file.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ItemId {
    pub time_us: i64,
    pub lane: u8,
    pub nth: u32,
}

/// Fields of one item as YAML lines indented by 2, ready to be written under its `- StartTime`.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct ItemFields {
    pub id: ItemId,
    /// `  - Sample: …` lines: keysounds after the first.
    pub keysounds: String,
    /// `  EndTime: …` of a mine.
    pub end_time: Option<String>,
    /// Other `  Key: value` lines.
    pub fields: String,
}

impl ItemFields {
    pub fn is_empty(&self) -> bool {
        self.keysounds.is_empty() && self.end_time.is_none() && self.fields.is_empty()
    }
}

#[derive(Debug, Default, Clone, PartialEq)]
pub struct SampleFields {
    /// `None` when a hand-written entry has no `Path`: it then applies to no sample.
    pub path: Option<String>,
    pub fields: String,
}

impl Extras {
    /// The `Chart::extras` entries, `qua.`-prefixed, in the order Quaver writes the keys.
    pub fn into_chart_extras(self) -> Vec<(String, String)> {
        let mut extras = self.top;
        let tables = [
            (SAMPLES, samples_table(&self.samples)),
            (TIMING_POINTS, items_table(&self.timing_points, false)),
            (
                SLIDER_VELOCITIES,
                items_table(&self.slider_velocities, false),
            ),
            (HIT_OBJECTS, items_table(&self.hit_objects, true)),
        ];
        for (key, table) in tables {
            if let Some(table) = table {
                extras.push((key.to_owned(), table));
            }
        }
        // A canonical order, so that a chart written and read back compares equal.
        extras.sort_by_key(|(k, _)| extras_order(k));
        extras
            .into_iter()
            .map(|(k, v)| (format!("{KEY_PREFIX}{k}"), v))
            .collect()
    }

    /// The extras of `chart` that `.qua` can write back; what it cannot (another format's, a
    /// key written from the model, text that is not valid) is listed in `report`.
    pub fn from_chart(chart: &Chart, report: &mut ConversionReport) -> Extras {
        let mut extras = Extras::default();
        // A set: a file can hold tens of thousands of keys.
        let mut seen: HashSet<&str> = HashSet::new();
        for (key, value) in &chart.extras {
            let Some(name) = key.strip_prefix(KEY_PREFIX) else {
                report.push(
                    LossKind::MetadataDropped,
                    format!("{key}: Quaver has no place for it"),
                );
                continue;
            };
            let result = if FROM_MODEL.contains(&name) {
                Err("duplicates a field written from the chart".to_owned())
            } else if seen.contains(name) {
                Err("is given twice".to_owned())
            } else if !valid_key(name) {
                Err("is not a key a .qua file can hold".to_owned())
            } else {
                extras
                    .read_entry(name, value, chart.key_count)
                    .map_err(|e| format!("is not valid: {e}"))
            };
            seen.insert(name);
            if let Err(problem) = result {
                report.push(LossKind::MetadataDropped, format!("{key} {problem}"));
            }
        }
        extras
    }

    fn read_entry(&mut self, name: &str, value: &str, lanes: u8) -> Result<()> {
        match name {
            HIT_OBJECTS => self.hit_objects = hit_object_items(value, lanes)?,
            TIMING_POINTS => self.timing_points = items(value, Table::Timing)?,
            SLIDER_VELOCITIES => self.slider_velocities = items(value, Table::Timing)?,
            SAMPLES => {
                let entries = read_table(value, Table::Samples)?;
                self.samples = entries
                    .into_iter()
                    .map(|entry| SampleFields {
                        path: entry.path,
                        fields: entry.item.fields,
                    })
                    .collect();
            }
            _ => {
                // Laid out here only to be checked: what is kept can then be written.
                top_level_lines(name, value)?;
                self.top.push((name.to_owned(), value.to_owned()));
            }
        }
        Ok(())
    }

    /// The top-level entry `name`, if kept.
    pub fn top_level(&self, name: &str) -> Option<&str> {
        self.top
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

/// The kept fields of hit objects (the `qua.HitObjects` extra of a chart of `lanes` lanes),
/// sorted by id.
pub(super) fn hit_object_items(value: &str, lanes: u8) -> Result<Vec<ItemFields>> {
    items(value, Table::HitObjects { lanes })
}

fn items(value: &str, table: Table) -> Result<Vec<ItemFields>> {
    let mut items: Vec<_> = read_table(value, table)?
        .into_iter()
        .map(|entry| entry.item)
        .collect();
    items.sort_by_key(|item| item.id);
    Ok(items)
}

/// The lines of the top-level entry `name: value`, laid out as Quaver writes them.
pub fn top_level_lines(name: &str, value: &str) -> Result<Vec<u8>> {
    let text = yaml::text_of(value.as_bytes())?;
    let mut r = Reader::new(text);
    let node = r.document()?;
    let mut lines = Vec::new();
    yaml::write_str(&mut lines, name);
    lines.push(b':');
    yaml::copy_value(&mut r, node, &mut lines, 0)?;
    r.finish()?;
    Ok(lines)
}

/// A key Quaver can read back as the same top-level key.
fn valid_key(name: &str) -> bool {
    !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '$')
}

// ---------------------------------------------------------------------------------------------
// Side tables as text: a YAML list naming each item by `StartTime` (and `Lane`), plus `Nth`
// when not 0, followed by its fields.

/// Appends a time in µs as exact ms, as `.qua` times are written.
pub(super) fn push_ms_text(out: &mut String, us: i64) {
    let mut bytes = Vec::new();
    push_ms(&mut bytes, us);
    out.push_str(&String::from_utf8_lossy(&bytes));
}

fn items_table(items: &[ItemFields], with_lane: bool) -> Option<String> {
    if items.is_empty() {
        return None;
    }
    let mut doc = String::new();
    for item in items {
        doc.push_str("- StartTime: ");
        push_ms_text(&mut doc, item.id.time_us);
        doc.push('\n');
        if with_lane {
            doc.push_str(&format!("  Lane: {}\n", item.id.lane));
        }
        if item.id.nth > 0 {
            doc.push_str(&format!("  Nth: {}\n", item.id.nth));
        }
        if !item.keysounds.is_empty() {
            doc.push_str("  KeySounds:\n");
            doc.push_str(&item.keysounds);
        }
        doc.push_str(item.end_time.as_deref().unwrap_or(""));
        doc.push_str(&item.fields);
    }
    doc.pop();
    Some(doc)
}

fn samples_table(samples: &[SampleFields]) -> Option<String> {
    if samples.is_empty() {
        return None;
    }
    let mut doc = String::new();
    for sample in samples {
        let mut line = b"- Path: ".to_vec();
        yaml::write_str(&mut line, sample.path.as_deref().unwrap_or(""));
        doc.push_str(&String::from_utf8_lossy(&line));
        doc.push('\n');
        doc.push_str(&sample.fields);
    }
    doc.pop();
    Some(doc)
}

#[derive(Clone, Copy)]
enum Table {
    /// Entries name hit objects by `StartTime`, `Lane` (up to `lanes`) and `Nth`.
    HitObjects { lanes: u8 },
    /// Entries name timing points by `StartTime` and `Nth`.
    Timing,
    /// Entries are the samples, in order, with their `Path`.
    Samples,
}

impl Table {
    /// Fields the writer writes from the chart, which kept fields must not repeat.
    fn owns(self, field: &str) -> bool {
        match self {
            Table::HitObjects { .. } => matches!(field, "HitSound" | "Type"),
            Table::Timing => matches!(field, "Bpm" | "Signature" | "Multiplier"),
            Table::Samples => false,
        }
    }
}

/// One entry of a side table as read.
#[derive(Default)]
struct Entry {
    item: ItemFields,
    time_us: Option<i64>,
    lane: Option<u8>,
    path: Option<String>,
}

/// Reads a side table (as `into_chart_extras` writes it, or as edited by hand), in its order.
fn read_table(value: &str, table: Table) -> Result<Vec<Entry>> {
    let text = yaml::text_of(value.as_bytes())?;
    let mut r = Reader::new(text);
    let node = r.document()?;
    if !matches!(node, Node::Seq(_)) {
        return Err(yaml::error(1, "expected a list"));
    }
    let mut entries = Vec::new();
    while r.next_item()? {
        let line = r.line();
        if !matches!(r.node()?, Node::Map(_)) {
            return Err(yaml::error(line, "expected 'Key: value' fields"));
        }
        let mut entry = Entry::default();
        while let Some(key) = r.next_key()? {
            read_field(&mut r, &key, table, &mut entry)?;
        }
        entry.item.id = match table {
            Table::HitObjects { .. } => {
                let (Some(time_us), Some(lane)) = (entry.time_us, entry.lane) else {
                    return Err(yaml::error(line, "an entry has no StartTime or Lane"));
                };
                ItemId {
                    time_us,
                    lane,
                    ..entry.item.id
                }
            }
            Table::Timing => ItemId {
                time_us: entry
                    .time_us
                    .ok_or_else(|| yaml::error(line, "an entry has no StartTime"))?,
                ..entry.item.id
            },
            Table::Samples => ItemId::default(),
        };
        entries.push(entry);
    }
    r.finish()?;
    Ok(entries)
}

/// One field of a side table entry, whose key has been read.
fn read_field<'a>(
    r: &mut Reader<'a>,
    key: &Scalar<'a>,
    table: Table,
    entry: &mut Entry,
) -> Result<()> {
    let field = &*key.text;
    let node = r.node()?;
    let scalar = |node: Node<'a>| match node {
        Node::Scalar(s) => Ok(s),
        _ => Err(yaml::error(
            key.line,
            format!("{field} must be a single value"),
        )),
    };
    let item = &mut entry.item;
    match (field, table) {
        ("StartTime", Table::HitObjects { .. } | Table::Timing) => {
            let s = scalar(node)?;
            let ms = s
                .float()
                .filter(|v| v.is_finite())
                .ok_or_else(|| yaml::error(s.line, "StartTime is not a number"))?;
            entry.time_us = Some((ms * 1000.0).round() as i64);
        }
        ("Lane", Table::HitObjects { lanes }) => {
            let s = scalar(node)?;
            let lane = s
                .int()
                .filter(|l| (1..=i64::from(lanes)).contains(l))
                .ok_or_else(|| yaml::error(s.line, "Lane is not a lane of the chart"))?;
            entry.lane = Some(lane as u8);
        }
        ("Nth", Table::HitObjects { .. } | Table::Timing) => {
            let s = scalar(node)?;
            item.id.nth = s
                .int()
                .and_then(|n| u32::try_from(n).ok())
                .ok_or_else(|| yaml::error(s.line, "Nth is not a count"))?;
        }
        ("Path", Table::Samples) => {
            let s = scalar(node)?;
            entry.path = Some(if s.is_null() {
                String::new()
            } else {
                s.text.into_owned()
            });
        }
        ("KeySounds", Table::HitObjects { .. }) => {
            let mut lines = Vec::new();
            yaml::copy_value(r, node, &mut lines, 2)?;
            // Only the items: the writer puts them after the note's first keysound.
            item.keysounds = lossless(lines.strip_prefix(b"\n").unwrap_or(&[]));
        }
        ("EndTime", Table::HitObjects { .. }) => {
            let mut lines = b"  EndTime:".to_vec();
            yaml::copy_value(r, node, &mut lines, 2)?;
            item.end_time = Some(lossless(&lines));
        }
        _ if table.owns(field) => {
            return Err(yaml::error(
                key.line,
                format!("{field} is written from the chart"),
            ))
        }
        _ => {
            let mut lines = b"  ".to_vec();
            yaml::write_str(&mut lines, field);
            lines.push(b':');
            yaml::copy_value(r, node, &mut lines, 2)?;
            item.fields.push_str(&lossless(&lines));
        }
    }
    Ok(())
}

/// YAML the writer made from `str`s, split only at ASCII bytes: always UTF-8.
fn lossless(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[cfg(test)]
mod tests;

//! Quaver's scroll groups, read from what the decoder keeps (`qua.TimingGroups` and the
//! `TimingGroup` fields of `qua.HitObjects`), for the timeline: each group's own
//! `InitialScrollVelocity` and `ScrollVelocities`, and the group of each note.
//!
//! Quaver.API (`Quaver.API/Maps/Qua.cs`, `Maps/Structures/ScrollGroup.cs`,
//! `HitObjectInfo.cs`): `$Default` is the map's top-level SVs (a `$Default` entry of
//! `TimingGroups` is replaced by them on load), `$Global`'s SVs are merged into every other
//! group's, a note without `TimingGroup` is in `$Default`, and one naming a group the map does
//! not have is placed by `$Default` (`HitObjectManagerKeys.InitializeHitObjectInfo`).

use std::collections::{HashMap, HashSet};

use super::extras::hit_object_items;
use super::yaml::{self, Node, Reader, Scalar};
use super::{column_to_lane, KEY_PREFIX};
use crate::model::{ConversionReport, LossKind};
use crate::{Chart, Result};

/// Quaver's `Qua.DefaultScrollGroupId`.
pub const DEFAULT_GROUP: &str = "$Default";
/// Quaver's `Qua.GlobalScrollGroupId`: its SVs apply to every other group too.
pub const GLOBAL_GROUP: &str = "$Global";

/// One `!ScrollGroup` of `TimingGroups`, as the file gives it (Quaver never normalizes these
/// SVs: `NormalizeSVs` changes the default group only).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ScrollGroup {
    pub id: String,
    /// 0 when absent (C#'s default), as Quaver reads it.
    pub initial_velocity: f32,
    /// (start ms, multiplier), in file order.
    pub velocities: Vec<(f32, f32)>,
}

/// The groups of a chart and the group of each note.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ScrollGroups {
    /// The groups of `TimingGroups` other than `$Default`, in file order (with `$Global` when
    /// the file has it). Group `i + 1` of the timeline is `groups[i]`; group 0 is `$Default`.
    pub groups: Vec<ScrollGroup>,
    /// The group of each note of the chart: 0 for `$Default`, else 1 + its index in `groups`.
    /// Empty when every note is in `$Default`.
    pub note_groups: Vec<u32>,
}

impl ScrollGroups {
    /// The SVs of `$Global` (empty when the map has none).
    pub fn global_velocities(&self) -> &[(f32, f32)] {
        self.groups
            .iter()
            .find(|g| g.id == GLOBAL_GROUP)
            .map_or(&[], |g| &g.velocities)
    }
}

/// The scroll groups of a chart decoded from `.qua` (none for other charts). Extras that are
/// not valid (edited by hand or by another tool) are an error: `Chart`'s note order and
/// `qua.HitObjects` naming notes by time, lane and rank must agree as the encoder reads them.
pub fn scroll_groups(chart: &Chart) -> Result<ScrollGroups> {
    let extra = |name: &str| chart.extra(&format!("{KEY_PREFIX}{name}"));
    let Some(doc) = extra("TimingGroups") else {
        return Ok(ScrollGroups::default());
    };
    let groups = read_groups(doc)?;
    let note_groups = match extra("HitObjects") {
        Some(kept) => note_groups(chart, kept, &groups)?,
        None => Vec::new(),
    };
    Ok(ScrollGroups {
        groups,
        note_groups,
    })
}

/// Lists in `report` what writing `chart` to `target` (a format with one scroll for every
/// note) loses of its scroll groups: each group's notes, and `$Global`'s SVs. Kept extras that
/// cannot be read add nothing here (the target reports every extra it does not write).
pub(crate) fn report_dropped(chart: &Chart, target: &str, report: &mut ConversionReport) {
    let Ok(groups) = scroll_groups(chart) else {
        return;
    };
    // (note count, first note) of each group.
    let mut notes = vec![(0usize, 0usize); groups.groups.len() + 1];
    for (i, &g) in groups.note_groups.iter().enumerate() {
        let (count, first) = &mut notes[g as usize];
        if *count == 0 {
            *first = i;
        }
        *count += 1;
    }
    for (group, &(count, first)) in groups.groups.iter().zip(&notes[1..]) {
        if count == 0 {
            continue;
        }
        report
            .push(
                LossKind::ScrollGroupDropped,
                format!(
                    "{count} note(s) of Quaver scroll group '{}' scroll with the default group: .{target} scrolls every note alike",
                    group.id
                ),
            )
            .at(first, chart.notes[first].time_us);
    }
    let global = groups.global_velocities();
    if !global.is_empty() {
        report.push(
            LossKind::ScrollGroupDropped,
            format!(
                "{} scroll velocities of Quaver's $Global group not written: .{target} has no scroll applied to every group",
                global.len()
            ),
        );
    }
}

/// The group of each note from the kept `TimingGroup` fields (empty if all are `$Default`).
fn note_groups(chart: &Chart, kept: &str, groups: &[ScrollGroup]) -> Result<Vec<u32>> {
    let scratch = chart.metadata.has_scratch && chart.key_count > 1;
    let number: HashMap<&str, u32> = (groups.iter().enumerate())
        .map(|(i, g)| (g.id.as_str(), i as u32 + 1))
        .collect();
    let mut named: Vec<((i64, u8, u32), u32)> = Vec::new();
    for item in hit_object_items(kept, chart.key_count)? {
        let Some(id) = timing_group_field(&item.fields)? else {
            continue;
        };
        if let Some(&group) = number.get(id.as_str()) {
            let key = (item.id.time_us, item.id.lane, item.id.nth);
            named.push((key, group));
        }
    }
    if named.is_empty() {
        return Ok(Vec::new());
    }
    named.sort_unstable();
    // Rank of each note among the notes of its time and lane, in chart order, as the file's.
    let mut seen: Vec<((i64, u8), u32)> = Vec::new();
    let mut out = Vec::with_capacity(chart.notes.len());
    for note in &chart.notes {
        if note.column >= chart.key_count {
            // No kept item names a lane the chart does not have.
            out.push(0);
            continue;
        }
        let lane = column_to_lane(note.column, chart.key_count, scratch);
        let at = (note.time_us, lane);
        let nth = match seen.iter_mut().rev().find(|(k, _)| *k == at) {
            Some((_, n)) => {
                *n += 1;
                *n
            }
            None => {
                seen.retain(|(k, _)| k.0 == note.time_us);
                seen.push((at, 0));
                0
            }
        };
        let key = (note.time_us, lane, nth);
        let group = named
            .binary_search_by(|(k, _)| k.cmp(&key))
            .map_or(0, |i| named[i].1);
        out.push(group);
    }
    Ok(out)
}

/// The `TimingGroup: …` of a kept item's `  Key: value` lines.
fn timing_group_field(fields: &str) -> Result<Option<String>> {
    if !fields.contains("TimingGroup") {
        return Ok(None);
    }
    let mut r = Reader::new(fields);
    let Node::Map(_) = r.document()? else {
        return Ok(None);
    };
    let mut found = None;
    while let Some(key) = r.next_key()? {
        match (&*key.text, r.node()?) {
            ("TimingGroup", Node::Scalar(s)) if !s.is_null() => found = Some(s.text.into_owned()),
            (_, node) => r.skip(node)?,
        }
    }
    Ok(found)
}

/// `TimingGroups` (a mapping of ids to `!ScrollGroup`s), without `$Default`; of an id given
/// twice, the first entry.
fn read_groups(doc: &str) -> Result<Vec<ScrollGroup>> {
    let mut r = Reader::new(yaml::text_of(doc.as_bytes())?);
    let node = r.document()?;
    let Node::Map(_) = node else {
        r.skip(node)?;
        return Ok(Vec::new());
    };
    let mut groups: Vec<ScrollGroup> = Vec::new();
    let mut ids = HashSet::new();
    while let Some(id) = r.next_key()? {
        let node = r.node()?;
        let id = id.text.into_owned();
        if id == DEFAULT_GROUP || !ids.insert(id.clone()) {
            r.skip(node)?;
            continue;
        }
        let mut group = ScrollGroup {
            id,
            ..ScrollGroup::default()
        };
        if let Node::Map(_) = node {
            read_group(&mut r, &mut group)?;
        } else {
            r.skip(node)?;
        }
        groups.push(group);
    }
    r.finish()?;
    Ok(groups)
}

/// The fields of one `!ScrollGroup` mapping (others, such as `ColorRgb`, are skipped).
fn read_group(r: &mut Reader, group: &mut ScrollGroup) -> Result<()> {
    while let Some(key) = r.next_key()? {
        let node = r.node()?;
        match (&*key.text, node) {
            ("InitialScrollVelocity", Node::Scalar(s)) => group.initial_velocity = number(&s)?,
            ("ScrollVelocities", Node::Seq(_)) => {
                while r.next_item()? {
                    match r.node()? {
                        Node::Map(_) => group.velocities.push(velocity(r)?),
                        node => r.skip(node)?,
                    }
                }
            }
            (_, node) => r.skip(node)?,
        }
    }
    // Quaver sorts each group's SVs by time on load, keeping the order of equal times.
    group.velocities.sort_by(|a, b| a.0.total_cmp(&b.0));
    Ok(())
}

/// One `- StartTime: … Multiplier: …` item (each 0 when absent).
fn velocity(r: &mut Reader) -> Result<(f32, f32)> {
    let (mut start, mut multiplier) = (0.0, 0.0);
    while let Some(key) = r.next_key()? {
        match (&*key.text, r.node()?) {
            ("StartTime", Node::Scalar(s)) => start = number(&s)?,
            ("Multiplier", Node::Scalar(s)) => multiplier = number(&s)?,
            (_, node) => r.skip(node)?,
        }
    }
    Ok((start, multiplier))
}

/// A C# `float` field: null is its default, 0.
fn number(s: &Scalar) -> Result<f32> {
    if s.is_null() {
        return Ok(0.0);
    }
    s.float()
        .map(|v| v as f32)
        .ok_or_else(|| yaml::error(s.line, format!("'{}' is not a number", s.text)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_and_defaults() {
        let doc =
            "$Global: !ScrollGroup\n  ScrollVelocities:\n  - StartTime: 5\n    Multiplier: 3\n\
                   $Default: !ScrollGroup\n  InitialScrollVelocity: 9\n\
                   red: !ScrollGroup\n  InitialScrollVelocity: -2\n  ScrollVelocities:\n  \
                   - StartTime: 20\n    Multiplier: 1\n  - StartTime: 10\n  ColorRgb: 1,2,3\n\
                   red: !ScrollGroup\n  InitialScrollVelocity: 7";
        let groups = read_groups(doc).unwrap();
        let ids: Vec<_> = groups.iter().map(|g| g.id.as_str()).collect();
        assert_eq!(ids, ["$Global", "red"]);
        assert_eq!(groups[0].initial_velocity, 0.0);
        assert_eq!(groups[1].initial_velocity, -2.0);
        assert_eq!(groups[1].velocities, [(10.0, 0.0), (20.0, 1.0)]);
        assert!(read_groups("red: !ScrollGroup\n  InitialScrollVelocity: fast").is_err());
    }

    #[test]
    fn timing_group_of_kept_fields() {
        let field = |f: &str| timing_group_field(f).unwrap();
        assert_eq!(field("  EditorLayer: 2\n"), None);
        assert_eq!(
            field("  TimingGroup: 'a b'\n  EditorLayer: 1\n").as_deref(),
            Some("a b")
        );
    }
}

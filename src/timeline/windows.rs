//! Position windows: the notes near the judgement line, each note by the position of its own
//! scroll group (Quaver draws a group's notes relative to that group's position:
//! `TimingGroupControllerKeys.InRange`), so one search per group that has notes.

use std::ops::Range;

use super::beats::BeatMap;
use super::notes::NoteIndex;
use super::scroll::ScrollMap;

/// The notes of one scroll group with their start positions, in note order.
#[derive(Clone, Debug)]
struct GroupStarts {
    group: usize,
    /// Indexes of the group's notes; empty when the group holds every note of the chart.
    notes: Vec<u32>,
    /// Start position of each of those notes: never decreasing.
    starts: Vec<f64>,
}

#[derive(Clone, Debug)]
pub(super) struct PositionWindows {
    /// The groups that have notes; empty when positions go backwards in one of them.
    groups: Vec<GroupStarts>,
    /// Every note is in group 0 (the playfield's).
    one_group: bool,
}

impl PositionWindows {
    /// The start positions of each group's notes, computed once (one pass per group).
    pub fn new(scroll: &ScrollMap, notes: &NoteIndex, beats: &BeatMap) -> PositionWindows {
        let note_groups = scroll.note_groups();
        let one_group = note_groups.iter().all(|&g| g == 0);
        let mut members: Vec<Vec<u32>> = vec![Vec::new(); scroll.group_count()];
        if !one_group {
            for (i, &g) in note_groups.iter().enumerate() {
                members[g as usize].push(i as u32);
            }
        }
        let mut groups = Vec::new();
        for (group, notes_of_group) in members.into_iter().enumerate() {
            if (one_group && group > 0) || (!one_group && notes_of_group.is_empty()) {
                continue;
            }
            if !scroll.is_monotonic(group) {
                groups.clear();
                break;
            }
            let starts = match one_group {
                true => scroll.positions_of_sorted(group, &notes.starts, beats),
                false => {
                    let times: Vec<i64> = (notes_of_group.iter())
                        .map(|&i| notes.starts[i as usize])
                        .collect();
                    scroll.positions_of_sorted(group, &times, beats)
                }
            };
            // Quaver's float arithmetic can step a position back at an SV far from time 0
            // (hours in; found by fuzzing): a window needs only the notes in order.
            if starts.windows(2).any(|pair| pair[0] > pair[1]) {
                groups.clear();
                break;
            }
            groups.push(GroupStarts {
                group,
                starts,
                notes: notes_of_group,
            });
        }
        PositionWindows { groups, one_group }
    }

    /// Whether positions never go backwards in a group that has notes, and its notes' start
    /// positions are in their time order (else no window).
    pub fn is_monotonic(&self) -> bool {
        !self.groups.is_empty()
    }

    /// Whether every note is in group 0, so that one position range is one run of notes.
    pub fn is_one_group(&self) -> bool {
        self.one_group
    }

    /// The notes (of a chart in one group) whose start position is within `low..=high`.
    pub fn in_range(&self, low: f64, high: f64) -> Range<usize> {
        self.groups
            .first()
            .map_or(0..0, |g| in_sorted(&g.starts, low, high))
    }

    /// The notes whose start position is within `low..=high` of their group's position
    /// (`position_of(group)`), in note order.
    pub fn in_view(&self, position_of: impl Fn(usize) -> f64, low: f64, high: f64) -> Vec<u32> {
        let mut out = Vec::new();
        for g in &self.groups {
            let at = position_of(g.group);
            let range = in_sorted(&g.starts, at + low, at + high);
            match g.notes.is_empty() {
                true => out.extend(range.start as u32..range.end as u32),
                false => out.extend_from_slice(&g.notes[range]),
            }
        }
        if self.groups.len() > 1 {
            out.sort_unstable();
        }
        out
    }
}

/// The indexes of `sorted` (non-decreasing) whose values are within `low..=high`.
fn in_sorted(sorted: &[f64], low: f64, high: f64) -> Range<usize> {
    let a = sorted.partition_point(|&p| p < low);
    let b = sorted.partition_point(|&p| p <= high);
    a..b.max(a)
}

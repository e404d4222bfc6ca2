//! Counting: notes per kind and per column, chord sizes, holds.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use super::is_played;
use crate::model::{Note, NoteKind};
use crate::Chart;

pub(super) struct NoteCounts {
    pub kinds: [u64; NoteKind::ALL.len()],
    pub columns: Vec<u64>,
}

pub(super) fn note_counts(chart: &Chart) -> NoteCounts {
    let mut kinds = [0u64; NoteKind::ALL.len()];
    let mut columns = vec![0u64; usize::from(chart.key_count)];
    for note in &chart.notes {
        kinds[note.kind as usize] += 1;
        if !is_played(note.kind) {
            continue;
        }
        let column = usize::from(note.column);
        if column >= columns.len() {
            columns.resize(column + 1, 0);
        }
        columns[column] += 1;
    }
    NoteCounts { kinds, columns }
}

/// `[k]` = how many runs of exactly `k` equal start times `spans` (sorted by start) holds.
pub(super) fn chord_sizes(spans: &[(i64, i64)]) -> Vec<u64> {
    let mut sizes: Vec<u64> = Vec::new();
    for chord in spans.chunk_by(|a, b| a.0 == b.0) {
        if chord.len() >= sizes.len() {
            sizes.resize(chord.len() + 1, 0);
        }
        sizes[chord.len()] += 1;
    }
    sizes
}

pub(super) struct HoldStats {
    pub longest_us: i64,
    pub most_at_once: u32,
}

/// Longest hold or roll, and most of them held at once. A hold is held over
/// `[start, end)`: one ending where another starts does not overlap it.
pub(super) fn hold_stats(notes: &[Note]) -> HoldStats {
    let mut holds: Vec<(i64, i64)> = notes
        .iter()
        .filter(|n| n.kind.has_duration())
        .map(|n| (n.time_us, n.end_time_us()))
        .collect();
    if holds.windows(2).any(|w| w[0].0 > w[1].0) {
        holds.sort_unstable_by_key(|h| h.0);
    }
    let longest_us = holds
        .iter()
        .map(|&(start, end)| super::difference(end, start))
        .max()
        .unwrap_or(0);
    // Ends of the holds still held, earliest on top.
    let mut held: BinaryHeap<Reverse<i64>> = BinaryHeap::new();
    let mut most = 0;
    for &(start, end) in &holds {
        while held.peek().is_some_and(|e| e.0 <= start) {
            held.pop();
        }
        if end > start {
            held.push(Reverse(end));
        }
        most = most.max(held.len());
    }
    HoldStats {
        longest_us,
        most_at_once: u32::try_from(most).unwrap_or(u32::MAX),
    }
}

//! Breaks, as osu! lazer places them between objects (`EditorBeatmapProcessor`,
//! `BreakPeriod`; docs/analysis.md): a gap of at least 1300 ms after the latest end so far
//! holds a break from 200 ms after that end to `max(450 ms, two beats)` before the next note,
//! kept if it lasts at least 650 ms.

use super::bpm::{usable_bpms, DEFAULT_BEAT_LENGTH_MS};
use crate::model::TimingPoint;

/// `BreakPeriod.MIN_GAP_DURATION`: 200 + 650 + 450 ms.
const MIN_GAP_US: i128 = 1_300_000;
/// `BreakPeriod.GAP_BEFORE_BREAK`.
const GAP_BEFORE_US: f64 = 200_000.0;
/// `BreakPeriod.GAP_AFTER_BREAK`.
const GAP_AFTER_US: f64 = 450_000.0;
/// `BreakPeriod.MIN_BREAK_DURATION`.
const MIN_BREAK_US: f64 = 650_000.0;

/// Beat lengths (µs) in time order, looked up at increasing times in O(1) amortised.
struct Tempo {
    points: Vec<(i64, f64)>,
    next: usize,
}

impl Tempo {
    fn new(timing: &[TimingPoint]) -> Tempo {
        let points = usable_bpms(timing)
            .map(|(t, bpm)| (t, 60e6 / bpm))
            .collect();
        Tempo { points, next: 0 }
    }

    /// The beat length at `time` (never earlier than the last asked): the last tempo at or
    /// before it, else the first (lazer's `TimingPointAt`), else lazer's default.
    fn beat_us_at(&mut self, time: i64) -> f64 {
        while self.points.get(self.next).is_some_and(|p| p.0 <= time) {
            self.next += 1;
        }
        let index = self.next.saturating_sub(1);
        self.points
            .get(index)
            .map_or(DEFAULT_BEAT_LENGTH_MS * 1000.0, |p| p.1)
    }
}

/// Total break time between `spans` (played notes as (start, end), sorted by start).
pub(super) fn break_time_us(spans: &[(i64, i64)], timing: &[TimingPoint]) -> i64 {
    let mut tempo = Tempo::new(timing);
    let mut latest_end = i64::MIN;
    let mut total = 0i64;
    for pair in spans.windows(2) {
        let (previous, next_start) = (pair[0], pair[1].0);
        latest_end = latest_end.max(previous.1);
        if i128::from(next_start) - i128::from(latest_end) < MIN_GAP_US {
            continue;
        }
        let start = latest_end as f64 + GAP_BEFORE_US;
        let end = next_start as f64 - GAP_AFTER_US.max(2.0 * tempo.beat_us_at(next_start));
        if end - start >= MIN_BREAK_US {
            // The gaps are disjoint, so the breaks never overlap; `as` saturates.
            total = total.saturating_add((end - start) as i64);
        }
    }
    total
}

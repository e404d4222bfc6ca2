//! Note density: notes per second on average and at the peak, and a density curve.

use super::Played;
use crate::Chart;

/// The window of [`ChartStats::max_nps`](super::ChartStats::max_nps): one second.
pub const DEFAULT_NPS_WINDOW_US: i64 = 1_000_000;

/// `count` notes over `length_us`, per second; 0 for a chart that lasts no time.
pub(super) fn rate(count: u64, length_us: i64) -> f64 {
    if length_us <= 0 {
        return 0.0;
    }
    count as f64 / (length_us as f64 / 1e6)
}

/// The most played notes starting within any `window_us` (a half-open window
/// `[t, t + window_us)`), per second. 0 when the window is not positive or the chart lasts
/// no time. O(n) for a sorted chart.
pub fn max_nps(chart: &Chart, window_us: i64) -> f64 {
    max_nps_of(&Played::of(&chart.notes), window_us)
}

pub(super) fn max_nps_of(played: &Played, window_us: i64) -> f64 {
    if window_us <= 0 || played.length_us() == 0 {
        return 0.0;
    }
    let spans = &played.spans;
    let mut most = 0;
    let mut left = 0;
    for (right, &(start, _)) in spans.iter().enumerate() {
        // Exact: the difference is never negative, and saturates only beyond any window.
        while start.saturating_sub(spans[left].0) >= window_us {
            left += 1;
        }
        most = most.max(right + 1 - left);
    }
    most as f64 / (window_us as f64 / 1e6)
}

/// How many played notes start in each of `buckets` equal slices of the chart's length
/// (first start to last end); a note on a boundary falls in the later slice, the last end in
/// the last. All notes fall in slice 0 of a chart that lasts no time; empty for 0 buckets.
pub fn density(chart: &Chart, buckets: usize) -> Vec<u64> {
    density_of(&Played::of(&chart.notes), buckets)
}

pub(super) fn density_of(played: &Played, buckets: usize) -> Vec<u64> {
    let mut counts = vec![0u64; buckets];
    if buckets == 0 {
        return counts;
    }
    let first = i128::from(played.first_start);
    let length = i128::from(played.length_us()).max(1);
    let n = buckets as i128;
    // Note `t` is in slice `floor((t - first) * n / length)`: walk the slices along the
    // sorted starts instead of dividing for every note.
    let mut slice = 0usize;
    for &(start, _) in &played.spans {
        let scaled = (i128::from(start) - first) * n;
        while slice + 1 < buckets && scaled >= (slice as i128 + 1) * length {
            slice += 1;
        }
        counts[slice] += 1;
    }
    counts
}

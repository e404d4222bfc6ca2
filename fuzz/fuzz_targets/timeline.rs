#![no_main]
//! Any bytes, decoded with format detection: the timeline of each chart under every game's
//! rules and scroll algorithm either is refused or answers every query at times derived from
//! the chart (its events and notes, one µs either side, the extremes) without a panic, NaN or
//! infinity; a beat's time gives back the time where the beat flows; positions never decrease
//! where the timeline says speeds are not negative; the windows agree with a scan.
use libfuzzer_sys::fuzz_target;
use rox::model::MAX_ABS_TIME_US;
use rox::timeline::{Rules, ScrollAlgorithm, Timeline, TimelineOptions, SNAP_DIVISORS};
use rox::{Chart, Format};

/// Charts, events and notes looked at per input: enough for every construct, cheap per run.
const CHARTS: usize = 3;
const EVENTS: usize = 12;
const GRID_LINES: usize = 1000;

fuzz_target!(|data: &[u8]| {
    let Ok(set) = rox::decode_set(data, Format::Auto) else {
        return;
    };
    for chart in set.charts.iter().take(CHARTS) {
        let times = derived_times(chart);
        for rules in [Rules::Osu, Rules::Quaver, Rules::StepMania] {
            for scroll in [ScrollAlgorithm::Sequential, ScrollAlgorithm::Constant] {
                if let Ok(timeline) = Timeline::new(chart, TimelineOptions { rules, scroll }) {
                    check(chart, &timeline, &times, rules);
                }
            }
        }
    }
});

/// The extremes, and each of the first events and notes with one µs either side, sorted.
fn derived_times(chart: &Chart) -> Vec<i64> {
    let mut times = vec![-MAX_ABS_TIME_US, -1_000_000, 0, MAX_ABS_TIME_US];
    let events = chart.timing.iter().map(|t| t.time_us);
    let notes = chart.notes.iter().flat_map(|n| [n.time_us, n.end_time_us()]);
    for t in events.take(EVENTS).chain(notes.take(EVENTS)) {
        times.extend([t.saturating_sub(1), t, t.saturating_add(1)]);
    }
    times.retain(|t| t.abs() <= MAX_ABS_TIME_US);
    times.sort_unstable();
    times.dedup();
    times
}

fn check(chart: &Chart, timeline: &Timeline, times: &[i64], rules: Rules) {
    for &t in times {
        let beat = timeline.beat_at(t).unwrap();
        assert!(beat.is_finite(), "beat at {t}: {beat}");
        let position = timeline.position_at(t).unwrap();
        assert!(position.is_finite(), "position at {t}: {position}");
        let factor = timeline.speed_factor_at(t).unwrap();
        assert!(factor.is_finite(), "speed factor at {t}: {factor}");
        let snap = timeline.snap_at(t).unwrap();
        assert!(snap == 0 || SNAP_DIVISORS.contains(&snap));
        if let Ok(back) = timeline.time_at(beat) {
            assert!(back.abs() <= MAX_ABS_TIME_US);
        }
        round_trip(timeline, t, beat);
    }
    assert!(timeline.beat_at(MAX_ABS_TIME_US + 1).is_err());
    assert!(timeline.time_at(f64::NAN).is_err());

    let positions = timeline.positions(times).unwrap();
    let single: Vec<f64> = times.iter().map(|&t| timeline.position_at(t).unwrap()).collect();
    assert_eq!(positions, single, "a sorted batch gives the single positions");
    let reversed: Vec<i64> = times.iter().rev().copied().collect();
    let mut back = timeline.positions(&reversed).unwrap();
    back.reverse();
    assert_eq!(back, single, "an unsorted batch gives the single positions");

    let note_positions = timeline.note_positions();
    assert_eq!(note_positions.len(), chart.notes.len());
    assert!(note_positions.iter().all(|p| p.0.is_finite() && p.1.is_finite()));
    assert_eq!(timeline.snaps().len(), chart.notes.len());

    windows(chart, timeline, times, &positions, &note_positions, rules);
    grid(timeline, times);
}

/// `time_at(beat_at(t))` is `t` where the beat flows through `t` (strictly rising from one µs
/// before to one µs after: no stop, delay or warp at `t`), within 1 µs plus what f64 can hold of
/// the beat and the time there.
fn round_trip(timeline: &Timeline, t: i64, beat: f64) {
    let (Ok(before), Ok(after)) = (timeline.beat_at(t - 1), timeline.beat_at(t + 1)) else {
        return;
    };
    if !(before < beat && beat < after) {
        return;
    }
    let Ok(back) = timeline.time_at(beat) else {
        return;
    };
    let beats_per_us = (after - before) / 2.0;
    let resolution = (beat.abs() / beats_per_us + t.abs() as f64) * f64::EPSILON;
    let error = (back - t).abs() as f64;
    assert!(
        error <= 1.0 + 4.0 * resolution,
        "time_at(beat_at({t}) = {beat}) = {back}"
    );
}

/// Position windows where positions never decrease (the timeline refuses them elsewhere),
/// and time windows, against scans of the notes. Quaver's own float arithmetic can step a
/// position back at an SV hours from time 0: there a window needs only the notes in order.
fn windows(
    chart: &Chart,
    timeline: &Timeline,
    times: &[i64],
    positions: &[f64],
    note_positions: &[(f64, f64)],
    rules: Rules,
) {
    assert!(timeline.notes_in_position_window(f64::NAN, 0.0).is_err());
    let (low, high) = (positions[0], positions[positions.len() - 1]);
    if let Ok(range) = timeline.notes_in_position_window(low, high) {
        // Monotonic: positions at sorted times do not decrease; under Quaver's rules, the
        // notes' positions.
        let ordered = match rules {
            Rules::Quaver => note_positions.iter().map(|p| p.0).collect(),
            _ => positions.to_vec(),
        };
        assert!(
            ordered.windows(2).all(|w| w[0] <= w[1]),
            "positions decrease where every speed is at least 0: {ordered:?} at {times:?}"
        );
        let scan: Vec<usize> = (0..note_positions.len())
            .filter(|&i| (low..=high).contains(&note_positions[i].0))
            .collect();
        assert_eq!(range.collect::<Vec<_>>(), scan);
    }
    let (from, to) = (times[1], times[times.len() - 2]);
    for column in 0..18 {
        let found = timeline.notes_in_time_window(column, from, to).unwrap();
        let scan: Vec<u32> = (0..chart.notes.len() as u32)
            .filter(|&i| {
                let n = &chart.notes[i as usize];
                n.column == column && (from..=to).contains(&n.time_us)
            })
            .collect();
        assert_eq!(found, scan.as_slice(), "column {column}");
    }
}

/// Bar and beat lines (the first `GRID_LINES`) lie in the range, in time order.
fn grid(timeline: &Timeline, times: &[i64]) {
    let (from, to) = (times[0], times[times.len() - 1]);
    let lines: Vec<_> = timeline.grid_lines(from, to).unwrap().take(GRID_LINES).collect();
    assert!(lines.iter().all(|l| (from..=to).contains(&l.time_us)));
    assert!(lines.windows(2).all(|w| w[0].time_us <= w[1].time_us));
}

//! The engine on numbers worked by hand from StepMania's rules, its inverse and cursor.

use super::super::warps::sm_bpms_and_stops;
use super::*;

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-9
}

/// formats.md §8, `.sm`: negative BPM turned into a warp, a stop, and SM's row rounding.
#[test]
fn worked_sm_numbers() {
    let mut timing = SmTiming {
        offset: -0.1,
        ..SmTiming::default()
    };
    let bpms = [(0.0, 120.0), (4.0, 240.0), (6.0, -240.0), (7.0, 240.0)];
    sm_bpms_and_stops(&mut timing, &bpms, &[(2.0, 0.5)]);
    assert_eq!(timing.bpms, [(0, 120.0), (192, 240.0)]);
    assert_eq!(timing.stops, [(96, 0.5)]);
    assert_eq!(timing.warps.len(), 1);
    assert_eq!(timing.warps[0].0, 288);
    assert!(close(timing.warps[0].1, 2.0));
    let engine = Engine::build(&timing);
    let at = |beat: f64| engine.time_at(beat_to_row(beat), Order::Note);
    for (beat, seconds) in [
        (0.0, 0.1),
        (1.0, 0.6),
        (2.0, 1.1),
        (3.0, 2.1),
        (4.0, 2.6),
        (6.0, 3.1),
        (8.0, 3.1),
        (10.0, 3.6),
    ] {
        assert!(close(at(beat), seconds), "beat {beat}: {}", at(beat));
    }
    for (row, seconds) in [
        (576, 4.1),
        (614, 4.297917),
        (653, 4.501042),
        (691, 4.698958),
    ] {
        let t = engine.time_at(row, Order::Note);
        assert!((t - seconds).abs() < 5e-7, "row {row}: {t}");
    }
    assert!(timing.is_unjudged(beat_to_row(6.0)));
    assert!(timing.is_unjudged(beat_to_row(7.9)));
    assert!(!timing.is_unjudged(beat_to_row(8.0)));
}

/// formats.md §8, `.ssc` chart timing with a stop, a delay and a warp.
#[test]
fn worked_ssc_numbers() {
    let timing = SmTiming {
        bpms: vec![(0, 120.0), (96, 60.0)],
        stops: vec![(48, 0.25)],
        delays: vec![(144, 0.5)],
        warps: vec![(192, 1.0)],
        ..SmTiming::default()
    };
    let engine = Engine::build(&timing);
    let expected = [0.0, 0.5, 1.25, 2.75, 3.75, 3.75, 4.75, 5.75];
    for (beat, seconds) in expected.iter().enumerate() {
        let t = engine.time_at(beat as i64 * 48, Order::Note);
        assert!(close(t, *seconds), "beat {beat}: {t}");
    }
    assert!(timing.is_unjudged(192));
    assert!(!timing.is_unjudged(240));
}

/// Events at a warp's end and after it: the segment pushed where the warp ends is a plain
/// one (no warp running, first on its row), so the segments stay in (row, order) order for
/// the binary search, and later events count from their own rows. Tried with 0 to 7 tempo
/// changes after the warp, so that the search meets the warp's end at every depth.
#[test]
fn events_at_and_after_a_warps_end() {
    for extra in 0..8 {
        let mut timing = SmTiming {
            bpms: vec![(0, 120.0), (144, 60.0)],
            delays: vec![(96, 0.5)],
            warps: vec![(48, 1.0)],
            ..SmTiming::default()
        };
        // Each a beat apart from beat 4, at 60 BPM: one second per beat.
        timing.bpms.extend((0..extra).map(|i| (192 + 48 * i, 60.0)));
        let engine = Engine::build(&timing);
        let expected = [(47, 0.4895833), (48, 0.5), (95, 0.5), (96, 1.0), (144, 1.5)];
        let after = (0..=extra).map(|i| (192 + 48 * i, 2.5 + i as f64));
        for (row, seconds) in expected.into_iter().chain(after) {
            let t = engine.time_at(row, Order::Note);
            assert!((t - seconds).abs() < 5e-7, "{extra} after: row {row}: {t}");
        }
    }
}

/// Tempo changes, stops, delays (one on a stop's row) and a warp.
fn mixed_timing() -> SmTiming {
    SmTiming {
        offset: 0.05,
        bpms: vec![(0, 150.0), (100, 75.5), (1000, 300.0)],
        stops: vec![(48, 0.3), (500, 1.0)],
        delays: vec![(48, 0.2), (700, 0.4)],
        warps: vec![(1200, 2.0)],
        ..SmTiming::default()
    }
}

#[test]
fn inverse_finds_every_row() {
    let timing = mixed_timing();
    let engine = Engine::build(&timing);
    for row in (-200..1500).filter(|&r| !timing.is_unjudged(r)) {
        let t = engine.time_at(row, Order::Note);
        assert_eq!(engine.row_near(t, Order::Note), row, "row {row} at {t}");
    }
    // Inside the warp every row has one time; the row after it is chosen.
    let t = engine.time_at(1210, Order::Note);
    assert_eq!(engine.row_near(t, Order::Note), 1296);
}

#[test]
fn a_cursor_gives_time_at_and_row_near_in_any_order() {
    let engine = Engine::build(&mixed_timing());
    let cursor = engine.cursor();
    let ascending = (-50..1500).step_by(7);
    let jumps = [1400, 48, 48, 0, 1499, -3, 700, 699, 701, 100];
    for row in ascending.chain(jumps) {
        for order in [Order::Note, Order::Bpm, Order::Stop, Order::Warp] {
            let time = cursor.time_at(row, order);
            assert_eq!(time, engine.time_at(row, order), "{row} {order:?}");
            let seconds = time + 0.0007;
            let near = cursor.row_near(seconds, order);
            assert_eq!(near, engine.row_near(seconds, order), "{seconds} {order:?}");
        }
    }
}

/// The range check of `peek` against the times notes get: a stop too long for the model
/// puts every row after it out of range, a tempo too slow every row far enough.
#[test]
fn note_times_in_range_tells_where_notes_fail() {
    let stop = SmTiming {
        bpms: vec![(0, 60.0)],
        stops: vec![(192, 1e12)],
        ..SmTiming::default()
    };
    let slow = SmTiming {
        bpms: vec![(0, 60.0), (96, 1e-6)],
        ..SmTiming::default()
    };
    for timing in [stop, slow] {
        let engine = Engine::build(&timing);
        let in_range = |row| us_from_seconds(engine.time_at(row, Order::Note)).is_some();
        let last_good = (0..1 << 20)
            .take_while(|&row| in_range(row))
            .last()
            .unwrap();
        assert!(engine.note_times_in_range(last_good - 1));
        assert!(!engine.note_times_in_range(last_good + 1));
        assert!(!in_range(last_good + 1));
    }
}

#[test]
fn tidy_keeps_the_last_value_per_row() {
    assert_eq!(
        tidy(vec![(5, 1.0), (0, 2.0), (5, 3.0)]),
        [(0, 2.0), (5, 3.0)]
    );
}

/// Every row's time through 10,000 BPM changes equals the sum of the segments before it
/// (the speed of the lookups is benches/stepmania.rs's business).
#[test]
fn ten_thousand_bpm_changes_give_every_row_its_time() {
    let bpm = |i: i64| 100.0 + (i % 7) as f64;
    let timing = SmTiming {
        bpms: (0..10_000).map(|i| (i * 12, bpm(i))).collect(),
        ..SmTiming::default()
    };
    let engine = Engine::build(&timing);
    // Each change lasts 12 rows, a quarter beat: 15 / BPM seconds.
    let mut expected = 0.0;
    for row in 0..120_000 {
        let segment = row / 12;
        if row % 12 == 0 && row > 0 {
            expected += 15.0 / bpm(segment - 1);
        }
        let within = (row % 12) as f64 / 48.0 * 60.0 / bpm(segment);
        let time = engine.time_at(row, Order::Note);
        assert!(
            (time - (expected + within)).abs() < 1e-9,
            "row {row}: {time}"
        );
    }
}

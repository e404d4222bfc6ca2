use super::*;
use crate::model::{IssueKind, Note, TimingKind, TimingPoint};

fn chart(timing: Vec<TimingPoint>, notes: Vec<Note>) -> Chart {
    Chart {
        timing,
        notes,
        ..Chart::new(4)
    }
}

fn point(time_us: i64, kind: TimingKind) -> TimingPoint {
    TimingPoint::new(time_us, kind)
}

fn timeline(c: &Chart, rules: Rules) -> Timeline {
    Timeline::new(c, TimelineOptions::for_rules(rules)).unwrap()
}

/// The `.ssc` worked example of formats.md §8: 120 BPM, a 0.25 s stop at beat 1, 60 BPM from
/// beat 2, a 0.5 s delay at beat 3 and a one-beat warp at beat 4 (times as the decoder gives
/// them).
fn worked_ssc() -> Chart {
    chart(
        vec![
            TimingPoint::bpm(0, 120.0, 4),
            point(
                500_000,
                TimingKind::Stop {
                    duration_us: 250_000,
                },
            ),
            TimingPoint::bpm(1_250_000, 60.0, 4),
            point(
                2_250_000,
                TimingKind::Delay {
                    duration_us: 500_000,
                },
            ),
            point(3_750_000, TimingKind::Warp { beats: 1.0 }),
        ],
        vec![Note::tap(0, 0)],
    )
}

#[test]
fn stops_delays_and_warps_follow_stepmania() {
    let t = timeline(&worked_ssc(), Rules::StepMania);
    let expected = [0.0, 0.5, 1.25, 2.75, 3.75, 3.75, 4.75, 5.75];
    for (beat, seconds) in expected.iter().enumerate() {
        let us = (seconds * 1e6) as i64;
        assert_eq!(t.time_at(beat as f64).unwrap(), us, "beat {beat}");
    }
    // Inside the stop and the delay the beat stands still; a warp's time is after the jump.
    assert_eq!(t.beat_at(600_000).unwrap(), 1.0);
    assert_eq!(t.beat_at(2_500_000).unwrap(), 3.0);
    assert_eq!(t.beat_at(3_750_000).unwrap(), 5.0);
    assert_eq!(t.time_at(4.5).unwrap(), 3_750_000);
    // Before beat 0 the first BPM extends backwards.
    assert_eq!(t.beat_at(-1_000_000).unwrap(), -2.0);
    assert_eq!(t.time_at(-4.0).unwrap(), -2_000_000);
}

#[test]
fn round_trips_outside_pauses() {
    let t = timeline(&worked_ssc(), Rules::StepMania);
    for time in (-3_000_000..9_000_000).step_by(7_919) {
        let paused = (500_000..750_000).contains(&time) || (2_250_000..2_750_000).contains(&time);
        let beat = t.beat_at(time).unwrap();
        assert!(beat.is_finite());
        if !paused {
            assert!((t.time_at(beat).unwrap() - time).abs() <= 1, "{time}");
        }
    }
}

#[test]
fn no_bpm_with_notes_is_refused() {
    let c = chart(vec![TimingPoint::scroll(0, 2.0)], vec![Note::tap(5, 0)]);
    let err = Timeline::new(&c, TimelineOptions::default()).unwrap_err();
    assert!(
        matches!(&err, Error::Invalid(i) if i[0].kind == IssueKind::NoBpm),
        "{err}"
    );
    assert!(err.to_string().contains("no BPM"), "{err}");
    // Without notes a chart needs no BPM.
    assert!(Timeline::new(&chart(vec![], vec![]), TimelineOptions::default()).is_ok());
}

#[test]
fn unusable_bpms_never_give_nan() {
    for bpm in [0.0, -120.0, f64::NAN, f64::INFINITY] {
        let c = chart(
            vec![
                TimingPoint::bpm(0, 120.0, 4),
                TimingPoint::bpm(1_000_000, bpm, 4),
            ],
            vec![Note::tap(0, 0)],
        );
        for rules in [Rules::Osu, Rules::Quaver, Rules::StepMania] {
            let t = timeline(&c, rules);
            // The point is ignored: 120 BPM goes on.
            assert_eq!(t.beat_at(2_000_000).unwrap(), 4.0, "{bpm} {rules:?}");
            assert_eq!(t.time_at(4.0).unwrap(), 2_000_000);
        }
        let only = chart(vec![TimingPoint::bpm(0, bpm, 4)], vec![Note::tap(0, 0)]);
        assert!(Timeline::new(&only, TimelineOptions::default()).is_err());
    }
    // osu! clamps a beat length to 6 ms: at most 10000 BPM.
    let fast = chart(vec![TimingPoint::bpm(0, 1e9, 4)], vec![Note::tap(0, 0)]);
    let beat = timeline(&fast, Rules::Osu).beat_at(6_000).unwrap();
    assert!((beat - 1.0).abs() < 1e-12, "{beat}");
}

#[test]
fn times_beyond_2_pow_52_are_refused() {
    let t = timeline(&worked_ssc(), Rules::Osu);
    let max = crate::model::MAX_ABS_TIME_US;
    assert!(t.beat_at(max).is_ok() && t.beat_at(-max).is_ok());
    assert!(t.beat_at(max + 1).is_err() && t.beat_at(i64::MIN).is_err());
    assert!(t.time_at(f64::NAN).is_err() && t.time_at(1e300).is_err());
    assert!(t.position_at(i64::MAX).is_err());
    let far = chart(
        vec![TimingPoint::bpm(0, 120.0, 4)],
        vec![Note::tap(max + 1, 0)],
    );
    assert!(Timeline::new(&far, TimelineOptions::default()).is_err());
}

#[test]
fn osu_red_lines_restart_measures_and_may_omit_a_bar() {
    let mut omit = TimingPoint::bpm(2_500_000, 60.0, 3);
    omit.effects = 8;
    let c = chart(
        vec![TimingPoint::bpm(0, 120.0, 4), omit],
        vec![Note::tap(0, 0)],
    );
    let t = timeline(&c, Rules::Osu);
    let lines: Vec<GridLine> = t.grid_lines(0, 5_500_000).unwrap().collect();
    let got: Vec<(i64, i64, u32, bool)> = lines
        .iter()
        .map(|l| (l.time_us, l.measure, l.beat_in_measure, l.is_bar))
        .collect();
    assert_eq!(
        got,
        [
            (0, 0, 0, true),
            (500_000, 0, 1, false),
            (1_000_000, 0, 2, false),
            (1_500_000, 0, 3, false),
            (2_000_000, 1, 0, true),
            // The red line cuts measure 1 short; its own first bar line is omitted.
            (2_500_000, 2, 0, false),
            (3_500_000, 2, 1, false),
            (4_500_000, 2, 2, false),
            (5_500_000, 3, 0, true),
        ]
    );
    let from_middle: Vec<GridLine> = t.grid_lines(3_000_000, 4_000_000).unwrap().collect();
    assert_eq!(from_middle, [lines[6]]);
}

#[test]
fn snaps_osu_within_a_millisecond_stepmania_on_rows() {
    // 120 BPM from 100 ms: beats of 500 ms.
    let times = [100_000, 101_500, 102_600, 162_000, 266_667, 350_000];
    let c = chart(
        vec![TimingPoint::bpm(100_000, 120.0, 4)],
        times.iter().map(|&t| Note::tap(t, 0)).collect(),
    );
    // 162 ms is 0.5 ms from 1/8; 102.6 ms is 0.004 ms from 1/192 (2.6 ms); 101.5 ms on none.
    assert_eq!(timeline(&c, Rules::Osu).snaps(), [1, 0, 192, 8, 3, 2]);
    let sm = chart(
        vec![TimingPoint::bpm(0, 60.0, 4)],
        [0, 20_833, 250_000, 333_333, 500_000]
            .map(|t| Note::tap(t, 0))
            .to_vec(),
    );
    assert_eq!(timeline(&sm, Rules::StepMania).snaps(), [1, 48, 4, 3, 2]);
}

#[test]
fn sequential_scroll_integrates_speed_relative_to_the_common_beat_length() {
    // 120 BPM for 10 s, 240 BPM for 2 s: the common beat length is 500 ms, so 240 BPM scrolls
    // at 2×; a green line of 0.5× at 4 s.
    let c = chart(
        vec![
            TimingPoint::bpm(0, 120.0, 4),
            TimingPoint::scroll(4_000_000, 0.5),
            TimingPoint::bpm(10_000_000, 240.0, 4),
        ],
        vec![Note::tap(0, 0), Note::tap(12_000_000, 1)],
    );
    let t = timeline(&c, Rules::Osu);
    let p = |us| t.position_at(us).unwrap();
    assert_eq!(p(0), 0.0);
    assert_eq!(p(4_000_000), 4000.0);
    assert_eq!(p(6_000_000), 5000.0);
    // The red line resets the speed to 1, then the 240 BPM doubles it.
    assert_eq!(p(11_000_000), 7000.0 + 2000.0);
    // Past the last object the last speed goes on.
    assert_eq!(p(13_000_000), 7000.0 + 6000.0);
    let constant = Timeline::new(
        &c,
        TimelineOptions {
            rules: Rules::Osu,
            scroll: ScrollAlgorithm::Constant,
        },
    )
    .unwrap();
    assert_eq!(constant.position_at(11_000_000).unwrap(), 11_000.0);
}

#[test]
fn stepmania_measures_follow_time_signatures() {
    // 120 BPM; from beat 8 three beats a measure (a BPM point's meter).
    let mut c = chart(
        vec![
            TimingPoint::bpm(0, 120.0, 4),
            TimingPoint::bpm(4_000_000, 120.0, 3),
        ],
        vec![Note::tap(0, 0)],
    );
    let lines = |c: &Chart, from, to| -> Vec<(i64, i64, u32, bool)> {
        let t = timeline(c, Rules::StepMania);
        let lines = t.grid_lines(from, to).unwrap();
        lines
            .map(|l| (l.time_us, l.measure, l.beat_in_measure, l.is_bar))
            .collect()
    };
    assert_eq!(
        lines(&c, 3_500_000, 5_500_000),
        [
            (3_500_000, 1, 3, false),
            (4_000_000, 2, 0, true),
            (4_500_000, 2, 1, false),
            (5_000_000, 2, 2, false),
            (5_500_000, 3, 0, true),
        ]
    );
    // A 7/8 signature from beat 4 (kept raw by the decoder): lines every eighth, 3.5 beats a
    // measure.
    c.extras
        .push(("sm.TIMESIGNATURES".into(), "0=4=4,4=7=8".into()));
    let got = lines(&c, 1_500_000, 5_750_000);
    assert_eq!(got[0], (1_500_000, 0, 3, false));
    assert_eq!(got[1], (2_000_000, 1, 0, true));
    assert_eq!(got[2], (2_250_000, 1, 1, false));
    assert_eq!(got[8], (3_750_000, 2, 0, true));
    assert_eq!(got[15], (5_500_000, 3, 0, true));
    assert_eq!(got.len(), 17);
}

#[test]
fn window_queries_find_runs_of_notes() {
    let notes = vec![
        Note::tap(0, 0),
        Note::hold(500_000, 1_000_000, 1),
        Note::tap(1_000_000, 0),
        Note::tap(1_000_000, 2),
        Note::tap(2_000_000, 0),
    ];
    let c = chart(
        vec![
            TimingPoint::bpm(0, 120.0, 4),
            TimingPoint::scroll(1_000_000, 2.0),
        ],
        notes,
    );
    let t = timeline(&c, Rules::Osu);
    assert_eq!(t.notes_in_time_window(0, 0, 1_000_000).unwrap(), [0, 2]);
    assert_eq!(t.notes_in_time_window(0, 1, 1_999_999).unwrap(), [2]);
    assert!(t.notes_in_time_window(3, 0, 9_000_000).unwrap().is_empty());
    assert!(t.notes_in_time_window(17, 0, 9_000_000).unwrap().is_empty());
    // Positions: 0, 500, 1000, 1000, 3000 (2× from 1 s); the hold ends at 2000.
    assert_eq!(
        t.note_positions(),
        [
            (0.0, 0.0),
            (500.0, 2000.0),
            (1000.0, 1000.0),
            (1000.0, 1000.0),
            (3000.0, 3000.0)
        ]
    );
    assert_eq!(t.notes_in_position_window(400.0, 1000.0).unwrap(), 1..4);
    assert_eq!(t.notes_in_position_window(1000.5, 2999.0).unwrap(), 4..4);
    assert!(t.notes_in_position_window(f64::NAN, 1.0).is_err());
    let constant = TimelineOptions {
        rules: Rules::StepMania,
        scroll: ScrollAlgorithm::Constant,
    };
    let sm_constant = Timeline::new(&c, constant).unwrap();
    assert_eq!(
        sm_constant.notes_in_position_window(400.0, 1000.0).unwrap(),
        1..4
    );
    // Unsorted notes are refused.
    let mut unsorted = c.clone();
    unsorted.notes.swap(0, 4);
    let err = Timeline::new(&unsorted, TimelineOptions::default()).unwrap_err();
    assert!(matches!(&err, Error::Invalid(i) if i[0].kind == IssueKind::NotesUnsorted));
}

/// A small deterministic generator (xorshift), so that the test needs no dependency.
struct Random(u64);

impl Random {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn pick<T: Copy>(&mut self, values: &[T]) -> T {
        values[(self.next() % values.len() as u64) as usize]
    }
}

/// Random timing with every bad value the model can hold: never a panic, NaN or infinity.
#[test]
fn hostile_timing_never_gives_nan() {
    let mut random = Random(0x9e37_79b9_7f4a_7c15);
    let numbers = [
        0.0,
        -1.0,
        1e-300,
        1e300,
        f64::NAN,
        f64::INFINITY,
        -f64::INFINITY,
        0.5,
        180.0,
    ];
    let times = [
        -5_000_000,
        0,
        1,
        999_999,
        10_000_000,
        crate::model::MAX_ABS_TIME_US,
    ];
    // `#SPEEDS` with extreme ratios and lengths, tiny and huge, beyond `float` and not numbers.
    let speeds = [
        "",
        "0=3e38=1e-45=1,0.0001=-3e38=1e-45=0",
        "1e30=1=1e38=0,nan=inf=nan=1",
        "0=1e300=1e300=0,2=-1e300=0.5=1",
        "5=2=1e38=1,5=-3e38=0=0,0.01=3e38=1e-40=0,1e12=7=1e-30=1",
    ];
    for _ in 0..2000 {
        let mut timing = vec![TimingPoint::bpm(random.pick(&times), 120.0, 4)];
        for _ in 0..random.next() % 12 {
            let time = random.pick(&times);
            let value = random.pick(&numbers);
            let us = random.pick(&[-1_000_000, 0, 250_000, i64::MAX / 4]);
            timing.push(point(
                time,
                match random.next() % 5 {
                    0 => TimingKind::Bpm {
                        bpm: value,
                        meter: random.pick(&[0, 1, 7]),
                    },
                    1 => TimingKind::Scroll { multiplier: value },
                    2 => TimingKind::Stop { duration_us: us },
                    3 => TimingKind::Delay { duration_us: us },
                    _ => TimingKind::Warp { beats: value },
                },
            ));
        }
        let mut c = chart(
            timing,
            vec![Note::tap(0, 0), Note::hold(1_000, 5_000_000, 1)],
        );
        c.extras
            .push(("ssc.SPEEDS".into(), random.pick(&speeds).into()));
        for rules in [Rules::Osu, Rules::Quaver, Rules::StepMania] {
            let t = timeline(&c, rules);
            for &time in &times {
                let beat = t.beat_at(time).unwrap();
                assert!(beat.is_finite(), "{rules:?} {time}: {:?}", c.timing);
                if let Ok(back) = t.time_at(beat) {
                    assert!(crate::model::time_in_range(back));
                }
                let factor = t.speed_factor_at(time).unwrap();
                assert!(factor.is_finite(), "{rules:?} {time}: {:?}", c);
                let snap = t.snap_at(time).unwrap();
                assert!(snap == 0 || SNAP_DIVISORS.contains(&snap));
                if rules != Rules::StepMania {
                    assert!(t.position_at(time).unwrap().is_finite(), "{:?}", c.timing);
                }
            }
            assert!(t
                .grid_lines(0, 10_000_000)
                .unwrap()
                .take(1000)
                .all(|l| l.measure >= 0));
        }
    }
}

/// StepMania's `#SCROLLS` by hand: positions are displayed beats
/// (`TimingData::GetDisplayedBeat`), frozen during a stop, going back under a negative ratio.
#[test]
fn stepmania_scrolls_give_displayed_beats() {
    // 120 BPM (0.5 s a beat); a 1 s stop at beat 3 (1.5 s); scroll 0.5 from beat 2 (1 s), −1
    // from beat 4 (3 s, after the stop), 2 from beat 6 (4 s).
    let c = chart(
        vec![
            TimingPoint::bpm(0, 120.0, 4),
            TimingPoint::scroll(1_000_000, 0.5),
            point(
                1_500_000,
                TimingKind::Stop {
                    duration_us: 1_000_000,
                },
            ),
            TimingPoint::scroll(3_000_000, -1.0),
            TimingPoint::scroll(4_000_000, 2.0),
        ],
        vec![Note::tap(0, 0)],
    );
    let t = timeline(&c, Rules::StepMania);
    for (time_us, displayed) in [
        (-500_000, -1.0),
        (500_000, 1.0),
        (1_000_000, 2.0),
        (1_500_000, 2.5),
        (2_200_000, 2.5),
        (2_500_000, 2.5),
        (3_000_000, 3.0),
        (3_500_000, 2.0),
        (4_000_000, 1.0),
        (4_500_000, 3.0),
    ] {
        assert_eq!(t.position_at(time_us).unwrap(), displayed, "{time_us} µs");
    }
    assert!(t.notes_in_position_window(0.0, 1.0).is_err());
}

#[test]
fn a_timeline_can_be_shared_between_threads() {
    fn shareable<T: Send + Sync>(_: &T) {}
    let t = timeline(&worked_ssc(), Rules::StepMania);
    shareable(&t);
    let beat = std::thread::scope(|s| s.spawn(|| t.beat_at(500_000).unwrap()).join().unwrap());
    assert_eq!(beat, 1.0);
}

/// Found by the timeline fuzz target: under StepMania rules an event off its row (a time from
/// another game) put the beat back to the row. At 60 BPM a BPM change at 1.01 s is on row 48
/// (beat 1, reached at 1 s): the beat holds there until 1.01 s, then flows at 120 BPM.
#[test]
fn stepmania_beats_never_go_back_to_an_event_row() {
    let c = chart(
        vec![
            TimingPoint::bpm(0, 60.0, 4),
            TimingPoint::bpm(1_010_000, 120.0, 4),
        ],
        vec![Note::tap(0, 0)],
    );
    let t = timeline(&c, Rules::StepMania);
    assert_eq!(t.beat_at(1_005_000).unwrap(), 1.0);
    assert_eq!(t.beat_at(1_010_000).unwrap(), 1.0);
    assert_eq!(t.beat_at(1_510_000).unwrap(), 2.0);
    assert_eq!(t.time_at(1.0).unwrap(), 1_000_000);
    let beats: Vec<f64> = (990_000..1_020_000)
        .step_by(100)
        .map(|us| t.beat_at(us).unwrap())
        .collect();
    assert!(beats.windows(2).all(|w| w[0] <= w[1]));
}

/// Found by the timeline fuzz target: Quaver looks an SV up at the time as a float, so a time
/// just before an SV (1,000,000 ms, where a float step is 62.5 µs) finds that SV; the position
/// must not step back below its marker.
#[test]
fn quaver_positions_do_not_step_back_where_a_float_time_reaches_an_sv() {
    let sv_ms = 1_000_000;
    let c = chart(
        vec![
            TimingPoint::bpm(0, 120.0, 4),
            TimingPoint::scroll(sv_ms * 1000, 2.0),
        ],
        vec![Note::tap(0, 0)],
    );
    let t = timeline(&c, Rules::Quaver);
    let times: Vec<i64> = (sv_ms * 1000 - 100..sv_ms * 1000 + 100).collect();
    let positions = t.positions(&times).unwrap();
    assert!(positions.windows(2).all(|w| w[0] <= w[1]), "{positions:?}");
}

/// Found by the timeline fuzz target: at 19,709,383 BPM the first stop's row hint (beat 1) is
/// left unused, its time telling a beat a little before it; a stop inside a later warp took
/// that hint and pulled the beat back from 6 to 1. A hint inside a warp is taken only from the
/// warp's own beats.
#[test]
fn a_stop_in_a_warp_takes_no_earlier_event_s_row_hint() {
    let ssc = b"#VERSION:0.83;\n#OFFSET:5;\n#BPMS:0=19709383,9=1;\n#STOPS:1=0.4,6.5=0.2;\n\
#DELAYS:2=0.3;\n#WARPS:6=2;\n#NOTEDATA:;\n#STEPSTYPE:dance-single;\n#NOTES:\n1000\n0000\n0000\n0000\n;\n";
    let c = crate::decode(ssc, crate::Format::Ssc).unwrap();
    let stop_in_warp = c.timing[4];
    assert_eq!(
        stop_in_warp.kind,
        TimingKind::Stop {
            duration_us: 200_000
        }
    );
    let t = timeline(&c, Rules::StepMania);
    assert_eq!(t.beat_at(stop_in_warp.time_us).unwrap(), 6.5);
    let beats: Vec<f64> = (-5_000_010..-4_099_970)
        .step_by(7)
        .map(|us| t.beat_at(us).unwrap())
        .collect();
    assert!(beats.windows(2).all(|w| w[0] <= w[1]));
}

/// Found by the timeline fuzz target: at 99,999,999 BPM the times put a warp's start two thirds
/// of a beat past its row, so the stop on its row inside the warp found no hint and paused
/// after the jump; the delay after it then took its hint and pulled the beat back from 2206
/// to 7. No hint may take the beat below one already passed.
#[test]
fn hints_in_a_warp_never_take_the_beat_back() {
    let ssc = b"#VERSION:0.83;\n#OFFSET:0;\n#BPMS:0=99999999,9=1;\n#STOPS:1=0.4,6.5=0.2;\n\
#DELAYS:7=0.25;\n#WARPS:6=2200;\n#NOTEDATA:;\n#STEPSTYPE:dance-single;\n#NOTES:\n1000\n0000\n0000\n0000\n;\n";
    let c = crate::decode(ssc, crate::Format::Ssc).unwrap();
    let t = timeline(&c, Rules::StepMania);
    let mut times: Vec<i64> = (0..1_000_000).step_by(997).collect();
    times.extend([
        400_003, 400_004, 600_003, 600_004, 850_003, 850_004, 850_005,
    ]);
    times.sort();
    let beats: Vec<f64> = times.iter().map(|&us| t.beat_at(us).unwrap()).collect();
    assert!(beats.windows(2).all(|w| w[0] <= w[1]), "{beats:?}");
}

/// Found by fuzzing (`timeline`): far from time 0 a float step is milliseconds, and Quaver's
/// position markers (lengths in 32-bit floats) can fall behind positions within the SV before
/// (times in f64): at an SV 32 hours in, the position steps back 5 ms. The timeline gives the
/// game's positions, and position windows only while the notes' positions are in order.
#[test]
fn quaver_positions_that_float_rounding_turns_back_keep_windows_exact() {
    let far_us = 115_204_700_000;
    let timing = vec![
        point(
            0,
            TimingKind::Bpm {
                bpm: 240.0,
                meter: 4,
            },
        ),
        point(1_000_000, TimingKind::Scroll { multiplier: 0.5 }),
        point(1_250_000, TimingKind::Scroll { multiplier: 0.5 }),
        point(
            1_500_000,
            TimingKind::Bpm {
                bpm: 150.0,
                meter: 4,
            },
        ),
        point(far_us, TimingKind::Scroll { multiplier: 0.5 }),
    ];
    // The last note sets which tempo lasts longest (Quaver's common BPM): 150.
    let last = Note::tap(288_004_751_613, 1);
    let in_order = chart(timing.clone(), vec![Note::tap(500_000, 0), last]);
    let t = timeline(&in_order, Rules::Quaver);
    let (before, at) = (
        t.position_at(far_us - 1).unwrap(),
        t.position_at(far_us).unwrap(),
    );
    assert!(at < before - 5.0, "{before} then {at}");
    assert_eq!(t.notes_in_position_window(0.0, 1e12).unwrap(), 0..2);
    // A note on each side of the step: their positions are out of time order.
    let across = vec![Note::tap(far_us - 1, 0), Note::tap(far_us, 0), last];
    let t = timeline(&chart(timing, across), Rules::Quaver);
    assert!(t.notes_in_position_window(0.0, 1e12).is_err());
}

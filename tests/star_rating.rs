//! osu!mania star rating against rosu-pp (a port of osu! lazer's difficulty calculation): on
//! every mania map of the corpus, on charts written to `.osu` by the encoder (fixtures and
//! generated ones), and on bad input.

mod common;

use std::path::PathBuf;

use rox::analysis::star::star_rating;
use rox::model::IssueKind;
use rox::{Chart, Error, Format, Note, NoteKind};

/// The clock rates checked: normal, DoubleTime, HalfTime.
const RATES: [f64; 3] = [1.0, 1.5, 0.75];

/// Largest relative difference to rosu-pp accepted.
const TOLERANCE: f64 = 1e-6;

fn rosu_stars(osu_bytes: &[u8], clock_rate: f64) -> f64 {
    let map = rosu_pp::Beatmap::from_bytes(osu_bytes).expect("rosu-pp reads the map");
    rosu_pp::Difficulty::new()
        .clock_rate(clock_rate)
        .calculate(&map)
        .stars()
}

fn relative_error(ours: f64, theirs: f64) -> f64 {
    if ours == theirs {
        0.0
    } else {
        (ours - theirs).abs() / theirs.abs().max(f64::MIN_POSITIVE)
    }
}

/// Rates `chart` as written to `.osu` by this library and by rosu-pp; the largest error.
fn check_written(what: &str, chart: &Chart) -> f64 {
    let bytes = rox::encode(chart, Format::Osu).unwrap();
    let mut worst: f64 = 0.0;
    for rate in RATES {
        let ours = star_rating(chart, rate).unwrap();
        let theirs = rosu_stars(&bytes, rate);
        let error = relative_error(ours, theirs);
        assert!(
            error <= TOLERANCE,
            "{what} at {rate}x: ours {ours}, rosu-pp {theirs}"
        );
        worst = worst.max(error);
    }
    worst
}

fn chart(key_count: u8, notes: Vec<Note>) -> Chart {
    Chart {
        notes,
        ..Chart::new(key_count)
    }
}

fn ms(ms: i64) -> i64 {
    ms * 1000
}

// ---------------------------------------------------------------------------------------------
// The corpus

/// The osu!mania maps of the corpus, or `None` when it is absent.
fn corpus_mania() -> Option<Vec<(String, Vec<u8>)>> {
    let dir = common::corpus()?.join("osu");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "osu"))
        .collect();
    files.sort();
    let maps: Vec<_> = files
        .iter()
        .map(|p| {
            let bytes = std::fs::read(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
            (p.file_name().unwrap().to_string_lossy().into_owned(), bytes)
        })
        .filter(|(_, bytes)| {
            rosu_pp::Beatmap::from_bytes(bytes)
                .is_ok_and(|m| m.mode == rosu_pp::model::mode::GameMode::Mania)
        })
        .collect();
    assert!(
        maps.len() >= 6,
        "expected the corpus's 6 mania maps, found {}",
        maps.len()
    );
    Some(maps)
}

/// Every corpus map, as read from its file and as written by the encoder, matches rosu-pp on
/// the file: chords listed out of column order (mania_hitsound.osu has some) are rated in file
/// order, which the decoder keeps.
#[test]
fn corpus_maps_match_rosu_pp() {
    let Some(maps) = corpus_mania() else { return };
    let mut worst_written: f64 = 0.0;
    let mut worst_original: f64 = 0.0;
    for (name, bytes) in &maps {
        let chart = rox::decode(bytes, Format::Osu).unwrap();
        worst_written = worst_written.max(check_written(name, &chart));
        for rate in RATES {
            let ours = star_rating(&chart, rate).unwrap();
            let theirs = rosu_stars(bytes, rate);
            let error = relative_error(ours, theirs);
            eprintln!(
                "{name} at {rate}x: {ours} stars; rosu-pp on the file {theirs} \
                 (relative error {error:e})"
            );
            assert!(
                error <= TOLERANCE,
                "{name} at {rate}x: ours {ours}, rosu-pp {theirs}"
            );
            worst_original = worst_original.max(error);
        }
    }
    eprintln!("largest relative error: {worst_written:e} written, {worst_original:e} original");
    let big = maps
        .iter()
        .find(|(name, _)| name == "mania_4K_50K_notes.osu");
    assert!(big.is_some(), "the 54K-note map is missing from the corpus");
}

/// Chords of holds listed out of column order (a release is rated against the holds before it
/// in file order): rated in file order as rosu-pp rates the file, also once written back; the
/// same notes by column rate differently.
#[test]
fn chords_are_rated_in_file_order() {
    let bytes = common::fixture("osu/chord_order.osu");
    let chart = rox::decode(&bytes, Format::Osu).unwrap();
    assert_eq!(
        chart.extra("osu.object_order"),
        Some("1000000=3 0 2,1800000=2 0 1,2600000=3 1")
    );
    let written = rox::encode(&chart, Format::Osu).unwrap();
    assert_eq!(rox::decode(&written, Format::Osu).unwrap(), chart);
    let mut by_column = chart.clone();
    by_column.extras.clear();
    for rate in RATES {
        let ours = star_rating(&chart, rate).unwrap();
        for (what, file) in [("file", &bytes), ("written", &written)] {
            let theirs = rosu_stars(file, rate);
            assert!(
                relative_error(ours, theirs) <= TOLERANCE,
                "{what} at {rate}x: ours {ours}, rosu-pp {theirs}"
            );
        }
        let column_order = star_rating(&by_column, rate).unwrap();
        assert!(
            relative_error(column_order, ours) > 1e-3,
            "{rate}x: {column_order} by column, {ours} in file order"
        );
    }
}

/// A hint that no longer fits the notes (one moved) is ignored: the chart rates and writes as
/// if it had none.
#[test]
fn a_stale_chord_order_is_ignored() {
    let mut chart = rox::decode(&common::fixture("osu/chord_order.osu"), Format::Osu).unwrap();
    chart.notes[0].time_us += 1000;
    chart.sort();
    let mut without = chart.clone();
    without.extras.clear();
    assert_eq!(
        star_rating(&chart, 1.0).unwrap(),
        star_rating(&without, 1.0).unwrap()
    );
    assert_eq!(
        rox::encode(&chart, Format::Osu).unwrap(),
        rox::encode(&without, Format::Osu).unwrap()
    );
}

#[test]
fn fewer_than_two_notes_rate_zero() {
    assert_eq!(star_rating(&Chart::new(4), 1.0).unwrap(), 0.0);
    let one = chart(4, vec![Note::tap(ms(1000), 2)]);
    for rate in RATES {
        assert_eq!(star_rating(&one, rate).unwrap(), 0.0);
    }
    check_written("one note", &one);
}

#[test]
fn tiny_charts_match_rosu_pp() {
    let charts = [
        (
            "two taps",
            chart(4, vec![Note::tap(0, 0), Note::tap(ms(250), 1)]),
        ),
        (
            "a chord",
            chart(
                4,
                (0..4)
                    .map(|c| Note::tap(ms(500), c))
                    .chain([Note::tap(ms(750), 0)])
                    .collect(),
            ),
        ),
        (
            "a hold over taps, released near another",
            chart(
                7,
                vec![
                    Note::hold(0, ms(2000), 0),
                    Note::tap(ms(100), 3),
                    Note::hold(ms(200), ms(1000), 6),
                    Note::hold(ms(300), ms(1690), 5),
                    Note::tap(ms(1990), 1),
                ],
            ),
        ),
        (
            "negative and fractional times",
            chart(
                4,
                vec![
                    Note::tap(-1_234_567, 0),
                    Note::tap(-1_000, 1),
                    Note::hold(333_333, 777_777, 2),
                ],
            ),
        ),
        (
            "notes across many sections",
            chart(
                1,
                vec![
                    Note::tap(0, 0),
                    Note::tap(ms(60_000), 0),
                    Note::tap(ms(60_001), 0),
                ],
            ),
        ),
    ];
    for (what, chart) in &charts {
        assert!(star_rating(chart, 1.0).unwrap() > 0.0, "{what}");
        check_written(what, chart);
    }
}

/// Pseudo-random charts with dense chords, holds and overlapping releases: every ordering and
/// threshold case the algorithm has, against rosu-pp on the written file.
#[test]
fn generated_charts_match_rosu_pp() {
    let mut state: u64 = 0x5eed;
    let mut next = |bound: u64| {
        state = state
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (state >> 33) % bound
    };
    let mut worst: f64 = 0.0;
    for seed in 0..60 {
        let keys = 1 + next(10) as u8;
        let mut time = 0;
        let mut notes = Vec::new();
        for _ in 0..200 + next(300) {
            // Steps of 0 to 3 ms make chords and 1 ms thresholds; some µs fractions.
            time += match next(4) {
                0 => next(4) as i64 * 1000,
                1 => next(3000) as i64 * 1000,
                2 => next(400_000) as i64,
                _ => next(150) as i64 * 1000,
            };
            let column = next(u64::from(keys)) as u8;
            let note = match next(3) {
                0 => Note::hold(time, 1000 + next(1_500) as i64 * 1000, column),
                _ => Note::tap(time, column),
            };
            notes.push(note);
        }
        let mut generated = chart(keys, notes);
        generated.sort();
        worst = worst.max(check_written(
            &format!("generated chart {seed}"),
            &generated,
        ));
    }
    eprintln!("largest relative error over the generated charts: {worst:e}");
}

#[test]
fn kinds_count_as_the_encoder_writes_them() {
    let base = vec![
        Note::tap(0, 0),
        Note::hold(ms(100), ms(500), 1),
        Note::tap(ms(300), 2),
    ];
    let plain = star_rating(&chart(4, base.clone()), 1.0).unwrap();

    let mut changed = base.clone();
    changed[1].kind = NoteKind::Roll;
    changed[2].kind = NoteKind::Lift;
    changed.push(Note {
        kind: NoteKind::Mine,
        ..Note::tap(ms(200), 3)
    });
    changed.push(Note {
        kind: NoteKind::Fake,
        ..Note::tap(ms(350), 0)
    });
    let mut changed = chart(4, changed);
    changed.sort();
    assert_eq!(star_rating(&changed, 1.0).unwrap(), plain);
    check_written("rolls, lifts, mines and fakes", &changed);
}

/// Notes need not be sorted: they are ordered by time as a file reader orders them. A hold
/// ending before it starts is a tap, as osu! reads it.
#[test]
fn unsorted_notes_and_backward_holds() {
    let sorted = vec![
        Note::tap(0, 0),
        Note::hold(ms(100), ms(400), 1),
        Note::tap(ms(100), 2),
        Note::tap(ms(250), 3),
    ];
    let expected = star_rating(&chart(4, sorted.clone()), 1.0).unwrap();
    let mut shuffled = sorted.clone();
    shuffled.swap(0, 3);
    assert_eq!(star_rating(&chart(4, shuffled), 1.0).unwrap(), expected);

    let mut backward = sorted.clone();
    backward[3] = Note::hold(ms(250), -ms(50), 3);
    assert_eq!(star_rating(&chart(4, backward), 1.0).unwrap(), expected);
}

// ---------------------------------------------------------------------------------------------
// Bad input

#[test]
fn bad_clock_rates_are_refused() {
    let two = chart(4, vec![Note::tap(0, 0), Note::tap(ms(100), 1)]);
    for rate in [
        f64::NAN,
        0.0,
        -1.0,
        0.009,
        100.5,
        f64::INFINITY,
        f64::NEG_INFINITY,
    ] {
        match star_rating(&two, rate) {
            Err(Error::InvalidArgument(message)) => {
                assert!(message.contains("clock rate"), "{message}")
            }
            other => panic!("clock rate {rate}: {other:?}"),
        }
    }
    for rate in [0.01, 100.0] {
        assert!(star_rating(&two, rate).unwrap().is_finite());
    }
}

#[test]
fn bad_charts_are_refused() {
    let only_issue = |chart: &Chart| match star_rating(chart, 1.0) {
        Err(Error::Invalid(issues)) if issues.len() == 1 => (issues[0].kind, issues[0].index),
        other => panic!("{other:?}"),
    };
    let mut bad_keys = chart(4, vec![Note::tap(0, 0)]);
    bad_keys.key_count = 0;
    assert_eq!(only_issue(&bad_keys), (IssueKind::KeyCountOutOfRange, 0));
    bad_keys.key_count = 19;
    assert_eq!(only_issue(&bad_keys), (IssueKind::KeyCountOutOfRange, 0));

    let bad_column = chart(4, vec![Note::tap(0, 0), Note::tap(0, 4)]);
    assert_eq!(only_issue(&bad_column), (IssueKind::ColumnOutOfRange, 1));

    let extreme = 1_i64 << 52;
    for time in [extreme, -extreme, i64::MIN, i64::MAX] {
        let far = chart(4, vec![Note::tap(0, 0), Note::tap(time, 1)]);
        assert!(
            matches!(star_rating(&far, 1.0), Err(Error::InvalidArgument(m)) if m.contains("2^31"))
        );
    }
    let long_hold = chart(4, vec![Note::tap(0, 0), Note::hold(0, extreme, 1)]);
    assert!(matches!(
        star_rating(&long_hold, 1.0),
        Err(Error::InvalidArgument(_))
    ));
}

/// The earliest and latest times a `.osu` file holds, far apart: finite, and quick (the empty
/// sections between them are skipped, not stepped through).
#[test]
fn the_widest_times_rate_finite() {
    let edge = i64::from(i32::MAX) * 1000;
    let wide = chart(
        4,
        vec![
            Note::tap(-edge, 0),
            Note::tap(-edge, 1),
            Note::hold(0, ms(10), 2),
            Note::tap(edge, 3),
        ],
    );
    for rate in [0.01, 0.75, 1.0, 100.0] {
        let stars = star_rating(&wide, rate).unwrap();
        assert!(stars.is_finite() && stars > 0.0, "{rate}x: {stars}");
    }
    check_written("the widest times", &wide);
}

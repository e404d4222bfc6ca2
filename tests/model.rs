//! Validation reports every problem with its position.

use rox::model::IssueKind;
use rox::{Chart, Note, NoteKind, TimingKind, TimingPoint};

fn valid_chart() -> Chart {
    let mut chart = Chart::new(4);
    chart.timing.push(TimingPoint::bpm(0, 120.0, 4));
    chart.notes = vec![
        Note::tap(0, 0),
        Note::hold(500_000, 250_000, 1),
        Note::tap(750_000, 1),
    ];
    chart
}

fn kinds(chart: &Chart) -> Vec<(IssueKind, usize)> {
    chart.validate().iter().map(|i| (i.kind, i.index)).collect()
}

#[test]
fn valid_chart_has_no_issues_and_a_note_at_a_hold_end_is_legal() {
    assert_eq!(kinds(&valid_chart()), vec![]);
}

#[test]
fn every_problem_is_reported_with_its_index() {
    let mut chart = valid_chart();
    chart.notes.push(Note::tap(100, 7)); // unsorted and column out of range
    chart.notes.push(Note {
        kind: NoteKind::Hold,
        ..Note::tap(900_000, 2)
    }); // zero-length hold
    chart.notes.push(Note {
        duration_us: 5,
        ..Note::tap(900_000, 3)
    }); // tap with a duration
    chart.notes.push(Note {
        keysound: Some(0),
        ..Note::tap(950_000, 3)
    }); // no keysound list
    assert_eq!(
        kinds(&chart),
        vec![
            (IssueKind::NotesUnsorted, 3),
            (IssueKind::ColumnOutOfRange, 3),
            (IssueKind::NonPositiveHoldLength, 4),
            (IssueKind::DurationOnNonHold, 5),
            (IssueKind::KeysoundOutOfRange, 6),
        ]
    );
}

#[test]
fn overlaps_in_one_column_are_found() {
    let mut chart = valid_chart();
    chart.notes = vec![
        Note::hold(0, 1000, 0),
        Note::tap(500, 0),
        Note::tap(2000, 1),
        Note::tap(2000, 1),
    ];
    assert_eq!(
        kinds(&chart),
        vec![
            (IssueKind::OverlappingNotes, 1),
            (IssueKind::OverlappingNotes, 3)
        ]
    );
    assert!(!IssueKind::OverlappingNotes.is_fatal());
}

#[test]
fn timing_problems_are_found() {
    let mut chart = valid_chart();
    chart.timing = vec![
        TimingPoint::bpm(10, f64::NAN, 4),
        TimingPoint::bpm(5, -1.0, 4),
        TimingPoint::scroll(20, f64::INFINITY),
        TimingPoint::new(30, TimingKind::Stop { duration_us: -1 }),
    ];
    assert_eq!(
        kinds(&chart),
        vec![
            (IssueKind::NonFiniteNumber, 0),
            (IssueKind::TimingUnsorted, 1),
            (IssueKind::NegativeBpm, 1),
            (IssueKind::NonFiniteNumber, 2),
            (IssueKind::NegativeDuration, 3),
        ]
    );
}

#[test]
fn missing_bpm_bad_key_count_and_overflow_are_found() {
    let mut chart = Chart::new(0);
    chart.notes = vec![Note::hold(i64::MAX - 1, 10, 0)];
    assert_eq!(
        kinds(&chart),
        vec![
            (IssueKind::KeyCountOutOfRange, 0),
            (IssueKind::NoBpm, 0),
            (IssueKind::TimeOverflow, 0),
            (IssueKind::ColumnOutOfRange, 0)
        ]
    );
    chart.timing.push(TimingPoint::bpm(i64::MIN, 120.0, 4));
    assert!(chart
        .validate()
        .iter()
        .any(|i| i.kind == IssueKind::TimeOverflow && i.time_us == i64::MIN));
    let message = chart.validate()[2].to_string();
    assert!(
        message.contains("note 0") && message.contains("out of range"),
        "{message}"
    );
}

#[test]
fn encode_refuses_a_fatally_broken_chart_with_every_problem_listed() {
    let mut chart = valid_chart();
    chart.notes[0].column = 9;
    match rox::encode(&chart, rox::Format::Rox) {
        Err(rox::Error::Invalid(issues)) => assert_eq!(issues[0].kind, IssueKind::ColumnOutOfRange),
        other => panic!("expected Invalid, got {other:?}"),
    }
}

#[test]
fn a_zero_bpm_is_reported_but_not_fatal() {
    let mut chart = valid_chart();
    chart.timing.push(TimingPoint::bpm(2_000_000, 0.0, 4));
    assert_eq!(kinds(&chart), vec![(IssueKind::ZeroBpm, 1)]);
    assert!(!IssueKind::ZeroBpm.is_fatal());
    let bytes = rox::encode(&chart, rox::Format::Rox).expect("a zero BPM is written");
    assert_eq!(rox::decode(&bytes, rox::Format::Rox).unwrap(), chart);
}

#[test]
fn the_limits_themselves_are_valid() {
    // 18 keys (osu!mania's most), times of exactly ±2^52 µs, a hold ending at the limit,
    // a BPM change and a scroll change at one time (osu! red and green lines), a stop of
    // zero length, and a chord.
    use rox::model::{MAX_ABS_TIME_US, MAX_KEYS};
    let mut chart = Chart::new(MAX_KEYS);
    chart.timing = vec![
        TimingPoint::bpm(-MAX_ABS_TIME_US, 120.0, 4),
        TimingPoint::scroll(-MAX_ABS_TIME_US, 0.5),
        TimingPoint::new(0, TimingKind::Stop { duration_us: 0 }),
        TimingPoint::new(0, TimingKind::Delay { duration_us: 0 }),
        TimingPoint::bpm(MAX_ABS_TIME_US, 240.0, 4),
    ];
    chart.notes = vec![
        Note::tap(-MAX_ABS_TIME_US, 0),
        Note::tap(0, 0),
        Note::tap(0, MAX_KEYS - 1),
        Note::hold(MAX_ABS_TIME_US - 10, 10, 1),
        Note::tap(MAX_ABS_TIME_US, 2),
    ];
    assert_eq!(kinds(&chart), vec![]);
    for key_count in [0, MAX_KEYS + 1] {
        chart.key_count = key_count;
        assert_eq!(kinds(&chart)[0], (IssueKind::KeyCountOutOfRange, 0));
    }
}

#[test]
fn one_past_the_limits_is_an_overflow() {
    use rox::model::MAX_ABS_TIME_US;
    let mut chart = valid_chart();
    chart
        .timing
        .push(TimingPoint::bpm(MAX_ABS_TIME_US + 1, 120.0, 4));
    chart.notes = vec![
        Note::tap(-MAX_ABS_TIME_US - 1, 0),
        Note::hold(MAX_ABS_TIME_US - 10, 11, 1),
    ];
    assert_eq!(
        kinds(&chart),
        vec![
            (IssueKind::TimeOverflow, 1),
            (IssueKind::TimeOverflow, 0),
            (IssueKind::TimeOverflow, 1),
        ]
    );
}

#[test]
fn chart_level_problems_are_told_without_a_position() {
    let chart = Chart::new(0);
    let messages: Vec<String> = chart.validate().iter().map(|i| i.to_string()).collect();
    assert_eq!(
        messages,
        ["key count must be 1 to 18", "chart has no BPM timing point"]
    );
}

#[test]
fn codecs_stop_at_the_first_fatal_problem_of_a_note() {
    use rox::model::NoteChecker;
    let mut checker = NoteChecker::new(4, 0);
    // An overlap alone is not fatal.
    assert_eq!(checker.first_fatal(0, &Note::hold(0, 1000, 0)), Ok(()));
    assert_eq!(checker.first_fatal(1, &Note::tap(500, 0)), Ok(()));
    // Unsorted, in column 9 and with a keysound: the first rule checked is told.
    let note = Note {
        keysound: Some(0),
        ..Note::tap(100, 9)
    };
    let issue = checker.first_fatal(2, &note).unwrap_err();
    assert_eq!(
        (issue.kind, issue.index, issue.time_us),
        (IssueKind::NotesUnsorted, 2, 100)
    );
}

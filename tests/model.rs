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

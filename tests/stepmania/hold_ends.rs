//! Hold ends where rows share a µs (a tempo of ~10^18 BPM, a stop): a note on the row of a
//! hold's end, and a hold whose end could only go back to its start's time. Found by running
//! the conformance check over generated `.ssc` files with extreme timing (session 18).

use rox::formats::stepmania::{decode, encode, Dialect};
use rox::model::{ConversionReport, LossKind, NoteKind};
use rox::{Chart, Note, TimingKind, TimingPoint};

/// A roll from -1 s to -0.5 s (a 0.5 s stop at beat 0.75 of a ~10^18 BPM tempo) and a tap of
/// its column at -0.5 s. Both times belong to every row from after the stop to beat 2.75, so
/// the tap goes to the row after the roll's end; it used to take the end's row, pushing the
/// end back to the stop's row, at the roll's start time: StepMania reads that roll as a tap.
#[test]
fn a_note_at_a_hold_end_time_goes_after_the_end_row() {
    let name = "roll_ending_where_a_tap_of_its_column_starts.ssc";
    let (_, charts) = crate::decode_fixture(name);
    assert_eq!(
        crate::notes_of(&charts[0]),
        [
            (-1_000_000, 0, NoteKind::Roll, 500_000),
            (-500_000, 0, NoteKind::Tap, 0)
        ]
    );
    let mut report = ConversionReport::default();
    let bytes = encode(&charts, Dialect::Ssc, &mut report).expect(name);
    assert!(report.is_empty(), "{:#?}", report.entries);
    let again = decode(&bytes, Dialect::Ssc, &mut ConversionReport::default()).expect(name);
    assert_eq!(again, charts);
}

/// The same roll with its end on the one row of -0.5 s (a 0.001 BPM tempo starts there), and
/// a tap of its column moved to that time: the tap takes the row, the roll's end goes back to
/// the stop's row, at the roll's start time, and StepMania reads a tap there. The report
/// says so.
#[test]
fn a_hold_that_can_only_end_at_its_start_time_is_reported_as_a_tap() {
    let name = "roll_ending_on_the_only_row_of_its_time.ssc";
    let (_, mut charts) = crate::decode_fixture(name);
    assert_eq!(
        crate::notes_of(&charts[0]),
        [
            (-1_000_000, 0, NoteKind::Roll, 500_000),
            (-500_000, 1, NoteKind::Tap, 0)
        ]
    );
    charts[0].notes[1].column = 0;
    let mut report = ConversionReport::default();
    let bytes = encode(&charts, Dialect::Ssc, &mut report).expect(name);
    let changed: Vec<(Option<usize>, &str)> = report
        .entries
        .iter()
        .filter(|e| e.kind == LossKind::NoteChanged)
        .map(|e| (e.index, e.message.as_str()))
        .collect();
    assert_eq!(
        changed,
        [(
            Some(0),
            "roll ends at its start's time (its rows share a µs): read back as a tap"
        )],
        "{:#?}",
        report.entries
    );
    let again = decode(&bytes, Dialect::Ssc, &mut ConversionReport::default()).expect(name);
    assert_eq!(
        crate::notes_of(&again[0]),
        [
            (-1_000_000, 0, NoteKind::Tap, 0),
            (-500_000, 0, NoteKind::Tap, 0)
        ]
    );
}

/// A hold ending 6 ms after a 0.5 s stop (on the first row after it, at 120 BPM) and a tap of
/// its column 2 ms later, on that row too. The hold used to give way one row up, onto the
/// stop's row, and end 506 ms early (reported); the tap now goes a row later (12.8 ms) and the
/// hold keeps its end. Found by the conformance check over generated `.bme` files.
#[test]
fn a_hold_end_after_a_stop_keeps_its_row_and_the_tap_on_it_moves() {
    let (shifts, again) = written_after_a_stop(vec![
        Note::hold(500_000, 1_006_000, 0),
        Note::tap(1_508_000, 0),
    ]);
    // Rows of 1/48 beat: 10,417 µs; the first after the stop at 1,510,417 µs.
    assert_eq!(
        shifts,
        [
            (LossKind::HoldEndSnapped, 4_417),
            (LossKind::NoteSnapped, 1_520_833 - 1_508_000)
        ],
    );
    assert_eq!(
        crate::notes_of(&again),
        [
            (500_000, 0, NoteKind::Hold, 1_010_417),
            (1_520_833, 0, NoteKind::Tap, 0)
        ]
    );
}

/// A 5.2 ms hold ending where a 0.5 s stop starts (beat 2 at 120 BPM), its start just nearer
/// the stop's row than the row before: start and end on one row, the end used to go a row
/// later, past the whole stop (510 ms late, reported). The start goes a row earlier instead
/// and the end stays on the stop's row. Found by the conformance check over generated `.bme`
/// files (the BMS writer's rule, `a_short_hold_ending_where_a_stop_starts_keeps_its_end`).
#[test]
fn a_short_hold_ending_where_a_stop_starts_keeps_its_end() {
    let (shifts, again) = written_after_a_stop(vec![Note::hold(994_800, 5_200, 0)]);
    // Rows of 1/48 beat: 10,417 µs; the one before the stop's at 989,583 µs.
    assert_eq!(shifts, [(LossKind::NoteSnapped, 989_583 - 994_800)],);
    assert_eq!(
        crate::notes_of(&again),
        [(989_583, 0, NoteKind::Hold, 1_000_000 - 989_583)]
    );
}

/// The same hold with a tap of its column on the row before the stop's: the start cannot go
/// back a row, and ending a row after its start would end it past the whole stop (510 ms
/// late). It is written as a tap on the stop's row instead, reported as changed: its start
/// keeps its row, and its end moves 5.2 ms, not 510. Found by the conformance check over
/// generated `.bme` files (6,000 of them: ends 136 ms to 2 s late).
#[test]
fn a_short_hold_that_would_end_past_a_stop_is_written_as_a_tap() {
    let (shifts, again) =
        written_after_a_stop(vec![Note::tap(989_583, 0), Note::hold(994_800, 5_200, 0)]);
    assert_eq!(
        shifts,
        [
            (LossKind::NoteSnapped, 1_000_000 - 994_800),
            (LossKind::NoteChanged, 0)
        ]
    );
    assert_eq!(
        crate::notes_of(&again),
        [
            (989_583, 0, NoteKind::Tap, 0),
            (1_000_000, 0, NoteKind::Tap, 0)
        ]
    );
}

/// `notes` at 120 BPM with a 0.5 s stop at 1 s, written as `.ssc`: the report's entries as
/// (kind, shift), and the chart read back.
fn written_after_a_stop(notes: Vec<Note>) -> (Vec<(LossKind, i64)>, Chart) {
    let mut chart = Chart::new(4);
    let stop = TimingKind::Stop {
        duration_us: 500_000,
    };
    chart.timing = vec![
        TimingPoint::bpm(0, 120.0, 4),
        TimingPoint::new(1_000_000, stop),
    ];
    chart.notes = notes;
    let mut report = ConversionReport::default();
    let bytes = encode(&[chart], Dialect::Ssc, &mut report).expect("writes");
    let shifts = (report.entries.iter())
        .map(|e| (e.kind, e.shift_us))
        .collect();
    let again = decode(&bytes, Dialect::Ssc, &mut ConversionReport::default()).expect("reads");
    (shifts, again.into_iter().next().expect("one chart"))
}

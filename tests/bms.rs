//! The BMS reader against bms-rs (an independent parser, its `KeyLayoutBeat` mapping): on
//! every corpus BMS file and the fixtures, the same notes (visible, long, mine) in the same
//! columns, each starting within 1 µs of bms-rs's time.
//!
//! bms-rs 1.0's chart timing departs from the BMS players (LR2, beatoraja) in four places.
//! Three this test corrects for, each where it says: channel 03 tempo changes are read but not
//! timed; a `#STOP` length (1/192 of a measure) is timed as whole measures; and a note on a
//! stop's own position is timed after the stop instead of when it starts. The fourth it cannot:
//! its measure positions ignore channel 02 lengths within a measure (`YMemo` adds the fraction
//! unscaled, and resets its track counter), so in a file with measure lengths only the notes
//! (count, and each column's kinds in order) are compared, not their times.

mod common;

use std::collections::HashMap;
use std::ops::RangeInclusive;
use std::path::{Path, PathBuf};

use bms_rs::bms::command::channel::mapper::KeyLayoutBeat;
use bms_rs::bms::prelude::{default_config, parse_bms, AlwaysUseNewer, BpmChangeObj, Rng};
use bms_rs::chart::prelude::{BmsProcessor, ChartEvent, Key, NoteKind, PlayerSide};
use num::BigUint;
use rox::formats::bms;
use rox::{Chart, ConversionReport, Format, Note, NoteKind as RoxKind, TimingKind, TimingPoint};
use strict_num_extended::{NonNegativeF64, PositiveF64};

/// Takes the first branch of every `#RANDOM`, as ROX does.
struct FirstBranch;

impl Rng for FirstBranch {
    fn generate(&mut self, range: RangeInclusive<BigUint>) -> BigUint {
        range.start().clone()
    }
}

/// A note as both readers can say it: time in µs, column, kind.
type Seen = (i64, u8, RoxKind);

/// The notes bms-rs reads, in ROX's columns for a chart of `key_count` columns (the layout
/// docs/bms.md gives: scratch first, keys 1–7, 2P keys, 2P scratch last).
fn oracle_notes(text: &str, key_count: u8) -> Vec<Seen> {
    let config = default_config().prompter(AlwaysUseNewer).rng(FirstBranch);
    let mut bms = parse_bms(text, config).bms.expect("bms-rs reads the file");
    // Channel 03 (`bpm_changes_u8`) handed to `bpm_changes`, which alone is timed.
    for (time, bpm) in std::mem::take(&mut bms.bpm.bpm_changes_u8) {
        if let Ok(bpm) = PositiveF64::new(f64::from(bpm)) {
            bms.bpm
                .bpm_changes
                .entry(time)
                .or_insert(BpmChangeObj { time, bpm });
        }
    }
    // Stop lengths in measures, as bms-rs times them.
    for stop in bms.stop.stops.values_mut() {
        stop.duration = NonNegativeF64::new(stop.duration.as_f64() / 192.0).expect("finite");
    }
    let chart = BmsProcessor::parse::<KeyLayoutBeat>(&bms).expect("bms-rs builds the chart");
    let side_width = if key_count % 8 == 0 { 8 } else { 6 };
    let mut seen = Vec::new();
    for event in chart.events().as_events() {
        let ChartEvent::Note {
            side, key, kind, ..
        } = event.event()
        else {
            continue;
        };
        let kind = match kind {
            NoteKind::Visible => RoxKind::Tap,
            NoteKind::Long => RoxKind::Hold,
            NoteKind::Landmine => RoxKind::Mine,
            NoteKind::Invisible => continue,
        };
        let key_column = match key {
            Key::Scratch(_) => side_width - 1,
            Key::Key(n @ 1..=7) => *n - 1,
            other => panic!("lane {other:?} has no column in ROX"),
        };
        let column = match side {
            PlayerSide::Player1 if matches!(key, Key::Scratch(_)) => 0,
            PlayerSide::Player1 => key_column + 1,
            PlayerSide::Player2 => side_width + key_column,
        };
        let time_us = event.activate_time().as_nanos() as f64 / 1000.0;
        seen.push((time_us.round() as i64, column, kind));
    }
    seen.sort_by_key(|&(time, column, _)| (time, column));
    seen
}

/// ROX's notes, each on a stop's position moved past the stop as bms-rs times it.
fn rox_notes(chart: &Chart) -> Vec<Seen> {
    let stopped_at = |time_us: i64| -> i64 {
        let stops = chart.timing.iter().filter(|t| t.time_us == time_us);
        stops
            .map(|t| match t.kind {
                TimingKind::Stop { duration_us } => duration_us,
                _ => 0,
            })
            .sum()
    };
    chart
        .notes
        .iter()
        .map(|n| (n.time_us + stopped_at(n.time_us), n.column, n.kind))
        .collect()
}

/// The text both readers get: ROX decodes the bytes itself; bms-rs takes a `str`, decoded by
/// the same rule (Shift_JIS unless UTF-8).
fn text_of(bytes: &[u8]) -> String {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(text) => text.to_string(),
        Err(_) => encoding_rs::SHIFT_JIS.decode(bytes).0.into_owned(),
    }
}

/// Compares one file; returns how many notes it has.
fn check(path: &Path) -> usize {
    check_bytes(&path.display().to_string(), &std::fs::read(path).unwrap())
}

fn check_bytes(name: &str, bytes: &[u8]) -> usize {
    let chart = bms::decode(bytes, &mut ConversionReport::default())
        .unwrap_or_else(|e| panic!("{name}: {e}"));
    let mut ours = rox_notes(&chart);
    let text = text_of(bytes);
    let mut theirs = oracle_notes(&text, chart.key_count);
    assert_eq!(
        ours.len(),
        theirs.len(),
        "{name}: note count\n{ours:?}\n{theirs:?}"
    );
    let timed = !text
        .lines()
        .any(|l| l.len() > 6 && l.get(4..7) == Some("02:"));
    if !timed {
        for notes in [&mut ours, &mut theirs] {
            notes.sort_by_key(|&(time, column, _)| (column, time));
            for note in notes.iter_mut() {
                note.0 = 0;
            }
        }
    }
    for (a, b) in ours.iter().zip(&theirs) {
        assert!(
            (a.0 - b.0).abs() <= 1 && a.1 == b.1 && a.2 == b.2,
            "{name}: ROX {a:?}, bms-rs {b:?}"
        );
    }
    ours.len()
}

fn bms_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| Format::from_extension(&p.to_string_lossy()) == Some(Format::Bms))
        .collect();
    files.sort();
    files
}

#[test]
fn corpus_notes_match_bms_rs() {
    let Some(corpus) = common::corpus() else {
        return;
    };
    let files = bms_files(&corpus.join("bms"));
    assert!(files.len() >= 8, "corpus BMS files: {files:?}");
    let notes: usize = files.iter().map(|p| check(p)).sum();
    // lilith_mx and nc_mx alone hold over a thousand notes.
    assert!(notes > 1000, "only {notes} notes compared");
}

#[test]
fn fixture_notes_match_bms_rs() {
    let files = bms_files(&common::fixture_path("bms"));
    assert!(files.len() >= 3);
    for path in files {
        let text = String::from_utf8_lossy(&std::fs::read(&path).unwrap()).into_owned();
        // PMS columns are not bms-rs's KeyLayoutBeat lanes, and bms-rs applies `#LNOBJ` only
        // to objects above it in the file (the fixtures' unit tests check both).
        if path.extension().is_some_and(|e| e != "pms") && !text.contains("#LNOBJ") {
            assert!(check(&path) > 0, "{}", path.display());
        }
    }
}

/// The writer's output, as bms-rs reads it: corpus osu! and Quaver charts of 4 and 7 keys
/// written as `.bme` give bms-rs the notes ROX reads back, at the same times (within 1 µs),
/// and ROX's read-back notes are the source's, moved by at most what the report says. The
/// 54K-note chart is 2,476 measures long at its tempo and has a tempo change 476 ms after
/// another at 75 BPM: written at 1/3 of its tempo on rows of 1/96 beat.
#[test]
fn written_charts_read_the_same_in_bms_rs() {
    let Some(corpus) = common::corpus() else {
        return;
    };
    let sources = [
        "osu/mania_4k.osu",
        "osu/mania_7k.osu",
        "quaver/4K.qua",
        "quaver/7K.qua",
        "osu/mania_4K_50K_notes.osu",
    ]
    .map(|file| corpus.join(file));
    // And a BMS chart with a scratch, long notes, tempo changes and a stop.
    let fixture = common::fixture_path("bms/full.bme");
    for path in sources.iter().chain([&fixture]) {
        let file = path.display();
        let chart = rox::decode(&std::fs::read(path).unwrap(), Format::Auto).unwrap();
        let offset = u8::from(!chart.metadata.has_scratch);
        let (bytes, report) =
            rox::encode_with_report(&chart, Format::Bms).unwrap_or_else(|e| panic!("{file}: {e}"));
        let notes = check_bytes(&format!("{file} as .bme"), &bytes);
        assert_eq!(notes, chart.notes.len(), "{file}: every note written");
        let back = bms::decode(&bytes, &mut ConversionReport::default()).unwrap();
        let moved: HashMap<usize, i64> = (report.entries.iter())
            .filter(|l| l.kind == rox::LossKind::NoteSnapped)
            .filter_map(|l| Some((l.index?, l.shift_us)))
            .collect();
        let mut expected: Vec<(i64, u8)> = (chart.notes.iter().enumerate())
            .map(|(i, n)| (n.time_us + moved.get(&i).unwrap_or(&0), n.column + offset))
            .collect();
        expected.sort();
        let got: Vec<(i64, u8)> = back.notes.iter().map(|n| (n.time_us, n.column)).collect();
        assert_eq!(got, expected, "{file}");
    }
}

/// A BMS player keeps one note a lane and row and none inside a long note, whatever their
/// channels (1x taps, 5x long notes, Dx mines). Found by the conformance check over generated
/// `.osu` files (session 18): a tap inside a hold of its column, and a tap 1 ms after a 4 ms
/// hold (both snap to one row, the hold's end to the row after), were written beside the
/// long note in the same lane, unreported, and the report paired the hold with the tap. The
/// writer now drops such a note and says so; the rest reads back where the report puts it.
#[test]
fn a_note_in_a_hold_or_on_its_row_is_dropped_with_a_report() {
    let name = "osu/notes_inside_a_hold.osu";
    let chart = rox::decode(&common::fixture(name), Format::Osu).unwrap();
    let (bytes, report) = rox::encode_with_report(&chart, Format::Bms).unwrap();
    let dropped: Vec<usize> = (report.entries.iter())
        .filter(|l| l.kind == rox::LossKind::NoteDropped)
        .filter_map(|l| l.index)
        .collect();
    assert_eq!(dropped, [1, 3], "{:#?}", report.entries);
    assert_eq!(check_bytes(name, &bytes), 2, "bms-rs reads the two holds");
    let back = bms::decode(&bytes, &mut ConversionReport::default()).unwrap();
    let end_moved = (report.entries.iter())
        .find(|l| l.kind == rox::LossKind::HoldEndSnapped && l.index == Some(2))
        .map(|l| l.shift_us);
    let kinds: Vec<(i64, u8, RoxKind, i64)> = (back.notes.iter())
        .map(|n| (n.time_us, n.column, n.kind, n.end_time_us()))
        .collect();
    // The second hold's end goes to the row after its head: 1/48 beat at 120 BPM.
    assert_eq!(end_moved, Some(3_000_000 + 10_417 - 3_004_000));
    assert_eq!(
        kinds,
        [
            (1_000_000, 1, RoxKind::Hold, 2_000_000),
            (3_000_000, 2, RoxKind::Hold, 3_010_417)
        ]
    );
}

/// Tempo changes by channels 08 and 03, then stops in measure 2: the last stop's row, read at
/// the tempo since the stop before it, misses its µs by a rounding of that stop's end, and
/// the writer retuned the tempo to the value it already had, adding a tempo change (120 BPM
/// on 120 BPM) that read back as a new timing point, unreported. Found by the conformance
/// check over generated `.bme` files.
#[test]
fn a_stop_keeps_its_row_without_a_tempo_change_of_the_same_tempo() {
    let name = "bms/stop_on_a_row_missing_its_us_by_a_rounding.bme";
    let chart = rox::decode(&common::fixture(name), Format::Bms).unwrap();
    let (bytes, report) = rox::encode_with_report(&chart, Format::Bms).unwrap();
    assert!(report.is_empty(), "{:#?}", report.entries);
    let again = rox::decode(&bytes, Format::Bms).unwrap();
    assert_eq!(again.timing, chart.timing);
    assert_eq!(check_bytes(name, &bytes), 1);
}

/// A hold of 5,208 µs ending where a 500 ms stop starts (beat 1 at 120 BPM), its head just
/// nearer the stop's row than the row before: head and end on one row, the end used to go a
/// row later, past the whole stop (510 ms late, reported). The head goes a row earlier
/// instead (1 µs off) and the end stays on the stop's row. Found by the conformance check
/// over generated `.bme` files (session 18).
#[test]
fn a_short_hold_ending_where_a_stop_starts_keeps_its_end() {
    let name = "bms/note_just_after_a_stop.bme";
    let mut chart = rox::decode(&common::fixture(name), Format::Bms).unwrap();
    let hold = &mut chart.notes[1];
    (hold.kind, hold.time_us, hold.duration_us) = (RoxKind::Hold, 494_792, 5_208);
    let (bytes, report) = rox::encode_with_report(&chart, Format::Bms).unwrap();
    let shifts: Vec<(rox::LossKind, i64)> = (report.entries.iter())
        .map(|l| (l.kind, l.shift_us))
        .collect();
    // The head on the row before the stop's, 1/48 beat (10,417 µs) before it.
    assert_eq!(
        shifts,
        [(rox::LossKind::NoteSnapped, 489_583 - 494_792)],
        "{:#?}",
        report.entries
    );
    let again = rox::decode(&bytes, Format::Bms).unwrap();
    let hold = again.notes[1];
    assert_eq!((hold.time_us, hold.end_time_us()), (489_583, 500_000));
    assert_eq!(check_bytes(name, &bytes), 2);
}

/// A note 1/144 beat after a stop's row (after the stop, 3.5 ms past its end at 120 BPM) lies
/// between two rows of the writer's 1/48-beat grid, nearer the stop's in beats; but a note on
/// a stop's row is played when the stop starts, 500 ms earlier. The writer takes the row
/// nearer in time, the one after (7 ms off, reported), where it used to move the note 500 ms
/// back (reported too). Found by the conformance check over generated `.bme` files (session
/// 18).
#[test]
fn a_note_just_after_a_stop_goes_to_the_row_after_it() {
    let name = "bms/note_just_after_a_stop.bme";
    let chart = rox::decode(&common::fixture(name), Format::Bms).unwrap();
    let times: Vec<i64> = chart.notes.iter().map(|n| n.time_us).collect();
    // Beat 1 + 1/144 at 120 BPM, after the 1-beat stop (48/192 of a measure) at beat 1.
    assert_eq!(times, [0, 500_000 + 500_000 + 3_472]);
    let (bytes, report) = rox::encode_with_report(&chart, Format::Bms).unwrap();
    let shifts: Vec<(Option<usize>, i64)> = (report.entries.iter())
        .filter(|l| l.kind == rox::LossKind::NoteSnapped)
        .map(|l| (l.index, l.shift_us))
        .collect();
    // The row after the stop's: 1/48 beat (10,417 µs) after its end.
    assert_eq!(shifts, [(Some(1), 10_417 - 3_472)], "{:#?}", report.entries);
    assert_eq!(check_bytes(name, &bytes), 2);
}

/// A tempo of 10^20 BPM and a change 0.1 s after it: 10^21 rows on, past what a row number
/// holds. Refused (BMS has 1,000 measures), where the debug build's overflow check panicked
/// (found by the `decode_auto_ffi` fuzz target in CI, from a `.qua`); stops of ages likewise.
#[test]
fn a_tempo_of_ages_of_rows_is_refused_without_overflow() {
    let mut chart = Chart::new(7);
    chart.timing = vec![
        TimingPoint::bpm(0, 120.0, 4),
        TimingPoint::bpm(400_000, 1.1e20, 4),
        TimingPoint::bpm(500_000, 200.0, 4),
    ];
    chart.notes = vec![Note::tap(0, 0), Note::tap(600_000, 1)];
    let result = rox::encode_with_report(&chart, Format::Bms);
    assert!(
        matches!(result, Err(rox::Error::InvalidArgument(_))),
        "{result:?}"
    );
    chart.timing = vec![
        TimingPoint::bpm(0, 120.0, 4),
        TimingPoint::new(
            400_000,
            TimingKind::Stop {
                duration_us: i64::MAX,
            },
        ),
    ];
    // Written or refused, as long as it neither panics nor writes what does not read back.
    if let Ok((bytes, _)) = rox::encode_with_report(&chart, Format::Bms) {
        rox::decode(&bytes, Format::Bms).expect("reads back");
    }
}

//! Every file the StepMania writer produces reads back: for generated charts with extreme
//! values (huge stops, delays and warps, extreme BPMs, times near ±2^52 µs) and for every
//! fixture, corpus and regression chart, written as `.sm` and as `.ssc`. Writing may refuse a
//! chart; what it writes must decode. The other writers (.osu, .qua, .rox) are held to the
//! same on the same charts.

use std::path::PathBuf;

use rox::formats::stepmania::{decode, encode, Dialect};
use rox::model::{ConversionReport, Loss, LossKind, MAX_ABS_TIME_US};
use rox::{Chart, Note, NoteKind, TimingKind, TimingPoint};

use crate::common;

const DIALECTS: [Dialect; 2] = [Dialect::Sm, Dialect::Ssc];

/// Encodes `charts` in both dialects; when that succeeds, the output must decode. Failures
/// are collected in `failures` (so that one run shows them all). Returns how many of the two
/// encodings succeeded.
pub fn check_output_decodes(charts: &[Chart], what: &str, failures: &mut Vec<String>) -> usize {
    let mut written = 0;
    for dialect in DIALECTS {
        let Ok(bytes) = encode(charts, dialect, &mut ConversionReport::default()) else {
            continue;
        };
        written += 1;
        if let Err(e) = decode(&bytes, dialect, &mut ConversionReport::default()) {
            failures.push(format!(
                "{what} written as {dialect:?} does not read back: {e}"
            ));
        }
    }
    written
}

/// Fails with each distinct error once (with a count and the first case that gave it).
fn assert_no_failures(failures: &[String], tried: usize) {
    let mut errors: std::collections::BTreeMap<&str, (usize, &str)> = Default::default();
    for failure in failures {
        let error = failure
            .rsplit(" does not read back: ")
            .next()
            .unwrap_or(failure);
        errors.entry(error).or_insert((0, failure)).0 += 1;
    }
    let listed: Vec<String> = errors
        .values()
        .map(|(count, first)| format!("{count} time(s), first: {first}"))
        .collect();
    assert!(
        failures.is_empty(),
        "{} of {tried} cases fail:\n{}",
        failures.len(),
        listed.join("\n")
    );
}

const BIG: i64 = MAX_ABS_TIME_US;

fn durations() -> [i64; 6] {
    [i64::MAX, BIG + 1, BIG, BIG / 2, 1 << 40, 1]
}

/// Extreme BPMs, and the fastest `.sm` can hold (StepMania reads a faster one as a warp, so
/// the `.sm` writer refuses those).
fn bpms() -> [f64; 8] {
    [
        f64::MAX,
        1e300,
        1e15,
        9_999_999.0,
        1e-300,
        f64::MIN_POSITIVE,
        1e-9,
        5e-324,
    ]
}

fn warps() -> [f64; 5] {
    [f64::MAX, 1e300, 1e12, 1e-300, 5e-324]
}

/// Timing that reaches the edges: each list is one chart's timing after a 120 BPM start.
fn extreme_timings() -> Vec<Vec<TimingKind>> {
    let mut out = Vec::new();
    for d in durations() {
        out.push(vec![TimingKind::Stop { duration_us: d }]);
        out.push(vec![TimingKind::Delay { duration_us: d }]);
        out.push(vec![
            TimingKind::Stop { duration_us: d },
            TimingKind::Delay { duration_us: d },
        ]);
    }
    for bpm in bpms() {
        out.push(vec![TimingKind::Bpm { bpm, meter: 4 }]);
        out.push(vec![TimingKind::Bpm {
            bpm,
            meter: u32::MAX,
        }]);
    }
    for beats in warps() {
        out.push(vec![TimingKind::Warp { beats }]);
    }
    out.push(vec![TimingKind::Scroll {
        multiplier: f64::MAX,
    }]);
    out
}

/// Notes around an event at time 0: before it, on it, a hold across it, far after it.
fn extreme_notes() -> Vec<Vec<Note>> {
    vec![
        vec![Note::hold(1_000, 20_000, 0)],
        vec![Note::tap(0, 0), Note::hold(500_000, 250_000, 1)],
        vec![Note::tap(-1_000_000, 0), Note::tap(2_000_000, 1)],
        vec![Note::tap(BIG, 0)],
        vec![Note::tap(-BIG, 0)],
        vec![Note::hold(-BIG, 2 * BIG, 0)],
        vec![Note::tap(BIG - 1_000, 0), Note::hold(BIG / 2, BIG / 2, 1)],
    ]
}

/// The first BPM of a generated chart: where it is and what it is.
fn starts() -> Vec<(i64, f64)> {
    let mut out = vec![(0, 120.0), (-BIG, 120.0), (BIG, 120.0), (-1_000_000, 60.0)];
    out.extend(bpms().map(|bpm| (0, bpm)));
    out
}

fn generated_charts() -> Vec<Chart> {
    let mut charts = Vec::new();
    for (start_time, start_bpm) in starts() {
        for events in extreme_timings() {
            for event_time in [0, BIG, -BIG] {
                for notes in extreme_notes() {
                    let mut chart = Chart::new(4);
                    chart.timing.push(TimingPoint::new(
                        start_time,
                        TimingKind::Bpm {
                            bpm: start_bpm,
                            meter: 4,
                        },
                    ));
                    for &kind in &events {
                        chart.timing.push(TimingPoint::new(event_time, kind));
                    }
                    chart.timing.sort_by_key(|t| t.time_us);
                    chart.notes = notes.clone();
                    charts.push(chart);
                }
            }
        }
    }
    charts
}

#[test]
fn generated_extreme_charts_read_back() {
    let charts = generated_charts();
    assert!(charts.len() > 1000);
    let mut failures = Vec::new();
    let mut written = 0;
    for chart in &charts {
        let what = format!("{:?} with notes {:?}", chart.timing, chart.notes);
        written += check_output_decodes(std::slice::from_ref(chart), &what, &mut failures);
    }
    assert_no_failures(&failures, charts.len());
    // Many are writable (most others are too long for note data at any tempo): the property
    // is tested, not refused away.
    assert!(
        written > charts.len() / 5,
        "only {written} files of {} written",
        charts.len()
    );
}

/// The case of the issue: a stop of i64::MAX µs before a hold's end. The hold, on the stop's
/// row, could only end a row later, past the stop and beyond the model's times (refused
/// once, as "beyond"): it is written as a tap, reported, and the file reads back.
#[test]
fn a_stop_of_ages_before_a_hold_end_makes_it_a_tap_that_reads_back() {
    let mut chart = Chart::new(4);
    chart.timing = vec![
        TimingPoint::new(
            0,
            TimingKind::Bpm {
                bpm: 120.0,
                meter: 4,
            },
        ),
        TimingPoint::new(
            0,
            TimingKind::Stop {
                duration_us: i64::MAX,
            },
        ),
    ];
    chart.notes = vec![Note::hold(1_000, 20_000, 0)];
    for dialect in DIALECTS {
        let mut report = ConversionReport::default();
        let bytes = encode(&[chart.clone()], dialect, &mut report).expect("writable");
        let changed = |e: &&Loss| e.kind == LossKind::NoteChanged && e.index == Some(0);
        assert!(report.entries.iter().any(|e| changed(&e)), "{report:?}");
        let again = decode(&bytes, dialect, &mut ConversionReport::default()).expect("reads");
        assert_eq!(crate::notes_of(&again[0]), [(0, 0, NoteKind::Tap, 0)]);
    }
    // Without the hold the stop is written as the longest the model holds, and reported.
    chart.notes.clear();
    let mut report = ConversionReport::default();
    let bytes = encode(&[chart], Dialect::Ssc, &mut report).expect("writable");
    assert!(report.entries.iter().any(|e| e.message.contains("longest")));
    let again = decode(&bytes, Dialect::Ssc, &mut ConversionReport::default()).expect("reads");
    assert_eq!(
        again[0].timing[1].kind,
        TimingKind::Stop {
            duration_us: MAX_ABS_TIME_US
        }
    );
}

/// Every StepMania file of the fixtures, the corpus and the regression folder.
fn stepmania_files() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(common::fixture_path("stepmania"))
        .expect("fixtures")
        .map(|e| e.expect("fixture entry").path())
        .collect();
    for dir in [
        common::corpus().map(|c| c.join("stepmania")),
        common::regress(),
    ]
    .into_iter()
    .flatten()
    {
        files.extend(
            std::fs::read_dir(dir)
                .expect("readable folder")
                .map(|e| e.expect("entry").path())
                .filter(|p| p.extension().is_some_and(|e| e == "sm" || e == "ssc")),
        );
    }
    files.sort();
    files
}

#[test]
fn every_known_file_reads_back_in_both_dialects() {
    let files = stepmania_files();
    assert!(files.len() >= 8, "{files:?}");
    let mut failures = Vec::new();
    for path in &files {
        let bytes = std::fs::read(path).expect("readable");
        let dialect = if path.extension().is_some_and(|e| e == "ssc") {
            Dialect::Ssc
        } else {
            Dialect::Sm
        };
        let charts = decode(&bytes, dialect, &mut ConversionReport::default())
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        check_output_decodes(&charts, &path.display().to_string(), &mut failures);
        for (i, chart) in charts.iter().enumerate() {
            let what = format!("{} chart {i} alone", path.display());
            check_output_decodes(std::slice::from_ref(chart), &what, &mut failures);
        }
    }
    assert_no_failures(&failures, files.len());
}

/// Every writer, not only StepMania's: the extreme charts and every fixture and corpus chart,
/// written as each format, read back.
#[test]
fn every_writer_output_reads_back() {
    use rox::Format;
    let mut charts = generated_charts();
    let mut dirs = vec![common::fixture_path("")];
    dirs.extend(common::corpus());
    for dir in dirs {
        for sub in ["osu", "quaver", "rox", "stepmania"] {
            let Ok(entries) = std::fs::read_dir(dir.join(sub)) else {
                continue;
            };
            for entry in entries {
                let bytes = std::fs::read(entry.expect("entry").path()).expect("readable");
                if let Ok(set) = rox::decode_set(&bytes, Format::Auto) {
                    charts.extend(set.charts);
                }
            }
        }
    }
    let mut failures = Vec::new();
    for chart in &charts {
        for format in [Format::Osu, Format::Qua, Format::Rox] {
            let Ok((bytes, _)) = rox::encode_with_report(chart, format) else {
                continue;
            };
            if let Err(e) = rox::decode(&bytes, format) {
                failures.push(format!(
                    "{:?} with notes {:?} written as {format:?} does not read back: {e}",
                    chart.timing,
                    &chart.notes[..chart.notes.len().min(3)]
                ));
            }
        }
    }
    assert_no_failures(&failures, charts.len());
}

/// A stop listed before a delay at one time: StepMania applies the delay first, so the stop
/// comes after it. Written without a word, the chart would read back changed.
#[test]
fn a_stop_listed_before_a_delay_on_its_row_is_reported() {
    let mut chart = Chart::new(4);
    chart.timing = vec![
        TimingPoint::new(
            0,
            TimingKind::Bpm {
                bpm: 120.0,
                meter: 4,
            },
        ),
        TimingPoint::new(
            500_000,
            TimingKind::Stop {
                duration_us: 1_000_000,
            },
        ),
        TimingPoint::new(
            500_000,
            TimingKind::Delay {
                duration_us: 1_000_000,
            },
        ),
    ];
    chart.notes = vec![Note::tap(3_000_000, 0)];
    for dialect in DIALECTS {
        let mut report = ConversionReport::default();
        let bytes = encode(&[chart.clone()], dialect, &mut report).expect("writable");
        let again = decode(&bytes, dialect, &mut ConversionReport::default()).expect("reads");
        assert_ne!(again[0].timing, chart.timing);
        let entry = report.entries.iter().find(|e| e.index == Some(1));
        assert!(
            entry.is_some_and(|e| e.shift_us == 1_000_000),
            "{dialect:?}: {:#?}",
            report.entries
        );
    }
}

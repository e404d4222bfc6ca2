//! `rox::timeline` against the games' own rules: StepMania beats and times against simfile
//! 2.1.1's timing engine, osu!mania scroll positions against an oracle written from osu!lazer's
//! code, and properties on every corpus chart.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use rox::timeline::{Rules, ScrollAlgorithm, Timeline, TimelineOptions, SNAP_DIVISORS};
use rox::{Chart, Format, TimingKind};

fn charts(path: &Path) -> Vec<Chart> {
    let bytes = std::fs::read(path).unwrap();
    let format = Format::from_extension(&path.to_string_lossy()).expect("a chart extension");
    rox::decode_set(&bytes, format).expect("decodes").charts
}

/// The oracle's lines, split into tab-separated fields.
fn oracle(python: &Path, script: &str, path: &Path) -> Vec<Vec<String>> {
    let output = Command::new(python)
        .arg(common::oracle_script(script))
        .arg(path)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}: {}",
        path.display(),
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout)
        .unwrap()
        .lines()
        .map(|l| l.split('\t').map(str::to_owned).collect())
        .collect()
}

fn stepmania_files() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = common::corpus()
        .map(|c| {
            ["4k.sm", "nekonabe.sm", "Springtime.ssc", "L9.ssc"]
                .iter()
                .map(|n| c.join("stepmania").join(n))
                .collect()
        })
        .unwrap_or_default();
    for f in STEPMANIA_FIXTURES {
        files.push(common::fixture_path(&format!("stepmania/{f}")));
    }
    files
}

/// The fixtures with stops, delays, warps and split timing (simfile reads them as StepMania).
const STEPMANIA_FIXTURES: [&str; 7] = [
    "worked.ssc",
    "split_timing.ssc",
    "keysounds.ssc",
    "gimmicks.ssc",
    "rows.sm",
    "stop_in_warp.ssc",
    "speeds.ssc",
];

#[test]
fn stepmania_beats_and_times_agree_with_simfile() {
    let Some(python) = common::oracle_python("simfile") else {
        return;
    };
    let mut compared = 0;
    for path in stepmania_files() {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let charts = charts(&path);
        let timelines: Vec<Timeline> = charts
            .iter()
            .map(|c| Timeline::new(c, TimelineOptions::for_rules(Rules::StepMania)).unwrap())
            .collect();
        for f in oracle(&python, "timeline_stepmania_oracle.py", &path) {
            let index = f[0].parse::<usize>().unwrap();
            let timeline = &timelines[index];
            let beat = f[1].parse::<i64>().unwrap() as f64 / 48.0;
            let time_us = f[2].parse::<f64>().unwrap() * 1e6;
            let beats_per_us = f[3].parse::<f64>().unwrap() / 60e6;
            let judged = f[4] == "1";
            let time = timeline.time_at(beat).unwrap();
            assert!(
                (time as f64 - time_us).abs() <= 1.0,
                "{name}: beat {beat}: ROX {time} µs, simfile {time_us} µs"
            );
            // Notes inside a warp share its time, so a time tells no beat there (a stop inside
            // a warp makes its note judged all the same); after a stop or delay inside a warp,
            // the warp goes on at the note's time (the next row is at the same time).
            let at_warp = charts[index].timing.iter().any(|t| {
                matches!(t.kind, TimingKind::Warp { .. })
                    && (t.time_us as f64 - time_us).abs() <= 1.0
            }) || timeline.time_at(beat + 1.0 / 48.0).unwrap() == time;
            if judged && !at_warp {
                let at = timeline.beat_at(time_us.round() as i64).unwrap();
                assert!(
                    (at - beat).abs() <= 1.0 * beats_per_us,
                    "{name}: {time_us} µs: ROX beat {at}, simfile {beat}"
                );
                // StepMania's snap is the note's row: d such that the row is on a 1/d beat.
                let row = f[1].parse::<i64>().unwrap();
                let snap = *SNAP_DIVISORS
                    .iter()
                    .find(|&&d| row * i64::from(d) % 48 == 0)
                    .unwrap();
                assert_eq!(
                    timeline.snap_at(time_us.round() as i64).unwrap(),
                    snap,
                    "{name}: row {row}"
                );
            }
            compared += 1;
        }
    }
    assert!(
        common::corpus().is_none() || compared > 10_000,
        "{compared}"
    );
    eprintln!("simfile agrees on {compared} notes (within 1 µs)");
}

/// `beat_at` between the notes too (inside stops, delays and warps), every 10 ms of the
/// fixtures: simfile rounds its beat to a 1/48-beat row, so ROX must be within half a row.
#[test]
fn stepmania_beats_between_notes_agree_with_simfile() {
    let Some(python) = common::oracle_python("simfile") else {
        return;
    };
    let mut compared = 0;
    for name in STEPMANIA_FIXTURES {
        let path = common::fixture_path(&format!("stepmania/{name}"));
        let timelines: Vec<Timeline> = charts(&path)
            .iter()
            .map(|c| Timeline::new(c, TimelineOptions::for_rules(Rules::StepMania)).unwrap())
            .collect();
        for f in oracle(&python, "timeline_stepmania_beat_oracle.py", &path) {
            let index = f[0].parse::<usize>().unwrap();
            let time_us = f[1].parse::<i64>().unwrap();
            let beat = f[2].parse::<f64>().unwrap();
            let at = timelines[index].beat_at(time_us).unwrap();
            assert!(
                (at - beat).abs() <= 0.5 / 48.0 + 1e-9,
                "{name}: chart {index}, {time_us} µs: ROX beat {at}, simfile {beat}"
            );
            compared += 1;
        }
    }
    assert!(compared > 1_000, "{compared}");
    eprintln!("simfile agrees on the beat at {compared} times (within half a row)");
}

/// Corpus osu!mania maps lazer and ROX both read (format v5 and later: older ones get a 24 ms
/// offset in lazer).
fn osu_mania_files() -> Vec<PathBuf> {
    let Some(corpus) = common::corpus() else {
        return Vec::new();
    };
    let mut files: Vec<PathBuf> = std::fs::read_dir(corpus.join("osu"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "osu"))
        .filter(|p| {
            let bytes = std::fs::read(p).unwrap();
            let v4 = String::from_utf8_lossy(&bytes[..bytes.len().min(64)]).contains("v4\n");
            !v4 && rox::formats::osu::decode(&bytes).is_ok()
        })
        .collect();
    files.sort();
    files
}

#[test]
fn osu_positions_agree_with_lazer() {
    let Some(python) = common::oracle_python("fractions") else {
        return;
    };
    let files = osu_mania_files();
    assert!(files.iter().any(|f| f.ends_with("mania_4K_50K_notes.osu")) || files.is_empty());
    let mut compared = 0;
    for path in files {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let chart = &charts(&path)[0];
        let timeline = Timeline::new(chart, TimelineOptions::for_rules(Rules::Osu)).unwrap();
        for f in oracle(&python, "timeline_osu_oracle.py", &path) {
            for (time, position) in [(&f[0], &f[1]), (&f[2], &f[3])] {
                let time_us = (time.parse::<f64>().unwrap() * 1000.0).round() as i64;
                let expected: f64 = position.parse().unwrap();
                let got = timeline.position_at(time_us).unwrap();
                assert!(
                    (got - expected).abs() <= 1e-9 * expected.abs().max(1.0),
                    "{name}: {time_us} µs: ROX {got}, lazer {expected}"
                );
                compared += 1;
            }
        }
        let greens = chart
            .timing
            .iter()
            .filter(|t| matches!(t.kind, TimingKind::Scroll { .. }))
            .count();
        eprintln!("{name}: {greens} green lines");
    }
    eprintln!("lazer's sequential scroll agrees on {compared} note starts and ends");
}

#[test]
fn quaver_positions_agree_with_quaver() {
    let Some(python) = common::oracle_python("yaml") else {
        return;
    };
    let Some(corpus) = common::corpus() else {
        return;
    };
    let mut compared = 0;
    let mut files: Vec<PathBuf> = std::fs::read_dir(corpus.join("quaver"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    // InitialScrollVelocity, negative and zero SVs, SVs at one time, BPM-relative SVs with
    // timing points at one time and SVs before the first.
    for f in ["timeline-normalized.qua", "timeline-denormalized.qua"] {
        files.push(common::fixture_path(&format!("quaver/{f}")));
    }
    for path in files {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let decoded = rox::decode_set(&std::fs::read(&path).unwrap(), Format::Qua);
        let Ok(set) = decoded.map_err(|e| assert!(!name.starts_with("timeline"), "{e}")) else {
            continue;
        };
        let timeline = Timeline::new(&set.charts[0], TimelineOptions::for_rules(Rules::Quaver));
        let timeline = timeline.unwrap();
        if name.starts_with("timeline") {
            // Both have a negative SV: positions go backwards, so no position window.
            assert!(timeline.notes_in_position_window(0.0, 1e9).is_err());
        }
        for f in oracle(&python, "timeline_quaver_oracle.py", &path) {
            for (time, position) in [(&f[0], &f[1]), (&f[2], &f[3])] {
                let time_us = time.parse::<i64>().unwrap() * 1000;
                let expected: f64 = position.parse().unwrap();
                let got = timeline.position_at(time_us).unwrap();
                // Both are Quaver's integer track positions / 100: exactly equal.
                assert_eq!(got, expected, "{name}: {time_us} µs");
                compared += 1;
            }
        }
    }
    assert!(compared > 5_000, "{compared}");
    eprintln!("Quaver's track positions agree on {compared} note starts and ends");
}

/// Every corpus chart of every format, with the rules of its format.
fn corpus_charts() -> Vec<(String, Rules, Chart)> {
    let Some(corpus) = common::corpus() else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for dir in ["osu", "stepmania", "quaver"] {
        for entry in std::fs::read_dir(corpus.join(dir)).unwrap() {
            let path = entry.unwrap().path();
            let name = path.to_string_lossy().into_owned();
            let Some(format) = Format::from_extension(&name) else {
                continue;
            };
            let Ok(set) = rox::decode_set(&std::fs::read(&path).unwrap(), format) else {
                continue;
            };
            for chart in set.charts {
                out.push((name.clone(), Rules::for_format(format), chart));
            }
        }
    }
    out
}

#[test]
fn properties_hold_on_every_corpus_chart() {
    let charts = corpus_charts();
    let mut checked = 0;
    for (name, rules, chart) in &charts {
        let Ok(timeline) = Timeline::new(chart, TimelineOptions::for_rules(*rules)) else {
            assert!(chart
                .timing
                .iter()
                .all(|t| !matches!(t.kind, TimingKind::Bpm { bpm, .. } if bpm > 0.0)));
            continue;
        };
        let pauses: Vec<(i64, i64)> = chart
            .timing
            .iter()
            .filter_map(|t| match t.kind {
                TimingKind::Stop { duration_us } | TimingKind::Delay { duration_us } => {
                    Some((t.time_us, t.time_us + duration_us))
                }
                _ => None,
            })
            .collect();
        let warped = |t: i64| {
            chart
                .timing
                .iter()
                .any(|p| p.time_us == t && matches!(p.kind, TimingKind::Warp { .. }))
        };
        let mut last_position = f64::NEG_INFINITY;
        for note in &chart.notes {
            let t = note.time_us;
            let beat = timeline.beat_at(t).unwrap();
            assert!(beat.is_finite(), "{name}: {t}");
            let paused = pauses.iter().any(|&(a, b)| a <= t && t <= b);
            if !paused && !warped(t) {
                let back = timeline.time_at(beat).unwrap();
                assert!(
                    (back - t).abs() <= 1,
                    "{name}: {t} µs → beat {beat} → {back} µs"
                );
            }
            let position = timeline.position_at(t).unwrap();
            assert!(position.is_finite(), "{name}: {t}");
            if *rules == Rules::Osu {
                assert!(position >= last_position, "{name}: {t}");
                last_position = position;
            }
            checked += 1;
        }
        let snaps = timeline.snaps();
        assert_eq!(snaps.len(), chart.notes.len());
        assert!(snaps.iter().all(|s| *s == 0 || SNAP_DIVISORS.contains(s)));
    }
    assert!(charts.is_empty() || checked > 50_000, "{checked}");
    eprintln!(
        "properties hold on {checked} notes of {} charts",
        charts.len()
    );
}

#[test]
fn window_queries_match_a_scan_on_corpus_osu_maps() {
    let mut windows = 0;
    for path in osu_mania_files() {
        let chart = &charts(&path)[0];
        let timeline = Timeline::new(chart, TimelineOptions::for_rules(Rules::Osu)).unwrap();
        let positions = timeline.note_positions();
        let Some(&(last, _)) = positions.last() else {
            continue;
        };
        for k in 0..50_i32 {
            let low = last * f64::from(k) / 50.0;
            let high = low + 1500.0;
            let expected: Vec<usize> = (0..positions.len())
                .filter(|&i| (low..=high).contains(&positions[i].0))
                .collect();
            let got: Vec<usize> = timeline
                .notes_in_position_window(low, high)
                .unwrap()
                .collect();
            assert_eq!(got, expected, "{}: [{low}, {high}]", path.display());
            let from = i64::from(k) * 20_000_000;
            let to = from + 700_000;
            for column in 0..chart.key_count {
                let expected: Vec<u32> = (0..chart.notes.len() as u32)
                    .filter(|&i| {
                        let n = &chart.notes[i as usize];
                        n.column == column && (from..=to).contains(&n.time_us)
                    })
                    .collect();
                let got = timeline.notes_in_time_window(column, from, to).unwrap();
                assert_eq!(got, expected);
            }
            windows += 1;
        }
    }
    eprintln!("{windows} windows agree with a scan");
}

/// `#SPEEDS` on the worked fixture: every expected factor is derived by hand in its comments
/// from StepMania's `GetDisplayedSpeedPercent` (simfile 2.1.1 has no speed engine to compare).
#[test]
fn stepmania_speeds_follow_the_worked_fixture() {
    let charts = charts(&common::fixture_path("stepmania/speeds.ssc"));
    let expected: [&[(f64, f64)]; 3] = [
        &[
            (-1.0, 1.0),
            (3.0, 1.0),
            (4.0, 1.0),
            (5.5, 1.5),
            (7.0, 2.0),
            (8.0, 2.0),
            (9.25, 1.625),
            (9.5, 1.25),
            (10.0, 0.5),
            (12.0, 0.5),
            (13.5, 3.0),
            (15.0, 3.0),
            (19.5, 1.0),
            (21.5, -1.0),
            (30.0, -1.0),
        ],
        &[(0.0, 1.0), (3.9, 1.0), (5.0, 2.0), (6.0, 3.0), (9.0, 3.0)],
        &[(0.0, 3.0), (3.9, 3.0), (5.0, 3.0)],
    ];
    for (chart, expected) in charts.iter().zip(expected) {
        let sm = Timeline::new(chart, TimelineOptions::for_rules(Rules::StepMania)).unwrap();
        for &(seconds, factor) in expected {
            let time_us = (seconds * 1e6) as i64;
            let at = sm.speed_factor_at(time_us).unwrap();
            assert!(
                (at - factor).abs() < 1e-12,
                "{seconds} s: {at}, by hand {factor}"
            );
            // Constant scroll (StepMania's CMod) and the other games' rules ignore it.
            let constant = TimelineOptions {
                scroll: ScrollAlgorithm::Constant,
                ..TimelineOptions::for_rules(Rules::StepMania)
            };
            let cmod = Timeline::new(chart, constant).unwrap();
            assert_eq!(cmod.speed_factor_at(time_us).unwrap(), 1.0);
            let osu = Timeline::new(chart, TimelineOptions::for_rules(Rules::Osu)).unwrap();
            assert_eq!(osu.speed_factor_at(time_us).unwrap(), 1.0);
        }
    }
}

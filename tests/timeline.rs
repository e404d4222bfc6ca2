//! `rox::timeline` against the games' own rules: StepMania beats and times against simfile
//! 2.1.1's timing engine, osu!mania scroll positions against an oracle written from osu!lazer's
//! code, and properties on every corpus chart.

mod common;

use std::path::{Path, PathBuf};

use rox::timeline::{Rules, ScrollAlgorithm, Timeline, TimelineOptions, SNAP_DIVISORS};
use rox::{Chart, Format, TimingKind};

fn charts(path: &Path) -> Vec<Chart> {
    let bytes = std::fs::read(path).unwrap();
    let format = Format::from_extension(&path.to_string_lossy()).expect("a chart extension");
    rox::decode_set(&bytes, format).expect("decodes").charts
}

/// The oracle's lines, split into tab-separated fields.
fn oracle(python: &Path, script: &str, path: &Path) -> Vec<Vec<String>> {
    common::run_oracle(python, script, &[path])
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
    // timing points at one time and SVs before the first; scroll groups (their own initial SV,
    // negative SVs, none, $Global's merged in, notes in $Global and in a missing group).
    for f in [
        "timeline-normalized.qua",
        "timeline-denormalized.qua",
        "timeline-groups.qua",
        "timeline-groups-bpm.qua",
    ] {
        files.push(common::fixture_path(&format!("quaver/{f}")));
    }
    for path in files {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let decoded = rox::decode_set(&std::fs::read(&path).unwrap(), Format::Qua);
        let Ok(set) = decoded.map_err(|e| assert!(!name.starts_with("timeline"), "{e}")) else {
            continue;
        };
        let chart = &set.charts[0];
        let timeline = Timeline::new(chart, TimelineOptions::for_rules(Rules::Quaver));
        let timeline = timeline.unwrap();
        if name.starts_with("timeline") && name != "timeline-groups-bpm.qua" {
            // A negative SV where notes are: positions go backwards, so no position window.
            assert!(timeline.notes_in_position_window(0.0, 1e9).is_err());
            assert!(timeline.notes_in_view(0, -1e9, 1e9).is_err());
        }
        compared += compare_with_quaver(&python, &path, chart, &timeline);
    }
    assert!(compared > 5_000, "{compared}");
    eprintln!("Quaver's track positions agree on {compared} note starts and ends");
}

/// A note as the Quaver oracle names it: start ms, lane, scroll group id.
type NoteKey<'a> = (i64, u8, &'a str);

/// Each note's start and end positions in its own scroll group against the oracle's (notes
/// named by start, lane and group, as the oracle lists them in file order). Returns how many.
fn compare_with_quaver(python: &Path, path: &Path, chart: &Chart, timeline: &Timeline) -> usize {
    let ids = quaver_group_ids(chart);
    let (groups, positions) = (timeline.note_groups(), timeline.note_positions());
    let lane = |column: u8| match chart.metadata.has_scratch {
        true if column == 0 => chart.key_count,
        true => column,
        false => column + 1,
    };
    // (start ms, lane, group id) → (end ms, start position, end position), in chart order.
    let mut ours: Vec<(NoteKey, (i64, f64, f64))> = (chart.notes.iter().enumerate())
        .map(|(i, n)| {
            let key = (
                n.time_us / 1000,
                lane(n.column),
                ids[groups[i] as usize].as_str(),
            );
            (
                key,
                (n.end_time_us() / 1000, positions[i].0, positions[i].1),
            )
        })
        .collect();
    let mut theirs = oracle(python, "timeline_quaver_oracle.py", path);
    ours.sort_by(|a, b| a.0.cmp(&b.0));
    let key = |f: &Vec<String>| (f[0].parse::<i64>().unwrap(), f[4].parse::<u8>().unwrap());
    theirs.sort_by(|a, b| (key(a), &a[5]).cmp(&(key(b), &b[5])));
    assert_eq!(ours.len(), theirs.len(), "{}", path.display());
    let mut compared = 0;
    for (((start, lane, id), (end, at_start, at_end)), f) in ours.into_iter().zip(theirs) {
        let context = format!("{}: note at {start} ms in lane {lane}", path.display());
        assert_eq!(
            (start, lane, id),
            (key(&f).0, key(&f).1, f[5].as_str()),
            "{context}"
        );
        // Both are Quaver's integer track positions / 100: exactly equal.
        assert_eq!(at_start, f[1].parse::<f64>().unwrap(), "{context}");
        let (their_end, their_end_position): (i64, f64) =
            (f[2].parse().unwrap(), f[3].parse().unwrap());
        let group = ids.iter().position(|g| *g == id).unwrap();
        let end_position = timeline.position_in_group(group, their_end * 1000).unwrap();
        assert_eq!(end_position, their_end_position, "{context}: end");
        // A mine's EndTime is not its end in the model.
        if their_end == end {
            assert_eq!(at_end, their_end_position, "{context}: end");
        }
        if group == 0 {
            assert_eq!(timeline.position_at(start * 1000).unwrap(), at_start);
        }
        compared += 2;
    }
    compared
}

/// The ids of the timeline's scroll groups, by group number.
fn quaver_group_ids(chart: &Chart) -> Vec<String> {
    let groups = rox::formats::quaver::scroll_groups(chart).unwrap();
    let mut ids = vec![rox::formats::quaver::DEFAULT_GROUP.to_owned()];
    ids.extend(groups.groups.into_iter().map(|g| g.id));
    ids
}

/// The notes of a view window are those a scan finds from each note's position and its
/// group's; a position window, which has no time, is refused once notes are in several groups.
#[test]
fn quaver_view_windows_follow_each_group() {
    let path = common::fixture_path("quaver/timeline-groups-bpm.qua");
    let chart = &charts(&path)[0];
    let timeline = Timeline::new(chart, TimelineOptions::for_rules(Rules::Quaver)).unwrap();
    assert_eq!(
        quaver_group_ids(chart),
        ["$Default", "fast", "plain", "frozen"]
    );
    assert_eq!(timeline.scroll_group_count(), 4);
    assert_eq!(timeline.note_groups(), [0, 1, 2, 2, 1, 3, 0, 1, 2, 1]);
    // A group without InitialScrollVelocity and SVs (0, C#'s default) stands still.
    assert_eq!(timeline.position_in_group(3, 2_000_000).unwrap(), 0.0);
    assert!(timeline.position_in_group(4, 0).is_err());
    assert!(timeline.notes_in_position_window(0.0, 1e9).is_err());
    let positions = timeline.note_positions();
    let groups = timeline.note_groups();
    let mut non_empty = 0;
    for time_us in (-500_000..3_500_000).step_by(50_000) {
        for (low, high) in [(-100.0, 400.0), (0.0, 1000.0), (-300.0, 0.0)] {
            let scan: Vec<u32> = (0..positions.len() as u32)
                .filter(|&i| {
                    let group = groups[i as usize] as usize;
                    let at = timeline.position_in_group(group, time_us).unwrap();
                    (at + low..=at + high).contains(&positions[i as usize].0)
                })
                .collect();
            let view = timeline.notes_in_view(time_us, low, high).unwrap();
            assert_eq!(view, scan, "{time_us} µs, {low}..{high}");
            non_empty += usize::from(scan.len() > 1);
        }
    }
    assert!(non_empty > 20, "{non_empty}");
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

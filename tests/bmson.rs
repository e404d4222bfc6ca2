//! The bmson reader against bms-rs 1.0's bmson module (an independent parser and timing,
//! `BmsonProcessor`): on every corpus bmson file and the fixtures, the same notes (taps, long
//! notes, mines) in the same columns, each starting within 1 µs of bms-rs's time; then what
//! the fixtures say, computed by hand from the spec.
//!
//! bms-rs times a note on a stop's own pulse after the stop (the spec: when it starts) and
//! gives every note of layered channels (the spec fuses them into one); the test corrects for
//! both. It skips a stop on pulse 0 (the fixtures have none).

mod common;

use std::path::PathBuf;

use bms_rs::bmson::parse_bmson;
use bms_rs::chart::prelude::{BmsonProcessor, ChartEvent, Key, NoteKind, PlayerSide};
use rox::formats::bmson;
use rox::{
    decode, Chart, ConversionReport, DecodeLimits, Error, Format, LossKind, NoteKind as RoxKind,
    TimingKind,
};

/// A note as both readers can say it: time in µs, column, kind.
type Seen = (i64, u8, RoxKind);

/// ROX's column of a bms-rs lane in a chart of `mode` and `key_count` columns; `None` for a
/// lane the mode has none for (ROX reports those).
fn column(mode: &str, key_count: u8, side: PlayerSide, key: Key) -> Option<u8> {
    let n = match key {
        Key::Key(n) => n,
        Key::Scratch(_) => 0,
        other => panic!("lane {other:?}"),
    };
    if !mode.starts_with("beat") {
        return (1..=key_count).contains(&n).then(|| n - 1);
    }
    let double = mode == "beat-10k" || mode == "beat-14k";
    let width = if double { key_count / 2 } else { key_count };
    match (side, n) {
        (PlayerSide::Player1, 0) => Some(0),
        (PlayerSide::Player1, n) if n < width => Some(n),
        (PlayerSide::Player2, 0) if double => Some(2 * width - 1),
        (PlayerSide::Player2, n) if double && n < width => Some(width + n - 1),
        _ => None,
    }
}

/// The notes bms-rs reads, in ROX's columns, layered ones once.
fn oracle_notes(text: &str, chart: &Chart) -> Vec<Seen> {
    let output = parse_bmson(text);
    let parsed = output.bmson.expect("bms-rs reads the file");
    let mode = parsed.info.mode_hint.to_string();
    let processed = BmsonProcessor::parse(&parsed);
    let mut seen = Vec::new();
    for event in processed.events().as_events() {
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
        let Some(column) = column(&mode, chart.key_count, *side, *key) else {
            continue;
        };
        let time_us = event.activate_time().as_nanos() as f64 / 1000.0;
        seen.push((time_us.round() as i64, column, kind));
    }
    seen.sort_by_key(|&(time, column, _)| (time, column));
    seen.dedup_by_key(|&mut (time, column, _)| (time, column));
    seen
}

/// ROX's notes, each on a stop's time moved past the stop as bms-rs times it.
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
    let mut notes: Vec<Seen> = (chart.notes.iter())
        .map(|n| (n.time_us + stopped_at(n.time_us), n.column, n.kind))
        .collect();
    notes.sort_by_key(|&(time, column, _)| (time, column));
    notes
}

/// Compares one file's notes; returns how many there are.
fn check(name: &str, text: &str) -> usize {
    let chart = bmson::decode(text.as_bytes(), &mut ConversionReport::default())
        .unwrap_or_else(|e| panic!("{name}: {e}"));
    let ours = rox_notes(&chart);
    let theirs = oracle_notes(text, &chart);
    assert_eq!(ours.len(), theirs.len(), "{name}\n{ours:?}\n{theirs:?}");
    for (a, b) in ours.iter().zip(&theirs) {
        assert!(
            (a.0 - b.0).abs() <= 1 && a.1 == b.1 && a.2 == b.2,
            "{name}: ROX {a:?}, bms-rs {b:?}"
        );
    }
    ours.len()
}

fn bmson_files(dir: PathBuf) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| Format::from_extension(&p.to_string_lossy()) == Some(Format::Bmson))
        .collect();
    files.sort();
    files
}

#[test]
fn fixture_notes_match_bms_rs() {
    let files = bmson_files(common::fixture_path("bms"));
    assert!(files.len() >= 3, "{files:?}");
    for path in files {
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(check(&path.display().to_string(), &text) > 5);
    }
}

/// The corpus chart is `keyboard-24k-double`: 52 columns, more than the model's 18, so ROX
/// refuses it. Its timing (resolution 7920, tempo changes) is still checked against bms-rs on
/// every note, with the lanes folded into 18 (`generic-18keys`) in a copy both readers get.
#[test]
fn corpus_notes_match_bms_rs() {
    let Some(corpus) = common::corpus() else {
        return;
    };
    let files = bmson_files(corpus.join("bms"));
    assert!(!files.is_empty());
    let mut notes = 0;
    for path in files {
        let bytes = std::fs::read(&path).unwrap();
        let name = path.display().to_string();
        let folded = match decode(&bytes, Format::Auto) {
            Err(Error::InvalidKeyCount(columns)) => {
                assert!(columns > 18, "{name}");
                fold_lanes(&bytes)
            }
            Ok(chart) => {
                assert_eq!(chart.source_format, Some(Format::Bmson));
                String::from_utf8(bytes).unwrap()
            }
            Err(e) => panic!("{name}: {e}"),
        };
        notes += check(&name, &folded);
    }
    // The 48-key chart alone has 1,050 playable notes (some fold onto one place).
    assert!(notes > 900, "only {notes} notes compared");
}

/// The file with its lanes folded into 1..=18 and the mode `generic-18keys`.
fn fold_lanes(bytes: &[u8]) -> String {
    let mut json: serde_json::Value = serde_json::from_slice(bytes).unwrap();
    json["info"]["mode_hint"] = "generic-18keys".into();
    for channel in json["sound_channels"].as_array_mut().unwrap() {
        for note in channel["notes"].as_array_mut().unwrap() {
            if let Some(x) = note["x"].as_u64().filter(|&x| x > 0) {
                note["x"] = ((x - 1) % 18 + 1).into();
            }
        }
    }
    json.to_string()
}

fn fixture_chart(name: &str) -> (Chart, ConversionReport) {
    let mut report = ConversionReport::default();
    let bytes = common::fixture(&format!("bms/{name}"));
    let chart = bmson::decode(&bytes, &mut report).unwrap();
    (chart, report)
}

/// beat-7k.bmson at 150 BPM, 480 pulses a beat: a stop of half a beat on beat 6 (0.2 s),
/// 200 BPM from beat 8, 100 BPM from beat 11 (of two changes on one pulse, the last), a stop
/// of a beat on beat 13 (0.6 s).
#[test]
fn the_fixture_reads_as_the_spec_says() {
    let (chart, report) = fixture_chart("beat-7k.bmson");
    assert_eq!(chart.key_count, 8);
    assert!(chart.metadata.has_scratch);
    assert_eq!(chart.source_format, Some(Format::Bmson));
    let notes: Vec<(i64, u8, RoxKind, i64, Option<u32>)> = (chart.notes.iter())
        .map(|n| (n.time_us, n.column, n.kind, n.duration_us, n.keysound))
        .collect();
    assert_eq!(
        notes,
        [
            (0, 0, RoxKind::Tap, 0, Some(0)),
            // Layered with vox.ogg's note on the same place: one note, kick's sound.
            (400_000, 1, RoxKind::Tap, 0, Some(0)),
            (800_000, 2, RoxKind::Hold, 800_000, Some(0)),
            (800_000, 4, RoxKind::Tap, 0, Some(1)),
            (1_000_000, 5, RoxKind::Tap, 0, Some(1)),
            // On the stop's pulse: when the stop starts.
            (2_400_000, 3, RoxKind::Tap, 0, Some(0)),
            (3_400_000, 3, RoxKind::Mine, 0, None),
            (5_500_000, 6, RoxKind::Tap, 0, Some(1)),
            (7_050_000, 7, RoxKind::Hold, 600_000, Some(1)),
        ]
    );
    assert_eq!(chart.keysounds, ["kick.wav", "vox.ogg", "ghost.wav"]);
    let timing: Vec<(i64, TimingKind)> = chart.timing.iter().map(|t| (t.time_us, t.kind)).collect();
    let bpm = |bpm| TimingKind::Bpm { bpm, meter: 4 };
    let scroll = |multiplier| TimingKind::Scroll { multiplier };
    let stop = |duration_us| TimingKind::Stop { duration_us };
    // Of 120 and 100 BPM on one pulse, the last: one timing point.
    let expected = [
        (0, bpm(150.0)),
        (1_600_000, scroll(0.5)),
        (2_400_000, stop(200_000)),
        (3_400_000, bpm(200.0)),
        (3_400_000, scroll(1.0)),
        (4_300_000, bpm(100.0)),
        (5_500_000, stop(600_000)),
    ];
    assert_eq!(timing, expected);
    // The BGM note on a playable note's pulse of its channel is that note's slice (dropped).
    assert_eq!(chart.extra("bms.bgm"), Some("1200000:1 1400000:1"));
    assert_eq!(chart.extra("bms.invisible"), Some("3500000:4:2"));
    let m = &chart.metadata;
    assert_eq!(
        (m.title.as_str(), m.artist.as_str()),
        ("bmson fixture", "ROX")
    );
    assert_eq!(m.difficulty_name, "HYPER");
    assert_eq!(m.difficulty_level, Some(7.0));
    assert_eq!(m.background_file, "eyecatch.png");
    assert_eq!(chart.extra("bmson.back_image"), Some("back.png"));
    assert_eq!(chart.extra("bmson.total"), Some("300"));
    assert_eq!(chart.extra("bmson.lines"), Some("0 1920 3840 5280 7200"));
    let subartists: Vec<&str> = (chart.extras.iter())
        .filter(|(k, _)| k == "bmson.subartist")
        .map(|(_, v)| v.as_str())
        .collect();
    assert_eq!(subartists, ["chart:ROX", "music: nobody"]);
    let kinds: Vec<LossKind> = report.entries.iter().map(|l| l.kind).collect();
    assert_eq!(
        kinds,
        [
            LossKind::NoteDropped,
            LossKind::SoundDropped,
            LossKind::SoundDropped,
            LossKind::MetadataDropped
        ],
        "{report:?}"
    );
    assert!(chart.validate().is_empty());
}

#[test]
fn double_play_puts_the_2p_scratch_last() {
    let (chart, report) = fixture_chart("beat-14k.bmson");
    assert_eq!(chart.key_count, 16);
    // x 1..=16 in order on beats 1..=16: 1P keys, 1P scratch, 2P keys, 2P scratch.
    let columns: Vec<u8> = chart.notes.iter().map(|n| n.column).collect();
    assert_eq!(
        columns,
        [1, 2, 3, 4, 5, 6, 7, 0, 8, 9, 10, 11, 12, 13, 14, 15, 15]
    );
    assert!(report.is_empty(), "{report:?}");
    assert_eq!(chart.extra("bms.bgm"), Some("0:1"));
}

#[test]
fn popn_reads_nine_buttons_and_a_negative_resolution_as_its_absolute_value() {
    let (chart, _) = fixture_chart("popn-9k.bmson");
    assert_eq!(chart.key_count, 9);
    assert!(!chart.metadata.has_scratch);
    // 120 pulses a beat at 145.5 BPM: x 1 on pulse 120 is one beat in.
    let beat_us = (60e6_f64 / 145.5).round() as i64;
    assert_eq!(chart.notes[0].time_us, beat_us);
    assert_eq!(chart.notes[0].column, 0);
    assert_eq!(chart.notes[2].kind, RoxKind::Hold);
}

#[test]
fn bmson_is_detected_and_named() {
    let bytes = common::fixture("bms/beat-7k.bmson");
    assert_eq!(Format::detect(&bytes), Some(Format::Bmson));
    assert_eq!(Format::from_extension("song.BMSON"), Some(Format::Bmson));
    assert_eq!(Format::from_name("bmson"), Some(Format::Bmson));
    assert_eq!(Format::from_i32(8), Some(Format::Bmson));
    assert!(Format::Bmson.can_decode());
    assert!(!Format::Bmson.can_encode());
    let set = rox::decode_set(&bytes, Format::Auto).unwrap();
    assert_eq!(set.charts.len(), 1);
    assert!(!set.report.is_empty());
}

/// A bmson 1.0 file of `info` members and the notes of one channel.
fn file(info: &str, notes: &str) -> String {
    format!(
        r#"{{"version": "1.0.0", "info": {{{info}}},
        "sound_channels": [{{"name": "a", "notes": [{notes}]}}]}}"#
    )
}

/// JSON has other spellings of the same values: escaped member names and strings, blanks
/// anywhere between tokens, integers with an exponent-free form only. The reader's fast paths
/// (plain names, plain digits) and its general paths must read them alike.
#[test]
fn other_spellings_of_the_same_json_read_the_same() {
    let plain = file(
        r#""init_bpm": 120, "title": "t""#,
        r#"{"x": 1, "y": 240, "l": 0, "c": false}, {"x": 2, "y": 480, "l": 120, "c": true}"#,
    );
    let spelled = file(
        " \"init\\u005fbpm\" :\t120 ,\n\"\\u0074itle\": \"\\u0074\"",
        concat!(
            r#"{ "\u0078" : 1 , "y":240,"l" : 0, "\u0063": false } ,"#,
            "\r\n",
            r#"{"x":2,"\u0079":480,"l":120,"c":true}"#
        ),
    );
    let read = |text: &str| bmson::decode(text.as_bytes(), &mut ConversionReport::default());
    let (plain, spelled) = (read(&plain).unwrap(), read(&spelled).unwrap());
    assert_eq!(plain.notes.len(), 2);
    assert_eq!(plain, spelled);
    // Not integers where integers go: refused by the general path, with the text it found.
    for (notes, says) in [
        (r#"{"x": 1, "y": 2.5}"#, "2.5"),
        (r#"{"x": 1, "y": 1e3}"#, "1e3"),
        (r#"{"x": 1, "y": 012}"#, "expected"),
        (r#"{"x": 1, "y": 99999999999999999999999}"#, "out of range"),
        (r#"{"x": 1, "y": 0, "c": tru}"#, "true or false"),
    ] {
        let text = file(r#""init_bpm": 120"#, notes);
        let e = read(&text).unwrap_err();
        assert!(e.to_string().contains(says), "{notes}: {e}");
    }
}

/// Bad input is an error that says what is wrong, never a panic.
#[test]
fn bad_files_are_refused_with_a_reason() {
    let cases = [
        (r#"{"sound_channels": []}"#.to_string(), "version"),
        (
            r#"{"version": "1.0.0", "sound_channels": []}"#.to_string(),
            "info",
        ),
        (file(r#""init_bpm": 0"#, ""), "init_bpm"),
        (
            file(r#""init_bpm": 120, "mode_hint": "ddr-4k""#, ""),
            "ddr-4k",
        ),
        (file(r#""init_bpm": 120"#, r#"{"x": 1}"#), "\"y\""),
        (file(r#""init_bpm": 120"#, r#"{"x": -1, "y": 0}"#), "-1"),
        (
            file(r#""init_bpm": 1e-300"#, r#"{"x": 1, "y": 9999}"#),
            "beyond",
        ),
        (file(r#""init_bpm": 120"#, r#"{"x": 1, "y": 0"#), "expected"),
    ];
    for (text, says) in cases {
        let e = bmson::decode(text.as_bytes(), &mut ConversionReport::default()).unwrap_err();
        assert!(e.to_string().contains(says), "{text}: {e}");
    }
    let too_wide = file(r#""init_bpm": 120, "mode_hint": "generic-20keys""#, "");
    assert!(matches!(
        bmson::decode(too_wide.as_bytes(), &mut ConversionReport::default()),
        Err(Error::InvalidKeyCount(20))
    ));
}

/// Notes, events and text are counted against the limits as they are read.
#[test]
fn decode_limits_bound_what_is_read() {
    let notes = r#"{"x": 1, "y": 0}, {"x": 0, "y": 1}, {"x": 2, "y": 2}"#;
    let text = file(r#""init_bpm": 120, "title": "a title""#, notes);
    let mut report = ConversionReport::default();
    let limited = |limits: DecodeLimits| {
        bmson::decode_limited(text.as_bytes(), &limits, &mut ConversionReport::default())
    };
    assert!(bmson::decode_limited(text.as_bytes(), &DecodeLimits::default(), &mut report).is_ok());
    for (limits, field) in [
        (
            DecodeLimits {
                max_notes: 2,
                ..DecodeLimits::default()
            },
            "max_notes",
        ),
        (
            DecodeLimits {
                max_text_bytes: 30,
                ..DecodeLimits::default()
            },
            "max_text_bytes",
        ),
        (
            DecodeLimits {
                max_timing_points: 0,
                ..DecodeLimits::default()
            },
            "max_timing_points",
        ),
    ] {
        match limited(limits) {
            Err(Error::LimitExceeded { field: f, .. }) => assert_eq!(f, field),
            other => panic!("{field}: {other:?}"),
        }
    }
}

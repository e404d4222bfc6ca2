//! The Quaver codec: hand-written fixtures (always run), the real-chart corpus, and PyYAML as
//! an independent reader (tests/oracle/quaver_oracle.py) when `.tools/venv` has it.

mod common;

use std::path::{Path, PathBuf};

use rox::formats::{osu, quaver};
use rox::model::{ConversionReport, LossKind};
use rox::{Chart, Error, Format, HitSound, Metadata, Note, NoteKind, TimingKind, TimingPoint};

// ---------------------------------------------------------------------------------------------
// Helpers

fn fixture_path(name: &str) -> PathBuf {
    common::fixture_path(&format!("quaver/{name}"))
}

fn fixture(name: &str) -> Vec<u8> {
    common::fixture(&format!("quaver/{name}"))
}

fn fixtures() -> Vec<PathBuf> {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(fixture_path(""))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "qua"))
        .collect();
    paths.sort();
    paths
}

/// The `.qua` files of the corpus (real maps, and maps that break gameplay rules).
fn corpus_files() -> Option<Vec<PathBuf>> {
    let root = common::corpus()?;
    let mut paths = Vec::new();
    for dir in ["quaver", "edge"] {
        for entry in std::fs::read_dir(root.join(dir)).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|e| e == "qua") {
                paths.push(path);
            }
        }
    }
    paths.sort();
    Some(paths)
}

/// The one corpus map Quaver.API loads only unchecked: lanes 5 and 7 in a 4-key map.
const LANES_OUTSIDE_MODE: &str = "stable-sorting.qua";

fn name(path: &Path) -> String {
    path.file_name().unwrap().to_string_lossy().into_owned()
}

fn decode(bytes: &[u8]) -> (Chart, ConversionReport) {
    let mut report = ConversionReport::default();
    let chart = quaver::decode(bytes, &mut report)
        .unwrap_or_else(|e| panic!("{e}\n{}", String::from_utf8_lossy(bytes)));
    (chart, report)
}

fn decode_str(text: &str) -> rox::Result<Chart> {
    quaver::decode(text.as_bytes(), &mut ConversionReport::default())
}

fn encode(chart: &Chart) -> (String, ConversionReport) {
    let mut report = ConversionReport::default();
    let bytes = quaver::encode(chart, &mut report).unwrap();
    (String::from_utf8(bytes).unwrap(), report)
}

fn parse_error(result: rox::Result<Chart>) -> (usize, String) {
    match result {
        Err(Error::Parse {
            format: "qua",
            line,
            message,
        }) => (line, message),
        other => panic!("expected a .qua parse error, got {other:?}"),
    }
}

fn kinds(report: &ConversionReport) -> Vec<LossKind> {
    report.entries.iter().map(|e| e.kind).collect()
}

/// A minimal map around `body` (which may add keys).
fn map(mode: &str, body: &str) -> String {
    format!("Mode: {mode}\nTimingPoints:\n- Bpm: 120\n{body}")
}

// ---------------------------------------------------------------------------------------------
// 1. Oracle: PyYAML

/// The venv's python with PyYAML, or `None` (skipped, see `common::skip`).
fn oracle() -> Option<PathBuf> {
    common::oracle_python("yaml")
}

fn run_oracle(python: &Path, args: &[&Path]) -> String {
    let mode = Path::new(if args.len() == 1 { "dump" } else { "compare" });
    let args: Vec<&Path> = std::iter::once(mode).chain(args.iter().copied()).collect();
    common::run_oracle(python, "quaver_oracle.py", &args)
}

fn us(ms: &str) -> i64 {
    (ms.parse::<f64>().unwrap() * 1000.0).round() as i64
}

/// Our decode of `path` against PyYAML's reading of the same file: every timing point,
/// scroll velocity and hit object (time, column, end, mine, first keysound).
fn assert_agrees_with_oracle(python: &Path, path: &Path) {
    let what = name(path);
    let dump = run_oracle(python, &[path]);
    let (chart, _) = decode(&std::fs::read(path).unwrap());
    let (mut bpms, mut scrolls, mut notes) = (Vec::new(), Vec::new(), Vec::new());
    let mut scratch = false;
    for line in dump.lines() {
        let f: Vec<&str> = line.split(' ').collect();
        match f[0] {
            "mode" => scratch = f[2] == "True",
            "tp" => {
                let meter = match f[3] {
                    "None" | "0" | "Quadruple" => 4,
                    "Triple" => 3,
                    n => n.parse().unwrap(),
                };
                bpms.push((us(f[1]), f[2].parse::<f64>().unwrap(), meter));
            }
            "sv" => scrolls.push((us(f[1]), f[2].parse::<f64>().unwrap())),
            "note" => {
                let (start, lane) = (us(f[1]), f[2].parse::<u8>().unwrap() + 1);
                let keys = chart.key_count;
                let column = match scratch {
                    true if lane == keys => 0,
                    true => lane,
                    false => lane - 1,
                };
                let end = us(f[3]);
                let mine = matches!(f[4], "Mine" | "1");
                let end = (end != 0 && end > start && !mine).then_some(end);
                let keysound = (f[5] != "-").then(|| {
                    let (sample, volume) = f[5].split(',').next().unwrap().split_once(':').unwrap();
                    (
                        sample.parse::<u32>().unwrap() - 1,
                        volume.parse::<u8>().unwrap(),
                    )
                });
                notes.push((start, column, end, mine, keysound));
            }
            other => panic!("{what}: unknown oracle line {other}"),
        }
    }
    let ours_bpms: Vec<_> = chart
        .timing
        .iter()
        .filter_map(|t| match t.kind {
            TimingKind::Bpm { bpm, meter } => Some((t.time_us, bpm, meter)),
            _ => None,
        })
        .collect();
    let ours_scrolls: Vec<_> = chart
        .timing
        .iter()
        .filter_map(|t| match t.kind {
            TimingKind::Scroll { multiplier } => Some((t.time_us, multiplier)),
            _ => None,
        })
        .collect();
    // Quaver sorts by time, keeping file order at equal times; notes also by column.
    bpms.sort_by_key(|b| b.0);
    scrolls.sort_by_key(|s| s.0);
    notes.sort_by_key(|n| (n.0, n.1));
    let ours_notes: Vec<_> = chart
        .notes
        .iter()
        .map(|n| {
            (
                n.time_us,
                n.column,
                (n.kind == NoteKind::Hold).then(|| n.end_time_us()),
                n.kind == NoteKind::Mine,
                n.keysound.map(|k| (k, n.sound.volume)),
            )
        })
        .collect();
    assert_eq!(ours_bpms, bpms, "{what}: timing points");
    assert_eq!(ours_scrolls, scrolls, "{what}: scroll velocities");
    assert_eq!(ours_notes.len(), notes.len(), "{what}: note count");
    assert_eq!(ours_notes, notes, "{what}: notes");
}

#[test]
fn corpus_and_fixtures_agree_with_pyyaml() {
    let Some(python) = oracle() else { return };
    let mut files = fixtures();
    files.extend(corpus_files().unwrap_or_default());
    let mut checked = 0;
    for path in &files {
        if name(path) == LANES_OUTSIDE_MODE {
            // PyYAML reads it; we refuse it (see `corpus_map_with_lanes_outside_its_mode`).
            assert!(run_oracle(&python, &[path]).contains("note 1000 6 "));
            continue;
        }
        assert_agrees_with_oracle(&python, path);
        checked += 1;
    }
    eprintln!("oracle agreed on {checked} files");
}

// ---------------------------------------------------------------------------------------------
// 2. Round trip

/// `.qua` → chart → `.qua` → chart gives the same chart with an empty report, and the written
/// file means the same to Quaver as the original, field by field (checked by PyYAML when
/// present).
fn assert_round_trip(path: &Path, python: Option<&Path>) {
    let what = name(path);
    let (chart, _) = decode(&std::fs::read(path).unwrap());
    let (written, report) = encode(&chart);
    assert!(report.is_empty(), "{what}: {:?}", report.entries);
    let (again, report) = decode(written.as_bytes());
    assert!(report.is_empty(), "{what}: {:?}", report.entries);
    assert_eq!(again, chart, "{what}\n{written}");
    let (twice, _) = encode(&again);
    assert_eq!(twice, written, "{what}: writing is stable");
    if let Some(python) = python {
        // Tests run in parallel and corpus and fixtures share file names: a number per copy.
        static COPIES: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        let n = COPIES.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let copy =
            std::env::temp_dir().join(format!("rox-quaver-{}-{n}-{what}", std::process::id()));
        std::fs::write(&copy, &written).unwrap();
        let result = run_oracle(python, &[path, &copy]);
        std::fs::remove_file(&copy).unwrap();
        assert_eq!(
            result.trim(),
            "same",
            "{what}: PyYAML sees differences\n{written}"
        );
    }
}

#[test]
fn corpus_round_trips() {
    let Some(files) = corpus_files() else { return };
    let python = oracle();
    for path in files.iter().filter(|p| name(p) != LANES_OUTSIDE_MODE) {
        assert_round_trip(path, python.as_deref());
    }
}

#[test]
fn fixtures_round_trip() {
    let python = oracle();
    for path in fixtures() {
        // Its fractional note times move to whole ms (see `fractional_times`).
        if name(&path) != "fractional.qua" {
            assert_round_trip(&path, python.as_deref());
        }
    }
}

#[test]
fn corpus_map_with_lanes_outside_its_mode() {
    let Some(root) = common::corpus() else { return };
    let bytes = std::fs::read(root.join("quaver").join(LANES_OUTSIDE_MODE)).unwrap();
    let (line, message) = parse_error(quaver::decode(&bytes, &mut ConversionReport::default()));
    assert_eq!(line, 194);
    assert!(
        message.contains("lane 7") && message.contains("Keys4"),
        "{message}"
    );
}

#[test]
fn edge_maps_decode_with_validation_reports() {
    let Some(root) = common::corpus() else { return };
    let read = |name: &str| decode(&std::fs::read(root.join("edge").join(name)).unwrap()).0;
    let overlaps = |chart: &Chart| {
        chart
            .validate()
            .iter()
            .filter(|i| i.kind == rox::model::IssueKind::OverlappingNotes)
            .count()
    };
    assert_eq!(overlaps(&read("overlap-start-times.qua")), 1);
    assert_eq!(overlaps(&read("overlap-inside-ln.qua")), 1);
    // "Short LN": 17 ms, short for Quaver's AutoMod but a valid hold.
    let short = read("short-ln.qua");
    assert_eq!(short.notes[0], Note::hold(0, 17_000, 0));
    assert!(short.validate().is_empty());
    assert_eq!(read("object-missing-column.qua").notes.len(), 3);
}

/// The benchmark chart, through `.qua`: everything Quaver can hold comes back.
#[test]
fn large_osu_chart_through_qua() {
    let Some(root) = common::corpus() else { return };
    let bytes = std::fs::read(root.join("osu/mania_4K_50K_notes.osu")).unwrap();
    let chart = osu::decode(&bytes).unwrap();
    let (written, report) = encode(&chart);
    let (back, decode_report) = decode(written.as_bytes());
    assert!(decode_report.is_empty());
    assert_eq!(back.notes.len(), chart.notes.len());
    for (a, b) in back.notes.iter().zip(&chart.notes) {
        assert_eq!(
            (a.time_us, a.column, a.kind, a.duration_us),
            (b.time_us, b.column, b.kind, b.duration_us)
        );
    }
    let speeds = |c: &Chart| -> Vec<(i64, String)> {
        c.timing
            .iter()
            .map(|t| (t.time_us, format!("{:?}", t.kind)))
            .collect()
    };
    assert_eq!(speeds(&back), speeds(&chart));
    // osu! sample settings have no place in Quaver: one summary entry, not one per note.
    assert!(
        report
            .entries
            .iter()
            .filter(|e| e.kind == LossKind::SoundDropped)
            .count()
            <= 1
    );
    assert!(written.starts_with("AudioFile: "));
}

// ---------------------------------------------------------------------------------------------
// 3. Fixtures

#[test]
fn full_fixture() {
    let (chart, report) = decode(&fixture("full.qua"));
    assert!(report.is_empty());
    let m = &chart.metadata;
    assert_eq!(
        (
            m.title.as_str(),
            m.artist.as_str(),
            m.difficulty_name.as_str()
        ),
        ("Title: with a colon", "Artist \"quoted\" é", "</3 | hard")
    );
    assert_eq!(m.description, "first line continued");
    assert_eq!(
        (m.preview_time_us, m.chart_id, m.set_id),
        (Some(12_345_000), Some(42), Some(7))
    );
    assert_eq!(
        (m.genre.as_str(), m.tags.as_str()),
        ("Electronic", "tag one, tag two")
    );
    assert_eq!(chart.key_count, 7);
    assert_eq!(chart.keysounds, ["kick.wav", "snare.wav"]);
    assert_eq!(
        chart.timing,
        [
            TimingPoint::bpm(0, 120.0, 4),
            TimingPoint::scroll(500_000, 0.75),
            TimingPoint::bpm(2_000_000, 180.5, 3),
        ]
    );
    let hold = Note {
        sound: HitSound {
            flags: 2 | 8,
            volume: 60,
            ..HitSound::default()
        },
        keysound: Some(0),
        ..Note::hold(0, 750_000, 6)
    };
    let mine = Note {
        kind: NoteKind::Mine,
        sound: HitSound {
            flags: 8,
            ..HitSound::default()
        },
        ..Note::tap(1_000_000, 3)
    };
    assert_eq!(chart.notes, [Note::tap(0, 0), hold, mine]);
    assert_eq!(chart.extra("qua.BannerFile"), Some("banner.png"));
    assert_eq!(chart.extra("qua.InitialScrollVelocity"), Some("0.5"));
    assert_eq!(
        chart.extra("qua.TimingPoints"),
        Some("- StartTime: 2000\n  Hidden: true")
    );
    assert_eq!(
        chart.extra("qua.HitObjects"),
        Some("- StartTime: 0\n  Lane: 7\n  KeySounds:\n  - Sample: 2\n  EditorLayer: 1")
    );
    assert_eq!(
        chart.extra("qua.CustomAudioSamples"),
        Some("- Path: kick.wav\n- Path: snare.wav\n  UnaffectedByRate: true")
    );
    let (written, _) = encode(&chart);
    // Quaver marks maps with mines; hit sounds are written by name as YamlDotNet does.
    assert!(written.starts_with("QuaVersion: 1\nAudioFile: audio.mp3\n"));
    assert!(written.contains("  HitSound: Whistle, Clap\n  KeySounds:\n  - Sample: 1\n    Volume: 60\n  - Sample: 2\n  EditorLayer: 1\n"));
    assert!(
        written.contains("- StartTime: 2000\n  Bpm: 180.5\n  Signature: Triple\n  Hidden: true\n")
    );
}

#[test]
fn yaml_1_1_booleans() {
    let (chart, _) = decode(&fixture("yes-booleans.qua"));
    assert!(!chart.metadata.has_scratch);
    let extras: Vec<&str> = chart.extras.iter().map(|(k, _)| k.as_str()).collect();
    assert_eq!(
        extras,
        [
            "qua.LegacyLNRendering",
            "qua.BPMDoesNotAffectScrollVelocity",
            "qua.InitialScrollVelocity",
            "qua.CustomAudioSamples",
            "qua.TimingPoints"
        ]
    );
    // `off` is the default and carries nothing.
    assert!(!chart.extras[3].1.contains("off"));
    for (yes, value) in [("yes", true), ("No", false), ("ON", true), ("false", false)] {
        let chart = decode_str(&map(
            "Keys4",
            &format!("HasScratchKey: {yes}\nHitObjects: []\n"),
        ))
        .unwrap();
        assert_eq!(chart.metadata.has_scratch, value, "{yes}");
    }
    let (line, message) = parse_error(decode_str(&map("Keys4", "HasScratchKey: maybe\n")));
    assert_eq!(line, 4);
    assert!(message.contains("true or false"), "{message}");
}

#[test]
fn scroll_groups_and_timing_groups() {
    let (chart, _) = decode(&fixture("scroll-groups.qua"));
    let extra = |k: &str| chart.extra(k).unwrap();
    assert_eq!(
        extra("qua.TimingGroups"),
        "$Global: !ScrollGroup\n  InitialScrollVelocity: 1\n  ScrollVelocities: []\nred: !ScrollGroup\n  InitialScrollVelocity: 2\n  ScrollVelocities:\n  - StartTime: 150\n    Multiplier: 0.5\n  ColorRgb: 255,0,0"
    );
    assert_eq!(
        extra("qua.ScrollSpeedFactors"),
        "- StartTime: 100\n  Multiplier: 1.5"
    );
    // The default group id is the default: only the other note fields are kept.
    assert_eq!(
        extra("qua.HitObjects"),
        "- StartTime: 100\n  Lane: 1\n  TimingGroup: red\n- StartTime: 300\n  Lane: 3\n  EditorLayer: 2"
    );
    let (written, _) = encode(&chart);
    assert!(written.contains("  Lane: 1\n  TimingGroup: red\n"));
    assert!(written.ends_with("TimingGroups:\n  $Global: !ScrollGroup\n    InitialScrollVelocity: 1\n    ScrollVelocities: []\n  red: !ScrollGroup\n    InitialScrollVelocity: 2\n    ScrollVelocities:\n    - StartTime: 150\n      Multiplier: 0.5\n    ColorRgb: 255,0,0\n"));
}

/// A scroll group Quaver could not load (found by the decode_qua fuzz target: its velocity
/// is not a number) is refused when the map is read, as Quaver refuses it, not kept to fail
/// later in the timeline.
#[test]
fn a_scroll_group_quaver_cannot_read_is_refused() {
    let text = String::from_utf8(fixture("scroll-groups.qua")).unwrap();
    let broken = text.replace(
        "InitialScrollVelocity: 2\n",
        "InitialScrollVelocity: 2___\n",
    );
    assert_ne!(broken, text, "the fixture has the velocity to break");
    let (_, message) = parse_error(decode_str(&broken));
    assert!(message.contains("'2___' is not a number"), "{message}");
}

/// Writing a chart with scroll groups to a format that scrolls every note alike lists each
/// group's notes and `$Global`'s SVs; `.qua` and `.rox` keep them.
#[test]
fn scroll_groups_lost_in_conversion_are_reported() {
    let bytes = fixture("timeline-groups.qua");
    let dropped = |to: rox::Format| -> Vec<String> {
        let (_, report) = rox::formats::convert(&bytes, rox::Format::Qua, to).unwrap();
        (report.entries.iter())
            .filter(|l| l.kind == LossKind::ScrollGroupDropped)
            .map(|l| l.to_string())
            .collect()
    };
    let expected = [
        "#3 at 300000 µs: 2 note(s) of Quaver scroll group '$Global' scroll with the default group: .osu scrolls every note alike",
        "#0 at -200000 µs: 7 note(s) of Quaver scroll group 'slow' scroll with the default group: .osu scrolls every note alike",
        "2 scroll velocities of Quaver's $Global group not written: .osu has no scroll applied to every group",
    ];
    assert_eq!(dropped(rox::Format::Osu), expected);
    assert_eq!(dropped(rox::Format::Ssc).len(), 3);
    assert!(dropped(rox::Format::Qua).is_empty());
    assert!(dropped(rox::Format::Rox).is_empty());
    assert_eq!(LossKind::ScrollGroupDropped.name(), "scroll_group_dropped");
}

#[test]
fn negative_scroll_velocity_times() {
    let (chart, _) = decode(&fixture("negative-sv.qua"));
    assert_eq!(
        chart.timing,
        [
            TimingPoint::scroll(-10_500, 10.0),
            TimingPoint::scroll(-250, -2.5),
            TimingPoint::bpm(0, 60.0, 4),
        ]
    );
    let (written, _) = encode(&chart);
    assert!(written.contains(
        "- StartTime: -10.5\n  Multiplier: 10\n- StartTime: -0.25\n  Multiplier: -2.5\n"
    ));
}

#[test]
fn every_mode_from_1k_to_10k() {
    for keys in 1..=10u8 {
        let mut chart = Chart::new(keys);
        chart.timing.push(TimingPoint::bpm(0, 120.0, 4));
        chart.notes = (0..keys)
            .map(|c| Note::tap(i64::from(c) * 1000, c))
            .collect();
        chart.source_format = Some(Format::Qua);
        let (written, report) = encode(&chart);
        assert!(report.is_empty());
        assert!(
            written.contains(&format!("\nMode: Keys{keys}\n")),
            "{keys}K"
        );
        assert!(written.contains(&format!("  Lane: {keys}\n")));
        let (back, _) = decode(written.as_bytes());
        assert_eq!(back, chart, "{keys}K");
    }
    // Numbers name modes by Quaver's enum values, not key counts.
    for (value, keys) in [
        (1, 4),
        (2, 7),
        (3, 1),
        (4, 2),
        (5, 3),
        (6, 5),
        (7, 6),
        (8, 8),
        (9, 9),
        (10, 10),
    ] {
        let chart = decode_str(&map(&value.to_string(), "HitObjects: []\n")).unwrap();
        assert_eq!(chart.key_count, keys, "Mode: {value}");
    }
    for bad in ["Keys11", "Keys0", "11", "Piano"] {
        let (line, message) = parse_error(decode_str(&map(bad, "")));
        assert_eq!(line, 1);
        assert!(message.contains("Keys1 to Keys10"), "{message}");
    }
    let (_, message) = parse_error(decode_str("TimingPoints: []\nHitObjects: []\n"));
    assert!(message.contains("no Mode"), "{message}");
}

#[test]
fn scratch_key_is_the_last_lane_in_quaver_and_column_0_in_rox() {
    let (chart, _) = decode(&fixture("scratch-7k1.qua"));
    assert_eq!((chart.key_count, chart.metadata.has_scratch), (8, true));
    assert_eq!(
        chart.notes,
        [
            Note::tap(100_000, 0),
            Note::tap(100_000, 1),
            Note::hold(200_000, 200_000, 7)
        ]
    );
    let (written, _) = encode(&chart);
    assert!(written.contains("Mode: Keys7\n") && written.contains("HasScratchKey: true\n"));
    assert!(written.contains("- StartTime: 100\n  Lane: 8\n- StartTime: 100\n  Lane: 1\n"));
    // 8K without a scratch lane is Keys8.
    let mut eight = chart.clone();
    eight.metadata.has_scratch = false;
    assert!(encode(&eight).0.contains("Mode: Keys8\n"));
    // A lane beyond the mode (8 without the scratch key) is an error naming its line.
    let text = String::from_utf8(fixture("scratch-7k1.qua"))
        .unwrap()
        .replace("HasScratchKey: true", "HasScratchKey: false");
    let (line, message) = parse_error(decode_str(&text));
    assert_eq!(line, 6);
    assert!(
        message.contains("lane 8") && message.contains("7 lanes"),
        "{message}"
    );
}

/// Quaver adds its scratch lane after the mode's lanes, also to a single one: `Keys1` with
/// `HasScratchKey` is two lanes, lane 2 the scratch (column 0). A 1-key chart marked as
/// scratch cannot be written as one: its only lane is written as a plain 1K lane.
#[test]
fn one_key_scratch_flag_both_ways() {
    let file = map(
        "Keys1",
        "HasScratchKey: true\nHitObjects:\n- StartTime: 100\n  Lane: 2\n- StartTime: 100\n  Lane: 1\n- StartTime: 200\n  Lane: 2\n",
    );
    let (chart, report) = decode(file.as_bytes());
    assert!(report.is_empty(), "{:?}", report.entries);
    assert_eq!((chart.key_count, chart.metadata.has_scratch), (2, true));
    assert_eq!(
        chart.notes,
        [
            Note::tap(100_000, 0),
            Note::tap(100_000, 1),
            Note::tap(200_000, 0)
        ]
    );
    let (written, report) = encode(&chart);
    assert!(report.is_empty(), "{:?}", report.entries);
    assert!(written.contains("Mode: Keys1\n") && written.contains("HasScratchKey: true\n"));
    assert!(written.contains(
        "- StartTime: 100\n  Lane: 2\n- StartTime: 100\n  Lane: 1\n- StartTime: 200\n  Lane: 2\n"
    ));
    // Without the flag, Keys1 has one lane.
    let (line, message) = parse_error(decode_str(
        &file.replace("HasScratchKey: true", "HasScratchKey: no"),
    ));
    // The error names the hit object's line.
    assert_eq!(line, 6);
    assert!(
        message.contains("lane 2") && message.contains("1 lanes"),
        "{message}"
    );

    // A 1-key chart marked as scratch: written as plain Keys1, the flag reported as lost.
    let mut one = Chart::new(1);
    one.metadata.has_scratch = true;
    one.notes.push(Note::tap(100_000, 0));
    let (written, report) = encode(&one);
    assert!(written.contains("Mode: Keys1\n") && !written.contains("HasScratchKey"));
    assert!(written.contains("- StartTime: 100\n  Lane: 1\n"));
    assert_eq!(kinds(&report), [LossKind::MetadataDropped]);
    assert!(
        report.entries[0].message.contains("scratch lane"),
        "{:?}",
        report.entries
    );
    let (read, _) = decode(written.as_bytes());
    assert_eq!((read.key_count, read.metadata.has_scratch), (1, false));
    assert_eq!(read.notes, one.notes);

    // An odd total, 2 keys and a scratch lane: Keys2 with the flag, the scratch in lane 3.
    let mut three = Chart::new(3);
    three.source_format = Some(Format::Qua);
    three.metadata.has_scratch = true;
    three.notes.push(Note::tap(100_000, 0));
    let (written, _) = encode(&three);
    assert!(written.contains("Mode: Keys2\n") && written.contains("HasScratchKey: true\n"));
    assert!(written.contains("- StartTime: 100\n  Lane: 3\n"));
    assert_eq!(decode(written.as_bytes()).0, three);
}

#[test]
fn key_counts_quaver_cannot_hold_are_refused() {
    for (keys, scratch) in [(11, false), (12, true), (18, false), (18, true)] {
        let mut chart = Chart::new(keys);
        chart.metadata.has_scratch = scratch;
        match quaver::encode(&chart, &mut ConversionReport::default()) {
            Err(Error::InvalidArgument(message)) => {
                assert!(
                    message.contains("Quaver supports 1 to 10 keys"),
                    "{message}"
                )
            }
            other => panic!("{keys}K: {other:?}"),
        }
    }
    // A note outside the columns (a chart that skipped validation) is refused, not written.
    let mut chart = Chart::new(4);
    chart.notes.push(Note::tap(0, 255));
    assert!(matches!(
        quaver::encode(&chart, &mut ConversionReport::default()),
        Err(Error::InvalidArgument(_))
    ));
    let mut chart = Chart::new(11);
    chart.metadata.has_scratch = true;
    let (written, _) = encode(&chart);
    assert!(written.contains("Mode: Keys10\n") && written.contains("HasScratchKey: true\n"));
}

#[test]
fn keysounds_and_sound_effects() {
    let (chart, report) = decode(&fixture("keysounds.qua"));
    assert!(report.is_empty());
    assert_eq!(chart.keysounds, ["one.wav", "two.ogg", "three.mp3"]);
    let sounds: Vec<_> = chart
        .notes
        .iter()
        .map(|n| (n.keysound, n.sound.volume))
        .collect();
    assert_eq!(sounds, [(Some(1), 80), (Some(0), 0), (Some(2), 100)]);
    let extra = |k: &str| chart.extra(k).unwrap();
    assert_eq!(
        extra("qua.HitObjects"),
        "- StartTime: 100\n  Lane: 1\n  KeySounds:\n  - Sample: 3\n    Volume: 10\n  - Sample: 1"
    );
    assert_eq!(
        extra("qua.SoundEffects"),
        "- StartTime: 50.5\n  Sample: 3\n- StartTime: 80\n  Sample: 1\n  Volume: 25"
    );
    // A sample that does not exist is an error; a volume above 100 is reported.
    let (_, message) = parse_error(decode_str(&map(
        "Keys4",
        "HitObjects:\n- StartTime: 1\n  Lane: 1\n  KeySounds:\n  - Sample: 1\n",
    )));
    assert!(message.contains("CustomAudioSamples has 0"), "{message}");
    let mut report = ConversionReport::default();
    let loud = map(
        "Keys4",
        "CustomAudioSamples:\n- Path: a.wav\nHitObjects:\n- StartTime: 1\n  Lane: 1\n  KeySounds:\n  - Sample: 1\n    Volume: 150\n",
    );
    let chart = quaver::decode(loud.as_bytes(), &mut report).unwrap();
    assert_eq!(chart.notes[0].sound.volume, 100);
    assert_eq!(kinds(&report), [LossKind::SoundDropped]);
    assert_eq!(report.entries[0].time_us, Some(1000));
}

#[test]
fn fractional_times() {
    let (chart, _) = decode(&fixture("fractional.qua"));
    let times: Vec<i64> = chart.timing.iter().map(|t| t.time_us).collect();
    // 5637.98193359375 ms and 33520.015625 ms round to the nearest µs; 1.0005 ms rounds up.
    assert_eq!(times, [500, 1001, 5_637_982, 33_520_016]);
    let notes: Vec<i64> = chart.notes.iter().map(|n| n.time_us).collect();
    assert_eq!(notes, [-3000, 1000, 2500]);
    let (written, report) = encode(&chart);
    assert!(written.contains("- StartTime: 0.5\n  Bpm: 173.91304347826087\n"));
    assert!(written.contains("- StartTime: 5637.982\n"));
    assert!(written.contains("  Multiplier: 0.3585267663002014\n"));
    // Quaver's hit object times are integers: 2.5 ms is written as 3 ms and reported.
    assert!(written.contains("- StartTime: 3\n  Lane: 2\n"));
    assert_eq!(kinds(&report), [LossKind::NoteSnapped]);
    let loss = &report.entries[0];
    assert_eq!(
        (loss.index, loss.time_us, loss.shift_us),
        (Some(2), Some(2500), 500)
    );
}

#[test]
fn crlf_and_byte_order_marks() {
    let bytes = fixture("crlf-bom.qua");
    assert!(bytes.starts_with(b"\xEF\xBB\xBF") && bytes.windows(2).any(|w| w == b"\r\n"));
    let (chart, _) = decode(&bytes);
    assert_eq!(chart.metadata.title, "CRLF and BOM");
    assert_eq!(
        chart.notes,
        [Note::tap(100_000, 4), Note::hold(200_000, 100_000, 0)]
    );
    // The same as LF, with two marks (as in a corpus map), and with lone CRs.
    let text = String::from_utf8(bytes[3..].to_vec()).unwrap();
    for variant in [
        text.replace("\r\n", "\n"),
        format!("\u{feff}\u{feff}{text}"),
        text.replace("\r\n", "\r"),
    ] {
        assert_eq!(decode(variant.as_bytes()).0, chart);
    }
}

#[test]
fn document_markers_nulls_and_yaml_forms() {
    let (chart, _) = decode(&fixture("document-nulls.qua"));
    let m = &chart.metadata;
    assert_eq!(
        (m.title.as_str(), m.artist.as_str(), m.creator.as_str()),
        ("", "", "")
    );
    assert_eq!(m.difficulty_name, "it's 'quoted'");
    assert_eq!(m.source, "tab\tand A and 🎵");
    assert_eq!(m.tags, "tags");
    assert_eq!(m.description, "line one\n  indented\nline three\n");
    assert_eq!(m.genre, "folded text");
    assert_eq!(m.audio_file, "multi line quoted");
    // `Mode: 4` is Quaver's enum value for 2 keys.
    assert_eq!(chart.key_count, 2);
    assert_eq!(
        chart.timing,
        [
            TimingPoint::bpm(0, 100.0, 4),
            TimingPoint::bpm(100_000, 100.5, 4)
        ]
    );
    assert_eq!(chart.notes[1].sound.flags, 4);
    let extra = |k: &str| chart.extra(k).unwrap();
    assert_eq!(extra("qua.EditorLayers"), "- Name: flow\n  Hidden: no");
    assert_eq!(extra("qua.Bookmarks"), "- StartTime: 5\n  Note: flow map");
    // The written file reads back the same, strings quoted where they need it.
    let (written, _) = encode(&chart);
    assert!(written.contains("Description: \"line one\\n  indented\\nline three\\n\"\n"));
    assert!(written.contains("Title: ''\n"));
}

#[test]
fn hit_sound_names_and_numbers() {
    let (chart, _) = decode(&fixture("hit-sounds.qua"));
    let flags: Vec<u8> = chart.notes.iter().map(|n| n.sound.flags).collect();
    assert_eq!(flags, [1, 1, 6, 6, 8, 0, 0, 0]);
    assert_eq!(chart.notes[6].kind, NoteKind::Mine);
    assert_eq!(chart.notes[7].kind, NoteKind::Tap);
    let (written, _) = encode(&chart);
    assert!(written.contains("  Lane: 3\n  HitSound: Whistle, Finish\n"));
    assert!(written.contains("  Lane: 1\n  HitSound: Normal\n"));
    let (_, message) = parse_error(decode_str(&map(
        "Keys4",
        "HitObjects:\n- Lane: 1\n  HitSound: Bell\n",
    )));
    assert!(message.contains("hit sound names"), "{message}");
}

#[test]
fn holds_ending_before_they_start() {
    let text = map("Keys4", "HitObjects:\n- StartTime: 500\n  Lane: 1\n  EndTime: 400\n- StartTime: 600\n  Lane: 2\n  EndTime: 600\n- StartTime: 700\n  Lane: 3\n  EndTime: 0\n");
    let mut report = ConversionReport::default();
    let chart = quaver::decode(text.as_bytes(), &mut report).unwrap();
    assert!(chart.notes.iter().all(|n| n.kind == NoteKind::Tap));
    assert_eq!(
        kinds(&report),
        [LossKind::NoteChanged, LossKind::NoteChanged]
    );
    assert_eq!(
        (report.entries[0].index, report.entries[0].time_us),
        (Some(0), Some(500_000))
    );
}

#[test]
fn errors_name_the_line() {
    let cases = [
        ("Mode: Keys4\nTitle: [a\n", 2, "not closed"),
        ("Mode: Keys4\nTitle: 'open\n", 2, "not closed"),
        ("Mode: Keys4\nTitle: \"bad \\q\"\n", 2, "unknown escape"),
        ("Mode: Keys4\n\tTitle: x\n", 2, "tab"),
        ("Mode: Keys4\nTitle: &a x\n", 2, "anchors"),
        ("Mode: Keys4\nTitle: a: b\n", 2, "quotes"),
        ("Mode: Keys4\nMode: Keys7\n", 2, "twice"),
        ("Mode: Keys4\n  Title: x\n", 2, "quotes"),
        (
            "Mode: Keys4\nTitle: x\n  - y\nArtist: z\n    Genre: g\n",
            5,
            "quotes",
        ),
        (
            "Mode: Keys4\nHitObjects:\n- Lane: 1\n   StartTime: 1\n",
            4,
            "quotes",
        ),
        ("Mode: Keys4\nX: []\n  Title: x\n", 3, "indented"),
        ("Mode: Keys4\nnot a key\n", 2, "expected 'key: value'"),
        ("Mode: Keys4\nHitObjects:\n- StartTime: 1\n", 3, "no Lane"),
        ("Mode: Keys4\nHitObjects:\n- Lane: 0\n", 3, "Lane"),
        (
            "Mode: Keys4\nHitObjects:\n- Lane: 1\n  StartTime: x\n",
            4,
            "time",
        ),
        ("Mode: Keys4\nTimingPoints:\n- Bpm: .nan\n", 3, "finite"),
        ("Mode: Keys4\nTimingPoints:\n- Bpm: 1e999\n", 3, "finite"),
        (
            "Mode: Keys4\nTimingPoints:\n- StartTime: 1e300\n",
            3,
            "2^52",
        ),
        (
            "Mode: Keys4\nTimingPoints:\n- Signature: -3\n",
            3,
            "Signature",
        ),
        ("Mode: Keys4\nTimingPoints: 5\n", 2, "list"),
        ("Mode: Keys4\nHitObjects:\n- 5\n", 3, "Key: value"),
        ("Mode: Keys4\nTitle:\n- a\n", 2, "single value"),
        ("Mode: Keys4\nMapId: 99999999999\n", 2, "MapId"),
        ("Mode: Keys4\nTitle: x\x01\n", 2, "control character"),
        ("- a\n- b\n", 1, "Key: value"),
        ("", 1, "empty"),
    ];
    for (text, line, needle) in cases {
        let (got_line, message) = parse_error(decode_str(text));
        assert!(message.contains(needle), "{text:?}: {message}");
        assert_eq!(got_line, line, "{text:?}: {message}");
    }
    match quaver::decode(
        b"Mode: Keys4\nTitle: \xFF\n",
        &mut ConversionReport::default(),
    ) {
        Err(Error::Encoding {
            encoding: "UTF-8",
            detail,
        }) => assert!(detail.contains("line 2")),
        other => panic!("{other:?}"),
    }
}

#[test]
fn hostile_input_is_bounded() {
    // Deep nesting, in flow and block style, stops at a fixed depth.
    for text in [
        format!("Mode: Keys4\nX: {}", "[".repeat(100_000)),
        format!("Mode: Keys4\nX: {}", "{a: ".repeat(10_000)),
        "Mode: Keys4\nX:\n".to_owned()
            + &(0..200)
                .map(|i| format!("{}- \n", " ".repeat(i)))
                .collect::<String>(),
        (0..200)
            .map(|i| format!("{}k{i}:\n", " ".repeat(i)))
            .collect(),
    ] {
        let (_, message) = parse_error(decode_str(&text));
        assert!(message.contains("nested more than"), "{message}");
    }
    // Huge numbers are errors, not overflows, in the common layout too.
    let text = map(
        "Keys4",
        "HitObjects:\n- StartTime: 999999999999999999\n  Lane: 1\n",
    );
    let (_, message) = parse_error(decode_str(&text));
    assert!(message.contains("2^52"), "{message}");
    for value in ["99999999999999999999999", "-9223372036854775808", "1e400"] {
        let text = map(
            "Keys4",
            &format!("HitObjects:\n- Lane: 1\n  StartTime: {value}\n"),
        );
        assert!(decode_str(&text).is_err(), "{value}");
    }
    // A long line of nothing but spaces, and a huge plain scalar, are read in linear time.
    let text = format!(
        "Mode: Keys4\nTitle: {}\n{}\n",
        "x ".repeat(500_000),
        " ".repeat(500_000)
    );
    assert_eq!(decode_str(&text).unwrap().metadata.title.len(), 999_999);
}

#[test]
fn mutated_files_never_panic() {
    let original = fixture("full.qua");
    let mut decoded = 0;
    let mut check = |bytes: &[u8]| {
        if let Ok(chart) = quaver::decode(bytes, &mut ConversionReport::default()) {
            decoded += 1;
            // Whatever decodes and is valid must survive a round trip unchanged.
            if chart.validate().iter().all(|i| !i.kind.is_fatal()) {
                let mut report = ConversionReport::default();
                if let Ok(written) = quaver::encode(&chart, &mut report) {
                    if report.is_empty() {
                        let again = quaver::decode(&written, &mut ConversionReport::default());
                        assert_eq!(
                            again.ok().as_ref(),
                            Some(&chart),
                            "{}",
                            String::from_utf8_lossy(bytes)
                        );
                    }
                }
            }
        }
        quaver::is_qua(bytes);
    };
    common::for_each_mutant(&original, b"09-: \n\r\t#'\"[]{},!|>&\\\x00\xff", &mut check);
    assert!(decoded > 1000, "only {decoded} mutants decoded");
}

// ---------------------------------------------------------------------------------------------
// 4. Sniffing

#[test]
fn sniffing_recognises_every_qua_and_nothing_else() {
    for path in fixtures()
        .iter()
        .chain(corpus_files().unwrap_or_default().iter())
    {
        assert!(
            quaver::is_qua(&std::fs::read(path).unwrap()),
            "{}",
            name(path)
        );
    }
    if let Some(root) = common::corpus() {
        for dir in ["osu", "stepmania"] {
            for entry in std::fs::read_dir(root.join(dir)).unwrap() {
                let path = entry.unwrap().path();
                assert!(
                    !quaver::is_qua(&std::fs::read(&path).unwrap()),
                    "{}",
                    name(&path)
                );
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// 5. Encoding charts from other formats

#[test]
fn encoding_what_quaver_lacks() {
    let mut chart = Chart::new(4);
    chart.metadata = Metadata {
        title: "T".into(),
        title_unicode: "タイトル".into(),
        artist: "A".into(),
        artist_unicode: "A".into(),
        subtitle: "sub".into(),
        difficulty_level: Some(12.0),
        hp_drain: Some(8.0),
        overall_difficulty: Some(8.0),
        style: "dance-single".into(),
        preview_time_us: Some(1_500),
        ..Metadata::default()
    };
    chart.timing = vec![
        TimingPoint::bpm(0, 120.0, 4),
        TimingPoint::new(1_000_000, TimingKind::Stop { duration_us: 5 }),
        TimingPoint::new(2_000_000, TimingKind::Delay { duration_us: 5 }),
        TimingPoint::new(3_000_000, TimingKind::Warp { beats: 1.0 }),
        TimingPoint {
            sample_set: 2,
            effects: rox::model::TimingEffect::Kiai as u8,
            ..TimingPoint::scroll(4_000_000, 1.5)
        },
    ];
    let banked = Note {
        sound: HitSound {
            flags: 2,
            normal_set: 2,
            addition_set: 3,
            custom_index: 4,
            volume: 30,
        },
        ..Note::tap(0, 0)
    };
    chart.notes = vec![
        banked,
        banked,
        Note {
            kind: NoteKind::Roll,
            ..Note::hold(1000, 1000, 1)
        },
        Note {
            kind: NoteKind::Lift,
            ..Note::tap(2000, 2)
        },
        Note {
            kind: NoteKind::Fake,
            ..Note::tap(3000, 3)
        },
    ];
    chart.extras = vec![
        ("osu.Colours".into(), "x".into()),
        ("qua.Title".into(), "dup".into()),
        ("qua.Broken".into(), "[unclosed".into()),
        ("qua.Custom".into(), "kept: yes".into()),
    ];
    let (written, report) = encode(&chart);
    let count = |kind| report.entries.iter().filter(|e| e.kind == kind).count();
    assert_eq!(count(LossKind::TimingDropped), 3);
    let warp = report
        .entries
        .iter()
        .find(|e| e.message.starts_with("warp"))
        .unwrap();
    assert_eq!((warp.index, warp.time_us), (Some(3), Some(3_000_000)));
    assert_eq!(count(LossKind::NoteChanged), 2);
    assert_eq!(count(LossKind::NoteDropped), 1);
    assert_eq!(
        count(LossKind::SoundDropped),
        1,
        "one summary for all notes"
    );
    // title_unicode, subtitle, level, hp, od, style, preview rounding, kiai, 3 extras.
    assert_eq!(
        count(LossKind::MetadataDropped),
        11,
        "{:#?}",
        report.entries
    );
    // Rolls are holds, lifts notes; the fake and non-qua extras are gone; qua.Custom is kept.
    assert!(written.ends_with("HitObjects:\n- StartTime: 0\n  Lane: 1\n  HitSound: Whistle\n- StartTime: 0\n  Lane: 1\n  HitSound: Whistle\n- StartTime: 1\n  Lane: 2\n  EndTime: 2\n- StartTime: 2\n  Lane: 3\nCustom:\n  kept: yes\n"), "{written}");
    assert!(written.contains("SongPreviewTime: 2\n"));
    // Silence means nothing was lost.
    let (plain, report) = encode(&decode(&fixture("full.qua")).0);
    assert!(report.is_empty());
    assert!(plain.contains("Mode: Keys7"));
}

/// A fuzz finding (`decode_json`): a `.rox.json` preview time of −2^53 µs was written as a
/// `SongPreviewTime` the reader refuses. It is left out and reported; the map reads back.
#[test]
fn a_preview_time_the_model_cannot_hold_is_left_out() {
    let mut chart = Chart::new(4);
    chart.timing = vec![TimingPoint::bpm(0, 120.0, 4)];
    chart.notes = vec![Note::tap(0, 0)];
    chart.metadata.preview_time_us = Some(-(1 << 53));
    let (text, report) = encode(&chart);
    assert!(!text.contains("SongPreviewTime"), "{text}");
    assert_eq!(kinds(&report), [LossKind::MetadataDropped]);
    let (back, _) = decode(text.as_bytes());
    assert_eq!(
        (back.notes, back.metadata.preview_time_us),
        (chart.notes, None)
    );
}

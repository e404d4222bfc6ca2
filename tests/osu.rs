//! The osu!mania codec: hand-written fixtures (always run) and the real-chart corpus, checked
//! against rosu-map (a port of osu! lazer's decoder) when the corpus is present.

mod common;

use std::path::{Path, PathBuf};

use rosu_map::section::general::GameMode;
use rosu_map::section::hit_objects::hit_samples::{HitSampleInfoName, HitSoundType};
use rosu_map::section::hit_objects::HitObjectKind;
use rox::formats::osu;
use rox::{
    Chart, ConversionReport, Error, Format, HitSound, Metadata, Note, NoteKind, TimingKind,
    TimingPoint,
};

// ---------------------------------------------------------------------------------------------
// Helpers

fn fixture(name: &str) -> Vec<u8> {
    common::fixture(&format!("osu/{name}"))
}

fn fixture_text(name: &str) -> String {
    String::from_utf8(fixture(name)).unwrap()
}

/// The `.osu` files of the corpus, or `None` when it is absent.
fn corpus() -> Option<Vec<PathBuf>> {
    let dir = common::corpus()?.join("osu");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "osu"))
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no .osu files in {}", dir.display());
    Some(files)
}

fn read(path: &Path) -> Vec<u8> {
    std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn name(path: &Path) -> String {
    path.file_name().unwrap().to_string_lossy().into_owned()
}

/// The mania files of the corpus (as rosu-map sees them) with their bytes.
fn corpus_mania() -> Option<Vec<(String, Vec<u8>)>> {
    let files = corpus()?;
    let mania: Vec<_> = files
        .iter()
        .map(|p| (name(p), read(p)))
        .filter(|(_, bytes)| {
            rosu_map::from_bytes::<rosu_map::Beatmap>(bytes)
                .unwrap()
                .mode
                == GameMode::Mania
        })
        .collect();
    assert!(
        mania.len() >= 5,
        "expected the corpus's mania charts, found {}",
        mania.len()
    );
    Some(mania)
}

fn decode(bytes: &[u8]) -> Chart {
    osu::decode(bytes).unwrap_or_else(|e| panic!("decode failed: {e}"))
}

fn decode_str(text: &str) -> rox::Result<Chart> {
    osu::decode(text.as_bytes())
}

fn encode(chart: &Chart) -> Vec<u8> {
    osu::encode(chart, &mut ConversionReport::default())
        .unwrap_or_else(|e| panic!("encode failed: {e}"))
}

/// The column osu! gives x for `keys` columns, computed independently of the codec.
fn column(x: i64, keys: i64) -> u8 {
    (x * keys / 512).clamp(0, keys - 1) as u8
}

/// µs from a time in ms as osu! files and rosu-map give it.
fn us(ms: f64) -> i64 {
    (ms * 1000.0).round() as i64
}

fn parse_error_line(result: rox::Result<Chart>) -> (usize, String) {
    match result {
        Err(Error::Parse {
            format: "osu",
            line,
            message,
        }) => (line, message),
        other => panic!("expected an osu parse error, got {other:?}"),
    }
}

fn tap(time_us: i64, column: u8) -> Note {
    Note::tap(time_us, column)
}

// ---------------------------------------------------------------------------------------------
// 1. Oracle: rosu-map on every corpus file

/// The scroll speed at `time_us` by osu!'s rules: the points at the latest time not after it
/// decide; a green line there sets it, a red line alone resets it to 1.
fn scroll_speed_at(timing: &[TimingPoint], time_us: i64) -> f64 {
    let Some(last) = timing.iter().rposition(|t| t.time_us <= time_us) else {
        return 1.0;
    };
    let at = timing[last].time_us;
    timing
        .iter()
        .rev()
        .filter(|t| t.time_us == at)
        .find_map(|t| match t.kind {
            TimingKind::Scroll { multiplier } => Some(multiplier),
            _ => None,
        })
        .unwrap_or(1.0)
}

#[test]
fn corpus_agrees_with_rosu_map() {
    let Some(files) = corpus() else { return };
    let mut mania = 0;
    for path in &files {
        let file = name(path);
        let bytes = read(path);
        let mut oracle: rosu_map::Beatmap = rosu_map::from_bytes(&bytes).unwrap();
        let ours = osu::decode(&bytes);
        if oracle.mode == GameMode::Taiko {
            continue; // tests/taiko.rs
        }
        if oracle.mode != GameMode::Mania {
            assert!(
                matches!(ours, Err(Error::NotMania { .. })),
                "{file}: expected NotMania, got {ours:?}"
            );
            continue;
        }
        mania += 1;
        let chart = ours.unwrap_or_else(|e| panic!("{file}: {e}"));
        // rosu-map does not apply osu!'s +24 ms to v4 and older files; ROX does.
        let offset = if oracle.format_version <= 4 {
            24_000
        } else {
            0
        };
        let keys = i64::from(chart.key_count);
        assert_eq!(
            f64::from(oracle.circle_size).round_ties_even() as i64,
            keys,
            "{file}: key count"
        );

        // Hit objects: (start, column, end of a hold, addition flags, keysound file).
        type Object = (i64, u8, Option<i64>, u8, Option<String>);
        let mut expected: Vec<Object> = oracle
            .hit_objects
            .iter_mut()
            .map(|h| {
                let start = us(h.start_time) + offset;
                let end = us(h.end_time()) + offset;
                let x = match &h.kind {
                    HitObjectKind::Circle(c) => c.pos.x,
                    HitObjectKind::Hold(hold) => hold.pos_x,
                    other => panic!("{file}: unexpected {other:?} in a mania corpus file"),
                };
                let file = h.samples.iter().find_map(|s| match &s.name {
                    HitSampleInfoName::File(f) => Some(f.clone()),
                    HitSampleInfoName::Default(_) => None,
                });
                let additions = u8::from(HitSoundType::from(h.samples.as_slice()));
                (
                    start,
                    column(x as i64, keys),
                    (end > start).then_some(end),
                    additions,
                    file,
                )
            })
            .collect();
        let mut actual: Vec<Object> = chart
            .notes
            .iter()
            .map(|n| {
                let end = (n.kind == NoteKind::Hold).then(|| n.end_time_us());
                let file = n.keysound.map(|k| chart.keysounds[k as usize].clone());
                (n.time_us, n.column, end, n.sound.flags & 0b1110, file)
            })
            .collect();
        expected.sort_by_key(|o| (o.0, o.1));
        actual.sort_by_key(|o| (o.0, o.1));
        assert_eq!(
            actual.len(),
            expected.len(),
            "{file}: number of hit objects"
        );
        for (a, e) in actual.iter().zip(&expected) {
            assert_eq!(a, e, "{file}: hit object");
        }

        // Red lines: one per time (osu! keeps the first), beat length clamped to 6..60000 ms.
        let mut reds: Vec<(i64, f64, u32)> = Vec::new();
        for t in &chart.timing {
            if let TimingKind::Bpm { bpm, meter } = t.kind {
                if reds.last().map_or(true, |r| r.0 != t.time_us) {
                    reds.push((t.time_us, bpm, meter));
                }
            }
        }
        let oracle_reds = &oracle.control_points.timing_points;
        assert_eq!(reds.len(), oracle_reds.len(), "{file}: red lines");
        for ((time, bpm, meter), o) in reds.iter().zip(oracle_reds) {
            assert_eq!(*time, us(o.time) + offset, "{file}: red line time");
            let beat_length = 60_000.0 / bpm;
            if (6.0..=60_000.0).contains(&beat_length) {
                assert_eq!(60_000.0 / o.beat_len, *bpm, "{file}: BPM at {time} µs");
            } else {
                assert!(
                    (beat_length.clamp(6.0, 60_000.0) - o.beat_len).abs() < 1e-9,
                    "{file}: clamped beat length"
                );
            }
            assert_eq!(
                o.time_signature.numerator.get(),
                *meter,
                "{file}: meter at {time} µs"
            );
        }

        // Scroll speed (green lines) wherever either side changes it; rosu-map clamps it to
        // 0.01..10 and merges changes smaller than f64::EPSILON.
        let times = chart.timing.iter().map(|t| t.time_us).chain(
            oracle
                .control_points
                .effect_points
                .iter()
                .map(|e| us(e.time) + offset),
        );
        for time in times {
            let theirs = oracle
                .control_points
                .effect_point_at((time - offset) as f64 / 1000.0)
                .map_or(1.0, |e| e.scroll_speed);
            let ours = scroll_speed_at(&chart.timing, time).clamp(0.01, 10.0);
            assert!(
                (ours - theirs).abs() <= f64::EPSILON,
                "{file}: scroll speed at {time} µs: {ours} vs {theirs}"
            );
        }

        let m = &chart.metadata;
        // rosu-map 0.2.1 cuts a metadata value at a second ':' ("Sunrider: Mask of Arcadius"
        // becomes "Sunrider"); osu! keeps everything after the first one, as ROX does.
        let cut = |value: &str| value.split(':').next().unwrap().trim().to_owned();
        for (ours, theirs) in [
            (&m.title, &oracle.title),
            (&m.title_unicode, &oracle.title_unicode),
            (&m.artist, &oracle.artist),
            (&m.artist_unicode, &oracle.artist_unicode),
            (&m.creator, &oracle.creator),
            (&m.difficulty_name, &oracle.version),
            (&m.source, &oracle.source),
            (&m.tags, &oracle.tags),
        ] {
            assert_eq!(&cut(ours), theirs, "{file}");
        }
        assert_eq!(m.audio_file, oracle.audio_file, "{file}");
        assert_eq!(m.background_file, oracle.background_file, "{file}");
        assert_eq!(
            m.chart_id,
            Some(i64::from(oracle.beatmap_id)).filter(|&id| id > 0),
            "{file}"
        );
        assert_eq!(
            m.set_id,
            Some(i64::from(oracle.beatmap_set_id)).filter(|&id| id > 0),
            "{file}"
        );
        let preview =
            (oracle.preview_time != -1).then(|| i64::from(oracle.preview_time) * 1000 + offset);
        assert_eq!(m.preview_time_us, preview, "{file}");
        if let Some(hp) = m.hp_drain {
            assert_eq!(hp as f32, oracle.hp_drain_rate, "{file}");
        }
        if let Some(od) = m.overall_difficulty {
            assert_eq!(od as f32, oracle.overall_difficulty, "{file}");
        }
        assert_eq!(m.has_scratch, oracle.special_style, "{file}");
    }
    assert!(
        mania >= 5,
        "expected the corpus's mania charts, found {mania}"
    );
}

#[test]
fn corpus_other_modes_are_refused_by_name() {
    let Some(files) = corpus() else { return };
    // Taiko maps are read (tests/taiko.rs); osu!standard is refused.
    let file = "sample-beatmap-osu.osu";
    let path = files
        .iter()
        .find(|p| name(p) == file)
        .unwrap_or_else(|| panic!("{file} missing from the corpus"));
    match osu::decode(&read(path)) {
        Err(Error::NotMania {
            mode: 0,
            mode_name: "standard",
        }) => {}
        other => panic!("{file}: expected NotMania, got {other:?}"),
    }
}

// ---------------------------------------------------------------------------------------------
// 2. Round trip

/// A hit object line, parsed independently of the codec: (time, column, hold end, hitSound,
/// normal set, addition set, index, volume, file).
type ObjectLine = (i64, u8, Option<i64>, u8, u8, u8, u32, u8, String);
/// A timing line: (time, red, BPM or scroll speed, meter of red lines, sample set, index,
/// volume, effects).
type TimingLine = (i64, bool, f64, u32, u8, u32, u8, u8);

/// The `[HitObjects]` and `[TimingPoints]` lines of a v5+ mania file without sliders, read
/// with plain splitting. A sample set of 0 ("use [General] SampleSet") is resolved.
fn lines_of(text: &str, keys: i64) -> (Vec<ObjectLine>, Vec<TimingLine>) {
    let default_set = match text
        .lines()
        .find_map(|l| l.strip_prefix("SampleSet:"))
        .map(str::trim)
    {
        Some("Soft") => 2,
        Some("Drum") => 3,
        _ => 1,
    };
    let (mut objects, mut timing) = (Vec::new(), Vec::new());
    let mut section = "";
    for line in text
        .lines()
        .map(|l| l.split("//").next().unwrap().trim())
        .filter(|l| !l.is_empty())
    {
        if line.starts_with('[') {
            section = line;
            continue;
        }
        let f: Vec<&str> = line.split(',').map(str::trim).collect();
        match section {
            "[HitObjects]" => {
                let time = us(f[2].parse().unwrap());
                let hold = f[3].parse::<i64>().unwrap() & 128 != 0;
                let mut sample: Vec<&str> = f.get(5).map_or(vec![], |s| s.split(':').collect());
                let end = if hold {
                    Some(us(sample.remove(0).parse().unwrap())).filter(|&e| e > time)
                } else {
                    None
                };
                let item = |i: usize| sample.get(i).map_or(0, |s| s.parse::<i64>().unwrap());
                objects.push((
                    time,
                    column(f[0].parse().unwrap(), keys),
                    end,
                    (f[4].parse::<i64>().unwrap() & 15) as u8,
                    item(0) as u8,
                    item(1) as u8,
                    item(2) as u32,
                    item(3).clamp(0, 100) as u8,
                    sample.get(4).unwrap_or(&"").to_string(),
                ));
            }
            "[TimingPoints]" => {
                let beat_length: f64 = f[1].parse().unwrap();
                let red = f.get(6).map_or(true, |s| s.starts_with('1'));
                let value = if red {
                    60_000.0 / beat_length
                } else if beat_length < 0.0 {
                    -100.0 / beat_length
                } else {
                    1.0
                };
                let set = f.get(3).map_or(0, |s| s.parse().unwrap());
                timing.push((
                    us(f[0].parse().unwrap()),
                    red,
                    value,
                    if red {
                        f.get(2).map_or(4, |s| s.parse().unwrap())
                    } else {
                        0
                    },
                    if set == 0 { default_set } else { set },
                    f.get(4).map_or(0, |s| s.parse().unwrap()),
                    f.get(5)
                        .map_or(100, |s| s.parse::<i64>().unwrap().clamp(0, 100) as u8),
                    f.get(7).map_or(0, |s| s.parse().unwrap()),
                ));
            }
            _ => {}
        }
    }
    objects.sort_by_key(|o| (o.0, o.1));
    timing.sort_by_key(|t| t.0);
    (objects, timing)
}

fn assert_round_trip(what: &str, original: &[u8]) {
    let chart = decode(original);
    let written = encode(&chart);
    let again = osu::decode(&written).unwrap_or_else(|e| panic!("{what}: re-decode failed: {e}"));
    assert_eq!(again, chart, "{what}: chart changed in a round trip");
    assert_eq!(encode(&again), written, "{what}: second encode differs");

    let keys = i64::from(chart.key_count);
    let (objects, timing) = lines_of(&String::from_utf8_lossy(original), keys);
    let (objects2, timing2) = lines_of(std::str::from_utf8(&written).unwrap(), keys);
    assert_eq!(objects2.len(), objects.len(), "{what}: hit object lines");
    for (a, b) in objects2.iter().zip(&objects) {
        assert_eq!(a, b, "{what}: hit object line");
    }
    assert_eq!(timing2, timing, "{what}: timing lines");
}

#[test]
fn corpus_round_trips() {
    let Some(files) = corpus_mania() else { return };
    for (file, bytes) in files {
        assert_round_trip(&file, &bytes);
    }
}

#[test]
fn corpus_lines_read_the_same_on_the_general_path() {
    // A space at the end of every line keeps the common hit object lines off their fast path.
    let Some(files) = corpus_mania() else { return };
    for (file, bytes) in files {
        let padded = String::from_utf8(bytes.clone())
            .unwrap()
            .replace('\n', " \n");
        assert_eq!(decode(padded.as_bytes()), decode(&bytes), "{file}");
    }
}

#[test]
fn fixture_round_trips() {
    for file in [
        "full.osu",
        "crlf_bom.osu",
        "missing_header.osu",
        "lazer_v128.osu",
    ] {
        let chart = decode(&fixture(file));
        assert_eq!(decode(&encode(&chart)), chart, "{file}");
    }
    assert_round_trip("full.osu", &fixture("full.osu"));
}

// ---------------------------------------------------------------------------------------------
// 3. Known values

#[test]
fn corpus_mania_7k_first_notes() {
    let Some(files) = corpus() else { return };
    let path = files
        .iter()
        .find(|p| name(p) == "mania_7k.osu")
        .expect("mania_7k.osu in the corpus");
    let chart = decode(&read(path));
    assert_eq!(chart.key_count, 7);
    // 402,192,1694 / 329,192,1694 / 109,192,1694 / 256,192,1855 / 475,192,1855 / 36,192,1855
    // 36,192,1855 (column 0) is listed after the other two notes at 1855 ms.
    let first: Vec<(i64, u8)> = chart.notes[..6]
        .iter()
        .map(|n| (n.time_us, n.column))
        .collect();
    assert_eq!(
        first,
        [
            (1_694_000, 1),
            (1_694_000, 4),
            (1_694_000, 5),
            (1_855_000, 0),
            (1_855_000, 3),
            (1_855_000, 6)
        ]
    );
    assert_eq!(
        chart.metadata.title_unicode,
        "宙の旋律 -the melody of the cosmos- feat.lily-an (OP Cut)"
    );
    assert_eq!(chart.metadata.preview_time_us, Some(64_113_000));
    assert_eq!(
        chart.timing[0],
        TimingPoint {
            volume: 50,
            sample_set: 1,
            sample_index: 1,
            ..TimingPoint::bpm(404_000, 60_000.0 / 322.58064516129, 4)
        }
    );
    assert_eq!(
        chart.timing[1].kind,
        TimingKind::Scroll {
            multiplier: 100.0 / 133.333333333333
        }
    );
}

#[test]
fn seven_key_x_values() {
    let objects: String = [0, 36, 109, 182, 256, 329, 402, 475, 511]
        .iter()
        .enumerate()
        .map(|(i, x)| format!("{x},192,{},1,0,0:0:0:0:\n", i * 100))
        .collect();
    let chart = decode_str(&format!(
        "[General]\nMode: 3\n[Difficulty]\nCircleSize:7\n[HitObjects]\n{objects}"
    ))
    .unwrap();
    let columns: Vec<u8> = chart.notes.iter().map(|n| n.column).collect();
    assert_eq!(columns, [0, 0, 1, 2, 3, 4, 5, 6, 6]);
}

/// 14K is the key count where osu!'s two column rules part: stable computes
/// `floor(x * keys / 512)` in integers (as ROX does), lazer divides by the float32 band width
/// `512f / 14`, which is slightly too wide, and puts x = 256 in column 6 instead of 7.
#[test]
fn fourteen_key_columns() {
    let bytes = fixture("fourteen_keys.osu");
    let chart = decode(&bytes);
    assert_eq!(chart.key_count, 14);
    let columns: Vec<(i64, u8)> = chart.notes.iter().map(|n| (n.time_us, n.column)).collect();
    // Each band's first and last x (and fractional x, which osu! truncates).
    let expected: [u8; 30] = [
        0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12,
        13, 13,
    ];
    let expected: Vec<(i64, u8)> = expected
        .iter()
        .enumerate()
        .map(|(i, &c)| (1_000_000 + i as i64 * 100_000, c))
        .collect();
    assert_eq!(columns, expected);

    // The oracle reads the same positions and times; both rules agree on every x but 256.
    let oracle: rosu_map::Beatmap = rosu_map::from_bytes(&bytes).unwrap();
    assert_eq!(oracle.mode, GameMode::Mania);
    assert_eq!(oracle.circle_size, 14.0);
    let lazer_width = 512f32 / 14.0;
    for (h, (time_us, column)) in oracle.hit_objects.iter().zip(&expected) {
        let HitObjectKind::Circle(circle) = &h.kind else {
            panic!("{:?}", h.kind);
        };
        let x = circle.pos.x.trunc();
        assert_eq!(us(h.start_time), *time_us);
        assert_eq!(self::column(x as i64, 14), *column, "x = {x}");
        let lazer = ((x / lazer_width).floor() as u8).min(13);
        assert_eq!(lazer == *column, x != 256.0, "x = {x}");
    }
    // Written back, each column is at the middle of its band and reads back the same.
    assert_eq!(decode(&encode(&chart)), chart);
}

#[test]
fn every_key_count_round_trips_its_columns() {
    for keys in 1..=18u8 {
        let mut chart = Chart::new(keys);
        chart.timing.push(TimingPoint::bpm(0, 120.0, 4));
        chart.notes = (0..keys).map(|c| tap(i64::from(c) * 1000, c)).collect();
        chart.source_format = Some(Format::Osu);
        let text = String::from_utf8(encode(&chart)).unwrap();
        let xs: Vec<i64> = text
            .split("[HitObjects]\n")
            .nth(1)
            .unwrap()
            .lines()
            .map(|l| l.split(',').next().unwrap().parse().unwrap())
            .collect();
        // osu!'s encoder computes floor((column + 0.5) * 512 / keys) in float32.
        let lazer: Vec<i64> = (0..keys)
            .map(|c| ((f32::from(c) + 0.5) * 512.0 / f32::from(keys)).floor() as i64)
            .collect();
        assert_eq!(xs, lazer, "{keys}K x values");
        assert_eq!(decode(text.as_bytes()), chart, "{keys}K");
    }
}

// ---------------------------------------------------------------------------------------------
// 4. Fixtures

#[test]
fn full_fixture() {
    let chart = decode(&fixture("full.osu"));
    let kick = Some(0);
    let sound = |flags| HitSound {
        flags,
        ..HitSound::default()
    };
    let expected_notes = vec![
        tap(0, 0),
        Note {
            sound: HitSound {
                flags: 2,
                normal_set: 1,
                addition_set: 2,
                custom_index: 3,
                volume: 40,
            },
            keysound: kick,
            ..tap(0, 1)
        },
        tap(500_000, 2), // a hold ending where it starts is a note
        Note {
            sound: sound(8),
            ..Note::hold(500_000, 700_000, 3)
        },
        Note {
            sound: sound(4),
            keysound: Some(1),
            ..tap(750_250, 2)
        },
        Note {
            keysound: kick,
            ..tap(1_000_000, 0)
        }, // x 0
        Note {
            sound: HitSound {
                normal_set: 2,
                ..HitSound::default()
            },
            ..tap(1_250_000, 3)
        }, // x 511, ends before it starts
        Note {
            sound: sound(2),
            ..tap(1_500_000, 0)
        }, // spaces, no hitSample
    ];
    assert_eq!(chart.notes, expected_notes);
    assert_eq!(chart.keysounds, ["kick.wav", "snare.wav"]);
    assert_eq!(chart.key_count, 4);

    let point = |time_us, kind, sample_set, sample_index, volume, effects| TimingPoint {
        time_us,
        kind,
        sample_set,
        sample_index,
        volume,
        effects,
    };
    assert_eq!(
        chart.timing,
        [
            // Green before the first red; sample set 0 is [General] SampleSet (Soft).
            point(
                -500_000,
                TimingKind::Scroll { multiplier: 2.0 },
                2,
                0,
                60,
                0
            ),
            // Red and green at one time: both, in file order.
            point(
                0,
                TimingKind::Bpm {
                    bpm: 120.0,
                    meter: 4
                },
                2,
                1,
                80,
                0
            ),
            point(
                0,
                TimingKind::Scroll { multiplier: 0.5 },
                2,
                1,
                80,
                rox::model::TimingEffect::Kiai as u8
            ),
            point(
                1_000_500,
                TimingKind::Scroll { multiplier: 1.0 },
                1,
                0,
                70,
                0
            ),
            point(
                2_000_000,
                TimingKind::Bpm {
                    bpm: 160.0,
                    meter: 3
                },
                2,
                0,
                100,
                rox::model::TimingEffect::OmitFirstBarLine as u8
            ),
        ]
    );

    let expected = Metadata {
        title: "Test // Title".into(),
        title_unicode: "テスト // タイトル".into(),
        artist: "Someone".into(),
        artist_unicode: "誰か".into(),
        creator: "ROX".into(),
        difficulty_name: "4K Fixture".into(),
        tags: "fixture test".into(),
        audio_file: "audio.mp3".into(),
        background_file: "bg folder/bg.jpg".into(),
        preview_time_us: Some(1_500_000),
        chart_id: Some(123),
        set_id: None,
        hp_drain: Some(7.5),
        overall_difficulty: Some(8.2),
        ..Metadata::default()
    };
    assert_eq!(chart.metadata, expected);
    assert!(chart.validate().is_empty(), "{:?}", chart.validate());
}

#[test]
fn crlf_and_bom() {
    let bytes = fixture("crlf_bom.osu");
    assert!(
        bytes.starts_with(b"\xEF\xBB\xBF") && bytes.windows(2).any(|w| w == b"\r\n"),
        "fixture lost its BOM or CRLF"
    );
    let chart = decode(&bytes);
    assert_eq!(chart.metadata.title, "CRLF and BOM");
    assert_eq!(chart.metadata.audio_file, "song.ogg");
    assert_eq!(
        chart.notes,
        [
            tap(100_000, 0),
            Note::hold(400_000, 300_000, 6),
            tap(700_000, 3)
        ]
    );
    assert_eq!(
        chart.timing,
        [TimingPoint {
            sample_set: 1,
            ..TimingPoint::bpm(100_000, 200.0, 4)
        }]
    );

    // Built from the LF fixture: the same chart.
    let lf = fixture_text("full.osu");
    let crlf = format!("\u{FEFF}{}", lf.replace('\n', "\r\n"));
    assert_eq!(decode(crlf.as_bytes()), decode(lf.as_bytes()));
    let old_mac = lf.replace('\n', "\r");
    assert_eq!(decode(old_mac.as_bytes()), decode(lf.as_bytes()));
}

#[test]
fn utf16_with_byte_order_mark() {
    let text = fixture_text("full.osu");
    let expected = decode(text.as_bytes());
    let le: Vec<u8> = [0xFF, 0xFE]
        .into_iter()
        .chain(text.encode_utf16().flat_map(u16::to_le_bytes))
        .collect();
    let be: Vec<u8> = [0xFE, 0xFF]
        .into_iter()
        .chain(text.encode_utf16().flat_map(u16::to_be_bytes))
        .collect();
    assert_eq!(decode(&le), expected);
    assert_eq!(decode(&be), expected);
    assert!(osu::is_osu(&le) && osu::is_osu(&be));
    assert_eq!(rox::decode(&le, Format::Auto).unwrap(), expected);

    assert!(matches!(
        osu::decode(&le[..le.len() - 1]),
        Err(Error::Encoding {
            encoding: "UTF-16LE",
            ..
        })
    ));
    let mut lone_surrogate = le.clone();
    lone_surrogate.extend_from_slice(&0xD800u16.to_le_bytes());
    match osu::decode(&lone_surrogate) {
        Err(Error::Encoding {
            encoding: "UTF-16LE",
            detail,
        }) => assert!(detail.contains("surrogate"), "{detail}"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn invalid_utf8_in_kept_text_is_an_encoding_error() {
    let text = fixture_text("full.osu").replace("Creator:ROX", "Creator:R\u{0}X");
    let mut bytes = text.into_bytes();
    let at = bytes.iter().position(|&b| b == 0).unwrap();
    bytes[at] = 0xFF;
    match osu::decode(&bytes) {
        Err(Error::Encoding {
            encoding: "UTF-8",
            detail,
        }) => assert!(detail.starts_with("line 25:"), "{detail}"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn missing_header() {
    let bytes = fixture("missing_header.osu");
    assert!(osu::is_osu(&bytes));
    let chart = decode(&bytes);
    assert_eq!(chart.metadata.title, "No header line");
    assert_eq!(chart.notes, [tap(1_000_000, 0)]);
}

#[test]
fn comments() {
    let chart = decode_str(
        "osu file format v14\n// before\n[General]\n  // indented\nMode: 3 // mania\n[Metadata]\nTitle:a // b\n// Version:x\n\
         [Difficulty]\nCircleSize:4//four\n[TimingPoints]\n0,500,4,1,0,100,1,0 // red\n[HitObjects] // objects\n\
         64,192,10,1,0,0:0:0:0: // note\n192,192,20,128,0,30:0:0:0:0:file.wav//c\n",
    )
    .unwrap();
    assert_eq!(chart.metadata.title, "a // b");
    assert_eq!(chart.metadata.difficulty_name, "");
    assert_eq!(
        chart.notes,
        [
            tap(10_000, 0),
            Note {
                keysound: Some(0),
                ..Note::hold(20_000, 10_000, 1)
            }
        ]
    );
    assert_eq!(chart.keysounds, ["file.wav"]);
}

#[test]
fn fractional_times() {
    let chart = decode(&fixture("lazer_v128.osu"));
    assert_eq!(
        chart.notes,
        // -0.0005 and 0.0005 ms are half a µs: rounded away from zero.
        [
            tap(-1, 2),
            tap(1, 3),
            tap(1_234_500, 0),
            Note::hold(1_500_000, 500_250, 1)
        ]
    );
    assert_eq!(chart.timing[0].time_us, 100_125);
    assert_eq!(
        chart.timing[1],
        TimingPoint {
            sample_set: 1,
            ..TimingPoint::scroll(250_500, 100.0 / 75.0)
        }
    );
    let text = String::from_utf8(encode(&chart)).unwrap();
    for line in [
        "64,192,1234.5,1,0,0:0:0:0:",
        "192,192,1500,128,0,2000.25:0:0:0:0:",
        "320,192,-0.001,1,",
        "100.125,333.333333333333,4,1,0,100,1,0",
    ] {
        assert!(text.contains(line), "{line} missing from:\n{text}");
    }
}

#[test]
fn v4_files_are_shifted_24_ms() {
    let chart = decode(&fixture("v4.osu"));
    assert_eq!(
        chart.notes,
        [tap(1_024_000, 0), Note::hold(1_024_000, 500_000, 1)]
    );
    assert_eq!(
        chart.timing.iter().map(|t| t.time_us).collect::<Vec<_>>(),
        [24_000, 1_024_000]
    );
    assert_eq!(chart.metadata.preview_time_us, Some(524_000));
    // Written back as v14, the times stay where they are.
    assert_eq!(decode(&encode(&chart)), chart);
    let v5 = fixture_text("v4.osu").replace("v4", "v5");
    assert_eq!(decode(v5.as_bytes()).notes[0].time_us, 1_000_000);
    // Fractional times are shifted the same way.
    let fractional = fixture_text("v4.osu").replace("64,192,1000,", "64,192,1000.5,");
    assert_eq!(
        decode(fractional.as_bytes()).notes,
        [Note::hold(1_024_000, 500_000, 1), tap(1_024_500, 0)]
    );
}

#[test]
fn a_green_line_of_zero_beat_length_is_normal_speed() {
    // osu! reads a green line's beat length that is not negative as speed 1.
    let text = fixture_text("v4.osu")
        .replace("v4", "v14")
        .replace("1000,-50,4,1,0,100,0,0", "1000,0,4,1,0,100,0,0");
    let chart = decode(text.as_bytes());
    assert_eq!(chart.timing[1].kind, TimingKind::Scroll { multiplier: 1.0 });
}

#[test]
fn key_count_from_circle_size() {
    let (line, message) = parse_error_line(osu::decode(&fixture("no_circle_size.osu")));
    assert!(message.contains("CircleSize"), "{message}");
    assert!(line > 0);

    let full = fixture_text("full.osu");
    let with = |cs: &str| {
        osu::decode(
            full.replace("CircleSize:4", &format!("CircleSize:{cs}"))
                .as_bytes(),
        )
    };
    assert!(matches!(with("0"), Err(Error::InvalidKeyCount(0))));
    assert!(matches!(with("19"), Err(Error::InvalidKeyCount(19))));
    assert!(matches!(with("0.4"), Err(Error::InvalidKeyCount(0))));
    let (line, message) = parse_error_line(with("NaN"));
    assert_eq!(line, 34);
    assert!(message.contains("CircleSize"), "{message}");
    assert!(with("abc").is_err() && with("inf").is_err());
    // C#'s Math.Round: halves go to the even neighbour.
    assert_eq!(with("4.5").unwrap().key_count, 4);
    assert_eq!(with("5.5").unwrap().key_count, 6);
    assert_eq!(with("18.4").unwrap().key_count, 18);
}

#[test]
fn other_modes_are_refused() {
    match osu::decode(&fixture("standard.osu")) {
        Err(
            e @ Error::NotMania {
                mode: 0,
                mode_name: "standard",
            },
        ) => assert!(e.to_string().contains("osu!standard")),
        other => panic!("{other:?}"),
    }
    let full = fixture_text("full.osu");
    let catch = osu::decode(full.replace("Mode: 3", "Mode: 2").as_bytes());
    assert!(
        matches!(
            catch,
            Err(Error::NotMania {
                mode: 2,
                mode_name: "catch"
            })
        ),
        "{catch:?}"
    );
    // Taiko maps are read as 4-key charts (tests/taiko.rs).
    let taiko = osu::decode(full.replace("Mode: 3", "Mode: 1").as_bytes()).unwrap();
    assert_eq!(taiko.key_count, 4);
    // osu! reads a file without Mode as osu!standard, even when a line is broken.
    let no_mode = full
        .replace("Mode: 3 // mania\n", "")
        .replace("2000,375", "2000,x");
    assert!(matches!(
        osu::decode(no_mode.as_bytes()),
        Err(Error::NotMania { mode: 0, .. })
    ));
    let (line, _) = parse_error_line(osu::decode(full.replace("Mode: 3", "Mode: 7").as_bytes()));
    assert_eq!(line, 10);
}

#[test]
fn sliders_and_spinners_become_holds() {
    let bytes = fixture("sliders.osu");
    let chart = decode(&bytes);
    assert_eq!(
        chart.notes,
        [
            // 140 px at 1.4 × 100 px per 500 ms beat: 500 ms.
            Note::hold(1_000_000, 500_000, 0),
            // Two spans of 70 px at scroll speed 2: 250 ms. Only the banks of its hitSample count.
            Note {
                sound: HitSound {
                    flags: 2,
                    normal_set: 2,
                    addition_set: 3,
                    ..HitSound::default()
                },
                ..Note::hold(2_000_000, 250_000, 1)
            },
            Note::hold(3_000_000, 1_000_000, 2),
            tap(5_000_000, 3), // a spinner ending before it starts
        ]
    );
    // The same end times as osu!'s own computation (rosu-map follows lazer).
    let mut oracle: rosu_map::Beatmap = rosu_map::from_bytes(&bytes).unwrap();
    let ends: Vec<i64> = oracle
        .hit_objects
        .iter_mut()
        .map(|h| us(h.end_time()))
        .collect();
    assert_eq!(ends, [1_500_000, 2_250_000, 4_000_000, 5_000_000]);

    let (line, message) = parse_error_line(decode_str(
        &fixture_text("sliders.osu").replace(",1,140", ",1"),
    ));
    assert_eq!(line, 15);
    assert!(message.contains("slider"), "{message}");
}

#[test]
fn notes_are_sorted_whatever_the_file_order() {
    // Reverse time order defeats the insertion sort meant for chords; equal keys keep file order.
    let objects: String = (0..2000)
        .rev()
        .map(|i| format!("{},192,{},1,{},0:0:0:0:\n", (i % 4) * 128, i / 2, i % 2 * 2))
        .collect();
    let chart = decode_str(&format!(
        "[General]\nMode: 3\n[Difficulty]\nCircleSize:4\n[HitObjects]\n{objects}0,192,0,1,8\n"
    ))
    .unwrap();
    let keys: Vec<(i64, u8, u8)> = chart
        .notes
        .iter()
        .map(|n| (n.time_us, n.column, n.sound.flags))
        .collect();
    let mut expected: Vec<(i64, u8, u8)> = (0..2000)
        .map(|i| (i64::from(i / 2) * 1000, (i % 4) as u8, (i % 2 * 2) as u8))
        .collect();
    expected.insert(1, (0, 0, 8));
    assert_eq!(keys, expected);
}

#[test]
fn errors_name_the_line() {
    let full = fixture_text("full.osu");
    let cases = [
        (
            "64,192,0,5,0,0:0:0:0:",
            "64,192,abc,5,0,0:0:0:0:",
            58,
            "time",
        ),
        (
            "64,192,0,5,0,0:0:0:0:",
            "64,192,2147483648,5,0,0:0:0:0:",
            58,
            "range",
        ),
        (
            "64,192,0,5,0,0:0:0:0:",
            "64,192,-inf,5,0,0:0:0:0:",
            58,
            "range",
        ),
        (
            "64,192,0,5,0,0:0:0:0:",
            "64,192,NaN,5,0,0:0:0:0:",
            58,
            "time",
        ),
        ("64,192,0,5,0,0:0:0:0:", "NaN,192,0,5,0,0:0:0:0:", 58, "x"),
        (
            "64,192,0,5,0,0:0:0:0:",
            "64,192,0,5",
            58,
            "hit sound is missing",
        ),
        (
            "64,192,0,5,0,0:0:0:0:",
            "64,192,0,64,0,0:0:0:0:",
            58,
            "type",
        ),
        (
            "64,192,0,5,0,0:0:0:0:",
            "64,192,0,5,0,9:0:0:0:",
            58,
            "sample",
        ),
        (
            "0,500,4,2,1,80,1,0",
            "0,-500,4,2,1,80,1,0",
            49,
            "beat length",
        ),
        (
            "0,500,4,2,1,80,1,0",
            "0,NaN,4,2,1,80,1,0",
            49,
            "beat length",
        ),
        (
            "0,500,4,2,1,80,1,0",
            "0,1e300,4,2,1,80,1,0",
            49,
            "beat length",
        ),
        ("0,500,4,2,1,80,1,0", "0,500,-4,2,1,80,1,0", 49, "meter"),
        ("0,500,4,2,1,80,1,0", "0", 49, "beat length"),
        ("HPDrainRate:7.5", "HPDrainRate:lots", 33, "HPDrainRate"),
        ("BeatmapID:123", "BeatmapID:12x", 29, "BeatmapID"),
    ];
    for (from, to, expected_line, word) in cases {
        assert!(full.contains(from));
        let (line, message) = parse_error_line(decode_str(&full.replacen(from, to, 1)));
        assert_eq!(line, expected_line, "{to}: {message}");
        assert!(message.contains(word), "{to}: {message}");
    }
    // x beyond the playfield is clamped, not refused.
    let far = decode_str(&full.replacen("64,192,0,5", "100000,192,0,5", 1)).unwrap();
    assert_eq!(
        far.notes
            .iter()
            .find(|n| n.time_us == 0 && n.keysound.is_none())
            .unwrap()
            .column,
        3
    );
    // A green line with NaN or a positive beat length is speed 1, as in osu!.
    let nan_green = decode_str(&full.replacen("1000.5,-100", "1000.5,NaN", 1)).unwrap();
    assert_eq!(
        nan_green.timing[3].kind,
        TimingKind::Scroll { multiplier: 1.0 }
    );
}

#[test]
fn mutated_files_never_panic() {
    let original = fixture("full.osu");
    let mut decoded = 0;
    let mut check = |bytes: &[u8]| {
        if let Ok(chart) = osu::decode(bytes) {
            decoded += 1;
            // Whatever decodes must survive a round trip unchanged.
            if let Ok(written) = osu::encode(&chart, &mut ConversionReport::default()) {
                assert_eq!(
                    osu::decode(&written).unwrap(),
                    chart,
                    "{}",
                    String::from_utf8_lossy(bytes)
                );
            }
        }
        osu::is_osu(bytes);
    };
    common::for_each_mutant(&original, b"09,:.-\n\r /[]\x00\xff", &mut check);
    assert!(
        decoded > original.len(),
        "too few mutants decoded ({decoded}) for the test to mean much"
    );
}

#[test]
fn huge_values_are_bounded() {
    // Counts and sizes in the file never size an allocation on their own.
    let objects = "64,192,0,2,0,L|0:0,9000,131072\n".repeat(50);
    let chart = decode_str(&format!("[General]\nMode: 3\n[Difficulty]\nCircleSize:4\n[TimingPoints]\n0,6,4,1,0,100,1,0\n[HitObjects]\n{objects}")).unwrap();
    assert_eq!(chart.notes.len(), 50);
    assert!(decode_str(
        "[General]\nMode: 3\n[Difficulty]\nCircleSize:4\n[HitObjects]\n0,0,0,2,0,L|0:0,9001,100\n"
    )
    .is_err());
    // A slider that would end past 2^31 ms (slowest tempo, longest slider, most slides).
    let endless = "[General]\nMode: 3\n[Difficulty]\nCircleSize:4\nSliderMultiplier:0.4\n[TimingPoints]\n0,60000,4,1,0,100,1,0\n\
                   0,-1000,4,1,0,100,0,0\n[HitObjects]\n0,0,0,2,0,L|0:0,9000,131072\n";
    let (line, _) = parse_error_line(decode_str(endless));
    assert_eq!(line, 10);
    let many_digits = format!(
        "[General]\nMode: 3\n[Difficulty]\nCircleSize:4\n[HitObjects]\n0,0,{},1,0\n",
        "9".repeat(100_000)
    );
    assert!(decode_str(&many_digits).is_err());
}

// ---------------------------------------------------------------------------------------------
// Sniffing and dispatch

#[test]
fn sniffing() {
    assert!(osu::is_osu(b"osu file format v14\n"));
    assert!(osu::is_osu(b"\xEF\xBB\xBF\n  \nosu file format v3\n"));
    assert!(osu::is_osu(b"[General]\nAudioFilename: a.mp3\nMode: 3\n"));
    assert!(osu::is_osu(b"\n[Metadata]\nTitle:x\n[HitObjects]\n"));
    assert!(
        !osu::is_osu(b"[Metadata]\nTitle:x\n"),
        "no Mode and no hit objects"
    );
    assert!(
        !osu::is_osu(b"AudioFile: a.mp3\nMode: Keys4\nHitObjects:\n- StartTime: 1\n"),
        ".qua"
    );
    assert!(!osu::is_osu(b"#TITLE:x;\n#NOTES:\n"), ".sm");
    assert!(!osu::is_osu(b""));
    assert!(!osu::is_osu(b"\xFF\xFE"));
    for file in [
        "full.osu",
        "crlf_bom.osu",
        "missing_header.osu",
        "v4.osu",
        "lazer_v128.osu",
    ] {
        assert!(osu::is_osu(&fixture(file)), "{file}");
    }
    let chart = rox::decode(&fixture("full.osu"), Format::Auto).unwrap();
    assert_eq!(chart, decode(&fixture("full.osu")));
}

// ---------------------------------------------------------------------------------------------
// Encoding

fn small_chart() -> Chart {
    let mut chart = Chart::new(4);
    chart.timing.push(TimingPoint::bpm(0, 120.0, 4));
    chart.notes.push(tap(0, 0));
    chart
}

#[test]
fn encoded_layout() {
    let chart = decode(&fixture("full.osu"));
    let text = String::from_utf8(rox::encode(&chart, Format::Osu).unwrap()).unwrap();
    assert!(text.starts_with("osu file format v14\n\n[General]\nAudioFilename: audio.mp3\nAudioLeadIn: 0\nPreviewTime: 1500\n"), "{text}");
    assert!(!text.contains('\r'));
    for expected in [
        "Mode: 3\n",
        "SampleSet: None\n",
        "SpecialStyle: 0\n",
        "[Editor]\n",
        "Title:Test // Title\n",
        "Version:4K Fixture\n",
        "BeatmapID:123\n",
        "CircleSize:4\n",
        "HPDrainRate:7.5\n",
        "OverallDifficulty:8.2\n",
        "ApproachRate:5\nSliderMultiplier:1.4\nSliderTickRate:1\n",
        "0,0,\"bg folder/bg.jpg\",0,0\n",
        "-500,-50,4,2,0,60,0,0\n",
        "0,500,4,2,1,80,1,0\n0,-200,4,2,1,80,0,1\n",
        "2000,375,3,2,0,100,1,8\n",
        "[HitObjects]\n64,192,0,1,0,0:0:0:0:\n192,192,0,1,2,1:2:3:40:kick.wav\n",
        "448,192,500,128,8,1200:0:0:0:0:\n",
        "320,192,500,1,0,0:0:0:0:\n",
        "320,192,750.25,1,4,0:0:0:0:snare.wav\n",
    ] {
        assert!(
            text.contains(expected),
            "{expected:?} missing from:\n{text}"
        );
    }
    assert!(
        !text.contains("BeatmapSetID"),
        "unsubmitted set id is left out"
    );
}

#[test]
fn encoding_what_osu_lacks() {
    let mut chart = small_chart();
    chart.timing.push(TimingPoint::new(
        1_000_000,
        TimingKind::Stop {
            duration_us: 500_000,
        },
    ));
    chart.timing.push(TimingPoint::new(
        2_000_000,
        TimingKind::Delay {
            duration_us: 500_000,
        },
    ));
    chart
        .timing
        .push(TimingPoint::new(3_000_000, TimingKind::Warp { beats: 1.0 }));
    chart.timing.push(TimingPoint::scroll(4_000_000, 0.0));
    chart.notes.extend([
        Note {
            kind: NoteKind::Roll,
            ..Note::hold(1_000_000, 500_000, 1)
        },
        Note {
            kind: NoteKind::Mine,
            ..tap(2_000_000, 2)
        },
        Note {
            kind: NoteKind::Fake,
            ..tap(3_000_000, 3)
        },
        Note {
            kind: NoteKind::Lift,
            ..tap(4_000_000, 0)
        },
    ]);
    chart.metadata.preview_time_us = Some(1_500_500);
    let text = encode(&chart);
    assert!(String::from_utf8_lossy(&text).contains("PreviewTime: 1501\n"));
    let back = decode(&text);
    assert_eq!(back.metadata.preview_time_us, Some(1_501_000));
    assert_eq!(
        back.notes,
        [
            tap(0, 0),
            Note::hold(1_000_000, 500_000, 1),
            tap(4_000_000, 0)
        ]
    );
    assert_eq!(back.timing.len(), 2);
    // Scroll speed 0 becomes the slowest a file can hold.
    assert!(
        matches!(back.timing[1].kind, TimingKind::Scroll { multiplier } if multiplier > 0.0 && multiplier < 1e-7)
    );
}

#[test]
fn tempos_and_speeds_read_back_exactly() {
    let mut chart = small_chart();
    let bpms = [
        150.0,
        174.99999,
        1.0 / 3.0,
        222.22222222222223,
        0.06,
        99999.99,
        190.0000000000001,
    ];
    let speeds = [0.7, 1.0 / 3.0, 2.5, 0.01, 9.99, 1.2345678901234];
    for (i, bpm) in bpms.iter().enumerate() {
        chart
            .timing
            .push(TimingPoint::bpm(1_000_000 * (i as i64 + 1), *bpm, 4));
    }
    for (i, sv) in speeds.iter().enumerate() {
        chart
            .timing
            .push(TimingPoint::scroll(1_000_000 * (i as i64 + 1) + 500, *sv));
    }
    chart.sort();
    let back = decode(&encode(&chart));
    for (a, b) in back.timing.iter().zip(&chart.timing) {
        match (a.kind, b.kind) {
            (TimingKind::Bpm { bpm: x, .. }, TimingKind::Bpm { bpm: y, .. }) => {
                assert!(
                    x == y || (x - y).abs() <= 4.0 * f64::EPSILON * y,
                    "BPM {y} came back as {x}"
                )
            }
            (TimingKind::Scroll { multiplier: x }, TimingKind::Scroll { multiplier: y }) => {
                assert!(
                    x == y || (x - y).abs() <= 4.0 * f64::EPSILON * y,
                    "speed {y} came back as {x}"
                )
            }
            _ => panic!("kinds differ: {a:?} {b:?}"),
        }
    }
    let exact = back
        .timing
        .iter()
        .zip(&chart.timing)
        .filter(|(a, b)| a == b)
        .count();
    assert!(
        exact + 2 >= chart.timing.len(),
        "only {exact} of {} exact",
        chart.timing.len()
    );
}

#[test]
fn encoding_refuses_what_would_break_the_file() {
    let mut chart = small_chart();
    chart.keysounds.push("a,b.wav".into());
    chart.notes[0].keysound = Some(0);
    assert!(
        matches!(osu::encode(&chart, &mut ConversionReport::default()), Err(Error::InvalidArgument(m)) if m.contains("a,b.wav"))
    );

    let mut chart = small_chart();
    chart.metadata.background_file = "say \"cheese\".png".into();
    assert!(matches!(
        osu::encode(&chart, &mut ConversionReport::default()),
        Err(Error::InvalidArgument(_))
    ));

    let mut chart = small_chart();
    chart.notes[0].time_us = 3_000_000_000_000;
    assert!(matches!(
        osu::encode(&chart, &mut ConversionReport::default()),
        Err(Error::InvalidArgument(_))
    ));

    assert!(matches!(
        osu::encode(&Chart::new(0), &mut ConversionReport::default()),
        Err(Error::InvalidKeyCount(0))
    ));
    assert!(matches!(
        osu::encode(&Chart::new(19), &mut ConversionReport::default()),
        Err(Error::InvalidKeyCount(19))
    ));

    // Line breaks in metadata cannot end a line early.
    let mut chart = small_chart();
    chart.metadata.title = "two\nlines".into();
    chart.metadata.artist = "[HitObjects]".into();
    let back = decode(&encode(&chart));
    assert_eq!(back.metadata.title, "two lines");
    assert_eq!(back.notes, chart.notes);
}

/// The text of `chart` as .osu and the report of its encoding.
fn encode_reported(chart: &Chart) -> (String, ConversionReport) {
    let mut report = ConversionReport::default();
    let bytes = osu::encode(chart, &mut report).expect("encode");
    (String::from_utf8(bytes).unwrap(), report)
}

#[test]
fn a_preview_time_off_the_ms_grid_is_rounded_and_reported() {
    // .osu PreviewTime is whole ms: nearest, ties away from zero; the shift is reported.
    for (preview_us, written, shift_us) in [
        (1_500_000, "1500", None),
        (1_500_500, "1501", Some(500)),
        (1_500_499, "1500", Some(-499)),
        (-1_500_500, "-1501", Some(-500)),
    ] {
        let mut chart = small_chart();
        chart.metadata.preview_time_us = Some(preview_us);
        let (text, report) = encode_reported(&chart);
        assert!(
            text.contains(&format!("PreviewTime: {written}\n")),
            "{text}"
        );
        let reported: Vec<_> = report
            .entries
            .iter()
            .filter(|l| l.message.contains("preview time"))
            .map(|l| (l.kind, l.time_us, l.shift_us))
            .collect();
        let expected: Vec<_> = shift_us
            .map(|s| (rox::LossKind::MetadataDropped, Some(preview_us), s))
            .into_iter()
            .collect();
        assert_eq!(reported, expected, "{preview_us}");
    }
}

#[test]
fn only_submitted_ids_are_written() {
    // Unsubmitted maps have no online id (0, or none); osu! writes the line only for real ids.
    for (id, line) in [
        (Some(0), false),
        (Some(-1), false),
        (None, false),
        (Some(7), true),
    ] {
        let mut chart = small_chart();
        chart.metadata.chart_id = id;
        chart.metadata.set_id = id;
        let (text, _) = encode_reported(&chart);
        assert_eq!(text.contains("BeatmapID:7\n"), line, "{id:?}");
        assert_eq!(text.contains("BeatmapSetID:7\n"), line, "{id:?}");
        assert_eq!(text.contains("BeatmapID:"), line, "{id:?}");
    }
}

#[test]
fn speeds_of_zero_or_less_become_the_slowest_and_are_reported() {
    // An exact speed is written as -100 / speed and not reported; zero or less becomes the
    // slowest beat length a file holds (-2^31 + 1), reported as changed.
    let mut chart = small_chart();
    for (i, speed) in [0.5, 0.0, -1.0].into_iter().enumerate() {
        chart
            .timing
            .push(TimingPoint::scroll(1_000_000 * (i as i64 + 1), speed));
    }
    let (text, report) = encode_reported(&chart);
    for line in [
        "\n1000,-200,4,",
        "\n2000,-2147483647,4,",
        "\n3000,-2147483647,4,",
    ] {
        assert!(text.contains(line), "{line:?} missing from:\n{text}");
    }
    let changed: Vec<_> = report
        .entries
        .iter()
        .filter(|l| l.kind == rox::LossKind::TimingChanged)
        .map(|l| l.index)
        .collect();
    assert_eq!(changed, [Some(2), Some(3)]);
    // What a reader gets back: -100 / -2147483647.
    assert!(
        report.entries[1]
            .message
            .contains("written as 0.0000000465661287"),
        "{}",
        report.entries[1].message
    );
}

#[test]
fn metadata_osu_has_no_field_for_is_reported() {
    let mut chart = small_chart();
    let (_, report) = encode_reported(&chart);
    assert_eq!(report.entries.len(), 0, "{:?}", report.entries);
    chart.metadata.subtitle = "sub".into();
    chart.metadata.genre = "trance".into();
    chart.metadata.description = "desc".into();
    chart.metadata.difficulty_level = Some(12.0);
    chart.metadata.style = "dance-single".into();
    chart.metadata.tags = "a\nb".into();
    chart.extras = vec![("sm.CREDIT".into(), "x".into())];
    let (_, report) = encode_reported(&chart);
    let messages: Vec<_> = report
        .entries
        .iter()
        .map(|l| {
            assert_eq!(l.kind, rox::LossKind::MetadataDropped);
            l.message.as_str()
        })
        .collect();
    assert_eq!(
        messages,
        [
            "subtitle not written: .osu has no such field",
            "genre not written: .osu has no such field",
            "description not written: .osu has no such field",
            "difficulty level not written: .osu has no such field",
            "style not written: .osu has no such field",
            "tags: line breaks written as spaces (a .osu value is one line)",
            "sm.CREDIT not written: .osu has no place for it",
        ]
    );
}

#[test]
fn times_up_to_the_osu_limit_are_written() {
    // osu! reads times as 32-bit ms: ±(2^31 − 1) ms is the furthest a file holds.
    let limit_us = i64::from(i32::MAX) * 1000;
    for time_us in [limit_us, -limit_us] {
        let mut chart = small_chart();
        chart.notes = vec![tap(time_us, 0)];
        assert_eq!(decode(&encode(&chart)).notes, chart.notes);
        chart.notes = vec![tap(time_us + time_us.signum(), 0)];
        assert!(matches!(
            osu::encode(&chart, &mut ConversionReport::default()),
            Err(Error::InvalidArgument(_))
        ));
    }
}

/// Found writing a fuzzed `.rox.json` chart: a preview time at the ends of i64 overflowed
/// while rounded to whole ms (a panic in a debug build; in release the refusal named
/// 9223372036854775616 µs for i64::MIN). It is refused as it was given.
#[test]
fn a_preview_time_at_the_ends_of_i64_is_refused_as_given() {
    for t in [i64::MIN, i64::MAX] {
        let mut chart = Chart::new(4);
        chart.timing = vec![TimingPoint::bpm(0, 120.0, 4)];
        chart.metadata.preview_time_us = Some(t);
        let error = rox::encode(&chart, Format::Osu).expect_err("refused");
        assert!(error.to_string().contains(&format!("at {t} µs")), "{error}");
    }
}

/// Found by fuzzing (`decode_qua`): a chart whose game keeps the scroll speed across tempo
/// changes gets a green line after each red line to restore it, and for a speed of 5e-10
/// that line's beat length (-2e11) was written unclamped, which the reader refuses.
#[test]
fn a_tiny_speed_restored_after_a_red_line_reads_back() {
    let mut chart = Chart::new(4);
    chart.source_format = Some(Format::Sm);
    chart.timing = vec![
        TimingPoint::bpm(0, 120.0, 4),
        TimingPoint::scroll(1_000, 5e-10),
        TimingPoint::bpm(2_000_000, 150.0, 4),
    ];
    chart.notes = vec![Note::tap(0, 0)];
    let (bytes, report) = rox::encode_with_report(&chart, Format::Osu).unwrap();
    let back = rox::decode(&bytes, Format::Osu).expect("the writer's output reads back");
    let speeds: Vec<f64> = (back.timing.iter())
        .filter_map(|t| match t.kind {
            TimingKind::Scroll { multiplier } => Some(multiplier),
            _ => None,
        })
        .collect();
    assert_eq!(speeds.len(), 2, "{speeds:?}");
    assert!(speeds.iter().all(|&s| s > 0.0 && s < 1e-7), "{speeds:?}");
    assert!(report
        .entries
        .iter()
        .any(|e| e.kind == rox::LossKind::TimingChanged));
}

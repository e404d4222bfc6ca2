//! The `rox` command line: conversions keep hit objects and timing points, bad input gives a
//! one-line error and a non-zero exit code.

#[path = "../common/mod.rs"]
mod common;

mod archive;
mod batch;
mod help;
mod losses;
mod options;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn rox(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_rox"))
        .args(args)
        .output()
        .expect("run rox")
}

/// An empty folder for one test: `rox convert` does not replace files without `--force`, so a
/// test starts from nothing rather than from a previous run's outputs.
fn scratch_dir(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// A hit object as osu! plays it, read independently of the library: (time, column, is hold,
/// end, hitsound, sample fields).
type HitObject = (String, u32, bool, String, String, Vec<String>);

fn hit_objects(text: &str) -> Vec<HitObject> {
    let keys: u32 = section(text, "Difficulty")
        .iter()
        .find_map(|l| l.strip_prefix("CircleSize:"))
        .expect("CircleSize")
        .trim()
        .parse()
        .unwrap();
    let mut objects: Vec<HitObject> = section(text, "HitObjects")
        .iter()
        .map(|line| {
            let f: Vec<&str> = line.split(',').collect();
            let x: u32 = f[0].parse().unwrap();
            let hold = f[3].parse::<u32>().unwrap() & 128 != 0;
            let mut extras: Vec<String> = f
                .get(5)
                .unwrap_or(&"")
                .split(':')
                .map(str::to_string)
                .collect();
            let end = if hold {
                extras.remove(0)
            } else {
                String::new()
            };
            // Missing trailing sample fields mean their defaults.
            extras.resize(5, String::new());
            for (i, e) in extras.iter_mut().enumerate().take(4) {
                if e.is_empty() && i < 4 {
                    *e = "0".into();
                }
            }
            (
                f[2].to_string(),
                (x * keys / 512).min(keys - 1),
                hold,
                end,
                f[4].to_string(),
                extras,
            )
        })
        .collect();
    objects.sort();
    objects
}

/// Timing point fields as numbers: time, beat length, meter, sample set, sample index, volume,
/// uninherited, effects.
fn timing_points(text: &str) -> Vec<Vec<f64>> {
    section(text, "TimingPoints")
        .iter()
        .map(|line| {
            line.split(',')
                .map(|v| v.trim().parse::<f64>().unwrap())
                .collect()
        })
        .collect()
}

fn section<'a>(text: &'a str, name: &str) -> Vec<&'a str> {
    let header = format!("[{name}]");
    text.lines()
        .skip_while(|l| l.trim() != header)
        .skip(1)
        .take_while(|l| !l.starts_with('['))
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with("//"))
        .collect()
}

#[test]
fn osu_to_rox_to_osu_keeps_hit_objects_and_timing_points() {
    let Some(corpus) = common::corpus() else {
        return;
    };
    let dir = scratch_dir("cli_round_trip");
    let original_path = corpus.join("osu/mania_7k.osu");
    let (rox_path, osu_path) = (dir.join("x.rox"), dir.join("y.osu"));
    for (from, to) in [(&original_path, &rox_path), (&rox_path, &osu_path)] {
        let out = rox(&["convert", from.to_str().unwrap(), to.to_str().unwrap()]);
        assert!(
            out.status.success(),
            "convert failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let original = std::fs::read_to_string(&original_path).unwrap();
    let converted = std::fs::read_to_string(&osu_path).unwrap();
    let expected = hit_objects(&original);
    assert!(
        expected.len() > 1000,
        "only {} hit objects read",
        expected.len()
    );
    assert_eq!(hit_objects(&converted), expected);
    assert_eq!(timing_points(&converted), timing_points(&original));
}

#[test]
fn info_json_lists_every_note() {
    let Some(corpus) = common::corpus() else {
        return;
    };
    let path = corpus.join("osu/mania_7k.osu");
    let out = rox(&["info", "--json", path.to_str().unwrap()]);
    assert!(out.status.success());
    let json = String::from_utf8(out.stdout).unwrap();
    let notes = hit_objects(&std::fs::read_to_string(&path).unwrap()).len();
    assert_eq!(
        json.matches("\"time_us\":").count()
            - json.matches("\"kind\":\"bpm\"").count()
            - json.matches("\"kind\":\"scroll\"").count(),
        notes
    );
    assert!(json.contains("\"key_count\":7"));
    assert!(json.contains("\"title_unicode\":\"宙の旋律"));
    let text = rox(&["info", path.to_str().unwrap()]);
    assert!(String::from_utf8(text.stdout).unwrap().contains("keys: 7"));
    // rosu-pp 4.0.1 rates mania_4k.osu 4.7214608353704985 (tests/star_rating.rs checks every map).
    let four = corpus.join("osu/mania_4k.osu");
    let json = String::from_utf8(rox(&["info", "--json", four.to_str().unwrap()]).stdout).unwrap();
    assert!(json.contains("\"star_rating\":4.72146083537"), "{json}");
    let text = String::from_utf8(rox(&["info", four.to_str().unwrap()]).stdout).unwrap();
    assert!(text.contains("osu!mania stars: 4.72\n"), "{text}");
    // The patterns of tests/patterns.rs, here only their presence in both shapes.
    assert!(
        text.contains("\npatterns: ") && text.contains(" sections)\n"),
        "{text}"
    );
    assert!(
        json.contains("\"patterns\":{\"shares\":{\"stream\":"),
        "{json}"
    );
    let peeked =
        String::from_utf8(rox(&["info", "--peek", path.to_str().unwrap()]).stdout).unwrap();
    assert!(
        peeked.contains("keys: 7") && peeked.contains("notes: not read (--peek)"),
        "{peeked}"
    );
}

#[test]
fn info_shows_statistics_and_hashes() {
    let Some(corpus) = common::corpus() else {
        return;
    };
    let path = corpus.join("osu/mania_4k.osu");
    let text = String::from_utf8(rox(&["info", path.to_str().unwrap()]).stdout).unwrap();
    // The hashes pinned in tests/analysis.rs; `md5sum mania_4k.osu`.
    for line in [
        "length: 1:32.727, drain: 1:19.491 (breaks 0:13.235)",
        "chords: 890×1, 244×2, 1×3, 1×4",
        "content hash: c6b5601103c6df81",
        "file md5: e9a3d14a99a09d41e34d77b062c36c30",
    ] {
        assert!(text.contains(line), "{line:?} not in\n{text}");
    }
    let json = String::from_utf8(rox(&["info", "--json", path.to_str().unwrap()]).stdout).unwrap();
    for field in [
        "{\"file_md5\":\"e9a3d14a99a09d41e34d77b062c36c30\",",
        "\"content_hash\":\"c6b5601103c6df81\"",
        "\"column_counts\":[289,393,406,297]",
        "\"drain_us\":79491274,",
        "\"max_nps\":24.0}",
    ] {
        assert!(json.contains(field), "{field} not in the JSON");
    }
}

#[test]
fn bad_input_gives_one_line_error_and_nonzero_exit() {
    let dir = scratch_dir("cli_errors");
    let garbage = dir.join("garbage.osu");
    std::fs::write(&garbage, [0xff, 0x00, 0x13, 0x37, b'\n', b'x']).unwrap();
    let cases: Vec<Vec<&str>> = vec![
        vec!["info", garbage.to_str().unwrap()],
        vec!["info", "--from", "auto", garbage.to_str().unwrap()],
        vec!["convert", garbage.to_str().unwrap(), "out.rox"],
        vec!["info", "/nonexistent/chart.osu"],
        vec!["convert", "a.osu"],
        vec!["frobnicate"],
        vec!["info", "--from", "midi", "x"],
    ];
    for args in cases {
        let out = rox(&args);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{args:?}: {stderr}");
        assert!(stderr.starts_with("rox: "), "{args:?}: {stderr}");
        assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
    }
}

#[test]
fn convert_to_unknown_extension_is_refused_and_validate_reports() {
    let dir = scratch_dir("cli_validate");
    let fixture = common::fixture_path("osu/overlap.osu");
    let out = rox(&[
        "convert",
        fixture.to_str().unwrap(),
        dir.join("x.midi").to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("unknown extension"));
    let out = rox(&["validate", fixture.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stdout)
        .contains("note 1 at 1500000 µs: note starts before the previous note in its column ends"));
}

#[test]
fn info_lists_every_chart_of_an_archive() {
    let osz = common::fixture_path("archives/song.osz");
    let out = rox(&["info", osz.to_str().unwrap()]);
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("2 chart(s)"), "{text}");
    assert!(
        text.contains("chart 0:\n  Someone - Test // Title [Easy]"),
        "{text}"
    );
    assert!(
        text.contains("chart 1:\n  Someone - Test // Title [Hard]"),
        "{text}"
    );
    assert!(text.contains("other files: audio.mp3, bg/bg.jpg"), "{text}");
    assert!(text.contains("lost while reading: Artist - Song (Mapper) [Normal].osu not read"));

    let out = rox(&["info", "--json", "--chart", "Hard", osz.to_str().unwrap()]);
    let json = String::from_utf8(out.stdout).unwrap();
    assert_eq!(json.matches("\"difficulty_name\":").count(), 1);
    assert!(json.contains("\"difficulty_name\":\"Hard\""));
    assert!(json.contains("\"resources\":[\"audio.mp3\",\"bg/bg.jpg\"]"));
    assert!(json.contains("\"losses\":[{\"kind\":\"chart_dropped\""));
}

#[test]
fn convert_one_or_all_charts_of_a_set() {
    let dir = scratch_dir("cli_sets");
    let osz = common::fixture_path("archives/song.osz");
    let osz = osz.to_str().unwrap();
    let out_path = dir.join("song.osu");
    let out_path = out_path.to_str().unwrap();
    let difficulty = |path: &Path| {
        let out = rox(&["info", "--json", path.to_str().unwrap()]);
        let json = String::from_utf8(out.stdout).unwrap();
        let at = json.find("\"difficulty_name\":\"").unwrap() + 19;
        json[at..at + json[at..].find('"').unwrap()].to_string()
    };

    // Without a choice: the one chart .osu holds, the other reported.
    let out = rox(&["convert", osz, out_path]);
    assert!(out.status.success());
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.contains("chart_dropped: chart 1 (\"Hard\") not converted"),
        "{stderr}"
    );
    assert_eq!(difficulty(Path::new(out_path)), "Easy");

    for spec in ["1", "hard"] {
        // The same output again: replaced with --force only.
        let out = rox(&["convert", osz, out_path, "--chart", spec]);
        assert_eq!(out.status.code(), Some(1));
        assert!(String::from_utf8(out.stderr)
            .unwrap()
            .contains("exists (--force replaces it)"));
        let out = rox(&["convert", osz, out_path, "--chart", spec, "--force"]);
        assert!(out.status.success());
        assert_eq!(difficulty(Path::new(out_path)), "Hard");
    }

    let out = rox(&["convert", "--all", "--json", osz, out_path]);
    assert!(out.status.success());
    let json = String::from_utf8(out.stdout).unwrap();
    for (i, name) in ["Easy", "Hard"].iter().enumerate() {
        let path = dir.join(format!("song [{name}].osu"));
        assert_eq!(difficulty(&path), *name);
        assert!(json.contains(&format!(
            "{{\"path\":{:?},\"charts\":[{i}],\"losses\":[{{\"kind\":\"chart_dropped\"",
            path.to_str().unwrap()
        )));
    }

    for (args, message) in [
        (
            vec!["--chart", "Insane"],
            "no chart named \"Insane\"; the charts are: 0 \"Easy\", 1 \"Hard\"",
        ),
        (vec!["--chart", "7"], "no chart 7"),
        (vec!["--chart", "0", "--all"], "exclude each other"),
    ] {
        let mut all = vec!["convert", osz, out_path];
        all.extend(args);
        let out = rox(&all);
        assert_eq!(out.status.code(), Some(1));
        let stderr = String::from_utf8(out.stderr).unwrap();
        assert!(
            stderr.starts_with("rox: ") && stderr.contains(message),
            "{stderr}"
        );
    }
}

#[test]
fn convert_reports_losses_and_is_silent_when_nothing_is_lost() {
    let dir = scratch_dir("cli_losses");
    let mut chart = rox::Chart::new(4);
    chart.timing.push(rox::TimingPoint::bpm(0, 120.0, 4));
    chart.notes.push(rox::Note::tap(0, 0));
    chart.notes.push(rox::Note {
        kind: rox::NoteKind::Mine,
        ..rox::Note::tap(500_000, 1)
    });
    let source = dir.join("mine.rox");
    std::fs::write(&source, rox::encode(&chart, rox::Format::Rox).unwrap()).unwrap();
    let source = source.to_str().unwrap();
    let osu = dir.join("mine.osu");
    let osu = osu.to_str().unwrap();

    let out = rox(&["convert", source, osu]);
    assert!(out.status.success());
    assert_eq!(
        String::from_utf8(out.stderr).unwrap(),
        format!("{osu}: note_dropped: #1 at 500000 µs: mine dropped: .osu has no mines\n")
    );
    assert!(out.stdout.is_empty());

    let out = rox(&["convert", "--json", "--force", source, osu]);
    assert!(out.stderr.is_empty());
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        format!(
            "{{\"outputs\":[{{\"path\":{osu:?},\"charts\":[0],\"losses\":[{{\"kind\":\"note_dropped\",\"time_us\":500000,\"index\":1,\"shift_us\":0,\"message\":\"mine dropped: .osu has no mines\"}}]}}]}}\n"
        )
    );

    // .osu → .rox → .osu loses nothing: no output at all.
    let back = dir.join("back.rox");
    for (from, to) in [(osu, back.to_str().unwrap()), (back.to_str().unwrap(), osu)] {
        let out = rox(&["convert", "--force", from, to]);
        assert!(out.status.success());
        assert!(
            out.stderr.is_empty() && out.stdout.is_empty(),
            "{from} → {to}"
        );
    }
}

#[test]
fn quaver_maps_that_break_gameplay_rules_get_a_validation_report() {
    let Some(corpus) = common::corpus() else {
        return;
    };
    for (file, expected) in [
        (
            "edge/overlap-inside-ln.qua",
            "note starts before the previous note in its column ends",
        ),
        (
            "edge/overlap-start-times.qua",
            "note starts before the previous note in its column ends",
        ),
    ] {
        let out = rox(&["validate", corpus.join(file).to_str().unwrap()]);
        assert_eq!(out.status.code(), Some(2), "{file}");
        assert!(
            String::from_utf8_lossy(&out.stdout).contains(expected),
            "{file}"
        );
    }
}

#[test]
fn from_and_to_override_what_content_and_extension_say() {
    let dir = scratch_dir("cli_from_to");
    let osz = common::fixture_path("archives/song.osz");
    let osz = osz.to_str().unwrap();
    let osu = common::fixture_path("osu/full.osu");
    let osu = osu.to_str().unwrap();
    let written = |path: &Path| rox::Format::detect(&std::fs::read(path).unwrap());

    // --to: the format, whatever the extension says (or when it says nothing).
    for (name, to, format) in [
        ("x.dat", "qua", rox::Format::Qua),
        ("x.rox", "osu", rox::Format::Osu),
        ("x", "ssc", rox::Format::Ssc),
    ] {
        let path = dir.join(name);
        let out = rox(&["convert", osu, path.to_str().unwrap(), "--to", to]);
        assert!(
            out.status.success(),
            "{name}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert_eq!(written(&path), Some(format), "{name} --to {to}");
    }

    // --from: the format the input is read as, not the one its content shows.
    let never = dir.join("never.osu");
    let never = never.to_str().unwrap();
    let out = rox(&[
        "convert",
        "--from",
        "osu",
        osu,
        dir.join("y.rox").to_str().unwrap(),
    ]);
    assert!(out.status.success());
    for args in [
        vec!["info", "--from", "qua", osu],
        vec!["validate", "--from", "sm", osu],
        vec!["convert", "--from", "rox", osu, never],
    ] {
        let out = rox(&args);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{args:?}: {stderr}");
        assert!(
            stderr.starts_with(&format!("rox: {osu}: ")),
            "{args:?}: {stderr}"
        );
    }
    assert!(!Path::new(never).exists());
    // In an archive, --from picks the entries read.
    let out = rox(&["info", "--from", "qua", osz]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no .qua chart file (5 other entries)"));
    let out = rox(&["info", "--from", "osu", osz]);
    assert!(String::from_utf8(out.stdout)
        .unwrap()
        .contains("2 chart(s)"));
}

#[test]
fn validate_and_info_take_a_chart_by_name() {
    let osz = common::fixture_path("archives/song.osz");
    let osz = osz.to_str().unwrap();
    let out = rox(&["validate", "--chart", "EASY", osz]);
    assert!(out.status.success());
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        format!("{osz}: valid\n")
    );
    let out = rox(&["info", "--chart", "hard", osz]);
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("chart 1:\n  Someone - Test // Title [Hard]"),
        "{text}"
    );
    assert!(!text.contains("[Easy]"), "{text}");
    let out = rox(&["validate", "--chart", "Normal", osz]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no chart named \"Normal\""));
}

#[test]
fn timeline_gives_each_note_its_beat_snap_and_positions() {
    // tests/fixtures/stepmania/worked.sm: 120 BPM from 0.1 s, a 0.5 s stop at beat 2.
    let sm = common::fixture_path("stepmania/worked.sm");
    let out = rox(&["timeline", sm.to_str().unwrap()]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.starts_with("chart 0 (\"Hard\"), stepmania rules"),
        "{text}"
    );
    for line in [
        "note 0 100000 0.000000 1/1 0.000 0.000",
        "note 1 600000 1.000000 1/1 1.000 1.000",
        "note 3 2100000 3.000000 1/1 3.000 3.000",
    ] {
        assert!(
            text.lines().any(|l| l == line),
            "{line:?} missing from:\n{text}"
        );
    }
    assert!(text.lines().any(|l| l == "bar 100000 measure 0"), "{text}");

    // Other rules on request; JSON with one entry per note.
    let osu = common::fixture_path("osu/full.osu");
    let chart = rox::decode(&std::fs::read(&osu).unwrap(), rox::Format::Auto).unwrap();
    let out = rox(&[
        "timeline",
        osu.to_str().unwrap(),
        "--json",
        "--rules",
        "quaver",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let json = String::from_utf8(out.stdout).unwrap();
    assert!(
        json.starts_with("{\"charts\":[{\"index\":0,\"rules\":\"quaver\",\"notes\":[{\"time_us\":")
    );
    assert_eq!(json.matches("\"snap\":").count(), chart.notes.len());
    // Each note's spacing factor when it is hit: tests/fixtures/stepmania/speeds.ssc's beat 8
    // is hit after its delay, halfway through the 2 -> 0.5 change (1.25, by hand).
    let ssc = common::fixture_path("stepmania/speeds.ssc");
    let out = rox(&["timeline", ssc.to_str().unwrap(), "--json", "--chart", "0"]);
    let json = String::from_utf8(out.stdout).unwrap();
    assert!(
        json.contains("{\"time_us\":9500000,\"beat\":8.0,\"snap\":1,\"start\":8.0,\"end\":8.0,\"speed\":1.25}"),
        "{json}"
    );
    let out = rox(&["timeline", osu.to_str().unwrap(), "--rules", "bogus"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("unknown rules"));
}

#[test]
fn convert_writes_and_reads_rox_json_by_its_double_extension() {
    let Some(corpus) = common::corpus() else {
        return;
    };
    let dir = scratch_dir("cli_rox_json");
    let original = corpus.join("osu/mania_7k.osu");
    let (json_path, rox_path, again) = (
        dir.join("x.rox.json"),
        dir.join("y.rox"),
        dir.join("z.ROX.JSON"),
    );
    for (from, to) in [
        (&original, &json_path),
        (&json_path, &rox_path),
        (&rox_path, &again),
    ] {
        let out = rox(&["convert", from.to_str().unwrap(), to.to_str().unwrap()]);
        assert!(
            out.status.success(),
            "convert {} failed: {}",
            to.display(),
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let text = std::fs::read_to_string(&json_path).unwrap();
    assert!(text.starts_with("{\n  \"format\": \"rox.json\",\n  \"version\": 1,"));
    assert_eq!(std::fs::read(&again).unwrap(), text.as_bytes());
    let chart = rox::decode(text.as_bytes(), rox::Format::Auto).unwrap();
    let expected = rox::decode(&std::fs::read(&original).unwrap(), rox::Format::Osu).unwrap();
    assert_eq!(chart, expected);

    // One file per chart: the label goes before the whole double extension.
    let osz = common::fixture_path("archives/song.osz");
    let set = dir.join("set.rox.json");
    let out = rox(&[
        "convert",
        "--all",
        osz.to_str().unwrap(),
        set.to_str().unwrap(),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    for name in ["Easy", "Hard"] {
        let path = dir.join(format!("set [{name}].rox.json"));
        let chart = rox::decode(&std::fs::read(&path).unwrap(), rox::Format::RoxJson).unwrap();
        assert_eq!(chart.metadata.difficulty_name, name);
    }
}

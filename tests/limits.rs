//! Decode limits: a small hostile file must not build more than `DecodeLimits` allows, for
//! every format and for archives. Generated bombs (far more notes, timing points, text or
//! charts than the limits allow, in a few kilobytes) must fail with `LimitExceeded` naming the
//! limit, and the peak memory of the attempt, measured by a counting allocator, must stay
//! within the bound docs/abi.md states.

use std::io::Write as _;
use std::sync::atomic::Ordering;
use std::sync::Mutex;

use rox::model::{Note, TimingPoint};
use rox::{Chart, DecodeLimits, Error, Format};

#[path = "support/counting_alloc.rs"]
mod counting_alloc;
use counting_alloc::{LIVE, PEAK};

/// Peak measurements need the binary to themselves: one at a time.
static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());

/// The most one decode may take beyond its input, with the default limits: 1M notes and their
/// StepMania cells (40 bytes each, doubled while a vector grows), 500k timing points, 32 MiB of
/// text, and the one inflated archive entry at a time (64 MiB at most). docs/abi.md.
const BOUND_BEYOND_INPUT: usize = 400 << 20;

/// Decodes `bytes` with the default limits; returns the error and the peak bytes taken.
fn attempt(bytes: &[u8], format: Format) -> (rox::Result<rox::ChartSet>, usize) {
    let _guard = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let before = LIVE.load(Ordering::Relaxed);
    PEAK.store(before, Ordering::Relaxed);
    let result = rox::decode_set(bytes, format);
    let peak = PEAK.load(Ordering::Relaxed) - before;
    (result, peak)
}

fn assert_refused(what: &str, bytes: &[u8], field: &str) {
    let (result, peak) = attempt(bytes, Format::Auto);
    match result {
        Err(Error::LimitExceeded { field: f, .. }) if f == field => {}
        Err(e) => panic!("{what}: expected the {field} limit, got: {e}"),
        Ok(set) => panic!(
            "{what}: decoded {} chart(s) past the limits",
            set.charts.len()
        ),
    }
    assert!(
        peak <= bytes.len() + BOUND_BEYOND_INPUT,
        "{what}: {} input bytes took {peak} bytes at the peak",
        bytes.len()
    );
    eprintln!(
        "{what}: {} bytes in, refused at the {field} limit, peak {:.1} MB",
        bytes.len(),
        peak as f64 / 1e6
    );
}

fn zip(entries: &[(String, Vec<u8>)]) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, data) in entries {
        zip.start_file(name.as_str(), options).unwrap();
        zip.write_all(data).unwrap();
    }
    zip.finish().unwrap().into_inner()
}

/// A 4-key StepMania file whose one chart has `rows` rows of `1111`.
fn sm_rows(rows: usize) -> Vec<u8> {
    let mut text = String::from("#TITLE:bomb;\n#BPMS:0=120;\n#NOTES:dance-single::Hard:1::\n");
    text.push_str(&"1111\n".repeat(rows));
    text.push_str(";\n");
    text.into_bytes()
}

fn osu(notes: usize, timing_points: usize) -> Vec<u8> {
    let mut text = String::from(
        "osu file format v14\n\n[General]\nMode: 3\n\n[Difficulty]\nCircleSize:4\n\n[TimingPoints]\n",
    );
    for i in 0..timing_points.max(1) {
        text.push_str(&format!("{i},500,4,1,0,100,1,0\n"));
    }
    text.push_str("\n[HitObjects]\n");
    for i in 0..notes {
        text.push_str(&format!("64,192,{i},1,0,0:0:0:0:\n"));
    }
    text.into_bytes()
}

#[test]
fn bombs_of_every_format_are_refused_within_the_memory_bound() {
    let limits = DecodeLimits::default();
    let over = limits.max_notes as usize / 4 + 1;

    // StepMania: 4 notes a row, a few bytes a row; zipped, 44 KB used to build gigabytes.
    let sm = sm_rows(over);
    assert_refused(".sm of 1111 rows", &sm, "max_notes");
    let sm_zip = zip(&[("bomb.sm".into(), sm)]);
    assert!(sm_zip.len() < 64 << 10, "{} bytes", sm_zip.len());
    assert_refused(".osz holding that .sm", &sm_zip, "max_notes");

    // .rox: about two bytes a tap after compression.
    let mut chart = Chart::new(4);
    chart.timing.push(TimingPoint::bpm(0, 120.0, 4));
    chart.notes = (0..limits.max_notes as i64 + 1)
        .map(|i| Note::tap(i * 1000, (i % 4) as u8))
        .collect();
    let rox = rox::encode(&chart, Format::Rox).unwrap();
    drop(chart);
    assert_refused(".rox of taps", &rox, "max_notes");

    // osu! and Quaver: one note or timing point a line; several charts share one budget.
    let quarter = osu(limits.max_notes as usize / 4 + 1, 1);
    let entries: Vec<(String, Vec<u8>)> = (0..4)
        .map(|i| (format!("{i}.osu"), quarter.clone()))
        .collect();
    assert_refused(".osz of four .osu", &zip(&entries), "max_notes");
    let timing = osu(1, limits.max_timing_points as usize + 1);
    assert_refused(".osu of red lines", &timing, "max_timing_points");
    let mut qua = String::from("Mode: Keys4\nTimingPoints:\n- Bpm: 120\nSliderVelocities:\n");
    qua.push_str(&"- Multiplier: 1\n".repeat(limits.max_timing_points as usize + 1));
    assert_refused(".qua of SVs", qua.as_bytes(), "max_timing_points");

    // BMS: a note or tempo change every two bytes of an object line.
    let bms_notes = format!("#BPM 120\n#00111:{}\n", "01".repeat(over * 4));
    assert_refused(".bms of taps", bms_notes.as_bytes(), "max_notes");
    let tempo = "01".repeat(limits.max_timing_points as usize + 1);
    let bms_tempo = format!("#BPM 120\n#BPM01 60\n#00108:{tempo}\n#00111:01\n");
    assert_refused(
        ".bms of tempo changes",
        bms_tempo.as_bytes(),
        "max_timing_points",
    );
    let bgm = format!(
        "#BPM 120\n#00101:{}\n",
        "01".repeat(limits.max_text_bytes as usize)
    );
    assert_refused(".bms of BGM", bgm.as_bytes(), "max_text_bytes");
}

#[test]
fn text_and_chart_counts_are_limited_too() {
    // A StepMania file copies its song-level data into every chart: many charts, one big tag.
    let mut sm = format!(
        "#TITLE:t;\n#BGCHANGES:{};\n#BPMS:0=120;\n",
        "x".repeat(1 << 20)
    );
    for _ in 0..40 {
        sm.push_str("#NOTES:dance-single::Hard:1::1000\n;\n");
    }
    assert_refused(
        ".sm sharing 1 MB with 40 charts",
        sm.as_bytes(),
        "max_text_bytes",
    );

    let tiny = b"#BPMS:0=120;\n#NOTES:dance-single::Hard:1::1000\n;\n";
    let many = tiny.repeat(DecodeLimits::default().max_charts as usize + 1);
    assert_refused(".sm of many charts", &many, "max_charts");
}

#[test]
fn limits_are_the_caller_s_to_set() {
    let sm = sm_rows(10); // 40 notes
    let at = |max_notes| DecodeLimits {
        max_notes,
        ..DecodeLimits::default()
    };
    let set = rox::decode_set_limited(&sm, Format::Auto, &at(40)).unwrap();
    assert_eq!(set.charts[0].notes.len(), 40);
    let err = rox::decode_set_limited(&sm, Format::Auto, &at(39)).unwrap_err();
    assert!(err.to_string().contains("max_notes"), "{err}");
    // The same bound for every decoder and for one chart.
    let osu = osu(40, 1);
    assert_eq!(
        rox::decode_limited(&osu, Format::Auto, &at(40))
            .unwrap()
            .notes
            .len(),
        40
    );
    assert!(rox::decode_limited(&osu, Format::Auto, &at(39)).is_err());
    let chart = rox::decode(&osu, Format::Auto).unwrap();
    let packed = rox::encode(&chart, Format::Rox).unwrap();
    assert!(rox::decode_limited(&packed, Format::Auto, &at(40)).is_ok());
    assert!(matches!(
        rox::decode_limited(&packed, Format::Auto, &at(39)),
        Err(Error::LimitExceeded {
            field: "max_notes",
            limit: 39,
            ..
        })
    ));
}

/// A set's later charts are checked against what the earlier ones left, but the error names
/// the caller's limit: a file of 1,001 charts passed "more than 0 charts", and a second chart
/// of 30 notes under a limit of 40 "more than 10 notes".
#[test]
fn a_limit_passed_by_a_later_chart_names_the_caller_s_limit() {
    let limit_of = |result: rox::Result<rox::ChartSet>| match result {
        Err(Error::LimitExceeded { field, limit, .. }) => (field, limit),
        other => panic!(
            "expected a limit exceeded, got {:?}",
            other.map(|s| s.charts.len())
        ),
    };
    let tiny = b"#BPMS:0=120;\n#NOTES:dance-single::Hard:1::1000\n;\n";
    let max_charts = DecodeLimits::default().max_charts;
    let many = tiny.repeat(max_charts as usize + 1);
    let err = rox::decode_set(&many, Format::Auto).unwrap_err();
    assert!(
        err.to_string()
            .contains(&format!("more than {max_charts} charts")),
        "{err}"
    );

    let notes_40 = DecodeLimits {
        max_notes: 40,
        ..DecodeLimits::default()
    };
    let chart_of_30 = "#NOTES:dance-single::Hard:1::\n".to_owned() + &"1000\n".repeat(30) + ";\n";
    let two_charts = format!("#BPMS:0=120;\n{chart_of_30}{chart_of_30}");
    let result = rox::decode_set_limited(two_charts.as_bytes(), Format::Auto, &notes_40);
    assert_eq!(limit_of(result), ("max_notes", 40));

    let osz = zip(&[("a.osu".into(), osu(30, 1)), ("b.osu".into(), osu(30, 1))]);
    let result = rox::decode_set_limited(&osz, Format::Auto, &notes_40);
    assert_eq!(limit_of(result), ("max_notes", 40));
}

//! StepMania `.sm` / `.ssc`: worked numbers, fixtures for every timing rule, the corpus read
//! and written back unchanged, simfile as an oracle, and inputs that must never panic.

mod common;
#[path = "stepmania/extreme_timing.rs"]
mod extreme_timing;
#[path = "stepmania/hold_ends.rs"]
mod hold_ends;
#[path = "stepmania/readback.rs"]
mod readback;
#[path = "stepmania/regress.rs"]
mod regress;

use std::collections::BTreeMap;
use std::path::PathBuf;

use rox::formats::stepmania::{decode, encode, is_sm, is_ssc, Dialect};
use rox::model::{ConversionReport, LossKind};
use rox::{Chart, NoteKind, TimingKind};

fn fixture(name: &str) -> Vec<u8> {
    common::fixture(&format!("stepmania/{name}"))
}

fn dialect_of(name: &str) -> Dialect {
    if name.ends_with(".ssc") {
        Dialect::Ssc
    } else {
        Dialect::Sm
    }
}

fn read(bytes: &[u8], dialect: Dialect) -> (Vec<Chart>, ConversionReport) {
    let mut report = ConversionReport::default();
    let charts = decode(bytes, dialect, &mut report).expect("decodes");
    (charts, report)
}

/// A chart's notes as (time, column, kind, duration), to compare with a list written out.
fn notes_of(chart: &Chart) -> Vec<(i64, u8, NoteKind, i64)> {
    chart
        .notes
        .iter()
        .map(|n| (n.time_us, n.column, n.kind, n.duration_us))
        .collect()
}

/// A fixture's bytes and its charts, decoded in the dialect its name gives.
fn decode_fixture(name: &str) -> (Vec<u8>, Vec<Chart>) {
    let bytes = fixture(name);
    let (charts, _) = read(&bytes, dialect_of(name));
    (bytes, charts)
}

fn read_fixture(name: &str) -> (Vec<Chart>, ConversionReport) {
    read(&fixture(name), dialect_of(name))
}

fn write(charts: &[Chart], dialect: Dialect) -> (Vec<u8>, ConversionReport) {
    let mut report = ConversionReport::default();
    let bytes = encode(charts, dialect, &mut report).expect("encodes");
    (bytes, report)
}

/// Note start times in seconds, for comparing with worked numbers.
fn seconds(chart: &Chart) -> Vec<f64> {
    chart.notes.iter().map(|n| n.time_us as f64 / 1e6).collect()
}

fn assert_times(actual: &[f64], expected: &[f64]) {
    assert_eq!(actual.len(), expected.len(), "{actual:?} vs {expected:?}");
    for (a, e) in actual.iter().zip(expected) {
        assert!((a - e).abs() <= 1.5e-6, "{actual:?} vs {expected:?}");
    }
}

/// Reading back what was written gives the same charts, and nothing is reported.
fn assert_round_trip(charts: &[Chart], dialect: Dialect, what: &str) -> Vec<u8> {
    let (bytes, report) = write(charts, dialect);
    assert!(report.is_empty(), "{what}: {:#?}", report.entries);
    let (again, report) = read(&bytes, dialect);
    assert!(report.is_empty(), "{what}: {:#?}", report.entries);
    assert_eq!(again.len(), charts.len(), "{what}");
    for (i, (a, b)) in again.iter().zip(charts).enumerate() {
        assert_eq!(a.notes, b.notes, "{what} chart {i} notes");
        assert_eq!(a.timing, b.timing, "{what} chart {i} timing");
        assert_eq!(a.metadata, b.metadata, "{what} chart {i} metadata");
        assert_eq!(a.extras, b.extras, "{what} chart {i} extras");
        assert_eq!(a.keysounds, b.keysounds, "{what} chart {i} keysounds");
        assert_eq!(a.key_count, b.key_count, "{what} chart {i}");
    }
    bytes
}

#[test]
fn worked_numbers_sm() {
    let (charts, report) = read_fixture("worked.sm");
    assert!(report.is_empty(), "{:?}", report.entries);
    let chart = &charts[0];
    assert_times(
        &seconds(chart),
        &[
            0.1, 0.6, 1.1, 2.1, 2.6, 3.1, 3.6, 4.1, 4.297917, 4.501042, 4.698958,
        ],
    );
    let hold = &chart.notes[4];
    assert_eq!(
        (hold.kind, hold.time_us, hold.end_time_us()),
        (NoteKind::Hold, 2_600_000, 3_100_000)
    );
    // The negative BPM became a 2-beat warp at beat 6: BPMs 120 and 240, a stop, a warp.
    let kinds: Vec<String> = chart
        .timing
        .iter()
        .map(|t| format!("{}@{}", t.kind.name(), t.time_us))
        .collect();
    assert_eq!(
        kinds,
        ["bpm@100000", "stop@1100000", "bpm@2600000", "warp@3100000"]
    );
    assert!(
        matches!(chart.timing[3].kind, TimingKind::Warp { beats } if (beats - 2.0).abs() < 1e-9)
    );
}

#[test]
fn worked_numbers_ssc() {
    let (charts, report) = read_fixture("worked.ssc");
    // The song timing (offset 0.5, 100 BPM) is not the chart's, and no chart uses it.
    assert_eq!(report.entries.len(), 1, "{:?}", report.entries);
    assert_eq!(report.entries[0].kind, LossKind::TimingDropped);
    let chart = &charts[0];
    assert_times(
        &seconds(chart),
        &[0.0, 0.5, 1.25, 2.75, 3.75, 3.75, 4.75, 5.75],
    );
    let kinds: Vec<NoteKind> = chart.notes.iter().map(|n| n.kind).collect();
    assert_eq!(kinds[4], NoteKind::Fake, "beat 4 is in the warp");
    assert!(kinds
        .iter()
        .enumerate()
        .all(|(i, &k)| i == 4 || k == NoteKind::Tap));
    assert_eq!(chart.extra("sm.notes.unjudged"), Some("192=0=1=="));
    assert_eq!(chart.metadata.creator, "tester");
}

#[test]
fn split_timing_follows_stepmania() {
    let (charts, _) = read_fixture("split_timing.ssc");
    let beat1: Vec<i64> = charts.iter().map(|c| c.notes[0].time_us).collect();
    // Own BPM 60 with the song offset; only #OFFSET; only an empty #STOPS; no timing at all.
    assert_eq!(beat1, [1_200_000, 700_000, 700_000, 700_000]);
    assert_eq!(charts[3].key_count, 5);
    assert_eq!(charts[3].metadata.style, "pump-single");
    assert_eq!(charts[0].metadata.difficulty_level, Some(9.0));
    let bytes = assert_round_trip(&charts, Dialect::Ssc, "split timing");
    // The first chart's timing is the song's; the three others differ from it.
    let text = String::from_utf8(bytes).unwrap();
    assert_eq!(text.matches("#BPMS:").count(), 4, "{text}");
}

/// Charts that repeat one timing share its building; one whose building reports something
/// (here an entry StepMania ignores) is built again, so each chart's report names its line.
#[test]
fn repeated_chart_timing_is_read_as_each_chart_has_it() {
    let chart_text = |timing: &str| {
        format!(
            "#NOTEDATA:;\n#STEPSTYPE:dance-single;\n#BPMS:{timing};\n#STOPS:1=0.5;\n\
             #NOTES:\n0000\n0000\n1000\n0000\n;\n"
        )
    };
    let timings = [
        "0=60,4=120",
        "0=60,4=120",
        "0=90",
        "0=60,4=120",
        "0=60,x=1",
        "0=60,x=1",
    ];
    let mut file = "#VERSION:0.83;\n#OFFSET:0;\n#BPMS:0=100;\n".to_owned();
    for timing in timings {
        file.push_str(&chart_text(timing));
    }
    let (charts, report) = read(file.as_bytes(), Dialect::Ssc);
    // Beat 2 at 60 BPM, after the stop at beat 1; at 90 BPM.
    let beat2: Vec<i64> = charts.iter().map(|c| c.notes[0].time_us).collect();
    assert_eq!(
        beat2,
        [2_500_000, 2_500_000, 1_833_333, 2_500_000, 2_500_000, 2_500_000]
    );
    for (chart, timing) in charts.iter().zip(timings) {
        let alone = read(
            format!(
                "#VERSION:0.83;\n#OFFSET:0;\n#BPMS:0=100;\n{}",
                chart_text(timing)
            )
            .as_bytes(),
            Dialect::Ssc,
        );
        assert_eq!(chart.timing, alone.0[0].timing, "{timing}");
        assert_eq!(chart.extras, alone.0[0].extras, "{timing}");
    }
    let ignored: Vec<&str> = report
        .entries
        .iter()
        .filter(|e| e.message.contains("'x=1'"))
        .map(|e| e.message.as_str())
        .collect();
    assert_eq!(ignored.len(), 2, "{ignored:?}");
    assert_ne!(ignored[0], ignored[1]);
}

#[test]
fn keysounds_and_auto_keysounds() {
    let (charts, report) = read_fixture("keysounds.ssc");
    assert!(report.is_empty(), "{:?}", report.entries);
    let chart = &charts[0];
    assert_eq!(
        chart.keysounds,
        ["kick.ogg", "snare.ogg", "hat.ogg", "bass.ogg"]
    );
    let sounds: Vec<(u8, NoteKind, Option<u32>)> = chart
        .notes
        .iter()
        .map(|n| (n.column, n.kind, n.keysound))
        .collect();
    assert_eq!(
        sounds,
        [
            (0, NoteKind::Tap, Some(0)),
            (0, NoteKind::Hold, Some(1)),
            (1, NoteKind::Tap, Some(2)),
            (2, NoteKind::Tap, Some(3)),
        ]
    );
    assert_eq!(chart.extra("sm.notes.autokeysounds"), Some("0=2=2,48=3=3"));
    let bytes = assert_round_trip(&charts, Dialect::Ssc, "keysounds");
    assert!(String::from_utf8(bytes).unwrap().contains("1[0]0K[2]0\n"));
}

#[test]
fn every_note_kind_and_broken_holds() {
    let (charts, report) = read_fixture("kinds.sm");
    let chart = &charts[0];
    let notes = notes_of(chart);
    // The hold in column 1 dies at the F after it, the one at beat 5 at the tap after it, and
    // the last one never ends; tails at beats 0, 3, 4 and 8 close nothing.
    assert_eq!(
        notes,
        [
            (0, 0, NoteKind::Tap, 0),
            (0, 3, NoteKind::Roll, 1_000_000),
            (500_000, 0, NoteKind::Mine, 0),
            (1_000_000, 0, NoteKind::Lift, 0),
            (1_000_000, 1, NoteKind::Fake, 0),
            (3_500_000, 1, NoteKind::Tap, 0),
        ]
    );
    assert_eq!(chart.extra("sm.notes.autokeysounds"), Some("144=0="));
    let messages: Vec<&str> = report.entries.iter().map(|l| l.message.as_str()).collect();
    for expected in [
        "3 hold/roll head(s) without a tail dropped",
        "4 hold tail(s) without a head ignored",
        "1 character(s) beyond the chart's columns ignored",
        "1 unknown note character(s) read as empty",
    ] {
        assert!(
            messages.iter().any(|m| m.contains(expected)),
            "{expected}: {messages:?}"
        );
    }
    assert_eq!(chart.metadata.description, "every kind");
    assert_round_trip(&charts, Dialect::Sm, "kinds");
}

#[test]
fn rows_are_rounded_as_stepmania_rounds_them() {
    let (charts, _) = read_fixture("rows.sm");
    let chart = &charts[0];
    let beat = 60.0 / 180.0;
    let row_times: Vec<f64> = [
        0i64, 2, 13, 103, 192, 230, 269, 307, 346, 384, 411, 439, 466, 494, 521, 549, 579, 675, 765,
    ]
    .iter()
    .map(|&row| -0.05 + row as f64 / 48.0 * beat)
    .collect();
    let mut starts: Vec<f64> = seconds(chart);
    starts.dedup();
    assert_times(&starts, &row_times);
    let bytes = assert_round_trip(&charts, Dialect::Sm, "rows");
    // The 192-line measure stays; the 5- and 7-line ones land on rows only 192 lines hold.
    let text = String::from_utf8(bytes).unwrap();
    let measures: Vec<usize> = text
        .split("#NOTES:")
        .nth(1)
        .unwrap()
        .split(',')
        .map(|m| {
            m.lines()
                .filter(|l| l.len() == 4 && l.bytes().all(|b| b.is_ascii_alphanumeric()))
                .count()
        })
        .collect();
    assert_eq!(measures, [192, 192, 192, 64], "{text}");
}

#[test]
fn gimmicks_round_trip() {
    let (charts, report) = read_fixture("gimmicks.ssc");
    assert!(report.is_empty(), "{:?}", report.entries);
    let chart = &charts[0];
    // Stop on the beat-1 row: the note is hit when it starts; delay on beat 2: after it.
    assert_times(&seconds(chart)[..4], &[0.05, 0.55, 1.75, 2.25]);
    let fakes: Vec<NoteKind> = chart.notes.iter().map(|n| n.kind).collect();
    // Beats 6 (hold) and 7 in the warp and beat 10 in #FAKES are not judged; the mine on the
    // beat-6.5 stop row is, and so is beat 8 after the warp.
    use NoteKind::{Fake, Mine, Tap};
    // (By time: the beat-7 fake and beat 8 share the time after the stop, column 0 first.)
    assert_eq!(
        fakes,
        [Tap, Tap, Tap, Tap, Tap, Tap, Tap, Tap, Fake, Mine, Tap, Fake, Tap, Fake, Tap]
    );
    assert_eq!(chart.notes[9].keysound, Some(0));
    let scrolls = chart
        .timing
        .iter()
        .filter(|t| matches!(t.kind, TimingKind::Scroll { .. }))
        .count();
    assert_eq!(scrolls, 3);
    let meters: Vec<u32> = chart
        .timing
        .iter()
        .filter_map(|t| match t.kind {
            TimingKind::Bpm { meter, .. } => Some(meter),
            _ => None,
        })
        .collect();
    assert_eq!(meters, [4, 3]);
    let bytes = assert_round_trip(&charts, Dialect::Ssc, "gimmicks");
    // The hold inside the warp is written back as it was.
    let text = String::from_utf8(bytes).unwrap();
    assert!(text.contains("2000\n0M[0]00\n0010\n3000\n"), "{text}");
    // As .sm: no scrolls, no #FAKES, warps as negative stops.
    let (sm, report) = write(&charts, Dialect::Sm);
    let kinds: Vec<LossKind> = report.entries.iter().map(|l| l.kind).collect();
    assert!(
        kinds.contains(&LossKind::TimingDropped),
        "{:?}",
        report.entries
    );
    let (back, _) = read(&sm, Dialect::Sm);
    let warps: Vec<i64> = back[0]
        .timing
        .iter()
        .filter(|t| matches!(t.kind, TimingKind::Warp { .. }))
        .map(|t| t.time_us)
        .collect();
    assert_eq!(warps.len(), 1);
    assert_eq!(back[0].notes.len(), chart.notes.len());
}

#[test]
fn negative_values_in_sm_are_warps() {
    let (charts, report) = read_fixture("negative.sm");
    assert!(report.is_empty(), "{:?}", report.entries);
    let chart = &charts[0];
    // Offset 0.1, then the stop at beat −1 moves it by 0.25: beat 0 at 0.15 s.
    // Beat 2 warps to 3 (the −0.5 s stop at 120 BPM), beat 8 to 9 (the huge BPM). The warped
    // notes share their column and time with the judged ones after them, which come first.
    let kinds: Vec<NoteKind> = chart.notes.iter().map(|n| n.kind).collect();
    assert_eq!(kinds[3], NoteKind::Fake);
    assert_eq!(kinds[9], NoteKind::Fake);
    assert_eq!(kinds.iter().filter(|&&k| k == NoteKind::Fake).count(), 2);
    assert_times(
        &seconds(chart),
        &[
            0.15, 0.65, 1.15, 1.15, 1.65, 2.15, 2.65, 3.15, 3.65, 3.65, 4.15, 4.65,
        ],
    );
    assert_round_trip(&charts, Dialect::Sm, "negative");
    assert_round_trip(&charts, Dialect::Ssc, "negative as ssc");
}

#[test]
fn crlf_and_byte_order_mark() {
    for name in ["worked.sm", "gimmicks.ssc", "kinds.sm"] {
        let plain = fixture(name);
        let mut crlf = b"\xEF\xBB\xBF".to_vec();
        for &b in &plain {
            if b == b'\n' {
                crlf.push(b'\r');
            }
            crlf.push(b);
        }
        let dialect = dialect_of(name);
        assert_eq!(is_ssc(&crlf), dialect == Dialect::Ssc, "{name}");
        assert_eq!(is_sm(&crlf), dialect == Dialect::Sm, "{name}");
        assert_eq!(read(&crlf, dialect).0, read(&plain, dialect).0, "{name}");
    }
}

#[test]
fn blank_and_padded_lines_count_as_stepmania_counts_them() {
    // StepMania trims each line of a measure and skips blank ones; every other line is a row,
    // whatever its width. The note is on the third of four rows: beat 2, 2 s at 60 BPM.
    let chart = |lines: &str| {
        let text =
            format!("#BPMS:0=60;\n#NOTES:dance-single::Hard:1:0,0,0,0,0:\n{lines},\n0000\n;\n");
        read(text.as_bytes(), Dialect::Sm).0
    };
    let plain = chart("0000\n0000\n1000\n0000\n");
    assert_eq!(seconds(&plain[0]), [2.0]);
    for lines in [
        "0000\n\n  0000\t\n1000\r\n0000\r\n",
        "00000\n\r\n0000\r\n1000\n0000",
        "\n0000\r\n000\n1000\n\n0000\n\n",
        "0000\n0000\n   1000\n0000\r\n",
    ] {
        assert_eq!(chart(lines), plain, "{lines:?}");
    }
    // A line of other bytes than 0 is a row too, though nothing is on it.
    assert_eq!(seconds(&chart("0000\n00 0\n0000\n1000\n")[0]), [3.0]);
}

#[test]
fn blank_and_hopeless_files_are_clear_errors() {
    let mut inputs: Vec<(String, Vec<u8>)> = vec![
        ("empty".into(), Vec::new()),
        ("no chart".into(), b"#TITLE:x;\n#BPMS:0=120;".to_vec()),
        ("utf-16".into(), b"\xFF\xFE#\0T\0".to_vec()),
        (
            "short #NOTES".into(),
            b"#NOTES:dance-single:x:Hard;".to_vec(),
        ),
    ];
    if let Some(corpus) = common::corpus() {
        for name in ["blank.sm", "blank.ssc"] {
            inputs.push((
                name.into(),
                std::fs::read(corpus.join("edge").join(name)).unwrap(),
            ));
        }
    }
    for (what, bytes) in inputs {
        for dialect in [Dialect::Sm, Dialect::Ssc] {
            let mut report = ConversionReport::default();
            let error = decode(&bytes, dialect, &mut report).expect_err(&what);
            assert!(!error.to_string().is_empty());
        }
    }
}

#[test]
fn hostile_values_never_panic_or_hang() {
    let wide = format!("#NOTES:dance-single::Hard:1::{};", "1".repeat(100_000));
    let long = format!(
        "#BPMS:0=120;#NOTES:dance-single::Hard:1::{}1000;",
        ",\n".repeat(200_000)
    );
    let cases: Vec<Vec<u8>> = vec![
        b"#BPMS:0=1e308;#NOTES:dance-single::Hard:1::1000,1000;".to_vec(),
        b"#BPMS:0=0;#STOPS:0=0;#NOTES:dance-single::Hard:1::1000;".to_vec(),
        b"#OFFSET:-1e300;#BPMS:-5=-120,-1=-1,1e300=-1e300;#STOPS:-1e308=-1e308,1=-1e308;#DELAYS:-1=-1;#NOTES:dance-single::Hard:-1:x:1000,0100;".to_vec(),
        b"#BPMS:0=1e-300;#NOTES:dance-single::Hard:1::0000,1000;".to_vec(),
        b"#BPMS:0=120;#WARPS:0=1e308;#STOPS:1e20=5;#NOTES:dance-single::Hard:1::1000\n1000\n2000\n3000".to_vec(),
        b"#TITLE:\xFF\xFE\xC3;#BPMS:0=nan,1=inf;#NOTES:\xFF:\xFE:Hard:1::1[99999999999999999999]0[-1]K[x]2[;".to_vec(),
        b"#NOTES:::::::".to_vec(),
        b"#NOTES:unknown-type::::: ".to_vec(),
        b"#NOTES:unknown-type:::::0000000000000000000000000".to_vec(),
        wide.into_bytes(),
        long.into_bytes(),
    ];
    for case in cases {
        for dialect in [Dialect::Sm, Dialect::Ssc] {
            let ssc;
            let bytes = match dialect {
                Dialect::Sm => &case,
                Dialect::Ssc => {
                    ssc = [
                        b"#VERSION:0.83;#NOTEDATA:;".as_slice(),
                        &case.replace_notes(),
                    ]
                    .concat();
                    &ssc
                }
            };
            let mut report = ConversionReport::default();
            if let Ok(charts) = decode(bytes, dialect, &mut report) {
                for chart in &charts {
                    assert!(
                        chart.validate().iter().all(|i| !i.kind.is_fatal()),
                        "{:?}",
                        chart.validate()
                    );
                }
                let _ = encode(&charts, dialect, &mut ConversionReport::default());
            }
        }
    }
}

/// The `.sm` `#NOTES:type:desc:diff:meter:radar:data` of the hostile cases as `.ssc` tags.
trait ReplaceNotes {
    fn replace_notes(&self) -> Vec<u8>;
}

impl ReplaceNotes for Vec<u8> {
    fn replace_notes(&self) -> Vec<u8> {
        let text = String::from_utf8_lossy(self).into_owned();
        match text.find("#NOTES:") {
            Some(i) => {
                let fields: Vec<&str> = text[i + 7..].splitn(6, ':').collect();
                let head = &text[..i];
                let steps = fields.first().copied().unwrap_or("");
                let data = fields.last().copied().unwrap_or("");
                format!("{head}#STEPSTYPE:{steps};#NOTES:{data}").into_bytes()
            }
            None => self.clone(),
        }
    }
}

#[test]
fn every_prefix_and_byte_flip_is_ok_or_an_error() {
    for name in ["gimmicks.ssc", "kinds.sm"] {
        let bytes = fixture(name);
        let dialect = dialect_of(name);
        let mut decoded = 0;
        let check = |input: &[u8]| {
            let Ok(charts) = decode(input, dialect, &mut ConversionReport::default()) else {
                return;
            };
            decoded += 1;
            // Whatever is written without a loss reads back as the same charts.
            let mut report = ConversionReport::default();
            if let Ok(written) = encode(&charts, dialect, &mut report) {
                if report.is_empty() {
                    let again = decode(&written, dialect, &mut ConversionReport::default());
                    assert_eq!(
                        again.ok().as_ref(),
                        Some(&charts),
                        "{name} mutant:\n{}",
                        String::from_utf8_lossy(input)
                    );
                }
            }
        };
        common::for_each_mutant(&bytes, b"#:;,\n/\\[2-\xff", check);
        assert!(
            decoded > bytes.len(),
            "{name}: only {decoded} mutants decoded, too few for the test to mean much"
        );
    }
}

#[test]
fn ten_thousand_bpm_changes_decode_and_encode_exactly() {
    let bpms: Vec<String> = (0..10_000)
        .map(|i| format!("{}={}", i, 120 + i % 50))
        .collect();
    let notes = "1000\n0100\n0010\n0001\n,\n".repeat(10_000);
    let text = format!(
        "#VERSION:0.83;#OFFSET:0;#BPMS:{};#NOTEDATA:;#STEPSTYPE:dance-single;#NOTES:{notes};",
        bpms.join(",")
    );
    let (charts, _) = read(text.as_bytes(), Dialect::Ssc);
    let (bytes, report) = write(&charts, Dialect::Ssc);
    assert!(
        report.is_empty(),
        "{:?}",
        &report.entries[..report.entries.len().min(3)]
    );
    assert_eq!(charts[0].notes.len(), 40_000);
    assert_eq!(charts[0].timing.len(), 10_000);
    assert!(bytes.len() > 100_000);
}

/// A chart from another game: every reported snap accounts for the note's new time exactly.
#[test]
fn osu_chart_written_as_stepmania_reports_every_move() {
    let Some(corpus) = common::corpus() else {
        return;
    };
    for name in ["mania_7k.osu", "mania_hitsound.osu", "mania_4k.osu"] {
        let chart =
            rox::formats::osu::decode(&std::fs::read(corpus.join("osu").join(name)).unwrap())
                .unwrap();
        for dialect in [Dialect::Sm, Dialect::Ssc] {
            let (bytes, report) = write(std::slice::from_ref(&chart), dialect);
            let mut expected: Vec<(i64, u8)> =
                chart.notes.iter().map(|n| (n.time_us, n.column)).collect();
            for loss in &report.entries {
                if loss.kind == LossKind::NoteSnapped && loss.message.starts_with("note") {
                    let i = loss.index.unwrap();
                    expected[i].0 += loss.shift_us;
                }
            }
            let dropped = report
                .entries
                .iter()
                .filter(|l| l.kind == LossKind::NoteDropped)
                .count();
            let (back, _) = read(&bytes, dialect);
            let mut actual: Vec<(i64, u8)> = back[0]
                .notes
                .iter()
                .map(|n| (n.time_us, n.column))
                .collect();
            expected.sort();
            actual.sort();
            if dropped == 0 {
                assert_eq!(actual, expected, "{name} as {dialect:?}");
            } else {
                assert_eq!(
                    actual.len() + dropped,
                    expected.len(),
                    "{name} as {dialect:?}"
                );
            }
            assert_eq!(back[0].key_count, chart.key_count);
            let sounds = chart.notes.iter().any(|n| n.sound != Default::default());
            let sound_losses = report
                .entries
                .iter()
                .filter(|l| l.kind == LossKind::SoundDropped)
                .count();
            assert_eq!(
                sound_losses,
                usize::from(sounds),
                "{name}: one summary per chart"
            );
        }
    }
}

/// Notes before the first BPM point: beat 0 moves whole measures earlier, nothing is dropped.
#[test]
fn notes_before_the_first_bpm_are_kept() {
    let mut chart = Chart::new(4);
    chart
        .timing
        .push(rox::TimingPoint::bpm(1_000_000, 120.0, 4));
    chart.notes.push(rox::Note::tap(-1_000_000, 0));
    chart.notes.push(rox::Note::tap(1_500_000, 1));
    let (bytes, report) = write(std::slice::from_ref(&chart), Dialect::Sm);
    assert_eq!(report.entries.len(), 1, "{:?}", report.entries);
    assert_eq!(report.entries[0].kind, LossKind::TimingChanged);
    // One measure of 120 BPM (2 s) in front of the first BPM point.
    assert_eq!(report.entries[0].shift_us, -2_000_000);
    let (back, _) = read(&bytes, Dialect::Sm);
    assert_eq!(back[0].notes, chart.notes);
}

// ---------------------------------------------------------------------------------------------
// The corpus: read, written back, compared as StepMania sees the files.

fn corpus_files() -> Vec<PathBuf> {
    let Some(corpus) = common::corpus() else {
        return Vec::new();
    };
    ["4k.sm", "nekonabe.sm", "Springtime.ssc", "L9.ssc"]
        .iter()
        .map(|n| corpus.join("stepmania").join(n))
        .collect()
}

/// A small independent reading of a simfile for comparisons: per chart, its note cells
/// (row, column, text) and its effective timing tags as (beat row, values).
struct Raw {
    charts: Vec<RawChart>,
}

#[derive(Debug, PartialEq)]
struct RawChart {
    cells: Vec<(i64, usize, String)>,
    timing: BTreeMap<String, Vec<(i64, Vec<String>)>>,
}

fn raw_tags(text: &str) -> Vec<(String, Vec<String>)> {
    let mut clean = String::new();
    for line in text.lines() {
        clean.push_str(line.split("//").next().unwrap());
        clean.push('\n');
    }
    clean
        .split('#')
        .skip(1)
        .filter_map(|t| {
            let t = t.split(';').next()?;
            let mut parts = t.split(':').map(str::to_owned);
            Some((parts.next()?.trim().to_ascii_uppercase(), parts.collect()))
        })
        .collect()
}

fn raw_cells(data: &str) -> Vec<(i64, usize, String)> {
    let mut cells = Vec::new();
    for (m, measure) in data.split(',').filter(|m| !m.is_empty()).enumerate() {
        let lines: Vec<&str> = measure
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .collect();
        for (l, line) in lines.iter().enumerate() {
            let row = 192 * m as i64 + ((384 * l + lines.len()) / (2 * lines.len())) as i64;
            let mut column = 0;
            let mut chars = line.chars().peekable();
            while let Some(c) = chars.next() {
                let mut text = c.to_string();
                if chars.peek() == Some(&'[') {
                    for k in chars.by_ref() {
                        text.push(k);
                        if k == ']' {
                            break;
                        }
                    }
                }
                if c != '0' {
                    cells.push((row, column, text));
                }
                column += 1;
            }
        }
    }
    cells.sort();
    cells
}

fn raw_timing(tags: &[(String, Vec<String>)]) -> BTreeMap<String, Vec<(i64, Vec<String>)>> {
    let mut timing = BTreeMap::new();
    for (name, params) in tags {
        let name = if name == "FREEZES" {
            "STOPS"
        } else {
            name.as_str()
        };
        if ![
            "OFFSET",
            "BPMS",
            "STOPS",
            "DELAYS",
            "WARPS",
            "TIMESIGNATURES",
            "TICKCOUNTS",
            "COMBOS",
            "SPEEDS",
            "SCROLLS",
            "FAKES",
            "LABELS",
        ]
        .contains(&name)
        {
            continue;
        }
        let value = params.first().map_or("", String::as_str);
        let mut entries: Vec<(i64, Vec<String>)> = if name == "OFFSET" {
            vec![(0, vec![value.trim().parse::<f64>().unwrap().to_string()])]
        } else {
            value
                .split(',')
                .filter(|e| !e.trim().is_empty())
                .map(|e| {
                    let mut parts = e.split('=').map(str::trim);
                    let beat: f64 = parts.next().unwrap().parse().unwrap();
                    let values = parts
                        .map(|p| p.parse::<f64>().map_or(p.to_owned(), |v| v.to_string()))
                        .collect();
                    ((beat * 48.0).round() as i64, values)
                })
                .collect()
        };
        entries.sort_by_key(|e| e.0);
        timing.insert(name.to_owned(), entries);
    }
    timing
}

fn raw(bytes: &[u8], dialect: Dialect) -> Raw {
    let text = String::from_utf8_lossy(bytes)
        .trim_start_matches('\u{feff}')
        .to_owned();
    let tags = raw_tags(&text);
    let mut charts = Vec::new();
    match dialect {
        Dialect::Sm => {
            let song = raw_timing(&tags);
            for (name, params) in &tags {
                if name == "NOTES" || name == "NOTES2" {
                    charts.push(RawChart {
                        cells: raw_cells(&params[5]),
                        timing: song.clone(),
                    });
                }
            }
        }
        Dialect::Ssc => {
            let start = tags.iter().position(|t| t.0 == "NOTEDATA").unwrap();
            let song = raw_timing(&tags[..start]);
            let mut chart_tags: Vec<(String, Vec<String>)> = Vec::new();
            for tag in &tags[start..] {
                match tag.0.as_str() {
                    "NOTEDATA" => chart_tags.clear(),
                    "NOTES" | "NOTES2" => {
                        let own = raw_timing(&chart_tags);
                        let mut timing = if own.keys().any(|k| k != "OFFSET") {
                            own
                        } else {
                            song.clone()
                        };
                        timing
                            .entry("OFFSET".into())
                            .or_insert_with(|| song["OFFSET"].clone());
                        charts.push(RawChart {
                            cells: raw_cells(&tag.1[0]),
                            timing,
                        });
                    }
                    _ => chart_tags.push(tag.clone()),
                }
            }
        }
    }
    Raw { charts }
}

#[test]
fn corpus_round_trips_row_for_row() {
    for path in corpus_files() {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let dialect = dialect_of(&name);
        let bytes = std::fs::read(&path).unwrap();
        let (charts, decode_report) = read(&bytes, dialect);
        let written = assert_round_trip(&charts, dialect, &name);
        let (source, copy) = (raw(&bytes, dialect), raw(&written, dialect));
        assert_eq!(source.charts.len(), copy.charts.len(), "{name}");
        let orphan_tails: usize = decode_report
            .entries
            .iter()
            .filter(|l| l.message.contains("tail(s) without a head"))
            .map(|l| {
                l.message
                    .split_whitespace()
                    .find_map(|w| w.parse::<usize>().ok().filter(|_| true))
                    .unwrap_or(0)
            })
            .sum();
        let mut tails_missing = 0;
        for (i, (a, b)) in source.charts.iter().zip(&copy.charts).enumerate() {
            let notes = |c: &RawChart| {
                c.cells
                    .iter()
                    .filter(|c| c.2 != "3")
                    .cloned()
                    .collect::<Vec<_>>()
            };
            assert_eq!(notes(a), notes(b), "{name} chart {i}: note cells");
            let tails = |c: &RawChart| {
                c.cells
                    .iter()
                    .filter(|c| c.2 == "3")
                    .cloned()
                    .collect::<Vec<_>>()
            };
            let (ta, tb) = (tails(a), tails(b));
            assert!(tb.iter().all(|t| ta.contains(t)), "{name} chart {i}: tails");
            tails_missing += ta.len() - tb.len();
            // Timing as StepMania reads it: a redundant first 4/4 signature is written anyway.
            let mut ta = a.timing.clone();
            let tb = b.timing.clone();
            ta.entry("TIMESIGNATURES".into())
                .or_insert_with(|| vec![(0, vec!["4".into(), "4".into()])]);
            for (tag, entries) in &ta {
                if entries.is_empty() && !tb.contains_key(tag) {
                    continue;
                }
                assert_eq!(Some(entries), tb.get(tag), "{name} chart {i}: #{tag}");
            }
        }
        assert_eq!(
            tails_missing, orphan_tails,
            "{name}: only orphan tails are gone"
        );
    }
}

// ---------------------------------------------------------------------------------------------
// simfile 2.1.1 as the oracle (tests/oracle/stepmania_oracle.py).

#[test]
fn note_times_agree_with_simfile() {
    let Some(python) = common::oracle_python("simfile") else {
        return;
    };
    let fixtures = [
        "worked.ssc",
        "split_timing.ssc",
        "keysounds.ssc",
        "gimmicks.ssc",
        "rows.sm",
    ];
    let mut files: Vec<PathBuf> = corpus_files();
    files.extend(
        fixtures
            .iter()
            .map(|f| common::fixture_path(&format!("stepmania/{f}"))),
    );
    let mut compared = 0;
    for path in files {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let output = common::run_oracle(&python, "stepmania_oracle.py", &[&path]);
        let mut expected: Vec<(usize, i64, u8, String, Option<i64>)> = Vec::new();
        let mut keysounds: BTreeMap<usize, usize> = BTreeMap::new();
        for line in output.lines() {
            let f: Vec<&str> = line.split('\t').collect();
            let chart: usize = f[0].parse().unwrap();
            if f[3] == "keysound" {
                *keysounds.entry(chart).or_default() += 1;
                continue;
            }
            expected.push((
                chart,
                f[1].parse().unwrap(),
                f[2].parse().unwrap(),
                f[3].into(),
                f[4].parse().ok(),
            ));
        }
        let (charts, _) = read(&std::fs::read(&path).unwrap(), dialect_of(&name));
        let mut actual = Vec::new();
        for (i, chart) in charts.iter().enumerate() {
            for n in &chart.notes {
                let end = n.kind.has_duration().then(|| n.end_time_us());
                actual.push((i, n.time_us, n.column, n.kind.name().to_owned(), end));
            }
            let autos = chart
                .extra("sm.notes.autokeysounds")
                .map_or(0, |v| v.split(',').count());
            assert_eq!(
                autos,
                keysounds.get(&i).copied().unwrap_or(0),
                "{name} chart {i}: K notes"
            );
        }
        let key = |n: &(usize, i64, u8, String, Option<i64>)| (n.0, n.1, n.2);
        expected.sort_by_key(key);
        actual.sort_by_key(key);
        assert_eq!(actual.len(), expected.len(), "{name}: note count");
        for (a, e) in actual.iter().zip(&expected) {
            let close = |x: i64, y: i64| (x - y).abs() <= 1;
            let ends = match (a.4, e.4) {
                (Some(x), Some(y)) => close(x, y),
                (x, y) => x == y,
            };
            assert!(
                a.0 == e.0 && close(a.1, e.1) && a.2 == e.2 && a.3 == e.3 && ends,
                "{name}: ROX {a:?} vs simfile {e:?}"
            );
        }
        compared += actual.len();
    }
    eprintln!("simfile agrees on {compared} notes (within 1 µs)");
}

// ---------------------------------------------------------------------------------------------
// Reports that account for every change: conversions from charts not made for StepMania.

/// Writes `chart`, reads it back, and checks that every note is where the report says: its
/// start moved by its `NoteSnapped` shift (else not at all), its end by its `HoldEndSnapped`
/// shift (else not at all), and exactly the `NoteDropped` notes are missing. Returns the report.
fn assert_report_accounts_for_every_note(chart: &Chart, dialect: Dialect) -> ConversionReport {
    let (bytes, report) = write(std::slice::from_ref(chart), dialect);
    let shift = |kind: LossKind, i: usize| {
        report
            .entries
            .iter()
            .find(|l| l.kind == kind && l.index == Some(i))
            .map(|l| l.shift_us)
    };
    let mut expected: Vec<(i64, u8, i64)> = Vec::new();
    for (i, n) in chart.notes.iter().enumerate() {
        if let Some(dropped) = report
            .entries
            .iter()
            .find(|l| l.kind == LossKind::NoteDropped && l.index == Some(i))
        {
            assert_eq!(dropped.time_us, Some(n.time_us), "{dropped}");
            continue;
        }
        let start = n.time_us + shift(LossKind::NoteSnapped, i).unwrap_or(0);
        let end = if n.kind.has_duration() {
            n.end_time_us() + shift(LossKind::HoldEndSnapped, i).unwrap_or(0)
        } else {
            start
        };
        expected.push((start, n.column, end));
    }
    let (back, _) = read(&bytes, dialect);
    let mut actual: Vec<(i64, u8, i64)> = back[0]
        .notes
        .iter()
        .map(|n| (n.time_us, n.column, n.end_time_us()))
        .collect();
    expected.sort();
    actual.sort();
    assert_eq!(actual, expected, "{dialect:?}: {:#?}", report.entries);
    report
}

/// osu!'s `mania_hitsound.osu` opens with holds from 420 ms to a BPM change at 1174 ms that is
/// not on the 1/48-beat grid of the BPM before it. That tempo is tuned (reported) so that the
/// change keeps its time: starts and those ends are exact; an end elsewhere moves, and says so
/// as a hold end, not as its start.
#[test]
fn hold_ends_that_move_are_reported_apart_from_their_starts() {
    let mut chart = Chart::new(4);
    chart.timing.push(rox::TimingPoint::bpm(
        420_000,
        60_000.0 / 377.358490566038,
        4,
    ));
    chart.timing.push(rox::TimingPoint::bpm(
        1_174_000,
        60_000.0 / 413.793103448276,
        4,
    ));
    chart.notes.push(rox::Note::hold(420_000, 754_000, 1));
    chart.notes.push(rox::Note::hold(420_000, 754_000, 2));
    chart.notes.push(rox::Note::hold(420_000, 960_000, 3));
    chart.notes.push(rox::Note::tap(1_174_000, 0));
    for dialect in [Dialect::Sm, Dialect::Ssc] {
        let report = assert_report_accounts_for_every_note(&chart, dialect);
        let of = |kind| -> Vec<_> {
            report
                .entries
                .iter()
                .filter(|l| l.kind == kind)
                .map(|l| l.index)
                .collect()
        };
        assert_eq!(of(LossKind::NoteSnapped), [], "{:#?}", report.entries);
        assert_eq!(
            of(LossKind::HoldEndSnapped),
            [Some(2)],
            "{:#?}",
            report.entries
        );
        // The first BPM is retuned; the second is not moved.
        assert_eq!(
            of(LossKind::TimingChanged),
            [Some(0)],
            "{:#?}",
            report.entries
        );
    }
}

/// A BPM change far off the grid (more than a 1 % retune away) still moves, and says so; the
/// notes placed through it are reported where they land.
#[test]
fn bpm_changes_off_the_grid_keep_their_time_or_are_reported() {
    let mut chart = Chart::new(4);
    chart.timing.push(rox::TimingPoint::bpm(0, 120.0, 4));
    // 1/96 beat after beat 1: half a row, more than a 1 % retune of one beat away.
    chart.timing.push(rox::TimingPoint::bpm(505_208, 200.0, 4));
    // 0.2 beats of 200 BPM later: out of reach too.
    chart
        .timing
        .push(rox::TimingPoint::bpm(505_208 + 60_000, 90.0, 4));
    for (i, t) in [0, 505_208, 565_208, 1_000_000, 2_000_000]
        .into_iter()
        .enumerate()
    {
        chart.notes.push(rox::Note::tap(t, (i % 4) as u8));
    }
    for dialect in [Dialect::Sm, Dialect::Ssc] {
        let report = assert_report_accounts_for_every_note(&chart, dialect);
        assert!(report
            .entries
            .iter()
            .all(|l| l.kind == LossKind::TimingChanged || l.kind == LossKind::NoteSnapped));
    }
}

/// Quaver's `overlap-inside-ln.qua`: a hold from 0 to 1090 ms at 110 BPM with a note inside it
/// in its column. The note is dropped (named), the hold's end snaps +909 µs, its start stays.
#[test]
fn note_inside_a_hold_is_dropped_and_the_hold_end_snap_is_its_own() {
    let mut chart = Chart::new(4);
    chart.timing.push(rox::TimingPoint::bpm(0, 110.0, 4));
    chart.notes.push(rox::Note::hold(0, 1_090_000, 0));
    chart.notes.push(rox::Note::tap(545_000, 0));
    for dialect in [Dialect::Sm, Dialect::Ssc] {
        let report = assert_report_accounts_for_every_note(&chart, dialect);
        let end = report
            .entries
            .iter()
            .find(|l| l.kind == LossKind::HoldEndSnapped)
            .unwrap();
        assert_eq!((end.index, end.shift_us), (Some(0), 909));
        assert!(!report
            .entries
            .iter()
            .any(|l| l.kind == LossKind::NoteSnapped));
        assert!(report
            .entries
            .iter()
            .any(|l| l.kind == LossKind::NoteDropped && l.index == Some(1)));
    }
}

/// Quaver's `overlap-start-times.qua`: two notes at one time in one column. A StepMania cell
/// holds one, so the second is dropped and named; so is one that only snaps onto another's row,
/// and a hold on a tap's row leaves no stray tail behind.
#[test]
fn notes_sharing_a_cell_are_reported_dropped() {
    let mut chart = Chart::new(4);
    chart.timing.push(rox::TimingPoint::bpm(0, 110.0, 4));
    chart.notes.push(rox::Note::tap(0, 1));
    chart.notes.push(rox::Note::tap(0, 1));
    // 1 ms after a tap: the same 1/48-beat row.
    chart.notes.push(rox::Note::tap(1_000_000, 2));
    chart.notes.push(rox::Note::tap(1_001_000, 2));
    // A tap, then a hold on its row.
    chart.notes.push(rox::Note::tap(2_000_000, 3));
    chart.notes.push(rox::Note::hold(2_000_000, 500_000, 3));
    // One row after a hold's end: a hold that must give way a row, and says how far in all.
    chart.notes.push(rox::Note::hold(3_000_000, 1_000_000, 0));
    chart.notes.push(rox::Note::tap(4_000_000, 0));
    for dialect in [Dialect::Sm, Dialect::Ssc] {
        let report = assert_report_accounts_for_every_note(&chart, dialect);
        let dropped: Vec<usize> = report
            .entries
            .iter()
            .filter(|l| l.kind == LossKind::NoteDropped)
            .map(|l| l.index.expect("a dropped note is named"))
            .collect();
        assert_eq!(dropped, [1, 3, 5], "{:#?}", report.entries);
        let ends: Vec<_> = report
            .entries
            .iter()
            .filter(|l| l.kind == LossKind::HoldEndSnapped)
            .collect();
        assert_eq!(ends.len(), 1, "{ends:#?}");
        assert_eq!(ends[0].index, Some(6));
    }
}

/// Quaver allows `Bpm: 0`. StepMania ignores such a BPM and so does the writer, saying so;
/// nothing divides by zero, and the notes after it keep their times. `.osu` likewise.
#[test]
fn zero_bpm_is_left_out_and_reported() {
    let mut chart = Chart::new(4);
    chart.timing.push(rox::TimingPoint::bpm(0, 0.0, 4));
    chart.timing.push(rox::TimingPoint::bpm(500_000, 120.0, 4));
    chart.timing.push(rox::TimingPoint::bpm(1_000_000, 0.0, 4));
    chart
        .timing
        .push(rox::TimingPoint::bpm(2_000_000, 120.0, 4));
    for (i, t) in [500_000, 1_000_000, 1_500_000, 2_000_000, 2_500_000]
        .into_iter()
        .enumerate()
    {
        chart.notes.push(rox::Note::tap(t, (i % 4) as u8));
    }
    for dialect in [Dialect::Sm, Dialect::Ssc] {
        let report = assert_report_accounts_for_every_note(&chart, dialect);
        let dropped: Vec<_> = report
            .entries
            .iter()
            .filter(|l| l.kind == LossKind::TimingDropped)
            .map(|l| (l.index, l.time_us))
            .collect();
        assert_eq!(
            dropped,
            [(Some(0), Some(0)), (Some(2), Some(1_000_000))],
            "{:#?}",
            report.entries
        );
        assert!(!report
            .entries
            .iter()
            .any(|l| l.kind == LossKind::NoteSnapped));
    }

    let mut report = ConversionReport::default();
    let bytes = rox::formats::osu::encode(&chart, &mut report).expect("encodes");
    let text = String::from_utf8(bytes).unwrap();
    assert!(!text.contains("inf"), "{text}");
    let dropped: Vec<_> = report
        .entries
        .iter()
        .filter(|l| l.kind == LossKind::TimingDropped)
        .map(|l| (l.index, l.time_us))
        .collect();
    assert_eq!(dropped, [(Some(0), Some(0)), (Some(2), Some(1_000_000))]);
    let back = rox::formats::osu::decode(text.as_bytes()).expect("decodes");
    assert_eq!(back.notes, chart.notes);
    assert_eq!(back.timing.len(), 2, "{:?}", back.timing);
}

#[test]
fn a_chart_without_a_steps_type_reads_back_the_same() {
    // Found by fuzzing: the writer gives such a chart a steps type, so the reader must too.
    let ssc = b"#VERSION:0.83;\n#BPMS:0=120;\n#NOTEDATA:;\n#DIFFICULTY:Hard;\n#NOTES:\n1000\n0100\n0010\n0001\n;\n";
    let (charts, _) = read(ssc, Dialect::Ssc);
    assert_eq!(charts[0].metadata.style, "dance-single");
    assert_eq!(charts[0].key_count, 4);
    assert_round_trip(&charts, Dialect::Ssc, "chart without #STEPSTYPE");
}

#[test]
fn a_keysound_list_naming_a_file_twice_reads_back_the_same() {
    // Found by fuzzing: the writer merged the duplicate and every later index moved.
    let sm = b"#KEYSOUNDS:a.ogg,b.ogg,a.ogg,c.ogg;\n#BPMS:0=120;\n#NOTES:dance-single::Hard:1::\n1[2]000\n01[3]00\n001[0]0\n0001[1]\n;\n";
    let (charts, _) = read(sm, Dialect::Sm);
    assert_eq!(charts[0].keysounds, ["a.ogg", "b.ogg", "a.ogg", "c.ogg"]);
    assert_round_trip(&charts, Dialect::Sm, "duplicate keysound names");
}

#[test]
fn an_artist_given_only_as_transliteration_reads_back_the_same() {
    // Found by fuzzing: an empty #ARTIST beside #ARTISTTRANSLIT.
    let sm = b"#ARTIST:;\n#ARTISTTRANSLIT:saisei;\n#BPMS:0=120;\n#NOTES:dance-single::Hard:1::\n1000\n0100\n0010\n0001\n;\n";
    let (charts, _) = read(sm, Dialect::Sm);
    assert_eq!(
        (
            charts[0].metadata.artist.as_str(),
            charts[0].metadata.artist_unicode.as_str()
        ),
        ("saisei", "saisei")
    );
    assert_round_trip(&charts, Dialect::Sm, "transliteration only");
}

/// StepMania reads simfiles as UTF-8 only. A text field the model has a place for keeps its
/// valid text with each invalid sequence replaced by U+FFFD, and the report names the field and
/// its line (`MetadataDropped`); a tag kept as an extra gets the same replacement and report.
/// The replaced text is then what the chart says: it is written and read back as it is, with
/// nothing more reported.
#[test]
fn invalid_utf8_in_text_fields_is_replaced_and_reported() {
    let sm = b"#TITLE:Caf\xE9;\n#ARTIST:ok;\n#BANNER:b\xFFn.png;\n#BPMS:0=120;\n\
               #NOTES:dance-single:desc\xC3:Hard:1::\n1000\n;\n";
    let ssc = b"#VERSION:0.83;\n#GENRE:\xF0\x9F;\n#BPMS:0=120;\n#NOTEDATA:;\n\
                #STEPSTYPE:dance-single;\n#CREDIT:me\x80;\n#NOTES:\n1000\n;\n";
    let expected = [
        (
            Dialect::Sm,
            &sm[..],
            vec![
                "#TITLE (line 1) is not valid UTF-8: invalid bytes replaced",
                "#BANNER (line 3) is not valid UTF-8: invalid bytes replaced",
                "chart description (line 5) is not valid UTF-8: invalid bytes replaced",
            ],
        ),
        (
            Dialect::Ssc,
            &ssc[..],
            vec![
                "#GENRE (line 2) is not valid UTF-8: invalid bytes replaced",
                "#CREDIT (line 6) is not valid UTF-8: invalid bytes replaced",
            ],
        ),
    ];
    for (dialect, bytes, messages) in expected {
        let (charts, report) = read(bytes, dialect);
        let entries: Vec<(LossKind, &str)> = report
            .entries
            .iter()
            .map(|e| (e.kind, e.message.as_str()))
            .collect();
        let want: Vec<(LossKind, &str)> = messages
            .iter()
            .map(|m| (LossKind::MetadataDropped, *m))
            .collect();
        assert_eq!(entries, want);
        assert_round_trip(&charts, dialect, "text with replaced bytes");
    }
    let (charts, _) = read(sm, Dialect::Sm);
    let m = &charts[0].metadata;
    assert_eq!((m.title.as_str(), m.artist.as_str()), ("Caf\u{FFFD}", "ok"));
    assert_eq!(m.description, "desc\u{FFFD}");
    assert_eq!(charts[0].extra("sm.BANNER"), Some("b\u{FFFD}n.png"));
    let (charts, _) = read(ssc, Dialect::Ssc);
    let m = &charts[0].metadata;
    assert_eq!(
        (m.genre.as_str(), m.creator.as_str()),
        ("\u{FFFD}", "me\u{FFFD}")
    );
}

/// `Edit` is a StepMania difficulty like the others (any case): written and read back as it
/// is. A name StepMania does not have is written as `Edit`, reported; the description stays.
#[test]
fn edit_difficulty() {
    let sm = b"#BPMS:0=120;\n#NOTES:dance-single:my edit:Edit:12::\n1000\n;\n";
    let ssc = b"#VERSION:0.83;\n#BPMS:0=120;\n#NOTEDATA:;\n#STEPSTYPE:dance-single;\n\
                #DESCRIPTION:my edit;\n#DIFFICULTY:edit;\n#METER:12;\n#NOTES:\n1000\n;\n";
    for (dialect, bytes, name) in [
        (Dialect::Sm, &sm[..], "Edit"),
        (Dialect::Ssc, &ssc[..], "edit"),
    ] {
        let (charts, report) = read(bytes, dialect);
        assert!(report.is_empty(), "{:?}", report.entries);
        let m = &charts[0].metadata;
        assert_eq!(m.difficulty_name, name);
        assert_eq!(
            (m.description.as_str(), m.difficulty_level),
            ("my edit", Some(12.0))
        );
        assert_round_trip(&charts, dialect, "Edit");

        let mut renamed = charts.clone();
        renamed[0].metadata.difficulty_name = "Insane".into();
        let (bytes, report) = write(&renamed, dialect);
        let entries: Vec<(LossKind, &str)> = report
            .entries
            .iter()
            .map(|e| (e.kind, e.message.as_str()))
            .collect();
        assert_eq!(
            entries,
            [(
                LossKind::MetadataDropped,
                "chart 0: difficulty 'Insane' is not a StepMania difficulty: written as Edit"
            )]
        );
        let (back, _) = read(&bytes, dialect);
        let m = &back[0].metadata;
        assert_eq!(
            (m.difficulty_name.as_str(), m.description.as_str()),
            ("Edit", "my edit")
        );
    }
}

/// Key counts StepMania has a steps type for get their usual one (5 `pump-single`, 9
/// `pnm-nine`, formats.md §2.3); the others (1, 2, 11, 13–15, 17, 18 columns) are written as
/// `rox-<N>k`, reported because StepMania does not load it. ROX reads it back with N columns
/// (counted from the note rows, as for any steps type StepMania does not know), keeps the name
/// as the style, and writes that again without a report.
#[test]
fn rox_steps_types_for_key_counts_stepmania_has_not() {
    let cases = [
        (5, "pump-single"),
        (9, "pnm-nine"),
        (2, "rox-2k"),
        (11, "rox-11k"),
        (18, "rox-18k"),
    ];
    for (keys, steps_type) in cases {
        let mut chart = Chart::new(keys);
        chart.timing.push(rox::TimingPoint::bpm(0, 120.0, 4));
        for column in 0..keys {
            chart
                .notes
                .push(rox::Note::tap(i64::from(column) * 125_000, column));
        }
        for dialect in [Dialect::Sm, Dialect::Ssc] {
            let what = format!("{keys}K as {dialect:?}");
            let (bytes, report) = write(&[chart.clone()], dialect);
            let text = String::from_utf8(bytes.clone()).unwrap();
            let field = match dialect {
                Dialect::Sm => format!("     {steps_type}:\n"),
                Dialect::Ssc => format!("#STEPSTYPE:{steps_type};\n"),
            };
            assert!(text.contains(&field), "{what}: {text}");
            let reported: Vec<&str> = report.entries.iter().map(|e| e.message.as_str()).collect();
            if steps_type.starts_with("rox-") {
                assert_eq!(
                    reported,
                    [format!(
                        "chart 0: no StepMania steps type has {keys} columns: written as \
                         '{steps_type}', which StepMania does not load (ROX reads it back)"
                    )],
                    "{what}"
                );
            } else {
                assert!(reported.is_empty(), "{what}: {reported:?}");
            }
            let (back, report) = read(&bytes, dialect);
            assert!(report.is_empty(), "{what}: {:?}", report.entries);
            assert_eq!(back[0].key_count, keys, "{what}");
            assert_eq!(back[0].metadata.style, steps_type, "{what}");
            assert_eq!(back[0].notes, chart.notes, "{what}");
            let again = assert_round_trip(&back, dialect, &what);
            assert_eq!(again, bytes, "{what}");
        }
    }
}

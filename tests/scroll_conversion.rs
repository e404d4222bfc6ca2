//! Conversions between games keep where notes scroll when the target can say it, and report by
//! how much they move when it cannot. Expected files and distances are worked out by hand from
//! each game's rules (docs/timeline.md), not by the library's timeline.

use rox::{convert, ConversionReport, Format};

/// StepMania: 120 BPM, scroll ×2 from beat 2 (1 s), 240 BPM from beat 4 (2 s). In StepMania
/// the ×2 lasts past the tempo change; in osu! and Quaver a tempo change sets the speed back to
/// 1, so the writers must repeat ×2 there.
const SCROLL_THEN_TEMPO: &str = "#VERSION:0.83;\n#TITLE:t;\n#OFFSET:0;\n#BPMS:0=120,4=240;\n\
#SCROLLS:0=1,2=2;\n#NOTEDATA:;\n#STEPSTYPE:dance-single;\n#DIFFICULTY:Hard;\n#METER:5;\n\
#NOTES:\n1000\n1000\n1000\n1000\n,\n1000\n1000\n1000\n1000\n;\n";

/// osu!: 120 BPM with speed ×2, then a red line at 2 s (240 BPM) without a green line, which
/// sets the speed back to 1.
const TEMPO_RESETS_SPEED: &str = "osu file format v14\n\n[General]\nMode: 3\n\n[Metadata]\n\
Title:t\nVersion:v\n\n[Difficulty]\nCircleSize:4\n\n[TimingPoints]\n0,500,4,1,0,100,1,0\n\
0,-50,4,1,0,100,0,0\n2000,250,4,1,0,100,1,0\n\n[HitObjects]\n64,192,0,1,0,0:0:0:0:\n\
64,192,1000,1,0,0:0:0:0:\n64,192,2000,1,0,0:0:0:0:\n64,192,3000,1,0,0:0:0:0:\n";

fn scroll_entries(report: &ConversionReport) -> Vec<&str> {
    report
        .entries
        .iter()
        .map(|e| e.message.as_str())
        .filter(|m| m.starts_with("scroll:"))
        .collect()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8(bytes.to_vec()).unwrap()
}

#[test]
fn a_stepmania_scroll_lasts_past_a_tempo_change_in_osu_and_quaver() {
    let (osu, report) = convert(SCROLL_THEN_TEMPO.as_bytes(), Format::Ssc, Format::Osu).unwrap();
    assert_eq!(scroll_entries(&report), Vec::<&str>::new());
    let osu = text(&osu);
    assert!(osu.contains("\n1000,-50,4,"), "×2 at 1 s:\n{osu}");
    assert!(
        osu.contains("\n2000,250,4,") && osu.contains("\n2000,-50,4,"),
        "×2 again at the red line:\n{osu}"
    );

    let (qua, report) = convert(SCROLL_THEN_TEMPO.as_bytes(), Format::Ssc, Format::Qua).unwrap();
    assert_eq!(scroll_entries(&report), Vec::<&str>::new());
    let qua = text(&qua);
    assert!(
        qua.contains("- StartTime: 2000\n  Multiplier: 2\n"),
        "an SV of 2 at the timing point:\n{qua}"
    );
}

#[test]
fn an_osu_tempo_change_resets_the_stepmania_scroll() {
    let (ssc, report) = convert(TEMPO_RESETS_SPEED.as_bytes(), Format::Osu, Format::Ssc).unwrap();
    assert_eq!(scroll_entries(&report), Vec::<&str>::new());
    let ssc = text(&ssc);
    // 2 s is beat 4 at 120 BPM.
    assert!(ssc.contains("#SCROLLS:0.000=2"), "{ssc}");
    assert!(
        ssc.contains("4.000=1\n") || ssc.contains("4.000=1;"),
        "speed 1 from beat 4:\n{ssc}"
    );
    // Quaver resets too: nothing to add.
    let (qua, report) = convert(TEMPO_RESETS_SPEED.as_bytes(), Format::Osu, Format::Qua).unwrap();
    assert_eq!(scroll_entries(&report), Vec::<&str>::new());
    assert!(!text(&qua).contains("StartTime: 2000\n  Multiplier"));
}

#[test]
fn a_stop_osu_cannot_hold_is_reported_with_how_far_notes_move() {
    // 120 BPM, a 1 s stop at beat 2: notes at beats 0, 2, 4 are hit at 0, 1 and 3 s. StepMania
    // places them at displayed beats 0, 2, 4; osu! (no stops) at 0, 1000 and 3000 ms. Scaled
    // so that the first and last notes agree (750 ms a beat), the middle one is at 1.333
    // beats instead of 2: 0.667 beats away.
    let sm = "#TITLE:t;\n#OFFSET:0;\n#BPMS:0=120;\n#STOPS:2=1;\n#NOTES:\n     dance-single:\n     :\n     \
              Hard:\n     5:\n     0,0,0,0,0:\n1000\n0000\n1000\n0000\n,\n1000\n0000\n0000\n0000\n;\n";
    let (_, report) = convert(sm.as_bytes(), Format::Sm, Format::Osu).unwrap();
    let entries = scroll_entries(&report);
    assert_eq!(entries.len(), 1, "{:?}", report.entries);
    assert!(
        entries[0].contains("up to 0.667 beats away (note #1)"),
        "{}",
        entries[0]
    );
    // The same chart to another StepMania format moves nothing.
    let (_, report) = convert(sm.as_bytes(), Format::Sm, Format::Ssc).unwrap();
    assert_eq!(scroll_entries(&report), Vec::<&str>::new());
}

#[test]
fn the_origin_survives_rox_so_a_later_conversion_still_reports() {
    let (rox, _) = convert(SCROLL_THEN_TEMPO.as_bytes(), Format::Ssc, Format::Rox).unwrap();
    let chart = rox::decode(&rox, Format::Rox).unwrap();
    assert_eq!(chart.source_format, Some(Format::Ssc));
    let (osu, _) = convert(&rox, Format::Rox, Format::Osu).unwrap();
    assert!(text(&osu).contains("\n2000,-50,4,"));
}

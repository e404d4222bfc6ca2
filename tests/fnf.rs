//! Friday Night Funkin': the legacy and Psych Engine song (read and written), the V-Slice
//! chart/metadata pair (read), sides, BPM changes by section and hostile input.

mod common;

use rox::formats::fnf::{decode_set_with, decode_vslice, FnfOptions, Sides};
use rox::{
    decode, decode_set, encode, encode_with_report, Chart, DecodeLimits, Error, Format, LossKind,
    Note, NoteKind, TimingKind, TimingPoint,
};

fn with_sides(bytes: &[u8], sides: Sides) -> Vec<Chart> {
    decode_set_with(bytes, &FnfOptions { sides }, &DecodeLimits::default())
        .unwrap()
        .charts
}

/// (time µs, column, duration µs) of every note.
fn notes(chart: &Chart) -> Vec<(i64, u8, i64)> {
    chart
        .notes
        .iter()
        .map(|n| (n.time_us, n.column, n.duration_us))
        .collect()
}

fn bpms(chart: &Chart) -> Vec<(i64, f64, u32)> {
    chart
        .timing
        .iter()
        .filter_map(|t| match t.kind {
            TimingKind::Bpm { bpm, meter } => Some((t.time_us, bpm, meter)),
            _ => None,
        })
        .collect()
}

#[test]
fn corpus_test_song_has_its_notes_where_the_sections_put_them() {
    let Some(corpus) = common::corpus() else {
        return;
    };
    let bytes = std::fs::read(corpus.join("fnf/test-song.json")).unwrap();
    assert_eq!(Format::detect(&bytes), Some(Format::Fnf));
    // 150 BPM: a step is 60 / 150 * 1000 / 4 = 100 ms, a 16-step section 1600 ms. Section 0
    // is the opponent's (mustHitSection false), sections 1 and 2 the player's: lanes 0-3 of
    // those are the player's notes.
    let player = decode(&bytes, Format::Auto).unwrap();
    assert_eq!(player.key_count, 4);
    assert_eq!(player.metadata.title, "Test-Song");
    assert_eq!(
        notes(&player),
        vec![
            (1_600_000, 0, 0),
            (2_000_000, 1, 0),
            (2_400_000, 2, 0),
            (2_800_000, 3, 0),
            (3_200_000, 0, 400_000),
            (3_600_000, 1, 0),
            (4_000_000, 2, 0),
            (4_400_000, 3, 0),
        ]
    );
    // Section 3 changes to 180 BPM at its start: 3 sections × 1600 ms = 4800 ms.
    assert_eq!(bpms(&player), vec![(0, 150.0, 4), (4_800_000, 180.0, 4)]);
    // The opponent: section 0's lanes 0-3, section 2's lanes 4-7, section 3's lanes 0-3.
    let [opponent] = &with_sides(&bytes, Sides::Opponent)[..] else {
        panic!("one chart")
    };
    assert_eq!(opponent.notes.len(), 14);
    assert_eq!(notes(opponent)[4], (3_200_000, 0, 0));
    assert_eq!(notes(opponent)[12], (5_600_000, 0, 800_000));
    let [both] = &with_sides(&bytes, Sides::Both)[..] else {
        panic!("one chart")
    };
    assert_eq!(both.key_count, 8);
    assert_eq!(both.notes.len(), 22);
    // 3200 ms: the player's hold in column 0, the opponent's tap in column 4.
    assert!(both.notes.contains(&Note::hold(3_200_000, 400_000, 0)));
    assert!(both.notes.contains(&Note::tap(3_200_000, 4)));
}

#[test]
fn legacy_sections_time_bpm_changes_by_their_lengths() {
    let bytes = common::fixture("fnf/legacy-bpm.json");
    // 120 BPM: 125 ms a step. Section 0 (16 steps) ends at 2000 ms, section 1 (8 steps) at
    // 3000 ms, where section 2 changes to 150 BPM (100 ms a step). Section 3 repeats 150
    // (no change); section 4's bpm 200 is not a change (changeBPM false). The notes' own
    // times would put the change elsewhere only if they were read as the old library did.
    let chart = decode(&bytes, Format::Fnf).unwrap();
    assert_eq!(bpms(&chart), vec![(0, 120.0, 4), (3_000_000, 150.0, 4)]);
    // Player: section 0 lane 0; section 1 (opponent's focus) lane 6 = player lane 2, at
    // 2500.5 ms; 3100.0004 ms rounds to 3 100 000 µs.
    assert_eq!(
        notes(&chart),
        vec![
            (0, 0, 0),
            (2_500_500, 2, 0),
            (3_000_000, 3, 0),
            (3_100_000, 2, 0),
            (4_700_000, 0, 0),
            (6_200_000, 1, 0),
        ]
    );
    let [opponent] = &with_sides(&bytes, Sides::Opponent)[..] else {
        panic!("one chart")
    };
    // Section 0 lane 5 (hold of 250 ms), section 1 lane 1 (opponent's focus).
    assert_eq!(
        notes(opponent),
        vec![(500_000, 1, 250_000), (2_000_000, 1, 0)]
    );
    assert_eq!(chart.extra("fnf.song.speed"), Some("1.2"));
    // Sections 2-4 are the player's, as any section past the flags.
    assert_eq!(chart.extra("fnf.mustHitSections"), Some("10"));
}

/// The player's notes end before the song does: a section of the opponent's changes the tempo,
/// and an empty one after it is the opponent's turn. The writer stopped after the player's last
/// note, dropping both with nothing reported (found on the corpus's test-song.json).
#[test]
fn sections_after_the_last_note_are_written() {
    let bytes = common::fixture("fnf/tempo-after-last-note.json");
    let chart = decode(&bytes, Format::Fnf).unwrap();
    // 150 BPM: 100 ms a step, 1600 ms a section.
    assert_eq!(bpms(&chart), vec![(0, 150.0, 4), (3_200_000, 180.0, 4)]);
    assert_eq!(
        notes(&chart),
        vec![(0, 0, 0), (1_600_000, 0, 0), (2_400_000, 1, 300_000)]
    );
    assert_eq!(chart.extra("fnf.mustHitSections"), Some("0100"));
    let (written, report) = encode_with_report(&chart, Format::Fnf).unwrap();
    assert!(report.is_empty(), "{:?}", report.entries);
    assert_eq!(decode(&written, Format::Fnf).unwrap(), chart);
}

/// Note types in a file's own note order (not time order), and two notes on one time and lane
/// of which one has a type: read back, the types came in time order, and both notes typed.
#[test]
fn note_types_come_back_as_they_were() {
    let song = br#"{"song": {"song": "Types", "bpm": 150, "notes": [{"mustHitSection": true,
        "sectionNotes": [[1600, 1, 0, "Hurt Note"], [1200, 1, 0, "Alt Animation"],
                         [800, 0, 0, "Alt Animation"], [800, 0, 0]]}]}}"#;
    let chart = decode(song, Format::Fnf).unwrap();
    assert_eq!(
        chart.extra("fnf.noteTypes"),
        Some("800000 0 \"Alt Animation\"\n1200000 1 \"Alt Animation\"\n1600000 1 \"Hurt Note\"\n")
    );
    let (written, report) = encode_with_report(&chart, Format::Fnf).unwrap();
    assert!(report.is_empty(), "{:?}", report.entries);
    assert_eq!(decode(&written, Format::Fnf).unwrap(), chart);
}

#[test]
fn psych_note_types_and_events_survive_fnf_to_fnf() {
    let bytes = common::fixture("fnf/psych.json");
    let [both] = &with_sides(&bytes, Sides::Both)[..] else {
        panic!("one chart")
    };
    // 100 BPM: 600 ms a beat; section 0 has 4 beats (2400 ms), section 1 3 (1800 ms): the
    // change to 200 BPM is at 4200 ms.
    assert_eq!(bpms(both), vec![(0, 100.0, 4), (4_200_000, 200.0, 4)]);
    assert_eq!(
        both.extra("fnf.noteTypes"),
        Some("600000 1 \"Hurt Note\"\n1200000 4 \"Alt Animation\"\n2400000 4 \"GF Sing\"\n")
    );
    let written = encode(both, Format::Fnf).unwrap();
    let text = String::from_utf8(written.clone()).unwrap();
    assert!(text.contains("[600, 1, 0, \"Hurt Note\"]"), "{text}");
    assert!(text.contains("\"events\": ["), "{text}");
    let [back] = &with_sides(&written, Sides::Both)[..] else {
        panic!("one chart")
    };
    assert_eq!(back, both);
    // The player's side alone keeps the player's types.
    let player = decode(&bytes, Format::Auto).unwrap();
    assert_eq!(
        player.extra("fnf.noteTypes"),
        Some("600000 1 \"Hurt Note\"\n")
    );
    assert_eq!(
        decode(&encode(&player, Format::Fnf).unwrap(), Format::Fnf).unwrap(),
        player
    );
}

#[test]
fn psych_types_are_reported_when_written_elsewhere() {
    let chart = decode(&common::fixture("fnf/psych.json"), Format::Fnf).unwrap();
    let (_, report) = encode_with_report(&chart, Format::Osu).unwrap();
    assert!(report
        .entries
        .iter()
        .any(|l| l.kind == LossKind::MetadataDropped && l.message.contains("fnf.noteTypes")));
}

/// A 4-key chart at 120 BPM (125 ms a step) with a tempo change at `change_us`.
fn chart_with_change(change_us: i64) -> Chart {
    let mut chart = Chart::new(4);
    chart.timing = vec![
        TimingPoint::bpm(0, 120.0, 4),
        TimingPoint::bpm(change_us, 180.0, 4),
    ];
    chart.notes = vec![
        Note::tap(0, 0),
        Note::hold(2_500_000, 250_500, 1),
        Note::tap(3_010_000, 3),
    ];
    chart
}

#[test]
fn bpm_changes_mid_song_start_a_section() {
    // 3000 ms is 24 steps: a full section, then one of 8 steps, then the change.
    let chart = chart_with_change(3_000_000);
    let (written, report) = encode_with_report(&chart, Format::Fnf).unwrap();
    assert!(report.is_empty(), "{report:?}");
    let text = String::from_utf8(written.clone()).unwrap();
    assert!(
        text.contains("\"lengthInSteps\": 8, \"sectionBeats\": 2"),
        "{text}"
    );
    let back = decode(&written, Format::Fnf).unwrap();
    assert_eq!(back.notes, chart.notes);
    assert_eq!(bpms(&back), bpms(&chart));
    // 3010 ms is 24.08 steps: the change moves to the nearest step, 3000 ms, reported.
    let chart = chart_with_change(3_010_000);
    let (written, report) = encode_with_report(&chart, Format::Fnf).unwrap();
    let moved = &report.entries[0];
    assert_eq!(
        (moved.kind, moved.index, moved.shift_us),
        (LossKind::TimingChanged, Some(1), -10_000)
    );
    let back = decode(&written, Format::Fnf).unwrap();
    assert_eq!(bpms(&back)[1], (3_000_000, 180.0, 4));
    assert_eq!(back.notes, chart.notes);
}

/// Found by fuzzing (`decode_sm`, a timeout): at millions of BPM a second of chart is tens of
/// thousands of 16-step sections, and a 1.5 KB `.ssc` wrote 7.8 MB of FNF. A long run of empty
/// sections is one section now; shorter gaps keep their full sections.
#[test]
fn long_empty_runs_are_one_section() {
    let sections = |text: &str| text.matches("mustHitSection").count();
    let mut chart = Chart::new(4);
    chart.timing = vec![
        TimingPoint::bpm(0, 9_999_999.0, 4),
        TimingPoint::bpm(2_000_000, 120.0, 4),
    ];
    chart.notes = vec![
        Note::tap(0, 0),
        Note::tap(1_500_000, 1),
        Note::tap(2_000_000, 2),
        Note::tap(6_000_000, 3),
        Note::tap(50_000_000, 0),
    ];
    let (written, report) = encode_with_report(&chart, Format::Fnf).unwrap();
    assert!(report.is_empty(), "{report:?}");
    let text = String::from_utf8(written.clone()).unwrap();
    // At 120 BPM a section is 2 s: from 8 s, 20 empty ones are a run, then one before 50 s.
    assert!(
        text.contains("\"lengthInSteps\": 320, \"sectionBeats\": 80"),
        "{text}"
    );
    assert!(sections(&text) <= 20, "{} sections", sections(&text));
    let back = decode(&written, Format::Fnf).unwrap();
    assert_eq!(back.notes, chart.notes);
    assert_eq!(bpms(&back), bpms(&chart));
    // Gaps of up to 16 empty sections are written as they were.
    chart.timing.truncate(1);
    chart.timing[0] = TimingPoint::bpm(0, 120.0, 4);
    chart.notes = vec![Note::tap(0, 0), Note::tap(36_000_000, 1)];
    let text = String::from_utf8(encode(&chart, Format::Fnf).unwrap()).unwrap();
    assert_eq!(sections(&text), 19);
    // After the last note's start, the run reaches to its end: a hold of a day is a few
    // sections, not 43,200 (a fuzz finding: 4 KB of BMS became 11 MB of FNF).
    chart.notes = vec![Note::tap(0, 0), Note::hold(2_000_000, 86_400_000_000, 1)];
    let written = encode(&chart, Format::Fnf).unwrap();
    assert!(sections(std::str::from_utf8(&written).unwrap()) <= 20);
    assert_eq!(decode(&written, Format::Fnf).unwrap().notes, chart.notes);
}

/// Found by fuzzing (`decode_sm`, 3 runs a second): at 6.8e67 BPM no section gets past the
/// first µs, and the writer built half a million of them before refusing. It refuses at once
/// now; a tempo whose sections still add up to the chart's end is written.
#[test]
fn a_tempo_no_section_can_outrun_is_refused() {
    let mut chart = Chart::new(4);
    chart.timing = vec![TimingPoint::bpm(0, 6.777777777777778e67, 4)];
    chart.notes = vec![Note::tap(0, 0)];
    let error = encode(&chart, Format::Fnf).expect_err("refused");
    assert!(
        error.to_string().contains("too long for FNF sections"),
        "{error}"
    );
    // 1e12 BPM: a section is 0.24 ns, so about 4,200 of them pass the note's µs.
    chart.timing = vec![TimingPoint::bpm(0, 1e12, 4)];
    let written = encode(&chart, Format::Fnf).expect("written");
    assert_eq!(decode(&written, Format::Fnf).unwrap().notes, chart.notes);
    // A fuzz finding (`decode_sm`, 0.3 s a chart): at 6.8e12 BPM, 0.4 s between two notes took
    // 345,000 sections, 52 MB of FNF for 3 notes. Sections are bounded by the notes.
    chart.timing = vec![TimingPoint::bpm(0, 6_777_777_777_777.0, 4)];
    chart.notes.push(Note::tap(400_000, 0));
    let error = encode(&chart, Format::Fnf).expect_err("refused");
    assert!(error.to_string().contains("plus 32 a note"), "{error}");
}

#[test]
fn eight_keys_are_both_sides_and_other_key_counts_are_refused() {
    let mut chart = chart_with_change(3_000_000);
    chart.key_count = 8;
    chart.notes.push(Note::tap(1_000_000, 6));
    chart.sort();
    let written = encode(&chart, Format::Fnf).unwrap();
    let [both] = &with_sides(&written, Sides::Both)[..] else {
        panic!("one chart")
    };
    assert_eq!(both.notes, chart.notes);
    let [opponent] = &with_sides(&written, Sides::Opponent)[..] else {
        panic!("one chart")
    };
    assert_eq!(opponent.notes, vec![Note::tap(1_000_000, 2)]);
    chart.key_count = 7;
    assert!(matches!(
        encode(&chart, Format::Fnf),
        Err(Error::InvalidArgument(_))
    ));
}

#[test]
fn unwritable_notes_and_timing_are_reported() {
    let mut chart = chart_with_change(3_000_000);
    chart.notes.insert(
        1,
        Note {
            kind: NoteKind::Mine,
            ..Note::tap(1_000_000, 2)
        },
    );
    chart.timing.push(TimingPoint::scroll(3_500_000, 2.0));
    // A tempo of zero after the last note (as Quaver writes to stop the scroll): no section
    // can have it.
    chart.timing.push(TimingPoint::bpm(10_000_000, 0.0, 4));
    let (written, report) = encode_with_report(&chart, Format::Fnf).unwrap();
    let kinds: Vec<_> = report.entries.iter().map(|l| (l.kind, l.index)).collect();
    assert!(
        kinds.contains(&(LossKind::TimingDropped, Some(3))),
        "{kinds:?}"
    );
    assert!(
        kinds.contains(&(LossKind::NoteDropped, Some(1))),
        "{kinds:?}"
    );
    assert!(
        kinds.contains(&(LossKind::TimingDropped, Some(2))),
        "{kinds:?}"
    );
    assert_eq!(decode(&written, Format::Fnf).unwrap().notes.len(), 3);
}

#[test]
fn vslice_pair_is_a_set_with_one_chart_per_difficulty() {
    let chart = common::fixture("fnf/vslice-chart.json");
    let metadata = common::fixture("fnf/vslice-metadata.json");
    let options = FnfOptions::default();
    let set = decode_vslice(&chart, &metadata, &options, &DecodeLimits::default()).unwrap();
    let names: Vec<&str> = set
        .charts
        .iter()
        .map(|c| c.metadata.difficulty_name.as_str())
        .collect();
    assert_eq!(names, ["easy", "hard"]);
    let [easy, hard] = &set.charts[..] else {
        unreachable!()
    };
    assert_eq!(
        (easy.metadata.title.as_str(), easy.metadata.artist.as_str()),
        ("Slice Test", "Someone")
    );
    assert_eq!(easy.metadata.creator, "Me");
    assert_eq!(bpms(hard), vec![(0, 120.0, 4), (2_000_000, 90.0, 3)]);
    // d 0-3 are the player's; 2000.25 ms is 2 000 250 µs.
    assert_eq!(notes(easy), vec![(0, 0, 0), (2_000_000, 1, 500_000)]);
    assert_eq!(
        notes(hard),
        vec![(0, 0, 0), (250_000, 3, 0), (2_000_250, 2, 0)]
    );
    assert_eq!(hard.extra("fnf.noteTypes"), Some("250000 3 \"alt\"\n"));
    assert_eq!(hard.extra("fnf.song.speed"), Some("2.0"));
    assert!(easy
        .extra("fnf.vslice.events")
        .unwrap()
        .contains("FocusCamera"));
    // One JSON object holding both files' members reads the same.
    let chart_text = std::str::from_utf8(&chart).unwrap();
    let meta_text = std::str::from_utf8(&metadata).unwrap();
    let joined = format!(
        "{},{}",
        meta_text.trim_end().trim_end_matches('}'),
        chart_text.trim_start().trim_start_matches('{')
    );
    assert_eq!(
        decode_set(joined.as_bytes(), Format::Auto).unwrap().charts,
        set.charts
    );
    // Written out, a V-Slice chart is a legacy song; its V-Slice events are reported.
    let (written, report) = encode_with_report(hard, Format::Fnf).unwrap();
    assert!(report
        .entries
        .iter()
        .any(|l| l.message.contains("fnf.vslice.events")));
    let back = decode(&written, Format::Fnf).unwrap();
    assert_eq!(back.notes, hard.notes);
    assert_eq!(back.extra("fnf.noteTypes"), hard.extra("fnf.noteTypes"));
}

#[test]
fn vslice_chart_alone_is_timed_at_100_bpm_and_says_so() {
    let chart = common::fixture("fnf/vslice-chart.json");
    assert_eq!(Format::detect(&chart), Some(Format::Fnf));
    let set = decode_set(&chart, Format::Auto).unwrap();
    assert_eq!(set.charts.len(), 2);
    assert_eq!(bpms(&set.charts[0]), vec![(0, 100.0, 4)]);
    assert!(set
        .report
        .entries
        .iter()
        .any(|l| l.kind == LossKind::TimingDropped && l.message.contains("100 BPM")));
    // The metadata file alone holds no chart.
    let metadata = common::fixture("fnf/vslice-metadata.json");
    assert!(matches!(
        decode(&metadata, Format::Auto),
        Err(Error::NoChart(_))
    ));
}

#[test]
fn extension_and_content_tell_fnf_from_rox_json() {
    assert_eq!(
        Format::from_extension("a/song-hard.json"),
        Some(Format::Fnf)
    );
    assert_eq!(Format::from_extension("b.rox.json"), Some(Format::RoxJson));
    assert_eq!(Format::from_extension("C.ROX.JSON"), Some(Format::RoxJson));
    assert_eq!(Format::from_name("fnf"), Some(Format::Fnf));
    let rox_json = encode(&chart_with_change(3_000_000), Format::RoxJson).unwrap();
    assert_eq!(Format::detect(&rox_json), Some(Format::RoxJson));
    let fnf = [
        &br#"{"other": 1, "song": {"x": 2, "notes": []}}"#[..],
        br#"{"notes": {}, "version": "2.0.0"}"#,
        br#"{"timeChanges": []}"#,
    ];
    for bytes in fnf {
        assert_eq!(Format::detect(bytes), Some(Format::Fnf));
    }
    for bytes in [
        &br#"{"song": {}}"#[..],
        br#"{"notes": []}"#,
        br#"{"other": 1}"#,
    ] {
        assert_eq!(Format::detect(bytes), None);
    }
}

fn parse_error(bytes: &[u8]) -> String {
    match decode(bytes, Format::Fnf) {
        Err(Error::Parse {
            format, message, ..
        }) => {
            assert_eq!(format, "fnf");
            message
        }
        other => panic!("expected a parse error, got {other:?}"),
    }
}

#[test]
fn hostile_input_is_a_clear_error() {
    let deep = format!(
        r#"{{"song": {{"x": {}{}}}}}"#,
        "[".repeat(100_000),
        "]".repeat(100_000)
    );
    assert!(parse_error(deep.as_bytes()).contains("nested deeper"));
    let song = |notes: &str| {
        format!(r#"{{"song": {{"bpm": 120, "notes": [{{"sectionNotes": [{notes}]}}]}}}}"#)
    };
    assert!(parse_error(song("[1e999, 0, 0]").as_bytes()).contains("not a number: 1e999"));
    let huge_bpm = r#"{"song": {"bpm": 1e999, "notes": []}}"#;
    assert!(parse_error(huge_bpm.as_bytes()).contains("too large"));
    assert!(parse_error(song(r#"["NaN", 0, 0]"#).as_bytes()).contains("not a number"));
    assert!(parse_error(song("[1e13, 0, 0]").as_bytes()).contains("time"));
    assert!(parse_error(song("[0, 1.5, 0]").as_bytes()).contains("lane"));
    assert!(parse_error(song("[0]").as_bytes()).contains("section note"));
    let zero_bpm = r#"{"song": {"bpm": 0, "notes": []}}"#;
    assert!(parse_error(zero_bpm.as_bytes()).contains("tempo"));
    let long = r#"{"song": {"bpm": 120, "notes": [{"lengthInSteps": 1e300}]}}"#;
    assert!(parse_error(long.as_bytes()).contains("steps"));
    assert!(parse_error(b"[1, 2]").contains("JSON object"));
    assert!(matches!(decode(b"{}", Format::Fnf), Err(Error::NoChart(_))));
    // Limits are checked before notes are stored.
    let limits = DecodeLimits {
        max_notes: 3,
        ..DecodeLimits::default()
    };
    let bytes = common::fixture("fnf/legacy-bpm.json");
    assert!(matches!(
        decode_set_with(&bytes, &FnfOptions::default(), &limits),
        Err(Error::LimitExceeded {
            field: "max_notes",
            ..
        })
    ));
}

#[test]
fn psych_1_songs_keep_lanes_to_their_sides() {
    // Psych Engine 1.0: no `song` object, and lanes 0-3 are the player's in every section,
    // whatever mustHitSection says (120 BPM: the second section starts at 2000 ms).
    let song = br#"{"song": "V1", "bpm": 120, "format": "psych_v1_convert", "speed": 1,
        "notes": [{"mustHitSection": true, "sectionBeats": 4, "sectionNotes": [[0, 0, 0]]},
                  {"mustHitSection": false, "sectionBeats": 4, "sectionNotes": [[2000, 1, 0], [2500, 5, 0]]}]}"#;
    assert_eq!(Format::detect(song), Some(Format::Fnf));
    let chart = decode(song, Format::Auto).unwrap();
    assert_eq!(notes(&chart), vec![(0, 0, 0), (2_000_000, 1, 0)]);
    assert_eq!(chart.metadata.title, "V1");
    let written = encode(&chart, Format::Fnf).unwrap();
    let text = String::from_utf8(written.clone()).unwrap();
    assert!(text.contains("[2000, 1, 0]"), "{text}");
    // Written with the characters a song needs (`player1`, `player2`), the notes as they were;
    // read back, defaults the writer gives are no extras, so the chart is the same.
    assert!(text.contains(r#""player1": "bf""#), "{text}");
    let back = decode(&written, Format::Fnf).unwrap();
    assert_eq!(back, chart);
    assert_eq!(back.extra("fnf.song.player1"), None);
}

#[test]
fn decode_options_choose_the_sides_for_any_format_argument() {
    let bytes = common::fixture("fnf/psych.json");
    let mut charts = Vec::new();
    for sides in [Sides::Player, Sides::Opponent, Sides::Both] {
        let options = rox::DecodeOptions {
            fnf: FnfOptions { sides },
            ..rox::DecodeOptions::default()
        };
        for format in [Format::Auto, Format::Fnf] {
            let set = rox::decode_set_with_options(&bytes, format, &options).unwrap();
            assert_eq!(
                set.charts,
                with_sides(&bytes, sides),
                "{sides:?} {format:?}"
            );
        }
        charts.push(with_sides(&bytes, sides).remove(0));
    }
    let keys: Vec<u8> = charts.iter().map(|c| c.key_count).collect();
    assert_eq!(keys, [4, 4, 8]);
    assert_ne!(notes(&charts[0]), notes(&charts[1]));
    assert_eq!(
        charts[2].notes.len(),
        charts[0].notes.len() + charts[1].notes.len()
    );
    // The default options read as `decode_set` does; their limits still bind.
    let default = rox::decode_set_with_options(&bytes, Format::Auto, &Default::default());
    assert_eq!(default.unwrap(), decode_set(&bytes, Format::Auto).unwrap());
    let tight = rox::DecodeOptions::with_limits(DecodeLimits {
        max_notes: 1,
        ..DecodeLimits::default()
    });
    assert!(matches!(
        rox::decode_set_with_options(&bytes, Format::Auto, &tight),
        Err(Error::LimitExceeded { .. })
    ));
}

/// A note before time 0 is written into the first section at its own time; one further back
/// than the reader reads (±10^12 ms) is refused, never written unreadable (a fuzz finding:
/// a `.sm` with a note at -1.6×10^12 ms).
#[test]
fn a_note_too_far_before_the_start_is_refused() {
    let mut chart = Chart::new(4);
    chart.timing = vec![TimingPoint::bpm(0, 123.0, 4)];
    chart.notes = vec![Note::tap(-1_000_000_000_000_000, 0), Note::tap(0, 1)];
    let bytes = encode(&chart, Format::Fnf).unwrap();
    assert_eq!(notes(&decode(&bytes, Format::Fnf).unwrap()), notes(&chart));
    chart.notes[0].time_us = -1_581_667_480_000_000;
    match encode(&chart, Format::Fnf) {
        Err(Error::InvalidArgument(message)) => assert!(message.contains("±"), "{message}"),
        other => panic!("expected a refusal, got {:?}", other.map(|b| b.len())),
    }
}

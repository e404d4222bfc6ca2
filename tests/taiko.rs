//! osu!taiko maps read as 4-key charts (docs/taiko.md): the hand-written fixture, exactly, and
//! the corpus's taiko maps against rosu-map, an independent `.osu` parser, which classifies
//! nothing: colours and sizes are taken here from its hit sounds by osu!'s rule.

mod common;

use common::fixture;
use rosu_map::section::general::GameMode;
use rosu_map::section::hit_objects::hit_samples::HitSoundType;
use rosu_map::section::hit_objects::HitObjectKind;
use rox::model::{TaikoLayout, TaikoOptions};
use rox::{
    decode_set_with_options, Chart, DecodeOptions, Error, Format, LossKind, NoteKind, TimingKind,
};

fn read(bytes: &[u8], layout: TaikoLayout) -> rox::ChartSet {
    let options = DecodeOptions {
        taiko: TaikoOptions { layout },
        ..DecodeOptions::default()
    };
    decode_set_with_options(bytes, Format::Auto, &options).unwrap()
}

/// (time in ms, column) of every note.
fn placed(chart: &Chart) -> Vec<(i64, u8)> {
    chart
        .notes
        .iter()
        .map(|n| (n.time_us / 1000, n.column))
        .collect()
}

#[test]
fn fixture_columns_follow_each_layout() {
    let bytes = fixture("osu/taiko.osu");
    // don, kat, kat (clap), don, big don, don, big kat (whistle+finish), kat (whistle+clap),
    // then three dons at 5000 ms, of which two fit.
    let expected: [(TaikoLayout, [(i64, u8); 12]); 3] = [
        (
            TaikoLayout::Kddk,
            [
                (0, 1),
                (250, 3),
                (500, 0),
                (750, 2),
                (1000, 1),
                (1000, 2),
                (1250, 1),
                (1500, 0),
                (1500, 3),
                (1750, 0),
                (5000, 1),
                (5000, 2),
            ],
        ),
        (
            TaikoLayout::Dkkd,
            [
                (0, 0),
                (250, 2),
                (500, 1),
                (750, 3),
                (1000, 0),
                (1000, 3),
                (1250, 0),
                (1500, 1),
                (1500, 2),
                (1750, 1),
                (5000, 0),
                (5000, 3),
            ],
        ),
        (
            TaikoLayout::Ddkk,
            [
                (0, 0),
                (250, 3),
                (500, 2),
                (750, 1),
                (1000, 0),
                (1000, 1),
                (1250, 0),
                (1500, 2),
                (1500, 3),
                (1750, 2),
                (5000, 0),
                (5000, 1),
            ],
        ),
    ];
    for (layout, columns) in expected {
        let set = read(&bytes, layout);
        let [chart] = &set.charts[..] else {
            panic!("one chart")
        };
        assert_eq!(chart.key_count, 4);
        assert_eq!(placed(chart), columns, "{layout:?}");
        assert!(chart.notes.iter().all(|n| n.kind == NoteKind::Tap));
        assert!(chart.validate().is_empty(), "{:?}", chart.validate());
        let losses: Vec<(LossKind, Option<i64>)> = set
            .report
            .entries
            .iter()
            .map(|l| (l.kind, l.time_us))
            .collect();
        let dropped = |ms: i64| (LossKind::NoteDropped, Some(ms * 1000));
        // The drumroll, the spinner, the hold (a swell too), the third don at 5000 ms.
        assert_eq!(
            losses,
            [dropped(2000), dropped(3000), dropped(4000), dropped(5000)]
        );
    }
    // The default is KDDK, and `rox::decode` reads taiko maps too.
    let default = rox::decode(&bytes, Format::Auto).unwrap();
    assert_eq!(placed(&default), expected[0].1);
    // Timing as for mania: the red line and the 2x green line.
    assert_eq!(default.timing.len(), 2);
    assert!(
        matches!(default.timing[1].kind, TimingKind::Scroll { multiplier } if multiplier == 2.0)
    );
}

#[test]
fn standard_and_catch_stay_refused_by_name() {
    let text = String::from_utf8(fixture("osu/taiko.osu")).unwrap();
    for (mode, mode_name) in [(0, "standard"), (2, "catch")] {
        let other = text.replace("Mode: 1", &format!("Mode: {mode}"));
        match rox::decode(other.as_bytes(), Format::Osu) {
            Err(
                e @ Error::NotMania {
                    mode: m,
                    mode_name: n,
                },
            ) => {
                assert_eq!((m, n), (mode, mode_name));
                assert!(e.to_string().contains(mode_name), "{e}");
            }
            other => panic!("mode {mode}: {other:?}"),
        }
    }
}

#[test]
fn a_taiko_mode_after_the_hit_objects_is_an_error() {
    let text = String::from_utf8(fixture("osu/taiko.osu")).unwrap();
    let late = text
        .replace("Mode: 1\n", "")
        .replace("CircleSize:0", "CircleSize:4")
        + "[General]\nMode: 1\n";
    match rox::decode(late.as_bytes(), Format::Osu) {
        Err(Error::Parse { message, .. }) => {
            assert!(message.contains("after hit objects"), "{message}")
        }
        other => panic!("{other:?}"),
    }
}

/// osu!'s classification of a hit from its hit sound bits: (rim, big).
fn colour(bits: u8) -> (bool, bool) {
    (bits & (2 | 8) != 0, bits & 4 != 0)
}

/// The notes a layout gives the hits (time ms, rim, big) in time order, by the documented rule.
fn expected_notes(hits: &[(f64, bool, bool)], layout: TaikoLayout) -> Vec<(i64, u8)> {
    let mut out = Vec::new();
    let mut hand = 0;
    for &(time, rim, big) in hits {
        let [first, second] = layout.columns(rim);
        let time = time.round() as i64;
        if big {
            out.extend([(time, first), (time, second)]);
            hand = 0;
        } else {
            out.push((time, if hand % 2 == 0 { first } else { second }));
            hand += 1;
        }
    }
    out.sort();
    out
}

/// The slider velocity in effect at `time_us` by the chart's timing: the last green line, or 1
/// after a red line (a green line at a red line's time overrides it).
fn scroll_at(chart: &Chart, time_us: i64) -> f64 {
    let mut current = (i64::MIN, 1.0, false);
    for t in chart.timing.iter().take_while(|t| t.time_us <= time_us) {
        let (velocity, green) = match t.kind {
            TimingKind::Bpm { .. } => (1.0, false),
            TimingKind::Scroll { multiplier } => (multiplier, true),
            _ => continue,
        };
        if !(t.time_us == current.0 && current.2 && !green) {
            current = (t.time_us, velocity, green);
        }
    }
    current.1.clamp(0.1, 10.0)
}

#[test]
fn corpus_taiko_maps_agree_with_rosu_map() {
    let Some(dir) = common::corpus() else { return };
    let mut maps = 0;
    for (file, path) in common::files_under(&dir.join("osu"), "osu/") {
        if path.extension().map_or(true, |e| e != "osu") {
            continue;
        }
        let bytes = std::fs::read(&path).unwrap();
        let oracle: rosu_map::Beatmap = rosu_map::from_bytes(&bytes).unwrap();
        if oracle.mode != GameMode::Taiko {
            continue;
        }
        maps += 1;
        let mut hits = Vec::new();
        let mut rolls = 0;
        for h in &oracle.hit_objects {
            match h.kind {
                HitObjectKind::Circle(_) => {
                    let (rim, big) = colour(u8::from(HitSoundType::from(h.samples.as_slice())));
                    hits.push((h.start_time, rim, big));
                }
                _ => rolls += 1,
            }
        }
        hits.sort_by(|a, b| a.0.total_cmp(&b.0));
        for layout in TaikoLayout::ALL {
            let set = read(&bytes, layout);
            let chart = &set.charts[0];
            let mut ours = placed(chart);
            ours.sort();
            assert_eq!(ours, expected_notes(&hits, layout), "{file} {layout:?}");
            let dropped = set
                .report
                .entries
                .iter()
                .filter(|l| l.kind == LossKind::NoteDropped);
            assert_eq!(
                dropped.count(),
                rolls,
                "{file}: drumrolls and swells reported"
            );
            assert!(
                chart.validate().is_empty(),
                "{file}: {:?}",
                chart.validate()
            );
        }
        let chart = &read(&bytes, TaikoLayout::default()).charts[0];
        let reds: Vec<i64> = chart
            .timing
            .iter()
            .filter(|t| matches!(t.kind, TimingKind::Bpm { .. }))
            .map(|t| t.time_us / 1000)
            .collect();
        let oracle_reds: Vec<i64> = oracle
            .control_points
            .timing_points
            .iter()
            .map(|t| t.time as i64)
            .collect();
        assert_eq!(reds, oracle_reds, "{file}: red lines");
        for &(time, _, _) in &hits {
            let expected = oracle
                .control_points
                .difficulty_point_at(time)
                .map_or(1.0, |d| d.slider_velocity);
            let ours = scroll_at(chart, (time * 1000.0).round() as i64);
            assert!(
                (ours - expected).abs() < 1e-9,
                "{file} at {time} ms: SV {ours} vs {expected}"
            );
        }
    }
    assert!(maps >= 2, "expected the corpus's taiko maps, found {maps}");
}

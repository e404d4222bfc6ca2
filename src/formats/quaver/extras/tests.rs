//! The typed extras written to `Chart::extras` and read back.

use super::*;
use crate::formats::quaver;

fn item(time_us: i64, lane: u8, nth: u32, fields: &str) -> ItemFields {
    ItemFields {
        id: ItemId { time_us, lane, nth },
        fields: fields.to_owned(),
        ..ItemFields::default()
    }
}

/// Every kind of kept data, as the decoder would produce it.
fn sample_extras() -> Extras {
    let mine = ItemFields {
        end_time: Some("  EndTime: 2000\n".to_owned()),
        ..item(1_000_000, 8, 0, "  EditorLayer: 1\n")
    };
    let chord = ItemFields {
        keysounds: "  - Sample: 2\n    Volume: 50\n".to_owned(),
        ..item(1_500_000, 3, 1, "")
    };
    Extras {
        top: vec![
            ("BannerFile".to_owned(), "banner.png".to_owned()),
            (
                "EditorLayers".to_owned(),
                "- Name: flow\n  Hidden: no".to_owned(),
            ),
            ("Unknown".to_owned(), "{}".to_owned()),
        ],
        hit_objects: vec![mine, chord],
        timing_points: vec![
            item(-500, 0, 0, "  Hidden: true\n"),
            item(-500, 0, 1, "  X: 'y'\n"),
        ],
        slider_velocities: vec![item(1_234_567, 0, 0, "  TimingGroup: fast\n")],
        samples: vec![
            SampleFields {
                path: Some("kick.wav".to_owned()),
                fields: "  UnaffectedByRate: true\n".to_owned(),
            },
            SampleFields {
                path: Some("yes".to_owned()),
                fields: String::new(),
            },
        ],
    }
}

fn chart_with(extras: Vec<(String, String)>) -> Chart {
    Chart {
        key_count: 8,
        extras,
        ..Chart::default()
    }
}

#[test]
fn written_in_quaver_key_order_and_layout() {
    let written = sample_extras().into_chart_extras();
    let expected = [
        ("qua.BannerFile", "banner.png"),
        ("qua.EditorLayers", "- Name: flow\n  Hidden: no"),
        (
            "qua.CustomAudioSamples",
            "- Path: kick.wav\n  UnaffectedByRate: true\n- Path: 'yes'",
        ),
        (
            "qua.TimingPoints",
            "- StartTime: -0.5\n  Hidden: true\n- StartTime: -0.5\n  Nth: 1\n  X: 'y'",
        ),
        (
            "qua.SliderVelocities",
            "- StartTime: 1234.567\n  TimingGroup: fast",
        ),
        (
            "qua.HitObjects",
            "- StartTime: 1000\n  Lane: 8\n  EndTime: 2000\n  EditorLayer: 1\n\
             - StartTime: 1500\n  Lane: 3\n  Nth: 1\n  KeySounds:\n  - Sample: 2\n    Volume: 50",
        ),
        // Keys Quaver does not know come last.
        ("qua.Unknown", "{}"),
    ];
    let written: Vec<(&str, &str)> = written
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    assert_eq!(written, expected);
}

#[test]
fn read_back_as_written() {
    let extras = sample_extras();
    let chart = chart_with(extras.clone().into_chart_extras());
    let mut report = ConversionReport::default();
    let read = Extras::from_chart(&chart, &mut report);
    assert!(report.is_empty(), "{:?}", report.entries);
    assert_eq!(read.top_level("BannerFile"), Some("banner.png"));
    assert_eq!(read.top_level("Bookmarks"), None);
    // Top-level entries come back in Quaver's order, which the sample already has.
    assert_eq!(read, extras);
    assert_eq!(Extras::default().into_chart_extras(), vec![]);
}

#[test]
fn decoded_extras_read_back() {
    for (name, bytes) in [
        (
            "full",
            &include_bytes!("../../../../tests/fixtures/quaver/full.qua")[..],
        ),
        (
            "keysounds",
            include_bytes!("../../../../tests/fixtures/quaver/keysounds.qua"),
        ),
        (
            "scroll-groups",
            include_bytes!("../../../../tests/fixtures/quaver/scroll-groups.qua"),
        ),
    ] {
        let chart = quaver::decode(bytes, &mut ConversionReport::default()).unwrap();
        assert!(!chart.extras.is_empty(), "{name}");
        let mut report = ConversionReport::default();
        let read = Extras::from_chart(&chart, &mut report);
        assert!(report.is_empty(), "{name}: {:?}", report.entries);
        assert_eq!(read.into_chart_extras(), chart.extras, "{name}");
    }
}

#[test]
fn hand_written_tables_are_put_in_item_order() {
    let chart = chart_with(vec![(
        "qua.HitObjects".to_owned(),
        "- {StartTime: 2, Lane: 1, A: 1}\n- {StartTime: 1, Lane: 2, Nth: 1, B: 2}\n- {StartTime: 1, Lane: 2, C: 3}".to_owned(),
    )]);
    let read = Extras::from_chart(&chart, &mut ConversionReport::default());
    let ids: Vec<_> = read
        .hit_objects
        .iter()
        .map(|i| (i.id.time_us, i.id.lane, i.id.nth, i.fields.as_str()))
        .collect();
    assert_eq!(
        ids,
        [
            (1000, 2, 0, "  C: 3\n"),
            (1000, 2, 1, "  B: 2\n"),
            (2000, 1, 0, "  A: 1\n")
        ]
    );
}

#[test]
fn what_cannot_be_written_back_is_reported() {
    let entries = [
        ("osu.Custom", "1", "Quaver has no place for it"),
        (
            "qua.Title",
            "x",
            "duplicates a field written from the chart",
        ),
        ("qua.Bad Key", "1", "is not a key a .qua file can hold"),
        ("qua.Broken", "[unclosed", "is not valid"),
        (
            "qua.HitObjects",
            "- StartTime: 1\n  Lane: 9",
            "Lane is not a lane of the chart",
        ),
        (
            "qua.TimingPoints",
            "- StartTime: 1\n  Bpm: 120",
            "Bpm is written from the chart",
        ),
        (
            "qua.SliderVelocities",
            "- Multiplier: 2",
            "Multiplier is written from the chart",
        ),
        ("qua.CustomAudioSamples", "Path: a.wav", "expected a list"),
        ("qua.Kept", "yes", ""),
        ("qua.Kept", "no", "is given twice"),
    ];
    let chart = chart_with(
        entries
            .iter()
            .map(|(k, v, _)| (k.to_string(), v.to_string()))
            .collect(),
    );
    let mut report = ConversionReport::default();
    let read = Extras::from_chart(&chart, &mut report);
    let problems: Vec<_> = entries.iter().filter(|(_, _, p)| !p.is_empty()).collect();
    assert_eq!(report.entries.len(), problems.len(), "{:?}", report.entries);
    for ((key, _, problem), loss) in problems.iter().zip(&report.entries) {
        assert_eq!(loss.kind, LossKind::MetadataDropped);
        assert!(
            loss.message.starts_with(key) && loss.message.contains(problem),
            "{key}: {}",
            loss.message
        );
    }
    assert_eq!(
        read,
        Extras {
            top: vec![("Kept".to_owned(), "yes".to_owned())],
            ..Extras::default()
        }
    );
}

//! Sets written as `.osz` / `.qp` archives: every chart and resource back, resources copied
//! unopened, and what could not be written in the report.

mod common;

use std::io::{Cursor, Read};

use rox::{decode_set, encode_archive, Error, Format, LossKind};
use zip::ZipArchive;

/// (name, inflated content, compressed size) of every entry.
fn entries(archive: &[u8]) -> Vec<(String, Vec<u8>, u64)> {
    let mut zip = ZipArchive::new(Cursor::new(archive)).expect("a zip");
    (0..zip.len())
        .map(|i| {
            let mut entry = zip.by_index(i).unwrap();
            let mut content = Vec::new();
            entry.read_to_end(&mut content).unwrap();
            (entry.name().to_owned(), content, entry.compressed_size())
        })
        .collect()
}

#[test]
fn osz_to_set_to_osz_keeps_every_chart_and_resource() {
    let source = common::fixture("archives/song.osz");
    let set = decode_set(&source, Format::Auto).unwrap();
    let (written, report) = encode_archive(&set, Format::Osu, Some(&source)).unwrap();
    assert!(report.is_empty(), "{report:?}");

    let again = decode_set(&written, Format::Auto).unwrap();
    assert_eq!(again.charts, set.charts);
    assert_eq!(again.resources, set.resources);
    assert!(again.report.is_empty(), "{:?}", again.report);
    // Each resource comes back byte for byte, compressed as it was.
    let before = entries(&source);
    for resource in &set.resources {
        let find = |list: &[(String, Vec<u8>, u64)]| {
            list.iter()
                .find(|e| &e.0 == resource)
                .cloned()
                .unwrap_or_else(|| panic!("{resource} missing"))
        };
        assert_eq!(find(&entries(&written)), find(&before), "{resource}");
    }
    // osu!'s name, without the characters file systems refuse (the title's "//").
    let names: Vec<_> = entries(&written).into_iter().map(|e| e.0).collect();
    assert_eq!(
        names[..2],
        [
            "Someone - Test  Title (ROX) [Easy].osu",
            "Someone - Test  Title (ROX) [Hard].osu"
        ]
    );
}

#[test]
fn a_qp_holds_qua_charts_named_by_map_id() {
    let source = common::fixture("archives/song.osz");
    let mut set = decode_set(&source, Format::Auto).unwrap();
    set.charts[0].metadata.chart_id = None;
    set.charts[1].metadata.chart_id = Some(4242);
    let (written, report) = encode_archive(&set, Format::Qua, Some(&source)).unwrap();
    let again = decode_set(&written, Format::Auto).unwrap();
    assert_eq!(again.charts.len(), 2);
    assert!(again
        .charts
        .iter()
        .all(|c| c.source_format == Some(Format::Qua)));
    let names: Vec<_> = entries(&written).into_iter().map(|e| e.0).collect();
    assert_eq!(names[1], "4242.qua");
    assert!(names[0].ends_with("[Easy].qua"), "{names:?}");
    assert_eq!(again.resources, set.resources);
    // What .qua cannot hold is named with the chart's entry.
    assert!(report.entries.iter().all(|l| l.message.contains(".qua: ")));
}

#[test]
fn resources_that_cannot_be_copied_are_reported() {
    let source = common::fixture("archives/song.osz");
    let mut set = decode_set(&source, Format::Auto).unwrap();
    let (written, report) = encode_archive(&set, Format::Osu, None).unwrap();
    assert_eq!(
        decode_set(&written, Format::Auto).unwrap().charts,
        set.charts
    );
    assert_eq!(entries(&written).len(), set.charts.len());
    let kinds: Vec<_> = report.entries.iter().map(|l| l.kind).collect();
    assert_eq!(kinds, [LossKind::ResourceDropped]);
    assert!(report.entries[0].message.starts_with("2 resource file(s)"));

    set.resources.push("missing.ogg".into());
    let (_, report) = encode_archive(&set, Format::Osu, Some(&source)).unwrap();
    assert_eq!(report.entries.len(), 1, "{report:?}");
    assert!(report.entries[0]
        .message
        .starts_with("missing.ogg not copied"));
}

#[test]
fn names_are_unique_and_safe_and_other_formats_are_refused() {
    let source = common::fixture("archives/song.osz");
    let mut set = decode_set(&source, Format::Auto).unwrap();
    set.charts[0].metadata.difficulty_name = "../Ha:rd".into();
    set.charts[1].metadata.difficulty_name = "..Hard".into();
    set.resources.clear();
    let (written, _) = encode_archive(&set, Format::Osu, None).unwrap();
    let names: Vec<_> = entries(&written).into_iter().map(|e| e.0).collect();
    assert_eq!(
        names,
        [
            "Someone - Test  Title (ROX) [..Hard].osu",
            "Someone - Test  Title (ROX) [..Hard] (2).osu"
        ]
    );
    for format in [Format::Sm, Format::Rox, Format::Auto] {
        assert!(matches!(
            encode_archive(&set, format, None),
            Err(Error::InvalidArgument(_))
        ));
    }
}

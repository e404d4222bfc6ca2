//! `rox convert IN OUT.osz|OUT.qp`: every chart in one archive with the song's files, read back
//! by the zip crate (not by the library's own archive reader).

use std::io::Read as _;
use std::path::Path;

use crate::{common, rox, scratch_dir};

/// Every entry of a zip archive, name and bytes, in order.
fn entries(path: &Path) -> Vec<(String, Vec<u8>)> {
    let file = std::fs::File::open(path).unwrap();
    let mut zip = zip::ZipArchive::new(file).unwrap();
    (0..zip.len())
        .map(|i| {
            let mut entry = zip.by_index(i).unwrap();
            let mut bytes = Vec::new();
            entry.read_to_end(&mut bytes).unwrap();
            (entry.name().to_owned(), bytes)
        })
        .filter(|(name, _)| !name.ends_with('/'))
        .collect()
}

fn names_ending(entries: &[(String, Vec<u8>)], suffix: &str) -> usize {
    entries.iter().filter(|(n, _)| n.ends_with(suffix)).count()
}

#[test]
fn osz_to_qp_to_osz_keeps_every_chart_and_resource() {
    let dir = scratch_dir("cli_archive_round_trip");
    let osz = common::fixture_path("archives/song.osz");
    let source = entries(&osz);
    let (qp, back) = (dir.join("song.qp"), dir.join("back.osz"));
    for (from, to) in [(osz.as_path(), &qp), (qp.as_path(), &back)] {
        let out = rox(&["convert", from.to_str().unwrap(), to.to_str().unwrap()]);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let (qp, back) = (entries(&qp), entries(&back));
    // The fixture's third chart is not a mania map: two charts travel.
    assert_eq!(
        names_ending(&qp, ".qua"),
        2,
        "{:?}",
        qp.iter().map(|e| &e.0)
    );
    assert_eq!(names_ending(&back, ".osu"), 2);
    for resource in ["audio.mp3", "bg/bg.jpg"] {
        let original = source.iter().find(|(n, _)| n == resource).unwrap();
        for archive in [&qp, &back] {
            assert!(archive.contains(original), "{resource} lost or changed");
        }
    }
}

#[test]
fn a_loose_chart_takes_the_files_it_names_from_beside_it() {
    let dir = scratch_dir("cli_archive_loose");
    let chart = String::from_utf8(common::fixture("stepmania/worked.sm")).unwrap();
    // The audio is beside it; the background is missing; the banner would escape the folder.
    let chart = chart.replace(
        "#MUSIC:song.ogg;",
        "#MUSIC:song.ogg;\n#BACKGROUND:../secret.png;",
    );
    std::fs::write(dir.join("worked.sm"), chart).unwrap();
    std::fs::write(dir.join("song.ogg"), b"OggS not really audio").unwrap();
    std::fs::write(dir.parent().unwrap().join("secret.png"), b"private").unwrap();
    let osz = dir.join("worked.osz");
    let out = rox(&[
        "convert",
        dir.join("worked.sm").to_str().unwrap(),
        osz.to_str().unwrap(),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let written = entries(&osz);
    assert_eq!(names_ending(&written, ".osu"), 1);
    assert!(written.contains(&("song.ogg".into(), b"OggS not really audio".to_vec())));
    assert!(!written.iter().any(|(_, bytes)| bytes == b"private"));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.contains("resource_dropped: ../secret.png not copied"),
        "{stderr}"
    );
}

#[test]
fn archive_outputs_refuse_another_format_and_existing_files() {
    let dir = scratch_dir("cli_archive_refusals");
    let osz = common::fixture_path("archives/song.osz");
    let (input, out_qp) = (osz.to_str().unwrap(), dir.join("out.qp"));
    let out_qp = out_qp.to_str().unwrap();
    let out = rox(&["convert", input, out_qp, "--to", "osu"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("holds .qua charts"));
    assert!(rox(&["convert", input, out_qp]).status.success());
    let out = rox(&["convert", input, out_qp]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("exists (--force replaces it)"));
    let out = rox(&["convert", input, out_qp, "--force", "--chart", "Hard"]);
    assert!(out.status.success());
    assert_eq!(names_ending(&entries(Path::new(out_qp)), ".qua"), 1);
}

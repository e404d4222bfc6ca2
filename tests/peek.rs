//! `rox::peek` reads what song select shows, without the notes: for every corpus and fixture
//! chart it must give what a full decode gives for everything but the notes (and what only
//! notes carry: the keysound files osu! hit objects name, StepMania's unjudged-note hints) and
//! the extras (kept only to write a chart back).

mod common;

use std::path::{Path, PathBuf};

use rox::{Chart, ChartSet, Format};

fn chart_files(root: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(root).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            chart_files(&path, out);
        } else {
            out.push(path);
        }
    }
}

/// The fields that do not depend on the notes.
fn header(chart: &Chart) -> impl PartialEq + std::fmt::Debug + '_ {
    (
        &chart.metadata,
        chart.key_count,
        &chart.timing,
        chart.source_format,
    )
}

fn check(path: &Path) -> bool {
    let bytes = std::fs::read(path).unwrap();
    let (full, peeked) = (
        rox::decode_set(&bytes, Format::Auto),
        rox::peek(&bytes, Format::Auto),
    );
    let name = path.display();
    match (full, peeked) {
        (Ok(full), Ok(peeked)) => {
            compare(&full, &peeked, &name.to_string());
            true
        }
        // A file whose notes are broken may peek fine; one whose header is broken fails both.
        (Err(_), _) => false,
        (Ok(_), Err(e)) => panic!("{name}: decodes, but peek fails: {e}"),
    }
}

fn compare(full: &ChartSet, peeked: &ChartSet, name: &str) {
    assert_eq!(
        full.charts.len(),
        peeked.charts.len(),
        "{name}: chart count"
    );
    assert_eq!(full.resources, peeked.resources, "{name}");
    for (i, (f, p)) in full.charts.iter().zip(&peeked.charts).enumerate() {
        assert!(p.notes.is_empty(), "{name} #{i}: notes are not read");
        assert!(p.extras.is_empty(), "{name} #{i}: extras are not read");
        assert_eq!(header(f), header(p), "{name} #{i}");
    }
}

#[test]
fn peek_gives_what_decode_gives_but_the_notes() {
    let mut files = Vec::new();
    chart_files(&common::fixture_path(""), &mut files);
    match common::corpus() {
        Some(corpus) => chart_files(&corpus, &mut files),
        None => common::skip("peek_gives_what_decode_gives_but_the_notes: corpus charts"),
    }
    let compared = files.iter().filter(|f| check(f)).count();
    assert!(compared >= 40, "only {compared} files compared");
}

#[test]
fn peek_passes_over_hit_objects_it_cannot_read() {
    // A broken hit object fails a decode but not a peek, which never reads it.
    let osu = b"osu file format v14\n\n[General]\nMode: 3\n\n[Metadata]\nTitle:Peeked\n\n\
[Difficulty]\nCircleSize:7\n\n[TimingPoints]\n0,500,4,1,0,100,1,0\n\n[HitObjects]\nnot,a,hit,object\n\
\n[Colours]\nCombo1 : 1,2,3\n";
    assert!(rox::decode(osu, Format::Osu).is_err());
    let set = rox::peek(osu, Format::Auto).unwrap();
    assert_eq!(set.charts[0].metadata.title, "Peeked");
    assert_eq!(set.charts[0].key_count, 7);
    assert_eq!(set.charts[0].timing.len(), 1);
}

/// Found by fuzzing (`analysis`): `.qua` hit objects with blank lines or lone CRs inside an
/// item, and a CR that starts a top-level key. Peek passed over lines by LF alone and stopped
/// mid-item, so the map decoded but did not peek (or peeked a key into the list).
#[test]
fn peek_reads_qua_items_with_odd_line_breaks_as_decode_does() {
    let qua = b"Mode: Keys4\nTimingPoints:\n- StartTime: 0\n  Bpm: 160\nHitObjects:\n\
- StartTime: 100\n\r\r  Lane: 1\n- StartTime: 200\n\n  Lane: 2\n# a comment\n\
- StartTime: 300\n  Lane: 3\rTitle: After a CR\n";
    let full = rox::decode_set(qua, Format::Qua).unwrap();
    assert_eq!(full.charts[0].notes.len(), 3);
    assert_eq!(full.charts[0].metadata.title, "After a CR");
    compare(
        &full,
        &rox::peek(qua, Format::Qua).unwrap(),
        "odd line breaks",
    );
}

/// Found by fuzzing (`analysis`): a decode drops a chart whose note has a time out of range;
/// peek, which passed over every chart's notes, kept it. It reads them where the chart's timing
/// could put a note out of range.
#[test]
fn peek_drops_the_charts_decode_drops_for_their_notes() {
    let ssc = common::fixture("stepmania/notes_out_of_range.ssc");
    let full = rox::decode_set(&ssc, Format::Auto).unwrap();
    let difficulties: Vec<_> = full
        .charts
        .iter()
        .map(|c| c.metadata.difficulty_name.as_str())
        .collect();
    assert_eq!(difficulties, ["Easy"]);
    let peeked = rox::peek(&ssc, Format::Auto).unwrap();
    compare(&full, &peeked, "notes out of range");
}

/// A flow list left open on a hit object's line goes on over the next lines, whatever their
/// indentation: the `]` at column 0 below closes it and does not end `HitObjects`, which peek
/// passes over line by line.
#[test]
fn peek_follows_qua_brackets_over_lines_as_decode_does() {
    let qua = b"Mode: Keys4\nTimingPoints:\n- StartTime: 0\n  Bpm: 120\nHitObjects:\n\
- StartTime: 100\n  Lane: 1\n  KeySounds: [\n]\n- StartTime: 200\n  Lane: 2\n  KeySounds: []\n\
Title: After\n";
    let full = rox::decode_set(qua, Format::Qua).unwrap();
    assert_eq!(full.charts[0].notes.len(), 2);
    assert_eq!(full.charts[0].metadata.title, "After");
    compare(&full, &rox::peek(qua, Format::Qua).unwrap(), "brackets");
}

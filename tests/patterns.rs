//! Pattern analysis (`rox::analysis::patterns`): hand-built charts of each class give the
//! expected sections, windows of alternating classes do not split a section, bad input gives
//! empty results, and every corpus chart gives consistent shares and sections.

mod common;

use rox::analysis::patterns::{patterns, PatternKind, Patterns, Section};
use rox::{Chart, Note, NoteKind};

/// A 1/4 note at 180 BPM (83 333.3 µs), rounded up so that window k holds exactly rows
/// 6k..6k+5.
const SIXTEENTH_180_US: i64 = 83_334;
/// Etterna's interval length.
const WINDOW_US: i64 = 500_000;

/// A chart of `key_count` keys whose rows (columns pressed at once) repeat `cycle` for
/// `rows` rows, one every `step_us` from `start_us`.
fn cycled(key_count: u8, cycle: &[&[u8]], rows: usize, start_us: i64, step_us: i64) -> Chart {
    let mut chart = Chart::new(key_count);
    for (i, columns) in cycle.iter().cycle().take(rows).enumerate() {
        let time_us = start_us + i as i64 * step_us;
        chart
            .notes
            .extend(columns.iter().map(|&c| Note::tap(time_us, c)));
    }
    chart.sort();
    chart
}

/// 16 seconds of one cycle of rows at 1/4 180 BPM on 4K.
fn four_key(cycle: &[&[u8]]) -> Chart {
    cycled(4, cycle, 192, 0, SIXTEENTH_180_US)
}

/// The one section `chart` should be, from its first to its last note.
fn single_section(chart: &Chart, kind: PatternKind) {
    let result = patterns(chart, WINDOW_US);
    let expected = Section {
        kind,
        start_us: chart.notes[0].time_us,
        end_us: chart.notes.last().unwrap().time_us,
        notes: chart.notes.len() as u64,
    };
    assert_eq!(result.sections, vec![expected]);
    assert_eq!(result.shares[kind as usize], 1.0);
    assert_eq!(result.shares.iter().sum::<f64>(), 1.0);
}

#[test]
fn stream() {
    single_section(&four_key(&[&[0], &[1], &[2], &[3]]), PatternKind::Stream);
    // A roll one way and back is stream too, not a trill.
    let roll: &[&[u8]] = &[&[0], &[1], &[2], &[3], &[2], &[1]];
    single_section(&four_key(roll), PatternKind::Stream);
}

#[test]
fn jumpstream() {
    single_section(&four_key(&[&[0, 2], &[1], &[3]]), PatternKind::Jumpstream);
}

#[test]
fn handstream() {
    let cycle: &[&[u8]] = &[&[0, 1, 2], &[3], &[1], &[3]];
    single_section(&four_key(cycle), PatternKind::Handstream);
}

#[test]
fn chordjack() {
    let cycle: &[&[u8]] = &[&[0, 1], &[1, 2], &[2, 3], &[0, 3]];
    single_section(&four_key(cycle), PatternKind::Chordjack);
}

#[test]
fn jack() {
    single_section(&four_key(&[&[0], &[0], &[1], &[1]]), PatternKind::Jack);
    // 1K is all jacks.
    single_section(&cycled(1, &[&[0]], 40, 0, 100_000), PatternKind::Jack);
}

#[test]
fn trill() {
    single_section(&four_key(&[&[0], &[1]]), PatternKind::Technical);
    single_section(&four_key(&[&[0, 1], &[2, 3]]), PatternKind::Technical);
}

/// Stream then jumpstream, each 8 windows: two sections, the second starting at its first
/// note, so the boundary is exact and nothing flickers.
#[test]
fn a_change_of_class_is_one_boundary() {
    let mut chart = four_key(&[&[0], &[1], &[2], &[3]]);
    chart.notes.truncate(48);
    let js = cycled(
        4,
        &[&[0, 2], &[1], &[3]],
        48,
        48 * SIXTEENTH_180_US,
        SIXTEENTH_180_US,
    );
    chart.notes.extend(js.notes);
    let result = patterns(&chart, WINDOW_US);
    let kinds: Vec<PatternKind> = result.sections.iter().map(|s| s.kind).collect();
    assert_eq!(kinds, [PatternKind::Stream, PatternKind::Jumpstream]);
    assert_eq!(result.sections[1].start_us, 48 * SIXTEENTH_180_US);
    assert_eq!(result.sections[0].notes, 48);
    assert_eq!(result.sections[1].notes, 64);
    assert_eq!(result.shares[0] + result.shares[1], 1.0);
}

/// Windows alternating between stream and jumpstream (6 rows each, one window) stay one
/// section, of the first window's class: a class needs two windows in a row to take over.
#[test]
fn alternating_windows_do_not_flicker() {
    let stream: &[&[u8]] = &[&[0], &[1], &[2], &[3], &[0], &[1]];
    let js: &[&[u8]] = &[&[0, 2], &[1], &[3], &[0, 2], &[1], &[3]];
    let cycle: Vec<&[u8]> = stream.iter().chain(js).copied().collect();
    let chart = cycled(4, &cycle, 120, 0, SIXTEENTH_180_US);
    let result = patterns(&chart, WINDOW_US);
    assert_eq!(result.sections.len(), 1, "{:?}", result.sections);
    assert_eq!(result.sections[0].kind, PatternKind::Stream);
    assert_eq!(result.sections[0].notes, chart.notes.len() as u64);
}

/// A single sparse window inside a stream keeps the stream; a gap of an empty window ends it.
#[test]
fn gaps() {
    let mut chart = four_key(&[&[0], &[1], &[2], &[3]]);
    // Rows 48..54 (window 8) thinned to two notes: sparse, absorbed.
    chart.notes.retain(|n| {
        let row = n.time_us / SIXTEENTH_180_US;
        !(49..54).contains(&row) || row == 51
    });
    assert_eq!(patterns(&chart, WINDOW_US).sections.len(), 1);
    // Window 8 emptied: two sections either side of it.
    chart
        .notes
        .retain(|n| !(48..54).contains(&(n.time_us / SIXTEENTH_180_US)));
    let sections = patterns(&chart, WINDOW_US).sections;
    assert_eq!(sections.len(), 2);
    assert_eq!(sections[0].end_us, 47 * SIXTEENTH_180_US);
    assert_eq!(sections[1].start_us, 54 * SIXTEENTH_180_US);
}

/// Mines and fakes are not played; holds count by their start; a slow chart has no section.
#[test]
fn what_counts() {
    let mut chart = four_key(&[&[0], &[1], &[2], &[3]]);
    for note in chart.notes.iter_mut().skip(1).step_by(2) {
        note.kind = NoteKind::Hold;
        note.duration_us = 10_000_000;
    }
    let plain = four_key(&[&[0], &[1], &[2], &[3]]);
    assert_eq!(patterns(&chart, WINDOW_US), patterns(&plain, WINDOW_US));
    // Mines on every other column at each row would make jumps if they were played.
    let mut mined = plain.clone();
    for (kind, column) in [(NoteKind::Mine, 1), (NoteKind::Fake, 3)] {
        let extra = plain.notes.iter().step_by(4).map(|n| Note {
            column,
            kind,
            ..Note::tap(n.time_us, column)
        });
        mined.notes.extend(extra.collect::<Vec<_>>());
    }
    mined.sort();
    assert_eq!(patterns(&mined, WINDOW_US), patterns(&plain, WINDOW_US));
    let slow = cycled(4, &[&[0], &[1], &[2], &[3]], 100, 0, 250_000);
    assert_eq!(patterns(&slow, WINDOW_US), Patterns::default());
}

/// A hand is one note more than one hand presses: below 4 keys there are none, so what is
/// handstream on 4K is jumpstream on 3K; on 7K (three columns a hand, the middle one the
/// thumbs') a hand is four notes.
#[test]
fn few_keys() {
    let cycle: &[&[u8]] = &[&[0, 1, 2], &[0], &[1], &[2], &[0], &[1]];
    let three = cycled(3, cycle, 192, 0, SIXTEENTH_180_US);
    single_section(&three, PatternKind::Jumpstream);
    let four = cycled(4, cycle, 192, 0, SIXTEENTH_180_US);
    single_section(&four, PatternKind::Handstream);
    let seven = cycled(7, cycle, 192, 0, SIXTEENTH_180_US);
    single_section(&seven, PatternKind::Jumpstream);
    let cycle: &[&[u8]] = &[&[0, 1, 5, 6], &[2], &[3], &[4], &[0], &[1]];
    let seven = cycled(7, cycle, 192, 0, SIXTEENTH_180_US);
    single_section(&seven, PatternKind::Handstream);
    // 18 keys work like 4: a stream over all columns.
    let columns: Vec<Vec<u8>> = (0..18).map(|c| vec![c]).collect();
    let cycle: Vec<&[u8]> = columns.iter().map(Vec::as_slice).collect();
    single_section(
        &cycled(18, &cycle, 180, 0, SIXTEENTH_180_US),
        PatternKind::Stream,
    );
}

#[test]
fn bad_input() {
    let empty = Chart::new(4);
    assert_eq!(patterns(&empty, WINDOW_US), Patterns::default());
    let mut one = Chart::new(4);
    one.notes.push(Note::tap(5, 0));
    assert_eq!(patterns(&one, WINDOW_US), Patterns::default());
    let stream = four_key(&[&[0], &[1], &[2], &[3]]);
    assert_eq!(patterns(&stream, 0), Patterns::default());
    assert_eq!(patterns(&stream, -1), Patterns::default());
    // Tiny and huge windows: every window sparse.
    assert_eq!(patterns(&stream, 1).sections, []);
    assert_eq!(patterns(&stream, i64::MAX).sections, []);
    // Notes out of order (a chart built in code, not yet sorted) are read in time order.
    let mut unsorted = stream.clone();
    unsorted.notes.reverse();
    assert_eq!(patterns(&unsorted, WINDOW_US), patterns(&stream, WINDOW_US));
    // A note beyond the key count is not played.
    let mut beyond = stream.clone();
    beyond.notes.push(Note::tap(0, 9));
    beyond.sort();
    assert_eq!(patterns(&beyond, WINDOW_US), patterns(&stream, WINDOW_US));
}

/// Notes at ±2^52 µs (and the extremes of i64) neither overflow nor make NaN.
#[test]
fn extreme_times() {
    let edge = 1i64 << 52;
    for (start, step) in [(-edge, SIXTEENTH_180_US), (i64::MIN, 1), (edge, 1)] {
        let chart = cycled(4, &[&[0], &[1], &[2], &[3]], 50, start, step);
        let result = patterns(&chart, WINDOW_US);
        assert!(result.shares.iter().all(|s| (0.0..=1.0).contains(s)));
    }
    let mut far = Chart::new(4);
    far.notes = vec![Note::tap(i64::MIN, 0), Note::tap(i64::MAX, 1)];
    for window in [1, WINDOW_US, i64::MAX] {
        assert_eq!(patterns(&far, window), Patterns::default());
    }
}

/// Every chart of the corpus: shares in 0..=1 summing to at most 1 and matching the
/// sections; sections sorted, non-overlapping, each within the chart.
#[test]
fn corpus_charts_are_consistent() {
    let Some(root) = common::corpus() else { return };
    let mut files = Vec::new();
    collect(&root, &mut files);
    let mut with_sections = 0;
    for path in files {
        let bytes = std::fs::read(&path).unwrap();
        let Ok(set) = rox::decode_set(&bytes, rox::Format::Auto) else {
            continue;
        };
        for chart in &set.charts {
            for window in [250_000, 500_000, 2_000_000] {
                let result = patterns(chart, window);
                check(&result, &format!("{} at {window}", path.display()));
                with_sections += usize::from(!result.sections.is_empty());
            }
        }
    }
    assert!(
        with_sections > 10,
        "only {with_sections} results with sections"
    );
}

fn collect(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            collect(&path, out);
        } else {
            out.push(path);
        }
    }
}

fn check(result: &Patterns, name: &str) {
    let sum: f64 = result.shares.iter().sum();
    assert!(sum <= 1.0 + 1e-9, "{name}: shares sum to {sum}");
    assert!(
        result.shares.iter().all(|s| (0.0..=1.0).contains(s)),
        "{name}"
    );
    for pair in result.sections.windows(2) {
        assert!(pair[0].end_us < pair[1].start_us, "{name}: {pair:?}");
    }
    let mut notes = [0u64; PatternKind::ALL.len()];
    for s in &result.sections {
        assert!(s.start_us <= s.end_us && s.notes > 0, "{name}: {s:?}");
        notes[s.kind as usize] += s.notes;
    }
    for kind in PatternKind::ALL {
        let (share, notes) = (result.shares[kind as usize], notes[kind as usize]);
        assert_eq!(share == 0.0, notes == 0, "{name}: {kind:?}");
    }
}

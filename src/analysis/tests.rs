//! Hand-computed fixtures (every expected figure is worked out in the comments).

use super::*;
use crate::model::{TimingPoint, MAX_ABS_TIME_US};

const MS: i64 = 1000;

fn note(kind: NoteKind, time_ms: i64, duration_ms: i64, column: u8) -> Note {
    Note {
        time_us: time_ms * MS,
        duration_us: duration_ms * MS,
        column,
        kind,
        ..Note::default()
    }
}

fn tap(time_ms: i64, column: u8) -> Note {
    note(NoteKind::Tap, time_ms, 0, column)
}

fn hold(time_ms: i64, duration_ms: i64, column: u8) -> Note {
    note(NoteKind::Hold, time_ms, duration_ms, column)
}

/// 4K at 120 BPM (beats of 500 ms). Played starts (ms): 0 0 250 500 600 1000 1000 1000 5000;
/// a mine and a fake that count only as kinds.
fn fixture() -> Chart {
    let mut chart = Chart::new(4);
    chart.timing.push(TimingPoint::bpm(0, 120.0, 4));
    chart.notes = vec![
        tap(0, 0),
        tap(0, 1),
        tap(250, 2),
        hold(500, 1000, 3),
        hold(600, 200, 0),
        note(NoteKind::Mine, 700, 0, 1),
        note(NoteKind::Fake, 900, 0, 2),
        tap(1000, 0),
        tap(1000, 1),
        tap(1000, 2),
        tap(5000, 0),
    ];
    chart
}

#[test]
fn statistics_of_the_fixture() {
    let s = statistics(&fixture());
    // Taps 0 0 250 1000×3 5000; holds at 500 and 600.
    assert_eq!(s.kind_counts, [7, 2, 0, 1, 0, 1]);
    assert_eq!(s.column_counts, [4, 2, 2, 1]);
    // Chords: 2 at 0 ms, 3 at 1000 ms, single notes at 250, 500, 600, 5000.
    assert_eq!(s.chord_sizes, [0, 4, 1, 1]);
    assert_eq!((s.first_note_us, s.last_note_end_us), (0, 5000 * MS));
    assert_eq!(s.length_us, 5000 * MS);
    // Gap from the hold's end (1500) to 5000: the break runs from 1500 + 200 to
    // 5000 - max(450, 2 × 500) = 4000, i.e. 2300 ms.
    assert_eq!(s.break_us, 2300 * MS);
    assert_eq!(s.drain_us, 2700 * MS);
    assert_eq!(
        s.bpm,
        BpmStats {
            min: 120.0,
            max: 120.0,
            dominant: 120.0
        }
    );
    // 9 played notes over 5 s.
    assert_eq!(s.average_nps, 1.8);
    // [250, 1250) holds 250 500 600 1000 1000 1000.
    assert_eq!(s.max_nps, 6.0);
    assert_eq!(
        (s.longest_hold_us, s.max_simultaneous_holds),
        (1000 * MS, 2)
    );
}

#[test]
fn nps_windows_and_density() {
    let chart = fixture();
    // Half a second: [600, 1100) holds 600 and the chord of three: 4 / 0.5.
    assert_eq!(max_nps(&chart, 500 * MS), 8.0);
    // Ten seconds hold all 9.
    assert_eq!(max_nps(&chart, 10_000 * MS), 0.9);
    assert_eq!(max_nps(&chart, 0), 0.0);
    assert_eq!(max_nps(&chart, -5), 0.0);
    // Slices of one second: 0 0 250 500 600 | 1000×3 | - | - | 5000 (the end, in the last).
    assert_eq!(density(&chart, 5), [5, 3, 0, 0, 1]);
    assert_eq!(density(&chart, 1), [9]);
    assert!(density(&chart, 0).is_empty());
}

#[test]
fn a_break_needs_a_long_enough_gap() {
    let mut chart = Chart::new(1);
    chart.timing.push(TimingPoint::bpm(0, 120.0, 4));
    // A gap of 1299 ms is no break; at 60 BPM (two beats: 2000 ms) a gap of 2849 ms leaves
    // 2849 - 200 - 2000 = 649 ms, no break either; 2850 ms leaves exactly 650.
    chart.notes = vec![tap(0, 0), tap(1299, 0)];
    assert_eq!(statistics(&chart).break_us, 0);
    chart.timing[0] = TimingPoint::bpm(0, 60.0, 4);
    chart.notes = vec![tap(0, 0), tap(2849, 0)];
    assert_eq!(statistics(&chart).break_us, 0);
    chart.notes = vec![tap(0, 0), tap(2850, 0)];
    assert_eq!(statistics(&chart).break_us, 650 * MS);
    // Without any tempo lazer's default beat of 1000 ms applies: the same.
    chart.timing.clear();
    assert_eq!(statistics(&chart).break_us, 650 * MS);
    // A hold spanning the gap leaves none.
    chart.notes = vec![hold(0, 2850, 0), tap(1000, 0), tap(2850, 0)];
    assert_eq!(statistics(&chart).break_us, 0);
}

#[test]
fn dominant_bpm_follows_lazer() {
    let bpms = |points: &[(i64, f64)], last_ms: i64| {
        let mut chart = Chart::new(1);
        chart.timing = points
            .iter()
            .map(|&(t, bpm)| TimingPoint::bpm(t * MS, bpm, 4))
            .collect();
        chart.notes = vec![tap(0, 0), tap(last_ms, 0)];
        statistics(&chart).bpm
    };
    // The first tempo counts from time 0: 200 BPM from 5 s lasts 0..8 s, 100 BPM 8..12 s.
    let first = bpms(&[(5000, 200.0), (8000, 100.0)], 12_000);
    assert_eq!(
        (first.min, first.max, first.dominant),
        (100.0, 200.0, 200.0)
    );
    // A tie goes to the first: 100 BPM 0..4 s, 200 BPM 4..8 s.
    assert_eq!(bpms(&[(0, 100.0), (4000, 200.0)], 8000).dominant, 100.0);
    // Equal to 0.001 ms of beat length, two tempos are one: 120 (0..3 s) and 120.0000001
    // (6..9 s) beat 150 (3..6 s); the rounded 500 ms is clamped into the real range.
    let near = bpms(&[(0, 120.0), (3000, 150.0), (6000, 120.000_000_1)], 9000);
    assert_eq!(near.dominant, 120.0);
    // A tempo after the last note lasts nothing, but (as in lazer) the one before it lasts
    // until it: 240 BPM 2..20 s beats 120 BPM 0..2 s although the last note is at 3 s.
    let after = bpms(&[(0, 120.0), (2000, 240.0), (20_000, 60.0)], 3000);
    assert_eq!((after.dominant, after.min), (240.0, 60.0));
}

#[test]
fn unusable_tempos_give_zeros_and_never_hang() {
    let mut chart = fixture();
    chart.timing = [0.0, -120.0, f64::NAN, f64::INFINITY, f64::MIN_POSITIVE]
        .iter()
        .enumerate()
        .map(|(i, &bpm)| TimingPoint::bpm(i as i64, bpm, 4))
        .collect();
    let s = statistics(&chart);
    // Only the tiny positive BPM is usable: its beat is longer than any gap, so no break.
    assert_eq!(
        (s.bpm.min, s.bpm.max),
        (f64::MIN_POSITIVE, f64::MIN_POSITIVE)
    );
    assert!(!s.bpm.dominant.is_nan());
    assert_eq!(s.break_us, 0);
    chart.timing.truncate(4);
    let s = statistics(&chart);
    assert_eq!(s.bpm, BpmStats::default());
    // lazer's default beat (1000 ms): 5000 - 2000 - 1700 = 1300 ms of break.
    assert_eq!(s.break_us, 1300 * MS);
}

#[test]
fn empty_and_single_note_charts_give_zeros() {
    let empty = statistics(&Chart::new(4));
    assert_eq!(
        empty,
        ChartStats {
            column_counts: vec![0; 4],
            ..ChartStats::default()
        }
    );
    let mut one = Chart::new(4);
    one.notes.push(tap(300, 2));
    let s = statistics(&one);
    assert_eq!((s.first_note_us, s.last_note_end_us), (300 * MS, 300 * MS));
    assert_eq!((s.length_us, s.drain_us, s.break_us), (0, 0, 0));
    assert_eq!((s.average_nps, s.max_nps), (0.0, 0.0));
    assert_eq!(s.chord_sizes, [0, 1]);
    assert_eq!(density(&one, 3), [1, 0, 0]);
}

#[test]
fn extreme_times_never_overflow() {
    let mut chart = Chart::new(18);
    chart
        .timing
        .push(TimingPoint::bpm(-MAX_ABS_TIME_US, 1e-300, 4));
    chart.notes = vec![
        Note::tap(-MAX_ABS_TIME_US, 0),
        Note::hold(MAX_ABS_TIME_US - 10, 10, 1),
        Note::tap(MAX_ABS_TIME_US, 17),
    ];
    let s = statistics(&chart);
    assert_eq!(s.length_us, 2 * MAX_ABS_TIME_US);
    assert!(s.drain_us >= 0 && s.drain_us <= s.length_us);
    assert!(s.average_nps.is_finite() && s.max_nps.is_finite());
    assert_eq!(density(&chart, 2), [1, 2]);
    // Beyond the model's range (an invalid chart): clamped, no panic.
    chart.notes = vec![Note::tap(i64::MIN, 0), Note::hold(i64::MAX, i64::MAX, 1)];
    let s = statistics(&chart);
    assert_eq!(s.length_us, i64::MAX);
    assert_eq!(s.longest_hold_us, 0);
    assert_eq!(density(&chart, 4), [1, 0, 0, 1]);
    // The two starts lie more than `i64::MAX` apart: one per window.
    assert_eq!(max_nps(&chart, i64::MAX), 1.0 / (i64::MAX as f64 / 1e6));
}

#[test]
fn unsorted_notes_give_the_same_statistics_and_hash() {
    let chart = fixture();
    let mut shuffled = chart.clone();
    shuffled.notes.reverse();
    shuffled.notes.swap(2, 7);
    assert_eq!(statistics(&shuffled), statistics(&chart));
    assert_eq!(density(&shuffled, 7), density(&chart, 7));
    assert_eq!(content_hash(&shuffled), content_hash(&chart));
}

#[test]
fn the_content_hash_sees_play_and_only_play() {
    let chart = fixture();
    let hash = content_hash(&chart);
    let mut other = chart.clone();
    other.metadata.title = "Another title".into();
    other.notes[0].sound.flags = 8;
    other.notes[1].keysound = Some(0);
    other.keysounds.push("kick.wav".into());
    other.timing[0].volume = 40;
    other.extras.push(("osu.Colours".into(), "x".into()));
    assert_eq!(content_hash(&other), hash);
    // A tap with a stray duration plays as a tap.
    other.notes[0].duration_us = 7;
    assert_eq!(content_hash(&other), hash);
    let changes: [fn(&mut Chart); 5] = [
        |c| c.notes[2].time_us += 1,
        |c| c.notes[3].duration_us += 1,
        |c| c.notes[2].column = 3,
        |c| c.notes[0].kind = NoteKind::Lift,
        |c| c.timing[0] = TimingPoint::bpm(0, 120.000_000_001, 4),
    ];
    for change in changes {
        let mut changed = chart.clone();
        change(&mut changed);
        assert_ne!(content_hash(&changed), hash);
    }
    let mut zero = chart.clone();
    zero.timing.push(TimingPoint::scroll(0, 0.0));
    let mut negative_zero = chart;
    negative_zero.timing.push(TimingPoint::scroll(0, -0.0));
    assert_eq!(content_hash(&zero), content_hash(&negative_zero));
}

#[test]
fn canonical_form_layout() {
    let mut chart = Chart::new(7);
    chart.timing.push(TimingPoint::bpm(-1, 150.0, 3));
    chart.notes.push(hold(2, 1, 6));
    let bytes = canonical_bytes(&chart);
    let mut expected = vec![CANONICAL_VERSION, 7];
    expected.extend(1u64.to_le_bytes());
    expected.extend(1u64.to_le_bytes());
    expected.extend(2000i64.to_le_bytes());
    expected.extend(1000i64.to_le_bytes());
    expected.extend([6, NoteKind::Hold as u8]);
    expected.push(0); // TimingTag::Bpm
    expected.extend((-1i64).to_le_bytes());
    expected.extend(150.0f64.to_bits().to_le_bytes());
    expected.extend(3u32.to_le_bytes());
    assert_eq!(bytes, expected);
    assert_eq!(content_hash(&chart), xxhash_rust::xxh3::xxh3_64(&expected));
}

#[test]
fn md5_vectors() {
    // RFC 1321, appendix A.5.
    let hex = |b: [u8; 16]| b.iter().map(|x| format!("{x:02x}")).collect::<String>();
    assert_eq!(hex(file_md5(b"")), "d41d8cd98f00b204e9800998ecf8427e");
    assert_eq!(hex(file_md5(b"abc")), "900150983cd24fb0d6963f7d28e17f72");
    assert_eq!(
        hex(file_md5(
            b"12345678901234567890123456789012345678901234567890123456789012345678901234567890"
        )),
        "57edf4a22be3c955ac49da2e2107b67a"
    );
}

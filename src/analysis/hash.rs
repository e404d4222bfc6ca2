//! Hashes that identify a chart: the content hash (what is played, whatever the file format)
//! and the MD5 of a file's bytes (the key of osu! and Quaver leaderboards). The canonical form
//! is specified in docs/analysis.md; any change to it must bump [`CANONICAL_VERSION`].

use std::borrow::Cow;

use md5::{Digest, Md5};
use xxhash_rust::xxh3::Xxh3;

use crate::model::{Note, TimingKind, TimingPoint};
use crate::Chart;

/// Version of the canonical form, its first byte.
pub const CANONICAL_VERSION: u8 = 1;

/// Bytes of the header, per note and per timing point in the canonical form.
const NOTE_BYTES: usize = 18;
const TIMING_BYTES: usize = 21;
const HEADER_BYTES: usize = 18;

/// The canonical form of the chart's notes and timing (docs/analysis.md): no metadata, no
/// sounds, independent of memory layout and of the order of equal notes.
pub fn canonical_bytes(chart: &Chart) -> Vec<u8> {
    let size = HEADER_BYTES + chart.notes.len() * NOTE_BYTES + chart.timing.len() * TIMING_BYTES;
    let mut out = Vec::with_capacity(size);
    write_canonical(chart, |bytes| out.extend_from_slice(bytes));
    out
}

/// XXH3-64 (seed 0) of [`canonical_bytes`]: equal for charts that play the same, in any
/// format; different (but for a 2^-64 chance) when a note or a timing value differs.
pub fn content_hash(chart: &Chart) -> u64 {
    // Streamed in blocks: no buffer as large as the chart (whose fresh pages cost more than
    // the hashing).
    let mut hasher = Xxh3::new();
    write_canonical(chart, |bytes| hasher.update(bytes));
    hasher.digest()
}

/// Records are gathered into blocks of this many bytes before they reach the sink.
const BLOCK_BYTES: usize = 8192;

/// Hands the canonical form to `sink` in order, in blocks.
fn write_canonical(chart: &Chart, mut sink: impl FnMut(&[u8])) {
    let notes = canonical_notes(&chart.notes);
    let timing = canonical_timing(&chart.timing);
    let mut header = [0u8; HEADER_BYTES];
    header[0] = CANONICAL_VERSION;
    header[1] = chart.key_count;
    header[2..10].copy_from_slice(&(notes.len() as u64).to_le_bytes());
    header[10..18].copy_from_slice(&(timing.len() as u64).to_le_bytes());
    sink(&header);
    write_blocks(&notes, note_record, &mut sink);
    write_blocks(&timing, timing_record, &mut sink);
}

/// Writes the record of each item (`N` bytes, by `fill`) in blocks to `sink`.
fn write_blocks<T, const N: usize>(
    items: &[T],
    fill: impl Fn(&T, &mut [u8; N]),
    sink: &mut impl FnMut(&[u8]),
) {
    let mut block = [0u8; BLOCK_BYTES];
    for group in items.chunks(BLOCK_BYTES / N) {
        let used = group.len() * N;
        for (item, record) in group.iter().zip(block[..used].chunks_exact_mut(N)) {
            let record: &mut [u8; N] = record.try_into().expect("chunks of N bytes");
            fill(item, record);
        }
        sink(&block[..used]);
    }
}

/// MD5 of a file's bytes, as osu! and Quaver key their leaderboards.
pub fn file_md5(bytes: &[u8]) -> [u8; 16] {
    Md5::digest(bytes).into()
}

/// `items` sorted by `key` (stable); borrowed when they already are, as in a valid chart.
/// `key` starts with the time, compared alone first: most neighbours differ in it.
fn sorted_by<T: Clone, K: Ord>(
    items: &[T],
    time: impl Fn(&T) -> i64,
    key: impl Fn(&T) -> K,
) -> Cow<'_, [T]> {
    let in_order = |a: &T, b: &T| time(a) < time(b) || (time(a) == time(b) && key(a) <= key(b));
    if items.windows(2).all(|w| in_order(&w[0], &w[1])) {
        return Cow::Borrowed(items);
    }
    let mut sorted = items.to_vec();
    sorted.sort_by_key(key);
    Cow::Owned(sorted)
}

/// Notes in (time, column, kind, duration) order.
fn canonical_notes(notes: &[Note]) -> Cow<'_, [Note]> {
    sorted_by(
        notes,
        |n| n.time_us,
        |n| (n.time_us, n.column, n.kind as u8, canonical_duration(n)),
    )
}

/// Timing points in time order, keeping the order of points at one time (it has meaning).
fn canonical_timing(timing: &[TimingPoint]) -> Cow<'_, [TimingPoint]> {
    sorted_by(timing, |p| p.time_us, |p| p.time_us)
}

/// Only holds and rolls have a duration; another kind's stray value means nothing.
fn canonical_duration(note: &Note) -> i64 {
    if note.kind.has_duration() {
        note.duration_us
    } else {
        0
    }
}

/// time i64, duration i64, column u8, kind u8.
fn note_record(note: &Note, record: &mut [u8; NOTE_BYTES]) {
    record[0..8].copy_from_slice(&note.time_us.to_le_bytes());
    record[8..16].copy_from_slice(&canonical_duration(note).to_le_bytes());
    record[16] = note.column;
    record[17] = note.kind as u8;
}

/// One float, one bit pattern: -0.0 is 0.0 and every NaN the quiet NaN.
fn float_bits(value: f64) -> u64 {
    if value.is_nan() {
        f64::NAN.to_bits()
    } else {
        (value + 0.0).to_bits()
    }
}

/// tag u8, time i64, value u64 (float bits or i64), meter u32 (0 but for BPM).
fn timing_record(point: &TimingPoint, record: &mut [u8; TIMING_BYTES]) {
    let (value, meter) = match point.kind {
        TimingKind::Bpm { bpm, meter } => (float_bits(bpm), meter),
        TimingKind::Scroll { multiplier } => (float_bits(multiplier), 0),
        TimingKind::Stop { duration_us } | TimingKind::Delay { duration_us } => {
            (duration_us as u64, 0)
        }
        TimingKind::Warp { beats } => (float_bits(beats), 0),
    };
    record[0] = point.kind.tag() as u8;
    record[1..9].copy_from_slice(&point.time_us.to_le_bytes());
    record[9..17].copy_from_slice(&value.to_le_bytes());
    record[17..21].copy_from_slice(&meter.to_le_bytes());
}

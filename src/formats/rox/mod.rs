//! The `.rox` binary format, version 1. The byte layout, and why it is so, is in
//! docs/rox-format.md; this file holds the container (header, checksum, compression), the
//! constants shared by `encode` and `decode`, and the public entry points.

use std::borrow::Cow;

use crate::model::{time_in_range, DecodeLimits, IssueKind, Note, NoteChecker, ValidationIssue};
use crate::{Chart, Error, Result};

/// The metadata strings in their stored order (docs/rox-format.md §5), borrowed as `&` or
/// `&mut`, so the encoder and decoder share one list.
macro_rules! metadata_strings {
    ($m:ident, $($borrow:tt)+) => {
        [
            $($borrow)+ $m.title,
            $($borrow)+ $m.title_unicode,
            $($borrow)+ $m.subtitle,
            $($borrow)+ $m.artist,
            $($borrow)+ $m.artist_unicode,
            $($borrow)+ $m.creator,
            $($borrow)+ $m.difficulty_name,
            $($borrow)+ $m.source,
            $($borrow)+ $m.genre,
            $($borrow)+ $m.tags,
            $($borrow)+ $m.description,
            $($borrow)+ $m.audio_file,
            $($borrow)+ $m.background_file,
            $($borrow)+ $m.style,
        ]
    };
}

mod decode;
mod encode;
mod times;
mod wire;

pub const MAGIC: [u8; 8] = *b"\x89ROX\r\n\x1a\n";
/// The format version this library writes and the newest it reads.
pub const VERSION: u16 = 1;
const HEADER_LEN: usize = 24;
/// No payload is larger, whatever its header claims: the decoder never allocates more.
pub const MAX_PAYLOAD_LEN: usize = 256 << 20;
/// A compressed payload may claim at most this many times its stored size. Real charts
/// compress 5–10:1; this bounds what a small forged file can make the decoder allocate.
pub const MAX_COMPRESSION_RATIO: usize = 1024;
/// zstd level of `encode`: chosen from the level sweep in benches/rox.rs.
pub const DEFAULT_ZSTD_LEVEL: i32 = 3;

const COMPRESSION_MASK: u16 = 0x000f;
const COMPRESSION_NONE: u16 = 0;
const COMPRESSION_ZSTD: u16 = 1;

/// Section ids (docs/rox-format.md §3). Bit 15 set: readers that do not know the id must
/// refuse the file.
mod section {
    pub const REQUIRED: u16 = 0x8000;
    pub const METADATA: u16 = 0x8001;
    pub const TIMING: u16 = 0x8002;
    pub const NOTES: u16 = 0x8003;
    pub const KEYSOUNDS: u16 = 0x8004;
    pub const EXTRAS: u16 = 0x8005;
    /// Optional: the format the chart was first read from (`Chart::source_format`).
    pub const ORIGIN: u16 = 0x0001;
}

/// Bits of the metadata presence byte.
mod meta_bit {
    pub const DIFFICULTY_LEVEL: u8 = 1 << 0;
    pub const PREVIEW_TIME: u8 = 1 << 1;
    pub const CHART_ID: u8 = 1 << 2;
    pub const SET_ID: u8 = 1 << 3;
    pub const HP_DRAIN: u8 = 1 << 4;
    pub const OVERALL_DIFFICULTY: u8 = 1 << 5;
    pub const HAS_SCRATCH: u8 = 1 << 6;
    pub const RESERVED: u8 = 1 << 7;
}

/// Bits of the notes section's `fields` byte: which optional streams follow.
mod note_field {
    pub const HIT_SOUNDS: u8 = 1 << 0;
    pub const KEYSOUNDS: u8 = 1 << 1;
    pub const RESERVED: u8 = !(HIT_SOUNDS | KEYSOUNDS);
}

mod timing_tag {
    pub const BPM: u8 = 0;
    pub const SCROLL: u8 = 1;
    pub const STOP: u8 = 2;
    pub const DELAY: u8 = 3;
    pub const WARP: u8 = 4;
}

/// How `encode_with` stores the payload.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Compression {
    None,
    /// zstd at this level (1..=22; higher is smaller and slower to write, not to read).
    Zstd(i32),
}

impl Default for Compression {
    fn default() -> Compression {
        Compression::Zstd(DEFAULT_ZSTD_LEVEL)
    }
}

/// Whether `bytes` start like a .rox file.
pub fn is_rox(bytes: &[u8]) -> bool {
    bytes.starts_with(&MAGIC)
}

/// Encodes with the default compression. See `encode_with`.
pub fn encode(chart: &Chart) -> Result<Vec<u8>> {
    encode_with(chart, Compression::default())
}

/// Encodes with the given compression. A chart that fails `Chart::validate` is refused with
/// `Error::Invalid`: with all timing problems, or with the first note problem, since notes
/// are checked while they are written rather than in a second pass.
pub fn encode_with(chart: &Chart, compression: Compression) -> Result<Vec<u8>> {
    let payload = encode::payload(chart)?;
    if payload.len() > MAX_PAYLOAD_LEN {
        return Err(Error::InvalidArgument(format!(
            "chart is too large for .rox: {} bytes of payload, at most {MAX_PAYLOAD_LEN}",
            payload.len()
        )));
    }
    let (method, stored) = match compression {
        Compression::None => (COMPRESSION_NONE, Cow::Borrowed(&payload[..])),
        Compression::Zstd(level) => {
            let packed = zstd::bulk::compress(&payload, level)
                .map_err(|e| Error::InvalidArgument(format!("zstd level {level} failed: {e}")))?;
            // Keep it raw when zstd does not help (tiny charts) or packs so well that a
            // reader would refuse the ratio.
            if packed.len() >= payload.len() || packed.len() * MAX_COMPRESSION_RATIO < payload.len()
            {
                (COMPRESSION_NONE, Cow::Borrowed(&payload[..]))
            } else {
                (COMPRESSION_ZSTD, Cow::Owned(packed))
            }
        }
    };
    let mut out = Vec::with_capacity(HEADER_LEN + stored.len());
    out.extend_from_slice(&MAGIC);
    out.extend_from_slice(&VERSION.to_le_bytes());
    out.extend_from_slice(&method.to_le_bytes());
    // Both lengths are at most MAX_PAYLOAD_LEN, so they fit.
    out.extend_from_slice(&(stored.len() as u32).to_le_bytes());
    out.extend_from_slice(&(payload.len() as u32).to_le_bytes());
    let crc = checksum(&out, &stored);
    out.extend_from_slice(&crc.to_le_bytes());
    out.extend_from_slice(&stored);
    Ok(out)
}

/// CRC-32 of the header's first 20 bytes and the stored payload.
fn checksum(header: &[u8], stored: &[u8]) -> u32 {
    let mut crc = crc32fast::Hasher::new();
    crc.update(&header[..HEADER_LEN - 4]);
    crc.update(stored);
    crc.finalize()
}

fn le_u32(bytes: &[u8], at: usize) -> u32 {
    u32::from_le_bytes(bytes[at..at + 4].try_into().expect("4 bytes"))
}

/// Decodes a .rox file. Damage gives `Corrupt` or `Checksum`, a newer format
/// `UnsupportedVersion`; no input panics or allocates beyond the limits in the format doc.
pub fn decode(bytes: &[u8]) -> Result<Chart> {
    decode_limited(bytes, &DecodeLimits::default())
}

/// [`decode`] within `limits`, checked before the notes, timing points and strings are
/// allocated.
pub fn decode_limited(bytes: &[u8], limits: &DecodeLimits) -> Result<Chart> {
    if !is_rox(bytes) {
        return Err(Error::Corrupt(
            "no .rox magic bytes at the start: not a .rox file, or its start is damaged".into(),
        ));
    }
    // The version comes before everything else so that a later version may change the rest.
    let Some(version) = bytes.get(8..10) else {
        return Err(Error::Corrupt(format!(
            "file is {} bytes, too short for its header",
            bytes.len()
        )));
    };
    let version = u16::from_le_bytes([version[0], version[1]]);
    if version > VERSION {
        return Err(Error::UnsupportedVersion {
            found: version,
            supported: VERSION,
        });
    }
    if version == 0 {
        return Err(Error::Corrupt("format version 0 does not exist".into()));
    }
    if bytes.len() < HEADER_LEN {
        return Err(Error::Corrupt(format!(
            "file is {} bytes, shorter than the {HEADER_LEN}-byte header",
            bytes.len()
        )));
    }
    let (header, stored) = bytes.split_at(HEADER_LEN);
    let stored_len = le_u32(header, 12) as usize;
    if stored_len != stored.len() {
        return Err(Error::Corrupt(format!(
            "header says {stored_len} bytes of payload follow, but {} do (truncated or padded file)",
            stored.len()
        )));
    }
    let (stored_crc, computed) = (le_u32(header, 20), checksum(header, stored));
    if stored_crc != computed {
        return Err(Error::Checksum {
            stored: stored_crc,
            computed,
        });
    }

    let flags = u16::from_le_bytes([header[10], header[11]]);
    if flags & !COMPRESSION_MASK != 0 {
        return Err(Error::Corrupt(format!(
            "reserved header flags are set ({flags:#06x})"
        )));
    }
    let payload_len = le_u32(header, 16) as usize;
    let payload = match flags & COMPRESSION_MASK {
        COMPRESSION_NONE if payload_len == stored_len => Cow::Borrowed(stored),
        COMPRESSION_NONE => {
            return Err(Error::Corrupt(format!(
                "uncompressed payload of {stored_len} bytes is declared as {payload_len} bytes"
            )))
        }
        COMPRESSION_ZSTD => Cow::Owned(decompress(stored, payload_len)?),
        other => {
            return Err(Error::Corrupt(format!(
                "unknown compression method {other}"
            )))
        }
    };
    decode::chart(&payload, limits)
}

/// Decompresses into a buffer of exactly the declared size, after checking that size against
/// the limits: memory use is bounded by the header, never by what the frame says.
fn decompress(stored: &[u8], payload_len: usize) -> Result<Vec<u8>> {
    let limit = MAX_PAYLOAD_LEN.min(stored.len().saturating_mul(MAX_COMPRESSION_RATIO));
    if payload_len > limit {
        return Err(Error::Corrupt(format!(
            "declared payload size {payload_len} exceeds the limit of {limit} bytes for {} stored bytes",
            stored.len()
        )));
    }
    let mut payload = Vec::with_capacity(payload_len);
    // The generic `Vec` form writes into its spare capacity and never grows it.
    zstd::bulk::Decompressor::new()
        .and_then(|mut zstd| zstd.decompress_to_buffer(stored, &mut payload))
        .map_err(|e| {
            Error::Corrupt(format!(
                "zstd payload does not decompress to {payload_len} bytes: {e}"
            ))
        })?;
    if payload.len() != payload_len {
        return Err(Error::Corrupt(format!(
            "zstd payload decompresses to {} bytes, the header says {payload_len}",
            payload.len()
        )));
    }
    Ok(payload)
}

/// The first note whose keysound index is not below `keysounds` (checked after the note pass,
/// since a decoder learns the keysound count from a later section).
fn keysound_issue(notes: &[Note], keysounds: usize) -> Option<ValidationIssue> {
    let index = notes
        .iter()
        .position(|n| n.keysound.is_some_and(|k| k as usize >= keysounds))?;
    Some(ValidationIssue {
        kind: IssueKind::KeysoundOutOfRange,
        index,
        time_us: notes[index].time_us,
    })
}

/// Whether a note may break a fatal rule of `NoteChecker`, in a few comparisons (the checker,
/// with a table per column, costs more than the rest of writing or reading a note). Exact for
/// the fatal rules it covers (order after `previous_time`, column, time range, durations);
/// keysounds are checked apart, overlaps are not fatal. `first_fatal` gives the answer.
#[inline(always)]
fn may_break_a_rule(key_count: u8, previous_time: i64, note: &Note) -> bool {
    // With the start in range and the duration positive, a sum that wraps lands near
    // i64::MIN, out of range as well.
    let duration_is_invalid = if note.kind.has_duration() {
        note.duration_us <= 0 || !time_in_range(note.time_us.wrapping_add(note.duration_us))
    } else {
        note.duration_us != 0
    };
    note.time_us < previous_time
        || note.column >= key_count
        || !time_in_range(note.time_us)
        || duration_is_invalid
}

/// The first fatal rule note `index` breaks, as `NoteChecker` finds it in a pass over every
/// note: of its state, the previous time matters only to the order rule (so the note before
/// is shown to it first), the per-column ends only to overlaps, which are not fatal.
#[cold]
#[inline(never)]
fn first_fatal(
    key_count: u8,
    previous: Option<&Note>,
    index: usize,
    note: Note,
) -> std::result::Result<(), ValidationIssue> {
    let mut rules = NoteChecker::new(key_count, usize::MAX);
    if let Some(previous) = previous {
        // It passed the rules before: only its time is kept.
        let _ = rules.first_fatal(index - 1, previous);
    }
    rules.first_fatal(index, &note)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{NoteKind, MAX_ABS_TIME_US};

    /// The cheap test flags a note exactly when `NoteChecker`, shown the note before, finds a
    /// fatal rule broken: over times at and beyond the range's edges, every kind, durations
    /// that are negative, zero, positive and overflowing, columns around the key count, and
    /// notes before, at and after the previous one.
    #[test]
    fn cheap_test_agrees_with_the_checker() {
        let max = MAX_ABS_TIME_US;
        let times = [
            i64::MIN,
            -max - 1,
            -max,
            -1,
            0,
            1,
            1_000,
            max - 1,
            max,
            max + 1,
            i64::MAX,
        ];
        let durations = [i64::MIN, -1, 0, 1, 500, max, max + 1, i64::MAX];
        let key_count = 4;
        let mut compared = 0;
        for &previous_time in &[-max, 0, 1_000, max] {
            let previous = Note::tap(previous_time, 0);
            for &time_us in &times {
                for &duration_us in &durations {
                    for kind in NoteKind::ALL {
                        for column in [0, 3, 4, 31] {
                            let note = Note {
                                time_us,
                                duration_us,
                                column,
                                kind,
                                ..Note::default()
                            };
                            let checker = first_fatal(key_count, Some(&previous), 1, note);
                            assert_eq!(
                                may_break_a_rule(key_count, previous_time, &note),
                                checker.is_err(),
                                "{note:?} after {previous_time}: {checker:?}"
                            );
                            compared += 1;
                        }
                    }
                }
            }
        }
        assert_eq!(compared, 4 * 11 * 8 * 6 * 4);
    }
}

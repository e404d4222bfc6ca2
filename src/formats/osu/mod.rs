//! osu!mania `.osu` (file format v3 to v14, and lazer's v128).
//!
//! Reading follows osu! lazer's `LegacyBeatmapDecoder` (the open reference for what the game
//! accepts) except where it would lose data or hide a broken file: malformed lines that lazer
//! logs and skips are errors here, naming the line. Writing follows what osu! itself writes
//! for mania maps, with exact times and tempos so that a chart read back is identical.

mod decode;
mod encode;
/// The order of chord notes a file lists out of column order (`Chart::extras` hint).
pub(crate) mod object_order;
/// Byte-level text handling of `.osu` (numbers shared with other codecs: `formats::text`).
mod text;

use crate::formats::Content;
use crate::model::{ConversionReport, DecodeLimits, TaikoOptions};
use crate::{Chart, Result};

/// Recognises a `.osu` file from its content: the `osu file format v` header (after an optional
/// byte-order mark and blank lines), or, for files that lost their header, an osu! section
/// first and a `Mode:` line or `[HitObjects]` section somewhere.
pub fn is_osu(bytes: &[u8]) -> bool {
    let text = text::sniff_prefix(bytes);
    let Some((_, first)) = text::Lines::new(&text)
        .map(|(n, l)| (n, l.trim_ascii()))
        .find(|(_, l)| !l.is_empty())
    else {
        return false;
    };
    if first.starts_with(HEADER) {
        return true;
    }
    let known_section = matches!(first, [b'[', name @ .., b']'] if SECTIONS.contains(&name));
    known_section
        && (memchr::memmem::find(&text, b"[HitObjects]").is_some()
            || memchr::memmem::find(&text, b"Mode:").is_some())
}

/// Reads an osu!mania chart, or an osu!taiko map as a 4-key chart in the default layout
/// (docs/taiko.md; [`decode_with`] chooses it and says what was dropped). osu!standard and
/// osu!catch maps are refused with `Error::NotMania`.
pub fn decode(bytes: &[u8]) -> Result<Chart> {
    decode_limited(bytes, &DecodeLimits::default())
}

/// [`decode`] within `limits`.
pub fn decode_limited(bytes: &[u8], limits: &DecodeLimits) -> Result<Chart> {
    let mut report = ConversionReport::default();
    let taiko = TaikoOptions::default();
    read(bytes, &taiko, limits, &mut report, Content::Everything)
}

/// [`decode`] with a taiko map's columns laid out by `taiko`, within `limits`; what the chart
/// cannot hold (a taiko map's drumrolls and swells) goes into `report`.
pub fn decode_with(
    bytes: &[u8],
    taiko: &TaikoOptions,
    limits: &DecodeLimits,
    report: &mut ConversionReport,
) -> Result<Chart> {
    read(bytes, taiko, limits, report, Content::Everything)
}

/// [`decode_with`], building only what `content` asks for.
pub(crate) fn read(
    bytes: &[u8],
    taiko: &TaikoOptions,
    limits: &DecodeLimits,
    report: &mut ConversionReport,
    content: Content,
) -> Result<Chart> {
    decode::decode(bytes, taiko, limits, report, content)
}

/// Writes a v14 `.osu` file. Expects a chart that passes `Chart::validate` (as
/// `formats::encode` ensures); anything osu! cannot express is left out and added to `report`
/// (see `encode`).
pub fn encode(chart: &Chart, report: &mut ConversionReport) -> Result<Vec<u8>> {
    encode::encode(chart, report)
}

const HEADER: &[u8] = b"osu file format v";

/// Section names osu! knows; content under other names is ignored.
const SECTIONS: [&[u8]; 11] = [
    b"General",
    b"Editor",
    b"Metadata",
    b"Difficulty",
    b"Events",
    b"TimingPoints",
    b"Colours",
    b"HitObjects",
    b"Variables",
    b"CatchTheBeat",
    b"Mania",
];

/// Largest magnitude osu! accepts for a number (lazer's `Parsing.MAX_PARSE_VALUE`); times are
/// limited to ±this many ms.
const MAX_NUMBER: f64 = i32::MAX as f64;

/// Largest time a file can hold, in µs (osu! reads at most ±2^31 ms).
pub(crate) const MAX_TIME_US: u64 = i32::MAX as u64 * 1000;

/// Width of the playfield in osu! pixels: a mania column is a band of x values across it.
const PLAYFIELD_WIDTH: i64 = 512;

/// The column of a hit object at `x` (already truncated to an integer). Integer arithmetic,
/// as stable does; lazer's float32 version differs only for 14K at x = 256.
fn column_of(x: i64, keys: u8) -> u8 {
    (x.clamp(0, PLAYFIELD_WIDTH - 1) * i64::from(keys) / PLAYFIELD_WIDTH) as u8
}

/// The x osu! writes for a column: the middle of its band, `floor((column + 0.5) * 512 / keys)`.
fn x_of(column: u8, keys: u8) -> i64 {
    (2 * i64::from(column) + 1) * (PLAYFIELD_WIDTH / 2) / i64::from(keys)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn column_layout() {
        let xs: Vec<i64> = (0..7).map(|c| x_of(c, 7)).collect();
        assert_eq!(xs, [36, 109, 182, 256, 329, 402, 475]);
        for keys in 1..=crate::model::MAX_KEYS {
            for column in 0..keys {
                assert_eq!(
                    column_of(x_of(column, keys), keys),
                    column,
                    "{keys}K column {column}"
                );
            }
        }
        assert_eq!(column_of(-5, 7), 0);
        assert_eq!(column_of(600, 7), 6);
    }
}

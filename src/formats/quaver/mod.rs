//! Quaver `.qua` (YAML), as Quaver.API reads and writes it.
//!
//! Reading accepts what Quaver accepts (YamlDotNet: any key order, names or numbers for enums,
//! YAML 1.1 booleans, defaults for omitted fields, unknown keys) and refuses with an error what
//! would make a wrong chart: a lane outside the mode, a keysound sample that does not exist,
//! non-finite numbers. Everything in the file without a place in the model is kept in
//! `Chart::extras` under `qua.` keys, as YAML, so that writing the chart back to `.qua` loses
//! nothing (`extras` holds them typed; docs/format-mapping.md lists them).
//!
//! Writing lays the file out as Quaver does, with the mode the key count asks for.

mod decode;
mod encode;
mod extras;
mod groups;
mod yaml;

pub(crate) use groups::report_dropped as report_dropped_groups;
pub use groups::{scroll_groups, ScrollGroup, ScrollGroups, DEFAULT_GROUP, GLOBAL_GROUP};

use crate::formats::Content;
use crate::model::{ConversionReport, DecodeLimits};
use crate::{Chart, Result};

/// Recognises a `.qua` file from its content: a top-level `Mode: Keys…`, `HitObjects:` or
/// `TimingPoints:` line in the first 64 KiB (no other supported format has lines like these).
pub fn is_qua(bytes: &[u8]) -> bool {
    let prefix = &bytes[..bytes.len().min(64 * 1024)];
    prefix.split(|&b| b == b'\n').any(|line| {
        let mut line = line;
        while let Some(rest) = line.strip_prefix("\u{feff}".as_bytes()) {
            line = rest;
        }
        match line.strip_prefix(b"Mode:") {
            Some(mode) => mode.trim_ascii().starts_with(b"Keys"),
            None => line.starts_with(b"HitObjects:") || line.starts_with(b"TimingPoints:"),
        }
    })
}

/// Reads a `.qua` map. What the model cannot hold exactly (holds that end before they start,
/// keysound volumes above 100) is listed in `report`.
pub fn decode(bytes: &[u8], report: &mut ConversionReport) -> Result<Chart> {
    decode_limited(bytes, &DecodeLimits::default(), report)
}

/// [`decode`] within `limits`.
pub fn decode_limited(
    bytes: &[u8],
    limits: &DecodeLimits,
    report: &mut ConversionReport,
) -> Result<Chart> {
    decode::decode(bytes, limits, report, Content::Everything)
}

/// [`decode_limited`], building only what `content` asks for.
pub(crate) fn read(
    bytes: &[u8],
    limits: &DecodeLimits,
    report: &mut ConversionReport,
    content: Content,
) -> Result<Chart> {
    decode::decode(bytes, limits, report, content)
}

/// Writes a `.qua` map. Expects a chart that passes `Chart::validate` (as `formats::encode`
/// ensures); what Quaver cannot express is left out or changed and listed in `report`.
pub fn encode(chart: &Chart, report: &mut ConversionReport) -> Result<Vec<u8>> {
    encode::encode(chart, report)
}

/// Prefix of the `Chart::extras` keys this codec reads and writes.
const KEY_PREFIX: &str = "qua.";

/// The top-level keys in the order Quaver writes them (and this codec does). Extras are kept
/// in this order, so that a chart written and read back is equal to the one written.
const TOP_LEVEL: [&str; 29] = [
    "QuaVersion",
    "AudioFile",
    "SongPreviewTime",
    "BackgroundFile",
    "BannerFile",
    "MapId",
    "MapSetId",
    "Mode",
    "Title",
    "Artist",
    "Source",
    "Tags",
    "Creator",
    "DifficultyName",
    "Description",
    "Genre",
    "LegacyLNRendering",
    "BPMDoesNotAffectScrollVelocity",
    "InitialScrollVelocity",
    "HasScratchKey",
    "EditorLayers",
    "Bookmarks",
    "CustomAudioSamples",
    "SoundEffects",
    "TimingPoints",
    "SliderVelocities",
    "ScrollSpeedFactors",
    "HitObjects",
    "TimingGroups",
];

/// Keys whose values the model holds: an extra of that name would write them twice.
const FROM_MODEL: [&str; 15] = [
    "AudioFile",
    "SongPreviewTime",
    "BackgroundFile",
    "MapId",
    "MapSetId",
    "Mode",
    "Title",
    "Artist",
    "Source",
    "Tags",
    "Creator",
    "DifficultyName",
    "Description",
    "Genre",
    "HasScratchKey",
];

fn extras_order(key: &str) -> usize {
    TOP_LEVEL
        .iter()
        .position(|k| *k == key)
        .unwrap_or(TOP_LEVEL.len())
}

/// Quaver's `HitSounds` flag names, with the bits they share with the model (and osu!).
const HIT_SOUNDS: [(&str, u8); 4] = [("Normal", 1), ("Whistle", 2), ("Finish", 4), ("Clap", 8)];

/// Keys of each `GameMode` value (Keys4 = 1, Keys7 = 2, Keys1 = 3, …).
const MODE_VALUES: [u8; 10] = [4, 7, 1, 2, 3, 5, 6, 8, 9, 10];

/// The key count of a `Mode`: `Keys1` … `Keys10`, or the enum's number.
fn mode_keys(mode: &str) -> Option<u8> {
    let mode = mode.trim();
    if let (Some(head), Some(number)) = (mode.get(..4), mode.get(4..)) {
        if head.eq_ignore_ascii_case("Keys") {
            return number.parse().ok().filter(|k| (1..=10).contains(k));
        }
    }
    let value: usize = mode.parse().ok()?;
    MODE_VALUES.get(value.checked_sub(1)?).copied()
}

/// Quaver's scratch lane is its last; the model's (osu!'s) is column 0.
fn lane_to_column(lane: u8, keys: u8, scratch: bool) -> u8 {
    match scratch {
        true if lane == keys => 0,
        true => lane,
        false => lane - 1,
    }
}

fn column_to_lane(column: u8, keys: u8, scratch: bool) -> u8 {
    match scratch {
        true if column == 0 => keys,
        true => column,
        false => column + 1,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn modes() {
        for keys in 1..=10u8 {
            assert_eq!(mode_keys(&format!("Keys{keys}")), Some(keys));
        }
        assert_eq!(mode_keys("1"), Some(4));
        assert_eq!(mode_keys("2"), Some(7));
        assert_eq!(mode_keys("3"), Some(1));
        assert_eq!(mode_keys("keys7"), Some(7));
        for bad in ["Keys0", "Keys11", "0", "11", "Keys", "", "Keys-1", "Keys4x"] {
            assert_eq!(mode_keys(bad), None, "{bad}");
        }
    }

    #[test]
    fn scratch_lane_is_column_zero() {
        assert_eq!(lane_to_column(8, 8, true), 0);
        assert_eq!(lane_to_column(1, 8, true), 1);
        assert_eq!(lane_to_column(1, 7, false), 0);
        for scratch in [false, true] {
            for column in 0..8 {
                assert_eq!(
                    lane_to_column(column_to_lane(column, 8, scratch), 8, scratch),
                    column
                );
            }
        }
    }

    #[test]
    fn sniffing() {
        assert!(is_qua(b"Mode: Keys4\n"));
        assert!(is_qua(
            b"\xEF\xBB\xBF\xEF\xBB\xBFAudioFile: a\r\nMode: Keys7\r\n"
        ));
        assert!(is_qua(b"---\nHitObjects: []"));
        assert!(!is_qua(b"osu file format v14\n[General]\nMode: 3\n"));
        assert!(!is_qua(b"#TITLE:x;\n#NOTES:\n"));
        assert!(!is_qua(b""));
    }
}

//! `.rox.json`: the chart model as JSON, for tools in any language (docs/json-format.md).
//! Hand-written both ways (docs/decisions.md): the writer is deterministic, and the reader is
//! strict (one schema, unknown or repeated members refused) and bounded by [`DecodeLimits`].

mod chart;
pub(crate) mod read;
pub(crate) mod write;

use crate::model::DecodeLimits;
use crate::{Chart, Result};

/// The value of the `format` member.
pub const FORMAT_NAME: &str = "rox.json";

/// The schema version this build writes and the newest it reads.
pub const VERSION: u32 = 1;

/// Member names, written once for the writer and the reader.
mod member {
    use super::read::Members;

    pub const TOP: Members = &[
        "format",
        "version",
        "source_format",
        "key_count",
        "metadata",
        "keysounds",
        "extras",
        "timing",
        "notes",
    ];
    /// The text fields first, in `MetaField::ALL` order and by `MetaField::name` (a test
    /// checks), then the others.
    pub const METADATA: Members = &[
        "title",
        "title_unicode",
        "subtitle",
        "artist",
        "artist_unicode",
        "creator",
        "difficulty_name",
        "source",
        "genre",
        "tags",
        "description",
        "audio_file",
        "background_file",
        "style",
        "difficulty_level",
        "preview_time_us",
        "chart_id",
        "set_id",
        "hp_drain",
        "overall_difficulty",
        "has_scratch",
    ];
    pub const META_TEXT_FIELDS: usize = 14;
    pub const TIMING: Members = &[
        "time_us",
        "kind",
        "bpm",
        "meter",
        "multiplier",
        "duration_us",
        "beats",
        "sample_set",
        "sample_index",
        "volume",
        "effects",
    ];
    pub const NOTE: Members = &[
        "time_us",
        "column",
        "kind",
        "duration_us",
        "sound",
        "keysound",
    ];
    pub const SOUND: Members = &[
        "flags",
        "normal_set",
        "addition_set",
        "volume",
        "custom_index",
    ];
}

/// Whether `bytes` start like a `.rox.json` file: a JSON object whose first member is
/// `"format": "rox.json"` (the writer puts it first so that a reader can tell from the start).
pub fn is_rox_json(bytes: &[u8]) -> bool {
    let mut rest = bytes;
    for token in ["{", "\"format\"", ":", "\"rox.json\""] {
        rest = rest.trim_ascii_start();
        match rest.strip_prefix(token.as_bytes()) {
            Some(after) => rest = after,
            None => return false,
        }
    }
    true
}

/// The chart as `.rox.json`. Deterministic: the same chart gives the same bytes. Every chart
/// can be written; the caller checks it first (`formats::encode`).
pub fn encode(chart: &Chart) -> Vec<u8> {
    write::chart(chart).into_bytes()
}

/// Decodes a `.rox.json` file within `limits`. Anything but the schema is refused, as is a
/// chart that breaks the model's rules.
pub fn decode_limited(bytes: &[u8], limits: &DecodeLimits) -> Result<Chart> {
    chart::read(bytes, limits)
}

#[cfg(test)]
mod tests;

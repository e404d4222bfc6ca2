//! bmson (`.bmson`): BMS as JSON (bmson spec 1.0, with beatoraja's `scroll_events`,
//! `mine_channels` and `key_channels`). Read only (docs/decisions.md).
//!
//! docs/bms.md gives the whole mapping. In short:
//!
//! * **Time**: every position is a pulse `y`, `info.resolution` pulses to a beat (240 when
//!   missing or 0); `info.init_bpm`, `bpm_events` and `stop_events` (lengths in pulses) turn
//!   them into µs as the BMS reader does (a note on a stop's pulse is hit when it starts).
//! * **Columns**: `info.mode_hint` names the layout (`beat-7k` by default); the beatmania
//!   modes take the BMS reader's columns, scratch first. A lane the mode has no column for is
//!   left out and reported; a mode of more columns than the model holds is refused.
//! * **Sounds**: each sound channel is a keysound (its file); notes on `x` 0 or null are BGM,
//!   kept in the extra `bms.bgm` as the BMS reader keeps channel 01. A note's sound is the
//!   slice of its channel from the note on; the model plays the file from its start, so the
//!   continuation flag `c` is reported, not kept.

mod build;
mod layout;
mod read;

use crate::model::{ConversionReport, DecodeLimits};
use crate::{Chart, Result};

/// Whether `bytes` are a JSON object with a top-level `sound_channels` member, which only
/// bmson has. Members before it are passed over.
pub fn is_bmson(bytes: &[u8]) -> bool {
    let Ok(mut p) = read::parser(bytes) else {
        return false;
    };
    if p.peek() != Some(b'{') {
        return false;
    }
    let mut found = false;
    // An error ends the reading: the answer is known, or the text is no JSON object.
    let _ = p.any_object(|p, name| {
        found = name == "sound_channels";
        if found {
            return Err(p.error("known"));
        }
        p.raw_value().map(drop)
    });
    found
}

/// Reads a bmson chart. What the model cannot hold (lanes outside the mode, sound slices,
/// layered sounds) is listed in `report`.
pub fn decode(bytes: &[u8], report: &mut ConversionReport) -> Result<Chart> {
    decode_limited(bytes, &DecodeLimits::default(), report)
}

/// [`decode`] within `limits`.
pub fn decode_limited(
    bytes: &[u8],
    limits: &DecodeLimits,
    report: &mut ConversionReport,
) -> Result<Chart> {
    let source = read::source(bytes, limits)?;
    build::chart(source, limits, report)
}

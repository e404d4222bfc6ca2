//! Friday Night Funkin' charts (docs/fnf.md): the legacy base-game and Psych Engine song
//! (`song.notes[]` sections, read and written) and the V-Slice chart/metadata pair (read).
//!
//! One file is read in one pass of the JSON reader shared with `.rox.json` (`formats::json`),
//! passing over members the model has no place for, and keeping the FNF ones that matter for a
//! round trip (note types, events, the song's other members) in `Chart::extras`.

mod build;
mod read;
mod write;

use crate::formats::text::round_to_i64;
use crate::model::{ChartSet, ConversionReport, DecodeLimits};
use crate::{Chart, Result};
use read::FileContent;

/// The tempo of a chart that gives none: a V-Slice chart read without its metadata file, a
/// chart without BPM written (the game's default).
const DEFAULT_BPM: f64 = 100.0;

/// The name errors and reports give the format.
const FORMAT_NAME: &str = "fnf";

/// `Chart::extras` keys. A member of the song object the model has no field for is kept as
/// `fnf.song.<name>` with its JSON text (`fnf.song.speed` = `1.5`).
pub(crate) mod key {
    pub const SONG_MEMBER: &str = "fnf.song.";
    /// Psych Engine's `events` array, as JSON text.
    pub const EVENTS: &str = "fnf.events";
    /// V-Slice's `events` array, as JSON text (a legacy file cannot hold it).
    pub const VSLICE_EVENTS: &str = "fnf.vslice.events";
    /// One line per typed note: `<time µs> <column> <type as JSON>`.
    pub const NOTE_TYPES: &str = "fnf.noteTypes";
    /// One character per section, `1` where `mustHitSection` is true (the camera's focus), up
    /// to the last `0`: sections past it, or past the string, are the player's.
    pub const MUST_HIT_SECTIONS: &str = "fnf.mustHitSections";
    /// Song members the writer gives a song that lacks them, with their JSON text; the reader
    /// keeps no extra for a member of that value, so a song written and read back is the same.
    pub const WRITTEN_DEFAULTS: [(&str, &str); 3] = [
        ("speed", "1"),
        ("player1", "\"bf\""),
        ("player2", "\"dad\""),
    ];
}

/// How FNF files are read, and which side's notes a chart holds (defined with the other
/// decode options, as the C ABI shares them).
pub use crate::model::{FnfOptions, FnfSides as Sides};

/// Whether `bytes` are a JSON object that only an FNF file would be: a `song` object with
/// `notes` (legacy, Psych), top-level `notes` beside `version`, `scrollSpeed`, `bpm`,
/// `format` or `song` (a V-Slice chart, a Psych 1.0 song), or `timeChanges` (V-Slice
/// metadata). Members before the deciding ones are passed over.
pub fn is_fnf(bytes: &[u8]) -> bool {
    read::is_fnf(bytes)
}

/// Every chart of one FNF file: the one chart of a legacy or Psych song, or one chart per
/// difficulty of a V-Slice chart file (with its timing, when the file also holds the
/// metadata's `timeChanges`; else 100 BPM, reported).
pub fn decode_set_with(
    bytes: &[u8],
    options: &FnfOptions,
    limits: &DecodeLimits,
) -> Result<ChartSet> {
    let mut report = ConversionReport::default();
    let mut content = FileContent::default();
    read::file(bytes, limits, &mut content)?;
    let charts = build::charts(content, options, limits, &mut report)?;
    Ok(ChartSet {
        charts,
        resources: Vec::new(),
        report,
    })
}

/// A V-Slice song from its two files, `<song>-chart.json` and `<song>-metadata.json`: one
/// chart per difficulty, timed by the metadata's `timeChanges`.
pub fn decode_vslice(
    chart: &[u8],
    metadata: &[u8],
    options: &FnfOptions,
    limits: &DecodeLimits,
) -> Result<ChartSet> {
    let mut report = ConversionReport::default();
    let mut content = FileContent::default();
    read::file(chart, limits, &mut content)?;
    read::file(metadata, limits, &mut content)?;
    let charts = build::charts(content, options, limits, &mut report)?;
    Ok(ChartSet {
        charts,
        resources: Vec::new(),
        report,
    })
}

/// The chart as a legacy/Psych Engine song, unchecked (`formats::encode` checks it first): a
/// 4-key chart is the player's side, an 8-key one both sides; any other key count is refused.
/// What the song cannot hold goes into `report`.
pub fn encode(chart: &Chart, report: &mut ConversionReport) -> Result<Vec<u8>> {
    write::encode(chart, report)
}

/// The charts of one file, for `formats`.
pub(crate) fn read(
    bytes: &[u8],
    options: &FnfOptions,
    limits: &DecodeLimits,
    report: &mut ConversionReport,
) -> Result<Vec<Chart>> {
    let mut content = FileContent::default();
    read::file(bytes, limits, &mut content)?;
    build::charts(content, options, limits, report)
}

/// The length of a section of `steps` sixteenth notes at `bpm`, in ms, as the games add it up
/// (`Conductor.mapBPMChanges`: `60 / bpm * 1000 / 4` per step). The reader and the writer
/// both sum these, so a section the writer places is where the reader finds it.
fn section_ms(bpm: f64, steps: f64) -> f64 {
    60.0 / bpm * 1000.0 / 4.0 * steps
}

/// Whether a song's `format` member (JSON text) is Psych Engine 1.0's (`"psych_v1…"`), whose
/// lanes 0–3 are always the player's, whatever the section's focus.
fn is_psych_v1(format: Option<&str>) -> bool {
    format.is_some_and(|f| f.starts_with("\"psych_v1"))
}

/// The largest time (ms) a note or section may have: about 31 years, far past any song, and
/// small enough that every µs value converts to ms and back exactly.
const MAX_TIME_MS: f64 = 1e12;

/// ms (as the file has it) → µs, rounded to the nearest; `None` past [`MAX_TIME_MS`].
fn ms_to_us(ms: f64) -> Option<i64> {
    (ms.abs() <= MAX_TIME_MS).then(|| round_to_i64(ms * 1000.0))
}

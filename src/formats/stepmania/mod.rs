//! StepMania `.sm` and `.ssc` (StepMania 5, ITGmania, OutFox; Etterna reads the same).
//!
//! Reading follows ITGmania's loaders (`MsdFile`, `NotesLoaderSM`, `NotesLoaderSSC`,
//! `NoteDataUtil`, `TimingData`): the same tags, the same leniency, the same timing, computed in
//! f64 instead of f32. Every chart of a file becomes one `Chart`; song-level tags go to each.
//! Writing follows `NotesWriterSM` / `NotesWriterSSC`: one file for all charts, song-level data
//! from the first. Whatever the model has no field for is kept in `Chart::extras` so that a file
//! written back to its own format loses nothing:
//!
//! * `sm.TAG`: a song-level tag `.sm` files have (and tags of a `.sm` file StepMania ignores);
//!   `ssc.TAG`: a song-level tag only `.ssc` has. The value is the tag text after `#TAG:`.
//!   The timing tags among them (`TICKCOUNTS`, `COMBOS`, `SPEEDS`, `FAKES`, `LABELS`, and
//!   `TIMESIGNATURES` when meters cannot hold it) are the chart's own in `.ssc` split timing.
//! * `ssc.chart.TAG`: a chart-level `.ssc` tag (`CHARTNAME`, `CHARTSTYLE`, `DISPLAYBPM`…);
//!   `sm.chart.RADARVALUES`: the radar values of either dialect.
//! * `sm.CREDIT`, `sm.MUSIC`: the song-level value when the chart overrides it (`.ssc`).
//! * `sm.notes.autokeysounds`, `sm.notes.unjudged`, `sm.timing.rows`: see `extras`, which
//!   holds all of these typed.
//!
//! Text is UTF-8, as StepMania reads it (a UTF-16 file is an error). In a field the model has a
//! place for, each invalid sequence becomes U+FFFD and the report names the field and its line;
//! a tag kept as an extra gets the same replacement without a report entry.
//!
//! Layout: `tags` (every tag name), `msd` (the tag syntax), `values` (numbers and lists),
//! `timing` (the beat ↔ time engine), `warps` (`.sm` negative BPMs and stops), `extras`, and
//! the `decode` and `encode` directions.

mod decode;
mod encode;
mod extras;
mod msd;
mod tags;
mod timing;
mod values;
mod warps;

/// StepMania's number and list syntax, for the timeline's reading of kept timing tags.
pub(crate) use values::{entries as timing_entries, parse_int, parse_number};

use crate::formats::Content;
use crate::model::{ConversionReport, DecodeLimits};
use crate::{Chart, Format, Result};

/// The `.ssc` version StepMania 5 writes, and assumes for a file without `#VERSION`
/// (`STEPFILE_VERSION_NUMBER`).
const SSC_VERSION: f64 = 0.83;

/// Which of the two StepMania formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Dialect {
    /// `.sm`: song-level timing only; warps written as negative stops.
    Sm,
    /// `.ssc`: `#NOTEDATA` chart sections, per-chart timing, warps, scrolls.
    Ssc,
}

impl Dialect {
    fn name(self) -> &'static str {
        match self {
            Dialect::Sm => "sm",
            Dialect::Ssc => "ssc",
        }
    }

    fn format(self) -> Format {
        match self {
            Dialect::Sm => Format::Sm,
            Dialect::Ssc => Format::Ssc,
        }
    }
}

/// Whether the bytes look like a `.sm` file: MSD tags StepMania knows, and no `.ssc` markers.
pub fn is_sm(bytes: &[u8]) -> bool {
    sniff(bytes) == Some(Dialect::Sm)
}

/// Whether the bytes look like a `.ssc` file: MSD tags with `#VERSION` first or `#NOTEDATA`.
pub fn is_ssc(bytes: &[u8]) -> bool {
    sniff(bytes) == Some(Dialect::Ssc)
}

/// Reads every chart of the file, in file order. Losses (notes StepMania itself would drop,
/// values it would ignore, text that is not UTF-8: see the module comment) go to `report`; data
/// the model cannot hold goes to `Chart::extras` and is not reported.
pub fn decode(bytes: &[u8], dialect: Dialect, report: &mut ConversionReport) -> Result<Vec<Chart>> {
    decode_limited(bytes, dialect, &DecodeLimits::default(), report)
}

/// [`decode`] within `limits`, which cover all the charts of the file together (each chart
/// counts the song's timing, keysounds and extras it inherits).
pub fn decode_limited(
    bytes: &[u8],
    dialect: Dialect,
    limits: &DecodeLimits,
    report: &mut ConversionReport,
) -> Result<Vec<Chart>> {
    decode::decode(bytes, dialect, limits, report, Content::Everything)
}

/// [`decode_limited`], building only what `content` asks for.
pub(crate) fn read(
    bytes: &[u8],
    dialect: Dialect,
    limits: &DecodeLimits,
    report: &mut ConversionReport,
    content: Content,
) -> Result<Vec<Chart>> {
    decode::decode(bytes, dialect, limits, report, content)
}

/// Writes all charts into one file; song-level data comes from the first chart. Everything
/// the file cannot hold exactly (notes moved to the 1/48-beat grid, events and metadata left
/// out) goes to `report`; an empty report means the file reads back as the charts given.
pub fn encode(
    charts: &[Chart],
    dialect: Dialect,
    report: &mut ConversionReport,
) -> Result<Vec<u8>> {
    encode::encode(charts, dialect, report)
}

fn sniff(bytes: &[u8]) -> Option<Dialect> {
    const PREFIX: usize = 64 * 1024;
    let text = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let text = &text[..text.len().min(PREFIX)];
    let mut rest = text;
    // The first tag, after blanks and comments.
    loop {
        rest = rest.trim_ascii_start();
        match rest {
            [b'/', b'/', ..] => {
                rest = memchr::memchr(b'\n', rest).map_or(&[][..], |n| &rest[n..]);
            }
            [b'#', name @ ..] => {
                let end = name.iter().position(|&c| c == b':' || c == b';')?;
                let name = String::from_utf8_lossy(name[..end].trim_ascii()).to_ascii_uppercase();
                if !tags::FIRST.contains(&name.as_str()) {
                    return None;
                }
                let ssc = name == tags::VERSION || has_notedata_tag(text);
                return Some(if ssc { Dialect::Ssc } else { Dialect::Sm });
            }
            _ => return None,
        }
    }
}

/// Whether `text` opens a `#NOTEDATA` tag (any case), found without an upper-case copy.
fn has_notedata_tag(text: &[u8]) -> bool {
    let name = tags::NOTEDATA.as_bytes();
    memchr::memchr_iter(b'#', text).any(|i| {
        text[i + 1..]
            .get(..name.len())
            .is_some_and(|n| n.eq_ignore_ascii_case(name))
    })
}

/// Steps types and their column counts, from ITGmania's `GameManager` table; the first name
/// for a count is the one written for charts from other games (formats.md §2.3: 4K
/// dance-single, 5K pump-single, 6K dance-solo, 7K kb7-single, 8K dance-double, 9K pnm-nine,
/// 10K pump-double). `lights-cabinet` is not a playable chart but is read all the same.
const STEPS_TYPES: [(&str, u8); 38] = [
    ("dance-single", 4),
    ("pump-single", 5),
    ("dance-solo", 6),
    ("kb7-single", 7),
    ("dance-double", 8),
    ("pnm-nine", 9),
    ("pump-double", 10),
    ("dance-threepanel", 3),
    ("bm-double5", 12),
    ("bm-double7", 16),
    ("dance-couple", 8),
    ("dance-routine", 8),
    ("pump-halfdouble", 6),
    ("pump-couple", 10),
    ("pump-routine", 10),
    ("ez2-single", 5),
    ("ez2-double", 10),
    ("ez2-real", 7),
    ("para-single", 5),
    ("ds3ddx-single", 8),
    ("bm-single5", 6),
    ("bm-versus5", 6),
    ("bm-single7", 8),
    ("bm-versus7", 8),
    ("maniax-single", 4),
    ("maniax-double", 8),
    ("techno-single4", 4),
    ("techno-single5", 5),
    ("techno-single8", 8),
    ("techno-double4", 8),
    ("techno-double5", 10),
    ("techno-double8", 16),
    ("pnm-five", 5),
    ("lights-cabinet", 6),
    ("kickbox-human", 4),
    ("kickbox-quadarm", 4),
    ("kickbox-insect", 6),
    ("kickbox-arachnid", 8),
];

/// Column count of a steps type, as `GameManager::StringToStepsType` matches it (case and
/// `_`/`-` insensitive, with the old names `para` and `ez2-single-hard`).
fn steps_type_columns(name: &str) -> Option<u8> {
    // Compared in place (any case, `_` for `-`): this runs for every chart a peek reads.
    let name = name.trim().as_bytes();
    let same = |known: &str| {
        known.len() == name.len()
            && known.bytes().zip(name).all(|(k, &c)| {
                let c = if c == b'_' { b'-' } else { c };
                k == c.to_ascii_lowercase()
            })
    };
    if same("para") {
        return steps_type_columns("para-single");
    }
    if same("ez2-single-hard") {
        return steps_type_columns("ez2-single");
    }
    STEPS_TYPES.iter().find(|(n, _)| same(n)).map(|&(_, c)| c)
}

/// The steps type written for a chart with `columns` columns and no usable style.
fn default_steps_type(columns: u8) -> Option<&'static str> {
    STEPS_TYPES
        .iter()
        .find(|(_, c)| *c == columns)
        .map(|&(n, _)| n)
}

/// Routine charts hold two players' notes separated by `&`.
fn is_routine(steps_type: &str) -> bool {
    let suffix = b"-routine";
    let name = steps_type.trim().as_bytes();
    name.len() >= suffix.len() && name[name.len() - suffix.len()..].eq_ignore_ascii_case(suffix)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn steps_types() {
        assert_eq!(steps_type_columns("dance-single"), Some(4));
        assert_eq!(steps_type_columns("Pump_Double"), Some(10));
        assert_eq!(steps_type_columns("para"), Some(5));
        assert_eq!(steps_type_columns("lights-cabinet"), Some(6));
        assert_eq!(steps_type_columns("unknown"), None);
        assert_eq!(steps_type_columns(" PARA "), Some(5));
        assert_eq!(
            steps_type_columns("EZ2_Single_Hard"),
            steps_type_columns("ez2-single")
        );
        assert!(is_routine(" Dance-Routine "));
        assert!(!is_routine("routine"));
        for keys in [3, 4, 5, 6, 7, 8, 9, 10, 12, 16] {
            let name = default_steps_type(keys).unwrap();
            assert_eq!(steps_type_columns(name), Some(keys));
        }
        assert_eq!(default_steps_type(11), None);
    }

    #[test]
    fn sniffing() {
        assert!(is_sm(
            b"\xEF\xBB\xBF// made by hand\n#TITLE:x;\n#NOTES:a:b:c:d:e:0000;"
        ));
        assert!(is_ssc(b"#VERSION:0.83;\n#TITLE:x;"));
        assert!(is_ssc(b"#TITLE:x;\n#NOTEDATA:;"));
        assert!(is_ssc(b"#TITLE:x;\n#NoteData:;"));
        assert!(is_sm(b"#TITLE:NOTEDATA;\n#NOTES:a:b:c:d:e:0000;"));
        assert!(!is_sm(b"#VERSION:0.83;"));
        assert!(!is_sm(b"osu file format v14"));
        assert!(!is_sm(b"#EXTM3U\n"));
        assert!(!is_sm(b""));
        assert!(!is_ssc(b"#"));
    }
}

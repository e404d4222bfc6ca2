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
//! * `sm.notes.autokeysounds`, `sm.notes.unjudged`, `sm.timing.rows`: see `decode`.

mod decode;
mod encode;
mod msd;
mod timing;

use crate::model::{ConversionReport, TimingKind};
use crate::{Chart, Result};

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
/// values it would ignore, text that is not UTF-8) go to `report`; data the model cannot hold
/// goes to `Chart::extras` and is not reported.
pub fn decode(bytes: &[u8], dialect: Dialect, report: &mut ConversionReport) -> Result<Vec<Chart>> {
    decode::decode(bytes, dialect, report)
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
                if !KNOWN_FIRST_TAGS.contains(&name.as_str()) {
                    return None;
                }
                let ssc = name == "VERSION"
                    || memchr::memmem::find(&text.to_ascii_uppercase(), b"#NOTEDATA").is_some();
                return Some(if ssc { Dialect::Ssc } else { Dialect::Sm });
            }
            _ => return None,
        }
    }
}

/// Tags a simfile starts with in practice (StepMania and other editors write `#VERSION` or
/// `#TITLE` first; hand-made files start anywhere in the header).
const KNOWN_FIRST_TAGS: [&str; 18] = [
    "VERSION",
    "TITLE",
    "SUBTITLE",
    "ARTIST",
    "TITLETRANSLIT",
    "SUBTITLETRANSLIT",
    "ARTISTTRANSLIT",
    "GENRE",
    "CREDIT",
    "BANNER",
    "BACKGROUND",
    "CDTITLE",
    "MUSIC",
    "OFFSET",
    "BPMS",
    "SAMPLESTART",
    "NOTES",
    "NOTEDATA",
];

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
    let name = name.trim().to_ascii_lowercase().replace('_', "-");
    let name = match name.as_str() {
        "para" => "para-single",
        "ez2-single-hard" => "ez2-single",
        other => other,
    };
    STEPS_TYPES
        .iter()
        .find(|(n, _)| *n == name)
        .map(|&(_, c)| c)
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
    steps_type.trim().to_ascii_lowercase().ends_with("-routine")
}

// Keys of `Chart::extras` with a meaning of their own (see the module comment).
const KEY_RADAR: &str = "sm.chart.RADARVALUES";
const KEY_SONG_CREDIT: &str = "sm.CREDIT";
const KEY_SONG_MUSIC: &str = "sm.MUSIC";
const KEY_AUTO_KEYSOUNDS: &str = "sm.notes.autokeysounds";
const KEY_UNJUDGED: &str = "sm.notes.unjudged";
const KEY_TIMING_ROWS: &str = "sm.timing.rows";
const CHART_PREFIX: &str = "ssc.chart.";

/// Timing tags the model has no place for, with their extras keys; in `.ssc` split timing they
/// belong to the chart.
const TIMING_EXTRAS: [(&str, &str); 6] = [
    ("TIMESIGNATURES", "sm.TIMESIGNATURES"),
    ("TICKCOUNTS", "sm.TICKCOUNTS"),
    ("COMBOS", "ssc.COMBOS"),
    ("SPEEDS", "ssc.SPEEDS"),
    ("FAKES", "ssc.FAKES"),
    ("LABELS", "ssc.LABELS"),
];

/// Song-level tags of `.sm` files (SMLoader's list); any other song-level tag of an `.ssc` file
/// is an `ssc.` extra.
fn is_sm_song_tag(tag: &str) -> bool {
    const TAGS: [&str; 31] = [
        "TITLE",
        "SUBTITLE",
        "ARTIST",
        "TITLETRANSLIT",
        "SUBTITLETRANSLIT",
        "ARTISTTRANSLIT",
        "GENRE",
        "CREDIT",
        "BANNER",
        "BACKGROUND",
        "LYRICSPATH",
        "CDTITLE",
        "MUSIC",
        "OFFSET",
        "BPMS",
        "STOPS",
        "FREEZES",
        "DELAYS",
        "TIMESIGNATURES",
        "TICKCOUNTS",
        "INSTRUMENTTRACK",
        "SAMPLESTART",
        "SAMPLELENGTH",
        "DISPLAYBPM",
        "SELECTABLE",
        "ANIMATIONS",
        "FGCHANGES",
        "KEYSOUNDS",
        "ATTACKS",
        "NOTES",
        "NOTES2",
    ];
    TAGS.contains(&tag) || tag.starts_with("BGCHANGES")
}

/// The leading number of `text` as C's `strtod` reads it (StepMania's `StringToFloat`):
/// blanks, sign, digits, fraction, exponent; trailing junk ignored. `None` without digits or
/// when the value is not finite (StepMania reads those as 0).
fn parse_number(text: &[u8]) -> Option<f64> {
    let text = text.trim_ascii();
    let mut end = 0;
    let digits = |from: usize| {
        text[from..]
            .iter()
            .take_while(|c| c.is_ascii_digit())
            .count()
    };
    if matches!(text.first(), Some(b'+' | b'-')) {
        end = 1;
    }
    let whole = digits(end);
    end += whole;
    let mut fraction = 0;
    if text.get(end) == Some(&b'.') {
        fraction = digits(end + 1);
        end += 1 + fraction;
    }
    if whole + fraction == 0 {
        return None;
    }
    if matches!(text.get(end), Some(b'e' | b'E')) {
        let sign = usize::from(matches!(text.get(end + 1), Some(b'+' | b'-')));
        let exponent = digits(end + 1 + sign);
        if exponent > 0 {
            end += 1 + sign + exponent;
        }
    }
    let value: f64 = std::str::from_utf8(&text[..end]).ok()?.parse().ok()?;
    value.is_finite().then_some(value)
}

/// The leading integer of `text` (StepMania's `StringToInt`), `None` without digits.
fn parse_int(text: &[u8]) -> Option<i64> {
    let value = parse_number(text)?;
    Some(value.trunc().clamp(i64::MIN as f64, i64::MAX as f64) as i64)
}

/// Seconds from whole µs, shortest exact decimal (`0.061`, `-1.5`, `0`).
fn seconds(us: i64) -> String {
    let sign = if us < 0 { "-" } else { "" };
    let abs = us.unsigned_abs();
    let (whole, fraction) = (abs / 1_000_000, abs % 1_000_000);
    if fraction == 0 {
        format!("{sign}{whole}")
    } else {
        let digits = format!("{fraction:06}");
        format!("{sign}{whole}.{}", digits.trim_end_matches('0'))
    }
}

/// A beat from a row, as StepMania writes beats (three decimals are enough: a row is 1/48).
fn beat_text(row: i64) -> String {
    format!("{:.3}", timing::row_to_beat(row))
}

/// Whether two timing-extras lists say the same: same keys, and values with the same entries
/// once blanks are trimmed and numbers compared as numbers (`0.000=4` is `0=4`).
fn same_timing_extras(a: &[(String, String)], b: &[(String, String)]) -> bool {
    fn entries(value: &str) -> Vec<Vec<String>> {
        value
            .split(',')
            .map(|e| {
                e.split('=')
                    .map(|p| match p.trim().parse::<f64>() {
                        Ok(n) => n.to_string(),
                        Err(_) => p.trim().to_owned(),
                    })
                    .collect()
            })
            .filter(|e: &Vec<String>| e.iter().any(|p| !p.is_empty()))
            .collect()
    }
    a.len() == b.len()
        && a.iter()
            .zip(b)
            .all(|((ka, va), (kb, vb))| ka == kb && entries(va) == entries(vb))
}

/// The beat-0 time of a chart from the model: the first BPM point's time.
fn first_bpm(chart: &Chart) -> Option<(i64, f64)> {
    chart.timing.iter().find_map(|t| match t.kind {
        // StepMania drops BPMs of zero; the encoder leaves them out.
        TimingKind::Bpm { bpm, .. } if bpm != 0.0 => Some((t.time_us, bpm)),
        _ => None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_as_strtod_reads_them() {
        assert_eq!(parse_number(b" -0.061 "), Some(-0.061));
        assert_eq!(parse_number(b"12abc"), Some(12.0));
        assert_eq!(parse_number(b".5"), Some(0.5));
        assert_eq!(parse_number(b"1e3x"), Some(1000.0));
        assert_eq!(parse_number(b"1e"), Some(1.0));
        assert_eq!(parse_number(b"1e999"), None);
        assert_eq!(parse_number(b"abc"), None);
        assert_eq!(parse_number(b"-"), None);
        assert_eq!(parse_int(b"25.9"), Some(25));
    }

    #[test]
    fn seconds_are_exact() {
        assert_eq!(seconds(61_000), "0.061");
        assert_eq!(seconds(-100_000), "-0.1");
        assert_eq!(seconds(0), "0");
        assert_eq!(seconds(-1), "-0.000001");
        assert_eq!(seconds(2_500_000), "2.5");
    }

    #[test]
    fn steps_types() {
        assert_eq!(steps_type_columns("dance-single"), Some(4));
        assert_eq!(steps_type_columns("Pump_Double"), Some(10));
        assert_eq!(steps_type_columns("para"), Some(5));
        assert_eq!(steps_type_columns("lights-cabinet"), Some(6));
        assert_eq!(steps_type_columns("unknown"), None);
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
        assert!(!is_sm(b"#VERSION:0.83;"));
        assert!(!is_sm(b"osu file format v14"));
        assert!(!is_sm(b"#EXTM3U\n"));
        assert!(!is_sm(b""));
        assert!(!is_ssc(b"#"));
    }
}

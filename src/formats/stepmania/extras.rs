//! What the StepMania codec keeps in `Chart::extras` for its own round trips, typed: the
//! reader fills an `SmExtras` and writes it to the chart in one place (`SmExtras::write`); the
//! writer reads it from a chart in one place (`SmExtras::of`).
//!
//! Row hints keep what times alone cannot tell (see `decode`):
//! * `sm.timing.rows`: `kind=row` of timing events inside a warp, where many rows share a time;
//! * `sm.notes.autokeysounds`: `row=column=keysound` of `K` cells (not model notes);
//! * `sm.notes.unjudged`: `row=column=character=keysound=tail row` of the notes StepMania shows
//!   but never judges (model notes of kind `Fake`);
//! * `sm.timing.offset`: the `#OFFSET` seconds when the first BPM's whole-µs time does not give
//!   them back (every time of the chart would move by the difference, and round otherwise).

use super::values::{beat_values, parse_int};
use super::{msd, tags};
use crate::Chart;

/// Prefix of song-level tags `.sm` files have (and of the codec's own keys).
pub const SM_PREFIX: &str = "sm.";
/// Prefix of song-level tags only `.ssc` files have.
pub const SSC_PREFIX: &str = "ssc.";
pub const KEY_RADAR: &str = "sm.chart.RADARVALUES";
pub const KEY_SONG_CREDIT: &str = "sm.CREDIT";
pub const KEY_SONG_MUSIC: &str = "sm.MUSIC";
pub const KEY_AUTO_KEYSOUNDS: &str = "sm.notes.autokeysounds";
pub const KEY_UNJUDGED: &str = "sm.notes.unjudged";
pub const KEY_TIMING_ROWS: &str = "sm.timing.rows";
pub const KEY_OFFSET: &str = "sm.timing.offset";
/// The keys the writer uses itself (never written as tags of their own).
pub const CODEC_KEYS: [&str; 7] = [
    KEY_SONG_CREDIT,
    KEY_SONG_MUSIC,
    KEY_RADAR,
    KEY_AUTO_KEYSOUNDS,
    KEY_UNJUDGED,
    KEY_TIMING_ROWS,
    KEY_OFFSET,
];
/// Prefix of chart-level `.ssc` tags without a model field.
pub const CHART_PREFIX: &str = "ssc.chart.";

/// Timing tags the model has no place for, with their extras keys (an `sm.` key is a tag `.sm`
/// files have too); in `.ssc` split timing they belong to the chart.
pub const TIMING_EXTRAS: [(&str, &str); 6] = [
    (tags::TIMESIGNATURES, "sm.TIMESIGNATURES"),
    (tags::TICKCOUNTS, "sm.TICKCOUNTS"),
    (tags::COMBOS, "ssc.COMBOS"),
    (tags::SPEEDS, "ssc.SPEEDS"),
    (tags::FAKES, "ssc.FAKES"),
    (tags::LABELS, "ssc.LABELS"),
];

/// Whether an extras key names a tag `.sm` files have.
pub fn is_sm_key(key: &str) -> bool {
    key.starts_with(SM_PREFIX)
}

/// Everything of a chart's extras the codec reads back itself.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SmExtras {
    /// The song's `#CREDIT` and `#MUSIC`, when the chart's own (`.ssc`) differ.
    pub song_credit: Option<String>,
    pub song_music: Option<String>,
    pub timing: TimingTags,
    pub rows: RowHints,
    /// `#OFFSET` when the first BPM's time does not tell it (see the module's notes).
    pub offset: Option<f64>,
    /// Radar values and `ssc.chart.` tags as (key, value), in file order.
    pub chart_tags: Vec<(String, String)>,
}

/// Values of the `TIMING_EXTRAS` tags, as written after `#TAG:`.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct TimingTags {
    values: [Option<String>; TIMING_EXTRAS.len()],
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct RowHints {
    pub timing_rows: Vec<TimingRow>,
    pub auto_keysounds: Vec<AutoKeysound>,
    pub unjudged: Vec<UnjudgedCell>,
}

/// The row of a timing event (`TimingKind::name`) whose time does not tell it.
#[derive(Clone, Debug, PartialEq)]
pub struct TimingRow {
    pub kind: String,
    pub row: i64,
}

/// A `K` cell: a keysound StepMania plays by itself.
#[derive(Clone, Debug, PartialEq)]
pub struct AutoKeysound {
    pub row: i64,
    pub column: u8,
    /// Index into the chart's keysounds, as the file gave it.
    pub keysound: Option<i64>,
}

/// A note cell StepMania does not judge, as it was in the file.
#[derive(Clone, Debug, PartialEq)]
pub struct UnjudgedCell {
    pub row: i64,
    pub column: u8,
    /// The note character (`1`, `2`, `M`…).
    pub ch: u8,
    pub keysound: Option<i64>,
    /// The row of its `3`, for holds and rolls.
    pub tail: Option<i64>,
}

impl SmExtras {
    /// What a chart's extras hold for the codec (the first value of a repeated key counts).
    pub fn of(chart: &Chart) -> SmExtras {
        let mut timing = TimingTags::default();
        for (tag, key) in TIMING_EXTRAS {
            if let Some(value) = chart.extra(key) {
                timing.set(tag, value.to_owned());
            }
        }
        let hints = |key: &str| chart.extra(key).unwrap_or_default();
        SmExtras {
            song_credit: chart.extra(KEY_SONG_CREDIT).map(str::to_owned),
            song_music: chart.extra(KEY_SONG_MUSIC).map(str::to_owned),
            timing,
            offset: chart.extra(KEY_OFFSET).and_then(|o| o.parse().ok()),
            rows: RowHints {
                timing_rows: list(hints(KEY_TIMING_ROWS), TimingRow::parse),
                auto_keysounds: list(hints(KEY_AUTO_KEYSOUNDS), AutoKeysound::parse),
                unjudged: list(hints(KEY_UNJUDGED), UnjudgedCell::parse),
            },
            chart_tags: chart
                .extras
                .iter()
                .filter(|(k, _)| k == KEY_RADAR || k.starts_with(CHART_PREFIX))
                .cloned()
                .collect(),
        }
    }

    /// Appends the extras to a chart's (empty lists and absent values are left out); the
    /// values move, as a decode writes each chart's once.
    pub fn write(self, extras: &mut Vec<(String, String)>) {
        let mut put = |key: String, value: String| extras.push((key, value));
        if let Some(credit) = self.song_credit {
            put(KEY_SONG_CREDIT.into(), credit);
        }
        if let Some(music) = self.song_music {
            put(KEY_SONG_MUSIC.into(), music);
        }
        // The time signatures come first, then the rows the model timing needs, then the rest.
        let mut timing = self.timing.into_iter().peekable();
        if let Some((_, key, value)) = timing.next_if(|t| t.0 == tags::TIMESIGNATURES) {
            put(key.into(), value);
        }
        let rows = &self.rows;
        if !rows.timing_rows.is_empty() {
            put(
                KEY_TIMING_ROWS.into(),
                join(&rows.timing_rows, TimingRow::text),
            );
        }
        if let Some(offset) = self.offset {
            put(KEY_OFFSET.into(), offset.to_string());
        }
        for (_, key, value) in timing {
            put(key.into(), value);
        }
        for (key, value) in self.chart_tags {
            put(key, value);
        }
        if !rows.auto_keysounds.is_empty() {
            put(
                KEY_AUTO_KEYSOUNDS.into(),
                join(&rows.auto_keysounds, AutoKeysound::text),
            );
        }
        if !rows.unjudged.is_empty() {
            put(
                KEY_UNJUDGED.into(),
                join(&rows.unjudged, UnjudgedCell::text),
            );
        }
    }

    /// At most how many entries `write` appends.
    pub fn max_len(&self) -> usize {
        // Song credit and music, timing rows, offset, auto keysounds, unjudged cells.
        const OWN_KEYS: usize = 6;
        OWN_KEYS + TIMING_EXTRAS.len() + self.chart_tags.len()
    }

    /// The radar values (`.sm` writes them in `#NOTES`).
    pub fn radar(&self) -> Option<&str> {
        self.chart_tags
            .iter()
            .find(|(k, _)| k == KEY_RADAR)
            .map(|(_, v)| v.as_str())
    }
}

impl TimingTags {
    fn index(tag: &str) -> usize {
        TIMING_EXTRAS
            .iter()
            .position(|(t, _)| *t == tag)
            .expect("a tag of TIMING_EXTRAS")
    }

    pub fn get(&self, tag: &str) -> Option<&str> {
        self.values[Self::index(tag)].as_deref()
    }

    pub fn set(&mut self, tag: &str, value: String) {
        self.values[Self::index(tag)] = Some(value);
    }

    /// (tag, key, value) of each tag given, in `TIMING_EXTRAS` order.
    pub fn iter(&self) -> impl Iterator<Item = (&'static str, &'static str, &str)> + '_ {
        TIMING_EXTRAS
            .iter()
            .zip(&self.values)
            .filter_map(|(&(tag, key), value)| Some((tag, key, value.as_deref()?)))
    }

    /// (tag, key, value) of each tag given, in `TIMING_EXTRAS` order, values moved out.
    fn into_iter(self) -> impl Iterator<Item = (&'static str, &'static str, String)> {
        TIMING_EXTRAS
            .iter()
            .zip(self.values)
            .filter_map(|(&(tag, key), value)| Some((tag, key, value?)))
    }

    /// Whether no tag says anything.
    pub fn is_blank(&self) -> bool {
        self.iter().all(|(_, _, v)| v.trim().is_empty())
    }

    /// Whether two charts' tags say the same: the same tags, and values with the same entries
    /// once blanks are trimmed and numbers compared as numbers (`0.000=4` is `0=4`).
    pub fn same_as(&self, other: &TimingTags) -> bool {
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
        self.values
            .iter()
            .zip(&other.values)
            .all(|(a, b)| match (a, b) {
                (Some(a), Some(b)) => entries(a) == entries(b),
                (a, b) => a.is_none() && b.is_none(),
            })
    }

    /// The `#FAKES` ranges StepMania takes: (beat, length in beats).
    pub fn fakes(&self) -> Vec<(f64, f64)> {
        let value = self.get(tags::FAKES).unwrap_or_default();
        // Kept as written, parameters joined by `:`: StepMania reads only the first, unescaped.
        let tag = format!("#{}:{value};", tags::FAKES);
        let msd = msd::parse(tag.as_bytes(), msd::NoteData::Read);
        let first = msd.tags().next().map_or(&[][..], |tag| tag.param(1));
        beat_values(first)
            .filter_map(|(_, p)| p)
            .filter(|&(b, v)| b >= 0.0 && v > 0.0)
            .collect()
    }
}

/// The entries of a hint list that parse; others are skipped.
fn list<T>(value: &str, parse: fn(&str) -> Option<T>) -> Vec<T> {
    value.split(',').filter_map(parse).collect()
}

fn join<T>(items: &[T], text: fn(&T) -> String) -> String {
    items.iter().map(text).collect::<Vec<_>>().join(",")
}

fn int(field: Option<&str>) -> Option<i64> {
    parse_int(field?.as_bytes())
}

fn optional(value: Option<i64>) -> String {
    value.map(|v| v.to_string()).unwrap_or_default()
}

impl TimingRow {
    fn parse(entry: &str) -> Option<TimingRow> {
        let (kind, row) = entry.split_once('=')?;
        Some(TimingRow {
            kind: kind.to_owned(),
            row: int(Some(row))?,
        })
    }

    fn text(&self) -> String {
        format!("{}={}", self.kind, self.row)
    }
}

impl AutoKeysound {
    fn parse(entry: &str) -> Option<AutoKeysound> {
        let mut fields = entry.split('=');
        let row = int(fields.next())?;
        let column = u8::try_from(int(fields.next())?).ok()?;
        Some(AutoKeysound {
            row,
            column,
            keysound: int(fields.next()),
        })
    }

    fn text(&self) -> String {
        format!("{}={}={}", self.row, self.column, optional(self.keysound))
    }
}

impl UnjudgedCell {
    fn parse(entry: &str) -> Option<UnjudgedCell> {
        let mut fields = entry.split('=');
        let row = int(fields.next())?;
        let column = u8::try_from(int(fields.next())?).ok()?;
        let ch = *fields.next()?.as_bytes().first()?;
        Some(UnjudgedCell {
            row,
            column,
            ch,
            keysound: int(fields.next()),
            tail: int(fields.next()),
        })
    }

    fn text(&self) -> String {
        let (ks, tail) = (optional(self.keysound), optional(self.tail));
        format!(
            "{}={}={}={ks}={tail}",
            self.row, self.column, self.ch as char
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> SmExtras {
        let mut timing = TimingTags::default();
        timing.set(tags::TIMESIGNATURES, "0.000=3=4".into());
        timing.set(tags::TICKCOUNTS, "0=4".into());
        timing.set(tags::FAKES, "1=0.5,-1=2,2=0".into());
        SmExtras {
            song_credit: Some(String::new()),
            song_music: Some("song.ogg".into()),
            timing,
            offset: Some(-5.658_518_518_518_52),
            rows: RowHints {
                timing_rows: vec![TimingRow {
                    kind: "stop".into(),
                    row: 200,
                }],
                auto_keysounds: vec![
                    AutoKeysound {
                        row: 0,
                        column: 2,
                        keysound: Some(2),
                    },
                    AutoKeysound {
                        row: 144,
                        column: 0,
                        keysound: None,
                    },
                ],
                unjudged: vec![UnjudgedCell {
                    row: 192,
                    column: 3,
                    ch: b'2',
                    keysound: Some(-1),
                    tail: Some(240),
                }],
            },
            chart_tags: vec![
                ("ssc.chart.CHARTNAME".into(), "x".into()),
                (KEY_RADAR.into(), "0,1".into()),
            ],
        }
    }

    #[test]
    fn struct_to_extras_and_back() {
        let extras = sample();
        let mut chart = Chart::new(4);
        chart.extras.push(("sm.BANNER".into(), "b.png".into()));
        extras.clone().write(&mut chart.extras);
        assert_eq!(SmExtras::of(&chart), extras);
        assert_eq!(chart.extra(KEY_UNJUDGED), Some("192=3=2=-1=240"));
        assert_eq!(chart.extra(KEY_AUTO_KEYSOUNDS), Some("0=2=2,144=0="));
        assert_eq!(chart.extra(KEY_TIMING_ROWS), Some("stop=200"));
        assert_eq!(chart.extra(KEY_OFFSET), Some("-5.65851851851852"));
        let keys: Vec<&str> = chart.extras.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(
            keys,
            [
                "sm.BANNER",
                KEY_SONG_CREDIT,
                KEY_SONG_MUSIC,
                "sm.TIMESIGNATURES",
                KEY_TIMING_ROWS,
                KEY_OFFSET,
                "sm.TICKCOUNTS",
                "ssc.FAKES",
                "ssc.chart.CHARTNAME",
                KEY_RADAR,
                KEY_AUTO_KEYSOUNDS,
                KEY_UNJUDGED,
            ]
        );
        assert_eq!(SmExtras::of(&chart).radar(), Some("0,1"));
    }

    #[test]
    fn nothing_written_for_nothing() {
        let mut extras = Vec::new();
        SmExtras::default().write(&mut extras);
        assert!(extras.is_empty());
        assert_eq!(SmExtras::of(&Chart::new(4)), SmExtras::default());
    }

    #[test]
    fn broken_hint_entries_are_skipped() {
        let mut chart = Chart::new(4);
        chart.extras = vec![
            (
                KEY_UNJUDGED.into(),
                "1=0,x=1=1,2=300=1,3=1=M==,4=0=2=7=9".into(),
            ),
            (KEY_AUTO_KEYSOUNDS.into(), "5,6=1=x,7=-1=0".into()),
            (KEY_TIMING_ROWS.into(), "warp,stop=12.9".into()),
        ];
        let rows = SmExtras::of(&chart).rows;
        let unjudged: Vec<_> = rows.unjudged.iter().map(|u| (u.row, u.ch)).collect();
        assert_eq!(unjudged, [(3, b'M'), (4, b'2')]);
        assert_eq!(
            (rows.unjudged[0].keysound, rows.unjudged[1].tail),
            (None, Some(9))
        );
        assert_eq!(rows.auto_keysounds.len(), 1);
        assert_eq!(rows.auto_keysounds[0].keysound, None);
        assert_eq!(rows.timing_rows[0].row, 12);
    }

    #[test]
    fn timing_tags_compare_as_numbers_and_parse_fakes() {
        let extras = sample();
        let mut other = extras.timing.clone();
        other.set(tags::TIMESIGNATURES, " 0=3=4 ,".into());
        assert!(extras.timing.same_as(&other));
        other.set(tags::LABELS, "0=x".into());
        assert!(!extras.timing.same_as(&other));
        assert_eq!(extras.timing.fakes(), [(1.0, 0.5)]);
        // StepMania reads the first parameter only; the rest is kept, not read.
        other.set(tags::FAKES, "10=1:0=1,4=0.5".into());
        assert_eq!(other.fakes(), [(10.0, 1.0)]);
        assert!(!extras.timing.is_blank());
        let mut blank = TimingTags::default();
        blank.set(tags::COMBOS, " ".into());
        assert!(blank.is_blank());
    }

    #[test]
    fn fixtures_keep_their_extras_through_a_write_and_a_read() {
        use crate::formats::stepmania::{decode, encode, Dialect};
        use crate::model::ConversionReport;
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/stepmania/");
        let mut seen = SmExtras::default();
        for name in [
            "gimmicks.ssc",
            "keysounds.ssc",
            "split_timing.ssc",
            "negative.sm",
            "rows.sm",
        ] {
            let dialect = if name.ends_with(".sm") {
                Dialect::Sm
            } else {
                Dialect::Ssc
            };
            let bytes = std::fs::read(format!("{dir}{name}")).unwrap();
            let mut report = ConversionReport::default();
            let charts = decode(&bytes, dialect, &mut report).unwrap();
            let written = encode(&charts, dialect, &mut report).unwrap();
            let again = decode(&written, dialect, &mut report).unwrap();
            for (a, b) in charts.iter().zip(&again) {
                let extras = SmExtras::of(a);
                assert_eq!(extras, SmExtras::of(b), "{name}");
                let rows = &extras.rows;
                seen.rows.unjudged.extend(rows.unjudged.iter().cloned());
                seen.rows
                    .auto_keysounds
                    .extend(rows.auto_keysounds.iter().cloned());
                seen.rows
                    .timing_rows
                    .extend(rows.timing_rows.iter().cloned());
                seen.chart_tags.extend(extras.chart_tags.iter().cloned());
                for (tag, _, value) in extras.timing.iter() {
                    seen.timing.set(tag, value.to_owned());
                }
            }
        }
        // The fixtures exercise every kind of hint.
        let rows = &seen.rows;
        assert!(!rows.unjudged.is_empty() && !rows.auto_keysounds.is_empty());
        assert!(!rows.timing_rows.is_empty(), "{seen:?}");
        assert!(seen.timing.get(tags::FAKES).is_some(), "{seen:?}");
        assert!(seen.radar().is_some());
    }
}

//! The text the writer puts out: headers, definitions and object lines.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use super::grid::{refuse, too_long, Anchor, Grid, MEASURES};
use super::layout::{Lane, Layout};
use crate::model::{Chart, ConversionReport, LossKind, MetaField};
use crate::Result;

/// An object on a row.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Object {
    pub row: i64,
    pub channel: [u8; 2],
    pub id: u16,
}

/// Highest id a two-character base-36 field holds.
pub const MAX_ID: usize = super::ID_COUNT - 1;

/// `#BPMxx`, `#STOPxx`, `#SCROLLxx` values by channel (08, 09, SC), id − 1 each.
type Values = BTreeMap<[u8; 2], Vec<f64>>;

/// `#DIFFICULTY` values by name (docs/bms.md).
const DIFFICULTIES: [&str; 5] = ["BEGINNER", "NORMAL", "HYPER", "ANOTHER", "INSANE"];

/// Extras made from objects (written as objects, or not at all), not headers.
const OBJECT_EXTRAS: [&str; 4] = [
    "bms.bgm",
    "bms.invisible",
    "bms.speed",
    "bms.measure_lengths",
];

/// The rows of a note channel's objects, in order, and its holds (start row → end row), to
/// keep notes from sharing a row and hold pairs from interleaving.
#[derive(Default)]
struct Taken {
    rows: Vec<i64>,
    holds: BTreeMap<i64, i64>,
}

pub struct Lines {
    /// Every object, in the order added (several objects of channel 01 may share a row).
    objects: Vec<Object>,
    /// The rows each lane's notes have taken (taps, holds and mines alike: a BMS player keeps
    /// one note a lane and row, and none inside a hold), by `lane_key`.
    taken: BTreeMap<u16, Taken>,
    values: Values,
    initial_bpm: f64,
    /// A `#WAVxx` for the chart's audio file, played from row 0 (channel 01).
    audio: Option<String>,
    rows_per_measure: i64,
}

/// The objects of each channel in row order; objects sharing a row keep the order they were
/// added in. Notes are added in time order, so a channel rarely needs sorting: grouping
/// first spares a sort of the whole list (a tenth of an encode).
fn by_channel(objects: Vec<Object>) -> BTreeMap<u16, Vec<Object>> {
    let mut channels: BTreeMap<u16, Vec<Object>> = BTreeMap::new();
    for object in objects {
        channels
            .entry(channel_key(object.channel))
            .or_default()
            .push(object);
    }
    for channel in channels.values_mut() {
        if channel.windows(2).any(|pair| pair[0].row > pair[1].row) {
            channel.sort_by_key(|o| o.row);
        }
    }
    channels
}

/// A channel as a map key, in the channels' order: two bytes compared as one number, not
/// bytewise (3 % of an encode).
fn channel_key(channel: [u8; 2]) -> u16 {
    u16::from_be_bytes(channel)
}

impl Lines {
    pub fn new(grid: &Grid, notes: usize) -> Result<Lines> {
        let (objects, values) = anchor_objects(grid)?;
        let mut lines = Lines {
            objects: Vec::with_capacity(objects.len() + 2 * notes),
            taken: BTreeMap::new(),
            values,
            initial_bpm: grid.initial_bpm,
            audio: None,
            rows_per_measure: grid.rows_per_measure(),
        };
        for object in objects {
            lines.push(object);
        }
        Ok(lines)
    }

    /// Adds an object; objects outside BMS's 1,000 measures are left out (the writer refuses
    /// notes there first).
    fn push(&mut self, object: Object) {
        if (0..self.rows_per_measure * MEASURES).contains(&object.row) {
            self.objects.push(object);
        }
    }

    /// Adds a note (one object, or a hold's start and end) in `lane`; false when a note of
    /// the lane is on its rows, or it would be inside a hold of the lane or contain a note.
    pub fn add_note(&mut self, lane: Lane, objects: &[Object]) -> bool {
        let (first, last) = (objects[0].row, objects[objects.len() - 1].row);
        let lane_key = u16::from_be_bytes([lane.0, lane.1]);
        let Taken { rows, holds } = self.taken.entry(lane_key).or_default();
        // The hold starting last before `first`: in time order, nearly always the last one.
        let before = match holds.last_key_value() {
            Some(last) if *last.0 < first => Some(last),
            _ => holds.range(..first).next_back(),
        };
        let inside_a_hold = before.is_some_and(|(_, &end)| end >= first);
        // Notes come in time order: the rows go at the end but for a note inside a chord.
        let after = match rows.last() {
            Some(&row) if row >= first => rows.partition_point(|&row| row < first),
            _ => rows.len(),
        };
        if inside_a_hold || rows.get(after).is_some_and(|&row| row <= last) {
            return false;
        }
        if objects.len() == 2 {
            holds.insert(first, last);
        }
        let new_rows = objects.iter().map(|o| o.row);
        if after == rows.len() {
            rows.extend(new_rows);
        } else {
            rows.splice(after..after, new_rows);
        }
        for object in objects {
            self.push(*object);
        }
        true
    }

    /// The BGM and invisible notes kept from a BMS source, and the audio file as BGM.
    pub fn extras(
        &mut self,
        chart: &Chart,
        grid: &Grid,
        lanes: &[Lane],
        report: &mut ConversionReport,
    ) {
        let row = |time: &str| time.parse::<i64>().ok().map(|t| grid.note_row(t));
        let keysounds = chart.keysounds.len();
        let id = |keysound: &str| {
            let k = keysound.parse::<usize>().ok().filter(|&k| k < keysounds)?;
            Some(k as u16 + 1)
        };
        for entry in chart
            .extra("bms.bgm")
            .unwrap_or_default()
            .split_whitespace()
        {
            if let Some((Some(row), Some(id))) = entry.split_once(':').map(|(t, k)| (row(t), id(k)))
            {
                self.push(Object {
                    row,
                    channel: *b"01",
                    id,
                });
            }
        }
        for entry in chart
            .extra("bms.invisible")
            .unwrap_or_default()
            .split_whitespace()
        {
            let mut fields = entry.split(':');
            let (Some(time), Some(column), Some(keysound)) =
                (fields.next(), fields.next(), fields.next())
            else {
                continue;
            };
            let lane = column.parse::<usize>().ok().and_then(|c| lanes.get(c));
            // Without a sound (`-`): an id no `#WAVxx` defines, as for notes.
            let id = if keysound == "-" {
                Some(MAX_ID as u16)
            } else {
                id(keysound)
            };
            if let (Some(row), Some(&(side, digit)), Some(id)) = (row(time), lane, id) {
                self.push(Object {
                    row,
                    channel: [b'3' + side, b'0' + digit],
                    id,
                });
            }
        }
        for key in ["bms.speed", "bms.measure_lengths"] {
            if chart.extra(key).is_some() {
                report.push(
                    LossKind::MetadataDropped,
                    format!(
                        "{key} not written: the writer keeps 4/4 measures and no speed changes"
                    ),
                );
            }
        }
        if !chart.metadata.audio_file.is_empty() {
            self.audio = Some(chart.metadata.audio_file.clone());
        }
    }

    /// The whole file.
    pub fn text(
        mut self,
        chart: &Chart,
        layout: Layout,
        report: &mut ConversionReport,
    ) -> Result<Vec<u8>> {
        let mut out = String::new();
        self.headers(&mut out, chart, layout, report);
        let audio_id = chart.keysounds.len() as u16 + 1;
        for (index, file) in chart.keysounds.iter().chain(self.audio.iter()).enumerate() {
            let name = format!("WAV{}", id_text(index as u16 + 1));
            header(&mut out, &name, file, LossKind::SoundDropped, report);
        }
        if self.audio.is_some() {
            self.push(Object {
                row: 0,
                channel: *b"01",
                id: audio_id,
            });
        }
        for (channel, name) in [(*b"08", "BPM"), (*b"09", "STOP"), (*b"SC", "SCROLL")] {
            for (index, value) in self.values.get(&channel).into_iter().flatten().enumerate() {
                let _ = writeln!(out, "#{name}{} {value}", id_text(index as u16 + 1));
            }
        }
        out.push('\n');
        let per_measure = self.rows_per_measure;
        let same_line = |a: &Object, b: &Object| {
            (a.channel, a.row / per_measure) == (b.channel, b.row / per_measure)
        };
        let mut out = out.into_bytes();
        for channel in by_channel(self.objects).values() {
            for measure in channel.chunk_by(same_line) {
                write_measure(&mut out, measure, per_measure);
            }
        }
        Ok(out)
    }

    fn headers(
        &self,
        out: &mut String,
        chart: &Chart,
        layout: Layout,
        report: &mut ConversionReport,
    ) {
        let m = &chart.metadata;
        let either = |unicode: &str, plain: &str| {
            if unicode.is_empty() {
                plain.to_string()
            } else {
                unicode.to_string()
            }
        };
        let difficulty = DIFFICULTIES
            .iter()
            .position(|d| m.difficulty_name.eq_ignore_ascii_case(d));
        let _ = writeln!(out, "#PLAYER 1");
        let fields = [
            ("TITLE", either(&m.title_unicode, &m.title)),
            ("SUBTITLE", m.subtitle.clone()),
            ("ARTIST", either(&m.artist_unicode, &m.artist)),
            ("GENRE", m.genre.clone()),
            (
                "PLAYLEVEL",
                m.difficulty_level
                    .map(|l| l.to_string())
                    .unwrap_or_default(),
            ),
            (
                "DIFFICULTY",
                difficulty.map(|d| (d + 1).to_string()).unwrap_or_default(),
            ),
            ("STAGEFILE", m.background_file.clone()),
            ("BPM", self.initial_bpm.to_string()),
            ("LNTYPE", "1".to_string()),
        ];
        for (name, value) in fields.iter().filter(|(_, v)| !v.is_empty()) {
            header(out, name, value, LossKind::MetadataDropped, report);
        }
        for (key, value) in &chart.extras {
            match key.strip_prefix("bms.") {
                Some(name) if !OBJECT_EXTRAS.contains(&key.as_str()) && !is_written(name) => {
                    header(out, name, value, LossKind::MetadataDropped, report);
                }
                Some(_) => {}
                None => {
                    report.push(
                        LossKind::MetadataDropped,
                        format!("extra {key} not written: BMS has no place for it"),
                    );
                }
            }
        }
        report_unwritten(chart, layout, difficulty.is_some(), report);
    }
}

/// Headers the writer writes itself, so a BMS source's extras do not repeat them.
fn is_written(name: &str) -> bool {
    matches!(name, "PLAYER" | "LNTYPE" | "LNOBJ" | "BPM")
}

fn report_unwritten(
    chart: &Chart,
    layout: Layout,
    difficulty: bool,
    report: &mut ConversionReport,
) {
    let m = &chart.metadata;
    let mut unwritten: Vec<String> = [
        MetaField::Creator,
        MetaField::Source,
        MetaField::Tags,
        MetaField::Description,
        MetaField::Style,
    ]
    .into_iter()
    .filter(|f| !f.get(m).is_empty())
    .map(|f| f.name().to_string())
    .collect();
    if !difficulty && !m.difficulty_name.is_empty() {
        unwritten.push(format!("difficulty name {:?}", m.difficulty_name));
    }
    for (name, present) in [
        ("preview time", m.preview_time_us.is_some()),
        ("online ids", m.chart_id.is_some() || m.set_id.is_some()),
        (
            "HP drain and overall difficulty",
            m.hp_drain.is_some() || m.overall_difficulty.is_some(),
        ),
        (
            "romanised title or artist",
            (!m.title_unicode.is_empty() && m.title != m.title_unicode)
                || (!m.artist_unicode.is_empty() && m.artist != m.artist_unicode),
        ),
        (
            "hit sounds",
            chart.notes.iter().any(|n| n.sound != Default::default()),
        ),
    ] {
        if present {
            unwritten.push(name.to_string());
        }
    }
    for field in unwritten {
        report.push(
            LossKind::MetadataDropped,
            format!("{field} not written: BMS has no such field"),
        );
    }
    if !chart.metadata.has_scratch {
        report.push(
            LossKind::NoteChanged,
            format!(
                "columns written after a scratch lane: read back as {} columns, column n as n + 1",
                layout.key_count()
            ),
        );
    }
}

/// Anchors (tempo, stops, scroll) as objects, with the values their ids name.
fn anchor_objects(grid: &Grid) -> Result<(Vec<Object>, Values)> {
    let mut values = Values::new();
    let mut objects = Vec::new();
    for anchor in &grid.anchors {
        let (row, channel, value) = match *anchor {
            Anchor::Bpm { row, bpm } => (row, *b"08", bpm),
            Anchor::Stop { row, length } => (row, *b"09", length),
            Anchor::Scroll { row, multiplier } => (row, *b"SC", multiplier),
        };
        let table = values.entry(channel).or_default();
        let id = match table.iter().position(|v| *v == value) {
            Some(i) => i + 1,
            None => {
                table.push(value);
                table.len()
            }
        };
        if id > MAX_ID {
            return Err(refuse(format!(
                "more than {MAX_ID} distinct tempos, stops or scrolls"
            )));
        }
        if !grid.holds_row(row) {
            return Err(too_long());
        }
        objects.push(Object {
            row,
            channel,
            id: id as u16,
        });
    }
    Ok((objects, values))
}

/// The object lines of one channel in one measure (`objects`, in row order), each as coarse
/// as its rows allow; objects sharing a row (BGM) go on lines of their own.
fn write_measure(out: &mut Vec<u8>, objects: &[Object], rows_per_measure: i64) {
    let (channel, measure) = (objects[0].channel, objects[0].row / rows_per_measure);
    let place = |o: &Object| (o.row % rows_per_measure, o.id);
    // Nearly always one line: only BGM objects share rows.
    if objects.windows(2).all(|pair| pair[0].row != pair[1].row) {
        let places: Vec<(i64, u16)> = objects.iter().map(place).collect();
        return write_line(out, measure, channel, &places, rows_per_measure);
    }
    let mut pending: Vec<(i64, u16)> = objects.iter().map(place).collect();
    while !pending.is_empty() {
        let mut line: Vec<(i64, u16)> = Vec::with_capacity(pending.len());
        let mut rest = Vec::new();
        for (row, id) in pending {
            match line.last() {
                Some(&(last, _)) if last == row => rest.push((row, id)),
                _ => line.push((row, id)),
            }
        }
        pending = rest;
        write_line(out, measure, channel, &line, rows_per_measure);
    }
}

/// One object line, `#MMMCC:` and a pair for each row of the measure's coarsest grid that
/// holds `places` (row in the measure, id), written in place (lines run to thousands of
/// pairs: a copy or a UTF-8 check of each was a good part of an encode).
fn write_line(
    out: &mut Vec<u8>,
    measure: i64,
    channel: [u8; 2],
    places: &[(i64, u16)],
    rows_per_measure: i64,
) {
    let step = places.iter().fold(rows_per_measure, |g, &(r, _)| gcd(g, r));
    // Measures are below `MEASURES` (1,000): three digits.
    let digit = |d: i64| b'0' + (d % 10) as u8;
    let [c0, c1] = channel;
    out.extend_from_slice(&[
        b'#',
        digit(measure / 100),
        digit(measure / 10),
        digit(measure),
        c0,
        c1,
        b':',
    ]);
    let start = out.len();
    out.resize(start + 2 * (rows_per_measure / step) as usize, b'0');
    for &(row, id) in places {
        let at = start + 2 * (row / step) as usize;
        out[at..at + 2].copy_from_slice(&id_digits(id));
    }
    out.push(b'\n');
}

fn gcd(a: i64, b: i64) -> i64 {
    if b == 0 {
        a
    } else {
        gcd(b, a % b)
    }
}

/// Two base-36 digits, upper case.
pub fn id_text(id: u16) -> String {
    String::from_utf8(id_digits(id).to_vec()).expect("base-36 digits are ASCII")
}

fn id_digits(id: u16) -> [u8; 2] {
    const DIGITS: &[u8; 36] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
    [
        DIGITS[usize::from(id / 36 % 36)],
        DIGITS[usize::from(id % 36)],
    ]
}

/// Writes `#NAME value`, reporting (as `kind`) a value that does not read back as given: a
/// line break would end the command, so it becomes a space, and a reader trims the value.
fn header(
    out: &mut String,
    name: &str,
    value: &str,
    kind: LossKind,
    report: &mut ConversionReport,
) {
    let one_line = value.replace(['\r', '\n'], " ");
    let read = one_line.trim();
    if read != value {
        let what = format!("#{name} written as {read:?}: a BMS value is one line, trimmed");
        report.push(kind, what);
    }
    let _ = writeln!(out, "#{name} {read}");
}

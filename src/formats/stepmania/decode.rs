//! `.sm` / `.ssc` → `Chart`s, as ITGmania loads them.
//!
//! Notes the model cannot hold as they are are kept in two extras so that the chart can be
//! written back unchanged:
//! * `sm.notes.autokeysounds`: `K` notes (keysounds StepMania plays by itself; neither shown
//!   nor judged), as `row=column=keysound` entries. They are not model notes.
//! * `sm.notes.unjudged`: notes inside a warp or a `#FAKES` range, which StepMania shows but
//!   never judges. They are model notes of kind `Fake` at the time StepMania gives them (a warp's
//!   notes all share its start time); the entry `row=column=character=keysound=tail row` keeps
//!   where they were and what they were.
//! * `sm.timing.rows`: `kind=row` of timing events whose row their time does not tell (inside a
//!   warp, where many rows share one time).

use super::msd::{self, Msd, Tag};
use super::timing::{self, Engine, Order, SmTiming, MAX_ROW, ROWS_PER_MEASURE};
use super::{
    default_steps_type, is_routine, is_sm_song_tag, parse_int, parse_number, same_timing_extras,
    steps_type_columns, Dialect, CHART_PREFIX, KEY_AUTO_KEYSOUNDS, KEY_RADAR, KEY_SONG_CREDIT,
    KEY_SONG_MUSIC, KEY_TIMING_ROWS, KEY_UNJUDGED, TIMING_EXTRAS,
};
use crate::model::{
    ConversionReport, LossKind, Metadata, Note, NoteKind, TimingPoint, MAX_ABS_TIME_US, MAX_KEYS,
};
use crate::{Chart, Error, Result};

/// `.ssc` version from which charts may have their own timing (`VERSION_SPLIT_TIMING`).
const VERSION_SPLIT_TIMING: f64 = 0.7;
/// The version StepMania assumes for an `.ssc` without `#VERSION` (`STEPFILE_VERSION_NUMBER`).
const VERSION_CURRENT: f64 = 0.83;

pub fn decode(bytes: &[u8], dialect: Dialect, report: &mut ConversionReport) -> Result<Vec<Chart>> {
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return Err(Error::Encoding {
            encoding: "UTF-8",
            detail: "the file is UTF-16 (it starts with a UTF-16 byte-order mark); StepMania \
                     reads simfiles as UTF-8 only"
                .into(),
        });
    }
    let text = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let msd = msd::parse(text);
    let mut reader = Reader { dialect, report };
    let (song, sources) = match dialect {
        Dialect::Sm => reader.read_sm(&msd),
        Dialect::Ssc => reader.read_ssc(&msd),
    };
    if sources.is_empty() {
        let what = if msd.is_empty() {
            "the file has no tags (empty, or not a StepMania file)"
        } else {
            match dialect {
                Dialect::Sm => "the file has no chart (no #NOTES tag with all six fields)",
                Dialect::Ssc => "the file has no chart (no #NOTEDATA section ending in #NOTES)",
            }
        };
        return Err(reader.error(1, what));
    }
    let song_timing = reader.timing(&song.timing, 0.0, song.version);
    let mut charts = Vec::with_capacity(sources.len());
    let mut first_error = None;
    for (index, source) in sources.into_iter().enumerate() {
        let line = source.line;
        match reader.chart(&song, &song_timing, source, index == 0) {
            Ok(chart) => charts.push(chart),
            Err(e) => {
                reader.report.push(
                    LossKind::ChartDropped,
                    format!("chart {index} (line {line}): {e}"),
                );
                first_error.get_or_insert(e);
            }
        }
    }
    match first_error {
        Some(e) if charts.is_empty() => Err(e),
        _ => Ok(charts),
    }
}

struct Reader<'r> {
    dialect: Dialect,
    report: &'r mut ConversionReport,
}

/// Song-level data as read, before it is given to each chart.
#[derive(Default)]
struct Song<'a> {
    title: String,
    title_translit: String,
    subtitle: String,
    artist: String,
    artist_translit: String,
    genre: String,
    credit: String,
    music: String,
    background: String,
    preview_time_us: Option<i64>,
    keysounds: Vec<String>,
    /// Tags without a model field, in file order.
    extras: Vec<(String, String)>,
    timing: Vec<Tag<'a>>,
    version: f64,
}

/// One chart as read, before timing and notes are worked out.
struct Source<'a> {
    line: usize,
    steps_type: String,
    description: String,
    difficulty: String,
    meter: Option<f64>,
    credit: Option<String>,
    music: Option<String>,
    notes: &'a [u8],
    notes_line: usize,
    /// The chart's own timing tags (`.ssc` split timing), and whether it has any.
    timing: Vec<Tag<'a>>,
    own_timing: bool,
    version: f64,
    extras: Vec<(String, String)>,
}

impl<'a> Source<'a> {
    fn new(line: usize, version: f64) -> Source<'a> {
        Source {
            line,
            steps_type: String::new(),
            description: String::new(),
            difficulty: String::new(),
            meter: None,
            credit: None,
            music: None,
            notes: &[],
            notes_line: line,
            timing: Vec::new(),
            own_timing: false,
            version,
            extras: Vec::new(),
        }
    }
}

/// A chart's timing as StepMania would use it, with what the model keeps elsewhere.
#[derive(Clone)]
struct ChartTiming {
    sm: SmTiming,
    /// (row, numerator, denominator), tidied.
    signatures: Vec<(i64, (u32, u32))>,
    /// Timing tags without a model place, `TIMING_EXTRAS` order.
    extras: Vec<(String, String)>,
}

impl ChartTiming {
    /// StepMania's `TimingData::empty`: nothing at all was given.
    fn is_empty(&self) -> bool {
        let t = &self.sm;
        t.bpms.is_empty()
            && t.stops.is_empty()
            && t.delays.is_empty()
            && t.warps.is_empty()
            && t.scrolls.is_empty()
            && t.fakes.is_empty()
            && self.signatures.is_empty()
            && self.extras.iter().all(|(_, v)| v.trim().is_empty())
    }
}

/// Which tags are timing tags in each dialect (`.ssc` charts may have them too).
fn is_timing_tag(dialect: Dialect, name: &str) -> bool {
    match dialect {
        Dialect::Sm => matches!(
            name,
            "OFFSET" | "BPMS" | "STOPS" | "FREEZES" | "DELAYS" | "TIMESIGNATURES" | "TICKCOUNTS"
        ),
        Dialect::Ssc => matches!(
            name,
            "OFFSET"
                | "BPMS"
                | "STOPS"
                | "DELAYS"
                | "WARPS"
                | "TIMESIGNATURES"
                | "TICKCOUNTS"
                | "COMBOS"
                | "SPEEDS"
                | "SCROLLS"
                | "FAKES"
                | "LABELS"
        ),
    }
}

/// Entries of a timing list: `beat=value[=value…],…`, empty pieces skipped as StepMania's
/// `split` does.
fn entries(value: &[u8]) -> impl Iterator<Item = (&[u8], Vec<&[u8]>)> {
    value
        .split(|&c| c == b',')
        .filter(|e| !e.is_empty())
        .map(|e| {
            (
                e,
                e.split(|&c| c == b'=').filter(|p| !p.is_empty()).collect(),
            )
        })
}

/// The `beat=value` entries of a list, each with its (beat, value) when it is exactly two
/// numbers (StepMania ignores the others).
pub(super) fn beat_values(value: &[u8]) -> impl Iterator<Item = (&[u8], Option<(f64, f64)>)> {
    entries(value).map(|(entry, parts)| {
        let parsed = match parts.as_slice() {
            [beat, value] => parse_number(beat).zip(parse_number(value)),
            _ => None,
        };
        (entry, parsed)
    })
}

fn to_us(seconds: f64) -> Option<i64> {
    let us = (seconds * 1e6).round();
    (us.is_finite() && us.abs() <= MAX_ABS_TIME_US as f64).then_some(us as i64)
}

impl Reader<'_> {
    fn error(&self, line: usize, message: impl Into<String>) -> Error {
        Error::Parse {
            format: self.dialect.name(),
            line,
            message: message.into(),
        }
    }

    /// Text of a field; invalid UTF-8 is replaced (and reported), as old simfiles in legacy
    /// encodings are still worth reading.
    fn text(&mut self, bytes: &[u8], what: &str, line: usize) -> String {
        let bytes = bytes.trim_ascii();
        match std::str::from_utf8(bytes) {
            Ok(s) => s.to_owned(),
            Err(_) => {
                self.report.push(
                    LossKind::MetadataDropped,
                    format!("{what} (line {line}) is not valid UTF-8: invalid bytes replaced"),
                );
                String::from_utf8_lossy(bytes).into_owned()
            }
        }
    }

    fn extra_key(&self, name: &str) -> String {
        let prefix = if self.dialect == Dialect::Sm || is_sm_song_tag(name) {
            "sm."
        } else {
            "ssc."
        };
        format!("{prefix}{name}")
    }

    /// A song-level tag both dialects share. Returns false for tags it does not handle.
    fn song_tag<'a>(&mut self, song: &mut Song<'a>, tag: Tag<'a>, name: &str) -> bool {
        let line = tag.line;
        let value = tag.param(1);
        let field = match name {
            "TITLE" => &mut song.title,
            "TITLETRANSLIT" => &mut song.title_translit,
            "SUBTITLE" => &mut song.subtitle,
            "ARTIST" => &mut song.artist,
            "ARTISTTRANSLIT" => &mut song.artist_translit,
            "GENRE" => &mut song.genre,
            "CREDIT" => &mut song.credit,
            "MUSIC" => &mut song.music,
            "BACKGROUND" => &mut song.background,
            "SAMPLESTART" => {
                song.preview_time_us = parse_number(value).and_then(to_us);
                return true;
            }
            "KEYSOUNDS" => {
                let list = self.text(value, "#KEYSOUNDS", line);
                song.keysounds = list
                    .split(',')
                    .filter(|s| !s.is_empty())
                    .map(str::to_owned)
                    .collect();
                return true;
            }
            _ if is_timing_tag(self.dialect, name) => {
                song.timing.push(tag);
                return true;
            }
            _ => return false,
        };
        *field = self.text(value, &format!("#{name}"), line);
        true
    }

    fn read_sm<'a>(&mut self, msd: &'a Msd) -> (Song<'a>, Vec<Source<'a>>) {
        let mut song = Song::default();
        let mut sources = Vec::new();
        for tag in msd.tags() {
            let name = tag.name();
            if self.song_tag(&mut song, tag, &name) {
                continue;
            }
            if name == "NOTES" || name == "NOTES2" {
                // stepstype:description:difficulty:meter:radar:notes
                if tag.len() < 7 {
                    self.report.push(
                        LossKind::ChartDropped,
                        format!(
                            "#{name} at line {} has {} fields, StepMania needs 6: chart skipped",
                            tag.line,
                            tag.len() - 1
                        ),
                    );
                    continue;
                }
                let line = tag.line;
                let mut source = Source::new(line, 0.0);
                source.steps_type = self.text(tag.param(1), "steps type", line);
                source.description = self.text(tag.param(2), "chart description", line);
                source.difficulty = self.text(tag.param(3), "difficulty", line);
                source.meter = parse_int(tag.param(4)).map(|m| m as f64);
                source.extras.push((
                    KEY_RADAR.into(),
                    self.text(tag.param(5), "radar values", line),
                ));
                source.notes = tag.param(6);
                sources.push(source);
            } else {
                song.extras.push((self.extra_key(&name), tag.raw_value()));
            }
        }
        (song, sources)
    }

    fn read_ssc<'a>(&mut self, msd: &'a Msd) -> (Song<'a>, Vec<Source<'a>>) {
        let mut song = Song {
            version: VERSION_CURRENT,
            ..Song::default()
        };
        let mut sources = Vec::new();
        let mut current: Option<Source<'a>> = None;
        for tag in msd.tags() {
            let name = tag.name();
            let line = tag.line;
            if name == "VERSION" {
                // Every #VERSION, song or chart, sets the version for what follows; junk is 0.
                song.version = parse_number(tag.param(1)).unwrap_or(0.0);
                if let Some(source) = current.as_mut() {
                    source.version = song.version;
                }
                continue;
            }
            if name == "NOTES" || name == "NOTES2" {
                if let Some(mut source) = current.take() {
                    source.notes = tag.param(1);
                    source.notes_line = line;
                    sources.push(source);
                    continue;
                }
            }
            let Some(source) = current.as_mut() else {
                if name == "NOTES" || name == "NOTES2" {
                    self.report.push(
                        LossKind::ChartDropped,
                        format!(
                            "#{name} at line {line} is outside a #NOTEDATA section: ignored, as \
                             StepMania ignores it"
                        ),
                    );
                } else if name == "NOTEDATA" {
                    current = Some(Source::new(line, song.version));
                } else if !self.song_tag(&mut song, tag, &name) {
                    song.extras.push((self.extra_key(&name), tag.raw_value()));
                }
                continue;
            };
            let value = tag.param(1);
            match name.as_str() {
                "STEPSTYPE" => source.steps_type = self.text(value, "#STEPSTYPE", line),
                "DESCRIPTION" => source.description = self.text(value, "#DESCRIPTION", line),
                "DIFFICULTY" => source.difficulty = self.text(value, "#DIFFICULTY", line),
                "METER" => source.meter = parse_int(value).map(|m| m as f64),
                "CREDIT" => source.credit = Some(self.text(value, "#CREDIT", line)),
                "MUSIC" => source.music = Some(self.text(value, "#MUSIC", line)),
                "RADARVALUES" => source
                    .extras
                    .push((KEY_RADAR.into(), self.text(value, "#RADARVALUES", line))),
                // StepMania ignores NOTEDATA inside a chart: the chart goes on.
                "NOTEDATA" => {}
                _ if is_timing_tag(Dialect::Ssc, &name) => {
                    if source.version >= VERSION_SPLIT_TIMING {
                        source.timing.push(tag);
                        source.own_timing = true;
                    } else {
                        self.report.push(
                            LossKind::TimingDropped,
                            format!(
                                "chart #{name} at line {line} ignored: the file's #VERSION is \
                                 below 0.70, where StepMania has no per-chart timing"
                            ),
                        );
                    }
                }
                _ => source
                    .extras
                    .push((format!("{CHART_PREFIX}{name}"), tag.raw_value())),
            }
        }
        if let Some(source) = current {
            self.report.push(
                LossKind::ChartDropped,
                format!(
                    "chart at line {} has no #NOTES before the end of the file: skipped",
                    source.line
                ),
            );
        }
        (song, sources)
    }

    /// Timing from timing tags, as StepMania's loaders build it (the last of a repeated tag
    /// wins). Entries StepMania ignores are reported.
    fn timing(&mut self, tags: &[Tag], offset: f64, version: f64) -> ChartTiming {
        let mut latest: Vec<(String, Tag)> = Vec::new();
        for tag in tags {
            let mut name = tag.name();
            if name == "FREEZES" {
                name = "STOPS".into();
            }
            latest.retain(|(n, _)| *n != name);
            latest.push((name, *tag));
        }
        let find = |name: &str| latest.iter().find(|(n, _)| n == name).map(|(_, t)| *t);
        let mut sm = SmTiming {
            offset,
            ..SmTiming::default()
        };
        if let Some(tag) = find("OFFSET") {
            sm.offset = parse_number(tag.param(1)).unwrap_or_else(|| {
                self.report.push(
                    LossKind::TimingChanged,
                    format!("#OFFSET at line {} is not a number: read as 0", tag.line),
                );
                0.0
            });
        }
        let sm_dialect = self.dialect == Dialect::Sm;
        // beat=value lists; `keep` says whether StepMania takes a (beat, value).
        let mut pairs = |name: &str, keep: &dyn Fn(f64, f64) -> bool| -> Vec<(f64, f64)> {
            let Some(tag) = find(name) else {
                return Vec::new();
            };
            let mut out = Vec::new();
            for (entry, parsed) in beat_values(tag.param(1)) {
                match parsed {
                    Some((beat, value)) if keep(beat, value) => out.push((beat, value)),
                    _ => {
                        self.report.push(
                            LossKind::TimingDropped,
                            format!(
                                "#{name} entry '{}' at line {} ignored, as StepMania does",
                                String::from_utf8_lossy(entry).trim(),
                                tag.line
                            ),
                        );
                    }
                }
            }
            out
        };
        let rows = |list: Vec<(f64, f64)>| {
            timing::tidy(
                list.into_iter()
                    .map(|(b, v)| (timing::beat_to_row(b), v))
                    .collect(),
            )
        };
        if sm_dialect {
            let bpms = pairs("BPMS", &|_, v| v != 0.0);
            let stops = pairs("STOPS", &|_, v| v != 0.0);
            timing::sm_bpms_and_stops(&mut sm, &bpms, &stops);
        } else {
            sm.bpms = rows(pairs("BPMS", &|b, v| b >= 0.0 && v > 0.0));
            sm.stops = rows(pairs("STOPS", &|b, v| b >= 0.0 && v > 0.0));
            // Before 0.70 a warp gave its end beat, not its length.
            let warps = pairs("WARPS", &|b, v| b >= 0.0 && (v > 0.0 || v > b))
                .into_iter()
                .map(|(b, v)| {
                    (
                        b,
                        if version < VERSION_SPLIT_TIMING && v > b {
                            v - b
                        } else {
                            v
                        },
                    )
                })
                .collect();
            sm.warps = rows(warps);
            sm.scrolls = rows(pairs("SCROLLS", &|b, _| b >= 0.0));
            sm.fakes = rows(pairs("FAKES", &|b, v| b >= 0.0 && v > 0.0));
        }
        sm.delays = rows(pairs("DELAYS", &|b, v| b >= 0.0 && v > 0.0));

        let mut signatures = Vec::new();
        if let Some(tag) = find("TIMESIGNATURES") {
            for (entry, parts) in entries(tag.param(1)) {
                let parsed = match parts.as_slice() {
                    [beat, num, den, ..] => parse_number(beat)
                        .zip(parse_int(num))
                        .zip(parse_int(den))
                        .filter(|((b, n), d)| *b >= 0.0 && *n >= 1 && *d >= 1)
                        .map(|((b, n), d)| {
                            let (n, d) = (n.min(1 << 20) as u32, d.min(1 << 20) as u32);
                            (timing::beat_to_row(b), (n, d))
                        }),
                    _ => None,
                };
                match parsed {
                    Some(s) => signatures.push(s),
                    None => {
                        self.report.push(
                            LossKind::TimingDropped,
                            format!(
                                "#TIMESIGNATURES entry '{}' at line {} ignored, as StepMania does",
                                String::from_utf8_lossy(entry).trim(),
                                tag.line
                            ),
                        );
                    }
                }
            }
        }
        let signatures = timing::tidy(signatures);

        let mut extras = Vec::new();
        for (name, key) in TIMING_EXTRAS {
            let applies = match name {
                // Kept raw only when the BPM meters cannot say it (see `meters`).
                "TIMESIGNATURES" => false,
                "TICKCOUNTS" => true,
                _ => !sm_dialect,
            };
            if let Some(tag) = find(name).filter(|_| applies) {
                extras.push((key.to_owned(), tag.raw_value()));
            }
        }
        ChartTiming {
            sm,
            signatures,
            extras,
        }
    }

    fn chart(
        &mut self,
        song: &Song,
        song_timing: &ChartTiming,
        source: Source,
        first: bool,
    ) -> Result<Chart> {
        let line = source.line;
        let columns = match steps_type_columns(&source.steps_type) {
            Some(c) => c,
            None => note_row_width(source.notes),
        };
        if columns == 0 || columns > MAX_KEYS {
            return Err(if columns == 0 {
                self.error(
                    line,
                    format!(
                        "unknown steps type '{}' and no note rows to count columns from",
                        source.steps_type
                    ),
                )
            } else {
                Error::InvalidKeyCount(columns.into())
            });
        }

        let own = source.own_timing.then(|| {
            let offset = song_timing.sm.offset;
            self.timing(&source.timing, offset, source.version)
        });
        // A chart whose own timing came out empty plays with the song's (Steps::GetTimingData).
        let mut timing = match own {
            Some(own) if !own.is_empty() => own,
            _ => song_timing.clone(),
        };
        timing.sm.tidy_up();
        let engine = Engine::build(&timing.sm);

        // The romanised name is the transliteration when there is one; the original-script name
        // is #TITLE/#ARTIST, or the transliteration when only that is given (so that what a
        // writer makes of the model reads back the same).
        let either = |main: &String, translit: &String| {
            if translit.is_empty() { main } else { translit }.clone()
        };
        let m = Metadata {
            title: either(&song.title, &song.title_translit),
            title_unicode: either(&song.title_translit, &song.title),
            subtitle: song.subtitle.clone(),
            artist: either(&song.artist, &song.artist_translit),
            artist_unicode: either(&song.artist_translit, &song.artist),
            creator: source
                .credit
                .clone()
                .filter(|c| !c.is_empty())
                .unwrap_or_else(|| song.credit.clone()),
            difficulty_name: source.difficulty.clone(),
            difficulty_level: source.meter,
            genre: song.genre.clone(),
            description: source.description.clone(),
            audio_file: source
                .music
                .clone()
                .filter(|m| !m.is_empty())
                .unwrap_or_else(|| song.music.clone()),
            background_file: song.background.clone(),
            // A chart without a steps type gets the one a writer would give it, so that
            // reading back what we write is the same chart.
            style: match source.steps_type.as_str() {
                "" => default_steps_type(columns).unwrap_or_default().to_owned(),
                named => named.to_owned(),
            },
            preview_time_us: song.preview_time_us,
            ..Metadata::default()
        };
        let mut chart = Chart::new(columns);
        chart.keysounds = song.keysounds.clone();
        chart.extras = song.extras.clone();
        if m.creator != song.credit {
            chart
                .extras
                .push((KEY_SONG_CREDIT.into(), song.credit.clone()));
        }
        if m.audio_file != song.music {
            chart
                .extras
                .push((KEY_SONG_MUSIC.into(), song.music.clone()));
        }
        chart.metadata = m;

        self.model_timing(&mut chart, &timing, &engine);
        chart.extras.extend(timing.extras.iter().cloned());
        chart.extras.extend(source.extras.iter().cloned());
        let routine = is_routine(&source.steps_type);
        self.notes(&mut chart, &source, routine, &timing.sm, &engine)?;
        if first && source.own_timing && !same_as_song(song_timing, &timing) {
            self.report.push(
                LossKind::TimingDropped,
                format!(
                    "chart at line {line} has its own timing and the song-level timing differs \
                     from it; written back, the first chart's timing becomes the song timing"
                ),
            );
        }
        Ok(chart)
    }

    /// The model's timing list: BPMs (with meters), scrolls, delays, stops and warps at the
    /// moment StepMania applies them, in its order for one row.
    fn model_timing(&mut self, chart: &mut Chart, timing: &ChartTiming, engine: &Engine) {
        let t = &timing.sm;
        let meters = meters(&t.bpms, &timing.signatures);
        if !meters.exact {
            let raw = timing
                .signatures
                .iter()
                .map(|&(row, (n, d))| format!("{}={n}={d}", super::beat_text(row)))
                .collect::<Vec<_>>()
                .join(",");
            chart.extras.push(("sm.TIMESIGNATURES".into(), raw));
        }
        // (row, order, rank within the order, point)
        let mut events: Vec<(i64, Order, u8, crate::model::TimingKind)> = Vec::new();
        use crate::model::TimingKind as K;
        for (&(row, bpm), &meter) in t.bpms.iter().zip(&meters.values) {
            events.push((row, Order::Bpm, 0, K::Bpm { bpm, meter }));
        }
        for &(row, multiplier) in &t.scrolls {
            events.push((row, Order::Bpm, 1, K::Scroll { multiplier }));
        }
        let duration = |s: f64| to_us(s).unwrap_or(MAX_ABS_TIME_US);
        for &(row, s) in &t.delays {
            events.push((
                row,
                Order::Delay,
                0,
                K::Delay {
                    duration_us: duration(s),
                },
            ));
        }
        for &(row, s) in &t.stops {
            events.push((
                row,
                Order::Stop,
                0,
                K::Stop {
                    duration_us: duration(s),
                },
            ));
        }
        for &(row, beats) in &t.warps {
            events.push((row, Order::Warp, 0, K::Warp { beats }));
        }
        events.sort_by_key(|e| (e.0, e.1, e.2));
        let mut rows = Vec::new();
        for (row, order, _, kind) in events {
            let seconds = engine.time_at(row, order);
            // From a warp's start to its end every row has one time: keep the row of an event
            // there (a warp's own start is told by its time).
            let before = t
                .warps
                .partition_point(|w| w.0 < row + i64::from(order != Order::Warp));
            let in_warp = before > 0 && {
                let (start, beats) = t.warps[before - 1];
                row <= start + timing::beat_to_row(beats)
            };
            if in_warp {
                rows.push(format!("{}={row}", kind.name()));
            }
            match to_us(seconds) {
                Some(time_us) => chart.timing.push(TimingPoint::new(time_us, kind)),
                None => {
                    self.report.push(
                        LossKind::TimingDropped,
                        format!(
                            "{} at beat {} dropped: its time is out of range",
                            kind.name(),
                            super::beat_text(row)
                        ),
                    );
                }
            }
        }
        if !rows.is_empty() {
            chart.extras.push((KEY_TIMING_ROWS.into(), rows.join(",")));
        }
    }

    fn notes(
        &mut self,
        chart: &mut Chart,
        source: &Source,
        routine: bool,
        timing: &SmTiming,
        engine: &Engine,
    ) -> Result<()> {
        let columns = usize::from(chart.key_count);
        let line = source.notes_line;
        let mut grid = Grid::new(columns);
        let parts: Vec<&[u8]> = if routine {
            source.notes.split(|&c| c == b'&').collect()
        } else {
            vec![source.notes]
        };
        if parts.len() > 1 {
            self.report.push(
                LossKind::MetadataDropped,
                format!(
                    "routine chart at line {line}: the {} players' notes are merged into one \
                     chart (the model has no players)",
                    parts.len()
                ),
            );
        }
        for part in parts {
            grid.read(part).map_err(|measure| {
                self.error(
                    line,
                    format!("note data too long: measure {measure} is beyond StepMania's last row"),
                )
            })?;
        }

        let keysounds = chart.keysounds.len();
        let mut unjudged = Vec::new();
        let mut bad_keysounds = 0;
        for p in &grid.pending {
            if p.dead {
                continue;
            }
            let time_us = to_us(engine.time_at(p.row, Order::Note)).ok_or_else(|| {
                self.error(
                    line,
                    format!(
                        "note at beat {} has a time out of range",
                        super::beat_text(p.row)
                    ),
                )
            })?;
            let keysound = match p.keysound {
                Some(k) if k >= 0 && (k as usize) < keysounds => Some(k as u32),
                Some(_) => {
                    bad_keysounds += 1;
                    None
                }
                None => None,
            };
            let mut note = Note {
                time_us,
                column: p.column,
                keysound,
                ..Note::default()
            };
            if timing.is_unjudged(p.row) {
                note.kind = NoteKind::Fake;
                let ks = p.keysound.map(|k| k.to_string()).unwrap_or_default();
                let tail = p.tail.map(|t| t.to_string()).unwrap_or_default();
                unjudged.push(format!(
                    "{}={}={}={ks}={tail}",
                    p.row, p.column, p.ch as char
                ));
            } else {
                note.kind = match p.ch {
                    b'1' => NoteKind::Tap,
                    b'2' => NoteKind::Hold,
                    b'4' => NoteKind::Roll,
                    b'M' => NoteKind::Mine,
                    b'L' => NoteKind::Lift,
                    _ => NoteKind::Fake,
                };
                if let Some(tail) = p.tail {
                    let end = to_us(engine.time_at(tail, Order::Note)).ok_or_else(|| {
                        self.error(
                            line,
                            format!(
                                "hold end at beat {} is out of range",
                                super::beat_text(tail)
                            ),
                        )
                    })?;
                    if end > time_us {
                        note.duration_us = end - time_us;
                    } else {
                        note.kind = NoteKind::Tap;
                        self.report
                            .push(
                                LossKind::NoteChanged,
                                "hold takes no time (it ends in a warp or at its own time): read as a tap",
                            )
                            .at(chart.notes.len(), time_us);
                    }
                }
            }
            chart.notes.push(note);
        }
        // Notes came row by row; a stable sort puts routine parts together.
        chart.notes.sort_by_key(|n| (n.time_us, n.column));

        let counts = [
            (
                grid.orphan_heads,
                LossKind::NoteDropped,
                "hold/roll head(s) without a tail dropped, as StepMania drops them",
            ),
            (
                grid.orphan_tails,
                LossKind::NoteDropped,
                "hold tail(s) without a head ignored, as StepMania ignores them",
            ),
            (
                grid.extra_cells,
                LossKind::NoteDropped,
                "character(s) beyond the chart's columns ignored, as StepMania ignores them",
            ),
            (
                grid.unknown,
                LossKind::NoteDropped,
                "unknown note character(s) read as empty, as StepMania reads them",
            ),
            (
                bad_keysounds,
                LossKind::SoundDropped,
                "keysound index(es) not in #KEYSOUNDS dropped",
            ),
        ];
        for (count, kind, what) in counts {
            if count > 0 {
                self.report.push(
                    kind,
                    format!("chart at line {}: {count} {what}", source.line),
                );
            }
        }
        if !grid.auto_keysounds.is_empty() {
            chart
                .extras
                .push((KEY_AUTO_KEYSOUNDS.into(), grid.auto_keysounds.join(",")));
        }
        if !unjudged.is_empty() {
            chart.extras.push((KEY_UNJUDGED.into(), unjudged.join(",")));
        }
        Ok(())
    }
}

/// Whether a chart's (tidied) timing is the song's. When the first chart has its own timing
/// and it is not, the writer (which puts the first chart's timing at song level) replaces it.
fn same_as_song(song_timing: &ChartTiming, chart: &ChartTiming) -> bool {
    let mut song_timing = song_timing.clone();
    song_timing.sm.tidy_up();
    song_timing.sm == chart.sm
        && song_timing.signatures == chart.signatures
        && same_timing_extras(&song_timing.extras, &chart.extras)
}

/// Meters of the BPM points from `#TIMESIGNATURES`, and whether they say all of it (every
/// signature on a BPM row, in quarter notes, the first at row 0).
struct Meters {
    values: Vec<u32>,
    exact: bool,
}

fn meters(bpms: &[(i64, f64)], signatures: &[(i64, (u32, u32))]) -> Meters {
    let meter = |&(_, (num, den)): &(i64, (u32, u32))| {
        if den == 4 {
            num
        } else {
            ((f64::from(num) * 4.0 / f64::from(den)).round() as u32).max(1)
        }
    };
    let values = bpms
        .iter()
        .map(|&(row, _)| {
            let i = signatures.partition_point(|s| s.0 <= row);
            i.checked_sub(1).map_or(4, |i| meter(&signatures[i]))
        })
        .collect();
    let mut previous = (4, 4);
    let exact = signatures.first().map_or(true, |s| s.0 == 0)
        && signatures.iter().all(|s| {
            let same = s.1 == previous;
            previous = s.1;
            s.1 .1 == 4 && (same || bpms.binary_search_by_key(&s.0, |b| b.0).is_ok())
        });
    Meters { values, exact }
}

/// The cell count of the first note row, for steps types StepMania does not know.
fn note_row_width(notes: &[u8]) -> u8 {
    let line = notes
        .split(|&c| c == b'\n' || c == b',' || c == b'&')
        .map(|l| l.trim_ascii())
        .find(|l| !l.is_empty())
        .unwrap_or_default();
    let mut cells = 0usize;
    let mut i = 0;
    while i < line.len() {
        i += 1;
        if line.get(i) == Some(&b'[') {
            i += line[i..]
                .iter()
                .position(|&c| c == b']')
                .map_or(line.len() - i, |p| p + 1);
        }
        cells += 1;
    }
    cells.min(usize::from(u8::MAX)) as u8
}

/// A note read from the data, before its time is known.
struct Pending {
    row: i64,
    column: u8,
    ch: u8,
    keysound: Option<i64>,
    tail: Option<i64>,
    /// A head StepMania deletes (no tail closed it).
    dead: bool,
}

/// What the last note in a column was, for matching tails (`NoteData::IsHoldNoteAtRow`).
#[derive(Clone, Copy)]
enum Last {
    Nothing,
    OpenHead(usize),
    Other,
}

/// Note data reader (`NoteDataUtil::LoadFromSMNoteDataString`).
struct Grid {
    columns: usize,
    pending: Vec<Pending>,
    last: Vec<Last>,
    auto_keysounds: Vec<String>,
    orphan_heads: usize,
    orphan_tails: usize,
    extra_cells: usize,
    unknown: usize,
}

impl Grid {
    fn new(columns: usize) -> Grid {
        Grid {
            columns,
            pending: Vec::new(),
            last: vec![Last::Nothing; columns],
            auto_keysounds: Vec::new(),
            orphan_heads: 0,
            orphan_tails: 0,
            extra_cells: 0,
            unknown: 0,
        }
    }

    /// Reads one player's note data. Err(measure) when rows go past `MAX_ROW`.
    fn read(&mut self, data: &[u8]) -> std::result::Result<(), usize> {
        let mut lines: Vec<&[u8]> = Vec::new();
        // Empty pieces between commas do not count as measures (StepMania splits ignoring
        // empty pieces, so ",," is one separator).
        for (measure, text) in data
            .split(|&c| c == b',')
            .filter(|m| !m.is_empty())
            .enumerate()
        {
            lines.clear();
            lines.extend(
                text.split(|&c| c == b'\n')
                    .map(|l| l.trim_ascii())
                    .filter(|l| !l.is_empty()),
            );
            let base = (measure as i64)
                .checked_mul(ROWS_PER_MEASURE)
                .filter(|&b| b <= MAX_ROW)
                .ok_or(measure)?;
            let count = lines.len() as i64;
            for (l, line) in lines.iter().enumerate() {
                // row = round(192 * l / count), exactly (StepMania: lround of a float beat).
                let row = base + (2 * ROWS_PER_MEASURE * l as i64 + count) / (2 * count);
                self.row(row, line);
            }
        }
        for last in &mut self.last {
            if let Last::OpenHead(i) = *last {
                self.pending[i].dead = true;
                self.orphan_heads += 1;
                *last = Last::Nothing;
            }
        }
        Ok(())
    }

    fn row(&mut self, row: i64, line: &[u8]) {
        let mut p = 0;
        let mut column = 0;
        while p < line.len() {
            let ch = line[p];
            p += 1;
            let mut keysound = None;
            if line.get(p) == Some(&b'[') {
                let close = line[p..].iter().position(|&c| c == b']');
                let inner = &line[p + 1..close.map_or(line.len(), |c| p + c)];
                keysound = parse_int(inner);
                p = close.map_or(line.len(), |c| p + c + 1);
            }
            if column >= self.columns {
                if ch != b'0' {
                    self.extra_cells += 1;
                }
                continue;
            }
            self.cell(row, column, ch, keysound);
            column += 1;
        }
    }

    fn cell(&mut self, row: i64, column: usize, ch: u8, keysound: Option<i64>) {
        match ch {
            b'0' => {}
            b'K' => {
                let ks = keysound.map(|k| k.to_string()).unwrap_or_default();
                self.auto_keysounds.push(format!("{row}={column}={ks}"));
            }
            b'3' => match self.last[column] {
                Last::OpenHead(i) => {
                    self.pending[i].tail = Some(row);
                    self.last[column] = Last::Other;
                }
                _ => self.orphan_tails += 1,
            },
            b'1' | b'2' | b'4' | b'M' | b'L' | b'F' => {
                if let Last::OpenHead(i) = self.last[column] {
                    // A note inside an open hold: StepMania's tail search stops at it, so the
                    // hold never closes and is deleted.
                    self.pending[i].dead = true;
                    self.orphan_heads += 1;
                }
                self.last[column] = if matches!(ch, b'2' | b'4') {
                    Last::OpenHead(self.pending.len())
                } else {
                    Last::Other
                };
                self.pending.push(Pending {
                    row,
                    column: column as u8,
                    ch,
                    keysound,
                    tail: None,
                    dead: false,
                });
            }
            _ => self.unknown += 1,
        }
    }
}

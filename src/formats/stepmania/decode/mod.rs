//! `.sm` / `.ssc` → `Chart`s, as ITGmania loads them: `header` reads the tags into a song and
//! its charts, `timing` turns timing tags into the model's timing, `notes` reads note data,
//! `chart` puts a chart together.
//!
//! What the model cannot hold as it is goes to the chart's `SmExtras` so that the chart can be
//! written back unchanged:
//! * `K` notes (keysounds StepMania plays by itself; neither shown nor judged) are not model
//!   notes, only auto-keysound hints.
//! * Notes inside a warp or a `#FAKES` range, which StepMania shows but never judges, are model
//!   notes of kind `Fake` at the time StepMania gives them (a warp's notes all share its start
//!   time); an unjudged-cell hint keeps where they were and what they were.
//! * Timing events whose row their time does not tell (inside a warp, where many rows share
//!   one time, or at a tempo so fast that rows share a µs) have a timing-row hint.

mod chart;
mod header;
mod notes;
mod timing;

use timing::BuiltTiming;

use std::fmt::Display;
use std::rc::Rc;

use super::msd::{self, Msd, NoteData, Tag};
use super::Dialect;
use crate::formats::text::us_from_seconds;
use crate::formats::Content;
use crate::model::{ConversionReport, DecodeLimits, LossKind};
use crate::{Chart, Error, Result};

/// The parameter of a `#NOTES` tag that holds the note data, in `.sm` and `.ssc` files.
const SM_NOTE_DATA: usize = 6;
const SSC_NOTE_DATA: usize = 1;

/// `.ssc` version from which charts may have their own timing (`VERSION_SPLIT_TIMING`).
const VERSION_SPLIT_TIMING: f64 = 0.7;

pub fn decode(
    bytes: &[u8],
    dialect: Dialect,
    limits: &DecodeLimits,
    report: &mut ConversionReport,
    content: Content,
) -> Result<Vec<Chart>> {
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return Err(Error::Encoding {
            encoding: "UTF-8",
            detail: "the file is UTF-16 (it starts with a UTF-16 byte-order mark); StepMania \
                     reads simfiles as UTF-8 only"
                .into(),
        });
    }
    let text = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    // `peek` passes over note data, unless a chart needs it (see `Reader::chart`); then the
    // file is read again whole, in place of the first reading (which a whole reading ends).
    let mut note_data = match (content, dialect) {
        (Content::Everything, _) => NoteData::Read,
        (Content::WithoutNotes, Dialect::Sm) => NoteData::SkipFrom(SM_NOTE_DATA),
        (Content::WithoutNotes, Dialect::Ssc) => NoteData::SkipFrom(SSC_NOTE_DATA),
    };
    let reported = report.entries.len();
    loop {
        let mut reader = Reader {
            dialect,
            report: &mut *report,
            limits: *limits,
            content,
            notes_passed_over: note_data != NoteData::Read,
            built_timings: Vec::new(),
        };
        if let Some(charts) = reader.charts(&msd::parse(text, note_data))? {
            return Ok(charts);
        }
        report.entries.truncate(reported);
        note_data = NoteData::Read;
    }
}

impl Reader<'_> {
    /// Whether charts get their extras: what only writing a chart back needs (song and chart
    /// tags without a model field, the writer's row hints), which `peek` leaves out.
    fn keeps_extras(&self) -> bool {
        self.content == Content::Everything
    }

    /// The charts of a file's tags; `None` when a chart needs notes that were passed over.
    fn charts(&mut self, msd: &Msd<'_>) -> Result<Option<Vec<Chart>>> {
        let (song, sources) = self.read(msd);
        if sources.is_empty() {
            let what = if msd.is_empty() {
                "the file has no tags (empty, or not a StepMania file)"
            } else {
                match self.dialect {
                    Dialect::Sm => "the file has no chart (no #NOTES tag with all six fields)",
                    Dialect::Ssc => "the file has no chart (no #NOTEDATA section ending in #NOTES)",
                }
            };
            return Err(self.error(1, what));
        }
        let song_timing = self.timing(&song.timing, 0.0, song.version);
        let mut charts = Vec::with_capacity(sources.len());
        let mut first_error = None;
        // Charts after the first are checked against what the ones before left.
        let whole = self.limits;
        for (index, source) in sources.into_iter().enumerate() {
            let tag = source.tag;
            self.limits.check_charts(1).map_err(|e| whole.restate(e))?;
            match self.chart(&song, &song_timing, source, index == 0) {
                Ok(Some(chart)) => {
                    self.limits = self.limits.after(&chart);
                    charts.push(chart);
                }
                Ok(None) => return Ok(None),
                Err(e @ Error::LimitExceeded { .. }) => return Err(whole.restate(e)),
                Err(e) => {
                    self.report.push(
                        LossKind::ChartDropped,
                        format!("chart {index} (line {}): {e}", tag.line()),
                    );
                    first_error.get_or_insert(e);
                }
            }
        }
        match first_error {
            Some(e) if charts.is_empty() => Err(e),
            _ => Ok(Some(charts)),
        }
    }
}

struct Reader<'r> {
    dialect: Dialect,
    report: &'r mut ConversionReport,
    /// What is left of the decode limits for the charts still to come.
    limits: DecodeLimits,
    /// `peek` leaves the notes out of the charts, and needs to read only some.
    content: Content,
    /// Whether the note data was passed over (left empty) when the file was read.
    notes_passed_over: bool,
    /// The charts' timings built so far, for the next chart with the same timing tags.
    built_timings: Vec<Rc<BuiltTiming>>,
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
    /// The tag that opens the chart (`.sm`: `#NOTES`; `.ssc`: `#NOTEDATA`), for messages.
    tag: Tag<'a>,
    steps_type: String,
    description: String,
    difficulty: String,
    meter: Option<f64>,
    credit: Option<String>,
    music: Option<String>,
    notes: &'a [u8],
    /// Bytes of the note data in the file, read or passed over (at least `notes.len()`).
    notes_size: usize,
    notes_tag: Tag<'a>,
    /// The chart's own timing tags (`.ssc` split timing), and whether it has any.
    timing: Vec<Tag<'a>>,
    own_timing: bool,
    version: f64,
    /// Radar values and `ssc.chart.` tags, in file order.
    chart_tags: Vec<(String, String)>,
}

impl<'a> Source<'a> {
    fn new(tag: Tag<'a>, version: f64) -> Source<'a> {
        Source {
            tag,
            steps_type: String::new(),
            description: String::new(),
            difficulty: String::new(),
            meter: None,
            credit: None,
            music: None,
            notes: &[],
            notes_size: 0,
            notes_tag: tag,
            timing: Vec::new(),
            own_timing: false,
            version,
            chart_tags: Vec::new(),
        }
    }
}

impl Reader<'_> {
    /// The song-level data and chart sources of a file's tags.
    fn read<'a>(&mut self, msd: &'a Msd<'a>) -> (Song<'a>, Vec<Source<'a>>) {
        match self.dialect {
            Dialect::Sm => self.read_sm(msd),
            Dialect::Ssc => self.read_ssc(msd),
        }
    }

    fn error(&self, line: usize, message: impl Into<String>) -> Error {
        Error::Parse {
            format: self.dialect.name(),
            line,
            message: message.into(),
        }
    }

    /// Text of a field of `tag`; invalid UTF-8 is replaced (and reported), as old simfiles in
    /// legacy encodings are still worth reading.
    fn text(&mut self, bytes: &[u8], what: &dyn Display, tag: Tag) -> String {
        self.utf8(bytes.trim_ascii(), what, tag)
    }

    /// A tag kept as an extra, value as written back (see `Tag::raw_value`); invalid UTF-8 in
    /// its name or value is replaced and reported, as in `text`.
    fn raw_value(&mut self, tag: Tag, name: &str) -> String {
        if !tag.name_is_utf8() {
            self.report.push(
                LossKind::MetadataDropped,
                format!(
                    "tag name #{name} (line {}) is not valid UTF-8: invalid bytes replaced",
                    tag.line()
                ),
            );
        }
        match String::from_utf8(tag.raw_value()) {
            Ok(value) => value,
            Err(e) => self.utf8(e.as_bytes(), &TagName(name), tag),
        }
    }

    fn utf8(&mut self, bytes: &[u8], what: &dyn Display, tag: Tag) -> String {
        match std::str::from_utf8(bytes) {
            Ok(s) => s.to_owned(),
            Err(_) => {
                self.report.push(
                    LossKind::MetadataDropped,
                    format!(
                        "{what} (line {}) is not valid UTF-8: invalid bytes replaced",
                        tag.line()
                    ),
                );
                String::from_utf8_lossy(bytes).into_owned()
            }
        }
    }
}

/// `#NAME`, for messages about a tag (formatted only when one is written).
struct TagName<'n>(&'n str);

impl Display for TagName<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        write!(f, "#{}", self.0)
    }
}

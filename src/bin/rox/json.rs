//! The CLI's JSON (serde). The shapes are documented in README.md ("CLI") and pinned by
//! tests/cli: field names and order are part of the interface.

use serde::ser::{SerializeMap, Serializer};
use serde::Serialize;
use serde_json::Value;

use rox::analysis::patterns::{patterns, PatternKind, Patterns};
use rox::analysis::star::star_rating;
use rox::analysis::{content_hash, statistics, ChartStats};
use rox::model::{Loss, MetaField, Metadata, DEFAULT_PATTERN_WINDOW_US};
use rox::{Chart, ChartSet, ConversionReport, Note, NoteKind, TimingKind, TimingPoint};

use crate::convert::Written;

/// One JSON document and a line break.
pub(crate) fn to_line(value: &impl Serialize) -> String {
    let mut bytes = Vec::new();
    let mut serializer = serde_json::Serializer::with_formatter(&mut bytes, RustFloats);
    value
        .serialize(&mut serializer)
        .expect("the CLI's JSON has string keys only");
    bytes.push(b'\n');
    String::from_utf8(bytes).expect("serde_json writes UTF-8")
}

/// Compact JSON with floats as Rust's `{:?}` writes them (`1e308`, where serde_json's own
/// form is `1e+308`), as the CLI always wrote them. (Non-finite values never get here:
/// serde_json writes them as null.)
struct RustFloats;

impl serde_json::ser::Formatter for RustFloats {
    fn write_f64<W: std::io::Write + ?Sized>(
        &mut self,
        out: &mut W,
        v: f64,
    ) -> std::io::Result<()> {
        write!(out, "{v:?}")
    }
}

/// `{"file_md5":…,"charts":[…],"resources":[…],"losses":[…]}`: the file's MD5 (hex), the
/// chosen charts, the archive's other files and what reading lost.
pub(crate) fn set_value(set: &ChartSet, chosen: &[usize], md5: &str) -> Value {
    #[derive(Serialize)]
    struct SetJson<'a> {
        file_md5: &'a str,
        charts: Vec<ChartJson<'a>>,
        resources: &'a [String],
        losses: Vec<LossJson<'a>>,
    }
    let value = SetJson {
        file_md5: md5,
        charts: chosen.iter().map(|&i| chart_json(&set.charts[i])).collect(),
        resources: &set.resources,
        losses: losses(&set.report),
    };
    serde_json::to_value(value).expect("the CLI's JSON has string keys only")
}

#[derive(Serialize)]
pub(crate) struct OutputJson<'a> {
    path: &'a str,
    charts: &'a [usize],
    losses: Vec<LossJson<'a>>,
}

pub(crate) fn outputs(written: &[Written]) -> Vec<OutputJson<'_>> {
    written
        .iter()
        .map(|w| OutputJson {
            path: &w.path,
            charts: &w.charts,
            losses: losses(&w.report),
        })
        .collect()
}

/// `{"outputs":[{"path":…,"charts":[…],"losses":[…]}]}`.
pub(crate) fn convert_json(written: &[Written]) -> String {
    #[derive(Serialize)]
    struct ConvertJson<'a> {
        outputs: Vec<OutputJson<'a>>,
    }
    to_line(&ConvertJson {
        outputs: outputs(written),
    })
}

#[derive(Serialize)]
pub(crate) struct LossJson<'a> {
    kind: &'static str,
    time_us: Option<i64>,
    index: Option<usize>,
    shift_us: i64,
    message: &'a str,
}

fn losses(report: &ConversionReport) -> Vec<LossJson<'_>> {
    fn loss(l: &Loss) -> LossJson<'_> {
        LossJson {
            kind: l.kind.name(),
            time_us: l.time_us,
            index: l.index,
            shift_us: l.shift_us,
            message: &l.message,
        }
    }
    report.entries.iter().map(loss).collect()
}

#[derive(Serialize)]
struct ChartJson<'a> {
    metadata: MetadataJson<'a>,
    key_count: u8,
    content_hash: String,
    /// Non-finite values (which a valid chart never holds) are written as null by serde_json.
    star_rating: Option<f64>,
    stats: StatsJson,
    patterns: PatternsJson,
    keysounds: &'a [String],
    timing: Vec<TimingJson<'a>>,
    notes: Vec<NoteJson<'a>>,
}

fn chart_json(chart: &Chart) -> ChartJson<'_> {
    ChartJson {
        metadata: MetadataJson(&chart.metadata),
        key_count: chart.key_count,
        content_hash: format!("{:016x}", content_hash(chart)),
        star_rating: star_rating(chart, 1.0).ok(),
        stats: StatsJson(statistics(chart)),
        patterns: PatternsJson(patterns(chart, DEFAULT_PATTERN_WINDOW_US)),
        keysounds: &chart.keysounds,
        timing: chart.timing.iter().map(TimingJson).collect(),
        notes: chart.notes.iter().map(NoteJson).collect(),
    }
}

/// Every text field by its `MetaField` name, then the numbers and `has_scratch`.
struct MetadataJson<'a>(&'a Metadata);

impl Serialize for MetadataJson<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let m = self.0;
        let mut map = s.serialize_map(None)?;
        for field in MetaField::ALL {
            map.serialize_entry(field.name(), field.get(m))?;
        }
        map.serialize_entry("preview_time_us", &m.preview_time_us)?;
        map.serialize_entry("chart_id", &m.chart_id)?;
        map.serialize_entry("set_id", &m.set_id)?;
        map.serialize_entry("difficulty_level", &m.difficulty_level)?;
        map.serialize_entry("hp_drain", &m.hp_drain)?;
        map.serialize_entry("overall_difficulty", &m.overall_difficulty)?;
        map.serialize_entry("has_scratch", &m.has_scratch)?;
        map.end()
    }
}

/// The statistics (docs/analysis.md); the shape is in README.md.
struct StatsJson(ChartStats);

impl Serialize for StatsJson {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let st = &self.0;
        let kind_counts: serde_json::Map<String, Value> = NoteKind::ALL
            .into_iter()
            .map(|kind| (kind.name().into(), st.kind_counts[kind as usize].into()))
            .collect();
        let mut map = s.serialize_map(None)?;
        map.serialize_entry("kind_counts", &kind_counts)?;
        map.serialize_entry("column_counts", &st.column_counts)?;
        map.serialize_entry("chord_sizes", &st.chord_sizes)?;
        map.serialize_entry("first_note_us", &st.first_note_us)?;
        map.serialize_entry("last_note_end_us", &st.last_note_end_us)?;
        map.serialize_entry("length_us", &st.length_us)?;
        map.serialize_entry("break_us", &st.break_us)?;
        map.serialize_entry("drain_us", &st.drain_us)?;
        map.serialize_entry("longest_hold_us", &st.longest_hold_us)?;
        map.serialize_entry("max_simultaneous_holds", &st.max_simultaneous_holds)?;
        let bpm = serde_json::json!({
            "min": st.bpm.min, "max": st.bpm.max, "dominant": st.bpm.dominant
        });
        map.serialize_entry("bpm", &bpm)?;
        map.serialize_entry("average_nps", &st.average_nps)?;
        map.serialize_entry("max_nps", &st.max_nps)?;
        map.end()
    }
}

/// `{"shares":{"stream":…,…},"sections":[{"kind","start_us","end_us","notes"}]}`.
struct PatternsJson(Patterns);

impl Serialize for PatternsJson {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let p = &self.0;
        let shares: serde_json::Map<String, Value> = PatternKind::ALL
            .into_iter()
            .map(|kind| (kind.name().into(), p.shares[kind as usize].into()))
            .collect();
        let sections: Vec<Value> = p
            .sections
            .iter()
            .map(|sec| {
                serde_json::json!({
                    "kind": sec.kind.name(), "start_us": sec.start_us,
                    "end_us": sec.end_us, "notes": sec.notes
                })
            })
            .collect();
        let mut map = s.serialize_map(Some(2))?;
        map.serialize_entry("shares", &shares)?;
        map.serialize_entry("sections", &sections)?;
        map.end()
    }
}

struct TimingJson<'a>(&'a TimingPoint);

impl Serialize for TimingJson<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let t = self.0;
        let mut map = s.serialize_map(None)?;
        map.serialize_entry("time_us", &t.time_us)?;
        map.serialize_entry("kind", t.kind.name())?;
        match t.kind {
            TimingKind::Bpm { bpm, meter } => {
                map.serialize_entry("bpm", &bpm)?;
                map.serialize_entry("meter", &meter)?;
            }
            TimingKind::Scroll { multiplier } => map.serialize_entry("multiplier", &multiplier)?,
            TimingKind::Stop { duration_us } | TimingKind::Delay { duration_us } => {
                map.serialize_entry("duration_us", &duration_us)?
            }
            TimingKind::Warp { beats } => map.serialize_entry("beats", &beats)?,
        }
        map.serialize_entry("sample_set", &t.sample_set)?;
        map.serialize_entry("sample_index", &t.sample_index)?;
        map.serialize_entry("volume", &t.volume)?;
        map.serialize_entry("effects", &t.effects)?;
        map.end()
    }
}

struct NoteJson<'a>(&'a Note);

impl Serialize for NoteJson<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let n = self.0;
        let mut map = s.serialize_map(Some(10))?;
        map.serialize_entry("time_us", &n.time_us)?;
        map.serialize_entry("duration_us", &n.duration_us)?;
        map.serialize_entry("column", &n.column)?;
        map.serialize_entry("kind", n.kind.name())?;
        map.serialize_entry("hitsound", &n.sound.flags)?;
        map.serialize_entry("normal_set", &n.sound.normal_set)?;
        map.serialize_entry("addition_set", &n.sound.addition_set)?;
        map.serialize_entry("volume", &n.sound.volume)?;
        map.serialize_entry("custom_index", &n.sound.custom_index)?;
        map.serialize_entry("keysound", &n.keysound)?;
        map.end()
    }
}

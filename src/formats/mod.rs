//! Codecs, one folder per format, and the dispatch that picks one: content detection, chart
//! sets (multi-chart files and archives), and encoding with a report of what was lost.

mod archive;
pub mod osu;
pub mod quaver;
pub mod rox;
pub mod stepmania;
mod text;

pub use archive::{MAX_ARCHIVE_ENTRIES, MAX_ARCHIVE_TOTAL_SIZE, MAX_CHART_ENTRY_SIZE};

use crate::model::{ChartSet, ConversionReport, LossKind};
use crate::{Chart, Error, Result};
use stepmania::Dialect;

/// A chart file format. The numbers are part of the C ABI (`RoxFormat`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[repr(i32)]
pub enum Format {
    /// Detect from the bytes (decode only).
    Auto = 0,
    Rox = 1,
    Osu = 2,
    Sm = 3,
    Ssc = 4,
    Qua = 5,
}

impl Format {
    pub const ALL: [Format; 6] = [
        Format::Auto,
        Format::Rox,
        Format::Osu,
        Format::Sm,
        Format::Ssc,
        Format::Qua,
    ];

    pub fn from_i32(v: i32) -> Option<Format> {
        Self::ALL.into_iter().find(|f| *f as i32 == v)
    }

    /// The format a file name's extension names (case-insensitive), if any. Archives (`.osz`,
    /// `.qp`) name none: they are recognised by content, and cannot be written.
    pub fn from_extension(path: &str) -> Option<Format> {
        let ext = std::path::Path::new(path)
            .extension()?
            .to_str()?
            .to_ascii_lowercase();
        Self::from_name(&ext).filter(|f| *f != Format::Auto)
    }

    /// Parses a format name as used by the CLI (`osu`, `rox`, `sm`, `ssc`, `qua`, `auto`).
    pub fn from_name(name: &str) -> Option<Format> {
        Self::ALL
            .into_iter()
            .find(|f| f.name().eq_ignore_ascii_case(name))
    }

    pub fn name(self) -> &'static str {
        match self {
            Format::Auto => "auto",
            Format::Rox => "rox",
            Format::Osu => "osu",
            Format::Sm => "sm",
            Format::Ssc => "ssc",
            Format::Qua => "qua",
        }
    }

    /// Whether one file of this format holds several charts (StepMania files do); the others
    /// hold exactly one.
    pub fn holds_many_charts(self) -> bool {
        matches!(self, Format::Sm | Format::Ssc)
    }

    /// Whether this build reads the format. `Auto` counts as readable.
    pub fn can_decode(self) -> bool {
        // A codec this build lacks answers `UnsupportedFormat` to everything, so asking it
        // about empty input tells, without a list to keep in step with the codecs.
        self == Format::Auto || !matches!(decode_file(&[], self), Err(Error::UnsupportedFormat(_)))
    }

    /// Whether this build writes the format. `Auto` is never writable.
    pub fn can_encode(self) -> bool {
        self != Format::Auto
            && !matches!(
                encode_unchecked(&[Chart::new(4)], self, &mut ConversionReport::default()),
                Err(Error::UnsupportedFormat(_))
            )
    }

    /// Identifies the format from the content; `None` when nothing matches. For an `.osz` or
    /// `.qp` archive, the format of its first chart file.
    ///
    /// Binary signatures come first; then the text formats, each recognised by what only it
    /// has: osu!'s header (or a bracketed osu! section first), StepMania tags (`.ssc` has its
    /// own `#VERSION` and is checked before `.sm`, whose tags it shares), and Quaver's YAML
    /// last, as the loosest.
    pub fn detect(bytes: &[u8]) -> Option<Format> {
        if rox::is_rox(bytes) {
            Some(Format::Rox)
        } else if archive::is_archive(bytes) {
            archive::detect(bytes)
        } else {
            detect_text(bytes)
        }
    }
}

fn detect_text(bytes: &[u8]) -> Option<Format> {
    if osu::is_osu(bytes) {
        Some(Format::Osu)
    } else if stepmania::is_ssc(bytes) {
        Some(Format::Ssc)
    } else if stepmania::is_sm(bytes) {
        Some(Format::Sm)
    } else if quaver::is_qua(bytes) {
        Some(Format::Qua)
    } else {
        None
    }
}

/// Decodes every chart of a file: a StepMania file's charts, the chart files of an `.osz` or
/// `.qp` archive (recognised by content whatever `format` says; a `format` other than `Auto`
/// then reads only the entries of that format), or the one chart of any other file. With
/// `Format::Auto` the format is detected from the bytes. The set is never empty: a file
/// without any chart is `Error::NoChart`.
pub fn decode_set(bytes: &[u8], format: Format) -> Result<ChartSet> {
    let set = if archive::is_archive(bytes) {
        archive::decode(bytes, format)?
    } else {
        let format = match format {
            Format::Auto => Format::detect(bytes).ok_or_else(|| {
                Error::UnknownFormat("the data is not a chart in any supported format".into())
            })?,
            f => f,
        };
        decode_file(bytes, format)?
    };
    if set.charts.is_empty() {
        return Err(Error::NoChart("the file holds no chart".into()));
    }
    Ok(set)
}

/// Decodes the first chart of a file (see [`decode_set`]); the other charts of a multi-chart
/// file are ignored. With `Format::Auto` the format is detected from the bytes.
pub fn decode(bytes: &[u8], format: Format) -> Result<Chart> {
    let set = decode_set(bytes, format)?;
    Ok(set
        .charts
        .into_iter()
        .next()
        .expect("decode_set never returns an empty set"))
}

/// One file (not an archive) in a known format.
fn decode_file(bytes: &[u8], format: Format) -> Result<ChartSet> {
    let mut report = ConversionReport::default();
    let charts = match format {
        Format::Rox => vec![rox::decode(bytes)?],
        Format::Osu => vec![osu::decode(bytes)?],
        Format::Sm => stepmania::decode(bytes, Dialect::Sm, &mut report)?,
        Format::Ssc => stepmania::decode(bytes, Dialect::Ssc, &mut report)?,
        Format::Qua => vec![quaver::decode(bytes, &mut report)?],
        // Unreachable: every caller resolves `Auto` first. An error, not a panic, all the same.
        Format::Auto => {
            return Err(Error::UnknownFormat(
                "the data is not a chart in any supported format".into(),
            ))
        }
    };
    Ok(ChartSet {
        charts,
        resources: Vec::new(),
        report,
    })
}

/// Encodes a chart. A chart with a fatal validation problem is refused, not written. What the
/// format cannot hold is left out silently: [`encode_with_report`] says what.
pub fn encode(chart: &Chart, format: Format) -> Result<Vec<u8>> {
    encode_with_report(chart, format).map(|(bytes, _)| bytes)
}

/// Encodes a chart and reports everything the target format could not hold or had to change,
/// each with its position in the chart. An empty report means nothing was lost.
pub fn encode_with_report(chart: &Chart, format: Format) -> Result<(Vec<u8>, ConversionReport)> {
    encode_set_with_report(std::slice::from_ref(chart), format)
}

/// Encodes several charts into one file, for the formats that hold several
/// ([`Format::holds_many_charts`]); for the others `charts` must hold exactly one chart.
pub fn encode_set_with_report(
    charts: &[Chart],
    format: Format,
) -> Result<(Vec<u8>, ConversionReport)> {
    if charts.len() != 1 && !format.holds_many_charts() {
        return Err(Error::InvalidArgument(format!(
            "a .{} file holds exactly one chart, not {}; encode the charts one by one",
            format.name(),
            charts.len()
        )));
    }
    for chart in charts {
        let issues: Vec<_> = chart
            .validate()
            .into_iter()
            .filter(|i| i.kind.is_fatal())
            .collect();
        if !issues.is_empty() {
            return Err(Error::Invalid(issues));
        }
    }
    let mut report = ConversionReport::default();
    let bytes = encode_unchecked(charts, format, &mut report)?;
    Ok((bytes, report))
}

/// Converts a whole file: decodes it as [`decode_set`] does, then [`convert_set`].
pub fn convert(bytes: &[u8], from: Format, to: Format) -> Result<(Vec<u8>, ConversionReport)> {
    convert_set(&decode_set(bytes, from)?, to)
}

/// Writes as much of a set as one file of `to` holds: every chart when it holds several, else
/// the first (the others are reported as `LossKind::ChartDropped`). The report lists what
/// reading lost (`set.report`), then what writing lost.
pub fn convert_set(set: &ChartSet, to: Format) -> Result<(Vec<u8>, ConversionReport)> {
    let mut report = set.report.clone();
    let charts = if to.holds_many_charts() {
        &set.charts[..]
    } else {
        for (i, chart) in set.charts.iter().enumerate().skip(1) {
            report.push(
                LossKind::ChartDropped,
                format!(
                    "chart {i} ({:?}) not converted: a .{} file holds one chart",
                    chart.metadata.difficulty_name,
                    to.name()
                ),
            );
        }
        &set.charts[..set.charts.len().min(1)]
    };
    let (out, written) = encode_set_with_report(charts, to)?;
    report.append(written);
    Ok((out, report))
}

/// Encodes charts already checked: one chart unless the format holds several.
fn encode_unchecked(
    charts: &[Chart],
    format: Format,
    report: &mut ConversionReport,
) -> Result<Vec<u8>> {
    match (format, charts) {
        (Format::Sm, _) => stepmania::encode(charts, Dialect::Sm, report),
        (Format::Ssc, _) => stepmania::encode(charts, Dialect::Ssc, report),
        // .rox holds everything the model does: nothing to report.
        (Format::Rox, [chart]) => rox::encode(chart),
        (Format::Osu, [chart]) => osu::encode(chart, report),
        (Format::Qua, [chart]) => quaver::encode(chart, report),
        (Format::Auto, _) => Err(Error::InvalidArgument(
            "choose a format to encode to; \"auto\" only applies to decoding".into(),
        )),
        (Format::Rox | Format::Osu | Format::Qua, _) => Err(Error::InvalidArgument(format!(
            "a .{} file holds exactly one chart",
            format.name()
        ))),
    }
}

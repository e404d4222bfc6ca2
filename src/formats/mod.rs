//! Codecs, one folder per format, and the dispatch that picks one: content detection, chart
//! sets (multi-chart files and archives), and encoding with a report of what was lost.

mod archive;
pub mod bms;
pub mod bmson;
pub mod fnf;
pub mod json;
pub mod osu;
pub mod quaver;
pub mod rox;
mod scroll;
pub mod stepmania;
mod text;

pub use archive::{
    encode_archive, MAX_ARCHIVE_ENTRIES, MAX_ARCHIVE_TOTAL_SIZE, MAX_CHART_ENTRY_SIZE,
};

pub use crate::model::Format;
use crate::model::{ChartSet, ConversionReport, DecodeLimits, DecodeOptions, LossKind};
use crate::{Chart, Error, Result};
use stepmania::Dialect;

impl Format {
    /// Whether this build reads the format. `Auto` counts as readable.
    pub fn can_decode(self) -> bool {
        // A codec this build lacks answers `UnsupportedFormat` to everything, so asking it
        // about empty input tells, without a list to keep in step with the codecs.
        self == Format::Auto
            || !matches!(
                decode_file(&[], self, &DecodeOptions::default(), Content::Everything),
                Err(Error::UnsupportedFormat(_))
            )
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
    pub fn detect(bytes: &[u8]) -> Option<Format> {
        match identify(bytes, Format::Auto) {
            Ok(Input::File(format)) => Some(format),
            Ok(Input::Archive) => archive::detect(bytes),
            Err(_) => None,
        }
    }
}

/// What a byte string holds. Decided once per decode, by [`identify`].
enum Input {
    /// An `.osz` or `.qp` archive, whose entries name their own formats.
    Archive,
    /// One chart file in this format (never `Auto`).
    File(Format),
}

/// Archives are recognised by content whatever `format` says; other bytes are taken to be
/// `format`, or detected when it is `Auto`.
///
/// Binary signatures come first; then the text formats, each recognised by what only it
/// has: osu!'s header (or a bracketed osu! section first), StepMania tags (`.ssc` has its
/// own `#VERSION` and is checked before `.sm`, whose tags it shares), BMS (an object line
/// `#00111:` or a BMS header such as `#PLAYER 1`, which no StepMania tag looks like), `.rox.json`
/// (a JSON object whose first member names it), bmson (a JSON object with `sound_channels`),
/// FNF (a JSON object with a top-level member only FNF files have), and Quaver's YAML last, as
/// the loosest (JSON is YAML too).
fn identify(bytes: &[u8], format: Format) -> Result<Input> {
    if archive::is_archive(bytes) {
        return Ok(Input::Archive);
    }
    let detected = match format {
        Format::Auto if rox::is_rox(bytes) => Format::Rox,
        Format::Auto if osu::is_osu(bytes) => Format::Osu,
        Format::Auto if stepmania::is_ssc(bytes) => Format::Ssc,
        Format::Auto if stepmania::is_sm(bytes) => Format::Sm,
        Format::Auto if bms::is_bms(bytes) => Format::Bms,
        Format::Auto if json::is_rox_json(bytes) => Format::RoxJson,
        Format::Auto if bmson::is_bmson(bytes) => Format::Bmson,
        Format::Auto if fnf::is_fnf(bytes) => Format::Fnf,
        Format::Auto if quaver::is_qua(bytes) => Format::Qua,
        Format::Auto => {
            return Err(Error::UnknownFormat(
                "the data is not a chart in any supported format".into(),
            ))
        }
        known => known,
    };
    Ok(Input::File(detected))
}

/// Decodes every chart of a file: a StepMania file's charts, the chart files of an `.osz` or
/// `.qp` archive (recognised by content whatever `format` says; a `format` other than `Auto`
/// then reads only the entries of that format), or the one chart of any other file. With
/// `Format::Auto` the format is detected from the bytes. The set is never empty: a file
/// without any chart is `Error::NoChart`. Within the default [`DecodeLimits`].
pub fn decode_set(bytes: &[u8], format: Format) -> Result<ChartSet> {
    decode_set_limited(bytes, format, &DecodeLimits::default())
}

/// [`decode_set`] within `limits`, which cover all the charts of the set together.
pub fn decode_set_limited(bytes: &[u8], format: Format, limits: &DecodeLimits) -> Result<ChartSet> {
    decode_set_with_options(bytes, format, &DecodeOptions::with_limits(*limits))
}

/// [`decode_set`] with `options`: its limits (covering all the charts of the set together)
/// and the choices of the formats that leave some open (an FNF chart's sides, the columns of
/// an osu!taiko map).
pub fn decode_set_with_options(
    bytes: &[u8],
    format: Format,
    options: &DecodeOptions,
) -> Result<ChartSet> {
    read_set(bytes, format, options, Content::Everything)
}

/// What song select needs, fast: every chart of a file as [`decode_set`] reads it (metadata,
/// key count, timing, keysound files; the charts of an archive or a StepMania file), but
/// without its notes, which are passed over unread (`.rox`, which decodes at memory speed, is
/// decoded whole and its notes dropped), and without its `extras`, which serve only to write
/// a chart back to its format and so are of no use without the notes. The charts' `notes`
/// and `extras` are empty: decode the file to play or convert it. Within the default
/// [`DecodeLimits`].
pub fn peek(bytes: &[u8], format: Format) -> Result<ChartSet> {
    peek_limited(bytes, format, &DecodeLimits::default())
}

/// [`peek`] within `limits`.
pub fn peek_limited(bytes: &[u8], format: Format, limits: &DecodeLimits) -> Result<ChartSet> {
    peek_with_options(bytes, format, &DecodeOptions::with_limits(*limits))
}

/// [`peek`] with `options` (as [`decode_set_with_options`]).
pub fn peek_with_options(
    bytes: &[u8],
    format: Format,
    options: &DecodeOptions,
) -> Result<ChartSet> {
    read_set(bytes, format, options, Content::WithoutNotes)
}

/// What a decode builds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Content {
    Everything,
    /// Everything but the notes and the extras ([`peek`]).
    WithoutNotes,
}

fn read_set(
    bytes: &[u8],
    format: Format,
    options: &DecodeOptions,
    content: Content,
) -> Result<ChartSet> {
    let mut set = match identify(bytes, format)? {
        Input::Archive => archive::decode(bytes, format, options, content),
        Input::File(format) => decode_file(bytes, format, options, content),
    }?;
    // The text decoders pass over notes they need not read; `.rox` (at memory speed) and
    // StepMania charts whose steps type gives no column count read them all the same. The
    // StepMania decoder, the slowest to peek, does not build extras either.
    if content == Content::WithoutNotes {
        for chart in &mut set.charts {
            chart.notes = Vec::new();
            chart.extras = Vec::new();
        }
    }
    Ok(set)
}

/// Decodes the first chart of a file (see [`decode_set`]); the other charts of a multi-chart
/// file are ignored. With `Format::Auto` the format is detected from the bytes. A one-chart
/// file is decoded straight to its chart, never through a set. Within the default
/// [`DecodeLimits`].
pub fn decode(bytes: &[u8], format: Format) -> Result<Chart> {
    decode_limited(bytes, format, &DecodeLimits::default())
}

/// [`decode`] within `limits`.
pub fn decode_limited(bytes: &[u8], format: Format, limits: &DecodeLimits) -> Result<Chart> {
    let options = DecodeOptions::with_limits(*limits);
    match identify(bytes, format)? {
        Input::Archive => {
            let set = archive::decode(bytes, format, &options, Content::Everything)?;
            set.charts.into_iter().next().ok_or_else(no_chart)
        }
        Input::File(format) => decode_chart(
            bytes,
            format,
            &options,
            &mut ConversionReport::default(),
            Content::Everything,
        ),
    }
}

fn no_chart() -> Error {
    Error::NoChart("the file holds no chart".into())
}

/// One file (not an archive) in a known format: every chart it holds, never none.
fn decode_file(
    bytes: &[u8],
    format: Format,
    options: &DecodeOptions,
    content: Content,
) -> Result<ChartSet> {
    let limits = &options.limits;
    let mut report = ConversionReport::default();
    let charts = match format {
        Format::Sm => stepmania::read(bytes, Dialect::Sm, limits, &mut report, content)?,
        Format::Ssc => stepmania::read(bytes, Dialect::Ssc, limits, &mut report, content)?,
        // A V-Slice chart file holds one chart per difficulty.
        Format::Fnf => fnf::read(bytes, &options.fnf, limits, &mut report)?,
        one => vec![decode_chart(bytes, one, options, &mut report, content)?],
    };
    if charts.is_empty() {
        return Err(no_chart());
    }
    Ok(ChartSet {
        charts,
        resources: Vec::new(),
        report,
    })
}

/// The first (for most formats, the only) chart of one file in a known format.
fn decode_chart(
    bytes: &[u8],
    format: Format,
    options: &DecodeOptions,
    report: &mut ConversionReport,
    content: Content,
) -> Result<Chart> {
    let limits = &options.limits;
    match format {
        Format::Rox => rox::decode_limited(bytes, limits),
        Format::RoxJson => json::decode_limited(bytes, limits),
        Format::Osu => osu::read(bytes, &options.taiko, limits, report, content),
        Format::Qua => quaver::read(bytes, limits, report, content),
        Format::Bms => bms::decode_limited(bytes, limits, report),
        Format::Bmson => bmson::decode_limited(bytes, limits, report),
        Format::Fnf => first(fnf::read(bytes, &options.fnf, limits, report)?),
        Format::Sm => first(stepmania::read(
            bytes,
            Dialect::Sm,
            limits,
            report,
            content,
        )?),
        Format::Ssc => first(stepmania::read(
            bytes,
            Dialect::Ssc,
            limits,
            report,
            content,
        )?),
        // Unreachable: `identify` resolves `Auto`. An error, not a panic, all the same.
        Format::Auto => Err(Error::UnknownFormat(
            "the data is not a chart in any supported format".into(),
        )),
    }
}

fn first(charts: Vec<Chart>) -> Result<Chart> {
    charts.into_iter().next().ok_or_else(no_chart)
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
    // The .rox encoder checks the chart as it writes it (interleaved with its note pass, for
    // speed); every other target is checked here. Either way, once.
    if format != Format::Rox {
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
    }
    let mut report = ConversionReport::default();
    let bytes = encode_unchecked(charts, format, &mut report)?;
    // `.qua` writes the groups back and `.rox`/`.rox.json` keep every extra; the others
    // scroll all alike.
    if format != Format::Qua && !format.is_lossless() {
        for chart in charts {
            quaver::report_dropped_groups(chart, format.name(), &mut report);
        }
    }
    scroll::report_changes(charts, &bytes, format, &mut report);
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

/// Encodes charts already checked (`.rox` checks its own): one chart unless the format holds
/// several.
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
        (Format::RoxJson, [chart]) => Ok(json::encode(chart)),
        (Format::Osu, [chart]) => osu::encode(chart, report),
        (Format::Qua, [chart]) => quaver::encode(chart, report),
        (Format::Fnf, [chart]) => fnf::encode(chart, report),
        (Format::Auto, _) => Err(Error::InvalidArgument(
            "choose a format to encode to; \"auto\" only applies to decoding".into(),
        )),
        (Format::Bms, [chart]) => bms::encode(chart, report),
        // Read only (docs/decisions.md).
        (Format::Bmson, _) => Err(Error::UnsupportedFormat("writing bmson charts")),
        (
            Format::Rox | Format::RoxJson | Format::Osu | Format::Qua | Format::Bms | Format::Fnf,
            _,
        ) => Err(Error::InvalidArgument(format!(
            "a .{} file holds exactly one chart",
            format.name()
        ))),
    }
}

#[cfg(test)]
mod tests {
    use std::io::Write;

    use super::*;

    fn zip(entries: &[(&str, &[u8])]) -> Vec<u8> {
        let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        for (name, data) in entries {
            zip.start_file(*name, options).unwrap();
            zip.write_all(data).unwrap();
        }
        zip.finish().unwrap().into_inner()
    }

    const OSU: &[u8] = include_bytes!("../../tests/fixtures/osu/full.osu");
    const QUA: &[u8] = include_bytes!("../../tests/fixtures/quaver/full.qua");

    #[test]
    fn an_archive_of_several_formats_reads_every_chart_with_auto() {
        let archive = zip(&[("a.osu", OSU), ("cover.png", b"png"), ("b.qua", QUA)]);
        let osu = decode(OSU, Format::Auto).unwrap();
        let qua = decode(QUA, Format::Auto).unwrap();
        let set = decode_set(&archive, Format::Auto).unwrap();
        assert_eq!(set.charts, vec![osu.clone(), qua.clone()]);
        assert_eq!(set.resources, vec!["cover.png".to_string()]);
        // A named format reads only its own entries; the first chart is what `decode` gives.
        assert_eq!(decode_set(&archive, Format::Qua).unwrap().charts, vec![qua]);
        assert_eq!(decode(&archive, Format::Auto).unwrap(), osu);
        assert_eq!(Format::detect(&archive), Some(Format::Osu));
    }

    #[test]
    fn a_named_format_is_trusted_and_auto_is_detected_once() {
        assert_eq!(Format::detect(QUA), Some(Format::Qua));
        // Forced to a format the bytes are not: that codec's error, not a detection.
        assert!(matches!(
            decode(QUA, Format::Osu),
            Err(Error::Parse { .. } | Error::NotMania { .. })
        ));
        assert!(matches!(
            decode(b"not a chart", Format::Auto),
            Err(Error::UnknownFormat(_))
        ));
    }
}

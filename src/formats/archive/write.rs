//! Writing a set as an `.osz` (one `.osu` per chart) or `.qp` (one `.qua` per chart), with the
//! resources (audio, images…) of the archive it was read from copied as they are: their
//! compressed bytes move across unopened, so a song's files come back bit for bit and a
//! hostile resource is never inflated.

use std::io::{Cursor, Write};

use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipWriter};

use super::open;
use crate::formats::{encode_with_report, Format};
use crate::model::{Chart, ChartSet, ConversionReport, LossKind};
use crate::{Error, Result};

/// Writes every chart of `set` as a `chart_format` file (`Osu` makes an `.osz`, `Qua` a
/// `.qp`) into one archive, with the resources `set` lists copied from `source`, the archive
/// `set` was read from. Charts are named as their game names them (osu!: `Artist - Title
/// (Creator) [Difficulty].osu`; Quaver: `MapId.qua`). The report has what each chart lost
/// (messages start with its entry name), and resources that could not be copied
/// (`ResourceDropped`: no `source`, or not in it).
pub fn encode_archive(
    set: &ChartSet,
    chart_format: Format,
    source: Option<&[u8]>,
) -> Result<(Vec<u8>, ConversionReport)> {
    if !matches!(chart_format, Format::Osu | Format::Qua) {
        return Err(Error::InvalidArgument(format!(
            "archives hold .osu (an .osz) or .qua (a .qp) charts, not .{}",
            chart_format.name()
        )));
    }
    let mut report = ConversionReport::default();
    let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
    let options = SimpleFileOptions::default().compression_method(CompressionMethod::Deflated);
    let mut names: Vec<String> = Vec::with_capacity(set.charts.len() + set.resources.len());
    for (i, chart) in set.charts.iter().enumerate() {
        let (bytes, chart_report) = encode_with_report(chart, chart_format)?;
        let name = unique(entry_name(chart, chart_format, i), &names);
        for mut loss in chart_report.entries {
            loss.message = format!("{name}: {}", loss.message);
            report.entries.push(loss);
        }
        zip.start_file(name.as_str(), options).map_err(zip_error)?;
        zip.write_all(&bytes)
            .map_err(|e| Error::Archive(e.to_string()))?;
        names.push(name);
    }
    copy_resources(&mut zip, set, source, &names, &mut report)?;
    let bytes = zip.finish().map_err(zip_error)?.into_inner();
    Ok((bytes, report))
}

/// Copies each resource `set` lists from `source`, compressed bytes as they are.
fn copy_resources(
    zip: &mut ZipWriter<Cursor<Vec<u8>>>,
    set: &ChartSet,
    source: Option<&[u8]>,
    chart_names: &[String],
    report: &mut ConversionReport,
) -> Result<()> {
    let Some(source) = source else {
        if !set.resources.is_empty() {
            report.push(
                LossKind::ResourceDropped,
                format!(
                    "{} resource file(s) not written: the archive they were read from was not given",
                    set.resources.len()
                ),
            );
        }
        return Ok(());
    };
    let mut source = open(source)?;
    for name in &set.resources {
        if chart_names.contains(name) {
            report.push(
                LossKind::ResourceDropped,
                format!("{name} not copied: a chart written has its name"),
            );
            continue;
        }
        match source.index_for_name(name) {
            Some(i) => {
                let entry = source.by_index_raw(i).map_err(zip_error)?;
                zip.raw_copy_file(entry).map_err(zip_error)?;
            }
            None => {
                report.push(
                    LossKind::ResourceDropped,
                    format!("{name} not copied: the source archive has no such entry"),
                );
            }
        }
    }
    Ok(())
}

fn zip_error(e: zip::result::ZipError) -> Error {
    Error::Archive(e.to_string())
}

/// The file name a game gives a chart, without characters file systems refuse.
fn entry_name(chart: &Chart, format: Format, index: usize) -> String {
    let m = &chart.metadata;
    if let (Format::Qua, Some(id)) = (format, m.chart_id) {
        return format!("{id}.qua");
    }
    let label = if [&m.artist, &m.title, &m.creator, &m.difficulty_name]
        .iter()
        .all(|s| s.trim().is_empty())
    {
        format!("chart {}", index + 1)
    } else {
        format!(
            "{} - {} ({}) [{}]",
            m.artist, m.title, m.creator, m.difficulty_name
        )
    };
    let clean: String = label
        .chars()
        .filter(|c| !matches!(c, '/' | '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|'))
        .filter(|c| !c.is_control())
        .collect();
    format!("{}.{}", clean.trim(), format.name())
}

/// `name`, or `name (2)`, `(3)`… before its extension when an earlier entry has it.
fn unique(name: String, taken: &[String]) -> String {
    if !taken.contains(&name) {
        return name;
    }
    let (stem, extension) = name.rsplit_once('.').unwrap_or((&name, ""));
    (2..)
        .map(|n| format!("{stem} ({n}).{extension}"))
        .find(|candidate| !taken.contains(candidate))
        .expect("some number is free")
}

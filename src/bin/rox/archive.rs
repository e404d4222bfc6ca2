//! `rox convert IN OUT.osz` / `OUT.qp`: every chart of IN (or the one `--chart` names) in one
//! archive, with the song's files: an archive's own resources, or for a loose chart file the
//! audio, background and keysound files it names that lie beside it.

use std::io::{Cursor, Write as _};
use std::path::{Component, Path};

use rox::model::LossKind;
use rox::{ChartSet, Format};
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipWriter};

use crate::convert::{write_atomically, Written};
use crate::{display, read, select, ConvertArgs};

/// The chart format an archive name holds: `.osz` osu!, `.qp` Quaver.
pub(crate) fn chart_format_of(path: &Path) -> Option<Format> {
    let ext = path.extension()?.to_str()?.to_ascii_lowercase();
    match ext.as_str() {
        "osz" => Some(Format::Osu),
        "qp" => Some(Format::Qua),
        _ => None,
    }
}

pub(crate) fn convert_to_archive(
    args: &ConvertArgs,
    chart_format: Format,
) -> Result<Written, String> {
    let (input, output) = (&args.source.input, &args.output);
    if args.to.is_some_and(|to| to != chart_format) {
        return Err(format!(
            "{} holds .{} charts; --to names another format",
            display(output),
            chart_format.name()
        ));
    }
    if !args.force && output.exists() {
        return Err(format!("{}: exists (--force replaces it)", display(output)));
    }
    let bytes = read(input)?;
    let mut set = rox::decode_set_with_options(&bytes, args.source.from, &args.source.options())
        .map_err(|e| format!("{}: {e}", display(input)))?;
    let charts: Vec<usize> = match args.source.chart.as_deref() {
        Some(spec) => vec![select(&set, spec)?],
        None => (0..set.charts.len()).collect(),
    };
    if let [one] = charts[..] {
        set.charts = vec![set.charts.swap_remove(one)];
    }
    // An archive's resources are copied from it; a loose file's from its folder.
    let loose;
    let source = if set.resources.is_empty() {
        let folder = input.parent().unwrap_or(Path::new("."));
        loose = files_beside(&mut set, folder).map_err(|e| format!("{}: {e}", display(input)))?;
        loose.as_deref()
    } else {
        Some(&bytes[..])
    };
    let (archive, written) = rox::encode_archive(&set, chart_format, source)
        .map_err(|e| format!("{}: {e}", display(output)))?;
    let mut report = set.report;
    report.append(written);
    write_atomically(output, &archive).map_err(|e| format!("{}: {e}", display(output)))?;
    Ok(Written {
        path: display(output),
        charts,
        report,
    })
}

/// The files the charts name (audio, background, keysounds) that exist in `folder`, as an
/// uncompressed archive `encode_archive` copies from, listed in `set.resources`. Only plain
/// relative names are looked up: a chart naming `../x` or `/x` cannot pull files from
/// elsewhere into the archive.
fn files_beside(set: &mut ChartSet, folder: &Path) -> std::io::Result<Option<Vec<u8>>> {
    let mut names: Vec<&str> = Vec::new();
    let mut missing: Vec<String> = Vec::new();
    for chart in &set.charts {
        let named = [&chart.metadata.audio_file, &chart.metadata.background_file];
        for name in named.into_iter().chain(&chart.keysounds) {
            let name = name.trim();
            if name.is_empty() || names.contains(&name) || missing.iter().any(|m| m == name) {
                continue;
            }
            if is_plain_relative(name) && folder.join(name).is_file() {
                names.push(name);
            } else {
                missing.push(name.to_owned());
            }
        }
    }
    for name in missing {
        let message = format!("{name} not copied: no such file beside the chart");
        set.report.push(LossKind::ResourceDropped, message);
    }
    if names.is_empty() {
        return Ok(None);
    }
    let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
    let stored = SimpleFileOptions::default()
        .compression_method(CompressionMethod::Stored)
        .large_file(true);
    for name in &names {
        zip.start_file(*name, stored)
            .map_err(std::io::Error::other)?;
        zip.write_all(&std::fs::read(folder.join(name))?)?;
    }
    let resources = names.iter().map(|n| n.to_string()).collect();
    let archive = zip.finish().map_err(std::io::Error::other)?.into_inner();
    set.resources = resources;
    Ok(Some(archive))
}

fn is_plain_relative(name: &str) -> bool {
    Path::new(name)
        .components()
        .all(|c| matches!(c, Component::Normal(_)))
}

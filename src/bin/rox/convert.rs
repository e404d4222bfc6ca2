//! `rox convert` of one file: which charts go to which output, and writing them safely.

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::{AtomicU64, Ordering};

use rox::{Chart, ChartSet, ConversionReport, Format};

use crate::{archive, display, json, load, losses, select, ChartArgs, ConvertArgs};

/// One written file: its path, the charts of the set it holds, and what it lost.
pub(crate) struct Written {
    pub(crate) path: String,
    pub(crate) charts: Vec<usize>,
    pub(crate) report: ConversionReport,
}

/// How to convert: the target format and the choices of `rox convert`.
pub(crate) struct Plan<'a> {
    pub(crate) format: Format,
    pub(crate) chart: Option<&'a str>,
    pub(crate) all: bool,
    pub(crate) force: bool,
}

pub(crate) fn convert_file(args: &ConvertArgs) -> Result<ExitCode, String> {
    if args.all && args.source.chart.is_some() {
        return Err("--chart and --all exclude each other".into());
    }
    let output = &args.output;
    if let Some(chart_format) = archive::chart_format_of(output) {
        let written = [archive::convert_to_archive(args, chart_format)?];
        report(&written, args);
        return Ok(ExitCode::SUCCESS);
    }
    let format = match args.to {
        Some(f) => f,
        None => Format::from_extension(&display(output))
            .ok_or_else(|| format!("{}: unknown extension; use --to FORMAT", display(output)))?,
    };
    let plan = Plan {
        format,
        chart: args.source.chart.as_deref(),
        all: args.all,
        force: args.force,
    };
    let written = convert(&args.source.input, output, &args.source, &plan)?;
    report(&written, args);
    Ok(ExitCode::SUCCESS)
}

/// What was written and lost: JSON on stdout with `--json`, else the losses on stderr.
fn report(written: &[Written], args: &ConvertArgs) {
    if args.json {
        print!("{}", json::convert_json(written));
    } else {
        for w in written {
            losses::print(&w.path, &w.report, args.verbose);
        }
    }
}

/// Converts `input` (read as `how` says) to `output` (or, for several charts with `--all`, to
/// `output [label]`), refusing before writing anything when an output exists and `--force` is
/// not given.
pub(crate) fn convert(
    input: &Path,
    output: &Path,
    how: &ChartArgs,
    plan: &Plan,
) -> Result<Vec<Written>, String> {
    let set = load(input, how)?;
    let outputs = outputs(&set, output, plan)?;
    if !plan.force {
        if let Some((path, _)) = outputs.iter().find(|(path, _)| path.exists()) {
            return Err(format!("{}: exists (--force replaces it)", display(path)));
        }
    }
    let fail = |path: &Path, e: rox::Error| format!("{}: {e}", display(path));
    let mut written = Vec::with_capacity(outputs.len());
    for (path, charts) in outputs {
        let (bytes, report) = match &charts {
            // All the target holds, with whatever does not fit reported.
            None => rox::convert_set(&set, plan.format).map_err(|e| fail(&path, e))?,
            Some(charts) => {
                let selected: Vec<Chart> = charts.iter().map(|&i| set.charts[i].clone()).collect();
                let (bytes, encoded) = rox::encode_set_with_report(&selected, plan.format)
                    .map_err(|e| fail(&path, e))?;
                let mut report = set.report.clone();
                report.append(encoded);
                (bytes, report)
            }
        };
        write_atomically(&path, &bytes).map_err(|e| format!("{}: {e}", display(&path)))?;
        let held = if plan.format.holds_many_charts() {
            set.charts.len()
        } else {
            1
        };
        written.push(Written {
            path: display(&path),
            charts: charts.unwrap_or_else(|| (0..held).collect()),
            report,
        });
    }
    Ok(written)
}

/// An output path and the charts it gets (`None`: all the target holds).
type Output = (PathBuf, Option<Vec<usize>>);

fn outputs(set: &ChartSet, output: &Path, plan: &Plan) -> Result<Vec<Output>, String> {
    if let Some(spec) = plan.chart {
        return Ok(vec![(output.to_owned(), Some(vec![select(set, spec)?]))]);
    }
    if plan.all && !plan.format.holds_many_charts() && set.charts.len() > 1 {
        let labels = file_labels(set);
        return Ok(labels
            .into_iter()
            .enumerate()
            .map(|(i, label)| (path_with_label(output, &label), Some(vec![i])))
            .collect());
    }
    Ok(vec![(output.to_owned(), None)])
}

/// Writes to a temporary name in the same folder, then renames: a failed write leaves no
/// half-written file, and readers see the old file or the new one, never a mix.
/// No fsync: this guards against failed writes, not power loss (the input is still there to
/// convert again), and a sync per file made folder mode 2.5 times slower.
pub(crate) fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    // Unique within this process (batch mode writes from several threads) and across
    // processes (the id).
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let name = path.file_name().unwrap_or_default().to_string_lossy();
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let temp = path.with_file_name(format!(".{name}.{}-{n}.tmp", std::process::id()));
    let result = std::fs::File::create(&temp)
        .and_then(|mut file| file.write_all(bytes))
        .and_then(|()| std::fs::rename(&temp, path));
    if result.is_err() {
        let _ = std::fs::remove_file(&temp);
    }
    result
}

/// A name for each chart, for file names: its difficulty name made safe for any file system,
/// or its index when it has none or shares it with another chart.
fn file_labels(set: &ChartSet) -> Vec<String> {
    let safe: Vec<String> = set
        .charts
        .iter()
        .map(|c| {
            c.metadata
                .difficulty_name
                .trim()
                .chars()
                .map(|ch| {
                    if ch.is_control() || r#"/\:*?"<>|"#.contains(ch) {
                        '_'
                    } else {
                        ch
                    }
                })
                .collect()
        })
        .collect();
    safe.iter()
        .enumerate()
        .map(|(i, name)| {
            if name.is_empty() {
                i.to_string()
            } else if safe.iter().filter(|n| *n == name).count() > 1 {
                format!("{i} {name}")
            } else {
                name.clone()
            }
        })
        .collect()
}

/// `dir/song.osu` + `Hard` → `dir/song [Hard].osu` (and `song [Hard].rox.json`).
fn path_with_label(path: &Path, label: &str) -> PathBuf {
    let name = path
        .file_name()
        .map_or_else(String::new, |s| s.to_string_lossy().into_owned());
    let ext_len = if Format::from_extension(&display(path)) == Some(Format::RoxJson) {
        ".rox.json".len()
    } else {
        path.extension()
            .map_or(0, |e| e.to_string_lossy().len() + 1)
    };
    let (stem, ext) = name.split_at(name.len() - ext_len);
    path.with_file_name(format!("{stem} [{label}]{ext}"))
}

//! `rox`: convert, inspect and validate rhythm game charts from the command line.

use std::path::Path;
use std::process::ExitCode;

mod info;
mod json;
mod timeline;

use json::{convert_json, set_json};
use rox::analysis::file_md5;
use rox::timeline::Rules;
use rox::{Chart, ChartSet, ConversionReport, Format};

const USAGE: &str = "\
usage:
  rox convert IN OUT [--from F] [--to F] [--chart N|NAME | --all] [--json]
      convert a chart (formats from the content and OUT's extension); what the target cannot
      hold is listed on stderr, or as JSON on stdout with --json. A file with several charts
      (.sm, .ssc, .osz, .qp): --chart converts one (index from `rox info`, or difficulty
      name), --all every one (one file each, named OUT [difficulty]; .sm/.ssc: one file);
      without either, all that OUT's format holds (one chart, unless .sm/.ssc).
  rox info FILE [--from F] [--chart N|NAME] [--json] [--peek]
      describe every chart of a file; --peek reads all but the notes (fast, as song select)
  rox validate FILE [--from F] [--chart N|NAME]        list every problem; exit 2 if any
  rox timeline FILE [--from F] [--chart N|NAME] [--rules R] [--json]
      every note's beat, snap (1/d) and scroll positions, and the bar lines, by the rules of
      osu, quaver or stepmania (default: the game each chart was made for; docs/timeline.md)
formats: rox, osu, sm, ssc, qua, rox.json (extension .rox.json), fnf (any other .json);
.osz and .qp archives are read by content";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match run(&args) {
        Ok(code) => code,
        Err(message) => {
            eprintln!("rox: {message}");
            ExitCode::from(1)
        }
    }
}

/// Parsed command line: positional arguments plus the options every command shares.
struct Args<'a> {
    positional: Vec<&'a str>,
    from: Format,
    to: Option<Format>,
    chart: Option<&'a str>,
    all: bool,
    json: bool,
    peek: bool,
    rules: Option<Rules>,
}

fn parse_args(args: &[String]) -> Result<Args<'_>, String> {
    let mut parsed = Args {
        positional: Vec::new(),
        from: Format::Auto,
        to: None,
        chart: None,
        all: false,
        json: false,
        peek: false,
        rules: None,
    };
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        let mut value = || {
            it.next()
                .map(String::as_str)
                .ok_or_else(|| format!("{arg} needs a value"))
        };
        match arg.as_str() {
            "--json" => parsed.json = true,
            "--peek" => parsed.peek = true,
            "--all" => parsed.all = true,
            "--chart" => parsed.chart = Some(value()?),
            "--rules" => parsed.rules = Some(timeline::rules_named(value()?)?),
            "--from" | "--to" => {
                let name = value()?;
                let format =
                    Format::from_name(name).ok_or_else(|| format!("unknown format {name:?}"))?;
                if arg == "--from" {
                    parsed.from = format;
                } else {
                    parsed.to = Some(format);
                }
            }
            "-h" | "--help" => return Err(USAGE.to_string()),
            flag if flag.starts_with("--") => {
                return Err(format!("unknown option {flag}\n{USAGE}"))
            }
            value => parsed.positional.push(value),
        }
    }
    if parsed.all && parsed.chart.is_some() {
        return Err("--chart and --all exclude each other".into());
    }
    Ok(parsed)
}

fn run(args: &[String]) -> Result<ExitCode, String> {
    let (command, rest) = args.split_first().ok_or_else(|| USAGE.to_string())?;
    let args = parse_args(rest)?;
    match (command.as_str(), args.positional.as_slice()) {
        ("convert", [input, output]) => convert(input, output, &args),
        ("info", [input]) => {
            let bytes = std::fs::read(input).map_err(|e| format!("{input}: {e}"))?;
            let set = if args.peek {
                rox::peek(&bytes, args.from)
            } else {
                rox::decode_set(&bytes, args.from)
            };
            let set = set.map_err(|e| format!("{input}: {e}"))?;
            let chosen = chosen_charts(&set, args.chart)?;
            let md5 = info::hex(&file_md5(&bytes));
            print!(
                "{}",
                if args.json {
                    set_json(&set, &chosen, &md5)
                } else {
                    info::set_text(input, &set, &chosen, &md5, args.peek)
                }
            );
            Ok(ExitCode::SUCCESS)
        }
        ("validate", [input]) => {
            let set = load(input, args.from)?;
            let mut problems = 0;
            for i in chosen_charts(&set, args.chart)? {
                let issues = set.charts[i].validate();
                problems += issues.len();
                for issue in &issues {
                    println!("{}{issue}", chart_prefix(&set, i));
                }
            }
            if problems == 0 {
                println!("{input}: valid");
                Ok(ExitCode::SUCCESS)
            } else {
                eprintln!("rox: {input}: {problems} problem(s)");
                Ok(ExitCode::from(2))
            }
        }
        ("timeline", [input]) => {
            let bytes = std::fs::read(input).map_err(|e| format!("{input}: {e}"))?;
            let set = rox::decode_set(&bytes, args.from).map_err(|e| format!("{input}: {e}"))?;
            let chosen = chosen_charts(&set, args.chart)?;
            let out = if args.json {
                timeline::json(&set, &chosen, args.rules)
            } else {
                timeline::text(&set, &chosen, args.rules)
            };
            print!("{}", out.map_err(|e| format!("{input}: {e}"))?);
            Ok(ExitCode::SUCCESS)
        }
        ("convert" | "info" | "validate" | "timeline", _) => {
            Err(format!("wrong number of arguments\n{USAGE}"))
        }
        _ => Err(format!("unknown command {command:?}\n{USAGE}")),
    }
}

/// One written file: its path, the charts of the set it holds, and what it lost.
pub(crate) struct Written {
    pub(crate) path: String,
    pub(crate) charts: Vec<usize>,
    pub(crate) report: ConversionReport,
}

fn convert(input: &str, output: &str, args: &Args) -> Result<ExitCode, String> {
    let set = load(input, args.from)?;
    let format = match args.to {
        Some(f) => f,
        None => Format::from_extension(output)
            .ok_or_else(|| format!("{output}: unknown extension; use --to FORMAT"))?,
    };
    let fail = |path: &str, e: rox::Error| format!("{path}: {e}");
    let mut plan: Vec<(String, Vec<usize>)> = Vec::new();
    let mut written = Vec::new();
    if let Some(spec) = args.chart {
        plan.push((output.to_owned(), vec![select(&set, spec)?]));
    } else if args.all && !format.holds_many_charts() && set.charts.len() > 1 {
        let labels = file_labels(&set);
        for (i, label) in labels.into_iter().enumerate() {
            plan.push((path_with_label(output, &label), vec![i]));
        }
    } else {
        // All the target holds, with whatever does not fit reported.
        let (bytes, report) = rox::convert_set(&set, format).map_err(|e| fail(output, e))?;
        let held = if format.holds_many_charts() {
            set.charts.len()
        } else {
            1
        };
        write(output, &bytes)?;
        written.push(Written {
            path: output.to_owned(),
            charts: (0..held).collect(),
            report,
        });
    }
    for (path, charts) in plan {
        let selected: Vec<Chart> = charts.iter().map(|&i| set.charts[i].clone()).collect();
        let (bytes, encoded) =
            rox::encode_set_with_report(&selected, format).map_err(|e| fail(&path, e))?;
        write(&path, &bytes)?;
        let mut report = set.report.clone();
        report.append(encoded);
        written.push(Written {
            path,
            charts,
            report,
        });
    }
    if args.json {
        print!("{}", convert_json(&written));
    } else {
        for w in &written {
            for loss in &w.report.entries {
                eprintln!("{}: {}: {loss}", w.path, loss.kind.name());
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn write(path: &str, bytes: &[u8]) -> Result<(), String> {
    std::fs::write(path, bytes).map_err(|e| format!("{path}: {e}"))
}

fn load(path: &str, format: Format) -> Result<ChartSet, String> {
    let bytes = std::fs::read(path).map_err(|e| format!("{path}: {e}"))?;
    rox::decode_set(&bytes, format).map_err(|e| format!("{path}: {e}"))
}

/// `--chart`: an index (as `rox info` numbers charts) or a difficulty name.
fn select(set: &ChartSet, spec: &str) -> Result<usize, String> {
    let list = || {
        set.charts
            .iter()
            .enumerate()
            .map(|(i, c)| format!("{i} {:?}", c.metadata.difficulty_name))
            .collect::<Vec<_>>()
            .join(", ")
    };
    if let Ok(i) = spec.parse::<usize>() {
        return if i < set.charts.len() {
            Ok(i)
        } else {
            Err(format!("no chart {i}; the charts are: {}", list()))
        };
    }
    match set.find_by_name(spec)[..] {
        [i] => Ok(i),
        [] => Err(format!(
            "no chart named {spec:?}; the charts are: {}",
            list()
        )),
        ref several => Err(format!(
            "several charts are named {spec:?} ({several:?}); choose one by index"
        )),
    }
}

fn chosen_charts(set: &ChartSet, spec: Option<&str>) -> Result<Vec<usize>, String> {
    match spec {
        Some(spec) => Ok(vec![select(set, spec)?]),
        None => Ok((0..set.charts.len()).collect()),
    }
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
fn path_with_label(path: &str, label: &str) -> String {
    let p = Path::new(path);
    let name = p
        .file_name()
        .map_or_else(String::new, |s| s.to_string_lossy().into_owned());
    let ext_len = if Format::from_extension(path) == Some(Format::RoxJson) {
        ".rox.json".len()
    } else {
        p.extension().map_or(0, |e| e.to_string_lossy().len() + 1)
    };
    let (stem, ext) = name.split_at(name.len() - ext_len);
    p.with_file_name(format!("{stem} [{label}]{ext}"))
        .to_string_lossy()
        .into_owned()
}

/// `chart 2 ("Hard"): ` before per-chart lines when the file has several charts.
fn chart_prefix(set: &ChartSet, i: usize) -> String {
    if set.charts.len() > 1 {
        format!("chart {i} ({:?}): ", set.charts[i].metadata.difficulty_name)
    } else {
        String::new()
    }
}

pub(crate) fn format_time(us: i64) -> String {
    let sign = if us < 0 { "-" } else { "" };
    let us = us.unsigned_abs();
    format!(
        "{sign}{}:{:02}.{:03}",
        us / 60_000_000,
        us / 1_000_000 % 60,
        us / 1000 % 1000
    )
}

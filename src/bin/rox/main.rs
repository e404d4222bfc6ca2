//! `rox`: convert, inspect and validate rhythm game charts from the command line, one file or a
//! whole folder at a time.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, CommandFactory, Parser, Subcommand};
use rox::analysis::file_md5;
use rox::model::{FnfOptions, FnfSides, TaikoLayout, TaikoOptions};
use rox::timeline::Rules;
use rox::{ChartSet, DecodeOptions, Format};

mod archive;
mod batch;
mod convert;
mod info;
mod json;
mod losses;
mod timeline;

#[derive(Parser)]
#[command(
    name = "rox",
    version,
    about = "Convert, inspect and validate rhythm game charts (osu!mania, StepMania, Quaver, .rox)",
    after_help = formats_help()
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Convert a chart, or every chart under a folder (formats from the content and OUT's
    /// extension); what the target cannot hold is listed on stderr.
    ///
    /// A file with several charts (.sm, .ssc, .osz, .qp): --chart converts one (index from
    /// `rox info`, or difficulty name), --all every one (one file each, named
    /// `OUT [difficulty]`; .sm/.ssc: one file); without either, all that OUT's format holds (one
    /// chart, unless .sm/.ssc). IN a folder: every chart file under it is converted into OUT
    /// (a folder) with its relative path kept, archives and sets to one file per chart, and
    /// --to is required.
    Convert(ConvertArgs),
    /// Describe every chart of a file, or of every chart file under a folder.
    Info(InfoArgs),
    /// List every problem of a chart; exit 2 if any.
    Validate(ChartArgs),
    /// Every note's beat, snap (1/d) and scroll positions, and the bar lines (docs/timeline.md).
    Timeline(TimelineArgs),
    /// Print a shell completion script (e.g. `rox completions bash > /etc/bash_completion.d/rox`).
    Completions {
        /// The shell to complete for.
        shell: clap_complete::Shell,
    },
}

/// What every command that reads a chart shares: the file and how to read it.
#[derive(Args)]
pub(crate) struct ChartArgs {
    /// The chart file (or archive: .osz, .qp); `convert` and `info` also take a folder.
    #[arg(value_name = "IN")]
    input: PathBuf,
    /// Read as this format instead of detecting it from the content.
    #[arg(long, value_name = "FORMAT", value_parser = parse_format, default_value = "auto")]
    from: Format,
    /// One chart of the file: its index (as `rox info` numbers charts) or difficulty name.
    #[arg(long, value_name = "N|NAME")]
    chart: Option<String>,
    /// Friday Night Funkin' charts: whose notes to read, player, opponent or both (8 keys).
    #[arg(long, value_name = "SIDES", default_value = "player", value_parser = named(&FnfSides::ALL, FnfSides::name))]
    fnf_sides: FnfSides,
    /// osu!taiko maps: the 4 columns' layout, kddk, dkkd or ddkk (kat/don; docs/taiko.md).
    #[arg(long, value_name = "LAYOUT", default_value = "kddk", value_parser = named(&TaikoLayout::ALL, TaikoLayout::name))]
    taiko_layout: TaikoLayout,
}

impl ChartArgs {
    /// How the library is to read the charts.
    fn options(&self) -> DecodeOptions {
        DecodeOptions {
            fnf: FnfOptions {
                sides: self.fnf_sides,
            },
            taiko: TaikoOptions {
                layout: self.taiko_layout,
            },
            ..DecodeOptions::default()
        }
    }
}

/// A parser of the lower-case `name`s of `all`'s values (case ignored).
fn named<T: Copy + Send + Sync + 'static>(
    all: &'static [T],
    name: fn(T) -> &'static str,
) -> impl Fn(&str) -> Result<T, String> + Clone + Send + Sync + 'static {
    move |given| {
        all.iter()
            .copied()
            .find(|v| name(*v).eq_ignore_ascii_case(given))
            .ok_or_else(|| {
                let names: Vec<&str> = all.iter().map(|v| name(*v)).collect();
                format!("unknown value {given:?}: use {}", names.join(", "))
            })
    }
}

#[derive(Args)]
pub(crate) struct ConvertArgs {
    #[command(flatten)]
    source: ChartArgs,
    /// The output file (or folder, when IN is a folder).
    #[arg(value_name = "OUT")]
    output: PathBuf,
    /// Write this format instead of the one OUT's extension names.
    #[arg(long, value_name = "FORMAT", value_parser = parse_format)]
    to: Option<Format>,
    /// Every chart of a set, one file each (`OUT [difficulty]`).
    #[arg(long)]
    all: bool,
    /// Print what was written and lost as JSON on stdout (shapes in README.md, "CLI").
    #[arg(long)]
    json: bool,
    /// Replace outputs that exist (without it, an existing output is an error).
    #[arg(long)]
    force: bool,
    /// List every loss, not a line per kind.
    #[arg(long, short)]
    verbose: bool,
    /// Files converted at once in folder mode (default: one per core).
    #[arg(long, short, value_name = "N")]
    jobs: Option<usize>,
}

#[derive(Args)]
pub(crate) struct InfoArgs {
    #[command(flatten)]
    source: ChartArgs,
    /// As JSON (shapes in README.md, "CLI").
    #[arg(long)]
    json: bool,
    /// Read all but the notes (fast, as a song select screen does).
    #[arg(long)]
    peek: bool,
    /// Files read at once in folder mode (default: one per core).
    #[arg(long, short, value_name = "N")]
    jobs: Option<usize>,
}

#[derive(Args)]
struct TimelineArgs {
    #[command(flatten)]
    source: ChartArgs,
    /// Place notes by the rules of osu, quaver or stepmania (default: the game each chart was
    /// made for).
    #[arg(long, value_name = "RULES", value_parser = timeline::rules_named)]
    rules: Option<Rules>,
    /// As JSON.
    #[arg(long)]
    json: bool,
}

/// The format names `--to` takes (and `--from`, which also takes `auto`), from the library's
/// own list.
fn format_names() -> String {
    let names: Vec<&str> = Format::ALL
        .iter()
        .filter(|f| **f != Format::Auto)
        .map(|f| f.name())
        .collect();
    names.join(", ")
}

fn formats_help() -> String {
    format!(
        "Formats: {} (each also names its file extension); --from also takes auto (the \
         default: detect from the content). .osz and .qp archives are read by content. bms also \
         reads .bme, .bml and .pms, and writes 5K/7K .bme; bmson is read only; fnf is any \
         .json but .rox.json.",
        format_names()
    )
}

fn parse_format(name: &str) -> Result<Format, String> {
    Format::from_name(name)
        .ok_or_else(|| format!("unknown format {name:?} (auto, {})", format_names()))
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) if !e.use_stderr() => {
            // --help, --version: what was asked for, on stdout.
            let _ = e.print();
            return ExitCode::SUCCESS;
        }
        Err(e) if e.kind() == clap::error::ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            // `rox` alone: the usage, as an error.
            eprint!("{}", e.render());
            return ExitCode::from(1);
        }
        Err(e) => {
            eprintln!(
                "rox: {} (--help for usage)",
                one_line(&e.render().to_string())
            );
            return ExitCode::from(1);
        }
    };
    match run(cli.command) {
        Ok(code) => code,
        Err(message) => {
            eprintln!("rox: {message}");
            ExitCode::from(1)
        }
    }
}

/// clap's error without its usage and hint lines, on one line (as every `rox:` error is).
fn one_line(error: &str) -> String {
    let message: Vec<&str> = error
        .lines()
        .map(str::trim)
        .take_while(|line| !line.starts_with("Usage:") && !line.starts_with("For more"))
        .filter(|line| !line.is_empty())
        .collect();
    message.join(" ").trim_start_matches("error: ").to_owned()
}

fn run(command: Command) -> Result<ExitCode, String> {
    match command {
        Command::Convert(args) if args.source.input.is_dir() => batch::convert_dir(&args),
        Command::Convert(args) => convert::convert_file(&args),
        Command::Info(args) if args.source.input.is_dir() => batch::info_dir(&args),
        Command::Info(args) => {
            let path = &args.source.input;
            let described = Described::read(path, &args)?;
            if args.json {
                print!("{}", json::to_line(&described.json()));
            } else {
                print!("{}", described.text(path, args.peek));
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Validate(args) => validate(&args),
        Command::Timeline(args) => {
            let input = display(&args.source.input);
            let set = load(&args.source.input, &args.source)?;
            let chosen = chosen_charts(&set, args.source.chart.as_deref())?;
            let out = if args.json {
                timeline::json(&set, &chosen, args.rules)
            } else {
                timeline::text(&set, &chosen, args.rules)
            };
            print!("{}", out.map_err(|e| format!("{input}: {e}"))?);
            Ok(ExitCode::SUCCESS)
        }
        Command::Completions { shell } => {
            clap_complete::generate(shell, &mut Cli::command(), "rox", &mut std::io::stdout());
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// A file as `rox info` reads it: its charts, the ones chosen, and its MD5 (hex).
pub(crate) struct Described {
    set: ChartSet,
    chosen: Vec<usize>,
    md5: String,
}

impl Described {
    pub(crate) fn read(path: &Path, args: &InfoArgs) -> Result<Described, String> {
        let bytes = read(path)?;
        let (from, options) = (args.source.from, args.source.options());
        let set = if args.peek {
            rox::peek_with_options(&bytes, from, &options)
        } else {
            rox::decode_set_with_options(&bytes, from, &options)
        };
        let set = set.map_err(|e| format!("{}: {e}", display(path)))?;
        let chosen = chosen_charts(&set, args.source.chart.as_deref())?;
        let md5 = info::hex(&file_md5(&bytes));
        Ok(Described { set, chosen, md5 })
    }

    pub(crate) fn text(&self, path: &Path, peeked: bool) -> String {
        info::set_text(&display(path), &self.set, &self.chosen, &self.md5, peeked)
    }

    pub(crate) fn json(&self) -> serde_json::Value {
        json::set_value(&self.set, &self.chosen, &self.md5)
    }
}

fn validate(args: &ChartArgs) -> Result<ExitCode, String> {
    let input = display(&args.input);
    let set = load(&args.input, args)?;
    let mut problems = 0;
    for i in chosen_charts(&set, args.chart.as_deref())? {
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

pub(crate) fn display(path: &Path) -> String {
    path.to_string_lossy().into_owned()
}

/// A file's bytes; an empty file is an error here, as no chart format is empty.
pub(crate) fn read(path: &Path) -> Result<Vec<u8>, String> {
    let name = display(path);
    let bytes = std::fs::read(path).map_err(|e| format!("{name}: {e}"))?;
    if bytes.is_empty() {
        return Err(format!("{name}: empty file"));
    }
    Ok(bytes)
}

/// The charts of `path`, read as `how` says (its input aside: a folder's files are read alike).
pub(crate) fn load(path: &Path, how: &ChartArgs) -> Result<ChartSet, String> {
    let bytes = read(path)?;
    rox::decode_set_with_options(&bytes, how.from, &how.options())
        .map_err(|e| format!("{}: {e}", display(path)))
}

/// `--chart`: an index (as `rox info` numbers charts) or a difficulty name.
pub(crate) fn select(set: &ChartSet, spec: &str) -> Result<usize, String> {
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

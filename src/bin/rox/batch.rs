//! Folder mode of `rox convert` and `rox info`: every chart file under a folder, across cores,
//! with progress, never stopping at a bad file, and a summary at the end (exit 1 if any file
//! failed).

use std::io::IsTerminal as _;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::{AtomicUsize, Ordering};

use indicatif::{ProgressBar, ProgressStyle};
use rayon::prelude::*;
use rox::Format;

use crate::convert::{convert, Plan, Written};
use crate::{display, json, losses, ConvertArgs, Described, InfoArgs};

/// Archives hold charts without being a chart format (`Format` names none of them).
const ARCHIVE_EXTENSIONS: [&str; 2] = ["osz", "qp"];

/// Files under `root` (relative to it, sorted) whose extension names a chart format or an
/// archive.
fn chart_files(root: &Path) -> Result<Vec<PathBuf>, String> {
    let mut found = Vec::new();
    let mut folders = vec![PathBuf::new()];
    while let Some(folder) = folders.pop() {
        let entries = std::fs::read_dir(root.join(&folder))
            .map_err(|e| format!("{}: {e}", display(&root.join(&folder))))?;
        for entry in entries {
            let entry = entry.map_err(|e| format!("{}: {e}", display(&root.join(&folder))))?;
            let relative = folder.join(entry.file_name());
            if entry.file_type().is_ok_and(|t| t.is_dir()) {
                folders.push(relative);
            } else if is_chart_file(&relative) {
                found.push(relative);
            }
        }
    }
    found.sort();
    Ok(found)
}

fn is_chart_file(path: &Path) -> bool {
    let archive = path
        .extension()
        .is_some_and(|e| ARCHIVE_EXTENSIONS.iter().any(|a| e.eq_ignore_ascii_case(a)));
    archive || Format::from_extension(&display(path)).is_some()
}

/// `a/song.osz` → `a/song.osu` for `--to osu` (`.rox.json`, the double extension, included).
fn output_name(relative: &Path, format: Format) -> PathBuf {
    let name = display(relative.file_name().unwrap_or_default().as_ref());
    let stem = match Format::from_extension(&name) {
        Some(Format::RoxJson) => &name[..name.len() - ".rox.json".len()],
        _ => name
            .rsplit_once('.')
            .map_or(name.as_str(), |(stem, _)| stem),
    };
    relative.with_file_name(format!("{stem}.{}", format.name()))
}

/// Runs `work` on every file (on `jobs` threads), showing progress; the results keep the
/// files' order. A panic in one file is that file's failure.
fn run_all<T: Send>(
    files: &[PathBuf],
    jobs: Option<usize>,
    work: impl Fn(&Path) -> Result<T, String> + Sync,
) -> Result<Vec<Result<T, String>>, String> {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(jobs.unwrap_or(0))
        .build()
        .map_err(|e| format!("--jobs: {e}"))?;
    let progress = Progress::new(files.len());
    let results = pool.install(|| {
        files
            .par_iter()
            .map(|file| {
                let result = catch_unwind(AssertUnwindSafe(|| work(file))).unwrap_or_else(|_| {
                    Err(format!(
                        "{}: internal error (a bug; please report)",
                        display(file)
                    ))
                });
                progress.done(file, result.as_ref().err());
                result
            })
            .collect()
    });
    progress.finish();
    Ok(results)
}

/// A progress bar on a terminal, else a plain line per file.
enum Progress {
    Bar(ProgressBar),
    Lines { done: AtomicUsize, total: usize },
}

impl Progress {
    fn new(total: usize) -> Progress {
        if std::io::stderr().is_terminal() {
            let bar = ProgressBar::new(total as u64);
            let style = ProgressStyle::with_template("{bar:40} {pos}/{len} {per_sec} eta {eta}")
                .expect("a valid template");
            bar.set_style(style);
            Progress::Bar(bar)
        } else {
            Progress::Lines {
                done: AtomicUsize::new(0),
                total,
            }
        }
    }

    fn done(&self, file: &Path, error: Option<&String>) {
        match self {
            Progress::Bar(bar) => bar.inc(1),
            Progress::Lines { done, total } => {
                let n = done.fetch_add(1, Ordering::Relaxed) + 1;
                let outcome = error.map_or("ok", |_| "failed");
                eprintln!("[{n}/{total}] {}: {outcome}", display(file));
            }
        }
    }

    fn finish(&self) {
        if let Progress::Bar(bar) = self {
            bar.finish_and_clear();
        }
    }
}

/// `rox convert DIR OUTDIR --to FORMAT`.
pub(crate) fn convert_dir(args: &ConvertArgs) -> Result<ExitCode, String> {
    let format = args.to.ok_or("a folder is converted with --to FORMAT")?;
    if args.source.chart.is_some() {
        return Err("--chart chooses a chart of one file; a folder converts every chart".into());
    }
    let root = &args.source.input;
    let files = chart_files(root)?;
    let plan = Plan {
        format,
        chart: None,
        all: true,
        force: args.force,
    };
    let results = run_all(&files, args.jobs, |relative| {
        let output = args.output.join(output_name(relative, format));
        if let Some(parent) = output.parent() {
            std::fs::create_dir_all(parent).map_err(|e| format!("{}: {e}", display(parent)))?;
        }
        convert(&root.join(relative), &output, &args.source, &plan)
    })?;
    let (written, failed) = split(results);
    let written: Vec<Written> = written.into_iter().flatten().collect();
    if args.json {
        print!(
            "{}",
            batch_json("outputs", json::outputs(&written), &failed)
        );
    } else if args.verbose {
        for w in &written {
            losses::print(&w.path, &w.report, true);
        }
    }
    eprintln!(
        "rox: {} file(s): {} converted ({} output(s)), {} failed",
        files.len(),
        files.len() - failed.len(),
        written.len(),
        failed.len()
    );
    eprintln!(
        "losses: {}",
        losses::counts_by_kind(written.iter().map(|w| &w.report))
    );
    Ok(summary(&failed))
}

/// `rox info DIR`: each file's description (text, or JSON `{"files":[{"path",…}],"failed":[…]}`).
pub(crate) fn info_dir(args: &InfoArgs) -> Result<ExitCode, String> {
    let root = &args.source.input;
    let files = chart_files(root)?;
    let results = run_all(&files, args.jobs, |relative| {
        let described = Described::read(&root.join(relative), args)?;
        Ok(if args.json {
            let mut entry = serde_json::Map::new();
            entry.insert("path".into(), display(relative).into());
            if let serde_json::Value::Object(mut fields) = described.json() {
                entry.append(&mut fields);
            }
            serde_json::Value::Object(entry)
        } else {
            format!(
                "== {}\n{}",
                display(relative),
                described.text(relative, args.peek)
            )
            .into()
        })
    })?;
    let (described, failed) = split(results);
    if args.json {
        print!("{}", batch_json("files", described, &failed));
    } else {
        for text in described {
            print!("{}", text.as_str().unwrap_or_default());
        }
    }
    eprintln!(
        "rox: {} file(s): {} described, {} failed",
        files.len(),
        files.len() - failed.len(),
        failed.len()
    );
    Ok(summary(&failed))
}

fn split<T>(results: Vec<Result<T, String>>) -> (Vec<T>, Vec<String>) {
    let mut ok = Vec::new();
    let mut failed = Vec::new();
    for result in results {
        match result {
            Ok(value) => ok.push(value),
            Err(e) => failed.push(e),
        }
    }
    (ok, failed)
}

/// `{"<key>":[…],"failed":[{"error":…}]}`.
fn batch_json(key: &str, items: impl serde::Serialize, failed: &[String]) -> String {
    let failed: Vec<_> = failed
        .iter()
        .map(|e| serde_json::json!({ "error": e }))
        .collect();
    let mut doc = serde_json::Map::new();
    doc.insert(
        key.into(),
        serde_json::to_value(items).expect("string keys"),
    );
    doc.insert("failed".into(), failed.into());
    json::to_line(&doc)
}

/// The failures, one per line, and the exit code: 1 if any file failed.
fn summary(failed: &[String]) -> ExitCode {
    for e in failed {
        eprintln!("  failed: {e}");
    }
    if failed.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}

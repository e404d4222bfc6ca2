//! What every test file shares: the hand-written fixtures, the corpus of real charts, the
//! regression inputs and the Python oracles (all found here and nowhere else), and the mutation
//! harness.
//!
//! A missing corpus or oracle never passes silently: the test says it is skipped, appends a
//! line to the file `$ROX_SKIP_LOG` names (scripts/test.sh counts them), and under CI
//! (`CI=true`) fails instead, since a CI run without them would prove nothing.
#![allow(dead_code)] // each test crate uses a different part

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

/// `tests/fixtures/<path>`.
pub fn fixture_path(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(path)
}

/// The bytes of `tests/fixtures/<path>`.
pub fn fixture(path: &str) -> Vec<u8> {
    let path = fixture_path(path);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The shared corpus of real charts: `$ROX_CORPUS`, else `../shared/corpus` beside the
/// repository; `None` (after [`skip`]) when it is absent.
pub fn corpus() -> Option<PathBuf> {
    let path = std::env::var_os("ROX_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus"));
    if path.join("osu").is_dir() {
        Some(path)
    } else {
        skip(&format!(
            "corpus not found at {} (set ROX_CORPUS)",
            path.display()
        ));
        None
    }
}

/// The shared regression inputs found by fuzzing: `$ROX_REGRESS`, else `../shared/regress`
/// beside the repository; `None` (after [`skip`]) when it is absent.
pub fn regress() -> Option<PathBuf> {
    let path = std::env::var_os("ROX_REGRESS")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/regress"));
    if path.join("README.md").is_file() {
        Some(path)
    } else {
        skip(&format!(
            "regression inputs not found at {} (set ROX_REGRESS)",
            path.display()
        ));
        None
    }
}

/// The Python of the oracle venv (`.tools/venv`, made by scripts/setup.sh) when it can import
/// `module`; `None` (after [`skip`]) otherwise.
pub fn oracle_python(module: &str) -> Option<PathBuf> {
    let python = Path::new(env!("CARGO_MANIFEST_DIR")).join(".tools/venv/bin/python");
    let imports = Command::new(&python)
        .args(["-c", &format!("import {module}")])
        .status()
        .is_ok_and(|s| s.success());
    if imports {
        Some(python)
    } else {
        skip(&format!(
            "Python oracle {module} not found at {} (run scripts/setup.sh)",
            python.display()
        ));
        None
    }
}

/// The standard output of `tests/oracle/<script> args…` run by `python` (from
/// [`oracle_python`]); a failing script fails the test with its stderr.
pub fn run_oracle<A: AsRef<std::ffi::OsStr>>(python: &Path, script: &str, args: &[A]) -> String {
    let script = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/oracle")
        .join(script);
    let output = Command::new(python)
        .arg(&script)
        .args(args)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{} {:?}: {}",
        script.display(),
        args.iter().map(AsRef::as_ref).collect::<Vec<_>>(),
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).expect("the oracle prints UTF-8")
}

/// Records that the running test (or part of it) is skipped because `why`: on stderr (shown
/// by `cargo test` even for a passing test), and as a line in `$ROX_SKIP_LOG`. Under CI it fails
/// the test instead.
pub fn skip(why: &str) {
    let test = format!(
        "{}::{}",
        env!("CARGO_CRATE_NAME"),
        std::thread::current().name().unwrap_or("?")
    );
    if std::env::var("CI").is_ok_and(|v| v == "true") {
        panic!("{test}: {why}; CI runs every test, so this is a failure");
    }
    // Straight to stderr, past the test harness's capture: a skip is news even when passing.
    let _ = writeln!(std::io::stderr(), "SKIPPED {test}: {why}");
    if let Some(log) = std::env::var_os("ROX_SKIP_LOG") {
        let mut file = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&log)
            .unwrap_or_else(|e| panic!("ROX_SKIP_LOG {}: {e}", Path::new(&log).display()));
        writeln!(file, "{test}: {why}").expect("append to ROX_SKIP_LOG");
    }
}

/// Calls `check` on every prefix of `original` (the empty one included), then on every copy
/// with one byte replaced by each of `replacements` or by itself with bit 5 flipped (a letter's
/// case). Decoders must give a chart or an error for each, never panic or hang.
pub fn for_each_mutant(original: &[u8], replacements: &[u8], mut check: impl FnMut(&[u8])) {
    for end in 0..=original.len() {
        check(&original[..end]);
    }
    let mut bytes = original.to_vec();
    for i in 0..original.len() {
        for &b in replacements.iter().chain([original[i] ^ 0x20].iter()) {
            bytes[i] = b;
            check(&bytes);
        }
        bytes[i] = original[i];
    }
}

/// Every file under `root` but READMEs and dotfiles, by its path relative to `label`.
pub fn files_under(root: &Path, label: &str) -> Vec<(String, PathBuf)> {
    let mut files = Vec::new();
    let mut dirs = vec![root.to_path_buf()];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            let file_name = path.file_name().unwrap().to_string_lossy();
            if path.is_dir() {
                dirs.push(path);
            } else if file_name != "README.md" && !file_name.starts_with('.') {
                let relative = path.strip_prefix(root).unwrap().to_string_lossy();
                files.push((format!("{label}{}", relative.replace('\\', "/")), path));
            }
        }
    }
    files.sort();
    files
}

/// The hand-written fixtures of every format (archives have tests/sets.rs), always; the corpus
/// when present.
pub fn chart_files() -> Vec<(String, PathBuf)> {
    let mut files = Vec::new();
    for format in ["bms", "json", "osu", "quaver", "rox", "stepmania"] {
        let label = format!("fixtures/{format}/");
        files.extend(files_under(&fixture_path(format), &label));
    }
    if let Some(root) = corpus() {
        files.extend(files_under(&root, ""));
    }
    files
}

/// xorshift64: deterministic randomness without a dependency, the same on every machine.
pub fn random_source(mut state: u64) -> impl FnMut() -> u64 {
    move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    }
}

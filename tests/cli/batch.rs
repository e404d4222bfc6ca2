//! Folder mode: `rox convert DIR OUTDIR --to F` and `rox info DIR` go on past bad files, keep
//! relative paths, expand archives to one output per chart, and end with a summary.

use std::path::Path;

use super::{common, rox, scratch_dir};

/// A folder with a good chart (in a subfolder), an archive of two charts, an empty chart file,
/// a garbage one, and a file that is no chart (ignored).
fn mixed_folder(name: &str) -> std::path::PathBuf {
    let dir = scratch_dir(name).join("in");
    std::fs::create_dir_all(dir.join("sub/deeper")).unwrap();
    let copy = |fixture: &str, to: &str| {
        std::fs::copy(common::fixture_path(fixture), dir.join(to)).unwrap();
    };
    copy("osu/full.osu", "sub/deeper/good.osu");
    copy("archives/song.osz", "sub/song.osz");
    std::fs::write(dir.join("empty.sm"), b"").unwrap();
    std::fs::write(
        dir.join("garbage.qua"),
        [0xff, 0x00, 0x13, 0x37, b'\n', b'x'],
    )
    .unwrap();
    std::fs::write(dir.join("notes.txt"), b"not a chart").unwrap();
    dir
}

#[test]
fn convert_folder_reports_bad_files_and_converts_the_rest() {
    let input = mixed_folder("cli_batch_convert");
    let output = input.with_file_name("out");
    let args = [
        "convert",
        input.to_str().unwrap(),
        output.to_str().unwrap(),
        "--to",
        "rox",
        "--jobs",
        "2",
    ];
    let out = rox(&args);
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("rox: 4 file(s): 2 converted (3 output(s)), 2 failed"),
        "{stderr}"
    );
    assert!(stderr.contains("empty.sm: empty file"), "{stderr}");
    assert!(stderr.contains("garbage.qua: "), "{stderr}");
    assert!(stderr.contains("losses: chart_dropped 2"), "{stderr}");
    // Not a terminal: a plain line per file.
    assert!(stderr.contains("/4] sub/deeper/good.osu: ok"), "{stderr}");

    let good = output.join("sub/deeper/good.rox");
    let chart = rox::decode(&std::fs::read(&good).unwrap(), rox::Format::Rox).unwrap();
    let original = std::fs::read(common::fixture_path("osu/full.osu")).unwrap();
    assert_eq!(chart, rox::decode(&original, rox::Format::Osu).unwrap());
    for name in ["Easy", "Hard"] {
        let path = output.join(format!("sub/song [{name}].rox"));
        let chart = rox::decode(&std::fs::read(&path).unwrap(), rox::Format::Rox).unwrap();
        assert_eq!(chart.metadata.difficulty_name, name);
    }
    assert!(!output.join("empty.rox").exists() && !output.join("garbage.rox").exists());
    assert_eq!(files_in(&output), 3, "no temporary files left");

    // Again: every output exists, so every file fails until --force.
    let out = rox(&args);
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.contains("0 converted (0 output(s)), 4 failed"),
        "{stderr}"
    );
    assert!(stderr.contains("good.rox: exists (--force replaces it)"));
    let mut forced = args.to_vec();
    forced.push("--force");
    let out = rox(&forced);
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.contains("2 converted (3 output(s)), 2 failed"),
        "{stderr}"
    );
}

fn files_in(dir: &Path) -> usize {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .map(|p| if p.is_dir() { files_in(&p) } else { 1 })
        .sum()
}

#[test]
fn convert_folder_as_json_lists_outputs_and_failures() {
    let input = mixed_folder("cli_batch_json");
    let output = input.with_file_name("out");
    let out = rox(&[
        "convert",
        "--json",
        "--to",
        "osu",
        input.to_str().unwrap(),
        output.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(1));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let outputs = json["outputs"].as_array().unwrap();
    assert_eq!(outputs.len(), 3);
    let good = output.join("sub/deeper/good.osu");
    assert_eq!(outputs[0]["path"], good.to_str().unwrap());
    assert_eq!(outputs[0]["charts"], serde_json::json!([0]));
    let failed = json["failed"].as_array().unwrap();
    assert_eq!(failed.len(), 2);
    assert!(failed[0]["error"]
        .as_str()
        .unwrap()
        .ends_with("empty.sm: empty file"));
}

#[test]
fn info_folder_describes_each_file_and_reports_bad_ones() {
    let input = mixed_folder("cli_batch_info");
    let out = rox(&["info", input.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("== sub/deeper/good.osu\n"), "{text}");
    assert!(text.contains("== sub/song.osz\n"), "{text}");
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(stderr.contains("2 described, 2 failed"), "{stderr}");

    let out = rox(&["info", "--json", "--jobs", "1", input.to_str().unwrap()]);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let files = json["files"].as_array().unwrap();
    assert_eq!(files[0]["path"], "sub/deeper/good.osu");
    assert_eq!(files[1]["charts"].as_array().unwrap().len(), 2);
    assert_eq!(json["failed"].as_array().unwrap().len(), 2);
}

#[test]
fn a_folder_needs_to_and_refuses_chart() {
    let input = mixed_folder("cli_batch_args");
    let output = input.with_file_name("out");
    let (input, output) = (input.to_str().unwrap(), output.to_str().unwrap());
    for (args, message) in [
        (vec!["convert", input, output], "--to FORMAT"),
        (
            vec!["convert", input, output, "--to", "rox", "--chart", "0"],
            "--chart chooses a chart of one file",
        ),
    ] {
        let out = rox(&args);
        assert_eq!(out.status.code(), Some(1));
        let stderr = String::from_utf8(out.stderr).unwrap();
        assert!(
            stderr.starts_with("rox: ") && stderr.contains(message),
            "{stderr}"
        );
    }
}

//! `--fnf-sides` and `--taiko-layout`: the decode options of every command that reads charts.

use crate::{common, hit_objects, rox, scratch_dir};

fn path(fixture: &str) -> String {
    common::fixture_path(fixture).to_str().unwrap().to_owned()
}

fn stdout(args: &[&str]) -> String {
    let out = rox(args);
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn fnf_sides_choose_the_lanes_for_info_validate_and_timeline() {
    let song = path("fnf/psych.json");
    let json = |sides: &str| stdout(&["info", "--json", &song, "--fnf-sides", sides]);
    assert!(json("player").contains("\"key_count\":4"));
    assert!(json("opponent").contains("\"key_count\":4"));
    assert_ne!(json("player"), json("opponent"));
    assert!(json("both").contains("\"key_count\":8"));
    // --peek reads the sides alike.
    let peeked = stdout(&["info", "--peek", &song, "--fnf-sides", "Both"]);
    assert!(peeked.contains("keys: 8"), "{peeked}");
    assert!(stdout(&["validate", &song, "--fnf-sides", "opponent"]).ends_with(": valid\n"));
    let notes = |sides: &str| {
        stdout(&["timeline", &song, "--fnf-sides", sides])
            .lines()
            .filter(|l| l.starts_with("note "))
            .count()
    };
    assert_eq!(notes("both"), notes("player") + notes("opponent"));
}

#[test]
fn taiko_layout_places_the_columns_of_a_conversion() {
    let taiko = path("osu/taiko.osu");
    let dir = scratch_dir("taiko_layout");
    // (time, column) of each hit object of a written 4-key .osu.
    let columns = |layout: &str| {
        let output = dir.join(format!("{layout}.osu"));
        let out = rox(&[
            "convert",
            &taiko,
            output.to_str().unwrap(),
            "--taiko-layout",
            layout,
        ]);
        assert!(out.status.success());
        // The drumroll, two swells and a third don at once: on stderr, one line per kind.
        let losses = String::from_utf8(out.stderr).unwrap();
        assert!(losses.contains("note_dropped"), "{losses}");
        let text = std::fs::read_to_string(&output).unwrap();
        let mut placed: Vec<(String, u32)> =
            hit_objects(&text).into_iter().map(|o| (o.0, o.1)).collect();
        placed.sort();
        placed
    };
    let kddk = columns("kddk");
    assert_eq!(kddk.len(), 12);
    // Big don at 1000 ms: both don columns; the kat at 250 ms: the second kat column.
    assert!(kddk.contains(&("1000".into(), 1)) && kddk.contains(&("1000".into(), 2)));
    assert!(kddk.contains(&("250".into(), 3)));
    let ddkk = columns("ddkk");
    assert!(ddkk.contains(&("1000".into(), 0)) && ddkk.contains(&("1000".into(), 1)));
    assert!(ddkk.contains(&("250".into(), 3)));
    assert_ne!(kddk, columns("dkkd"));
}

#[test]
fn unknown_option_values_are_refused_naming_the_choices() {
    let taiko = path("osu/taiko.osu");
    for (flag, value, choices) in [
        ("--taiko-layout", "kdkd", "kddk, dkkd, ddkk"),
        ("--fnf-sides", "left", "player, opponent, both"),
    ] {
        let out = rox(&["info", &taiko, flag, value]);
        assert!(!out.status.success());
        let error = String::from_utf8(out.stderr).unwrap();
        assert!(error.contains(choices), "{error}");
    }
}

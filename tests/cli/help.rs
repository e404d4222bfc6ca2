//! `--help`, `--version`, help per subcommand, shell completions.

use super::rox;

#[test]
fn version_and_help() {
    let out = rox(&["--version"]);
    assert!(out.status.success());
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        format!("rox {}\n", env!("CARGO_PKG_VERSION"))
    );

    let out = rox(&["--help"]);
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    for command in ["convert", "info", "validate", "timeline", "completions"] {
        assert!(text.contains(&format!("  {command} ")), "{command}: {text}");
    }
    // The format list comes from the library's.
    for format in rox::Format::ALL {
        assert!(text.contains(format.name()), "{}: {text}", format.name());
    }

    let out = rox(&["convert", "--help"]);
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    for option in [
        "--to <FORMAT>",
        "--force",
        "--jobs <N>",
        "--verbose",
        "--all",
    ] {
        assert!(text.contains(option), "{option}: {text}");
    }
}

#[test]
fn usage_errors_are_one_line() {
    for args in [
        &["convert", "a.osu"][..],
        &["info", "--bogus", "x"],
        &["frobnicate"],
    ] {
        let out = rox(args);
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        let stderr = String::from_utf8(out.stderr).unwrap();
        assert!(
            stderr.starts_with("rox: ") && stderr.lines().count() == 1,
            "{stderr}"
        );
    }
    // No command at all: the usage, on stderr.
    let out = rox(&[]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8(out.stderr)
        .unwrap()
        .contains("Usage: rox <COMMAND>"));
}

#[test]
fn completions_for_each_shell() {
    for (shell, marker) in [
        ("bash", "complete -F"),
        ("zsh", "#compdef rox"),
        ("fish", "complete -c rox"),
    ] {
        let out = rox(&["completions", shell]);
        assert!(out.status.success(), "{shell}");
        let script = String::from_utf8(out.stdout).unwrap();
        assert!(script.contains(marker), "{shell}: {script}");
        assert!(script.contains("force"), "{shell}");
    }
    let out = rox(&["completions", "cmd.exe"]);
    assert_eq!(out.status.code(), Some(1));
}

//! The committed `include/rox.h` and `unity/com.rhythmopenexchange.rox/Runtime/NativeMethods.g.cs` must be
//! exactly what `build.rs` generates from `src/ffi`, and complete.

use std::path::{Path, PathBuf};

#[path = "../build/bindings.rs"]
mod bindings;
#[path = "../build/vocabulary.rs"]
mod vocabulary;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn scratch(name: &str) -> PathBuf {
    Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("{}-{name}", std::process::id()))
}

fn committed(rel: &str) -> String {
    std::fs::read_to_string(root().join(rel))
        .unwrap_or_else(|e| panic!("{rel}: {e}; run cargo build and commit it"))
}

fn assert_fresh(rel: &str, generated: &str) {
    let committed = committed(rel);
    if committed != generated {
        let line = committed
            .lines()
            .zip(generated.lines())
            .position(|(a, b)| a != b);
        let line = line.unwrap_or_else(|| committed.lines().count().min(generated.lines().count()));
        panic!(
            "{rel} is stale (first difference at line {}): run cargo build and commit {rel}\n\
             committed: {:?}\ngenerated: {:?}",
            line + 1,
            committed.lines().nth(line),
            generated.lines().nth(line)
        );
    }
}

#[test]
fn header_is_fresh() {
    let header = bindings::generate_header(root()).unwrap();
    assert_fresh(bindings::HEADER_PATH, &header);
}

#[test]
fn csharp_is_fresh() {
    let csharp = bindings::generate_csharp(root(), &scratch("NativeMethods.g.cs")).unwrap();
    assert_fresh(bindings::CSHARP_PATH, &csharp);
}

#[test]
fn csharp_enums_are_fresh() {
    let enums = vocabulary::generate_csharp_enums(root()).unwrap();
    assert_fresh(vocabulary::CSHARP_ENUMS_PATH, &enums);
}

#[test]
fn every_export_is_in_both_generated_files() {
    let exports = bindings::exported_functions(root()).unwrap();
    assert!(exports.len() >= 30, "found only {} exports", exports.len());
    let header = committed(bindings::HEADER_PATH);
    let csharp = committed(bindings::CSHARP_PATH);
    if let Err(e) = bindings::check_complete(&exports, &header, &csharp) {
        panic!("{e}");
    }
    // And nothing stale the other way round: every entry point in the C# exists in src/ffi.
    for entry in csharp.split("EntryPoint = \"").skip(1) {
        let name = &entry[..entry.find('"').unwrap()];
        assert!(
            exports.iter().any(|(n, _)| n == name),
            "{name} is in the C# but not exported"
        );
    }
}

#[test]
fn every_export_runs_inside_the_guard() {
    for (name, body) in bindings::exported_functions(root()).unwrap() {
        if name == "rox_abi_version" {
            continue; // returns a constant; nothing can panic or fail
        }
        assert!(
            body.lines().nth(1).is_some_and(|l| {
                let l = l.trim_start();
                l.starts_with("guard(\"")
                    || l.starts_with("guard_void(\"")
                    || l.starts_with("guard_keep_message(\"")
            }),
            "{name}: the body must start with guard(\"{name}\", ...)\n{body}"
        );
        assert!(
            body.contains(&format!("(\"{name}\"")),
            "{name}: the guard must be given the export's own name\n{body}"
        );
    }
}

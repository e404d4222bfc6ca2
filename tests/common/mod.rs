//! Where the shared corpus of real charts is: `$ROX_CORPUS`, else `../shared/corpus` beside the
//! repository. Tests that need it skip with a message when it is absent.
#![allow(dead_code)] // each test crate uses a different part

use std::path::PathBuf;

pub fn corpus() -> Option<PathBuf> {
    let path = std::env::var_os("ROX_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus"));
    if path.join("osu").is_dir() {
        Some(path)
    } else {
        eprintln!(
            "corpus not found at {} (set ROX_CORPUS); skipping corpus tests",
            path.display()
        );
        None
    }
}

//! Regenerates `include/rox.h` and `unity/com.rhythmopenexchange.rox/Runtime/NativeMethods.g.cs` from
//! `src/ffi` (see `build/bindings.rs`). A file is only written when its content changes, and a
//! failed write (read-only or packaged source) is a warning, not an error.

use std::path::{Path, PathBuf};

#[path = "build/bindings.rs"]
mod bindings;
#[path = "build/vocabulary.rs"]
mod vocabulary;

fn main() {
    let root = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").expect("CARGO_MANIFEST_DIR"));
    let out_dir = PathBuf::from(std::env::var_os("OUT_DIR").expect("OUT_DIR"));
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-changed=build/bindings.rs");
    println!("cargo:rerun-if-changed=build/vocabulary.rs");
    println!("cargo:rerun-if-changed=src/ffi");
    for file in vocabulary::model_files() {
        println!("cargo:rerun-if-changed={file}");
    }
    println!("cargo:rerun-if-changed={}", vocabulary::CSHARP_ENUMS_PATH);
    println!("cargo:rerun-if-changed={}", bindings::HEADER_PATH);
    println!("cargo:rerun-if-changed={}", bindings::CSHARP_PATH);

    // ELF targets: give librox.so a SONAME. The C# wrapper preloads the library from a NuGet
    // runtimes/<rid>/native folder on Mono and netstandard, and the runtime's later lookup of
    // "librox.so" only matches the already loaded file through its SONAME.
    let target_os = std::env::var("CARGO_CFG_TARGET_OS").unwrap_or_default();
    if target_os == "linux" || target_os == "android" {
        println!("cargo:rustc-cdylib-link-arg=-Wl,-soname,librox.so");
    }

    let header = bindings::generate_header(&root)
        .unwrap_or_else(|e| panic!("generating {}: {e}", bindings::HEADER_PATH));
    let csharp = bindings::generate_csharp(&root, &out_dir.join("NativeMethods.g.cs"))
        .unwrap_or_else(|e| panic!("generating {}: {e}", bindings::CSHARP_PATH));
    let enums = vocabulary::generate_csharp_enums(&root)
        .unwrap_or_else(|e| panic!("generating {}: {e}", vocabulary::CSHARP_ENUMS_PATH));
    let exports =
        bindings::exported_functions(&root).unwrap_or_else(|e| panic!("scanning src/ffi: {e}"));
    if let Err(e) = bindings::check_complete(&exports, &header, &csharp) {
        panic!("generated bindings are incomplete:\n{e}");
    }
    for (rel, content) in [
        (bindings::HEADER_PATH, &header),
        (bindings::CSHARP_PATH, &csharp),
        (vocabulary::CSHARP_ENUMS_PATH, &enums),
    ] {
        write(&root.join(rel), content);
    }
}

fn write(path: &Path, content: &str) {
    if let Err(e) = bindings::write_if_changed(path, content) {
        println!("cargo:warning=could not update {}: {e}", path.display());
    }
}

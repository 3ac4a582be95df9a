//! Repository hygiene checks that a reader cannot see from the code: every source file
//! says what it owns in a `//!` doc on its first line, and ARCHITECTURE.md names every
//! top-level module.

use std::fs;
use std::path::{Path, PathBuf};

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.expect("readable directory entry").path())
        .collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|e| e == "rs") {
            out.push(p);
        }
    }
}

#[test]
fn every_source_file_opens_with_a_module_doc() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    rust_files(&root.join("src"), &mut files);
    assert!(files.len() > 5, "found too few source files: {files:?}");
    let bad: Vec<_> = files
        .iter()
        .filter(|p| {
            let text = fs::read_to_string(p).unwrap_or_default();
            !text.starts_with("//!")
        })
        .map(|p| p.strip_prefix(root).unwrap_or(p).display().to_string())
        .collect();
    assert!(
        bad.is_empty(),
        "these files do not start with a `//!` doc: {bad:?}"
    );
}

#[test]
fn architecture_names_every_module() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let arch = fs::read_to_string(root.join("ARCHITECTURE.md")).expect("ARCHITECTURE.md exists");
    let mut missing = Vec::new();
    for e in fs::read_dir(root.join("src")).expect("src/ exists") {
        let p = e.expect("readable directory entry").path();
        let name = p
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or("")
            .to_string();
        if name == "main" || name == "lib" {
            continue;
        }
        if !arch.contains(&format!("`{name}`")) {
            missing.push(name);
        }
    }
    assert!(
        missing.is_empty(),
        "ARCHITECTURE.md does not name these modules: {missing:?}"
    );
}

/// Each `tests/*.rs` file and each `tests/*/main.rs` is a test binary that links the
/// whole stack (tokio, axum, lettre, ...): integration tests live as modules of one
/// binary per area, so a cold `cargo test` links a handful of binaries, not one per file.
#[test]
fn integration_tests_are_grouped_into_few_binaries() {
    let tests = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests");
    let mut binaries = Vec::new();
    for e in fs::read_dir(&tests).expect("tests/ exists") {
        let p = e.expect("readable directory entry").path();
        let name = p
            .file_name()
            .and_then(|s| s.to_str())
            .unwrap_or("")
            .to_string();
        if p.is_file() && name.ends_with(".rs") {
            binaries.push(name);
        } else if p.join("main.rs").is_file() {
            binaries.push(format!("{name}/main.rs"));
        }
    }
    binaries.sort();
    let top_level: Vec<_> = binaries
        .iter()
        .filter(|b| b.ends_with(".rs") && !b.contains('/'))
        .collect();
    assert!(
        top_level.is_empty(),
        "top-level test files {top_level:?}: make each a module of an area's tests/<area>/main.rs"
    );
    assert!(
        binaries.len() <= 8,
        "{} test binaries ({binaries:?}); add modules to an existing area instead",
        binaries.len()
    );
}

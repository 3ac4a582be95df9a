//! Shared helpers for integration tests: load fixture pairs and run the diff, so each
//! rule test is one `check(...)` call and an API change touches this file only.
#![allow(dead_code)]

use apidrift::diff::{self, Change, DiffOptions, Level};
use apidrift::spec::{self, LoadOptions, Loaded};
use std::path::{Path, PathBuf};

/// `tests/fixtures/<rel>`.
pub fn fixture(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(rel)
}

/// `../shared/corpus/<rel>`; panics with a clear message when the corpus is missing.
pub fn corpus(rel: &str) -> PathBuf {
    let p = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/corpus")
        .join(rel);
    assert!(
        p.exists(),
        "{} is missing: corpus tests need ../shared/corpus beside the project root",
        p.display()
    );
    p
}

pub fn load(path: &Path) -> Loaded {
    spec::load(
        path.to_str().expect("fixture paths are UTF-8"),
        &LoadOptions::default(),
    )
    .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Options pinned for tests: today's date is fixed so sunset rules do not drift.
pub fn opts() -> DiffOptions {
    DiffOptions {
        today: Some("2026-01-01".to_string()),
        ..DiffOptions::default()
    }
}

/// Diffs `tests/fixtures/rules/<dir>/base.yaml` against `revision.yaml`
/// (or the reverse when `reversed`).
pub fn diff_dir(dir: &str, reversed: bool) -> Vec<Change> {
    let d = fixture(&format!("rules/{dir}"));
    let (a, b) = (load(&d.join("base.yaml")), load(&d.join("revision.yaml")));
    if reversed {
        diff::compare(&b.api, &a.api, &opts())
    } else {
        diff::compare(&a.api, &b.api, &opts())
    }
}

/// Compact view of a change for assertions: `(id, level, "METHOD path")`.
pub fn brief(c: &Change) -> (String, Level, String) {
    let op = match (&c.operation, &c.path) {
        (Some(m), Some(p)) => format!("{m} {p}"),
        (None, Some(p)) => p.clone(),
        _ => String::new(),
    };
    (c.id.clone(), c.level, op)
}

/// Asserts that the diff of fixture dir `dir` contains a change with `id`, `level` at
/// `op` ("GET /users/{id}"), and returns it for further checks.
pub fn expect_change(changes: &[Change], id: &str, level: Level, op: &str) -> Change {
    changes
        .iter()
        .find(|c| brief(c) == (id.to_string(), level, op.to_string()))
        .cloned()
        .unwrap_or_else(|| {
            panic!(
                "expected {id} ({level}) at {op:?}; got:\n{}",
                changes
                    .iter()
                    .map(|c| format!("  {:?} {}", brief(c), c.text))
                    .collect::<Vec<_>>()
                    .join("\n")
            )
        })
}

/// Asserts no change with `id` is present.
pub fn expect_no(changes: &[Change], id: &str) {
    let hits: Vec<_> = changes.iter().filter(|c| c.id == id).collect();
    assert!(hits.is_empty(), "did not expect {id}; got {hits:#?}");
}

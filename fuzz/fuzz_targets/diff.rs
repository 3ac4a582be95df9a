//! Fuzz target: splits the input in two at the first `\0` byte (or the middle when
//! there is none), loads both halves as specs and diffs them both ways, then renders
//! the changes as JSON with their source positions. Must never panic or hang.
#![no_main]

use apidrift::diff::{self, DiffOptions};
use apidrift::report::{self, Entry};
use apidrift::spec::{self, LoadOptions, Loaded};
use libfuzzer_sys::fuzz_target;

fn load(name: &str, bytes: &[u8]) -> Option<Loaded> {
    let opts = LoadOptions {
        allow_file_refs: false,
        ..LoadOptions::default()
    };
    spec::load_bytes(name, bytes, None, &opts).ok()
}

fuzz_target!(|data: &[u8]| {
    let cut = data.iter().position(|&b| b == 0).unwrap_or(data.len() / 2);
    let (a, b) = data.split_at(cut);
    let b = b.strip_prefix(b"\0").unwrap_or(b);
    let (Some(base), Some(rev)) = (load("base", a), load("rev", b)) else {
        return;
    };
    let opts = DiffOptions {
        today: Some("2026-01-01".to_string()),
        ..DiffOptions::default()
    };
    let changes = diff::compare(&base.api, &rev.api, &opts);
    let _ = diff::compare(&rev.api, &base.api, &opts);
    let entries: Vec<Entry> = changes
        .into_iter()
        .map(|c| {
            Entry::locate(
                c,
                &base.name,
                |p| base.locate(p),
                &rev.name,
                |p| rev.locate(p),
            )
        })
        .collect();
    let _ = report::json::render_json(&entries);
});

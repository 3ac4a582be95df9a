//! Fuzz target: arbitrary bytes through `spec::load_bytes` as the loader sees them
//! (format detected from content, so inputs starting with `{` or `[` take the JSON
//! path). Must never panic, hang or allocate without bound; errors are fine.
#![no_main]

use apidrift::spec::{self, LoadOptions};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let opts = LoadOptions {
        allow_file_refs: false,
        ..LoadOptions::default()
    };
    if let Ok(loaded) = spec::load_bytes("fuzz.json", data, None, &opts) {
        // Locating pointers walks the text again; a few cheap probes cover it.
        let _ = loaded.locate("/paths");
        let _ = loaded.locate("/components/schemas");
    }
});

//! Fuzz target: arbitrary bytes through the YAML path of `spec::load_bytes`. A YAML
//! comment line is put in front so that format detection picks YAML even for inputs
//! starting with `{` or `[` (flow mappings and sequences are YAML too).
#![no_main]

use apidrift::spec::{self, LoadOptions};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut bytes = Vec::with_capacity(data.len() + 2);
    bytes.extend_from_slice(b"#\n");
    bytes.extend_from_slice(data);
    let opts = LoadOptions {
        allow_file_refs: false,
        ..LoadOptions::default()
    };
    if let Ok(loaded) = spec::load_bytes("fuzz.yaml", &bytes, None, &opts) {
        let _ = loaded.locate("/paths");
        let _ = loaded.locate("/components/schemas");
    }
});

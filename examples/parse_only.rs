//! The parse-only baseline of the speed benchmark: read each file given on the command
//! line and parse it into a `serde_json::Value` (JSON or YAML, detected from content),
//! nothing else. `apidrift diff` on the same files is measured against this.

use std::process::ExitCode;

fn main() -> ExitCode {
    let mut nodes = 0usize;
    for path in std::env::args().skip(1) {
        let bytes = match std::fs::read(&path) {
            Ok(b) => b,
            Err(e) => {
                eprintln!("parse_only: {path}: {e}");
                return ExitCode::from(3);
            }
        };
        let json = bytes
            .iter()
            .find(|b| !b.is_ascii_whitespace())
            .is_some_and(|b| *b == b'{' || *b == b'[');
        let value: Result<serde_json::Value, String> = if json {
            serde_json::from_slice(&bytes).map_err(|e| e.to_string())
        } else {
            serde_yaml::from_slice(&bytes).map_err(|e| e.to_string())
        };
        match value {
            Ok(v) => nodes += v.as_object().map_or(0, |o| o.len()),
            Err(e) => {
                eprintln!("parse_only: {path}: {e}");
                return ExitCode::from(3);
            }
        }
    }
    // Printing a number derived from the parse keeps the work from being optimized away.
    println!("{nodes}");
    ExitCode::SUCCESS
}

//! The `apidrift` binary: parses arguments and dispatches to `cli`.

fn main() {}

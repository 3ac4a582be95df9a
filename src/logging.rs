//! Log setup: `tracing` to stderr, filtered by `APIDRIFT_LOG` (or `RUST_LOG`), JSON
//! lines when `APIDRIFT_LOG_FORMAT=json`. Human output goes to stdout elsewhere.

use tracing_subscriber::EnvFilter;

/// Installs the global subscriber once; later calls do nothing.
pub fn init() {
    let filter = EnvFilter::try_from_env("APIDRIFT_LOG")
        .or_else(|_| EnvFilter::try_from_default_env())
        .unwrap_or_else(|_| EnvFilter::new("warn"));
    let json = std::env::var("APIDRIFT_LOG_FORMAT").is_ok_and(|v| v == "json");
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    let _ = if json {
        builder.json().try_init()
    } else {
        builder.try_init()
    };
}

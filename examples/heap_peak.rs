//! Runs the `apidrift` CLI in-process under a counting allocator and prints the live
//! heap's peak beside what the kernel saw (peak RSS): the gap is the allocator's
//! (freed memory it keeps, per-thread arenas). Usage:
//! cargo run --release --example heap_peak -- diff BASE REV --format json > /dev/null
use apidrift::cli;
use clap::Parser;

// Only `peak` is read here; the other examples use the rest.
#[path = "support/counting.rs"]
#[allow(dead_code)]
mod counting;

#[global_allocator]
static A: counting::Counting = counting::Counting;

fn main() {
    let parsed = cli::Cli::parse();
    let status = cli::dispatch(parsed);
    let rss = std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM"))
                .map(|l| l.trim_start_matches("VmHWM:").trim().to_string())
        })
        .unwrap_or_else(|| "unknown".to_string());
    eprintln!(
        "heap peak {:.1} MiB, peak RSS {rss} ({:?})",
        counting::peak() as f64 / 1048576.0,
        status.map(|s| s.code())
    );
}

//! Finds the inputs that cost the loader the most heap and time: loads every file under
//! the given directories (a fuzz corpus, say) the way the `load_yaml` fuzz target does
//! (YAML path forced by a comment line) and as given, and prints the ten worst by peak
//! heap, with their time. For the "worst hostile input" figure of SECURITY.md.
//! Usage: cargo run --release --example hungriest -- DIR...
use apidrift::spec::{self, LoadOptions};
use std::time::Instant;

#[path = "support/counting.rs"]
mod counting;

#[global_allocator]
static A: counting::Counting = counting::Counting;

fn main() {
    let opts = LoadOptions {
        allow_file_refs: false,
        ..LoadOptions::default()
    };
    let mut rows: Vec<(usize, f64, usize, String)> = Vec::new();
    for dir in std::env::args().skip(1) {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            eprintln!("hungriest: cannot read {dir}");
            std::process::exit(2);
        };
        for e in entries.flatten() {
            let Ok(data) = std::fs::read(e.path()) else {
                continue;
            };
            let mut yaml = b"#\n".to_vec();
            yaml.extend_from_slice(&data);
            for (how, bytes) in [("as-is", &data), ("yaml", &yaml)] {
                let base = counting::reset_peak();
                let t = Instant::now();
                let r = spec::load_bytes("input", bytes, None, &opts);
                drop(r);
                let secs = t.elapsed().as_secs_f64();
                let peak = counting::peak() - base;
                rows.push((
                    peak,
                    secs,
                    data.len(),
                    format!("{} ({how})", e.path().display()),
                ));
            }
        }
    }
    let n = rows.len();
    rows.sort_by_key(|r| std::cmp::Reverse(r.0));
    println!("{n} loads; worst by peak heap:");
    for (peak, secs, len, name) in rows.iter().take(10) {
        println!(
            "{:>9.1} MiB {:>8.3} s {:>7} B  {name}",
            *peak as f64 / 1048576.0,
            secs,
            len
        );
    }
    rows.sort_by(|a, b| b.1.total_cmp(&a.1));
    println!("worst by time:");
    for (peak, secs, len, name) in rows.iter().take(5) {
        println!(
            "{:>9.1} MiB {:>8.3} s {:>7} B  {name}",
            *peak as f64 / 1048576.0,
            secs,
            len
        );
    }
}

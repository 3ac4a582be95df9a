//! Cost of the position index (`spec::Locator`): heap bytes kept and peak while building
//! (a counting allocator), median build time, and median time to locate a set of pointers.
//! The pointers are every operation and schema pointer of the loaded model, or the lines
//! of POINTERS when given (e.g. the `revision_pointer`s of a diff report).
//! The first build of a process pays for fresh pages; later ones reuse freed memory.
//! Usage: cargo run --release --example locate_index -- FILE [POINTERS]
//! Prints a checksum of the located positions so two builds can be compared.

use apidrift::spec::{self, LoadOptions, Locator};
use std::time::{Duration, Instant};

#[path = "support/counting.rs"]
mod counting;

#[global_allocator]
static A: counting::Counting = counting::Counting;

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn mib(n: usize) -> String {
    format!("{:.2} MiB", n as f64 / 1048576.0)
}

fn main() {
    let mut args = std::env::args().skip(1);
    let path = args.next().expect("usage: locate_index FILE [POINTERS]");
    let bytes = std::fs::read(&path).expect("readable file");
    let loaded = spec::load_bytes(&path, &bytes, None, &LoadOptions::default()).expect("loads");
    drop(bytes);
    let pointers: Vec<String> = match args.next() {
        Some(p) => std::fs::read_to_string(p)
            .expect("readable pointer list")
            .lines()
            .filter(|l| !l.is_empty())
            .map(str::to_string)
            .collect(),
        None => {
            let api = &loaded.api;
            let ops = api.operations.values().map(|o| o.pointer.clone());
            let schemas = api.schemas.iter().map(|s| s.pointer.clone());
            ops.chain(schemas).filter(|p| !p.contains('#')).collect()
        }
    };
    let runs = 7;
    let (mut build, mut lookup) = (Vec::new(), Vec::new());
    let (mut kept, mut peak, mut found, mut sum) = (0, 0, 0usize, 0u64);
    let mut first = Duration::ZERO;
    for i in 0..runs {
        let locator = Locator::default();
        let before = counting::reset_peak();
        let t = Instant::now();
        let _ = locator.locate(loaded.format, &loaded.text, "");
        build.push(t.elapsed());
        if i == 0 {
            first = build[0];
            kept = counting::live() - before;
            peak = counting::peak() - before;
        }
        let t = Instant::now();
        let (mut f, mut s) = (0usize, 0u64);
        for p in &pointers {
            if let Some((line, col)) = locator.locate(loaded.format, &loaded.text, p) {
                f += 1;
                s = s
                    .wrapping_mul(31)
                    .wrapping_add(u64::from(line) << 20 | u64::from(col));
            }
        }
        lookup.push(t.elapsed());
        (found, sum) = (f, s);
    }
    println!(
        "{path}: index {} kept, {} peak while building; first build {first:.1?}, median {:.1?}; {} pointers ({found} found) located in median {:.1?}; checksum {sum:016x}",
        mib(kept),
        mib(peak),
        median(build),
        pointers.len(),
        median(lookup),
    );
}

//! Times `spec::load_bytes` against a parse-only baseline (`serde_json::from_slice` or
//! `serde_yaml::from_slice` into a Value) on the same bytes, and prints the warnings.
//! Usage: cargo run --release --example spec_load_timing -- FILE...

use apidrift::spec::{self, LoadOptions};
use std::time::{Duration, Instant};

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn main() {
    let runs = 5;
    for path in std::env::args().skip(1) {
        let bytes = std::fs::read(&path).expect("readable file");
        let json = bytes.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'{');
        let mut parse = Vec::new();
        let mut load = Vec::new();
        let mut locate = Duration::ZERO;
        let mut summary = String::new();
        for i in 0..runs {
            let t = Instant::now();
            let v: serde_json::Value = if json {
                serde_json::from_slice(&bytes).expect("json")
            } else {
                serde_yaml::from_slice(&bytes).unwrap_or_default()
            };
            parse.push(t.elapsed());
            drop(v);
            let t = Instant::now();
            let l = spec::load_bytes(&path, &bytes, None, &LoadOptions::default()).expect("loads");
            load.push(t.elapsed());
            if i == 0 {
                let t = Instant::now();
                let mut found = 0;
                for op in l.api.operations.values().take(3000) {
                    found += usize::from(l.locate(&op.pointer).is_some());
                }
                locate = t.elapsed();
                summary = format!(
                    "{} ops, {} schemas, {} warnings, {found} located",
                    l.api.operations.len(),
                    l.api.schemas.len(),
                    l.diagnostics.len()
                );
                for d in l.diagnostics.iter().take(5) {
                    eprintln!("  {d}");
                }
            }
        }
        let (p, l) = (median(parse), median(load));
        println!(
            "{path}: parse-only {p:.1?}, load {l:.1?} ({:.2}x), first locate of ops {locate:.1?}; {summary}",
            l.as_secs_f64() / p.as_secs_f64()
        );
    }
}

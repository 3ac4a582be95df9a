//! Divan benches of the pipeline stages on corpus pairs: parse only (bytes → Value),
//! load (bytes → model::Api), and compare (two loaded Apis → changes). Needs
//! ../shared/corpus; run with `cargo bench --bench diff`. See BENCHMARKS.md.

use apidrift::diff::{self, DiffOptions};
use apidrift::spec::{self, LoadOptions};
use std::path::{Path, PathBuf};

fn main() {
    divan::main();
}

const PAIRS: &[(&str, &str, &str)] = &[
    (
        "github",
        "github/github-2023-06-09-7afde56c60.json",
        "github/github-2024-11-06-f7d3c9c7fe.json",
    ),
    (
        "okta",
        "okta/okta-2024-06-28-ce090683f5.yaml",
        "okta/okta-2024-09-11-62f81c821d.yaml",
    ),
    (
        "stripe",
        "stripe/stripe-2022-06-29-b35a252d98.yaml",
        "stripe/stripe-2023-09-12-63a6746386.yaml",
    ),
];

fn corpus(rel: &str) -> PathBuf {
    let p = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/corpus")
        .join(rel);
    assert!(
        p.exists(),
        "{}: the benches need ../shared/corpus",
        p.display()
    );
    p
}

fn bytes(name: &str) -> (Vec<u8>, Vec<u8>) {
    let (_, a, b) = PAIRS
        .iter()
        .find(|(n, _, _)| *n == name)
        .expect("bench pair names come from PAIRS");
    (
        std::fs::read(corpus(a)).expect("corpus file is readable"),
        std::fs::read(corpus(b)).expect("corpus file is readable"),
    )
}

fn parse(b: &[u8]) -> serde_json::Value {
    if b.iter().find(|c| !c.is_ascii_whitespace()) == Some(&b'{') {
        serde_json::from_slice(b).expect("corpus JSON parses")
    } else {
        serde_yaml::from_slice(b).expect("corpus YAML parses")
    }
}

#[divan::bench(args = ["github", "okta", "stripe"], sample_count = 5)]
fn parse_only(bencher: divan::Bencher, name: &str) {
    let (a, b) = bytes(name);
    bencher.bench(|| (parse(&a), parse(&b)));
}

#[divan::bench(args = ["github", "okta", "stripe"], sample_count = 5)]
fn load(bencher: divan::Bencher, name: &str) {
    let (a, b) = bytes(name);
    let o = LoadOptions::default();
    bencher.bench(|| {
        (
            spec::load_bytes("a", &a, None, &o).expect("corpus loads"),
            spec::load_bytes("b", &b, None, &o).expect("corpus loads"),
        )
    });
}

#[divan::bench(args = ["github", "okta", "stripe"], sample_count = 5)]
fn compare(bencher: divan::Bencher, name: &str) {
    let (a, b) = bytes(name);
    let o = LoadOptions::default();
    let (a, b) = (
        spec::load_bytes("a", &a, None, &o).expect("corpus loads"),
        spec::load_bytes("b", &b, None, &o).expect("corpus loads"),
    );
    let opts = DiffOptions::default();
    bencher.bench(|| diff::compare(&a.api, &b.api, &opts));
}

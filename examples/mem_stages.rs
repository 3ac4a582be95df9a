//! Heap bytes by stage of a diff (a counting allocator): what the parsed tree, the model
//! and the position index cost. Usage: cargo run --release --example mem_stages -- FILE
use apidrift::spec::{self, LoadOptions};

#[path = "support/counting.rs"]
mod counting;

#[global_allocator]
static A: counting::Counting = counting::Counting;

fn mib(n: usize) -> String {
    format!("{:.1} MiB", n as f64 / 1048576.0)
}
fn stage(name: &str) {
    println!(
        "{name:<28} live {:>10}  peak {:>10}",
        mib(counting::live()),
        mib(counting::peak())
    );
    counting::reset_peak();
}

fn main() {
    let path = std::env::args().nth(1).expect("FILE");
    let bytes = std::fs::read(&path).expect("readable");
    stage("read");
    let v: serde_json::Value = serde_json::from_slice(&bytes).unwrap_or_default();
    stage("parse-only Value");
    drop(v);
    stage("dropped Value");
    let l = spec::load_bytes(&path, &bytes, None, &LoadOptions::default()).expect("loads");
    stage("load (model kept)");
    println!(
        "  schemas {} x {} B = {}",
        l.api.schemas.len(),
        std::mem::size_of::<apidrift::model::Schema>(),
        mib(l.api.schemas.capacity() * std::mem::size_of::<apidrift::model::Schema>())
    );
    let p = l
        .api
        .operations
        .values()
        .next()
        .map(|o| o.pointer.clone())
        .unwrap_or_default();
    let _ = l.locate(&p);
    stage("position index built");
}

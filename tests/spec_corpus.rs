//! Loads every spec of the shared vendor corpus and checks facts confirmed by hand.

use apidrift::model::{Method, OpKey};
use apidrift::spec::{self, LoadOptions, Loaded};
use serde::de::IgnoredAny;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

fn corpus_dir() -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus");
    assert!(
        dir.join("MANIFEST.tsv").is_file(),
        "the shared corpus is missing at {}",
        dir.display()
    );
    dir
}

fn load(rel: &str) -> Loaded {
    let path = corpus_dir().join(rel);
    spec::load(path.to_str().expect("utf-8 path"), &LoadOptions::default())
        .unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// Counts distinct operations (method keys under `paths` and `webhooks`, with path
/// parameter names ignored) of the raw document, independently of the reader.
fn raw_operation_count(loaded: &Loaded) -> usize {
    // An independent, typed parse of the text that ignores everything below the keys of
    // each path item (so huge integers or odd nodes elsewhere do not matter).
    type Items = BTreeMap<String, BTreeMap<String, IgnoredAny>>;
    #[derive(serde::Deserialize)]
    struct Raw {
        paths: Option<Items>,
        webhooks: Option<Items>,
    }
    let raw: Raw = match loaded.format {
        spec::Format::Json => serde_json::from_str(&loaded.text).unwrap(),
        spec::Format::Yaml => serde_yaml::from_str(&loaded.text).unwrap(),
    };
    let mut ops = std::collections::BTreeSet::new();
    for (prefix, items) in [("", raw.paths), ("webhook:", raw.webhooks)] {
        for (path, item) in items.into_iter().flatten() {
            for m in item.keys().filter_map(|k| Method::parse(k)) {
                ops.insert(OpKey::new(m, &format!("{prefix}{path}")));
            }
        }
    }
    ops.len()
}

#[test]
fn every_corpus_file_loads_with_all_its_operations() {
    let manifest = std::fs::read_to_string(corpus_dir().join("MANIFEST.tsv")).unwrap();
    let mut files = 0;
    for line in manifest.lines().skip(1) {
        let cols: Vec<&str> = line.split('\t').collect();
        let rel = cols[1];
        let loaded = load(rel);
        files += 1;
        assert_eq!(
            loaded.api.operations.len(),
            raw_operation_count(&loaded),
            "{rel}: operation count"
        );
        let num_paths: usize = cols[9].parse().unwrap();
        let plain_paths = loaded
            .api
            .paths
            .keys()
            .filter(|p| !p.starts_with("webhook:"))
            .count();
        assert!(plain_paths <= num_paths, "{rel}");
        assert!(loaded.digest.starts_with("sha256:") && loaded.digest.len() == 71);
        let warnings = loaded.diagnostics.len();
        eprintln!(
            "{rel}: {} ops, {} schemas, {} components, {warnings} warnings",
            loaded.api.operations.len(),
            loaded.api.schemas.len(),
            loaded.api.component_schemas.len()
        );
    }
    assert_eq!(files, 36);
}

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

#[test]
fn facts_checked_by_hand_in_the_corpus() {
    // okta 2024-06: `/api/v1/users/{userId}` has a get (line 18336 of the YAML).
    let okta = load("okta/okta-2024-06-28-ce090683f5.yaml");
    let get_user = okta
        .api
        .operations
        .get(&OpKey::new(Method::Get, "/api/v1/users/{id}"))
        .expect("GET /api/v1/users/{} in okta");
    assert_eq!(get_user.path, "/api/v1/users/{userId}");
    let (line, col) = okta.locate(&get_user.pointer).expect("okta op located");
    let text = okta.text.lines().nth(line as usize - 1).unwrap();
    assert_eq!(text.trim(), "get:", "line {line}");
    assert_eq!(col, 5);
    assert_eq!(
        okta.locate("/paths/~1api~1v1~1users~1{userId}"),
        Some((18336, 3))
    );

    // GitHub 2023-06: `nullable-simple-user` is `type: object, nullable: true`.
    let gh = load("github/github-2023-06-09-7afde56c60.json");
    let id = gh.api.component_schemas["nullable-simple-user"];
    let s = gh.api.schema(id);
    assert!(s.nullable && s.types.contains(&apidrift::model::Type::Object));
    assert_eq!(s.ref_name.as_deref(), Some("nullable-simple-user"));
    // Every operation pointer lands on its method key.
    for op in gh.api.operations.values() {
        let (line, _) = gh.locate(&op.pointer).expect("located");
        let text = gh.text.lines().nth(line as usize - 1).unwrap();
        assert!(
            text.trim_start()
                .starts_with(&format!("\"{}\":", op.method.key())),
            "{} at line {line}: {text}",
            op.pointer
        );
    }

    // Slack 2019 puts an array under `items` in 27 schema places (29 `items` arrays in
    // the file, two of them inside `examples`): each is one warning; nothing is lost.
    let slack = load("slack/slack-2019-07-17-6c7e787854.json");
    let items: Vec<_> = slack
        .diagnostics
        .iter()
        .filter_map(|d| d.pointer.as_deref())
        .filter(|p| p.ends_with("/items"))
        .collect();
    assert_eq!(items.len(), 27, "{items:?}");
    assert!(items.contains(&"/definitions/objs_user/items"));
    assert!(!items.iter().any(|p| p.contains("/examples/")));
}

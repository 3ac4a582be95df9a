//! The `sarif` format: SARIF 2.1.0 with one run, `tool.driver.rules` from the rule
//! catalog and one result per change (level, message, a physical location with a
//! region when the line is known, a logical location for the endpoint, and the
//! fingerprint as a partial fingerprint so code-scanning dedupes across runs).
//! Must not: include anything that varies between runs (no timestamps, no absolute
//! paths beyond what the user passed).

use super::Entry;
use crate::diff::Level;
use crate::diff::rules::{self, Rule};
use serde_json::{Map, Value, json};
use std::collections::HashMap;

const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

/// Renders with the whole rule catalog as `tool.driver.rules`.
pub fn render(entries: &[Entry]) -> String {
    render_with_rules(entries, &rules::all())
}

fn sarif_level(level: Level) -> &'static str {
    match level {
        Level::Err => "error",
        Level::Warn => "warning",
        Level::Info => "note",
        Level::None => "none",
    }
}

/// Renders with `catalog` as `tool.driver.rules` (tests pass a fixed list so their
/// snapshots do not move when rules are added).
pub fn render_with_rules(entries: &[Entry], catalog: &[&Rule]) -> String {
    let index: HashMap<&str, usize> = catalog.iter().enumerate().map(|(i, r)| (r.id, i)).collect();
    let rules: Vec<Value> = catalog
        .iter()
        .map(|r| {
            json!({
                "id": r.id,
                "shortDescription": { "text": r.description },
                "defaultConfiguration": { "level": sarif_level(r.level) },
                "properties": {
                    "direction": r.direction.as_str(),
                    "kind": r.kind,
                    "action": r.action,
                    "template": r.template,
                    "ours": r.ours,
                },
            })
        })
        .collect();
    let results: Vec<Value> = entries
        .iter()
        .map(|e| {
            let c = &e.change;
            let mut result = Map::new();
            result.insert("ruleId".into(), json!(c.id));
            if let Some(i) = index.get(c.id.as_str()) {
                result.insert("ruleIndex".into(), json!(i));
            }
            result.insert("level".into(), json!(sarif_level(c.level)));
            let text = match &c.comment {
                Some(comment) => format!("{} ({comment})", c.text),
                None => c.text.clone(),
            };
            result.insert("message".into(), json!({ "text": text }));
            let mut location = Map::new();
            if let Some(s) = e.primary_source() {
                let mut physical = Map::new();
                physical.insert("artifactLocation".into(), json!({ "uri": uri(&s.file) }));
                if let Some(line) = s.line {
                    let mut region = Map::new();
                    region.insert("startLine".into(), json!(line));
                    if let Some(col) = s.column {
                        region.insert("startColumn".into(), json!(col));
                    }
                    physical.insert("region".into(), Value::Object(region));
                }
                location.insert("physicalLocation".into(), Value::Object(physical));
            }
            location.insert(
                "logicalLocations".into(),
                json!([{ "fullyQualifiedName": e.endpoint(), "kind": "resource" }]),
            );
            result.insert("locations".into(), json!([Value::Object(location)]));
            result.insert(
                "partialFingerprints".into(),
                json!({ "apidrift/v1": c.fingerprint }),
            );
            Value::Object(result)
        })
        .collect();
    let doc = json!({
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {
                "driver": {
                    "name": "apidrift",
                    "version": env!("CARGO_PKG_VERSION"),
                    "rules": rules,
                }
            },
            "results": results,
        }]
    });
    // A Value built from strings, numbers and booleans always serialises.
    let mut s = serde_json::to_string_pretty(&doc).unwrap_or_default();
    s.push('\n');
    s
}

/// A file name as a URI reference: relative paths stay relative (code scanning
/// resolves them against the checkout); separators become `/`; characters that are
/// not allowed in a URI are percent-encoded.
fn uri(file: &str) -> String {
    if file.starts_with("http://") || file.starts_with("https://") {
        return file.to_string();
    }
    let mut out = String::with_capacity(file.len());
    for b in file.replace('\\', "/").bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/:@!$&'()*+,;=".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

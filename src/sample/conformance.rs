//! Checks a sample's shape against the spec's response schema of its operation:
//! documented required fields missing in reality, and fields the spec does not
//! document. Must not: compare with a baseline (that is `compare`).
//!
//! Findings:
//! - `sample-required-field-missing`: documented as required, absent from some items
//!   that have its parent (WARN and at risk when consumed, else INFO);
//! - `sample-field-undocumented`: present in the sample, not in the schema (INFO; the
//!   topmost such path only);
//! - `sample-response-undocumented`: the spec has no JSON schema for this operation and
//!   status, or none at the sample's `items` pointer, so nothing can be checked (INFO).

use super::SampleFinding;
use super::infer::Shape;
use crate::diff::Level;
use crate::impact::FieldState;
use crate::impact::contract::parse_operation;
use crate::impact::item;
use crate::impact::walk::{self, is_prefix};
use crate::model::{Api, OpKey, SchemaId};
use std::collections::BTreeSet;

/// Nesting followed through the documented schema.
const MAX_SCHEMA_DEPTH: usize = 16;

/// Checks `shape`, sampled from `operation` (`METHOD /path`) answering `status`, against
/// `api`. `items` is the JSON Pointer the shape's items were taken at (as given to
/// `infer`); the schema is followed to the same place (`impact::item::item_at`).
/// `consumed` are the item-rooted paths the fetcher reads.
pub fn conformance(
    shape: &Shape,
    api: &Api,
    operation: &str,
    status: &str,
    items: &str,
    consumed: &[String],
) -> Vec<SampleFinding> {
    let scope = parse_operation(operation);
    let op = scope
        .as_ref()
        .and_then(|(m, p)| api.operations.get(&OpKey::new(*m, p)));
    let schema = op.and_then(|op| {
        let class = format!("{}XX", status.chars().next().unwrap_or('2'));
        let resp = op
            .responses
            .get(status)
            .or_else(|| op.responses.get(&class))
            .or_else(|| op.responses.get(&class.to_lowercase()))
            .or_else(|| op.responses.get("default"))?;
        resp.content
            .get("application/json")
            .or_else(|| {
                resp.content
                    .iter()
                    .find(|(m, _)| m.contains("json"))
                    .map(|(_, v)| v)
            })?
            .schema
    });
    let scoped = |f: SampleFinding| match &scope {
        Some((m, p)) => f.with_operation(*m, p),
        None => f,
    };
    let Some(body) = schema else {
        return vec![scoped(SampleFinding::new(
            "sample-response-undocumented",
            Level::Info,
            None,
            false,
            None,
            format!(
                "the spec documents no JSON body for {} {status}",
                operation.trim()
            ),
        ))];
    };
    let is_consumed = |p: &str| consumed.iter().any(|c| is_prefix(p, c) || is_prefix(c, p));
    let Ok(item) = item::item_at(api, body, items) else {
        return vec![scoped(SampleFinding::new(
            "sample-response-undocumented",
            Level::Info,
            None,
            false,
            None,
            format!(
                "the spec documents no list or object at `{items}` in the JSON body of {} {status}",
                operation.trim()
            ),
        ))];
    };
    let roots = item.roots;
    let mut out = Vec::new();

    let mut required = Vec::new();
    required_paths(api, &roots, "", 0, &mut Vec::new(), &mut required);
    for path in required {
        let parent_present = match walk::split_last(&path) {
            Some(("", _)) | None => shape.items,
            Some((parent, _)) => shape.fields.get(parent).map_or(0, |f| f.present),
        };
        let present = shape.fields.get(&path).map_or(0, |f| f.present);
        if parent_present > 0 && present < parent_present {
            let c = is_consumed(&path);
            out.push(scoped(SampleFinding::new(
                "sample-required-field-missing",
                if c { Level::Warn } else { Level::Info },
                Some(&path),
                c,
                c.then_some(FieldState::AtRisk),
                format!("`{path}` is documented as required but missing in {} of {parent_present} items", parent_present - present),
            )));
        }
    }

    let mut undocumented: Vec<&str> = Vec::new();
    for path in shape.fields.keys() {
        if undocumented.iter().any(|u| is_prefix(u, path)) {
            continue;
        }
        let Ok(steps) = walk::parse_path(path) else {
            continue;
        };
        if walk::walk(api, &roots, &steps).is_err() {
            undocumented.push(path);
            let c = is_consumed(path);
            out.push(scoped(SampleFinding::new(
                "sample-field-undocumented",
                Level::Info,
                Some(path),
                c,
                None,
                format!("`{path}` is in the response but not in the spec"),
            )));
        }
    }
    out.sort_by(|a, b| (&a.field, &a.id).cmp(&(&b.field, &b.id)));
    out
}

/// Collects the item-rooted paths documented as required, following required objects
/// and arrays down to `MAX_SCHEMA_DEPTH`, each schema once per chain.
fn required_paths(
    api: &Api,
    roots: &[SchemaId],
    prefix: &str,
    depth: usize,
    chain: &mut Vec<SchemaId>,
    out: &mut Vec<String>,
) {
    if depth >= MAX_SCHEMA_DEPTH {
        return;
    }
    let mut all = Vec::new();
    let mut seen = BTreeSet::new();
    for &r in roots {
        walk::expand(api, r, &mut all, &mut seen);
    }
    // Only allOf-merged schemas bind: a oneOf branch's `required` holds for that
    // branch alone, so it is not checked against every item.
    let mut bound = Vec::new();
    let mut bseen = BTreeSet::new();
    for &r in roots {
        all_of_closure(api, r, &mut bound, &mut bseen);
    }
    let mut names: BTreeSet<&String> = BTreeSet::new();
    for &id in &bound {
        names.extend(api.schema(id).required.iter());
    }
    for name in names {
        let path = walk::join(prefix, name);
        let targets: Vec<SchemaId> = all
            .iter()
            .filter_map(|&id| api.schema(id).properties.get(name).copied())
            .collect();
        if targets.is_empty() || out.len() >= 4096 {
            continue;
        }
        out.push(path.clone());
        if targets.iter().any(|t| chain.contains(t)) {
            continue;
        }
        chain.extend(&targets);
        required_paths(api, &targets, &path, depth + 1, chain, out);
        let items: Vec<SchemaId> = targets
            .iter()
            .filter_map(|&t| api.schema(t).items)
            .collect();
        if !items.is_empty() {
            required_paths(api, &items, &format!("{path}[]"), depth + 1, chain, out);
        }
        chain.truncate(chain.len() - targets.len());
    }
}

fn all_of_closure(api: &Api, id: SchemaId, out: &mut Vec<SchemaId>, seen: &mut BTreeSet<SchemaId>) {
    let mut stack = vec![id];
    while let Some(id) = stack.pop() {
        if id.0 as usize >= api.schemas.len() || !seen.insert(id) {
            continue;
        }
        out.push(id);
        stack.extend(api.schema(id).all_of.iter().rev());
    }
}

//! Field paths and how they walk a spec's schemas: `profile.login`, `roles[].name`,
//! `[].id`, `settings.*` (any key of a map). Also picks an operation's success JSON
//! body ("the item" inside it is `impact::item`). Shared by `resolve`, `item` and
//! `sample::conformance`. Must not: report (callers turn a `Miss` into a diagnostic or
//! a finding).

use crate::model::{AdditionalProperties, Api, Operation, SchemaId, Type};
use std::collections::BTreeSet;

/// One step of a field path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    /// A named property.
    Prop(String),
    /// `[]`: the items of an array.
    Items,
    /// `*`: any key of an object (a map, or a key elided for privacy).
    Any,
}

/// Parses a dotted path with `[]` array steps. The empty path is the root.
pub fn parse_path(path: &str) -> Result<Vec<Step>, String> {
    let mut steps = Vec::new();
    if path.is_empty() {
        return Ok(steps);
    }
    for (i, seg) in path.split('.').enumerate() {
        let mut name = seg;
        let mut arrays = 0;
        while let Some(rest) = name.strip_suffix("[]") {
            name = rest;
            arrays += 1;
        }
        if name.contains('[') || name.contains(']') {
            return Err(format!("`{seg}`: `[]` may only end a segment"));
        }
        match name {
            "" if i == 0 && arrays > 0 => {}
            "" => return Err(format!("empty segment in `{path}`")),
            "*" => steps.push(Step::Any),
            n => steps.push(Step::Prop(n.to_string())),
        }
        steps.extend(std::iter::repeat_n(Step::Items, arrays));
    }
    Ok(steps)
}

/// Joins an item prefix (`""`, `"[]"`, `"data[]"`) and an item-rooted path.
pub fn join(prefix: &str, path: &str) -> String {
    if prefix.is_empty() {
        path.to_string()
    } else if path.is_empty() || path.starts_with('[') {
        format!("{prefix}{path}")
    } else {
        format!("{prefix}.{path}")
    }
}

/// The path of the object holding the last property of `path` (`a.b[].c` → `a.b[]`),
/// and that property's name. `None` for a path that does not end with a name.
pub fn split_last(path: &str) -> Option<(&str, &str)> {
    match path.rfind('.') {
        Some(i) => {
            let last = &path[i + 1..];
            (!last.contains('[')).then_some((&path[..i], last))
        }
        None => (!path.contains('[')).then_some(("", path)),
    }
}

/// True when `ancestor` equals `path` or is a path prefix of it on a step boundary
/// (`a` is a prefix of `a.b` and `a[].b`, not of `ab`). The empty path is the root and
/// a prefix of everything.
pub fn is_prefix(ancestor: &str, path: &str) -> bool {
    if ancestor.is_empty() || ancestor == path {
        return true;
    }
    path.strip_prefix(ancestor)
        .is_some_and(|rest| rest.starts_with('.') || rest.starts_with('['))
}

/// The largest number of schemas one walk keeps in flight (oneOf fan-out is bounded).
const MAX_FRONTIER: usize = 256;

/// `id` plus every schema it is merged with or may be: `allOf` members (the same
/// instance) and `oneOf`/`anyOf` branches (a field found in any branch counts),
/// transitively, each once.
pub fn expand(api: &Api, id: SchemaId, out: &mut Vec<SchemaId>, seen: &mut BTreeSet<SchemaId>) {
    let mut stack = vec![id];
    while let Some(id) = stack.pop() {
        if id.0 as usize >= api.schemas.len() || !seen.insert(id) || out.len() >= MAX_FRONTIER {
            continue;
        }
        out.push(id);
        let s = api.schema(id);
        stack.extend(s.all_of.iter().rev());
        stack.extend(s.one_of.iter().rev());
        stack.extend(s.any_of.iter().rev());
    }
}

fn expand_all(api: &Api, roots: &[SchemaId]) -> Vec<SchemaId> {
    let mut out = Vec::new();
    let mut seen = BTreeSet::new();
    for &r in roots {
        expand(api, r, &mut out, &mut seen);
    }
    out
}

/// What a walk found at the end of a path.
#[derive(Debug, Clone, PartialEq)]
pub struct Found {
    /// The schemas the path may denote (several through oneOf/anyOf).
    pub schemas: Vec<SchemaId>,
    /// Union of their declared types (empty: any type).
    pub types: BTreeSet<Type>,
    pub nullable: bool,
    /// The last step was a property some parent lists as required.
    pub required: bool,
}

/// Where a walk stopped: the index of the step that found nothing, and the property
/// names that were available there (for suggestions).
#[derive(Debug, Clone, PartialEq)]
pub struct Miss {
    pub step: usize,
    pub candidates: Vec<String>,
}

/// Walks `steps` from `roots`.
pub fn walk(api: &Api, roots: &[SchemaId], steps: &[Step]) -> Result<Found, Miss> {
    let mut frontier: Vec<SchemaId> = roots.to_vec();
    let mut required = false;
    for (i, step) in steps.iter().enumerate() {
        let expanded = expand_all(api, &frontier);
        let mut next = Vec::new();
        required = false;
        for &id in &expanded {
            let s = api.schema(id);
            match step {
                Step::Prop(name) => {
                    if let Some(&t) = s.properties.get(name) {
                        next.push(t);
                        required |= s.required.contains(name);
                    } else if let Some(AdditionalProperties::Schema(t)) = s.additional_properties
                        && s.properties.is_empty()
                    {
                        // A pure map documents every key.
                        next.push(t);
                    }
                }
                Step::Any => {
                    if let Some(AdditionalProperties::Schema(t)) = s.additional_properties {
                        next.push(t);
                    }
                    next.extend(s.extra().pattern_properties.values());
                }
                Step::Items => next.extend(s.items),
            }
        }
        next.sort();
        next.dedup();
        next.truncate(MAX_FRONTIER);
        if next.is_empty() {
            let mut candidates: Vec<String> = expanded
                .iter()
                .flat_map(|&id| api.schema(id).properties.keys().cloned())
                .collect();
            candidates.sort();
            candidates.dedup();
            return Err(Miss {
                step: i,
                candidates,
            });
        }
        frontier = next;
    }
    let all = expand_all(api, &frontier);
    let mut types = BTreeSet::new();
    let mut nullable = false;
    for &id in &all {
        let s = api.schema(id);
        types.extend(s.types.iter().copied());
        nullable |= s.nullable;
    }
    Ok(Found {
        schemas: frontier,
        types,
        nullable,
        required,
    })
}

/// An operation's success JSON body: the lowest 2xx status (`200` before `2XX`) that
/// has a JSON media type with a schema (`application/json` first, then any `*json*`).
pub fn success_body(op: &Operation) -> Option<(String, String, SchemaId)> {
    let mut statuses: Vec<&String> = op.responses.keys().filter(|s| s.starts_with('2')).collect();
    statuses.sort_by_key(|s| (!s.bytes().all(|b| b.is_ascii_digit()), s.as_str()));
    for status in statuses {
        let content = &op.responses[status].content;
        let json = content
            .get_key_value("application/json")
            .into_iter()
            .chain(content.iter().filter(|(m, _)| m.contains("json")));
        for (media, mt) in json {
            if let Some(schema) = mt.schema {
                return Some((status.clone(), media.clone(), schema));
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_parse_into_steps() {
        use Step::*;
        assert_eq!(parse_path("").unwrap(), vec![]);
        assert_eq!(
            parse_path("roles[].name").unwrap(),
            vec![Prop("roles".into()), Items, Prop("name".into())]
        );
        assert_eq!(parse_path("[].id").unwrap(), vec![Items, Prop("id".into())]);
        assert_eq!(
            parse_path("m[][].*").unwrap(),
            vec![Prop("m".into()), Items, Items, Any]
        );
        assert!(parse_path("a..b").is_err());
        assert!(parse_path("a[0]").is_err());
        assert!(parse_path(".a").is_err());
    }

    #[test]
    fn prefixes_respect_step_boundaries() {
        assert!(is_prefix("", "a"));
        assert!(is_prefix("a", "a.b"));
        assert!(is_prefix("a", "a[].b"));
        assert!(is_prefix("data[]", "data[].id"));
        assert!(!is_prefix("a", "ab"));
        assert!(!is_prefix("a.b", "a"));
        assert_eq!(join("data[]", "profile.login"), "data[].profile.login");
        assert_eq!(join("[]", "id"), "[].id");
        assert_eq!(join("", "id"), "id");
        assert_eq!(split_last("a.b[].c"), Some(("a.b[]", "c")));
        assert_eq!(split_last("c"), Some(("", "c")));
        assert_eq!(split_last("a[]"), None);
    }
}

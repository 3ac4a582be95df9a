//! Checks a consumes contract against a spec and records, for every consumed field,
//! the body-rooted path the diff writes (`data[].profile.login` for item field
//! `profile.login` of a `{data: [...]}` body) so change args match exactly. Where the
//! item sits is `impact::item`'s decision (or the contract's `item:`).
//! Must not: compare versions (that is `assess`) or read files.

use super::contract::{Consumes, Entity, Pagination, parse_operation};
use super::item::{self, Item, ItemMiss, ItemRule};
use super::names::suggest;
use super::walk::{self, Step};
use crate::diagnostic::Diagnostic;
use crate::model::{Api, Method, OpKey, Type};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

/// A contract resolved against one spec (the baseline). Serializable so a baseline can
/// keep it beside the spec it was resolved against.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Resolved {
    pub operations: Vec<ResolvedOperation>,
    /// Problems that do not stop the contract from resolving (an item that the fields
    /// would fit in several places), with pointers into the contract.
    #[serde(skip)]
    pub warnings: Vec<Diagnostic>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ResolvedOperation {
    /// `METHOD /path` as written in the contract.
    pub name: String,
    pub method: Method,
    /// The path template as written in the spec.
    pub path: String,
    pub key: OpKey,
    pub entity: Entity,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pagination: Option<Pagination>,
    /// The success status and JSON media type the fields were resolved in.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub media_type: Option<String>,
    /// Body-rooted path of the item: `""`, `"[]"`, `"data[]"` (or `"user"` for
    /// `item: /user`).
    pub item_prefix: String,
    /// JSON Pointer of the value holding the item (`/`, `/data`): the default `items`
    /// of a sample of this operation.
    #[serde(default = "body_pointer")]
    pub item_pointer: String,
    /// How the item was chosen.
    #[serde(default)]
    pub item_rule: ItemRule,
    pub fields: Vec<ResolvedField>,
    pub deprecated: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sunset: Option<String>,
    /// Security schemes the operation may use (its own or the root's).
    pub security_schemes: BTreeSet<String>,
    /// The operation has no `security` of its own and follows the root's.
    pub inherits_root_security: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ResolvedField {
    /// The item-rooted path as written in the contract.
    pub path: String,
    /// The body-rooted path as the diff writes property args.
    pub body_path: String,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub undocumented: bool,
    /// Documented types (empty: any, or undocumented).
    pub types: BTreeSet<Type>,
    pub nullable: bool,
    pub required: bool,
}

impl Resolved {
    /// The resolved operation a change or sample of `method path` belongs to.
    pub fn operation(&self, method: Method, path: &str) -> Option<&ResolvedOperation> {
        let key = OpKey::new(method, path);
        self.operations.iter().find(|o| o.key == key)
    }

    /// What the diff must report per operation however deep it sits
    /// (`DiffOptions::watched`): each consumed operation's documented fields and its
    /// pagination cursor field, as body-rooted paths.
    pub fn watched(&self) -> BTreeMap<OpKey, Vec<String>> {
        let mut out: BTreeMap<OpKey, Vec<String>> = BTreeMap::new();
        for o in &self.operations {
            let paths = out.entry(o.key.clone()).or_default();
            paths.extend(
                o.fields
                    .iter()
                    .filter(|f| !f.undocumented)
                    .map(|f| f.body_path.clone()),
            );
            if let Some(c) = o.pagination.as_ref().and_then(|p| p.cursor_field.as_ref()) {
                paths.push(c.clone());
            }
            paths.sort();
            paths.dedup();
        }
        out
    }

    /// Every consumed field, counted once per operation.
    pub fn field_count(&self) -> usize {
        self.operations.iter().map(|o| o.fields.len()).sum()
    }
}

fn body_pointer() -> String {
    "/".to_string()
}

/// Renders steps back into path syntax.
pub fn render_steps(steps: &[Step]) -> String {
    let mut out = String::new();
    for s in steps {
        let name = match s {
            Step::Items => {
                out.push_str("[]");
                continue;
            }
            Step::Prop(n) => n.as_str(),
            Step::Any => "*",
        };
        if !out.is_empty() {
            out.push('.');
        }
        out.push_str(name);
    }
    out
}

/// Resolves every operation and field of `consumes` against `api`. All problems are
/// reported at once; diagnostics carry a JSON Pointer into the contract
/// (`/consumes/0/fields/3`) that the monitor loader maps to `file:line:col`.
pub fn resolve(consumes: &Consumes, api: &Api) -> Result<Resolved, Vec<Diagnostic>> {
    let mut diags = Vec::new();
    let mut out = Resolved::default();
    for (i, c) in consumes.0.iter().enumerate() {
        let at = format!("/consumes/{i}");
        let Some((method, path)) = parse_operation(&c.operation) else {
            diags.push(
                Diagnostic::error(
                    "consumes-bad-operation",
                    format!("`{}` is not `METHOD /path`", c.operation),
                )
                .at_pointer(format!("{at}/operation"))
                .with_help("write the method and the path template, e.g. `GET /api/v1/users`"),
            );
            continue;
        };
        let key = OpKey::new(method, &path);
        let Some(op) = api.operations.get(&key) else {
            diags.push(unknown_operation(api, method, &path, &c.operation, &at));
            continue;
        };
        let body = walk::success_body(op);
        let documented: Vec<Vec<Step>> = c
            .fields
            .iter()
            .filter(|f| !f.undocumented)
            .filter_map(|f| walk::parse_path(&f.path).ok().filter(|s| !s.is_empty()))
            .collect();
        let item = match (&body, c.item.as_deref()) {
            (Some((_, _, schema)), Some(p)) => match item::item_at(api, *schema, p) {
                Ok(i) => i,
                Err(miss) => {
                    diags.push(bad_item(&miss, p, &c.operation, &at));
                    continue;
                }
            },
            (Some((_, _, schema)), None) => item::item_for(api, *schema, &documented),
            (None, Some(p)) => {
                diags.push(
                    Diagnostic::error(
                        "consumes-bad-item",
                        format!(
                            "`item: {p}`: {} has no JSON success (2xx) response to find the item in",
                            c.operation.trim()
                        ),
                    )
                    .at_pointer(format!("{at}/item"))
                    .with_help("remove `item`; a sample's `items` says where its items are"),
                );
                continue;
            }
            (None, None) => Item::bodiless(),
        };
        if !item.also.is_empty() {
            out.warnings.push(ambiguous_item(&item, &c.operation, &at));
        }
        let Item {
            prefix: item_prefix,
            pointer: item_pointer,
            roots,
            rule: item_rule,
            ..
        } = item;
        let mut schemes = BTreeSet::new();
        for req in op.security.as_ref().unwrap_or(&api.security) {
            schemes.extend(req.keys().cloned());
        }
        let mut r = ResolvedOperation {
            name: c.operation.trim().to_string(),
            method,
            path: op.path.clone(),
            key,
            entity: c.entity,
            pagination: c.pagination.clone(),
            status: body.as_ref().map(|b| b.0.clone()),
            media_type: body.as_ref().map(|b| b.1.clone()),
            item_prefix: item_prefix.clone(),
            item_pointer,
            item_rule,
            fields: Vec::new(),
            deprecated: op.deprecated,
            sunset: op.sunset.clone(),
            security_schemes: schemes,
            inherits_root_security: op.security.is_none(),
        };
        let mut seen = BTreeSet::new();
        for (j, f) in c.fields.iter().enumerate() {
            let fat = format!("{at}/fields/{j}");
            if !seen.insert(f.path.clone()) {
                continue;
            }
            let steps = match walk::parse_path(&f.path) {
                Ok(s) if !s.is_empty() => s,
                Ok(_) => {
                    diags.push(
                        Diagnostic::error("consumes-bad-field", "a consumed field path is empty")
                            .at_pointer(fat),
                    );
                    continue;
                }
                Err(e) => {
                    diags.push(
                        Diagnostic::error("consumes-bad-field", format!("bad field path: {e}"))
                            .at_pointer(fat)
                            .with_help("dotted names, `[]` after a name steps into an array: `roles[].name`"),
                    );
                    continue;
                }
            };
            let body_path = walk::join(&item_prefix, &f.path);
            if f.undocumented {
                r.fields.push(ResolvedField {
                    path: f.path.clone(),
                    body_path,
                    undocumented: true,
                    types: BTreeSet::new(),
                    nullable: false,
                    required: false,
                });
                continue;
            }
            if body.is_none() {
                diags.push(
                    Diagnostic::error(
                        "consumes-no-json-response",
                        format!("{} has no JSON success (2xx) response to read `{}` from", c.operation.trim(), f.path),
                    )
                    .at_pointer(fat)
                    .with_help("declare the field `{path: ..., undocumented: true}` to watch it through samples only"),
                );
                continue;
            }
            match walk::walk(api, &roots, &steps) {
                Ok(found) => r.fields.push(ResolvedField {
                    path: f.path.clone(),
                    body_path,
                    undocumented: false,
                    types: found.types,
                    nullable: found.nullable,
                    required: found.required,
                }),
                Err(miss) => diags.push(unknown_field(&steps, &miss, &c.operation, &fat)),
            }
        }
        out.operations.push(r);
    }
    if diags.is_empty() {
        Ok(out)
    } else {
        Err(diags)
    }
}

fn unknown_operation(api: &Api, method: Method, path: &str, written: &str, at: &str) -> Diagnostic {
    let wanted_path = crate::model::normalize_path(path);
    let mut same_path: Vec<String> = api
        .operations
        .iter()
        .filter(|(k, _)| k.path == wanted_path)
        .map(|(_, o)| format!("{} {}", o.method, o.path))
        .collect();
    let others: Vec<String> = api
        .operations
        .values()
        .filter(|o| o.method == method)
        .map(|o| o.path.clone())
        .collect();
    let near: Vec<String> = suggest(path, others.iter().map(String::as_str), 3)
        .into_iter()
        .map(|p| format!("{method} {p}"))
        .collect();
    same_path.extend(near);
    let mut d = Diagnostic::error(
        "consumes-unknown-operation",
        format!("operation `{}` is not in the spec", written.trim()),
    )
    .at_pointer(format!("{at}/operation"));
    if !same_path.is_empty() {
        d = d.with_help(did_you_mean(&same_path));
    }
    d
}

fn unknown_field(steps: &[Step], miss: &Miss, operation: &str, at: &str) -> Diagnostic {
    let full = render_steps(steps);
    let under = render_steps(&steps[..miss.step]);
    let what = match &steps[miss.step] {
        Step::Prop(n) => format!("`{n}`"),
        Step::Items => "`[]` (not an array)".to_string(),
        Step::Any => "`*` (not a map)".to_string(),
    };
    let place = if under.is_empty() {
        "the item".to_string()
    } else {
        format!("`{under}`")
    };
    let mut d = Diagnostic::error(
        "consumes-unknown-field",
        format!(
            "field `{full}`: no {what} in {place} of {}",
            operation.trim()
        ),
    )
    .at_pointer(at.to_string());
    let wanted = match &steps[miss.step] {
        Step::Prop(n) => Some(n.as_str()),
        _ => None,
    };
    let mut sugg = Vec::new();
    if let Some(w) = wanted {
        for cand in suggest(w, miss.candidates.iter().map(String::as_str), 3) {
            let mut s = steps.to_vec();
            s[miss.step] = Step::Prop(cand);
            sugg.push(render_steps(&s));
        }
    }
    d = if sugg.is_empty() {
        d.with_help("if the API returns it without documenting it, declare `{path: ..., undocumented: true}`")
    } else {
        d.with_help(did_you_mean(&sugg))
    };
    d
}

use super::walk::Miss;

/// The diagnostic of an `item:` that finds no list or item in the body.
fn bad_item(miss: &ItemMiss, written: &str, operation: &str, at: &str) -> Diagnostic {
    let op = operation.trim();
    let (message, help) = match miss {
        ItemMiss::Syntax(e) => (
            format!("`item: {written}` is not a JSON Pointer: {e}"),
            "write a JSON Pointer into the body: `/data` for the items of the array `data`, `/` for the body itself".to_string(),
        ),
        ItemMiss::NoProperty {
            under,
            name,
            candidates,
        } => {
            let near = suggest(name, candidates.iter().map(String::as_str), 3);
            let help = if near.is_empty() {
                if candidates.is_empty() {
                    format!("{} has no properties", item::describe(under))
                } else {
                    format!(
                        "{} has: {}",
                        item::describe(under),
                        candidates
                            .iter()
                            .map(|c| format!("`{c}`"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    )
                }
            } else {
                let base = if under == "/" { "" } else { under.as_str() };
                let options: Vec<String> = near
                    .iter()
                    .map(|n| format!("{base}/{}", n.replace('~', "~0").replace('/', "~1")))
                    .collect();
                did_you_mean(&options)
            };
            let place = if under == "/" {
                String::new()
            } else {
                format!(" under `{under}`")
            };
            (
                format!("`item: {written}`: no `{name}`{place} in the success body of {op}"),
                help,
            )
        }
        ItemMiss::InArray { array } => (
            format!(
                "`item: {written}` steps into the elements of the array at {} in {op}",
                item::describe(array)
            ),
            format!("name the array itself: `item: {array}` means its elements are the items"),
        ),
        ItemMiss::NotContainer { types } => (
            format!(
                "`item: {written}` is a {} in the success body of {op}, not a list (array) or an object",
                types
                    .iter()
                    .map(|t| t.as_str())
                    .collect::<Vec<_>>()
                    .join(" or ")
            ),
            "point at the array whose elements the fetcher reads (`/data`), or at the object it reads (`/`)".to_string(),
        ),
    };
    Diagnostic::error("consumes-bad-item", message)
        .at_pointer(format!("{at}/item"))
        .with_help(help)
}

/// The warning of fields that resolve in several places of the body.
fn ambiguous_item(item: &Item, operation: &str, at: &str) -> Diagnostic {
    let place = |p: &str| match p {
        "/" => "the body itself".to_string(),
        p => format!("the items of `{p}`"),
    };
    let others: Vec<String> = item.also.iter().map(|p| place(p)).collect();
    Diagnostic::warning(
        "consumes-ambiguous-item",
        format!(
            "the fields of {} resolve in {} and also in {}; reading them in {}",
            operation.trim(),
            place(&item.pointer),
            others.join(" and "),
            place(&item.pointer)
        ),
    )
    .at_pointer(format!("{at}/operation"))
    .with_help(format!(
        "say where the item is: `item: {}` keeps this reading; {}",
        item.pointer,
        item.also
            .iter()
            .map(|p| format!("`item: {p}` reads {}", place(p)))
            .collect::<Vec<_>>()
            .join(", ")
    ))
}

fn did_you_mean(options: &[String]) -> String {
    let quoted: Vec<String> = options.iter().map(|o| format!("`{o}`")).collect();
    format!("did you mean {}?", quoted.join(" or "))
}

//! Coverage: which reported `Change` covers a fact difference.
//!
//! Owns: reading a change's operation, site and property path back from its rule id and
//! args (`Scope`), and `Index::cover`. Must not: call anything of `apidrift::diff` but
//! the output types; the layout of args is read from the rule templates
//! (`src/diff/schema/catalog.rs`, `params.rs`, `responses.rs`, `body.rs`):
//!
//! - schema rules: `[property path (property rules only), details..., context]`, the
//!   context being `[media type]` (request body), `[status, media type]` (response
//!   body), `[location, name]` (parameter), `[header name, status]` (response header);
//! - parameter-level rules of `params.rs`: `[location, name, details...]`, except
//!   `new-request-path-parameter`: `[name]`;
//! - response-level rules of `responses.rs`: `[status]` for statuses, `[media type,
//!   status]` for media types, `[from, to, status]` for media type renames, `[header
//!   name, status]` for headers;
//! - request-body-level rules of `body.rs`: no args for the body, `[media type]` for
//!   its media types;
//! - section `components`: `path` `#/components/schemas/<Name>` (or
//!   `#/definitions/<Name>`), no operation, `args[0]` the path inside the component.

use super::classify::{FactDiff, Risk};
use super::flatten::{Dir, Site};
use apidrift::diff::{Change, Level, Section};
use apidrift::model::{OpKey, ParamIn};
use std::collections::BTreeMap;

/// Rules of `params.rs` whose args start with `[location, name]`.
const PARAM_LEVEL_RULES: &[&str] = &[
    "new-required-request-parameter",
    "new-optional-request-parameter",
    "new-required-request-default-parameter-to-existing-path",
    "new-optional-request-default-parameter-to-existing-path",
    "request-parameter-removed",
    "request-parameter-removed-with-deprecation",
    "request-parameter-became-required",
    "request-parameter-became-optional",
    "request-parameter-deprecated",
    "request-parameter-reactivated",
    "request-parameter-removed-before-sunset",
    "request-parameter-sunset-parse",
    "request-parameter-deprecated-sunset-missing",
    "request-parameter-sunset-date-too-small",
    "request-parameter-sunset-date-changed-too-small",
    "request-parameter-sunset-deleted",
    "request-parameter-serialization-changed",
    "request-parameter-serialization-respelled",
];

/// Rules of `body.rs` about the whole request body (no args).
const REQUEST_BODY_RULES: &[&str] = &[
    "request-body-added-required",
    "request-body-added-optional",
    "request-body-removed",
    "request-body-became-required",
    "request-body-became-optional",
];

/// What part of an operation a change is about. `path: None` is the site's root (an
/// ancestor of every path there).
#[derive(Debug, Clone, PartialEq)]
pub enum Scope {
    /// About the operation, not a schema site (lifecycle, security, tags): covers none.
    None,
    RequestBodyAll,
    RequestBody {
        media_type: String,
        path: Option<String>,
    },
    Param {
        location: String,
        name: String,
        path: Option<String>,
    },
    Status {
        status: String,
    },
    ResponseMedia {
        status: String,
        media_types: Vec<String>,
    },
    ResponseBody {
        status: String,
        media_type: String,
        path: Option<String>,
    },
    Header {
        status: String,
        name: String,
        path: Option<String>,
    },
}

/// Does the rule carry a property path in `args[0]`?
pub fn is_property_rule(id: &str) -> bool {
    id.contains("property") && !id.starts_with("request-body-") && !id.starts_with("response-body-")
}

fn last(args: &[String], from_end: usize) -> String {
    args.len()
        .checked_sub(from_end)
        .and_then(|i| args.get(i))
        .cloned()
        .unwrap_or_default()
}

/// Reads the scope of a change in section `paths`.
pub fn scope(c: &Change) -> Scope {
    let id = c.id.as_str();
    let a = &c.args;
    let path = is_property_rule(id).then(|| a.first().cloned().unwrap_or_default());
    if PARAM_LEVEL_RULES.contains(&id) {
        return Scope::Param {
            location: a.first().cloned().unwrap_or_default(),
            name: a.get(1).cloned().unwrap_or_default(),
            path: None,
        };
    }
    if id == "new-request-path-parameter" {
        return Scope::Param {
            location: "path".into(),
            name: a.first().cloned().unwrap_or_default(),
            path: None,
        };
    }
    if id.starts_with("request-parameter-")
        || id.starts_with("request-header-property-")
        || id == "new-required-request-header-property"
        || (id.starts_with("new-") && id.ends_with("-request-parameter-property"))
    {
        return Scope::Param {
            location: last(a, 2),
            name: last(a, 1),
            path,
        };
    }
    if id == "required-response-header-removed"
        || id == "optional-response-header-removed"
        || id.starts_with("response-header-")
    {
        return Scope::Header {
            name: last(a, 2),
            status: last(a, 1),
            path,
        };
    }
    if id.starts_with("response-success-status-") || id.starts_with("response-non-success-status-")
    {
        return Scope::Status {
            status: a.first().cloned().unwrap_or_default(),
        };
    }
    if id.starts_with("response-media-type-name-") {
        return Scope::ResponseMedia {
            status: last(a, 1),
            media_types: a.iter().take(2).cloned().collect(),
        };
    }
    if matches!(
        id,
        "response-media-type-added"
            | "response-media-type-removed"
            | "response-body-media-type-schema-added"
            | "response-body-media-type-schema-removed"
    ) {
        return Scope::ResponseMedia {
            status: last(a, 1),
            media_types: a.first().cloned().into_iter().collect(),
        };
    }
    if id.starts_with("response-") {
        return Scope::ResponseBody {
            status: last(a, 2),
            media_type: last(a, 1),
            path,
        };
    }
    if REQUEST_BODY_RULES.contains(&id) {
        return Scope::RequestBodyAll;
    }
    if id.starts_with("request-body-media-type-") {
        return Scope::RequestBody {
            media_type: a.first().cloned().unwrap_or_default(),
            path: None,
        };
    }
    if id.starts_with("request-") || (id.starts_with("new-") && id.contains("request-property")) {
        return Scope::RequestBody {
            media_type: last(a, 1),
            path,
        };
    }
    Scope::None
}

/// Is `anc` the path `p` or one of its ancestors (`a` of `a.b`, `a[]`, `a.*`; "" of all)?
pub fn ancestor_or_self(anc: &str, p: &str) -> bool {
    anc.is_empty()
        || anc == p
        || (p.len() > anc.len()
            && p.starts_with(anc)
            && matches!(p.as_bytes()[anc.len()], b'.' | b'['))
}

fn path_covers(change_path: &Option<String>, fact_path: &str) -> bool {
    change_path
        .as_deref()
        .is_none_or(|p| ancestor_or_self(p, fact_path))
}

/// Names a parameter or header site has (as written on either side).
pub struct SiteNames<'a> {
    pub base: Option<&'a str>,
    pub rev: Option<&'a str>,
}

impl SiteNames<'_> {
    fn matches(&self, name: &str) -> bool {
        [self.base, self.rev]
            .into_iter()
            .flatten()
            .any(|n| n.eq_ignore_ascii_case(name))
    }
}

/// Does a change of scope `s` reach site `site` at `path`?
pub fn scope_covers(s: &Scope, site: &Site, names: &SiteNames<'_>, path: &str) -> bool {
    match (s, site) {
        (Scope::None, _) => false,
        (Scope::RequestBodyAll, Site::RequestBody { .. }) => true,
        (
            Scope::RequestBody {
                media_type,
                path: p,
            },
            Site::RequestBody { media_type: m },
        ) => media_type == m && path_covers(p, path),
        (
            Scope::Param {
                location,
                name,
                path: p,
            },
            Site::Param { location: l, .. },
        ) => ParamIn::parse(location) == Some(*l) && names.matches(name) && path_covers(p, path),
        (Scope::Status { status }, _) => site.status() == Some(status.as_str()),
        (
            Scope::ResponseMedia {
                status,
                media_types,
            },
            Site::ResponseBody {
                status: s2,
                media_type,
            },
        ) => status == s2 && media_types.contains(media_type),
        (
            Scope::ResponseBody {
                status,
                media_type,
                path: p,
            },
            Site::ResponseBody {
                status: s2,
                media_type: m,
            },
        ) => status == s2 && media_type == m && path_covers(p, path),
        (
            Scope::Header {
                status,
                name,
                path: p,
            },
            Site::ResponseHeader { status: s2, .. },
        ) => status == s2 && names.matches(name) && path_covers(p, path),
        _ => false,
    }
}

/// A change in section `components`.
#[derive(Debug)]
pub struct CompChange<'a> {
    pub dir: Dir,
    pub path: String,
    pub change: &'a Change,
}

fn component_of(c: &Change) -> Option<(String, CompChange<'_>)> {
    if c.section != Section::Components {
        return None;
    }
    let p = c.path.as_deref()?;
    let name = p
        .strip_prefix("#/components/schemas/")
        .or_else(|| p.strip_prefix("#/definitions/"))?;
    let dir = if c.id.starts_with("request-") || c.id.contains("-request-") {
        Dir::Request
    } else {
        Dir::Response
    };
    Some((
        name.to_string(),
        CompChange {
            dir,
            path: c.args.first().cloned().unwrap_or_default(),
            change: c,
        },
    ))
}

/// The changes of one comparison, indexed for coverage.
pub struct Index<'a> {
    pub by_op: BTreeMap<OpKey, Vec<(&'a Change, Scope)>>,
    pub by_component: BTreeMap<String, Vec<CompChange<'a>>>,
}

/// How a fact difference is covered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Coverage {
    Covered,
    /// Risky, and only INFO changes cover it.
    LevelMiss,
    Miss,
}

impl<'a> Index<'a> {
    pub fn new(changes: &'a [Change]) -> Index<'a> {
        let mut by_op: BTreeMap<OpKey, Vec<(&Change, Scope)>> = BTreeMap::new();
        let mut by_component: BTreeMap<String, Vec<CompChange<'_>>> = BTreeMap::new();
        for c in changes {
            if let Some((name, cc)) = component_of(c) {
                by_component.entry(name).or_default().push(cc);
                continue;
            }
            if let (Some(m), Some(p)) = (c.operation, c.path.as_deref()) {
                by_op
                    .entry(OpKey::new(m, p))
                    .or_default()
                    .push((c, scope(c)));
            }
        }
        Index {
            by_op,
            by_component,
        }
    }

    /// Every change that covers `d` (at `op`), whatever its level.
    pub fn covering(&self, op: &OpKey, d: &FactDiff, names: &SiteNames<'_>) -> Vec<&'a Change> {
        let mut out = Vec::new();
        for (c, s) in self.by_op.get(op).into_iter().flatten() {
            if scope_covers(s, &d.site, names, &d.path) {
                out.push(*c);
            }
        }
        for (comp, rel) in &d.comps {
            for cc in self.by_component.get(comp).into_iter().flatten() {
                if cc.dir == d.site.dir() && ancestor_or_self(&cc.path, rel) {
                    out.push(cc.change);
                }
            }
        }
        out
    }

    pub fn cover(&self, op: &OpKey, d: &FactDiff, names: &SiteNames<'_>) -> Coverage {
        let found = self.covering(op, d, names);
        let need = match d.risk {
            Risk::Risky => Level::Warn,
            Risk::Benign => Level::Info,
        };
        if found.iter().any(|c| c.level >= need) {
            Coverage::Covered
        } else if found.iter().any(|c| c.level >= Level::Info) {
            Coverage::LevelMiss
        } else {
            Coverage::Miss
        }
    }

    /// The changes reported at the same operation and site that came closest to `d`
    /// (longest common path prefix first), else at the operation.
    pub fn closest(&self, op: &OpKey, d: &FactDiff, names: &SiteNames<'_>) -> Vec<&'a Change> {
        let Some(all) = self.by_op.get(op) else {
            return Vec::new();
        };
        let mut same: Vec<(usize, &Change)> = all
            .iter()
            .filter(|(_, s)| scope_covers(&root_of(s), &d.site, names, ""))
            .map(|(c, s)| (common_prefix(scope_path(s), &d.path), *c))
            .collect();
        if same.is_empty() {
            same = all.iter().map(|(c, _)| (0, *c)).collect();
        }
        same.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.id.cmp(&b.1.id)));
        same.into_iter().take(3).map(|(_, c)| c).collect()
    }
}

/// The direction of the site a scope is about (`None`: not a schema site).
pub fn scope_dir(s: &Scope) -> Option<Dir> {
    match s {
        Scope::None => None,
        Scope::RequestBodyAll | Scope::RequestBody { .. } | Scope::Param { .. } => {
            Some(Dir::Request)
        }
        _ => Some(Dir::Response),
    }
}

pub fn scope_path(s: &Scope) -> &str {
    match s {
        Scope::RequestBody { path, .. }
        | Scope::Param { path, .. }
        | Scope::ResponseBody { path, .. }
        | Scope::Header { path, .. } => path.as_deref().unwrap_or(""),
        _ => "",
    }
}

/// The same scope at its site's root (to find changes at a site whatever their path).
pub fn root_of(s: &Scope) -> Scope {
    let mut s = s.clone();
    match &mut s {
        Scope::RequestBody { path, .. }
        | Scope::Param { path, .. }
        | Scope::ResponseBody { path, .. }
        | Scope::Header { path, .. } => *path = None,
        _ => {}
    }
    s
}

fn common_prefix(a: &str, b: &str) -> usize {
    a.bytes().zip(b.bytes()).take_while(|(x, y)| x == y).count()
}

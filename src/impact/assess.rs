//! Judges changes (and sample findings) against a resolved consumes contract: each
//! consumed field ends `ok`, `at_risk` or `lost`, and the integration gets a
//! visibility ratio. Must not: render, or change a level except to raise one that
//! touches a consumed field.
//!
//! Matching: a change belongs to a consumed operation by `OpKey` (path parameter names
//! ignored). A property change at body-rooted path P touches consumed field F when P is
//! F or an ancestor of F (`profile` removed loses `profile.login`); body-level rules
//! (`response-body-*`) concern the root and so every field; operation-level rules
//! (removal, deprecation, new required parameter, security, pagination) concern every
//! field of the operation. A response change naming a status or media type other than
//! the one the fields were resolved in touches nothing.
//!
//! Security is about the call, not the fields: a change of the operation's security
//! requirement, of a scheme it uses or of their scopes is one operation-level risk
//! (`OperationRisk`, `RiskKind::Credential`: the credential may need to change), said
//! once per operation however many fields it has; the fields stay as they are. A
//! rename to a scheme that authenticates the same way (`*-security-*-renamed`) and a
//! reworded scope description touch nothing.
//!
//! Levels: a change that loses a consumed field becomes ERR; one that puts a field at
//! risk becomes at least WARN; one that touches a consumed field without taking
//! anything from its reader (became required, type specialized, reactivated) keeps its
//! level and is marked consumed. Every other change keeps its level and is marked
//! unconsumed (`only_consumed` hides those).

use super::FieldState;
use super::names::similarity;
use super::resolve::{Resolved, ResolvedOperation};
use super::walk;
use crate::diff::{Change, Level};
use crate::model::Api;
use crate::sample::SampleFinding;
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

/// The verdict of one integration.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Verdict {
    /// `(consumed fields not lost) / (consumed fields)`; 1 when nothing is consumed.
    pub visibility: f64,
    pub counts: StateCounts,
    pub operations: Vec<OperationVerdict>,
    /// Every change given, in the order given, with its consumed mark and level.
    pub changes: Vec<AssessedChange>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StateCounts {
    pub ok: usize,
    pub at_risk: usize,
    pub lost: usize,
    pub total: usize,
    /// Operation-level risks (each operation and kind once), beside the fields.
    #[serde(default)]
    pub operation_risks: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OperationVerdict {
    /// `METHOD /path` as written in the contract.
    pub operation: String,
    pub entity: super::Entity,
    pub fields: Vec<FieldVerdict>,
    /// What may go wrong with the call itself, once per kind (absent in states
    /// written before it existed).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub risks: Vec<OperationRisk>,
}

/// What may need to change about calling a consumed operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RiskKind {
    /// Its security requirement, a scheme it uses, or their scopes changed: the
    /// fetcher's credential may need to change (another scheme, a new scope).
    Credential,
}

impl RiskKind {
    pub fn as_str(self) -> &'static str {
        match self {
            RiskKind::Credential => "credential",
        }
    }

    /// What it means for the fetcher, in one line.
    pub fn message(self) -> &'static str {
        match self {
            RiskKind::Credential => "the credential may need to change",
        }
    }
}

/// One operation-level risk and what caused it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OperationRisk {
    pub kind: RiskKind,
    /// `RiskKind::message`, for readers of the JSON.
    pub message: String,
    /// The changes behind it (sorted, each once).
    pub reasons: Vec<Reason>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FieldVerdict {
    /// Item-rooted path as written in the contract.
    pub field: String,
    /// Body-rooted path as the diff writes it.
    pub body_path: String,
    pub state: FieldState,
    /// What put the field in this state (sorted, each once).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub reasons: Vec<Reason>,
    /// For a removed field: an added field of the same type with a similar name in the
    /// same object (item-rooted path).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub possible_rename: Option<String>,
}

/// One cause of a field's state: a diff change or a sample finding.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Reason {
    pub id: String,
    pub fingerprint: String,
    pub effect: FieldState,
}

/// A change with its impact on the contract.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AssessedChange {
    /// The change, with `level` raised when it touches a consumed field.
    #[serde(flatten)]
    pub change: Change,
    /// The level before the contract was applied.
    pub base_level: Level,
    pub consumed: bool,
    /// The worst effect on a consumed field, when consumed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub effect: Option<FieldState>,
    /// `METHOD /path field` of each consumed field touched, or `METHOD /path` of each
    /// consumed operation an operation-level risk is about.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub touches: Vec<String>,
    /// Set when the change is an operation-level risk (not a field effect).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub risk: Option<RiskKind>,
}

/// What a change targets inside one consumed operation.
enum Target {
    /// Every field of the operation.
    All,
    /// Fields at or under this body-rooted path.
    Path(String),
    /// No field: the operation itself (an operation-level risk).
    Operation(RiskKind),
}

/// Property removals: the ids after which a field is simply gone.
const REMOVED: &[&str] = &[
    "response-required-property-removed",
    "response-optional-property-removed",
];

/// Property additions a rename may have produced.
const ADDED: &[&str] = &[
    "response-required-property-added",
    "response-optional-property-added",
];

/// Suffixes (after `response-property-` / `response-body-`, or the whole id) whose
/// change lets a response carry something the reader may not handle.
const AT_RISK_SUFFIXES: &[&str] = &[
    "became-optional",
    "became-nullable",
    "enum-value-added",
    "one-of-added",
    "any-of-added",
    "wrapped-in-one-of",
    // oneOf became anyOf over branches a value can match twice.
    "one-of-became-any-of",
    // The enum was dropped: any value of the type can come back.
    "became-not-enum",
    // A change inside a sub-schema that lets more values through, or that cannot be
    // told either way (`not`, `if`, `contains`, `propertyNames`, `contentSchema`).
    "not-widened",
    "not-changed",
    "if-changed",
    "contains-widened",
    "contains-changed",
    "property-names-widened",
    "property-names-changed",
    "content-schema-widened",
    "content-schema-changed",
    "list-of-types-widened",
    "type-generalized",
    "max-items-decreased",
    "const-changed",
    "const-removed",
    "media-type-schema-removed",
    "deprecated",
    "deprecated-with-sunset",
    "deprecated-sunset-missing",
    "deprecated-sunset-invalid",
    "sunset-date-too-small",
    "stability-decreased",
];

/// Query parameter names that set a page size, used when the contract names none.
const PAGE_SIZE_NAMES: &[&str] = &[
    "limit",
    "page_size",
    "pagesize",
    "per_page",
    "perpage",
    "size",
    "count",
    "max_results",
    "maxresults",
    "top",
    "$top",
    "page[size]",
    "page[limit]",
];

/// A response change that names another status or media type than the consumed one
/// does not concern the consumed fields. Schema rules end their args with the site
/// context, status then media type (`[path, details..., status, media]`).
fn response_scope_matches(c: &Change, op: &ResolvedOperation) -> bool {
    let n = c.args.len();
    if n < 2 {
        return true;
    }
    let (status, media) = (&c.args[n - 2], &c.args[n - 1]);
    let status_ok = match &op.status {
        Some(mine) => status.eq_ignore_ascii_case(mine),
        None => status.starts_with('2'),
    };
    let media_ok = op
        .media_type
        .as_ref()
        .is_none_or(|mine| media.eq_ignore_ascii_case(mine));
    status_ok && media_ok
}

fn schema_effect(id: &str, rest: &str) -> FieldState {
    if REMOVED.contains(&id) || rest == "type-changed" || rest.ends_with("became-write-only") {
        return FieldState::Lost;
    }
    if AT_RISK_SUFFIXES.contains(&rest) {
        return FieldState::AtRisk;
    }
    FieldState::Ok
}

/// The change is about one of the parameters or headers `names`: the diff puts the
/// parameter or header name last (`[details..., location, name]`) or, for response
/// headers, first (`[name, status]`).
fn mentions(c: &Change, names: &[&str]) -> bool {
    [c.args.first(), c.args.last()]
        .into_iter()
        .flatten()
        .any(|a| names.iter().any(|n| a.eq_ignore_ascii_case(n)))
}

/// How `c` affects the consumed operation `op`, if at all.
fn classify(c: &Change, op: &ResolvedOperation) -> Option<(FieldState, Target)> {
    let id = c.id.as_str();
    use FieldState::*;
    let all = |s| Some((s, Target::All));

    if id.starts_with("api-removed-") || id.starts_with("api-path-removed-") {
        return all(Lost);
    }
    match id {
        "response-success-status-removed" => {
            let hit = c.args.is_empty()
                || op
                    .status
                    .as_ref()
                    .is_some_and(|s| c.args.iter().any(|a| a.eq_ignore_ascii_case(s)));
            return hit.then_some((Lost, Target::All));
        }
        "response-media-type-removed" => {
            let hit = c.args.is_empty()
                || op
                    .media_type
                    .as_ref()
                    .is_some_and(|m| c.args.iter().any(|a| a.eq_ignore_ascii_case(m)));
            // Args: `[media type, status]`.
            let status_ok = c
                .args
                .get(1)
                .is_none_or(|s| op.status.as_ref().is_none_or(|m| s == m));
            return (hit && status_ok).then_some((Lost, Target::All));
        }
        "endpoint-deprecated"
        | "endpoint-deprecated-with-sunset"
        | "api-stability-decreased"
        | "api-path-sunset-parse"
        | "new-required-request-parameter"
        | "new-required-request-default-parameter-to-existing-path"
        | "new-request-path-parameter"
        | "new-required-request-header-property" => {
            return all(AtRisk);
        }
        "endpoint-reactivated" | "sunset-deleted" => return all(Ok),
        _ => {}
    }
    if id.starts_with("api-deprecated-sunset-") || id.starts_with("api-sunset-date-") {
        return all(AtRisk);
    }
    if id.starts_with("api-security-") || id.starts_with("api-global-security-") {
        // Same authentication under another name, or a reworded scope: nothing for
        // the fetcher to change.
        if id.ends_with("-renamed") || id == "api-security-component-oauth-scope-changed" {
            return None;
        }
        let credential = Some((AtRisk, Target::Operation(RiskKind::Credential)));
        if id.starts_with("api-security-component-") {
            let hit = c
                .args
                .first()
                .is_some_and(|s| op.security_schemes.contains(s));
            return credential.filter(|_| hit);
        }
        if id.starts_with("api-global-security-") {
            return credential.filter(|_| op.inherits_root_security);
        }
        return credential;
    }
    let pagination = op.pagination.as_ref();
    if id.starts_with("request-parameter-") || id.starts_with("new-optional-request") {
        let params = pagination.map(|p| p.params()).unwrap_or_default();
        if !params.is_empty() && mentions(c, &params) {
            return all(AtRisk);
        }
        if id == "request-parameter-became-required" {
            return all(AtRisk);
        }
        let size_param: Vec<&str> = match pagination.and_then(|p| p.page_size_param.as_deref()) {
            Some(p) => vec![p],
            None => PAGE_SIZE_NAMES.to_vec(),
        };
        let narrowed = id.ends_with("-max-decreased")
            || id.ends_with("-max-items-decreased")
            || id.ends_with("-max-set")
            || id.ends_with("-exclusive-max-decreased")
            || id.ends_with("-exclusive-max-set")
            || id.ends_with("-enum-value-removed");
        return (narrowed && mentions(c, &size_param)).then_some((AtRisk, Target::All));
    }
    if id.contains("response-header") {
        let link = pagination.is_some_and(|p| p.link_header) && mentions(c, &["link"]);
        return link.then_some((AtRisk, Target::All));
    }
    if id == "response-body-media-type-schema-removed" {
        // Args: `[media type, status]`.
        let hit = c
            .args
            .first()
            .zip(op.media_type.as_ref())
            .is_none_or(|(a, m)| a == m)
            && c.args
                .get(1)
                .zip(op.status.as_ref())
                .is_none_or(|(a, s)| a == s);
        return hit.then_some((AtRisk, Target::Path(String::new())));
    }
    if let Some(rest) = id.strip_prefix("response-body-") {
        if !response_scope_matches(c, op) {
            return None;
        }
        return Some((schema_effect(id, rest), Target::Path(String::new())));
    }
    if id.starts_with("response-") && id.contains("property-") {
        if !response_scope_matches(c, op) {
            return None;
        }
        let path = c.args.first()?.clone();
        let rest = id.strip_prefix("response-property-").unwrap_or(id);
        return Some((schema_effect(id, rest), Target::Path(path)));
    }
    None
}

/// Assesses `changes` (base → revision) against `resolved` (the contract resolved
/// against the base). `rev` is the revision spec, used to check that a possible rename
/// has the removed field's type; without it a similar name suffices.
pub fn assess(changes: &[Change], resolved: &Resolved, rev: Option<&Api>) -> Verdict {
    let mut ops: Vec<OperationVerdict> = resolved
        .operations
        .iter()
        .map(|o| OperationVerdict {
            operation: o.name.clone(),
            entity: o.entity,
            fields: o
                .fields
                .iter()
                .map(|f| FieldVerdict {
                    field: f.path.clone(),
                    body_path: f.body_path.clone(),
                    state: FieldState::Ok,
                    reasons: Vec::new(),
                    possible_rename: None,
                })
                .collect(),
            risks: Vec::new(),
        })
        .collect();

    let mut assessed = Vec::with_capacity(changes.len());
    for c in changes {
        let mut effect: Option<FieldState> = None;
        let mut touches = Vec::new();
        let mut risk = None;
        for (oi, op) in resolved.operations.iter().enumerate() {
            let on_op = match (c.operation, &c.path) {
                (Some(m), Some(p)) => crate::model::OpKey::new(m, p) == op.key,
                _ => {
                    c.id.starts_with("api-global-security-")
                        || c.id.starts_with("api-security-component-")
                }
            };
            if !on_op {
                continue;
            }
            let Some((state, target)) = classify(c, op) else {
                continue;
            };
            let mut state = state;
            let mut target = target;
            if let (Target::Path(p), Some(cursor)) = (
                &target,
                op.pagination
                    .as_ref()
                    .and_then(|p| p.cursor_field.as_deref()),
            ) && state > FieldState::Ok
                && walk::is_prefix(p, cursor)
            {
                state = FieldState::AtRisk;
                target = Target::All;
            }
            if let Target::Operation(kind) = target {
                effect = Some(effect.map_or(state, |e: FieldState| e.max(state)));
                risk = Some(kind);
                touches.push(op.name.clone());
                let reason = Reason {
                    id: c.id.clone(),
                    fingerprint: c.fingerprint.clone(),
                    effect: state,
                };
                let risks = &mut ops[oi].risks;
                match risks.iter_mut().find(|r| r.kind == kind) {
                    Some(r) => r.reasons.push(reason),
                    None => risks.push(OperationRisk {
                        kind,
                        message: kind.message().to_string(),
                        reasons: vec![reason],
                    }),
                }
                continue;
            }
            let hits: Vec<usize> = (0..op.fields.len())
                .filter(|&fi| match &target {
                    Target::All => true,
                    Target::Path(p) => walk::is_prefix(p, &op.fields[fi].body_path),
                    Target::Operation(_) => false,
                })
                .collect();
            if hits.is_empty() && matches!(target, Target::Path(_)) {
                continue;
            }
            effect = Some(effect.map_or(state, |e: FieldState| e.max(state)));
            for fi in hits {
                let f = &op.fields[fi];
                touches.push(format!("{} {}", op.name, f.path));
                let fv = &mut ops[oi].fields[fi];
                fv.state = fv.state.max(state);
                fv.reasons.push(Reason {
                    id: c.id.clone(),
                    fingerprint: c.fingerprint.clone(),
                    effect: state,
                });
            }
        }
        let mut change = c.clone();
        match effect {
            Some(FieldState::Lost) if !touches.is_empty() => change.level = Level::Err,
            Some(FieldState::AtRisk) if !touches.is_empty() => {
                change.level = change.level.max(Level::Warn)
            }
            _ => {}
        }
        assessed.push(AssessedChange {
            base_level: c.level,
            consumed: effect.is_some(),
            effect,
            touches,
            risk,
            change,
        });
    }

    for (oi, op) in resolved.operations.iter().enumerate() {
        for (fi, f) in op.fields.iter().enumerate() {
            let removed_here = changes.iter().any(|c| {
                REMOVED.contains(&c.id.as_str())
                    && c.operation
                        .zip(c.path.as_deref())
                        .is_some_and(|(m, p)| crate::model::OpKey::new(m, p) == op.key)
                    && c.args.first() == Some(&f.body_path)
            });
            if removed_here {
                ops[oi].fields[fi].possible_rename = find_rename(changes, op, f, rev);
            }
        }
    }

    let mut v = Verdict {
        visibility: 1.0,
        counts: StateCounts::default(),
        operations: ops,
        changes: assessed,
    };
    v.finish();
    v
}

fn find_rename(
    changes: &[Change],
    op: &ResolvedOperation,
    f: &super::ResolvedField,
    rev: Option<&Api>,
) -> Option<String> {
    let (parent, old_name) = walk::split_last(&f.body_path)?;
    let mut best: Option<(usize, String)> = None;
    for c in changes {
        if !ADDED.contains(&c.id.as_str()) {
            continue;
        }
        let Some((m, p)) = c.operation.zip(c.path.as_deref()) else {
            continue;
        };
        if crate::model::OpKey::new(m, p) != op.key {
            continue;
        }
        let Some(added) = c.args.first() else {
            continue;
        };
        let Some((added_parent, new_name)) = walk::split_last(added) else {
            continue;
        };
        if added_parent != parent {
            continue;
        }
        let Some(score) = similarity(old_name, new_name) else {
            continue;
        };
        if let Some(api) = rev
            && let Some(types) = rev_types(api, op, added)
            && !types.is_empty()
            && !f.types.is_empty()
            && types != f.types
        {
            continue;
        }
        let item_path = strip_item_prefix(&op.item_prefix, added);
        if best
            .as_ref()
            .is_none_or(|(s, n)| (score, &item_path) < (*s, n))
        {
            best = Some((score, item_path));
        }
    }
    best.map(|(_, n)| n)
}

fn rev_types(
    api: &Api,
    op: &ResolvedOperation,
    body_path: &str,
) -> Option<BTreeSet<crate::model::Type>> {
    let o = api.operations.get(&op.key)?;
    let (_, _, root) = walk::success_body(o)?;
    let steps = walk::parse_path(body_path).ok()?;
    walk::walk(api, &[root], &steps).ok().map(|f| f.types)
}

fn strip_item_prefix(prefix: &str, body_path: &str) -> String {
    if prefix.is_empty() {
        return body_path.to_string();
    }
    match body_path.strip_prefix(prefix) {
        Some(rest) => rest.strip_prefix('.').unwrap_or(rest).to_string(),
        None => body_path.to_string(),
    }
}

impl Verdict {
    /// Recomputes counts and visibility after field states changed, and puts every
    /// field's reasons in their one order.
    fn finish(&mut self) {
        let mut c = StateCounts::default();
        for op in &mut self.operations {
            op.risks.sort_by_key(|r| r.kind);
            for r in &mut op.risks {
                r.reasons.sort();
                r.reasons.dedup();
            }
            c.operation_risks += op.risks.len();
            for f in &mut op.fields {
                f.reasons.sort();
                f.reasons.dedup();
                c.total += 1;
                match f.state {
                    FieldState::Ok => c.ok += 1,
                    FieldState::AtRisk => c.at_risk += 1,
                    FieldState::Lost => c.lost += 1,
                }
            }
        }
        self.visibility = if c.total == 0 {
            1.0
        } else {
            (c.total - c.lost) as f64 / c.total as f64
        };
        self.counts = c;
    }

    /// Folds the findings of one sample of `operation` (as written in the contract,
    /// or any spelling with the same method and path template) into the field states.
    /// A finding about a field affects that field and the fields under it; a finding
    /// about no field (item count dropped, request forbidden) affects every field of
    /// the operation. Findings without an effect (info) change nothing.
    pub fn apply_samples(&mut self, operation: &str, findings: &[SampleFinding]) {
        let key = super::contract::parse_operation(operation)
            .map(|(m, p)| crate::model::OpKey::new(m, &p));
        for op in &mut self.operations {
            let same = super::contract::parse_operation(&op.operation)
                .map(|(m, p)| crate::model::OpKey::new(m, &p));
            if same.is_none() || same != key {
                continue;
            }
            for finding in findings {
                let Some(effect) = finding.effect else {
                    continue;
                };
                for f in &mut op.fields {
                    let hit = finding
                        .field
                        .as_deref()
                        .is_none_or(|p| walk::is_prefix(p, &f.field));
                    if hit {
                        f.state = f.state.max(effect);
                        f.reasons.push(Reason {
                            id: finding.id.clone(),
                            fingerprint: finding.fingerprint.clone(),
                            effect,
                        });
                    }
                }
            }
        }
        self.finish();
    }

    /// Every operation-level risk, as `METHOD /path: message (rule ids)`.
    pub fn operation_risks(&self) -> Vec<String> {
        self.operations
            .iter()
            .flat_map(|o| {
                o.risks.iter().map(move |r| {
                    let mut ids: Vec<&str> = r.reasons.iter().map(|x| x.id.as_str()).collect();
                    ids.dedup();
                    format!("{}: {} ({})", o.operation, r.message, ids.join(", "))
                })
            })
            .collect()
    }

    /// Every consumed field in `state`, as `METHOD /path field`.
    pub fn fields_in(&self, state: FieldState) -> Vec<String> {
        self.operations
            .iter()
            .flat_map(|o| {
                o.fields
                    .iter()
                    .filter(move |f| f.state == state)
                    .map(move |f| format!("{} {}", o.operation, f.field))
            })
            .collect()
    }
}

/// The changes `--only-consumed` keeps.
pub fn only_consumed(changes: &[AssessedChange]) -> Vec<&AssessedChange> {
    changes.iter().filter(|c| c.consumed).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_at_risk_suffix_names_a_response_rule() {
        // A misspelt suffix would silently judge its change `ok`.
        for s in AT_RISK_SUFFIXES {
            let named = ["response-property-", "response-body-", ""]
                .iter()
                .any(|p| crate::diff::rules::get(&format!("{p}{s}")).is_some());
            assert!(named, "{s} is no response rule's suffix");
        }
        for id in REMOVED.iter().chain(ADDED) {
            assert!(crate::diff::rules::get(id).is_some(), "{id}");
        }
    }
}

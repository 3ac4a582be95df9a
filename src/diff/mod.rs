//! Compares two `model::Api` values into `Change`s.
//!
//! Owns: the `Change` type, levels, fingerprints, the rule catalog (`rules`) and the
//! checks, one concern per file. Must not: do I/O, read config, or render.
//!
//! Direction matters: a response that can now return more (new enum value, became
//! nullable, property became optional) is a risk for a consumer; a request that accepts
//! less is breaking. Schema comparisons are memoized per (base schema, revision schema,
//! direction) so a component shared by many operations is compared once, and a change
//! deep inside nested components is reported once per component rather than once per
//! operation that reaches it (`schema`, [`DiffOptions::max_ref_hops`]).

pub mod body;
pub mod endpoints;
pub mod lifecycle;
pub mod params;
pub mod responses;
pub mod rules;
pub mod schema;
pub mod security;
#[cfg(test)]
mod testutil;

use crate::model::{Api, Method, OpKey, Pointer};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::fmt;

pub use rules::Rule;

/// Severity of a change, as oasdiff numbers it (3 = ERR, 2 = WARN, 1 = INFO, 0 = NONE).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Level {
    None = 0,
    Info = 1,
    Warn = 2,
    Err = 3,
}

impl Level {
    /// Parses `ERR|WARN|INFO|NONE` in any case (also `error`, `warning`).
    pub fn parse(s: &str) -> Option<Level> {
        match s.to_ascii_lowercase().as_str() {
            "err" | "error" => Some(Level::Err),
            "warn" | "warning" => Some(Level::Warn),
            "info" => Some(Level::Info),
            "none" => Some(Level::None),
            _ => None,
        }
    }

    /// `ERR`, `WARN`, `INFO`, `NONE`.
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Err => "ERR",
            Level::Warn => "WARN",
            Level::Info => "INFO",
            Level::None => "NONE",
        }
    }

    /// `error`, `warning`, `info`, `none`: the words people read (and metric labels).
    pub fn word(self) -> &'static str {
        match self {
            Level::Err => "error",
            Level::Warn => "warning",
            Level::Info => "info",
            Level::None => "none",
        }
    }

    pub fn number(self) -> u8 {
        self as u8
    }
}

impl fmt::Display for Level {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Which part of the document a change is about, as oasdiff's `section`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Section {
    Paths,
    Components,
    Security,
    Info,
}

/// One classified difference between base and revision.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Change {
    /// Rule id from the catalog (oasdiff's vocabulary where the meaning matches).
    pub id: String,
    /// Human text, filled from the rule's template and `args`.
    pub text: String,
    /// Why this level, when that is not obvious (e.g. why WARN, not ERR).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    pub level: Level,
    /// HTTP method, uppercase; absent for document-level changes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub operation: Option<Method>,
    /// Path template as written in the revision (in the base for removals).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    #[serde(
        rename = "operationId",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub operation_id: Option<String>,
    pub section: Section,
    /// The values that identify this change (property path, enum value, ...). Part of
    /// the fingerprint; never free text.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub args: Vec<String>,
    /// JSON Pointer of the node in the base document (absent for additions).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub base_pointer: Option<Pointer>,
    /// JSON Pointer of the node in the revision document (absent for removals).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub revision_pointer: Option<Pointer>,
    /// SHA-256 of `id:operation:path:args` (args joined by `;`), first 12 hex digits,
    /// as oasdiff computes it: stable across runs, machines and output languages.
    pub fingerprint: String,
}

/// Computes the oasdiff-compatible fingerprint.
pub fn fingerprint(
    id: &str,
    operation: Option<Method>,
    path: Option<&str>,
    args: &[String],
) -> String {
    let mut h = Sha256::new();
    h.update(id.as_bytes());
    h.update(b":");
    h.update(operation.map(Method::as_str).unwrap_or("").as_bytes());
    h.update(b":");
    h.update(path.unwrap_or("").as_bytes());
    h.update(b":");
    h.update(args.join(";").as_bytes());
    let digest = h.finalize();
    hex::encode(&digest[..6])
}

/// Elements whose changes can be left out of a diff (`--exclude-elements`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Exclude {
    pub description: bool,
    pub examples: bool,
    pub title: bool,
    pub summary: bool,
    pub extensions: bool,
    pub endpoints: bool,
}

/// Default of [`DiffOptions::max_ref_hops`]: a change is reported per operation when it
/// lies at most this many nested component schemas below the operation's body (or its
/// item); deeper ones once per component (see `schema`). Measured on the corpus: 2
/// keeps GitHub's `parent.owner.login`-style changes per operation (2 778 changes for
/// the 2023→2024 pair) and cuts Stripe's 715 027 changes for 2022→2023 (its
/// expandable objects reach the whole schema graph from every operation) to 36 486;
/// 1 would give 7 769 and 2 276.
pub const DEFAULT_MAX_REF_HOPS: u32 = 2;

/// Options of one comparison.
#[derive(Debug, Clone)]
pub struct DiffOptions {
    pub exclude: Exclude,
    /// Today's date as `YYYY-MM-DD`, used by sunset rules; `None` means the real date.
    /// Tests pin it so results do not depend on the calendar.
    pub today: Option<String>,
    /// Least number of days between deprecating a `beta` endpoint (or parameter) and its
    /// `x-sunset` (oasdiff's `--deprecation-days-beta`). 0 turns the policy off.
    pub deprecation_days_beta: u32,
    /// The same for `stable` endpoints and those without `x-stability-level`
    /// (`--deprecation-days-stable`). 0 turns the policy off.
    pub deprecation_days_stable: u32,
    /// Most nested component schemas (`$ref`s to a different named schema) between an
    /// operation's body, parameter or header (or the item of a list body) and a change
    /// reported at that operation. Deeper changes are reported once per component in
    /// section `components`. 0 means unlimited.
    pub max_ref_hops: u32,
    /// Response fields reported per operation whatever their depth: operation → dotted
    /// body-rooted property paths (`data[].profile.login`), as a consumes contract
    /// resolves them. Every node on the way to a watched path is walked at that
    /// operation; the rest of the output does not change.
    pub watched: BTreeMap<OpKey, Vec<String>>,
}

impl Default for DiffOptions {
    fn default() -> DiffOptions {
        DiffOptions {
            exclude: Exclude::default(),
            today: None,
            deprecation_days_beta: 0,
            deprecation_days_stable: 0,
            max_ref_hops: DEFAULT_MAX_REF_HOPS,
            watched: BTreeMap::new(),
        }
    }
}

/// The operation (or document part) a change belongs to.
#[derive(Debug, Clone, Default)]
pub struct Scope {
    pub operation: Option<Method>,
    pub path: Option<String>,
    pub operation_id: Option<String>,
    pub section: Option<Section>,
}

impl Scope {
    pub fn document(section: Section) -> Scope {
        Scope {
            section: Some(section),
            ..Scope::default()
        }
    }
}

/// Collects changes for one comparison: looks each rule up in the catalog, fills its
/// text template, computes the fingerprint.
pub struct Emitter<'a> {
    pub base: &'a Api,
    pub rev: &'a Api,
    pub opts: &'a DiffOptions,
    pub changes: Vec<Change>,
    pub schema_memo: schema::Memo,
}

impl<'a> Emitter<'a> {
    pub fn new(base: &'a Api, rev: &'a Api, opts: &'a DiffOptions) -> Emitter<'a> {
        Emitter {
            base,
            rev,
            opts,
            changes: Vec::new(),
            schema_memo: schema::Memo::default(),
        }
    }

    /// Records one change of `rule` (a constant of a check's table, or a rule the
    /// schema comparator resolved) in `scope`. `args` fill the rule's template (`{0}`,
    /// `{1}`, ...) and identify the change in its fingerprint.
    pub fn emit(
        &mut self,
        scope: &Scope,
        rule: &'static Rule,
        args: Vec<String>,
        base_pointer: Option<Pointer>,
        revision_pointer: Option<Pointer>,
    ) {
        let text = rules::fill(rule.template, &args);
        let fingerprint = fingerprint(rule.id, scope.operation, scope.path.as_deref(), &args);
        self.changes.push(Change {
            id: rule.id.to_string(),
            text,
            comment: None,
            level: rule.level,
            operation: scope.operation,
            path: scope.path.clone(),
            operation_id: scope.operation_id.clone(),
            section: scope.section.unwrap_or(Section::Paths),
            args,
            base_pointer,
            revision_pointer,
            fingerprint,
        });
    }
}

/// Compares `base` with `rev`. The result is sorted (path, method, id, args) and so is
/// byte-identical for the same inputs.
///
/// Order of work: endpoints and components that appeared or vanished; then, for each
/// operation present on both sides (matched on `OpKey`), its lifecycle, metadata,
/// security, parameters, request body and responses; then document-level security;
/// last the versioning policy, which judges the list of changes found so far.
pub fn compare(base: &Api, rev: &Api, opts: &DiffOptions) -> Vec<Change> {
    let mut em = Emitter::new(base, rev, opts);
    endpoints::check(&mut em);
    for (key, b) in &base.operations {
        let Some(r) = rev.operations.get(key) else {
            continue;
        };
        let scope = endpoints::op_scope(r);
        lifecycle::check_op(&mut em, &scope, b, r);
        // Like oasdiff's default stability threshold (beta): an endpoint the revision
        // marks draft or alpha promises nothing, so only its lifecycle is reported.
        if lifecycle::below_threshold(r) {
            continue;
        }
        endpoints::check_op(&mut em, &scope, b, r);
        security::check_op(&mut em, &scope, b, r);
        params::check_op(&mut em, &scope, b, r);
        body::check_op(&mut em, &scope, b, r);
        responses::check_op(&mut em, &scope, b, r);
    }
    schema::finish(&mut em);
    security::check(&mut em);
    lifecycle::check_version(&mut em);
    let mut changes = em.changes;
    sort_changes(&mut changes);
    changes
}

/// The one ordering of changes every output uses.
pub fn sort_changes(changes: &mut [Change]) {
    changes.sort_by(|a, b| {
        (
            a.path.as_deref(),
            a.operation,
            &a.id,
            &a.args,
            &a.fingerprint,
        )
            .cmp(&(
                b.path.as_deref(),
                b.operation,
                &b.id,
                &b.args,
                &b.fingerprint,
            ))
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fingerprint_is_12_hex_and_depends_on_every_part() {
        let a = fingerprint("endpoint-added", Some(Method::Get), Some("/u"), &[]);
        assert_eq!(a.len(), 12);
        assert!(a.chars().all(|c| c.is_ascii_hexdigit()));
        assert_ne!(
            a,
            fingerprint("endpoint-added", Some(Method::Post), Some("/u"), &[])
        );
        assert_ne!(
            a,
            fingerprint("endpoint-added", Some(Method::Get), Some("/v"), &[])
        );
        assert_ne!(
            a,
            fingerprint(
                "endpoint-added",
                Some(Method::Get),
                Some("/u"),
                &["x".into()]
            )
        );
        assert_eq!(
            a,
            fingerprint("endpoint-added", Some(Method::Get), Some("/u"), &[])
        );
    }

    #[test]
    fn levels_parse_and_order() {
        assert_eq!(Level::parse("err"), Some(Level::Err));
        assert_eq!(Level::parse("WARNING"), Some(Level::Warn));
        assert_eq!(Level::parse("bogus"), None);
        assert!(Level::Err > Level::Warn && Level::Warn > Level::Info && Level::Info > Level::None);
    }
}

//! Endpoints and components that appear or vanish, and operation metadata: added and
//! removed operations, whole path items and webhooks (removal judged against deprecation
//! and `x-sunset`), operationId and tag changes, removed component schemas.
//!
//! Must not: look inside operations beyond their metadata (parameters, bodies,
//! responses and security have their own files) or compare schemas.

use super::{Emitter, Scope, Section, lifecycle};
use crate::model::Operation;
use crate::named_rules;
use std::collections::BTreeSet;

named_rules! {
    ENDPOINT_ADDED                       oasdiff "endpoint-added"                       Info None     existence    add        "an operation was added" "endpoint added";
    API_REMOVED_WITHOUT_DEPRECATION      oasdiff "api-removed-without-deprecation"      Err  None     existence    remove     "an operation was removed without being deprecated first" "api removed without deprecation";
    API_REMOVED_WITH_DEPRECATION         oasdiff "api-removed-with-deprecation"         Info None     existence    remove     "a deprecated operation was removed" "api removed with deprecation";
    API_REMOVED_BEFORE_SUNSET            oasdiff "api-removed-before-sunset"            Err  None     existence    remove     "a deprecated operation was removed before its x-sunset date" "api removed before the sunset date {0}";
    API_PATH_REMOVED_WITHOUT_DEPRECATION oasdiff "api-path-removed-without-deprecation" Err  None     existence    remove     "a whole path item was removed without its operations being deprecated first" "api path removed without deprecation";
    API_PATH_REMOVED_WITH_DEPRECATION    oasdiff "api-path-removed-with-deprecation"    Info None     existence    remove     "a whole path item was removed after its operations were deprecated" "api path removed with deprecation";
    API_PATH_REMOVED_BEFORE_SUNSET       oasdiff "api-path-removed-before-sunset"       Err  None     existence    remove     "a whole path item was removed before its x-sunset date" "api path removed before the sunset date {0}";
    WEBHOOK_ADDED                        oasdiff "webhook-added"                        Info None     existence    add        "a webhook was added" "webhook added";
    WEBHOOK_REMOVED                      oasdiff "webhook-removed"                      Err  None     existence    remove     "a webhook was removed" "webhook removed";
    API_OPERATION_ID_ADDED               oasdiff "api-operation-id-added"               Info None     existence    add        "an operation got an operationId" "api operation id {0} added";
    API_OPERATION_ID_REMOVED             oasdiff "api-operation-id-removed"             Info None     existence    remove     "an operation lost (or changed) its operationId" "api operation id {0} removed";
    API_TAG_ADDED                        oasdiff "api-tag-added"                        Info None     existence    add        "a tag was added to an operation" "api tag {0} added";
    API_TAG_REMOVED                      oasdiff "api-tag-removed"                      Info None     existence    remove     "a tag was removed from an operation" "api tag {0} removed";
    API_SCHEMA_REMOVED                   oasdiff "api-schema-removed"                   Info None     existence    remove     "a schema was removed from components/schemas" "removed the schema {0}";
}

/// The scope of changes to `op`: its method, its path as written, its operationId.
pub fn op_scope(op: &Operation) -> Scope {
    Scope {
        operation: Some(op.method),
        path: Some(op.path.clone()),
        operation_id: op.operation_id.clone(),
        section: Some(Section::Paths),
    }
}

fn is_webhook(op: &Operation) -> bool {
    op.path.starts_with("webhook:")
}

/// Added and removed operations, webhooks and component schemas.
pub fn check(em: &mut Emitter<'_>) {
    let (base, rev) = (em.base, em.rev);
    if !em.opts.exclude.endpoints {
        // A path item is gone when no revision path (declared or used by an operation)
        // normalizes to its key.
        let rev_paths: BTreeSet<&str> = rev
            .paths
            .keys()
            .map(String::as_str)
            .chain(rev.operations.keys().map(|k| k.path.as_str()))
            .collect();
        let today = lifecycle::today(em);
        for (key, op) in &base.operations {
            if rev.operations.contains_key(key) {
                continue;
            }
            let scope = op_scope(op);
            let bp = Some(op.pointer.clone());
            if is_webhook(op) {
                em.emit(&scope, &WEBHOOK_REMOVED, vec![], bp, None);
                continue;
            }
            match lifecycle::Stability::parse(op.stability.as_deref()) {
                Err(bad) => {
                    em.emit(
                        &scope,
                        &super::lifecycle::API_INVALID_STABILITY_LEVEL,
                        vec![bad],
                        bp,
                        None,
                    );
                    continue;
                }
                // Draft and alpha endpoints promise nothing: removing them is allowed.
                Ok(lifecycle::Stability::Draft | lifecycle::Stability::Alpha) => continue,
                Ok(_) => {}
            }
            let whole_path = !rev_paths.contains(key.path.as_str());
            let path_sunset = base.paths.get(&key.path).and_then(|p| p.sunset.as_deref());
            if let Some((id, args)) = lifecycle::removal(op, path_sunset, whole_path, today) {
                em.emit(&scope, id, args, bp, None);
            }
        }
        for (key, op) in &rev.operations {
            if base.operations.contains_key(key) {
                continue;
            }
            let id = if is_webhook(op) {
                &WEBHOOK_ADDED
            } else {
                &ENDPOINT_ADDED
            };
            em.emit(&op_scope(op), id, vec![], None, Some(op.pointer.clone()));
        }
    }

    let scope = Scope::document(Section::Components);
    for (name, id) in &base.component_schemas {
        if !rev.component_schemas.contains_key(name) {
            let bp = Some(base.schema(*id).pointer.clone());
            em.emit(&scope, &API_SCHEMA_REMOVED, vec![name.clone()], bp, None);
        }
    }
}

/// operationId and tag changes of an operation present on both sides.
pub fn check_op(em: &mut Emitter<'_>, scope: &Scope, b: &Operation, r: &Operation) {
    let bp = || Some(b.pointer.clone());
    let rp = || Some(r.pointer.clone());
    if b.operation_id != r.operation_id {
        if let Some(old) = &b.operation_id {
            em.emit(
                scope,
                &API_OPERATION_ID_REMOVED,
                vec![old.clone()],
                bp(),
                rp(),
            );
        }
        if let Some(new) = &r.operation_id {
            em.emit(
                scope,
                &API_OPERATION_ID_ADDED,
                vec![new.clone()],
                bp(),
                rp(),
            );
        }
    }
    let btags: BTreeSet<&String> = b.tags.iter().collect();
    let rtags: BTreeSet<&String> = r.tags.iter().collect();
    for t in btags.difference(&rtags) {
        em.emit(scope, &API_TAG_REMOVED, vec![(*t).clone()], bp(), rp());
    }
    for t in rtags.difference(&btags) {
        em.emit(scope, &API_TAG_ADDED, vec![(*t).clone()], bp(), rp());
    }
}

#[cfg(test)]
mod tests {
    use super::super::testutil::{api, op};
    use super::super::{DiffOptions, Level, compare};
    use crate::model::Method;

    fn ids(changes: &[super::super::Change]) -> Vec<(&str, Level, String)> {
        changes
            .iter()
            .map(|c| {
                (
                    c.id.as_str(),
                    c.level,
                    format!(
                        "{} {}",
                        c.operation.map(|m| m.as_str()).unwrap_or(""),
                        c.path.as_deref().unwrap_or("")
                    ),
                )
            })
            .collect()
    }

    #[test]
    fn renamed_path_parameter_is_the_same_endpoint() {
        let base = api(vec![op(Method::Get, "/users/{id}")]);
        let rev = api(vec![op(Method::Get, "/users/{userId}")]);
        assert!(compare(&base, &rev, &DiffOptions::default()).is_empty());
    }

    #[test]
    fn removed_operation_on_a_kept_path_is_api_removed() {
        let base = api(vec![op(Method::Get, "/u"), op(Method::Post, "/u")]);
        let rev = api(vec![op(Method::Get, "/u")]);
        let got = compare(&base, &rev, &DiffOptions::default());
        assert_eq!(
            ids(&got),
            vec![(
                "api-removed-without-deprecation",
                Level::Err,
                "POST /u".to_string()
            )]
        );
    }

    #[test]
    fn kept_operation_is_reported_at_the_revision_template() {
        let base = api(vec![op(Method::Get, "/users/{id}")]);
        let mut r = op(Method::Get, "/users/{userId}");
        r.tags = vec!["users".into()];
        let got = compare(&base, &api(vec![r]), &DiffOptions::default());
        assert_eq!(
            ids(&got),
            vec![(
                "api-tag-added",
                Level::Info,
                "GET /users/{userId}".to_string()
            )]
        );
    }

    #[test]
    fn removed_draft_endpoint_is_not_reported() {
        let mut o = op(Method::Get, "/u");
        o.stability = Some("draft".into());
        let got = compare(&api(vec![o]), &api(vec![]), &DiffOptions::default());
        assert!(got.is_empty(), "{got:?}");
    }

    #[test]
    fn excluding_endpoints_hides_additions_and_removals() {
        let opts = DiffOptions {
            exclude: super::super::Exclude {
                endpoints: true,
                ..Default::default()
            },
            ..Default::default()
        };
        let got = compare(
            &api(vec![op(Method::Get, "/a")]),
            &api(vec![op(Method::Get, "/b")]),
            &opts,
        );
        assert!(got.is_empty(), "{got:?}");
    }
}

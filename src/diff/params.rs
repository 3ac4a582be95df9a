//! Request parameters at the parameter level: added (required, optional, path, or
//! through the path item for every operation), removed (judged against deprecation),
//! required/optional flips, deprecation flips; then each parameter's schema is handed to
//! `schema::compare` at `Site::Parameter`.
//!
//! Parameters match on (location, name), header names case-insensitively; path
//! parameters match on their position in the template, so renaming `{id}` to `{userId}`
//! is no change. Must not: judge schema keywords (type, enum, bounds, pattern,
//! nullability, defaults): those belong to `schema`.

use super::rules::Rule;
use super::schema::{self, Site};
use super::{Emitter, Scope, lifecycle};
use crate::model::{Operation, ParamIn, ParamKey, Parameter, normalize_path};
use crate::named_rules;
use chrono::NaiveDate;
use std::collections::BTreeMap;

named_rules! {
    NEW_REQUIRED_REQUEST_PARAMETER                          oasdiff "new-required-request-parameter"                          Err  Request  existence    add        "a required query, header or cookie parameter was added to an operation" "added the new required {0} request parameter {1}";
    NEW_OPTIONAL_REQUEST_PARAMETER                          oasdiff "new-optional-request-parameter"                          Info Request  existence    add        "an optional query, header or cookie parameter was added to an operation" "added the new optional {0} request parameter {1}";
    NEW_REQUEST_PATH_PARAMETER                              oasdiff "new-request-path-parameter"                              Err  Request  existence    add        "a path parameter was added to an existing operation" "added the new path request parameter {0}";
    NEW_REQUIRED_REQUEST_DEFAULT_PARAMETER_TO_EXISTING_PATH oasdiff "new-required-request-default-parameter-to-existing-path" Err  Request  existence    add        "a required parameter was added at path-item level, so to every operation of the path" "added the new required {0} request parameter {1} to all operations of the path";
    NEW_OPTIONAL_REQUEST_DEFAULT_PARAMETER_TO_EXISTING_PATH oasdiff "new-optional-request-default-parameter-to-existing-path" Info Request  existence    add        "an optional parameter was added at path-item level, so to every operation of the path" "added the new optional {0} request parameter {1} to all operations of the path";
    REQUEST_PARAMETER_REMOVED                               oasdiff "request-parameter-removed"                               Warn Request  existence    remove     "a request parameter was removed without being deprecated first" "deleted the {0} request parameter {1}";
    REQUEST_PARAMETER_REMOVED_WITH_DEPRECATION              oasdiff "request-parameter-removed-with-deprecation"              Info Request  existence    remove     "a deprecated request parameter was removed" "deleted the deprecated {0} request parameter {1}";
    REQUEST_PARAMETER_BECAME_REQUIRED                       oasdiff "request-parameter-became-required"                       Err  Request  requiredness change     "a request parameter went from optional to required" "the {0} request parameter {1} became required";
    REQUEST_PARAMETER_BECAME_OPTIONAL                       oasdiff "request-parameter-became-optional"                       Info Request  requiredness change     "a request parameter went from required to optional" "the {0} request parameter {1} became optional";
    REQUEST_PARAMETER_DEPRECATED                            oasdiff "request-parameter-deprecated"                            Info Request  lifecycle    set        "a request parameter was marked deprecated" "the {0} request parameter {1} was deprecated";
    REQUEST_PARAMETER_REACTIVATED                           oasdiff "request-parameter-reactivated"                           Info Request  lifecycle    remove     "a request parameter's deprecated flag was cleared" "the {0} request parameter {1} was reactivated";
    REQUEST_PARAMETER_REMOVED_BEFORE_SUNSET                 oasdiff "request-parameter-removed-before-sunset"                 Err  Request  existence    remove     "a deprecated request parameter was removed before its x-sunset date" "deleted the {0} request parameter {1} before its sunset date {2}";
    REQUEST_PARAMETER_SUNSET_PARSE                          oasdiff "request-parameter-sunset-parse"                          Err  Request  lifecycle    change     "a request parameter's x-sunset is not an RFC 3339 date" "the {0} request parameter {1} has an unparsable sunset date {2}";
    REQUEST_PARAMETER_DEPRECATED_SUNSET_MISSING             oasdiff "request-parameter-deprecated-sunset-missing"             Err  Request  lifecycle    change     "a request parameter was deprecated without x-sunset while a deprecation-days policy is on" "the {0} request parameter {1} was deprecated without a sunset date while the policy requires {2} days";
    REQUEST_PARAMETER_SUNSET_DATE_TOO_SMALL                 oasdiff "request-parameter-sunset-date-too-small"                 Err  Request  lifecycle    change     "a request parameter's x-sunset is closer than the deprecation-days policy allows" "the {0} request parameter {1} has sunset date {2}, earlier than the {3} days the policy requires";
    REQUEST_PARAMETER_SUNSET_DATE_CHANGED_TOO_SMALL         oasdiff "request-parameter-sunset-date-changed-too-small"         Err  Request  lifecycle    change     "a request parameter's x-sunset moved earlier than the deprecation-days policy allows" "the sunset date of the {0} request parameter {1} moved from {2} to {3}, earlier than the {4} days the policy requires";
    REQUEST_PARAMETER_SUNSET_DELETED                        oasdiff "request-parameter-sunset-deleted"                        Err  Request  lifecycle    change     "a request parameter's x-sunset was removed while it stays deprecated" "the sunset date of the deprecated {0} request parameter {1} was deleted";
    REQUEST_PARAMETER_SERIALIZATION_CHANGED                 ours    "request-parameter-serialization-changed"                 Err  Request  structure    change     "a request parameter's style or explode changed how its value is written on the wire" "the {0} request parameter {1} is now serialized as {3} instead of {2}: a client writing it the old way is no longer understood";
    REQUEST_PARAMETER_SERIALIZATION_RESPELLED               ours    "request-parameter-serialization-respelled"               Info Request  structure    change     "a request parameter's style or explode was written differently with the same wire form" "the {0} request parameter {1} is now described as {3} instead of {2}, the same on the wire for its values";
}

/// Names of the path parameters of a template, in order.
fn path_param_names(template: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = template;
    while let Some(start) = rest.find('{') {
        let after = &rest[start + 1..];
        let Some(end) = after.find('}') else { break };
        out.push(&after[..end]);
        rest = &after[end + 1..];
    }
    out
}

/// The revision key a base parameter key matches: path parameters by position.
fn rev_key(key: &ParamKey, renames: &BTreeMap<&str, &str>) -> ParamKey {
    match (key.location, renames.get(key.name.as_str())) {
        (ParamIn::Path, Some(new)) => ParamKey {
            location: ParamIn::Path,
            name: (*new).to_string(),
        },
        _ => key.clone(),
    }
}

pub fn check_op(em: &mut Emitter<'_>, scope: &Scope, b: &Operation, r: &Operation) {
    let (bnames, rnames) = (path_param_names(&b.path), path_param_names(&r.path));
    let renames: BTreeMap<&str, &str> = bnames.into_iter().zip(rnames).collect();
    let matched: BTreeMap<ParamKey, &ParamKey> = b
        .parameters
        .keys()
        .map(|k| (rev_key(k, &renames), k))
        .collect();
    let norm = normalize_path(&r.path);
    let base_path_level = em.base.paths.get(&norm).map(|p| &p.parameters);
    let rev_path_level = em.rev.paths.get(&norm).map(|p| &p.parameters);

    for (key, bp) in &b.parameters {
        let rk = rev_key(key, &renames);
        let args = vec![key.location.as_str().to_string(), bp.name.clone()];
        let Some(rp) = r.parameters.get(&rk) else {
            let (id, extra) = removal(bp, lifecycle::today(em));
            let mut args = args;
            args.extend(extra);
            em.emit(scope, id, args, Some(bp.pointer.clone()), None);
            continue;
        };
        let pointers = || (Some(bp.pointer.clone()), Some(rp.pointer.clone()));
        if bp.required != rp.required {
            let id = if rp.required {
                &REQUEST_PARAMETER_BECAME_REQUIRED
            } else {
                &REQUEST_PARAMETER_BECAME_OPTIONAL
            };
            let (p0, p1) = pointers();
            em.emit(scope, id, args.clone(), p0, p1);
        }
        if let Some((id, extra)) = deprecation(em, r, bp, rp) {
            let (p0, p1) = pointers();
            let mut args = args.clone();
            args.extend(extra);
            em.emit(scope, id, args, p0, p1);
        }
        if let Some((id, extra)) = serialization(em, bp, rp) {
            let (p0, p1) = pointers();
            let mut args = args.clone();
            args.extend(extra);
            em.emit(scope, id, args, p0, p1);
        }
        if let (Some(bs), Some(rs)) = (bp.schema, rp.schema) {
            let site = Site::Parameter {
                location: key.location,
                name: &rp.name,
                text: rp
                    .content_media_type
                    .as_deref()
                    .is_none_or(schema::is_text_media_type),
            };
            schema::compare(em, scope, site, bs, rs);
        }
    }

    for (key, rp) in &r.parameters {
        if matched.contains_key(key) {
            continue;
        }
        let loc = key.location.as_str().to_string();
        let rptr = Some(rp.pointer.clone());
        if key.location == ParamIn::Path {
            em.emit(
                scope,
                &NEW_REQUEST_PATH_PARAMETER,
                vec![rp.name.clone()],
                None,
                rptr,
            );
            continue;
        }
        let args = vec![loc, rp.name.clone()];
        let via_path_item = rev_path_level.is_some_and(|s| s.contains(key))
            && !base_path_level.is_some_and(|s| s.contains(key));
        let id = match (via_path_item, rp.required) {
            (true, true) => &NEW_REQUIRED_REQUEST_DEFAULT_PARAMETER_TO_EXISTING_PATH,
            (true, false) => &NEW_OPTIONAL_REQUEST_DEFAULT_PARAMETER_TO_EXISTING_PATH,
            (false, true) => &NEW_REQUIRED_REQUEST_PARAMETER,
            (false, false) => &NEW_OPTIONAL_REQUEST_PARAMETER,
        };
        em.emit(scope, id, args, None, rptr);
    }
}

/// The style a parameter is written in, as the spec says or by its location's default
/// (`form` for query and cookie, `simple` for path and header), and whether it is
/// exploded (by default only `form` is).
fn wire_style(p: &Parameter) -> (String, bool) {
    let style = p.style.clone().unwrap_or_else(|| {
        match p.location {
            ParamIn::Query | ParamIn::Cookie => "form",
            ParamIn::Path | ParamIn::Header => "simple",
        }
        .to_string()
    });
    let explode = p.explode.unwrap_or(style == "form");
    (style, explode)
}

/// A change of how a parameter's value is written (`style`, `explode`), judged by the
/// parameter's type in the revision: a scalar is written the same in `form` and
/// `simple` (its value alone, behind the name) and `explode` does not touch it; an
/// array or object changes its wire form with either. A parameter described by
/// `content` has no style.
fn serialization(
    em: &Emitter<'_>,
    bp: &Parameter,
    rp: &Parameter,
) -> Option<(&'static Rule, Vec<String>)> {
    if bp.content_media_type.is_some() || rp.content_media_type.is_some() {
        return None;
    }
    let (b, r) = (wire_style(bp), wire_style(rp));
    if b == r {
        return None;
    }
    let spelled = |(s, e): &(String, bool)| format!("style={s} explode={e}");
    let composite = |api: &crate::model::Api, p: &Parameter| {
        p.schema.is_some_and(|id| {
            let s = api.schema(id);
            s.items.is_some()
                || !s.properties.is_empty()
                || s.types
                    .iter()
                    .any(|t| matches!(t, crate::model::Type::Array | crate::model::Type::Object))
        })
    };
    let plain = |s: &str| matches!(s, "form" | "simple");
    let same_wire = !composite(em.base, bp) && !composite(em.rev, rp) && plain(&b.0) && plain(&r.0);
    let id = if same_wire {
        &REQUEST_PARAMETER_SERIALIZATION_RESPELLED
    } else {
        &REQUEST_PARAMETER_SERIALIZATION_CHANGED
    };
    Some((id, vec![spelled(&b), spelled(&r)]))
}

/// What removing the parameter `bp` amounts to: never deprecated (WARN), deprecated and
/// past (or without) its sunset date (INFO), or removed before its sunset date (ERR).
fn removal(bp: &Parameter, today: NaiveDate) -> (&'static Rule, Vec<String>) {
    if !bp.deprecated {
        return (&REQUEST_PARAMETER_REMOVED, vec![]);
    }
    match bp.sunset.as_deref() {
        None => (&REQUEST_PARAMETER_REMOVED_WITH_DEPRECATION, vec![]),
        Some(raw) => match lifecycle::parse_sunset(raw) {
            None => (&REQUEST_PARAMETER_SUNSET_PARSE, vec![raw.to_string()]),
            Some(date) if today < date => (
                &REQUEST_PARAMETER_REMOVED_BEFORE_SUNSET,
                vec![date.to_string()],
            ),
            Some(_) => (&REQUEST_PARAMETER_REMOVED_WITH_DEPRECATION, vec![]),
        },
    }
}

/// Deprecation and `x-sunset` changes of a parameter present on both sides, judged by
/// the deprecation-days policy of the revision operation's stability, as for endpoints.
fn deprecation(
    em: &Emitter<'_>,
    r: &Operation,
    bp: &Parameter,
    rp: &Parameter,
) -> Option<(&'static Rule, Vec<String>)> {
    let days = lifecycle::Stability::parse(r.stability.as_deref())
        .map(|s| lifecycle::deprecation_days(em, s))
        .unwrap_or(0);
    let today = lifecycle::today(em);
    match (bp.deprecated, rp.deprecated) {
        (true, false) => Some((&REQUEST_PARAMETER_REACTIVATED, vec![])),
        (false, true) => match rp.sunset.as_deref() {
            None if days > 0 => Some((
                &REQUEST_PARAMETER_DEPRECATED_SUNSET_MISSING,
                vec![days.to_string()],
            )),
            None => Some((&REQUEST_PARAMETER_DEPRECATED, vec![])),
            Some(raw) => match lifecycle::parse_sunset(raw) {
                None => Some((&REQUEST_PARAMETER_SUNSET_PARSE, vec![raw.to_string()])),
                Some(date) if (date - today).num_days() < i64::from(days) => Some((
                    &REQUEST_PARAMETER_SUNSET_DATE_TOO_SMALL,
                    vec![date.to_string(), days.to_string()],
                )),
                Some(_) => Some((&REQUEST_PARAMETER_DEPRECATED, vec![])),
            },
        },
        (true, true) => match (bp.sunset.as_deref(), rp.sunset.as_deref()) {
            (Some(_), None) => Some((&REQUEST_PARAMETER_SUNSET_DELETED, vec![])),
            (Some(braw), Some(rraw)) if braw != rraw => {
                let Some(rdate) = lifecycle::parse_sunset(rraw) else {
                    return Some((&REQUEST_PARAMETER_SUNSET_PARSE, vec![rraw.to_string()]));
                };
                let bdate = lifecycle::parse_sunset(braw)?;
                (bdate > rdate && (rdate - today).num_days() < i64::from(days)).then(|| {
                    (
                        &REQUEST_PARAMETER_SUNSET_DATE_CHANGED_TOO_SMALL,
                        vec![bdate.to_string(), rdate.to_string(), days.to_string()],
                    )
                })
            }
            _ => None,
        },
        (false, false) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::super::testutil::{api, op, param};
    use super::super::{DiffOptions, compare};
    use super::*;
    use crate::model::Method;

    #[test]
    fn path_parameters_match_by_position() {
        assert_eq!(path_param_names("/a/{x}/b/{y}"), vec!["x", "y"]);
        let mut b = op(Method::Get, "/u/{id}");
        let (k, p) = param(ParamIn::Path, "id", true);
        b.parameters.insert(k, p);
        let mut r = op(Method::Get, "/u/{userId}");
        let (k, p) = param(ParamIn::Path, "userId", true);
        r.parameters.insert(k, p);
        let got = compare(&api(vec![b]), &api(vec![r]), &DiffOptions::default());
        assert!(got.is_empty(), "{got:?}");
    }

    #[test]
    fn header_parameters_match_case_insensitively() {
        let mut b = op(Method::Get, "/u");
        let (k, p) = param(ParamIn::Header, "X-Trace", false);
        b.parameters.insert(k, p);
        let mut r = op(Method::Get, "/u");
        let (k, p) = param(ParamIn::Header, "x-trace", true);
        r.parameters.insert(k, p);
        let got = compare(&api(vec![b]), &api(vec![r]), &DiffOptions::default());
        let ids: Vec<_> = got.iter().map(|c| c.id.as_str()).collect();
        assert_eq!(ids, vec!["request-parameter-became-required"]);
    }

    #[test]
    fn parameter_added_through_the_path_item_is_reported_as_default_parameter() {
        let b = op(Method::Get, "/u");
        let mut r = op(Method::Get, "/u");
        let (k, p) = param(ParamIn::Query, "tenant", true);
        r.parameters.insert(k.clone(), p);
        let base = api(vec![b]);
        let mut rev = api(vec![r]);
        for item in rev.paths.values_mut() {
            item.parameters.insert(k.clone());
        }
        let got = compare(&base, &rev, &DiffOptions::default());
        let ids: Vec<_> = got.iter().map(|c| c.id.as_str()).collect();
        assert_eq!(
            ids,
            vec!["new-required-request-default-parameter-to-existing-path"]
        );
    }
}

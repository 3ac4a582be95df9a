//! Responses as containers: status codes added or removed (success and non-success
//! apart), media types added, removed or renamed (a broader, narrower or re-parameterized
//! name for the same content), a schema added to or removed from a media type, headers
//! added, removed or made optional; then each schema is handed to `schema::compare`
//! (`Site::ResponseBody`, `Site::ResponseHeader`).
//!
//! Direction: the client reads these, so a response that can return more, or promises
//! less, is the risk. Must not: judge schema keywords or properties.

use super::rules::Rule;
use super::schema::{self, Site};
use super::{Emitter, Scope};
use crate::model::{MediaType, Operation, Response};
use crate::named_rules;
use std::collections::BTreeMap;

named_rules! {
    RESPONSE_SUCCESS_STATUS_ADDED           oasdiff "response-success-status-added"           Info Response existence    add        "a 2xx response status was added" "added the success response with the status {0}";
    RESPONSE_SUCCESS_STATUS_REMOVED         oasdiff "response-success-status-removed"         Err  Response existence    remove     "a 2xx response status was removed" "removed the success response with the status {0}";
    RESPONSE_NON_SUCCESS_STATUS_ADDED       oasdiff "response-non-success-status-added"       Info Response existence    add        "a non-2xx response status was added" "added the non-success response with the status {0}";
    RESPONSE_NON_SUCCESS_STATUS_REMOVED     oasdiff "response-non-success-status-removed"     Info Response existence    remove     "a non-2xx response status was removed" "removed the non-success response with the status {0}";
    RESPONSE_MEDIA_TYPE_ADDED               oasdiff "response-media-type-added"               Info Response existence    add        "a response gained a media type" "added the media type {0} for the response with the status {1}";
    RESPONSE_MEDIA_TYPE_REMOVED             oasdiff "response-media-type-removed"             Err  Response existence    remove     "a response lost a media type" "removed the media type {0} for the response with the status {1}";
    RESPONSE_MEDIA_TYPE_NAME_CHANGED        oasdiff "response-media-type-name-changed"        Info Response values       change     "a response media type kept its type but changed its parameters (e.g. charset)" "the media type {0} changed to {1} for the response with the status {2}";
    RESPONSE_MEDIA_TYPE_NAME_GENERALIZED    oasdiff "response-media-type-name-generalized"    Err  Response values       generalize "a response media type was replaced by a broader one (e.g. application/json -> application/*)" "the media type {0} was generalized to {1} for the response with the status {2}";
    RESPONSE_MEDIA_TYPE_NAME_SPECIALIZED    oasdiff "response-media-type-name-specialized"    Info Response values       specialize "a response media type was replaced by a narrower one" "the media type {0} was specialized to {1} for the response with the status {2}";
    RESPONSE_BODY_MEDIA_TYPE_SCHEMA_ADDED   oasdiff "response-body-media-type-schema-added"   Info Response existence    add        "a schema was added under a response media type" "added a schema to the media type {0} of the response with the status {1}";
    RESPONSE_BODY_MEDIA_TYPE_SCHEMA_REMOVED oasdiff "response-body-media-type-schema-removed" Warn Response existence    remove     "the schema was removed from a response media type" "removed the schema from the media type {0} of the response with the status {1}";
    RESPONSE_HEADER_ADDED                   oasdiff "response-header-added"                   Info Response existence    add        "a response header was added" "added the response header {0} for the status {1}";
    REQUIRED_RESPONSE_HEADER_REMOVED        oasdiff "required-response-header-removed"        Err  Response existence    remove     "a required response header was removed" "removed the required response header {0} for the status {1}";
    OPTIONAL_RESPONSE_HEADER_REMOVED        oasdiff "optional-response-header-removed"        Warn Response existence    remove     "an optional response header was removed" "removed the optional response header {0} for the status {1}";
    RESPONSE_HEADER_BECAME_OPTIONAL         oasdiff "response-header-became-optional"         Err  Response requiredness change     "a response header went from required to optional" "the response header {0} became optional for the status {1}";
    RESPONSE_HEADER_BECAME_REQUIRED         ours    "response-header-became-required"         Info Response requiredness change     "a response header went from optional to required (a reader can count on it)" "the response header {0} became required for the status {1}";
}

fn is_success(status: &str) -> bool {
    status.starts_with('2')
}

/// A media type name split into type, subtype and sorted parameters.
#[derive(Debug, PartialEq)]
struct MediaName {
    kind: String,
    subtype: String,
    params: BTreeMap<String, String>,
}

fn parse_media(name: &str) -> MediaName {
    let mut parts = name.split(';');
    let essence = parts.next().unwrap_or("").trim();
    let (kind, subtype) = essence.split_once('/').unwrap_or((essence, ""));
    let params = parts
        .filter_map(|p| {
            let (k, v) = p.split_once('=')?;
            Some((k.trim().to_string(), v.trim().trim_matches('"').to_string()))
        })
        .collect();
    MediaName {
        kind: kind.trim().to_string(),
        subtype: subtype.trim().to_string(),
        params,
    }
}

/// True when every name `narrow` matches is matched by `wide` too (ignoring parameters).
fn covers(wide: &MediaName, narrow: &MediaName) -> bool {
    wide.kind == "*"
        || (wide.kind == narrow.kind && (wide.subtype == "*" || wide.subtype == narrow.subtype))
}

/// How a removed media type relates to an added one, as a rule id, if at all.
fn rename_rule(from: &str, to: &str) -> Option<&'static Rule> {
    let (f, t) = (parse_media(from), parse_media(to));
    if f.kind == t.kind && f.subtype == t.subtype {
        return (f.params != t.params).then_some(&RESPONSE_MEDIA_TYPE_NAME_CHANGED);
    }
    if covers(&t, &f) {
        Some(&RESPONSE_MEDIA_TYPE_NAME_GENERALIZED)
    } else if covers(&f, &t) {
        Some(&RESPONSE_MEDIA_TYPE_NAME_SPECIALIZED)
    } else {
        None
    }
}

pub fn check_op(em: &mut Emitter<'_>, scope: &Scope, b: &Operation, r: &Operation) {
    for (status, bresp) in &b.responses {
        let Some(rresp) = r.responses.get(status) else {
            let id = if is_success(status) {
                &RESPONSE_SUCCESS_STATUS_REMOVED
            } else {
                &RESPONSE_NON_SUCCESS_STATUS_REMOVED
            };
            em.emit(
                scope,
                id,
                vec![status.clone()],
                Some(bresp.pointer.clone()),
                None,
            );
            continue;
        };
        check_content(em, scope, status, bresp, rresp);
        check_headers(em, scope, status, bresp, rresp);
    }
    for (status, rresp) in &r.responses {
        if !b.responses.contains_key(status) {
            let id = if is_success(status) {
                &RESPONSE_SUCCESS_STATUS_ADDED
            } else {
                &RESPONSE_NON_SUCCESS_STATUS_ADDED
            };
            em.emit(
                scope,
                id,
                vec![status.clone()],
                None,
                Some(rresp.pointer.clone()),
            );
        }
    }
}

fn check_content(em: &mut Emitter<'_>, scope: &Scope, status: &str, b: &Response, r: &Response) {
    let removed: Vec<&String> = b
        .content
        .keys()
        .filter(|k| !r.content.contains_key(*k))
        .collect();
    let mut added: Vec<&String> = r
        .content
        .keys()
        .filter(|k| !b.content.contains_key(*k))
        .collect();

    // Media types present on both sides, then removed ones paired with a renamed one.
    let mut pairs: Vec<(&String, &String)> = b
        .content
        .keys()
        .filter(|k| r.content.contains_key(*k))
        .map(|k| (k, k))
        .collect();
    for from in removed {
        let bm = &b.content[from];
        let renamed = added.iter().position(|to| rename_rule(from, to).is_some());
        match renamed {
            Some(i) => {
                let to = added.remove(i);
                if let Some(id) = rename_rule(from, to) {
                    let args = vec![from.clone(), to.clone(), status.to_string()];
                    let rp = Some(r.content[to].pointer.clone());
                    em.emit(scope, id, args, Some(bm.pointer.clone()), rp);
                }
                pairs.push((from, to));
            }
            None => {
                let args = vec![from.clone(), status.to_string()];
                let bp = Some(bm.pointer.clone());
                em.emit(scope, &RESPONSE_MEDIA_TYPE_REMOVED, args, bp, None);
            }
        }
    }
    for to in added {
        let args = vec![to.clone(), status.to_string()];
        let rp = Some(r.content[to].pointer.clone());
        em.emit(scope, &RESPONSE_MEDIA_TYPE_ADDED, args, None, rp);
    }
    for (from, to) in pairs {
        compare_media(em, scope, status, to, &b.content[from], &r.content[to]);
    }
}

fn compare_media(
    em: &mut Emitter<'_>,
    scope: &Scope,
    status: &str,
    media_type: &str,
    bm: &MediaType,
    rm: &MediaType,
) {
    let (bp, rp) = (Some(bm.pointer.clone()), Some(rm.pointer.clone()));
    let args = vec![media_type.to_string(), status.to_string()];
    match (bm.schema, rm.schema) {
        (Some(bs), Some(rs)) => {
            let site = Site::ResponseBody { status, media_type };
            schema::compare(em, scope, site, bs, rs);
        }
        (None, Some(_)) => em.emit(scope, &RESPONSE_BODY_MEDIA_TYPE_SCHEMA_ADDED, args, bp, rp),
        (Some(_), None) => em.emit(
            scope,
            &RESPONSE_BODY_MEDIA_TYPE_SCHEMA_REMOVED,
            args,
            bp,
            rp,
        ),
        (None, None) => {}
    }
}

fn check_headers(em: &mut Emitter<'_>, scope: &Scope, status: &str, b: &Response, r: &Response) {
    for (key, bh) in &b.headers {
        let Some(rh) = r.headers.get(key) else {
            let id = if bh.required {
                &REQUIRED_RESPONSE_HEADER_REMOVED
            } else {
                &OPTIONAL_RESPONSE_HEADER_REMOVED
            };
            let args = vec![bh.name.clone(), status.to_string()];
            em.emit(scope, id, args, Some(bh.pointer.clone()), None);
            continue;
        };
        if bh.required != rh.required {
            let args = vec![rh.name.clone(), status.to_string()];
            let pointers = (Some(bh.pointer.clone()), Some(rh.pointer.clone()));
            let rule = if rh.required {
                &RESPONSE_HEADER_BECAME_REQUIRED
            } else {
                &RESPONSE_HEADER_BECAME_OPTIONAL
            };
            em.emit(scope, rule, args, pointers.0, pointers.1);
        }
        if let (Some(bs), Some(rs)) = (bh.schema, rh.schema) {
            let site = Site::ResponseHeader {
                status,
                name: &rh.name,
            };
            schema::compare(em, scope, site, bs, rs);
        }
    }
    for (key, rh) in &r.headers {
        if !b.headers.contains_key(key) {
            let args = vec![rh.name.clone(), status.to_string()];
            em.emit(
                scope,
                &RESPONSE_HEADER_ADDED,
                args,
                None,
                Some(rh.pointer.clone()),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn media_type_renames_are_classified() {
        assert_eq!(
            rename_rule("application/json", "application/*").map(|r| r.id),
            Some("response-media-type-name-generalized")
        );
        assert_eq!(
            rename_rule("*/*", "application/json").map(|r| r.id),
            Some("response-media-type-name-specialized")
        );
        assert_eq!(
            rename_rule("text/plain; charset=utf-8", "text/plain; charset=ascii").map(|r| r.id),
            Some("response-media-type-name-changed")
        );
        assert_eq!(
            rename_rule("application/json", "application/xml").map(|r| r.id),
            None
        );
        assert_eq!(
            rename_rule("application/json", "text/*").map(|r| r.id),
            None
        );
    }

    #[test]
    fn success_is_any_2xx_status_or_range() {
        assert!(is_success("200") && is_success("2XX"));
        assert!(!is_success("default") && !is_success("404"));
    }
}

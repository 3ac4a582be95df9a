//! The request body as a container: added or removed, required/optional flips, media
//! types added or removed, a schema added to or removed from a media type; then each
//! media type's schema is handed to `schema::compare` at `Site::RequestBody`.
//!
//! Must not: judge schema keywords or properties (those belong to `schema`).

use super::schema::{self, Site};
use super::{Emitter, Scope};
use crate::model::Operation;
use crate::named_rules;

named_rules! {
    REQUEST_BODY_ADDED_REQUIRED            oasdiff "request-body-added-required"            Err  Request  existence    add        "a required request body was added where there was none" "added required request body";
    REQUEST_BODY_ADDED_OPTIONAL            oasdiff "request-body-added-optional"            Info Request  existence    add        "an optional request body was added where there was none" "added optional request body";
    REQUEST_BODY_REMOVED                   oasdiff "request-body-removed"                   Err  Request  existence    remove     "the request body was removed" "removed the request body";
    REQUEST_BODY_BECAME_REQUIRED           oasdiff "request-body-became-required"           Err  Request  requiredness change     "the request body went from optional to required" "request body became required";
    REQUEST_BODY_BECAME_OPTIONAL           oasdiff "request-body-became-optional"           Info Request  requiredness change     "the request body went from required to optional" "request body became optional";
    REQUEST_BODY_MEDIA_TYPE_ADDED          oasdiff "request-body-media-type-added"          Info Request  existence    add        "the request body accepts a new media type" "added the media type {0} to the request body";
    REQUEST_BODY_MEDIA_TYPE_REMOVED        oasdiff "request-body-media-type-removed"        Err  Request  existence    remove     "the request body no longer accepts a media type" "removed the media type {0} from the request body";
    REQUEST_BODY_MEDIA_TYPE_SCHEMA_ADDED   oasdiff "request-body-media-type-schema-added"   Err  Request  existence    add        "a schema was added under a media type of the request body" "added a schema to the request body media type {0}";
    REQUEST_BODY_MEDIA_TYPE_SCHEMA_REMOVED oasdiff "request-body-media-type-schema-removed" Info Request  existence    remove     "the schema was removed from a media type of the request body" "removed the schema from the request body media type {0}";
}

pub fn check_op(em: &mut Emitter<'_>, scope: &Scope, b: &Operation, r: &Operation) {
    let (bb, rb) = match (&b.request_body, &r.request_body) {
        (None, None) => return,
        (None, Some(rb)) => {
            let id = if rb.required {
                &REQUEST_BODY_ADDED_REQUIRED
            } else {
                &REQUEST_BODY_ADDED_OPTIONAL
            };
            em.emit(scope, id, vec![], None, Some(rb.pointer.clone()));
            return;
        }
        (Some(bb), None) => {
            em.emit(
                scope,
                &REQUEST_BODY_REMOVED,
                vec![],
                Some(bb.pointer.clone()),
                None,
            );
            return;
        }
        (Some(bb), Some(rb)) => (bb, rb),
    };
    if bb.required != rb.required {
        let id = if rb.required {
            &REQUEST_BODY_BECAME_REQUIRED
        } else {
            &REQUEST_BODY_BECAME_OPTIONAL
        };
        em.emit(
            scope,
            id,
            vec![],
            Some(bb.pointer.clone()),
            Some(rb.pointer.clone()),
        );
    }
    for (mt, bm) in &bb.content {
        let Some(rm) = rb.content.get(mt) else {
            let args = vec![mt.clone()];
            let bp = Some(bm.pointer.clone());
            em.emit(scope, &REQUEST_BODY_MEDIA_TYPE_REMOVED, args, bp, None);
            continue;
        };
        let (bp, rp) = (Some(bm.pointer.clone()), Some(rm.pointer.clone()));
        match (bm.schema, rm.schema) {
            (Some(bs), Some(rs)) => {
                schema::compare(em, scope, Site::RequestBody { media_type: mt }, bs, rs)
            }
            (None, Some(_)) => em.emit(
                scope,
                &REQUEST_BODY_MEDIA_TYPE_SCHEMA_ADDED,
                vec![mt.clone()],
                bp,
                rp,
            ),
            (Some(_), None) => em.emit(
                scope,
                &REQUEST_BODY_MEDIA_TYPE_SCHEMA_REMOVED,
                vec![mt.clone()],
                bp,
                rp,
            ),
            (None, None) => {}
        }
    }
    for (mt, rm) in &rb.content {
        if !bb.content.contains_key(mt) {
            let rp = Some(rm.pointer.clone());
            em.emit(
                scope,
                &REQUEST_BODY_MEDIA_TYPE_ADDED,
                vec![mt.clone()],
                None,
                rp,
            );
        }
    }
}

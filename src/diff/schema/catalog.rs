//! The schema rules' catalog rows: ids, default levels and message templates.
//!
//! Generated once from `../shared/reference/rule-ids.tsv` (oasdiff's vocabulary) for the
//! rule families `schema.rs` emits, then kept by hand. Args of every template: the
//! property path first (property rules only), then the rule's details (values, bounds),
//! then the site context (media type; status + media type; location + name; header
//! name + status). Must not: contain check logic.

use crate::diff::rules::Rule;
use crate::rule;

/// Every rule the schema comparator can emit.
pub const RULES: &[Rule] = &[
    rule!(
        "new-optional-request-property",
        Info,
        Request,
        "existence",
        "add",
        "new optional property in request body",
        "added the new optional request property '{0}' (media type '{1}')"
    ),
    rule!(
        "new-required-request-header-property",
        Err,
        Request,
        "existence",
        "add",
        "required property added inside an object-typed header parameter",
        "added the new required property '{0}' to the {1} request parameter '{2}'"
    ),
    rule!(
        "new-required-request-property",
        Err,
        Request,
        "existence",
        "add",
        "new required property in request body",
        "added the new required request property '{0}' (media type '{1}')"
    ),
    rule!(
        "new-required-request-property-with-default",
        Err,
        Request,
        "existence",
        "add",
        "new required request property that carries a default (still breaking)",
        "added the new required request property '{0}' with a default value (media type '{1}')"
    ),
    rule!(
        "request-body-all-of-added",
        Err,
        Request,
        "structure",
        "add",
        "req body: allOf branch added",
        "added the allOf branch '{0}' to the request body (media type '{1}')"
    ),
    rule!(
        "request-body-all-of-added-annotation-only",
        Info,
        Request,
        "structure",
        "add",
        "req body: allOf branch with only annotations added (no wire effect)",
        "added the annotation-only allOf branch '{0}' to the request body (media type '{1}')"
    ),
    rule!(
        "request-body-all-of-removed",
        Warn,
        Request,
        "structure",
        "remove",
        "req body: allOf branch removed",
        "removed the allOf branch '{0}' from the request body (media type '{1}')"
    ),
    rule!(
        "request-body-all-of-removed-annotation-only",
        Info,
        Request,
        "structure",
        "remove",
        "req body: allOf branch with only annotations removed (no wire effect)",
        "removed the annotation-only allOf branch '{0}' from the request body (media type '{1}')"
    ),
    rule!(
        "request-body-any-of-added",
        Info,
        Request,
        "structure",
        "add",
        "req body: anyOf branch added",
        "added the anyOf branch '{0}' to the request body (media type '{1}')"
    ),
    rule!(
        "request-body-any-of-removed",
        Err,
        Request,
        "structure",
        "remove",
        "req body: anyOf branch removed",
        "removed the anyOf branch '{0}' from the request body (media type '{1}')"
    ),
    rule!(
        "request-body-became-enum",
        Err,
        Request,
        "values",
        "change",
        "req body: now restricted to an enum",
        "restricted the request body to an enum (media type '{0}')"
    ),
    rule!(
        "request-body-became-not-nullable",
        Err,
        Request,
        "requiredness",
        "change",
        "req body: null no longer allowed",
        "the request body became not nullable (media type '{0}')"
    ),
    rule!(
        "request-body-became-nullable",
        Info,
        Request,
        "requiredness",
        "change",
        "req body: null now allowed",
        "the request body became nullable (media type '{0}')"
    ),
    rule!(
        "request-body-const-added",
        Err,
        Request,
        "values",
        "add",
        "req body: const introduced",
        "added the const value {0} to the request body (media type '{1}')"
    ),
    rule!(
        "request-body-const-changed",
        Err,
        Request,
        "values",
        "change",
        "req body: const value changed",
        "changed the const value of the request body from {0} to {1} (media type '{2}')"
    ),
    rule!(
        "request-body-const-removed",
        Info,
        Request,
        "values",
        "remove",
        "req body: const dropped",
        "removed the const value {0} from the request body (media type '{1}')"
    ),
    rule!(
        "request-body-contains-added",
        Err,
        Request,
        "structure",
        "add",
        "req body: contains introduced",
        "added 'contains' to the request body (media type '{0}')"
    ),
    rule!(
        "request-body-contains-removed",
        Info,
        Request,
        "structure",
        "remove",
        "req body: contains dropped",
        "removed 'contains' from the request body (media type '{0}')"
    ),
    rule!(
        "request-body-content-encoding-changed",
        Err,
        Request,
        "type",
        "change",
        "req body: contentEncoding changed",
        "changed the contentEncoding of the request body from '{0}' to '{1}' (media type '{2}')"
    ),
    rule!(
        "request-body-content-media-type-changed",
        Err,
        Request,
        "type",
        "change",
        "req body: contentMediaType changed",
        "changed the contentMediaType of the request body from '{0}' to '{1}' (media type '{2}')"
    ),
    rule!(
        "request-body-content-schema-added",
        Err,
        Request,
        "existence",
        "add",
        "req body: contentSchema introduced",
        "added 'contentSchema' to the request body (media type '{0}')"
    ),
    rule!(
        "request-body-content-schema-removed",
        Info,
        Request,
        "existence",
        "remove",
        "req body: contentSchema dropped",
        "removed 'contentSchema' from the request body (media type '{0}')"
    ),
    rule!(
        "request-body-default-value-added",
        Info,
        Request,
        "values",
        "add",
        "req body: default introduced",
        "added the default value {0} to the request body (media type '{1}')"
    ),
    rule!(
        "request-body-default-value-changed",
        Info,
        Request,
        "values",
        "change",
        "req body: default value changed",
        "changed the default value of the request body from {0} to {1} (media type '{2}')"
    ),
    rule!(
        "request-body-default-value-removed",
        Info,
        Request,
        "values",
        "remove",
        "req body: default dropped",
        "removed the default value {0} from the request body (media type '{1}')"
    ),
    rule!(
        "request-body-dependent-required-added",
        Err,
        Request,
        "structure",
        "add",
        "req body: dependentRequired introduced",
        "added dependentRequired for '{0}' to the request body (media type '{1}')"
    ),
    rule!(
        "request-body-dependent-required-changed",
        Err,
        Request,
        "structure",
        "change",
        "req body: dependentRequired changed",
        "changed dependentRequired for '{0}' of the request body (media type '{1}')"
    ),
    rule!(
        "request-body-dependent-required-removed",
        Info,
        Request,
        "structure",
        "remove",
        "req body: dependentRequired dropped",
        "removed dependentRequired for '{0}' from the request body (media type '{1}')"
    ),
    rule!(
        "request-body-dependent-schema-added",
        Err,
        Request,
        "structure",
        "add",
        "req body: dependentSchemas entry added",
        "added the dependentSchemas entry '{0}' to the request body (media type '{1}')"
    ),
    rule!(
        "request-body-dependent-schema-removed",
        Info,
        Request,
        "structure",
        "remove",
        "req body: dependentSchemas entry removed",
        "removed the dependentSchemas entry '{0}' from the request body (media type '{1}')"
    ),
    rule!(
        "request-body-discriminator-added",
        Info,
        Request,
        "structure",
        "add",
        "req body: discriminator introduced",
        "added a discriminator to the request body (media type '{0}')"
    ),
    rule!(
        "request-body-discriminator-mapping-added",
        Info,
        Request,
        "structure",
        "add",
        "req body: discriminator mapping entry added",
        "added the discriminator mapping '{0}' to the request body (media type '{1}')"
    ),
    rule!(
        "request-body-discriminator-mapping-changed",
        Info,
        Request,
        "structure",
        "change",
        "req body: discriminator mapping target changed",
        "changed the discriminator mapping target of '{0}' in the request body (media type '{1}')"
    ),
    rule!(
        "request-body-discriminator-mapping-deleted",
        Info,
        Request,
        "structure",
        "remove",
        "req body: discriminator mapping entry removed",
        "removed the discriminator mapping '{0}' from the request body (media type '{1}')"
    ),
    rule!(
        "request-body-discriminator-property-name-changed",
        Info,
        Request,
        "structure",
        "change",
        "req body: discriminator propertyName changed",
        "changed the discriminator propertyName of the request body from '{0}' to '{1}' (media type '{2}')"
    ),
    rule!(
        "request-body-discriminator-removed",
        Info,
        Request,
        "structure",
        "remove",
        "req body: discriminator dropped",
        "removed the discriminator from the request body (media type '{0}')"
    ),
    rule!(
        "request-body-else-added",
        Err,
        Request,
        "structure",
        "add",
        "req body: else subschema added",
        "added 'else' to the request body (media type '{0}')"
    ),
    rule!(
        "request-body-else-removed",
        Info,
        Request,
        "structure",
        "remove",
        "req body: else subschema removed",
        "removed 'else' from the request body (media type '{0}')"
    ),
    rule!(
        "request-body-enum-value-removed",
        Err,
        Request,
        "values",
        "remove",
        "req body: enum value removed",
        "removed the enum value '{0}' from the request body (media type '{1}')"
    ),
    rule!(
        "request-body-exclusive-max-decreased",
        Err,
        Request,
        "constraints",
        "decrease",
        "req body: exclusiveMaximum lowered",
        "decreased the exclusiveMaximum of the request body from {0} to {1} (media type '{2}')"
    ),
    rule!(
        "request-body-exclusive-max-increased",
        Info,
        Request,
        "constraints",
        "increase",
        "req body: exclusiveMaximum raised",
        "increased the exclusiveMaximum of the request body from {0} to {1} (media type '{2}')"
    ),
    rule!(
        "request-body-exclusive-max-set",
        Warn,
        Request,
        "constraints",
        "set",
        "req body: exclusiveMaximum newly set",
        "set the exclusiveMaximum of the request body to {0} (media type '{1}')"
    ),
    rule!(
        "request-body-exclusive-min-decreased",
        Info,
        Request,
        "constraints",
        "decrease",
        "req body: exclusiveMinimum lowered",
        "decreased the exclusiveMinimum of the request body from {0} to {1} (media type '{2}')"
    ),
    rule!(
        "request-body-exclusive-min-increased",
        Err,
        Request,
        "constraints",
        "increase",
        "req body: exclusiveMinimum raised",
        "increased the exclusiveMinimum of the request body from {0} to {1} (media type '{2}')"
    ),
    rule!(
        "request-body-exclusive-min-set",
        Warn,
        Request,
        "constraints",
        "set",
        "req body: exclusiveMinimum newly set",
        "set the exclusiveMinimum of the request body to {0} (media type '{1}')"
    ),
    rule!(
        "request-body-if-added",
        Err,
        Request,
        "structure",
        "add",
        "req body: if subschema added",
        "added 'if' to the request body (media type '{0}')"
    ),
    rule!(
        "request-body-if-removed",
        Info,
        Request,
        "structure",
        "remove",
        "req body: if subschema removed",
        "removed 'if' from the request body (media type '{0}')"
    ),
    rule!(
        "request-body-list-of-types-narrowed",
        Err,
        Request,
        "type",
        "remove",
        "req body: type array lost a member",
        "narrowed the list of types of the request body from '{0}' to '{1}' (media type '{2}')"
    ),
    rule!(
        "request-body-list-of-types-widened",
        Info,
        Request,
        "type",
        "add",
        "req body: type array gained a member",
        "widened the list of types of the request body from '{0}' to '{1}' (media type '{2}')"
    ),
    rule!(
        "request-body-max-contains-decreased",
        Err,
        Request,
        "constraints",
        "decrease",
        "req body: maxContains lowered",
        "decreased the maxContains of the request body from {0} to {1} (media type '{2}')"
    ),
    rule!(
        "request-body-max-contains-increased",
        Info,
        Request,
        "constraints",
        "increase",
        "req body: maxContains raised",
        "increased the maxContains of the request body from {0} to {1} (media type '{2}')"
    ),
    rule!(
        "request-body-max-decreased",
        Err,
        Request,
        "constraints",
        "decrease",
        "req body: maximum lowered",
        "decreased the maximum of the request body from {0} to {1} (media type '{2}')"
    ),
    rule!(
        "request-body-max-increased",
        Info,
        Request,
        "constraints",
        "increase",
        "req body: maximum raised",
        "increased the maximum of the request body from {0} to {1} (media type '{2}')"
    ),
    rule!(
        "request-body-max-length-decreased",
        Err,
        Request,
        "constraints",
        "decrease",
        "req body: maxLength lowered",
        "decreased the maxLength of the request body from {0} to {1} (media type '{2}')"
    ),
    rule!(
        "request-body-max-length-increased",
        Info,
        Request,
        "constraints",
        "increase",
        "req body: maxLength raised",
        "increased the maxLength of the request body from {0} to {1} (media type '{2}')"
    ),
    rule!(
        "request-body-max-length-set",
        Warn,
        Request,
        "constraints",
        "set",
        "req body: maxLength newly set",
        "set the maxLength of the request body to {0} (media type '{1}')"
    ),
    rule!(
        "request-body-max-set",
        Warn,
        Request,
        "constraints",
        "set",
        "req body: maximum newly set",
        "set the maximum of the request body to {0} (media type '{1}')"
    ),
    rule!(
        "request-body-min-contains-decreased",
        Info,
        Request,
        "constraints",
        "decrease",
        "req body: minContains lowered",
        "decreased the minContains of the request body from {0} to {1} (media type '{2}')"
    ),
    rule!(
        "request-body-min-contains-increased",
        Err,
        Request,
        "constraints",
        "increase",
        "req body: minContains raised",
        "increased the minContains of the request body from {0} to {1} (media type '{2}')"
    ),
    rule!(
        "request-body-min-decreased",
        Info,
        Request,
        "constraints",
        "decrease",
        "req body: minimum lowered",
        "decreased the minimum of the request body from {0} to {1} (media type '{2}')"
    ),
    rule!(
        "request-body-min-increased",
        Err,
        Request,
        "constraints",
        "increase",
        "req body: minimum raised",
        "increased the minimum of the request body from {0} to {1} (media type '{2}')"
    ),
    rule!(
        "request-body-min-items-increased",
        Err,
        Request,
        "constraints",
        "increase",
        "req body: minItems raised",
        "increased the minItems of the request body from {0} to {1} (media type '{2}')"
    ),
    rule!(
        "request-body-min-items-set",
        Warn,
        Request,
        "constraints",
        "set",
        "req body: minItems newly set",
        "set the minItems of the request body to {0} (media type '{1}')"
    ),
    rule!(
        "request-body-min-length-decreased",
        Info,
        Request,
        "constraints",
        "decrease",
        "req body: minLength lowered",
        "decreased the minLength of the request body from {0} to {1} (media type '{2}')"
    ),
    rule!(
        "request-body-min-length-increased",
        Err,
        Request,
        "constraints",
        "increase",
        "req body: minLength raised",
        "increased the minLength of the request body from {0} to {1} (media type '{2}')"
    ),
    rule!(
        "request-body-min-set",
        Warn,
        Request,
        "constraints",
        "set",
        "req body: minimum newly set",
        "set the minimum of the request body to {0} (media type '{1}')"
    ),
    rule!(
        "request-body-one-of-added",
        Info,
        Request,
        "structure",
        "add",
        "req body: oneOf branch added",
        "added the oneOf branch '{0}' to the request body (media type '{1}')"
    ),
    rule!(
        "request-body-one-of-removed",
        Err,
        Request,
        "structure",
        "remove",
        "req body: oneOf branch removed",
        "removed the oneOf branch '{0}' from the request body (media type '{1}')"
    ),
    rule!(
        "request-body-pattern-property-added",
        Err,
        Request,
        "constraints",
        "add",
        "req body: patternProperties entry added",
        "added the patternProperties entry '{0}' to the request body (media type '{1}')"
    ),
    rule!(
        "request-body-pattern-property-removed",
        Info,
        Request,
        "constraints",
        "remove",
        "req body: patternProperties entry removed",
        "removed the patternProperties entry '{0}' from the request body (media type '{1}')"
    ),
    rule!(
        "request-body-prefix-items-added",
        Info,
        Request,
        "structure",
        "add",
        "req body: prefixItems entry added",
        "added prefixItems entry #{0} to the request body (media type '{1}')"
    ),
    rule!(
        "request-body-prefix-items-removed",
        Err,
        Request,
        "structure",
        "remove",
        "req body: prefixItems entry removed",
        "removed prefixItems entry #{0} from the request body (media type '{1}')"
    ),
    rule!(
        "request-body-property-names-added",
        Err,
        Request,
        "structure",
        "add",
        "req body: propertyNames introduced",
        "added 'propertyNames' to the request body (media type '{0}')"
    ),
    rule!(
        "request-body-property-names-removed",
        Info,
        Request,
        "structure",
        "remove",
        "req body: propertyNames dropped",
        "removed 'propertyNames' from the request body (media type '{0}')"
    ),
    rule!(
        "request-body-then-added",
        Err,
        Request,
        "structure",
        "add",
        "req body: then subschema added",
        "added 'then' to the request body (media type '{0}')"
    ),
    rule!(
        "request-body-then-removed",
        Info,
        Request,
        "structure",
        "remove",
        "req body: then subschema removed",
        "removed 'then' from the request body (media type '{0}')"
    ),
    rule!(
        "request-body-type-changed",
        Err,
        Request,
        "type",
        "change",
        "req body: type/format changed incompatibly",
        "changed the type of the request body from '{0}' to '{1}' (media type '{2}')"
    ),
    rule!(
        "request-body-type-compatible",
        Info,
        Request,
        "type",
        "change",
        "req body: type changed, tolerated because the location is text/loosely typed",
        "changed the type of the request body from '{0}' to '{1}', tolerated because the media type '{2}' carries values as text"
    ),
    rule!(
        "request-body-type-generalized",
        Info,
        Request,
        "type",
        "generalize",
        "req body: type/format widened",
        "generalized the type of the request body from '{0}' to '{1}' (media type '{2}')"
    ),
    rule!(
        "request-body-unevaluated-items-added",
        Err,
        Request,
        "structure",
        "add",
        "req body: unevaluatedItems introduced",
        "added 'unevaluatedItems' to the request body (media type '{0}')"
    ),
    rule!(
        "request-body-unevaluated-items-removed",
        Info,
        Request,
        "structure",
        "remove",
        "req body: unevaluatedItems dropped",
        "removed 'unevaluatedItems' from the request body (media type '{0}')"
    ),
    rule!(
        "request-body-unevaluated-properties-added",
        Err,
        Request,
        "structure",
        "add",
        "req body: unevaluatedProperties introduced",
        "added 'unevaluatedProperties' to the request body (media type '{0}')"
    ),
    rule!(
        "request-body-unevaluated-properties-removed",
        Info,
        Request,
        "structure",
        "remove",
        "req body: unevaluatedProperties dropped",
        "removed 'unevaluatedProperties' from the request body (media type '{0}')"
    ),
    rule!(
        "request-body-wrapped-in-one-of",
        Err,
        Request,
        "structure",
        "change",
        "req body: schema moved under a oneOf wrapper",
        "wrapped the request body in a oneOf (media type '{0}')"
    ),
    rule!(
        "request-header-property-became-enum",
        Err,
        Request,
        "values",
        "change",
        "property inside object header param restricted to enum",
        "restricted the property '{0}' of the {1} request parameter '{2}' to an enum"
    ),
    rule!(
        "request-header-property-became-required",
        Err,
        Request,
        "requiredness",
        "change",
        "property inside object header param became required",
        "the property '{0}' of the {1} request parameter '{2}' became required"
    ),
    rule!(
        "request-optional-property-became-not-read-only",
        Info,
        Request,
        "mutability",
        "change",
        "optional req property: readOnly dropped",
        "the optional request property '{0}' became not read-only (media type '{1}')"
    ),
    rule!(
        "request-optional-property-became-not-write-only",
        Info,
        Request,
        "mutability",
        "change",
        "optional req property: writeOnly dropped",
        "the optional request property '{0}' became not write-only (media type '{1}')"
    ),
    rule!(
        "request-optional-property-became-read-only",
        Info,
        Request,
        "mutability",
        "change",
        "optional req property: readOnly set",
        "the optional request property '{0}' became read-only (media type '{1}')"
    ),
    rule!(
        "request-optional-property-became-write-only",
        Info,
        Request,
        "mutability",
        "change",
        "optional req property: writeOnly set",
        "the optional request property '{0}' became write-only (media type '{1}')"
    ),
    rule!(
        "request-parameter-became-enum",
        Err,
        Request,
        "values",
        "change",
        "req parameter: now restricted to an enum",
        "restricted the {0} request parameter '{1}' to an enum"
    ),
    rule!(
        "request-parameter-became-not-nullable",
        Err,
        Request,
        "requiredness",
        "change",
        "req parameter: null no longer allowed",
        "the {0} request parameter '{1}' became not nullable"
    ),
    rule!(
        "request-parameter-became-nullable",
        Info,
        Request,
        "requiredness",
        "change",
        "req parameter: null now allowed",
        "the {0} request parameter '{1}' became nullable"
    ),
    rule!(
        "request-parameter-default-value-added",
        Err,
        Request,
        "values",
        "add",
        "req parameter: default introduced",
        "added the default value {0} to the {1} request parameter '{2}'"
    ),
    rule!(
        "request-parameter-default-value-changed",
        Err,
        Request,
        "values",
        "change",
        "req parameter: default value changed",
        "changed the default value of the {2} request parameter '{3}' from {0} to {1}"
    ),
    rule!(
        "request-parameter-default-value-removed",
        Err,
        Request,
        "values",
        "remove",
        "req parameter: default dropped",
        "removed the default value {0} from the {1} request parameter '{2}'"
    ),
    rule!(
        "request-parameter-enum-value-added",
        Info,
        Request,
        "values",
        "add",
        "req parameter: enum value added",
        "added the enum value '{0}' to the {1} request parameter '{2}'"
    ),
    rule!(
        "request-parameter-enum-value-removed",
        Err,
        Request,
        "values",
        "remove",
        "req parameter: enum value removed",
        "removed the enum value '{0}' from the {1} request parameter '{2}'"
    ),
    rule!(
        "request-parameter-exclusive-max-decreased",
        Err,
        Request,
        "constraints",
        "decrease",
        "req parameter: exclusiveMaximum lowered",
        "decreased the exclusiveMaximum of the {2} request parameter '{3}' from {0} to {1}"
    ),
    rule!(
        "request-parameter-exclusive-max-increased",
        Info,
        Request,
        "constraints",
        "increase",
        "req parameter: exclusiveMaximum raised",
        "increased the exclusiveMaximum of the {2} request parameter '{3}' from {0} to {1}"
    ),
    rule!(
        "request-parameter-exclusive-max-set",
        Warn,
        Request,
        "constraints",
        "set",
        "req parameter: exclusiveMaximum newly set",
        "set the exclusiveMaximum of the {1} request parameter '{2}' to {0}"
    ),
    rule!(
        "request-parameter-exclusive-min-decreased",
        Info,
        Request,
        "constraints",
        "decrease",
        "req parameter: exclusiveMinimum lowered",
        "decreased the exclusiveMinimum of the {2} request parameter '{3}' from {0} to {1}"
    ),
    rule!(
        "request-parameter-exclusive-min-increased",
        Err,
        Request,
        "constraints",
        "increase",
        "req parameter: exclusiveMinimum raised",
        "increased the exclusiveMinimum of the {2} request parameter '{3}' from {0} to {1}"
    ),
    rule!(
        "request-parameter-exclusive-min-set",
        Warn,
        Request,
        "constraints",
        "set",
        "req parameter: exclusiveMinimum newly set",
        "set the exclusiveMinimum of the {1} request parameter '{2}' to {0}"
    ),
    rule!(
        "request-parameter-list-of-types-narrowed",
        Err,
        Request,
        "type",
        "remove",
        "req parameter: type array lost a member",
        "narrowed the list of types of the {2} request parameter '{3}' from '{0}' to '{1}'"
    ),
    rule!(
        "request-parameter-list-of-types-widened",
        Info,
        Request,
        "type",
        "add",
        "req parameter: type array gained a member",
        "widened the list of types of the {2} request parameter '{3}' from '{0}' to '{1}'"
    ),
    rule!(
        "request-parameter-max-decreased",
        Err,
        Request,
        "constraints",
        "decrease",
        "req parameter: maximum lowered",
        "decreased the maximum of the {2} request parameter '{3}' from {0} to {1}"
    ),
    rule!(
        "request-parameter-max-increased",
        Info,
        Request,
        "constraints",
        "increase",
        "req parameter: maximum raised",
        "increased the maximum of the {2} request parameter '{3}' from {0} to {1}"
    ),
    rule!(
        "request-parameter-max-items-decreased",
        Err,
        Request,
        "constraints",
        "decrease",
        "req parameter: maxItems lowered",
        "decreased the maxItems of the {2} request parameter '{3}' from {0} to {1}"
    ),
    rule!(
        "request-parameter-max-items-increased",
        Info,
        Request,
        "constraints",
        "increase",
        "req parameter: maxItems raised",
        "increased the maxItems of the {2} request parameter '{3}' from {0} to {1}"
    ),
    rule!(
        "request-parameter-max-length-decreased",
        Err,
        Request,
        "constraints",
        "decrease",
        "req parameter: maxLength lowered",
        "decreased the maxLength of the {2} request parameter '{3}' from {0} to {1}"
    ),
    rule!(
        "request-parameter-max-length-increased",
        Info,
        Request,
        "constraints",
        "increase",
        "req parameter: maxLength raised",
        "increased the maxLength of the {2} request parameter '{3}' from {0} to {1}"
    ),
    rule!(
        "request-parameter-max-length-set",
        Warn,
        Request,
        "constraints",
        "set",
        "req parameter: maxLength newly set",
        "set the maxLength of the {1} request parameter '{2}' to {0}"
    ),
    rule!(
        "request-parameter-max-set",
        Warn,
        Request,
        "constraints",
        "set",
        "req parameter: maximum newly set",
        "set the maximum of the {1} request parameter '{2}' to {0}"
    ),
    rule!(
        "request-parameter-min-decreased",
        Info,
        Request,
        "constraints",
        "decrease",
        "req parameter: minimum lowered",
        "decreased the minimum of the {2} request parameter '{3}' from {0} to {1}"
    ),
    rule!(
        "request-parameter-min-increased",
        Err,
        Request,
        "constraints",
        "increase",
        "req parameter: minimum raised",
        "increased the minimum of the {2} request parameter '{3}' from {0} to {1}"
    ),
    rule!(
        "request-parameter-min-items-decreased",
        Info,
        Request,
        "constraints",
        "decrease",
        "req parameter: minItems lowered",
        "decreased the minItems of the {2} request parameter '{3}' from {0} to {1}"
    ),
    rule!(
        "request-parameter-min-items-increased",
        Err,
        Request,
        "constraints",
        "increase",
        "req parameter: minItems raised",
        "increased the minItems of the {2} request parameter '{3}' from {0} to {1}"
    ),
    rule!(
        "request-parameter-min-items-set",
        Warn,
        Request,
        "constraints",
        "set",
        "req parameter: minItems newly set",
        "set the minItems of the {1} request parameter '{2}' to {0}"
    ),
    rule!(
        "request-parameter-min-length-decreased",
        Info,
        Request,
        "constraints",
        "decrease",
        "req parameter: minLength lowered",
        "decreased the minLength of the {2} request parameter '{3}' from {0} to {1}"
    ),
    rule!(
        "request-parameter-min-length-increased",
        Err,
        Request,
        "constraints",
        "increase",
        "req parameter: minLength raised",
        "increased the minLength of the {2} request parameter '{3}' from {0} to {1}"
    ),
    rule!(
        "request-parameter-min-set",
        Warn,
        Request,
        "constraints",
        "set",
        "req parameter: minimum newly set",
        "set the minimum of the {1} request parameter '{2}' to {0}"
    ),
    rule!(
        "request-parameter-pattern-added",
        Err,
        Request,
        "constraints",
        "add",
        "req parameter: pattern introduced",
        "added the pattern '{0}' to the {1} request parameter '{2}'"
    ),
    rule!(
        "request-parameter-pattern-changed",
        Warn,
        Request,
        "constraints",
        "change",
        "req parameter: pattern replaced (not provably wider)",
        "changed the pattern of the {2} request parameter '{3}' from '{0}' to '{1}'"
    ),
    rule!(
        "request-parameter-pattern-generalized",
        Info,
        Request,
        "constraints",
        "generalize",
        "req parameter: pattern replaced by a wider one",
        "changed the pattern of the {2} request parameter '{3}' from '{0}' to the more general '{1}'"
    ),
    rule!(
        "request-parameter-pattern-removed",
        Info,
        Request,
        "constraints",
        "remove",
        "req parameter: pattern dropped",
        "removed the pattern '{0}' from the {1} request parameter '{2}'"
    ),
    rule!(
        "request-parameter-property-became-not-nullable",
        Err,
        Request,
        "requiredness",
        "change",
        "object-parameter property: null no longer allowed",
        "the property '{0}' of the {1} request parameter '{2}' became not nullable"
    ),
    rule!(
        "request-parameter-property-became-nullable",
        Info,
        Request,
        "requiredness",
        "change",
        "object-parameter property: null now allowed",
        "the property '{0}' of the {1} request parameter '{2}' became nullable"
    ),
    rule!(
        "request-parameter-property-enum-value-added",
        Info,
        Request,
        "values",
        "add",
        "object-parameter property: enum value added",
        "added the enum value '{1}' to the property '{0}' of the {2} request parameter '{3}'"
    ),
    rule!(
        "request-parameter-property-enum-value-removed",
        Err,
        Request,
        "values",
        "remove",
        "object-parameter property: enum value removed",
        "removed the enum value '{1}' from the property '{0}' of the {2} request parameter '{3}'"
    ),
    rule!(
        "request-parameter-property-list-of-types-narrowed",
        Err,
        Request,
        "type",
        "remove",
        "object-parameter property: type array lost a member",
        "narrowed the list of types of the property '{0}' of the {3} request parameter '{4}' from '{1}' to '{2}'"
    ),
    rule!(
        "request-parameter-property-list-of-types-widened",
        Info,
        Request,
        "type",
        "add",
        "object-parameter property: type array gained a member",
        "widened the list of types of the property '{0}' of the {3} request parameter '{4}' from '{1}' to '{2}'"
    ),
    rule!(
        "request-parameter-property-type-changed",
        Warn,
        Request,
        "type",
        "change",
        "object-parameter property: type/format changed incompatibly",
        "changed the type of the property '{0}' of the {3} request parameter '{4}' from '{1}' to '{2}'"
    ),
    rule!(
        "request-parameter-property-type-generalized",
        Info,
        Request,
        "type",
        "generalize",
        "object-parameter property: type/format widened",
        "generalized the type of the property '{0}' of the {3} request parameter '{4}' from '{1}' to '{2}'"
    ),
    rule!(
        "request-parameter-property-type-specialized",
        Err,
        Request,
        "type",
        "specialize",
        "object-parameter property: type/format narrowed",
        "specialized the type of the property '{0}' of the {3} request parameter '{4}' from '{1}' to '{2}'"
    ),
    rule!(
        "request-parameter-type-changed",
        Err,
        Request,
        "type",
        "change",
        "req parameter: type/format changed incompatibly",
        "changed the type of the {2} request parameter '{3}' from '{0}' to '{1}'"
    ),
    rule!(
        "request-parameter-type-generalized",
        Info,
        Request,
        "type",
        "generalize",
        "req parameter: type/format widened",
        "generalized the type of the {2} request parameter '{3}' from '{0}' to '{1}'"
    ),
    rule!(
        "request-parameter-x-extensible-enum-value-removed",
        Err,
        Request,
        "values",
        "remove",
        "req parameter: x-extensible-enum value removed",
        "removed the x-extensible-enum value '{0}' from the {1} request parameter '{2}'"
    ),
    rule!(
        "request-property-all-of-added",
        Err,
        Request,
        "structure",
        "add",
        "req property: allOf branch added",
        "added the allOf branch '{1}' to the request property '{0}' (media type '{2}')"
    ),
    rule!(
        "request-property-all-of-added-annotation-only",
        Info,
        Request,
        "structure",
        "add",
        "req property: allOf branch with only annotations added (no wire effect)",
        "added the annotation-only allOf branch '{1}' to the request property '{0}' (media type '{2}')"
    ),
    rule!(
        "request-property-all-of-removed",
        Warn,
        Request,
        "structure",
        "remove",
        "req property: allOf branch removed",
        "removed the allOf branch '{1}' from the request property '{0}' (media type '{2}')"
    ),
    rule!(
        "request-property-all-of-removed-annotation-only",
        Info,
        Request,
        "structure",
        "remove",
        "req property: allOf branch with only annotations removed (no wire effect)",
        "removed the annotation-only allOf branch '{1}' from the request property '{0}' (media type '{2}')"
    ),
    rule!(
        "request-property-any-of-added",
        Info,
        Request,
        "structure",
        "add",
        "req property: anyOf branch added",
        "added the anyOf branch '{1}' to the request property '{0}' (media type '{2}')"
    ),
    rule!(
        "request-property-any-of-removed",
        Err,
        Request,
        "structure",
        "remove",
        "req property: anyOf branch removed",
        "removed the anyOf branch '{1}' from the request property '{0}' (media type '{2}')"
    ),
    rule!(
        "request-property-became-enum",
        Err,
        Request,
        "values",
        "change",
        "req property: now restricted to an enum",
        "restricted the request property '{0}' to an enum (media type '{1}')"
    ),
    rule!(
        "request-property-became-not-nullable",
        Err,
        Request,
        "requiredness",
        "change",
        "req property: null no longer allowed",
        "the request property '{0}' became not nullable (media type '{1}')"
    ),
    rule!(
        "request-property-became-nullable",
        Info,
        Request,
        "requiredness",
        "change",
        "req property: null now allowed",
        "the request property '{0}' became nullable (media type '{1}')"
    ),
    rule!(
        "request-property-became-optional",
        Info,
        Request,
        "requiredness",
        "change",
        "req property: required -> optional",
        "the request property '{0}' became optional (media type '{1}')"
    ),
    rule!(
        "request-property-became-required",
        Err,
        Request,
        "requiredness",
        "change",
        "req property: optional -> required",
        "the request property '{0}' became required (media type '{1}')"
    ),
    rule!(
        "request-property-became-required-with-default",
        Err,
        Request,
        "requiredness",
        "change",
        "req property: optional -> required although it has a default",
        "the request property '{0}' became required (it has a default value) (media type '{1}')"
    ),
    rule!(
        "request-property-const-added",
        Err,
        Request,
        "values",
        "add",
        "req property: const introduced",
        "added the const value {1} to the request property '{0}' (media type '{2}')"
    ),
    rule!(
        "request-property-const-changed",
        Err,
        Request,
        "values",
        "change",
        "req property: const value changed",
        "changed the const value of the request property '{0}' from {1} to {2} (media type '{3}')"
    ),
    rule!(
        "request-property-const-removed",
        Info,
        Request,
        "values",
        "remove",
        "req property: const dropped",
        "removed the const value {1} from the request property '{0}' (media type '{2}')"
    ),
    rule!(
        "request-property-contains-added",
        Err,
        Request,
        "structure",
        "add",
        "req property: contains introduced",
        "added 'contains' to the request property '{0}' (media type '{1}')"
    ),
    rule!(
        "request-property-contains-removed",
        Info,
        Request,
        "structure",
        "remove",
        "req property: contains dropped",
        "removed 'contains' from the request property '{0}' (media type '{1}')"
    ),
    rule!(
        "request-property-content-encoding-changed",
        Err,
        Request,
        "type",
        "change",
        "req property: contentEncoding changed",
        "changed the contentEncoding of the request property '{0}' from '{1}' to '{2}' (media type '{3}')"
    ),
    rule!(
        "request-property-content-media-type-changed",
        Err,
        Request,
        "type",
        "change",
        "req property: contentMediaType changed",
        "changed the contentMediaType of the request property '{0}' from '{1}' to '{2}' (media type '{3}')"
    ),
    rule!(
        "request-property-content-schema-added",
        Err,
        Request,
        "existence",
        "add",
        "req property: contentSchema introduced",
        "added 'contentSchema' to the request property '{0}' (media type '{1}')"
    ),
    rule!(
        "request-property-content-schema-removed",
        Info,
        Request,
        "existence",
        "remove",
        "req property: contentSchema dropped",
        "removed 'contentSchema' from the request property '{0}' (media type '{1}')"
    ),
    rule!(
        "request-property-default-value-added",
        Info,
        Request,
        "values",
        "add",
        "req property: default introduced",
        "added the default value {1} to the request property '{0}' (media type '{2}')"
    ),
    rule!(
        "request-property-default-value-changed",
        Info,
        Request,
        "values",
        "change",
        "req property: default value changed",
        "changed the default value of the request property '{0}' from {1} to {2} (media type '{3}')"
    ),
    rule!(
        "request-property-default-value-removed",
        Info,
        Request,
        "values",
        "remove",
        "req property: default dropped",
        "removed the default value {1} from the request property '{0}' (media type '{2}')"
    ),
    rule!(
        "request-property-dependent-required-added",
        Err,
        Request,
        "structure",
        "add",
        "req property: dependentRequired introduced",
        "added dependentRequired for '{1}' to the request property '{0}' (media type '{2}')"
    ),
    rule!(
        "request-property-dependent-required-changed",
        Err,
        Request,
        "structure",
        "change",
        "req property: dependentRequired changed",
        "changed dependentRequired for '{1}' of the request property '{0}' (media type '{2}')"
    ),
    rule!(
        "request-property-dependent-required-removed",
        Info,
        Request,
        "structure",
        "remove",
        "req property: dependentRequired dropped",
        "removed dependentRequired for '{1}' from the request property '{0}' (media type '{2}')"
    ),
    rule!(
        "request-property-dependent-schema-added",
        Err,
        Request,
        "structure",
        "add",
        "req property: dependentSchemas entry added",
        "added the dependentSchemas entry '{1}' to the request property '{0}' (media type '{2}')"
    ),
    rule!(
        "request-property-dependent-schema-removed",
        Info,
        Request,
        "structure",
        "remove",
        "req property: dependentSchemas entry removed",
        "removed the dependentSchemas entry '{1}' from the request property '{0}' (media type '{2}')"
    ),
    rule!(
        "request-property-discriminator-added",
        Info,
        Request,
        "structure",
        "add",
        "req property: discriminator introduced",
        "added a discriminator to the request property '{0}' (media type '{1}')"
    ),
    rule!(
        "request-property-discriminator-mapping-added",
        Info,
        Request,
        "structure",
        "add",
        "req property: discriminator mapping entry added",
        "added the discriminator mapping '{1}' to the request property '{0}' (media type '{2}')"
    ),
    rule!(
        "request-property-discriminator-mapping-changed",
        Info,
        Request,
        "structure",
        "change",
        "req property: discriminator mapping target changed",
        "changed the discriminator mapping target of '{1}' in the request property '{0}' (media type '{2}')"
    ),
    rule!(
        "request-property-discriminator-mapping-deleted",
        Info,
        Request,
        "structure",
        "remove",
        "req property: discriminator mapping entry removed",
        "removed the discriminator mapping '{1}' from the request property '{0}' (media type '{2}')"
    ),
    rule!(
        "request-property-discriminator-property-name-changed",
        Info,
        Request,
        "structure",
        "change",
        "req property: discriminator propertyName changed",
        "changed the discriminator propertyName of the request property '{0}' from '{1}' to '{2}' (media type '{3}')"
    ),
    rule!(
        "request-property-discriminator-removed",
        Info,
        Request,
        "structure",
        "remove",
        "req property: discriminator dropped",
        "removed the discriminator from the request property '{0}' (media type '{1}')"
    ),
    rule!(
        "request-property-else-added",
        Err,
        Request,
        "structure",
        "add",
        "req property: else subschema added",
        "added 'else' to the request property '{0}' (media type '{1}')"
    ),
    rule!(
        "request-property-else-removed",
        Info,
        Request,
        "structure",
        "remove",
        "req property: else subschema removed",
        "removed 'else' from the request property '{0}' (media type '{1}')"
    ),
    rule!(
        "request-property-enum-value-added",
        Info,
        Request,
        "values",
        "add",
        "req property: enum value added",
        "added the enum value '{1}' to the request property '{0}' (media type '{2}')"
    ),
    rule!(
        "request-property-enum-value-removed",
        Err,
        Request,
        "values",
        "remove",
        "req property: enum value removed",
        "removed the enum value '{1}' from the request property '{0}' (media type '{2}')"
    ),
    rule!(
        "request-property-exclusive-max-decreased",
        Err,
        Request,
        "constraints",
        "decrease",
        "req property: exclusiveMaximum lowered",
        "decreased the exclusiveMaximum of the request property '{0}' from {1} to {2} (media type '{3}')"
    ),
    rule!(
        "request-property-exclusive-max-increased",
        Info,
        Request,
        "constraints",
        "increase",
        "req property: exclusiveMaximum raised",
        "increased the exclusiveMaximum of the request property '{0}' from {1} to {2} (media type '{3}')"
    ),
    rule!(
        "request-property-exclusive-max-set",
        Warn,
        Request,
        "constraints",
        "set",
        "req property: exclusiveMaximum newly set",
        "set the exclusiveMaximum of the request property '{0}' to {1} (media type '{2}')"
    ),
    rule!(
        "request-property-exclusive-min-decreased",
        Info,
        Request,
        "constraints",
        "decrease",
        "req property: exclusiveMinimum lowered",
        "decreased the exclusiveMinimum of the request property '{0}' from {1} to {2} (media type '{3}')"
    ),
    rule!(
        "request-property-exclusive-min-increased",
        Err,
        Request,
        "constraints",
        "increase",
        "req property: exclusiveMinimum raised",
        "increased the exclusiveMinimum of the request property '{0}' from {1} to {2} (media type '{3}')"
    ),
    rule!(
        "request-property-exclusive-min-set",
        Warn,
        Request,
        "constraints",
        "set",
        "req property: exclusiveMinimum newly set",
        "set the exclusiveMinimum of the request property '{0}' to {1} (media type '{2}')"
    ),
    rule!(
        "request-property-if-added",
        Err,
        Request,
        "structure",
        "add",
        "req property: if subschema added",
        "added 'if' to the request property '{0}' (media type '{1}')"
    ),
    rule!(
        "request-property-if-removed",
        Info,
        Request,
        "structure",
        "remove",
        "req property: if subschema removed",
        "removed 'if' from the request property '{0}' (media type '{1}')"
    ),
    rule!(
        "request-property-list-of-types-narrowed",
        Err,
        Request,
        "type",
        "remove",
        "req property: type array lost a member",
        "narrowed the list of types of the request property '{0}' from '{1}' to '{2}' (media type '{3}')"
    ),
    rule!(
        "request-property-list-of-types-widened",
        Info,
        Request,
        "type",
        "add",
        "req property: type array gained a member",
        "widened the list of types of the request property '{0}' from '{1}' to '{2}' (media type '{3}')"
    ),
    rule!(
        "request-property-max-contains-decreased",
        Err,
        Request,
        "constraints",
        "decrease",
        "req property: maxContains lowered",
        "decreased the maxContains of the request property '{0}' from {1} to {2} (media type '{3}')"
    ),
    rule!(
        "request-property-max-contains-increased",
        Info,
        Request,
        "constraints",
        "increase",
        "req property: maxContains raised",
        "increased the maxContains of the request property '{0}' from {1} to {2} (media type '{3}')"
    ),
    rule!(
        "request-property-max-decreased",
        Err,
        Request,
        "constraints",
        "decrease",
        "req property: maximum lowered",
        "decreased the maximum of the request property '{0}' from {1} to {2} (media type '{3}')"
    ),
    rule!(
        "request-property-max-increased",
        Info,
        Request,
        "constraints",
        "increase",
        "req property: maximum raised",
        "increased the maximum of the request property '{0}' from {1} to {2} (media type '{3}')"
    ),
    rule!(
        "request-property-max-length-decreased",
        Err,
        Request,
        "constraints",
        "decrease",
        "req property: maxLength lowered",
        "decreased the maxLength of the request property '{0}' from {1} to {2} (media type '{3}')"
    ),
    rule!(
        "request-property-max-length-increased",
        Info,
        Request,
        "constraints",
        "increase",
        "req property: maxLength raised",
        "increased the maxLength of the request property '{0}' from {1} to {2} (media type '{3}')"
    ),
    rule!(
        "request-property-max-length-set",
        Warn,
        Request,
        "constraints",
        "set",
        "req property: maxLength newly set",
        "set the maxLength of the request property '{0}' to {1} (media type '{2}')"
    ),
    rule!(
        "request-property-max-set",
        Warn,
        Request,
        "constraints",
        "set",
        "req property: maximum newly set",
        "set the maximum of the request property '{0}' to {1} (media type '{2}')"
    ),
    rule!(
        "request-property-min-contains-decreased",
        Info,
        Request,
        "constraints",
        "decrease",
        "req property: minContains lowered",
        "decreased the minContains of the request property '{0}' from {1} to {2} (media type '{3}')"
    ),
    rule!(
        "request-property-min-contains-increased",
        Err,
        Request,
        "constraints",
        "increase",
        "req property: minContains raised",
        "increased the minContains of the request property '{0}' from {1} to {2} (media type '{3}')"
    ),
    rule!(
        "request-property-min-decreased",
        Info,
        Request,
        "constraints",
        "decrease",
        "req property: minimum lowered",
        "decreased the minimum of the request property '{0}' from {1} to {2} (media type '{3}')"
    ),
    rule!(
        "request-property-min-increased",
        Err,
        Request,
        "constraints",
        "increase",
        "req property: minimum raised",
        "increased the minimum of the request property '{0}' from {1} to {2} (media type '{3}')"
    ),
    rule!(
        "request-property-min-items-increased",
        Err,
        Request,
        "constraints",
        "increase",
        "req property: minItems raised",
        "increased the minItems of the request property '{0}' from {1} to {2} (media type '{3}')"
    ),
    rule!(
        "request-property-min-items-set",
        Warn,
        Request,
        "constraints",
        "set",
        "req property: minItems newly set",
        "set the minItems of the request property '{0}' to {1} (media type '{2}')"
    ),
    rule!(
        "request-property-min-length-decreased",
        Info,
        Request,
        "constraints",
        "decrease",
        "req property: minLength lowered",
        "decreased the minLength of the request property '{0}' from {1} to {2} (media type '{3}')"
    ),
    rule!(
        "request-property-min-length-increased",
        Err,
        Request,
        "constraints",
        "increase",
        "req property: minLength raised",
        "increased the minLength of the request property '{0}' from {1} to {2} (media type '{3}')"
    ),
    rule!(
        "request-property-min-set",
        Warn,
        Request,
        "constraints",
        "set",
        "req property: minimum newly set",
        "set the minimum of the request property '{0}' to {1} (media type '{2}')"
    ),
    rule!(
        "request-property-one-of-added",
        Info,
        Request,
        "structure",
        "add",
        "req property: oneOf branch added",
        "added the oneOf branch '{1}' to the request property '{0}' (media type '{2}')"
    ),
    rule!(
        "request-property-one-of-removed",
        Err,
        Request,
        "structure",
        "remove",
        "req property: oneOf branch removed",
        "removed the oneOf branch '{1}' from the request property '{0}' (media type '{2}')"
    ),
    rule!(
        "request-property-pattern-added",
        Err,
        Request,
        "constraints",
        "add",
        "req property: pattern introduced",
        "added the pattern '{1}' to the request property '{0}' (media type '{2}')"
    ),
    rule!(
        "request-property-pattern-changed",
        Warn,
        Request,
        "constraints",
        "change",
        "req property: pattern replaced (not provably wider)",
        "changed the pattern of the request property '{0}' from '{1}' to '{2}' (media type '{3}')"
    ),
    rule!(
        "request-property-pattern-generalized",
        Info,
        Request,
        "constraints",
        "generalize",
        "req property: pattern replaced by a wider one",
        "changed the pattern of the request property '{0}' from '{1}' to the more general '{2}' (media type '{3}')"
    ),
    rule!(
        "request-property-pattern-property-added",
        Err,
        Request,
        "constraints",
        "add",
        "req property: patternProperties entry added",
        "added the patternProperties entry '{1}' to the request property '{0}' (media type '{2}')"
    ),
    rule!(
        "request-property-pattern-property-removed",
        Info,
        Request,
        "constraints",
        "remove",
        "req property: patternProperties entry removed",
        "removed the patternProperties entry '{1}' from the request property '{0}' (media type '{2}')"
    ),
    rule!(
        "request-property-pattern-removed",
        Info,
        Request,
        "constraints",
        "remove",
        "req property: pattern dropped",
        "removed the pattern '{1}' from the request property '{0}' (media type '{2}')"
    ),
    rule!(
        "request-property-prefix-items-added",
        Info,
        Request,
        "structure",
        "add",
        "req property: prefixItems entry added",
        "added prefixItems entry #{1} to the request property '{0}' (media type '{2}')"
    ),
    rule!(
        "request-property-prefix-items-removed",
        Err,
        Request,
        "structure",
        "remove",
        "req property: prefixItems entry removed",
        "removed prefixItems entry #{1} from the request property '{0}' (media type '{2}')"
    ),
    rule!(
        "request-property-property-names-added",
        Err,
        Request,
        "structure",
        "add",
        "req property: propertyNames introduced",
        "added 'propertyNames' to the request property '{0}' (media type '{1}')"
    ),
    rule!(
        "request-property-property-names-removed",
        Info,
        Request,
        "structure",
        "remove",
        "req property: propertyNames dropped",
        "removed 'propertyNames' from the request property '{0}' (media type '{1}')"
    ),
    rule!(
        "request-property-removed",
        Warn,
        Request,
        "existence",
        "remove",
        "req property: removed",
        "removed the request property '{0}' (media type '{1}')"
    ),
    rule!(
        "request-property-then-added",
        Err,
        Request,
        "structure",
        "add",
        "req property: then subschema added",
        "added 'then' to the request property '{0}' (media type '{1}')"
    ),
    rule!(
        "request-property-then-removed",
        Info,
        Request,
        "structure",
        "remove",
        "req property: then subschema removed",
        "removed 'then' from the request property '{0}' (media type '{1}')"
    ),
    rule!(
        "request-property-type-changed",
        Err,
        Request,
        "type",
        "change",
        "req property: type/format changed incompatibly",
        "changed the type of the request property '{0}' from '{1}' to '{2}' (media type '{3}')"
    ),
    rule!(
        "request-property-type-compatible",
        Info,
        Request,
        "type",
        "change",
        "req property: type changed, tolerated because the location is text/loosely typed",
        "changed the type of the request property '{0}' from '{1}' to '{2}', tolerated because the media type '{3}' carries values as text"
    ),
    rule!(
        "request-property-type-generalized",
        Info,
        Request,
        "type",
        "generalize",
        "req property: type/format widened",
        "generalized the type of the request property '{0}' from '{1}' to '{2}' (media type '{3}')"
    ),
    rule!(
        "request-property-unevaluated-items-added",
        Err,
        Request,
        "structure",
        "add",
        "req property: unevaluatedItems introduced",
        "added 'unevaluatedItems' to the request property '{0}' (media type '{1}')"
    ),
    rule!(
        "request-property-unevaluated-items-removed",
        Info,
        Request,
        "structure",
        "remove",
        "req property: unevaluatedItems dropped",
        "removed 'unevaluatedItems' from the request property '{0}' (media type '{1}')"
    ),
    rule!(
        "request-property-unevaluated-properties-added",
        Err,
        Request,
        "structure",
        "add",
        "req property: unevaluatedProperties introduced",
        "added 'unevaluatedProperties' to the request property '{0}' (media type '{1}')"
    ),
    rule!(
        "request-property-unevaluated-properties-removed",
        Info,
        Request,
        "structure",
        "remove",
        "req property: unevaluatedProperties dropped",
        "removed 'unevaluatedProperties' from the request property '{0}' (media type '{1}')"
    ),
    rule!(
        "request-property-x-extensible-enum-value-removed",
        Err,
        Request,
        "values",
        "remove",
        "req property: x-extensible-enum value removed",
        "removed the x-extensible-enum value '{1}' from the request property '{0}' (media type '{2}')"
    ),
    rule!(
        "request-read-only-property-enum-value-removed",
        Info,
        Request,
        "values",
        "remove",
        "enum value removed from a readOnly request property (client should not send it)",
        "removed the enum value '{1}' from the read-only request property '{0}' (media type '{2}')"
    ),
    rule!(
        "request-read-only-property-exclusive-max-decreased",
        Info,
        Request,
        "constraints",
        "decrease",
        "readOnly req property: exclusiveMaximum lowered",
        "decreased the exclusiveMaximum of the read-only request property '{0}' from {1} to {2} (media type '{3}')"
    ),
    rule!(
        "request-read-only-property-exclusive-min-increased",
        Info,
        Request,
        "constraints",
        "increase",
        "readOnly req property: exclusiveMinimum raised",
        "increased the exclusiveMinimum of the read-only request property '{0}' from {1} to {2} (media type '{3}')"
    ),
    rule!(
        "request-read-only-property-max-decreased",
        Info,
        Request,
        "constraints",
        "decrease",
        "readOnly req property: maximum lowered",
        "decreased the maximum of the read-only request property '{0}' from {1} to {2} (media type '{3}')"
    ),
    rule!(
        "request-read-only-property-max-length-decreased",
        Info,
        Request,
        "constraints",
        "decrease",
        "readOnly req property: maxLength lowered",
        "decreased the maxLength of the read-only request property '{0}' from {1} to {2} (media type '{3}')"
    ),
    rule!(
        "request-read-only-property-min-increased",
        Info,
        Request,
        "constraints",
        "increase",
        "readOnly req property: minimum raised",
        "increased the minimum of the read-only request property '{0}' from {1} to {2} (media type '{3}')"
    ),
    rule!(
        "request-required-property-became-not-read-only",
        Info,
        Request,
        "mutability",
        "change",
        "required req property: readOnly dropped",
        "the required request property '{0}' became not read-only (media type '{1}')"
    ),
    rule!(
        "request-required-property-became-not-write-only",
        Info,
        Request,
        "mutability",
        "change",
        "required req property: writeOnly dropped",
        "the required request property '{0}' became not write-only (media type '{1}')"
    ),
    rule!(
        "request-required-property-became-read-only",
        Info,
        Request,
        "mutability",
        "change",
        "required req property: readOnly set",
        "the required request property '{0}' became read-only (media type '{1}')"
    ),
    rule!(
        "request-required-property-became-write-only",
        Info,
        Request,
        "mutability",
        "change",
        "required req property: writeOnly set",
        "the required request property '{0}' became write-only (media type '{1}')"
    ),
    rule!(
        "response-body-all-of-added",
        Info,
        Response,
        "structure",
        "add",
        "resp body: allOf branch added",
        "added the allOf branch '{0}' to the response body with the '{1}' status (media type '{2}')"
    ),
    rule!(
        "response-body-all-of-added-annotation-only",
        Info,
        Response,
        "structure",
        "add",
        "resp body: allOf branch with only annotations added (no wire effect)",
        "added the annotation-only allOf branch '{0}' to the response body with the '{1}' status (media type '{2}')"
    ),
    rule!(
        "response-body-all-of-removed",
        Info,
        Response,
        "structure",
        "remove",
        "resp body: allOf branch removed",
        "removed the allOf branch '{0}' from the response body with the '{1}' status (media type '{2}')"
    ),
    rule!(
        "response-body-all-of-removed-annotation-only",
        Info,
        Response,
        "structure",
        "remove",
        "resp body: allOf branch with only annotations removed (no wire effect)",
        "removed the annotation-only allOf branch '{0}' from the response body with the '{1}' status (media type '{2}')"
    ),
    rule!(
        "response-body-any-of-added",
        Info,
        Response,
        "structure",
        "add",
        "resp body: anyOf branch added",
        "added the anyOf branch '{0}' to the response body with the '{1}' status (media type '{2}')"
    ),
    rule!(
        "response-body-any-of-removed",
        Info,
        Response,
        "structure",
        "remove",
        "resp body: anyOf branch removed",
        "removed the anyOf branch '{0}' from the response body with the '{1}' status (media type '{2}')"
    ),
    rule!(
        "response-body-became-not-nullable",
        Info,
        Response,
        "requiredness",
        "change",
        "resp body: null no longer allowed",
        "the response body became not nullable in the response with the '{0}' status (media type '{1}')"
    ),
    rule!(
        "response-body-became-nullable",
        Err,
        Response,
        "requiredness",
        "change",
        "resp body: null now allowed",
        "the response body became nullable in the response with the '{0}' status (media type '{1}')"
    ),
    rule!(
        "response-body-const-added",
        Info,
        Response,
        "values",
        "add",
        "resp body: const introduced",
        "added the const value {0} to the response body with the '{1}' status (media type '{2}')"
    ),
    rule!(
        "response-body-const-changed",
        Err,
        Response,
        "values",
        "change",
        "resp body: const value changed",
        "changed the const value of the response body from {0} to {1} in the response with the '{2}' status (media type '{3}')"
    ),
    rule!(
        "response-body-const-removed",
        Err,
        Response,
        "values",
        "remove",
        "resp body: const dropped",
        "removed the const value {0} from the response body with the '{1}' status (media type '{2}')"
    ),
    rule!(
        "response-body-contains-added",
        Info,
        Response,
        "structure",
        "add",
        "resp body: contains introduced",
        "added 'contains' to the response body with the '{0}' status (media type '{1}')"
    ),
    rule!(
        "response-body-contains-removed",
        Err,
        Response,
        "structure",
        "remove",
        "resp body: contains dropped",
        "removed 'contains' from the response body with the '{0}' status (media type '{1}')"
    ),
    rule!(
        "response-body-content-encoding-changed",
        Err,
        Response,
        "type",
        "change",
        "resp body: contentEncoding changed",
        "changed the contentEncoding of the response body from '{0}' to '{1}' in the response with the '{2}' status (media type '{3}')"
    ),
    rule!(
        "response-body-content-media-type-changed",
        Err,
        Response,
        "type",
        "change",
        "resp body: contentMediaType changed",
        "changed the contentMediaType of the response body from '{0}' to '{1}' in the response with the '{2}' status (media type '{3}')"
    ),
    rule!(
        "response-body-content-schema-added",
        Info,
        Response,
        "existence",
        "add",
        "resp body: contentSchema introduced",
        "added 'contentSchema' to the response body with the '{0}' status (media type '{1}')"
    ),
    rule!(
        "response-body-content-schema-removed",
        Err,
        Response,
        "existence",
        "remove",
        "resp body: contentSchema dropped",
        "removed 'contentSchema' from the response body with the '{0}' status (media type '{1}')"
    ),
    rule!(
        "response-body-default-value-added",
        Info,
        Response,
        "values",
        "add",
        "resp body: default introduced",
        "added the default value {0} to the response body with the '{1}' status (media type '{2}')"
    ),
    rule!(
        "response-body-default-value-changed",
        Info,
        Response,
        "values",
        "change",
        "resp body: default value changed",
        "changed the default value of the response body from {0} to {1} in the response with the '{2}' status (media type '{3}')"
    ),
    rule!(
        "response-body-default-value-removed",
        Info,
        Response,
        "values",
        "remove",
        "resp body: default dropped",
        "removed the default value {0} from the response body with the '{1}' status (media type '{2}')"
    ),
    rule!(
        "response-body-dependent-required-added",
        Info,
        Response,
        "structure",
        "add",
        "resp body: dependentRequired introduced",
        "added dependentRequired for '{0}' to the response body with the '{1}' status (media type '{2}')"
    ),
    rule!(
        "response-body-dependent-required-changed",
        Err,
        Response,
        "structure",
        "change",
        "resp body: dependentRequired changed",
        "changed dependentRequired for '{0}' of the response body with the '{1}' status (media type '{2}')"
    ),
    rule!(
        "response-body-dependent-required-removed",
        Err,
        Response,
        "structure",
        "remove",
        "resp body: dependentRequired dropped",
        "removed dependentRequired for '{0}' from the response body with the '{1}' status (media type '{2}')"
    ),
    rule!(
        "response-body-dependent-schema-added",
        Info,
        Response,
        "structure",
        "add",
        "resp body: dependentSchemas entry added",
        "added the dependentSchemas entry '{0}' to the response body with the '{1}' status (media type '{2}')"
    ),
    rule!(
        "response-body-dependent-schema-removed",
        Err,
        Response,
        "structure",
        "remove",
        "resp body: dependentSchemas entry removed",
        "removed the dependentSchemas entry '{0}' from the response body with the '{1}' status (media type '{2}')"
    ),
    rule!(
        "response-body-discriminator-added",
        Info,
        Response,
        "structure",
        "add",
        "resp body: discriminator introduced",
        "added a discriminator to the response body with the '{0}' status (media type '{1}')"
    ),
    rule!(
        "response-body-discriminator-mapping-added",
        Info,
        Response,
        "structure",
        "add",
        "resp body: discriminator mapping entry added",
        "added the discriminator mapping '{0}' to the response body with the '{1}' status (media type '{2}')"
    ),
    rule!(
        "response-body-discriminator-mapping-changed",
        Info,
        Response,
        "structure",
        "change",
        "resp body: discriminator mapping target changed",
        "changed the discriminator mapping target of '{0}' in the response body with the '{1}' status (media type '{2}')"
    ),
    rule!(
        "response-body-discriminator-mapping-deleted",
        Info,
        Response,
        "structure",
        "remove",
        "resp body: discriminator mapping entry removed",
        "removed the discriminator mapping '{0}' from the response body with the '{1}' status (media type '{2}')"
    ),
    rule!(
        "response-body-discriminator-property-name-changed",
        Info,
        Response,
        "structure",
        "change",
        "resp body: discriminator propertyName changed",
        "changed the discriminator propertyName of the response body from '{0}' to '{1}' in the response with the '{2}' status (media type '{3}')"
    ),
    rule!(
        "response-body-discriminator-removed",
        Info,
        Response,
        "structure",
        "remove",
        "resp body: discriminator dropped",
        "removed the discriminator from the response body with the '{0}' status (media type '{1}')"
    ),
    rule!(
        "response-body-else-added",
        Info,
        Response,
        "structure",
        "add",
        "resp body: else subschema added",
        "added 'else' to the response body with the '{0}' status (media type '{1}')"
    ),
    rule!(
        "response-body-else-removed",
        Err,
        Response,
        "structure",
        "remove",
        "resp body: else subschema removed",
        "removed 'else' from the response body with the '{0}' status (media type '{1}')"
    ),
    rule!(
        "response-body-exclusive-max-increased",
        Err,
        Response,
        "constraints",
        "increase",
        "resp body: exclusiveMaximum raised",
        "increased the exclusiveMaximum of the response body from {0} to {1} in the response with the '{2}' status (media type '{3}')"
    ),
    rule!(
        "response-body-exclusive-min-decreased",
        Err,
        Response,
        "constraints",
        "decrease",
        "resp body: exclusiveMinimum lowered",
        "decreased the exclusiveMinimum of the response body from {0} to {1} in the response with the '{2}' status (media type '{3}')"
    ),
    rule!(
        "response-body-if-added",
        Info,
        Response,
        "structure",
        "add",
        "resp body: if subschema added",
        "added 'if' to the response body with the '{0}' status (media type '{1}')"
    ),
    rule!(
        "response-body-if-removed",
        Err,
        Response,
        "structure",
        "remove",
        "resp body: if subschema removed",
        "removed 'if' from the response body with the '{0}' status (media type '{1}')"
    ),
    rule!(
        "response-body-list-of-types-narrowed",
        Info,
        Response,
        "type",
        "remove",
        "resp body: type array lost a member",
        "narrowed the list of types of the response body from '{0}' to '{1}' in the response with the '{2}' status (media type '{3}')"
    ),
    rule!(
        "response-body-list-of-types-widened",
        Err,
        Response,
        "type",
        "add",
        "resp body: type array gained a member",
        "widened the list of types of the response body from '{0}' to '{1}' in the response with the '{2}' status (media type '{3}')"
    ),
    rule!(
        "response-body-max-contains-decreased",
        Info,
        Response,
        "constraints",
        "decrease",
        "resp body: maxContains lowered",
        "decreased the maxContains of the response body from {0} to {1} in the response with the '{2}' status (media type '{3}')"
    ),
    rule!(
        "response-body-max-contains-increased",
        Err,
        Response,
        "constraints",
        "increase",
        "resp body: maxContains raised",
        "increased the maxContains of the response body from {0} to {1} in the response with the '{2}' status (media type '{3}')"
    ),
    rule!(
        "response-body-max-increased",
        Err,
        Response,
        "constraints",
        "increase",
        "resp body: maximum raised",
        "increased the maximum of the response body from {0} to {1} in the response with the '{2}' status (media type '{3}')"
    ),
    rule!(
        "response-body-max-length-increased",
        Err,
        Response,
        "constraints",
        "increase",
        "resp body: maxLength raised",
        "increased the maxLength of the response body from {0} to {1} in the response with the '{2}' status (media type '{3}')"
    ),
    rule!(
        "response-body-max-length-unset",
        Err,
        Response,
        "constraints",
        "remove",
        "resp body: maxLength dropped",
        "removed the maxLength {0} of the response body with the '{1}' status (media type '{2}')"
    ),
    rule!(
        "response-body-min-contains-decreased",
        Err,
        Response,
        "constraints",
        "decrease",
        "resp body: minContains lowered",
        "decreased the minContains of the response body from {0} to {1} in the response with the '{2}' status (media type '{3}')"
    ),
    rule!(
        "response-body-min-contains-increased",
        Info,
        Response,
        "constraints",
        "increase",
        "resp body: minContains raised",
        "increased the minContains of the response body from {0} to {1} in the response with the '{2}' status (media type '{3}')"
    ),
    rule!(
        "response-body-min-decreased",
        Err,
        Response,
        "constraints",
        "decrease",
        "resp body: minimum lowered",
        "decreased the minimum of the response body from {0} to {1} in the response with the '{2}' status (media type '{3}')"
    ),
    rule!(
        "response-body-min-items-decreased",
        Err,
        Response,
        "constraints",
        "decrease",
        "resp body: minItems lowered",
        "decreased the minItems of the response body from {0} to {1} in the response with the '{2}' status (media type '{3}')"
    ),
    rule!(
        "response-body-min-items-unset",
        Err,
        Response,
        "constraints",
        "remove",
        "resp body: minItems dropped",
        "removed the minItems {0} of the response body with the '{1}' status (media type '{2}')"
    ),
    rule!(
        "response-body-min-length-decreased",
        Err,
        Response,
        "constraints",
        "decrease",
        "resp body: minLength lowered",
        "decreased the minLength of the response body from {0} to {1} in the response with the '{2}' status (media type '{3}')"
    ),
    rule!(
        "response-body-one-of-added",
        Err,
        Response,
        "structure",
        "add",
        "resp body: oneOf branch added",
        "added the oneOf branch '{0}' to the response body with the '{1}' status (media type '{2}')"
    ),
    rule!(
        "response-body-one-of-removed",
        Info,
        Response,
        "structure",
        "remove",
        "resp body: oneOf branch removed",
        "removed the oneOf branch '{0}' from the response body with the '{1}' status (media type '{2}')"
    ),
    rule!(
        "response-body-pattern-property-added",
        Info,
        Response,
        "constraints",
        "add",
        "resp body: patternProperties entry added",
        "added the patternProperties entry '{0}' to the response body with the '{1}' status (media type '{2}')"
    ),
    rule!(
        "response-body-pattern-property-removed",
        Err,
        Response,
        "constraints",
        "remove",
        "resp body: patternProperties entry removed",
        "removed the patternProperties entry '{0}' from the response body with the '{1}' status (media type '{2}')"
    ),
    rule!(
        "response-body-prefix-items-added",
        Err,
        Response,
        "structure",
        "add",
        "resp body: prefixItems entry added",
        "added prefixItems entry #{0} to the response body with the '{1}' status (media type '{2}')"
    ),
    rule!(
        "response-body-prefix-items-removed",
        Info,
        Response,
        "structure",
        "remove",
        "resp body: prefixItems entry removed",
        "removed prefixItems entry #{0} from the response body with the '{1}' status (media type '{2}')"
    ),
    rule!(
        "response-body-property-names-added",
        Info,
        Response,
        "structure",
        "add",
        "resp body: propertyNames introduced",
        "added 'propertyNames' to the response body with the '{0}' status (media type '{1}')"
    ),
    rule!(
        "response-body-property-names-removed",
        Err,
        Response,
        "structure",
        "remove",
        "resp body: propertyNames dropped",
        "removed 'propertyNames' from the response body with the '{0}' status (media type '{1}')"
    ),
    rule!(
        "response-body-then-added",
        Info,
        Response,
        "structure",
        "add",
        "resp body: then subschema added",
        "added 'then' to the response body with the '{0}' status (media type '{1}')"
    ),
    rule!(
        "response-body-then-removed",
        Err,
        Response,
        "structure",
        "remove",
        "resp body: then subschema removed",
        "removed 'then' from the response body with the '{0}' status (media type '{1}')"
    ),
    rule!(
        "response-body-type-changed",
        Err,
        Response,
        "type",
        "change",
        "resp body: type/format changed incompatibly",
        "changed the type of the response body from '{0}' to '{1}' in the response with the '{2}' status (media type '{3}')"
    ),
    rule!(
        "response-body-type-compatible",
        Info,
        Response,
        "type",
        "change",
        "resp body: type changed, tolerated because the location is text/loosely typed",
        "changed the type of the response body from '{0}' to '{1}' in the response with the '{2}' status, tolerated because the media type '{3}' carries values as text"
    ),
    rule!(
        "response-body-type-generalized",
        Err,
        Response,
        "type",
        "generalize",
        "resp body: type/format widened",
        "generalized the type of the response body from '{0}' to '{1}' in the response with the '{2}' status (media type '{3}')"
    ),
    rule!(
        "response-body-type-specialized",
        Info,
        Response,
        "type",
        "specialize",
        "resp body: type/format narrowed",
        "specialized the type of the response body from '{0}' to '{1}' in the response with the '{2}' status (media type '{3}')"
    ),
    rule!(
        "response-body-unevaluated-items-added",
        Info,
        Response,
        "structure",
        "add",
        "resp body: unevaluatedItems introduced",
        "added 'unevaluatedItems' to the response body with the '{0}' status (media type '{1}')"
    ),
    rule!(
        "response-body-unevaluated-items-removed",
        Err,
        Response,
        "structure",
        "remove",
        "resp body: unevaluatedItems dropped",
        "removed 'unevaluatedItems' from the response body with the '{0}' status (media type '{1}')"
    ),
    rule!(
        "response-body-unevaluated-properties-added",
        Info,
        Response,
        "structure",
        "add",
        "resp body: unevaluatedProperties introduced",
        "added 'unevaluatedProperties' to the response body with the '{0}' status (media type '{1}')"
    ),
    rule!(
        "response-body-unevaluated-properties-removed",
        Err,
        Response,
        "structure",
        "remove",
        "resp body: unevaluatedProperties dropped",
        "removed 'unevaluatedProperties' from the response body with the '{0}' status (media type '{1}')"
    ),
    rule!(
        "response-body-wrapped-in-one-of",
        Err,
        Response,
        "structure",
        "change",
        "resp body: schema moved under a oneOf wrapper",
        "wrapped the response body in a oneOf in the response with the '{0}' status (media type '{1}')"
    ),
    rule!(
        "response-header-became-not-nullable",
        Info,
        Response,
        "requiredness",
        "change",
        "resp header: null no longer allowed",
        "the response header '{0}' of the response with the '{1}' status became not nullable"
    ),
    rule!(
        "response-header-became-nullable",
        Err,
        Response,
        "requiredness",
        "change",
        "resp header: null now allowed",
        "the response header '{0}' of the response with the '{1}' status became nullable"
    ),
    rule!(
        "response-header-type-changed",
        Err,
        Response,
        "type",
        "change",
        "resp header: type/format changed incompatibly",
        "changed the type of the response header '{2}' of the response with the '{3}' status from '{0}' to '{1}'"
    ),
    rule!(
        "response-header-type-compatible",
        Info,
        Response,
        "type",
        "change",
        "resp header: type changed, tolerated because the location is text/loosely typed",
        "changed the type of the response header '{2}' of the response with the '{3}' status from '{0}' to '{1}', tolerated because a header value is text"
    ),
    rule!(
        "response-header-type-generalized",
        Err,
        Response,
        "type",
        "generalize",
        "resp header: type/format widened",
        "generalized the type of the response header '{2}' of the response with the '{3}' status from '{0}' to '{1}'"
    ),
    rule!(
        "response-header-type-specialized",
        Info,
        Response,
        "type",
        "specialize",
        "resp header: type/format narrowed",
        "specialized the type of the response header '{2}' of the response with the '{3}' status from '{0}' to '{1}'"
    ),
    rule!(
        "response-mediatype-enum-value-removed",
        Info,
        Response,
        "values",
        "remove",
        "enum value removed from a top-level response media-type schema",
        "removed the enum value '{0}' from the response body with the '{1}' status (media type '{2}')"
    ),
    rule!(
        "response-optional-property-added",
        Info,
        Response,
        "existence",
        "add",
        "optional resp property: added",
        "added the optional property '{0}' to the response with the '{1}' status (media type '{2}')"
    ),
    rule!(
        "response-optional-property-became-not-read-only",
        Info,
        Response,
        "mutability",
        "change",
        "optional resp property: readOnly dropped",
        "the optional response property '{0}' became not read-only in the response with the '{1}' status (media type '{2}')"
    ),
    rule!(
        "response-optional-property-became-not-write-only",
        Info,
        Response,
        "mutability",
        "change",
        "optional resp property: writeOnly dropped",
        "the optional response property '{0}' became not write-only in the response with the '{1}' status (media type '{2}')"
    ),
    rule!(
        "response-optional-property-became-read-only",
        Info,
        Response,
        "mutability",
        "change",
        "optional resp property: readOnly set",
        "the optional response property '{0}' became read-only in the response with the '{1}' status (media type '{2}')"
    ),
    rule!(
        "response-optional-property-became-write-only",
        Info,
        Response,
        "mutability",
        "change",
        "optional resp property: writeOnly set",
        "the optional response property '{0}' became write-only in the response with the '{1}' status (media type '{2}')"
    ),
    rule!(
        "response-optional-property-removed",
        Warn,
        Response,
        "existence",
        "remove",
        "optional resp property: removed",
        "removed the optional property '{0}' from the response with the '{1}' status (media type '{2}')"
    ),
    rule!(
        "response-optional-write-only-property-added",
        Info,
        Response,
        "existence",
        "add",
        "optional writeOnly resp property: added",
        "added the optional write-only property '{0}' to the response with the '{1}' status (media type '{2}')"
    ),
    rule!(
        "response-optional-write-only-property-removed",
        Info,
        Response,
        "existence",
        "remove",
        "optional writeOnly resp property: removed",
        "removed the optional write-only property '{0}' from the response with the '{1}' status (media type '{2}')"
    ),
    rule!(
        "response-property-all-of-added",
        Info,
        Response,
        "structure",
        "add",
        "resp property: allOf branch added",
        "added the allOf branch '{1}' to the response property '{0}' in the response with the '{2}' status (media type '{3}')"
    ),
    rule!(
        "response-property-all-of-added-annotation-only",
        Info,
        Response,
        "structure",
        "add",
        "resp property: allOf branch with only annotations added (no wire effect)",
        "added the annotation-only allOf branch '{1}' to the response property '{0}' in the response with the '{2}' status (media type '{3}')"
    ),
    rule!(
        "response-property-all-of-removed",
        Info,
        Response,
        "structure",
        "remove",
        "resp property: allOf branch removed",
        "removed the allOf branch '{1}' from the response property '{0}' in the response with the '{2}' status (media type '{3}')"
    ),
    rule!(
        "response-property-all-of-removed-annotation-only",
        Info,
        Response,
        "structure",
        "remove",
        "resp property: allOf branch with only annotations removed (no wire effect)",
        "removed the annotation-only allOf branch '{1}' from the response property '{0}' in the response with the '{2}' status (media type '{3}')"
    ),
    rule!(
        "response-property-any-of-added",
        Info,
        Response,
        "structure",
        "add",
        "resp property: anyOf branch added",
        "added the anyOf branch '{1}' to the response property '{0}' in the response with the '{2}' status (media type '{3}')"
    ),
    rule!(
        "response-property-any-of-removed",
        Info,
        Response,
        "structure",
        "remove",
        "resp property: anyOf branch removed",
        "removed the anyOf branch '{1}' from the response property '{0}' in the response with the '{2}' status (media type '{3}')"
    ),
    rule!(
        "response-property-became-not-nullable",
        Info,
        Response,
        "requiredness",
        "change",
        "resp property: null no longer allowed",
        "the response property '{0}' became not nullable in the response with the '{1}' status (media type '{2}')"
    ),
    rule!(
        "response-property-became-nullable",
        Err,
        Response,
        "requiredness",
        "change",
        "resp property: null now allowed",
        "the response property '{0}' became nullable in the response with the '{1}' status (media type '{2}')"
    ),
    rule!(
        "response-property-became-optional",
        Err,
        Response,
        "requiredness",
        "change",
        "resp property: required -> optional",
        "the response property '{0}' became optional in the response with the '{1}' status (media type '{2}')"
    ),
    rule!(
        "response-property-became-required",
        Info,
        Response,
        "requiredness",
        "change",
        "resp property: optional -> required",
        "the response property '{0}' became required in the response with the '{1}' status (media type '{2}')"
    ),
    rule!(
        "response-property-const-added",
        Info,
        Response,
        "values",
        "add",
        "resp property: const introduced",
        "added the const value {1} to the response property '{0}' in the response with the '{2}' status (media type '{3}')"
    ),
    rule!(
        "response-property-const-changed",
        Err,
        Response,
        "values",
        "change",
        "resp property: const value changed",
        "changed the const value of the response property '{0}' from {1} to {2} in the response with the '{3}' status (media type '{4}')"
    ),
    rule!(
        "response-property-const-removed",
        Err,
        Response,
        "values",
        "remove",
        "resp property: const dropped",
        "removed the const value {1} from the response property '{0}' in the response with the '{2}' status (media type '{3}')"
    ),
    rule!(
        "response-property-contains-added",
        Info,
        Response,
        "structure",
        "add",
        "resp property: contains introduced",
        "added 'contains' to the response property '{0}' in the response with the '{1}' status (media type '{2}')"
    ),
    rule!(
        "response-property-contains-removed",
        Err,
        Response,
        "structure",
        "remove",
        "resp property: contains dropped",
        "removed 'contains' from the response property '{0}' in the response with the '{1}' status (media type '{2}')"
    ),
    rule!(
        "response-property-content-encoding-changed",
        Err,
        Response,
        "type",
        "change",
        "resp property: contentEncoding changed",
        "changed the contentEncoding of the response property '{0}' from '{1}' to '{2}' in the response with the '{3}' status (media type '{4}')"
    ),
    rule!(
        "response-property-content-media-type-changed",
        Err,
        Response,
        "type",
        "change",
        "resp property: contentMediaType changed",
        "changed the contentMediaType of the response property '{0}' from '{1}' to '{2}' in the response with the '{3}' status (media type '{4}')"
    ),
    rule!(
        "response-property-content-schema-added",
        Info,
        Response,
        "existence",
        "add",
        "resp property: contentSchema introduced",
        "added 'contentSchema' to the response property '{0}' in the response with the '{1}' status (media type '{2}')"
    ),
    rule!(
        "response-property-content-schema-removed",
        Err,
        Response,
        "existence",
        "remove",
        "resp property: contentSchema dropped",
        "removed 'contentSchema' from the response property '{0}' in the response with the '{1}' status (media type '{2}')"
    ),
    rule!(
        "response-property-default-value-added",
        Info,
        Response,
        "values",
        "add",
        "resp property: default introduced",
        "added the default value {1} to the response property '{0}' in the response with the '{2}' status (media type '{3}')"
    ),
    rule!(
        "response-property-default-value-changed",
        Info,
        Response,
        "values",
        "change",
        "resp property: default value changed",
        "changed the default value of the response property '{0}' from {1} to {2} in the response with the '{3}' status (media type '{4}')"
    ),
    rule!(
        "response-property-default-value-removed",
        Info,
        Response,
        "values",
        "remove",
        "resp property: default dropped",
        "removed the default value {1} from the response property '{0}' in the response with the '{2}' status (media type '{3}')"
    ),
    rule!(
        "response-property-dependent-required-added",
        Info,
        Response,
        "structure",
        "add",
        "resp property: dependentRequired introduced",
        "added dependentRequired for '{1}' to the response property '{0}' in the response with the '{2}' status (media type '{3}')"
    ),
    rule!(
        "response-property-dependent-required-changed",
        Err,
        Response,
        "structure",
        "change",
        "resp property: dependentRequired changed",
        "changed dependentRequired for '{1}' of the response property '{0}' in the response with the '{2}' status (media type '{3}')"
    ),
    rule!(
        "response-property-dependent-required-removed",
        Err,
        Response,
        "structure",
        "remove",
        "resp property: dependentRequired dropped",
        "removed dependentRequired for '{1}' from the response property '{0}' in the response with the '{2}' status (media type '{3}')"
    ),
    rule!(
        "response-property-dependent-schema-added",
        Info,
        Response,
        "structure",
        "add",
        "resp property: dependentSchemas entry added",
        "added the dependentSchemas entry '{1}' to the response property '{0}' in the response with the '{2}' status (media type '{3}')"
    ),
    rule!(
        "response-property-dependent-schema-removed",
        Err,
        Response,
        "structure",
        "remove",
        "resp property: dependentSchemas entry removed",
        "removed the dependentSchemas entry '{1}' from the response property '{0}' in the response with the '{2}' status (media type '{3}')"
    ),
    rule!(
        "response-property-discriminator-added",
        Info,
        Response,
        "structure",
        "add",
        "resp property: discriminator introduced",
        "added a discriminator to the response property '{0}' in the response with the '{1}' status (media type '{2}')"
    ),
    rule!(
        "response-property-discriminator-mapping-added",
        Info,
        Response,
        "structure",
        "add",
        "resp property: discriminator mapping entry added",
        "added the discriminator mapping '{1}' to the response property '{0}' in the response with the '{2}' status (media type '{3}')"
    ),
    rule!(
        "response-property-discriminator-mapping-changed",
        Info,
        Response,
        "structure",
        "change",
        "resp property: discriminator mapping target changed",
        "changed the discriminator mapping target of '{1}' in the response property '{0}' in the response with the '{2}' status (media type '{3}')"
    ),
    rule!(
        "response-property-discriminator-mapping-deleted",
        Info,
        Response,
        "structure",
        "remove",
        "resp property: discriminator mapping entry removed",
        "removed the discriminator mapping '{1}' from the response property '{0}' in the response with the '{2}' status (media type '{3}')"
    ),
    rule!(
        "response-property-discriminator-property-name-changed",
        Info,
        Response,
        "structure",
        "change",
        "resp property: discriminator propertyName changed",
        "changed the discriminator propertyName of the response property '{0}' from '{1}' to '{2}' in the response with the '{3}' status (media type '{4}')"
    ),
    rule!(
        "response-property-discriminator-removed",
        Info,
        Response,
        "structure",
        "remove",
        "resp property: discriminator dropped",
        "removed the discriminator from the response property '{0}' in the response with the '{1}' status (media type '{2}')"
    ),
    rule!(
        "response-property-else-added",
        Info,
        Response,
        "structure",
        "add",
        "resp property: else subschema added",
        "added 'else' to the response property '{0}' in the response with the '{1}' status (media type '{2}')"
    ),
    rule!(
        "response-property-else-removed",
        Err,
        Response,
        "structure",
        "remove",
        "resp property: else subschema removed",
        "removed 'else' from the response property '{0}' in the response with the '{1}' status (media type '{2}')"
    ),
    rule!(
        "response-property-enum-value-added",
        Warn,
        Response,
        "values",
        "add",
        "resp property: enum value added",
        "added the enum value '{1}' to the response property '{0}' in the response with the '{2}' status (media type '{3}')"
    ),
    rule!(
        "response-property-enum-value-removed",
        Info,
        Response,
        "values",
        "remove",
        "resp property: enum value removed",
        "removed the enum value '{1}' from the response property '{0}' in the response with the '{2}' status (media type '{3}')"
    ),
    rule!(
        "response-property-exclusive-max-increased",
        Err,
        Response,
        "constraints",
        "increase",
        "resp property: exclusiveMaximum raised",
        "increased the exclusiveMaximum of the response property '{0}' from {1} to {2} in the response with the '{3}' status (media type '{4}')"
    ),
    rule!(
        "response-property-exclusive-min-decreased",
        Err,
        Response,
        "constraints",
        "decrease",
        "resp property: exclusiveMinimum lowered",
        "decreased the exclusiveMinimum of the response property '{0}' from {1} to {2} in the response with the '{3}' status (media type '{4}')"
    ),
    rule!(
        "response-property-if-added",
        Info,
        Response,
        "structure",
        "add",
        "resp property: if subschema added",
        "added 'if' to the response property '{0}' in the response with the '{1}' status (media type '{2}')"
    ),
    rule!(
        "response-property-if-removed",
        Err,
        Response,
        "structure",
        "remove",
        "resp property: if subschema removed",
        "removed 'if' from the response property '{0}' in the response with the '{1}' status (media type '{2}')"
    ),
    rule!(
        "response-property-list-of-types-narrowed",
        Info,
        Response,
        "type",
        "remove",
        "resp property: type array lost a member",
        "narrowed the list of types of the response property '{0}' from '{1}' to '{2}' in the response with the '{3}' status (media type '{4}')"
    ),
    rule!(
        "response-property-list-of-types-widened",
        Err,
        Response,
        "type",
        "add",
        "resp property: type array gained a member",
        "widened the list of types of the response property '{0}' from '{1}' to '{2}' in the response with the '{3}' status (media type '{4}')"
    ),
    rule!(
        "response-property-max-contains-decreased",
        Info,
        Response,
        "constraints",
        "decrease",
        "resp property: maxContains lowered",
        "decreased the maxContains of the response property '{0}' from {1} to {2} in the response with the '{3}' status (media type '{4}')"
    ),
    rule!(
        "response-property-max-contains-increased",
        Err,
        Response,
        "constraints",
        "increase",
        "resp property: maxContains raised",
        "increased the maxContains of the response property '{0}' from {1} to {2} in the response with the '{3}' status (media type '{4}')"
    ),
    rule!(
        "response-property-max-increased",
        Err,
        Response,
        "constraints",
        "increase",
        "resp property: maximum raised",
        "increased the maximum of the response property '{0}' from {1} to {2} in the response with the '{3}' status (media type '{4}')"
    ),
    rule!(
        "response-property-max-length-increased",
        Err,
        Response,
        "constraints",
        "increase",
        "resp property: maxLength raised",
        "increased the maxLength of the response property '{0}' from {1} to {2} in the response with the '{3}' status (media type '{4}')"
    ),
    rule!(
        "response-property-max-length-unset",
        Err,
        Response,
        "constraints",
        "remove",
        "resp property: maxLength dropped",
        "removed the maxLength {1} of the response property '{0}' in the response with the '{2}' status (media type '{3}')"
    ),
    rule!(
        "response-property-min-contains-decreased",
        Err,
        Response,
        "constraints",
        "decrease",
        "resp property: minContains lowered",
        "decreased the minContains of the response property '{0}' from {1} to {2} in the response with the '{3}' status (media type '{4}')"
    ),
    rule!(
        "response-property-min-contains-increased",
        Info,
        Response,
        "constraints",
        "increase",
        "resp property: minContains raised",
        "increased the minContains of the response property '{0}' from {1} to {2} in the response with the '{3}' status (media type '{4}')"
    ),
    rule!(
        "response-property-min-decreased",
        Err,
        Response,
        "constraints",
        "decrease",
        "resp property: minimum lowered",
        "decreased the minimum of the response property '{0}' from {1} to {2} in the response with the '{3}' status (media type '{4}')"
    ),
    rule!(
        "response-property-min-items-decreased",
        Err,
        Response,
        "constraints",
        "decrease",
        "resp property: minItems lowered",
        "decreased the minItems of the response property '{0}' from {1} to {2} in the response with the '{3}' status (media type '{4}')"
    ),
    rule!(
        "response-property-min-items-unset",
        Err,
        Response,
        "constraints",
        "remove",
        "resp property: minItems dropped",
        "removed the minItems {1} of the response property '{0}' in the response with the '{2}' status (media type '{3}')"
    ),
    rule!(
        "response-property-min-length-decreased",
        Err,
        Response,
        "constraints",
        "decrease",
        "resp property: minLength lowered",
        "decreased the minLength of the response property '{0}' from {1} to {2} in the response with the '{3}' status (media type '{4}')"
    ),
    rule!(
        "response-property-one-of-added",
        Err,
        Response,
        "structure",
        "add",
        "resp property: oneOf branch added",
        "added the oneOf branch '{1}' to the response property '{0}' in the response with the '{2}' status (media type '{3}')"
    ),
    rule!(
        "response-property-one-of-removed",
        Info,
        Response,
        "structure",
        "remove",
        "resp property: oneOf branch removed",
        "removed the oneOf branch '{1}' from the response property '{0}' in the response with the '{2}' status (media type '{3}')"
    ),
    rule!(
        "response-property-pattern-added",
        Info,
        Response,
        "constraints",
        "add",
        "resp property: pattern introduced",
        "added the pattern '{1}' to the response property '{0}' in the response with the '{2}' status (media type '{3}')"
    ),
    rule!(
        "response-property-pattern-changed",
        Info,
        Response,
        "constraints",
        "change",
        "resp property: pattern replaced (not provably wider)",
        "changed the pattern of the response property '{0}' from '{1}' to '{2}' in the response with the '{3}' status (media type '{4}')"
    ),
    rule!(
        "response-property-pattern-property-added",
        Info,
        Response,
        "constraints",
        "add",
        "resp property: patternProperties entry added",
        "added the patternProperties entry '{1}' to the response property '{0}' in the response with the '{2}' status (media type '{3}')"
    ),
    rule!(
        "response-property-pattern-property-removed",
        Err,
        Response,
        "constraints",
        "remove",
        "resp property: patternProperties entry removed",
        "removed the patternProperties entry '{1}' from the response property '{0}' in the response with the '{2}' status (media type '{3}')"
    ),
    rule!(
        "response-property-pattern-removed",
        Info,
        Response,
        "constraints",
        "remove",
        "resp property: pattern dropped",
        "removed the pattern '{1}' from the response property '{0}' in the response with the '{2}' status (media type '{3}')"
    ),
    rule!(
        "response-property-prefix-items-added",
        Err,
        Response,
        "structure",
        "add",
        "resp property: prefixItems entry added",
        "added prefixItems entry #{1} to the response property '{0}' in the response with the '{2}' status (media type '{3}')"
    ),
    rule!(
        "response-property-prefix-items-removed",
        Info,
        Response,
        "structure",
        "remove",
        "resp property: prefixItems entry removed",
        "removed prefixItems entry #{1} from the response property '{0}' in the response with the '{2}' status (media type '{3}')"
    ),
    rule!(
        "response-property-property-names-added",
        Info,
        Response,
        "structure",
        "add",
        "resp property: propertyNames introduced",
        "added 'propertyNames' to the response property '{0}' in the response with the '{1}' status (media type '{2}')"
    ),
    rule!(
        "response-property-property-names-removed",
        Err,
        Response,
        "structure",
        "remove",
        "resp property: propertyNames dropped",
        "removed 'propertyNames' from the response property '{0}' in the response with the '{1}' status (media type '{2}')"
    ),
    rule!(
        "response-property-then-added",
        Info,
        Response,
        "structure",
        "add",
        "resp property: then subschema added",
        "added 'then' to the response property '{0}' in the response with the '{1}' status (media type '{2}')"
    ),
    rule!(
        "response-property-then-removed",
        Err,
        Response,
        "structure",
        "remove",
        "resp property: then subschema removed",
        "removed 'then' from the response property '{0}' in the response with the '{1}' status (media type '{2}')"
    ),
    rule!(
        "response-property-type-changed",
        Err,
        Response,
        "type",
        "change",
        "resp property: type/format changed incompatibly",
        "changed the type of the response property '{0}' from '{1}' to '{2}' in the response with the '{3}' status (media type '{4}')"
    ),
    rule!(
        "response-property-type-compatible",
        Info,
        Response,
        "type",
        "change",
        "resp property: type changed, tolerated because the location is text/loosely typed",
        "changed the type of the response property '{0}' from '{1}' to '{2}' in the response with the '{3}' status, tolerated because the media type '{4}' carries values as text"
    ),
    rule!(
        "response-property-type-generalized",
        Err,
        Response,
        "type",
        "generalize",
        "resp property: type/format widened",
        "generalized the type of the response property '{0}' from '{1}' to '{2}' in the response with the '{3}' status (media type '{4}')"
    ),
    rule!(
        "response-property-type-specialized",
        Info,
        Response,
        "type",
        "specialize",
        "resp property: type/format narrowed",
        "specialized the type of the response property '{0}' from '{1}' to '{2}' in the response with the '{3}' status (media type '{4}')"
    ),
    rule!(
        "response-property-unevaluated-items-added",
        Info,
        Response,
        "structure",
        "add",
        "resp property: unevaluatedItems introduced",
        "added 'unevaluatedItems' to the response property '{0}' in the response with the '{1}' status (media type '{2}')"
    ),
    rule!(
        "response-property-unevaluated-items-removed",
        Err,
        Response,
        "structure",
        "remove",
        "resp property: unevaluatedItems dropped",
        "removed 'unevaluatedItems' from the response property '{0}' in the response with the '{1}' status (media type '{2}')"
    ),
    rule!(
        "response-property-unevaluated-properties-added",
        Info,
        Response,
        "structure",
        "add",
        "resp property: unevaluatedProperties introduced",
        "added 'unevaluatedProperties' to the response property '{0}' in the response with the '{1}' status (media type '{2}')"
    ),
    rule!(
        "response-property-unevaluated-properties-removed",
        Err,
        Response,
        "structure",
        "remove",
        "resp property: unevaluatedProperties dropped",
        "removed 'unevaluatedProperties' from the response property '{0}' in the response with the '{1}' status (media type '{2}')"
    ),
    rule!(
        "response-required-property-added",
        Info,
        Response,
        "existence",
        "add",
        "required resp property: added",
        "added the required property '{0}' to the response with the '{1}' status (media type '{2}')"
    ),
    rule!(
        "response-required-property-became-not-read-only",
        Info,
        Response,
        "mutability",
        "change",
        "required resp property: readOnly dropped",
        "the required response property '{0}' became not read-only in the response with the '{1}' status (media type '{2}')"
    ),
    rule!(
        "response-required-property-became-not-write-only",
        Warn,
        Response,
        "mutability",
        "change",
        "required resp property: writeOnly dropped",
        "the required response property '{0}' became not write-only in the response with the '{1}' status (media type '{2}')"
    ),
    rule!(
        "response-required-property-became-read-only",
        Info,
        Response,
        "mutability",
        "change",
        "required resp property: readOnly set",
        "the required response property '{0}' became read-only in the response with the '{1}' status (media type '{2}')"
    ),
    rule!(
        "response-required-property-became-write-only",
        Info,
        Response,
        "mutability",
        "change",
        "required resp property: writeOnly set",
        "the required response property '{0}' became write-only in the response with the '{1}' status (media type '{2}')"
    ),
    rule!(
        "response-required-property-removed",
        Err,
        Response,
        "existence",
        "remove",
        "required resp property: removed",
        "removed the required property '{0}' from the response with the '{1}' status (media type '{2}')"
    ),
    rule!(
        "response-required-write-only-property-added",
        Info,
        Response,
        "existence",
        "add",
        "required writeOnly resp property: added",
        "added the required write-only property '{0}' to the response with the '{1}' status (media type '{2}')"
    ),
    rule!(
        "response-required-write-only-property-removed",
        Info,
        Response,
        "existence",
        "remove",
        "required writeOnly resp property: removed",
        "removed the required write-only property '{0}' from the response with the '{1}' status (media type '{2}')"
    ),
    rule!(
        "response-write-only-property-became-optional",
        Info,
        Response,
        "requiredness",
        "change",
        "writeOnly resp property: required -> optional",
        "the write-only response property '{0}' became optional in the response with the '{1}' status (media type '{2}')"
    ),
    rule!(
        "response-write-only-property-became-required",
        Info,
        Response,
        "requiredness",
        "change",
        "writeOnly resp property: optional -> required",
        "the write-only response property '{0}' became required in the response with the '{1}' status (media type '{2}')"
    ),
    rule!(
        "response-write-only-property-enum-value-added",
        Info,
        Response,
        "values",
        "add",
        "enum value added to a writeOnly response property (never returned)",
        "added the enum value '{1}' to the write-only response property '{0}' in the response with the '{2}' status (media type '{3}')"
    ),
    rule!(ours "response-body-enum-value-added", Warn, Response, "values", "add", "resp body: enum value added (a reader may meet a value it does not know)", "added the enum value '{0}' to the response body with the '{1}' status (media type '{2}')"),
    // Lifecycle of properties (`schema`): deprecation, x-sunset under the
    // deprecation-days policy, x-stability-level.
    rule!(
        "request-property-deprecated",
        Info,
        Request,
        "lifecycle",
        "set",
        "req property: marked deprecated",
        "the request property '{0}' was deprecated (media type '{1}')"
    ),
    rule!(
        "request-property-deprecated-with-sunset",
        Info,
        Request,
        "lifecycle",
        "set",
        "req property: marked deprecated, x-sunset given",
        "the request property '{0}' was deprecated with sunset date {1} (media type '{2}')"
    ),
    rule!(
        "request-property-reactivated",
        Info,
        Request,
        "lifecycle",
        "remove",
        "req property: deprecated flag cleared",
        "the request property '{0}' was reactivated (media type '{1}')"
    ),
    rule!(
        "request-property-deprecated-sunset-missing",
        Err,
        Request,
        "lifecycle",
        "change",
        "req property: deprecated without x-sunset while a deprecation-days policy is on",
        "the request property '{0}' was deprecated without a sunset date while the policy requires {1} days (media type '{2}')"
    ),
    rule!(
        "request-property-deprecated-sunset-invalid",
        Err,
        Request,
        "lifecycle",
        "change",
        "req property: deprecated with an x-sunset that is not an RFC 3339 date",
        "the request property '{0}' is deprecated with an unparsable sunset date {1} (media type '{2}')"
    ),
    rule!(
        "request-property-sunset-date-too-small",
        Err,
        Request,
        "lifecycle",
        "change",
        "req property: x-sunset closer than the deprecation-days policy allows",
        "the request property '{0}' has sunset date {1}, earlier than the {2} days the policy requires (media type '{3}')"
    ),
    rule!(
        "request-property-stability-decreased",
        Err,
        Request,
        "lifecycle",
        "decrease",
        "req property: x-stability-level lowered (e.g. stable -> beta)",
        "the stability level of the request property '{0}' decreased from {1} to {2} (media type '{3}')"
    ),
    rule!(
        "request-property-stability-increased",
        Info,
        Request,
        "lifecycle",
        "increase",
        "req property: x-stability-level raised",
        "the stability level of the request property '{0}' increased from {1} to {2} (media type '{3}')"
    ),
    rule!(
        "response-property-deprecated",
        Info,
        Response,
        "lifecycle",
        "set",
        "resp property: marked deprecated",
        "the response property '{0}' was deprecated in the response with the '{1}' status (media type '{2}')"
    ),
    rule!(
        "response-property-deprecated-with-sunset",
        Info,
        Response,
        "lifecycle",
        "set",
        "resp property: marked deprecated, x-sunset given",
        "the response property '{0}' was deprecated with sunset date {1} in the response with the '{2}' status (media type '{3}')"
    ),
    rule!(
        "response-property-reactivated",
        Info,
        Response,
        "lifecycle",
        "remove",
        "resp property: deprecated flag cleared",
        "the response property '{0}' was reactivated in the response with the '{1}' status (media type '{2}')"
    ),
    rule!(
        "response-property-deprecated-sunset-missing",
        Err,
        Response,
        "lifecycle",
        "change",
        "resp property: deprecated without x-sunset while a deprecation-days policy is on",
        "the response property '{0}' was deprecated without a sunset date while the policy requires {1} days in the response with the '{2}' status (media type '{3}')"
    ),
    rule!(
        "response-property-deprecated-sunset-invalid",
        Err,
        Response,
        "lifecycle",
        "change",
        "resp property: deprecated with an x-sunset that is not an RFC 3339 date",
        "the response property '{0}' is deprecated with an unparsable sunset date {1} in the response with the '{2}' status (media type '{3}')"
    ),
    rule!(
        "response-property-sunset-date-too-small",
        Err,
        Response,
        "lifecycle",
        "change",
        "resp property: x-sunset closer than the deprecation-days policy allows",
        "the response property '{0}' has sunset date {1}, earlier than the {2} days the policy requires in the response with the '{3}' status (media type '{4}')"
    ),
    rule!(
        "response-property-stability-decreased",
        Err,
        Response,
        "lifecycle",
        "decrease",
        "resp property: x-stability-level lowered (e.g. stable -> beta)",
        "the stability level of the response property '{0}' decreased from {1} to {2} in the response with the '{3}' status (media type '{4}')"
    ),
    rule!(
        "response-property-stability-increased",
        Info,
        Response,
        "lifecycle",
        "increase",
        "resp property: x-stability-level raised",
        "the stability level of the response property '{0}' increased from {1} to {2} in the response with the '{3}' status (media type '{4}')"
    ),
];

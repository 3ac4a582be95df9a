//! The schema rules' catalog: the hand-written rows ([`RULES`], one per line: oasdiff's
//! vocabulary for the schema families, kept by hand since it was first taken from
//! `../shared/reference/rule-ids.tsv`, plus ids apidrift adds), and the generated rows
//! that fill every other (site family, kind) cell of the grid ([`generated`]), so that
//! every relative change the comparator can hold has a rule at every site.
//!
//! Args of every template: the property path first (property rules only), then the
//! rule's details (values, bounds), then the site context (media type; status + media
//! type; location + name; header name + status). Must not: contain check logic.

use super::kinds::{self, Effect, Group, Kind};
use super::resolve::{Family, level_of};
use crate::diff::rules::{Direction, Rule};
use crate::model::keyword::{Compare, KEYWORDS};
use crate::rules;
use std::collections::HashMap;
use std::sync::LazyLock;

/// Every hand-written rule the schema comparator can emit: oasdiff's vocabulary for the
/// schema families, and the ids apidrift adds where the vocabulary has a hole (marked
/// `ours`). The rest of the (site family, kind) grid is generated (`generated`).
///
/// Columns: origin, id, level, direction, kind, action, description, template.
pub const RULES: &[Rule] = rules! {
    oasdiff "new-optional-request-property"                         Info Request  existence    add        "new optional property in request body" "added the new optional request property '{0}' (media type '{1}')";
    oasdiff "new-required-request-header-property"                  Err  Request  existence    add        "required property added inside an object-typed header parameter" "added the new required property '{0}' to the {1} request parameter '{2}'";
    oasdiff "new-required-request-property"                         Err  Request  existence    add        "new required property in request body" "added the new required request property '{0}' (media type '{1}')";
    oasdiff "new-required-request-property-with-default"            Err  Request  existence    add        "new required request property that carries a default (still breaking)" "added the new required request property '{0}' with a default value (media type '{1}')";
    oasdiff "request-body-all-of-added"                             Err  Request  structure    add        "req body: allOf branch added" "added the allOf branch '{0}' to the request body (media type '{1}')";
    oasdiff "request-body-all-of-added-annotation-only"             Info Request  structure    add        "req body: allOf branch with only annotations added (no wire effect)" "added the annotation-only allOf branch '{0}' to the request body (media type '{1}')";
    oasdiff "request-body-all-of-removed"                           Warn Request  structure    remove     "req body: allOf branch removed" "removed the allOf branch '{0}' from the request body (media type '{1}')";
    oasdiff "request-body-all-of-removed-annotation-only"           Info Request  structure    remove     "req body: allOf branch with only annotations removed (no wire effect)" "removed the annotation-only allOf branch '{0}' from the request body (media type '{1}')";
    oasdiff "request-body-any-of-added"                             Info Request  structure    add        "req body: anyOf branch added" "added the anyOf branch '{0}' to the request body (media type '{1}')";
    oasdiff "request-body-any-of-removed"                           Err  Request  structure    remove     "req body: anyOf branch removed" "removed the anyOf branch '{0}' from the request body (media type '{1}')";
    oasdiff "request-body-became-enum"                              Err  Request  values       change     "req body: now restricted to an enum" "restricted the request body to an enum (media type '{0}')";
    oasdiff "request-body-became-not-nullable"                      Err  Request  requiredness change     "req body: null no longer allowed" "the request body became not nullable (media type '{0}')";
    oasdiff "request-body-became-nullable"                          Info Request  requiredness change     "req body: null now allowed" "the request body became nullable (media type '{0}')";
    oasdiff "request-body-const-added"                              Err  Request  values       add        "req body: const introduced" "added the const value {0} to the request body (media type '{1}')";
    oasdiff "request-body-const-changed"                            Err  Request  values       change     "req body: const value changed" "changed the const value of the request body from {0} to {1} (media type '{2}')";
    oasdiff "request-body-const-removed"                            Info Request  values       remove     "req body: const dropped" "removed the const value {0} from the request body (media type '{1}')";
    oasdiff "request-body-contains-added"                           Err  Request  structure    add        "req body: contains introduced" "added 'contains' to the request body (media type '{0}')";
    oasdiff "request-body-contains-removed"                         Info Request  structure    remove     "req body: contains dropped" "removed 'contains' from the request body (media type '{0}')";
    oasdiff "request-body-content-encoding-changed"                 Err  Request  type         change     "req body: contentEncoding changed" "changed the contentEncoding of the request body from '{0}' to '{1}' (media type '{2}')";
    oasdiff "request-body-content-media-type-changed"               Err  Request  type         change     "req body: contentMediaType changed" "changed the contentMediaType of the request body from '{0}' to '{1}' (media type '{2}')";
    oasdiff "request-body-content-schema-added"                     Err  Request  existence    add        "req body: contentSchema introduced" "added 'contentSchema' to the request body (media type '{0}')";
    oasdiff "request-body-content-schema-removed"                   Info Request  existence    remove     "req body: contentSchema dropped" "removed 'contentSchema' from the request body (media type '{0}')";
    oasdiff "request-body-default-value-added"                      Info Request  values       add        "req body: default introduced" "added the default value {0} to the request body (media type '{1}')";
    oasdiff "request-body-default-value-changed"                    Info Request  values       change     "req body: default value changed" "changed the default value of the request body from {0} to {1} (media type '{2}')";
    oasdiff "request-body-default-value-removed"                    Info Request  values       remove     "req body: default dropped" "removed the default value {0} from the request body (media type '{1}')";
    oasdiff "request-body-dependent-required-added"                 Err  Request  structure    add        "req body: dependentRequired introduced" "added dependentRequired for '{0}' to the request body (media type '{1}')";
    oasdiff "request-body-dependent-required-changed"               Err  Request  structure    change     "req body: dependentRequired changed" "changed dependentRequired for '{0}' of the request body (media type '{1}')";
    oasdiff "request-body-dependent-required-removed"               Info Request  structure    remove     "req body: dependentRequired dropped" "removed dependentRequired for '{0}' from the request body (media type '{1}')";
    oasdiff "request-body-dependent-schema-added"                   Err  Request  structure    add        "req body: dependentSchemas entry added" "added the dependentSchemas entry '{0}' to the request body (media type '{1}')";
    oasdiff "request-body-dependent-schema-removed"                 Info Request  structure    remove     "req body: dependentSchemas entry removed" "removed the dependentSchemas entry '{0}' from the request body (media type '{1}')";
    oasdiff "request-body-discriminator-added"                      Info Request  structure    add        "req body: discriminator introduced" "added a discriminator to the request body (media type '{0}')";
    oasdiff "request-body-discriminator-mapping-added"              Info Request  structure    add        "req body: discriminator mapping entry added" "added the discriminator mapping '{0}' to the request body (media type '{1}')";
    oasdiff "request-body-discriminator-mapping-changed"            Info Request  structure    change     "req body: discriminator mapping target changed" "changed the discriminator mapping target of '{0}' in the request body (media type '{1}')";
    oasdiff "request-body-discriminator-mapping-deleted"            Info Request  structure    remove     "req body: discriminator mapping entry removed" "removed the discriminator mapping '{0}' from the request body (media type '{1}')";
    oasdiff "request-body-discriminator-property-name-changed"      Info Request  structure    change     "req body: discriminator propertyName changed" "changed the discriminator propertyName of the request body from '{0}' to '{1}' (media type '{2}')";
    oasdiff "request-body-discriminator-removed"                    Info Request  structure    remove     "req body: discriminator dropped" "removed the discriminator from the request body (media type '{0}')";
    oasdiff "request-body-else-added"                               Err  Request  structure    add        "req body: else subschema added" "added 'else' to the request body (media type '{0}')";
    oasdiff "request-body-else-removed"                             Info Request  structure    remove     "req body: else subschema removed" "removed 'else' from the request body (media type '{0}')";
    oasdiff "request-body-enum-value-removed"                       Err  Request  values       remove     "req body: enum value removed" "removed the enum value '{0}' from the request body (media type '{1}')";
    oasdiff "request-body-exclusive-max-decreased"                  Err  Request  constraints  decrease   "req body: exclusiveMaximum lowered" "decreased the exclusiveMaximum of the request body from {0} to {1} (media type '{2}')";
    oasdiff "request-body-exclusive-max-increased"                  Info Request  constraints  increase   "req body: exclusiveMaximum raised" "increased the exclusiveMaximum of the request body from {0} to {1} (media type '{2}')";
    oasdiff "request-body-exclusive-max-set"                        Warn Request  constraints  set        "req body: exclusiveMaximum newly set" "set the exclusiveMaximum of the request body to {0} (media type '{1}')";
    oasdiff "request-body-exclusive-min-decreased"                  Info Request  constraints  decrease   "req body: exclusiveMinimum lowered" "decreased the exclusiveMinimum of the request body from {0} to {1} (media type '{2}')";
    oasdiff "request-body-exclusive-min-increased"                  Err  Request  constraints  increase   "req body: exclusiveMinimum raised" "increased the exclusiveMinimum of the request body from {0} to {1} (media type '{2}')";
    oasdiff "request-body-exclusive-min-set"                        Warn Request  constraints  set        "req body: exclusiveMinimum newly set" "set the exclusiveMinimum of the request body to {0} (media type '{1}')";
    oasdiff "request-body-if-added"                                 Err  Request  structure    add        "req body: if subschema added" "added 'if' to the request body (media type '{0}')";
    oasdiff "request-body-if-removed"                               Info Request  structure    remove     "req body: if subschema removed" "removed 'if' from the request body (media type '{0}')";
    oasdiff "request-body-list-of-types-narrowed"                   Err  Request  type         remove     "req body: type array lost a member" "narrowed the list of types of the request body from '{0}' to '{1}' (media type '{2}')";
    oasdiff "request-body-list-of-types-widened"                    Info Request  type         add        "req body: type array gained a member" "widened the list of types of the request body from '{0}' to '{1}' (media type '{2}')";
    oasdiff "request-body-max-contains-decreased"                   Err  Request  constraints  decrease   "req body: maxContains lowered" "decreased the maxContains of the request body from {0} to {1} (media type '{2}')";
    oasdiff "request-body-max-contains-increased"                   Info Request  constraints  increase   "req body: maxContains raised" "increased the maxContains of the request body from {0} to {1} (media type '{2}')";
    oasdiff "request-body-max-decreased"                            Err  Request  constraints  decrease   "req body: maximum lowered" "decreased the maximum of the request body from {0} to {1} (media type '{2}')";
    oasdiff "request-body-max-increased"                            Info Request  constraints  increase   "req body: maximum raised" "increased the maximum of the request body from {0} to {1} (media type '{2}')";
    oasdiff "request-body-max-length-decreased"                     Err  Request  constraints  decrease   "req body: maxLength lowered" "decreased the maxLength of the request body from {0} to {1} (media type '{2}')";
    oasdiff "request-body-max-length-increased"                     Info Request  constraints  increase   "req body: maxLength raised" "increased the maxLength of the request body from {0} to {1} (media type '{2}')";
    oasdiff "request-body-max-length-set"                           Warn Request  constraints  set        "req body: maxLength newly set" "set the maxLength of the request body to {0} (media type '{1}')";
    oasdiff "request-body-max-set"                                  Warn Request  constraints  set        "req body: maximum newly set" "set the maximum of the request body to {0} (media type '{1}')";
    oasdiff "request-body-min-contains-decreased"                   Info Request  constraints  decrease   "req body: minContains lowered" "decreased the minContains of the request body from {0} to {1} (media type '{2}')";
    oasdiff "request-body-min-contains-increased"                   Err  Request  constraints  increase   "req body: minContains raised" "increased the minContains of the request body from {0} to {1} (media type '{2}')";
    oasdiff "request-body-min-decreased"                            Info Request  constraints  decrease   "req body: minimum lowered" "decreased the minimum of the request body from {0} to {1} (media type '{2}')";
    oasdiff "request-body-min-increased"                            Err  Request  constraints  increase   "req body: minimum raised" "increased the minimum of the request body from {0} to {1} (media type '{2}')";
    oasdiff "request-body-min-items-increased"                      Err  Request  constraints  increase   "req body: minItems raised" "increased the minItems of the request body from {0} to {1} (media type '{2}')";
    oasdiff "request-body-min-items-set"                            Warn Request  constraints  set        "req body: minItems newly set" "set the minItems of the request body to {0} (media type '{1}')";
    oasdiff "request-body-min-length-decreased"                     Info Request  constraints  decrease   "req body: minLength lowered" "decreased the minLength of the request body from {0} to {1} (media type '{2}')";
    oasdiff "request-body-min-length-increased"                     Err  Request  constraints  increase   "req body: minLength raised" "increased the minLength of the request body from {0} to {1} (media type '{2}')";
    oasdiff "request-body-min-set"                                  Warn Request  constraints  set        "req body: minimum newly set" "set the minimum of the request body to {0} (media type '{1}')";
    oasdiff "request-body-one-of-added"                             Info Request  structure    add        "req body: oneOf branch added" "added the oneOf branch '{0}' to the request body (media type '{1}')";
    oasdiff "request-body-one-of-removed"                           Err  Request  structure    remove     "req body: oneOf branch removed" "removed the oneOf branch '{0}' from the request body (media type '{1}')";
    oasdiff "request-body-pattern-property-added"                   Err  Request  constraints  add        "req body: patternProperties entry added" "added the patternProperties entry '{0}' to the request body (media type '{1}')";
    oasdiff "request-body-pattern-property-removed"                 Info Request  constraints  remove     "req body: patternProperties entry removed" "removed the patternProperties entry '{0}' from the request body (media type '{1}')";
    oasdiff "request-body-prefix-items-added"                       Info Request  structure    add        "req body: prefixItems entry added" "added prefixItems entry #{0} to the request body (media type '{1}')";
    oasdiff "request-body-prefix-items-removed"                     Err  Request  structure    remove     "req body: prefixItems entry removed" "removed prefixItems entry #{0} from the request body (media type '{1}')";
    oasdiff "request-body-property-names-added"                     Err  Request  structure    add        "req body: propertyNames introduced" "added 'propertyNames' to the request body (media type '{0}')";
    oasdiff "request-body-property-names-removed"                   Info Request  structure    remove     "req body: propertyNames dropped" "removed 'propertyNames' from the request body (media type '{0}')";
    oasdiff "request-body-then-added"                               Err  Request  structure    add        "req body: then subschema added" "added 'then' to the request body (media type '{0}')";
    oasdiff "request-body-then-removed"                             Info Request  structure    remove     "req body: then subschema removed" "removed 'then' from the request body (media type '{0}')";
    oasdiff "request-body-type-changed"                             Err  Request  type         change     "req body: type/format changed incompatibly" "changed the type of the request body from '{0}' to '{1}' (media type '{2}')";
    oasdiff "request-body-type-compatible"                          Info Request  type         change     "req body: type changed, tolerated because the location is text/loosely typed" "changed the type of the request body from '{0}' to '{1}', tolerated because the media type '{2}' carries values as text";
    oasdiff "request-body-type-generalized"                         Info Request  type         generalize "req body: type/format widened" "generalized the type of the request body from '{0}' to '{1}' (media type '{2}')";
    oasdiff "request-body-unevaluated-items-added"                  Err  Request  structure    add        "req body: unevaluatedItems introduced" "added 'unevaluatedItems' to the request body (media type '{0}')";
    oasdiff "request-body-unevaluated-items-removed"                Info Request  structure    remove     "req body: unevaluatedItems dropped" "removed 'unevaluatedItems' from the request body (media type '{0}')";
    oasdiff "request-body-unevaluated-properties-added"             Err  Request  structure    add        "req body: unevaluatedProperties introduced" "added 'unevaluatedProperties' to the request body (media type '{0}')";
    oasdiff "request-body-unevaluated-properties-removed"           Info Request  structure    remove     "req body: unevaluatedProperties dropped" "removed 'unevaluatedProperties' from the request body (media type '{0}')";
    oasdiff "request-body-wrapped-in-one-of"                        Err  Request  structure    change     "req body: schema moved under a oneOf wrapper" "wrapped the request body in a oneOf (media type '{0}')";
    oasdiff "request-header-property-became-enum"                   Err  Request  values       change     "property inside object header param restricted to enum" "restricted the property '{0}' of the {1} request parameter '{2}' to an enum";
    oasdiff "request-header-property-became-required"               Err  Request  requiredness change     "property inside object header param became required" "the property '{0}' of the {1} request parameter '{2}' became required";
    oasdiff "request-optional-property-became-not-read-only"        Info Request  mutability   change     "optional req property: readOnly dropped" "the optional request property '{0}' became not read-only (media type '{1}')";
    oasdiff "request-optional-property-became-not-write-only"       Info Request  mutability   change     "optional req property: writeOnly dropped" "the optional request property '{0}' became not write-only (media type '{1}')";
    oasdiff "request-optional-property-became-read-only"            Info Request  mutability   change     "optional req property: readOnly set" "the optional request property '{0}' became read-only (media type '{1}')";
    oasdiff "request-optional-property-became-write-only"           Info Request  mutability   change     "optional req property: writeOnly set" "the optional request property '{0}' became write-only (media type '{1}')";
    oasdiff "request-parameter-became-enum"                         Err  Request  values       change     "req parameter: now restricted to an enum" "restricted the {0} request parameter '{1}' to an enum";
    oasdiff "request-parameter-became-not-nullable"                 Err  Request  requiredness change     "req parameter: null no longer allowed" "the {0} request parameter '{1}' became not nullable";
    oasdiff "request-parameter-became-nullable"                     Info Request  requiredness change     "req parameter: null now allowed" "the {0} request parameter '{1}' became nullable";
    oasdiff "request-parameter-default-value-added"                 Err  Request  values       add        "req parameter: default introduced" "added the default value {0} to the {1} request parameter '{2}'";
    oasdiff "request-parameter-default-value-changed"               Err  Request  values       change     "req parameter: default value changed" "changed the default value of the {2} request parameter '{3}' from {0} to {1}";
    oasdiff "request-parameter-default-value-removed"               Err  Request  values       remove     "req parameter: default dropped" "removed the default value {0} from the {1} request parameter '{2}'";
    oasdiff "request-parameter-enum-value-added"                    Info Request  values       add        "req parameter: enum value added" "added the enum value '{0}' to the {1} request parameter '{2}'";
    oasdiff "request-parameter-enum-value-removed"                  Err  Request  values       remove     "req parameter: enum value removed" "removed the enum value '{0}' from the {1} request parameter '{2}'";
    oasdiff "request-parameter-exclusive-max-decreased"             Err  Request  constraints  decrease   "req parameter: exclusiveMaximum lowered" "decreased the exclusiveMaximum of the {2} request parameter '{3}' from {0} to {1}";
    oasdiff "request-parameter-exclusive-max-increased"             Info Request  constraints  increase   "req parameter: exclusiveMaximum raised" "increased the exclusiveMaximum of the {2} request parameter '{3}' from {0} to {1}";
    oasdiff "request-parameter-exclusive-max-set"                   Warn Request  constraints  set        "req parameter: exclusiveMaximum newly set" "set the exclusiveMaximum of the {1} request parameter '{2}' to {0}";
    oasdiff "request-parameter-exclusive-min-decreased"             Info Request  constraints  decrease   "req parameter: exclusiveMinimum lowered" "decreased the exclusiveMinimum of the {2} request parameter '{3}' from {0} to {1}";
    oasdiff "request-parameter-exclusive-min-increased"             Err  Request  constraints  increase   "req parameter: exclusiveMinimum raised" "increased the exclusiveMinimum of the {2} request parameter '{3}' from {0} to {1}";
    oasdiff "request-parameter-exclusive-min-set"                   Warn Request  constraints  set        "req parameter: exclusiveMinimum newly set" "set the exclusiveMinimum of the {1} request parameter '{2}' to {0}";
    oasdiff "request-parameter-list-of-types-narrowed"              Err  Request  type         remove     "req parameter: type array lost a member" "narrowed the list of types of the {2} request parameter '{3}' from '{0}' to '{1}'";
    oasdiff "request-parameter-list-of-types-widened"               Info Request  type         add        "req parameter: type array gained a member" "widened the list of types of the {2} request parameter '{3}' from '{0}' to '{1}'";
    oasdiff "request-parameter-max-decreased"                       Err  Request  constraints  decrease   "req parameter: maximum lowered" "decreased the maximum of the {2} request parameter '{3}' from {0} to {1}";
    oasdiff "request-parameter-max-increased"                       Info Request  constraints  increase   "req parameter: maximum raised" "increased the maximum of the {2} request parameter '{3}' from {0} to {1}";
    oasdiff "request-parameter-max-items-decreased"                 Err  Request  constraints  decrease   "req parameter: maxItems lowered" "decreased the maxItems of the {2} request parameter '{3}' from {0} to {1}";
    oasdiff "request-parameter-max-items-increased"                 Info Request  constraints  increase   "req parameter: maxItems raised" "increased the maxItems of the {2} request parameter '{3}' from {0} to {1}";
    oasdiff "request-parameter-max-length-decreased"                Err  Request  constraints  decrease   "req parameter: maxLength lowered" "decreased the maxLength of the {2} request parameter '{3}' from {0} to {1}";
    oasdiff "request-parameter-max-length-increased"                Info Request  constraints  increase   "req parameter: maxLength raised" "increased the maxLength of the {2} request parameter '{3}' from {0} to {1}";
    oasdiff "request-parameter-max-length-set"                      Warn Request  constraints  set        "req parameter: maxLength newly set" "set the maxLength of the {1} request parameter '{2}' to {0}";
    oasdiff "request-parameter-max-set"                             Warn Request  constraints  set        "req parameter: maximum newly set" "set the maximum of the {1} request parameter '{2}' to {0}";
    oasdiff "request-parameter-min-decreased"                       Info Request  constraints  decrease   "req parameter: minimum lowered" "decreased the minimum of the {2} request parameter '{3}' from {0} to {1}";
    oasdiff "request-parameter-min-increased"                       Err  Request  constraints  increase   "req parameter: minimum raised" "increased the minimum of the {2} request parameter '{3}' from {0} to {1}";
    oasdiff "request-parameter-min-items-decreased"                 Info Request  constraints  decrease   "req parameter: minItems lowered" "decreased the minItems of the {2} request parameter '{3}' from {0} to {1}";
    oasdiff "request-parameter-min-items-increased"                 Err  Request  constraints  increase   "req parameter: minItems raised" "increased the minItems of the {2} request parameter '{3}' from {0} to {1}";
    oasdiff "request-parameter-min-items-set"                       Warn Request  constraints  set        "req parameter: minItems newly set" "set the minItems of the {1} request parameter '{2}' to {0}";
    oasdiff "request-parameter-min-length-decreased"                Info Request  constraints  decrease   "req parameter: minLength lowered" "decreased the minLength of the {2} request parameter '{3}' from {0} to {1}";
    oasdiff "request-parameter-min-length-increased"                Err  Request  constraints  increase   "req parameter: minLength raised" "increased the minLength of the {2} request parameter '{3}' from {0} to {1}";
    oasdiff "request-parameter-min-set"                             Warn Request  constraints  set        "req parameter: minimum newly set" "set the minimum of the {1} request parameter '{2}' to {0}";
    oasdiff "request-parameter-pattern-added"                       Err  Request  constraints  add        "req parameter: pattern introduced" "added the pattern '{0}' to the {1} request parameter '{2}'";
    oasdiff "request-parameter-pattern-changed"                     Warn Request  constraints  change     "req parameter: pattern replaced (not provably wider)" "changed the pattern of the {2} request parameter '{3}' from '{0}' to '{1}'";
    oasdiff "request-parameter-pattern-generalized"                 Info Request  constraints  generalize "req parameter: pattern replaced by a wider one" "changed the pattern of the {2} request parameter '{3}' from '{0}' to the more general '{1}'";
    oasdiff "request-parameter-pattern-removed"                     Info Request  constraints  remove     "req parameter: pattern dropped" "removed the pattern '{0}' from the {1} request parameter '{2}'";
    oasdiff "request-parameter-property-became-not-nullable"        Err  Request  requiredness change     "object-parameter property: null no longer allowed" "the property '{0}' of the {1} request parameter '{2}' became not nullable";
    oasdiff "request-parameter-property-became-nullable"            Info Request  requiredness change     "object-parameter property: null now allowed" "the property '{0}' of the {1} request parameter '{2}' became nullable";
    oasdiff "request-parameter-property-enum-value-added"           Info Request  values       add        "object-parameter property: enum value added" "added the enum value '{1}' to the property '{0}' of the {2} request parameter '{3}'";
    oasdiff "request-parameter-property-enum-value-removed"         Err  Request  values       remove     "object-parameter property: enum value removed" "removed the enum value '{1}' from the property '{0}' of the {2} request parameter '{3}'";
    oasdiff "request-parameter-property-list-of-types-narrowed"     Err  Request  type         remove     "object-parameter property: type array lost a member" "narrowed the list of types of the property '{0}' of the {3} request parameter '{4}' from '{1}' to '{2}'";
    oasdiff "request-parameter-property-list-of-types-widened"      Info Request  type         add        "object-parameter property: type array gained a member" "widened the list of types of the property '{0}' of the {3} request parameter '{4}' from '{1}' to '{2}'";
    oasdiff "request-parameter-property-type-changed"               Err  Request  type         change     "object-parameter property: type/format changed incompatibly" "changed the type of the property '{0}' of the {3} request parameter '{4}' from '{1}' to '{2}'";
    oasdiff "request-parameter-property-type-generalized"           Info Request  type         generalize "object-parameter property: type/format widened" "generalized the type of the property '{0}' of the {3} request parameter '{4}' from '{1}' to '{2}'";
    oasdiff "request-parameter-property-type-specialized"           Err  Request  type         specialize "object-parameter property: type/format narrowed" "specialized the type of the property '{0}' of the {3} request parameter '{4}' from '{1}' to '{2}'";
    oasdiff "request-parameter-type-changed"                        Err  Request  type         change     "req parameter: type/format changed incompatibly" "changed the type of the {2} request parameter '{3}' from '{0}' to '{1}'";
    oasdiff "request-parameter-type-generalized"                    Info Request  type         generalize "req parameter: type/format widened" "generalized the type of the {2} request parameter '{3}' from '{0}' to '{1}'";
    oasdiff "request-parameter-x-extensible-enum-value-removed"     Err  Request  values       remove     "req parameter: x-extensible-enum value removed" "removed the x-extensible-enum value '{0}' from the {1} request parameter '{2}'";
    oasdiff "request-property-all-of-added"                         Err  Request  structure    add        "req property: allOf branch added" "added the allOf branch '{1}' to the request property '{0}' (media type '{2}')";
    oasdiff "request-property-all-of-added-annotation-only"         Info Request  structure    add        "req property: allOf branch with only annotations added (no wire effect)" "added the annotation-only allOf branch '{1}' to the request property '{0}' (media type '{2}')";
    oasdiff "request-property-all-of-removed"                       Warn Request  structure    remove     "req property: allOf branch removed" "removed the allOf branch '{1}' from the request property '{0}' (media type '{2}')";
    oasdiff "request-property-all-of-removed-annotation-only"       Info Request  structure    remove     "req property: allOf branch with only annotations removed (no wire effect)" "removed the annotation-only allOf branch '{1}' from the request property '{0}' (media type '{2}')";
    oasdiff "request-property-any-of-added"                         Info Request  structure    add        "req property: anyOf branch added" "added the anyOf branch '{1}' to the request property '{0}' (media type '{2}')";
    oasdiff "request-property-any-of-removed"                       Err  Request  structure    remove     "req property: anyOf branch removed" "removed the anyOf branch '{1}' from the request property '{0}' (media type '{2}')";
    oasdiff "request-property-became-enum"                          Err  Request  values       change     "req property: now restricted to an enum" "restricted the request property '{0}' to an enum (media type '{1}')";
    oasdiff "request-property-became-not-nullable"                  Err  Request  requiredness change     "req property: null no longer allowed" "the request property '{0}' became not nullable (media type '{1}')";
    oasdiff "request-property-became-nullable"                      Info Request  requiredness change     "req property: null now allowed" "the request property '{0}' became nullable (media type '{1}')";
    oasdiff "request-property-became-optional"                      Info Request  requiredness change     "req property: required -> optional" "the request property '{0}' became optional (media type '{1}')";
    oasdiff "request-property-became-required"                      Err  Request  requiredness change     "req property: optional -> required" "the request property '{0}' became required (media type '{1}')";
    oasdiff "request-property-became-required-with-default"         Err  Request  requiredness change     "req property: optional -> required although it has a default" "the request property '{0}' became required (it has a default value) (media type '{1}')";
    oasdiff "request-property-const-added"                          Err  Request  values       add        "req property: const introduced" "added the const value {1} to the request property '{0}' (media type '{2}')";
    oasdiff "request-property-const-changed"                        Err  Request  values       change     "req property: const value changed" "changed the const value of the request property '{0}' from {1} to {2} (media type '{3}')";
    oasdiff "request-property-const-removed"                        Info Request  values       remove     "req property: const dropped" "removed the const value {1} from the request property '{0}' (media type '{2}')";
    oasdiff "request-property-contains-added"                       Err  Request  structure    add        "req property: contains introduced" "added 'contains' to the request property '{0}' (media type '{1}')";
    oasdiff "request-property-contains-removed"                     Info Request  structure    remove     "req property: contains dropped" "removed 'contains' from the request property '{0}' (media type '{1}')";
    oasdiff "request-property-content-encoding-changed"             Err  Request  type         change     "req property: contentEncoding changed" "changed the contentEncoding of the request property '{0}' from '{1}' to '{2}' (media type '{3}')";
    oasdiff "request-property-content-media-type-changed"           Err  Request  type         change     "req property: contentMediaType changed" "changed the contentMediaType of the request property '{0}' from '{1}' to '{2}' (media type '{3}')";
    oasdiff "request-property-content-schema-added"                 Err  Request  existence    add        "req property: contentSchema introduced" "added 'contentSchema' to the request property '{0}' (media type '{1}')";
    oasdiff "request-property-content-schema-removed"               Info Request  existence    remove     "req property: contentSchema dropped" "removed 'contentSchema' from the request property '{0}' (media type '{1}')";
    oasdiff "request-property-default-value-added"                  Info Request  values       add        "req property: default introduced" "added the default value {1} to the request property '{0}' (media type '{2}')";
    oasdiff "request-property-default-value-changed"                Info Request  values       change     "req property: default value changed" "changed the default value of the request property '{0}' from {1} to {2} (media type '{3}')";
    oasdiff "request-property-default-value-removed"                Info Request  values       remove     "req property: default dropped" "removed the default value {1} from the request property '{0}' (media type '{2}')";
    oasdiff "request-property-dependent-required-added"             Err  Request  structure    add        "req property: dependentRequired introduced" "added dependentRequired for '{1}' to the request property '{0}' (media type '{2}')";
    oasdiff "request-property-dependent-required-changed"           Err  Request  structure    change     "req property: dependentRequired changed" "changed dependentRequired for '{1}' of the request property '{0}' (media type '{2}')";
    oasdiff "request-property-dependent-required-removed"           Info Request  structure    remove     "req property: dependentRequired dropped" "removed dependentRequired for '{1}' from the request property '{0}' (media type '{2}')";
    oasdiff "request-property-dependent-schema-added"               Err  Request  structure    add        "req property: dependentSchemas entry added" "added the dependentSchemas entry '{1}' to the request property '{0}' (media type '{2}')";
    oasdiff "request-property-dependent-schema-removed"             Info Request  structure    remove     "req property: dependentSchemas entry removed" "removed the dependentSchemas entry '{1}' from the request property '{0}' (media type '{2}')";
    oasdiff "request-property-discriminator-added"                  Info Request  structure    add        "req property: discriminator introduced" "added a discriminator to the request property '{0}' (media type '{1}')";
    oasdiff "request-property-discriminator-mapping-added"          Info Request  structure    add        "req property: discriminator mapping entry added" "added the discriminator mapping '{1}' to the request property '{0}' (media type '{2}')";
    oasdiff "request-property-discriminator-mapping-changed"        Info Request  structure    change     "req property: discriminator mapping target changed" "changed the discriminator mapping target of '{1}' in the request property '{0}' (media type '{2}')";
    oasdiff "request-property-discriminator-mapping-deleted"        Info Request  structure    remove     "req property: discriminator mapping entry removed" "removed the discriminator mapping '{1}' from the request property '{0}' (media type '{2}')";
    oasdiff "request-property-discriminator-property-name-changed"  Info Request  structure    change     "req property: discriminator propertyName changed" "changed the discriminator propertyName of the request property '{0}' from '{1}' to '{2}' (media type '{3}')";
    oasdiff "request-property-discriminator-removed"                Info Request  structure    remove     "req property: discriminator dropped" "removed the discriminator from the request property '{0}' (media type '{1}')";
    oasdiff "request-property-else-added"                           Err  Request  structure    add        "req property: else subschema added" "added 'else' to the request property '{0}' (media type '{1}')";
    oasdiff "request-property-else-removed"                         Info Request  structure    remove     "req property: else subschema removed" "removed 'else' from the request property '{0}' (media type '{1}')";
    oasdiff "request-property-enum-value-added"                     Info Request  values       add        "req property: enum value added" "added the enum value '{1}' to the request property '{0}' (media type '{2}')";
    oasdiff "request-property-enum-value-removed"                   Err  Request  values       remove     "req property: enum value removed" "removed the enum value '{1}' from the request property '{0}' (media type '{2}')";
    oasdiff "request-property-exclusive-max-decreased"              Err  Request  constraints  decrease   "req property: exclusiveMaximum lowered" "decreased the exclusiveMaximum of the request property '{0}' from {1} to {2} (media type '{3}')";
    oasdiff "request-property-exclusive-max-increased"              Info Request  constraints  increase   "req property: exclusiveMaximum raised" "increased the exclusiveMaximum of the request property '{0}' from {1} to {2} (media type '{3}')";
    oasdiff "request-property-exclusive-max-set"                    Warn Request  constraints  set        "req property: exclusiveMaximum newly set" "set the exclusiveMaximum of the request property '{0}' to {1} (media type '{2}')";
    oasdiff "request-property-exclusive-min-decreased"              Info Request  constraints  decrease   "req property: exclusiveMinimum lowered" "decreased the exclusiveMinimum of the request property '{0}' from {1} to {2} (media type '{3}')";
    oasdiff "request-property-exclusive-min-increased"              Err  Request  constraints  increase   "req property: exclusiveMinimum raised" "increased the exclusiveMinimum of the request property '{0}' from {1} to {2} (media type '{3}')";
    oasdiff "request-property-exclusive-min-set"                    Warn Request  constraints  set        "req property: exclusiveMinimum newly set" "set the exclusiveMinimum of the request property '{0}' to {1} (media type '{2}')";
    oasdiff "request-property-if-added"                             Err  Request  structure    add        "req property: if subschema added" "added 'if' to the request property '{0}' (media type '{1}')";
    oasdiff "request-property-if-removed"                           Info Request  structure    remove     "req property: if subschema removed" "removed 'if' from the request property '{0}' (media type '{1}')";
    oasdiff "request-property-list-of-types-narrowed"               Err  Request  type         remove     "req property: type array lost a member" "narrowed the list of types of the request property '{0}' from '{1}' to '{2}' (media type '{3}')";
    oasdiff "request-property-list-of-types-widened"                Info Request  type         add        "req property: type array gained a member" "widened the list of types of the request property '{0}' from '{1}' to '{2}' (media type '{3}')";
    oasdiff "request-property-max-contains-decreased"               Err  Request  constraints  decrease   "req property: maxContains lowered" "decreased the maxContains of the request property '{0}' from {1} to {2} (media type '{3}')";
    oasdiff "request-property-max-contains-increased"               Info Request  constraints  increase   "req property: maxContains raised" "increased the maxContains of the request property '{0}' from {1} to {2} (media type '{3}')";
    oasdiff "request-property-max-decreased"                        Err  Request  constraints  decrease   "req property: maximum lowered" "decreased the maximum of the request property '{0}' from {1} to {2} (media type '{3}')";
    oasdiff "request-property-max-increased"                        Info Request  constraints  increase   "req property: maximum raised" "increased the maximum of the request property '{0}' from {1} to {2} (media type '{3}')";
    oasdiff "request-property-max-length-decreased"                 Err  Request  constraints  decrease   "req property: maxLength lowered" "decreased the maxLength of the request property '{0}' from {1} to {2} (media type '{3}')";
    oasdiff "request-property-max-length-increased"                 Info Request  constraints  increase   "req property: maxLength raised" "increased the maxLength of the request property '{0}' from {1} to {2} (media type '{3}')";
    oasdiff "request-property-max-length-set"                       Warn Request  constraints  set        "req property: maxLength newly set" "set the maxLength of the request property '{0}' to {1} (media type '{2}')";
    oasdiff "request-property-max-set"                              Warn Request  constraints  set        "req property: maximum newly set" "set the maximum of the request property '{0}' to {1} (media type '{2}')";
    oasdiff "request-property-min-contains-decreased"               Info Request  constraints  decrease   "req property: minContains lowered" "decreased the minContains of the request property '{0}' from {1} to {2} (media type '{3}')";
    oasdiff "request-property-min-contains-increased"               Err  Request  constraints  increase   "req property: minContains raised" "increased the minContains of the request property '{0}' from {1} to {2} (media type '{3}')";
    oasdiff "request-property-min-decreased"                        Info Request  constraints  decrease   "req property: minimum lowered" "decreased the minimum of the request property '{0}' from {1} to {2} (media type '{3}')";
    oasdiff "request-property-min-increased"                        Err  Request  constraints  increase   "req property: minimum raised" "increased the minimum of the request property '{0}' from {1} to {2} (media type '{3}')";
    oasdiff "request-property-min-items-increased"                  Err  Request  constraints  increase   "req property: minItems raised" "increased the minItems of the request property '{0}' from {1} to {2} (media type '{3}')";
    oasdiff "request-property-min-items-set"                        Warn Request  constraints  set        "req property: minItems newly set" "set the minItems of the request property '{0}' to {1} (media type '{2}')";
    oasdiff "request-property-min-length-decreased"                 Info Request  constraints  decrease   "req property: minLength lowered" "decreased the minLength of the request property '{0}' from {1} to {2} (media type '{3}')";
    oasdiff "request-property-min-length-increased"                 Err  Request  constraints  increase   "req property: minLength raised" "increased the minLength of the request property '{0}' from {1} to {2} (media type '{3}')";
    oasdiff "request-property-min-set"                              Warn Request  constraints  set        "req property: minimum newly set" "set the minimum of the request property '{0}' to {1} (media type '{2}')";
    oasdiff "request-property-one-of-added"                         Info Request  structure    add        "req property: oneOf branch added" "added the oneOf branch '{1}' to the request property '{0}' (media type '{2}')";
    oasdiff "request-property-one-of-removed"                       Err  Request  structure    remove     "req property: oneOf branch removed" "removed the oneOf branch '{1}' from the request property '{0}' (media type '{2}')";
    oasdiff "request-property-pattern-added"                        Err  Request  constraints  add        "req property: pattern introduced" "added the pattern '{1}' to the request property '{0}' (media type '{2}')";
    oasdiff "request-property-pattern-changed"                      Warn Request  constraints  change     "req property: pattern replaced (not provably wider)" "changed the pattern of the request property '{0}' from '{1}' to '{2}' (media type '{3}')";
    oasdiff "request-property-pattern-generalized"                  Info Request  constraints  generalize "req property: pattern replaced by a wider one" "changed the pattern of the request property '{0}' from '{1}' to the more general '{2}' (media type '{3}')";
    oasdiff "request-property-pattern-property-added"               Err  Request  constraints  add        "req property: patternProperties entry added" "added the patternProperties entry '{1}' to the request property '{0}' (media type '{2}')";
    oasdiff "request-property-pattern-property-removed"             Info Request  constraints  remove     "req property: patternProperties entry removed" "removed the patternProperties entry '{1}' from the request property '{0}' (media type '{2}')";
    oasdiff "request-property-pattern-removed"                      Info Request  constraints  remove     "req property: pattern dropped" "removed the pattern '{1}' from the request property '{0}' (media type '{2}')";
    oasdiff "request-property-prefix-items-added"                   Info Request  structure    add        "req property: prefixItems entry added" "added prefixItems entry #{1} to the request property '{0}' (media type '{2}')";
    oasdiff "request-property-prefix-items-removed"                 Err  Request  structure    remove     "req property: prefixItems entry removed" "removed prefixItems entry #{1} from the request property '{0}' (media type '{2}')";
    oasdiff "request-property-property-names-added"                 Err  Request  structure    add        "req property: propertyNames introduced" "added 'propertyNames' to the request property '{0}' (media type '{1}')";
    oasdiff "request-property-property-names-removed"               Info Request  structure    remove     "req property: propertyNames dropped" "removed 'propertyNames' from the request property '{0}' (media type '{1}')";
    oasdiff "request-property-removed"                              Warn Request  existence    remove     "req property: removed" "removed the request property '{0}' (media type '{1}')";
    oasdiff "request-property-then-added"                           Err  Request  structure    add        "req property: then subschema added" "added 'then' to the request property '{0}' (media type '{1}')";
    oasdiff "request-property-then-removed"                         Info Request  structure    remove     "req property: then subschema removed" "removed 'then' from the request property '{0}' (media type '{1}')";
    oasdiff "request-property-type-changed"                         Err  Request  type         change     "req property: type/format changed incompatibly" "changed the type of the request property '{0}' from '{1}' to '{2}' (media type '{3}')";
    oasdiff "request-property-type-compatible"                      Info Request  type         change     "req property: type changed, tolerated because the location is text/loosely typed" "changed the type of the request property '{0}' from '{1}' to '{2}', tolerated because the media type '{3}' carries values as text";
    oasdiff "request-property-type-generalized"                     Info Request  type         generalize "req property: type/format widened" "generalized the type of the request property '{0}' from '{1}' to '{2}' (media type '{3}')";
    oasdiff "request-property-unevaluated-items-added"              Err  Request  structure    add        "req property: unevaluatedItems introduced" "added 'unevaluatedItems' to the request property '{0}' (media type '{1}')";
    oasdiff "request-property-unevaluated-items-removed"            Info Request  structure    remove     "req property: unevaluatedItems dropped" "removed 'unevaluatedItems' from the request property '{0}' (media type '{1}')";
    oasdiff "request-property-unevaluated-properties-added"         Err  Request  structure    add        "req property: unevaluatedProperties introduced" "added 'unevaluatedProperties' to the request property '{0}' (media type '{1}')";
    oasdiff "request-property-unevaluated-properties-removed"       Info Request  structure    remove     "req property: unevaluatedProperties dropped" "removed 'unevaluatedProperties' from the request property '{0}' (media type '{1}')";
    oasdiff "request-property-x-extensible-enum-value-removed"      Err  Request  values       remove     "req property: x-extensible-enum value removed" "removed the x-extensible-enum value '{1}' from the request property '{0}' (media type '{2}')";
    oasdiff "request-read-only-property-enum-value-removed"         Info Request  values       remove     "enum value removed from a readOnly request property (client should not send it)" "removed the enum value '{1}' from the read-only request property '{0}' (media type '{2}')";
    oasdiff "request-read-only-property-exclusive-max-decreased"    Info Request  constraints  decrease   "readOnly req property: exclusiveMaximum lowered" "decreased the exclusiveMaximum of the read-only request property '{0}' from {1} to {2} (media type '{3}')";
    oasdiff "request-read-only-property-exclusive-min-increased"    Info Request  constraints  increase   "readOnly req property: exclusiveMinimum raised" "increased the exclusiveMinimum of the read-only request property '{0}' from {1} to {2} (media type '{3}')";
    oasdiff "request-read-only-property-max-decreased"              Info Request  constraints  decrease   "readOnly req property: maximum lowered" "decreased the maximum of the read-only request property '{0}' from {1} to {2} (media type '{3}')";
    oasdiff "request-read-only-property-max-length-decreased"       Info Request  constraints  decrease   "readOnly req property: maxLength lowered" "decreased the maxLength of the read-only request property '{0}' from {1} to {2} (media type '{3}')";
    oasdiff "request-read-only-property-min-increased"              Info Request  constraints  increase   "readOnly req property: minimum raised" "increased the minimum of the read-only request property '{0}' from {1} to {2} (media type '{3}')";
    oasdiff "request-required-property-became-not-read-only"        Info Request  mutability   change     "required req property: readOnly dropped" "the required request property '{0}' became not read-only (media type '{1}')";
    oasdiff "request-required-property-became-not-write-only"       Info Request  mutability   change     "required req property: writeOnly dropped" "the required request property '{0}' became not write-only (media type '{1}')";
    oasdiff "request-required-property-became-read-only"            Info Request  mutability   change     "required req property: readOnly set" "the required request property '{0}' became read-only (media type '{1}')";
    oasdiff "request-required-property-became-write-only"           Info Request  mutability   change     "required req property: writeOnly set" "the required request property '{0}' became write-only (media type '{1}')";
    oasdiff "response-body-all-of-added"                            Info Response structure    add        "resp body: allOf branch added" "added the allOf branch '{0}' to the response body with the '{1}' status (media type '{2}')";
    oasdiff "response-body-all-of-added-annotation-only"            Info Response structure    add        "resp body: allOf branch with only annotations added (no wire effect)" "added the annotation-only allOf branch '{0}' to the response body with the '{1}' status (media type '{2}')";
    oasdiff "response-body-all-of-removed"                          Info Response structure    remove     "resp body: allOf branch removed" "removed the allOf branch '{0}' from the response body with the '{1}' status (media type '{2}')";
    oasdiff "response-body-all-of-removed-annotation-only"          Info Response structure    remove     "resp body: allOf branch with only annotations removed (no wire effect)" "removed the annotation-only allOf branch '{0}' from the response body with the '{1}' status (media type '{2}')";
    oasdiff "response-body-any-of-added"                            Err  Response structure    add        "resp body: anyOf branch added" "added the anyOf branch '{0}' to the response body with the '{1}' status (media type '{2}')";
    oasdiff "response-body-any-of-removed"                          Info Response structure    remove     "resp body: anyOf branch removed" "removed the anyOf branch '{0}' from the response body with the '{1}' status (media type '{2}')";
    oasdiff "response-body-became-not-nullable"                     Info Response requiredness change     "resp body: null no longer allowed" "the response body became not nullable in the response with the '{0}' status (media type '{1}')";
    oasdiff "response-body-became-nullable"                         Err  Response requiredness change     "resp body: null now allowed" "the response body became nullable in the response with the '{0}' status (media type '{1}')";
    oasdiff "response-body-const-added"                             Info Response values       add        "resp body: const introduced" "added the const value {0} to the response body with the '{1}' status (media type '{2}')";
    oasdiff "response-body-const-changed"                           Err  Response values       change     "resp body: const value changed" "changed the const value of the response body from {0} to {1} in the response with the '{2}' status (media type '{3}')";
    oasdiff "response-body-const-removed"                           Err  Response values       remove     "resp body: const dropped" "removed the const value {0} from the response body with the '{1}' status (media type '{2}')";
    oasdiff "response-body-contains-added"                          Info Response structure    add        "resp body: contains introduced" "added 'contains' to the response body with the '{0}' status (media type '{1}')";
    oasdiff "response-body-contains-removed"                        Err  Response structure    remove     "resp body: contains dropped" "removed 'contains' from the response body with the '{0}' status (media type '{1}')";
    oasdiff "response-body-content-encoding-changed"                Err  Response type         change     "resp body: contentEncoding changed" "changed the contentEncoding of the response body from '{0}' to '{1}' in the response with the '{2}' status (media type '{3}')";
    oasdiff "response-body-content-media-type-changed"              Err  Response type         change     "resp body: contentMediaType changed" "changed the contentMediaType of the response body from '{0}' to '{1}' in the response with the '{2}' status (media type '{3}')";
    oasdiff "response-body-content-schema-added"                    Info Response existence    add        "resp body: contentSchema introduced" "added 'contentSchema' to the response body with the '{0}' status (media type '{1}')";
    oasdiff "response-body-content-schema-removed"                  Err  Response existence    remove     "resp body: contentSchema dropped" "removed 'contentSchema' from the response body with the '{0}' status (media type '{1}')";
    oasdiff "response-body-default-value-added"                     Info Response values       add        "resp body: default introduced" "added the default value {0} to the response body with the '{1}' status (media type '{2}')";
    oasdiff "response-body-default-value-changed"                   Info Response values       change     "resp body: default value changed" "changed the default value of the response body from {0} to {1} in the response with the '{2}' status (media type '{3}')";
    oasdiff "response-body-default-value-removed"                   Info Response values       remove     "resp body: default dropped" "removed the default value {0} from the response body with the '{1}' status (media type '{2}')";
    oasdiff "response-body-dependent-required-added"                Info Response structure    add        "resp body: dependentRequired introduced" "added dependentRequired for '{0}' to the response body with the '{1}' status (media type '{2}')";
    oasdiff "response-body-dependent-required-changed"              Err  Response structure    change     "resp body: dependentRequired changed" "changed dependentRequired for '{0}' of the response body with the '{1}' status (media type '{2}')";
    oasdiff "response-body-dependent-required-removed"              Err  Response structure    remove     "resp body: dependentRequired dropped" "removed dependentRequired for '{0}' from the response body with the '{1}' status (media type '{2}')";
    oasdiff "response-body-dependent-schema-added"                  Info Response structure    add        "resp body: dependentSchemas entry added" "added the dependentSchemas entry '{0}' to the response body with the '{1}' status (media type '{2}')";
    oasdiff "response-body-dependent-schema-removed"                Err  Response structure    remove     "resp body: dependentSchemas entry removed" "removed the dependentSchemas entry '{0}' from the response body with the '{1}' status (media type '{2}')";
    oasdiff "response-body-discriminator-added"                     Info Response structure    add        "resp body: discriminator introduced" "added a discriminator to the response body with the '{0}' status (media type '{1}')";
    oasdiff "response-body-discriminator-mapping-added"             Info Response structure    add        "resp body: discriminator mapping entry added" "added the discriminator mapping '{0}' to the response body with the '{1}' status (media type '{2}')";
    oasdiff "response-body-discriminator-mapping-changed"           Info Response structure    change     "resp body: discriminator mapping target changed" "changed the discriminator mapping target of '{0}' in the response body with the '{1}' status (media type '{2}')";
    oasdiff "response-body-discriminator-mapping-deleted"           Info Response structure    remove     "resp body: discriminator mapping entry removed" "removed the discriminator mapping '{0}' from the response body with the '{1}' status (media type '{2}')";
    oasdiff "response-body-discriminator-property-name-changed"     Info Response structure    change     "resp body: discriminator propertyName changed" "changed the discriminator propertyName of the response body from '{0}' to '{1}' in the response with the '{2}' status (media type '{3}')";
    oasdiff "response-body-discriminator-removed"                   Info Response structure    remove     "resp body: discriminator dropped" "removed the discriminator from the response body with the '{0}' status (media type '{1}')";
    oasdiff "response-body-else-added"                              Info Response structure    add        "resp body: else subschema added" "added 'else' to the response body with the '{0}' status (media type '{1}')";
    oasdiff "response-body-else-removed"                            Err  Response structure    remove     "resp body: else subschema removed" "removed 'else' from the response body with the '{0}' status (media type '{1}')";
    oasdiff "response-body-exclusive-max-increased"                 Err  Response constraints  increase   "resp body: exclusiveMaximum raised" "increased the exclusiveMaximum of the response body from {0} to {1} in the response with the '{2}' status (media type '{3}')";
    oasdiff "response-body-exclusive-min-decreased"                 Err  Response constraints  decrease   "resp body: exclusiveMinimum lowered" "decreased the exclusiveMinimum of the response body from {0} to {1} in the response with the '{2}' status (media type '{3}')";
    oasdiff "response-body-if-added"                                Info Response structure    add        "resp body: if subschema added" "added 'if' to the response body with the '{0}' status (media type '{1}')";
    oasdiff "response-body-if-removed"                              Err  Response structure    remove     "resp body: if subschema removed" "removed 'if' from the response body with the '{0}' status (media type '{1}')";
    oasdiff "response-body-list-of-types-narrowed"                  Info Response type         remove     "resp body: type array lost a member" "narrowed the list of types of the response body from '{0}' to '{1}' in the response with the '{2}' status (media type '{3}')";
    oasdiff "response-body-list-of-types-widened"                   Err  Response type         add        "resp body: type array gained a member" "widened the list of types of the response body from '{0}' to '{1}' in the response with the '{2}' status (media type '{3}')";
    oasdiff "response-body-max-contains-decreased"                  Info Response constraints  decrease   "resp body: maxContains lowered" "decreased the maxContains of the response body from {0} to {1} in the response with the '{2}' status (media type '{3}')";
    oasdiff "response-body-max-contains-increased"                  Err  Response constraints  increase   "resp body: maxContains raised" "increased the maxContains of the response body from {0} to {1} in the response with the '{2}' status (media type '{3}')";
    oasdiff "response-body-max-increased"                           Err  Response constraints  increase   "resp body: maximum raised" "increased the maximum of the response body from {0} to {1} in the response with the '{2}' status (media type '{3}')";
    oasdiff "response-body-max-length-increased"                    Err  Response constraints  increase   "resp body: maxLength raised" "increased the maxLength of the response body from {0} to {1} in the response with the '{2}' status (media type '{3}')";
    oasdiff "response-body-max-length-unset"                        Err  Response constraints  remove     "resp body: maxLength dropped" "removed the maxLength {0} of the response body with the '{1}' status (media type '{2}')";
    oasdiff "response-body-min-contains-decreased"                  Err  Response constraints  decrease   "resp body: minContains lowered" "decreased the minContains of the response body from {0} to {1} in the response with the '{2}' status (media type '{3}')";
    oasdiff "response-body-min-contains-increased"                  Info Response constraints  increase   "resp body: minContains raised" "increased the minContains of the response body from {0} to {1} in the response with the '{2}' status (media type '{3}')";
    oasdiff "response-body-min-decreased"                           Err  Response constraints  decrease   "resp body: minimum lowered" "decreased the minimum of the response body from {0} to {1} in the response with the '{2}' status (media type '{3}')";
    oasdiff "response-body-min-items-decreased"                     Err  Response constraints  decrease   "resp body: minItems lowered" "decreased the minItems of the response body from {0} to {1} in the response with the '{2}' status (media type '{3}')";
    oasdiff "response-body-min-items-unset"                         Err  Response constraints  remove     "resp body: minItems dropped" "removed the minItems {0} of the response body with the '{1}' status (media type '{2}')";
    oasdiff "response-body-min-length-decreased"                    Err  Response constraints  decrease   "resp body: minLength lowered" "decreased the minLength of the response body from {0} to {1} in the response with the '{2}' status (media type '{3}')";
    oasdiff "response-body-one-of-added"                            Err  Response structure    add        "resp body: oneOf branch added" "added the oneOf branch '{0}' to the response body with the '{1}' status (media type '{2}')";
    oasdiff "response-body-one-of-removed"                          Info Response structure    remove     "resp body: oneOf branch removed" "removed the oneOf branch '{0}' from the response body with the '{1}' status (media type '{2}')";
    oasdiff "response-body-pattern-property-added"                  Info Response constraints  add        "resp body: patternProperties entry added" "added the patternProperties entry '{0}' to the response body with the '{1}' status (media type '{2}')";
    oasdiff "response-body-pattern-property-removed"                Err  Response constraints  remove     "resp body: patternProperties entry removed" "removed the patternProperties entry '{0}' from the response body with the '{1}' status (media type '{2}')";
    oasdiff "response-body-prefix-items-added"                      Err  Response structure    add        "resp body: prefixItems entry added" "added prefixItems entry #{0} to the response body with the '{1}' status (media type '{2}')";
    oasdiff "response-body-prefix-items-removed"                    Info Response structure    remove     "resp body: prefixItems entry removed" "removed prefixItems entry #{0} from the response body with the '{1}' status (media type '{2}')";
    oasdiff "response-body-property-names-added"                    Info Response structure    add        "resp body: propertyNames introduced" "added 'propertyNames' to the response body with the '{0}' status (media type '{1}')";
    oasdiff "response-body-property-names-removed"                  Err  Response structure    remove     "resp body: propertyNames dropped" "removed 'propertyNames' from the response body with the '{0}' status (media type '{1}')";
    oasdiff "response-body-then-added"                              Info Response structure    add        "resp body: then subschema added" "added 'then' to the response body with the '{0}' status (media type '{1}')";
    oasdiff "response-body-then-removed"                            Err  Response structure    remove     "resp body: then subschema removed" "removed 'then' from the response body with the '{0}' status (media type '{1}')";
    oasdiff "response-body-type-changed"                            Err  Response type         change     "resp body: type/format changed incompatibly" "changed the type of the response body from '{0}' to '{1}' in the response with the '{2}' status (media type '{3}')";
    oasdiff "response-body-type-compatible"                         Info Response type         change     "resp body: type changed, tolerated because the location is text/loosely typed" "changed the type of the response body from '{0}' to '{1}' in the response with the '{2}' status, tolerated because the media type '{3}' carries values as text";
    oasdiff "response-body-type-generalized"                        Err  Response type         generalize "resp body: type/format widened" "generalized the type of the response body from '{0}' to '{1}' in the response with the '{2}' status (media type '{3}')";
    oasdiff "response-body-type-specialized"                        Info Response type         specialize "resp body: type/format narrowed" "specialized the type of the response body from '{0}' to '{1}' in the response with the '{2}' status (media type '{3}')";
    oasdiff "response-body-unevaluated-items-added"                 Info Response structure    add        "resp body: unevaluatedItems introduced" "added 'unevaluatedItems' to the response body with the '{0}' status (media type '{1}')";
    oasdiff "response-body-unevaluated-items-removed"               Err  Response structure    remove     "resp body: unevaluatedItems dropped" "removed 'unevaluatedItems' from the response body with the '{0}' status (media type '{1}')";
    oasdiff "response-body-unevaluated-properties-added"            Info Response structure    add        "resp body: unevaluatedProperties introduced" "added 'unevaluatedProperties' to the response body with the '{0}' status (media type '{1}')";
    oasdiff "response-body-unevaluated-properties-removed"          Err  Response structure    remove     "resp body: unevaluatedProperties dropped" "removed 'unevaluatedProperties' from the response body with the '{0}' status (media type '{1}')";
    oasdiff "response-body-wrapped-in-one-of"                       Err  Response structure    change     "resp body: schema moved under a oneOf wrapper" "wrapped the response body in a oneOf in the response with the '{0}' status (media type '{1}')";
    oasdiff "response-header-became-not-nullable"                   Info Response requiredness change     "resp header: null no longer allowed" "the response header '{0}' of the response with the '{1}' status became not nullable";
    oasdiff "response-header-became-nullable"                       Err  Response requiredness change     "resp header: null now allowed" "the response header '{0}' of the response with the '{1}' status became nullable";
    oasdiff "response-header-type-changed"                          Err  Response type         change     "resp header: type/format changed incompatibly" "changed the type of the response header '{2}' of the response with the '{3}' status from '{0}' to '{1}'";
    oasdiff "response-header-type-compatible"                       Info Response type         change     "resp header: type changed, tolerated because the location is text/loosely typed" "changed the type of the response header '{2}' of the response with the '{3}' status from '{0}' to '{1}', tolerated because a header value is text";
    oasdiff "response-header-type-generalized"                      Err  Response type         generalize "resp header: type/format widened" "generalized the type of the response header '{2}' of the response with the '{3}' status from '{0}' to '{1}'";
    oasdiff "response-header-type-specialized"                      Info Response type         specialize "resp header: type/format narrowed" "specialized the type of the response header '{2}' of the response with the '{3}' status from '{0}' to '{1}'";
    oasdiff "response-mediatype-enum-value-removed"                 Info Response values       remove     "enum value removed from a top-level response media-type schema" "removed the enum value '{0}' from the response body with the '{1}' status (media type '{2}')";
    oasdiff "response-optional-property-added"                      Info Response existence    add        "optional resp property: added" "added the optional property '{0}' to the response with the '{1}' status (media type '{2}')";
    oasdiff "response-optional-property-became-not-read-only"       Info Response mutability   change     "optional resp property: readOnly dropped" "the optional response property '{0}' became not read-only in the response with the '{1}' status (media type '{2}')";
    oasdiff "response-optional-property-became-not-write-only"      Info Response mutability   change     "optional resp property: writeOnly dropped" "the optional response property '{0}' became not write-only in the response with the '{1}' status (media type '{2}')";
    oasdiff "response-optional-property-became-read-only"           Info Response mutability   change     "optional resp property: readOnly set" "the optional response property '{0}' became read-only in the response with the '{1}' status (media type '{2}')";
    oasdiff "response-optional-property-became-write-only"          Info Response mutability   change     "optional resp property: writeOnly set" "the optional response property '{0}' became write-only in the response with the '{1}' status (media type '{2}')";
    oasdiff "response-optional-property-removed"                    Warn Response existence    remove     "optional resp property: removed" "removed the optional property '{0}' from the response with the '{1}' status (media type '{2}')";
    oasdiff "response-optional-write-only-property-added"           Info Response existence    add        "optional writeOnly resp property: added" "added the optional write-only property '{0}' to the response with the '{1}' status (media type '{2}')";
    oasdiff "response-optional-write-only-property-removed"         Info Response existence    remove     "optional writeOnly resp property: removed" "removed the optional write-only property '{0}' from the response with the '{1}' status (media type '{2}')";
    oasdiff "response-property-all-of-added"                        Info Response structure    add        "resp property: allOf branch added" "added the allOf branch '{1}' to the response property '{0}' in the response with the '{2}' status (media type '{3}')";
    oasdiff "response-property-all-of-added-annotation-only"        Info Response structure    add        "resp property: allOf branch with only annotations added (no wire effect)" "added the annotation-only allOf branch '{1}' to the response property '{0}' in the response with the '{2}' status (media type '{3}')";
    oasdiff "response-property-all-of-removed"                      Info Response structure    remove     "resp property: allOf branch removed" "removed the allOf branch '{1}' from the response property '{0}' in the response with the '{2}' status (media type '{3}')";
    oasdiff "response-property-all-of-removed-annotation-only"      Info Response structure    remove     "resp property: allOf branch with only annotations removed (no wire effect)" "removed the annotation-only allOf branch '{1}' from the response property '{0}' in the response with the '{2}' status (media type '{3}')";
    oasdiff "response-property-any-of-added"                        Err  Response structure    add        "resp property: anyOf branch added" "added the anyOf branch '{1}' to the response property '{0}' in the response with the '{2}' status (media type '{3}')";
    oasdiff "response-property-any-of-removed"                      Info Response structure    remove     "resp property: anyOf branch removed" "removed the anyOf branch '{1}' from the response property '{0}' in the response with the '{2}' status (media type '{3}')";
    oasdiff "response-property-became-not-nullable"                 Info Response requiredness change     "resp property: null no longer allowed" "the response property '{0}' became not nullable in the response with the '{1}' status (media type '{2}')";
    oasdiff "response-property-became-nullable"                     Err  Response requiredness change     "resp property: null now allowed" "the response property '{0}' became nullable in the response with the '{1}' status (media type '{2}')";
    oasdiff "response-property-became-optional"                     Err  Response requiredness change     "resp property: required -> optional" "the response property '{0}' became optional in the response with the '{1}' status (media type '{2}')";
    oasdiff "response-property-became-required"                     Info Response requiredness change     "resp property: optional -> required" "the response property '{0}' became required in the response with the '{1}' status (media type '{2}')";
    oasdiff "response-property-const-added"                         Info Response values       add        "resp property: const introduced" "added the const value {1} to the response property '{0}' in the response with the '{2}' status (media type '{3}')";
    oasdiff "response-property-const-changed"                       Err  Response values       change     "resp property: const value changed" "changed the const value of the response property '{0}' from {1} to {2} in the response with the '{3}' status (media type '{4}')";
    oasdiff "response-property-const-removed"                       Err  Response values       remove     "resp property: const dropped" "removed the const value {1} from the response property '{0}' in the response with the '{2}' status (media type '{3}')";
    oasdiff "response-property-contains-added"                      Info Response structure    add        "resp property: contains introduced" "added 'contains' to the response property '{0}' in the response with the '{1}' status (media type '{2}')";
    oasdiff "response-property-contains-removed"                    Err  Response structure    remove     "resp property: contains dropped" "removed 'contains' from the response property '{0}' in the response with the '{1}' status (media type '{2}')";
    oasdiff "response-property-content-encoding-changed"            Err  Response type         change     "resp property: contentEncoding changed" "changed the contentEncoding of the response property '{0}' from '{1}' to '{2}' in the response with the '{3}' status (media type '{4}')";
    oasdiff "response-property-content-media-type-changed"          Err  Response type         change     "resp property: contentMediaType changed" "changed the contentMediaType of the response property '{0}' from '{1}' to '{2}' in the response with the '{3}' status (media type '{4}')";
    oasdiff "response-property-content-schema-added"                Info Response existence    add        "resp property: contentSchema introduced" "added 'contentSchema' to the response property '{0}' in the response with the '{1}' status (media type '{2}')";
    oasdiff "response-property-content-schema-removed"              Err  Response existence    remove     "resp property: contentSchema dropped" "removed 'contentSchema' from the response property '{0}' in the response with the '{1}' status (media type '{2}')";
    oasdiff "response-property-default-value-added"                 Info Response values       add        "resp property: default introduced" "added the default value {1} to the response property '{0}' in the response with the '{2}' status (media type '{3}')";
    oasdiff "response-property-default-value-changed"               Info Response values       change     "resp property: default value changed" "changed the default value of the response property '{0}' from {1} to {2} in the response with the '{3}' status (media type '{4}')";
    oasdiff "response-property-default-value-removed"               Info Response values       remove     "resp property: default dropped" "removed the default value {1} from the response property '{0}' in the response with the '{2}' status (media type '{3}')";
    oasdiff "response-property-dependent-required-added"            Info Response structure    add        "resp property: dependentRequired introduced" "added dependentRequired for '{1}' to the response property '{0}' in the response with the '{2}' status (media type '{3}')";
    oasdiff "response-property-dependent-required-changed"          Err  Response structure    change     "resp property: dependentRequired changed" "changed dependentRequired for '{1}' of the response property '{0}' in the response with the '{2}' status (media type '{3}')";
    oasdiff "response-property-dependent-required-removed"          Err  Response structure    remove     "resp property: dependentRequired dropped" "removed dependentRequired for '{1}' from the response property '{0}' in the response with the '{2}' status (media type '{3}')";
    oasdiff "response-property-dependent-schema-added"              Info Response structure    add        "resp property: dependentSchemas entry added" "added the dependentSchemas entry '{1}' to the response property '{0}' in the response with the '{2}' status (media type '{3}')";
    oasdiff "response-property-dependent-schema-removed"            Err  Response structure    remove     "resp property: dependentSchemas entry removed" "removed the dependentSchemas entry '{1}' from the response property '{0}' in the response with the '{2}' status (media type '{3}')";
    oasdiff "response-property-discriminator-added"                 Info Response structure    add        "resp property: discriminator introduced" "added a discriminator to the response property '{0}' in the response with the '{1}' status (media type '{2}')";
    oasdiff "response-property-discriminator-mapping-added"         Info Response structure    add        "resp property: discriminator mapping entry added" "added the discriminator mapping '{1}' to the response property '{0}' in the response with the '{2}' status (media type '{3}')";
    oasdiff "response-property-discriminator-mapping-changed"       Info Response structure    change     "resp property: discriminator mapping target changed" "changed the discriminator mapping target of '{1}' in the response property '{0}' in the response with the '{2}' status (media type '{3}')";
    oasdiff "response-property-discriminator-mapping-deleted"       Info Response structure    remove     "resp property: discriminator mapping entry removed" "removed the discriminator mapping '{1}' from the response property '{0}' in the response with the '{2}' status (media type '{3}')";
    oasdiff "response-property-discriminator-property-name-changed" Info Response structure    change     "resp property: discriminator propertyName changed" "changed the discriminator propertyName of the response property '{0}' from '{1}' to '{2}' in the response with the '{3}' status (media type '{4}')";
    oasdiff "response-property-discriminator-removed"               Info Response structure    remove     "resp property: discriminator dropped" "removed the discriminator from the response property '{0}' in the response with the '{1}' status (media type '{2}')";
    oasdiff "response-property-else-added"                          Info Response structure    add        "resp property: else subschema added" "added 'else' to the response property '{0}' in the response with the '{1}' status (media type '{2}')";
    oasdiff "response-property-else-removed"                        Err  Response structure    remove     "resp property: else subschema removed" "removed 'else' from the response property '{0}' in the response with the '{1}' status (media type '{2}')";
    oasdiff "response-property-enum-value-added"                    Warn Response values       add        "resp property: enum value added" "added the enum value '{1}' to the response property '{0}' in the response with the '{2}' status (media type '{3}')";
    oasdiff "response-property-enum-value-removed"                  Info Response values       remove     "resp property: enum value removed" "removed the enum value '{1}' from the response property '{0}' in the response with the '{2}' status (media type '{3}')";
    oasdiff "response-property-exclusive-max-increased"             Err  Response constraints  increase   "resp property: exclusiveMaximum raised" "increased the exclusiveMaximum of the response property '{0}' from {1} to {2} in the response with the '{3}' status (media type '{4}')";
    oasdiff "response-property-exclusive-min-decreased"             Err  Response constraints  decrease   "resp property: exclusiveMinimum lowered" "decreased the exclusiveMinimum of the response property '{0}' from {1} to {2} in the response with the '{3}' status (media type '{4}')";
    oasdiff "response-property-if-added"                            Info Response structure    add        "resp property: if subschema added" "added 'if' to the response property '{0}' in the response with the '{1}' status (media type '{2}')";
    oasdiff "response-property-if-removed"                          Err  Response structure    remove     "resp property: if subschema removed" "removed 'if' from the response property '{0}' in the response with the '{1}' status (media type '{2}')";
    oasdiff "response-property-list-of-types-narrowed"              Info Response type         remove     "resp property: type array lost a member" "narrowed the list of types of the response property '{0}' from '{1}' to '{2}' in the response with the '{3}' status (media type '{4}')";
    oasdiff "response-property-list-of-types-widened"               Err  Response type         add        "resp property: type array gained a member" "widened the list of types of the response property '{0}' from '{1}' to '{2}' in the response with the '{3}' status (media type '{4}')";
    oasdiff "response-property-max-contains-decreased"              Info Response constraints  decrease   "resp property: maxContains lowered" "decreased the maxContains of the response property '{0}' from {1} to {2} in the response with the '{3}' status (media type '{4}')";
    oasdiff "response-property-max-contains-increased"              Err  Response constraints  increase   "resp property: maxContains raised" "increased the maxContains of the response property '{0}' from {1} to {2} in the response with the '{3}' status (media type '{4}')";
    oasdiff "response-property-max-increased"                       Err  Response constraints  increase   "resp property: maximum raised" "increased the maximum of the response property '{0}' from {1} to {2} in the response with the '{3}' status (media type '{4}')";
    oasdiff "response-property-max-length-increased"                Err  Response constraints  increase   "resp property: maxLength raised" "increased the maxLength of the response property '{0}' from {1} to {2} in the response with the '{3}' status (media type '{4}')";
    oasdiff "response-property-max-length-unset"                    Err  Response constraints  remove     "resp property: maxLength dropped" "removed the maxLength {1} of the response property '{0}' in the response with the '{2}' status (media type '{3}')";
    oasdiff "response-property-min-contains-decreased"              Err  Response constraints  decrease   "resp property: minContains lowered" "decreased the minContains of the response property '{0}' from {1} to {2} in the response with the '{3}' status (media type '{4}')";
    oasdiff "response-property-min-contains-increased"              Info Response constraints  increase   "resp property: minContains raised" "increased the minContains of the response property '{0}' from {1} to {2} in the response with the '{3}' status (media type '{4}')";
    oasdiff "response-property-min-decreased"                       Err  Response constraints  decrease   "resp property: minimum lowered" "decreased the minimum of the response property '{0}' from {1} to {2} in the response with the '{3}' status (media type '{4}')";
    oasdiff "response-property-min-items-decreased"                 Err  Response constraints  decrease   "resp property: minItems lowered" "decreased the minItems of the response property '{0}' from {1} to {2} in the response with the '{3}' status (media type '{4}')";
    oasdiff "response-property-min-items-unset"                     Err  Response constraints  remove     "resp property: minItems dropped" "removed the minItems {1} of the response property '{0}' in the response with the '{2}' status (media type '{3}')";
    oasdiff "response-property-min-length-decreased"                Err  Response constraints  decrease   "resp property: minLength lowered" "decreased the minLength of the response property '{0}' from {1} to {2} in the response with the '{3}' status (media type '{4}')";
    oasdiff "response-property-one-of-added"                        Err  Response structure    add        "resp property: oneOf branch added" "added the oneOf branch '{1}' to the response property '{0}' in the response with the '{2}' status (media type '{3}')";
    oasdiff "response-property-one-of-removed"                      Info Response structure    remove     "resp property: oneOf branch removed" "removed the oneOf branch '{1}' from the response property '{0}' in the response with the '{2}' status (media type '{3}')";
    oasdiff "response-property-pattern-added"                       Info Response constraints  add        "resp property: pattern introduced" "added the pattern '{1}' to the response property '{0}' in the response with the '{2}' status (media type '{3}')";
    oasdiff "response-property-pattern-changed"                     Info Response constraints  change     "resp property: pattern replaced (not provably wider)" "changed the pattern of the response property '{0}' from '{1}' to '{2}' in the response with the '{3}' status (media type '{4}')";
    oasdiff "response-property-pattern-property-added"              Info Response constraints  add        "resp property: patternProperties entry added" "added the patternProperties entry '{1}' to the response property '{0}' in the response with the '{2}' status (media type '{3}')";
    oasdiff "response-property-pattern-property-removed"            Err  Response constraints  remove     "resp property: patternProperties entry removed" "removed the patternProperties entry '{1}' from the response property '{0}' in the response with the '{2}' status (media type '{3}')";
    oasdiff "response-property-pattern-removed"                     Info Response constraints  remove     "resp property: pattern dropped" "removed the pattern '{1}' from the response property '{0}' in the response with the '{2}' status (media type '{3}')";
    oasdiff "response-property-prefix-items-added"                  Err  Response structure    add        "resp property: prefixItems entry added" "added prefixItems entry #{1} to the response property '{0}' in the response with the '{2}' status (media type '{3}')";
    oasdiff "response-property-prefix-items-removed"                Info Response structure    remove     "resp property: prefixItems entry removed" "removed prefixItems entry #{1} from the response property '{0}' in the response with the '{2}' status (media type '{3}')";
    oasdiff "response-property-property-names-added"                Info Response structure    add        "resp property: propertyNames introduced" "added 'propertyNames' to the response property '{0}' in the response with the '{1}' status (media type '{2}')";
    oasdiff "response-property-property-names-removed"              Err  Response structure    remove     "resp property: propertyNames dropped" "removed 'propertyNames' from the response property '{0}' in the response with the '{1}' status (media type '{2}')";
    oasdiff "response-property-then-added"                          Info Response structure    add        "resp property: then subschema added" "added 'then' to the response property '{0}' in the response with the '{1}' status (media type '{2}')";
    oasdiff "response-property-then-removed"                        Err  Response structure    remove     "resp property: then subschema removed" "removed 'then' from the response property '{0}' in the response with the '{1}' status (media type '{2}')";
    oasdiff "response-property-type-changed"                        Err  Response type         change     "resp property: type/format changed incompatibly" "changed the type of the response property '{0}' from '{1}' to '{2}' in the response with the '{3}' status (media type '{4}')";
    oasdiff "response-property-type-compatible"                     Info Response type         change     "resp property: type changed, tolerated because the location is text/loosely typed" "changed the type of the response property '{0}' from '{1}' to '{2}' in the response with the '{3}' status, tolerated because the media type '{4}' carries values as text";
    oasdiff "response-property-type-generalized"                    Err  Response type         generalize "resp property: type/format widened" "generalized the type of the response property '{0}' from '{1}' to '{2}' in the response with the '{3}' status (media type '{4}')";
    oasdiff "response-property-type-specialized"                    Info Response type         specialize "resp property: type/format narrowed" "specialized the type of the response property '{0}' from '{1}' to '{2}' in the response with the '{3}' status (media type '{4}')";
    oasdiff "response-property-unevaluated-items-added"             Info Response structure    add        "resp property: unevaluatedItems introduced" "added 'unevaluatedItems' to the response property '{0}' in the response with the '{1}' status (media type '{2}')";
    oasdiff "response-property-unevaluated-items-removed"           Err  Response structure    remove     "resp property: unevaluatedItems dropped" "removed 'unevaluatedItems' from the response property '{0}' in the response with the '{1}' status (media type '{2}')";
    oasdiff "response-property-unevaluated-properties-added"        Info Response structure    add        "resp property: unevaluatedProperties introduced" "added 'unevaluatedProperties' to the response property '{0}' in the response with the '{1}' status (media type '{2}')";
    oasdiff "response-property-unevaluated-properties-removed"      Err  Response structure    remove     "resp property: unevaluatedProperties dropped" "removed 'unevaluatedProperties' from the response property '{0}' in the response with the '{1}' status (media type '{2}')";
    oasdiff "response-required-property-added"                      Info Response existence    add        "required resp property: added" "added the required property '{0}' to the response with the '{1}' status (media type '{2}')";
    oasdiff "response-required-property-became-not-read-only"       Info Response mutability   change     "required resp property: readOnly dropped" "the required response property '{0}' became not read-only in the response with the '{1}' status (media type '{2}')";
    oasdiff "response-required-property-became-not-write-only"      Warn Response mutability   change     "required resp property: writeOnly dropped" "the required response property '{0}' became not write-only in the response with the '{1}' status (media type '{2}')";
    oasdiff "response-required-property-became-read-only"           Info Response mutability   change     "required resp property: readOnly set" "the required response property '{0}' became read-only in the response with the '{1}' status (media type '{2}')";
    oasdiff "response-required-property-became-write-only"          Info Response mutability   change     "required resp property: writeOnly set" "the required response property '{0}' became write-only in the response with the '{1}' status (media type '{2}')";
    oasdiff "response-required-property-removed"                    Err  Response existence    remove     "required resp property: removed" "removed the required property '{0}' from the response with the '{1}' status (media type '{2}')";
    oasdiff "response-required-write-only-property-added"           Info Response existence    add        "required writeOnly resp property: added" "added the required write-only property '{0}' to the response with the '{1}' status (media type '{2}')";
    oasdiff "response-required-write-only-property-removed"         Info Response existence    remove     "required writeOnly resp property: removed" "removed the required write-only property '{0}' from the response with the '{1}' status (media type '{2}')";
    oasdiff "response-write-only-property-became-optional"          Info Response requiredness change     "writeOnly resp property: required -> optional" "the write-only response property '{0}' became optional in the response with the '{1}' status (media type '{2}')";
    oasdiff "response-write-only-property-became-required"          Info Response requiredness change     "writeOnly resp property: optional -> required" "the write-only response property '{0}' became required in the response with the '{1}' status (media type '{2}')";
    oasdiff "response-write-only-property-enum-value-added"         Info Response values       add        "enum value added to a writeOnly response property (never returned)" "added the enum value '{1}' to the write-only response property '{0}' in the response with the '{2}' status (media type '{3}')";
    ours    "response-body-enum-value-added"                        Warn Response values       add        "resp body: enum value added (a reader may meet a value it does not know)" "added the enum value '{0}' to the response body with the '{1}' status (media type '{2}')";
    oasdiff "request-property-deprecated"                           Info Request  lifecycle    set        "req property: marked deprecated" "the request property '{0}' was deprecated (media type '{1}')";
    oasdiff "request-property-deprecated-with-sunset"               Info Request  lifecycle    set        "req property: marked deprecated, x-sunset given" "the request property '{0}' was deprecated with sunset date {1} (media type '{2}')";
    oasdiff "request-property-reactivated"                          Info Request  lifecycle    remove     "req property: deprecated flag cleared" "the request property '{0}' was reactivated (media type '{1}')";
    oasdiff "request-property-deprecated-sunset-missing"            Err  Request  lifecycle    change     "req property: deprecated without x-sunset while a deprecation-days policy is on" "the request property '{0}' was deprecated without a sunset date while the policy requires {1} days (media type '{2}')";
    oasdiff "request-property-deprecated-sunset-invalid"            Err  Request  lifecycle    change     "req property: deprecated with an x-sunset that is not an RFC 3339 date" "the request property '{0}' is deprecated with an unparsable sunset date {1} (media type '{2}')";
    oasdiff "request-property-sunset-date-too-small"                Err  Request  lifecycle    change     "req property: x-sunset closer than the deprecation-days policy allows" "the request property '{0}' has sunset date {1}, earlier than the {2} days the policy requires (media type '{3}')";
    oasdiff "request-property-stability-decreased"                  Err  Request  lifecycle    decrease   "req property: x-stability-level lowered (e.g. stable -> beta)" "the stability level of the request property '{0}' decreased from {1} to {2} (media type '{3}')";
    oasdiff "request-property-stability-increased"                  Info Request  lifecycle    increase   "req property: x-stability-level raised" "the stability level of the request property '{0}' increased from {1} to {2} (media type '{3}')";
    oasdiff "response-property-deprecated"                          Info Response lifecycle    set        "resp property: marked deprecated" "the response property '{0}' was deprecated in the response with the '{1}' status (media type '{2}')";
    oasdiff "response-property-deprecated-with-sunset"              Info Response lifecycle    set        "resp property: marked deprecated, x-sunset given" "the response property '{0}' was deprecated with sunset date {1} in the response with the '{2}' status (media type '{3}')";
    oasdiff "response-property-reactivated"                         Info Response lifecycle    remove     "resp property: deprecated flag cleared" "the response property '{0}' was reactivated in the response with the '{1}' status (media type '{2}')";
    oasdiff "response-property-deprecated-sunset-missing"           Err  Response lifecycle    change     "resp property: deprecated without x-sunset while a deprecation-days policy is on" "the response property '{0}' was deprecated without a sunset date while the policy requires {1} days in the response with the '{2}' status (media type '{3}')";
    oasdiff "response-property-deprecated-sunset-invalid"           Err  Response lifecycle    change     "resp property: deprecated with an x-sunset that is not an RFC 3339 date" "the response property '{0}' is deprecated with an unparsable sunset date {1} in the response with the '{2}' status (media type '{3}')";
    oasdiff "response-property-sunset-date-too-small"               Err  Response lifecycle    change     "resp property: x-sunset closer than the deprecation-days policy allows" "the response property '{0}' has sunset date {1}, earlier than the {2} days the policy requires in the response with the '{3}' status (media type '{4}')";
    oasdiff "response-property-stability-decreased"                 Err  Response lifecycle    decrease   "resp property: x-stability-level lowered (e.g. stable -> beta)" "the stability level of the response property '{0}' decreased from {1} to {2} in the response with the '{3}' status (media type '{4}')";
    oasdiff "response-property-stability-increased"                 Info Response lifecycle    increase   "resp property: x-stability-level raised" "the stability level of the response property '{0}' increased from {1} to {2} in the response with the '{3}' status (media type '{4}')";
    ours    "request-read-only-property-became-required"              Info Request  requiredness change     "req property: a read-only property became required (clients do not send it)" "the read-only request property '{0}' became required, which asks nothing of a client that does not send it (media type '{1}')";
    ours    "new-required-request-parameter-property"                 Err  Request  existence    add        "req parameter property: required property added to an object parameter" "added the new required property '{0}' to the {1} request parameter '{2}'";
    ours    "new-optional-request-parameter-property"                 Info Request  existence    add        "req parameter property: optional property added to an object parameter" "added the new optional property '{0}' to the {1} request parameter '{2}'";
    ours    "request-parameter-property-removed"                      Warn Request  existence    remove     "req parameter property: property removed from an object parameter" "removed the property '{0}' from the {1} request parameter '{2}'";
    ours    "request-parameter-property-became-required"              Err  Request  requiredness change     "req parameter property: optional -> required" "the property '{0}' of the {1} request parameter '{2}' became required";
    ours    "request-parameter-property-became-optional"              Info Request  requiredness change     "req parameter property: required -> optional" "the property '{0}' of the {1} request parameter '{2}' became optional";
    ours    "request-parameter-property-became-read-only"             Info Request  mutability   change     "req parameter property: became read-only" "the property '{0}' of the {1} request parameter '{2}' became read-only";
    ours    "request-parameter-property-became-not-read-only"         Info Request  mutability   change     "req parameter property: no longer read-only" "the property '{0}' of the {1} request parameter '{2}' is no longer read-only";
    ours    "request-parameter-property-became-write-only"            Info Request  mutability   change     "req parameter property: became write-only" "the property '{0}' of the {1} request parameter '{2}' became write-only";
    ours    "request-parameter-property-became-not-write-only"        Info Request  mutability   change     "req parameter property: no longer write-only" "the property '{0}' of the {1} request parameter '{2}' is no longer write-only";
    ours    "response-header-required-property-added"                 Info Response existence    add        "resp header property: required property added to an object header" "added the required property '{0}' to the response header '{1}' (status '{2}')";
    ours    "response-header-optional-property-added"                 Info Response existence    add        "resp header property: optional property added to an object header" "added the optional property '{0}' to the response header '{1}' (status '{2}')";
    ours    "response-header-required-property-removed"               Err  Response existence    remove     "resp header property: required property removed from an object header" "removed the required property '{0}' from the response header '{1}' (status '{2}')";
    ours    "response-header-optional-property-removed"               Warn Response existence    remove     "resp header property: optional property removed from an object header" "removed the optional property '{0}' from the response header '{1}' (status '{2}')";
    ours    "response-header-property-became-required"                Info Response requiredness change     "resp header property: optional -> required" "the property '{0}' of the response header '{1}' (status '{2}') became required";
    ours    "response-header-property-became-optional"                Err  Response requiredness change     "resp header property: required -> optional" "the property '{0}' of the response header '{1}' (status '{2}') became optional";
    ours    "response-header-property-became-read-only"               Info Response mutability   change     "resp header property: became read-only" "the property '{0}' of the response header '{1}' (status '{2}') became read-only";
    ours    "response-header-property-became-not-read-only"           Info Response mutability   change     "resp header property: no longer read-only" "the property '{0}' of the response header '{1}' (status '{2}') is no longer read-only";
    ours    "response-header-property-became-write-only"              Err  Response mutability   change     "resp header property: became write-only (no longer returned)" "the property '{0}' of the response header '{1}' (status '{2}') became write-only";
    ours    "response-header-property-became-not-write-only"          Info Response mutability   change     "resp header property: no longer write-only" "the property '{0}' of the response header '{1}' (status '{2}') is no longer write-only";
    ours    "request-schema-narrowed"                                 Err  Request  structure    specialize "req schema: a change apidrift could not classify, narrowing what is accepted (a bug: please report it)" "an unclassified change narrows what the request accepts: {0} {1} {2} {3}";
    ours    "request-schema-widened"                                  Info Request  structure    generalize "req schema: a change apidrift could not classify, widening what is accepted (a bug: please report it)" "an unclassified change widens what the request accepts: {0} {1} {2} {3}";
    ours    "request-schema-changed"                                  Err  Request  structure    change     "req schema: a change apidrift could not classify (a bug: please report it)" "an unclassified change of the request schema: {0} {1} {2} {3}";
    ours    "response-schema-narrowed"                                Info Response structure    specialize "resp schema: a change apidrift could not classify, narrowing what is returned (a bug: please report it)" "an unclassified change narrows what the response returns: {0} {1} {2} {3}";
    ours    "response-schema-widened"                                 Err  Response structure    generalize "resp schema: a change apidrift could not classify, widening what is returned (a bug: please report it)" "an unclassified change widens what the response returns: {0} {1} {2} {3}";
    ours    "response-schema-changed"                                 Err  Response structure    change     "resp schema: a change apidrift could not classify (a bug: please report it)" "an unclassified change of the response schema: {0} {1} {2} {3}";
};

/// The hand-written rows by id.
static HAND: LazyLock<HashMap<&'static str, &'static Rule>> =
    LazyLock::new(|| RULES.iter().map(|r| (r.id, r)).collect());

/// The hand-written row `id`, if any.
pub(super) fn hand(id: &str) -> Option<&'static Rule> {
    HAND.get(id).copied()
}

/// The generated grid: a rule for every (family, kind) cell, the hand-written row
/// where one has that exact id, else a generated one of ours.
struct Grid {
    cells: HashMap<(Family, &'static str), &'static Rule>,
    /// The generated rows (not hand-written), sorted by id.
    rows: Vec<&'static Rule>,
}

static GRID: LazyLock<Grid> = LazyLock::new(build_grid);

/// The rule of the (family, kind) cell: the hand-written row `<prefix><suffix>` or the
/// generated one. `None` only for a kind no comparison produces, or a property-only
/// kind at a body, parameter or header root.
pub(super) fn generated(family: Family, suffix: &str) -> Option<&'static Rule> {
    GRID.cells.get(&(family, suffix)).copied()
}

/// Every generated rule, sorted by id (`diff::rules::all` lists them after the tables).
pub fn generated_rules() -> &'static [&'static Rule] {
    &GRID.rows
}

/// The safety-net rule of [`super::resolve::generic`].
pub(super) fn generic(direction: Direction, effect: Effect) -> &'static Rule {
    let id = match (direction, effect) {
        (Direction::Request, Effect::Narrows) => "request-schema-narrowed",
        (Direction::Request, Effect::Widens | Effect::Neutral) => "request-schema-widened",
        (Direction::Request, _) => "request-schema-changed",
        (_, Effect::Widens) => "response-schema-widened",
        (_, Effect::Narrows | Effect::Neutral) => "response-schema-narrowed",
        (_, _) => "response-schema-changed",
    };
    // The six ids are rows of `RULES` (a test below reads each).
    hand(id).unwrap_or(&RULES[0])
}

fn leak(s: String) -> &'static str {
    Box::leak(s.into_boxed_str())
}

fn build_grid() -> Grid {
    let mut cells = HashMap::new();
    let mut rows: Vec<&'static Rule> = Vec::new();
    for kind in kinds::all() {
        for family in Family::ALL {
            if kind.group == Group::Props && !family.is_property() {
                continue;
            }
            let id = format!("{}{}", family.prefix(), kind.suffix);
            if let Some(r) = hand(&id) {
                cells.insert((family, kind.suffix), r);
                continue;
            }
            let rule: &'static Rule = Box::leak(Box::new(generate(family, kind, id)));
            cells.insert((family, kind.suffix), rule);
            rows.push(rule);
        }
    }
    rows.sort_by_key(|r| r.id);
    Grid { cells, rows }
}

/// A generated row: the level of the nearest hand-written sibling with the same suffix
/// (a `request-parameter-property-` rule takes `request-property-`'s), else the
/// direction's level for the kind's effect; the template from the family's subject and
/// the kind's phrase.
fn generate(family: Family, kind: Kind, id: String) -> Rule {
    let level = family
        .siblings()
        .iter()
        .find_map(|sib| hand(&format!("{}{}", sib.prefix(), kind.suffix)))
        .map(|r| r.level)
        .unwrap_or_else(|| level_of(family.direction(), kind.effect));
    let phrase = if kind.phrase.is_empty() {
        keyword_phrase(kind.suffix)
    } else {
        kind.phrase.to_string()
    };
    let (subject, _) = family.subject();
    let path = usize::from(family.is_property());
    let details = usize::from(kind.details);
    let mut template = format!("{subject}: {phrase}");
    for d in 0..details {
        template = template.replace(&format!("{{d{d}}}"), &format!("{{{}}}", path + d));
    }
    for c in 0..2 {
        template = template.replace(&format!("{{c{c}}}"), &format!("{{{}}}", path + details + c));
    }
    let words = kind.suffix.replace('-', " ");
    let s = kind.suffix;
    let action = if s.ends_with("-increased") {
        "increase"
    } else if s.ends_with("-decreased") {
        "decrease"
    } else if s.ends_with("-set") {
        "set"
    } else if s.ends_with("-added") {
        "add"
    } else if s.ends_with("-removed") || s.ends_with("-unset") || s.ends_with("-deleted") {
        "remove"
    } else if s.ends_with("-widened") || s.ends_with("-generalized") {
        "generalize"
    } else if s.ends_with("-narrowed") || s.ends_with("-specialized") {
        "specialize"
    } else {
        "change"
    };
    let taxonomy = if kind.group == Group::Props {
        "lifecycle"
    } else if s.contains("type") {
        "type"
    } else if s.contains("enum") || s.contains("default") || s.contains("const") {
        "values"
    } else if s.starts_with("max") || s.starts_with("min") || s.starts_with("exclusive") {
        "constraints"
    } else {
        "structure"
    };
    Rule {
        id: leak(id),
        level,
        direction: family.direction(),
        kind: taxonomy,
        action,
        description: leak(format!("{}: {words}", family.short())),
        template: leak(template),
        ours: true,
    }
}

/// The phrase of a table-driven keyword's kind, from the keyword's JSON name.
fn keyword_phrase(suffix: &str) -> String {
    for row in KEYWORDS {
        let name = row.name;
        let made = kinds::of_keyword(&row.compare);
        if let Some(i) = made.iter().position(|k| k.suffix == suffix) {
            return match (row.compare, i) {
                (Compare::Bound { .. }, 0) => format!("{name} was raised from {{d0}} to {{d1}}"),
                (Compare::Bound { .. }, 1) => format!("{name} was lowered from {{d0}} to {{d1}}"),
                (Compare::Bound { .. }, 2) => format!("{name} was set to {{d0}}"),
                (Compare::Bound { .. }, _) => format!("{name} {{d0}} was removed"),
                (Compare::Value { .. }, 0) => format!("{name} {{d0}} was set"),
                (Compare::Value { .. }, 1) => format!("{name} {{d0}} was removed"),
                (Compare::Value { .. }, _) => format!("{name} changed from {{d0}} to {{d1}}"),
                (Compare::Changed { .. }, _) => format!("{name} changed from '{{d0}}' to '{{d1}}'"),
                (Compare::Keyed { .. }, 0) => format!("the {name} entry '{{d0}}' was added"),
                (Compare::Keyed { .. }, _) => format!("the {name} entry '{{d0}}' was removed"),
                (Compare::Indexed { .. }, 0) => format!("the {name} entry {{d0}} was added"),
                (Compare::Indexed { .. }, _) => format!("the {name} entry {{d0}} was removed"),
                (Compare::Open { .. }, 0) => format!("{name} now lets fewer values through"),
                (Compare::Open { .. }, _) => format!("{name} now lets more values through"),
                (_, 0) => format!("{name} was added"),
                (_, _) => format!("{name} was removed"),
            };
        }
        if let Compare::Sub { inner, .. } = row.compare
            && let Some(i) = inner.iter().position(|k| *k == suffix)
        {
            return match i {
                0 => format!("a change inside {name} lets more values through: {{d0}}"),
                1 => format!("a change inside {name} lets fewer values through: {{d0}}"),
                _ => format!("{name} changed: {{d0}}"),
            };
        }
    }
    suffix.replace('-', " ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generic_rules_are_rows_and_generated_ids_are_new() {
        for d in [Direction::Request, Direction::Response] {
            for e in [
                Effect::Widens,
                Effect::Narrows,
                Effect::Changes,
                Effect::Neutral,
            ] {
                assert!(generic(d, e).id.contains("-schema-"), "{d:?} {e:?}");
            }
        }
        for r in generated_rules() {
            assert!(
                hand(r.id).is_none(),
                "{} is hand-written and generated",
                r.id
            );
            assert!(r.ours);
            assert!(
                !r.template.contains("{d") && !r.template.contains("{c"),
                "{}: {}",
                r.id,
                r.template
            );
        }
        let r = generated(Family::ResponseHeaderProperty, "enum-value-added").expect("a cell");
        assert_eq!(r.id, "response-header-property-enum-value-added");
        assert_eq!(
            r.level,
            crate::diff::Level::Warn,
            "the level of response-property-enum-value-added"
        );
        assert_eq!(
            crate::diff::rules::fill(
                r.template,
                &["kind".into(), "x".into(), "link".into(), "200".into()]
            ),
            "property 'kind' of the response header 'link' (status '200'): the enum value 'x' was added"
        );
    }
}

//! One test per non-schema diff rule (endpoints, lifecycle, security, parameters,
//! request-body containers, responses): each diffs the fixture pair
//! `tests/fixtures/rules/<rule-id>/` and asserts the exact id, level, method and path,
//! then diffs the pair reversed to assert the mirror rule where one exists.

use crate::common;

use apidrift::diff::{self, Change, DiffOptions, Level};
use common::{diff_dir, expect_change, expect_no, fixture, load, opts};

/// Asserts `dir` yields its own rule at `level` on `op`, and (reversed) the `mirror`.
fn check(dir: &str, level: Level, op: &str, mirror: Option<(&str, Level, &str)>) -> Change {
    let c = expect_change(&diff_dir(dir, false), dir, level, op);
    if let Some((id, lvl, mop)) = mirror {
        expect_change(&diff_dir(dir, true), id, lvl, mop);
    }
    c
}

/// Diffs fixture dir `dir` with a deprecation-days policy of `days` for stable endpoints.
fn diff_with_policy(dir: &str, days: u32) -> Vec<Change> {
    let d = fixture(&format!("rules/{dir}"));
    let (a, b) = (load(&d.join("base.yaml")), load(&d.join("revision.yaml")));
    let o = DiffOptions {
        deprecation_days_stable: days,
        ..opts()
    };
    diff::compare(&a.api, &b.api, &o)
}

#[test]
fn adding_an_operation_is_endpoint_added() {
    check(
        "endpoint-added",
        Level::Info,
        "POST /users",
        Some(("api-removed-without-deprecation", Level::Err, "POST /users")),
    );
}

#[test]
fn removing_an_undeprecated_operation_is_an_error_reported_at_the_base_path() {
    check(
        "api-removed-without-deprecation",
        Level::Err,
        "DELETE /users/{id}",
        Some(("endpoint-added", Level::Info, "DELETE /users/{id}")),
    );
}

#[test]
fn removing_a_deprecated_operation_without_sunset_is_info() {
    check(
        "api-removed-with-deprecation",
        Level::Info,
        "POST /users",
        None,
    );
}

#[test]
fn removing_a_deprecated_operation_before_its_sunset_is_an_error() {
    check("api-removed-before-sunset", Level::Err, "POST /users", None);
}

#[test]
fn removing_a_whole_path_item_is_api_path_removed() {
    check(
        "api-path-removed-without-deprecation",
        Level::Err,
        "GET /orders",
        Some(("endpoint-added", Level::Info, "GET /orders")),
    );
}

#[test]
fn removing_a_deprecated_path_item_is_info() {
    check(
        "api-path-removed-with-deprecation",
        Level::Info,
        "GET /orders",
        None,
    );
}

#[test]
fn removing_a_path_item_before_its_sunset_is_an_error() {
    check(
        "api-path-removed-before-sunset",
        Level::Err,
        "GET /orders",
        None,
    );
}

#[test]
fn adding_a_webhook_is_webhook_added() {
    check(
        "webhook-added",
        Level::Info,
        "POST webhook:newPet",
        Some(("webhook-removed", Level::Err, "POST webhook:newPet")),
    );
}

#[test]
fn removing_a_webhook_is_an_error() {
    check(
        "webhook-removed",
        Level::Err,
        "POST webhook:newPet",
        Some(("webhook-added", Level::Info, "POST webhook:newPet")),
    );
}

#[test]
fn setting_an_operation_id_is_reported() {
    check(
        "api-operation-id-added",
        Level::Info,
        "GET /users",
        Some(("api-operation-id-removed", Level::Info, "GET /users")),
    );
}

#[test]
fn dropping_an_operation_id_is_reported() {
    check(
        "api-operation-id-removed",
        Level::Info,
        "GET /users",
        Some(("api-operation-id-added", Level::Info, "GET /users")),
    );
}

#[test]
fn adding_a_tag_is_reported() {
    check(
        "api-tag-added",
        Level::Info,
        "GET /users",
        Some(("api-tag-removed", Level::Info, "GET /users")),
    );
}

#[test]
fn removing_a_tag_is_reported() {
    check(
        "api-tag-removed",
        Level::Info,
        "GET /users",
        Some(("api-tag-added", Level::Info, "GET /users")),
    );
}

#[test]
fn removing_a_component_schema_is_reported_in_components() {
    check("api-schema-removed", Level::Info, "", None);
}

#[test]
fn deprecating_without_sunset_is_endpoint_deprecated() {
    check(
        "endpoint-deprecated",
        Level::Info,
        "GET /users",
        Some(("endpoint-reactivated", Level::Info, "GET /users")),
    );
}

#[test]
fn deprecating_with_a_sunset_date_is_reported_with_it() {
    check(
        "endpoint-deprecated-with-sunset",
        Level::Info,
        "GET /users",
        Some(("endpoint-reactivated", Level::Info, "GET /users")),
    );
}

#[test]
fn clearing_deprecated_is_endpoint_reactivated() {
    check(
        "endpoint-reactivated",
        Level::Info,
        "GET /users",
        Some(("endpoint-deprecated", Level::Info, "GET /users")),
    );
}

#[test]
fn deprecating_with_an_unparsable_sunset_is_an_error() {
    check(
        "api-deprecated-sunset-parse",
        Level::Err,
        "GET /users",
        None,
    );
}

#[test]
fn changing_sunset_to_an_unparsable_value_is_an_error() {
    check("api-path-sunset-parse", Level::Err, "GET /users", None);
}

#[test]
fn deleting_sunset_of_a_still_deprecated_endpoint_is_an_error() {
    check("sunset-deleted", Level::Err, "GET /users", None);
}

#[test]
fn unknown_stability_level_is_an_error() {
    check(
        "api-invalid-stability-level",
        Level::Err,
        "GET /users",
        None,
    );
}

#[test]
fn lowering_stability_is_an_error() {
    check(
        "api-stability-decreased",
        Level::Err,
        "GET /users",
        Some(("api-stability-increased", Level::Info, "GET /users")),
    );
}

#[test]
fn raising_stability_is_info() {
    check(
        "api-stability-increased",
        Level::Info,
        "GET /users",
        Some(("api-stability-decreased", Level::Err, "GET /users")),
    );
}

#[test]
fn breaking_change_without_version_bump_is_reported() {
    check("api-version-not-bumped", Level::Info, "", None);
}

#[test]
fn breaking_change_with_a_lower_version_is_reported() {
    check("api-version-decreased", Level::Info, "", None);
}

#[test]
fn breaking_change_with_only_a_minor_bump_is_reported() {
    check("api-major-version-not-bumped", Level::Info, "", None);
}

#[test]
fn adding_operation_security_is_reported() {
    check(
        "api-security-added",
        Level::Info,
        "GET /users",
        Some(("api-security-removed", Level::Info, "GET /users")),
    );
}

#[test]
fn removing_an_operation_security_alternative_is_reported() {
    check(
        "api-security-removed",
        Level::Info,
        "GET /users",
        Some(("api-security-added", Level::Info, "GET /users")),
    );
}

#[test]
fn adding_an_operation_scope_is_reported() {
    check(
        "api-security-scope-added",
        Level::Info,
        "GET /users",
        Some(("api-security-scope-removed", Level::Info, "GET /users")),
    );
}

#[test]
fn removing_an_operation_scope_is_reported() {
    check(
        "api-security-scope-removed",
        Level::Info,
        "GET /users",
        Some(("api-security-scope-added", Level::Info, "GET /users")),
    );
}

/// `(id, "METHOD path", args)` of every security change of `dir` (or reversed), sorted.
fn security_changes(dir: &str, reversed: bool) -> Vec<(String, String, Vec<String>)> {
    let mut v: Vec<_> = diff_dir(dir, reversed)
        .into_iter()
        .filter(|c| c.id.contains("security"))
        .map(|c| {
            assert_eq!(c.level, Level::Info, "{} {:?}", c.id, c.args);
            let (id, _, op) = common::brief(&c);
            (id, op, c.args)
        })
        .collect();
    v.sort();
    v
}

fn sec(id: &str, op: &str, args: &[&str]) -> (String, String, Vec<String>) {
    (
        id.to_string(),
        op.to_string(),
        args.iter().map(|a| a.to_string()).collect(),
    )
}

#[test]
fn an_operation_moving_to_an_equivalent_scheme_is_a_rename_not_a_removal() {
    check(
        "api-security-renamed",
        Level::Info,
        "GET /users",
        Some(("api-security-renamed", Level::Info, "GET /users")),
    );
    // GET /users: bearer to bearer (case and bearerFormat aside); GET /roles: OAuth
    // with the same flow and token URL, whose new scope is compared on its own;
    // GET /groups: bearer to an API key, a real change.
    assert_eq!(
        security_changes("api-security-renamed", false),
        [
            sec("api-security-added", "GET /groups", &["apiKey"]),
            sec(
                "api-security-component-renamed",
                "",
                &["bearerAuth", "BearerToken"]
            ),
            sec("api-security-component-renamed", "", &["oauth", "oauthV2"]),
            sec("api-security-removed", "GET /groups", &["bearerAuth"]),
            sec("api-security-renamed", "GET /roles", &["oauth", "oauthV2"]),
            sec(
                "api-security-renamed",
                "GET /users",
                &["bearerAuth", "BearerToken"]
            ),
            sec(
                "api-security-scope-added",
                "GET /roles",
                &["oauthV2", "admin"]
            ),
        ]
    );
    assert_eq!(
        security_changes("api-security-renamed", true),
        [
            sec("api-security-added", "GET /groups", &["bearerAuth"]),
            sec(
                "api-security-component-renamed",
                "",
                &["BearerToken", "bearerAuth"]
            ),
            sec("api-security-component-renamed", "", &["oauthV2", "oauth"]),
            sec("api-security-removed", "GET /groups", &["apiKey"]),
            sec("api-security-renamed", "GET /roles", &["oauthV2", "oauth"]),
            sec(
                "api-security-renamed",
                "GET /users",
                &["BearerToken", "bearerAuth"]
            ),
            sec(
                "api-security-scope-removed",
                "GET /roles",
                &["oauth", "admin"]
            ),
        ]
    );
}

#[test]
fn a_root_requirement_moving_to_an_equivalent_scheme_is_a_rename() {
    check(
        "api-global-security-renamed",
        Level::Info,
        "",
        Some(("api-global-security-renamed", Level::Info, "")),
    );
    // bearer → bearer is a rename; basic → digest is another mechanism.
    assert_eq!(
        security_changes("api-global-security-renamed", false),
        [
            sec("api-global-security-added", "", &["digestAuth"]),
            sec("api-global-security-removed", "", &["basicAuth"]),
            sec(
                "api-global-security-renamed",
                "",
                &["bearerAuth", "BearerToken"]
            ),
            // The scheme itself was renamed (the old name is gone).
            sec(
                "api-security-component-renamed",
                "",
                &["bearerAuth", "BearerToken"]
            ),
        ]
    );
    assert_eq!(
        security_changes("api-global-security-renamed", true),
        [
            sec("api-global-security-added", "", &["basicAuth"]),
            sec("api-global-security-removed", "", &["digestAuth"]),
            sec(
                "api-global-security-renamed",
                "",
                &["BearerToken", "bearerAuth"]
            ),
            sec(
                "api-security-component-renamed",
                "",
                &["BearerToken", "bearerAuth"]
            ),
        ]
    );
}

#[test]
fn a_scheme_entry_renamed_with_the_same_mechanism_is_a_component_rename() {
    let c = check(
        "api-security-component-renamed",
        Level::Info,
        "",
        Some(("api-security-component-renamed", Level::Info, "")),
    );
    assert_eq!(c.section, diff::Section::Security);
    // http bearer (any case) and an OAuth flow with the same token URL are renames;
    // an API key moved from a header to the query is not.
    assert_eq!(
        security_changes("api-security-component-renamed", false),
        [
            sec("api-security-component-added", "", &["queryKey"]),
            sec(
                "api-security-component-oauth-scope-added",
                "",
                &["OAuth2", "clientCredentials", "write"]
            ),
            sec("api-security-component-removed", "", &["keyAuth"]),
            sec(
                "api-security-component-renamed",
                "",
                &["bearerAuth", "BearerToken"]
            ),
            sec("api-security-component-renamed", "", &["oauth", "OAuth2"]),
        ]
    );
    assert_eq!(
        security_changes("api-security-component-renamed", true),
        [
            sec("api-security-component-added", "", &["keyAuth"]),
            sec(
                "api-security-component-oauth-scope-removed",
                "",
                &["oauth", "clientCredentials", "write"]
            ),
            sec("api-security-component-removed", "", &["queryKey"]),
            sec(
                "api-security-component-renamed",
                "",
                &["BearerToken", "bearerAuth"]
            ),
            sec("api-security-component-renamed", "", &["OAuth2", "oauth"]),
        ]
    );
}

#[test]
fn adding_root_security_is_reported_once() {
    check(
        "api-global-security-added",
        Level::Info,
        "",
        Some(("api-global-security-removed", Level::Info, "")),
    );
}

#[test]
fn removing_root_security_is_reported_once() {
    check(
        "api-global-security-removed",
        Level::Info,
        "",
        Some(("api-global-security-added", Level::Info, "")),
    );
}

#[test]
fn adding_a_root_scope_is_reported() {
    check(
        "api-global-security-scope-added",
        Level::Info,
        "",
        Some(("api-global-security-scope-removed", Level::Info, "")),
    );
}

#[test]
fn removing_a_root_scope_is_reported() {
    check(
        "api-global-security-scope-removed",
        Level::Info,
        "",
        Some(("api-global-security-scope-added", Level::Info, "")),
    );
}

#[test]
fn adding_a_security_scheme_is_reported() {
    check(
        "api-security-component-added",
        Level::Info,
        "",
        Some(("api-security-component-removed", Level::Info, "")),
    );
}

#[test]
fn removing_a_security_scheme_is_reported() {
    check(
        "api-security-component-removed",
        Level::Info,
        "",
        Some(("api-security-component-added", Level::Info, "")),
    );
}

#[test]
fn changing_how_a_scheme_authenticates_is_a_type_change() {
    check(
        "api-security-component-type-changed",
        Level::Info,
        "",
        Some(("api-security-component-type-changed", Level::Info, "")),
    );
}

#[test]
fn changing_the_oauth_authorization_url_is_reported() {
    check(
        "api-security-component-oauth-url-changed",
        Level::Info,
        "",
        None,
    );
}

#[test]
fn changing_the_oauth_token_url_is_reported() {
    check(
        "api-security-component-oauth-token-url-changed",
        Level::Info,
        "",
        None,
    );
}

#[test]
fn adding_an_oauth_scope_to_a_scheme_is_reported() {
    check(
        "api-security-component-oauth-scope-added",
        Level::Info,
        "",
        Some((
            "api-security-component-oauth-scope-removed",
            Level::Info,
            "",
        )),
    );
}

#[test]
fn removing_an_oauth_scope_from_a_scheme_is_reported() {
    check(
        "api-security-component-oauth-scope-removed",
        Level::Info,
        "",
        Some(("api-security-component-oauth-scope-added", Level::Info, "")),
    );
}

#[test]
fn rewording_an_oauth_scope_is_reported() {
    check(
        "api-security-component-oauth-scope-changed",
        Level::Info,
        "",
        None,
    );
}

#[test]
fn adding_a_required_query_parameter_is_an_error() {
    check(
        "new-required-request-parameter",
        Level::Err,
        "GET /users",
        Some(("request-parameter-removed", Level::Warn, "GET /users")),
    );
}

#[test]
fn adding_an_optional_header_parameter_is_info() {
    check(
        "new-optional-request-parameter",
        Level::Info,
        "GET /users",
        Some(("request-parameter-removed", Level::Warn, "GET /users")),
    );
}

#[test]
fn declaring_a_new_path_parameter_is_an_error() {
    check(
        "new-request-path-parameter",
        Level::Err,
        "GET /users/{id}",
        None,
    );
}

#[test]
fn required_parameter_added_at_path_level_hits_every_operation() {
    check(
        "new-required-request-default-parameter-to-existing-path",
        Level::Err,
        "POST /users",
        Some(("request-parameter-removed", Level::Warn, "POST /users")),
    );
}

#[test]
fn optional_parameter_added_at_path_level_is_info() {
    check(
        "new-optional-request-default-parameter-to-existing-path",
        Level::Info,
        "GET /users",
        Some(("request-parameter-removed", Level::Warn, "GET /users")),
    );
}

#[test]
fn removing_a_parameter_is_a_warning() {
    check(
        "request-parameter-removed",
        Level::Warn,
        "GET /users",
        Some(("new-optional-request-parameter", Level::Info, "GET /users")),
    );
}

#[test]
fn removing_a_deprecated_parameter_is_info() {
    check(
        "request-parameter-removed-with-deprecation",
        Level::Info,
        "GET /users",
        None,
    );
}

#[test]
fn parameter_becoming_required_is_an_error() {
    check(
        "request-parameter-became-required",
        Level::Err,
        "GET /users",
        Some((
            "request-parameter-became-optional",
            Level::Info,
            "GET /users",
        )),
    );
}

#[test]
fn parameter_becoming_optional_is_info() {
    check(
        "request-parameter-became-optional",
        Level::Info,
        "GET /users",
        Some((
            "request-parameter-became-required",
            Level::Err,
            "GET /users",
        )),
    );
}

#[test]
fn deprecating_a_parameter_is_reported() {
    check(
        "request-parameter-deprecated",
        Level::Info,
        "GET /users",
        Some(("request-parameter-reactivated", Level::Info, "GET /users")),
    );
}

#[test]
fn reactivating_a_parameter_is_reported() {
    check(
        "request-parameter-reactivated",
        Level::Info,
        "GET /users",
        Some(("request-parameter-deprecated", Level::Info, "GET /users")),
    );
}

#[test]
fn adding_a_required_request_body_is_an_error() {
    check(
        "request-body-added-required",
        Level::Err,
        "POST /users",
        Some(("request-body-removed", Level::Err, "POST /users")),
    );
}

#[test]
fn adding_an_optional_request_body_is_info() {
    check(
        "request-body-added-optional",
        Level::Info,
        "POST /users",
        Some(("request-body-removed", Level::Err, "POST /users")),
    );
}

#[test]
fn removing_the_request_body_is_an_error() {
    check(
        "request-body-removed",
        Level::Err,
        "POST /users",
        Some(("request-body-added-required", Level::Err, "POST /users")),
    );
}

#[test]
fn request_body_becoming_required_is_an_error() {
    check(
        "request-body-became-required",
        Level::Err,
        "POST /users",
        Some(("request-body-became-optional", Level::Info, "POST /users")),
    );
}

#[test]
fn request_body_becoming_optional_is_info() {
    check(
        "request-body-became-optional",
        Level::Info,
        "POST /users",
        Some(("request-body-became-required", Level::Err, "POST /users")),
    );
}

#[test]
fn accepting_a_new_request_media_type_is_info() {
    check(
        "request-body-media-type-added",
        Level::Info,
        "POST /users",
        Some(("request-body-media-type-removed", Level::Err, "POST /users")),
    );
}

#[test]
fn no_longer_accepting_a_request_media_type_is_an_error() {
    check(
        "request-body-media-type-removed",
        Level::Err,
        "POST /users",
        Some(("request-body-media-type-added", Level::Info, "POST /users")),
    );
}

#[test]
fn adding_a_schema_to_a_request_media_type_is_an_error() {
    check(
        "request-body-media-type-schema-added",
        Level::Err,
        "POST /users",
        Some((
            "request-body-media-type-schema-removed",
            Level::Info,
            "POST /users",
        )),
    );
}

#[test]
fn removing_the_schema_of_a_request_media_type_is_info() {
    check(
        "request-body-media-type-schema-removed",
        Level::Info,
        "POST /users",
        Some((
            "request-body-media-type-schema-added",
            Level::Err,
            "POST /users",
        )),
    );
}

#[test]
fn adding_a_success_status_is_info() {
    check(
        "response-success-status-added",
        Level::Info,
        "GET /users",
        Some(("response-success-status-removed", Level::Err, "GET /users")),
    );
}

#[test]
fn removing_a_success_status_is_an_error() {
    check(
        "response-success-status-removed",
        Level::Err,
        "GET /users",
        Some(("response-success-status-added", Level::Info, "GET /users")),
    );
}

#[test]
fn adding_an_error_status_is_info() {
    check(
        "response-non-success-status-added",
        Level::Info,
        "GET /users",
        Some((
            "response-non-success-status-removed",
            Level::Info,
            "GET /users",
        )),
    );
}

#[test]
fn removing_an_error_status_is_info() {
    check(
        "response-non-success-status-removed",
        Level::Info,
        "GET /users",
        Some((
            "response-non-success-status-added",
            Level::Info,
            "GET /users",
        )),
    );
}

#[test]
fn adding_a_response_media_type_is_info() {
    check(
        "response-media-type-added",
        Level::Info,
        "GET /users",
        Some(("response-media-type-removed", Level::Err, "GET /users")),
    );
}

#[test]
fn removing_a_response_media_type_is_an_error() {
    check(
        "response-media-type-removed",
        Level::Err,
        "GET /users",
        Some(("response-media-type-added", Level::Info, "GET /users")),
    );
}

#[test]
fn broadening_a_response_media_type_is_an_error() {
    check(
        "response-media-type-name-generalized",
        Level::Err,
        "GET /users",
        Some((
            "response-media-type-name-specialized",
            Level::Info,
            "GET /users",
        )),
    );
}

#[test]
fn narrowing_a_response_media_type_is_info() {
    check(
        "response-media-type-name-specialized",
        Level::Info,
        "GET /users",
        Some((
            "response-media-type-name-generalized",
            Level::Err,
            "GET /users",
        )),
    );
}

#[test]
fn changing_media_type_parameters_is_a_name_change() {
    check(
        "response-media-type-name-changed",
        Level::Info,
        "GET /users",
        Some((
            "response-media-type-name-changed",
            Level::Info,
            "GET /users",
        )),
    );
}

#[test]
fn adding_a_schema_to_a_response_media_type_is_info() {
    check(
        "response-body-media-type-schema-added",
        Level::Info,
        "GET /users",
        Some((
            "response-body-media-type-schema-removed",
            Level::Warn,
            "GET /users",
        )),
    );
}

#[test]
fn removing_the_schema_of_a_response_media_type_is_a_warning() {
    check(
        "response-body-media-type-schema-removed",
        Level::Warn,
        "GET /users",
        Some((
            "response-body-media-type-schema-added",
            Level::Info,
            "GET /users",
        )),
    );
}

#[test]
fn adding_a_response_header_is_info() {
    check(
        "response-header-added",
        Level::Info,
        "GET /users",
        Some((
            "optional-response-header-removed",
            Level::Warn,
            "GET /users",
        )),
    );
}

#[test]
fn removing_an_optional_response_header_is_a_warning() {
    check(
        "optional-response-header-removed",
        Level::Warn,
        "GET /users",
        Some(("response-header-added", Level::Info, "GET /users")),
    );
}

#[test]
fn removing_a_required_response_header_is_an_error() {
    check(
        "required-response-header-removed",
        Level::Err,
        "GET /users",
        Some(("response-header-added", Level::Info, "GET /users")),
    );
}

#[test]
fn response_header_becoming_optional_is_an_error() {
    check(
        "response-header-became-optional",
        Level::Err,
        "GET /users",
        Some(("response-header-became-required", Level::Info, "GET /users")),
    );
    check(
        "response-header-became-required",
        Level::Info,
        "GET /users",
        Some(("response-header-became-optional", Level::Err, "GET /users")),
    );
}

#[test]
fn deprecating_without_sunset_under_a_policy_is_an_error() {
    let with = diff_with_policy("api-deprecated-sunset-missing", 30);
    let c = expect_change(
        &with,
        "api-deprecated-sunset-missing",
        Level::Err,
        "GET /users",
    );
    assert_eq!(c.args, vec!["30".to_string()]);
    expect_no(&with, "endpoint-deprecated");
    // Without a policy the same change is a plain deprecation.
    let without = diff_dir("api-deprecated-sunset-missing", false);
    expect_no(&without, "api-deprecated-sunset-missing");
    expect_change(&without, "endpoint-deprecated", Level::Info, "GET /users");
}

#[test]
fn sunset_closer_than_the_policy_is_an_error() {
    // Today is pinned to 2026-01-01; the sunset is 9 days away.
    let with = diff_with_policy("api-sunset-date-too-small", 30);
    let c = expect_change(&with, "api-sunset-date-too-small", Level::Err, "GET /users");
    assert_eq!(c.args, vec!["2026-01-10".to_string(), "30".to_string()]);
    expect_no(&with, "endpoint-deprecated-with-sunset");
    let loose = diff_with_policy("api-sunset-date-too-small", 5);
    expect_no(&loose, "api-sunset-date-too-small");
    expect_change(
        &loose,
        "endpoint-deprecated-with-sunset",
        Level::Info,
        "GET /users",
    );
}

#[test]
fn sunset_moved_earlier_than_the_policy_is_an_error() {
    let with = diff_with_policy("api-sunset-date-changed-too-small", 30);
    expect_change(
        &with,
        "api-sunset-date-changed-too-small",
        Level::Err,
        "GET /users",
    );
    expect_no(
        &diff_dir("api-sunset-date-changed-too-small", false),
        "api-sunset-date-changed-too-small",
    );
    // Moving the sunset later is never a policy breach.
    let reversed = {
        let d = fixture("rules/api-sunset-date-changed-too-small");
        let (a, b) = (load(&d.join("base.yaml")), load(&d.join("revision.yaml")));
        let o = DiffOptions {
            deprecation_days_stable: 30,
            ..opts()
        };
        diff::compare(&b.api, &a.api, &o)
    };
    expect_no(&reversed, "api-sunset-date-changed-too-small");
}

#[test]
fn version_rules_stay_silent_without_a_breaking_change() {
    // Reversed, the pair only adds an endpoint: nothing at ERR, so no version finding.
    let changes = diff_dir("api-version-not-bumped", true);
    expect_change(&changes, "endpoint-added", Level::Info, "POST /users");
    expect_no(&changes, "api-version-not-bumped");
}

#[test]
fn version_finding_is_in_the_info_section() {
    let c = check("api-major-version-not-bumped", Level::Info, "", None);
    assert_eq!(c.section, diff::Section::Info);
    assert_eq!(c.args, vec!["1.0.0".to_string(), "1.1.0".to_string()]);
}

#[test]
fn component_changes_are_in_their_sections() {
    let c = check("api-schema-removed", Level::Info, "", None);
    assert_eq!(c.section, diff::Section::Components);
    assert_eq!(c.args, vec!["Order".to_string()]);
    let c = check("api-security-component-removed", Level::Info, "", None);
    assert_eq!(c.section, diff::Section::Security);
    assert_eq!(c.args, vec!["bearer".to_string()]);
}

#[test]
fn renamed_path_parameter_is_no_change_and_removals_carry_the_base_template() {
    // The base writes /users/{id}, the revision /users/{userId}: GET matches and is not
    // reported; the removed DELETE carries the base template.
    let changes = diff_dir("api-removed-without-deprecation", false);
    let on_paths: Vec<_> = changes
        .iter()
        .filter(|c| c.section == diff::Section::Paths)
        .map(common::brief)
        .collect();
    assert_eq!(
        on_paths,
        vec![(
            "api-removed-without-deprecation".to_string(),
            Level::Err,
            "DELETE /users/{id}".to_string()
        )]
    );
}

#[test]
fn parameter_change_names_location_and_parameter() {
    let c = check(
        "new-required-request-parameter",
        Level::Err,
        "GET /users",
        None,
    );
    assert_eq!(c.args, vec!["query".to_string(), "tenant".to_string()]);
    assert!(c.text.contains("tenant"), "{}", c.text);
}

#[test]
fn path_level_parameter_is_reported_for_each_operation() {
    let changes = diff_dir(
        "new-required-request-default-parameter-to-existing-path",
        false,
    );
    for op in ["GET /users", "POST /users"] {
        expect_change(
            &changes,
            "new-required-request-default-parameter-to-existing-path",
            Level::Err,
            op,
        );
    }
    expect_no(&changes, "new-required-request-parameter");
}

#[test]
fn renamed_response_media_type_is_not_also_added_and_removed() {
    let changes = diff_dir("response-media-type-name-generalized", false);
    expect_no(&changes, "response-media-type-added");
    expect_no(&changes, "response-media-type-removed");
}

#[test]
fn diff_output_is_deterministic() {
    for dir in ["api-security-removed", "response-media-type-removed"] {
        assert_eq!(diff_dir(dir, false), diff_dir(dir, false));
    }
}

#[test]
fn every_rule_of_these_areas_has_a_fixture_pair() {
    let tables = [
        diff::endpoints::RULES,
        diff::lifecycle::RULES,
        diff::security::RULES,
        diff::params::RULES,
        diff::body::RULES,
        diff::responses::RULES,
    ];
    let missing: Vec<&str> = tables
        .iter()
        .flat_map(|t| t.iter())
        .map(|r| r.id)
        .filter(|id| {
            let d = fixture(&format!("rules/{id}"));
            !(d.join("base.yaml").is_file() && d.join("revision.yaml").is_file())
        })
        .collect();
    assert!(
        missing.is_empty(),
        "rules without a fixture pair: {missing:?}"
    );
}

#[test]
fn removing_a_deprecated_parameter_before_its_sunset_is_breaking() {
    let c = check(
        "request-parameter-removed-before-sunset",
        Level::Err,
        "GET /users",
        None,
    );
    assert_eq!(c.args, ["query", "limit", "2026-06-01"]);
}

#[test]
fn removing_a_parameter_with_an_unparsable_sunset_is_reported() {
    let c = check(
        "request-parameter-sunset-parse",
        Level::Err,
        "GET /users",
        None,
    );
    assert_eq!(c.args, ["query", "limit", "next spring"]);
}

#[test]
fn deprecating_a_parameter_without_sunset_under_a_policy_is_breaking() {
    let changes = diff_with_policy("request-parameter-deprecated-sunset-missing", 30);
    let c = expect_change(
        &changes,
        "request-parameter-deprecated-sunset-missing",
        Level::Err,
        "GET /users",
    );
    assert_eq!(c.args, ["query", "limit", "30"]);
    // Without a policy the same change is a plain deprecation.
    let plain = diff_dir("request-parameter-deprecated-sunset-missing", false);
    expect_change(
        &plain,
        "request-parameter-deprecated",
        Level::Info,
        "GET /users",
    );
    expect_no(&plain, "request-parameter-deprecated-sunset-missing");
}

#[test]
fn deprecating_a_parameter_with_a_too_close_sunset_is_breaking_under_a_policy() {
    let changes = diff_with_policy("request-parameter-sunset-date-too-small", 30);
    let c = expect_change(
        &changes,
        "request-parameter-sunset-date-too-small",
        Level::Err,
        "GET /users",
    );
    assert_eq!(c.args, ["query", "limit", "2026-01-10", "30"]);
    let plain = diff_dir("request-parameter-sunset-date-too-small", false);
    expect_change(
        &plain,
        "request-parameter-deprecated",
        Level::Info,
        "GET /users",
    );
}

#[test]
fn moving_a_parameter_sunset_too_early_is_breaking_under_a_policy() {
    let changes = diff_with_policy("request-parameter-sunset-date-changed-too-small", 30);
    let c = expect_change(
        &changes,
        "request-parameter-sunset-date-changed-too-small",
        Level::Err,
        "GET /users",
    );
    assert_eq!(c.args, ["query", "limit", "2026-12-01", "2026-01-10", "30"]);
    expect_no(
        &diff_dir("request-parameter-sunset-date-changed-too-small", false),
        "request-parameter-sunset-date-changed-too-small",
    );
}

#[test]
fn deleting_the_sunset_of_a_still_deprecated_parameter_is_breaking() {
    check(
        "request-parameter-sunset-deleted",
        Level::Err,
        "GET /users",
        None,
    );
    // The reverse (a sunset date given) is no finding of its own.
    expect_no(
        &diff_dir("request-parameter-sunset-deleted", true),
        "request-parameter-sunset-deleted",
    );
}

#[test]
fn exploding_an_array_parameter_differently_is_breaking_and_a_scalar_respelled_is_not() {
    let c = check(
        "request-parameter-serialization-changed",
        Level::Err,
        "GET /users",
        Some((
            "request-parameter-serialization-changed",
            Level::Err,
            "GET /users",
        )),
    );
    assert_eq!(
        c.args,
        [
            "query",
            "ids",
            "style=form explode=true",
            "style=form explode=false"
        ]
    );
    check(
        "request-parameter-serialization-respelled",
        Level::Info,
        "GET /users",
        Some((
            "request-parameter-serialization-respelled",
            Level::Info,
            "GET /users",
        )),
    );
    let changes = diff_dir("request-parameter-serialization-respelled", false);
    assert_eq!(changes.len(), 1, "{changes:#?}");
}

#[test]
fn a_scalar_parameter_that_becomes_an_array_of_it_is_a_widening() {
    let changes = diff_dir("request-parameter-type-generalized", false);
    let c = expect_change(
        &changes,
        "request-parameter-type-generalized",
        Level::Info,
        "GET /users",
    );
    assert_eq!(c.args, ["string", "array", "query", "status"]);
    // Back: a client sending several values is refused.
    expect_change(
        &diff_dir("request-parameter-type-generalized", true),
        "request-parameter-type-specialized",
        Level::Err,
        "GET /users",
    );
}

#[test]
fn a_move_between_two_coexisting_schemes_of_one_mechanism_is_a_change_not_a_rename() {
    // Both bearer schemes exist on both sides (a project key and an admin key): only
    // the name tells which credential the operation needs.
    let d = fixture("security/coexisting-bearer-schemes");
    let (a, b) = (load(&d.join("base.yaml")), load(&d.join("revision.yaml")));
    let changes = diff::compare(&a.api, &b.api, &opts());
    let ids: Vec<&str> = changes.iter().map(|c| c.id.as_str()).collect();
    assert!(ids.contains(&"api-security-added"), "{ids:?}");
    assert!(ids.contains(&"api-security-removed"), "{ids:?}");
    assert!(!ids.iter().any(|i| i.ends_with("-renamed")), "{ids:?}");
}

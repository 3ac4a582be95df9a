//! Fixture-pair tests of the schema rules (request and response bodies, their properties,
//! parameter and response-header schemas): exact id, level, operation, and the property
//! path arg, with the pair reversed for mirror rules.

mod common;

use apidrift::diff::{Change, Level};
use common::{diff_dir, expect_change, expect_no};

/// Diffs `rules/<dir>` (or reversed) and asserts one change `id` at `op` whose first arg
/// is `first_arg` (the property path for property rules).
fn check(dir: &str, reversed: bool, id: &str, level: Level, op: &str, first_arg: &str) -> Change {
    let changes = diff_dir(dir, reversed);
    let c = expect_change(&changes, id, level, op);
    assert_eq!(
        c.args.first().map(String::as_str),
        Some(first_arg),
        "{c:#?}"
    );
    let same: Vec<_> = changes.iter().filter(|x| x.id == id).collect();
    assert_eq!(same.len(), 1, "expected one {id}, got {same:#?}");
    c
}

const USER: &str = "GET /users/{id}";
const CREATE: &str = "POST /users";
const LIST: &str = "GET /users";

#[test]
fn response_enum_value_added_is_warn_for_reader() {
    let c = check(
        "response-property-enum-value-added",
        false,
        "response-property-enum-value-added",
        Level::Warn,
        USER,
        "status",
    );
    assert_eq!(c.args, ["status", "archived", "200", "application/json"]);
    assert!(
        c.text.contains("'archived'") && c.text.contains("'status'"),
        "{}",
        c.text
    );
}

#[test]
fn response_enum_value_removed_is_info() {
    check(
        "response-property-enum-value-added",
        true,
        "response-property-enum-value-removed",
        Level::Info,
        USER,
        "status",
    );
}

#[test]
fn response_required_property_removed_is_err_with_nested_path() {
    let c = check(
        "response-required-property-removed",
        false,
        "response-required-property-removed",
        Level::Err,
        USER,
        "profile.login",
    );
    assert!(
        c.text.contains("'profile.login'") && c.text.contains("'200' status"),
        "{}",
        c.text
    );
}

#[test]
fn response_required_property_added_is_info() {
    check(
        "response-required-property-removed",
        true,
        "response-required-property-added",
        Level::Info,
        USER,
        "profile.login",
    );
}

#[test]
fn response_optional_property_removed_is_warn_and_added_is_info() {
    check(
        "response-optional-property-removed",
        false,
        "response-optional-property-removed",
        Level::Warn,
        USER,
        "nickname",
    );
    check(
        "response-optional-property-removed",
        true,
        "response-optional-property-added",
        Level::Info,
        USER,
        "nickname",
    );
}

#[test]
fn response_property_became_optional_is_err_and_required_is_info() {
    check(
        "response-property-became-optional",
        false,
        "response-property-became-optional",
        Level::Err,
        USER,
        "email",
    );
    check(
        "response-property-became-optional",
        true,
        "response-property-became-required",
        Level::Info,
        USER,
        "email",
    );
}

#[test]
fn response_property_type_changed_is_err_both_ways() {
    let c = check(
        "response-property-type-changed",
        false,
        "response-property-type-changed",
        Level::Err,
        USER,
        "id",
    );
    assert_eq!(c.args[1..3], ["integer".to_string(), "string".to_string()]);
    check(
        "response-property-type-changed",
        true,
        "response-property-type-changed",
        Level::Err,
        USER,
        "id",
    );
}

#[test]
fn response_property_became_nullable_is_err_and_not_nullable_is_info() {
    check(
        "response-property-became-nullable",
        false,
        "response-property-became-nullable",
        Level::Err,
        USER,
        "lastLogin",
    );
    check(
        "response-property-became-nullable",
        true,
        "response-property-became-not-nullable",
        Level::Info,
        USER,
        "lastLogin",
    );
}

#[test]
fn response_max_length_increased_is_err_and_decrease_is_info() {
    let c = check(
        "response-property-max-length-increased",
        false,
        "response-property-max-length-increased",
        Level::Err,
        USER,
        "name",
    );
    assert_eq!(c.args[1..3], ["50".to_string(), "100".to_string()]);
    // The vocabulary has no rule for the narrowing: it is reported, with one of ours, at
    // INFO (a reader never sees a value it did not see before), never dropped.
    let rev = diff_dir("response-property-max-length-increased", true);
    let c = expect_change(
        &rev,
        "response-property-max-length-decreased",
        Level::Info,
        USER,
    );
    assert_eq!(c.args[..3], ["name", "100", "50"]);
    assert!(
        apidrift::diff::rules::get(&c.id).is_some_and(|r| r.ours),
        "{c:#?}"
    );
}

#[test]
fn response_one_of_branch_added_is_err_and_removed_is_info() {
    let c = check(
        "response-property-one-of-added",
        false,
        "response-property-one-of-added",
        Level::Err,
        USER,
        "credentials",
    );
    assert_eq!(c.args[1], "Token");
    check(
        "response-property-one-of-added",
        true,
        "response-property-one-of-removed",
        Level::Info,
        USER,
        "credentials",
    );
}

#[test]
fn response_header_type_changed_is_err() {
    let c = check(
        "response-header-type-changed",
        false,
        "response-header-type-changed",
        Level::Err,
        USER,
        "integer",
    );
    assert_eq!(c.args, ["integer", "string", "X-Rate-Limit", "200"]);
}

#[test]
fn request_new_required_property_is_err_and_removal_is_warn() {
    check(
        "new-required-request-property",
        false,
        "new-required-request-property",
        Level::Err,
        CREATE,
        "email",
    );
    check(
        "new-required-request-property",
        true,
        "request-property-removed",
        Level::Warn,
        CREATE,
        "email",
    );
}

#[test]
fn request_property_became_required_is_err_and_optional_is_info() {
    check(
        "request-property-became-required",
        false,
        "request-property-became-required",
        Level::Err,
        CREATE,
        "email",
    );
    check(
        "request-property-became-required",
        true,
        "request-property-became-optional",
        Level::Info,
        CREATE,
        "email",
    );
}

#[test]
fn request_enum_value_removed_is_err_and_added_is_info() {
    let c = check(
        "request-property-enum-value-removed",
        false,
        "request-property-enum-value-removed",
        Level::Err,
        CREATE,
        "role",
    );
    assert_eq!(c.args, ["role", "user", "application/json"]);
    check(
        "request-property-enum-value-removed",
        true,
        "request-property-enum-value-added",
        Level::Info,
        CREATE,
        "role",
    );
}

#[test]
fn request_property_type_changed_is_err() {
    check(
        "request-property-type-changed",
        false,
        "request-property-type-changed",
        Level::Err,
        CREATE,
        "age",
    );
}

#[test]
fn request_max_decreased_is_err_and_increased_is_info() {
    let c = check(
        "request-property-max-decreased",
        false,
        "request-property-max-decreased",
        Level::Err,
        CREATE,
        "age",
    );
    assert_eq!(c.args[1..3], ["150".to_string(), "120".to_string()]);
    check(
        "request-property-max-decreased",
        true,
        "request-property-max-increased",
        Level::Info,
        CREATE,
        "age",
    );
}

#[test]
fn request_parameter_enum_value_removed_is_err_and_added_is_info() {
    let c = check(
        "request-parameter-enum-value-removed",
        false,
        "request-parameter-enum-value-removed",
        Level::Err,
        LIST,
        "desc",
    );
    assert_eq!(c.args, ["desc", "query", "order"]);
    check(
        "request-parameter-enum-value-removed",
        true,
        "request-parameter-enum-value-added",
        Level::Info,
        LIST,
        "desc",
    );
}

#[test]
fn request_parameter_type_changed_is_err() {
    check(
        "request-parameter-type-changed",
        false,
        "request-parameter-type-changed",
        Level::Err,
        LIST,
        "integer",
    );
}

#[test]
fn shared_component_change_is_reported_per_operation_with_its_path() {
    let changes = diff_dir("../schema/shared-component", false);
    let mut got: Vec<(String, String)> = changes
        .iter()
        .filter(|c| c.id == "response-property-enum-value-added")
        .map(|c| (common::brief(c).2, c.args[0].clone()))
        .collect();
    got.sort();
    assert_eq!(
        got,
        [
            (
                "GET /groups/{id}/members".to_string(),
                "data[].status".to_string()
            ),
            ("GET /users".to_string(), "[].status".to_string()),
            ("GET /users/{id}".to_string(), "status".to_string()),
        ]
    );
}

#[test]
fn cyclic_schema_change_is_reported_once() {
    let changes = diff_dir("../schema/cyclic", false);
    let hits: Vec<_> = changes
        .iter()
        .filter(|c| c.id == "response-property-type-changed")
        .collect();
    assert_eq!(hits.len(), 1, "{changes:#?}");
    assert_eq!(hits[0].args[0], "name");
    assert_eq!(common::brief(hits[0]).2, "GET /tree");
    // The same pair reversed is just as finite and symmetric.
    assert_eq!(diff_dir("../schema/cyclic", true).len(), changes.len());
}

#[test]
fn property_moved_into_all_of_is_not_reported_removed() {
    let changes = diff_dir("../schema/moved-into-all-of", false);
    expect_no(&changes, "response-required-property-removed");
    expect_no(&changes, "response-optional-property-removed");
    expect_no(&changes, "response-required-property-added");
    expect_change(&changes, "response-body-all-of-added", Level::Info, USER);
}

#[test]
fn nested_array_paths_use_brackets() {
    let changes = diff_dir("../schema/array-paths", false);
    let c = expect_change(
        &changes,
        "response-property-enum-value-added",
        Level::Warn,
        USER,
    );
    assert_eq!(
        c.args[..2],
        ["data[].roles[].name".to_string(), "auditor".to_string()]
    );
}

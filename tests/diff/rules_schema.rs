//! Fixture-pair tests of the schema rules (request and response bodies, their properties,
//! parameter and response-header schemas): exact id, level, operation, and the property
//! path arg, with the pair reversed for mirror rules.

use crate::common;

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

/// Diffs `tests/fixtures/schema/<dir>` (or reversed).
fn diff_schema(dir: &str, reversed: bool) -> Vec<Change> {
    let d = common::fixture(&format!("schema/{dir}"));
    let (a, b) = (
        common::load(&d.join("base.yaml")),
        common::load(&d.join("revision.yaml")),
    );
    if reversed {
        apidrift::diff::compare(&b.api, &a.api, &common::opts())
    } else {
        apidrift::diff::compare(&a.api, &b.api, &common::opts())
    }
}

/// Unions, compositions and the 2020-12 sub-schema keywords, each pair both ways:
/// `(fixture, reversed, id, level, op, args)`. The expectations were written from the
/// fixture notes (the first line of each file) before the diff ran.
#[test]
fn unions_compositions_and_sub_schemas_both_ways() {
    use Level::*;
    const GET: &str = "GET /users";
    const POST: &str = "POST /users";
    let r = |s: &str| s.to_string();
    let resp = |v: &[&str]| {
        let mut a: Vec<String> = v.iter().map(|s| r(s)).collect();
        a.extend([r("200"), r("application/json")]);
        a
    };
    let req = |v: &[&str]| {
        let mut a: Vec<String> = v.iter().map(|s| r(s)).collect();
        a.push(r("application/json"));
        a
    };
    /// Fixture, reversed, id, level, operation, args.
    type Case<'c> = (&'c str, bool, &'c str, Level, &'c str, Vec<String>);
    let cases: Vec<Case<'_>> = vec![
        // A `$ref` wrapped in a one-member allOf is its member: what the member changed
        // is judged at the property.
        (
            "ref-wrapped-in-all-of",
            false,
            "response-property-became-nullable",
            Err,
            GET,
            resp(&["manager"]),
        ),
        (
            "ref-wrapped-in-all-of",
            false,
            "response-property-type-changed",
            Err,
            GET,
            resp(&["manager.login", "string", "integer"]),
        ),
        (
            "ref-wrapped-in-all-of",
            true,
            "response-property-became-not-nullable",
            Info,
            GET,
            resp(&["manager"]),
        ),
        (
            "ref-wrapped-in-all-of",
            true,
            "response-property-type-changed",
            Err,
            GET,
            resp(&["manager.login", "integer", "string"]),
        ),
        (
            "ref-to-one-of-property",
            false,
            "response-property-one-of-added",
            Err,
            GET,
            resp(&["owner", "Bot"]),
        ),
        (
            "ref-to-one-of-property",
            true,
            "response-property-one-of-removed",
            Info,
            GET,
            resp(&["owner", "Bot"]),
        ),
        (
            "items-to-one-of-by-structure",
            false,
            "response-property-one-of-added",
            Err,
            GET,
            resp(&["roles[]", "CustomRole"]),
        ),
        (
            "items-to-one-of-by-structure",
            false,
            "response-optional-property-added",
            Info,
            GET,
            resp(&["roles[].type"]),
        ),
        (
            "items-to-one-of-by-structure",
            true,
            "response-property-one-of-removed",
            Info,
            GET,
            resp(&["roles[]", "CustomRole"]),
        ),
        (
            "scalar-to-one-of-types",
            false,
            "response-property-list-of-types-widened",
            Err,
            GET,
            resp(&["id", "string", "integer|string"]),
        ),
        (
            "scalar-to-one-of-types",
            true,
            "response-property-list-of-types-narrowed",
            Info,
            GET,
            resp(&["id", "integer|string", "string"]),
        ),
        (
            "ref-to-any-of-property",
            false,
            "response-property-any-of-added",
            Err,
            GET,
            resp(&["owner", "Bot"]),
        ),
        (
            "ref-to-any-of-property",
            true,
            "response-property-any-of-removed",
            Info,
            GET,
            resp(&["owner", "Bot"]),
        ),
        (
            "one-of-to-any-of-disjoint",
            false,
            "response-property-union-keyword-changed",
            Info,
            GET,
            resp(&["id", "oneOf", "anyOf"]),
        ),
        (
            "one-of-to-any-of-disjoint",
            true,
            "response-property-union-keyword-changed",
            Info,
            GET,
            resp(&["id", "anyOf", "oneOf"]),
        ),
        (
            "one-of-to-any-of-overlapping",
            false,
            "response-property-one-of-became-any-of",
            Err,
            GET,
            resp(&["who"]),
        ),
        (
            "one-of-to-any-of-overlapping",
            true,
            "response-property-any-of-became-one-of",
            Info,
            GET,
            resp(&["who"]),
        ),
        (
            "property-names-changed",
            false,
            "response-property-property-names-changed",
            Warn,
            GET,
            resp(&["labels", "pattern-changed (^[a-z]+$, ^[a-z0-9]+$)"]),
        ),
        (
            "property-names-changed",
            true,
            "response-property-property-names-changed",
            Warn,
            GET,
            resp(&["labels", "pattern-changed (^[a-z0-9]+$, ^[a-z]+$)"]),
        ),
        (
            "all-of-constraint-added",
            false,
            "request-body-all-of-added",
            Err,
            POST,
            req(&["#1"]),
        ),
        (
            "all-of-constraint-added",
            true,
            "request-body-all-of-removed",
            Warn,
            POST,
            req(&["#1"]),
        ),
        (
            "not-narrowed",
            false,
            "request-property-not-widened",
            Info,
            POST,
            req(&["name", "enum-value-removed (admin)"]),
        ),
        (
            "not-narrowed",
            true,
            "request-property-not-narrowed",
            Err,
            POST,
            req(&["name", "enum-value-added (admin)"]),
        ),
        (
            "then-narrowed",
            false,
            "request-property-max-length-decreased",
            Err,
            POST,
            req(&["code", "8", "4"]),
        ),
        (
            "then-narrowed",
            true,
            "request-property-max-length-increased",
            Info,
            POST,
            req(&["code", "4", "8"]),
        ),
        (
            "contains-narrowed",
            false,
            "request-property-contains-narrowed",
            Err,
            POST,
            req(&["scores", "min-increased (10, 50)"]),
        ),
        (
            "contains-narrowed",
            true,
            "request-property-contains-widened",
            Info,
            POST,
            req(&["scores", "min-decreased (50, 10)"]),
        ),
        (
            "prefix-items-type-changed",
            false,
            "response-property-type-changed",
            Err,
            GET,
            resp(&["pair[]", "integer", "string"]),
        ),
        (
            "prefix-items-type-changed",
            true,
            "response-property-type-changed",
            Err,
            GET,
            resp(&["pair[]", "string", "integer"]),
        ),
        (
            "pattern-properties-enum-added",
            false,
            "response-property-enum-value-added",
            Warn,
            GET,
            resp(&["flags.*", "auto"]),
        ),
        (
            "pattern-properties-enum-added",
            true,
            "response-property-enum-value-removed",
            Info,
            GET,
            resp(&["flags.*", "auto"]),
        ),
        (
            "unique-items-set",
            false,
            "request-property-unique-items-set",
            Err,
            POST,
            req(&["ids"]),
        ),
        (
            "unique-items-set",
            true,
            "request-property-unique-items-unset",
            Info,
            POST,
            req(&["ids"]),
        ),
        (
            "additional-properties-closed",
            false,
            "request-body-additional-properties-narrowed",
            Err,
            POST,
            req(&[]),
        ),
        (
            "additional-properties-closed",
            true,
            "request-body-additional-properties-widened",
            Info,
            POST,
            req(&[]),
        ),
        (
            "enum-dropped",
            false,
            "response-property-became-not-enum",
            Err,
            GET,
            resp(&["status"]),
        ),
        (
            "enum-dropped",
            true,
            "response-property-became-enum",
            Info,
            GET,
            resp(&["status"]),
        ),
        (
            "deep-object-property-retyped",
            false,
            "request-parameter-property-type-changed",
            Err,
            GET,
            vec![r("name"), r("string"), r("number"), r("query"), r("filter")],
        ),
        (
            "deep-object-property-retyped",
            true,
            "request-parameter-property-type-compatible",
            Info,
            GET,
            vec![r("name"), r("number"), r("string"), r("query"), r("filter")],
        ),
        (
            "branches-by-discriminator",
            false,
            "response-property-type-changed",
            Err,
            GET,
            resp(&["member.login", "string", "integer"]),
        ),
        (
            "branches-by-discriminator",
            true,
            "response-property-type-changed",
            Err,
            GET,
            resp(&["member.login", "integer", "string"]),
        ),
    ];
    let mut failures = Vec::new();
    for (dir, reversed, id, level, op, args) in &cases {
        let changes = diff_schema(dir, *reversed);
        let hit = changes.iter().any(|c| {
            common::brief(c) == (id.to_string(), *level, op.to_string()) && &c.args == args
        });
        if !hit {
            failures.push(format!(
                "{dir}{}: expected {id} ({level}) {args:?}; got:\n{}",
                if *reversed { " reversed" } else { "" },
                changes
                    .iter()
                    .map(|c| format!("    {} {} {:?}", c.id, c.level, c.args))
                    .collect::<Vec<_>>()
                    .join("\n")
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn one_of_to_any_of_over_disjoint_branches_is_nothing_more() {
    for reversed in [false, true] {
        let changes = diff_schema("one-of-to-any-of-disjoint", reversed);
        assert_eq!(changes.len(), 1, "{changes:#?}");
        assert_eq!(changes[0].level, Level::Info);
    }
    // Matched by discriminator value, the renamed and reordered branches add and remove
    // nothing: only the login retype is reported.
    let changes = diff_schema("branches-by-discriminator", false);
    assert!(
        !changes.iter().any(|c| c.id.contains("one-of")),
        "{changes:#?}"
    );
}

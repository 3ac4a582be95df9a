//! Fixture-pair tests of the rules that soften a schema change: `*-type-compatible` (a
//! scalar/string swap where values travel as text) and `*-pattern-generalized` (a
//! pattern replaced by one that provably accepts more). Each asserts the exact ids,
//! levels, operations and args, the negative case beside it in the same pair (a JSON
//! body keeps `*-type-changed`, an unprovable pattern keeps `*-pattern-changed`), and
//! the pair reversed.

use crate::common;

use apidrift::diff::Level;
use common::diff_dir;

/// Every change of `id` in the diff of `rules/<dir>` (or reversed), as
/// `(level, "METHOD path", args)`, sorted.
fn found(dir: &str, reversed: bool, id: &str) -> Vec<(Level, String, Vec<String>)> {
    let mut v: Vec<_> = diff_dir(dir, reversed)
        .into_iter()
        .filter(|c| c.id == id)
        .map(|c| {
            let op = format!(
                "{} {}",
                c.operation.map(|m| m.to_string()).unwrap_or_default(),
                c.path.clone().unwrap_or_default()
            );
            (c.level, op, c.args)
        })
        .collect();
    v.sort();
    v
}

fn args(a: &[&str]) -> Vec<String> {
    a.iter().map(|s| s.to_string()).collect()
}

const CREATE: &str = "POST /users";
const USER: &str = "GET /users/{id}";

#[test]
fn request_body_integer_to_string_is_compatible_in_text_and_changed_in_json() {
    let dir = "request-body-type-compatible";
    assert_eq!(
        found(dir, false, "request-body-type-compatible"),
        [(
            Level::Info,
            CREATE.to_string(),
            args(&["integer", "string", "text/plain; charset=utf-8"])
        )]
    );
    assert_eq!(
        found(dir, false, "request-body-type-changed"),
        [(
            Level::Err,
            CREATE.to_string(),
            args(&["integer", "string", "application/json"])
        )]
    );
    // Reversed, the text body now demands an integer: a string sent before may fail.
    assert!(found(dir, true, "request-body-type-compatible").is_empty());
    assert_eq!(found(dir, true, "request-body-type-changed").len(), 2);
}

#[test]
fn request_property_scalar_to_string_is_compatible_in_forms_and_changed_in_json() {
    let dir = "request-property-type-compatible";
    assert_eq!(
        found(dir, false, "request-property-type-compatible"),
        [
            (
                Level::Info,
                CREATE.to_string(),
                args(&[
                    "age",
                    "integer",
                    "string",
                    "application/x-www-form-urlencoded"
                ])
            ),
            (
                Level::Info,
                CREATE.to_string(),
                args(&["newsletter", "boolean", "string", "multipart/form-data"])
            ),
        ]
    );
    // The same component property in the JSON body of the same operation.
    assert_eq!(
        found(dir, false, "request-property-type-changed"),
        [(
            Level::Err,
            CREATE.to_string(),
            args(&["age", "integer", "string", "application/json"])
        )]
    );
    assert!(found(dir, true, "request-property-type-compatible").is_empty());
    assert_eq!(found(dir, true, "request-property-type-changed").len(), 3);
}

#[test]
fn response_body_string_to_integer_is_compatible_in_text_and_changed_in_json() {
    let dir = "response-body-type-compatible";
    let op = "GET /users/count".to_string();
    assert_eq!(
        found(dir, false, "response-body-type-compatible"),
        [(
            Level::Info,
            op.clone(),
            args(&["string", "integer", "200", "text/plain"])
        )]
    );
    assert_eq!(
        found(dir, false, "response-body-type-changed"),
        [(
            Level::Err,
            op.clone(),
            args(&["string", "integer", "200", "application/json"])
        )]
    );
    // Reversed, a text reader expecting an integer may now get any string.
    assert!(found(dir, true, "response-body-type-compatible").is_empty());
    assert_eq!(found(dir, true, "response-body-type-changed").len(), 2);
}

#[test]
fn response_property_string_to_number_is_compatible_in_xml_and_changed_in_json() {
    let dir = "response-property-type-compatible";
    assert_eq!(
        found(dir, false, "response-property-type-compatible"),
        [(
            Level::Info,
            USER.to_string(),
            args(&["score", "string", "number", "200", "application/xml"])
        )]
    );
    assert_eq!(
        found(dir, false, "response-property-type-changed"),
        [(
            Level::Err,
            USER.to_string(),
            args(&[
                "score",
                "string",
                "number",
                "200",
                "application/vnd.acme+json"
            ])
        )]
    );
    assert!(found(dir, true, "response-property-type-compatible").is_empty());
    assert_eq!(found(dir, true, "response-property-type-changed").len(), 2);
}

#[test]
fn response_header_string_to_integer_is_compatible_unless_a_format_was_dropped() {
    let dir = "response-header-type-compatible";
    assert_eq!(
        found(dir, false, "response-header-type-compatible"),
        [(
            Level::Info,
            USER.to_string(),
            args(&["string", "integer", "X-Rate-Limit", "200"])
        )]
    );
    // A client parsed the date-time; an integer breaks it.
    assert_eq!(
        found(dir, false, "response-header-type-changed"),
        [(
            Level::Err,
            USER.to_string(),
            args(&["string/date-time", "integer", "Retry-After", "200"])
        )]
    );
    assert!(found(dir, true, "response-header-type-compatible").is_empty());
    assert_eq!(found(dir, true, "response-header-type-changed").len(), 2);
}

#[test]
fn request_parameter_pattern_replaced_by_a_wider_one_is_generalized() {
    let dir = "request-parameter-pattern-generalized";
    let op = "GET /users".to_string();
    assert_eq!(
        found(dir, false, "request-parameter-pattern-generalized"),
        [
            (
                Level::Info,
                op.clone(),
                args(&["^(name|age)$", "^(name|age|email)$", "query", "sort"])
            ),
            (
                Level::Info,
                op.clone(),
                args(&["^[a-z]+$", ".*", "query", "q"])
            ),
        ]
    );
    // Wider in fact, but not provably so without a regex engine.
    assert_eq!(
        found(dir, false, "request-parameter-pattern-changed"),
        [(
            Level::Warn,
            op.clone(),
            args(&["^[a-z]+$", "^[a-z0-9]+$", "query", "tag"])
        )]
    );
    // Reversed every pattern narrows or changes: none is generalized.
    assert!(found(dir, true, "request-parameter-pattern-generalized").is_empty());
    assert_eq!(
        found(dir, true, "request-parameter-pattern-changed").len(),
        3
    );
}

#[test]
fn request_property_pattern_replaced_by_match_all_is_generalized() {
    let dir = "request-property-pattern-generalized";
    assert_eq!(
        found(dir, false, "request-property-pattern-generalized"),
        [(
            Level::Info,
            CREATE.to_string(),
            args(&["login", "^\\w+$", ".*", "application/json"])
        )]
    );
    assert_eq!(
        found(dir, false, "request-property-pattern-changed"),
        [(
            Level::Warn,
            CREATE.to_string(),
            args(&["code", "^[A-Z]{3}$", "^[0-9]{3}$", "application/json"])
        )]
    );
    // The vocabulary has no response-side generalized id: a wider response pattern
    // stays the INFO response-property-pattern-changed.
    assert_eq!(
        found(dir, false, "response-property-pattern-changed"),
        [(
            Level::Info,
            CREATE.to_string(),
            args(&["login", "^\\w+$", ".*", "201", "application/json"])
        )]
    );
    assert!(found(dir, true, "request-property-pattern-generalized").is_empty());
    assert_eq!(
        found(dir, true, "request-property-pattern-changed").len(),
        2
    );
}

//! Fixture-pair tests of the property lifecycle rules (`request-property-*` and
//! `response-property-*`: deprecation, `x-sunset` under the deprecation-days policy,
//! `x-stability-level`): each diffs `tests/fixtures/rules/<rule-id>/` with and without a
//! policy and asserts the exact ids, levels, operations and args (property path first,
//! then details, then the site context), and the pair reversed for the mirror rule.

use crate::common;

use apidrift::diff::{self, Change, DiffOptions, Level};
use common::{diff_dir, expect_change, expect_no, fixture, load, opts};

const CREATE: &str = "POST /users";
const USER: &str = "GET /users/{id}";
const REQ: [&str; 1] = ["application/json"];
const RESP: [&str; 2] = ["200", "application/json"];

/// Diffs fixture dir `dir` under a deprecation-days policy (`beta`, `stable` days).
fn diff_with_policy(dir: &str, beta: u32, stable: u32) -> Vec<Change> {
    let d = fixture(&format!("rules/{dir}"));
    let (a, b) = (load(&d.join("base.yaml")), load(&d.join("revision.yaml")));
    let o = DiffOptions {
        deprecation_days_beta: beta,
        deprecation_days_stable: stable,
        ..opts()
    };
    diff::compare(&a.api, &b.api, &o)
}

/// `[path, details..., context...]`.
fn args(path: &str, details: &[&str], ctx: &[&str]) -> Vec<String> {
    std::iter::once(path)
        .chain(details.iter().copied())
        .chain(ctx.iter().copied())
        .map(String::from)
        .collect()
}

/// Asserts `changes` hold one change `id` at `op` with `args`, and no other change of
/// the property lifecycle family.
fn only(changes: &[Change], id: &str, level: Level, op: &str, args: Vec<String>) {
    let c = expect_change(changes, id, level, op);
    assert_eq!(c.args, args, "{c:#?}");
    let lifecycle: Vec<_> = changes
        .iter()
        .filter(|c| {
            c.id.contains("-property-")
                && ["deprecat", "sunset", "stability", "reactivated"]
                    .iter()
                    .any(|w| c.id.contains(w))
        })
        .map(|c| c.id.as_str())
        .collect();
    assert_eq!(lifecycle, [id], "{changes:#?}");
}

#[test]
fn request_property_deprecated_without_sunset_under_a_policy_is_err() {
    let dir = "request-property-deprecated-sunset-missing";
    only(
        &diff_with_policy(dir, 0, 30),
        dir,
        Level::Err,
        CREATE,
        args("nickname", &["30"], &REQ),
    );
    // Without a policy it is a plain deprecation; reversed, a reactivation.
    only(
        &diff_dir(dir, false),
        "request-property-deprecated",
        Level::Info,
        CREATE,
        args("nickname", &[], &REQ),
    );
    only(
        &diff_dir(dir, true),
        "request-property-reactivated",
        Level::Info,
        CREATE,
        args("nickname", &[], &REQ),
    );
}

#[test]
fn response_property_inherits_the_operation_stability_for_the_policy() {
    // The operation is beta and the property has no x-stability-level of its own, so
    // the beta policy applies and the stable one does not.
    let dir = "response-property-deprecated-sunset-missing";
    only(
        &diff_with_policy(dir, 10, 0),
        dir,
        Level::Err,
        USER,
        args("nickname", &["10"], &RESP),
    );
    only(
        &diff_with_policy(dir, 0, 30),
        "response-property-deprecated",
        Level::Info,
        USER,
        args("nickname", &[], &RESP),
    );
    only(
        &diff_dir(dir, true),
        "response-property-reactivated",
        Level::Info,
        USER,
        args("nickname", &[], &RESP),
    );
}

#[test]
fn property_sunset_closer_than_the_policy_is_err() {
    // Today is pinned to 2026-01-01; the sunset is 9 days away.
    for (dir, op, ctx) in [
        ("request-property-sunset-date-too-small", CREATE, &REQ[..]),
        ("response-property-sunset-date-too-small", USER, &RESP[..]),
    ] {
        only(
            &diff_with_policy(dir, 0, 30),
            dir,
            Level::Err,
            op,
            args("nickname", &["2026-01-10", "30"], ctx),
        );
        let with_sunset = dir.replace("sunset-date-too-small", "deprecated-with-sunset");
        only(
            &diff_with_policy(dir, 0, 5),
            &with_sunset,
            Level::Info,
            op,
            args("nickname", &["2026-01-10"], ctx),
        );
    }
}

#[test]
fn property_deprecated_with_unparsable_sunset_is_err_with_or_without_policy() {
    for (dir, op, ctx) in [
        (
            "request-property-deprecated-sunset-invalid",
            CREATE,
            &REQ[..],
        ),
        (
            "response-property-deprecated-sunset-invalid",
            USER,
            &RESP[..],
        ),
    ] {
        for changes in [diff_dir(dir, false), diff_with_policy(dir, 0, 30)] {
            only(
                &changes,
                dir,
                Level::Err,
                op,
                args("nickname", &["next spring"], ctx),
            );
        }
    }
}

#[test]
fn property_stability_lowered_is_err_and_raised_is_info() {
    for (dir, op, ctx) in [
        ("request-property-stability-decreased", CREATE, &REQ[..]),
        ("response-property-stability-decreased", USER, &RESP[..]),
    ] {
        only(
            &diff_dir(dir, false),
            dir,
            Level::Err,
            op,
            args("nickname", &["stable", "beta"], ctx),
        );
        let increased = dir.replace("decreased", "increased");
        only(
            &diff_dir(dir, true),
            &increased,
            Level::Info,
            op,
            args("nickname", &["beta", "stable"], ctx),
        );
    }
}

#[test]
fn unchanged_lifecycle_reports_nothing() {
    for dir in [
        "request-property-deprecated-sunset-invalid",
        "response-property-stability-decreased",
    ] {
        let d = fixture(&format!("rules/{dir}"));
        let rev = load(&d.join("revision.yaml"));
        let changes = diff::compare(&rev.api, &rev.api, &opts());
        assert!(changes.is_empty(), "{changes:#?}");
        expect_no(&changes, dir);
    }
}

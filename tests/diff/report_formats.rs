//! Snapshot of every renderer on one hand-built change list (independent of the diff
//! engine), plus checks that escaping holds and output is deterministic; and the
//! golden HTML report of `apidrift diff --format html --consumes` on a fixture pair.

use apidrift::diff::rules::Rule;
use apidrift::diff::{Change, Level, Section, fingerprint};
use apidrift::model::Method;
use apidrift::report::{self, Entry, Format, RenderOptions, Source, sarif};

fn change(
    id: &str,
    level: Level,
    op: Option<(Method, &str)>,
    text: &str,
    args: &[&str],
    base_pointer: Option<&str>,
    revision_pointer: Option<&str>,
) -> Change {
    let args: Vec<String> = args.iter().map(|s| s.to_string()).collect();
    let (operation, path) = match op {
        Some((m, p)) => (Some(m), Some(p.to_string())),
        None => (None, None),
    };
    Change {
        id: id.to_string(),
        text: text.to_string(),
        comment: None,
        level,
        operation,
        path: path.clone(),
        operation_id: None,
        section: if path.is_some() {
            Section::Paths
        } else {
            Section::Security
        },
        fingerprint: fingerprint(id, operation, path.as_deref(), &args),
        args,
        base_pointer: base_pointer.map(String::from),
        revision_pointer: revision_pointer.map(String::from),
    }
}

fn src(file: &str, pos: Option<(u32, u32)>) -> Option<Source> {
    Some(Source {
        file: file.to_string(),
        line: pos.map(|p| p.0),
        column: pos.map(|p| p.1),
    })
}

/// Four changes covering: a removal (base location only), a WARN with a comment and a
/// revision location, an INFO whose location has no line (JSON input), and a
/// document-level change whose text needs escaping in every format.
fn entries() -> Vec<Entry> {
    let mut removed = change(
        "api-path-removed-without-deprecation",
        Level::Err,
        Some((Method::Delete, "/pets/{petId}")),
        "api path removed without deprecation",
        &[],
        Some("/paths/~1pets~1{petId}/delete"),
        None,
    );
    removed.operation_id = Some("deletePet".into());
    let mut enum_added = change(
        "response-property-enum-value-added",
        Level::Warn,
        Some((Method::Get, "/pets")),
        "added the new 'sold' enum value to the 'status' response property for the response status '200'",
        &["status", "sold", "200"],
        Some("/paths/~1pets/get/responses/200"),
        Some("/components/schemas/Pet/properties/status/enum/2"),
    );
    enum_added.comment = Some("a client that switches on every value may not handle it".into());
    enum_added.operation_id = Some("listPets".into());
    let added = change(
        "response-optional-property-added",
        Level::Info,
        Some((Method::Get, "/pets")),
        "added the optional property 'tag' to the response with the '200' status",
        &["tag", "200"],
        None,
        Some("/components/schemas/Pet/properties/tag"),
    );
    let security = change(
        "api-security-removed",
        Level::Info,
        None,
        "removed <b>security</b> | \"scheme\" & 100%,x:y\nsecond line",
        &["petstore_auth"],
        Some("/security/0"),
        None,
    );
    vec![
        Entry {
            change: removed,
            base_source: src("base.yaml", Some((40, 5))),
            revision_source: None,
        },
        Entry {
            change: enum_added,
            base_source: src("base.yaml", Some((21, 9))),
            revision_source: src("rev.yaml", Some((77, 13))),
        },
        Entry {
            change: added,
            base_source: None,
            revision_source: src("rev.json", None),
        },
        Entry {
            change: security,
            base_source: src("dir with space/base.yaml", Some((3, 3))),
            revision_source: None,
        },
    ]
}

fn render(format: Format) -> String {
    report::render(format, &entries(), RenderOptions { color: false })
}

#[test]
fn text_groups_by_endpoint_with_summary() {
    insta::assert_snapshot!(render(Format::Text));
}

#[test]
fn text_without_changes_says_so() {
    assert_eq!(
        report::render(Format::Text, &[], RenderOptions::default()),
        "no changes\n"
    );
}

#[test]
fn text_colour_only_when_asked() {
    let coloured = report::render(Format::Text, &entries(), RenderOptions { color: true });
    assert!(coloured.contains("\x1b[1;31merror  \x1b[0m"), "{coloured}");
    assert!(!render(Format::Text).contains('\x1b'));
}

#[test]
fn json_uses_oasdiff_field_names() {
    let out = render(Format::Json);
    insta::assert_snapshot!(out);
    let v: serde_json::Value = serde_json::from_str(&out).expect("valid JSON");
    let first = &v[0];
    assert_eq!(first["level"], 3);
    assert_eq!(first["operation"], "DELETE");
    assert_eq!(first["operationId"], "deletePet");
    assert_eq!(first["baseSource"]["line"], 40);
    assert!(first.get("revisionSource").is_none());
    assert!(v[2]["revisionSource"].get("line").is_none());
}

#[test]
fn yaml_is_the_same_list() {
    let out = render(Format::Yaml);
    insta::assert_snapshot!(out);
    let from_yaml: serde_json::Value = serde_yaml::from_str(&out).expect("valid YAML");
    let from_json: serde_json::Value = serde_json::from_str(&render(Format::Json)).expect("json");
    assert_eq!(from_yaml, from_json);
}

#[test]
fn markdown_table_escapes_spec_text() {
    let out = render(Format::Markdown);
    insta::assert_snapshot!(out);
    assert!(!out.contains("<b>"));
    assert_eq!(
        out.lines().filter(|l| l.starts_with("| **")).count(),
        4,
        "one row per change"
    );
}

#[test]
fn junit_one_case_per_change_failures_for_err_and_warn() {
    let out = render(Format::Junit);
    insta::assert_snapshot!(out);
    assert_eq!(out.matches("<testcase ").count(), 4);
    assert_eq!(out.matches("<failure ").count(), 2);
    assert!(!out.contains("<b>"));
}

#[test]
fn githubactions_one_command_per_change() {
    let out = render(Format::Githubactions);
    insta::assert_snapshot!(out);
    assert_eq!(
        out.lines().count(),
        4,
        "a newline in text must not split a command"
    );
    assert!(out.starts_with(
        "::error title=api-path-removed-without-deprecation,file=base.yaml,line=40,col=5::"
    ));
}

const RULES: &[Rule] = &[
    apidrift::rule!(
        "api-path-removed-without-deprecation",
        Err,
        None,
        "existence",
        "remove",
        "An operation was removed without being deprecated first",
        "api path removed without deprecation"
    ),
    apidrift::rule!(
        "response-property-enum-value-added",
        Warn,
        Response,
        "values",
        "add",
        "A response property can return a new enum value",
        "added the new '{1}' enum value to the '{0}' response property for the response status '{2}'"
    ),
];

#[test]
fn sarif_has_rules_results_and_regions() {
    let catalog: Vec<&Rule> = RULES.iter().collect();
    let out = sarif::render_with_rules(&entries(), &catalog);
    insta::assert_snapshot!(out);
    let v: serde_json::Value = serde_json::from_str(&out).expect("valid JSON");
    assert_eq!(v["version"], "2.1.0");
    let results = v["runs"][0]["results"].as_array().expect("results");
    assert_eq!(results.len(), 4);
    assert_eq!(results[1]["ruleIndex"], 1);
    assert_eq!(results[1]["level"], "warning");
    let loc = &results[1]["locations"][0]["physicalLocation"];
    assert_eq!(loc["artifactLocation"]["uri"], "rev.yaml");
    assert_eq!(loc["region"]["startLine"], 77);
    assert!(
        results[2]["locations"][0]["physicalLocation"]
            .get("region")
            .is_none()
    );
    assert!(
        results[2].get("ruleIndex").is_none(),
        "id not in the given catalog"
    );
    assert_eq!(
        results[3]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "dir%20with%20space/base.yaml"
    );
}

#[test]
fn every_format_is_deterministic() {
    for f in [
        Format::Text,
        Format::Json,
        Format::Yaml,
        Format::Markdown,
        Format::Junit,
        Format::Githubactions,
        Format::Sarif,
        Format::Html,
    ] {
        assert_eq!(render(f), render(f), "{f:?}");
    }
}

#[test]
fn html_escapes_spec_text_and_links_only_inside_the_document() {
    let out = render(Format::Html);
    assert!(out.starts_with("<!DOCTYPE html>"), "{out}");
    assert!(!out.contains("<b>") && !out.to_ascii_lowercase().contains("<script"));
    assert_eq!(
        out.matches("<td data-label=\"Level\">").count(),
        4,
        "one row per change"
    );
    for (i, _) in out.match_indices("href=\"") {
        assert!(out[i + 6..].starts_with('#'), "{}", &out[i..]);
    }
}

/// The report of a real diff with a consumes contract, run through the binary: the
/// counts, the verdict (status at risk), the changes by operation with consumed marks
/// and `file:line:col` in both documents, the rules cited.
#[test]
fn html_report_of_a_fixture_pair_with_a_contract() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/web");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_apidrift"))
        .args([
            "diff",
            "users-v1.yaml",
            "users-v2.yaml",
            "--format",
            "html",
            "--consumes",
            "users.consumes.yaml",
        ])
        .current_dir(&dir)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let html = String::from_utf8(out.stdout).unwrap();
    assert!(
        html.contains("users-v2.yaml:"),
        "revision locations: {html}"
    );
    assert!(html.contains("class=\"badge s-at_risk\""), "{html}");
    insta::assert_snapshot!(html);
}

//! The visibility sections of a monitor (`consumes`, `samples`, `preflight`) are typed
//! and validated with `file:line:col` diagnostics, and `diff --consumes` applies the
//! same contract in CI (a monitor file or a bare `consumes:` file).

use std::path::Path;
use std::process::Command;

const MONITOR: &str = r#"name: a
owner: x@example.com
schedule: "* * * * *"
spec:
  url: https://vendor.example/openapi.json
consumes:
  - operation: GET /users
    entity: user
    fields: [id, "roles[.name"]
    item: data
samples:
  - name: users
    operation: POST /users
    url: https://vendor.example/users
  - name: users
    operation: GET /users
    url: https://vendor.example/users
    items: data
    auth: {bearer_env: APIDRIFT_TEST_SURELY_UNSET_SAMPLE_TOKEN}
preflight: block_on_at_risk
"#;

#[test]
fn samples_and_consumes_problems_are_reported_at_their_place() {
    let d = tempfile::tempdir().unwrap();
    std::fs::create_dir(d.path().join("monitors")).unwrap();
    std::fs::write(d.path().join("monitors/a.yaml"), MONITOR).unwrap();
    let v = apidrift::monitor::load(&d.path().join("apidrift.yaml"), false);
    let got: Vec<(String, Option<u32>, Option<u32>)> = v
        .files
        .iter()
        .flat_map(|f| &f.diagnostics)
        .map(|d| (d.code.to_string(), d.line, d.column))
        .collect();
    let want = [
        ("consumes-bad-field", 9, 5),
        ("consumes-bad-item", 10, 5),
        ("sample-not-get", 13, 5),
        ("sample-duplicate-name", 15, 5),
        ("sample-items", 18, 5),
        ("monitor-missing-secret", 19, 12),
    ];
    let want: Vec<(String, Option<u32>, Option<u32>)> = want
        .iter()
        .map(|(c, l, col)| (c.to_string(), Some(*l), Some(*col)))
        .collect();
    assert_eq!(got, want);
    assert!(v.config.monitors.is_empty());
}

#[test]
fn a_valid_contract_is_typed_on_the_monitor() {
    let d = tempfile::tempdir().unwrap();
    std::fs::create_dir(d.path().join("monitors")).unwrap();
    std::fs::write(d.path().join("tok"), "t\n").unwrap();
    let text = MONITOR
        .replace("\"roles[.name\"", "\"roles[].name\"")
        .replace("    item: data\n", "    item: /data\n")
        .replace("operation: POST /users", "operation: GET /users")
        .replace("  - name: users\n    operation: GET /users\n    url: https://vendor.example/users\n    items: data", "  - name: second\n    operation: GET /users\n    url: https://vendor.example/users?limit=5\n    items: /data\n    item_drop_share: 0.25")
        .replace("{bearer_env: APIDRIFT_TEST_SURELY_UNSET_SAMPLE_TOKEN}", "{bearer_file: ../tok}");
    std::fs::write(d.path().join("monitors/a.yaml"), text).unwrap();
    let v = apidrift::monitor::load(&d.path().join("apidrift.yaml"), false);
    assert_eq!(v.errors(), 0, "{:#?}", v.files);
    let m = &v.config.monitors["a"];
    let vis = &m.visibility;
    assert_eq!(vis.consumes.0[0].fields[1].path, "roles[].name");
    assert_eq!(vis.samples.len(), 2);
    assert_eq!(vis.consumes.0[0].item.as_deref(), Some("/data"));
    assert_eq!(vis.samples[0].items, None);
    assert_eq!(vis.samples[1].items.as_deref(), Some("/data"));
    assert_eq!(vis.samples[1].item_drop_share, 0.25);
    assert!(vis.samples[1].auth.is_some());
    assert_eq!(
        vis.preflight,
        apidrift::impact::PreflightPolicy::BlockOnAtRisk
    );
}

fn diff(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_apidrift"))
        .arg("diff")
        .args(args)
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn specs(d: &Path) -> (String, String) {
    let base = r#"{"openapi":"3.0.3","info":{"title":"t","version":"1"},"paths":{"/users":{"get":{"responses":{"200":{"description":"ok","content":{"application/json":{"schema":{"type":"array","items":{"type":"object","properties":{"id":{"type":"string"},"lastLogin":{"type":"string"},"nick":{"type":"string"}}}}}}}}}}}}"#;
    let rev = base
        .replace(
            r#""lastLogin":{"type":"string"},"#,
            r#""lastLoginAt":{"type":"string"},"#,
        )
        .replace(r#","nick":{"type":"string"}"#, "");
    std::fs::write(d.join("base.json"), base).unwrap();
    std::fs::write(d.join("rev.json"), rev).unwrap();
    (
        d.join("base.json").display().to_string(),
        d.join("rev.json").display().to_string(),
    )
}

#[test]
fn diff_consumes_marks_raises_and_prints_the_verdict() {
    let d = tempfile::tempdir().unwrap();
    let (b, r) = specs(d.path());
    let c = d.path().join("c.yaml");
    std::fs::write(
        &c,
        "consumes:\n  - operation: GET /users\n    entity: user\n    fields: [id, lastLogin]\n",
    )
    .unwrap();
    let cs = c.display().to_string();
    let (code, out, err) = diff(&[&b, &r, "--consumes", &cs, "--format", "json"]);
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["verdict"]["visibility"], 0.5);
    assert_eq!(
        v["verdict"]["fields"]["lost"],
        serde_json::json!(["GET /users lastLogin"])
    );
    assert_eq!(
        v["verdict"]["possible_renames"][0]["possible_rename"],
        "lastLoginAt"
    );
    let changes = v["changes"].as_array().unwrap();
    let consumed: Vec<(&str, bool, u64)> = changes
        .iter()
        .map(|c| {
            (
                c["id"].as_str().unwrap(),
                c["consumed"].as_bool().unwrap(),
                c["level"].as_u64().unwrap(),
            )
        })
        .collect();
    // lastLogin removed: consumed, raised to ERR; lastLoginAt added and nick removed:
    // unconsumed, their own levels.
    assert!(
        consumed.contains(&("response-optional-property-removed", true, 3)),
        "{consumed:?}"
    );
    assert!(
        consumed
            .iter()
            .any(|(id, c, _)| *id == "response-optional-property-removed" && !c)
    );

    let (_, only, _) = diff(&[
        &b,
        &r,
        "--consumes",
        &cs,
        "--only-consumed",
        "--format",
        "json",
    ]);
    let v: serde_json::Value = serde_json::from_str(&only).unwrap();
    assert!(
        v["changes"]
            .as_array()
            .unwrap()
            .iter()
            .all(|c| c["consumed"] == true)
    );
    assert_eq!(v["changes"].as_array().unwrap().len(), 1);

    let (_, text, _) = diff(&[&b, &r, "--consumes", &cs]);
    assert!(
        text.contains("visibility 0.50: 2 consumed field(s): 1 ok, 0 at_risk, 1 lost"),
        "{text}"
    );
    assert!(
        text.contains("possible rename: lastLogin -> lastLoginAt"),
        "{text}"
    );

    // An unknown consumed field: exit 5 with a near miss, located in the file.
    std::fs::write(
        &c,
        "consumes:\n  - operation: GET /users\n    entity: user\n    fields:\n      - id\n      - lastlogin\n",
    )
    .unwrap();
    let (code, _, err) = diff(&[&b, &r, "--consumes", &cs]);
    assert_eq!(code, 5);
    assert!(err.contains("c.yaml:6:7"), "{err}");
    assert!(err.contains("did you mean `lastLogin`?"), "{err}");
}

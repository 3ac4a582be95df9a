//! `apidrift validate` on real files: every problem at once as `file:line:col` with a
//! hint, one status line per file, its own exit code; `check` refuses to start on the
//! same problems; the bundled configuration validates.

use std::process::{Command, Output};

fn apidrift(dir: &str, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_apidrift"))
        .args(args)
        .current_dir(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(dir))
        .env_remove("APIDRIFT_TEST_UNSET_TOKEN")
        .output()
        .expect("run apidrift")
}

const INVALID: &str = "tests/fixtures/monitor/invalid";

#[test]
fn validate_reports_every_problem_with_place_and_hint() {
    let out = apidrift(INVALID, &["validate", "--config", "apidrift.yaml"]);
    let text = String::from_utf8(out.stdout).unwrap();
    assert_eq!(out.status.code(), Some(5), "{text}");
    for expected in [
        "monitors/a-typo.yaml:3:1: error[config-unknown-field]: unknown field `shedule`",
        "= help: did you mean `schedule`?",
        "monitors/b-cron.yaml:3:1: error[monitor-bad-cron]: invalid cron expression `*/5 * * *`",
        "monitors/b-cron.yaml:4:1: error[config-duration]: `10x` is not a duration",
        "monitors/b-cron.yaml:7:10: error[monitor-missing-secret]: environment variable `APIDRIFT_TEST_UNSET_TOKEN` is not set",
        "monitors/c-dup.yaml:1:1: error[monitor-duplicate-name]: duplicate monitor name `bad-cron`",
        "first defined in monitors/b-cron.yaml",
        "monitors/c-dup.yaml:1:1: warning[monitor-no-owner]",
        "monitors/c-dup.yaml:4:3: error[monitor-unreadable-path]: cannot read `specs/missing.yaml`",
        "monitors/e-syntax.yaml:3:1: error[config-invalid]",
        "√ apidrift.yaml",
        "x monitors/a-typo.yaml (monitor `typo`): 1 problem",
        "x monitors/b-cron.yaml (monitor `bad-cron`): 3 problems",
        "√ monitors/d-ok.yaml (monitor `fine`)",
        "1 monitor valid, 7 errors, 1 warning",
    ] {
        assert!(text.contains(expected), "missing {expected:?} in:\n{text}");
    }
}

#[test]
fn a_set_env_var_clears_the_missing_secret_error() {
    let out = Command::new(env!("CARGO_BIN_EXE_apidrift"))
        .args(["validate", "--config", "apidrift.yaml"])
        .current_dir(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(INVALID))
        .env("APIDRIFT_TEST_UNSET_TOKEN", "s3cr3t-value")
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(!text.contains("monitor-missing-secret"), "{text}");
    assert!(!text.contains("s3cr3t-value"), "a secret value was printed");
    assert!(text.contains("6 errors"), "{text}");
}

#[test]
fn validate_json_lists_files_and_diagnostics() {
    let out = apidrift(
        INVALID,
        &["validate", "--config", "apidrift.yaml", "--format", "json"],
    );
    assert_eq!(out.status.code(), Some(5));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["ok"], false);
    assert_eq!(v["errors"], 7);
    assert_eq!(v["monitors"], serde_json::json!(["fine"]));
    let typo = v["files"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["file"] == "monitors/a-typo.yaml")
        .unwrap();
    assert_eq!(typo["status"], "error");
    assert_eq!(typo["diagnostics"][0]["line"], 3);
    assert_eq!(typo["diagnostics"][0]["code"], "config-unknown-field");
}

#[test]
fn check_and_run_refuse_an_invalid_config_with_the_same_output() {
    for cmd in ["check", "run"] {
        let out = apidrift(INVALID, &[cmd, "--config", "apidrift.yaml"]);
        assert_eq!(out.status.code(), Some(5), "{cmd}");
        let err = String::from_utf8(out.stderr).unwrap();
        assert!(
            err.contains("monitors/a-typo.yaml:3:1: error[config-unknown-field]"),
            "{err}"
        );
        assert!(err.contains("refusing to start"), "{err}");
    }
}

#[test]
fn the_bundled_configuration_validates_and_warnings_can_be_denied() {
    let out = apidrift(".", &["validate"]);
    let text = String::from_utf8(out.stdout).unwrap();
    assert_eq!(out.status.code(), Some(0), "{text}");
    assert!(text.contains("√ monitors/twilio-iam.yaml"), "{text}");
    // A monitor without an owner is a warning: `~`, exit 0, or 5 with --deny-warnings.
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("monitors")).unwrap();
    std::fs::write(dir.path().join("s.yaml"), "openapi: 3.0.0\n").unwrap();
    std::fs::write(
        dir.path().join("monitors/a.yaml"),
        "name: a\nschedule: '* * * * *'\nspec: {path: ../s.yaml}\n",
    )
    .unwrap();
    let run = |extra: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_apidrift"))
            .arg("validate")
            .args(extra)
            .current_dir(dir.path())
            .output()
            .unwrap()
    };
    let out = run(&[]);
    let text = String::from_utf8(out.stdout).unwrap();
    assert_eq!(out.status.code(), Some(0), "{text}");
    assert!(text.contains("~ monitors/a.yaml"), "{text}");
    assert_eq!(run(&["--deny-warnings"]).status.code(), Some(5));
}

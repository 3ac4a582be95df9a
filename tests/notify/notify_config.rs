//! `smtp`, `webhooks` and a monitor's `notify:` are typed and validated with
//! `file:line:col` diagnostics: unknown webhook name with a did-you-mean, a missing env
//! var, a bad email address, an unknown key; a valid section is typed on the monitor.

use apidrift::monitor;
use std::path::Path;

fn write(dir: &Path, global: &str, monitor: &str) -> std::path::PathBuf {
    std::fs::create_dir_all(dir.join("monitors")).unwrap();
    std::fs::write(
        dir.join("spec.yaml"),
        "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\n",
    )
    .unwrap();
    std::fs::write(dir.join("hook.secret"), "s3cret\n").unwrap();
    std::fs::write(dir.join("apidrift.yaml"), global).unwrap();
    std::fs::write(dir.join("monitors/users.yaml"), monitor).unwrap();
    dir.join("apidrift.yaml")
}

const GLOBAL: &str = "smtp:\n  host: smtp.example.com\n  port: 587\n  tls: starttls\n  from: apidrift@example.com\nwebhooks:\n  - name: agent\n    url: https://agent.example/hook\n    secret: {file: hook.secret}\n    timeout: 5s\n";

fn monitor_with(notify: &str) -> String {
    format!(
        "name: users\nowner: team@example.com\nschedule: \"*/5 * * * *\"\nspec:\n  path: ../spec.yaml\n{notify}"
    )
}

#[test]
fn a_valid_notify_section_is_typed_on_the_monitor() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = write(
        dir.path(),
        GLOBAL,
        &monitor_with(
            "notify:\n  email: [oncall@example.com]\n  webhook: [agent]\n  command: {argv: [/bin/cat], timeout: 5s}\n  remind_after: 12h\n  failing_after: 30m\n",
        ),
    );
    let v = monitor::load(&cfg, true);
    assert_eq!(v.errors(), 0, "{:#?}", v.files);
    let n = v.config.monitors["users"].notify.clone().expect("typed");
    assert_eq!(n.email, vec!["oncall@example.com"]);
    assert_eq!(n.webhooks, vec!["agent"]);
    assert_eq!(n.remind_after.as_secs(), 12 * 3600);
    assert_eq!(n.failing_after.as_secs(), 1800);
    assert_eq!(n.command.unwrap().argv, vec!["/bin/cat"]);
    let smtp = v.config.smtp.unwrap();
    assert_eq!((smtp.host.as_str(), smtp.port), ("smtp.example.com", 587));
    assert_eq!(v.config.webhooks[0].name, "agent");
}

#[test]
fn notify_problems_are_reported_at_their_place_with_hints() {
    let dir = tempfile::tempdir().unwrap();
    let global = format!(
        "{GLOBAL}  - name: pager\n    url: https://pager.example/hook\n    secret: {{env: APIDRIFT_TEST_NO_SUCH_VAR_31}}\n"
    );
    let cfg = write(
        dir.path(),
        &global,
        &monitor_with(
            "notify:\n  email: [oncall@example.com, not-an-address]\n  webhook: [agnet]\n  remind_afer: 1h\n",
        ),
    );
    let v = monitor::load(&cfg, true);
    let all: Vec<String> = v
        .files
        .iter()
        .flat_map(|f| &f.diagnostics)
        .map(|d| {
            format!(
                "{}:{}:{} {} {} help={:?}",
                d.file
                    .clone()
                    .unwrap_or_default()
                    .rsplit('/')
                    .next()
                    .unwrap(),
                d.line.unwrap_or(0),
                d.column.unwrap_or(0),
                d.code,
                d.message,
                d.help
            )
        })
        .collect();
    let has = |needle: &str| all.iter().any(|d| d.contains(needle));
    assert!(
        has(
            "apidrift.yaml:13:5 config-missing-secret environment variable `APIDRIFT_TEST_NO_SUCH_VAR_31` is not set"
        ),
        "{all:#?}"
    );
    // The unknown key stops the section; fix it and the rest is reported.
    assert!(
        has(
            "users.yaml:9:3 config-unknown-field unknown field `remind_afer` help=Some(\"did you mean `remind_after`?\")"
        ),
        "{all:#?}"
    );
    assert!(
        !v.config.monitors.contains_key("users"),
        "an invalid notify section rejects the monitor"
    );

    let cfg = write(
        dir.path(),
        &global,
        &monitor_with(
            "notify:\n  email: [oncall@example.com, not-an-address]\n  webhook: [agnet]\n",
        ),
    );
    let v = monitor::load(&cfg, true);
    let all: Vec<String> = v
        .files
        .iter()
        .flat_map(|f| &f.diagnostics)
        .map(|d| {
            format!(
                "{}:{} {} {} help={:?}",
                d.line.unwrap_or(0),
                d.column.unwrap_or(0),
                d.code,
                d.message,
                d.help
            )
        })
        .collect();
    let has = |needle: &str| all.iter().any(|d| d.contains(needle));
    assert!(
        has("7:31 monitor-email `not-an-address` is not an email address"),
        "{all:#?}"
    );
    assert!(
        has(
            "8:13 monitor-unknown-webhook unknown webhook `agnet` help=Some(\"did you mean `agent`?\")"
        ),
        "{all:#?}"
    );
}

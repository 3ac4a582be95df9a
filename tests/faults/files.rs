//! Corrupt or foreign files found on start, by the real `apidrift run`: a truncated
//! state file, an outbox entry that is not JSON, a baseline object whose bytes do not
//! match the digest in its name. Each gets one clear log line naming the file, its
//! integration is `failing{internal}` (never `parse`, which means the vendor), and the
//! daemon goes on checking and notifying for the others.

use crate::daemon_support::{Mode, Vendor, spec};
use crate::faults_support::{Daemon, Hooks, wait_for};
use apidrift::baseline::Store;
use std::time::Duration;

#[test]
fn corrupt_files_on_start_fail_their_integration_as_internal_and_the_rest_goes_on() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let vendor = rt.block_on(Vendor::start(Mode::Spec(spec("v2.yaml"))));
    let (hooks, hook_url) = Hooks::start(&rt);
    std::fs::create_dir_all(d.join("monitors")).unwrap();
    std::fs::write(d.join("hook.secret"), "faults-secret-1\n").unwrap();
    std::fs::write(
        d.join("apidrift.yaml"),
        format!(
            "retries: 0\nreload_interval: 200ms\nshutdown_timeout: 5s\n\
             webhooks:\n  - name: agent\n    url: {hook_url}\n    secret: {{file: hook.secret}}\n    timeout: 2s\n"
        ),
    )
    .unwrap();
    let monitor = |name: &str, schedule: &str, notify: bool| {
        let n = if notify {
            "notify:\n  webhook: [agent]\n"
        } else {
            ""
        };
        format!(
            "name: {name}\nschedule: \"{schedule}\"\ntimeout: 2s\nspec:\n  url: {}\nconfirm_after: 1\n{n}",
            vendor.url
        )
    };
    // `good` drifts (v1 accepted, v2 served) and notifies; `torn` would too, but its
    // state file is cut and it is not due for a year; `foreign`'s baseline object
    // was replaced by other bytes.
    for (name, schedule, notify) in [
        ("good", "* * * * * *", true),
        ("torn", "0 0 1 1 *", false),
        ("foreign", "* * * * * *", false),
    ] {
        std::fs::write(
            d.join(format!("monitors/{name}.yaml")),
            monitor(name, schedule, notify),
        )
        .unwrap();
    }
    let store = Store::new(d.join("baselines"));
    let now = chrono::Utc::now();
    for name in ["good", "torn"] {
        store
            .accept(name, &spec("v1.yaml"), &vendor.url, "test", "initial", now)
            .unwrap();
    }
    let mut own = spec("v1.yaml");
    own.extend_from_slice(b"# the foreign integration's own approval\n");
    let rec = store
        .accept("foreign", &own, &vendor.url, "test", "initial", now)
        .unwrap();
    let object = d.join("baselines").join(&rec.object);
    std::fs::write(&object, spec("v2.yaml")).unwrap();

    let state = d.join("state");
    std::fs::create_dir_all(state.join("notify/outbox/pending")).unwrap();
    let full = br#"{"integration": "torn", "status": "ok", "last_result": "ok", "changes": []}"#;
    std::fs::write(state.join("torn.json"), &full[..full.len() / 2]).unwrap();
    let garbage = state.join("notify/outbox/pending/0badc0de.json");
    std::fs::write(&garbage, "this is not an outbox entry {").unwrap();

    let daemon = Daemon::start(d);

    // torn: failing{internal} at once, naming its file; the file is moved aside.
    let torn = daemon.integration("torn").expect("torn is served");
    assert_eq!(torn["status"], "failing", "{torn:#}");
    assert_eq!(torn["failure"]["reason"], "internal", "{torn:#}");
    let msg = torn["failure"]["message"].as_str().unwrap_or_default();
    assert!(msg.contains("torn.json"), "{msg}");
    let aside: Vec<_> = std::fs::read_dir(&state)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("torn.json.corrupt-"))
        .collect();
    assert_eq!(aside.len(), 1, "{aside:?}");
    assert_eq!(
        daemon.metric(r#"apidrift_check_failures_total{integration="torn",reason="internal"}"#),
        Some(1.0)
    );

    // foreign: its first check fails as internal, naming the object; never drift.
    let foreign = wait_for("foreign failing", Duration::from_secs(20), || {
        let i = daemon.integration("foreign")?;
        (i["status"] == "failing").then_some(i)
    });
    assert_eq!(foreign["failure"]["reason"], "internal", "{foreign:#}");
    let msg = foreign["failure"]["message"].as_str().unwrap_or_default();
    assert!(msg.contains(&rec.object), "{msg}");
    assert!(foreign["drift"].is_null(), "{foreign:#}");

    // good: drift confirmed and its webhook delivered despite the foreign outbox file.
    wait_for("the webhook of good", Duration::from_secs(20), || {
        hooks
            .seen()
            .iter()
            .any(|(ev, _, body)| ev == "drift.confirmed" && body["integration"]["name"] == "good")
            .then_some(())
    });
    let good = daemon.integration("good").unwrap();
    assert_eq!(good["status"], "drifted", "{good:#}");
    assert!(
        !garbage.exists(),
        "the foreign outbox file is still pending"
    );
    assert!(state.join("notify/outbox/corrupt/0badc0de.json").exists());

    // Several more outbox passes and checks later, each file was logged once.
    let checks = r#"apidrift_checks_total{integration="good",result="unchanged"}"#;
    wait_for("three more checks of good", Duration::from_secs(20), || {
        (daemon.metric(checks)? >= 3.0).then_some(())
    });
    let log = daemon.log_text();
    let lines = |needle: &str| log.lines().filter(|l| l.contains(needle)).count();
    assert_eq!(lines("0badc0de.json"), 1, "{log}");
    assert_eq!(lines("state file unreadable"), 1, "{log}");
    assert!(log.contains("torn.json"), "{log}");
    assert!(lines(&rec.object) >= 1, "{log}");
    // The others were checked all along.
    assert!(
        daemon.metric(r#"apidrift_checks_total{integration="good",result="drift"}"#) >= Some(1.0)
    );
}

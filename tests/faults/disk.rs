//! The state directory fails under the running `apidrift run`: full (a small tmpfs,
//! filled), read-only (a read-only bind mount over it), deleted. Checks go on, each failure
//! is logged once (not once per check) and exported (`apidrift_state_writable`,
//! `apidrift_state_write_errors_total`), nothing written before is corrupted, and
//! writing resumes when the disk is back. Needs root (mount); refuses clearly without.

use crate::daemon_support::{Mode, Vendor, spec};
use crate::faults_support::{Daemon, Hooks, wait_for};
use apidrift::baseline::Store;
use apidrift::state::IntegrationState;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

/// A mount made for the test (a tmpfs, a read-only bind), unmounted when dropped.
struct Tmpfs(PathBuf);

impl Tmpfs {
    fn mount(at: &Path, size: &str) -> Tmpfs {
        std::fs::create_dir_all(at).unwrap();
        let out = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(at)
            .output()
            .unwrap_or_else(|e| panic!("this test needs `mount` (util-linux): {e}"));
        assert!(
            out.status.success(),
            "this test mounts a small tmpfs as the state directory and needs root (CAP_SYS_ADMIN): {}",
            String::from_utf8_lossy(&out.stderr)
        );
        Tmpfs(at.to_path_buf())
    }

    /// Makes `dir` read-only: a read-only bind mount of it onto itself. (Remounting the
    /// tmpfs `ro` is refused while the daemon holds a file open for writing, its
    /// state lock; a new bind mount has no writers yet.)
    fn read_only(dir: &Path) -> Tmpfs {
        let out = Command::new("mount")
            .args(["--bind", "-o", "ro"])
            .arg(dir)
            .arg(dir)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        Tmpfs(dir.to_path_buf())
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg("-l").arg(&self.0).status();
    }
}

/// Every file under `dir` with its bytes.
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if let Ok(b) = std::fs::read(&p) {
                out.insert(p, b);
            }
        }
    }
    out
}

/// What was written before a fault is still there and readable: every state file
/// parses, every history log still starts with what it held, the outbox and the
/// tracker's files parse as JSON.
fn nothing_torn(before: &BTreeMap<PathBuf, Vec<u8>>, state: &Path) {
    let now = snapshot(state);
    for (p, old) in before {
        let name = p.file_name().unwrap().to_string_lossy().into_owned();
        if name.starts_with('.') {
            continue;
        }
        let Some(new) = now.get(p) else {
            // Outbox entries move from pending/ to acked/ when delivered.
            assert!(
                p.to_string_lossy().contains("/pending/"),
                "{} vanished",
                p.display()
            );
            continue;
        };
        if name.ends_with(".jsonl") {
            assert!(new.starts_with(old), "{}: history rewritten", p.display());
        } else if p.parent() == Some(state) && name.ends_with(".json") {
            let st: Result<IntegrationState, _> = serde_json::from_slice(new);
            assert!(st.is_ok(), "{}: {:?}", p.display(), st.err());
        } else if name.ends_with(".json") {
            let v: Result<serde_json::Value, _> = serde_json::from_slice(new);
            assert!(v.is_ok(), "{}: torn", p.display());
        }
    }
}

/// Fills the filesystem of `dir` with one file until a write fails.
fn fill(dir: &Path) -> PathBuf {
    use std::io::Write;
    let p = dir.join("filler");
    let mut f = std::fs::File::create(&p).unwrap();
    let chunk = vec![0u8; 4096];
    while f.write_all(&chunk).and_then(|()| f.flush()).is_ok() {}
    p
}

#[test]
fn a_full_read_only_or_deleted_state_directory_is_logged_once_and_writing_resumes() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let _mnt = Tmpfs::mount(&d.join("mnt"), "2m");
    let state = d.join("mnt/state");
    let ok_vendor = rt.block_on(Vendor::start(Mode::Spec(spec("v1.yaml"))));
    let drift_vendor = rt.block_on(Vendor::start(Mode::Spec(spec("v2.yaml"))));
    let (hooks, hook_url) = Hooks::start(&rt);
    std::fs::create_dir_all(d.join("monitors")).unwrap();
    std::fs::write(d.join("hook.secret"), "faults-secret-2\n").unwrap();
    std::fs::write(
        d.join("apidrift.yaml"),
        format!(
            "state: mnt/state\nretries: 0\nreload_interval: 200ms\nshutdown_timeout: 5s\n\
             webhooks:\n  - name: agent\n    url: {hook_url}\n    secret: {{file: hook.secret}}\n    timeout: 2s\n\
             outbox:\n  retry_base: 200ms\n  retry_max_delay: 1s\n  max_attempts: 1000\n"
        ),
    )
    .unwrap();
    for (name, url, notify) in [
        ("ok", &ok_vendor.url, ""),
        ("drift", &drift_vendor.url, "notify:\n  webhook: [agent]\n"),
    ] {
        std::fs::write(
            d.join(format!("monitors/{name}.yaml")),
            format!("name: {name}\nschedule: \"* * * * * *\"\ntimeout: 2s\nspec:\n  url: {url}\nconfirm_after: 2\n{notify}"),
        )
        .unwrap();
        Store::new(d.join("baselines"))
            .accept(
                name,
                &spec("v1.yaml"),
                url,
                "test",
                "initial",
                chrono::Utc::now(),
            )
            .unwrap();
    }
    let daemon = Daemon::start(d);
    let checks = |daemon: &Daemon| {
        let m = daemon.get("/metrics")?;
        let v = |r: &str| {
            crate::faults_support::metric_value(
                &m,
                &format!(r#"apidrift_checks_total{{integration="ok",result="{r}"}}"#),
            )
        };
        Some(v("ok")? + v("unchanged")?)
    };
    let writable = |daemon: &Daemon| daemon.metric("apidrift_state_writable");
    let confirmed = || {
        hooks
            .seen()
            .iter()
            .filter(|(ev, _, _)| ev == "drift.confirmed")
            .map(|(_, id, _)| id.clone())
            .collect::<Vec<_>>()
    };
    wait_for("the drift's webhook", Duration::from_secs(30), || {
        (!confirmed().is_empty()).then_some(())
    });
    assert_eq!(writable(&daemon), Some(1.0));
    let log_lines = |needle: &str| {
        daemon
            .log_fields()
            .iter()
            .filter(|f| {
                f["writer"] == "state" && f["message"].as_str().is_some_and(|m| m.contains(needle))
            })
            .count()
    };
    let failed_line = "cannot write under the state directory";

    for (round, fault) in ["full", "read-only"].into_iter().enumerate() {
        let before = snapshot(&state);
        let base = checks(&daemon).unwrap();
        let (filler, ro) = match fault {
            "full" => (Some(fill(&d.join("mnt"))), None),
            _ => (None, Some(Tmpfs::read_only(&state))),
        };
        wait_for(
            &format!("{fault}: writable 0"),
            Duration::from_secs(20),
            || (writable(&daemon)? == 0.0).then_some(()),
        );
        // Checks go on: three more of `ok`, each failing to save, one log line.
        wait_for(
            &format!("{fault}: checks go on"),
            Duration::from_secs(20),
            || (checks(&daemon)? >= base + 3.0).then_some(()),
        );
        assert_eq!(
            log_lines(failed_line),
            round + 1,
            "{fault}:\n{}",
            daemon.log_text()
        );
        let errors = daemon
            .metric(r#"apidrift_state_write_errors_total{writer="state"}"#)
            .unwrap();
        assert!(
            errors >= 3.0,
            "{fault}: {errors} state write errors counted"
        );
        if let Some(f) = filler {
            std::fs::remove_file(f).unwrap();
        }
        drop(ro);
        let back = chrono::Utc::now();
        wait_for(
            &format!("{fault}: writable again"),
            Duration::from_secs(20),
            || (writable(&daemon)? == 1.0).then_some(()),
        );
        wait_for(
            &format!("{fault}: the state is saved again"),
            Duration::from_secs(20),
            || {
                let st: IntegrationState =
                    serde_json::from_slice(&std::fs::read(state.join("ok.json")).ok()?).ok()?;
                (st.last_check? > back).then_some(())
            },
        );
        nothing_torn(&before, &state);
        println!("{fault}: checks went on, {errors} state write errors counted, writing resumed");
    }
    let ids = confirmed();
    let mut distinct = ids.clone();
    distinct.sort();
    distinct.dedup();
    assert_eq!(distinct.len(), 1, "one drift, one delivery id: {ids:?}");
    println!(
        "drift.confirmed: {} delivery(ies), {} distinct",
        ids.len(),
        distinct.len()
    );

    // Deleted: the directory goes; checks go on and write it anew.
    let base = checks(&daemon).unwrap();
    std::fs::remove_dir_all(&state).unwrap();
    wait_for(
        "deleted: ok.json written anew",
        Duration::from_secs(20),
        || {
            let st: IntegrationState =
                serde_json::from_slice(&std::fs::read(state.join("ok.json")).ok()?).ok()?;
            st.last_check.map(|_| ())
        },
    );
    wait_for("deleted: checks go on", Duration::from_secs(20), || {
        (checks(&daemon)? >= base + 3.0).then_some(())
    });
    assert_eq!(writable(&daemon), Some(1.0));
    assert!(daemon.get("/readyz").is_some());
    println!("deleted: the state directory was written anew; checks went on");
}

//! The `/metrics` page of a running daemon against a golden file, and through
//! `promtool check metrics` (which must report nothing). Series whose values depend on
//! time (timestamps, durations, the number of `unchanged` polls) are dropped by the
//! patterns in `VOLATILE` before comparing. `UPDATE_GOLDEN=1` rewrites the golden file.

use apidrift::baseline::Store;
use apidrift::monitor;
use std::path::Path;
use std::time::{Duration, Instant};

const VOLATILE: &[&str] = &[
    r"^apidrift_(last_check|last_success|baseline_accepted)_timestamp_seconds\{",
    r"^apidrift_check_duration_seconds_(bucket|sum|count)\{",
    r#"^apidrift_checks_total\{integration="[a-z-]+",result="unchanged"\}"#,
    r"^apidrift_build_info\{",
    r"^apidrift_config_last_reload_success_timestamp_seconds ",
];

/// The contract of `users`: one operation kept, one removed by v2 (so the verdict
/// series show a lost field and a ratio below 1).
const CONSUMES: &str = "consumes:\n  - operation: GET /users\n    entity: user\n    fields: [id]\n  - operation: GET /users/{id}\n    entity: user\n    fields: [id, email]\n";

fn fixture(rel: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/monitor")
        .join(rel)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn metrics_match_the_golden_file_and_pass_promtool() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::create_dir(d.join("monitors")).unwrap();
    std::fs::copy(fixture("specs/v2.yaml"), d.join("spec.yaml")).unwrap();
    std::fs::write(d.join("apidrift.yaml"), "shutdown_timeout: 5s\n").unwrap();
    for (name, confirm) in [("users", 1), ("orphan", 1)] {
        std::fs::write(
            d.join(format!("monitors/{name}.yaml")),
            format!("name: {name}\nowner: me@example.com\nschedule: '* * * * * *'\nspec:\n  path: ../spec.yaml\nconfirm_after: {confirm}\n{}", if name == "users" { CONSUMES } else { "" }),
        )
        .unwrap();
    }
    Store::new(d.join("baselines"))
        .accept(
            "users",
            &std::fs::read(fixture("specs/v1.yaml")).unwrap(),
            "v1",
            "t",
            "r",
            chrono::Utc::now(),
        )
        .unwrap();
    let v = monitor::load(&d.join("apidrift.yaml"), true);
    assert_eq!(v.errors(), 0);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let (_reload, reloads) = tokio::sync::mpsc::channel(1);
    let done = tokio::spawn(apidrift::daemon::run(
        listener,
        v.config,
        async {
            let _ = stopped.await;
        },
        reloads,
    ));

    let end = Instant::now() + Duration::from_secs(10);
    let text = loop {
        let t = reqwest::get(format!("{base}/metrics"))
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        if t.contains(r#"apidrift_checks_total{integration="users",result="drift"} 1"#)
            && t.contains(r#"apidrift_checks_total{integration="orphan",result="no_baseline"} 1"#)
        {
            break t;
        }
        assert!(Instant::now() < end, "no check recorded:\n{t}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    stop.send(()).unwrap();
    done.await.unwrap().unwrap();

    let res: Vec<regex::Regex> = VOLATILE
        .iter()
        .map(|p| regex::Regex::new(p).unwrap())
        .collect();
    let stable: String = text
        .lines()
        .filter(|l| !res.iter().any(|r| r.is_match(l)))
        .map(|l| format!("{l}\n"))
        .collect();
    let golden = fixture("metrics.golden");
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(&golden, &stable).unwrap();
    }
    let want = std::fs::read_to_string(&golden).unwrap_or_else(|e| {
        panic!(
            "{}: {e}; run with UPDATE_GOLDEN=1 to create it",
            golden.display()
        )
    });
    assert_eq!(stable, want, "metrics differ from {}", golden.display());

    let mut child = std::process::Command::new("promtool")
        .args(["check", "metrics"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("promtool is needed for this test (Debian package `prometheus`)");
    use std::io::Write;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(text.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    let report = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        out.status.success() && report.trim().is_empty(),
        "promtool: {report}"
    );
}

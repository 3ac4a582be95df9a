//! The real `apidrift run` binary and its signals: SIGHUP reloads the monitors without
//! a restart (keeping state), SIGTERM shuts down gracefully with exit 0.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

fn write_monitor(dir: &Path, name: &str) {
    std::fs::write(
        dir.join(format!("monitors/{name}.yaml")),
        format!(
            "name: {name}\nowner: me@example.com\nschedule: '* * * * * *'\nspec:\n  path: ../spec.yaml\n"
        ),
    )
    .unwrap();
}

fn signal(child: &Child, sig: &str) {
    let ok = Command::new("kill")
        .args([sig, &child.id().to_string()])
        .status()
        .expect("the `kill` command is needed to send signals")
        .success();
    assert!(ok, "kill {sig} failed");
}

fn names(base: &str) -> Vec<String> {
    let v: serde_json::Value = reqwest::blocking::get(format!("{base}/api/v1/integrations"))
        .and_then(|r| r.json())
        .unwrap_or_default();
    v["integrations"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|i| i["name"].as_str().map(String::from))
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn sighup_reloads_and_sigterm_stops_gracefully() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::create_dir(d.join("monitors")).unwrap();
    std::fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/monitor/specs/v1.yaml"),
        d.join("spec.yaml"),
    )
    .unwrap();
    // A long reload interval: only SIGHUP can make the new monitor appear in time.
    std::fs::write(
        d.join("apidrift.yaml"),
        "reload_interval: 1h\nshutdown_timeout: 5s\n",
    )
    .unwrap();
    write_monitor(d, "first");
    let mut child = Command::new(env!("CARGO_BIN_EXE_apidrift"))
        .args(["run", "--listen", "127.0.0.1:0"])
        .current_dir(d)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let base = line
        .trim()
        .strip_prefix("apidrift: listening on ")
        .unwrap_or_else(|| panic!("unexpected first line {line:?}"))
        .to_string();
    assert_eq!(names(&base), ["first"]);

    // Wait for a check of `first`, so its state exists before the reload.
    let end = Instant::now() + Duration::from_secs(10);
    while !d.join("state/first.json").exists() {
        assert!(Instant::now() < end, "first was never checked");
        std::thread::sleep(Duration::from_millis(100));
    }
    write_monitor(d, "second");
    signal(&child, "-HUP");
    let end = Instant::now() + Duration::from_secs(10);
    loop {
        if names(&base) == ["first", "second"] {
            break;
        }
        assert!(
            Instant::now() < end,
            "SIGHUP did not load `second`: {:?}",
            names(&base)
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    let v: serde_json::Value = reqwest::blocking::get(format!("{base}/api/v1/integrations"))
        .unwrap()
        .json()
        .unwrap();
    assert_ne!(
        v["integrations"][0]["last_check"],
        serde_json::Value::Null,
        "state was lost"
    );

    signal(&child, "-TERM");
    let end = Instant::now() + Duration::from_secs(10);
    let status = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break s;
        }
        assert!(Instant::now() < end, "SIGTERM did not stop the daemon");
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(status.success(), "{status:?}");
    // No temp file is left behind by a write cut short.
    let leftovers: Vec<_> = std::fs::read_dir(d.join("state"))
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().contains(".tmp."))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

//! `apidrift baseline accept|show|log` through the real binary, and the kill test: a
//! SIGKILL at a random moment of an accept leaves the old approval or the new one,
//! never a torn record or a record pointing at a missing or different object.

use apidrift::baseline::{Store, digest};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

fn fixture_spec(name: &str) -> Vec<u8> {
    std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/monitor/specs")
            .join(name),
    )
    .unwrap()
}

fn setup(dir: &Path) {
    std::fs::create_dir_all(dir.join("monitors")).unwrap();
    std::fs::write(dir.join("apidrift.yaml"), "monitors: monitors\n").unwrap();
    std::fs::write(
        dir.join("monitors/users.yaml"),
        "name: users\nowner: me@example.com\nschedule: '*/5 * * * *'\nspec:\n  path: ../current.yaml\n",
    )
    .unwrap();
}

fn apidrift(dir: &Path, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_apidrift"))
        .args(args)
        .current_dir(dir)
        .env("USER", "tester")
        .output()
        .unwrap()
}

#[test]
fn accept_show_log_and_check() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    setup(d);
    std::fs::write(d.join("current.yaml"), fixture_spec("v1.yaml")).unwrap();
    let out = apidrift(d, &["check"]);
    assert_eq!(out.status.code(), Some(4), "no baseline is exit 4");
    assert!(String::from_utf8_lossy(&out.stdout).contains("no_baseline"));

    let out = apidrift(d, &["baseline", "accept", "users", "--reason", "initial"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(apidrift(d, &["check"]).status.code(), Some(0));

    std::fs::write(d.join("current.yaml"), fixture_spec("v2.yaml")).unwrap();
    let out = apidrift(d, &["check", "users", "--format", "json"]);
    assert_eq!(out.status.code(), Some(1), "ERR drift is exit 1");
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let i = &v["integrations"][0];
    assert_eq!(i["status"], "drifted");
    assert_eq!(i["result"], "drift");
    assert!(
        i["changes"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["level"] == "Err" || c["level"] == "ERR" || c["level"] == 3)
    );

    let out = apidrift(
        d,
        &[
            "baseline",
            "accept",
            "users",
            "--reason",
            "vendor v2 reviewed",
            "--by",
            "alice",
        ],
    );
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        apidrift(d, &["check"]).status.code(),
        Some(0),
        "accepting clears the drift"
    );

    let show = String::from_utf8(apidrift(d, &["baseline", "show", "users"]).stdout).unwrap();
    assert!(
        show.contains(&format!("digest: {}", digest(&fixture_spec("v2.yaml")))),
        "{show}"
    );
    assert!(show.contains("by: alice"));
    let log = String::from_utf8(apidrift(d, &["baseline", "log", "users"]).stdout).unwrap();
    let lines: Vec<&str> = log.lines().collect();
    assert_eq!(lines.len(), 2, "{log}");
    assert!(lines[0].contains("by tester: initial"));
    assert!(lines[1].starts_with('*') && lines[1].contains("by alice: vendor v2 reviewed"));

    // A body that is not a spec is refused; nothing changes.
    std::fs::write(d.join("current.yaml"), "<html>maintenance</html>").unwrap();
    let out = apidrift(d, &["baseline", "accept", "users", "--reason", "oops"]);
    assert_eq!(out.status.code(), Some(3));
    let log = String::from_utf8(apidrift(d, &["baseline", "log", "users"]).stdout).unwrap();
    assert_eq!(log.lines().count(), 2);
    assert_eq!(apidrift(d, &["check", "nope"]).status.code(), Some(2));
}

#[test]
fn a_kill_during_accept_never_leaves_a_torn_baseline() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    setup(d);
    let versions = [fixture_spec("v1.yaml"), fixture_spec("v2.yaml")];
    let digests = [digest(&versions[0]), digest(&versions[1])];
    std::fs::write(d.join("current.yaml"), &versions[0]).unwrap();
    // Time a few whole accepts (the first run of a binary is often much slower than
    // the rest, so take the median), so kills land anywhere from start-up to after the
    // end. The span then adapts: a round that finished shrinks it, a killed one grows
    // it, which keeps the kills around the moment the accept writes, however fast or
    // loaded the machine is.
    let mut times = Vec::new();
    for i in 0..5 {
        std::fs::write(d.join("current.yaml"), &versions[i % 2]).unwrap();
        let t = std::time::Instant::now();
        let out = apidrift(d, &["baseline", "accept", "users", "--reason", "r"]);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        times.push(t.elapsed().as_micros() as u64);
    }
    times.sort_unstable();
    let mut span = (times[2] * 3 / 2).max(1_000);
    let max_span = span * 4;
    let store = Store::new(d.join("baselines"));
    let (mut killed, mut finished) = (0, 0);
    let mut i = 0;
    // At least 40 rounds, and on until a few accepts were interrupted (bounded).
    while i < 40 || (killed < 3 && i < 200) {
        let v = (i + 1) % 2;
        std::fs::write(d.join("current.yaml"), &versions[v]).unwrap();
        let mut child = Command::new(env!("CARGO_BIN_EXE_apidrift"))
            .args([
                "baseline",
                "accept",
                "users",
                "--reason",
                &format!("round {i}"),
            ])
            .current_dir(d)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_micros(fastrand::u64(0..span)));
        let _ = child.kill();
        let status = child.wait().unwrap();
        if status.success() {
            finished += 1;
            span = (span * 4 / 5).max(200);
        } else {
            killed += 1;
            span = (span * 11 / 10).min(max_span);
        }
        let rec = store
            .record("users")
            .unwrap_or_else(|e| panic!("round {i}: torn record: {e}"))
            .expect("a record exists");
        assert!(
            digests.contains(&rec.digest),
            "round {i}: unknown digest {}",
            rec.digest
        );
        let bytes = store
            .object(&rec)
            .unwrap_or_else(|e| panic!("round {i}: record points at a bad object: {e}"));
        assert_eq!(digest(&bytes), rec.digest);
        if status.success() {
            assert_eq!(
                rec.digest, digests[v],
                "round {i}: a finished accept must take effect"
            );
        }
        // Every complete log line parses; the record is one of them.
        let log = store.log("users").unwrap();
        assert!(
            log.contains(&rec),
            "round {i}: the record is not in the log"
        );
        i += 1;
    }
    eprintln!("killed {killed}, finished {finished} in {i} rounds");
    assert!(
        killed > 0,
        "no accept was ever interrupted; the test proved nothing"
    );
}

/// One process at a time checks and saves a state directory: `check` and `run` refuse
/// a directory another process holds (exit 5, naming the holder), and go ahead once it
/// is released.
#[test]
fn check_and_run_refuse_a_state_directory_another_process_holds() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    setup(d);
    std::fs::write(d.join("current.yaml"), fixture_spec("v1.yaml")).unwrap();
    let store = apidrift::state::Store::new(d.join("state"));
    let held = store.lock("the test's holder").unwrap();

    let out = apidrift(d, &["check"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(5), "{err}");
    assert!(err.contains("in use by another apidrift process"), "{err}");
    assert!(err.contains("the test's holder"), "{err}");
    assert!(
        !d.join("state/users.json").exists(),
        "a refused check must not write state"
    );

    let out = apidrift(d, &["run", "--listen", "127.0.0.1:0"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(5), "{err}");
    assert!(err.contains("in use by another apidrift process"), "{err}");
    assert!(
        !String::from_utf8_lossy(&out.stdout).contains("listening"),
        "refused before listening"
    );

    drop(held);
    let out = apidrift(d, &["check"]);
    assert_eq!(
        out.status.code(),
        Some(4),
        "released: checks again (no baseline); stderr:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(d.join("state/users.json").exists());
}

/// The container image and the systemd unit keep apidrift.yaml read-only and point
/// state and baselines at a volume with `APIDRIFT_CONFIG`, `APIDRIFT_STATE_DIR` and
/// `APIDRIFT_BASELINES_DIR` (or the flags, which win): the directories in the file are
/// then never touched, and relative flag paths are taken from the current directory.
#[test]
fn directory_flags_and_environment_variables_override_the_file() {
    let conf = tempfile::tempdir().unwrap();
    let d = conf.path();
    setup(d);
    std::fs::write(d.join("current.yaml"), fixture_spec("v1.yaml")).unwrap();
    let vol = tempfile::tempdir().unwrap();
    let v = vol.path();
    let run = |args: &[&str], env: &[(&str, &Path)]| {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_apidrift"));
        cmd.args(args)
            .current_dir(v)
            .env("USER", "tester")
            .env("APIDRIFT_CONFIG", d.join("apidrift.yaml"));
        for (k, val) in env {
            cmd.env(k, val);
        }
        let out = cmd.output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr).into_owned();
        (out.status.code(), err)
    };

    // A flag, relative to the current directory.
    let (code, err) = run(
        &[
            "baseline",
            "accept",
            "users",
            "--reason",
            "initial",
            "--baselines-dir",
            "bl",
        ],
        &[],
    );
    assert_eq!(code, Some(0), "{err}");
    assert!(
        v.join("bl/users.yaml").exists(),
        "the baseline went to --baselines-dir"
    );
    assert!(
        !d.join("baselines").exists(),
        "the file's baselines directory is untouched"
    );

    // The environment variables.
    let (code, err) = run(
        &["check"],
        &[
            ("APIDRIFT_BASELINES_DIR", &v.join("bl")),
            ("APIDRIFT_STATE_DIR", &v.join("state")),
        ],
    );
    assert_eq!(code, Some(0), "the accepted baseline was found: {err}");
    assert!(
        v.join("state/users.json").exists(),
        "state went to APIDRIFT_STATE_DIR"
    );
    assert!(
        !d.join("state").exists(),
        "the file's state directory is untouched"
    );

    // A flag wins over its variable.
    let (code, err) = run(
        &["check", "--state-dir", "flag-state"],
        &[
            ("APIDRIFT_BASELINES_DIR", &v.join("bl")),
            ("APIDRIFT_STATE_DIR", &v.join("state")),
        ],
    );
    assert_eq!(code, Some(0), "{err}");
    assert!(
        v.join("flag-state/users.json").exists(),
        "--state-dir beat the variable"
    );
}

/// `max_spec_bytes` raised above the loader's default (64 MiB) holds for `baseline
/// accept` as for `check`: both build their load options in one place. Before, accept
/// refused with "larger than 67108864 bytes" a spec that check loaded.
#[test]
fn accept_and_check_share_the_configured_spec_size_limit() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    setup(d);
    std::fs::write(
        d.join("apidrift.yaml"),
        "monitors: monitors\nmax_spec_bytes: 100000000\n",
    )
    .unwrap();
    // 65 MiB: a valid document whose description is most of it.
    let filler = "a".repeat(65 * 1024 * 1024);
    let spec = format!(
        "{{\"openapi\": \"3.0.3\", \"info\": {{\"title\": \"big\", \"version\": \"1\", \"description\": \"{filler}\"}}, \"paths\": {{\"/users\": {{\"get\": {{\"responses\": {{\"200\": {{\"description\": \"ok\"}}}}}}}}}}}}"
    );
    drop(filler);
    std::fs::write(d.join("current.yaml"), spec).unwrap();
    let out = apidrift(d, &["baseline", "accept", "users", "--reason", "big"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = apidrift(d, &["check", "users"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

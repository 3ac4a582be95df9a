//! The pages served by the daemon, in a real browser (Debian's Chromium through
//! playwright-core, see `daemon_support/pages.cjs`): drifted, failing, ok, unchecked
//! and no-baseline integrations, one of them with hostile spec text; and the time
//! `/` takes with 1,000 integrations.

use super::{browser, get_json, integration, start, wait_for};
use crate::daemon_support::{Mode, Vendor, write_config};
use apidrift::baseline::Store;
use apidrift::state::{IntegrationState, Outcome, SpecSeen};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

fn web(name: &str) -> Vec<u8> {
    std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/web")
            .join(name),
    )
    .unwrap()
}

fn monitor(name: &str, url: &str, extra: &str) -> String {
    format!(
        "name: {name}\nowner: {name}-team@example.com\nschedule: \"* * * * * *\"\ntimeout: 1s\nspec:\n  url: {url}\nconfirm_after: 1\n{extra}"
    )
}

/// Where the screenshots go: `APIDRIFT_SHOTS_DIR` when set (to look at them after the
/// run), else the test's temp dir.
fn shots_dir(tmp: &Path) -> PathBuf {
    let d = std::env::var_os("APIDRIFT_SHOTS_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| tmp.join("shots"));
    std::fs::create_dir_all(&d).unwrap();
    d
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pages_work_in_a_browser_escape_spec_text_and_pass_axe() {
    // Before anything starts: a missing tool fails here, with how to install it.
    browser::require_tools();
    let dir = tempfile::tempdir().unwrap();
    let users = Vendor::start(Mode::Spec(web("users-v2.yaml"))).await;
    let hostile = Vendor::start(Mode::Spec(web("hostile-v2.yaml"))).await;
    let down = Vendor::start(Mode::Status(500)).await;
    let steady = Vendor::start(Mode::Spec(web("users-v1.yaml"))).await;
    let contract =
        "consumes:\n  - operation: GET /users\n    entity: user\n    fields: [id, status, email]\n";
    let cfg = write_config(
        dir.path(),
        "127.0.0.1:0",
        &[
            ("users", monitor("users", &users.url, contract)),
            ("hostile", monitor("hostile", &hostile.url, "")),
            ("vendor-down", monitor("vendor-down", &down.url, "")),
            ("steady", monitor("steady", &steady.url, contract)),
            ("newcomer", monitor("newcomer", &steady.url, "")),
        ],
    );
    let store = Store::new(dir.path().join("baselines"));
    for (name, spec, url) in [
        ("users", "users-v1.yaml", &users.url),
        ("hostile", "hostile-v1.yaml", &hostile.url),
        ("vendor-down", "users-v1.yaml", &down.url),
        ("steady", "users-v1.yaml", &steady.url),
    ] {
        store
            .accept(
                name,
                &web(spec),
                url,
                "tester",
                "the version the fetcher was built on",
                chrono::Utc::now(),
            )
            .unwrap();
    }
    let d = start(&cfg).await;
    let base = d.base.clone();
    let want = [
        ("users", "drifted"),
        ("hostile", "drifted"),
        ("vendor-down", "failing"),
        ("steady", "ok"),
        ("newcomer", "no_baseline"),
    ];
    wait_for(20, "every integration checked", || {
        let base = base.clone();
        async move {
            let doc = get_json(&format!("{base}/api/v1/integrations")).await;
            want.iter()
                .all(|(n, s)| {
                    integration(&doc, n).is_some_and(|i| {
                        i["status"] == *s
                            && (i["status"] != "drifted" || i["drift"]["confirmed"] == true)
                    })
                })
                .then_some(())
        }
    })
    .await;
    let expect = serde_json::json!({
        "rows": want.iter().map(|(n, s)| (n.to_string(), serde_json::json!(s))).collect::<serde_json::Map<_, _>>(),
        "drifted": "users",
        "failing": "vendor-down",
        "hostile": "hostile",
        "accept": "apidrift baseline accept users --reason \"...\"",
        "at_risk_field": "status",
    });
    let shots = shots_dir(dir.path());
    let started = Instant::now();
    let (b, s) = (base.clone(), shots.clone());
    let outcome = tokio::task::spawn_blocking(move || browser::run(&b, &expect, &s))
        .await
        .unwrap();
    eprintln!(
        "browser checks took {:?}; screenshots in {}; {}",
        started.elapsed(),
        shots.display(),
        outcome.notes.join("; ")
    );
    assert!(
        outcome.failures.is_empty(),
        "{} failure(s):\n{}",
        outcome.failures.len(),
        outcome.failures.join("\n")
    );
    for f in [
        "status-desktop.png",
        "drifted-desktop.png",
        "failing-desktop.png",
        "status-phone.png",
    ] {
        let len = std::fs::metadata(shots.join(f))
            .map(|m| m.len())
            .unwrap_or(0);
        assert!(len > 1000, "{f}: {len} bytes");
    }
    // The history API of the same daemon: the drift episode with its verdict.
    let h = get_json(&format!("{base}/api/v1/integrations/users/history")).await;
    let ep = &h["episodes"][0];
    assert!(ep["confirmed_at"].is_string(), "{h:#}");
    assert_eq!(
        ep["snapshot"]["verdict"]["fields"][0]["field"], "status",
        "{h:#}"
    );
    assert_eq!(h["blind"][0]["state"], "at_risk", "{h:#}");
    assert_eq!(h["retention"]["max_episodes"], 200);
    let missing = reqwest::get(format!("{base}/integrations/nope"))
        .await
        .unwrap();
    assert_eq!(missing.status(), 404);
    d.stop.send(()).unwrap();
    d.done.await.unwrap().unwrap();
}

/// Writes `n` monitors that will not be checked during the test (yearly schedule) and
/// a saved state for each: a mix of drifted, failing, ok and never checked.
fn thousand(dir: &Path, n: usize) -> PathBuf {
    std::fs::write(dir.join("spec.yaml"), web("users-v1.yaml")).unwrap();
    let monitors: Vec<(String, String)> = (0..n)
        .map(|i| {
            let name = format!("vendor-{i:04}");
            let body = format!(
                "name: {name}\nowner: team-{}@example.com\nschedule: \"0 0 1 1 *\"\nspec:\n  path: ../spec.yaml\n",
                i % 17
            );
            (name, body)
        })
        .collect();
    let refs: Vec<(&str, String)> = monitors
        .iter()
        .map(|(a, b)| (a.as_str(), b.clone()))
        .collect();
    let cfg = write_config(dir, "127.0.0.1:0", &refs);
    let base = apidrift::spec::load(
        &Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/web/users-v1.yaml")
            .display()
            .to_string(),
        &Default::default(),
    )
    .unwrap();
    let rev = apidrift::spec::load(
        &Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/web/users-v2.yaml")
            .display()
            .to_string(),
        &Default::default(),
    )
    .unwrap();
    let changes = apidrift::diff::compare(&base.api, &rev.api, &Default::default());
    assert!(!changes.is_empty());
    let states = apidrift::state::Store::new(dir.join("state"));
    let t0 = chrono::Utc::now() - chrono::Duration::hours(5);
    for (i, (name, _)) in monitors.iter().enumerate() {
        if i % 4 == 3 {
            continue;
        }
        let mut st = IntegrationState::new(name);
        let compared = |c: Vec<apidrift::diff::Change>| Outcome::Compared {
            baseline_digest: "sha256:b".into(),
            spec: SpecSeen {
                digest: "sha256:s".into(),
                bytes: 1,
                validators: Default::default(),
                compared_with: String::new(),
            },
            changes: c,
        };
        st.apply(
            compared(if i % 4 == 2 { vec![] } else { changes.clone() }),
            1,
            t0,
        );
        if i % 4 == 0 {
            st.apply(
                Outcome::Failed {
                    reason: apidrift::fetch::FailureReason::Timeout,
                    message: "no complete response within 20s".into(),
                },
                1,
                t0 + chrono::Duration::minutes(30),
            );
        }
        states.save(&st).unwrap();
    }
    cfg
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_status_page_of_1000_integrations_lists_every_one_and_prints_its_timing() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = thousand(dir.path(), 1000);
    let d = start(&cfg).await;
    let client = reqwest::Client::new();
    let mut times = Vec::new();
    let mut size = 0;
    for _ in 0..25 {
        let t = Instant::now();
        let body = client
            .get(format!("{}/?sort=last_check&dir=desc", d.base))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        times.push(t.elapsed());
        size = body.len();
        assert_eq!(body.matches("<tr data-status=").count(), 1000);
    }
    times.sort();
    let median = times[times.len() / 2];
    let mut page_times = Vec::new();
    for _ in 0..10 {
        let t = Instant::now();
        let r = client
            .get(format!("{}/integrations/vendor-0001", d.base))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200);
        r.text().await.unwrap();
        page_times.push(t.elapsed());
    }
    page_times.sort();
    eprintln!(
        "GET / with 1,000 integrations: {size} bytes; min {:?}, median {median:?}, max {:?}; \
         GET /integrations/NAME: median {:?}",
        times[0],
        times[times.len() - 1],
        page_times[page_times.len() / 2]
    );
    // Timings are printed, never asserted (a loaded CI machine is not a benchmark):
    // BENCHMARKS.md quotes a release run of this test with `--nocapture`.
    assert!(median > Duration::ZERO && size > 0);
    d.stop.send(()).unwrap();
    d.done.await.unwrap().unwrap();
}

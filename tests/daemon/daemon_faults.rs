//! A check against a real vendor server on loopback that serves successive spec
//! versions and faults: every fault marks the integration failing with its reason and
//! never produces, clears or changes a drift; 304 and an unchanged digest cost no parse.

use crate::daemon_support;

use apidrift::baseline::Store;
use apidrift::daemon::check::Checker;
use apidrift::fetch::FailureReason;
use apidrift::monitor::{self, Config};
use apidrift::state::{CheckResult, Event, Status};
use daemon_support::{Mode, Vendor, monitor_yaml, spec, write_config};
use std::time::Duration;

fn config(dir: &std::path::Path, vendor: &Vendor, confirm_after: u32) -> Config {
    let cfg = write_config(
        dir,
        "127.0.0.1:0",
        &[(
            "users",
            monitor_yaml("users", &vendor.url, "*/15 * * * *", confirm_after),
        )],
    );
    let v = monitor::load(&cfg, true);
    assert_eq!(v.errors(), 0, "{:#?}", v.files);
    v.config
}

#[tokio::test]
async fn vendor_faults_mark_failing_and_never_touch_a_known_drift() {
    let dir = tempfile::tempdir().unwrap();
    let vendor = Vendor::start(Mode::Spec(spec("v1.yaml"))).await;
    let cfg = config(dir.path(), &vendor, 2);
    let m = cfg.monitors["users"].clone();
    Store::new(&cfg.baselines_dir)
        .accept(
            "users",
            &spec("v1.yaml"),
            &vendor.url,
            "test",
            "initial",
            chrono::Utc::now(),
        )
        .unwrap();
    let checker = Checker::new(&cfg).unwrap();

    let r = checker.check(&m).await;
    assert_eq!((r.result, r.state.status), (CheckResult::Ok, Status::Ok));

    vendor.set(Mode::Spec(spec("v2.yaml")));
    let r = checker.check(&m).await;
    assert_eq!(
        (r.result, r.state.status),
        (CheckResult::Drift, Status::Drifted)
    );
    assert!(r.state.has_error_drift(), "{:#?}", r.state.changes);
    let drift = r.state.drift.clone().unwrap();
    assert!(!drift.confirmed);
    let changes = r.state.changes.clone();

    let faults = [
        (Mode::Status(500), FailureReason::HttpStatus),
        (Mode::Status(404), FailureReason::HttpStatus),
        (
            Mode::Slow(Duration::from_secs(3), spec("v2.yaml")),
            FailureReason::Timeout,
        ),
        (Mode::Truncated(spec("v2.yaml")), FailureReason::Connect),
        (Mode::Html, FailureReason::Parse),
    ];
    for (i, (mode, reason)) in faults.into_iter().enumerate() {
        vendor.set(mode.clone());
        let r = checker.check(&m).await;
        assert_eq!(r.result, CheckResult::Failed, "{mode:?}");
        assert_eq!(r.state.status, Status::Failing, "{mode:?}");
        let f = r.state.failure.clone().unwrap();
        assert_eq!(f.reason, reason, "{mode:?}: {}", f.message);
        assert_eq!(f.consecutive as usize, i + 1);
        assert_eq!(
            r.state.drift.as_ref(),
            Some(&drift),
            "{mode:?} changed the drift"
        );
        assert_eq!(r.state.changes, changes, "{mode:?} changed the changes");
        // Only the first failure is an event; the rest are the same outage.
        assert_eq!(
            r.events.len(),
            usize::from(i == 0),
            "{mode:?}: {:?}",
            r.events
        );
    }

    // Back to v2: the last good response's ETag makes the request conditional; the
    // vendor answers 304 and the drift is seen a second time, so it is confirmed.
    vendor.set(Mode::Spec(spec("v2.yaml")));
    let r = checker.check(&m).await;
    assert_eq!(
        (r.result, r.state.status),
        (CheckResult::Unchanged, Status::Drifted)
    );
    let (status, inm) = vendor.hits().last().cloned().unwrap();
    assert_eq!(status, 304);
    assert!(inm.is_some());
    assert!(r.events.contains(&Event::Recovered));
    assert!(
        r.events
            .iter()
            .any(|e| matches!(e, Event::DriftConfirmed { .. }))
    );
    assert!(r.state.drift.as_ref().unwrap().confirmed);

    // A restart (a new checker reading the same state) does not report it again.
    let again = Checker::new(&cfg).unwrap().check(&m).await;
    assert_eq!(again.result, CheckResult::Unchanged);
    assert!(again.events.is_empty(), "{:?}", again.events);
    assert_eq!(again.state.reported, r.state.reported);

    // The vendor reverts: the drift resolves.
    vendor.set(Mode::Spec(spec("v1.yaml")));
    let r = checker.check(&m).await;
    assert_eq!((r.result, r.state.status), (CheckResult::Ok, Status::Ok));
    assert!(
        r.events
            .iter()
            .any(|e| matches!(e, Event::DriftResolved { .. }))
    );
    assert!(r.state.changes.is_empty());
}

#[tokio::test]
async fn a_fault_before_any_comparison_is_failing_not_drift() {
    let dir = tempfile::tempdir().unwrap();
    let vendor = Vendor::start(Mode::Status(503)).await;
    let cfg = config(dir.path(), &vendor, 1);
    let m = cfg.monitors["users"].clone();
    let checker = Checker::new(&cfg).unwrap();
    let r = checker.check(&m).await;
    assert_eq!(
        (r.result, r.state.status),
        (CheckResult::NoBaseline, Status::NoBaseline)
    );
    Store::new(&cfg.baselines_dir)
        .accept(
            "users",
            &spec("v1.yaml"),
            &vendor.url,
            "test",
            "initial",
            chrono::Utc::now(),
        )
        .unwrap();
    for mode in [
        Mode::Status(503),
        Mode::Html,
        Mode::Truncated(spec("v1.yaml")),
    ] {
        vendor.set(mode);
        let r = checker.check(&m).await;
        assert_eq!(r.state.status, Status::Failing);
        assert!(r.state.drift.is_none() && r.state.changes.is_empty());
    }
}

#[tokio::test]
async fn an_unchanged_spec_costs_no_parse() {
    // The baseline object is corrupted after the first comparison: if an unchanged
    // spec were parsed and diffed again, the check would fail reading the baseline.
    let dir = tempfile::tempdir().unwrap();
    let vendor = Vendor::start(Mode::Spec(spec("v2.yaml"))).await;
    let cfg = config(dir.path(), &vendor, 1);
    let m = cfg.monitors["users"].clone();
    let rec = Store::new(&cfg.baselines_dir)
        .accept(
            "users",
            &spec("v1.yaml"),
            &vendor.url,
            "test",
            "initial",
            chrono::Utc::now(),
        )
        .unwrap();
    let r = Checker::new(&cfg).unwrap().check(&m).await;
    assert_eq!(r.result, CheckResult::Drift);
    std::fs::write(cfg.baselines_dir.join(&rec.object), b"garbage").unwrap();
    // A fresh checker has no parsed baseline cached.
    let checker = Checker::new(&cfg).unwrap();
    let r = checker.check(&m).await;
    assert_eq!(r.result, CheckResult::Unchanged, "{:?}", r.state.failure);
    // Without a validator (the vendor sends no ETag now), the digest short-circuits.
    vendor.set(Mode::Slow(Duration::ZERO, spec("v2.yaml")));
    let r = checker.check(&m).await;
    assert_eq!(r.result, CheckResult::Unchanged, "{:?}", r.state.failure);
}

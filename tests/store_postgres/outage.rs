//! The database restarted under load (`pg_ctl stop -m fast`, down for longer than the
//! lease, then started on the same port), with three replicas checking 100
//! integrations every second and 10 drifts being confirmed and delivered across the
//! outage: `/readyz` turns 503 and `apidrift_store_up` 0 on every replica while it is
//! down; checks pause (the vendor sees no request); no integration whose spec did not
//! change is ever shown drifted or notified (a database outage is not vendor drift);
//! then readiness, checks and deliveries resume by themselves and each drift is
//! notified exactly once per channel.

use crate::faults_support::wait_for;
use crate::fleet::{
    Hooks, LEASE, Mailbox, Replica, Tally, Vendors, check_list, name, poll, start_replicas,
    store_block, tails, write_fleet,
};
use crate::pg::Pg;
use std::collections::BTreeSet;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const N: usize = 100;

/// Requests already on their way when the database went down may still reach the
/// vendor this long after every replica reported it.
const IN_FLIGHT: Duration = Duration::from_secs(1);

#[test]
fn database_restart_under_load_pauses_checks_fails_readyz_reports_no_false_drift_and_resumes() {
    let _serial = crate::serial();
    let rt = tokio::runtime::Runtime::new().unwrap();
    let mut pg = Pg::start();
    let work = crate::Workdir::create();
    let d = work.path();
    let vendors = Vendors::start(&rt, N);
    let (hooks, hook_url) = Hooks::start(&rt);
    let (mail, smtp) = Mailbox::start();
    write_fleet(d, N, &vendors, smtp, &hook_url, &store_block("disable", ""));
    let rs = start_replicas(d, 3, &pg.url("apidrift"));
    vendors.wait_each(2, Duration::from_secs(60));
    for r in &rs {
        assert_eq!(
            r.metric("apidrift_store_up"),
            Some(1.0),
            "{}: apidrift_store_up while the database is up",
            r.name
        );
    }

    let drifting: Vec<usize> = (0..N).filter(|i| i % 10 == 0).collect();
    let drifted: BTreeSet<String> = drifting.iter().map(|&i| name(i)).collect();
    for &i in &drifting {
        vendors.drift(i);
    }

    // From here on, every replica's list is sampled: an unchanged integration shown
    // drifted at any time is a false drift.
    let stop = Arc::new(AtomicBool::new(false));
    let false_drift: Arc<Mutex<BTreeSet<String>>> = Arc::default();
    let samples = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let watcher = {
        let bases: Vec<(String, String)> = rs
            .iter()
            .map(|r| (r.name.clone(), r.base.clone()))
            .collect();
        let (stop, false_drift, samples, drifted) = (
            stop.clone(),
            false_drift.clone(),
            samples.clone(),
            drifted.clone(),
        );
        std::thread::spawn(move || {
            while !stop.load(Ordering::SeqCst) {
                for (rname, base) in &bases {
                    if let Some(s) = crate::fleet::statuses_at(base) {
                        samples.fetch_add(1, Ordering::SeqCst);
                        for (n, st) in s {
                            if st == "drifted" && !drifted.contains(&n) {
                                false_drift
                                    .lock()
                                    .unwrap()
                                    .insert(format!("{n} on {rname}"));
                            }
                        }
                    }
                }
                std::thread::sleep(Duration::from_millis(200));
            }
        })
    };

    // Down while confirmations and deliveries are under way.
    wait_for("the first drift delivery", Duration::from_secs(30), || {
        (!hooks.seen().is_empty() || !mail.seen().is_empty()).then_some(())
    });
    pg.stop();
    let down = Instant::now();
    wait_for(
        "every replica's /readyz to answer 503",
        Duration::from_secs(15),
        || {
            rs.iter()
                .all(|r| r.status("/readyz") == Some(503))
                .then_some(())
        },
    );
    let all_down = Instant::now();
    println!(
        "outage: database stopped; every /readyz 503 after {:.2?}",
        all_down - down
    );
    for r in &rs {
        assert_eq!(
            r.metric("apidrift_store_up"),
            Some(0.0),
            "{}: apidrift_store_up while the database is down",
            r.name
        );
    }
    // Down for longer than the lease: leases taken before the outage expire in it.
    // Every poll in that time must still find every replica unready.
    while all_down.elapsed() < LEASE + Duration::from_secs(2) {
        for r in &rs {
            assert_eq!(
                r.status("/readyz"),
                Some(503),
                "{}: /readyz while the database is still down\n{}",
                r.name,
                r.log_tail(20)
            );
        }
        std::thread::sleep(Duration::from_millis(200));
    }
    let quiet_from = all_down + IN_FLIGHT;
    let restart = Instant::now();
    let during: Vec<String> = vendors
        .arrivals()
        .iter()
        .filter(|a| a.at > quiet_from && a.at < restart)
        .map(|a| name(a.i))
        .collect();
    let delivered_down = (
        hooks.seen().iter().filter(|h| h.at > quiet_from).count(),
        mail.seen().iter().filter(|m| m.at > quiet_from).count(),
    );
    pg.start_again();
    let up = Instant::now();
    wait_for(
        "every replica's /readyz to answer 200 again",
        Duration::from_secs(30),
        || {
            rs.iter()
                .all(|r| r.status("/readyz") == Some(200))
                .then_some(())
        },
    );
    let ready = up.elapsed();
    vendors.wait_each_after(up, Duration::from_secs(20));
    let resumed = up.elapsed();
    println!(
        "outage: down {:.1?}; {} vendor requests in it (after the first {IN_FLIGHT:?}), deliveries (webhook, email) in it: {delivered_down:?}; after the restart every /readyz 200 in {ready:.2?}, every integration checked again in {resumed:.2?}",
        up - down,
        during.len()
    );
    for r in &rs {
        assert_eq!(
            r.metric("apidrift_store_up"),
            Some(1.0),
            "{}: apidrift_store_up after the restart",
            r.name
        );
    }

    // Everything resumes: every drift notified, the outboxes empty, and two more
    // checks of every integration (a false drift needs two polls to be confirmed).
    let mut failures: Vec<String> = Vec::new();
    let done = poll(Duration::from_secs(40), || {
        let (w, e) = (Tally::of(&hooks.seen()), Tally::of(&mail.seen()));
        (w.integrations("drift.confirmed") == drifted
            && e.integrations("drift.confirmed") == drifted
            && rs.iter().all(Replica::outbox_empty))
        .then_some(())
    });
    if done.is_none() {
        let (w, e) = (Tally::of(&hooks.seen()), Tally::of(&mail.seen()));
        let missing = |t: &Tally| {
            drifted
                .difference(&t.integrations("drift.confirmed"))
                .cloned()
                .collect::<Vec<_>>()
        };
        failures.push(format!(
            "40 s after the restart: not notified by webhook {:?}, by email {:?}; outbox empty per replica {:?}",
            missing(&w),
            missing(&e),
            rs.iter().map(Replica::outbox_empty).collect::<Vec<_>>()
        ));
    }
    let mark = Instant::now();
    let again = poll(Duration::from_secs(20), || {
        vendors
            .times()
            .iter()
            .all(|ts| ts.iter().filter(|&&t| t > mark).count() >= 2)
            .then_some(())
    });
    if again.is_none() {
        failures.push("not every integration was checked twice more within 20 s".into());
    }
    for r in &rs {
        if let Err(e) = check_list(r, N, &drifted, Duration::from_secs(10)) {
            failures.push(e);
        }
    }
    stop.store(true, Ordering::SeqCst);
    watcher.join().unwrap();

    let (w, e) = (Tally::of(&hooks.seen()), Tally::of(&mail.seen()));
    println!(
        "outage: {} list samples; webhook {} raw / {} distinct, email {} raw / {} distinct",
        samples.load(Ordering::SeqCst),
        w.raw,
        w.total(),
        e.raw,
        e.total()
    );
    if !during.is_empty() {
        failures.push(format!(
            "checks did not pause: {} vendor requests while the database was down ({:?}...)",
            during.len(),
            &during[..during.len().min(10)]
        ));
    }
    let false_drift = false_drift.lock().unwrap().clone();
    if !false_drift.is_empty() {
        failures.push(format!(
            "integrations whose spec did not change were shown drifted: {false_drift:?}"
        ));
    }
    for (channel, t) in [("webhook", &w), ("email", &e)] {
        let bad = t.unexpected("drift.confirmed", &drifted);
        if !bad.is_empty() {
            failures.push(format!(
                "{channel}: each real drift once, nothing for the others, got: {bad:#?}"
            ));
        }
    }
    for r in rs.iter() {
        println!("store: {}", r.diagnostics());
    }
    assert!(
        failures.is_empty(),
        "{}\n{}",
        failures.join("\n"),
        tails(&rs)
    );
}

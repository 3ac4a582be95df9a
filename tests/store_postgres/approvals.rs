//! `baseline accept` with two replicas and a yearly schedule (no scheduled check can
//! stand in): each integration whose approval changed is checked against it at once,
//! both replicas show its new status, the one whose approval did not change is never
//! fetched, and the drift the new approval leaves is notified once per channel
//! however many replicas noticed the approval.

use crate::faults_support::wait_for;
use crate::fleet::{
    Hooks, Mailbox, Tally, Vendors, name, start_replicas, store_block, tails, write_fleet,
};
use crate::pg::Pg;
use std::collections::BTreeSet;
use std::time::{Duration, Instant};

#[test]
fn a_new_approval_is_checked_against_at_once_and_every_replica_shows_it() {
    let _serial = crate::serial();
    let rt = tokio::runtime::Runtime::new().unwrap();
    let pg = Pg::start();
    let work = crate::Workdir::create();
    let d = work.path();
    let n = 3;
    let vendors = Vendors::start(&rt, n);
    let (hooks, hook_url) = Hooks::start(&rt);
    let (mail, smtp) = Mailbox::start();
    write_fleet(d, n, &vendors, smtp, &hook_url, &store_block("disable", ""));
    for i in 0..n {
        let f = d.join(format!("monitors/{}.yaml", name(i)));
        let text = std::fs::read_to_string(&f).unwrap();
        std::fs::write(
            &f,
            text.replace("* * * * * *", "0 0 0 1 1 *")
                .replace("confirm_after: 2", "confirm_after: 1"),
        )
        .unwrap();
    }
    // Every vendor serves v2; every baseline is v1.
    for i in 0..n {
        vendors.drift(i);
    }
    let rs = start_replicas(d, 2, &pg.url("apidrift"));
    let baselines = apidrift::baseline::Store::new(d.join("baselines"));
    let now = chrono::Utc::now();
    let accepted = Instant::now();
    // m0: the approval of what the vendor serves. m1: v1 approved again (a new record,
    // the same spec): the drift it leaves is confirmed at the first check. m2: nothing.
    baselines
        .accept(
            &name(0),
            &crate::daemon_support::spec("v2.yaml"),
            &vendors.url(0),
            "alice",
            "reviewed",
            now,
        )
        .unwrap();
    baselines
        .accept(
            &name(1),
            &crate::daemon_support::spec("v1.yaml"),
            &vendors.url(1),
            "bob",
            "kept",
            now,
        )
        .unwrap();
    let want = |s: &std::collections::BTreeMap<String, String>| {
        s.get(&name(0)).map(String::as_str) == Some("ok")
            && s.get(&name(1)).map(String::as_str) == Some("drifted")
    };
    wait_for(
        "both replicas to show m0 ok and m1 drifted",
        Duration::from_secs(30),
        || {
            rs.iter()
                .all(|r| r.statuses().is_some_and(|s| want(&s)))
                .then_some(())
        },
    );
    println!(
        "approvals: both replicas show them {:.2?} after the accept",
        accepted.elapsed()
    );
    let drifted = BTreeSet::from([name(1)]);
    wait_for(
        "the drift of m1 notified by webhook and email",
        Duration::from_secs(30),
        || {
            (Tally::of(&hooks.seen()).integrations("drift.confirmed") == drifted
                && Tally::of(&mail.seen()).integrations("drift.confirmed") == drifted)
                .then_some(())
        },
    );
    // Let a second replica's re-check (if any) finish before counting.
    wait_for("both outboxes empty", Duration::from_secs(30), || {
        rs.iter().all(|r| r.outbox_empty()).then_some(())
    });
    let times = vendors.times();
    let fetched: Vec<usize> = times.iter().map(Vec::len).collect();
    println!("approvals: fetches per integration {fetched:?}");
    assert!(
        (1..=2).contains(&fetched[0]) && (1..=2).contains(&fetched[1]) && fetched[2] == 0,
        "m0 and m1 fetched once per replica at most, m2 never: {fetched:?}\n{}",
        tails(&rs)
    );
    let statuses = rs[0].statuses().unwrap_or_default();
    assert_ne!(
        statuses.get(&name(2)).map(String::as_str),
        Some("drifted"),
        "{statuses:?}"
    );
    for (channel, t) in [
        ("webhook", Tally::of(&hooks.seen())),
        ("email", Tally::of(&mail.seen())),
    ] {
        let bad = t.unexpected("drift.confirmed", &drifted);
        assert!(
            bad.is_empty(),
            "{channel}: the drift of m1 once and nothing else: {bad:#?}"
        );
    }
}

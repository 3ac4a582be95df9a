//! `kill -9` of one of three replicas in the middle of checks and deliveries: the
//! vendor answers after 300 ms, the webhook receiver after 1 s and the SMTP sink after
//! 500 ms, so at the kill the victim holds checks (requests it sent that were not
//! answered yet, found by its TCP ports to the vendor) and deliveries. The survivors
//! re-run the victim's checks within the lease (the failover time, from the kill to
//! the first request for an integration the victim held, is printed), every
//! integration is checked again, every drift is notified on both channels, and nothing
//! twice after dedup (raw duplicates, at-least-once retries of the victim's
//! deliveries, are printed).

use crate::faults_support::wait_for;
use crate::fleet::{
    Hooks, LEASE, Mailbox, Tally, Vendors, check_list, gap_stats, name, poll, start_replicas,
    store_block, tails, write_fleet,
};
use crate::pg::Pg;
use crate::spread::worst_gaps;
use std::collections::{BTreeMap, BTreeSet};
use std::time::{Duration, Instant};

const N: usize = 200;

/// Allowed on top of the lease before a survivor re-runs a dead replica's check: one
/// `poll` (100 ms) to find it due, one schedule interval (1 s) should the re-run wait
/// for the next tick, and 100 ms to claim it on a loaded machine.
const TAKEOVER_SLACK: Duration = Duration::from_millis(1200);

#[test]
fn kill_9_of_a_replica_mid_checks_and_deliveries_loses_nothing_and_sends_nothing_twice() {
    let _serial = crate::serial();
    let rt = tokio::runtime::Runtime::new().unwrap();
    let pg = Pg::start();
    let work = crate::Workdir::create();
    let d = work.path();
    let vendors = Vendors::start(&rt, N);
    let (hooks, hook_url) = Hooks::start(&rt);
    let (mail, smtp) = Mailbox::start();
    write_fleet(d, N, &vendors, smtp, &hook_url, &store_block("disable", ""));
    vendors.set_delay(Duration::from_millis(300));
    hooks.set_delay(Duration::from_secs(1));
    mail.set_delay(Duration::from_millis(500));

    let mut rs = start_replicas(d, 3, &pg.url("apidrift"));
    vendors.wait_each(2, Duration::from_secs(60));
    let drifting: Vec<usize> = (0..N).filter(|i| i % 10 == 0).collect();
    let drifted: BTreeSet<String> = drifting.iter().map(|&i| name(i)).collect();
    for &i in &drifting {
        vendors.drift(i);
    }
    // The kill lands once deliveries are under way.
    wait_for("the first drift delivery", Duration::from_secs(30), || {
        (!hooks.seen().is_empty() || !mail.seen().is_empty()).then_some(())
    });
    // ... and while the victim has several checks in flight: the checks fire on the second and
    // are answered after 300 ms, so there is a moment in each second when it has none.
    let victim_ports = wait_for(
        "the victim to have several checks in flight",
        Duration::from_secs(10),
        || {
            let ports = rs[0].ports_to(vendors.port);
            let in_flight = vendors
                .arrivals()
                .iter()
                .filter(|a| a.done.is_none() && ports.contains(&a.peer))
                .count();
            (in_flight >= 5).then_some(ports)
        },
    );
    let victim = rs[0].name.clone();
    rs[0].kill();
    let killed = Instant::now();
    let (w0, e0) = (Tally::of(&hooks.seen()), Tally::of(&mail.seen()));
    println!(
        "failover: killed {victim} (pid gone) with {} of {} webhook and {} of {} email deliveries received; it had {} connections to the vendor",
        w0.total(),
        drifted.len(),
        e0.total(),
        drifted.len(),
        victim_ports.len()
    );
    let survivors = &rs[1..];

    // The victim's checks in flight: requests from its ports not answered before the kill.
    let held: BTreeSet<usize> = vendors
        .arrivals()
        .iter()
        .filter(|a| {
            victim_ports.contains(&a.peer) && a.at < killed && a.done.is_none_or(|t| t >= killed)
        })
        .map(|a| a.i)
        .collect();
    assert!(
        !held.is_empty(),
        "the kill found {victim} holding no check (ports {victim_ports:?}): the test did not exercise a failover\n{}",
        tails(&rs)
    );
    // Every integration is fetched again after the kill; the held ones by a survivor.
    vendors.wait_each_after(killed, LEASE + Duration::from_secs(20));
    let firsts: BTreeMap<usize, f64> = vendors
        .times()
        .iter()
        .enumerate()
        .filter_map(|(i, ts)| {
            let t = ts.iter().find(|&&t| t > killed)?;
            Some((i, (*t - killed).as_secs_f64()))
        })
        .collect();
    let held_failover: Vec<f64> = held.iter().map(|i| firsts[i]).collect();
    let (p50, _, max_held) = gap_stats(held_failover.clone());
    let (_, _, max_all) = gap_stats(firsts.values().copied().collect());
    println!(
        "failover: {} checks held by {victim}; re-run {p50:.2} s (median) / {max_held:.2} s (max) after the kill (lease {:?}); every integration checked again within {max_all:.2} s",
        held.len(),
        LEASE
    );
    let limit = (LEASE + TAKEOVER_SLACK).as_secs_f64();
    let mut failures: Vec<String> = Vec::new();
    if max_held > limit || max_all > limit {
        failures.push(format!(
            "failover took {max_held:.2} s for a held check, {max_all:.2} s overall (limit {limit:.1} s)"
        ));
    }

    // Nothing lost: every drift on both channels, the outboxes empty.
    let done = poll(LEASE + Duration::from_secs(40), || {
        let (w, e) = (Tally::of(&hooks.seen()), Tally::of(&mail.seen()));
        (w.integrations("drift.confirmed") == drifted
            && e.integrations("drift.confirmed") == drifted
            && survivors.iter().all(|r| r.outbox_empty()))
        .then_some(())
    });
    let notified = killed.elapsed();
    if done.is_none() {
        let (w, e) = (Tally::of(&hooks.seen()), Tally::of(&mail.seen()));
        let missing = |t: &Tally| {
            drifted
                .difference(&t.integrations("drift.confirmed"))
                .cloned()
                .collect::<Vec<_>>()
        };
        failures.push(format!(
            "{notified:.1?} after the kill: not notified by webhook {:?}, by email {:?}; outbox empty per survivor {:?}",
            missing(&w),
            missing(&e),
            survivors.iter().map(|r| r.outbox_empty()).collect::<Vec<_>>()
        ));
    }
    for r in survivors {
        if let Err(e) = check_list(r, N, &drifted, Duration::from_secs(10)) {
            failures.push(e);
        }
    }
    // The survivors keep the cadence after taking over (measured over 5 s at least,
    // from the end of the takeover).
    let from = killed + LEASE + TAKEOVER_SLACK;
    while from.elapsed() < Duration::from_secs(5) {
        std::thread::sleep(Duration::from_millis(100));
    }
    let worst = worst_gaps(&vendors.times(), from, Instant::now());
    let (_, _, max_gap) = gap_stats(worst.iter().map(|(_, g)| *g).collect());
    println!(
        "failover: after the takeover, the longest gap between checks of one integration: {max_gap:.2} s"
    );
    if max_gap > 2.5 {
        failures.push(format!(
            "the survivors did not keep the 1-second cadence: {max_gap:.2} s"
        ));
    }

    let (w, e) = (Tally::of(&hooks.seen()), Tally::of(&mail.seen()));
    println!(
        "failover: all notified {:.1?} after the kill; webhook {} raw / {} distinct, email {} raw / {} distinct (raw duplicates {})",
        notified,
        w.raw,
        w.total(),
        e.raw,
        e.total(),
        w.raw + e.raw - w.total() - e.total()
    );
    for (channel, t) in [("webhook", &w), ("email", &e)] {
        let bad = t.unexpected("drift.confirmed", &drifted);
        if !bad.is_empty() {
            failures.push(format!(
                "{channel}: each drift once after dedup and nothing else, got: {bad:#?}"
            ));
        }
    }
    for r in survivors.iter() {
        println!("store: {}", r.diagnostics());
    }
    assert!(
        failures.is_empty(),
        "{}\n{}",
        failures.join("\n"),
        tails(survivors)
    );
}

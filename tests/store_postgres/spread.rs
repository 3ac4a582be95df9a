//! Three replicas, 200 integrations on a 1-second schedule, 20 of them drifting (the
//! vendor switches them to a spec with a breaking change after the warm-up): each
//! drift produces exactly one email and one webhook delivery after receiver-side dedup
//! (by Message-ID and X-Apidrift-Delivery; the raw duplicate count is printed); no
//! integration goes unchecked for more than two intervals (from the vendor's arrival
//! times, after the warm-up); every replica ran some of the checks; every replica
//! lists all 200 with the right status.

use crate::fleet::{
    Hooks, Mailbox, Replica, Tally, Vendors, check_list, gap_stats, name, poll, start_replicas,
    store_block, tails, write_fleet,
};
use crate::pg::Pg;
use std::collections::BTreeSet;
use std::time::{Duration, Instant};

const N: usize = 200;

/// The schedule's interval, and the latency allowed on top of two of them: the cron
/// fires on the second and a replica finds a due check within `poll` (100 ms), so
/// arrivals of one integration spread over a few hundred ms of each second on a loaded
/// 2-core machine; a gap over 2 s + this means two ticks in a row were missed.
const INTERVAL: Duration = Duration::from_secs(1);
const LATENCY: Duration = Duration::from_millis(500);

/// How long the cadence is measured after the warm-up, at least.
const WINDOW: Duration = Duration::from_secs(15);

/// The longest time each integration went without a request in `[from, to]` (the
/// edges count: from `from` to its first request, from its last to `to`).
pub fn worst_gaps(times: &[Vec<Instant>], from: Instant, to: Instant) -> Vec<(usize, f64)> {
    times
        .iter()
        .enumerate()
        .map(|(i, ts)| {
            let mut prev = from;
            let mut worst = 0.0f64;
            for &t in ts.iter().filter(|&&t| t > from && t <= to) {
                worst = worst.max((t - prev).as_secs_f64());
                prev = t;
            }
            (i, worst.max((to - prev).as_secs_f64()))
        })
        .collect()
}

/// Every gap between consecutive requests in `[from, to]`, over all integrations.
pub fn all_gaps(times: &[Vec<Instant>], from: Instant, to: Instant) -> Vec<f64> {
    times
        .iter()
        .flat_map(|ts| {
            let w: Vec<Instant> = ts
                .iter()
                .copied()
                .filter(|&t| t > from && t <= to)
                .collect();
            w.windows(2)
                .map(|p| (p[1] - p[0]).as_secs_f64())
                .collect::<Vec<_>>()
        })
        .collect()
}

/// Once every integration was checked, the number of checks of each one in the next
/// `window` (the vendor's arrival times).
fn checks_in_window(vendors: &Vendors, window: Duration) -> Vec<usize> {
    vendors.wait_each(1, Duration::from_secs(60));
    let from = Instant::now();
    std::thread::sleep(window);
    let to = Instant::now();
    vendors
        .times()
        .iter()
        .map(|ts| ts.iter().filter(|&&t| t > from && t <= to).count())
        .collect()
}

#[test]
fn three_replicas_check_200_every_second_and_notify_each_of_20_drifts_once() {
    let _serial = crate::serial();
    let rt = tokio::runtime::Runtime::new().unwrap();
    let pg = Pg::start();
    let work = crate::Workdir::create();
    let d = work.path();
    let vendors = Vendors::start(&rt, N);
    let (hooks, hook_url) = Hooks::start(&rt);
    let (mail, smtp) = Mailbox::start();
    write_fleet(d, N, &vendors, smtp, &hook_url, &store_block("disable", ""));

    let t = Instant::now();
    let rs = start_replicas(d, 3, &pg.url("apidrift"));
    println!("spread: 3 replicas ready in {:.1?}", t.elapsed());
    let t = Instant::now();
    vendors.wait_each(2, Duration::from_secs(60));
    let warm = Instant::now();
    println!(
        "spread: every integration checked twice {:.1?} after ready",
        t.elapsed()
    );

    let drifting: Vec<usize> = (0..N).filter(|i| i % 10 == 0).collect();
    let drifted: BTreeSet<String> = drifting.iter().map(|&i| name(i)).collect();
    for &i in &drifting {
        vendors.drift(i);
    }
    let switched = Instant::now();
    // Every check below is measured and recorded; the test fails at the end with all
    // that went wrong.
    let mut failures: Vec<String> = Vec::new();
    let notified = poll(Duration::from_secs(60), || {
        let (w, e) = (Tally::of(&hooks.seen()), Tally::of(&mail.seen()));
        (w.integrations("drift.confirmed") == drifted
            && e.integrations("drift.confirmed") == drifted
            && rs.iter().all(|r| r.outbox_empty()))
        .then_some(())
    });
    match notified {
        Some(()) => println!(
            "spread: {} drifts notified on both channels {:.1?} after the vendor switched",
            drifted.len(),
            switched.elapsed()
        ),
        None => {
            let (w, e) = (Tally::of(&hooks.seen()), Tally::of(&mail.seen()));
            let missing = |t: &Tally| {
                drifted
                    .difference(&t.integrations("drift.confirmed"))
                    .cloned()
                    .collect::<Vec<_>>()
            };
            failures.push(format!(
                "60 s after the switch: drifts not notified by webhook {:?}, by email {:?}; outbox empty per replica {:?}",
                missing(&w),
                missing(&e),
                rs.iter().map(|r| r.outbox_empty()).collect::<Vec<_>>()
            ));
        }
    }

    // Every replica lists all of them (its own checks and the others', synced).
    for r in &rs {
        if let Err(e) = check_list(r, N, &drifted, Duration::from_secs(10)) {
            failures.push(e);
        }
    }

    // The cadence is measured over a window of at least WINDOW after the warm-up (the
    // fleet keeps running meanwhile; nothing is asserted until it has passed).
    while warm.elapsed() < WINDOW {
        std::thread::sleep(Duration::from_millis(100));
    }
    let end = Instant::now();
    let times = vendors.times();
    let worst = worst_gaps(&times, warm, end);
    let (p50, p99, max) = gap_stats(all_gaps(&times, warm, end));
    let limit = (2 * INTERVAL + LATENCY).as_secs_f64();
    let late: Vec<_> = worst.iter().filter(|(_, g)| *g > limit).collect();
    println!(
        "spread: {:.1} s window, gaps between checks of one integration: p50 {p50:.2} s, p99 {p99:.2} s, max {max:.2} s (limit {limit:.1} s)",
        (end - warm).as_secs_f64()
    );
    let checks: Vec<f64> = rs.iter().map(|r| r.checks_done().unwrap_or(-1.0)).collect();
    let total: f64 = checks.iter().sum();
    println!(
        "spread: checks per replica (apidrift_checks_total): {:?}, shares {:?}; vendor requests {}",
        checks,
        checks
            .iter()
            .map(|c| format!("{:.0}%", 100.0 * c / total))
            .collect::<Vec<_>>(),
        vendors.arrivals().len()
    );
    let (w, e) = (Tally::of(&hooks.seen()), Tally::of(&mail.seen()));
    println!(
        "spread: webhook {} raw / {} distinct, email {} raw / {} distinct (raw duplicates {})",
        w.raw,
        w.total(),
        e.raw,
        e.total(),
        w.raw + e.raw - w.total() - e.total()
    );

    if !late.is_empty() {
        failures.push(format!(
            "{} integrations went more than {limit:.1} s without a check: {:?}",
            late.len(),
            &late[..late.len().min(10)]
        ));
    }
    for (r, c) in rs.iter().zip(&checks) {
        if *c <= 0.0 {
            failures.push(format!("{} ran no check: {checks:?}", r.name));
        }
    }
    for (channel, t) in [("webhook", &w), ("email", &e)] {
        let bad = t.unexpected("drift.confirmed", &drifted);
        if !bad.is_empty() {
            failures.push(format!(
                "{channel}: each drift once and nothing else, got: {bad:#?}"
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

/// One replica that can run 8 checks at once, 40 integrations due every second, and a
/// `poll` of 1 s: the replica must claim as fast as its checks finish, not one batch
/// per `poll` (that loop ran at most 8 checks per second here, and fell behind 10,000
/// integrations at a 5-minute cadence with the default 16 per 500 ms). Each integration
/// is checked at least 5 times in a 10-second window (about 10 when nothing is late;
/// one batch per poll gives 2).
#[test]
fn a_replica_behind_schedule_claims_as_fast_as_its_checks_finish() {
    let _serial = crate::serial();
    let rt = tokio::runtime::Runtime::new().unwrap();
    let pg = Pg::start();
    let work = crate::Workdir::create();
    let d = work.path();
    let n = 40;
    let vendors = Vendors::start(&rt, n);
    let (_hooks, hook_url) = Hooks::start(&rt);
    let (_mail, smtp) = Mailbox::start();
    write_fleet(d, n, &vendors, smtp, &hook_url, &store_block("disable", ""));
    let config = d.join("apidrift.yaml");
    let text = std::fs::read_to_string(&config).unwrap();
    assert!(text.contains("max_concurrency: 64") && text.contains("poll: 100ms"));
    let text = text
        .replace("max_concurrency: 64", "max_concurrency: 8")
        .replace("poll: 100ms", "poll: 1s");
    std::fs::write(&config, text).unwrap();

    let rs = start_replicas(d, 1, &pg.url("apidrift"));
    let counts = checks_in_window(&vendors, Duration::from_secs(10));
    let (least, total) = (
        counts.iter().copied().min().unwrap_or(0),
        counts.iter().sum::<usize>(),
    );
    println!(
        "claim rate: {total} checks of {n} integrations in 10 s ({:.1}/s), the least checked {least} times; {}",
        total as f64 / 10.0,
        rs[0].diagnostics()
    );
    assert!(
        least >= 5,
        "an integration was checked {least} times in 10 s (want ≥ 5 at one due per second): per integration {counts:?}\n{}",
        tails(&rs)
    );
}

/// A rollout in progress: replica r0 has all 20 integrations, r1 only the first 10 (its
/// own monitors directory). r1 claims an integration it does not know at most once
/// (it releases it and leaves it alone from then on), so the 10 only r0 knows are
/// checked as often as the others: each at least 5 times in a 10-second window at one
/// due per second; and r1 never checked one of them.
#[test]
fn integrations_one_replica_does_not_know_are_left_to_the_replicas_that_do() {
    let _serial = crate::serial();
    let rt = tokio::runtime::Runtime::new().unwrap();
    let pg = Pg::start();
    let work = crate::Workdir::create();
    let d = work.path();
    let n = 20;
    let vendors = Vendors::start(&rt, n);
    let (_hooks, hook_url) = Hooks::start(&rt);
    let (_mail, smtp) = Mailbox::start();
    write_fleet(d, n, &vendors, smtp, &hook_url, &store_block("disable", ""));
    // r1's config: the same settings, its monitors directory holds the first 10.
    let half = d.join("r1-config");
    std::fs::create_dir_all(half.join("monitors")).unwrap();
    for i in 0..n / 2 {
        let f = format!("{}.yaml", name(i));
        std::fs::copy(d.join("monitors").join(&f), half.join("monitors").join(&f)).unwrap();
    }
    let text = std::fs::read_to_string(d.join("apidrift.yaml")).unwrap();
    std::fs::write(
        half.join("apidrift.yaml"),
        format!("{text}baselines: {}\n", d.join("baselines").display()).replace(
            "{file: hook.secret}",
            &format!("{{file: {}}}", d.join("hook.secret").display()),
        ),
    )
    .unwrap();

    let url = pg.url("apidrift");
    let mut r0 = Replica::spawn(d, "r0", &url);
    let mut r1 = Replica::spawn_with_config(d, "r1", &url, &half.join("apidrift.yaml"));
    r0.wait_ready(Duration::from_secs(60));
    r1.wait_ready(Duration::from_secs(60));
    let rs = vec![r0, r1];
    let counts = checks_in_window(&vendors, Duration::from_secs(10));
    let checked_by_r1: Vec<String> = (n / 2..n)
        .map(name)
        .filter(|m| {
            rs[1]
                .metrics()
                .is_some_and(|t| t.contains(&format!("apidrift_checks_total{{integration=\"{m}\"")))
        })
        .collect();
    println!(
        "rollout: checks per integration in 10 s {counts:?}; {}; {}",
        rs[0].diagnostics(),
        rs[1].diagnostics()
    );
    let least = counts.iter().copied().min().unwrap_or(0);
    assert!(
        least >= 5 && checked_by_r1.is_empty(),
        "each integration checked at least 5 times in 10 s (got {counts:?}) and none of those r1 does not know checked by it (got {checked_by_r1:?})\n{}",
        tails(&rs)
    );
}

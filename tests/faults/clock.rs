//! Wall-clock jumps under the real `apidrift run`, made with libfaketime (Debian
//! `faketime`): the daemon reads its offset from a file the test rewrites (+2 h, then
//! -1 h), while the monotonic clock runs on as it does when an operator or NTP steps the
//! time. The scheduler keeps its cadence (no burst of the ticks the jump skipped, no
//! stall after a jump back), a confirmed drift gets one reminder for a jump past
//! `remind_after` (not one per missed period, none after the jump back), and no
//! duration in the metrics or the history goes negative.

use crate::daemon_support::{Mode, Vendor, spec};
use crate::faults_support::{Daemon, Hooks, Inbox, mail_header, metric_value, wait_for};
use apidrift::baseline::Store;
use std::path::Path;
use std::time::{Duration, Instant};

const LIBFAKETIME: &str = "/usr/lib/x86_64-linux-gnu/faketime/libfaketimeMT.so.1";

/// Checks of `name` so far (every result).
fn checks(text: &str, name: &str) -> f64 {
    ["ok", "drift", "failed", "unchanged", "no_baseline"]
        .iter()
        .filter_map(|r| {
            metric_value(
                text,
                &format!(r#"apidrift_checks_total{{integration="{name}",result="{r}"}}"#),
            )
        })
        .sum()
}

/// No negative duration: the histogram sums and every history duration.
fn no_negative_durations(daemon: &Daemon, sums: &mut [f64; 2]) {
    let text = daemon.get("/metrics").unwrap();
    for (i, name) in ["tick", "drift"].iter().enumerate() {
        let s = metric_value(
            &text,
            &format!(r#"apidrift_check_duration_seconds_sum{{integration="{name}"}}"#),
        )
        .unwrap_or(0.0);
        assert!(
            s >= sums[i],
            "{name}: duration sum went from {} to {s}",
            sums[i]
        );
        sums[i] = s;
    }
    let h = daemon.json("/api/v1/integrations/drift/history").unwrap();
    for e in h["episodes"].as_array().into_iter().flatten() {
        let d = e["duration_seconds"].as_i64().unwrap_or(0);
        assert!(d >= 0, "negative episode duration: {e:#}");
    }
}

fn set_offset(file: &Path, offset: &str) {
    std::fs::write(file, format!("{offset}\n")).unwrap();
}

#[test]
fn wall_clock_jumps_fire_no_burst_of_ticks_no_reminder_storm_and_no_negative_duration() {
    assert!(
        Path::new(LIBFAKETIME).exists(),
        "this test needs libfaketime ({LIBFAKETIME}): apt-get install faketime"
    );
    let rt = tokio::runtime::Runtime::new().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let ok_vendor = rt.block_on(Vendor::start(Mode::Spec(spec("v1.yaml"))));
    let drift_vendor = rt.block_on(Vendor::start(Mode::Spec(spec("v2.yaml"))));
    let (hooks, hook_url) = Hooks::start(&rt);
    let (inbox, smtp_port) = Inbox::start();
    std::fs::create_dir_all(d.join("monitors")).unwrap();
    std::fs::write(d.join("hook.secret"), "faults-secret-4\n").unwrap();
    std::fs::write(
        d.join("apidrift.yaml"),
        format!(
            "retries: 0\nreload_interval: 200ms\nshutdown_timeout: 5s\n\
             smtp:\n  host: 127.0.0.1\n  port: {smtp_port}\n  tls: none\n  from: apidrift <apidrift@example.com>\n  timeout: 2s\n\
             webhooks:\n  - name: agent\n    url: {hook_url}\n    secret: {{file: hook.secret}}\n    timeout: 2s\n\
             outbox:\n  retry_base: 200ms\n  retry_max_delay: 1s\n  max_attempts: 1000\n"
        ),
    )
    .unwrap();
    for (name, url, notify) in [
        ("tick", &ok_vendor.url, ""),
        (
            "drift",
            &drift_vendor.url,
            "notify:\n  email: [oncall@example.com]\n  webhook: [agent]\n  remind_after: 10m\n",
        ),
    ] {
        std::fs::write(
            d.join(format!("monitors/{name}.yaml")),
            format!("name: {name}\nschedule: \"* * * * * *\"\ntimeout: 2s\nspec:\n  url: {url}\nconfirm_after: 1\n{notify}"),
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
    let offset = d.join("faketime");
    set_offset(&offset, "+0");
    let daemon = Daemon::start_with(d, |c| {
        c.env("LD_PRELOAD", LIBFAKETIME)
            .env("FAKETIME_TIMESTAMP_FILE", &offset)
            .env("FAKETIME_CACHE_DURATION", "1")
            .env("FAKETIME_DONT_FAKE_MONOTONIC", "1");
    });
    let kinds = |k: &str| hooks.seen().iter().filter(|(e, _, _)| e == k).count();
    wait_for("drift confirmed", Duration::from_secs(20), || {
        (kinds("drift.confirmed") == 1).then_some(())
    });
    let mut sums = [0.0, 0.0];
    no_negative_durations(&daemon, &mut sums);

    // Checks of `tick` over `secs` real seconds, from now.
    let rate = |secs: u64| {
        let t0 = checks(&daemon.get("/metrics").unwrap(), "tick");
        let start = Instant::now();
        while start.elapsed() < Duration::from_secs(secs) {
            std::thread::sleep(Duration::from_millis(200));
        }
        checks(&daemon.get("/metrics").unwrap(), "tick") - t0
    };
    let before = rate(4);
    // The daemon sees the wall clock jump when it next reads its offset file.
    let last_check = |daemon: &Daemon| {
        daemon.metric(r#"apidrift_last_check_timestamp_seconds{integration="tick"}"#)
    };
    for (jump, offset_text, expect_ahead) in [
        ("forwards 2 h", "+2h", true),
        ("backwards 3 h", "-1h", false),
    ] {
        set_offset(&offset, offset_text);
        let real = chrono::Utc::now().timestamp() as f64;
        wait_for(
            &format!("the daemon to see the jump {jump}"),
            Duration::from_secs(20),
            || {
                let t = last_check(&daemon)?;
                let seen = if expect_ahead {
                    t > real + 3000.0
                } else {
                    t < real - 3000.0
                };
                seen.then_some(())
            },
        );
        if expect_ahead {
            wait_for(
                "the reminder of the jump past remind_after",
                Duration::from_secs(20),
                || {
                    inbox
                        .messages()
                        .iter()
                        .any(|m| mail_header(m, "Subject").contains("(reminder"))
                        .then_some(())
                },
            );
        }
        let after = rate(4);
        println!("clock {jump}: tick checks in 4 s: {before} before, {after} after");
        // A catch-up of the skipped ticks would be thousands; a stall would be none.
        assert!(
            (1.0..=8.0).contains(&after),
            "{jump}: {after} checks in 4 s"
        );
        no_negative_durations(&daemon, &mut sums);
    }
    // +2 h is past remind_after (10 min): one reminder, whatever the jump skipped; the
    // jump back sends none (the last mail is "in the future").
    // Reminders go by email only.
    let reminders = inbox
        .messages()
        .iter()
        .filter(|m| mail_header(m, "Subject").contains("(reminder"))
        .count();
    let subjects: Vec<String> = inbox
        .messages()
        .iter()
        .map(|m| mail_header(m, "Subject"))
        .collect();
    assert_eq!(reminders, 1, "{subjects:#?}");
    assert_eq!(kinds("drift.confirmed"), 1);
    println!("clock: reminders after +2 h then -3 h: {reminders}");
}

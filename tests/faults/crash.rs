//! Crash consistency: the real `apidrift run` is killed with SIGKILL at seeded random
//! points (at least 200; `APIDRIFT_CRASH_KILLS`), restarted each time, while a scripted
//! scenario moves on: drift confirmed → resolved (the vendor reverts) → a second drift
//! confirmed → resolved by `apidrift baseline accept` → failing (HTTP 500) → recovered.
//! Every notification goes by webhook and by SMTP. After the last restart: the state,
//! the outbox and the history agree, no baseline is torn, and each notification the
//! scenario should send reached each receiver: at least once, and exactly once after
//! the receiver-side dedup the contract documents (webhook by `X-Apidrift-Delivery`,
//! email by `Message-ID`). The seed is printed; `APIDRIFT_CRASH_SEED` repeats a run.

use crate::daemon_support::{Mode, Vendor, spec};
use crate::faults_support::{Daemon, Hooks, Inbox, mail_header, wait_for};
use apidrift::baseline::Store;
use apidrift::state::IntegrationState;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// The notice kinds the scenario sends, with how many distinct notifications of each.
const EXPECTED: [(&str, usize); 4] = [
    ("drift.confirmed", 2),
    ("drift.resolved", 2),
    ("check.failing", 1),
    ("check.recovered", 1),
];

/// v1 without the `email` property: a second, different drift.
fn v3() -> Vec<u8> {
    let v1 = String::from_utf8(spec("v1.yaml")).unwrap();
    let out = v1.replace("        email: {type: string}\n", "");
    assert_ne!(out, v1);
    out.into_bytes()
}

/// The kind of an email, from its subject.
fn mail_kind(subject: &str) -> &'static str {
    if subject.contains("drift resolved") {
        "drift.resolved"
    } else if subject.contains("cannot see the vendor") {
        "check.failing"
    } else if subject.contains("vendor reachable again") {
        "check.recovered"
    } else {
        "drift.confirmed"
    }
}

/// Distinct ids per kind, and the raw count, of what each receiver got.
struct Received {
    webhook: BTreeMap<String, BTreeSet<String>>,
    email: BTreeMap<String, BTreeSet<String>>,
    raw_webhook: usize,
    raw_email: usize,
}

fn received(hooks: &Hooks, inbox: &Inbox) -> Received {
    let mut webhook: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let seen = hooks.seen();
    for (kind, delivery, _) in &seen {
        webhook
            .entry(kind.clone())
            .or_default()
            .insert(delivery.clone());
    }
    let mut email: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mails = inbox.messages();
    for m in &mails {
        let kind = mail_kind(&mail_header(m, "Subject"));
        email
            .entry(kind.to_string())
            .or_default()
            .insert(mail_header(m, "Message-ID"));
    }
    Received {
        webhook,
        email,
        raw_webhook: seen.len(),
        raw_email: mails.len(),
    }
}

impl Received {
    /// Distinct notifications of `kind` that both receivers got.
    fn both(&self, kind: &str) -> usize {
        let n = |m: &BTreeMap<String, BTreeSet<String>>| m.get(kind).map_or(0, BTreeSet::len);
        n(&self.webhook).min(n(&self.email))
    }
}

fn state_of(d: &Path) -> Option<IntegrationState> {
    serde_json::from_slice(&std::fs::read(d.join("state/users.json")).ok()?).ok()
}

fn env_u64(name: &str) -> Option<u64> {
    std::env::var(name).ok().and_then(|v| v.parse().ok())
}

#[test]
fn sigkill_at_hundreds_of_points_loses_no_notification_and_tears_nothing() {
    let seed = env_u64("APIDRIFT_CRASH_SEED").unwrap_or_else(|| {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(1, |d| d.as_nanos() as u64)
    });
    let wanted = env_u64("APIDRIFT_CRASH_KILLS").unwrap_or(200) as usize;
    // Kill delays after each start: 0 to 1 s, so kills land in start-up, in checks, in
    // deliveries and between them (the cron fires every second).
    let window_ms = env_u64("APIDRIFT_CRASH_WINDOW_MS").unwrap_or(1000);
    println!(
        "crash: seed {seed} (APIDRIFT_CRASH_SEED={seed} repeats it), {wanted} kill points, delays 0..{window_ms} ms"
    );
    let mut rng = fastrand::Rng::with_seed(seed);

    let rt = tokio::runtime::Runtime::new().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let vendor = rt.block_on(Vendor::start(Mode::Spec(spec("v1.yaml"))));
    let (hooks, hook_url) = Hooks::start(&rt);
    let (inbox, smtp_port) = Inbox::start();
    std::fs::create_dir_all(d.join("monitors")).unwrap();
    std::fs::write(d.join("hook.secret"), "faults-secret-3\n").unwrap();
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
    std::fs::write(
        d.join("monitors/users.yaml"),
        format!(
            "name: users\nschedule: \"* * * * * *\"\ntimeout: 2s\nspec:\n  url: {}\nconfirm_after: 2\n\
             notify:\n  email: [oncall@example.com]\n  webhook: [agent]\n  failing_after: 1s\n",
            vendor.url
        ),
    )
    .unwrap();
    let store = Store::new(d.join("baselines"));
    store
        .accept(
            "users",
            &spec("v1.yaml"),
            &vendor.url,
            "test",
            "initial",
            chrono::Utc::now(),
        )
        .unwrap();

    let log = std::fs::File::create(d.join("killed.log")).unwrap();
    let spawn = || {
        Command::new(env!("CARGO_BIN_EXE_apidrift"))
            .args(["run", "--config"])
            .arg(d.join("apidrift.yaml"))
            .args(["--listen", "127.0.0.1:0"])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(log.try_clone().unwrap())
            .spawn()
            .unwrap()
    };
    let accept = || {
        let out = Command::new(env!("CARGO_BIN_EXE_apidrift"))
            .args([
                "baseline",
                "accept",
                "users",
                "--reason",
                "crash test",
                "--by",
                "faults",
                "--config",
            ])
            .arg(d.join("apidrift.yaml"))
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "accept: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    };

    // The scenario: each step waits for a fact on disk or at the receivers.
    let mut phase = 0;
    let mut phases_at = Vec::new();
    let mut points: Vec<u64> = Vec::new();
    let per_phase = wanted.div_ceil(7);
    let start = Instant::now();
    let deadline = start + Duration::from_secs(env_u64("APIDRIFT_CRASH_SECONDS").unwrap_or(360));
    while phase < 7 || points.len() < wanted {
        assert!(
            Instant::now() < deadline,
            "seed {seed}: stuck in phase {phase} after {} kills",
            points.len()
        );
        let r = received(&hooks, &inbox);
        let before = phase;
        // Each step is held for its share of the kills, so they land all over the
        // scenario (in its transitions and between them), not only after it ends.
        let held = points.len() - phases_at.last().map_or(0, |&(_, k)| k) >= per_phase;
        match phase {
            _ if !held => {}
            0 if state_of(d).is_some_and(|s| s.status == apidrift::state::Status::Ok) => {
                vendor.set(Mode::Spec(spec("v2.yaml")));
                phase = 1;
            }
            1 if r.both("drift.confirmed") >= 1 => {
                vendor.set(Mode::Spec(spec("v1.yaml")));
                phase = 2;
            }
            2 if r.both("drift.resolved") >= 1 => {
                vendor.set(Mode::Spec(v3()));
                phase = 3;
            }
            3 if r.both("drift.confirmed") >= 2 => {
                accept();
                phase = 4;
            }
            4 if r.both("drift.resolved") >= 2 => {
                vendor.set(Mode::Status(500));
                phase = 5;
            }
            5 if r.both("check.failing") >= 1 => {
                vendor.set(Mode::Spec(v3()));
                phase = 6;
            }
            6 if r.both("check.recovered") >= 1 => phase = 7,
            _ => {}
        }
        if phase != before {
            phases_at.push((phase, points.len()));
        }
        let mut child = spawn();
        let ms = rng.u64(0..window_ms);
        std::thread::sleep(Duration::from_millis(ms));
        let _ = child.kill();
        let _ = child.wait();
        points.push(ms);
    }
    println!(
        "crash: {} kills in {:.0?}; (phase, kills before it): {phases_at:?}",
        points.len(),
        start.elapsed()
    );
    println!("crash: kill points (ms after start): {points:?}");

    // The last restart, left to settle, then stopped gracefully.
    let mut daemon = Daemon::start(d);
    wait_for("the outbox to drain", Duration::from_secs(30), || {
        let pending = std::fs::read_dir(d.join("state/notify/outbox/pending"))
            .ok()?
            .count();
        let st = state_of(d)?;
        (pending == 0 && st.status == apidrift::state::Status::Ok).then_some(())
    });
    daemon.stop();

    let r = received(&hooks, &inbox);
    println!(
        "crash: webhook {} raw / {} distinct, email {} raw / {} distinct; raw duplicates: {}",
        r.raw_webhook,
        r.webhook.values().map(BTreeSet::len).sum::<usize>(),
        r.raw_email,
        r.email.values().map(BTreeSet::len).sum::<usize>(),
        r.raw_webhook + r.raw_email
            - r.webhook.values().map(BTreeSet::len).sum::<usize>()
            - r.email.values().map(BTreeSet::len).sum::<usize>()
    );
    // No loss, and exactly once after dedup, per receiver and kind.
    for (kind, n) in EXPECTED {
        let w = r.webhook.get(kind).map_or(0, BTreeSet::len);
        let e = r.email.get(kind).map_or(0, BTreeSet::len);
        assert_eq!(
            (w, e),
            (n, n),
            "seed {seed}: {kind}: webhook {w}, email {e}, want {n}"
        );
    }
    let kinds: BTreeSet<&str> = EXPECTED.iter().map(|(k, _)| *k).collect();
    assert!(
        r.webhook.keys().all(|k| kinds.contains(k.as_str())),
        "seed {seed}: unexpected webhook kinds {:?}",
        r.webhook.keys()
    );

    // State: ok against the accepted v3, no drift, no failure, nothing left to report.
    let st = state_of(d).expect("the state parses");
    assert_eq!(
        st.status,
        apidrift::state::Status::Ok,
        "seed {seed}: {st:#?}"
    );
    assert!(st.drift.is_none() && st.failure.is_none() && !st.reported.failing);
    // Baseline: the record reads, points at an object that matches its digest, and is
    // the last approval in the log.
    let rec = store.record("users").unwrap().expect("a record");
    assert_eq!(rec.digest, apidrift::baseline::digest(&v3()));
    store.object(&rec).expect("the object matches its digest");
    assert_eq!(store.log("users").unwrap().last(), Some(&rec));
    // Outbox: nothing pending, dead or corrupt; every distinct delivery is acknowledged.
    let count = |sub: &str| {
        std::fs::read_dir(d.join("state/notify/outbox").join(sub)).map_or(0, |r| r.count())
    };
    assert_eq!(
        (count("pending"), count("dead"), count("corrupt")),
        (0, 0, 0)
    );
    assert_eq!(
        count("acked"),
        12,
        "6 notifications x 2 channels acknowledged"
    );
    // History: two drift episodes (reverted, accepted), one failing period, all ended;
    // every notification queued in them was delivered.
    let history = apidrift::state::history::Store::new(
        d.join("state/history"),
        apidrift::state::history::Policy::default(),
    )
    .load("users", chrono::Utc::now())
    .unwrap();
    assert_eq!(
        history.episodes.len(),
        2,
        "seed {seed}: {:#?}",
        history.episodes
    );
    assert!(history.episodes.iter().all(|e| e.ended_at.is_some()));
    assert_eq!(
        history.failing.len(),
        1,
        "seed {seed}: {:#?}",
        history.failing
    );
    assert!(history.failing[0].ended_at.is_some());
    let notes: Vec<_> = history
        .episodes
        .iter()
        .flat_map(|e| e.notifications.iter())
        .chain(history.failing.iter().flat_map(|f| f.notifications.iter()))
        .collect();
    assert_eq!(notes.len(), 12, "seed {seed}: {notes:#?}");
    assert!(
        notes.iter().all(|n| n.status == "delivered"),
        "seed {seed}: {notes:#?}"
    );
    println!(
        "crash: consistent after {} kills (seed {seed})",
        points.len()
    );
}

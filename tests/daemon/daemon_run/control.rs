//! The control API over real HTTP on loopback: check-now (after the vendor reverted the
//! state turns ok in one call; two concurrent requests run one check; a rate limit),
//! acknowledgements (reminders stop, a new change re-opens, DELETE clears, the history
//! and `/metrics` show it), contract dry-runs (diagnostics, verdict, bounded size),
//! tokens and scopes (401/403 that leak nothing, counted in a metric), and the CLI
//! talking to a running daemon instead of failing on the state lock.

use super::{get_json, integration, metric_value, metrics, start, wait_for};
use crate::daemon_support::{Mode, Vendor, spec, write_config};
use apidrift::baseline::Store;
use serde_json::{Value, json};
use std::path::Path;
use std::time::{Duration, Instant};

pub const READ_TOKEN: &str = "read-token-canary-7f3a9c";
pub const OPERATE_TOKEN: &str = "operate-token-canary-41be07";
const WRONG_TOKEN: &str = "wrong-token-canary-d00d";

/// v2 without `email` on User: one more change than v2, so a new fingerprint set.
pub fn v3() -> Vec<u8> {
    String::from_utf8(spec("v2.yaml"))
        .unwrap()
        .replace("        email: {type: string}\n", "")
        .into_bytes()
}

/// Writes the token files and appends an `api:` section (and `extra`) to the config.
pub fn with_api(dir: &Path, cfg: &Path, settings: &str, extra: &str) {
    std::fs::write(dir.join("read.token"), format!("{READ_TOKEN}\n")).unwrap();
    std::fs::write(dir.join("operate.token"), format!("{OPERATE_TOKEN}\n")).unwrap();
    let mut text = std::fs::read_to_string(cfg).unwrap();
    text.push_str(&format!(
        "api:\n{settings}  tokens:\n    - name: dashboard\n      scope: read\n      token: {{file: read.token}}\n    - name: fetcher-agent\n      scope: operate\n      token: {{file: operate.token}}\n{extra}"
    ));
    std::fs::write(cfg, text).unwrap();
}

pub fn accept_v1(dir: &Path, name: &str, url: &str) {
    Store::new(dir.join("baselines"))
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

/// A monitor that the scheduler never checks in a test's lifetime (once a year).
pub fn manual_monitor(name: &str, url: &str, extra: &str) -> String {
    format!(
        "name: {name}\nowner: team@example.com\nschedule: \"0 0 0 1 1 *\"\ntimeout: 2s\nspec:\n  url: {url}\nconfirm_after: 1\n{extra}"
    )
}

pub const CONTRACT: &str =
    "consumes:\n  - operation: GET /users\n    entity: user\n    fields: [id, email]\n";

async fn call(
    method: reqwest::Method,
    url: String,
    token: Option<&str>,
    body: Option<Value>,
) -> (u16, reqwest::header::HeaderMap, String) {
    let mut r = reqwest::Client::new().request(method, url);
    if let Some(t) = token {
        r = r.bearer_auth(t);
    }
    if let Some(b) = body {
        r = r.json(&b);
    }
    let resp = r.send().await.unwrap();
    let status = resp.status().as_u16();
    let headers = resp.headers().clone();
    (status, headers, resp.text().await.unwrap())
}

async fn post(url: String, token: Option<&str>, body: Option<Value>) -> (u16, Value) {
    let (s, _, text) = call(reqwest::Method::POST, url, token, body).await;
    (
        s,
        serde_json::from_str(&text).unwrap_or(Value::String(text)),
    )
}

async fn get_with(url: String, token: &str) -> Value {
    let (s, _, text) = call(reqwest::Method::GET, url, Some(token), None).await;
    assert_eq!(s, 200, "{text}");
    serde_json::from_str(&text).unwrap()
}

async fn ready(base: &str) {
    wait_for(30, "/readyz", || async move {
        let s = reqwest::get(format!("{base}/readyz")).await.ok()?.status();
        (s == 200).then_some(())
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn check_now_turns_ok_after_a_revert_in_one_call_and_coalesces_concurrent_requests() {
    let dir = tempfile::tempdir().unwrap();
    let vendor = Vendor::start(Mode::Spec(spec("v2.yaml"))).await;
    let cfg = write_config(
        dir.path(),
        "127.0.0.1:0",
        &[("users", manual_monitor("users", &vendor.url, ""))],
    );
    with_api(dir.path(), &cfg, "  check_interval: 0s\n", "");
    accept_v1(dir.path(), "users", &vendor.url);
    let d = start(&cfg).await;
    ready(&d.base).await;
    let check = format!("{}/api/v1/integrations/users/check", d.base);

    let (s, v) = post(check.clone(), Some(OPERATE_TOKEN), None).await;
    assert_eq!(s, 200, "{v}");
    assert_eq!(
        (v["result"].as_str(), v["status"].as_str()),
        (Some("drift"), Some("drifted"))
    );
    assert_eq!(v["coalesced"], false);
    assert!(!v["changes"].as_array().unwrap().is_empty());

    // The vendor reverted: one call, and the state is ok.
    vendor.set(Mode::Spec(spec("v1.yaml")));
    let t = Instant::now();
    let (s, v) = post(check.clone(), Some(OPERATE_TOKEN), None).await;
    let revert_ms = t.elapsed().as_millis();
    assert_eq!(s, 200, "{v}");
    assert_eq!(
        (v["result"].as_str(), v["status"].as_str()),
        (Some("ok"), Some("ok"))
    );
    assert!(v["changes"].as_array().unwrap().is_empty());
    let doc = get_with(format!("{}/api/v1/integrations", d.base), READ_TOKEN).await;
    assert_eq!(integration(&doc, "users").unwrap()["status"], "ok");
    eprintln!("check-now after a revert: {revert_ms} ms");

    // Two requests while the vendor is slow: one check, two answers.
    vendor.set(Mode::Slow(Duration::from_millis(800), spec("v2.yaml")));
    let before = vendor.hits().len();
    let arrived = vendor.arrivals();
    let (a, b) = tokio::join!(post(check.clone(), Some(OPERATE_TOKEN), None), async {
        // The second request goes once the first one's check is at the (slow) vendor.
        wait_for(10, "the first check at the vendor", || async {
            (vendor.arrivals() > arrived).then_some(())
        })
        .await;
        post(check.clone(), Some(OPERATE_TOKEN), None).await
    });
    assert_eq!((a.0, b.0), (200, 200), "{} {}", a.1, b.1);
    assert_eq!(
        vendor.hits().len(),
        before + 1,
        "two requests ran more than one check"
    );
    let coalesced: Vec<bool> = [&a.1, &b.1]
        .iter()
        .map(|v| v["coalesced"] == true)
        .collect();
    assert_eq!(coalesced, vec![false, true]);
    assert_eq!(a.1["last_check"], b.1["last_check"]);
    assert_eq!(a.1["status"], "drifted");
    let m = metrics(&d.base).await;
    assert_eq!(
        metric_value(
            &m,
            "apidrift_checks_total{integration=\"users\",result=\"drift\"}"
        ),
        Some(2.0)
    );

    let (s, v) = post(
        format!("{}/api/v1/integrations/nope/check", d.base),
        Some(OPERATE_TOKEN),
        None,
    )
    .await;
    assert_eq!(s, 404, "{v}");
    d.stop.send(()).unwrap();
    d.done.await.unwrap().unwrap();
}

/// `drift.reminder` notifications queued for the episode of `drift`.
fn reminders(history: &Value, drift: &str) -> usize {
    history["episodes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["drift"] == drift)
        .flat_map(|e| e["notifications"].as_array().unwrap().iter())
        .filter(|n| n["kind"] == "drift.reminder")
        .count()
}

async fn checks_total(base: &str) -> f64 {
    let m = metrics(base).await;
    ["drift", "unchanged", "ok", "failed"]
        .iter()
        .filter_map(|r| {
            metric_value(
                &m,
                &format!("apidrift_checks_total{{integration=\"users\",result=\"{r}\"}}"),
            )
        })
        .sum()
}

async fn wait_checks(base: &str, n: f64) {
    let from = checks_total(base).await;
    wait_for(30, "scheduled checks", || async move {
        (checks_total(base).await >= from + n).then_some(())
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_acknowledgement_stops_reminders_until_the_drift_changes_and_delete_clears_it() {
    let dir = tempfile::tempdir().unwrap();
    let vendor = Vendor::start(Mode::Spec(spec("v2.yaml"))).await;
    let every_second = format!(
        "name: users\nowner: team@example.com\nschedule: \"* * * * * *\"\ntimeout: 1s\nspec:\n  url: {}\nconfirm_after: 1\nnotify:\n  email: [oncall@example.com]\n  remind_after: 1s\n",
        vendor.url
    );
    let cfg = write_config(dir.path(), "127.0.0.1:0", &[("users", every_second)]);
    // An SMTP relay nobody answers: reminders are queued (and recorded in the history)
    // whether or not they can be delivered.
    with_api(
        dir.path(),
        &cfg,
        "",
        "smtp:\n  host: 127.0.0.1\n  port: 9\n  tls: none\n  from: apidrift <apidrift@example.com>\n  timeout: 1s\n",
    );
    accept_v1(dir.path(), "users", &vendor.url);
    let d = start(&cfg).await;
    ready(&d.base).await;
    let base = d.base.clone();
    let hist_url = format!("{base}/api/v1/integrations/users/history");
    let drift = wait_for(30, "a reminder of the confirmed drift", || {
        let (base, hist_url) = (base.clone(), hist_url.clone());
        async move {
            let doc = get_with(format!("{base}/api/v1/integrations"), READ_TOKEN).await;
            let id = integration(&doc, "users")?["drift"]["id"]
                .as_str()?
                .to_string();
            let h = get_with(hist_url, READ_TOKEN).await;
            (reminders(&h, &id) >= 1).then_some(id)
        }
    })
    .await;

    let ack_url = format!("{base}/api/v1/integrations/users/ack");
    let (s, v) = post(
        ack_url.clone(),
        Some(OPERATE_TOKEN),
        Some(json!({"reason": "regenerating the fetcher", "by": "ana"})),
    )
    .await;
    assert_eq!(s, 200, "{v}");
    assert_eq!(v["acknowledged"]["drift"], drift.as_str());
    assert_eq!(v["acknowledged"]["by"], "ana");
    let m = metrics(&base).await;
    assert_eq!(
        metric_value(&m, "apidrift_drift_acknowledged{integration=\"users\"}"),
        Some(1.0)
    );
    // A check in flight when the ack arrived may still remind once; after it, none.
    wait_checks(&base, 1.0).await;
    let quiet_from = reminders(&get_with(hist_url.clone(), READ_TOKEN).await, &drift);
    wait_checks(&base, 3.0).await;
    let h = get_with(hist_url.clone(), READ_TOKEN).await;
    assert_eq!(
        reminders(&h, &drift),
        quiet_from,
        "a reminder after the acknowledgement"
    );
    let ep = h["episodes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["drift"] == drift.as_str())
        .unwrap();
    assert_eq!(ep["acknowledgements"][0]["by"], "ana");
    assert_eq!(
        ep["acknowledgements"][0]["note"],
        "regenerating the fetcher"
    );
    assert!(
        ep["ended_at"].is_null(),
        "an acknowledgement must not end the drift"
    );
    let doc = get_with(format!("{base}/api/v1/integrations"), READ_TOKEN).await;
    assert_eq!(
        integration(&doc, "users").unwrap()["acknowledged"]["reason"],
        "regenerating the fetcher"
    );
    // The baseline is untouched.
    let rec = Store::new(dir.path().join("baselines"))
        .record("users")
        .unwrap()
        .unwrap();
    assert_eq!(rec.digest, apidrift::baseline::digest(&spec("v1.yaml")));

    // A new change is a new drift: no acknowledgement covers it, reminders resume.
    vendor.set(Mode::Spec(v3()));
    let new = wait_for(30, "a reminder of the new drift", || {
        let (base, hist_url, old) = (base.clone(), hist_url.clone(), drift.clone());
        async move {
            let doc = get_with(format!("{base}/api/v1/integrations"), READ_TOKEN).await;
            let i = integration(&doc, "users")?;
            let id = i["drift"]["id"].as_str()?.to_string();
            if id == old || !i["acknowledged"].is_null() {
                return None;
            }
            let h = get_with(hist_url, READ_TOKEN).await;
            (reminders(&h, &id) >= 1).then_some(id)
        }
    })
    .await;
    let m = metrics(&base).await;
    assert_eq!(
        metric_value(&m, "apidrift_drift_acknowledged{integration=\"users\"}"),
        Some(0.0)
    );

    // Acknowledged with an `until`, then cleared: the history keeps both.
    let until = (chrono::Utc::now() + chrono::Duration::hours(4)).to_rfc3339();
    let (s, v) = post(
        ack_url.clone(),
        Some(OPERATE_TOKEN),
        Some(json!({"reason": "vendor ticket 123", "until": until})),
    )
    .await;
    assert_eq!(s, 200, "{v}");
    assert_eq!(v["acknowledged"]["by"], "token:fetcher-agent");
    let (s, _, text) = call(
        reqwest::Method::DELETE,
        ack_url.clone(),
        Some(OPERATE_TOKEN),
        None,
    )
    .await;
    assert_eq!(s, 200, "{text}");
    let v: Value = serde_json::from_str(&text).unwrap();
    assert!(v["acknowledged"].is_null());
    let h = get_with(hist_url.clone(), READ_TOKEN).await;
    let ep = h["episodes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["drift"] == new.as_str())
        .unwrap();
    assert!(ep["acknowledgements"][0]["until"].is_string());
    assert_eq!(
        ep["acknowledgements"][0]["cleared_by"],
        "token:fetcher-agent"
    );
    // Bad requests say what is wrong.
    let (s, v) = post(
        ack_url.clone(),
        Some(OPERATE_TOKEN),
        Some(json!({"reason": " "})),
    )
    .await;
    assert_eq!(s, 422, "{v}");
    let (s, v) = post(
        ack_url,
        Some(OPERATE_TOKEN),
        Some(json!({"reason": "x", "until": "2001-01-01T00:00:00Z"})),
    )
    .await;
    assert_eq!(s, 422, "{v}");
    d.stop.send(()).unwrap();
    d.done.await.unwrap().unwrap();
}

fn no_secret(text: &str) {
    for t in [READ_TOKEN, OPERATE_TOKEN, WRONG_TOKEN] {
        assert!(!text.contains(t), "a response carries a token: {text}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tokens_and_scopes_refuse_with_401_and_403_leak_nothing_and_are_counted() {
    let dir = tempfile::tempdir().unwrap();
    let vendor = Vendor::start(Mode::Spec(v3())).await;
    let cfg = write_config(
        dir.path(),
        "127.0.0.1:0",
        &[("users", manual_monitor("users", &vendor.url, CONTRACT))],
    );
    with_api(
        dir.path(),
        &cfg,
        "  require_token: true\n  check_interval: 1h\n",
        "",
    );
    accept_v1(dir.path(), "users", &vendor.url);
    let d = start(&cfg).await;
    ready(&d.base).await;
    let base = d.base.clone();
    for open in ["/healthz", "/readyz", "/metrics"] {
        let (s, _, _) = call(reqwest::Method::GET, format!("{base}{open}"), None, None).await;
        assert_eq!(s, 200, "{open} must stay open");
    }
    let get = reqwest::Method::GET;
    for path in [
        "/",
        "/integrations/users",
        "/api/v1/integrations",
        "/api/v1/integrations/users/history",
    ] {
        for token in [None, Some(WRONG_TOKEN)] {
            let (s, h, text) = call(get.clone(), format!("{base}{path}"), token, None).await;
            assert_eq!(s, 401, "{path} with {token:?}: {text}");
            assert!(h.get("www-authenticate").is_some());
            no_secret(&text);
            assert!(
                !text.contains("users") || path.contains("users") && !text.contains("drift"),
                "{text}"
            );
        }
        let (s, _, text) = call(get.clone(), format!("{base}{path}"), Some(READ_TOKEN), None).await;
        assert_eq!(s, 200, "{path}: {text}");
    }
    // Operate endpoints: missing or wrong → 401, read → 403; nothing runs.
    let hits = vendor.hits().len();
    let check = format!("{base}/api/v1/integrations/users/check");
    let ack = format!("{base}/api/v1/integrations/users/ack");
    for (url, method) in [
        (&check, reqwest::Method::POST),
        (&ack, reqwest::Method::POST),
        (&ack, reqwest::Method::DELETE),
    ] {
        for (token, want) in [
            (None, 401),
            (Some(WRONG_TOKEN), 401),
            (Some(READ_TOKEN), 403),
        ] {
            let body = Some(json!({"reason": "x"}));
            let (s, _, text) = call(method.clone(), url.clone(), token, body).await;
            assert_eq!(s, want, "{method} {url} with {token:?}: {text}");
            no_secret(&text);
        }
    }
    assert_eq!(
        vendor.hits().len(),
        hits,
        "a refused request reached the vendor"
    );
    let m = metrics(&base).await;
    assert!(
        metric_value(&m, "apidrift_api_auth_failures_total{reason=\"missing\"}").unwrap() >= 7.0
    );
    assert!(
        metric_value(&m, "apidrift_api_auth_failures_total{reason=\"invalid\"}").unwrap() >= 7.0
    );
    assert_eq!(
        metric_value(
            &m,
            "apidrift_api_auth_failures_total{reason=\"insufficient_scope\"}"
        ),
        Some(3.0)
    );
    no_secret(&m);

    // The rate limit: a second requested check within `check_interval` is refused.
    let (s, v) = post(check.clone(), Some(OPERATE_TOKEN), None).await;
    assert_eq!(s, 200, "{v}");
    let (s, h, text) = call(
        reqwest::Method::POST,
        check.clone(),
        Some(OPERATE_TOKEN),
        None,
    )
    .await;
    assert_eq!(s, 429, "{text}");
    assert!(h.get("retry-after").is_some());

    // No route accepts a baseline, whatever the token.
    let digest = Store::new(dir.path().join("baselines"))
        .record("users")
        .unwrap()
        .unwrap()
        .digest;
    for path in [
        "/api/v1/integrations/users/baseline",
        "/api/v1/integrations/users/accept",
        "/api/v1/baselines/users",
    ] {
        let (s, _) = post(
            format!("{base}{path}"),
            Some(OPERATE_TOKEN),
            Some(json!({"reason": "x"})),
        )
        .await;
        assert!(s == 404 || s == 405, "{path}: {s}");
    }
    assert_eq!(
        Store::new(dir.path().join("baselines"))
            .record("users")
            .unwrap()
            .unwrap()
            .digest,
        digest
    );

    // Dry-runs: a read token may; diagnostics for a field the spec lacks; the verdict.
    let dry = format!("{base}/api/v1/contracts/dry-run");
    let ok = json!({"integration": "users", "consumes": [{"operation": "GET /users", "entity": "user", "fields": ["id", "email"]}]});
    let t = Instant::now();
    let (s, v) = post(dry.clone(), Some(READ_TOKEN), Some(ok)).await;
    eprintln!("dry-run: {} ms", t.elapsed().as_millis());
    assert_eq!(s, 200, "{v}");
    assert_eq!(v["resolves"], true, "{v}");
    assert_eq!(v["verdict"]["counts"]["lost"], 1, "{v}");
    let bad = json!({"integration": "users", "consumes": [{"operation": "GET /users", "entity": "user", "fields": ["id", "emial"]}]});
    let (s, v) = post(dry.clone(), Some(READ_TOKEN), Some(bad)).await;
    assert_eq!(s, 200, "{v}");
    assert_eq!(v["resolves"], false);
    let msg = v["diagnostics"].to_string();
    assert!(
        msg.contains("consumes-unknown-field") && msg.contains("emial"),
        "{msg}"
    );
    let (s, _) = post(
        dry.clone(),
        None,
        Some(json!({"integration": "users", "consumes": []})),
    )
    .await;
    assert_eq!(s, 401);
    // 10,000 fields, then one very deep path: refused at once with a clear error.
    let many: Vec<String> = (0..10_000).map(|i| format!("field_{i}")).collect();
    let huge = json!({"integration": "users", "consumes": [{"operation": "GET /users", "entity": "user", "fields": many}]});
    let t = Instant::now();
    let (s, v) = post(dry.clone(), Some(READ_TOKEN), Some(huge)).await;
    let huge_ms = t.elapsed().as_millis();
    assert_eq!(s, 413, "{v}");
    assert!(v["error"].as_str().unwrap().contains("1000 fields"), "{v}");
    let deep = vec!["a"; 5_000].join(".");
    let (s, v) = post(dry.clone(), Some(READ_TOKEN), Some(json!({"integration": "users", "consumes": [{"operation": "GET /users", "entity": "user", "fields": [deep]}]}))).await;
    assert_eq!(s, 413, "{v}");
    eprintln!("dry-run with 10,000 fields refused in {huge_ms} ms");
    let (s, v) = post(
        dry,
        Some(READ_TOKEN),
        Some(json!({"integration": "nope", "consumes": []})),
    )
    .await;
    assert_eq!(s, 404, "{v}");
    d.stop.send(()).unwrap();
    d.done.await.unwrap().unwrap();
}

/// Users whose `profile.address.geo` sits three component hops below the list item:
/// deeper than the diff reports per operation unless a contract watches the path.
fn deep_spec(with_lat: bool) -> Vec<u8> {
    let lat = if with_lat {
        "        lat: {type: number}\n"
    } else {
        ""
    };
    format!(
        "openapi: 3.0.3\ninfo: {{title: deep, version: '1'}}\npaths:\n  /users:\n    get:\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema:\n                type: array\n                items: {{$ref: '#/components/schemas/User'}}\ncomponents:\n  schemas:\n    User:\n      type: object\n      properties:\n        id: {{type: string}}\n        profile: {{$ref: '#/components/schemas/Profile'}}\n    Profile:\n      type: object\n      properties:\n        address: {{$ref: '#/components/schemas/Address'}}\n    Address:\n      type: object\n      properties:\n        geo: {{$ref: '#/components/schemas/Geo'}}\n    Geo:\n      type: object\n      properties:\n{lat}        lng: {{type: number}}\n"
    )
    .into_bytes()
}

/// A dry-run judges the proposed contract against today's spec with its own fields
/// watched, not only against the changes the last check found for the current
/// contract: a deep field the current contract does not read is still found lost.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dry_run_rediffs_the_current_spec_with_the_proposed_fields_watched() {
    let dir = tempfile::tempdir().unwrap();
    let vendor = Vendor::start(Mode::Spec(deep_spec(false))).await;
    let contract = "consumes:\n  - operation: GET /users\n    entity: user\n    fields: [id]\n";
    let cfg = write_config(
        dir.path(),
        "127.0.0.1:0",
        &[("users", manual_monitor("users", &vendor.url, contract))],
    );
    with_api(dir.path(), &cfg, "  check_interval: 0s\n", "");
    Store::new(dir.path().join("baselines"))
        .accept(
            "users",
            &deep_spec(true),
            &vendor.url,
            "test",
            "initial",
            chrono::Utc::now(),
        )
        .unwrap();
    let d = start(&cfg).await;
    ready(&d.base).await;
    let (s, v) = post(
        format!("{}/api/v1/integrations/users/check", d.base),
        Some(OPERATE_TOKEN),
        None,
    )
    .await;
    assert_eq!(s, 200, "{v}");
    assert_eq!(v["result"], "drift", "{v}");
    // What the check saved: the removal once, under `components`, not at GET /users.
    let saved = get_json(&format!("{}/api/v1/integrations/users", d.base))
        .await
        .to_string();
    assert!(saved.contains("lat"), "the check saw the removal: {saved}");

    let dry = format!("{}/api/v1/contracts/dry-run", d.base);
    let deep = json!({"integration": "users", "consumes": [{"operation": "GET /users", "entity": "user", "fields": ["id", "profile.address.geo.lat", "profile.address.geo.lng"]}]});
    let (s, v) = post(dry.clone(), Some(READ_TOKEN), Some(deep)).await;
    assert_eq!(s, 200, "{v}");
    assert_eq!(v["resolves"], true, "{v}");
    assert_eq!(v["judged_against"], "spec", "{v}");
    assert_eq!(v["verdict"]["counts"]["lost"], 1, "{v}");
    let lost: Vec<&str> = v["verdict"]["operations"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|o| o["fields"].as_array().unwrap())
        .filter(|f| f["state"] == "lost")
        .filter_map(|f| f["field"].as_str())
        .collect();
    assert_eq!(lost, ["profile.address.geo.lat"], "{v}");
    // The stored changes alone would not have said so: the current contract's verdict
    // has no lost field.
    let (s, v) = post(
        dry,
        Some(READ_TOKEN),
        Some(json!({"integration": "users", "consumes": [{"operation": "GET /users", "entity": "user", "fields": ["id"]}]})),
    )
    .await;
    assert_eq!(s, 200, "{v}");
    assert_eq!(v["verdict"]["counts"]["lost"], 0, "{v}");
    d.stop.send(()).unwrap();
    d.done.await.unwrap().unwrap();
}

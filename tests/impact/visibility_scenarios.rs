//! Visibility scenarios end to end: a real loopback vendor (axum) serves a spec and a
//! live sample; the real binary accepts a baseline (contract resolved, sample shape
//! stored) and then checks a changed vendor. Each test asserts the exact verdict:
//! consumed fields by state, visibility ratio, possible rename, sample findings. The
//! daemon test asserts metrics, `/api/v1/integrations` and preflight; the privacy test
//! that canary values in samples appear nowhere afterwards.

use axum::Router;
use axum::extract::State;
use axum::http::{HeaderName, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use serde_json::{Value, json};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const CANARY_EMAIL: &str = "canary.person@leak-test.example";
const CANARY_TOKEN: &str = "tok_9fQ2xLr7VbN3kTz8WmY4pS6d";

/// What the vendor serves.
#[derive(Clone)]
struct Served {
    spec: Value,
    sample_status: u16,
    sample_headers: Vec<(&'static str, String)>,
    sample: Value,
}

#[derive(Clone)]
struct Vendor {
    base: String,
    served: Arc<Mutex<Served>>,
}

impl Vendor {
    async fn start(served: Served) -> Vendor {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let v = Vendor {
            base: format!("http://{}", listener.local_addr().unwrap()),
            served: Arc::new(Mutex::new(served)),
        };
        let app = Router::new()
            .route("/openapi.json", get(spec))
            .route("/api/v1/users", get(users))
            .with_state(v.clone());
        tokio::spawn(async move { axum::serve(listener, app).await });
        v
    }

    fn set(&self, f: impl FnOnce(&mut Served)) {
        f(&mut self.served.lock().unwrap());
    }
}

async fn spec(State(v): State<Vendor>) -> Response {
    let s = v.served.lock().unwrap().spec.clone();
    axum::Json(s).into_response()
}

async fn users(State(v): State<Vendor>) -> Response {
    let s = v.served.lock().unwrap().clone();
    let mut r = axum::Json(s.sample).into_response();
    *r.status_mut() = StatusCode::from_u16(s.sample_status).unwrap();
    for (k, val) in s.sample_headers {
        r.headers_mut().insert(
            HeaderName::from_static(k),
            HeaderValue::from_str(&val).unwrap(),
        );
    }
    r
}

fn user_schema() -> Value {
    json!({
        "type": "object",
        "required": ["id", "status"],
        "properties": {
            "id": {"type": "string"},
            "status": {"type": "string", "enum": ["ACTIVE", "SUSPENDED"]},
            "lastLogin": {"type": "string", "format": "date-time"},
            "email": {"type": "string"},
            "nickname": {"type": "string"}
        }
    })
}

fn base_spec() -> Value {
    json!({
        "openapi": "3.0.3",
        "info": {"title": "Users", "version": "1"},
        "paths": {
            "/api/v1/users": {
                "get": {
                    "operationId": "listUsers",
                    "parameters": [{
                        "name": "limit", "in": "query",
                        "schema": {"type": "integer", "maximum": 200}
                    }],
                    "responses": {
                        "200": {
                            "description": "users",
                            "content": {"application/json": {"schema": {
                                "type": "object",
                                "properties": {
                                    "data": {"type": "array", "items": {"$ref": "#/components/schemas/User"}}
                                }
                            }}}
                        }
                    }
                }
            }
        },
        "components": {"schemas": {"User": user_schema()}}
    })
}

fn user(i: usize) -> Value {
    json!({
        "id": format!("u{i}"),
        "status": "ACTIVE",
        "lastLogin": "2024-05-01T10:00:00Z",
        "email": CANARY_EMAIL,
        "nickname": CANARY_TOKEN,
    })
}

fn sample_of(n: usize) -> Value {
    json!({"data": (0..n).map(user).collect::<Vec<_>>()})
}

fn served() -> Served {
    Served {
        spec: base_spec(),
        sample_status: 200,
        sample_headers: Vec::new(),
        sample: sample_of(4),
    }
}

/// Writes the config of one monitor `users` reading `lastLogin`, `email`, `status`
/// and `id` from the vendor's users list, with one sample.
fn write_config(dir: &Path, vendor: &Vendor) -> PathBuf {
    std::fs::create_dir_all(dir.join("monitors")).unwrap();
    std::fs::write(dir.join("token"), "secret-sample-token\n").unwrap();
    let cfg = dir.join("apidrift.yaml");
    std::fs::write(&cfg, "retries: 0\nshutdown_timeout: 5s\n").unwrap();
    std::fs::write(
        dir.join("monitors/users.yaml"),
        format!(
            "name: users
owner: team@example.com
schedule: '* * * * * *'
timeout: 5s
spec:
  url: {base}/openapi.json
consumes:
  - operation: GET /api/v1/users
    entity: user
    fields: [id, status, lastLogin, email]
    pagination: {{page_size_param: limit}}
samples:
  - name: users
    operation: GET /api/v1/users
    url: {base}/api/v1/users?limit=5
    auth: {{bearer_file: ../token}}
    items: /data
",
            base = vendor.base
        ),
    )
    .unwrap();
    cfg
}

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn apidrift(cfg: &Path, args: &[&str]) -> Run {
    let out = Command::new(env!("CARGO_BIN_EXE_apidrift"))
        .args(args)
        .arg("--config")
        .arg(cfg)
        .env("APIDRIFT_LOG", "debug")
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

async fn run_blocking(cfg: PathBuf, args: Vec<&'static str>) -> Run {
    tokio::task::spawn_blocking(move || apidrift(&cfg, &args))
        .await
        .unwrap()
}

/// The expected verdict: fields (`METHOD /path field`) by state and the ratio.
struct Expect<'a> {
    ok: &'a [&'a str],
    at_risk: &'a [&'a str],
    lost: &'a [&'a str],
    visibility: f64,
}

fn fields(names: &[&str]) -> Vec<String> {
    names
        .iter()
        .map(|f| format!("GET /api/v1/users {f}"))
        .collect()
}

/// Accepts the base, applies `change` to the vendor, checks, and returns the JSON of
/// the integration after asserting the verdict.
async fn scenario(change: impl FnOnce(&mut Served), expect: Expect<'_>, code: i32) -> Value {
    let dir = tempfile::tempdir().unwrap();
    let vendor = Vendor::start(served()).await;
    let cfg = write_config(dir.path(), &vendor);
    let acc = run_blocking(
        cfg.clone(),
        vec!["baseline", "accept", "users", "--reason", "base"],
    )
    .await;
    assert_eq!(acc.code, 0, "accept: {}{}", acc.stdout, acc.stderr);
    vendor.set(change);
    let r = run_blocking(cfg.clone(), vec!["check", "--format", "json"]).await;
    assert_eq!(r.code, code, "check: {}\n{}", r.stdout, r.stderr);
    let v: Value = serde_json::from_str(&r.stdout).unwrap();
    let it = v["integrations"][0].clone();
    let verdict = &it["verdict"];
    let got =
        |s: &str| -> Vec<String> { serde_json::from_value(verdict["fields"][s].clone()).unwrap() };
    assert_eq!(got("ok"), fields(expect.ok), "ok: {verdict:#}");
    assert_eq!(
        got("at_risk"),
        fields(expect.at_risk),
        "at_risk: {verdict:#}"
    );
    assert_eq!(got("lost"), fields(expect.lost), "lost: {verdict:#}");
    assert_eq!(verdict["visibility"].as_f64().unwrap(), expect.visibility);
    assert_no_canary(&r.stdout, "check output");
    assert_no_canary(&r.stderr, "check log");
    it
}

fn assert_no_canary(text: &str, what: &str) {
    for c in [CANARY_EMAIL, CANARY_TOKEN, "secret-sample-token"] {
        assert!(!text.contains(c), "{what} contains a canary `{c}`:\n{text}");
    }
}

fn finding_ids(it: &Value) -> Vec<String> {
    it["verdict"]["samples"][0]["findings"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|f| f["id"].as_str().unwrap().to_string())
                .collect()
        })
        .unwrap_or_default()
}

fn reason_ids(it: &Value, field: &str) -> Vec<String> {
    let f = it["verdict"]["operations"][0]["fields"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["field"] == field)
        .unwrap()
        .clone();
    f["reasons"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|r| r["id"].as_str().unwrap().to_string())
                .collect()
        })
        .unwrap_or_default()
}

fn user_props(s: &mut Served) -> &mut serde_json::Map<String, Value> {
    s.spec["components"]["schemas"]["User"]["properties"]
        .as_object_mut()
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn consumed_field_renamed_is_lost_with_a_possible_rename() {
    let it = scenario(
        |s| {
            let p = user_props(s);
            let f = p.remove("lastLogin").unwrap();
            p.insert("lastLoginAt".into(), f);
            for u in s.sample["data"].as_array_mut().unwrap() {
                let o = u.as_object_mut().unwrap();
                let v = o.remove("lastLogin").unwrap();
                o.insert("lastLoginAt".into(), v);
            }
        },
        Expect {
            ok: &["id", "status", "email"],
            at_risk: &[],
            lost: &["lastLogin"],
            visibility: 0.75,
        },
        1,
    )
    .await;
    assert_eq!(
        it["verdict"]["possible_renames"],
        json!([{"operation": "GET /api/v1/users", "field": "lastLogin", "possible_rename": "lastLoginAt"}])
    );
    let removed = it["changes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == "response-optional-property-removed")
        .expect("the removal is reported");
    assert_eq!(removed["level"], "Err");
    assert_eq!(removed["consumed"], true);
    assert_eq!(removed["affects"], json!(["GET /api/v1/users lastLogin"]));
    assert!(finding_ids(&it).contains(&"sample-field-missing".to_string()));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn enum_value_added_to_a_consumed_field_puts_it_at_risk() {
    let it = scenario(
        |s| {
            user_props(s)["status"]["enum"]
                .as_array_mut()
                .unwrap()
                .push(json!("DEPROVISIONED"));
        },
        Expect {
            ok: &["id", "lastLogin", "email"],
            at_risk: &["status"],
            lost: &[],
            visibility: 1.0,
        },
        0,
    )
    .await;
    assert_eq!(
        reason_ids(&it, "status"),
        ["response-property-enum-value-added"]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn consumed_field_made_nullable_is_at_risk() {
    let it = scenario(
        |s| {
            user_props(s)["email"]["nullable"] = json!(true);
        },
        Expect {
            ok: &["id", "status", "lastLogin"],
            at_risk: &["email"],
            lost: &[],
            visibility: 1.0,
        },
        // The rule's own level is ERR; the contract never lowers a level.
        1,
    )
    .await;
    assert_eq!(
        reason_ids(&it, "email"),
        ["response-property-became-nullable"]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn page_size_narrowed_puts_every_field_at_risk() {
    let it = scenario(
        |s| {
            s.spec["paths"]["/api/v1/users"]["get"]["parameters"][0]["schema"]["maximum"] =
                json!(50);
        },
        Expect {
            ok: &[],
            at_risk: &["id", "status", "lastLogin", "email"],
            lost: &[],
            visibility: 1.0,
        },
        // The rule's own level is ERR; the contract never lowers a level.
        1,
    )
    .await;
    assert_eq!(reason_ids(&it, "id"), ["request-parameter-max-decreased"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn item_count_halved_with_200_is_a_sample_risk() {
    let it = scenario(
        |s| s.sample = sample_of(2),
        Expect {
            ok: &[],
            at_risk: &["id", "status", "lastLogin", "email"],
            lost: &[],
            visibility: 1.0,
        },
        0,
    )
    .await;
    assert_eq!(finding_ids(&it), ["sample-item-count-dropped"]);
    assert_eq!(it["verdict"]["samples"][0]["items"], 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn consumed_field_documented_but_null_in_every_sample_is_lost() {
    let it = scenario(
        |s| {
            for u in s.sample["data"].as_array_mut().unwrap() {
                u["email"] = Value::Null;
            }
        },
        Expect {
            ok: &["id", "status", "lastLogin"],
            at_risk: &[],
            lost: &["email"],
            visibility: 0.75,
        },
        1,
    )
    .await;
    assert_eq!(reason_ids(&it, "email"), ["sample-field-always-null"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn forbidden_sample_fails_the_check_and_reports_a_visibility_risk() {
    let it = scenario(
        |s| s.sample_status = 403,
        Expect {
            ok: &[],
            at_risk: &["id", "status", "lastLogin", "email"],
            lost: &[],
            visibility: 1.0,
        },
        4,
    )
    .await;
    assert_eq!(it["status"], "failing");
    assert_eq!(it["failure"]["reason"], "forbidden");
    assert_eq!(finding_ids(&it), ["sample-request-forbidden"]);
    let risks = it["verdict"]["risks"].as_array().unwrap();
    assert_eq!(risks.len(), 1);
    assert!(
        risks[0]
            .as_str()
            .unwrap()
            .starts_with("visibility risk: sample `users`"),
        "{risks:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unconsumed_field_removed_keeps_visibility_whole() {
    let it = scenario(
        |s| {
            user_props(s).remove("nickname");
            for u in s.sample["data"].as_array_mut().unwrap() {
                u.as_object_mut().unwrap().remove("nickname");
            }
        },
        Expect {
            ok: &["id", "status", "lastLogin", "email"],
            at_risk: &[],
            lost: &[],
            visibility: 1.0,
        },
        0,
    )
    .await;
    let c = &it["changes"][0];
    assert_eq!(c["id"], "response-optional-property-removed");
    assert_eq!(c["consumed"], false);
    assert_eq!(c["affects"], json!([]));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn accept_refuses_an_unknown_consumed_field_with_a_near_miss() {
    let dir = tempfile::tempdir().unwrap();
    let vendor = Vendor::start(served()).await;
    let cfg = write_config(dir.path(), &vendor);
    let m = dir.path().join("monitors/users.yaml");
    let text = std::fs::read_to_string(&m)
        .unwrap()
        .replace("lastLogin, email", "lastlogin, email");
    std::fs::write(&m, text).unwrap();
    let r = run_blocking(
        cfg.clone(),
        vec!["baseline", "accept", "users", "--reason", "x"],
    )
    .await;
    assert_eq!(r.code, 5, "{}{}", r.stdout, r.stderr);
    assert!(
        r.stderr.contains("monitors/users.yaml:10:5"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr.contains("did you mean `lastLogin`?"),
        "{}",
        r.stderr
    );
    assert!(!dir.path().join("baselines/users.yaml").exists());
}

/// The daemon: a `Sunset` header on the sample is reported and exported as a metric;
/// the verdict is in `/api/v1/integrations` and the preflight follows the policy.
/// Afterwards no canary value is anywhere on disk or in any HTTP answer.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sunset_header_is_reported_and_exported_and_no_value_leaks() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let vendor = Vendor::start(served()).await;
    let cfg = write_config(d, &vendor);
    let acc = run_blocking(
        cfg.clone(),
        vec!["baseline", "accept", "users", "--reason", "base"],
    )
    .await;
    assert_eq!(acc.code, 0, "{}", acc.stderr);
    assert_no_canary(&acc.stdout, "accept output");
    assert_no_canary(&acc.stderr, "accept log");
    vendor.set(|s| {
        s.sample_headers = vec![
            ("sunset", "Wed, 01 Jan 2031 00:00:00 GMT".to_string()),
            ("deprecation", "@1700000000".to_string()),
        ]
    });

    let v = apidrift::monitor::load(&cfg, true);
    assert_eq!(v.errors(), 0);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let (_reload, reloads) = tokio::sync::mpsc::channel(1);
    let done = tokio::spawn(apidrift::daemon::run(
        listener,
        v.config,
        async {
            let _ = stopped.await;
        },
        reloads,
    ));
    let get = |p: &str| {
        let url = format!("{base}{p}");
        async move { reqwest::get(url).await.unwrap().text().await.unwrap() }
    };
    let end = Instant::now() + Duration::from_secs(15);
    let metrics = loop {
        let t = get("/metrics").await;
        if t.contains("apidrift_sunset_timestamp_seconds{") {
            break t;
        }
        assert!(Instant::now() < end, "no sunset metric:\n{t}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    assert!(
        metrics.contains(
            r#"apidrift_sunset_timestamp_seconds{integration="users",operation="GET /api/v1/users"} 1924992000"#
        ),
        "{metrics}"
    );
    assert!(metrics.contains(r#"apidrift_visibility_ratio{integration="users"} 1"#));
    assert!(metrics.contains(r#"apidrift_consumed_fields{integration="users",state="at_risk"} 4"#));
    assert!(metrics.contains(r#"apidrift_consumed_fields{integration="users",state="lost"} 0"#));

    promtool_clean(&metrics);

    let list: Value = serde_json::from_str(&get("/api/v1/integrations").await).unwrap();
    let verdict = &list["integrations"][0]["verdict"];
    assert_eq!(
        verdict["lifecycle"],
        json!([{"operation": "GET /api/v1/users", "deprecated": true, "sunset_at": 1924992000i64, "source": "header"}])
    );
    let ids: Vec<&str> = verdict["samples"][0]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        ids,
        ["sample-operation-deprecated", "sample-operation-sunset"]
    );
    // block_on_lost (the default): at-risk fields do not block.
    let pre: Value =
        serde_json::from_str(&get("/api/v1/integrations/users/preflight").await).unwrap();
    assert_eq!(pre, json!({"allowed": true, "reasons": []}));

    // Now every sample is refused: the check fails, the verdict says so, and
    // under block_on_at_risk the gate closes.
    vendor.set(|s| s.sample_status = 401);
    let end = Instant::now() + Duration::from_secs(15);
    loop {
        let t = get("/metrics").await;
        if t.contains(r#"apidrift_check_failures_total{integration="users",reason="forbidden"} 1"#)
        {
            break;
        }
        assert!(Instant::now() < end, "no forbidden failure:\n{t}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let changes = get("/api/v1/integrations/users/changes").await;
    // The pages and the history too (issue 11): shapes and names, never a value.
    let page = get("/integrations/users").await;
    assert!(page.contains("was refused (HTTP 401)"), "{page}");
    let all = format!(
        "{metrics}{}{}{changes}{page}{}{}",
        get("/metrics").await,
        get("/api/v1/integrations").await,
        get("/").await,
        get("/api/v1/integrations/users/history").await
    );
    stop.send(()).unwrap();
    done.await.unwrap().unwrap();
    assert_no_canary(&all, "HTTP answers");

    // Nothing on disk holds a canary: baselines (record, objects, log) and state.
    for entry in walk(d) {
        if entry.ends_with("token") {
            continue;
        }
        let text = String::from_utf8_lossy(&std::fs::read(&entry).unwrap()).into_owned();
        assert_no_canary(&text, &entry.display().to_string());
    }
    // The stored shape exists and names fields, not values.
    let rec = std::fs::read_to_string(d.join("baselines/users.yaml")).unwrap();
    assert!(rec.contains("samples: objects/sha256/"), "{rec}");

    // The binary's own check (debug log captured) does not print one either.
    let r = run_blocking(cfg.clone(), vec!["check"]).await;
    assert_eq!(r.code, 4, "{}{}", r.stdout, r.stderr);
    assert!(
        r.stdout
            .contains("visibility risk: sample `users` was refused with HTTP 401"),
        "{}",
        r.stdout
    );
    assert_no_canary(&r.stdout, "check text");
    assert_no_canary(&r.stderr, "check debug log");
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out
}

/// `promtool check metrics` reports nothing on `text`.
fn promtool_clean(text: &str) {
    use std::io::Write;
    let mut child = Command::new("promtool")
        .args(["check", "metrics"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("promtool is needed for this test (Debian package `prometheus`)");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(text.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    let report = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        out.status.success() && report.trim().is_empty(),
        "promtool: {report}"
    );
}

/// The stored sample shapes named by the baseline record of `users`.
fn stored_shapes(dir: &Path) -> Value {
    let rec = std::fs::read_to_string(dir.join("baselines/users.yaml")).unwrap();
    let rel = rec
        .lines()
        .find_map(|l| l.strip_prefix("samples: "))
        .unwrap_or_else(|| panic!("no samples in the record:\n{rec}"));
    serde_json::from_str(&std::fs::read_to_string(dir.join("baselines").join(rel.trim())).unwrap())
        .unwrap()
}

fn edit_monitor(dir: &Path, from: &str, to: &str) {
    let m = dir.join("monitors/users.yaml");
    let text = std::fs::read_to_string(&m).unwrap();
    assert!(text.contains(from), "{from:?} not in\n{text}");
    std::fs::write(&m, text.replace(from, to)).unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sample_without_items_follows_the_item_of_its_operation() {
    let dir = tempfile::tempdir().unwrap();
    let vendor = Vendor::start(served()).await;
    let cfg = write_config(dir.path(), &vendor);
    edit_monitor(dir.path(), "    items: /data\n", "");
    let acc = run_blocking(
        cfg.clone(),
        vec!["baseline", "accept", "users", "--reason", "base"],
    )
    .await;
    assert_eq!(acc.code, 0, "accept: {}{}", acc.stdout, acc.stderr);
    let shapes = stored_shapes(dir.path());
    assert_eq!(shapes["samples"]["users"]["items"], "/data");
    assert_eq!(shapes["samples"]["users"]["shape"]["items"], 4);
    assert!(shapes["samples"]["users"]["shape"]["fields"]["lastLogin"].is_object());

    // The consumed fields are the sample's paths: dropping one from the sample alone
    // is seen as that field missing.
    vendor.set(|s| {
        for u in s.sample["data"].as_array_mut().unwrap() {
            u.as_object_mut().unwrap().remove("lastLogin");
        }
    });
    let r = run_blocking(cfg.clone(), vec!["check", "--format", "json"]).await;
    assert_eq!(r.code, 1, "check: {}\n{}", r.stdout, r.stderr);
    let v: Value = serde_json::from_str(&r.stdout).unwrap();
    let it = &v["integrations"][0];
    assert_eq!(
        it["verdict"]["fields"]["lost"],
        json!(["GET /api/v1/users lastLogin"])
    );
    assert_eq!(finding_ids(it), ["sample-field-missing"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn accept_refuses_a_sample_whose_items_disagree_with_the_contract_item() {
    let dir = tempfile::tempdir().unwrap();
    let vendor = Vendor::start(served()).await;
    let cfg = write_config(dir.path(), &vendor);
    edit_monitor(dir.path(), "    items: /data\n", "    items: /\n");
    let r = run_blocking(
        cfg.clone(),
        vec!["baseline", "accept", "users", "--reason", "x"],
    )
    .await;
    assert_eq!(r.code, 5, "{}{}", r.stdout, r.stderr);
    assert!(
        r.stderr.contains("monitors/users.yaml:17:5")
            && r.stderr.contains("error[sample-items-mismatch]")
            && r.stderr.contains(
                "sample `users` takes its items at `/` but the item of GET /api/v1/users is at `/data`"
            ),
        "{}",
        r.stderr
    );
    assert!(!dir.path().join("baselines/users.yaml").exists());
}

/// A single user (`{id, status, lastLogin, email, groups: [...]}`) at the users path:
/// before, its one array property was taken for a list wrapper and the accept failed
/// with exit 5 on every real field.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn regression_a_single_resource_with_one_array_property_is_accepted_and_checked() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = served();
    let mut one = user_schema();
    one["properties"]["groups"] = json!({"type": "array", "items": {"type": "object", "properties": {"name": {"type": "string"}}}});
    s.spec["paths"]["/api/v1/users"]["get"]["responses"]["200"]["content"]["application/json"]["schema"] =
        one;
    let mut body = user(1);
    body["groups"] = json!([{"name": "admins"}, {"name": "staff"}]);
    s.sample = body;
    let vendor = Vendor::start(s).await;
    let cfg = write_config(dir.path(), &vendor);
    edit_monitor(dir.path(), "    items: /data\n", "");
    let acc = run_blocking(
        cfg.clone(),
        vec!["baseline", "accept", "users", "--reason", "base"],
    )
    .await;
    assert_eq!(acc.code, 0, "accept: {}{}", acc.stdout, acc.stderr);
    assert_eq!(stored_shapes(dir.path())["samples"]["users"]["items"], "/");

    vendor.set(|s| {
        let p = s.spec["paths"]["/api/v1/users"]["get"]["responses"]["200"]["content"]
            ["application/json"]["schema"]["properties"]
            .as_object_mut()
            .unwrap();
        p.remove("lastLogin");
        s.sample.as_object_mut().unwrap().remove("lastLogin");
    });
    let r = run_blocking(cfg.clone(), vec!["check", "--format", "json"]).await;
    assert_eq!(r.code, 1, "check: {}\n{}", r.stdout, r.stderr);
    let v: Value = serde_json::from_str(&r.stdout).unwrap();
    let verdict = &v["integrations"][0]["verdict"];
    assert_eq!(
        verdict["fields"]["lost"],
        json!(["GET /api/v1/users lastLogin"]),
        "{verdict:#}"
    );
    assert_eq!(
        verdict["fields"]["ok"],
        json!([
            "GET /api/v1/users id",
            "GET /api/v1/users status",
            "GET /api/v1/users email"
        ])
    );
    let body_path = verdict["operations"][0]["fields"][2]["body_path"].clone();
    assert_eq!(
        body_path, "lastLogin",
        "rooted at the body, not in `groups[]`"
    );
    assert_eq!(verdict["samples"][0]["items"], 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_new_security_requirement_is_one_operation_risk_and_leaves_the_fields_ok() {
    let it = scenario(
        |s| {
            s.spec["components"]["securitySchemes"] =
                json!({"bearer": {"type": "http", "scheme": "bearer"}});
            s.spec["security"] = json!([{"bearer": []}]);
        },
        Expect {
            ok: &["id", "status", "lastLogin", "email"],
            at_risk: &[],
            lost: &[],
            visibility: 1.0,
        },
        0,
    )
    .await;
    let verdict = &it["verdict"];
    assert_eq!(
        verdict["risks"],
        json!([
            "operation risk: GET /api/v1/users: the credential may need to change (api-global-security-added)"
        ])
    );
    assert_eq!(verdict["counts"]["operation_risks"], 1);
    assert_eq!(verdict["operations"][0]["risks"][0]["kind"], "credential");
    let added = it["changes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == "api-global-security-added")
        .expect("the requirement is reported");
    assert_eq!(added["level"], "Warn");
    assert_eq!(added["consumed"], true);
    assert_eq!(added["affects"], json!(["GET /api/v1/users"]));
}

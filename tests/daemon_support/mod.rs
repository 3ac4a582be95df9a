//! A fake vendor for monitor and daemon tests: a real axum server on 127.0.0.1:0 that
//! serves whatever the test sets (a spec with an ETag, or a fault), plus helpers to
//! write a config directory. Shared by the daemon and notify test binaries (tests/daemon/, tests/notify/).
#![allow(dead_code)]

use axum::Router;
use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// A status answered, with the If-None-Match the request carried.
pub type Hit = (u16, Option<String>);

/// What the vendor answers next.
#[derive(Debug, Clone)]
pub enum Mode {
    /// The spec, with an ETag of its digest; answers 304 to a matching If-None-Match.
    Spec(Vec<u8>),
    Status(u16),
    /// Waits this long, then sends the spec.
    Slow(Duration, Vec<u8>),
    /// Declares a Content-Length, sends half of the body and closes.
    Truncated(Vec<u8>),
    Html,
}

#[derive(Clone)]
pub struct Vendor {
    pub url: String,
    mode: Arc<Mutex<Mode>>,
    pub hits: Arc<Mutex<Vec<Hit>>>,
    /// Requests received, counted on arrival (`hits` are counted when answered).
    arrivals: Arc<std::sync::atomic::AtomicUsize>,
}

impl Vendor {
    pub async fn start(mode: Mode) -> Vendor {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let v = Vendor {
            url: format!("http://{addr}/openapi.yaml"),
            mode: Arc::new(Mutex::new(mode)),
            hits: Arc::new(Mutex::new(Vec::new())),
            arrivals: Arc::default(),
        };
        let app = Router::new()
            .route("/openapi.yaml", get(serve))
            .with_state(v.clone());
        tokio::spawn(async move { axum::serve(listener, app).await });
        v
    }

    pub fn set(&self, mode: Mode) {
        *self.mode.lock().unwrap() = mode;
    }

    /// Requests received so far, answered or not (a slow answer is still under way).
    pub fn arrivals(&self) -> usize {
        self.arrivals.load(std::sync::atomic::Ordering::SeqCst)
    }

    /// Statuses answered so far, with the If-None-Match each request carried.
    pub fn hits(&self) -> Vec<Hit> {
        self.hits.lock().unwrap().clone()
    }
}

fn etag(bytes: &[u8]) -> String {
    use sha2::Digest;
    format!("\"{}\"", hex::encode(&sha2::Sha256::digest(bytes)[..8]))
}

async fn serve(State(v): State<Vendor>, headers: HeaderMap) -> Response {
    v.arrivals.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
    let mode = v.mode.lock().unwrap().clone();
    let inm = headers
        .get(header::IF_NONE_MATCH)
        .and_then(|h| h.to_str().ok())
        .map(str::to_string);
    let resp = match mode {
        Mode::Spec(b) => {
            let tag = etag(&b);
            if inm.as_deref() == Some(tag.as_str()) {
                StatusCode::NOT_MODIFIED.into_response()
            } else {
                ([(header::ETAG, tag)], b).into_response()
            }
        }
        Mode::Status(s) => StatusCode::from_u16(s).unwrap().into_response(),
        Mode::Slow(d, b) => {
            tokio::time::sleep(d).await;
            b.into_response()
        }
        Mode::Truncated(b) => {
            // Declare the full length and send half: hyper closes the connection
            // when the body ends early, as a vendor whose transfer is cut would.
            let half = b[..b.len() / 2].to_vec();
            Response::builder()
                .header(header::CONTENT_LENGTH, b.len())
                .body(Body::from(half))
                .unwrap()
        }
        Mode::Html => (
            [(header::CONTENT_TYPE, "text/html")],
            "<!doctype html><html><body>Maintenance</body></html>",
        )
            .into_response(),
    };
    v.hits.lock().unwrap().push((resp.status().as_u16(), inm));
    resp
}

pub fn spec(name: &str) -> Vec<u8> {
    std::fs::read(fixture(&format!("specs/{name}"))).unwrap()
}

pub fn fixture(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/monitor")
        .join(rel)
}

/// Writes `apidrift.yaml` and `monitors/<name>.yaml` files into `dir`.
pub fn write_config(dir: &Path, listen: &str, monitors: &[(&str, String)]) -> PathBuf {
    std::fs::create_dir_all(dir.join("monitors")).unwrap();
    let cfg = dir.join("apidrift.yaml");
    std::fs::write(
        &cfg,
        format!("listen: {listen}\nretries: 0\nreload_interval: 200ms\nshutdown_timeout: 5s\n"),
    )
    .unwrap();
    for (name, body) in monitors {
        std::fs::write(dir.join(format!("monitors/{name}.yaml")), body).unwrap();
    }
    cfg
}

/// A monitor file body for `url` firing on `schedule`.
pub fn monitor_yaml(name: &str, url: &str, schedule: &str, confirm_after: u32) -> String {
    format!(
        "name: {name}\nowner: team@example.com\nschedule: \"{schedule}\"\ntimeout: 1s\nspec:\n  url: {url}\nconfirm_after: {confirm_after}\n"
    )
}

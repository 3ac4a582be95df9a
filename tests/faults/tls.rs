//! TLS and DNS faults: loopback HTTPS vendors (`openssl s_server`) whose certificates are
//! made at test time with the openssl CLI (a throwaway CA in `ca_file`, then a good,
//! an expired, a wrong-name and a self-signed certificate), a host that does not
//! resolve and a closed port. Each must be `failing` with its own reason (`tls`, `dns`,
//! `connect`) and a message that says which, and never a drift.

use crate::ca::{self, openssl};
use crate::daemon_support::spec;
use crate::faults_support::{free_port, load, wait_for_port};
use apidrift::baseline::Store;
use apidrift::daemon::check::Checker;
use apidrift::fetch::FailureReason;
use apidrift::state::{CheckResult, Status};
use std::path::Path;
use std::process::{Child, Command, Stdio};

/// An `openssl s_server -WWW` serving the files of its directory over TLS.
struct TlsVendor {
    child: Child,
    port: u16,
}

impl TlsVendor {
    fn start(dir: &Path, cert: &str, key: &str) -> TlsVendor {
        let port = free_port();
        let child = Command::new("openssl")
            .args(["s_server", "-quiet", "-WWW", "-accept"])
            .arg(format!("127.0.0.1:{port}"))
            .args(["-cert", cert, "-key", key])
            .current_dir(dir)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("this test needs the `openssl` CLI: {e}"));
        wait_for_port(port);
        TlsVendor { child, port }
    }

    fn url(&self) -> String {
        format!("https://localhost:{}/openapi.yaml", self.port)
    }
}

impl Drop for TlsVendor {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Writes, in `dir`: `ca.pem` (a CA), and server certificates for one key `server.key`:
/// `good.pem` (localhost, by the CA), `expired.pem` (localhost, by the CA, valid only on
/// 2020-01-01), `wrong-name.pem` (other.example, by the CA), `self-signed.pem`
/// (localhost, signed by itself: no trusted issuer).
fn make_certs(dir: &Path) {
    ca::make_ca(dir, "ca", "apidrift faults CA");
    ca::make_server_key(dir);
    ca::issue(dir, "ca", "good.pem", "DNS:localhost");
    ca::issue(dir, "ca", "wrong-name.pem", "DNS:other.example");
    let localhost = ca::server_extensions(dir, "localhost", "DNS:localhost");
    // `x509 -req` cannot date a certificate in the past; `ca` can.
    std::fs::write(dir.join("index.txt"), "").unwrap();
    std::fs::write(dir.join("serial"), "1000\n").unwrap();
    std::fs::write(
        dir.join("ca.cnf"),
        "[ca]\ndefault_ca = test\n[test]\ndatabase = index.txt\nnew_certs_dir = .\nserial = serial\ndefault_md = sha256\npolicy = any\nunique_subject = no\n[any]\ncommonName = supplied\n",
    )
    .unwrap();
    openssl(
        dir,
        &[
            "ca",
            "-config",
            "ca.cnf",
            "-batch",
            "-notext",
            "-cert",
            "ca.pem",
            "-keyfile",
            "ca.key",
            "-in",
            "server.csr",
            "-out",
            "expired.pem",
            "-startdate",
            "20200101000000Z",
            "-enddate",
            "20200102000000Z",
            "-extfile",
            &localhost,
        ],
    );
    // Its own subject as issuer (no trust anchor has that name), an end-entity
    // certificate like the others.
    openssl(
        dir,
        &[
            "req",
            "-new",
            "-key",
            "server.key",
            "-subj",
            "/CN=apidrift self-signed",
            "-out",
            "self.csr",
        ],
    );
    openssl(
        dir,
        &[
            "x509",
            "-req",
            "-in",
            "self.csr",
            "-signkey",
            "server.key",
            "-days",
            "2",
            "-out",
            "self-signed.pem",
            "-extfile",
            &localhost,
        ],
    );
}

#[tokio::test]
async fn certificate_dns_and_port_faults_fail_each_with_its_own_reason_and_never_drift() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let www = d.join("www");
    std::fs::create_dir_all(&www).unwrap();
    make_certs(d);
    std::fs::write(www.join("openapi.yaml"), spec("v1.yaml")).unwrap();
    let pem = |f: &str| d.join(f).display().to_string();
    let key = pem("server.key");
    let good = TlsVendor::start(&www, &pem("good.pem"), &key);
    let expired = TlsVendor::start(&www, &pem("expired.pem"), &key);
    let wrong = TlsVendor::start(&www, &pem("wrong-name.pem"), &key);
    let selfsigned = TlsVendor::start(&www, &pem("self-signed.pem"), &key);
    let closed = free_port();

    // (monitor, URL, expected reason, a word the message must carry)
    let cases: Vec<(&str, String, Option<FailureReason>, &str)> = vec![
        ("good", good.url(), None, ""),
        (
            "expired",
            expired.url(),
            Some(FailureReason::Tls),
            "expired",
        ),
        ("wrong-name", wrong.url(), Some(FailureReason::Tls), "name"),
        (
            "self-signed",
            selfsigned.url(),
            Some(FailureReason::Tls),
            "issuer",
        ),
        (
            "no-such-host",
            "https://nonexistent.invalid/openapi.yaml".to_string(),
            Some(FailureReason::Dns),
            "nonexistent.invalid",
        ),
        (
            "closed-port",
            format!("http://127.0.0.1:{closed}/openapi.yaml"),
            Some(FailureReason::Connect),
            "refused",
        ),
    ];
    std::fs::create_dir_all(d.join("monitors")).unwrap();
    std::fs::write(d.join("apidrift.yaml"), "retries: 0\nca_file: ca.pem\n").unwrap();
    for (name, url, _, _) in &cases {
        std::fs::write(
            d.join(format!("monitors/{name}.yaml")),
            format!(
                "name: {name}\nschedule: \"*/15 * * * *\"\ntimeout: 10s\nspec:\n  url: {url}\n"
            ),
        )
        .unwrap();
    }
    let cfg = load(d);
    let store = Store::new(&cfg.baselines_dir);
    for (name, url, _, _) in &cases {
        store
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
    let checker = Checker::new(&cfg).unwrap();
    for (name, _, want, word) in &cases {
        let m = &cfg.monitors[*name];
        let r = checker.check(m).await;
        let failure = r.state.failure.clone();
        println!(
            "{name}: {:?} {:?}",
            r.result,
            failure.as_ref().map(|f| (f.reason, f.message.as_str()))
        );
        assert!(
            r.state.drift.is_none() && r.state.changes.is_empty(),
            "{name} drifted"
        );
        match want {
            None => assert_eq!(
                (r.result, r.state.status),
                (CheckResult::Ok, Status::Ok),
                "{name}: the CA in ca_file is trusted: {failure:?}"
            ),
            Some(reason) => {
                assert_eq!(
                    (r.result, r.state.status),
                    (CheckResult::Failed, Status::Failing)
                );
                let f = failure.unwrap();
                assert_eq!(f.reason, *reason, "{name}: {}", f.message);
                assert!(
                    f.message.to_ascii_lowercase().contains(word),
                    "{name}: `{word}` not in {}",
                    f.message
                );
            }
        }
    }

    // Without `ca_file` the good vendor is untrusted too: the option is what trusts it.
    std::fs::write(d.join("apidrift.yaml"), "retries: 0\n").unwrap();
    let bare = load(d);
    let r = Checker::new(&bare)
        .unwrap()
        .check(&bare.monitors["good"])
        .await;
    let f = r.state.failure.expect("untrusted without ca_file");
    assert_eq!(f.reason, FailureReason::Tls, "{}", f.message);
}

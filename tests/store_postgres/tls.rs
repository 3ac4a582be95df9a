//! TLS to the database, against a server that takes TLS only (`hostssl`), its
//! certificate signed by a throwaway CA made with the openssl CLI: `tls: require`
//! connects (encrypted, the certificate not checked), `tls: verify` with that CA in
//! `ca_file` connects; `tls: verify` with another CA and `tls: disable` are refused,
//! each with a message and an exit status other than a usage or configuration error,
//! and fail `apidrift store migrate` promptly rather than hang.

use crate::fleet::store_block;
use crate::pg::{Pg, Transport};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// `apidrift store migrate` with the config of `store`, waited for at most 30 s:
/// (exit code, output) or a panic when it hangs.
fn migrate_with(pg: &Pg, store: &str) -> (Option<i32>, String) {
    let work = crate::Workdir::create();
    let d = work.path();
    std::fs::create_dir_all(d.join("monitors")).unwrap();
    std::fs::write(d.join("apidrift.yaml"), store).unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_apidrift"))
        .args(["store", "migrate", "--config"])
        .arg(d.join("apidrift.yaml"))
        .env("APIDRIFT_DATABASE_URL", pg.url("apidrift"))
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let end = Instant::now() + Duration::from_secs(30);
    while child.try_wait().unwrap().is_none() {
        if Instant::now() > end {
            let _ = child.kill();
            let out = child.wait_with_output().unwrap();
            panic!(
                "`store migrate` with\n{store}\ndid not exit within 30 s: {}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let out = child.wait_with_output().unwrap();
    (
        out.status.code(),
        format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ),
    )
}

#[test]
fn tls_require_and_verify_connect_and_wrong_ca_or_disable_are_refused() {
    let _serial = crate::serial();
    let pg = Pg::start_as(Transport::TlsOnly);
    let ca = |f: &str| format!("    ca_file: {}\n", pg.file(f).display());
    let cases = [
        ("require", String::new(), true),
        ("verify", ca("ca.pem"), true),
        ("verify", ca("other-ca.pem"), false),
        ("disable", String::new(), false),
    ];
    let mut report = Vec::new();
    for (tls, extra, want) in &cases {
        let (code, out) = migrate_with(&pg, &store_block(tls, extra));
        let ok = code == Some(0);
        println!(
            "tls: {tls}{}: {} ({})",
            if extra.contains("other-ca") {
                " (another CA)"
            } else {
                ""
            },
            if ok { "connected" } else { "refused" },
            out.trim()
        );
        if ok != *want || (!ok && out.trim().is_empty()) {
            report.push(format!(
                "tls: {tls} {extra}: success {ok}, want {want}: {out}"
            ));
        }
    }
    assert!(report.is_empty(), "{report:#?}");
}

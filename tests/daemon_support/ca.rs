//! A throwaway certificate authority made with the `openssl` CLI, for the tests that
//! need real TLS (STARTTLS to an SMTP sink, HTTPS vendors, a TLS-only PostgreSQL): a
//! CA, one server key, and certificates for that key issued by the CA, with the
//! subject alternative names a test asks for. Everything is written into the test's
//! temp dir and lives two days at most.
//! Must not: reach the network, touch the system trust store, or know which test uses
//! which file (the tests name them).
#![allow(dead_code)]

use std::path::Path;
use std::process::Command;

/// Runs `openssl args` in `dir`; panics with its stderr when it fails and with how to
/// install it when it is missing.
pub fn openssl(dir: &Path, args: &[&str]) {
    let out = Command::new("openssl")
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap_or_else(|e| {
            panic!(
                "this test needs the `openssl` CLI to make a throwaway CA \
                 (apt-get install openssl; .ci/run installs it): {e}"
            )
        });
    assert!(
        out.status.success(),
        "openssl {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

const EC: [&str; 5] = [
    "-newkey",
    "ec",
    "-pkeyopt",
    "ec_paramgen_curve:prime256v1",
    "-nodes",
];

/// Writes `{name}.pem` and `{name}.key`: a self-signed CA with common name `cn`.
pub fn make_ca(dir: &Path, name: &str, cn: &str) {
    let subj = format!("/CN={cn}");
    let (key, pem) = (format!("{name}.key"), format!("{name}.pem"));
    let mut args = vec!["req", "-x509", "-days", "2", "-subj", &subj];
    args.extend(EC);
    args.extend([
        "-keyout",
        &key,
        "-out",
        &pem,
        "-addext",
        "basicConstraints=critical,CA:TRUE",
        "-addext",
        "keyUsage=critical,keyCertSign,cRLSign",
    ]);
    openssl(dir, &args);
}

/// Writes `server.key` and its request `server.csr` (common name localhost): the key
/// every certificate of `issue` certifies.
pub fn make_server_key(dir: &Path) {
    let mut args = vec!["req", "-subj", "/CN=localhost"];
    args.extend(EC);
    args.extend(["-keyout", "server.key", "-out", "server.csr"]);
    openssl(dir, &args);
}

/// The extension file of a server certificate for `san` (`DNS:localhost`,
/// `IP:127.0.0.1,DNS:localhost`, …), written as `{out}.ext`; returns its name.
pub fn server_extensions(dir: &Path, out: &str, san: &str) -> String {
    let file = format!("{out}.ext");
    std::fs::write(
        dir.join(&file),
        format!(
            "subjectAltName={san}\nbasicConstraints=CA:FALSE\nkeyUsage=digitalSignature\n\
             extendedKeyUsage=serverAuth\n"
        ),
    )
    .unwrap();
    file
}

/// Writes `{out}`: a server certificate of `server.key` for `san`, issued by the CA
/// `ca` (`{ca}.pem`, `{ca}.key`), valid for two days from now.
pub fn issue(dir: &Path, ca: &str, out: &str, san: &str) {
    let ext = server_extensions(dir, out, san);
    let (cert, key) = (format!("{ca}.pem"), format!("{ca}.key"));
    openssl(
        dir,
        &[
            "x509",
            "-req",
            "-in",
            "server.csr",
            "-CA",
            &cert,
            "-CAkey",
            &key,
            "-CAcreateserial",
            "-days",
            "2",
            "-out",
            out,
            "-extfile",
            &ext,
        ],
    );
}

/// The usual set: `ca.pem` (with `ca.key`), `server.key`, and `server.pem` for `san`
/// issued by it.
pub fn make_ca_and_server(dir: &Path, cn: &str, san: &str) {
    make_ca(dir, "ca", cn);
    make_server_key(dir);
    issue(dir, "ca", "server.pem", san);
}

//! A throwaway PostgreSQL cluster per test: Debian's server binaries
//! (`/usr/lib/postgresql/*/bin`, or `APIDRIFT_PG_BIN`), `initdb` into a temp dir as a
//! non-root user (the `postgres` system user when the tests run as root, as CI does),
//! listening on 127.0.0.1 on a free port with its socket in the temp dir, trust auth,
//! fsync off, every DDL statement logged (`log_statement = ddl`, each line prefixed by
//! its database) so a test can count what a migration ran. Optionally TLS-only, with a
//! server certificate from the openssl CLI. Stop (`pg_ctl stop -m fast`) and start
//! again for the restart test; dropped with the value.
//! Must not: know apidrift's schema (tests look at the server's log and catalog, never
//! at apidrift's tables), or leave a server running after the test.

use crate::ca;
use crate::faults_support::free_port;
use crate::pg_binaries;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

/// What kind of connections the cluster takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Transport {
    /// Plain TCP (`tls: disable` works).
    Plain,
    /// TLS only (`hostssl` in pg_hba.conf): `ca.pem` in the cluster's dir signs the
    /// server certificate (for 127.0.0.1 and localhost); `other-ca.pem` signs nothing.
    TlsOnly,
}

pub struct Pg {
    /// The temp dir: `data/` (the cluster), `server.log`, the socket, certificates;
    /// kept after the test with `APIDRIFT_HA_KEEP=1`.
    dir: tempfile::TempDir,
    bin: PathBuf,
    user: Option<(u32, u32)>,
    pub port: u16,
    running: bool,
}

impl Pg {
    /// A plain cluster, started, with a database `apidrift`.
    pub fn start() -> Pg {
        Pg::start_as(Transport::Plain)
    }

    pub fn start_as(transport: Transport) -> Pg {
        let bin = pg_binaries::bin_dir().unwrap_or_else(|e| panic!("{e}"));
        let user = pg_binaries::server_user().unwrap_or_else(|e| panic!("{e}"));
        let dir = tempfile::Builder::new()
            .prefix("apidrift-pg-")
            .tempdir()
            .unwrap();
        if let Some((uid, gid)) = user {
            std::os::unix::fs::chown(dir.path(), Some(uid), Some(gid)).unwrap();
        }
        let mut pg = Pg {
            dir,
            bin,
            user,
            port: free_port(),
            running: false,
        };
        let data = pg.data();
        pg.run_server_tool(
            "initdb",
            &[
                "-D",
                &data,
                "-U",
                "postgres",
                "--auth=trust",
                "-E",
                "UTF8",
                "--locale=C",
                "--no-sync",
            ],
        );
        let socket = pg.dir.path().display().to_string();
        let mut conf = format!(
            "\n# apidrift tests\nlisten_addresses = '127.0.0.1'\nport = {}\n\
             unix_socket_directories = '{socket}'\nfsync = off\nsynchronous_commit = off\n\
             full_page_writes = off\nmax_connections = 200\nlog_line_prefix = '%d '\n\
             log_statement = 'ddl'\n",
            pg.port
        );
        if transport == Transport::TlsOnly {
            pg.make_certs();
            let p = |f: &str| pg.path(f).display().to_string();
            conf.push_str(&format!(
                "ssl = on\nssl_cert_file = '{}'\nssl_key_file = '{}'\n",
                p("server.pem"),
                p("server.key")
            ));
            // TLS or nothing over TCP: a client that does not ask for it is refused.
            let hba = "local all all trust\nhostssl all all 127.0.0.1/32 trust\n";
            std::fs::write(Path::new(&data).join("pg_hba.conf"), hba).unwrap();
        }
        let conf_file = Path::new(&data).join("postgresql.conf");
        let mut text = std::fs::read_to_string(&conf_file).unwrap();
        text.push_str(&conf);
        std::fs::write(&conf_file, text).unwrap();
        pg.start_again();
        pg.create_db("apidrift");
        pg
    }

    fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    fn data(&self) -> String {
        self.path("data").display().to_string()
    }

    /// Runs a server tool (`initdb`, `pg_ctl`) as the server's user; panics with its
    /// output when it fails.
    fn run_server_tool(&self, tool: &str, args: &[&str]) -> Output {
        let mut cmd = Command::new(self.bin.join(tool));
        cmd.args(args)
            .current_dir(self.dir.path())
            .stdin(Stdio::null())
            .env("LC_ALL", "C");
        if let Some((uid, gid)) = self.user {
            cmd.uid(uid).gid(gid).env("HOME", self.dir.path());
        }
        let out = cmd
            .output()
            .unwrap_or_else(|e| panic!("{}: {e}", self.bin.join(tool).display()));
        assert!(
            out.status.success(),
            "{tool} {args:?} failed ({}):\n{}{}\nserver log:\n{}",
            out.status,
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr),
            self.log_text()
        );
        out
    }

    /// `libpq`-style URL of database `db`, as the superuser, over TCP.
    pub fn url(&self, db: &str) -> String {
        format!("postgres://postgres@127.0.0.1:{}/{db}", self.port)
    }

    /// Starts the (stopped) server and waits until it accepts connections.
    pub fn start_again(&mut self) {
        let log = self.path("server.log").display().to_string();
        let data = self.data();
        self.run_server_tool(
            "pg_ctl",
            &["-D", &data, "-l", &log, "-w", "-t", "60", "start"],
        );
        self.running = true;
    }

    /// `pg_ctl stop -m fast`: connections are cut, the server is down when it returns.
    pub fn stop(&mut self) {
        let data = self.data();
        self.run_server_tool("pg_ctl", &["-D", &data, "-m", "fast", "-w", "stop"]);
        self.running = false;
    }

    /// Runs `sql` in `db` with psql (a client: runs as us, over TCP); returns its
    /// unaligned, tuples-only output.
    pub fn psql(&self, db: &str, sql: &str) -> String {
        let out = self
            .client(
                "psql",
                &["-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-d"],
            )
            .arg(db)
            .args(["-c", sql])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "psql {sql:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    pub fn create_db(&self, name: &str) {
        self.psql("postgres", &format!("CREATE DATABASE \"{name}\""));
    }

    /// The schema of `db` as `pg_dump --schema-only` prints it (no data, no owner).
    pub fn schema(&self, db: &str) -> String {
        let out = self
            .client("pg_dump", &["--schema-only", "--no-owner", "-d"])
            .arg(db)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "pg_dump {db}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout)
            .lines()
            // Recent pg_dump releases wrap the dump in `\restrict KEY` with a random key.
            .filter(|l| {
                !l.starts_with("-- Dumped")
                    && !l.starts_with("\\restrict")
                    && !l.starts_with("\\unrestrict")
            })
            .collect::<Vec<_>>()
            .join("\n")
    }

    fn client(&self, tool: &str, args: &[&str]) -> Command {
        let mut cmd = Command::new(self.bin.join(tool));
        cmd.args([
            "-h",
            "127.0.0.1",
            "-p",
            &self.port.to_string(),
            "-U",
            "postgres",
        ])
        .args(args)
        .env("PGSSLMODE", "prefer")
        .stdin(Stdio::null());
        cmd
    }

    pub fn log_text(&self) -> String {
        std::fs::read_to_string(self.path("server.log")).unwrap_or_default()
    }

    /// The DDL statements the server ran in `db`, one entry per statement string (a
    /// multi-statement script or a multi-line statement is one entry).
    pub fn ddl(&self, db: &str) -> Vec<String> {
        let prefix = format!("{db} LOG:  ");
        let mut out: Vec<String> = Vec::new();
        let mut open = false;
        for line in self.log_text().lines() {
            if let Some(rest) = line.strip_prefix(&prefix) {
                // `statement: ...` (simple protocol) or `execute <name>: ...`.
                open = rest.starts_with("statement: ") || rest.starts_with("execute ");
                if open {
                    out.push(rest.to_string());
                }
            } else if open && line.starts_with('\t') {
                if let Some(last) = out.last_mut() {
                    last.push('\n');
                    last.push_str(line);
                }
            } else {
                open = false;
            }
        }
        out
    }

    /// For `Transport::TlsOnly`: `ca.pem` signs `server.pem` (SANs 127.0.0.1 and
    /// localhost) for `server.key`; `other-ca.pem` is a CA that signed nothing here.
    fn make_certs(&self) {
        let d = self.dir.path();
        ca::make_ca(d, "ca", "apidrift pg CA");
        ca::make_ca(d, "other-ca", "apidrift other CA");
        ca::make_server_key(d);
        ca::issue(d, "ca", "server.pem", "IP:127.0.0.1,DNS:localhost");
        // The server reads its key only when it is its own and private.
        let key = d.join("server.key");
        std::fs::set_permissions(&key, std::os::unix::fs::PermissionsExt::from_mode(0o600))
            .unwrap();
        if let Some((uid, gid)) = self.user {
            for f in ["server.key", "server.pem"] {
                std::os::unix::fs::chown(d.join(f), Some(uid), Some(gid)).unwrap();
            }
        }
    }

    /// A file of the cluster's dir (certificates), for a config to point at.
    pub fn file(&self, rel: &str) -> PathBuf {
        self.path(rel)
    }
}

impl Drop for Pg {
    fn drop(&mut self) {
        if self.running {
            let mut cmd = Command::new(self.bin.join("pg_ctl"));
            cmd.args(["-D", &self.data(), "-m", "immediate", "-w", "stop"])
                .current_dir(self.dir.path())
                .stdout(Stdio::null())
                .stderr(Stdio::null());
            if let Some((uid, gid)) = self.user {
                cmd.uid(uid).gid(gid);
            }
            let _ = cmd.status();
        }
        if crate::keep() {
            let dir = std::mem::replace(&mut self.dir, tempfile::tempdir().unwrap());
            eprintln!("kept the PostgreSQL cluster in {}", dir.keep().display());
        }
    }
}

//! A throwaway PostgreSQL cluster for the scale benchmark: Debian's server binaries
//! (found by tests/store_postgres/pg_binaries.rs), `initdb` into a temp dir as the
//! `postgres` user when we are root, listening on 127.0.0.1 on a free port, trust auth,
//! durable settings left at PostgreSQL's defaults (fsync and synchronous commit on: the
//! bench measures what a production server does), `pg_stat_statements` loaded so the
//! bench can count statements. Stopped (`pg_ctl stop -m fast`) on drop.
//! Must not: know apidrift's schema, bind anything but loopback, or exit: every error
//! goes back to the bench, which stops its daemons first.
//! (tests/store_postgres/pg.rs is the test suite's cluster; this one differs in its
//! durability settings and the statement statistics.)

use crate::pg_binaries;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

pub struct Cluster {
    dir: PathBuf,
    bin: PathBuf,
    user: Option<(u32, u32)>,
    pub port: u16,
}

impl Cluster {
    /// initdb + start in `dir` (created, and owned by the server's user).
    pub fn start(dir: &Path, port: u16) -> Result<Cluster, String> {
        let user = pg_binaries::server_user()?;
        std::fs::create_dir_all(dir).map_err(|e| format!("mkdir {}: {e}", dir.display()))?;
        if let Some((uid, gid)) = user {
            std::os::unix::fs::chown(dir, Some(uid), Some(gid))
                .map_err(|e| format!("chown {}: {e}", dir.display()))?;
        }
        let c = Cluster {
            dir: dir.to_path_buf(),
            bin: pg_binaries::bin_dir()?,
            user,
            port,
        };
        let data = c.data();
        c.tool(
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
            ],
        )?;
        let conf = format!(
            "\n# apidrift scale bench\nlisten_addresses = '127.0.0.1'\nport = {port}\n\
             unix_socket_directories = '{}'\nmax_connections = 100\n\
             shared_preload_libraries = 'pg_stat_statements'\n\
             pg_stat_statements.track = all\n",
            dir.display()
        );
        let file = Path::new(&data).join("postgresql.conf");
        let mut text = std::fs::read_to_string(&file).unwrap_or_default();
        text.push_str(&conf);
        std::fs::write(&file, text).map_err(|e| format!("write {}: {e}", file.display()))?;
        let log = dir.join("server.log").display().to_string();
        c.tool(
            "pg_ctl",
            &["-D", &data, "-l", &log, "-w", "-t", "60", "start"],
        )?;
        c.psql("CREATE EXTENSION pg_stat_statements")?;
        Ok(c)
    }

    fn data(&self) -> String {
        self.dir.join("data").display().to_string()
    }

    /// A server tool run as the server's user.
    fn command(&self, tool: &str) -> Command {
        let mut cmd = Command::new(self.bin.join(tool));
        cmd.current_dir(&self.dir)
            .stdin(Stdio::null())
            .env("LC_ALL", "C");
        if let Some((uid, gid)) = self.user {
            cmd.uid(uid).gid(gid).env("HOME", &self.dir);
        }
        cmd
    }

    fn tool(&self, tool: &str, args: &[&str]) -> Result<(), String> {
        match self.command(tool).args(args).output() {
            Ok(o) if o.status.success() => Ok(()),
            Ok(o) => Err(format!(
                "{tool} {args:?} failed ({}): {}{}",
                o.status,
                String::from_utf8_lossy(&o.stdout),
                String::from_utf8_lossy(&o.stderr)
            )),
            Err(e) => Err(format!("{}: {e}", self.bin.join(tool).display())),
        }
    }

    /// The URL replicas connect to (TCP, database `postgres`).
    pub fn url(&self) -> String {
        format!("postgres://postgres@127.0.0.1:{}/postgres", self.port)
    }

    /// Runs `sql` with psql (a client: as us; tuples only, unaligned).
    pub fn psql(&self, sql: &str) -> Result<String, String> {
        let out = Command::new(self.bin.join("psql"))
            .args(["-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-d"])
            .arg(self.url())
            .args(["-c", sql])
            .stdin(Stdio::null())
            .output()
            .map_err(|e| format!("psql: {e}"))?;
        if !out.status.success() {
            return Err(format!(
                "psql {sql:?}: {}",
                String::from_utf8_lossy(&out.stderr)
            ));
        }
        Ok(String::from_utf8_lossy(&out.stdout).trim().to_string())
    }

    /// The postmaster's pid (first line of `postmaster.pid`).
    pub fn postmaster(&self) -> Result<u32, String> {
        std::fs::read_to_string(Path::new(&self.data()).join("postmaster.pid"))
            .ok()
            .and_then(|t| t.lines().next().and_then(|l| l.trim().parse().ok()))
            .ok_or_else(|| "the cluster has no readable postmaster.pid".to_string())
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        let data = self.data();
        let _ = self
            .command("pg_ctl")
            .args(["-D", &data, "-m", "fast", "-w", "stop"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status();
    }
}

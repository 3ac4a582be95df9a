//! A throwaway PostgreSQL cluster for the scale benchmark: Debian's server binaries
//! (`/usr/lib/postgresql/*/bin`, or `APIDRIFT_PG_BIN`), `initdb` into a temp dir as
//! the `postgres` user when we are root, listening on 127.0.0.1 on a free port, trust
//! auth, durable settings left at PostgreSQL's defaults (fsync and synchronous commit
//! on: the bench measures what a production server does), `pg_stat_statements`
//! loaded so the bench can count statements. Stopped (`pg_ctl stop -m fast`) on drop.
//! Must not: know apidrift's schema, or bind anything but loopback.
//! (tests/store_postgres/pg.rs is the test suite's cluster; this one differs in its
//! durability settings and the statement statistics, and in dying rather than
//! panicking, as the bench does everywhere.)

use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

pub struct Cluster {
    dir: PathBuf,
    bin: PathBuf,
    user: Option<(u32, u32)>,
    pub port: u16,
}

fn fail(msg: String) -> ! {
    eprintln!("scale_bench: {msg}");
    std::process::exit(2)
}

fn bin_dir() -> PathBuf {
    if let Some(d) = std::env::var_os("APIDRIFT_PG_BIN") {
        return PathBuf::from(d);
    }
    let mut found: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .filter_map(Result::ok)
        .filter_map(|e| {
            let v = e.file_name().to_str()?.parse::<u32>().ok()?;
            let bin = e.path().join("bin");
            bin.join("initdb").is_file().then_some((v, bin))
        })
        .collect();
    found.sort();
    found.pop().map(|(_, b)| b).unwrap_or_else(|| {
        fail("PostgreSQL not found: apt-get install postgresql, or set APIDRIFT_PG_BIN".into())
    })
}

/// Our uid unless we are root; then the `postgres` user (PostgreSQL refuses root).
fn server_user() -> Option<(u32, u32)> {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let uid = status
        .lines()
        .find_map(|l| l.strip_prefix("Uid:"))
        .and_then(|l| l.split_whitespace().next())
        .and_then(|u| u.parse::<u32>().ok());
    if uid != Some(0) {
        return None;
    }
    let passwd = std::fs::read_to_string("/etc/passwd").unwrap_or_default();
    let ids = passwd.lines().find_map(|l| {
        let f: Vec<&str> = l.split(':').collect();
        if f.first() != Some(&"postgres") || f.len() < 4 {
            return None;
        }
        Some((f[2].parse().ok()?, f[3].parse().ok()?))
    });
    Some(ids.unwrap_or_else(|| {
        fail("running as root without a `postgres` user: apt-get install postgresql".into())
    }))
}

impl Cluster {
    /// initdb + start in `dir` (created, and owned by the server's user).
    pub fn start(dir: &Path, port: u16) -> Cluster {
        let user = server_user();
        std::fs::create_dir_all(dir).unwrap_or_else(|e| fail(format!("mkdir: {e}")));
        if let Some((uid, gid)) = user {
            std::os::unix::fs::chown(dir, Some(uid), Some(gid))
                .unwrap_or_else(|e| fail(format!("chown {}: {e}", dir.display())));
        }
        let c = Cluster {
            dir: dir.to_path_buf(),
            bin: bin_dir(),
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
        );
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
        std::fs::write(&file, text).unwrap_or_else(|e| fail(format!("write {file:?}: {e}")));
        let log = dir.join("server.log").display().to_string();
        c.tool(
            "pg_ctl",
            &["-D", &data, "-l", &log, "-w", "-t", "60", "start"],
        );
        c.psql("CREATE EXTENSION pg_stat_statements");
        c
    }

    fn data(&self) -> String {
        self.dir.join("data").display().to_string()
    }

    fn tool(&self, tool: &str, args: &[&str]) {
        let mut cmd = Command::new(self.bin.join(tool));
        cmd.args(args)
            .current_dir(&self.dir)
            .stdin(Stdio::null())
            .env("LC_ALL", "C");
        if let Some((uid, gid)) = self.user {
            cmd.uid(uid).gid(gid).env("HOME", &self.dir);
        }
        match cmd.output() {
            Ok(o) if o.status.success() => {}
            Ok(o) => fail(format!(
                "{tool} {args:?} failed ({}): {}{}",
                o.status,
                String::from_utf8_lossy(&o.stdout),
                String::from_utf8_lossy(&o.stderr)
            )),
            Err(e) => fail(format!("{}: {e}", self.bin.join(tool).display())),
        }
    }

    /// The URL replicas connect to (TCP, database `postgres`).
    pub fn url(&self) -> String {
        format!("postgres://postgres@127.0.0.1:{}/postgres", self.port)
    }

    /// Runs `sql` with psql (tuples only, unaligned); dies when it fails.
    pub fn psql(&self, sql: &str) -> String {
        let out = Command::new(self.bin.join("psql"))
            .args(["-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-d"])
            .arg(self.url())
            .args(["-c", sql])
            .stdin(Stdio::null())
            .output()
            .unwrap_or_else(|e| fail(format!("psql: {e}")));
        if !out.status.success() {
            fail(format!(
                "psql {sql:?}: {}",
                String::from_utf8_lossy(&out.stderr)
            ));
        }
        String::from_utf8_lossy(&out.stdout).trim().to_string()
    }

    /// The postmaster's pid (first line of `postmaster.pid`).
    pub fn postmaster(&self) -> u32 {
        std::fs::read_to_string(Path::new(&self.data()).join("postmaster.pid"))
            .ok()
            .and_then(|t| t.lines().next().and_then(|l| l.trim().parse().ok()))
            .unwrap_or_else(|| fail("no postmaster.pid".into()))
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        let data = self.data();
        let mut cmd = Command::new(self.bin.join("pg_ctl"));
        cmd.args(["-D", &data, "-m", "fast", "-w", "stop"])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        if let Some((uid, gid)) = self.user {
            cmd.uid(uid).gid(gid);
        }
        let _ = cmd.status();
    }
}

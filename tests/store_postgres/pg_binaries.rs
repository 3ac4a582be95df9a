//! Where Debian's PostgreSQL server binaries are and which user runs them, for the
//! throwaway clusters of the HA tests (tests/store_postgres/pg.rs) and of the scale
//! bench (examples/support/throwaway_pg.rs, which includes this file).
//! Must not: start anything, or panic (each caller reports the error its own way).

use std::path::PathBuf;

/// The directory of `initdb`, `pg_ctl` and `postgres`: `APIDRIFT_PG_BIN`, else the
/// newest `/usr/lib/postgresql/*/bin`.
pub fn bin_dir() -> Result<PathBuf, String> {
    if let Some(d) = std::env::var_os("APIDRIFT_PG_BIN") {
        return Ok(PathBuf::from(d));
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
    found.pop().map(|(_, bin)| bin).ok_or_else(|| {
        "PostgreSQL not found: apt-get install postgresql (.ci/run installs it); \
         or set APIDRIFT_PG_BIN to the directory of initdb, pg_ctl and postgres"
            .to_string()
    })
}

/// The uid and gid to run the server as: none (ours) unless we are root, which
/// PostgreSQL refuses; then the `postgres` user the Debian package creates.
pub fn server_user() -> Result<Option<(u32, u32)>, String> {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let uid = status
        .lines()
        .find_map(|l| l.strip_prefix("Uid:"))
        .and_then(|l| l.split_whitespace().next())
        .and_then(|u| u.parse::<u32>().ok());
    if uid != Some(0) {
        return Ok(None);
    }
    let passwd = std::fs::read_to_string("/etc/passwd").unwrap_or_default();
    passwd
        .lines()
        .find_map(|l| {
            let f: Vec<&str> = l.split(':').collect();
            if f.first() != Some(&"postgres") || f.len() < 4 {
                return None;
            }
            Some((f[2].parse().ok()?, f[3].parse().ok()?))
        })
        .map(Some)
        .ok_or_else(|| {
            "running as root and there is no `postgres` user to run the server as: \
             apt-get install postgresql (.ci/run installs it) creates it"
                .to_string()
        })
}

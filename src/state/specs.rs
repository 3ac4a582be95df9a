//! The vendor specs last compared, kept beside the state (`state/specs/<hex>.spec`),
//! content-addressed by the digest the state records (`IntegrationState::spec`), so
//! integrations that watch one document share one file.
//!
//! Why keep them: a contract dry-run must diff the baseline against *today's* spec with
//! the proposed contract's fields watched (a field the old contract did not name may sit
//! deeper than the diff follows unwatched), and the operation fragments an agent reads
//! come from the same bytes. A spec equal to its baseline is never kept (the baseline
//! object is the same bytes).
//!
//! Derived data: losing the directory loses nothing that the next changed poll does not
//! bring back. Must not: hold anything but bytes a vendor published (never a response
//! sample, a header or a credential), or trust a file whose bytes no longer have the
//! digest in its name.

use crate::baseline;
use std::collections::BTreeSet;
use std::io;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

/// A file younger than this is never collected: a check writes its spec before it
/// saves the state that names it.
pub const COLLECT_GRACE: Duration = Duration::from_secs(600);

/// The kept specs of one state directory.
#[derive(Debug, Clone)]
pub struct Specs {
    dir: PathBuf,
}

impl Specs {
    pub fn new(state_dir: &Path) -> Specs {
        Specs {
            dir: state_dir.join("specs"),
        }
    }

    /// `sha256:<hex>` → `<dir>/<hex>.spec`; `None` for anything that is not a digest
    /// (so a name from a state file never walks out of the directory).
    fn path(&self, digest: &str) -> Option<PathBuf> {
        let hex = digest.strip_prefix("sha256:")?;
        (hex.len() == 64 && hex.bytes().all(|b| b.is_ascii_hexdigit()))
            .then(|| self.dir.join(format!("{hex}.spec")))
    }

    /// Keeps `bytes` (whose digest is `digest`) unless a file with that digest exists.
    pub fn put(&self, digest: &str, bytes: &[u8]) -> io::Result<()> {
        let Some(path) = self.path(digest) else {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                format!("`{digest}` is not a sha256 digest"),
            ));
        };
        if path.is_file() {
            // Touch it, so a collection does not take a spec that is in use again.
            return std::fs::File::options()
                .append(true)
                .open(&path)
                .and_then(|f| f.set_modified(SystemTime::now()));
        }
        crate::atomic::write(&path, bytes)
    }

    /// Whether a file for `digest` is kept (not read: `get` checks the bytes).
    pub fn has(&self, digest: &str) -> bool {
        self.path(digest).is_some_and(|p| p.is_file())
    }

    /// The kept bytes with `digest`, if there are any and they still have it.
    pub fn get(&self, digest: &str) -> Option<Vec<u8>> {
        let bytes = std::fs::read(self.path(digest)?).ok()?;
        (baseline::digest(&bytes) == digest).then_some(bytes)
    }

    /// Removes every kept spec whose digest is not in `live` and that is older than
    /// `grace`; returns how many it removed.
    pub fn collect(&self, live: &BTreeSet<String>, grace: Duration) -> io::Result<usize> {
        let entries = match std::fs::read_dir(&self.dir) {
            Ok(e) => e,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(0),
            Err(e) => return Err(e),
        };
        let now = SystemTime::now();
        let mut removed = 0;
        for e in entries {
            let e = e?;
            let name = e.file_name();
            let Some(hex) = name.to_str().and_then(|n| n.strip_suffix(".spec")) else {
                continue;
            };
            if live.contains(&format!("sha256:{hex}")) {
                continue;
            }
            let age = e
                .metadata()
                .and_then(|m| m.modified())
                .ok()
                .and_then(|t| now.duration_since(t).ok())
                .unwrap_or_default();
            if age < grace {
                continue;
            }
            match std::fs::remove_file(e.path()) {
                Ok(()) => removed += 1,
                Err(e) if e.kind() == io::ErrorKind::NotFound => {}
                Err(e) => return Err(e),
            }
        }
        Ok(removed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn put_get_and_collect_keep_only_live_digests() {
        let dir = tempfile::tempdir().expect("temp dir");
        let specs = Specs::new(dir.path());
        let (a, b) = (
            b"openapi: 3.1.0 # a".as_slice(),
            b"openapi: 3.1.0 # b".as_slice(),
        );
        let (da, db) = (baseline::digest(a), baseline::digest(b));
        specs.put(&da, a).expect("put a");
        specs.put(&db, b).expect("put b");
        specs
            .put(&da, a)
            .expect("a second put of the same bytes is a touch");
        assert_eq!(specs.get(&da).as_deref(), Some(a));
        assert!(specs.get("sha256:../../etc/passwd").is_none());
        assert!(specs.put("../x", a).is_err());
        // Young files survive a collection; old unreferenced ones do not.
        let live = BTreeSet::from([da.clone()]);
        assert_eq!(specs.collect(&live, COLLECT_GRACE).expect("collect"), 0);
        assert_eq!(specs.collect(&live, Duration::ZERO).expect("collect"), 1);
        assert!(specs.get(&db).is_none());
        assert_eq!(specs.get(&da).as_deref(), Some(a));
        // A file whose bytes lost their digest is not trusted.
        let p = specs.path(&da).expect("a digest path");
        std::fs::write(&p, b"tampered").expect("overwrite");
        assert!(specs.get(&da).is_none());
    }
}

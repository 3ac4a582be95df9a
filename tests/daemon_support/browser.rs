//! Runs `pages.cjs` (playwright-core driving Debian's Chromium, plus axe-core) against a
//! running daemon. The tools are installed by `.ci/run`; a missing one fails the test
//! with the command that installs it (never a silent skip).
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;

/// What the browser run found: failures (empty when every check passed) and notes.
#[derive(Debug, serde::Deserialize)]
pub struct Outcome {
    pub failures: Vec<String>,
    pub notes: Vec<String>,
}

const INSTALL: &str = "the browser tests need Debian's chromium, Node.js 20+ and the npm packages \
playwright-core and axe-core: `apt-get install -y chromium nodejs npm` and \
`npm install --prefix target/web-test --no-save playwright-core@1.65.1 axe-core@4.14.1` \
(what .ci/run does), or point APIDRIFT_CHROMIUM / APIDRIFT_NODE_MODULES at them";

/// The node_modules directory with playwright-core and axe-core.
pub fn node_modules() -> PathBuf {
    match std::env::var_os("APIDRIFT_NODE_MODULES") {
        Some(p) => PathBuf::from(p),
        None => Path::new(env!("CARGO_MANIFEST_DIR")).join("target/web-test/node_modules"),
    }
}

pub fn chromium() -> PathBuf {
    std::env::var_os("APIDRIFT_CHROMIUM")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/usr/bin/chromium"))
}

/// Fails with `INSTALL` when a tool is missing.
pub fn require_tools() {
    let chromium = chromium();
    assert!(
        chromium.exists(),
        "{} not found: {INSTALL}",
        chromium.display()
    );
    let node = Command::new("node").arg("--version").output();
    assert!(
        node.as_ref().is_ok_and(|o| o.status.success()),
        "`node` not found: {INSTALL}"
    );
    for pkg in ["playwright-core/package.json", "axe-core/axe.min.js"] {
        let p = node_modules().join(pkg);
        assert!(p.exists(), "{} not found: {INSTALL}", p.display());
    }
}

/// Runs the page checks against `base` with `expect` (see pages.cjs), writing the
/// screenshots into `shots`.
pub fn run(base: &str, expect: &serde_json::Value, shots: &Path) -> Outcome {
    require_tools();
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/daemon_support/pages.cjs");
    let out = Command::new("node")
        .arg(&script)
        .env("APIDRIFT_BASE", base)
        .env("APIDRIFT_EXPECT", expect.to_string())
        .env("APIDRIFT_SHOTS", shots)
        .env("APIDRIFT_NODE_MODULES", node_modules())
        .env("APIDRIFT_CHROMIUM", chromium())
        .output()
        .expect("node runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let last = stdout.lines().last().unwrap_or_default();
    serde_json::from_str(last).unwrap_or_else(|e| {
        panic!(
            "pages.cjs printed no result ({e}); status {:?}\nstdout:\n{stdout}\nstderr:\n{}",
            out.status,
            String::from_utf8_lossy(&out.stderr)
        )
    })
}

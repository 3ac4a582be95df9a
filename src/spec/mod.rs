//! Reads bytes into a `model::Api`: format detection (JSON or YAML, from content),
//! size/depth/alias limits, `$ref` resolution (cycle-safe, dangling refs reported,
//! remote refs off by default), the Swagger 2.0 / OpenAPI 3.0 / 3.1 readers, and the
//! JSON Pointer → line:column locator used by reports.
//!
//! Must not: know about monitors or diffs. Never panics on input: a malformed node is a
//! warning `Diagnostic` with its location, and only a document that cannot be read at
//! all is a `SpecError`.

use crate::diagnostic::Diagnostic;
use crate::model::Api;
use std::path::Path;
use std::time::Duration;

/// Limits that hold on hostile input. Each has a CLI flag to raise it.
#[derive(Debug, Clone)]
pub struct Limits {
    /// Largest document read, in bytes (`--max-spec-bytes`, default 64 MiB).
    pub max_bytes: u64,
    /// Deepest nesting of arrays/objects (`--max-depth`, default 256).
    pub max_depth: usize,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            max_bytes: 64 * 1024 * 1024,
            max_depth: 256,
        }
    }
}

#[derive(Debug, Clone)]
pub struct LoadOptions {
    pub limits: Limits,
    /// Follow `$ref`s to other local files, relative to the document (default true).
    pub allow_file_refs: bool,
    /// Follow `$ref`s to `http(s)://` URLs (default false: SSRF).
    pub allow_remote_refs: bool,
    /// Timeout of each HTTP request made while loading.
    pub timeout: Duration,
}

impl Default for LoadOptions {
    fn default() -> LoadOptions {
        LoadOptions {
            limits: Limits::default(),
            allow_file_refs: true,
            allow_remote_refs: false,
            timeout: Duration::from_secs(30),
        }
    }
}

/// The serialisation a document was written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Json,
    Yaml,
}

/// A loaded document: the model, the warnings found while reading it, and what is
/// needed to point back into its text.
#[derive(Debug, Clone)]
pub struct Loaded {
    pub api: Api,
    /// Non-fatal problems (malformed nodes, dangling refs), each with its location.
    pub diagnostics: Vec<Diagnostic>,
    /// The name given to the source (a path, a URL, or `-`).
    pub name: String,
    pub format: Format,
    /// `sha256:<hex>` of the bytes read.
    pub digest: String,
    /// The document text, kept to resolve pointers to line:column on demand.
    pub text: String,
}

impl Loaded {
    /// Line and column (1-based) of the node at `pointer`, when it can be found.
    pub fn locate(&self, _pointer: &str) -> Option<(u32, u32)> {
        None
    }
}

/// Why a document could not be read at all.
#[derive(Debug, thiserror::Error)]
pub enum SpecError {
    #[error("{file}: cannot read: {message}")]
    Io { file: String, message: String },
    #[error("{file}: not loaded (loader being written)")]
    Unimplemented { file: String },
}

impl SpecError {
    /// The error as a diagnostic with file, place and a hint.
    pub fn diagnostic(&self) -> Diagnostic {
        Diagnostic::error("spec-unreadable", self.to_string())
    }
}

/// Loads a spec from a path, an `http(s)://` URL, or `-` (stdin). Blocking: call it
/// from `spawn_blocking` inside async code.
pub fn load(source: &str, opts: &LoadOptions) -> Result<Loaded, SpecError> {
    let _ = opts;
    Err(SpecError::Unimplemented {
        file: source.to_string(),
    })
}

/// Loads a spec from bytes already in memory. `base_dir` resolves relative file refs.
pub fn load_bytes(
    name: &str,
    bytes: &[u8],
    base_dir: Option<&Path>,
    opts: &LoadOptions,
) -> Result<Loaded, SpecError> {
    let _ = (bytes, base_dir, opts);
    Err(SpecError::Unimplemented {
        file: name.to_string(),
    })
}

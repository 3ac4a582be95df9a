//! Reads bytes into a `model::Api`: format detection (JSON or YAML, from content),
//! size/depth/alias limits, `$ref` resolution (cycle-safe, dangling refs reported,
//! remote refs off by default), the Swagger 2.0 / OpenAPI 3.0 / 3.1 readers, and the
//! JSON Pointer → line:column locator used by reports.
//!
//! Must not: know about monitors or diffs. Never panics on input: a malformed node is a
//! warning `Diagnostic` with its location, and only a document that cannot be read at
//! all is a `SpecError`.

mod locate;
pub use locate::Locator;
mod parse;
mod reader;

use crate::diagnostic::Diagnostic;
use crate::model::Api;
use sha2::{Digest, Sha256};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// Limits that hold on hostile input. Each has a CLI flag to raise it.
#[derive(Debug, Clone)]
pub struct Limits {
    /// Largest document read, in bytes (`--max-spec-bytes`, default 64 MiB).
    pub max_bytes: u64,
    /// Deepest nesting of arrays/objects (`--max-depth`, default 128). Both parsers
    /// stop at 128 on their own, so a larger value has no effect.
    pub max_depth: usize,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            max_bytes: 64 * 1024 * 1024,
            max_depth: 128,
        }
    }
}

/// Reads `http(s)://` documents for the loader: the source of `apidrift diff URL` and
/// remote `$ref`s (`--allow-remote-refs`). `spec` has no HTTP client of its own; the
/// tool passes `fetch::UrlReader`, so every request to a vendor goes through `fetch`
/// (its redirect limit, size limit, timeout, retries and failure reasons).
pub trait Remote: Send + Sync + std::fmt::Debug {
    /// The body of a 2xx answer to a GET of `url`, at most `max_bytes` long
    /// (`SpecError::TooLarge` past it; `SpecError::Fetch` for anything else).
    fn get(&self, url: &str, max_bytes: u64, timeout: Duration) -> Result<Vec<u8>, SpecError>;
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
    /// Free the parsed document tree on a short-lived thread instead of before `load`
    /// returns (default false). Freeing an 11 MB document's tree is a real share of a
    /// load; a one-shot CLI sets this so the free overlaps the rest of its work.
    pub free_in_background: bool,
    /// How URLs are read (`None`: a URL is an error that says so).
    pub remote: Option<std::sync::Arc<dyn Remote>>,
}

impl Default for LoadOptions {
    fn default() -> LoadOptions {
        LoadOptions {
            limits: Limits::default(),
            allow_file_refs: true,
            allow_remote_refs: false,
            timeout: Duration::from_secs(30),
            free_in_background: false,
            remote: None,
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
    /// Position index over `text`, built on the first `locate` (`Locator::default()`).
    pub locator: Locator,
}

impl Loaded {
    /// Line and column (1-based) of the node at `pointer`, when it can be found.
    /// Pointers into other documents (`file#/...`) are `None`. The first call indexes
    /// the whole text once; later calls are a walk down the index.
    pub fn locate(&self, pointer: &str) -> Option<(u32, u32)> {
        if pointer.contains('#') {
            return None;
        }
        self.locator.locate(self.format, &self.text, pointer)
    }

    /// Builds the position index now (what the first `locate` would do), so a caller
    /// can build the indexes of two documents on two threads.
    pub fn build_locator(&self) {
        let _ = self.locator.locate(self.format, &self.text, "");
    }
}

/// Why a document could not be read at all.
#[derive(Debug, thiserror::Error)]
pub enum SpecError {
    #[error("{file}: cannot read: {message}")]
    Io { file: String, message: String },
    #[error("{file}: not loaded (loader being written)")]
    Unimplemented { file: String },
    #[error("{file}: cannot fetch: {message}")]
    Fetch { file: String, message: String },
    #[error("{file}: document is {}, over the limit of {limit} bytes (--max-spec-bytes)", size.map_or_else(|| "larger than that".to_string(), |s| format!("{s} bytes")))]
    TooLarge {
        file: String,
        /// The size when known before reading (None: the stream went past the limit).
        size: Option<u64>,
        limit: u64,
    },
    #[error("{file}: nesting deeper than {limit} levels (--max-depth)")]
    TooDeep {
        file: String,
        limit: usize,
        line: Option<u32>,
        column: Option<u32>,
    },
    #[error(
        "{file}: YAML aliases expand too much (alias expansion limit; possible billion-laughs document)"
    )]
    AliasLimit { file: String },
    #[error("{file}: not valid UTF-8")]
    InvalidUtf8 {
        file: String,
        line: u32,
        column: u32,
    },
    #[error("{file}: invalid {}: {message}", match format { Format::Json => "JSON", Format::Yaml => "YAML" })]
    Parse {
        file: String,
        format: Format,
        message: String,
        line: Option<u32>,
        column: Option<u32>,
    },
    #[error("{file}: the document is {found}, not an object")]
    NotAnObject { file: String, found: &'static str },
    #[error("{file}: not an OpenAPI or Swagger document: {message}")]
    NotOpenApi { file: String, message: String },
}

impl SpecError {
    /// The file (or URL, or `-`) the error is about.
    pub fn file(&self) -> &str {
        match self {
            SpecError::Io { file, .. }
            | SpecError::Unimplemented { file }
            | SpecError::Fetch { file, .. }
            | SpecError::TooLarge { file, .. }
            | SpecError::TooDeep { file, .. }
            | SpecError::AliasLimit { file }
            | SpecError::InvalidUtf8 { file, .. }
            | SpecError::Parse { file, .. }
            | SpecError::NotAnObject { file, .. }
            | SpecError::NotOpenApi { file, .. } => file,
        }
    }

    /// The error as a diagnostic with file, place and a hint.
    pub fn diagnostic(&self) -> Diagnostic {
        let message = self.to_string();
        // The message repeats the file; the diagnostic carries it separately.
        let prefix = format!("{}: ", self.file());
        let message = message
            .strip_prefix(&prefix)
            .unwrap_or(&message)
            .to_string();
        let (code, help, at) = match self {
            SpecError::Io { .. } => (
                "spec-unreadable",
                "check the path and its permissions",
                None,
            ),
            SpecError::Unimplemented { .. } => ("spec-unreadable", "", None),
            SpecError::Fetch { .. } => (
                "spec-unreadable",
                "check the URL and the network; --timeout raises the request timeout",
                None,
            ),
            SpecError::TooLarge { .. } => (
                "spec-too-large",
                "raise the limit with --max-spec-bytes if the document is trusted",
                None,
            ),
            SpecError::TooDeep { line, column, .. } => (
                "spec-too-deep",
                "raise the limit with --max-depth (at most 128, the parsers' own ceiling) if the document is trusted",
                line.zip(*column),
            ),
            SpecError::AliasLimit { .. } => (
                "spec-alias-limit",
                "the document expands YAML aliases far beyond its size; this limit is fixed: expand the aliases in the source or convert it to JSON",
                None,
            ),
            SpecError::InvalidUtf8 { line, column, .. } => (
                "spec-invalid-utf8",
                "specs must be UTF-8; re-encode the file (or check that it is a spec at all)",
                Some((*line, *column)),
            ),
            SpecError::Parse { line, column, .. } => (
                "spec-parse",
                "fix the syntax at this place; a truncated download ends like this too",
                line.zip(*column),
            ),
            SpecError::NotAnObject { .. } => (
                "spec-not-object",
                "a spec is a JSON/YAML object with an `openapi` or `swagger` key",
                None,
            ),
            SpecError::NotOpenApi { .. } => (
                "spec-not-openapi",
                "supported: `swagger: \"2.0\"`, `openapi: 3.0.x` and `openapi: 3.1.x`",
                None,
            ),
        };
        let mut d = Diagnostic::error(code, message).in_file(self.file());
        if let Some((l, c)) = at {
            d = d.at(l, c);
        }
        if !help.is_empty() {
            d = d.with_help(help);
        }
        d
    }
}

/// Loads a spec from a path, an `http(s)://` URL, or `-` (stdin). Blocking: call it
/// from `spawn_blocking` inside async code.
pub fn load(source: &str, opts: &LoadOptions) -> Result<Loaded, SpecError> {
    parse_source(source, opts)?.read(opts)
}

/// A document read and parsed but not yet turned into a model: the first half of
/// [`load`]. A caller loading two documents can parse them on two threads and build
/// both models on one (`cli::diff` does): the second model then reuses the memory the
/// first document's parse tree freed, where a model built on another thread would take
/// fresh memory from that thread's allocator arena.
pub struct Unread {
    name: String,
    parsed: parse::Parsed,
    digest: String,
    size: u64,
    base_dir: Option<PathBuf>,
}

impl Unread {
    /// The second half of [`load`]: the model, the warnings, the position index's text.
    pub fn read(self, opts: &LoadOptions) -> Result<Loaded, SpecError> {
        let Unread {
            name,
            mut parsed,
            digest,
            size,
            base_dir,
        } = self;
        reader::prune_unread(&mut parsed.value, &parsed.text, opts.free_in_background);
        let numeric_version = parsed
            .value
            .pointer("/info/version")
            .is_some_and(serde_json::Value::is_number);
        let reader = reader::Reader::new(opts, &name, parsed.value, base_dir.as_deref(), size)?;
        let (mut api, diagnostics) = reader.read();
        let locator = Locator::default();
        if numeric_version {
            // `version: 1.10` parses as the number 1.1 (YAML, or JSON without quotes); the
            // version is what was written.
            if let Some(v) = locator
                .locate(parsed.format, &parsed.text, "/info/version")
                .and_then(|(line, col)| plain_value_at(&parsed.text, line, col))
            {
                api.info_version = Some(v.to_string());
            }
        }
        Ok(Loaded {
            api,
            diagnostics,
            name,
            format: parsed.format,
            digest,
            text: parsed.text,
            locator,
        })
    }
}

/// The unquoted value (a YAML plain scalar or a JSON number) of the member whose key
/// the locator puts at 1-based `line`:`col` (columns in characters), as written: after
/// the key's `:`, up to the end of the line, a comment, or a `,`, `}` or `]`. `None`
/// when nothing number-like is there (the caller keeps the parsed value).
fn plain_value_at(text: &str, line: u32, col: u32) -> Option<&str> {
    let row = text.lines().nth(line.checked_sub(1)? as usize)?;
    let start = row.char_indices().nth(col.checked_sub(1)? as usize)?.0;
    let member = &row[start..];
    let rest = member[member.find(':')? + 1..].trim_start();
    let end = rest
        .find(" #")
        .into_iter()
        .chain([',', '}', ']'].iter().filter_map(|c| rest.find(*c)))
        .min()
        .unwrap_or(rest.len());
    let token = rest[..end].trim();
    (!token.is_empty() && token.parse::<f64>().is_ok()).then_some(token)
}

/// Reads and parses `source` (a path, an `http(s)://` URL, or `-` for stdin) without
/// building its model: see [`Unread`].
pub fn parse_source(source: &str, opts: &LoadOptions) -> Result<Unread, SpecError> {
    if source == "-" {
        let bytes = read_limited(source, std::io::stdin().lock(), &opts.limits, 0)?;
        // Already within the size limit: no copy through `load_bytes`.
        return parse_owned(source, bytes, None, opts);
    }
    if source.starts_with("http://") || source.starts_with("https://") {
        let bytes = fetch_url(source, opts, &opts.limits)?;
        return parse_owned(source, bytes, None, opts);
    }
    let bytes = read_file(source, &opts.limits)?;
    let dir = Path::new(source).parent().map(|p| {
        if p.as_os_str().is_empty() {
            Path::new(".")
        } else {
            p
        }
    });
    parse_owned(source, bytes, dir, opts)
}

/// Loads a spec from bytes already in memory. `base_dir` resolves relative file refs.
pub fn load_bytes(
    name: &str,
    bytes: &[u8],
    base_dir: Option<&Path>,
    opts: &LoadOptions,
) -> Result<Loaded, SpecError> {
    if bytes.len() as u64 > opts.limits.max_bytes {
        return Err(SpecError::TooLarge {
            file: name.to_string(),
            size: Some(bytes.len() as u64),
            limit: opts.limits.max_bytes,
        });
    }
    parse_owned(name, bytes.to_vec(), base_dir, opts)?.read(opts)
}

fn parse_owned(
    name: &str,
    bytes: Vec<u8>,
    base_dir: Option<&Path>,
    opts: &LoadOptions,
) -> Result<Unread, SpecError> {
    let digest = format!("sha256:{}", hex::encode(Sha256::digest(&bytes)));
    let size = bytes.len() as u64;
    let parsed = parse::parse(name, bytes, &opts.limits)?;
    Ok(Unread {
        name: name.to_string(),
        parsed,
        digest,
        size,
        base_dir: base_dir.map(Path::to_path_buf),
    })
}

/// Reads a whole file, refusing one over the size limit before reading it.
pub(crate) fn read_file(path: &str, limits: &Limits) -> Result<Vec<u8>, SpecError> {
    let io = |e: std::io::Error| SpecError::Io {
        file: path.to_string(),
        message: e.to_string(),
    };
    let f = std::fs::File::open(path).map_err(io)?;
    let meta = f.metadata().map_err(io)?;
    if meta.is_dir() {
        return Err(SpecError::Io {
            file: path.to_string(),
            message: "is a directory".to_string(),
        });
    }
    if meta.len() > limits.max_bytes {
        return Err(SpecError::TooLarge {
            file: path.to_string(),
            size: Some(meta.len()),
            limit: limits.max_bytes,
        });
    }
    read_limited(path, f, limits, meta.len())
}

/// Reads a stream up to the size limit; one byte more is an error, not a truncation.
/// `size_hint` (a file's length, a response's `Content-Length`, 0 when unknown) sizes the
/// buffer up front: grown by doubling, an 11 MB spec would sit in a 16 MiB buffer, and
/// that buffer becomes the `Loaded::text` kept for the whole run.
fn read_limited(
    name: &str,
    r: impl Read,
    limits: &Limits,
    size_hint: u64,
) -> Result<Vec<u8>, SpecError> {
    // A hint above the limit is refused by the caller or by the check below; capping it
    // keeps a wrong hint from reserving more than the limit allows.
    let capacity = usize::try_from(size_hint.min(limits.max_bytes)).unwrap_or(0);
    let mut buf = Vec::with_capacity(capacity);
    r.take(limits.max_bytes.saturating_add(1))
        .read_to_end(&mut buf)
        .map_err(|e| SpecError::Io {
            file: name.to_string(),
            message: e.to_string(),
        })?;
    if buf.len() as u64 > limits.max_bytes {
        return Err(SpecError::TooLarge {
            file: name.to_string(),
            size: None,
            limit: limits.max_bytes,
        });
    }
    Ok(buf)
}

/// GETs a URL through `opts.remote`, within the size limit and the options' timeout.
pub(crate) fn fetch_url(
    url: &str,
    opts: &LoadOptions,
    limits: &Limits,
) -> Result<Vec<u8>, SpecError> {
    match &opts.remote {
        Some(r) => r.get(url, limits.max_bytes, opts.timeout),
        None => Err(SpecError::Fetch {
            file: url.to_string(),
            message: "no HTTP client was given to the loader (LoadOptions::remote); download the document and pass its path".to_string(),
        }),
    }
}

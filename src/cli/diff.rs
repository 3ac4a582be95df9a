//! `apidrift diff BASE REV` and `apidrift breaking BASE REV`: load two specs, compare
//! them, apply the user's severity overrides, filters and ignore list, render the
//! result on stdout and turn it into an exit status.
//!
//! Owns: the flags of both commands and the order the steps run in. Must not: contain
//! diff logic or rendering (those are `diff` and `report`); write anything but the
//! report to stdout (warnings and errors go to stderr).

use super::ExitStatus;
use crate::diagnostic::Diagnostic;
use crate::diff::{self, Change, DiffOptions, Exclude, Level};
use crate::overrides::{IgnoreList, SeverityLevels};
use crate::report::{self, Entry, Format, RenderOptions};
use crate::spec::{self, Limits, LoadOptions, Loaded};
use clap::ValueEnum;
use regex::Regex;
use std::io::{IsTerminal, Write};
use std::path::PathBuf;

/// A level flag value (`--level`, `--fail-on`); matched case-insensitively.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LevelArg {
    Err,
    Warn,
    Info,
}

impl LevelArg {
    fn level(self) -> Level {
        match self {
            LevelArg::Err => Level::Err,
            LevelArg::Warn => Level::Warn,
            LevelArg::Info => Level::Info,
        }
    }
}

/// When to colour `text` output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

/// Elements whose changes `--exclude-elements` leaves out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Element {
    Description,
    Examples,
    Title,
    Summary,
    Extensions,
    Endpoints,
}

#[derive(Debug, clap::Args)]
pub struct DiffArgs {
    /// The base (old) spec: a path, an http(s):// URL, or - for stdin.
    ///
    /// JSON or YAML; Swagger 2.0, OpenAPI 3.0 or 3.1. The format is detected from the
    /// content, not the file name. At most one of BASE and REV can be -.
    #[arg(value_name = "BASE", help_heading = "Input")]
    pub base: String,

    /// The revision (new) spec: a path, an http(s):// URL, or - for stdin.
    ///
    /// Same forms as BASE. Changes are reported as going from BASE to REV.
    #[arg(value_name = "REV", help_heading = "Input")]
    pub revision: String,

    /// Follow $refs to http(s):// URLs (off by default).
    ///
    /// Off by default because fetching URLs named inside an untrusted spec lets that
    /// spec make requests from your machine (SSRF). References to other local files,
    /// relative to the document, are always followed.
    #[arg(long, help_heading = "Input")]
    pub allow_remote_refs: bool,

    /// Largest spec read, in bytes [default: 67108864 (64 MiB)].
    ///
    /// A larger document is refused with exit status 3 before it is parsed.
    #[arg(long, value_name = "N", help_heading = "Input")]
    pub max_spec_bytes: Option<u64>,

    /// Deepest nesting of objects and arrays accepted [default: 128].
    ///
    /// A deeper document is refused with exit status 3 rather than exhausting the stack.
    /// 128 is also the ceiling: the JSON and YAML parsers stop there on their own.
    #[arg(long, value_name = "N", help_heading = "Input")]
    pub max_depth: Option<usize>,

    /// Report changes at this level or above [diff: INFO, breaking: WARN].
    ///
    /// ERR is a definite breaking change, WARN a possible one the spec cannot prove,
    /// INFO a non-breaking change. Applied after --severity-levels.
    #[arg(
        long,
        value_enum,
        ignore_case = true,
        value_name = "LEVEL",
        help_heading = "Rules"
    )]
    pub level: Option<LevelArg>,

    /// Exit 1 when a reported change is at this level or above [breaking: ERR].
    ///
    /// Without it, `diff` exits 0 whenever it ran; `breaking` defaults to ERR. Only
    /// changes left after --level, --ignore and the path filters count.
    #[arg(
        long,
        value_enum,
        ignore_case = true,
        value_name = "LEVEL",
        help_heading = "Rules"
    )]
    pub fail_on: Option<LevelArg>,

    /// Judge changes against a consumes contract (a YAML with `consumes:`).
    ///
    /// FILE is a monitor file or any YAML whose `consumes:` lists the operations and
    /// fields a fetcher reads. Each operation and field must resolve against BASE (exit
    /// 5 with near-miss hints otherwise). Changes touching a consumed field become at
    /// least WARN (ERR when the field is lost); the others are marked unconsumed. The
    /// verdict (fields ok, at_risk, lost; visibility ratio; possible renames) follows
    /// the report; with --format json the output is {"changes": [...], "verdict": ...}.
    #[arg(long, value_name = "FILE", help_heading = "Rules")]
    pub consumes: Option<std::path::PathBuf>,

    /// With --consumes: report only changes that touch a consumed field.
    #[arg(long, requires = "consumes", help_heading = "Rules")]
    pub only_consumed: bool,

    /// File of `rule-id level` lines overriding default levels.
    ///
    /// One rule per line, separated by whitespace; level is err, warn, info or none
    /// (none drops the rule's changes). `#` starts a comment. An unknown rule id or a
    /// malformed line is an error (exit status 5). `apidrift rules` lists the ids.
    #[arg(long, value_name = "FILE", help_heading = "Rules")]
    pub severity_levels: Option<PathBuf>,

    /// File of change fingerprints not to report, one per line.
    ///
    /// Each line starts with the 12 hex digits of a change's `fingerprint` (see
    /// --format json); text after it (a reason, the change text) is ignored, and `#`
    /// starts a comment. A malformed line is an error (exit status 5).
    #[arg(long, value_name = "FILE", help_heading = "Rules")]
    pub ignore: Option<PathBuf>,

    /// Only report changes whose path matches this regex.
    ///
    /// Matched against the path template (e.g. /users/{id}) anywhere in it; anchor
    /// with ^ and $ for whole paths. Document-level changes (no path) are kept.
    #[arg(long, value_name = "REGEX", value_parser = parse_regex, help_heading = "Rules")]
    pub match_path: Option<Regex>,

    /// Do not report changes whose path matches this regex.
    ///
    /// Applied after --match-path. Document-level changes (no path) are kept.
    #[arg(long, value_name = "REGEX", value_parser = parse_regex, help_heading = "Rules")]
    pub unmatch_path: Option<Regex>,

    /// Leave out changes to these elements (comma-separated).
    ///
    /// description, examples, title, summary and extensions are documentation-only
    /// edits; endpoints leaves out endpoint additions and removals.
    #[arg(
        long,
        value_enum,
        ignore_case = true,
        value_delimiter = ',',
        value_name = "ELEMENTS",
        help_heading = "Rules"
    )]
    pub exclude_elements: Vec<Element>,

    /// Least days from deprecation to x-sunset for beta endpoints [default: 0].
    ///
    /// As oasdiff's flag of the same name: a beta endpoint or parameter deprecated
    /// with an `x-sunset` fewer days away is reported. 0 turns the policy off.
    #[arg(long, value_name = "DAYS", help_heading = "Rules")]
    pub deprecation_days_beta: Option<u32>,

    /// Least days from deprecation to x-sunset for stable endpoints [default: 0].
    ///
    /// The same for stable endpoints and those without `x-stability-level`. 0 turns
    /// the policy off.
    #[arg(long, value_name = "DAYS", help_heading = "Rules")]
    pub deprecation_days_stable: Option<u32>,

    /// Component hops from an operation to a change reported there [default: 2].
    ///
    /// A hop is entering a named component schema ($ref) other than the current one;
    /// the body's own component and the item of a list body are free. A change deeper
    /// than N hops at every operation that reaches it is reported once, in section
    /// components with path #/components/schemas/NAME (#/definitions/NAME for Swagger
    /// 2), its args starting with the path inside the component and its text giving
    /// how many operations reach it. Fields named by --consumes are always reported
    /// per operation. 0 reports every change at every operation (large APIs whose
    /// objects nest each other can then give hundreds of thousands of changes).
    #[arg(long, value_name = "N", help_heading = "Rules")]
    pub max_ref_hops: Option<u32>,

    /// Output format [default: text].
    ///
    /// text: for people, grouped by endpoint. json, yaml: a list of change objects
    /// with oasdiff's field names. markdown: a table for PR comments. junit: one test
    /// case per change. githubactions: workflow annotations. sarif: SARIF 2.1.0.
    /// html: one self-contained page (inline CSS, no script) with the counts, the
    /// changes by operation, and with --consumes the verdict and consumed marks.
    #[arg(
        long,
        short = 'f',
        value_enum,
        ignore_case = true,
        value_name = "FORMAT",
        help_heading = "Output"
    )]
    pub format: Option<Format>,

    /// Colour text output: auto, always or never [default: auto].
    ///
    /// auto colours only when stdout is a terminal and NO_COLOR is unset or empty;
    /// always colours even then. Other formats are never coloured.
    #[arg(
        long,
        value_enum,
        ignore_case = true,
        value_name = "WHEN",
        help_heading = "Output"
    )]
    pub color: Option<ColorChoice>,
}

/// Whether this diff reads anything over HTTP (a URL operand or remote `$ref`s).
fn needs_urls(args: &DiffArgs) -> bool {
    let url = |s: &str| s.starts_with("http://") || s.starts_with("https://");
    args.allow_remote_refs || url(&args.base) || url(&args.revision)
}

/// `fetch`'s client for the loader: its redirect limit, retries and failure reasons,
/// with this run's size limit.
fn url_reader(args: &DiffArgs) -> anyhow::Result<std::sync::Arc<dyn spec::Remote>> {
    let max = args
        .max_spec_bytes
        .unwrap_or(LoadOptions::default().limits.max_bytes);
    Ok(std::sync::Arc::new(crate::fetch::UrlReader::new(max, 2)?))
}

fn parse_regex(s: &str) -> Result<Regex, String> {
    regex::RegexBuilder::new(s)
        .size_limit(1 << 20)
        .build()
        .map_err(|e| e.to_string())
}

/// Runs `diff` (or `breaking`, which changes the defaults of --level and --fail-on).
pub fn run(args: DiffArgs, breaking: bool) -> anyhow::Result<ExitStatus> {
    let mut stderr = std::io::stderr().lock();

    // Configuration first: a bad file is cheap to find and fails before any loading.
    let known: Vec<&str> = diff::rules::all().iter().map(|r| r.id).collect();
    let mut config_problems = Vec::new();
    let severity = match &args.severity_levels {
        None => SeverityLevels::default(),
        Some(path) => read_config(path, &mut config_problems, |text, name| {
            SeverityLevels::parse(text, name, &known)
        }),
    };
    let ignore = match &args.ignore {
        None => IgnoreList::default(),
        Some(path) => read_config(path, &mut config_problems, IgnoreList::parse),
    };
    if !config_problems.is_empty() {
        for (d, text) in &config_problems {
            write!(stderr, "{}", d.render(text.as_deref()))?;
        }
        return Ok(ExitStatus::Config);
    }
    if args.base == "-" && args.revision == "-" {
        let d = Diagnostic::error("spec-two-stdin", "BASE and REV cannot both be `-` (stdin)")
            .with_help("write one of the specs to a file");
        write!(stderr, "{}", d.render(None))?;
        return Ok(ExitStatus::Usage);
    }

    let defaults = LoadOptions::default();
    let load_opts = LoadOptions {
        limits: Limits {
            max_bytes: args.max_spec_bytes.unwrap_or(defaults.limits.max_bytes),
            max_depth: args.max_depth.unwrap_or(defaults.limits.max_depth),
        },
        allow_remote_refs: args.allow_remote_refs,
        remote: needs_urls(&args).then(|| url_reader(&args)).transpose()?,
        // A one-shot process: freeing the revision's parse tree overlaps the rest of
        // the run (the base's is freed in place: the revision's model reuses it).
        free_in_background: true,
        ..defaults
    };
    // The revision is read and parsed on a second thread while the base loads (loading
    // is most of a diff's time); its model is built here, after the base's, in the
    // memory the base's parse tree has freed (peak RSS, BENCHMARKS.md).
    let (base, rev) = std::thread::scope(|s| {
        let rev = s.spawn(|| spec::parse_source(&args.revision, &load_opts));
        let base_opts = LoadOptions {
            free_in_background: false,
            ..load_opts.clone()
        };
        let base = spec::load(&args.base, &base_opts);
        let rev = match rev.join() {
            Ok(r) => r,
            Err(panic) => std::panic::resume_unwind(panic),
        };
        (base, rev.and_then(|r| r.read(&load_opts)))
    });
    let (base, rev) = match (base, rev) {
        (Ok(b), Ok(r)) => (b, r),
        (b, r) => {
            for e in [b.err(), r.err()].into_iter().flatten() {
                write!(stderr, "{}", e.diagnostic().render(None))?;
            }
            return Ok(ExitStatus::SpecLoad);
        }
    };
    for loaded in [&base, &rev] {
        for d in &loaded.diagnostics {
            // A warning that only has a pointer gets its line and column here, so the
            // rendering can show the source line.
            let mut d = d.clone();
            if d.line.is_none()
                && let Some((line, col)) = d.pointer.as_deref().and_then(|p| loaded.locate(p))
            {
                d = d.at(line, col);
            }
            write!(stderr, "{}", d.render(Some(&loaded.text)))?;
        }
    }

    // The contract is resolved against BASE before comparing, so the fields it names
    // are reported per operation however deep they sit (`DiffOptions::watched`).
    let resolved = match &args.consumes {
        None => None,
        Some(file) => {
            let contract = match read_consumes(file) {
                Ok(c) => c,
                Err(d) => {
                    let mut stderr = std::io::stderr().lock();
                    write!(stderr, "{}", d.0.render(d.1.as_deref()))?;
                    return Ok(ExitStatus::Config);
                }
            };
            // A contract diagnostic carries a JSON Pointer into the contract file.
            let located = |d: Diagnostic| {
                let at = d.pointer.as_deref().and_then(|p| {
                    let segs: Vec<&str> = p.split('/').filter(|s| !s.is_empty()).collect();
                    crate::monitor::locate::locate_key(&contract.1, &segs)
                });
                let d = d.in_file(file.display().to_string());
                match at {
                    Some((l, c)) => d.at(l, c),
                    None => d,
                }
            };
            match crate::impact::resolve(&contract.0, &base.api) {
                Err(diags) => {
                    let mut stderr = std::io::stderr().lock();
                    for d in diags {
                        write!(stderr, "{}", located(d).render(Some(&contract.1)))?;
                    }
                    return Ok(ExitStatus::Config);
                }
                Ok(mut resolved) => {
                    let mut stderr = std::io::stderr().lock();
                    for d in std::mem::take(&mut resolved.warnings) {
                        write!(stderr, "{}", located(d).render(Some(&contract.1)))?;
                    }
                    Some(resolved)
                }
            }
        }
    };
    let opts = DiffOptions {
        exclude: exclude(&args.exclude_elements),
        today: None,
        deprecation_days_beta: args.deprecation_days_beta.unwrap_or(0),
        deprecation_days_stable: args.deprecation_days_stable.unwrap_or(0),
        max_ref_hops: args.max_ref_hops.unwrap_or(diff::DEFAULT_MAX_REF_HOPS),
        watched: resolved
            .as_ref()
            .map(crate::impact::Resolved::watched)
            .unwrap_or_default(),
    };
    let mut changes = diff::compare(&base.api, &rev.api, &opts);
    let default_level = if breaking {
        LevelArg::Warn
    } else {
        LevelArg::Info
    };
    let min_level = args.level.unwrap_or(default_level).level();
    // The contract raises levels after the overrides and before the level filter.
    let verdict = match &resolved {
        None => None,
        Some(resolved) => {
            severity.apply(&mut changes);
            let v = crate::impact::assess(&changes, resolved, Some(&rev.api));
            changes = v.changes.iter().map(|a| a.change.clone()).collect();
            if args.only_consumed {
                let keep: std::collections::BTreeSet<&str> = v
                    .changes
                    .iter()
                    .filter(|a| a.consumed)
                    .map(|a| a.change.fingerprint.as_str())
                    .collect();
                changes.retain(|c| keep.contains(c.fingerprint.as_str()));
            }
            let lifecycle = crate::daemon::visibility::spec_lifecycle(resolved)
                .into_values()
                .collect();
            Some(crate::state::visibility::VisibilityReport {
                verdict: v,
                samples: Vec::new(),
                lifecycle,
            })
        }
    };
    let no_overrides = SeverityLevels::default();
    let severity = if verdict.is_some() {
        &no_overrides
    } else {
        &severity
    };
    filter(&mut changes, severity, &ignore, min_level, &args);

    let fail_on = args.fail_on.or(breaking.then_some(LevelArg::Err));
    if !changes.is_empty() {
        // Locating changes indexes both texts once; the two indexes are independent.
        std::thread::scope(|s| {
            s.spawn(|| rev.build_locator());
            base.build_locator();
        });
    }
    let entries = locate(changes, &base, &rev);
    let format = args.format.unwrap_or(Format::Text);
    let color = format == Format::Text && use_color(args.color.unwrap_or(ColorChoice::Auto));
    let rendered = match &verdict {
        _ if format == Format::Html => report::html::render(&report::html::Report {
            base: &base.name,
            revision: &rev.name,
            entries: &entries,
            verdict: verdict.as_ref().map(|v| &v.verdict),
        }),
        None => report::render(format, &entries, RenderOptions { color }),
        Some(v) if format == Format::Json => {
            let marks: Vec<report::json::Consumed> = entries
                .iter()
                .map(|e| {
                    let a = v
                        .verdict
                        .changes
                        .iter()
                        .find(|a| a.change.fingerprint == e.change.fingerprint);
                    report::json::Consumed {
                        consumed: a.is_some_and(|a| a.consumed),
                        affects: a.map(|a| a.touches.clone()).unwrap_or_default(),
                    }
                })
                .collect();
            report::json::render_json_consumed(
                &entries,
                &marks,
                &crate::daemon::visibility::summary(v),
            )
        }
        Some(v) => {
            let mut out = report::render(format, &entries, RenderOptions { color });
            if format == Format::Text {
                let mut buf = Vec::new();
                super::check::write_verdict(&mut buf, v)?;
                out.push_str(&String::from_utf8_lossy(&buf));
            }
            out
        }
    };
    drop(stderr);
    // The two loaded specs (models, texts, position indexes) are large; freeing them
    // on another thread lets the output go out without waiting for it.
    let _ = std::thread::Builder::new()
        .name("apidrift-free".to_string())
        .spawn(move || drop((base, rev)));
    let mut stdout = std::io::stdout().lock();
    stdout.write_all(rendered.as_bytes())?;
    stdout.flush()?;

    let failed = fail_on.is_some_and(|f| entries.iter().any(|e| e.change.level >= f.level()));
    Ok(if failed {
        ExitStatus::Findings
    } else {
        ExitStatus::Success
    })
}

/// Reads and parses one configuration file, collecting its problems (with its text,
/// for the source line in the rendering) instead of stopping at the first.
fn read_config<T: Default>(
    path: &std::path::Path,
    problems: &mut Vec<(Diagnostic, Option<String>)>,
    parse: impl FnOnce(&str, &str) -> Result<T, Vec<Diagnostic>>,
) -> T {
    let name = path.display().to_string();
    match std::fs::read_to_string(path) {
        Err(e) => {
            problems.push((
                Diagnostic::error("config-unreadable", format!("cannot read: {e}"))
                    .in_file(&name)
                    .with_help("check the path given to --severity-levels or --ignore"),
                None,
            ));
            T::default()
        }
        Ok(text) => match parse(&text, &name) {
            Ok(v) => v,
            Err(ds) => {
                problems.extend(ds.into_iter().map(|d| (d, Some(text.clone()))));
                T::default()
            }
        },
    }
}

fn exclude(elements: &[Element]) -> Exclude {
    let mut x = Exclude::default();
    for e in elements {
        match e {
            Element::Description => x.description = true,
            Element::Examples => x.examples = true,
            Element::Title => x.title = true,
            Element::Summary => x.summary = true,
            Element::Extensions => x.extensions = true,
            Element::Endpoints => x.endpoints = true,
        }
    }
    x
}

/// Severity overrides (dropping NONE), then --level, --ignore and the path filters.
fn filter(
    changes: &mut Vec<Change>,
    severity: &SeverityLevels,
    ignore: &IgnoreList,
    min_level: Level,
    args: &DiffArgs,
) {
    severity.apply(changes);
    changes.retain(|c| c.level >= min_level);
    ignore.apply(changes);
    changes.retain(|c| {
        let Some(path) = c.path.as_deref() else {
            return true;
        };
        args.match_path.as_ref().is_none_or(|re| re.is_match(path))
            && !args
                .unmatch_path
                .as_ref()
                .is_some_and(|re| re.is_match(path))
    });
}

fn locate(changes: Vec<Change>, base: &Loaded, rev: &Loaded) -> Vec<Entry> {
    changes
        .into_iter()
        .map(|c| {
            Entry::locate(
                c,
                &base.name,
                |p| base.locate(p),
                &rev.name,
                |p| rev.locate(p),
            )
        })
        .collect()
}

/// `--color`: always and never are absolute; auto needs a terminal and no NO_COLOR.
fn use_color(choice: ColorChoice) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            std::io::stdout().is_terminal()
                && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
        }
    }
}

/// A problem reading `--consumes`, with the file text when there is one.
type ConsumesProblem = (Diagnostic, Option<String>);

/// Reads the contract of `diff --consumes`: a YAML mapping with a `consumes:` list (a
/// monitor file is one), or the list itself. Returns it with the file text.
fn read_consumes(
    file: &std::path::Path,
) -> Result<(crate::impact::Consumes, String), Box<ConsumesProblem>> {
    let text = std::fs::read_to_string(file).map_err(|e| {
        Box::new((
            Diagnostic::error("consumes-unreadable", format!("cannot read: {e}"))
                .in_file(file.display().to_string()),
            None,
        ))
    })?;
    #[derive(serde::Deserialize)]
    struct Doc {
        consumes: crate::impact::Consumes,
    }
    let parsed = match serde_yaml::from_str::<serde_yaml::Value>(&text) {
        Ok(serde_yaml::Value::Sequence(_)) => {
            serde_yaml::from_str::<crate::impact::Consumes>(&text)
        }
        _ => serde_yaml::from_str::<Doc>(&text).map(|d| d.consumes),
    };
    match parsed {
        Ok(c) => Ok((c, text)),
        Err(e) => {
            let mut d = Diagnostic::error("consumes-invalid", e.to_string())
                .in_file(file.display().to_string())
                .with_help("write `consumes:` followed by a list of {operation, entity, fields}");
            if let Some(l) = e.location() {
                d = d.at(l.line() as u32, l.column() as u32);
            }
            Err(Box::new((d, Some(text))))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cli::{Cli, Command};
    use crate::diff::{Section, fingerprint};
    use crate::model::Method;
    use clap::Parser;

    fn args(extra: &[&str]) -> DiffArgs {
        let mut argv = vec!["apidrift", "diff", "a.yaml", "b.yaml"];
        argv.extend_from_slice(extra);
        match Cli::try_parse_from(argv).map(|c| c.command) {
            Ok(Command::Diff(a)) => a,
            other => panic!("not a diff command line: {other:?}"),
        }
    }

    fn change(id: &str, level: Level, path: Option<&str>) -> Change {
        let operation = path.map(|_| Method::Get);
        Change {
            id: id.into(),
            text: id.into(),
            comment: None,
            level,
            operation,
            path: path.map(String::from),
            operation_id: None,
            section: Section::Paths,
            args: vec![],
            base_pointer: None,
            revision_pointer: None,
            fingerprint: fingerprint(id, operation, path, &[]),
        }
    }

    fn ids(changes: &[Change]) -> Vec<&str> {
        changes.iter().map(|c| c.id.as_str()).collect()
    }

    fn sample() -> Vec<Change> {
        vec![
            change("r-err", Level::Err, Some("/users/{id}")),
            change("r-warn", Level::Warn, Some("/admin")),
            change("r-info", Level::Info, Some("/users")),
            change("r-doc", Level::Info, None),
        ]
    }

    #[test]
    fn overrides_apply_before_the_level_filter() {
        let sev = SeverityLevels::parse("r-info err\nr-err none\n", "s", &["r-info", "r-err"])
            .expect("valid");
        let mut c = sample();
        filter(
            &mut c,
            &sev,
            &IgnoreList::default(),
            Level::Warn,
            &args(&[]),
        );
        assert_eq!(ids(&c), ["r-warn", "r-info"]);
        assert_eq!(c[1].level, Level::Err);
    }

    #[test]
    fn ignore_and_path_filters_keep_document_changes() {
        let fp = sample()[0].fingerprint.clone();
        let ignore = IgnoreList::parse(&format!("{fp} reviewed\n"), "i").expect("valid");
        let a = args(&["--match-path", "^/(users|admin)", "--unmatch-path", "admin"]);
        let mut c = sample();
        filter(&mut c, &SeverityLevels::default(), &ignore, Level::Info, &a);
        assert_eq!(ids(&c), ["r-info", "r-doc"]);
    }

    #[test]
    fn breaking_and_diff_share_flags_and_exclude_parses_lists() {
        let a = args(&[
            "--exclude-elements",
            "Description,endpoints",
            "--level",
            "WARN",
        ]);
        let x = exclude(&a.exclude_elements);
        assert!(x.description && x.endpoints && !x.title);
        assert_eq!(a.level, Some(LevelArg::Warn));
    }
}

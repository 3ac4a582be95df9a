//! `apidrift validate`: reads apidrift.yaml and every monitor file, prints every problem
//! at once (`file:line:col: message` + a hint) and one `√`/`~`/`x` line per file.
//! Also the shared "load or refuse" step that `check`, `run` and `baseline` start with.

use super::ExitStatus;
use crate::monitor::{self, Config, FileStatus, Validation};
use std::io::Write;
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, clap::Args)]
pub struct ConfigArg {
    /// Global configuration file [default: ./apidrift.yaml, built-in defaults if absent].
    #[arg(
        long,
        value_name = "FILE",
        env = "APIDRIFT_CONFIG",
        help_heading = "Input"
    )]
    pub config: Option<PathBuf>,
    /// State directory, instead of `state` in apidrift.yaml (relative to the current
    /// directory). One read-only configuration can then serve a container's volume.
    #[arg(
        long,
        value_name = "DIR",
        env = "APIDRIFT_STATE_DIR",
        help_heading = "Input"
    )]
    pub state_dir: Option<PathBuf>,
    /// Baselines directory, instead of `baselines` in apidrift.yaml (relative to the
    /// current directory).
    #[arg(
        long,
        value_name = "DIR",
        env = "APIDRIFT_BASELINES_DIR",
        help_heading = "Input"
    )]
    pub baselines_dir: Option<PathBuf>,
}

impl ConfigArg {
    /// Reads the configuration; a missing default file means built-in defaults. The
    /// directory flags (or their environment variables) win over the file.
    pub fn validate(&self) -> Validation {
        let mut v = match &self.config {
            Some(p) => monitor::load(p, true),
            None => monitor::load(Path::new("apidrift.yaml"), false),
        };
        if let Some(d) = &self.state_dir {
            v.config.state_dir = d.clone();
        }
        if let Some(d) = &self.baselines_dir {
            v.config.baselines_dir = d.clone();
        }
        v
    }

    /// The configuration when it has no errors; otherwise prints every problem to
    /// stderr and returns the exit status to use.
    pub fn load(&self) -> Result<Config, ExitStatus> {
        let v = self.validate();
        if v.errors() > 0 {
            let mut err = std::io::stderr().lock();
            let _ = write_text(&mut err, &v);
            let _ = writeln!(
                err,
                "apidrift: refusing to start on an invalid configuration"
            );
            return Err(ExitStatus::Config);
        }
        Ok(v.config)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ValidateFormat {
    Text,
    Json,
}

#[derive(Debug, clap::Args)]
pub struct ValidateArgs {
    #[command(flatten)]
    pub config: ConfigArg,
    /// Output format.
    #[arg(long, value_enum, default_value = "text", help_heading = "Output")]
    pub format: ValidateFormat,
    /// Treat warnings (e.g. a monitor without an owner) as errors.
    #[arg(long, help_heading = "Output")]
    pub deny_warnings: bool,
}

pub fn run(args: ValidateArgs) -> anyhow::Result<ExitStatus> {
    let v = args.config.validate();
    let mut out = std::io::stdout().lock();
    match args.format {
        ValidateFormat::Text => write_text(&mut out, &v)?,
        ValidateFormat::Json => {
            let doc = serde_json::json!({
                "ok": v.errors() == 0 && !(args.deny_warnings && v.warnings() > 0),
                "errors": v.errors(),
                "warnings": v.warnings(),
                "monitors": v.config.monitors.keys().collect::<Vec<_>>(),
                "files": v.files,
            });
            serde_json::to_writer_pretty(&mut out, &doc)?;
            writeln!(out)?;
        }
    }
    out.flush()?;
    if v.errors() > 0 || (args.deny_warnings && v.warnings() > 0) {
        Ok(ExitStatus::Config)
    } else {
        Ok(ExitStatus::Success)
    }
}

/// Every diagnostic as `file:line:col: severity[code]: message` + `help:`, then one
/// status line per file and a summary.
pub fn write_text(out: &mut dyn Write, v: &Validation) -> std::io::Result<()> {
    for f in &v.files {
        for d in &f.diagnostics {
            let sev = match d.severity {
                crate::diagnostic::Severity::Error => "error",
                crate::diagnostic::Severity::Warning => "warning",
            };
            let loc = d.location().unwrap_or_else(|| f.file.clone());
            writeln!(out, "{loc}: {sev}[{}]: {}", d.code, d.message)?;
            if let (Some(line), Some(col)) = (d.line, d.column)
                && let Some(text) = f.source.lines().nth(line.saturating_sub(1) as usize)
            {
                let text: String = text.chars().take(160).collect();
                writeln!(out, "    | {text}")?;
                writeln!(out, "    | {:>width$}", "^", width = col.max(1) as usize)?;
            }
            if let Some(h) = &d.help {
                writeln!(out, "    = help: {h}")?;
            }
        }
    }
    for f in &v.files {
        let what = match &f.monitor {
            Some(m) => format!(" (monitor `{m}`)"),
            None => String::new(),
        };
        let n = f.diagnostics.len();
        let tail = match f.status {
            FileStatus::Ok => String::new(),
            _ => format!(": {n} problem{}", if n == 1 { "" } else { "s" }),
        };
        writeln!(out, "{} {}{what}{tail}", f.status.mark(), f.file)?;
    }
    writeln!(
        out,
        "{} monitor{} valid, {} error{}, {} warning{}",
        v.config.monitors.len(),
        if v.config.monitors.len() == 1 {
            ""
        } else {
            "s"
        },
        v.errors(),
        if v.errors() == 1 { "" } else { "s" },
        v.warnings(),
        if v.warnings() == 1 { "" } else { "s" },
    )
}

//! One `Diagnostic` type for every problem found in user input: a spec, a monitor file,
//! a severity or ignore file. Owns the shape and the rustc-like rendering.
//! Must not: decide what is an error (callers choose `Severity`) or do I/O.

use serde::Serialize;
use std::fmt::{self, Write as _};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Warning,
    Error,
}

/// A problem in an input, with where it is and what to do about it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Diagnostic {
    /// A stable code, e.g. `spec-dangling-ref`, `monitor-unknown-field`.
    pub code: &'static str,
    pub severity: Severity,
    /// Short, lowercase, no trailing dot.
    pub message: String,
    /// The file (or URL, or `-`) the problem is in.
    pub file: Option<String>,
    /// JSON Pointer to the node, when the input is a JSON/YAML document.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pointer: Option<String>,
    /// 1-based line and column, when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub column: Option<u32>,
    /// What to try.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub help: Option<String>,
}

impl Diagnostic {
    pub fn new(code: &'static str, severity: Severity, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            code,
            severity,
            message: message.into(),
            file: None,
            pointer: None,
            line: None,
            column: None,
            help: None,
        }
    }

    pub fn error(code: &'static str, message: impl Into<String>) -> Diagnostic {
        Diagnostic::new(code, Severity::Error, message)
    }

    pub fn warning(code: &'static str, message: impl Into<String>) -> Diagnostic {
        Diagnostic::new(code, Severity::Warning, message)
    }

    pub fn in_file(mut self, file: impl Into<String>) -> Diagnostic {
        self.file = Some(file.into());
        self
    }

    pub fn at_pointer(mut self, pointer: impl Into<String>) -> Diagnostic {
        self.pointer = Some(pointer.into());
        self
    }

    pub fn at(mut self, line: u32, column: u32) -> Diagnostic {
        self.line = Some(line);
        self.column = Some(column);
        self
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Diagnostic {
        self.help = Some(help.into());
        self
    }

    /// `file:line:col` (or as much of it as is known).
    pub fn location(&self) -> Option<String> {
        let file = self.file.as_deref()?;
        let mut s = file.to_string();
        if let Some(line) = self.line {
            let _ = write!(s, ":{line}");
            if let Some(col) = self.column {
                let _ = write!(s, ":{col}");
            }
        }
        Some(s)
    }

    /// Renders like rustc: `error[code]: message`, ` --> file:line:col`, the source line
    /// with a caret when `source` is given, then `help: ...`.
    pub fn render(&self, source: Option<&str>) -> String {
        let mut out = String::new();
        let sev = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        let _ = writeln!(out, "{sev}[{}]: {}", self.code, self.message);
        if let Some(loc) = self.location() {
            let _ = writeln!(out, " --> {loc}");
        }
        if let (Some(src), Some(line), Some(col)) = (source, self.line, self.column)
            && let Some(text) = src.lines().nth(line.saturating_sub(1) as usize)
        {
            let gutter = line.to_string().len();
            let text: String = text.chars().take(200).collect();
            let _ = writeln!(out, "{:gutter$} |", "");
            let _ = writeln!(out, "{line} | {text}");
            let _ = writeln!(
                out,
                "{:gutter$} | {:>width$}",
                "",
                "^",
                width = col.max(1) as usize
            );
        }
        if let Some(p) = &self.pointer
            && self.line.is_none()
        {
            let _ = writeln!(out, "  = at {p}");
        }
        if let Some(help) = &self.help {
            let _ = writeln!(out, "help: {help}");
        }
        out
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(loc) = self.location() {
            write!(f, "{loc}: ")?;
        }
        write!(f, "{}", self.message)?;
        if let Some(p) = &self.pointer
            && self.line.is_none()
        {
            write!(f, " (at {p})")?;
        }
        if let Some(h) = &self.help {
            write!(f, "; {h}")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_location_caret_and_help() {
        let d = Diagnostic::error("monitor-unknown-field", "unknown field `shedule`")
            .in_file("monitors/okta.yaml")
            .at(2, 3)
            .with_help("did you mean `schedule`?");
        let src = "name: okta\n  shedule: x\n";
        let r = d.render(Some(src));
        assert!(r.starts_with("error[monitor-unknown-field]: unknown field `shedule`\n"));
        assert!(r.contains(" --> monitors/okta.yaml:2:3\n"));
        assert!(r.contains("2 |   shedule: x\n"));
        assert!(r.contains("  |   ^\n"), "{r}");
        assert!(r.ends_with("help: did you mean `schedule`?\n"));
        assert_eq!(
            d.to_string(),
            "monitors/okta.yaml:2:3: unknown field `shedule`; did you mean `schedule`?"
        );
    }
}

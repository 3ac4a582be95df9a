//! `apidrift rules [ID] [--format text|json]`: lists the rule catalog (id, default
//! level, direction, description, whether the id is ours or oasdiff's), or explains one
//! rule. Must not: hold rule data (it reads `diff::rules`).

use super::ExitStatus;
use crate::diagnostic::Diagnostic;
use crate::diff::rules::{self, Rule};
use crate::overrides::suggest;
use clap::ValueEnum;
use serde::Serialize;
use std::fmt::Write as _;
use std::io::Write as _;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum RulesFormat {
    /// Aligned columns for people.
    Text,
    /// A JSON array (or one object with ID), for tools.
    Json,
}

#[derive(Debug, clap::Args)]
pub struct RulesArgs {
    /// Explain this rule instead of listing all of them.
    ///
    /// Prints its description, default level, direction, kind, action and the text
    /// template its changes are written with.
    #[arg(value_name = "ID")]
    pub id: Option<String>,

    /// Output format [default: text].
    ///
    /// text is aligned columns (or a short explanation with ID); json is an array of
    /// rule objects (or one object with ID) with the same fields.
    #[arg(
        long,
        short = 'f',
        value_enum,
        ignore_case = true,
        value_name = "FORMAT",
        help_heading = "Output"
    )]
    pub format: Option<RulesFormat>,
}

#[derive(Serialize)]
struct OutRule<'a> {
    id: &'a str,
    level: &'static str,
    direction: &'static str,
    kind: &'a str,
    action: &'a str,
    description: &'a str,
    template: &'a str,
    ours: bool,
}

impl<'a> From<&'a Rule> for OutRule<'a> {
    fn from(r: &'a Rule) -> OutRule<'a> {
        OutRule {
            id: r.id,
            level: r.level.as_str(),
            direction: r.direction.as_str(),
            kind: r.kind,
            action: r.action,
            description: r.description,
            template: r.template,
            ours: r.ours,
        }
    }
}

pub fn run(args: RulesArgs) -> anyhow::Result<ExitStatus> {
    let format = args.format.unwrap_or(RulesFormat::Text);
    let all = rules::all();
    let out = match &args.id {
        None => match format {
            RulesFormat::Text => list_text(&all),
            RulesFormat::Json => json(&all.iter().map(|r| OutRule::from(*r)).collect::<Vec<_>>())?,
        },
        Some(id) => {
            let Some(rule) = rules::get(id) else {
                let mut d = Diagnostic::error("rule-unknown", format!("unknown rule id `{id}`"));
                d = match suggest(id, all.iter().map(|r| r.id)) {
                    Some(s) => d.with_help(format!("did you mean `{s}`?")),
                    None => d.with_help("`apidrift rules` lists every id"),
                };
                eprint!("{}", d.render(None));
                return Ok(ExitStatus::Usage);
            };
            match format {
                RulesFormat::Text => explain_text(rule),
                RulesFormat::Json => json(&OutRule::from(rule))?,
            }
        }
    };
    let mut stdout = std::io::stdout().lock();
    stdout.write_all(out.as_bytes())?;
    stdout.flush()?;
    Ok(ExitStatus::Success)
}

fn json<T: Serialize>(v: &T) -> anyhow::Result<String> {
    let mut s = serde_json::to_string_pretty(v)?;
    s.push('\n');
    Ok(s)
}

/// One line per rule: id, level, direction, origin, description; a count at the end.
fn list_text(all: &[&Rule]) -> String {
    let width = all.iter().map(|r| r.id.len()).max().unwrap_or(2);
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{:<width$}  LEVEL  DIRECTION  FROM      DESCRIPTION",
        "ID"
    );
    for r in all {
        let _ = writeln!(
            out,
            "{:<width$}  {:<5}  {:<9}  {:<8}  {}",
            r.id,
            r.level.as_str(),
            r.direction.as_str(),
            if r.ours { "apidrift" } else { "oasdiff" },
            r.description
        );
    }
    let ours = all.iter().filter(|r| r.ours).count();
    let _ = writeln!(
        out,
        "\n{} rules ({} from oasdiff's vocabulary, {} apidrift's own)",
        all.len(),
        all.len() - ours,
        ours
    );
    out
}

fn explain_text(r: &Rule) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{}", r.id);
    let _ = writeln!(out, "  {}", r.description);
    let _ = writeln!(out);
    let _ = writeln!(
        out,
        "  level:     {} (default; --severity-levels can change it)",
        r.level.as_str()
    );
    let _ = writeln!(out, "  direction: {}", r.direction.as_str());
    let _ = writeln!(out, "  kind:      {}", r.kind);
    let _ = writeln!(out, "  action:    {}", r.action);
    let _ = writeln!(out, "  template:  {}", r.template);
    let _ = writeln!(
        out,
        "  origin:    {}",
        if r.ours {
            "apidrift (not in oasdiff's vocabulary)"
        } else {
            "oasdiff's vocabulary"
        }
    );
    if let Some(why) = apidrift_deviation(r.id) {
        let _ = writeln!(out, "  stricter than oasdiff: {why}");
    }
    out
}

/// Why `id`'s default level differs from oasdiff's, if it does.
fn apidrift_deviation(id: &str) -> Option<&'static str> {
    crate::diff::rules::deviation(id)
}

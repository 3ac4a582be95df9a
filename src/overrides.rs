//! The user's say over findings: the severity-levels file (`rule-id level` lines) and
//! the ignore file (one fingerprint per line), parsed into values the CLI applies to a
//! change list.
//!
//! Owns: both file syntaxes, their line-numbered diagnostics (every bad line, not just
//! the first), and the "did you mean" suggestion for near-miss ids. Must not: read
//! files (callers pass the text), render changes, or decide default levels (those live
//! in the rule catalog).

use crate::diagnostic::Diagnostic;
use crate::diff::{Change, Level};
use std::collections::{BTreeMap, BTreeSet};

/// Rule id → level chosen by the user. `Level::None` disables the rule.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SeverityLevels {
    levels: BTreeMap<String, Level>,
}

impl SeverityLevels {
    /// Parses a severity-levels file. Each non-blank line is `rule-id level`, separated
    /// by whitespace, where level is `err|warn|info|none` in any case; `#` starts a
    /// comment. `known` is the catalog's ids: any other id is an error with a
    /// suggestion. Every bad line is reported.
    pub fn parse(
        text: &str,
        file: &str,
        known: &[&str],
    ) -> Result<SeverityLevels, Vec<Diagnostic>> {
        let mut levels = BTreeMap::new();
        let mut first_line: BTreeMap<String, u32> = BTreeMap::new();
        let mut problems = Vec::new();
        for (n, raw) in text.lines().enumerate() {
            let line_no = u32::try_from(n + 1).unwrap_or(u32::MAX);
            let content = strip_comment(raw);
            let mut words = content.split_whitespace();
            let Some(id) = words.next() else { continue };
            let col = column_of(raw, id);
            let Some(level_word) = words.next() else {
                problems.push(
                    Diagnostic::error(
                        "severity-missing-level",
                        format!("rule `{id}` has no level"),
                    )
                    .in_file(file)
                    .at(line_no, col)
                    .with_help("write `rule-id level`, where level is err, warn, info or none"),
                );
                continue;
            };
            if let Some(extra) = words.next() {
                problems.push(
                    Diagnostic::error(
                        "severity-extra-text",
                        format!("unexpected `{extra}` after the level"),
                    )
                    .in_file(file)
                    .at(line_no, column_of(raw, extra))
                    .with_help("one `rule-id level` pair per line; start comments with `#`"),
                );
                continue;
            }
            let Some(level) = Level::parse(level_word) else {
                problems.push(
                    Diagnostic::error(
                        "severity-bad-level",
                        format!("`{level_word}` is not a level"),
                    )
                    .in_file(file)
                    .at(line_no, column_of(raw, level_word))
                    .with_help("use err, warn, info or none"),
                );
                continue;
            };
            if !known.contains(&id) {
                let mut d =
                    Diagnostic::error("severity-unknown-rule", format!("unknown rule id `{id}`"))
                        .in_file(file)
                        .at(line_no, col);
                d = match suggest(id, known.iter().copied()) {
                    Some(s) => d.with_help(format!(
                        "did you mean `{s}`? (`apidrift rules` lists every id)"
                    )),
                    None => d.with_help("`apidrift rules` lists every id"),
                };
                problems.push(d);
                continue;
            }
            if let Some(first) = first_line.get(id) {
                problems.push(
                    Diagnostic::error(
                        "severity-duplicate-rule",
                        format!("rule `{id}` is listed twice"),
                    )
                    .in_file(file)
                    .at(line_no, col)
                    .with_help(format!("it was first set on line {first}; keep one line")),
                );
                continue;
            }
            first_line.insert(id.to_string(), line_no);
            levels.insert(id.to_string(), level);
        }
        if problems.is_empty() {
            Ok(SeverityLevels { levels })
        } else {
            Err(problems)
        }
    }

    /// The level the user chose for `id`, if any.
    pub fn get(&self, id: &str) -> Option<Level> {
        self.levels.get(id).copied()
    }

    pub fn is_empty(&self) -> bool {
        self.levels.is_empty()
    }

    /// Sets each change's level from the file, then drops the changes now at `NONE`.
    pub fn apply(&self, changes: &mut Vec<Change>) {
        for c in changes.iter_mut() {
            if let Some(level) = self.get(&c.id) {
                c.level = level;
            }
        }
        changes.retain(|c| c.level != Level::None);
    }
}

/// Fingerprints of changes the user has accepted and does not want reported.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct IgnoreList {
    fingerprints: BTreeSet<String>,
}

/// Length of a fingerprint in hex digits (see `diff::fingerprint`).
const FINGERPRINT_LEN: usize = 12;

impl IgnoreList {
    /// Parses an ignore file: the first word of each non-blank line is a 12-digit hex
    /// fingerprint (any case); anything after it on the line is free text (a reason, the
    /// change text); `#` starts a comment. Every bad line is reported.
    pub fn parse(text: &str, file: &str) -> Result<IgnoreList, Vec<Diagnostic>> {
        let mut fingerprints = BTreeSet::new();
        let mut problems = Vec::new();
        for (n, raw) in text.lines().enumerate() {
            let line_no = u32::try_from(n + 1).unwrap_or(u32::MAX);
            let Some(word) = strip_comment(raw).split_whitespace().next() else {
                continue;
            };
            if word.len() == FINGERPRINT_LEN && word.chars().all(|c| c.is_ascii_hexdigit()) {
                fingerprints.insert(word.to_ascii_lowercase());
            } else {
                let shown: String = word.chars().take(40).collect();
                problems.push(
                    Diagnostic::error(
                        "ignore-bad-fingerprint",
                        format!("`{shown}` is not a fingerprint"),
                    )
                    .in_file(file)
                    .at(line_no, column_of(raw, word))
                    .with_help(
                        "start each line with the 12 hex digits of a change's `fingerprint` \
                             (see `--format json`); text after it is allowed",
                    ),
                );
            }
        }
        if problems.is_empty() {
            Ok(IgnoreList { fingerprints })
        } else {
            Err(problems)
        }
    }

    pub fn contains(&self, fingerprint: &str) -> bool {
        self.fingerprints
            .contains(&fingerprint.to_ascii_lowercase())
    }

    pub fn len(&self) -> usize {
        self.fingerprints.len()
    }

    pub fn is_empty(&self) -> bool {
        self.fingerprints.is_empty()
    }

    /// Drops the changes whose fingerprint is listed.
    pub fn apply(&self, changes: &mut Vec<Change>) {
        changes.retain(|c| !self.contains(&c.fingerprint));
    }
}

/// The line without its `#` comment.
fn strip_comment(line: &str) -> &str {
    line.split_once('#').map_or(line, |(before, _)| before)
}

/// 1-based column (in characters) of `word`, a sub-slice of `line`.
fn column_of(line: &str, word: &str) -> u32 {
    let offset = (word.as_ptr() as usize).saturating_sub(line.as_ptr() as usize);
    let offset = offset.min(line.len());
    let chars = line.get(..offset).map_or(0, |s| s.chars().count());
    u32::try_from(chars + 1).unwrap_or(u32::MAX)
}

/// The candidate closest to `wrong` by edit distance, when it is close enough to be a
/// plausible typo (at most a third of the word, and at least one edit allowed).
pub fn suggest<'a>(wrong: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let limit = (wrong.chars().count() / 3).max(1);
    candidates
        .into_iter()
        .map(|c| (edit_distance(wrong, c), c))
        .filter(|(d, _)| *d <= limit)
        .min()
        .map(|(_, c)| c)
}

/// Levenshtein distance over chars, in O(len(b)) memory.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for (i, ca) in a.chars().enumerate() {
        cur[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != *cb);
            cur[j + 1] = (prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    const KNOWN: &[&str] = &[
        "api-path-removed-without-deprecation",
        "response-property-removed",
    ];

    #[test]
    fn severity_lines_comments_case_and_none() {
        let text = "# team policy\n\nresponse-property-removed   NONE  # we never read it\n\
                    api-path-removed-without-deprecation warn\n";
        let s = SeverityLevels::parse(text, "sev.txt", KNOWN).unwrap();
        assert_eq!(s.get("response-property-removed"), Some(Level::None));
        assert_eq!(
            s.get("api-path-removed-without-deprecation"),
            Some(Level::Warn)
        );
        assert_eq!(s.get("other"), None);
    }

    #[test]
    fn severity_reports_every_bad_line_with_position_and_suggestion() {
        let text = "response-property-removd err\nresponse-property-removed loud\n  lonely\n\
                    response-property-removed err\nresponse-property-removed info\n";
        let errs = SeverityLevels::parse(text, "sev.txt", KNOWN).unwrap_err();
        let codes: Vec<_> = errs.iter().map(|d| (d.code, d.line, d.column)).collect();
        assert_eq!(
            codes,
            vec![
                ("severity-unknown-rule", Some(1), Some(1)),
                ("severity-bad-level", Some(2), Some(27)),
                ("severity-missing-level", Some(3), Some(3)),
                ("severity-duplicate-rule", Some(5), Some(1)),
            ]
        );
        assert_eq!(
            errs[0].help.as_deref(),
            Some("did you mean `response-property-removed`? (`apidrift rules` lists every id)")
        );
        assert!(errs[3].help.as_deref().unwrap_or("").contains("line 4"));
    }

    #[test]
    fn ignore_takes_first_word_and_reports_bad_lines() {
        let text = "# accepted\nABCDEF012345 GET /users removed, agreed with vendor\n\n  0123456789ab\nnot-a-fp\n";
        let errs = IgnoreList::parse(text, "ignore.txt").unwrap_err();
        assert_eq!(errs.len(), 1);
        assert_eq!((errs[0].line, errs[0].column), (Some(5), Some(1)));
        let ok = IgnoreList::parse("ABCDEF012345 why\n  0123456789ab\n", "i").unwrap();
        assert!(ok.contains("abcdef012345"));
        assert!(ok.contains("0123456789AB"));
        assert!(!ok.contains("0123456789ac"));
        assert_eq!(ok.len(), 2);
    }

    #[test]
    fn suggestion_only_for_near_misses() {
        assert_eq!(
            suggest("respnse-property-removed", KNOWN.iter().copied()),
            Some("response-property-removed")
        );
        assert_eq!(suggest("totally-different", KNOWN.iter().copied()), None);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
    }
}

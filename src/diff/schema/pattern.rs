//! Decides, without a regex engine, whether a replaced `pattern` certainly accepts every
//! string the old one accepted (`*-pattern-generalized` instead of `*-pattern-changed`).
//!
//! JSON Schema patterns are ECMA-262 regexes matched anywhere in the value (no implicit
//! anchors). Two sound cases are recognized; everything else is "not provably wider":
//!
//! 1. **The new pattern matches every string.** One of its top-level alternatives,
//!    with at most one anchor (`^` first or `$` last, not both), is a sequence of atoms
//!    that may each repeat zero times (`.*`, `\w*`, `(?:x)?`, ...) or is empty. Such an
//!    alternative matches the empty string at the start (or the end) of any value.
//!    oasdiff recognizes exactly `.*`, which is one such pattern.
//! 2. **Alternatives were added.** The new pattern is the old one with the alternatives
//!    of the whole pattern or of one plain group (`(...)` or `(?:...)`) replaced by a
//!    superset of them, and the rest of the text unchanged: `^(a|b)$` to `^(a|b|c)$`.
//!    A match of the old pattern is then a match of the new one with the same choices.
//!    Not claimed when either pattern has a backreference or a named group (added
//!    groups renumber them) or a negative lookaround (inside one, more alternatives
//!    accept less).
//!
//! Must not: compile or run regexes, recurse on the input (patterns come from
//! untrusted specs), or claim "wider" when unsure.

/// Longest pattern analysed; longer ones are never called wider.
const MAX_PATTERN_LEN: usize = 8 * 1024;

/// True when every string matched by `old` is certainly matched by `new` (and the two
/// differ).
pub(super) fn pattern_widens(old: &str, new: &str) -> bool {
    if old == new || old.len() > MAX_PATTERN_LEN || new.len() > MAX_PATTERN_LEN {
        return false;
    }
    matches_everything(new) || alternatives_added(old, new)
}

/// The top-level alternatives of `content` (the text of a whole pattern or of a
/// group's inside), split at `|` outside groups and classes. `None` when `content` is
/// not balanced on its own: a group closes that did not open here or stays open, a
/// class stays open or begins with `]` (ECMA and PCRE read that differently), or it
/// ends in a lone backslash.
fn alternatives(content: &str) -> Option<Vec<&str>> {
    let b = content.as_bytes();
    let mut out = Vec::new();
    let (mut depth, mut start, mut i) = (0usize, 0usize, 0usize);
    while i < b.len() {
        let (tok, next) = step(b, i)?;
        match tok {
            Tok::Open => depth += 1,
            Tok::Close => depth = depth.checked_sub(1)?,
            Tok::Bar if depth == 0 => {
                out.push(&content[start..i]);
                start = next;
            }
            Tok::Bar | Tok::Other => {}
        }
        i = next;
    }
    if depth != 0 {
        return None;
    }
    out.push(&content[start..]);
    Some(out)
}

/// What a scan at the level of groups sees at one position.
enum Tok {
    Open,
    Close,
    Bar,
    /// A character, an escape or a whole class.
    Other,
}

/// The token at `b[i]` and the index just past it: escapes and classes are skipped
/// whole. `None` for a lone trailing backslash or a class `class_end` refuses.
fn step(b: &[u8], i: usize) -> Option<(Tok, usize)> {
    match b[i] {
        b'\\' => (i + 1 < b.len()).then_some((Tok::Other, i + 2)),
        b'[' => Some((Tok::Other, class_end(b, i)?)),
        b'(' => Some((Tok::Open, i + 1)),
        b')' => Some((Tok::Close, i + 1)),
        b'|' => Some((Tok::Bar, i + 1)),
        _ => Some((Tok::Other, i + 1)),
    }
}

/// Index just past the class that opens at `b[open] == b'['`, or `None` when it does
/// not close or its first member is `]`.
fn class_end(b: &[u8], open: usize) -> Option<usize> {
    let mut i = open + 1;
    if b.get(i) == Some(&b'^') {
        i += 1;
    }
    if b.get(i) == Some(&b']') {
        return None;
    }
    while i < b.len() {
        match b[i] {
            b'\\' => i += 2,
            b']' => return Some(i + 1),
            _ => i += 1,
        }
    }
    None
}

/// Index just past the group that opens at `b[open] == b'('`, or `None`.
fn group_end(b: &[u8], open: usize) -> Option<usize> {
    let mut depth = 0usize;
    let mut i = open;
    while i < b.len() {
        let (tok, next) = step(b, i)?;
        match tok {
            Tok::Open => depth += 1,
            Tok::Close => {
                depth = depth.checked_sub(1)?;
                if depth == 0 {
                    return Some(next);
                }
            }
            Tok::Bar | Tok::Other => {}
        }
        i = next;
    }
    None
}

/// Case 1: some top-level alternative of `p` matches the empty string at the start or
/// at the end of every value.
fn matches_everything(p: &str) -> bool {
    let Some(alts) = alternatives(p) else {
        return false;
    };
    alts.into_iter().any(|alt| {
        let body = match (alt.strip_prefix('^'), alt.strip_suffix('$')) {
            // Both anchors: the whole value must match; not universal.
            (Some(_), Some(_)) if !alt.ends_with("\\$") => return false,
            (Some(rest), _) => rest,
            (None, Some(rest)) if !rest.ends_with('\\') => rest,
            _ => alt,
        };
        nullable_sequence(body.as_bytes())
    })
}

/// Is `b` a sequence of atoms that each may repeat zero times (so it matches the empty
/// string without looking at the input)? Anchors, word boundaries and lookarounds are
/// not atoms here, so their presence answers no.
fn nullable_sequence(b: &[u8]) -> bool {
    let mut i = 0;
    while i < b.len() {
        let Some(end) = atom_end(b, i) else {
            return false;
        };
        let Some(next) = zero_quantifier_end(b, end) else {
            return false;
        };
        i = next;
    }
    true
}

/// Index just past the atom at `b[i]`: `.`, a class, a plain group, a character-class
/// or punctuation escape, or a literal character. `None` for anything else.
fn atom_end(b: &[u8], i: usize) -> Option<usize> {
    match b[i] {
        b'.' => Some(i + 1),
        b'[' => class_end(b, i),
        b'(' => {
            let plain = b.get(i + 1) != Some(&b'?') || b.get(i + 2) == Some(&b':');
            let end = group_end(b, i)?;
            let inner_start = if b.get(i + 1) == Some(&b'?') {
                i + 3
            } else {
                i + 1
            };
            let inner = std::str::from_utf8(b.get(inner_start..end - 1)?).ok()?;
            (plain && alternatives(inner).is_some()).then_some(end)
        }
        b'\\' => {
            let c = *b.get(i + 1)?;
            let ok = matches!(c, b'd' | b'D' | b'w' | b'W' | b's' | b'S')
                || (c.is_ascii_punctuation() && c != b'k');
            ok.then_some(i + 2)
        }
        b'^' | b'$' | b'*' | b'+' | b'?' | b'{' | b'}' | b')' | b']' | b'|' => None,
        c if c >= 0x80 => {
            // A whole UTF-8 character: its lead byte, then continuation bytes.
            let mut j = i + 1;
            while j < b.len() && (0x80..0xC0).contains(&b[j]) {
                j += 1;
            }
            Some(j)
        }
        _ => Some(i + 1),
    }
}

/// Index just past a quantifier at `b[i]` that allows zero repetitions (`*`, `?`,
/// `{0}`, `{0,}`, `{0,n}`, each optionally lazy), or `None`.
fn zero_quantifier_end(b: &[u8], i: usize) -> Option<usize> {
    let end = match b.get(i)? {
        b'*' | b'?' => i + 1,
        b'{' => {
            let close = i + b[i..].iter().position(|&c| c == b'}')?;
            let inner = &b[i + 1..close];
            let (min, max) = match inner.iter().position(|&c| c == b',') {
                Some(comma) => (&inner[..comma], &inner[comma + 1..]),
                None => (inner, &b"0"[..]),
            };
            let zero = !min.is_empty() && min.iter().all(|&c| c == b'0');
            if !zero || !max.iter().all(u8::is_ascii_digit) {
                return None;
            }
            close + 1
        }
        _ => return None,
    };
    Some(if b.get(end) == Some(&b'?') {
        end + 1
    } else {
        end
    })
}

/// Does `p` have what makes case 2 unsound: a backreference (`\1`, `\k<name>`), a named
/// group, or a negative lookaround?
fn has_unsafe_construct(p: &str) -> bool {
    let b = p.as_bytes();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'\\' => {
                if matches!(b.get(i + 1), Some(b'1'..=b'9' | b'k')) {
                    return true;
                }
                i += 2;
                continue;
            }
            b'(' if b.get(i + 1) == Some(&b'?') => {
                let rest = &b[i + 2..];
                if rest.starts_with(b"!") || rest.starts_with(b"<!") {
                    return true;
                }
                if rest.starts_with(b"<") && !rest.starts_with(b"<=") {
                    return true;
                }
            }
            _ => {}
        }
        i += 1;
    }
    false
}

/// Case 2: `new` is `old` with the alternatives of the whole pattern or of one plain
/// group widened to a strict superset, and nothing else changed.
fn alternatives_added(old: &str, new: &str) -> bool {
    if has_unsafe_construct(old) || has_unsafe_construct(new) {
        return false;
    }
    let b = old.as_bytes();
    // (content start, content end) of the whole pattern, then of every plain group.
    let mut spans = vec![(0, old.len())];
    let mut i = 0;
    while i < b.len() {
        let Some((tok, next)) = step(b, i) else {
            return false;
        };
        if let Tok::Open = tok {
            let Some(end) = group_end(b, i) else {
                return false;
            };
            match (b.get(i + 1), b.get(i + 2)) {
                (Some(b'?'), Some(b':')) => spans.push((i + 3, end - 1)),
                (Some(b'?'), _) => {}
                _ => spans.push((i + 1, end - 1)),
            }
        }
        i = next;
    }
    spans.into_iter().any(|(start, end)| {
        let (prefix, suffix) = (&old[..start], &old[end..]);
        if new.len() < prefix.len() + suffix.len()
            || !new.starts_with(prefix)
            || !new.ends_with(suffix)
        {
            return false;
        }
        let (Some(was), Some(now)) = (
            alternatives(&old[start..end]),
            alternatives(&new[start..new.len() - suffix.len()]),
        ) else {
            return false;
        };
        was.iter().all(|a| now.contains(a)) && now.iter().any(|a| !was.contains(a))
    })
}

#[cfg(test)]
mod tests {
    use super::pattern_widens;

    #[test]
    fn a_pattern_that_matches_every_string_is_wider() {
        for new in [
            ".*",
            "",
            "^",
            "$",
            "^.*",
            ".*$",
            "\\w*",
            "(?:abc)?",
            "[a-z]*?",
            "x{0,3}",
            "é*",
            "^[0-9]+$|.*",
        ] {
            assert!(pattern_widens("^[a-z]+$", new), "{new:?}");
        }
    }

    #[test]
    fn a_pattern_that_can_reject_a_value_is_not_called_wider() {
        for new in [
            "^.*$", // `.` does not match a line break, so "a\nb" fails
            ".+", "^[a-z]*$", "a*b", "\\b*", "(?!x)*", "(?=x)?y", "x{1,}", "[]a]*",
            "^[a-z]+$", // unchanged
        ] {
            assert!(!pattern_widens("^[a-z]+$", new), "{new:?}");
        }
    }

    #[test]
    fn alternatives_added_to_the_pattern_or_a_group_are_wider() {
        assert!(pattern_widens("^(a|b)$", "^(a|b|c)$"));
        assert!(pattern_widens("^(?:a|b)$", "^(?:b|a|c)$"));
        assert!(pattern_widens("^a$|^b$", "^a$|^b$|^c$"));
        assert!(pattern_widens("^x(a)y$", "^x(a|[0-9]+)y$"));
        assert!(pattern_widens("^(\\(|a)$", "^(\\(|a|b)$"));
    }

    #[test]
    fn changed_or_unsafe_alternatives_are_not_called_wider() {
        // An alternative dropped or rewritten.
        assert!(!pattern_widens("^(a|b)$", "^(a|c)$"));
        assert!(!pattern_widens("^(a|b)$", "^(a)$"));
        // The rest of the pattern changed too.
        assert!(!pattern_widens("^(a|b)$", "^(a|b|c)"));
        // Inside a negative lookahead more alternatives accept less.
        assert!(!pattern_widens("^(?!(a|b))", "^(?!(a|b|c))"));
        // A backreference renumbered by an added group.
        assert!(!pattern_widens("^(a)\\1$", "^(a|(b))\\1$"));
        // Named groups and lookbehinds other than positive ones.
        assert!(!pattern_widens("^(?<n>a)$", "^(?<n>a|b)$"));
        // Unbalanced new content must not be read as a superset.
        assert!(!pattern_widens("^(a)$", "^(a|b\\)$"));
        assert!(!pattern_widens("^(a)$", "^(a|b))(c$"));
    }
}

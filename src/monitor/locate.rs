//! Finds where a key sits in a YAML text (for diagnostics on documents that parsed fine
//! but mean something wrong), and suggests near-miss names. Must not: parse YAML
//! semantics; this is a line scanner that understands block and flow mappings well
//! enough to point a human at the right line.

/// 1-based line and column of the key at `path` (e.g. `["spec", "auth", "bearer_env"]`).
/// Falls back to the deepest parent found; `None` when not even the first key is found.
pub fn locate_key(text: &str, path: &[&str]) -> Option<(u32, u32)> {
    let lines: Vec<&str> = text.lines().collect();
    let mut found: Option<(usize, usize)> = None; // (line index, column index)
    let mut start = 0usize;
    let mut parent_indent: Option<usize> = None;
    for seg in path {
        let mut hit = None;
        // A number is the index of an item of a block sequence (`- ...` lines) under
        // the key found so far; the item's own keys are then searched from its line.
        if let (Some((l, _)), Ok(n)) = (found, seg.parse::<usize>()) {
            match nth_item(&lines, l, n) {
                Some((il, ic)) => {
                    found = Some((il, ic));
                    parent_indent = Some(ic);
                    start = il;
                    continue;
                }
                None => break,
            }
        }
        // A flow mapping on the parent's own line: `auth: {bearer_env: X}`.
        if let Some((l, c)) = found
            && let Some(pos) = find_flow_key(&lines[l][c..], seg)
        {
            hit = Some((l, c + pos));
        }
        if hit.is_none() {
            for (i, line) in lines.iter().enumerate().skip(start) {
                let trimmed = line.trim_start();
                if trimmed.is_empty() || trimmed.starts_with('#') {
                    continue;
                }
                let indent = line.len() - trimmed.len();
                if let Some(p) = parent_indent
                    && indent <= p
                    && i > start
                {
                    break;
                }
                let body = trimmed.strip_prefix("- ").unwrap_or(trimmed);
                let body_col = line.len() - body.len();
                if key_matches(body, seg) {
                    hit = Some((i, body_col));
                    break;
                }
            }
        }
        match hit {
            Some((l, c)) => {
                found = Some((l, c));
                let line = lines[l];
                parent_indent = Some(line.len() - line.trim_start().len());
                start = l + 1;
            }
            None => break,
        }
    }
    found.map(|(l, c)| (l as u32 + 1, c as u32 + 1))
}

/// Line and column (0-based) of the `n`th `- ` item of the block sequence under the key
/// on line `key_line`.
fn nth_item(lines: &[&str], key_line: usize, n: usize) -> Option<(usize, usize)> {
    let key_indent = lines[key_line].len() - lines[key_line].trim_start().len();
    let mut dash_indent = None;
    let mut seen = 0;
    for (i, line) in lines.iter().enumerate().skip(key_line + 1) {
        let trimmed = line.trim_start();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        let indent = line.len() - trimmed.len();
        let dash = trimmed == "-" || trimmed.starts_with("- ");
        if indent < key_indent || (indent == key_indent && !dash) {
            return None;
        }
        if !dash || dash_indent.is_some_and(|d| d != indent) {
            continue;
        }
        dash_indent = Some(indent);
        if seen == n {
            return Some((i, indent));
        }
        seen += 1;
    }
    None
}

fn key_matches(body: &str, key: &str) -> bool {
    for q in ["", "\"", "'"] {
        let k = format!("{q}{key}{q}");
        if let Some(rest) = body.strip_prefix(&k)
            && rest.trim_start().starts_with(':')
        {
            return true;
        }
    }
    false
}

fn find_flow_key(s: &str, key: &str) -> Option<usize> {
    let mut from = 0;
    while let Some(pos) = s[from..].find(key) {
        let at = from + pos;
        let before = s[..at].trim_end().chars().last();
        let after = &s[at + key.len()..];
        if matches!(before, Some('{') | Some(',') | Some('"') | Some('\''))
            && after
                .trim_start_matches(['"', '\''])
                .trim_start()
                .starts_with(':')
        {
            return Some(at);
        }
        from = at + key.len();
    }
    None
}

/// The closest of `candidates` to `word`, when it is close enough to be a likely typo.
pub fn did_you_mean<'a>(word: &str, candidates: &[&'a str]) -> Option<&'a str> {
    let mut best: Option<(usize, &str)> = None;
    for c in candidates {
        let d = levenshtein(&word.to_ascii_lowercase(), c);
        let limit = (c.len().max(word.len()) / 3).max(1);
        if d <= limit && best.is_none_or(|(bd, _)| d < bd) {
            best = Some((d, c));
        }
    }
    best.map(|(_, c)| c)
}

fn levenshtein(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for i in 1..=a.len() {
        let mut cur = vec![i; b.len() + 1];
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            cur[j] = (prev[j] + 1).min(cur[j - 1] + 1).min(prev[j - 1] + cost);
        }
        prev = cur;
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "name: a\n# c\nspec:\n  url: x\n  auth:\n    bearer_env: T\nschedule: \"* * * * *\"\nother: {a: 1, jitter: 2}\n";

    #[test]
    fn locates_nested_block_and_flow_keys() {
        assert_eq!(locate_key(TEXT, &["name"]), Some((1, 1)));
        assert_eq!(
            locate_key(TEXT, &["spec", "auth", "bearer_env"]),
            Some((6, 5))
        );
        assert_eq!(locate_key(TEXT, &["schedule"]), Some((7, 1)));
        assert_eq!(locate_key(TEXT, &["other", "jitter"]), Some((8, 15)));
        // A missing child falls back to its parent.
        assert_eq!(locate_key(TEXT, &["spec", "nope"]), Some((3, 1)));
        assert_eq!(locate_key(TEXT, &["nope"]), None);
    }

    #[test]
    fn locates_items_of_block_sequences_by_index() {
        let t = "name: a\nsamples:\n  - name: one\n    url: x\n  - name: two\n    auth:\n      bearer_env: T\nconsumes:\n- operation: GET /u\n  fields: [id]\n";
        assert_eq!(locate_key(t, &["samples", "1"]), Some((5, 3)));
        assert_eq!(locate_key(t, &["samples", "1", "name"]), Some((5, 5)));
        assert_eq!(
            locate_key(t, &["samples", "1", "auth", "bearer_env"]),
            Some((7, 7))
        );
        assert_eq!(locate_key(t, &["samples", "0", "url"]), Some((4, 5)));
        assert_eq!(locate_key(t, &["consumes", "0", "fields"]), Some((10, 3)));
        // An index past the end falls back to the key.
        assert_eq!(locate_key(t, &["samples", "2"]), Some((2, 1)));
    }

    #[test]
    fn suggests_near_misses_only() {
        let c = ["schedule", "jitter", "timeout"];
        assert_eq!(did_you_mean("shedule", &c), Some("schedule"));
        assert_eq!(did_you_mean("jiter", &c), Some("jitter"));
        assert_eq!(did_you_mean("banana", &c), None);
    }
}

//! Name similarity for near-miss suggestions (`lastLogin` → did you mean `last_login`?)
//! and for possible renames (`lastLogin` → `lastLoginAt`). Must not: know about specs.

/// Lowercase with `_`, `-` and spaces removed: `last_login`, `lastLogin` and
/// `Last-Login` all fold to `lastlogin`.
pub fn fold(name: &str) -> String {
    name.chars()
        .filter(|c| !matches!(c, '_' | '-' | ' '))
        .flat_map(char::to_lowercase)
        .collect()
}

/// Levenshtein distance over chars, bounded in memory by the shorter string. Inputs
/// longer than 256 chars are compared on their first 256 (names are short).
pub fn distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().take(256).collect();
    let b: Vec<char> = b.chars().take(256).collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for (i, ca) in a.iter().enumerate() {
        cur[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let sub = prev[j] + usize::from(ca != cb);
            cur[j + 1] = sub.min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

/// How close `candidate` is to `wanted`, lower is closer; `None` when they are not
/// similar. Similar means: equal once folded (case, `_`, `-`); one folded name is a
/// prefix of the other and the shorter has at least 3 chars; or an edit distance of at
/// most a third of the shorter folded name (at least 1).
pub fn similarity(wanted: &str, candidate: &str) -> Option<usize> {
    if wanted == candidate {
        return None;
    }
    let (a, b) = (fold(wanted), fold(candidate));
    if a.is_empty() || b.is_empty() {
        return None;
    }
    if a == b {
        return Some(0);
    }
    let short = a.chars().count().min(b.chars().count());
    if short >= 3 && (a.starts_with(&b) || b.starts_with(&a)) {
        return Some(1 + a.chars().count().abs_diff(b.chars().count()));
    }
    let d = distance(&a, &b);
    if d <= (short / 3).max(1) {
        return Some(1 + d);
    }
    None
}

/// Up to `max` candidates similar to `wanted`, closest first (ties by name).
pub fn suggest<'a>(
    wanted: &str,
    candidates: impl IntoIterator<Item = &'a str>,
    max: usize,
) -> Vec<String> {
    let mut scored: Vec<(usize, &str)> = candidates
        .into_iter()
        .filter_map(|c| similarity(wanted, c).map(|s| (s, c)))
        .collect();
    scored.sort();
    scored.dedup();
    scored
        .into_iter()
        .take(max)
        .map(|(_, c)| c.to_string())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snake_and_camel_case_are_the_same_name() {
        assert_eq!(similarity("lastLogin", "last_login"), Some(0));
        assert_eq!(
            suggest("lastLogin", ["id", "last_login", "status"], 3),
            vec!["last_login"]
        );
    }

    #[test]
    fn prefixes_and_typos_are_similar_unrelated_names_are_not() {
        assert!(similarity("lastLogin", "lastLoginAt").is_some());
        assert!(similarity("status", "statsu").is_some());
        assert_eq!(similarity("id", "status"), None);
        assert_eq!(similarity("email", "login"), None);
        assert_eq!(distance("kitten", "sitting"), 3);
    }
}

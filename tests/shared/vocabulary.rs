//! Ids not marked `ours` must be oasdiff's, with oasdiff's default level, so users can
//! bring their severity and ignore files over.

use apidrift::diff::rules;
use std::collections::HashMap;
use std::path::Path;

fn vocabulary() -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/reference/rule-ids.tsv");
    std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "{}: {e}: this test needs ../shared beside the project root",
            path.display()
        )
    })
}

#[test]
fn catalog_ids_are_oasdiff_ids_with_oasdiff_levels_unless_ours() {
    let tsv = vocabulary();
    let vocab: HashMap<&str, &str> = tsv
        .lines()
        .skip(1)
        .filter_map(|l| {
            let mut f = l.split('\t');
            Some((f.next()?, f.next()?))
        })
        .collect();
    assert!(
        vocab.len() > 500,
        "vocabulary looks truncated: {}",
        vocab.len()
    );
    let mut problems = Vec::new();
    for r in rules::all() {
        match (r.ours, vocab.get(r.id)) {
            (false, Some(level))
                if *level != r.level.as_str() && rules::deviation(r.id).is_none() =>
            {
                problems.push(format!(
                    "{} has level {} but oasdiff's default is {level} (and no entry in rules::LEVEL_DEVIATIONS)",
                    r.id, r.level
                ))
            }
            (false, Some(level)) if *level == r.level.as_str() && rules::deviation(r.id).is_some() => {
                problems.push(format!(
                    "{} is listed in rules::LEVEL_DEVIATIONS but has oasdiff's level {level}",
                    r.id
                ))
            }
            (false, None) => {
                problems.push(format!("{} is not in rule-ids.tsv: mark it `ours`", r.id))
            }
            (true, Some(_)) => {
                problems.push(format!("{} is oasdiff's id: do not mark it `ours`", r.id))
            }
            _ => {}
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

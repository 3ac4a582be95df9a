//! (being written) renders changes: text, json, yaml, markdown, junit, githubactions,
//! sarif. Must not: decide severities.

//! Tests that read `../shared` beside the project root: the rule-id vocabulary, the
//! vendor spec corpus, the consumes-verdict ground truth written for that corpus, and
//! the recall oracle that checks the diff against both the corpus history and the
//! fixtures (`oracle`). They are a separate target (`cargo test --test shared`, run by
//! CI) because the README's test command must pass in a clone without `../shared`.

mod corpus_load;
mod ground_truth;
#[path = "../impact_support/mod.rs"]
mod impact_support;
mod item_root;
mod oracle;
mod vocabulary;

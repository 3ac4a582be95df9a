//! Tests that read `../shared` beside the project root: the rule-id vocabulary, the
//! vendor spec corpus, and the recall oracle that checks the diff against both the corpus
//! history and the fixtures (`oracle`). They are a separate target (`cargo test --test
//! shared`, run by CI) because the README's test command must pass in a clone without
//! `../shared`.

mod corpus_load;
mod oracle;
mod vocabulary;

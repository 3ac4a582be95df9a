//! Where the daemon keeps what it learns when several replicas share it. The single
//! process store is the state directory (`state`, `state::history`, `notify::Outbox`);
//! `postgres` is the shared one (`store: postgres` in apidrift.yaml), driven by
//! `daemon::replica`. Must not: decide what is drift or what to send.

pub mod postgres;

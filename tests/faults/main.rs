//! Faults of apidrift's own environment, one module per family under `tests/faults/`:
//! `tls` (certificates made with the openssl CLI, a name that does not resolve, a closed
//! port), `files` (corrupt or foreign files on start), `disk` (full, read-only, deleted
//! state directory), `crash` (kill -9 at seeded points through a scripted scenario),
//! `clock` (wall-clock jumps with libfaketime), `load` (many integrations, 30% failing,
//! under wrk).
//! Each drives real servers on loopback and the real checker or `apidrift run`; none
//! may sleep and then assert: every wait is a bounded poll on a file, a metric or an
//! HTTP answer.

#[path = "../daemon_support/ca.rs"]
mod ca;
#[path = "../daemon_support/mod.rs"]
mod daemon_support;

mod clock;
mod crash;
mod disk;
mod faults_support;
mod files;
mod load;
mod tls;

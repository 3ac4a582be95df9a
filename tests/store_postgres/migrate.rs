//! Migrations: `apidrift store migrate` run twice leaves the same schema and the second
//! run does not apply the migrations again; two `store migrate` at once, and two
//! replicas starting at once on an empty database, each end with that same schema and
//! the same DDL as two runs one after the other (the migrations applied once, under
//! the migration lock, not raced). The DDL is read from the server's log
//! (`log_statement = ddl`), the schema from `pg_dump --schema-only`: nothing here
//! knows apidrift's tables.

use crate::fleet::{Replica, Vendors, migrate, store_block, write_fleet};
use crate::pg::Pg;
use std::path::Path;
use std::process::Output;
use std::time::Duration;

/// A statement as logged, without the protocol's prefix (`statement: `, `execute <n>: `).
fn text(entry: &str) -> String {
    entry
        .strip_prefix("statement: ")
        .or_else(|| entry.split_once(": ").map(|(_, s)| s))
        .unwrap_or(entry)
        .to_string()
}

/// The logged DDL of `db` as sorted statement texts (a multiset to compare).
fn ddl(pg: &Pg, db: &str) -> Vec<String> {
    let mut v: Vec<String> = pg.ddl(db).iter().map(|e| text(e)).collect();
    v.sort();
    v
}

fn finished(what: &str, out: Output) -> String {
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(
        out.status.success(),
        "{what}: {}\nstdout: {}\nstderr: {stderr}",
        out.status,
        String::from_utf8_lossy(&out.stdout)
    );
    format!("{}{stderr}", String::from_utf8_lossy(&out.stdout))
}

fn run_migrate(d: &Path, url: &str, what: &str) -> String {
    let out = migrate(d, url).wait_with_output().unwrap();
    finished(what, out)
}

#[test]
fn store_migrate_is_idempotent_and_concurrent_starts_migrate_once() {
    let _serial = crate::serial();
    let rt = tokio::runtime::Runtime::new().unwrap();
    let pg = Pg::start();
    for db in ["seq", "conc", "runs"] {
        pg.create_db(db);
    }
    let work = crate::Workdir::create();
    let d = work.path();
    let vendors = Vendors::start(&rt, 1);
    write_fleet(
        d,
        1,
        &vendors,
        crate::faults_support::free_port(),
        "http://127.0.0.1:9/hook",
        &store_block("disable", ""),
    );

    // Twice, one after the other.
    let first_out = run_migrate(d, &pg.url("seq"), "the first `store migrate`");
    let first = ddl(&pg, "seq");
    let schema = pg.schema("seq");
    assert!(
        !first.is_empty() && schema.contains("CREATE TABLE"),
        "the first `store migrate` created nothing:\n{first_out}\n{schema}"
    );
    let second_out = run_migrate(d, &pg.url("seq"), "the second `store migrate`");
    let twice = ddl(&pg, "seq");
    let again: Vec<String> = pg.ddl("seq")[first.len()..]
        .iter()
        .map(|e| text(e))
        .collect();
    println!(
        "migrate: the first run logged {} DDL statements, the second {} ({again:?}); outputs: {first_out:?}, {second_out:?}",
        first.len(),
        again.len()
    );
    assert_eq!(
        pg.schema("seq"),
        schema,
        "the second run changed the schema"
    );
    assert!(
        again.len() < first.len(),
        "the second run applied the migrations again: {again:#?}"
    );

    // Twice at once.
    let a = migrate(d, &pg.url("conc"));
    let b = migrate(d, &pg.url("conc"));
    let (a, b) = (a.wait_with_output().unwrap(), b.wait_with_output().unwrap());
    finished("`store migrate` A of two at once", a);
    finished("`store migrate` B of two at once", b);
    assert_eq!(
        pg.schema("conc"),
        schema,
        "two `store migrate` at once left another schema"
    );
    assert_eq!(
        ddl(&pg, "conc"),
        twice,
        "two `store migrate` at once ran other DDL than two one after the other"
    );

    // Two replicas starting at once on an empty database migrate it at start.
    let mut rs = [
        Replica::spawn(d, "r0", &pg.url("runs")),
        Replica::spawn(d, "r1", &pg.url("runs")),
    ];
    for r in &mut rs {
        r.wait_ready(Duration::from_secs(60));
    }
    for r in &mut rs {
        let status = r.stop();
        assert!(
            status.is_some_and(|s| s.success()),
            "{} did not stop cleanly on SIGTERM ({status:?}):\n{}",
            r.name,
            r.log_tail(30)
        );
    }
    assert_eq!(
        pg.schema("runs"),
        schema,
        "two replicas starting at once left another schema"
    );
    assert_eq!(
        ddl(&pg, "runs"),
        twice,
        "two replicas starting at once ran other DDL than two `store migrate` one after the other"
    );
}

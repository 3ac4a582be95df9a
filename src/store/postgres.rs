//! The PostgreSQL store (`store: postgres`): the schema and its migrations, and every
//! query the replicas run. Owns the connection pool (TLS by `tls:`), the migration
//! lock, claiming due checks and pending deliveries with fenced leases, and the one
//! transaction that writes a check's result.
//!
//! Design (docs/deploy.md, "High availability"):
//! - `apidrift_integrations`: one row per integration: when it is next due, who holds
//!   it (`lease_owner`, `lease_until`, `epoch`), and its documents (`docs`: the state,
//!   the notification tracker, the remembered changes, each the text of the file a
//!   single process keeps under `state/`). `version` grows with every write.
//! - `apidrift_history`: the drift history, one row per record line, in order.
//! - `apidrift_outbox`: one row per delivery (the key is the file outbox's key, derived
//!   from channel, message id and destination): a notice is inserted once however many
//!   replicas decide it (`ON CONFLICT DO NOTHING`).
//! - `apidrift_specs`: the spec bytes the checks compared, by digest (dry-runs and
//!   fragments on any replica).
//!
//! Claims are `FOR UPDATE SKIP LOCKED`; a lease is fenced by its `epoch`: a write
//! carries the epoch it was claimed with and is refused once another replica claimed
//! the row again. Every write to an integration (a check result, a history line of an
//! acknowledgement or a delivery) takes the row lock first, so that integration's
//! history ids are committed in order.
//!
//! Must not: decide anything (the daemon's check and notifier do), hold a credential
//! in a log or an error (the URL is read here and never printed), or block: every
//! query is async on the pool.

use crate::monitor::store_config::{PgTls, PostgresSettings};
use crate::notify::OutboxEntry;
use chrono::{DateTime, Utc};
use deadpool_postgres::{Manager, ManagerConfig, Pool, RecyclingMethod};
use serde_json::Value;
use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;
use tokio_postgres::types::ToSql;

/// The schema, one migration per entry, applied in order; never edit a released one.
const MIGRATIONS: &[(i32, &str)] = &[(
    1,
    r#"
CREATE TABLE apidrift_integrations (
    name         text PRIMARY KEY,
    next_due     timestamptz NOT NULL,
    lease_owner  text,
    lease_until  timestamptz,
    epoch        bigint NOT NULL DEFAULT 0,
    version      bigint NOT NULL DEFAULT 0,
    docs         jsonb NOT NULL DEFAULT '{}'::jsonb,
    history_last bigint NOT NULL DEFAULT 0,
    spec_digest  text,
    checked_by   text,
    checked_at   timestamptz,
    updated_at   timestamptz NOT NULL DEFAULT clock_timestamp()
);
CREATE INDEX apidrift_integrations_due ON apidrift_integrations (next_due);
CREATE INDEX apidrift_integrations_updated ON apidrift_integrations (updated_at);
CREATE TABLE apidrift_history (
    id          bigserial PRIMARY KEY,
    integration text NOT NULL,
    line        text NOT NULL,
    written_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX apidrift_history_integration ON apidrift_history (integration, id);
CREATE TABLE apidrift_outbox (
    key          text PRIMARY KEY,
    integration  text NOT NULL,
    channel      text NOT NULL,
    message_id   text NOT NULL,
    entry        jsonb NOT NULL,
    status       text NOT NULL DEFAULT 'pending',
    due          timestamptz NOT NULL,
    attempts     integer NOT NULL DEFAULT 0,
    lease_owner  text,
    lease_until  timestamptz,
    epoch        bigint NOT NULL DEFAULT 0,
    created_by   text,
    created_at   timestamptz NOT NULL DEFAULT now(),
    settled_at   timestamptz,
    last_error   text
);
CREATE INDEX apidrift_outbox_pending ON apidrift_outbox (due) WHERE status = 'pending';
CREATE TABLE apidrift_specs (
    digest     text PRIMARY KEY,
    body       bytea NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE apidrift_replicas (
    id         text PRIMARY KEY,
    started_at timestamptz NOT NULL DEFAULT now(),
    seen_at    timestamptz NOT NULL DEFAULT now()
);
"#,
)];

/// The key of the session-level advisory lock migrations run under.
const MIGRATION_LOCK: i64 = 0x6170_6964_7269_6674; // "apidrift"

/// How long any one statement may take before the server cancels it: a stuck query
/// must not hold a lease or a pool connection for ever.
const STATEMENT_TIMEOUT_MS: u32 = 15_000;

/// Integrations whose history one query reads (`histories`).
const HISTORY_BATCH: usize = 1000;

/// Statements run on a connection or a transaction, each prepared once per connection
/// (deadpool's statement cache), then one round trip per query: an unprepared query
/// costs a Parse round trip, and an empty transaction, every time.
mod prepared {
    use deadpool_postgres::GenericClient;
    use tokio_postgres::types::ToSql;
    use tokio_postgres::{Error, Row};

    type Params<'a> = &'a [&'a (dyn ToSql + Sync)];

    pub async fn execute(c: &impl GenericClient, sql: &str, p: Params<'_>) -> Result<u64, Error> {
        c.execute(&c.prepare_cached(sql).await?, p).await
    }

    pub async fn query(
        c: &impl GenericClient,
        sql: &str,
        p: Params<'_>,
    ) -> Result<Vec<Row>, Error> {
        c.query(&c.prepare_cached(sql).await?, p).await
    }

    pub async fn query_one(c: &impl GenericClient, sql: &str, p: Params<'_>) -> Result<Row, Error> {
        c.query_one(&c.prepare_cached(sql).await?, p).await
    }

    pub async fn query_opt(
        c: &impl GenericClient,
        sql: &str,
        p: Params<'_>,
    ) -> Result<Option<Row>, Error> {
        c.query_opt(&c.prepare_cached(sql).await?, p).await
    }
}

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("store.postgres.url: {0}")]
    Url(String),
    #[error("store.postgres: {0}")]
    Tls(String),
    #[error("PostgreSQL: {}", db_text(.0))]
    Db(#[from] tokio_postgres::Error),
    #[error("PostgreSQL connection pool: {0}")]
    Pool(String),
    #[error(
        "the database schema is at version {found}, newer than this apidrift knows ({known}); upgrade apidrift"
    )]
    TooNew { found: i32, known: i32 },
    #[error("stored document of `{0}` is not valid: {1}")]
    Corrupt(String, String),
}

impl From<deadpool_postgres::PoolError> for StoreError {
    fn from(e: deadpool_postgres::PoolError) -> StoreError {
        match e {
            deadpool_postgres::PoolError::Backend(e) => StoreError::Db(e),
            other => StoreError::Pool(other.to_string()),
        }
    }
}

/// One claimed check.
#[derive(Debug, Clone)]
pub struct Claimed {
    pub name: String,
    pub epoch: i64,
    pub version: i64,
    pub docs: Value,
    pub history_last: i64,
    /// How late the claim came after the check was due.
    pub delay: Duration,
}

/// One row of the integrations table as a replica syncs it.
#[derive(Debug, Clone)]
pub struct Synced {
    pub name: String,
    pub version: i64,
    pub docs: Value,
    pub history_last: i64,
}

/// What a check writes, in one transaction.
#[derive(Debug, Clone)]
pub struct CheckIn<'a> {
    pub name: &'a str,
    pub epoch: i64,
    pub docs: Value,
    pub next_due: DateTime<Utc>,
    /// History lines to append, or (`rewrite`) the whole history when retention
    /// dropped records.
    pub history: Vec<String>,
    pub rewrite: bool,
    /// The history id the check started from: another writer appended in between when
    /// it moved (the replica then re-reads the history).
    pub history_seen: i64,
    pub outbox: Vec<OutboxEntry>,
    pub spec: Option<(String, Vec<u8>)>,
}

/// What a check-in did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CheckedIn {
    /// Written; the new version, the last history id, and whether another writer had
    /// appended history since the check started.
    Written {
        version: i64,
        history_last: i64,
        others_wrote: bool,
        outbox_added: u64,
    },
    /// Another replica claimed the integration since: nothing was written.
    LeaseLost,
}

/// One claimed delivery.
#[derive(Debug, Clone)]
pub struct ClaimedDelivery {
    pub entry: OutboxEntry,
    pub epoch: i64,
}

/// The pool and this replica's name.
#[derive(Clone)]
pub struct Db {
    pool: Pool,
    pub replica: Arc<str>,
    pub lease: Duration,
}

impl std::fmt::Debug for Db {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Db")
            .field("replica", &self.replica)
            .finish_non_exhaustive()
    }
}

/// This replica's default name: `<hostname>-<pid>` (a pod name in Kubernetes).
pub fn default_replica_name() -> String {
    let host = std::fs::read_to_string("/proc/sys/kernel/hostname")
        .ok()
        .map(|h| h.trim().to_string())
        .filter(|h| !h.is_empty())
        .or_else(|| std::env::var("HOSTNAME").ok())
        .unwrap_or_else(|| "apidrift".to_string());
    format!("{host}-{}", std::process::id())
}

fn secs(d: Duration) -> f64 {
    d.as_secs_f64()
}

impl Db {
    /// Builds the pool (no connection is made yet: `ping` or the first query makes one).
    pub fn connect(s: &PostgresSettings) -> Result<Db, StoreError> {
        let url = s
            .url
            .resolve()
            .map_err(|e| StoreError::Url(e.to_string()))?;
        let mut pg: tokio_postgres::Config = url.expose().parse().map_err(|_| {
            // The driver's message may quote the URL, password included: never shown.
            StoreError::Url(
                "not a PostgreSQL connection URL (postgres://user:password@host:5432/db)".into(),
            )
        })?;
        pg.application_name("apidrift");
        pg.connect_timeout(Duration::from_secs(5));
        // No NOTICE chatter in our logs (e.g. `CREATE TABLE IF NOT EXISTS` of a migrated
        // schema); warnings and errors still reach the driver.
        pg.options(format!(
            "-c statement_timeout={STATEMENT_TIMEOUT_MS} -c client_min_messages=warning"
        ));
        pg.ssl_mode(match s.tls {
            PgTls::Disable => tokio_postgres::config::SslMode::Disable,
            _ => tokio_postgres::config::SslMode::Require,
        });
        let mgr_config = ManagerConfig {
            recycling_method: RecyclingMethod::Fast,
        };
        let mgr = match s.tls {
            PgTls::Disable => Manager::from_config(pg, tokio_postgres::NoTls, mgr_config),
            PgTls::Require | PgTls::Verify => {
                let tls = tls_config(s)?;
                Manager::from_config(
                    pg,
                    tokio_postgres_rustls::MakeRustlsConnect::new(tls),
                    mgr_config,
                )
            }
        };
        let pool = Pool::builder(mgr)
            .max_size(s.pool_size)
            .wait_timeout(Some(Duration::from_secs(10)))
            .create_timeout(Some(Duration::from_secs(10)))
            .recycle_timeout(Some(Duration::from_secs(5)))
            .runtime(deadpool_postgres::Runtime::Tokio1)
            .build()
            .map_err(|e| StoreError::Pool(e.to_string()))?;
        Ok(Db {
            pool,
            replica: s
                .replica
                .clone()
                .unwrap_or_else(default_replica_name)
                .into(),
            lease: s.lease,
        })
    }

    /// A pooled connection. Every statement but the migration's runs through
    /// `prepared`.
    async fn client(&self) -> Result<deadpool_postgres::Object, StoreError> {
        Ok(self.pool.get().await?)
    }

    /// One round trip; also records this replica as seen.
    pub async fn ping(&self) -> Result<(), StoreError> {
        let c = self.client().await?;
        prepared::execute(
            &c,
            "INSERT INTO apidrift_replicas (id) VALUES ($1)
             ON CONFLICT (id) DO UPDATE SET seen_at = now()",
            &[&&*self.replica],
        )
        .await?;
        Ok(())
    }

    /// Applies the migrations this build knows and the database lacks, under an
    /// advisory lock (the first replica migrates, the others wait and find nothing to
    /// do). Returns the versions applied.
    pub async fn migrate(&self) -> Result<Vec<i32>, StoreError> {
        let mut c = self.client().await?;
        c.execute("SELECT pg_advisory_lock($1)", &[&MIGRATION_LOCK])
            .await?;
        let result = async {
            c.batch_execute(
                "CREATE TABLE IF NOT EXISTS apidrift_schema (
                     version    integer PRIMARY KEY,
                     applied_at timestamptz NOT NULL DEFAULT now()
                 )",
            )
            .await?;
            let row = c
                .query_one("SELECT coalesce(max(version), 0) FROM apidrift_schema", &[])
                .await?;
            let current: i32 = row.get(0);
            let known = MIGRATIONS.last().map_or(0, |m| m.0);
            if current > known {
                return Err(StoreError::TooNew {
                    found: current,
                    known,
                });
            }
            let mut applied = Vec::new();
            for (v, sql) in MIGRATIONS.iter().filter(|(v, _)| *v > current) {
                let tx = c.transaction().await?;
                tx.batch_execute(sql).await?;
                tx.execute("INSERT INTO apidrift_schema (version) VALUES ($1)", &[v])
                    .await?;
                tx.commit().await?;
                applied.push(*v);
            }
            Ok(applied)
        }
        .await;
        // Released whatever happened (the connection goes back to the pool).
        let _ = c
            .execute("SELECT pg_advisory_unlock($1)", &[&MIGRATION_LOCK])
            .await;
        result
    }

    /// Adds the integrations not in the table yet, each first due at its `next_due`.
    pub async fn ensure(&self, due: &[(String, DateTime<Utc>)]) -> Result<u64, StoreError> {
        if due.is_empty() {
            return Ok(0);
        }
        let names: Vec<&str> = due.iter().map(|d| d.0.as_str()).collect();
        let times: Vec<DateTime<Utc>> = due.iter().map(|d| d.1).collect();
        let c = self.client().await?;
        Ok(prepared::execute(
            &c,
            "INSERT INTO apidrift_integrations (name, next_due)
             SELECT * FROM unnest($1::text[], $2::timestamptz[])
             ON CONFLICT (name) DO NOTHING",
            &[&names, &times],
        )
        .await?)
    }

    /// Claims up to `limit` due checks, earliest first, that no live lease holds and
    /// that are not in `except` (the integrations this replica is checking, and those
    /// it found it does not know: a short list, usually empty). The caller releases a
    /// claimed integration it does not know and excludes it from then on. Claiming by
    /// exclusion keeps the statement cheap under a prepared (generic) plan: an
    /// inclusion list of every configured name (10,000) made each claim a 10,000-key
    /// index probe, about 11 ms of server time.
    pub async fn claim_due(
        &self,
        except: &[String],
        limit: i64,
    ) -> Result<Vec<Claimed>, StoreError> {
        self.claim(
            "next_due <= now() AND NOT (name = ANY($1))",
            &[&except, &limit],
        )
        .await
    }

    /// Claims `name` now whether due or not (a check requested through the API), unless
    /// a live lease holds it.
    pub async fn claim_now(&self, name: &str) -> Result<Option<Claimed>, StoreError> {
        let names = vec![name.to_string()];
        let limit = 1i64;
        Ok(self.claim("name = ANY($1)", &[&names, &limit]).await?.pop())
    }

    async fn claim(
        &self,
        filter: &str,
        params: &[&(dyn ToSql + Sync)],
    ) -> Result<Vec<Claimed>, StoreError> {
        let c = self.client().await?;
        let sql = format!(
            "WITH due AS (
                 SELECT name FROM apidrift_integrations
                 WHERE {filter} AND (lease_until IS NULL OR lease_until < now())
                 ORDER BY next_due
                 LIMIT $2
                 FOR UPDATE SKIP LOCKED
             )
             UPDATE apidrift_integrations i
             SET lease_owner = $3, lease_until = now() + make_interval(secs => $4),
                 epoch = i.epoch + 1
             FROM due WHERE i.name = due.name
             RETURNING i.name, i.epoch, i.version, i.docs, i.history_last,
                       greatest(extract(epoch FROM now() - i.next_due), 0)::float8"
        );
        let lease = secs(self.lease);
        let replica: &str = &self.replica;
        let mut all: Vec<&(dyn ToSql + Sync)> = params.to_vec();
        all.push(&replica);
        all.push(&lease);
        let rows = prepared::query(&c, &sql, &all).await?;
        Ok(rows
            .into_iter()
            .map(|r| Claimed {
                name: r.get(0),
                epoch: r.get(1),
                version: r.get(2),
                docs: r.get(3),
                history_last: r.get(4),
                delay: Duration::from_secs_f64(r.get::<_, f64>(5).max(0.0)),
            })
            .collect())
    }

    /// Extends the lease of a check still running; `false`: it is lost.
    pub async fn renew(&self, name: &str, epoch: i64) -> Result<bool, StoreError> {
        let c = self.client().await?;
        let n = prepared::execute(
            &c,
            "UPDATE apidrift_integrations SET lease_until = now() + make_interval(secs => $3)
                 WHERE name = $1 AND lease_owner = $2 AND epoch = $4",
            &[&name, &&*self.replica, &secs(self.lease), &epoch],
        )
        .await?;
        Ok(n == 1)
    }

    /// Gives a claimed check back unrun (shutdown before it started): due at once again.
    pub async fn release(&self, name: &str, epoch: i64) -> Result<(), StoreError> {
        let c = self.client().await?;
        prepared::execute(
            &c,
            "UPDATE apidrift_integrations SET lease_owner = NULL, lease_until = NULL
             WHERE name = $1 AND lease_owner = $2 AND epoch = $3",
            &[&name, &&*self.replica, &epoch],
        )
        .await?;
        Ok(())
    }

    /// Writes a check's result: documents, history, outbox rows and next due time, in
    /// one transaction, only while this replica's lease (`epoch`) still holds.
    pub async fn check_in(&self, w: &CheckIn<'_>) -> Result<CheckedIn, StoreError> {
        if w.history.is_empty() && !w.rewrite && w.outbox.is_empty() && w.spec.is_none() {
            return self.check_in_state(w).await;
        }
        let mut c = self.client().await?;
        let tx = c.transaction().await?;
        let row = prepared::query_opt(
            &tx,
            "SELECT lease_owner, epoch, history_last FROM apidrift_integrations
                 WHERE name = $1 FOR UPDATE",
            &[&w.name],
        )
        .await?;
        let Some(row) = row else {
            return Ok(CheckedIn::LeaseLost);
        };
        let owner: Option<String> = row.get(0);
        let epoch: i64 = row.get(1);
        let mut history_last: i64 = row.get(2);
        if owner.as_deref() != Some(&*self.replica) || epoch != w.epoch {
            return Ok(CheckedIn::LeaseLost);
        }
        let others_wrote = history_last != w.history_seen;
        if w.rewrite {
            prepared::execute(
                &tx,
                "DELETE FROM apidrift_history WHERE integration = $1",
                &[&w.name],
            )
            .await?;
        }
        if !w.history.is_empty() {
            history_last = history_last.max(insert_history(&tx, w.name, &w.history).await?);
        }
        let mut outbox_added = 0;
        for e in &w.outbox {
            let entry = serde_json::to_value(e)
                .map_err(|x| StoreError::Corrupt(w.name.to_string(), x.to_string()))?;
            outbox_added += prepared::execute(
                &tx,
                "INSERT INTO apidrift_outbox
                         (key, integration, channel, message_id, entry, due, created_by)
                     VALUES ($1, $2, $3, $4, $5, $6, $7)
                     ON CONFLICT (key) DO NOTHING",
                &[
                    &e.key,
                    &w.name,
                    &e.channel.as_str(),
                    &e.message_id,
                    &entry,
                    &e.next_attempt_at,
                    &&*self.replica,
                ],
            )
            .await?;
        }
        if let Some((digest, bytes)) = &w.spec {
            prepared::execute(
                &tx,
                "INSERT INTO apidrift_specs (digest, body) VALUES ($1, $2)
                 ON CONFLICT (digest) DO NOTHING",
                &[digest, bytes],
            )
            .await?;
        }
        let spec_digest = spec_digest(&w.docs);
        let row = prepared::query_one(
            &tx,
            "UPDATE apidrift_integrations
                 SET docs = $2, next_due = $3, lease_owner = NULL, lease_until = NULL,
                     version = version + 1, history_last = $4, spec_digest = $5,
                     checked_by = $6, checked_at = now(), updated_at = clock_timestamp()
                 WHERE name = $1 RETURNING version",
            &[
                &w.name,
                &w.docs,
                &w.next_due,
                &history_last,
                &spec_digest,
                &&*self.replica,
            ],
        )
        .await?;
        tx.commit().await?;
        Ok(CheckedIn::Written {
            version: row.get(0),
            history_last,
            others_wrote,
            outbox_added,
        })
    }

    /// The common check-in (nothing but the documents changed): one fenced statement.
    async fn check_in_state(&self, w: &CheckIn<'_>) -> Result<CheckedIn, StoreError> {
        let c = self.client().await?;
        let spec_digest = spec_digest(&w.docs);
        let row = prepared::query_opt(
            &c,
            "UPDATE apidrift_integrations
                 SET docs = $3, next_due = $4, lease_owner = NULL, lease_until = NULL,
                     version = version + 1, spec_digest = $5, checked_by = $2,
                     checked_at = now(), updated_at = clock_timestamp()
                 WHERE name = $1 AND lease_owner = $2 AND epoch = $6
                 RETURNING version, history_last",
            &[
                &w.name,
                &&*self.replica,
                &w.docs,
                &w.next_due,
                &spec_digest,
                &w.epoch,
            ],
        )
        .await?;
        Ok(match row {
            None => CheckedIn::LeaseLost,
            Some(r) => {
                let history_last: i64 = r.get(1);
                CheckedIn::Written {
                    version: r.get(0),
                    history_last,
                    others_wrote: history_last != w.history_seen,
                    outbox_added: 0,
                }
            }
        })
    }

    /// Appends history lines outside a check (an acknowledgement, a settled delivery).
    pub async fn append_history(&self, name: &str, lines: &[String]) -> Result<(), StoreError> {
        if lines.is_empty() {
            return Ok(());
        }
        let mut c = self.client().await?;
        let tx = c.transaction().await?;
        let locked = prepared::query_opt(
            &tx,
            "SELECT 1 FROM apidrift_integrations WHERE name = $1 FOR UPDATE",
            &[&name],
        )
        .await?;
        if locked.is_none() {
            return Ok(());
        }
        let last = insert_history(&tx, name, lines).await?;
        prepared::execute(
            &tx,
            "UPDATE apidrift_integrations
             SET history_last = greatest(history_last, $2), version = version + 1,
                 updated_at = clock_timestamp()
             WHERE name = $1",
            &[&name, &last],
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The history lines of `name`, in order.
    pub async fn history(&self, name: &str) -> Result<Vec<String>, StoreError> {
        let c = self.client().await?;
        let rows = prepared::query(
            &c,
            "SELECT line FROM apidrift_history WHERE integration = $1 ORDER BY id",
            &[&name],
        )
        .await?;
        Ok(rows.into_iter().map(|r| r.get(0)).collect())
    }

    /// The history lines of each of `names`, oldest first (an empty list for one
    /// without history), in one query per `HISTORY_BATCH` names: a replica starting
    /// against a store of 10,000 integrations reads them all, and one round trip per
    /// integration made that take seconds.
    pub async fn histories(
        &self,
        names: &[String],
    ) -> Result<HashMap<String, Vec<String>>, StoreError> {
        let mut out: HashMap<String, Vec<String>> =
            names.iter().map(|n| (n.clone(), Vec::new())).collect();
        if names.is_empty() {
            return Ok(out);
        }
        let c = self.client().await?;
        for chunk in names.chunks(HISTORY_BATCH) {
            let rows = prepared::query(
                &c,
                "SELECT integration, line FROM apidrift_history
                     WHERE integration = ANY($1) ORDER BY integration, id",
                &[&chunk],
            )
            .await?;
            for r in rows {
                let name: String = r.get(0);
                out.entry(name).or_default().push(r.get(1));
            }
        }
        Ok(out)
    }

    /// The (name, version, history id) of the rows written since `since` (the caller
    /// keeps an overlap so a transaction that committed late is not missed, and
    /// compares versions), and the database time it read at.
    pub async fn versions_since(
        &self,
        since: Option<DateTime<Utc>>,
    ) -> Result<(Vec<(String, i64, i64)>, DateTime<Utc>), StoreError> {
        let c = self.client().await?;
        let now: DateTime<Utc> = prepared::query_one(&c, "SELECT now()", &[]).await?.get(0);
        let rows = prepared::query(
            &c,
            "SELECT name, version, history_last FROM apidrift_integrations
                 WHERE updated_at >= coalesce($1::timestamptz, '-infinity')",
            &[&since],
        )
        .await?;
        Ok((
            rows.into_iter()
                .map(|r| (r.get(0), r.get(1), r.get(2)))
                .collect(),
            now,
        ))
    }

    /// The rows of `names` with their documents.
    pub async fn rows(&self, names: &[String]) -> Result<Vec<Synced>, StoreError> {
        let c = self.client().await?;
        let rows = prepared::query(
            &c,
            "SELECT name, version, docs, history_last
                 FROM apidrift_integrations WHERE name = ANY($1)",
            &[&names],
        )
        .await?;
        Ok(rows
            .into_iter()
            .map(|r| Synced {
                name: r.get(0),
                version: r.get(1),
                docs: r.get(2),
                history_last: r.get(3),
            })
            .collect())
    }

    /// The kept spec bytes with `digest`.
    pub async fn spec(&self, digest: &str) -> Result<Option<Vec<u8>>, StoreError> {
        let c = self.client().await?;
        Ok(prepared::query_opt(
            &c,
            "SELECT body FROM apidrift_specs WHERE digest = $1",
            &[&digest],
        )
        .await?
        .map(|r| r.get(0)))
    }

    /// Whether the database already keeps the spec with `digest`.
    pub async fn has_spec(&self, digest: &str) -> Result<bool, StoreError> {
        let c = self.client().await?;
        Ok(prepared::query_opt(
            &c,
            "SELECT 1 FROM apidrift_specs WHERE digest = $1",
            &[&digest],
        )
        .await?
        .is_some())
    }

    /// Claims up to `limit` pending deliveries that are due and not leased.
    pub async fn claim_deliveries(&self, limit: i64) -> Result<Vec<ClaimedDelivery>, StoreError> {
        let c = self.client().await?;
        let rows = prepared::query(
            &c,
            "WITH due AS (
                     SELECT key FROM apidrift_outbox
                     WHERE status = 'pending' AND due <= now()
                       AND (lease_until IS NULL OR lease_until < now())
                     ORDER BY due LIMIT $1
                     FOR UPDATE SKIP LOCKED
                 )
                 UPDATE apidrift_outbox o
                 SET lease_owner = $2, lease_until = now() + make_interval(secs => $3),
                     epoch = o.epoch + 1
                 FROM due WHERE o.key = due.key
                 RETURNING o.entry, o.attempts, o.epoch",
            &[&limit, &&*self.replica, &secs(self.lease)],
        )
        .await?;
        let mut out = Vec::new();
        for r in rows {
            let v: Value = r.get(0);
            let attempts: i32 = r.get(1);
            match serde_json::from_value::<OutboxEntry>(v) {
                Ok(mut entry) => {
                    entry.attempts = u32::try_from(attempts).unwrap_or(0);
                    out.push(ClaimedDelivery {
                        entry,
                        epoch: r.get(2),
                    });
                }
                Err(e) => {
                    tracing::error!(error = %e, "an outbox row is not an entry; left pending")
                }
            }
        }
        Ok(out)
    }

    /// Extends the lease of a delivery being sent; `false`: it is lost.
    pub async fn renew_delivery(&self, key: &str, epoch: i64) -> Result<bool, StoreError> {
        let c = self.client().await?;
        let n = prepared::execute(
            &c,
            "UPDATE apidrift_outbox SET lease_until = now() + make_interval(secs => $3)
                 WHERE key = $1 AND lease_owner = $2 AND epoch = $4",
            &[&key, &&*self.replica, &secs(self.lease), &epoch],
        )
        .await?;
        Ok(n == 1)
    }

    /// Settles a claimed delivery: `delivered`, `dead`, or back to `pending` due at
    /// `retry_at`. `false`: the lease was lost (another replica has it now).
    pub async fn settle_delivery(
        &self,
        d: &ClaimedDelivery,
        status: &str,
        retry_at: Option<DateTime<Utc>>,
        error: Option<&str>,
    ) -> Result<bool, StoreError> {
        let c = self.client().await?;
        let attempts = i32::try_from(d.entry.attempts).unwrap_or(i32::MAX);
        let n = prepared::execute(
            &c,
            "UPDATE apidrift_outbox
                 SET status = $3, attempts = $4, due = coalesce($5, due), last_error = $6,
                     lease_owner = NULL, lease_until = NULL,
                     settled_at = CASE WHEN $3 = 'pending' THEN NULL ELSE now() END
                 WHERE key = $1 AND lease_owner = $2 AND epoch = $7",
            &[
                &d.entry.key,
                &&*self.replica,
                &status,
                &attempts,
                &retry_at,
                &error,
                &d.epoch,
            ],
        )
        .await?;
        Ok(n == 1)
    }

    /// Pending deliveries by channel (the `apidrift_outbox_pending` gauge).
    pub async fn pending_deliveries(&self) -> Result<Vec<(String, i64)>, StoreError> {
        let c = self.client().await?;
        Ok(prepared::query(
            &c,
            "SELECT channel, count(*) FROM apidrift_outbox WHERE status = 'pending'
             GROUP BY channel",
            &[],
        )
        .await?
        .into_iter()
        .map(|r| (r.get(0), r.get(1)))
        .collect())
    }

    /// Removes settled deliveries older than `keep` and kept specs no integration
    /// compares any more (older than `grace`). Returns (deliveries, specs) removed.
    pub async fn collect(&self, keep: Duration, grace: Duration) -> Result<(u64, u64), StoreError> {
        let c = self.client().await?;
        let d = prepared::execute(
            &c,
            "DELETE FROM apidrift_outbox
                 WHERE status <> 'pending' AND settled_at < now() - make_interval(secs => $1)",
            &[&secs(keep)],
        )
        .await?;
        let s = prepared::execute(
            &c,
            "DELETE FROM apidrift_specs s
                 WHERE created_at < now() - make_interval(secs => $1)
                   AND NOT EXISTS (SELECT 1 FROM apidrift_integrations i
                                   WHERE i.spec_digest = s.digest)",
            &[&secs(grace)],
        )
        .await?;
        Ok((d, s))
    }
}

/// Appends `lines` to the history of `name` in order; returns the last id written.
async fn insert_history(
    tx: &deadpool_postgres::Transaction<'_>,
    name: &str,
    lines: &[String],
) -> Result<i64, StoreError> {
    let row = prepared::query_one(
        tx,
        "WITH ins AS (
                 INSERT INTO apidrift_history (integration, line)
                 SELECT $1, l FROM unnest($2::text[]) WITH ORDINALITY AS t(l, n) ORDER BY n
                 RETURNING id
             ) SELECT coalesce(max(id), 0) FROM ins",
        &[&name, &lines],
    )
    .await?;
    Ok(row.get(0))
}

/// The digest of the spec the state in `docs` was compared against.
pub fn spec_digest(docs: &Value) -> Option<String> {
    docs.pointer("/state/spec/digest")
        .and_then(Value::as_str)
        .map(str::to_string)
}

/// The driver's error with the server's reason or the I/O cause (its own `Display` is
/// often just "db error").
fn db_text(e: &tokio_postgres::Error) -> String {
    if let Some(db) = e.as_db_error() {
        return format!("{} ({})", db.message(), db.code().code());
    }
    let mut text = e.to_string();
    let mut src = std::error::Error::source(e);
    while let Some(s) = src {
        text.push_str(": ");
        text.push_str(&s.to_string());
        src = s.source();
    }
    text
}

/// The rustls configuration of `tls: require` (encrypted, any certificate) or
/// `tls: verify` (the system roots plus `ca_file`, and the host name).
fn tls_config(s: &PostgresSettings) -> Result<rustls::ClientConfig, StoreError> {
    let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
    let builder = rustls::ClientConfig::builder_with_provider(provider.clone())
        .with_safe_default_protocol_versions()
        .map_err(|e| StoreError::Tls(e.to_string()))?;
    match s.tls {
        PgTls::Verify => {
            let mut roots = rustls::RootCertStore::empty();
            let native = rustls_native_certs::load_native_certs();
            for c in native.certs {
                let _ = roots.add(c);
            }
            if let Some(path) = &s.ca_file {
                use rustls::pki_types::pem::PemObject;
                let certs = rustls::pki_types::CertificateDer::pem_file_iter(path)
                    .map_err(|e| StoreError::Tls(format!("ca_file `{}`: {e}", path.display())))?;
                for c in certs {
                    let c = c.map_err(|e| {
                        StoreError::Tls(format!("ca_file `{}`: {e}", path.display()))
                    })?;
                    roots.add(c).map_err(|e| {
                        StoreError::Tls(format!("ca_file `{}`: {e}", path.display()))
                    })?;
                }
            }
            if roots.is_empty() {
                return Err(StoreError::Tls(
                    "tls: verify found no CA certificate (no system roots and no ca_file)".into(),
                ));
            }
            Ok(builder.with_root_certificates(roots).with_no_client_auth())
        }
        _ => Ok(builder
            .dangerous()
            .with_custom_certificate_verifier(Arc::new(AnyCertificate(provider)))
            .with_no_client_auth()),
    }
}

/// `tls: require`: the channel is encrypted, the certificate is not checked (as libpq's
/// `sslmode=require`); the handshake signatures still are.
#[derive(Debug)]
struct AnyCertificate(Arc<rustls::crypto::CryptoProvider>);

impl rustls::client::danger::ServerCertVerifier for AnyCertificate {
    fn verify_server_cert(
        &self,
        _end_entity: &rustls::pki_types::CertificateDer<'_>,
        _intermediates: &[rustls::pki_types::CertificateDer<'_>],
        _server_name: &rustls::pki_types::ServerName<'_>,
        _ocsp: &[u8],
        _now: rustls::pki_types::UnixTime,
    ) -> Result<rustls::client::danger::ServerCertVerified, rustls::Error> {
        Ok(rustls::client::danger::ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &rustls::pki_types::CertificateDer<'_>,
        dss: &rustls::DigitallySignedStruct,
    ) -> Result<rustls::client::danger::HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(
            message,
            cert,
            dss,
            &self.0.signature_verification_algorithms,
        )
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &rustls::pki_types::CertificateDer<'_>,
        dss: &rustls::DigitallySignedStruct,
    ) -> Result<rustls::client::danger::HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(
            message,
            cert,
            dss,
            &self.0.signature_verification_algorithms,
        )
    }

    fn supported_verify_schemes(&self) -> Vec<rustls::SignatureScheme> {
        self.0.signature_verification_algorithms.supported_schemes()
    }
}

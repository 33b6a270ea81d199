//! One code path for SQLite and PostgreSQL: runtime queries on sqlx's Any driver, `$n` placeholders
//! (both understand them), integers for times (unix seconds, UTC) and flags (0/1).
use sqlx::any::AnyPoolOptions;
use sqlx::AnyPool;
use sqlx::Executor;
use sqlx::Row;
use std::sync::Arc;
use std::time::Duration;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DbKind {
    Sqlite,
    Postgres,
}

#[derive(Clone, Debug)]
pub struct Db {
    pub pool: AnyPool,
    pub kind: DbKind,
    /// Shared reads kept briefly (off until the server sets its time-to-live).
    pub reads: super::reads::ReadCache,
    /// False while the server's last look at the database failed: pages answer 503 at once
    /// instead of every request waiting for a connection that will not come. A channel, so the
    /// requests already waiting hear it too.
    reachable: Arc<tokio::sync::watch::Sender<bool>>,
}

/// Pool sizes and timeouts (`DB_*` settings). A short acquire timeout turns a database outage
/// into quick 503 answers rather than requests piling up.
#[derive(Clone, Copy, Debug)]
pub struct PoolSettings {
    pub max_connections: u32,
    pub min_connections: u32,
    pub acquire_timeout: Duration,
    pub idle_timeout: Duration,
}

impl PoolSettings {
    pub fn max(max_connections: u32) -> PoolSettings {
        PoolSettings {
            max_connections,
            min_connections: 0,
            acquire_timeout: Duration::from_secs(5),
            idle_timeout: Duration::from_secs(600),
        }
    }
}

impl Db {
    pub async fn connect(url: &str, max_connections: u32) -> Result<Db, sqlx::Error> {
        Db::connect_with(url, PoolSettings::max(max_connections)).await
    }

    /// Connects, retrying for up to `wait` while the database is not up yet (servers and the
    /// database often start together).
    pub async fn connect_waiting(url: &str, pool: PoolSettings, wait: Duration) -> Result<Db, sqlx::Error> {
        let until = std::time::Instant::now() + wait;
        let mut pause = Duration::from_millis(200);
        loop {
            match Db::connect_with(url, pool).await {
                Ok(db) => return Ok(db),
                Err(e) if std::time::Instant::now() + pause < until && unreachable(&e) => {
                    tracing::warn!(error = %e, "database not reachable yet; retrying");
                    tokio::time::sleep(pause).await;
                    pause = (pause * 2).min(Duration::from_secs(5));
                }
                Err(e) => return Err(e),
            }
        }
    }

    pub async fn connect_with(url: &str, pool: PoolSettings) -> Result<Db, sqlx::Error> {
        sqlx::any::install_default_drivers();
        let kind = if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            DbKind::Postgres
        } else {
            DbKind::Sqlite
        };
        let opts = AnyPoolOptions::new()
            .max_connections(pool.max_connections)
            .min_connections(pool.min_connections)
            .acquire_timeout(pool.acquire_timeout)
            .idle_timeout(pool.idle_timeout);
        let opts = if kind == DbKind::Sqlite {
            opts.after_connect(|conn, _| {
                Box::pin(async move {
                    // WAL lets readers run beside the writer; the busy timeout queues writers instead of failing.
                    // A larger page cache keeps hot pages (no mmap: growing files remap, costing TLB flushes).
                    conn.execute("PRAGMA journal_mode = WAL; PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 10000; PRAGMA synchronous = NORMAL; PRAGMA cache_size = -16000;")
                        .await?;
                    Ok(())
                })
            })
        } else {
            opts
        };
        let pool = opts.connect(url).await?;
        Ok(Db { pool, kind, reads: Default::default(), reachable: Arc::new(tokio::sync::watch::Sender::new(true)) })
    }

    pub async fn ping(&self) -> Result<(), sqlx::Error> {
        sqlx::query("SELECT 1").execute(&self.pool).await.map(|_| ())
    }

    pub fn reachable(&self) -> bool {
        *self.reachable.borrow()
    }

    /// Resolves when the database is found away (at once if it already is).
    pub async fn until_unreachable(&self) {
        let mut rx = self.reachable.subscribe();
        // The sender lives as long as `self`, so the wait ends only by the database going away.
        let _ = rx.wait_for(|up| !*up).await;
    }

    pub fn set_reachable(&self, up: bool) {
        if self.reachable.send_replace(up) != up {
            if up {
                tracing::info!("database reachable again");
            } else {
                tracing::error!("database unreachable: answering 503 until it returns");
            }
        }
    }

    /// A write that public pages may show: moves the shared cache generation on in the database,
    /// so every server drops what it kept, and returns the new number.
    pub async fn touch_public(&self) -> Result<i64, sqlx::Error> {
        self.reads.invalidate();
        let g: i64 =
            sqlx::query("UPDATE cache_generation SET gen = gen + 1 WHERE scope = 'public' RETURNING gen AS gen")
                .fetch_one(&self.pool)
                .await?
                .try_get("gen")?;
        self.reads.observe(g);
        Ok(g)
    }

    /// Reads the shared cache generation and drops this server's caches when it moved.
    pub async fn sync_public(&self) -> Result<bool, sqlx::Error> {
        let mut conn = self.pool.acquire().await?;
        self.sync_public_on(&mut conn).await
    }

    /// The same read through a given connection (the server's watcher keeps one of its own).
    pub async fn sync_public_on(&self, conn: &mut sqlx::AnyConnection) -> Result<bool, sqlx::Error> {
        let g: i64 = sqlx::query("SELECT gen AS gen FROM cache_generation WHERE scope = 'public'")
            .fetch_one(&mut *conn)
            .await?
            .try_get("gen")?;
        Ok(self.reads.observe(g))
    }
}

/// An error that waiting may cure: the database is not accepting connections (yet).
fn unreachable(e: &sqlx::Error) -> bool {
    match e {
        sqlx::Error::Io(_) | sqlx::Error::PoolTimedOut => true,
        // PostgreSQL starting up or shutting down: "the database system is starting up" (57P03).
        sqlx::Error::Database(d) => d.code().is_some_and(|c| c.starts_with("57P")),
        _ => false,
    }
}

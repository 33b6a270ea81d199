//! One code path for SQLite and PostgreSQL: runtime queries on sqlx's Any driver, `$n` placeholders
//! (both understand them), integers for times (unix seconds, UTC) and flags (0/1).
use sqlx::any::AnyPoolOptions;
use sqlx::AnyPool;
use sqlx::Executor;

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
}

impl Db {
    pub async fn connect(url: &str, max_connections: u32) -> Result<Db, sqlx::Error> {
        sqlx::any::install_default_drivers();
        let kind = if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            DbKind::Postgres
        } else {
            DbKind::Sqlite
        };
        let opts = AnyPoolOptions::new().max_connections(max_connections);
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
        Ok(Db { pool, kind, reads: Default::default() })
    }

    pub async fn ping(&self) -> Result<(), sqlx::Error> {
        sqlx::query("SELECT 1").execute(&self.pool).await.map(|_| ())
    }
}

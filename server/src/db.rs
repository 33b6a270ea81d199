//! Migrations per database, embedded in the binary and applied on start.
use app::ssr::{Db, DbKind};
use sqlx::Row;

const SQLITE: &[(i64, &str, &str)] = &[
    (1, "foundation", include_str!("../migrations/sqlite/0001_foundation.sql")),
    (2, "orgs_catalogue", include_str!("../migrations/sqlite/0002_orgs_catalogue.sql")),
    (3, "org_members", include_str!("../migrations/sqlite/0003_org_members.sql")),
    (4, "newsletter", include_str!("../migrations/sqlite/0004_newsletter.sql")),
    (5, "events", include_str!("../migrations/sqlite/0005_events.sql")),
    (6, "stories", include_str!("../migrations/sqlite/0006_stories.sql")),
    (7, "newsletter_issues", include_str!("../migrations/sqlite/0007_newsletter_issues.sql")),
    (8, "consultations", include_str!("../migrations/sqlite/0008_consultations.sql")),
    (9, "consultation_follows", include_str!("../migrations/sqlite/0009_consultation_follows.sql")),
    (10, "donations", include_str!("../migrations/sqlite/0010_donations.sql")),
    (12, "map", include_str!("../migrations/sqlite/0012_map.sql")),
    (14, "notifications_officials", include_str!("../migrations/sqlite/0014_notifications_officials.sql")),
    (15, "mail_attachments", include_str!("../migrations/sqlite/0015_mail_attachments.sql")),
    (16, "consultation_files", include_str!("../migrations/sqlite/0016_consultation_files.sql")),
    (17, "map_imports", include_str!("../migrations/sqlite/0017_map_imports.sql")),
    (18, "donation_ledger_no_delete", include_str!("../migrations/sqlite/0018_donation_ledger_no_delete.sql")),
    (19, "security", include_str!("../migrations/sqlite/0019_security.sql")),
    (20, "text_keys_not_null", include_str!("../migrations/sqlite/0020_text_keys_not_null.sql")),
    (21, "cluster", include_str!("../migrations/sqlite/0021_cluster.sql")),
    (22, "accessibility_feedback", include_str!("../migrations/sqlite/0022_accessibility_feedback.sql")),
    (23, "consultation_date_changes", include_str!("../migrations/sqlite/0023_consultation_date_changes.sql")),
    (24, "report_paging", include_str!("../migrations/sqlite/0024_report_paging.sql")),
    (25, "consultation_initiator", include_str!("../migrations/sqlite/0025_consultation_initiator.sql")),
    (26, "report_followups", include_str!("../migrations/sqlite/0026_report_followups.sql")),
];
const POSTGRES: &[(i64, &str, &str)] = &[
    (1, "foundation", include_str!("../migrations/postgres/0001_foundation.sql")),
    (2, "orgs_catalogue", include_str!("../migrations/postgres/0002_orgs_catalogue.sql")),
    (3, "org_members", include_str!("../migrations/postgres/0003_org_members.sql")),
    (4, "newsletter", include_str!("../migrations/postgres/0004_newsletter.sql")),
    (5, "events", include_str!("../migrations/postgres/0005_events.sql")),
    (6, "stories", include_str!("../migrations/postgres/0006_stories.sql")),
    (7, "newsletter_issues", include_str!("../migrations/postgres/0007_newsletter_issues.sql")),
    (8, "consultations", include_str!("../migrations/postgres/0008_consultations.sql")),
    (9, "consultation_follows", include_str!("../migrations/postgres/0009_consultation_follows.sql")),
    (10, "donations", include_str!("../migrations/postgres/0010_donations.sql")),
    (12, "map", include_str!("../migrations/postgres/0012_map.sql")),
    (14, "notifications_officials", include_str!("../migrations/postgres/0014_notifications_officials.sql")),
    (15, "mail_attachments", include_str!("../migrations/postgres/0015_mail_attachments.sql")),
    (16, "consultation_files", include_str!("../migrations/postgres/0016_consultation_files.sql")),
    (17, "map_imports", include_str!("../migrations/postgres/0017_map_imports.sql")),
    (18, "donation_ledger_no_delete", include_str!("../migrations/postgres/0018_donation_ledger_no_delete.sql")),
    (19, "security", include_str!("../migrations/postgres/0019_security.sql")),
    (20, "text_keys_not_null", include_str!("../migrations/postgres/0020_text_keys_not_null.sql")),
    (21, "cluster", include_str!("../migrations/postgres/0021_cluster.sql")),
    (22, "accessibility_feedback", include_str!("../migrations/postgres/0022_accessibility_feedback.sql")),
    (23, "consultation_date_changes", include_str!("../migrations/postgres/0023_consultation_date_changes.sql")),
    (24, "report_paging", include_str!("../migrations/postgres/0024_report_paging.sql")),
    (25, "consultation_initiator", include_str!("../migrations/postgres/0025_consultation_initiator.sql")),
    (26, "report_followups", include_str!("../migrations/postgres/0026_report_followups.sql")),
];

/// The newest migration this binary knows: `/readyz` answers ready only when it is applied.
pub fn latest() -> i64 {
    SQLITE.last().map(|m| m.0).unwrap_or(0).max(POSTGRES.last().map(|m| m.0).unwrap_or(0))
}

/// The newest migration applied to this database.
pub async fn applied(db: &Db) -> Result<i64, sqlx::Error> {
    sqlx::query("SELECT COALESCE(MAX(version), 0) AS v FROM schema_migrations").fetch_one(&db.pool).await?.try_get("v")
}

/// Held while one server prepares the database at start (schema table, migrations, demo data,
/// search index): servers starting together on PostgreSQL take turns. SQLite has one process.
pub struct StartLock(Option<sqlx::pool::PoolConnection<sqlx::Any>>);

const START_LOCK: i64 = 5252004;

impl StartLock {
    pub async fn take(db: &Db) -> Result<StartLock, sqlx::Error> {
        if db.kind != DbKind::Postgres {
            return Ok(StartLock(None));
        }
        let mut conn = db.pool.acquire().await?;
        sqlx::query("SELECT CAST(1 AS BIGINT) FROM pg_advisory_lock($1)").bind(START_LOCK).execute(&mut *conn).await?;
        Ok(StartLock(Some(conn)))
    }

    pub async fn release(mut self) -> Result<(), sqlx::Error> {
        if let Some(mut conn) = self.0.take() {
            sqlx::query("SELECT CAST(1 AS BIGINT) FROM pg_advisory_unlock($1)")
                .bind(START_LOCK)
                .execute(&mut *conn)
                .await?;
        }
        Ok(())
    }
}

impl Drop for StartLock {
    fn drop(&mut self) {
        // Released without `release` (an error on the way): close the connection so the session
        // lock goes with it instead of returning to the pool still held.
        if let Some(conn) = self.0.take() {
            drop(conn.detach());
        }
    }
}

pub async fn migrate(db: &Db) -> Result<usize, sqlx::Error> {
    sqlx::raw_sql("CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT NOT NULL PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)")
        .execute(&db.pool)
        .await?;
    let list = match db.kind {
        DbKind::Sqlite => SQLITE,
        DbKind::Postgres => POSTGRES,
    };
    let mut applied = 0;
    for (version, name, sql) in list {
        let mut tx = db.pool.begin().await?;
        // Several app servers may start at once on PostgreSQL: one migrates, the others wait.
        if db.kind == DbKind::Postgres {
            sqlx::query("SELECT CAST(1 AS BIGINT) FROM pg_advisory_xact_lock(5252003)").execute(&mut *tx).await?;
        }
        let done = sqlx::query("SELECT COUNT(*) FROM schema_migrations WHERE version = $1")
            .bind(*version)
            .fetch_one(&mut *tx)
            .await?
            .try_get::<i64, _>(0)?;
        if done == 0 {
            sqlx::raw_sql(sql).execute(&mut *tx).await?;
            sqlx::query("INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)")
                .bind(*version)
                .bind(*name)
                .bind(app::ssr::now())
                .execute(&mut *tx)
                .await?;
            applied += 1;
        }
        tx.commit().await?;
    }
    Ok(applied)
}

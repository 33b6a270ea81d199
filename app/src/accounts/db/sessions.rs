//! The `sessions` table: one row per signed-in device, found by the hash of its cookie's token.
use crate::accounts::rules::{RoleKind, MAX_IDLE_SECS};
use crate::accounts::{Role, SessionInfo, SessionUser};
use crate::ssr::{now, Db};
use sqlx::Row;

pub async fn create_session(
    db: &Db,
    hash: &str,
    user_id: i64,
    expires_at: i64,
    user_agent: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO sessions (token_hash, user_id, created_at, expires_at, user_agent, last_seen_at, public_id)
         VALUES ($1, $2, $3, $4, $5, $3, $6)",
    )
    .bind(hash)
    .bind(user_id)
    .bind(now())
    .bind(expires_at)
    .bind(user_agent)
    .bind(crate::ssr::public_id())
    .execute(&db.pool)
    .await?;
    Ok(())
}

/// Marks a session as used now, at most every five minutes (the idle timeout counts from here).
pub async fn touch_session(db: &Db, hash: &str, now: i64) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE sessions SET last_seen_at = $1 WHERE token_hash = $2 AND last_seen_at < $3")
        .bind(now)
        .bind(hash)
        .bind(now - 300)
        .execute(&db.pool)
        .await?;
    Ok(())
}

pub async fn sessions_of(db: &Db, user_id: i64, current_hash: &str) -> Result<Vec<SessionInfo>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT token_hash, public_id, created_at, last_seen_at, user_agent FROM sessions
         WHERE user_id = $1 AND expires_at > $2 ORDER BY last_seen_at DESC",
    )
    .bind(user_id)
    .bind(now())
    .fetch_all(&db.pool)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(SessionInfo {
                current: r.try_get::<String, _>("token_hash")? == current_hash,
                public_id: r.try_get("public_id")?,
                created_at: r.try_get("created_at")?,
                last_seen_at: r.try_get("last_seen_at")?,
                user_agent: r.try_get("user_agent")?,
            })
        })
        .collect()
}

/// Ends one of the person's own sessions by its public id.
pub async fn delete_session_of(db: &Db, user_id: i64, public_id: &str) -> Result<u64, sqlx::Error> {
    Ok(sqlx::query("DELETE FROM sessions WHERE user_id = $1 AND public_id = $2")
        .bind(user_id)
        .bind(public_id)
        .execute(&db.pool)
        .await?
        .rows_affected())
}

/// Signs the person out everywhere but here.
pub async fn delete_other_sessions(db: &Db, user_id: i64, keep_hash: &str) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM sessions WHERE user_id = $1 AND token_hash <> $2")
        .bind(user_id)
        .bind(keep_hash)
        .execute(&db.pool)
        .await?;
    Ok(())
}

pub async fn delete_session(db: &Db, hash: &str) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM sessions WHERE token_hash = $1").bind(hash).execute(&db.pool).await?;
    Ok(())
}

pub async fn delete_sessions_of(db: &Db, user_id: i64) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM sessions WHERE user_id = $1").bind(user_id).execute(&db.pool).await?;
    Ok(())
}

/// The server's periodic sweep: stale sessions, old link tokens and finished rate-limit windows.
pub async fn purge_expired(db: &Db) -> Result<u64, sqlx::Error> {
    let now = now();
    let a = sqlx::query("DELETE FROM sessions WHERE expires_at < $1 OR last_seen_at < $2")
        .bind(now)
        .bind(now - MAX_IDLE_SECS)
        .execute(&db.pool)
        .await?;
    let b = sqlx::query("DELETE FROM auth_tokens WHERE expires_at < $1").bind(now - 86_400).execute(&db.pool).await?;
    let c = sqlx::query("DELETE FROM rate_limits WHERE window_start < $1").bind(now - 86_400).execute(&db.pool).await?;
    Ok(a.rows_affected() + b.rows_affected() + c.rows_affected())
}

/// The person behind a session that has neither expired nor been idle longer than `idle_secs`,
/// with their roles: one round trip (a row per role), since every signed-in request asks.
pub async fn session_user(db: &Db, hash: &str, now: i64, idle_secs: i64) -> Result<Option<SessionUser>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT u.id, u.email, u.display_name, u.locality, u.county, u.email_verified_at,
                r.id AS role_id, r.role, r.scope_id, COALESCE(o.name, a.name) AS scope_name
         FROM sessions s JOIN users u ON u.id = s.user_id
         LEFT JOIN roles r ON r.user_id = u.id
         LEFT JOIN organisations o ON r.role IN ('org_admin', 'org_member') AND o.id = r.scope_id
         LEFT JOIN authorities a ON r.role = 'official' AND a.id = r.scope_id
         WHERE s.token_hash = $1 AND s.expires_at > $2 AND s.last_seen_at > $3 AND u.deleted_at IS NULL
         ORDER BY r.id",
    )
    .bind(hash)
    .bind(now)
    .bind(now - idle_secs)
    .fetch_all(&db.pool)
    .await?;
    let Some(r) = rows.first() else { return Ok(None) };
    let verified: Option<i64> = r.try_get("email_verified_at")?;
    let mut roles = Vec::new();
    for row in &rows {
        let (Some(id), Some(code)) =
            (row.try_get::<Option<i64>, _>("role_id")?, row.try_get::<Option<String>, _>("role")?)
        else {
            continue;
        };
        if let Some(kind) = RoleKind::parse(&code) {
            roles.push(Role { id, kind, scope_id: row.try_get("scope_id")?, scope_name: row.try_get("scope_name")? });
        }
    }
    Ok(Some(SessionUser {
        id: r.try_get("id")?,
        email: r.try_get("email")?,
        display_name: r.try_get("display_name")?,
        locality: r.try_get("locality")?,
        county: r.try_get("county")?,
        verified: verified.is_some(),
        roles,
    }))
}

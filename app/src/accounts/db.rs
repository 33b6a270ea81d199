//! Every SQL statement of the accounts feature.
use super::rules::{anonymised_email, token_usable, RoleKind};
use super::{AdminUserRow, OutboxMail, Role, ScopeOption, SessionUser};
use crate::ssr::{now, Db};
use sqlx::Row;

pub struct UserRow {
    pub id: i64,
    pub email: String,
    pub password_hash: String,
    pub display_name: String,
    pub deleted_at: Option<i64>,
}

fn user_row(r: &sqlx::any::AnyRow) -> Result<UserRow, sqlx::Error> {
    Ok(UserRow {
        id: r.try_get("id")?,
        email: r.try_get("email")?,
        password_hash: r.try_get("password_hash")?,
        display_name: r.try_get("display_name")?,
        deleted_at: r.try_get("deleted_at")?,
    })
}

const USER_COLS: &str = "id, email, password_hash, display_name, deleted_at";

pub async fn find_user_by_email(db: &Db, email: &str) -> Result<Option<UserRow>, sqlx::Error> {
    let r = sqlx::query(&format!("SELECT {USER_COLS} FROM users WHERE email = $1"))
        .bind(email)
        .fetch_optional(&db.pool)
        .await?;
    r.as_ref().map(user_row).transpose()
}

pub async fn find_user_by_id(db: &Db, id: i64) -> Result<Option<UserRow>, sqlx::Error> {
    let r =
        sqlx::query(&format!("SELECT {USER_COLS} FROM users WHERE id = $1")).bind(id).fetch_optional(&db.pool).await?;
    r.as_ref().map(user_row).transpose()
}

pub async fn create_user(db: &Db, email: &str, hash: &str, name: &str, lang: &str) -> Result<i64, sqlx::Error> {
    let r = sqlx::query(
        "INSERT INTO users (email, password_hash, display_name, locality, county, lang, created_at)
         VALUES ($1, $2, $3, '', '', $4, $5) RETURNING id",
    )
    .bind(email)
    .bind(hash)
    .bind(name)
    .bind(lang)
    .bind(now())
    .fetch_one(&db.pool)
    .await?;
    r.try_get(0)
}

pub async fn create_token(
    db: &Db,
    user_id: i64,
    purpose: &str,
    data: Option<&str>,
    hash: &str,
    expires_at: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO auth_tokens (token_hash, user_id, purpose, data, created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(hash)
    .bind(user_id)
    .bind(purpose)
    .bind(data.map(str::to_string))
    .bind(now())
    .bind(expires_at)
    .execute(&db.pool)
    .await?;
    Ok(())
}

/// Uses a link token once: returns (user id, purpose, data) if it was valid for one of `purposes`.
pub async fn take_token(
    db: &Db,
    hash: &str,
    purposes: &[&str],
) -> Result<Option<(i64, String, Option<String>)>, sqlx::Error> {
    let mut tx = db.pool.begin().await?;
    let row = sqlx::query("SELECT user_id, purpose, data, expires_at, used_at FROM auth_tokens WHERE token_hash = $1")
        .bind(hash)
        .fetch_optional(&mut *tx)
        .await?;
    let Some(row) = row else { return Ok(None) };
    let purpose: String = row.try_get("purpose")?;
    let now = now();
    if !purposes.contains(&purpose.as_str()) || !token_usable(row.try_get("expires_at")?, row.try_get("used_at")?, now)
    {
        return Ok(None);
    }
    // The guard on used_at makes a second, concurrent use of the same link fail.
    let done = sqlx::query("UPDATE auth_tokens SET used_at = $1 WHERE token_hash = $2 AND used_at IS NULL")
        .bind(now)
        .bind(hash)
        .execute(&mut *tx)
        .await?;
    if done.rows_affected() != 1 {
        return Ok(None);
    }
    tx.commit().await?;
    Ok(Some((row.try_get("user_id")?, purpose, row.try_get("data")?)))
}

pub async fn mark_verified(db: &Db, user_id: i64) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE users SET email_verified_at = $1 WHERE id = $2 AND email_verified_at IS NULL")
        .bind(now())
        .bind(user_id)
        .execute(&db.pool)
        .await?;
    Ok(())
}

pub async fn set_email(db: &Db, user_id: i64, email: &str) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE users SET email = $1, email_verified_at = $2 WHERE id = $3")
        .bind(email)
        .bind(now())
        .bind(user_id)
        .execute(&db.pool)
        .await?;
    Ok(())
}

pub async fn set_password(db: &Db, user_id: i64, hash: &str) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE users SET password_hash = $1 WHERE id = $2").bind(hash).bind(user_id).execute(&db.pool).await?;
    Ok(())
}

pub async fn set_lang(db: &Db, user_id: i64, lang: &str) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE users SET lang = $1 WHERE id = $2").bind(lang).bind(user_id).execute(&db.pool).await?;
    Ok(())
}

pub async fn update_profile(
    db: &Db,
    user_id: i64,
    name: &str,
    locality: &str,
    county: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE users SET display_name = $1, locality = $2, county = $3 WHERE id = $4")
        .bind(name)
        .bind(locality)
        .bind(county)
        .bind(user_id)
        .execute(&db.pool)
        .await?;
    Ok(())
}

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

pub async fn sessions_of(db: &Db, user_id: i64, current_hash: &str) -> Result<Vec<super::SessionInfo>, sqlx::Error> {
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
            Ok(super::SessionInfo {
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

/// Makes every unused link of these kinds worthless (after a reset, or an address change).
pub async fn void_tokens(db: &Db, user_id: i64, purposes: &[&str]) -> Result<(), sqlx::Error> {
    for p in purposes {
        sqlx::query("UPDATE auth_tokens SET used_at = $1 WHERE user_id = $2 AND purpose = $3 AND used_at IS NULL")
            .bind(now())
            .bind(user_id)
            .bind(*p)
            .execute(&db.pool)
            .await?;
    }
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

pub async fn purge_expired(db: &Db) -> Result<u64, sqlx::Error> {
    let now = now();
    let a = sqlx::query("DELETE FROM sessions WHERE expires_at < $1 OR last_seen_at < $2")
        .bind(now)
        .bind(now - crate::accounts::rules::MAX_IDLE_SECS)
        .execute(&db.pool)
        .await?;
    let b = sqlx::query("DELETE FROM auth_tokens WHERE expires_at < $1").bind(now - 86_400).execute(&db.pool).await?;
    let c = sqlx::query("DELETE FROM rate_limits WHERE window_start < $1").bind(now - 86_400).execute(&db.pool).await?;
    Ok(a.rows_affected() + b.rows_affected() + c.rows_affected())
}

pub async fn roles_of(db: &Db, user_id: i64) -> Result<Vec<Role>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT r.id, r.role, r.scope_id, COALESCE(o.name, a.name) AS scope_name
         FROM roles r
         LEFT JOIN organisations o ON r.role IN ('org_admin', 'org_member') AND o.id = r.scope_id
         LEFT JOIN authorities a ON r.role = 'official' AND a.id = r.scope_id
         WHERE r.user_id = $1 ORDER BY r.id",
    )
    .bind(user_id)
    .fetch_all(&db.pool)
    .await?;
    let mut out = Vec::new();
    for r in rows {
        let code: String = r.try_get("role")?;
        if let Some(kind) = RoleKind::parse(&code) {
            out.push(Role {
                id: r.try_get("id")?,
                kind,
                scope_id: r.try_get("scope_id")?,
                scope_name: r.try_get("scope_name")?,
            });
        }
    }
    Ok(out)
}

/// The person behind a session token with their roles: one round trip (a row per role), since
/// every signed-in request asks.
/// The person behind a session that has neither expired nor been idle longer than `idle_secs`.
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

pub async fn grant_role(db: &Db, user_id: i64, kind: RoleKind, scope_id: i64, by: i64) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO roles (user_id, role, scope_id, granted_by, granted_at) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (user_id, role, scope_id) DO NOTHING",
    )
    .bind(user_id)
    .bind(kind.code())
    .bind(scope_id)
    .bind(by)
    .bind(now())
    .execute(&db.pool)
    .await?;
    Ok(())
}

pub async fn revoke_role(db: &Db, role_id: i64) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM roles WHERE id = $1").bind(role_id).execute(&db.pool).await?;
    Ok(())
}

pub async fn is_last_admin_role(db: &Db, role_id: i64) -> Result<bool, sqlx::Error> {
    let r = sqlx::query(
        "SELECT (SELECT COUNT(*) FROM roles WHERE id = $1 AND role = 'admin') AS this_admin,
                (SELECT COUNT(*) FROM roles WHERE role = 'admin') AS admins",
    )
    .bind(role_id)
    .fetch_one(&db.pool)
    .await?;
    let this: i64 = r.try_get("this_admin")?;
    let all: i64 = r.try_get("admins")?;
    Ok(this == 1 && all <= 1)
}

pub async fn scope_exists(db: &Db, kind: RoleKind, id: i64) -> Result<bool, sqlx::Error> {
    let table = match kind.scope() {
        super::rules::Scope::Authority => "authorities",
        _ => "organisations",
    };
    let r = sqlx::query(&format!("SELECT COUNT(*) FROM {table} WHERE id = $1")).bind(id).fetch_one(&db.pool).await?;
    Ok(r.try_get::<i64, _>(0)? > 0)
}

pub async fn scope_options(db: &Db) -> Result<Vec<ScopeOption>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT id, name, CAST(0 AS BIGINT) AS is_auth FROM organisations UNION ALL SELECT id, name, CAST(1 AS BIGINT) AS is_auth FROM authorities ORDER BY is_auth, name",
    )
    .fetch_all(&db.pool)
    .await?;
    rows.iter()
        .map(|r| {
            let is_auth: i64 = r.try_get("is_auth")?;
            Ok(ScopeOption { id: r.try_get("id")?, name: r.try_get("name")?, is_authority: is_auth == 1 })
        })
        .collect()
}

pub async fn list_users(db: &Db, q: &str) -> Result<Vec<AdminUserRow>, sqlx::Error> {
    let pattern = format!("%{}%", q.to_lowercase());
    let rows = sqlx::query(
        "SELECT id, email, display_name, email_verified_at, created_at FROM users
         WHERE deleted_at IS NULL AND (LOWER(email) LIKE $1 OR LOWER(display_name) LIKE $1)
         ORDER BY created_at DESC, id DESC LIMIT 50",
    )
    .bind(pattern)
    .fetch_all(&db.pool)
    .await?;
    let mut out = Vec::new();
    for r in rows {
        let id: i64 = r.try_get("id")?;
        let verified: Option<i64> = r.try_get("email_verified_at")?;
        out.push(AdminUserRow {
            id,
            email: r.try_get("email")?,
            display_name: r.try_get("display_name")?,
            verified: verified.is_some(),
            created_at: r.try_get("created_at")?,
            roles: roles_of(db, id).await?,
        });
    }
    Ok(out)
}

pub async fn outbox(db: &Db, limit: i64) -> Result<Vec<OutboxMail>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT id, to_addr, subject, body_text, status, attempts, created_at FROM mail_outbox ORDER BY id DESC LIMIT $1",
    )
    .bind(limit)
    .fetch_all(&db.pool)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(OutboxMail {
                id: r.try_get("id")?,
                to_addr: r.try_get("to_addr")?,
                subject: r.try_get("subject")?,
                body_text: r.try_get("body_text")?,
                status: r.try_get("status")?,
                attempts: r.try_get("attempts")?,
                created_at: r.try_get("created_at")?,
            })
        })
        .collect()
}

/// Everything stored about one person, for "download my data".
pub async fn export(db: &Db, user_id: i64) -> Result<serde_json::Value, sqlx::Error> {
    let u = sqlx::query("SELECT id, email, display_name, locality, county, lang, created_at, email_verified_at FROM users WHERE id = $1")
        .bind(user_id)
        .fetch_one(&db.pool)
        .await?;
    let sessions =
        sqlx::query("SELECT created_at, expires_at, user_agent FROM sessions WHERE user_id = $1 ORDER BY created_at")
            .bind(user_id)
            .fetch_all(&db.pool)
            .await?;
    let email: String = u.try_get("email")?;
    let mails = sqlx::query("SELECT subject, status, created_at FROM mail_outbox WHERE to_addr = $1 ORDER BY id")
        .bind(&email)
        .fetch_all(&db.pool)
        .await?;
    let roles = roles_of(db, user_id).await?;
    let mut session_list = Vec::new();
    for s in &sessions {
        session_list.push(serde_json::json!({
            "created_at": crate::fmt::iso_utc(s.try_get("created_at")?),
            "expires_at": crate::fmt::iso_utc(s.try_get("expires_at")?),
            "user_agent": s.try_get::<String, _>("user_agent")?,
        }));
    }
    let mut mail_list = Vec::new();
    for m in &mails {
        mail_list.push(serde_json::json!({
            "subject": m.try_get::<String, _>("subject")?,
            "status": m.try_get::<String, _>("status")?,
            "created_at": crate::fmt::iso_utc(m.try_get("created_at")?),
        }));
    }
    let verified: Option<i64> = u.try_get("email_verified_at")?;
    let mut events = Vec::new();
    for r in sqlx::query(
        "SELECT e.title, r.status, r.created_at FROM event_registrations r JOIN events e ON e.id = r.event_id WHERE r.user_id = $1 ORDER BY r.id",
    )
    .bind(user_id)
    .fetch_all(&db.pool)
    .await?
    {
        events.push(serde_json::json!({
            "event": r.try_get::<String, _>("title")?,
            "status": r.try_get::<String, _>("status")?,
            "registered_at": crate::fmt::iso_utc(r.try_get("created_at")?),
        }));
    }
    let mut joins = Vec::new();
    for r in sqlx::query(
        "SELECT o.name, j.message, j.status FROM org_join_requests j JOIN organisations o ON o.id = j.org_id WHERE j.user_id = $1 ORDER BY j.id",
    )
    .bind(user_id)
    .fetch_all(&db.pool)
    .await?
    {
        joins.push(serde_json::json!({
            "organisation": r.try_get::<String, _>("name")?,
            "message": r.try_get::<String, _>("message")?,
            "status": r.try_get::<String, _>("status")?,
        }));
    }
    let newsletter = sqlx::query(
        "SELECT topics, county, status, consent_version, consent_at FROM newsletter_subscribers WHERE email = $1",
    )
    .bind(&email)
    .fetch_optional(&db.pool)
    .await?
    .map(|r| -> Result<serde_json::Value, sqlx::Error> {
        Ok(serde_json::json!({
            "topics": r.try_get::<String, _>("topics")?,
            "county": r.try_get::<String, _>("county")?,
            "status": r.try_get::<String, _>("status")?,
            "consent_version": r.try_get::<String, _>("consent_version")?,
            "consent_at": crate::fmt::iso_utc(r.try_get("consent_at")?),
        }))
    })
    .transpose()?;
    Ok(serde_json::json!({
        "exported_at": crate::fmt::iso_utc(now()),
        "account": {
            "id": u.try_get::<i64, _>("id")?,
            "email": email,
            "display_name": u.try_get::<String, _>("display_name")?,
            "locality": u.try_get::<String, _>("locality")?,
            "county": u.try_get::<String, _>("county")?,
            "language": u.try_get::<String, _>("lang")?,
            "created_at": crate::fmt::iso_utc(u.try_get("created_at")?),
            "email_verified_at": verified.map(crate::fmt::iso_utc),
        },
        "roles": roles.iter().map(|r| serde_json::json!({"role": r.kind.code(), "scope": r.scope_name})).collect::<Vec<_>>(),
        "sessions": session_list,
        "emails_sent_to_me": mail_list,
        "event_registrations": events,
        "organisation_join_requests": joins,
        "newsletter": newsletter,
    }))
}

/// Removes personal data; rows written by the person stay, attributed to "deleted account".
pub async fn anonymise(db: &Db, user_id: i64) -> Result<(), sqlx::Error> {
    let mut tx = db.pool.begin().await?;
    let email: String =
        sqlx::query("SELECT email FROM users WHERE id = $1").bind(user_id).fetch_one(&mut *tx).await?.try_get(0)?;
    sqlx::query(
        "UPDATE users SET email = $1, display_name = '', locality = '', county = '', password_hash = '', deleted_at = $2 WHERE id = $3",
    )
    .bind(anonymised_email(user_id))
    .bind(now())
    .bind(user_id)
    .execute(&mut *tx)
    .await?;
    for sql in [
        "DELETE FROM sessions WHERE user_id = $1",
        "DELETE FROM auth_tokens WHERE user_id = $1",
        "DELETE FROM roles WHERE user_id = $1",
    ] {
        sqlx::query(sql).bind(user_id).execute(&mut *tx).await?;
    }
    // Mail not yet sent to the address is dropped; mail already delivered keeps its subject for
    // the record, not the address.
    sqlx::query("DELETE FROM mail_outbox WHERE to_addr = $1 AND status = 'queued'")
        .bind(&email)
        .execute(&mut *tx)
        .await?;
    sqlx::query(
        "UPDATE mail_outbox SET to_addr = $1, body_text = '', body_html = '' WHERE to_addr = $2 AND status <> 'queued'",
    )
    .bind(anonymised_email(user_id))
    .bind(&email)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(())
}

/// The e-mail choices a user saved: `(kind, enabled)`.
pub async fn notification_prefs(db: &Db, user_id: i64) -> Result<Vec<(String, bool)>, sqlx::Error> {
    let rows = sqlx::query("SELECT kind, enabled FROM notification_prefs WHERE user_id = $1")
        .bind(user_id)
        .fetch_all(&db.pool)
        .await?;
    rows.iter().map(|r| Ok((r.try_get("kind")?, r.try_get::<i64, _>("enabled")? != 0))).collect()
}

pub async fn save_notification_prefs(db: &Db, user_id: i64, rows: &[(String, bool)]) -> Result<(), sqlx::Error> {
    let mut tx = db.pool.begin().await?;
    for (kind, on) in rows {
        sqlx::query(
            "INSERT INTO notification_prefs (user_id, kind, enabled, updated_at) VALUES ($1, $2, $3, $4)
             ON CONFLICT (user_id, kind) DO UPDATE SET enabled = excluded.enabled, updated_at = excluded.updated_at",
        )
        .bind(user_id)
        .bind(kind)
        .bind(i64::from(*on))
        .bind(now())
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await
}

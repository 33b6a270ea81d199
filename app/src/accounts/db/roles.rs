//! The `roles` table, and the lists the platform admin works from (people, scopes, the outbox).
use crate::accounts::rules::{RoleKind, Scope};
use crate::accounts::{AdminUserRow, OutboxMail, Role, ScopeOption};
use crate::ssr::{now, Db};
use sqlx::Row;

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
        Scope::Authority => "authorities",
        _ => "organisations",
    };
    let r =
        sqlx::query(&format!("SELECT COUNT(*) AS n FROM {table} WHERE id = $1")).bind(id).fetch_one(&db.pool).await?;
    Ok(r.try_get::<i64, _>("n")? > 0)
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

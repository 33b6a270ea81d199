//! The `users` table: finding, creating and updating a person's account.
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
    r.try_get("id")
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

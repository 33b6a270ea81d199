//! SQL of stories.
use super::StoryCard;
use crate::ssr::{now, Db};
use sqlx::any::AnyRow;
use sqlx::Row;

const STORY_COLS: &str = "s.slug, s.title, s.summary, s.domain, s.locality, s.published_at, o.name AS org_name";

fn story_card(r: &AnyRow) -> Result<StoryCard, sqlx::Error> {
    Ok(StoryCard {
        slug: r.try_get("slug")?,
        title: r.try_get("title")?,
        summary: r.try_get("summary")?,
        domain: r.try_get("domain")?,
        locality: r.try_get("locality")?,
        org_name: r.try_get("org_name")?,
        published_at: r.try_get("published_at")?,
    })
}

pub async fn stories(db: &Db, org_id: i64, limit: i64) -> Result<Vec<StoryCard>, sqlx::Error> {
    let rows = sqlx::query(&format!(
        "SELECT {STORY_COLS} FROM stories s LEFT JOIN organisations o ON o.id = s.org_id
         WHERE ($1 = 0 OR s.org_id = $1) ORDER BY s.published_at DESC, s.id DESC LIMIT $2"
    ))
    .bind(org_id)
    .bind(limit)
    .fetch_all(&db.pool)
    .await?;
    rows.iter().map(story_card).collect()
}

pub async fn story(db: &Db, slug: &str) -> Result<Option<(StoryCard, String)>, sqlx::Error> {
    let r = sqlx::query(&format!(
        "SELECT {STORY_COLS}, s.body_md FROM stories s LEFT JOIN organisations o ON o.id = s.org_id WHERE s.slug = $1"
    ))
    .bind(slug)
    .fetch_optional(&db.pool)
    .await?;
    r.map(|r| Ok((story_card(&r)?, r.try_get("body_md")?))).transpose()
}

pub async fn create_story(
    db: &Db,
    slug: &str,
    org_id: i64,
    title: &str,
    summary: &str,
    body: &str,
    domain: &str,
    locality: &str,
    by: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO stories (slug, org_id, title, summary, body_md, domain, locality, published_at, created_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(slug)
    .bind(org_id)
    .bind(title)
    .bind(summary)
    .bind(body)
    .bind(domain)
    .bind(locality)
    .bind(now())
    .bind(by)
    .execute(&db.pool)
    .await?;
    Ok(())
}

/// Stories the person wrote for an organisation (they stay, signed by the organisation).
pub async fn personal_stories(db: &Db, p: &crate::ssr::personal::Person) -> Result<serde_json::Value, sqlx::Error> {
    use crate::ssr::personal::{rows, Param};
    rows(db, "SELECT slug, title, published_at FROM stories WHERE created_by = $1 ORDER BY id", Param::Id(p.id)).await
}

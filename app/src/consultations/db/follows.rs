//! Following a consultation, subscribing to new ones by topic and county, and the one-click
//! unsubscribes; who to mail.
use crate::ssr::{now, Db};
use sqlx::Row;

pub async fn is_following(db: &Db, cid: i64, user: i64) -> Result<bool, sqlx::Error> {
    let n: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM consultation_follows WHERE consultation_id = $1 AND user_id = $2")
            .bind(cid)
            .bind(user)
            .fetch_one(&db.pool)
            .await?;
    Ok(n > 0)
}

pub async fn follow(db: &Db, cid: i64, user: i64) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO consultation_follows (consultation_id, user_id, created_at, public_id) VALUES ($1, $2, $3, $4) ON CONFLICT (consultation_id, user_id) DO NOTHING",
    )
    .bind(cid)
    .bind(user)
    .bind(now())
    .bind(crate::ssr::public_id())
    .execute(&db.pool)
    .await?;
    Ok(())
}

pub async fn unfollow(db: &Db, cid: i64, user: i64) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM consultation_follows WHERE consultation_id = $1 AND user_id = $2")
        .bind(cid)
        .bind(user)
        .execute(&db.pool)
        .await?;
    Ok(())
}

pub async fn unfollow_by_public(db: &Db, public_id: &str) -> Result<u64, sqlx::Error> {
    Ok(sqlx::query("DELETE FROM consultation_follows WHERE public_id = $1")
        .bind(public_id)
        .execute(&db.pool)
        .await?
        .rows_affected())
}

pub async fn unsubscribe_by_public(db: &Db, public_id: &str) -> Result<u64, sqlx::Error> {
    Ok(sqlx::query("DELETE FROM consultation_subscriptions WHERE public_id = $1")
        .bind(public_id)
        .execute(&db.pool)
        .await?
        .rows_affected())
}

/// Followers who can be mailed: (follow's public id, user id, email, lang).
pub async fn followers(db: &Db, cid: i64) -> Result<Vec<(String, i64, String, String)>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT f.public_id, u.id, u.email, u.lang FROM consultation_follows f JOIN users u ON u.id = f.user_id
         WHERE f.consultation_id = $1 AND u.deleted_at IS NULL AND u.email_verified_at IS NOT NULL",
    )
    .bind(cid)
    .fetch_all(&db.pool)
    .await?;
    rows.iter()
        .map(|r| Ok((r.try_get("public_id")?, r.try_get("id")?, r.try_get("email")?, r.try_get("lang")?)))
        .collect()
}

pub async fn subscribe(db: &Db, user: i64, topic: &str, county: &str) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO consultation_subscriptions (user_id, topic, county, created_at, public_id) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (user_id, topic, county) DO NOTHING",
    )
    .bind(user)
    .bind(topic)
    .bind(county)
    .bind(now())
    .bind(crate::ssr::public_id())
    .execute(&db.pool)
    .await?;
    Ok(())
}

/// Subscribers whose topic and county match a new consultation: (subscription's public id, email, lang).
pub async fn subscribers_for(
    db: &Db,
    topics: &[String],
    county: &str,
) -> Result<Vec<(String, String, String)>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT s.public_id, s.topic, u.email, u.lang, u.id AS uid FROM consultation_subscriptions s JOIN users u ON u.id = s.user_id
         WHERE u.deleted_at IS NULL AND u.email_verified_at IS NOT NULL AND (s.county = '' OR s.county = $1) ORDER BY u.id, s.id",
    )
    .bind(county)
    .fetch_all(&db.pool)
    .await?;
    let mut out: Vec<(String, String, String)> = vec![];
    let mut last_user = -1;
    for r in rows {
        let topic: String = r.try_get("topic")?;
        let user: i64 = r.try_get("uid")?;
        // One mail per person, whatever number of their subscriptions match.
        if (topic.is_empty() || topics.contains(&topic)) && user != last_user {
            out.push((r.try_get("public_id")?, r.try_get("email")?, r.try_get("lang")?));
            last_user = user;
        }
    }
    Ok(out)
}

/// (follows the consultation, registered for its debate): one round trip for a signed-in reader.
pub async fn viewer_flags(db: &Db, cid: i64, user: i64) -> Result<(bool, bool), sqlx::Error> {
    let r = sqlx::query(
        "SELECT (SELECT COUNT(*) FROM consultation_follows WHERE consultation_id = $1 AND user_id = $2) AS following,
                (SELECT COUNT(*) FROM consultation_debate_registrations WHERE consultation_id = $1 AND user_id = $2)
                  AS registered",
    )
    .bind(cid)
    .bind(user)
    .fetch_one(&db.pool)
    .await?;
    Ok((r.try_get::<i64, _>("following")? > 0, r.try_get::<i64, _>("registered")? > 0))
}

//! The public debate: organisations' requests, the organiser's date and place, registrations.
use crate::consultations::Debate;
use crate::ssr::{now, Db};
use sqlx::Row;

pub async fn add_debate_request(db: &Db, cid: i64, org: i64, user: i64, reason: &str) -> Result<bool, sqlx::Error> {
    let n = sqlx::query(
        "INSERT INTO consultation_debate_requests (consultation_id, org_id, user_id, reason, created_at) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (consultation_id, org_id) DO NOTHING",
    )
    .bind(cid)
    .bind(org)
    .bind(user)
    .bind(reason)
    .bind(now())
    .execute(&db.pool)
    .await?
    .rows_affected();
    Ok(n > 0)
}

pub async fn set_debate(
    db: &Db,
    cid: i64,
    starts_at: i64,
    place: &str,
    online_url: &str,
    minutes: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO consultation_debates (consultation_id, starts_at, place, online_url, minutes, created_at) VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (consultation_id) DO UPDATE SET starts_at = excluded.starts_at, place = excluded.place,
           online_url = excluded.online_url, minutes = excluded.minutes",
    )
    .bind(cid)
    .bind(starts_at)
    .bind(place)
    .bind(online_url)
    .bind(minutes)
    .bind(now())
    .execute(&db.pool)
    .await?;
    Ok(())
}

pub async fn register_debate(db: &Db, cid: i64, user: i64) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO consultation_debate_registrations (consultation_id, user_id, created_at) VALUES ($1, $2, $3)
         ON CONFLICT (consultation_id, user_id) DO NOTHING",
    )
    .bind(cid)
    .bind(user)
    .bind(now())
    .execute(&db.pool)
    .await?;
    Ok(())
}

/// The debate as everyone sees it (`me_registered` is false: see [`viewer_flags`]).
pub async fn debate(db: &Db, cid: i64) -> Result<Debate, sqlx::Error> {
    let reqs = sqlx::query(
        "SELECT o.name AS org_name, r.reason FROM consultation_debate_requests r JOIN organisations o ON o.id = r.org_id
         WHERE r.consultation_id = $1 ORDER BY r.id",
    )
    .bind(cid)
    .fetch_all(&db.pool)
    .await?;
    let requests = reqs
        .iter()
        .map(|r| Ok((r.try_get("org_name")?, r.try_get("reason")?)))
        .collect::<Result<Vec<_>, sqlx::Error>>()?;
    // Registrations exist only for a scheduled debate; their number rides along.
    let d = sqlx::query(
        "SELECT starts_at, place, online_url, minutes,
                (SELECT COUNT(*) FROM consultation_debate_registrations g WHERE g.consultation_id = $1) AS registered
         FROM consultation_debates WHERE consultation_id = $1",
    )
    .bind(cid)
    .fetch_optional(&db.pool)
    .await?;
    Ok(Debate {
        requests,
        starts_at: d.as_ref().map(|r| r.try_get("starts_at")).transpose()?,
        place: d.as_ref().map(|r| r.try_get("place")).transpose()?.unwrap_or_default(),
        online_url: d.as_ref().map(|r| r.try_get("online_url")).transpose()?.unwrap_or_default(),
        minutes: d.as_ref().map(|r| r.try_get("minutes")).transpose()?.unwrap_or_default(),
        registered: d.as_ref().map(|r| r.try_get("registered")).transpose()?.unwrap_or(0),
        me_registered: false,
    })
}

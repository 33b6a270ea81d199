//! The personal data of consultations ("download my data" and deletion, registered in
//! `consultations::personal`). Comments are submissions under Legea 52/2003 and stay in the public
//! record, signed "deleted account"; what only served the person (follows, subscriptions, seats
//! at debates) goes.
use crate::ssr::personal::{rows, Param, Person};
use crate::ssr::Db;
use serde_json::Value;
use sqlx::AnyConnection;

pub async fn personal_comments(db: &Db, p: &Person) -> Result<Value, sqlx::Error> {
    rows(
        db,
        "SELECT c.title AS consultation, k.reg_no, k.unit_position, k.paragraph, k.stance, k.body, k.alternative,
                k.status, k.support_count, k.answer, k.answer_text, k.created_at, k.edited_at
         FROM consultation_comments k JOIN consultations c ON c.id = k.consultation_id
         WHERE k.user_id = $1 ORDER BY k.id",
        Param::Id(p.id),
    )
    .await
}

/// Comments the person supported (the count on each comment stays: it is recomputed from these rows).
pub async fn personal_supports(db: &Db, p: &Person) -> Result<Value, sqlx::Error> {
    rows(
        db,
        "SELECT c.title AS consultation, k.reg_no, v.created_at
         FROM consultation_votes v JOIN consultation_comments k ON k.id = v.comment_id
         JOIN consultations c ON c.id = k.consultation_id WHERE v.user_id = $1 ORDER BY v.created_at",
        Param::Id(p.id),
    )
    .await
}

/// Comments the person reported to the moderators.
pub async fn personal_flags(db: &Db, p: &Person) -> Result<Value, sqlx::Error> {
    rows(
        db,
        "SELECT k.reg_no, r.reason, r.details, r.status, r.created_at
         FROM consultation_reports r JOIN consultation_comments k ON k.id = r.comment_id
         WHERE r.user_id = $1 ORDER BY r.id",
        Param::Id(p.id),
    )
    .await
}

/// A report stays for the moderation record (and so that it still counts once), without the
/// person's own words.
pub async fn erase_flags(c: &mut AnyConnection, p: &Person) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE consultation_reports SET details = '' WHERE user_id = $1").bind(p.id).execute(&mut *c).await?;
    Ok(())
}

pub async fn personal_follows(db: &Db, p: &Person) -> Result<Value, sqlx::Error> {
    rows(
        db,
        "SELECT c.title AS consultation, f.created_at FROM consultation_follows f
         JOIN consultations c ON c.id = f.consultation_id WHERE f.user_id = $1 ORDER BY f.id",
        Param::Id(p.id),
    )
    .await
}

pub async fn personal_subscriptions(db: &Db, p: &Person) -> Result<Value, sqlx::Error> {
    rows(
        db,
        "SELECT topic, county, created_at FROM consultation_subscriptions WHERE user_id = $1 ORDER BY id",
        Param::Id(p.id),
    )
    .await
}

/// Requests for a public debate, made for an organisation (they are the organisation's and stay).
pub async fn personal_debate_requests(db: &Db, p: &Person) -> Result<Value, sqlx::Error> {
    rows(
        db,
        "SELECT c.title AS consultation, o.name AS organisation, r.reason, r.created_at
         FROM consultation_debate_requests r JOIN consultations c ON c.id = r.consultation_id
         JOIN organisations o ON o.id = r.org_id WHERE r.user_id = $1 ORDER BY r.id",
        Param::Id(p.id),
    )
    .await
}

pub async fn personal_debate_seats(db: &Db, p: &Person) -> Result<Value, sqlx::Error> {
    rows(
        db,
        "SELECT c.title AS consultation, d.starts_at, r.created_at
         FROM consultation_debate_registrations r JOIN consultations c ON c.id = r.consultation_id
         LEFT JOIN consultation_debates d ON d.consultation_id = r.consultation_id
         WHERE r.user_id = $1 ORDER BY r.created_at",
        Param::Id(p.id),
    )
    .await
}

/// Follows, subscriptions and debate seats: they only served the person.
pub async fn erase_own(c: &mut AnyConnection, table: &'static str, p: &Person) -> Result<(), sqlx::Error> {
    sqlx::query(&format!("DELETE FROM {table} WHERE user_id = $1")).bind(p.id).execute(&mut *c).await?;
    Ok(())
}

/// Position papers the person attached to their comments.
pub async fn personal_papers(db: &Db, p: &Person) -> Result<Value, sqlx::Error> {
    rows(
        db,
        "SELECT c.title AS consultation, f.name, f.kind, f.size, f.storage_key AS file, f.created_at
         FROM consultation_files f JOIN consultations c ON c.id = f.consultation_id
         WHERE f.uploaded_by = $1 AND f.kind = 'paper' ORDER BY f.id",
        Param::Id(p.id),
    )
    .await
}

pub async fn personal_paper_keys(db: &Db, p: &Person) -> Result<Vec<String>, sqlx::Error> {
    sqlx::query_scalar::<_, String>(
        "SELECT storage_key FROM consultation_files WHERE uploaded_by = $1 AND kind = 'paper' ORDER BY id",
    )
    .bind(p.id)
    .fetch_all(&db.pool)
    .await
}

/// What the person did as an organiser or moderator: consultations started, comments answered,
/// moderation steps, files published, dates extended or corrected. These are acts of an office and stay.
pub async fn personal_office_work(db: &Db, p: &Person) -> Result<Value, sqlx::Error> {
    let started = rows(
        db,
        "SELECT slug, title, status, created_at FROM consultations WHERE created_by = $1 ORDER BY id",
        Param::Id(p.id),
    );
    let answered = rows(
        db,
        "SELECT reg_no, answer, answered_at FROM consultation_comments WHERE answered_by = $1 ORDER BY id",
        Param::Id(p.id),
    );
    let moderated = rows(
        db,
        "SELECT comment_id, action, reason, created_at FROM consultation_moderation_log WHERE actor_id = $1 ORDER BY id",
        Param::Id(p.id),
    );
    let dates = rows(
        db,
        "SELECT c.title AS consultation, d.kind, d.field, d.old_value, d.new_value, d.reason, d.created_at
         FROM consultation_date_changes d JOIN consultations c ON c.id = d.consultation_id
         WHERE d.user_id = $1 ORDER BY d.id",
        Param::Id(p.id),
    );
    let published = rows(
        db,
        "SELECT name, kind, created_at FROM consultation_files WHERE uploaded_by = $1 AND kind <> 'paper' ORDER BY id",
        Param::Id(p.id),
    );
    Ok(serde_json::json!({
        "consultations_started": started.await?,
        "comments_answered": answered.await?,
        "moderation_steps": moderated.await?,
        "files_published": published.await?,
        "dates_changed": dates.await?,
    }))
}

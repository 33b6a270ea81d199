//! The map's personal data ("download my data" and deletion, registered in `map::personal`):
//! reports, the steps someone took on them, audits, photos, places added, imports.
use super::super::rules::{self, Action};
use crate::ssr::personal::{rows, Param, Person};
use crate::ssr::Db;
use serde_json::Value;
use sqlx::{AnyConnection, Row};
use std::collections::HashMap;

pub async fn personal_reports(db: &Db, p: &Person) -> Result<Value, sqlx::Error> {
    rows(
        db,
        "SELECT r.id, p.name AS place, r.problem, r.description, r.state, r.registration_no, r.created_at, r.updated_at
         FROM map_reports r JOIN map_places p ON p.id = r.place_id WHERE r.reporter_id = $1 ORDER BY r.id",
        Param::Id(p.id),
    )
    .await
}

/// Steps the person took on reports (their own, or for an organisation or authority).
pub async fn personal_report_steps(db: &Db, p: &Person) -> Result<Value, sqlx::Error> {
    rows(
        db,
        "SELECT report_id, actor_role, action, to_state, comment, created_at FROM map_report_events
         WHERE actor_id = $1 ORDER BY id",
        Param::Id(p.id),
    )
    .await
}

pub async fn personal_audits(db: &Db, p: &Person) -> Result<Value, sqlx::Error> {
    rows(
        db,
        "SELECT p.name AS place, a.checked_day, a.verified, a.data, a.created_at
         FROM map_audits a JOIN map_places p ON p.id = a.place_id WHERE a.created_by = $1 ORDER BY a.id",
        Param::Id(p.id),
    )
    .await
}

pub async fn personal_photos(db: &Db, p: &Person) -> Result<Value, sqlx::Error> {
    rows(
        db,
        "SELECT id, report_id, place_id, key_full AS file, alt, width, height, created_at FROM map_photos
         WHERE created_by = $1 ORDER BY id",
        Param::Id(p.id),
    )
    .await
}

/// The photos they uploaded, full size (thumbnails are made from them).
pub async fn personal_photo_keys(db: &Db, p: &Person) -> Result<Vec<String>, sqlx::Error> {
    sqlx::query_scalar::<_, String>("SELECT key_full FROM map_photos WHERE created_by = $1 ORDER BY id")
        .bind(p.id)
        .fetch_all(&db.pool)
        .await
}

/// Their photos go, row and files, unless their report was sent as evidence (the rule:
/// `rules::photo_outlives_its_uploader`); those stay without an uploader. Returns the files to
/// delete once the transaction commits.
pub async fn erase_photos(c: &mut AnyConnection, p: &Person) -> Result<Vec<String>, sqlx::Error> {
    let mine = sqlx::query("SELECT id, report_id, key_full, key_thumb FROM map_photos WHERE created_by = $1")
        .bind(p.id)
        .fetch_all(&mut *c)
        .await?;
    let steps = sqlx::query(
        "SELECT e.report_id, e.action FROM map_report_events e
         WHERE e.report_id IN (SELECT report_id FROM map_photos WHERE created_by = $1)",
    )
    .bind(p.id)
    .fetch_all(&mut *c)
    .await?;
    let mut actions: HashMap<i64, Vec<Action>> = HashMap::new();
    for s in &steps {
        if let Some(a) = Action::parse(&s.try_get::<String, _>("action")?) {
            actions.entry(s.try_get("report_id")?).or_default().push(a);
        }
    }
    let mut gone = vec![];
    for ph in &mine {
        let id: i64 = ph.try_get("id")?;
        let report: Option<i64> = ph.try_get("report_id")?;
        let of_report = report.and_then(|r| actions.get(&r)).map(Vec::as_slice).unwrap_or(&[]);
        if rules::photo_outlives_its_uploader(of_report) {
            sqlx::query("UPDATE map_photos SET created_by = NULL WHERE id = $1").bind(id).execute(&mut *c).await?;
        } else {
            sqlx::query("DELETE FROM map_photos WHERE id = $1").bind(id).execute(&mut *c).await?;
            gone.push(ph.try_get("key_full")?);
            gone.push(ph.try_get("key_thumb")?);
        }
    }
    Ok(gone)
}

/// Places they added and localities they assigned (as an admin): the map's, they stay.
pub async fn personal_places(db: &Db, p: &Person) -> Result<Value, sqlx::Error> {
    rows(db, "SELECT id, name, locality, created_at FROM map_places WHERE created_by = $1 ORDER BY id", Param::Id(p.id))
        .await
}

/// Imports waiting for confirmation (the uploaded file is not the person's data: only its name).
pub async fn personal_imports(db: &Db, p: &Person) -> Result<Value, sqlx::Error> {
    rows(db, "SELECT org_id, file_name, created_at FROM map_imports WHERE user_id = $1", Param::Id(p.id)).await
}

pub async fn erase_imports(c: &mut AnyConnection, p: &Person) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM map_imports WHERE user_id = $1").bind(p.id).execute(&mut *c).await?;
    Ok(())
}

//! Counts for the statistics page, what a petition letter lists, and the rows of the exports.
use super::*;
use crate::map::rules::AuditRecord;
use crate::map::{PetitionTarget, ReportState, Stats};
use crate::ssr::Db;

pub async fn stats(db: &Db, today: i64) -> Result<Stats, sqlx::Error> {
    let idx = |code: &str| Rating::parse(code).map(|r| r.rank() as usize).unwrap_or(3);
    let mut s = Stats::default();
    let rows = sqlx::query(
        "SELECT rating, category, locality, COUNT(*) AS n FROM map_places GROUP BY rating, category, locality",
    )
    .fetch_all(&db.pool)
    .await?;
    let mut by_rating = [0i64; 4];
    let mut cats: std::collections::BTreeMap<String, [i64; 4]> = Default::default();
    let mut locs: std::collections::BTreeMap<String, [i64; 4]> = Default::default();
    for r in &rows {
        let rating: String = r.try_get("rating")?;
        let (cat, loc, n): (String, String, i64) = (r.try_get("category")?, r.try_get("locality")?, r.try_get("n")?);
        let i = idx(&rating);
        by_rating[i] += n;
        cats.entry(cat).or_default()[i] += n;
        locs.entry(loc).or_default()[i] += n;
    }
    s.total = by_rating.iter().sum();
    s.by_rating = Rating::ALL.iter().map(|r| (r.code().to_string(), by_rating[r.rank() as usize])).collect();
    s.by_category = cats.into_iter().collect();
    let mut locs: Vec<_> = locs.into_iter().collect();
    locs.sort_by_key(|(_, c)| -c.iter().sum::<i64>());
    locs.truncate(20);
    s.by_locality = locs;
    let rows = sqlx::query("SELECT state, COUNT(*) AS n FROM map_reports GROUP BY state").fetch_all(&db.pool).await?;
    let mut by_state = Vec::with_capacity(rows.len());
    for r in &rows {
        by_state.push((r.try_get::<String, _>("state")?, r.try_get::<i64, _>("n")?));
    }
    s.reports = ReportState::ALL
        .iter()
        .map(|st| {
            let n = by_state.iter().find(|(code, _)| code == st.code()).map(|(_, n)| *n).unwrap_or(0);
            (st.code().to_string(), n)
        })
        .collect();
    s.overdue = sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM map_reports WHERE state = 'sent' AND due_day < $1")
        .bind(today)
        .fetch_one(&db.pool)
        .await?;
    Ok(s)
}

/// Every (organisation, authority) pair with confirmed problems on the organisation's places that
/// the authority answers for, with their count.
pub async fn petition_targets(db: &Db) -> Result<Vec<PetitionTarget>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT o.id AS org_id, o.name AS org_name, a.id AS authority_id, a.name AS authority_name, COUNT(r.id) AS reports
         FROM map_reports r JOIN map_places p ON p.id = r.place_id
         JOIN organisations o ON o.id = p.org_id JOIN authorities a ON a.id = p.authority_id
         WHERE r.state = 'confirmed' GROUP BY o.id, o.name, a.id, a.name ORDER BY o.name, a.name",
    )
    .fetch_all(&db.pool)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(PetitionTarget {
                org_id: r.try_get("org_id")?,
                org_name: r.try_get("org_name")?,
                authority_id: r.try_get("authority_id")?,
                authority_name: r.try_get("authority_name")?,
                reports: r.try_get("reports")?,
            })
        })
        .collect()
}

/// Confirmed problems of one organisation's places that one authority answers for, for the letter.
pub struct PetitionItem {
    pub report_id: i64,
    pub place: String,
    pub address: String,
    pub problem: String,
    pub description: String,
}

pub async fn petition_items(db: &Db, org_id: i64, authority_id: i64) -> Result<Vec<PetitionItem>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT r.id AS report_id, p.name AS place,
                p.address || CASE WHEN p.locality = '' THEN '' ELSE ', ' || p.locality END AS address,
                r.problem, r.description
         FROM map_reports r JOIN map_places p ON p.id = r.place_id
         WHERE p.org_id = $1 AND p.authority_id = $2 AND r.state = 'confirmed' ORDER BY p.name, r.id",
    )
    .bind(org_id)
    .bind(authority_id)
    .fetch_all(&db.pool)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(PetitionItem {
                report_id: r.try_get("report_id")?,
                place: r.try_get("place")?,
                address: r.try_get("address")?,
                problem: r.try_get("problem")?,
                description: r.try_get("description")?,
            })
        })
        .collect()
}

/// (authority name, address, locality, organisation name) of a petition.
pub async fn petition_parties(
    db: &Db,
    org_id: i64,
    authority_id: i64,
) -> Result<Option<(String, String, String, String)>, sqlx::Error> {
    let row = sqlx::query(
        "SELECT a.name AS authority_name, a.address, a.locality, o.name AS org_name
         FROM authorities a, organisations o WHERE a.id = $1 AND o.id = $2",
    )
    .bind(authority_id)
    .bind(org_id)
    .fetch_optional(&db.pool)
    .await?;
    row.map(|r| {
        Ok((r.try_get("authority_name")?, r.try_get("address")?, r.try_get("locality")?, r.try_get("org_name")?))
    })
    .transpose()
}

/// Places of the current filter (at most `limit`) with their OSM id and every audit of each.
pub async fn export_rows(
    db: &Db,
    f: &PlaceFilter,
    limit: i64,
) -> Result<Vec<(PlaceRow, String, Vec<AuditRecord>)>, sqlx::Error> {
    let w = filter_where(f);
    let sql = format!("SELECT {ROW_COLS}, osm_id FROM map_places{} ORDER BY id LIMIT {limit}", w.sql());
    let rows = bind_all(sqlx::query(&sql), &w.binds).fetch_all(&db.pool).await?;
    let mut out = Vec::with_capacity(rows.len());
    for r in &rows {
        let row = place_row(r, None)?;
        let records = audit_records(db, row.id).await?;
        out.push((row, r.try_get("osm_id")?, records));
    }
    Ok(out)
}

/// How many places are on the map (the home page's figure).
pub async fn count_places(db: &Db) -> Result<i64, sqlx::Error> {
    sqlx::query("SELECT COUNT(*) AS n FROM map_places").fetch_one(&db.pool).await?.try_get("n")
}

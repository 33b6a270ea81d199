//! Places: the list's search (paged, nearest first when asked), the map's bounding box, one
//! place and its parts, audits, and the derived columns a place keeps.
use super::*;
use crate::map::rules::{AuditRecord, PlaceSummary};
use crate::map::{AuditSummary, PlaceResults, PAGE_SIZE};
use crate::ssr::{now, Db, DbKind};

/// A typed locality (centre of its places) or place name/address (that place) → coordinates.
pub async fn resolve_near(db: &Db, near: &str) -> Result<Option<(f64, f64)>, sqlx::Error> {
    let k = key(near);
    if k.is_empty() {
        return Ok(None);
    }
    let row = sqlx::query(
        "SELECT AVG(lat) AS mid_lat, AVG(lon) AS mid_lon, COUNT(*) AS n FROM map_places WHERE locality_key = $1",
    )
    .bind(&k)
    .fetch_one(&db.pool)
    .await?;
    if row.try_get::<i64, _>("n")? > 0 {
        return Ok(Some((row.try_get("mid_lat")?, row.try_get("mid_lon")?)));
    }
    let like = format!("%{}%", k.replace(['%', '_'], ""));
    let row = sqlx::query("SELECT lat, lon FROM map_places WHERE name_key LIKE $1 ORDER BY id LIMIT 1")
        .bind(like)
        .fetch_optional(&db.pool)
        .await?;
    row.map(|r| Ok((r.try_get("lat")?, r.try_get("lon")?))).transpose()
}

pub async fn search(db: &Db, f: &PlaceFilter) -> Result<PlaceResults, sqlx::Error> {
    let mut origin = f.origin();
    let mut near_not_found = false;
    if origin.is_none() && !f.near.trim().is_empty() {
        origin = resolve_near(db, &f.near).await?;
        near_not_found = origin.is_none();
    }
    let w = filter_where(f);
    let total: i64 = bind_all(sqlx::query(&format!("SELECT COUNT(*) AS n FROM map_places{}", w.sql())), &w.binds)
        .fetch_one(&db.pool)
        .await?
        .try_get("n")?;
    let pages = ((total + PAGE_SIZE - 1) / PAGE_SIZE).max(1);
    let page = f.page.clamp(1, pages);
    let mut binds = w.binds.clone();
    let n = w.next();
    let order = match (f.sort.as_str(), origin) {
        ("distance", Some((lat, lon))) | ("", Some((lat, lon))) => {
            // Equirectangular distance: exact enough to order places inside a region, and plain
            // arithmetic that both databases evaluate alike.
            binds.push(Bind::F(lat));
            binds.push(Bind::F(lon));
            binds.push(Bind::F(lat.to_radians().cos()));
            format!(
                "((lat - ${n}) * (lat - ${n}) + ((lon - ${n1}) * ${n2}) * ((lon - ${n1}) * ${n2})), id",
                n1 = n + 1,
                n2 = n + 2
            )
        }
        ("rating", _) => "rating_rank, name_key, id".into(),
        _ => "name_key, id".into(),
    };
    let by_distance = matches!((f.sort.as_str(), origin), ("distance", Some(_)) | ("", Some(_)));
    let mut items = None;
    if let (true, Some(o)) = (by_distance, origin) {
        items = nearest_in_box(db, &w, &order, &binds, o, page).await?;
    }
    let items = match items {
        Some(items) => items,
        None => {
            let m = binds.len() + 1;
            binds.push(Bind::I(PAGE_SIZE));
            binds.push(Bind::I((page - 1) * PAGE_SIZE));
            let sql =
                format!("SELECT {ROW_COLS} FROM map_places{} ORDER BY {order} LIMIT ${m} OFFSET ${}", w.sql(), m + 1);
            let rows = bind_all(sqlx::query(&sql), &binds).fetch_all(&db.pool).await?;
            rows.iter().map(|r| place_row(r, origin)).collect::<Result<Vec<_>, _>>()?
        }
    };
    let localities = localities(db).await?;
    Ok(PlaceResults { items, total, page, pages, localities, origin, near_not_found })
}

/// The nearest places through this page, looked for in a growing box around the origin (the
/// `(lat, lon)` index narrows the scan), so a "near me" list does not sort every place. The
/// answer is exact: a box is enough only when it holds the whole page and the page's farthest
/// place is nearer than the box's edge. `None` = use the plain query (deep pages, sparse data).
async fn nearest_in_box(
    db: &Db,
    w: &Where,
    order: &str,
    binds: &[Bind],
    (lat, lon): (f64, f64),
    page: i64,
) -> Result<Option<Vec<PlaceRow>>, sqlx::Error> {
    let want = page * PAGE_SIZE;
    if want > 500 {
        return Ok(None);
    }
    let cos = lat.to_radians().cos().max(0.01);
    let mut r = 0.05;
    while r <= 3.2 {
        let mut binds = binds.to_vec();
        let mut parts = w.parts.clone();
        for (col, cmp, v) in
            [("lat", ">=", lat - r), ("lat", "<=", lat + r), ("lon", ">=", lon - r / cos), ("lon", "<=", lon + r / cos)]
        {
            binds.push(Bind::F(v));
            parts.push(format!("{col} {cmp} ${}", binds.len()));
        }
        binds.push(Bind::I(want));
        let sql = format!(
            "SELECT {ROW_COLS} FROM map_places WHERE {} ORDER BY {order} LIMIT ${}",
            parts.join(" AND "),
            binds.len()
        );
        let rows = bind_all(sqlx::query(&sql), &binds).fetch_all(&db.pool).await?;
        if rows.len() as i64 == want {
            let last = &rows[rows.len() - 1];
            let (la, lo): (f64, f64) = (last.try_get("lat")?, last.try_get("lon")?);
            let d = ((la - lat).powi(2) + ((lo - lon) * cos).powi(2)).sqrt();
            if d <= r {
                let skip = ((page - 1) * PAGE_SIZE) as usize;
                let items =
                    rows[skip..].iter().map(|r| place_row(r, Some((lat, lon)))).collect::<Result<Vec<_>, _>>()?;
                return Ok(Some(items));
            }
        }
        r *= 4.0;
    }
    Ok(None)
}

/// The localities offered as suggestions beside the list's locality field: the 30 with the most
/// places (a whole country's would be thousands of options on every page), in alphabetical order.
/// Every list page shows them; they are kept with the rest of the list's answer (ssr::reads).
pub async fn localities(db: &Db) -> Result<Vec<String>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT locality FROM map_places WHERE locality <> '' GROUP BY locality ORDER BY COUNT(*) DESC, locality LIMIT 30",
    )
    .fetch_all(&db.pool)
    .await?;
    let mut list: Vec<String> = rows.iter().filter_map(|r| r.try_get::<String, _>("locality").ok()).collect();
    list.sort_by_key(|l| key(l));
    Ok(list)
}

pub const MAX_POINTS: i64 = 400;

fn round5(x: f64) -> f64 {
    (x * 100_000.0).round() / 100_000.0
}

/// A marker: (id, lat, lon, rating code, name, overdue 0/1).
pub type Point = (i64, f64, f64, &'static str, String, i64);
/// A group of places: (lat, lon, count, accessible count).
pub type Cluster = (f64, f64, i64, i64);

/// The places of a bounding box `(west, south, east, north)`: every one as a point when there are
/// few enough (or the map is zoomed right in), else grid cells about a quarter of a tile wide.
pub async fn bbox(
    db: &Db,
    f: &PlaceFilter,
    b: (f64, f64, f64, f64),
    zoom: i64,
) -> Result<(Vec<Point>, Vec<Cluster>), sqlx::Error> {
    let (w_, s, e, n) = b;
    let mut w = filter_where(f);
    w.push("lat >= ?", Bind::F(s));
    w.push("lat <= ?", Bind::F(n));
    w.push("lon >= ?", Bind::F(w_));
    w.push("lon <= ?", Bind::F(e));
    let count: i64 = bind_all(sqlx::query(&format!("SELECT COUNT(*) AS n FROM map_places{}", w.sql())), &w.binds)
        .fetch_one(&db.pool)
        .await?
        .try_get("n")?;
    if count <= MAX_POINTS || zoom >= 17 {
        let sql = format!(
            "SELECT id, lat, lon, rating, name, overdue_reports FROM map_places{} ORDER BY id LIMIT {}",
            w.sql(),
            MAX_POINTS * 3
        );
        let rows = bind_all(sqlx::query(&sql), &w.binds).fetch_all(&db.pool).await?;
        let points = rows
            .iter()
            .map(|r| {
                let rating = Rating::parse(&r.try_get::<String, _>("rating")?).unwrap_or(Rating::Unknown).code();
                Ok((
                    r.try_get("id")?,
                    round5(r.try_get("lat")?),
                    round5(r.try_get("lon")?),
                    rating,
                    r.try_get("name")?,
                    (r.try_get::<i64, _>("overdue_reports")? > 0) as i64,
                ))
            })
            .collect::<Result<_, sqlx::Error>>()?;
        return Ok((points, vec![]));
    }
    // Cells about a quarter of a 256 px tile wide at this zoom.
    let cell = 360.0 / f64::powi(2.0, zoom.clamp(1, 20) as i32) / 4.0;
    let (cs, cw, cc) = (w.next(), w.next() + 1, w.next() + 2);
    let cellx = match db.kind {
        DbKind::Sqlite => format!("CAST((lat - ${cs}) / ${cc} AS INTEGER), CAST((lon - ${cw}) / ${cc} AS INTEGER)"),
        DbKind::Postgres => {
            format!("CAST(FLOOR((lat - ${cs}) / ${cc}) AS BIGINT), CAST(FLOOR((lon - ${cw}) / ${cc}) AS BIGINT)")
        }
    };
    let sql = format!(
        "SELECT AVG(lat) AS mid_lat, AVG(lon) AS mid_lon, COUNT(*) AS n,
           SUM(CASE WHEN rating = 'yes' THEN 1 ELSE 0 END) AS accessible
         FROM map_places{} GROUP BY {cellx}",
        w.sql()
    );
    let mut binds = w.binds.clone();
    binds.push(Bind::F(s));
    binds.push(Bind::F(w_));
    binds.push(Bind::F(cell));
    let rows = bind_all(sqlx::query(&sql), &binds).fetch_all(&db.pool).await?;
    let clusters = rows
        .iter()
        .map(|r| {
            Ok((
                round5(r.try_get("mid_lat")?),
                round5(r.try_get("mid_lon")?),
                r.try_get::<i64, _>("n")?,
                r.try_get::<i64, _>("accessible").unwrap_or(0),
            ))
        })
        .collect::<Result<_, sqlx::Error>>()?;
    Ok((vec![], clusters))
}

/// (organisation id, authority id) of a place.
pub async fn place_owners(db: &Db, place_id: i64) -> Result<Option<(Option<i64>, Option<i64>)>, sqlx::Error> {
    let row = sqlx::query("SELECT org_id, authority_id FROM map_places WHERE id = $1")
        .bind(place_id)
        .fetch_optional(&db.pool)
        .await?;
    row.map(|r| Ok((r.try_get("org_id")?, r.try_get("authority_id")?))).transpose()
}

/// A place's reports by state: (open, confirmed and still open, overdue on `today`).
pub async fn report_counts(db: &Db, place_id: i64, today: i64) -> Result<(i64, i64, i64), sqlx::Error> {
    let row = sqlx::query(
        "SELECT
           SUM(CASE WHEN state IN ('new','confirmed','sent','answered') THEN 1 ELSE 0 END) AS open_reports,
           SUM(CASE WHEN state IN ('confirmed','sent','answered') THEN 1 ELSE 0 END) AS confirmed_reports,
           SUM(CASE WHEN state = 'sent' AND due_day < $2 THEN 1 ELSE 0 END) AS overdue_reports
         FROM map_reports WHERE place_id = $1",
    )
    .bind(place_id)
    .bind(today)
    .fetch_one(&db.pool)
    .await?;
    // SUM over no rows is NULL.
    let sum = |col: &str| row.try_get::<Option<i64>, _>(col).map(|n| n.unwrap_or(0));
    Ok((sum("open_reports")?, sum("confirmed_reports")?, sum("overdue_reports")?))
}

/// Stores a place's derived columns.
pub async fn store_summary(
    db: &Db,
    place_id: i64,
    s: &PlaceSummary,
    open: i64,
    overdue: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE map_places SET rating = $1, rating_rank = $2, step_free = $3, has_lift = $4, badge_toilet = $5,
           badge_blind = $6, badge_deaf = $7, confidence = $8, verified_day = $9, open_reports = $10,
           overdue_reports = $11, updated_at = $12 WHERE id = $13",
    )
    .bind(s.rating.code())
    .bind(s.rating.rank())
    .bind(s.step_free as i64)
    .bind(s.has_lift as i64)
    .bind(s.badges.toilet as i64)
    .bind(s.badges.blind as i64)
    .bind(s.badges.deaf as i64)
    .bind(s.confidence.code())
    .bind(s.verified_day)
    .bind(open)
    .bind(overdue)
    .bind(now())
    .bind(place_id)
    .execute(&db.pool)
    .await?;
    Ok(())
}

/// Every audit of a place, as stored.
pub async fn audit_records(db: &Db, place_id: i64) -> Result<Vec<AuditRecord>, sqlx::Error> {
    let rows = sqlx::query("SELECT data, checked_day, verified FROM map_audits WHERE place_id = $1")
        .bind(place_id)
        .fetch_all(&db.pool)
        .await?;
    rows.iter()
        .map(|r| {
            Ok(AuditRecord {
                audit: serde_json::from_str(&r.try_get::<String, _>("data")?).unwrap_or_default(),
                checked_day: r.try_get("checked_day")?,
                verified: r.try_get::<i64, _>("verified")? == 1,
            })
        })
        .collect()
}

/// The audits of a place for its page, newest first.
pub async fn audit_summaries(db: &Db, place_id: i64) -> Result<Vec<AuditSummary>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT a.checked_day, a.verified, u.display_name AS by_name
         FROM map_audits a LEFT JOIN users u ON u.id = a.created_by
         WHERE a.place_id = $1 ORDER BY a.checked_day DESC, a.id DESC",
    )
    .bind(place_id)
    .fetch_all(&db.pool)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(AuditSummary {
                checked_day: r.try_get("checked_day")?,
                verified: r.try_get::<i64, _>("verified")? == 1,
                by: crate::accounts::rules::Signer::from_column(r.try_get("by_name")?),
            })
        })
        .collect()
}

pub async fn insert_audit(
    db: &Db,
    place_id: i64,
    a: &crate::map::Audit,
    checked_day: i64,
    verified: bool,
    by: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO map_audits (place_id, data, checked_day, verified, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(place_id)
    .bind(serde_json::to_string(a).unwrap_or_default())
    .bind(checked_day)
    .bind(verified as i64)
    .bind(by)
    .bind(now())
    .execute(&db.pool)
    .await?;
    Ok(())
}

#[derive(Clone, Debug, Default)]
pub struct NewPlace {
    pub name: String,
    pub category: String,
    pub address: String,
    pub locality: String,
    pub county: String,
    pub lat: f64,
    pub lon: f64,
    pub contact: String,
    pub osm_id: String,
    pub authority_id: Option<i64>,
    pub org_id: Option<i64>,
}

pub async fn insert_place<'e, E>(ex: E, p: &NewPlace, by: Option<i64>, is_demo: bool) -> Result<i64, sqlx::Error>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    let now = now();
    sqlx::query_scalar::<_, i64>(
        "INSERT INTO map_places (name, category, address, locality, county, lat, lon, authority_id, org_id, contact, osm_id,
            name_key, locality_key, is_demo, created_by, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $16) RETURNING id",
    )
    .bind(&p.name)
    .bind(&p.category)
    .bind(&p.address)
    .bind(&p.locality)
    .bind(&p.county)
    .bind(p.lat)
    .bind(p.lon)
    .bind(p.authority_id)
    .bind(p.org_id)
    .bind(&p.contact)
    .bind(&p.osm_id)
    .bind(key(&p.name))
    .bind(key(&p.locality))
    .bind(is_demo as i64)
    .bind(by)
    .bind(now)
    .fetch_one(ex)
    .await
}

/// The authority of a locality that answers for a category (city hall by default), by name match.
pub async fn default_authority(db: &Db, locality: &str, category: &str) -> Result<Option<i64>, sqlx::Error> {
    let kind = match category {
        "county_council" => "county_council",
        "prefecture" => "prefecture",
        _ => "city_hall",
    };
    sqlx::query_scalar::<_, i64>("SELECT id FROM authorities WHERE kind = $1 AND locality = $2 ORDER BY id LIMIT 1")
        .bind(kind)
        .bind(locality)
        .fetch_optional(&db.pool)
        .await
}

/// A place's own columns: its row and what its page adds to it.
pub struct PlaceRecord {
    pub row: PlaceRow,
    pub county: String,
    pub contact: String,
    pub osm_id: String,
    pub org_id: Option<i64>,
    pub authority_id: Option<i64>,
}

pub async fn place_record(db: &Db, id: i64) -> Result<Option<PlaceRecord>, sqlx::Error> {
    let r = sqlx::query(&format!(
        "SELECT {ROW_COLS}, county, contact, osm_id, org_id, authority_id FROM map_places WHERE id = $1"
    ))
    .bind(id)
    .fetch_optional(&db.pool)
    .await?;
    r.map(|r| {
        Ok(PlaceRecord {
            row: place_row(&r, None)?,
            county: r.try_get("county")?,
            contact: r.try_get("contact")?,
            osm_id: r.try_get("osm_id")?,
            org_id: r.try_get("org_id")?,
            authority_id: r.try_get("authority_id")?,
        })
    })
    .transpose()
}

/// (slug, name) of an authority.
pub async fn authority_ref(db: &Db, id: i64) -> Result<Option<(String, String)>, sqlx::Error> {
    let r = sqlx::query("SELECT slug, name FROM authorities WHERE id = $1").bind(id).fetch_optional(&db.pool).await?;
    r.map(|r| Ok((r.try_get("slug")?, r.try_get("name")?))).transpose()
}

/// (slug, name) of an organisation.
pub async fn org_ref(db: &Db, id: i64) -> Result<Option<(String, String)>, sqlx::Error> {
    let r = sqlx::query("SELECT slug, name FROM organisations WHERE id = $1").bind(id).fetch_optional(&db.pool).await?;
    r.map(|r| Ok((r.try_get("slug")?, r.try_get("name")?))).transpose()
}

/// The newest photos of a place (of its reports and their steps too).
pub async fn photos_of_place(db: &Db, place_id: i64) -> Result<Vec<Photo>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT key_full, key_thumb, alt, width, height FROM map_photos WHERE place_id = $1 ORDER BY id DESC LIMIT 12",
    )
    .bind(place_id)
    .fetch_all(&db.pool)
    .await?;
    rows.iter().map(photo).collect()
}

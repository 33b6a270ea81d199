//! Every SQL statement of the map (server only). Places carry their derived rating, badges and
//! report counts, recomputed by `refresh_place` whenever an audit or a report changes, so the list
//! and the map read one table with plain indexed filters.
use super::rules::{self, Audit, AuditRecord, Rating, ReportState};
use super::*;
use crate::accounts::SessionUser;
use crate::ssr::{now, Db, DbKind};
use crate::types::fold_diacritics;
use sqlx::any::AnyRow;
use sqlx::Row;

pub fn key(s: &str) -> String {
    fold_diacritics(s).to_lowercase().split_whitespace().collect::<Vec<_>>().join(" ")
}

#[derive(Clone, Debug)]
enum Bind {
    S(String),
    I(i64),
    F(f64),
}

/// A WHERE clause built from a filter, with its values bound in order.
#[derive(Default)]
struct Where {
    parts: Vec<String>,
    binds: Vec<Bind>,
}

impl Where {
    fn push(&mut self, sql: &str, b: Bind) {
        self.binds.push(b);
        self.parts.push(sql.replace('?', &format!("${}", self.binds.len())));
    }
    fn next(&self) -> usize {
        self.binds.len() + 1
    }
    fn sql(&self) -> String {
        if self.parts.is_empty() {
            String::new()
        } else {
            format!(" WHERE {}", self.parts.join(" AND "))
        }
    }
}

fn bind_all<'q>(
    mut q: sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>>,
    binds: &[Bind],
) -> sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>> {
    for b in binds {
        q = match b {
            Bind::S(s) => q.bind(s.clone()),
            Bind::I(i) => q.bind(*i),
            Bind::F(f) => q.bind(*f),
        };
    }
    q
}

fn filter_where(f: &PlaceFilter) -> Where {
    let mut w = Where::default();
    if rules::CATEGORIES.contains(&f.category.as_str()) {
        w.push("category = ?", Bind::S(f.category.clone()));
    }
    if !f.locality.trim().is_empty() {
        w.push("locality_key = ?", Bind::S(key(&f.locality)));
    }
    if Rating::parse(&f.rating).is_some() {
        w.push("rating = ?", Bind::S(f.rating.clone()));
    }
    let q = key(&f.q);
    if !q.is_empty() {
        let like = format!("%{}%", q.replace(['%', '_'], ""));
        w.push("name_key LIKE ?", Bind::S(like));
    }
    for (need, col) in [
        ("step_free", "step_free"),
        ("toilet", "badge_toilet"),
        ("lift", "has_lift"),
        ("blind", "badge_blind"),
        ("deaf", "badge_deaf"),
    ] {
        if f.has_need(need) {
            w.parts.push(format!("{col} = 1"));
        }
    }
    if f.reports {
        w.parts.push("open_reports > 0".into());
    }
    w
}

const ROW_COLS: &str =
    "id, name, category, address, locality, lat, lon, rating, badge_toilet, badge_blind, badge_deaf, \
                        confidence, verified_day, open_reports, overdue_reports";

fn place_row(r: &AnyRow, origin: Option<(f64, f64)>) -> Result<PlaceRow, sqlx::Error> {
    let lat: f64 = r.try_get("lat")?;
    let lon: f64 = r.try_get("lon")?;
    Ok(PlaceRow {
        id: r.try_get("id")?,
        name: r.try_get("name")?,
        category: r.try_get("category")?,
        address: r.try_get("address")?,
        locality: r.try_get("locality")?,
        lat,
        lon,
        rating: Rating::parse(&r.try_get::<String, _>("rating")?).unwrap_or(Rating::Unknown),
        badges: rules::Badges {
            toilet: r.try_get::<i64, _>("badge_toilet")? == 1,
            blind: r.try_get::<i64, _>("badge_blind")? == 1,
            deaf: r.try_get::<i64, _>("badge_deaf")? == 1,
        },
        confidence: Confidence::parse(&r.try_get::<String, _>("confidence")?),
        verified_day: r.try_get("verified_day")?,
        open_reports: r.try_get("open_reports")?,
        overdue_reports: r.try_get("overdue_reports")?,
        distance_m: origin.map(|(a, b)| rules::distance_m(a, b, lat, lon)),
    })
}

/// A typed locality (centre of its places) or place name/address (that place) → coordinates.
pub async fn resolve_near(db: &Db, near: &str) -> Result<Option<(f64, f64)>, sqlx::Error> {
    let k = key(near);
    if k.is_empty() {
        return Ok(None);
    }
    let row = sqlx::query("SELECT AVG(lat), AVG(lon), COUNT(*) FROM map_places WHERE locality_key = $1")
        .bind(&k)
        .fetch_one(&db.pool)
        .await?;
    if row.try_get::<i64, _>(2)? > 0 {
        return Ok(Some((row.try_get(0)?, row.try_get(1)?)));
    }
    let like = format!("%{}%", k.replace(['%', '_'], ""));
    let row = sqlx::query("SELECT lat, lon FROM map_places WHERE name_key LIKE $1 ORDER BY id LIMIT 1")
        .bind(like)
        .fetch_optional(&db.pool)
        .await?;
    Ok(row.map(|r| (r.get(0), r.get(1))))
}

pub async fn search(db: &Db, f: &PlaceFilter) -> Result<PlaceResults, sqlx::Error> {
    let mut origin = f.origin();
    let mut near_not_found = false;
    if origin.is_none() && !f.near.trim().is_empty() {
        origin = resolve_near(db, &f.near).await?;
        near_not_found = origin.is_none();
    }
    let w = filter_where(f);
    let total: i64 = bind_all(sqlx::query(&format!("SELECT COUNT(*) FROM map_places{}", w.sql())), &w.binds)
        .fetch_one(&db.pool)
        .await?
        .try_get(0)?;
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
    let mut list: Vec<String> = rows.iter().filter_map(|r| r.try_get::<String, _>(0).ok()).collect();
    list.sort_by_key(|l| key(l));
    Ok(list)
}

pub use rules::MapData;

pub const MAX_POINTS: i64 = 400;

fn round5(x: f64) -> f64 {
    (x * 100_000.0).round() / 100_000.0
}

pub async fn bbox(db: &Db, f: &PlaceFilter, b: (f64, f64, f64, f64), zoom: i64) -> Result<MapData, sqlx::Error> {
    let (w_, s, e, n) = b;
    let mut w = filter_where(f);
    w.push("lat >= ?", Bind::F(s));
    w.push("lat <= ?", Bind::F(n));
    w.push("lon >= ?", Bind::F(w_));
    w.push("lon <= ?", Bind::F(e));
    let count: i64 = bind_all(sqlx::query(&format!("SELECT COUNT(*) FROM map_places{}", w.sql())), &w.binds)
        .fetch_one(&db.pool)
        .await?
        .try_get(0)?;
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
                let rating = Rating::parse(&r.get::<String, _>(3)).unwrap_or(Rating::Unknown).code();
                (r.get(0), round5(r.get(1)), round5(r.get(2)), rating, r.get(4), (r.get::<i64, _>(5) > 0) as i64)
            })
            .collect();
        return Ok(rules::declutter(points, vec![], zoom));
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
        "SELECT AVG(lat), AVG(lon), COUNT(*), SUM(CASE WHEN rating = 'yes' THEN 1 ELSE 0 END) FROM map_places{} GROUP BY {cellx}",
        w.sql()
    );
    let mut binds = w.binds.clone();
    binds.push(Bind::F(s));
    binds.push(Bind::F(w_));
    binds.push(Bind::F(cell));
    let rows = bind_all(sqlx::query(&sql), &binds).fetch_all(&db.pool).await?;
    let clusters = rows
        .iter()
        .map(|r| (round5(r.get(0)), round5(r.get(1)), r.get::<i64, _>(2), r.try_get::<i64, _>(3).unwrap_or(0)))
        .collect();
    Ok(rules::declutter(vec![], clusters, zoom))
}

/// (organisation id, authority id) of a place.
pub async fn place_owners(db: &Db, place_id: i64) -> Result<Option<(Option<i64>, Option<i64>)>, sqlx::Error> {
    let row = sqlx::query("SELECT org_id, authority_id FROM map_places WHERE id = $1")
        .bind(place_id)
        .fetch_optional(&db.pool)
        .await?;
    Ok(row.map(|r| (r.get(0), r.get(1))))
}

/// Recomputes a place's derived columns from its audits and reports.
pub async fn refresh_place(db: &Db, place_id: i64, today: i64) -> Result<(), sqlx::Error> {
    let records = audit_records(db, place_id).await?;
    let row = sqlx::query(
        "SELECT
           SUM(CASE WHEN state IN ('new','confirmed','sent','answered') THEN 1 ELSE 0 END),
           SUM(CASE WHEN state IN ('confirmed','sent','answered') THEN 1 ELSE 0 END),
           SUM(CASE WHEN state = 'sent' AND due_day < $2 THEN 1 ELSE 0 END)
         FROM map_reports WHERE place_id = $1",
    )
    .bind(place_id)
    .bind(today)
    .fetch_one(&db.pool)
    .await?;
    let open: i64 = row.try_get::<Option<i64>, _>(0)?.unwrap_or(0);
    let confirmed: i64 = row.try_get::<Option<i64>, _>(1)?.unwrap_or(0);
    let overdue: i64 = row.try_get::<Option<i64>, _>(2)?.unwrap_or(0);
    let c = rules::combine(&records, confirmed, today);
    let (rating, _) = rules::rate(&c.audit);
    let b = rules::badges(&c.audit);
    let a = &c.audit;
    let step_free = a.step_free == Some(true)
        || a.steps == Some(0)
        || (a.ramp == Some(true)
            && a.ramp_removable != Some(true)
            && a.ramp_slope_pct.is_some_and(|s| s <= rules::RAMP_OK_PCT));
    sqlx::query(
        "UPDATE map_places SET rating = $1, rating_rank = $2, step_free = $3, has_lift = $4, badge_toilet = $5,
           badge_blind = $6, badge_deaf = $7, confidence = $8, verified_day = $9, open_reports = $10,
           overdue_reports = $11, updated_at = $12 WHERE id = $13",
    )
    .bind(rating.code())
    .bind(rating.rank())
    .bind(step_free as i64)
    .bind((a.lift == Some(true)) as i64)
    .bind(b.toilet as i64)
    .bind(b.blind as i64)
    .bind(b.deaf as i64)
    .bind(c.confidence.code())
    .bind(c.verified_day)
    .bind(open)
    .bind(overdue)
    .bind(now())
    .bind(place_id)
    .execute(&db.pool)
    .await?;
    Ok(())
}

async fn audit_records(db: &Db, place_id: i64) -> Result<Vec<AuditRecord>, sqlx::Error> {
    let rows = sqlx::query("SELECT data, checked_day, verified FROM map_audits WHERE place_id = $1")
        .bind(place_id)
        .fetch_all(&db.pool)
        .await?;
    Ok(rows
        .iter()
        .map(|r| AuditRecord {
            audit: serde_json::from_str(&r.get::<String, _>(0)).unwrap_or_default(),
            checked_day: r.get(1),
            verified: r.get::<i64, _>(2) == 1,
        })
        .collect())
}

pub async fn insert_audit(
    db: &Db,
    place_id: i64,
    a: &Audit,
    checked_day: i64,
    verified: bool,
    by: i64,
    today: i64,
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
    refresh_place(db, place_id, today).await
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
    let id: i64 = sqlx::query(
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
    .await?
    .try_get(0)?;
    Ok(id)
}

/// The authority of a locality that answers for a category (city hall by default), by name match.
pub async fn default_authority(db: &Db, locality: &str, category: &str) -> Result<Option<i64>, sqlx::Error> {
    let kind = match category {
        "county_council" => "county_council",
        "prefecture" => "prefecture",
        _ => "city_hall",
    };
    let row = sqlx::query("SELECT id FROM authorities WHERE kind = $1 AND locality = $2 ORDER BY id LIMIT 1")
        .bind(kind)
        .bind(locality)
        .fetch_optional(&db.pool)
        .await?;
    Ok(row.map(|r| r.get(0)))
}

fn photo(r: &AnyRow) -> Photo {
    Photo {
        full: format!("/media/{}", r.get::<String, _>("key_full")),
        thumb: format!("/media/{}", r.get::<String, _>("key_thumb")),
        alt: r.get("alt"),
        width: r.get("width"),
        height: r.get("height"),
    }
}

pub async fn detail(
    db: &Db,
    id: i64,
    me: Option<&SessionUser>,
    today: i64,
) -> Result<Option<PlaceDetail>, sqlx::Error> {
    let Some(r) = sqlx::query(&format!(
        "SELECT {ROW_COLS}, county, contact, osm_id, org_id, authority_id FROM map_places WHERE id = $1"
    ))
    .bind(id)
    .fetch_optional(&db.pool)
    .await?
    else {
        return Ok(None);
    };
    let row = place_row(&r, None)?;
    let org_id: Option<i64> = r.try_get("org_id")?;
    let authority_id: Option<i64> = r.try_get("authority_id")?;
    let authority = match authority_id {
        Some(a) => sqlx::query("SELECT slug, name FROM authorities WHERE id = $1")
            .bind(a)
            .fetch_optional(&db.pool)
            .await?
            .map(|r| (r.get(0), r.get(1))),
        None => None,
    };
    let org = match org_id {
        Some(o) => sqlx::query("SELECT slug, name FROM organisations WHERE id = $1")
            .bind(o)
            .fetch_optional(&db.pool)
            .await?
            .map(|r| (r.get(0), r.get(1))),
        None => None,
    };
    let records = audit_records(db, id).await?;
    let confirmed = 0; // confidence and rating already stored; reasons come from the combined audit
    let combined = rules::combine(&records, confirmed, today);
    let (_, reasons) = rules::rate(&combined.audit);
    let audits = sqlx::query(
        "SELECT a.checked_day, a.verified, COALESCE(u.display_name, '') FROM map_audits a LEFT JOIN users u ON u.id = a.created_by
         WHERE a.place_id = $1 ORDER BY a.checked_day DESC, a.id DESC",
    )
    .bind(id)
    .fetch_all(&db.pool)
    .await?
    .iter()
    .map(|r| AuditSummary { checked_day: r.get(0), verified: r.get::<i64, _>(1) == 1, by: r.get(2) })
    .collect();
    let report_ids: Vec<i64> =
        sqlx::query("SELECT id FROM map_reports WHERE place_id = $1 ORDER BY created_at DESC, id DESC")
            .bind(id)
            .fetch_all(&db.pool)
            .await?
            .iter()
            .map(|r| r.get(0))
            .collect();
    let mut reports = vec![];
    for rid in report_ids {
        if let Some(rv) = report(db, rid, me, today).await? {
            reports.push(rv);
        }
    }
    let photos = sqlx::query(
        "SELECT key_full, key_thumb, alt, width, height FROM map_photos WHERE place_id = $1 ORDER BY id DESC LIMIT 12",
    )
    .bind(id)
    .fetch_all(&db.pool)
    .await?
    .iter()
    .map(photo)
    .collect();
    let who = actor_for(me, org_id, authority_id, None);
    Ok(Some(PlaceDetail {
        row,
        county: r.try_get("county")?,
        contact: r.try_get("contact")?,
        osm_id: r.try_get("osm_id")?,
        authority,
        org,
        audit: combined.audit,
        reasons,
        audits,
        reports,
        photos,
        signed_in: me.is_some(),
        can_verify: who.moderator || who.org,
    }))
}

pub struct Facts {
    pub place_id: i64,
    pub state: ReportState,
    pub extended: bool,
    pub org_id: Option<i64>,
    pub authority_id: Option<i64>,
    pub reporter_id: Option<i64>,
}

pub async fn report_facts(db: &Db, id: i64) -> Result<Option<Facts>, sqlx::Error> {
    let row = sqlx::query(
        "SELECT r.place_id, r.state, r.extended, p.org_id, p.authority_id, r.reporter_id
         FROM map_reports r JOIN map_places p ON p.id = r.place_id WHERE r.id = $1",
    )
    .bind(id)
    .fetch_optional(&db.pool)
    .await?;
    Ok(row.map(|r| Facts {
        place_id: r.get(0),
        state: ReportState::parse(&r.get::<String, _>(1)).unwrap_or(ReportState::New),
        extended: r.get::<i64, _>(2) == 1,
        org_id: r.get(3),
        authority_id: r.get(4),
        reporter_id: r.get(5),
    }))
}

pub async fn report(db: &Db, id: i64, me: Option<&SessionUser>, today: i64) -> Result<Option<ReportView>, sqlx::Error> {
    let Some(r) = sqlx::query(
        "SELECT r.id, r.place_id, p.name, r.problem, r.description, r.state, COALESCE(u.display_name, ''), r.created_at,
                r.registration_no, r.registered_day, r.due_day, r.extended, p.org_id, p.authority_id, r.reporter_id
         FROM map_reports r JOIN map_places p ON p.id = r.place_id LEFT JOIN users u ON u.id = r.reporter_id
         WHERE r.id = $1",
    )
    .bind(id)
    .fetch_optional(&db.pool)
    .await?
    else {
        return Ok(None);
    };
    let state = ReportState::parse(&r.get::<String, _>(5)).unwrap_or(ReportState::New);
    let due_day: Option<i64> = r.get(10);
    let extended = r.get::<i64, _>(11) == 1;
    let who = actor_for(me, r.get(12), r.get(13), r.get(14));
    let photos_rows = sqlx::query(
        "SELECT key_full, key_thumb, alt, width, height, event_id FROM map_photos WHERE report_id = $1 ORDER BY id",
    )
    .bind(id)
    .fetch_all(&db.pool)
    .await?;
    let events = sqlx::query(
        "SELECT e.id, e.action, e.to_state, COALESCE(u.display_name, ''), e.actor_role, e.comment, e.created_at
         FROM map_report_events e LEFT JOIN users u ON u.id = e.actor_id WHERE e.report_id = $1 ORDER BY e.created_at, e.id",
    )
    .bind(id)
    .fetch_all(&db.pool)
    .await?;
    let timeline = events
        .iter()
        .map(|e| {
            let eid: i64 = e.get(0);
            TimelineEntry {
                action: e.get(1),
                to_state: ReportState::parse(&e.get::<String, _>(2)).unwrap_or(ReportState::New),
                actor_name: e.get(3),
                actor_role: e.get(4),
                comment: e.get(5),
                at: e.get(6),
                photos: photos_rows.iter().filter(|p| p.get::<Option<i64>, _>(5) == Some(eid)).map(photo).collect(),
            }
        })
        .collect();
    Ok(Some(ReportView {
        id,
        place_id: r.get(1),
        place_name: r.get(2),
        problem: r.get(3),
        description: r.get(4),
        state,
        reporter_name: r.get(6),
        created_at: r.get(7),
        registration_no: r.get(8),
        registered_day: r.get(9),
        due_day,
        extended,
        overdue: rules::is_overdue(state, due_day, today),
        photos: photos_rows.iter().filter(|p| p.get::<Option<i64>, _>(5).is_none()).map(photo).collect(),
        timeline,
        actions: if me.is_some() { rules::available_actions(state, who, extended) } else { vec![] },
    }))
}

/// Reports on the places an organisation owns (for its profile page).
pub async fn org_reports(db: &Db, org_id: i64, today: i64) -> Result<Vec<ReportView>, sqlx::Error> {
    let ids: Vec<i64> = sqlx::query(
        "SELECT r.id FROM map_reports r JOIN map_places p ON p.id = r.place_id WHERE p.org_id = $1
         ORDER BY r.updated_at DESC, r.id DESC LIMIT 20",
    )
    .bind(org_id)
    .fetch_all(&db.pool)
    .await?
    .iter()
    .map(|r| r.get(0))
    .collect();
    let mut out = vec![];
    for id in ids {
        if let Some(r) = report(db, id, None, today).await? {
            out.push(r);
        }
    }
    Ok(out)
}

pub async fn insert_report(
    db: &Db,
    place_id: i64,
    problem: &str,
    description: &str,
    reporter: i64,
    photos: &[handlers::StoredPhoto],
) -> Result<i64, sqlx::Error> {
    let now = now();
    let mut tx = db.pool.begin().await?;
    let id: i64 = sqlx::query(
        "INSERT INTO map_reports (place_id, problem, description, state, reporter_id, created_at, updated_at)
         VALUES ($1, $2, $3, 'new', $4, $5, $5) RETURNING id",
    )
    .bind(place_id)
    .bind(problem)
    .bind(description)
    .bind(reporter)
    .bind(now)
    .fetch_one(&mut *tx)
    .await?
    .try_get(0)?;
    sqlx::query(
        "INSERT INTO map_report_events (report_id, actor_id, actor_role, action, to_state, comment, created_at)
         VALUES ($1, $2, 'reporter', 'created', 'new', '', $3)",
    )
    .bind(id)
    .bind(reporter)
    .bind(now)
    .execute(&mut *tx)
    .await?;
    for p in photos {
        insert_photo(&mut tx, place_id, Some(id), None, p, reporter).await?;
    }
    tx.commit().await?;
    Ok(id)
}

async fn insert_photo(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    place_id: i64,
    report_id: Option<i64>,
    event_id: Option<i64>,
    p: &handlers::StoredPhoto,
    by: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO map_photos (place_id, report_id, event_id, key_full, key_thumb, alt, width, height, created_by, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(place_id)
    .bind(report_id)
    .bind(event_id)
    .bind(&p.key_full)
    .bind(&p.key_thumb)
    .bind(&p.alt)
    .bind(p.width)
    .bind(p.height)
    .bind(by)
    .bind(now())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

pub struct StateChange {
    pub report_id: i64,
    pub place_id: i64,
    pub actor_id: i64,
    pub role: &'static str,
    pub action: Action,
    pub next: ReportState,
    pub comment: String,
    /// Registration number and day when the petition was filed.
    pub send: Option<(String, i64)>,
    pub extend: bool,
    pub photos: Vec<handlers::StoredPhoto>,
}

pub async fn apply_change(db: &Db, c: &StateChange) -> Result<(), sqlx::Error> {
    let now = now();
    let mut tx = db.pool.begin().await?;
    sqlx::query("UPDATE map_reports SET state = $1, updated_at = $2 WHERE id = $3")
        .bind(c.next.code())
        .bind(now)
        .bind(c.report_id)
        .execute(&mut *tx)
        .await?;
    if let Some((no, day)) = &c.send {
        sqlx::query(
            "UPDATE map_reports SET registration_no = $1, registered_day = $2, due_day = $3, extended = 0, overdue_notified = 0 WHERE id = $4",
        )
        .bind(no)
        .bind(*day)
        .bind(rules::answer_due(*day, false))
        .bind(c.report_id)
        .execute(&mut *tx)
        .await?;
    }
    if c.extend {
        let reg: Option<i64> = sqlx::query("SELECT registered_day FROM map_reports WHERE id = $1")
            .bind(c.report_id)
            .fetch_one(&mut *tx)
            .await?
            .try_get(0)?;
        if let Some(reg) = reg {
            sqlx::query("UPDATE map_reports SET extended = 1, due_day = $1, overdue_notified = 0 WHERE id = $2")
                .bind(rules::answer_due(reg, true))
                .bind(c.report_id)
                .execute(&mut *tx)
                .await?;
        }
    }
    let event_id: i64 = sqlx::query(
        "INSERT INTO map_report_events (report_id, actor_id, actor_role, action, to_state, comment, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
    )
    .bind(c.report_id)
    .bind(c.actor_id)
    .bind(c.role)
    .bind(c.action.code())
    .bind(c.next.code())
    .bind(&c.comment)
    .bind(now)
    .fetch_one(&mut *tx)
    .await?
    .try_get(0)?;
    for p in &c.photos {
        insert_photo(&mut tx, c.place_id, Some(c.report_id), Some(event_id), p, c.actor_id).await?;
    }
    tx.commit().await?;
    Ok(())
}

pub struct Overdue {
    pub report_id: i64,
    pub place_id: i64,
    pub place_name: String,
    pub registration_no: String,
    pub due_day: i64,
    pub org_email: String,
}

/// Reports past their due day, still unanswered, whose organisation has not been told yet.
/// The mail goes to the organisation's contact address, else to its first admin.
pub async fn newly_overdue(db: &Db, today: i64) -> Result<Vec<Overdue>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT r.id, r.place_id, p.name, r.registration_no, r.due_day,
                COALESCE(NULLIF(o.contact_email, ''),
                  (SELECT u.email FROM roles ro JOIN users u ON u.id = ro.user_id
                    WHERE ro.role = 'org_admin' AND ro.scope_id = p.org_id ORDER BY ro.id LIMIT 1), '')
         FROM map_reports r JOIN map_places p ON p.id = r.place_id LEFT JOIN organisations o ON o.id = p.org_id
         WHERE r.state = 'sent' AND r.due_day < $1 AND r.overdue_notified = 0",
    )
    .bind(today)
    .fetch_all(&db.pool)
    .await?;
    Ok(rows
        .iter()
        .map(|r| Overdue {
            report_id: r.get(0),
            place_id: r.get(1),
            place_name: r.get(2),
            registration_no: r.get(3),
            due_day: r.get(4),
            org_email: r.get(5),
        })
        .collect())
}

pub async fn mark_overdue_notified(db: &Db, report_id: i64) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE map_reports SET overdue_notified = 1 WHERE id = $1").bind(report_id).execute(&db.pool).await?;
    Ok(())
}

pub async fn stats(db: &Db, today: i64) -> Result<Stats, sqlx::Error> {
    let idx = |code: &str| Rating::parse(code).map(|r| r.rank() as usize).unwrap_or(3);
    let mut s = Stats::default();
    let rows =
        sqlx::query("SELECT rating, category, locality, COUNT(*) FROM map_places GROUP BY rating, category, locality")
            .fetch_all(&db.pool)
            .await?;
    let mut by_rating = [0i64; 4];
    let mut cats: std::collections::BTreeMap<String, [i64; 4]> = Default::default();
    let mut locs: std::collections::BTreeMap<String, [i64; 4]> = Default::default();
    for r in &rows {
        let (rating, cat, loc, n): (String, String, String, i64) = (r.get(0), r.get(1), r.get(2), r.get(3));
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
    let rows = sqlx::query("SELECT state, COUNT(*) FROM map_reports GROUP BY state").fetch_all(&db.pool).await?;
    s.reports = ReportState::ALL
        .iter()
        .map(|st| {
            let n = rows.iter().find(|r| r.get::<String, _>(0) == st.code()).map(|r| r.get::<i64, _>(1)).unwrap_or(0);
            (st.code().to_string(), n)
        })
        .collect();
    s.overdue = sqlx::query("SELECT COUNT(*) FROM map_reports WHERE state = 'sent' AND due_day < $1")
        .bind(today)
        .fetch_one(&db.pool)
        .await?
        .try_get(0)?;
    Ok(s)
}

/// (organisation id, organisation name, authority id, authority name, confirmed reports) the person
/// can petition: their organisations' places with confirmed problems, grouped by authority.
pub async fn petition_targets(db: &Db, me: &SessionUser) -> Result<Vec<PetitionTarget>, sqlx::Error> {
    use crate::accounts::rules::RoleKind;
    let rows = sqlx::query(
        "SELECT o.id, o.name, a.id, a.name, COUNT(r.id)
         FROM map_reports r JOIN map_places p ON p.id = r.place_id
         JOIN organisations o ON o.id = p.org_id JOIN authorities a ON a.id = p.authority_id
         WHERE r.state = 'confirmed' GROUP BY o.id, o.name, a.id, a.name ORDER BY o.name, a.name",
    )
    .fetch_all(&db.pool)
    .await?;
    Ok(rows
        .iter()
        .map(|r| PetitionTarget {
            org_id: r.get(0),
            org_name: r.get(1),
            authority_id: r.get(2),
            authority_name: r.get(3),
            reports: r.get(4),
        })
        .filter(|t| {
            me.is_admin() || me.has_scoped(RoleKind::OrgAdmin, t.org_id) || me.has_scoped(RoleKind::OrgMember, t.org_id)
        })
        .collect())
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
        "SELECT r.id, p.name, p.address || CASE WHEN p.locality = '' THEN '' ELSE ', ' || p.locality END, r.problem, r.description
         FROM map_reports r JOIN map_places p ON p.id = r.place_id
         WHERE p.org_id = $1 AND p.authority_id = $2 AND r.state = 'confirmed' ORDER BY p.name, r.id",
    )
    .bind(org_id)
    .bind(authority_id)
    .fetch_all(&db.pool)
    .await?;
    Ok(rows
        .iter()
        .map(|r| PetitionItem {
            report_id: r.get(0),
            place: r.get(1),
            address: r.get(2),
            problem: r.get(3),
            description: r.get(4),
        })
        .collect())
}

/// (name, address, locality, county, website) of an authority and the organisation's name.
pub async fn petition_parties(
    db: &Db,
    org_id: i64,
    authority_id: i64,
) -> Result<Option<(String, String, String, String)>, sqlx::Error> {
    let row = sqlx::query(
        "SELECT a.name, a.address, a.locality, o.name FROM authorities a, organisations o WHERE a.id = $1 AND o.id = $2",
    )
    .bind(authority_id)
    .bind(org_id)
    .fetch_optional(&db.pool)
    .await?;
    Ok(row.map(|r| (r.get(0), r.get(1), r.get(2), r.get(3))))
}

/// Places of the current filter with their combined audit, for the exports.
pub async fn export_rows(db: &Db, f: &PlaceFilter, limit: i64) -> Result<Vec<(PlaceRow, String, Audit)>, sqlx::Error> {
    let w = filter_where(f);
    let sql = format!("SELECT {ROW_COLS}, osm_id FROM map_places{} ORDER BY id LIMIT {limit}", w.sql());
    let rows = bind_all(sqlx::query(&sql), &w.binds).fetch_all(&db.pool).await?;
    let mut out = Vec::with_capacity(rows.len());
    let today = super::today();
    for r in &rows {
        let row = place_row(r, None)?;
        let combined = rules::combine(&audit_records(db, row.id).await?, 0, today);
        out.push((row, r.try_get("osm_id")?, combined.audit));
    }
    Ok(out)
}

/// The organisation a platform admin assigned to a locality: it receives the reports of places
/// residents add there. An assignment, never inferred (an organisation importing many places in
/// a town must not take over its reports); none means moderators handle them.
pub async fn locality_org(db: &Db, locality: &str) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query_scalar::<_, i64>(
        "SELECT l.org_id FROM map_locality_owners l JOIN organisations o ON o.id = l.org_id
         WHERE l.locality_key = $1 AND o.status = 'active'",
    )
    .bind(key(locality))
    .fetch_optional(&db.pool)
    .await
}

/// Every assignment: (locality as typed, organisation id, organisation name).
pub async fn locality_owners(db: &Db) -> Result<Vec<super::LocalityOwner>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT l.locality, l.locality_key, l.org_id, o.name AS org_name, l.assigned_at
         FROM map_locality_owners l JOIN organisations o ON o.id = l.org_id ORDER BY l.locality_key",
    )
    .fetch_all(&db.pool)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(super::LocalityOwner {
                locality: r.try_get("locality")?,
                locality_key: r.try_get("locality_key")?,
                org_id: r.try_get("org_id")?,
                org_name: r.try_get("org_name")?,
                assigned_at: r.try_get("assigned_at")?,
            })
        })
        .collect()
}

pub async fn assign_locality(db: &Db, locality: &str, org_id: i64, by: i64) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO map_locality_owners (locality_key, locality, org_id, assigned_by, assigned_at) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (locality_key) DO UPDATE SET locality = excluded.locality, org_id = excluded.org_id,
           assigned_by = excluded.assigned_by, assigned_at = excluded.assigned_at",
    )
    .bind(key(locality))
    .bind(locality)
    .bind(org_id)
    .bind(by)
    .bind(now())
    .execute(&db.pool)
    .await?;
    Ok(())
}

pub async fn unassign_locality(db: &Db, locality_key: &str) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM map_locality_owners WHERE locality_key = $1").bind(locality_key).execute(&db.pool).await?;
    Ok(())
}

/// Writes imported rows in one transaction: all or nothing.
/// Writes the rows of an uploaded file and deletes the upload in the same transaction, so a file is
/// imported whole and once (a second confirmation finds no upload: `RowNotFound`).
pub async fn import(
    db: &Db,
    rows: &[super::import::ImportRow],
    org_id: i64,
    by: i64,
    token: &str,
) -> Result<i64, sqlx::Error> {
    let mut tx = db.pool.begin().await?;
    let gone = sqlx::query("DELETE FROM map_imports WHERE token = $1 AND user_id = $2")
        .bind(token)
        .bind(by)
        .execute(&mut *tx)
        .await?
        .rows_affected();
    if gone != 1 {
        return Err(sqlx::Error::RowNotFound);
    }
    let mut ids = vec![];
    for r in rows {
        let p = NewPlace {
            name: r.name.clone(),
            category: r.category.clone(),
            address: r.address.clone(),
            locality: r.locality.clone(),
            county: r.county.clone(),
            lat: r.lat,
            lon: r.lon,
            contact: r.contact.clone(),
            osm_id: r.osm_id.clone(),
            authority_id: None,
            org_id: Some(org_id),
        };
        ids.push(insert_place(&mut *tx, &p, Some(by), false).await?);
    }
    tx.commit().await?;
    for (id, r) in ids.iter().zip(rows) {
        if let Some(a) = default_authority(db, &r.locality, &r.category).await? {
            sqlx::query("UPDATE map_places SET authority_id = $1 WHERE id = $2")
                .bind(a)
                .bind(*id)
                .execute(&db.pool)
                .await?;
        }
    }
    Ok(ids.len() as i64)
}

pub async fn orgs_for_import(db: &Db) -> Result<Vec<(i64, String)>, sqlx::Error> {
    let rows = sqlx::query("SELECT id, name FROM organisations WHERE status = 'active' ORDER BY name")
        .fetch_all(&db.pool)
        .await?;
    Ok(rows.iter().map(|r| (r.get(0), r.get(1))).collect())
}

pub struct StoredImport {
    pub org_id: i64,
    pub org_name: String,
    pub file_name: String,
    pub content: String,
}

/// Keeps an uploaded import file for its preview (and drops uploads older than a day).
pub async fn save_import(
    db: &Db,
    token: &str,
    user_id: i64,
    org_id: i64,
    file_name: &str,
    content: &str,
) -> Result<(), sqlx::Error> {
    let t = now();
    sqlx::query("DELETE FROM map_imports WHERE created_at < $1").bind(t - 86_400).execute(&db.pool).await?;
    sqlx::query(
        "INSERT INTO map_imports (token, user_id, org_id, file_name, content, created_at) VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(token)
    .bind(user_id)
    .bind(org_id)
    .bind(file_name)
    .bind(content)
    .bind(t)
    .execute(&db.pool)
    .await?;
    Ok(())
}

/// An upload of this person (nobody else sees it).
pub async fn load_import(db: &Db, token: &str, user_id: i64) -> Result<Option<StoredImport>, sqlx::Error> {
    let r = sqlx::query(
        "SELECT i.org_id, COALESCE(o.name, ''), i.file_name, i.content FROM map_imports i \
         LEFT JOIN organisations o ON o.id = i.org_id WHERE i.token = $1 AND i.user_id = $2",
    )
    .bind(token)
    .bind(user_id)
    .fetch_optional(&db.pool)
    .await?;
    Ok(r.map(|r| StoredImport { org_id: r.get(0), org_name: r.get(1), file_name: r.get(2), content: r.get(3) }))
}

/// The language a person chose (for the mails sent to them).
pub async fn user_lang(db: &Db, user_id: i64) -> Result<crate::i18n::Lang, sqlx::Error> {
    let r = sqlx::query("SELECT lang FROM users WHERE id = $1").bind(user_id).fetch_optional(&db.pool).await?;
    Ok(r.and_then(|r| r.try_get::<String, _>(0).ok()).map(|l| crate::i18n::Lang::from_code(&l)).unwrap_or_default())
}

/// The language of the account with this address, if there is one.
pub async fn email_lang(db: &Db, email: &str) -> Result<Option<crate::i18n::Lang>, sqlx::Error> {
    let r = sqlx::query("SELECT lang FROM users WHERE email = $1 AND deleted_at IS NULL")
        .bind(email.trim().to_lowercase())
        .fetch_optional(&db.pool)
        .await?;
    Ok(r.and_then(|r| r.try_get::<String, _>(0).ok()).map(|l| crate::i18n::Lang::from_code(&l)))
}

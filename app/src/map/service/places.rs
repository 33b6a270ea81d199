//! Places: the list and the map through the shared reads, one place's page, and the summary a
//! place keeps of its audits and reports.
use super::super::rules;
use super::super::rules::MapData;
use super::super::{db, PlaceDetail, PlaceFilter, PlaceResults, Stats};
use super::{today, MapError};
use crate::accounts::SessionUser;
use crate::error::Problem;
use crate::ssr::Db;

pub async fn search(filter: PlaceFilter) -> Result<PlaceResults, MapError> {
    // The same for everyone who asks with these filters: kept briefly (see ssr::reads).
    let st = crate::ssr::state();
    let key = format!("map-search|{filter:?}");
    Ok((*st.db.reads.get(&key, || db::search(&st.db, &filter)).await?).clone())
}

pub async fn stats() -> Result<Stats, MapError> {
    let st = crate::ssr::state();
    let day = today();
    Ok((*st.db.reads.get(&format!("map-stats|{day}"), || db::stats(&st.db, day)).await?).clone())
}

/// The markers of a bounding box `(west, south, east, north)`, never two closer than a finger.
pub async fn bbox(db: &Db, f: &PlaceFilter, b: (f64, f64, f64, f64), zoom: i64) -> Result<MapData, sqlx::Error> {
    let (points, clusters) = db::bbox(db, f, b, zoom).await?;
    Ok(rules::declutter(points, clusters, zoom))
}

/// `bbox` as the JSON the map island fetches. Everyone looking at this view with these filters
/// gets the same bytes: kept briefly (ssr::reads).
pub async fn map_data_json(
    db: &Db,
    filter: &PlaceFilter,
    (w, s, e, n): (f64, f64, f64, f64),
    zoom: i64,
) -> Result<std::sync::Arc<axum::body::Bytes>, sqlx::Error> {
    let key = format!("map-data|{w},{s},{e},{n}|{zoom}|{filter:?}");
    db.reads
        .get(&key, || async {
            let d = bbox(db, filter, (w, s, e, n), zoom).await?;
            serde_json::to_vec(&d).map(axum::body::Bytes::from).map_err(|e| sqlx::Error::Decode(Box::new(e)))
        })
        .await
}

pub async fn get(id: i64) -> Result<PlaceDetail, MapError> {
    let st = crate::ssr::state();
    let me = crate::accounts::session::current_user().await?;
    detail(&st.db, id, me.as_ref(), today()).await?.ok_or(MapError(Problem::NotFound))
}

/// A place's page: its row, owners, combined audit with the reasons for its rating, audit
/// history, reports (with what `me` may do on each) and photos.
pub async fn detail(
    db: &Db,
    id: i64,
    me: Option<&SessionUser>,
    today: i64,
) -> Result<Option<PlaceDetail>, sqlx::Error> {
    let Some(p) = db::place_record(db, id).await? else {
        return Ok(None);
    };
    let authority = match p.authority_id {
        Some(a) => db::authority_ref(db, a).await?,
        None => None,
    };
    let org = match p.org_id {
        Some(o) => db::org_ref(db, o).await?,
        None => None,
    };
    let records = db::audit_records(db, id).await?;
    // Confidence and rating are already stored; the reasons come from the combined audit.
    let combined = rules::combine(&records, 0, today);
    let (_, reasons) = rules::rate(&combined.audit);
    let audits = db::audit_summaries(db, id).await?;
    let mut reports = vec![];
    for rid in db::report_ids_of_place(db, id).await? {
        if let Some(rv) = super::reports::view(db, rid, me, today).await? {
            reports.push(rv);
        }
    }
    let photos = db::photos_of_place(db, id).await?;
    let who = rules::actor_for(me, p.org_id, p.authority_id, None);
    Ok(Some(PlaceDetail {
        row: p.row,
        county: p.county,
        contact: p.contact,
        osm_id: p.osm_id,
        authority,
        org,
        audit: combined.audit,
        reasons,
        audits,
        reports,
        photos,
        signed_in: me.is_some(),
        can_verify: who.may_verify_audit(),
    }))
}

/// Recomputes a place's derived columns from its audits and reports.
pub async fn refresh(db: &Db, place_id: i64, today: i64) -> Result<(), sqlx::Error> {
    let records = db::audit_records(db, place_id).await?;
    let (open, confirmed, overdue) = db::report_counts(db, place_id, today).await?;
    let summary = rules::summarise(&records, confirmed, today);
    db::store_summary(db, place_id, &summary, open, overdue).await
}

/// The home page's figure: how many places are on the map.
pub async fn places_mapped(db: &Db) -> Result<i64, sqlx::Error> {
    db::count_places(db).await
}

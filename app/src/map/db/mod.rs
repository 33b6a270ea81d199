//! Every SQL statement of the map (server only), one file per table group. Rows are read by
//! column name. Places carry their derived rating, badges and report counts (stored by
//! `places::store_summary`, computed by `service::places::refresh`), so the list and the map read
//! one table with plain indexed filters.
use super::rules::{self, Rating};
use super::{Confidence, Photo, PlaceFilter, PlaceRow};
use crate::types::fold_diacritics;
use sqlx::any::AnyRow;
use sqlx::Row;

mod followups;
mod import;
mod localities;
mod personal;
mod places;
mod reports;
mod stats;

pub use followups::*;
pub use import::*;
pub use localities::*;
pub use personal::*;
pub use places::*;
pub use reports::*;
pub use stats::*;

/// A name as it is compared: no diacritics, lower case, single spaces.
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

fn photo(r: &AnyRow) -> Result<Photo, sqlx::Error> {
    Ok(Photo {
        full: format!("/media/{}", r.try_get::<String, _>("key_full")?),
        thumb: format!("/media/{}", r.try_get::<String, _>("key_thumb")?),
        alt: r.try_get("alt")?,
        width: r.try_get("width")?,
        height: r.try_get("height")?,
    })
}

//! Open data out: the places of the current filter with their combined audits, as GeoJSON
//! (`rules::export`) or CSV.
use super::super::rules::{self, export::osm_tags};
use super::super::{db, Audit, PlaceFilter, PlaceRow};
use super::today;
use crate::ssr::Db;

/// The most places one export holds.
const MAX_ROWS: i64 = 20_000;

/// Places of the current filter with their OSM id and combined audit.
pub async fn rows(db: &Db, f: &PlaceFilter) -> Result<Vec<(PlaceRow, String, Audit)>, sqlx::Error> {
    let today = today();
    Ok(db::export_rows(db, f, MAX_ROWS)
        .await?
        .into_iter()
        .map(|(row, osm_id, records)| (row, osm_id, rules::combine(&records, 0, today).audit))
        .collect())
}

/// One line per place: id and coordinates, then a column for every OSM tag any place has (empty
/// where unknown).
pub fn csv(rows: &[(PlaceRow, String, Audit)]) -> String {
    let tagged: Vec<Vec<(String, String)>> = rows.iter().map(|(p, osm, a)| osm_tags(p, osm, a)).collect();
    let mut keys: Vec<String> = vec![];
    for t in &tagged {
        for (k, _) in t {
            if !keys.contains(k) {
                keys.push(k.clone());
            }
        }
    }
    use crate::ssr::csv::{Cells, Table};
    let header: Vec<&str> = ["id", "lat", "lon"].into_iter().chain(keys.iter().map(String::as_str)).collect();
    // Coordinates and measures are numbers, negative ones included: they stay as they are.
    let mut table = Table::new(&header, Cells::NumbersAsIs, false, false);
    for ((p, _, _), t) in rows.iter().zip(&tagged) {
        let tags = keys.iter().map(|k| t.iter().find(|(kk, _)| kk == k).map(|(_, v)| v.clone()).unwrap_or_default());
        table.row([p.id.to_string(), p.lat.to_string(), p.lon.to_string()].into_iter().chain(tags));
    }
    table.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::map::rules::export::{geojson, sample_place};

    #[test]
    fn csv_and_geojson_shapes() {
        let a =
            Audit { step_free: Some(true), notes_wheelchair: "Intrare, laterală; \"B\"".into(), ..Audit::default() };
        let rows = vec![(sample_place(), String::new(), a)];
        let c = csv(&rows);
        let mut lines = c.lines();
        assert!(lines.next().unwrap().starts_with("id,lat,lon,name,amenity"));
        assert!(c.contains("\"Intrare, laterală; \"\"B\"\"\""));
        assert!(!c.contains("unknown"));
        let g: serde_json::Value = serde_json::from_str(&geojson(&rows)).unwrap();
        assert_eq!(g["features"][0]["geometry"]["coordinates"][0], 27.18);
        assert_eq!(g["features"][0]["properties"]["wheelchair"], "yes");
    }

    #[test]
    fn formulas_are_neutralised_numbers_kept() {
        use crate::ssr::csv::{safe_cell, Cells};
        assert_eq!(safe_cell("=HYPERLINK(1)", Cells::NumbersAsIs), "'=HYPERLINK(1)");
        assert_eq!(safe_cell("-5", Cells::NumbersAsIs), "-5");
    }
}

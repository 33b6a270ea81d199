//! Open data out: a place and its combined audit as OpenStreetMap tags, and the GeoJSON of the
//! current filter (the CSV is written in `service::exports`). Unknown values are left out (an
//! absent tag), never written as "unknown".
use super::{category_osm, rate, Audit, Rating};
use crate::map::PlaceRow;

fn yes_no(v: Option<bool>) -> Option<String> {
    v.map(|b| if b { "yes" } else { "no" }.to_string())
}

/// OSM tags for a place and its combined audit. Keys follow the OSM wiki (wheelchair, step_count,
/// ramp:wheelchair, door:width in metres, toilets:wheelchair, capacity:disabled, tactile_paving,
/// hearing_loop, …).
pub fn osm_tags(p: &PlaceRow, osm_id: &str, a: &Audit) -> Vec<(String, String)> {
    let mut t: Vec<(String, String)> = vec![("name".into(), p.name.clone())];
    for (k, v) in category_osm(&p.category) {
        t.push((k.to_string(), v.to_string()));
    }
    if !p.address.is_empty() {
        t.push(("addr:full".into(), p.address.clone()));
    }
    if !p.locality.is_empty() {
        t.push(("addr:city".into(), p.locality.clone()));
    }
    let rating = rate(a).0;
    if rating != Rating::Unknown {
        t.push(("wheelchair".into(), rating.code().into()));
    }
    let mut add = |k: &str, v: Option<String>| {
        if let Some(v) = v {
            t.push((k.to_string(), v));
        }
    };
    add("entrance:step_free", yes_no(a.step_free));
    add("step_count", a.steps.map(|n| n.to_string()));
    add("step:height", a.step_height_cm.map(|h| format!("{:.2}", h as f64 / 100.0)));
    add("ramp:wheelchair", yes_no(a.ramp));
    add("ramp:removable", yes_no(a.ramp_removable));
    add("incline", a.ramp_slope_pct.map(|s| format!("{s}%")));
    add("handrail", yes_no(a.handrail));
    add("door:width", a.door_width_cm.map(|w| format!("{:.2}", w as f64 / 100.0)));
    add("automatic_door", yes_no(a.automatic_door));
    add("doorbell", yes_no(a.doorbell));
    add("elevator", yes_no(a.lift));
    add("elevator:all_floors", yes_no(a.lift_all_floors));
    add("toilets:wheelchair", yes_no(a.toilet));
    add("toilets:wheelchair:door:width", a.toilet_door_cm.map(|w| format!("{:.2}", w as f64 / 100.0)));
    add("toilets:wheelchair:turning_circle", yes_no(a.toilet_turning_space));
    add("toilets:wheelchair:grab_bars", yes_no(a.toilet_grab_bars));
    add("parking:disabled", yes_no(a.parking));
    add("capacity:disabled", a.parking_count.map(|n| n.to_string()));
    add("parking:disabled:distance", a.parking_distance_m.map(|n| n.to_string()));
    add("tactile_paving", yes_no(a.tactile_paving));
    add("tactile_writing:braille", yes_no(a.braille));
    add("high_contrast", yes_no(a.high_contrast));
    add("hearing_loop", yes_no(a.audio_loop));
    add("sign_language", yes_no(a.sign_language));
    add("staff_trained:disability", yes_no(a.staff_trained));
    let note = |s: &str| (!s.is_empty()).then(|| s.to_string());
    add("wheelchair:description:ro", note(&a.notes_wheelchair));
    add("blind:description:ro", note(&a.notes_blind));
    add("deaf:description:ro", note(&a.notes_deaf));
    if let Some(id) = osm_ref(osm_id) {
        t.push(("ref:osm".into(), id));
    }
    t
}

/// An OSM id as "node/123", "way/45", "relation/6" (also accepted as n123 / w45 / r6).
pub fn osm_ref(raw: &str) -> Option<String> {
    let s = raw.trim();
    let (kind, num) = if let Some((k, n)) = s.split_once('/') {
        (k.to_string(), n.to_string())
    } else {
        let (k, n) = s.split_at(s.char_indices().nth(1).map(|(i, _)| i).unwrap_or(s.len()));
        let k = match k {
            "n" | "N" => "node",
            "w" | "W" => "way",
            "r" | "R" => "relation",
            _ => return None,
        };
        (k.to_string(), n.to_string())
    };
    (matches!(kind.as_str(), "node" | "way" | "relation") && !num.is_empty() && num.chars().all(|c| c.is_ascii_digit()))
        .then(|| format!("{kind}/{num}"))
}

pub fn geojson(rows: &[(PlaceRow, String, Audit)]) -> String {
    let features: Vec<serde_json::Value> = rows
        .iter()
        .map(|(p, osm, a)| {
            let props: serde_json::Map<String, serde_json::Value> =
                osm_tags(p, osm, a).into_iter().map(|(k, v)| (k, serde_json::Value::String(v))).collect();
            serde_json::json!({
                "type": "Feature",
                "id": p.id,
                "geometry": { "type": "Point", "coordinates": [p.lon, p.lat] },
                "properties": props,
            })
        })
        .collect();
    serde_json::json!({ "type": "FeatureCollection", "features": features }).to_string()
}

/// A place for the export tests (here and in the service).
#[cfg(test)]
pub(crate) fn sample_place() -> PlaceRow {
    use super::{Badges, Confidence};
    PlaceRow {
        id: 7,
        name: "Biblioteca Județeană".into(),
        category: "library".into(),
        address: "Str. Republicii 11".into(),
        locality: "Focșani".into(),
        lat: 45.7,
        lon: 27.18,
        rating: Rating::Partly,
        badges: Badges::default(),
        confidence: Confidence::Low,
        verified_day: None,
        open_reports: 0,
        overdue_reports: 0,
        distance_m: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn osm_mapping_skips_unknowns() {
        let a = Audit {
            steps: Some(1),
            step_height_cm: Some(5),
            door_width_cm: Some(85),
            toilet: Some(false),
            audio_loop: Some(true),
            ..Audit::default()
        };
        let t = osm_tags(&sample_place(), "n123", &a);
        let get = |k: &str| t.iter().find(|(kk, _)| kk == k).map(|(_, v)| v.as_str());
        assert_eq!(get("amenity"), Some("library"));
        assert_eq!(get("wheelchair"), Some("limited"));
        assert_eq!(get("step_count"), Some("1"));
        assert_eq!(get("step:height"), Some("0.05"));
        assert_eq!(get("door:width"), Some("0.85"));
        assert_eq!(get("toilets:wheelchair"), Some("no"), "a known no is exported");
        assert_eq!(get("hearing_loop"), Some("yes"));
        assert_eq!(get("elevator"), None, "unknown is left out");
        assert_eq!(get("ref:osm"), Some("node/123"));
        assert!(t.iter().all(|(_, v)| v != "unknown"));
        // Nothing known: no wheelchair tag at all.
        let t = osm_tags(&sample_place(), "", &Audit::default());
        assert!(t.iter().all(|(k, v)| k != "wheelchair" && v != "unknown"));
    }

    #[test]
    fn osm_refs() {
        assert_eq!(osm_ref("way/45").as_deref(), Some("way/45"));
        assert_eq!(osm_ref("r6").as_deref(), Some("relation/6"));
        assert_eq!(osm_ref("x/1"), None);
        assert_eq!(osm_ref("node/12a"), None);
        assert_eq!(osm_ref(""), None);
    }

    #[test]
    fn geojson_shape() {
        let a = Audit { step_free: Some(true), ..Audit::default() };
        let g: serde_json::Value = serde_json::from_str(&geojson(&[(sample_place(), String::new(), a)])).unwrap();
        assert_eq!(g["features"][0]["geometry"]["coordinates"][0], 27.18);
        assert_eq!(g["features"][0]["properties"]["wheelchair"], "yes");
    }
}

//! Institutions in from CSV or GeoJSON: a file is checked by its content and parsed whole into a
//! preview with an error per bad row (`service::imports` writes it only when every row is good).
use super::{valid_coords, CATEGORIES};
use crate::i18n::K;
use crate::map::{ImportRow, Preview, RowError};

/// Splits CSV text into records (RFC 4180: quoted fields, doubled quotes, newlines in quotes).
pub fn csv_records(text: &str) -> Vec<Vec<String>> {
    let mut out = vec![];
    let mut rec = vec![];
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = text.trim_start_matches('\u{feff}').chars().peekable();
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                field.push('"');
                chars.next();
            }
            (true, '"') => quoted = false,
            (true, c) => field.push(c),
            (false, '"') if field.is_empty() => quoted = true,
            (false, ',') | (false, ';') => rec.push(std::mem::take(&mut field)),
            (false, '\r') => {}
            (false, '\n') => {
                rec.push(std::mem::take(&mut field));
                out.push(std::mem::take(&mut rec));
            }
            (false, c) => field.push(c),
        }
    }
    if !field.is_empty() || !rec.is_empty() {
        rec.push(field);
        out.push(rec);
    }
    out.into_iter().filter(|r| !(r.len() == 1 && r[0].trim().is_empty())).collect()
}

/// Checks one row's values; `get` reads a column by its (English or OSM) name.
fn check_row(
    n: usize,
    get: &dyn Fn(&[&str]) -> String,
    coords: Option<(String, String)>,
    errors: &mut Vec<RowError>,
) -> Option<ImportRow> {
    let before = errors.len();
    let name = get(&["name", "nume"]);
    if name.chars().count() < 3 || name.chars().count() > 150 {
        errors.push(RowError { row: n, field: "name".into(), msg: K::map_err_import_name });
    }
    let mut category = get(&["category", "categorie"]);
    if category.is_empty() {
        category = "other".into();
    }
    if !CATEGORIES.contains(&category.as_str()) {
        errors.push(RowError { row: n, field: "category".into(), msg: K::map_err_import_category });
    }
    let (lat_s, lon_s) = coords.unwrap_or_else(|| (get(&["lat", "latitude"]), get(&["lon", "lng", "longitude"])));
    let lat = lat_s.replace(' ', "").parse::<f64>().ok();
    let lon = lon_s.replace(' ', "").parse::<f64>().ok();
    let (lat, lon) = match (lat, lon) {
        (Some(a), Some(b)) if valid_coords(a, b) => (a, b),
        _ => {
            errors.push(RowError { row: n, field: "lat".into(), msg: K::map_err_coords });
            (0.0, 0.0)
        }
    };
    if errors.len() > before {
        return None;
    }
    Some(ImportRow {
        name,
        category,
        address: get(&["address", "adresa", "addr:full"]),
        locality: get(&["locality", "localitate", "addr:city"]),
        county: get(&["county", "judet"]),
        lat,
        lon,
        contact: get(&["contact", "phone", "email"]),
        osm_id: get(&["osm_id", "ref:osm"]),
    })
}

pub fn parse_csv(text: &str) -> Preview {
    let mut p = Preview::default();
    let recs = csv_records(text);
    let Some((header, body)) = recs.split_first() else {
        p.errors.push(RowError { row: 0, field: "file".into(), msg: K::map_err_import_empty });
        return p;
    };
    let header: Vec<String> = header.iter().map(|h| h.trim().to_lowercase()).collect();
    if !header.iter().any(|h| h == "name" || h == "nume") {
        p.errors.push(RowError { row: 0, field: "name".into(), msg: K::map_err_import_header });
        return p;
    }
    for (i, rec) in body.iter().enumerate() {
        let get = |names: &[&str]| {
            names
                .iter()
                .find_map(|n| header.iter().position(|h| h == n))
                .and_then(|i| rec.get(i))
                .map(|s| s.trim().to_string())
                .unwrap_or_default()
        };
        if let Some(r) = check_row(i + 1, &get, None, &mut p.errors) {
            p.rows.push(r);
        }
    }
    if p.rows.is_empty() && p.errors.is_empty() {
        p.errors.push(RowError { row: 0, field: "file".into(), msg: K::map_err_import_empty });
    }
    p
}

pub fn parse_geojson(text: &str) -> Preview {
    let mut p = Preview::default();
    let Ok(v) = serde_json::from_str::<serde_json::Value>(text) else {
        p.errors.push(RowError { row: 0, field: "file".into(), msg: K::map_err_import_json });
        return p;
    };
    let Some(features) = v.get("features").and_then(|f| f.as_array()) else {
        p.errors.push(RowError { row: 0, field: "file".into(), msg: K::map_err_import_json });
        return p;
    };
    for (i, f) in features.iter().enumerate() {
        let props = f.get("properties").cloned().unwrap_or_default();
        let get = |names: &[&str]| {
            names
                .iter()
                .find_map(|n| props.get(*n))
                .map(|v| match v {
                    serde_json::Value::String(s) => s.trim().to_string(),
                    serde_json::Value::Number(n) => n.to_string(),
                    _ => String::new(),
                })
                .unwrap_or_default()
        };
        let geom = f.get("geometry");
        let is_point = geom.and_then(|g| g.get("type")).and_then(|t| t.as_str()) == Some("Point");
        let c = geom.and_then(|g| g.get("coordinates")).and_then(|c| c.as_array());
        let coords = match (is_point, c) {
            (true, Some(c)) if c.len() >= 2 => Some((
                c[1].as_f64().map(|x| x.to_string()).unwrap_or_default(),
                c[0].as_f64().map(|x| x.to_string()).unwrap_or_default(),
            )),
            _ => Some((String::new(), String::new())),
        };
        if let Some(r) = check_row(i + 1, &get, coords, &mut p.errors) {
            p.rows.push(r);
        }
    }
    if p.rows.is_empty() && p.errors.is_empty() {
        p.errors.push(RowError { row: 0, field: "file".into(), msg: K::map_err_import_empty });
    }
    p
}

pub fn parse(format: &str, text: &str) -> Preview {
    let text = text.trim_start_matches('\u{feff}');
    if format == "geojson" || text.trim_start().starts_with('{') {
        parse_geojson(text)
    } else {
        parse_csv(text)
    }
}

/// Largest import file accepted.
pub const MAX_FILE: usize = 5 * 1024 * 1024;

/// Format by the file's name, else by its first character (`{` = GeoJSON).
pub fn format_of(file_name: &str) -> &'static str {
    let n = file_name.to_lowercase();
    if n.ends_with(".geojson") || n.ends_with(".json") {
        "geojson"
    } else {
        "csv"
    }
}

/// Checks an uploaded file by its content: UTF-8 text (a BOM is fine) with no NUL byte and no
/// more than `MAX_FILE` bytes. Returns the text or the code of the problem.
pub fn file_text(bytes: &[u8]) -> Result<String, &'static str> {
    if bytes.is_empty() {
        return Err("required");
    }
    if bytes.len() > MAX_FILE {
        return Err("too_large");
    }
    match std::str::from_utf8(bytes) {
        Ok(t) if !t.contains('\0') => Ok(t.to_string()),
        _ => Err("not_text"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_rows_with_quotes_and_bad_rows() {
        let text = "name,category,address,locality,lat,lon\n\
                    \"Școala nr. 3, \"\"Ion Creangă\"\"\",school,Str. X 1,Focșani,45.70,27.18\n\
                    Ok,unknown-kind,,Focșani,45.7,27.18\n\
                    Fără coordonate,library,,Focșani,,\n\
                    Spital,hospital,,Focșani,91,27.18\n\
                    Muzeul Vrancei,museum,,Focșani,45.701,27.185\n";
        let p = parse_csv(text);
        assert_eq!(p.rows.len(), 2);
        assert_eq!(p.rows[0].name, "Școala nr. 3, \"Ion Creangă\"");
        let bad: Vec<(usize, &str)> = p.errors.iter().map(|e| (e.row, e.field.as_str())).collect();
        assert_eq!(bad, vec![(2, "name"), (2, "category"), (3, "lat"), (4, "lat")]);
        assert_eq!(p.errors[1].msg, K::map_err_import_category);
    }

    #[test]
    fn csv_semicolons_bom_and_missing_header() {
        let p = parse_csv("\u{feff}nume;categorie;lat;lon\r\nPrimăria;city_hall;45.69;27.18\r\n");
        assert_eq!(p.errors, vec![]);
        assert_eq!(p.rows[0].category, "city_hall");
        let p = parse_csv("titlu,lat\nx,1\n");
        assert_eq!(p.errors[0].msg, K::map_err_import_header);
        assert_eq!(parse_csv("").errors[0].msg, K::map_err_import_empty);
    }

    #[test]
    fn geojson_points_only() {
        let text = r#"{"type":"FeatureCollection","features":[
            {"type":"Feature","geometry":{"type":"Point","coordinates":[27.18,45.70]},"properties":{"name":"Teatrul Municipal","category":"theatre","addr:city":"Focșani"}},
            {"type":"Feature","geometry":{"type":"LineString","coordinates":[[27.1,45.7],[27.2,45.7]]},"properties":{"name":"Stradă"}},
            {"type":"Feature","geometry":{"type":"Point","coordinates":[27.18,45.70]},"properties":{}}
        ]}"#;
        let p = parse_geojson(text);
        assert_eq!(p.rows.len(), 1);
        assert_eq!(p.rows[0].locality, "Focșani");
        assert_eq!((p.rows[0].lat, p.rows[0].lon), (45.70, 27.18));
        let bad: Vec<(usize, &str)> = p.errors.iter().map(|e| (e.row, e.field.as_str())).collect();
        assert_eq!(bad, vec![(2, "lat"), (3, "name")]);
        assert_eq!(parse_geojson("{").errors[0].msg, K::map_err_import_json);
    }

    #[test]
    fn files_are_checked_by_content() {
        assert_eq!(file_text(b"name,lat\n"), Ok("name,lat\n".to_string()));
        assert_eq!(file_text(b""), Err("required"));
        assert_eq!(file_text(&[0x89, b'P', b'N', b'G', 0, 0xff]), Err("not_text"));
        assert_eq!(file_text(b"name\0,lat"), Err("not_text"));
        assert_eq!(file_text(&vec![b'a'; MAX_FILE + 1]), Err("too_large"));
        assert_eq!(format_of("Institutii.GeoJSON"), "geojson");
        assert_eq!(format_of("export.csv"), "csv");
        // A CSV named .txt whose content is GeoJSON is still read as GeoJSON.
        assert_eq!(
            parse(format_of("a.txt"), r#"{"type":"FeatureCollection","features":[]}"#).errors[0].msg,
            K::map_err_import_empty
        );
    }
}

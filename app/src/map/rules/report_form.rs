//! The report form (`POST /map/reports`, multipart): a problem at a known place, or at a new place
//! typed on the form with its pin. Checked here; `service::reports` stores it.
use super::{valid_coords, CATEGORIES};
use crate::map::PROBLEMS;
use crate::text::clean_text;

/// A new place typed on the report form, its pin's coordinates checked.
#[derive(Clone, Debug, PartialEq)]
pub struct PlaceInput {
    pub name: String,
    pub category: String,
    pub locality: String,
    pub address: String,
    pub lat: f64,
    pub lon: f64,
}

/// The report form, read and cleaned.
#[derive(Clone, Debug, PartialEq)]
pub struct ReportInput {
    /// A known place; `None` = a new place (`new_place`).
    pub place_id: Option<i64>,
    pub problem: String,
    pub description: String,
    /// `None` for a known place, and for a new place whose pin is missing or off the map.
    pub new_place: Option<PlaceInput>,
}

impl ReportInput {
    /// The form the person is sent back to.
    pub fn back(&self) -> String {
        match self.place_id {
            Some(id) => format!("/map/places/{id}/report"),
            None => "/map/report".to_string(),
        }
    }
}

/// Reads the report form through `get` (a missing field reads as empty) and checks it. Problems
/// are (field, code) in the form's order; the codes are `http::problem_message`'s.
pub fn check_report(get: impl Fn(&str) -> String) -> (ReportInput, Vec<(String, &'static str)>) {
    let mut errors = vec![];
    let mut problem = |field: &str, code: &'static str| errors.push((field.to_string(), code));
    let place_id: Option<i64> = get("place_id").parse().ok();
    let kind = get("problem");
    if !PROBLEMS.contains(&kind.as_str()) {
        problem("problem", "problem");
    }
    let description = clean_text(&get("description"), 2000);
    if description.chars().count() < 10 {
        problem("description", "description");
    }
    let new_place = if place_id.is_none() {
        let name = clean_text(&get("name"), 150);
        let category = get("category");
        let locality = clean_text(&get("locality"), 80);
        if name.chars().count() < 3 {
            problem("name", "required");
        }
        if locality.is_empty() {
            problem("locality", "required");
        }
        let lat = get("lat").parse::<f64>().ok();
        let lon = get("lon").parse::<f64>().ok();
        let coords = match (lat, lon) {
            (Some(a), Some(b)) if valid_coords(a, b) => Some((a, b)),
            _ => {
                problem("lat", "coords");
                None
            }
        };
        let category = if CATEGORIES.contains(&category.as_str()) { category } else { "other".into() };
        let address = clean_text(&get("address"), 200);
        coords.map(|(lat, lon)| PlaceInput { name, category, locality, address, lat, lon })
    } else {
        None
    };
    (ReportInput { place_id, problem: kind, description, new_place }, errors)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form<'a>(fields: &'a [(&'a str, &'a str)]) -> impl Fn(&str) -> String + 'a {
        move |k| fields.iter().find(|(f, _)| *f == k).map(|(_, v)| v.to_string()).unwrap_or_default()
    }

    #[test]
    fn a_report_at_a_known_place() {
        let (r, errors) = check_report(form(&[
            ("place_id", "7"),
            ("problem", "entrance"),
            ("description", "  Trei trepte, fără rampă. "),
        ]));
        assert_eq!(errors, vec![]);
        assert_eq!(
            (r.place_id, r.problem.as_str(), r.description.as_str()),
            (Some(7), "entrance", "Trei trepte, fără rampă.")
        );
        assert_eq!((r.back(), r.new_place), ("/map/places/7/report".to_string(), None));
        let (_, errors) = check_report(form(&[("place_id", "7"), ("problem", "roof"), ("description", "Scurt")]));
        assert_eq!(errors, vec![("problem".to_string(), "problem"), ("description".to_string(), "description")]);
    }

    #[test]
    fn a_report_at_a_new_place_needs_a_name_a_locality_and_a_pin() {
        let fields = [
            ("problem", "door"),
            ("description", "Ușa are sub 70 de centimetri."),
            ("name", "Cabinet medical"),
            ("category", "spaceship"),
            ("locality", "Focșani"),
            ("lat", "45.7012"),
            ("lon", "27.1901"),
        ];
        let (r, errors) = check_report(form(&fields));
        assert_eq!(errors, vec![]);
        let p = r.new_place.unwrap();
        assert_eq!((p.category.as_str(), p.lat, p.lon), ("other", 45.7012, 27.1901), "an unknown category is other");
        assert_eq!(r.place_id, None);
        let (r, errors) = check_report(form(&[
            ("problem", "door"),
            ("description", "Ușa are sub 70 de centimetri."),
            ("lat", "95"),
            ("lon", "27"),
        ]));
        let fields: Vec<&str> = errors.iter().map(|(f, _)| f.as_str()).collect();
        assert_eq!(fields, ["name", "locality", "lat"]);
        assert_eq!((r.back(), r.new_place), ("/map/report".to_string(), None));
    }
}

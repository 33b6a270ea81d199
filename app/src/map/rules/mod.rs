//! The map's domain rules, free of any database: categories here; audits and how they combine
//! (`audit`), the rating and badges (`rating`), the report workflow and its legal clock
//! (`workflow`) and its "has it been fixed?" follow-up (`followup`), geography and markers (`geo`), calendar days (`days`), and the pure parts of
//! the report form, imports and exports.
use crate::i18n::K;

pub mod audit;
pub mod days;
pub mod export;
pub mod followup;
pub mod geo;
pub mod import;
pub mod rating;
pub mod report_form;
pub mod workflow;

pub use audit::*;
pub use days::*;
pub use followup::*;
pub use geo::*;
pub use rating::*;
pub use workflow::*;

/// What deleting an account does to a photo its owner uploaded: it goes (file, row and alt text)
/// unless an organisation used it as evidence, that is its report was sent to the authority as a
/// petition (`Action::Send` in its timeline): what the authority was asked to answer must stay
/// whole. A kept photo loses its uploader.
pub fn photo_outlives_its_uploader(report_actions: &[Action]) -> bool {
    report_actions.contains(&Action::Send)
}

pub const CATEGORIES: &[&str] = &[
    "city_hall",
    "county_council",
    "prefecture",
    "school",
    "kindergarten",
    "university",
    "hospital",
    "clinic",
    "pharmacy",
    "post_office",
    "court",
    "police",
    "tax_office",
    "library",
    "museum",
    "theatre",
    "station",
    "church",
    "park",
    "other",
];

pub fn category_label(code: &str) -> K {
    match code {
        "city_hall" => K::map_cat_city_hall,
        "county_council" => K::map_cat_county_council,
        "prefecture" => K::map_cat_prefecture,
        "school" => K::map_cat_school,
        "kindergarten" => K::map_cat_kindergarten,
        "university" => K::map_cat_university,
        "hospital" => K::map_cat_hospital,
        "clinic" => K::map_cat_clinic,
        "pharmacy" => K::map_cat_pharmacy,
        "post_office" => K::map_cat_post_office,
        "court" => K::map_cat_court,
        "police" => K::map_cat_police,
        "tax_office" => K::map_cat_tax_office,
        "library" => K::map_cat_library,
        "museum" => K::map_cat_museum,
        "theatre" => K::map_cat_theatre,
        "station" => K::map_cat_station,
        "church" => K::map_cat_church,
        "park" => K::map_cat_park,
        _ => K::map_cat_other,
    }
}

/// OSM tags that describe a category (amenity/office/… as OpenStreetMap uses them).
pub fn category_osm(code: &str) -> &'static [(&'static str, &'static str)] {
    match code {
        "city_hall" => &[("amenity", "townhall"), ("townhall:type", "city")],
        "county_council" => &[("office", "government"), ("government", "administrative")],
        "prefecture" => &[("office", "government"), ("government", "prefecture")],
        "school" => &[("amenity", "school")],
        "kindergarten" => &[("amenity", "kindergarten")],
        "university" => &[("amenity", "university")],
        "hospital" => &[("amenity", "hospital")],
        "clinic" => &[("amenity", "clinic")],
        "pharmacy" => &[("amenity", "pharmacy")],
        "post_office" => &[("amenity", "post_office")],
        "court" => &[("amenity", "courthouse")],
        "police" => &[("amenity", "police")],
        "tax_office" => &[("office", "government"), ("government", "tax")],
        "library" => &[("amenity", "library")],
        "museum" => &[("tourism", "museum")],
        "theatre" => &[("amenity", "theatre")],
        "station" => &[("public_transport", "station")],
        "church" => &[("amenity", "place_of_worship")],
        "park" => &[("leisure", "park")],
        _ => &[],
    }
}

/// A locality as a platform admin types it for an assignment: trimmed, at most 80 characters,
/// at least 2.
pub fn check_locality(raw: &str) -> Result<String, K> {
    let locality = crate::text::clean_text(raw, 80);
    if locality.chars().count() < 2 {
        Err(K::err_required)
    } else {
        Ok(locality)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_photos_sent_as_evidence_outlive_their_uploader() {
        assert!(!photo_outlives_its_uploader(&[]), "a place's photo, or a report never acted on");
        assert!(!photo_outlives_its_uploader(&[Action::Confirm]));
        assert!(photo_outlives_its_uploader(&[Action::Confirm, Action::Send]));
        assert!(photo_outlives_its_uploader(&[Action::Send, Action::Answer, Action::Fixed]));
    }

    #[test]
    fn localities_are_trimmed_and_need_two_letters() {
        assert_eq!(check_locality("  Focșani "), Ok("Focșani".to_string()));
        assert_eq!(check_locality(" F "), Err(K::err_required));
        assert_eq!(check_locality(&"a".repeat(100)).map(|l| l.len()), Ok(80));
    }
}

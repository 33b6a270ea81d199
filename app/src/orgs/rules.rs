//! Organisation rules without a database: the fiscal code (CUI), domains, legal forms, search terms.
use crate::i18n::K;
use serde::{Deserialize, Serialize};

/// A Romanian fiscal identification code (CUI/CIF), checksum-validated; an optional "RO" prefix
/// (VAT payers) is accepted and dropped.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cui(String);

impl Cui {
    pub fn parse(raw: &str) -> Result<Cui, K> {
        let s: String = raw.trim().to_ascii_uppercase().chars().filter(|c| !c.is_whitespace()).collect();
        let digits = s.strip_prefix("RO").unwrap_or(&s);
        if digits.len() < 2 || digits.len() > 10 || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return Err(K::err_cui_format);
        }
        // Control key "753217532", applied right-aligned to the digits before the check digit.
        const KEY: [u32; 9] = [7, 5, 3, 2, 1, 7, 5, 3, 2];
        let nums: Vec<u32> = digits.bytes().map(|b| u32::from(b - b'0')).collect();
        let (body, check) = nums.split_at(nums.len() - 1);
        let offset = KEY.len() - body.len();
        let sum: u32 = body.iter().zip(&KEY[offset..]).map(|(d, k)| d * k).sum();
        let control = (sum * 10 % 11) % 10;
        if control == check[0] {
            Ok(Cui(digits.to_string()))
        } else {
            Err(K::err_cui_checksum)
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

pub const LEGAL_FORMS: [&str; 4] = ["association", "foundation", "federation", "informal"];

pub const DOMAINS: [&str; 13] = [
    "social",
    "environment",
    "education",
    "health",
    "disability",
    "mobility",
    "heritage",
    "human_rights",
    "community",
    "advocacy",
    "culture",
    "youth",
    "other",
];

pub fn legal_form_label(code: &str) -> K {
    match code {
        "association" => K::orgs_form_association,
        "foundation" => K::orgs_form_foundation,
        "federation" => K::orgs_form_federation,
        _ => K::orgs_form_informal,
    }
}

pub fn domain_label(code: &str) -> K {
    match code {
        "social" => K::domain_social,
        "environment" => K::domain_environment,
        "education" => K::domain_education,
        "health" => K::domain_health,
        "disability" => K::domain_disability,
        "mobility" => K::domain_mobility,
        "heritage" => K::domain_heritage,
        "human_rights" => K::domain_human_rights,
        "community" => K::domain_community,
        "advocacy" => K::domain_advocacy,
        "culture" => K::domain_culture,
        "youth" => K::domain_youth,
        _ => K::domain_other,
    }
}

/// Text as it is indexed and searched: diacritics folded (comma and cedilla forms alike), lower case.
pub fn search_text(parts: &[&str]) -> String {
    crate::types::fold_diacritics(&parts.join(" ")).to_lowercase()
}

/// The words of a query, folded and stripped of anything a full-text engine would read as syntax.
pub fn query_terms(q: &str) -> Vec<String> {
    search_text(&[q])
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .take(8)
        .map(|w| w.chars().take(40).collect())
        .collect()
}

pub const PAGE_SIZE: i64 = 12;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cui_checksum() {
        // Codes whose check digit is right, and the same codes with the last digit changed.
        for good in ["18547290", "RO18547290", " 4267117 ", "14399840", "2785503"] {
            assert!(Cui::parse(good).is_ok(), "{good}");
        }
        assert_eq!(Cui::parse("RO18547290").unwrap().as_str(), "18547290");
        for bad in ["18547291", "4267118", "14399841"] {
            assert_eq!(Cui::parse(bad), Err(K::err_cui_checksum), "{bad}");
        }
        for bad in ["", "1", "12345678901", "RO12A4", "ABC"] {
            assert_eq!(Cui::parse(bad), Err(K::err_cui_format), "{bad}");
        }
    }

    #[test]
    fn queries_fold_every_form_of_romanian_letters() {
        assert_eq!(query_terms("Focșani"), ["focsani"]);
        assert_eq!(query_terms("Focşani"), ["focsani"]);
        assert_eq!(query_terms("FOCSANI"), ["focsani"]);
        assert_eq!(query_terms("accesibilitate \"OR\" (x)*"), ["accesibilitate", "or", "x"]);
        assert!(query_terms("  -- ").is_empty());
    }
}

//! Organisation rules without a database: the fiscal code (CUI), domains, legal forms, search
//! terms, what a valid registration and profile are, and who may see an organisation.
use crate::accounts::{rules::RoleKind, SessionUser};
use crate::i18n::K;
use crate::text::clean_text;
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

/// The statuses a platform admin may set: "active" also verifies (the badge).
pub const STATUSES: [&str; 3] = ["active", "restricted", "pending"];

/// Pending or restricted organisations are visible only to their admins and platform admins.
pub fn may_view(status: &str, user: Option<&SessionUser>, org_id: i64) -> bool {
    status == "active" || user.is_some_and(|u| u.is_admin() || u.has_scoped(RoleKind::OrgAdmin, org_id))
}

/// An organisation's website: empty, or an http(s) address.
pub fn website_ok(url: &str) -> bool {
    url.is_empty() || url.starts_with("https://") || url.starts_with("http://")
}

/// What someone typed to register an organisation, before checking.
#[derive(Clone, Debug, Default)]
pub struct RegistrationForm {
    pub name: String,
    pub legal_form: String,
    pub cui: String,
    pub registry_number: String,
    pub locality: String,
    pub county: String,
    pub domains: Vec<String>,
    pub short_description: String,
    pub website: String,
    pub contact_email: String,
}

/// A checked registration: what is stored for the new (pending) organisation.
#[derive(Clone, Debug, PartialEq)]
pub struct NewOrg {
    pub slug: String,
    pub name: String,
    pub legal_form: String,
    pub cui: Option<String>,
    pub registry_number: String,
    pub locality: String,
    pub county: String,
    pub short_description: String,
    pub website: String,
    pub contact_email: String,
    pub domains: Vec<String>,
}

/// Checks a registration; the errors come back per field, in the order the form shows them.
pub fn check_registration(f: &RegistrationForm) -> Result<NewOrg, Vec<(&'static str, K)>> {
    let mut errs = vec![];
    let name = clean_text(&f.name, 120);
    if name.chars().count() < 3 {
        errs.push(("name", K::err_org_name));
    }
    if !LEGAL_FORMS.contains(&f.legal_form.as_str()) {
        errs.push(("legal_form", K::err_choose));
    }
    // Informal groups have no fiscal code; everyone else must give a valid one.
    let cui = if f.legal_form == "informal" && f.cui.trim().is_empty() {
        None
    } else {
        Cui::parse(&f.cui).map_err(|k| errs.push(("cui", k))).ok()
    };
    let domains: Vec<String> = f.domains.iter().filter(|d| DOMAINS.contains(&d.as_str())).cloned().collect();
    if domains.is_empty() {
        errs.push(("domains", K::err_choose_domain));
    }
    if clean_text(&f.locality, 80).is_empty() {
        errs.push(("locality", K::err_required));
    }
    if clean_text(&f.short_description, 300).chars().count() < 10 {
        errs.push(("short_description", K::err_description));
    }
    let contact = if f.contact_email.trim().is_empty() {
        String::new()
    } else {
        crate::types::Email::parse(&f.contact_email)
            .map_err(|k| errs.push(("contact_email", k)))
            .map(|e| e.to_string())
            .unwrap_or_default()
    };
    let website = clean_text(&f.website, 200);
    if !website_ok(&website) {
        errs.push(("website", K::err_url));
    }
    let Some(slug) = crate::types::Slug::from_name(&name) else {
        errs.push(("name", K::err_org_name));
        return Err(errs);
    };
    if !errs.is_empty() {
        return Err(errs);
    }
    Ok(NewOrg {
        slug: slug.as_str().to_string(),
        name,
        legal_form: f.legal_form.clone(),
        cui: cui.map(|c| c.as_str().to_string()),
        registry_number: clean_text(&f.registry_number, 40),
        locality: clean_text(&f.locality, 80),
        county: clean_text(&f.county, 40),
        short_description: clean_text(&f.short_description, 300),
        website,
        contact_email: contact,
        domains,
    })
}

pub const MAX_SOCIAL_LINKS: usize = 5;

/// One http(s) link per line, at most five, each at most 200 characters.
pub fn parse_links(raw: &str) -> Result<Vec<String>, K> {
    let links: Vec<String> = raw.lines().map(str::trim).filter(|l| !l.is_empty()).map(str::to_string).collect();
    if links.len() > MAX_SOCIAL_LINKS {
        return Err(K::orgs_profile_err_links_many);
    }
    if links
        .iter()
        .any(|l| !(l.starts_with("https://") || l.starts_with("http://")) || l.len() > 200 || l.contains(' '))
    {
        return Err(K::err_url);
    }
    Ok(links)
}

/// A founding year between the first Romanian associations' era and this year; empty is allowed.
pub fn parse_year(raw: &str, this_year: i64) -> Result<Option<i64>, K> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Ok(None);
    }
    match raw.parse::<i64>() {
        Ok(y) if (1800..=this_year).contains(&y) => Ok(Some(y)),
        _ => Err(K::orgs_profile_err_year),
    }
}

/// The calendar year (UTC, near enough for a founding year) of a time in seconds.
pub fn year_of(utc: i64) -> i64 {
    1970 + utc / 31_556_952
}

/// What an organisation's admin typed on the profile form, before checking.
#[derive(Clone, Debug, Default)]
pub struct ProfileForm {
    pub short_description: String,
    pub description: String,
    pub website: String,
    pub social_links: String,
    pub areas: String,
    pub founding_year: String,
    pub contact_email: String,
}

/// A checked profile, as it is stored.
#[derive(Clone, Debug, PartialEq)]
pub struct ProfileUpdate {
    pub short_description: String,
    pub description: String,
    pub website: String,
    pub social_url: String,
    pub areas: String,
    pub founding_year: Option<i64>,
    pub contact_email: String,
}

/// Checks the profile form; the errors come back per field.
pub fn check_profile(f: &ProfileForm, this_year: i64) -> Result<ProfileUpdate, Vec<(&'static str, K)>> {
    let mut errs = vec![];
    let short = clean_text(&f.short_description, 300);
    if short.chars().count() < 10 {
        errs.push(("short_description", K::err_description));
    }
    let website = clean_text(&f.website, 200);
    if !website_ok(&website) {
        errs.push(("website", K::err_url));
    }
    let links = parse_links(&f.social_links).map_err(|k| errs.push(("social_links", k))).ok();
    let year = parse_year(&f.founding_year, this_year).map_err(|k| errs.push(("founding_year", k))).ok();
    let contact = if f.contact_email.trim().is_empty() {
        Some(String::new())
    } else {
        crate::types::Email::parse(&f.contact_email)
            .map_err(|k| errs.push(("contact_email", k)))
            .ok()
            .map(|e| e.to_string())
    };
    let (Some(links), Some(year), Some(contact), true) = (links, year, contact, errs.is_empty()) else {
        return Err(errs);
    };
    let description: String = f.description.chars().take(5000).collect();
    Ok(ProfileUpdate {
        short_description: short,
        description: description.trim().to_string(),
        website,
        social_url: links.join("\n"),
        areas: clean_text(&f.areas, 300),
        founding_year: year,
        contact_email: contact,
    })
}

/// The message of a logo problem (shown next to the file field).
pub fn logo_problem(code: &str) -> K {
    match code {
        "alt" => K::orgs_profile_err_alt,
        "size" => K::orgs_profile_err_size,
        "type" => K::orgs_profile_err_type,
        _ => K::orgs_profile_err_missing,
    }
}

#[cfg(test)]
pub(crate) mod tests {
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

    #[test]
    fn links_and_years_parse_at_the_edge() {
        assert_eq!(
            parse_links("https://facebook.com/rampa\n\n  https://instagram.com/rampa  ").unwrap(),
            ["https://facebook.com/rampa", "https://instagram.com/rampa"]
        );
        assert_eq!(parse_links("javascript:alert(1)"), Err(K::err_url));
        assert_eq!(parse_links(&"https://x.ro\n".repeat(6)), Err(K::orgs_profile_err_links_many));
        assert_eq!(parse_year("", 2026), Ok(None));
        assert_eq!(parse_year(" 2009 ", 2026), Ok(Some(2009)));
        assert_eq!(parse_year("2027", 2026), Err(K::orgs_profile_err_year));
        assert_eq!(parse_year("anul trecut", 2026), Err(K::orgs_profile_err_year));
        assert_eq!(year_of(1_767_225_600), 2026, "1 January 2026");
    }

    fn registration() -> RegistrationForm {
        RegistrationForm {
            name: "  Asociația Rampa ".into(),
            legal_form: "association".into(),
            cui: "RO18547290".into(),
            registry_number: "".into(),
            locality: "Focșani".into(),
            county: "Vrancea".into(),
            domains: vec!["disability".into(), "nope".into(), "mobility".into()],
            short_description: "Cartografiem rampele din Focșani.".into(),
            website: "https://exemplu.ro".into(),
            contact_email: "Contact@Exemplu.ro".into(),
        }
    }

    #[test]
    fn a_registration_is_cleaned_and_slugged() {
        let o = check_registration(&registration()).unwrap();
        assert_eq!((o.slug.as_str(), o.name.as_str()), ("asociatia-rampa", "Asociația Rampa"));
        assert_eq!(o.cui.as_deref(), Some("18547290"));
        assert_eq!(o.domains, ["disability", "mobility"], "unknown domains are dropped");
        // Informal groups may leave the fiscal code out; nobody else may.
        let informal = RegistrationForm { legal_form: "informal".into(), cui: " ".into(), ..registration() };
        assert_eq!(check_registration(&informal).unwrap().cui, None);
        let no_cui = RegistrationForm { cui: "".into(), ..registration() };
        assert_eq!(check_registration(&no_cui).unwrap_err(), [("cui", K::err_cui_format)]);
    }

    #[test]
    fn registration_errors_come_in_the_form_order() {
        let f = RegistrationForm {
            name: "Ab".into(),
            legal_form: "sect".into(),
            cui: "18547291".into(),
            domains: vec![],
            locality: " ".into(),
            short_description: "scurt".into(),
            website: "ftp://x".into(),
            contact_email: "nu".into(),
            ..registration()
        };
        let fields: Vec<&str> = check_registration(&f).unwrap_err().iter().map(|e| e.0).collect();
        assert_eq!(
            fields,
            ["name", "legal_form", "cui", "domains", "locality", "short_description", "contact_email", "website"]
        );
        // A name with nothing to make an address from is refused, after the other problems.
        let f = RegistrationForm { name: "«»—".into(), website: "x".into(), ..registration() };
        assert_eq!(check_registration(&f).unwrap_err(), [("website", K::err_url), ("name", K::err_org_name)]);
    }

    #[test]
    fn a_profile_is_checked_per_field() {
        let f = ProfileForm {
            short_description: "Cartografiem rampele.".into(),
            description: "  Din 2009.  ".into(),
            website: "".into(),
            social_links: "https://facebook.com/rampa\n https://x.ro ".into(),
            areas: " Focșani, Odobești ".into(),
            founding_year: "2009".into(),
            contact_email: "".into(),
        };
        let p = check_profile(&f, 2026).unwrap();
        assert_eq!(p.social_url, "https://facebook.com/rampa\nhttps://x.ro");
        assert_eq!((p.description.as_str(), p.areas.as_str()), ("Din 2009.", "Focșani, Odobești"));
        assert_eq!((p.founding_year, p.contact_email.as_str()), (Some(2009), ""));
        let bad = ProfileForm {
            short_description: "x".into(),
            website: "rampa.ro".into(),
            social_links: "javascript:alert(1)".into(),
            founding_year: "3000".into(),
            contact_email: "nu".into(),
            ..f
        };
        let fields: Vec<&str> = check_profile(&bad, 2026).unwrap_err().iter().map(|e| e.0).collect();
        assert_eq!(fields, ["short_description", "website", "social_links", "founding_year", "contact_email"]);
    }

    pub(crate) fn user(roles: &[(RoleKind, i64)]) -> SessionUser {
        let roles = roles
            .iter()
            .map(|&(kind, scope_id)| crate::accounts::Role { id: 1, kind, scope_id, scope_name: None })
            .collect();
        SessionUser {
            id: 1,
            email: "ana@exemplu.ro".into(),
            display_name: "Ana".into(),
            locality: String::new(),
            county: String::new(),
            verified: true,
            roles,
        }
    }

    #[test]
    fn only_active_organisations_are_public() {
        assert!(may_view("active", None, 7));
        assert!(!may_view("pending", None, 7));
        assert!(!may_view("restricted", Some(&user(&[(RoleKind::OrgMember, 7)])), 7), "members do not see it");
        assert!(!may_view("pending", Some(&user(&[(RoleKind::OrgAdmin, 8)])), 7), "another organisation's admin");
        assert!(may_view("pending", Some(&user(&[(RoleKind::OrgAdmin, 7)])), 7));
        assert!(may_view("restricted", Some(&user(&[(RoleKind::Admin, 0)])), 7));
    }
}

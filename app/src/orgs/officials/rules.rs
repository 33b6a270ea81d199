//! Officials' rules without a database: whether a work address is at the authority's own domain,
//! what a valid request is, who is already an official.
use crate::accounts::{rules::RoleKind, SessionUser};
use crate::i18n::K;
use crate::text::clean_text;
use crate::types::Email;

/// The host of a website address, without "www."; empty when there is none.
pub fn web_domain(url: &str) -> String {
    let rest = url.trim().trim_start_matches("https://").trim_start_matches("http://");
    let host = rest.split(['/', '?', '#', ':']).next().unwrap_or("").to_lowercase();
    host.trim_start_matches("www.").to_string()
}

/// True when the e-mail's domain is the site's domain or one of its subdomains.
pub fn email_at_domain(email: &str, site: &str) -> bool {
    let site = web_domain(site);
    let Some((_, domain)) = email.trim().to_lowercase().rsplit_once('@').map(|(a, d)| (a.to_string(), d.to_string()))
    else {
        return false;
    };
    !site.is_empty() && (domain == site || domain.ends_with(&format!(".{site}")))
}

/// Whether the work address is proven and at the authority's own web domain: a strong hint for the
/// admin who decides.
pub fn domain_matches(work_verified: bool, work_email: &str, website: &str) -> bool {
    work_verified && email_at_domain(work_email, website)
}

/// Whether the person already holds the official role for this authority.
pub fn is_official(user: &SessionUser, authority_id: i64) -> bool {
    user.roles.iter().any(|r| r.kind == RoleKind::Official && r.scope_id == authority_id)
}

/// A request names the position held and the work address (where the proof is mailed).
pub fn check_request(position: &str, work_email: &str) -> Result<(String, Email), Vec<(&'static str, K)>> {
    let mut errs = vec![];
    let position = clean_text(position, 120);
    if position.chars().count() < 2 {
        errs.push(("position", K::err_required));
    }
    let work_email = Email::parse(work_email).map_err(|k| errs.push(("work_email", k))).ok();
    match work_email {
        Some(e) if errs.is_empty() => Ok((position, e)),
        _ => Err(errs),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn work_address_at_authority_domain() {
        assert_eq!(web_domain("https://www.focsani.info/contact"), "focsani.info");
        assert!(email_at_domain("ion@focsani.info", "https://www.focsani.info"));
        assert!(email_at_domain("ion@primarie.focsani.info", "http://focsani.info/"));
        assert!(!email_at_domain("ion@gmail.com", "https://www.focsani.info"));
        assert!(!email_at_domain("ion@evilfocsani.info", "https://focsani.info"));
        assert!(!email_at_domain("ion@focsani.info", ""));
        assert!(!domain_matches(false, "ion@focsani.info", "https://focsani.info"), "unproven");
        assert!(domain_matches(true, "ion@focsani.info", "https://focsani.info"));
    }

    #[test]
    fn a_request_needs_a_position_and_a_work_address() {
        let (position, email) = check_request(" Consilier ", "Ion@Focsani.info").unwrap();
        assert_eq!((position.as_str(), email.as_str()), ("Consilier", "ion@focsani.info"));
        let fields: Vec<&str> = check_request("x", "nu").unwrap_err().iter().map(|e| e.0).collect();
        assert_eq!(fields, ["position", "work_email"]);
    }

    #[test]
    fn officials_of_this_authority_only() {
        use crate::orgs::catalogue::rules::tests::user;
        assert!(is_official(&user(&[(RoleKind::Official, 3)]), 3));
        assert!(!is_official(&user(&[(RoleKind::Official, 4), (RoleKind::OrgAdmin, 3)]), 3));
    }
}

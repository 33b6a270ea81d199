//! The authority's contact rules without a database: who may edit it, what a phone number is,
//! what a valid contact is, and how it is linked on a page.
use crate::accounts::SessionUser;
use crate::i18n::K;
use crate::text::clean_text;
use crate::types::Email;

/// The longest officer name kept.
pub const NAME_MAX: usize = 120;
/// The longest phone number kept, as typed (separators included).
const PHONE_MAX_CHARS: usize = 40;

/// A phone number as people write it: digits with spaces, dots, dashes and brackets between them,
/// a "+" only in front; 6 to 20 digits. Kept as typed (runs of spaces made one).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Phone(String);

impl Phone {
    pub fn parse(raw: &str) -> Result<Phone, K> {
        let s = raw.split_whitespace().collect::<Vec<_>>().join(" ");
        let allowed = |(i, c): (usize, char)| c.is_ascii_digit() || " -().".contains(c) || (c == '+' && i == 0);
        let digits = s.chars().filter(char::is_ascii_digit).count();
        if s.chars().count() > PHONE_MAX_CHARS || !s.chars().enumerate().all(allowed) || !(6..=20).contains(&digits) {
            return Err(K::err_phone_invalid);
        }
        Ok(Phone(s))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A `tel:` link for a stored number: its digits, with the "+" it starts with.
pub fn tel_href(phone: &str) -> String {
    let p = phone.trim();
    let plus = if p.starts_with('+') { "+" } else { "" };
    format!("tel:{plus}{}", p.chars().filter(char::is_ascii_digit).collect::<String>())
}

/// A `mailto:` link for a stored address.
pub fn mailto_href(email: &str) -> String {
    format!("mailto:{}", email.trim())
}

/// Platform admins and the authority's approved officials (the role is granted on approval).
pub fn may_edit(user: &SessionUser, authority_id: i64) -> bool {
    user.is_admin() || crate::orgs::officials::rules::is_official(user, authority_id)
}

/// What the form sends, as typed.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ContactForm {
    pub officer_name: String,
    pub officer_email: String,
    pub officer_phone: String,
    pub registry_email: String,
}

/// What is stored: every part may be empty (not known yet).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ContactUpdate {
    pub officer_name: String,
    pub officer_email: Option<Email>,
    pub officer_phone: Option<Phone>,
    pub registry_email: Option<Email>,
}

fn optional<T>(raw: &str, parse: fn(&str) -> Result<T, K>) -> Result<Option<T>, K> {
    if raw.trim().is_empty() {
        Ok(None)
    } else {
        parse(raw).map(Some)
    }
}

/// Each field parsed on its own; the errors come in the form's order.
pub fn check_contact(f: &ContactForm) -> Result<ContactUpdate, Vec<(&'static str, K)>> {
    let mut errs = vec![];
    let officer_email = optional(&f.officer_email, Email::parse).map_err(|k| errs.push(("officer_email", k))).ok();
    let officer_phone = optional(&f.officer_phone, Phone::parse).map_err(|k| errs.push(("officer_phone", k))).ok();
    let registry_email = optional(&f.registry_email, Email::parse).map_err(|k| errs.push(("registry_email", k))).ok();
    match (officer_email, officer_phone, registry_email) {
        (Some(officer_email), Some(officer_phone), Some(registry_email)) if errs.is_empty() => Ok(ContactUpdate {
            officer_name: clean_text(&f.officer_name, NAME_MAX),
            officer_email,
            officer_phone,
            registry_email,
        }),
        _ => Err(errs),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::accounts::rules::RoleKind;
    use crate::orgs::catalogue::rules::tests::user;

    #[test]
    fn officer_phone_numbers_are_parsed_leniently() {
        for ok in ["0237 236 000", "+40 (237) 236-000", "0237.236.000", "  021  315 0000 ", "123456", "+4 0237 236 000"]
        {
            assert!(Phone::parse(ok).is_ok(), "{ok}");
        }
        assert_eq!(Phone::parse("  021  315 0000 ").unwrap().as_str(), "021 315 0000");
        assert_eq!(Phone::parse("+40 (237) 236-000").unwrap().as_str(), "+40 (237) 236-000");
        for bad in
            ["12345", "123456789012345678901", "0237 236 000 int. 5", "40+237236000", "0237/236000", "telefon", ""]
        {
            assert_eq!(Phone::parse(bad), Err(K::err_phone_invalid), "{bad}");
        }
        // Exactly 20 digits pass; separators do not count.
        assert!(Phone::parse("12345678901234567890").is_ok());
        assert!(Phone::parse(&format!("1{}23456", " ".repeat(3))).is_ok());
        assert!(Phone::parse(&"(1) ".repeat(11)).is_err(), "too long as typed");
    }

    #[test]
    fn officer_links_carry_only_the_number_and_the_address() {
        assert_eq!(tel_href("+40 (237) 236-000"), "tel:+40237236000");
        assert_eq!(tel_href("0237.236.000"), "tel:0237236000");
        assert_eq!(mailto_href(" transparenta@focsani.ro "), "mailto:transparenta@focsani.ro");
    }

    fn form(name: &str, email: &str, phone: &str, registry: &str) -> ContactForm {
        ContactForm {
            officer_name: name.into(),
            officer_email: email.into(),
            officer_phone: phone.into(),
            registry_email: registry.into(),
        }
    }

    #[test]
    fn officer_contact_is_parsed_per_field() {
        let c = check_contact(&form("  Ana  Pop\u{7} ", "Ana@Focsani.ro", "0237 236 000", "registratura@focsani.ro"))
            .unwrap();
        assert_eq!(c.officer_name, "Ana  Pop");
        assert_eq!(c.officer_email.unwrap().as_str(), "ana@focsani.ro");
        assert_eq!(c.officer_phone.unwrap().as_str(), "0237 236 000");
        assert_eq!(c.registry_email.unwrap().as_str(), "registratura@focsani.ro");
        // Everything empty: not known yet.
        assert_eq!(check_contact(&form(" ", "", "  ", "")).unwrap(), ContactUpdate::default());
        // The name is bounded.
        assert_eq!(check_contact(&form(&"a".repeat(500), "", "", "")).unwrap().officer_name.chars().count(), NAME_MAX);
        let errs = check_contact(&form("Ana", "nu-e-email", "12", "x@")).unwrap_err();
        assert_eq!(
            errs,
            [
                ("officer_email", K::err_email_invalid),
                ("officer_phone", K::err_phone_invalid),
                ("registry_email", K::err_email_invalid)
            ]
        );
    }

    #[test]
    fn officer_contact_is_edited_by_admins_and_this_authoritys_officials() {
        assert!(may_edit(&user(&[(RoleKind::Admin, 0)]), 3));
        assert!(may_edit(&user(&[(RoleKind::Official, 3)]), 3));
        assert!(!may_edit(&user(&[(RoleKind::Official, 4)]), 3), "another authority's official");
        assert!(!may_edit(&user(&[(RoleKind::OrgAdmin, 3), (RoleKind::Moderator, 0)]), 3));
        assert!(!may_edit(&user(&[]), 3), "a resident");
    }
}

//! Rules of the legal pages that need no database: what the feedback form accepts, who receives
//! it, the dates of the statements, and which sentence describes each outside service.
use crate::error::FormState;
use crate::i18n::{Lang, K};
use crate::text::{clean_multiline, clean_text};
use crate::types::Email;
use serde::{Deserialize, Serialize};

pub const NAME_MAX: usize = 100;
pub const PAGE_MAX: usize = 300;
pub const DESCRIPTION_MIN: usize = 10;
pub const DESCRIPTION_MAX: usize = 4000;
/// Feedback messages one IP address may send per hour.
pub const FEEDBACK_PER_HOUR: i64 = 5;
/// Feedback messages per hour from everyone together (each one mails every admin).
pub const FEEDBACK_PER_HOUR_ALL: i64 = 60;

/// When the accessibility statement was prepared and last reviewed (year, month, day); a review
/// moves `REVIEWED_ON` and, when the texts change, `TEXTS_UPDATED_ON`.
pub const PREPARED_ON: (i64, u32, u32) = (2026, 12, 7);
pub const REVIEWED_ON: (i64, u32, u32) = (2026, 12, 7);
/// When the privacy notice, terms and cookie statement last changed.
pub const TEXTS_UPDATED_ON: (i64, u32, u32) = (2026, 12, 7);

/// A day of the calendar as the pages print it ("7 decembrie 2026").
pub fn day(lang: Lang, (y, m, d): (i64, u32, u32)) -> String {
    crate::fmt::date(lang, crate::fmt::bucharest_to_utc(y, m, d, 12, 0))
}

/// The form as typed.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct FeedbackForm {
    pub name: String,
    pub email: String,
    pub page: String,
    pub description: String,
}

/// The form as kept: cleaned and within bounds.
#[derive(Clone, Debug, PartialEq)]
pub struct Feedback {
    pub name: String,
    pub email: Option<Email>,
    pub page: String,
    pub description: String,
}

impl FeedbackForm {
    /// What goes back into the form, whatever went wrong.
    pub fn kept(&self) -> FormState {
        FormState::new()
            .value("name", &self.name)
            .value("email", &self.email)
            .value("page", &self.page)
            .value("description", &self.description)
    }
}

/// Checks every field at once: a message next to each wrong one, the values kept. Too long is
/// said, not cut: the person decides what to leave out.
pub fn check_feedback(f: &FeedbackForm) -> Result<Feedback, FormState> {
    let mut form = f.kept();
    let name = clean_text(&f.name, NAME_MAX + 1);
    if name.chars().count() > NAME_MAX {
        form.add("name", K::legal_a11y_err_name_long);
    }
    let email = match f.email.trim() {
        "" => None,
        raw => form.check("email", Email::parse(raw)),
    };
    let page = clean_text(&f.page, PAGE_MAX + 1);
    if page.chars().count() > PAGE_MAX {
        form.add("page", K::legal_a11y_err_page_long);
    }
    let description = clean_multiline(&f.description, DESCRIPTION_MAX + 1);
    match description.chars().count() {
        n if n < DESCRIPTION_MIN => form.add("description", K::legal_a11y_err_description_short),
        n if n > DESCRIPTION_MAX => form.add("description", K::legal_a11y_err_description_long),
        _ => {}
    }
    if form.is_ok() {
        Ok(Feedback { name, email, page, description })
    } else {
        Err(form)
    }
}

/// Who hears of a feedback message: every platform admin (accounts with the role, then the
/// addresses of `ADMIN_EMAILS` not yet among them), once each; the operator's address when there
/// is no admin at all. Accounts keep their language; configured addresses get Romanian.
pub fn recipients(
    role_admins: &[(String, String)],
    configured: &[String],
    operator_email: &str,
) -> Vec<(String, Lang)> {
    fn add(out: &mut Vec<(String, Lang)>, email: &str, lang: Lang) {
        let email = email.trim();
        if !email.is_empty() && !out.iter().any(|(e, _)| e.eq_ignore_ascii_case(email)) {
            out.push((email.to_string(), lang));
        }
    }
    let mut out = vec![];
    for (email, lang) in role_admins {
        add(&mut out, email, Lang::from_code(lang));
    }
    for email in configured {
        add(&mut out, email, Lang::Ro);
    }
    if out.is_empty() {
        add(&mut out, operator_email, Lang::Ro);
    }
    out
}

/// The sentence that says who takes card payments.
pub fn payments_line(provider: &str) -> K {
    match provider {
        "stripe" => K::legal_privacy_to_stripe,
        "netopia" => K::legal_privacy_to_netopia,
        "test" => K::legal_privacy_to_test_payments,
        _ => K::legal_privacy_to_no_payments,
    }
}

/// A host for people to read: `https://tile.openstreetmap.org` → `tile.openstreetmap.org`.
pub fn host_of(origin: &str) -> &str {
    origin.split("://").nth(1).unwrap_or(origin).trim_end_matches('/')
}

/// Whole days, rounded up, for lifetimes kept in seconds.
pub fn days(secs: i64) -> i64 {
    (secs + 86_399) / 86_400
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(name: &str, email: &str, page: &str, description: &str) -> FeedbackForm {
        FeedbackForm { name: name.into(), email: email.into(), page: page.into(), description: description.into() }
    }

    fn fields(r: Result<Feedback, FormState>) -> Vec<String> {
        r.unwrap_err().errors.into_iter().map(|e| e.field).collect()
    }

    #[test]
    fn only_the_description_is_required() {
        let ok = check_feedback(&form("", "", "", "  Butonul de pe hartă nu are nume.  ")).unwrap();
        assert_eq!(ok.description, "Butonul de pe hartă nu are nume.");
        assert_eq!((ok.name.as_str(), ok.email.is_none(), ok.page.as_str()), ("", true, ""));
        assert_eq!(fields(check_feedback(&form("Ana", "", "/map", "scurt"))), ["description"]);
        assert_eq!(fields(check_feedback(&form("", "", "", ""))), ["description"]);
    }

    #[test]
    fn every_wrong_field_is_named_and_every_value_kept() {
        let long_name = "N".repeat(NAME_MAX + 1);
        let long_page = "/p".repeat(PAGE_MAX);
        let f = form(&long_name, "ana@", &long_page, &"x".repeat(DESCRIPTION_MAX + 1));
        let err = check_feedback(&f).unwrap_err();
        let got: Vec<_> = err.errors.iter().map(|e| (e.field.as_str(), e.msg)).collect();
        assert_eq!(
            got,
            [
                ("name", K::legal_a11y_err_name_long),
                ("email", K::err_email_invalid),
                ("page", K::legal_a11y_err_page_long),
                ("description", K::legal_a11y_err_description_long),
            ]
        );
        assert_eq!(err.value_of("email").as_deref(), Some("ana@"));
        assert_eq!(err.value_of("name").as_deref(), Some(long_name.as_str()));
    }

    #[test]
    fn bounds_are_inclusive_and_text_is_cleaned() {
        let f = form(&"N".repeat(NAME_MAX), " Ana@Exemplu.RO ", &"p".repeat(PAGE_MAX), &"d".repeat(DESCRIPTION_MAX));
        let ok = check_feedback(&f).unwrap();
        assert_eq!(ok.email.unwrap().as_str(), "ana@exemplu.ro");
        let ok = check_feedback(&form("A\u{7}na", "", "/map\r\n", "prima linie\r\na doua linie\u{0}")).unwrap();
        assert_eq!((ok.name.as_str(), ok.page.as_str()), ("Ana", "/map"));
        assert_eq!(ok.description, "prima linie\na doua linie");
    }

    #[test]
    fn admins_hear_once_each_and_the_operator_only_without_admins() {
        let roles =
            vec![("Ana@Exemplu.ro".to_string(), "en".to_string()), ("dan@exemplu.ro".to_string(), "ro".to_string())];
        let configured = vec!["ana@exemplu.ro".to_string(), "sef@exemplu.ro".to_string()];
        assert_eq!(
            recipients(&roles, &configured, "operator@exemplu.ro"),
            [
                ("Ana@Exemplu.ro".to_string(), Lang::En),
                ("dan@exemplu.ro".to_string(), Lang::Ro),
                ("sef@exemplu.ro".to_string(), Lang::Ro)
            ]
        );
        assert_eq!(recipients(&[], &[], "operator@exemplu.ro"), [("operator@exemplu.ro".to_string(), Lang::Ro)]);
        assert!(recipients(&[], &[], "").is_empty());
    }

    #[test]
    fn outside_services_are_named_as_configured() {
        assert_eq!(payments_line("stripe"), K::legal_privacy_to_stripe);
        assert_eq!(payments_line("netopia"), K::legal_privacy_to_netopia);
        assert_eq!(payments_line("test"), K::legal_privacy_to_test_payments);
        assert_eq!(payments_line(""), K::legal_privacy_to_no_payments);
        assert_eq!(host_of("https://tile.openstreetmap.org"), "tile.openstreetmap.org");
        assert_eq!(host_of("s3.furnizor.ro"), "s3.furnizor.ro");
        assert_eq!((days(14 * 86_400), days(3600), days(30 * 86_400 + 1)), (14, 1, 31));
    }

    #[test]
    fn dates_print_in_each_language() {
        assert_eq!(day(Lang::Ro, (2026, 12, 7)), "7 decembrie 2026");
        assert_eq!(day(Lang::En, (2026, 12, 7)), "7 December 2026");
    }
}

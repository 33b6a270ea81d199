//! Values that are parsed once at the edge, so the core never sees an unchecked string.
pub mod money;

use crate::i18n::K;
use serde::{Deserialize, Serialize};
use std::fmt;

/// A normalised (trimmed, lower-cased) e-mail address.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Email(String);

impl Email {
    pub fn parse(raw: &str) -> Result<Email, K> {
        let s = raw.trim().to_lowercase();
        if s.is_empty() {
            return Err(K::err_email_required);
        }
        let Some((local, domain)) = s.split_once('@') else {
            return Err(K::err_email_invalid);
        };
        let ok = s.len() <= 254
            && !local.is_empty()
            && local.len() <= 64
            && domain.contains('.')
            && !domain.starts_with('.')
            && !domain.ends_with('.')
            && !domain.contains("..")
            && !s.chars().any(|c| c.is_whitespace() || c.is_control() || c == '<' || c == '>')
            && !domain.contains('@');
        if ok {
            Ok(Email(s))
        } else {
            Err(K::err_email_invalid)
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// An address shown to whoever holds a link, not proven to own the mailbox: `a***@example.ro`.
pub fn mask_email(addr: &str) -> String {
    match addr.split_once('@') {
        Some((local, domain)) => {
            let first: String = local.chars().take(1).collect();
            format!("{first}***@{domain}")
        }
        None => "***".into(),
    }
}

/// A URL-safe identifier made from a name: lower-case ASCII, digits and dashes, diacritics folded.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Slug(String);

impl Slug {
    pub fn from_name(name: &str) -> Option<Slug> {
        let mut out = String::new();
        for ch in crate::types::fold_diacritics(name).chars() {
            if ch.is_ascii_alphanumeric() {
                out.push(ch.to_ascii_lowercase());
            } else if !out.ends_with('-') && !out.is_empty() {
                out.push('-');
            }
        }
        let out = out.trim_end_matches('-').chars().take(80).collect::<String>();
        let out = out.trim_end_matches('-').to_string();
        (!out.is_empty()).then_some(Slug(out))
    }

    pub fn parse(raw: &str) -> Option<Slug> {
        let ok = !raw.is_empty()
            && raw.len() <= 80
            && raw.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
            && !raw.starts_with('-')
            && !raw.ends_with('-');
        ok.then(|| Slug(raw.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Folds Romanian (and common Latin) diacritics, comma and cedilla forms alike: "Focșani", "Focşani" → "Focsani".
pub fn fold_diacritics(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            'ă' | 'â' | 'à' | 'á' | 'ä' => 'a',
            'Ă' | 'Â' | 'À' | 'Á' | 'Ä' => 'A',
            'î' | 'í' | 'ì' => 'i',
            'Î' | 'Í' => 'I',
            'ș' | 'ş' => 's',
            'Ș' | 'Ş' => 'S',
            'ț' | 'ţ' => 't',
            'Ț' | 'Ţ' => 'T',
            'é' | 'è' | 'ë' => 'e',
            'É' => 'E',
            'ö' | 'ó' | 'ő' => 'o',
            'ü' | 'ú' | 'ű' => 'u',
            other => other,
        })
        .collect()
}

/// Password rule: at least 10 characters and not all of one kind, or at least 16 characters
/// (a passphrase). Simple enough to state in one sentence next to the field.
pub fn check_password(pw: &str) -> Result<(), K> {
    let n = pw.chars().count();
    if n < 10 {
        return Err(K::err_password_short);
    }
    if n > 200 {
        return Err(K::err_password_long);
    }
    let kinds = [
        pw.chars().any(|c| c.is_lowercase()),
        pw.chars().any(|c| c.is_uppercase()),
        pw.chars().any(|c| c.is_ascii_digit()),
        pw.chars().any(|c| !c.is_alphanumeric()),
    ]
    .iter()
    .filter(|b| **b)
    .count();
    if n < 16 && kinds < 2 {
        return Err(K::err_password_weak);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_are_normalised_and_checked() {
        assert_eq!(Email::parse("  Ana@Exemplu.RO ").unwrap().as_str(), "ana@exemplu.ro");
        assert_eq!(Email::parse(""), Err(K::err_email_required));
        for bad in ["ana", "ana@", "@x.ro", "ana@ro", "a b@x.ro", "ana@x..ro", "<a@x.ro>"] {
            assert_eq!(Email::parse(bad), Err(K::err_email_invalid), "{bad}");
        }
    }

    #[test]
    fn masked_addresses_keep_only_the_first_letter_and_the_domain() {
        assert_eq!(mask_email("ana.popescu@exemplu.ro"), "a***@exemplu.ro");
        assert_eq!(mask_email("x@y.ro"), "x***@y.ro");
        assert_eq!(mask_email("nonsense"), "***");
    }

    #[test]
    fn slugs_fold_diacritics() {
        assert_eq!(
            Slug::from_name("Asociația „Eu, tu și ei” Focșani").unwrap().as_str(),
            "asociatia-eu-tu-si-ei-focsani"
        );
        assert_eq!(Slug::from_name("Grupul DizAbil.Eu Vrancea").unwrap().as_str(), "grupul-dizabil-eu-vrancea");
        assert!(Slug::from_name("!!!").is_none());
        assert!(Slug::parse("ok-slug-1").is_some());
        assert!(Slug::parse("Bad Slug").is_none());
    }

    #[test]
    fn cedilla_and_comma_forms_fold_alike() {
        assert_eq!(fold_diacritics("Focșani"), "Focsani");
        assert_eq!(fold_diacritics("Focşani"), "Focsani");
        assert_eq!(fold_diacritics("Țară Ţară Înger Ăâ"), "Tara Tara Inger Aa");
    }

    #[test]
    fn password_rule() {
        assert_eq!(check_password("short1A"), Err(K::err_password_short));
        assert_eq!(check_password("aaaaaaaaaaaa"), Err(K::err_password_weak));
        assert!(check_password("parola-buna-7").is_ok());
        assert!(check_password("o fraza destul de lunga").is_ok());
    }
}

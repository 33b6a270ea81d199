//! Account rules that need no database: roles and their scopes, token lifetimes, safe redirects,
//! what a form must hold.
use crate::i18n::{Lang, K, LANG_COOKIE};
use crate::text::clean_text;
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum RoleKind {
    /// Platform administrator.
    Admin,
    /// Moderates comments and reports everywhere.
    Moderator,
    /// Administers one organisation (scope = organisation id).
    OrgAdmin,
    /// Member of one organisation (scope = organisation id).
    OrgMember,
    /// Official of one public authority (scope = authority id).
    Official,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scope {
    Platform,
    Organisation,
    Authority,
}

impl RoleKind {
    pub const ALL: [RoleKind; 5] =
        [RoleKind::Admin, RoleKind::Moderator, RoleKind::OrgAdmin, RoleKind::OrgMember, RoleKind::Official];

    pub fn code(self) -> &'static str {
        match self {
            RoleKind::Admin => "admin",
            RoleKind::Moderator => "moderator",
            RoleKind::OrgAdmin => "org_admin",
            RoleKind::OrgMember => "org_member",
            RoleKind::Official => "official",
        }
    }

    pub fn parse(code: &str) -> Option<RoleKind> {
        RoleKind::ALL.into_iter().find(|r| r.code() == code)
    }

    pub fn scope(self) -> Scope {
        match self {
            RoleKind::Admin | RoleKind::Moderator => Scope::Platform,
            RoleKind::OrgAdmin | RoleKind::OrgMember => Scope::Organisation,
            RoleKind::Official => Scope::Authority,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TokenPurpose {
    Verify,
    Reset,
    ChangeEmail,
}

impl TokenPurpose {
    pub fn code(self) -> &'static str {
        match self {
            TokenPurpose::Verify => "verify",
            TokenPurpose::Reset => "reset",
            TokenPurpose::ChangeEmail => "change_email",
        }
    }

    /// How long a link in an e-mail stays valid: short for password resets, which grant access.
    pub fn lifetime_secs(self) -> i64 {
        match self {
            TokenPurpose::Verify => 48 * 3600,
            TokenPurpose::Reset => 3600,
            TokenPurpose::ChangeEmail => 24 * 3600,
        }
    }
}

/// A link token can be used once, before it expires.
pub fn token_usable(expires_at: i64, used_at: Option<i64>, now: i64) -> bool {
    used_at.is_none() && now < expires_at
}

/// Only same-site paths may follow a sign-in, so a link cannot bounce people to another site.
pub fn safe_next(next: &str) -> &str {
    // Printable ASCII only: the value ends up in a Location header.
    let ok = next.starts_with('/')
        && !next.starts_with("//")
        && !next.starts_with("/\\")
        && next.bytes().all(|b| b.is_ascii_graphic());
    if ok {
        next
    } else {
        "/account"
    }
}

pub const SESSION_LIFETIME_SECS: i64 = 30 * 24 * 3600;
/// The longest idle timeout a deployment may set: sessions idle longer are purged.
pub const MAX_IDLE_SECS: i64 = SESSION_LIFETIME_SECS;

/// What stays of a deleted account: no name, no address that reaches anyone.
pub fn anonymised_email(user_id: i64) -> String {
    format!("deleted-{user_id}@invalid.participa")
}

/// Who signed a contribution, as others see it: nobody (no account behind it: demo data, a
/// platform import), an account since deleted, or a person's name.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Signer {
    #[default]
    Nobody,
    Deleted,
    Named(String),
}

impl Signer {
    /// From `users.display_name` read through a LEFT JOIN: NULL when no account is behind the row,
    /// empty once the account is deleted (deletion blanks the name, and a living account's name
    /// has at least two characters: `check_display_name`).
    pub fn from_column(name: Option<String>) -> Signer {
        match name {
            None => Signer::Nobody,
            Some(n) if n.trim().is_empty() => Signer::Deleted,
            Some(n) => Signer::Named(n),
        }
    }

    /// The one rule for every byline: the person's name, "deleted account" once they deleted it,
    /// and no byline at all without an account (never an empty name).
    pub fn display_name_or_deleted(&self, lang: Lang) -> Option<String> {
        match self {
            Signer::Nobody => None,
            Signer::Deleted => Some(lang.t(K::personal_deleted_account).to_string()),
            Signer::Named(n) => Some(n.clone()),
        }
    }
}

/// The scope a role is granted in, from the admin form's scope select ("org:ID" or "auth:ID"):
/// platform roles need none (0), the others a scope of their own kind.
pub fn scope_id_for(kind: RoleKind, raw_scope: &str) -> Option<i64> {
    match (kind.scope(), raw_scope.split_once(':')) {
        (Scope::Platform, _) => Some(0),
        (Scope::Organisation, Some(("org", id))) => id.parse::<i64>().ok(),
        (Scope::Authority, Some(("auth", id))) => id.parse::<i64>().ok(),
        _ => None,
    }
}

/// A display name as kept: cleaned, at most 80 characters, at least 2.
pub fn check_display_name(raw: &str) -> Result<String, K> {
    let name = clean_text(raw, 80);
    if name.chars().count() < 2 {
        return Err(K::err_name_required);
    }
    Ok(name)
}

/// Deleting an account asks for a word typed out; the word of any language counts, in any case.
pub fn is_delete_word(confirm: &str) -> bool {
    Lang::ALL.iter().any(|l| confirm.trim().eq_ignore_ascii_case(l.t(K::account_delete_word)))
}

/// The `Set-Cookie` value that remembers a chosen language for a year.
pub fn lang_cookie(lang: Lang, secure: bool) -> String {
    let secure = if secure { "; Secure" } else { "" };
    format!("{}={}; Path=/; Max-Age=31536000; SameSite=Lax{secure}", LANG_COOKIE, lang.code())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_byline_names_the_person_says_deleted_or_is_left_out() {
        assert_eq!(Signer::from_column(None), Signer::Nobody);
        assert_eq!(Signer::from_column(Some(String::new())), Signer::Deleted);
        assert_eq!(Signer::from_column(Some("Ana".into())), Signer::Named("Ana".into()));
        assert_eq!(Signer::Nobody.display_name_or_deleted(Lang::Ro), None);
        assert_eq!(Signer::Deleted.display_name_or_deleted(Lang::Ro).as_deref(), Some("cont șters"));
        assert_eq!(Signer::Deleted.display_name_or_deleted(Lang::En).as_deref(), Some("deleted account"));
        assert_eq!(Signer::Named("Ana".into()).display_name_or_deleted(Lang::En).as_deref(), Some("Ana"));
    }

    #[test]
    fn roles_round_trip_and_scopes() {
        for r in RoleKind::ALL {
            assert_eq!(RoleKind::parse(r.code()), Some(r));
        }
        assert_eq!(RoleKind::parse("root"), None);
        assert_eq!(RoleKind::Official.scope(), Scope::Authority);
        assert_eq!(RoleKind::OrgMember.scope(), Scope::Organisation);
        assert_eq!(RoleKind::Moderator.scope(), Scope::Platform);
    }

    #[test]
    fn tokens_expire_and_are_single_use() {
        assert!(token_usable(100, None, 99));
        assert!(!token_usable(100, None, 100));
        assert!(!token_usable(100, Some(50), 60));
        assert!(TokenPurpose::Reset.lifetime_secs() < TokenPurpose::Verify.lifetime_secs());
    }

    #[test]
    fn next_must_stay_on_site() {
        assert_eq!(safe_next("/account/profile?x=1"), "/account/profile?x=1");
        for bad in [
            "https://evil.example",
            "//evil.example",
            "/\\evil",
            "javascript:alert(1)",
            "/a\r\nSet-Cookie: x",
            "/Focșani",
            "/a b",
        ] {
            assert_eq!(safe_next(bad), "/account", "{bad}");
        }
    }

    #[test]
    fn roles_are_granted_in_a_scope_of_their_kind() {
        assert_eq!(scope_id_for(RoleKind::Admin, ""), Some(0));
        assert_eq!(scope_id_for(RoleKind::Moderator, "org:7"), Some(0), "platform roles ignore the scope");
        assert_eq!(scope_id_for(RoleKind::OrgAdmin, "org:7"), Some(7));
        assert_eq!(scope_id_for(RoleKind::OrgMember, "auth:7"), None, "an authority is not an organisation");
        assert_eq!(scope_id_for(RoleKind::Official, "auth:3"), Some(3));
        assert_eq!(scope_id_for(RoleKind::Official, ""), None);
        assert_eq!(scope_id_for(RoleKind::OrgAdmin, "org:x"), None);
    }

    #[test]
    fn display_names_are_cleaned_and_need_two_characters() {
        assert_eq!(check_display_name("  Ana\u{7} Pop  "), Ok("Ana Pop".to_string()));
        assert_eq!(check_display_name(" A "), Err(K::err_name_required));
        assert_eq!(check_display_name("Ță"), Ok("Ță".to_string()), "characters, not bytes");
        assert_eq!(check_display_name(&"x".repeat(100)).map(|n| n.len()), Ok(80));
    }

    #[test]
    fn the_delete_word_counts_in_every_language() {
        for l in Lang::ALL {
            let word = l.t(K::account_delete_word);
            assert!(is_delete_word(word));
            assert!(is_delete_word(&format!("  {}  ", word.to_uppercase())));
        }
        assert!(is_delete_word(" delete "), "ASCII letters in any case");
        assert!(!is_delete_word(""));
        assert!(!is_delete_word("da"));
    }

    #[test]
    fn the_language_cookie_lasts_a_year() {
        assert_eq!(lang_cookie(Lang::Ro, false), "lang=ro; Path=/; Max-Age=31536000; SameSite=Lax");
        assert!(lang_cookie(Lang::En, true).starts_with("lang=en;"));
        assert!(lang_cookie(Lang::En, true).ends_with("; Secure"));
    }
}

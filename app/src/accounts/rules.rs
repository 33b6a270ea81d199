//! Account rules that need no database: roles, token lifetimes, safe redirects.
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

#[cfg(test)]
mod tests {
    use super::*;

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
}

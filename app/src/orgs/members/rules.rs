//! Who manages an organisation and who belongs to it, what an invitation is worth, and who may
//! leave: rules without a database.
use crate::accounts::{rules::RoleKind, SessionUser};

/// How long an invitation link works.
pub const INVITE_LIFETIME_SECS: i64 = 14 * 86_400;

/// Who may manage an organisation's members: its admins and platform admins.
pub fn can_manage(user: &SessionUser, org_id: i64) -> bool {
    user.is_admin() || user.has_scoped(RoleKind::OrgAdmin, org_id)
}

/// Its admins and members belong to an organisation (platform admins do not, by that alone).
pub fn is_member(user: &SessionUser, org_id: i64) -> bool {
    user.has_scoped(RoleKind::OrgAdmin, org_id) || user.has_scoped(RoleKind::OrgMember, org_id)
}

/// The role an invitation gives: admin only when asked for, member otherwise.
pub fn invited_role(code: &str) -> RoleKind {
    if code == "org_admin" {
        RoleKind::OrgAdmin
    } else {
        RoleKind::OrgMember
    }
}

/// What an invitation link is worth to the person who opens it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum InviteCheck {
    Usable,
    /// It was sent to another address: it belongs to that account.
    OtherAccount,
    /// Unknown, expired or already used.
    Invalid,
}

/// An invitation is used once, before it expires, only from the account with the invited address.
pub fn check_invite(expires_at: i64, accepted_at: Option<i64>, invited: &str, mine: &str, now: i64) -> InviteCheck {
    if !crate::accounts::rules::token_usable(expires_at, accepted_at, now) {
        InviteCheck::Invalid
    } else if invited != mine {
        InviteCheck::OtherAccount
    } else {
        InviteCheck::Usable
    }
}

/// A member may be removed, unless it is the organisation's last admin.
pub fn may_remove(role: &str, admins: i64) -> bool {
    role != "org_admin" || admins > 1
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::orgs::catalogue::rules::tests::user;

    #[test]
    fn admins_manage_members_belong() {
        let admin = user(&[(RoleKind::OrgAdmin, 7)]);
        let member = user(&[(RoleKind::OrgMember, 7)]);
        let platform = user(&[(RoleKind::Admin, 0)]);
        assert!(can_manage(&admin, 7) && !can_manage(&admin, 8), "only their own organisation");
        assert!(!can_manage(&member, 7));
        assert!(can_manage(&platform, 7));
        assert!(is_member(&admin, 7) && is_member(&member, 7));
        assert!(!is_member(&platform, 7) && !is_member(&member, 8));
        assert_eq!(invited_role("org_admin"), RoleKind::OrgAdmin);
        assert_eq!(invited_role("admin"), RoleKind::OrgMember, "nothing more than an organisation admin");
    }

    #[test]
    fn an_invitation_is_used_once_in_time_by_its_address() {
        let (ana, ion) = ("ana@exemplu.ro", "ion@exemplu.ro");
        assert_eq!(check_invite(100, None, ana, ana, 50), InviteCheck::Usable);
        assert_eq!(check_invite(100, None, ana, ion, 50), InviteCheck::OtherAccount);
        assert_eq!(check_invite(100, Some(40), ana, ana, 50), InviteCheck::Invalid, "used");
        assert_eq!(check_invite(100, None, ana, ion, 150), InviteCheck::Invalid, "expired, whoever opens it");
    }

    #[test]
    fn the_last_admin_stays() {
        assert!(may_remove("org_member", 1));
        assert!(may_remove("org_admin", 2));
        assert!(!may_remove("org_admin", 1));
    }
}

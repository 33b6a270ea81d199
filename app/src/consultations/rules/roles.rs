//! Who may do what on a consultation, read from a person's roles.
use crate::accounts::rules::RoleKind;
use crate::accounts::SessionUser;

/// Who organises for an owner: an official of that authority, an admin of that organisation,
/// or a platform admin.
pub fn is_organiser(user: &SessionUser, owner_kind: &str, owner_id: i64) -> bool {
    user.is_admin()
        || match owner_kind {
            "authority" => user.has_scoped(RoleKind::Official, owner_id),
            "org" => user.has_scoped(RoleKind::OrgAdmin, owner_id),
            _ => false,
        }
}

/// Moderators: platform moderators and admins everywhere, organisers on their own consultations.
pub fn is_moderator(user: &SessionUser, owner_kind: &str, owner_id: i64) -> bool {
    user.has(RoleKind::Moderator) || is_organiser(user, owner_kind, owner_id)
}

/// Platform moderators and admins see every consultation's queue (and its counts).
pub fn moderates_everywhere(user: &SessionUser) -> bool {
    user.is_admin() || user.has(RoleKind::Moderator)
}

/// Organisations a person may comment for.
pub fn speaking_for(user: &SessionUser) -> Vec<(i64, String)> {
    let mut v: Vec<(i64, String)> = user
        .roles
        .iter()
        .filter(|r| matches!(r.kind, RoleKind::OrgAdmin | RoleKind::OrgMember))
        .map(|r| (r.scope_id, r.scope_name.clone().unwrap_or_default()))
        .collect();
    v.sort();
    v.dedup_by_key(|o| o.0);
    v
}

/// The owners a person organises for through their own roles, as (kind, id, name): the
/// authorities they are an official of and the organisations they administer.
pub fn organised_owners(user: &SessionUser) -> Vec<(&'static str, i64, String)> {
    user.roles
        .iter()
        .filter_map(|r| {
            let kind = match r.kind {
                RoleKind::Official => "authority",
                RoleKind::OrgAdmin => "org",
                _ => return None,
            };
            Some((kind, r.scope_id, r.scope_name.clone().unwrap_or_default()))
        })
        .collect()
}

/// Who sees the "new consultation" button: admins, officials and organisation admins.
pub fn can_create(user: &SessionUser) -> bool {
    user.is_admin() || user.has(RoleKind::Official) || user.has(RoleKind::OrgAdmin)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::accounts::Role;

    fn person(roles: &[(RoleKind, i64)]) -> SessionUser {
        SessionUser {
            id: 1,
            email: "p@x.invalid".into(),
            display_name: "P".into(),
            locality: String::new(),
            county: String::new(),
            verified: true,
            roles: roles
                .iter()
                .enumerate()
                .map(|(i, (kind, scope))| Role {
                    id: i as i64,
                    kind: *kind,
                    scope_id: *scope,
                    scope_name: Some(format!("N{scope}")),
                })
                .collect(),
        }
    }

    #[test]
    fn an_admin_organises_everywhere() {
        let admin = person(&[(RoleKind::Admin, 0)]);
        assert!(is_organiser(&admin, "authority", 3) && is_organiser(&admin, "org", 9));
        assert!(is_moderator(&admin, "org", 9) && moderates_everywhere(&admin) && can_create(&admin));
        assert!(organised_owners(&admin).is_empty(), "an admin picks from every authority instead");
    }

    #[test]
    fn an_official_organises_for_their_own_authority_only() {
        let official = person(&[(RoleKind::Official, 3)]);
        assert!(is_organiser(&official, "authority", 3));
        assert!(!is_organiser(&official, "authority", 4), "another authority");
        assert!(!is_organiser(&official, "org", 3), "an organisation with the same id");
        assert!(is_moderator(&official, "authority", 3) && !is_moderator(&official, "authority", 4));
        assert!(!moderates_everywhere(&official) && can_create(&official));
        assert_eq!(organised_owners(&official), [("authority", 3, "N3".to_string())]);
        assert!(speaking_for(&official).is_empty());
    }

    #[test]
    fn an_org_member_speaks_for_it_but_does_not_organise() {
        let member = person(&[(RoleKind::OrgMember, 5), (RoleKind::OrgAdmin, 2), (RoleKind::OrgMember, 2)]);
        assert!(!is_organiser(&member, "org", 5));
        assert!(is_organiser(&member, "org", 2));
        assert_eq!(speaking_for(&member), [(2, "N2".to_string()), (5, "N5".to_string())]);
        assert_eq!(organised_owners(&member), [("org", 2, "N2".to_string())]);
        let plain = person(&[(RoleKind::OrgMember, 5)]);
        assert!(!can_create(&plain) && organised_owners(&plain).is_empty());
        let moderator = person(&[(RoleKind::Moderator, 0)]);
        assert!(is_moderator(&moderator, "org", 5) && !is_organiser(&moderator, "org", 5));
    }
}

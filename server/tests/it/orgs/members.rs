//! Invitations and join requests.
use super::*;

#[tokio::test]
async fn members_are_invited_by_email_or_ask_to_join() {
    use app::orgs::members::*;
    for kind in backends() {
        let s = spawn(kind).await;
        let admin = verified_user(&s, "sef@exemplu.ro").await;
        let res = s.call(&admin, RegisterOrg::PATH, &org_form("Grupul Rampa", "informal", "")).await;
        assert!(res.headers().contains_key("location"));
        let org: OrgProfile = s.call(&admin, GetOrg::PATH, &[("slug", "grupul-rampa")]).await.json().await.unwrap();
        let id = org.card.id.to_string();

        // A stranger cannot invite.
        let stranger = verified_user(&s, "strain@exemplu.ro").await;
        let res = s
            .call(&stranger, InviteMember::PATH, &[("org_id", &id), ("email", "x@exemplu.ro"), ("role", "org_member")])
            .await;
        assert_eq!(error_of(res).await, Problem::Forbidden);

        let res = s
            .call(
                &admin,
                InviteMember::PATH,
                &[("org_id", &id), ("email", "membru@exemplu.ro"), ("role", "org_member")],
            )
            .await;
        assert_eq!(res.headers()["location"], "/organisations/grupul-rampa?invited=1");
        let token = s.token_for("membru@exemplu.ro").await;
        // The link works only for the invited address.
        let res = s.call(&stranger, AcceptInvite::PATH, &[("token", &token)]).await;
        assert_eq!(error_of(res).await, Problem::Refused(K::err_invite_other_account));
        let member = verified_user(&s, "membru@exemplu.ro").await;
        let res = s.call(&member, AcceptInvite::PATH, &[("token", &token)]).await;
        assert_eq!(res.headers()["location"], "/organisations/grupul-rampa?joined=1");
        let res = s.call(&member, AcceptInvite::PATH, &[("token", &token)]).await;
        assert_eq!(error_of(res).await, Problem::Refused(K::err_link_invalid), "used once");

        // The stranger asks to join; the admin approves.
        let res = s.call(&stranger, RequestJoin::PATH, &[("org_id", &id), ("message", "Vreau să ajut")]).await;
        assert!(res.headers().contains_key("location"));
        let m: Membership = s.call(&admin, GetMembership::PATH, &[("org_id", &id)]).await.json().await.unwrap();
        assert_eq!(m.requests.len(), 1);
        assert_eq!(m.members.len(), 2);
        let rid = m.requests[0].id.to_string();
        let res = s.call(&member, DecideJoin::PATH, &[("org_id", &id), ("request_id", &rid), ("approve", "yes")]).await;
        assert_eq!(error_of(res).await, Problem::Forbidden, "members do not decide");
        s.call(&admin, DecideJoin::PATH, &[("org_id", &id), ("request_id", &rid), ("approve", "yes")]).await;
        let m: Membership = s.call(&admin, GetMembership::PATH, &[("org_id", &id)]).await.json().await.unwrap();
        assert_eq!(m.members.len(), 3);
        assert!(m.requests.is_empty());

        // The last admin stays.
        let admin_role = m.members.iter().find(|x| x.admin).unwrap().role_id.to_string();
        let res = s.call(&admin, RemoveMember::PATH, &[("org_id", &id), ("role_id", &admin_role)]).await;
        assert_eq!(error_of(res).await, Problem::Refused(K::err_last_org_admin));
    }
}

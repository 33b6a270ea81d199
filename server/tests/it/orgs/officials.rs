//! Officials approved from their request.
use super::*;

#[tokio::test]
async fn officials_are_approved_by_an_admin_from_their_request() {
    use app::orgs::officials::*;
    for kind in backends() {
        let s = spawn(kind).await;
        let a = app::orgs::db::authorities(&s.db, "").await.unwrap().into_iter().next().expect("demo authorities");
        let aid = a.id.to_string();
        let form = |email: &'static str| {
            vec![
                ("authority_id", aid.clone()),
                ("position", "Consilier".into()),
                ("work_email", email.into()),
                ("message", "".into()),
            ]
        };
        // Signed out: refused.
        let res = post(&s, &client(), RequestOfficial::PATH, &form("ion@primarie.ro")).await;
        assert_eq!(error_of(res).await, Problem::Unauthenticated);

        let ion = verified_user(&s, "ion@exemplu.ro").await;
        // A bad work address comes back next to its field.
        let res = post(&s, &ion, RequestOfficial::PATH, &form("nu-e-email")).await;
        let p = error_of(res).await;
        assert_eq!(p.form().unwrap().errors[0].field, "work_email");
        let res = post(&s, &ion, RequestOfficial::PATH, &form("ion@primarie.ro")).await;
        assert_eq!(res.headers()["location"], format!("/authorities/{}?requested=1", a.slug));
        // One pending request per person and authority.
        let res = post(&s, &ion, RequestOfficial::PATH, &form("ion@primarie.ro")).await;
        assert_eq!(error_of(res).await, Problem::Refused(K::officials_already));
        let st: MyStanding =
            post(&s, &ion, OfficialStanding::PATH, &[("authority_id", aid.clone())]).await.json().await.unwrap();
        assert_eq!(st, MyStanding::Pending);

        // Only platform admins see and decide requests.
        let res = post(&s, &ion, PendingOfficialRequests::PATH, &[]).await;
        assert_eq!(error_of(res).await, Problem::Forbidden);
        let admin = verified_user(&s, "admin@exemplu.ro").await;
        let uid = app::accounts::db::find_user_by_email(&s.db, "admin@exemplu.ro").await.unwrap().unwrap().id;
        app::accounts::db::grant_role(&s.db, uid, app::accounts::rules::RoleKind::Admin, 0, uid).await.unwrap();
        let list: Vec<OfficialRequest> =
            post(&s, &admin, PendingOfficialRequests::PATH, &[]).await.json().await.unwrap();
        assert_eq!(list.len(), 1);
        assert_eq!(list[0].work_email, "ion@primarie.ro");
        assert!(!list[0].work_verified && !list[0].domain_matches, "not proven yet");
        let rid = list[0].id.to_string();
        let decide = vec![("request_id", rid.clone()), ("approve", "yes".into()), ("note", "".into())];
        let res = post(&s, &ion, DecideOfficial::PATH, &decide.clone()).await;
        assert_eq!(error_of(res).await, Problem::Forbidden);
        // No approval before the work address is proven by its link.
        let res = post(&s, &admin, DecideOfficial::PATH, &decide.clone()).await;
        assert_eq!(error_of(res).await, Problem::Refused(K::officials_err_unconfirmed));
        let token = s.token_for("ion@primarie.ro").await;
        let res = post(&s, &client(), ConfirmWorkEmail::PATH, &[("token", token.clone())]).await;
        assert_eq!(res.headers()["location"], format!("/authorities/{}?work_confirmed=1", a.slug));
        let res = post(&s, &client(), ConfirmWorkEmail::PATH, &[("token", token)]).await;
        assert_eq!(error_of(res).await, Problem::Refused(K::err_link_invalid), "single use");
        let res = post(&s, &admin, DecideOfficial::PATH, &decide.clone()).await;
        assert_eq!(res.headers()["location"], "/admin/officials?decided=1");
        // Decided once: a second decision finds nothing pending.
        let res = post(&s, &admin, DecideOfficial::PATH, &decide).await;
        assert_eq!(error_of(res).await, Problem::Refused(K::officials_err_unconfirmed));

        let me: Option<app::accounts::SessionUser> =
            post(&s, &ion, app::accounts::GetMe::PATH, &[]).await.json().await.unwrap();
        let roles = me.unwrap().roles;
        assert!(roles.iter().any(|r| r.kind == app::accounts::rules::RoleKind::Official && r.scope_id == a.id));
        let st: MyStanding =
            post(&s, &ion, OfficialStanding::PATH, &[("authority_id", aid.clone())]).await.json().await.unwrap();
        assert_eq!(st, MyStanding::Official);
        let mail: String = sqlx::query_scalar(
            "SELECT subject FROM mail_outbox WHERE to_addr = 'ion@exemplu.ro' AND kind = 'official_decision'",
        )
        .fetch_one(&s.db.pool)
        .await
        .unwrap();
        assert!(!mail.is_empty());
    }
}

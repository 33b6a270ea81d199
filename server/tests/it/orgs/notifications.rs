//! The notification centre decides which optional mail is queued.
use super::*;

#[tokio::test]
async fn notification_settings_decide_which_optional_mail_is_queued() {
    use app::accounts::notify::*;
    for kind in backends() {
        let s = spawn(kind).await;
        let dana = verified_user(&s, "dana@exemplu.ro").await;
        let res = s.call(&client(), SaveNotifications::PATH, &[]).await;
        assert_eq!(
            serde_json::from_str::<app::accounts::AccountsError>(&res.text().await.unwrap()).unwrap().0,
            Problem::Unauthenticated
        );
        let mail = |kind: &'static str| {
            app::ssr::mail::compose(app::i18n::Lang::Ro, "dana@exemplu.ro", kind, K::mail_verify_subject, &[], None)
        };
        // Defaults: optional mail is on.
        assert!(app::ssr::mail::enqueue(&s.db, &mail("event_reminder")).await.unwrap());
        // Everything optional switched off except join requests.
        let res = s.call(&dana, SaveNotifications::PATH, &[("on[]", "org_join_request")]).await;
        assert_eq!(res.headers()["location"], "/account/notifications?saved=1");
        let saved: Option<Settings> = s.call(&dana, MyNotifications::PATH, &[]).await.json().await.unwrap();
        let saved = saved.unwrap();
        assert!(!saved.paused);
        let on: Vec<&str> =
            saved.groups.iter().flat_map(|g| g.optional.iter()).filter(|k| k.on).map(|k| k.code.as_str()).collect();
        assert_eq!(on, ["org_join_request"]);
        // Every feature's kinds are listed, in the order the features registered them.
        let headings: Vec<K> = saved.groups.iter().map(|g| g.label).collect();
        assert_eq!(
            headings,
            [
                K::notify_group_account,
                K::notify_group_orgs,
                K::notify_group_map,
                K::notify_group_consultations,
                K::notify_group_donations,
                K::notify_group_platform
            ]
        );
        assert!(!app::ssr::mail::enqueue(&s.db, &mail("event_reminder")).await.unwrap());
        assert!(app::ssr::mail::enqueue(&s.db, &mail("org_join_request")).await.unwrap());
        // Essential mail is never held back, even when everything is paused.
        s.call(&dana, SaveNotifications::PATH, &[("on[]", "org_join_request"), ("pause", "yes")]).await;
        assert!(!app::ssr::mail::enqueue(&s.db, &mail("org_join_request")).await.unwrap());
        assert!(app::ssr::mail::enqueue(&s.db, &mail("verify")).await.unwrap());
        // Someone else's choices do not touch this address.
        let other = verified_user(&s, "ion@exemplu.ro").await;
        s.call(&other, SaveNotifications::PATH, &[("pause", "yes")]).await;
        let for_ion = app::ssr::mail::compose(
            app::i18n::Lang::Ro,
            "ana@exemplu.ro",
            "event_reminder",
            K::mail_verify_subject,
            &[],
            None,
        );
        assert!(app::ssr::mail::enqueue(&s.db, &for_ion).await.unwrap());
    }
}

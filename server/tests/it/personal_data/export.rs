//! "Download my data": the JSON holds every registered source and what the person did in each
//! capability; the ZIP holds the same JSON and their photos, read from the store; only the person
//! themself gets them.
use super::*;
use std::io::Read;

fn non_empty(data: &serde_json::Value, key: &str) -> String {
    let v = &data[key];
    let empty = v.is_null() || v.as_array().is_some_and(|a| a.is_empty());
    assert!(!empty, "the export's `{key}` is empty: {v}");
    v.to_string()
}

#[tokio::test]
async fn the_export_holds_every_capability_and_the_zip_holds_the_photos() {
    app::init();
    for kind in backends() {
        let s = spawn(kind).await;
        let p = active_person(&s).await;

        let res = s.get(&p.c, app::accounts::ExportMyData::PATH).await;
        assert_eq!(res.status(), 200, "{kind:?}");
        let data: serde_json::Value = res.json().await.unwrap();
        for src in app::ssr::personal::all() {
            assert!(data.get(src.name).is_some(), "{kind:?}: no `{}` in the export", src.name);
        }
        assert_eq!(data["account"]["email"], EMAIL);
        assert_eq!(data["account"]["display_name"], NAME);
        assert!(non_empty(&data, "map_reports").contains(REPORT), "{kind:?}: the map report");
        assert!(non_empty(&data, "map_photos").contains(PHOTO_ALT), "{kind:?}: the photo");
        non_empty(&data, "map_audits");
        assert!(non_empty(&data, "consultation_comments").contains(COMMENT), "{kind:?}: the comment");
        non_empty(&data, "consultation_follows");
        non_empty(&data, "consultation_supports");
        assert!(non_empty(&data, "consultation_reports_to_moderators").contains(PRIVATE));
        assert!(non_empty(&data, "consultation_subscriptions").contains("urbanism"));
        non_empty(&data, "consultation_debate_registrations");
        assert!(non_empty(&data, "donations").contains(&p.donation), "{kind:?}: the donation");
        non_empty(&data, "event_registrations");
        assert!(non_empty(&data, "newsletter").contains("map"), "{kind:?}: the newsletter");
        assert!(non_empty(&data, "notification_settings").contains('*'), "{kind:?}: the paused mail");
        assert!(non_empty(&data, "organisation_join_requests").contains(PRIVATE));
        assert!(non_empty(&data, "official_requests").contains("zamfira@cjiasi.invalid"));
        non_empty(&data, "sessions");
        non_empty(&data, "emails_sent_to_me");
        let files = non_empty(&data, "files");
        assert!(files.contains(&p.photo) && files.contains(&p.sent_photo), "{kind:?}: {files}");
        // Times are readable, and no secret is exported.
        assert!(data["account"]["created_at"].as_str().is_some_and(|t| t.ends_with('Z')));
        let all = data.to_string();
        assert!(!all.contains("password") && !all.contains("token_hash") && !all.contains("ip_hash"), "{all}");

        // The ZIP: the same data, and the photo as stored.
        let res = s.get(&p.c, "/account/export.zip").await;
        assert_eq!(res.status(), 200, "{kind:?}");
        assert_eq!(res.headers()["content-type"], "application/zip");
        assert!(res.headers()["content-disposition"].to_str().unwrap().contains("attachment"));
        let bytes = res.bytes().await.unwrap();
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes.to_vec())).unwrap();
        let mut json = String::new();
        zip.by_name("data.json").unwrap().read_to_string(&mut json).unwrap();
        let zipped: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(zipped["account"]["email"], EMAIL);
        assert!(zipped["map_reports"].to_string().contains(REPORT));
        let mut photo = vec![];
        zip.by_name(&format!("files/{}", p.photo)).unwrap().read_to_end(&mut photo).unwrap();
        assert_eq!(&photo[..3], &[0xFF, 0xD8, 0xFF], "{kind:?}: the photo, as JPEG");
        let served = s.get(&client(), &format!("/media/{}", p.photo)).await.bytes().await.unwrap();
        assert_eq!(photo, served.to_vec(), "the file as the store holds it");

        // Only the person: signed out, the archive sends to sign in.
        let res = s.get(&client(), "/account/export.zip").await;
        assert_eq!(res.status(), 303, "{kind:?}");
        assert!(res.headers()["location"].to_str().unwrap().starts_with("/account/login"));
        let res = s.get(&client(), app::accounts::ExportMyData::PATH).await;
        assert!(res.status().is_client_error(), "{kind:?}: {}", res.status());

        // Each export reads every source: 20 an hour (one was taken above), then a translated wait.
        for i in 1..20 {
            assert_eq!(s.get(&p.c, app::accounts::ExportMyData::PATH).await.status(), 200, "{kind:?}: export {i}");
        }
        let res = s.get(&p.c, app::accounts::ExportMyData::PATH).await;
        assert_eq!(res.status(), 429, "{kind:?}");
        let body = res.text().await.unwrap();
        match serde_json::from_str::<app::accounts::AccountsError>(&body).map(|e| e.0) {
            Ok(app::error::Problem::RateLimited { retry_after_secs, .. }) => {
                assert!((1..=3600).contains(&retry_after_secs), "{kind:?}: {retry_after_secs}")
            }
            other => panic!("{kind:?}: expected a rate limit, got {other:?}: {body}"),
        }
    }
}

/// Anyone can register with someone else's address: until it is confirmed, what is kept under that
/// address (gifts, newsletter, mail) is neither exported to the account nor erased with it.
#[tokio::test]
async fn an_unconfirmed_address_reaches_nothing_kept_under_it() {
    app::init();
    for kind in backends() {
        let s = spawn(kind).await;
        let p = active_person(&s).await;
        let unconfirm = format!("UPDATE users SET email_verified_at = NULL WHERE id = {}", p.id);
        sqlx::query(&unconfirm).execute(&s.db.pool).await.unwrap();

        let res = s.get(&p.c, app::accounts::ExportMyData::PATH).await;
        assert_eq!(res.status(), 200, "{kind:?}");
        let data: serde_json::Value = res.json().await.unwrap();
        let empty = |key: &str| {
            let v = &data[key];
            v.is_null() || v.as_array().is_some_and(|a| a.is_empty())
        };
        for key in ["donations", "newsletter", "emails_sent_to_me", "accessibility_feedback"] {
            assert!(empty(key), "{kind:?}: `{key}` found by an unconfirmed address: {}", data[key]);
        }
        // What the account did itself is still its own.
        assert!(data["map_reports"].to_string().contains(REPORT), "{kind:?}");

        // Deleting the unconfirmed account leaves the address's subscription alone.
        let before = scalar(&s, &format!("SELECT COUNT(*) FROM newsletter_subscribers WHERE email = '{EMAIL}'")).await;
        assert_eq!(before, 1, "{kind:?}");
        let word = app::i18n::Lang::Ro.t(app::i18n::K::account_delete_word);
        let res = s.call(&p.c, app::accounts::DeleteAccount::PATH, &[("password", PASSWORD), ("confirm", word)]).await;
        assert_eq!(res.headers()["location"], "/?deleted=1", "{kind:?}");
        let gone =
            scalar(&s, &format!("SELECT COUNT(*) FROM users WHERE id = {} AND deleted_at IS NOT NULL", p.id)).await;
        assert_eq!(gone, 1, "{kind:?}: the account is deleted");
        let after = scalar(&s, &format!("SELECT COUNT(*) FROM newsletter_subscribers WHERE email = '{EMAIL}'")).await;
        assert_eq!(after, 1, "{kind:?}: the subscription under the address is not the account's to erase");
    }
}

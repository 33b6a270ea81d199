//! Deleting an account keeps the public record readable: the report and the thread still read,
//! signed "cont șters"; the photo goes (file and alt text) unless its report was sent as a
//! petition; the donation stays for the books without the donor's address, message or public
//! name; nothing personal is left in any column a registered source covers.
use super::coverage::covered;
use super::*;
use app::ssr::personal::After;

/// Columns holding account ids (compared with the id); the others hold text (searched for the
/// person's address and name).
fn holds_an_id(column: &str) -> bool {
    column.ends_with("_id") || column.ends_with("_by")
}

#[tokio::test]
async fn deleting_an_account_keeps_the_record_readable_and_nothing_personal() {
    app::init();
    for kind in backends() {
        let s = spawn(kind).await;
        let p = active_person(&s).await;
        let report_page = format!("/map/reports/{}", p.report);
        let before = s.get(&client(), &report_page).await.text().await.unwrap();
        assert!(
            before.contains(NAME) && before.contains(PHOTO_ALT),
            "{kind:?}: the report is signed and shows the photo"
        );
        let wall = format!("{}/campaigns/rampe-la-institutiile-din-focsani", s.base);
        assert!(client().get(&wall).send().await.unwrap().text().await.unwrap().contains(NAME), "{kind:?}: the wall");

        let word = app::i18n::Lang::Ro.t(app::i18n::K::account_delete_word);
        let res = s.call(&p.c, app::accounts::DeleteAccount::PATH, &[("password", PASSWORD), ("confirm", word)]).await;
        assert_eq!(res.headers()["location"], "/?deleted=1", "{kind:?}");

        // The report reads, signed "cont șters", without the photo or its alt text; the file is gone.
        let page = s.get(&client(), &report_page).await.text().await.unwrap();
        assert!(page.contains(REPORT), "{kind:?}: the report still reads");
        assert!(page.contains("cont șters"), "{kind:?}: signed deleted account");
        assert!(!page.contains(NAME) && !page.contains(PHOTO_ALT), "{kind:?}: no name, no photo");
        for key in [p.photo.clone(), p.photo.replace(".jpg", "_t.jpg")] {
            assert_eq!(s.get(&client(), &format!("/media/{key}")).await.status(), 404, "{kind:?}: {key} deleted");
        }
        // The photo of the report sent as a petition stays, with no uploader.
        let sent = s.get(&client(), &format!("/map/reports/{}", p.sent_report)).await.text().await.unwrap();
        assert!(sent.contains(SENT_ALT) && sent.contains("cont șters"), "{kind:?}: evidence kept");
        assert_eq!(s.get(&client(), &format!("/media/{}", p.sent_photo)).await.status(), 200);
        let sql = format!("SELECT COUNT(*) FROM map_photos WHERE key_full = '{}' AND created_by IS NULL", p.sent_photo);
        assert_eq!(scalar(&s, &sql).await, 1, "{kind:?}: kept unattributed");
        // In English too, and a report without any reporter shows no empty byline.
        let en = s.client.get(format!("{}{report_page}", s.base)).header("cookie", "lang=en").send().await.unwrap();
        assert!(en.text().await.unwrap().contains("deleted account"), "{kind:?}: English");
        let demo = scalar(&s, "SELECT id FROM map_reports WHERE reporter_id IS NULL ORDER BY id LIMIT 1").await;
        let demo = s.get(&client(), &format!("/map/reports/{demo}")).await.text().await.unwrap();
        assert!(!demo.contains("<dd>, ") && !demo.contains("Semnalată de</dt>"), "{kind:?}: no empty byline");

        // The thread reads, the comment signed "cont șters".
        let thread = format!("/consultations/{CONSULTATION}/comments?scope=general");
        let page = s.get(&client(), &thread).await.text().await.unwrap();
        assert!(page.contains("Rampa de la intrare"), "{kind:?}: the comment stays in the record");
        assert!(page.contains("cont șters") && !page.contains(NAME), "{kind:?}: signed deleted account");
        let sql = format!("SELECT COUNT(*) FROM consultation_comments WHERE id = {} AND user_id = {}", p.comment, p.id);
        assert_eq!(scalar(&s, &sql).await, 1);

        // The donation stays for the books: the name on its receipt, nothing public, no address.
        let d = sqlx::query(
            "SELECT donor_name, donor_email, message, ip_hash, show_name FROM donations WHERE public_id = $1",
        )
        .bind(&p.donation)
        .fetch_one(&s.db.pool)
        .await
        .unwrap();
        assert_eq!(d.get::<String, _>("donor_name"), NAME, "{kind:?}: paid, so the receipt's name stays");
        assert_eq!(d.get::<String, _>("donor_email"), app::accounts::rules::anonymised_email(p.id));
        assert_eq!((d.get::<String, _>("message"), d.get::<String, _>("ip_hash")), (String::new(), String::new()));
        assert_eq!(d.get::<i64, _>("show_name"), 0);
        assert!(
            !client().get(&wall).send().await.unwrap().text().await.unwrap().contains(NAME),
            "{kind:?}: off the wall"
        );

        // Nothing personal is left in any covered column: what goes is gone, what stays points at
        // the anonymised account and holds neither the address nor the name.
        let mut left = vec![];
        for (table, column, after, source) in covered() {
            let (what, n) = if holds_an_id(column) {
                if after != After::Gone {
                    continue;
                }
                let sql = format!("SELECT COUNT(*) FROM {table} WHERE {column} = $1");
                ("the account id", sqlx::query(&sql).bind(p.id).fetch_one(&s.db.pool).await.unwrap().get::<i64, _>(0))
            } else if after == After::Retained {
                continue;
            } else {
                let sql = format!(
                    "SELECT COUNT(*) FROM {table} WHERE LOWER(CAST({column} AS TEXT)) LIKE $1 OR CAST({column} AS TEXT) LIKE $2 OR CAST({column} AS TEXT) LIKE $3"
                );
                let n = sqlx::query(&sql)
                    .bind(format!("%{EMAIL}%"))
                    .bind(format!("%{NAME}%"))
                    .bind(format!("%{PRIVATE}%"))
                    .fetch_one(&s.db.pool)
                    .await
                    .unwrap()
                    .get::<i64, _>(0);
                ("the address, name or private words", n)
            };
            if n > 0 {
                left.push(format!("  {table}.{column} ({source}, {after:?}): {n} rows with {what}"));
            }
        }
        assert!(left.is_empty(), "{kind:?}: personal data left after deletion:\n{}", left.join("\n"));
        // Private words outside the covered columns are gone too (join request, official request, report details).
        for sql in [
            "SELECT COUNT(*) FROM org_join_requests WHERE message LIKE $1",
            "SELECT COUNT(*) FROM official_requests WHERE message LIKE $1",
            "SELECT COUNT(*) FROM consultation_reports WHERE details LIKE $1",
            "SELECT COUNT(*) FROM donations WHERE message LIKE $1",
        ] {
            let n: i64 = sqlx::query(sql).bind(format!("%{PRIVATE}%")).fetch_one(&s.db.pool).await.unwrap().get(0);
            assert_eq!(n, 0, "{kind:?}: {sql}");
        }
        // Signing in no longer works; the export has nobody to export.
        let res = s
            .call(&client(), app::accounts::Login::PATH, &[("email", EMAIL), ("password", PASSWORD), ("next", "")])
            .await;
        assert!(res.status().is_client_error(), "{kind:?}");
    }
}

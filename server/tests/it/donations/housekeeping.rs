//! The checkout housekeeping job, run by two servers at the same instant: abandoned checkouts are
//! cancelled once, what never paid forgets its donor after 30 days, and nothing that paid is touched.
use super::*;
use app::donations::rules::housekeeping::FORGOTTEN_EMAIL;
use app::ssr::now;

fn pending(campaign_id: i64, n: usize, monthly: bool) -> ddb::NewDonation {
    ddb::NewDonation {
        public_id: format!("curatenie-{n}-{monthly}"),
        campaign_id,
        amount_bani: 5_000,
        fee_bani: 0,
        currency: "RON".into(),
        monthly,
        provider: "test".into(),
        idempotency_key: format!("curatenie-key-{n}-{monthly}"),
        donor_name: format!("Donator {n}"),
        donor_email: format!("donator{n}@exemplu.ro"),
        message: "Succes!".into(),
        show_name: true,
        lang: "ro".into(),
        consent_version: "v".into(),
        newsletter: false,
        ip_hash: "hash".into(),
        is_demo: false,
    }
}

async fn exec(db: &Db, sql: &str, ids: &[i64]) {
    for id in ids {
        sqlx::query(sql).bind(*id).execute(&db.pool).await.unwrap();
    }
}

async fn row(db: &Db, id: i64) -> (String, String, String) {
    let r = sqlx::query("SELECT status, donor_name, donor_email FROM donations WHERE id = $1")
        .bind(id)
        .fetch_one(&db.pool)
        .await
        .unwrap();
    (r.get("status"), r.get("donor_name"), r.get("donor_email"))
}

async fn gift(db: &Db, donation: i64) -> (String, String) {
    let r = sqlx::query(
        "SELECT g.status, g.donor_email FROM donation_gifts g JOIN donations d ON d.gift_id = g.id WHERE d.id = $1",
    )
    .bind(donation)
    .fetch_one(&db.pool)
    .await
    .unwrap();
    (r.get("status"), r.get("donor_email"))
}

#[tokio::test]
async fn abandoned_checkouts_are_tidied_once_by_two_servers_at_once() {
    for kind in backends() {
        let (a, url) = fresh_db(kind).await;
        app::init();
        server::demo::load(&a).await.unwrap();
        let b = Db::connect(&url, 8).await.unwrap();
        let (cid, _) = live_campaign(&a, "curatenie").await;
        let mut old = vec![];
        for n in 0..12 {
            old.push(ddb::create_donation(&a, &pending(cid, n, n % 3 == 0)).await.unwrap());
        }
        let fresh = ddb::create_donation(&a, &pending(cid, 100, true)).await.unwrap();
        let paid = ddb::create_donation(&a, &pending(cid, 101, true)).await.unwrap();
        // Three days ago: past every provider's session lifetime. The paid one paid then.
        let three_days = now() - 3 * 86_400;
        let backdate =
            format!("UPDATE donations SET created_at = {three_days}, updated_at = {three_days} WHERE id = $1");
        exec(&a, &backdate, &old).await;
        exec(&a, &backdate, &[paid]).await;
        let gifts = format!(
            "UPDATE donation_gifts SET created_at = {three_days} WHERE id = (SELECT gift_id FROM donations WHERE id = $1)"
        );
        exec(&a, &gifts, &old).await;
        exec(&a, &gifts, &[paid]).await;
        exec(&a, &format!("UPDATE donations SET status = 'paid', paid_at = {three_days} WHERE id = $1"), &[paid]).await;
        exec(
            &a,
            "UPDATE donation_gifts SET status = 'active' WHERE id = (SELECT gift_id FROM donations WHERE id = $1)",
            &[paid],
        )
        .await;

        let run = |db: &Db| {
            let db = db.clone();
            async move { app::donations::service::housekeeping::tidy_checkouts(&db).await }
        };
        let mut cancelled = (0, 0);
        for _ in 0..3 {
            let (x, y) = tokio::join!(run(&a), run(&b));
            for t in [x.unwrap(), y.unwrap()] {
                cancelled.0 += t.donations_cancelled;
                cancelled.1 += t.gifts_cancelled;
                assert_eq!(t.donations_forgotten + t.gifts_forgotten, 0, "{kind:?}: nothing is 30 days old yet");
            }
        }
        assert_eq!(cancelled, (12, 4), "{kind:?}: each abandoned checkout and monthly gift cancelled once");
        for id in &old {
            let (status, name, _) = row(&a, *id).await;
            assert_eq!((status.as_str(), name.starts_with("Donator")), ("cancelled", true), "{kind:?}");
        }
        assert_eq!(gift(&a, old[0]).await.0, "cancelled", "{kind:?}");
        assert_eq!(row(&a, fresh).await.0, "pending", "{kind:?}: a checkout of a minute ago waits");
        assert_eq!(gift(&a, fresh).await.0, "pending", "{kind:?}");
        assert_eq!(row(&a, paid).await.0, "paid", "{kind:?}");

        // A month on, what never paid forgets its donor; the paid gift keeps its name for the books.
        let month = now() - 31 * 86_400;
        exec(&a, &format!("UPDATE donations SET updated_at = {month} WHERE id = $1"), &old).await;
        exec(&a, &format!("UPDATE donations SET updated_at = {month} WHERE id = $1"), &[paid]).await;
        let ended = format!(
            "UPDATE donation_gifts SET updated_at = {month} WHERE id = (SELECT gift_id FROM donations WHERE id = $1)"
        );
        exec(&a, &ended, &old).await;
        exec(&a, &ended, &[paid]).await;
        let mut forgotten = (0, 0);
        for _ in 0..3 {
            let (x, y) = tokio::join!(run(&a), run(&b));
            for t in [x.unwrap(), y.unwrap()] {
                forgotten.0 += t.donations_forgotten;
                forgotten.1 += t.gifts_forgotten;
            }
        }
        assert_eq!(forgotten, (12, 4), "{kind:?}: each forgotten once");
        for id in &old {
            assert_eq!(row(&a, *id).await, ("cancelled".into(), String::new(), FORGOTTEN_EMAIL.into()), "{kind:?}");
        }
        assert_eq!(gift(&a, old[3]).await, ("cancelled".into(), FORGOTTEN_EMAIL.into()), "{kind:?}");
        let (status, name, email) = row(&a, paid).await;
        assert_eq!((status.as_str(), name.as_str(), email.as_str()), ("paid", "Donator 101", "donator101@exemplu.ro"));
        assert_eq!(gift(&a, paid).await, ("active".into(), "donator101@exemplu.ro".into()), "{kind:?}");
        // The personal-data export of a forgotten donor finds nothing of theirs any more.
        let left: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM donations WHERE LOWER(donor_email) = 'donator0@exemplu.ro'")
                .fetch_one(&a.pool)
                .await
                .unwrap();
        assert_eq!(left, 0, "{kind:?}");
    }
}

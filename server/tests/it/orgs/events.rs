//! Events: seats, the waiting list.
use super::*;

/// The demo workshop (3 seats), as `c` sees it.
async fn workshop(s: &TestServer, c: &reqwest::Client) -> app::orgs::events::EventView {
    use app::orgs::events::GetEvent;
    s.call(c, GetEvent::PATH, &[("slug", "atelier-harta-accesibilitatii-focsani")]).await.json().await.unwrap()
}

#[tokio::test]
async fn event_seats_fill_then_the_waiting_list_moves_up() {
    use app::orgs::events::*;
    for kind in backends() {
        let s = spawn(kind).await;
        // The demo workshop has 3 seats.
        let ev: EventView = s
            .call(&s.client, GetEvent::PATH, &[("slug", "atelier-harta-accesibilitatii-focsani")])
            .await
            .json()
            .await
            .unwrap();
        assert_eq!((ev.capacity, ev.confirmed), (3, 0));
        let id = ev.card.id.to_string();
        let mut people = Vec::new();
        for i in 0..5 {
            let c = verified_user(&s, &format!("p{i}@exemplu.ro")).await;
            let res = s.call(&c, RegisterEvent::PATH, &[("event_id", &id)]).await;
            let loc = res.headers()["location"].to_str().unwrap().to_string();
            let expected = if i < 3 { "confirmed" } else { "waitlisted" };
            assert!(loc.ends_with(&format!("registered={expected}")), "{kind:?} person {i}: {loc}");
            people.push(c);
        }
        let ev = workshop(&s, &people[3]).await;
        assert_eq!((ev.confirmed, ev.waitlisted), (3, 2));
        assert_eq!(ev.my_status.as_deref(), Some("waitlisted"));
        // Registering twice changes nothing.
        s.call(&people[0], RegisterEvent::PATH, &[("event_id", &id)]).await;
        assert_eq!(workshop(&s, &people[3]).await.confirmed, 3);
        // The registration is part of "download my data".
        let data: serde_json::Value = s.get(&people[0], app::accounts::ExportMyData::PATH).await.json().await.unwrap();
        assert_eq!(data["event_registrations"][0]["status"], "confirmed");
        assert!(data["newsletter"].is_null());
        // A confirmed person cancels: the first on the waiting list moves up and is told.
        s.call(&people[1], CancelRegistration::PATH, &[("event_id", &id)]).await;
        let ev = workshop(&s, &people[3]).await;
        assert_eq!((ev.confirmed, ev.waitlisted), (3, 1));
        assert_eq!(ev.my_status.as_deref(), Some("confirmed"));
        use sqlx::Row;
        let subject: String =
            sqlx::query("SELECT body_text FROM mail_outbox WHERE to_addr = 'p3@exemplu.ro' ORDER BY id DESC LIMIT 1")
                .fetch_one(&s.db.pool)
                .await
                .unwrap()
                .get(0);
        assert!(subject.contains("S-a eliberat un loc"), "{subject}");

        // The day before, confirmed people get a reminder, once.
        sqlx::query("UPDATE events SET starts_at = $1 WHERE id = $2")
            .bind(app::ssr::now() + 3600)
            .bind(ev.card.id)
            .execute(&s.db.pool)
            .await
            .unwrap();
        assert_eq!(send_reminders(&s.db, &s.base).await.unwrap(), 3);
        assert_eq!(send_reminders(&s.db, &s.base).await.unwrap(), 0);

        let res = s.get(&s.client, "/events/atelier-harta-accesibilitatii-focsani/event.ics").await;
        assert_eq!(res.headers()["content-type"], "text/calendar; charset=utf-8");
        let ics = res.text().await.unwrap();
        assert!(ics.contains("BEGIN:VEVENT") && ics.contains("SUMMARY:Atelier: cartografiem accesibilitatea"));

        // Past events take no registrations.
        let past: EventView = s
            .call(&s.client, GetEvent::PATH, &[("slug", "instruire-consultari-publice-legea-52")])
            .await
            .json()
            .await
            .unwrap();
        assert!(past.past);
        let res = s.call(&people[4], RegisterEvent::PATH, &[("event_id", &past.card.id.to_string())]).await;
        assert_eq!(error_of(res).await, Problem::Refused(K::err_event_closed));
    }
}
